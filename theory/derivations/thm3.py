"""Derivations 2-4 of docs/paper.md: Theorem 3's constants (clipped GD), v2 numbering.

Clipped GD with ``eta_c = 1/(10 L0)`` and ``gamma = min{10 L0, L0/L1}``. A step moves at
most ``gamma eta_c = min{1, 1/(10 L1)}``, so the growth lemma applies along it, and

* descent: ``f(x) - f(x+) >= h ||g||^2 (1 - h K / 2)`` with ``K = 5 L0 + 4 L1 ||g||``;
* unclipped (``||g|| <= gamma``): decrease ``>= 11/(200 L0) ||g||^2 >= ||g||^2/(20 L0)``;
* clipped (``||g|| > gamma``): ``h K / 2 <= 0.45``, decrease
  ``>= 0.55 gamma^2 eta_c >= L0/(20 max{1, L1^2})``;

hence ``T_eps <= 20 L0 Delta/eps^2 + 20 max{1, L1^2} Delta/L0`` (Zhang et al.,
arXiv 1905.11881 v2, Theorem 3; the constants 20 and 20 are tagged *recalled* in docs/paper.md).
"""

from __future__ import annotations

import sympy as sp

from ..theorems._symbols import DELTA, EPS, ETA_C, GAMMA, L0, L1, G, H
from ._core import Derivation, Step, unevaluated_div

__all__ = ["descent_inequality", "theorem3_constants"]

_K = 5 * L0 + 4 * L1 * G


def descent_inequality() -> Derivation:
    """Derivation 2: the descent inequality for one step of length <= min{1, 1/L1}.

    Returns
    -------
    Derivation
        ``f(x) - f(x - h g) >= h ||g||^2 - (h^2/2)(5 L0 + 4 L1 ||g||) ||g||^2``.
    """
    t = sp.Symbol("t", positive=True)
    dec = H * G**2 - H**2 / 2 * _K * G**2
    steps = (
        Step(
            "Taylor with integral remainder: the Hessian term has weight int_0^1 (1 - t) dt",
            sp.integrate(1 - t, (t, 0, 1)),
            "==",
            sp.Rational(1, 2),
            "f(x - h g) = f(x) - h ||g||^2 + h^2 int_0^1 (1-t) g' hess f(x - t h g) g dt, and "
            "||hess f|| <= K = 5 L0 + 4 L1 ||g|| on the segment (growth lemma).",
        ),
        Step(
            "Guaranteed decrease D(h) = h ||g||^2 (1 - h K / 2)",
            dec,
            "==",
            H * G**2 * (1 - H * _K / 2),
            "Collect h ||g||^2.",
        ),
    )
    return Derivation(
        name="descent_inequality",
        title="Descent inequality for a step of length <= min{1, 1/L1}",
        theorem="Theorem 3 (proof, v2)",
        steps=steps,
        recalled={},
        lab={},
        conclusion="f(x+) <= f(x) - h ||g||^2 + (h^2/2)(5 L0 + 4 L1 ||g||) ||g||^2.",
        symbols=(H, G, L0, L1),
    )


def theorem3_constants() -> Derivation:
    """Derivations 3-4: the two constants of Theorem 3 (v2), by regime.

    Returns
    -------
    Derivation
        Ends with the lab's constants ``(20, 20)`` compared with the recalled ``(20, 20)``.
    """
    d, v = sp.symbols("d v", positive=True)
    r10 = sp.Rational(1, 10)
    eta_c = {ETA_C: 1 / (10 * L0)}
    # case A: L1 <= 1/10 (gamma = 10 L0); B: L1 >= 1/10 (gamma = L0/L1), split at L1 = 1
    case_a = {**eta_c, GAMMA: 10 * L0, L1: 1 / (10 + v)}
    case_b = {**eta_c, GAMMA: L0 / L1, L1: r10 + v}
    case_b1 = {**eta_c, GAMMA: L0 / L1, L1: (1 + 10 * v) / (10 * (1 + v))}
    case_b2 = {**eta_c, GAMMA: L0 / L1, L1: 1 + v}
    in_a, in_b = L1 <= r10, L1 >= r10
    in_b1, in_b2 = sp.And(L1 >= r10, L1 <= 1), L1 >= 1
    unclipped = {**eta_c, L0: L1 * G + d}
    clipped = {G: GAMMA + d}
    steps = (
        Step(
            "Case L1 <= 1/10 (gamma = 10 L0): the step length gamma eta_c = 1 is <= 1/L1",
            1 / L1,
            ">=",
            GAMMA * ETA_C,
            "A step moves at most gamma eta_c, so it stays in S (radius 1) and within 1/L1.",
            where=case_a,
            case=in_a,
        ),
        Step(
            "Case L1 >= 1/10 (gamma = L0/L1): the step length gamma eta_c = 1/(10 L1) is <= 1",
            sp.Integer(1),
            ">=",
            GAMMA * ETA_C,
            "As above; and 1/(10 L1) <= 1/L1.",
            where=case_b,
            case=in_b,
        ),
        Step(
            "Unclipped (||g|| <= gamma <= L0/L1, i.e. L0 = L1 ||g|| + d): K <= 9 L0",
            9 * L0,
            ">=",
            _K,
            "4 L1 ||g|| <= 4 L0.",
            where=unclipped,
        ),
        Step(
            "Unclipped, h = eta_c = 1/(10 L0): 1 - h K/2 >= 11/20",
            1 - ETA_C * _K / 2,
            ">=",
            sp.Rational(11, 20),
            "h K/2 <= 9 L0/(20 L0) = 9/20.",
            where=unclipped,
        ),
        Step(
            "Unclipped decrease coefficient: eta_c * 11/20 = 11/(200 L0)",
            ETA_C * sp.Rational(11, 20),
            "==",
            sp.Rational(11, 200) / L0,
            "D(eta_c) >= (11/(200 L0)) ||g||^2.",
            where=eta_c,
        ),
        Step(
            "11/(200 L0) >= 1/(20 L0)",
            sp.Rational(11, 200) / L0,
            ">=",
            1 / (20 * L0),
            "Round down to the paper's constant.",
        ),
        Step(
            "Unclipped steps with ||g|| > eps: at most Delta/(eps^2/(20 L0)) = 20 L0 Delta/eps^2",
            unevaluated_div(DELTA, EPS**2 / (20 * L0)),
            "==",
            20 * L0 * DELTA / EPS**2,
            "The total decrease is at most Delta = f(x0) - f*.",
        ),
        Step(
            "Clipped (||g|| = gamma + d > gamma, h = gamma eta_c/||g||): "
            "h K/2 <= (5 L0 eta_c + 4 L1 gamma eta_c)/2",
            (5 * L0 * ETA_C + 4 * L1 * GAMMA * ETA_C) / 2,
            ">=",
            GAMMA * ETA_C / G * _K / 2,
            "5 L0/||g|| <= 5 L0/gamma.",
            where=clipped,
        ),
        Step(
            "5 L0 eta_c = 1/2",
            5 * L0 * ETA_C,
            "==",
            sp.Rational(1, 2),
            "eta_c = 1/(10 L0).",
            where=eta_c,
        ),
        Step(
            "Case L1 <= 1/10: L1 gamma eta_c = L1 <= 1/10",
            r10,
            ">=",
            L1 * GAMMA * ETA_C,
            "gamma eta_c = 1.",
            where=case_a,
            case=in_a,
        ),
        Step(
            "Case L1 >= 1/10: L1 gamma eta_c = 1/10",
            L1 * GAMMA * ETA_C,
            "==",
            r10,
            "gamma eta_c = 1/(10 L1).",
            where=case_b,
            case=in_b,
        ),
        Step(
            "Hence h K/2 <= (1/2 + 4/10)/2 = 0.45",
            sp.Mul(
                sp.Add(sp.Rational(1, 2), 4 * r10, evaluate=False),
                sp.Rational(1, 2),
                evaluate=False,
            ),
            "==",
            sp.Rational(9, 20),
            "Both cases.",
        ),
        Step(
            "Clipped decrease: h ||g||^2 (1 - 0.45) = 0.55 gamma eta_c ||g|| >= 0.55 gamma^2 eta_c",
            sp.Rational(11, 20) * GAMMA * ETA_C * G,
            ">=",
            sp.Rational(11, 20) * GAMMA**2 * ETA_C,
            "h ||g||^2 = gamma eta_c ||g|| and ||g|| > gamma.",
            where=clipped,
        ),
        Step(
            "Case L1 <= 1/10 (max{1, L1^2} = 1): 0.55 gamma^2 eta_c = 5.5 L0 >= L0/20",
            sp.Rational(11, 20) * GAMMA**2 * ETA_C,
            ">=",
            L0 / 20,
            "gamma = 10 L0.",
            where=case_a,
            case=in_a,
        ),
        Step(
            "Case 1/10 <= L1 <= 1 (max{1, L1^2} = 1): 0.55 gamma^2 eta_c = 11 L0/(200 L1^2) "
            ">= L0/20",
            sp.Rational(11, 20) * GAMMA**2 * ETA_C,
            ">=",
            L0 / 20,
            "gamma = L0/L1 and L1^2 <= 1 < 11/10.",
            where=case_b1,
            case=in_b1,
        ),
        Step(
            "Case L1 >= 1 (max{1, L1^2} = L1^2): 0.55 gamma^2 eta_c >= L0/(20 L1^2)",
            sp.Rational(11, 20) * GAMMA**2 * ETA_C,
            ">=",
            L0 / (20 * L1**2),
            "11/200 >= 1/20.",
            where=case_b2,
            case=in_b2,
        ),
        Step(
            "Clipped steps: at most Delta/(L0/(20 max{1, L1^2})) = 20 max{1, L1^2} Delta/L0",
            unevaluated_div(DELTA, L0 / (20 * sp.Max(1, L1**2))),
            "==",
            20 * sp.Max(1, L1**2) * DELTA / L0,
            "The total decrease is at most Delta; every step before T_eps is of one kind.",
        ),
    )
    from ..theorems.thm3 import THEOREM_3

    return Derivation(
        name="theorem3_constants",
        title="Theorem 3: the constants 20 and 20 of clipped GD",
        theorem="Theorem 3 (v2)",
        steps=steps,
        recalled={"eps term": sp.Integer(20), "L1 term": sp.Integer(20)},
        lab={"eps term": sp.Integer(20), "L1 term": sp.Integer(20)},
        result=20 * L0 * DELTA / EPS**2 + 20 * sp.Max(1, L1**2) * DELTA / L0,
        target=THEOREM_3.expr,
        conclusion=(
            "The lab reproduces T_eps <= 20 L0 Delta/eps^2 + 20 max{1, L1^2} Delta/L0. "
            "Without the rounding steps the same argument gives the sharper "
            "(200/11) L0 Delta/eps^2 + max{Delta/(5.5 L0), (200/11) L1^2 Delta/L0}."
        ),
        symbols=(L0, L1, DELTA, EPS, G, GAMMA, ETA_C),
    )
