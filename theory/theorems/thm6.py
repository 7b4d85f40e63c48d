"""Theorem 6 (v2): fixed-step GD with h = 1/(2(M L1 + L0)) needs O((M L1 + L0) Delta/eps^2).

Statement (v2 numbering; v1 numbering unverified): under Assumptions 1-4 (Assumption 3 on
S), GD with the printed step ``h = 1/(2(M L1 + L0))`` reaches ``||grad f|| <= eps`` within
``T_eps <= 4 (M L1 + L0) Delta/eps^2`` iterations (constant recalled). The lab's
derivation (:func:`theory.derivations.theorem6_constant`) gives the constant 8/3, which
implies the recalled 4. Zhang, He, Sra, Jadbabaie, arXiv 1905.11881.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from ._base import Bound, CertificateLike, Hypothesis, Theorem, check_inputs
from ._symbols import DELTA, EPS, L0, L1, M

__all__ = ["GDTheorem", "THEOREM_6"]

_S = "S = {x : exists y, f(y) <= f(x0), ||x - y|| <= 1}"


@dataclass(frozen=True)
class GDTheorem(Theorem):
    """Theorem 6 of v2: the upper bound of fixed-step GD (see the module docstring)."""

    expr: sp.Expr = 4 * (M * L1 + L0) * DELTA / EPS**2

    def parameters(self, L0: float, L1: float, M: float) -> dict[str, float]:  # noqa: N803
        """The printed step ``h = 1/(2(M L1 + L0))`` (inf when ``M L1 + L0 = 0``)."""
        l0, l1, m = check_inputs(L0=L0, L1=L1, M=M)
        lloc = m * l1 + l0 if l1 > 0 else l0
        return {"h": math.inf if lloc == 0 else 1.0 / (2.0 * lloc)}

    def params_expr(self) -> dict[str, sp.Expr]:
        """The parameters as sympy expressions."""
        return {"h": 1 / (2 * (M * L1 + L0))}

    @staticmethod
    def value(L0: float, L1: float, M: float, Delta: float, eps: float) -> float:  # noqa: N803
        """``4 (M L1 + L0) Delta/eps^2``; inf when M is inf (Assumption 4 fails) or L0 is inf."""
        if not math.isfinite(M):
            return math.inf
        lloc = M * L1 + L0 if L1 > 0 else L0
        return 4.0 * lloc * Delta / eps**2

    def at(self, L0: float, L1: float, M: float, Delta: float, eps: float) -> Bound:  # noqa: N803
        """Evaluate Theorem 6 at plain numbers (``pair_choice = "given"``)."""
        return self._make(*check_inputs(L0=L0, L1=L1, M=M, Delta=Delta, eps=eps), "given")

    def _bound(self, cert: CertificateLike, e: float, pair: dict, noise: tuple) -> Bound:
        """Theorem 6 for a certificate: by default at the pair minimizing ``M L1 + L0*(L1)``."""
        d, m = float(cert.delta), float(cert.M)
        l0, l1, choice = self._choose(cert, lambda a, b: self.value(a, b, m, d, e), pair)
        return self._make(l0, l1, m, d, e, choice)

    def _make(self, l0: float, l1: float, m: float, d: float, e: float, choice: str) -> Bound:
        notes: list[str] = []
        if not math.isfinite(m):
            notes.append(
                "M is infinite (Assumption 4 fails): Theorem 6 gives no finite bound (with "
                "L1 = 0 the classical L-smooth GD analysis still applies, but it is not Theorem 6)"
            )
        value = self.value(l0, l1, m, d, e)
        return self._upper_bound(
            value=value,
            params=self.parameters(l0, l1, m) if math.isfinite(l0) else {"h": math.nan},
            L0=l0,
            L1=l1,
            choice=choice,
            inputs={"Delta": d, "eps": e, "M": m},
            extras={"lab_constant_8_over_3": value * 2.0 / 3.0},
            notes=notes,
        )


THEOREM_6 = GDTheorem(
    key="thm6_gd",
    number="Theorem 6",
    title="Fixed-step GD: upper bound, tight up to log M",
    kind="upper",
    statement_text=(
        "Under Assumptions 1-4 (Assumption 3 on S), GD with h = 1/(2(M L1 + L0)) reaches "
        "||grad f(x_k)|| <= eps within T_eps <= 4 (M L1 + L0) Delta/eps^2 iterations."
    ),
    statement_latex=(
        r"Under Assumptions 1--4 (Assumption 3 on $S$), GD with "
        r"$h = \frac{1}{2(M L_1 + L_0)}$ reaches $\|\nabla f(x_k)\| \le \varepsilon$ within "
        r"$$T_\varepsilon \le \frac{4 (M L_1 + L_0) \Delta}{\varepsilon^2}$$ iterations."
    ),
    hypotheses=(
        Hypothesis("Assumption 1", "f >= f* > -inf", "R^d"),
        Hypothesis("Assumption 2", "f twice differentiable", "R^d"),
        Hypothesis("Assumption 3", "(L0, L1)-smooth", _S),
        Hypothesis("Assumption 4", "M = sup{||grad f(x)|| : f(x) <= f(x0)} < inf", "{f <= f(x0)}"),
    ),
    provenance={"statement": "printed", "parameters": "printed", "bound": "recalled"},
    method="gd",
)
