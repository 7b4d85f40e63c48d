"""Numerical (not certified) constants for general d-dimensional objectives.

Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 (v2 numbering). Method ``'numerical'``:
f* by local minimization from several starts; S0 explored along rays from the best
minimizer (a point on a ray is kept when f <= f(x0), or when it lies within the
radius beyond the last such point); the Definition 1 quantities are evaluated at the
samples and at local maximizers of ``||H|| - L1 ||g||`` (Nelder-Mead started from the
best samples, with points outside the sampled neighbourhood rejected). The frontier is
the maximum over this finite pool of samples, so it is convex and non-increasing in
L1, but it is a lower estimate of the true supremum, not a certificate.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.optimize import minimize

from . import budget

__all__ = ["NumericalProblem"]


class NumericalProblem:
    """Sampled pool of (point, ||grad||, ||Hess||) over an estimate of S."""

    def __init__(self, expr: sp.Expr, variables, x0: np.ndarray, radius: float, seed: int = 0):
        self.d = len(variables)
        grad = [sp.diff(expr, v) for v in variables]
        hess = [[sp.diff(gi, v) for v in variables] for gi in grad]
        self._f = sp.lambdify([variables], expr, "numpy")
        self._g = sp.lambdify([variables], grad, "numpy")
        self._h = sp.lambdify([variables], hess, "numpy")
        self.x0 = x0
        self.radius = radius
        self.rng = np.random.default_rng(seed)

    def f(self, x) -> float:
        return float(self._f(x))

    def g(self, x) -> np.ndarray:
        return np.asarray(self._g(x), dtype=float).reshape(-1)

    def hnorm(self, x) -> float:
        h = np.asarray(self._h(x), dtype=float).reshape(self.d, self.d)
        return float(np.max(np.abs(np.linalg.eigvalsh(0.5 * (h + h.T)))))

    def minimize(self) -> tuple[float, np.ndarray]:
        """Best local minimum from x0 and random starts; raises if f runs to -inf."""
        f0 = self.f(self.x0)
        scale = max(1.0, float(np.linalg.norm(self.x0)))
        starts = [self.x0] + [self.x0 + scale * self.rng.standard_normal(self.d) for _ in range(8)]
        best, arg = f0, self.x0.copy()
        for s in starts:
            res = minimize(self.f, s, jac=self.g, method="BFGS", options={"maxiter": 500})
            if not np.isfinite(res.fun) or res.fun < f0 - 1e12 * (1 + abs(f0)):
                raise ValueError(
                    "f appears unbounded below (numerically); Assumption 1 needs f >= f* > -inf"
                )
            if res.fun < best:
                best, arg = float(res.fun), np.asarray(res.x)
        return best, arg

    def sample(self, center: np.ndarray, n_dirs: int = 400, n_steps: int = 60):
        """Sample points of S along rays from ``center``; returns (points, t_max, unbounded)."""
        level = self.f(self.x0)
        dirs = [np.eye(self.d)[i] * s for i in range(self.d) for s in (1, -1)]
        dirs += list(self.rng.standard_normal((n_dirs, self.d)))
        dirs.append(self.x0 - center)
        pts, reach, unbounded = [self.x0], 0.0, False
        for u in dirs:
            if budget.expired():  # fewer rays: still samples, still an estimate
                budget.mark_loose()
                break
            n = np.linalg.norm(u)
            if n == 0:
                continue
            u = u / n
            ts = np.concatenate([[0.0], np.geomspace(1e-3, 1e7, 4 * n_steps)])
            last = 0.0
            for t in ts:
                v = self.f(center + t * u)
                if np.isfinite(v) and v <= level:
                    last = t
                elif t > 2 * last + 10 * self.radius + 1:
                    break
            if last >= ts[-1]:
                unbounded = True
            reach = max(reach, last)
            for t in np.linspace(0, last + self.radius, n_steps):
                p = center + t * u
                if t > last or self.f(p) <= level:
                    pts.append(p)
        return np.array(pts), reach, unbounded

    def evaluate(self, pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        g = np.array([np.linalg.norm(self.g(p)) for p in pts])
        h = np.array([self.hnorm(p) for p in pts])
        return g, h
