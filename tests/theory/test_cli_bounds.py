"""``python -m theory ... --eps``: the bounds section, JSON ``bounds``, Markdown, and the
end-to-end check of issue 4 (the printed Theorem 3 parameters, run by ``python -m synthetic``,
converge within the printed bound)."""

from __future__ import annotations

import json

import pytest

from synthetic.cli import main as synthetic_main
from theory.cli import main
from theory.theorems import ALL

ARGS = ["x**8/8 + x**2/2", "--x0", "4", "--eps", "1e-2"]


@pytest.fixture(scope="module")
def bounds_json():
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main([*ARGS, "--json"]) == 0
    return json.loads(buf.getvalue())


def test_json_has_every_bound(bounds_json):
    bounds = bounds_json["bounds"]
    followup = {t.key for t in ALL if getattr(t, "followup", False)}
    assert set(bounds) == {"thm3_clipped_gd", "thm6_gd", "ngd", "thm4_gd_lower"} | followup
    for entry in bounds.values():
        for key in ("kind", "value", "params", "provenance", "constant_reproduced"):
            assert key in entry
    assert set(bounds["thm3_clipped_gd"]["theorem_params"]) == {"eta_c", "gamma"}
    assert set(bounds["thm6_gd"]["theorem_params"]) == {"h"}
    assert set(bounds["ngd"]["theorem_params"]) == {"eta", "beta"}
    # kernel-ready run parameters: the method and exactly its kernel's keyword arguments
    assert bounds["thm3_clipped_gd"]["params"].keys() == {"method", "eta", "gamma"}
    assert bounds["thm3_clipped_gd"]["params"]["method"] == "clipped_gd"
    assert bounds["thm6_gd"]["params"] == {"method": "gd", **bounds["thm6_gd"]["theorem_params"]}
    assert bounds["ngd"]["params"]["method"] == "normalized_gd"
    assert bounds["thm3_clipped_gd"]["kind"] == "upper"
    assert bounds["thm4_gd_lower"]["kind"] == "lower"


def test_stochastic_bounds_need_tau_and_T(capsys):
    assert main([*ARGS, "--json", "--tau", "0.5", "--T", "1e6"]) == 0
    bounds = json.loads(capsys.readouterr().out)["bounds"]
    assert {"thm7_clipped_sgd", "thm8_sgd"} <= set(bounds)
    assert main([*ARGS, "--tau", "0.5"]) == 2
    assert "go together" in capsys.readouterr().err


def test_printed_thm3_parameters_converge_within_the_printed_bound(bounds_json, capsys):
    thm3 = bounds_json["bounds"]["thm3_clipped_gd"]
    eta, gamma = thm3["params"]["eta"], thm3["params"]["gamma"]
    assert eta == thm3["theorem_params"]["eta_c"]
    argv = [thm3["params"]["method"], ARGS[0], "--x0", "4", "--eps", "1e-2", "--json"]
    assert synthetic_main([*argv, "--eta", repr(eta), "--gamma", repr(gamma)]) == 0
    run = json.loads(capsys.readouterr().out)
    assert run["status"] == "converged"
    assert run["iterations"] <= thm3["value"]


def test_printed_thm6_step_converges_within_the_printed_bound(bounds_json, capsys):
    thm6 = bounds_json["bounds"]["thm6_gd"]
    argv = ["gd", ARGS[0], "--x0", "4", "--eps", "1e-2", "--json", "--max-iter", "100000000"]
    assert synthetic_main([*argv, "--h", repr(thm6["params"]["h"])]) == 0
    run = json.loads(capsys.readouterr().out)
    assert run["status"] == "converged"
    assert run["iterations"] <= thm6["value"]


def test_text_and_markdown(tmp_path, capsys):
    out = tmp_path / "report.md"
    assert main([*ARGS, "--markdown", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Theorem 3" in text and "Derivation" in text and "with numbers" in text
    md = out.read_text()
    assert md.startswith("# `x**8/8 + x**2/2`")
    assert "$$" in md and md.count("$$") % 2 == 0
    assert "Theorem 6" in md


@pytest.mark.parametrize(
    "extra", [["--eps", "0"], ["--eps", "-1"], ["--eps", "nan"], ["--tau", "-1", "--T", "10"]]
)
def test_bad_bound_options_exit_2(extra, capsys):
    argv = ["x**4", "--x0", "1", *extra]
    if "--tau" in extra:
        argv += ["--eps", "0.1"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err and "\n" not in err
