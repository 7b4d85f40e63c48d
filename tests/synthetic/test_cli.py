"""``python -m synthetic``: JSON keys, readable summary, exit status 2 on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from synthetic.cli import main


def test_json_output(capsys):
    assert (
        main(
            [
                "clipped_gd",
                "x**8 + 0.5*x**2",
                "--x0",
                "30",
                "--eps",
                "1e-6",
                "--eta",
                "0.1",
                "--gamma",
                "1",
                "--json",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    for key in ("method", "status", "iterations", "x_final", "f_final", "grad_norm_final"):
        assert key in out
    assert out["method"] == "clipped_gd" and out["status"] == "converged"
    assert abs(out["grad_norm_final"]) <= 1e-6


def test_vector_start_and_summary(capsys):
    assert main(["gd", "x1**2 + 2*x2**2", "--x0", "1,-1", "--eps", "1e-6", "--h", "0.1"]) == 0
    text = capsys.readouterr().out
    assert "status       converged" in text and "iterations" in text


def test_divergence_is_a_result_not_an_error(capsys):
    assert main(["gd", "x**4", "--x0", "3", "--eps", "1e-6", "--h", "10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "diverged" and out["cause"] in ("inf", "overflow", "nan")


@pytest.mark.parametrize(
    "argv",
    [
        ["gd", "x**2", "--x0", "1", "--eps", "0", "--h", "0.1"],
        ["gd", "x**2", "--x0", "1", "--eps", "nan", "--h", "0.1"],
        ["gd", "x**2", "--x0", "1", "--eps", "1e-3", "--h", "-0.1"],
        ["gd", "x**2", "--x0", "1", "--eps", "1e-3", "--h", "inf"],
        ["gd", "x**2", "--x0", "1,2", "--eps", "1e-3", "--h", "0.1"],
        ["gd", "x**2", "--x0", "inf", "--eps", "1e-3", "--h", "0.1"],
        ["gd", "x**2", "--x0", "a", "--eps", "1e-3", "--h", "0.1"],
        ["gd", "x**2 +", "--x0", "1", "--eps", "1e-3", "--h", "0.1"],
        ["gd", "x*y", "--x0", "1", "--eps", "1e-3", "--h", "0.1"],
        ["gd", "x**2", "--x0", "1", "--eps", "1e-3", "--h", "0.1", "--max-iter", "0"],
        ["adam", "x**2", "--x0", "1", "--eps", "1e-3"],
        ["gd", "x**2", "--x0", "1", "--eps", "1e-3"],
        ["gd", "x**2", "--x0", "1", "--eps", "1e-3", "--h", "0.1", "--gamma", "1"],
    ],
)
def test_bad_input_exits_2_with_one_line(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err and "\n" not in err and "Traceback" not in err


def test_module_entry_point():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "synthetic",
            "gd",
            "x**2/2",
            "--x0",
            "1",
            "--eps",
            "0.5",
            "--h",
            "0.5",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["iterations"] == 1
    bad = subprocess.run(
        [sys.executable, "-m", "synthetic", "gd", "x**2/2", "--x0", "1", "--eps", "-1", "--h", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
