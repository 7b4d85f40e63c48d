"""Executors of the experiments' configurations: local pool, errors, Ctrl-C (run_all.py).

The claims are those of arXiv 1905.11881 (v2 numbering); here only the machinery is
tested, with the fake experiment :mod:`tests.sleepy_experiment`. The cluster itself is
tested in ``tests/test_cluster.py``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import run_all
from figures import framework as fw
from figures.executors import (
    ClusterExecutor,
    ExecutorError,
    LocalExecutor,
    _checked_call,
    make_executor,
    source_digest,
)
from tests import sleepy_experiment

ROOT = Path(__file__).resolve().parents[2]

#: Runs run_all.main with the sleepy experiment as the only one (a subprocess can then be
#: sent SIGINT as a terminal would: to its whole process group).
DRIVER = """
import sys
import run_all, theory.render
from figures import framework as fw
from tests import sleepy_experiment
exp = fw.from_module(sleepy_experiment)
run_all.discover = lambda: {exp.name: exp}
theory.render.derivations_markdown = lambda: "# Derivations\\n"
sys.exit(run_all.main(sys.argv[1:]))
"""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _parts(folder: Path) -> list[Path]:
    return sorted((folder / ".parts").glob("*.json"))


def interrupt_run(tmp_path: Path, args: list[str]) -> tuple[int, str, Path]:
    """Start the sleepy run, send SIGINT to its process group after 2 finished configurations.

    Returns the exit status, the stderr text and the experiment's folder.
    """
    out = tmp_path / "out"
    env = {**os.environ, "SLEEPY_SECONDS": "0.8", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, "--quick", "--out", str(out), *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    folder = out / sleepy_experiment.NAME
    deadline = time.monotonic() + 120
    try:
        while len(_parts(folder)) < 2:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no configuration finished in 120 s"
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:  # a failed test leaves no process behind
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc.returncode, err.decode(), folder


def check_interrupted(rc: int, err: str, folder: Path, monkeypatch) -> None:
    """Exit 130, one line, no traceback, no half-written file; the rerun computes the rest."""
    assert rc == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("interrupted"), err
    assert "the same command resumes" in lines[0]
    assert not [p for p in folder.parent.rglob("*") if p.name.endswith(".tmp")]
    assert not (folder / "provenance.json").exists() and not (folder / "rows.csv").exists()
    kept = len(_parts(folder))
    n = sleepy_experiment.N_CONFIGS
    assert 2 <= kept < n
    # resume in this process: only the missing configurations are computed, and the rows
    # are those of an uninterrupted run
    monkeypatch.setenv("SLEEPY_SECONDS", "0")
    exp = fw.from_module(sleepy_experiment)
    res = fw.run_experiment(exp, folder.parent, quick=True)
    assert res.computed_configs == n - kept
    fresh = fw.run_experiment(exp, folder.parent / "fresh", quick=True)
    assert (folder / "rows.csv").read_bytes() == (fresh.folder / "rows.csv").read_bytes()


# ------------------------------------------------------------------------ local pool
def test_local_executor_yields_every_task_once_and_cancels_on_close(tmp_path):
    assert sorted(LocalExecutor(1).map_unordered(pow, {k: (k, 2) for k in range(3)})) == [
        (0, 0), (1, 1), (2, 4)
    ]  # fmt: skip
    ex = LocalExecutor(2)
    try:
        got = list(ex.map_unordered(pow, {k: (k, 2) for k in range(7)}))
        assert sorted(got) == [(k, k * k) for k in range(7)]
        # the same pool again; leaving the iteration early cancels what has not started
        tasks = {k: (str(tmp_path / f"{k}.started"), 0.5) for k in range(12)}
        it = ex.map_unordered(sleepy_experiment.touch_and_sleep, tasks)
        next(it)
        it.close()
    finally:
        ex.close()  # waits for the tasks already running
    started = len(list(tmp_path.glob("*.started")))
    assert 1 <= started < 12


def test_local_executor_rejects_no_workers():
    with pytest.raises(ValueError, match="jobs"):
        LocalExecutor(0)


def test_source_digest_is_stable_and_covers_the_packages():
    d = source_digest()
    assert len(d) == 20 and d == source_digest()


# --------------------------------------------------------------------- bad input
def test_unreachable_scheduler_is_a_one_line_error(capsys):
    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(ExecutorError, match="127.0.0.1") as info:
        ClusterExecutor(address, connect_timeout=1.0)
    assert "\n" not in str(info.value)
    with pytest.raises(ExecutorError, match="port"):
        make_executor(scheduler="no-port-here")
    assert run_all.main(["--only", "demo", "--scheduler", "no-port-here"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("run_all.py: error:") and "port" in err


def test_unreachable_scheduler_ends_quickly_from_the_command_line(tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"
    # a hang guard only (60 s): the connection timeout is 5 s
    p = subprocess.run(
        [sys.executable, "run_all.py", "--quick", "--only", "demo", "--scheduler", address,
         "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and "Traceback" not in p.stderr


def test_scheduler_and_jobs_exclude_each_other(capsys):
    assert run_all.main(["--scheduler", "tcp://127.0.0.1:1", "--jobs", "2"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--scheduler" in err and "--jobs" in err
    assert "--scheduler" in run_all._parser().format_help()


# ----------------------------------------------------------------------- Ctrl-C
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_prints_one_line_keeps_parts_and_resumes(tmp_path, monkeypatch, jobs):
    rc, err, folder = interrupt_run(tmp_path, ["--jobs", jobs])
    check_interrupted(rc, err, folder, monkeypatch)


def test_a_worker_with_other_sources_refuses_the_task():
    assert _checked_call(source_digest(), pow, 2, 3) == 8
    with pytest.raises(ExecutorError, match="same commit"):
        _checked_call("0" * 20, pow, 2, 3)
