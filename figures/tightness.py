"""How tight is each upper bound? Certified worst cases found by search.

Claim checked (Zhang, He, Sra, Jadbabaie, arXiv 1905.11881, v2 numbering): every upper
bound of the registry with a deterministic method (Theorem 3 for clipped GD, Theorem 6
for GD, the lab's normalized-GD bound, and every later one) holds on the worst
instances the lab can find. :mod:`theory.worst_case` maximises ``T_eps/B`` over a
family that is in the class by construction (a bowl joined C^2 to a long ramp with
periodic dips, :func:`synthetic.catalogue.dipped_ramp`), eps and the start; the best
candidate is certified with :func:`theory.smoothness.certify`, its bound recomputed at
the certified pair minimizing it, and rerun with that bound's method and parameters.

Verdict: a witness whose count exceeds its bound is a violation (the run fails and the
witness is printed). If the bound's constant is *recalled* and the lab's derivation did
not reproduce or imply it, a witness above it is a finding (the recalled form is
refuted), not a violation. The ratio is the power of the suites: on this evidence the
constant cannot be lowered by more than a factor ``1/ratio``.

Output contract: ``<out>/tightness/witnesses.json``, a list with one object per witness
and the keys ``theorem, method, expr, x0, eps, L0, L1, params, iterations, bound, ratio``
(written with the figures).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from synthetic import catalogue
from synthetic.steprules import rule
from theory.theorems import BY_KEY
from theory.worst_case import (
    OPTIMIZERS,
    SEED_POINT,
    certify_witness,
    search,
    upper_bounds,
)

from .framework import atomic_write_text, ratio_verdict
from .style import color, new_figure, save

NAME = "tightness"
TITLE = "Worst cases found by search: the best count/bound ratio per upper bound"
#: every searchable upper bound of the registry (Theorems 3, 6 and normalized GD today)
THEOREMS = tuple(upper_bounds())
KIND = "theorem"
PROVENANCE = "Thm 3: recalled (reproduced); Thm 6: recalled (implied, lab 8/3); NGD: lab"
VERSION = "1"
ORDER = 25

#: Uninformed start of the search (the centre of the box), next to the construction's seed.
CENTRE = (0.5,) * len(SEED_POINT)
#: "seed": the better of the construction's seeds for the bound (theory.worst_case.seed_point)
STARTS = {"seed": None, "centre": CENTRE}
#: quick -> (optimizers, starts, budget per search, ramp periods, iteration cap)
SETTINGS = {
    # quick: Nelder-Mead from the seed (the best from the seed in the full comparison; the
    # cma package's import alone takes seconds)
    True: (("nelder-mead",), ("seed",), 40, (30, 1000), 1_000_000),
    False: (tuple(OPTIMIZERS), ("seed", "centre"), 150, (30, 3000), 10_000_000),
}
_GRANTED = ("reproduced", "implied")


def grid(quick: bool) -> list[dict]:
    """One configuration per searchable upper bound of the registry."""
    opts, starts, budget, periods, cap = SETTINGS[quick]
    return [
        {
            "theorem": t.key,
            "optimizers": list(opts),
            "starts": list(starts),
            "budget": budget,
            "periods": list(periods),
            "cap": cap,
        }
        for t in upper_bounds()
    ]


def compute(config: dict, seed: int) -> list[dict]:
    """Search with each optimiser and start, then certify and rerun the best candidate."""
    thm = BY_KEY[config["theorem"]]
    periods = tuple(int(p) for p in config["periods"])
    rows: list[dict] = []
    best = None
    violations = []
    for opt in config["optimizers"]:
        for start in config["starts"]:
            res = search(
                thm,
                opt,
                budget=int(config["budget"]),
                seed=seed,
                periods=periods,
                cap=int(config["cap"]),
                x0=STARTS[start],
            )
            for n, r in res.history:
                rows.append({
                    "kind": "progress", "theorem": thm.number, "optimizer": opt,
                    "start": start, "evaluations": n, "best_ratio": r,
                })  # fmt: skip
            if res.violations:
                violations.append(f"{opt}/{start}: {res.violations} candidates above their bound")
            if res.best and (best is None or res.best.ratio > best[0].ratio):
                best = (res.best, res.best_z, opt, start)
    if best is None:
        return rows
    ev, z, opt, start = best
    w = certify_witness(thm, z, ev.eps, periods, cap=int(config["cap"]))
    rows.append({
        "kind": "witness", "theorem": w.theorem, "key": thm.key, "method": w.method,
        "expr": w.expr, "x0": w.x0, "eps": w.eps, "L0": w.L0, "L1": w.L1,
        "params": json.dumps(w.params, sort_keys=True), "iterations": w.iterations,
        "status": w.status, "bound": w.bound, "ratio": w.ratio, "provenance": w.provenance,
        "constant_reproduced": w.constant_reproduced,
        "family_params": json.dumps(list(w.family_params)), "z": json.dumps(list(z)),
        "certificate": w.certificate_method, "delta": w.delta, "M": w.M,
        "search_ratio": ev.ratio, "optimizer": opt, "start": start,
        "extras": json.dumps(w.extras, sort_keys=True),
        "search_violations": "; ".join(violations),
    })  # fmt: skip
    return rows


def _witnesses(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["kind"] == "witness"]


def judge(row: dict) -> str:
    """``ok``, ``violation`` or ``finding`` (above a recalled constant the lab did not derive)."""
    over = row["status"] != "converged" or float(row["iterations"]) > float(row["bound"])
    if not over and not row.get("search_violations"):
        return "ok"
    if row["provenance"] == "recalled" and row["constant_reproduced"] not in _GRANTED:
        return "finding"
    return "violation"


def verdict(rows: list[dict]):
    """No certified witness above its bound (the lab's own or one it derived)."""
    ws = _witnesses(rows)
    outcomes = [judge(w) for w in ws]
    notes = [
        f"{w['theorem']}: best ratio {float(w['ratio']):.4f} ({w['iterations']} iterations, "
        f"bound {float(w['bound']):.6g})"
        for w in ws
    ]
    notes += [
        f"{w['theorem']}: recalled form refuted by the witness (finding)"
        for w, o in zip(ws, outcomes)
        if o == "finding"
    ]
    bad = [
        {k: w[k] for k in ("theorem", "method", "expr", "x0", "eps", "L0", "L1", "params",
                           "iterations", "bound", "ratio", "search_violations")}
        for w, o in zip(ws, outcomes) if o == "violation"
    ]  # fmt: skip
    return ratio_verdict(
        [float(w["ratio"]) if w["status"] == "converged" else None for w in ws],
        [o == "violation" for o in outcomes],
        criterion=(
            "the certified witness of every upper bound converges within its bound; above a "
            "recalled constant the lab did not derive it is a finding, not a violation"
        ),
        counterexamples=bad,
        notes=notes,
    )


def iterates(row: dict, limit: int = 100_000) -> np.ndarray:
    """The witness's iterates x_0..x_T (the theorem's step rule, compiled gradient)."""
    obj = catalogue.dipped_ramp(*json.loads(row["family_params"]))
    params = json.loads(row["params"])
    step = rule(row["method"])
    s = np.array([params[p] for p in step.params])
    xs = [float(row["x0"])]
    x = xs[0]
    for _ in range(min(int(row["iterations"]), limit)):
        g = float(obj.grad(x)[0])
        x -= float(step.func(abs(g), s)) * g
        xs.append(x)
    return np.array(xs)


def write_witnesses(rows: list[dict], outdir: Path) -> Path:
    """``outdir/witnesses.json`` in the output contract's form."""
    out = []
    for w in _witnesses(rows):
        out.append({
            "theorem": w["theorem"], "method": w["method"], "expr": w["expr"],
            "x0": [float(w["x0"])], "eps": float(w["eps"]), "L0": float(w["L0"]),
            "L1": float(w["L1"]), "params": json.loads(w["params"]),
            "iterations": int(w["iterations"]), "bound": float(w["bound"]),
            "ratio": float(w["ratio"]),
        })  # fmt: skip
    path = Path(outdir) / "witnesses.json"
    atomic_write_text(path, json.dumps(out, indent=2))
    return path


def plot(rows: list[dict], outdir: Path) -> list[Path]:
    """Search progress per theorem; each witness (f, f' and the iterates); witnesses.json."""
    write_witnesses(rows, outdir)
    thms = list(dict.fromkeys(r["theorem"] for r in rows))
    fig, axes = new_figure(ncols=len(thms), width=3.2, height=2.8)
    for ax, t in zip(axes[0], thms):
        prog = [r for r in rows if r["kind"] == "progress" and r["theorem"] == t]
        runs = list(dict.fromkeys((r["optimizer"], r["start"]) for r in prog))
        for i, (o, s) in enumerate(runs):
            sel = [r for r in prog if (r["optimizer"], r["start"]) == (o, s)]
            ls = "-" if s == "seed" else "--"
            ax.plot([r["evaluations"] for r in sel], [r["best_ratio"] for r in sel],
                    color=color(i), ls=ls, label=f"{o} ({s})")  # fmt: skip
        ax.set_xscale("log")
        ax.set_xlabel("candidate evaluations")
        ax.set_title(t[:40])
    axes[0][0].set_ylabel("best T_eps / bound (design certificate)")
    axes[0][0].legend()
    figs = save(fig, outdir, "tightness_progress")

    ws = _witnesses(rows)
    if ws:
        fig, axes = new_figure(ncols=len(ws), nrows=2, width=3.2, height=2.6)
        for j, w in enumerate(ws):
            obj = catalogue.dipped_ramp(*json.loads(w["family_params"]))
            xs = iterates(w)
            x0 = float(w["x0"])
            grid_x = np.linspace(-0.2 * x0, 1.05 * x0, 2000)
            ax = axes[0][j]
            ax.plot(grid_x, [obj.f(v) for v in grid_x], color="k", lw=1)
            sub = xs[:: max(1, len(xs) // 60)]
            ax.plot(sub, [obj.f(v) for v in sub], "o", ms=2.5, color=color(1), label="iterates")
            ax.set_title(f"{w['theorem'][:30]}: ratio {float(w['ratio']):.4f}")
            ax.set_xlabel("x")
            ax.set_ylabel("f")
            ax.legend()
            # f' on the last few periods before x0, with the iterates there
            ax = axes[1][j]
            near = xs[:4]
            lo, hi = float(near.min()), x0
            zoom = np.linspace(lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo), 800)
            ax.plot(zoom, [obj.grad(v)[0] for v in zoom], color="k", lw=1, label="f'")
            ax.plot(near, [obj.grad(v)[0] for v in near], "o", ms=4, color=color(1),
                    label="iterates")  # fmt: skip
            ax.axhline(float(w["eps"]), color=color(0), ls="--", lw=0.8, label="eps")
            ax.set_xlabel("x (first steps)")
            ax.set_ylabel("f'")
            ax.legend()
        figs += save(fig, outdir, "tightness_witnesses")
    return figs


def _meaning(w: dict) -> str:
    r = float(w["ratio"])
    if not math.isfinite(r) or r <= 0:
        return "no converged witness"
    return f"the constant cannot be lowered by more than a factor {1 / r:.3f}"


def report_section(rows: list[dict]) -> str:
    """The table theorem / best ratio / meaning / witness, and what it says about each constant."""
    lines = [
        "Worst cases found by search (theory.worst_case; family synthetic.catalogue."
        "dipped_ramp, certified with theory.smoothness.certify, bound at the certified pair "
        "minimizing it, rerun with the bound's own step parameters). Full witnesses "
        "(expression, start, parameters) in `tightness/witnesses.json`.",
        "",
        "| theorem | best ratio | on this evidence | witness (family L, a, w, omega, A, kappa; x0; "
        "eps; L0, L1; count / bound) | provenance |",
        "|---|---|---|---|---|",
    ]
    for w in _witnesses(rows):
        fp = ", ".join(f"{v:.6g}" for v in json.loads(w["family_params"]))
        lines.append(
            f"| {w['theorem']} | {float(w['ratio']):.4f} | {_meaning(w)} | dipped_ramp({fp}); "
            f"x0 = {float(w['x0']):.6g}; eps = {float(w['eps']):.6g}; "
            f"({float(w['L0']):.4g}, {float(w['L1']):.4g}); "
            f"{w['iterations']} / {float(w['bound']):.6g} | {w['provenance']} "
            f"({w['constant_reproduced']}) |"
        )
    lines += ["", "What the witnesses say about each constant:", ""]
    for w in _witnesses(rows):
        r = float(w["ratio"])
        extras = json.loads(w["extras"])
        sharper = ", ".join(
            f"{k}: ratio {int(w['iterations']) / v:.4f}" for k, v in extras.items() if v > 0
        )
        lines.append(
            f"- {w['theorem']}: {judge(w)}; measured {w['iterations']} = {r:.4f} x bound."
            + (f" Against the lab's sharper form ({sharper})." if sharper else "")
        )
    lines += [
        "",
        "Ceilings of this mechanism (a ramp whose dips have the step's period; "
        "docs/paper.md, performance estimation in the L-smooth limit): about 0.513 of "
        "Theorem 3's eps^-2 term and 0.571 of Theorem 6's bound. Normalized GD: on a plain "
        "ramp with ||g|| << beta its step is eta_c and the ratio is about 1/4 (its constant "
        "40 = 2 x 20 pays the equivalence h_n >= h_c/2); an exponential wall in S makes "
        "L1 = kappa the certified choice, beta = L0/kappa, and a ramp at ||g|| = t beta "
        "gives (1 + t)/(4 (1 + t^2)), 0.302 at t = sqrt(2) - 1: the L1 term of the class "
        "is what lets a witness pass 1/4. Where a witness stays below 1/2 of a bound, the "
        "evidence leaves room to lower that constant by up to 1/ratio; the lab's sharper "
        "derived constants (Theorem 3: 200/11 on the eps^-2 term; Theorem 6: 8/3) lower "
        "the recalled ones by proof, and no witness reaches them.",
    ]
    opt = [r for r in rows if r["kind"] == "progress"]
    if opt:
        lines += ["", "Optimisers (same budget of candidate evaluations; ratios with the design "
                  "certificate, the witness above is certified):", "",
                  "| theorem | optimizer | start | evaluations | best ratio |",
                  "|---|---|---|---|---|"]  # fmt: skip
        for key in dict.fromkeys((r["theorem"], r["optimizer"], r["start"]) for r in opt):
            sel = [r for r in opt if (r["theorem"], r["optimizer"], r["start"]) == key]
            last = sel[-1]
            lines.append(
                f"| {key[0]} | {key[1]} | {key[2]} | {last['evaluations']} | "
                f"{float(last['best_ratio']):.5f} |"
            )
    return "\n".join(lines) + "\n"
