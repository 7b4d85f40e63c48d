"""Jupyter rendering of runs and sweeps (``_repr_markdown_``).

Closed form: gradient descent with step h = 1/2 on f(x) = x^2/2 halves x at every step,
so from x0 the first k with |x_k| <= eps is T_eps = ceil(log2(|x0| / eps)).
"""

from __future__ import annotations

import math
import re

from synthetic.notebook import SHOWN_RUNS
from synthetic.run import run
from synthetic.sweep import sweep


def _t_eps(x0: float, eps: float) -> int:
    return max(0, math.ceil(math.log2(abs(x0) / eps)))


def test_run_result_markdown_shows_the_outcome():
    r = run("x**2/2", "gd", 1.0, 1e-3, h=0.5)
    md = r._repr_markdown_()
    assert f"| {_t_eps(1.0, 1e-3)} |" in md and "| converged |" in md
    assert "h = 0.5" in md and "`gd`" in md


def test_sweep_result_markdown_summarises_and_tabulates():
    x0s = [2.0**k for k in range(1, 15)]
    s = sweep("x**2/2", "gd", x0s, 1e-3, h=0.5)
    md = s._repr_markdown_()
    assert f"{len(x0s)} runs" in md and f"converged: {len(x0s)}" in md
    ts = [_t_eps(x, 1e-3) for x in x0s]
    assert f"min {min(ts)}" in md and f"max {max(ts)}" in md
    rows = [ln for ln in md.splitlines() if re.match(r"\| \d+ \|", ln)]
    assert len(rows) == SHOWN_RUNS
    for i, row in enumerate(rows):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert int(cells[0]) == i and float(cells[1]) == x0s[i]
        assert int(cells[cells.index("converged") + 1]) == ts[i]
    assert f"and {len(x0s) - SHOWN_RUNS} more runs" in md
