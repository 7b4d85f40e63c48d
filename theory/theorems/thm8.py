"""Theorem 8 (v2): SGD with a fixed step, whose rate depends on M.

Statement (v2 numbering; v1 numbering unverified): under the assumptions of Theorem 7,
SGD with the printed step ``h = min{1/sqrt(T), 1/(L1 (M + tau))}`` finds an
eps-stationary point in ``max{Delta'^2/eps^4, L1 (M + tau) Delta'/eps^2}`` iterations up to
constants (recalled form; the printed display is not available). The value returned uses
unit constants and Theorem 7's effective gap ``Delta'`` (which gap the display uses is not
available). No SGD lower bound exists in the paper (printed).
Zhang, He, Sra, Jadbabaie, arXiv 1905.11881.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import sympy as sp

from ._base import Bound, CertificateLike, Hypothesis, Theorem, check_inputs
from ._stochastic import DELTA_EFF_EXPR, effective_gap
from ._symbols import DELTA_EFF, EPS, L1, TAU, M, T

__all__ = ["SGDTheorem", "THEOREM_8"]


@dataclass(frozen=True)
class SGDTheorem(Theorem):
    """Theorem 8 of v2 (see the module docstring)."""

    noisy: ClassVar[bool] = True

    expr: sp.Expr = sp.Max(DELTA_EFF**2 / EPS**4, L1 * (M + TAU) * DELTA_EFF / EPS**2)
    delta_eff_expr: sp.Expr = DELTA_EFF_EXPR

    def parameters(self, L1: float, M: float, tau: float, T: float) -> dict[str, float]:  # noqa: N803
        """The printed step ``h = min{1/sqrt(T), 1/(L1 (M + tau))}``."""
        l1, m, t, n = check_inputs(("T",), L1=L1, M=M, tau=tau, T=T)
        lm = l1 * (m + t) if l1 > 0 else 0.0
        return {"h": min(n**-0.5, math.inf if lm == 0 else 1.0 / lm)}

    def params_expr(self) -> dict[str, sp.Expr]:
        """The step as a sympy expression."""
        return {"h": sp.Min(1 / sp.sqrt(T), 1 / (L1 * (M + TAU)))}

    @staticmethod
    def value(
        L0: float,
        L1: float,
        M: float,
        tau: float,
        Delta: float,
        eps: float,  # noqa: N803
    ) -> float:
        """``max{Delta'^2/eps^4, L1 (M + tau) Delta'/eps^2}`` with unit constants."""
        if L1 <= 0 or not math.isfinite(M):
            return math.inf
        de = effective_gap(L0, L1, tau, Delta)
        return max(de**2 / eps**4, L1 * (M + tau) * de / eps**2)

    def at(
        self,
        L0: float,
        L1: float,
        M: float,
        tau: float,
        T: float,
        Delta: float,
        eps: float,  # noqa: N803
    ) -> Bound:
        """Evaluate at plain numbers (``pair_choice = "given"``)."""
        values = check_inputs(("L1", "T"), L0=L0, L1=L1, M=M, tau=tau, T=T, Delta=Delta, eps=eps)
        return self._make(*values, "given")

    def _bound(self, cert: CertificateLike, e: float, pair: dict, noise: tuple) -> Bound:
        """For a certificate: by default the certified pair (L1 > 0) minimizing the value."""
        t, n = noise
        d, m = float(cert.delta), float(cert.M)
        value = lambda a, b: self.value(a, b, m, t, d, e)  # noqa: E731
        l0, l1, choice = self._choose(cert, value, pair, allow_zero_L1=False)
        return self._make(l0, l1, m, t, n, d, e, choice)

    def _make(
        self, l0: float, l1: float, m: float, t: float, n: float, d: float, e: float, choice: str
    ) -> Bound:
        notes = [
            "printed bound display not available: recalled form with unit constants",
            "Delta' taken as Theorem 7's effective gap (the gap in Theorem 8's display is "
            "not available)",
        ]
        if not math.isfinite(m):
            notes.append("M is infinite (Assumption 4 fails): no finite bound")
        return self._upper_bound(
            value=self.value(l0, l1, m, t, d, e),
            params=self.parameters(l1, m, t, n) if math.isfinite(m) else {"h": math.nan},
            L0=l0,
            L1=l1,
            choice=choice,
            inputs={"Delta": d, "eps": e, "M": m, "tau": t, "T": n},
            extras={"Delta_eff": effective_gap(l0, l1, t, d)},
            notes=notes,
            chosen_for="value",
        )


THEOREM_8 = SGDTheorem(
    key="thm8_sgd",
    number="Theorem 8",
    title="SGD with a fixed step: the rate depends on M",
    kind="upper",
    statement_text=(
        "Under the assumptions of Theorem 7 and Assumption 4, SGD with "
        "h = min{1/sqrt(T), 1/(L1 (M + tau))} finds an eps-stationary point in "
        "max{Delta'^2/eps^4, L1 (M + tau) Delta'/eps^2} iterations up to constants."
    ),
    statement_latex=(
        r"Under the assumptions of Theorem 7 and Assumption 4, SGD with "
        r"$h = \min\{\frac{1}{\sqrt{T}}, \frac{1}{L_1 (M + \tau)}\}$ finds an "
        r"$\varepsilon$-stationary point in "
        r"$$O\Big(\max\Big\{\frac{\Delta'^2}{\varepsilon^4}, "
        r"\frac{L_1 (M + \tau) \Delta'}{\varepsilon^2}\Big\}\Big)$$ iterations."
    ),
    hypotheses=(
        Hypothesis("Assumptions 1-3, 5", "as in Theorem 7", "R^d"),
        Hypothesis("Assumption 4", "M = sup{||grad f(x)|| : f(x) <= f(x0)} < inf", "{f <= f(x0)}"),
    ),
    provenance={"statement": "printed", "parameters": "printed", "bound": "recalled"},
    method="sgd",
)
