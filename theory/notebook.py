"""Markdown with LaTeX math for Jupyter: certificates, bounds and derivations render themselves.

Jupyter shows an object's ``_repr_markdown_()`` when it is the last line of a cell;
:class:`theory.smoothness.Certificate`, :class:`theory.theorems.Bound` and
:class:`theory.derivations.Derivation` return the functions of this module there. Bounds
and derivations reuse the Markdown of :mod:`theory.render`; a certificate is a table of its
constants, each with the formula defining it (arXiv 1905.11881 v2, Definition 1 and
Assumptions 1-4; docs/paper.md).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import sympy as sp

from .render import _latex_num, _md_safe, render_bound, render_derivation

if TYPE_CHECKING:
    from .derivations import Derivation
    from .smoothness import Certificate
    from .theorems import Bound

__all__ = ["bound_markdown", "certificate_markdown", "derivation_markdown"]

_PAPER = "arXiv 1905.11881 v2"


def _cell(text: str) -> str:
    """Plain text for a Markdown table cell (pipes escaped, one line)."""
    return " ".join(str(text).split()).replace("|", r"\|")


def _expr_latex(expression: str) -> str:
    try:
        return _md_safe(sp.latex(sp.sympify(expression)))
    except (sp.SympifyError, TypeError, ValueError, SyntaxError):
        return r"\texttt{" + expression.replace("_", r"\_") + "}"


def _point(x: tuple[float, ...]) -> str:
    if len(x) == 1:
        return _latex_num(x[0])
    return r"\left(" + ", ".join(_latex_num(v) for v in x) + r"\right)"


def _interval(lo: float, hi: float) -> str:
    left = "(" if math.isinf(lo) else "["
    right = ")" if math.isinf(hi) else "]"
    lo_s = r"-\infty" if math.isinf(lo) else _latex_num(lo)
    return f"{left}{lo_s}, {_latex_num(hi)}{right}"


def _intervals(ivs) -> str:
    return r" \cup ".join(_interval(lo, hi) for lo, hi in ivs) or r"\emptyset"


def _set_latex(s: object) -> str:
    """LaTeX of a sublevel set or neighbourhood, as a certificate holds it."""
    if isinstance(s, tuple) and s and s[0] == "ball":
        _, center, radius = s
        return rf"\lVert x - {_point(tuple(center))} \rVert \le {_latex_num(radius)}"
    if isinstance(s, tuple) and s and s[0] == "shells":
        _, center, shells = s
        rs = r" \cup ".join(_interval(lo, hi) for lo, hi in shells)
        return rf"\lVert x - {_point(tuple(center))} \rVert \in {rs}"
    if isinstance(s, tuple) and s and s[0] == "box":
        return r" \times ".join(_intervals(ivs) for ivs in s[1])
    if isinstance(s, tuple) and all(isinstance(iv, tuple) and len(iv) == 2 for iv in s):
        return _intervals(s)
    return r"\texttt{" + _cell(s) + "}"


def certificate_markdown(cert: Certificate) -> str:
    """The certificate as a Markdown table: each constant, its defining formula, its value.

    Rows: ``f*`` (Assumption 1), ``Δ``, the sublevel set ``S0`` and the set ``S`` around
    it, ``M = sup_{S0} ||∇f||`` (Assumption 4), ``L = sup_S ||∇²f||`` and whether finite
    (L0, L1) hold on all of R^d; then the frontier ``L0*(L1)`` (Definition 1 on S) over
    :data:`theory.smoothness.DEFAULT_L1_GRID`, with the points attaining it.
    """
    x0 = tuple(cert.x0)
    rows = [
        (r"$f^* \le \inf f$ (Assumption 1)", f"${_latex_num(cert.f_star)}$", ""),
        (r"$\Delta = f(x_0) - f^*$", f"${_latex_num(cert.delta)}$", ""),
        (r"$S_0 = \lbrace x : f(x) \le f(x_0) \rbrace$", f"${_set_latex(cert.sublevel)}$", ""),
        (
            rf"$S$ (points within ${_latex_num(cert.radius)}$ of $S_0$)",
            f"${_set_latex(cert.neighbourhood)}$",
            "",
        ),
        (
            r"$M = \sup_{S_0} \lVert \nabla f \rVert$ (Assumption 4)",
            f"${_latex_num(cert.M)}$",
            _cell(cert.M_reason),
        ),
        (
            r"$L = \sup_S \lVert \nabla^2 f \rVert$",
            f"${_latex_num(cert.L)}$",
            f"attained at $x = {_point(tuple(cert.L_witness))}$",
        ),
        (
            r"finite $(L_0, L_1)$ on $\mathbb{R}^d$",
            "yes" if cert.global_class else "no",
            _cell(cert.global_reason),
        ),
    ]
    lines = [
        rf"### $(L_0, L_1)$-smoothness certificate of $f(x) = {_expr_latex(cert.expression)}$"
        rf" at $x_0 = {_point(x0)}$",
        "",
        f"*{_PAPER}: Definition 1, Assumptions 1-4; method: {cert.method}; d = {cert.dim}*",
        "",
        "| quantity | value | how |",
        "|---|---|---|",
        *(f"| {q} | {v} | {w} |" for q, v, w in rows),
        "",
        "Frontier (Definition 1 on $S$ holds with every pair $(L_0^*(L_1), L_1)$, and with "
        "no smaller $L_0$):",
        "",
        "$$",
        r"L_0^*(L_1) = \sup_{x \in S} \left( \lVert \nabla^2 f(x) \rVert"
        r" - L_1 \lVert \nabla f(x) \rVert \right)^+",
        "$$",
        "",
        r"| $L_1$ | $L_0^*(L_1)$ | attained at |",
        "|---|---|---|",
        *(
            f"| ${_latex_num(l1)}$ | ${_latex_num(l0)}$ | ${_point(tuple(w))}$ |"
            for l1, l0, w in cert.frontier_table
        ),
        "",
    ]
    if cert.notes:
        lines += [f"*Notes:* {cert.notes}", ""]
    return "\n".join(lines)


def bound_markdown(bound: Bound) -> str:
    """A bound's formula, with numbers, pair and provenance (:func:`theory.render.render_bound`)."""
    return render_bound(bound, "markdown")


def derivation_markdown(derivation: Derivation) -> str:
    """A derivation step by step in LaTeX (:func:`theory.render.render_derivation`)."""
    return render_derivation(derivation, "markdown")
