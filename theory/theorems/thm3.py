"""Theorem 3 (v2): clipped GD converges in O(L0 Delta/eps^2 + L1^2 Delta/L0) steps.

Statement (v2 numbering; v1 numbering unverified): under Assumptions 1-3 (the last on the
set S), clipped GD ``x+ = x - min{eta_c, gamma eta_c/||g||} g`` with ``eta_c = 1/(10 L0)``
and ``gamma = min{1/eta_c, 1/(10 L1 eta_c)} = min{10 L0, L0/L1}`` (printed) reaches
``||grad f|| <= eps`` within
``T_eps <= 20 L0 Delta/eps^2 + 20 max{1, L1^2} Delta/L0`` iterations (constants recalled;
the lab's derivation :func:`theory.derivations.theorem3_constants` reproduces them).
Zhang, He, Sra, Jadbabaie, arXiv 1905.11881.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import sympy as sp

from ._base import Bound, CertificateLike, Hypothesis, Theorem, check_inputs
from ._symbols import DELTA, EPS, L0, L1

__all__ = ["ClippedGDTheorem", "THEOREM_3"]

_S = "S = {x : exists y, f(y) <= f(x0), ||x - y|| <= 1}"


def _gamma(l0: float, l1: float) -> float:
    return 10.0 * l0 if l1 == 0 else min(10.0 * l0, l0 / l1)


@dataclass(frozen=True)
class ClippedGDTheorem(Theorem):
    """Theorem 3 of v2: the upper bound of clipped GD (see the module docstring)."""

    #: the bound's sympy expression
    expr: sp.Expr = 20 * L0 * DELTA / EPS**2 + 20 * sp.Max(1, L1**2) * DELTA / L0

    def parameters(self, L0: float, L1: float) -> dict[str, float]:  # noqa: N803
        """The printed step ``eta_c = 1/(10 L0)`` and threshold ``gamma = min{10 L0, L0/L1}``.

        ``L1 = 0`` (an L-smooth function) gives ``gamma = 10 L0``; ``L0`` must be > 0.
        """
        l0, l1 = check_inputs(("L0",), L0=L0, L1=L1)
        return {"eta_c": 1.0 / (10.0 * l0), "gamma": _gamma(l0, l1)}

    def params_expr(self) -> dict[str, sp.Expr]:
        """The parameters as sympy expressions."""
        return {"eta_c": 1 / (10 * L0), "gamma": sp.Min(10 * L0, L0 / L1)}

    @staticmethod
    def value(L0: float, L1: float, Delta: float, eps: float) -> float:  # noqa: N803
        """``20 L0 Delta/eps^2 + 20 max{1, L1^2} Delta/L0`` (inf when L0 is 0 or inf)."""
        if L0 <= 0 or not math.isfinite(L0):
            return math.inf
        return 20.0 * L0 * Delta / eps**2 + 20.0 * max(1.0, L1 * L1) * Delta / L0

    @staticmethod
    def value_lab(L0: float, L1: float, Delta: float, eps: float) -> float:  # noqa: N803
        """The lab's sharper count ``(200/11) L0 D/eps^2 + max{D/(5.5 L0), (200/11) L1^2 D/L0}``."""
        if L0 <= 0 or not math.isfinite(L0):
            return math.inf
        return 200 / 11 * L0 * Delta / eps**2 + max(
            Delta / (5.5 * L0), 200 / 11 * L1 * L1 * Delta / L0
        )

    def at(self, L0: float, L1: float, Delta: float, eps: float) -> Bound:  # noqa: N803
        """Evaluate Theorem 3 at plain numbers (``pair_choice = "given"``)."""
        return self._make(*check_inputs(("L0",), L0=L0, L1=L1, Delta=Delta, eps=eps), "given")

    def _bound(self, cert: CertificateLike, e: float, pair: dict, noise: tuple) -> Bound:
        """Theorem 3 for a certificate: by default at the certified pair minimizing the bound.

        Parameters
        ----------
        cert
            Smoothness certificate (``delta``, frontier ``L0(L1)``).
        e
            Target gradient norm (validated).
        pair
            The user's ``L1`` / ``L0`` choice (see :meth:`Theorem.bound`).
        """
        d = float(cert.delta)
        l0, l1, choice = self._choose(cert, lambda a, b: self.value(a, b, d, e), pair)
        return self._make(l0, l1, d, e, choice)

    def run_params(self, params: Mapping[str, float]) -> dict[str, float]:
        """Clipped GD's kernel takes ``eta`` (= ``eta_c``) and ``gamma``."""
        return {"eta": params["eta_c"], "gamma": params["gamma"]}

    #: names of the parameters (NaN where ``L0`` is not in (0, inf))
    _param_names: ClassVar[tuple[str, ...]] = ("eta_c", "gamma")
    #: the first notes of every bound
    _notes: ClassVar[tuple[str, ...]] = ()
    #: the note's words where ``L0`` is not in (0, inf)
    _needs: ClassVar[str] = "Theorem 3 needs 0 < L0 < inf"

    def _extras(self, l0: float, l1: float, d: float, e: float) -> dict[str, float]:
        return {"lab_sharper": self.value_lab(l0, l1, d, e)}

    def _make(self, l0: float, l1: float, d: float, e: float, choice: str) -> Bound:
        notes = list(self._notes)
        if l0 > 0 and math.isfinite(l0):
            params = self.parameters(l0, l1)
        else:
            params = dict.fromkeys(self._param_names, math.nan)
            notes.append(f"L0 = {l0} at L1 = {l1}: {self._needs}")
        return self._upper_bound(
            value=self.value(l0, l1, d, e),
            params=params,
            L0=l0,
            L1=l1,
            choice=choice,
            inputs={"Delta": d, "eps": e},
            extras=self._extras(l0, l1, d, e),
            notes=notes,
        )


THEOREM_3 = ClippedGDTheorem(
    key="thm3_clipped_gd",
    number="Theorem 3",
    title="Clipped GD: upper bound without dependence on M",
    kind="upper",
    statement_text=(
        "Under Assumptions 1-3 (Assumption 3 on S), clipped GD with eta_c = 1/(10 L0) and "
        "gamma = min{1/eta_c, 1/(10 L1 eta_c)} = min{10 L0, L0/L1} reaches ||grad f(x_k)|| <= eps "
        "within T_eps <= 20 L0 Delta/eps^2 + 20 max{1, L1^2} Delta/L0 iterations."
    ),
    statement_latex=(
        r"Under Assumptions 1--3 (Assumption 3 on $S$), clipped GD with "
        r"$\eta_c = \frac{1}{10 L_0}$ and "
        r"$\gamma = \min\{\frac{1}{\eta_c}, \frac{1}{10 L_1 \eta_c}\} = \min\{10 L_0, L_0/L_1\}$ "
        r"reaches $\|\nabla f(x_k)\| \le \varepsilon$ within "
        r"$$T_\varepsilon \le \frac{20 L_0 \Delta}{\varepsilon^2} "
        r"+ \frac{20 \max\{1, L_1^2\} \Delta}{L_0}$$ iterations."
    ),
    hypotheses=(
        Hypothesis("Assumption 1", "f >= f* > -inf", "R^d"),
        Hypothesis("Assumption 2", "f twice differentiable", "R^d"),
        Hypothesis("Assumption 3", "(L0, L1)-smooth: ||hess f|| <= L0 + L1 ||grad f||", _S),
    ),
    provenance={"statement": "printed", "parameters": "printed", "bound": "recalled"},
    method="clipped_gd",
)
