"""Generate numba code from a :class:`~synthetic.objective.Family`'s sympy form: one path.

For a family ``f(x; p)`` this module derives the gradient and the Hessian with
sympy, prints them as Python source (with common subexpressions shared and
univariate polynomials in Horner form), writes the source into an on-disk cache
folder and imports it. Every generated function is ``@njit(cache=True)``, so a
module compiles once per machine, not once per instance or per process.

The family's functions (``p`` is the parameter vector):

- one variable: ``fg(x, p) -> (f, g)`` and ``fgh(x, p) -> (f, g, |f''|)`` on floats;
- d variables: ``fg(x, p, g) -> f`` filling the array ``g``, and
  ``fgh(x, p, g) -> (f, ||Hess f||_2)``.

One generator, :func:`generate_kernel_source`, writes one self-contained module per
(family, step rule): the family's ``fg`` and ``fgh``, the step rule of
:data:`synthetic.steprules.RULES` (its source, as ``step_size``), and
every kernel: the single runs ``iterate_1d`` / ``iterate_nd`` and the stochastic
``run_1d`` / ``run_nd`` of :mod:`synthetic.kernels`, the sweep engine ``chunk_1d`` of
:mod:`synthetic.sweep_kernels`. The kernels' and the rule's source is *copied*, with
everything they call (``@njit`` functions and numeric constants they read as globals,
found from their bytecode, e.g. the noise draws of :mod:`synthetic.noise` and the status
codes of :mod:`synthetic.result`), so the module imports only ``math``, numpy and numba and
its name, a hash of its source, covers everything it runs: an edited kernel, rule,
constant or family gets a fresh module and a fresh numba cache. (numba's cache of a caller
does not notice an edited callee in another file; here there is none.) The kernels fill
an :class:`~synthetic.result.Outcomes` record. :func:`generate_source` alone is the
family's part, imported for :meth:`CompiledFamily.value` and friends.

The cache folder is ``$CLIPLAB_CACHE_DIR/generated`` (default
``~/.cache/clipping_lab/generated``), numba's cache of it in its ``__pycache__``. Stale
modules are evicted least recently used first when a new module is written and the
folder holds more than :data:`MAX_MODULES` modules or :data:`MAX_BYTES` bytes (modules
used in the last :data:`MIN_AGE_S` seconds are kept: another process may be importing
them); :func:`clean_cache` (or ``python -m synthetic --clean-cache``) empties it.
"""

from __future__ import annotations

import builtins
import dis
import hashlib
import importlib
import importlib.util
import inspect
import math
import os
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import numba
import numpy as np
import sympy as sp
from numba.core.registry import CPUDispatcher
from sympy.printing.pycode import PythonCodePrinter

from labio.atomic import atomic_write_text

__all__ = [
    "CacheReport",
    "CompiledFamily",
    "KERNEL_TEMPLATES",
    "MAX_BYTES",
    "MAX_MODULES",
    "MIN_AGE_S",
    "cache_dir",
    "clean_cache",
    "compile_family",
    "compile_kernels",
    "generate_kernel_source",
    "generate_source",
    "load_generated",
]

_CODEGEN_VERSION = "2"

#: The kernel entry points copied into every generated module, by template module.
KERNEL_TEMPLATES = {
    "synthetic.kernels": ("iterate_1d", "iterate_nd", "run_1d", "run_nd"),
    "synthetic.sweep_kernels": ("chunk_1d",),
    "synthetic.backtracking": ("armijo_1d", "armijo_nd"),
}

#: Eviction thresholds of the cache folder (see the module docstring).
MAX_MODULES = 400
MAX_BYTES = 1 << 30
MIN_AGE_S = 3600.0


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


_HEADER = '''"""Generated by synthetic.codegen from family {name!r}{what}. Do not edit.

f = {expr}
"""
import math
import numpy as np
from numba import njit, prange


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


def generate_source(family, what: str = "") -> str:
    """Python source of the family's functions ``fg`` and ``fgh`` (see the module docstring).

    ``what`` is appended to the title line (the kernel module names its step rule there).
    """
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
    out = [_HEADER.format(name=family.name, what=what, expr=sp.sstr(family.expr)[:2000])]
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

    ``fg`` and ``fgh`` are the family module's dispatchers; ``value``, ``gradient`` and
    ``hess_norm`` are array conveniences for Python callers; :meth:`kernels` gives the
    generated (family, step rule) module of every kernel.
    """

    dim: int
    module_name: str
    path: Path
    fg: object
    fgh: object
    family: object = field(default=None, repr=False, compare=False)

    def kernels(self, rule: str):
        """The generated module of every kernel for this family and step ``rule``."""
        return compile_kernels(self, rule)

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
_KERNELS: dict[tuple[str, str], object] = {}


def _mark_used(path: Path) -> None:
    """Record a use of a generated module: its access time (numba's cache reads mtime)."""
    try:
        os.utime(path, (time.time(), path.stat().st_mtime))
    except OSError:
        pass


def load_generated(module_name: str, source: str):
    """Write ``source`` as ``module_name`` in the cache folder (if changed) and import it."""
    module = sys.modules.get(module_name)
    folder = cache_dir()
    path = folder / f"{module_name}.py"
    if module is not None:
        return module, path
    if not path.exists() or path.read_text() != source:
        atomic_write_text(path, source)
        _evict(folder, MAX_MODULES, MAX_BYTES, MIN_AGE_S, keep=module_name)
    _mark_used(path)
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module, path


# ------------------------------------------------------------------- the cache folder
@dataclass(frozen=True)
class CacheReport:
    """What :func:`clean_cache` did: modules and bytes removed, modules and bytes left."""

    removed: int
    removed_bytes: int
    kept: int
    kept_bytes: int


def _modules(folder: Path) -> list[tuple[float, int, str, list[Path]]]:
    """Generated modules in ``folder``: (last use, bytes, name, files), oldest use first."""
    cached: dict[str, list[Path]] = {}
    pycache = folder / "__pycache__"
    if pycache.is_dir():
        for f in pycache.iterdir():
            cached.setdefault(f.name.split(".", 1)[0], []).append(f)
    out = []
    for src in folder.glob("_cliplab_*.py"):
        name = src.stem
        files = [src, *cached.get(name, [])]
        try:
            st = src.stat()
            size = sum(f.stat().st_size for f in files)
        except OSError:  # removed meanwhile by another process
            continue
        out.append((max(st.st_atime, st.st_mtime), size, name, files))
    out.sort()
    return out


def _evict(folder: Path, max_modules: int, max_bytes: int, min_age_s: float, keep: str = ""):
    modules = _modules(folder)
    total = sum(m[1] for m in modules)
    count = len(modules)
    now = time.time()
    removed = removed_bytes = 0
    for used, size, name, files in modules:
        if count <= max_modules and total <= max_bytes:
            break
        if name == keep or now - used < min_age_s:
            continue
        for f in files:
            try:
                f.unlink()
            except OSError:
                pass
        count -= 1
        total -= size
        removed += 1
        removed_bytes += size
    return CacheReport(removed, removed_bytes, count, total)


def clean_cache(
    max_modules: int = 0, max_bytes: int | None = None, min_age_s: float = 0.0
) -> CacheReport:
    """Remove generated modules (and numba's cache of them), least recently used first.

    With the defaults everything goes. ``max_modules`` / ``max_bytes`` keep the most
    recently used modules within those bounds; modules used in the last ``min_age_s``
    seconds are always kept. Modules already imported keep working; anything removed is
    generated and compiled again on next use.
    """
    if max_modules < 0 or (max_bytes is not None and max_bytes < 0) or min_age_s < 0:
        raise ValueError("max_modules, max_bytes and min_age_s must be >= 0")
    big = max_bytes if max_bytes is not None else (0 if max_modules == 0 else sys.maxsize)
    return _evict(cache_dir(), max_modules, big, min_age_s)


# ------------------------------------------------------------- copying kernel source
#: Modules the generated header imports, by the name the copied source uses.
_HEADER_NAMES = {"math": math, "np": np, "njit": numba.njit, "prange": numba.prange}


def _global_names(code) -> list[str]:
    names = []
    for ins in dis.get_instructions(code):
        if ins.opname == "LOAD_GLOBAL" and ins.argval not in names:
            names.append(ins.argval)
    for const in code.co_consts:
        if inspect.iscode(const):
            names += [n for n in _global_names(const) if n not in names]
    return names


def _function_source(dispatcher) -> str:
    """The source of an ``@njit`` function with its decorator rewritten from its options."""
    lines = textwrap.dedent(inspect.getsource(dispatcher.py_func)).splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("def "))
    opts = {**dispatcher.targetoptions, "cache": True}
    for implied in ("nopython", "boundscheck"):  # njit's defaults
        if opts.get(implied) in (True, None):
            opts.pop(implied, None)
    decorator = f"@njit({', '.join(f'{k}={v!r}' for k, v in sorted(opts.items()))})"
    return "\n".join([decorator, *lines[first:]])


def _copy_sources(roots, bound: frozenset[str]) -> list[str]:
    """Source blocks defining ``roots`` (name, object) and every global they read.

    Constants come first (one line), then functions, callees before callers; ``bound``
    names are defined by the generator itself.
    A global that is not an ``@njit`` function, a number or a tuple of numbers, or two
    different objects under one name, is a ValueError naming it.
    """
    blocks: list[str] = []
    constants: list[str] = []
    seen: dict[str, object] = {}

    def visit(name: str, obj, where: str) -> None:
        if name in seen:
            if seen[name] is not obj and seen[name] != obj:
                raise ValueError(f"two different globals named {name!r} (one in {where})")
            return
        seen[name] = obj
        if isinstance(obj, CPUDispatcher):
            func = obj.py_func
            if func.__name__ != name:
                raise ValueError(f"{where}: {func.__name__} is used as {name!r}; use its name")
            for dep in _global_names(func.__code__):
                if dep in bound or dep in seen and seen[dep] is func.__globals__.get(dep):
                    continue
                if dep in func.__globals__:
                    value = func.__globals__[dep]
                    if dep in _HEADER_NAMES and value is _HEADER_NAMES[dep]:
                        continue
                    visit(dep, value, f"{func.__module__}.{name}")
                elif not hasattr(builtins, dep):
                    raise ValueError(f"{func.__module__}.{name} reads an undefined {dep!r}")
            blocks.append(_function_source(obj))
        elif isinstance(obj, (bool, int, float)) or (
            isinstance(obj, tuple) and all(isinstance(v, (bool, int, float, str)) for v in obj)
        ):
            if isinstance(obj, float) and not math.isfinite(obj):
                raise ValueError(f"{where}: the constant {name} = {obj!r} cannot be printed")
            constants.append(f"{name} = {obj!r}")
        else:
            raise ValueError(f"{where} reads {name!r}, which a generated module cannot copy")

    for name, obj, where in roots:
        visit(name, obj, where)
    return (["\n".join(constants)] if constants else []) + blocks


_JIT_ADAPTER = '@njit(cache=True, error_model="numpy", nogil=True)'


def _rule_section(step) -> list[str]:
    """The rule's source as ``step_size(x, f, g, gn, p, s)``, the function the kernels call.

    A rule of ``(gn, s)`` gets the kernels' signature directly (its body is the same: one
    function less to compile per module); a ``uses_f`` rule is called by an adapter.
    """
    name = step.func.__name__
    blocks = _copy_sources([(name, step.func, "synthetic.steprules")], _BOUND)
    if step.uses_f:
        blocks.append(
            f"{_JIT_ADAPTER}\ndef step_size(x, f, g, gn, p, s):\n"
            f'    """The step h_k of rule {step.name!r}: {step.description}."""\n'
            f"    return {name}(x, f, g, gn, p, s)"
        )
        return blocks
    if list(inspect.signature(step.func.py_func).parameters) != ["gn", "s"]:
        raise ValueError(f"step rule {step.name!r} must take (gn, s) (or set uses_f=True)")
    rule_def = f"def {name}(gn, s):"
    if rule_def not in blocks[-1]:
        raise ValueError(f"step rule {step.name!r}: write its definition as '{rule_def}'")
    blocks[-1] = blocks[-1].replace(
        rule_def, f"def step_size(x, f, g, gn, p, s):  # rule {step.name!r}: {name}(gn, s)", 1
    )
    return blocks


def _bound_names() -> frozenset[str]:
    from ._template_globals import BOUND

    return BOUND


_BOUND = _bound_names()


def generate_kernel_source(family, rule: str) -> str:
    """The source of the self-contained kernel module of (``family``, step ``rule``).

    See the module docstring: the family's functions, the rule behind ``step_size``, and a
    copy of every kernel of :data:`KERNEL_TEMPLATES` with what it calls.
    """
    from .steprules import rule as lookup

    step = lookup(rule, setting=None)
    roots = []
    for template, names in KERNEL_TEMPLATES.items():
        module = importlib.import_module(template)
        roots += [(n, getattr(module, n), template) for n in names]
    rule_blocks = _rule_section(step)
    kernel_blocks = _copy_sources(roots, _BOUND)
    parts = [
        generate_source(family, what=f", step rule {rule!r}"),
        "",
        f"# ---- step rule {rule!r} (synthetic.steprules)",
        *(b + "\n\n" for b in rule_blocks),
        f"# ---- kernels ({', '.join(KERNEL_TEMPLATES)}) and what they call",
        *(b + "\n\n" for b in kernel_blocks),
    ]
    return "\n".join(parts).rstrip() + "\n"


def compile_kernels(compiled: CompiledFamily, rule: str):
    """The kernel module of (``compiled``'s family, step ``rule``), generated and imported once.

    The module name hashes the module's source, which holds everything the kernels run.
    """
    key = (compiled.module_name, rule)
    if key in _KERNELS:
        return _KERNELS[key]
    if compiled.family is None:
        raise ValueError("this CompiledFamily has no family to generate kernels from")
    source = generate_kernel_source(compiled.family, rule)
    digest = hashlib.sha256((_CODEGEN_VERSION + source).encode()).hexdigest()[:12]
    module, _ = load_generated(f"{compiled.module_name}_{rule}_{digest}", source)
    _KERNELS[key] = module
    return module


def compile_family(family) -> CompiledFamily:
    """Generate (or reuse) the module of ``family``'s functions and import it.

    The module name is a hash of the generated source, so an identical family in
    another process or session reuses both the file and numba's on-disk cache.
    """
    source = generate_source(family)
    digest = hashlib.sha256((_CODEGEN_VERSION + source).encode()).hexdigest()[:20]
    module_name = f"_cliplab_{digest}"
    if module_name in _LOADED:
        return _LOADED[module_name]
    module, path = load_generated(module_name, source)
    compiled = CompiledFamily(family.dim, module_name, path, module.fg, module.fgh, family)
    _LOADED[module_name] = compiled
    return compiled
