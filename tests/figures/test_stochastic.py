"""The ``stochastic`` experiment (Theorems 7 and 8 of arXiv 1905.11881 v2)."""

from __future__ import annotations

import json
import math

import pytest

import figures.stochastic as exp
from figures.framework import from_module
from theory.smoothness import certify


def test_module_follows_the_interface():
    e = from_module(exp)
    assert e.name == "stochastic" and e.kind == "empirical"
    full, quick = exp.grid(False), exp.grid(True)
    json.dumps(full)
    json.dumps(quick)
    assert all(c["seeds"] >= 200 for c in full)
    assert all(c["seeds"] < 200 for c in quick)
    assert len(quick) < len(full)


@pytest.mark.parametrize("family, x0", [("cosh", 3.0), ("gadget", exp._gadget_x0(100.0))])
def test_closed_forms_agree_with_the_certificate(family, x0):
    obj, l0, l1, delta, m = exp.instance(family, x0)
    cert = certify(obj, x0)
    assert delta == pytest.approx(cert.delta, rel=1e-6)
    assert m == pytest.approx(cert.M, rel=1e-6)
    assert cert.L0(l1) <= l0 * (1 + 1e-6)  # the global pair is valid on S too


def _config(family, x0, tau=1.0, seeds=8, noise="ball"):
    return {"part": "M", "family": family, "x0": x0, "tau": tau, "noise": noise,
            "eps": exp.EPS, "seeds": seeds}  # fmt: skip


def test_compute_is_deterministic_and_tidy():
    cfg = _config("cosh", 2.0)
    rows = exp.compute(cfg, 5)
    assert len(rows) == 3 * 8
    assert rows == exp.compute(cfg, 5)
    assert {r["method"] for r in rows} == set(exp.METHODS)
    for r in rows:
        assert r["status"] == "converged" and r["iterations"] <= r["bound"]
        assert r["max_iter"] == min(math.floor(r["bound"]) + 1, exp.CAP)


def test_printed_reading_fails_where_the_start_gradient_is_large():
    """Gadget (1, 8), M = 4000, tau = 1: printed-step runs cycle, consistent ones converge."""
    rows = exp.compute(_config("gadget", exp._gadget_x0(4000.0), seeds=4), 1)
    by = {m: [r for r in rows if r["method"] == m] for m in exp.METHODS}
    assert all(r["status"] == "max_iter" and r["decisive_cap"] for r in by["clipped_sgd_printed"])
    assert all(r["grad_norm_final"] > 1e4 for r in by["clipped_sgd_printed"])
    assert all(r["status"] == "converged" for r in by["clipped_sgd_consistent"] + by["sgd"])
    summ = {x["method"]: x for x in exp.summaries(rows)}
    assert summ["clipped_sgd_printed"]["outcome"] == "violation"
    assert summ["clipped_sgd_consistent"]["outcome"] == "ok"
    v = exp.verdict(rows)
    assert v.verdict == "reproduced"  # the printed reading is reported, not judged
    assert any("printed reading fails" in n for n in v.notes)
    assert any("typo" in n for n in v.notes)


def test_a_violation_is_reported_not_hidden():
    rows = exp.compute(_config("cosh", 2.0, seeds=5), 2)
    for r in rows:
        if r["method"] == "sgd":
            r["bound"] = 0.5  # pretend a much smaller recalled constant
    v = exp.verdict(rows)
    assert v.verdict == "not reproduced" and v.kind == "empirical" and not v.failed
    assert v.violations == 1 and v.counterexamples
    assert any("not a disproof" in n for n in v.notes)


def test_unbounded_noise_is_not_judged():
    rows = exp.compute(_config("cosh", 2.0, seeds=5, noise="student_t"), 3)
    assert all(not r["assumption5"] for r in rows)
    assert {x["outcome"] for x in exp.summaries(rows)} == {"outside_A5"}
    assert exp.verdict(rows).verdict == "no data"


def test_plot_and_report(tmp_path):
    rows = exp.compute(_config("cosh", 2.0, seeds=5), 2) + exp.compute(
        _config("gadget", exp._gadget_x0(10.0), seeds=5), 3
    )
    paths = exp.plot(rows, tmp_path)
    assert {p.suffix for p in paths} == {".pdf", ".png"}
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)
    text = exp.report_section(rows)
    assert "Which reading" in text and "| gadget |" in text


# ------------------------------------------- the lab's derivation (theory.derivations.stochastic)
def test_derivation_is_checked_by_sympy():
    from theory.derivations.stochastic import theorem7_consistent

    d = theorem7_consistent()
    assert d.all_checked and set(d.checks) == {"sympy"}
    assert d.constant_reproduced == "not_reproduced"


def test_derived_bound_numbers():
    import sympy as sp

    from theory.derivations.stochastic import theorem7_consistent, theorem7_median_bound
    from theory.theorems._symbols import DELTA, EPS, ETA, L0, L1, TAU

    vals = {L0: 1.0, L1: 8.0, TAU: 1.0, DELTA: 500.0, EPS: 1.0, ETA: 1.0 / 1024}
    expr = theorem7_consistent().lab["median_bound"]
    b = theorem7_median_bound(1.0, 8.0, 1.0, 500.0, 1.0, 1.0 / 1024)
    assert b == pytest.approx(float(expr.subs(vals)), rel=1e-12)
    k, m = 5 + 16 * 8, min(23 / (1536 * 8), 23 / 64 / 1024)
    assert b == pytest.approx(2 * 500 / (m - k / 1024**2 / 2), rel=1e-12)
    assert math.isinf(theorem7_median_bound(1.0, 8.0, 1.0, 500.0, 1.0, 0.01))  # eta too big
    assert math.isinf(theorem7_median_bound(1.0, 1.0, 0.0, 5.0, 1.0, 0.1))  # > 1/(20 L0)
    assert math.isinf(theorem7_median_bound(1.0, 1.0, 1.0, 5.0, 1e-3, 1 / 128))  # m too small
    assert isinstance(sp.sympify(expr), sp.Expr)


def test_consistent_runs_respect_the_derived_bound():
    rows = exp.compute(_config("gadget", exp._gadget_x0(100.0), seeds=8), 4)
    summ = {x["method"]: x for x in exp.summaries(rows)}
    c = summ["clipped_sgd_consistent"]
    assert c["derived_outcome"] == "ok" and c["median"] <= c["derived_bound"]
    assert summ["sgd"]["derived_bound"] is None
