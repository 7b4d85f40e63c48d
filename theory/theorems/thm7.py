"""Theorem 7 (v2): clipped SGD, an eps^-4-type rate without M.

Statement (v2 numbering; v1 numbering unverified): under Assumptions 1-3 and 5 globally,
``L1 > 0``, noise ``||g_k - grad f(x_k)|| <= tau`` a.s., clipped SGD with the printed step
``h_k = min{1/(16 eta L1 (||g_k|| + tau)), eta}``,
``eta = min{1/(20 L0), 1/(128 L1 tau), 1/sqrt(T)}`` reaches an eps-stationary point
(median first hitting time) at an eps^-4 rate proportional to the effective gap
``Delta' = Delta + (5 L0 + 2 L1 tau) tau^2 + 9 tau L0^2/L1`` (recalled).

The ``eta`` inside the first denominator looks dimensionally odd (possible typo); the
clipping reading ``h_k = min{1/(16 L1 (||g_k|| + tau)), eta}`` is offered too, marked
``"consistent"``. The exact bound display is not available: the value returned here is
the lab's instantiation ``max{20 L0 Delta'/eps^2, 128 L1 tau Delta'/eps^2, Delta'^2/eps^4}``
(provenance ``lab``): it is ``Delta'/(eta eps^2)`` with the printed ``eta``, i.e. what a
telescoping argument of the form ``(1/T) sum E||grad f||^2 <= Delta'/(T eta)`` would give;
that form is assumed, not re-derived. Zhang, He, Sra, Jadbabaie, arXiv 1905.11881.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import sympy as sp

from ._base import Bound, CertificateLike, Hypothesis, Theorem, check_inputs
from ._stochastic import DELTA_EFF_EXPR, effective_gap
from ._symbols import DELTA_EFF, EPS, L0, L1, TAU, G, T

__all__ = ["ClippedSGDTheorem", "THEOREM_7", "READINGS"]

#: the two readings of the printed step
READINGS = ("printed", "consistent")


@dataclass(frozen=True)
class ClippedSGDTheorem(Theorem):
    """Theorem 7 of v2 (see the module docstring)."""

    noisy: ClassVar[bool] = True

    expr: sp.Expr = sp.Max(
        20 * L0 * DELTA_EFF / EPS**2, 128 * L1 * TAU * DELTA_EFF / EPS**2, DELTA_EFF**2 / EPS**4
    )
    delta_eff_expr: sp.Expr = DELTA_EFF_EXPR

    def parameters(self, L0: float, L1: float, tau: float, T: float) -> dict[str, float]:  # noqa: N803
        """``eta`` and the clipping numerators of both readings.

        The step is ``h_k = min{c/(||g_k|| + tau), eta}`` with ``c = clip_printed =
        1/(16 eta L1)`` (printed) or ``c = clip_consistent = 1/(16 L1)`` (dimensionally
        consistent reading).
        """
        l0, l1, t, n = check_inputs(("L0", "L1", "T"), L0=L0, L1=L1, tau=tau, T=T)
        eta = min(1.0 / (20.0 * l0), math.inf if t == 0 else 1.0 / (128.0 * l1 * t), n**-0.5)
        return {
            "eta": eta,
            "clip_printed": 1.0 / (16.0 * eta * l1),
            "clip_consistent": 1.0 / (16.0 * l1),
        }

    def params_expr(self) -> dict[str, sp.Expr]:
        """The step rules as sympy expressions in ``||g_k||`` (symbol ``g``)."""
        eta = sp.Min(1 / (20 * L0), 1 / (128 * L1 * TAU), 1 / sp.sqrt(T))
        eta_s = sp.Symbol("eta", positive=True)
        return {
            "eta": eta,
            "h_printed": sp.Min(1 / (16 * eta_s * L1 * (G + TAU)), eta_s),
            "h_consistent": sp.Min(1 / (16 * L1 * (G + TAU)), eta_s),
        }

    def step(
        self,
        g: float,
        L0: float,
        L1: float,
        tau: float,
        T: float,
        reading: str = "printed",  # noqa: N803
    ) -> float:
        """The step ``h_k`` at stochastic-gradient norm ``g`` under ``reading``."""
        if reading not in READINGS:
            raise ValueError(f"reading must be one of {READINGS}, got {reading!r}")
        p = self.parameters(L0, L1, tau, T)
        c = p["clip_printed"] if reading == "printed" else p["clip_consistent"]
        return p["eta"] if g + tau == 0 else min(c / (g + tau), p["eta"])

    @staticmethod
    def value(L0: float, L1: float, tau: float, Delta: float, eps: float) -> float:  # noqa: N803
        """The lab's instantiation ``max{20 L0 D'/eps^2, 128 L1 tau D'/eps^2, D'^2/eps^4}``."""
        if L1 <= 0 or L0 <= 0 or not math.isfinite(L0):
            return math.inf
        de = effective_gap(L0, L1, tau, Delta)
        return max(20.0 * L0 * de / eps**2, 128.0 * L1 * tau * de / eps**2, de**2 / eps**4)

    def at(
        self,
        L0: float,
        L1: float,
        tau: float,
        T: float,
        Delta: float,
        eps: float,  # noqa: N803
    ) -> Bound:
        """Evaluate at plain numbers (``pair_choice = "given"``)."""
        values = check_inputs(("L0", "L1", "T"), L0=L0, L1=L1, tau=tau, T=T, Delta=Delta, eps=eps)
        return self._make(*values, "given")

    def _bound(self, cert: CertificateLike, e: float, pair: dict, noise: tuple) -> Bound:
        """For a certificate: by default the certified pair (L1 > 0) minimizing the value."""
        t, n = noise
        d = float(cert.delta)
        value = lambda a, b: self.value(a, b, t, d, e)  # noqa: E731
        l0, l1, choice = self._choose(cert, value, pair, allow_zero_L1=False)
        return self._make(l0, l1, t, n, d, e, choice)

    def run_params(self, params: Mapping[str, float]) -> dict[str, float]:
        """``eta`` and the consistent reading's clipping numerator ``clip``.

        The printed reading diverges on the lab's hard instances; its numerator stays in
        ``params`` as ``clip_printed``.
        """
        nan = float("nan")
        return {"eta": params.get("eta", nan), "clip": params.get("clip_consistent", nan)}

    def _make(
        self, l0: float, l1: float, t: float, n: float, d: float, e: float, choice: str
    ) -> Bound:
        notes = [
            "printed bound display not available; value is the lab's instantiation "
            "Delta'/(eta eps^2) with the printed eta (assumed telescoping form, not re-derived)",
            "printed step has eta inside the first denominator (possible typo); "
            "clip_consistent gives the reading 1/(16 L1 (||g_k|| + tau))",
            "Delta' (effective gap) is recalled",
        ]
        ok = l0 > 0 and math.isfinite(l0)
        return self._upper_bound(
            value=self.value(l0, l1, t, d, e),
            params=self.parameters(l0, l1, t, n) if ok else {"eta": math.nan},
            L0=l0,
            L1=l1,
            choice=choice,
            inputs={"Delta": d, "eps": e, "tau": t, "T": n},
            extras={"Delta_eff": effective_gap(l0, l1, t, d)},
            notes=notes,
            chosen_for="value",
        )


THEOREM_7 = ClippedSGDTheorem(
    key="thm7_clipped_sgd",
    number="Theorem 7",
    title="Clipped SGD: eps^-4 rate without dependence on M",
    kind="upper",
    statement_text=(
        "Under Assumptions 1-3 and 5 globally, L1 > 0, clipped SGD with "
        "h_k = min{1/(16 eta L1 (||g_k|| + tau)), eta}, eta = min{1/(20 L0), 1/(128 L1 tau), "
        "1/sqrt(T)} finds an eps-stationary point at an eps^-4 rate proportional to "
        "Delta' = Delta + (5 L0 + 2 L1 tau) tau^2 + 9 tau L0^2/L1, with no dependence on M. "
        "[Printed display not available; lab value: max{20 L0 Delta'/eps^2, "
        "128 L1 tau Delta'/eps^2, Delta'^2/eps^4}.]"
    ),
    statement_latex=(
        r"Under Assumptions 1--3 and 5 globally, $L_1 > 0$, clipped SGD with "
        r"$h_k = \min\{\frac{1}{16 \eta L_1 (\|g_k\| + \tau)}, \eta\}$, "
        r"$\eta = \min\{\frac{1}{20 L_0}, \frac{1}{128 L_1 \tau}, \frac{1}{\sqrt{T}}\}$ finds an "
        r"$\varepsilon$-stationary point at an $\varepsilon^{-4}$ rate proportional to "
        r"$\Delta' = \Delta + (5 L_0 + 2 L_1 \tau)\tau^2 + 9 \tau L_0^2 / L_1$, with no "
        r"dependence on $M$. (Printed display not available; lab value: "
        r"$$\max\Big\{\frac{20 L_0 \Delta'}{\varepsilon^2}, "
        r"\frac{128 L_1 \tau \Delta'}{\varepsilon^2}, \frac{\Delta'^2}{\varepsilon^4}\Big\}.)$$"
    ),
    hypotheses=(
        Hypothesis("Assumptions 1-3", "bounded below, C^2, (L0, L1)-smooth with L1 > 0", "R^d"),
        Hypothesis("Assumption 5", "unbiased g_k with ||g_k - grad f(x_k)|| <= tau a.s.", "R^d"),
    ),
    provenance={
        "statement": "printed",
        "parameters": "printed",
        "effective gap": "recalled",
        "bound": "lab",
    },
    method="clipped_sgd",
)
