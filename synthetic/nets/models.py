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

__all__ = ["CharLSTM", "DeepLinear", "MLPClassifier", "Model", "ResidualMLP", "TanhRNN"]


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


# ---------------------------------------------------------------------------- LSTM
def _softmax_xent(z: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of logits ``z`` (rows) against labels ``y``; returns (loss, p)."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    s = e.sum(axis=1)
    n = z.shape[0]
    loss = float(np.mean(np.log(s) - z[np.arange(n), y]))
    return loss, e / s[:, None]


@njit(cache=True)
def _sig(a):  # pragma: no cover - compiled
    return 1.0 / (1.0 + math.exp(-a))


@njit(cache=True)
def _lstm_forward(WxT, WhT, b, WyT, by, X, Y, Hs, Cs, G, P):  # pragma: no cover - compiled
    """Fill states Hs, Cs (T+1, n, H), gates G (T, n, 4H) = [i, f, o, g] after their
    nonlinearities, softmax probabilities P (T, n, V); return the mean cross-entropy.

    Takes the transposed weights so that every inner loop is an axpy over a contiguous
    row (vectorised by LLVM without reassociating sums, i.e. without fastmath)."""
    n, T = X.shape
    H = WhT.shape[0]
    V = WyT.shape[1]
    acc = np.empty(4 * H)
    z = np.empty(V)
    total = 0.0
    for t in range(T):
        for i in range(n):
            x = X[i, t]
            for j in range(4 * H):
                acc[j] = b[j] + WxT[x, j]
            for k in range(H):
                hk = Hs[t, i, k]
                for j in range(4 * H):
                    acc[j] += WhT[k, j] * hk
            for j in range(3 * H):
                G[t, i, j] = _sig(acc[j])
            for j in range(3 * H, 4 * H):
                G[t, i, j] = math.tanh(acc[j])
            for k in range(H):
                c = G[t, i, H + k] * Cs[t, i, k] + G[t, i, k] * G[t, i, 3 * H + k]
                Cs[t + 1, i, k] = c
                Hs[t + 1, i, k] = G[t, i, 2 * H + k] * math.tanh(c)
            for v in range(V):
                z[v] = by[v]
            for k in range(H):
                hk = Hs[t + 1, i, k]
                for v in range(V):
                    z[v] += WyT[k, v] * hk
            zmax = -math.inf
            for v in range(V):
                if z[v] > zmax:
                    zmax = z[v]
            s = 0.0
            for v in range(V):
                e = math.exp(z[v] - zmax)
                P[t, i, v] = e
                s += e
            for v in range(V):
                P[t, i, v] /= s
            total += -math.log(P[t, i, Y[i, t]])
    return total / (n * T)


@njit(cache=True)
def _lstm_backward(Wx, Wh, Wy, X, Y, Hs, Cs, G, P, gWx, gWh, gb, gWy, gby):  # pragma: no cover
    """Back-propagation through time; accumulates the gradients of the mean cross-entropy."""
    n, T = X.shape
    H = Wh.shape[1]
    V = Wy.shape[0]
    scale = 1.0 / (n * T)
    dh = np.zeros((n, H))
    dc = np.zeros((n, H))
    da = np.empty(4 * H)
    dz = np.empty(V)
    for t in range(T - 1, -1, -1):
        for i in range(n):
            for v in range(V):
                dz[v] = P[t, i, v] * scale
            dz[Y[i, t]] -= scale
            for v in range(V):
                gby[v] += dz[v]
                for k in range(H):
                    gWy[v, k] += dz[v] * Hs[t + 1, i, k]
                    dh[i, k] += dz[v] * Wy[v, k]
            for k in range(H):
                ig, fg, og, gg = G[t, i, k], G[t, i, H + k], G[t, i, 2 * H + k], G[t, i, 3 * H + k]
                tc = math.tanh(Cs[t + 1, i, k])
                d_c = dc[i, k] + dh[i, k] * og * (1.0 - tc * tc)
                da[k] = d_c * gg * ig * (1.0 - ig)
                da[H + k] = d_c * Cs[t, i, k] * fg * (1.0 - fg)
                da[2 * H + k] = dh[i, k] * tc * og * (1.0 - og)
                da[3 * H + k] = d_c * ig * (1.0 - gg * gg)
                dc[i, k] = d_c * fg
            x = X[i, t]
            for k in range(H):
                dh[i, k] = 0.0
            for j in range(4 * H):
                a = da[j]
                gb[j] += a
                gWx[j, x] += a
                for k in range(H):
                    gWh[j, k] += a * Hs[t, i, k]
                    dh[i, k] += a * Wh[j, k]


@dataclass(frozen=True, eq=False)
class CharLSTM(Model):
    """Character-level LSTM language model (one layer), softmax read-out at every step.

    With one-hot input ``u_t`` (``vocab`` symbols) and ``h_0 = c_0 = 0``::

        [i, f, o, g] = [σ, σ, σ, tanh](W_x u_t + W_h h_{t−1} + b)
        c_t = f ⊙ c_{t−1} + i ⊙ g,   h_t = o ⊙ tanh(c_t),   p_t = softmax(W_y h_t + b_y)

    and the loss is the mean over sequences and positions of ``−log p_t[y_t]`` (nats per
    character). Data: ``X``, ``Y`` integer arrays ``(n, T)`` (inputs and next characters,
    :func:`synthetic.nets.corpora.char_sequences`). The gradient is back-propagation
    through time in compiled loops (numba, one thread: at these sizes numpy's per-call
    overhead and a threaded BLAS on a shared machine cost more than the arithmetic).
    Initialisation: uniform ``±1/√hidden`` (PyTorch's ``nn.LSTM`` default), forget-gate
    bias 1, read-out N(0, 1/hidden).

    The analog, at laptop scale, of the AWD-LSTM language model of the paper's Figs 1, 2
    and 4a-b (three layers of 1150 units on Penn Treebank words).
    """

    vocab: int = 40
    hidden: int = 32

    def __post_init__(self) -> None:
        V, H = self.vocab, self.hidden
        if V < 2 or H < 1:
            raise ValueError(f"need vocab >= 2 and hidden >= 1, got {V}, {H}")
        object.__setattr__(self, "shapes", ((4 * H, V), (4 * H, H), (4 * H,), (V, H), (V,)))

    def init(self, rng: np.random.Generator) -> np.ndarray:
        V, H = self.vocab, self.hidden
        k = 1.0 / np.sqrt(H)
        Wx = rng.uniform(-k, k, (4 * H, V))
        Wh = rng.uniform(-k, k, (4 * H, H))
        b = np.zeros(4 * H)
        b[H : 2 * H] = 1.0
        Wy = rng.standard_normal((V, H)) / np.sqrt(H)
        return np.concatenate([Wx.ravel(), Wh.ravel(), b, Wy.ravel(), np.zeros(V)])

    def _run(self, theta: np.ndarray, data: Dataset):
        X = np.ascontiguousarray(data.X, dtype=np.int64)
        Y = np.ascontiguousarray(data.Y, dtype=np.int64)
        if X.ndim != 2 or X.shape != Y.shape:
            raise ValueError(f"CharLSTM needs X, Y of equal shape (n, T), got {X.shape}, {Y.shape}")
        if X.size and (min(X.min(), Y.min()) < 0 or max(X.max(), Y.max()) >= self.vocab):
            raise ValueError(f"symbols must lie in [0, {self.vocab})")
        ps = [np.ascontiguousarray(p) for p in self.unpack(theta)]
        n, T = X.shape
        H, V = self.hidden, self.vocab
        Hs, Cs = np.zeros((T + 1, n, H)), np.zeros((T + 1, n, H))
        G, P = np.empty((T, n, 4 * H)), np.empty((T, n, V))
        Wx, Wh, b, Wy, by = ps
        loss = _lstm_forward(
            np.ascontiguousarray(Wx.T), np.ascontiguousarray(Wh.T), b,
            np.ascontiguousarray(Wy.T), by, X, Y, Hs, Cs, G, P,
        )  # fmt: skip
        return ps, X, Y, (Hs, Cs, G, P), float(loss)

    def loss(self, theta: np.ndarray, data: Dataset) -> float:
        return self._run(theta, data)[4]

    def loss_grad(self, theta: np.ndarray, data: Dataset) -> tuple[float, np.ndarray]:
        (Wx, Wh, b, Wy, by), X, Y, (Hs, Cs, G, P), loss = self._run(theta, data)
        gs = [np.zeros_like(p) for p in (Wx, Wh, b, Wy, by)]
        _lstm_backward(Wx, Wh, Wy, X, Y, Hs, Cs, G, P, *gs)
        return loss, np.concatenate([g.ravel() for g in gs])

    def metrics(self, theta: np.ndarray, data: Dataset) -> dict[str, float]:
        """Loss (nats per character) and next-character accuracy."""
        _, _, Y, (_, _, _, P), loss = self._run(theta, data)
        acc = float(np.mean(np.argmax(P, axis=2) == Y.T)) if Y.size else math.nan
        return {"loss": loss, "accuracy": acc}


# ------------------------------------------------------------------- residual MLP
@dataclass(frozen=True, eq=False)
class ResidualMLP(Model):
    """A residual multilayer classifier: stem, ``blocks`` residual blocks, linear read-out.

    ::

        h_0 = relu(W_0 x + b_0)
        h_j = h_{j−1} + V_j relu(W_j h_{j−1} + b_j) + c_j      (j = 1, ..., blocks)
        logits = W_out h_B + b_out

    with softmax cross-entropy. He initialisation for ``W_0``, ``W_j``, ``W_out``; the
    second layer of each block ``V_j`` starts at ``branch_scale`` times He scaling (a small
    residual branch, as ResNets' zero- or small-init of the last layer of a block).
    The analog, at laptop scale, of ResNet20 in the paper's Figs 3 and 4c-d.
    """

    d_in: int = 64
    width: int = 32
    blocks: int = 2
    classes: int = 10
    branch_scale: float = 0.5

    def __post_init__(self) -> None:
        if self.blocks < 0 or self.width < 1:
            raise ValueError(f"need blocks >= 0 and width >= 1, got {self.blocks}, {self.width}")
        w = self.width
        shapes = [(w, self.d_in), (w,)]
        for _ in range(self.blocks):
            shapes += [(w, w), (w,), (w, w), (w,)]
        shapes += [(self.classes, w), (self.classes,)]
        object.__setattr__(self, "shapes", tuple(shapes))

    def init(self, rng: np.random.Generator) -> np.ndarray:
        parts = []
        for j, s in enumerate(self.shapes):
            if len(s) == 1:
                parts.append(np.zeros(s))
                continue
            scale = np.sqrt(2.0 / s[1])
            if 2 <= j < len(self.shapes) - 2 and (j - 2) % 4 == 2:  # V_j: second block layer
                scale *= self.branch_scale
            parts.append(rng.standard_normal(s).ravel() * scale)
        return np.concatenate(parts)

    def _logits(self, theta: np.ndarray, X: np.ndarray):
        ps = self.unpack(theta)
        pre0 = X @ ps[0].T + ps[1]
        h = np.maximum(pre0, 0.0)
        cache = [pre0]
        hs = [h]
        for j in range(self.blocks):
            W, b, V, c = ps[2 + 4 * j : 6 + 4 * j]
            u = h @ W.T + b
            r = np.maximum(u, 0.0)
            h = h + r @ V.T + c
            cache.append((u, r))
            hs.append(h)
        return ps, hs, cache, h @ ps[-2].T + ps[-1]

    def loss(self, theta: np.ndarray, data: Dataset) -> float:
        return _softmax_xent(self._logits(theta, data.X)[3], data.Y)[0]

    def loss_grad(self, theta: np.ndarray, data: Dataset) -> tuple[float, np.ndarray]:
        X = data.X
        ps, hs, cache, z = self._logits(theta, X)
        loss, d = _softmax_xent(z, data.Y)
        n = z.shape[0]
        d[np.arange(n), data.Y] -= 1.0
        d /= n
        grads: list[np.ndarray] = [None] * len(ps)
        grads[-2], grads[-1] = d.T @ hs[-1], d.sum(axis=0)
        dh = d @ ps[-2]
        for j in range(self.blocks - 1, -1, -1):
            W, _, V, _ = ps[2 + 4 * j : 6 + 4 * j]
            u, r = cache[1 + j]
            grads[4 + 4 * j], grads[5 + 4 * j] = dh.T @ r, dh.sum(axis=0)
            du = (dh @ V) * (u > 0)
            grads[2 + 4 * j], grads[3 + 4 * j] = du.T @ hs[j], du.sum(axis=0)
            dh = dh + du @ W
        d0 = dh * (cache[0] > 0)
        grads[0], grads[1] = d0.T @ X, d0.sum(axis=0)
        return loss, np.concatenate([g.ravel() for g in grads])

    def metrics(self, theta: np.ndarray, data: Dataset) -> dict[str, float]:
        z = self._logits(theta, data.X)[3]
        loss = _softmax_xent(z, data.Y)[0]
        return {"loss": loss, "accuracy": float(np.mean(np.argmax(z, axis=1) == data.Y))}
