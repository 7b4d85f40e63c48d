"""Real data that ships with the Python installation: no download anywhere.

Closer analogs of the data of Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 v2 (Figs 1-5):

- :func:`stdlib_docstrings`: English text, the docstrings of a fixed list of standard-library
  modules and of their public classes and functions, collected at run time (the analog of
  Penn Treebank for the character-level LSTM language model); :func:`char_sequences` cuts
  it into windows of encoded characters;
- :func:`digits`: the 8x8 handwritten digits (1797 images, 10 classes) that scikit-learn
  ships inside its package (the analog of CIFAR-10 for the residual network).

Both are deterministic for a given installation: the docstrings depend on the Python
version (the text's length and SHA-256 are returned so that a report can name them), the
digits file is fixed.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import importlib
import importlib.util
import inspect
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .data import Dataset

__all__ = [
    "ALPHABET",
    "DOC_MODULES",
    "Corpus",
    "char_sequences",
    "digits",
    "encode",
    "stdlib_docstrings",
]

#: Standard-library modules whose docstrings make the corpus, in this order. Pure-Python,
#: prose-rich modules present in every CPython 3.11 build.
DOC_MODULES: tuple[str, ...] = (
    "argparse", "calendar", "collections", "csv", "dataclasses", "decimal", "difflib",
    "email.message", "fractions", "functools", "inspect", "json", "logging", "pathlib",
    "pickle", "random", "shutil", "statistics", "string", "subprocess", "tarfile",
    "textwrap", "threading", "typing", "unittest.case", "urllib.parse", "zipfile",
)  # fmt: skip

#: The 40 symbols the language model sees (after lower-casing): space (newlines and tabs
#: too), letters, ``0`` for every digit, common punctuation; everything else is mapped to
#: the last symbol, ``~`` (unknown).
ALPHABET = " abcdefghijklmnopqrstuvwxyz0.,:;()'\"-_=~"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}


@dataclass(frozen=True)
class Corpus:
    """A text and what identifies it: characters, SHA-256 of its UTF-8 bytes, source modules."""

    text: str
    sha256: str
    modules: tuple[str, ...]

    @property
    def chars(self) -> int:
        """Length in characters."""
        return len(self.text)


def _public_docs(mod) -> list[str]:
    docs = [inspect.getdoc(mod) or ""]
    for name in sorted(vars(mod)):
        if name.startswith("_"):
            continue
        obj = vars(mod)[name]
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        if getattr(obj, "__module__", None) != mod.__name__:
            continue  # re-exported from elsewhere: counted once, where it is defined
        docs.append(inspect.getdoc(obj) or "")
    return [d for d in docs if d]


@functools.lru_cache(maxsize=4)
def stdlib_docstrings(modules: tuple[str, ...] = DOC_MODULES) -> Corpus:
    """The docstrings of ``modules`` (and of their public classes and functions), joined.

    Order: the modules in the given order; inside a module its own docstring, then its
    public classes and functions sorted by name (only those defined in the module).
    Documents are separated by a blank line.

    Raises
    ------
    ValueError
        When a module cannot be imported, or when the text is shorter than 10,000
        characters (Python run with ``-OO`` strips docstrings).
    """
    parts = []
    for name in modules:
        try:
            mod = importlib.import_module(name)
        except ImportError as e:
            raise ValueError(f"corpus module {name!r} cannot be imported: {e}") from None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # typing.io, typing.re
            parts += _public_docs(mod)
    text = "\n\n".join(parts)
    if len(text) < 10_000:
        raise ValueError(
            f"the docstring corpus has only {len(text)} characters (is Python running with -OO?)"
        )
    return Corpus(text, hashlib.sha256(text.encode("utf-8")).hexdigest(), tuple(modules))


def encode(text: str) -> np.ndarray:
    """Lower-case ``text`` and map it to indices of :data:`ALPHABET` (int64 array)."""
    unk, sp, zero = len(ALPHABET) - 1, _INDEX[" "], _INDEX["0"]
    out = [
        sp if c in "\n\t\r" else zero if c in "0123456789" else _INDEX.get(c, unk)
        for c in text.lower()
    ]
    return np.asarray(out, dtype=np.int64)


def char_sequences(ids: np.ndarray, length: int) -> Dataset:
    """Non-overlapping windows: inputs ``ids[s : s + length]``, targets shifted by one.

    ``X`` and ``Y`` are ``(n, length)`` integer arrays (window ``i`` starts at
    ``i · length``); a short tail is dropped.
    """
    ids = np.asarray(ids, dtype=np.int64).reshape(-1)
    if isinstance(length, bool) or int(length) != length or length < 1:
        raise ValueError(f"length must be an integer >= 1, got {length!r}")
    n = (ids.size - 1) // length
    if n < 1:
        raise ValueError(f"{ids.size} characters make no window of length {length} + 1")
    idx = np.arange(n)[:, None] * length + np.arange(length)[None, :]
    return Dataset(ids[idx], ids[idx + 1])


def _digits_file() -> Path | None:
    spec = importlib.util.find_spec("sklearn")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "datasets" / "data" / "digits.csv.gz"
    return path if path.exists() else None


@functools.lru_cache(maxsize=1)
def _digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    path = _digits_file()
    if path is not None:  # read the shipped file directly: importing sklearn costs ~2 s
        with gzip.open(path, "rt") as fh:
            a = np.loadtxt(fh, delimiter=",")
        return a[:, :-1], a[:, -1].astype(np.int64)
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ValueError("the digits images need scikit-learn (pip install scikit-learn)") from None
    d = load_digits()
    return np.asarray(d.data, dtype=np.float64), np.asarray(d.target, dtype=np.int64)


def digits(test_fraction: float = 0.2) -> tuple[Dataset, Dataset]:
    """scikit-learn's 8x8 digits, pixels scaled to [0, 1], split into train and test.

    The split is a fixed permutation (``numpy.random.default_rng(0)``), so every seed of
    an experiment sees the same images; 1797 images in all (1438 train, 359 test at the
    default fraction).
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    X, y = _digits_arrays()
    perm = np.random.default_rng(0).permutation(len(y))
    X, y = X[perm] / 16.0, y[perm]
    m = int(round(test_fraction * len(y)))
    return Dataset(X[m:], y[m:]), Dataset(X[:m], y[:m])
