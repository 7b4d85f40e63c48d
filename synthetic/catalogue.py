"""Named test functions, each with its known (L0, L1) facts (arXiv 1905.11881 v2).

Every entry is an :class:`~synthetic.objective.Objective` of a parametrised
:class:`~synthetic.objective.Family`; the family is built once per shape
(dimension, or degree bound), so all instances share one compiled kernel.

==========================  ===============================================================
entry                       known facts
==========================  ===============================================================
``polynomial(c)``           degree >= 3: (L0, L1)-smooth, not L-smooth (Lemma 2)
``power(p, d)``             ||x||^p/p, p > 2: L0*(L1) = ((p-2)/L1)^(p-2) (docs/paper.md oracle)
``exponential(a)``          exp(a.x): (0, ||a||)-smooth
``cosh(a)``                 cosh(a x): (a^2, |a|)-smooth, not (0, L1) for any L1
``logcosh(a)``              log cosh(a x): L-smooth with L = a^2, needs L0 > 0
``logistic(a)``             log(1 + exp(-a x)): (0, |a|)-smooth
``separable(*terms)``       sum of one-dimensional terms in x1..xd
``quartic_norm(A, mu)``     ||A x||^4 + mu/2 ||x||^2; A = I: ||x||^4 is (4, 3)-smooth;
                            A = diag(linspace(1/20, 1, 20)) is NOT (4, 3)-smooth (x = 89 e1)
``gadget(L0, L1)``          Theorem 4 construction (docs/paper.md): L0 x^2/2 + L0/(2 L1^2) for
                            |x| < 1/L1, (L0/L1^2) exp(L1|x| - 1) outside; C^2, f'' = L0
                            inside, f'' = L1|f'| outside: (L0, L1)-smooth
``exp_square()``            exp(x^2): f''/f' unbounded, in no (L0, L1) class (Lemma 2)
``dipped_ramp(...)``        bowl L x^2/2, a C^2 transition, then a ramp of slope c with
                            periodic dips A(1 - cos w v), A w <= L; an exponential wall
                            at x <= -1/kappa: (L, kappa)-smooth
``log_ramp(s, X)``          s(1 - x) + s(x-1)^2/2 (x < 1), -s log x (1 <= x <= X), a quadratic
                            bowl after X; C^2, f'' <= s: T_eps ~ eps^-2 for s/X < eps < s
==========================  ===============================================================
"""

from __future__ import annotations

from functools import cache

import numpy as np
import sympy as sp

from .objective import Family, Objective, R, RadialProfile
from .parse import variables_for

__all__ = [
    "MAX_SHARED_DEGREE",
    "cosh",
    "dipped_ramp",
    "exp_square",
    "exponential",
    "log_ramp",
    "gadget",
    "logcosh",
    "logistic",
    "polynomial",
    "power",
    "quartic_norm",
    "separable",
    "CATALOGUE",
]

#: Polynomials up to this degree share one compiled family (zero-padded, Horner form).
MAX_SHARED_DEGREE = 16


def _params(prefix: str, n: int) -> tuple[sp.Symbol, ...]:
    return tuple(sp.Symbol(f"{prefix}{i}", real=True) for i in range(n))


@cache
def _polynomial_family(degree: int) -> Family:
    (x,) = variables_for(1)
    c = _params("c", degree + 1)
    return Family(f"polynomial{degree}", sum(c[i] * x**i for i in range(degree + 1)), (x,), c)


def polynomial(coefficients) -> Objective:
    """sum_i c_i x^i, coefficients from the constant term up.

    Facts: every univariate polynomial of degree >= 3 is (L0, L1)-smooth for some
    constants but not L-smooth (Lemma 2, v2). Degrees up to
    :data:`MAX_SHARED_DEGREE` share one compiled family; Horner evaluation makes the
    zero-padded coefficients exact no-ops.
    """
    c = np.asarray(coefficients, dtype=np.float64).reshape(-1)
    if c.size == 0:
        raise ValueError("a polynomial needs at least one coefficient")
    nz = np.flatnonzero(c)
    degree = int(nz[-1]) if nz.size else 0
    family = _polynomial_family(max(MAX_SHARED_DEGREE, degree))
    values = np.zeros(len(family.params))
    values[: c.size] = c
    terms = " + ".join(f"{v:g}*x^{i}" for i, v in enumerate(c) if v != 0) or "0"
    return family(values, name=f"poly{degree}({terms})", facts=polynomial.__doc__.split("\n")[2])


@cache
def _power_family(dim: int) -> Family:
    x = variables_for(dim)
    (p,) = _params("p", 1)
    sq = sum(v**2 for v in x)
    return Family(f"power_d{dim}", sq ** (p / 2) / p, x, (p,))


def power(p: float, dim: int = 1) -> Objective:
    """||x||^p / p in ``dim`` dimensions (radial), p > 2.

    Facts (docs/paper.md oracle): for any L1 > 0 the smallest valid L0 is
    ((p - 2)/L1)^(p - 2), attained at ||x|| = (p - 2)/L1; ||x||^(2n) is (2n, 2n-1)-smooth.
    """
    if not p > 2:
        raise ValueError(f"power needs p > 2 (twice differentiable, Assumption 2), got {p}")
    pe = sp.Rational(float(p))
    return _power_family(dim)(
        [p],
        name=f"||x||^{p:g}/{p:g} (d={dim})",
        facts=f"L0*(L1) = (({p:g}-2)/L1)^({p:g}-2) at ||x|| = ({p:g}-2)/L1",
        radial=RadialProfile(R**pe / pe),
    )


@cache
def _exponential_family(dim: int) -> Family:
    x = variables_for(dim)
    a = _params("a", dim)
    return Family(f"exp_d{dim}", sp.exp(sum(ai * xi for ai, xi in zip(a, x))), x, a)


def exponential(a) -> Objective:
    """exp(a . x). Facts: (0, ||a||)-smooth; inf f = 0 is not attained (a != 0)."""
    a = np.atleast_1d(np.asarray(a, dtype=np.float64))
    norm = float(np.linalg.norm(a))
    return _exponential_family(a.size)(
        a, name=f"exp(a.x), a={a.tolist()}", facts=f"(0, {norm:g})-smooth"
    )


def _one_param(name: str, build) -> Family:
    (x,) = variables_for(1)
    (a,) = _params("a", 1)
    return Family(name, build(x, a), (x,), (a,))


@cache
def _cosh_family() -> Family:
    return _one_param("cosh", lambda x, a: sp.cosh(a * x))


@cache
def _logcosh_family() -> Family:
    return _one_param("logcosh", lambda x, a: sp.log(sp.cosh(a * x)))


@cache
def _logistic_family() -> Family:
    return _one_param("logistic", lambda x, a: sp.log(1 + sp.exp(-a * x)))


def cosh(a: float = 1.0) -> Objective:
    """cosh(a x). Facts: (a^2, |a|)-smooth; NOT (0, L1)-smooth for any L1 (f'(0) = 0 < f''(0))."""
    return _cosh_family()([a], name=f"cosh({a:g} x)", facts=f"({a * a:g}, {abs(a):g})-smooth")


def logcosh(a: float = 1.0) -> Objective:
    """log cosh(a x). Facts: f'' = a^2 sech^2(a x) <= a^2 (L-smooth); needs L0 > 0 for any L1."""
    return _logcosh_family()([a], name=f"logcosh({a:g} x)", facts=f"L-smooth, L = {a * a:g}")


def logistic(a: float = 1.0) -> Objective:
    """log(1 + exp(-a x)). Facts: f'' = |a| |f'| (1 - sigma) <= |a||f'|: (0, |a|)-smooth."""
    return _logistic_family()([a], name=f"logistic({a:g} x)", facts=f"(0, {abs(a):g})-smooth")


@cache
def _quartic_family(dim: int, diagonal: bool) -> Family:
    x = sp.Matrix(variables_for(dim))
    a = _params("A", dim if diagonal else dim * dim)
    mu = sp.Symbol("mu", real=True)
    A = sp.diag(*a) if diagonal else sp.Matrix(dim, dim, a)
    ax = A * x
    sq = sum(v**2 for v in ax)
    kind = "diag" if diagonal else "full"
    return Family(
        f"quartic_{kind}_d{dim}", sq**2 + mu / 2 * sum(v**2 for v in x), tuple(x), (*a, mu)
    )


def quartic_norm(A, mu: float = 0.0) -> Objective:
    """||A x||^4 + mu/2 ||x||^2; ``A`` a square matrix, or a vector meaning diag(A).

    Facts (docs/paper.md): with A = I, ||x||^4 is (4, 3)-smooth; with
    A = diag(linspace(1/20, 1, 20)) it is NOT (4, 3)-smooth: at x = 89 e1,
    ||Hess f|| = 79.2 > 4 + 3 ||grad f|| = 56.9 (a published notebook claims otherwise).
    A diagonal A (given as a vector) has its own family with d parameters, which
    differentiates much faster than the full d*d one.
    """
    A = np.asarray(A, dtype=np.float64)
    diagonal = A.ndim == 1
    if not diagonal and (A.ndim != 2 or A.shape[0] != A.shape[1]):
        raise ValueError(f"A must be a square matrix or a vector (its diagonal), got {A.shape}")
    d = A.shape[0]
    obj = _quartic_family(d, diagonal)(
        np.concatenate([A.reshape(-1), [mu]]),
        name=f"||Ax||^4 + {mu:g}/2||x||^2 (d={d})",
        facts="A = I: (4, 3)-smooth; A = diag(linspace(1/20,1,20)): not (4, 3)",
    )
    if (
        mu == 0
        and np.all((np.diag(A) if A.ndim == 2 else A) == 1)
        and (diagonal or np.all(A == np.eye(d)))
    ):
        obj.radial = RadialProfile(R**4)
    return obj


@cache
def _gadget_family() -> Family:
    (x,) = variables_for(1)
    L0, L1 = sp.symbols("L0 L1", positive=True)
    inside = L0 * x**2 / 2 + L0 / (2 * L1**2)
    outside = L0 / L1**2 * sp.exp(L1 * sp.Abs(x) - 1)
    return Family(
        "thm4_gadget", sp.Piecewise((inside, sp.Abs(x) < 1 / L1), (outside, True)), (x,), (L0, L1)
    )


def gadget(L0: float = 1.0, L1: float = 1.0) -> Objective:
    """The Theorem 4 gadget of docs/paper.md (reconstructed proof idea, provenance `lab`).

    f(x) = L0 x^2/2 + L0/(2 L1^2) for |x| < 1/L1 and (L0/L1^2) exp(L1|x| - 1) outside.
    f, f', f'' match at |x| = 1/L1; f'' = L0 inside and f'' = L1 |f'| outside, so f is
    (L0, L1)-smooth on all of R, with f* = L0/(2 L1^2) at 0.
    """
    if not (L0 > 0 and L1 > 0):
        raise ValueError(f"the gadget needs L0 > 0 and L1 > 0, got {L0}, {L1}")
    return _gadget_family()(
        [L0, L1], name=f"thm4_gadget(L0={L0:g}, L1={L1:g})", facts=f"({L0:g}, {L1:g})-smooth"
    )


@cache
def _exp_square_family() -> Family:
    (x,) = variables_for(1)
    return Family("exp_square", sp.exp(x**2), (x,))


def exp_square() -> Objective:
    """exp(x^2). Facts: f''/f' = 2x + 1/x is unbounded: in no (L0, L1) class (Lemma 2)."""
    return _exp_square_family()([], name="exp(x^2)", facts="not (L0, L1)-smooth for any constants")


def separable(*terms: Objective) -> Objective:
    """sum_i g_i(x_i): one-dimensional terms, one per coordinate x1..xd.

    The family is the sum of the terms' families (parameters concatenated), so a
    separable sum of catalogue entries compiles once per combination of shapes.
    """
    if len(terms) < 2 or any(t.dim != 1 for t in terms):
        raise ValueError("separable takes at least two one-dimensional terms")
    family = _separable_family(tuple(t.family for t in terms))
    values = np.concatenate([t.values for t in terms])
    name = " + ".join(f"[{t.name}](x{i + 1})" for i, t in enumerate(terms))
    return family(values, name=name, facts="sum of one-dimensional terms", components=tuple(terms))


_SEPARABLE: dict[tuple[int, ...], Family] = {}


def _separable_family(families: tuple[Family, ...]) -> Family:
    key = tuple(id(f) for f in families)
    if key in _SEPARABLE:
        return _SEPARABLE[key]
    x = variables_for(len(families))
    expr, params = 0, []
    for i, fam in enumerate(families):
        renamed = {p: sp.Symbol(f"{p.name}_{i + 1}", real=True) for p in fam.params}
        params += [renamed[p] for p in fam.params]
        expr += fam.expr.xreplace({fam.variables[0]: x[i], **renamed})
    family = Family("separable_" + "_".join(f.name for f in families), expr, x, tuple(params))
    _SEPARABLE[key] = family
    return family


@cache
def _dipped_ramp_family() -> Family:
    (x,) = variables_for(1)
    L, a, w, om, A, k = sp.symbols("L a w om A kappa", real=True)
    u, v = x - a, x - a - w
    c = L * a + L * w / 2
    f1 = L * a**2 / 2 + L * a * w + L * w**2 / 3
    wall = L / k**2 * sp.exp(-k * x - 1) - L / (2 * k**2)
    bowl = L * x**2 / 2
    transition = L * a**2 / 2 + L * a * u + L * (u**2 / 2 - u**3 / (6 * w))
    # (c - A) v + ...: one linear term, so interval enclosures on the infinite tail stay finite
    ramp = f1 + (c - A) * v + A * sp.sin(om * v) / om
    return Family(
        "dipped_ramp",
        sp.Piecewise((wall, x <= -1 / k), (bowl, x <= a), (transition, x <= a + w), (ramp, True)),
        (x,),
        (L, a, w, om, A, k),
    )


def dipped_ramp(
    L: float,  # noqa: N803
    a: float,
    w: float,
    omega: float,
    A: float,  # noqa: N803
    kappa: float = 1e-6,
) -> Objective:
    """A worst case for the descent steps: a bowl, then a long ramp with dips (1-D).

    ``f = L x^2/2`` for ``-1/kappa <= x <= a``; on ``[a, a + w]`` the curvature falls
    linearly from ``L`` to 0 (``f''`` continuous); beyond, with ``v = x - a - w``,
    ``f' = c - A (1 - cos(omega v))``, ``c = L (a + w/2)``; for ``x <= -1/kappa`` an
    exponential wall ``(L/kappa^2) e^(-kappa x - 1) - L/(2 kappa^2)`` (the Theorem 4
    gadget's outside piece: ``f'' = kappa |f'|``). f is C^2, f* = 0 at x = 0,
    ``|f''| <= max(L, A omega)`` off the wall, so with ``A omega <= L`` f is
    ``(L, kappa)``-smooth on R; ``0 < 2A < c`` keeps f' > 0 on the ramp. The default
    kappa puts the wall a million units away (outside any S of interest).

    Why (docs/paper.md, Derivations 2-3): a descent method whose step length at slope
    ``~c`` equals the period ``2 pi/omega`` samples the gradient at the crests (where
    ``|f'| ~ c > eps``) while f falls by the mean slope ``c - A`` per unit length: every
    step lowers f by less than ``h c^2``, the performance-estimation worst case of
    L-smooth GD with a short step. A wall inside S makes ``L1 = kappa`` the certified
    choice, and with it the clipping threshold ``L/kappa`` of Theorem 3's parameters.
    """
    if not (L > 0 and a > 0 and w > 0 and omega > 0 and A >= 0 and kappa > 0):
        raise ValueError(
            f"dipped_ramp needs L, a, w, omega, kappa > 0 and A >= 0, got {L}, {a}, {w}, "
            f"{omega}, {A}, {kappa}"
        )
    c = L * (a + w / 2)
    if A * omega > L * (1 + 1e-12) or not 2 * A < c:
        raise ValueError(f"dipped_ramp needs A omega <= L and 2A < c = {c:g}, got A = {A:g}")
    return _dipped_ramp_family()(
        [L, a, w, omega, A, kappa],
        name=f"dipped_ramp(L={L:g}, c={c:g}, omega={omega:g}, A={A:g}, kappa={kappa:g})",
        facts=f"({L:g}, {kappa:g})-smooth on R by construction",
    )


@cache
def _log_ramp_family() -> Family:
    (x,) = variables_for(1)
    s, X = sp.symbols("s X", positive=True)
    # squares, not sums of a linear and a quadratic term: finite enclosures on the tails
    left = s * (x - 2) ** 2 / 2 - s / 2
    right = s * (x - 2 * X) ** 2 / (2 * X**2) - s * sp.log(X) - s / 2
    return Family(
        "log_ramp",
        sp.Piecewise((left, x < 1), (-s * sp.log(x), x <= X), (right, True)),
        (x,),
        (s, X),
    )


def log_ramp(s: float = 0.01, X: float = 1e4) -> Objective:
    """``-s log x`` on ``[1, X]``, joined C^2 to quadratics on both sides (1-D).

    ``f'' = s`` for x < 1, ``s/x^2`` on [1, X], ``s/X^2`` beyond (minimum at x = 2X):
    convex, (s, 0)-smooth on R. Every eps in ``(s/X, s)`` has its own stretch of slope
    about eps, of length ``~ s/eps``, so a descent method with step ``h`` from x0 near 1
    needs ``T_eps ~ (s/eps)^2/(2 h s)``: the eps^-2 rate of Theorems 3 and 6 (v2).
    """
    if not (s > 0 and X > 1):
        raise ValueError(f"log_ramp needs s > 0 and X > 1, got s={s}, X={X}")
    return _log_ramp_family()(
        [s, X], name=f"log_ramp(s={s:g}, X={X:g})", facts=f"({s:g}, 0)-smooth on R, convex"
    )


#: Named entries with a default instance, for the command line and the docs.
CATALOGUE = {
    "polynomial": lambda: polynomial([0, 0, 0.5, 0, 0, 0, 0, 0, 1]),
    "power": lambda: power(4.0, 1),
    "exponential": lambda: exponential([1.0]),
    "cosh": cosh,
    "logcosh": logcosh,
    "logistic": logistic,
    "separable": lambda: separable(cosh(1.0), polynomial([0, 0, 0.5, 0, 1])),
    "quartic_norm": lambda: quartic_norm(np.linspace(0.5, 1.0, 2)),
    "gadget": gadget,
    "exp_square": exp_square,
    "dipped_ramp": lambda: dipped_ramp(1.0, 0.5, 1.0, 4 * 3.141592653589793, 0.05),
    "log_ramp": log_ramp,
}
