"""Iteration kernels: x_{k+1} = x_k - h_k grad f(x_k) until ||grad f(x_k)|| <= eps.

This module is a *template*: :mod:`synthetic.codegen` copies its source into one
generated module per (family, step rule), after binding the module globals ``fg``
(the family's generated function) and ``step`` (the rule of
:mod:`synthetic.steprules`). The kernels call both as ordinary globals, which numba
resolves statically and inlines, and which keeps numba's on-disk cache usable:
passing them as first-class function values instead makes numba refuse to cache
("uses dynamic globals"), or fail on re-saving an index that holds another
process's dispatcher (numba issues #2956, #6251). Each (family, rule) pair thus
compiles once per machine. Use :func:`synthetic.run.run`, which validates inputs
and wraps the raw tuple into a :class:`synthetic.result.RunResult`.

``iterate_1d`` works on floats (one variable, the fast path); ``iterate_nd`` on
arrays. Returned tuple: ``(status, cause, k, x, f, gn, gmax, monotone, n_records)``
with status 0 converged / 1 diverged / 2 max_iter and cause 0 none / 1 nan / 2 inf
(f or its gradient infinite at a finite point) / 3 overflow (the iterate itself
is no longer finite). ``k`` is the index of the first iterate with
``gn <= eps`` (converged), of the first non-finite iterate (diverged), or
``max_iter`` (no iterate x_0..x_max_iter was eps-stationary). ``traj`` rows
``(k, f, gn)`` are filled at log-spaced k (k = 0, 1, 2, ... then about 5% apart)
and at the last iterate, up to ``traj.shape[0]`` rows.

The template must not use relative imports or ``from __future__`` imports; the line
binding the placeholders is replaced in generated modules.
"""

import math

from numba import njit

from synthetic._template_globals import fg, step  # TEMPLATE-BINDING: replaced

__all__ = ["iterate_1d", "iterate_nd", "CONVERGED", "DIVERGED", "MAX_ITER", "CAUSES"]

CONVERGED, DIVERGED, MAX_ITER = 0, 1, 2
CAUSES = ("", "nan", "inf", "overflow")

_JIT = dict(cache=True, nogil=True, error_model="numpy")


@njit(**_JIT)
def _cause(x_finite, f, gn):
    if not x_finite:
        return 3
    if math.isnan(f) or math.isnan(gn):
        return 1
    return 2


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
def iterate_1d(x0, p, s, eps, max_iter, traj):
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
            n = _record_last(traj, n, k, f, gn)
            return DIVERGED, _cause(math.isfinite(x), f, gn), k, x, f, gn, gmax, monotone, n
        if gn > gmax:
            gmax = gn
        if k == nxt:
            n = _record(traj, n, k, f, gn)
            nxt = _next_record(k)
        if gn <= eps:
            n = _record_last(traj, n, k, f, gn)
            return CONVERGED, 0, k, x, f, gn, gmax, monotone, n
        if k == max_iter:
            n = _record_last(traj, n, k, f, gn)
            return MAX_ITER, 0, k, x, f, gn, gmax, monotone, n
        x = x - step(gn, s) * g
        f, g = fg(x, p)
        gn = abs(g)
        if not (f <= fprev):
            monotone = False
        fprev = f
        k += 1


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
def iterate_nd(x0, p, s, eps, max_iter, traj):
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
            n = _record_last(traj, n, k, f, gn)
            return DIVERGED, _cause(_all_finite(x), f, gn), k, x, f, gn, gmax, monotone, n
        if gn > gmax:
            gmax = gn
        if k == nxt:
            n = _record(traj, n, k, f, gn)
            nxt = _next_record(k)
        if gn <= eps:
            n = _record_last(traj, n, k, f, gn)
            return CONVERGED, 0, k, x, f, gn, gmax, monotone, n
        if k == max_iter:
            n = _record_last(traj, n, k, f, gn)
            return MAX_ITER, 0, k, x, f, gn, gmax, monotone, n
        h = step(gn, s)
        for i in range(x.size):
            x[i] -= h * g[i]
        f = fg(x, p, g)
        gn = _norm(g)
        if not (f <= fprev):
            monotone = False
        fprev = f
        k += 1
