"""The clipped-GD / normalized-GD equivalence and the NGD count it gives (lab).

Under ``gamma eta_c = eta_n`` and ``eta_c = eta_n / beta`` (so ``beta = gamma``) the
normalized step ``h_n = eta_n/(||g|| + beta)`` and the clipped step
``h_c = min{eta_c, gamma eta_c/||g||}`` satisfy ``h_n <= h_c <= 2 h_n`` (printed,
Zhang et al., arXiv 1905.11881 v2, Section 3; v2 has no separate NGD theorem). Redoing
Theorem 3's two regimes with ``h_n`` doubles both constants: the lab's NGD count is
``40 L0 Delta/eps^2 + 40 max{1, L1^2} Delta/L0``.
"""

from __future__ import annotations

import sympy as sp

from ..theorems._symbols import DELTA, EPS, ETA_C, GAMMA, L0, L1, G
from ._core import Derivation, Step, unevaluated_div

__all__ = ["ngd_sandwich"]


def ngd_sandwich() -> Derivation:
    """The sandwich ``h_n <= h_c <= 2 h_n`` (both regimes) and the lab's NGD constants.

    Returns
    -------
    Derivation
        ``constant_reproduced = "not_applicable"``: v2 prints no NGD bound.
    """
    d = sp.Symbol("d", positive=True)
    h_n = GAMMA * ETA_C / (G + GAMMA)  # eta_n = gamma eta_c, beta = gamma
    unclipped = {GAMMA: G + d}  # ||g|| <= gamma: h_c = eta_c
    clipped = {G: GAMMA + d}  # ||g|| >= gamma: h_c = gamma eta_c/||g||
    eta_c = 1 / (10 * L0)
    steps = (
        Step(
            "Equivalence: eta_n = gamma eta_c and beta = eta_n/eta_c = gamma give "
            "h_n = gamma eta_c/(||g|| + gamma)",
            (GAMMA * ETA_C) / (G + (GAMMA * ETA_C) / ETA_C),
            "==",
            h_n,
            "Substitute into h_n = eta_n/(||g|| + beta).",
        ),
        Step(
            "||g|| <= gamma (gamma = ||g|| + d): h_n <= h_c = eta_c",
            ETA_C,
            ">=",
            h_n,
            "gamma/(||g|| + gamma) <= 1.",
            where=unclipped,
        ),
        Step(
            "||g|| <= gamma: h_c = eta_c <= 2 h_n",
            2 * h_n,
            ">=",
            ETA_C,
            "2 gamma >= ||g|| + gamma.",
            where=unclipped,
        ),
        Step(
            "||g|| >= gamma (||g|| = gamma + d): h_n <= h_c = gamma eta_c/||g||",
            GAMMA * ETA_C / G,
            ">=",
            h_n,
            "||g|| + gamma >= ||g||.",
            where=clipped,
        ),
        Step(
            "||g|| >= gamma: h_c = gamma eta_c/||g|| <= 2 h_n",
            2 * h_n,
            ">=",
            GAMMA * ETA_C / G,
            "||g|| + gamma <= 2 ||g||.",
            where=clipped,
        ),
        Step(
            "NGD, unclipped regime (L0 = L1||g|| + d'): h_n >= eta_c/2 and 1 - h_n K/2 >= 11/20, "
            "so the decrease is >= (eta_c/2)(11/20)||g||^2 = 11||g||^2/(400 L0) >= ||g||^2/(40 L0)",
            eta_c / 2 * sp.Rational(11, 20),
            ">=",
            1 / (40 * L0),
            "h_n <= h_c, so Theorem 3's bound h_c K/2 <= 9/20 applies to h_n.",
        ),
        Step(
            "NGD, clipped regime: decrease >= 0.55 h_n ||g||^2 >= 0.55 gamma eta_c ||g||/2 "
            ">= (11/40) gamma^2 eta_c",
            sp.Rational(11, 20) * h_n * G**2,
            ">=",
            sp.Rational(11, 40) * GAMMA**2 * ETA_C,
            "||g|| + gamma <= 2||g|| and ||g|| >= gamma.",
            where=clipped,
        ),
        Step(
            "Half of Theorem 3's clipped decrease: (11/40) gamma^2 eta_c >= L0/(40 max{1, L1^2})",
            sp.Rational(11, 40) * GAMMA**2 * ETA_C,
            "==",
            sp.Rational(1, 2) * sp.Rational(11, 20) * GAMMA**2 * ETA_C,
            "Theorem 3's case analysis gives 0.55 gamma^2 eta_c >= L0/(20 max{1, L1^2}).",
        ),
        Step(
            "NGD count: Delta/(eps^2/(40 L0)) + Delta/(L0/(40 max{1, L1^2}))",
            sp.Add(
                unevaluated_div(DELTA, EPS**2 / (40 * L0)),
                unevaluated_div(DELTA, L0 / (40 * sp.Max(1, L1**2))),
                evaluate=False,
            ),
            "==",
            40 * L0 * DELTA / EPS**2 + 40 * sp.Max(1, L1**2) * DELTA / L0,
            "The total decrease is at most Delta.",
        ),
    )
    return Derivation(
        name="ngd_sandwich",
        title="Clipped GD and normalized GD: h_n <= h_c <= 2 h_n and the NGD count",
        theorem="Equivalence of clipped and normalized GD (v2, Section 3)",
        steps=steps,
        recalled={},
        lab={"eps term": sp.Integer(40), "L1 term": sp.Integer(40)},
        result=40 * L0 * DELTA / EPS**2 + 40 * sp.Max(1, L1**2) * DELTA / L0,
        conclusion=(
            "The sandwich h_n <= h_c <= 2 h_n holds in both regimes (printed statement "
            "confirmed). v2 prints no NGD bound; the lab's count for NGD with eta = gamma eta_c, "
            "beta = gamma is 40 L0 Delta/eps^2 + 40 max{1, L1^2} Delta/L0 (twice Theorem 3's)."
        ),
        symbols=(G, GAMMA, ETA_C, L0, L1, DELTA, EPS),
    )
