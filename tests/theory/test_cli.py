"""Tests of ``python -m theory`` (theory.cli)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from theory.cli import main


def test_json_output(capsys):
    assert main(["x**4/4 - x**2/2", "--x0", "2", "--L1", "1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["f_star"] == pytest.approx(-0.25)
    assert data["delta"] == pytest.approx(2.25)
    assert data["L1"] == 1.0
    assert data["method"] == "exact"
    assert data["global_class"] is True


def test_text_output_vector_x0(capsys):
    assert main(["x1**2 + x2**2", "--x0", "1,2"]) == 0
    out = capsys.readouterr().out
    assert "L0*(L1" in out and "method: exact" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["x**3", "--x0", "1"],
        ["x**2", "--x0", "a"],
        ["x**2", "--x0", "1", "--radius", "0"],
        ["x1**2 + x2**2", "--x0", "1"],
        ["x**2", "--x0", "1", "--L1", "-1"],
        ["__import__('os')", "--x0", "1"],
        ["x**2", "--x0", "1", "--budget", "-1"],
        ["x + exp(x)", "--x0", "0"],
    ],
)
def test_bad_input_exit_2_one_line(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_global_mode_without_x0(capsys):
    # x^4/4 on R: f* = 0, L0*(1) = max of 3x^2 - |x|^3 = 4 at |x| = 2 (hand-derived)
    assert main(["x**4/4", "--L1", "1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["x0"] == [] and data["delta"] is None
    assert data["f_star"] == pytest.approx(0.0, abs=1e-12)
    assert data["L0"] == pytest.approx(4.0, rel=1e-9)
    assert data["global_class"] is True and data["method"] == "exact"
    assert {"frontier", "method", "L0"} <= set(data)


def test_eps_needs_x0(capsys):
    assert main(["x**2", "--eps", "0.1"]) == 2
    assert "--x0" in capsys.readouterr().err


def test_numerical_certificate_says_what_is_estimated(capsys):
    # exp(x1 + 2 x2) from the origin: sup over S0 of ||grad f|| = sqrt(5) (attained at 0)
    assert main(["exp(x1 + 2*x2)", "--x0", "0,0", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == "numerical" and "M" in data["estimated"]
    assert data["M"] != "inf" and data["M"] <= 5**0.5 * (1 + 1e-9)
    assert data["M"] == pytest.approx(5**0.5, rel=1e-6)


def test_broken_pipe_is_silent():
    proc = subprocess.run(
        f"{sys.executable} -m theory 'x**4/4 - x**2/2' --x0 2 | head -1",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr
    assert proc.stdout.startswith("f(x) =")


def test_module_entry_point():
    proc = subprocess.run(
        [sys.executable, "-m", "theory", "x**3", "--x0", "1"], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "Assumption 1" in proc.stderr and "Traceback" not in proc.stderr


def test_negative_start_after_x0(capsys):
    # argparse alone reads "-1" as an option; the CLI joins it to --x0
    assert main(["x**2", "--x0", "-1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["x0"] == [-1.0] and data["delta"] == pytest.approx(1.0)


def test_global_mode_separable(capsys):
    # x1^4 + x2^2 on R^2, L1 = 1: at (2, 0) ||H|| = 48, ||g|| = 32, and no point does better
    # (the coordinates' global maxima are 16 and 2, hand-derived)
    assert main(["x1**4 + x2**2", "--L1", "1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["L0"] == pytest.approx(16.0, rel=1e-9)
    assert data["witness"] == pytest.approx([2.0, 0.0], abs=1e-9)
    assert data["method"] == "exact"
