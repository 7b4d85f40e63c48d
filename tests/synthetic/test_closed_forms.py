"""Closed-form checks of the kernels (issue 2): contraction counts, clipped step length,
divergence detection."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from synthetic.catalogue import cosh, polynomial
from synthetic.objective import objective_from_expr
from synthetic.run import run


@settings(max_examples=60, deadline=None)
@given(
    a=st.floats(min_value=0.1, max_value=10.0),
    ah=st.floats(min_value=0.01, max_value=1.9),
    x0=st.floats(min_value=0.5, max_value=100.0),
    eps=st.sampled_from([1e-2, 1e-4, 1e-8]),
)
def test_gd_on_quadratic_takes_the_contraction_count(a, ah, x0, eps):
    """f = a x^2/2: g_k = a (1 - a h)^k x0, so T = ceil(log(eps/(a x0)) / log|1 - a h|)."""
    h = ah / a
    q = abs(1 - a * h)
    assume(q > 1e-3)
    g0 = a * x0
    if g0 <= eps:
        expected = 0
    else:
        real = math.log(eps / g0) / math.log(q)
        assume(abs(real - round(real)) > 1e-6)  # away from float ties at the boundary
        expected = math.ceil(real)
    result = run(polynomial([0.0, 0.0, a / 2]), "gd", x0, eps, h=h, max_iter=10**6)
    assert result.status == "converged"
    assert result.iterations == expected


def test_clipped_gd_far_out_moves_gamma_eta_per_step():
    """While ||g|| > gamma the clipped step is h g = gamma*eta*g/||g||: length gamma*eta."""
    eta, gamma = 0.5, 0.2
    obj = polynomial([0, 0, 0, 0, 1.0])  # x^4, g = 4x^3 > gamma for x > 0.37
    x = 50.0
    for _ in range(20):
        r = run(obj, "clipped_gd", x, 1e-9, max_iter=1, eta=eta, gamma=gamma)
        step = x - float(r.x_final[0])
        assert step == pytest.approx(gamma * eta, rel=1e-12, abs=4 * math.ulp(x))
        x = float(r.x_final[0])
    r = run(obj, "clipped_gd", 50.0, 1e-9, max_iter=20, eta=eta, gamma=gamma)
    assert float(r.x_final[0]) == pytest.approx(50.0 - 20 * gamma * eta, rel=1e-12)


def test_clipped_gd_far_out_in_two_dimensions():
    obj = objective_from_expr("(x1**2 + x2**2)**2")
    eta, gamma = 1.0, 0.5
    x0 = np.array([30.0, 40.0])
    r = run(obj, "clipped_gd", x0, 1e-9, max_iter=1, eta=eta, gamma=gamma)
    assert np.linalg.norm(x0 - r.x_final) == pytest.approx(gamma * eta, rel=1e-12)
    # towards the minimum along the radial direction
    assert np.allclose((x0 - r.x_final) / (gamma * eta), x0 / 50.0, rtol=1e-12)


@pytest.mark.parametrize("obj", [polynomial([0, 0, 0, 0, 1.0]), cosh(1.0)], ids=["x^4", "cosh"])
def test_gd_with_too_large_a_step_diverges_quickly(obj):
    r = run(obj, "gd", 3.0, 1e-6, h=10.0, max_iter=10**6)
    assert r.status == "diverged"
    assert r.iterations < 20
    assert r.cause in {"inf", "overflow", "nan"}
    assert not r.monotone


def test_exp_overflowing_start_is_diverged_at_iteration_zero():
    r = run("exp(x)", "gd", 800.0, 1e-6, h=1.0)
    assert (r.status, r.iterations, r.cause) == ("diverged", 0, "inf")


def test_exp_with_a_large_step_converges_instead():
    """e^x has f' > 0 everywhere: GD only moves left, f' -> 0, a huge step ends the run."""
    r = run("exp(x)", "gd", 3.0, 1e-6, h=10.0)
    assert r.status == "converged" and r.iterations == 1
    assert math.exp(3.0 - 10.0 * math.exp(3.0)) <= 1e-6


def test_nan_cause():
    r = run("sqrt(x)", "gd", 1.0, 1e-9, h=10.0)
    assert (r.status, r.cause) == ("diverged", "nan")


def test_max_iter_is_censored_and_start_can_be_stationary():
    r = run(polynomial([0, 0, 0.5]), "gd", 1.0, 1e-12, h=1e-3, max_iter=10)
    assert (r.status, r.iterations) == ("max_iter", 10)
    r = run(polynomial([0, 0, 0.5]), "gd", 1e-9, 1e-6, h=1e-3)
    assert (r.status, r.iterations) == ("converged", 0)


def test_trajectory_is_log_spaced_and_ends_at_the_last_iterate():
    r = run(polynomial([0, 0, 0.5]), "gd", 1.0, 1e-8, h=1e-3, trajectory=True)
    ks = r.trajectory[:, 0]
    assert ks[0] == 0 and ks[-1] == r.iterations
    assert np.all(np.diff(ks) > 0)
    assert len(ks) < 300 < r.iterations
    # f and ||grad f|| recorded at k are the closed forms (1 - h)^k
    k = ks[5]
    assert r.trajectory[5, 2] == pytest.approx((1 - 1e-3) ** k, rel=1e-9)
    assert r.trajectory[5, 1] == pytest.approx(0.5 * (1 - 1e-3) ** (2 * k), rel=1e-9)


def test_largest_gradient_and_monotonicity():
    r = run(polynomial([0, 0, 0.5]), "gd", -4.0, 1e-6, h=0.5)
    assert r.grad_norm_max == 4.0 and r.monotone
