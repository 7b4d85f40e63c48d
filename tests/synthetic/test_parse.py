"""The expression parser: safe (no eval), strict, with one-line errors."""

from __future__ import annotations

import pytest
import sympy as sp

from synthetic.parse import parse_expression

x = sp.Symbol("x", real=True)
x1, x2, x3 = sp.symbols("x1 x2 x3", real=True)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("x**8/8 + x**2/2", x**8 / 8 + x**2 / 2),
        ("x^4", x**4),
        ("0.5*x**2", sp.Rational(1, 2) * x**2),
        ("exp(-x) + log(1 + exp(x))", sp.exp(-x) + sp.log(1 + sp.exp(x))),
        ("cosh(2*x) - pi", sp.cosh(2 * x) - sp.pi),
        ("abs(x)**3", sp.Abs(x) ** 3),
        ("x1**2 + x3", x1**2 + x3),
        (
            "Piecewise((x**2, x < 1), (2*x - 1, True))",
            sp.Piecewise((x**2, x < 1), (2 * x - 1, True)),
        ),
    ],
)
def test_parses(text, expected):
    expr, _ = parse_expression(text)
    assert sp.simplify(expr - expected) == 0


def test_dimension_is_inferred_and_checked():
    assert parse_expression("x1 + x3")[1] == (x1, x2, x3)
    assert parse_expression("x")[1] == (x,)
    assert parse_expression("x1**2")[1] == (x,)  # a lone x1 is one-dimensional
    assert parse_expression("x1", dim=3)[1] == (x1, x2, x3)
    with pytest.raises(ValueError, match="does not match dimension"):
        parse_expression("x1 + x3", dim=2)


@pytest.mark.parametrize(
    "text, message",
    [
        ("__import__('os').system('true')", "cannot parse"),
        ("x.real", "not allowed"),
        ("[x for x in ()]", "not allowed"),
        ("lambda: 1", "not allowed"),
        ("y**2", "unknown symbol 'y'"),
        ("x + x1", "mixes x with x1..xd"),
        ("foo(x)", "unknown function 'foo'"),
        ("x**", "cannot parse"),
        ("", "empty"),
        ("x == 1", "not allowed"),
        ("1/0", "not finite"),
        ("'text'", "not a number"),
    ],
)
def test_rejects(text, message):
    with pytest.raises(ValueError, match=message) as info:
        parse_expression(text)
    assert "\n" not in str(info.value)


def test_never_evaluates_python(tmp_path, monkeypatch):
    marker = tmp_path / "touched"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError):
        parse_expression(f"open({str(marker)!r}, 'w')")
    assert not marker.exists()
