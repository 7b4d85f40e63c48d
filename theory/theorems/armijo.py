"""Hübler, Yang, Li, He, "Parameter-agnostic optimization under relaxed smoothness",
AISTATS 2024 (arXiv 2311.03252): deterministic GD with Armijo backtracking (reduction
``beta``, sufficient-decrease constant ``gamma``; here ``shrink = armijo_c = 1/2``).

Recalled: ``(1/T) sum_{t<T} ||grad f(x_t)||^2 <= (4 L0 Delta + 14 L1^2 Delta^2)/(beta gamma
(1 - gamma) T)``, hence ``T_eps <= (4 L0 Delta + 14 L1^2 Delta^2)/(beta gamma (1 - gamma)
eps^2)`` (the bound checked here). The lab (:func:`theory.derivations.armijo_count`) gets
``T_eps <= (L0 Delta/eps^2 + L1 Delta/eps)/(beta gamma (1 - gamma))`` for a trial step
``t0 >= beta (1 - gamma)/(L0 + L1 eps)``; the run uses ``t0 = 1/(L0 + L1 eps)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from ._followup import FollowUpTheorem, hypotheses_on
from ._symbols import DELTA, EPS, L0, L1

__all__ = ["ArmijoTheorem", "ARMIJO"]

_SHRINK = sp.Rational(1, 2)
_C = sp.Rational(1, 2)
_DEN = _SHRINK * _C * (1 - _C)


@dataclass(frozen=True)
class ArmijoTheorem(FollowUpTheorem):
    """The recalled Armijo bound, with the lab's as ``lab_bound`` (module docstring)."""

    shrink: float = float(_SHRINK)
    armijo_c: float = float(_C)

    def _den(self) -> float:
        return self.shrink * self.armijo_c * (1 - self.armijo_c)

    def value(self, L0, L1, M, Delta, eps):  # noqa: N803
        """``(4 L0 Delta + 14 L1^2 Delta^2)/(beta gamma (1 - gamma) eps^2)``."""
        if L0 == 0 and L1 == 0:
            return math.inf
        return (4 * L0 * Delta + 14 * L1**2 * Delta**2) / (self._den() * eps**2)

    def lab_value(self, L0, L1, M, Delta, eps):  # noqa: N803
        """``(L0 Delta/eps^2 + L1 Delta/eps)/(beta gamma (1 - gamma))``."""
        return (L0 * Delta / eps**2 + L1 * Delta / eps) / self._den()

    def parameters(self, L0, L1, M, eps):  # noqa: N803
        """``t0 = 1/(L0 + L1 eps)``, ``shrink``, ``armijo_c``."""
        return {"t0": 1 / (L0 + L1 * eps), "shrink": self.shrink, "armijo_c": self.armijo_c}

    def radius_needed(self, L0, L1, M, eps):  # noqa: N803
        """Every trial below ``(1 - gamma)/(L0 + L1 g)`` is accepted: the model is used on
        segments of length up to ``(1 - gamma) M/(L0 + L1 M)``."""
        if not math.isfinite(M):
            return (1 - self.armijo_c) / L1 if L1 > 0 else math.inf
        return (1 - self.armijo_c) * M / (L0 + L1 * M)


ARMIJO = ArmijoTheorem(
    key="hubler2024_armijo",
    number="deterministic Armijo backtracking",
    title="GD with Armijo backtracking (shrink = 1/2, armijo_c = 1/2)",
    kind="upper",
    statement_text=(
        "Under Assumptions 1-3, GD with Armijo backtracking (reduction beta, constant gamma) "
        "has (1/T) sum_{t<T} ||grad f(x_t)||^2 <= (4 L0 Delta + 14 L1^2 Delta^2)/(beta gamma "
        "(1 - gamma) T); so T_eps <= (4 L0 Delta + 14 L1^2 Delta^2)/(beta gamma (1 - gamma) "
        "eps^2). Lab: T_eps <= (L0 Delta/eps^2 + L1 Delta/eps)/(beta gamma (1 - gamma)) for "
        "t0 >= beta (1 - gamma)/(L0 + L1 eps)."
    ),
    statement_latex=(
        r"Armijo backtracking, $\beta = \gamma = \frac12$: $$T_\varepsilon \le "
        r"\frac{4L_0\Delta + 14L_1^2\Delta^2}{\beta\gamma(1-\gamma)\varepsilon^2}.$$"
    ),
    hypotheses=hypotheses_on("(1 - gamma) M/(L0 + L1 M)"),
    provenance={"statement": "recalled", "parameters": "lab", "bound": "recalled"},
    paper_version="AISTATS 2024 (arXiv 2311.03252)",
    v1_note="Hübler et al., arXiv 2311.03252",
    method="armijo",
    source="Hübler, Yang, Li, He, AISTATS 2024 (arXiv 2311.03252)",
    expr=(4 * L0 * DELTA + 14 * L1**2 * DELTA**2) / (_DEN * EPS**2),
)
