"""Placeholders for the globals of kernel templates (see :mod:`synthetic.kernels`).

Generated modules bind ``fg`` to a family's function and ``step`` to a step rule.
Here they only make the template importable (for reading and linting); calling the
template's kernels directly raises.
"""

from numba import njit

__all__ = ["fg", "step"]


@njit
def fg(x, p):  # pragma: no cover - never called
    raise RuntimeError("kernel templates run only inside generated modules")


@njit
def step(gn, s):  # pragma: no cover - never called
    raise RuntimeError("kernel templates run only inside generated modules")
