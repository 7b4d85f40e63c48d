"""The sympy symbols shared by the theorem objects and the derivations.

All constants are declared positive; a constant that may vanish (``L1 = 0`` for an
L-smooth function, ``tau = 0`` without noise) is handled by the numeric code and by
continuity in the symbolic checks.
"""

from __future__ import annotations

import sympy as sp

__all__ = [
    "L0",
    "L1",
    "M",
    "DELTA",
    "EPS",
    "TAU",
    "T",
    "G",
    "H",
    "ETA",
    "ETA_C",
    "ETA_N",
    "GAMMA",
    "BETA",
    "S",
    "DELTA_EFF",
    "LATEX_NAMES",
    "latex",
]

L0, L1, M = sp.symbols("L0 L1 M", positive=True)
DELTA = sp.Symbol("Delta", positive=True)
EPS = sp.Symbol("eps", positive=True)
TAU = sp.Symbol("tau", positive=True)
T = sp.Symbol("T", positive=True)
#: ``||g||``, the norm of the (possibly stochastic) gradient at the current iterate.
G = sp.Symbol("g", positive=True)
H = sp.Symbol("h", positive=True)
ETA = sp.Symbol("eta", positive=True)
ETA_C = sp.Symbol("eta_c", positive=True)
ETA_N = sp.Symbol("eta_n", positive=True)
GAMMA = sp.Symbol("gamma", positive=True)
BETA = sp.Symbol("beta", positive=True)
#: distance travelled along a segment
S = sp.Symbol("s", nonnegative=True)
#: Theorem 7's effective gap Delta'
DELTA_EFF = sp.Symbol("Delta_eff", positive=True)

#: LaTeX names for :func:`sympy.latex` (``symbol_names=``); plain text uses the names.
LATEX_NAMES = {
    EPS: r"\varepsilon",
    G: r"\|g\|",
    DELTA_EFF: r"\Delta'",
}


def latex(expr: sp.Basic) -> str:
    """LaTeX of ``expr`` with the lab's symbol names (``||g||``, ``\\varepsilon``)."""
    return sp.latex(expr, symbol_names=LATEX_NAMES)
