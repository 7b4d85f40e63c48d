"""End-to-end times of the lab, cold (issue 17, item 4): quick run, full run, test suite.

Each measurement runs in a subprocess with a fresh generated-code cache
(``CLIPLAB_CACHE_DIR`` in a new temporary folder) and a fresh output folder, so code
generation and numba compilation are included. Recorded per run: wall time, CPU time of
the subprocess tree, the load average before and after, and what the cache holds at the
end (generated modules; numba cache entries, i.e. compiled functions, per kernel). Each
figure is the median of ``--repeats`` runs (default 3); all runs are kept in the JSON.
Timings live here, never in the tests.

Usage::

    python benchmarks/end_to_end.py [--only quick|full|tests] [--repeats N] [--json]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.kernels import machine_info  # noqa: E402

#: name -> command (run from the repository root); {out} is a fresh output folder
COMMANDS = {
    "quick": [sys.executable, "run_all.py", "--quick", "--out", "{out}"],
    "full": [sys.executable, "run_all.py", "--out", "{out}"],
    "tests": [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
}


def cache_contents(cache: Path) -> dict:
    """Generated modules and numba cache entries (compiled functions) in a cache folder."""
    gen = cache / "generated"
    modules = sorted(p.stem for p in gen.glob("_cliplab_*.py")) if gen.is_dir() else []
    per_function: collections.Counter = collections.Counter()
    pycache = gen / "__pycache__"
    if pycache.is_dir():
        for f in pycache.glob("*.nbc"):
            # <module>.<function>-<line>.py311.<n>.nbc: one file per compiled signature
            per_function[f.name.split(".")[1].rsplit("-", 1)[0]] += 1
    kernel_modules = [m for m in modules if m.count("_") > 3]
    return {
        "modules": len(modules),
        "kernel_modules": len(kernel_modules),
        "family_modules": len(modules) - len(kernel_modules),
        "compiled_functions": sum(per_function.values()),
        "compiled_per_function": dict(per_function.most_common()),
    }


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_once(name: str) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"cliplab_e2e_{name}_") as tmp:
        cache, out = Path(tmp) / "cache", Path(tmp) / "out"
        env = dict(os.environ, CLIPLAB_CACHE_DIR=str(cache))
        cmd = [c.format(out=out) for c in COMMANDS[name]]
        load0, cpu0, t0 = os.getloadavg(), _children_cpu(), time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-1:] or [""]
        return {
            "wall_s": wall,
            "cpu_s": cpu,
            "exit_status": proc.returncode,
            "last_line": tail[0][:300],
            "loadavg_before": load0,
            "loadavg_after": os.getloadavg(),
            "cache": cache_contents(cache),
        }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", action="append", choices=list(COMMANDS), help="repeatable")
    ap.add_argument("--repeats", type=int, default=3, help="runs per figure (>= 1)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = ap.parse_args(argv)
    if args.repeats < 1:
        ap.error("--repeats must be >= 1")
    report: dict = {"machine": machine_info(), "repeats": args.repeats, "runs": {}}
    for name in args.only or list(COMMANDS):
        runs = [run_once(name) for _ in range(args.repeats)]
        report["runs"][name] = {
            "median_wall_s": statistics.median(r["wall_s"] for r in runs),
            "median_cpu_s": statistics.median(r["cpu_s"] for r in runs),
            "all": runs,
        }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    m = report["machine"]
    print(f"machine: {m['cpu']}, {m['logical_cpus']} CPUs, load at start {m['loadavg_at_start']}")
    for name, r in report["runs"].items():
        last = r["all"][-1]
        print(
            f"{name:6s} cold: median {r['median_wall_s']:7.1f} s wall, {r['median_cpu_s']:7.1f} s "
            f"CPU over {len(r['all'])} run(s); exit {last['exit_status']}; load "
            f"{last['loadavg_before'][0]:.1f} -> {last['loadavg_after'][0]:.1f}; "
            f"{last['cache']['kernel_modules']} kernel modules, "
            f"{last['cache']['compiled_functions']} compiled functions"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
