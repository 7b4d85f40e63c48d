"""smoothness_scatter (analogs of Figs 1, 2, 3, 5 of arXiv 1905.11881 v2) and its CSV path."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from figures import framework
from figures import smoothness_scatter as ss

TINY_NET = {
    "source": "net", "task": "res_digits", "panel": "c", "iterations": 12, "probe_every": 3,
    "curvature_every": 6, "curvature_iters": 30, "data_seed": 0,
}  # fmt: skip
TINY_OBJ = {"source": "objective", "task": "poly8", "panel": "b", "iterations": 30}


def test_module_interface_and_grids():
    exp = framework.from_module(ss)
    assert exp.kind == "empirical" and exp.name == "smoothness_scatter"
    for quick in (True, False):
        g = ss.grid(quick)
        json.dumps(g)
        assert {(c["task"], c["panel"]) for c in g} >= {
            (t, p) for t in (ss.LM, ss.RESNET) for p in "abc"
        }
        assert all(c["curvature_every"] > 0 for c in g if c["source"] == "net")
    assert len(ss.grid(True)) <= len(ss.grid(False))


def test_compute_tiny_net_and_objective():
    rows = ss.compute(TINY_NET, 123)
    assert len(rows) == 4 and [r["iteration"] for r in rows] == [0, 3, 6, 9]
    assert all(r["smoothness"] > 0 and r["grad_norm"] > 0 for r in rows)
    assert rows[0]["label"] == "lr5clip0.25" and rows[0]["hess_norm"] is None
    # exact midpoint curvature on the probes at 0 and 6 only, next to the authors' estimate
    assert [r["hess_mid"] is not None for r in rows] == [True, False, True, False]
    assert all(r["hess_mid"] > 0 and r["hess_iters"] <= 30 for r in rows if r["hess_mid"])
    assert rows == ss.compute(TINY_NET, 123)  # deterministic per seed
    rows = ss.compute(TINY_OBJ, 0)
    assert len(rows) == 30
    # on a 1-D convex objective the midpoint estimate is at most |f''| somewhere on the
    # segment; GD from x0 = 2 decreases |x|, so it is at most |f''(x_k)|
    assert all(r["smoothness"] <= r["hess_norm"] * (1 + 1e-9) for r in rows)


def _rows(task: str, panel: str, r: float, n: int = 50, source: str = "net") -> list[dict]:
    rng = np.random.default_rng([len(task), ord(panel)])
    lg = rng.uniform(-1, 1, n)
    noise = rng.standard_normal(n)
    noise = noise - np.polyval(np.polyfit(lg, noise, 1), lg)
    noise *= np.std(lg) / np.std(noise) * math.sqrt(1 / r**2 - 1) if r < 1 else 0
    ls = lg + noise
    return [
        {"source": source, "task": task, "panel": panel, "label": "x", "paper": "p",
         "status": "finished", "iteration": k, "grad_norm": 10 ** lg[k],
         "smoothness": 10 ** ls[k], "smoothness_multi": 10 ** ls[k], "hess_norm": None}
        for k in range(n)
    ]  # fmt: skip


def test_verdict_rules():
    good = _rows(ss.LM, "a", 0.8) + _rows(ss.RESNET, "a", 0.3)
    v = ss.verdict(good)
    assert v.verdict == "reproduced" and v.kind == "empirical" and v.instances == 3
    assert ss.panel_stats(good)[0]["correlation"] == pytest.approx(0.8, abs=1e-9)
    weak = _rows(ss.LM, "a", 0.4) + _rows(ss.RESNET, "a", 0.3)
    assert ss.verdict(weak).verdict == "not reproduced"
    inverted = _rows(ss.LM, "a", 0.6) + _rows(ss.RESNET, "a", 0.9)
    v = ss.verdict(inverted)
    assert v.verdict == "not reproduced" and v.violations == 1 and not v.failed
    # the extras do not enter the verdict
    assert ss.verdict(good + _rows("rnn_adding", "a", 0.1)).verdict == "reproduced"
    assert ss.verdict([]).verdict == "no data"


def test_exact_statistics_against_hand_values():
    rs = _rows(ss.LM, "b", 0.9, n=6)
    for k, r in enumerate(rs):  # exact = 2 x the estimate on even probes, none on odd ones
        r["hess_mid"] = 2 * r["smoothness"] if k % 2 == 0 else None
        r["hess_converged"] = k != 4 if k % 2 == 0 else None
    st = ss.panel_stats(rs)[0]
    assert st["exact_points"] == 3 and st["exact_converged"] == 2
    assert st["ratio_median"] == pytest.approx(0.5) and st["ratio_max"] == pytest.approx(0.5)


def test_plot_and_report(tmp_path):
    rows = ss.compute(TINY_NET, 1) + ss.compute({**TINY_NET, "panel": "b"}, 1)
    rows += ss.compute(TINY_OBJ, 0)
    csv = tmp_path / "rows.csv"
    csv.write_text(framework.rows_to_csv(rows))
    back = framework.read_csv(csv)  # the verdict and plot see rows read back from CSV
    files = ss.plot(back, tmp_path)
    names = {p.name for p in files}
    assert {"networks_loglog.png", "networks_linear.pdf"} <= names
    assert "objectives_loglog.png" in names and all(p.exists() for p in files)
    text = ss.report_section(back)
    assert "| Fig 3c (Fig 5: linear) | res_digits | c |" in text and "poly8 (b)" in text


# ------------------------------------------------------------------------------- CSV
def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_csv_good_files(tmp_path, capsys):
    rng = np.random.default_rng(0)
    g = 10 ** rng.uniform(-1, 1, 40)
    a = _write(tmp_path / "a.csv", "smoothness,grad_norm\n" + "".join(
        f"{2 * x:.6g},{x:.6g}\n" for x in g))  # fmt: skip
    b = _write(tmp_path / "b.csv", "grad_norm, smoothness ,epoch\n1,2,0\n\n3,4,1\n5,6,2\n")
    sm, gn = ss.read_smoothness_csv(b)
    assert sm.tolist() == [2, 4, 6] and gn.tolist() == [1, 3, 5]
    out = tmp_path / "out"
    assert ss.main(["--from-csv", str(a), str(b), "--out", str(out)]) == 0
    for stem in ("from_csv_loglog", "from_csv_linear"):
        assert (out / f"{stem}.pdf").exists() and (out / f"{stem}.png").exists()
    text = capsys.readouterr().out
    assert "a.csv: 40 rows, log-log slope 1" in text


@pytest.mark.parametrize(
    "text,line,what",
    [
        ("", 1, "empty file"),
        ("\n\n", 1, "empty file"),
        ("smoothness,grad_norm\n", 1, "no data rows"),
        ("smooth,grad_norm\n1,2\n", 1, "lacks column(s) smoothness"),
        ("step,loss\n1,2\n", 1, "smoothness, grad_norm"),
        ("smoothness,grad_norm\n1,2\n3,abc\n", 3, "'abc' is not a number"),
        ("smoothness,grad_norm\n1,2\n0,2\n", 3, "must be finite and > 0"),
        ("smoothness,grad_norm\n1,-2\n", 2, "grad_norm = -2"),
        ("smoothness,grad_norm\n1,nan\n", 2, "must be finite"),
        ("smoothness,grad_norm\n1,2\n3\n", 3, "expected 2 field(s)"),
        ("smoothness,grad_norm\n1,2,3\n", 2, "got 3"),
        ("smoothness,grad_norm\n1,\n", 2, "'' is not a number"),
    ],
)
def test_csv_malformed(tmp_path, capsys, text, line, what):
    good = _write(tmp_path / "good.csv", "smoothness,grad_norm\n1,2\n")
    bad = _write(tmp_path / "bad.csv", text)
    with pytest.raises(ss.CSVFormatError, match=f"bad.csv:{line}: "):
        ss.read_smoothness_csv(bad)
    code = ss.main(["--from-csv", str(good), str(bad), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1
    assert err.startswith(f"error: {bad}:{line}: ") and what in err
    assert not (tmp_path / "o").exists()


def test_csv_missing_file_and_usage(tmp_path, capsys):
    assert ss.main(["--from-csv", str(tmp_path / "nope.csv")]) == 2
    err = capsys.readouterr().err.strip()
    assert "nope.csv" in err and "cannot read" in err and len(err.splitlines()) == 1
    with pytest.raises(SystemExit) as e:
        ss.main([])
    assert e.value.code == 2
