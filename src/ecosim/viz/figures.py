"""Matplotlib figures of the browser view: the region map, the live charts, the family tree.

Each function takes a BioclusterModel and returns a ``matplotlib.figure.Figure`` (no pyplot, so
figures are safe to draw from the server's threads). Labels come from :mod:`ecosim.viz.i18n`.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle
from matplotlib.ticker import MaxNLocator

from ecosim.agents.firm import OPERATING
from ecosim.agents.startup import Startup
from ecosim.i18n import text
from ecosim.plots import ORIGIN_COLOURS

if TYPE_CHECKING:
    import networkx as nx

    from ecosim.model import BioclusterModel

MAP_HEIGHT = 7.6
MAP_AXES_HEIGHT = 6.6
MAP_MARGIN = 0.9
MAP_LEGEND_WIDTH = 3.1
MAP_ASPECT_RANGE = (0.4, 2.5)
MAP_DPI = 110
MAP_FONT = 12
STARTUP_SIZE = (24.0, 170.0)
CHART_SIZE = (5.4, 3.3)
TREE_SIZE = (5.4, 3.9)
DPI = 100
CHART_FONT = 12
LINEAGE_COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
)
OTHER_COLOUR = "#b0b0b0"
STAGE_COLOURS = {
    "seed": "#9ecae1",
    "early": "#4292c6",
    "clinical": "#08519c",
    "late": "#08306b",
    "public": "#f16913",
    "large": "#a63603",
}
SITE_STYLES: dict[str, dict[str, Any]] = {
    "university": {"marker": "^", "color": "#08306b", "s": 200},
    "research_institute": {"marker": "v", "color": "#006d77", "s": 180},
    "hospital": {"marker": "P", "color": "#c0392b", "s": 200},
    "incubator": {"marker": "s", "color": "#7b3294", "s": 140},
    "pharma": {"marker": "D", "color": "#1b7837", "s": 150},
    "branch": {"marker": "D", "color": "#8c564b", "s": 50},
    "vc": {"marker": "p", "color": "#e6ab02", "s": 180},
    "hub": {"marker": "*", "color": "#ff1493", "s": 520},
}
TOP_LINEAGES = len(LINEAGE_COLOURS)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def year_label(year: float) -> str:
    """A decimal year as a calendar month ("Mar 1987", or "1987年3月" in Japanese)."""
    whole = math.floor(year + 1e-9)
    month = min(11, int(round((year - whole) * 12)))
    if text("year") == "年":
        return f"{whole}年{month + 1}月"
    return f"{MONTHS[month]} {whole}"


def clock(model: BioclusterModel) -> float:
    """The date the view shows: the start of the month after the months simulated so far.

    Before the first step that is January of the start year; each step (one month) moves it one
    month on, so a Step click always shows the next month. (The model's own ``year`` is the
    month being or last simulated, which stays at January for the first step.)
    """
    return model.cluster.start_year + int(getattr(model, "steps", 0)) / 12.0


def _agents(model: BioclusterModel, class_name: str) -> list[Any]:
    return [a for a in model.agents if type(a).__name__ == class_name]


def _site_groups(model: BioclusterModel) -> dict[str, list[Any]]:
    """Agents drawn as sites, by legend key."""
    groups: dict[str, list[Any]] = {key: [] for key in SITE_STYLES}
    for uni in _agents(model, "University"):
        key = "research_institute" if getattr(uni, "kind", "") == "research_institute" else "university"
        groups[key].append(uni)
    groups["hospital"] = _agents(model, "Hospital")
    groups["incubator"] = _agents(model, "Incubator")
    groups["pharma"] = _agents(model, "PharmaSite")
    groups["branch"] = _agents(model, "Branch")
    groups["vc"] = _agents(model, "VentureCapital")
    groups["hub"] = _agents(model, "HubOrganization")
    return groups


def lineage_sizes(model: BioclusterModel) -> Counter[int]:
    """Firms ever founded in each lineage (startups only), by root id."""
    return Counter(f.lineage_root for f in getattr(model, "firms", []) if isinstance(f, Startup))


def firm_names(model: BioclusterModel) -> dict[int, str]:
    """Firm id -> name, for the firms that have one (anchors, pharma)."""
    return {f.firm_id: f.name for f in getattr(model, "firms", []) if getattr(f, "name", "")}


def lineage_name(root: int, names: dict[int, str]) -> str:
    """A lineage's label: its root firm's name, or "firm #id"."""
    return names.get(root) or f"{text('firm')} #{root}"


def startup_stage(startup: Any) -> str:
    """Stage key for colouring: a listed or grown firm shows as public or large."""
    if getattr(startup, "large", False):
        return "large"
    if getattr(startup, "public", False):
        return "public"
    return str(getattr(startup, "stage", "seed"))


def map_size(width_km: float, height_km: float) -> tuple[float, float, float]:
    """Figure width, height (inches) and the map's share of the width for a region.

    The figure keeps the region's shape (equal km on both axes) at a fixed height and adds a
    column on the right for the legend, so a tall region (San Diego) gives a tall map and a wide
    one (Bay Area) a wide map, each as large as the page can show.
    """
    aspect = min(max(width_km / max(height_km, 1e-9), MAP_ASPECT_RANGE[0]), MAP_ASPECT_RANGE[1])
    map_width = MAP_AXES_HEIGHT * aspect + MAP_MARGIN
    width = map_width + MAP_LEGEND_WIDTH
    return width, MAP_HEIGHT, map_width / width


def reach_label(reaches: list[float]) -> str:
    """The hubs' reach for the legend: "12 km", or "8-30 km" for several hubs."""
    low, high = round(min(reaches)), round(max(reaches))
    return f"{low} km" if low == high else f"{low}-{high} km"


def map_figure(model: BioclusterModel, colour_by: str = "lineage") -> Figure:
    """The region: sites, startups (by lineage or stage), the hubs' reach, a legend beside it.

    Args:
        model: the simulation.
        colour_by: "lineage" (largest family trees get their own colour) or "stage".

    Returns:
        The figure: the map on the left, the legend in a column of its own on the right (so it
        never covers a marker), the hub's reach as a thin dashed outline.
    """
    width_km, height_km = getattr(model, "size_km", (model.grid.width, model.grid.height))
    fig_width, fig_height, map_share = map_size(width_km, height_km)
    fig = Figure(figsize=(fig_width, fig_height), dpi=MAP_DPI)
    grid = fig.add_gridspec(1, 2, width_ratios=(map_share, 1.0 - map_share), wspace=0.02)
    ax = fig.add_subplot(grid[0, 0])
    key = fig.add_subplot(grid[0, 1])
    key.set_axis_off()
    ax.set_xlim(0, width_km)
    ax.set_ylim(0, height_km)
    ax.set_aspect("equal")
    ax.set_facecolor("#f7f7f2")
    ax.set_xlabel(text("km_east"), fontsize=MAP_FONT)
    ax.set_ylabel(text("km_north"), fontsize=MAP_FONT)
    ax.tick_params(labelsize=MAP_FONT - 1)
    ax.set_title(f"{model.cluster.name} · {year_label(clock(model))}", fontsize=MAP_FONT + 5)
    handles: list[Any] = []

    groups = _site_groups(model)
    hub_colour = SITE_STYLES["hub"]["color"]
    reaches = []
    for hub in groups["hub"]:
        reach = float(hub.reach_km()) if callable(getattr(hub, "reach_km", None)) else 0.0
        if reach > 0:
            reaches.append(reach)
            ax.add_patch(
                Circle(
                    tuple(hub.xy_km), reach, fill=False, edgecolor=hub_colour, linestyle=(0, (5, 4)),
                    linewidth=1.3, alpha=0.9, zorder=2,
                )
            )
    if reaches:
        handles.append(
            Line2D(
                [], [], color=hub_colour, linestyle=(0, (5, 4)), linewidth=1.3,
                label=f"{text('hub_reach')} ({reach_label(reaches)})",
            )
        )

    startups = list(getattr(model, "startups", _agents(model, "Startup")))
    if startups:
        xy = np.array([s.xy_km for s in startups]).reshape(-1, 2)
        size = np.clip(
            STARTUP_SIZE[0] + 4.0 * np.sqrt([s.headcount for s in startups]), *STARTUP_SIZE
        )
        if colour_by == "stage":
            stages = [startup_stage(s) for s in startups]
            colours = [STAGE_COLOURS.get(st, OTHER_COLOUR) for st in stages]
            for stage, colour in STAGE_COLOURS.items():
                if stage in stages:
                    handles.append(_dot(colour, text(f"stage_{stage}")))
        else:
            top = [root for root, n in lineage_sizes(model).most_common(TOP_LINEAGES) if n > 1]
            palette = dict(zip(top, LINEAGE_COLOURS, strict=False))
            colours = [palette.get(s.lineage_root, OTHER_COLOUR) for s in startups]
            names = firm_names(model)
            present = {s.lineage_root for s in startups}
            for root in top:
                if root in present:
                    handles.append(_dot(palette[root], lineage_name(root, names)))
            handles.append(_dot(OTHER_COLOUR, text("other_lineages")))
        ax.scatter(
            xy[:, 0], xy[:, 1], s=size, c=colours, alpha=0.85, linewidths=0.5,
            edgecolors="#333333", zorder=3,
        )
        handles.insert(0, Line2D([], [], linestyle="", label=f"{text('startups')} ({len(startups)})"))

    for key_name, agents in groups.items():
        if not agents:
            continue
        style = SITE_STYLES[key_name]
        xy = np.array([a.xy_km for a in agents]).reshape(-1, 2)
        ax.scatter(
            xy[:, 0], xy[:, 1], marker=style["marker"], s=style["s"], c=style["color"],
            edgecolors="white", linewidths=1.0, zorder=4,
        )
        handles.append(
            Line2D(
                [], [], marker=style["marker"], linestyle="", markersize=11,
                markerfacecolor=style["color"], markeredgecolor="white",
                label=f"{text(key_name)} ({len(agents)})",
            )
        )
    key.legend(
        handles=handles, loc="upper left", fontsize=MAP_FONT, frameon=False, borderaxespad=0.0,
        handletextpad=0.5, labelspacing=0.55,
    )
    return fig


def _dot(colour: str, label: str) -> Line2D:
    return Line2D(
        [], [], marker="o", linestyle="", markersize=9, markerfacecolor=colour,
        markeredgecolor="#333333", markeredgewidth=0.4, label=label,
    )


def timeseries(model: BioclusterModel) -> pd.DataFrame:
    """The model's monthly time series so far (empty before the first step)."""
    return model.datacollector.get_model_vars_dataframe()


def _chart(title: str) -> tuple[Figure, Any]:
    fig = Figure(figsize=CHART_SIZE, dpi=DPI)
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=CHART_FONT + 2)
    ax.tick_params(labelsize=CHART_FONT - 1)
    ax.grid(alpha=0.3)
    return fig, ax


def _by_year(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    years = np.floor(df["year"] + 1e-9).astype(int)
    return df[columns].groupby(years).sum()


def _x_limits(ax: Any, model: BioclusterModel) -> None:
    start = model.cluster.start_year
    ax.set_xlim(start - 0.5, max(model.year, start + 5) + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def founded_figure(model: BioclusterModel) -> Figure:
    """Startups founded per calendar year, stacked by founding channel."""
    fig, ax = _chart(text("founded_per_year"))
    df = timeseries(model)
    channels = [c for c in ORIGIN_COLOURS if f"founded_{c}" in df.columns]
    if len(df):
        yearly = _by_year(df, [f"founded_{c}" for c in channels])
        bottom = np.zeros(len(yearly))
        for channel in channels:
            values = yearly[f"founded_{channel}"].to_numpy(dtype=float)
            ax.bar(
                yearly.index, values, bottom=bottom, color=ORIGIN_COLOURS[channel],
                label=text(channel), width=0.85,
            )
            bottom += values
    _x_limits(ax, model)
    ax.set_ylabel(text("startups"))
    _legend(ax, len(df) > 0 and channels)
    fig.tight_layout()
    return fig


def active_figure(model: BioclusterModel) -> Figure:
    """Active startups and life-science firms, month by month."""
    fig, ax = _chart(text("active_firms"))
    df = timeseries(model)
    for column, colour in (("startups_active", "#1f77b4"), ("firms_active", "#ff7f0e")):
        if len(df) and column in df:
            ax.plot(df["year"], df[column], color=colour, label=text(column), linewidth=2)
    _x_limits(ax, model)
    ax.set_ylim(bottom=0)
    _legend(ax, len(df) > 0)
    fig.tight_layout()
    return fig


def exits_figure(model: BioclusterModel) -> Figure:
    """Acquisitions, IPOs and failures, cumulative."""
    fig, ax = _chart(text("exits_failures"))
    df = timeseries(model)
    styles = (("exits_acquired", "#2ca02c"), ("exits_ipo", "#9467bd"), ("failures", "#7f7f7f"))
    for column, colour in styles:
        if len(df) and column in df:
            ax.plot(df["year"], df[column].cumsum(), color=colour, label=text(column), linewidth=2)
    _x_limits(ax, model)
    ax.set_ylim(bottom=0)
    _legend(ax, len(df) > 0)
    fig.tight_layout()
    return fig


def vc_figure(model: BioclusterModel) -> Figure:
    """VC money invested in the region's startups per calendar year, USD m."""
    fig, ax = _chart(text("vc_invested"))
    df = timeseries(model)
    if len(df) and "vc_invested" in df:
        yearly = _by_year(df, ["vc_invested"])
        ax.bar(yearly.index, yearly["vc_invested"], color="#e6ab02", width=0.85)
    _x_limits(ax, model)
    ax.set_ylim(bottom=0)
    fig.tight_layout()
    return fig


def _legend(ax: Any, show: object) -> None:
    if show:
        ax.legend(loc="best", fontsize=CHART_FONT - 2, framealpha=0.8)


def largest_lineage(model: BioclusterModel) -> tuple[int | None, int]:
    """Root id and size of the largest family tree with at least one spinout."""
    for root, size in lineage_sizes(model).most_common(1):
        if size > 1:
            return root, size
    return None, 0


def tree_layout(graph: nx.DiGraph, root: int) -> dict[int, tuple[float, float]]:
    """Positions of a family tree: x = year founded, y = leaf order (children below parents)."""
    positions: dict[int, tuple[float, float]] = {}
    next_row = [0.0]

    def place(node: int) -> float:
        children = sorted(graph.successors(node), key=lambda n: graph.nodes[n]["founded_year"])
        if not children:
            row = next_row[0]
            next_row[0] += 1.0
        else:
            rows = [place(child) for child in children]
            row = rows[0] if len(rows) == 1 else (rows[0] + rows[-1]) / 2.0
        positions[node] = (float(graph.nodes[node]["founded_year"]), -row)
        return row

    place(root)
    return positions


def lineage_figure(model: BioclusterModel) -> Figure:
    """The family tree of the largest lineage: each spinout hangs below its parent."""
    from ecosim.metrics import lineage_graph

    fig = Figure(figsize=TREE_SIZE, dpi=DPI)
    ax = fig.add_subplot()
    root, size = largest_lineage(model)
    if root is None:
        ax.set_title(text("lineage"), fontsize=CHART_FONT + 2)
        ax.text(
            0.5, 0.5, text("no_lineage"), ha="center", va="center", transform=ax.transAxes,
            fontsize=CHART_FONT,
        )
        ax.set_axis_off()
        return fig
    graph = lineage_graph(model)
    members = [n for n, data in graph.nodes(data=True) if data.get("lineage_root") == root]
    tree = graph.subgraph(members)
    pos = tree_layout(tree, root)
    for parent, child in tree.edges():
        (xp, yp), (xc, yc) = pos[parent], pos[child]
        ax.plot([xp, xp, xc], [yp, yc, yc], color="#999999", linewidth=0.8, zorder=1)
    nodes = list(pos)
    xy = np.array([pos[n] for n in nodes])
    origins = [tree.nodes[n].get("origin", "spinout") for n in nodes]
    alive = [tree.nodes[n].get("fate", "active") in OPERATING for n in nodes]
    colours = [ORIGIN_COLOURS.get(o, OTHER_COLOUR) for o in origins]
    ax.scatter(
        xy[:, 0], xy[:, 1], s=40, c=[c if a else "white" for c, a in zip(colours, alive, strict=True)],
        edgecolors=colours, linewidths=1.4, zorder=3,
    )
    for node in nodes:
        name = tree.nodes[node].get("name", "")
        if name and (node == root or tree.nodes[node].get("origin") == "anchor"):
            ax.annotate(
                name, pos[node], textcoords="offset points", xytext=(6, 4), fontsize=CHART_FONT - 2,
                fontweight="bold",
            )
    depth = max(tree.nodes[n].get("generation", 0) for n in nodes) - tree.nodes[root].get(
        "generation", 0
    )
    names = firm_names(model)
    ax.set_title(
        f"{text('lineage')}: {lineage_name(root, names)} "
        f"({text('lineage_size', firms=size, generations=depth + 1)})",
        fontsize=CHART_FONT + 1,
    )
    ax.set_xlabel(text("founded"))
    ax.set_yticks([])
    _x_limits(ax, model)
    ax.grid(axis="x", alpha=0.3)
    seen = list(dict.fromkeys(origins))
    ax.legend(
        handles=[_dot(ORIGIN_COLOURS.get(o, OTHER_COLOUR), text(o)) for o in seen],
        loc="lower left", fontsize=CHART_FONT - 2, frameon=False,
    )
    fig.tight_layout()
    return fig
