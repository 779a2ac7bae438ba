"""Matplotlib figures of a run: time series and a map of the firms."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from ecosim.metrics import CHANNELS, FLOW_COLUMNS, SITE_KINDS  # noqa: E402

if TYPE_CHECKING:
    from ecosim.runner import RunResult

ORIGIN_COLOURS = {
    "anchor": "#000000",
    "academic": "#1f77b4",
    "spinout": "#d62728",
    "release": "#ff7f0e",
    "relocation": "#2ca02c",
    "preexisting": "#7f7f7f",
    "pharma_site": "#9467bd",
    "branch": "#8c564b",
}
"""The one palette of firm origins (agents.firm.Origin): charts, maps, family trees, viz."""


def yearly(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Monthly flows summed and stocks taken at year end, one row per calendar year."""
    frame = timeseries.assign(calendar_year=timeseries["year"].astype(float).astype(int))
    flows = [c for c in frame.columns if c in FLOW_COLUMNS]
    stocks = [c for c in frame.columns if c not in flows and c not in ("step", "year", "calendar_year")]
    grouped = frame.groupby("calendar_year")
    return pd.concat([grouped[flows].sum(), grouped[stocks].last()], axis=1)


def overview(result: RunResult, path: Path) -> None:
    """Four panels: foundings by channel, active firms, exits and failures, and the map."""
    per_year = yearly(result.timeseries)
    fig, axes = plt.subplots(2, 2, figsize=(12, 8.5))
    ax = axes[0, 0]
    bottom = None
    for channel in CHANNELS:
        values = per_year[f"founded_{channel}"]
        ax.bar(per_year.index, values, bottom=bottom, color=ORIGIN_COLOURS[channel], label=channel)
        bottom = values if bottom is None else bottom + values
    ax.set_title("Startups founded per year, by channel")
    ax.legend(frameon=False)
    ax = axes[0, 1]
    ax.plot(per_year.index, per_year["firms_active"], label="life-science firms")
    ax.plot(per_year.index, per_year["startups_active"], label="private startups")
    ax.plot(per_year.index, per_year["pharma_sites"] * 10, label="pharma sites x 10", ls="--")
    ax.set_title("Active firms (year end)")
    ax.legend(frameon=False)
    ax = axes[1, 0]
    for column, label in (("exits_acquired", "acquired"), ("exits_ipo", "IPO"), ("failures", "failed")):
        ax.plot(per_year.index, per_year[column], label=label)
    ax.set_title("Exits and failures per year")
    ax.legend(frameon=False)
    draw_map(axes[1, 1], result.firms)
    fig.suptitle(f"{result.summary.get('scenario', '')}: "
                 f"{result.summary.get('firms_active', 0)} firms, "
                 f"{result.summary.get('employment', 0):,} jobs at the end")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def draw_map(ax: plt.Axes, firms: pd.DataFrame) -> None:
    """Firms at their places: active ones coloured by origin, closed ones as grey dots."""
    if firms.empty:
        ax.set_title("Map (no firms)")
        return
    gone = firms[firms["fate"].isin(["failed", "acquired"])]
    ax.scatter(gone["x"], gone["y"], s=4, c="#cccccc", label="closed or acquired")
    active = firms[~firms.index.isin(gone.index)]
    sites = active[active["kind"] == "pharma_site"]
    ax.scatter(sites["x"], sites["y"], s=60, marker="s", c=ORIGIN_COLOURS["pharma_site"],
               label="pharma site")
    branches = active[active["kind"] == "branch"]
    ax.scatter(branches["x"], branches["y"], s=14, marker="s", c=ORIGIN_COLOURS["branch"],
               label="branch")
    companies = active[~active["kind"].isin(SITE_KINDS)]
    for origin in ("anchor", *CHANNELS, "relocation", "preexisting"):
        colour = ORIGIN_COLOURS[origin]
        part = companies[companies["origin"] == origin]
        ax.scatter(part["x"], part["y"], s=8, c=colour, label=origin)
    ax.set_aspect("equal")
    ax.set_xlabel("km east")
    ax.set_ylabel("km north")
    ax.set_title("Firms at the end of the run")
    ax.legend(frameon=False, fontsize=7, markerscale=1.5)
