"""Lemma 2 (v2): (L0, L1)-smoothness is strictly weaker than L-smoothness.

Every univariate polynomial of degree >= 3 is (L0, L1)-smooth for some L0, L1 but not
L-smooth (printed). Examples (docs/paper.md): ``e^x`` is (0, 1)-smooth (f'' = f'); ``e^{x^2}``
and ``e^{e^x}`` are not (L0, L1)-smooth for any constants (f''/f' unbounded).
Zhang et al., arXiv 1905.11881.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ._base import Hypothesis, Theorem

__all__ = ["Lemma2", "LEMMA_2"]

_X = sp.Symbol("x", real=True)


@dataclass(frozen=True)
class Lemma2(Theorem):
    """Lemma 2 of v2 (see the module docstring)."""

    def ratio_unbounded(self, expr: sp.Expr, x: sp.Symbol = _X) -> bool:
        """Whether ``|f''|/(1 + |f'|)`` is unbounded as ``|x| -> oo`` (sympy limits).

        For a univariate polynomial of degree >= 3 this is False (Lemma 2) while ``f''`` is
        unbounded (not L-smooth); for ``e^{x^2}`` it is True.
        """
        d1, d2 = sp.diff(expr, x), sp.diff(expr, x, 2)
        for end in (sp.oo, -sp.oo):
            lim = sp.limit(sp.Abs(d2) / (1 + sp.Abs(d1)), x, end)
            if lim in (sp.oo, -sp.oo, sp.zoo) or lim.has(sp.oo):
                return True
        return False

    def parameters(self) -> dict[str, float]:
        """A lemma prescribes no step."""
        return {}


LEMMA_2 = Lemma2(
    key="lemma2",
    number="Lemma 2",
    title="(L0, L1)-smoothness is strictly weaker than L-smoothness",
    kind="class",
    statement_text=(
        "Every univariate polynomial of degree >= 3 is (L0, L1)-smooth for some L0, L1 but "
        "not L-smooth. e^x is (0, 1)-smooth; e^{x^2} and e^{e^x} are not (L0, L1)-smooth."
    ),
    statement_latex=(
        r"Every univariate polynomial of degree $\ge 3$ is $(L_0, L_1)$-smooth for some "
        r"$L_0, L_1$ but not $L$-smooth. $e^x$ is $(0, 1)$-smooth; $e^{x^2}$ and $e^{e^x}$ "
        r"are not $(L_0, L_1)$-smooth for any constants."
    ),
    hypotheses=(Hypothesis("Definition 1", "||hess f|| <= L0 + L1 ||grad f||", "R"),),
    provenance={"statement": "printed"},
)
