"""Compiled part of the sweep engine (private; use :func:`synthetic.sweep.sweep`).

One-variable objectives: the trajectories are cut into chunks; ``prange`` runs the
chunks in parallel and each chunk is advanced by :func:`_chunk_1d`, a block of
``W`` lanes iterated in lock-step from small local arrays, so that LLVM turns the
lane loop into vector instructions. The hot loop computes every lane without a
branch (select instead of ``if``) and only ORs together an "event" flag; when a
lane meets an event (not finite, ``gn <= eps`` or ``k == max_iter``) a scalar
path writes its result and refills the lane with the chunk's next trajectory.
When the chunk's queue is empty, finished lanes are *parked*: they copy the state
of a live lane (so they keep computing ordinary numbers) and their events are
ignored. The block ends when no lane is live.

Per lane, the arithmetic is exactly that of :func:`synthetic.kernels.iterate_1d`:
the same generated ``fg``, the same step rule, the same operations in the same
order, no ``fastmath``; so each trajectory's result equals a single run's, bit
for bit, whatever the chunking, the lane it landed in and the thread count.

d variables: a parallel loop over single :func:`synthetic.kernels.iterate_nd`
calls (correct and simple; no lane interleaving).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from .kernels import _cause, iterate_nd

__all__ = ["NPMAX", "W", "sweep_1d", "sweep_nd"]

#: Most step-rule parameters the 1-D engine takes (passed to the rule as a padded tuple:
#: an array view per lane would cost reference counting in the hot loop and block
#: vectorization).
NPMAX = 4
_WMAX = 64  # row length of the state array: a compile-time constant, whatever W is

#: Lanes per block (measured: 16 beats 8 on AVX-512 and AVX2; see benchmarks/README.md).
W = 16

_JIT = dict(cache=True, error_model="numpy")


@njit(**_JIT)
def _start(fg, i, x0, p, eps, status, cause, iters, xf, ff, gnf, gmx, mono):
    """Evaluate trajectory i at k = 0; write its result and return True if it ends there."""
    x = x0[i]
    f, g = fg(x, p)
    gn = abs(g)
    if not (math.isfinite(gn) and math.isfinite(f)):
        status[i], cause[i], iters[i] = 1, _cause(math.isfinite(x), f, gn), 0
        xf[i], ff[i], gnf[i], gmx[i], mono[i] = x, f, gn, 0.0, True
        return True, f, g, gn
    if gn <= eps[i]:
        status[i], cause[i], iters[i] = 0, 0, 0
        xf[i], ff[i], gnf[i], gmx[i], mono[i] = x, f, gn, gn if gn > 0.0 else 0.0, True
        return True, f, g, gn
    return False, f, g, gn


# rows of the per-block state array (one float64 array, so LLVM sees one base pointer
# with constant row offsets and can prove that the lane loop's accesses do not alias)
_X, _F, _G, _GN, _GM, _EPS, _MONO, _KEND, _ALIVE, _S = range(10)


@njit(**_JIT)
def _chunk_1d(fg, step, W, lo, hi, x0, p, S, eps, max_iter, status, cause, iters, xf, ff, gnf, gmx, mono):
    """Run trajectories lo..hi-1 on W interleaved lanes (see the module docstring)."""
    P = S.shape[1]
    st = np.zeros((_S + NPMAX, _WMAX))
    kstart = np.zeros(W, dtype=np.int64)  # block step at which the lane's x0 was loaded
    idx = np.full(W, -1, dtype=np.int64)
    nxt = lo
    K = 0  # block step counter
    nalive = 0
    refill = True
    while True:
        if refill:
            # scalar path: load new trajectories into free lanes, park the rest
            for lane in range(W):
                while st[_ALIVE, lane] == 0.0 and nxt < hi:
                    i = nxt
                    nxt += 1
                    done, f0, g0, gn0 = _start(
                        fg, i, x0, p, eps, status, cause, iters, xf, ff, gnf, gmx, mono
                    )
                    if done:
                        continue
                    st[_X, lane], st[_F, lane], st[_G, lane], st[_GN, lane] = x0[i], f0, g0, gn0
                    st[_GM, lane] = gn0 if gn0 > 0.0 else 0.0
                    st[_EPS, lane] = eps[i]
                    for j in range(P):
                        st[_S + j, lane] = S[i, j]
                    st[_MONO, lane] = 1.0
                    st[_KEND, lane] = float(K + max_iter)
                    kstart[lane] = K
                    idx[lane] = i
                    st[_ALIVE, lane] = 1.0
                    nalive += 1
            if nalive == 0:
                return
            src = 0
            while st[_ALIVE, src] == 0.0:
                src += 1
            for lane in range(W):
                if st[_ALIVE, lane] == 0.0:
                    for r in range(_S + NPMAX):
                        if r != _ALIVE:
                            st[r, lane] = st[r, src]
            refill = False
        # hot loop: one step of every lane, branch-free
        K += 1
        Kf = float(K)
        ev = False
        for lane in range(W):
            gl = st[_G, lane]
            s = (st[_S, lane], st[_S + 1, lane], st[_S + 2, lane], st[_S + 3, lane])
            h = step(st[_GN, lane], s)
            xn = st[_X, lane] - h * gl
            fn, gw = fg(xn, p)
            gnn = abs(gw)
            ok = math.isfinite(gnn) & math.isfinite(fn)
            st[_MONO, lane] = 1.0 if ((st[_MONO, lane] != 0.0) & (fn <= st[_F, lane])) else 0.0
            gm = st[_GM, lane]
            st[_GM, lane] = gnn if (ok & (gnn > gm)) else gm
            e = (not ok) | (gnn <= st[_EPS, lane]) | (Kf == st[_KEND, lane])
            st[_X, lane] = xn
            st[_F, lane] = fn
            st[_G, lane] = gw
            st[_GN, lane] = gnn
            ev = ev | (e & (st[_ALIVE, lane] != 0.0))
        if not ev:
            continue
        # scalar path: write the results of the lanes that ended at this step
        for lane in range(W):
            if st[_ALIVE, lane] == 0.0:
                continue
            fl, gnl, xl = st[_F, lane], st[_GN, lane], st[_X, lane]
            if not (math.isfinite(gnl) and math.isfinite(fl)):
                stt, ca = 1, _cause(math.isfinite(xl), fl, gnl)
            elif gnl <= st[_EPS, lane]:
                stt, ca = 0, 0
            elif Kf == st[_KEND, lane]:
                stt, ca = 2, 0
            else:
                continue
            i = idx[lane]
            status[i], cause[i], iters[i] = stt, ca, K - kstart[lane]
            xf[i], ff[i], gnf[i] = xl, fl, gnl
            gmx[i], mono[i] = st[_GM, lane], st[_MONO, lane] != 0.0
            st[_ALIVE, lane] = 0.0
            nalive -= 1
        refill = True


@njit(cache=True, error_model="numpy", parallel=True)
def sweep_1d(
    fg, step, W, x0, p, S, eps, max_iter, chunk, status, cause, iters, xf, ff, gnf, gmx, mono
):
    """Fill the output arrays for trajectories 0..n-1 (chunks of ``chunk`` in parallel)."""
    n = x0.size
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo = c * chunk
        hi = min(n, lo + chunk)
        _chunk_1d(
            fg, step, W, lo, hi, x0, p, S, eps, max_iter, status, cause, iters, xf, ff, gnf, gmx, mono
        )


@njit(cache=True, error_model="numpy", parallel=True)
def sweep_nd(fg, step, x0, p, S, eps, max_iter, status, cause, iters, xf, ff, gnf, gmx, mono):
    """d variables: one :func:`iterate_nd` per trajectory, in parallel."""
    n = x0.shape[0]
    for i in prange(n):
        traj = np.zeros((0, 3))
        out = iterate_nd(fg, step, x0[i], p, S[i], eps[i], max_iter, traj)
        status[i] = out[0]
        cause[i] = out[1]
        iters[i] = out[2]
        xf[i, :] = out[3]
        ff[i] = out[4]
        gnf[i] = out[5]
        gmx[i] = out[6]
        mono[i] = out[7]
