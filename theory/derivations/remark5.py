"""Remark 5: the ratio of Theorem 4's lower bound to Theorem 3's upper bound (v2).

With the recalled constants the ratio tends, as ``eps -> 0``, to
``L1 M / (160 L0 (log M + 1))``, which grows without bound in ``M`` (clipping is
"arbitrarily faster" under poor initialization). Zhang et al., arXiv 1905.11881 v2.
"""

from __future__ import annotations

import sympy as sp

from ..theorems._symbols import DELTA, EPS, L0, L1, M
from ._core import Derivation, Step

__all__ = ["remark5_ratio", "RATIO_LIMIT"]

_LOWER = L1 * M * (DELTA - sp.Rational(5, 8) * EPS) / (8 * EPS**2 * (sp.log(M) + 1))
_UPPER = 20 * L0 * DELTA / EPS**2 + 20 * sp.Max(1, L1**2) * DELTA / L0

#: The lab's small-eps limit of (Theorem 4 lower bound)/(Theorem 3 upper bound).
RATIO_LIMIT = L1 * M / (160 * L0 * (sp.log(M) + 1))


def remark5_ratio() -> Derivation:
    """Compute the ratio of the recalled bounds and its limits.

    Returns
    -------
    Derivation
        The printed order ``L1 M/(L0 log M)`` is reproduced with the explicit factor 1/160.
    """
    ratio = _LOWER / _UPPER
    lim = sp.limit(ratio, EPS, 0)
    steps = (
        Step(
            "eps -> 0: (Theorem 4 lower)/(Theorem 3 upper) -> L1 M/(160 L0 (log M + 1))",
            lim,
            "==",
            RATIO_LIMIT,
            "sympy limit of the ratio of the two recalled bounds.",
        ),
        Step(
            "The inverse ratio vanishes as M -> oo (the ratio is unbounded in M)",
            sp.limit(1 / RATIO_LIMIT, M, sp.oo),
            "==",
            sp.Integer(0),
            "sympy limit.",
        ),
        Step(
            "Relative to the printed order L1 M/(L0 log M), the factor tends to 1/160",
            sp.limit(RATIO_LIMIT / (L1 * M / (L0 * sp.log(M))), M, sp.oo),
            "==",
            sp.Rational(1, 160),
            "sympy limit: log M/(log M + 1) -> 1.",
        ),
    )
    from ..theorems.remark5 import REMARK_5

    return Derivation(
        name="remark5_ratio",
        title="Remark 5: how much faster clipped GD is than fixed-step GD",
        theorem="Remark 5 (v2)",
        steps=steps,
        recalled={"ratio order": L1 * M / (L0 * sp.log(M))},
        lab={"ratio limit (eps -> 0)": RATIO_LIMIT},
        result=RATIO_LIMIT,
        target=REMARK_5.order_expr,
        sense="order",
        limit=(M, sp.oo),
        conclusion=(
            "With the recalled constants, lower/upper -> L1 M/(160 L0 (log M + 1)) as eps -> 0: "
            "the printed order L1 M/(L0 log M) up to the factor 1/160, unbounded in M."
        ),
        symbols=(L0, L1, M, DELTA, EPS),
    )
