"""Theorem 4's lower bound, from the reconstructed proof sketch in docs/paper.md (v2 numbering).

(a) The C^2 function ``f(x) = (L0/L1^2) e^{L1|x| - 1}`` for ``|x| >= 1/L1`` and
``L0 x^2/2 + L0/(2 L1^2)`` inside is (L0, L1)-smooth; started at ``x0`` with
``f'(x0) = M``, GD with ``h >= 2 x0/M`` never converges, so a fixed step that works on
the whole class has ``h < h_max = 2 (1 + log(M L1/L0))/(M L1)``.
(b) On a function whose slope stays near ``2 eps``, ``T >= Delta/(4 h eps^2)`` (taken from
the sketch, not re-derived). Zhang et al., arXiv 1905.11881 v2, Theorem 4 (the appendix
was not available; the bound's constants are tagged *recalled*).
"""

from __future__ import annotations

import sympy as sp

from ..theorems._symbols import DELTA, EPS, L0, L1, H, M
from ._core import Derivation, Step

__all__ = ["theorem4_sketch", "LAB_LOWER"]

#: The lab's lower bound from the sketch: Delta M L1 / (8 eps^2 (1 + log(M L1/L0))).
LAB_LOWER = DELTA * M * L1 / (8 * EPS**2 * (1 + sp.log(M * L1 / L0)))


def theorem4_sketch() -> Derivation:
    """Check the sketch's construction (a) symbolically and combine it with (b).

    Returns
    -------
    Derivation
        ``constant_reproduced = "partial"``: the 8 matches; the log argument and the
        ``- 5 eps/8`` correction do not come out of the sketch.
    """
    x = sp.Symbol("x", positive=True)
    d = sp.Symbol("d", positive=True)
    f_out = L0 / L1**2 * sp.exp(L1 * x - 1)
    f_in = L0 * x**2 / 2 + L0 / (2 * L1**2)
    xb = 1 / L1
    x0 = (1 + sp.log(M * L1 / L0)) / L1
    h_max = 2 * x0 / M
    steps = (
        Step("f is continuous at |x| = 1/L1", f_out.subs(x, xb), "==", f_in.subs(x, xb), "Match."),
        Step(
            "f' is continuous at |x| = 1/L1",
            sp.diff(f_out, x).subs(x, xb),
            "==",
            sp.diff(f_in, x).subs(x, xb),
            "Match.",
        ),
        Step(
            "f'' is continuous at |x| = 1/L1",
            sp.diff(f_out, x, 2).subs(x, xb),
            "==",
            sp.diff(f_in, x, 2).subs(x, xb),
            "Match (so f is C^2).",
        ),
        Step(
            "Outside: f'' = L1 f' <= L0 + L1 |f'|",
            sp.diff(f_out, x, 2),
            "==",
            L1 * sp.diff(f_out, x),
            "(L0, L1)-smooth outside.",
        ),
        Step(
            "Inside (x = 1/(L1 (1 + d)) < 1/L1): f'' = L0 <= L0 + L1 |f'|",
            L0 + L1 * sp.diff(f_in, x),
            ">=",
            sp.diff(f_in, x, 2),
            "(L0, L1)-smooth inside.",
            where={x: 1 / (L1 * (1 + d))},
        ),
        Step(
            "The start x0 = (1 + log(M L1/L0))/L1 has f'(x0) = M",
            sp.diff(f_out, x).subs(x, x0),
            "==",
            M,
            "Assumption 4's M is attained at the start (f is even).",
        ),
        Step(
            "With h = 2 x0/M + d the iterate x1 = x0 - h M satisfies |x1| = -x1 >= x0",
            -(x0 - (h_max + d) * M),
            ">=",
            x0,
            "The iterate lands at least as far out on the other side, where |f'| >= M: "
            "GD never converges. So a step working on the whole class has h < h_max.",
        ),
        Step(
            "Combining with (b) T >= Delta/(4 h eps^2) at h = h_max",
            DELTA / (4 * H * EPS**2),
            "==",
            LAB_LOWER,
            "(b) is taken from the sketch in docs/paper.md (not re-derived by the lab).",
            where={H: h_max},
        ),
    )
    from ..theorems.thm4 import THEOREM_4

    return Derivation(
        name="theorem4_sketch",
        title="Theorem 4: the lower bound from the two-function sketch",
        theorem="Theorem 4 (v2)",
        steps=steps,
        recalled={
            "bound": L1 * M * (DELTA - sp.Rational(5, 8) * EPS) / (8 * EPS**2 * (sp.log(M) + 1))
        },
        lab={"bound": LAB_LOWER},
        result=LAB_LOWER,
        target=THEOREM_4.expr,
        sense="lower",
        agree_on={L1: L0},
        limit=(EPS, 0),
        conclusion=(
            "The sketch gives T >= Delta M L1/(8 eps^2 (1 + log(M L1/L0))): the factor 8 of the "
            "recalled L1 M (Delta - 5 eps/8)/(8 eps^2 (log M + 1)) is reproduced, but the "
            "logarithm's argument is M L1/L0 (equal to M only when L1 = L0) and the "
            "- 5 eps/8 correction does not come out of the sketch (it needs the appendix's "
            "second function, which was not available)."
        ),
        symbols=(L0, L1, M, DELTA, EPS),
    )
