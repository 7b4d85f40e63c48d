"""Command line: ``python -m theory EXPR --x0 X [--eps E] [--radius R] [--L1 V] [--json]``.

Prints the certificate of :func:`theory.smoothness.certify` (arXiv 1905.11881 v2:
Definition 1, Assumptions 1-4) and, with ``--eps``, every applicable theorem with its
parameters, its bound and its derivation (symbolic, then with the numbers), readably,
as JSON (``--json``: the certificate plus ``bounds``) or as Markdown with LaTeX math
(``--markdown FILE``). ``--tau`` and ``--T`` add Theorems 7 and 8. Bad input prints
one line on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from synthetic.cli import parse_start

__all__ = ["build_parser", "main", "parse_x0", "format_certificate"]


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
    p.add_argument("--x0", required=True, help="start: a number, or x1,...,xd")
    p.add_argument("--radius", type=float, default=1.0, help="radius of S around S0 (1)")
    p.add_argument("--L1", type=float, default=1.0, help="L1 at which to report L0*(L1) (1)")
    p.add_argument("--eps", type=float, help="target gradient norm: adds every theorem's bound")
    p.add_argument("--tau", type=float, help="noise bound (Assumption 5): with --T adds Thm 7, 8")
    p.add_argument("--T", type=float, help="horizon of the stochastic step sizes (Thm 7, 8)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--markdown", metavar="FILE", help="also write the report as Markdown")
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


def _fmt(v) -> str:
    if isinstance(v, float):
        return "inf" if math.isinf(v) else f"{v:.10g}"
    if isinstance(v, (tuple, list)):
        return "(" + ", ".join(_fmt(t) for t in v) + ")"
    return str(v)


def format_certificate(cert, L1: float) -> str:
    """The certificate as readable text."""
    lines = [
        f"f(x) = {cert.expression}   (dimension {cert.dim}, x0 = {_fmt(cert.x0)})",
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
    """Run the command line; returns the exit status (0, or 2 for bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from . import render
    from .smoothness import certify

    try:
        x0 = parse_x0(args.x0)
        if not (args.L1 >= 0 and math.isfinite(args.L1)):
            raise ValueError(f"--L1 must be a finite number >= 0, got {args.L1}")
        _check_options(args)
        cert = certify(args.expr, x0[0] if len(x0) == 1 else x0, radius=args.radius)
        if args.json:
            data = cert.to_json(args.L1)
            if args.eps is not None:
                data["eps"] = args.eps
                data["bounds"] = render.bounds_json(cert, args.eps, tau=args.tau, T=args.T)
            out = json.dumps(data, indent=2)
        else:
            out = format_certificate(cert, args.L1)
            if args.eps is not None:
                out += "\n\n" + render.report(cert, args.eps, tau=args.tau, T=args.T)
        if args.markdown is not None:
            text = render.report(cert, args.eps, tau=args.tau, T=args.T, fmt="markdown")
            head = f"# `{args.expr}` from x0 = {args.x0}, eps = {args.eps:g}\n\n"
            _write_text(args.markdown, head + text)
    except (ValueError, OSError) as exc:
        msg = " ".join(str(exc).split())
        print(f"python -m theory: error: {msg}", file=sys.stderr)
        return 2
    print(out)
    return 0
