"""Gorbunov, Tupitsa, Choudhury, Aliev, Richtárik, Horváth, Takáč, "Methods for convex
(L0, L1)-smooth optimization: clipping, acceleration, and adaptivity", arXiv 2409.14989 v2
(ICLR 2025): GD with smoothed clipping ``h = eta/(L0 + L1 ||g||)``.

Their bound is convex (O(L0 R^2/eps + L1^2 R^2), constants not available) and is not
implemented. The lab derives a nonconvex count for the same step
(:func:`theory.derivations.smoothed_clip_count`): for ``eta < 6/5``,
``T_eps <= C(eta)(L0 Delta/eps^2 + L1 Delta/eps)``, ``C(eta) = (6 - 2 eta)/(eta (6 - 5 eta))``,
here at ``eta = nu/2`` with ``nu e^nu = 1`` (the value third-party code uses; C = 4.18).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from ._followup import FollowUpTheorem, hypotheses_on
from ._symbols import DELTA, EPS, L0, L1

__all__ = ["SmoothedClipTheorem", "SMOOTHED_CLIP", "ETA_GORBUNOV"]

_ETA = sp.LambertW(1) / 2
#: eta = nu/2, nu e^nu = 1 (about 0.28357)
ETA_GORBUNOV = float(sp.N(_ETA))
_C = (6 - 2 * _ETA) / (_ETA * (6 - 5 * _ETA))


@dataclass(frozen=True)
class SmoothedClipTheorem(FollowUpTheorem):
    """The lab's nonconvex count of smoothed clipping (module docstring)."""

    eta: float = ETA_GORBUNOV

    def constant(self) -> float:
        """``C(eta) = (6 - 2 eta)/(eta (6 - 5 eta))``."""
        return (6 - 2 * self.eta) / (self.eta * (6 - 5 * self.eta))

    def value(self, L0, L1, M, Delta, eps):  # noqa: N803
        """``C(eta)(L0 Delta/eps^2 + L1 Delta/eps)``."""
        if L0 == 0 and L1 == 0:
            return math.inf
        return self.constant() * (L0 * Delta / eps**2 + L1 * Delta / eps)

    def parameters(self, L0, L1, M, eps):  # noqa: N803
        """``eta``, ``L0``, ``L1`` of the ``smoothed_clip`` rule."""
        return {"eta": self.eta, "L0": float(L0), "L1": float(L1)}

    def radius_needed(self, L0, L1, M, eps):  # noqa: N803
        """The longest step ``eta g/(L0 + L1 g)`` over ``g <= M``."""
        if not math.isfinite(M):
            return self.eta / L1 if L1 > 0 else math.inf
        return self.eta * M / (L0 + L1 * M)


SMOOTHED_CLIP = SmoothedClipTheorem(
    key="gorbunov2025_smoothed_clip",
    number="smoothed clipping (step rule; lab nonconvex count)",
    title="GD with smoothed clipping h = eta/(L0 + L1 ||g||)",
    kind="upper",
    statement_text=(
        "Under Assumptions 1-3 (Assumption 3 on S0 + radius eta M/(L0 + L1 M)), GD with "
        "h = eta/(L0 + L1 ||g||), eta = nu/2 (nu e^nu = 1), reaches ||grad f|| <= eps within "
        "T_eps <= C (L0 Delta/eps^2 + L1 Delta/eps), C = (6 - 2 eta)/(eta (6 - 5 eta)) = 4.18 "
        "(lab; the paper's own bound is convex and not implemented)."
    ),
    statement_latex=(
        r"GD with $h = \eta/(L_0 + L_1\|g\|)$, $\eta = \nu/2$, $\nu e^\nu = 1$: "
        r"$$T_\varepsilon \le \frac{6 - 2\eta}{\eta(6 - 5\eta)}\Big(\frac{L_0\Delta}"
        r"{\varepsilon^2} + \frac{L_1\Delta}{\varepsilon}\Big).$$"
    ),
    hypotheses=hypotheses_on("eta M/(L0 + L1 M)"),
    provenance={"statement": "lab", "parameters": "recalled", "bound": "lab"},
    paper_version="arXiv 2409.14989 v2 (ICLR 2025)",
    v1_note="Gorbunov et al., arXiv 2409.14989",
    method="smoothed_clip",
    source="Gorbunov, Tupitsa, Choudhury, Aliev, Richtárik, Horváth, Takáč, arXiv 2409.14989 v2 "
    "(ICLR 2025)",
    expr=_C * (L0 * DELTA / EPS**2 + L1 * DELTA / EPS),
)
