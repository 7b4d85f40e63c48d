"""Rendering of theorems, bounds and derivations (text and Markdown with LaTeX)."""

from __future__ import annotations

import json
import math
import re

import pytest

from theory import render
from theory.derivations import all_derivations, get
from theory.theorems import ALL, THEOREM_3

from .test_theorems_standin import StandInCert, convex_frontier, small_frontier

KEYS = {"thm3_clipped_gd", "thm6_gd", "ngd", "thm4_gd_lower"}
SGD_KEYS = {"thm7_clipped_sgd", "thm8_sgd"}
#: the follow-up results, added from the registry after the paper's
FOLLOWUP_KEYS = {t.key for t in ALL if getattr(t, "followup", False)}


def balanced_math(md: str) -> bool:
    """``$$`` blocks pair up, and every remaining line has an even number of ``$``."""
    if md.count("$$") % 2:
        return False
    rest = re.sub(r"\$\$.*?\$\$", "", md, flags=re.S)
    return all(line.count("$") % 2 == 0 for line in rest.splitlines())


def no_markdown_escapes_in_math(md: str) -> bool:
    return "\\{" not in md and "\\}" not in md and "\\|" not in md


@pytest.mark.parametrize("thm", ALL, ids=lambda t: t.key)
def test_theorem_statements(thm):
    text = render.render_theorem(thm, "text")
    md = render.render_theorem(thm, "markdown")
    for out in (text, md):
        version = thm.source if getattr(thm, "followup", False) else "v2"
        assert thm.number in out and version in out and "Provenance" in out
    assert md.startswith("### ") and balanced_math(md) and no_markdown_escapes_in_math(md)
    assert "$" not in text


def test_bounds_json_names_and_fields():
    cert = StandInCert(convex_frontier)
    j = render.bounds_json(cert, 0.01)
    assert set(j) == KEYS | FOLLOWUP_KEYS
    j2 = render.bounds_json(cert, 0.01, tau=0.1, T=1e5)
    assert set(j2) == KEYS | SGD_KEYS | FOLLOWUP_KEYS
    for entry in j2.values():
        for field in ("kind", "value", "params", "provenance", "constant_reproduced"):
            assert field in entry
    assert set(j2["thm3_clipped_gd"]["theorem_params"]) == {"eta_c", "gamma"}
    assert set(j2["thm6_gd"]["theorem_params"]) == {"h"}
    assert set(j2["ngd"]["theorem_params"]) == {"eta", "beta"}
    assert j2["thm3_clipped_gd"]["pair_choice"] == "minimizing"
    assert j2["thm4_gd_lower"]["kind"] == "lower"
    json.dumps(j2, allow_nan=False)


def test_bounds_json_out_of_class_and_infinite_m():
    cert = StandInCert(small_frontier, M=math.inf, delta=1.0)
    j = render.bounds_json(cert, 0.5)
    json.dumps(j, allow_nan=False)
    assert any("outside Theorem 4's class" in n for n in j["thm4_gd_lower"]["notes"])
    assert j["thm6_gd"]["value"] == "inf"


def test_bounds_section_text_and_markdown():
    cert = StandInCert(convex_frontier)
    text = render.bounds_section(cert, 0.01, tau=0.1, T=1e5, fmt="text")
    md = render.bounds_section(cert, 0.01, tau=0.1, T=1e5, fmt="markdown")
    for key in KEYS | SGD_KEYS:
        assert key in text and key in md
    assert "minimizing" in text and "recalled" in text and "with numbers" in text
    assert balanced_math(md) and no_markdown_escapes_in_math(md)
    with pytest.raises(ValueError, match="fmt"):
        render.bounds_section(cert, 0.01, fmt="html")


def test_derivation_rendering_symbolic_and_numeric():
    d = get("theorem3_constants")
    sym = render.render_derivation(d, "text")
    assert "numbers:" not in sym and "constant_reproduced: reproduced" in sym
    b = THEOREM_3.bound(StandInCert(convex_frontier), 0.01)
    num = render.render_derivation(d, "text", values=render.bound_values(b))
    assert "numbers:" in num
    # the minimizing pair has L1 > 1 here, so the L1 <= 1/10 cases are marked as not applying
    assert b.L1 > 1 and "this case does not apply here" in num
    md = render.render_derivation(d, "markdown", values=render.bound_values(b))
    assert balanced_math(md) and "With numbers" in md


def test_report_contains_statement_bound_and_derivations():
    cert = StandInCert(convex_frontier)
    text = render.report(cert, 0.01, fmt="text")
    assert "Theorem 3" in text and "Derivation:" in text and "numbers:" in text
    md = render.report(cert, 0.01, tau=0.1, T=1e4, fmt="markdown")
    assert balanced_math(md) and no_markdown_escapes_in_math(md)


def test_derivations_markdown_document():
    md = render.derivations_markdown()
    assert md.startswith("# Derivations")
    for d in all_derivations():
        assert d.title in md
    assert "recalled" in md and "reproduced" in md
    assert balanced_math(md) and no_markdown_escapes_in_math(md)
