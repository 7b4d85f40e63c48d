"""Small networks with hand-written gradients on a flat parameter vector.

Laptop-scale analogs of the networks of Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 v2
(Figs 1-5): a deep linear network (§2.3 intuition), a vanilla tanh RNN on the adding
problem (analog of the AWD-LSTM language model) and a small multilayer classifier
(analog of ResNet20). Every model works on one flat float64 vector ``theta``, so the
optimizers of :mod:`synthetic.nets.train` and the probes of :mod:`synthetic.probes` are
generic. The gradients are written by hand and checked against central finite
differences in ``tests/synthetic/test_nets.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from .data import Dataset

__all__ = ["DeepLinear", "MLPClassifier", "Model", "TanhRNN"]


def _split(theta: np.ndarray, shapes: tuple[tuple[int, ...], ...]) -> list[np.ndarray]:
    out, i = [], 0
    for s in shapes:
        m = math.prod(s)
        out.append(theta[i : i + m].reshape(s))
        i += m
    return out


class Model:
    """Interface: ``shapes``, :meth:`init`, :meth:`loss_grad`, :meth:`loss`, :meth:`metrics`."""

    shapes: tuple[tuple[int, ...], ...] = ()

    @property
    def size(self) -> int:
        """Number of parameters."""
        return int(sum(math.prod(s) for s in self.shapes))

    def unpack(self, theta: np.ndarray) -> list[np.ndarray]:
        """Views of the parameter blocks of ``theta``."""
        theta = np.asarray(theta, dtype=np.float64)
        if theta.shape != (self.size,):
            raise ValueError(f"theta must have shape ({self.size},), got {theta.shape}")
        return _split(theta, self.shapes)

    def init(self, rng: np.random.Generator) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def loss_grad(self, theta: np.ndarray, data: Dataset) -> tuple[float, np.ndarray]:
        """The mean loss over ``data`` and its gradient (flat)."""
        raise NotImplementedError  # pragma: no cover

    def loss(self, theta: np.ndarray, data: Dataset) -> float:
        """The mean loss over ``data``."""
        return self.loss_grad(theta, data)[0]

    def metrics(self, theta: np.ndarray, data: Dataset) -> dict[str, float]:
        """``{"loss": ..., "accuracy": ...}`` (accuracy NaN where it has no meaning)."""
        return {"loss": self.loss(theta, data), "accuracy": math.nan}


# ------------------------------------------------------------------------ deep linear
@dataclass(frozen=True, eq=False)
class DeepLinear(Model):
    """``x -> W_L ··· W_1 x`` with the loss ``(1/2n) Σ ||W_L ··· W_1 x_i − y_i||²``.

    Parameters
    ----------
    d_in, width, d_out, depth
        Input, hidden and output widths and the number of layers (``depth >= 1``).
    init_scale
        Each ``W_l`` starts with i.i.d. N(0, init_scale² / fan_in) entries.
    """

    d_in: int = 8
    width: int = 8
    d_out: int = 8
    depth: int = 4
    init_scale: float = 1.0

    def __post_init__(self) -> None:
        if self.depth < 1:
            raise ValueError(f"depth must be >= 1, got {self.depth}")
        dims = [self.d_in] + [self.width] * (self.depth - 1) + [self.d_out]
        object.__setattr__(self, "shapes", tuple((dims[i + 1], dims[i]) for i in range(self.depth)))

    def init(self, rng: np.random.Generator) -> np.ndarray:
        return np.concatenate(
            [rng.standard_normal(s).ravel() * self.init_scale / np.sqrt(s[1]) for s in self.shapes]
        )

    def loss_grad(self, theta: np.ndarray, data: Dataset) -> tuple[float, np.ndarray]:
        Ws = self.unpack(theta)
        n = data.X.shape[0]
        hs = [data.X]
        for W in Ws:
            hs.append(hs[-1] @ W.T)
        r = hs[-1] - data.Y
        loss = 0.5 * float(np.sum(r * r)) / n
        delta = r / n
        grads = [None] * len(Ws)
        for i in range(len(Ws) - 1, -1, -1):
            grads[i] = delta.T @ hs[i]
            delta = delta @ Ws[i]
        return loss, np.concatenate([g.ravel() for g in grads])


# ----------------------------------------------------------------------------- RNN
@njit(cache=True)
def _rnn_forward(W, U, b, X, H):  # pragma: no cover - compiled
    """Fill H[t + 1] = tanh(H[t] W' + X[:, t] U' + b) for t < T (H[0] = 0)."""
    n_ex, T, d = X.shape
    n = W.shape[0]
    for t in range(T):
        for i in range(n_ex):
            for j in range(n):
                a = b[j]
                for k in range(n):
                    a += W[j, k] * H[t, i, k]
                for k in range(d):
                    a += U[j, k] * X[i, t, k]
                H[t + 1, i, j] = np.tanh(a)


@njit(cache=True)
def _rnn_backward(W, X, H, dH, gW, gU, gb):  # pragma: no cover - compiled
    """Back-propagation through time from dH = dL/dH[T]; accumulates gW, gU, gb."""
    n_ex, T, d = X.shape
    n = W.shape[0]
    dA = np.empty((n_ex, n))
    for t in range(T, 0, -1):
        for i in range(n_ex):
            for j in range(n):
                h = H[t, i, j]
                dA[i, j] = dH[i, j] * (1.0 - h * h)
        for i in range(n_ex):
            for j in range(n):
                a = dA[i, j]
                gb[j] += a
                for k in range(n):
                    gW[j, k] += a * H[t - 1, i, k]
                for k in range(d):
                    gU[j, k] += a * X[i, t - 1, k]
        for i in range(n_ex):
            for k in range(n):
                acc = 0.0
                for j in range(n):
                    acc += dA[i, j] * W[j, k]
                dH[i, k] = acc


@dataclass(frozen=True, eq=False)
class TanhRNN(Model):
    """Vanilla RNN ``h_t = tanh(W h_{t−1} + U u_t + b)``, ``h_0 = 0``, read-out ``v·h_T + c``.

    The loss is ``(1/2n) Σ (v·h_T + c − y)²`` (the adding problem's target is a scalar);
    the gradient is back-propagation through time, in compiled loops (numba pays here:
    the sequence loop makes numpy's per-call overhead dominate at these sizes). ``W``
    starts as ``rho`` times a random orthogonal matrix (spectral radius ``rho``:
    ``rho > 1`` is the exploding-gradient regime of Pascanu, Mikolov & Bengio 2013),
    ``U`` with N(0, 1/d_in) entries.
    """

    d_in: int = 2
    hidden: int = 16
    rho: float = 1.0

    def __post_init__(self) -> None:
        n, d = self.hidden, self.d_in
        object.__setattr__(self, "shapes", ((n, n), (n, d), (n,), (n,), (1,)))

    def init(self, rng: np.random.Generator) -> np.ndarray:
        n, d = self.hidden, self.d_in
        q, r = np.linalg.qr(rng.standard_normal((n, n)))
        W = self.rho * q * np.sign(np.diag(r))
        U = rng.standard_normal((n, d)) / np.sqrt(d)
        v = rng.standard_normal(n) / np.sqrt(n)
        return np.concatenate([W.ravel(), U.ravel(), np.zeros(n), v, np.zeros(1)])

    def _forward(self, theta: np.ndarray, X: np.ndarray):
        W, U, b, v, c = self.unpack(theta)
        X = np.ascontiguousarray(X, dtype=np.float64)
        n_ex, T, _ = X.shape
        H = np.zeros((T + 1, n_ex, self.hidden))
        _rnn_forward(np.ascontiguousarray(W), np.ascontiguousarray(U), b, X, H)
        out = H[T] @ v + c[0]
        return H, out

    def loss(self, theta: np.ndarray, data: Dataset) -> float:
        _, out = self._forward(theta, data.X)
        r = out - data.Y[:, 0]
        return 0.5 * float(np.mean(r * r))

    def loss_grad(self, theta: np.ndarray, data: Dataset) -> tuple[float, np.ndarray]:
        W, U, b, v, c = self.unpack(theta)
        X = data.X
        n_ex, T, _ = X.shape
        H, out = self._forward(theta, X)
        r = out - data.Y[:, 0]
        loss = 0.5 * float(np.mean(r * r))
        dout = r / n_ex
        gv = H[T].T @ dout
        gc = np.array([dout.sum()])
        gW = np.zeros_like(W)
        gU = np.zeros_like(U)
        gb = np.zeros_like(b)
        dH = np.outer(dout, v)
        _rnn_backward(
            np.ascontiguousarray(W), np.ascontiguousarray(X, dtype=np.float64), H, dH, gW, gU, gb
        )
        return loss, np.concatenate([gW.ravel(), gU.ravel(), gb, gv, gc])

    def metrics(self, theta: np.ndarray, data: Dataset) -> dict[str, float]:
        """Loss and the fraction of sequences predicted within 0.04 (Hochreiter's criterion)."""
        _, out = self._forward(theta, data.X)
        r = out - data.Y[:, 0]
        return {"loss": 0.5 * float(np.mean(r * r)), "accuracy": float(np.mean(np.abs(r) < 0.04))}


# ---------------------------------------------------------------------------- MLP
@dataclass(frozen=True, eq=False)
class MLPClassifier(Model):
    """``d -> hidden -> ... -> classes`` with ReLU or tanh and softmax cross-entropy.

    Weights start with He (ReLU) or Glorot-like (tanh) scaling, biases at zero.
    """

    d_in: int = 16
    hidden: tuple[int, ...] = (32, 32)
    classes: int = 4
    activation: str = "relu"

    def __post_init__(self) -> None:
        if self.activation not in ("relu", "tanh"):
            raise ValueError(f"activation must be 'relu' or 'tanh', got {self.activation!r}")
        dims = [self.d_in, *self.hidden, self.classes]
        shapes = []
        for i in range(len(dims) - 1):
            shapes += [(dims[i + 1], dims[i]), (dims[i + 1],)]
        object.__setattr__(self, "shapes", tuple(shapes))

    def init(self, rng: np.random.Generator) -> np.ndarray:
        gain = 2.0 if self.activation == "relu" else 1.0
        parts = []
        for s in self.shapes:
            if len(s) == 2:
                parts.append(rng.standard_normal(s).ravel() * np.sqrt(gain / s[1]))
            else:
                parts.append(np.zeros(s))
        return np.concatenate(parts)

    def _act(self, a: np.ndarray) -> np.ndarray:
        return np.maximum(a, 0.0) if self.activation == "relu" else np.tanh(a)

    def _logits(self, theta: np.ndarray, X: np.ndarray):
        ps = self.unpack(theta)
        hs = [X]
        for i in range(0, len(ps) - 2, 2):
            hs.append(self._act(hs[-1] @ ps[i].T + ps[i + 1]))
        return ps, hs, hs[-1] @ ps[-2].T + ps[-1]

    @staticmethod
    def _xent(z: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        z = z - z.max(axis=1, keepdims=True)
        lse = np.log(np.exp(z).sum(axis=1))
        logp = z - lse[:, None]
        n = z.shape[0]
        return -float(np.mean(logp[np.arange(n), y])), logp

    def loss(self, theta: np.ndarray, data: Dataset) -> float:
        return self._xent(self._logits(theta, data.X)[2], data.Y)[0]

    def loss_grad(self, theta: np.ndarray, data: Dataset) -> tuple[float, np.ndarray]:
        ps, hs, z = self._logits(theta, data.X)
        loss, logp = self._xent(z, data.Y)
        n = z.shape[0]
        delta = np.exp(logp)
        delta[np.arange(n), data.Y] -= 1.0
        delta /= n
        grads: list[np.ndarray] = [None] * len(ps)
        for i in range(len(ps) - 2, -1, -2):
            h = hs[i // 2]
            grads[i] = delta.T @ h
            grads[i + 1] = delta.sum(axis=0)
            if i > 0:
                dh = delta @ ps[i]
                delta = dh * (h > 0) if self.activation == "relu" else dh * (1.0 - h * h)
        return loss, np.concatenate([g.ravel() for g in grads])

    def metrics(self, theta: np.ndarray, data: Dataset) -> dict[str, float]:
        z = self._logits(theta, data.X)[2]
        loss = self._xent(z, data.Y)[0]
        return {"loss": loss, "accuracy": float(np.mean(np.argmax(z, axis=1) == data.Y))}
