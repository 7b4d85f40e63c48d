"""training_curves (analog of Fig 4 of arXiv 1905.11881 v2): compute, verdict, plot."""

from __future__ import annotations

import json
import math

from figures import framework
from figures import training_curves as tc


def test_module_interface_and_grids():
    exp = framework.from_module(tc)
    assert exp.kind == "empirical" and exp.name == "training_curves"
    q, f = tc.grid(True), tc.grid(False)
    json.dumps(q)
    assert len(f) > len(q)
    assert {c["panel"] for c in q} == {"a", "b", "c"}  # quick drops the extras
    assert "x" in {c["panel"] for c in f}
    assert {c["rep"] for c in f} == set(range(tc.REPS[0]))


def test_compute_tiny_runs():
    cfg = {"task": "mlp_teacher", "panel": "c", "rep": 0, "iterations": 10, "eval_every": 5}
    rows = tc.compute(cfg, 7)
    assert [r["iteration"] for r in rows] == [0, 5, 10]
    assert rows[0]["label"] == "lr5clip0.25" and rows[0]["expected_fastest"] is True
    assert 0 <= rows[-1]["heldout_accuracy"] <= 1 and rows == tc.compute(cfg, 7)
    lin = tc.compute({**cfg, "task": "deep_linear", "panel": "x", "iterations": 50}, 0)
    assert lin[0]["heldout_accuracy"] is None
    assert lin[-1]["status"] in ("finished", "diverged")


def _rows(task, panel, fast, losses, status="finished"):
    return [
        {"task": task, "panel": panel, "label": f"{task}-{panel}", "paper": "p",
         "expected_fastest": fast, "rep": rep, "status": status, "steps": 10,
         "clipped_fraction": 0.0, "iteration": 5 * k, "train_loss": v, "heldout_loss": v,
         "heldout_accuracy": None}
        for rep in range(2)
        for k, v in enumerate(losses)
    ]  # fmt: skip


def test_verdict_rules():
    fast, slow = [1.0, 0.1, 0.01], [1.0, 0.5, 0.2]
    rows = []
    for t in ("rnn_adding", "mlp_teacher"):
        rows += _rows(t, "a", True, fast) + _rows(t, "b", False, slow)
        rows += _rows(t, "x", False, [1.0, math.inf], status="diverged")
    v = tc.verdict(rows)
    assert v.verdict == "reproduced" and v.instances == 2 and v.max_ratio < 0
    rows += _rows("deep_linear", "a", True, slow) + _rows("deep_linear", "b", False, fast)
    assert tc.verdict(rows).verdict == "reproduced"  # the extra model is not in the verdict
    rows = _rows("rnn_adding", "a", True, slow) + _rows("rnn_adding", "b", False, fast)
    v = tc.verdict(rows)
    assert v.verdict == "not reproduced" and not v.failed
    assert v.counterexamples[0]["fastest"] == "rnn_adding-b"
    assert tc.verdict([]).verdict == "no data"
    stats = {s["panel"]: s for s in tc.config_stats(rows)}
    assert stats["b"]["score"] < stats["a"]["score"]


def test_plot_and_report(tmp_path):
    rows = []
    for panel in ("a", "x"):
        for rep in range(2):
            cfg = {"task": "deep_linear", "panel": panel, "rep": rep, "iterations": 40,
                   "eval_every": 10}  # fmt: skip
            rows += tc.compute(cfg, rep)
    csv = tmp_path / "rows.csv"
    csv.write_text(framework.rows_to_csv(rows))
    back = framework.read_csv(csv)
    files = tc.plot(back, tmp_path)
    assert sorted(p.name for p in files) == ["training_curves.pdf", "training_curves.png"]
    assert "| deep_linear | x |" in tc.report_section(back)
    assert tc.verdict(back).verdict in ("reproduced", "not reproduced")
