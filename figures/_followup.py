"""Running the follow-up upper bounds on suite instances (docs/paper.md, "Follow-up bounds").

For every :class:`theory.theorems._followup.FollowUpTheorem` of the registry: choose L1 on a
log grid minimizing the bound (the frontier ``L0*(L1)`` is evaluated once per grid point and
shared by all theorems; see :mod:`figures._bounds` for why not ``bound_for``'s search), evaluate
the bound at the certified pair of that L1, run the theorem's method with its kernel-ready
parameters (:func:`synthetic.line_search.run_method`) and classify the count:

* ``ok``: converged within the bound; ``censored``: the experiment's cap, below the bound,
  was reached (undecided); ``no_bound``: the bound is infinite at every grid pair;
* ``violation``: above the bound, diverged, or still running at ``floor(bound) + 1`` steps,
  for a bound the lab derives (provenance ``lab``, or recalled and reproduced/implied);
* ``finding``: the same for a *recalled* constant the lab does not derive
  (``constant_reproduced`` partial or not reproduced) while the run stays within the lab's own
  bound: the witness refutes the recalled constant, not the lab's derivation.
"""

from __future__ import annotations

import math

import numpy as np

from synthetic.line_search import run_method
from theory.theorems import ALL

__all__ = ["FOLLOWUPS", "frontier_grid", "choose_l1", "followup_rows", "outcome", "table"]

#: the follow-up results of the registry
FOLLOWUPS = tuple(t for t in ALL if getattr(t, "followup", False))
#: L1 grid: 0 and 10^k, k = -3, -2.5, ..., 3
L1_GRID = (0.0, *(float(10.0**k) for k in np.arange(-3.0, 3.01, 0.5)))
_DERIVED = ("reproduced", "implied")


def frontier_grid(cert) -> dict[float, float]:
    """``{L1: L0*(L1)}`` on :data:`L1_GRID` (inf where the frontier is not finite)."""
    out = {}
    for l1 in L1_GRID:
        try:
            v = float(cert.L0(l1))
        except (ZeroDivisionError, OverflowError, ValueError):
            v = math.inf
        out[l1] = v if not math.isnan(v) else math.inf
    return out


def choose_l1(thm, cert, eps: float, frontier: dict[float, float]) -> float | None:
    """The grid L1 minimizing ``thm``'s bound within the certified radius (None: no finite)."""
    d, m, rad = float(cert.delta), float(cert.M), float(getattr(cert, "radius", 1.0))
    best, best_v = None, math.inf
    for l1, l0 in frontier.items():
        if (l1 == 0 and not thm.allow_zero_L1) or not math.isfinite(l0):
            continue
        v = thm._safe_value(l0, l1, m, d, eps, rad)
        if v < best_v:
            best, best_v = l1, v
    return best


def outcome(status: str, iterations: int, bound: float, limit: int, max_iter: int) -> str:
    """``ok``, ``violation`` or ``censored`` of one run against one bound (module docstring)."""
    if status == "converged":
        return "ok" if iterations <= bound else "violation"
    if status == "diverged":
        return "violation"
    return "violation" if max_iter >= limit else "censored"


def _row(thm, cert, eps: float, l1: float | None, obj, x0, cap: int, scale: float) -> dict:
    row = {"method": thm.key, "algorithm": thm.method, "theorem": thm.key, "pair_choice": "grid"}
    if l1 is None:
        row.update(outcome="no_bound", status="", iterations=None, ratio=None, bound=math.inf)
        return row
    b = thm.bound_for(cert, eps, L1=l1)
    value = float(b.value) * scale
    lab = b.extras.get("lab_bound")
    lab = float(lab) * scale if lab is not None else None
    row.update(
        bound=value,
        lab_bound=lab,
        bound_provenance=b.provenance,
        constant_reproduced=b.constant_reproduced,
        L0=float(b.L0),
        L1=float(b.L1),
        radius_needed=float(b.extras["radius_needed"]),
        **{f"param_{k}": float(v) for k, v in b.run_params.items()},
    )
    if not (math.isfinite(value) and all(math.isfinite(v) for v in b.run_params.values())):
        row.update(outcome="no_bound", status="", iterations=None, ratio=None)
        return row
    derived = b.provenance == "lab" or b.constant_reproduced in _DERIVED
    decide = value if derived or lab is None else max(value, lab)
    limit = math.floor(decide) + 1
    max_iter = int(min(limit, cap))
    r = run_method(obj, b.method, x0, eps, max_iter=max_iter, **b.run_params)
    out = outcome(r.status, r.iterations, value, math.floor(value) + 1, max_iter)
    if out == "violation" and not derived and lab is not None:
        within_lab = outcome(r.status, r.iterations, lab, math.floor(lab) + 1, max_iter) == "ok"
        out = "finding" if within_lab else "violation"
    row.update(
        outcome=out,
        status=r.status,
        cause=r.cause,
        iterations=int(r.iterations),
        max_iter=max_iter,
        ratio=r.iterations / value if value > 0 else math.inf,
        f_evals=getattr(r, "f_evals", None),
    )
    return row


def followup_rows(obj, x0, eps: float, cert, cap: int, scale: float = 1.0) -> list[dict]:
    """One row per follow-up result on one certified instance; ``scale`` multiplies every
    bound (``scale = 1/2`` plants a violation wherever a count exceeds half its bound)."""
    frontier = frontier_grid(cert)
    return [
        _row(t, cert, eps, choose_l1(t, cert, eps, frontier), obj, x0, cap, scale)
        for t in FOLLOWUPS
    ]


def table(rows: list[dict]) -> str:
    """Per follow-up result: decided runs, violations, findings, censored, ratios."""
    lines = [
        "| result | method | decided | violations | findings | censored | median ratio "
        "| max ratio |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for t in FOLLOWUPS:
        sel = [r for r in rows if r.get("theorem") == t.key]
        dec = [r for r in sel if r.get("outcome") in ("ok", "violation", "finding")]
        rs = [r["ratio"] for r in dec if r.get("ratio") is not None]
        kinds = ("violation", "finding", "censored")
        n = {o: sum(r.get("outcome") == o for r in sel) for o in kinds}
        med = f"{float(np.median(rs)):.3g}" if rs else "-"
        mx = f"{max(rs):.3g}" if rs else "-"
        lines.append(
            f"| `{t.key}` | {t.method} | {len(dec)} | {n['violation']} | {n['finding']} | "
            f"{n['censored']} | {med} | {mx} |"
        )
    return "\n".join(lines) + "\n"
