"""figures.demo: GD (Theorem 6) and clipped GD (Theorem 3) on x^8/8 + x^2/2 (v2)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from figures import demo

from ._plain import bound, count, step_rule


@pytest.fixture(scope="module")
def rows():
    cfg = demo.grid(True)[0]  # x0 = 1, eps = 1e-2
    return demo.compute(cfg, 0)


def test_certified_constants_are_the_closed_forms(rows):
    # f = x^8/8 + x^2/2 from x0 = 1: f* = 0, Delta = 5/8, M = sup |f'| on [-1, 1] = 2
    for r in rows:
        assert r["delta"] == pytest.approx(0.625, rel=1e-12)
        assert r["M"] == pytest.approx(2.0, rel=1e-9)


def test_pairs_are_on_the_frontier_on_s(rows):
    # S = {f <= f(x0)} enlarged by 1 = [-2, 2]: f'' <= L0 + L1 |f'| at dense points
    x = np.linspace(-2.0, 2.0, 20001)
    for r in rows:
        assert np.all(7 * x**6 + 1 <= r["L0"] + r["L1"] * np.abs(x**7 + x) + 1e-9)


def test_counts_and_bounds_match_plain_python(rows):
    assert {r["method"] for r in rows} == {"gd", "clipped_gd"}
    for r in rows:
        k = count(lambda x: x**7 + x, r["x0"], r["eps"], step_rule(r), cap=10**6)
        assert k is not None and abs(r["iterations"] - k) <= 1
        assert math.isclose(r["bound"], bound(r), rel_tol=1e-12)
        assert r["outcome"] == "ok" and r["iterations"] <= r["bound"]
    assert demo.verdict(rows).verdict == "holds"
