"""Sympy re-derivations of the paper's constants (Zhang et al., arXiv 1905.11881, v2).

Each derivation is a tuple of :class:`Step` objects, every one checked when it is built
(by sympy, or on a numerical grid where sympy cannot decide, and marked so), ending with
a comparison between the lab's constant and the one recalled in docs/paper.md:

==========================  =====================================  ====================
derivation                  result                                 recalled vs lab
==========================  =====================================  ====================
``growth_lemma``            Hessian <= 5 L0 + 4 L1 ||g|| on a step  implied (lab: e, e)
``descent_inequality``      per-step descent                        n/a
``theorem3_constants``      Theorem 3: 20 and 20                    reproduced
``theorem6_constant``       Theorem 6: 4                            implied (lab: 8/3)
``ngd_sandwich``            h_n <= h_c <= 2 h_n, NGD count          n/a (lab: 40, 40)
``remark5_ratio``           lower/upper ratio                       reproduced (1/160)
``theorem4_sketch``         Theorem 4 from the sketch               partial
``theorem4_construction``   Theorem 4 from the lab construction     partial
``theorem7_consistent``     Theorem 7, consistent step (median)     not reproduced
``l0l1_upper_model``        (L0, L1) descent inequality (Vankov)    reproduced
``vankov_steps``            eta*, eta_si, eta_cl: a = 1, 1, 1/2     implied (lab 1, 1, 3/4)
``smoothed_clip_count``     smoothed clipping, nonconvex            n/a (lab)
``koloskova_count``         clip_c, any c                           partial (order)
``beta_ngd_count``          1-normalized GD                         n/a (lab: 5, 5)
``armijo_count``            Armijo backtracking                     partial
``effective_l_count``       GD with L = l(2M)                       reproduced (2)
==========================  =====================================  ====================
"""

from __future__ import annotations

from functools import cache

from ._core import Derivation, Step, StepCheckError, check_relation
from .followup import (
    armijo_count,
    beta_ngd_count,
    effective_l_count,
    koloskova_count,
    l0l1_upper_model,
    smoothed_clip_count,
    vankov_steps,
)
from .growth import growth_lemma
from .lower_bound import theorem4_construction
from .ngd import ngd_sandwich
from .remark5 import remark5_ratio
from .stochastic import theorem7_consistent
from .thm3 import descent_inequality, theorem3_constants
from .thm4 import theorem4_sketch
from .thm6 import theorem6_constant

__all__ = [
    "Derivation",
    "Step",
    "StepCheckError",
    "check_relation",
    "growth_lemma",
    "descent_inequality",
    "theorem3_constants",
    "theorem6_constant",
    "ngd_sandwich",
    "remark5_ratio",
    "theorem4_sketch",
    "theorem4_construction",
    "theorem7_consistent",
    "all_derivations",
    "get",
]

_BUILDERS = {
    "growth_lemma": growth_lemma,
    "descent_inequality": descent_inequality,
    "theorem3_constants": theorem3_constants,
    "theorem6_constant": theorem6_constant,
    "ngd_sandwich": ngd_sandwich,
    "remark5_ratio": remark5_ratio,
    "theorem4_sketch": theorem4_sketch,
    "theorem4_construction": theorem4_construction,
    "theorem7_consistent": theorem7_consistent,
    # follow-up results (theory.derivations.followup)
    "l0l1_upper_model": l0l1_upper_model,
    "vankov_steps": vankov_steps,
    "smoothed_clip_count": smoothed_clip_count,
    "koloskova_count": koloskova_count,
    "beta_ngd_count": beta_ngd_count,
    "armijo_count": armijo_count,
    "effective_l_count": effective_l_count,
}


@cache
def get(name: str) -> Derivation:
    """The derivation ``name`` (built and checked once, then cached).

    Raises
    ------
    ValueError
        For an unknown name (the message lists the known ones).
    """
    try:
        return _BUILDERS[name]()
    except KeyError:
        raise ValueError(f"unknown derivation {name!r}; known: {', '.join(_BUILDERS)}") from None


def all_derivations() -> tuple[Derivation, ...]:
    """Every derivation, in document order (each checked when built)."""
    return tuple(get(n) for n in _BUILDERS)
