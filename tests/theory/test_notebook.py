"""Jupyter rendering of certificates, bounds and derivations (arXiv 1905.11881 v2).

The certificate of f(x) = x^8/8 + x^2/2 at x0 = 4 has closed forms: S0 = [-4, 4],
S = [-5, 5], Δ = f(4) = 8200, M = f'(4) = 4^7 + 4 = 16388, L = f''(5) = 7·5^6 + 1 = 109376
and L0*(0) = L.
"""

from __future__ import annotations

import re

import pytest

from theory import derivations
from theory.render import _md_safe
from theory.smoothness import certify
from theory.theorems import THEOREM_3


@pytest.fixture(scope="module")
def cert():
    return certify("x**8/8 + x**2/2", 4.0)


def _f(x: float) -> float:
    return x**8 / 8 + x**2 / 2


def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_certificate_markdown_shows_its_numbers(cert):
    md = cert._repr_markdown_()
    delta, m, big_l = _f(4.0) - 0.0, 4.0**7 + 4.0, 7 * 5.0**6 + 1
    assert (delta, m, big_l) == (8200.0, 16388.0, 109376.0)
    for value in (delta, m, big_l):
        assert f"${value:.6g}$" in md
    assert "$[-4, 4]$" in md and "$[-5, 5]$" in md  # S0 and S
    assert "| $0$ | $109376$ |" in md  # L0*(0) = L on the frontier table
    assert r"\frac{x^{8}}{8} + \frac{x^{2}}{2}" in md and "x_0 = 4" in md
    assert r"L_0^*(L_1) = \sup_{x \in S}" in md


def test_certificate_tables_are_well_formed(cert):
    md = certify("x1**2 + x2**4", [1.0, 2.0])._repr_markdown_() + cert._repr_markdown_()
    for line in md.splitlines():
        if line.startswith("|"):
            assert _unescaped_pipes(line) == 4, line  # three columns, reasons' pipes escaped


def test_bound_markdown_shows_formula_and_value(cert):
    b = THEOREM_3.bound_for(cert, 1e-2)
    md = b._repr_markdown_()
    assert r"T_\varepsilon \le" in md and b.theorem in md
    shown = re.findall(r"= ([0-9.]+)(?: \\times 10\^\{(-?\d+)\})?\n\$\$", md)
    assert shown, md
    mant, exp = shown[0]
    assert float(mant) * 10 ** int(exp or 0) == pytest.approx(b.value, rel=1e-5)


def test_derivation_markdown_has_every_step_in_latex():
    d = derivations.get("theorem6_constant")
    md = d._repr_markdown_()
    assert md.startswith(f"### {d.title}")
    for st in d.steps:
        assert _md_safe(st.latex()) in md
    assert md.count("$$") >= 2 * len(d.steps)


def test_readme_notebook_example_renders_the_certificate():
    import ast
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    (block,) = re.findall(r"```py\n(.*?)```", readme, flags=re.S)
    tree = ast.parse(block)
    *body, last = tree.body
    assert isinstance(last, ast.Expr)  # a cell's last line: Jupyter displays its value
    ns: dict = {}
    exec(compile(ast.Module(body=body, type_ignores=[]), "README.md", "exec"), ns)
    shown = eval(compile(ast.Expression(last.value), "README.md", "eval"), ns)
    md = shown._repr_markdown_()
    assert "| quantity | value | how |" in md and "$16388$" in md  # M = f'(4) = 4^7 + 4
