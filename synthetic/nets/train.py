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
training data, as in the authors' released code, which averages over the first tenth).
A run whose loss or parameters stop being finite is stopped and marked ``diverged``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..probes import DEFAULT_POINTS, SmoothnessLog, probe_step
from .data import Dataset
from .models import Model

__all__ = ["METHODS", "TrainConfig", "TrainResult", "label", "train"]

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
        for k in ("iterations", "eval_every", "probe_every"):
            v = getattr(self, k)
            if isinstance(v, bool) or not isinstance(v, int) or v < (1 if k == "iterations" else 0):
                raise ValueError(f"{k} must be an integer >= {int(k == 'iterations')}, got {v!r}")
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
    theta = model.init(rng) if theta0 is None else np.array(theta0, dtype=np.float64)
    n = len(train_data)
    probe_set = train_data.head(cfg.probe_fraction)

    def probe_grad(x: np.ndarray) -> np.ndarray:
        return model.loss_grad(x, probe_set)[1]

    ev_it, tr, hl, ha = [], [], [], []
    p_it, p_gn, p_sm, p_mu = [], [], [], []

    def evaluate(k: int) -> bool:
        m = model.metrics(theta, heldout)
        tl = model.loss(theta, train_data)
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
    )
