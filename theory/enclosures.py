"""Interval and ball enclosures of sympy expressions (mpmath.iv and python-flint arb).

Two backends, chosen by measurement (see benchmarks/README.md, certification section):

- :data:`ARB_NS` (python-flint ``arb`` midpoint-radius balls, in C): 30 to 100 times
  faster than ``mpmath.iv`` on the lab's profiles and as tight on small boxes; used for
  every bounded box;
- :data:`IV_NS` (``mpmath.iv``, endpoint intervals with infinite ends allowed): used on
  unbounded boxes, where a ball would have an infinite radius.

Functions that ``mpmath.iv`` lacks (``sinh``, ``cosh``, ``tanh``, ``atan``, ``erf``) are
enclosed from their monotone pieces with the end values rounded outward by a relative
``1e-15`` (mpmath's functions are accurate to about an ulp).
"""

from __future__ import annotations

import math

import flint
import mpmath
import sympy as sp
from mpmath import iv

__all__ = ["IV_NS", "ARB_NS", "interval_bounds", "arb_bounds", "arb_box", "for_arb"]

_RPOW = sp.Function("rpow")
_MAX = 1.7976931348623157e308


def _down(v):
    """``v`` rounded down by a relative 1e-15 (mpmath's functions are accurate to an ulp)."""
    return v if mpmath.isinf(v) else v - 1e-15 * abs(v) - 1e-300


def _up(v):
    return v if mpmath.isinf(v) else v + 1e-15 * abs(v) + 1e-300


def _iv_monotone(fun):
    def wrapped(x):
        x = iv.mpf(x)
        a, b = fun(mpmath.mpf(x.a)), fun(mpmath.mpf(x.b))
        return iv.mpf([_down(a), _up(b)])

    return wrapped


def _iv_cosh(x):
    x = iv.mpf(x)
    lo, hi = mpmath.mpf(x.a), mpmath.mpf(x.b)
    big = max(abs(lo), abs(hi))
    small = mpmath.mpf(0) if lo <= 0 <= hi else min(abs(lo), abs(hi))
    return iv.mpf([max(1, _down(mpmath.cosh(small))), _up(mpmath.cosh(big))])


#: The interval namespace of lambdified expressions (``mpmath.iv``).
IV_NS = {
    "exp": iv.exp,
    "log": iv.log,
    "sqrt": iv.sqrt,
    "sin": iv.sin,
    "cos": iv.cos,
    "tan": iv.tan,
    "atan": _iv_monotone(mpmath.atan),
    "erf": _iv_monotone(mpmath.erf),
    "sinh": _iv_monotone(mpmath.sinh),
    "tanh": _iv_monotone(mpmath.tanh),
    "cosh": _iv_cosh,
    "mpf": iv.mpf,
    "pi": iv.pi,
    "E": iv.e,
}


def _method(name):
    return lambda a: getattr(flint.arb(a), name)()


def _arb_monotone(name):
    """An increasing function on a ball from its two ends (a wide ball around its midpoint
    would lose the sign: exp of [600, 1000] as a ball contains negative numbers)."""

    def f(a):
        a = flint.arb(a)
        if a.rad() == 0 or not a.is_finite():
            return getattr(a, name)()
        return flint.arb.union(getattr(a.lower(), name)(), getattr(a.upper(), name)())

    return f


def _arb_cosh(a):
    a = flint.arb(a)
    if a.rad() == 0 or not a.is_finite():
        return a.cosh()
    lo, hi = a.lower(), a.upper()
    top = flint.arb.union(lo.cosh(), hi.cosh())
    if lo < 0 < hi or 0 in a:
        return flint.arb.union(flint.arb(1), top)
    return flint.arb.union(lo.cosh(), hi.cosh())


def _arb_rpow(base, expo):
    """``base ** expo`` for a non-integer exponent on a ball that may touch 0 (monotone)."""
    base, expo = flint.arb(base), flint.arb(expo)
    lo, hi = arb_bounds(base)
    if hi < 0 or not expo.is_finite():
        return flint.arb("nan")
    if lo > 0:
        return base**expo
    top = flint.arb(hi) ** expo
    if expo > 0:
        return flint.arb.union(flint.arb(0), top)
    return flint.arb("nan")  # a negative power of a ball touching 0


def for_arb(expr: sp.Expr) -> sp.Expr:
    """``expr`` with non-integer powers written ``rpow(base, e)`` (see :data:`ARB_NS`)."""
    return expr.replace(
        lambda e: e.is_Pow and not e.exp.is_Integer and e.base != sp.E,
        lambda e: _RPOW(e.base, e.exp),
    )


#: The ball namespace of lambdified expressions (python-flint ``arb``, 53-bit); use it on
#: :func:`for_arb` of an expression.
ARB_NS = {
    "rpow": _arb_rpow,
    **{n: _method(n) for n in ("sin", "cos", "tan")},
    **{n: _arb_monotone(n) for n in ("exp", "log", "sqrt", "sinh", "tanh", "atan", "erf")},
    "cosh": _arb_cosh,
    "mpf": flint.arb,
    "pi": flint.arb.pi(),
    "E": flint.arb(1).exp(),
}


def interval_bounds(x) -> tuple[float, float]:
    """``(lo, hi)`` of an mpmath interval (or number) as floats; NaN becomes ``(-inf, inf)``."""
    try:
        lo, hi = float(x.a), float(x.b)
    except AttributeError:
        try:
            lo = hi = float(x)
        except TypeError:  # a complex value
            return -math.inf, math.inf
    if math.isnan(lo) or math.isnan(hi):
        return -math.inf, math.inf
    # an end beyond the float range: the largest float is still a valid bound
    return min(lo, _MAX), max(hi, -_MAX)


def arb_bounds(x) -> tuple[float, float]:
    """Floats ``(lo, hi)`` enclosing an arb ball, rounded outward (all of R if not finite)."""
    if not isinstance(x, flint.arb):
        try:
            x = flint.arb(x)
        except (TypeError, ValueError):
            return -math.inf, math.inf
    if not x.is_finite():
        return -math.inf, math.inf
    m, r = float(x.mid()), float(x.rad())
    if math.isinf(m) or math.isinf(r):  # beyond the float range: compare exactly
        lo_b, hi_b = x.lower(), x.upper()
        lo = -math.inf if lo_b < -_MAX else (_MAX if lo_b > _MAX else float(lo_b) - 1e-300)
        hi = math.inf if hi_b > _MAX else (-_MAX if hi_b < -_MAX else float(hi_b) + 1e-300)
        return lo, hi
    slack = 4.5e-16 * (abs(m) + r) + 5e-324
    lo, hi = m - r - slack, m + r + slack
    if math.isnan(lo) or math.isnan(hi):
        return -math.inf, math.inf
    return lo, hi


def arb_box(a: float, b: float):
    """The ball ``[a, b]`` (finite floats)."""
    if a == b:
        return flint.arb(a)
    return flint.arb.union(flint.arb(a), flint.arb(b))
