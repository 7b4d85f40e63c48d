"""Noise oracles for stochastic gradients: g_k = grad f(x_k) + xi_k (arXiv 1905.11881 v2).

Assumption 5 of Zhang, He, Sra, Jadbabaie (v2): the estimate is unbiased and
``||g_k - grad f(x_k)|| <= tau`` almost surely. The oracles here draw i.i.d. noise
``xi_k``, independent of the iterate, so that ``g_k = grad f(x_k) + xi_k``:

==============  ======  ===========================================================
kind            code    xi (dimension d)
==============  ======  ===========================================================
``ball``        0       uniform in the ball ||xi|| <= tau (1-D: uniform on [-tau, tau])
``sphere``      1       uniform on the sphere ||xi|| = tau (1-D: +-tau, prob. 1/2 each)
``two_point``   2       +-tau u with prob. 1/2 each, u a fixed unit direction (default e1)
``gaussian``    3       N(0, (tau^2/d) I): E||xi||^2 = tau^2. **Outside Assumption 5**
``student_t``   4       t_df per coordinate scaled to variance tau^2/d (df > 2).
                        **Outside Assumption 5** (heavy tails)
==============  ======  ===========================================================

Bounded kinds are symmetric, hence unbiased (in 1-D ``ball`` up to the 2^-53 grid of the
uniform generator). Their norm is at most ``tau``
*as computed*: a direction normalised in floating point can have norm ``1 + 1 ulp``,
so a bounded sample whose computed norm exceeds ``tau (1 - 2^-50)`` is shrunk by a
factor ``1 - 2^-50`` until it does not (a relative change of ~1e-15, which keeps the
bound with a margin of a few ulps whichever way the norm is summed).

Seeding (thread-count independence): trajectory ``i`` of a run with seed ``s`` draws
from numba's Mersenne Twister re-seeded with :func:`trajectory_seeds` ``(s, n)[i]``, a
function of ``(s, i)`` only (``numpy.random.SeedSequence(s, spawn_key=(i,))``). Every
trajectory re-seeds the generator of the thread it runs on before its first draw and
draws one sample per iteration, so its noise stream does not depend on the thread
count, the scheduling or the other trajectories. :func:`sample_noise` returns the
first ``n`` samples of one such stream: the noise ``xi_0, xi_1, ...`` that the
stochastic kernels (:mod:`synthetic.stochastic`) add in trajectory ``i``.
"""

# numba's compiled code has the legacy np.random API only (one Mersenne Twister per
# thread); it is re-seeded per trajectory, see the module docstring.
# ruff: noqa: NPY002

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

__all__ = [
    "BOUNDED",
    "KINDS",
    "NoiseSpec",
    "noise_spec",
    "sample_noise",
    "trajectory_seeds",
]

#: Noise kinds, in the order of their integer codes.
KINDS = ("ball", "sphere", "two_point", "gaussian", "student_t")
#: Kinds satisfying Assumption 5 (||xi|| <= tau almost surely).
BOUNDED = frozenset({"ball", "sphere", "two_point"})

_JIT = dict(cache=True, error_model="numpy")


@dataclass(frozen=True)
class NoiseSpec:
    """A validated noise oracle, ready for the kernels.

    Attributes
    ----------
    kind, code
        The kind (see :data:`KINDS`) and its integer code.
    tau
        The scale: the almost-sure bound of bounded kinds, the root mean square norm
        ``sqrt(E||xi||^2)`` of the unbounded ones.
    dim
        The dimension d of the samples.
    df
        Degrees of freedom (``student_t`` only; > 2).
    direction
        The unit direction of ``two_point`` (float array of length ``dim``).
    bounded
        Whether Assumption 5 holds with this ``tau``.
    """

    kind: str
    code: int
    tau: float
    dim: int
    df: float
    direction: np.ndarray
    bounded: bool

    @property
    def params(self) -> np.ndarray:
        """``[tau, df]``: the scalar parameters as the kernels take them."""
        return np.array([self.tau, self.df], dtype=np.float64)


def noise_spec(
    kind: str, tau: float, dim: int = 1, *, df: float = 3.0, direction=None
) -> NoiseSpec:
    """Validate a noise description (one-line ValueError naming what is wrong).

    Parameters
    ----------
    kind
        One of :data:`KINDS`.
    tau
        Scale, finite and >= 0 (``tau = 0`` is the deterministic oracle).
    dim
        Dimension of the samples (>= 1).
    df
        Student-t degrees of freedom, finite and > 2 (finite variance).
    direction
        ``two_point`` only: the direction u (normalised here; default e1).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown noise kind {kind!r}; allowed: {', '.join(KINDS)}")
    try:
        t = float(tau)
    except (TypeError, ValueError):
        raise ValueError(f"tau must be a number >= 0, got {tau!r}") from None
    if not (math.isfinite(t) and t >= 0):
        raise ValueError(f"tau must be finite and >= 0, got {tau!r}")
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 1:
        raise ValueError(f"dim must be an integer >= 1, got {dim!r}")
    dfv = float(df)
    if kind == "student_t" and not (math.isfinite(dfv) and dfv > 2):
        raise ValueError(f"student_t needs df > 2 (finite variance), got {df!r}")
    u = np.zeros(int(dim))
    u[0] = 1.0
    if direction is not None:
        u = np.asarray(direction, dtype=np.float64).reshape(-1)
        if u.size != dim or not np.all(np.isfinite(u)) or not np.any(u):
            raise ValueError(f"direction must be a finite nonzero vector of length {dim}")
        u = u / np.linalg.norm(u)
    return NoiseSpec(kind, KINDS.index(kind), t, int(dim), dfv, u, kind in BOUNDED)


def trajectory_seeds(seed: int, n: int) -> np.ndarray:
    """Per-trajectory seeds: entry i is a function of ``(seed, i)`` only.

    ``numpy.random.SeedSequence(seed, spawn_key=(i,))`` (what ``SeedSequence(seed).spawn``
    makes for child i), reduced to one 32-bit word, the seed of numba's generator.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    return np.array([_one_seed(int(seed), i) for i in range(int(n))], dtype=np.int64)


def _one_seed(seed: int, i: int) -> int:
    ss = np.random.SeedSequence(seed, spawn_key=(i,))
    return int(ss.generate_state(1, dtype=np.uint32)[0])


# ----------------------------------------------------------------------- compiled draws
@njit(**_JIT)
def draw_1d(code, tau, df):
    """One scalar noise sample (d = 1) from the current thread's generator."""
    if code == 0:
        return tau * (2.0 * np.random.random() - 1.0)
    if code == 1 or code == 2:
        return tau if np.random.random() < 0.5 else -tau
    if code == 3:
        return tau * np.random.standard_normal()
    t = np.random.standard_t(df)
    return tau * math.sqrt((df - 2.0) / df) * t


@njit(**_JIT)
def _sumsq(v):
    acc = 0.0
    for i in range(v.size):
        acc += v[i] * v[i]
    return acc


@njit(**_JIT)
def draw_nd(code, tau, df, direction, out):
    """Fill ``out`` (length d) with one noise sample from the current thread's generator."""
    d = out.size
    if code == 2:
        s = tau if np.random.random() < 0.5 else -tau
        for i in range(d):
            out[i] = s * direction[i]
    elif code == 0 or code == 1:
        nz = 0.0
        while nz == 0.0:
            for i in range(d):
                out[i] = np.random.standard_normal()
            nz = math.sqrt(_sumsq(out))
        r = tau
        if code == 0:
            r = tau * np.random.random() ** (1.0 / d)
        for i in range(d):
            out[i] = out[i] / nz * r
    elif code == 3:
        sc = tau / math.sqrt(d)
        for i in range(d):
            out[i] = sc * np.random.standard_normal()
        return
    else:
        sc = tau / math.sqrt(d) * math.sqrt((df - 2.0) / df)
        for i in range(d):
            out[i] = sc * np.random.standard_t(df)
        return
    lim = tau * (1.0 - 2.0**-50)
    while _sumsq(out) > lim * lim:
        for i in range(d):
            out[i] *= 1.0 - 2.0**-50


@njit(**_JIT)
def _stream_1d(seed, code, tau, df, n):
    np.random.seed(seed)
    out = np.empty(n)
    for k in range(n):
        out[k] = draw_1d(code, tau, df)
    return out


@njit(**_JIT)
def _stream_nd(seed, code, tau, df, direction, n, d):
    np.random.seed(seed)
    out = np.empty((n, d))
    for k in range(n):
        draw_nd(code, tau, df, direction, out[k])
    return out


def sample_noise(
    kind: str,
    tau: float,
    n: int,
    dim: int = 1,
    *,
    seed: int = 0,
    trajectory: int = 0,
    df: float = 3.0,
    direction=None,
) -> np.ndarray:
    """The first ``n`` noise samples of one trajectory's stream, shape ``(n, dim)``.

    Parameters
    ----------
    kind, tau, dim, df, direction
        See :func:`noise_spec`.
    n
        Number of samples (>= 0).
    seed, trajectory
        The run's seed and the trajectory index: the result is the noise
        ``xi_0 .. xi_{n-1}`` that trajectory ``trajectory`` of a stochastic run with
        ``seed`` adds to its gradients (one sample per iteration).

    Returns
    -------
    numpy.ndarray
        ``(n, dim)`` float64 samples; for bounded kinds every row has norm <= tau
        (Assumption 5 of arXiv 1905.11881 v2).
    """
    spec = noise_spec(kind, tau, dim, df=df, direction=direction)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be an integer >= 0, got {n!r}")
    trajectory_seeds(seed, 0)  # validates the seed
    bad = isinstance(trajectory, bool) or not isinstance(trajectory, (int, np.integer))
    if bad or trajectory < 0:
        raise ValueError(f"trajectory must be an integer >= 0, got {trajectory!r}")
    s = _one_seed(int(seed), int(trajectory))
    if spec.dim == 1:
        return _stream_1d(s, spec.code, spec.tau, spec.df, int(n)).reshape(-1, 1)
    return _stream_nd(s, spec.code, spec.tau, spec.df, spec.direction, int(n), spec.dim)
