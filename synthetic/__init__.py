"""Numerical side of the lab: objectives, step rules, compiled kernels and runs."""

from .objective import Family, Objective, RadialProfile, objective_from_expr
from .parse import parse_expression, variables_for
from .run import run

__all__ = [
    "Family",
    "Objective",
    "RadialProfile",
    "objective_from_expr",
    "parse_expression",
    "run",
    "variables_for",
]
