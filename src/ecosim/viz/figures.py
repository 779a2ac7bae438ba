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
from matplotlib.patches import Circle, Patch
from matplotlib.ticker import MaxNLocator

from ecosim.viz.i18n import text

if TYPE_CHECKING:
    import networkx as nx

    from ecosim.model import BioclusterModel

MAP_SIZE = (7.0, 5.6)
CHART_SIZE = (6.0, 3.8)
DPI = 80
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
CHANNEL_COLOURS = {
    "academic": "#1f77b4",
    "spinout": "#d62728",
    "release": "#ff7f0e",
    "arrival": "#2ca02c",
    "anchor": "#000000",
}
ORIGIN_COLOURS = {**CHANNEL_COLOURS, "initial": "#7f7f7f"}
SITE_STYLES: dict[str, dict[str, Any]] = {
    "university": {"marker": "^", "color": "#08306b", "s": 110},
    "research_institute": {"marker": "v", "color": "#006d77", "s": 100},
    "hospital": {"marker": "P", "color": "#c0392b", "s": 110},
    "incubator": {"marker": "s", "color": "#7b3294", "s": 80},
    "pharma": {"marker": "D", "color": "#1b7837", "s": 90},
    "vc": {"marker": "p", "color": "#e6ab02", "s": 100},
    "hub": {"marker": "*", "color": "#ff1493", "s": 320},
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
    groups["pharma"] = [p for p in _agents(model, "Pharma") if getattr(p, "has_site", False)]
    groups["vc"] = _agents(model, "VentureCapital")
    groups["hub"] = _agents(model, "HubOrganization")
    return groups


def lineage_sizes(model: BioclusterModel) -> Counter[int]:
    """Firms ever founded in each lineage (startups only), by root id."""
    return Counter(
        f.lineage_root for f in getattr(model, "firms", []) if hasattr(f, "stage_index")
    )


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


def map_figure(model: BioclusterModel, colour_by: str = "lineage") -> Figure:
    """The region: sites, startups (by lineage or stage), the hubs' reach, a legend.

    Args:
        model: the simulation.
        colour_by: "lineage" (largest family trees get their own colour) or "stage".

    Returns:
        The figure.
    """
    fig = Figure(figsize=MAP_SIZE, dpi=DPI)
    ax = fig.add_subplot()
    width_km, height_km = getattr(model, "size_km", (model.grid.width, model.grid.height))
    ax.set_xlim(0, width_km)
    ax.set_ylim(0, height_km)
    ax.set_aspect("equal")
    ax.set_facecolor("#f7f7f2")
    ax.set_xlabel(text("km_east"))
    ax.set_ylabel(text("km_north"))
    ax.set_title(f"{model.cluster.name} · {year_label(model.year)}", fontsize=12)
    handles: list[Any] = []

    groups = _site_groups(model)
    for hub in groups["hub"]:
        reach = float(hub.reach_km()) if callable(getattr(hub, "reach_km", None)) else 0.0
        if reach > 0:
            ax.add_patch(
                Circle(
                    tuple(hub.xy_km),
                    reach,
                    facecolor=(1.0, 0.08, 0.58, 0.05),
                    edgecolor=SITE_STYLES["hub"]["color"],
                    linestyle="--",
                    linewidth=1.4,
                    zorder=1,
                )
            )
    if groups["hub"]:
        handles.append(
            Patch(
                facecolor=(1.0, 0.08, 0.58, 0.05),
                edgecolor=SITE_STYLES["hub"]["color"],
                linestyle="--",
                label=text("hub_reach"),
            )
        )

    startups = list(getattr(model, "startups", _agents(model, "Startup")))
    if startups:
        xy = np.array([s.xy_km for s in startups]).reshape(-1, 2)
        size = np.clip(8 + 2.5 * np.sqrt([s.headcount for s in startups]), 8, 80)
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
            xy[:, 0], xy[:, 1], s=size, c=colours, alpha=0.8, linewidths=0.3,
            edgecolors="#333333", zorder=3,
        )
        handles.insert(0, Line2D([], [], linestyle="", label=f"{text('startups')} ({len(startups)})"))

    for key, agents in groups.items():
        if not agents:
            continue
        style = SITE_STYLES[key]
        xy = np.array([a.xy_km for a in agents]).reshape(-1, 2)
        ax.scatter(
            xy[:, 0], xy[:, 1], marker=style["marker"], s=style["s"], c=style["color"],
            edgecolors="white", linewidths=0.8, zorder=4,
        )
        handles.append(
            Line2D(
                [], [], marker=style["marker"], linestyle="", markersize=8,
                markerfacecolor=style["color"], markeredgecolor="white",
                label=f"{text(key)} ({len(agents)})",
            )
        )
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
        frameon=False, borderaxespad=0.0,
    )
    fig.tight_layout()
    return fig


def _dot(colour: str, label: str) -> Line2D:
    return Line2D(
        [], [], marker="o", linestyle="", markersize=7, markerfacecolor=colour,
        markeredgecolor="#333333", markeredgewidth=0.3, label=label,
    )


def timeseries(model: BioclusterModel) -> pd.DataFrame:
    """The model's monthly time series so far (empty before the first step)."""
    return model.datacollector.get_model_vars_dataframe()


def _chart(title: str) -> tuple[Figure, Any]:
    fig = Figure(figsize=CHART_SIZE, dpi=DPI)
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=11)
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
    channels = [c for c in CHANNEL_COLOURS if f"founded_{c}" in df.columns]
    if len(df):
        yearly = _by_year(df, [f"founded_{c}" for c in channels])
        bottom = np.zeros(len(yearly))
        for channel in channels:
            values = yearly[f"founded_{channel}"].to_numpy(dtype=float)
            ax.bar(
                yearly.index, values, bottom=bottom, color=CHANNEL_COLOURS[channel],
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
        ax.legend(loc="best", fontsize=8, framealpha=0.8)


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

    fig = Figure(figsize=MAP_SIZE, dpi=DPI)
    ax = fig.add_subplot()
    root, size = largest_lineage(model)
    if root is None:
        ax.set_title(text("lineage"), fontsize=12)
        ax.text(0.5, 0.5, text("no_lineage"), ha="center", va="center", transform=ax.transAxes)
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
    alive = [tree.nodes[n].get("fate", "active") in {"active", "grown"} for n in nodes]
    colours = [ORIGIN_COLOURS.get(o, OTHER_COLOUR) for o in origins]
    ax.scatter(
        xy[:, 0], xy[:, 1], s=40, c=[c if a else "white" for c, a in zip(colours, alive, strict=True)],
        edgecolors=colours, linewidths=1.4, zorder=3,
    )
    for node in nodes:
        name = tree.nodes[node].get("name", "")
        if name and (node == root or tree.nodes[node].get("origin") == "anchor"):
            ax.annotate(
                name, pos[node], textcoords="offset points", xytext=(6, 4), fontsize=9,
                fontweight="bold",
            )
    depth = max(tree.nodes[n].get("generation", 0) for n in nodes) - tree.nodes[root].get(
        "generation", 0
    )
    names = firm_names(model)
    ax.set_title(
        f"{text('lineage')}: {lineage_name(root, names)} "
        f"({text('lineage_size', firms=size, generations=depth + 1)})",
        fontsize=11,
    )
    ax.set_xlabel(text("founded"))
    ax.set_yticks([])
    _x_limits(ax, model)
    ax.grid(axis="x", alpha=0.3)
    seen = list(dict.fromkeys(origins))
    ax.legend(
        handles=[_dot(ORIGIN_COLOURS.get(o, OTHER_COLOUR), text(o)) for o in seen],
        loc="lower left", fontsize=8, frameon=False,
    )
    fig.tight_layout()
    return fig
