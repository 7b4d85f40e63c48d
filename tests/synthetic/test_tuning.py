"""Oracle-tuned baselines (synthetic.tuning; arXiv 1905.11881 v2, outside the paper's class)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from synthetic import catalogue as cat
from synthetic.run import run
from synthetic.sweep import sweep
from synthetic.tuning import TunedClipped, TunedGD, default_h_range, tune_clipped_gd, tune_gd

A = 3.0  # f = a x^2/2


@pytest.fixture(scope="module")
def quad():
    return cat.polynomial([0.0, 0.0, A / 2])


@pytest.fixture(scope="module")
def quartic():
    return cat.polynomial([0.0, 0.0, 0.5, 0.0, 1.0])


@pytest.mark.parametrize("x0", [-7.0, 0.3, 2.0, 50.0])
def test_closed_form_quadratic_step_one_iteration(quad, x0):
    # h = 1/a maps any start to the minimizer: T_eps = 1 (independent closed form)
    r = run(quad, "gd", x0, 1e-12, h=1.0 / A)
    assert r.status == "converged" and r.iterations == 1


def test_tuned_gd_finds_optimal_quadratic_step(quad):
    x0, eps = 2.0, 0.1
    t = tune_gd(quad, x0, eps)
    assert isinstance(t, TunedGD)
    assert t.status == "converged" and t.iterations == 1
    # count 1 iff a x0 |1 - a h| <= eps: a window around h* = 1/a
    w = eps / (A * A * x0)
    assert abs(t.h - 1.0 / A) <= w
    # ties go to the largest step: the found h is close to the window's upper end
    assert t.h >= (1.0 / A + w) * (1 - 1e-3)
    assert t.ties >= 1 and t.grid_size == 256 and t.evaluations > t.grid_size


def test_tuned_gd_not_worse_than_any_grid_step_and_matches_run(quartic):
    x0, eps, n = 3.0, 1e-4, 64
    h_range = default_h_range(quartic, x0)
    t = tune_gd(quartic, x0, eps, n_grid=n, max_iter=10**6)
    hs = np.logspace(np.log10(h_range[0]), np.log10(h_range[1]), n)
    g = sweep(quartic, "gd", x0, eps, h=hs, max_iter=10**6)
    conv = g.status == "converged"
    assert conv.any()
    assert t.iterations <= g.iterations[conv].min()
    assert t.grid_best_iterations == g.iterations[conv].min()
    r = run(quartic, "gd", x0, eps, max_iter=10**6, h=t.h)
    assert r.status == "converged" and r.iterations == t.iterations


def test_tuned_gd_two_variables_matches_run():
    obj = cat.separable(cat.polynomial([0.0, 0.0, 0.5, 0.0, 1.0]), cat.polynomial([0, 0, 0.125]))
    x0 = np.array([4.0, 2.0])
    t = tune_gd(obj, x0, 1e-3, n_grid=32, refine_levels=1, n_refine=4)
    r = run(obj, "gd", x0, 1e-3, h=t.h, max_iter=10**6)
    assert t.status == "converged" and r.iterations == t.iterations


def test_tuned_clipped_not_worse_than_grid_and_matches_run(quartic):
    x0, eps = 3.0, 1e-4
    er, lr, n = (1e-3, 10.0), (1e-3, 40.0), 8
    t = tune_clipped_gd(
        quartic, x0, eps, eta_range=er, length_range=lr, n_eta=n, n_len=n, refine_levels=1,
        n_refine=4, max_iter=10**5,
    )  # fmt: skip
    assert isinstance(t, TunedClipped) and t.status == "converged"
    ee, ll = np.meshgrid(np.logspace(-3, 1, n), np.logspace(-3, np.log10(40.0), n), indexing="ij")
    g = sweep(quartic, "clipped_gd", x0, eps, eta=ee.ravel(), gamma=(ll / ee).ravel(),
              max_iter=10**5)  # fmt: skip
    conv = g.status == "converged"
    assert t.iterations <= g.iterations[conv].min() == t.grid_best_iterations
    r = run(quartic, "clipped_gd", x0, eps, eta=t.eta, gamma=t.gamma, max_iter=10**5)
    assert r.status == "converged" and r.iterations == t.iterations
    assert t.grid_size == n * n


def test_censored_and_diverged(quartic):
    t = tune_gd(quartic, 30.0, 1e-9, h_range=(1e-9, 1e-8), n_grid=8, max_iter=50, start_cap=7)
    assert t.status == "max_iter" and t.iterations == 50 and math.isnan(t.h)
    t = tune_gd(quartic, 30.0, 1e-6, h_range=(1.0, 10.0), n_grid=8)
    assert t.status == "diverged" and math.isnan(t.h)


def test_shrinking_cap_continuation_exact(quartic):
    # a start cap far below the count forces several continuations; the count is unchanged
    a = tune_gd(quartic, 5.0, 1e-6, n_grid=16, refine_levels=0, start_cap=3)
    b = tune_gd(quartic, 5.0, 1e-6, n_grid=16, refine_levels=0, start_cap=10**6)
    assert (a.h, a.iterations) == (b.h, b.iterations)


@pytest.mark.parametrize(
    "kw",
    [{"n_grid": 2}, {"h_range": (1.0, 0.5)}, {"h_range": (0.0, 1.0)}, {"max_iter": 0},
     {"refine_levels": -1}],
)  # fmt: skip
def test_bad_input(quartic, kw):
    with pytest.raises(ValueError):
        tune_gd(quartic, 1.0, 1e-3, **kw)
    with pytest.raises(ValueError):
        tune_gd(quartic, 1.0, 0.0)
