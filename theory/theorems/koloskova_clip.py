"""Koloskova, Hendrikx, Stich, "Revisiting gradient clipping: stochastic bias and tight
convergence guarantees", ICML 2023 (arXiv 2305.01588): ``x - eta clip_c(g)``, deterministic
nonconvex rate O(L0 Delta/eps^2 + L1 Delta/eps) for any threshold c (recalled; exact
constants not available).

The lab's count (:func:`theory.derivations.koloskova_count`): with
``eta = min{1/(2 L0), 1/(3 L1 c)}``, ``T_eps <= Delta max{4 L0, 6 L1 c} max{1/eps^2, 1/(c eps)}``;
by default ``c = 2 L0/(3 L1)``, where it is ``max{4 L0 Delta/eps^2, 6 L1 Delta/eps}``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from ._followup import FollowUpTheorem, hypotheses_on
from ._symbols import DELTA, EPS, L0, L1

__all__ = ["KoloskovaTheorem", "KOLOSKOVA_CLIP"]


@dataclass(frozen=True)
class KoloskovaTheorem(FollowUpTheorem):
    """The lab's count of clip_c GD (module docstring). ``c_factor``: c = c_factor L0/L1."""

    c_factor: float = 2.0 / 3.0

    def _c(self, L0, L1):  # noqa: N803
        return self.c_factor * L0 / L1

    def value(self, L0, L1, M, Delta, eps):  # noqa: N803
        """``Delta max{4 L0, 6 L1 c} max{1/eps^2, 1/(c eps)}``; inf unless L0, L1 > 0."""
        if not (L0 > 0 and L1 > 0):
            return math.inf
        c = self._c(L0, L1)
        return Delta * max(4 * L0, 6 * L1 * c) * max(1 / eps**2, 1 / (c * eps))

    def parameters(self, L0, L1, M, eps):  # noqa: N803
        """``eta = min{1/(2 L0), 1/(3 L1 c)}`` and ``c``."""
        c = self._c(L0, L1)
        return {"eta": min(1 / (2 * L0), 1 / (3 * L1 * c)), "c": c}

    def radius_needed(self, L0, L1, M, eps):  # noqa: N803
        """The longest step ``min{eta M, eta c}``."""
        p = self.parameters(L0, L1, M, eps)
        return min(p["eta"] * M, p["eta"] * p["c"])


KOLOSKOVA_CLIP = KoloskovaTheorem(
    key="koloskova2023_clip",
    number="deterministic clipped GD, any threshold (lab constants)",
    title="GD with clip_c: x - eta clip_c(grad f)",
    kind="upper",
    statement_text=(
        "Under Assumptions 1-3 (Assumption 3 on S0 + radius min{eta M, eta c}), "
        "x - eta clip_c(g) with eta = min{1/(2 L0), 1/(3 L1 c)} reaches ||grad f|| <= eps "
        "within T_eps <= Delta max{4 L0, 6 L1 c} max{1/eps^2, 1/(c eps)} (lab; recalled "
        "order O(L0 Delta/eps^2 + L1 Delta/eps)); at c = 2 L0/(3 L1): "
        "max{4 L0 Delta/eps^2, 6 L1 Delta/eps}."
    ),
    statement_latex=(
        r"$x - \eta\,\mathrm{clip}_c(g)$, $\eta = \min\{\frac{1}{2L_0}, \frac{1}{3L_1c}\}$, "
        r"$c = \frac{2L_0}{3L_1}$: $$T_\varepsilon \le \max\Big\{\frac{4L_0\Delta}"
        r"{\varepsilon^2}, \frac{6L_1\Delta}{\varepsilon}\Big\}.$$"
    ),
    hypotheses=hypotheses_on("min{eta M, eta c} <= 1/(3 L1)"),
    provenance={"statement": "recalled", "parameters": "lab", "bound": "lab"},
    paper_version="ICML 2023 (arXiv 2305.01588)",
    v1_note="Koloskova et al., arXiv 2305.01588",
    method="koloskova_clip",
    source="Koloskova, Hendrikx, Stich, ICML 2023 (arXiv 2305.01588)",
    expr=sp.Max(4 * L0 * DELTA / EPS**2, 6 * L1 * DELTA / EPS),
    allow_zero_L1=False,
)
