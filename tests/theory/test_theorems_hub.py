"""The theorem objects as the hub of their trail: registry, links, one bound signature.

Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 (v2 numbering).
"""

from __future__ import annotations

import math

import pytest

from theory.derivations import Derivation, all_derivations
from theory.theorems import ALL, BY_KEY, THEOREM_3, THEOREM_4, THEOREM_6, THEOREM_KINDS

from .test_theorems_standin import StandInCert, convex_frontier


def test_registry_holds_every_result_once():
    assert len({t.key for t in ALL}) == len(ALL)
    assert BY_KEY == {t.key: t for t in ALL}
    assert all(t.kind in THEOREM_KINDS for t in ALL)


def test_links_are_objects_and_every_derivation_belongs_to_a_result():
    linked = [d for t in ALL for d in t.derivations]
    assert all(isinstance(d, Derivation) for d in linked)
    # one place for the links: every derivation of the package is linked to some result
    assert {d.name for d in all_derivations()} == {d.name for d in linked}
    assert {d.name for d in THEOREM_4.derivations} == {"theorem4_sketch", "theorem4_construction"}
    assert [d.name for d in THEOREM_3.derivations][-1] == "theorem3_constants"


@pytest.mark.parametrize("thm", [t for t in ALL if t.has_bound], ids=lambda t: t.key)
def test_one_bound_signature(thm):
    cert = StandInCert(convex_frontier)
    b = thm.bound(cert, 0.1, tau=0.5, T=1e4)
    assert b.name == thm.key and b.kind == thm.kind
    assert b.value == thm.bound_for(cert, 0.1, tau=0.5, T=1e4).value  # the alias
    if thm.method is not None:
        # exactly the keyword arguments of the method's kernel
        assert b.method == thm.method and set(b.run_params) == set(_kernel_params(thm.method))


def _kernel_params(method: str) -> tuple[str, ...]:
    from synthetic.line_search import METHODS
    from synthetic.steprules import rule

    return METHODS[method].params if method in METHODS else rule(method, None).params


def test_results_without_a_bound_say_so():
    for t in ALL:
        if not t.has_bound:
            with pytest.raises(ValueError, match="no bound"):
                t.bound(StandInCert(convex_frontier), 0.1)


def test_planted_scale_applies_inside_the_block_only():
    cert = StandInCert(convex_frontier)
    plain = THEOREM_6.bound(cert, 0.1).value
    with THEOREM_6.planted(1e-3):
        assert math.isclose(THEOREM_6.bound(cert, 0.1).value, plain * 1e-3)
        assert THEOREM_3.bound(cert, 0.1).value > 0  # other results untouched
    assert THEOREM_6.bound(cert, 0.1).value == plain


def test_grid_l1_first_minimizer_tolerance_and_refinement():
    from theory.theorems import grid_l1

    grid = [0.0, 0.1, 1.0, 10.0]
    # (L1 - 1)^2 + 1: minimized at 1 on the grid
    assert grid_l1(lambda l1: (l1 - 1.0) ** 2 + 1.0, grid) == 1.0
    # a flat tail within rtol of the minimum: the smallest such L1
    assert grid_l1(lambda l1: 1.0 if l1 >= 0.1 else 2.0, grid, rtol=1e-9) == 0.1

    # refinement by decades: (log10 L1 - 0.25)^2 is best at 10^0.25 among the offsets
    def f(l1):
        return (math.log10(l1) - 0.25) ** 2 if l1 > 0 else math.inf

    assert grid_l1(f, grid, refine=(-0.25, 0.25, 0.5)) == pytest.approx(10.0**0.25)
    assert grid_l1(f, grid, refine=(0.25,), window=(0.0, 1.5)) == 1.0  # outside the window
    # errors and NaN count as infinite; all infinite gives the first grid point
    assert grid_l1(lambda l1: math.nan if l1 < 1 else 1 / (l1 - 1.0), grid) == 10.0
    assert grid_l1(lambda l1: math.inf, grid) == 0.0
