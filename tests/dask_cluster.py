"""A dask.distributed cluster on 127.0.0.1 for tests: ``dask scheduler`` and ``dask worker``.

The scheduler and each worker are separate processes (in their own sessions, so a Ctrl-C
sent to a test's process group does not reach them), started as a user would start them
on several machines, but listening on the loopback interface only, without dashboards.
Workers import the lab from this checkout (``PYTHONPATH``) and run one thread each.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class LoopbackCluster:
    """``with LoopbackCluster(tmp, n_workers=2) as c:`` ... ``c.address`` ... ``c.kill(0)``."""

    def __init__(self, folder: Path, n_workers: int = 2, timeout: float = 60.0) -> None:
        self.folder = Path(folder)
        self.n_workers = n_workers
        self.timeout = timeout
        self.scheduler: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.address = ""

    def _env(self) -> dict:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).strip(
            os.pathsep
        )
        return env

    def _spawn(self, module: str, args: list[str], log: str) -> subprocess.Popen:
        fh = open(self.folder / log, "wb")  # noqa: SIM115 - closed with the process
        return subprocess.Popen(
            [sys.executable, "-m", f"distributed.cli.{module}", *args],
            stdout=fh, stderr=subprocess.STDOUT, env=self._env(), cwd=self.folder,
            start_new_session=True,
        )  # fmt: skip

    def __enter__(self) -> LoopbackCluster:
        try:
            return self._start()
        except BaseException:
            self.__exit__(None, None, None)  # never leave a process behind
            raise

    def _start(self) -> LoopbackCluster:
        self.folder.mkdir(parents=True, exist_ok=True)
        sfile = self.folder / "scheduler.json"
        self.scheduler = self._spawn(
            "dask_scheduler",
            ["--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file",
             str(sfile)],
            "scheduler.log",
        )  # fmt: skip
        deadline = time.monotonic() + self.timeout
        while not sfile.exists():
            if time.monotonic() > deadline or self.scheduler.poll() is not None:
                raise RuntimeError("dask scheduler did not start: " + self.log("scheduler"))
            time.sleep(0.1)
        time.sleep(0.2)  # the file is written in one go, but give it a moment
        self.address = json.loads(sfile.read_text())["address"]
        for k in range(self.n_workers):
            self.add_worker(f"w{k}")
        if self.n_workers:
            self.wait_for_workers(self.n_workers)
        return self

    def add_worker(self, name: str) -> subprocess.Popen:
        """Start one more worker (one thread, no nanny: a killed worker stays dead)."""
        p = self._spawn(
            "dask_worker",
            [self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard", "--host",
             "127.0.0.1", "--name", name, "--death-timeout", "60"],
            f"worker-{name}.log",
        )  # fmt: skip
        self.workers.append(p)
        return p

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=self.timeout, set_as_default=False) as c:
            c.wait_for_workers(n, timeout=self.timeout)

    def kill(self, k: int) -> None:
        """SIGKILL worker ``k`` (no goodbye to the scheduler: as if its machine died)."""
        self.workers[k].send_signal(signal.SIGKILL)
        self.workers[k].wait(10)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def __exit__(self, *exc) -> None:
        for p in [*self.workers, self.scheduler]:
            if p is not None and p.poll() is None:
                p.terminate()
        for p in [*self.workers, self.scheduler]:
            if p is None:
                continue
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
