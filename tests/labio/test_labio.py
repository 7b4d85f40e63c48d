"""labio: atomic writes and the one JSON convention for non-finite numbers."""

from __future__ import annotations

import json
import math
import os

import numpy as np
import pytest

from labio.atomic import atomic_write_bytes, atomic_write_text
from labio.jsonable import json_number, jsonable


def test_atomic_write_replaces_and_leaves_no_temporary(tmp_path):
    p = tmp_path / "sub" / "out.txt"
    atomic_write_text(p, "old")
    atomic_write_text(p, "new é")
    assert p.read_text(encoding="utf-8") == "new é"
    assert os.listdir(p.parent) == ["out.txt"]


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    p = tmp_path / "out.bin"
    atomic_write_bytes(p, b"old")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_bytes(p, b"new")
    assert p.read_bytes() == b"old" and os.listdir(tmp_path) == ["out.bin"]


@pytest.mark.parametrize(
    ("x", "expected"),
    [(math.inf, "inf"), (-math.inf, "-inf"), (np.float64(np.inf), "inf"), (1.5, 1.5), (3, 3)],
)
def test_json_number(x, expected):
    assert json_number(x) == expected


def test_nan_is_null_and_the_result_is_strict_json():
    obj = {"a": [math.nan, np.float32(2.0), np.int64(3)], "b": np.array([np.inf]), 4: np.bool_(1)}
    out = jsonable(obj)
    assert out == {"a": [None, 2.0, 3], "b": ["inf"], "4": True}
    json.dumps(out, allow_nan=False)
