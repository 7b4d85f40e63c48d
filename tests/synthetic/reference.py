"""A plain-Python reference of the three methods on univariate polynomials.

Written independently of the compiled code, from the paper's update rules
(arXiv 1905.11881 v2, Eq. 4-6): Horner evaluation of the polynomial and of its
derivative coefficients i*c_i, and the step sizes as printed.
"""

from __future__ import annotations

import math


def horner(coeffs, x):
    acc = 0.0
    for c in reversed(coeffs):
        acc = acc * x + c
    return acc


def derivative(coeffs):
    return [i * c for i, c in enumerate(coeffs)][1:] or [0.0]


def step_size(method, gn, params):
    if method == "gd":
        return params["h"]
    if method == "clipped_gd":
        if gn == 0.0:
            return params["eta"]
        return min(params["eta"], params["gamma"] * params["eta"] / gn)
    if method == "normalized_gd":
        return params["eta"] / (gn + params["beta"])
    raise ValueError(method)


def reference_run(coeffs, method, x0, eps, params, max_iter):
    """Return (status, iterations): 'converged', 'diverged' or 'max_iter'."""
    d = derivative(list(coeffs))
    x = float(x0)
    for k in range(max_iter + 1):
        f, g = horner(coeffs, x), horner(d, x)
        gn = abs(g)
        if not (math.isfinite(gn) and math.isfinite(f)):
            return "diverged", k
        if gn <= eps:
            return "converged", k
        if k == max_iter:
            return "max_iter", k
        x = x - step_size(method, gn, params) * g
    raise AssertionError("unreachable")
