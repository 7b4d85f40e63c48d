"""theory.worst_case: the registry's upper bounds, the design certificate against the
certified one, determinism of the search, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from theory import worst_case as wc
from theory.smoothness import certify
from theory.theorems import ALL, NGD, THEOREM_3, THEOREM_4, THEOREM_6


def test_every_deterministic_upper_bound_is_searched():
    ups = wc.upper_bounds()
    assert {t.key for t in ups} == {"thm3_clipped_gd", "thm6_gd", "ngd", "li2023_effective_L"}
    expected = [t for t in ALL if t.kind == "upper" and t.method in wc.DETERMINISTIC_METHODS]
    assert ups == expected
    assert wc.upper_bounds([THEOREM_4, THEOREM_6]) == [THEOREM_6]


@pytest.mark.parametrize(
    ("thm", "wall"), [(THEOREM_3, 0.0), (THEOREM_6, 0.1), (NGD, 0.0), (NGD, 0.8)], ids=str
)
def test_design_certificate_is_never_below_the_certified_one(thm, wall):
    cand = wc.decode(thm, (0.7, 0.4, 0.3, 0.2, 0.5, wall), (20, 100))
    cert = certify(cand.objective, cand.x0)
    # f* is certified to the interval engine's absolute tolerance 1e-9 (from below: sound)
    assert cand.delta <= cert.delta <= cand.delta + 2e-9
    assert -2e-9 <= cert.f_star <= 1e-12
    # the certified M is an upper bound, outward-rounded to about 1e-9 relative
    assert cert.M <= cand.M * (1 + 1e-8)
    for l1 in (0.0, 0.1, 1.0, 9.0, 10.0, 30.0):
        assert cert.L0(l1) <= cand.design.L0(l1) * (1 + 1e-9)
    ev = wc.evaluate(thm, cand)
    assert 0 < ev.ratio < 1 and not ev.violation


def test_step_length_follows_the_rules():
    assert wc.step_length("gd", {"h": 0.5}, 2.0) == 1.0
    assert wc.step_length("clipped_gd", {"eta": 0.1, "gamma": 1.0}, 4.0) == pytest.approx(0.1)
    assert wc.step_length("normalized_gd", {"eta": 1.0, "beta": 1.0}, 1.0) == 0.5


@pytest.mark.parametrize("opt", list(wc.OPTIMIZERS))
def test_search_is_deterministic_and_within_budget(opt):
    runs = [wc.search(THEOREM_6, opt, budget=6, seed=3, periods=(10, 60)) for _ in range(2)]
    assert runs[0].history == runs[1].history
    assert runs[0].evaluations == 6
    best = [r for _, r in runs[0].history]
    assert np.all(np.diff(best) >= 0) and runs[0].best.ratio == best[-1]


def test_bad_input():
    with pytest.raises(ValueError, match="searchable"):
        wc.search(THEOREM_4)
    with pytest.raises(ValueError, match="optimizer"):
        wc.search(THEOREM_3, "simplex")
    with pytest.raises(ValueError, match="budget"):
        wc.search(THEOREM_3, budget=0)
