"""Run every experiment of the lab and write results, figures, verdicts and REPORT.md.

Checks the claims of Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 (v2 numbering) by numbers.
Each claim is one module of :mod:`figures` (see its docstring for the interface).

Usage::

    python run_all.py                  # full run (at most ~15 minutes on 2 cores)
    python run_all.py --quick          # small grids (at most ~2 minutes on 2 cores)
    python run_all.py --list           # the experiments, then every result's trail
    python run_all.py --only frontier --only demo --out results/ --seed 0 --jobs 2
    python run_all.py --quick --scheduler tcp://HOST:8786  # on dask.distributed workers

Writes into ``--out`` (default ``results/``): per experiment ``NAME/rows.csv`` (tidy, one row
per run), ``NAME/provenance.json`` and figures (PDF, PNG); ``verdicts.json``; ``REPORT.md``;
``DERIVATIONS.md``. With ``--only``, the report and ``verdicts.json`` also include the other
experiments whose finished results (same seed and grid) are already in ``--out``.
Finished experiments are cached by configuration hash (name, version,
grid, seed): a rerun, or a run after an interruption, computes only what is missing.

``--jobs N`` is the number of worker processes over which an experiment's configurations
are spread (each worker runs numba with one thread); the results do not depend on it.
``--scheduler tcp://HOST:PORT`` sends the configurations to the workers of a dask.distributed
scheduler instead (see README.md, "Running on a cluster"); the CSVs are byte-identical to a
local run with the same seed. ``--scheduler`` and ``--jobs`` exclude each other.

Ctrl-C stops the run: pending configurations are cancelled, finished ones are kept, no
half-written file is left, and the same command resumes (exit status 130).

Exit status: 0 when no theorem is violated; 1 when a theorem verdict is ``violated`` (the
counterexamples are printed); 2 on bad arguments or when the dask scheduler cannot be
reached or is lost; 130 after Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from figures.executors import ExecutorError, make_executor  # noqa: E402
from figures.framework import (  # noqa: E402
    atomic_write_text,
    discover,
    run_experiment,
)
from figures.report import trail_text, write_report, write_verdicts  # noqa: E402

DEFAULT_SEED = 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="run_all.py",
        description="Run the lab's experiments (arXiv 1905.11881 v2 claims) and write a report.",
    )
    p.add_argument("--quick", action="store_true", help="small grids (about 2 minutes)")
    p.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="run only these experiments (repeatable, or a comma-separated list)",
    )
    p.add_argument(
        "--list",
        action="store_true",
        help="list the experiments, then each result's statement, derivations, experiments "
        "and covering tests, and exit",
    )
    p.add_argument("--out", default="results", help="output folder (default: results/)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed (default: 0)")
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="worker processes per experiment (default: min(2, CPUs)); results do not depend "
        "on it; not with --scheduler",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="run the configurations on the workers of the dask.distributed scheduler at "
        "ADDRESS (tcp://HOST:PORT, as printed by 'dask scheduler'); same CSV bytes as a local "
        "run; not with --jobs",
    )
    return p


class _Progress:
    """Prints ``name: done/total configurations, elapsed`` at most every few seconds."""

    def __init__(self, every: float = 5.0) -> None:
        self.every = every
        self.last = -float("inf")
        self.state: tuple[str, int, int] | None = None

    def __call__(self, name: str, done: int, total: int, elapsed: float) -> None:
        self.state = (name, done, total)
        now = time.perf_counter()
        if done == total or now - self.last >= self.every:
            self.last = now
            print(f"  {name}: {done}/{total} configurations, {elapsed:.1f} s", flush=True)


def _interrupted(finished: list[str], state: tuple[str, int, int] | None) -> str:
    """The one line printed after Ctrl-C: what is finished, and how to resume."""
    done = f"finished: {', '.join(finished)}" if finished else "no experiment finished"
    if state is not None and state[0] not in finished:
        name, n, total = state
        done += f"; {name}: {n}/{total} configurations kept"
    return f"interrupted ({done}); the same command resumes where this run stopped"


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status (see the module docstring)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad arguments, 0 on --help
        return int(exc.code or 0)
    if args.scheduler and args.jobs is not None:
        print(
            "run_all.py: error: --scheduler and --jobs exclude each other (the cluster's "
            "workers run the configurations)",
            file=sys.stderr,
        )
        return 2
    jobs = args.jobs if args.jobs is not None else min(2, os.cpu_count() or 1)
    if jobs < 1:
        print(f"run_all.py: error: --jobs must be >= 1, got {jobs}", file=sys.stderr)
        return 2
    executor = None
    if args.scheduler and not args.list:
        # before discovering the experiments (it imports them all): a bad address is
        # reported within seconds
        try:
            executor = make_executor(jobs, args.scheduler)
        except ExecutorError as exc:
            print(f"run_all.py: error: {exc}", file=sys.stderr)
            return 2
    experiments = discover()
    if args.list:
        for e in experiments.values():
            print(f"{e.name:16s} {e.kind:9s} {e.theorem}")
        print()
        print(trail_text())
        return 0
    names = [n.strip() for item in args.only for n in item.split(",") if n.strip()]
    unknown = [n for n in names if n not in experiments]
    if unknown:
        print(
            f"run_all.py: error: unknown experiment(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(experiments)}",
            file=sys.stderr,
        )
        if executor is not None:
            executor.close()
        return 2
    selected = [e for e in experiments.values() if not names or e.name in names]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    results = []
    finished: list[str] = []
    progress = _Progress()
    if executor is None:
        executor = make_executor(jobs)
    if args.scheduler:
        print(f"running on {executor.describe()}", flush=True)
    try:
        for e in experiments.values():
            if e not in selected:
                # not selected: reported only if finished results for this seed are cached
                res = run_experiment(e, out, seed=args.seed, quick=args.quick, cache_only=True)
                if res is not None:
                    results.append(res)
                continue
            print(f"[{e.name}] {e.theorem}", flush=True)
            res = run_experiment(
                e, out, seed=args.seed, quick=args.quick, jobs=jobs,
                progress=progress, pool=executor,
            )  # fmt: skip
            finished.append(e.name)
            v = res.verdict
            how = "cached" if res.cached else f"computed {res.computed_configs}"
            mx = "-" if v.max_ratio is None else f"{v.max_ratio:.3g}"
            print(
                f"[{e.name}] {v.verdict}: {v.instances} instances, {v.violations} violations, "
                f"max ratio {mx} ({how} of {res.total_configs} configurations, "
                f"{res.elapsed:.1f} s)",
                flush=True,
            )
            results.append(res)
        executor.close()
        from theory.render import derivations_markdown

        atomic_write_text(out / "DERIVATIONS.md", derivations_markdown())
        write_verdicts(out, results)
        report = write_report(out, results, seed=args.seed, quick=args.quick)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt this
        executor.abort()
        print(f"\n{_interrupted(finished, progress.state)}", file=sys.stderr, flush=True)
        return 130
    except ExecutorError as exc:
        executor.abort()
        print(
            f"run_all.py: error: {exc}; finished configurations are kept, the same command resumes",
            file=sys.stderr,
        )
        return 2
    print(f"wrote {report} ({time.perf_counter() - t0:.1f} s)", flush=True)
    failed = [r for r in results if r.verdict.failed]
    for r in failed:
        print(f"VIOLATED: {r.experiment.name} ({r.experiment.theorem})", file=sys.stderr)
        for c in r.verdict.counterexamples:
            print("  counterexample: " + json.dumps(c, sort_keys=True), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # before main's own handler is in place (discovery)
        sys.exit(130)
