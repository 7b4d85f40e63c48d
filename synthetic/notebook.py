"""Markdown for Jupyter: runs and sweeps render themselves as tables.

Jupyter shows an object's ``_repr_markdown_()`` when it is the last line of a cell;
:class:`synthetic.result.RunResult` and :class:`synthetic.sweep.SweepResult` return the
functions of this module there. ``T_eps`` is the first ``k`` with
``||grad f(x_k)|| <= eps`` (arXiv 1905.11881 v2; docs/paper.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .result import RunResult
    from .sweep import SweepResult

__all__ = ["run_result_markdown", "sweep_result_markdown"]

#: Rows of a sweep's table shown in full (the rest is summarised).
SHOWN_RUNS = 10

_T_EPS = r"$T_\varepsilon = \min \lbrace k : \lVert \nabla f(x_k) \rVert \le \varepsilon \rbrace$"


def _n(x: float) -> str:
    return f"{float(x):.6g}"


def _vec(x: np.ndarray) -> str:
    x = np.atleast_1d(np.asarray(x, dtype=float))
    return _n(x[0]) if x.size == 1 else "(" + ", ".join(_n(v) for v in x) + ")"


def _params(params: dict) -> str:
    return ", ".join(f"{k} = {_n(v)}" for k, v in params.items()) or "(none)"


def _status(status: str, cause: str) -> str:
    return f"{status} ({cause})" if cause else status


def _iterations_meaning(status: str) -> str:
    return {
        "converged": _T_EPS,
        "diverged": "index of the first non-finite iterate",
        "max_iter": r"the cap: $T_\varepsilon$ is larger (censored)",
    }.get(status, "")


def run_result_markdown(r: RunResult) -> str:
    """One run as a Markdown table: method, parameters, outcome, T_eps, final values."""
    rows = [
        ("method", f"`{r.method}`"),
        ("parameters", _params(r.params)),
        (r"$\varepsilon$, cap", f"{_n(r.eps)}, {int(r.max_iter)}"),
        ("status", _status(r.status, r.cause)),
        (f"iterations ({_iterations_meaning(r.status)})", str(int(r.iterations))),
        ("final $x$", _vec(r.x_final)),
        (r"final $f$, $\lVert \nabla f \rVert$", f"{_n(r.f_final)}, {_n(r.grad_norm_final)}"),
        (r"largest $\lVert \nabla f(x_k) \rVert$", _n(r.grad_norm_max)),
        ("$f$ monotone", "yes" if r.monotone else "no"),
    ]
    lines = [f"### Run of `{r.method}`", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    if r.trajectory is not None:
        lines.append(f"| trajectory rows | {len(r.trajectory)} (k, f, ‖∇f‖ at log-spaced k) |")
    return "\n".join(lines) + "\n"


def sweep_result_markdown(s: SweepResult) -> str:
    """A sweep: counts by status, T_eps of the converged runs, the first runs as a table."""
    n = len(s)
    status, cause = s.status, s.cause
    counts = ", ".join(f"{k}: {int(np.sum(status == k))}" for k in dict.fromkeys(status))
    it = s.iterations[status == "converged"]
    lines = [f"### Sweep of `{s.method}`: {n} runs", "", f"- status: {counts or '(none)'}"]
    if it.size:
        lines.append(
            f"- {_T_EPS} over the converged runs: min {int(it.min())}, median "
            f"{_n(np.median(it))}, max {int(it.max())}"
        )
    lines += [f"- iteration cap: {int(s.max_iter)}", ""]
    names = list(s.params)
    head = ["run", "$x_0$", r"$\varepsilon$", *names, "status", "iterations", "final ‖∇f‖"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for i in range(min(n, SHOWN_RUNS)):
        cells = [str(i), _vec(s.x0[i]), _n(s.eps[i]), *(_n(s.params[k][i]) for k in names)]
        cells += [_status(status[i], cause[i]), str(int(s.iterations[i]))]
        cells.append(_n(s.grad_norm_final[i]))
        lines.append("| " + " | ".join(cells) + " |")
    if n > SHOWN_RUNS:
        lines.append(f"\n*... and {n - SHOWN_RUNS} more runs.*")
    return "\n".join(lines) + "\n"
