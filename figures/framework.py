"""Shared machinery of the experiments: registry, caching, atomic writes, provenance, verdicts.

The experiment interface is documented in :mod:`figures` (the package docstring). Each
experiment checks one claim of Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 (v2 numbering).

Output layout of one experiment ``NAME`` in the output folder ``out``::

    out/NAME/rows.csv          tidy results, one row per run (no timestamps: deterministic)
    out/NAME/provenance.json   config hash, seed, versions, git commit, machine, timing
                               (total and per configuration), verdict, figure list;
                               written last, it marks completion
    out/NAME/*.pdf, *.png      figures
    out/NAME/.parts/*.json     per-configuration results of an unfinished run (resume)

Caching: the *configuration hash* covers the experiment's name, ``VERSION``, its grid
and the seed. When ``provenance.json`` holds the same hash and ``rows.csv`` exists, the
experiment is not recomputed (figures are redrawn only when one is missing). While an
experiment runs, each finished configuration is stored in ``.parts``; after an
interruption the rerun computes only the missing configurations. Every file is written
to a temporary name in the same folder and renamed with :func:`os.replace`, so no
half-written file is ever left under a final name.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import importlib
import io
import json
import math
import os
import pkgutil
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from labio.atomic import atomic_write_bytes, atomic_write_text
from labio.jsonable import json_number as _json_float
from labio.jsonable import jsonable as _jsonable

from .executors import LocalExecutor, TaskExecutor, make_pool

__all__ = [
    "KINDS",
    "SHARED_MODULES",
    "Experiment",
    "ExperimentResult",
    "Verdict",
    "atomic_write_bytes",
    "atomic_write_text",
    "config_hash",
    "config_seed",
    "discover",
    "make_pool",
    "from_module",
    "ratio_verdict",
    "Fit",
    "fit_loglog",
    "run_outcome",
    "provenance_info",
    "read_csv",
    "rows_to_csv",
    "run_experiment",
]

#: Kinds of claims: a violated ``theorem`` fails the run; ``empirical`` never does.
KINDS = ("theorem", "empirical")
#: Verdict words by kind (the first is the positive one).
VERDICT_WORDS = {"theorem": ("holds", "violated"), "empirical": ("reproduced", "not reproduced")}
#: Modules of the package that are not experiments.
SHARED_MODULES = frozenset({"framework", "style", "report"})
#: Packages whose versions go into the provenance.
PACKAGES = ("numpy", "scipy", "sympy", "mpmath", "numba", "matplotlib")


# ---------------------------------------------------------------------------- verdicts
@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one claim.

    Attributes
    ----------
    verdict
        ``holds`` / ``violated`` (kind ``theorem``) or ``reproduced`` /
        ``not reproduced`` (kind ``empirical``); ``no data`` when nothing was checked.
    kind
        ``theorem`` or ``empirical`` (see :data:`KINDS`).
    instances
        Number of checked instances (runs compared with a bound).
    violations
        Number of instances contradicting the claim.
    median_ratio, max_ratio
        Median and maximum of measured / bound over the instances (``None`` if none).
    criterion
        The decision rule in words.
    counterexamples
        Rows (or summaries) of violating instances, enough to reproduce them.
    notes
        Further remarks (censored runs, skipped instances, ...).
    """

    verdict: str
    kind: str = "theorem"
    instances: int = 0
    violations: int = 0
    median_ratio: float | None = None
    max_ratio: float | None = None
    criterion: str = ""
    counterexamples: tuple[dict, ...] = ()
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        allowed = (*VERDICT_WORDS[self.kind], "no data")
        if self.verdict not in allowed:
            raise ValueError(
                f"a {self.kind} verdict must be one of {allowed}, got {self.verdict!r}"
            )

    @property
    def failed(self) -> bool:
        """True when a theorem is violated (this makes ``run_all`` exit with status 1)."""
        return self.kind == "theorem" and self.verdict == "violated"

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["counterexamples"] = [_jsonable(c) for c in self.counterexamples]
        out["notes"] = list(self.notes)
        for k in ("median_ratio", "max_ratio"):
            out[k] = _json_float(out[k])
        return out


def run_outcome(status: str, iterations: int, bound: float, max_iter: int) -> str:
    """The outcome of one run against an upper bound on T_eps (the rule of every experiment).

    ``"ok"``: converged within the bound; ``"violation"``: converged after more steps than
    the bound, diverged, or still running after ``floor(bound) + 1`` steps; ``"censored"``:
    stopped by a cap below that (undecided, not a violation).
    """
    if status == "converged":
        return "ok" if iterations <= bound else "violation"
    if status == "diverged":
        return "violation"
    return "violation" if max_iter >= math.floor(bound) + 1 else "censored"


def ratio_verdict(
    ratios: Sequence[float],
    violated: Sequence[bool],
    *,
    kind: str = "theorem",
    criterion: str = "",
    counterexamples: Iterable[dict] = (),
    notes: Iterable[str] = (),
    max_counterexamples: int = 10,
) -> Verdict:
    """A verdict from per-instance ratios (measured / bound) and violation flags.

    Non-finite or missing ratios are left out of the median and maximum; the verdict is
    the positive word iff no instance is flagged.
    """
    if len(ratios) != len(violated):
        raise ValueError("ratios and violated must have the same length")
    finite = [float(r) for r in ratios if r is not None and math.isfinite(float(r))]
    n_bad = int(sum(bool(v) for v in violated))
    words = VERDICT_WORDS[kind]
    if not ratios:
        word = "no data"
    else:
        word = words[1] if n_bad else words[0]
    return Verdict(
        verdict=word,
        kind=kind,
        instances=len(ratios),
        violations=n_bad,
        median_ratio=statistics.median(finite) if finite else None,
        max_ratio=max(finite) if finite else None,
        criterion=criterion,
        counterexamples=tuple(list(counterexamples)[:max_counterexamples]),
        notes=tuple(notes),
    )


# ------------------------------------------------------------------------ fits
@dataclass(frozen=True)
class Fit:
    """OLS fit ``log10 T = a + slope log10 M`` with a 95% t-interval of the slope."""

    slope: float
    se: float
    lo: float
    hi: float
    n: int
    excluded: int = 0


def fit_loglog(m, t, level: float = 0.95, excluded: int = 0) -> Fit:
    """Least-squares slope of ``log T`` against ``log M``, standard error and t-interval.

    Needs at least 3 points for an interval (otherwise ``se``, ``lo``, ``hi`` are nan).
    """
    x = np.log10(np.asarray(m, dtype=float))
    y = np.log10(np.asarray(t, dtype=float))
    n = x.size
    if n < 2:
        return Fit(math.nan, math.nan, math.nan, math.nan, n, excluded)
    xc = x - x.mean()
    sxx = float(xc @ xc)
    slope = float(xc @ (y - y.mean()) / sxx)
    if n < 3:
        return Fit(slope, math.nan, math.nan, math.nan, n, excluded)
    resid = y - y.mean() - slope * xc
    se = math.sqrt(float(resid @ resid) / (n - 2) / sxx)
    from scipy import stats

    q = float(stats.t.ppf(0.5 + level / 2, n - 2))
    return Fit(slope, se, slope - q * se, slope + q * se, n, excluded)


# --------------------------------------------------------------------------- registry
#: Optional module attributes of an experiment and their defaults (see :mod:`figures`).
OPTIONAL = {
    "TITLE": None,
    "CLAIM": "",
    "PROVENANCE": "",
    "VERSION": "1",
    "ORDER": 100,
    "report_section": None,
    "PLANT_CONFIG": 0,
}
#: Required module attributes.
REQUIRED = ("NAME", "THEOREMS", "KIND", "grid", "compute", "verdict", "plot")


@dataclass(frozen=True)
class Experiment:
    """One claim's experiment, as read from its module (see :mod:`figures`).

    ``theorems`` are the :mod:`theory.theorems` objects it checks (by reference; each
    result lists its experiments in ``Theorem.experiments`` once :func:`discover` or
    :func:`from_module` has declared them); ``claim`` names, in words, what else it checks
    (the paper's figures). ``plant_config`` is the index of the quick-grid configuration
    on which a planted violation (a result's bound scaled, see ``Theorem.planted``) must
    be flagged.
    """

    name: str
    title: str
    kind: str
    provenance: str
    version: str
    order: int
    grid: Callable[[bool], list[dict]]
    compute: Callable[[dict, int], list[dict]]
    verdict: Callable[[list[dict]], Verdict]
    plot: Callable[[list[dict], Path], list[Path]]
    report_section: Callable[[list[dict]], str] | None = None
    module: str = ""
    theorems: tuple[Any, ...] = ()
    claim: str = ""
    plant_config: int = 0

    @property
    def theorem(self) -> str:
        """What it checks, in words: the results' numbers and the claim, with the version."""
        parts = [t.number for t in self.theorems] + ([self.claim] if self.claim else [])
        return "; ".join(parts) + " (arXiv 1905.11881 v2)"


def from_module(mod: ModuleType) -> Experiment:
    """Build an :class:`Experiment` from a module following the interface of :mod:`figures`.

    Registers the experiment with every result it declares in ``THEOREMS``.
    """
    missing = [a for a in REQUIRED if not hasattr(mod, a)]
    if missing:
        raise ValueError(f"experiment module {mod.__name__} lacks {', '.join(missing)}")
    if mod.KIND not in KINDS:
        raise ValueError(f"{mod.__name__}.KIND must be one of {KINDS}, got {mod.KIND!r}")
    opt = {k: getattr(mod, k, v) for k, v in OPTIONAL.items()}
    theorems = tuple(mod.THEOREMS)
    if not theorems and not opt["CLAIM"]:
        raise ValueError(f"{mod.__name__} declares neither THEOREMS nor CLAIM")
    exp = Experiment(
        name=mod.NAME,
        title=opt["TITLE"] or mod.NAME,
        kind=mod.KIND,
        provenance=opt["PROVENANCE"],
        version=str(opt["VERSION"]),
        order=int(opt["ORDER"]),
        grid=mod.grid,
        compute=mod.compute,
        verdict=mod.verdict,
        plot=mod.plot,
        report_section=opt["report_section"],
        module=mod.__name__,
        theorems=theorems,
        claim=opt["CLAIM"],
        plant_config=int(opt["PLANT_CONFIG"]),
    )
    for t in theorems:
        t.register_experiment(exp)
    return exp


def discover(package: str = "figures") -> dict[str, Experiment]:
    """All experiment modules of ``package``, by name, in report order."""
    pkg = importlib.import_module(package)
    found: list[Experiment] = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("_") or info.name in SHARED_MODULES:
            continue
        mod = importlib.import_module(f"{package}.{info.name}")
        if hasattr(mod, "NAME"):
            found.append(from_module(mod))
    found.sort(key=lambda e: (e.order, e.name))
    names = [e.name for e in found]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ValueError(f"duplicate experiment names: {', '.join(sorted(dup))}")
    return {e.name: e for e in found}


# ---------------------------------------------------------------------- hashing, seeds
def _canonical(obj: Any) -> str:
    return json.dumps(_jsonable(obj), sort_keys=True, separators=(",", ":"))


def config_hash(exp: Experiment, grid: list[dict], seed: int) -> str:
    """Hash of what determines an experiment's results: name, VERSION, grid and seed."""
    payload = {"name": exp.name, "version": exp.version, "grid": grid, "seed": int(seed)}
    return hashlib.sha256(_canonical(payload).encode()).hexdigest()[:20]


def config_seed(seed: int, config: dict) -> int:
    """The seed of one configuration: a function of ``--seed`` and the configuration only."""
    digest = hashlib.sha256(_canonical(config).encode()).digest()
    words = [int(seed) & 0xFFFFFFFF, *np.frombuffer(digest[:16], dtype=np.uint32).tolist()]
    return int(np.random.SeedSequence(words).generate_state(1, dtype=np.uint32)[0])


# ----------------------------------------------------------------------- atomic files
# atomic_write_bytes / atomic_write_text: one implementation, in labio.atomic (imported
# above), shared with the generated-code cache.


# ------------------------------------------------------------------------ CSV, JSON
def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "True" if v else "False"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return str(v)


def rows_to_csv(rows: list[dict]) -> str:
    """CSV text of rows; columns in order of first appearance; floats as ``repr`` (exact)."""
    cols: list[str] = []
    for r in rows:
        for k in r:
            if k not in cols:
                cols.append(k)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in cols])
    return buf.getvalue()


def _parse(s: str) -> Any:
    if s == "":
        return None
    if s in ("True", "False"):
        return s == "True"
    try:
        return int(s)
    except ValueError:
        pass
    try:
        return float(s)
    except ValueError:
        return s


def read_csv(path: Path) -> list[dict]:
    """Rows of a CSV written by :func:`rows_to_csv`, with numbers and booleans parsed."""
    with open(path, newline="", encoding="utf-8") as fh:
        return [{k: _parse(v) for k, v in r.items()} for r in csv.DictReader(fh)]


# ------------------------------------------------------------------------ provenance
def _git_commit() -> dict[str, Any]:
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root, capture_output=True, text=True, timeout=10,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit or None, "dirty": bool(dirty) if commit else None}


def package_versions() -> dict[str, str]:
    """Versions of Python and of the scientific packages used."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            out[p] = version(p)
        except PackageNotFoundError:
            out[p] = "not installed"
    return out


def provenance_info() -> dict[str, Any]:
    """Package versions, git commit and machine description."""
    return {
        "versions": package_versions(),
        "git": _git_commit(),
        "machine": {
            "platform": platform.platform(),
            "machine": platform.machine(),
            "processor": platform.processor(),
            "cpu_count": os.cpu_count(),
        },
    }


# ------------------------------------------------------------------------- running
@dataclass
class ExperimentResult:
    """What :func:`run_experiment` returns."""

    experiment: Experiment
    rows: list[dict]
    verdict: Verdict
    figures: list[Path]
    cached: bool
    elapsed: float
    computed_configs: int
    total_configs: int
    folder: Path
    provenance: dict = field(default_factory=dict)


def _compute_one(module: str, config: dict, seed: int) -> tuple[list[dict], float]:
    t = time.perf_counter()
    mod = importlib.import_module(module)
    return [dict(r) for r in mod.compute(config, seed)], time.perf_counter() - t


def _part_name(config: dict) -> str:
    return hashlib.sha256(_canonical(config).encode()).hexdigest()[:20] + ".json"


def run_experiment(
    exp: Experiment,
    out: Path,
    *,
    seed: int = 0,
    quick: bool = False,
    jobs: int = 1,
    progress: Callable[[str, int, int, float], None] | None = None,
    pool: TaskExecutor | Executor | None = None,
    cache_only: bool = False,
) -> ExperimentResult | None:
    """Compute (or load from the cache), judge and plot one experiment.

    Parameters
    ----------
    exp
        The experiment.
    out
        The output folder; the experiment writes into ``out/exp.name``.
    seed
        The run's seed (``--seed``); each configuration gets :func:`config_seed`.
    quick
        Use the small grid.
    jobs
        Worker processes for the configurations (1: in this process). Results do not
        depend on it: every configuration has its own seed and rows are assembled in grid
        order.
    progress
        ``progress(name, done, total, elapsed_seconds)`` after each configuration.
    pool
        Where the configurations run instead of a pool of ``jobs`` processes started
        here: a :class:`figures.executors.TaskExecutor` (a local pool or a dask cluster,
        :func:`figures.executors.make_executor`) or a :class:`concurrent.futures.Executor`.
        ``run_all`` keeps one for the whole run, so workers import and load compiled code
        once. Whatever runs them, every finished configuration is written here, by this
        process, to its part file (atomically), and rows are assembled in grid order.
    cache_only
        Only load finished results; return ``None`` (and touch nothing) when there are none
        for this configuration.
    """
    t0 = time.perf_counter()
    folder = Path(out) / exp.name
    if cache_only and not (folder / "provenance.json").exists():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    grid = exp.grid(quick)
    grid = _jsonable(grid)
    h = config_hash(exp, grid, seed)
    prov_path, csv_path, parts = folder / "provenance.json", folder / "rows.csv", folder / ".parts"
    old = None
    if prov_path.exists():
        try:
            old = json.loads(prov_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            old = None
    cached = bool(old and old.get("config_hash") == h and csv_path.exists())
    if cache_only and not cached:
        return None
    computed = 0
    timings: dict[int, float] = {}
    if not cached:
        if prov_path.exists():
            prov_path.unlink()  # the folder no longer holds a finished experiment
        parts.mkdir(exist_ok=True)
        marker = parts / "config_hash"
        if not marker.exists() or marker.read_text().strip() != h:
            for p in parts.glob("*"):
                p.unlink()
            atomic_write_text(marker, h)
        results: list[list[dict] | None] = [None] * len(grid)
        todo = []
        for i, cfg in enumerate(grid):
            part = parts / _part_name(cfg)
            if part.exists():
                results[i] = json.loads(part.read_text(encoding="utf-8"))
            else:
                todo.append(i)
        done = len(grid) - len(todo)
        if progress:
            progress(exp.name, done, len(grid), time.perf_counter() - t0)

        def finish(i: int, rows: list[dict]) -> None:
            nonlocal done, computed
            rows = _jsonable(rows)
            atomic_write_text(parts / _part_name(grid[i]), json.dumps(rows))
            results[i] = rows
            done += 1
            computed += 1
            if progress:
                progress(exp.name, done, len(grid), time.perf_counter() - t0)

        seeds = {i: config_seed(seed, grid[i]) for i in todo}
        if pool is None:
            executor = own = LocalExecutor(min(jobs, max(1, len(todo))))
        else:
            executor = pool if isinstance(pool, TaskExecutor) else LocalExecutor(pool=pool)
            own = None
        tasks = {i: (exp.module, grid[i], seeds[i]) for i in todo}
        try:
            with contextlib.closing(executor.map_unordered(_compute_one, tasks)) as finished:
                for i, (rows, secs) in finished:
                    timings[i] = secs
                    finish(i, rows)
        except KeyboardInterrupt:
            if own is not None:
                own.abort()  # end the running workers too, not only the pending tasks
            raise
        finally:
            if own is not None:
                own.close()
        all_rows = [r for rs in results for r in (rs or [])]
        atomic_write_text(csv_path, rows_to_csv(all_rows))
    rows = read_csv(csv_path)
    verdict = exp.verdict(rows)
    figs: list[Path] = []
    old_figs = [folder / f for f in (old or {}).get("figures", [])] if cached else []
    if cached and old_figs and all(p.exists() for p in old_figs):
        figs = old_figs
    else:
        figs = [Path(p) for p in exp.plot(rows, folder)]
    elapsed = time.perf_counter() - t0
    if cached:
        prov = dict(old)
        prov["figures"] = [p.name for p in figs]
        prov["verdict"] = verdict.to_json()
        if [p.name for p in figs] != old.get("figures"):
            atomic_write_text(prov_path, json.dumps(prov, indent=2, sort_keys=True))
    else:
        prov = {
            "experiment": exp.name,
            "title": exp.title,
            "theorem": exp.theorem,
            "kind": exp.kind,
            "bound_provenance": exp.provenance,
            "paper": "Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 (v2 numbering)",
            "config_hash": h,
            "version": exp.version,
            "seed": int(seed),
            "quick": bool(quick),
            "configurations": len(grid),
            "rows": len(rows),
            "jobs": int(jobs),
            "executor": executor.describe(),
            "elapsed_seconds": round(elapsed, 3),
            "config_seconds": {str(i): round(t, 3) for i, t in sorted(timings.items())},
            "finished_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "argv": sys.argv,
            **provenance_info(),
            "figures": [p.name for p in figs],
            "verdict": verdict.to_json(),
        }
        atomic_write_text(prov_path, json.dumps(_jsonable(prov), indent=2, sort_keys=True))
        for p in parts.glob("*"):
            p.unlink()
        parts.rmdir()
    return ExperimentResult(
        experiment=exp,
        rows=rows,
        verdict=verdict,
        figures=figs,
        cached=cached,
        elapsed=elapsed,
        computed_configs=computed,
        total_configs=len(grid),
        folder=folder,
        provenance=prov,
    )
