"""The compiled form of each family agrees with its symbolic form (docs/design.md, Performance)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from synthetic import catalogue as cat
from synthetic.objective import objective_from_expr


def symbolic_values(obj, x):
    """f, gradient and Hessian norm evaluated from the sympy expression with mpmath precision."""
    v = obj.variables
    point = {s: sp.Float(float(xi), 30) for s, xi in zip(v, np.atleast_1d(x))}
    f = obj.expr
    grad = [sp.diff(f, s) for s in v]
    hess = sp.Matrix([[sp.diff(g, s) for s in v] for g in grad])
    fv = float(f.evalf(30, subs=point))
    gv = np.array([float(g.evalf(30, subs=point)) for g in grad])
    hv = np.array(hess.evalf(30, subs=point).tolist(), dtype=float)
    return fv, gv, float(np.max(np.abs(np.linalg.eigvalsh(hv))))


def instances(rng):
    yield cat.polynomial(rng.normal(size=rng.integers(3, 17)))
    yield cat.power(float(rng.uniform(2.5, 8)), 1)
    yield cat.power(float(rng.uniform(2.5, 8)), 3)
    yield cat.exponential(rng.normal(size=2))
    yield cat.cosh(float(rng.uniform(0.2, 3)))
    yield cat.logcosh(float(rng.uniform(0.2, 3)))
    yield cat.logistic(float(rng.uniform(-3, 3)))
    yield cat.quartic_norm(rng.normal(size=(3, 3)), float(rng.uniform(0, 2)))
    yield cat.gadget(float(rng.uniform(1, 5)), float(rng.uniform(1, 5)))
    yield cat.separable(cat.cosh(float(rng.uniform(0.5, 2))), cat.polynomial([0, 1, 2, 0, 1]))
    yield cat.exp_square()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_compiled_agrees_with_symbolic_on_random_parameters(seed):
    rng = np.random.default_rng(seed)
    for obj in instances(rng):
        for _ in range(3):
            x = rng.uniform(-1.5, 1.5, size=obj.dim)
            f, g, h = symbolic_values(obj, x)
            assert obj.f(x) == pytest.approx(f, rel=1e-10, abs=1e-12), obj.name
            assert np.allclose(obj.grad(x), g, rtol=1e-10, atol=1e-12), obj.name
            assert obj.hess_norm(x) == pytest.approx(h, rel=1e-9, abs=1e-10), obj.name


def test_a_family_compiles_once_for_all_instances():
    a, b = cat.polynomial([1, 2, 3]), cat.polynomial([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert a.family is b.family
    assert a.family.compiled.fg is b.family.compiled.fg
    assert cat.cosh(1.0).family.compiled.fg is cat.cosh(2.0).family.compiled.fg


def test_gadget_is_c2_across_its_breakpoint():
    L0, L1 = 3.0, 2.0
    g = cat.gadget(L0, L1)
    x = sp.Symbol("x", real=True)
    inside, outside = (piece.expr for piece in g.expr.args)
    for k in range(3):
        at = sp.Rational(1) / sp.Rational(L1)
        assert (
            sp.simplify(sp.diff(inside, x, k).subs(x, at) - sp.diff(outside, x, k).subs(x, at)) == 0
        )
    assert g.hess_norm(0.2) == L0
    assert g.hess_norm(2.0) == pytest.approx(L1 * abs(g.grad(2.0)[0]), rel=1e-14)


def test_quartic_norm_oracle_from_paper():
    obj = cat.quartic_norm(np.linspace(1 / 20, 1, 20))
    x = np.zeros(20)
    x[0] = 89.0
    assert obj.hess_norm(x) == pytest.approx(79.2, abs=0.05)
    assert 4 + 3 * obj.grad_norm(x) == pytest.approx(56.9, abs=0.05)


def test_user_expression_compiles_and_caches():
    obj = objective_from_expr("Piecewise((x**2, x < 1), (2*x - 1, True))")
    assert obj.f(3.0) == 5.0 and obj.grad(3.0)[0] == 2.0 and obj.f(0.5) == 0.25
    again = objective_from_expr("Piecewise((x**2, x < 1), (2*x - 1, True))")
    assert again.family.compiled is obj.family.compiled
