"""Certified constants of an objective: f*, Δ, S0, S, M, L and the (L0, L1) frontier.

Zhang, He, Sra, Jadbabaie, "Why Gradient Clipping Accelerates Training", arXiv
1905.11881 (v2 = ICLR 2020 numbering). The paper's bounds are formulas in the
constants of

- Assumption 1: ``f >= f* > -inf``; ``Δ = f(x0) - f*``;
- Assumption 2: f twice differentiable (checked on S);
- Assumption 3 / Definition 1: ``||∇²f(x)|| <= L0 + L1 ||∇f(x)||`` on
  ``S = {x : dist(x, S0) <= radius}``, ``S0 = {x : f(x) <= f(x0)}`` (radius 1 in the
  paper, footnote 1). For each L1 the smallest valid L0 is the *frontier*
  ``L0*(L1) = sup_S (||∇²f|| - L1 ||∇f||)^+``, convex and non-increasing in L1;
  ``L = L0*(0)`` is the classic smoothness constant on S;
- Assumption 4: ``M = sup_{S0} ||∇f||``.

How each number was obtained is always stated in :attr:`Certificate.method`:
``'exact'`` (polynomial profiles, exact real-root isolation: see
:mod:`theory.smoothness_exact`), ``'rigorous'`` (interval branch and bound, an upper
bound for every supremum: :mod:`theory.smoothness_interval`) or ``'numerical'``
(sampling plus local search, not certified: :mod:`theory.smoothness_numerical`).
Univariate and radial objectives ``f(x) = phi(||x||)`` reduce to one-dimensional
profiles (``||∇²f|| = max(|phi''(r)|, |phi'(r)|/r)``, ``||∇f|| = |phi'(r)|``);
separable sums combine their coordinates' certificates.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import sympy as sp
from sympy.calculus.util import continuous_domain

from synthetic.objective import Objective, objective_from_expr

from . import budget as _budget
from .smoothness_exact import PolyProfile, merge_intervals
from .smoothness_interval import IntervalProfile, NotCertifiable
from .smoothness_numerical import NumericalProblem
from .tails import limit_at

__all__ = ["Certificate", "certify", "DEFAULT_L1_GRID"]

#: Default L1 values of :attr:`Certificate.frontier_table`: 0 and a half-decade grid.
DEFAULT_L1_GRID: tuple[float, ...] = (0.0,) + tuple(float(v) for v in np.logspace(-3, 3, 13))

_R = sp.Symbol("r", positive=True)


def _num(v: float):
    """JSON form of a float: ``"inf"`` / ``"-inf"`` for infinities, ``None`` for NaN."""
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


@dataclass(frozen=True)
class Certificate:
    """The constants of one objective and start, with how they were obtained.

    Attributes
    ----------
    expression, dim, x0, radius
        The objective, its dimension, the start and the radius of S.
    f_star, delta
        ``f*`` (Assumption 1; a certified lower bound unless ``method == 'numerical'``)
        and ``Δ = f(x0) - f*``.
    sublevel
        S0. One dimension: a tuple of closed ``(lo, hi)`` intervals (``±inf`` allowed).
        Radial: ``("ball", center, R)`` for ``S0 = {||x - center|| <= R}``, or
        ``("shells", center, ((r_lo, r_hi), ...))`` for a union of shells. Separable:
        ``("box", (intervals of x1, intervals of x2, ...))``, a product containing S0.
        Numerical: ``("ball", center, R)``, an estimate of a ball containing S0.
    neighbourhood
        S described the same way (the radii or intervals enlarged by ``radius``).
    M, M_reason
        ``sup_{S0} ||∇f||`` (Assumption 4), ``math.inf`` when unbounded, and why.
    L, L_witness
        ``sup_S ||∇²f||`` and a point attaining it.
    global_class, global_reason
        Whether some finite (L0, L1) holds on all of R^d, and the reason.
    method
        ``'exact'``, ``'rigorous'`` or ``'numerical'``.
    notes
        Further remarks (looseness of a combination, fall-backs).
    estimated
        The names of the numbers that are estimates, not bounds (method ``'numerical'``).
    """

    expression: str
    dim: int
    x0: tuple[float, ...]
    radius: float
    f_star: float
    delta: float
    sublevel: object
    neighbourhood: object
    M: float
    M_reason: str
    L: float
    L_witness: tuple[float, ...]
    global_class: bool
    global_reason: str
    method: str
    notes: str = ""
    estimated: tuple[str, ...] = ()
    _frontier: Callable[[float], tuple[float, tuple[float, ...]]] = field(
        default=None, repr=False, compare=False
    )
    _memo: dict = field(default_factory=dict, repr=False, compare=False)
    _estimate: Callable[[float], float] | None = field(default=None, repr=False, compare=False)

    def L0_estimate(self, L1: float) -> float:
        """A fast, uncertified approximation of ``L0(L1)`` for searching over ``L1``.

        The max of ``||∇²f|| - L1 ||∇f||`` over a fixed grid of S (one dimension and
        radial profiles); elsewhere the certified value itself. Never use it as a
        constant in a bound: choose ``L1`` with it, then take :meth:`L0` there.
        """
        if self._estimate is None:
            return self.L0(L1)
        return max(0.0, self._estimate(float(L1)))

    def _eval(self, L1: float) -> tuple[float, tuple[float, ...]]:
        L1 = float(L1)
        if not (L1 >= 0 and math.isfinite(L1)):
            raise ValueError(f"L1 must be a finite number >= 0, got {L1}")
        if L1 not in self._memo:
            value, wit = self._frontier(L1)
            self._memo[L1] = (max(0.0, value), tuple(float(w) for w in wit))
        return self._memo[L1]

    def L0(self, L1: float) -> float:
        """The frontier ``L0*(L1) = sup_S (||∇²f|| - L1 ||∇f||)^+`` (memoized).

        Definition 1 / Assumption 3 of arXiv 1905.11881 v2 hold on S with (L0*(L1), L1)
        and with no smaller L0 (up to the method's tolerance).
        """
        return self._eval(L1)[0]

    def witness(self, L1: float) -> tuple[float, ...]:
        """A point of S where the supremum defining ``L0*(L1)`` is attained."""
        return self._eval(L1)[1]

    @cached_property
    def frontier_table(self) -> tuple[tuple[float, float, tuple[float, ...]], ...]:
        """``(L1, L0*(L1), witness)`` over :data:`DEFAULT_L1_GRID`."""
        return tuple((l1, self.L0(l1), self.witness(l1)) for l1 in DEFAULT_L1_GRID)

    def to_json(self, L1: float = 1.0) -> dict:
        """A JSON-serialisable dict; infinities are written as the string ``"inf"``.

        Keys: expression, dim, x0, radius, f_star, delta, sublevel, neighbourhood, M,
        M_reason, L, L_witness, L1 (the requested value), L0 (= L0*(L1)), witness,
        frontier ([[L1, L0], ...] over the default grid), global_class, global_reason,
        method, notes, paper.
        """

        def conv(obj):
            if isinstance(obj, (tuple, list)):
                return [conv(o) for o in obj]
            if isinstance(obj, (float, np.floating)):
                return _num(float(obj))
            return obj

        return {
            "expression": self.expression,
            "dim": self.dim,
            "x0": conv(self.x0),
            "radius": self.radius,
            "f_star": _num(self.f_star),
            "delta": _num(self.delta),
            "sublevel": conv(self.sublevel),
            "neighbourhood": conv(self.neighbourhood),
            "M": _num(self.M),
            "M_reason": self.M_reason,
            "L": _num(self.L),
            "L_witness": conv(self.L_witness),
            "L1": float(L1),
            "L0": _num(self.L0(L1)),
            "witness": conv(self.witness(L1)),
            "frontier": [[l1, _num(l0)] for l1, l0, _ in self.frontier_table],
            "global_class": bool(self.global_class),
            "global_reason": self.global_reason,
            "method": self.method,
            "notes": self.notes,
            "estimated": list(self.estimated),
            "paper": "arXiv 1905.11881 v2: Definition 1, Assumptions 1-4",
        }

    def _repr_markdown_(self) -> str:
        """A LaTeX table, for Jupyter (:func:`theory.notebook.certificate_markdown`)."""
        from .notebook import certificate_markdown

        return certificate_markdown(self)


# ----------------------------------------------------------------------------------------
# input validation
# ----------------------------------------------------------------------------------------
def _check_inputs(obj: Objective, x0, radius) -> tuple[np.ndarray, float]:
    try:
        radius = float(radius)
    except (TypeError, ValueError):
        raise ValueError(f"radius must be a positive finite number, got {radius!r}") from None
    if not (radius > 0 and math.isfinite(radius)):
        raise ValueError(f"radius must be a positive finite number, got {radius}")
    try:
        x = np.atleast_1d(np.asarray(x0, dtype=float)).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"x0 must be a number or a sequence of numbers, got {x0!r}") from None
    if x.size != obj.dim:
        raise ValueError(
            f"x0 has {x.size} coordinates but the objective has dimension {obj.dim}; "
            f"give {obj.dim} comma-separated values for {', '.join(map(str, obj.variables))}"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError(f"x0 must be finite, got {tuple(x)}")
    subs = {v: sp.Rational(float(t)) for v, t in zip(obj.variables, x)}
    for what, e in [("f", obj.expr)] + [("∇f", sp.diff(obj.expr, v)) for v in obj.variables]:
        val = sp.N(e.xreplace(subs), 20)
        if not (val.is_real and val.is_finite):
            raise ValueError(
                f"{what} is not finite at x0 = {tuple(x)} (value {val}); choose x0 "
                "where f and its gradient are finite"
            )
    return x, radius


def _unbounded_below(how: str = "") -> ValueError:
    return ValueError(
        f"f is unbounded below{': ' + how if how else ''}, so Assumption 1 (f >= f* > -inf) "
        "fails; use a function that is bounded below"
    )


def _side(side) -> str:
    return "+inf" if side == sp.oo else "-inf"


def _check_tails(expr: sp.Expr, var: sp.Symbol, sides) -> dict:
    """Limits of f at the ends of its domain; raises (one line) where f runs to -inf."""
    out = {}
    for side in sides:
        lim = limit_at(expr, var, side)
        out[side] = lim
        if lim == -sp.oo:
            raise _unbounded_below(f"f -> -inf as {var} -> {_side(side)}")
        if isinstance(lim, sp.AccumBounds) and lim.min == -sp.oo:
            raise _unbounded_below(f"f takes arbitrarily negative values as {var} -> {_side(side)}")
    return out


def _poly_unbounded_reason(p: sp.Poly) -> str:
    n, lc = p.degree(), p.LC()
    if n % 2 == 1:
        return f"f -> -inf as x -> {'-inf' if lc > 0 else '+inf'} (odd degree {n})"
    return "f -> -inf as x -> ±inf (negative leading coefficient)"


def _period(expr: sp.Expr, var: sp.Symbol) -> float | None:
    """A period of ``expr`` (sympy's periodicity) when it has trigonometric terms, else None."""
    if not expr.has(sp.sin, sp.cos, sp.tan):
        return None
    try:
        per = sp.periodicity(expr, var)
    except Exception:  # noqa: BLE001 - sympy raises many kinds; None means not periodic
        return None
    if per is None or not (per.is_positive and per.is_finite):
        return None
    return float(sp.N(per, 30))


# ----------------------------------------------------------------------------------------
# structure detection
# ----------------------------------------------------------------------------------------
def _radial_profile(obj: Objective) -> sp.Expr | None:
    """phi(r) with f(x) = phi(||x||) when this can be proved symbolically, else None."""
    if obj.radial is not None:
        from synthetic.objective import R

        return obj.radial.phi.xreplace({R: _R})
    vs = obj.variables
    phi = obj.expr.xreplace({v: (_R if i == 0 else 0) for i, v in enumerate(vs)})
    if phi.has(sp.Piecewise) or not phi.has(_R):
        return None
    back = phi.xreplace({_R: sp.sqrt(sum(v**2 for v in vs))})
    diff = obj.expr - back
    try:
        if sp.expand(diff) == 0:
            return phi
        if obj.expr.is_polynomial(*vs):  # expand decides polynomials; simplify is slow
            return None
        if sp.simplify(diff) == 0:
            return phi
    except Exception:  # pragma: no cover - sympy failure
        return None
    return None


def _poly_qq(expr: sp.Expr, var: sp.Symbol) -> sp.Poly | None:
    try:
        p = sp.Poly(expr, var)
    except sp.PolynomialError:
        return None
    if p.get_domain() not in (sp.ZZ, sp.QQ):
        return None
    return p.set_domain(sp.QQ)


def _components(obj: Objective) -> list[sp.Expr] | None:
    """The one-dimensional terms of a separable sum (one per variable), or None."""
    if obj.dim < 2:
        return None
    if obj.components is not None:
        return [c.expr for c in obj.components]
    terms = sp.Add.make_args(sp.expand(obj.expr) if obj.expr.is_polynomial() else obj.expr)
    parts = {v: sp.Integer(0) for v in obj.variables}
    const = sp.Integer(0)
    for t in terms:
        fs = t.free_symbols & set(obj.variables)
        if len(fs) > 1:
            return None
        if not fs:
            const += t
        else:
            parts[fs.pop()] += t
    parts[obj.variables[0]] += const
    return [parts[v] for v in obj.variables]


# ----------------------------------------------------------------------------------------
# one-dimensional profiles
# ----------------------------------------------------------------------------------------
@dataclass
class _ProfileResult:
    f_star: float
    argmin: float
    level: float
    S0: list
    S: list
    M: float
    M_t: float
    frontier: Callable[[float], tuple[float, float]]
    method: str
    global_class: bool
    global_reason: str
    M_unbounded_reason: str = ""
    period: float | None = None


def _global_1d(expr: sp.Expr, var: sp.Symbol, sides, poly: bool) -> tuple[bool, str]:
    if poly:
        return True, (
            "polynomial profile: |f''|/|f'| -> 0 at infinity, so finite (L0, L1) hold "
            "globally (Lemma 2)"
        )
    d1 = sp.diff(expr, var)
    d2 = sp.diff(d1, var)
    reasons = []
    for side in sides:
        try:
            lim_h = sp.limit(d2, var, side)
            if lim_h.is_finite:
                reasons.append(f"f'' -> {lim_h} as x -> {side}")
                continue
            lim = sp.limit(d2 / d1, var, side)
        except Exception:  # pragma: no cover - sympy failure
            return False, f"undetermined: sympy could not take the limit at {side}"
        if lim.is_finite:
            reasons.append(f"f''/f' -> {lim} as x -> {side}")
        elif lim in (sp.oo, -sp.oo):
            return False, (
                f"f''/f' -> {lim} as x -> {side} while f'' is unbounded: no finite (L0, L1) "
                "holds on all of R"
            )
        else:
            return False, f"undetermined: the limit of f''/f' as x -> {side} is {lim}"
    return True, "; ".join(reasons) + ": finite (L0, L1) hold globally"


def _profile(
    expr: sp.Expr,
    var: sp.Symbol,
    t0: float | None,
    level: float | None,
    radius: float,
    radial: bool,
    dim: int,
) -> _ProfileResult:
    """Certify a one-dimensional profile at start t0 (or at a given level)."""
    p = _poly_qq(expr, var)
    sides = (sp.oo,) if radial else (sp.oo, -sp.oo)
    period = None
    if p is not None:
        prof = PolyProfile(p, radial=radial, dim=dim)
        if not prof.bounded_below():
            raise _unbounded_below(_poly_unbounded_reason(p))
        f_star, argmin = prof.infimum()
        if t0 is None and level is None:  # global: S0 = S = the domain
            lev = None
        else:
            lev = p.eval(sp.Rational(t0)) if level is None else sp.Rational(level)
        method = "exact"
    else:
        period = None if radial else _period(expr, var)
        prof = IntervalProfile(expr, var, radial=radial, dim=dim)
        if not radial:
            _check_domain(expr, var)
        if period is None:
            _check_tails(expr, var, sides)
        one = (0.0, period) if period is not None else None
        try:
            f_star, argmin = prof.infimum(on=one)
        except NotCertifiable:
            raise ValueError(_no_lower_bound_reason(expr, var)) from None
        if t0 is None and level is None:
            lev = None
        else:
            lev = prof.value(t0) if level is None else level
        method = "rigorous"
    if period is not None:
        return _periodic_profile(prof, expr, var, period, f_star, argmin, lev, radius, sides)
    if lev is None:
        S0 = [(prof.domain_lo, math.inf)]
    else:
        S0 = prof.sublevel(lev)
    S = merge_intervals([(a - radius, b + radius) for a, b in S0], prof.domain_lo)
    # Assumption 2 on S: smoothness at 0 of a radial profile, breakpoints of a Piecewise
    if radial and S[0][0] <= 0.0:
        d1_at0 = sp.limit(sp.diff(expr, var), var, 0, "+")
        if d1_at0 != 0:
            raise ValueError(
                "f is not differentiable at the origin, which lies in S (phi'(0) = "
                f"{d1_at0} != 0); Assumption 2 needs f twice differentiable on S"
            )
    if isinstance(prof, IntervalProfile):
        _check_breakpoints(prof, S)
    M, M_t = _sup_grad(prof, S0)
    if method == "exact":
        frontier = lambda L1: prof.frontier(S, L1)  # noqa: E731
    else:
        frontier = _safe_frontier(prof.partition(S))
    glob, reason = _global_1d(expr, var, sides, p is not None)
    level_f = float(f_star) if lev is None else float(lev)
    return _ProfileResult(
        float(f_star), float(argmin), level_f, S0, S, M, M_t, frontier, method, glob, reason
    )


def _no_lower_bound_reason(expr: sp.Expr, var: sp.Symbol) -> str:
    """A true one-line reason why no certified lower bound on f was found."""
    try:
        dom = continuous_domain(expr, var, sp.S.Reals)
    except Exception:  # noqa: BLE001 - sympy raises many kinds
        dom = None
    if dom is not None and dom != sp.S.Reals:
        return (
            f"f is not defined and continuous on all of R (its domain of continuity is {dom}); "
            "the lab certifies functions that are finite and twice differentiable on R"
        )
    return (
        "cannot certify that f is bounded below (Assumption 1): no enclosure of f on its "
        "tails gave a finite lower bound (f may still be bounded below)"
    )


def _check_domain(expr: sp.Expr, var: sp.Symbol) -> None:
    """Refuse (one line) a function that is not real and continuous on all of R."""
    if expr.has(sp.Piecewise):
        return
    try:
        dom = continuous_domain(expr, var, sp.S.Reals)
    except Exception:  # noqa: BLE001 - sympy raises many kinds; the enclosures decide then
        return
    if dom != sp.S.Reals:
        raise ValueError(
            f"f is not real and continuous on all of R (its domain of continuity is {dom}); "
            "the lab certifies functions that are finite and twice differentiable on R"
        )


def _sup_grad(prof, S0) -> tuple[float, float]:
    try:
        return prof.sup_grad(S0)
    except NotCertifiable:
        return math.inf, math.inf


def _safe_frontier(part):
    """The partition's frontier, with a tail it cannot bound reported as ``inf`` (no bound)."""

    def frontier(L1: float) -> tuple[float, float]:
        try:
            return part.frontier(L1)
        except NotCertifiable:
            return math.inf, math.inf

    return frontier


def _periodic_profile(prof, expr, var, period, f_star, argmin, lev, radius, sides):
    """A periodic profile: every supremum over S is one over S intersected with one period."""
    one = (0.0, period)
    if lev is None:
        S0p, Sp = [one], [one]
    else:
        S0p = prof.sublevel(lev, on=one)
        k = int(math.ceil(radius / period)) + 1
        grown = [
            (a - radius + j * period, b + radius + j * period)
            for a, b in S0p
            for j in range(-k, k + 1)
        ]
        Sp = [
            (max(a, 0.0), min(b, period))
            for a, b in merge_intervals(grown)
            if b >= 0.0 and a <= period
        ]
    M, M_t = _sup_grad(prof, S0p)
    frontier = _safe_frontier(prof.partition(Sp))
    glob = True
    reason = (
        f"periodic with period {period:.10g}: f' and f'' are bounded, so finite (L0, L1) "
        "hold globally (L1 = 0, L0 = sup |f''| over one period)"
    )
    level_f = float(f_star) if lev is None else float(lev)
    res = _ProfileResult(
        float(f_star), float(argmin), level_f, S0p, Sp, M, M_t, frontier, "rigorous", glob, reason
    )
    res.period = period
    return res


def _check_breakpoints(prof: IntervalProfile, S) -> None:
    """f, f', f'' must agree from both sides at every Piecewise breakpoint inside S."""
    for k, b in enumerate(prof.breakpoints):
        if not any(lo <= b <= hi for lo, hi in S):
            continue
        left, right = prof.branches[k].expr, prof.branches[k + 1].expr
        x = prof.var
        for order in range(3):
            vl = sp.N(sp.diff(left, x, order).subs(x, sp.Rational(b)), 30)
            vr = sp.N(sp.diff(right, x, order).subs(x, sp.Rational(b)), 30)
            if not (vl.is_finite and vr.is_finite) or abs(vl - vr) > 1e-12 * (1 + abs(vl)):
                raise ValueError(
                    f"f is not twice differentiable at x = {b:.6g}, which lies in S (the "
                    f"pieces' derivatives of order {order} differ: {float(vl):.6g} vs "
                    f"{float(vr):.6g}); Assumption 2 needs f twice differentiable on S"
                )


# ----------------------------------------------------------------------------------------
# certify
# ----------------------------------------------------------------------------------------
def certify(
    objective: Objective | str | sp.Expr,
    x0: float | Sequence[float] | None = None,
    radius: float = 1.0,
    budget: float | None = None,
) -> Certificate:
    """Certify f*, Δ, S0, S, M, L and the (L0, L1) frontier of ``objective`` at ``x0``.

    Without ``x0`` the certificate is *global*: S0 = S = R^d, ``M = sup ||∇f||`` over
    R^d, the frontier ``L0*(L1) = sup_{R^d} (||∇²f|| - L1 ||∇f||)^+`` (infinite where no
    finite L0 works with that L1) and ``delta`` is NaN (there is no start).

    Parameters
    ----------
    objective
        An :class:`synthetic.objective.Objective`, an expression string (parsed safely)
        or a sympy expression in ``x`` or ``x1..xd``.
    x0
        The start (a float in one dimension, else a sequence of ``dim`` floats).
    radius
        The radius of the neighbourhood ``S`` of ``S0`` (1 in arXiv 1905.11881 v2,
        Assumption 3, footnote 1).
    budget
        Seconds for the certificate (None: no limit). The loops stop at 70% of it with
        the bounds they have (valid, looser); a sympy step still running at the end is
        interrupted and a one-line ValueError says so.

    Returns
    -------
    Certificate
        See :class:`Certificate`. ``method`` says how the numbers were obtained.

    Raises
    ------
    ValueError
        (one line) for a bad radius or x0, f or ∇f not finite at x0, f unbounded below
        (Assumption 1) or not twice differentiable on S (Assumption 2), and when the budget
        ran out inside a step that cannot stop early.
    """
    try:
        with _budget.deadline(budget):
            return _certify(objective, x0, radius)
    except _budget.BudgetExceeded:
        if budget is None:  # an outer budget: its owner reports it
            raise
        raise ValueError(
            f"undecided: the time budget of {budget:g} s ran out inside a symbolic step "
            "(a limit or a simplification); nothing was certified; give a larger budget"
        ) from None


def _certify(objective, x0, radius) -> Certificate:
    obj = objective if isinstance(objective, Objective) else objective_from_expr(objective)
    if x0 is None:
        return _certify_global(obj, radius)
    x, radius = _check_inputs(obj, x0, radius)
    f0 = float(
        sp.N(obj.expr.xreplace({v: sp.Rational(float(t)) for v, t in zip(obj.variables, x)}), 30)
    )
    common = dict(
        expression=str(obj.expr), dim=obj.dim, x0=tuple(float(t) for t in x), radius=radius
    )

    phi = _radial_profile(obj)
    if phi is not None:
        return _certify_radial(obj, phi, x, radius, f0, common)
    if obj.dim == 1:
        var = obj.variables[0]
        res = _profile(obj.expr, var, float(x[0]), None, radius, False, 1)
        return _certificate_1d(res, common, f0, obj.expr, var)
    comps = _components(obj)
    if comps is not None:
        return _certify_separable(obj, comps, x, radius, f0, common)
    return _certify_numerical(obj, x, radius, f0, common)


def _certificate_1d(res: _ProfileResult, common: dict, f0: float, expr, var) -> Certificate:
    if math.isfinite(res.M):
        M_reason = "sup of |f'| over S0" + (" (one period)" if res.period else "")
    else:
        M_reason = "no finite bound on |f'| over S0 (S0 is unbounded and |f'| is not bounded)"
    if res.period is not None:
        sub = ("periodic", res.period, tuple(res.S0))
        nbh = ("periodic", res.period, tuple(res.S))
        note = (
            f"periodic: S0 and S are the translates by multiples of {res.period:.10g} of the "
            "intervals listed (within one period); the suprema over one period are those "
            "over S"
        )
    else:
        sub, nbh, note = tuple(res.S0), tuple(res.S), ""
        if any(math.isinf(t) for iv_ in res.S for t in iv_):
            note = (
                "S is unbounded: a supremum (M, L, L0) reported as inf means that no finite "
                "bound was established on the tail, not that one cannot exist"
            )
    return Certificate(
        **common,
        f_star=res.f_star,
        delta=max(0.0, f0 - res.f_star) if math.isfinite(f0) else math.nan,
        sublevel=sub,
        neighbourhood=nbh,
        M=res.M,
        M_reason=M_reason,
        L=max(0.0, res.frontier(0.0)[0]),
        L_witness=(res.frontier(0.0)[1],),
        global_class=res.global_class,
        global_reason=res.global_reason,
        method=res.method,
        notes=note,
        _frontier=lambda L1: (lambda v: (v[0], (v[1],)))(res.frontier(L1)),
        _estimate=_grid_estimator(expr, var, res.S, radial_dim=None),
    )


def _certify_global(obj: Objective, radius: float) -> Certificate:
    """The global certificate (no start): S0 = S = R^d."""
    common = dict(expression=str(obj.expr), dim=obj.dim, x0=(), radius=float(radius))
    nan = math.nan
    phi = _radial_profile(obj)
    if obj.dim == 1 or phi is not None:
        radial = obj.dim > 1
        var = _R if radial else obj.variables[0]
        res = _profile(phi if radial else obj.expr, var, None, None, 1.0, radial, obj.dim)
        if not radial:
            cert = _certificate_1d(res, common, nan, obj.expr, var)
            return dataclasses.replace(cert, global_reason=res.global_reason)
        u = np.eye(obj.dim)[0]
        L, Lt = res.frontier(0.0)
        return Certificate(
            **common,
            f_star=res.f_star,
            delta=nan,
            sublevel=("space", obj.dim),
            neighbourhood=("space", obj.dim),
            M=res.M,
            M_reason="sup of |phi'(r)| over r >= 0",
            L=max(0.0, L),
            L_witness=tuple(float(v) for v in Lt * u),
            global_class=res.global_class,
            global_reason="radial profile phi(r): " + res.global_reason.replace("x ->", "r ->"),
            method=res.method,
            notes="global (no start): sup over all of R^d; radial profile",
            _frontier=lambda L1: (lambda v: (v[0], tuple(float(t) for t in v[1] * u)))(
                res.frontier(L1)
            ),
        )
    comps = _components(obj)
    if comps is not None:
        return _certify_global_separable(obj, comps, common)
    raise ValueError(
        "the global mode (no --x0) is available for one-dimensional, radial and separable "
        f"objectives; this one has dimension {obj.dim} and is none of these: give a start x0"
    )


def _certify_global_separable(obj: Objective, comps, common: dict) -> Certificate:
    """Separable sum on R^d: ``||∇²f|| = max_i |f_i''|`` and ``||∇f|| >= |f_i'|``, so
    ``sup (||∇²f|| - L1 ||∇f||) <= max_i sup_R (|f_i''| - L1 |f_i'|)`` (an upper bound,
    attained where the other coordinates have ``f_j' = 0``)."""
    x1 = sp.Symbol("x", real=True)
    exprs = [c.xreplace({v: x1}) for c, v in zip(comps, obj.variables)]
    results = [_profile(e, x1, None, None, 1.0, False, 1) for e in exprs]
    argmins = [r.argmin for r in results]

    frontier = _separable_frontier(results, argmins)

    L, Lw = frontier(0.0)
    exact = all(r.method == "exact" for r in results)
    return Certificate(
        **common,
        f_star=sum(r.f_star for r in results),
        delta=math.nan,
        sublevel=("space", obj.dim),
        neighbourhood=("space", obj.dim),
        M=math.sqrt(sum(r.M**2 for r in results)),
        M_reason="upper bound sqrt(sum_i sup_R |f_i'|^2) over R^d",
        L=max(0.0, L),
        L_witness=Lw,
        global_class=all(r.global_class for r in results),
        global_reason="separable sum: " + " | ".join(r.global_reason for r in results),
        method="exact" if exact else "rigorous",
        notes="global (no start), separable sum: max over the coordinates' global frontiers",
        _frontier=frontier,
    )


def _certify_radial(obj, phi, x, radius, f0, common) -> Certificate:
    r0 = float(np.linalg.norm(x))
    res = _profile(phi, _R, r0, None, radius, True, obj.dim)
    u = x / r0 if r0 > 0 else np.eye(obj.dim)[0]
    center = tuple(0.0 for _ in range(obj.dim))

    def pt(t):
        return tuple(float(v) for v in t * u)

    def describe(iv):
        if obj.dim == 1:  # an even function of x: intervals symmetric about 0
            sym = [(-b, -a) for a, b in iv] + list(iv)
            return tuple(merge_intervals(sym))
        if len(iv) == 1 and iv[0][0] <= 0.0:
            return ("ball", center, iv[0][1])
        return ("shells", center, tuple(iv))

    M_reason = (
        "sup of |phi'(r)| over the radii of S0"
        if math.isfinite(res.M)
        else "S0 is unbounded and ||∇f|| is unbounded on it"
    )
    L, Lt = res.frontier(0.0)
    return Certificate(
        **common,
        f_star=res.f_star,
        delta=max(0.0, f0 - res.f_star),
        sublevel=describe(res.S0),
        neighbourhood=describe(res.S),
        M=res.M,
        M_reason=M_reason,
        L=max(0.0, L),
        L_witness=pt(Lt),
        global_class=res.global_class,
        global_reason="radial profile phi(r): " + res.global_reason.replace("x ->", "r ->"),
        method=res.method,
        notes="radial: ||∇²f|| = max(|phi''|, |phi'|/r), ||∇f|| = |phi'|",
        _frontier=lambda L1: (lambda v: (v[0], pt(v[1])))(res.frontier(L1)),
        _estimate=_grid_estimator(phi, _R, res.S, radial_dim=obj.dim),
    )


def _grid_estimator(expr, var, intervals, radial_dim, points: int = 4097):
    """``L1 -> max over a grid of S of (||∇²f|| - L1 ||∇f||)``; None if S is unbounded.

    One dimension: ``|f''|`` and ``|f'|``; a radial profile in ``radial_dim`` dimensions:
    ``max(|phi''|, |phi'|/r)`` and ``|phi'|``. Used only to search over L1.
    """
    bounded = [(a, b) for a, b in intervals if math.isfinite(a) and math.isfinite(b)]
    if not bounded or len(bounded) != len(intervals):
        return None
    d1, d2 = sp.diff(expr, var), sp.diff(expr, var, 2)
    try:
        g_fn, h_fn = (sp.lambdify(var, e, modules="numpy") for e in (d1, d2))
        t = np.concatenate([np.linspace(a, b, points) for a, b in bounded])
        with np.errstate(all="ignore"):
            g = np.abs(np.broadcast_to(np.asarray(g_fn(t), dtype=float), t.shape))
            h = np.abs(np.broadcast_to(np.asarray(h_fn(t), dtype=float), t.shape))
            if radial_dim is not None and radial_dim > 1:
                h = np.maximum(h, np.where(t > 0, g / np.where(t > 0, t, 1.0), h))
    except (TypeError, ValueError, NameError):  # pragma: no cover - unusual expressions
        return None
    ok = np.isfinite(g) & np.isfinite(h)
    if not ok.any():
        return None
    g, h = g[ok], h[ok]
    return lambda L1: float(np.max(h - L1 * g))


def _separable_frontier(results, argmins):
    """``L1 -> (max_i sup (|f_i''| - L1 |f_i'|), witness)``, the other coordinates at their
    minimizers."""

    def frontier(L1):
        best, wit = -math.inf, None
        for i, r in enumerate(results):
            v, t = r.frontier(L1)
            if v > best:
                w = list(argmins)
                w[i] = t
                best, wit = v, tuple(w)
        return best, wit

    return frontier


def _certify_separable(obj, comps, x, radius, f0, common) -> Certificate:
    x1 = sp.Symbol("x", real=True)
    exprs = [c.xreplace({v: x1}) for c, v in zip(comps, obj.variables)]
    # first pass: the infima of the coordinates
    results = []
    f_stars = []
    for e, t in zip(exprs, x):
        res = _profile(e, x1, float(t), None, radius, False, 1)
        f_stars.append(res.f_star)
    f_star = sum(f_stars)
    delta = max(0.0, f0 - f_star)
    for e, fs in zip(exprs, f_stars):
        results.append(_profile(e, x1, None, fs + delta, radius, False, 1))
    argmins = [r.argmin for r in results]

    frontier = _separable_frontier(results, argmins)

    L, Lw = frontier(0.0)
    M = math.sqrt(sum(r.M**2 for r in results))
    exact = all(r.method == "exact" for r in results)
    return Certificate(
        **common,
        f_star=f_star,
        delta=delta,
        sublevel=("box", tuple(tuple(r.S0) for r in results)),
        neighbourhood=("box", tuple(tuple(r.S) for r in results)),
        M=M,
        M_reason=(
            "upper bound sqrt(sum M_i^2) from the coordinates' sublevel sets "
            "{f_i <= f_i* + Δ} (loose: their product contains S0)"
        ),
        L=max(0.0, L),
        L_witness=Lw,
        global_class=all(r.global_class for r in results),
        global_reason="separable sum: " + " | ".join(r.global_reason for r in results),
        method="exact" if exact else "rigorous",
        notes=(
            "separable sum: sup_S(||∇²f|| - L1||∇f||) <= max_i sup(|f_i''| - L1|f_i'|) over "
            "{f_i <= f_i* + Δ} + radius; attained at the witness (other coordinates at "
            "their minimizers), so not loose when the minima are attained"
        ),
        _frontier=frontier,
    )


def _certify_numerical(obj, x, radius, f0, common) -> Certificate:
    prob = NumericalProblem(obj.expr, obj.variables, x, radius)
    f_star, xmin = prob.minimize()
    pts, reach, unbounded = prob.sample(xmin)
    g, h = prob.evaluate(pts)
    level = f0
    in_s0 = np.array([prob.f(p) <= level for p in pts])
    M = float(np.max(g[in_s0])) if in_s0.any() else 0.0
    # local refinement for the default grid: Nelder-Mead on -(h - L1 g), kept within reach
    pool_pts, pool_g, pool_h = list(pts), list(g), list(h)
    limit = reach + radius
    from scipy.optimize import minimize as _min

    for L1 in DEFAULT_L1_GRID:
        if _budget.expired():
            _budget.mark_loose()
            break
        k = int(np.argmax(h - L1 * g))

        def neg(z, L1=L1):
            if np.linalg.norm(z - xmin) > limit:
                return 1e300
            return -(prob.hnorm(z) - L1 * np.linalg.norm(prob.g(z)))

        res = _min(
            neg,
            pts[k],
            method="Nelder-Mead",
            options={"maxiter": 200 * obj.dim, "xatol": 1e-10, "fatol": 1e-12},
        )
        z = res.x
        if np.linalg.norm(z - xmin) <= limit and _near_s0(prob, z, pts[in_s0], level, radius):
            pool_pts.append(z)
            pool_g.append(float(np.linalg.norm(prob.g(z))))
            pool_h.append(prob.hnorm(z))
    P, G, H = np.array(pool_pts), np.array(pool_g), np.array(pool_h)

    def frontier(L1):
        vals = H - L1 * G
        i = int(np.argmax(vals))
        return float(vals[i]), tuple(float(v) for v in P[i])

    L, Lw = frontier(0.0)
    center = tuple(float(v) for v in xmin)
    return Certificate(
        **common,
        f_star=f_star,
        delta=max(0.0, f0 - f_star),
        sublevel=("ball", center, math.inf if unbounded else reach),
        neighbourhood=("ball", center, math.inf if unbounded else reach + radius),
        # the largest sampled value: a supremum the samples support, never a bound
        M=M,
        M_reason=(
            f"ESTIMATE, not a bound: the largest ||∇f|| over {int(in_s0.sum())} samples of S0"
            + (" (S0 appears unbounded: sampled along rays up to 1e7)" if unbounded else "")
        ),
        estimated=("f_star", "delta", "M", "L", "L0", "sublevel", "neighbourhood"),
        L=max(0.0, L),
        L_witness=Lw,
        global_class=False,
        global_reason="undetermined: general d-dimensional function (not decided)",
        method="numerical",
        notes="numerical: sampled along rays plus local search; a lower estimate, NOT certified",
        _frontier=frontier,
    )


def _near_s0(prob, z, s0_pts, level, radius) -> bool:
    if prob.f(z) <= level:
        return True
    if len(s0_pts) == 0:
        return False
    return bool(np.min(np.linalg.norm(s0_pts - z, axis=1)) <= radius)
