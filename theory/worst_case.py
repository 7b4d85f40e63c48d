"""Worst-case search: certified instances that come close to each upper bound.

Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 (v2 numbering): for an upper bound
``T_eps <= B(L0, L1, M, Delta, eps)`` (Theorem 3 for clipped GD, Theorem 6 for GD, the
lab's normalized-GD bound, and every later entry of :data:`theory.theorems.ALL` with
``kind == "upper"`` and a deterministic method) the search maximises ``T_eps/B`` over a
family of functions that are in the class by construction, over eps and over the start.

Where the proofs lose their factor (docs/paper.md, Derivations 2-3): every step lowers f
by at least ``h ||g||^2 (1 - h L/2)``-type amounts, and the counts divide Δ by that.
A 1-D ramp of slope just above eps, joined C^2 to a bowl, makes each step lower f by
about ``h eps^2``, i.e. about half of Theorem 3's ``eps^-2`` term and of Theorem 6's
bound. The rest is won where the curvature works against the method: if the ramp has
periodic dips (:func:`synthetic.catalogue.dipped_ramp`) whose period equals the step
length, the iterates sit on the crests (the gradient there stays above eps) while f
falls only by the mean slope. In the L-smooth limit performance estimation puts the
ceilings at about 0.513 (Theorem 3's eps^-2 term) and 0.571 (Theorem 6); a sinusoidal
dip gets ``1/(1 - h L/(2 pi))`` of the ramp's 1/2. Where ``L1 ||grad f||`` matters: an
exponential wall in S (``f'' = kappa |f'|``) makes ``L1 = kappa`` the certified pair, so
the clipping threshold becomes ``L0/kappa``; normalized GD, whose step shrinks smoothly
as ``||g||`` approaches it, then loses more than its bound's ``L1^2`` term charges.

During the search each candidate's bound is evaluated with a *design certificate*
(:class:`DesignCertificate`: f* = 0 and ``|f''| <= L`` hold by construction, so
``L0*(L1) <= L`` for every L1; the resulting bound is never below the certified
minimum). The reported witnesses are certified with :func:`theory.smoothness.certify`,
their bound recomputed with the theorem's own pair choice, and rerun with that bound's
``method`` and ``run_params``.

Optimisers (same budget of candidate evaluations, same seed point): CMA-ES (``cma``),
scipy's differential evolution, Nelder-Mead with random restarts. Candidates are run
with the sweep engine, one batch of eps values per candidate (one compilation per
method for the whole search).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from synthetic import catalogue
from synthetic.objective import Objective
from synthetic.steprules import rule
from synthetic.sweep import sweep

from .smoothness import certify
from .theorems import ALL, Bound, Theorem

__all__ = [
    "DETERMINISTIC_METHODS",
    "SEED_POINT",
    "SEEDS",
    "WALL_SEED_POINT",
    "OPTIMIZERS",
    "DesignCertificate",
    "Candidate",
    "SearchResult",
    "Witness",
    "upper_bounds",
    "theorem_bound",
    "step_length",
    "decode",
    "evaluate",
    "search",
    "seed_point",
    "certify_witness",
]

#: Methods the search can run (the stochastic results need noise models; not searched).
DETERMINISTIC_METHODS = ("gd", "clipped_gd", "normalized_gd")
#: Search-space dimension (see :func:`decode`).
DIM = 6
#: The seed point, from the construction's analysis (full dips, period = step, c/L = 1e-3,
#: wall out of reach).
SEED_POINT = (1.0, 0.66, 0.5, 1.0, 0.25, 0.0)
#: Seed with a wall of rate kappa = 10 inside S and c = 0.414 L/kappa: the certified pair
#: becomes (L, kappa), and a method whose step shrinks smoothly with ||g||/gamma
#: (normalized GD) runs at ||g|| = 0.414 gamma, where (1 + t)/(4 (1 + t^2)) peaks.
WALL_SEED_POINT = (1.0, 0.66, 0.5, 1.0, 0.6543, 0.8)
SEEDS = (SEED_POINT, WALL_SEED_POINT)
#: eps = c (1 - q) for these q: the inner batch of one candidate.
_Q = tuple(float(q) for q in np.logspace(-7, -1.5, 12))


def upper_bounds(registry: Sequence[Theorem] = ALL) -> list[Theorem]:
    """The registry's upper bounds whose method is deterministic (searchable)."""
    return [t for t in registry if t.kind == "upper" and t.method in DETERMINISTIC_METHODS]


def theorem_bound(thm: Theorem, cert, eps: float) -> Bound:
    """The theorem's bound for a certificate at the certified pair minimizing it.

    The one place the theorem API is called. The theorem's own pair choice searches L1
    on an estimate of the frontier; where the estimate misses the frontier's plateau
    (a bowl with ``f' = 0`` on S) it can return a larger bound than ``L1 = 0``, so the
    pair ``(L0*(0), 0)`` is tried too and the smaller certified bound kept; on a tie
    (a flat frontier, where the bound does not depend on L1 <= 1) the smaller L1, so
    that the design certificate and the certified one give the same run.
    """
    best = thm.bound_for(cert, eps)
    try:
        alt = thm.bound_for(cert, eps, L1=0.0)
    except ValueError:  # L1 = 0 outside the result's domain
        return best
    return alt if alt.value <= best.value * (1 + 1e-12) else best


@dataclass(frozen=True)
class DesignCertificate:
    """Constants known by construction (duck-types :class:`theory.theorems.CertificateLike`).

    ``L0(L1) = L`` for every L1 is a valid (upper) frontier when ``|f''| <= L`` on S.
    """

    delta: float
    M: float
    L: float
    kappa: float = 0.0
    G: float = 0.0
    f_star: float = 0.0
    method: str = "construction"

    def L0(self, L1: float) -> float:  # noqa: N802 - the paper's name
        """``L``; below ``kappa``, the wall's ``(kappa - L1) sup_S |f'|`` if larger."""
        if self.G == 0.0 or L1 >= self.kappa:
            return self.L
        return max(self.L, (self.kappa - L1) * self.G)


def step_length(method: str, run_params: dict[str, float], g: float) -> float:
    """Length ``h(g) g`` of one step of ``method`` at gradient norm ``g``."""
    step = rule(method)
    s = np.array([float(run_params[p]) for p in step.params])
    func = getattr(step.func, "py_func", step.func)  # the same rule, without a numba dispatch
    return float(func(float(g), s)) * float(g)


@dataclass(frozen=True)
class Candidate:
    """A decoded point of the search space: the function, the start and the eps batch."""

    objective: Objective
    values: tuple[float, ...]
    x0: float
    c: float
    g_lock: float
    delta: float
    M: float
    L: float
    design: DesignCertificate


def decode(thm: Theorem, z: Sequence[float], periods: tuple[int, int]) -> Candidate:
    """Map ``z`` in ``[0, 1]^5`` to a :func:`~synthetic.catalogue.dipped_ramp` and a start.

    ``z = (dip, period, split, length, scale, wall)``: dip depth ``A omega = 0.99 dip L``;
    period ``2 pi/omega = (0.9 + 0.15 period)`` times the method's step length at slope
    ``c``; bowl split ``a = (0.05 + 0.9 split) c/L``; number of periods on the ramp
    (log scale between ``periods``); ``c/L = 10^(-4 + 4 scale)``; wall rate
    ``kappa = 10^(-3 + 5 wall)``. ``L = 1``.
    """
    z = np.clip(np.asarray(z, dtype=float), 0.0, 1.0)
    L = 1.0  # noqa: N806
    c = 10.0 ** (-4.0 + 4.0 * z[4])
    split = 0.05 + 0.9 * z[2]
    a = split * c / L
    w = 2.0 * (1.0 - split) * c / L
    lo, hi = periods
    n = int(round(10 ** (math.log10(lo) + z[3] * (math.log10(hi) - math.log10(lo)))))
    kappa = float(f"{10.0 ** (-3.0 + 5.0 * z[5]):.3g}")  # 3 digits, as the pair choice rounds
    # the step at slope c with the design pair (Δ of a plain ramp: the pair does not depend
    # on it while the wall stays out of S, and jumps to L1 = kappa once it is inside)
    probe = theorem_bound(thm, _design(L, kappa, c, c * c / L), c)
    period = (0.9 + 0.15 * z[1]) * step_length(thm.method, dict(probe.run_params), c)
    omega = 2.0 * math.pi / period
    A = 0.99 * z[0] * L / omega  # noqa: N806
    obj = catalogue.dipped_ramp(L, a, w, omega, A, kappa)
    x0 = a + w + n * period
    g_lock = _lock_gradient(thm.method, dict(probe.run_params), period, c)
    delta = obj.f(x0)  # f* = 0 at x = 0 by construction
    cert = _design(L, kappa, c, delta)
    return Candidate(obj, (L, a, w, omega, A, kappa), x0, c, g_lock, delta, cert.M, L, cert)


def _design(L: float, kappa: float, c: float, delta: float) -> DesignCertificate:  # noqa: N803
    """Constants of a dipped ramp with gap ``delta`` (S0's left end on the bowl or the wall)."""
    if delta <= L / (2 * kappa**2):  # f(-1/kappa) = L/(2 kappa^2)
        left = math.sqrt(2.0 * delta / L)
        slope = L * left
    else:
        left = (1.0 + math.log(kappa**2 * delta / L + 0.5)) / kappa
        slope = L / kappa * math.exp(kappa * left - 1.0)
    s_left = left + 1.0  # S = S0 enlarged by radius 1
    G = L / kappa * math.exp(kappa * s_left - 1.0) if s_left > 1.0 / kappa else 0.0  # noqa: N806
    return DesignCertificate(delta=delta, M=max(c, slope), L=L, kappa=kappa, G=G)


def _lock_gradient(method: str, run_params: dict[str, float], period: float, c: float) -> float:
    """The gradient norm g <= c whose step length equals ``period`` (c if there is none).

    Iterates that advance one period per step sample the same phase of the dips, so
    their gradient norm is this g (step lengths increase with g for all three methods).
    """
    if step_length(method, run_params, c) <= period:
        return c
    lo, hi = 0.0, c
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if step_length(method, run_params, mid) < period:
            lo = mid
        else:
            hi = mid
    return lo


@dataclass(frozen=True)
class Evaluation:
    """The best ratio of one candidate over its eps batch."""

    ratio: float
    eps: float
    iterations: int
    bound: float
    violation: bool


def evaluate(
    thm: Theorem, cand: Candidate, *, cap: int = 1_000_000, q: Sequence[float] = _Q
) -> Evaluation:
    """Run the candidate for the eps batch (one sweep) and return its best ``T/B``."""
    cert = cand.design
    eps = np.array([cand.g_lock * (1.0 - qq) for qq in q])
    bounds = [theorem_bound(thm, cert, float(e)) for e in eps]
    values = np.array([b.value for b in bounds])
    names = list(bounds[0].run_params)
    params = {k: np.array([b.run_params[k] for b in bounds]) for k in names}
    limit = np.floor(values) + 1
    max_iter = int(min(cap, np.max(limit)))
    res = sweep(cand.objective, bounds[0].method, cand.x0, eps, params, max_iter=max_iter)
    conv = res.status_code == 0
    it = res.iterations.astype(float)
    # still running at floor(B) + 1 steps: above the bound (the ratio is a lower bound)
    over = (res.status_code == 2) & (max_iter >= limit)
    violation = bool(np.any(conv & (it > values)) or np.any(over))
    ratios = np.where(conv | over, it / values, 0.0)
    i = int(np.argmax(ratios))
    return Evaluation(float(ratios[i]), float(eps[i]), int(it[i]), float(values[i]), violation)


@dataclass
class SearchResult:
    """Progress and best point of one search."""

    theorem: str
    optimizer: str
    history: list[tuple[int, float]] = field(default_factory=list)
    best_z: tuple[float, ...] = SEED_POINT
    best: Evaluation | None = None
    violations: int = 0

    @property
    def evaluations(self) -> int:
        return self.history[-1][0] if self.history else 0


class _Budget(Exception):
    pass


def _objective(thm, periods, cap, result: SearchResult, budget: int) -> Callable:
    def fun(z) -> float:
        if result.evaluations >= budget:
            raise _Budget
        try:
            ev = evaluate(thm, decode(thm, z, periods), cap=cap)
        except ValueError:  # outside the family's domain: worst value
            ev = Evaluation(0.0, math.nan, 0, math.nan, False)
        result.violations += int(ev.violation)
        best = result.best.ratio if result.best else -1.0
        if ev.ratio > best:
            result.best, result.best_z = ev, tuple(float(v) for v in np.clip(z, 0, 1))
        result.history.append((result.evaluations + 1, max(best, ev.ratio)))
        return -ev.ratio

    return fun


def _cma(fun, x0, budget, rng) -> None:
    import cma

    opts = {
        "bounds": [0.0, 1.0],
        "maxfevals": budget,
        "seed": int(rng.integers(1, 2**31 - 1)),
        "verbose": -9,
        "popsize": 8,
    }
    es = cma.CMAEvolutionStrategy(list(x0), 0.15, opts)
    while not es.stop():
        xs = es.ask()
        es.tell(xs, [fun(x) for x in xs])


def _de(fun, x0, budget, rng) -> None:
    from scipy.optimize import differential_evolution

    differential_evolution(
        fun,
        [(0.0, 1.0)] * DIM,
        popsize=2,
        maxiter=budget,
        x0=np.asarray(x0),
        seed=int(rng.integers(1, 2**31 - 1)),
        polish=False,
        tol=0.0,
        init="latinhypercube",
    )


def _nelder_mead(fun, x0, budget, rng) -> None:
    from scipy.optimize import minimize

    start = np.asarray(x0, dtype=float)
    while True:  # restarts until the budget is spent (_Budget ends it)
        minimize(
            fun,
            start,
            method="Nelder-Mead",
            bounds=[(0.0, 1.0)] * DIM,
            options={"maxfev": max(10, budget // 3), "xatol": 1e-4, "fatol": 1e-6},
        )
        start = rng.uniform(0.0, 1.0, DIM)


#: optimizer name -> runner(fun, x0, budget, rng)
OPTIMIZERS: dict[str, Callable] = {"cma": _cma, "de": _de, "nelder-mead": _nelder_mead}


def seed_point(
    thm: Theorem, periods: tuple[int, int] = (30, 1000), cap: int = 1_000_000
) -> tuple[float, ...]:
    """The better of the construction's seeds (:data:`SEEDS`) for this bound."""
    return max(SEEDS, key=lambda z: evaluate(thm, decode(thm, z, periods), cap=cap).ratio)


def search(
    thm: Theorem,
    optimizer: str = "cma",
    *,
    budget: int = 100,
    seed: int = 0,
    periods: tuple[int, int] = (30, 1000),
    cap: int = 1_000_000,
    x0: Sequence[float] | None = None,
) -> SearchResult:
    """Maximise ``T_eps/B`` for one upper bound with one optimiser and a budget.

    Parameters
    ----------
    thm
        An upper bound of :func:`upper_bounds`.
    optimizer
        A key of :data:`OPTIMIZERS`.
    budget
        Candidate evaluations (each is one sweep over the eps batch).
    seed
        Seed of the optimiser's random numbers (results are deterministic for it).
    periods
        Range of the number of ramp periods (the start's distance from the bowl).
    cap
        Iteration cap per run.
    x0
        The starting point in ``[0, 1]^6`` (default: :func:`seed_point`, not counted in
        the budget).
    """
    if thm.kind != "upper" or thm.method not in DETERMINISTIC_METHODS:
        raise ValueError(f"{thm.number} is not a searchable upper bound")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; allowed: {', '.join(OPTIMIZERS)}")
    if budget < 1:
        raise ValueError(f"budget must be >= 1, got {budget}")
    if x0 is None:
        x0 = seed_point(thm, periods, cap)
    result = SearchResult(thm.number, optimizer)
    fun = _objective(thm, periods, cap, result, budget)
    rng = np.random.default_rng(seed)
    try:
        fun(np.asarray(x0, dtype=float))  # the start itself is always evaluated first
        OPTIMIZERS[optimizer](fun, x0, budget, rng)
    except _Budget:
        pass
    return result


@dataclass(frozen=True)
class Witness:
    """A certified instance and its count against the theorem's bound."""

    theorem: str
    method: str
    expr: str
    x0: float
    eps: float
    L0: float
    L1: float
    params: dict[str, float]
    iterations: int
    status: str
    bound: float
    ratio: float
    provenance: str
    constant_reproduced: str
    family_params: tuple[float, ...]
    certificate_method: str
    delta: float
    M: float
    extras: dict[str, float]

    def as_json(self) -> dict:
        """The output contract's keys (``witnesses.json``), then extras."""
        return {
            "theorem": self.theorem,
            "method": self.method,
            "expr": self.expr,
            "x0": [self.x0],
            "eps": self.eps,
            "L0": self.L0,
            "L1": self.L1,
            "params": dict(self.params),
            "iterations": self.iterations,
            "bound": self.bound,
            "ratio": self.ratio,
        }


def certify_witness(
    thm: Theorem, z: Sequence[float], eps: float, periods: tuple[int, int], cap: int = 1_000_000
) -> Witness:
    """Certify the candidate ``z`` at ``eps``, recompute the bound and rerun with its steps."""
    cand = decode(thm, z, periods)
    cert = certify(cand.objective, cand.x0)
    b = theorem_bound(thm, cert, eps)
    limit = math.floor(b.value) + 1 if math.isfinite(b.value) else cap
    # one trajectory of the sweep engine: the same result as synthetic.run, field by field,
    # and no second compiled kernel to load
    r = sweep(
        cand.objective, b.method, cand.x0, eps, dict(b.run_params), max_iter=int(min(cap, limit))
    ).run_result(0)
    ratio = r.iterations / b.value if r.status == "converged" else math.nan
    return Witness(
        theorem=thm.number,
        method=str(b.method),
        expr=str(cand.objective.expr),
        x0=float(cand.x0),
        eps=float(eps),
        L0=float(b.L0),
        L1=float(b.L1),
        params={k: float(v) for k, v in b.run_params.items()},
        iterations=int(r.iterations),
        status=r.status,
        bound=float(b.value),
        ratio=float(ratio),
        provenance=b.provenance,
        constant_reproduced=b.constant_reproduced,
        family_params=cand.values,
        certificate_method=cert.method,
        delta=float(cert.delta),
        M=float(cert.M),
        extras={k: float(v) for k, v in b.extras.items()},
    )
