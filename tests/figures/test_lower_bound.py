"""The ``lower_bound`` experiment (Theorem 4, arXiv 1905.11881 v2) on a small grid."""

from __future__ import annotations

import math

import numpy as np
import pytest

from figures import lower_bound as lb
from figures.framework import from_module


@pytest.fixture(scope="module")
def rows():
    cfg = {**lb.grid(True)[0], "n_steps": 60}
    return lb.compute(cfg, 0)


def test_module_follows_the_interface():
    exp = from_module(lb)
    assert exp.name == "lower_bound" and exp.kind == "theorem"
    assert "v2" in exp.theorem


def test_grids_have_1000_steps_and_the_threshold():
    assert len(lb.grid(True)) >= 1 and len(lb.grid(False)) > len(lb.grid(True))
    assert {c["M"] for c in lb.grid(False)} >= {1e2, 1e3, 1e4}
    h_star = 0.1121
    hs = lb.steps(h_star)
    assert len(hs) >= 1000 + 1 + 2 * len(lb.NEAR)
    assert hs.min() == pytest.approx(1e-9) and hs.max() == pytest.approx(10.0)
    assert h_star in hs and h_star * (1 - 1e-9) in hs and h_star * (1 + 1e-9) in hs
    assert np.all(np.diff(hs) > 0)


def test_compute_rows_and_verdict_holds(rows):
    kinds = [r["kind"] for r in rows]
    assert kinds.count("class") == 2 and kinds.count("clipped") == 2
    gd = [r for r in rows if r["kind"] == "gd"]
    assert len(gd) == 60 + 1 + 2 * len(lb.NEAR)
    for r in gd:
        assert r["complexity"] >= r["bound_lab"]
        if not r["at_threshold"]:
            assert (r["status_diverging"] == "converged") == r["below_threshold"] or (
                r["outcome"] == "censored"
            )
    # just above the threshold (a) never converges: infinite complexity
    above = [r for r in gd if r["h"] > r["h_star"] and r["h"] < 1.01 * r["h_star"]]
    assert above and all(r["complexity"] == math.inf for r in above)
    v = lb.verdict(rows)
    assert v.verdict == "holds" and v.violations == 0, v.counterexamples


def test_verdict_catches_a_count_below_the_lab_bound(rows):
    bad = [dict(r) for r in rows]
    i = next(i for i, r in enumerate(bad) if r["kind"] == "gd" and r["outcome"] == "exact")
    bad[i]["complexity"] = 0.5 * bad[i]["bound_lab"]
    v = lb.verdict(bad)
    assert v.verdict == "violated" and v.violations >= 1


def test_plot_and_report(rows, tmp_path):
    paths = lb.plot(rows, tmp_path)
    assert paths and all(p.exists() for p in paths)
    text = lb.report_section(rows)
    assert "lab B" in text and "recalled" in text and "Theorem 6" in text
