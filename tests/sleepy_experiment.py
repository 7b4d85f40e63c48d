"""A fake experiment whose configurations take a while: for the executor and cluster tests.

An importable module (workers of a pool or a dask cluster import it by name), following
the interface of :mod:`figures`. Each configuration sleeps ``SLEEP`` seconds (environment
variable ``SLEEPY_SECONDS``, default 0.3) and draws numbers from its seed only, so its rows
are a function of (configuration, seed) and byte-identical wherever they are computed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np

from figures.framework import ratio_verdict

NAME = "sleepy"
TITLE = "configurations that sleep"
THEOREMS = ()
CLAIM = "a fake claim that sleeps (tests of the executors)"
KIND = "empirical"
VERSION = "1"
#: Configurations in the grid.
N_CONFIGS = 12


def grid(quick: bool) -> list[dict]:
    return [{"i": i} for i in range(N_CONFIGS if quick else 2 * N_CONFIGS)]


def compute(config: dict, seed: int) -> list[dict]:
    time.sleep(float(os.environ.get("SLEEPY_SECONDS", "0.3")))
    x = np.random.default_rng(seed).standard_normal(3)
    return [{"i": config["i"], "seed": seed, "j": j, "x": float(x[j])} for j in range(3)]


def verdict(rows: list[dict]):
    return ratio_verdict([abs(r["x"]) for r in rows], [False] * len(rows), kind=KIND)


def plot(rows: list[dict], outdir: Path) -> list[Path]:
    return []


def touch_and_sleep(path: str, seconds: float) -> str:
    """Create the file ``path``, then sleep: a task whose having started can be counted."""
    Path(path).touch()
    time.sleep(seconds)
    return path
