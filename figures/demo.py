"""Demonstration: GD (Theorem 6 step) against clipped GD (Theorem 3) on x^8/8 + x^2/2.

Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 (v2): under a poor initialization (large M)
fixed-step GD needs a step ``h = 1/(2(M L1 + L0))`` that shrinks with M (Theorem 6, and
Theorem 4 says every fixed step must), while clipped GD with ``eta_c = 1/(10 L0)``,
``gamma = min{10 L0, L0/L1}`` (Theorem 3) does not depend on M (Remark 5). Both are run
from starts further and further out; each count is compared with its theorem's bound
(the same rules as :mod:`figures.upper_bounds`).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from synthetic import catalogue as cat
from synthetic.run import run
from theory.smoothness import certify
from theory.theorems import THEOREM_3, THEOREM_6

from ._bounds import METHODS, bounds_for, run_with_bound
from .framework import ratio_verdict
from .style import METHOD_COLORS, new_figure, save

NAME = "demo"
TITLE = "GD against clipped GD on a polynomial started far out"
THEOREMS = (THEOREM_3, THEOREM_6)
CLAIM = "illustrates Remark 5 (GD slows with M, clipped GD does not)"
KIND = "theorem"
PROVENANCE = "Thm 3: recalled (reproduced); Thm 6: recalled (implied)"
VERSION = "1"
ORDER = 0

COEFFS = (0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.125)  # x^8/8 + x^2/2
EPS = 1e-2
CAP = 200_000_000
_METHODS = ("gd", "clipped_gd")


def grid(quick: bool) -> list[dict]:
    """Starts x0 (one configuration each), eps = 1e-2."""
    starts = (1.0, 3.0, 8.0) if quick else (1.0, 2.0, 4.0, 8.0, 16.0)
    return [{"x0": x0, "eps": EPS} for x0 in starts]


def compute(config: dict, seed: int) -> list[dict]:
    """Certify at x0 and run GD and clipped GD with their theorems' parameters."""
    obj = cat.polynomial(COEFFS)
    x0, eps = float(config["x0"]), float(config["eps"])
    cert = certify(obj, x0)
    rows = []
    for m in _METHODS:
        b = bounds_for(m, cert, eps)
        row = run_with_bound(obj, x0, eps, m, b, CAP)
        rows.append({"x0": x0, "eps": eps, "M": float(cert.M), "delta": float(cert.delta), **row})
    return rows


def verdict(rows: list[dict]):
    """Holds iff both methods converge within their bounds from every start."""
    dec = [r for r in rows if r["outcome"] in ("ok", "violation")]
    return ratio_verdict(
        [r["ratio"] for r in dec],
        [r["outcome"] == "violation" for r in dec],
        criterion="each run converges within its theorem's bound (as in upper_bounds)",
        counterexamples=[r for r in dec if r["outcome"] == "violation"],
        notes=[f"{sum(r['outcome'] == 'censored' for r in rows)} censored runs"],
    )


def plot(rows: list[dict], outdir: Path) -> list[Path]:
    """Left: T_eps and bounds against x0 (log-log). Right: ||grad f|| along the farthest run."""
    fig, axes = new_figure(ncols=2)
    ax = axes[0][0]
    for m in _METHODS:
        sel = sorted((r for r in rows if r["method"] == m), key=lambda r: r["x0"])
        x = [r["x0"] for r in sel]
        c = METHOD_COLORS[m]
        ax.plot(x, [r["iterations"] for r in sel], "o-", color=c, label=f"{m} measured")
        ax.plot(x, [r["bound"] for r in sel], "--", color=c, label=f"{m} bound")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("start x0")
    ax.set_ylabel("iterations to ||f'|| <= 1e-2")
    ax.set_title("f = x^8/8 + x^2/2")
    ax.legend()
    ax = axes[0][1]
    far = max(r["x0"] for r in rows)
    obj = cat.polynomial(COEFFS)
    for m in _METHODS:
        r = next(r for r in rows if r["method"] == m and r["x0"] == far)
        thm = METHODS[m]
        params = {
            k[len("param_") :]: r[k] for k in r if k.startswith("param_") and r[k] is not None
        }
        res = run(obj, m, far, r["eps"], max_iter=int(r["max_iter"]), trajectory=True,
                  **thm.run_params(params))  # fmt: skip
        tr = res.trajectory
        ax.plot(
            np.maximum(tr[:, 0], 1), tr[:, 2], color=METHOD_COLORS[m], label=f"{m} ({thm.number})"
        )
    ax.axhline(EPS, color="k", lw=0.8, ls=":", label="eps")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("iteration k (k = 0 drawn at 1)")
    ax.set_ylabel("||grad f(x_k)||")
    ax.set_title(f"trajectories from x0 = {far:g}")
    ax.legend()
    return save(fig, outdir, "demo")


def report_section(rows: list[dict]) -> str:
    """A table of counts, bounds and the GD/clipped-GD speed-up per start."""
    lines = ["| x0 | M | GD T_eps | GD bound | clipped T_eps | clipped bound | GD / clipped |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    for x0 in sorted({r["x0"] for r in rows}):
        g = next(r for r in rows if r["x0"] == x0 and r["method"] == "gd")
        c = next(r for r in rows if r["x0"] == x0 and r["method"] == "clipped_gd")
        sp = g["iterations"] / c["iterations"] if c["iterations"] else math.nan
        lines.append(
            f"| {x0:g} | {g['M']:.3g} | {g['iterations']} | {g['bound']:.3g} | "
            f"{c['iterations']} | {c['bound']:.3g} | {sp:.3g} |"
        )
    return "\n".join(lines) + "\n"
