"""The experiment framework: grids as data, caching and resume, atomic writes, verdicts.

The claims are those of arXiv 1905.11881 (v2 numbering); here only the machinery is
tested, with a fake experiment whose compute step counts its calls.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

import run_all
from figures import framework as fw

# ------------------------------------------------------------------- a fake experiment
CALLS: list[int] = []
CRASH_AT: set[int] = set()
MEASURED_ABOVE_BOUND: set[int] = set()


def _fake_module(name: str = "fake_claim", kind: str = "theorem") -> types.ModuleType:
    mod = types.ModuleType(f"tests_fake_{name}")
    mod.NAME = name
    mod.THEOREMS = ()
    mod.CLAIM = "Theorem 0 (fake)"
    mod.KIND = kind
    mod.PROVENANCE = "lab"

    def grid(quick: bool) -> list[dict]:
        return [{"i": i} for i in range(3 if quick else 5)]

    def compute(config: dict, seed: int) -> list[dict]:
        i = config["i"]
        if i in CRASH_AT:
            raise KeyboardInterrupt(f"simulated interruption at configuration {i}")
        CALLS.append(i)
        bound = 10.0
        measured = 20 if i in MEASURED_ABOVE_BOUND else (seed % 7) + 1
        return [{"i": i, "seed": seed, "measured": measured, "bound": bound, "x": 0.1 * i}]

    def verdict(rows: list[dict]) -> fw.Verdict:
        return fw.ratio_verdict(
            [r["measured"] / r["bound"] for r in rows],
            [r["measured"] > r["bound"] for r in rows],
            kind=kind,
            criterion="measured <= bound",
            counterexamples=[r for r in rows if r["measured"] > r["bound"]],
        )

    def plot(rows: list[dict], outdir: Path) -> list[Path]:
        from figures.style import new_figure, save

        fig, axes = new_figure()
        axes[0][0].plot([r["i"] for r in rows], [r["measured"] for r in rows])
        return save(fig, outdir, name)

    mod.grid, mod.compute, mod.verdict, mod.plot = grid, compute, verdict, plot
    sys.modules[mod.__name__] = mod
    return mod


@pytest.fixture(autouse=True)
def _reset():
    CALLS.clear()
    CRASH_AT.clear()
    MEASURED_ABOVE_BOUND.clear()
    yield


def _no_temp_files(root: Path) -> bool:
    return not [p for p in root.rglob("*") if p.name.endswith(".tmp")]


# ------------------------------------------------------------------------ the grids
MINE = ("demo", "frontier", "upper_bounds", "eps_scaling")


@pytest.mark.parametrize("name", MINE)
def test_grid_is_data(name):
    exp = fw.discover()[name]
    for quick in (True, False):
        g = exp.grid(quick)
        assert isinstance(g, list) and g and all(isinstance(c, dict) for c in g)
        assert json.loads(json.dumps(g)) == g  # plain JSON data
        assert exp.grid(quick) == g  # declared, not drawn
    assert len(exp.grid(True)) <= len(exp.grid(False))


def test_upper_bounds_suite_size():
    exp = fw.discover()["upper_bounds"]
    full = exp.grid(False)
    assert len(full) >= 300
    fams = {c["family"] for c in full}
    assert {"polynomial", "radial_d1", "radial_d2", "radial_d10", "cosh"} <= fams
    assert {c["degree"] for c in full if c["family"] == "polynomial"} == set(range(4, 17, 2))


def test_discover_finds_the_claims_in_order():
    exps = fw.discover()
    assert set(MINE) <= set(exps)
    for e in exps.values():
        assert e.kind in fw.KINDS and "v2" in e.theorem


def test_config_hash_and_seed():
    exp = fw.from_module(_fake_module())
    g = exp.grid(True)
    assert fw.config_hash(exp, g, 0) == fw.config_hash(exp, g, 0)
    assert fw.config_hash(exp, g, 0) != fw.config_hash(exp, g, 1)
    assert fw.config_hash(exp, g, 0) != fw.config_hash(exp, exp.grid(False), 0)
    assert fw.config_seed(0, {"i": 1}) == fw.config_seed(0, {"i": 1})
    assert fw.config_seed(0, {"i": 1}) != fw.config_seed(0, {"i": 2})
    assert fw.config_seed(0, {"i": 1}) != fw.config_seed(1, {"i": 1})


# ------------------------------------------------------------------ cache and resume
def test_rerun_recomputes_nothing(tmp_path):
    exp = fw.from_module(_fake_module())
    r1 = fw.run_experiment(exp, tmp_path, seed=3, quick=True)
    assert sorted(CALLS) == [0, 1, 2] and not r1.cached
    csv_bytes = (tmp_path / "fake_claim" / "rows.csv").read_bytes()
    mtimes = {p: p.stat().st_mtime_ns for p in (tmp_path / "fake_claim").iterdir()}
    r2 = fw.run_experiment(exp, tmp_path, seed=3, quick=True)
    assert r2.cached and sorted(CALLS) == [0, 1, 2]
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "fake_claim").iterdir()} == mtimes
    assert (tmp_path / "fake_claim" / "rows.csv").read_bytes() == csv_bytes
    assert r2.verdict == r1.verdict
    assert not (tmp_path / "fake_claim" / ".parts").exists()
    assert _no_temp_files(tmp_path)
    prov = json.loads((tmp_path / "fake_claim" / "provenance.json").read_text())
    assert prov["seed"] == 3 and prov["config_hash"] == fw.config_hash(exp, exp.grid(True), 3)
    assert {"versions", "git", "machine"} <= set(prov)
    # a different seed is a different configuration: recomputed
    fw.run_experiment(exp, tmp_path, seed=4, quick=True)
    assert len(CALLS) == 6


def test_resume_after_interruption(tmp_path):
    exp = fw.from_module(_fake_module())
    CRASH_AT.add(3)
    with pytest.raises(KeyboardInterrupt):
        fw.run_experiment(exp, tmp_path, seed=0, quick=False)
    folder = tmp_path / "fake_claim"
    assert sorted(CALLS) == [0, 1, 2]
    assert not (folder / "provenance.json").exists()  # not marked finished
    assert not (folder / "rows.csv").exists()
    assert len(list((folder / ".parts").glob("*.json"))) == 3
    assert _no_temp_files(tmp_path)
    CRASH_AT.clear()
    res = fw.run_experiment(exp, tmp_path, seed=0, quick=False)
    assert sorted(CALLS) == [0, 1, 2, 3, 4]  # only 3 and 4 computed after the resume
    assert res.computed_configs == 2 and len(res.rows) == 5
    assert not (folder / ".parts").exists() and _no_temp_files(tmp_path)
    # the resumed CSV equals an uninterrupted one
    CALLS.clear()
    fw.run_experiment(exp, tmp_path / "fresh", seed=0, quick=False)
    assert (folder / "rows.csv").read_bytes() == (
        tmp_path / "fresh" / "fake_claim" / "rows.csv"
    ).read_bytes()


def test_crash_mid_write_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    fw.atomic_write_text(target, "old content")

    def boom(src, dst):
        raise OSError("simulated crash before the rename")

    monkeypatch.setattr(fw.os, "replace", boom)
    with pytest.raises(OSError):
        fw.atomic_write_text(target, "new content that never lands")
    monkeypatch.undo()
    assert target.read_text() == "old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_stale_parts_of_another_configuration_are_discarded(tmp_path):
    exp = fw.from_module(_fake_module())
    CRASH_AT.add(2)
    with pytest.raises(KeyboardInterrupt):
        fw.run_experiment(exp, tmp_path, seed=0, quick=True)
    CRASH_AT.clear()
    CALLS.clear()
    fw.run_experiment(exp, tmp_path, seed=1, quick=True)  # another seed: parts not reused
    assert sorted(CALLS) == [0, 1, 2]


# ------------------------------------------------------------------- determinism
def test_same_seed_same_csv_bytes(tmp_path):
    exp = fw.from_module(_fake_module())
    fw.run_experiment(exp, tmp_path / "a", seed=7, quick=False)
    fw.run_experiment(exp, tmp_path / "b", seed=7, quick=False)
    a = (tmp_path / "a" / "fake_claim" / "rows.csv").read_bytes()
    assert a == (tmp_path / "b" / "fake_claim" / "rows.csv").read_bytes()


def test_real_experiment_is_deterministic_and_independent_of_jobs(tmp_path):
    assert run_all.main(["--quick", "--only", "frontier", "--out", str(tmp_path / "a"),
                         "--jobs", "1"]) == 0  # fmt: skip
    assert run_all.main(["--quick", "--only", "frontier", "--out", str(tmp_path / "b"),
                         "--jobs", "2"]) == 0  # fmt: skip
    a = (tmp_path / "a" / "frontier" / "rows.csv").read_bytes()
    assert a == (tmp_path / "b" / "frontier" / "rows.csv").read_bytes()


def test_csv_round_trip(tmp_path):
    rows = [{"a": 1, "b": 0.1, "c": "x,y", "d": None, "e": True, "f": float("inf")}]
    fw.atomic_write_text(tmp_path / "r.csv", fw.rows_to_csv(rows))
    assert fw.read_csv(tmp_path / "r.csv") == rows


# ------------------------------------------------------------------------ verdicts
def test_ratio_verdict_words():
    ok = fw.ratio_verdict([0.1, 0.5], [False, False])
    assert ok.verdict == "holds" and not ok.failed and ok.max_ratio == 0.5
    bad = fw.ratio_verdict([0.1, 2.0], [False, True], counterexamples=[{"x": 1}])
    assert bad.verdict == "violated" and bad.failed and bad.violations == 1
    emp = fw.ratio_verdict([2.0], [True], kind="empirical")
    assert emp.verdict == "not reproduced" and not emp.failed
    assert fw.ratio_verdict([], []).verdict == "no data"
    with pytest.raises(ValueError):
        fw.Verdict("holds", kind="empirical")


def _patch_discover(monkeypatch, *mods):
    exps = {m.NAME: fw.from_module(m) for m in mods}
    monkeypatch.setattr(run_all, "discover", lambda: exps)
    import theory.render

    monkeypatch.setattr(theory.render, "derivations_markdown", lambda: "# Derivations\n")


def test_planted_violation_fails_run_all(tmp_path, monkeypatch, capsys):
    MEASURED_ABOVE_BOUND.add(1)
    _patch_discover(monkeypatch, _fake_module())
    assert run_all.main(["--quick", "--out", str(tmp_path), "--jobs", "1"]) == 1
    err = capsys.readouterr().err
    assert "VIOLATED: fake_claim" in err and "counterexample" in err and '"measured": 20' in err
    verdicts = json.loads((tmp_path / "verdicts.json").read_text())
    v = verdicts["fake_claim"]
    assert v["verdict"] == "violated" and v["violations"] == 1 and v["max_ratio"] == 2.0
    assert set(v) >= {"theorem", "instances", "violations", "verdict", "median_ratio", "max_ratio"}
    assert "violated" in (tmp_path / "REPORT.md").read_text()


def test_empirical_claim_never_fails_run_all(tmp_path, monkeypatch):
    MEASURED_ABOVE_BOUND.add(1)
    _patch_discover(monkeypatch, _fake_module("fake_empirical", kind="empirical"))
    assert run_all.main(["--quick", "--out", str(tmp_path), "--jobs", "1"]) == 0
    verdicts = json.loads((tmp_path / "verdicts.json").read_text())
    assert verdicts["fake_empirical"]["verdict"] == "not reproduced"


def test_report_embeds_figures_and_links(tmp_path, monkeypatch):
    _patch_discover(monkeypatch, _fake_module())
    assert run_all.main(["--quick", "--out", str(tmp_path), "--jobs", "1", "--seed", "5"]) == 0
    text = (tmp_path / "REPORT.md").read_text()
    assert "![fake_claim: fake_claim](fake_claim/fake_claim.png)" in text
    assert "(DERIVATIONS.md)" in text and "seed: 5" in text and "numpy" in text
    assert (tmp_path / "fake_claim" / "fake_claim.pdf").exists()
    assert (tmp_path / "DERIVATIONS.md").exists()


def test_bad_arguments_exit_2(tmp_path, capsys):
    assert run_all.main(["--only", "no_such_claim", "--out", str(tmp_path)]) == 2
    assert "unknown experiment" in capsys.readouterr().err
    assert run_all.main(["--jobs", "0", "--out", str(tmp_path)]) == 2
    assert run_all.main(["--no-such-flag"]) == 2
    assert run_all.main(["--seed", "x"]) == 2


def test_list(capsys):
    assert run_all.main(["--list"]) == 0
    out = capsys.readouterr().out
    for name in MINE:
        assert name in out


def test_only_reports_other_cached_experiments_without_computing(tmp_path, monkeypatch):
    a, b = _fake_module("claim_a"), _fake_module("claim_b")
    _patch_discover(monkeypatch, a, b)
    assert run_all.main(["--quick", "--out", str(tmp_path), "--jobs", "1"]) == 0
    assert len(CALLS) == 6
    CALLS.clear()
    assert run_all.main(["--quick", "--out", str(tmp_path), "--only", "claim_a"]) == 0
    assert CALLS == []  # claim_a cached, claim_b only loaded
    assert set(json.loads((tmp_path / "verdicts.json").read_text())) == {"claim_a", "claim_b"}
    # another seed: claim_a is computed, claim_b (not selected, not cached) is left out
    assert run_all.main(["--quick", "--out", str(tmp_path), "--only", "claim_a", "--seed", "9",
                         "--jobs", "1"]) == 0  # fmt: skip
    assert sorted(CALLS) == [0, 1, 2]
    assert set(json.loads((tmp_path / "verdicts.json").read_text())) == {"claim_a"}


def test_declaration_by_reference_registers_with_the_theorem():
    from theory.theorems import THEOREM_6

    mod = _fake_module("fake_declared")
    mod.THEOREMS = (THEOREM_6,)
    mod.CLAIM = ""
    exp = fw.from_module(mod)
    assert exp.theorems == (THEOREM_6,) and exp in THEOREM_6.experiments
    assert exp.theorem == "Theorem 6 (arXiv 1905.11881 v2)"
    assert exp.title == "fake_declared" and exp.version == "1" and exp.order == 100  # defaults
    fw.from_module(mod)  # declaring again does not list it twice
    assert sum(e.name == "fake_declared" for e in THEOREM_6.experiments) == 1
    from theory.theorems._base import _EXPERIMENTS

    _EXPERIMENTS[THEOREM_6.key] = [e for e in THEOREM_6.experiments if e is not exp]


def test_a_module_must_declare_what_it_checks():
    mod = _fake_module("fake_undeclared")
    mod.CLAIM = ""
    with pytest.raises(ValueError, match="neither THEOREMS nor CLAIM"):
        fw.from_module(mod)
    del mod.THEOREMS
    with pytest.raises(ValueError, match="lacks THEOREMS"):
        fw.from_module(mod)
