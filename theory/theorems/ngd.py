"""Normalized GD through the printed equivalence with clipped GD (v2, Section 3).

With ``gamma eta_c = eta_n`` and ``eta_c = eta_n/beta`` the normalized step
``h_n = eta_n/(||g|| + beta)`` and the clipped step ``h_c = min{eta_c, gamma eta_c/||g||}``
satisfy ``h_n <= h_c <= 2 h_n`` (printed). v2 has no separate NGD theorem: the lab redoes
Theorem 3's argument with ``h_n`` (:func:`theory.derivations.ngd_sandwich`) and gets
``T_eps <= 40 L0 Delta/eps^2 + 40 max{1, L1^2} Delta/L0`` (provenance ``lab``) for
``eta = gamma eta_c``, ``beta = gamma`` with Theorem 3's ``eta_c, gamma``.
Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 (v1 numbering unverified).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy as sp

from ._base import Theorem, check_positive
from ._symbols import DELTA, EPS, L0, L1
from .thm3 import THEOREM_3, ClippedGDTheorem

__all__ = ["NGDEquivalence", "NGD", "clipped_step", "normalized_step"]


def clipped_step(g: float, eta_c: float, gamma: float) -> float:
    """``h_c = min{eta_c, gamma eta_c/||g||}`` (``eta_c`` at ``||g|| = 0``)."""
    return eta_c if g == 0 else min(eta_c, gamma * eta_c / g)


def normalized_step(g: float, eta: float, beta: float) -> float:
    """``h_n = eta/(||g|| + beta)``."""
    return eta / (g + beta)


@dataclass(frozen=True)
class NGDEquivalence(ClippedGDTheorem):
    """Normalized GD via the equivalence (see the module docstring).

    It shares Theorem 3's evaluation (``at``, ``bound``: the same inputs and pair choice)
    with its own value (twice Theorem 3's), parameters and kernel arguments.
    """

    expr: sp.Expr = 40 * L0 * DELTA / EPS**2 + 40 * sp.Max(1, L1**2) * DELTA / L0

    def parameters(self, L0: float, L1: float) -> dict[str, float]:  # noqa: N803
        """``eta = gamma eta_c`` and ``beta = gamma`` with Theorem 3's ``eta_c, gamma``."""
        p = THEOREM_3.parameters(L0, L1)
        return {"eta": p["gamma"] * p["eta_c"], "beta": p["gamma"]}

    @staticmethod
    def from_clipped(eta_c: float, gamma: float) -> dict[str, float]:
        """The equivalence: ``eta_n = gamma eta_c`` and ``beta = eta_n/eta_c = gamma``."""
        eta_c = check_positive("eta_c", eta_c)
        gamma = check_positive("gamma", gamma)
        return {"eta": gamma * eta_c, "beta": gamma}

    def params_expr(self) -> dict[str, sp.Expr]:
        """The parameters as sympy expressions."""
        return {"eta": sp.Min(sp.Integer(1), 1 / (10 * L1)), "beta": sp.Min(10 * L0, L0 / L1)}

    @staticmethod
    def value(L0: float, L1: float, Delta: float, eps: float) -> float:  # noqa: N803
        """``40 L0 Delta/eps^2 + 40 max{1, L1^2} Delta/L0`` (lab)."""
        return 2.0 * THEOREM_3.value(L0, L1, Delta, eps)

    #: normalized GD's kernel takes ``eta`` and ``beta``, the names of the parameters
    run_params = Theorem.run_params

    _param_names: ClassVar[tuple[str, ...]] = ("eta", "beta")
    _notes: ClassVar[tuple[str, ...]] = (
        "v2 prints no NGD bound; the lab's count is twice Theorem 3's",
    )
    _needs: ClassVar[str] = "needs 0 < L0 < inf"

    def _extras(self, l0: float, l1: float, d: float, e: float) -> dict[str, float]:
        return {}


NGD = NGDEquivalence(
    key="ngd",
    number="Clipped/normalized GD equivalence (Section 3)",
    title="Normalized GD through the equivalence with clipped GD",
    kind="upper",
    statement_text=(
        "With gamma eta_c = eta_n and eta_c = eta_n/beta, the steps satisfy "
        "h_n <= h_c <= 2 h_n (so 1/2 h_c <= h_n <= 2 h_c): clipped-GD rates carry over to "
        "normalized GD. Lab bound: T_eps <= 40 L0 Delta/eps^2 + 40 max{1, L1^2} Delta/L0 with "
        "eta = gamma eta_c, beta = gamma."
    ),
    statement_latex=(
        r"With $\gamma \eta_c = \eta_n$ and $\eta_c = \eta_n/\beta$, the steps "
        r"$h_c = \min\{\eta_c, \gamma\eta_c/\|g\|\}$ and $h_n = \eta_n/(\|g\| + \beta)$ satisfy "
        r"$h_n \le h_c \le 2 h_n$. Lab bound: "
        r"$$T_\varepsilon \le \frac{40 L_0 \Delta}{\varepsilon^2} "
        r"+ \frac{40 \max\{1, L_1^2\} \Delta}{L_0}$$ with $\eta = \gamma\eta_c$, $\beta = \gamma$."
    ),
    hypotheses=THEOREM_3.hypotheses,
    provenance={"statement": "printed", "parameters": "printed", "bound": "lab"},
    method="normalized_gd",
)
