"""Training loops: (stochastic) gradient descent, clipped, normalized, with momentum.

The update rules are those of Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 v2 (Eqs. 4-6)
applied to a stochastic gradient ``g_k`` (a minibatch gradient, or the full gradient
when ``batch_size`` is ``None``):

- ``sgd``: ``x_{k+1} = x_k − lr · g_k``;
- ``clip`` set (``sgd``): ``h_k = lr · min{1, clip / ||g_k||}``, i.e. the gradient norm
  is clipped at ``clip`` (the paper's ``η_c = lr``, ``γ = clip``; the legend
  ``lr30clip0.25`` of Fig 4 means ``lr = 30``, ``clip = 0.25``);
- ``normalized``: ``h_k = lr / (||g_k|| + beta)``;
- ``momentum > 0``: the heavy-ball form used by PyTorch's SGD (Fig 3a's default),
  ``v_{k+1} = momentum · v_k + g̃_k``, ``x_{k+1} = x_k − lr · v_{k+1}``, where ``g̃_k``
  is ``g_k`` after clipping if ``clip`` is set.

Along the run, :func:`train` logs the training loss and held-out metrics at evaluation
points and, every ``probe_every`` steps, the smoothness probes of :mod:`synthetic.probes`
computed with the full gradient on a probe set (the first ``probe_fraction`` of the
training data, as in the authors' released code, which averages over the first tenth, or
its first ``probe_size`` examples) and, every ``curvature_every`` steps, the exact local
smoothness at the step's midpoint (:func:`synthetic.nets.curvature.midpoint_curvature`,
power iteration warm-started from the previous probe's vector). A run whose loss or
parameters stop being finite is stopped and marked ``diverged``.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, field

import numpy as np

from ..probes import DEFAULT_POINTS, SmoothnessLog, probe_step
from .curvature import midpoint_curvature
from .data import Dataset
from .models import Model

__all__ = [
    "METHODS",
    "CurvatureLog",
    "TrainConfig",
    "TrainResult",
    "label",
    "single_thread_blas",
    "train",
]

METHODS = ("sgd", "normalized")


@dataclass(frozen=True)
class TrainConfig:
    """One training configuration.

    Attributes
    ----------
    method
        ``"sgd"`` or ``"normalized"``.
    lr
        Learning rate (``η_c`` of clipping, ``η_n`` of normalized steps).
    iterations
        Number of steps.
    clip
        Clipping threshold on the stochastic gradient norm (``None``: no clipping).
    momentum
        Heavy-ball coefficient in [0, 1).
    beta
        The ``β`` of normalized steps.
    batch_size
        Minibatch size (``None``: full-batch gradient descent).
    eval_every
        Steps between evaluations of training and held-out metrics (0: only at the ends).
    probe_every
        Steps between smoothness probes (0: no probes).
    probe_fraction
        Fraction of the training set (from its start) used for the probes' gradients.
    probe_points
        Points of the multi-point smoothness variant.
    probe_size
        If set, the probe set is the first ``probe_size`` training examples instead of
        the first ``probe_fraction``.
    curvature_every
        Steps between exact midpoint-curvature probes (0: none; a multiple of
        ``probe_every`` puts them on the same steps as the authors' estimate).
    curvature_iters, curvature_tol
        Budget and relative tolerance of each power iteration.
    train_eval_size
        If set, the training loss of the curves is measured on the first
        ``train_eval_size`` training examples (a fixed subset) instead of all of them.
    """

    method: str = "sgd"
    lr: float = 0.1
    iterations: int = 1000
    clip: float | None = None
    momentum: float = 0.0
    beta: float = 1e-3
    batch_size: int | None = None
    eval_every: int = 50
    probe_every: int = 0
    probe_fraction: float = 0.1
    probe_points: tuple[float, ...] = DEFAULT_POINTS
    probe_size: int | None = None
    curvature_every: int = 0
    curvature_iters: int = 20
    curvature_tol: float = 1e-2
    train_eval_size: int | None = None

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {self.method!r}")
        if not (math.isfinite(self.lr) and self.lr > 0):
            raise ValueError(f"lr must be finite and > 0, got {self.lr!r}")
        if self.clip is not None and not (math.isfinite(self.clip) and self.clip > 0):
            raise ValueError(f"clip must be None or finite and > 0, got {self.clip!r}")
        if not 0.0 <= self.momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {self.momentum!r}")
        if not (math.isfinite(self.beta) and self.beta > 0):
            raise ValueError(f"beta must be finite and > 0, got {self.beta!r}")
        for k in ("iterations", "eval_every", "probe_every", "curvature_every", "curvature_iters"):
            v = getattr(self, k)
            lo = 1 if k in ("iterations", "curvature_iters") else 0
            if isinstance(v, bool) or not isinstance(v, int) or v < lo:
                raise ValueError(f"{k} must be an integer >= {lo}, got {v!r}")
        for k in ("probe_size", "train_eval_size"):
            v = getattr(self, k)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 1):
                raise ValueError(f"{k} must be None or an integer >= 1, got {v!r}")
        if not (math.isfinite(self.curvature_tol) and self.curvature_tol > 0):
            raise ValueError(f"curvature_tol must be finite and > 0, got {self.curvature_tol!r}")
        if self.batch_size is not None and (
            isinstance(self.batch_size, bool) or int(self.batch_size) < 1
        ):
            raise ValueError(f"batch_size must be None or an integer >= 1, got {self.batch_size!r}")
        if not 0.0 < self.probe_fraction <= 1.0:
            raise ValueError(f"probe_fraction must be in (0, 1], got {self.probe_fraction!r}")


def label(cfg: TrainConfig) -> str:
    """A legend in the paper's style (Fig 4): ``lr30clip0.25``, ``lr0.1mom0.9``, ``ngd_lr1``."""
    s = f"lr{cfg.lr:g}"
    if cfg.method == "normalized":
        s = "ngd_" + s
    if cfg.momentum:
        s += f"mom{cfg.momentum:g}"
    if cfg.clip is not None:
        s += f"clip{cfg.clip:g}"
    return s


@dataclass(frozen=True)
class CurvatureLog:
    """Exact local smoothness at the midpoints of probed steps (arrays of equal length).

    ``iteration`` k of the step x_k -> x_{k+1}; ``hess_norm`` the power-iteration value
    of ``max |λ(∇²f(m_k))|`` (a lower bound, see :mod:`synthetic.nets.curvature`);
    ``iterations`` the Hessian-vector products used; ``converged`` whether it met its
    tolerance.
    """

    iteration: np.ndarray
    hess_norm: np.ndarray
    iterations: np.ndarray
    converged: np.ndarray

    def __len__(self) -> int:
        return int(self.iteration.size)


@dataclass(frozen=True)
class TrainResult:
    """The record of one training run.

    Attributes
    ----------
    status
        ``"finished"`` or ``"diverged"`` (loss or parameters not finite).
    steps
        Steps taken (for a diverged run: the step after which it was stopped).
    eval_iteration, train_loss, heldout_loss, heldout_accuracy
        Metrics at the evaluation points (accuracy NaN where it has no meaning).
    probes
        The smoothness log (empty when ``probe_every == 0``).
    curvature
        Exact midpoint curvature log (empty when ``curvature_every == 0``).
    clipped_fraction
        Fraction of steps whose stochastic gradient norm exceeded ``clip``.
    theta
        The final parameters.
    """

    status: str
    steps: int
    eval_iteration: np.ndarray
    train_loss: np.ndarray
    heldout_loss: np.ndarray
    heldout_accuracy: np.ndarray
    probes: SmoothnessLog
    clipped_fraction: float
    theta: np.ndarray = field(repr=False)
    curvature: CurvatureLog | None = None


def single_thread_blas() -> contextlib.AbstractContextManager:
    """A context in which BLAS runs on one thread (``threadpoolctl``, if installed).

    At these sizes a threaded BLAS only adds synchronisation, which on a shared machine
    costs more than the arithmetic (a 10k-vector norm took 24 ms with two threads under
    load); one thread also makes every result independent of the machine's thread count.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def _finite(theta: np.ndarray) -> bool:
    return bool(np.all(np.isfinite(theta)))


def train(
    model: Model,
    train_data: Dataset,
    heldout: Dataset,
    cfg: TrainConfig,
    rng: np.random.Generator,
    theta0: np.ndarray | None = None,
) -> TrainResult:
    """Train ``model`` on ``train_data`` with the rule of ``cfg``; deterministic per ``rng``.

    Parameters
    ----------
    model
        A :class:`synthetic.nets.models.Model`.
    train_data, heldout
        Training and held-out data.
    cfg
        The configuration.
    rng
        Random generator: initial parameters (unless ``theta0``) and minibatch order.
    theta0
        Initial parameters (default ``model.init(rng)``).
    """
    with single_thread_blas():
        return _train(model, train_data, heldout, cfg, rng, theta0)


def _train(model, train_data, heldout, cfg, rng, theta0) -> TrainResult:
    theta = model.init(rng) if theta0 is None else np.array(theta0, dtype=np.float64)
    n = len(train_data)
    if cfg.probe_size is not None:
        probe_set = train_data.take(slice(0, cfg.probe_size))
    else:
        probe_set = train_data.head(cfg.probe_fraction)
    train_eval = (
        train_data
        if cfg.train_eval_size is None
        else train_data.take(slice(0, cfg.train_eval_size))
    )

    def probe_grad(x: np.ndarray) -> np.ndarray:
        return model.loss_grad(x, probe_set)[1]

    ev_it, tr, hl, ha = [], [], [], []
    p_it, p_gn, p_sm, p_mu = [], [], [], []
    c_it, c_hn, c_n, c_ok = [], [], [], []
    vec = None

    def evaluate(k: int) -> bool:
        m = model.metrics(theta, heldout)
        tl = model.loss(theta, train_eval)
        ev_it.append(k)
        tr.append(tl)
        hl.append(m["loss"])
        ha.append(m["accuracy"])
        return math.isfinite(tl)

    velocity = np.zeros_like(theta)
    order = np.arange(n)
    pos = n
    status, steps, clipped = "finished", cfg.iterations, 0
    evaluate(0)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(cfg.iterations):
            if cfg.batch_size is None or cfg.batch_size >= n:
                batch = train_data
            else:
                if pos + cfg.batch_size > n:
                    order = rng.permutation(n)
                    pos = 0
                batch = train_data.take(order[pos : pos + cfg.batch_size])
                pos += cfg.batch_size
            loss, g = model.loss_grad(theta, batch)
            gn = float(np.linalg.norm(g))
            if not (math.isfinite(loss) and math.isfinite(gn)):
                status, steps = "diverged", k
                break
            if cfg.clip is not None and gn > cfg.clip:
                g = g * (cfg.clip / gn)
                clipped += 1
            if cfg.method == "normalized":
                g = g / (gn + cfg.beta)
            if cfg.momentum:
                velocity = cfg.momentum * velocity + g
                step = cfg.lr * velocity
            else:
                step = cfg.lr * g
            new = theta - step
            if cfg.probe_every and k % cfg.probe_every == 0 and _finite(new):
                p = probe_step(probe_grad, theta, new, points=cfg.probe_points)
                p_it.append(k)
                p_gn.append(p.grad_norm)
                p_sm.append(p.smoothness)
                p_mu.append(p.smoothness_multi)
            if cfg.curvature_every and k % cfg.curvature_every == 0 and _finite(new):
                c = midpoint_curvature(
                    probe_grad, theta, new, vec, max_iter=cfg.curvature_iters, tol=cfg.curvature_tol
                )
                if math.isfinite(c.value):
                    vec = c.vector
                c_it.append(k)
                c_hn.append(c.value)
                c_n.append(c.iterations)
                c_ok.append(c.status == "converged")
            theta = new
            if not _finite(theta):
                status, steps = "diverged", k + 1
                break
            if (cfg.eval_every and (k + 1) % cfg.eval_every == 0) or k + 1 == cfg.iterations:
                if not evaluate(k + 1):
                    status, steps = "diverged", k + 1
                    break
    probes = SmoothnessLog(
        np.asarray(p_it, dtype=np.int64),
        np.asarray(p_gn, dtype=np.float64),
        np.asarray(p_sm, dtype=np.float64),
        np.asarray(p_mu, dtype=np.float64),
    )
    return TrainResult(
        status=status,
        steps=steps,
        eval_iteration=np.asarray(ev_it, dtype=np.int64),
        train_loss=np.asarray(tr, dtype=np.float64),
        heldout_loss=np.asarray(hl, dtype=np.float64),
        heldout_accuracy=np.asarray(ha, dtype=np.float64),
        probes=probes,
        clipped_fraction=clipped / max(steps, 1),
        theta=theta,
        curvature=CurvatureLog(
            np.asarray(c_it, dtype=np.int64),
            np.asarray(c_hn, dtype=np.float64),
            np.asarray(c_n, dtype=np.int64),
            np.asarray(c_ok, dtype=bool),
        ),
    )
