"""Step-size rules h_k = rule(||g_k||, s) of the paper (Eq. 4-6, arXiv 1905.11881 v2).

Every rule maps the gradient norm ``gn = ||g_k||`` and a parameter vector ``s``
to the scalar step ``h_k`` of the update ``x_{k+1} = x_k - h_k g_k``:

========================  ====================  ==========================================
name                      parameters ``s``      h_k
========================  ====================  ==========================================
``gd``                    (h,)                  h
``clipped_gd``            (eta, gamma)          min(eta, gamma*eta/gn); eta when gn == 0
``clipped_gd_torch``      (eta, c)              eta * min(1, c/(gn + 1e-6))
``clipped_gd_optax``      (eta, c)              eta if gn < c else eta*c/gn (NaN at 0, 0)
``normalized_gd``         (eta, beta)           eta/(gn + beta)
========================  ====================  ==========================================

``clipped_gd`` is the paper's formula (clip the norm at gamma, then step eta), with
an exact branch at gn == 0. The torch and optax variants reproduce the semantics
of ``torch.nn.utils.clip_grad_norm_`` (factor min(1, c/(||g|| + 1e-6)), always
applied) and ``optax.clip_by_global_norm`` (pass-through below c, else rescale,
which is 0/0 = NaN when c = gn = 0). The rules are numba functions; they are
callable from Python too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from numba import njit

__all__ = ["RULES", "StepRule", "rule"]

_JIT = dict(cache=True, error_model="numpy")


@njit(**_JIT)
def gd(gn, s):
    return s[0]


@njit(**_JIT)
def clipped_gd(gn, s):
    eta, gamma = s[0], s[1]
    if gn == 0.0:
        return eta
    h = gamma * eta / gn
    return eta if h >= eta else h  # min(eta, h) that propagates a NaN norm


@njit(**_JIT)
def clipped_gd_torch(gn, s):
    coef = s[1] / (gn + 1e-6)
    if coef > 1.0:  # torch.clamp(coef, max=1): a NaN stays NaN
        coef = 1.0
    return s[0] * coef


@njit(**_JIT)
def clipped_gd_optax(gn, s):
    if gn < s[1]:
        return s[0]
    return s[0] * (s[1] / gn)


@njit(**_JIT)
def normalized_gd(gn, s):
    return s[0] / (gn + s[1])


@dataclass(frozen=True)
class StepRule:
    """A named step rule: its compiled function and its parameter names."""

    name: str
    func: object
    params: tuple[str, ...]
    description: str

    def validate(self, values: dict[str, float]) -> tuple[float, ...]:
        """Return the parameters in order, or raise ValueError naming what is wrong."""
        missing = [p for p in self.params if values.get(p) is None]
        if missing:
            raise ValueError(f"{self.name} needs --{' --'.join(missing)}")
        out = []
        for p in self.params:
            try:
                v = float(values[p])
            except (TypeError, ValueError):
                raise ValueError(f"{p} must be a number, got {values[p]!r}") from None
            if p == "beta":
                if not (math.isfinite(v) and v >= 0):
                    raise ValueError(f"beta must be finite and >= 0, got {values[p]!r}")
            elif not (math.isfinite(v) and v > 0):
                raise ValueError(f"{p} must be finite and > 0, got {values[p]!r}")
            out.append(v)
        return tuple(out)


RULES: dict[str, StepRule] = {
    "gd": StepRule("gd", gd, ("h",), "gradient descent, fixed step h (Eq. 4)"),
    "clipped_gd": StepRule(
        "clipped_gd",
        clipped_gd,
        ("eta", "gamma"),
        "clipped GD, h = min(eta, gamma*eta/||g||) (Eq. 5)",
    ),
    "normalized_gd": StepRule(
        "normalized_gd",
        normalized_gd,
        ("eta", "beta"),
        "normalized GD, h = eta/(||g|| + beta) (Eq. 6)",
    ),
    "clipped_gd_torch": StepRule(
        "clipped_gd_torch",
        clipped_gd_torch,
        ("eta", "gamma"),
        "PyTorch clip_grad_norm_ semantics: h = eta*min(1, gamma/(||g|| + 1e-6))",
    ),
    "clipped_gd_optax": StepRule(
        "clipped_gd_optax",
        clipped_gd_optax,
        ("eta", "gamma"),
        "optax clip_by_global_norm semantics: h = eta if ||g|| < gamma else eta*gamma/||g||",
    ),
}


def rule(name: str) -> StepRule:
    """Look up a step rule by name, with a one-line error listing the allowed names."""
    try:
        return RULES[name]
    except KeyError:
        raise ValueError(f"unknown method {name!r}; allowed: {', '.join(RULES)}") from None
