"""REPORT.md and verdicts.json: the verification table of arXiv 1905.11881 (v2) claims.

The report holds the verification table (claim, theorem and paper version, instances,
violations, median and max measured/bound ratio, provenance of the bound), every figure
embedded, each experiment's extra section, a link to DERIVATIONS.md, and the package
versions and seed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from .framework import ExperimentResult, atomic_write_text, package_versions

__all__ = ["verdicts_json", "report_markdown", "write_report", "write_verdicts"]


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
