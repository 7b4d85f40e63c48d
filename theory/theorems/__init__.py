"""The paper's results as objects: statements, hypotheses, parameters, bounds.

Zhang, He, Sra, Jadbabaie, arXiv 1905.11881, v2 = ICLR 2020 numbering (v1 numbering
unverified). One module per result; :data:`ALL` is the registry of every result:

=================  ==========================  =====  ===================  ============
object             result                      kind   parameters           bound const.
=================  ==========================  =====  ===================  ============
``LEMMA_2``        strictly weaker smoothness  class  -                    printed
``THEOREM_3``      clipped GD                  upper  eta_c, gamma         recalled
``THEOREM_4``      fixed-step GD (class)       lower  (none)               recalled
``REMARK_5``       ratio lower/upper           ratio  -                    lab limit
``THEOREM_6``      fixed-step GD               upper  h                    recalled
``NGD``            normalized GD (equivalence) upper  eta, beta            lab
``THEOREM_7``      clipped SGD                 upper  eta, clip_*          lab
``THEOREM_8``      SGD                         upper  h                    recalled
``VANKOV_ETA_*``   GD, eta*, eta_si, eta_cl    upper  L0, L1               recalled
``SMOOTHED_CLIP``  smoothed clipping           upper  eta, L0, L1          lab
``KOLOSKOVA_CLIP`` clip_c GD                   upper  eta, c               lab
``BETA_NGD``       1-normalized GD             upper  gamma, beta          lab
``ARMIJO``         Armijo backtracking         upper  t0, shrink, armijo_c recalled
``EFFECTIVE_L``    GD, L = L0 + 2 L1 M         upper  h                    lab
=================  ==========================  =====  ===================  ============

The follow-up results (Vankov et al. 2025, Gorbunov et al. 2025, Koloskova et al. 2023,
Chen et al. 2023, Hübler et al. 2024, Li et al. 2023) are
:class:`theory.theorems._followup.FollowUpTheorem` objects with their own source and version.

Each result is the hub of its trail: ``derivations`` (the :mod:`theory.derivations`
objects that establish or check its constants), ``experiments`` (the ``figures``
experiments that check it, registered when ``figures`` declares them), ``kind``,
``provenance`` and ``constant_reproduced`` (computed by sympy from the bound
derivation's result and the result's own ``expr``). Every result with a bound has
``bound(cert, eps, *, L1=None, L0=None, tau=None, T=None) -> Bound``; by default it uses
the certified pair ``(L0*(L1), L1)`` minimizing the bound (``Bound.pair_choice ==
"minimizing"``); ``at(numbers...)`` evaluates it at plain numbers; ``bound_for`` is an
alias of ``bound``.
"""

from __future__ import annotations

from ._base import (
    PAPER,
    PAPER_VERSION,
    PROVENANCES,
    REPRODUCED,
    THEOREM_KINDS,
    Bound,
    CertificateLike,
    Hypothesis,
    Theorem,
    choose_pair,
    grid_l1,
)
from .armijo import ARMIJO
from .beta_ngd import BETA_NGD
from .effective_l import EFFECTIVE_L
from .koloskova_clip import KOLOSKOVA_CLIP
from .lemma2 import LEMMA_2
from .lower_bound import THEOREM_4, validate_class
from .ngd import NGD, clipped_step, normalized_step
from .remark5 import REMARK_5, Ratio
from .smoothed_clip import SMOOTHED_CLIP
from .thm3 import THEOREM_3
from .thm6 import THEOREM_6
from .thm7 import READINGS, THEOREM_7
from .thm8 import THEOREM_8
from .vankov import VANKOV_ETA_CL, VANKOV_ETA_SI, VANKOV_ETA_STAR

__all__ = [
    "PAPER",
    "PAPER_VERSION",
    "PROVENANCES",
    "REPRODUCED",
    "THEOREM_KINDS",
    "Bound",
    "CertificateLike",
    "Hypothesis",
    "Theorem",
    "Ratio",
    "choose_pair",
    "grid_l1",
    "validate_class",
    "clipped_step",
    "normalized_step",
    "READINGS",
    "THEOREM_3",
    "THEOREM_4",
    "THEOREM_6",
    "THEOREM_7",
    "THEOREM_8",
    "NGD",
    "REMARK_5",
    "LEMMA_2",
    "VANKOV_ETA_STAR",
    "VANKOV_ETA_SI",
    "VANKOV_ETA_CL",
    "SMOOTHED_CLIP",
    "KOLOSKOVA_CLIP",
    "BETA_NGD",
    "ARMIJO",
    "EFFECTIVE_L",
    "ALL",
    "BY_KEY",
]

#: Every result, in the paper's order.
ALL: tuple[Theorem, ...] = (
    LEMMA_2,
    THEOREM_3,
    THEOREM_4,
    REMARK_5,
    THEOREM_6,
    NGD,
    THEOREM_7,
    THEOREM_8,
    VANKOV_ETA_STAR,  # follow-up results (theory.theorems._followup)
    VANKOV_ETA_SI,
    VANKOV_ETA_CL,
    SMOOTHED_CLIP,
    KOLOSKOVA_CLIP,
    BETA_NGD,
    ARMIJO,
    EFFECTIVE_L,
)
#: Results by key (``"thm3_clipped_gd"``, ``"thm6_gd"``, ``"ngd"``, ...).
BY_KEY: dict[str, Theorem] = {t.key: t for t in ALL}
