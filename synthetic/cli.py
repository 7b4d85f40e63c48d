"""``python -m synthetic METHOD EXPR --x0 X --eps E``: one run of one method.

``python -m synthetic --clean-cache`` removes the generated modules and numba's cache of
them (:func:`synthetic.codegen.clean_cache`) and prints what it removed.

Bad input (an unknown method, an expression that does not parse, eps <= 0, a
negative step, a start of the wrong dimension, ...) prints one line on stderr
and exits with status 2. A run that diverges is a result, not an error.
"""

from __future__ import annotations

import argparse
import json
import sys

from .codegen import cache_dir, clean_cache
from .line_search import METHODS as RULES  # the deterministic step rules and the line searches
from .line_search import run_method
from .objective import objective_from_expr
from .run import DEFAULT_MAX_ITER

__all__ = ["build_parser", "main", "parse_start"]


def parse_start(text: str) -> list[float]:
    """Parse ``"1.5"`` or ``"1,2,3"`` into floats (one per variable x1..xd)."""
    try:
        return [float(part) for part in text.split(",")]
    except ValueError:
        raise ValueError(
            f"--x0 must be a number or comma-separated numbers, got {text!r}"
        ) from None


_OTHER_PARAMS = tuple(
    dict.fromkeys(
        p for r in RULES.values() for p in r.params if p not in ("h", "eta", "gamma", "beta")
    )
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit status 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    methods = ", ".join(f"{k} ({', '.join(v.params)})" for k, v in RULES.items())
    parser = _Parser(
        prog="python -m synthetic",
        description="Run one method of arXiv 1905.11881 (v2) on one function until "
        "||grad f(x_k)|| <= eps.",
        epilog=f"methods and their parameters: {methods}",
    )
    parser.add_argument("method", nargs="?", help="one of: " + ", ".join(RULES))
    parser.add_argument(
        "expr", nargs="?", help="the function, e.g. 'x**8 + 0.5*x**2' or 'x1**4 + x2**2'"
    )
    parser.add_argument("--x0", help="start: a number, or comma-separated for x1..xd (required)")
    parser.add_argument("--eps", type=float, help="target gradient norm (> 0; required)")
    parser.add_argument("--h", type=float, help="GD step")
    parser.add_argument("--eta", type=float, help="clipped/normalized GD step scale")
    parser.add_argument("--gamma", type=float, help="clipping threshold on ||grad f||")
    parser.add_argument("--beta", type=float, help="normalized GD offset")
    for name in _OTHER_PARAMS:  # the other rules' parameters, from the registry
        users = ", ".join(k for k, v in RULES.items() if name in v.params)
        parser.add_argument(f"--{name}", type=float, help=f"parameter of {users}")
    parser.add_argument(
        "--max-iter",
        type=int,
        default=DEFAULT_MAX_ITER,
        help=f"iteration cap (default {DEFAULT_MAX_ITER}); beyond it the status is max_iter",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--clean-cache",
        action="store_true",
        help="remove the generated modules and their numba cache, then exit",
    )
    return parser


def _summary(result, expr: str) -> str:
    lines = [
        f"{result.method} on f = {expr}",
        f"  parameters   {', '.join(f'{k} = {v:g}' for k, v in result.params.items())}",
        f"  status       {result.status}"
        + (f" ({result.cause})" if result.cause else "")
        + (" (the count is a lower bound)" if result.status == "max_iter" else ""),
        f"  iterations   {result.iterations}",
        f"  x_final      {', '.join(f'{v:.10g}' for v in result.x_final)}",
        f"  f_final      {result.f_final:.10g}",
        f"  ||grad f||   {result.grad_norm_final:.6g} (eps = {result.eps:g}); "
        f"largest seen {result.grad_norm_max:.6g}",
        f"  monotone     {'yes' if result.monotone else 'no'} (f never increased)"
        if result.monotone
        else "  monotone     no (f increased at some step)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.clean_cache:
        report = clean_cache()
        mib = report.removed_bytes / 2**20
        print(f"removed {report.removed} generated modules ({mib:.1f} MiB) from {cache_dir()}")
        return 0
    required = {"method": "method", "expr": "expr", "x0": "--x0", "eps": "--eps"}
    missing = [flag for name, flag in required.items() if getattr(args, name) is None]
    if missing:
        parser.error(f"the following arguments are required: {', '.join(missing)}")
    if args.method not in RULES:
        parser.error(f"unknown method {args.method!r}; allowed: {', '.join(RULES)}")
    given = {k: getattr(args, k) for k in ("h", "eta", "gamma", "beta", *_OTHER_PARAMS)}
    wanted = RULES[args.method].params
    extra = [k for k, v in given.items() if v is not None and k not in wanted]
    if extra:
        parser.error(f"{args.method} takes --{' --'.join(wanted)}, not --{' --'.join(extra)}")
    try:
        objective = objective_from_expr(args.expr)
        x0 = parse_start(args.x0)
        result = run_method(
            objective,
            args.method,
            x0,
            args.eps,
            max_iter=args.max_iter,
            **{k: given[k] for k in wanted},
        )
    except ValueError as exc:
        parser.error(str(exc).splitlines()[0])
    if args.json:
        out = result.to_json()
        out["expr"] = args.expr
        print(json.dumps(out))
    else:
        print(_summary(result, args.expr))
    return 0


if __name__ == "__main__":
    sys.exit(main())
