"""Plain-Python references for 1-D runs: GD, clipped GD (Eq. 5 of arXiv 1905.11881 v2), NGD."""

from __future__ import annotations

from collections.abc import Callable


def count(grad: Callable[[float], float], x0: float, eps: float, step, cap: int) -> int:
    """Steps until ``|f'(x)| <= eps`` with the step size ``step(|g|)`` (None past ``cap``)."""
    x, k = float(x0), 0
    g = grad(x)
    while abs(g) > eps:
        if k >= cap:
            return None
        x -= step(abs(g)) * g
        g = grad(x)
        k += 1
    return k


def step_rule(row: dict):
    """The step ``h(|g|)`` of a row's method, from its ``param_*`` columns."""
    m = row["method"]
    if m == "gd":
        return lambda g: row["param_h"]
    if m == "clipped_gd":
        eta, gamma = row["param_eta_c"], row["param_gamma"]
        return lambda g: min(eta, gamma * eta / g)
    if m == "normalized_gd":
        return lambda g: row["param_eta"] / (g + row["param_beta"])
    raise ValueError(m)


def bound(row: dict) -> float:
    """The row's bound by hand (docs/paper.md): Theorem 6, Theorem 3, twice Theorem 3 (NGD)."""
    l0, l1, d, e = row["L0"], row["L1"], row["delta"], row["eps"]
    if row["method"] == "gd":
        return 4 * (row["M"] * l1 + l0) * d / e**2
    t3 = 20 * l0 * d / e**2 + 20 * max(1.0, l1 * l1) * d / l0
    return t3 if row["method"] == "clipped_gd" else 2 * t3
