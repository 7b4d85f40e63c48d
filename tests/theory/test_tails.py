"""Tail enclosures (theory.tails) against dense sampling and exact values."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from theory.tails import TailEnclosure, sign_part

x = sp.Symbol("x", real=True)


@pytest.mark.parametrize(
    "q, part",
    [
        ((x**2 + 2 * x) * sp.exp(x), x * (x + 2)),
        (x * sp.exp(x) * sp.cosh(x), x),
        (-3 * sp.exp(-(x**2)), sp.Integer(-3)),
        (x**2 * sp.exp(x), sp.Integer(1)),
    ],
)
def test_sign_part_drops_nonnegative_factors(q, part):
    assert sp.expand(sign_part(q) - part) == 0


def _samples(q: sp.Expr, a: float, b: float) -> np.ndarray:
    f = sp.lambdify(x, q, "numpy")
    t = np.linspace(a, b, 20001)
    return np.broadcast_to(np.asarray(f(t), dtype=float), t.shape)


@pytest.mark.parametrize("q", [x**2 * sp.exp(x), (x**2 + 4 * x + 2) * sp.exp(x), x**3 * sp.exp(x)])
def test_polynomial_times_exponential_on_the_decaying_tail_is_bounded(q):
    # inf * 0 for the natural extension; the sign part of q' decides the monotonicity
    b = -8.0
    lo, hi = TailEnclosure(q, x).enclose(-math.inf, b)
    qb = float(q.subs(x, b))
    assert math.isfinite(lo) and math.isfinite(hi)
    v = _samples(q, -200.0, b)
    assert lo <= v.min() + 1e-12 * abs(v.min()) and hi >= v.max() - 1e-12 * abs(v.max())
    # monotone on the tail: the exact range is between q(b) and the limit 0
    assert min(lo, hi) <= min(qb, 0.0) and max(lo, hi) >= max(qb, 0.0)
    assert hi - lo <= abs(qb) * (1 + 1e-12) + 1e-300


@settings(max_examples=12, deadline=None)
@given(
    coeffs=st.lists(st.integers(-3, 3), min_size=2, max_size=4).filter(lambda c: c[-1] != 0),
    a=st.sampled_from([1, 2, -1, -2]),
    b=st.floats(8.0, 25.0),
)
def test_exp_polynomial_tail_enclosure_is_sound(coeffs, a, b):
    q = sum(c * x**i for i, c in enumerate(coeffs)) * sp.exp(a * x)
    lo_end, hi_end = (-math.inf, -b) if a > 0 else (b, math.inf)
    lo, hi = TailEnclosure(q, x).enclose(lo_end, hi_end)
    finite_part = (-b - 150.0, -b) if a > 0 else (b, b + 150.0)
    v = _samples(q, *finite_part)
    assert lo <= v.min() + 1e-12 * abs(v.min())
    assert hi >= v.max() - 1e-12 * abs(v.max())
    assert lo <= 0.0 <= hi  # the limit at the far end
