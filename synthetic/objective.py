"""Objectives: one symbolic definition from which everything else is generated.

A :class:`Family` is a sympy expression in the variables ``x`` (or ``x1..xd``)
and in named parameters (polynomial coefficients, exponents of a scale, matrix
entries, ...). It is compiled once (see :mod:`synthetic.codegen`); every
:class:`Objective` of the family is the family plus a vector of parameter values,
so a suite of hundreds of random instances costs one compilation.

The theory side reads :attr:`Objective.expr` (exact: float parameters become
exact binary rationals) and, where known, the structure hints
:attr:`Objective.radial` (a profile ``phi(r)`` with ``f(x) = phi(||x||)``) and
:attr:`Objective.components` (the one-dimensional terms of a separable sum).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import sympy as sp

from .parse import parse_expression, variables_for

__all__ = ["Family", "Objective", "RadialProfile", "objective_from_expr", "R"]

#: The radius variable of radial profiles.
R = sp.Symbol("r", nonnegative=True)


@dataclass(frozen=True)
class RadialProfile:
    """``f(x) = phi(||x||)`` with ``phi`` a sympy expression in :data:`R`."""

    phi: sp.Expr


@dataclass(eq=False)
class Family:
    """A symbolic family ``f(x; p)`` compiled once for all parameter values.

    Parameters
    ----------
    name
        Identifier (also the stem of the generated module name).
    expr
        sympy expression in ``variables`` and ``params``.
    variables
        The variables, ``(x,)`` or ``(x1, ..., xd)`` as made by
        :func:`synthetic.parse.variables_for`.
    params
        Parameter symbols, in the order of the value vectors.
    """

    name: str
    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    params: tuple[sp.Symbol, ...] = ()

    def __post_init__(self) -> None:
        extra = self.expr.free_symbols - set(self.variables) - set(self.params)
        if extra:
            names = ", ".join(sorted(str(s) for s in extra))
            raise ValueError(
                f"the expression has symbols other than the variables: {names}; "
                f"allowed are {', '.join(str(v) for v in self.variables)}"
            )

    @property
    def dim(self) -> int:
        return len(self.variables)

    @cached_property
    def compiled(self):
        """The compiled functions (generated and imported on first use)."""
        from .codegen import compile_family

        return compile_family(self)

    def __call__(self, values=(), **kwargs) -> Objective:
        return Objective(self, np.asarray(values, dtype=np.float64).reshape(-1), **kwargs)


@dataclass(eq=False)
class Objective:
    """One member of a :class:`Family`: the family plus parameter values.

    Attributes
    ----------
    family, values
        The family and the parameter vector (float64).
    name, facts
        A readable name and the known (L0, L1) facts, for catalogue entries.
    radial, components
        Optional structure hints for certification (see module docstring).
    """

    family: Family
    values: np.ndarray = field(default_factory=lambda: np.zeros(0))
    name: str = ""
    facts: str = ""
    radial: RadialProfile | None = None
    components: tuple[Objective, ...] | None = None

    def __post_init__(self) -> None:
        self.values = np.ascontiguousarray(self.values, dtype=np.float64).reshape(-1)
        if self.values.size != len(self.family.params):
            raise ValueError(
                f"family {self.family.name!r} takes {len(self.family.params)} parameters, "
                f"got {self.values.size}"
            )
        if not np.all(np.isfinite(self.values)):
            raise ValueError("parameter values must be finite")
        if not self.name:
            self.name = str(self.expr)

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        return self.family.variables

    @property
    def dim(self) -> int:
        return self.family.dim

    @cached_property
    def expr(self) -> sp.Expr:
        """The exact sympy expression (parameters substituted as exact rationals)."""
        subs = {s: sp.Rational(float(v)) for s, v in zip(self.family.params, self.values)}
        return self.family.expr.xreplace(subs) if subs else self.family.expr

    # --- numerical evaluation (compiled) -------------------------------------------
    def _point(self, x) -> np.ndarray:
        arr = np.asarray(x, dtype=np.float64).reshape(-1)
        if arr.size != self.dim:
            raise ValueError(f"x has {arr.size} coordinates, the objective has {self.dim}")
        return arr

    def f(self, x) -> float:
        """f(x), compiled."""
        return float(self.family.compiled.value(self._point(x), self.values))

    def grad(self, x) -> np.ndarray:
        """The gradient at x, compiled (an array of length ``dim``)."""
        return self.family.compiled.gradient(self._point(x), self.values)

    def grad_norm(self, x) -> float:
        return float(math.sqrt(float(np.sum(self.grad(x) ** 2))))

    def hess_norm(self, x) -> float:
        """The operator norm of the Hessian at x, compiled."""
        return float(self.family.compiled.hess_norm(self._point(x), self.values))

    def __repr__(self) -> str:
        return f"Objective({self.name!r}, dim={self.dim})"


def objective_from_expr(expr: str | sp.Expr, dim: int | None = None, name: str = "") -> Objective:
    """Make an objective from a string (parsed safely) or a sympy expression.

    A sympy expression may use ``x`` or ``x1..xd`` (any assumptions); they are
    replaced by the canonical real variables. A user's expression is a family
    without parameters: it compiles once and the compiled code is cached on disk.
    """
    if isinstance(expr, str):
        text = expr
        parsed, variables = parse_expression(expr, dim)
    else:
        parsed = sp.sympify(expr)
        names = sorted(str(s) for s in parsed.free_symbols)
        text = str(parsed)
        parsed, variables = parse_expression(text, dim) if names else (parsed, None)
        if variables is None:
            variables = variables_for(dim or 1)
    family = Family(name or "user", parsed, variables)
    return Objective(family, name=name or text)
