"""The follow-up bounds in the upper-bound suite: planted violations and the finding rule.

A bound divided by 2 is caught wherever some count exceeds half its bound: on ``x^2/2`` from 1
with ``eps = 0.999`` (one step, bounds near 1) for eta*, eta_si and the effective-L GD, on
``sqrt(1 + x^2)`` from 30 (a long near-linear stretch) for smoothed clipping. For the other four
no instance reaches half the bound (their structure forbids it: eta_cl and clip_c have bounds
>= 2 with T = 1, Armijo's recalled constant carries a factor 1/(beta gamma (1 - gamma)) = 8), so
they are planted at the smallest power-of-two divisor the witnesses expose.
"""

from __future__ import annotations

import math

import pytest

from figures import upper_bounds as U
from figures._followup import FOLLOWUPS, followup_rows, outcome
from synthetic.objective import objective_from_expr
from theory.smoothness import certify

# result -> (expression, x0, eps as a fraction of ||grad f(x0)||, divisor that must be caught)
PLANTS = {
    "vankov2025_eta_star": ("x**2/2", 1.0, 0.999, 2),
    "vankov2025_eta_si": ("x**2/2", 1.0, 0.999, 2),
    "li2023_effective_L": ("x**2/2", 1.0, 0.999, 2),
    "gorbunov2025_smoothed_clip": ("sqrt(1 + x**2)", 30.0, 0.99, 2),
    "vankov2025_eta_cl": ("x**2/2", 1.0, 0.999, 4),
    "koloskova2023_clip": ("x**2/2", 1.0, 0.999, 4),
    "chen2023_beta_ngd": ("x**2/2", 1.0, 0.999, 4),
    "hubler2024_armijo": ("x**2/2", 1.0, 0.999, 32),
}


def test_every_followup_has_a_plant():
    assert set(PLANTS) == {t.key for t in FOLLOWUPS}


@pytest.fixture(scope="module")
def rows_by_instance():
    out = {}
    for expr, x0, frac, _ in set(PLANTS.values()):
        obj = objective_from_expr(expr)
        cert = certify(obj, x0)
        eps = frac * obj.grad_norm([x0])
        out[(expr, x0, frac)] = (obj, x0, eps, cert)
    return out


@pytest.mark.parametrize("key", sorted(PLANTS))
def test_planted_violation_is_caught(rows_by_instance, key):
    expr, x0, frac, div = PLANTS[key]
    obj, x0, eps, cert = rows_by_instance[(expr, x0, frac)]
    honest = {r["theorem"]: r for r in followup_rows(obj, x0, eps, cert, 10**6)}
    assert honest[key]["outcome"] == "ok"
    planted = {r["theorem"]: r for r in followup_rows(obj, x0, eps, cert, 10**6, scale=1 / div)}
    r = planted[key]
    assert r["outcome"] == "violation" and r["iterations"] > r["bound"]
    base = {"family": "plant", "rep": 0, "objective": expr, "x0": str(x0), "eps": eps}
    v = U.verdict([{**base, **row} for row in planted.values()])
    assert v.verdict == "violated" and any(c["method"] == key for c in v.counterexamples)


def test_outcome_rule():
    assert outcome("converged", 5, 5.0, 6, 6) == "ok"
    assert outcome("converged", 6, 5.5, 6, 6) == "violation"
    assert outcome("diverged", 1, 9.0, 10, 10) == "violation"
    assert outcome("max_iter", 100, 1e9, 10**9 + 1, 100) == "censored"
    assert outcome("max_iter", 10, 9.0, 10, 10) == "violation"


def test_finding_is_reported_not_failed():
    """A recalled constant exceeded within the lab's bound is a finding: a note with the
    witness, not a violation."""
    base = {"family": "f", "rep": 0, "objective": "x**2", "x0": "[1.0]", "eps": 0.1}
    rows = [
        {**base, "method": "hubler2024_armijo", "theorem": "hubler2024_armijo",
         "outcome": "finding", "iterations": 12, "bound": 10.0, "lab_bound": 20.0,
         "ratio": 1.2},
        {**base, "method": "gd", "theorem": "Theorem 6", "outcome": "ok", "iterations": 3,
         "bound": 10.0, "ratio": 0.3},
    ]  # fmt: skip
    v = U.verdict(rows)
    assert v.verdict == "holds" and any("finding: hubler2024_armijo" in n for n in v.notes)
    assert not math.isnan(v.max_ratio)
