"""Methods whose step needs f inside the step: Armijo backtracking, and one entry point for all.

Hübler, Yang, Li, He, "Parameter-agnostic optimization under relaxed smoothness",
AISTATS 2024 (arXiv 2311.03252): deterministic GD with Armijo backtracking. From the
trial step ``t0``, the step is multiplied by ``beta`` until
``f(x - t g) <= f(x) - gamma t ||g||^2``. The compiled loop is
:mod:`synthetic.backtracking`; it counts f and gradient evaluations.

:func:`run_method` runs any method by name: a step rule of
:data:`synthetic.steprules.RULES` through :func:`synthetic.run.run`, or a line search of
:data:`LINE_SEARCHES`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .objective import Objective, objective_from_expr
from .result import CAUSES, STATUSES, RunResult
from .run import _TRAJ_ROWS, DEFAULT_MAX_ITER, run, validate_eps, validate_start
from .steprules import StepRule, rules

__all__ = ["LINE_SEARCHES", "ARMIJO", "ArmijoResult", "run_armijo", "run_method", "METHODS"]

#: causes of the backtracking kernels: the plain kernels' plus a failed line search
LINE_SEARCH_CAUSES = (*CAUSES, "line_search")
#: halvings allowed in one step before the line search is declared failed (2^-1100 < 1e-300)
DEFAULT_MAX_BACKTRACKS = 1100


class _ArmijoRule(StepRule):
    def validate(self, values: dict[str, float]) -> tuple[float, ...]:
        out = super().validate(values)
        for name, v in zip(self.params[1:], out[1:]):
            if not v < 1.0:
                raise ValueError(f"{name} must be in (0, 1), got {v!r}")
        return out


ARMIJO = _ArmijoRule(
    "armijo",
    None,
    ("t0", "shrink", "armijo_c"),
    "Hübler et al. (AISTATS 2024) Armijo backtracking: trial t0, t <- shrink t until "
    "f(x - t g) <= f(x) - armijo_c t ||g||^2",
)
#: line-search methods by name (parameters as :class:`synthetic.steprules.StepRule`)
LINE_SEARCHES: dict[str, StepRule] = {"armijo": ARMIJO}
#: every method of ``python -m synthetic``: the step rules and the line searches
METHODS: dict[str, StepRule] = {**rules("deterministic"), **LINE_SEARCHES}


@dataclass(frozen=True)
class ArmijoResult(RunResult):
    """A :class:`~synthetic.result.RunResult` with the evaluation counts of the line search.

    ``f_evals`` counts calls of f (x0 and every trial point); ``grad_evals`` the gradients
    used (x0 and the accepted points). ``cause == "line_search"``: a step found no
    sufficient decrease within ``max_backtracks`` reductions.
    """

    f_evals: int = 0
    grad_evals: int = 0

    def to_json(self) -> dict:
        """As :meth:`RunResult.to_json`, with ``f_evals`` and ``grad_evals``."""
        return {**super().to_json(), "f_evals": self.f_evals, "grad_evals": self.grad_evals}


def run_armijo(
    objective: Objective | str,
    x0,
    eps: float,
    *,
    t0: float,
    shrink: float = 0.5,
    armijo_c: float = 0.5,
    max_iter: int = DEFAULT_MAX_ITER,
    max_backtracks: int = DEFAULT_MAX_BACKTRACKS,
    trajectory: bool = False,
) -> ArmijoResult:
    """Run GD with Armijo backtracking until ``||grad f(x_k)|| <= eps``.

    Parameters
    ----------
    objective, x0, eps
        As :func:`synthetic.run.run`.
    t0
        The trial step of every iteration (> 0).
    shrink, armijo_c
        The paper's ``beta`` (step reduction) and ``gamma`` (sufficient-decrease
        constant), both in (0, 1).
    max_iter, max_backtracks
        Caps on accepted steps and on reductions within one step.

    Returns
    -------
    ArmijoResult
        ``iterations`` counts accepted steps (T_eps); ``f_evals``, ``grad_evals`` the work.
    """
    if isinstance(objective, str):
        objective = objective_from_expr(objective)
    s = np.array(ARMIJO.validate({"t0": t0, "shrink": shrink, "armijo_c": armijo_c}))
    eps = validate_eps(eps)
    for name, v in (("max_iter", max_iter), ("max_backtracks", max_backtracks)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
    x = validate_start(objective, x0)
    traj = np.zeros((_TRAJ_ROWS if trajectory else 0, 3))
    kernels = objective.family.compiled.kernels("gd")
    args = (objective.values, s, eps, int(max_iter), int(max_backtracks), traj)
    if objective.dim == 1:
        out = kernels.armijo_1d(float(x[0]), *args)
    else:
        out = kernels.armijo_nd(x, *args)
    status, cause, k, xf, f, gn, gmax, monotone, nrec, n_f, n_grad = out
    return ArmijoResult(
        method="armijo",
        params=dict(zip(ARMIJO.params, s.tolist())),
        status=STATUSES[status],
        iterations=int(k),
        x_final=np.atleast_1d(np.asarray(xf, dtype=np.float64)).copy(),
        f_final=float(f),
        grad_norm_final=float(gn),
        grad_norm_max=float(gmax),
        monotone=bool(monotone),
        eps=eps,
        max_iter=int(max_iter),
        cause=LINE_SEARCH_CAUSES[cause],
        trajectory=traj[:nrec].copy() if trajectory else None,
        f_evals=int(n_f),
        grad_evals=int(n_grad),
    )


def run_method(
    objective: Objective | str,
    method: str,
    x0,
    eps: float,
    *,
    max_iter: int = DEFAULT_MAX_ITER,
    trajectory: bool = False,
    **params: float,
) -> RunResult:
    """Run any method of :data:`METHODS` by name (the kernel-ready ``Bound.run_params``)."""
    if method in LINE_SEARCHES:
        params = {k: v for k, v in params.items() if v is not None}  # None: the default
        unknown = set(params) - set(ARMIJO.params)
        if unknown:
            raise ValueError(f"armijo takes {', '.join(ARMIJO.params)}; unknown: {sorted(unknown)}")
        if "t0" not in params:
            raise ValueError("armijo needs --t0")
        return run_armijo(objective, x0, eps, max_iter=max_iter, trajectory=trajectory, **params)
    return run(objective, method, x0, eps, max_iter=max_iter, trajectory=trajectory, **params)
