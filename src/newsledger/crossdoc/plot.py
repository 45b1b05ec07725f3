"""Draw figure series as a PNG: one line per claimant, lower bounds marked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

__all__ = ["plot_series"]

MARKERS = {"more_than": "^", "at_least": "^", "nearly": "v", "up_to": "v", "less_than": "v"}


def plot_series(series, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(series) or 1, 1, figsize=(9, 3.2 * max(1, len(series))), squeeze=False)
    for ax, s in zip(axes[:, 0], series):
        for line in s.lines:
            days = [p for p in line.points if len(p.as_of) == 10]
            if not days:
                continue
            xs = [date.fromisoformat(p.as_of) for p in days]
            ax.plot(xs, [p.value for p in days], label=line.claimant, linewidth=1)
            for x, p in zip(xs, days):
                ax.plot([x], [p.value], marker=MARKERS.get(p.qualifier, "o"), color=ax.lines[-1].get_color())
        ax.set_title(s.key, fontsize=9)
        ax.legend(fontsize=7, loc="upper left")
        ax.tick_params(labelsize=7)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
