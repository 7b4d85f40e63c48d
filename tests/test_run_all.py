"""Smoke test: ``python run_all.py --quick`` end to end (arXiv 1905.11881 v2 claims).

The quick run takes about a minute on 2 cores with numba's cache warm (about 2 minutes
including compilation); it writes REPORT.md, verdicts.json and DERIVATIONS.md and exits 0
when no theorem is violated.
"""

from __future__ import annotations

import json

import pytest

import run_all


# every experiment's quick configuration is also run by tests/test_trail.py (planted
# violations) and run_all's machinery by tests/figures/test_framework.py; the whole quick
# run takes minutes on 2 cores, so the end-to-end smoke test is in the slow suite
@pytest.mark.slow
def test_quick_run_end_to_end(tmp_path):
    out = tmp_path / "results"
    assert run_all.main(["--quick", "--out", str(out)]) == 0
    for name in ("REPORT.md", "verdicts.json", "DERIVATIONS.md"):
        assert (out / name).exists(), name
    verdicts = json.loads((out / "verdicts.json").read_text())
    for claim in ("demo", "frontier", "upper_bounds", "eps_scaling"):
        v = verdicts[claim]
        assert v["verdict"] == "holds", (claim, v)
        assert v["instances"] > 0 and v["violations"] == 0
        assert (out / claim / "rows.csv").exists()
        assert (out / claim / "provenance.json").exists()
        assert list((out / claim).glob("*.pdf")) and list((out / claim).glob("*.png"))
    assert verdicts["upper_bounds"]["max_ratio"] <= 1.0
    report = (out / "REPORT.md").read_text()
    assert "| claim |" in report and "DERIVATIONS.md" in report and "seed: 0" in report
    assert "# Derivations" in (out / "DERIVATIONS.md").read_text()
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
