"""Rendering of theorems, bounds and derivations: plain text and Markdown with LaTeX.

Plain text is meant to be read line by line in a terminal; Markdown uses ``$...$`` and
``$$...$$`` (display blocks on their own lines), which GitHub renders. Every bound carries
its provenance: paper version and result, whether its constant is printed, recalled or the
lab's, and whether the lab's derivation reproduces it.

Paper: Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 (v2 = ICLR 2020 numbering).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from typing import Any

import sympy as sp

from . import derivations as _der
from .theorems import (
    ALL,
    BY_KEY,
    NGD,
    PAPER,
    PAPER_VERSION,
    THEOREM_3,
    THEOREM_4,
    THEOREM_6,
    THEOREM_7,
    THEOREM_8,
    Bound,
    CertificateLike,
    Theorem,
)
from .theorems._symbols import DELTA, EPS, ETA_C, GAMMA, L0, L1, TAU, H, M, T, latex

__all__ = [
    "FORMATS",
    "compute_bounds",
    "bounds_json",
    "bounds_section",
    "render_theorem",
    "render_bound",
    "render_derivation",
    "derivations_markdown",
    "report",
    "bound_values",
]

FORMATS = ("text", "markdown")
_WIDTH = 92
_REL_TEXT = {"==": "=", ">=": ">=", "<=": "<="}


def _md_safe(s: str) -> str:
    """Avoid Markdown backslash escapes inside math (``\\{`` -> ``\\lbrace`` etc.)."""
    return s.replace(r"\{", r"\lbrace{}").replace(r"\}", r"\rbrace{}").replace(r"\|", r"\Vert{}")


def _check_fmt(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, got {fmt!r}")


def _num(x: float) -> str:
    if x is None:
        return "n/a"
    x = float(x)
    if math.isnan(x):
        return "n/a"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.6g}"


def _wrap(s: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(s, _WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def _display_blocks(s: str) -> str:
    """Put every ``$$...$$`` on its own lines (GitHub renders display math reliably so)."""
    parts = s.split("$$")
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append("\n\n$$\n" + part.strip() + "\n$$\n\n")
        else:
            out.append(part.strip() if len(parts) > 1 else part)
    return "".join(out).strip()


def _substituted(expr: sp.Expr, values: Mapping[sp.Symbol, float]) -> sp.Expr:
    rep = {s: sp.Float(v, 4) for s, v in values.items() if v is not None and math.isfinite(v)}
    with sp.evaluate(False):
        return sp.sympify(expr).xreplace(rep)


# ----------------------------------------------------------------------------- theorems
def render_theorem(thm: Theorem, fmt: str = "text") -> str:
    """One result's statement, hypotheses and provenance.

    Parameters
    ----------
    thm
        A theorem object of :mod:`theory.theorems`.
    fmt
        ``"text"`` or ``"markdown"``.
    """
    _check_fmt(fmt)
    prov = ", ".join(f"{k} {v}" for k, v in thm.provenance.items())
    head = f"{thm.number}: {thm.title}"
    cite = getattr(thm, "source", "") or f"{PAPER}, {thm.paper_version} numbering ({thm.v1_note})"
    if fmt == "text":
        lines = [head, f"  [{cite}]"]
        lines += _wrap("Statement: " + thm.statement_text)
        lines.append("  Hypotheses:")
        for h in thm.hypotheses:
            lines += _wrap(f"- {h.name}: {h.statement}  [on {h.on}]", "    ")
        lines.append(f"  Provenance: {prov}")
        return "\n".join(lines)
    lines = [f"### {head}", "", f"*{cite}*", "", _display_blocks(thm.statement_latex), ""]
    lines.append("**Hypotheses:**")
    lines.append("")
    for h in thm.hypotheses:
        lines.append(f"- {h.name}: {h.statement} (on {h.on})")
    lines += ["", f"**Provenance:** {prov}", ""]
    return _md_safe("\n".join(lines))


# ----------------------------------------------------------------------------- bounds
def bound_values(b: Bound) -> dict[sp.Symbol, float]:
    """The symbol values behind a bound (for substituted renderings)."""
    vals: dict[sp.Symbol, float] = {L0: b.L0, L1: b.L1}
    names = {"Delta": DELTA, "eps": EPS, "M": M, "tau": TAU, "T": T}
    for k, v in b.inputs.items():
        if k in names:
            vals[names[k]] = v
    p = b.params
    if "eta_c" in p:
        vals[ETA_C] = p["eta_c"]
    if "gamma" in p:
        vals[GAMMA] = p["gamma"]
    if "h" in p:
        vals[H] = p["h"]
    return vals


def _rel_word(kind: str) -> str:
    return "<=" if kind == "upper" else ">="


def render_bound(b: Bound, fmt: str = "text") -> str:
    """One evaluated bound: value, formula (symbolic and with numbers), pair, parameters."""
    _check_fmt(fmt)
    vals = bound_values(b)
    if "Delta_eff" in b.extras:
        vals[sp.Symbol("Delta_eff", positive=True)] = b.extras["Delta_eff"]
    params = ", ".join(f"{k} = {_num(v)}" for k, v in b.params.items()) or "(none)"
    extras = ", ".join(f"{k} = {_num(v)}" for k, v in b.extras.items())
    prov = (
        f"{b.paper_version}, {b.theorem}; constant {b.provenance}; "
        f"lab derivation: {b.constant_reproduced}"
    )
    if fmt == "text":
        lines = [
            f"{b.name} ({b.theorem}, {b.kind} bound): T_eps {_rel_word(b.kind)} {_num(b.value)}",
            f"  formula:      {sp.sstr(b.expr)}",
            f"  with numbers: {sp.sstr(_substituted(b.expr, vals))}",
            f"  pair:         L0 = {_num(b.L0)}, L1 = {_num(b.L1)}  ({b.pair_choice})",
            f"  parameters:   {params}",
        ]
        if extras:
            lines.append(f"  extras:       {extras}")
        lines.append(f"  provenance:   {prov}")
        for n in b.notes:
            lines += _wrap("note: " + n)
        return "\n".join(lines)
    rel = r"\le" if b.kind == "upper" else r"\ge"
    lines = [
        f"#### `{b.name}`: {b.theorem}, {b.kind} bound",
        "",
        "$$",
        rf"T_\varepsilon {rel} {latex(b.expr)}",
        "$$",
        "",
        "$$",
        rf"= {latex(_substituted(b.expr, vals))} = {_latex_num(b.value)}",
        "$$",
        "",
        f"- pair: $L_0 = {_latex_num(b.L0)}$, $L_1 = {_latex_num(b.L1)}$ ({b.pair_choice})",
        f"- parameters: {_md_params(b.params)}",
    ]
    if extras:
        lines.append(f"- extras: {_md_params(b.extras)}")
    lines.append(f"- provenance: {prov}")
    for n in b.notes:
        lines.append(f"- note: {n}")
    lines.append("")
    return _md_safe("\n".join(lines))


def _latex_num(x: float) -> str:
    x = float(x)
    if math.isnan(x):
        return r"\text{n/a}"
    if math.isinf(x):
        return r"\infty"
    s = f"{x:.6g}"
    if "e" in s:
        m, e = s.split("e")
        return rf"{m} \times 10^{{{int(e)}}}"
    return s


def _md_params(p: Mapping[str, float]) -> str:
    if not p:
        return "(none)"
    return ", ".join(f"`{k}` = ${_latex_num(v)}$" for k, v in p.items())


def compute_bounds(
    cert: CertificateLike,
    eps: float,
    tau: float | None = None,
    T: float | None = None,  # noqa: N803
) -> dict[str, Bound]:
    """Every applicable bound for a certificate, keyed by JSON name.

    ``thm3_clipped_gd``, ``thm6_gd``, ``ngd``, ``thm4_gd_lower`` always;
    ``thm7_clipped_sgd`` and ``thm8_sgd`` only when both ``tau`` and ``T`` are given; then
    every follow-up result of the registry (``vankov2025_eta_star``, ...).
    Upper bounds use the certified pair minimizing them; Theorem 4 uses Theorem 3's pair.
    """
    out = {t.key: t.bound(cert, eps) for t in (THEOREM_3, THEOREM_6, NGD, THEOREM_4)}
    if tau is not None and T is not None:
        for t in (THEOREM_7, THEOREM_8):
            out[t.key] = t.bound(cert, eps, tau=tau, T=T)
    for thm in ALL:  # the follow-up results, from the registry
        if getattr(thm, "followup", False):
            out[thm.key] = thm.bound(cert, eps)
    return out


def bounds_json(
    cert: CertificateLike,
    eps: float,
    tau: float | None = None,
    T: float | None = None,  # noqa: N803
) -> dict[str, dict[str, Any]]:
    """``{name: {kind, value, params, provenance, constant_reproduced, ...}}`` (JSON-ready).

    Non-finite numbers become ``None`` with a note. Extra keys: ``theorem``, ``L0``, ``L1``,
    ``pair_choice``, ``paper_version``, ``expr``, ``inputs``, ``extras``, ``notes``.
    """
    return {k: b.as_dict() for k, b in compute_bounds(cert, eps, tau=tau, T=T).items()}


def _cert_header(cert: CertificateLike, eps: float, tau: float | None, T: float | None) -> str:  # noqa: N803
    parts = [
        f"eps = {_num(eps)}",
        f"Delta = {_num(cert.delta)}",
        f"f* = {_num(cert.f_star)}",
        f"M = {_num(cert.M)}",
        f"L = {_num(cert.L)}",
        f"certificate: {cert.method}",
    ]
    if tau is not None and T is not None:
        parts += [f"tau = {_num(tau)}", f"T = {_num(T)}"]
    return ", ".join(parts)


def bounds_section(
    cert: CertificateLike,
    eps: float,
    tau: float | None = None,
    T: float | None = None,  # noqa: N803
    fmt: str = "text",
) -> str:
    """The bounds of every applicable result for one certificate, as text or Markdown."""
    _check_fmt(fmt)
    bounds = compute_bounds(cert, eps, tau=tau, T=T)
    header = _cert_header(cert, eps, tau, T)
    note = (
        "Upper bounds use the certified pair (L0*(L1), L1) that minimizes each bound unless "
        "stated; Theorem 4 is a statement about the class with this instance's constants."
    )
    if fmt == "text":
        lines = [f"Bounds ({PAPER}, {PAPER_VERSION} numbering)", "  " + header]
        lines += _wrap(note)
        for b in bounds.values():
            lines += ["", render_bound(b, "text")]
        return "\n".join(lines) + "\n"
    lines = [f"## Bounds ({PAPER_VERSION} numbering)", "", header, "", note, ""]
    for b in bounds.values():
        lines += [render_bound(b, "markdown")]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- derivations
def _where_text(where: Mapping[sp.Symbol, sp.Expr]) -> str:
    return ", ".join(f"{sp.sstr(k)} = {sp.sstr(v)}" for k, v in where.items())


def _where_latex(where: Mapping[sp.Symbol, sp.Expr]) -> str:
    return ", ".join(f"{latex(k)} = {latex(v)}" for k, v in where.items())


def render_derivation(
    der: _der.Derivation,
    fmt: str = "text",
    values: Mapping[sp.Symbol, float] | None = None,
) -> str:
    """A derivation step by step, symbolic; with ``values`` also with the numbers substituted.

    Parameters
    ----------
    der
        A :class:`theory.derivations.Derivation`.
    fmt
        ``"text"`` or ``"markdown"``.
    values
        Symbol values (e.g. :func:`bound_values` of a bound); symbols without a value stay
        symbolic in the substituted line.
    """
    _check_fmt(fmt)
    rec = ", ".join(f"{k} = {sp.sstr(v)}" for k, v in der.recalled.items()) or "(none)"
    lab = ", ".join(f"{k} = {sp.sstr(v)}" for k, v in der.lab.items()) or "(none)"
    if fmt == "text":
        lines = [f"Derivation: {der.title}  [{der.theorem}]"]
        for i, st in enumerate(der.steps, 1):
            lines += _wrap(f"{i}. {st.claim}", "  ")
            lines.append(f"       {st.text()}")
            if st.case is not None:
                lines.append(f"       case: {sp.sstr(st.case)}")
            if st.where:
                lines.append(f"       where {_where_text(st.where)}")
            if values:
                lines.append("       numbers: " + _numbers_text(st, values))
            lines += _wrap(f"why: {st.justification}", "       ")
            lines.append(f"       checked: {st.check}")
        lines.append(f"  recalled: {rec}")
        lines.append(f"  lab:      {lab}")
        lines.append(f"  constant_reproduced: {der.constant_reproduced}")
        lines += _wrap("conclusion: " + der.conclusion)
        return "\n".join(lines)
    lines = [f"### {der.title}", "", f"*{der.theorem}*", ""]
    for i, st in enumerate(der.steps, 1):
        lines += [f"{i}. {st.claim}", "", "$$", st.latex(), "$$", ""]
        if st.case is not None:
            lines += [f"   Case ${latex(st.case)}$.", ""]
        if st.where:
            lines += [f"   Checked with ${_where_latex(st.where)}$.", ""]
        if values:
            if st.applies(values) is False:
                lines += ["   With numbers: this case does not apply here.", ""]
            else:
                rel = {"==": "=", ">=": r"\ge", "<=": r"\le"}[st.rel]
                lhs = _substituted(st.lhs, values)
                rhs = _substituted(st.rhs, values)
                tail = ""
                if not (lhs.free_symbols or rhs.free_symbols):
                    tail = rf" \quad ({_latex_num(_f(lhs))} \text{{ vs }} {_latex_num(_f(rhs))})"
                lines += ["   With numbers:", "", "$$", f"{latex(lhs)} {rel} {latex(rhs)}{tail}"]
                lines += ["$$", ""]
        lines += [f"   *Why:* {st.justification} (checked: {st.check})", ""]
    lines += [
        f"- recalled: {_md_consts(der.recalled)}",
        f"- lab: {_md_consts(der.lab)}",
        f"- constant reproduced: **{der.constant_reproduced}**",
        "",
        der.conclusion,
        "",
    ]
    return _md_safe("\n".join(lines))


def _f(x: sp.Expr) -> float:
    try:
        return float(sp.N(x))
    except (TypeError, ValueError):
        return math.nan


def _numbers_text(st: _der.Step, values: Mapping[sp.Symbol, float]) -> str:
    if st.applies(values) is False:
        return "this case does not apply here"
    lhs = _substituted(st.lhs, values)
    rhs = _substituted(st.rhs, values)
    out = f"{sp.sstr(lhs)} {_REL_TEXT[st.rel]} {sp.sstr(rhs)}"
    if not (lhs.free_symbols or rhs.free_symbols):
        out += f"   ({_num(_f(lhs))} vs {_num(_f(rhs))})"
    return out


def _md_consts(c: Mapping[str, sp.Expr]) -> str:
    if not c:
        return "(none)"
    return ", ".join(f"{k} $= {latex(v)}$" for k, v in c.items())


def derivations_markdown() -> str:
    """The general symbolic derivations document (DERIVATIONS.md content)."""
    rows = []
    for d in _der.all_derivations():
        rec = ", ".join(f"{k} = {sp.sstr(v)}" for k, v in d.recalled.items()) or "-"
        lab = ", ".join(f"{k} = {sp.sstr(v)}" for k, v in d.lab.items()) or "-"
        rows.append(f"| {d.title} | `{rec}` | `{lab}` | {d.constant_reproduced} |")
    lines = [
        "# Derivations",
        "",
        f"Re-derivations of the constants of {PAPER} ({PAPER_VERSION} numbering; v1 numbering "
        "unverified), from the proof steps in docs/paper.md. Several constants are *recalled*, not "
        "printed: these derivations are the lab's check of them. Every step was checked when "
        "it was built, by sympy or, where sympy cannot decide, on a numerical grid (marked).",
        "",
        "| derivation | recalled | lab | constant reproduced |",
        "|---|---|---|---|",
        *rows,
        "",
        "`reproduced`: the lab gets the recalled constant; `implied`: the lab gets a smaller "
        "constant, so the recalled bound follows; `partial`: only part of it; "
        "`not_applicable`: nothing recalled to compare with.",
        "",
    ]
    for d in _der.all_derivations():
        lines.append(render_derivation(d, "markdown"))
    return "\n".join(lines)


# ----------------------------------------------------------------------------- full report
def report(
    cert: CertificateLike,
    eps: float,
    tau: float | None = None,
    T: float | None = None,  # noqa: N803
    fmt: str = "text",
    derivations: bool = True,
) -> str:
    """Every applicable result: statement, bound, and derivation (symbolic, then numbers)."""
    _check_fmt(fmt)
    bounds = compute_bounds(cert, eps, tau=tau, T=T)
    sep = "\n" + ("-" * 72 if fmt == "text" else "") + "\n"
    head = _cert_header(cert, eps, tau, T)
    parts = [
        (f"Results of {PAPER} ({PAPER_VERSION} numbering)\n  {head}")
        if fmt == "text"
        else f"# Results ({PAPER_VERSION} numbering)\n\n{head}\n"
    ]
    for key, b in bounds.items():
        thm = BY_KEY[key]
        block = [render_theorem(thm, fmt), render_bound(b, fmt)]
        if derivations:
            for d in thm.derivations:
                block.append(render_derivation(d, fmt, values=bound_values(b)))
        parts.append("\n\n".join(block))
    return sep.join(parts) + "\n"
