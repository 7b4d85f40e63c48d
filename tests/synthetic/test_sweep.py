"""The sweep engine equals single runs, trajectory by trajectory, bit for bit."""

from __future__ import annotations

import numba
import numpy as np
import pytest

from synthetic.objective import objective_from_expr
from synthetic.run import run
from synthetic.sweep import SweepResult, sweep

MAX_ITER = 200

OBJECTIVES = {
    "poly": ("x**4 + 0.5*x**2", 1),
    "exp": ("exp(x) + exp(-2*x)", 1),
    "2d": ("x1**2/2 + x2**4/4", 2),
}

# parameter grids mixing converged, diverged and max_iter trajectories (n = 40)
N = 40
_GRID = np.geomspace(1e-4, 3.0, N)
METHODS = {
    "gd": {"h": _GRID},
    "clipped_gd": {"eta": _GRID, "gamma": 0.5},
    "normalized_gd": {"eta": 0.2, "beta": np.geomspace(1e-3, 10.0, N)},
    "clipped_gd_torch": {"eta": _GRID, "gamma": 0.5},
    "clipped_gd_optax": {"eta": _GRID, "gamma": np.linspace(0.05, 2.0, N)},
}

_OBJ_CACHE: dict = {}


def _objective(key):
    if key not in _OBJ_CACHE:
        expr, dim = OBJECTIVES[key]
        _OBJ_CACHE[key] = objective_from_expr(expr, dim=dim)
    return _OBJ_CACHE[key]


def _starts(dim: int) -> np.ndarray:
    rng = np.random.default_rng(7)
    x = rng.uniform(-6.0, 6.0, size=(N, dim))
    x[0] = 0.0  # stationary at k = 0
    return x[:, 0].copy() if dim == 1 else x


def _bits(v) -> bytes:
    return np.asarray(v, dtype=np.float64).tobytes()


def _assert_same(res: SweepResult, i: int, ref) -> None:
    got = res.run_result(i)
    assert got.status == ref.status, i
    assert got.cause == ref.cause, i
    assert got.iterations == ref.iterations, i
    assert got.monotone == ref.monotone, i
    assert _bits(got.x_final) == _bits(ref.x_final), i
    for name in ("f_final", "grad_norm_final", "grad_norm_max"):
        assert _bits(getattr(got, name)) == _bits(getattr(ref, name)), (i, name)


@pytest.mark.parametrize("obj_key", list(OBJECTIVES))
@pytest.mark.parametrize("method", list(METHODS))
def test_sweep_equals_single_runs(obj_key, method):
    obj = _objective(obj_key)
    x0s = _starts(obj.dim)
    params = METHODS[method]
    res = sweep(obj, method, x0s, 1e-6, params, max_iter=MAX_ITER)
    assert len(res) == N
    for i in range(N):
        pi = {k: float(np.broadcast_to(v, (N,))[i]) for k, v in params.items()}
        _assert_same(res, i, run(obj, method, x0s[i], 1e-6, max_iter=MAX_ITER, **pi))
    if method == "gd":  # the grid is built to hit every outcome
        assert set(res.status) == {"converged", "diverged", "max_iter"}


def test_non_finite_start_value_and_per_trajectory_eps():
    obj = objective_from_expr("exp(x)")
    x0s = np.array([800.0, 1.0, -40.0, 2.0])  # f(800) = inf: diverged at k = 0
    eps = np.array([1e-3, 1e-3, 1e-12, 10.0])  # -40: already eps-stationary at k = 0
    res = sweep(obj, "gd", x0s, eps, h=0.5, max_iter=MAX_ITER)
    assert res.status[0] == "diverged" and res.cause[0] == "inf" and res.iterations[0] == 0
    for i in range(4):
        _assert_same(res, i, run(obj, "gd", x0s[i], eps[i], max_iter=MAX_ITER, h=0.5))


def test_more_trajectories_than_one_chunk():
    """Refilled lanes, parked lanes and several chunks per thread."""
    obj = _objective("poly")
    rng = np.random.default_rng(3)
    n = 1000
    x0s = rng.uniform(-5.0, 5.0, n)
    h = rng.uniform(1e-3, 0.2, n)
    res = sweep(obj, "gd", x0s, 1e-8, h=h, max_iter=150)
    assert {"converged", "diverged", "max_iter"} <= set(res.status)
    for i in rng.choice(n, 60, replace=False):
        _assert_same(res, i, run(obj, "gd", x0s[i], 1e-8, max_iter=150, h=h[i]))


def _arrays(res: SweepResult) -> list[np.ndarray]:
    return [
        res.status_code,
        res.cause_code,
        res.iterations,
        res.x_final,
        res.f_final,
        res.grad_norm_final,
        res.grad_norm_max,
        res.monotone,
    ]


@pytest.mark.parametrize("obj_key", ["poly", "2d"])
def test_thread_count_and_chunking_do_not_change_results(obj_key):
    obj = _objective(obj_key)
    x0s = _starts(obj.dim)
    x0s = np.concatenate([x0s] * 10)
    h = np.concatenate([_GRID] * 10)
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = sweep(obj, "gd", x0s, 1e-6, h=h, max_iter=MAX_ITER)
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        two = sweep(obj, "gd", x0s, 1e-6, h=h, max_iter=MAX_ITER)
    finally:
        numba.set_num_threads(old)
    calls = []
    with_progress = sweep(
        obj, "gd", x0s, 1e-6, h=h, max_iter=MAX_ITER,
        progress=lambda done, total: calls.append((done, total)),
    )  # fmt: skip
    for a, b, c in zip(_arrays(one), _arrays(two), _arrays(with_progress)):
        assert a.tobytes() == b.tobytes() == c.tobytes()
    assert calls[-1] == (len(h), len(h))
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_broadcasting():
    obj = _objective("poly")
    res = sweep(obj, "clipped_gd", 2.0, 1e-6, {"eta": [0.1, 0.2, 0.3]}, gamma=1.0, max_iter=50)
    assert len(res) == 3 and res.x0.shape == (3,) and res.params["gamma"].tolist() == [1.0] * 3
    single = sweep(obj, "gd", 2.0, 1e-6, h=0.1, max_iter=50)
    assert len(single) == 1
    obj2 = _objective("2d")
    res2 = sweep(obj2, "gd", [1.0, 2.0], 1e-6, h=[0.1, 0.2], max_iter=50)
    assert res2.x0.shape == (2, 2) and res2.x_final.shape == (2, 2)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"eps": 0.0}, "eps must be finite and > 0"),
        ({"eps": [1e-3, np.nan, 1e-3]}, "eps must be finite"),
        ({"h": -1.0}, "h must be finite and > 0"),
        ({"h": [0.1, 0.0, 0.1]}, "h must be finite and > 0"),
        ({"method": "clipped_gd", "params": {"eta": 0.1, "gamma": [1.0, 0.0, 1.0]}}, "gamma must"),
        ({"h": [0.1, np.inf, 0.1]}, "h must be finite"),
        ({"method": "adam"}, "unknown method"),
        ({"params": {"h": 0.1, "eta": 1.0}}, "unknown: eta"),
        ({"method": "clipped_gd", "params": {"eta": 0.1}}, "gamma"),
        ({"h": [0.1, 0.2]}, "one common length"),
        ({"x0s": [1.0, np.nan, 2.0]}, "x0 must be finite"),
        ({"x0s": [[1.0, 2.0]] * 3}, "x0s must be a scalar or a 1-D array"),
        ({"max_iter": 0}, "max_iter must be an integer >= 1"),
        ({"h": [[0.1]]}, "h must be a scalar or a 1-D array"),
    ],
)
def test_bad_input(kwargs, match):
    args = {"method": "gd", "x0s": [1.0, 2.0, 3.0], "eps": 1e-6, "params": None, "h": 0.1}
    args.update(kwargs)
    method, x0s, eps, params = (
        args.pop("method"),
        args.pop("x0s"),
        args.pop("eps"),
        args.pop("params"),
    )
    if params is not None:
        args.pop("h")
    with pytest.raises(ValueError, match=match) as info:
        sweep(_objective("poly"), method, x0s, eps, params, **args)
    assert "\n" not in str(info.value)


def test_bad_start_dimension():
    with pytest.raises(ValueError, match=r"shape \(2,\) or \(n, 2\)"):
        sweep(_objective("2d"), "gd", np.zeros((3, 3)), 1e-6, h=0.1)
    with pytest.raises(ValueError, match="coordinate"):
        sweep(_objective("2d"), "gd", [1.0, 2.0, 3.0], 1e-6, h=0.1)


@pytest.mark.parametrize("max_iter", [1, 2, 3, 4, 5, 9])
def test_small_max_iter_around_the_step_batches(max_iter):
    """max_iter below, at and above the engine's batch length (rollback paths)."""
    obj = _objective("poly")
    x0s = np.linspace(-3.0, 3.0, 21)
    h = np.geomspace(1e-3, 1.0, 21)
    res = sweep(obj, "gd", x0s, 1e-3, h=h, max_iter=max_iter)
    for i in range(21):
        _assert_same(res, i, run(obj, "gd", x0s[i], 1e-3, max_iter=max_iter, h=h[i]))
