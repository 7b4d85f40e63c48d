"""Speed of the worst-case search (theory.worst_case) and of the ``tightness`` claim.

Workloads (fixed, so that numbers compare across changes):

T1  candidate evaluations without certification: for each of Theorem 3, Theorem 6 and
    normalized GD, 24 fixed points z (``numpy.random.default_rng(0)``, uniform in the
    search box) decoded with periods (30, 1000) and evaluated (one sweep over the eps
    batch, design certificate): candidates per second.
T2  the same with certification: 3 points per theorem through ``certify_witness``
    (``theory.smoothness.certify``, the bound at the certified pair, the rerun).
T3  ``python run_all.py --only tightness --quick`` into a fresh folder (wall seconds),
    and with ``--full`` also the full run (targets: 60 s and 180 s on 2 cores).

Compile time is excluded from T1 and T2 (one warm-up evaluation per theorem); T3 runs
with the kernel cache as it is. Each figure is the median of ``--repeats`` runs; the
JSON keeps every timing and the machine load. Usage::

    python benchmarks/tightness.py [--json] [--repeats N] [--full]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402
from kernels import _timed, machine_info  # noqa: E402

from theory.worst_case import DIM, certify_witness, decode, evaluate, upper_bounds  # noqa: E402

PERIODS = (30, 1000)
TARGETS = {"t3_quick_s": 60.0, "t3_full_s": 180.0}


def _points(n: int) -> np.ndarray:
    return np.random.default_rng(0).uniform(0.0, 1.0, (n, DIM))


def t1(repeats: int) -> dict:
    out = {}
    zs = _points(24)
    for thm in upper_bounds():
        evaluate(thm, decode(thm, zs[0], PERIODS))  # compile / warm up

        def work(thm=thm):
            for z in zs:
                evaluate(thm, decode(thm, z, PERIODS))

        times = _timed(work, repeats)
        out[thm.key] = {"median_s": statistics.median(times), "all_s": times,
                        "candidates_per_s": len(zs) / statistics.median(times)}  # fmt: skip
    return out


def t2(repeats: int) -> dict:
    out = {}
    zs = _points(3)
    for thm in upper_bounds():

        def work(thm=thm):
            for z in zs:
                ev = evaluate(thm, decode(thm, z, PERIODS))
                certify_witness(thm, z, ev.eps, PERIODS)

        times = _timed(work, repeats)
        out[thm.key] = {"median_s": statistics.median(times), "all_s": times,
                        "candidates_per_s": len(zs) / statistics.median(times)}  # fmt: skip
    return out


def t3(repeats: int, full: bool) -> dict:
    out = {}
    for quick in (True, False) if full else (True,):
        times = []
        for _ in range(repeats if quick else 1):
            with tempfile.TemporaryDirectory() as tmp:
                cmd = [sys.executable, "run_all.py", "--only", "tightness", "--out", tmp]
                t0 = time.perf_counter()
                subprocess.run(cmd + (["--quick"] if quick else []), cwd=ROOT, check=True,
                               capture_output=True)  # fmt: skip
                times.append(time.perf_counter() - t0)
        key = "t3_quick_s" if quick else "t3_full_s"
        out[key] = {"median_s": statistics.median(times), "all_s": times,
                    "target_s": TARGETS[key]}  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print JSON only")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs per figure (>= 1)")
    ap.add_argument("--full", action="store_true", help="also time the full tightness run")
    args = ap.parse_args(argv)
    if args.repeats < 1:
        ap.error("--repeats must be >= 1")
    start = machine_info()
    res = {"t1": t1(args.repeats), "t2": t2(args.repeats), "t3": t3(args.repeats, args.full)}
    res["machine_start"] = start
    res["load_end"] = os.getloadavg()
    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    for name in ("t1", "t2"):
        for key, v in res[name].items():
            print(f"{name} {key}: {v['candidates_per_s']:.3g} candidates/s")
    for key, v in res["t3"].items():
        print(f"{key}: {v['median_s']:.1f} s (target {v['target_s']:.0f} s)")
    print(f"load average: start {start.get('loadavg_at_start')}, end {res['load_end']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
