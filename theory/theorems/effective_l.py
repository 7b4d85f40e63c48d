"""Li, Qian, Tian, Rakhlin, Jadbabaie, "Convex and non-convex optimization under generalized
smoothness", NeurIPS 2023 (arXiv 2306.01264): constant-step GD reaches the classical rate with
the effective constant ``L = l(2G)``, G a bound on the gradient along the trajectory.

For ``l(s) = L0 + L1 s`` and ``G = M`` (Assumption 4): ``h = 1/(L0 + 2 L1 M)``,
``T_eps <= 2 (L0 + 2 L1 M) Delta/eps^2`` (:func:`theory.derivations.effective_l_count`,
reproduced). It is below Theorem 6's ``4 (M L1 + L0) Delta/eps^2`` (Zhang et al., arXiv
1905.11881 v2) and meets it at L0 = 0, where both steps are ``1/(2 L1 M)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ._base import Hypothesis
from ._followup import FollowUpTheorem, hypotheses_on
from ._symbols import DELTA, EPS, L0, L1, M

__all__ = ["EffectiveLTheorem", "EFFECTIVE_L"]


@dataclass(frozen=True)
class EffectiveLTheorem(FollowUpTheorem):
    """Constant-step GD with L = L0 + 2 L1 M (module docstring)."""

    def value(self, L0, L1, M, Delta, eps):  # noqa: N803
        """``2 (L0 + 2 L1 M) Delta/eps^2``; inf when M is."""
        if not math.isfinite(M):
            return math.inf
        lloc = L0 + 2 * L1 * M if L1 > 0 else L0
        return 2 * lloc * Delta / eps**2 if lloc > 0 else math.inf

    def parameters(self, L0, L1, M, eps):  # noqa: N803
        """``h = 1/(L0 + 2 L1 M)``."""
        return {"h": 1 / (L0 + 2 * L1 * M if L1 > 0 else L0)}

    def radius_needed(self, L0, L1, M, eps):  # noqa: N803
        """The longest step ``h M``."""
        if not math.isfinite(M):
            return math.inf
        return M * self.parameters(L0, L1, M, eps)["h"]


EFFECTIVE_L = EffectiveLTheorem(
    key="li2023_effective_L",
    number="constant-step GD with the effective L = l(2G)",
    title="GD with h = 1/(L0 + 2 L1 M) (effective smoothness along the trajectory)",
    kind="upper",
    statement_text=(
        "Under Assumptions 1-4 (Assumption 3 on S0 + radius M/(L0 + 2 L1 M)), GD with "
        "h = 1/L, L = L0 + 2 L1 M, reaches ||grad f|| <= eps within "
        "T_eps <= 2 (L0 + 2 L1 M) Delta/eps^2 iterations."
    ),
    statement_latex=(
        r"GD with $h = 1/L$, $L = L_0 + 2L_1M$: "
        r"$$T_\varepsilon \le \frac{2(L_0 + 2L_1M)\Delta}{\varepsilon^2}.$$"
    ),
    hypotheses=(
        *hypotheses_on("M/(L0 + 2 L1 M)"),
        Hypothesis("Assumption 4", "M = sup{||grad f(x)|| : f(x) <= f(x0)} < inf", "{f <= f(x0)}"),
    ),
    provenance={"statement": "recalled", "parameters": "lab", "bound": "lab"},
    paper_version="NeurIPS 2023 (arXiv 2306.01264)",
    v1_note="Li et al., arXiv 2306.01264",
    method="gd",
    source="Li, Qian, Tian, Rakhlin, Jadbabaie, NeurIPS 2023 (arXiv 2306.01264)",
    expr=2 * (L0 + 2 * L1 * M) * DELTA / EPS**2,
)
