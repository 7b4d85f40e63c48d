"""The README's claims table is the one generated from the experiments' THEOREMS references."""

from __future__ import annotations

import re
from pathlib import Path

from figures.framework import discover
from figures.report import claims_table

ROOT = Path(__file__).resolve().parents[1]


def test_readme_claims_table_matches_the_generated_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- claims table:[^\n]*-->\n(.*?)<!-- end of claims table -->", readme, re.S)
    assert m, "README.md lacks the generated claims table markers"
    assert m.group(1) == claims_table(discover())


def test_every_theorem_claim_names_its_results_by_reference():
    for e in discover().values():
        if e.kind == "theorem":
            assert e.theorems, e.name
        for t in e.theorems:
            assert e in t.experiments
