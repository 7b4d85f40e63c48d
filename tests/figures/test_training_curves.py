"""training_curves (Fig 4 of arXiv 1905.11881 v2 under a tuned protocol): compute, verdict, plot."""

from __future__ import annotations

import json
import math

import pytest

from figures import framework
from figures import training_curves as tc

TINY = {
    "task": "res_digits", "method": "clipped", "iterations": 6, "eval_every": 3,
    "lrs": [0.1, 1.0], "clips": [0.25, 1.0], "reps": 2,
}  # fmt: skip


def test_module_interface_and_grids():
    exp = framework.from_module(tc)
    assert exp.kind == "empirical" and exp.name == "training_curves"
    q, f = tc.grid(True), tc.grid(False)
    json.dumps(q)
    for g, tasks in ((q, tc.VERDICT_TASKS), (f, tc.VERDICT_TASKS + tc.EXTRA_TASKS)):
        # every method of every model, each with the same step budget per model
        assert {(c["task"], c["method"]) for c in g} == {(t, m) for t in tasks for m in tc.METHODS}
        for t in tasks:
            assert len({c["iterations"] for c in g if c["task"] == t}) == 1
        for c in g:
            assert (c["clips"] is not None) == (c["method"] == "clipped")
            assert len(c["lrs"]) >= (2 if g is q else 4)
    assert all(c["reps"] >= 5 for c in f)  # the full run draws >= 5 fresh seeds
    assert all(c["clips"] and len(c["clips"]) >= 3 for c in f if c["method"] == "clipped")


def test_compute_tunes_on_the_tuning_seed_and_evaluates_fresh_seeds():
    rows = tc.compute(TINY, 7)
    tune = [r for r in rows if r["phase"] == "tune"]
    ev = [r for r in rows if r["phase"] == "eval"]
    assert len(tune) == 4 and {r["rep"] for r in tune} == {tc.TUNING_REP}
    assert {r["rep"] for r in ev} == {1, 2}  # fresh seeds, disjoint from the tuning seed
    sel = [r for r in tune if r["selected"]]
    assert len(sel) == 1
    # the selected trial has the smallest criterion (diverged trials carry None)
    finite = [r["train_loss"] for r in tune if r["train_loss"] is not None]
    assert sel[0]["train_loss"] == min(finite)
    assert {(r["lr"], r["clip"]) for r in ev} == {(sel[0]["lr"], sel[0]["clip"])}
    assert [r["iteration"] for r in ev if r["rep"] == 1] == [0, 3, 6]
    # the tuning trial re-run on rep 0 reproduces its criterion (same seed, same budget)
    assert rows == tc.compute(TINY, 8)  # independent of the framework seed (paired reps)


def _rows(task, method, finals, status="finished", lr=1.0, clip=None):
    out = [
        {"task": task, "method": method, "phase": "tune", "rep": 0, "lr": lr, "clip": clip,
         "label": f"{method}-lr{lr}", "selected": True, "edge": "", "status": "finished",
         "steps": 10, "clipped_fraction": 0.0, "iteration": 10, "train_loss": finals[0],
         "heldout_loss": None, "heldout_accuracy": None}
    ]  # fmt: skip
    for rep, v in enumerate(finals, start=1):
        for k, loss in ((0, 3.0), (10, v)):
            out.append(
                {**out[0], "phase": "eval", "rep": rep, "iteration": k, "train_loss": loss,
                 "heldout_loss": loss, "heldout_accuracy": 0.5, "status": status}
            )  # fmt: skip
    return out


def test_verdict_rules():
    rows = []
    for t in tc.VERDICT_TASKS:
        rows += _rows(t, "clipped", [0.10, 0.12, 0.11, 0.30, 0.09], clip=0.25)
        rows += _rows(t, "sgd", [0.20, 0.21, 0.19, 0.22, 0.18])
        rows += _rows(t, "momentum", [0.15, 0.16, 0.14, 0.10, 0.17])
    v = tc.verdict(rows)
    assert v.verdict == "reproduced" and v.instances == 2 and v.violations == 0
    comps = tc.comparisons(tc.method_stats(rows))
    # paired differences clipped - momentum: -0.05, -0.04, -0.03, +0.20, -0.08
    assert comps[0]["rival"] == "momentum" and comps[0]["wins"] == 4
    assert comps[0]["diff_median"] == pytest.approx(-0.04)
    # against plain SGD: -0.10, -0.09, -0.08, +0.08, -0.09
    assert comps[0]["vs_sgd_median"] == pytest.approx(-0.09) and comps[0]["vs_sgd_wins"] == 4
    assert v.median_ratio == pytest.approx(-0.04)
    # momentum best on one model: not reproduced (never a failed run)
    rows2 = [r for r in rows if not (r["task"] == "res_digits" and r["method"] == "momentum")]
    rows2 += _rows("res_digits", "momentum", [0.01] * 5)
    v = tc.verdict(rows2)
    assert v.verdict == "not reproduced" and not v.failed and v.violations == 1
    assert v.counterexamples[0] == {
        "task": "res_digits", "best": "momentum", "diff_median": pytest.approx(0.1)
    }  # fmt: skip
    # a diverged clipped run scores +inf, so it cannot win
    rows3 = [r for r in rows if r["method"] != "clipped" or r["task"] != "char_lstm"]
    rows3 += _rows("char_lstm", "clipped", [0.01] * 5, status="diverged", clip=0.25)
    assert tc.verdict(rows3).verdict == "not reproduced"
    assert tc.verdict([]).verdict == "no data"
    one_model = [r for r in rows if r["task"] == "char_lstm"]
    assert tc.verdict(one_model).verdict == "not reproduced"  # both models are needed


def test_plot_and_report(tmp_path):
    rows = tc.compute(TINY, 0) + tc.compute({**TINY, "method": "sgd", "clips": None}, 0)
    csv = tmp_path / "rows.csv"
    csv.write_text(framework.rows_to_csv(rows))
    back = framework.read_csv(csv)
    files = tc.plot(back, tmp_path)
    assert sorted(p.name for p in files) == [
        "training_curves.pdf", "training_curves.png", "training_curves_tuning.pdf",
        "training_curves_tuning.png",
    ]  # fmt: skip
    text = tc.report_section(back)
    assert "| Fig 4c-d | res_digits | clipped SGD |" in text and "clipped − SGD" in text
    assert tc.verdict(back).verdict in ("reproduced", "not reproduced")
    assert math.isfinite(tc.method_stats(back)[0]["final_median"])
