"""A battery of 1-D elementary functions against a dense-sampling reference.

The reference is written here: f, f', f'' by sympy differentiation, evaluated with numpy
on a grid of spacing 2e-4 over [-30, 30]; S0 is the set of grid points with
f <= f(x0), S the grid points within the radius of S0. Each certified value must be
sound (a supremum never below the sampled one, f* never above the sampled minimum) and
tight (within 1e-3 relative, or 1e-6 absolute near 0). A few representative cases run
in the default suite; the whole battery is marked slow.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from synthetic.parse import parse_expression
from theory.smoothness import certify

# (expression, start): exponentials with polynomial or linear terms, hyperbolic and
# logistic functions, rational functions, periodic terms, products, compositions; starts
# in the tails and at minima.
BATTERY_1D = [
    ("exp(2*x) - 3*x", 1.0),
    ("exp(2*x) - 3*x", -4.0),
    ("exp(-x) + x", -2.0),
    ("exp(-x) + x", 0.0),
    ("exp(x) - x", 2.0),
    ("exp(x) + exp(-x)", 1.0),
    ("exp(x) + exp(-x)", 0.0),
    ("2*cosh(x)", 0.0),
    ("cosh(x)", 2.5),
    ("cosh(2*x) + x**4", 1.0),
    ("cosh(x) + x**2", -1.5),
    ("log(cosh(x))", 0.0),
    ("log(cosh(x))", 3.0),
    ("log(1 + exp(-x))", 0.0),
    ("log(1 + exp(-x))", -3.0),
    ("log(1 + exp(x)) + log(1 + exp(-x))", 2.0),
    ("log(1 + exp(x)) + x**2/2", 1.0),
    ("x*tanh(x)", 2.0),
    ("x*tanh(x)", 0.0),
    ("x*atan(x)", 1.5),
    ("sqrt(1 + x**2)", 3.0),
    ("sqrt(1 + x**2) + x/2", 1.0),
    ("x**2/(1 + x**2)", 3.0),
    ("x**2/(1 + x**2)", 0.5),
    ("1 - 1/(1 + x**2)", 2.0),
    ("x**4/(1 + x**2)", 2.0),
    ("log(1 + x**2)", 1.0),
    ("log(1 + x**2)", 5.0),
    ("exp(-x**2)*(-1) + 1", 1.0),
    ("exp(x**2/4)", 1.5),
    ("exp(-x)", 1.0),
    ("exp(x)", 0.0),
    ("exp(x)*x**2", -1.0),
    ("x**3*exp(x) + 2", -1.0),
    ("x**2*exp(-x)", 1.0),
    ("x**2 + sin(x)", 2.0),
    ("x**2 + 3*sin(x)", 1.0),
    ("x**2 + cos(3*x)", 0.5),
    ("sin(x)", 1.0),
    ("cos(x)", 0.5),
    ("sin(x) + cos(2*x)", 0.3),
    ("sin(x)**2", 1.0),
    ("2 + sin(x) + sin(2*x)/2", 0.0),
    ("exp(sin(x))", 1.0),
    ("x**2*exp(-x**2) + x**2", 1.0),
    ("tanh(x)**2", 1.0),
    ("erf(x)**2 + x**2/10", 1.0),
    ("exp(x) + exp(-2*x) + x**2", 0.5),
]

FAST_1D = [
    ("exp(2*x) - 3*x", 1.0),
    ("exp(-x) + x", -2.0),
    ("2*cosh(x)", 0.0),
    ("x**2/(1 + x**2)", 3.0),
    ("exp(-x)", 1.0),
    ("sin(x)", 1.0),
    ("x**2 + sin(x)", 2.0),
]

_GRID = np.linspace(-30.0, 30.0, 300001)


def _reference(expr_text: str, x0: float, L1: float, radius: float = 1.0):
    expr, (x,) = parse_expression(expr_text)
    exprs = (expr, sp.diff(expr, x), sp.diff(expr, x, 2))
    f, d1, d2 = (sp.lambdify(x, e, ["scipy", "numpy"]) for e in exprs)
    t = _GRID
    with np.errstate(all="ignore"):
        fv = np.broadcast_to(np.asarray(f(t), dtype=float), t.shape)
        g = np.abs(np.broadcast_to(np.asarray(d1(t), dtype=float), t.shape))
        h = np.abs(np.broadcast_to(np.asarray(d2(t), dtype=float), t.shape))
    level = float(sp.N(expr.subs(x, sp.Rational(x0)), 30))
    in_s0 = fv <= level + 1e-12 * (1 + abs(level))
    in_s0[np.argmin(np.abs(t - x0))] = True
    # S: grid points within the radius of S0 (a running distance to the nearest S0 point)
    idx = np.flatnonzero(in_s0)
    pos = np.searchsorted(t[idx], t)
    left = t[idx[np.clip(pos - 1, 0, len(idx) - 1)]]
    right = t[idx[np.clip(pos, 0, len(idx) - 1)]]
    in_s = np.minimum(np.abs(t - left), np.abs(t - right)) <= radius
    return {
        "f_star": float(np.min(fv)),
        "M": float(np.max(g[in_s0])),
        "L": float(np.max(h[in_s])),
        "L0": max(0.0, float(np.max(h[in_s] - L1 * g[in_s]))),
    }


def _close(cert_value: float, ref: float, what: str, case) -> None:
    slack = 1e-3 * abs(ref) + 1e-6
    assert cert_value >= ref - 1e-9 * (1 + abs(ref)), f"{case}: {what} {cert_value} < sampled {ref}"
    assert cert_value <= ref + slack, f"{case}: {what} {cert_value} not tight (sampled {ref})"


def _check_case(expr_text: str, x0: float) -> None:
    case = (expr_text, x0)
    cert = certify(expr_text, x0, budget=60)
    assert cert.method in ("exact", "rigorous"), case
    for L1 in (0.0, 1.0):
        ref = _reference(expr_text, x0, L1)
        _close(cert.L0(L1), ref["L0"], f"L0({L1})", case)
    ref = _reference(expr_text, x0, 1.0)
    _close(cert.L, ref["L"], "L", case)
    _close(cert.M, ref["M"], "M", case)
    assert cert.f_star <= ref["f_star"] + 1e-12, case
    assert cert.f_star >= ref["f_star"] - 1e-3 * abs(ref["f_star"]) - 1e-6, case


def test_battery_size():
    assert len(BATTERY_1D) >= 40


@pytest.mark.parametrize("expr_text, x0", FAST_1D)
def test_representative_1d_sound_and_tight(expr_text, x0):
    _check_case(expr_text, x0)


@pytest.mark.slow
@pytest.mark.parametrize("expr_text, x0", BATTERY_1D)
def test_battery_1d_sound_and_tight(expr_text, x0):
    _check_case(expr_text, x0)


@pytest.mark.parametrize(
    "expr_text, x0, match",
    [
        ("x + exp(x)", 0.0, r"f -> -inf as x -> -inf"),
        ("exp(-x) - x", 0.0, r"f -> -inf as x -> \+inf"),
        ("x**3", 1.0, r"f -> -inf as x -> -inf"),
        ("Abs(x)**1.5", 1.0, r"not twice differentiable at 0"),
        ("x - log(x)", 2.0, r"not real and continuous on all of R"),
    ],
)
def test_specific_refusals(expr_text, x0, match):
    with pytest.raises(ValueError, match=match) as info:
        certify(expr_text, x0, budget=30)
    assert "\n" not in str(info.value)


def test_periodic_sublevel_set_is_described_on_one_period():
    cert = certify("sin(x)", 1.0, budget=30)
    kind, period, pieces = cert.sublevel
    assert kind == "periodic" and period == pytest.approx(2 * math.pi)
    # S0 within [0, 2 pi]: [0, 1] and [pi - 1, 2 pi] (sin x <= sin 1)
    assert pieces[0][0] == 0.0 and pieces[0][1] == pytest.approx(1.0, abs=1e-8)
    assert pieces[-1] == pytest.approx((math.pi - 1.0, 2 * math.pi), abs=1e-8)
    assert cert.f_star == pytest.approx(-1.0, abs=1e-8) and cert.f_star <= -1.0 + 1e-12


def test_point_sublevel_set_at_the_minimum():
    cert = certify("2*cosh(x)", 0.0, budget=30)
    lo, hi = cert.sublevel[0][0], cert.sublevel[-1][1]
    assert lo <= 0.0 <= hi and hi - lo < 1e-6
    assert cert.delta == pytest.approx(0.0, abs=1e-12)


def test_global_mode_closed_forms():
    # log(1 + e^{-x}): sup |f''| = 1/4 at 0 and sup |f'| -> 1 (not attained) on R
    cert = certify("log(1 + exp(-x))", budget=60)
    assert cert.x0 == () and math.isnan(cert.delta)
    assert 0.25 <= cert.L <= 0.25 * (1 + 1e-6)
    assert 1.0 <= cert.M <= 1.01
    # x^4 on R: L0*(1) = max of 12x^2 - 4|x|^3 = 16 at |x| = 2
    assert certify("x**4").L0(1.0) == pytest.approx(16.0, rel=1e-9)


def test_glued_piece_with_float_coefficients_is_certified():
    # log_ramp(s, X): s(1 - x) + s(x - 1)^2/2 below 1, -s log x on [1, X], a quadratic
    # beyond; f'' = s/x^2 <= s on [1, X] and s elsewhere, so L = s. Its pieces carry the
    # float s as a 58-bit rational, on which sympy's simplify once ran for minutes.
    from synthetic import catalogue as cat

    cert = certify(cat.log_ramp(0.02, 1e4), 1.5, budget=60)
    assert cert.method == "rigorous"
    assert 0.02 <= cert.L <= 0.02 * (1 + 1e-6)
