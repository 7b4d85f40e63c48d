"""Chen, Zhou, Liang, Lu, "Generalized-smooth nonconvex optimization is as efficient as smooth
nonconvex optimization", ICML 2023: beta-normalized GD ``h = gamma/||g||^beta``.

For (L0, L1)-smooth f the lab takes ``beta = 1`` and ``gamma = min{eps/(2 L0), 1/(2 L1)}``
and derives ``T_eps <= 5 Delta max{L0/eps^2, L1/eps}``
(:func:`theory.derivations.beta_ngd_count`; the paper's constants are not available).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from ._followup import FollowUpTheorem, hypotheses_on
from ._symbols import DELTA, EPS, L0, L1

__all__ = ["BetaNGDTheorem", "BETA_NGD"]


@dataclass(frozen=True)
class BetaNGDTheorem(FollowUpTheorem):
    """The lab's count of 1-normalized GD (module docstring)."""

    def _gamma(self, L0, L1, eps):  # noqa: N803
        return min(eps / (2 * L0) if L0 > 0 else math.inf, 1 / (2 * L1) if L1 > 0 else math.inf)

    def value(self, L0, L1, M, Delta, eps):  # noqa: N803
        """``5 Delta max{L0/eps^2, L1/eps}``."""
        if L0 == 0 and L1 == 0:
            return math.inf
        return 5 * Delta * max(L0 / eps**2, L1 / eps)

    def parameters(self, L0, L1, M, eps):  # noqa: N803
        """``gamma = min{eps/(2 L0), 1/(2 L1)}``, ``beta = 1``."""
        return {"gamma": self._gamma(L0, L1, eps), "beta": 1.0}

    def radius_needed(self, L0, L1, M, eps):  # noqa: N803
        """Every step has length gamma."""
        return self._gamma(L0, L1, eps)


BETA_NGD = BetaNGDTheorem(
    key="chen2023_beta_ngd",
    number="beta-normalized GD at beta = 1 (lab constants)",
    title="Normalized GD h = gamma/||g|| with gamma = min{eps/(2 L0), 1/(2 L1)}",
    kind="upper",
    statement_text=(
        "Under Assumptions 1-3 (Assumption 3 on S0 + radius gamma), GD with h = gamma/||g||, "
        "gamma = min{eps/(2 L0), 1/(2 L1)}, reaches ||grad f|| <= eps within "
        "T_eps <= 5 Delta max{L0/eps^2, L1/eps} (lab)."
    ),
    statement_latex=(
        r"$h = \gamma/\|g\|$, $\gamma = \min\{\frac{\varepsilon}{2L_0}, \frac{1}{2L_1}\}$: "
        r"$$T_\varepsilon \le 5\Delta\max\Big\{\frac{L_0}{\varepsilon^2}, "
        r"\frac{L_1}{\varepsilon}\Big\}.$$"
    ),
    hypotheses=hypotheses_on("gamma <= 1/(2 L1)"),
    provenance={"statement": "lab", "parameters": "lab", "bound": "lab"},
    paper_version="ICML 2023",
    v1_note="Chen et al., ICML 2023",
    method="beta_normalized_gd",
    source="Chen, Zhou, Liang, Lu, ICML 2023",
    expr=5 * DELTA * sp.Max(L0 / EPS**2, L1 / EPS),
)
