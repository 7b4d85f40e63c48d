"""Hypothesis: expressions from the parser's grammar end with a certificate or one line.

Expressions are built from the grammar of :mod:`synthetic.parse` (numbers, x, + - * / **,
the elementary functions); starts are random. ``certify`` under a budget must return a
certificate or raise a one-line ValueError, never another exception; the wall time is
checked against a generous multiple of the budget only to catch a hang (not a timing).
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from theory.pair_check import check_pair
from theory.smoothness import certify

_BUDGET = 3.0
_UNARY = ["exp({})", "sin({})", "cos({})", "cosh({})", "tanh({})", "atan({})", "log(1 + {}**2)"]
_UNARY += ["sqrt(1 + {}**2)", "Abs({})", "erf({})"]

atoms = st.one_of(
    st.just("x"),
    st.integers(-3, 3).map(str),
    st.sampled_from(["0.5", "2", "x**2", "pi"]),
)


def _extend(children):
    return st.one_of(
        st.tuples(st.sampled_from(_UNARY), children).map(lambda t: t[0].format(t[1])),
        st.tuples(children, st.sampled_from(["+", "-", "*", "/"]), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(children, st.integers(2, 4)).map(lambda t: f"({t[0]})**{t[1]}"),
    )


expressions = st.recursive(atoms, _extend, max_leaves=5)
starts = st.floats(-5, 5, allow_nan=False)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions, starts)
def test_certify_ends_with_a_certificate_or_one_line(expr, x0):
    t = time.monotonic()
    try:
        cert = certify(expr, x0, budget=_BUDGET)
        assert cert.method in ("exact", "rigorous", "numerical")
        cert.L0(1.0)
    except ValueError as exc:
        assert "\n" not in str(exc)
    assert time.monotonic() - t < 10 * _BUDGET + 30  # a hang detector, not a timing


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions, st.floats(0, 10), st.floats(0, 10))
def test_check_ends_with_a_verdict_or_one_line(expr, L0, L1):
    try:
        res = check_pair(expr, L0, L1, budget=_BUDGET)
        assert res.verdict in ("valid", "invalid", "undecided")
    except ValueError as exc:
        assert "\n" not in str(exc)
