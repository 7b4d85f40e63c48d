"""figures.eps_scaling: the fitted log-log slope and the eps^-2 check (arXiv 1905.11881 v2)."""

from __future__ import annotations

import math

import pytest

from figures import eps_scaling as es


def _rows(counts, method="gd", outcome="ok"):
    return [
        {"instance": "i", "method": method, "eps": e, "iterations": t, "outcome": outcome,
         "ratio": 0.1}
        for e, t in counts
    ]  # fmt: skip


@pytest.mark.parametrize("p", [1.0, 2.0])
def test_slope_of_a_power_law_is_its_exponent(p):
    eps = [1e-1, 1e-2, 1e-3, 1e-4]
    (s,) = es.slopes(_rows([(e, round(7 * e**-p)) for e in eps]))
    assert s["slope"] == pytest.approx(-p, abs=1e-3)
    assert s["points"] == 2  # the smallest half of the eps values


def test_log_growth_has_slope_near_zero():
    eps = [1e-1, 1e-2, 1e-3, 1e-4]
    (s,) = es.slopes(_rows([(e, round(100 * math.log(1 / e))) for e in eps]))
    assert -0.5 < s["slope"] < 0


def test_verdict_flags_a_slope_steeper_than_minus_two():
    eps = [1e-1, 1e-2, 1e-3, 1e-4]
    assert es.verdict(_rows([(e, round(e**-2)) for e in eps])).verdict == "holds"
    v = es.verdict(_rows([(e, round(e**-2.5)) for e in eps]))
    assert v.verdict == "violated" and v.violations == 1
