"""The one plotting module: the palette, figures without pyplot, tree layout, yearly tables, and
the overview figure of a run.

No figure here goes through pyplot: each is a ``matplotlib.figure.Figure`` with its own Agg
canvas, so drawing keeps no global state (no backend to choose, no figure registry to close,
safe from the browser view's threads). The report, calibration, lineage trees, the experiments
and the browser view draw with these helpers and this palette.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecosim import atomic, metric_registry

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

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
MEDTECH_COLOUR = "#80cdc1"
"""Device, diagnostics and service firms (agents.medtech.Medtech), whatever their origin."""

CHANNEL_COLOURS = {
    "founded_academic": ORIGIN_COLOURS["academic"],
    "founded_spinout": ORIGIN_COLOURS["spinout"],
    "founded_release": ORIGIN_COLOURS["release"],
    "relocations": ORIGIN_COLOURS["relocation"],
}
"""The entry-channel metrics in the colour of their origin."""

OTHER_COLOUR = "#b0b0b0"
"""Anything without a colour of its own (an origin the palette does not know)."""
TARGET_COLOUR = "#d62728"
"""The source document's figures drawn on a chart (calibration targets)."""
SERIES_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")
"""Colours of unnamed series in turn (lineages on the map, arms on a chart)."""


def figure(figsize: tuple[float, float], dpi: float = 100, **kwargs: Any) -> Figure:
    """A new figure with its own canvas (not registered with pyplot)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, **kwargs)
    FigureCanvasAgg(fig)
    return fig


def subplots(
    rows: int = 1, cols: int = 1, figsize: tuple[float, float] = (6.4, 4.8), **kwargs: Any
) -> tuple[Figure, Any]:
    """``pyplot.subplots`` without pyplot: a new figure and its axes (``squeeze`` etc. as there)."""
    fig = figure(figsize)
    return fig, fig.subplots(rows, cols, **kwargs)


def save_png(fig: Figure, path: str | Path, dpi: float = 110, **kwargs: Any) -> Path:
    """Write ``fig`` as a PNG, whole or not at all (rendered in memory, then moved in)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, **kwargs)
    atomic.write_bytes(path, buffer.getvalue())
    return Path(path)


def yearly(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Monthly flows summed and stocks taken at year end, one row per calendar year (the index)."""
    return metric_registry.yearly(timeseries).set_index("year")


def tree_layout(
    tree: nx.DiGraph, root: Hashable, order: Callable[[Hashable], Any] | None = None
) -> dict[Hashable, tuple[float, float]]:
    """A tidy layout of a family tree: each node's leaf position and depth below ``root``.

    Leaves are numbered 0, 1, 2, ... in depth-first order (children sorted by founding date,
    then id); each parent sits midway between its first and last child. The depth is counted
    in edges from the root. Iterative, so a lineage of any depth lays out.

    Args:
        tree: the family tree (parent -> child edges).
        root: its root.
        order: sort key of a node's children (default: ``founded_year`` attribute, then id).

    Returns:
        node -> (leaf position, depth).
    """
    key = order or (lambda n: (tree.nodes[n].get("founded_year", 0.0), n))
    positions: dict[Hashable, tuple[float, float]] = {}
    depth = {root: 0}
    next_leaf = 0.0
    stack: list[tuple[Hashable, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        children = sorted(tree.successors(node), key=key)
        if not children:
            positions[node] = (next_leaf, float(depth[node]))
            next_leaf += 1.0
        elif expanded:
            first, last = positions[children[0]][0], positions[children[-1]][0]
            positions[node] = ((first + last) / 2.0, float(depth[node]))
        else:
            stack.append((node, True))
            for child in reversed(children):
                depth[child] = depth[node] + 1
                stack.append((child, False))
    return positions


def overview(result: RunResult, path: Path) -> None:
    """Four panels: foundings by channel, active firms, exits and failures, and the map."""
    from matplotlib.ticker import MaxNLocator

    from ecosim.metrics import CHANNELS

    per_year = yearly(result.timeseries)
    # The columns as numpy arrays: matplotlib turns a pandas Series into the same array anyway,
    # after checks of its own on each call (the same pixels, some milliseconds less).
    years = per_year.index.to_numpy()
    fig, axes = subplots(2, 2, figsize=(12, 8.5))
    ax = axes[0, 0]
    bottom = None
    for channel in CHANNELS:
        values = per_year[f"founded_{channel}"].to_numpy()
        ax.bar(years, values, bottom=bottom, color=ORIGIN_COLOURS[channel], label=channel)
        bottom = values if bottom is None else bottom + values
    ax.set_title("Startups founded per year, by channel")
    ax.legend(frameon=False)
    ax = axes[0, 1]
    ax.plot(years, per_year["firms_active"].to_numpy(), label="life-science firms")
    ax.plot(years, per_year["startups_active"].to_numpy(), label="private startups")
    ax.plot(years, per_year["pharma_sites"].to_numpy() * 10, label="pharma sites x 10", ls="--")
    ax.set_title("Active firms (year end)")
    ax.legend(frameon=False)
    ax = axes[1, 0]
    for column, label in (("exits_acquired", "acquired"), ("exits_ipo", "IPO"), ("failures", "failed")):
        ax.plot(years, per_year[column].to_numpy(), label=label)
    ax.set_title("Exits and failures per year")
    ax.legend(frameon=False)
    for ax in (axes[0, 0], axes[0, 1], axes[1, 0]):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole years, not 2022.5
    draw_map(axes[1, 1], result.firms)
    fig.suptitle(
        f"{result.summary.get('scenario', '')}: "
        f"{result.summary.get('firms_active', 0)} firms, "
        f"{result.summary.get('employment', 0):,} jobs at the end"
    )
    # A fixed layout: tight_layout would draw the figure once more only to measure it.
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.06, top=0.92, wspace=0.18, hspace=0.25)
    save_png(fig, path, dpi=110)


def draw_map(ax: Axes, firms: pd.DataFrame) -> None:
    """Firms at their places: active ones coloured by origin, closed ones as grey dots."""
    import numpy as np

    from ecosim.agents.medtech import Medtech
    from ecosim.metrics import CHANNELS, NOT_STARTUP_KINDS

    if firms.empty:
        ax.set_title("Map (no firms)")
        return
    # Masks over numpy columns rather than a DataFrame filtered ten times: the same points in
    # the same order (a firm table's rows are its firms, one each), without pandas' indexing.
    x, y = firms["x"].to_numpy(), firms["y"].to_numpy()
    kind, origin = firms["kind"].to_numpy(), firms["origin"].to_numpy()
    gone = np.isin(firms["fate"].to_numpy(), ["failed", "acquired", "closed"])
    active = ~gone
    ax.scatter(x[gone], y[gone], s=4, c="#cccccc", label="closed or acquired")
    sites = active & (kind == "pharma_site")
    ax.scatter(x[sites], y[sites], s=60, marker="s", c=ORIGIN_COLOURS["pharma_site"], label="pharma site")
    branches = active & (kind == "branch")
    ax.scatter(x[branches], y[branches], s=14, marker="s", c=ORIGIN_COLOURS["branch"], label="branch")
    medtechs = active & (kind == Medtech.kind)
    if medtechs.any():
        ax.scatter(x[medtechs], y[medtechs], s=8, c=MEDTECH_COLOUR, label="device or service firm")
    companies = active & ~np.isin(kind, NOT_STARTUP_KINDS)
    for firm_origin in ("anchor", *CHANNELS, "relocation", "preexisting"):
        part = companies & (origin == firm_origin)
        ax.scatter(x[part], y[part], s=8, c=ORIGIN_COLOURS[firm_origin], label=firm_origin)
    ax.set_aspect("equal")
    ax.set_xlabel("km east")
    ax.set_ylabel("km north")
    ax.set_title("Firms at the end of the run")
    ax.legend(frameon=False, fontsize=7, markerscale=1.5)
