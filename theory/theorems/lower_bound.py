"""Theorem 4 (v2): a lower bound for fixed-step GD over a class of functions.

Statement (v2 numbering; v1 numbering unverified): fix ``L0 >= 1``, ``L1 >= 1``,
``M > 1`` and ``eps in (0, 1]``. For every fixed step ``h`` (which may depend on
``L0, L1, M, eps, Delta`` but not on ``f`` or ``x0``) there is ``f`` satisfying
Assumptions 1-4 with these constants on which GD needs
``T_eps >= L1 M (Delta - 5 eps/8) / (8 eps^2 (log M + 1))`` iterations (constants
recalled). The lab's reconstruction of the proof sketch
(:func:`theory.derivations.theorem4_sketch`) reproduces the 8 but gives
``Delta M L1/(8 eps^2 (1 + log(M L1/L0)))``. Zhang, He, Sra, Jadbabaie, arXiv 1905.11881.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from ._base import Bound, CertificateLike, Hypothesis, Theorem
from ._symbols import DELTA, EPS, L0, L1, M

__all__ = ["GDLowerBound", "THEOREM_4", "validate_class"]


def validate_class(
    L0: float,  # noqa: N803
    L1: float,  # noqa: N803
    M: float,  # noqa: N803
    Delta: float,  # noqa: N803
    eps: float,
) -> tuple[float, float, float, float, float]:
    """Check Theorem 4's class conditions; raise a one-line ValueError otherwise.

    The class: ``L0 >= 1``, ``L1 >= 1``, ``M > 1`` (finite), ``Delta >= 0``, ``eps in (0, 1]``.
    """
    vals = []
    for name, x in (("L0", L0), ("L1", L1), ("M", M), ("Delta", Delta), ("eps", eps)):
        try:
            vals.append(float(x))
        except (TypeError, ValueError):
            raise ValueError(f"Theorem 4: {name} must be a number, got {x!r}") from None
    l0, l1, m, d, e = vals
    if not (l0 >= 1 and math.isfinite(l0)):
        raise ValueError(f"Theorem 4's class needs L0 >= 1 (finite), got L0={L0!r}")
    if not (l1 >= 1 and math.isfinite(l1)):
        raise ValueError(f"Theorem 4's class needs L1 >= 1 (finite), got L1={L1!r}")
    if not (m > 1 and math.isfinite(m)):
        raise ValueError(f"Theorem 4's class needs M > 1 (finite), got M={M!r}")
    if not (d >= 0 and math.isfinite(d)):
        raise ValueError(f"Theorem 4 needs Delta >= 0 (finite), got Delta={Delta!r}")
    if not (0 < e <= 1):
        raise ValueError(f"Theorem 4's class needs eps in (0, 1], got eps={eps!r}")
    return l0, l1, m, d, e


@dataclass(frozen=True)
class GDLowerBound(Theorem):
    """Theorem 4 of v2 (see the module docstring). Its API takes class parameters."""

    expr: sp.Expr = L1 * M * (DELTA - sp.Rational(5, 8) * EPS) / (8 * EPS**2 * (sp.log(M) + 1))
    lab_expr: sp.Expr = DELTA * M * L1 / (8 * EPS**2 * (1 + sp.log(M * L1 / L0)))

    def parameters(self) -> dict[str, float]:
        """Theorem 4 prescribes no step: it holds for every fixed step ``h``."""
        return {}

    @staticmethod
    def value(L0: float, L1: float, M: float, Delta: float, eps: float) -> float:  # noqa: N803
        """``L1 M (Delta - 5 eps/8)/(8 eps^2 (log M + 1))``, floored at 0 (no validation)."""
        if math.isinf(M):
            return math.inf
        raw = L1 * M * (Delta - 5.0 * eps / 8.0) / (8.0 * eps**2 * (math.log(M) + 1.0))
        return max(raw, 0.0)

    @staticmethod
    def value_lab(L0: float, L1: float, M: float, Delta: float, eps: float) -> float:  # noqa: N803
        """The lab's sketch value ``Delta M L1/(8 eps^2 (1 + log(M L1/L0)))``.

        The sketch needs the start on the exponential part of the gadget, i.e.
        ``1 + log(M L1/L0) > 0``; elsewhere the value is NaN (no sketch bound), see
        :mod:`theory.lower_bound` for the quadratic-start case.
        """
        if math.isinf(M):
            return math.inf
        if 1.0 + math.log(M * L1 / L0) <= 0:
            return math.nan
        return Delta * M * L1 / (8.0 * eps**2 * (1.0 + math.log(M * L1 / L0)))

    def at(self, L0: float, L1: float, M: float, Delta: float, eps: float) -> Bound:  # noqa: N803
        """Theorem 4 for the class ``(L0, L1, M, Delta, eps)``; raises ValueError outside it."""
        l0, l1, m, d, e = validate_class(L0, L1, M, Delta, eps)
        return self._make(l0, l1, m, d, e, "given", ())

    def _bound(self, cert: CertificateLike, e: float, pair: dict, noise: tuple) -> Bound:
        """Theorem 4 for the class with this instance's constants (never raises for them).

        The class is the one in which Remark 5 compares: by default the certified pair that
        minimizes Theorem 3's bound (or the user's ``L1`` / pair, checked against the
        frontier), with this instance's ``M`` and ``Delta``. Constants outside the class
        (``L0 < 1``, ``L1 < 1``, ``M <= 1``) are raised to ``max(., 1)`` and the entry says
        so; the bound is about the class, not about this ``f``.
        """
        from .thm3 import THEOREM_3

        pair3 = THEOREM_3.bound(cert, e, **pair)
        l0, l1 = pair3.L0, pair3.L1
        m, d = float(cert.M), float(cert.delta)
        notes: list[str] = [f"class pair from Theorem 3 ({pair3.pair_choice})"]
        outside = []
        if not l0 >= 1:
            outside.append(f"L0={l0:.6g} < 1")
        if not l1 >= 1:
            outside.append(f"L1={l1:.6g} < 1")
        if not m > 1:
            outside.append(f"M={m:.6g} <= 1")
        if outside:
            notes.append(
                "instance constants outside Theorem 4's class ("
                + ", ".join(outside)
                + "): evaluated for the class with max(L0, 1), max(L1, 1), max(M, 1)"
            )
            l0, l1, m = max(l0, 1.0), max(l1, 1.0), max(m, 1.0)
        if e > 1:
            notes.append(f"eps={e:.6g} > 1 is outside Theorem 4's class (eps in (0, 1])")
        if not math.isfinite(m):
            notes.append("M is infinite (Assumption 4 fails): no fixed step works on the class")
        return self._make(l0, l1, m, d, e, pair3.pair_choice, tuple(notes))

    def _make(
        self, l0: float, l1: float, m: float, d: float, e: float, choice: str, notes: tuple
    ) -> Bound:
        if d <= 5.0 * e / 8.0:
            notes = (*notes, "Delta <= 5 eps/8: the bound is vacuous (value floored at 0)")
        return self._result(
            "lower",
            self.value(l0, l1, m, d, e),
            {},
            (l0, l1, choice),
            {"Delta": d, "eps": e, "M": m},
            {"lab_sketch": self.value_lab(l0, l1, m, d, e)},
            notes,
        )


THEOREM_4 = GDLowerBound(
    key="thm4_gd_lower",
    number="Theorem 4",
    title="Fixed-step GD: lower bound over the class",
    kind="lower",
    statement_text=(
        "Fix L0 >= 1, L1 >= 1, M > 1 and eps in (0, 1]. For every fixed step h there is f "
        "satisfying Assumptions 1-4 with these constants such that GD needs "
        "T_eps >= L1 M (Delta - 5 eps/8) / (8 eps^2 (log M + 1)) iterations."
    ),
    statement_latex=(
        r"Fix $L_0 \ge 1$, $L_1 \ge 1$, $M > 1$ and $\varepsilon \in (0, 1]$. For every fixed "
        r"step $h$ there is $f$ satisfying Assumptions 1--4 with these constants such that GD "
        r"needs $$T_\varepsilon \ge \frac{L_1 M (\Delta - \frac{5}{8}\varepsilon)}"
        r"{8 \varepsilon^2 (\log M + 1)}$$ iterations."
    ),
    hypotheses=(
        Hypothesis("Class", "L0 >= 1, L1 >= 1, M > 1 fixed; eps in (0, 1]", "-"),
        Hypothesis("Assumptions 1-4", "as in Theorem 6", "S and {f <= f(x0)}"),
        Hypothesis("Fixed step", "h may depend on (L0, L1, M, eps, Delta), not on f, x0", "-"),
    ),
    provenance={"statement": "printed", "parameters": "printed", "bound": "recalled"},
)
