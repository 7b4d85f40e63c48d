"""Smoothness probes along a trajectory (Figures 1, 2, 3, 5 of arXiv 1905.11881 v2).

The paper (Zhang, He, Sra, Jadbabaie, v2, Figs 1-3 and 5) plots, along training, a local
estimate of the gradient-Lipschitz constant against the gradient norm. The authors'
released code estimates it after each step from ``x_k`` to ``x_{k+1}`` as

    L̂_k = ||∇f(x_k + ½(x_{k+1} − x_k)) − ∇f(x_k)|| / (½ ||x_{k+1} − x_k||),

logged together with ``||∇f(x_k)||`` (CSV columns ``smoothness,grad_norm``). This module
provides that estimator (:func:`midpoint_smoothness`), a multi-point variant taking the
largest ratio over several points of the segment (:func:`multipoint_smoothness`), one
call that returns all of them for one step (:func:`probe_step`), the probe of a whole
stored trajectory with the exact ``||∇²f(x_k)||`` where it is available
(:func:`probe_trajectory`) and the log-log fit reported per panel (:func:`loglog_fit`).

Everything is generic over a gradient callable ``grad(x) -> ndarray``, so the same code
probes the small networks of :mod:`synthetic.nets` and the compiled synthetic objectives
of :mod:`synthetic.objective`.

For a quadratic ``x'Ax/2`` the estimator is exactly ``||A d|| / ||d||`` with
``d = x_{k+1} − x_k`` (a Rayleigh-type quotient between the smallest and the largest
singular value of A); for C² f it lies between the infimum and the supremum of
``||∇²f||`` on the first half of the segment (mean value theorem, in norm).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "DEFAULT_POINTS",
    "LogLogFit",
    "SmoothnessLog",
    "StepProbe",
    "loglog_fit",
    "midpoint_smoothness",
    "multipoint_smoothness",
    "probe_step",
    "probe_trajectory",
]

Grad = Callable[[np.ndarray], np.ndarray]

#: Fractions of the segment [x_k, x_{k+1}] used by the multi-point variant (0.5 is the
#: authors' midpoint).
DEFAULT_POINTS: tuple[float, ...] = (0.25, 0.5, 0.75, 1.0)


def _as_vec(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64).reshape(-1)


def _ratio(grad: Grad, x: np.ndarray, d: np.ndarray, g0: np.ndarray, t: float) -> float:
    nd = float(np.linalg.norm(d))
    if nd == 0.0 or not math.isfinite(nd):
        return math.nan
    gt = _as_vec(grad(x + t * d))
    return float(np.linalg.norm(gt - g0)) / (t * nd)


def midpoint_smoothness(grad: Grad, x, x_next, g=None) -> float:
    """The authors' estimator L̂ = ||∇f(x + d/2) − ∇f(x)|| / (||d||/2), d = x_next − x.

    Parameters
    ----------
    grad
        The gradient callable ``grad(x) -> array``.
    x, x_next
        Two consecutive iterates.
    g
        ``∇f(x)`` if already known (saves one gradient evaluation).

    Returns
    -------
    float
        The estimate; NaN when ``x_next == x`` (no step, nothing to estimate) or when
        the step is not finite.
    """
    x = _as_vec(x)
    d = _as_vec(x_next) - x
    g0 = _as_vec(grad(x)) if g is None else _as_vec(g)
    return _ratio(grad, x, d, g0, 0.5)


def multipoint_smoothness(
    grad: Grad, x, x_next, g=None, points: Sequence[float] = DEFAULT_POINTS
) -> float:
    """The largest ratio ``||∇f(x + t d) − ∇f(x)|| / (t ||d||)`` over ``t`` in ``points``.

    A lab variant of the midpoint estimator (v2 uses only ``t = 1/2``): it is at least
    the midpoint estimate when ``0.5`` is among the points, and still at most
    ``sup ||∇²f||`` on the segment. Points must lie in (0, 1].
    """
    pts = _check_points(points)
    x = _as_vec(x)
    d = _as_vec(x_next) - x
    g0 = _as_vec(grad(x)) if g is None else _as_vec(g)
    vals = [_ratio(grad, x, d, g0, t) for t in pts]
    return max(vals) if not any(math.isnan(v) for v in vals) else math.nan


def _check_points(points: Sequence[float]) -> tuple[float, ...]:
    pts = tuple(float(t) for t in points)
    if not pts or not all(0.0 < t <= 1.0 for t in pts):
        raise ValueError(f"probe points must be a non-empty list in (0, 1], got {points!r}")
    return pts


@dataclass(frozen=True)
class StepProbe:
    """The probes of one step x_k -> x_{k+1}.

    Attributes
    ----------
    grad_norm
        ``||∇f(x_k)||``.
    smoothness
        The authors' midpoint estimate L̂_k (NaN for a zero step).
    smoothness_multi
        The multi-point variant (largest ratio over the probe points).
    """

    grad_norm: float
    smoothness: float
    smoothness_multi: float


def probe_step(
    grad: Grad, x, x_next, g=None, points: Sequence[float] = DEFAULT_POINTS
) -> StepProbe:
    """All probes of one step; the midpoint is always evaluated, shared with the variant.

    Costs ``1 + len(points ∪ {0.5})`` gradient evaluations (one less if ``g`` is given).
    """
    pts = _check_points(points)
    x = _as_vec(x)
    d = _as_vec(x_next) - x
    g0 = _as_vec(grad(x)) if g is None else _as_vec(g)
    mid = _ratio(grad, x, d, g0, 0.5)
    others = [_ratio(grad, x, d, g0, t) for t in pts if t != 0.5]
    vals = [mid, *others] if 0.5 in pts else others
    multi = math.nan if any(math.isnan(v) for v in vals) else max(vals)
    return StepProbe(float(np.linalg.norm(g0)), mid, multi)


@dataclass(frozen=True)
class SmoothnessLog:
    """Probes along a trajectory, one entry per probed step (arrays of equal length).

    Attributes
    ----------
    iteration
        k of each probed step x_k -> x_{k+1}.
    grad_norm
        ``||∇f(x_k)||``.
    smoothness
        Midpoint estimate L̂_k (the authors' estimator).
    smoothness_multi
        Multi-point variant.
    hess_norm
        Exact ``||∇²f(x_k)||`` (operator norm), or ``None`` when not available.
    """

    iteration: np.ndarray
    grad_norm: np.ndarray
    smoothness: np.ndarray
    smoothness_multi: np.ndarray
    hess_norm: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.iteration.size)

    def rows(self) -> list[dict]:
        """Tidy rows ``{iteration, grad_norm, smoothness, smoothness_multi[, hess_norm]}``."""
        out = []
        for i in range(len(self)):
            r = {
                "iteration": int(self.iteration[i]),
                "grad_norm": float(self.grad_norm[i]),
                "smoothness": float(self.smoothness[i]),
                "smoothness_multi": float(self.smoothness_multi[i]),
            }
            if self.hess_norm is not None:
                r["hess_norm"] = float(self.hess_norm[i])
            out.append(r)
        return out


def probe_trajectory(
    grad: Grad,
    iterates: Sequence[np.ndarray] | np.ndarray,
    *,
    hess_norm: Callable[[np.ndarray], float] | None = None,
    points: Sequence[float] = DEFAULT_POINTS,
    every: int = 1,
) -> SmoothnessLog:
    """Probe the steps ``x_k -> x_{k+1}`` of a stored trajectory.

    Parameters
    ----------
    grad
        Gradient callable.
    iterates
        ``x_0, ..., x_n`` (a sequence of vectors or an ``(n + 1, d)`` array).
    hess_norm
        Optional exact ``||∇²f(x)||`` (e.g. :meth:`synthetic.objective.Objective.hess_norm`),
        evaluated at each probed ``x_k``.
    points
        Points of the multi-point variant.
    every
        Probe every ``every``-th step (``k = 0, every, 2 every, ...``).

    Returns
    -------
    SmoothnessLog
        One entry per probed step (steps with a non-finite end are left out).
    """
    if isinstance(every, bool) or int(every) < 1:
        raise ValueError(f"every must be an integer >= 1, got {every!r}")
    xs = [_as_vec(x) for x in iterates]
    its, gn, sm, mu, hn = [], [], [], [], []
    for k in range(0, len(xs) - 1, int(every)):
        x, xn = xs[k], xs[k + 1]
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(xn))):
            break
        p = probe_step(grad, x, xn, points=points)
        its.append(k)
        gn.append(p.grad_norm)
        sm.append(p.smoothness)
        mu.append(p.smoothness_multi)
        if hess_norm is not None:
            hn.append(float(hess_norm(x)))
    return SmoothnessLog(
        np.asarray(its, dtype=np.int64),
        np.asarray(gn, dtype=np.float64),
        np.asarray(sm, dtype=np.float64),
        np.asarray(mu, dtype=np.float64),
        np.asarray(hn, dtype=np.float64) if hess_norm is not None else None,
    )


@dataclass(frozen=True)
class LogLogFit:
    """Least-squares line ``log10 L = slope · log10 ||∇f|| + intercept`` and Pearson r.

    ``n`` counts the points used (finite and positive in both coordinates); with fewer
    than 3 points, or no spread in ``||∇f||``, slope and correlation are NaN.
    """

    slope: float
    intercept: float
    correlation: float
    n: int


def loglog_fit(grad_norm, smoothness) -> LogLogFit:
    """Fit log10(smoothness) against log10(grad_norm) over the finite, positive pairs."""
    g = np.asarray(grad_norm, dtype=np.float64).reshape(-1)
    s = np.asarray(smoothness, dtype=np.float64).reshape(-1)
    if g.shape != s.shape:
        raise ValueError(f"grad_norm and smoothness differ in length: {g.size} vs {s.size}")
    ok = np.isfinite(g) & np.isfinite(s) & (g > 0) & (s > 0)
    lg, ls = np.log10(g[ok]), np.log10(s[ok])
    n = int(ok.sum())
    if n < 3 or np.ptp(lg) == 0.0:
        return LogLogFit(math.nan, math.nan, math.nan, n)
    slope, intercept = np.polyfit(lg, ls, 1)
    corr = math.nan if np.ptp(ls) == 0.0 else float(np.corrcoef(lg, ls)[0, 1])
    return LogLogFit(float(slope), float(intercept), corr, n)
