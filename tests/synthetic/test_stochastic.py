"""Stochastic kernels (Theorems 7, 8 of arXiv 1905.11881 v2) and the complexity estimate."""

from __future__ import annotations

import math

import numba
import numpy as np
import pytest

from synthetic import catalogue as cat
from synthetic.noise import sample_noise
from synthetic.objective import objective_from_expr
from synthetic.run import run
from synthetic.stochastic import (
    clipped_sgd,
    complexity,
    median_hitting_time,
    run_stochastic,
)

FIELDS = ("status_code", "cause_code", "iterations", "x_final", "f_final", "grad_norm_final",
          "grad_norm_max")  # fmt: skip


@pytest.fixture(scope="module")
def quartic():
    return cat.polynomial([0.0, 0.0, 0.5, 0.0, 1.0])  # x^4 + x^2/2


@pytest.fixture(scope="module")
def plane():
    return objective_from_expr("x1**2/2 + x2**4/4", dim=2)


# --------------------------------------------------------------- tau = 0 equals deterministic
@pytest.mark.parametrize("x0", [0.3, 2.0, 7.0])
def test_clipped_sgd_without_noise_equals_clipped_gd(quartic, x0):
    # clip = gamma * eta exactly (powers of two), so both rules compute the same step
    eta, gamma = 2.0**-5, 4.0
    r = run_stochastic(quartic, "clipped_sgd", x0, 1e-6, tau=0.0, n_runs=3, max_iter=5000,
                       eta=eta, clip=gamma * eta)  # fmt: skip
    d = run(quartic, "clipped_gd", x0, 1e-6, max_iter=5000, eta=eta, gamma=gamma)
    for i in range(3):
        assert r.status[i] == d.status
        assert r.iterations[i] == d.iterations
        assert r.x_final[i] == d.x_final[0]
        assert r.f_final[i] == d.f_final
        assert r.grad_norm_final[i] == d.grad_norm_final
        assert r.grad_norm_max[i] == d.grad_norm_max


@pytest.mark.parametrize("h", [1e-3, 0.05, 0.6])  # the last one diverges from x0 = 3
def test_sgd_without_noise_equals_gd(quartic, h):
    r = run_stochastic(quartic, "sgd", 3.0, 1e-6, tau=0.0, n_runs=2, max_iter=20000, h=h)
    d = run(quartic, "gd", 3.0, 1e-6, max_iter=20000, h=h)
    assert r.status[0] == d.status and r.cause[0] == d.cause
    assert r.iterations[0] == d.iterations
    assert r.grad_norm_max[0] == d.grad_norm_max
    if d.status != "diverged":
        assert r.x_final[0] == d.x_final[0]


def test_nd_without_noise_equals_deterministic(plane):
    eta, gamma = 2.0**-3, 2.0
    r = run_stochastic(plane, "clipped_sgd", [2.0, -1.5], 1e-5, tau=0.0, n_runs=2,
                       max_iter=100000, eta=eta, clip=gamma * eta)  # fmt: skip
    d = run(plane, "clipped_gd", [2.0, -1.5], 1e-5, max_iter=100000, eta=eta, gamma=gamma)
    assert r.status[0] == d.status and r.iterations[0] == d.iterations
    np.testing.assert_array_equal(r.x_final[0], d.x_final)
    assert r.grad_norm_final[0] == d.grad_norm_final


# ------------------------------------------------------- independent reference with noise
def _reference(obj, x0, eps, eta, clip, tau, seed, i, max_iter):
    """Plain Python: x_{k+1} = x_k - h_k (grad f(x_k) + xi_k), xi from sample_noise."""
    xi = sample_noise("ball", tau, max_iter + 1, obj.dim, seed=seed, trajectory=i)
    x = np.array(x0, dtype=float).reshape(-1)
    s = np.array([eta, clip, tau])
    for k in range(max_iter + 1):
        g = obj.grad(x)
        if np.linalg.norm(g) <= eps:
            return k, x
        if k == max_iter:
            return k, x
        gs = g + xi[k]
        x = x - clipped_sgd(float(np.sqrt(np.sum(gs * gs))), s) * gs
    raise AssertionError


@pytest.mark.parametrize("which", ["1d", "2d"])
def test_kernel_matches_python_reference(quartic, plane, which):
    obj, x0 = (quartic, 2.5) if which == "1d" else (plane, [2.0, 1.0])
    eps, eta, clip, tau, seed = 0.05, 0.05, 0.2, 0.5, 17
    r = run_stochastic(obj, "clipped_sgd", x0, eps, tau=tau, n_runs=4, seed=seed,
                       max_iter=3000, eta=eta, clip=clip)  # fmt: skip
    for i in range(4):
        k, x = _reference(obj, x0, eps, eta, clip, tau, seed, i, 3000)
        assert r.iterations[i] == k
        np.testing.assert_allclose(np.atleast_1d(r.x_final[i]), x, rtol=1e-12, atol=1e-15)
    assert len(set(r.iterations.tolist())) > 1  # the noise streams differ


# ---------------------------------------------------------------- thread-count independence
@pytest.mark.parametrize("which", ["1d", "2d"])
@pytest.mark.parametrize("noise", ["ball", "student_t"])
def test_bit_identical_with_one_and_two_threads(quartic, plane, which, noise):
    obj, x0 = (quartic, 3.0) if which == "1d" else (plane, [3.0, -2.0])
    results = []
    old = numba.get_num_threads()
    try:
        for threads in (1, min(2, numba.config.NUMBA_NUM_THREADS)):
            numba.set_num_threads(threads)
            results.append(
                run_stochastic(
                    obj,
                    "clipped_sgd",
                    x0,
                    0.02,
                    noise=noise,
                    tau=1.0,
                    n_runs=64,
                    seed=123,
                    max_iter=400,
                    eta=0.05,
                    clip=0.3,
                )  # fmt: skip
            )
    finally:
        numba.set_num_threads(old)
    a, b = results
    for f in FIELDS:
        np.testing.assert_array_equal(getattr(a, f), getattr(b, f))
    assert len(set(a.status.tolist())) > 1 or len(set(a.iterations.tolist())) > 1


def test_censoring_and_divergence(quartic):
    r = run_stochastic(quartic, "sgd", 3.0, 1e-9, tau=0.1, n_runs=5, max_iter=10, h=1e-4)
    assert np.all(r.status == "max_iter") and np.all(r.iterations == 10)
    assert np.all(np.isinf(r.hitting_times))
    c = r.complexity()
    assert c.censored and math.isinf(c.median) and c.median_lower_bound == 11
    r = run_stochastic(quartic, "sgd", 30.0, 1e-3, tau=0.1, n_runs=3, max_iter=1000, h=1.0)
    assert np.all(r.status == "diverged")
    assert not r.complexity().censored


def test_unbounded_noise_runs(quartic):
    r = run_stochastic(quartic, "clipped_sgd", 3.0, 0.1, noise="gaussian", tau=2.0, n_runs=20,
                       max_iter=10000, eta=0.05, clip=0.2)  # fmt: skip
    assert np.all(r.status == "converged")


# ------------------------------------------------------------------------------ complexity
def test_median_hitting_time_is_the_upper_order_statistic():
    assert median_hitting_time([5, 1, 3]) == 3
    assert median_hitting_time([4, 1, 3, 2]) == 2  # smallest k with P(T > k) <= 1/2
    assert median_hitting_time([1, math.inf, math.inf]) == math.inf
    assert median_hitting_time([1, 2, math.inf, math.inf]) == 2
    with pytest.raises(ValueError):
        median_hitting_time([])


def test_bootstrap_ci_covers_the_true_median_in_most_seeds():
    # T = ceil(Exp(scale 1000)): P(T > k) = exp(-k/1000) <= 1/2 iff k >= 693.1, median 694
    true = math.ceil(1000 * math.log(2))
    rng = np.random.default_rng(0)
    hits = 0
    reps = 100
    for s in range(reps):
        t = np.ceil(rng.exponential(1000.0, size=200))
        c = complexity(t, n_boot=1000, seed=s)
        assert c.ci_low <= c.median <= c.ci_high
        hits += c.ci_low <= true <= c.ci_high
    assert hits >= 85  # nominal 95%


def test_bootstrap_is_seeded():
    t = np.arange(1, 101, dtype=float)
    assert complexity(t, seed=3) == complexity(t, seed=3)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"method": "adam"}, "unknown method"),
        ({"eta": -1.0}, "eta must be finite"),
        ({"eps": 0.0}, "eps must be"),
        ({"n_runs": 0}, "n_runs"),
        ({"tau": -0.1}, "tau must be"),
        ({"lr": 1.0}, "unknown: lr"),
    ],
)
def test_bad_input(quartic, kwargs, match):
    args = {"method": "clipped_sgd", "eps": 0.1, "tau": 0.1, "eta": 0.1, "clip": 1.0}
    args.update(kwargs)
    method, eps = args.pop("method"), args.pop("eps")
    with pytest.raises(ValueError, match=match):
        run_stochastic(quartic, method, 1.0, eps, **args)
