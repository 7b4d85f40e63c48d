"""Wall time of ``run_all.py`` locally (``--jobs 1``, ``--jobs 2``) and on two dask workers.

Each mode runs the same command into a fresh output folder (nothing cached but numba's
compiled kernels in ``$CLIPLAB_CACHE_DIR``), ``--repeats`` times; the figure is the median
wall time. The dask mode starts a scheduler and ``--workers`` one-thread workers on
127.0.0.1 (:mod:`tests.dask_cluster`) once, so its first run meets fresh workers (they
import the lab and load the compiled kernels) and later runs reuse them; both are
reported. Every run's ``rows.csv`` files are compared byte for byte with those of the first
``--jobs 1`` run. Load averages (``uptime``) are recorded before and after. Usage::

    python benchmarks/cluster.py [--full] [--only demo,upper_bounds|all] [--repeats N] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.dask_cluster import LoopbackCluster  # noqa: E402


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _run(cmd: list[str], out: Path) -> float:
    t = time.perf_counter()
    p = subprocess.run([*cmd, "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr.strip()[-500:]}")
    return wall


def _csvs(out: Path) -> dict[str, bytes]:
    return {p.parent.name: p.read_bytes() for p in sorted(out.glob("*/rows.csv"))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="full grids (default: --quick)")
    ap.add_argument(
        "--only", default="demo,upper_bounds", help="experiments to run, or 'all' for every one"
    )
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    only = [] if args.only == "all" else ["--only", args.only]
    base = [sys.executable, "run_all.py", *([] if args.full else ["--quick"]), *only]
    result: dict = {"command": " ".join(base[1:]), "load_start": _uptime(), "modes": {}}
    with tempfile.TemporaryDirectory(prefix="cliplab-bench-") as tmp:
        tmp = Path(tmp)
        ref: dict[str, bytes] | None = None
        identical = True

        def measure(name: str, cmd: list[str]) -> None:
            nonlocal ref, identical
            walls = []
            for r in range(args.repeats):
                out = tmp / f"{name}-{r}"
                walls.append(_run(cmd, out))
                csvs = _csvs(out)
                if ref is None:
                    ref = csvs
                identical &= csvs == ref
            result["modes"][name] = {
                "args": " ".join(cmd[2:]),
                "walls": [round(w, 1) for w in walls],
                "median": round(statistics.median(walls), 1),
                "load_after": _uptime(),
            }

        measure("jobs1", [*base, "--jobs", "1"])
        measure("jobs2", [*base, "--jobs", "2"])
        with LoopbackCluster(tmp / "cluster", n_workers=args.workers) as c:
            measure(f"dask{args.workers}", [*base, "--scheduler", c.address])
        result["rows_csv_identical"] = identical
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"command: {result['command']} (repeats {args.repeats})")
        print(f"load at start: {result['load_start']}")
        print("| mode | wall times (s) | median (s) | load after |")
        print("|---|---|---|---|")
        for m in result["modes"].values():
            walls = ", ".join(f"{w:.1f}" for w in m["walls"])
            print(f"| `{m['args']}` | {walls} | {m['median']:.1f} | {m['load_after']} |")
        print(f"rows.csv identical across all runs: {identical}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
