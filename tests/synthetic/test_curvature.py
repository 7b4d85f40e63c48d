"""Exact midpoint curvature: power iteration on finite-difference Hessian-vector products.

Independent truths: a quadratic's Hessian (closed form), and dense Hessians of tiny
networks built from second differences of the *loss* (no gradient code involved).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from synthetic.nets import CharLSTM, Dataset, ResidualMLP, TrainConfig, train
from synthetic.nets.curvature import hessian_vector, midpoint_curvature, power_iteration


def _dense_hessian_from_loss(f, x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    n = x.size
    H = np.empty((n, n))
    E = np.eye(n) * h
    for i in range(n):
        for j in range(i, n):
            v = (
                f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j]) + f(x - E[i] - E[j])
            ) / (4 * h * h)
            H[i, j] = H[j, i] = v
    return H


def test_power_iteration_on_known_matrices():
    rng = np.random.default_rng(0)
    q, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    for eigs in ([3.0, 1.0, 0.5, -0.2, 0.1, 0.0], [-5.0, 2.0, 1.0, 0.3, -0.1, 0.0]):
        A = q @ np.diag(eigs) @ q.T
        r = power_iteration(A.dot, rng.standard_normal(6), max_iter=500, tol=1e-12)
        assert r.status == "converged"
        assert r.value == pytest.approx(max(abs(e) for e in eigs), rel=1e-6)
        assert math.copysign(1, r.rayleigh) == math.copysign(1, eigs[0])
    # a dominant pair +-4: the vector alternates, the norm still converges to 4
    A = q @ np.diag([4.0, -4.0, 1.0, 0.0, 0.0, 0.0]) @ q.T
    r = power_iteration(lambda v: A @ v, rng.standard_normal(6), max_iter=200, tol=1e-12)
    assert r.value == pytest.approx(4.0, rel=1e-9)
    # with a budget the value is a lower bound, flagged max_iter
    A = q @ np.diag([1.0, 0.999, 0.5, 0, 0, 0]) @ q.T
    r = power_iteration(lambda v: A @ v, np.ones(6), max_iter=3, tol=1e-15)
    assert r.status == "max_iter" and r.iterations == 3 and r.value <= 1.0 + 1e-12
    with pytest.raises(ValueError):
        power_iteration(lambda v: v, np.zeros(3))
    with pytest.raises(ValueError):
        power_iteration(lambda v: v, np.ones(3), max_iter=0)


def test_hessian_vector_on_a_quadratic():
    rng = np.random.default_rng(1)
    B = rng.standard_normal((5, 5))
    A = B + B.T
    v, x = rng.standard_normal(5), rng.standard_normal(5)
    assert np.allclose(hessian_vector(lambda y: A @ y, x, v), A @ v, rtol=1e-8, atol=1e-8)
    assert not np.any(hessian_vector(lambda y: A @ y, x, np.zeros(5)))
    # the midpoint of a step on a quadratic: the Hessian is A everywhere
    r = midpoint_curvature(lambda y: A @ y, x, x + v, max_iter=500, tol=1e-10)
    assert r.value == pytest.approx(np.abs(np.linalg.eigvalsh(A)).max(), rel=1e-6)


def _tiny_lstm():
    rng = np.random.default_rng(2)
    model = CharLSTM(vocab=3, hidden=2)
    ids = rng.integers(0, 3, (3, 6))
    return (
        model,
        Dataset(ids[:, :-1], ids[:, 1:]),
        model.init(rng) + 0.5 * rng.standard_normal(model.size),
    )


def _tiny_resmlp():
    rng = np.random.default_rng(3)
    model = ResidualMLP(3, 3, blocks=1, classes=3)
    data = Dataset(rng.standard_normal((8, 3)), rng.integers(0, 3, 8))
    return model, data, model.init(rng)


@pytest.mark.parametrize("build", [_tiny_lstm, _tiny_resmlp], ids=["lstm", "resmlp"])
def test_midpoint_curvature_matches_dense_hessian(build):
    model, data, theta = build()
    step = 0.05 * np.random.default_rng(4).standard_normal(model.size)
    mid = theta + 0.5 * step
    dense = _dense_hessian_from_loss(lambda t: model.loss(t, data), mid)
    dense = 0.5 * (dense + dense.T)
    exact = np.abs(np.linalg.eigvalsh(dense)).max()
    r = midpoint_curvature(
        lambda t: model.loss_grad(t, data)[1], theta, theta + step, max_iter=2000, tol=1e-10
    )
    assert r.status == "converged"
    assert r.value == pytest.approx(exact, rel=1e-4)


def test_training_logs_curvature_next_to_the_authors_estimate():
    model, data, theta = _tiny_lstm()
    cfg = TrainConfig(
        lr=0.5, iterations=6, eval_every=0, probe_every=2, curvature_every=2, curvature_iters=50
    )
    r = train(model, data, data, cfg, np.random.default_rng(0), theta0=theta)
    assert r.curvature.iteration.tolist() == r.probes.iteration.tolist() == [0, 2, 4]
    assert np.all(r.curvature.hess_norm > 0) and np.all(r.curvature.iterations <= 50)
    off = train(model, data, data, TrainConfig(iterations=2, eval_every=0), None, theta0=theta)
    assert len(off.curvature) == 0
    with pytest.raises(ValueError):
        TrainConfig(curvature_iters=0)
    with pytest.raises(ValueError):
        TrainConfig(train_eval_size=0)
