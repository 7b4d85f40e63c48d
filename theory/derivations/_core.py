"""Derivation steps and the checker that verifies each step when it is built.

A :class:`Step` claims ``lhs REL rhs`` for all positive values of its free symbols
(after an optional substitution that encodes the case hypotheses, e.g. ``g = gamma + d``
for ``g >= gamma``). The claim is checked at construction:

* ``sympy``: ``lhs - rhs`` simplifies to 0 (for ``==``), or, for an inequality, the
  numerator and denominator of ``lhs - rhs`` (put over one denominator) are polynomials in
  the positive symbols whose coefficients are all non-negative numbers. That is a
  sufficient certificate of non-negativity that sympy decides exactly.
* ``numerical grid``: when sympy cannot decide, the difference is evaluated on a grid of
  positive values (log-spaced, 1e-3..1e3, every symbol) and the step is marked so.

Paper: Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 (v2 = ICLR 2020 numbering).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from ..theorems._symbols import latex

__all__ = [
    "Step",
    "Derivation",
    "SENSES",
    "check_relation",
    "compare_constants",
    "StepCheckError",
    "unevaluated_div",
]

_RELS = ("==", ">=", "<=")
_GRID = np.logspace(-3, 3, 9)
_MAX_GRID_POINTS = 20_000


def unevaluated_div(num: sp.Expr, den: sp.Expr) -> sp.Expr:
    """``num/den`` kept unevaluated for display (e.g. ``Delta / (eps^2/(20 L0))``)."""
    return sp.Mul(num, sp.Pow(den, -1, evaluate=False), evaluate=False)


class StepCheckError(AssertionError):
    """A derivation step failed its own check (a bug in the derivation, never silent)."""


def _nonneg_by_coefficients(expr: sp.Expr) -> bool:
    """True when ``expr`` is provably >= 0 for positive symbols (coefficient test)."""
    expr = sp.together(sp.expand(expr))
    num, den = sp.fraction(expr)
    for part in (num, den):
        part = sp.expand(part)
        syms = sorted(part.free_symbols, key=str)
        if not syms:
            val = complex(sp.N(part))
            if val.imag != 0 or val.real < 0:
                return False
            continue
        try:
            poly = sp.Poly(part, *syms)
        except sp.PolynomialError:
            return False
        for c in poly.coeffs():
            if c.free_symbols:
                return False
            v = float(sp.N(c))
            if v < 0:
                return False
    return True


def _grid_check(diff: sp.Expr, rel: str) -> bool:
    syms = sorted(diff.free_symbols, key=str)
    f = sp.lambdify(syms, diff, "numpy")
    if not syms:
        vals = [float(sp.N(diff))]
    else:
        n = len(syms)
        grid = _GRID
        while len(grid) ** n > _MAX_GRID_POINTS and len(grid) > 3:
            grid = grid[::2]
        vals = []
        for point in itertools.product(grid, repeat=n):
            with np.errstate(all="ignore"):
                vals.append(float(f(*point)))
    arr = np.asarray(vals, dtype=float)
    arr = arr[np.isfinite(arr)]
    if arr.size == 0:
        return False
    scale = 1e-9 * max(1.0, float(np.max(np.abs(arr))))
    if rel == "==":
        return bool(np.all(np.abs(arr) <= scale))
    if rel == ">=":
        return bool(np.all(arr >= -scale))
    return bool(np.all(arr <= scale))


def check_relation(lhs: sp.Expr, rel: str, rhs: sp.Expr) -> tuple[bool, str]:
    """Check ``lhs REL rhs`` for all positive values of the symbols.

    Returns
    -------
    (holds, method)
        ``method`` is ``"sympy"`` when sympy decided it and ``"numerical grid"`` otherwise.
    """
    if rel not in _RELS:
        raise ValueError(f"relation must be one of {_RELS}, got {rel!r}")
    diff = sp.sympify(lhs) - sp.sympify(rhs)
    if rel == "==":
        if sp.simplify(diff) == 0:
            return True, "sympy"
        return _grid_check(diff, rel), "numerical grid"
    signed = diff if rel == ">=" else -diff
    simp = sp.simplify(signed)
    if simp.is_nonnegative or _nonneg_by_coefficients(signed) or _nonneg_by_coefficients(simp):
        return True, "sympy"
    return _grid_check(signed, ">="), "numerical grid"


@dataclass(frozen=True)
class Step:
    """One checked step of a derivation: ``lhs REL rhs`` under ``where``.

    Parameters
    ----------
    claim
        The statement in words (plain text).
    lhs, rel, rhs
        The relation, with ``rel`` one of ``"=="``, ``">="``, ``"<="``.
    justification
        Why it holds (the proof step it re-derives).
    where
        Substitutions encoding the case hypotheses before checking, e.g.
        ``{g: gamma + d}`` for ``g >= gamma`` with ``d >= 0``; shown in renderings.
    case
        Optional sympy condition of the case this step belongs to (e.g. ``L1 <= 1/10``);
        renderings with numbers say when the case does not apply.
    """

    claim: str
    lhs: sp.Expr
    rel: str
    rhs: sp.Expr
    justification: str
    where: Mapping[sp.Symbol, sp.Expr] = field(default_factory=dict)
    case: sp.Basic | None = None
    check: str = field(init=False, default="")
    holds: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        lhs = _apply_where(self.lhs, self.where)
        rhs = _apply_where(self.rhs, self.where)
        holds, method = check_relation(lhs, self.rel, rhs)
        object.__setattr__(self, "holds", holds)
        object.__setattr__(self, "check", method)
        if not holds:
            raise StepCheckError(f"derivation step does not hold: {self.claim}: {self.text()}")

    def text(self) -> str:
        """The relation in plain text."""
        rel = {"==": "=", ">=": ">=", "<=": "<="}[self.rel]
        return f"{sp.sstr(self.lhs)} {rel} {sp.sstr(self.rhs)}"

    def latex(self) -> str:
        """The relation in LaTeX."""
        rel = {"==": "=", ">=": r"\ge", "<=": r"\le"}[self.rel]
        return f"{latex(self.lhs)} {rel} {latex(self.rhs)}"

    def applies(self, values: Mapping[sp.Symbol, float]) -> bool | None:
        """Whether the step's case holds at ``values`` (None when undecided or no case)."""
        if self.case is None:
            return None
        c = self.case.subs({k: sp.Float(v) for k, v in values.items()})
        if c is sp.true:
            return True
        if c is sp.false:
            return False
        return None

    def evaluate(self, values: Mapping[sp.Symbol, float]) -> tuple[float, float]:
        """Both sides with numbers substituted (symbols not in ``values`` must be absent)."""
        lhs = _apply_where(self.lhs, self.where).subs(dict(values))
        rhs = _apply_where(self.rhs, self.where).subs(dict(values))
        return _to_float(lhs), _to_float(rhs)


def _apply_where(expr: sp.Expr, where: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """Substitute ``where`` until nothing changes (replacements may contain other keys)."""
    out = sp.sympify(expr)
    for _ in range(len(where) + 1):
        new = out.subs(dict(where))
        if new == out:
            break
        out = new
    return out


def _to_float(x: sp.Expr) -> float:
    try:
        return float(sp.N(x))
    except (TypeError, ValueError):
        return math.nan


#: How a derivation's result is compared with its target (see :func:`compare_constants`).
SENSES = ("upper", "lower", "order")


def compare_constants(
    result: sp.Expr | None,
    target: sp.Expr | None,
    sense: str = "upper",
    *,
    agree_on: Mapping[sp.Symbol, sp.Expr] | None = None,
    limit: tuple[sp.Symbol, sp.Expr] | None = None,
) -> str:
    """How the lab's ``result`` compares with the recalled ``target`` (sympy decides).

    Parameters
    ----------
    result, target
        The lab's concluded expression and the recalled one (for a theorem's bound, the
        theorem object's own ``expr``); ``target=None``: nothing recalled to compare with.
    sense
        ``"upper"``: a bound on T_eps from above, so a smaller lab result implies the
        target; ``"lower"``: from below, a larger one implies it; ``"order"``: the two
        are compared up to a constant factor as ``limit`` is taken.
    agree_on, limit
        For ``"partial"``: a specialization (substitution) and a limit ``(symbol, point)``
        at which the two must agree (ratio tending to 1) when neither implies the other.

    Returns
    -------
    str
        ``"reproduced"`` (equal; for ``"order"``: the ratio tends to a positive finite
        constant, the recalled order is reproduced), ``"implied"`` (the lab's result
        implies the target for all positive values of the symbols), ``"partial"`` (equal
        only at the stated specialization and limit), or
        ``"not_reproduced"``; ``"not_applicable"`` without a target.
    """
    if sense not in SENSES:
        raise ValueError(f"sense must be one of {SENSES}, got {sense!r}")
    if target is None or result is None:
        return "not_applicable"
    result, target = sp.sympify(result), sp.sympify(target)
    if sp.simplify(result - target) == 0:
        return "reproduced"
    if sense == "order":
        if limit is None:
            raise ValueError("sense 'order' needs limit=(symbol, point)")
        ratio = sp.limit(sp.simplify(result / target), *limit)
        same_order = ratio.is_finite and ratio.is_positive
        return "reproduced" if same_order else "not_reproduced"
    rel = "<=" if sense == "upper" else ">="
    holds, method = check_relation(result, rel, target)
    if holds and method == "sympy":
        return "implied"
    if agree_on is not None and limit is not None:
        ratio = sp.simplify(_apply_where(result / target, agree_on))
        if sp.simplify(sp.limit(ratio, *limit) - 1) == 0:
            return "partial"
    return "not_reproduced"


@dataclass(frozen=True)
class Derivation:
    """A re-derivation of one constant: checked steps ending in a comparison.

    Attributes
    ----------
    name, title, theorem
        Identifier, heading and the result it concerns (v2 numbering).
    steps
        The checked :class:`Step` objects, in order.
    recalled, lab
        Constants as recalled in docs/paper.md and as the lab's derivation gives them
        (``{name: sympy number or expression}``), for display.
    conclusion
        One paragraph stating the outcome and any difference.
    result
        The lab's concluded expression (e.g. the bound its steps establish).
    target
        What ``result`` is compared with: the recalled expression (for a derivation of a
        theorem's bound, the theorem object's own ``expr``); ``None`` when nothing is
        recalled.
    sense, agree_on, limit
        How the two are compared (see :func:`compare_constants`).
    constant_reproduced
        Computed (never written by hand) by :func:`compare_constants`: ``"reproduced"``,
        ``"implied"`` (the lab's result implies the recalled one), ``"partial"``,
        ``"not_reproduced"`` or ``"not_applicable"`` (nothing recalled to compare with).
    """

    name: str
    title: str
    theorem: str
    steps: tuple[Step, ...]
    recalled: Mapping[str, sp.Expr]
    lab: Mapping[str, sp.Expr]
    conclusion: str
    symbols: tuple[sp.Symbol, ...] = ()
    result: sp.Expr | None = None
    target: sp.Expr | None = None
    sense: str = "upper"
    agree_on: Mapping[sp.Symbol, sp.Expr] | None = None
    limit: tuple[sp.Symbol, sp.Expr] | None = None
    constant_reproduced: str = field(init=False, default="")

    def __post_init__(self) -> None:
        label = compare_constants(
            self.result, self.target, self.sense, agree_on=self.agree_on, limit=self.limit
        )
        object.__setattr__(self, "constant_reproduced", label)

    @property
    def all_checked(self) -> bool:
        """Every step held when it was built (always True: failures raise)."""
        return all(s.holds for s in self.steps)

    @property
    def checks(self) -> tuple[str, ...]:
        """How each step was checked (``"sympy"`` or ``"numerical grid"``)."""
        return tuple(s.check for s in self.steps)

    def _repr_markdown_(self) -> str:
        """The steps in LaTeX, shown by Jupyter (:func:`theory.notebook.derivation_markdown`)."""
        from ..notebook import derivation_markdown

        return derivation_markdown(self)
