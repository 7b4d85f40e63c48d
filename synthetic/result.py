"""The outcome of one run: a small frozen dataclass (docs/design.md, "Rules")."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .kernels import CAUSES

__all__ = ["CodedOutcomes", "RunResult", "STATUSES"]

STATUSES = ("converged", "diverged", "max_iter")


class CodedOutcomes:
    """Mixin for results of many runs held as code arrays.

    The class defines ``status_code``, ``cause_code`` and ``iterations`` (arrays of
    length ``n``); the mixin adds their length and the codes as strings.
    """

    def __len__(self) -> int:
        return int(self.iterations.size)

    @property
    def status(self) -> np.ndarray:
        """Per run: ``converged``, ``diverged`` or ``max_iter``."""
        return np.asarray(STATUSES)[self.status_code]

    @property
    def cause(self) -> np.ndarray:
        """Per run: ``""``, ``nan``, ``inf`` or ``overflow`` (see :mod:`synthetic.kernels`)."""
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
