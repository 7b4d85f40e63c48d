"""Vankov, Rodomanov, Nedić, Sankar, Stich, "Optimizing (L0, L1)-smooth functions by gradient
methods", arXiv 2410.10800 v3 (ICLR 2025): GD with the steps

* ``eta* = ln(1 + L1 g/(L0 + L1 g))/(L1 g)`` (the maximizer of their upper model),
* ``eta_si = 1/(L0 + 1.5 L1 g)``, ``eta_cl = min{1/(2 L0), 1/(3 L1 g)}``, g = ||grad f(x_k)||.

Nonconvex bound (recalled): ``min_{k <= K} ||grad f(x_k)|| <= eps`` once
``K + 1 >= 2 L0 Delta/(a eps^2) + 3 L1 Delta/(a eps)``, ``a = 1`` (eta*, eta_si) and
``a = 1/2`` (eta_cl); hence ``T_eps <= 2 L0 Delta/(a eps^2) + 3 L1 Delta/(a eps)``. The lab's
derivation (:func:`theory.derivations.vankov_steps`, from the upper model
:func:`theory.derivations.l0l1_upper_model`) reproduces a = 1 for eta*, eta_si and gets
a = 3/4 for eta_cl (implying 1/2). Assumption 3 is needed on S0 enlarged by the longest
step (:meth:`VankovTheorem.radius_needed`). The convex bounds in R are not implemented.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from ._followup import FollowUpTheorem, hypotheses_on
from ._symbols import DELTA, EPS, L0, L1

__all__ = ["VankovTheorem", "VANKOV_ETA_STAR", "VANKOV_ETA_SI", "VANKOV_ETA_CL"]

SOURCE = "Vankov, Rodomanov, Nedić, Sankar, Stich"
VERSION = "arXiv 2410.10800 v3 (ICLR 2025)"


@dataclass(frozen=True)
class VankovTheorem(FollowUpTheorem):
    """The nonconvex bound of one of the three steps (module docstring)."""

    #: the recalled a, and the lab's
    a: float = 1.0
    a_lab: float = 1.0

    def value(self, L0: float, L1: float, M: float, Delta: float, eps: float) -> float:  # noqa: N803
        """``2 L0 Delta/(a eps^2) + 3 L1 Delta/(a eps)``."""
        if L0 == 0 and L1 == 0:
            return math.inf
        return (2 * L0 * Delta / eps**2 + 3 * L1 * Delta / eps) / self.a

    def lab_value(self, L0, L1, M, Delta, eps):  # noqa: N803
        """The lab's count (a = 3/4 for eta_cl); ``None`` where it equals the recalled one."""
        if self.a_lab == self.a:
            return None
        return self.value(L0, L1, M, Delta, eps) * self.a / self.a_lab

    def parameters(self, L0: float, L1: float, M: float, eps: float) -> dict[str, float]:  # noqa: N803
        """The rule's parameters: the pair itself."""
        return {"L0": float(L0), "L1": float(L1)}

    def radius_needed(self, L0: float, L1: float, M: float, eps: float) -> float:  # noqa: N803
        """The longest step ``h(g) g`` over ``g <= M`` (increasing in g; vankov_steps)."""
        if not math.isfinite(M):  # g unbounded: the g -> inf limit of the step length
            limit = {"vankov_eta_star": math.log(2), "vankov_eta_si": 2 / 3}.get(self.method, 1 / 3)
            return limit / L1 if L1 > 0 else math.inf
        if self.method == "vankov_eta_star":
            if L1 == 0:
                return M / L0
            return math.log1p(L1 * M / (L0 + L1 * M)) / L1
        if self.method == "vankov_eta_si":
            return M / (L0 + 1.5 * L1 * M)
        return min(M / (2 * L0) if L0 > 0 else math.inf, 1 / (3 * L1) if L1 > 0 else math.inf)


def _expr(a: sp.Expr) -> sp.Expr:
    return (2 * L0 * DELTA / EPS**2 + 3 * L1 * DELTA / EPS) / a


def _make(key: str, step: str, rule: str, a: sp.Rational, a_lab: sp.Rational, radius: str):
    text = (
        f"Under Assumptions 1-3 (Assumption 3 on S0 + radius {radius}), GD with the step "
        f"{rule} reaches ||grad f(x_k)|| <= eps within T_eps <= 2 L0 Delta/(a eps^2) + "
        f"3 L1 Delta/(a eps) iterations, a = {a}."
    )
    return VankovTheorem(
        key=key,
        number=f"nonconvex GD bound, step {step}",
        title=f"GD with the {step} step of Vankov et al. (nonconvex)",
        kind="upper",
        statement_text=text,
        statement_latex=(
            rf"GD with ${sp.latex(sp.Symbol(step))}$ reaches $\|\nabla f(x_k)\| \le \varepsilon$ "
            rf"within $$T_\varepsilon \le \frac{{2 L_0 \Delta}}{{a \varepsilon^2}} + "
            rf"\frac{{3 L_1 \Delta}}{{a \varepsilon}}, \quad a = {sp.latex(a)}.$$"
        ),
        hypotheses=hypotheses_on(radius),
        provenance={"statement": "recalled", "parameters": "recalled", "bound": "recalled"},
        paper_version=VERSION,
        v1_note=SOURCE,
        method=f"vankov_{step}",
        source=f"{SOURCE} {VERSION}",
        expr=_expr(a),
        a=float(a),
        a_lab=float(a_lab),
    )


VANKOV_ETA_STAR = _make(
    "vankov2025_eta_star",
    "eta_star",
    "eta* = ln(1 + L1 g/(L0 + L1 g))/(L1 g)",
    sp.Integer(1),
    sp.Integer(1),
    "ln(1 + L1 M/(L0 + L1 M))/L1",
)
VANKOV_ETA_SI = _make(
    "vankov2025_eta_si",
    "eta_si",
    "eta_si = 1/(L0 + 1.5 L1 g)",
    sp.Integer(1),
    sp.Integer(1),
    "M/(L0 + 1.5 L1 M)",
)
VANKOV_ETA_CL = _make(
    "vankov2025_eta_cl",
    "eta_cl",
    "eta_cl = min{1/(2 L0), 1/(3 L1 g)}",
    sp.S.Half,
    sp.Rational(3, 4),
    "min{M/(2 L0), 1/(3 L1)}",
)
