"""Step rules: the paper's formulas, the NGD sandwich and parity with PyTorch/optax semantics."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from synthetic.steprules import RULES, clipped_gd, clipped_gd_optax, clipped_gd_torch, rule


def torch_factor(gn: float, c: float) -> float:
    """torch.nn.utils.clip_grad_norm_: g *= clamp(c / (||g|| + 1e-6), max=1)."""
    coef = c / (gn + 1e-6)
    return min(coef, 1.0) if not math.isnan(coef) else coef


def optax_factor(gn: float, c: float) -> float:
    """optax.clip_by_global_norm: g if ||g|| < c else g / ||g|| * c (NaN at 0/0)."""
    if gn < c:
        return 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(c) / np.float64(gn))


EDGE_C = 2.0
EDGE_NORMS = [0.0, EDGE_C, EDGE_C + 1e-7, EDGE_C - 1e-7, math.inf, math.nan]


@pytest.mark.parametrize("gn", EDGE_NORMS)
def test_torch_parity(gn):
    eta = 0.3
    got = clipped_gd_torch(gn, np.array([eta, EDGE_C]))
    want = eta * torch_factor(gn, EDGE_C)
    assert got == want or (math.isnan(got) and math.isnan(want))


@pytest.mark.parametrize("gn", EDGE_NORMS)
def test_optax_parity(gn):
    eta = 0.3
    got = clipped_gd_optax(gn, np.array([eta, EDGE_C]))
    want = eta * optax_factor(gn, EDGE_C)
    assert got == want or (math.isnan(got) and math.isnan(want))


def test_optax_zero_threshold_zero_gradient_is_nan():
    assert math.isnan(clipped_gd_optax(0.0, np.array([1.0, 0.0])))


def test_paper_clipping_has_an_exact_zero_branch():
    assert clipped_gd(0.0, np.array([0.25, 3.0])) == 0.25
    assert clipped_gd(6.0, np.array([0.25, 3.0])) == 0.125  # gamma*eta/||g|| = 3*0.25/6
    assert clipped_gd(1.0, np.array([0.25, 3.0])) == 0.25


def test_paper_clipping_nonfinite_gradient():
    assert clipped_gd(math.inf, np.array([0.25, 3.0])) == 0.0
    assert math.isnan(clipped_gd(math.nan, np.array([0.25, 3.0])))


@given(
    st.floats(min_value=1e-6, max_value=1e3),
    st.floats(min_value=1e-3, max_value=1e3),
    st.floats(min_value=0.0, max_value=1e6),
)
def test_ngd_sandwich(eta_n, beta, gn):
    """With gamma*eta_c = eta_n and eta_c = eta_n/beta: h_n <= h_c <= 2 h_n (docs/paper.md)."""
    eta_c, gamma = eta_n / beta, beta
    h_c = RULES["clipped_gd"].func(gn, np.array([eta_c, gamma]))
    h_n = RULES["normalized_gd"].func(gn, np.array([eta_n, beta]))
    assert h_n <= h_c * (1 + 1e-12)
    assert h_c <= 2 * h_n * (1 + 1e-12)
    assert 0.5 * h_c <= h_n <= 2 * h_c


def test_unknown_rule_and_bad_parameters():
    with pytest.raises(ValueError, match="unknown method"):
        rule("adam")
    with pytest.raises(ValueError, match="h must be finite and > 0"):
        rule("gd").validate({"h": -1.0})
    with pytest.raises(ValueError, match="eta must be finite"):
        rule("clipped_gd").validate({"eta": math.inf, "gamma": 1.0})
    with pytest.raises(ValueError, match="needs --gamma"):
        rule("clipped_gd").validate({"eta": 1.0})
    assert rule("normalized_gd").validate({"eta": 1.0, "beta": 0.0}) == (1.0, 0.0)
