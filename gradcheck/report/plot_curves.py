"""Drawing elementwise derivatives: the learner's against the true one over an input range, one panel per
target (needs the `plot` extra, matplotlib).  "x used for y" or a missing product-rule term shows at a glance."""

from __future__ import annotations

from ..report.model import CheckResult


def curves(results: list[CheckResult]) -> list[tuple[str, dict]]:
    """(title, curve) for each result that recorded one."""
    return [(r.target, r.curve) for r in results if r.curve is not None]


def plot_derivatives(results: list[CheckResult], path: str) -> int:
    """Write a PNG with one panel per elementwise target; the number of panels drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    found = curves(results)
    if not found:
        return 0
    fig, axes = plt.subplots(1, len(found), figsize=(4.2 * len(found), 3.4), dpi=100, squeeze=False)
    for ax, (title, curve) in zip(axes[0], found):
        ax.plot(curve["x"], curve["true"], color="0.35", linewidth=2.2, label="f'(x) (finite differences)")
        ax.plot(curve["x"], curve["got"], color="tab:red", linewidth=1.2, linestyle="--", label="your backward")
        ax.set_title(title)
        ax.set_xlabel("x")
        ax.axhline(0.0, color="0.8", linewidth=0.6)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return len(found)
