"""Remark 5's separation: iterations to eps against M for fixed-step GD and clipped GD.

Claims (Zhang, He, Sra, Jadbabaie, arXiv 1905.11881, v2 numbering; docs/paper.md):

- **Theorem 6** (upper, bound constant recalled; the lab's derivation gives 8/3, which
  implies it): GD with ``h = 1/(2(M L1 + L0))`` reaches ``||grad f|| <= eps`` within
  ``4 (M L1 + L0) Delta/eps^2`` iterations.
- **Theorem 3** (upper, recalled): clipped GD with ``eta_c = 1/(10 L0)``,
  ``gamma = min{10 L0, L0/L1}`` within ``20 L0 Delta/eps^2 + 20 max{1, L1^2} Delta/L0``.
- **Normalized GD** through the printed equivalence (``eta = gamma eta_c``,
  ``beta = gamma``) within twice Theorem 3's bound (provenance ``lab``).
- **Remark 5** (printed order): fixed-step GD needs ``Omega((L1 M/log M + L0) Delta/eps^2)``
  (Theorem 4, a lower bound over the class), clipped GD ``O(L0 Delta/eps^2 + L1^2 Delta/L0)``:
  the ratio is about ``L1 M/(L0 log M)``, so clipping wins more and more as M grows.

Kind ``theorem``: the verdict is the three upper bounds, run by run (a count above its
bound, a divergence, or a run still going at ``floor(bound) + 1`` steps is a violation;
a run stopped by the experiment's cap below its bound is *censored*, undecided, never a
violation). The separation itself (GD's growth exponent in M significantly larger than
clipped GD's) is reported as evidence in the report section and the verdict notes.

Instances. Two variables, ``f(x1, x2) = phi(x1) + x2^2/8`` with ``phi`` one of
``x^4 + x^2/2``, ``x^6 + x^2/2``, ``x^8 + x^2/2`` (the quadratic makes the minimum
non-degenerate), ``cosh x``, ``e^x + x^2/2`` (an asymmetric exponential-type function;
``e^x - x`` cannot be certified bounded below by the interval method on its very wide
sublevel set) and the Theorem 4 gadget with ``(L0, L1) = (1, 1)``. The second coordinate
(curvature 1/4, start ``x2 = 2``) is there for the oracle baselines: in one variable an
oracle step can jump onto the minimizer (``h = (x0 - x*)/f'(x0)``), and the tuned count
then measures only the search's resolution (see :mod:`synthetic.tuning`); its curvature
differs from ``phi''(x*)`` (1 or about 1.57) so that no single step is exact for both
coordinates near the minimizer either. Starts ``(a, 2)``: ``a`` solves
``phi(a) = phi(a') - 1/2`` with ``phi'(a') = M_target``, so the sup of ``||grad f||``
over the sublevel set is about ``M_target``; the theorems use the certified M
(:func:`theory.smoothness.certify`), which is also the plotted abscissa.

Constants. ``(L0*(L1), L1)`` is certified; L1 is chosen per theorem on the grid
``10^k, k = -3, -2.5, ..., 3`` minimizing its bound computed with a fast uncertified
estimate of ``L0(L1)`` (:func:`l0_estimate`, ``pair_choice = grid``; within 0.1% of the
minimum the smallest L1 is taken, see :func:`_pair`); the bound and the
theorem's parameters are then evaluated at the certified ``L0*(L1)`` of that L1, so every
hypothesis holds (the grid choice can only make the bound larger than the frontier's
minimum).

Methods per start: GD with Theorem 6's step; GD best-tuned; clipped GD with Theorem 3's
parameters; clipped GD best-tuned; normalized GD with the equivalence's parameters. The
tuned baselines (:mod:`synthetic.tuning`) are **oracle-tuned on the instance and start**
(GD over :func:`gd_search_range`, which provably contains the best step, at
:data:`GRID_PER_DECADE` points per decade plus refinement; clipped GD over the default
ranges of :func:`synthetic.tuning.tune_clipped_gd`);
the paper's class forbids a step that depends on f or x0, so they are reference points,
not members of the class, and Theorem 4 says nothing about them.

Censoring. Every run is capped at ``min(floor(bound) + 1, CAP)``; a count at ``CAP`` is a
lower bound (status ``max_iter``). The exponent fits use converged runs only (censored
points are left out and counted in the report).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from scipy import optimize

from synthetic import catalogue as cat
from synthetic.objective import objective_from_expr
from synthetic.sweep import sweep
from synthetic.tuning import tune_clipped_gd, tune_gd
from theory.smoothness import certify
from theory.theorems import NGD, REMARK_5, THEOREM_3, THEOREM_6, grid_l1

from .framework import Fit, Verdict, fit_loglog, ratio_verdict, run_outcome
from .style import new_figure, save

NAME = "separation"
TITLE = "Remark 5: iterations to eps against M, fixed-step GD against clipped GD"
THEOREMS = (THEOREM_6, THEOREM_3, NGD, REMARK_5)
KIND = "theorem"
PROVENANCE = (
    "Theorem 3, 6 bounds recalled (lab derivations reproduce/imply them); NGD bound lab; "
    "Remark 5 order printed; tuned baselines lab (oracle, outside the paper's class)"
)
VERSION = "1"
ORDER = 45
PLANT_CONFIG = 2  # a quick configuration for the planted-violation test (tests/test_trail.py)

EPS = 1e-3
#: Start of the second coordinate (its term x2^2/8 contributes 1/2 to Delta).
X2 = 2.0
#: Iteration cap of one run (full, quick).
CAP = {False: 100_000_000, True: 2_000_000}
#: log10 of the target M values (full, quick).
LOG_M = {False: tuple(np.arange(1.0, 6.01, 0.5).round(2)), True: (1.0, 2.0, 3.0)}
#: L1 grid of the pair choice, and the relative tolerance of its tie rule (:func:`_pair`).
L1_GRID = tuple(float(v) for v in np.logspace(-3, 3, 13))
PAIR_RTOL = 1e-3
#: Methods: label -> (kernel method, description).
METHODS = {
    "gd_thm6": ("gd", "GD, Theorem 6 step"),
    "gd_tuned": ("gd", "GD, best-tuned h (oracle)"),
    "clipped_thm3": ("clipped_gd", "clipped GD, Theorem 3 parameters"),
    "clipped_tuned": ("clipped_gd", "clipped GD, best-tuned (eta, gamma) (oracle)"),
    "ngd": ("normalized_gd", "normalized GD, equivalence parameters"),
}
METHOD_STYLE = {
    "gd_thm6": ("#d62728", "o", "-"),
    "gd_tuned": ("#ff7f0e", "s", "--"),
    "clipped_thm3": ("#1f77b4", "^", "-"),
    "clipped_tuned": ("#17becf", "D", "--"),
    "ngd": ("#2ca02c", "v", ":"),
}
#: Which bound judges which method.
BOUNDED = {"gd_thm6": "thm6", "clipped_thm3": "thm3", "ngd": "ngd"}
FAMILIES = ("x^4", "x^6", "x^8", "cosh", "exp", "gadget")
FAMILY_LABEL = {
    "x^4": "x1^4 + x1^2/2 + x2^2/8",
    "x^6": "x1^6 + x1^2/2 + x2^2/8",
    "x^8": "x1^8 + x1^2/2 + x2^2/8",
    "cosh": "cosh x1 + x2^2/8",
    "exp": "e^x1 + x1^2/2 + x2^2/8",
    "gadget": "Thm 4 gadget (1, 1) in x1 + x2^2/8",
}
#: Tuning settings of the experiment (GD grid from h_thm6/10 to 10 (1 + |x0|)/M).
TUNE_GD = {"refine_levels": 2, "n_refine": 8, "n_candidates": 2}
#: Log-grid density of the GD search (points per decade of h).
GRID_PER_DECADE = 8
#: Curvature of the second coordinate's term x2^2/8.
MU2 = 0.25
TUNE_CLIPPED = {"n_eta": 16, "n_len": 16, "refine_levels": 2, "n_refine": 4, "n_candidates": 2}


def _phi(family: str):
    """The one-variable part phi of ``phi(x1) + x2^2/8``."""
    if family.startswith("x^"):
        k = int(family[2:])
        c = np.zeros(k + 1)
        c[2], c[k] = 0.5, 1.0
        return cat.polynomial(c)
    if family == "cosh":
        return cat.cosh(1.0)
    if family == "exp":
        return objective_from_expr("exp(x) + x**2/2", name="exp(x) + x^2/2")
    if family == "gadget":
        return cat.gadget(1.0, 1.0)
    raise ValueError(f"unknown family {family!r}; allowed: {', '.join(FAMILIES)}")


def instance(family: str):
    """The two-variable objective ``phi(x1) + x2^2/8`` and its ``phi``."""
    phi = _phi(family)
    return cat.separable(phi, cat.polynomial([0.0, 0.0, 0.125])), phi


def start_for(phi, m_target: float) -> float:
    """``a`` with ``phi(a) = phi(a') - 1/2``, ``phi'(a') = m_target`` (a' > 0)."""

    def dphi(x):
        return float(phi.grad([x])[0])

    hi = 1.0
    while dphi(hi) < m_target:
        hi *= 2.0
    a1 = optimize.brentq(lambda x: dphi(x) - m_target, 0.0, hi, xtol=1e-14, rtol=1e-14)
    level = phi.f([a1]) - 0.5
    return float(optimize.brentq(lambda x: phi.f([x]) - level, 0.0, a1, xtol=1e-14, rtol=1e-14))


def grid(quick: bool) -> list[dict]:
    """One configuration per family (all starts of a family are swept together)."""
    return [
        {"family": f, "log10_M": list(LOG_M[quick]), "eps": EPS, "cap": CAP[quick]}
        for f in FAMILIES
    ]


# ------------------------------------------------------------------------ bounds
def l0_estimate(obj, cert, points: int = 2049):
    """A fast, uncertified ``L1 -> L0(L1)`` for ``phi(x1) + x2^2/8``, to choose L1 only.

    The Hessian is ``diag(phi''(x1), 1/4)`` and ``||grad f|| >= |phi'(x1)|`` with equality
    at ``x2 = 0``, so ``sup_S (||hess|| - L1 ||grad||)`` is the sup over ``x1`` on the x1
    interval(s) of S (``cert.neighbourhood``, a box) at ``x2 = 0``; it is sampled on a grid
    plus the roots of ``phi'`` (where the sup sits for large L1).
    """
    kind, (ivs, _) = cert.neighbourhood
    if kind != "box":
        return cert.L0
    xs = np.concatenate([np.linspace(lo, hi, points) for lo, hi in ivs])

    def g1(x: float) -> float:
        return float(obj.grad([x, 0.0])[0])

    # for large L1 the sup sits where the gradient vanishes: add the roots of phi'
    gs = np.array([g1(x) for x in xs])
    flips = np.flatnonzero(np.sign(gs[:-1]) * np.sign(gs[1:]) < 0)
    roots = [optimize.brentq(g1, xs[i], xs[i + 1], xtol=1e-15) for i in flips]
    xs = np.concatenate([xs, roots])
    grad = np.array([obj.grad_norm([x, 0.0]) for x in xs])
    hess = np.array([obj.hess_norm([x, 0.0]) for x in xs])
    return lambda l1: max(0.0, float(np.max(hess - l1 * grad)))


def _pair(estimate, value, rtol: float = PAIR_RTOL) -> float:
    """The grid L1 minimizing ``value(L0(L1), L1)`` with the fast estimate of L0.

    Only the choice of L1 uses the estimate (:func:`l0_estimate`); the bound is then
    evaluated at the certified ``L0*(L1)`` (:func:`bounds`). Where the bound is flat in L1
    (e.g. Theorem 3 on ``e^x + x^2/2``: ``L0*(L1)`` is constant for ``L1 >= 1`` and the
    ``L1^2 Delta/L0`` term is ``10^-6`` of the other), the argmin would be decided by the
    estimate's sampling noise; so the smallest L1 whose value is within ``rtol`` of the
    minimum is taken (the largest clipping threshold ``L0/L1``, the least conservative step).
    """

    def at(l1: float) -> float:
        l0 = float(estimate(l1))
        return value(l0, l1) if (math.isfinite(l0) and l0 > 0) else math.inf

    return grid_l1(at, L1_GRID, rtol=rtol)


def bounds(cert, eps: float, estimate=None) -> dict:
    """Theorem 6, Theorem 3 and NGD bounds at grid-chosen certified pairs.

    ``estimate`` (``L1 -> L0``, default the certified ``cert.L0``) only chooses L1.
    """
    d, m = float(cert.delta), float(cert.M)
    est = estimate or cert.L0
    l6 = _pair(est, lambda a, b: THEOREM_6.value(a, b, m, d, eps))
    l3 = _pair(est, lambda a, b: THEOREM_3.value(a, b, d, eps))
    return {
        "thm6": THEOREM_6.bound(cert, eps, L1=l6),
        "thm3": THEOREM_3.bound(cert, eps, L1=l3),
        "ngd": NGD.bound(cert, eps, L1=l3),
    }


def remark5_order(l0: float, l1: float, m: float) -> float:
    """Printed order of Remark 5's ratio, ``L1 M/(L0 log M)`` (inf for M <= 1)."""
    return l1 * m / (l0 * math.log(m)) if m > 1 and l0 > 0 else math.inf


def x2_lower_count(h: float, eps: float) -> float:
    """A lower bound of GD's T_eps with step h from x2 = X2, from the x2 coordinate alone.

    ``x2_k = X2 (1 - h MU2)^k`` and ``||grad f(x_k)|| >= MU2 |x2_k|``, so
    ``T_eps >= log(MU2 X2/eps)/(-log|1 - h MU2|)`` (infinite when ``|1 - h MU2| >= 1``).
    """
    q = abs(1.0 - h * MU2)
    if q >= 1.0:
        return math.inf
    if q == 0.0:
        return 0.0
    return max(0.0, math.log(MU2 * X2 / eps) / -math.log(q))


def gd_search_range(h6: float, t6: int | None, eps: float) -> tuple[float, float]:
    """The tuned-GD search range ``[h_lo, 2/MU2]``, provably containing the best step.

    Upper end: ``h >= 2/MU2`` never shrinks x2, so GD never reaches eps (``MU2 X2 > eps``).
    Lower end: the count with Theorem 6's step ``t6`` is achievable, and every step with
    :func:`x2_lower_count` ``> t6`` is worse; ``h_lo`` solves ``x2_lower_count(h) = t6``
    (for ``h < 2/MU2`` the lower count decreases in h on ``(0, 1/MU2]``). When Theorem 6's run
    was censored, ``h6/10``.
    """
    hi = 2.0 / MU2
    if t6 is None or t6 <= 0:
        return h6 / 10.0, hi
    lo = (1.0 - math.exp(-math.log(MU2 * X2 / eps) / t6)) / MU2
    return min(lo, h6), hi


# ------------------------------------------------------------------------ compute
def compute(config: dict, seed: int) -> list[dict]:
    """Certify every start of one family, then sweep the five methods over all starts."""
    del seed  # deterministic
    fam, eps, cap = config["family"], float(config["eps"]), int(config["cap"])
    obj, phi = instance(fam)
    starts, certs, bnds = [], [], []
    for lm in config["log10_M"]:
        a = start_for(phi, 10.0 ** float(lm))
        x0 = np.array([a, X2])
        c = certify(obj, x0)
        starts.append(x0)
        certs.append(c)
        bnds.append(bounds(c, eps, l0_estimate(obj, c)))
    x0s = np.array(starts)
    n = len(starts)
    base = [
        {
            "family": fam,
            "objective": obj.name,
            "log10_M_target": float(lm),
            "x0_1": float(x0s[i, 0]),
            "x0_2": float(x0s[i, 1]),
            "M": float(certs[i].M),
            "Delta": float(certs[i].delta),
            "cert_method": certs[i].method,
            "eps": eps,
            "bound_thm6": float(bnds[i]["thm6"].value),
            "bound_thm3": float(bnds[i]["thm3"].value),
            "bound_ngd": float(bnds[i]["ngd"].value),
            "L0_thm6": float(bnds[i]["thm6"].L0),
            "L1_thm6": float(bnds[i]["thm6"].L1),
            "L0_thm3": float(bnds[i]["thm3"].L0),
            "L1_thm3": float(bnds[i]["thm3"].L1),
            "remark5_order": remark5_order(
                float(bnds[i]["thm3"].L0), float(bnds[i]["thm3"].L1), float(certs[i].M)
            ),
        }
        for i, lm in enumerate(config["log10_M"])
    ]
    rows: list[dict] = []

    def theorem_runs(label: str, key: str, params: dict[str, np.ndarray]) -> None:
        limits = [math.floor(b[key].value) + 1 for b in bnds]
        max_iter = int(min(cap, max(limits)))
        res = sweep(obj, METHODS[label][0], x0s, eps, params, max_iter=max_iter)
        for i in range(n):
            b = float(bnds[i][key].value)
            mi = min(max_iter, limits[i])
            st, it = str(res.status[i]), int(res.iterations[i])
            if st == "converged" and it > mi:  # beyond this start's own cap
                st, it = "max_iter", mi
            rows.append({
                **base[i], "method": label, "theorem": key, "status": st, "iterations": it,
                "max_iter": mi, "bound": b, "ratio": it / b if b > 0 else math.inf,
                "outcome": run_outcome(st, it, b, mi),
                **{f"param_{k}": float(v[i]) for k, v in params.items()},
            })  # fmt: skip

    for label, key in BOUNDED.items():
        names = bnds[0][key].run_params
        theorem_runs(label, key, {k: np.array([b[key].run_params[k] for b in bnds]) for k in names})
    for i in range(n):
        h6 = float(bnds[i]["thm6"].params["h"])
        r6 = next(r for r in rows if r["method"] == "gd_thm6" and r["x0_1"] == base[i]["x0_1"])
        t6 = r6["iterations"] if r6["status"] == "converged" else None
        lo, hi = gd_search_range(h6, t6, eps)
        n_grid = max(16, math.ceil(GRID_PER_DECADE * math.log10(hi / lo)))
        tg = tune_gd(obj, x0s[i], eps, h_range=(lo, hi), n_grid=n_grid, max_iter=cap, **TUNE_GD)
        rows.append({
            **base[i], "method": "gd_tuned", "theorem": "", "status": tg.status,
            "iterations": tg.iterations, "max_iter": cap, "bound": None, "ratio": None,
            "outcome": "not_judged", "param_h": tg.h, "grid_size": tg.grid_size,
            "evaluations": tg.evaluations, "grid_best": tg.grid_best_iterations,
            "refined": tg.improved_by_refinement, "ties": tg.ties,
            "h_over_h_thm6": tg.h / h6, "h_lo": lo, "h_hi": hi,
        })  # fmt: skip
        tc = tune_clipped_gd(obj, x0s[i], eps, max_iter=cap, **TUNE_CLIPPED)
        rows.append({
            **base[i], "method": "clipped_tuned", "theorem": "", "status": tc.status,
            "iterations": tc.iterations, "max_iter": cap, "bound": None, "ratio": None,
            "outcome": "not_judged", "param_eta": tc.eta, "param_gamma": tc.gamma,
            "grid_size": tc.grid_size, "evaluations": tc.evaluations,
            "grid_best": tc.grid_best_iterations, "refined": tc.improved_by_refinement,
            "ties": tc.ties,
        })  # fmt: skip
    return rows


# ------------------------------------------------------------------------ fits
#: the log-log fit with its interval (one routine, :func:`figures.framework.fit_loglog`)
fit_exponent = fit_loglog


def _series(rows: list[dict], fam: str, method: str) -> list[dict]:
    return sorted(
        (r for r in rows if r["family"] == fam and r["method"] == method),
        key=lambda r: r["M"],
    )


def exponents(rows: list[dict]) -> dict[tuple[str, str], Fit]:
    """Per (family, method): the fitted growth exponent in M over converged runs."""
    out = {}
    for fam in _families(rows):
        for meth in METHODS:
            s = _series(rows, fam, meth)
            ok = [r for r in s if r["status"] == "converged" and r["iterations"] > 0]
            out[(fam, meth)] = fit_exponent(
                [r["M"] for r in ok], [r["iterations"] for r in ok], excluded=len(s) - len(ok)
            )
    return out


def separation_fit(rows: list[dict], fam: str, slow: str, fast: str) -> Fit:
    """Slope of ``log(T_slow/T_fast)`` against ``log M`` over starts where both converged."""
    a = {r["log10_M_target"]: r for r in _series(rows, fam, slow)}
    b = {r["log10_M_target"]: r for r in _series(rows, fam, fast)}
    keys = [
        k for k in a
        if k in b and a[k]["status"] == "converged" and b[k]["status"] == "converged"
        and a[k]["iterations"] > 0 and b[k]["iterations"] > 0
    ]  # fmt: skip
    ms = [a[k]["M"] for k in keys]
    ratio = [a[k]["iterations"] / b[k]["iterations"] for k in keys]
    return fit_exponent(ms, ratio, excluded=len(a) - len(keys))


def _families(rows: list[dict]) -> list[str]:
    return list(dict.fromkeys(r["family"] for r in rows))


# ------------------------------------------------------------------------ verdict
def verdict(rows: list[dict]) -> Verdict:
    """Every run with a theorem's parameters within its bound; separation in the notes."""
    judged = [r for r in rows if r["method"] in BOUNDED]
    # the outcome is recomputed from the run (status, count, cap) and the bound
    outcome = [run_outcome(r["status"], r["iterations"], r["bound"], r["max_iter"]) for r in judged]
    bad = [o == "violation" for o in outcome]
    censored = [r for r, o in zip(judged, outcome) if o == "censored"]
    notes = [
        f"{len(censored)} run(s) censored below their bound (undecided): "
        + ", ".join(f"{r['family']} {r['method']} M={r['M']:.3g}" for r in censored)
        if censored
        else "no censored runs",
        "ratios: iterations / bound of the run's theorem (Theorem 6, Theorem 3, NGD lab)",
    ]
    for fam in _families(rows):
        for slow, fast in (("gd_thm6", "clipped_thm3"), ("gd_tuned", "clipped_tuned")):
            f = separation_fit(rows, fam, slow, fast)
            sig = "significant" if f.lo > 0 else "not significant"
            notes.append(
                f"separation {fam} {slow} vs {fast}: exponent difference {f.slope:.3f} "
                f"[{f.lo:.3f}, {f.hi:.3f}] (n = {f.n}), {sig}"
            )
    return ratio_verdict(
        [r["iterations"] / r["bound"] if r["bound"] > 0 else math.inf for r in judged],
        bad,
        criterion=(
            "GD with Theorem 6's step, clipped GD with Theorem 3's parameters and normalized "
            "GD with the equivalence's parameters converge within their bounds (Theorem 6, "
            "Theorem 3, twice Theorem 3); a divergence or a run still going at floor(bound)+1 "
            "steps is a violation; runs capped below the bound are undecided"
        ),
        counterexamples=[r for r, b in zip(judged, bad) if b],
        notes=notes,
    )


# ------------------------------------------------------------------------ plots
def plot(rows: list[dict], outdir: Path) -> list[Path]:
    """Iterations against M per family with the bounds; speedups with Remark 5's order."""
    fams = _families(rows)
    ncols = min(3, len(fams))
    nrows = -(-len(fams) // ncols)
    fig, axes = new_figure(ncols=ncols, nrows=nrows, width=3.6, height=3.0)
    for j, fam in enumerate(fams):
        ax = axes[j // ncols][j % ncols]
        for meth, (_, label) in METHODS.items():
            s = _series(rows, fam, meth)
            col, mk, ls = METHOD_STYLE[meth]
            ok = [r for r in s if r["status"] == "converged"]
            ax.plot([r["M"] for r in ok], [max(r["iterations"], 0.5) for r in ok],
                    marker=mk, ls=ls, color=col, ms=3, lw=1.0, label=label)  # fmt: skip
            cen = [r for r in s if r["status"] != "converged"]
            if cen:
                ax.plot([r["M"] for r in cen], [r["iterations"] for r in cen], marker=mk,
                        mfc="none", ls="none", color=col, ms=5)  # fmt: skip
        s = _series(rows, fam, "gd_thm6")
        ms = [r["M"] for r in s]
        ax.plot(ms, [r["bound_thm6"] for r in s], color="#d62728", lw=0.8, ls=(0, (4, 2)),
                label="Theorem 6 bound")  # fmt: skip
        ax.plot(ms, [r["bound_thm3"] for r in s], color="#1f77b4", lw=0.8, ls=(0, (4, 2)),
                label="Theorem 3 bound")  # fmt: skip
        ax.plot(ms, [r["bound_thm3"] * r["remark5_order"] for r in s], color="0.4", lw=0.8,
                ls=(0, (1, 1)), label="Thm 3 bound x L1 M/(L0 log M) (Remark 5 order)")  # fmt: skip
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("M (certified)")
        ax.set_title(f"{fam}: {FAMILY_LABEL[fam]}", fontsize=7)
    for j in range(len(fams), nrows * ncols):
        axes[j // ncols][j % ncols].axis("off")
    axes[0][0].set_ylabel("iterations to eps (open: capped)")
    axes[0][0].legend(fontsize=5, loc="upper left")
    out = save(fig, outdir, "separation")

    fig, axes = new_figure(ncols=ncols, nrows=nrows, width=3.6, height=3.0)
    for j, fam in enumerate(fams):
        ax = axes[j // ncols][j % ncols]
        for slow, fast, col, lab in (
            ("gd_thm6", "clipped_thm3", "#d62728", "Thm 6 GD / Thm 3 clipped"),
            ("gd_tuned", "clipped_tuned", "#ff7f0e", "tuned GD / tuned clipped"),
        ):
            a = {r["log10_M_target"]: r for r in _series(rows, fam, slow)}
            b = {r["log10_M_target"]: r for r in _series(rows, fam, fast)}
            pts = sorted(
                (a[k]["M"], a[k]["iterations"] / b[k]["iterations"])
                for k in a
                if k in b and b[k]["iterations"] > 0
                and a[k]["status"] == b[k]["status"] == "converged"
            )  # fmt: skip
            if pts:
                ax.plot(*zip(*pts), "o-", color=col, ms=3, lw=1.0, label=lab)
        s = _series(rows, fam, "clipped_thm3")
        ax.plot([r["M"] for r in s], [r["remark5_order"] for r in s], color="0.4", lw=0.8,
                ls=(0, (1, 1)), label="Remark 5 order L1 M/(L0 log M)")  # fmt: skip
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("M (certified)")
        ax.set_title(fam, fontsize=7)
    for j in range(len(fams), nrows * ncols):
        axes[j // ncols][j % ncols].axis("off")
    axes[0][0].set_ylabel("iterations ratio GD / clipped GD")
    axes[0][0].legend(fontsize=5, loc="upper left")
    out += save(fig, outdir, "separation_ratio")
    return out


# ------------------------------------------------------------------------ report
def _fmt(f: Fit) -> str:
    if not math.isfinite(f.slope):
        return "n/a"
    ci = f"[{f.lo:.2f}, {f.hi:.2f}]" if math.isfinite(f.lo) else "[n/a]"
    extra = f", {f.excluded} censored left out" if f.excluded else ""
    return f"{f.slope:.2f} {ci} (n={f.n}{extra})"


def predicted(fam: str, method: str) -> str:
    """Heuristic exponents (lab): see :func:`report_section`."""
    if fam.startswith("x^"):
        k2 = int(fam[2:])
        gd = f"{k2 - 2}/{k2 - 1}"
        return {"gd_thm6": gd, "gd_tuned": gd, "clipped_thm3": f"1/{k2 - 1}",
                "ngd": f"1/{k2 - 1}", "clipped_tuned": "~0"}[method]  # fmt: skip
    tuned = "0 (overshoot to the flat side)" if fam == "exp" else "1 (M/log M)"
    return {"gd_thm6": "1", "gd_tuned": tuned, "clipped_thm3": "0 (log M)",
            "ngd": "0 (log M)", "clipped_tuned": "~0"}[method]  # fmt: skip


def _cnt(r: dict) -> str:
    return f"{r['iterations']}" + ("" if r["status"] == "converged" else "+")


def report_section(rows: list[dict]) -> str:
    """Fitted exponents with 95% CIs, separation tests and the bound checks."""
    ex = exponents(rows)
    fams = _families(rows)
    lines = [
        "Instances `phi(x1) + x2^2/8`, start `(a, 2)` chosen so that M hits a log grid of "
        f"targets; eps = {rows[0]['eps']:g}. Exponent = OLS slope of log10(iterations) "
        "against log10(certified M) over converged runs, with a 95% t-interval from the "
        "slope's standard error (n - 2 degrees of freedom); censored runs (status max_iter) "
        "are left out of the fits and counted.",
        "",
        "**Oracle baselines.** `gd_tuned` and `clipped_tuned` are tuned on each instance *and "
        "start* (synthetic.tuning: log grid, then refinement; ties to the smallest count, then "
        "the largest step). The paper's fixed-step class forbids a step depending on f or x0, "
        "so these are not members of the class Theorem 4 bounds from below.",
        "",
        "| family | " + " | ".join(METHODS) + " |",
        "|---|" + "---|" * len(METHODS),
    ]
    for fam in fams:
        lines.append(f"| {fam} | " + " | ".join(_fmt(ex[(fam, m)]) for m in METHODS) + " |")
    lines += [
        "",
        "Predicted (lab heuristics): on `x^{2k}`, Theorem 6's grid-optimal pair has "
        "`L0*(L1) ~ L1^-(2k-2)`, so `M L1 + L0 ~ M^((2k-2)/(2k-1))`, and the oracle step is "
        "capped by the divergence threshold `~ a/M`, which gives the same order; clipped GD "
        "walks the distance `a ~ M^(1/(2k-1))` with a fixed step length. On exponential-type "
        "functions, `a ~ log M`: GD ~ M (tuned ~ M/log M), clipped ~ log M. These are "
        "asymptotic orders: at moderate M the clipped counts are dominated by the M-free "
        "phase near the minimizer, so their fitted slopes lie below 1/(2k-1).",
        "",
        "**Finding (asymmetric exponential, `e^x + x^2/2`):** the oracle-tuned fixed step "
        "does *not* slow down with M. A step h of about 1 throws the first iterate to "
        "`x1 ~ -M`, on the side where the function is a gentle quadratic, and GD then "
        "converges in about 20 steps whatever M. Theorem 4 is a worst case over the class "
        "(its hard functions are symmetric, so an overshoot diverges), and this step is "
        "tuned to the instance, so there is no contradiction; but it shows that the "
        "separation against *tuned* GD depends on the instance, while the separation "
        "against the class's step (Theorem 6) holds on all six families.",
        "",
        "| family | " + " | ".join(f"{m}" for m in METHODS) + " |",
        "|---|" + "---|" * len(METHODS),
    ]
    for fam in fams:
        lines.append(f"| {fam} | " + " | ".join(predicted(fam, m) for m in METHODS) + " |")
    lines += [
        "",
        "**Separation (evidence, not judged):** slope of log(T_GD/T_clipped) against log M "
        "with 95% CI; significant when the interval lies above 0.",
        "",
        "| family | Thm 6 GD / Thm 3 clipped | tuned GD / tuned clipped |",
        "|---|---|---|",
    ]
    for fam in fams:
        a = separation_fit(rows, fam, "gd_thm6", "clipped_thm3")
        b = separation_fit(rows, fam, "gd_tuned", "clipped_tuned")
        lines.append(
            f"| {fam} | {_fmt(a)}{' significant' if a.lo > 0 else ''} | "
            f"{_fmt(b)}{' significant' if b.lo > 0 else ''} |"
        )
    judged = [r for r in rows if r["method"] in BOUNDED]
    lines += [
        "",
        "**Upper bounds (judged):** "
        f"{sum(r['outcome'] == 'ok' for r in judged)} of {len(judged)} runs within their "
        f"bound, {sum(r['outcome'] == 'violation' for r in judged)} violations, "
        f"{sum(r['outcome'] == 'censored' for r in judged)} censored below the bound. "
        "Largest iterations/bound per method: "
        + ", ".join(
            f"{m} {max((r['ratio'] for r in judged if r['method'] == m), default=math.nan):.3g}"
            for m in BOUNDED
        )
        + ". The bounds grow with Delta/eps^2 and sit many decades above the counts.",
        "",
        "| family | M | Delta | Thm 6 GD (bound) | tuned GD (h/h_thm6) | Thm 3 clipped "
        "(bound) | tuned clipped | NGD (bound) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for fam in fams:
        by = {m: _series(rows, fam, m) for m in METHODS}
        for i, r6 in enumerate(by["gd_thm6"]):
            tg, c3, tc, ng = (
                by[m][i] for m in ("gd_tuned", "clipped_thm3", "clipped_tuned", "ngd")
            )

            lines.append(
                f"| {fam} | {r6['M']:.3g} | {r6['Delta']:.3g} | {_cnt(r6)} ({r6['bound']:.2g}) | "
                f"{_cnt(tg)} ({tg['h_over_h_thm6']:.3g}) | {_cnt(c3)} ({c3['bound']:.2g}) | "
                f"{_cnt(tc)} | {_cnt(ng)} ({ng['bound']:.2g}) |"
            )
    lines.append("")
    lines.append("`+`: censored at the cap (a lower bound).")
    return "\n".join(lines) + "\n"


__all__ = [
    "Fit",
    "bounds",
    "compute",
    "exponents",
    "fit_exponent",
    "grid",
    "instance",
    "plot",
    "predicted",
    "remark5_order",
    "report_section",
    "separation_fit",
    "start_for",
    "verdict",
]
