"""Shared by the upper-bound experiments: pair choice on a grid, runs with a theorem's step.

Theorems (arXiv 1905.11881 v2): Theorem 3 (clipped GD), Theorem 6 (fixed-step GD) and the
clipped/normalized equivalence (normalized GD, lab bound = 2 x Theorem 3's).

Pair choice. ``Theorem.bound(cert, eps)`` minimizes the bound over the certified
frontier with up to ~120 frontier evaluations per theorem; for interval-certified
objectives one evaluation costs up to ~0.5 s, too slow for suites of hundreds of
instances. Here the bound is minimized over a fixed log grid of L1 (``0`` and
``10^k``, k = -3, -2.5, ..., 3, refined to eighth-decades around the best point, by
:func:`theory.theorems.grid_l1`) and then evaluated with ``bound(cert, eps, L1=best)``:
the pair is ``(L0*(L1), L1)``
exactly as certified, so every hypothesis of the theorem holds; the bound can only be
slightly larger than the true minimum over the frontier (never smaller), which is
conservative for a check of an upper bound. The rows record ``pair_choice = "grid"``.
"""

from __future__ import annotations

import math

import numpy as np

from synthetic.run import run
from theory.theorems import NGD, THEOREM_3, THEOREM_6, grid_l1

from .framework import run_outcome

__all__ = ["METHODS", "choose_l1", "run_with_bound", "bounds_for"]

#: method -> the theorem object whose parameters it runs with (``Bound.run_params``)
METHODS = {t.method: t for t in (THEOREM_3, THEOREM_6, NGD)}

_COARSE = [0.0] + [float(10.0**k) for k in np.arange(-3.0, 3.01, 0.5)]
_REFINE = (-0.375, -0.25, -0.125, 0.125, 0.25, 0.375)
_WINDOW = (10.0**-3.5, 10.0**3.5)


def _value(method: str, cert, eps: float, l1: float) -> float:
    l0 = float(cert.L0(l1))
    d = float(cert.delta)
    try:
        if method == "gd":
            v = THEOREM_6.value(l0, l1, float(cert.M), d, eps)
        elif method == "clipped_gd":
            v = THEOREM_3.value(l0, l1, d, eps)
        else:
            v = NGD.value(l0, l1, d, eps)
    except (ZeroDivisionError, OverflowError, ValueError):
        return math.inf
    return math.inf if math.isnan(v) else float(v)


def choose_l1(method: str, cert, eps: float) -> float:
    """The grid L1 minimizing the method's bound (see the module docstring)."""
    return grid_l1(
        lambda l1: _value(method, cert, eps, l1), _COARSE, refine=_REFINE, window=_WINDOW
    )


def bounds_for(method: str, cert, eps: float):
    """The method's :class:`theory.theorems.Bound` at the grid-minimizing certified pair."""
    return METHODS[method].bound(cert, eps, L1=choose_l1(method, cert, eps))


def run_with_bound(obj, x0, eps: float, method: str, bound, cap: int) -> dict:
    """Run ``method`` with the theorem's parameters, at most ``min(floor(bound) + 1, cap)`` steps.

    Returns a dict with the outcome: ``outcome`` is ``ok`` (converged within the bound),
    ``violation`` (converged after more steps than the bound, diverged, or still running
    after ``floor(bound) + 1`` steps), ``censored`` (the cap, below the bound, was reached:
    undecided) or ``no_bound`` (the bound is infinite or a parameter is not finite).
    """
    thm = METHODS[method]
    value = float(bound.value)
    params = {k: float(v) for k, v in bound.params.items()}
    row = {
        "method": method,
        "theorem": thm.number,
        "bound": value,
        "bound_provenance": bound.provenance,
        "L0": float(bound.L0),
        "L1": float(bound.L1),
        "pair_choice": "grid",
        **{f"param_{k}": v for k, v in params.items()},
    }
    if not math.isfinite(value) or not all(math.isfinite(v) and v > 0 for v in params.values()):
        row.update(outcome="no_bound", status="", iterations=None, max_iter=None, ratio=None)
        return row
    limit = math.floor(value) + 1
    max_iter = int(min(limit, cap))
    r = run(obj, method, x0, eps, max_iter=max_iter, **bound.run_params)
    row.update(
        outcome=run_outcome(r.status, r.iterations, value, max_iter),
        status=r.status,
        cause=r.cause,
        iterations=int(r.iterations),
        max_iter=max_iter,
        ratio=r.iterations / value if value > 0 else math.inf,
        grad_norm_final=float(r.grad_norm_final),
        monotone=bool(r.monotone),
    )
    return row
