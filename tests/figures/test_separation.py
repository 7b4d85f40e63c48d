"""Experiment ``separation`` (Remark 5; Theorems 3, 6 and NGD bounds; arXiv 1905.11881 v2)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from figures import separation as S
from figures.framework import Experiment, from_module


@pytest.fixture(scope="module")
def rows():
    cfg = {"family": "x^4", "log10_M": [1.0, 1.5, 2.0], "eps": 1e-3, "cap": 10**6}
    return S.compute(cfg, 0)


def test_module_interface():
    exp = from_module(S)
    assert isinstance(exp, Experiment) and exp.kind == "theorem"
    full, quick = S.grid(False), S.grid(True)
    assert {c["family"] for c in full} == set(S.FAMILIES)
    assert max(full[0]["log10_M"]) >= 6 and len(quick[0]["log10_M"]) >= 3


@pytest.mark.parametrize("fam", ["x^4", "cosh", "exp", "gadget"])
def test_start_hits_target(fam):
    _, phi = S.instance(fam)
    a = S.start_for(phi, 1e3)
    # phi(a') = phi(a) + 1/2 with phi'(a') = 1e3
    lo, hi = a, a + 10.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if phi.f([mid]) < phi.f([a]) + 0.5 else (lo, mid)
    assert phi.grad([lo])[0] == pytest.approx(1e3, rel=1e-8)


def test_compute_tiny_grid(rows):
    assert {r["method"] for r in rows} == set(S.METHODS)
    assert len(rows) == 3 * len(S.METHODS)
    for r in rows:
        assert r["status"] == "converged"
        assert 5.0 < r["M"] < 200.0
    judged = [r for r in rows if r["method"] in S.BOUNDED]
    assert all(r["outcome"] == "ok" and r["iterations"] <= r["bound"] for r in judged)
    v = S.verdict(rows)
    assert v.verdict == "holds" and v.instances == 9 and v.violations == 0
    # the oracle baselines are at least as good as the theorem parameters here
    by = {(r["method"], r["log10_M_target"]): r for r in rows}
    for lm in (1.0, 1.5, 2.0):
        assert by[("gd_tuned", lm)]["iterations"] <= by[("gd_thm6", lm)]["iterations"]
        assert by[("clipped_tuned", lm)]["iterations"] <= by[("clipped_thm3", lm)]["iterations"]
    text = S.report_section(rows)
    assert "gd_thm6" in text and "Oracle baselines" in text


def test_verdict_planted_violation(rows):
    planted = [dict(r) for r in rows]
    r = next(r for r in planted if r["method"] == "clipped_thm3")
    r["iterations"] = int(math.floor(r["bound"])) + 1
    v = S.verdict(planted)
    assert v.verdict == "violated" and v.violations == 1 and v.failed
    assert v.counterexamples[0]["method"] == "clipped_thm3"
    # a run capped below its bound is censored (undecided), not a violation
    cens = [dict(r) for r in rows]
    c = next(r for r in cens if r["method"] == "gd_thm6")
    c.update(status="max_iter", iterations=10, max_iter=10)
    v = S.verdict(cens)
    assert v.verdict == "holds" and any("censored" in n for n in v.notes)
    # diverged is a violation
    d = [dict(r) for r in rows]
    next(r for r in d if r["method"] == "ngd").update(status="diverged", iterations=3)
    assert S.verdict(d).violations == 1


def test_fit_exponent_known_slope():
    m = np.logspace(1, 6, 11)
    f = S.fit_exponent(m, 3.0 * m**0.7)
    assert f.slope == pytest.approx(0.7, abs=1e-12) and f.se < 1e-10 and f.n == 11
    noise = 1.0 + 0.05 * np.sin(np.arange(11) * 2.3)
    f = S.fit_exponent(m, 3.0 * m**0.7 * noise)
    assert f.lo < 0.7 < f.hi and f.hi - f.lo < 0.1
    # two points: slope but no interval
    f = S.fit_exponent([10.0, 100.0], [1.0, 10.0])
    assert f.slope == pytest.approx(1.0) and math.isnan(f.se)


def test_separation_fit_and_exponents(rows):
    ex = S.exponents(rows)
    assert set(ex) == {("x^4", m) for m in S.METHODS}
    sep = S.separation_fit(rows, "x^4", "gd_thm6", "clipped_thm3")
    assert sep.n == 3 and math.isfinite(sep.slope)


def test_plot(rows, tmp_path):
    paths = S.plot(rows, tmp_path)
    assert {p.name for p in paths} == {
        "separation.pdf", "separation.png", "separation_ratio.pdf", "separation_ratio.png"
    }  # fmt: skip
    assert all(p.stat().st_size > 0 for p in paths)


@pytest.mark.parametrize("h", [1e-3, 0.1, 1.0, 3.9, 7.5])
def test_x2_lower_count_and_search_range(h):
    # independent check: GD from (0, X2) on the quadratic coordinate alone
    from synthetic.run import run

    obj, _ = S.instance("cosh")
    r = run(obj, "gd", [0.0, S.X2], 1e-3, h=h, max_iter=10**6)
    assert r.status == "converged" and r.iterations >= S.x2_lower_count(h, 1e-3)
    assert r.iterations <= S.x2_lower_count(h, 1e-3) + 1
    assert S.x2_lower_count(2.0 / S.MU2, 1e-3) == math.inf
    lo, hi = S.gd_search_range(1.0, 5000, 1e-3)
    assert hi == 8.0 and S.x2_lower_count(lo, 1e-3) == pytest.approx(5000, rel=1e-9)


def test_pair_choice_tie_rule():
    # a bound flat in L1 >= 1 (up to 1e-5): the smallest L1 of the plateau is taken
    def est(l1):
        return 1.5 if l1 >= 1 else 1.5 / l1

    def value(l0, l1):
        return l0 * (1.0 - 1e-5 * min(l1, 10.0) / 10.0)

    assert S._pair(est, value) == 1.0
    assert S._pair(est, value, rtol=0.0) == 10.0
