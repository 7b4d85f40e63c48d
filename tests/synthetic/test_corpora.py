"""Real data shipped with Python and scikit-learn: the docstring corpus and the digits."""

from __future__ import annotations

import numpy as np
import pytest

from synthetic.nets import corpora


def test_docstring_corpus_is_deterministic_and_real_text():
    c = corpora.stdlib_docstrings()
    assert c.chars > 100_000  # ~167k characters on CPython 3.11
    assert c == corpora.stdlib_docstrings(corpora.DOC_MODULES)
    import json

    assert json.__doc__.strip().splitlines()[0] in c.text
    words = c.text.lower().split()
    assert words.count("the") > 0.02 * len(words)  # English prose
    with pytest.raises(ValueError, match="cannot be imported"):
        corpora.stdlib_docstrings(("no_such_module_xyz",))


def test_encode_and_windows():
    ids = corpora.encode("Ab 9\nz~\u00e9")
    a = corpora.ALPHABET
    assert ids.tolist() == [a.index(ch) for ch in "ab 0 z~~"]
    assert len(a) == 40 and len(set(a)) == 40
    d = corpora.char_sequences(np.arange(11), 3)
    assert d.X.tolist() == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert d.Y.tolist() == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    with pytest.raises(ValueError):
        corpora.char_sequences(np.arange(3), 3)
    with pytest.raises(ValueError):
        corpora.char_sequences(np.arange(30), 0)


def test_digits():
    tr, te = corpora.digits()
    assert len(tr) + len(te) == 1797 and len(te) == 359
    assert tr.X.shape[1] == 64 and 0.0 <= tr.X.min() and tr.X.max() <= 1.0
    assert set(np.unique(tr.Y)) == set(range(10))
    tr2, _ = corpora.digits()
    assert np.array_equal(tr.X, tr2.X)
    with pytest.raises(ValueError):
        corpora.digits(1.0)
