"""Where an experiment's configurations run: a local process pool or a dask.distributed cluster.

Both executors have one small interface, :class:`TaskExecutor`: :meth:`~TaskExecutor.map_unordered`
takes independent tasks by key and yields ``(key, result)`` as each one finishes; leaving
the iteration early (an exception, Ctrl-C) cancels what has not started. The caller, not
the executor, writes every result to disk (:func:`figures.framework.run_experiment` writes
one part file per configuration, atomically), so a worker that dies loses only its
running task, which is resubmitted, and never leaves a half-written file.

Determinism: a task carries everything that determines its result (the configuration and
its seed, :func:`figures.framework.config_seed`); nothing depends on which worker, thread
or process runs it. Results are assembled in grid order by the caller, so the CSVs of a
run are byte-identical whatever the executor.

Cluster workers import the lab from their own checkout and compile the generated kernels
into their own cache (``$CLIPLAB_CACHE_DIR`` or ``~/.cache/clipping_lab`` of the worker's
machine): a worker pays the compilation of a (family, step rule) pair the first time it
meets one, once per cache folder, and keeps the compiled code loaded for as long as it
lives. :class:`ClusterExecutor` refuses workers whose sources differ from the client's
(:func:`source_digest`), since they could not reproduce the local results.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
import multiprocessing
import signal
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import (
    FIRST_COMPLETED,
    CancelledError,
    Executor,
    InvalidStateError,
    ProcessPoolExecutor,
    wait,
)
from pathlib import Path
from typing import Any

__all__ = [
    "ClusterExecutor",
    "ExecutorError",
    "LocalExecutor",
    "TaskExecutor",
    "make_executor",
    "source_digest",
]

#: Packages whose sources every worker must share with the client.
LAB_PACKAGES = ("figures", "synthetic", "theory")
_ROOT = Path(__file__).resolve().parent.parent


class ExecutorError(RuntimeError):
    """The executor cannot go on (scheduler unreachable or lost, no workers, bad worker).

    The message is one line meant for the user; finished configurations are kept, so the
    same command resumes once the cause is fixed.
    """


@functools.cache
def source_digest() -> str:
    """SHA-256 (20 hex digits) of the lab's Python sources (:data:`LAB_PACKAGES`), by path.

    Computed once per process. Two processes with equal digests run the same code.
    """
    h = hashlib.sha256()
    for pkg in LAB_PACKAGES:
        for path in sorted((_ROOT / pkg).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            h.update(path.relative_to(_ROOT).as_posix().encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()[:20]


class TaskExecutor(ABC):
    """Runs independent tasks and yields their results as they finish."""

    #: How many tasks run at once (at least 1).
    workers: int = 1

    @abstractmethod
    def map_unordered(
        self, fn: Callable[..., Any], tasks: Mapping[Any, tuple]
    ) -> Iterator[tuple[Any, Any]]:
        """Yield ``(key, fn(*tasks[key]))`` for every key, in order of completion.

        A task's exception is raised here (pending tasks are cancelled). Closing the
        iterator early cancels the tasks that have not finished.
        """

    def abort(self) -> None:
        """Stop at once (after Ctrl-C): drop pending and running tasks, release workers."""
        self.close()

    @abstractmethod
    def close(self) -> None:
        """Release the workers (waits for nothing that is still pending)."""

    def describe(self) -> str:
        """A few words for the provenance: what ran the tasks."""
        return type(self).__name__

    def __enter__(self) -> TaskExecutor:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt):
            self.abort()
        else:
            self.close()


# ---------------------------------------------------------------------- local pool
def _worker_init() -> None:  # pragma: no cover - runs in worker processes
    # Ctrl-C is the parent's to handle (it cancels and terminates the pool); a worker
    # that took it too would print a KeyboardInterrupt traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import numba

        numba.set_num_threads(1)
    except Exception:
        pass


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore SIGINT while worker processes are started, so they inherit the disposition."""
    try:
        old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: nothing to protect
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def make_pool(jobs: int) -> ProcessPoolExecutor:
    """A process pool (spawn context; numba with one thread per worker) of ``jobs`` workers.

    Workers ignore SIGINT: after Ctrl-C the parent cancels and terminates them.
    """
    ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init)


def _quiet_broken_pool() -> None:
    """Silence the pool's own threads when its workers are terminated at abort.

    Terminating the workers marks the pool broken: CPython's manager thread then sets an
    exception on every pending future, raising ``InvalidStateError`` for those already
    cancelled, and the queue feeder thread may meet a closed pipe; each would print a
    traceback. Other threads' errors are reported as before.
    """
    previous = threading.excepthook

    def hook(args: threading.ExceptHookArgs) -> None:
        pool_thread = args.thread is not None and (
            args.thread.name == "QueueFeederThread"
            or type(args.thread).__name__ == "_ExecutorManagerThread"
        )
        if args.exc_type is InvalidStateError or pool_thread:
            return
        previous(args)

    threading.excepthook = hook


class LocalExecutor(TaskExecutor):
    """``jobs`` worker processes on this machine (``jobs == 1``: in this process).

    The pool starts at the first call with more than one task and is reused by later
    calls (workers import and load compiled code once per run). A single task runs in
    this process. ``pool`` wraps an existing :class:`concurrent.futures.Executor`
    instead (not shut down by :meth:`close`).
    """

    def __init__(self, jobs: int = 1, *, pool: Executor | None = None) -> None:
        if pool is None and jobs < 1:
            raise ValueError(f"jobs must be >= 1, got {jobs}")
        self.jobs = int(jobs)
        self.workers = max(1, self.jobs)
        self._pool = pool
        self._own = pool is None

    def _get_pool(self) -> Executor:
        if self._pool is None:
            self._pool = make_pool(self.jobs)
        return self._pool

    def map_unordered(
        self, fn: Callable[..., Any], tasks: Mapping[Any, tuple]
    ) -> Iterator[tuple[Any, Any]]:
        if len(tasks) <= 1 or (self._own and self.jobs == 1):
            for key, args in tasks.items():
                yield key, fn(*args)
            return
        pool = self._get_pool()
        with _sigint_ignored():  # workers start at submit: they inherit SIG_IGN
            pending = {pool.submit(fn, *args): key for key, args in tasks.items()}
        order = {key: n for n, key in enumerate(tasks)}
        try:
            while pending:
                fin, _ = wait(pending, return_when=FIRST_COMPLETED)
                for f in sorted(fin, key=lambda f: order[pending[f]]):
                    key = pending.pop(f)
                    yield key, f.result()
        finally:
            for f in pending:
                f.cancel()

    def abort(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        _quiet_broken_pool()
        # running tasks cannot be cancelled: end their processes (their results were
        # never written, so nothing is lost but the work in progress). The list first:
        # shutdown forgets it.
        procs = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            with contextlib.suppress(Exception):
                proc.terminate()
        for proc in procs:
            with contextlib.suppress(Exception):
                proc.join(5)

    def close(self) -> None:
        if self._own and self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        self._pool = None

    def describe(self) -> str:
        return f"local, {self.jobs} process{'es' if self.jobs > 1 else ''}"


# ------------------------------------------------------------------ dask cluster
def _checked_call(digest: str, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` on a worker whose lab sources are those of the client (else an error)."""
    if source_digest() != digest:
        raise ExecutorError(
            f"a dask worker runs other lab sources (digest {source_digest()}, client "
            f"{digest}); check out the same commit on every machine"
        )
    return fn(*args)


@contextlib.contextmanager
def _logging_off() -> Iterator[None]:
    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


async def _probe(address: str, timeout: float) -> None:
    from distributed.comm import connect

    comm = await connect(address, timeout=timeout)
    await comm.close()


class ClusterExecutor(TaskExecutor):
    """The workers of a dask.distributed scheduler at ``address`` (``tcp://HOST:PORT``).

    Parameters
    ----------
    address
        The scheduler's address, as printed by ``dask scheduler``.
    connect_timeout
        Seconds to wait for the scheduler before giving up with :class:`ExecutorError`.
    no_worker_timeout
        Seconds the run waits while no worker is connected before giving up.

    Tasks are submitted with their arguments (configuration and seed), never relying on
    worker state. A worker that dies has its tasks resubmitted by the scheduler to
    another worker (up to ``distributed.scheduler.allowed-failures`` times per task).
    """

    def __init__(
        self, address: str, *, connect_timeout: float = 5.0, no_worker_timeout: float = 60.0
    ) -> None:
        try:
            import distributed
        except ImportError as exc:
            raise ExecutorError(
                "--scheduler needs the 'distributed' package (pip install distributed)"
            ) from exc
        self.address = address
        self.no_worker_timeout = float(no_worker_timeout)
        self._lost = False
        try:
            # a bare connection first: a failed Client would print a traceback when
            # garbage-collected, and take twice the timeout to do so
            asyncio.run(_probe(address, connect_timeout))
            self.client = distributed.Client(address, timeout=connect_timeout, set_as_default=False)
        except (OSError, ValueError, TypeError) as exc:
            msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ExecutorError(f"cannot use the dask scheduler at {address!r}: {msg}") from None
        self._digest = source_digest()
        self._check_workers()

    def _check_workers(self) -> None:
        try:
            digests = self.client.run(source_digest)
        except Exception as exc:
            self.close()
            msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ExecutorError(
                f"a dask worker at {self.address} cannot import the lab ({msg}); start it "
                "from the checkout with PYTHONPATH=<checkout> dask worker ADDRESS"
            ) from None
        bad = sorted(w for w, d in digests.items() if d != self._digest)
        if bad:
            self.close()
            raise ExecutorError(
                f"dask worker(s) {', '.join(bad)} run other lab sources than this checkout "
                f"(digest {self._digest}); check out the same commit on every machine"
            )
        self.workers = max(1, sum(self.client.nthreads().values()))

    def map_unordered(
        self, fn: Callable[..., Any], tasks: Mapping[Any, tuple]
    ) -> Iterator[tuple[Any, Any]]:
        from distributed import KilledWorker
        from distributed import wait as dwait

        futures = {
            self.client.submit(_checked_call, self._digest, fn, *args, pure=False): key
            for key, args in tasks.items()
        }
        order = {key: n for n, key in enumerate(tasks)}
        lonely_since: float | None = None
        try:
            while futures:
                try:
                    with self.client.as_current():
                        fin, _ = dwait(list(futures), timeout=1.0, return_when="FIRST_COMPLETED")
                    done = [(f, futures[f]) for f in sorted(fin, key=lambda f: order[futures[f]])]
                    results = [(key, f.result()) for f, key in done]
                except TimeoutError:
                    done, results = [], []
                except CancelledError:  # also FuturesCancelledError: the scheduler is gone
                    self._lost = True
                    raise ExecutorError(
                        f"lost the connection to the dask scheduler at {self.address}"
                    ) from None
                except KilledWorker as exc:
                    raise ExecutorError(
                        f"dask gave up on a task that killed its workers ({exc}); see the "
                        "worker logs"
                    ) from None
                for f, _ in done:
                    futures.pop(f)
                yield from results
                if done:
                    continue
                if self.client.status != "running":
                    self._lost = True
                    raise ExecutorError(f"lost the dask scheduler at {self.address}")
                if not self.client.nthreads():
                    lonely_since = lonely_since or time.monotonic()
                    if time.monotonic() - lonely_since > self.no_worker_timeout:
                        raise ExecutorError(
                            f"no dask worker connected to {self.address} for "
                            f"{self.no_worker_timeout:.0f} s; start one with "
                            f"'dask worker {self.address}'"
                        )
                else:
                    lonely_since = None
        finally:
            if futures:
                with contextlib.suppress(Exception):
                    self.client.cancel(list(futures))

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            # after losing the scheduler, closing logs the failed reconnection (a traceback)
            quiet = _logging_off() if self._lost else contextlib.nullcontext()
            with quiet, contextlib.suppress(Exception):
                client.close(timeout=5)
            self.client = None

    def describe(self) -> str:
        return f"dask scheduler {self.address}, {self.workers} worker threads"


def make_executor(jobs: int = 1, scheduler: str | None = None) -> TaskExecutor:
    """A :class:`ClusterExecutor` for ``scheduler`` if given, else a :class:`LocalExecutor`.

    Raises
    ------
    ExecutorError
        The scheduler cannot be reached (within a few seconds) or its workers cannot run
        this checkout.
    ValueError
        ``jobs < 1``.
    """
    if scheduler:
        return ClusterExecutor(scheduler)
    return LocalExecutor(jobs)
