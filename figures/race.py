"""The race: iterations to eps against M for the paper's methods and the ones that followed.

Claims judged (upper bounds, run by run as in :mod:`figures.upper_bounds`): Theorems 3 and 6
and the clipped/normalized equivalence (Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 v2), and
every follow-up result of the registry (:data:`figures._followup.FOLLOWUPS`: Vankov et al.
2025 eta*, eta_si, eta_cl; Gorbunov et al. 2025 smoothed clipping; Koloskova et al. 2023
clip_c; Chen et al. 2023 1-normalized GD; Hübler et al. 2024 Armijo; Li et al. 2023 GD with
L = l(2M)). A count above its bound, a divergence or a run still going at ``floor(bound) + 1``
steps is a violation; a run stopped by the race's cap below its bound is censored.

Instances: the separation's ``phi(x1) + x2^2/8`` (:func:`figures.separation.instance`) with
starts at ``M ~ 10^k`` (:func:`figures.separation.start_for`), eps = 1e-3. For the time budget
(quick <= 15 s, full <= 60 s on 2 cores) the race takes the polynomial families and the
Theorem 4 gadget (exact or fast certificates; cosh and e^x need the slower interval method)
and every other point of the separation's M grid in the full run.

Methods, each twice: with its theorem's parameters at the certified pair of the grid L1
minimizing its bound (L1 chosen with the separation's fast L0 estimate), and **oracle-tuned**
on the instance: GD and clipped GD with :func:`synthetic.tuning.tune_gd` and
:func:`synthetic.tuning.tune_clipped_gd` (reduced grids); every other method by a scale of its
step (``lambda`` in 4^0..4^8 times the theory step: ``(L0, L1)/lambda`` for the Vankov steps,
``eta``, ``gamma``, ``t0`` or ``h`` times lambda), the best count winning (ties: largest
lambda). The tuned parameters depend on f and x0, so they are reference points, not members
of the theorems' classes. Every count is divided by the method's own bound (``ratio``).
"""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import numpy as np

from synthetic.line_search import run_armijo
from synthetic.sweep import sweep
from synthetic.tuning import tune_clipped_gd, tune_gd
from theory.smoothness import certify
from theory.theorems import NGD, THEOREM_3, THEOREM_6

from . import separation as sep
from ._followup import FOLLOWUPS, outcome
from .framework import Verdict, ratio_verdict
from .style import new_figure, save

NAME = "race"
TITLE = "The race: iterations to eps against M, the paper's methods and their successors"
THEOREMS = (THEOREM_3, THEOREM_6, NGD, *FOLLOWUPS)
KIND = "theorem"
PROVENANCE = "paper: recalled (Thm 3 reproduced, Thm 6 implied); follow-ups: see each bound"
VERSION = "1"
ORDER = 47

EPS = 1e-3
#: iteration cap of every run (full, quick); a count at the cap is a lower bound
CAP = {False: 1_000_000, True: 100_000}
LOG_M = {False: tuple(sep.LOG_M[False][::2]), True: sep.LOG_M[True]}
FAMILIES = {False: ("x^4", "x^6", "x^8", "gadget"), True: ("x^4", "x^8")}
#: step scales tried by the oracle of the follow-up methods
LAMBDAS = tuple(4.0**k for k in range(9))
TUNE_GD = {"n_grid": 24, "refine_levels": 1, "n_refine": 4, "n_candidates": 1}
TUNE_CLIPPED = {"n_eta": 8, "n_len": 8, "refine_levels": 1, "n_refine": 3, "n_candidates": 1}
#: the paper's methods: label -> (synthetic method, bound key of figures.separation.bounds)
PAPER = {
    "gd_thm6": ("gd", "thm6"),
    "clipped_thm3": ("clipped_gd", "thm3"),
    "ngd": ("normalized_gd", "ngd"),
}


def grid(quick: bool) -> list[dict]:
    """One configuration per family (its starts are run together)."""
    return [
        {"family": f, "log10_M": list(LOG_M[quick]), "eps": EPS, "cap": CAP[quick]}
        for f in FAMILIES[quick]
    ]


def _paper_params(label: str, b) -> dict[str, float]:
    p = b.params
    if label == "gd_thm6":
        return {"h": float(p["h"])}
    if label == "clipped_thm3":
        return {"eta": float(p["eta_c"]), "gamma": float(p["gamma"])}
    return {"eta": float(p["eta"]), "beta": float(p["beta"])}


def _scaled(method: str, params: dict[str, float], lam: float) -> dict[str, float]:
    """The parameters with the step multiplied by ``lam``."""
    out = dict(params)
    if method.startswith("vankov_"):
        out["L0"], out["L1"] = params["L0"] / lam, params["L1"] / lam
    else:
        key = {"smoothed_clip": "eta", "koloskova_clip": "eta", "beta_normalized_gd": "gamma",
               "armijo": "t0", "gd": "h", "normalized_gd": "eta"}[method]  # fmt: skip
        out[key] = params[key] * lam
    return out


def _run(obj, method, x0, eps, params, max_iter) -> tuple[str, int]:
    if method == "armijo":
        r = run_armijo(obj, x0, eps, max_iter=max_iter, **params)
        return r.status, r.iterations
    res = sweep(obj, method, np.asarray([x0]), eps, {k: [v] for k, v in params.items()},
                max_iter=max_iter)  # fmt: skip
    return str(res.status[0]), int(res.iterations[0])


def _tune_scale(obj, method, x0, eps, params, cap) -> tuple[str, int, float]:
    """Best (status, count, lambda) over :data:`LAMBDAS` (ties: the largest lambda)."""
    if method == "armijo":
        runs = [(*_run(obj, method, x0, eps, _scaled(method, params, lam), cap), lam)
                for lam in LAMBDAS]  # fmt: skip
    else:
        scaled = [_scaled(method, params, lam) for lam in LAMBDAS]
        arrays = {k: np.array([s[k] for s in scaled]) for k in params}
        x0s = np.repeat(np.asarray([x0]), len(LAMBDAS), axis=0)
        res = sweep(obj, method, x0s, eps, arrays, max_iter=cap)
        runs = [(str(res.status[i]), int(res.iterations[i]), lam) for i, lam in enumerate(LAMBDAS)]
    conv = [r for r in runs if r[0] == "converged"]
    if not conv:
        return "max_iter", cap, math.nan
    best = min(r[1] for r in conv)
    return "converged", best, max(r[2] for r in conv if r[1] == best)


def compute(config: dict, seed: int) -> list[dict]:
    """Certify every start of one family; run each method with theory and tuned parameters."""
    del seed  # deterministic
    fam, eps, cap = config["family"], float(config["eps"]), int(config["cap"])
    obj, phi = sep.instance(fam)
    rows: list[dict] = []
    for lm in config["log10_M"]:
        x0 = np.array([sep.start_for(phi, 10.0 ** float(lm)), sep.X2])
        cert = certify(obj, x0)
        est = sep.l0_estimate(obj, cert)
        base = {"family": fam, "objective": obj.name, "log10_M_target": float(lm),
                "M": float(cert.M), "Delta": float(cert.delta), "eps": eps,
                "x0": [float(v) for v in x0]}  # fmt: skip
        entries = []  # (label, method, bound object, params)
        pb = sep.bounds(cert, eps, est)
        for label, (method, key) in PAPER.items():
            entries.append((label, method, pb[key], _paper_params(label, pb[key])))
        d, m, rad = float(cert.delta), float(cert.M), float(cert.radius)
        for t in FOLLOWUPS:
            # the separation's positive L1 grid and its tie rule (figures.separation._pair)
            l1 = sep._pair(
                est, lambda a, b, t=t, m=m, d=d, r=rad: t._safe_value(a, b, m, d, eps, r)
            )  # noqa: E501
            b = t.bound_for(cert, eps, L1=l1)
            entries.append((t.key, t.method, b, dict(b.run_params)))
        for label, method, b, params in entries:
            value = float(b.value)
            ok = math.isfinite(value) and all(math.isfinite(v) and v > 0 for v in params.values())
            row = {**base, "label": label, "method": method, "bound": value,
                   "L0": float(b.L0), "L1": float(b.L1)}  # fmt: skip
            if not ok:
                rows.append({**row, "params": "theory", "outcome": "no_bound", "status": "",
                             "iterations": None, "ratio": None})  # fmt: skip
                continue
            limit = math.floor(value) + 1
            mi = int(min(limit, cap))
            st, it = _run(obj, method, x0, eps, params, mi)
            rows.append({**row, "params": "theory", "status": st, "iterations": it,
                         "max_iter": mi, "ratio": it / value,
                         "outcome": outcome(st, it, value, limit, mi)})  # fmt: skip
            tcap = it if st == "converged" else cap
            if method == "gd" and label == "gd_thm6":
                lo, hi = sep.gd_search_range(params["h"], it if st == "converged" else None, eps)
                tg = tune_gd(obj, x0, eps, h_range=(lo, hi), max_iter=cap, **TUNE_GD)
                tst, tit, lam = tg.status, tg.iterations, tg.h / params["h"]
            elif method == "clipped_gd":
                tc = tune_clipped_gd(obj, x0, eps, max_iter=cap, **TUNE_CLIPPED)
                tst, tit, lam = tc.status, tc.iterations, tc.eta / params["eta"]
            else:
                tst, tit, lam = _tune_scale(obj, method, x0, eps, params, tcap)
                if tst != "converged" and st == "converged":
                    tst, tit, lam = st, it, 1.0
            rows.append({**row, "params": "tuned", "status": tst, "iterations": tit,
                         "max_iter": cap, "ratio": tit / value, "scale": lam,
                         "outcome": "not_judged"})  # fmt: skip
    return rows


def verdict(rows: list[dict]) -> Verdict:
    """Holds iff no run with theory parameters exceeds its bound (censored: undecided)."""
    dec = [
        r for r in rows
        if r.get("params") == "theory" and r.get("outcome") in ("ok", "violation")
    ]  # fmt: skip
    cens = sum(r.get("outcome") == "censored" for r in rows)
    keys = ("family", "label", "method", "log10_M_target", "x0", "eps", "status",
            "iterations", "bound", "L0", "L1")  # fmt: skip
    return ratio_verdict(
        [r["ratio"] for r in dec],
        [r["outcome"] == "violation" for r in dec],
        criterion="violated iff a run with its theorem's parameters converges after more "
        "iterations than its bound, diverges, or is still running at floor(bound) + 1",
        counterexamples=[{k: r.get(k) for k in keys} for r in dec if r["outcome"] == "violation"],
        notes=[f"{cens} runs censored at the race's cap (undecided)"] if cens else [],
    )


def _labels(rows: list[dict]) -> list[str]:
    return list(dict.fromkeys(r["label"] for r in rows))


def plot(rows: list[dict], outdir: Path) -> list[Path]:
    """Iterations against M, one panel per family, one line per method (dashed: tuned)."""
    fams = list(dict.fromkeys(r["family"] for r in rows))
    fig, axes = new_figure(ncols=len(fams), width=4.4, height=4.0)
    cmap = __import__("matplotlib").colormaps["tab20"]
    labels = _labels(rows)
    for ax, fam in zip(axes[0], fams):
        for i, lab in enumerate(labels):
            for kind, ls in (("theory", "-"), ("tuned", "--")):
                pts = sorted(
                    (r["M"], r["iterations"], r["status"]) for r in rows
                    if r["family"] == fam and r["label"] == lab and r["params"] == kind
                    and r.get("iterations") is not None
                )  # fmt: skip
                if not pts:
                    continue
                ax.plot([p[0] for p in pts], [max(p[1], 0.5) for p in pts], ls=ls,
                        marker="o" if kind == "theory" else "x", ms=3, color=cmap(i % 20),
                        label=lab if kind == "theory" else None)  # fmt: skip
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("M (certified)")
        ax.set_ylabel("iterations to eps (dashed: oracle-tuned)")
        ax.set_title(sep.FAMILY_LABEL.get(fam, fam))
    axes[0][0].legend(fontsize=6, ncol=2, loc="upper left")
    return save(fig, outdir, "race")


def _cnt(r: dict) -> str:
    if r.get("iterations") is None:
        return "-"
    return f"{r['iterations']}" if r["status"] == "converged" else f">{r['iterations']}"


def report_section(rows: list[dict]) -> str:
    """Who wins where (theory and tuned parameters), by what factor, and bound tightness."""
    lines = [
        "Winner per family and M (smallest count; factor = runner-up / winner; '>' = censored "
        "at the cap):",
        "",
        "| family | log10 M | winner (theory) | count | factor | paper's best / winner "
        "| winner (tuned) | count | factor |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for fam in dict.fromkeys(r["family"] for r in rows):
        for lm in sorted({r["log10_M_target"] for r in rows if r["family"] == fam}):
            cells = [fam, f"{lm:g}"]
            for kind in ("theory", "tuned"):
                sel = [r for r in rows if r["family"] == fam and r["log10_M_target"] == lm
                       and r["params"] == kind and r.get("status") == "converged"]  # fmt: skip
                sel.sort(key=lambda r: r["iterations"])
                if not sel:
                    cells += ["-"] * (4 if kind == "theory" else 3)
                    continue
                w = sel[0]
                fac = sel[1]["iterations"] / max(w["iterations"], 1) if len(sel) > 1 else math.nan
                cells += [f"`{w['label']}`", _cnt(w), f"{fac:.3g}"]
                if kind == "theory":  # the best of Theorems 3, 6 and NGD against the winner
                    paper = [r["iterations"] for r in sel if r["label"] in PAPER]
                    ratio = min(paper) / max(w["iterations"], 1) if paper else math.nan
                    cells.append(f"{ratio:.3g}")
            lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "Counts against each method's own bound (ratio = count / bound; median and max over "
        "the instances; tuned counts are divided by the same bound):",
        "",
        "| method | runs | median count (theory) | median ratio (theory) | max ratio (theory) "
        "| median count (tuned) | median ratio (tuned) |",
        "|---|---|---|---|---|---|---|",
    ]
    for lab in _labels(rows):
        th = [r for r in rows if r["label"] == lab and r["params"] == "theory"
              and r.get("ratio") is not None]  # fmt: skip
        tu = [r for r in rows if r["label"] == lab and r["params"] == "tuned"
              and r.get("ratio") is not None]  # fmt: skip

        def med(xs):
            return f"{statistics.median(xs):.3g}" if xs else "-"

        lines.append(
            f"| `{lab}` | {len(th)} | {med([r['iterations'] for r in th])} | "
            f"{med([r['ratio'] for r in th])} | "
            f"{max((r['ratio'] for r in th), default=math.nan):.3g} | "
            f"{med([r['iterations'] for r in tu])} | {med([r['ratio'] for r in tu])} |"
        )
    return "\n".join(lines) + "\n"
