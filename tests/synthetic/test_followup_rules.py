"""Follow-up step rules (Vankov et al., Gorbunov et al., Koloskova et al., Chen et al.) and
Armijo backtracking (Hübler et al.), against closed forms and a plain-Python reference.

Map: ``_ref_step`` (the formulas of docs/paper.md, "Follow-up step rules", written here) ->
every rule of ``FOLLOW_UPS``; ``reference_run`` -> the compiled kernels; ``_armijo_ref`` ->
:func:`synthetic.line_search.run_armijo` with its evaluation counts.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from synthetic import catalogue as cat
from synthetic.cli import main as synthetic_main
from synthetic.line_search import run_armijo, run_method
from synthetic.run import run
from synthetic.steprules import RULES

from .reference import derivative, horner

FOLLOW_UPS = (
    "vankov_eta_star",
    "vankov_eta_si",
    "vankov_eta_cl",
    "smoothed_clip",
    "koloskova_clip",
    "beta_normalized_gd",
)


def _ref_step(method: str, g: float, p: dict) -> float:
    """The rules as written in the papers (limits at g = 0 where they are finite)."""
    if method == "vankov_eta_star":
        l0, l1 = p["L0"], p["L1"]
        if l1 * g == 0:
            return 1 / l0 if l0 > 0 else 0.0
        return math.log1p(l1 * g / (l0 + l1 * g)) / (l1 * g)
    if method == "vankov_eta_si":
        return 1 / (p["L0"] + 1.5 * p["L1"] * g) if p["L0"] + p["L1"] * g > 0 else 0.0
    if method == "vankov_eta_cl":
        a = 1 / (2 * p["L0"]) if p["L0"] > 0 else math.inf
        b = 1 / (3 * p["L1"] * g) if p["L1"] * g > 0 else math.inf
        return min(a, b) if min(a, b) < math.inf else 0.0
    if method == "smoothed_clip":
        den = p["L0"] + p["L1"] * g
        return p["eta"] / den if den > 0 else 0.0
    if method == "koloskova_clip":
        return p["eta"] * (min(1.0, p["c"] / g) if g > 0 else 1.0)
    if method == "beta_normalized_gd":
        return p["gamma"] / g ** p["beta"] if g > 0 else p["gamma"]
    raise ValueError(method)


def _params(method: str, a: float, b: float) -> dict:
    names = RULES[method].params
    vals = {"L0": a, "L1": b, "eta": 0.3, "c": b, "gamma": a, "beta": min(b, 1.0)}
    return {k: vals[k] for k in names}


pos = st.floats(1e-3, 1e3)
norms = st.floats(0.0, 1e6)


@settings(max_examples=60, deadline=None)
@given(m=st.sampled_from(FOLLOW_UPS), a=pos, b=pos, g=norms)
def test_rule_matches_reference(m, a, b, g):
    p = _params(m, a, b)
    got = RULES[m].func(g, np.array([p[k] for k in RULES[m].params]))
    assert got == pytest.approx(_ref_step(m, g, p), rel=1e-12, abs=0.0)


@settings(max_examples=100, deadline=None)
@given(l0=pos, l1=pos, g=norms)
@example(l0=4.0, l1=1.0, g=2.2250738585e-313)  # a denormal g: eta* must not lose precision
def test_vankov_ordering(l0, l1, g):
    s = np.array([l0, l1])
    cl, si, star = (RULES[f"vankov_eta_{k}"].func(g, s) for k in ("cl", "si", "star"))
    assert cl <= si * (1 + 1e-12) and si <= star * (1 + 1e-12)
    assert cl >= 0.5 * si * (1 - 1e-12)  # min{1/x, 1/y} >= 1/(x + y)


@pytest.mark.parametrize(
    "method, params, want",
    [
        ("vankov_eta_star", (2.0, 3.0), 0.5),  # limit 1/L0
        ("vankov_eta_star", (0.0, 3.0), 0.0),  # limit infinite: 0
        ("vankov_eta_si", (2.0, 3.0), 0.5),
        ("vankov_eta_cl", (2.0, 3.0), 0.25),
        ("vankov_eta_cl", (0.0, 3.0), 0.0),
        ("smoothed_clip", (0.3, 2.0, 5.0), 0.15),
        ("koloskova_clip", (0.3, 2.0), 0.3),
        ("beta_normalized_gd", (0.3, 1.0), 0.3),
    ],
)
def test_zero_gradient_branch(method, params, want):
    assert RULES[method].func(0.0, np.array(params)) == want


def test_validation():
    assert RULES["vankov_eta_star"].validate({"L0": 0, "L1": 2}) == (0.0, 2.0)
    with pytest.raises(ValueError, match="cannot all be 0"):
        RULES["vankov_eta_si"].validate({"L0": 0, "L1": 0})
    with pytest.raises(ValueError, match="L1 must be finite"):
        RULES["vankov_eta_cl"].validate({"L0": 1, "L1": -1})


# --- closed forms ------------------------------------------------------------------
@pytest.mark.parametrize("method", ["vankov_eta_star", "vankov_eta_si"])
def test_quadratic_one_step(method):
    """f = a x^2/2 is (a, 0)-smooth; with L1 = 0 both steps are 1/a: x1 = 0."""
    a = 3.0
    r = run(f"{a}*x**2/2", method, 5.0, 1e-9, L0=a, L1=0.0)
    assert (r.status, r.iterations) == ("converged", 1)


def test_quadratic_eta_cl_halves():
    """eta_cl = 1/(2a) with L1 = 0: x_k = x0/2^k, T = ceil(log2(a x0/eps))."""
    a, x0, eps = 3.0, 5.0, 1e-6
    r = run(f"{a}*x**2/2", "vankov_eta_cl", x0, eps, L0=a, L1=0.0)
    assert r.iterations == math.ceil(math.log2(a * x0 / eps))


@pytest.mark.parametrize("d", [1, 2])
def test_power_constant_step_length(d):
    """||x||^4/4, h = gamma/||g|| (beta = 1): r_k = r0 - k gamma; r0 = 3.05, gamma = 1/4
    gives r_11 = 0.3 (g = 0.027) and r_12 = 0.05 (g = 1.25e-4 <= 1e-3): T = 12."""
    x0 = 3.05 if d == 1 else [3.05, 0.0]
    r = run(cat.power(4.0, d), "beta_normalized_gd", x0, 1e-3, gamma=0.25, beta=1.0)
    assert (r.status, r.iterations) == ("converged", 12)


def test_power_koloskova_clipping_regime():
    """x^4/4 from 3.05 with eta c = 1/4, c = 1e-3: every step is clipped while g > c, so
    the step length is eta c and the count is the same 12 as above."""
    r = run(cat.power(4.0, 1), "koloskova_clip", 3.05, 1e-3, eta=250.0, c=1e-3)
    assert (r.status, r.iterations) == ("converged", 12)


def test_power_eta_star_closed_form_step():
    """One step of eta* on x^p/p equals the formula at g = |x0|^(p-1)."""
    p, x0, l0, l1 = 4.0, 2.0, 1.0, 3.0
    r = run(cat.power(p, 1), "vankov_eta_star", x0, 1e-12, max_iter=1, L0=l0, L1=l1)
    g = x0 ** (p - 1)
    want = x0 - _ref_step("vankov_eta_star", g, {"L0": l0, "L1": l1}) * g
    assert r.x_final[0] == pytest.approx(want, rel=1e-14)


def _reference_run(coeffs, method, x0, eps, params, max_iter):
    d = derivative(list(coeffs))
    x = float(x0)
    for k in range(max_iter + 1):
        f, g = horner(coeffs, x), horner(d, x)
        if not (math.isfinite(g) and math.isfinite(f)):
            return "diverged", k
        if abs(g) <= eps:
            return "converged", k
        if k == max_iter:
            return "max_iter", k
        x = x - _ref_step(method, abs(g), params) * g
    raise AssertionError("unreachable")


@pytest.mark.parametrize("method", FOLLOW_UPS)
def test_kernel_against_reference(method):
    coeffs = [0.0, 0.5, -1.0, 0.0, 0.0, 0.0, 0.3]
    p = _params(method, 4.0, 2.0)
    if method == "smoothed_clip":
        p["eta"] = 0.28
    if method == "beta_normalized_gd":
        p.update(gamma=0.05, beta=0.5)
    for x0 in (-2.5, 0.7, 3.0):
        r = run(cat.polynomial(coeffs), method, x0, 1e-4, max_iter=5000, **p)
        want = _reference_run(coeffs, method, x0, 1e-4, p, 5000)
        assert (r.status, r.iterations) == want


# --- Armijo -------------------------------------------------------------------------
def _armijo_ref(coeffs, x0, eps, t0, shrink, c, max_iter):
    d = derivative(list(coeffs))
    x = float(x0)
    n_f = 1
    f, g = horner(coeffs, x), horner(d, x)
    for k in range(max_iter + 1):
        if abs(g) <= eps:
            return "converged", k, n_f, k + 1
        if k == max_iter:
            return "max_iter", k, n_f, k + 1
        t = t0
        while True:
            xt = x - t * g
            ft = horner(coeffs, xt)
            n_f += 1
            if ft <= f - c * t * g * g:
                break
            t *= shrink
        x, f, g = xt, ft, horner(d, xt)
    raise AssertionError("unreachable")


@pytest.mark.parametrize("t0, shrink, c", [(1.0, 0.5, 0.5), (10.0, 0.3, 0.1), (0.01, 0.9, 0.9)])
def test_armijo_against_reference(t0, shrink, c):
    coeffs = [0.0, 0.5, -1.0, 0.0, 0.3]
    for x0 in (-2.5, 3.0):
        r = run_armijo(cat.polynomial(coeffs), x0, 1e-5, t0=t0, shrink=shrink, armijo_c=c)
        want = _armijo_ref(coeffs, x0, 1e-5, t0, shrink, c, 10**6)
        assert (r.status, r.iterations, r.f_evals, r.grad_evals) == want


def test_armijo_quadratic_closed_form():
    """f = a x^2/2, t0 = 4/a: trials 4/a (f grows), 2/a (f equal, rejected), 1/a (x = 0):
    one step, four f evaluations (x0 and three trials), two gradients."""
    r = run_armijo("3*x**2/2", 5.0, 1e-9, t0=4.0 / 3.0, shrink=0.5, armijo_c=0.5)
    assert (r.iterations, r.f_evals, r.grad_evals, r.x_final[0]) == (1, 4, 2, 0.0)


def test_armijo_nd_matches_1d_on_axis():
    r1 = run_armijo(cat.power(4.0, 1), 3.0, 1e-4, t0=1.0)
    r2 = run_armijo(cat.power(4.0, 2), [3.0, 0.0], 1e-4, t0=1.0)
    assert (r1.iterations, r1.f_evals) == (r2.iterations, r2.f_evals)


def test_armijo_line_search_failure():
    """A start where every trial returns NaN (log of a negative number) backtracks until the
    cap: the run ends as diverged with cause line_search, not an exception or a hang."""
    r = run_armijo("x**2 + log(x)", 0.1, 1e-6, t0=1e6, max_backtracks=3)
    assert (r.status, r.cause) == ("diverged", "line_search")


def test_run_method_dispatch_and_errors():
    assert run_method("x**2", "armijo", 1.0, 1e-6, t0=0.5).iterations == 1
    assert run_method("x**2", "gd", 1.0, 1e-6, h=0.5).iterations == 1
    with pytest.raises(ValueError, match="needs --t0"):
        run_method("x**2", "armijo", 1.0, 1e-6)
    with pytest.raises(ValueError, match="in \\(0, 1\\)"):
        run_armijo("x**2", 1.0, 1e-6, t0=1.0, shrink=1.0)


def test_cli_new_methods(capsys):
    assert synthetic_main(["vankov_eta_cl", "x**2", "--x0", "1", "--eps", "1e-3",
                           "--L0", "2", "--L1", "0", "--json"]) == 0  # fmt: skip
    assert '"iterations": 1' in capsys.readouterr().out
    assert synthetic_main(["armijo", "x**2", "--x0", "1", "--eps", "1e-3", "--t0", "0.5"]) == 0
    with pytest.raises(SystemExit) as exc:
        synthetic_main(["gd", "x**2", "--x0", "1", "--eps", "1e-3", "--L0", "1"])
    assert exc.value.code == 2
