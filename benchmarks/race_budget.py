"""CPU time of the race experiment (figures.race) against its budget.

Budget (issue 15): quick <= 15 s, full <= 60 s on 2 cores. The configurations (one per
family) are independent; with 2 cores the wall time is about the larger of the two cores'
sums of CPU times. This script warms every compiled kernel first (one full pass, not timed;
compile time is a one-time cost per machine), then times each configuration's
``compute`` in CPU seconds, ``--repeats`` times, and prints the medians, the greedy
2-core makespan of the medians and the machine load (``os.getloadavg``). Usage::

    python benchmarks/race_budget.py [--full] [--repeats N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from figures import race  # noqa: E402

BUDGET = {True: 15.0, False: 60.0}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--full", action="store_true", help="the full grid (default: quick)")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    quick = not args.full
    configs = race.grid(quick)
    for c in configs:  # warm-up: compile or load every kernel
        race.compute(c, 0)
    times: dict[str, list[float]] = {c["family"]: [] for c in configs}
    for _ in range(args.repeats):
        for c in configs:
            t = time.process_time()
            race.compute(c, 0)
            times[c["family"]].append(time.process_time() - t)
    med = {k: statistics.median(v) for k, v in times.items()}
    cores = [0.0, 0.0]
    for v in sorted(med.values(), reverse=True):
        cores[cores.index(min(cores))] += v
    out = {
        "grid": "quick" if quick else "full",
        "cpu_seconds_median": med,
        "runs": times,
        "makespan_2_cores": max(cores),
        "budget": BUDGET[quick],
        "load": os.getloadavg(),
    }
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in med.items():
            print(f"{k:8s} {v:7.2f} s CPU (median of {args.repeats})")
        print(f"2-core makespan {max(cores):.2f} s, budget {BUDGET[quick]:.0f} s, "
              f"load {out['load'][0]:.1f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
