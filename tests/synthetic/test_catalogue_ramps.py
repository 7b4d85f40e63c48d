"""The ramp families of the catalogue: C^2 joins (exact, sympy), curvature bounds (dense
sampling) and the compiled family against its symbolic form on random parameters."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from synthetic import catalogue as cat

X = sp.Symbol("x", real=True)


def _pieces(family):
    return [arg.expr for arg in family.expr.args]


def test_dipped_ramp_pieces_join_c2_symbolically():
    fam = cat._dipped_ramp_family()
    L, a, w, om, A, k = fam.params  # noqa: N806
    wall, bowl, trans, ramp = _pieces(fam)
    (x,) = fam.variables
    for left, right, at in ((wall, bowl, -1 / k), (bowl, trans, a), (trans, ramp, a + w)):
        for k in range(3):
            gap = sp.diff(left, x, k) - sp.diff(right, x, k)
            assert sp.simplify(gap.subs(x, at)) == 0, (k, at)


def test_log_ramp_pieces_join_c2_symbolically():
    fam = cat._log_ramp_family()
    s, big_x = fam.params
    left, mid, right = _pieces(fam)
    (x,) = fam.variables
    for lo, hi, at in ((left, mid, 1), (mid, right, big_x)):
        for k in range(3):
            assert sp.simplify((sp.diff(lo, x, k) - sp.diff(hi, x, k)).subs(x, at)) == 0


@pytest.mark.parametrize("seed", range(4))
def test_dipped_ramp_curvature_and_compiled_values(seed):
    rng = np.random.default_rng(seed)
    L = float(rng.uniform(0.5, 2))  # noqa: N806
    c = float(rng.uniform(0.01, 1))
    split = float(rng.uniform(0.1, 0.9))
    a, w = split * c / L, 2 * (1 - split) * c / L
    om = float(rng.uniform(5, 50)) / c
    A = float(rng.uniform(0, 1)) * L / om  # noqa: N806
    obj = cat.dipped_ramp(L, a, w, om, A)
    f = sp.lambdify(X, obj.expr.subs(obj.variables[0], X), "numpy")
    d1 = sp.lambdify(X, sp.diff(obj.expr, obj.variables[0]).subs(obj.variables[0], X), "numpy")
    d2 = sp.lambdify(X, sp.diff(obj.expr, obj.variables[0], 2).subs(obj.variables[0], X), "numpy")
    xs = np.linspace(-3 * c / L, 20 * c / L, 20001)
    assert np.all(np.abs(d2(xs)) <= L * (1 + 1e-12))
    # the wall: f'' = kappa |f'| (the Theorem 4 gadget's outside piece)
    wall = cat.dipped_ramp(L, a, w, om, A, 3.0)
    e1 = sp.diff(wall.expr, wall.variables[0])
    ws = np.linspace(-3.0, -1 / 3.0, 2001)
    g1 = sp.lambdify(wall.variables[0], e1, "numpy")(ws)
    g2 = sp.lambdify(wall.variables[0], sp.diff(e1, wall.variables[0]), "numpy")(ws)
    assert np.allclose(g2, 3.0 * np.abs(g1), rtol=1e-12)
    assert np.all(f(xs) >= -1e-15) and f(0.0) == 0
    assert np.all(d1(xs[xs > a]) > 0)  # no other minimum: f* = 0 at 0
    for t in rng.uniform(-c / L, 10 * c / L, 20):
        assert obj.f(t) == pytest.approx(float(f(t)), rel=1e-9, abs=1e-15)
        assert obj.grad(t)[0] == pytest.approx(float(d1(t)), rel=1e-9, abs=1e-15)


def test_log_ramp_curvature_and_slope():
    obj = cat.log_ramp(0.02, 1e4)
    d1 = sp.lambdify(X, sp.diff(obj.expr, obj.variables[0]).subs(obj.variables[0], X), "numpy")
    d2 = sp.lambdify(X, sp.diff(obj.expr, obj.variables[0], 2).subs(obj.variables[0], X), "numpy")
    xs = np.linspace(-5, 3e4, 300001)
    assert np.all(d2(xs) > 0) and np.all(d2(xs) <= 0.02 * (1 + 1e-12))
    assert d1(100.0) == pytest.approx(-0.02 / 100) and d1(2e4) == pytest.approx(0.0, abs=1e-15)
    # GD with h: the iterate passes x = s/eps after about (x^2 - x0^2)/(2 h s) steps
    h, x, k, eps = 25.0, 1.5, 0, 1e-3
    while abs(float(d1(x))) > eps:
        x -= h * float(d1(x))
        k += 1
    assert k == pytest.approx(((0.02 / eps) ** 2 - 1.5**2) / (2 * h * 0.02), rel=0.02)


@pytest.mark.parametrize(
    "args", [(0, 1, 1, 1, 0), (1, 1, 1, 10, 0.2), (1, 0.01, 0.01, 1, 0.5), (1, 1, -1, 1, 0)]
)
def test_dipped_ramp_rejects_bad_parameters(args):
    with pytest.raises(ValueError):
        cat.dipped_ramp(*args)


def test_log_ramp_rejects_bad_parameters():
    with pytest.raises(ValueError):
        cat.log_ramp(0.0, 10.0)
    with pytest.raises(ValueError):
        cat.log_ramp(1.0, 1.0)
    assert math.isfinite(cat.log_ramp().f(1e6))
