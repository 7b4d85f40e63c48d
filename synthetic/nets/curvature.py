"""Exact local smoothness along a step: the largest Hessian eigenvalue magnitude at the midpoint.

Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 v2 (Figs 1-3, 5) plot, along training, the
authors' estimate of the local gradient-Lipschitz constant (the midpoint difference
quotient of :func:`synthetic.probes.midpoint_smoothness`). For a C² loss the quantity it
estimates is the operator norm ``||∇²f||`` near the step; this module computes that norm
at the step's midpoint ``m = x_k + ½(x_{k+1} − x_k)`` by power iteration on
Hessian-vector products, each a central difference of exact gradients,

    ∇²f(m) v ≈ (∇f(m + εv) − ∇f(m − εv)) / (2ε)      (error O(ε²)),

so the figures can show how far the authors' estimate sits from the exact value. For a
symmetric matrix, ``||H v_j||`` with ``||v_j|| = 1`` never exceeds ``max |λ(H)|`` and
power iteration drives it up to that value; the returned value is therefore a lower
bound, converged to ``tol`` when the result says so (an iteration budget ends it
otherwise: the status is then ``max_iter``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["Curvature", "hessian_vector", "midpoint_curvature", "power_iteration"]

Grad = Callable[[np.ndarray], np.ndarray]


def hessian_vector(grad: Grad, x: np.ndarray, v: np.ndarray, eps: float | None = None):
    """``∇²f(x) v`` by a central difference of ``grad`` along ``v``.

    The default ``ε = ∛(machine ε) · (1 + ||x||) / ||v||`` balances the O(ε²) truncation
    against rounding in the gradient difference.
    """
    x = np.asarray(x, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    nv = float(np.linalg.norm(v))
    if nv == 0.0:
        return np.zeros_like(x)
    if eps is None:
        eps = np.finfo(float).eps ** (1 / 3) * (1.0 + float(np.linalg.norm(x))) / nv
    return (np.asarray(grad(x + eps * v)) - np.asarray(grad(x - eps * v))) / (2.0 * eps)


@dataclass(frozen=True)
class Curvature:
    """The outcome of a power iteration for ``max |λ(H)|``.

    Attributes
    ----------
    value
        ``||H v||`` at the last unit vector ``v``: a lower bound on ``max |λ(H)|``.
    rayleigh
        ``vᵀ H v`` (its sign tells whether the dominant eigenvalue is positive).
    iterations
        Matrix-vector products used.
    status
        ``converged`` (relative change of ``value`` below ``tol``), ``max_iter`` or
        ``not finite``.
    vector
        The last unit vector (a warm start for the next, nearby, matrix).
    """

    value: float
    rayleigh: float
    iterations: int
    status: str
    vector: np.ndarray


def power_iteration(
    matvec: Callable[[np.ndarray], np.ndarray],
    v0: np.ndarray,
    *,
    max_iter: int = 50,
    tol: float = 1e-3,
) -> Curvature:
    """Power iteration ``v ← Hv / ||Hv||`` from ``v0`` for the largest ``|λ|`` of symmetric H.

    Stops when ``||H v||`` changes by less than ``tol`` (relative) between two steps, or
    after ``max_iter`` products. A dominant pair ``±λ`` makes ``v`` alternate but
    ``||H v||`` still converges to ``|λ|``.
    """
    if isinstance(max_iter, bool) or int(max_iter) < 1:
        raise ValueError(f"max_iter must be an integer >= 1, got {max_iter!r}")
    if not (math.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be finite and > 0, got {tol!r}")
    v = np.asarray(v0, dtype=np.float64).copy()
    nv = float(np.linalg.norm(v))
    if not (math.isfinite(nv) and nv > 0):
        raise ValueError("the start vector must be finite and non-zero")
    v /= nv
    prev = math.nan
    value, rayleigh = math.nan, math.nan
    for k in range(1, int(max_iter) + 1):
        w = np.asarray(matvec(v), dtype=np.float64)
        value = float(np.linalg.norm(w))
        rayleigh = float(v @ w)
        if not math.isfinite(value):
            return Curvature(value, rayleigh, k, "not finite", v)
        if value == 0.0:
            return Curvature(0.0, 0.0, k, "converged", v)
        if k > 1 and abs(value - prev) <= tol * value:
            return Curvature(value, rayleigh, k, "converged", v)
        prev = value
        v = w / value
    return Curvature(value, rayleigh, int(max_iter), "max_iter", v)


def midpoint_curvature(
    grad: Grad,
    x,
    x_next,
    v0: np.ndarray | None = None,
    *,
    max_iter: int = 20,
    tol: float = 1e-2,
) -> Curvature:
    """``max |λ(∇²f(m))|`` at ``m = x + ½(x_next − x)`` by power iteration on HVPs.

    Parameters
    ----------
    grad
        Exact gradient callable (the same data as the authors' estimate uses).
    x, x_next
        Two consecutive iterates.
    v0
        Start vector (default: the step direction ``x_next − x``, or ``e_1`` for a zero
        step); pass the previous probe's ``vector`` to warm-start along training.
    max_iter, tol
        Budget and relative tolerance of :func:`power_iteration`.
    """
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    xn = np.asarray(x_next, dtype=np.float64).reshape(-1)
    m = x + 0.5 * (xn - x)
    if v0 is None or not np.all(np.isfinite(v0)) or not np.any(v0):
        v0 = xn - x
        if not np.any(v0) or not np.all(np.isfinite(v0)):
            v0 = np.zeros_like(x)
            v0[0] = 1.0
    return power_iteration(lambda v: hessian_vector(grad, m, v), v0, max_iter=max_iter, tol=tol)
