"""Sympy re-derivations of the paper's constants (Zhang et al., arXiv 1905.11881, v2).

Each derivation is a tuple of :class:`Step` objects, every one checked when it is built
(by sympy, or on a numerical grid where sympy cannot decide, and marked so), ending with
the lab's result, which sympy compares with the recalled expression (for a theorem's
bound: the theorem object's own ``expr``) to compute ``constant_reproduced``
(:func:`compare_constants`; docs/paper.md for the recalled constants):

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

Which derivations belong to which result is declared once, here (:data:`LINKS`); the
theorem objects read it (``THEOREM_3.derivations``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from ..theorems import (
    ARMIJO,
    BETA_NGD,
    EFFECTIVE_L,
    KOLOSKOVA_CLIP,
    LEMMA_2,
    NGD,
    REMARK_5,
    SMOOTHED_CLIP,
    THEOREM_3,
    THEOREM_4,
    THEOREM_6,
    THEOREM_7,
    VANKOV_ETA_CL,
    VANKOV_ETA_SI,
    VANKOV_ETA_STAR,
)
from ._core import SENSES, Derivation, Step, StepCheckError, check_relation, compare_constants
from .followup import (
    armijo_count,
    beta_ngd_count,
    effective_l_count,
    koloskova_count,
    l0l1_upper_model,
    smoothed_clip_count,
    vankov_eta_cl_count,
    vankov_eta_si_count,
    vankov_eta_star_count,
    vankov_steps,
)
from .growth import growth_lemma
from .lower_bound import theorem4_construction, theorem4_sketch
from .ngd import ngd_sandwich
from .remark5 import remark5_ratio
from .stochastic import theorem7_consistent
from .thm3 import descent_inequality, theorem3_constants
from .thm6 import theorem6_constant

if TYPE_CHECKING:
    from ..theorems import Theorem

__all__ = [
    "Derivation",
    "Step",
    "StepCheckError",
    "check_relation",
    "compare_constants",
    "SENSES",
    "LINKS",
    "build",
    "derivations_of",
    "bound_derivation_of",
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
    "vankov2025_eta_star_count": vankov_eta_star_count,
    "vankov2025_eta_si_count": vankov_eta_si_count,
    "vankov2025_eta_cl_count": vankov_eta_cl_count,
    "smoothed_clip_count": smoothed_clip_count,
    "koloskova_count": koloskova_count,
    "beta_ngd_count": beta_ngd_count,
    "armijo_count": armijo_count,
    "effective_l_count": effective_l_count,
}


Builder = Callable[[], Derivation]

#: Result -> (its derivations, the one whose result is compared with the result's ``expr``).
LINKS: tuple[tuple[Theorem, tuple[Builder, ...], Builder | None], ...] = (
    (LEMMA_2, (), None),
    (THEOREM_3, (growth_lemma, descent_inequality, theorem3_constants), theorem3_constants),
    (THEOREM_4, (theorem4_sketch, theorem4_construction), theorem4_sketch),
    (REMARK_5, (remark5_ratio,), None),
    (THEOREM_6, (theorem6_constant,), theorem6_constant),
    (NGD, (ngd_sandwich,), ngd_sandwich),
    (THEOREM_7, (theorem7_consistent,), None),
    # follow-up results (theory.derivations.followup)
    (VANKOV_ETA_STAR, (l0l1_upper_model, vankov_eta_star_count), vankov_eta_star_count),
    (VANKOV_ETA_SI, (l0l1_upper_model, vankov_eta_si_count), vankov_eta_si_count),
    (VANKOV_ETA_CL, (l0l1_upper_model, vankov_eta_cl_count), vankov_eta_cl_count),
    (SMOOTHED_CLIP, (l0l1_upper_model, smoothed_clip_count), smoothed_clip_count),
    (KOLOSKOVA_CLIP, (l0l1_upper_model, vankov_steps, koloskova_count), koloskova_count),
    (BETA_NGD, (l0l1_upper_model, beta_ngd_count), beta_ngd_count),
    (ARMIJO, (l0l1_upper_model, armijo_count), armijo_count),
    (EFFECTIVE_L, (growth_lemma, effective_l_count), effective_l_count),
)


@cache
def build(builder: Builder) -> Derivation:
    """The derivation made by ``builder`` (built and checked once per process, then cached)."""
    return builder()


def _links(theorem: Theorem) -> tuple[tuple[Builder, ...], Builder | None]:
    for t, builders, bound in LINKS:
        if t is theorem:
            return builders, bound
    return (), None


def derivations_of(theorem: Theorem) -> tuple[Derivation, ...]:
    """The derivations of ``theorem`` (see :data:`LINKS`), built once."""
    return tuple(build(b) for b in _links(theorem)[0])


def bound_derivation_of(theorem: Theorem) -> Derivation | None:
    """The derivation that concludes ``theorem``'s bound (``None`` if there is none)."""
    bound = _links(theorem)[1]
    return None if bound is None else build(bound)


def get(name: str) -> Derivation:
    """The derivation ``name`` (built and checked once, then cached).

    Raises
    ------
    ValueError
        For an unknown name (the message lists the known ones).
    """
    try:
        return build(_BUILDERS[name])
    except KeyError:
        raise ValueError(f"unknown derivation {name!r}; known: {', '.join(_BUILDERS)}") from None


def all_derivations() -> tuple[Derivation, ...]:
    """Every derivation, in document order (each checked when built)."""
    return tuple(get(n) for n in _BUILDERS)
