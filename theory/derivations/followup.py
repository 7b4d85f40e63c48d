"""Derivations of the follow-up bounds from the lab's Grönwall growth bound (docs/paper.md,
"Follow-up bounds"; every step checked when built, by sympy or on a marked numerical grid).

* ``l0l1_upper_model``: the (L0, L1) descent inequality
  ``f(y) <= f(x) + <grad f(x), y - x> + ((L0 + L1 ||grad f(x)||)/L1^2) phi(L1 ||y - x||)``,
  ``phi(t) = e^t - t - 1``, integrating the growth bound of
  :func:`theory.derivations.growth_lemma` twice (Vankov et al., ICLR 2025, Lemma 2.2).
* ``vankov_steps``: the per-step decrease ``D(h) = h g^2 - ((L0 + L1 g)/L1^2) phi(L1 h g)``
  of eta*, eta_si, eta_cl, the longest step of each, and the nonconvex count
  ``T_eps <= 2 L0 Delta/(a eps^2) + 3 L1 Delta/(a eps)`` (recalled a = 1, 1, 1/2; the lab
  gets a = 1, 1 and 3/4).
* ``smoothed_clip_count``, ``koloskova_count``, ``beta_ngd_count``, ``armijo_count``,
  ``effective_l_count``: the lab's nonconvex counts for smoothed clipping (Gorbunov et al.),
  clip_c (Koloskova et al.), 1-normalized GD (Chen et al.), Armijo backtracking (Hübler et
  al.) and constant-step GD with L = l(2M) (Li et al.).

Notation: ``a = L0``, ``b = L1 g`` where convenient; ``g = ||grad f(x_k)||``.
"""

from __future__ import annotations

import dataclasses
import functools

import sympy as sp

from ..theorems._symbols import DELTA, EPS, ETA, GAMMA, L0, L1, G, H, M, S
from ._core import Derivation, Step, unevaluated_div

__all__ = [
    "PHI",
    "model_decrease",
    "l0l1_upper_model",
    "vankov_steps",
    "smoothed_clip_count",
    "koloskova_count",
    "beta_ngd_count",
    "armijo_count",
    "effective_l_count",
]

_v, _w, _t, _u, _r = sp.symbols("v w t u r", positive=True)
C = sp.Symbol("c", positive=True)  # clipping threshold (Koloskova) / Armijo constant
SHRINK = sp.Symbol("shrink", positive=True)
T0 = sp.Symbol("t0", positive=True)


def PHI(t: sp.Expr) -> sp.Expr:  # noqa: N802 - the papers' name
    """``phi(t) = e^t - t - 1``."""
    return sp.exp(t) - t - 1


def model_decrease(h: sp.Expr) -> sp.Expr:
    """``D(h) = h g^2 - ((L0 + L1 g)/L1^2) phi(L1 h g)``: the decrease the model guarantees."""
    return h * G**2 - (L0 + L1 * G) / L1**2 * PHI(L1 * h * G)


ETA_STAR = sp.log(1 + L1 * G / (L0 + L1 * G)) / (L1 * G)
ETA_SI = 1 / (L0 + sp.Rational(3, 2) * L1 * G)
_RATE = G**2 / (2 * L0 + 3 * L1 * G)


def _phi_series_bound() -> Step:
    """phi(t) <= t^2/(2 (1 - t/3)) on 0 < t < 3 (t = 3v/(1+v))."""
    t = 3 * _v / (1 + _v)
    return Step(
        "phi(t) <= t^2/(2(1 - t/3)) for 0 < t < 3",
        t**2 / (2 * (1 - t / 3)),
        ">=",
        PHI(t),
        "e^t - 1 - t = sum_{k>=2} t^k/k! and k! >= 2 * 3^(k-2): a geometric series of ratio t/3.",
    )


def l0l1_upper_model() -> Derivation:
    """The (L0, L1) descent inequality (upper model) from the Grönwall growth bound."""
    grad_growth = (L0 + L1 * G) * (sp.exp(L1 * _r) - 1) / L1
    steps = (
        Step(
            "Gradient change along y = x + r u: ||grad f(x + r u) - grad f(x)|| <= "
            "int_0^r (L0 + L1 psi) = (L0 + L1 g)(e^{L1 r} - 1)/L1",
            sp.integrate((L0 + L1 * G) * sp.exp(L1 * _t), (_t, 0, _r)),
            "==",
            grad_growth,
            "||hess f(x + t u)|| <= L0 + L1 psi(t) = (L0 + L1 g) e^{L1 t} by Definition 1 and "
            "the growth lemma (psi bounds the gradient norm along the segment).",
        ),
        Step(
            "f(x + s u) - f(x) - s <grad f(x), u> <= int_0^s (L0 + L1 g)(e^{L1 r} - 1)/L1 dr "
            "= ((L0 + L1 g)/L1^2) phi(L1 s)",
            sp.integrate(grad_growth, (_r, 0, S)),
            "==",
            (L0 + L1 * G) / L1**2 * PHI(L1 * S),
            "f(x + s u) - f(x) - s<grad f(x), u> = int_0^s <grad f(x + r u) - grad f(x), u> dr "
            "and Cauchy-Schwarz.",
        ),
        Step(
            "As L1 -> 0 the model is the L-smooth one: ((L0 + L1 g)/L1^2) phi(L1 s) -> L0 s^2/2",
            sp.limit((L0 + L1 * G) / L1**2 * PHI(L1 * S), L1, 0),
            "==",
            L0 * S**2 / 2,
            "Taylor expansion of phi at 0.",
        ),
    )
    return Derivation(
        name="l0l1_upper_model",
        title="(L0, L1) descent inequality f(y) <= f(x) + <g, y-x> + (L0 + L1 g)/L1^2 phi(L1|y-x|)",
        theorem="Vankov et al., ICLR 2025 (arXiv 2410.10800 v3), Lemma 2.2",
        steps=steps,
        recalled={"model": (L0 + L1 * G) / L1**2 * PHI(L1 * S)},
        lab={"model": (L0 + L1 * G) / L1**2 * PHI(L1 * S)},
        result=(L0 + L1 * G) / L1**2 * PHI(L1 * S),
        target=(L0 + L1 * G) / L1**2 * PHI(L1 * S),
        conclusion=(
            "Integrating the lab's Grönwall bound twice gives exactly the recalled upper model; "
            "it needs Definition 1 on the segment [x, y] only."
        ),
        symbols=(L0, L1, G, S),
    )


def vankov_steps() -> Derivation:
    """Per-step decrease and nonconvex count of eta*, eta_si, eta_cl (Vankov et al.)."""
    a, b = L0, L1 * G
    t_si = 2 * b / (2 * a + 3 * b)  # L1 eta_si g
    d = sp.diff(model_decrease(H), H)
    steps = (
        Step(
            "eta* is a critical point of the model decrease: D'(eta*) = 0",
            d.subs(H, ETA_STAR),
            "==",
            sp.Integer(0),
            "D'(h) = g^2 - (L0 + L1 g) g (e^{L1 h g} - 1)/L1, and e^{L1 eta* g} = "
            "1 + L1 g/(L0 + L1 g).",
        ),
        Step(
            "D is concave: -D''(h) = (L0 + L1 g) g^2 e^{L1 h g} >= 0",
            -sp.diff(model_decrease(H), H, 2),
            ">=",
            sp.Integer(0),
            "So eta* maximizes D, and D(lambda h) >= lambda D(h) for 0 <= lambda <= 1 (D(0) = 0).",
        ),
        Step(
            "D(eta*) = ((L0 + 2 L1 g) ln(1 + u) - L1 g)/L1^2 with u = L1 g/(L0 + L1 g)",
            model_decrease(ETA_STAR),
            "==",
            ((a + 2 * b) * sp.log(1 + b / (a + b)) - b) / L1**2,
            "Substitute e^{L1 eta* g} = 1 + u.",
        ),
        Step(
            "ln(1 + u) >= 2u/(2 + u) for u > 0",
            sp.log(1 + _u),
            ">=",
            2 * _u / (2 + _u),
            "Both vanish at 0; derivatives 1/(1+u) >= 4/(2+u)^2 since (2+u)^2 >= 4(1+u).",
        ),
        Step(
            "eta*: (L0 + 2 L1 g) 2u/(2+u) - L1 g = L1^2 g^2/(2 L0 + 3 L1 g): D(eta*) >= "
            "g^2/(2 L0 + 3 L1 g)",
            ((a + 2 * b) * 2 * (b / (a + b)) / (2 + b / (a + b)) - b) / L1**2,
            "==",
            _RATE,
            "The previous two steps.",
        ),
        _phi_series_bound(),
        Step(
            "eta_si: L1 eta_si g = 2b/(2a + 3b) < 2/3, and with the series bound L1^2 D(eta_si) "
            ">= 2b^2 (a + 4b/3)/((2a + 3b)(2a + 7b/3))  (a = L0, b = L1 g)",
            t_si * b - (a + b) * t_si**2 / (2 * (1 - t_si / 3)),
            "==",
            2 * b**2 * (a + 4 * b / 3) / ((2 * a + 3 * b) * (2 * a + 7 * b / 3)),
            "eta_si g^2 = t b/L1^2 with t = L1 eta_si g; phi(t) <= t^2/(2(1 - t/3)).",
        ),
        Step(
            "... >= b^2/(2a + 3b): D(eta_si) >= g^2/(2 L0 + 3 L1 g)",
            2 * b**2 * (a + 4 * b / 3) / ((2 * a + 3 * b) * (2 * a + 7 * b / 3)),
            ">=",
            b**2 / (2 * a + 3 * b),
            "2(a + 4b/3) >= 2a + 7b/3.",
        ),
        Step(
            "eta_cl, case 2 L0 >= 3 L1 g (h = 1/(2 L0), b = 2a/(3(1+v))): L1^2 D >= "
            "b^2 (9a - 5b)/(4a(6a - b)) >= (3/4) b^2/(2a + 3b)",
            b**2 * (9 * a - 5 * b) / (4 * a * (6 * a - b)),
            ">=",
            sp.Rational(3, 4) * b**2 / (2 * a + 3 * b),
            "t = b/(2a) <= 1/3 in the series bound; the difference has the sign of 4a - 3b.",
            where={G: 2 * L0 / (3 * L1 * (1 + _v))},
        ),
        Step(
            "eta_cl, case 3 L1 g >= 2 L0 (h = 1/(3 L1 g), a = 3b/(2(1+v))): L1^2 D >= "
            "b/3 - (a + b)/16 >= (3/4) b^2/(2a + 3b)",
            b / 3 - (a + b) / 16,
            ">=",
            sp.Rational(3, 4) * b**2 / (2 * a + 3 * b),
            "t = 1/3: phi(1/3) <= 1/16 by the series bound.",
            where={L0: 3 * L1 * G / (2 * (1 + _v))},
        ),
        Step(
            "g^2/(2 L0 + 3 L1 g) increases with g: steps with g > eps decrease f by at least "
            "a eps^2/(2 L0 + 3 L1 eps)",
            sp.diff(_RATE, G),
            ">=",
            sp.Integer(0),
            "Derivative g (4 L0 + 3 L1 g)/(2 L0 + 3 L1 g)^2.",
        ),
        Step(
            "Count: T_eps <= Delta (2 L0 + 3 L1 eps)/(a eps^2) = 2 L0 Delta/(a eps^2) + "
            "3 L1 Delta/(a eps)",
            unevaluated_div(DELTA * (2 * L0 + 3 * L1 * EPS), sp.Symbol("a") * EPS**2),
            "==",
            2 * L0 * DELTA / (sp.Symbol("a") * EPS**2) + 3 * L1 * DELTA / (sp.Symbol("a") * EPS),
            "The T_eps steps before the first eps-stationary iterate lower f by at most Delta.",
        ),
        Step(
            "Longest step of eta*: eta* g = ln(1 + L1 g/(L0 + L1 g))/L1 increases with g "
            "(so it is at most its value at g = M, and below ln 2/L1)",
            sp.diff(ETA_STAR * G, G),
            ">=",
            sp.Integer(0),
            "The iterates stay in S0 (f decreases), where g <= M.",
        ),
        Step(
            "Longest step of eta_si: g/(L0 + 1.5 L1 g) increases with g (at most its value "
            "at M, below 2/(3 L1)); eta_cl g = min{g/(2 L0), 1/(3 L1)}",
            sp.diff(ETA_SI * G, G),
            ">=",
            sp.Integer(0),
            "As above.",
        ),
    )
    return Derivation(
        name="vankov_steps",
        title="Vankov et al.: decrease of eta*, eta_si, eta_cl and the nonconvex count",
        theorem="Vankov et al., ICLR 2025 (arXiv 2410.10800 v3), nonconvex GD bound",
        steps=steps,
        recalled={"a(eta*)": sp.Integer(1), "a(eta_si)": sp.Integer(1), "a(eta_cl)": sp.S.Half},
        lab={"a(eta*)": sp.Integer(1), "a(eta_si)": sp.Integer(1), "a(eta_cl)": sp.Rational(3, 4)},
        conclusion=(
            "The model gives D >= a g^2/(2 L0 + 3 L1 g) with a = 1 for eta* and eta_si "
            "(reproduced; tight as L1 g/L0 -> 0) and, directly, a = 3/4 for eta_cl, which "
            "implies the recalled a = 1/2 (concavity alone gives 1/2, since eta_cl >= eta_si/2). "
            "Lab count for eta_cl: (8/3) L0 Delta/eps^2 + 4 L1 Delta/eps. Assumption 3 is "
            "needed on S0 enlarged by the longest step: ln(1 + L1 M/(L0 + L1 M))/L1 (eta*), "
            "M/(L0 + 1.5 L1 M) (eta_si), min{M/(2 L0), 1/(3 L1)} (eta_cl)."
        ),
        symbols=(L0, L1, G, DELTA, EPS),
    )


def _half_rate_step() -> Step:
    return Step(
        "Any step h <= eta_si decreases f by at least (h/eta_si) D(eta_si) >= h g^2/2",
        (H / ETA_SI) * _RATE,
        "==",
        H * G**2 / 2,
        "Concavity of D with D(0) = 0, and D(eta_si) >= g^2/(2 L0 + 3 L1 g) (vankov_steps).",
    )


def smoothed_clip_count() -> Derivation:
    """Smoothed clipping h = eta/(L0 + L1 g) (Gorbunov et al.): the lab's nonconvex count."""
    a, b = L0, L1 * G
    t = ETA * b / (a + b)  # L1 h g < eta
    rate = ETA * (6 - 5 * ETA) / (6 - 2 * ETA)
    steps = (
        _phi_series_bound(),
        Step(
            "L1^2 D(h) >= eta b^2/(a + b) (1 - eta/(2(1 - eta/3))) for eta < 6/5 "
            "(t = L1 h g = eta b/(a + b) < eta, and 1/(1 - t/3) <= 1/(1 - eta/3))",
            t * b - (a + b) * t**2 / (2 * (1 - ETA / 3)),
            "==",
            rate * b**2 / (a + b),
            "h g^2 = t b/L1^2; series bound with t <= eta.",
        ),
        Step(
            "g^2/(L0 + L1 g) increases with g",
            sp.diff(G**2 / (L0 + L1 * G), G),
            ">=",
            sp.Integer(0),
            "Derivative g (2 L0 + L1 g)/(L0 + L1 g)^2.",
        ),
        Step(
            "Count: T_eps <= (6 - 2 eta)(L0 Delta/eps^2 + L1 Delta/eps)/(eta (6 - 5 eta))",
            unevaluated_div(DELTA, rate * EPS**2 / (L0 + L1 * EPS)),
            "==",
            (6 - 2 * ETA) * (L0 * DELTA / EPS**2 + L1 * DELTA / EPS) / (ETA * (6 - 5 * ETA)),
            "Steps with g > eps lower f by at least eta (6-5 eta)/(6-2 eta) eps^2/(L0 + L1 eps).",
        ),
    )
    return Derivation(
        name="smoothed_clip_count",
        title="Smoothed clipping h = eta/(L0 + L1 g): nonconvex count",
        theorem="Gorbunov et al., ICLR 2025 (arXiv 2409.14989 v2), step rule",
        steps=steps,
        recalled={},
        lab={"constant(eta)": (6 - 2 * ETA) / (ETA * (6 - 5 * ETA))},
        result=(6 - 2 * ETA) / (ETA * (6 - 5 * ETA)) * (L0 * DELTA / EPS**2 + L1 * DELTA / EPS),
        conclusion=(
            "The recalled result is convex (O(L0 R^2/eps + L1^2 R^2), constants not available); "
            "the lab derives a nonconvex count for the same step, T_eps <= C(eta)(L0 Delta/eps^2 "
            "+ L1 Delta/eps), C(eta) = (6 - 2 eta)/(eta(6 - 5 eta)) (C = 4.18 at eta = nu/2 = "
            "0.2836). The step is at most eta/L1: Assumption 3 on S0 enlarged by "
            "min{eta/L1, eta M/L0}."
        ),
        symbols=(L0, L1, G, ETA, DELTA, EPS),
    )


def koloskova_count() -> Derivation:
    """x - eta clip_c(g) with eta = min{1/(2 L0), 1/(3 L1 c)}: the lab's count (any c)."""
    eta = sp.Symbol("eta_k", positive=True)
    steps = (
        Step(
            "Unclipped (g <= c, h = eta): eta <= 1/(3 L1 c) <= 1/(3 L1 g), and eta <= 1/(2 L0): "
            "h <= eta_cl <= eta_si",
            1 / (3 * L1 * G),
            ">=",
            1 / (3 * L1 * C),
            "eta = min{1/(2 L0), 1/(3 L1 c)}; g = c/(1 + v).",
            where={G: C / (1 + _v)},
        ),
        Step(
            "Clipped (g > c, h = eta c/g): h <= (c/g)/(3 L1 c) = 1/(3 L1 g), and h < eta <= "
            "1/(2 L0): h <= eta_cl",
            1 / (3 * L1 * G),
            ">=",
            (C / G) / (3 * L1 * C),
            "As above.",
        ),
        _half_rate_step(),
        Step(
            "Decrease >= min{eta g^2, eta c g}/2 >= eta min{eps^2, c eps}/2 for g > eps: "
            "T_eps <= (2 Delta/eta) max{1/eps^2, 1/(c eps)} with 2/eta = max{4 L0, 6 L1 c}",
            unevaluated_div(DELTA, eta * EPS**2 / 2),
            "==",
            2 * DELTA / (eta * EPS**2),
            "h g^2 = min{eta g^2, eta c g}, increasing in g.",
        ),
        Step(
            "At c = 2 L0/(3 L1) both maxima balance: "
            "T_eps <= max{4 L0 Delta/eps^2, 6 L1 Delta/eps}",
            (4 * L0) * (3 * L1 / (2 * L0)),
            "==",
            6 * L1,
            "max{4 L0, 6 L1 c} = 4 L0 and 4 L0/(c eps) = 6 L1/eps.",
        ),
    )
    return Derivation(
        name="koloskova_count",
        title="Koloskova et al.: x - eta clip_c(g), nonconvex count for any threshold c",
        theorem="Koloskova, Hendrikx, Stich, ICML 2023 (arXiv 2305.01588), deterministic rate",
        steps=steps,
        recalled={"order": L0 * DELTA / EPS**2 + L1 * DELTA / EPS},
        lab={"count": DELTA * sp.Max(4 * L0, 6 * L1 * C) * sp.Max(1 / EPS**2, 1 / (C * EPS))},
        result=DELTA * sp.Max(4 * L0, 6 * L1 * C) * sp.Max(1 / EPS**2, 1 / (C * EPS)),
        conclusion=(
            "With eta = min{1/(2 L0), 1/(3 L1 c)} the lab gets T_eps <= Delta max{4 L0, 6 L1 c} "
            "max{1/eps^2, 1/(c eps)}, of the recalled order O(L0 Delta/eps^2 + L1 Delta/eps) "
            "for c of order L0/L1 (exact constants not available to compare). For c >> L0/L1 "
            "the step must shrink like 1/(L1 c) in this argument, which costs a factor L1 c/L0. "
            "The step is at most eta c <= 1/(3 L1): Assumption 3 on S0 enlarged by that."
        ),
        symbols=(L0, L1, G, C, DELTA, EPS),
    )


def beta_ngd_count() -> Derivation:
    """1-normalized GD h = gamma/g with gamma = min{eps/(2 L0), 1/(2 L1)} (Chen et al.)."""
    steps = (
        _phi_series_bound(),
        Step(
            "With L1 gamma <= 1/2: phi(L1 gamma)/L1^2 <= gamma^2/(2(1 - 1/6)) = (3/5) gamma^2",
            GAMMA**2 / (2 * (1 - sp.Rational(1, 6))),
            "==",
            sp.Rational(3, 5) * GAMMA**2,
            "Series bound, t = L1 gamma <= 1/2.",
        ),
        Step(
            "D = gamma g - (L0 + L1 g) phi(L1 gamma)/L1^2 >= gamma g - (3/5) gamma (eps/2 + g/2) "
            ">= (2/5) gamma g for g > eps (L0 gamma <= eps/2, L1 gamma <= 1/2)",
            GAMMA * G - sp.Rational(3, 5) * GAMMA * (EPS / 2 + G / 2),
            ">=",
            sp.Rational(2, 5) * GAMMA * G,
            "g = eps + w, w > 0.",
            where={G: EPS + _w},
        ),
        Step(
            "Count, gamma = eps/(2 L0): T_eps <= Delta/((2/5) gamma eps) = 5 L0 Delta/eps^2",
            unevaluated_div(DELTA, sp.Rational(2, 5) * (EPS / (2 * L0)) * EPS),
            "==",
            5 * L0 * DELTA / EPS**2,
            "Each of the T_eps steps lowers f by more than (2/5) gamma eps.",
        ),
        Step(
            "Count, gamma = 1/(2 L1): T_eps <= 5 L1 Delta/eps; so T_eps <= 5 Delta max{L0/eps^2, "
            "L1/eps}",
            unevaluated_div(DELTA, sp.Rational(2, 5) * (1 / (2 * L1)) * EPS),
            "==",
            5 * L1 * DELTA / EPS,
            "1/gamma = max{2 L0/eps, 2 L1}.",
        ),
    )
    return Derivation(
        name="beta_ngd_count",
        title="Chen et al.: normalized GD h = gamma/g^beta at beta = 1, nonconvex count",
        theorem="Chen, Zhou, Liang, Lu, ICML 2023, beta-normalized GD",
        steps=steps,
        recalled={},
        lab={"count": 5 * DELTA * sp.Max(L0 / EPS**2, L1 / EPS)},
        result=5 * DELTA * sp.Max(L0 / EPS**2, L1 / EPS),
        conclusion=(
            "For (L0, L1)-smooth f (alpha = 1 in the generalized-smoothness family) the lab "
            "takes beta = 1, gamma = min{eps/(2 L0), 1/(2 L1)}: T_eps <= 5 Delta max{L0/eps^2, "
            "L1/eps}. Constants of the paper not available. Every step has length gamma <= "
            "1/(2 L1): Assumption 3 on S0 enlarged by gamma."
        ),
        symbols=(L0, L1, G, GAMMA, DELTA, EPS),
    )


def armijo_count() -> Derivation:
    """Armijo backtracking: every t <= (1 - c)/(L0 + L1 g) is accepted; the count."""
    a, b = L0, L1 * G
    sig = sp.Symbol("sigma", positive=True)  # sigma = L1 t g
    cc = 1 / (1 + _w)  # c in (0, 1)
    s_acc = (1 - cc) * b / ((a + b) * (1 + _v))  # sigma at t = (1 - c)/((L0 + L1 g)(1 + v))
    steps = (
        _phi_series_bound(),
        Step(
            "Model term over t g^2: (L0 + L1 g) phi(sigma)/(L1^2 t g^2) <= (L0 + L1 g) sigma/"
            "(2 L1 g (1 - sigma/3)), sigma = L1 t g",
            (a + b) * sig**2 / (2 * L1**2 * (1 - sig / 3)) / ((sig / (L1 * G)) * G**2),
            "==",
            (a + b) * sig / (2 * b * (1 - sig / 3)),
            "Series bound; t = sigma/(L1 g).",
        ),
        Step(
            "Sufficient decrease holds for t = (1 - c)/((L0 + L1 g)(1 + v)) (sigma <= 1 - c): "
            "1 - (model term over t g^2) >= c",
            1 - (a + b) * s_acc / (2 * b * (1 - s_acc / 3)),
            ">=",
            cc,
            "f(x - t g) <= f(x) - t g^2 (1 - model term over t g^2); c = 1/(1 + w).",
        ),
        Step(
            "So the accepted t >= min{t0, shrink (1 - c)/(L0 + L1 g)}, and the decrease "
            "c t g^2 >= min{c t0 eps^2, shrink c (1 - c) eps^2/(L0 + L1 eps)} for g > eps",
            unevaluated_div(DELTA, SHRINK * C * (1 - C) * EPS**2 / (L0 + L1 * EPS)),
            "==",
            (L0 * DELTA / EPS**2 + L1 * DELTA / EPS) / (SHRINK * C * (1 - C)),
            "The first rejected trial exceeds (1 - c)/(L0 + L1 g); g^2/(L0 + L1 g) increases.",
        ),
        Step(
            "With t0 >= shrink (1 - c)/(L0 + L1 eps) the t0 term never binds; the lab's count "
            "is below the recalled (4 L0 Delta + 14 L1^2 Delta^2)/(shrink c (1-c) eps^2) when "
            "L1 Delta/eps >= 1/14 (here L1 Delta = eps (1/14 + w))",
            (4 * L0 * DELTA + 14 * L1**2 * DELTA**2) / EPS**2,
            ">=",
            L0 * DELTA / EPS**2 + L1 * DELTA / EPS,
            "Compare term by term: 4 >= 1, and 14 (L1 Delta/eps)^2 >= L1 Delta/eps.",
            where={DELTA: EPS * (sp.Rational(1, 14) + _w) / L1},
        ),
    )
    return Derivation(
        name="armijo_count",
        title="Hübler et al.: Armijo backtracking, nonconvex count",
        theorem="Hübler, Yang, Li, He, AISTATS 2024 (arXiv 2311.03252), deterministic Armijo",
        steps=steps,
        recalled={"bound": (4 * L0 * DELTA + 14 * L1**2 * DELTA**2) / EPS**2},
        lab={"bound": L0 * DELTA / EPS**2 + L1 * DELTA / EPS},
        result=L0 * DELTA / EPS**2 + L1 * DELTA / EPS,
        target=(4 * L0 * DELTA + 14 * L1**2 * DELTA**2) / EPS**2,
        conclusion=(
            "The lab gets T_eps <= (L0 Delta/eps^2 + L1 Delta/eps)/(shrink c (1 - c)) once "
            "t0 >= shrink (1 - c)/(L0 + L1 eps) (else a term Delta/(c t0 eps^2)); it implies "
            "the recalled (4 L0 Delta + 14 L1^2 Delta^2)/(shrink c (1-c) eps^2) for T_eps when "
            "L1 Delta/eps >= 1/14 or L1 eps <= 3 L0. The recalled result bounds the average of "
            "||grad f||^2, a stronger statement not re-derived here. Trial points may leave "
            "S0 (they are evaluated, not accepted); accepted steps stay in S0, and the "
            "argument needs Assumption 3 on S0 enlarged by t0 M."
        ),
        symbols=(L0, L1, G, C, SHRINK, DELTA, EPS),
    )


def effective_l_count() -> Derivation:
    """Constant-step GD with L = L0 + 2 L1 M (Li et al.): the step keeps ||grad f|| <= 2M."""
    q = L1 * M / (L0 + L1 * M)
    big_l = L0 + 2 * L1 * M
    steps = (
        Step(
            "A step h g <= M/(L0 + 2 L1 M) has L1 h g <= q/(1 + q), q = L1 M/(L0 + L1 M)",
            L1 * M / big_l,
            "==",
            q / (1 + q),
            "h = 1/L, g <= M on S0 (f decreases along the iterates).",
        ),
        Step(
            "ln(1 + q) >= q/(1 + q)",
            sp.log(1 + _u),
            ">=",
            _u / (1 + _u),
            "Both vanish at 0; derivatives 1/(1+u) >= 1/(1+u)^2.",
        ),
        Step(
            "Growth bound on the segment: (M + L0/L1)(1 + q) - L0/L1 = 2M, so ||grad f|| <= 2M "
            "and ||hess f|| <= L0 + 2 L1 M = L there",
            (M + L0 / L1) * (1 + q) - L0 / L1,
            "==",
            2 * M,
            "e^{L1 s} <= 1 + q by the previous steps (growth lemma).",
        ),
        Step(
            "h = 1/L: decrease h g^2 - L h^2 g^2/2 = g^2/(2L); "
            "T_eps <= 2 (L0 + 2 L1 M) Delta/eps^2",
            unevaluated_div(DELTA, EPS**2 / (2 * big_l)),
            "==",
            2 * big_l * DELTA / EPS**2,
            "L-smooth descent lemma on the segment.",
        ),
        Step(
            "At most Theorem 6's 4 (M L1 + L0) Delta/eps^2 (equal when L0 = 0)",
            4 * (M * L1 + L0) * DELTA / EPS**2,
            ">=",
            2 * big_l * DELTA / EPS**2,
            "4 L0 >= 2 L0; Li's step 1/(L0 + 2 L1 M) is Theorem 6's 1/(2(L0 + L1 M)) at L0 = 0.",
        ),
    )
    return Derivation(
        name="effective_l_count",
        title="Li et al.: constant-step GD with the effective L = l(2M) = L0 + 2 L1 M",
        theorem="Li, Qian, Tian, Rakhlin, Jadbabaie, NeurIPS 2023 (arXiv 2306.01264)",
        steps=steps,
        recalled={"constant": sp.Integer(2)},
        lab={"constant": sp.Integer(2)},
        result=2 * (L0 + 2 * L1 * M) * DELTA / EPS**2,
        target=2 * (L0 + 2 * L1 * M) * DELTA / EPS**2,
        conclusion=(
            "GD with h = 1/(L0 + 2 L1 M) keeps ||grad f|| <= 2M along each step, so the classical "
            "count 2 L Delta/eps^2 holds with L = L0 + 2 L1 M (reproduced). It is at most "
            "Theorem 6's bound and meets it at L0 = 0. Assumption 3 on S0 enlarged by "
            "M/(L0 + 2 L1 M) <= 1/(2 L1)."
        ),
        symbols=(L0, L1, M, DELTA, EPS),
    )


def _vankov_count(theorem) -> Derivation:
    """:func:`vankov_steps` concluding one rule's count, compared with that result's ``expr``."""
    steps = build_vankov_steps()
    return dataclasses.replace(
        steps,
        name=f"{theorem.key}_count",
        title=f"{steps.title}: the count for {theorem.method}",
        result=(2 * L0 * DELTA / EPS**2 + 3 * L1 * DELTA / EPS) / sp.nsimplify(theorem.a_lab),
        target=theorem.expr,
    )


def vankov_eta_star_count() -> Derivation:
    """Vankov et al.'s count for eta* (lab a = 1) against the recalled a = 1."""
    from ..theorems.vankov import VANKOV_ETA_STAR

    return _vankov_count(VANKOV_ETA_STAR)


def vankov_eta_si_count() -> Derivation:
    """Vankov et al.'s count for eta_si (lab a = 1) against the recalled a = 1."""
    from ..theorems.vankov import VANKOV_ETA_SI

    return _vankov_count(VANKOV_ETA_SI)


def vankov_eta_cl_count() -> Derivation:
    """Vankov et al.'s count for eta_cl (lab a = 3/4) against the recalled a = 1/2."""
    from ..theorems.vankov import VANKOV_ETA_CL

    return _vankov_count(VANKOV_ETA_CL)


@functools.cache
def build_vankov_steps() -> Derivation:
    """:func:`vankov_steps`, built and checked once per process."""
    return vankov_steps()
