"""Shared pieces of the theorem objects: results, hypotheses, the pair choice.

Paper: Zhang, He, Sra, Jadbabaie, "Why Gradient Clipping Accelerates Training: A
Theoretical Justification for Adaptivity", arXiv 1905.11881 v2 (ICLR 2020). Theorem
numbers are v2's; v1 ("Analysis of Gradient Clipping and Adaptive Scaling with a Relaxed
Smoothness Condition", May 2019) numbering is unverified unless stated.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import numpy as np
import sympy as sp
from scipy.optimize import minimize_scalar

from labio.jsonable import json_number as _json_number

if TYPE_CHECKING:  # the derivations are linked lazily (theory.derivations imports theorems)
    from ..derivations import Derivation

__all__ = [
    "PAPER",
    "PAPER_VERSION",
    "V1_NOTE",
    "PROVENANCES",
    "REPRODUCED",
    "THEOREM_KINDS",
    "CertificateLike",
    "Hypothesis",
    "Bound",
    "Theorem",
    "choose_pair",
    "grid_l1",
    "check_positive",
    "check_eps",
    "check_inputs",
]

PAPER = "Zhang, He, Sra, Jadbabaie, arXiv 1905.11881"
PAPER_VERSION = "v2 (ICLR 2020)"
V1_NOTE = "v1 numbering unverified"
PROVENANCES = ("printed", "recalled", "lab")
#: Kinds of result: a bound on T_eps from above or below, a class inclusion, a ratio.
THEOREM_KINDS = ("upper", "lower", "class", "ratio")
#: Values of ``constant_reproduced`` (see :class:`theory.derivations.Derivation`).
REPRODUCED = (
    "reproduced",
    "implied",
    "partial",
    "not_reproduced",
    "not_available",
    "not_applicable",
)


class CertificateLike(Protocol):
    """What the theorems read from a smoothness certificate (duck-typed)."""

    delta: float
    M: float
    L: float
    f_star: float
    method: str

    def L0(self, L1: float) -> float:  # noqa: N802 - the paper's name
        """The certified frontier L0*(L1)."""
        ...


@dataclass(frozen=True)
class Hypothesis:
    """One assumption of a result and the set on which it is needed."""

    name: str
    statement: str
    on: str


@dataclass(frozen=True)
class Bound:
    """A bound evaluated at numbers, with everything needed to report it.

    Attributes
    ----------
    name
        JSON key, e.g. ``"thm3_clipped_gd"``.
    theorem
        The result, e.g. ``"Theorem 3"`` (v2 numbering).
    kind
        ``"upper"`` or ``"lower"`` (on the iteration complexity T_eps).
    value
        The number (``math.inf`` when an input is infinite).
    expr
        The sympy expression of the bound (symbols of :mod:`theory.theorems._symbols`).
    params
        The step sizes / thresholds the theorem prescribes at this pair.
    L0, L1
        The pair used.
    provenance
        ``"printed"``, ``"recalled"`` or ``"lab"`` for the bound's constant (docs/paper.md).
    constant_reproduced
        Outcome of the lab's derivation (one of :data:`REPRODUCED`): the result's
        :attr:`Theorem.constant_reproduced`, computed when first asked for.
    pair_choice
        ``"minimizing"`` (certified pair minimizing the bound over L1), ``"user L1"``
        (L0 from the frontier at the user's L1), ``"user pair"`` (checked against the
        frontier), ``"given"`` (plain numbers, no certificate) or a description.
    paper_version
        The paper version whose numbering is used.
    inputs
        The other numbers (Delta, eps, M, tau, T) used.
    extras
        Alternative readings (e.g. the lab's sharper constant), by name.
    notes
        Caveats in words.
    method
        The ``synthetic`` method that runs the algorithm the bound is about (``"gd"``,
        ``"clipped_gd"``, ...; ``None`` for a result that prescribes no run).
    run_params
        Exactly the keyword arguments that method's kernel takes (``h``, or ``eta`` and
        ``gamma``, ...), so a caller runs ``synthetic.run(f, b.method, x0, eps,
        **b.run_params)`` with no translation.
    """

    name: str
    theorem: str
    kind: str
    value: float
    expr: sp.Expr
    params: Mapping[str, float]
    L0: float
    L1: float
    provenance: str
    pair_choice: str
    paper_version: str = PAPER_VERSION
    inputs: Mapping[str, float] = field(default_factory=dict)
    extras: Mapping[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    method: str | None = None
    run_params: Mapping[str, float] = field(default_factory=dict)

    @property
    def constant_reproduced(self) -> str:
        """The lab's derivation against the bound's constant (see :class:`Theorem`)."""
        thm = _BY_KEY.get(self.name)
        return "not_available" if thm is None else thm.constant_reproduced

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (:mod:`labio.jsonable`: ``"inf"``, ``"-inf"``, NaN as ``None``)."""
        return {
            "theorem": self.theorem,
            "kind": self.kind,
            "value": _json_number(self.value),
            "params": {
                "method": self.method,
                **{k: _json_number(v) for k, v in self.run_params.items()},
            },
            "theorem_params": {k: _json_number(v) for k, v in self.params.items()},
            "L0": _json_number(self.L0),
            "L1": _json_number(self.L1),
            "pair_choice": self.pair_choice,
            "provenance": self.provenance,
            "constant_reproduced": self.constant_reproduced,
            "paper_version": self.paper_version,
            "expr": sp.sstr(self.expr),
            "inputs": {k: _json_number(v) for k, v in self.inputs.items()},
            "extras": {k: _json_number(v) for k, v in self.extras.items()},
            "notes": list(self.notes),
        }

    def _repr_markdown_(self) -> str:
        """Markdown with LaTeX math, shown by Jupyter (:func:`theory.notebook.bound_markdown`)."""
        from ..notebook import bound_markdown

        return bound_markdown(self)


#: Experiments registered with each result (by key): ``figures`` registers its experiments
#: here when it declares them; ``theory`` never imports ``figures`` (data flow one way).
_EXPERIMENTS: dict[str, list[Any]] = {}
#: Every result by key (filled as the results are created).
_BY_KEY: dict[str, Theorem] = {}
#: Planted scale factors of the bound values, by result key (see :meth:`Theorem.planted`).
_PLANTED: dict[str, float] = {}


@dataclass(frozen=True)
class Theorem:
    """Common description of a result of the paper (v2 numbering): the hub of its trail.

    A result links, as objects, the derivations that establish or check its constants
    (:attr:`derivations`, declared in :mod:`theory.derivations`), the experiments that
    check it (:attr:`experiments`, registered by :mod:`figures` when it declares them),
    its kind (:data:`THEOREM_KINDS`) and its provenance. Results with a bound share one
    signature ``bound(cert, eps, *, L1=None, L0=None, tau=None, T=None) -> Bound``; the
    evaluation at plain numbers is ``at(...)``.
    """

    key: str
    number: str
    title: str
    kind: str
    statement_text: str
    statement_latex: str
    hypotheses: tuple[Hypothesis, ...]
    provenance: Mapping[str, str]
    paper_version: str = PAPER_VERSION
    v1_note: str = V1_NOTE
    #: the ``synthetic`` method the result is about (``None``: no run prescribed)
    method: str | None = None
    #: whether the bound needs the noise level ``tau`` and the horizon ``T``
    noisy: ClassVar[bool] = False

    def __post_init__(self) -> None:
        if self.kind not in THEOREM_KINDS:
            raise ValueError(f"kind must be one of {THEOREM_KINDS}, got {self.kind!r}")
        _BY_KEY[self.key] = self

    @property
    def derivations(self) -> tuple[Derivation, ...]:
        """The derivations that establish or check the result's constants (built once)."""
        from ..derivations import derivations_of

        return derivations_of(self)

    @property
    def bound_derivation(self) -> Derivation | None:
        """The derivation whose result is compared with this result's own ``expr``."""
        from ..derivations import bound_derivation_of

        return bound_derivation_of(self)

    @property
    def constant_reproduced(self) -> str:
        """The bound's constant against the lab's derivation (one of :data:`REPRODUCED`).

        Computed by sympy (:func:`theory.derivations.compare_constants`) from the bound
        derivation's result and this result's ``expr``; ``"not_available"`` when no
        derivation concludes the bound.
        """
        d = self.bound_derivation
        return "not_available" if d is None else d.constant_reproduced

    @property
    def experiments(self) -> tuple[Any, ...]:
        """The experiments that check this result (registered by :mod:`figures`)."""
        return tuple(_EXPERIMENTS.get(self.key, ()))

    def register_experiment(self, experiment: Any) -> None:
        """Link ``experiment`` (an object with a ``name``) to this result; idempotent by name."""
        found = _EXPERIMENTS.setdefault(self.key, [])
        found[:] = [e for e in found if e.name != experiment.name]
        found.append(experiment)

    @property
    def has_bound(self) -> bool:
        """Whether :meth:`bound` applies (an upper or lower bound on T_eps)."""
        return self.kind in ("upper", "lower")

    def bound(
        self,
        cert: CertificateLike,
        eps: float,
        *,
        L1: float | None = None,  # noqa: N803
        L0: float | None = None,  # noqa: N803
        tau: float | None = None,
        T: float | None = None,  # noqa: N803
    ) -> Bound:
        """The result's bound for a certificate (the one signature of every result).

        Parameters
        ----------
        cert
            Smoothness certificate (``delta``, ``M``, the frontier ``L0(L1)``).
        eps
            Target gradient norm.
        L1, L0
            Optional user choice of the pair (``L1`` alone, or a pair checked against the
            frontier); by default the certified pair minimizing the bound.
        tau, T
            Noise level and horizon: needed by the stochastic results, ignored by the others.
        """
        if not self.has_bound:
            raise ValueError(f"{self.number} has no bound on T_eps (kind {self.kind})")
        e = check_eps(eps)
        noise: tuple = ()
        if self.noisy:
            if tau is None or T is None:
                raise ValueError(f"{self.number} needs the noise level tau and the horizon T")
            noise = (check_positive("tau", tau, allow_zero=True), check_positive("T", T))
        return self._bound(cert, e, {"L1": L1, "L0": L0}, noise)

    def _bound(self, cert: CertificateLike, e: float, pair: dict, noise: tuple) -> Bound:
        raise NotImplementedError

    def bound_for(self, cert: CertificateLike, eps: float, **kw: Any) -> Bound:
        """Backwards-compatible alias of :meth:`bound`."""
        return self.bound(cert, eps, **kw)

    @contextmanager
    def planted(self, scale: float) -> Iterator[None]:
        """Within the block, every :class:`Bound` of this result has its value times ``scale``.

        For tests only: a bound scaled down (``scale < 1``, upper) or up (lower) until a
        run must cross it plants a violation the experiments have to flag.
        """
        old = _PLANTED.get(self.key)
        _PLANTED[self.key] = float(scale)
        try:
            yield
        finally:
            if old is None:
                _PLANTED.pop(self.key, None)
            else:
                _PLANTED[self.key] = old

    def _planted(self, value: float) -> float:
        return value * _PLANTED[self.key] if self.key in _PLANTED else value

    def run_params(self, params: Mapping[str, float]) -> dict[str, float]:
        """The kernel's keyword arguments for the theorem's parameters (default: the same)."""
        return dict(params)

    @property
    def citation(self) -> str:
        """``"<paper>, <version>, <number>"``."""
        return f"{PAPER}, {self.paper_version}, {self.number}"

    def _choose(
        self,
        cert: CertificateLike,
        value: Callable[[float, float], float],
        pair: Mapping[str, float | None],
        *,
        allow_zero_L1: bool = True,  # noqa: N803
    ) -> tuple[float, float, str]:
        """:func:`choose_pair` for ``value(L0, L1)`` and the user's ``pair`` (:meth:`bound`)."""
        return choose_pair(cert, value, L1=pair["L1"], L0=pair["L0"], allow_zero_L1=allow_zero_L1)

    def _upper_bound(
        self,
        *,
        value: float,
        params: Mapping[str, float],
        L0: float,  # noqa: N803
        L1: float,  # noqa: N803
        choice: str,
        inputs: Mapping[str, float],
        extras: Mapping[str, float] | None = None,
        notes: Sequence[str] = (),
        chosen_for: str = "bound",
    ) -> Bound:
        """The :class:`Bound` of an upper-bound result, with the pair-choice note added."""
        notes = list(notes)
        if choice == "minimizing":
            notes.append(
                f"pair (L0*(L1), L1) minimizing the {chosen_for} over the certified frontier"
            )
        return self._result(
            "upper", value, params, (L0, L1, choice), inputs, extras or {}, tuple(notes)
        )

    def _result(
        self,
        kind: str,
        value: float,
        params: Mapping[str, float],
        pair: tuple[float, float, str],
        inputs: Mapping[str, float],
        extras: Mapping[str, float],
        notes: tuple[str, ...],
    ) -> Bound:
        """The :class:`Bound` of this result: the (planted) ``value`` at ``(L0, L1, choice)``."""
        return Bound(
            name=self.key,
            theorem=self.number,
            kind=kind,
            value=self._planted(value),
            expr=self.expr,
            params=dict(params),
            L0=pair[0],
            L1=pair[1],
            provenance=self.provenance["bound"],
            pair_choice=pair[2],
            inputs=dict(inputs),
            extras=dict(extras),
            notes=notes,
            method=self.method,
            run_params=self.run_params(params),
        )


def check_positive(name: str, value: float, *, allow_zero: bool = False) -> float:
    """Return ``float(value)`` or raise a one-line ValueError."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if math.isnan(x) or x < 0 or (x == 0 and not allow_zero):
        allowed = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return x


def check_eps(eps: float) -> float:
    """Validate the target accuracy ``eps > 0`` (finite)."""
    x = check_positive("eps", eps)
    if not math.isfinite(x):
        raise ValueError(f"eps must be finite and > 0, got {eps!r}")
    return x


def check_inputs(positive: Sequence[str] = (), **values: float) -> list[float]:
    """Validate the inputs of an ``at`` or ``parameters`` call, in the order given.

    ``eps`` is checked by :func:`check_eps`, the names in ``positive`` must be > 0, every
    other value >= 0 (:func:`check_positive`). Returns the floats in the same order.
    """
    return [
        check_eps(v) if k == "eps" else check_positive(k, v, allow_zero=k not in positive)
        for k, v in values.items()
    ]


def _safe(fn: Callable[[float, float], float], L0: float, L1: float) -> float:
    try:
        v = float(fn(L0, L1))
    except (ZeroDivisionError, OverflowError, ValueError):
        return math.inf
    return v if not math.isnan(v) else math.inf


def _frontier(cert: CertificateLike, L1: float) -> float:
    try:
        v = float(cert.L0(L1))
    except (ZeroDivisionError, OverflowError, ValueError):
        return math.inf
    return math.inf if math.isnan(v) else v


def grid_l1(
    value: Callable[[float], float],
    grid: Sequence[float],
    *,
    rtol: float = 0.0,
    refine: Sequence[float] = (),
    window: tuple[float, float] = (0.0, math.inf),
) -> float:
    """The L1 of ``grid`` minimizing ``value(L1)``, optionally refined: the fixed-grid choice.

    Used where :func:`choose_pair`'s continuous search is too slow (suites of hundreds of
    certificates). ``value`` errors and NaN count as ``inf``. The first L1 whose value is
    within ``rtol`` of the minimum is taken (with ``rtol = 0``: the first minimizer); with
    ``refine`` (offsets in decades), the points ``10^(log10 L1 + offset)`` inside ``window``
    replace it when strictly better, in the given order. All-infinite values give
    ``grid[0]``.
    """
    vals = [_safe(lambda _, l1: value(l1), 0.0, l1) for l1 in grid]
    best = min(vals)
    if not math.isfinite(best):
        return grid[0]
    chosen = next(l1 for l1, v in zip(grid, vals) if v <= best * (1.0 + rtol))
    if chosen <= 0 or not refine:
        return chosen
    center, best_v = math.log10(chosen), best
    for off in refine:
        c = 10.0 ** (center + off)
        if window[0] <= c <= window[1]:
            v = _safe(lambda _, l1: value(l1), 0.0, c)
            if v < best_v:
                chosen, best_v = c, v
    return chosen


def choose_pair(
    cert: CertificateLike,
    value: Callable[[float, float], float],
    *,
    L1: float | None = None,
    L0: float | None = None,
    allow_zero_L1: bool = True,
    grid_points: int = 61,
) -> tuple[float, float, str]:
    """Choose the certified pair ``(L0, L1)`` at which to evaluate an upper bound.

    Parameters
    ----------
    cert
        Certificate with the frontier ``cert.L0(L1)`` (convex, non-increasing).
    value
        ``value(L0, L1)``: the bound to minimize (``inf`` where it does not apply).
    L1, L0
        User choice: ``L1`` alone takes ``L0 = cert.L0(L1)``; a pair is checked against
        the frontier (``L0 < cert.L0(L1)`` raises ValueError naming the certified value).
    allow_zero_L1
        Whether ``L1 = 0`` is in the bound's domain.

    Returns
    -------
    (L0, L1, pair_choice)
        ``pair_choice`` is ``"minimizing"``, ``"user L1"`` or ``"user pair"``.
    """
    if L0 is not None and L1 is None:
        raise ValueError("a user pair needs L1 as well as L0 (give L1, or both)")
    if L1 is not None:
        l1 = check_positive("L1", L1, allow_zero=True)
        if l1 == 0 and not allow_zero_L1:
            raise ValueError("L1 must be > 0 for this result, got 0")
        certified = _frontier(cert, l1)
        if L0 is None:
            return certified, l1, "user L1"
        l0 = check_positive("L0", L0, allow_zero=True)
        if l0 < certified * (1 - 1e-12):
            raise ValueError(
                f"L0={l0:.6g} is below the certified frontier at L1={l1:.6g}: "
                f"L0*(L1)={certified:.6g} (method {getattr(cert, 'method', '?')})"
            )
        return l0, l1, "user pair"

    scale = 1.0
    big_l, big_m = float(getattr(cert, "L", math.nan)), float(getattr(cert, "M", math.nan))
    if math.isfinite(big_l) and math.isfinite(big_m) and big_l > 0 and big_m > 0:
        scale = big_l / big_m
    logs = np.linspace(math.log10(scale) - 6, math.log10(scale) + 6, grid_points)
    cands: list[float] = ([0.0] if allow_zero_L1 else []) + [float(10.0**u) for u in logs]

    estimate = getattr(cert, "L0_estimate", None) or (lambda l1: _frontier(cert, l1))

    def objective(l1: float) -> float:
        # the search runs on the fast estimate; the returned pair is certified below
        return _safe(value, estimate(l1), l1)

    vals = [objective(c) for c in cands]
    best = int(np.argmin(vals))
    best_l1, best_v = cands[best], vals[best]
    if math.isfinite(best_v):
        # refine on log10(L1) between the neighbours of the best positive grid point
        off = 1 if allow_zero_L1 else 0
        i = best - off
        if i < 0:
            i = 0
        lo = logs[max(i - 1, 0)]
        hi = logs[min(i + 1, len(logs) - 1)]
        res = minimize_scalar(
            lambda u: objective(10.0**u),
            bounds=(lo, hi),
            method="bounded",
            options={"xatol": 1e-6, "maxiter": 60},
        )
        if res.success and float(res.fun) < best_v:
            best_l1 = float(10.0**res.x)
    if best_l1 > 0:  # 3 significant digits: a short rational keeps exact certification fast
        best_l1 = float(f"{best_l1:.3g}")
    return _frontier(cert, best_l1), best_l1, "minimizing"
