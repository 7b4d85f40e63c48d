"""Remark 5 (v2): clipped GD can be arbitrarily faster than fixed-step GD.

Fixed-step GD needs ``Omega((L1 M/log M + L0) Delta/eps^2)`` (Theorem 4) while clipped GD
needs ``O(L0 Delta/eps^2 + L1^2 Delta/L0)`` (Theorem 3): the ratio is about
``L1 M/(L0 log M)`` (printed order), unbounded in M. With the recalled constants the lab
finds the small-eps limit ``L1 M/(160 L0 (log M + 1))``
(:func:`theory.derivations.remark5_ratio`). Zhang et al., arXiv 1905.11881.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from ._base import CertificateLike, Hypothesis, Theorem, check_eps
from ._symbols import L0, L1, M
from .lower_bound import THEOREM_4
from .thm3 import THEOREM_3

__all__ = ["Remark5", "REMARK_5", "Ratio"]


@dataclass(frozen=True)
class Ratio:
    """Theorem 4's lower bound over Theorem 3's upper bound, at one class."""

    value: float
    order: float
    limit: float
    L0: float
    L1: float
    M: float
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Remark5(Theorem):
    """Remark 5 of v2 (see the module docstring)."""

    order_expr: sp.Expr = L1 * M / (L0 * sp.log(M))
    limit_expr: sp.Expr = L1 * M / (160 * L0 * (sp.log(M) + 1))

    def ratio(self, L0: float, L1: float, M: float, Delta: float, eps: float) -> Ratio:  # noqa: N803
        """Lower/upper at the class (Theorem 4's class conditions are validated)."""
        lo = THEOREM_4.at(L0, L1, M, Delta, eps)
        up = THEOREM_3.at(L0, L1, Delta, eps)
        return self._ratio(lo.value, up.value, L0, L1, M, ())

    def ratio_for(self, cert: CertificateLike, eps: float) -> Ratio:
        """Lower/upper for the class with this instance's constants (Theorem 3's pair)."""
        e = check_eps(eps)
        lo = THEOREM_4.bound(cert, e)
        up = THEOREM_3.at(lo.L0, lo.L1, float(cert.delta), e)
        return self._ratio(lo.value, up.value, lo.L0, lo.L1, lo.inputs["M"], lo.notes)

    @staticmethod
    def _ratio(lo: float, up: float, l0: float, l1: float, m: float, notes: tuple) -> Ratio:
        value = lo / up if up > 0 and math.isfinite(up) else math.nan
        if not math.isfinite(m):
            order = limit = math.inf
        else:
            order = l1 * m / (l0 * math.log(m)) if m > 1 else math.inf
            limit = l1 * m / (160.0 * l0 * (math.log(m) + 1.0))
        return Ratio(value, order, limit, l0, l1, m, tuple(notes))


REMARK_5 = Remark5(
    key="remark5",
    number="Remark 5",
    title="Clipped GD versus fixed-step GD",
    kind="ratio",
    statement_text=(
        "Fixed-step GD needs Omega((L1 M/log M + L0) Delta eps^-2) iterations, clipped GD "
        "O(L0 Delta eps^-2 + L1^2 Delta/L0): the ratio is about L1 M/(L0 log M), so clipping "
        "is arbitrarily faster when M is large (poor initialization)."
    ),
    statement_latex=(
        r"Fixed-step GD needs $\Omega\big((\frac{L_1 M}{\log M} + L_0)\Delta\varepsilon^{-2}"
        r"\big)$ iterations, clipped GD $O(L_0 \Delta \varepsilon^{-2} + L_1^2 \Delta / L_0)$: "
        r"the ratio is about $\frac{L_1 M}{L_0 \log M}$, unbounded in $M$."
    ),
    hypotheses=(Hypothesis("Theorems 3 and 4", "both apply to the class", "S"),),
    provenance={"statement": "printed", "ratio limit": "lab"},
)
