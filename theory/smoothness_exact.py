"""Exact certification for polynomial profiles (method ``'exact'``).

Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 (v2 numbering). A *profile* is a
one-dimensional polynomial ``p`` on a domain ``D`` (``R`` for a univariate
objective, ``[0, inf)`` for the radial profile ``phi(r)`` of ``f(x) = phi(||x||)``).
The Definition 1 quantities are

- the gradient norm ``g = |p'|``,
- the Hessian norm ``h = max_k |c_k|`` over the *curvature polynomials* ``c_k``
  (``[p'']`` in one dimension; ``[phi'', phi'/r]`` for a radial profile, where
  ``phi'/r`` is a polynomial because ``phi'(0) = 0``).

Every supremum below is a maximum over a finite candidate set, complete by the
following argument: a continuous function on a closed interval attains its
maximum at an endpoint, at a point where it is not differentiable (a zero of
``p'`` or of ``c_k``, where the absolute values have kinks) or at a critical point
of a smooth branch ``s_k c_k - L1 s_g p'`` (signs fixed), i.e. a real root of
``c_k' - L1 p''`` or ``c_k' + L1 p''``. All real roots are isolated *exactly* by
sympy (``Poly.intervals`` on exact rational coefficients); only the final
location inside each isolating interval is refined in floating point, which
moves the value by rounding error only (second order at critical points).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import sympy as sp
from scipy.optimize import brentq

__all__ = ["PolyProfile", "real_roots", "merge_intervals"]

Interval = tuple[float, float]


def merge_intervals(intervals: list[Interval], lo: float = -math.inf) -> list[Interval]:
    """Sort and merge overlapping closed intervals, clipping the left ends at ``lo``."""
    out: list[list[float]] = []
    for a, b in sorted((max(a, lo), b) for a, b in intervals):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _to_float(q) -> float:
    return float(sp.Rational(q))


def isolate(
    poly: sp.Poly, lo: float | None = None, hi: float | None = None
) -> list[tuple[sp.Rational, sp.Rational, float]]:
    """Exactly isolated real roots of ``poly`` in ``[lo, hi]``: ``(a, b, root)`` triples.

    ``a <= root <= b`` with rational ``a, b``: ``a == b`` is an exact rational root,
    otherwise the square-free part changes sign strictly on ``[a, b]`` and neither end is
    a root (isolation by ``sympy.Poly.intervals``, then exact sign tests);
    ``root`` is refined inside by Brent's method in double precision.
    A constant polynomial yields ``[]``.
    """
    if poly.is_zero or poly.degree() <= 0:
        return []
    kwargs = {}
    if lo is not None and math.isfinite(lo):
        kwargs["inf"] = sp.Rational(lo)
    if hi is not None and math.isfinite(hi):
        kwargs["sup"] = sp.Rational(hi)
    sqf = poly.sqf_part()
    coeffs = [float(c) for c in sqf.all_coeffs()]

    def ev(t: float) -> float:
        return float(np.polyval(coeffs, t))

    out = []
    for a, b in sorted((sp.Rational(a), sp.Rational(b)) for (a, b), _m in sqf.intervals(**kwargs)):
        if a == b:
            out.append((a, b, float(a)))
            continue
        own_end = [t for t in (a, b) if sqf.eval(t) == 0]
        if own_end and sqf.count_roots(a, b) == len(own_end) == 1:
            # the interval's only root is an end point (e.g. x0 itself on f = f(x0))
            out.append((own_end[0], own_end[0], float(own_end[0])))
            continue
        lo_q, hi_q = _bracket(sqf, a, b)
        if lo_q == hi_q:
            out.append((lo_q, hi_q, float(lo_q)))
            continue
        fa, fb = float(lo_q), float(hi_q)
        va, vb = ev(fa), ev(fb)
        if va == 0 or vb == 0:  # within rounding of the root (the ends are not roots)
            root = fa if abs(va) <= abs(vb) else fb
        elif va * vb < 0:
            root = brentq(ev, fa, fb, xtol=1e-300, rtol=1e-15, maxiter=2000, disp=False)
        else:  # rounding hides the sign change: shrink the bracket exactly first
            lo_q, hi_q = _shrink(sqf, lo_q, hi_q)
            root = float((lo_q + hi_q) / 2)
        out.append((lo_q, hi_q, root))
    return out


def _shrink(sqf: sp.Poly, lo: sp.Rational, hi: sp.Rational) -> tuple[sp.Rational, sp.Rational]:
    """Exact bisection of a sign-change bracket down to about 2**-55 relative width."""
    s_lo = sp.sign(sqf.eval(lo))
    tol = sp.Rational(1, 2**55) * max(1, abs(lo), abs(hi))
    while hi - lo > tol:
        mid = (lo + hi) / 2
        s_mid = sp.sign(sqf.eval(mid))
        if s_mid == 0:
            return mid, mid
        if s_mid == s_lo:
            lo = mid
        else:
            hi = mid
    return lo, hi


def _bracket(sqf: sp.Poly, a: sp.Rational, b: sp.Rational) -> tuple[sp.Rational, sp.Rational]:
    """Rational ``lo <= hi`` with a strict sign change of ``sqf`` on ``[lo, hi]`` enclosing the
    unique root of the isolating interval ``(a, b)`` (whose ends may be other roots);
    ``lo == hi`` when that root is found exactly."""
    while True:
        pts = [a + (b - a) * sp.Rational(k, 16) for k in range(17)]
        signs = [sp.sign(sqf.eval(t)) for t in pts]
        for t, s in zip(pts[1:-1], signs[1:-1]):
            if s == 0:
                return t, t
        nz = [(t, s) for t, s in zip(pts, signs) if s != 0]
        for (t1, s1), (t2, s2) in zip(nz[:-1], nz[1:]):
            if s1 != s2:
                return t1, t2
        if signs[0] == 0 and signs[-1] == 0:  # pragma: no cover - both ends are roots
            a, b = pts[1], pts[-2]
        elif signs[0] == 0:
            b = pts[1]
        else:
            a = pts[-2]


def real_roots(poly: sp.Poly, lo: float | None = None, hi: float | None = None) -> list[float]:
    """Real roots of ``poly`` in ``[lo, hi]`` as floats (see :func:`isolate`)."""
    return [t for _, _, t in isolate(poly, lo, hi)]


@dataclass(frozen=True, eq=False)
class PolyProfile:
    """A polynomial profile with its gradient and curvature polynomials.

    Parameters
    ----------
    p
        The profile (a ``sympy.Poly`` over QQ).
    radial
        ``False``: a univariate objective on ``R`` with ``h = |p''|``.
        ``True``: a radial profile on ``[0, inf)`` in dimension ``dim`` with
        ``h = max(|p''|, |p'/r|)`` (only ``|p''|`` when ``dim == 1``).
    """

    p: sp.Poly
    radial: bool = False
    dim: int = 1

    @cached_property
    def d1(self) -> sp.Poly:
        return self.p.diff()

    @cached_property
    def d2(self) -> sp.Poly:
        return self.d1.diff()

    @cached_property
    def curvatures(self) -> list[sp.Poly]:
        if self.radial and self.dim > 1:
            q, rem = self.d1.div(sp.Poly([1, 0], self.p.gen, domain="QQ"))
            assert rem.is_zero  # p'(0) = 0 is checked by the caller
            return [self.d2, q]
        return [self.d2]

    @cached_property
    def _np(self) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        def c(poly):
            return np.array([float(v) for v in poly.all_coeffs()])

        return c(self.p), c(self.d1), [c(k) for k in self.curvatures]

    @property
    def domain_lo(self) -> float:
        return 0.0 if self.radial else -math.inf

    # --- numerical evaluation (double precision) ------------------------------------
    def value(self, t: float) -> float:
        return float(np.polyval(self._np[0], t))

    def grad(self, t: float) -> float:
        return abs(float(np.polyval(self._np[1], t)))

    def hess(self, t: float) -> float:
        return max(abs(float(np.polyval(c, t))) for c in self._np[2])

    # --- Assumption 1 ------------------------------------------------------------------
    def bounded_below(self) -> bool:
        n = self.p.degree()
        if n <= 0:
            return True
        if self.radial:
            return self.p.LC() > 0
        return n % 2 == 0 and self.p.LC() > 0

    def infimum(self) -> tuple[float, float]:
        """f* = min of p over the domain and a minimizer (assumes bounded below)."""
        cands = real_roots(self.d1, lo=self.domain_lo)
        if self.radial:
            cands.append(0.0)
        if not cands:  # constant
            cands = [0.0]
        vals = [self.value(t) for t in cands]
        i = int(np.argmin(vals))
        return vals[i], cands[i]

    # --- sublevel set --------------------------------------------------------------------
    def sublevel(self, level: sp.Rational) -> list[Interval]:
        """{t in domain : p(t) <= level} as closed intervals (exact root isolation).

        The sign of ``p - level`` between consecutive roots is decided exactly at a
        rational probe point lying strictly between their isolating intervals.
        """
        q = self.p - sp.Poly(level, self.p.gen, domain="QQ")
        lo = self.domain_lo
        if q.is_zero:
            return [(lo, math.inf)]
        iso = isolate(q, lo=lo)
        out: list[Interval] = []
        lefts = [(sp.Rational(lo) if self.radial else None, lo)] + [(b, t) for _, b, t in iso]
        rights = [(a, t) for a, _, t in iso] + [(None, math.inf)]
        for (lq, lt), (rq, rt) in zip(lefts, rights):
            if lq is None and rq is None:
                probe = sp.Integer(0)
            elif lq is None:
                probe = rq - 1
            elif rq is None:
                probe = lq + 1
            elif lq < rq:
                probe = (lq + rq) / 2
            elif q.eval(lq) != 0:  # touching isolating intervals: the shared end is no root
                probe = lq
            else:  # empty piece (a root at the domain end)
                continue
            if q.eval(probe) <= 0:
                out.append((lt, rt))
        for _, _, t in iso:  # isolated touching points (double roots)
            if not any(a <= t <= b for a, b in out):
                out.append((t, t))
        return merge_intervals(out, lo)

    # --- suprema -------------------------------------------------------------------------
    def _candidates(self, intervals: list[Interval], polys: list[sp.Poly]) -> list[float]:
        cands: list[float] = []
        for a, b in intervals:
            cands.extend(t for t in (a, b) if math.isfinite(t))
            for poly in polys:
                cands.extend(real_roots(poly, lo=a, hi=b))
        return cands

    def sup_grad(self, intervals: list[Interval]) -> tuple[float, float]:
        """M = max over the intervals of |p'| (candidates: endpoints, roots of p'')."""
        if any(not math.isfinite(b) for _, b in intervals) and self.d1.degree() > 0:
            return math.inf, math.inf
        cands = self._candidates(intervals, [self.d2]) or [0.0]
        vals = [self.grad(t) for t in cands]
        i = int(np.argmax(vals))
        return vals[i], cands[i]

    def frontier(self, intervals: list[Interval], L1: float) -> tuple[float, float]:
        """max over the intervals of h(t) - L1 g(t) and a maximizer (before the ^+)."""
        l1 = sp.Rational(L1)
        unbounded = any(not math.isfinite(b) for _, b in intervals)
        if unbounded and self.p.degree() > 2 and L1 == 0:  # h -> inf along the set
            return math.inf, math.inf
        # for L1 > 0 and degree >= 2, h - L1 g -> -inf at infinity: the candidates decide
        polys = [self.d1]
        for c in self.curvatures:
            dc = c.diff()
            polys += [dc - l1 * self.d2, dc + l1 * self.d2]
        cands = self._candidates(intervals, polys) or [intervals[0][0] if intervals else 0.0]
        cands = [t for t in cands if math.isfinite(t)] or [0.0]
        vals = [self.hess(t) - L1 * self.grad(t) for t in cands]
        i = int(np.argmax(vals))
        return vals[i], cands[i]
