"""Run every experiment of the lab and write results, figures, verdicts and REPORT.md.

Checks the claims of Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 (v2 numbering) by numbers.
Each claim is one module of :mod:`figures` (see its docstring for the interface).

Usage::

    python run_all.py                  # full run (at most ~15 minutes on 2 cores)
    python run_all.py --quick          # small grids (at most ~2 minutes on 2 cores)
    python run_all.py --list           # the experiments, then every result's trail
    python run_all.py --only frontier --only demo --out results/ --seed 0 --jobs 2

Writes into ``--out`` (default ``results/``): per experiment ``NAME/rows.csv`` (tidy, one row
per run), ``NAME/provenance.json`` and figures (PDF, PNG); ``verdicts.json``; ``REPORT.md``;
``DERIVATIONS.md``. With ``--only``, the report and ``verdicts.json`` also include the other
experiments whose finished results (same seed and grid) are already in ``--out``.
Finished experiments are cached by configuration hash (name, version,
grid, seed): a rerun, or a run after an interruption, computes only what is missing.

``--jobs N`` is the number of worker processes over which an experiment's configurations
are spread (each worker runs numba with one thread); the results do not depend on it.

Exit status: 0 when no theorem is violated; 1 when a theorem verdict is ``violated`` (the
counterexamples are printed); 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from figures.framework import (  # noqa: E402
    atomic_write_text,
    discover,
    make_pool,
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
        default=min(2, os.cpu_count() or 1),
        help="worker processes per experiment (default: min(2, CPUs)); results do not depend on it",
    )
    return p


class _Progress:
    """Prints ``name: done/total configurations, elapsed`` at most every few seconds."""

    def __init__(self, every: float = 5.0) -> None:
        self.every = every
        self.last = -float("inf")

    def __call__(self, name: str, done: int, total: int, elapsed: float) -> None:
        now = time.perf_counter()
        if done == total or now - self.last >= self.every:
            self.last = now
            print(f"  {name}: {done}/{total} configurations, {elapsed:.1f} s", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status (see the module docstring)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad arguments, 0 on --help
        return int(exc.code or 0)
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
        return 2
    if args.jobs < 1:
        print(f"run_all.py: error: --jobs must be >= 1, got {args.jobs}", file=sys.stderr)
        return 2
    selected = [e for e in experiments.values() if not names or e.name in names]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    results = []
    pool = make_pool(args.jobs) if args.jobs > 1 else None
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
                e, out, seed=args.seed, quick=args.quick, jobs=args.jobs,
                progress=_Progress(), pool=pool,
            )  # fmt: skip
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
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    from theory.render import derivations_markdown

    atomic_write_text(out / "DERIVATIONS.md", derivations_markdown())
    write_verdicts(out, results)
    report = write_report(out, results, seed=args.seed, quick=args.quick)
    print(f"wrote {report} ({time.perf_counter() - t0:.1f} s)", flush=True)
    failed = [r for r in results if r.verdict.failed]
    for r in failed:
        print(f"VIOLATED: {r.experiment.name} ({r.experiment.theorem})", file=sys.stderr)
        for c in r.verdict.counterexamples:
            print("  counterexample: " + json.dumps(c, sort_keys=True), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
