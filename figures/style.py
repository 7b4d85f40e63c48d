"""The shared plot style: matplotlib Agg, PDF and PNG, ``pdf.fonttype`` 42, log-log for rates.

Conventions (docs/design.md): where the claim is a rate the axes are log-log; the bound is drawn
next to the measurement (dashed, same colour); measured-against-bound plots carry the
``y = x`` line. Figures are written atomically (temporary name, then :func:`os.replace`).
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from .framework import atomic_write_bytes  # noqa: E402

__all__ = ["COLORS", "MARKERS", "color", "identity_line", "new_figure", "save", "plt"]

RC = {
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "legend.fontsize": 7,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 1.4,
    "savefig.dpi": 150,
    "figure.dpi": 100,
    "svg.hashsalt": "cliplab",
}
COLORS = (
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173",
)  # fmt: skip
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "*")
#: Fixed colours of the methods.
METHOD_COLORS = {"clipped_gd": "#1f77b4", "gd": "#d62728", "normalized_gd": "#2ca02c"}


def color(i: int) -> str:
    """The i-th colour of the cycle."""
    return COLORS[i % len(COLORS)]


def new_figure(ncols: int = 1, nrows: int = 1, width: float = 4.2, height: float = 3.2):
    """A figure with the lab's style and ``nrows x ncols`` axes (always a 2-D array)."""
    plt.rcParams.update(RC)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False, layout="constrained"
    )
    return fig, axes


def identity_line(ax, lo: float, hi: float, label: str = "measured = bound") -> None:
    """Draw ``y = x`` from lo to hi (the line a measured count must stay below)."""
    ax.plot([lo, hi], [lo, hi], color="k", lw=1.0, ls="--", label=label, zorder=1)


def save(fig, folder: Path, stem: str) -> list[Path]:
    """Save ``fig`` as ``stem.pdf`` and ``stem.png`` in ``folder`` (atomically) and close it."""
    folder = Path(folder)
    out = []
    for ext in ("pdf", "png"):
        buf = io.BytesIO()
        meta = {"CreationDate": None} if ext == "pdf" else {"Software": None}
        fig.savefig(buf, format=ext, metadata=meta)
        out.append(atomic_write_bytes(folder / f"{stem}.{ext}", buf.getvalue()))
    plt.close(fig)
    return out
