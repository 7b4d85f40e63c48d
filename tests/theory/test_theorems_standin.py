"""A small stand-in for the smoothness certificate (duck-typed contract of theory.theorems)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class StandInCert:
    """``delta, M, L, f_star, method`` and a frontier ``L0(L1)``."""

    frontier: Callable[[float], float]
    delta: float = 10.0
    M: float = 100.0
    f_star: float = 0.0
    method: str = "exact"

    @property
    def L(self) -> float:  # noqa: N802
        return self.frontier(0.0)

    def L0(self, L1: float) -> float:  # noqa: N802, N803
        return self.frontier(L1)


def convex_frontier(L1: float) -> float:  # noqa: N803
    """Convex, non-increasing, positive: 50/(1 + L1)^2."""
    return 50.0 / (1.0 + L1) ** 2


def quadratic_frontier(L1: float) -> float:  # noqa: N803
    """An L-smooth function with L = 4 whose Hessian never shrinks: L0*(L1) = 4."""
    return 4.0


def exp_like_frontier(L1: float) -> float:  # noqa: N803
    """Reaches 0 at L1 = 1 (like e^x, which is (0, 1)-smooth)."""
    return max(0.0, 3.0 * (1.0 - L1))


def small_frontier(L1: float) -> float:  # noqa: N803
    """Constants below Theorem 4's class (L0 < 1)."""
    return 0.2 / (1.0 + L1)


def inf_frontier(L1: float) -> float:  # noqa: N803
    """Not L-smooth on S: L0*(0) = inf."""
    return math.inf if L1 == 0 else 1.0 / L1
