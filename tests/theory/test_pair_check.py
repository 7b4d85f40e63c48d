"""Tests of theory.pair_check (``python -m theory check``) against hand-derived pairs.

Every invalid verdict's witness is re-evaluated here, independently, with sympy at 60
digits: ``|f''(w)| - L0 - L1 |f'(w)|`` (one dimension) must be positive. The pairs:

- x^4 on R: ``sup (12x^2 - 4 L1 |x|^3)`` over R is ``16 / L1^2`` at ``|x| = 2 / L1``, so
  (16, 1) is valid with no room and (15, 1) is not;
- x^3 on R: ``sup (6|x| - 3 L1 x^2) = 3 / L1`` at ``|x| = 1 / L1``: (3, 1) valid,
  (2.9, 1) invalid;
- e^x on R: ``h = g``, so (0, 1) is valid and (0, 1/2) invalid (``h - g/2 -> inf``);
- e^x + e^-x and log(e^x + e^-x): at 0 the gradient vanishes and the Hessian is 2 and 1,
  so no (0, L1) holds (docs/paper.md, oracle facts); declared (0, 1) in public code;
- x^4 from x0 = 1: S0 = [-1, 1], S = [-2, 2], ``sup_S (12x^2 - 4|x|^3) = 16`` at 2.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

from theory.cli import main
from theory.pair_check import check_pair


def _excess_1d(expr_text: str, w: float, L0: float, L1: float) -> sp.Float:
    x = sp.Symbol("x", real=True)
    e = sp.sympify(expr_text, locals={"x": x})
    t = sp.Rational(w)
    h = abs(sp.N(sp.diff(e, x, 2).subs(x, t), 60))
    g = abs(sp.N(sp.diff(e, x).subs(x, t), 60))
    return h - sp.Rational(L0) - sp.Rational(L1) * g


@pytest.mark.parametrize(
    "expr, L0, L1, x0, verdict",
    [
        ("x**4", 16, 1, None, "valid"),
        ("x**4", 15, 1, None, "invalid"),
        ("x**3", 3, 1, None, "valid"),
        ("x**3", 2.9, 1, None, "invalid"),
        ("exp(x)", 0, 1, None, "valid"),
        pytest.param("exp(x)", 0, 0.5, None, "invalid", marks=pytest.mark.slow),
        ("exp(x) + exp(-x)", 0, 1, None, "invalid"),
        pytest.param("log(exp(x) + exp(-x))", 0, 5, None, "invalid", marks=pytest.mark.slow),
        ("x**4", 16, 1, 1.0, "valid"),
        ("x**4", 10, 1, 1.0, "invalid"),
    ],
)
def test_hand_derived_pairs(expr, L0, L1, x0, verdict):
    res = check_pair(expr, L0, L1, x0=x0, budget=60)
    assert res.verdict == verdict, res.reason
    if verdict == "invalid":
        (w,) = res.witness
        exc = _excess_1d(expr, w, L0, L1)
        assert exc > 0
        assert float(exc) == pytest.approx(res.violation, rel=1e-9)
        if x0 is not None:  # the witness lies in S = [-2, 2]
            assert -2 - 1e-9 <= w <= 2 + 1e-9
    if verdict == "valid":
        assert res.room is not None and res.room >= 0
        assert res.room == pytest.approx(L0 - res.sup_bound)


def test_room_left_is_the_gap_to_the_supremum():
    # x^4 on R with L1 = 1: sup = 16, so L0 = 20 leaves 4
    res = check_pair("x**4", 20, 1)
    assert res.verdict == "valid" and res.room == pytest.approx(4.0, rel=1e-9)


@pytest.mark.slow
def test_undecided_when_only_numerical():
    res = check_pair("x1**4 + x1**2*x2**2 + x2**4", 1000, 1, x0=[1.0, 1.0], budget=60)
    assert res.verdict == "undecided" and res.method == "numerical"
    assert res.witness is None and "estimate" in res.reason


@pytest.mark.slow
def test_scaled_quartic_declared_4_3_is_refuted():
    # ||Ax||^4, A = diag(linspace(1/20, 1, 20)): a published notebook declares (4, 3)
    a = np.linspace(1 / 20, 1, 20)
    terms = " + ".join(f"{sp.Rational(float(v) ** 2)}*x{i + 1}**2" for i, v in enumerate(a))
    expr = f"({terms})**2"
    res = check_pair(expr, 4, 3, budget=120)
    assert res.verdict == "invalid"
    # independent re-evaluation: gradient and Hessian of (x^T D x)^2, D = A^2, at 60 digits
    import mpmath

    with mpmath.workdps(60):
        w = [mpmath.mpf(v) for v in res.witness]
        d = [mpmath.mpf(sp.Rational(float(v) ** 2)) for v in a]
        s = sum(di * wi**2 for di, wi in zip(d, w))
        dw = [di * wi for di, wi in zip(d, w)]
        grad = [4 * s * v for v in dw]
        hess = mpmath.matrix(20)
        for i in range(20):
            for j in range(20):
                hess[i, j] = 8 * dw[i] * dw[j] + (4 * s * d[i] if i == j else 0)
        hn = max(abs(e) for e in mpmath.eigsy(hess, eigvals_only=True))
        excess = hn - 4 - 3 * mpmath.sqrt(sum(g * g for g in grad))
    assert excess > 0


def test_cli_check_json_keys(capsys):
    assert main(["check", "exp(x) + exp(-x)", "--L0", "0", "--L1", "1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("verdict", "witness", "violation", "method", "reason"):
        assert key in data
    assert data["verdict"] == "invalid" and abs(data["witness"][0]) < 1e-6
    assert data["violation"] == pytest.approx(2.0, rel=1e-6)


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "x**2", "--L0", "-1", "--L1", "1"],
        ["check", "x**2", "--L0", "1"],
        ["check", "x**2", "--L0", "1", "--L1", "1", "--x0", "a"],
        ["check", "x**2", "--L0", "1", "--L1", "1", "--budget", "0"],
    ],
)
def test_cli_check_bad_input_exit_2(argv, capsys):
    with_exit = None
    try:
        with_exit = main(argv)
    except SystemExit as exc:  # argparse usage errors
        with_exit = exc.code
    assert with_exit == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_cli_text_check_valid(capsys):
    assert main(["check", "x**4", "--L0", "16", "--L1", "1"]) == 0
    out = capsys.readouterr().out
    assert "verdict: valid" in out and "room left" in out


def test_module_check_entry_point():
    proc = subprocess.run(
        [sys.executable, "-m", "theory", "check", "x**3", "--L0", "3", "--L1", "1"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0 and "verdict: valid" in proc.stdout
