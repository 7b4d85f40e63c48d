"""Stochastic clipping: clipped SGD (Theorem 7) and SGD (Theorem 8) with seeded noise.

Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 v2, Section 4 (stochastic setting). With
the oracle ``g_k = grad f(x_k) + xi_k`` of :mod:`synthetic.noise` (Assumption 5 for
the bounded kinds: unbiased, ``||xi_k|| <= tau`` a.s.), the methods are
``x_{k+1} = x_k - h_k g_k`` with

===============  =============  ===============================================
method           parameters     h_k
===============  =============  ===============================================
``clipped_sgd``  (eta, clip)    ``min{clip/(||g_k|| + tau), eta}``
``sgd``          (h,)           ``h``
===============  =============  ===============================================

Theorem 7 (printed): ``eta = min{1/(20 L0), 1/(128 L1 tau), 1/sqrt(T)}`` and
``clip = 1/(16 eta L1)`` as printed, or ``clip = 1/(16 L1)`` in the dimensionally
consistent reading (``theory.theorems.THEOREM_7.parameters`` gives both). Theorem 8
(printed): ``h = min{1/sqrt(T), 1/(L1 (M + tau))}``. The ``tau`` inside the clipped
step is the noise's ``tau``.

Conventions are those of the deterministic kernels (:mod:`synthetic.kernels`):
eps-stationarity is checked with the **true** gradient, ``||grad f(x_k)|| <= eps``;
``iterations`` is the first hitting time ``k`` (converged), the index of the first
non-finite iterate (diverged, with cause ``nan`` / ``inf`` / ``overflow``), or
``max_iter`` (censored: no iterate ``x_0 .. x_max_iter`` was eps-stationary). Iteration
``k`` draws exactly one noise sample (after the checks at ``x_k``), so trajectory ``i``
adds the noise ``sample_noise(..., seed=seed, trajectory=i)`` in order.

Complexity for random iterates (docs/paper.md, recalled): the smallest ``k`` with
``P(||grad f(x_j)|| > eps for all j <= k) <= 1/2``, i.e. the median first hitting time;
:func:`complexity` estimates it from the runs with a seeded percentile bootstrap CI.

The trajectories run in parallel (``prange``); each re-seeds its thread's generator
with its own seed first, so results are bit-identical whatever the thread count.
The step rules are those of :data:`synthetic.steprules.RULES` with
``setting="stochastic"``; the kernels (``run_1d``, ``run_nd`` of :mod:`synthetic.kernels`)
are part of each generated (family, rule) module of :mod:`synthetic.codegen`. numba,
``cache=True``, no ``fastmath`` (it would drop the NaN/inf checks).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .noise import NoiseSpec, noise_spec, trajectory_seeds
from .objective import Objective, objective_from_expr
from .result import CONVERGED, DIVERGED, CodedOutcomes, outcome_arrays
from .run import DEFAULT_MAX_ITER, validate_eps, validate_start
from .steprules import RULES, clipped_sgd, rule, rules

__all__ = [
    "METHODS",
    "Complexity",
    "StochasticResult",
    "clipped_sgd",
    "complexity",
    "median_hitting_time",
    "run_stochastic",
]

#: The stochastic step rules of :data:`synthetic.steprules.RULES`, by name.
METHODS = rules("stochastic")


# ------------------------------------------------------------------------------ results
@dataclass(frozen=True, eq=False)
class StochasticResult(CodedOutcomes):
    """``n`` independent runs of one stochastic method from one start (one per seed).

    Attributes
    ----------
    method, params
        The method and its parameters (name -> float).
    noise
        The :class:`~synthetic.noise.NoiseSpec` (kind, tau, ...).
    x0, eps, max_iter, seed
        Start, tolerance, iteration cap and the run's seed.
    seeds
        The per-trajectory generator seeds (:func:`synthetic.noise.trajectory_seeds`).
    status_code, cause_code, iterations
        Per trajectory, as in :class:`synthetic.sweep.SweepResult`: the codes
        ``CONVERGED`` / ``DIVERGED`` / ``MAX_ITER`` of :mod:`synthetic.result`;
        ``iterations`` is the first hitting time of ``||grad f(x_k)|| <= eps`` (true
        gradient) when converged.
    x_final, f_final, grad_norm_final, grad_norm_max
        The last iterate (``(n,)`` or ``(n, d)``), f and the true gradient norm there,
        the largest true gradient norm seen.
    """

    method: str
    params: dict
    noise: NoiseSpec
    x0: np.ndarray
    eps: float
    max_iter: int
    seed: int
    seeds: np.ndarray
    status_code: np.ndarray
    cause_code: np.ndarray
    iterations: np.ndarray
    x_final: np.ndarray
    f_final: np.ndarray
    grad_norm_final: np.ndarray
    grad_norm_max: np.ndarray

    @property
    def hitting_times(self) -> np.ndarray:
        """First hitting times as floats: ``inf`` for diverged and censored runs."""
        return np.where(self.status_code == CONVERGED, self.iterations.astype(np.float64), np.inf)

    def complexity(self, level: float = 0.95, n_boot: int = 2000, seed: int = 0) -> Complexity:
        """The median first hitting time with a bootstrap CI (see :func:`complexity`)."""
        return complexity(
            self.hitting_times, max_iter=self.max_iter, level=level, n_boot=n_boot, seed=seed,
            n_diverged=int(np.sum(self.status_code == DIVERGED)),
        )  # fmt: skip


@dataclass(frozen=True)
class Complexity:
    """Median first hitting time over seeds, with a percentile bootstrap interval.

    The iteration complexity of a method with random iterates (docs/paper.md, recalled for
    arXiv 1905.11881 v2) is the smallest ``k`` with ``P(T_eps > k) <= 1/2``. Its
    estimate from ``n`` runs is the ``ceil(n/2)``-th smallest hitting time (runs that
    never hit count as ``inf``).

    Attributes
    ----------
    median
        The estimate; ``inf`` when fewer than half the runs hit eps within the cap.
    ci_low, ci_high
        The bootstrap interval at ``level`` (``inf`` ends when censored resamples
        reach that far).
    censored
        ``median`` is ``inf`` because of the cap: only ``median > max_iter`` is known
        (``False`` when the runs that never hit all diverged).
    n, n_converged, n_diverged, n_censored
        Counts of runs.
    level, n_boot, max_iter
        The interval's level, the number of resamples and the cap of the runs.
    """

    median: float
    ci_low: float
    ci_high: float
    censored: bool
    n: int
    n_converged: int
    n_diverged: int
    n_censored: int
    level: float
    n_boot: int
    max_iter: int | None

    @property
    def median_lower_bound(self) -> float:
        """``median``, or ``max_iter + 1`` when censored (a lower bound)."""
        if self.censored and self.max_iter is not None:
            return float(self.max_iter + 1)
        return self.median


def median_hitting_time(times: Sequence[float] | np.ndarray) -> float:
    """The ``ceil(n/2)``-th smallest of the hitting times (``inf`` = never hit).

    This is the smallest ``k`` with empirical ``P(T > k) <= 1/2`` (docs/paper.md, iteration
    complexity of random iterates, arXiv 1905.11881 v2).
    """
    t = np.asarray(times, dtype=np.float64).reshape(-1)
    if t.size == 0:
        raise ValueError("median_hitting_time needs at least one run")
    if np.any(np.isnan(t)) or np.any(t < 0):
        raise ValueError("hitting times must be >= 0 or inf (never hit)")
    m = (t.size + 1) // 2
    return float(np.partition(t, m - 1)[m - 1])


def complexity(
    times: Sequence[float] | np.ndarray,
    *,
    max_iter: int | None = None,
    level: float = 0.95,
    n_boot: int = 2000,
    seed: int = 0,
    n_diverged: int = 0,
) -> Complexity:
    """Median first hitting time and its percentile bootstrap CI (seeded, numpy).

    Parameters
    ----------
    times
        First hitting times, ``inf`` for runs that never hit (diverged or censored).
    max_iter
        The cap of the runs (for :attr:`Complexity.median_lower_bound`).
    level
        Confidence level of the interval, in (0, 1).
    n_boot
        Number of bootstrap resamples (>= 1).
    seed
        Seed of the resampling (``numpy.random.default_rng``): same seed, same interval.
    n_diverged
        How many of the ``inf`` entries are diverged runs (the rest are censored).
    """
    t = np.asarray(times, dtype=np.float64).reshape(-1)
    med = median_hitting_time(t)
    if not (0.0 < float(level) < 1.0):
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ValueError(f"n_boot must be an integer >= 1, got {n_boot!r}")
    n = t.size
    m = (n + 1) // 2
    rng = np.random.default_rng(seed)
    meds = np.empty(n_boot)
    chunk = max(1, 2_000_000 // n)
    for a in range(0, n_boot, chunk):
        b = min(n_boot, a + chunk)
        sample = t[rng.integers(0, n, size=(b - a, n))]
        meds[a:b] = np.partition(sample, m - 1, axis=1)[:, m - 1]
    meds.sort()
    alpha = 1.0 - float(level)
    lo = meds[int(math.floor(alpha / 2 * n_boot))]
    hi = meds[max(0, int(math.ceil((1 - alpha / 2) * n_boot)) - 1)]
    n_conv = int(np.sum(np.isfinite(t)))
    n_inf = n - n_conv
    n_div = min(int(n_diverged), n_inf)
    return Complexity(
        median=med,
        ci_low=float(lo),
        ci_high=float(hi),
        censored=bool(math.isinf(med) and n_inf > n_div),
        n=n,
        n_converged=n_conv,
        n_diverged=n_div,
        n_censored=n_inf - n_div,
        level=float(level),
        n_boot=int(n_boot),
        max_iter=None if max_iter is None else int(max_iter),
    )


# ------------------------------------------------------------------------------ wrapper
def _params(method: str, params: dict) -> tuple[tuple[str, ...], dict[str, float]]:
    step = rule(method, setting="stochastic")
    unknown = set(params) - set(step.params)
    if unknown:
        raise ValueError(
            f"{method} takes {', '.join(step.params)}; unknown: {', '.join(sorted(unknown))}"
        )
    return step.params, dict(zip(step.params, step.validate(params)))


def run_stochastic(
    objective: Objective | str,
    method: str,
    x0: float | Sequence[float] | np.ndarray,
    eps: float,
    *,
    noise: str = "ball",
    tau: float,
    n_runs: int = 200,
    seed: int = 0,
    max_iter: int = DEFAULT_MAX_ITER,
    df: float = 3.0,
    direction=None,
    **params: float,
) -> StochasticResult:
    """Run a stochastic method from ``x0`` with ``n_runs`` independent noise streams.

    Parameters
    ----------
    objective
        An :class:`~synthetic.objective.Objective` or an expression string.
    method
        ``clipped_sgd`` (``eta``, ``clip``; Theorem 7 of arXiv 1905.11881 v2) or ``sgd``
        (``h``; Theorem 8), see :data:`METHODS`.
    x0
        The start (shared by all runs).
    eps
        Target norm of the **true** gradient, finite and > 0.
    noise, tau, df, direction
        The noise oracle (:func:`synthetic.noise.noise_spec`); ``tau`` is also the
        ``tau`` of the clipped step.
    n_runs
        Number of independent runs (>= 1); run ``i`` uses noise stream ``(seed, i)``.
    seed
        The run's seed (>= 0). Same seed, same numbers, whatever the thread count.
    max_iter
        Iteration cap of every run (>= 1); runs reaching it are censored.
    **params
        The method's step parameters.

    Returns
    -------
    StochasticResult
        Per-run outcomes; ``.complexity()`` gives the median first hitting time.
    """
    if isinstance(objective, str):
        objective = objective_from_expr(objective)
    names, values = _params(method, params)
    eps = validate_eps(eps)
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"max_iter must be an integer >= 1, got {max_iter!r}")
    if isinstance(n_runs, bool) or not isinstance(n_runs, (int, np.integer)) or n_runs < 1:
        raise ValueError(f"n_runs must be an integer >= 1, got {n_runs!r}")
    spec = noise_spec(noise, tau, objective.dim, df=df, direction=direction)
    x = validate_start(objective, x0)
    seeds = trajectory_seeds(seed, int(n_runs))
    context = {"tau": spec.tau}
    s = np.array([values[k] for k in names] + [context[k] for k in RULES[method].context])
    out = outcome_arrays(int(n_runs), objective.dim)
    kern = objective.family.compiled.kernels(method)
    p = objective.values
    noise = (spec.code, spec.tau, spec.df)
    if objective.dim == 1:
        kern.run_1d(float(x[0]), p, s, *noise, seeds, eps, int(max_iter), out)
    else:
        kern.run_nd(x, p, s, *noise, spec.direction, seeds, eps, int(max_iter), out)
    return StochasticResult(
        method=method,
        params=values,
        noise=spec,
        x0=x.copy(),
        eps=eps,
        max_iter=int(max_iter),
        seed=int(seed),
        seeds=seeds,
        **CodedOutcomes.fields(out),
    )
