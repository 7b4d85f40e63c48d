"""Command line: ``python -m theory EXPR [--x0 X] [--eps E] [--radius R] [--L1 V] [--json]``
and ``python -m theory check EXPR --L0 A --L1 B [--x0 X] [--json]``.

Prints the certificate of :func:`theory.smoothness.certify` (arXiv 1905.11881 v2:
Definition 1, Assumptions 1-4) and, with ``--eps``, every applicable theorem with its
parameters, its bound and its derivation (symbolic, then with the numbers), readably,
as JSON (``--json``: the certificate plus ``bounds``) or as Markdown with LaTeX math
(``--markdown FILE``). ``--tau`` and ``--T`` add Theorems 7 and 8. Without ``--x0`` the
certificate is global (over R^d). ``check`` decides a declared pair
(:func:`theory.pair_check.check_pair`): valid, invalid or undecided, exit status 0.
Every command runs under ``--budget SECONDS`` (default 20). Bad input, and any failure,
prints one line on stderr and exits with status 2; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from synthetic.cli import parse_start

__all__ = ["build_parser", "build_check_parser", "main", "parse_x0", "format_certificate"]

#: Default time budget of a command, in seconds.
DEFAULT_BUDGET = 20.0


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit status 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def parse_x0(text: str) -> list[float]:
    """Parse ``"1.5"`` or ``"1,2,3"`` (values of x1..xd) into finite floats."""
    vals = parse_start(text)
    if not all(math.isfinite(v) for v in vals):
        raise ValueError(f"--x0 must be finite, got {text!r}")
    return vals


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (extend it to add options)."""
    p = _Parser(
        prog="python -m theory",
        description=(
            "Certified constants f*, Δ, S0, M, L and the (L0, L1) frontier of an objective "
            "(arXiv 1905.11881 v2, Definition 1 and Assumptions 1-4)."
        ),
    )
    p.add_argument("expr", help="objective, e.g. 'x**4/4' or 'x1**2 + x2**4'")
    p.add_argument("--x0", help="start: a number, or x1,...,xd (omitted: global, over R^d)")
    p.add_argument("--radius", type=float, default=1.0, help="radius of S around S0 (1)")
    p.add_argument("--L1", type=float, default=1.0, help="L1 at which to report L0*(L1) (1)")
    p.add_argument("--eps", type=float, help="target gradient norm: adds every theorem's bound")
    p.add_argument("--tau", type=float, help="noise bound (Assumption 5): with --T adds Thm 7, 8")
    p.add_argument("--T", type=float, help="horizon of the stochastic step sizes (Thm 7, 8)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--markdown", metavar="FILE", help="also write the report as Markdown")
    _add_budget(p)
    return p


def _add_budget(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--budget",
        type=float,
        default=DEFAULT_BUDGET,
        metavar="SECONDS",
        help=f"time budget; the result says what was established within it ({DEFAULT_BUDGET:g})",
    )


def build_check_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m theory check``."""
    p = _Parser(
        prog="python -m theory check",
        description=(
            "Check a declared (L0, L1) pair (arXiv 1905.11881 v2, Definition 1): valid "
            "(certified), invalid (a witness with the excess there) or undecided (why)."
        ),
    )
    p.add_argument("expr", help="objective, e.g. 'exp(x) + exp(-x)'")
    p.add_argument("--L0", type=float, required=True, help="declared L0")
    p.add_argument("--L1", type=float, required=True, help="declared L1")
    p.add_argument("--x0", help="start: check on S of this start (omitted: on all of R^d)")
    p.add_argument("--radius", type=float, default=1.0, help="radius of S around S0 (1)")
    p.add_argument("--json", action="store_true", help="print JSON")
    _add_budget(p)
    return p


def _check_options(args) -> None:
    if args.eps is not None and not (math.isfinite(args.eps) and args.eps > 0):
        raise ValueError(f"--eps must be finite and > 0, got {args.eps}")
    if (args.tau is None) != (args.T is None):
        raise ValueError("--tau and --T go together (Theorems 7 and 8 need both)")
    if args.tau is not None:
        if args.eps is None:
            raise ValueError("--tau and --T need --eps")
        if not (math.isfinite(args.tau) and args.tau >= 0):
            raise ValueError(f"--tau must be finite and >= 0, got {args.tau}")
        if not (math.isfinite(args.T) and args.T >= 1):
            raise ValueError(f"--T must be finite and >= 1, got {args.T}")
    if args.markdown is not None and args.eps is None:
        raise ValueError("--markdown writes the bounds: give --eps too")
    if args.eps is not None and args.x0 is None:
        raise ValueError("--eps needs a start --x0 (the bounds depend on f(x0) - f*)")


def _fmt(v) -> str:
    if isinstance(v, float):
        return "inf" if math.isinf(v) else f"{v:.10g}"
    if isinstance(v, (tuple, list)):
        return "(" + ", ".join(_fmt(t) for t in v) + ")"
    return str(v)


def format_certificate(cert, L1: float) -> str:
    """The certificate as readable text."""
    start = f"x0 = {_fmt(cert.x0)}" if cert.x0 else "global: no start, S0 = S = R^d"
    lines = [
        f"f(x) = {cert.expression}   (dimension {cert.dim}, {start})",
        f"method: {cert.method}" + ("  (NOT certified)" if cert.method == "numerical" else ""),
        f"f* = {_fmt(cert.f_star)}   Δ = f(x0) - f* = {_fmt(cert.delta)}   [Assumption 1]",
        f"S0 = {{f <= f(x0)}}: {_fmt(cert.sublevel)}",
        f"S  = S0 + ball of radius {_fmt(cert.radius)}: {_fmt(cert.neighbourhood)}",
        f"M  = sup_S0 ||∇f|| = {_fmt(cert.M)}   ({cert.M_reason})   [Assumption 4]",
        f"L  = sup_S ||∇²f|| = {_fmt(cert.L)}   at {_fmt(cert.L_witness)}",
        f"L0*(L1 = {_fmt(L1)}) = {_fmt(cert.L0(L1))}   at {_fmt(cert.witness(L1))}"
        "   [Definition 1, Assumption 3]",
        "frontier L1 -> L0*(L1):",
    ]
    lines += [f"  {l1:>10.4g}  {_fmt(l0)}" for l1, l0, _ in cert.frontier_table]
    lines.append(
        f"global (L0, L1) class: {'yes' if cert.global_class else 'no'} ({cert.global_reason})"
    )
    if cert.notes:
        lines.append(f"notes: {cert.notes}")
    if cert.estimated:
        lines.append(f"ESTIMATES, not bounds: {', '.join(cert.estimated)}")
    return "\n".join(lines)


def format_check(res) -> str:
    """A pair check as readable text."""
    lines = [
        f"f(x) = {res.expression}   (L0, L1) = ({res.L0:g}, {res.L1:g})"
        + (f"   on S of x0 = {_fmt(res.x0)}" if res.x0 is not None else "   on R^d"),
        f"verdict: {res.verdict}   (method: {res.method})",
        f"reason: {res.reason}",
    ]
    if res.witness is not None:
        lines.append(f"witness: {_fmt(res.witness)}   violation: {res.violation:.10g}")
    if res.room is not None:
        lines.append(f"room left: L0 - sup = {res.room:.10g}")
    return "\n".join(lines)


def _write_text(path: str, text: str) -> None:
    """Write atomically: a temporary file in the same folder, then a rename."""
    import os
    import tempfile

    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".md")
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0, or 2 for bad input or a failure)."""
    argv = _join_negative_starts(sys.argv[1:] if argv is None else list(argv))
    try:
        if argv[:1] == ["check"]:
            code, out = _run_check(argv[1:])
        else:
            code, out = _run_certify(argv)
    except (ValueError, OSError) as exc:
        return _fail(" ".join(str(exc).split()))
    except KeyboardInterrupt:
        return _fail("interrupted")
    except Exception as exc:  # noqa: BLE001 - the promise is: no traceback reaches the user
        return _fail(f"internal error ({type(exc).__name__}: {' '.join(str(exc).split())})")
    try:
        print(out)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `| head`: the reader left; not an error
        _silence_stdout()
    return code


def _join_negative_starts(argv: list[str]) -> list[str]:
    """``--x0 -1,1`` as ``--x0=-1,1`` (argparse would read ``-1,1`` as an option)."""
    out: list[str] = []
    it = iter(range(len(argv)))
    for i in it:
        a = argv[i]
        nxt = argv[i + 1] if i + 1 < len(argv) else ""
        if (
            a in ("--x0", "--L0", "--L1")
            and len(nxt) > 1
            and nxt[0] == "-"
            and nxt[1] in "0123456789."
        ):
            out.append(f"{a}={nxt}")
            next(it, None)
        else:
            out.append(a)
    return out


def _fail(msg: str) -> int:
    print(f"python -m theory: error: {msg}", file=sys.stderr)
    return 2


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a descriptor
        pass


def _check_budget(value: float) -> None:
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"--budget must be a positive number of seconds, got {value}")


def _run_check(argv: list[str]) -> tuple[int, str]:
    args = build_check_parser().parse_args(argv)
    from .pair_check import check_pair

    _check_budget(args.budget)
    x0 = None
    if args.x0 is not None:
        vals = parse_x0(args.x0)
        x0 = vals[0] if len(vals) == 1 else vals
    res = check_pair(args.expr, args.L0, args.L1, x0=x0, radius=args.radius, budget=args.budget)
    if args.json:
        return 0, json.dumps(res.to_json(), indent=2)
    return 0, format_check(res)


def _run_certify(argv: list[str]) -> tuple[int, str]:
    args = build_parser().parse_args(argv)
    from . import budget
    from .smoothness import certify

    if args.eps is not None:
        from . import render

    _check_budget(args.budget)
    x0 = None
    if args.x0 is not None:
        vals = parse_x0(args.x0)
        x0 = vals[0] if len(vals) == 1 else vals
    if not (args.L1 >= 0 and math.isfinite(args.L1)):
        raise ValueError(f"--L1 must be a finite number >= 0, got {args.L1}")
    _check_options(args)
    try:
        with budget.deadline(args.budget):
            cert = certify(args.expr, x0, radius=args.radius)
            if args.json:
                data = cert.to_json(args.L1)
                if args.eps is not None:
                    data["eps"] = args.eps
                    data["bounds"] = render.bounds_json(cert, args.eps, tau=args.tau, T=args.T)
                data["budget"] = args.budget
                data["budget_exhausted"] = budget.was_loose()
                out = json.dumps(data, indent=2)
            else:
                out = format_certificate(cert, args.L1)
                if args.eps is not None:
                    out += "\n\n" + render.report(cert, args.eps, tau=args.tau, T=args.T)
                if budget.was_loose():
                    out += (
                        f"\nbudget: the {args.budget:g} s budget ran out while refining; every "
                        "bound above is valid but may be loose (give a larger --budget)"
                    )
            if args.markdown is not None:
                text = render.report(cert, args.eps, tau=args.tau, T=args.T, fmt="markdown")
                head = f"# `{args.expr}` from x0 = {args.x0}, eps = {args.eps:g}\n\n"
                _write_text(args.markdown, head + text)
    except budget.BudgetExceeded:
        raise ValueError(
            f"undecided: the time budget of {args.budget:g} s ran out inside a step that "
            "cannot stop early (a symbolic limit or simplification); nothing was certified; "
            "give a larger --budget"
        ) from None
    return 0, out
