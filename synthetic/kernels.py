"""Iteration kernels: x_{k+1} = x_k - h_k g_k until ||grad f(x_k)|| <= eps.

This module is a *template*: :mod:`synthetic.codegen` copies the source of these kernels
(and of everything they call) into one generated module per (family, step rule), where
``fg`` is the family's generated function and ``step_size`` the rule of
:mod:`synthetic.steprules` (here both are placeholders, :mod:`synthetic._template_globals`).
The kernels call both as ordinary module globals, which numba resolves statically and
inlines, and which keeps numba's on-disk cache usable: passing them as first-class
function values instead makes numba refuse to cache ("uses dynamic globals"), or fail on
re-saving an index that holds another process's dispatcher (numba issues #2956, #6251).
Use :func:`synthetic.run.run`, :func:`synthetic.sweep.sweep` and
:func:`synthetic.stochastic.run_stochastic`, which validate inputs and wrap the output.

Every kernel writes the outcome of trajectory ``i`` into entry ``i`` of an
:class:`~synthetic.result.Outcomes` record ``out``, with the named status codes
:data:`~synthetic.result.CONVERGED` / ``DIVERGED`` / ``MAX_ITER`` and cause codes
``CAUSE_NONE`` / ``CAUSE_NAN`` / ``CAUSE_INF`` (f or its gradient infinite at a finite
point) / ``CAUSE_OVERFLOW`` (the iterate itself is no longer finite). ``iterations`` is
the index of the first iterate with ``gn <= eps`` (converged), of the first non-finite
iterate (diverged), or ``max_iter`` (no iterate x_0..x_max_iter was eps-stationary).

Deterministic: ``iterate_1d`` works on floats (one variable, the fast path),
``iterate_nd`` on arrays. ``traj`` rows ``(k, f, gn)`` are filled at log-spaced k
(k = 0, 1, 2, ... then about 5% apart) and at the last iterate, up to ``traj.shape[0]``
rows (``out.records[i]`` of them).

Stochastic (Section 4 of arXiv 1905.11881 v2, :mod:`synthetic.stochastic`): ``run_1d`` and
``run_nd`` run one trajectory per seed in parallel (``prange``); iteration ``k`` draws one
noise sample from :func:`synthetic.noise.draw_1d` / ``draw_nd`` after the checks at
``x_k``, and the step rule sees the norm of the stochastic gradient; eps-stationarity,
``grad_norm`` and ``grad_norm_max`` use the true gradient.

Template rules: no relative imports and no ``from __future__`` imports; module globals
used by the kernels are numbers, tuples of numbers or ``@njit`` functions (the generator
copies them).
"""

import math

import numpy as np
from numba import njit, prange

from synthetic._template_globals import fg, step_size
from synthetic.noise import draw_1d, draw_nd
from synthetic.result import (
    CAUSE_INF,
    CAUSE_NAN,
    CAUSE_NONE,
    CAUSE_OVERFLOW,
    CONVERGED,
    DIVERGED,
    MAX_ITER,
)

__all__ = ["iterate_1d", "iterate_nd", "run_1d", "run_nd"]

_JIT = dict(cache=True, nogil=True, error_model="numpy")


@njit(**_JIT)
def _cause(x_finite, f, gn):
    if not x_finite:
        return CAUSE_OVERFLOW
    if math.isnan(f) or math.isnan(gn):
        return CAUSE_NAN
    return CAUSE_INF


@njit(**_JIT)
def _store(out, i, status, cause, k, f, gn, gmax, monotone, records):
    """Write trajectory i's outcome (all fields but ``x``) into the record ``out``."""
    out.status[i] = status
    out.cause[i] = cause
    out.iterations[i] = k
    out.f[i] = f
    out.grad_norm[i] = gn
    out.grad_norm_max[i] = gmax
    out.monotone[i] = monotone
    out.records[i] = records


@njit(**_JIT)
def _next_record(k):
    return max(k + 1, int(k * 1.05))


@njit(**_JIT)
def _record(traj, n, k, f, gn):
    if n < traj.shape[0]:
        traj[n, 0] = k
        traj[n, 1] = f
        traj[n, 2] = gn
        return n + 1
    return n


@njit(**_JIT)
def _record_last(traj, n, k, f, gn):
    if n > 0 and traj[n - 1, 0] == k:
        return n
    if n == traj.shape[0] and n > 0:
        n -= 1
    return _record(traj, n, k, f, gn)


@njit(**_JIT)
def iterate_1d(x0, p, s, eps, max_iter, traj, out, i):
    """Run from the float ``x0``; write the outcome into ``out`` at ``i``."""
    x = x0
    f, g = fg(x, p)
    gn = abs(g)
    fprev = f
    monotone = True
    gmax = 0.0
    n = 0
    nxt = 0
    k = 0
    while True:
        if not (math.isfinite(gn) and math.isfinite(f)):
            status, cause = DIVERGED, _cause(math.isfinite(x), f, gn)
            break
        if gn > gmax:
            gmax = gn
        if k == nxt:
            n = _record(traj, n, k, f, gn)
            nxt = _next_record(k)
        if gn <= eps:
            status, cause = CONVERGED, CAUSE_NONE
            break
        if k == max_iter:
            status, cause = MAX_ITER, CAUSE_NONE
            break
        x = x - step_size(x, f, g, gn, p, s) * g
        f, g = fg(x, p)
        gn = abs(g)
        if not (f <= fprev):
            monotone = False
        fprev = f
        k += 1
    n = _record_last(traj, n, k, f, gn)
    out.x[i] = x
    _store(out, i, status, cause, k, f, gn, gmax, monotone, n)


@njit(**_JIT)
def _norm(g):
    acc = 0.0
    for i in range(g.size):
        acc += g[i] * g[i]
    return math.sqrt(acc)


@njit(**_JIT)
def _all_finite(x):
    for i in range(x.size):
        if not math.isfinite(x[i]):
            return False
    return True


@njit(**_JIT)
def iterate_nd(x0, p, s, eps, max_iter, traj, out, i):
    """Run from the array ``x0``; write the outcome into ``out`` at ``i`` (row i of ``x``)."""
    x = x0.copy()
    g = x0.copy()
    f = fg(x, p, g)
    gn = _norm(g)
    fprev = f
    monotone = True
    gmax = 0.0
    n = 0
    nxt = 0
    k = 0
    while True:
        if not (math.isfinite(gn) and math.isfinite(f)):
            status, cause = DIVERGED, _cause(_all_finite(x), f, gn)
            break
        if gn > gmax:
            gmax = gn
        if k == nxt:
            n = _record(traj, n, k, f, gn)
            nxt = _next_record(k)
        if gn <= eps:
            status, cause = CONVERGED, CAUSE_NONE
            break
        if k == max_iter:
            status, cause = MAX_ITER, CAUSE_NONE
            break
        h = step_size(x, f, g, gn, p, s)
        for j in range(x.size):
            x[j] -= h * g[j]
        f = fg(x, p, g)
        gn = _norm(g)
        if not (f <= fprev):
            monotone = False
        fprev = f
        k += 1
    n = _record_last(traj, n, k, f, gn)
    for j in range(x.size):
        out.x[i, j] = x[j]
    _store(out, i, status, cause, k, f, gn, gmax, monotone, n)


@njit(**_JIT)
def _stochastic_1d(x0, p, s, code, tau, df, eps, max_iter, out, i):
    x = x0
    f, g = fg(x, p)
    gn = abs(g)
    fprev = f
    monotone = True
    gmax = 0.0
    k = 0
    while True:
        if not (math.isfinite(gn) and math.isfinite(f)):
            status, cause = DIVERGED, _cause(math.isfinite(x), f, gn)
            break
        if gn > gmax:
            gmax = gn
        if gn <= eps:
            status, cause = CONVERGED, CAUSE_NONE
            break
        if k == max_iter:
            status, cause = MAX_ITER, CAUSE_NONE
            break
        gs = g + draw_1d(code, tau, df)
        x = x - step_size(x, f, gs, abs(gs), p, s) * gs
        f, g = fg(x, p)
        gn = abs(g)
        if not (f <= fprev):
            monotone = False
        fprev = f
        k += 1
    out.x[i] = x
    _store(out, i, status, cause, k, f, gn, gmax, monotone, 0)


@njit(parallel=True, **_JIT)
def run_1d(x0, p, s, code, tau, df, seeds, eps, max_iter, out):
    """One stochastic trajectory from the float ``x0`` per seed, in parallel."""
    for i in prange(seeds.size):
        np.random.seed(seeds[i])  # noqa: NPY002 (numba has the legacy API only)
        _stochastic_1d(x0, p, s, code, tau, df, eps, max_iter, out, i)


@njit(**_JIT)
def _stochastic_nd(x0, p, s, code, tau, df, direction, eps, max_iter, out, i):
    d = x0.size
    x = out.x[i]
    for j in range(d):
        x[j] = x0[j]
    g = np.empty(d)
    xi = np.empty(d)
    f = fg(x, p, g)
    gn = _norm(g)
    fprev = f
    monotone = True
    gmax = 0.0
    k = 0
    while True:
        if not (math.isfinite(gn) and math.isfinite(f)):
            status, cause = DIVERGED, _cause(_all_finite(x), f, gn)
            break
        if gn > gmax:
            gmax = gn
        if gn <= eps:
            status, cause = CONVERGED, CAUSE_NONE
            break
        if k == max_iter:
            status, cause = MAX_ITER, CAUSE_NONE
            break
        draw_nd(code, tau, df, direction, xi)
        for j in range(d):
            xi[j] = g[j] + xi[j]
        h = step_size(x, f, xi, _norm(xi), p, s)
        for j in range(d):
            x[j] -= h * xi[j]
        f = fg(x, p, g)
        gn = _norm(g)
        if not (f <= fprev):
            monotone = False
        fprev = f
        k += 1
    _store(out, i, status, cause, k, f, gn, gmax, monotone, 0)


@njit(parallel=True, **_JIT)
def run_nd(x0, p, s, code, tau, df, direction, seeds, eps, max_iter, out):
    """One stochastic trajectory from the array ``x0`` per seed, in parallel."""
    for i in prange(seeds.size):
        np.random.seed(seeds[i])  # noqa: NPY002 (numba has the legacy API only)
        _stochastic_nd(x0, p, s, code, tau, df, direction, eps, max_iter, out, i)
