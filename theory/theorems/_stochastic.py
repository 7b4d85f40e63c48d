"""Shared by Theorems 7 and 8 (v2): the effective gap Delta' (recalled).

``Delta' = Delta + (5 L0 + 2 L1 tau) tau^2 + 9 tau L0^2/L1`` (docs/paper.md, recalled; the
printed display of the bounds was not available). Zhang et al., arXiv 1905.11881 v2.
"""

from __future__ import annotations

import math

from ._symbols import DELTA, L0, L1, TAU

__all__ = ["DELTA_EFF_EXPR", "effective_gap"]

DELTA_EFF_EXPR = DELTA + (5 * L0 + 2 * L1 * TAU) * TAU**2 + 9 * TAU * L0**2 / L1


def effective_gap(L0: float, L1: float, tau: float, Delta: float) -> float:  # noqa: N803
    """``Delta' = Delta + (5 L0 + 2 L1 tau) tau^2 + 9 tau L0^2/L1`` (inf when L1 = 0 < tau)."""
    if tau == 0:
        return Delta
    if L1 <= 0 or not math.isfinite(L0):
        return math.inf
    return Delta + (5.0 * L0 + 2.0 * L1 * tau) * tau**2 + 9.0 * tau * L0**2 / L1
