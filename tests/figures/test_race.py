"""figures.race: rows, oracle never worse than the theory step, verdict, planted violation,
report and figure (one small configuration)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from figures import race as R
from figures import separation as sep
from synthetic.line_search import run_method


@pytest.fixture(scope="module")
def rows():
    return R.compute({"family": "x^4", "log10_M": [1.0], "eps": 1e-3, "cap": 20_000}, 0)


def test_every_method_theory_and_tuned(rows):
    labels = {r["label"] for r in rows}
    assert labels == set(R.PAPER) | {t.key for t in R.FOLLOWUPS}
    for lab in labels:
        kinds = {r["params"] for r in rows if r["label"] == lab}
        assert kinds == {"theory", "tuned"}


def test_scale_oracle_never_worse_than_theory(rows):
    """The scale oracle includes lambda = 1 (the theory step itself)."""
    by = {(r["label"], r["params"]): r for r in rows}
    for t in R.FOLLOWUPS:
        th, tu = by[(t.key, "theory")], by[(t.key, "tuned")]
        if th["status"] == "converged":
            assert tu["status"] == "converged" and tu["iterations"] <= th["iterations"]


def test_theory_count_is_the_kernel_count(rows):
    """The race's count of vankov_eta_star equals an independent run with the same pair."""
    r = next(r for r in rows if r["label"] == "vankov2025_eta_star" and r["params"] == "theory")
    obj, _ = sep.instance("x^4")
    got = run_method(obj, "vankov_eta_star", np.array(r["x0"]), 1e-3, L0=r["L0"], L1=r["L1"])
    assert got.iterations == r["iterations"]


def test_verdict_and_planted_violation(rows):
    assert R.verdict(rows).verdict == "holds"
    planted = [dict(r) for r in rows]
    p = next(r for r in planted if r["label"] == "koloskova2023_clip" and r["params"] == "theory")
    p.update(iterations=math.floor(p["bound"]) + 1, outcome="violation")
    v = R.verdict(planted)
    assert v.verdict == "violated" and v.counterexamples[0]["label"] == "koloskova2023_clip"


def test_report_and_plot(rows, tmp_path):
    text = R.report_section(rows)
    assert "winner (theory)" in text and "`hubler2024_armijo`" in text
    paths = R.plot(rows, tmp_path)
    assert any(p.suffix == ".png" and p.exists() for p in paths)


def test_grid_budget_shape():
    assert len(R.grid(True)) == 2 and all(c["log10_M"] == [1.0, 2.0, 3.0] for c in R.grid(True))
    assert set(R.grid(False)[0]["log10_M"]) <= set(sep.LOG_M[False])
