"""Training curves with and without clipping: analogs of Fig 4.

Claim checked (Zhang, He, Sra, Jadbabaie, arXiv 1905.11881, v2 numbering, Fig 4 and its
discussion): in the paper's configurations, training with gradient clipping at a large
learning rate gives the fastest decrease of the training loss (Fig 4a: AWD-LSTM on PTB,
``lr30clip0.25`` against ``lr2`` and ``lr2clip0.25``; Fig 4c: ResNet20 on CIFAR-10, lr 5
with clipping against momentum SGD and lr 1). Figs 4b and 4d show validation loss and
test accuracy. This is an *empirical* observation: its verdict is ``reproduced`` or
``not reproduced`` and never fails ``run_all``.

The lab trains laptop-scale analogs (:mod:`synthetic.nets.tasks`, the same models,
data and configurations as :mod:`figures.smoothness_scatter`), plus, for each model, the
large learning rate *without* clipping (panel ``x``: it diverges, which is why the paper
clips). Each configuration runs over several seeds (data, initialization and minibatch
order change with the seed; the configurations of one seed share data and
initialization). Curves show the median over seeds with a min-max band.

Verdict (criterion fixed before the first run): for the two analogs of the paper's
models (``rnn_adding``, ``mlp_teacher``), the configuration the paper predicts to be
fastest (large learning rate with clipping) has the smallest *speed score*, the median
over seeds of the mean over evaluation points of log10(training loss) (the area under the
log-loss curve; a diverged run scores +inf). ``reproduced`` iff this holds for both.
The deep linear network is reported but not part of the verdict.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
from matplotlib.ticker import FuncFormatter, NullFormatter

from synthetic.nets import ITERATIONS, TASKS, TrainConfig, label, make_task, panels, train

from .framework import Verdict
from .style import color, new_figure, save

NAME = "training_curves"
TITLE = "Training curves with and without clipping (analog of Fig 4)"
THEOREMS = ()
CLAIM = "Fig 4 (empirical)"
KIND = "empirical"
PROVENANCE = "printed (figure); lab analogs (models, data, configurations)"
VERSION = "2"
ORDER = 81

#: Seeds per configuration (full run, quick run).
REPS = (5, 2)
#: Evaluation points per run (full run, quick run).
EVALS = (20, 10)
#: Tasks whose result decides the verdict (the analogs of the paper's two models).
VERDICT_TASKS = ("rnn_adding", "mlp_teacher")


def grid(quick: bool) -> list[dict]:
    """One configuration per (task, panel, seed index); the quick grid drops panels ``x``."""
    out = []
    for task in TASKS:
        full, q = ITERATIONS[task]
        iters = q if quick else full
        for p in panels(task, extras=not quick):
            for rep in range(REPS[int(quick)]):
                out.append(
                    {
                        "task": task,
                        "panel": p.panel,
                        "rep": rep,
                        "iterations": iters,
                        "eval_every": max(1, iters // EVALS[int(quick)]),
                    }
                )
    return out


def compute(config: dict, seed: int) -> list[dict]:
    """Train one configuration for one seed; one row per evaluation point."""
    task_name, rep = config["task"], int(config["rep"])
    p = next(q for q in panels(task_name) if q.panel == config["panel"])
    task = make_task(task_name, np.random.default_rng([rep, 0]))
    theta0 = task.model.init(np.random.default_rng([rep, 1]))
    cfg = TrainConfig(
        iterations=int(config["iterations"]), eval_every=int(config["eval_every"]), **p.train
    )
    res = train(task.model, task.train, task.heldout, cfg, np.random.default_rng(seed), theta0)
    base = {
        "task": task_name,
        "panel": p.panel,
        "label": label(cfg),
        "paper": p.paper,
        "expected_fastest": p.expected_fastest,
        "rep": rep,
        "status": res.status,
        "steps": res.steps,
        "clipped_fraction": res.clipped_fraction,
    }
    return [
        {
            **base,
            "iteration": int(k),
            "train_loss": float(a),
            "heldout_loss": float(b),
            "heldout_accuracy": None if math.isnan(c) else float(c),
        }
        for k, a, b, c in zip(
            res.eval_iteration, res.train_loss, res.heldout_loss, res.heldout_accuracy
        )
    ]


# --------------------------------------------------------------------------- verdict
def _runs(rows: list[dict]) -> dict[tuple[str, str], dict[int, list[dict]]]:
    out: dict[tuple[str, str], dict[int, list[dict]]] = {}
    for r in rows:
        out.setdefault((r["task"], r["panel"]), {}).setdefault(int(r["rep"]), []).append(r)
    return out


def _score(rs: list[dict]) -> float:
    if rs[0]["status"] != "finished":
        return math.inf
    losses = np.array([float(r["train_loss"]) for r in rs])
    if not np.all(np.isfinite(losses)) or np.any(losses <= 0):
        return math.inf
    return float(np.mean(np.log10(losses)))


def _num(v) -> float:
    return math.nan if v is None or v == "" else float(v)


def config_stats(rows: list[dict]) -> list[dict]:
    """Per (task, panel): speed score, final losses and accuracy (medians over seeds)."""
    out = []
    for (task, panel), reps in _runs(rows).items():
        first = next(iter(reps.values()))[0]
        scores = [_score(rs) for rs in reps.values()]
        finished = [rs for rs in reps.values() if rs[0]["status"] == "finished"]
        med = lambda xs: float(np.median(xs)) if xs else math.nan  # noqa: E731
        out.append(
            {
                "task": task,
                "panel": panel,
                "label": first["label"],
                "paper": first["paper"],
                "expected_fastest": bool(first["expected_fastest"]),
                "seeds": len(reps),
                "diverged": sum(rs[0]["status"] != "finished" for rs in reps.values()),
                "first_divergence": min(
                    (int(rs[0]["steps"]) for rs in reps.values() if rs[0]["status"] != "finished"),
                    default=None,
                ),
                "score": float(np.median(scores)),
                "final_train_loss": med([_num(rs[-1]["train_loss"]) for rs in finished]),
                "final_heldout_loss": med([_num(rs[-1]["heldout_loss"]) for rs in finished]),
                "final_heldout_accuracy": med(
                    [_num(rs[-1]["heldout_accuracy"]) for rs in finished]
                ),
            }
        )
    return out


def verdict(rows: list[dict]) -> Verdict:
    """``reproduced`` iff the expected-fastest configuration has the best score per task."""
    stats = config_stats(rows)
    if not stats:
        return Verdict("no data", kind="empirical")
    checks, notes, ratios = [], [], []
    for task in TASKS:
        ts = [s for s in stats if s["task"] == task]
        if not ts:
            continue
        best = min(ts, key=lambda s: s["score"])
        exp = next((s for s in ts if s["expected_fastest"]), None)
        ok = exp is not None and best["panel"] == exp["panel"]
        others = [s["score"] for s in ts if not s["expected_fastest"]]
        if task in VERDICT_TASKS:
            checks.append((task, ok, best, exp))
            if exp is not None and others:
                ratios.append(exp["score"] - min(others))
        notes.append(
            f"{task}{'' if task in VERDICT_TASKS else ' (extra, not in the verdict)'}: fastest "
            f"{best['label']} (score {best['score']:.3g}); expected {exp['label'] if exp else '-'}"
            f"; " + "; ".join(_stat_text(s) for s in ts)
        )
    bad = [c for c in checks if not c[1]]
    return Verdict(
        verdict="not reproduced" if bad else "reproduced",
        kind="empirical",
        instances=len(checks),
        violations=len(bad),
        median_ratio=float(np.median(ratios)) if ratios else None,
        max_ratio=max(ratios) if ratios else None,
        criterion=(
            "per model (RNN, classifier), the large-lr clipped configuration has the smallest "
            "speed score = median over seeds of mean log10(training loss) over evaluation "
            "points (diverged = +inf). Ratios reported: score(expected) - best other score "
            "(negative = clipping fastest)."
        ),
        counterexamples=tuple(
            {"task": t, "fastest": b["label"], "expected": e["label"] if e else None}
            for t, _, b, e in bad
        ),
        notes=tuple(notes),
    )


def _stat_text(s: dict) -> str:
    txt = f"{s['label']}: score {s['score']:.3g}"
    if s["diverged"]:
        txt += f", diverged in {s['diverged']}/{s['seeds']} seeds (first at step "
        txt += f"{s['first_divergence']})"
    if math.isfinite(s["final_train_loss"]):
        txt += f", final train loss {s['final_train_loss']:.3g}"
        txt += f", held-out loss {s['final_heldout_loss']:.3g}"
    if math.isfinite(s["final_heldout_accuracy"]):
        txt += f", held-out accuracy {s['final_heldout_accuracy']:.3g}"
    return txt


# ------------------------------------------------------------------------------ plot
_PLAIN = FuncFormatter(lambda v, _: f"{v:g}")
_METRICS = (
    ("train_loss", "training loss", True),
    ("heldout_loss", "held-out loss", True),
    ("heldout_accuracy", "held-out accuracy", False),
)
_TASK_TITLE = {
    "rnn_adding": "analog of Fig 4a-b (AWD-LSTM/PTB)",
    "mlp_teacher": "analog of Fig 4c-d (ResNet20/CIFAR-10)",
    "deep_linear": "deep linear network (lab extra)",
}


def plot(rows: list[dict], outdir: Path) -> list[Path]:
    """One row per model: training loss, held-out loss, held-out accuracy vs iteration."""
    runs = _runs(rows)
    tasks = [t for t in TASKS if any(k[0] == t for k in runs)]
    if not tasks:
        return []
    fig, axes = new_figure(3, len(tasks), width=3.8, height=3.0)
    for i, task in enumerate(tasks):
        keys = [k for k in runs if k[0] == task]
        cap = {
            m: max(
                (_num(rs[0][m]) for k in keys for rs in runs[k].values()
                 if math.isfinite(_num(rs[0][m]))),
                default=1.0,
            )
            for m, _, _ in _METRICS
        }  # fmt: skip
        for j, (metric, name, logy) in enumerate(_METRICS):
            ax = axes[i, j]
            any_data = False
            for c, key in enumerate(sorted(keys, key=lambda k: k[1])):
                reps = runs[key]
                first = next(iter(reps.values()))[0]
                lab = f"({key[1]}) {first['label']}"
                its = sorted({int(r["iteration"]) for rs in reps.values() for r in rs})
                mat = np.full((len(reps), len(its)), np.nan)
                pos = {k: n for n, k in enumerate(its)}
                for a, rs in enumerate(reps.values()):
                    for r in rs:
                        mat[a, pos[int(r["iteration"])]] = _num(r[metric])
                mat[~np.isfinite(mat)] = np.nan
                if logy:  # a diverging run leaves the frame: cut it at 100x the start
                    mat[mat > 100 * cap[metric]] = np.nan
                if np.all(np.isnan(mat)):
                    continue
                any_data = True
                x = np.array(its)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
                    med = np.nanmedian(mat, axis=0)
                    lo, hi = np.nanmin(mat, axis=0), np.nanmax(mat, axis=0)
                nd = sum(rs[0]["status"] != "finished" for rs in reps.values())
                if nd:
                    lab += f" (diverged {nd}/{len(reps)})"
                ax.plot(x, med, color=color(c), label=lab, lw=1.3)
                ax.fill_between(x, lo, hi, color=color(c), alpha=0.2, lw=0)
                if nd:
                    k = np.where(np.isfinite(med))[0]
                    if k.size:
                        ax.plot(x[k[-1]], med[k[-1]], "x", color=color(c), ms=7)
            if not any_data:
                ax.set_visible(False)
                continue
            if logy:
                ax.set_yscale("log")
                ax.yaxis.set_major_formatter(_PLAIN)  # plain labels: mathtext is slow
                ax.yaxis.set_minor_formatter(NullFormatter())
            ax.set_xlabel("iteration")
            ax.set_ylabel(name)
            ax.set_title(f"{task}: {name}\n{_TASK_TITLE[task]}")
            if j == 0:
                ax.legend(loc="best")
    fig.suptitle(
        "Lab analogs of Fig 4, not the paper's runs (median over seeds, min-max band; × = "
        "diverged): " + "; ".join(f"{t}: {TASKS[t]}" for t in tasks),
        wrap=True,
    )
    return save(fig, Path(outdir), "training_curves")


def report_section(rows: list[dict]) -> str:
    """A Markdown table per configuration: speed score, final metrics, divergences."""
    lines = [
        "Analogs, not the paper's runs (see the figure caption for models and data). Speed "
        "score = median over seeds of mean log10(training loss) over the evaluation points "
        "(lower = faster; diverged = inf).",
        "",
        "| model | panel | config | stands for | seeds | diverged | score | final train loss "
        "| held-out loss | held-out acc. |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in config_stats(rows):
        star = " (expected fastest)" if s["expected_fastest"] else ""
        lines.append(
            f"| {s['task']} | {s['panel']} | `{s['label']}`{star} | {s['paper']} | {s['seeds']} "
            f"| {s['diverged']} | {s['score']:.3g} | {s['final_train_loss']:.3g} "
            f"| {s['final_heldout_loss']:.3g} | {s['final_heldout_accuracy']:.3g} |"
        )
    return "\n".join(lines) + "\n"
