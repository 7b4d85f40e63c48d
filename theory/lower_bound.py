"""Theorem 4 made concrete: the two hard functions, their certificates and the lab's bound.

Theorem 4 of Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 (v2 numbering): fix ``L0 >= 1``,
``L1 >= 1``, ``M > 1``, ``eps in (0, 1]``; for every fixed step ``h`` (a function of the
class parameters only) there is ``f`` satisfying Assumptions 1-4 with these constants on
which GD needs ``T_eps >= L1 M (Delta - 5 eps/8)/(8 eps^2 (log M + 1))`` iterations
(constant *recalled*; the appendix proof was not available). This module is the lab's own
construction (provenance ``lab``), built on the two-function sketch of docs/paper.md.

The class ``C(L0, L1, M, Delta, eps)``: one-dimensional C^2 functions, with a start
``x0``, that are (L0, L1)-smooth on ``S`` (radius 1), with ``sup_{S0} |f'| <= M`` and
``f(x0) - f* <= Delta``.

(a) **Diverging function** (large steps). The catalogue gadget
``g(x) = L0 x^2/2 + L0/(2 L1^2)`` for ``|x| < 1/L1``, ``(L0/L1^2) exp(L1 |x| - 1)`` outside
(C^2, ``g'' = L0`` inside, ``g'' = L1 |g'|`` outside), started at ``x0_a`` with
``g'(x0_a) = M_a``: ``x0_a = (1 + log(M_a L1/L0))/L1`` if ``M_a L1 >= L0``, else
``x0_a = M_a/L0``. Its gap is ``Delta_a = M_a/L1 - L0/(2 L1^2)`` (resp. ``M_a^2/(2 L0)``);
``M_a = M`` when ``Delta_a(M) <= Delta``, otherwise the largest ``M_a`` with
``Delta_a(M_a) = Delta`` (the gadget with slope ``M`` at the start is then not in the
class, see :func:`min_gap`). GD is ``x+ = x (1 - h rho(|x|))`` with ``rho(x) = g'(x)/x``
non-decreasing; hence the **divergence threshold** is exactly

    ``h_a* = 2 x0_a / M_a``:

for ``h < h_a*`` the factor ``|1 - h rho|`` stays below ``max(|1 - h L0|, |1 - h rho(x0)|)
< 1`` and GD converges; for ``h = h_a*`` the iterates cycle ``x0, -x0, ...``; for
``h > h_a*``, ``|x_k|`` grows geometrically (overflow). In both latter cases
``|g'(x_k)| >= M_a > eps`` forever.

(b) **Slow function** (small steps). ``f_b(x) = s (sqrt(x^2 + w^2) - w)`` with slope
``s = min(kappa eps, M)`` (``kappa = 2`` is the sketch's "slope near 2 eps") and
``w = s/L0``: C^infinity, ``0 < f_b'' <= s/w = L0`` (so (L0, L1)-smooth for every
``L1 >= 0``), ``|f_b'| < s``, ``f* = 0``. Started at ``x0_b = sqrt(D (D + 2 w))``,
``D = Delta/s``, its gap is exactly ``Delta``. ``|f_b'(x)| <= eps`` iff
``|x| <= r_eps = eps w / sqrt(s^2 - eps^2)``, and each GD step moves by less than
``h s``: ``T_b(h) > (x0_b - r_eps)/(h s)``.

**The lab's bound.** For every fixed ``h``: ``h >= h_a*`` gives ``T = inf`` on (a); ``h <
h_a*`` gives ``T > (x0_b - r_eps)/(h s) > B`` on (b), with

    ``B = (x0_b - r_eps) / (s h_a*)``.

With ``kappa = 2``, ``M_a = M``, ``M L1 >= L0``, dropping ``x0_b >= Delta/s``:
``B >= L1 M (Delta - 4 eps^2/(sqrt(3) L0)) / (8 eps^2 (1 + log(M L1/L0)))``, the recalled
form with ``log(M L1/L0)`` for ``log M`` and ``4 eps^2/(sqrt 3 L0)`` for ``5 eps/8``.
General ``kappa``: ``L1 M (Delta - kappa^2 eps^2/(L0 sqrt(kappa^2 - 1))) /
(2 kappa^2 eps^2 (1 + log(M L1/L0)))``; ``kappa -> 1`` approaches 4x the sketch's bound.
The symbolic derivation is :func:`theory.derivations.lower_bound.theorem4_construction`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

import sympy as sp

from synthetic import catalogue as cat
from synthetic.objective import Family, Objective
from synthetic.parse import variables_for

from .smoothness import Certificate, certify
from .theorems.lower_bound import THEOREM_4, validate_class
from .theorems.thm6 import THEOREM_6

__all__ = [
    "ClassCheck",
    "Construction",
    "HardFunction",
    "construction",
    "gadget_gap",
    "gadget_start",
    "max_gradient_for_gap",
    "min_gap",
    "recalled_consistency",
    "slow_function",
]

PAPER = "Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 v2, Theorem 4"
#: Relative tolerance for comparing certified constants (rigorous upper bounds, rounded)
#: with the class's.
TOL = 1e-9


# ------------------------------------------------------------------------ (a) gadget
def gadget_start(L0: float, L1: float, M: float) -> float:  # noqa: N803
    """The start ``x0 > 0`` of the gadget (:func:`synthetic.catalogue.gadget`) with ``g'(x0) = M``.

    ``(1 + log(M L1/L0))/L1`` on the exponential branch (``M L1 >= L0``), else ``M/L0``
    on the quadratic one (arXiv 1905.11881 v2, Theorem 4; construction ``lab``).
    """
    if M * L1 >= L0:
        return (1.0 + math.log(M * L1 / L0)) / L1
    return M / L0


def gadget_gap(L0: float, L1: float, M: float) -> float:  # noqa: N803
    """``g(x0) - g(0)`` of the gadget started where ``g' = M``.

    ``M/L1 - L0/(2 L1^2)`` if ``M L1 >= L0``, else ``M^2/(2 L0)`` (construction ``lab``,
    arXiv 1905.11881 v2, Theorem 4).
    """
    if M * L1 >= L0:
        return M / L1 - L0 / (2.0 * L1 * L1)
    return M * M / (2.0 * L0)


def _gadget_slope_for_gap(L0: float, L1: float, Delta: float) -> float:  # noqa: N803
    """The inverse of :func:`gadget_gap` in ``M``: the slope whose gadget gap is ``Delta``."""
    if Delta >= L0 / (2.0 * L1 * L1):
        return L1 * Delta + L0 / (2.0 * L1)
    return math.sqrt(2.0 * L0 * Delta)


def min_gap(M: float, L0: float, L1: float) -> float:  # noqa: N803
    """The smallest gap ``f(x0) - f*`` of any (L0, L1)-smooth f with ``||grad f|| = M`` on S0.

    Statement (lab, a Grönwall argument, arXiv 1905.11881 v2 Definition 1): along the unit-speed
    gradient-descent path from a point ``y`` of S0 with ``||grad f(y)|| = m``, ``phi =
    ||grad f||`` obeys ``phi' >= -(L0 + L1 phi)``, so ``phi(t) >= (m + L0/L1) e^{-L1 t} -
    L0/L1`` while ``f`` drops at rate ``phi``; integrating until the bound reaches 0 gives
    ``f(y) - f* >= m/L1 - (L0/L1^2) log(1 + m L1/L0)``. A class with
    ``Delta < min_gap(M, L0, L1)`` contains no function whose gradient reaches ``M`` in S0.
    """
    return M / L1 - L0 / L1**2 * math.log1p(M * L1 / L0)


def max_gradient_for_gap(Delta: float, L0: float, L1: float) -> float:  # noqa: N803
    """The largest ``M`` with ``min_gap(M, L0, L1) <= Delta`` (bisection; lab).

    Every f in the class ``(L0, L1, Delta)`` has ``sup_{S0} ||grad f|| <=`` this value,
    whatever the class's nominal ``M`` (arXiv 1905.11881 v2, Assumption 4).
    """
    if Delta < 0:
        raise ValueError(f"Delta must be >= 0, got {Delta}")
    lo, hi = 0.0, 1.0
    while min_gap(hi, L0, L1) <= Delta:
        lo, hi = hi, 2.0 * hi
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if min_gap(mid, L0, L1) <= Delta:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-15 * hi:
            break
    return lo


# ------------------------------------------------------------------------ (b) slow
@cache
def _slow_family() -> Family:
    (x,) = variables_for(1)
    s, w = sp.symbols("s w", positive=True)
    return Family("thm4_slow", s * (sp.sqrt(x**2 + w**2) - w), (x,), (s, w))


def slow_function(s: float, w: float) -> Objective:
    """``s (sqrt(x^2 + w^2) - w)``: slope below ``s`` everywhere, curvature at most ``s/w``.

    Facts (lab, Theorem 4 of arXiv 1905.11881 v2): ``f'' = s w^2/(x^2 + w^2)^{3/2} <= s/w``,
    so it is ``(s/w, L1)``-smooth for every ``L1 >= 0``; ``|f'| < s``; ``f* = 0`` at 0.
    """
    if not (s > 0 and w > 0 and math.isfinite(s) and math.isfinite(w)):
        raise ValueError(f"the slow function needs finite s > 0 and w > 0, got {s}, {w}")
    return _slow_family()(
        [s, w],
        name=f"thm4_slow(s={s:g}, w={w:g})",
        facts=f"({s / w:g}, 0)-smooth, |f'| < {s:g}",
    )


# ------------------------------------------------------------------------ construction
@dataclass(frozen=True)
class HardFunction:
    """One of the two functions of the construction, with its start and analytic constants.

    Attributes
    ----------
    key
        ``"diverging"`` (a) or ``"slow"`` (b).
    objective, x0
        The function and its start.
    formula
        The function in words.
    f_star, delta, M
        Analytic ``f*``, gap ``f(x0) - f*`` and ``sup_{S0} |f'|`` (a supremum not attained
        for (b): ``|f_b'| < s``).
    """

    key: str
    objective: Objective
    x0: float
    formula: str
    f_star: float
    delta: float
    M: float


@dataclass(frozen=True)
class ClassCheck:
    """Whether a constructed function lies in the class, by :func:`theory.smoothness.certify`.

    ``L0_cert = L0*(L1)`` at the class's ``L1`` on S (radius 1), ``M_cert`` and
    ``delta_cert`` are the certificate's values (rigorous upper bounds where ``method`` is
    ``rigorous``); ``in_class`` compares them with the class's (relative tolerance
    :data:`TOL`). ``in_class_analytic`` uses the analytic constants instead (the certified
    ``M`` of the slow function is a loose interval bound).
    """

    key: str
    certificate: Certificate
    L0_cert: float
    M_cert: float
    delta_cert: float
    in_class: bool
    in_class_analytic: bool
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Construction:
    """The lab's Theorem 4 construction for one class (see the module docstring).

    Attributes
    ----------
    L0, L1, M, Delta, eps
        The class (validated as Theorem 4 requires).
    kappa
        Slope factor of the slow function (``s = min(kappa eps, M)``), ``kappa > 1``.
    diverging, slow
        The functions (a) and (b).
    M_a
        The slope at the start of (a): ``M``, or smaller when the gadget's gap would
        exceed ``Delta`` (then noted).
    h_threshold
        ``h_a* = 2 x0_a / M_a``: GD on (a) converges iff ``h < h_a*``.
    s, w, r_eps
        Slope, width and the radius of (b)'s eps-stationary set ``{|x| <= r_eps}``.
    notes
        Remarks (a reduced ``M_a``, vacuous cases).
    """

    L0: float
    L1: float
    M: float
    Delta: float
    eps: float
    kappa: float
    diverging: HardFunction
    slow: HardFunction
    M_a: float
    h_threshold: float
    s: float
    w: float
    r_eps: float
    notes: tuple[str, ...] = field(default=())

    # ----------------------------------------------------------------- counts
    def slow_steps_lower(self, h: float) -> float:
        """``(x0_b - r_eps)/(h s)``: GD with step ``h`` on (b) needs more steps than this."""
        if not h > 0:
            raise ValueError(f"the step h must be > 0, got {h}")
        return max(0.0, self.slow.x0 - self.r_eps) / (h * self.s)

    def complexity_lower(self, h: float) -> float:
        """A lower bound on ``max(T_a(h), T_b(h))``: ``inf`` if ``h >= h_a*``, else (b)'s."""
        if h >= self.h_threshold:
            return math.inf
        return self.slow_steps_lower(h)

    @property
    def bound(self) -> float:
        """The lab's lower bound ``B = (x0_b - r_eps)/(s h_a*)`` (every h: ``T > B``)."""
        if not math.isfinite(self.h_threshold):
            return 0.0
        return max(0.0, self.slow.x0 - self.r_eps) / (self.s * self.h_threshold)

    @property
    def bound_closed(self) -> float:
        """``L1 M_a (Delta - s r_eps) / (2 s^2 (L1 x0_a))`` = the closed form, ``<= bound``.

        With ``M L1 >= L0`` and ``s = kappa eps``: ``L1 M (Delta - kappa^2 eps^2/(L0
        sqrt(kappa^2 - 1))) / (2 kappa^2 eps^2 (1 + log(M L1/L0)))`` (``kappa = 2``: the
        denominator ``8 eps^2 (1 + log(M L1/L0))``).
        """
        if not math.isfinite(self.h_threshold):
            return 0.0
        return max(0.0, self.Delta - self.s * self.r_eps) / (self.s**2 * self.h_threshold)

    @property
    def recalled(self) -> float:
        """Theorem 4's recalled bound ``L1 M (Delta - 5 eps/8)/(8 eps^2 (log M + 1))``."""
        return THEOREM_4.value(self.L0, self.L1, self.M, self.Delta, self.eps)

    @property
    def recalled_sketch(self) -> float:
        """The lab's earlier sketch value ``Delta M L1/(8 eps^2 (1 + log(M L1/L0)))``."""
        return THEOREM_4.value_lab(self.L0, self.L1, self.M, self.Delta, self.eps)

    # ----------------------------------------------------------------- class membership
    def check_class(self, radius: float = 1.0) -> tuple[ClassCheck, ClassCheck]:
        """Certify (a) and (b) with :func:`theory.smoothness.certify` against the class."""
        return tuple(self._check(f, radius) for f in (self.diverging, self.slow))

    def _check(self, fn: HardFunction, radius: float) -> ClassCheck:
        cert = certify(fn.objective, fn.x0, radius=radius)
        l0 = float(cert.L0(self.L1))
        up = 1.0 + TOL
        reasons = []
        if not l0 <= self.L0 * up:
            reasons.append(f"L0*(L1={self.L1:g}) = {l0:.10g} > L0 = {self.L0:g}")
        if not cert.M <= self.M * up:
            reasons.append(f"certified M = {cert.M:.10g} > M = {self.M:g}")
        if not cert.delta <= self.Delta * up:
            reasons.append(f"certified Delta = {cert.delta:.10g} > Delta = {self.Delta:g}")
        analytic = fn.M <= self.M * up and fn.delta <= self.Delta * up and l0 <= self.L0 * up
        return ClassCheck(
            key=fn.key,
            certificate=cert,
            L0_cert=l0,
            M_cert=float(cert.M),
            delta_cert=float(cert.delta),
            in_class=not reasons,
            in_class_analytic=analytic,
            reasons=tuple(reasons),
        )


def construction(
    L0: float,  # noqa: N803
    L1: float,  # noqa: N803
    M: float,  # noqa: N803
    Delta: float,  # noqa: N803
    eps: float,
    kappa: float = 2.0,
) -> Construction:
    """The lab's two hard functions for Theorem 4's class ``(L0, L1, M, Delta, eps)``.

    Theorem 4 (arXiv 1905.11881 v2, bound recalled): for every fixed step ``h`` some f in
    the class needs ``T_eps >= L1 M (Delta - 5 eps/8)/(8 eps^2 (log M + 1))``. This
    construction (provenance ``lab``) proves ``T_eps > B`` with ``B =``
    :attr:`Construction.bound` (see the module docstring).

    Parameters
    ----------
    L0, L1, M, Delta, eps
        The class: ``L0 >= 1``, ``L1 >= 1``, ``M > 1``, ``Delta >= 0``, ``eps in (0, 1]``
        (:func:`theory.theorems.lower_bound.validate_class`).
    kappa
        The slow function's slope is ``s = min(kappa eps, M)``; ``kappa > 1`` (2 in the
        sketch of docs/paper.md).

    Raises
    ------
    ValueError
        Outside the class, or ``kappa <= 1``.
    """
    l0, l1, m, d, e = validate_class(L0, L1, M, Delta, eps)
    try:
        k = float(kappa)
    except (TypeError, ValueError):
        raise ValueError(f"kappa must be a number > 1, got {kappa!r}") from None
    if not (k > 1 and math.isfinite(k)):
        raise ValueError(f"kappa must be a finite number > 1 (slope above eps), got {kappa!r}")
    notes: list[str] = []

    # (a) the gadget, slope M at the start unless its gap would exceed Delta
    m_a = m
    if gadget_gap(l0, l1, m) > d:
        m_a = _gadget_slope_for_gap(l0, l1, d)
        notes.append(
            f"the gadget with slope M = {m:g} at the start has gap {gadget_gap(l0, l1, m):.6g}"
            f" > Delta = {d:g} (any f with slope M in S0 has gap >= "
            f"{min_gap(m, l0, l1):.6g}); (a) uses slope M_a = {m_a:.6g} instead"
        )
    xa = gadget_start(l0, l1, m_a)
    if m_a > e:
        h_star = 2.0 * xa / m_a
    else:
        h_star = math.inf
        notes.append(f"M_a = {m_a:.6g} <= eps: (a) starts eps-stationary; no step is excluded")
    diverging = HardFunction(
        key="diverging",
        objective=cat.gadget(l0, l1),
        x0=xa,
        formula=(
            f"L0 x^2/2 + L0/(2 L1^2) for |x| < 1/L1, (L0/L1^2) exp(L1|x| - 1) outside; "
            f"L0={l0:g}, L1={l1:g}, x0={xa:.10g}"
        ),
        f_star=l0 / (2.0 * l1 * l1),
        delta=gadget_gap(l0, l1, m_a),
        M=m_a,
    )

    # (b) the slow function, gap exactly Delta
    s = min(k * e, m)
    w = s / l0
    D = d / s
    xb = math.sqrt(D * (D + 2.0 * w))
    r = e * w / math.sqrt(s * s - e * e)
    if xb <= r:
        notes.append("Delta is so small that (b) starts eps-stationary: the bound is 0")
    slow = HardFunction(
        key="slow",
        objective=slow_function(s, w),
        x0=xb,
        formula=f"s (sqrt(x^2 + w^2) - w), s={s:g}, w=s/L0={w:g}, x0={xb:.10g}",
        f_star=0.0,
        delta=d,
        M=s * xb / math.sqrt(xb * xb + w * w),
    )
    return Construction(
        L0=l0,
        L1=l1,
        M=m,
        Delta=d,
        eps=e,
        kappa=k,
        diverging=diverging,
        slow=slow,
        M_a=m_a,
        h_threshold=h_star,
        s=s,
        w=w,
        r_eps=r,
        notes=tuple(notes),
    )


def recalled_consistency(
    L0: float,  # noqa: N803
    L1: float,  # noqa: N803
    M: float,  # noqa: N803
    Delta: float,  # noqa: N803
    eps: float,
) -> dict[str, float]:
    """Theorem 4's recalled bound against Theorem 6's upper bound at the class's true max slope.

    Every f of the class has ``sup_{S0} |f'| <= M' = min(M, max_gradient_for_gap(Delta))``
    (:func:`min_gap`), so GD with Theorem 6's fixed step ``h = 1/(2 (M' L1 + L0))`` (printed)
    needs at most ``4 (M' L1 + L0) Delta/eps^2`` steps on all of them (constant recalled,
    implied by the lab's 8/3). When the recalled lower bound exceeds this, the recalled
    statement cannot hold for that class (arXiv 1905.11881 v2, Theorems 4 and 6).

    Returns
    -------
    dict
        ``M_eff``, ``recalled`` (Theorem 4), ``theorem6_upper`` and ``consistent``
        (1.0 / 0.0).
    """
    l0, l1, m, d, e = validate_class(L0, L1, M, Delta, eps)
    m_eff = min(m, max_gradient_for_gap(d, l0, l1))
    low = THEOREM_4.value(l0, l1, m, d, e)
    up = THEOREM_6.value(l0, l1, m_eff, d, e)
    return {
        "M_eff": m_eff,
        "recalled": low,
        "theorem6_upper": up,
        "consistent": float(low <= up),
    }
