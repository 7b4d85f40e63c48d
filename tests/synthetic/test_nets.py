"""Small networks: hand-written gradients against central differences, training loops."""

from __future__ import annotations

import math

import numpy as np
import pytest

from synthetic.nets import (
    PANELS,
    TASKS,
    CharLSTM,
    Dataset,
    DeepLinear,
    MLPClassifier,
    ResidualMLP,
    TanhRNN,
    TrainConfig,
    adding_problem,
    gaussian_regression,
    label,
    make_task,
    panels,
    teacher_classification,
    train,
)


def central_diff(fun, theta: np.ndarray, h: float = 1e-6) -> np.ndarray:
    g = np.zeros_like(theta)
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = h
        g[i] = (fun(theta + e) - fun(theta - e)) / (2 * h)
    return g


def rel_err(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b), 1e-300))


def _cases():
    rng = np.random.default_rng(0)
    reg, _ = gaussian_regression(7, 3, 2, rng)
    seq = adding_problem(5, 6, rng)
    cls, _ = teacher_classification(9, 4, 3, rng)
    return [
        ("deep_linear_mse", DeepLinear(3, 4, 2, depth=3), reg),
        ("deep_linear_depth1_mse", DeepLinear(3, 4, 2, depth=1), reg),
        ("rnn_mse", TanhRNN(2, 5, rho=1.1), seq),
        ("mlp_relu_xent", MLPClassifier(4, (5, 6), 3, "relu"), cls),
        ("mlp_tanh_xent", MLPClassifier(4, (5,), 3, "tanh"), cls),
        ("lstm_xent", CharLSTM(vocab=5, hidden=3), _chars(rng, 4, 6, 5)),
        ("resmlp_xent", ResidualMLP(4, 5, blocks=2, classes=3), cls),
        ("resmlp_noblock_xent", ResidualMLP(4, 5, blocks=0, classes=3), cls),
    ]


def _chars(rng, n, T, V):
    ids = rng.integers(0, V, (n, T + 1))
    return Dataset(ids[:, :-1], ids[:, 1:])


@pytest.mark.parametrize("name,model,data", _cases(), ids=[c[0] for c in _cases()])
def test_gradient_matches_central_differences(name, model, data):
    rng = np.random.default_rng(1)
    for _ in range(3):
        theta = model.init(rng) + 0.1 * rng.standard_normal(model.size)
        loss, g = model.loss_grad(theta, data)
        assert g.shape == (model.size,)
        assert loss == pytest.approx(model.loss(theta, data), rel=1e-12)
        fd = central_diff(lambda t: model.loss(t, data), theta)
        assert rel_err(g, fd) <= 1e-6, name


def test_unpack_rejects_wrong_size():
    m = DeepLinear(2, 2, 2, depth=2)
    with pytest.raises(ValueError, match="shape"):
        m.unpack(np.zeros(3))
    with pytest.raises(ValueError, match="depth"):
        DeepLinear(depth=0)
    with pytest.raises(ValueError, match="activation"):
        MLPClassifier(activation="gelu")


def test_data_sets():
    rng = np.random.default_rng(3)
    d = adding_problem(50, 10, rng)
    assert d.X.shape == (50, 10, 2) and d.Y.shape == (50, 1)
    assert np.all(d.X[:, :, 1].sum(axis=1) == 2)
    assert np.allclose(d.Y[:, 0], (d.X[:, :, 0] * d.X[:, :, 1]).sum(axis=1))
    c, teacher = teacher_classification(100, 5, 3, rng)
    assert c.Y.dtype == np.int64 and set(np.unique(c.Y)) <= {0, 1, 2}
    c2, _ = teacher_classification(10, 5, 3, rng, teacher=teacher)
    assert c2.X.shape == (10, 5)
    assert len(d.head(0.1)) == 5 and len(d.head(1.0)) == 50
    with pytest.raises(ValueError):
        d.head(0.0)
    with pytest.raises(ValueError):
        adding_problem(0, 5, rng)
    with pytest.raises(ValueError):
        adding_problem(3, 1, rng)


def _tiny():
    rng = np.random.default_rng(0)
    tr, A = gaussian_regression(40, 3, 2, rng)
    X = rng.standard_normal((20, 3))
    return DeepLinear(3, 3, 2, depth=2), tr, Dataset(X, X @ A.T)


def test_training_is_deterministic_and_decreases_loss():
    model, tr, ho = _tiny()
    cfg = TrainConfig(lr=0.05, iterations=200, batch_size=8, eval_every=50, probe_every=10)
    r1 = train(model, tr, ho, cfg, np.random.default_rng(7))
    r2 = train(model, tr, ho, cfg, np.random.default_rng(7))
    assert r1.status == "finished" and r1.steps == 200
    assert np.array_equal(r1.train_loss, r2.train_loss) and np.array_equal(r1.theta, r2.theta)
    assert r1.eval_iteration.tolist() == [0, 50, 100, 150, 200]
    assert r1.train_loss[-1] < r1.train_loss[0]
    assert len(r1.probes) == 20 and np.all(r1.probes.smoothness > 0)
    assert np.all(np.isnan(r1.heldout_accuracy))


def test_clipped_normalized_and_momentum_steps():
    model, tr, ho = _tiny()
    theta0 = model.init(np.random.default_rng(0)) * 5
    g = model.loss_grad(theta0, tr)[1]
    gn = np.linalg.norm(g)
    one = dict(iterations=1, eval_every=0)
    r = train(model, tr, ho, TrainConfig(lr=0.1, clip=gn / 4, **one), None, theta0=theta0)
    assert np.allclose(theta0 - r.theta, 0.1 * g / 4) and r.clipped_fraction == 1.0
    r = train(model, tr, ho, TrainConfig(lr=0.1, clip=2 * gn, **one), None, theta0=theta0)
    assert np.allclose(theta0 - r.theta, 0.1 * g) and r.clipped_fraction == 0.0
    r = train(
        model, tr, ho, TrainConfig("normalized", lr=0.1, beta=1.0, **one), None, theta0=theta0
    )
    assert np.allclose(theta0 - r.theta, 0.1 * g / (gn + 1.0))
    # momentum: two steps, v1 = g0, v2 = 0.9 g0 + g1
    r = train(
        model, tr, ho, TrainConfig(lr=0.01, momentum=0.9, iterations=2, eval_every=0), None,
        theta0=theta0,
    )  # fmt: skip
    t1 = theta0 - 0.01 * g
    g1 = model.loss_grad(t1, tr)[1]
    assert np.allclose(r.theta, t1 - 0.01 * (0.9 * g + g1))


def test_divergence_is_reported_not_raised():
    model, tr, ho = _tiny()
    theta0 = model.init(np.random.default_rng(0)) * 10
    r = train(model, tr, ho, TrainConfig(lr=10.0, iterations=500), None, theta0=theta0)
    assert r.status == "diverged" and r.steps < 500


@pytest.mark.parametrize(
    "kw",
    [
        {"method": "adam"},
        {"lr": 0.0},
        {"lr": math.inf},
        {"clip": -1.0},
        {"momentum": 1.0},
        {"iterations": 0},
        {"batch_size": 0},
        {"probe_fraction": 0.0},
        {"beta": 0.0},
    ],
)
def test_train_config_validation(kw):
    with pytest.raises(ValueError):
        TrainConfig(**kw)


def test_labels_and_panels():
    assert label(TrainConfig(lr=30, clip=0.25)) == "lr30clip0.25"
    assert label(TrainConfig(lr=0.1, momentum=0.9)) == "lr0.1mom0.9"
    assert label(TrainConfig("normalized", lr=1)) == "ngd_lr1"
    assert {p.task for p in PANELS} == set(TASKS)
    for t in TASKS:
        ps = panels(t, extras=False)
        assert [p.panel for p in ps] == ["a", "b", "c"]
        assert sum(p.expected_fastest for p in ps) == 1
    with pytest.raises(ValueError, match="unknown task"):
        make_task("resnet", np.random.default_rng(0))


@pytest.mark.parametrize("name", sorted(TASKS))
def test_tasks_build_and_train_briefly(name):
    task = make_task(name, np.random.default_rng(0))
    theta = task.model.init(np.random.default_rng(1))
    loss, g = task.model.loss_grad(theta, task.train.take(slice(0, 32)))
    assert math.isfinite(loss) and g.shape == theta.shape
    cfg = TrainConfig(lr=0.01, iterations=3, batch_size=16, train_eval_size=64)
    r = train(
        task.model, task.train, task.heldout.take(slice(0, 64)), cfg, np.random.default_rng(2)
    )
    assert r.status == "finished"


def _lstm_reference_loss(model: CharLSTM, theta: np.ndarray, data: Dataset) -> float:
    """Plain-Python LSTM forward pass, written from the equations of the class docstring."""
    Wx, Wh, b, Wy, by = model.unpack(theta)
    H = model.hidden
    total, count = 0.0, 0
    for x_seq, y_seq in zip(data.X, data.Y):
        h, c = np.zeros(H), np.zeros(H)
        for x, y in zip(x_seq, y_seq):
            a = Wx[:, x] + Wh @ h + b
            i, f, o = (1 / (1 + np.exp(-a[k * H : (k + 1) * H])) for k in range(3))
            g = np.tanh(a[3 * H :])
            c = f * c + i * g
            h = o * np.tanh(c)
            z = Wy @ h + by
            total += math.log(np.exp(z).sum()) - z[y]
            count += 1
    return total / count


def test_lstm_matches_plain_python_reference():
    rng = np.random.default_rng(5)
    model = CharLSTM(vocab=6, hidden=4)
    data = _chars(rng, 3, 7, 6)
    theta = model.init(rng) + 0.2 * rng.standard_normal(model.size)
    assert model.loss(theta, data) == pytest.approx(_lstm_reference_loss(model, theta, data))
    m = model.metrics(theta, data)
    assert 0.0 <= m["accuracy"] <= 1.0 and m["loss"] == pytest.approx(model.loss(theta, data))
    with pytest.raises(ValueError, match="symbols"):
        model.loss(theta, Dataset(data.X + 6, data.Y))
    with pytest.raises(ValueError, match="equal shape"):
        model.loss(theta, Dataset(data.X, data.Y[:, :-1]))


def test_residual_mlp_reference_and_init():
    rng = np.random.default_rng(6)
    model = ResidualMLP(4, 5, blocks=1, classes=3, branch_scale=0.5)
    X, y = rng.standard_normal((6, 4)), rng.integers(0, 3, 6)
    theta = model.init(rng)
    W0, b0, W1, b1, V1, c1, Wo, bo = model.unpack(theta)
    assert not np.any(b0) and not np.any(bo)
    h = np.maximum(X @ W0.T + b0, 0)
    h = h + np.maximum(h @ W1.T + b1, 0) @ V1.T + c1
    z = h @ Wo.T + bo
    ref = np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(6), y])
    assert model.loss(theta, Dataset(X, y)) == pytest.approx(ref)
    # the residual branch's second layer starts at half the He scale of its first layer
    big = ResidualMLP(64, 256, blocks=1, classes=3).unpack(
        ResidualMLP(64, 256, blocks=1, classes=3).init(np.random.default_rng(0))
    )
    assert np.std(big[4]) / np.std(big[2]) == pytest.approx(0.5, rel=0.05)
