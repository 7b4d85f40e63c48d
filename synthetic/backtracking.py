"""Armijo backtracking kernels (a template, like :mod:`synthetic.kernels`).

Hübler, Yang, Li, He, AISTATS 2024 (arXiv 2311.03252), deterministic Armijo line search:
from the trial step ``t = step_size(x, f, g, ||g||, p, s)`` (the ``gd`` rule: ``t = s[0]``),
``t <- beta t`` until ``f(x - t g) <= f(x) - gamma t ||g||^2``; then ``x <- x - t g``.
Parameters ``s = (t0, beta, gamma)``.

:mod:`synthetic.codegen` copies these kernels into every generated module with the plain
ones (``CompiledFamily.kernels("gd").armijo_1d``). The kernels count
the evaluations: ``n_f`` is the number of calls of ``fg`` (every trial point, plus x0),
``n_grad`` the number of gradients used (the accepted points, plus x0); the generated
``fg`` computes value and gradient together, so a rejected trial also pays for a
gradient. A step that backtracks ``max_backtracks`` times without sufficient decrease
ends the run as diverged with cause 4 (``line_search``). Returned tuple: the plain
kernels' ``(status, cause, k, x, f, gn, gmax, monotone, n_records)`` followed by
``n_f, n_grad``. Use :func:`synthetic.line_search.run_armijo`.

The template must not use relative imports or ``from __future__`` imports.
"""

import math

from numba import njit

from synthetic._template_globals import fg, step_size
from synthetic.kernels import (
    CONVERGED,
    DIVERGED,
    MAX_ITER,
    _all_finite,
    _cause,
    _next_record,
    _norm,
    _record,
    _record_last,
)

__all__ = ["armijo_1d", "armijo_nd", "LINE_SEARCH_FAILED"]

#: cause code of a step whose backtracking found no sufficient decrease
LINE_SEARCH_FAILED = 4

_JIT = dict(cache=True, nogil=True, error_model="numpy")


@njit(**_JIT)
def armijo_1d(x0, p, s, eps, max_iter, max_backtracks, traj):
    beta, gamma = s[1], s[2]
    x = x0
    f, g = fg(x, p)
    gn = abs(g)
    n_f = 1
    n_grad = 1
    monotone = True
    gmax = 0.0
    n = 0
    nxt = 0
    k = 0
    while True:
        if not (math.isfinite(gn) and math.isfinite(f)):
            n = _record_last(traj, n, k, f, gn)
            c = _cause(math.isfinite(x), f, gn)
            return DIVERGED, c, k, x, f, gn, gmax, monotone, n, n_f, n_grad
        if gn > gmax:
            gmax = gn
        if k == nxt:
            n = _record(traj, n, k, f, gn)
            nxt = _next_record(k)
        if gn <= eps:
            n = _record_last(traj, n, k, f, gn)
            return CONVERGED, 0, k, x, f, gn, gmax, monotone, n, n_f, n_grad
        if k == max_iter:
            n = _record_last(traj, n, k, f, gn)
            return MAX_ITER, 0, k, x, f, gn, gmax, monotone, n, n_f, n_grad
        t = step_size(x, f, g, gn, p, s)
        j = 0
        while True:
            xt = x - t * g
            ft, gt = fg(xt, p)
            n_f += 1
            if ft <= f - gamma * t * gn * gn:  # a NaN trial is rejected
                break
            j += 1
            if j > max_backtracks:
                n = _record_last(traj, n, k, f, gn)
                return DIVERGED, LINE_SEARCH_FAILED, k, x, f, gn, gmax, monotone, n, n_f, n_grad
            t *= beta
        x, f, g = xt, ft, gt
        gn = abs(g)
        n_grad += 1
        k += 1


@njit(**_JIT)
def armijo_nd(x0, p, s, eps, max_iter, max_backtracks, traj):
    beta, gamma = s[1], s[2]
    x = x0.copy()
    g = x0.copy()
    xt = x0.copy()
    gt = x0.copy()
    f = fg(x, p, g)
    gn = _norm(g)
    n_f = 1
    n_grad = 1
    monotone = True
    gmax = 0.0
    n = 0
    nxt = 0
    k = 0
    while True:
        if not (math.isfinite(gn) and math.isfinite(f)):
            n = _record_last(traj, n, k, f, gn)
            c = _cause(_all_finite(x), f, gn)
            return DIVERGED, c, k, x, f, gn, gmax, monotone, n, n_f, n_grad
        if gn > gmax:
            gmax = gn
        if k == nxt:
            n = _record(traj, n, k, f, gn)
            nxt = _next_record(k)
        if gn <= eps:
            n = _record_last(traj, n, k, f, gn)
            return CONVERGED, 0, k, x, f, gn, gmax, monotone, n, n_f, n_grad
        if k == max_iter:
            n = _record_last(traj, n, k, f, gn)
            return MAX_ITER, 0, k, x, f, gn, gmax, monotone, n, n_f, n_grad
        t = step_size(x, f, g, gn, p, s)
        j = 0
        while True:
            for i in range(x.size):
                xt[i] = x[i] - t * g[i]
            ft = fg(xt, p, gt)
            n_f += 1
            if ft <= f - gamma * t * gn * gn:
                break
            j += 1
            if j > max_backtracks:
                n = _record_last(traj, n, k, f, gn)
                return DIVERGED, LINE_SEARCH_FAILED, k, x, f, gn, gmax, monotone, n, n_f, n_grad
            t *= beta
        x, xt = xt, x
        g, gt = gt, g
        f = ft
        gn = _norm(g)
        n_grad += 1
        k += 1
