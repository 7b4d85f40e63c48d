"""Command line: ``python -m theory EXPR --x0 X [--radius R] [--L1 V] [--json]``.

Prints the certificate of :func:`theory.smoothness.certify` (arXiv 1905.11881 v2:
Definition 1, Assumptions 1-4) readably or as JSON. Bad input prints one line on
stderr and exits with status 2. Extend :func:`build_parser` and :func:`main` to add
sections (e.g. the bounds of the theorems).
"""

from __future__ import annotations

import argparse
import json
import math
import sys

__all__ = ["build_parser", "main", "parse_x0", "format_certificate"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit status 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def parse_x0(text: str) -> list[float]:
    """Parse ``"1.5"`` or ``"1,2,3"`` (values of x1..xd) into floats."""
    try:
        vals = [float(v) for v in text.split(",")]
    except ValueError:
        raise ValueError(f"--x0 must be numbers separated by commas, got {text!r}") from None
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
    p.add_argument("--json", action="store_true", help="print JSON")
    return p


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


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0, or 2 for bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from .smoothness import certify

    try:
        x0 = parse_x0(args.x0)
        if not (args.L1 >= 0 and math.isfinite(args.L1)):
            raise ValueError(f"--L1 must be a finite number >= 0, got {args.L1}")
        cert = certify(args.expr, x0[0] if len(x0) == 1 else x0, radius=args.radius)
        out = (
            json.dumps(cert.to_json(args.L1), indent=2)
            if args.json
            else format_certificate(cert, args.L1)
        )
    except ValueError as exc:
        msg = " ".join(str(exc).split())
        print(f"python -m theory: error: {msg}", file=sys.stderr)
        return 2
    print(out)
    return 0
