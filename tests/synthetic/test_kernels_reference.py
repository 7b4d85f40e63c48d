"""Differential tests: compiled kernels against the plain-Python reference (issue 2)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from synthetic.catalogue import polynomial
from synthetic.run import run

from .reference import reference_run

finite = st.floats(min_value=-4.0, max_value=4.0, allow_nan=False, allow_infinity=False)


@st.composite
def cases(draw):
    degree = draw(st.integers(min_value=2, max_value=12))
    coeffs = draw(st.lists(finite, min_size=degree + 1, max_size=degree + 1))
    lead = draw(st.floats(min_value=0.05, max_value=4.0))
    coeffs[-1] = lead  # degree exactly `degree`
    method = draw(st.sampled_from(["gd", "clipped_gd", "normalized_gd"]))
    x0 = draw(st.floats(min_value=-6.0, max_value=6.0))
    eps = draw(st.sampled_from([1e-1, 1e-3, 1e-6]))
    scale = draw(st.floats(min_value=1e-4, max_value=1.0))
    if method == "gd":
        params = {"h": scale}
    elif method == "clipped_gd":
        params = {"eta": scale, "gamma": draw(st.floats(min_value=1e-2, max_value=50.0))}
    else:
        params = {"eta": scale, "beta": draw(st.floats(min_value=0.0, max_value=10.0))}
    return coeffs, method, x0, eps, params


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_kernel_matches_reference(case):
    coeffs, method, x0, eps, params = case
    max_iter = 2000
    expected = reference_run(coeffs, method, x0, eps, params, max_iter)
    result = run(polynomial(coeffs), method, x0, eps, max_iter=max_iter, **params)
    assert (result.status, result.iterations) == expected
    event(f"status: {expected[0]}")


def test_reference_cases_cover_all_statuses():
    """The generator is not vacuous: each status occurs on fixed hand-made cases."""
    poly = [0.0, 0.0, 0.5, 0.0, 1.0]  # x^4 + x^2/2
    assert reference_run(poly, "gd", 1.0, 1e-6, {"h": 0.1}, 2000)[0] == "converged"
    assert reference_run(poly, "gd", 5.0, 1e-6, {"h": 1.0}, 2000)[0] == "diverged"
    assert reference_run(poly, "gd", 1.0, 1e-6, {"h": 1e-6}, 50)[0] == "max_iter"
    for x0, h in [(1.0, 0.1), (5.0, 1.0), (1.0, 1e-6)]:
        expected = reference_run(poly, "gd", x0, 1e-6, {"h": h}, 2000 if h > 1e-5 else 50)
        got = run(polynomial(poly), "gd", x0, 1e-6, max_iter=2000 if h > 1e-5 else 50, h=h)
        assert (got.status, got.iterations) == expected


def test_zero_padded_family_equals_trimmed_evaluation():
    rng = np.random.default_rng(1)
    for degree in (2, 5, 9, 16):
        c = rng.normal(size=degree + 1)
        obj = polynomial(c)
        for x in rng.uniform(-3, 3, size=20):
            expected = np.polynomial.polynomial.polyval(x, c)
            assert np.isclose(obj.f(x), expected, rtol=1e-12, atol=1e-12)
