"""Validated wrapper around the compiled kernels: :func:`run` one method from one start."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .objective import Objective, objective_from_expr
from .result import RunResult, outcome_arrays
from .steprules import rule

__all__ = ["run", "DEFAULT_MAX_ITER", "validate_eps", "validate_start"]

#: Default iteration cap: every run ends, at worst after this many steps.
DEFAULT_MAX_ITER = 1_000_000
_TRAJ_ROWS = 512


def validate_eps(eps: float) -> float:
    """Return eps as a float, or raise ValueError unless it is finite and > 0."""
    try:
        value = float(eps)
    except (TypeError, ValueError):
        raise ValueError(f"eps must be a number > 0, got {eps!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"eps must be finite and > 0, got {eps!r}")
    return value


def validate_start(objective: Objective, x0) -> np.ndarray:
    """Return x0 as a float array of the objective's dimension, finite, or raise ValueError."""
    try:
        arr = np.asarray(x0, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"x0 must be a number or a sequence of numbers, got {x0!r}") from None
    if arr.size != objective.dim:
        raise ValueError(
            f"x0 has {arr.size} coordinate(s) but the objective has {objective.dim} "
            f"variable(s) ({', '.join(str(v) for v in objective.variables)})"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"x0 must be finite, got {arr.tolist()}")
    return arr


def run(
    objective: Objective | str,
    method: str,
    x0: float | Sequence[float] | np.ndarray,
    eps: float,
    *,
    max_iter: int = DEFAULT_MAX_ITER,
    trajectory: bool = False,
    **params: float,
) -> RunResult:
    """Run one method from x0 until ||grad f(x_k)|| <= eps, at most ``max_iter`` steps.

    Parameters
    ----------
    objective
        An :class:`~synthetic.objective.Objective` or an expression string.
    method
        A step rule of :data:`synthetic.steprules.RULES`: ``gd`` (``h``), ``clipped_gd``
        (``eta``, ``gamma``), ``normalized_gd`` (``eta``, ``beta``),
        ``clipped_gd_torch`` / ``clipped_gd_optax`` (``eta``, ``gamma``).
    x0
        The start (a float for one variable, a sequence for x1..xd).
    eps
        The target gradient norm, finite and > 0.
    max_iter
        The largest number of steps (>= 1; default :data:`DEFAULT_MAX_ITER`).
    trajectory
        Also return rows (k, f, ||grad f||) at log-spaced k.
    **params
        The step rule's parameters.

    Returns
    -------
    RunResult
        ``converged``, ``diverged`` or ``max_iter`` (never an exception for a run
        that blows up).
    """
    if isinstance(objective, str):
        objective = objective_from_expr(objective)
    step = rule(method)
    s = np.array(step.validate(params), dtype=np.float64)
    unknown = set(params) - set(step.params)
    if unknown:
        raise ValueError(
            f"{method} takes {', '.join(step.params)}; unknown: {', '.join(sorted(unknown))}"
        )
    eps = validate_eps(eps)
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"max_iter must be an integer >= 1, got {max_iter!r}")
    x = validate_start(objective, x0)
    traj = np.zeros((_TRAJ_ROWS if trajectory else 0, 3))
    kernels = objective.family.compiled.kernels(method)
    out = outcome_arrays(1, objective.dim)
    if objective.dim == 1:
        kernels.iterate_1d(float(x[0]), objective.values, s, eps, int(max_iter), traj, out, 0)
    else:
        kernels.iterate_nd(x, objective.values, s, eps, int(max_iter), traj, out, 0)
    return RunResult.from_outcomes(
        out,
        0,
        method=method,
        params=dict(zip(step.params, s.tolist())),
        eps=eps,
        max_iter=max_iter,
        trajectory=traj[: out.records[0]].copy() if trajectory else None,
    )
