"""Base of the follow-up results (the work after Zhang et al., docs/paper.md "Follow-up bounds").

A :class:`FollowUpTheorem` is a nonconvex upper bound on T_eps (first k with
``||grad f(x_k)|| <= eps``) for a method of ``python -m synthetic``. Subclasses give

* ``value(L0, L1, M, Delta, eps)``: the bound at numbers (``inf`` where it does not apply);
* ``parameters(L0, L1, M, eps)``: the method's kernel keyword arguments;
* ``radius_needed(L0, L1, M, eps)``: the longest step the argument takes from S0, i.e. the
  radius of the neighbourhood of S0 on which Assumption 3 is needed;
* optionally ``lab_value(...)``, the lab's own count where it differs from the recalled one.

``bound_for(cert, eps)`` minimizes the bound over the certified frontier, restricted to the
pairs whose needed radius is at most the certificate's radius (the frontier is certified on
S0 enlarged by that radius, so the hypothesis holds at the chosen pair).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass

import sympy as sp

from ._base import Bound, CertificateLike, Hypothesis, Theorem, check_inputs

__all__ = ["FollowUpTheorem", "hypotheses_on"]


def hypotheses_on(radius: str) -> tuple[Hypothesis, ...]:
    """Assumptions 1-3 of the follow-ups, Assumption 3 on S0 enlarged by ``radius``."""
    s = f"S0 + ball(radius {radius})"
    return (
        Hypothesis("Assumption 1", "f >= f* > -inf", "R^d"),
        Hypothesis("Assumption 2", "f twice differentiable", s),
        Hypothesis("Assumption 3", "(L0, L1)-smooth: ||hess f|| <= L0 + L1 ||grad f||", s),
    )


@dataclass(frozen=True)
class FollowUpTheorem(Theorem):
    """A follow-up upper bound (see the module docstring)."""

    #: authors, venue, arXiv id and version of the source
    source: str = ""
    expr: sp.Expr = sp.S.Zero
    allow_zero_L1: bool = True
    #: marks the results that :func:`theory.render.compute_bounds` takes from the registry
    followup: bool = True

    @property
    def citation(self) -> str:
        """``"<source>, <result>"``."""
        return f"{self.source}, {self.number}"

    def value(self, L0: float, L1: float, M: float, Delta: float, eps: float) -> float:  # noqa: N803
        raise NotImplementedError

    def parameters(self, L0: float, L1: float, M: float, eps: float) -> dict[str, float]:  # noqa: N803
        raise NotImplementedError

    def radius_needed(self, L0: float, L1: float, M: float, eps: float) -> float:  # noqa: N803
        raise NotImplementedError

    def lab_value(self, L0: float, L1: float, M: float, Delta: float, eps: float) -> float | None:  # noqa: N803
        """The lab's count where it differs from the bound (``None``: the same)."""
        return None

    def _safe_value(self, l0: float, l1: float, m: float, d: float, e: float, rad: float) -> float:
        try:
            if not self.radius_needed(l0, l1, m, e) <= rad:
                return math.inf
            v = float(self.value(l0, l1, m, d, e))
        except (ZeroDivisionError, OverflowError, ValueError):
            return math.inf
        return v if not math.isnan(v) else math.inf

    def at(
        self,
        L0: float,  # noqa: N803
        L1: float,  # noqa: N803
        M: float,  # noqa: N803
        Delta: float,  # noqa: N803
        eps: float,
        radius: float = math.inf,
    ) -> Bound:
        """The bound at plain numbers (``pair_choice = "given"``); ``radius``: where (L0, L1)
        holds around S0 (``inf`` when valid everywhere)."""
        values = check_inputs(L0=L0, L1=L1, M=M, Delta=Delta, eps=eps)
        return self._make(*values, "given", radius)

    def _bound(self, cert: CertificateLike, e: float, pair: dict, noise: tuple) -> Bound:
        """The bound for a certificate: the certified pair minimizing it among the pairs whose
        needed radius is within the certificate's."""
        d, m = float(cert.delta), float(cert.M)
        rad = float(getattr(cert, "radius", 1.0))
        value = lambda a, b: self._safe_value(a, b, m, d, e, rad)  # noqa: E731
        l0, l1, choice = self._choose(cert, value, pair, allow_zero_L1=self.allow_zero_L1)
        return self._make(l0, l1, m, d, e, choice, rad)

    def _make(
        self, l0: float, l1: float, m: float, d: float, e: float, choice: str, rad: float
    ) -> Bound:
        notes: list[str] = []
        value = self._safe_value(l0, l1, m, d, e, rad)
        try:
            need = float(self.radius_needed(l0, l1, m, e))
        except (ZeroDivisionError, OverflowError, ValueError):
            need = math.nan
        if not need <= rad:
            notes.append(
                f"the argument needs Assumption 3 on S0 + radius {need:.4g}, beyond the "
                f"certified radius {rad:.4g}: no bound at this pair"
            )
        try:
            params = self.parameters(l0, l1, m, e) if math.isfinite(value) else {}
        except (ZeroDivisionError, OverflowError, ValueError):
            params = {}
        if not params:
            params = {k: math.nan for k in self._param_names()}
        extras: dict[str, float] = {"radius_needed": need}
        lab = self.lab_value(l0, l1, m, d, e) if math.isfinite(value) else None
        if lab is not None:
            extras["lab_bound"] = lab
        b = self._upper_bound(
            value=value,
            params=params,
            L0=l0,
            L1=l1,
            choice=choice,
            inputs={"Delta": d, "eps": e, "M": m},
            extras=extras,
            notes=notes,
        )
        return dataclasses.replace(b, paper_version=self.paper_version)

    def _param_names(self) -> tuple[str, ...]:
        from synthetic.line_search import METHODS

        return METHODS[self.method].params if self.method in METHODS else ()

    def run_params(self, params: Mapping[str, float]) -> dict[str, float]:
        """The kernel's keyword arguments (the theorem's parameters are already those)."""
        return dict(params)
