"""figures.upper_bounds on one cosh instance: runs and bounds against plain Python (v2)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from figures import upper_bounds as ub
from figures.framework import config_seed

from ._plain import bound, count, step_rule


@pytest.fixture(scope="module")
def rows():
    cfg = next(c for c in ub.grid(True) if c["family"] == "cosh")
    return ub.compute(cfg, config_seed(0, cfg))


def test_three_methods_against_plain_python(rows):
    paper = [r for r in rows if r["method"] in ("clipped_gd", "gd", "normalized_gd")]
    assert [r["method"] for r in paper] == ["clipped_gd", "gd", "normalized_gd"]
    for r in paper:
        a = r["a"]
        (x0,) = json.loads(r["x0"])
        k = count(lambda x, a=a: a * math.sinh(a * x), x0, r["eps"], step_rule(r), cap=10**6)
        assert k is not None and abs(r["iterations"] - k) <= 1
        assert math.isclose(r["bound"], bound(r), rel_tol=1e-12)
        assert r["outcome"] == ("ok" if r["iterations"] <= r["bound"] else "violation")


def test_constants_of_cosh(rows):
    r = rows[0]
    a = r["a"]
    (x0,) = json.loads(r["x0"])
    # f* = 1 at 0: Delta = cosh(a x0) - 1; M = a sinh(a |x0|) (f even, increasing in |x|);
    # a rigorous certificate encloses them from above
    delta, m = math.cosh(a * x0) - 1.0, a * math.sinh(a * abs(x0))
    assert r["cert_method"] in ("exact", "rigorous")
    assert delta * (1 - 1e-12) <= r["delta"] <= delta * (1 + 1e-6)
    assert m * (1 - 1e-12) <= r["M"] <= m * (1 + 1e-6)
    # each pair is (L0, L1)-smooth on S = [-|x0| - 1, |x0| + 1] (dense sampling)
    x = np.linspace(-abs(x0) - 1.0, abs(x0) + 1.0, 20001)
    for r in rows:
        lhs = a * a * np.cosh(a * x)
        assert np.all(lhs <= r["L0"] + r["L1"] * np.abs(a * np.sinh(a * x)) + 1e-9)


def test_verdict_counts_a_run_above_its_bound():
    ok = {"family": "f", "rep": 0, "outcome": "ok", "ratio": 0.5}
    bad = {**ok, "rep": 1, "outcome": "violation", "ratio": 2.0}
    cen = {**ok, "rep": 2, "outcome": "censored", "ratio": None}
    v = ub.verdict([ok, bad, cen])
    assert v.verdict == "violated" and v.instances == 2 and v.violations == 1
    assert ub.verdict([ok, cen]).verdict == "holds"
