"""Sweeps: many independent runs (step sizes, starts, method parameters) in parallel.

:func:`sweep` is the many-trajectory counterpart of :func:`synthetic.run.run`:
the start ``x0s``, each step-rule parameter and ``eps`` may be a scalar or a 1-D
array, broadcast to a common length ``n``; trajectory ``i`` is the run of
``method`` from ``x0s[i]`` with the ``i``-th parameters, and its result is the
same as ``run(objective, method, x0s[i], eps[i], max_iter=..., **params_i)``
field by field, bit for bit (status, cause, iterations, x, f and ||grad f|| at the
end, largest ||grad f||, monotone flag).

How it runs (docs/design.md, Performance): the trajectories are cut into chunks, which
``numba.get_num_threads()`` worker threads take in turn (the compiled chunk
functions release the GIL). One-variable objectives go through the interleaved
engine of :mod:`synthetic.sweep_kernels` (blocks of ``W`` = 32 lanes advanced in lock-step,
vectorized; a finished lane is refilled with the chunk's next trajectory); objectives
in d variables fall back to single runs of the generated
:func:`synthetic.kernels.iterate_nd`, one call per trajectory from Python, not
interleaved, and in parallel only if that kernel releases the GIL (``nogil``),
otherwise one after the other (no extra compilation either way). The results do not
depend on the thread count, the chunking or the lane a trajectory ran in.

Compilation: once per machine and (family, step rule), a few seconds, then cached on
disk (the engine is part of the (family, rule) module of :mod:`synthetic.codegen`).

Progress: pass ``progress=callback``; after each finished chunk the calling thread
calls ``callback(done, total)`` with the number of trajectories done so far.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from functools import partial

import numba
import numpy as np

from .objective import Objective, objective_from_expr
from .result import CodedOutcomes, Outcomes, RunResult, outcome_arrays
from .run import DEFAULT_MAX_ITER, validate_eps, validate_start
from .steprules import rule
from .sweep_kernels import NPMAX, W

__all__ = ["SweepResult", "sweep"]


@dataclass(frozen=True, eq=False)
class SweepResult(CodedOutcomes):
    """The results of ``n`` independent runs, one array entry per trajectory.

    Attributes
    ----------
    method
        The step rule's name.
    params
        Parameter name -> float array of length ``n`` (broadcast inputs).
    x0, eps, max_iter
        Starts (``(n,)`` for one variable, ``(n, d)`` otherwise), tolerances ``(n,)``
        and the iteration cap.
    status, cause
        Strings per trajectory, as in :class:`~synthetic.result.RunResult`
        (``converged`` / ``diverged`` / ``max_iter``; ``""`` / ``nan`` / ``inf`` /
        ``overflow``).
    status_code, cause_code
        The same as small integers: indices into :data:`synthetic.result.STATUSES`
        and :data:`synthetic.result.CAUSES`.
    iterations
        T_eps for converged runs, the index of the first non-finite iterate for
        diverged runs, ``max_iter`` (a lower bound) for censored runs.
    x_final, f_final, grad_norm_final, grad_norm_max, monotone
        As in :class:`~synthetic.result.RunResult`, per trajectory.
    """

    method: str
    params: dict[str, np.ndarray]
    x0: np.ndarray
    eps: np.ndarray
    max_iter: int
    status_code: np.ndarray
    cause_code: np.ndarray
    iterations: np.ndarray
    x_final: np.ndarray
    f_final: np.ndarray
    grad_norm_final: np.ndarray
    grad_norm_max: np.ndarray
    monotone: np.ndarray

    def run_result(self, i: int) -> RunResult:
        """Trajectory ``i`` as a :class:`~synthetic.result.RunResult` (no trajectory rows)."""
        return RunResult.from_outcomes(
            self.outcomes,
            i,
            method=self.method,
            params={k: float(v[i]) for k, v in self.params.items()},
            eps=self.eps[i],
            max_iter=self.max_iter,
        )

    def _repr_markdown_(self) -> str:
        """Summary and table, for Jupyter (:func:`synthetic.notebook.sweep_result_markdown`)."""
        from .notebook import sweep_result_markdown

        return sweep_result_markdown(self)

    @property
    def outcomes(self) -> Outcomes:
        """The per-trajectory arrays as the kernels' :class:`~synthetic.result.Outcomes`."""
        return Outcomes(
            self.status_code, self.cause_code, self.iterations, self.x_final, self.f_final,
            self.grad_norm_final, self.grad_norm_max, self.monotone,
            np.zeros(self.iterations.size, dtype=np.int64),
        )  # fmt: skip


def _as_1d(name: str, value) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be a number or a 1-D array of numbers, got {value!r}"
        ) from None
    if arr.ndim > 1:
        raise ValueError(f"{name} must be a scalar or a 1-D array, got shape {arr.shape}")
    return arr


def _chunk_nd(iterate_nd, lo, hi, x0, p, S, eps, max_iter, out: Outcomes) -> None:
    """d variables: trajectories lo..hi-1, one call of the generated kernel each."""
    traj = np.zeros((0, 3))
    for i in range(lo, hi):
        iterate_nd(x0[i], p, S[i], float(eps[i]), max_iter, traj, out, i)


def _common_length(arrays: dict[str, np.ndarray]) -> int:
    lengths = {k: a.shape[0] for k, a in arrays.items() if a.ndim >= 1}
    sizes = set(lengths.values())
    if len(sizes) > 1:
        listed = ", ".join(f"{k}: {v}" for k, v in lengths.items())
        raise ValueError(f"array inputs must have one common length, got {listed}")
    n = sizes.pop() if sizes else 1
    if n == 0:
        raise ValueError("nothing to sweep: the array inputs are empty")
    return n


def sweep(
    objective: Objective | str,
    method: str,
    x0s,
    eps,
    params: Mapping[str, object] | None = None,
    *,
    max_iter: int = DEFAULT_MAX_ITER,
    progress: Callable[[int, int], None] | None = None,
    **kwparams,
) -> SweepResult:
    """Run ``method`` on many independent trajectories in parallel.

    Parameters
    ----------
    objective
        An :class:`~synthetic.objective.Objective` or an expression string.
    method
        A step rule of :data:`synthetic.steprules.RULES` (``gd``, ``clipped_gd``,
        ``normalized_gd``, ``clipped_gd_torch``, ``clipped_gd_optax``).
    x0s
        Starts: one variable, a scalar or an array ``(n,)``; d variables, one start
        ``(d,)`` or an array ``(n, d)``.
    eps
        Target gradient norm(s), finite and > 0: a scalar or an array ``(n,)``.
    params, **kwparams
        The step rule's parameters (e.g. ``h``; ``eta``, ``gamma``), each a scalar
        or an array ``(n,)``; ``params`` and keyword arguments are merged.
    max_iter
        The iteration cap of every trajectory (>= 1).
    progress
        Optional ``callback(done, total)``, called by the calling thread after each
        chunk of trajectories (``done`` increases to ``total``).

    Returns
    -------
    SweepResult
        Entry ``i`` equals the :func:`synthetic.run.run` result of trajectory ``i``.

    Raises
    ------
    ValueError
        One line naming the bad input (unknown method or parameter, negative or
        non-finite parameter, eps <= 0, non-finite start, mismatched lengths, ...).
    """
    if isinstance(objective, str):
        objective = objective_from_expr(objective)
    step = rule(method)
    values = dict(params or {})
    for k, v in kwparams.items():
        if k in values:
            raise ValueError(f"parameter {k!r} given twice (in params and as a keyword)")
        values[k] = v
    unknown = set(values) - set(step.params)
    if unknown:
        raise ValueError(
            f"{method} takes {', '.join(step.params)}; unknown: {', '.join(sorted(unknown))}"
        )
    missing = [p for p in step.params if values.get(p) is None]
    if missing:
        step.validate(values)  # raises the step rule's own message
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"max_iter must be an integer >= 1, got {max_iter!r}")
    d = objective.dim

    arrays = {p: _as_1d(p, values[p]) for p in step.params}
    eps_arr = _as_1d("eps", eps)
    try:
        x0_arr = np.asarray(x0s, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"x0s must be numbers or arrays of numbers, got {x0s!r}") from None
    if d == 1:
        if x0_arr.ndim == 2 and x0_arr.shape[1] == 1:
            x0_arr = x0_arr[:, 0]
        if x0_arr.ndim > 1:
            raise ValueError(
                f"x0s must be a scalar or a 1-D array for f(x), got shape {x0_arr.shape}"
            )
        x0_len = x0_arr
    else:
        if x0_arr.ndim == 1:
            validate_start(objective, x0_arr)
            x0_len = np.float64(0.0)
        elif x0_arr.ndim == 2 and x0_arr.shape[1] == d:
            x0_len = x0_arr[:, 0]
        else:
            raise ValueError(
                f"x0s must have shape ({d},) or (n, {d}) for {d} variables, got {x0_arr.shape}"
            )
    n = _common_length({"x0s": x0_len, "eps": eps_arr, **arrays})

    # validation: vectorized, and on failure the single-run validator names the problem
    if d == 1:
        x0b = np.ascontiguousarray(np.broadcast_to(x0_arr, (n,)))
        bad = np.flatnonzero(~np.isfinite(x0b))
        if bad.size:
            validate_start(objective, x0b[bad[0]])
    else:
        x0b = np.ascontiguousarray(np.broadcast_to(x0_arr, (n, d)))
        bad = np.flatnonzero(~np.all(np.isfinite(x0b), axis=1))
        if bad.size:
            validate_start(objective, x0b[bad[0]])
    epsb = np.ascontiguousarray(np.broadcast_to(eps_arr, (n,)))
    bad = np.flatnonzero(~(np.isfinite(epsb) & (epsb > 0)))
    if bad.size:
        validate_eps(epsb[bad[0]])
    cols = {p: np.broadcast_to(a, (n,)) for p, a in arrays.items()}
    S = np.ascontiguousarray(np.stack([cols[p] for p in step.params], axis=1))
    # the rule's checks are per parameter and monotone (finite, >= or > a bound), so
    # checking each column's worst entry (a non-finite one, else the smallest) checks all
    base = S[0].tolist()
    for j in range(len(step.params)):
        col = S[:, j]
        bad = np.flatnonzero(~np.isfinite(col))
        row = list(base)
        row[j] = col[bad[0]] if bad.size else col.min()
        step.validate(dict(zip(step.params, [float(v) for v in row])))

    out = outcome_arrays(n, d)
    kernels = objective.family.compiled.kernels(method)
    p = objective.values
    threads = numba.get_num_threads()
    if d == 1:
        if S.shape[1] > NPMAX:
            raise ValueError(f"the sweep engine takes at most {NPMAX} step parameters")
        S = np.ascontiguousarray(np.pad(S, ((0, 0), (0, NPMAX - S.shape[1]))))
    if d == 1:
        func = partial(kernels.chunk_1d, W)
        parallel = True
    else:
        func = partial(_chunk_nd, kernels.iterate_nd)
        # parallel only if the generated kernel releases the GIL
        parallel = bool(func.args[0].targetoptions.get("nogil", False))
    tail = (x0b, p, S, epsb, int(max_iter), out)
    # chunks of whole blocks, several per thread so that the threads balance
    chunk = W * max(1, min(16, -(-n // (W * 8 * threads))))
    bounds = [(a, min(n, a + chunk)) for a in range(0, n, chunk)]
    func(0, 0, *tail)  # compile in this thread (no-op: an empty range)
    if threads == 1 or len(bounds) == 1 or not parallel:
        for a, b in bounds:
            func(a, b, *tail)
            if progress is not None:
                progress(b, n)
    else:
        done = 0
        with ThreadPoolExecutor(max_workers=threads) as pool:
            sizes = {pool.submit(func, a, b, *tail): b - a for a, b in bounds}
            try:
                for fut in as_completed(sizes):
                    fut.result()
                    done += sizes[fut]
                    if progress is not None:
                        progress(done, n)
            except BaseException:  # e.g. KeyboardInterrupt: drop the chunks not started
                for fut in sizes:
                    fut.cancel()
                raise
    return SweepResult(
        method=method,
        params={k: np.array(v, dtype=np.float64) for k, v in cols.items()},
        x0=x0b,
        eps=epsb,
        max_iter=int(max_iter),
        **CodedOutcomes.fields(out),
        monotone=out.monotone,
    )
