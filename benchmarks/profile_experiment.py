"""Where one experiment's compute time goes, in-process (issue 17, item 1).

``run_all.py`` computes configurations in worker processes, so a profile of the main
process shows nothing; this script calls the experiment's ``compute(config, seed)`` on
its grid in this process (numba with one thread, as in the workers) under cProfile and
splits the time into the issue's categories::

    python benchmarks/profile_experiment.py upper_bounds --quick [--limit N] [--json]

Run it with a fresh ``CLIPLAB_CACHE_DIR`` for the cold figures (code generation and numba
compilation included) and again with the same one for the warm figures. Categories are
inclusive times of entry points (they can nest: certification evaluates f, which may
compile), except ``kernels`` (the native time spent inside the compiled kernels, the
own time of the Python wrappers that call them) and ``other``.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numba  # noqa: E402

#: category -> (file suffix, function name) entry points whose inclusive time is reported
ENTRY_POINTS = {
    "certification": [("theory/smoothness.py", "certify")],
    "code generation (sympy + source + import)": [
        ("synthetic/codegen.py", "compile_family"),
        ("synthetic/codegen.py", "compile_kernels"),
    ],
    "numba: compile or load from cache": [("numba/core/dispatcher.py", "_compile_for_args")],
    "numba: load from cache": [("numba/core/caching.py", "load_overload")],
    "plain sympy (all callers)": [],
}
#: wrappers whose own time is the native time of the kernels they call
KERNEL_WRAPPERS = [
    ("synthetic/run.py", "run"),
    ("synthetic/sweep.py", "sweep"),
    ("synthetic/sweep.py", "_chunk_nd"),
    ("synthetic/stochastic.py", "run_stochastic"),
]


def _match(key, suffix: str, name: str) -> bool:
    return key[0].endswith(suffix) and key[2] == name


def categorize(stats: pstats.Stats, wall: float) -> dict[str, float]:
    """Seconds per category from a profile (see the module docstring)."""
    raw = stats.stats  # key (file, line, func) -> (cc, nc, tottime, cumtime, callers)
    out: dict[str, float] = {}
    for cat, entries in ENTRY_POINTS.items():
        out[cat] = sum(v[3] for k, v in raw.items() for s, n in entries if _match(k, s, n))
    out["plain sympy (all callers)"] = sum(v[2] for k, v in raw.items() if "/sympy/" in k[0])
    out["kernels (native, in run/sweep/stochastic)"] = sum(
        v[2] for k, v in raw.items() for s, n in KERNEL_WRAPPERS if _match(k, s, n)
    )
    out["total (wall, in-process)"] = wall
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("experiment", help="a module of figures/, e.g. upper_bounds")
    ap.add_argument("--quick", action="store_true", help="the quick grid")
    ap.add_argument("--limit", type=int, default=0, help="only the first N configurations")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--top", type=int, default=0, help="also print the top N by own time")
    args = ap.parse_args(argv)
    numba.set_num_threads(1)
    try:
        mod = importlib.import_module(f"figures.{args.experiment}")
    except ModuleNotFoundError:
        ap.error(f"no experiment figures.{args.experiment}")
    from figures.framework import config_seed

    grid = mod.grid(args.quick)
    if args.limit > 0:
        grid = grid[: args.limit]
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for cfg in grid:
        mod.compute(cfg, config_seed(args.seed, cfg))
    prof.disable()
    wall = time.perf_counter() - t0
    stats = pstats.Stats(prof)
    report = {
        "experiment": args.experiment,
        "quick": args.quick,
        "configurations": len(grid),
        "cache_dir": os.environ.get("CLIPLAB_CACHE_DIR"),
        "loadavg": os.getloadavg(),
        "seconds": categorize(stats, wall),
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{args.experiment} ({'quick' if args.quick else 'full'}, {len(grid)} configs, "
              f"load {report['loadavg']})")  # fmt: skip
        for k, v in report["seconds"].items():
            print(f"  {k:45s} {v:8.1f} s")
    if args.top:
        stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
