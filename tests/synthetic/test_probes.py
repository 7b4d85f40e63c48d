"""Smoothness probes (arXiv 1905.11881 v2, Figs 1-3, 5): closed forms and bounds."""

from __future__ import annotations

import math

import numpy as np
import pytest

from synthetic.probes import (
    loglog_fit,
    midpoint_smoothness,
    multipoint_smoothness,
    probe_step,
    probe_trajectory,
)


def test_quadratic_is_rayleigh_type_quotient():
    rng = np.random.default_rng(0)
    for _ in range(20):
        B = rng.standard_normal((6, 6))
        A = B + B.T
        x, xn = rng.standard_normal(6), rng.standard_normal(6)
        d = xn - x
        exact = np.linalg.norm(A @ d) / np.linalg.norm(d)
        grad = lambda z, A=A: A @ z  # noqa: E731
        assert midpoint_smoothness(grad, x, xn) == pytest.approx(exact, rel=1e-12)
        # every point of the segment gives the same ratio on a quadratic
        assert multipoint_smoothness(grad, x, xn) == pytest.approx(exact, rel=1e-12)
        s = np.linalg.svd(A, compute_uv=False)
        assert s[-1] * (1 - 1e-12) <= exact <= s[0] * (1 + 1e-12)


def test_quartic_between_hessian_bounds_and_closed_form():
    # f = x^4/4: f' = x^3, f'' = 3x^2. Midpoint estimator = (m^3 - x^3)/(m - x), m = x + d/2.
    grad = lambda z: z**3  # noqa: E731
    for x, xn in [(1.0, 0.2), (-2.0, 3.0), (0.5, 0.7), (3.0, -1.0)]:
        m = x + 0.5 * (xn - x)
        est = midpoint_smoothness(grad, np.array([x]), np.array([xn]))
        assert est == pytest.approx(x * x + x * m + m * m, rel=1e-12)
        hess = 3 * np.linspace(min(x, m), max(x, m), 2001) ** 2
        assert hess.min() * (1 - 1e-12) <= est <= hess.max() * (1 + 1e-12)
        # multi-point: up to the sup of the Hessian on the whole segment, >= midpoint
        multi = multipoint_smoothness(grad, np.array([x]), np.array([xn]))
        full = 3 * np.linspace(min(x, xn), max(x, xn), 2001) ** 2
        assert est <= multi <= full.max() * (1 + 1e-12)


def test_zero_step_gives_nan_and_bad_points():
    grad = lambda z: 2 * z  # noqa: E731
    x = np.ones(3)
    assert math.isnan(midpoint_smoothness(grad, x, x))
    p = probe_step(grad, x, x)
    assert p.grad_norm == pytest.approx(2 * math.sqrt(3)) and math.isnan(p.smoothness)
    with pytest.raises(ValueError, match="probe points"):
        multipoint_smoothness(grad, x, x + 1, points=(0.0, 0.5))
    with pytest.raises(ValueError, match="probe points"):
        probe_step(grad, x, x + 1, points=())


def test_probe_step_reuses_given_gradient():
    calls = []

    def grad(z):
        calls.append(1)
        return 2 * z

    x = np.array([1.0, 2.0])
    probe_step(grad, x, x + 0.5, g=2 * x, points=(0.5, 1.0))
    assert len(calls) == 2


def test_probe_trajectory_with_exact_hessian():
    # GD on f = x^4/4 from x0 = 2 with h = 0.05; exact Hessian 3x^2
    xs = [np.array([2.0])]
    for _ in range(30):
        xs.append(xs[-1] - 0.05 * xs[-1] ** 3)
    log = probe_trajectory(lambda z: z**3, xs, hess_norm=lambda z: float(3 * z[0] ** 2), every=3)
    assert len(log) == 10 and log.iteration.tolist() == list(range(0, 30, 3))
    assert np.allclose(log.grad_norm, [abs(xs[k][0]) ** 3 for k in log.iteration])
    # decreasing positive iterates: L-hat between f'' at the midpoint and at x_k
    assert np.all(log.smoothness <= log.hess_norm * (1 + 1e-12))
    rows = log.rows()
    assert set(rows[0]) == {"iteration", "grad_norm", "smoothness", "smoothness_multi", "hess_norm"}
    with pytest.raises(ValueError, match="every"):
        probe_trajectory(lambda z: z, xs, every=0)


def test_probe_trajectory_stops_at_nonfinite():
    xs = [np.array([1.0]), np.array([0.5]), np.array([np.inf]), np.array([0.1])]
    log = probe_trajectory(lambda z: z, xs)
    assert log.iteration.tolist() == [0] and log.hess_norm is None


def test_loglog_fit():
    g = np.logspace(-2, 2, 50)
    fit = loglog_fit(g, 3 * g**0.7)
    assert fit.slope == pytest.approx(0.7) and fit.correlation == pytest.approx(1.0)
    assert fit.intercept == pytest.approx(math.log10(3)) and fit.n == 50
    # non-positive and non-finite pairs are dropped
    fit = loglog_fit([1, 2, 0, np.nan, 4, 8], [1, 2, 5, 1, 4, -1])
    assert fit.n == 3 and fit.slope == pytest.approx(1.0)
    assert math.isnan(loglog_fit([1, 1, 1], [1, 2, 3]).slope)
    assert math.isnan(loglog_fit([1, 2], [1, 2]).correlation)
    with pytest.raises(ValueError, match="length"):
        loglog_fit([1, 2], [1])
