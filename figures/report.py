"""REPORT.md, verdicts.json, the claims table and the trail of every result (arXiv 1905.11881 v2).

The report holds the verification table (claim, theorem and paper version, instances,
violations, median and max measured/bound ratio, provenance of the bound), every figure
embedded, each experiment's extra section, a link to DERIVATIONS.md, and the package
versions and seed. What an experiment checks is generated from its ``THEOREMS``
references: the report's table and headings, the README's claims table
(:func:`claims_table`) and ``run_all.py --list`` (:func:`trail_text`).
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import theory.theorems as _theorems
from theory.derivations import LINKS

from .framework import Experiment, ExperimentResult, atomic_write_text, package_versions

__all__ = [
    "verdicts_json",
    "report_markdown",
    "write_report",
    "write_verdicts",
    "claims_table",
    "checks_line",
    "covering_tests",
    "trail_text",
]

_ROOT = Path(__file__).resolve().parent.parent


def _short(thm: _theorems.Theorem) -> str:
    """The paper's results by number ("Theorem 3"), the follow-ups by their id."""
    if getattr(thm, "followup", False):
        return f"`{thm.key}`"
    return thm.number.split(" (")[0]


def claims_table(experiments: Mapping[str, Experiment]) -> str:
    """The README's claims table: claim, the results it checks (by reference), its title."""
    lines = ["| claim | checks | what it checks |", "|---|---|---|"]
    for e in experiments.values():
        checks = ", ".join([_short(t) for t in e.theorems] + ([e.claim] if e.claim else []))
        lines.append(f"| `{e.name}` | {checks} | {e.title} |")
    return "\n".join(lines) + "\n"


def checks_line(e: Experiment) -> str:
    """One line per experiment for REPORT.md: each checked result, kind and provenance."""
    parts = [
        f"{t.number} ({t.kind}; bound {t.provenance.get('bound', '-')})" for t in e.theorems
    ] + ([e.claim] if e.claim else [])
    return "Checks: " + "; ".join(parts) + "."


def _python_name(thm) -> str:
    return next(n for n, v in vars(_theorems).items() if v is thm and n.isupper())


def covering_tests(thm, root: Path = _ROOT) -> list[str]:
    """Test files that name the result, one of its derivations or one of its experiments."""
    builders = next((b for t, b, _ in LINKS if t is thm), ())
    alts = [rf"\b{re.escape(w)}\b" for w in (_python_name(thm), *(b.__name__ for b in builders))]
    for e in thm.experiments:
        mod = re.escape(e.module.rsplit(".", 1)[-1])
        alts += [rf"\bfigures\.{mod}\b", rf"from figures import [^\n]*\b{mod}\b"]
        alts.append(rf"[\"']{re.escape(e.name)}[\"']")
    pat = re.compile("|".join(alts))
    return sorted(
        p.relative_to(root).as_posix()
        for p in (root / "tests").rglob("test_*.py")
        if pat.search(p.read_text(encoding="utf-8"))
    )


def trail_text(root: Path = _ROOT) -> str:
    """Every result of ``theory.theorems.ALL``: statement, derivations, experiments, tests.

    The experiments are those registered by :func:`figures.framework.discover` (call it
    first); the derivations are listed without building them.
    """
    out = []
    for t in _theorems.ALL:
        builders, bound = next(((b, d) for x, b, d in LINKS if x is t), ((), None))
        prov = ", ".join(f"{k} {v}" for k, v in t.provenance.items())
        out += [
            f"{t.number}: {t.title}  [{t.key}; kind {t.kind}; {prov}]",
            f"  statement: {t.statement_text}",
        ]
        out.append("  derivations:" + ("" if builders else " (none)"))
        for b in builders:
            doc = (inspect.getdoc(b) or "").splitlines()[0]
            tag = " (concludes the bound)" if b is bound else ""
            out.append(f"    theory.derivations.{b.__name__}{tag}: {doc}")
        out.append("  experiments:" + ("" if t.experiments else " (none)"))
        for e in t.experiments:
            out.append(f"    {e.name} ({e.module}, {e.kind}): {e.title}")
        tests = covering_tests(t, root)
        out.append("  tests: " + (", ".join(tests) if tests else "(none)"))
        out.append("")
    return "\n".join(out)


def _fmt(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.3g}"
    return str(x)


def verdicts_json(results: Sequence[ExperimentResult]) -> dict:
    """``{claim: {theorem, kind, instances, violations, verdict, median_ratio, max_ratio}}``."""
    out = {}
    for r in results:
        v = r.verdict.to_json()
        out[r.experiment.name] = {
            "theorem": r.experiment.theorem,
            "kind": v["kind"],
            "instances": v["instances"],
            "violations": v["violations"],
            "verdict": v["verdict"],
            "median_ratio": v["median_ratio"],
            "max_ratio": v["max_ratio"],
            "criterion": v["criterion"],
            "bound_provenance": r.experiment.provenance,
            "counterexamples": v["counterexamples"],
            "notes": v["notes"],
        }
    return out


def write_verdicts(out: Path, results: Sequence[ExperimentResult]) -> Path:
    """Write ``verdicts.json`` (atomically)."""
    data = verdicts_json(results)
    return atomic_write_text(Path(out) / "verdicts.json", json.dumps(data, indent=2) + "\n")


def report_markdown(
    results: Sequence[ExperimentResult], *, seed: int, quick: bool, out: Path
) -> str:
    """The text of REPORT.md."""
    out = Path(out)
    lines = [
        "# Verification report",
        "",
        "Claims of Zhang, He, Sra, Jadbabaie, *Why Gradient Clipping Accelerates Training: "
        "A Theoretical Justification for Adaptivity*, arXiv 1905.11881 (v2 = ICLR 2020 "
        "numbering), checked by numbers. Ratio = measured / bound (an upper bound holds when "
        "every ratio is at most 1). Bound provenance: *printed* (in the paper), *recalled* "
        "(widely restated, re-derived by the lab), *lab* (the lab's own); see "
        "[DERIVATIONS.md](DERIVATIONS.md) for the derivations of the constants.",
        "",
        f"Run: {'quick (`--quick`)' if quick else 'full'}, seed {seed}.",
        "",
        "| claim | theorem (paper version) | kind | instances | violations | verdict | "
        "median ratio | max ratio | bound provenance |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        v, e = r.verdict, r.experiment
        lines.append(
            f"| [{e.name}](#{e.name}) | {e.theorem} | {e.kind} | {v.instances} | "
            f"{v.violations} | **{v.verdict}** | {_fmt(v.median_ratio)} | "
            f"{_fmt(v.max_ratio)} | {e.provenance or '-'} |"
        )
    lines.append("")
    for r in results:
        v, e = r.verdict, r.experiment
        lines += [
            f"## {e.name}",
            "",
            f"**{e.title}.** {e.theorem}. Verdict: **{v.verdict}** ({v.instances} instances, "
            f"{v.violations} violations).",
            "",
            checks_line(e),
            "",
            f"Criterion: {v.criterion or '-'}",
            "",
        ]
        if v.notes:
            lines += [f"- {n}" for n in v.notes] + [""]
        if v.counterexamples:
            lines += ["Counterexamples:", "", "```json"]
            lines += [json.dumps(c, sort_keys=True) for c in v.counterexamples]
            lines += ["```", ""]
        if e.report_section is not None:
            lines += [e.report_section(r.rows).rstrip(), ""]
        for fig in r.figures:
            if fig.suffix == ".png":
                rel = fig.relative_to(out).as_posix()
                pdf = rel[:-4] + ".pdf"
                lines += [f"![{e.name}: {fig.stem}]({rel})", "", f"([PDF]({pdf}))", ""]
        lines += [
            f"Data: [`{e.name}/rows.csv`]({e.name}/rows.csv), provenance: "
            f"[`{e.name}/provenance.json`]({e.name}/provenance.json).",
            "",
        ]
    prov = next((r.provenance for r in results if r.provenance), {})
    versions = prov.get("versions") or package_versions()
    git = prov.get("git", {})
    lines += [
        "## Environment",
        "",
        f"- seed: {seed}",
        "- packages: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        f"- git commit: {git.get('commit') or 'unknown'}"
        + (" (with uncommitted changes)" if git.get("dirty") else ""),
        "",
    ]
    return "\n".join(lines)


def write_report(out: Path, results: Sequence[ExperimentResult], *, seed: int, quick: bool) -> Path:
    """Write REPORT.md (atomically)."""
    text = report_markdown(results, seed=seed, quick=quick, out=out)
    return atomic_write_text(Path(out) / "REPORT.md", text)
