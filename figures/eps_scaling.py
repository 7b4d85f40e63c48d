"""Iterations against eps for GD, clipped GD and normalized GD, against the eps^-2 rate.

Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 (v2): Theorems 3 and 6 (and normalized GD
through the equivalence) bound T_eps by ``A/eps^2 + B``: slope -2 in log-log for small
eps. Measured counts can only be smaller; on a function with a non-degenerate minimum
they grow like log(1/eps) (slope -> 0), on |x|^p/p like eps^(-(p-2)/(p-1)), on
functions without a minimizer (exp, logistic) like 1/eps. The check is the same as in
:mod:`figures.upper_bounds` (no run above its bound); the report gives the least-squares
slope of log T_eps against log eps on the smallest half of the eps values, per method
and instance, which must not be steeper than -2 (a theorem check up to a tolerance of
0.1, since the slope is fitted on finitely many points).

The parameters are fixed per instance and method (the theorem's parameters at the
certified pair minimizing the bound at the middle eps), so only eps changes along a
curve; each point's bound is the theorem's bound at that pair and eps.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from synthetic import catalogue as cat
from theory.smoothness import certify
from theory.theorems import NGD, THEOREM_3, THEOREM_6

from ._bounds import METHODS, choose_l1, run_with_bound
from .framework import fit_loglog, ratio_verdict
from .style import METHOD_COLORS, new_figure, save

NAME = "eps_scaling"
TITLE = "Iterations against eps for each method, against the eps^-2 slope"
THEOREMS = (THEOREM_3, THEOREM_6, NGD)
KIND = "theorem"
PROVENANCE = "Thm 3: recalled (reproduced); Thm 6: recalled (implied); NGD: lab"
VERSION = "1"
ORDER = 30

CAP = 100_000_000
SLOPE_TOL = 0.1
LOG_RAMP = "-0.02 log x (log_ramp), x0 = 1.5"
INSTANCES = {
    "x^8/8 + x^2/2, x0 = 3": (lambda: cat.polynomial([0, 0, 0.5, 0, 0, 0, 0, 0, 0.125]), 3.0),
    "|x|^4/4, x0 = 3": (lambda: cat.power(4.0, 1), 3.0),
    "|x|^8/8, x0 = 2": (lambda: cat.power(8.0, 1), 2.0),
    "exp(x), x0 = 2": (lambda: cat.exponential([1.0]), 2.0),
    "logistic(x), x0 = -3": (lambda: cat.logistic(1.0), -3.0),
    # a ramp for every eps (the tightness witnesses' shape): GD's T_eps ~ eps^-2
    LOG_RAMP: (lambda: cat.log_ramp(0.02, 1e4), 1.5),
}


def _eps_grid(quick: bool) -> list[float]:
    return [float(e) for e in (np.logspace(-1, -4, 4) if quick else np.logspace(-1, -5, 9))]


def grid(quick: bool) -> list[dict]:
    """One configuration per (instance, method); the eps values are listed in it."""
    names = list(INSTANCES)
    if quick:
        names = names[:4] + [LOG_RAMP]
    return [{"instance": n, "method": m, "eps": _eps_grid(quick)} for n in names for m in METHODS]


def compute(config: dict, seed: int) -> list[dict]:
    """Run one method on one instance over the eps values, parameters fixed."""
    make, x0 = INSTANCES[config["instance"]]
    obj = make()
    cert = certify(obj, x0)
    eps_list = [float(e) for e in config["eps"]]
    method = config["method"]
    thm = METHODS[method]
    l1 = choose_l1(method, cert, eps_list[len(eps_list) // 2])
    rows = []
    for eps in eps_list:
        b = thm.bound(cert, eps, L1=l1)
        row = run_with_bound(obj, x0, eps, method, b, CAP)
        rows.append({"instance": config["instance"], "eps": eps, **row})
    return rows


def slopes(rows: list[dict]) -> list[dict]:
    """Least-squares slope of log T against log eps (smallest half of eps, T > 0)."""
    out = []
    for inst in dict.fromkeys(r["instance"] for r in rows):
        for m in METHODS:
            sel = sorted(
                (r for r in rows if r["instance"] == inst and r["method"] == m
                 and r["outcome"] in ("ok", "violation") and r["iterations"]),
                key=lambda r: r["eps"],
            )  # fmt: skip
            sel = sel[: max(2, (len(sel) + 1) // 2)]
            if len(sel) < 2:
                continue
            slope = fit_loglog([r["eps"] for r in sel], [r["iterations"] for r in sel]).slope
            out.append({"instance": inst, "method": m, "slope": slope, "points": len(sel)})
    return out


def verdict(rows: list[dict]):
    """No run above its bound, and no fitted slope steeper than -2 - 0.1."""
    dec = [r for r in rows if r["outcome"] in ("ok", "violation")]
    sl = slopes(rows)
    steep = [s for s in sl if s["slope"] < -2 - SLOPE_TOL]
    notes = [f"{sum(r['outcome'] == 'censored' for r in rows)} censored runs"]
    notes.append(
        f"fitted slopes between {min(s['slope'] for s in sl):.3f} and "
        f"{max(s['slope'] for s in sl):.3f} (table below)"
        if sl
        else "no slopes"
    )
    return ratio_verdict(
        [r["ratio"] for r in dec] + [None] * len(steep),
        [r["outcome"] == "violation" for r in dec] + [True] * len(steep),
        criterion=(
            "every run converges within its bound (as in upper_bounds), and the fitted "
            f"log-log slope of T_eps against eps is not below -2 - {SLOPE_TOL}"
        ),
        counterexamples=[r for r in dec if r["outcome"] == "violation"] + steep,
        notes=notes,
    )


def plot(rows: list[dict], outdir: Path) -> list[Path]:
    """T_eps against eps per instance (one panel each), bounds dashed, eps^-2 reference."""
    insts = list(dict.fromkeys(r["instance"] for r in rows))
    fig, axes = new_figure(ncols=len(insts), width=3.0, height=3.0)
    for ax, inst in zip(axes[0], insts):
        for m in METHODS:
            sel = sorted((r for r in rows if r["instance"] == inst and r["method"] == m),
                         key=lambda r: r["eps"])  # fmt: skip
            e = [r["eps"] for r in sel]
            ax.plot(e, [max(r["iterations"] or 0, 0.5) for r in sel], "o-", ms=3,
                    color=METHOD_COLORS[m], label=m)  # fmt: skip
            ax.plot(e, [r["bound"] for r in sel], "--", color=METHOD_COLORS[m], lw=0.8)
        e = sorted({r["eps"] for r in rows if r["instance"] == inst})
        top = max(r["bound"] for r in rows if r["instance"] == inst)
        ax.plot(e, [top * (x / e[0]) ** -2 for x in e], ":", color="k",
                label="slope -2")  # fmt: skip
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("eps")
        ax.set_title(inst)
    axes[0][0].set_ylabel("T_eps (dashed: bound)")
    axes[0][0].legend()
    return save(fig, outdir, "eps_scaling")


def report_section(rows: list[dict]) -> str:
    """The fitted slopes."""
    lines = ["Fitted slope of log T_eps against log eps (smallest half of the eps values; "
             "the bounds have slope -2):", "", "| instance | method | slope | points |",
             "|---|---|---|---|"]  # fmt: skip
    for s in slopes(rows):
        inst = s["instance"].replace("|", "\\|")
        lines.append(f"| {inst} | {s['method']} | {s['slope']:.3f} | {s['points']} |")
    return "\n".join(lines) + "\n"
