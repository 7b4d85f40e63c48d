"""Rigorous enclosures of a one-dimensional expression on an unbounded interval.

Interval arithmetic on ``[a, inf]`` cannot cancel ``e^{2x}`` against ``-3x`` (it gives
``inf - inf``), nor ``x^2`` against ``1 + x^2``. :class:`TailEnclosure` combines, and
intersects, three enclosures of ``q`` on ``[a, inf]`` or ``[-inf, b]``:

1. the natural interval extension (``mpmath.iv``, outward rounding);
2. for a rational ``q``, the compactifying change of variable ``x = 1/u`` (the
   cancelled rational function of ``u`` is enclosed on ``[0, 1/a]``);
3. eventual monotonicity: when an enclosure of ``q'`` on the tail has a constant sign,
   ``q`` is monotone there, so it lies between its value at the finite end and its
   limit at infinity (computed exactly by sympy). The enclosure of ``q'`` uses the same
   three rules, to a fixed depth, so ``e^{2x} - 3x`` is handled through ``q'' > 0``.
   The sign of ``q'`` is also read from its *sign part*: ``q'`` with the factors that
   sympy proves nonnegative for real x dropped (``e^{...}``, even powers, ``cosh``,
   positive constants). ``(x^2 + 2x) e^x`` has no finite enclosure on ``(-inf, b]``
   (``inf * 0``), while its sign part ``x (x + 2)`` is positive there for ``b < -2``.

Each rule is an argument about the whole tail, not a sample, so the result is an
enclosure. Where no rule gives a finite bound, that bound is infinite and the caller
either splits the tail further or says that the tail could not be bounded.
"""

from __future__ import annotations

import math

import sympy as sp
from mpmath import iv

from .enclosures import IV_NS, interval_bounds

__all__ = ["TailEnclosure", "limit_at"]


def limit_at(expr: sp.Expr, var: sp.Symbol, side) -> sp.Expr | None:
    """The sympy limit of ``expr`` as ``var -> side`` (``±oo``), or None if sympy fails."""
    try:
        return sp.limit(expr, var, side)
    except Exception:  # noqa: BLE001 - sympy raises many kinds; the caller treats None as unknown
        return None


def _limit_float(lim) -> float | None:
    """A float enclosure end of a limit: ``±inf``, a finite value, or None (unknown)."""
    if lim is None:
        return None
    if lim == sp.oo:
        return math.inf
    if lim == -sp.oo:
        return -math.inf
    if lim.is_real and lim.is_finite:
        return float(sp.N(lim, 30))
    return None


#: sympy's ``simplify`` is tried only on expressions with at most this many operations and
#: rational coefficients of at most this height: it can run for minutes otherwise (a glued
#: piece whose float coefficients became rationals such as 5764607523034235/2**58, which
#: ``logcombine`` turns into powers it then tries to evaluate).
SIMPLIFY_MAX_OPS = 40
SIMPLIFY_MAX_HEIGHT = 10**6


def _small(q: sp.Expr) -> bool:
    if sp.count_ops(q) > SIMPLIFY_MAX_OPS:
        return False
    return all(
        abs(r.p) <= SIMPLIFY_MAX_HEIGHT and r.q <= SIMPLIFY_MAX_HEIGHT for r in q.atoms(sp.Rational)
    )


def _other_forms(q: sp.Expr) -> list[sp.Expr]:
    """Other forms of ``q`` whose natural enclosures may cancel what ``q``'s cannot: one
    fraction with hyperbolic functions through exp (cheap), and sympy's ``simplify`` for
    small expressions."""
    forms = []
    e = q.rewrite(sp.exp) if q.has(sp.sinh, sp.cosh, sp.tanh) else q
    try:
        forms.append(sp.cancel(sp.together(e)))
    except Exception:  # noqa: BLE001 - sympy raises many kinds; the plain form still works
        pass
    if _small(q):
        forms.append(sp.simplify(q))
    unique = []
    for form in forms:
        if form != q and form not in unique:
            unique.append(form)
    return unique


def sign_part(q: sp.Expr) -> sp.Expr:
    """``q`` without its factors that are nonnegative for every real value of the variable.

    Where the dropped factors are positive the result has the sign of ``q``; where one of
    them vanishes ``q`` is 0. So a weak sign (>= 0 or <= 0) of the result on an interval
    is a weak sign of ``q`` there.
    """
    try:
        form = sp.factor(q) if _small(q) else sp.factor_terms(q)
    except Exception:  # noqa: BLE001 - sympy raises many kinds; q itself is a valid answer
        return q
    kept = [f for f in sp.Mul.make_args(form) if f.is_nonnegative is not True]
    return sp.Mul(*kept)


class TailEnclosure:
    """Enclosures of ``q(var)`` on unbounded intervals (see the module docstring).

    Parameters
    ----------
    q, var
        The expression and its variable.
    depth
        How many derivatives the monotonicity rule may use.
    """

    def __init__(self, q: sp.Expr, var: sp.Symbol, depth: int = 2):
        self.q, self.var, self.depth = q, var, depth
        self._nat = sp.lambdify(var, q, modules=[IV_NS, "mpmath"])
        self._inv = None
        if q.is_rational_function(var):
            u = sp.Dummy("u")
            self._inv = sp.lambdify(u, sp.cancel(sp.together(q.subs(var, 1 / u))), [IV_NS])
        self._deriv: TailEnclosure | None = None
        self._sign: TailEnclosure | None | bool = None
        self._simple = None
        self._limits: dict = {}

    def _natural(self, a: float, b: float) -> tuple[float, float]:
        try:
            return interval_bounds(self._nat(iv.mpf([a, b])))
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            return -math.inf, math.inf

    def point(self, t: float) -> tuple[float, float]:
        """An enclosure of ``q(t)``."""
        return self._natural(t, t)

    def limit(self, side) -> float | None:
        if side not in self._limits:
            self._limits[side] = _limit_float(limit_at(self.q, self.var, side))
        return self._limits[side]

    def enclose(self, a: float, b: float) -> tuple[float, float]:
        """An enclosure ``(lo, hi)`` of ``q`` on ``[a, b]`` (either end may be infinite)."""
        lo, hi = self._natural(a, b)
        if math.isfinite(lo) and math.isfinite(hi):
            return lo, hi
        if self._simple is None:  # another form of q often cancels what this one cannot
            self._simple = [
                sp.lambdify(self.var, form, [IV_NS, "mpmath"]) for form in _other_forms(self.q)
            ]
        for other in self._simple:
            try:
                slo, shi = interval_bounds(other(iv.mpf([a, b])))
                lo, hi = max(lo, slo), min(hi, shi)
            except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                pass
        if self._inv is not None and (a > 0 or b < 0):
            ua, ub = (0.0, 1.0 / a) if a > 0 else (1.0 / b, 0.0)
            try:
                ilo, ihi = interval_bounds(self._inv(iv.mpf([ua, ub])))
                lo, hi = max(lo, ilo), min(hi, ihi)
            except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                pass
        finite_a, finite_b = math.isfinite(a), math.isfinite(b)
        if (math.isfinite(lo) and math.isfinite(hi)) or self.depth == 0 or finite_a == finite_b:
            return lo, hi
        if self._deriv is None:
            self._deriv = TailEnclosure(sp.diff(self.q, self.var), self.var, self.depth - 1)
        dlo, dhi = self._deriv.enclose(a, b)
        if not (dlo >= 0 or dhi <= 0):
            dlo, dhi = self._deriv.sign_enclose(a, b)
        if dlo >= 0 or dhi <= 0:
            increasing = dlo >= 0
            end = a if finite_a else b
            side = sp.oo if finite_a else -sp.oo
            e_lo, e_hi = self.point(end)
            lim = self.limit(side)
            # on [a, inf): increasing means q(a) <= q <= lim; on (-inf, b] it is reversed
            if increasing == finite_a:
                lo = max(lo, e_lo)
                if lim is not None:
                    hi = min(hi, lim + 1e-15 * abs(lim))  # exact when lim == 0
            else:
                hi = min(hi, e_hi)
                if lim is not None:
                    lo = max(lo, lim - 1e-15 * abs(lim))
        return lo, hi

    def sign_enclose(self, a: float, b: float) -> tuple[float, float]:
        """An enclosure on ``[a, b]`` of :func:`sign_part` of ``q``: only its sign means
        anything (it is ``q``'s weak sign); ``(-inf, inf)`` when ``q`` has no other sign
        part."""
        if self._sign is None:
            part = sign_part(self.q)
            self._sign = False if part == self.q else TailEnclosure(part, self.var, self.depth)
        if self._sign is False:
            return -math.inf, math.inf
        return self._sign.enclose(a, b)
