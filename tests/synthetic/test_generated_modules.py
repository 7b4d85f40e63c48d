"""The one code-generation path: self-contained (family, step rule) modules and their cache."""

from __future__ import annotations

import ast
import os
import time

import numpy as np
import pytest
from numba import njit

from synthetic import codegen
from synthetic import steprules as sr
from synthetic._template_globals import fg
from synthetic.catalogue import cosh, polynomial
from synthetic.cli import main
from synthetic.result import CONVERGED
from synthetic.run import run
from synthetic.sweep import sweep


@pytest.fixture(scope="module")
def quartic():
    return polynomial([0.0, 0.0, 0.5, 0.0, 1.0])  # x^4 + x^2/2


def _imports(source: str) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            out.add(node.module)
    return out


@pytest.mark.parametrize("rule", list(sr.RULES))
def test_module_is_self_contained(quartic, rule):
    source = codegen.generate_kernel_source(quartic.family, rule)
    assert _imports(source) == {"math", "numpy", "numba"}
    tree = ast.parse(source)
    defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    kernels = {n for names in codegen.KERNEL_TEMPLATES.values() for n in names}
    assert kernels | {"fg", "fgh", "step_size"} <= defined
    # the status codes are the module's own constants, with the values of synthetic.result
    namespace: dict = {}
    consts = [n for n in tree.body if isinstance(n, ast.Assign)]
    exec(compile(ast.Module(consts, []), "<consts>", "exec"), namespace)
    assert (namespace["CONVERGED"], namespace["DIVERGED"], namespace["MAX_ITER"]) == (0, 1, 2)


def test_module_source_changes_with_the_rule_and_the_family(quartic):
    a = codegen.generate_kernel_source(quartic.family, "gd")
    b = codegen.generate_kernel_source(quartic.family, "clipped_gd")
    c = codegen.generate_kernel_source(cosh(1.0).family, "gd")
    assert len({a, b, c}) == 3
    assert "rule 'clipped_gd'" in b and "rule 'clipped_gd'" not in a


def test_an_uncopyable_global_is_named():
    @njit
    def uses_a_list(gn, s):
        return _A_LIST[0] * s[0]

    rule = sr.StepRule("uses_a_list", uses_a_list, ("h",), "test")
    with pytest.raises(ValueError, match="_A_LIST"):
        codegen._rule_section(rule)


_A_LIST = [1.0]


@njit(cache=True, error_model="numpy")
def armijo(x, f, g, gn, p, s):
    """Backtracking from h0 = s[0] until f(x - h g) <= f - c h gn^2, c = s[1], h *= s[2]."""
    h = s[0]
    while h > 0.0 and not (fg(x - h * g, p)[0] <= f - s[1] * h * gn * gn):
        h *= s[2]
    return h


def _armijo_reference(coeffs, x, h0, c, rho, eps, max_iter):
    """Plain Python: the same iteration on the polynomial, one Armijo search per step."""

    def fgp(y):
        f = sum(a * y**k for k, a in enumerate(coeffs))
        g = sum(k * a * y ** (k - 1) for k, a in enumerate(coeffs) if k)
        return f, g

    f, g = fgp(x)
    for k in range(max_iter + 1):
        if abs(g) <= eps:
            return k, x
        h = h0
        while h > 0.0 and not (fgp(x - h * g)[0] <= f - c * h * g * g):
            h *= rho
        x = x - h * g
        f, g = fgp(x)
    return None, x


def test_a_rule_that_evaluates_f(quartic, monkeypatch):
    """An Armijo-type rule (uses_f=True) calls the family's fg inside the step."""
    rule = sr.StepRule("armijo", armijo, ("h0", "c", "rho"), "Armijo", uses_f=True)
    monkeypatch.setitem(sr.RULES, "armijo", rule)
    source = codegen.generate_kernel_source(quartic.family, "armijo")
    assert "return armijo(x, f, g, gn, p, s)" in source
    res = run(quartic, "armijo", 3.0, 1e-8, h0=1.0, c=0.5, rho=0.5, max_iter=10_000)
    k, x = _armijo_reference([0.0, 0.0, 0.5, 0.0, 1.0], 3.0, 1.0, 0.5, 0.5, 1e-8, 10_000)
    assert res.status == "converged" and res.iterations == k
    assert res.x_final[0] == pytest.approx(x, abs=1e-9)
    swept = sweep(quartic, "armijo", np.array([3.0, -2.0]), 1e-8, h0=1.0, c=0.5, rho=0.5)
    assert swept.status_code[0] == CONVERGED and swept.iterations[0] == res.iterations
    assert swept.x_final[0] == res.x_final[0]


def _fake_module(folder, name, atime):
    src = folder / f"{name}.py"
    src.write_text("x = 1\n")
    cache = folder / "__pycache__"
    cache.mkdir(exist_ok=True)
    (cache / f"{name}.iterate_1d-1.py311.nbi").write_bytes(b"0" * 100)
    os.utime(src, (atime, atime))
    return src


def test_clean_cache_is_least_recently_used_first(tmp_path, monkeypatch):
    monkeypatch.setenv("CLIPLAB_CACHE_DIR", str(tmp_path))
    folder = codegen.cache_dir()
    now = time.time()
    old = _fake_module(folder, "_cliplab_old", now - 7200)
    mid = _fake_module(folder, "_cliplab_mid", now - 5000)
    new = _fake_module(folder, "_cliplab_new", now)
    report = codegen.clean_cache(max_modules=2, min_age_s=3600)
    assert (report.removed, report.kept) == (1, 2)
    assert not old.exists() and not list((folder / "__pycache__").glob("_cliplab_old.*"))
    assert mid.exists() and new.exists()
    report = codegen.clean_cache(max_modules=0, min_age_s=3600)  # the recent one stays
    assert (report.removed, report.kept) == (1, 1) and new.exists() and not mid.exists()
    assert codegen.clean_cache().kept == 0 and not new.exists()
    with pytest.raises(ValueError):
        codegen.clean_cache(max_modules=-1)


def test_cli_clean_cache(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CLIPLAB_CACHE_DIR", str(tmp_path))
    _fake_module(codegen.cache_dir(), "_cliplab_x", time.time())
    assert main(["--clean-cache"]) == 0
    assert "removed 1 generated modules" in capsys.readouterr().out
    assert not list(codegen.cache_dir().glob("*.py"))
    with pytest.raises(SystemExit) as err:
        main(["gd", "x**2"])
    assert err.value.code == 2
