"""Drawing a descent: the cost curve and the iterates on it (needs the `plot` extra, matplotlib)."""

from __future__ import annotations

import numpy as np

from .descent import Descent


def plot_descent(run: Descent, cost, path: str, title: str = "") -> None:
    """Write a PNG of ``cost`` (a NumPy function of one variable) around the iterates, with the iterates marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = np.asarray(run.iterates, dtype=np.float64)
    xs = xs[np.isfinite(xs)]
    lo, hi = float(xs.min()), float(xs.max())
    pad = 0.1 * (hi - lo) + 1.0
    grid = np.linspace(lo - pad, hi + pad, 400)
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    ax.plot(grid, cost(grid), color="0.4", label="E")
    ax.plot(xs, cost(xs), "o-", color="tab:red", markersize=3, linewidth=0.8, label="iterates")
    ax.set_xlabel(run.variable)
    ax.set_ylabel(f"E({run.variable})")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
