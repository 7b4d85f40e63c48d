"""Rigorous certification of non-polynomial profiles by interval branch and bound.

Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 (v2 numbering). Method ``'rigorous'``:
every reported supremum is an *upper bound* obtained from interval enclosures
(``mpmath.iv``, outward rounding) of the profile and its derivatives over a partition
of the set, refined by bisection until it is within a relative tolerance of the best
value found at a sample point (the witness). Infima (f*) are certified lower bounds.
Sublevel sets are outer approximations (boundary boxes of width below ``1e-12``
relative are counted in), which keeps every supremum over them an upper bound.

Unbounded sets are handled with boxes that have an infinite end (interval arithmetic
of ``exp``, ``log``, ... on ``[-inf, a]`` is well defined). A Piecewise profile is
split at its breakpoints; each piece is handled with its own smooth branch.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import mpmath
import numpy as np
import sympy as sp
from mpmath import iv

__all__ = ["IntervalProfile", "NotCertifiable"]

Interval = tuple[float, float]
_MAX_BOXES = 4000
_REL_TOL = 1e-9
_FAR = 1e60


class NotCertifiable(Exception):
    """The interval method cannot enclose the profile (used to fall back)."""


def _iv_monotone(fun):
    def wrapped(x):
        x = iv.mpf(x)
        a, b = fun(mpmath.mpf(x.a)), fun(mpmath.mpf(x.b))
        eps = 1e-15 * max(abs(a), abs(b)) + 1e-300
        return iv.mpf([a - eps, b + eps])

    return wrapped


_IV_NS = {
    "exp": iv.exp,
    "log": iv.log,
    "sqrt": iv.sqrt,
    "sin": iv.sin,
    "cos": iv.cos,
    "tan": iv.tan,
    "atan": _iv_monotone(mpmath.atan),
    "erf": _iv_monotone(mpmath.erf),
    "mpf": iv.mpf,
    "pi": iv.pi,
    "E": iv.e,
}


def _prepare(expr: sp.Expr) -> sp.Expr:
    """Rewrite hyperbolic functions through exp (mpmath.iv lacks them)."""
    return expr.rewrite(sp.exp) if expr.has(sp.sinh, sp.cosh, sp.tanh) else expr


def _piecewise_parts(
    expr: sp.Expr, var: sp.Symbol, lo: float
) -> list[tuple[float, float, sp.Expr]]:
    """Split a (possibly Piecewise) expression into smooth branches on consecutive intervals."""
    expr = (
        sp.piecewise_fold(expr.rewrite(sp.Piecewise))
        if expr.has(sp.Abs, sp.Max, sp.Min, sp.sign, sp.Heaviside, sp.Piecewise)
        else expr
    )
    if not isinstance(expr, sp.Piecewise):
        return [(lo, math.inf, expr)]
    points: set[float] = set()
    for _, cond in expr.args:
        for rel in cond.atoms(sp.core.relational.Relational):
            try:
                sols = sp.solveset(rel.lhs - rel.rhs, var, domain=sp.S.Reals)
            except Exception as exc:  # pragma: no cover - sympy failure
                raise NotCertifiable(f"cannot locate the breakpoints of {cond}") from exc
            if not isinstance(sols, sp.FiniteSet):
                raise NotCertifiable(f"cannot locate the breakpoints of {cond}")
            points.update(float(s) for s in sols if s.is_real)
    cuts = sorted(t for t in points if t > lo)
    edges = [lo] + cuts + [math.inf]
    parts = []
    for a, b in zip(edges[:-1], edges[1:]):
        if math.isinf(a):
            probe = b - 1.0
        elif math.isinf(b):
            probe = a + 1.0
        else:
            probe = 0.5 * (a + b)
        branch = expr.subs(var, sp.Rational(probe))
        chosen = None
        for e, cond in expr.args:
            if bool(cond.subs(var, sp.Rational(probe))):
                chosen = e
                break
        if chosen is None or branch is sp.nan:
            raise NotCertifiable("the Piecewise expression is not defined everywhere")
        parts.append((a, b, chosen))
    return parts


def _split(a: float, b: float) -> float | None:
    """A split point of [a, b] (None when the box cannot be split further)."""
    if math.isinf(a) and math.isinf(b):
        return 0.0
    if math.isinf(b):
        return None if a > _FAR else a + max(1.0, abs(a))
    if math.isinf(a):
        return None if b < -_FAR else b - max(1.0, abs(b))
    m = 0.5 * (a + b)
    if not a < m < b or (b - a) <= 1e-13 * max(1.0, abs(a), abs(b)):
        return None
    return m


def _probe(a: float, b: float) -> float:
    if math.isinf(a) and math.isinf(b):
        return 0.0
    if math.isinf(b):
        return a + max(1.0, abs(a))
    if math.isinf(a):
        return b - max(1.0, abs(b))
    return 0.5 * (a + b)


def _bounds(x) -> tuple[float, float]:
    try:
        lo, hi = float(x.a), float(x.b)
    except AttributeError:
        lo = hi = float(x)
    if math.isnan(lo) or math.isnan(hi):
        return -math.inf, math.inf
    return lo, hi


@dataclass(eq=False)
class _Branch:
    lo: float
    hi: float
    expr: sp.Expr
    funcs: dict = field(default_factory=dict)


@dataclass(eq=False)
class IntervalProfile:
    """A smooth (piecewise) profile with interval and point evaluators.

    Parameters
    ----------
    expr, var
        The profile expression in ``var``.
    radial, dim
        As for :class:`theory.smoothness_exact.PolyProfile`: the Hessian norm is
        ``|f''|`` in one dimension and ``max(|phi''|, |phi'/r|)`` for a radial profile
        in ``dim >= 2`` (``phi'/r`` simplified symbolically first).
    """

    expr: sp.Expr
    var: sp.Symbol
    radial: bool = False
    dim: int = 1

    def __post_init__(self) -> None:
        self.domain_lo = 0.0 if self.radial else -math.inf
        self.branches: list[_Branch] = []
        for a, b, e in _piecewise_parts(self.expr, self.var, self.domain_lo):
            e = _prepare(e)
            d1 = sp.diff(e, self.var)
            d2 = sp.diff(d1, self.var)
            curv = [d2]
            if self.radial and self.dim > 1:
                curv.append(sp.cancel(sp.together(d1 / self.var)))
            br = _Branch(a, b, e)
            x = self.var
            br.funcs["iv"] = sp.lambdify(x, [e, d1] + curv, modules=[_IV_NS, "mpmath"])
            br.funcs["f_iv"] = sp.lambdify(x, [e, d1], modules=[_IV_NS, "mpmath"])
            br.funcs["pt"] = sp.lambdify(x, [e, d1] + curv, modules="mpmath")
            br.funcs["sym"] = (d1, curv)
            self.branches.append(br)
        self.breakpoints = [br.lo for br in self.branches[1:]]

    # --- evaluation ----------------------------------------------------------------------
    def _branch(self, t: float) -> _Branch:
        for br in self.branches:
            if br.lo <= t <= br.hi:
                return br
        return self.branches[-1]

    def _pt(self, t: float) -> tuple[float, float, float]:
        """(f, |f'|, h) at a point, in 30-digit arithmetic rounded to floats."""
        with mpmath.workdps(30):
            try:
                vals = self._branch(t).funcs["pt"](mpmath.mpf(t))
                f, g = float(mpmath.re(vals[0])), abs(float(mpmath.re(vals[1])))
                h = max(abs(float(mpmath.re(v))) for v in vals[2:])
            except (ZeroDivisionError, ValueError, OverflowError):
                return math.nan, math.nan, math.nan
        return f, g, h

    def value(self, t: float) -> float:
        return self._pt(t)[0]

    def grad(self, t: float) -> float:
        return self._pt(t)[1]

    def hess(self, t: float) -> float:
        return self._pt(t)[2]

    def _box(self, br: _Branch, a: float, b: float):
        """Enclosures (f_lo, f_hi), (g_lo, g_hi), (h_lo, h_hi) on [a, b] within a branch."""
        try:
            vals = br.funcs["iv"](iv.mpf([a, b]))
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            inf = (-math.inf, math.inf)
            return inf, (0.0, math.inf), (0.0, math.inf)
        f = _bounds(vals[0])
        g = _bounds(abs(vals[1]))
        hs = [_bounds(abs(v)) for v in vals[2:]]
        h = (max(lo for lo, _ in hs), max(hi for _, hi in hs))
        return f, (max(0.0, g[0]), g[1]), (max(0.0, h[0]), h[1])

    def _boxes(self, intervals: list[Interval]):
        """Initial boxes: the intervals cut at the branch ends."""
        out = []
        for a, b in intervals:
            for br in self.branches:
                lo, hi = max(a, br.lo), min(b, br.hi)
                if lo <= hi:
                    out.append((br, lo, hi))
        return out

    # --- Assumption 1 ----------------------------------------------------------------------
    def _f_box(self, br: _Branch, a: float, b: float) -> tuple[float, float]:
        """An enclosure of f on [a, b]: natural and mean-value enclosures intersected."""
        try:
            fx, dx = br.funcs["f_iv"](iv.mpf([a, b]))
            lo, hi = _bounds(fx)
            if math.isfinite(a) and math.isfinite(b):
                m = 0.5 * (a + b)
                fm = br.funcs["f_iv"](iv.mpf(m))[0]
                mlo, mhi = _bounds(fm + dx * iv.mpf([a - m, b - m]))
                lo, hi = max(lo, mlo), min(hi, mhi)
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            return -math.inf, math.inf
        return lo, hi

    def infimum(self) -> tuple[float, float]:
        """A certified lower bound on f* and the best point found."""
        best_val, best_t = math.inf, 0.0
        heap = []
        for br, a, b in self._boxes([(self.domain_lo, math.inf)]):
            heapq.heappush(heap, (self._f_box(br, a, b)[0], a, b, id(br), br))
        done_lo = math.inf
        count = 0
        while heap:
            flo, a, b, _, br = heapq.heappop(heap)
            t = _probe(a, b)
            fv = self.value(t)
            if fv < best_val:
                best_val, best_t = fv, t
            if flo >= best_val - _REL_TOL * max(1.0, abs(best_val)):
                done_lo = min(done_lo, flo)
                break
            m = _split(a, b)
            count += 1
            if m is None or count > _MAX_BOXES:
                if flo == -math.inf:
                    raise NotCertifiable("no finite lower bound on a tail")
                done_lo = min(done_lo, flo)
                continue
            for lo, hi in ((a, m), (m, b)):
                heapq.heappush(heap, (self._f_box(br, lo, hi)[0], lo, hi, id(br), br))
        lower = min([done_lo] + [h[0] for h in heap])
        if not math.isfinite(lower):
            raise NotCertifiable("no finite lower bound")
        return min(lower, best_val), best_t

    # --- sublevel set ---------------------------------------------------------------------------
    def sublevel(self, level: float) -> list[Interval]:
        """An outer approximation of {t : f(t) <= level} as closed intervals."""
        from .smoothness_exact import merge_intervals

        stack = list(self._boxes([(self.domain_lo, math.inf)]))
        inside: list[Interval] = []
        count = 0
        while stack:
            br, a, b = stack.pop()
            flo, fhi = self._f_box(br, a, b)
            if flo > level:
                continue
            if fhi <= level:
                inside.append((a, b))
                continue
            m = _split(a, b)
            count += 1
            if m is None or count > 5 * _MAX_BOXES:
                inside.append((a, b))
                continue
            stack += [(br, a, m), (br, m, b)]
        return merge_intervals(inside, self.domain_lo)

    # --- suprema -------------------------------------------------------------------------------
    def sup_grad(self, intervals: list[Interval]) -> tuple[float, float]:
        """A certified upper bound on sup |f'| over the intervals, and the best point."""
        return Partition(self, intervals).sup(None)

    def partition(self, intervals: list[Interval]) -> Partition:
        return Partition(self, intervals)


class Partition:
    """A partition of a set into boxes with enclosures of ``g = |f'|`` and ``h``.

    Shared by all values of L1. A box's upper bound for ``h - L1 g`` is the natural one,
    ``h_hi - L1 g_lo``; where the signs of ``f'`` and of the curvatures are constant on
    the box, the smooth branch ``s_k c_k - L1 s f'`` (simplified symbolically for the
    given L1, so that e.g. ``e^x - 1*e^x`` cancels to 0) is enclosed directly and by its
    mean-value form, and the smallest of the bounds is used.
    """

    def __init__(self, prof: IntervalProfile, intervals: list[Interval]):
        self.prof = prof
        self.boxes: list[list] = []  # [branch, a, b, glo, ghi, hlo, hhi, t, g, h, signs]
        self.count = 0
        self._branch_fns: dict = {}
        for br, a, b in prof._boxes(intervals):
            self._add(br, a, b)

    def _add(self, br, a, b) -> None:
        prof = self.prof
        try:
            vals = br.funcs["iv"](iv.mpf([a, b]))
            encs = [_bounds(v) for v in vals[1:]]
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            encs = [(-math.inf, math.inf)] * (len(br.funcs["sym"][1]) + 1)
        signs = tuple(1 if lo > 0 else (-1 if hi < 0 else 0) for lo, hi in encs)
        absd = [(max(0.0, lo, -hi), max(abs(lo), abs(hi))) for lo, hi in encs]
        glo, ghi = absd[0]
        hlo, hhi = max(v[0] for v in absd[1:]), max(v[1] for v in absd[1:])
        t = _probe(a, b)
        _, g, h = prof._pt(t)
        if not (math.isfinite(g) and math.isfinite(h)):
            g, h = 0.0, 0.0
        self.boxes.append([br, a, b, glo, ghi, hlo, hhi, t, g, h, signs, {}])
        self.count += 1

    def _branch_fn(self, br, L1: float, signs: tuple):
        key = (id(br), L1, signs)
        if key not in self._branch_fns:
            x = self.prof.var
            d1, curv = br.funcs["sym"]
            exprs = []
            for s, c in zip(signs[1:], curv):
                e = s * c - sp.Rational(L1) * signs[0] * d1
                exprs += [e, sp.diff(e, x)]
            self._branch_fns[key] = sp.lambdify(x, exprs, modules=[_IV_NS, "mpmath"])
        return self._branch_fns[key]

    def _upper(self, bx, L1: float | None) -> float:
        if L1 is None:  # sup of g
            return bx[4]
        natural = bx[6] - L1 * bx[3]
        signs = bx[10]
        if 0 in signs or natural == -math.inf:
            return natural
        memo = bx[11]
        if L1 in memo:
            return memo[L1]
        br, a, b = bx[0], bx[1], bx[2]
        try:
            fn = self._branch_fn(br, L1, signs)
            vals = fn(iv.mpf([a, b]))
            best = -math.inf
            finite = math.isfinite(a) and math.isfinite(b)
            if finite:
                m = 0.5 * (a + b)
                mids = fn(iv.mpf(m))
            for k in range(0, len(vals), 2):
                up = _bounds(vals[k])[1]
                if finite:
                    up = min(up, _bounds(mids[k] + vals[k + 1] * iv.mpf([a - m, b - m]))[1])
                best = max(best, up)
            value = min(natural, best)
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            value = natural
        memo[L1] = value
        return value

    def sup(self, L1: float | None, budget: int = _MAX_BOXES) -> tuple[float, float]:
        """Upper bound on sup of ``h - L1 g`` (or of ``g`` when L1 is None), and a witness.

        Boxes whose bound exceeds the best sampled value by more than the tolerance
        are bisected until none is left or the budget of new boxes is spent.
        """

        def point(bx):
            return bx[8] if L1 is None else bx[9] - L1 * bx[8]

        start = self.count
        while True:
            lows = [point(bx) for bx in self.boxes]
            best = max(lows)
            tol = _REL_TOL * max(1.0, abs(best))
            active = [k for k, bx in enumerate(self.boxes) if self._upper(bx, L1) > best + tol]
            if not active or self.count - start > budget:
                break
            act = set(active)
            keep = [bx for k, bx in enumerate(self.boxes) if k not in act]
            new = []
            for k in active:
                br, a, b = self.boxes[k][:3]
                m = _split(a, b)
                if m is None:
                    keep.append(self.boxes[k])
                else:
                    new += [(br, a, m), (br, m, b)]
            self.boxes = keep
            if not new:
                break
            for br, a, b in new:
                self._add(br, a, b)
        ups = [self._upper(bx, L1) for bx in self.boxes]
        lows = [point(bx) for bx in self.boxes]
        j = int(np.argmax(ups))
        if not math.isfinite(ups[j]):
            a, b = self.boxes[j][1:3]
            if math.isfinite(a) and math.isfinite(b):
                raise ValueError(
                    f"the function is not twice differentiable (or not finite) on S near "
                    f"x = {0.5 * (a + b):.6g}; Assumption 2 needs f twice differentiable on S"
                )
            raise NotCertifiable("the enclosures diverge on an unbounded tail")
        i = int(np.argmax(lows))
        return max(ups[j], lows[i]), self.boxes[i][7]

    def frontier(self, L1: float) -> tuple[float, float]:
        return self.sup(float(L1))
