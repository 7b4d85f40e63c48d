"""Outcomes of runs: the kernels' output record and the frozen result dataclasses.

Every generated kernel (:mod:`synthetic.codegen`) writes the outcome of trajectory ``i``
into entry ``i`` of the arrays of an :class:`Outcomes` record, with the named status
and cause codes below; :class:`RunResult` (one run, docs/design.md, "Rules") and the
many-run results built on :class:`CodedOutcomes` read them back by name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

__all__ = [
    "CAUSES",
    "CAUSE_INF",
    "CAUSE_NAN",
    "CAUSE_NONE",
    "CAUSE_OVERFLOW",
    "CONVERGED",
    "CodedOutcomes",
    "DIVERGED",
    "MAX_ITER",
    "Outcomes",
    "RunResult",
    "STATUSES",
    "outcome_arrays",
]

#: Status codes: the first eps-stationary iterate was reached / an iterate, f or the
#: gradient stopped being finite / the iteration cap was reached (censored).
CONVERGED, DIVERGED, MAX_ITER = 0, 1, 2
STATUSES = ("converged", "diverged", "max_iter")

#: Cause codes of a divergence: f or the gradient is NaN / f or the gradient is infinite
#: at a finite iterate / the iterate itself is no longer finite. ``CAUSE_NONE`` otherwise.
CAUSE_NONE, CAUSE_NAN, CAUSE_INF, CAUSE_OVERFLOW = 0, 1, 2, 3
CAUSES = ("", "nan", "inf", "overflow")


class Outcomes(NamedTuple):
    """The output record the kernels fill: one array entry per trajectory.

    A numba-typed named tuple of arrays (as QuantEcon's kernels fill ``out``): kernels
    write ``out.status[i] = CONVERGED`` and so on, callers read the fields by name.

    Attributes
    ----------
    status, cause
        int8 codes: :data:`CONVERGED` / :data:`DIVERGED` / :data:`MAX_ITER`, and
        :data:`CAUSE_NONE` / :data:`CAUSE_NAN` / :data:`CAUSE_INF` / :data:`CAUSE_OVERFLOW`.
    iterations
        int64: T_eps (converged), the index of the first non-finite iterate (diverged) or
        ``max_iter`` (censored).
    x
        The last iterate: ``(n,)`` for one variable, ``(n, d)`` for d variables.
    f, grad_norm, grad_norm_max
        f and ||grad f|| at the last iterate, the largest finite ||grad f|| seen (the true
        gradient in the stochastic kernels).
    monotone
        bool: f(x_{k+1}) <= f(x_k) at every step taken.
    records
        int64: the number of trajectory rows written (single runs with a ``traj`` array;
        0 elsewhere).
    """

    status: np.ndarray
    cause: np.ndarray
    iterations: np.ndarray
    x: np.ndarray
    f: np.ndarray
    grad_norm: np.ndarray
    grad_norm_max: np.ndarray
    monotone: np.ndarray
    records: np.ndarray


def outcome_arrays(n: int, dim: int = 1) -> Outcomes:
    """A zeroed :class:`Outcomes` record for ``n`` trajectories in ``dim`` variables."""
    return Outcomes(
        status=np.zeros(n, dtype=np.int8),
        cause=np.zeros(n, dtype=np.int8),
        iterations=np.zeros(n, dtype=np.int64),
        x=np.zeros(n) if dim == 1 else np.zeros((n, dim)),
        f=np.zeros(n),
        grad_norm=np.zeros(n),
        grad_norm_max=np.zeros(n),
        monotone=np.zeros(n, dtype=np.bool_),
        records=np.zeros(n, dtype=np.int64),
    )


class CodedOutcomes:
    """Mixin for results of many runs held as code arrays.

    The class defines ``status_code``, ``cause_code`` and ``iterations`` (arrays of
    length ``n``); the mixin adds their length and the codes as strings.
    """

    def __len__(self) -> int:
        return int(self.iterations.size)

    @staticmethod
    def fields(out: Outcomes) -> dict[str, np.ndarray]:
        """The result fields shared by the many-run results, from a kernel's record."""
        return {
            "status_code": out.status,
            "cause_code": out.cause,
            "iterations": out.iterations,
            "x_final": out.x,
            "f_final": out.f,
            "grad_norm_final": out.grad_norm,
            "grad_norm_max": out.grad_norm_max,
        }

    @property
    def status(self) -> np.ndarray:
        """Per run: ``converged``, ``diverged`` or ``max_iter``."""
        return np.asarray(STATUSES)[self.status_code]

    @property
    def cause(self) -> np.ndarray:
        """Per run: ``""``, ``nan``, ``inf`` or ``overflow`` (:data:`CAUSES`)."""
        return np.asarray(CAUSES)[self.cause_code]


@dataclass(frozen=True)
class RunResult:
    """One run of one method from one start.

    Attributes
    ----------
    method, params
        The step rule's name and its parameters (name -> value).
    status
        ``"converged"`` (``iterations`` is T_eps), ``"diverged"`` (``iterations`` is
        the index of the first iterate where x, f or the gradient stopped being finite;
        ``cause`` says which: ``"overflow"``, ``"inf"`` or ``"nan"``) or ``"max_iter"``
        (censored: no iterate x_0..x_max_iter was eps-stationary, so T_eps > max_iter).
    iterations
        The k of the first x_k with ||grad f(x_k)|| <= eps (0 if x0 already is).
    x_final, f_final, grad_norm_final
        The last iterate and f, ||grad f|| there.
    grad_norm_max
        The largest ||grad f(x_k)|| seen (finite iterates only).
    monotone
        Whether f(x_{k+1}) <= f(x_k) at every step taken.
    eps, max_iter
        The tolerance and the iteration cap of the run.
    trajectory
        ``None``, or an array of rows (k, f, ||grad f||) at log-spaced k.
    """

    method: str
    params: dict
    status: str
    iterations: int
    x_final: np.ndarray
    f_final: float
    grad_norm_final: float
    grad_norm_max: float
    monotone: bool
    eps: float
    max_iter: int
    cause: str = ""
    trajectory: np.ndarray | None = field(default=None, repr=False)

    @property
    def converged(self) -> bool:
        return self.status == "converged"

    @classmethod
    def from_outcomes(
        cls,
        out: Outcomes,
        i: int,
        *,
        method: str,
        params: dict,
        eps: float,
        max_iter: int,
        trajectory: np.ndarray | None = None,
    ) -> RunResult:
        """Entry ``i`` of a kernel's :class:`Outcomes` record as a result."""
        return cls(
            method=method,
            params=params,
            status=STATUSES[out.status[i]],
            iterations=int(out.iterations[i]),
            x_final=np.atleast_1d(np.asarray(out.x[i], dtype=np.float64)).copy(),
            f_final=float(out.f[i]),
            grad_norm_final=float(out.grad_norm[i]),
            grad_norm_max=float(out.grad_norm_max[i]),
            monotone=bool(out.monotone[i]),
            eps=float(eps),
            max_iter=int(max_iter),
            cause=CAUSES[out.cause[i]],
            trajectory=trajectory,
        )

    def to_json(self) -> dict:
        """A JSON-serialisable dict; non-finite floats become the strings 'inf', '-inf', 'nan'."""

        def num(v: float):
            v = float(v)
            return v if math.isfinite(v) else str(v)

        out = {
            "method": self.method,
            "params": {k: num(v) for k, v in self.params.items()},
            "status": self.status,
            "iterations": int(self.iterations),
            "cause": self.cause or None,
            "x_final": [num(v) for v in np.atleast_1d(self.x_final)],
            "f_final": num(self.f_final),
            "grad_norm_final": num(self.grad_norm_final),
            "grad_norm_max": num(self.grad_norm_max),
            "monotone": bool(self.monotone),
            "eps": num(self.eps),
            "max_iter": int(self.max_iter),
        }
        if self.trajectory is not None:
            out["trajectory"] = [[int(r[0]), num(r[1]), num(r[2])] for r in self.trajectory]
        return out

    def _repr_markdown_(self) -> str:
        """A table, shown by Jupyter (:func:`synthetic.notebook.run_result_markdown`)."""
        from .notebook import run_result_markdown

        return run_result_markdown(self)
