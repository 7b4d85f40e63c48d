"""Generate numba code for a :class:`~synthetic.objective.Family` from its sympy form.

For a family ``f(x; p)`` this module derives the gradient and the Hessian with
sympy, prints them as Python source (with common subexpressions shared and
univariate polynomials in Horner form), writes the source into an on-disk cache
folder and imports it. Every generated function is ``@njit(cache=True)``, so a
family compiles once per machine, not once per instance or per process.

Generated functions (``p`` is the parameter vector):

- one variable: ``fg(x, p) -> (f, g)`` and ``fgh(x, p) -> (f, g, |f''|)`` on floats;
- d variables: ``fg(x, p, g) -> f`` filling the array ``g``, and
  ``fgh(x, p, g) -> (f, ||Hess f||_2)``;

Kernels: for a (family, step rule) pair, :meth:`CompiledFamily.kernels` writes a
second module, the source of a kernel *template* (:mod:`synthetic.kernels`, and
any other template module) with its globals ``fg`` and ``step`` bound to the
family's function and the rule (see :mod:`synthetic.kernels` for why they are
globals and not arguments). Module names hash their source, so an edited template
or a changed family gets fresh modules and a fresh numba cache.

The cache folder is ``$CLIPLAB_CACHE_DIR`` or ``~/.cache/clipping_lab``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sympy as sp
from sympy.printing.pycode import PythonCodePrinter

from labio.atomic import atomic_write_text

__all__ = [
    "CompiledFamily",
    "cache_dir",
    "compile_family",
    "compile_kernels",
    "generate_source",
    "load_generated",
]

_CODEGEN_VERSION = "1"


def cache_dir() -> Path:
    """The folder holding generated modules and numba's cache of them."""
    root = os.environ.get("CLIPLAB_CACHE_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "clipping_lab"
    )
    path = Path(root) / "generated"
    path.mkdir(parents=True, exist_ok=True)
    return path


class _Printer(PythonCodePrinter):
    """Python printer whose output numba compiles: ``math.*`` calls, float literals."""

    def __init__(self, names: dict[sp.Symbol, str]):
        super().__init__({"fully_qualified_modules": True, "standard": "python3"})
        self._names = names

    def _print_Symbol(self, expr):
        return self._names.get(expr, super()._print_Symbol(expr))

    def _print_Rational(self, expr):
        return repr(float(expr.p) / float(expr.q)) if expr.q != 1 else f"{float(expr.p)!r}"

    def _print_Integer(self, expr):
        return f"{float(expr)!r}"

    def _print_Float(self, expr):
        return repr(float(expr))

    def _print_Pow(self, expr, rational=False):
        base, exp = expr.as_base_exp()
        if exp.is_Integer and 2 <= int(exp) <= 16:
            # repeated squaring: exact, fast and identical in Python and numba
            return f"_ipow({self._print(base)}, {int(exp)})"
        if exp == -1:
            return f"(1.0/{self.parenthesize(base, 100)})"
        if exp == sp.S.Half:
            return f"math.sqrt({self._print(base)})"
        return f"({self._print(base)})**({self._print(exp)})"

    def _print_Abs(self, expr):
        return f"abs({self._print(expr.args[0])})"

    def _print_Max(self, expr):
        return f"max({', '.join(self._print(a) for a in expr.args)})"

    def _print_Min(self, expr):
        return f"min({', '.join(self._print(a) for a in expr.args)})"

    def _print_sign(self, expr):
        a = self._print(expr.args[0])
        return f"(1.0 if ({a}) > 0 else (-1.0 if ({a}) < 0 else 0.0))"

    def _print_Heaviside(self, expr):
        a = self._print(expr.args[0])
        return f"(1.0 if ({a}) > 0 else (0.0 if ({a}) < 0 else 0.5))"

    def _print_DiracDelta(self, expr):
        return "0.0"

    def _print_BooleanTrue(self, expr):
        return "True"

    def _print_BooleanFalse(self, expr):
        return "False"


def _is_univariate_polynomial(expr: sp.Expr, variables) -> bool:
    return len(variables) == 1 and expr.is_polynomial(variables[0])


def _prepare(expr: sp.Expr, variables) -> sp.Expr:
    if _is_univariate_polynomial(expr, variables):
        return sp.horner(sp.expand(expr), wrt=variables[0])
    return expr


def _derivatives(family):
    x = family.variables
    f = family.expr
    grad = [sp.diff(f, v) for v in x]
    hess = [[sp.diff(grad[i], x[j]) for j in range(len(x))] for i in range(len(x))]
    return f, grad, hess


def _body(printer, outputs, indent="    ", share=True):
    """Lines computing ``outputs`` (with shared subexpressions if ``share``), and their names.

    Univariate polynomials are printed without sharing: plain Horner evaluation of
    each derivative, so that the rounding is the textbook one (c_n x + c_{n-1}) x + ...
    """
    if not share:
        return [], [printer._print(o) for o in outputs]
    replacements, reduced = sp.cse(outputs, symbols=sp.numbered_symbols("_c"), optimizations=None)
    lines = []
    for sym, value in replacements:
        printer._names[sym] = str(sym)
        lines.append(f"{indent}{sym} = {printer._print(value)}")
    return lines, [printer._print(r) for r in reduced]


_HEADER = '''"""Generated by synthetic.codegen from family {name!r}. Do not edit.

f = {expr}
"""
import math
import numpy as np
from numba import njit


@njit(cache=True, inline="always")
def _ipow(b, n):
    r = 1.0
    while n > 0:
        if n & 1:
            r = r * b
        b = b * b
        n >>= 1
    return r

'''


def generate_source(family) -> str:
    """Python source of the numba module for ``family`` (see the module docstring)."""
    x = family.variables
    d = len(x)
    names = {p: f"p[{i}]" for i, p in enumerate(family.params)}
    if d == 1:
        names[x[0]] = "x"
    else:
        names.update({v: f"x[{i}]" for i, v in enumerate(x)})
    f, grad, hess = _derivatives(family)
    f, grad = _prepare(f, x), [_prepare(g, x) for g in grad]
    hess = [[_prepare(h, x) for h in row] for row in hess]
    jit = '@njit(cache=True, error_model="numpy")'
    out = [_HEADER.format(name=family.name, expr=sp.sstr(family.expr)[:2000])]
    if d == 1:
        share = not _is_univariate_polynomial(family.expr, x)
        lines, (ef, eg) = _body(_Printer(dict(names)), [f, grad[0]], share=share)
        out += [jit, "def fg(x, p):", *lines, f"    return {ef}, {eg}", "", ""]
        lines, (ef, eg, eh) = _body(_Printer(dict(names)), [f, grad[0], hess[0][0]], share=share)
        out += [jit, "def fgh(x, p):", *lines, f"    return {ef}, {eg}, abs({eh})", ""]
        return "\n".join(out)
    lines, exprs = _body(_Printer(dict(names)), [f, *grad])
    out += [jit, "def fg(x, p, g):", *lines]
    out += [f"    g[{i}] = {e}" for i, e in enumerate(exprs[1:])]
    out += [f"    return {exprs[0]}", "", ""]
    upper = [hess[i][j] for i in range(d) for j in range(i, d)]
    lines, exprs = _body(_Printer(dict(names)), [f, *grad, *upper])
    out += [jit, "def fgh(x, p, g):", *lines]
    out += [f"    g[{i}] = {e}" for i, e in enumerate(exprs[1 : d + 1])]
    out += [f"    H = np.empty(({d}, {d}))"]
    k = d + 1
    for i in range(d):
        for j in range(i, d):
            out.append(f"    H[{i}, {j}] = {exprs[k]}")
            if i != j:
                out.append(f"    H[{j}, {i}] = H[{i}, {j}]")
            k += 1
    out += [
        "    if not np.all(np.isfinite(H)):",
        "        return " + exprs[0] + ", math.nan",
        "    ev = np.linalg.eigvalsh(H)",
        "    return " + exprs[0] + ", max(abs(ev[0]), abs(ev[-1]))",
        "",
    ]
    return "\n".join(out)


@dataclass(frozen=True)
class CompiledFamily:
    """Handles to a family's generated numba functions.

    ``fg`` and ``fgh`` are the raw dispatchers used by the kernels; ``value``,
    ``gradient`` and ``hess_norm`` are array conveniences for Python callers.
    """

    dim: int
    module_name: str
    path: Path
    fg: object
    fgh: object

    def kernels(self, rule: str, template: str = "synthetic.kernels"):
        """The module of ``template``'s kernels bound to this family and step ``rule``."""
        return compile_kernels(self, rule, template)

    def value(self, x: np.ndarray, p: np.ndarray) -> float:
        if self.dim == 1:
            return self.fg(float(x[0]), p)[0]
        return self.fg(np.ascontiguousarray(x, dtype=np.float64), p, np.empty(self.dim))

    def gradient(self, x: np.ndarray, p: np.ndarray) -> np.ndarray:
        if self.dim == 1:
            return np.array([self.fg(float(x[0]), p)[1]])
        g = np.empty(self.dim)
        self.fg(np.ascontiguousarray(x, dtype=np.float64), p, g)
        return g

    def hess_norm(self, x: np.ndarray, p: np.ndarray) -> float:
        if self.dim == 1:
            return self.fgh(float(x[0]), p)[2]
        return self.fgh(np.ascontiguousarray(x, dtype=np.float64), p, np.empty(self.dim))[1]


_LOADED: dict[str, CompiledFamily] = {}
_KERNELS: dict[tuple[str, str, str], object] = {}
_TEMPLATE_BINDING = "from synthetic._template_globals import fg, step  # TEMPLATE-BINDING: replaced"


def load_generated(module_name: str, source: str):
    """Write ``source`` as ``module_name`` in the cache folder (if changed) and import it."""
    module = sys.modules.get(module_name)
    folder = cache_dir()
    path = folder / f"{module_name}.py"
    if module is not None:
        return module, path
    if not path.exists() or path.read_text() != source:
        atomic_write_text(path, source)
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module, path


#: Modules whose compiled functions generated kernels call: numba's cache of a caller
#: does not notice a change in a callee, so their source digest is part of the module.
_DEPENDENCIES = ("synthetic.steprules", "synthetic.kernels")


def _dependency_digest() -> str:
    h = hashlib.sha256()
    for name in _DEPENDENCIES:
        h.update(Path(importlib.util.find_spec(name).origin).read_bytes())
    return h.hexdigest()[:16]


def compile_kernels(compiled: CompiledFamily, rule: str, template: str = "synthetic.kernels"):
    """Bind a kernel template to a compiled family and a step rule; import the result.

    The template's source must contain the line binding its placeholder globals
    (see :mod:`synthetic._template_globals`); it is replaced by imports of the
    family's ``fg`` and of the rule ``rule`` of :mod:`synthetic.steprules` as ``step``.
    """
    key = (compiled.module_name, rule, template)
    if key in _KERNELS:
        return _KERNELS[key]
    from .steprules import RULES

    if rule not in RULES:
        raise ValueError(f"unknown method {rule!r}; allowed: {', '.join(RULES)}")
    template_path = Path(importlib.util.find_spec(template).origin)
    text = template_path.read_text()
    if _TEMPLATE_BINDING not in text:
        raise ValueError(f"{template} is not a kernel template (no binding line)")
    binding = (
        f"from {compiled.module_name} import fg  # generated: the family's function\n"
        f"from synthetic.steprules import {rule} as step  # generated: the step rule\n"
        f"# sources this module calls into: {_dependency_digest()}"
    )
    source = text.replace(_TEMPLATE_BINDING, binding, 1)
    digest = hashlib.sha256((_CODEGEN_VERSION + source).encode()).hexdigest()[:20]
    stem = template.rsplit(".", 1)[-1]
    module, _ = load_generated(f"{compiled.module_name}_{stem}_{rule}_{digest[:8]}", source)
    _KERNELS[key] = module
    return module


def compile_family(family) -> CompiledFamily:
    """Generate (or reuse) the module for ``family`` and import it.

    The module name is a hash of the generated source, so an identical family in
    another process or session reuses both the file and numba's on-disk cache.
    """
    source = generate_source(family)
    digest = hashlib.sha256((_CODEGEN_VERSION + source).encode()).hexdigest()[:20]
    module_name = f"_cliplab_{digest}"
    if module_name in _LOADED:
        return _LOADED[module_name]
    module, path = load_generated(module_name, source)
    compiled = CompiledFamily(family.dim, module_name, path, module.fg, module.fgh)
    _LOADED[module_name] = compiled
    return compiled
