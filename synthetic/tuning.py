"""Oracle-tuned baselines: the best fixed GD step and the best clipped-GD pair for one instance.

Context (Zhang, He, Sra, Jadbabaie, arXiv 1905.11881, v2 numbering): Theorem 4 is a lower
bound over the *class* of fixed-step GD, whose step may depend on (L0, L1, M, eps, Delta)
but **not on the particular f or x0**; Theorems 3 and 6 fix the parameters from the
constants. The baselines here are **oracle-tuned**: for one instance (objective, x0, eps)
they search the step (GD) or the pair (eta, gamma) (clipped GD) that minimizes the
iteration count T_eps on that very instance. The paper's class does not allow such a
step, so a tuned count below a class lower bound is no contradiction of Theorem 4; the
baselines show what the best a user could do with hindsight on one start (provenance
``lab``).

Search (both functions).

1. A dense log grid (GD: ``n_grid`` steps; clipped GD: an ``n_eta x n_len`` grid of
   ``eta`` and of the step length ``gamma * eta``), run with :func:`synthetic.sweep.sweep`.
2. Refinement: ``refine_levels`` times, around each of the ``n_candidates`` best points so
   far, ``n_refine`` log-spaced values strictly between the point's neighbours on the
   current level's spacing (for the pair: a ``n_refine x n_refine`` sub-grid).

Counting with a shrinking cap. Only the smallest count matters, so a trajectory is run
with the cap ``min(max_iter, incumbent)`` where ``incumbent`` is the best count found so
far, starting at ``start_cap`` and doubled while nothing has converged;
trajectories still running when a cap is raised are *continued* from their last iterate
(GD, clipped and normalized GD are memoryless, so a continuation gives exactly the
iterates of one uninterrupted run: the count is the same as
:func:`synthetic.run.run`'s). A point censored at a cap ``>= incumbent`` has a count
larger than the incumbent and cannot win.

Ties and non-monotonicity. T_eps as a function of h is piecewise constant, and near the
divergence threshold it is not monotone (an oscillating iterate can land closer to the
minimizer): the search never assumes monotonicity, it keeps the grid's best points and
refines around several of them. Among points with the smallest count the largest step
wins (GD: largest ``h``; clipped GD: largest step length ``gamma * eta``, then largest
``eta``), so the reported parameter is reproducible and on the stable side of a plateau.

Caveat (one variable). In one dimension an oracle can land on the minimizer in one
step (h = (x0 - x*)/f'(x0)); a fine enough refinement finds windows of width about
``2 eps/(f''(x*) |f'(x0)|)`` around that step, so the tuned count of a 1-D instance
depends on the refinement's resolution. Instances with a second coordinate of a
different curvature (e.g. ``phi(x1) + x2^2/2``) do not have this degeneracy.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .objective import Objective, objective_from_expr
from .run import validate_eps, validate_start
from .sweep import sweep

__all__ = ["TunedGD", "TunedClipped", "tune_gd", "tune_clipped_gd", "default_h_range"]

_CONVERGED, _DIVERGED, _MAX_ITER = 0, 1, 2
_GROWTH = 2


@dataclass(frozen=True)
class TunedGD:
    """The oracle-tuned fixed GD step of one instance (not in the paper's class).

    Attributes
    ----------
    h
        The best step found (smallest count, then largest h); ``nan`` when no step
        converged within ``max_iter``.
    iterations
        Its T_eps; when ``status == 'max_iter'``, ``max_iter`` (a lower bound of the
        best count over the searched steps).
    status
        ``converged`` (some step reached eps), ``max_iter`` (no searched step reached eps
        within ``max_iter``: censored) or ``diverged`` (every searched step diverged).
    grid_size, evaluations
        Points of the initial log grid; trajectories run in total (grid + refinement).
    refinement_levels
        Refinement levels done.
    improved_by_refinement
        Whether refinement found a smaller count (or a larger h at the same count) than
        the grid.
    grid_best_iterations
        The best count on the initial grid alone.
    ties
        Searched steps sharing the best count.
    h_range, eps, max_iter
        The search range and settings.
    """

    h: float
    iterations: int
    status: str
    grid_size: int
    evaluations: int
    refinement_levels: int
    improved_by_refinement: bool
    grid_best_iterations: int
    ties: int
    h_range: tuple[float, float]
    eps: float
    max_iter: int


@dataclass(frozen=True)
class TunedClipped:
    """The oracle-tuned clipped-GD pair (eta, gamma) of one instance (not in the class).

    Attributes
    ----------
    eta, gamma
        The best pair found (smallest count, then largest step length gamma * eta, then
        largest eta); ``nan`` when none converged within ``max_iter``.
    iterations, status, grid_size, evaluations, refinement_levels,
    improved_by_refinement, grid_best_iterations, ties, eps, max_iter
        As in :class:`TunedGD`.
    eta_range, length_range
        The searched ranges of eta and of the step length gamma * eta.
    """

    eta: float
    gamma: float
    iterations: int
    status: str
    grid_size: int
    evaluations: int
    refinement_levels: int
    improved_by_refinement: bool
    grid_best_iterations: int
    ties: int
    eta_range: tuple[float, float]
    length_range: tuple[float, float]
    eps: float
    max_iter: int


# ------------------------------------------------------------------------- helpers
def default_h_range(objective: Objective | str, x0) -> tuple[float, float]:
    """The default GD search range ``[1e-9, 10] * (1 + ||x0||)/||grad f(x0)||``.

    ``(1 + ||x0||)/||grad f(x0)||`` is the step whose first move has length
    ``1 + ||x0||``: every step that converges from x0 is far below 10 times it unless
    the minimizer is much farther than ``||x0||``, and 9 decades below it cover
    minima far sharper than the start's slope. Pass ``h_range`` to override.
    """
    if isinstance(objective, str):
        objective = objective_from_expr(objective)
    x = validate_start(objective, x0)
    g0 = float(objective.grad_norm(x))
    if not (math.isfinite(g0) and g0 > 0):
        raise ValueError(f"the gradient at x0 must be finite and non-zero, got ||g|| = {g0}")
    ref = (1.0 + float(np.linalg.norm(x))) / g0
    return (1e-9 * ref, 10.0 * ref)


def _check_int(name: str, v, lo: int) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo:
        raise ValueError(f"{name} must be an integer >= {lo}, got {v!r}")
    return int(v)


def _check_range(name: str, r) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in r)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (lo, hi) of numbers, got {r!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and 0 < lo < hi):
        raise ValueError(f"{name} must satisfy 0 < lo < hi < inf, got {r!r}")
    return lo, hi


class _Counter:
    """Counts of one instance with the shrinking cap (see the module docstring)."""

    def __init__(self, objective, method, x0, eps, max_iter, start_cap, progress):
        self.objective, self.method, self.x0, self.eps = objective, method, x0, eps
        self.max_iter, self.start_cap, self.progress = max_iter, start_cap, progress
        self.incumbent = max_iter
        self.evaluations = 0

    def counts(self, params: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """(status code, count) per point; censored points carry the cap they reached."""
        n = len(next(iter(params.values())))
        self.evaluations += n
        status = np.full(n, _MAX_ITER, dtype=np.int8)
        count = np.zeros(n, dtype=np.int64)
        alive = np.arange(n)
        x = np.broadcast_to(self.x0, (n, *np.shape(self.x0))).copy()
        if self.objective.dim == 1:
            x = x.reshape(n)
        done = 0
        cap = min(self.start_cap, self.incumbent)
        while alive.size:
            budget = cap - done
            res = sweep(
                self.objective, self.method, x[alive], self.eps,
                {k: v[alive] for k, v in params.items()}, max_iter=max(budget, 1),
            )  # fmt: skip
            code = res.status_code
            it = res.iterations.astype(np.int64)
            fin = code != _MAX_ITER
            status[alive[fin]] = code[fin]
            count[alive[fin]] = done + it[fin]
            count[alive[~fin]] = cap
            conv = code == _CONVERGED
            if conv.any():
                self.incumbent = min(self.incumbent, int((done + it[conv]).min()))
            x[alive[~fin]] = res.x_final[~fin]
            alive = alive[~fin]
            done = cap
            if self.progress is not None:
                self.progress(self.evaluations - alive.size, self.evaluations)
            if cap >= self.incumbent or cap >= self.max_iter:
                break
            cap = min(cap * _GROWTH, self.incumbent, self.max_iter)
        return status, count


def _order(status: np.ndarray, count: np.ndarray, *keys: np.ndarray) -> np.ndarray:
    """Indices sorted best first: converged, smallest count, then largest keys."""
    rank = np.where(status == _CONVERGED, 0, np.where(status == _MAX_ITER, 1, 2))
    cnt = np.where(status == _DIVERGED, np.iinfo(np.int64).max, count)
    return np.lexsort(tuple(-k for k in reversed(keys)) + (cnt, rank))


def _between(lo: float, hi: float, n: int) -> np.ndarray:
    return np.logspace(math.log10(lo), math.log10(hi), n + 2)[1:-1]


def _status_word(status: np.ndarray) -> str:
    if (status == _CONVERGED).any():
        return "converged"
    if (status == _MAX_ITER).any():
        return "max_iter"
    return "diverged"


# -------------------------------------------------------------------------- GD step
def tune_gd(
    objective: Objective | str,
    x0,
    eps: float,
    *,
    h_range: tuple[float, float] | None = None,
    n_grid: int = 256,
    refine_levels: int = 3,
    n_refine: int = 16,
    n_candidates: int = 3,
    max_iter: int = 10**6,
    start_cap: int = 1024,
    progress: Callable[[int, int], None] | None = None,
) -> TunedGD:
    """The fixed GD step minimizing T_eps on one instance (an oracle, not the paper's class).

    Claim checked elsewhere: Theorem 4 (arXiv 1905.11881 v2) bounds fixed-step GD from
    below over its class, where h may not depend on f or x0; this baseline does depend on
    both, so it is a reference point, not a member of the class (module docstring).

    Parameters
    ----------
    objective, x0, eps
        The instance: objective (or expression), start and target gradient norm.
    h_range
        ``(lo, hi)`` of the log grid (default :func:`default_h_range`).
    n_grid
        Points of the initial log grid (>= 3).
    refine_levels, n_refine, n_candidates
        Refinement: levels, points between neighbours, and how many best points are
        refined at each level.
    max_iter
        Largest count considered; if no step converges within it the result is
        censored (``status == 'max_iter'``).
    start_cap
        First cap of the shrinking-cap search (module docstring).
    progress
        Optional ``callback(done, total)`` over trajectories.

    Returns
    -------
    TunedGD
        Best step and count, ties broken towards the largest step.
    """
    if isinstance(objective, str):
        objective = objective_from_expr(objective)
    eps = validate_eps(eps)
    x = validate_start(objective, x0)
    x = x if objective.dim > 1 else np.float64(x[0])
    n_grid = _check_int("n_grid", n_grid, 3)
    refine_levels = _check_int("refine_levels", refine_levels, 0)
    n_refine = _check_int("n_refine", n_refine, 1)
    n_candidates = _check_int("n_candidates", n_candidates, 1)
    max_iter = _check_int("max_iter", max_iter, 1)
    start_cap = _check_int("start_cap", start_cap, 1)
    lo, hi = _check_range("h_range", h_range or default_h_range(objective, x0))

    counter = _Counter(objective, "gd", x, eps, max_iter, start_cap, progress)
    hs = np.logspace(math.log10(lo), math.log10(hi), n_grid)
    st, ct = counter.counts({"h": hs})
    first = _order(st, ct, hs)[0]
    grid_key = (int(st[first]), int(ct[first]), float(hs[first]))
    ratio = (hi / lo) ** (1.0 / (n_grid - 1))
    levels = 0
    for _ in range(refine_levels):
        if not (st == _CONVERGED).any():
            break
        best = _order(st, ct, hs)[:n_candidates]
        new = np.concatenate([_between(hs[i] / ratio, hs[i] * ratio, n_refine) for i in best])
        new = np.setdiff1d(new, hs)
        if new.size == 0:
            break
        s2, c2 = counter.counts({"h": new})
        hs, st, ct = np.concatenate([hs, new]), np.concatenate([st, s2]), np.concatenate([ct, c2])
        ratio = ratio ** (2.0 / (n_refine + 1))
        levels += 1
    i = _order(st, ct, hs)[0]
    word = _status_word(st)
    conv = st == _CONVERGED
    best_count = int(ct[i]) if word == "converged" else max_iter
    return TunedGD(
        h=float(hs[i]) if word == "converged" else math.nan,
        iterations=best_count,
        status=word,
        grid_size=n_grid,
        evaluations=counter.evaluations,
        refinement_levels=levels,
        improved_by_refinement=(int(st[i]), best_count, float(hs[i])) != grid_key
        and word == "converged",
        grid_best_iterations=grid_key[1] if grid_key[0] == _CONVERGED else max_iter,
        ties=int(np.sum(conv & (ct == best_count))) if word == "converged" else 0,
        h_range=(lo, hi),
        eps=eps,
        max_iter=max_iter,
    )


# -------------------------------------------------------------------- clipped GD pair
def tune_clipped_gd(
    objective: Objective | str,
    x0,
    eps: float,
    *,
    eta_range: tuple[float, float] = (1e-5, 1e3),
    length_range: tuple[float, float] | None = None,
    n_eta: int = 24,
    n_len: int = 24,
    refine_levels: int = 2,
    n_refine: int = 6,
    n_candidates: int = 3,
    max_iter: int = 10**6,
    start_cap: int = 1024,
    progress: Callable[[int, int], None] | None = None,
) -> TunedClipped:
    """The clipped-GD pair (eta, gamma) minimizing T_eps on one instance (an oracle).

    Clipped GD (Eq. 5 of arXiv 1905.11881 v2): ``h_k = min{eta, gamma eta/||g_k||}``.
    Theorem 3 fixes ``eta = 1/(10 L0)``, ``gamma = min{10 L0, L0/L1}`` from the
    constants; this baseline instead searches both on the instance (not the paper's
    class; module docstring). The grid is over ``eta`` and the longest step
    ``gamma * eta`` (the two scales that matter: curvature near the minimum and
    distance to it), both log-spaced.

    Parameters
    ----------
    objective, x0, eps
        The instance.
    eta_range
        ``(lo, hi)`` of eta (default ``(1e-5, 1e3)``).
    length_range
        ``(lo, hi)`` of the longest step ``gamma * eta`` (default
        ``(1e-4, 10) * (1 + ||x0||)``).
    n_eta, n_len
        Grid points along eta and along the step length (>= 3 each).
    refine_levels, n_refine, n_candidates, max_iter, start_cap, progress
        As in :func:`tune_gd` (refinement sub-grids have ``n_refine**2`` points).

    Returns
    -------
    TunedClipped
        Best pair and count; ties go to the longest step, then the largest eta.
    """
    if isinstance(objective, str):
        objective = objective_from_expr(objective)
    eps = validate_eps(eps)
    x = validate_start(objective, x0)
    scale = 1.0 + float(np.linalg.norm(x))
    x = x if objective.dim > 1 else np.float64(x[0])
    n_eta = _check_int("n_eta", n_eta, 3)
    n_len = _check_int("n_len", n_len, 3)
    refine_levels = _check_int("refine_levels", refine_levels, 0)
    n_refine = _check_int("n_refine", n_refine, 1)
    n_candidates = _check_int("n_candidates", n_candidates, 1)
    max_iter = _check_int("max_iter", max_iter, 1)
    start_cap = _check_int("start_cap", start_cap, 1)
    e_lo, e_hi = _check_range("eta_range", eta_range)
    l_lo, l_hi = _check_range("length_range", length_range or (1e-4 * scale, 10.0 * scale))

    counter = _Counter(objective, "clipped_gd", x, eps, max_iter, start_cap, progress)
    ee, ll = np.meshgrid(
        np.logspace(math.log10(e_lo), math.log10(e_hi), n_eta),
        np.logspace(math.log10(l_lo), math.log10(l_hi), n_len),
        indexing="ij",
    )
    eta, length = ee.ravel(), ll.ravel()
    st, ct = counter.counts({"eta": eta, "gamma": length / eta})
    first = _order(st, ct, length, eta)[0]
    grid_key = (int(st[first]), int(ct[first]), float(eta[first]), float(length[first]))
    re = (e_hi / e_lo) ** (1.0 / (n_eta - 1))
    rl = (l_hi / l_lo) ** (1.0 / (n_len - 1))
    levels = 0
    for _ in range(refine_levels):
        if not (st == _CONVERGED).any():
            break
        best = _order(st, ct, length, eta)[:n_candidates]
        parts_e, parts_l = [], []
        for i in best:
            a, b = np.meshgrid(
                _between(eta[i] / re, eta[i] * re, n_refine),
                _between(length[i] / rl, length[i] * rl, n_refine),
                indexing="ij",
            )
            parts_e.append(a.ravel())
            parts_l.append(b.ravel())
        ne, nl = np.concatenate(parts_e), np.concatenate(parts_l)
        s2, c2 = counter.counts({"eta": ne, "gamma": nl / ne})
        eta, length = np.concatenate([eta, ne]), np.concatenate([length, nl])
        st, ct = np.concatenate([st, s2]), np.concatenate([ct, c2])
        re, rl = re ** (2.0 / (n_refine + 1)), rl ** (2.0 / (n_refine + 1))
        levels += 1
    i = _order(st, ct, length, eta)[0]
    word = _status_word(st)
    ok = word == "converged"
    best_count = int(ct[i]) if ok else max_iter
    return TunedClipped(
        eta=float(eta[i]) if ok else math.nan,
        gamma=float(length[i] / eta[i]) if ok else math.nan,
        iterations=best_count,
        status=word,
        grid_size=n_eta * n_len,
        evaluations=counter.evaluations,
        refinement_levels=levels,
        improved_by_refinement=ok
        and (int(st[i]), best_count, float(eta[i]), float(length[i])) != grid_key,
        grid_best_iterations=grid_key[1] if grid_key[0] == _CONVERGED else max_iter,
        ties=int(np.sum((st == _CONVERGED) & (ct == best_count))) if ok else 0,
        eta_range=(e_lo, e_hi),
        length_range=(l_lo, l_hi),
        eps=eps,
        max_iter=max_iter,
    )
