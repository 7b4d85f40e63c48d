"""Throughput of the lab's kernels against plain Python, numpy, naive numba and C.

Workloads (fixed in the issues so that numbers compare across changes):

W1 (issue 2)  GD on f(x) = x^8 + 0.5 x^2 from x0 = 3.0 with h = 1e-6 for exactly
              5e7 iterations (eps = 0: the kernel ``iterate_1d`` is called directly,
              since ``run`` rejects eps <= 0). Lab kernel vs a plain-Python loop of
              the same arithmetic (fewer iterations) vs a C -O3 loop (benchmarks/c/w1.c).
W2 (issue 6)  GD on the same f from x0 = 1.5 with 4096 step sizes
              h_j = 1e-4 (1 + j/4095), eps = 1e-12, max_iter = 1e5; every trajectory
              runs all 1e5 iterations (checked). Sweep engine vs a naive numba prange
              loop (one ``iterate_1d`` per parallel index) vs numpy vectorized over the
              4096 trajectories (fewer iterations) vs C -O3 -march=native interleaved
              16 wide on all threads with OpenMP (benchmarks/c/w2.c).

Compile time is excluded (every compiled function is warmed up first); each figure is
the median of ``--repeats`` runs, all runs are kept in the JSON. The C references are
compiled at benchmark time into a temporary folder with ``cc`` (skipped, with a note,
when there is no C compiler). Usage::

    python benchmarks/kernels.py [--json] [--only W1|W2] [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numba  # noqa: E402
import numpy as np  # noqa: E402
from numba import njit, prange  # noqa: E402

from synthetic.objective import objective_from_expr  # noqa: E402
from synthetic.result import MAX_ITER, outcome_arrays  # noqa: E402
from synthetic.sweep import sweep  # noqa: E402
from synthetic.sweep_kernels import W as SWEEP_LANES  # noqa: E402

EXPR = "x**8 + 0.5*x**2"
W1_ITERS = 50_000_000
W1_PY_ITERS = 300_000
W2_N = 4096
W2_MAX_ITER = 100_000
W2_NUMPY_ITERS = 2_000
C_DIR = Path(__file__).resolve().parent / "c"
C_FLAGS = ["-O3", "-march=native", "-ffp-contract=off"]

TARGETS = {
    "w1_lab_over_python": 60.0,  # issue 2: at least 60x plain Python
    "w1_lab_over_c": 0.8,  # issue 2: within 25% of C (lab >= C/1.25)
    "w2_lab_over_naive": 5.0,  # issue 6: at least 5x the naive numba loop
    "w2_lab_over_c": 0.7,  # issue 6: at least 0.7x the interleaved C loop
}


def _timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _entry(times: list[float], work: float, note: str = "") -> dict:
    med = statistics.median(times)
    out = {"iterations": work, "median_s": med, "all_s": times, "it_per_s": work / med}
    if note:
        out["note"] = note
    return out


# --- machine -------------------------------------------------------------------------
def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _cc() -> str | None:
    for name in (os.environ.get("CC"), "cc", "gcc", "clang"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def machine_info() -> dict:
    cc = _cc()
    cc_version = ""
    if cc:
        try:
            cc_version = subprocess.run(
                [cc, "--version"], capture_output=True, text=True, check=False
            ).stdout.splitlines()[0]
        except (OSError, IndexError):
            cc_version = "unknown"
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {
        "cpu": _cpu_model(),
        "logical_cpus": os.cpu_count(),
        "numba_threads": numba.get_num_threads(),
        "numba_threading_layer": numba.config.THREADING_LAYER,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numba": numba.__version__,
        "llvmlite": __import__("llvmlite").__version__,
        "cc": cc or None,
        "cc_version": cc_version or None,
        "c_flags": C_FLAGS,
        "loadavg_at_start": load,
        "sweep_lanes": SWEEP_LANES,
    }


# --- C references -----------------------------------------------------------------
def _compile_c(source: Path, out: Path, extra: list[str]) -> str | None:
    """Compile ``source``; return None on success, else a one-line reason."""
    cc = _cc()
    if cc is None:
        return "no C compiler found (cc, gcc, clang): C reference skipped"
    cmd = [cc, *C_FLAGS, *extra, "-o", str(out), str(source), "-lm"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return f"C compile failed: {' '.join(cmd)}: {proc.stderr.strip().splitlines()[:1]}"
    return None


def _run_c(binary: Path, args: list[str], threads: int) -> list[list[str]]:
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OMP_PROC_BIND="false")
    proc = subprocess.run([str(binary), *args], capture_output=True, text=True, check=True, env=env)
    return [line.split() for line in proc.stdout.splitlines() if line.strip()]


# --- W1 -----------------------------------------------------------------------------
def _python_w1(n: int) -> tuple[int, float, bool]:
    """Plain-Python loop, the same arithmetic and checks as iterate_1d (no trajectory)."""
    h, eps, x = 1e-6, 0.0, 3.0
    x2 = x * x
    c0 = x2 * (x2 * x2)
    f, g = x2 * (c0 + 0.5), x * (8.0 * c0 + 1.0)
    gn, fprev, gmax, monotone, k, nxt = abs(g), f, 0.0, True, 0, 0
    isfinite = math.isfinite
    while True:
        if not (isfinite(gn) and isfinite(f)):
            break
        if gn > gmax:
            gmax = gn
        if k == nxt:
            nxt = max(k + 1, int(k * 1.05))
        if gn <= eps or k == n:
            break
        x = x - h * g
        x2 = x * x
        c0 = x2 * (x2 * x2)
        f, g = x2 * (c0 + 0.5), x * (8.0 * c0 + 1.0)
        gn = abs(g)
        if not (f <= fprev):
            monotone = False
        fprev = f
        k += 1
    return k, x, monotone


def _interpreted(dispatcher):
    """The Python function behind a generated kernel, with the module's njit globals Python."""
    func = dispatcher.py_func
    env = dict(func.__globals__)
    for name, value in list(env.items()):
        if hasattr(value, "py_func"):
            env[name] = value.py_func
    return types.FunctionType(func.__code__, env, func.__name__, func.__defaults__)


def bench_w1(repeats: int, tmp: Path) -> dict:
    obj = objective_from_expr(EXPR)
    iterate_1d = obj.family.compiled.kernels("gd").iterate_1d
    p, s, traj = obj.values, np.array([1e-6]), np.zeros((0, 3))
    res = outcome_arrays(1)
    iterate_1d(3.0, p, s, 0.0, 10, traj, res, 0)  # compile

    def lab():
        iterate_1d(3.0, p, s, 0.0, W1_ITERS, traj, res, 0)

    times = _timed(lab, repeats)
    status, k, x_lab = res.status[0], res.iterations[0], res.x[0]
    assert status == MAX_ITER and k == W1_ITERS, (status, k)  # exactly 5e7 iterations
    out = {"lab": _entry(times, W1_ITERS, "synthetic.kernels.iterate_1d, eps = 0")}

    py_k, py_x, _ = _python_w1(1000)
    small = outcome_arrays(1)
    iterate_1d(3.0, p, s, 0.0, 1000, traj, small, 0)
    assert py_k == 1000 and py_x == small.x[0], "python loop does not match the kernel"
    times = _timed(lambda: _python_w1(W1_PY_ITERS), max(3, min(repeats, 5)))
    out["python"] = _entry(times, W1_PY_ITERS, "plain CPython loop, same arithmetic")

    # the lab's own generated kernel source (kernel, fg, step rule) run by CPython
    kern_py = _interpreted(iterate_1d)
    check = outcome_arrays(1)
    kern_py(3.0, p, s, 0.0, 1000, traj, check, 0)
    assert check.x[0] == small.x[0]
    times = _timed(
        lambda: kern_py(3.0, p, s, 0.0, W1_PY_ITERS // 3, traj, check, 0), max(3, min(repeats, 5))
    )
    out["python_kernel_source"] = _entry(
        times, W1_PY_ITERS // 3, "the lab's kernel and generated fg source run by CPython"
    )

    binary = tmp / "w1"
    why = _compile_c(C_DIR / "w1.c", binary, [])
    if why:
        out["c"] = {"skipped": why}
    else:
        rows = _run_c(binary, [str(W1_ITERS), str(repeats)], 1)
        same = all(int(r[2]) == W1_ITERS and float.fromhex(r[3]) == x_lab for r in rows)
        out["c"] = _entry([float(r[0]) for r in rows], W1_ITERS, "benchmarks/c/w1.c")
        out["c"]["bitwise_equal_to_lab"] = same
    return out


# --- W2 -----------------------------------------------------------------------------
@njit(parallel=True, error_model="numpy")
def _naive_w2(iterate_1d, x0, p, S, eps, max_iter, out):
    for j in prange(S.shape[0]):
        traj = np.zeros((0, 3))
        iterate_1d(x0, p, S[j], eps, max_iter, traj, out, j)


def _numpy_w2(h: np.ndarray, iters: int, max_iter: int, eps: float) -> np.ndarray:
    """Vectorized over trajectories: the sweep's arithmetic and checks, one numpy op each."""
    x = np.full(h.shape, 1.5)
    x2 = x * x
    c0 = x2 * (x2 * x2)
    f, g = x2 * (c0 + 0.5), x * (8.0 * c0 + 1.0)
    gn = np.abs(g)
    gm = np.where(gn > 0.0, gn, 0.0)
    mono = np.ones(h.shape, dtype=bool)
    for k in range(1, iters + 1):
        x = x - h * g
        x2 = x * x
        c0 = x2 * (x2 * x2)
        fn, g = x2 * (c0 + 0.5), x * (8.0 * c0 + 1.0)
        gn = np.abs(g)
        ok = np.isfinite(gn) & np.isfinite(fn)
        mono &= fn <= f
        gm = np.where(ok & (gn > gm), gn, gm)
        f = fn
        if np.any(~ok | (gn <= eps) | (k == max_iter)):
            break
    return x


def bench_w2(repeats: int, tmp: Path) -> dict:
    obj = objective_from_expr(EXPR)
    h = 1e-4 * (1 + np.arange(W2_N) / (W2_N - 1))
    eps = 1e-12
    work = float(W2_N) * W2_MAX_ITER
    sweep(obj, "gd", 1.5, eps, h=h[:64], max_iter=10)  # compile
    results: list = []
    times = _timed(lambda: results.append(sweep(obj, "gd", 1.5, eps, h=h, max_iter=W2_MAX_ITER)),
                   repeats)  # fmt: skip
    res = results[-1]
    full = int(np.sum((res.status == "max_iter") & (res.iterations == W2_MAX_ITER)))
    assert full == W2_N, f"only {full} of {W2_N} trajectories ran all {W2_MAX_ITER} iterations"
    out = {"lab": _entry(times, work, f"synthetic.sweep.sweep, {SWEEP_LANES} lanes per block")}
    out["lab"]["trajectories_with_all_iterations"] = full

    it1 = obj.family.compiled.kernels("gd").iterate_1d
    S = h.reshape(-1, 1).copy()
    naive = outcome_arrays(W2_N)
    _naive_w2(it1, 1.5, obj.values, S[:4], eps, 10, naive)  # compile
    times = _timed(
        lambda: _naive_w2(it1, 1.5, obj.values, S, eps, W2_MAX_ITER, naive),
        max(3, min(repeats, 5)),
    )
    assert np.array_equal(naive.x, res.x_final) and np.all(naive.iterations == W2_MAX_ITER)
    out["naive"] = _entry(times, work, "numba prange, one iterate_1d per index")

    x_np = _numpy_w2(h, 100, W2_MAX_ITER, eps)
    ref = sweep(obj, "gd", 1.5, eps, h=h, max_iter=100)
    same_np = bool(np.array_equal(x_np, ref.x_final))
    times = _timed(lambda: _numpy_w2(h, W2_NUMPY_ITERS, W2_MAX_ITER, eps), max(3, min(repeats, 5)))
    out["numpy"] = _entry(times, float(W2_N) * W2_NUMPY_ITERS, "numpy over 4096 trajectories")
    out["numpy"]["bitwise_equal_to_lab"] = same_np

    binary = tmp / "w2"
    threads = numba.get_num_threads()
    why = _compile_c(C_DIR / "w2.c", binary, ["-fopenmp"])
    note = f"benchmarks/c/w2.c, 16 lanes, OpenMP, {threads} threads"
    if why:
        why2 = _compile_c(C_DIR / "w2.c", binary, [])
        note = "benchmarks/c/w2.c, 16 lanes, no OpenMP available: ONE thread"
        if why2:
            out["c"] = {"skipped": why}
            return out
    rows = _run_c(binary, [str(W2_N), str(W2_MAX_ITER), str(repeats)], threads)
    same = all(
        int(r[1]) == W2_N
        and float.fromhex(r[2]) == res.x_final[0]
        and float.fromhex(r[3]) == res.x_final[-1]
        for r in rows
    )
    out["c"] = _entry([float(r[0]) for r in rows], work, note)
    out["c"]["bitwise_equal_to_lab"] = same
    return out


# --- report -------------------------------------------------------------------------
def _ratio(a: dict, b: dict) -> float | None:
    if "it_per_s" in a and "it_per_s" in b:
        return a["it_per_s"] / b["it_per_s"]
    return None


def summarize(report: dict) -> dict:
    flat: dict = {}
    for w in ("w1", "w2"):
        if w not in report:
            continue
        for name, entry in report[w].items():
            flat[f"{w}_{name}_it_per_s"] = entry.get("it_per_s")
    ratios = {}
    if "w1" in report:
        ratios["w1_lab_over_python"] = _ratio(report["w1"]["lab"], report["w1"]["python"])
        ratios["w1_lab_over_python_kernel_source"] = _ratio(
            report["w1"]["lab"], report["w1"]["python_kernel_source"]
        )
        ratios["w1_lab_over_c"] = _ratio(report["w1"]["lab"], report["w1"]["c"])
        ratios["w1_c_over_python"] = _ratio(report["w1"]["c"], report["w1"]["python"])
    if "w2" in report:
        ratios["w2_lab_over_naive"] = _ratio(report["w2"]["lab"], report["w2"]["naive"])
        ratios["w2_lab_over_numpy"] = _ratio(report["w2"]["lab"], report["w2"]["numpy"])
        ratios["w2_lab_over_c"] = _ratio(report["w2"]["lab"], report["w2"]["c"])
        ratios["w2_c_over_naive"] = _ratio(report["w2"]["c"], report["w2"]["naive"])
    targets = {
        k: {"target": TARGETS[k], "value": v, "met": v >= TARGETS[k]}
        for k, v in ratios.items()
        if k in TARGETS and v is not None
    }
    return {**flat, "ratios": ratios, "targets": targets}


def _text(report: dict) -> str:
    lines = [f"machine: {report['machine']['cpu']}, {report['machine']['logical_cpus']} CPUs, "
             f"numba {report['machine']['numba']} ({report['machine']['numba_threads']} threads), "
             f"load {report['machine']['loadavg_at_start']}"]  # fmt: skip
    for w in ("w1", "w2"):
        if w not in report:
            continue
        lines.append(f"{w.upper()}:")
        for name, e in report[w].items():
            if "skipped" in e:
                lines.append(f"  {name:20s} skipped: {e['skipped']}")
                continue
            eq = e.get("bitwise_equal_to_lab")
            extra = "" if eq is None else f"  (bitwise equal to lab: {eq})"
            lines.append(
                f"  {name:20s} {e['it_per_s'] / 1e6:10.1f} M it/s  median {e['median_s']:.4f} s "
                f"of {len(e['all_s'])} over {e['iterations']:.3g} it{extra}"
            )
    s = report["summary"]
    for k, v in s["ratios"].items():
        t = s["targets"].get(k)
        mark = (
            "" if t is None else f"   target >= {t['target']}: {'met' if t['met'] else 'NOT met'}"
        )
        lines.append(f"{k:34s} {v:8.2f}{mark}" if v is not None else f"{k:34s}      n/a")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print JSON instead of text")
    ap.add_argument("--only", choices=["W1", "W2"], help="run one workload")
    ap.add_argument("--repeats", type=int, default=5, help="timed runs per figure (>= 1)")
    args = ap.parse_args(argv)
    if args.repeats < 1:
        ap.error("--repeats must be >= 1")
    report: dict = {"machine": machine_info()}
    with tempfile.TemporaryDirectory(prefix="cliplab_bench_") as tmp:
        if args.only in (None, "W1"):
            report["w1"] = bench_w1(args.repeats, Path(tmp))
        if args.only in (None, "W2"):
            report["w2"] = bench_w2(args.repeats, Path(tmp))
    try:
        report["machine"]["loadavg_at_end"] = os.getloadavg()
    except OSError:
        pass
    report["summary"] = summarize(report)
    print(json.dumps(report, indent=2) if args.json else _text(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
