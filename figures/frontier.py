"""Lemma 2 (v2): (L0, L1)-smoothness is strictly weaker than L-smoothness.

Zhang, He, Sra, Jadbabaie, arXiv 1905.11881, v2 numbering, Lemma 2 (printed): every
univariate polynomial of degree >= 3 is (L0, L1)-smooth for some constants but not
L-smooth; e^x is (0, 1)-smooth.

Two parts, both from :func:`theory.smoothness.certify` (constants on S = S0 enlarged by
radius 1, as in Assumption 3):

``frontier``
    The certified frontier L0*(L1) = sup_S (||∇²f|| - L1 ||∇f||)^+ over a log grid of L1,
    for |x|^n/n, n = 3..12 (a polynomial for even n; for odd n a polynomial on each
    half-line), and exponential-type functions. For |x|^p/p the known global value
    ((p - 2)/L1)^(p - 2) (docs/paper.md oracle) is an upper bound of the certified value on S
    (ratio certified / oracle <= 1, with equality once the maximizer (p - 2)/L1 lies in S).
``moving``
    As the start moves out, the classic constant L = sup_S ||∇²f|| = L0*(0) against
    L0*(L1) at a fixed L1 = 1. **Criterion** (per function): L at the farthest start is at
    least 100 times L at the nearest start, *and* L0*(1) stays bounded: its maximum over
    the starts is at most ``ref * (1 + 1e-6)``, where ``ref`` is the known global value
    when there is one (|x|^p/p: (p - 2)^(p - 2); cosh x: 1) and otherwise L0*(1) at the
    farthest start, which must then agree with the value at the second-farthest start to
    1e-6 (saturation). Ratio = max L0*(1) / ref.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from synthetic import catalogue as cat
from theory.smoothness import DEFAULT_L1_GRID, certify
from theory.theorems import LEMMA_2

from .framework import ratio_verdict
from .style import color, new_figure, save

NAME = "frontier"
TITLE = "L0*(L1) frontiers; the classic L grows without bound, the (L0, L1) pair does not"
THEOREMS = (LEMMA_2,)
KIND = "theorem"
PROVENANCE = "printed (statement); oracle values: docs/paper.md facts"
VERSION = "1"
ORDER = 10

L1_FIXED = 1.0
TOL = 1e-6
GROWTH = 100.0


def _function(name: str):
    """(objective, x0 for the frontier part, known global L0*(1) or None)."""
    if name.startswith("power"):
        p = int(name[5:])
        return cat.power(float(p), 1), 3.0, float((p - 2) ** (p - 2))
    return {
        "exp": (cat.exponential([1.0]), 3.0, 0.0),
        "cosh": (cat.cosh(1.0), 3.0, 1.0),
        "logcosh": (cat.logcosh(1.0), 3.0, None),
        "logistic": (cat.logistic(1.0), -3.0, 0.0),
        "octic": (cat.polynomial([0, 0, 0.5, 0, 0, 0, 0, 0, 0.125]), 3.0, None),
    }[name]


_MOVING_MAX = {"power3": 316.0, "power4": 316.0, "power8": 100.0, "cosh": 30.0, "octic": 100.0}


def grid(quick: bool) -> list[dict]:
    """Frontier functions (one configuration each) and (function, start) pairs."""
    fr = [f"power{n}" for n in range(3, 13)] + ["exp", "cosh"]
    if not quick:
        fr += ["logcosh", "logistic"]
    out = [{"part": "frontier", "function": f} for f in fr]
    npts = 4 if quick else 8
    for f, hi in _MOVING_MAX.items():
        for x0 in np.logspace(0.0, math.log10(hi), npts):
            out.append({"part": "moving", "function": f, "x0": float(x0)})
    return out


def compute(config: dict, seed: int) -> list[dict]:
    """Certify and tabulate the frontier (part ``frontier``) or L and L0*(1) (``moving``)."""
    obj, x0, known = _function(config["function"])
    if config["part"] == "frontier":
        cert = certify(obj, x0)
        rows = []
        p = int(config["function"][5:]) if config["function"].startswith("power") else None
        for l1 in DEFAULT_L1_GRID:
            oracle = ((p - 2) / l1) ** (p - 2) if (p and l1 > 0) else None
            l0 = float(cert.L0(l1))
            rows.append({
                "part": "frontier", "function": config["function"], "objective": obj.name,
                "x0": x0, "cert_method": cert.method, "L1": float(l1), "L0": l0,
                "oracle_L0": oracle, "ratio": (l0 / oracle) if oracle else None,
            })  # fmt: skip
        return rows
    x0 = float(config["x0"])
    cert = certify(obj, x0)
    return [{
        "part": "moving", "function": config["function"], "objective": obj.name, "x0": x0,
        "cert_method": cert.method, "L": float(cert.L), "L1": L1_FIXED,
        "L0": float(cert.L0(L1_FIXED)), "known_L0": known, "M": float(cert.M),
        "delta": float(cert.delta),
    }]  # fmt: skip


def _moving_checks(rows: list[dict]) -> list[dict]:
    out = []
    mov = [r for r in rows if r["part"] == "moving"]
    for f in dict.fromkeys(r["function"] for r in mov):
        sel = sorted((r for r in mov if r["function"] == f), key=lambda r: r["x0"])
        growth = sel[-1]["L"] / sel[0]["L"] if sel[0]["L"] > 0 else math.inf
        known = sel[0]["known_L0"]
        ref = known if known is not None else sel[-1]["L0"]
        top = max(r["L0"] for r in sel)
        saturated = True
        if known is None and len(sel) > 1:
            a, b = sel[-1]["L0"], sel[-2]["L0"]
            saturated = abs(a - b) <= TOL * max(abs(a), 1e-300)
        bounded = top <= ref * (1 + TOL) + 1e-12 and saturated
        out.append({
            "function": f, "L_growth": growth, "max_L0": top, "ref": ref,
            "ratio": top / ref if ref > 0 else (0.0 if top <= 1e-12 else math.inf),
            "ok": bool(bounded and growth >= GROWTH), "x0_max": sel[-1]["x0"],
            "L_far": sel[-1]["L"],
        })  # fmt: skip
    return out


def verdict(rows: list[dict]):
    """Per moving-start function: L grows >= 100x while L0*(1) stays bounded (see docstring)."""
    checks = _moving_checks(rows)
    fr = [r for r in rows if r["part"] == "frontier" and r["ratio"] is not None]
    above = [r for r in fr if r["ratio"] > 1 + TOL]
    notes = [
        f"frontier oracle check (|x|^p/p): {len(fr)} points, {len(above)} above the global "
        f"value ((p-2)/L1)^(p-2), max certified/oracle = "
        f"{max((r['ratio'] for r in fr), default=float('nan')):.6g}"
    ]
    notes += [
        f"{c['function']}: L grows {c['L_growth']:.3g}x (to {c['L_far']:.3g} at x0 = "
        f"{c['x0_max']:.3g}); max L0*(1) = {c['max_L0']:.6g}, reference {c['ref']:.6g}"
        for c in checks
    ]
    bad = [c for c in checks if not c["ok"]] + [dict(r, check="oracle") for r in above]
    return ratio_verdict(
        [c["ratio"] for c in checks] + [r["ratio"] for r in fr],
        [not c["ok"] for c in checks] + [r["ratio"] > 1 + TOL for r in fr],
        criterion=(
            f"for each moving-start function, L(x0 far)/L(x0 near) >= {GROWTH:g} and "
            f"max over starts of L0*(L1={L1_FIXED:g}) <= reference (1 + {TOL:g}); and every "
            "certified frontier point of |x|^p/p at most the global value ((p-2)/L1)^(p-2)"
        ),
        counterexamples=bad,
        notes=notes,
    )


def plot(rows: list[dict], outdir: Path) -> list[Path]:
    """Left: frontiers L0*(L1). Right: L and L0*(1) against the start."""
    fig, axes = new_figure(ncols=2, width=4.6, height=3.6)
    ax = axes[0][0]
    fr = [r for r in rows if r["part"] == "frontier"]
    for i, f in enumerate(dict.fromkeys(r["function"] for r in fr)):
        # values below 1e-9 are zero up to the interval method's tolerance: not drawn
        sel = [r for r in fr if r["function"] == f and r["L1"] > 0 and r["L0"] > 1e-9]
        if not sel:
            continue
        power = f.startswith("power")
        label = f"|x|^{f[5:]}/{f[5:]}" if power else f
        ls = "-" if power else "-."
        ax.plot([r["L1"] for r in sel], [r["L0"] for r in sel], ls, color=color(i), label=label)
        top = 10 * max(r["L0"] for r in sel)
        orc = [r for r in sel if r["oracle_L0"] and r["oracle_L0"] <= top]
        if orc:
            ax.plot([r["L1"] for r in orc], [r["oracle_L0"] for r in orc], ":", color=color(i))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("L1")
    ax.set_ylabel("certified L0*(L1) on S (dotted: global oracle)")
    ax.set_title("frontiers (x0 = 3; logistic x0 = -3)")
    ax.legend(ncol=2)
    ax = axes[0][1]
    mov = [r for r in rows if r["part"] == "moving"]
    for i, f in enumerate(dict.fromkeys(r["function"] for r in mov)):
        sel = sorted((r for r in mov if r["function"] == f), key=lambda r: r["x0"])
        x = [r["x0"] for r in sel]
        ax.plot(x, [r["L"] for r in sel], "o-", color=color(i), ms=3, label=f"{f}: L")
        ax.plot(x, [max(r["L0"], 1e-3) for r in sel], "s--", color=color(i), ms=3,
                label=f"{f}: L0*(1)")  # fmt: skip
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("start x0")
    ax.set_ylabel("constant on S")
    ax.set_title("classic L vs L0*(L1 = 1) as the start moves out")
    ax.legend(ncol=2)
    return save(fig, outdir, "frontier")


def report_section(rows: list[dict]) -> str:
    """Table of the moving-start check."""
    lines = ["| function | farthest x0 | L growth | L at farthest | max L0*(1) | reference | ok |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    for c in _moving_checks(rows):
        lines.append(
            f"| {c['function']} | {c['x0_max']:.3g} | {c['L_growth']:.3g} | {c['L_far']:.3g} | "
            f"{c['max_L0']:.6g} | {c['ref']:.6g} | {c['ok']} |"
        )
    return "\n".join(lines) + "\n"
