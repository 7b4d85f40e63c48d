"""Step-size rules h_k = rule(||g_k||, s): the one registry of every method's step.

Deterministic rules of the paper (Eq. 4-6, arXiv 1905.11881 v2) and stochastic rules of
its Section 4 (Theorems 7, 8) map the gradient norm ``gn = ||g_k||`` (of the stochastic
gradient, for the stochastic ones) and a parameter vector ``s`` to the scalar step
``h_k`` of the update ``x_{k+1} = x_k - h_k g_k``:

========================  ====================  ==========================================
name                      parameters ``s``      h_k
========================  ====================  ==========================================
``gd``                    (h,)                  h
``clipped_gd``            (eta, gamma)          min(eta, gamma*eta/gn); eta when gn == 0
``clipped_gd_torch``      (eta, c)              eta * min(1, c/(gn + 1e-6))
``clipped_gd_optax``      (eta, c)              eta if gn < c else eta*c/gn (NaN at 0, 0)
``normalized_gd``         (eta, beta)           eta/(gn + beta)
``clipped_sgd``           (eta, clip) + tau     min(clip/(gn + tau), eta) (stochastic)
``sgd``                   (h,)                  h (stochastic)
========================  ====================  ==========================================

``clipped_gd`` is the paper's formula (clip the norm at gamma, then step eta), with
an exact branch at gn == 0. The torch and optax variants reproduce the semantics
of ``torch.nn.utils.clip_grad_norm_`` (factor min(1, c/(||g|| + 1e-6)), always
applied) and ``optax.clip_by_global_norm`` (pass-through below c, else rescale,
which is 0/0 = NaN when c = gn = 0). ``clipped_sgd`` receives the noise's ``tau``
appended to its parameters (:attr:`StepRule.context`). The rules are numba functions;
they are callable from Python too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from numba import njit

__all__ = ["RULES", "SETTINGS", "StepRule", "rule", "rules"]

_JIT = dict(cache=True, error_model="numpy")


@njit(**_JIT)
def gd(gn, s):
    return s[0]


@njit(**_JIT)
def clipped_gd(gn, s):
    eta, gamma = s[0], s[1]
    if gn == 0.0:
        return eta
    h = gamma * eta / gn
    return eta if h >= eta else h  # min(eta, h) that propagates a NaN norm


@njit(**_JIT)
def clipped_gd_torch(gn, s):
    coef = s[1] / (gn + 1e-6)
    if coef > 1.0:  # torch.clamp(coef, max=1): a NaN stays NaN
        coef = 1.0
    return s[0] * coef


@njit(**_JIT)
def clipped_gd_optax(gn, s):
    if gn < s[1]:
        return s[0]
    return s[0] * (s[1] / gn)


@njit(**_JIT)
def normalized_gd(gn, s):
    return s[0] / (gn + s[1])


@njit(**_JIT)
def clipped_sgd(gn, s):
    """``min{clip/(gn + tau), eta}`` with ``s = (eta, clip, tau)``; a NaN norm propagates."""
    h = s[1] / (gn + s[2])
    return s[0] if h >= s[0] else h


sgd = gd  # the same arithmetic: h_k = h, applied to the stochastic gradient

#: The settings a rule runs in: :func:`synthetic.run.run` and :func:`synthetic.sweep.sweep`
#: take deterministic rules, :func:`synthetic.stochastic.run_stochastic` stochastic ones.
SETTINGS = ("deterministic", "stochastic")


@dataclass(frozen=True)
class StepRule:
    """A named step rule: its compiled function, its parameter names and how it is called.

    Attributes
    ----------
    name, func, params, description
        The method's name, the numba function, the names of its parameters (the order of
        ``s``) and a one-line description.
    setting
        ``"deterministic"`` or ``"stochastic"`` (:data:`SETTINGS`).
    context
        Names of values the run appends to ``s`` after ``params`` (``("tau",)``: the
        noise's tau for ``clipped_sgd``).
    uses_f
        False: the kernels call ``func(gn, s)``. True: they call
        ``func(x, f, g, gn, p, s)`` (the iterate, f and the gradient there, its norm, the
        family's parameters), and ``func`` may evaluate the family as ``fg(y, p)``
        (one variable: returns ``(f, f')``; d variables: ``fg(y, p, grad_out)`` returns
        f): see :data:`RULES` for an Armijo-type rule.
    """

    name: str
    func: object
    params: tuple[str, ...]
    description: str
    setting: str = "deterministic"
    context: tuple[str, ...] = ()
    uses_f: bool = False

    def validate(self, values: dict[str, float]) -> tuple[float, ...]:
        """Return the parameters in order, or raise ValueError naming what is wrong."""
        missing = [p for p in self.params if values.get(p) is None]
        if missing:
            raise ValueError(f"{self.name} needs --{' --'.join(missing)}")
        out = []
        for p in self.params:
            try:
                v = float(values[p])
            except (TypeError, ValueError):
                raise ValueError(f"{p} must be a number, got {values[p]!r}") from None
            if p == "beta":
                if not (math.isfinite(v) and v >= 0):
                    raise ValueError(f"beta must be finite and >= 0, got {values[p]!r}")
            elif not (math.isfinite(v) and v > 0):
                raise ValueError(f"{p} must be finite and > 0, got {values[p]!r}")
            out.append(v)
        return tuple(out)


#: The registry of every step rule, deterministic and stochastic.
#:
#: Adding a rule takes a few lines in this module: write the rule as
#: ``@njit(**_JIT) def name(gn, s): ...`` (numba-compilable; it may use ``math``, numpy and
#: module-level numeric constants, and other ``@njit`` functions of its own; ``s`` holds the
#: parameters in the order of ``params``, as an array or a tuple), then append
#: ``"name": StepRule("name", name, ("eta", ...), "one line")`` below. Nothing else changes:
#: :mod:`synthetic.codegen` copies the rule's source (and that of what it calls) into each
#: generated (family, rule) module, so the single run, the d-variable run, the sweep and
#: the stochastic kernels all use it, and its source is part of the module's hash. The
#: sweep engine passes at most :data:`synthetic.sweep_kernels.NPMAX` parameters (params and
#: context together). Parameters are validated by :meth:`StepRule.validate` (finite and
#: > 0; ``beta`` >= 0): a rule with other bounds extends it there.
#:
#: A rule that evaluates f inside the step (Armijo backtracking, say) sets
#: ``uses_f=True`` and takes ``(x, f, g, gn, p, s)``; it calls the family's ``fg`` as a
#: global (import the placeholder ``from synthetic._template_globals import fg`` so that
#: this module stays importable; the generated module binds the family's own). For one
#: variable, Armijo with parameters (h0, c, rho) is::
#:
#:     @njit(**_JIT)
#:     def armijo(x, f, g, gn, p, s):
#:         h = s[0]
#:         while h > 0.0 and not (fg(x - h * g, p)[0] <= f - s[1] * h * gn * gn):
#:             h *= s[2]
#:         return h
#:
#: (in d variables, ``fg`` fills a gradient array: such a rule allocates its own).
RULES: dict[str, StepRule] = {
    "gd": StepRule("gd", gd, ("h",), "gradient descent, fixed step h (Eq. 4)"),
    "clipped_gd": StepRule(
        "clipped_gd",
        clipped_gd,
        ("eta", "gamma"),
        "clipped GD, h = min(eta, gamma*eta/||g||) (Eq. 5)",
    ),
    "normalized_gd": StepRule(
        "normalized_gd",
        normalized_gd,
        ("eta", "beta"),
        "normalized GD, h = eta/(||g|| + beta) (Eq. 6)",
    ),
    "clipped_gd_torch": StepRule(
        "clipped_gd_torch",
        clipped_gd_torch,
        ("eta", "gamma"),
        "PyTorch clip_grad_norm_ semantics: h = eta*min(1, gamma/(||g|| + 1e-6))",
    ),
    "clipped_gd_optax": StepRule(
        "clipped_gd_optax",
        clipped_gd_optax,
        ("eta", "gamma"),
        "optax clip_by_global_norm semantics: h = eta if ||g|| < gamma else eta*gamma/||g||",
    ),
    "clipped_sgd": StepRule(
        "clipped_sgd",
        clipped_sgd,
        ("eta", "clip"),
        "clipped SGD, h_k = min{clip/(||g_k|| + tau), eta} (Theorem 7, v2)",
        setting="stochastic",
        context=("tau",),
    ),
    "sgd": StepRule(
        "sgd", sgd, ("h",), "SGD with a fixed step h (Theorem 8, v2)", setting="stochastic"
    ),
}


def rules(setting: str = "deterministic") -> dict[str, StepRule]:
    """The rules of one setting (``"deterministic"`` or ``"stochastic"``), by name."""
    if setting not in SETTINGS:
        raise ValueError(f"setting must be one of {', '.join(SETTINGS)}, got {setting!r}")
    return {k: v for k, v in RULES.items() if v.setting == setting}


def rule(name: str, setting: str | None = "deterministic") -> StepRule:
    """Look up a step rule by name (of ``setting``, or any if None), with a one-line error."""
    allowed = RULES if setting is None else rules(setting)
    try:
        return allowed[name]
    except KeyError:
        raise ValueError(f"unknown method {name!r}; allowed: {', '.join(allowed)}") from None


# ----------------------------------------------------------------------------- follow-ups
# Step rules of the work that followed the paper (docs/paper.md, "Follow-up step rules").
# ``L0 = 0`` and ``L1 = 0`` are allowed where the rule has a limit (not both zero); at
# gn == 0 a rule returns its limit as gn -> 0 when it is finite, else 0 (x is stationary,
# so the step does not matter, and 0 keeps h * g finite).


@njit(**_JIT)
def vankov_eta_star(gn, s):
    """eta* = ln(1 + L1 g/(L0 + L1 g))/(L1 g): the maximizer of the (L0, L1) upper model."""
    l0, l1 = s[0], s[1]
    b = l1 * gn
    if b == 0.0:
        return 1.0 / l0 if l0 > 0.0 else 0.0
    u = b / (l0 + b)
    if u < 1e-8:  # ln(1 + u)/b = (1 - u/2 + ...)/(L0 + b): no division by a denormal b
        return (1.0 - 0.5 * u) / (l0 + b)
    return math.log1p(u) / b


@njit(**_JIT)
def vankov_eta_si(gn, s):
    """eta_si = 1/(L0 + 1.5 L1 g)."""
    den = s[0] + 1.5 * s[1] * gn
    return 1.0 / den if den > 0.0 else 0.0


@njit(**_JIT)
def vankov_eta_cl(gn, s):
    """eta_cl = min{1/(2 L0), 1/(3 L1 g)} (a term with a zero denominator is +inf)."""
    a = 2.0 * s[0]
    b = 3.0 * s[1] * gn
    den = a if a >= b else b  # min of the reciprocals = reciprocal of the max
    return 1.0 / den if den > 0.0 else 0.0


@njit(**_JIT)
def smoothed_clip(gn, s):
    """h = eta/(L0 + L1 g)."""
    den = s[1] + s[2] * gn
    return s[0] / den if den > 0.0 else 0.0


@njit(**_JIT)
def koloskova_clip(gn, s):
    """x - eta clip_c(g): h = eta min{1, c/g} (the paper's clipped_gd with gamma = c)."""
    return clipped_gd(gn, s)


@njit(**_JIT)
def beta_normalized_gd(gn, s):
    """h = gamma/g^beta (gamma at g == 0, where the step does not matter)."""
    if gn == 0.0:
        return s[0]
    return s[0] / gn ** s[1]


@dataclass(frozen=True)
class ZeroAllowedRule(StepRule):
    """A :class:`StepRule` whose parameters ``zero_ok`` may be 0 (not all of them at once)."""

    zero_ok: tuple[str, ...] = ()

    def validate(self, values: dict[str, float]) -> tuple[float, ...]:
        """As :meth:`StepRule.validate`, with ``>= 0`` for the ``zero_ok`` parameters."""
        zeros = set()
        for p in self.zero_ok:
            try:
                if float(values.get(p)) == 0.0:
                    zeros.add(p)
            except (TypeError, ValueError):
                pass
        if zeros and zeros == set(self.zero_ok):
            raise ValueError(f"{' and '.join(self.zero_ok)} cannot all be 0")
        out = super().validate({**values, **{p: 1.0 for p in zeros}})
        return tuple(0.0 if p in zeros else v for p, v in zip(self.params, out))


RULES.update(
    {
        "vankov_eta_star": ZeroAllowedRule(
            "vankov_eta_star",
            vankov_eta_star,
            ("L0", "L1"),
            "Vankov et al. (ICLR 2025) eta* = ln(1 + L1 g/(L0 + L1 g))/(L1 g), g = ||grad f||",
            zero_ok=("L0", "L1"),
        ),
        "vankov_eta_si": ZeroAllowedRule(
            "vankov_eta_si",
            vankov_eta_si,
            ("L0", "L1"),
            "Vankov et al. (ICLR 2025) eta_si = 1/(L0 + 1.5 L1 ||g||)",
            zero_ok=("L0", "L1"),
        ),
        "vankov_eta_cl": ZeroAllowedRule(
            "vankov_eta_cl",
            vankov_eta_cl,
            ("L0", "L1"),
            "Vankov et al. (ICLR 2025) eta_cl = min(1/(2 L0), 1/(3 L1 ||g||))",
            zero_ok=("L0", "L1"),
        ),
        "smoothed_clip": ZeroAllowedRule(
            "smoothed_clip",
            smoothed_clip,
            ("eta", "L0", "L1"),
            "Gorbunov et al. (ICLR 2025) smoothed clipping h = eta/(L0 + L1 ||g||)",
            zero_ok=("L0", "L1"),
        ),
        "koloskova_clip": StepRule(
            "koloskova_clip",
            koloskova_clip,
            ("eta", "c"),
            "Koloskova et al. (ICML 2023) x - eta clip_c(g): h = eta min(1, c/||g||)",
        ),
        "beta_normalized_gd": StepRule(
            "beta_normalized_gd",
            beta_normalized_gd,
            ("gamma", "beta"),
            "Chen et al. (ICML 2023) beta-normalized GD h = gamma/||g||^beta",
        ),
    }
)
