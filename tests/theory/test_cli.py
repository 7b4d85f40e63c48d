"""Tests of ``python -m theory`` (theory.cli)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from theory.cli import build_parser, main


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
    ],
)
def test_bad_input_exit_2_one_line(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_missing_x0_is_usage_error():
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["x**2"])
    assert info.value.code == 2


def test_module_entry_point():
    proc = subprocess.run(
        [sys.executable, "-m", "theory", "x**3", "--x0", "1"], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "Assumption 1" in proc.stderr and "Traceback" not in proc.stderr
