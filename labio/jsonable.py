"""JSON numbers, one convention for the whole lab: ``"inf"`` / ``"-inf"`` and ``None`` for NaN.

Strict JSON has no infinities or NaN. The lab writes an infinite number (an infinite
bound, ``M = inf`` when Assumption 4 fails) as the string ``"inf"`` or ``"-inf"``, and a
NaN (no value) as ``null``; everything else is a plain JSON number. Imports nothing of
the lab, so every package can use it (docs/design.md).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["json_number", "jsonable"]


def json_number(x: Any) -> Any:
    """``x`` with a non-finite float replaced: ``"inf"``, ``"-inf"`` or ``None`` (NaN)."""
    if isinstance(x, (float, np.floating)) and not math.isfinite(x):
        return None if math.isnan(x) else ("inf" if x > 0 else "-inf")
    return x


def jsonable(obj: Any) -> Any:
    """``obj`` as plain JSON values (dicts, lists, numpy scalars and arrays converted)."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        return json_number(float(obj))
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    return obj
