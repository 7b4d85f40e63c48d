"""Synthetic data sets for the small networks (seeded; nothing is downloaded).

Analogs of the data of Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 v2, Figs 1-5:

- :func:`gaussian_regression`: Gaussian inputs, targets from a random linear map plus
  noise (for the deep linear network of the paper's §2.3 intuition);
- :func:`adding_problem`: the adding problem of Hochreiter & Schmidhuber (1997), used by
  Pascanu, Mikolov & Bengio (2013) to exhibit exploding gradients and motivate clipping
  (the analog of PTB for the AWD-LSTM language model);
- :func:`teacher_classification`: Gaussian inputs labelled by a random two-layer teacher
  network with label noise (the analog of CIFAR-10 for ResNet20).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Dataset", "adding_problem", "gaussian_regression", "teacher_classification"]


@dataclass(frozen=True)
class Dataset:
    """Inputs and targets; the first axis of ``X`` (and ``Y``) indexes examples.

    ``X`` is ``(n, d)`` for vectors or ``(n, T, d)`` for sequences; ``Y`` holds float
    targets ``(n, k)`` (regression) or integer class labels ``(n,)``.
    """

    X: np.ndarray
    Y: np.ndarray

    def __len__(self) -> int:
        return int(self.X.shape[0])

    def take(self, idx) -> Dataset:
        """The examples at ``idx`` (an index array or a slice)."""
        return Dataset(self.X[idx], self.Y[idx])

    def head(self, fraction: float) -> Dataset:
        """The first ``ceil(fraction · n)`` examples (at least one)."""
        if not 0.0 < fraction <= 1.0:
            raise ValueError(f"fraction must be in (0, 1], got {fraction!r}")
        m = max(1, int(np.ceil(fraction * len(self))))
        return self.take(slice(0, m))


def _check_n(**sizes: int) -> None:
    for k, v in sizes.items():
        if isinstance(v, bool) or int(v) != v or v < 1:
            raise ValueError(f"{k} must be an integer >= 1, got {v!r}")


def gaussian_regression(
    n: int, d_in: int, d_out: int, rng: np.random.Generator, noise: float = 0.1
) -> tuple[Dataset, np.ndarray]:
    """``y = A x + noise``, ``x ~ N(0, I)``, ``A`` with i.i.d. N(0, 1/d_in) entries.

    Returns the data set and the teacher matrix ``A`` (``d_out x d_in``).
    """
    _check_n(n=n, d_in=d_in, d_out=d_out)
    A = rng.standard_normal((d_out, d_in)) / np.sqrt(d_in)
    X = rng.standard_normal((n, d_in))
    Y = X @ A.T + noise * rng.standard_normal((n, d_out))
    return Dataset(X, Y), A


def adding_problem(n: int, T: int, rng: np.random.Generator) -> Dataset:
    """The adding problem: sequences of length ``T`` of pairs (value, marker).

    Values are uniform on [0, 1]; exactly two markers are 1, one in the first half and
    one in the second half of the sequence; the target is the sum of the two marked
    values (``Y`` has shape ``(n, 1)``). Predicting the constant 1 gives a mean squared
    error of 1/6.
    """
    _check_n(n=n, T=T)
    if T < 2:
        raise ValueError(f"T must be >= 2, got {T}")
    X = np.zeros((n, T, 2))
    X[:, :, 0] = rng.uniform(0.0, 1.0, (n, T))
    h = T // 2
    i = rng.integers(0, h, n)
    j = rng.integers(h, T, n)
    rows = np.arange(n)
    X[rows, i, 1] = 1.0
    X[rows, j, 1] = 1.0
    Y = (X[rows, i, 0] + X[rows, j, 0]).reshape(n, 1)
    return Dataset(X, Y)


def teacher_classification(
    n: int,
    d: int,
    classes: int,
    rng: np.random.Generator,
    hidden: int = 32,
    label_noise: float = 0.05,
    teacher: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[Dataset, tuple[np.ndarray, np.ndarray]]:
    """Gaussian inputs labelled by ``argmax(V tanh(W x))`` of a random teacher.

    A fraction ``label_noise`` of labels is replaced by uniform random classes. Pass the
    returned ``teacher`` to draw a held-out set from the same distribution.
    """
    _check_n(n=n, d=d, classes=classes, hidden=hidden)
    if teacher is None:
        W = rng.standard_normal((hidden, d)) * (2.0 / np.sqrt(d))
        V = rng.standard_normal((classes, hidden))
        teacher = (W, V)
    W, V = teacher
    X = rng.standard_normal((n, d))
    Y = np.argmax(np.tanh(X @ W.T) @ V.T, axis=1)
    flip = rng.uniform(size=n) < label_noise
    Y[flip] = rng.integers(0, classes, int(flip.sum()))
    return Dataset(X, Y.astype(np.int64)), teacher
