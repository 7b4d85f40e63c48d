"""Follow-up results: derivations (independent numeric truth), theorem objects (hand values,
expression = value, kernel-ready params), ``python -m theory`` and soundness on instances.

Map: ``test_decrease_constants_dense`` -> ``vankov_steps`` (a = 1, 1, 3/4); ``test_upper_model_*``
-> ``l0l1_upper_model``; ``test_hand_values`` -> every ``FollowUpTheorem.value``;
``test_runs_within_bounds`` -> the bounds against ``synthetic.line_search.run_method``.
"""

from __future__ import annotations

import contextlib
import io
import json
import math

import numpy as np
import pytest
import sympy as sp

from synthetic.line_search import METHODS, run_method
from theory.cli import main as theory_main
from theory.derivations import get
from theory.smoothness import certify
from theory.theorems import (
    ALL,
    ARMIJO,
    BETA_NGD,
    EFFECTIVE_L,
    KOLOSKOVA_CLIP,
    SMOOTHED_CLIP,
    THEOREM_6,
    VANKOV_ETA_CL,
    VANKOV_ETA_SI,
    VANKOV_ETA_STAR,
)
from theory.theorems._symbols import DELTA, EPS, L0, L1, M

FOLLOWUPS = [t for t in ALL if getattr(t, "followup", False)]
NAMES = [
    "l0l1_upper_model",
    "vankov_steps",
    "smoothed_clip_count",
    "koloskova_count",
    "beta_ngd_count",
    "armijo_count",
    "effective_l_count",
]


@pytest.mark.parametrize("name", NAMES)
def test_derivations_hold(name):
    d = get(name)
    assert d.all_checked and d.steps


def test_ids_name_their_papers():
    keys = {t.key for t in FOLLOWUPS}
    assert keys == {
        "vankov2025_eta_star",
        "vankov2025_eta_si",
        "vankov2025_eta_cl",
        "gorbunov2025_smoothed_clip",
        "koloskova2023_clip",
        "chen2023_beta_ngd",
        "hubler2024_armijo",
        "li2023_effective_L",
    }
    for t in FOLLOWUPS:
        assert t.source and t.method in METHODS and t.bound_derivation in t.derivations
        assert "1905.11881" not in t.citation


def _decrease(h, a, b):
    """D(h) L1^2 at L1 = 1, g = b: h b^2 - (a + b) phi(h b)."""
    return h * b**2 - (a + b) * (np.expm1(h * b) - h * b)


def test_decrease_constants_dense():
    """min over b/a of D(h)(2a + 3b)/b^2: 1 for eta*, eta_si, 3/4 for eta_cl (lab's a)."""
    a, b = 1.0, np.logspace(-6, 6, 100_001)
    steps = {
        "star": np.log1p(b / (a + b)) / b,
        "si": 1 / (a + 1.5 * b),
        "cl": np.minimum(1 / (2 * a), 1 / (3 * b)),
    }
    lab = get("vankov_steps").lab
    for k, h in steps.items():
        q = _decrease(h, a, b) * (2 * a + 3 * b) / b**2
        want = float(lab[f"a(eta_{k})" if k != "star" else "a(eta*)"])
        assert q.min() >= want * (1 - 1e-6)
        assert q.min() <= want + 1e-3  # the lab's constant is the exact worst case
    assert float(get("vankov_steps").recalled["a(eta_cl)"]) == 0.5


def test_upper_model_tight_on_extremal_function():
    """f = (L0/L1^2) phi(L1 |x|) has f'' = L0 + L1 |f'|: the model at x = 0 is f itself, and
    elsewhere it bounds f from above (dense sampling)."""
    l0, l1 = 2.0, 3.0

    def f(x):
        return l0 / l1**2 * (np.expm1(l1 * abs(x)) - l1 * abs(x))

    def fp(x):
        return np.sign(x) * l0 / l1 * np.expm1(l1 * abs(x))

    ys = np.linspace(-2, 2, 4001)
    model0 = l0 / l1**2 * (np.expm1(l1 * abs(ys)) - l1 * abs(ys))
    assert np.allclose(model0, f(ys), rtol=1e-13, atol=0)
    for x in (-1.3, 0.4, 1.7):
        g = fp(x)
        model = (
            f(x)
            + g * (ys - x)
            + (l0 + l1 * abs(g)) / l1**2 * (np.expm1(l1 * abs(ys - x)) - l1 * abs(ys - x))
        )
        assert np.all(f(ys) <= model * (1 + 1e-12) + 1e-12)


HAND = [  # (theorem, L0, L1, M, Delta, eps, value by hand)
    (VANKOV_ETA_STAR, 2.0, 3.0, 5.0, 7.0, 0.1, 2 * 2 * 7 / 0.01 + 3 * 3 * 7 / 0.1),
    (VANKOV_ETA_SI, 2.0, 3.0, 5.0, 7.0, 0.1, 2800 + 630),
    (VANKOV_ETA_CL, 2.0, 3.0, 5.0, 7.0, 0.1, 2 * 3430),
    (KOLOSKOVA_CLIP, 2.0, 3.0, 5.0, 7.0, 0.1, max(4 * 2 * 7 / 0.01, 6 * 3 * 7 / 0.1)),
    (BETA_NGD, 2.0, 3.0, 5.0, 7.0, 0.1, 5 * 7 * max(2 / 0.01, 3 / 0.1)),
    (ARMIJO, 2.0, 3.0, 5.0, 7.0, 0.1, (4 * 2 * 7 + 14 * 9 * 49) / (0.125 * 0.01)),
    (EFFECTIVE_L, 2.0, 3.0, 5.0, 7.0, 0.1, 2 * (2 + 2 * 3 * 5) * 7 / 0.01),
]


@pytest.mark.parametrize("thm, l0, l1, m, d, e, want", HAND, ids=lambda v: getattr(v, "key", ""))
def test_hand_values(thm, l0, l1, m, d, e, want):
    b = thm.at(l0, l1, m, d, e)
    assert b.value == pytest.approx(want, rel=1e-12)
    vals = {L0: l0, L1: l1, M: m, DELTA: d, EPS: e}
    assert float(thm.expr.subs(vals)) == pytest.approx(want, rel=1e-12)
    assert set(b.run_params) == set(METHODS[thm.method].params)


def test_smoothed_clip_constant_and_expression():
    eta = SMOOTHED_CLIP.eta
    assert eta * math.exp(2 * eta) == pytest.approx(0.5, rel=1e-12)  # nu e^nu = 1, eta = nu/2
    b = SMOOTHED_CLIP.at(2.0, 3.0, 5.0, 7.0, 0.1)
    want = (6 - 2 * eta) / (eta * (6 - 5 * eta)) * (2 * 7 / 0.01 + 3 * 7 / 0.1)
    assert b.value == pytest.approx(want, rel=1e-12)
    vals = {L0: 2.0, L1: 3.0, DELTA: 7.0, EPS: 0.1}
    assert float(sp.N(SMOOTHED_CLIP.expr.subs(vals))) == pytest.approx(want, rel=1e-12)


def test_effective_l_meets_theorem6_at_l0_zero():
    a = EFFECTIVE_L.at(0.0, 3.0, 5.0, 7.0, 0.1)
    b = THEOREM_6.at(0.0, 3.0, 5.0, 7.0, 0.1)
    assert a.value == pytest.approx(b.value) and a.run_params["h"] == pytest.approx(b.params["h"])
    assert EFFECTIVE_L.at(2.0, 3.0, 5.0, 7.0, 0.1).value < THEOREM_6.at(2, 3, 5, 7, 0.1).value


def test_radius_restricts_the_pair():
    """A pair whose longest step leaves the certified neighbourhood gives no bound."""
    b = VANKOV_ETA_STAR.at(1e-3, 1e-3, 10.0, 1.0, 0.1, radius=1.0)
    assert math.isinf(b.value) and "beyond the certified radius" in b.notes[-1]
    assert b.extras["radius_needed"] == pytest.approx(math.log1p(1e-2 / 1.1e-2) / 1e-3)


@pytest.fixture(scope="module")
def quartic():
    return certify("x**4/4", 3.0)


@pytest.mark.parametrize("thm", FOLLOWUPS, ids=lambda t: t.key)
def test_runs_within_bounds(quartic, thm):
    """x^4/4 from 3, eps = 1e-2: the kernel-ready parameters converge within the bound."""
    b = thm.bound_for(quartic, 1e-2)
    assert b.extras["radius_needed"] <= quartic.radius
    r = run_method("x**4/4", b.method, 3.0, 1e-2, max_iter=math.floor(b.value) + 1, **b.run_params)
    assert r.status == "converged" and r.iterations <= b.value


def test_python_m_theory_lists_followups():
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert theory_main(["x**4/4", "--x0", "3", "--eps", "1e-2", "--json"]) == 0
    bounds = json.loads(buf.getvalue())["bounds"]
    for t in FOLLOWUPS:
        entry = bounds[t.key]
        assert entry["params"]["method"] == t.method and entry["kind"] == "upper"
        assert set(entry["params"]) - {"method"} == set(METHODS[t.method].params)
        assert entry["provenance"] in ("recalled", "lab")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert theory_main(["x**4/4", "--x0", "3", "--eps", "1e-2"]) == 0
    text = buf.getvalue()
    assert "Vankov, Rodomanov" in text and "Derivation: Vankov et al.: decrease" in text
