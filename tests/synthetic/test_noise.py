"""Noise oracles (Assumption 5 of arXiv 1905.11881 v2): bounded, unbiased, reproducible."""

from __future__ import annotations

import math

import numpy as np
import pytest

from synthetic.noise import BOUNDED, KINDS, noise_spec, sample_noise, trajectory_seeds

N = 20_000
DIMS = (1, 2, 5)


@pytest.mark.parametrize("dim", DIMS)
@pytest.mark.parametrize("kind", sorted(BOUNDED))
def test_bounded_samples_have_norm_at_most_tau(kind, dim):
    tau = 0.37
    x = sample_noise(kind, tau, N, dim, seed=11)
    assert x.shape == (N, dim)
    assert np.all(np.linalg.norm(x, axis=1) <= tau)
    assert np.all(np.sqrt(np.sum(x * x, axis=1)) <= tau)
    assert np.all(np.abs(x) <= tau)


@pytest.mark.parametrize("dim", DIMS)
@pytest.mark.parametrize("kind", KINDS)
def test_mean_is_zero_within_five_standard_errors(kind, dim):
    x = sample_noise(kind, 1.3, N, dim, seed=5, trajectory=3)
    se = x.std(axis=0, ddof=1) / math.sqrt(N)
    mean = x.mean(axis=0)
    # coordinates that are identically 0 (two-point noise off its direction) have se = 0
    assert np.all(np.abs(mean) <= 5 * se + 1e-15)


@pytest.mark.parametrize("kind", KINDS)
def test_scale(kind):
    """Sphere, two-point: norm tau; ball: median radius tau 2^(-1/d); else E norm^2 = tau^2."""
    tau, d = 0.8, 3
    x = sample_noise(kind, tau, N, d, seed=2)
    r = np.linalg.norm(x, axis=1)
    if kind in ("sphere", "two_point"):
        np.testing.assert_allclose(r, tau, rtol=1e-14)
    elif kind == "ball":
        assert abs(np.median(r) - tau * 2 ** (-1 / d)) < 0.01
    else:
        assert abs(np.mean(r**2) / tau**2 - 1) < (0.05 if kind == "gaussian" else 0.25)
        assert r.max() > tau  # unbounded: outside Assumption 5


def test_two_point_lies_on_its_direction():
    u = np.array([3.0, 4.0])
    x = sample_noise("two_point", 2.0, 1000, 2, seed=1, direction=u)
    np.testing.assert_allclose(np.abs(x @ np.array([-4.0, 3.0])), 0.0, atol=1e-12)
    np.testing.assert_allclose(np.abs(x @ u) / 5.0, 2.0 * (1 - 2.0**-50), rtol=1e-14)
    assert 400 < np.sum(x[:, 0] > 0) < 600


def test_one_dimensional_sphere_is_plus_minus_tau_exactly():
    x = sample_noise("sphere", 0.25, 1000, 1, seed=9)
    assert set(np.unique(x)) == {-0.25, 0.25}


def test_reproducible_and_streams_differ():
    a = sample_noise("ball", 1.0, 100, 2, seed=4, trajectory=7)
    b = sample_noise("ball", 1.0, 100, 2, seed=4, trajectory=7)
    c = sample_noise("ball", 1.0, 100, 2, seed=4, trajectory=8)
    d = sample_noise("ball", 1.0, 100, 2, seed=5, trajectory=7)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    assert not np.array_equal(a, d)


def test_trajectory_seeds_depend_on_seed_and_index_only():
    s10 = trajectory_seeds(3, 10)
    assert np.array_equal(trajectory_seeds(3, 4), s10[:4])
    assert len(set(s10.tolist())) == 10
    assert not np.array_equal(trajectory_seeds(4, 10), s10)


def test_tau_zero_is_exactly_zero():
    for kind in KINDS:
        assert not np.any(sample_noise(kind, 0.0, 50, 3, seed=0))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"kind": "laplace", "tau": 1.0}, "unknown noise kind"),
        ({"kind": "ball", "tau": -1.0}, "tau must be finite"),
        ({"kind": "ball", "tau": math.inf}, "tau must be finite"),
        ({"kind": "ball", "tau": 1.0, "dim": 0}, "dim must be"),
        ({"kind": "student_t", "tau": 1.0, "df": 2.0}, "df > 2"),
        ({"kind": "two_point", "tau": 1.0, "dim": 2, "direction": [0.0, 0.0]}, "direction"),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        noise_spec(**kwargs)


def test_bad_seed_and_count():
    with pytest.raises(ValueError, match="seed"):
        sample_noise("ball", 1.0, 10, seed=-1)
    with pytest.raises(ValueError, match="n must be"):
        sample_noise("ball", 1.0, -1)
