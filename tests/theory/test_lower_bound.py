"""The lab's Theorem 4 construction (theory.lower_bound; arXiv 1905.11881 v2, Theorem 4)."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from synthetic.run import run
from theory.derivations.lower_bound import LAB_BOUND, RECALLED, theorem4_construction
from theory.lower_bound import (
    construction,
    gadget_gap,
    max_gradient_for_gap,
    min_gap,
    recalled_consistency,
)
from theory.theorems._symbols import DELTA, EPS, L0, L1, M

#: (L0, L1, M, Delta, eps): exponential-branch start, L1 > L0, L0 > L1, quadratic-branch start
CLASSES = [
    (1.0, 1.0, 100.0, 100.0, 1.0),
    (1.0, 4.0, 100.0, 25.0, 1.0),
    (4.0, 1.0, 50.0, 50.0, 0.5),
    (100.0, 1.0, 10.0, 1.0, 1.0),
]


# ------------------------------------------------------------------ C^2 across the pieces
def test_gadget_is_c2_across_its_pieces_symbolically():
    c = construction(*CLASSES[0])
    fam = c.diverging.objective.family
    (x,) = fam.variables
    pw = fam.expr
    assert isinstance(pw, sp.Piecewise) and len(pw.args) == 2
    inside, outside = pw.args[0].expr, pw.args[1].expr
    l0, l1 = fam.params
    for b in (1 / l1, -1 / l1):
        for order in range(3):
            di = sp.diff(inside, x, order).subs(x, b)
            do = sp.diff(outside, x, order).subs(x, b)
            assert sp.simplify(di - do) == 0, (b, order)
    # and (L0, L1)-smooth piecewise: f'' = L0 inside, f'' = L1 |f'| outside (x > 0)
    xp = sp.Symbol("xp", positive=True)
    out_p = outside.subs(x, xp)
    assert sp.simplify(sp.diff(out_p, xp, 2) - l1 * sp.diff(out_p, xp)) == 0
    assert sp.simplify(sp.diff(inside, x, 2) - l0) == 0


def test_slow_function_has_no_pieces_and_curvature_at_most_L0():
    c = construction(*CLASSES[0])
    fam = c.slow.objective.family
    assert not fam.expr.has(sp.Piecewise)  # C^infinity: one analytic expression (w > 0)
    (x,) = fam.variables
    s, w = fam.params
    f2 = sp.diff(fam.expr, x, 2)
    assert sp.simplify(f2 - s * w**2 / (x**2 + w**2) ** sp.Rational(3, 2)) == 0
    assert sp.simplify(f2.subs(x, 0) - s / w) == 0  # the maximum, = L0 with w = s/L0
    assert math.isclose(c.s / c.w, c.L0)


# ------------------------------------------------------------------ in the class (certify)
@pytest.mark.parametrize("cls", CLASSES)
def test_both_functions_certified_in_the_class(cls):
    c = construction(*cls)
    for chk in c.check_class():
        assert chk.in_class, chk.reasons
        assert chk.in_class_analytic
        assert chk.certificate.method in ("rigorous", "exact")
        assert chk.L0_cert <= c.L0 * (1 + 1e-9)
    a, b = c.check_class()
    assert math.isclose(a.M_cert, c.M, rel_tol=1e-9)  # (a) attains M at the start
    assert math.isclose(b.delta_cert, c.Delta, rel_tol=1e-9)  # (b) has gap exactly Delta
    assert a.delta_cert <= c.Delta * (1 + 1e-9)
    assert b.M_cert <= c.M


def test_small_gap_lowers_the_gadget_slope_and_stays_in_class():
    c = construction(1.0, 1.0, 1e4, 1.0, 1.0)
    assert c.M_a < c.M and c.notes
    assert math.isclose(gadget_gap(1.0, 1.0, c.M_a), 1.0, rel_tol=1e-12)
    a, _ = c.check_class()
    assert a.in_class, a.reasons


# ------------------------------------------------------------------ the divergence threshold
@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("delta", [1e-2, 1e-6])
def test_threshold_against_simulation_on_both_sides(cls, delta):
    c = construction(*cls)
    fa = c.diverging
    # on the quadratic branch (rho = L0 constant) the contraction is 1 - 2 delta: ~1e6 steps
    below = run(fa.objective, "gd", fa.x0, c.eps, h=c.h_threshold * (1 - delta), max_iter=10**7)
    above = run(fa.objective, "gd", fa.x0, c.eps, h=c.h_threshold * (1 + delta), max_iter=10**5)
    assert below.status == "converged"
    assert above.status in ("diverged", "max_iter")
    assert above.grad_norm_max >= c.M_a * (1 - 1e-9)


def test_threshold_hand_values():
    # exponential branch: 2 (1 + log(M L1/L0))/(M L1); quadratic branch (M L1 < L0): 2/L0
    assert math.isclose(construction(1, 1, 100, 100, 1).h_threshold, 2 * (1 + math.log(100)) / 100)
    assert math.isclose(construction(1, 4, 100, 25, 1).h_threshold, 2 * (1 + math.log(400)) / 400)
    assert math.isclose(construction(100, 1, 10, 1, 1).h_threshold, 2 / 100)


def test_quadratic_branch_threshold_is_an_exact_two_cycle():
    c = construction(100.0, 1.0, 10.0, 1.0, 1.0)  # start x0 = M/L0 = 0.1 inside |x| < 1
    r = run(c.diverging.objective, "gd", c.diverging.x0, c.eps, h=c.h_threshold, max_iter=1000)
    assert r.status == "max_iter" and math.isclose(abs(r.x_final[0]), 0.1)


# ------------------------------------------------------------------ the slow function
def test_slow_counts_exceed_the_step_length_bound():
    c = construction(*CLASSES[0])
    fb = c.slow
    for h in (1e-3, 1e-2, 0.99 * c.h_threshold):
        r = run(fb.objective, "gd", fb.x0, c.eps, h=h, max_iter=10**6)
        assert r.status == "converged"
        assert r.iterations >= c.slow_steps_lower(h)
        assert r.iterations <= 1.1 * c.slow_steps_lower(h) + 5  # and nearly attains it


def test_slope_just_above_eps_gives_up_to_four_times_more():
    b2 = construction(1.0, 1.0, 1e3, 1e3, 1.0).bound
    c = construction(1.0, 1.0, 1e3, 1e3, 1.0, kappa=1.1)
    assert 3.0 < c.bound / b2 < 4.0 and c.bound > 3 * c.recalled
    r = run(c.slow.objective, "gd", c.slow.x0, c.eps, h=c.h_threshold * (1 - 1e-9), max_iter=10**6)
    assert r.status == "converged" and c.bound <= r.iterations <= 1.01 * c.bound


# ------------------------------------------------------------------ the bound, by hand
def test_lab_bound_against_hand_computation():
    c = construction(1.0, 1.0, 100.0, 100.0, 1.0)
    h_star = 2 * (1 + math.log(100)) / 100
    x0_b = math.sqrt(50 * 54)  # D = Delta/s = 50, w = 2: sqrt(D (D + 2w))
    r_eps = 2 / math.sqrt(3)  # eps w / sqrt(s^2 - eps^2) = 2/sqrt(3)
    assert math.isclose(c.bound, (x0_b - r_eps) / (2 * h_star), rel_tol=1e-12)
    assert math.isclose(c.bound, 226.60696287, rel_tol=1e-9)
    closed = 100 * (100 - 4 / math.sqrt(3)) / (8 * (1 + math.log(100)))
    assert math.isclose(c.bound_closed, closed, rel_tol=1e-12)
    assert math.isclose(c.recalled, 100 * (100 - 0.625) / (8 * (math.log(100) + 1)))
    assert c.bound >= c.bound_closed
    assert c.complexity_lower(h_star) == math.inf
    assert c.complexity_lower(0.5 * h_star) > c.bound


def test_symbolic_lab_bound_matches_the_numbers():
    for cls in CLASSES[:3]:
        c = construction(*cls)
        vals = {L0: c.L0, L1: c.L1, M: c.M, DELTA: c.Delta, EPS: c.eps}
        assert math.isclose(float(LAB_BOUND.subs(vals)), c.bound_closed, rel_tol=1e-12)
        assert math.isclose(float(RECALLED.subs(vals)), c.recalled, rel_tol=1e-12)


def test_derivation_steps_all_hold():
    d = theorem4_construction()
    assert d.all_checked and d.constant_reproduced == "partial"
    assert sum(ch == "sympy" for ch in d.checks) >= len(d.checks) - 2


# ------------------------------------------------------------------ class consistency
def test_min_gap_and_its_inverse():
    for l0, l1 in ((1.0, 1.0), (4.0, 1.0), (1.0, 4.0)):
        for m in (0.5, 3.0, 100.0, 1e4):
            assert gadget_gap(l0, l1, m) >= min_gap(m, l0, l1)  # the gadget is in the class
        for d in (0.1, 1.0, 1e3):
            assert math.isclose(min_gap(max_gradient_for_gap(d, l0, l1), l0, l1), d, rel_tol=1e-9)


def test_recalled_bound_against_theorem6_when_delta_is_small():
    bad = recalled_consistency(1.0, 1.0, 1e4, 1.0, 1.0)
    assert bad["consistent"] == 0.0 and bad["theorem6_upper"] < bad["recalled"]
    assert math.isclose(bad["M_eff"], 2.1461932, rel_tol=1e-6)
    assert recalled_consistency(1.0, 1.0, 1e4, 1e4, 1.0)["consistent"] == 1.0


@pytest.mark.parametrize(
    "args",
    [(0.5, 1, 10, 1, 1), (1, 0.5, 10, 1, 1), (1, 1, 1, 1, 1), (1, 1, 10, 1, 2), (1, 1, 10, -1, 1)],
)
def test_outside_the_class_is_a_value_error(args):
    with pytest.raises(ValueError):
        construction(*args)


def test_kappa_must_exceed_one():
    with pytest.raises(ValueError, match="kappa"):
        construction(1, 1, 10, 10, 1, kappa=1.0)
