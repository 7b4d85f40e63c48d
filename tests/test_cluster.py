"""run_all.py on a real dask.distributed cluster on 127.0.0.1 (arXiv 1905.11881 v2 claims).

A scheduler and worker processes are started as a user starts them (``dask scheduler``,
``dask worker ADDRESS``; :mod:`tests.dask_cluster`), on the loopback interface only. The
default suite uses the fake experiment :mod:`tests.sleepy_experiment` (each configuration
sleeps on the worker, so a worker can be killed while it holds tasks); the slow tests run
the real quick experiments through the command line.
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import run_all
import theory.render
from figures import framework as fw
from figures.executors import ClusterExecutor, ExecutorError
from tests import sleepy_experiment
from tests.dask_cluster import ROOT, LoopbackCluster
from tests.figures.test_executors import check_interrupted, interrupt_run

SLEEPY = fw.from_module(sleepy_experiment)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two one-thread workers; each sleepy configuration takes 0.5 s on them."""
    old = os.environ.get("SLEEPY_SECONDS")
    os.environ["SLEEPY_SECONDS"] = "0.5"  # inherited by the workers
    try:
        with LoopbackCluster(tmp_path_factory.mktemp("cluster"), n_workers=2) as c:
            yield c
    finally:
        if old is None:
            os.environ.pop("SLEEPY_SECONDS", None)
        else:
            os.environ["SLEEPY_SECONDS"] = old


@pytest.fixture
def sleepy_only(monkeypatch):
    """run_all sees only the sleepy experiment; DERIVATIONS.md is a stub (not tested here)."""
    monkeypatch.setattr(run_all, "discover", lambda: {SLEEPY.name: SLEEPY})
    monkeypatch.setattr(theory.render, "derivations_markdown", lambda: "# Derivations\n")
    monkeypatch.setenv("SLEEPY_SECONDS", "0")  # for the local reference runs


def _rows_csv(out: Path, name: str) -> bytes:
    return (out / name / "rows.csv").read_bytes()


def test_cluster_run_writes_the_bytes_of_a_local_run(cluster, sleepy_only, tmp_path, capsys):
    for seed in ("0", "7"):
        local, dask = tmp_path / f"local{seed}", tmp_path / f"dask{seed}"
        assert run_all.main(["--quick", "--seed", seed, "--jobs", "1", "--out", str(local)]) == 0
        args = ["--quick", "--seed", seed, "--scheduler", cluster.address, "--out", str(dask)]
        assert run_all.main(args) == 0
        assert _rows_csv(dask, "sleepy") == _rows_csv(local, "sleepy")
    assert _rows_csv(tmp_path / "dask0", "sleepy") != _rows_csv(tmp_path / "dask7", "sleepy")
    assert f"running on dask scheduler {cluster.address}" in capsys.readouterr().out


def test_killed_worker_loses_nothing_and_duplicates_nothing_lost_scheduler_stops(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("SLEEPY_SECONDS", "0.4")
    with LoopbackCluster(tmp_path / "cluster", n_workers=2) as c:
        ex = ClusterExecutor(c.address)
        held: list[int] = []

        def kill_worker_0(name: str, done: int, total: int, elapsed: float) -> None:
            if done == 3 and not held:
                by_name = {w["name"]: a for a, w in ex.client.scheduler_info()["workers"].items()}
                held.append(len(ex.client.processing()[by_name["w0"]]))
                c.kill(0)

        def kill_scheduler(name: str, done: int, total: int, elapsed: float) -> None:
            if done == 2:
                c.scheduler.kill()

        try:
            res = fw.run_experiment(SLEEPY, tmp_path / "dask", quick=True, pool=ex,
                                    progress=kill_worker_0)  # fmt: skip
            assert c.workers[0].poll() is not None  # it really died
            # then the scheduler dies in a second run (another seed)
            with pytest.raises(ExecutorError, match="lost the connection") as info:
                fw.run_experiment(SLEEPY, tmp_path / "lost", quick=True, seed=1, pool=ex,
                                  progress=kill_scheduler)  # fmt: skip
        finally:
            ex.close()
    assert held and held[0] >= 1  # it held tasks when it died: they were resubmitted
    n = sleepy_experiment.N_CONFIGS
    assert res.computed_configs == n
    rows = fw.read_csv(tmp_path / "dask" / "sleepy" / "rows.csv")
    assert collections.Counter(r["i"] for r in rows) == {i: 3 for i in range(n)}
    monkeypatch.setenv("SLEEPY_SECONDS", "0")
    fw.run_experiment(SLEEPY, tmp_path / "local", quick=True)
    assert _rows_csv(tmp_path / "dask", "sleepy") == _rows_csv(tmp_path / "local", "sleepy")
    # the lost scheduler: one line; finished parts kept, no final file, nothing half-written
    assert "\n" not in str(info.value)
    lost = tmp_path / "lost" / "sleepy"
    assert len(list((lost / ".parts").glob("*.json"))) >= 2
    assert not (lost / "rows.csv").exists()
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_ctrl_c_on_a_cluster_prints_one_line_and_resumes(cluster, tmp_path, monkeypatch):
    rc, err, folder = interrupt_run(tmp_path, ["--scheduler", cluster.address])
    check_interrupted(rc, err, folder, monkeypatch)


# -------------------------------------------------------------- the real quick run
def _cli(args: list[str], **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "run_all.py", "--quick", *args], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw,
    )  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [None, 8.0])
def test_quick_demo_and_upper_bounds_on_a_cluster_match_jobs_1(tmp_path, kill_after):
    only = ["--only", "demo,upper_bounds"]
    local = _cli([*only, "--jobs", "1", "--out", str(tmp_path / "local")])
    with LoopbackCluster(tmp_path / "cluster", n_workers=2) as c:
        dask = _cli([*only, "--scheduler", c.address, "--out", str(tmp_path / "dask")])
        if kill_after is not None:
            time.sleep(kill_after)
            assert dask.poll() is None, dask.communicate()
            c.kill(0)
        out, err = dask.communicate(timeout=900)
        assert dask.returncode == 0, err
    lout, lerr = local.communicate(timeout=900)
    assert local.returncode == 0, lerr
    for name in ("demo", "upper_bounds"):
        assert _rows_csv(tmp_path / "dask", name) == _rows_csv(tmp_path / "local", name)
    if kill_after is not None:
        assert c.workers[0].returncode == -signal.SIGKILL


def test_no_worker_is_a_one_line_error_not_a_hang(tmp_path):
    with LoopbackCluster(tmp_path / "cluster", n_workers=0) as c:
        ex = ClusterExecutor(c.address, no_worker_timeout=2.0)
        try:
            with pytest.raises(ExecutorError, match="no dask worker") as info:
                fw.run_experiment(SLEEPY, tmp_path / "out", quick=True, pool=ex)
        finally:
            ex.close()
    assert "\n" not in str(info.value) and c.address in str(info.value)
