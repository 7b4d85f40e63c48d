"""Compiled part of the sweep engine (private; use :func:`synthetic.sweep.sweep`).

One-variable objectives: :func:`chunk_1d` runs trajectories ``lo..hi-1`` on a block
of ``W`` lanes iterated in lock-step from one small local state array, so that LLVM
turns the loop over lanes into vector instructions (``W`` is a runtime argument on
purpose: with a constant trip count LLVM unrolls the lane loop fully, and numba
leaves the SLP vectorizer off, so the code would stay scalar). The hot loop takes
``_T`` steps per lane with the state in registers, without branches (selects
instead of ``if``), and ORs together an "event" flag (not finite, ``gn <= eps`` or
``k == max_iter``). A batch with an event is rolled back to its saved start and
redone one step at a time, so that each event is handled at its exact step: a
scalar path writes the lane's result and refills the lane with the chunk's next
trajectory. When the queue is empty, finished lanes are *parked*: they copy the
state of a live lane (so they keep computing ordinary numbers) and their events are
ignored. The block ends when no lane is live.

Per lane, the arithmetic is exactly that of :func:`synthetic.kernels.iterate_1d`:
the same generated ``fg``, the same ``step_size``, the same operations in the same
order, no ``fastmath``; so each trajectory's result equals a single run's, bit for
bit, whatever the chunking, the lane it landed in and the thread count. (The step
rule receives its parameters as a tuple padded to :data:`NPMAX` entries instead of
an array: an array view per lane would cost reference counting in the hot loop and
block vectorization; the rule's arithmetic is the same.)

d variables are not interleaved: :func:`synthetic.sweep.sweep` calls the generated
:func:`synthetic.kernels.iterate_nd` once per trajectory.

This module is a kernel *template* like :mod:`synthetic.kernels`: :mod:`synthetic.codegen`
copies :func:`chunk_1d` (and what it calls) into each generated (family, step rule)
module, next to the family's ``fg`` and the rule's ``step_size``, so the 1-D engine inlines
both and is cached on disk, compiled once per machine. Results go into the
:class:`~synthetic.result.Outcomes` record ``out`` at the trajectory's index.

:func:`chunk_1d` releases the GIL (``nogil=True``); :func:`synthetic.sweep.sweep`
runs chunks on a thread pool. Parallelism by threads rather than ``prange``: the
parallel driver would be one more compilation per (family, rule) pair (about as
long as the chunk function itself), and a thread pool balances chunks of unequal
length dynamically and reports progress per chunk.
"""

import math

import numpy as np
from numba import njit

from synthetic._template_globals import fg, step_size
from synthetic.kernels import _cause, _store
from synthetic.result import CAUSE_NONE, CONVERGED, DIVERGED, MAX_ITER

__all__ = ["NPMAX", "W", "chunk_1d"]

#: Most step-rule parameters the 1-D engine takes (passed to the rule as a padded tuple).
NPMAX = 4
_WMAX = 64  # row length of the state array: a compile-time constant, whatever W is

#: Steps per batch in the hot loop (state kept in registers for T steps). Each vector
#: iteration of the lane loop is one dependency chain of T steps: a shorter chain lets the
#: out-of-order core overlap more lane groups (benchmarks/README.md, "T and W").
_T = 2

#: Lanes per block. On Zen 4 (AVX-512) 8 lanes ran at about 2/3 the speed of 16 and 32 or
#: 64 were no faster than 16; on Zen 3 (AVX2) T = 2 with 32 lanes is about 20% faster
#: than T = 4 with 16 (benchmarks/README.md).
W = 32

_JIT = dict(cache=True, nogil=True, error_model="numpy")


@njit(**_JIT)
def _start(i, x0, p, eps, out):
    """Evaluate trajectory i at k = 0; write its result and return True if it ends there."""
    x = x0[i]
    f, g = fg(x, p)
    gn = abs(g)
    if not (math.isfinite(gn) and math.isfinite(f)):
        out.x[i] = x
        _store(out, i, DIVERGED, _cause(math.isfinite(x), f, gn), 0, f, gn, 0.0, True, 0)
        return True, f, g, gn
    if gn <= eps[i]:
        out.x[i] = x
        _store(out, i, CONVERGED, CAUSE_NONE, 0, f, gn, gn if gn > 0.0 else 0.0, True, 0)
        return True, f, g, gn
    return False, f, g, gn


# rows of the per-block state array (one float64 array with a constant row length, so
# LLVM sees one base pointer with constant row offsets and can prove that the lane
# loop's accesses do not alias). Rows _SX.._SMONO keep the state at the start of a
# T-step batch, for the rollback.
_X, _F, _G, _GN, _GM, _MONO, _EPS, _KEND, _ALIVE = range(9)
_SX, _SF, _SG, _SGN, _SGM, _SMONO = range(9, 15)
_S = 15
_NSTATE = 6  # rows _X.._MONO are the state proper (copied to / from _SX.._SMONO)


@njit(**_JIT)
def _one_step(p, s, x, f, g, gn, gm, mo):
    """One iteration of iterate_1d's loop for one lane, without branches."""
    h = step_size(x, f, g, gn, p, s)
    xn = x - h * g
    fn, gw = fg(xn, p)
    gnn = abs(gw)
    ok = math.isfinite(gnn) & math.isfinite(fn)
    mo = mo & (fn <= f)
    gm = gnn if (ok & (gnn > gm)) else gm
    return xn, fn, gw, gnn, gm, mo, ok


@njit(**_JIT)
def chunk_1d(W, lo, hi, x0, p, S, eps, max_iter, out):
    """Run trajectories lo..hi-1 on W interleaved lanes; outcomes go into ``out``."""
    P = S.shape[1]
    st = np.zeros((_S + NPMAX, _WMAX))
    kstart = np.zeros(W, dtype=np.int64)  # block step at which the lane's x0 was loaded
    idx = np.full(W, -1, dtype=np.int64)
    nxt = lo
    K = 0  # block step counter
    nalive = 0
    refill = True
    single = 0  # single steps to take before the next T-step batch
    while True:
        if refill:
            # scalar path: load new trajectories into free lanes, park the rest
            for lane in range(W):
                while st[_ALIVE, lane] == 0.0 and nxt < hi:
                    i = nxt
                    nxt += 1
                    done, f0, g0, gn0 = _start(i, x0, p, eps, out)
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
        if single == 0:
            # hot loop: T steps of every lane, state in registers, branch-free; any
            # event in the batch -> roll back and redo the batch one step at a time
            ev = False
            for lane in range(W):
                s = (st[_S, lane], st[_S + 1, lane], st[_S + 2, lane], st[_S + 3, lane])
                x, f, g, gn = st[_X, lane], st[_F, lane], st[_G, lane], st[_GN, lane]
                gm, mo = st[_GM, lane], st[_MONO, lane] != 0.0
                el, ke = st[_EPS, lane], st[_KEND, lane]
                st[_SX, lane], st[_SF, lane], st[_SG, lane], st[_SGN, lane] = x, f, g, gn
                st[_SGM, lane], st[_SMONO, lane] = st[_GM, lane], st[_MONO, lane]
                e = False
                for t in range(_T):
                    x, f, g, gn, gm, mo, ok = _one_step(p, s, x, f, g, gn, gm, mo)
                    e = e | (not ok) | (gn <= el) | (float(K + 1 + t) == ke)
                st[_X, lane], st[_F, lane], st[_G, lane], st[_GN, lane] = x, f, g, gn
                st[_GM, lane], st[_MONO, lane] = gm, 1.0 if mo else 0.0
                ev = ev | (e & (st[_ALIVE, lane] != 0.0))
            if not ev:
                K += _T
                continue
            for r in range(_NSTATE):
                for lane in range(W):
                    st[_X + r, lane] = st[_SX + r, lane]
            single = _T
        # one step of every lane, then the exact per-lane event checks
        K += 1
        single -= 1
        Kf = float(K)
        ev = False
        for lane in range(W):
            s = (st[_S, lane], st[_S + 1, lane], st[_S + 2, lane], st[_S + 3, lane])
            x, f, g, gn, gm, mo, ok = _one_step(
                p, s, st[_X, lane], st[_F, lane], st[_G, lane], st[_GN, lane],
                st[_GM, lane], st[_MONO, lane] != 0.0,
            )  # fmt: skip
            e = (not ok) | (gn <= st[_EPS, lane]) | (Kf == st[_KEND, lane])
            st[_X, lane], st[_F, lane], st[_G, lane], st[_GN, lane] = x, f, g, gn
            st[_GM, lane], st[_MONO, lane] = gm, 1.0 if mo else 0.0
            ev = ev | (e & (st[_ALIVE, lane] != 0.0))
        if not ev:
            continue
        # scalar path: write the results of the lanes that ended at this step
        for lane in range(W):
            if st[_ALIVE, lane] == 0.0:
                continue
            fl, gnl, xl = st[_F, lane], st[_GN, lane], st[_X, lane]
            if not (math.isfinite(gnl) and math.isfinite(fl)):
                stt, ca = DIVERGED, _cause(math.isfinite(xl), fl, gnl)
            elif gnl <= st[_EPS, lane]:
                stt, ca = CONVERGED, CAUSE_NONE
            elif Kf == st[_KEND, lane]:
                stt, ca = MAX_ITER, CAUSE_NONE
            else:
                continue
            i = idx[lane]
            out.x[i] = xl
            mo = st[_MONO, lane] != 0.0
            _store(out, i, stt, ca, K - kstart[lane], fl, gnl, st[_GM, lane], mo, 0)
            st[_ALIVE, lane] = 0.0
            nalive -= 1
        refill = True
