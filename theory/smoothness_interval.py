"""Rigorous certification of non-polynomial profiles by interval branch and bound.

Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 (v2 numbering). Method ``'rigorous'``:
every reported supremum is an *upper bound* obtained from interval enclosures
(``mpmath.iv``, outward rounding) of the profile and its derivatives over a partition
of the set, refined by bisection until it is within a relative tolerance of the best
value found at a sample point (the witness). Infima (f*) are certified lower bounds.
Sublevel sets are outer approximations (boundary boxes of width below ``1e-10``
relative are counted in), which keeps every supremum over them an upper bound.

Unbounded sets are handled with boxes that have an infinite end, enclosed by
:class:`theory.tails.TailEnclosure` (natural extension, the change of variable
``x = 1/u`` for rational pieces, eventual monotonicity with exact limits). A Piecewise
profile is split at its breakpoints; each piece is handled with its own smooth branch.
Every loop polls the time budget (:mod:`theory.budget`) and stops with the bound it
has, which stays valid (only looser).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import flint
import mpmath
import numpy as np
import sympy as sp

from . import budget as _budget
from .enclosures import ARB_NS, arb_bounds, arb_box, for_arb
from .tails import TailEnclosure

__all__ = ["IntervalProfile", "NotCertifiable"]

Interval = tuple[float, float]
_MAX_BOXES = 4000
_REL_TOL = 1e-9
_FAR = 1e60
#: Boundary boxes of a sublevel set narrower than this (relative) are counted in: near
#: a flat minimum rounding cannot decide f <= level, and S0 is an outer approximation.
_SUBLEVEL_WIDTH = 1e-10


class NotCertifiable(Exception):
    """The interval method cannot enclose the profile (used to fall back)."""


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


@dataclass(eq=False)
class _Branch:
    lo: float
    hi: float
    expr: sp.Expr
    funcs: dict = field(default_factory=dict)
    tails: dict = field(default_factory=dict)

    def tail(self, k: int, a: float, b: float) -> tuple[float, float]:
        """Enclosure of the k-th expression (f, f', curvatures...) on an unbounded box."""
        if k not in self.tails:
            self.tails[k] = TailEnclosure(self.funcs["exprs"][k], self.funcs["var"])
        return self.tails[k].enclose(a, b)


def _unbounded(a: float, b: float) -> bool:
    return math.isinf(a) or math.isinf(b)


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
            d1 = _combine(sp.diff(e, self.var))
            d2 = _combine(sp.diff(d1, self.var))
            curv = [d2]
            if self.radial and self.dim > 1:
                curv.append(sp.cancel(sp.together(d1 / self.var)))
            br = _Branch(a, b, e)
            x = self.var
            br.funcs["pt"] = sp.lambdify(x, [e, d1] + curv, modules="mpmath")
            br.funcs["arb"] = sp.lambdify(
                x, [for_arb(v) for v in [e, d1] + curv], modules=[ARB_NS, "mpmath"]
            )
            # the third derivative only serves the monotonicity test of f'' on a box
            br.funcs["arb3"] = sp.lambdify(x, for_arb(sp.diff(d2, x)), modules=[ARB_NS, "mpmath"])
            br.funcs["sym"] = (d1, curv)
            br.funcs["exprs"] = [e, d1] + curv
            br.funcs["var"] = x
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

    def _pt_fast(self, t: float) -> tuple[float, float]:
        """(|f'|, h) at a point from 53-bit balls (midpoints): witness values only."""
        try:
            vals = self._branch(t).funcs["arb"](arb_box(t, t))
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            return math.nan, math.nan
        mids = [(lo + hi) / 2 for lo, hi in (arb_bounds(v) for v in vals[1:])]
        return abs(mids[0]), max(abs(v) for v in mids[1:])

    def value(self, t: float) -> float:
        return self._pt(t)[0]

    def grad(self, t: float) -> float:
        return self._pt(t)[1]

    def hess(self, t: float) -> float:
        return self._pt(t)[2]

    def _box(self, br: _Branch, a: float, b: float):
        """Enclosures (f_lo, f_hi), (g_lo, g_hi), (h_lo, h_hi) on [a, b] within a branch."""
        encs = self._encs(br, a, b)
        absd = [(max(0.0, lo, -hi), max(abs(lo), abs(hi))) for lo, hi in encs[1:]]
        h = (max(v[0] for v in absd[1:]), max(v[1] for v in absd[1:]))
        return encs[0], absd[0], h

    def _encs(self, br: _Branch, a: float, b: float) -> list[tuple[float, float]]:
        """Enclosures of f, f' and the curvatures on [a, b] (tail rules on unbounded boxes)."""
        n = len(br.funcs["exprs"])
        if _unbounded(a, b):
            return [br.tail(k, a, b) for k in range(n)]
        fn = br.funcs["arb"]
        try:
            encs = [arb_bounds(v) for v in fn(arb_box(a, b))]
            if a == b:
                return encs
            # monotonicity test: where the next derivative keeps its sign on the box, the
            # quantity lies between its values at the two ends (tight on wide boxes)
            nxt = encs[1:3] + [arb_bounds(br.funcs["arb3"](arb_box(a, b)))]
            ends = None
            for k in range(3):
                dlo, dhi = nxt[k]
                if dlo >= 0 or dhi <= 0:
                    if ends is None:
                        ends = [[arb_bounds(v) for v in fn(arb_box(t, t))] for t in (a, b)]
                    lo = min(ends[0][k][0], ends[1][k][0])
                    hi = max(ends[0][k][1], ends[1][k][1])
                    encs[k] = (max(encs[k][0], lo), min(encs[k][1], hi))
            return encs
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            return [(-math.inf, math.inf)] * n

    def defined(self, t: float) -> bool:
        """Whether f, f' and the curvatures are finite real numbers at t (as balls)."""
        try:
            vals = self._branch(t).funcs["arb"](arb_box(t, t))
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            return False
        return all(flint.arb(v).is_finite() for v in vals)

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
        if _unbounded(a, b):
            return br.tail(0, a, b)
        try:
            fx, dx = br.funcs["arb"](arb_box(a, b))[:2]
            lo, hi = arb_bounds(fx)
            m = 0.5 * (a + b)
            fm = br.funcs["arb"](arb_box(m, m))[0]
            mlo, mhi = arb_bounds(fm + dx * arb_box(a - m, b - m))
            lo, hi = max(lo, mlo), min(hi, mhi)
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            return -math.inf, math.inf
        return lo, hi

    def infimum(self, on: Interval | None = None) -> tuple[float, float]:
        """A certified lower bound on f* and the best point found."""
        best_val, best_t = math.inf, 0.0
        heap = []
        for br, a, b in self._boxes([on or (self.domain_lo, math.inf)]):
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
            if _budget.expired():
                _budget.mark_loose()
                m = None
            if m is None or count > _MAX_BOXES:
                if flo == -math.inf:
                    raise NotCertifiable("no finite lower bound on a tail")
                done_lo = min(done_lo, flo)
                if _budget.expired():
                    break
                continue
            for lo, hi in ((a, m), (m, b)):
                heapq.heappush(heap, (self._f_box(br, lo, hi)[0], lo, hi, id(br), br))
        lower = min([done_lo] + [h[0] for h in heap])
        if not math.isfinite(lower):
            raise NotCertifiable("no finite lower bound")
        return min(lower, best_val), best_t

    # --- sublevel set ---------------------------------------------------------------------------
    def sublevel(self, level: float, on: Interval | None = None) -> list[Interval]:
        """An outer approximation of {t : f(t) <= level} as closed intervals."""
        from .smoothness_exact import merge_intervals

        stack = list(self._boxes([on or (self.domain_lo, math.inf)]))
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
            narrow = not _unbounded(a, b) and (b - a) <= _SUBLEVEL_WIDTH * max(1.0, abs(a), abs(b))
            if m is None or narrow or count > 5 * _MAX_BOXES or _budget.expired():
                # undecided boundary box (or out of budget): counted in, S0 stays outer
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


def _combine(e: sp.Expr) -> sp.Expr:
    """One fraction when that cancels terms (e.g. ``h - g`` of ``log(1 + e^-x)`` is
    ``-e^{-2x} / (1 + e^-x)^2``, enclosed below 0 instead of around it); hyperbolic
    functions are also tried through exp (``cosh x - sinh x`` is ``e^-x``, which interval
    arithmetic encloses without the cancellation of two numbers near ``e^x/2``); else ``e``.
    """
    limit = 2 * sp.count_ops(e) + 4
    c = _cancelled(e)
    best = c if c is not None and sp.count_ops(c) <= limit else e
    if e.has(sp.sinh, sp.cosh, sp.tanh):
        r = e.rewrite(sp.exp)
        for cand in (r, _cancelled(r)):
            if cand is not None and sp.count_ops(cand) < sp.count_ops(best):
                best = cand
    return best


def _cancelled(e: sp.Expr) -> sp.Expr | None:
    try:
        return sp.cancel(sp.together(e))
    except Exception:  # noqa: BLE001 - sympy raises many kinds; the plain form still works
        return None


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
        # the finite ends of the set are sample points too (suprema often sit there)
        self.anchors = []
        for t in sorted({t for iv_ in intervals for t in iv_ if math.isfinite(t)}):
            g, h = prof._pt_fast(t)
            if math.isfinite(g) and math.isfinite(h):
                self.anchors.append((t, g, h))

    def _add(self, br, a, b) -> None:
        prof = self.prof
        encs = prof._encs(br, a, b)[1:]
        signs = tuple(1 if lo >= 0 else (-1 if hi <= 0 else 0) for lo, hi in encs)
        absd = [(max(0.0, lo, -hi), max(abs(lo), abs(hi))) for lo, hi in encs]
        glo, ghi = absd[0]
        hlo, hhi = max(v[0] for v in absd[1:]), max(v[1] for v in absd[1:])
        t = _probe(a, b)
        g, h = prof._pt_fast(t)
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
                e = _combine(s * c - sp.Rational(L1) * signs[0] * d1)
                exprs += [e, sp.diff(e, x)]
            self._branch_fns[key] = sp.lambdify(
                x, [for_arb(e) for e in exprs], modules=[ARB_NS, "mpmath"]
            )
            self._branch_fns[key + ("tail",)] = [TailEnclosure(e, x) for e in exprs[::2]]
        return self._branch_fns[key]

    def _upper(self, bx, L1: float | None) -> float:
        if L1 is None:  # sup of g
            return bx[4]
        natural = bx[6] - L1 * bx[3]
        if math.isnan(natural):
            natural = math.inf
        signs = bx[10]
        if 0 in signs or natural == -math.inf:
            return natural
        memo = bx[11]
        if L1 in memo:
            return memo[L1]
        br, a, b = bx[0], bx[1], bx[2]
        try:
            fn = self._branch_fn(br, L1, signs)
            if _unbounded(a, b):
                tails = self._branch_fns[(id(br), L1, signs, "tail")]
                value = min(natural, max(t.enclose(a, b)[1] for t in tails))
                memo[L1] = value
                return value
            vals = fn(arb_box(a, b))
            best = -math.inf
            finite = math.isfinite(a) and math.isfinite(b)
            if finite:
                m = 0.5 * (a + b)
                mids = fn(arb_box(m, m))
            ends = None
            for k in range(0, len(vals), 2):
                up = arb_bounds(vals[k])[1]
                if finite:
                    up = min(up, arb_bounds(mids[k] + vals[k + 1] * arb_box(a - m, b - m))[1])
                    dlo, dhi = arb_bounds(vals[k + 1])
                    if dlo >= 0 or dhi <= 0:  # monotone on the box: the larger end value
                        if ends is None:
                            ends = (fn(arb_box(a, a)), fn(arb_box(b, b)))
                        up = min(up, max(arb_bounds(ends[0][k])[1], arb_bounds(ends[1][k])[1]))
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

        def anchor(t_g_h):
            return t_g_h[1] if L1 is None else t_g_h[2] - L1 * t_g_h[1]

        best_anchor = max(self.anchors, key=anchor, default=None)
        start = self.count
        while True:
            lows = [point(bx) for bx in self.boxes]
            best = max(lows + ([anchor(best_anchor)] if best_anchor else []))
            tol = _REL_TOL * max(1.0, abs(best))
            active = [k for k, bx in enumerate(self.boxes) if self._upper(bx, L1) > best + tol]
            if not active or self.count - start > budget:
                break
            if _budget.expired():
                _budget.mark_loose()
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
            for t in (a, 0.5 * (a + b), b):
                if abs(t) < 1e300 and not self.prof.defined(t):
                    raise ValueError(
                        f"f is not twice differentiable at {t:.6g} (f, f' or f'' is not "
                        "finite there), which lies in S; Assumption 2 needs f twice "
                        "differentiable on S"
                    )
            raise NotCertifiable("the enclosures diverge on an unbounded tail")
        # the bound is the largest box bound (rigorous); a sampled value above it differs
        # from it only by the rounding of the point evaluation
        i = int(np.argmax(lows))
        if best_anchor is not None and anchor(best_anchor) > lows[i]:
            return ups[j], best_anchor[0]
        return ups[j], self.boxes[i][7]

    def frontier(self, L1: float) -> tuple[float, float]:
        return self.sup(float(L1))
