"""Safe parsing of objective expressions into sympy, without ``eval``.

The text is parsed by Python's :mod:`ast` and every node is translated into a
sympy object by a whitelist walker. Nothing in the text is ever executed, so an
expression such as ``__import__('os')`` is rejected instead of run.

Grammar accepted
----------------
- numbers (``2``, ``0.5``, ``1e-3``; floats become exact binary rationals),
- the variables ``x`` (one dimension) or ``x1, ..., xd`` (d dimensions; the
  dimension is the largest index used, or ``dim`` when given),
- ``+ - * / **`` and unary ``-``/``+``; ``^`` is read as a power,
- the constants ``pi`` and ``E``,
- the functions in :data:`FUNCTIONS` (``exp``, ``log``, ``sqrt``, ``cosh``,
  ``Abs``/``abs``, ``Max``, ``Min``, ...),
- ``Piecewise((expr, cond), ..., (expr, True))`` with conditions built from
  comparisons (``<, <=, >, >=``) joined by ``&``/``|`` (or ``and``/``or``).
"""

from __future__ import annotations

import ast
import re

import sympy as sp

__all__ = ["FUNCTIONS", "parse_expression", "variables_for"]

FUNCTIONS: dict[str, object] = {
    "exp": sp.exp,
    "log": sp.log,
    "ln": sp.log,
    "sqrt": sp.sqrt,
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "tanh": sp.tanh,
    "atan": sp.atan,
    "arctan": sp.atan,
    "Abs": sp.Abs,
    "abs": sp.Abs,
    "Max": sp.Max,
    "Min": sp.Min,
    "max": sp.Max,
    "min": sp.Min,
    "erf": sp.erf,
    "log1p": lambda a: sp.log(1 + a),
}
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "E": sp.E}
_VAR_RE = re.compile(r"^x([1-9][0-9]*)$")
_MAX_DIM = 1000


def variables_for(dim: int) -> tuple[sp.Symbol, ...]:
    """Return the canonical real variables: ``(x,)`` for ``dim == 1``, else ``x1..xd``."""
    if dim < 1:
        raise ValueError(f"dimension must be at least 1, got {dim}")
    if dim == 1:
        return (sp.Symbol("x", real=True),)
    return tuple(sp.Symbol(f"x{i}", real=True) for i in range(1, dim + 1))


class _Translator(ast.NodeVisitor):
    def __init__(self, text: str):
        self.text = text
        self.names: set[str] = set()

    def fail(self, what: str) -> None:
        raise ValueError(
            f"cannot parse {self.text!r}: {what}; allowed are numbers, the variables x or "
            f"x1..xd, + - * / ** ^, pi, E, Piecewise and the functions "
            f"{', '.join(sorted(FUNCTIONS))}"
        )

    def generic_visit(self, node: ast.AST):
        self.fail(f"{type(node).__name__} is not allowed")

    def visit_Expression(self, node: ast.Expression):
        return self.visit(node.body)

    def visit_Constant(self, node: ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if value is True:
                return sp.true
            self.fail(f"the constant {value!r} is not a number")
        if isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                self.fail("non-finite numbers are not allowed")
            return sp.Rational(value)
        return sp.Integer(value)

    def visit_Name(self, node: ast.Name):
        name = node.id
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name == "True":
            return sp.true
        if name == "x" or _VAR_RE.match(name):
            self.names.add(name)
            return sp.Symbol(name, real=True)
        self.fail(f"unknown symbol {name!r}")

    def visit_UnaryOp(self, node: ast.UnaryOp):
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(node.op, ast.Not):
            return sp.Not(operand)
        self.fail(f"the operator {type(node.op).__name__} is not allowed")

    def visit_BinOp(self, node: ast.BinOp):
        a, b = self.visit(node.left), self.visit(node.right)
        op = node.op
        if isinstance(op, ast.Add):
            return a + b
        if isinstance(op, ast.Sub):
            return a - b
        if isinstance(op, ast.Mult):
            return a * b
        if isinstance(op, ast.Div):
            return a / b
        if isinstance(op, (ast.Pow, ast.BitXor)):
            return a**b
        if isinstance(op, ast.BitAnd):
            return sp.And(a, b)
        if isinstance(op, ast.BitOr):
            return sp.Or(a, b)
        self.fail(f"the operator {type(op).__name__} is not allowed")

    def visit_BoolOp(self, node: ast.BoolOp):
        values = [self.visit(v) for v in node.values]
        return sp.And(*values) if isinstance(node.op, ast.And) else sp.Or(*values)

    def visit_Compare(self, node: ast.Compare):
        ops = {ast.Lt: sp.Lt, ast.LtE: sp.Le, ast.Gt: sp.Gt, ast.GtE: sp.Ge}
        left = self.visit(node.left)
        parts = []
        for op, comparator in zip(node.ops, node.comparators):
            if type(op) not in ops:
                self.fail(f"the comparison {type(op).__name__} is not allowed")
            right = self.visit(comparator)
            parts.append(ops[type(op)](left, right))
            left = right
        return sp.And(*parts)

    def visit_Tuple(self, node: ast.Tuple):
        return tuple(self.visit(e) for e in node.elts)

    def visit_Call(self, node: ast.Call):
        if not isinstance(node.func, ast.Name) or node.keywords:
            self.fail("only plain calls of named functions are allowed")
        name = node.func.id
        args = [self.visit(a) for a in node.args]
        if name == "Piecewise":
            if not args or not all(isinstance(a, tuple) and len(a) == 2 for a in args):
                self.fail("Piecewise takes pairs (expr, condition)")
            return sp.Piecewise(*args)
        if name not in FUNCTIONS:
            self.fail(f"unknown function {name!r}")
        try:
            return FUNCTIONS[name](*args)
        except TypeError as exc:
            self.fail(f"wrong arguments for {name}: {exc}")


def parse_expression(text: str, dim: int | None = None) -> tuple[sp.Expr, tuple[sp.Symbol, ...]]:
    """Parse ``text`` into a sympy expression and its variables, without ``eval``.

    Parameters
    ----------
    text
        The expression, e.g. ``"x**8/8 + x**2/2"`` or ``"(x1**2 + x2**2)**2"``.
    dim
        The dimension. ``None`` infers it: 1 when the text uses ``x``, otherwise the
        largest index among ``x1..xd``.

    Returns
    -------
    expr, variables
        The sympy expression (real symbols) and the tuple of variables in order.

    Raises
    ------
    ValueError
        If the text does not parse, uses anything outside the grammar, mixes ``x``
        with ``x1..xd``, or does not match ``dim``.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("the expression is empty; give e.g. 'x**4/4' or 'x1**2 + x2**4'")
    if len(text) > 100_000:
        raise ValueError("the expression is longer than 100000 characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"cannot parse {text!r}: {exc.msg}") from None
    translator = _Translator(text)
    expr = translator.visit(tree)
    if not isinstance(expr, sp.Expr):  # a tuple or a condition
        raise ValueError(f"cannot parse {text!r}: the result is not a scalar expression")
    expr = sp.sympify(expr)
    names = translator.names
    if "x" in names and len(names) > 1:
        raise ValueError(f"{text!r} mixes x with x1..xd; use one or the other")
    if names == {"x"}:
        inferred = 1
    elif names:
        inferred = max(int(_VAR_RE.match(n).group(1)) for n in names)
        if inferred == 1:
            inferred = 1
    else:
        inferred = 1
    if inferred > _MAX_DIM:
        raise ValueError(f"dimension {inferred} exceeds the limit {_MAX_DIM}")
    if dim is None:
        dim = inferred
    elif dim < inferred or (dim > 1 and "x" in names):
        raise ValueError(f"{text!r} does not match dimension {dim}")
    if dim == 1 and names and names != {"x"}:
        # a lone x1 is the one-dimensional variable
        expr = expr.subs(sp.Symbol("x1", real=True), sp.Symbol("x", real=True))
    variables = variables_for(dim)
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ValueError(f"{text!r} is not finite everywhere (it simplifies to an infinity)")
    return expr, variables
