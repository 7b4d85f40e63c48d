"""Time and outcome of ``python -m theory EXPR --x0 X --json`` on a fixed battery.

Each function is certified ``--repeats`` times as a user would run it (a fresh
interpreter, start-up included, the default budget); the JSON keeps every timing, the
method (``exact``, ``rigorous``, ``numerical``) or the one-line refusal, whether the
budget ran out, and the machine load at start and end. The summary gives the median and
maximum time per function, the medians over the 1-D and the multivariate parts and how
many were certified ``exact`` or ``rigorous``; each run's CPU time (user + system of
the child) is kept next to the wall time, since on a loaded machine the wall time is
mostly waiting. Timings live here, never in the tests.
Usage::

    python benchmarks/certify.py [--json] [--repeats N] [--only 1d|nd] [--budget S]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: (expression, start): 1-D elementary functions of the (L0, L1) literature.
BATTERY_1D = [
    ("exp(2*x) - 3*x", "1"),
    ("exp(-x) + x", "-2"),
    ("exp(x) + exp(-x)", "1"),
    ("exp(x) + exp(-x)", "0"),
    ("2*cosh(x)", "0"),
    ("cosh(2*x) + x**4", "1"),
    ("log(cosh(x))", "0"),
    ("log(cosh(x))", "3"),
    ("log(1 + exp(-x))", "0"),
    ("x*tanh(x)", "2"),
    ("x*atan(x)", "1.5"),
    ("sqrt(1 + x**2)", "3"),
    ("x**2/(1 + x**2)", "3"),
    ("log(1 + x**2)", "1"),
    ("exp(-x)", "1"),
    ("exp(x)*x**2", "-1"),
    ("x**2 + sin(x)", "2"),
    ("sin(x)", "1"),
    ("sin(x) + cos(2*x)", "0.3"),
    ("exp(sin(x))", "1"),
    ("x**4/4 - x**2/2", "2"),
    ("x**8/8 + x**2/2", "4"),
]

#: (expression, start): 2-D and 3-D, non-radial and non-separable.
BATTERY_ND = [
    ("exp(x1 + 2*x2)", "0,0"),
    ("log(1 + exp(-x1 - x2)) + (x1**2 + x2**2)/10", "1,1"),
    ("(1 - x1)**2 + (x2 - x1**2)**2", "-1,1"),
    ("x1**4 + x1**2*x2**2 + x2**4", "1,1"),
    ("x1**2 + x1*x2 + x2**2 + x3**4", "1,1,1"),
    ("cosh(x1 - x2) + x1**2", "1,0"),
]


def _run(expr: str, x0: str, budget: float) -> dict:
    cmd = [sys.executable, "-m", "theory", expr, f"--x0={x0}", "--json", "--budget", str(budget)]
    env = dict(os.environ)
    env.setdefault("CLIPLAB_CACHE_DIR", "/tmp/cliplab-cache-bench-certify")
    t = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter() - t
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = {
        "seconds": wall,
        "cpu_seconds": cpu,
        "exit": proc.returncode,
        "traceback": "Traceback" in proc.stderr,
    }
    if proc.returncode == 0:
        data = json.loads(proc.stdout)
        out.update(method=data["method"], budget_exhausted=data.get("budget_exhausted"))
    else:
        out.update(method="refused", error=proc.stderr.strip())
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python benchmarks/certify.py", description=__doc__)
    p.add_argument("--json", action="store_true", help="print the full JSON report")
    p.add_argument("--repeats", type=int, default=3, help="runs per function (3)")
    p.add_argument("--only", choices=["1d", "nd"], help="only one part of the battery")
    p.add_argument("--budget", type=float, default=20.0, help="--budget of each run (20)")
    args = p.parse_args(argv)
    parts = {"1d": BATTERY_1D, "nd": BATTERY_ND}
    if args.only:
        parts = {args.only: parts[args.only]}
    report = {
        "machine": {
            "python": platform.python_version(),
            "cpu_count": os.cpu_count(),
            "loadavg_at_start": os.getloadavg(),
        },
        "repeats": args.repeats,
        "budget": args.budget,
        "rows": [],
    }
    for part, battery in parts.items():
        for expr, x0 in battery:
            runs = [_run(expr, x0, args.budget) for _ in range(args.repeats)]
            times = [r["seconds"] for r in runs]
            cpus = [r["cpu_seconds"] for r in runs]
            report["rows"].append(
                {
                    "part": part,
                    "expression": expr,
                    "x0": x0,
                    "method": runs[0]["method"],
                    "median_s": statistics.median(times),
                    "max_s": max(times),
                    "median_cpu_s": statistics.median(cpus),
                    "tracebacks": sum(r["traceback"] for r in runs),
                    "runs": runs,
                }
            )
            if not args.json:
                row = report["rows"][-1]
                print(
                    f"{part:3s} {expr:48s} x0={x0:8s} {row['method']:10s} "
                    f"median {row['median_s']:6.2f} s  max {row['max_s']:6.2f} s  "
                    f"cpu {row['median_cpu_s']:6.2f} s",
                    flush=True,
                )
    report["machine"]["loadavg_at_end"] = os.getloadavg()
    summary = {}
    for part in parts:
        rows = [r for r in report["rows"] if r["part"] == part]
        summary[part] = {
            "functions": len(rows),
            "certified": sum(r["method"] in ("exact", "rigorous") for r in rows),
            "median_s": statistics.median(r["median_s"] for r in rows),
            "max_s": max(r["max_s"] for r in rows),
            "median_cpu_s": statistics.median(r["median_cpu_s"] for r in rows),
            "tracebacks": sum(r["tracebacks"] for r in rows),
        }
    report["summary"] = summary
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for part, s in summary.items():
            print(
                f"{part}: {s['certified']}/{s['functions']} certified exact/rigorous, median "
                f"{s['median_s']:.2f} s (cpu {s['median_cpu_s']:.2f} s), max {s['max_s']:.2f} s, "
                f"tracebacks {s['tracebacks']}"
            )
        print(
            f"load average at start {report['machine']['loadavg_at_start']}, "
            f"at end {report['machine']['loadavg_at_end']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
