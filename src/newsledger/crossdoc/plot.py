"""Draw figure series as a PNG: one line per source through its value of each day, every report marked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

__all__ = ["plot_series"]

MARKERS = {"more_than": "^", "at_least": "^", "nearly": "v", "up_to": "v", "less_than": "v"}
LINES = 6  # sources drawn per series, most reported first


def plot_series(series, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(series) or 1, 1, figsize=(9, 3.4 * max(1, len(series))), squeeze=False)
    for ax, s in zip(axes[:, 0], series):
        for line in s.lines[:LINES]:
            if not line.days:
                continue
            days = [date.fromisoformat(d) for d, _ in line.days]
            drawn = ax.plot(days, [v for _, v in line.days], label=f"{line.claimant} ({len(line.days)} days)", linewidth=1.2)
            colour = drawn[0].get_color()
            for p in line.points:
                if len(p.as_of) == 10:
                    ax.plot([date.fromisoformat(p.as_of)], [p.value], marker=MARKERS.get(p.qualifier, "o"),
                            color=colour, markersize=3 + min(len(p.reports), 5), alpha=0.6, linestyle="none")
        ax.set_title(s.key, fontsize=9)
        ax.legend(fontsize=7, loc="upper left")
        ax.tick_params(labelsize=7)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
