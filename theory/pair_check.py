"""Check a declared (L0, L1) pair: valid, invalid (with a certified witness) or undecided.

Definition 1 of Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 v2: f is (L0, L1)-smooth on a
set when ``||∇²f(x)|| <= L0 + L1 ||∇f(x)||`` there. A pair is

- ``valid`` when a certified upper bound ``U >= sup (||∇²f|| - L1 ||∇f||)`` over the set
  (S of a start x0, or all of R^d) satisfies ``U <= L0``; the room left is ``L0 - U``;
- ``invalid`` when at a witness point the excess ``||∇²f|| - L0 - L1 ||∇f||`` is positive,
  evaluated independently of the certificate's arithmetic (sympy / mpmath at 50 digits);
- ``undecided`` otherwise (the bound is above L0 but no point shows a violation, the
  certificate is only numerical, or it could not be computed), with the reason.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp

from synthetic.objective import Objective, objective_from_expr

from . import budget as _budget

__all__ = ["PairCheck", "check_pair", "excess_at"]

_DPS = 50


@dataclass(frozen=True)
class PairCheck:
    """The verdict on a declared pair (see the module docstring).

    Attributes
    ----------
    verdict
        ``'valid'``, ``'invalid'`` or ``'undecided'``.
    witness, violation
        For ``invalid``: a point and the excess ``||∇²f|| - L0 - L1 ||∇f||`` there (> 0).
    sup_bound, room
        For ``valid`` (and where computed): the certified upper bound U of
        ``sup (||∇²f|| - L1 ||∇f||)`` and ``L0 - U``.
    method, reason
        How the verdict was reached (the certificate's method, or ``'point'``) and why.
    """

    expression: str
    L0: float
    L1: float
    x0: tuple[float, ...] | None
    verdict: str
    witness: tuple[float, ...] | None
    violation: float | None
    method: str
    reason: str
    sup_bound: float | None = None
    room: float | None = None

    def to_json(self) -> dict:
        def num(v):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                return None
            if isinstance(v, float) and math.isinf(v):
                return "inf" if v > 0 else "-inf"
            return v

        return {
            "expression": self.expression,
            "L0": self.L0,
            "L1": self.L1,
            "x0": list(self.x0) if self.x0 is not None else None,
            "verdict": self.verdict,
            "witness": list(self.witness) if self.witness is not None else None,
            "violation": num(self.violation),
            "method": self.method,
            "reason": self.reason,
            "sup_bound": num(self.sup_bound),
            "room": num(self.room),
            "paper": "arXiv 1905.11881 v2, Definition 1",
        }


def excess_at(
    expr: sp.Expr, variables: Sequence[sp.Symbol], point: Sequence[float], L0: float, L1: float
) -> mpmath.mpf:
    """``||∇²f|| - L0 - L1 ||∇f||`` at ``point`` in 50-digit arithmetic (exact rationals in).

    The Hessian norm is the largest absolute eigenvalue of the symmetric Hessian
    (``mpmath.eigsy``); in one dimension ``|f''|``.
    """
    subs = {v: sp.Rational(float(t)) for v, t in zip(variables, point)}
    with mpmath.workdps(_DPS):
        grad = [mpmath.mpf(sp.N(sp.diff(expr, v).xreplace(subs), _DPS)) for v in variables]
        hess = mpmath.matrix(len(variables))
        for i, vi in enumerate(variables):
            for j, vj in enumerate(variables):
                hess[i, j] = mpmath.mpf(sp.N(sp.diff(expr, vi, vj).xreplace(subs), _DPS))
        if len(variables) == 1:
            hn = abs(hess[0, 0])
        else:
            ev = mpmath.eigsy(hess, eigvals_only=True)
            hn = max(abs(e) for e in ev)
        gn = mpmath.sqrt(sum(g * g for g in grad))
        return hn - mpmath.mpf(sp.Rational(float(L0))) - mpmath.mpf(sp.Rational(float(L1))) * gn


def _as_point(w) -> tuple[float, ...]:
    return tuple(float(t) for t in np.atleast_1d(np.asarray(w, dtype=float)))


@dataclass(frozen=True)
class _GlobalLine:
    method: str
    up: float
    wit: tuple[float, ...]


def _sup_on_line(expr: sp.Expr, var: sp.Symbol, L1: float) -> tuple[str, float, tuple]:
    """(method, upper bound of sup over R of |f''| - L1 |f'|, best point): no f* needed."""
    from .smoothness import _poly_qq
    from .smoothness_exact import PolyProfile
    from .smoothness_interval import IntervalProfile, NotCertifiable

    line = [(-math.inf, math.inf)]
    p = _poly_qq(expr, var)
    if p is not None:
        v, t = PolyProfile(p).frontier(line, L1)
        return "exact", float(v), (float(t),)
    try:
        v, t = IntervalProfile(expr, var).partition(line).frontier(L1)
    except NotCertifiable:
        return "rigorous", math.inf, (math.nan,)
    return "rigorous", float(v), (float(t),)


def _search_violation(obj: Objective, L0: float, L1: float, x0, radius: float):
    """A point with a positive excess found by sampling rays and local search, or None.

    The rays start at x0 (or the origin) along the axes and 200 seeded random directions,
    at radii from 1e-3 to 1e4; the best point is refined by Nelder-Mead. Only the final
    50-digit evaluation (:func:`excess_at`) decides.
    """
    from scipy.optimize import minimize

    from .smoothness_numerical import NumericalProblem

    d = obj.dim
    center = np.zeros(d) if x0 is None else np.asarray(x0, dtype=float)
    prob = NumericalProblem(obj.expr, obj.variables, center, radius)
    rng = np.random.default_rng(0)
    dirs = [s * np.eye(d)[i] for i in range(d) for s in (1.0, -1.0)]
    if d > 1:
        dirs += [u / np.linalg.norm(u) for u in rng.standard_normal((100, d))]
    radii = np.concatenate([[0.0], np.geomspace(1e-3, 1e4, 57)])

    def excess(z):
        with np.errstate(all="ignore"):
            try:
                v = prob.hnorm(z) - L0 - L1 * float(np.linalg.norm(prob.g(z)))
            except (ValueError, np.linalg.LinAlgError, OverflowError, ZeroDivisionError):
                return -math.inf
        return v if math.isfinite(v) else -math.inf

    best, arg = -math.inf, center
    for u in dirs:
        if _budget.expired():
            break
        for t in radii:
            z = center + t * u
            v = excess(z)
            if v > best:
                best, arg = v, z
    if best == -math.inf:
        return None
    if best <= 0:
        res = minimize(lambda z: -excess(z), arg, method="Nelder-Mead", options={"maxiter": 400})
        if -res.fun > best:
            arg = res.x
    exc_w = excess_at(obj.expr, obj.variables, arg, L0, L1)
    if exc_w > 0:
        return _as_point(arg), exc_w
    return None


def _invalid_found(base: dict, found, how: str, sup_bound: float | None = None) -> PairCheck:
    wit, exc_w = found
    return PairCheck(
        **base,
        verdict="invalid",
        witness=wit,
        violation=float(exc_w),
        method="point",
        reason=(
            f"{how} where ||∇²f|| - L0 - L1||∇f|| = {float(exc_w):.6g} > 0 (evaluated with "
            f"{_DPS} digits)"
        ),
        sup_bound=sup_bound,
    )


def check_pair(
    objective: Objective | str | sp.Expr,
    L0: float,
    L1: float,
    x0: float | Sequence[float] | None = None,
    radius: float = 1.0,
    budget: float | None = None,
) -> PairCheck:
    """Decide whether Definition 1 holds with ``(L0, L1)`` on S (given ``x0``) or on R^d.

    Raises
    ------
    ValueError
        (one line) for bad input: L0 or L1 negative or not finite, a bad x0 or radius,
        an expression that does not parse.
    """
    for name, v in (("L0", L0), ("L1", L1)):
        try:
            v = float(v)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a finite number >= 0, got {v!r}") from None
        if not (math.isfinite(v) and v >= 0):
            raise ValueError(f"{name} must be a finite number >= 0, got {v}")
    L0, L1 = float(L0), float(L1)
    from .smoothness import certify

    obj = objective if isinstance(objective, Objective) else objective_from_expr(objective)
    x0t = None if x0 is None else _as_point(x0)
    where = f"on S (the radius-{radius:g} neighbourhood of S0)" if x0 is not None else "on R^d"
    base = dict(expression=str(obj.expr), L0=L0, L1=L1, x0=x0t)
    try:
        with _budget.deadline(budget):
            if x0 is None and obj.dim == 1:
                cert = _GlobalLine(*_sup_on_line(obj.expr, obj.variables[0], L1))
                up, wit = cert.up, cert.wit
            else:
                cert = certify(obj, x0, radius=radius)
                sup = cert._frontier(L1)  # before the ^+: the supremum itself
                up, wit = float(sup[0]), _as_point(sup[1])
    except _budget.BudgetExceeded:
        return PairCheck(
            **base,
            verdict="undecided",
            witness=None,
            violation=None,
            method="none",
            reason=f"the time budget of {budget:g} s ran out before a certificate was found",
        )
    except ValueError as exc:
        if x0 is not None and "dimension" in str(exc) and "coordinates" in str(exc):
            raise
        found = None if x0 is not None else _search_violation(obj, L0, L1, x0t, radius)
        if found is not None:
            why = " ".join(str(exc).split())
            return _invalid_found(base, found, f"no certificate ({why}); a search found a point")
        return PairCheck(
            **base,
            verdict="undecided",
            witness=None,
            violation=None,
            method="none",
            reason="no certificate: " + " ".join(str(exc).split()),
        )
    certified = cert.method in ("exact", "rigorous")
    if certified and up <= L0:
        return PairCheck(
            **base,
            verdict="valid",
            witness=None,
            violation=None,
            method=cert.method,
            reason=(
                f"certified: sup {where} of ||∇²f|| - {L1:g}||∇f|| is at most {up:.10g} "
                f"<= L0 = {L0:g}"
            ),
            sup_bound=up,
            room=L0 - up,
        )
    if all(math.isfinite(t) for t in wit):
        exc_w = excess_at(obj.expr, obj.variables, wit, L0, L1)
        if exc_w > 0:
            return PairCheck(
                **base,
                verdict="invalid",
                witness=wit,
                violation=float(exc_w),
                method=cert.method,
                reason=(
                    f"at the witness ||∇²f|| - L0 - L1||∇f|| = {float(exc_w):.6g} > 0 "
                    f"(evaluated with {_DPS} digits)"
                ),
                sup_bound=up if certified else None,
            )
    # a point found by search must lie in the set: only the global check uses it
    found = None if x0 is not None else _search_violation(obj, L0, L1, x0t, radius)
    if found is not None:
        return _invalid_found(base, found, "a search found a point", up if certified else None)
    if certified:
        why = (
            f"the certified upper bound {up:.10g} of sup {where} of ||∇²f|| - {L1:g}||∇f|| "
            f"exceeds L0 = {L0:g}, but no point with a violation was found (the bound may "
            "be loose or the supremum not attained)"
        )
    else:
        why = (
            f"method {cert.method}: the sampled maximum of ||∇²f|| - {L1:g}||∇f|| is "
            f"{up:.6g} (an estimate, not a bound) and no sampled point violates the pair"
        )
    return PairCheck(
        **base,
        verdict="undecided",
        witness=None,
        violation=None,
        method=cert.method,
        reason=why,
        sup_bound=up if certified else None,
    )
