"""Placeholders for the names a generated module binds (see :mod:`synthetic.codegen`).

Kernel templates (:mod:`synthetic.kernels`, :mod:`synthetic.sweep_kernels`) and step
rules that evaluate f call ``fg`` (the family's f and gradient) and ``step_size`` (the
module's step rule) as globals; :func:`synthetic.codegen.generate_kernel_source` writes
the family's and the rule's own definitions under these names into each generated module
instead of copying these. Here they only make the templates importable (for reading and
linting); calling them raises.
"""

from numba import njit

__all__ = ["BOUND", "fg", "fgh", "step_size"]


@njit
def fg(x, p):  # pragma: no cover - never called
    raise RuntimeError("kernel templates run only inside generated modules")


@njit
def fgh(x, p):  # pragma: no cover - never called
    raise RuntimeError("kernel templates run only inside generated modules")


@njit
def step_size(x, f, g, gn, p, s):  # pragma: no cover - never called
    raise RuntimeError("kernel templates run only inside generated modules")


#: The names every generated module defines itself (never copied from a template).
BOUND = frozenset(__all__) - {"BOUND"}
