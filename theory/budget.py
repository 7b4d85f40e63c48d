"""Time budgets for certificates: a soft deadline that loops poll, a hard one that interrupts.

Every certificate runs under a budget (``--budget SECONDS`` on the command line). The
branch-and-bound and root loops poll :func:`expired` (the *soft* deadline, a fraction of
the budget) and stop there with what they have established: an upper bound from the
boxes still open is an upper bound, only looser. A computation that cannot poll (a
sympy limit, a simplification) is interrupted at the *hard* deadline by ``SIGALRM``
(main thread only), which raises :class:`BudgetExceeded`; the caller turns it into a
one-line message that says what was being computed.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["BudgetExceeded", "deadline", "expired", "remaining", "mark_loose", "was_loose"]

#: Fraction of the budget after which the loops stop refining.
SOFT_FRACTION = 0.7

_state = {"soft": math.inf, "hard": math.inf, "loose": False}


class BudgetExceeded(Exception):
    """The hard deadline passed inside a computation that cannot poll the budget."""


def expired() -> bool:
    """True once the soft deadline of the active budget has passed."""
    return time.monotonic() > _state["soft"]


def remaining() -> float:
    """Seconds left before the hard deadline (``inf`` without an active budget)."""
    return _state["hard"] - time.monotonic()


def mark_loose() -> None:
    """Record that a loop stopped at the soft deadline (its bound is valid but loose)."""
    _state["loose"] = True


def was_loose() -> bool:
    """Whether some loop stopped at the soft deadline under the active budget."""
    return bool(_state["loose"])


def _alarm(signum, frame):  # pragma: no cover - exercised through the CLI tests
    raise BudgetExceeded("the time budget is exhausted")


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Run the block under a budget of ``seconds`` (``None``: no budget).

    Nested budgets keep the earlier deadline. The hard deadline uses ``SIGALRM`` only in
    the main thread; elsewhere the loops still stop at the soft one.
    """
    if seconds is None:
        yield
        return
    if not (seconds > 0 and math.isfinite(seconds)):
        raise ValueError(f"the budget must be a positive finite number of seconds, got {seconds}")
    now = time.monotonic()
    saved = dict(_state)
    outer = math.isinf(saved["hard"])
    _state["soft"] = min(saved["soft"], now + SOFT_FRACTION * seconds)
    _state["hard"] = min(saved["hard"], now + seconds)
    if outer:
        _state["loose"] = False
    use_alarm = outer and threading.current_thread() is threading.main_thread()
    old = None
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, max(1e-3, _state["hard"] - now))
    try:
        yield
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        loose = _state["loose"]
        _state.update(saved)
        if not outer:
            _state["loose"] = loose
