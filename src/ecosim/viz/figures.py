"""Matplotlib figures of the browser view: the region map, the live charts, the family tree.

Each function takes a BioclusterModel and returns a ``matplotlib.figure.Figure`` (no pyplot, so
figures are safe to draw from the server's threads). Labels come from :mod:`ecosim.i18n`. A
figure's label (``Figure.get_label``) describes it in words (its title, the month shown, the
history marks drawn): the page gives it as the picture's text alternative.

The map is a real place: land and water from the land raster the model places firms on
(ecosim.geography), the names of districts, towns and bays from data/places.csv, and the key
firms and bodies named. The charts carry the scenario's history (anchor firms, hubs, scripted
events, policies) as labelled marks, and the source document's figure for the cluster as a
reference mark. Sizes and fonts are set for a projector: shown at their natural size (the page
never shrinks them below it at 1280x720), no chart text is smaller than about 14 px.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

from ecosim.agents.firm import OPERATING, Origin
from ecosim.agents.startup import Startup
from ecosim.geography import RASTER_KM, LandMap
from ecosim.i18n import language, root_origin, text
from ecosim.packagedata import data_file
from ecosim.plots import (
    BESIDE,
    EXIT_COLOURS,
    MEDTECH_COLOUR,
    ORIGIN_COLOURS,
    OTHER_COLOUR,
    SERIES_COLOURS,
    PointLabel,
    draw_labels,
    tree_layout,
    yearly,
)

if TYPE_CHECKING:
    from ecosim.model import BioclusterModel

MAP_HEIGHT = 4.4
MAP_AXES_HEIGHT = 3.9
MAP_MARGIN = 0.2
MAP_LEGEND_WIDTH = 2.4
MAP_ASPECT_RANGE = (0.4, 2.5)
MAP_DPI = 100
MAP_FONT = 13
"""Points: the smallest map text (MAP_FONT - 1 = 12 pt at 100 dpi) is 17 px at natural size."""
STARTUP_SIZE = (20.0, 150.0)
CHART_SIZE = (3.3, 3.0)
TREE_SIZE = (CHART_SIZE[0], 3.6)
"""Inches: as wide as a chart, the width of the page's side column, so that the tree is shown at
its natural size and its text as large as the charts' (at 5 inches it was shown at 0.4 of it)."""
DPI = 100
CHART_FONT = 13
"""Points: the smallest chart text (CHART_FONT - 3 = 10 pt at 100 dpi) is 14 px at natural size."""
MARK_COLOUR = "#6b6b6b"
REFERENCE_COLOUR = "#000000"
REFERENCE_METRICS = ("firms_census", "organizations_census", "hub_members")
"""Calibration figures drawn on the firms chart (counts of firms, organizations or members)."""
LINEAGE_COLOURS = SERIES_COLOURS
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
    "incubator": {"marker": "s", "color": "#1b7837", "s": 140},
    "pharma": {"marker": "D", "color": ORIGIN_COLOURS["pharma_site"], "s": 150},
    "branch": {"marker": "D", "color": ORIGIN_COLOURS["branch"], "s": 50},
    "medtech": {"marker": "o", "color": MEDTECH_COLOUR, "s": 30},
    "vc": {"marker": "p", "color": "#e6ab02", "s": 180},
    "hub": {"marker": "*", "color": "#ff1493", "s": 520},
}
"""Marker, colour and size of each kind of site on the map. Pharma sites and branches take their
origin's colour from the one palette (ecosim.plots), as in the overview and the family trees; the
incubators' dark green keeps them apart from the pharma sites' purple."""
TOP_LINEAGES = len(LINEAGE_COLOURS)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


LAND_COLOUR = "#f2eee3"
WATER_COLOUR = "#cde0ef"
PLACE_COLOUR = "#5a5a5a"
WATER_TEXT_COLOUR = "#2f6b9a"
HALO_WIDTH = 3.0
"""Points: the white outline drawn round text on the maps and charts (HALO), half of it outside."""
HALO = [patheffects.withStroke(linewidth=HALO_WIDTH, foreground="white")]
LABEL_GAP = 4.0
"""Points: the least space between two names on the map. More than the two halos' reach (half a
HALO_WIDTH each), so one name's white outline never eats into the letters of the next."""
NAMED_PHARMA_SITES = 4
"""Pharma sites named on the map: the largest few (a dense cluster has dozens)."""
SCALE_BARS_KM = (1, 2, 5, 10, 20, 50)


@dataclass(frozen=True)
class Place:
    """A named place drawn on the maps (data/places.csv)."""

    name: str
    name_ja: str
    lat: float
    lon: float
    kind: str


@cache
def places() -> tuple[Place, ...]:
    """Every place of data/places.csv."""
    path = data_file("places.csv", "table of place names for the maps")
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return tuple(
            Place(row["name"], row["name_ja"], float(row["lat"]), float(row["lon"]), row["kind"])
            for row in rows
        )


def local(name: str, name_ja: str = "") -> str:
    """A name in the page's language: the Japanese one where there is one and the page is Japanese."""
    return name_ja if name_ja and language() == "ja" else name


def scenario_title(scenario: Any) -> str:
    """The scenario's name in the page's language."""
    return local(scenario.name, getattr(scenario, "name_ja", ""))


def draw_land(ax: Any, scenario: Any) -> None:
    """Land and water of the region (the land raster the model places firms on)."""
    land = LandMap.of(scenario).land
    cols, rows = land.shape
    ax.imshow(
        land.T.astype(float),
        origin="lower",
        extent=(0, cols * RASTER_KM, 0, rows * RASTER_KM),
        cmap=ListedColormap([WATER_COLOUR, LAND_COLOUR]),
        vmin=0,
        vmax=1,
        interpolation="nearest",
        zorder=0,
    )


AROUND = (
    (0, 0, "center", "center"),
    (0, 11, "center", "bottom"),
    (0, -11, "center", "top"),
    (10, 0, "left", "center"),
    (-10, 0, "right", "center"),
    (0, 24, "center", "bottom"),
    (0, -24, "center", "top"),
    (10, 12, "left", "bottom"),
    (10, -12, "left", "top"),
)
"""Where a place name may go: on its centre first, else just above, below or to a side, else a
line further up or down."""


def place_labels(region: Any) -> list[PointLabel]:
    """The names of the places that lie in the region (districts, towns, water)."""
    labels = []
    for place in places():
        x, y = region.to_km(place.lat, place.lon)
        if 0 <= x <= region.width_km and 0 <= y <= region.height_km:
            water = place.kind == "water"
            labels.append(
                PointLabel(
                    (x, y),
                    local(place.name, place.name_ja),
                    AROUND,
                    {
                        "fontsize": MAP_FONT - 1,
                        "color": WATER_TEXT_COLOUR if water else PLACE_COLOUR,
                        "style": "italic" if water else "normal",
                        "zorder": 2,
                    },
                )
            )
    return labels


def draw_scale(ax: Any, width_km: float, height_km: float) -> list[Any]:
    """A scale bar in the lower left corner (the map has no km axes); returns the boxes (in
    display units) of the bar and its text, which no name may cover.
    """
    length = max(k for k in SCALE_BARS_KM if k <= max(1.0, width_km / 4))
    x0, y0 = 0.04 * width_km, 0.04 * height_km
    (bar,) = ax.plot(
        [x0, x0 + length], [y0, y0], color="#222222", lw=3, solid_capstyle="butt", zorder=6, path_effects=HALO
    )
    label = ax.text(
        x0 + length / 2,
        y0 + 0.015 * height_km,
        f"{length} km",
        ha="center",
        va="bottom",
        fontsize=MAP_FONT - 1,
        path_effects=HALO,
        zorder=6,
    )
    renderer = ax.figure.canvas.get_renderer()
    return [bar.get_window_extent(renderer).expanded(1.05, 3.0), label.get_window_extent(renderer)]


def named_on_map(
    model: BioclusterModel, groups: dict[str, list[Any]]
) -> tuple[list[tuple[np.ndarray, str]], list[tuple[np.ndarray, str]]]:
    """The key firms and bodies named on the map: anchor firms still operating (Genentech,
    Hybritech, Biogen...) and the hubs, then the largest pharma sites (named if there is room).
    """
    key = [
        (f.xy_km, f.name)
        for f in getattr(model, "firms", [])
        if f.name and f.active and f.origin == Origin.ANCHOR
    ]
    key += [(h.xy_km, h.name) for h in groups["hub"]]
    sites = sorted(groups["pharma"], key=lambda s: -s.headcount)[:NAMED_PHARMA_SITES]
    return key, [(s.xy_km, s.name) for s in sites]


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


@cache
def _class_names(cls: type) -> frozenset[str]:
    """The names of a class and of the classes it derives from."""
    return frozenset(c.__name__ for c in cls.__mro__)


def _agents(model: BioclusterModel, class_name: str) -> list[Any]:
    """The agents of the class named ``class_name`` and of its subclasses (a KeptSite is drawn
    as a pharma site).
    """
    return [a for a in model.agents if class_name in _class_names(a.__class__)]


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
    groups["medtech"] = _agents(model, "Medtech")
    groups["vc"] = _agents(model, "VentureCapital")
    groups["hub"] = _agents(model, "HubOrganization")
    return groups


def lineage_sizes(model: BioclusterModel) -> Counter[int]:
    """Firms ever founded in each lineage (startups only), by root id."""
    return Counter(f.lineage_root for f in getattr(model, "firms", []) if isinstance(f, Startup))


def firm_names(model: BioclusterModel) -> dict[int, str]:
    """Firm id -> a name a person can read: its own (anchors, sites, branches) or, for an unnamed
    firm that roots a lineage, where it came from ("UC San Diego spinout, 1984").
    """
    names = {}
    for firm in getattr(model, "firms", []):
        if getattr(firm, "name", ""):
            names[firm.firm_id] = firm.name
        elif firm.lineage_root == firm.firm_id:
            names[firm.firm_id] = root_label(firm)
    return names


def root_label(firm: Any) -> str:
    """The label of an unnamed firm at the root of a lineage: its origin and year."""
    return root_origin(str(firm.origin), getattr(firm, "institution", ""), firm.founded_year)


def lineage_name(root: int, names: dict[int, str]) -> str:
    """A lineage's label: its root firm's name, or "firm #id" for a root no longer known."""
    return names.get(root) or f"{text('firm')} #{root}"


def lineage_names(roots: list[int], names: dict[int, str]) -> dict[int, str]:
    """Labels of several lineages that tell each apart: each root's name (lineage_name), and its
    id after it where two roots would share one (five firms "present at start, 2021" in Greater
    Tokyo).
    """
    labels = {root: lineage_name(root, names) for root in roots}
    shared = Counter(labels.values())
    return {root: f"{label} (#{root})" if shared[label] > 1 else label for root, label in labels.items()}


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


def map_figure(
    model: BioclusterModel, colour_by: str = "lineage", legend: bool = True, subtitle: str = ""
) -> Figure:
    """The region: land and water, place names, sites, startups (by lineage or stage), the key
    firms and hubs named, the hubs' reach, a scale bar and a legend beside it.

    Args:
        model: the simulation.
        colour_by: "lineage" (largest family trees get their own colour) or "stage".
        legend: draw the legend column (the side-by-side view leaves it out of the second map).
        subtitle: the run's label in the side-by-side view, in the title instead of the scenario's name.

    Returns:
        The figure: the map on the left, the legend in a column of its own on the right (so it
        never covers a marker), the hub's reach as a thin dashed outline.
    """
    scenario = model.cluster
    width_km, height_km = scenario.region.width_km, scenario.region.height_km
    fig_width, fig_height, map_share = map_size(width_km, height_km)
    if not legend:
        fig_width, map_share = fig_width * map_share, 1.0
    fig = Figure(figsize=(fig_width, fig_height), dpi=MAP_DPI)
    if legend:
        grid = fig.add_gridspec(1, 2, width_ratios=(map_share, 1.0 - map_share), wspace=0.02)
        ax = fig.add_subplot(grid[0, 0])
        key = fig.add_subplot(grid[0, 1])
        key.set_axis_off()
    else:
        ax = fig.add_subplot()
    ax.set_xlim(0, width_km)
    ax.set_ylim(0, height_km)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    draw_land(ax, scenario)
    # Side by side, the run's own label replaces the scenario's name (the status line has it),
    # so two maps fit beside their difference chart.
    title = (
        f"{year_label(clock(model))} · {subtitle}"
        if subtitle
        else (f"{scenario_title(scenario)} · {year_label(clock(model))}")
    )
    ax.set_title(title, fontsize=MAP_FONT + 3)
    fig.set_label(title)
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
                    tuple(hub.xy_km),
                    reach,
                    fill=False,
                    edgecolor=hub_colour,
                    linestyle=(0, (5, 4)),
                    linewidth=1.3,
                    alpha=0.9,
                    zorder=3,
                )
            )
    if reaches:
        handles.append(
            Line2D(
                [],
                [],
                color=hub_colour,
                linestyle=(0, (5, 4)),
                linewidth=1.3,
                label=f"{text('hub_reach')} ({reach_label(reaches)})",
            )
        )

    startups = list(getattr(model, "startups", _agents(model, "Startup")))
    if startups:
        xy = np.array([s.xy_km for s in startups]).reshape(-1, 2)
        size = np.clip(STARTUP_SIZE[0] + 4.0 * np.sqrt([s.headcount for s in startups]), *STARTUP_SIZE)
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
            present = {s.lineage_root for s in startups}
            shown = [root for root in top if root in present]
            for root, label in lineage_names(shown, firm_names(model)).items():
                handles.append(_dot(palette[root], label))
            handles.append(_dot(OTHER_COLOUR, text("other_lineages")))
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=size,
            c=colours,
            alpha=0.85,
            linewidths=0.5,
            edgecolors="#333333",
            zorder=4,
        )
        handles.insert(0, Line2D([], [], linestyle="", label=f"{text('startups')} ({len(startups)})"))

    for key_name, agents in groups.items():
        if not agents:
            continue
        style = SITE_STYLES[key_name]
        xy = np.array([a.xy_km for a in agents]).reshape(-1, 2)
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            marker=style["marker"],
            s=style["s"],
            c=style["color"],
            edgecolors="white",
            linewidths=1.0,
            zorder=5,
        )
        handles.append(
            Line2D(
                [],
                [],
                marker=style["marker"],
                linestyle="",
                markersize=11,
                markerfacecolor=style["color"],
                markeredgecolor="white",
                label=f"{text(key_name)} ({len(agents)})",
            )
        )
    if legend:
        key.legend(
            handles=handles,
            loc="upper left",
            fontsize=MAP_FONT - 1,
            frameon=False,
            borderaxespad=0.0,
            handletextpad=0.5,
            labelspacing=0.5,
        )
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.93)
    # Names go on last, where the layout is final, so they can be kept apart: the key firms and
    # hubs first (they tell the story), then the places around them.
    FigureCanvasAgg(fig)
    key_names, site_names = named_on_map(model, groups)
    firms = [
        [
            PointLabel(
                (float(xy_km[0]), float(xy_km[1])),
                name,
                BESIDE,
                {"fontsize": MAP_FONT - 1, "fontweight": "bold", "color": "#1a1a1a", "zorder": 7},
            )
            for xy_km, name in named
        ]
        for named in (key_names, site_names)
    ]
    # The anchors and hubs tell the story, the places say where it is, then the pharma sites.
    draw_labels(
        ax,
        firms[0] + place_labels(scenario.region) + firms[1],
        taken=draw_scale(ax, width_km, height_km),
        gap=LABEL_GAP,
        path_effects=HALO,
    )
    return fig


def _dot(colour: str, label: str) -> Line2D:
    return Line2D(
        [],
        [],
        marker="o",
        linestyle="",
        markersize=9,
        markerfacecolor=colour,
        markeredgecolor="#333333",
        markeredgewidth=0.4,
        label=label,
    )


MARKED_EVENTS = ("acquisition", "closure", "listing", "product")
"""Kinds of scripted event the charts mark (each has a ``mark_<kind>`` label in ecosim.i18n)."""


def history(scenario: Any) -> list[tuple[float, str]]:
    """The scenario's scripted history as (decimal year, label): anchor firms founded, hubs
    founded, scripted events, policies and the levers switched on; sorted by date.
    """

    def at(year: int, month: int = 1) -> float:
        return year + (month - 1) / 12.0

    marks = [(at(a.year, a.month), a.name) for a in scenario.anchors]
    marks += [(at(h.founded), h.name) for h in scenario.hubs if h.founded > scenario.start_year]
    for event in scenario.events:
        if event.kind not in MARKED_EVENTS:
            continue  # a documented headcount or independence dates the anchor's life, no event
        key = f"mark_{event.kind}"
        marks.append((at(event.year, event.month), text(key, acquirer=event.acquirer, target=event.target)))
    marks += [(at(p.year, p.month), local(p.name, p.name_ja)) for p in scenario.active_policies()]
    return sorted(marks)


HISTORY_ZORDER = 1.5
"""The history labels lie over the grid, the dotted marks and the bars but under the data lines
(zorder 2): their white halo keeps them legible without cutting gaps in a line."""
HISTORY_MIN_CHARS = 4
"""A history label shortened to fewer characters (before its ellipsis) says too little: it is
left out instead (its dotted line stays, and the figure's description names it)."""
ELLIPSIS = "\u2026"


def draw_history(ax: Any, model: BioclusterModel) -> None:
    """The history marks up to the date shown, as dotted lines, each labelled along its line; the
    figure's description (its label) lists them, for the page's text alternative.

    Call it once the figure's layout is final (after ``tight_layout``): the labels are placed by
    their drawn size, see :func:`place_history_labels`.
    """
    now = clock(model)
    shown = [(year, label) for year, label in history(model.cluster) if year <= now]
    if shown:
        marks = "; ".join(f"{label} ({year_label(year)})" for year, label in shown)
        ax.figure.set_label(f"{ax.figure.get_label()} · {text('history_marks', marks=marks)}")
    for year, _ in shown:
        ax.axvline(year, color=MARK_COLOUR, linestyle=":", linewidth=1.1, zorder=1)
    place_history_labels(ax, shown)


def place_history_labels(ax: Any, marks: list[tuple[float, str]]) -> list[Any]:
    """Write each mark's label upright beside its line, inside the plot, clear of the others.

    In date order, a label goes to the first free spot: from the plot's foot on the left of its
    line, else on its right, else stacked above a label already written there. Where a label
    finds no spot, it and the labels of the marks close to it (too close to stand side by side)
    take at most the lower half of the plot from the foot, leaving the upper half to stack
    into, and all are placed again. A label longer than its room ends in an ellipsis; one that
    would keep fewer than HISTORY_MIN_CHARS characters is left out. So no label runs over
    another or out of the plot (the legends sit outside it, :func:`_legend`), however close the
    dates, and a label is shortened only where it must be.

    Returns:
        The labels written.
    """
    # Two upright labels, one each side of a line, take about two and a half font sizes.
    near = 2.5 * (CHART_FONT - 3) * ax.figure.dpi / 72
    xs = [float(ax.transData.transform((year, 0.0))[0]) for year, _ in marks]
    halved: set[int] = set()
    while True:
        written, dropped = _place_upright(ax, marks, halved)
        close = {j for i in dropped for j, x in enumerate(xs) if abs(x - xs[i]) < near}
        if not close - halved:
            return [item for item in written if item is not None]
        for item in written:
            if item is not None:
                item.remove()
        halved |= close


def _place_upright(ax: Any, marks: list[tuple[float, str]], halved: set[int]) -> tuple[list[Any], list[int]]:
    """One pass of :func:`place_history_labels`: each mark's label (None where it found no spot)
    and the indices of the marks left without one; those in ``halved`` keep to the lower half
    of the plot when they stand on its foot.
    """
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    pad = HALO_WIDTH * ax.figure.dpi / 72  # a halo's width: kept clear of the frame and each other
    to_axes = ax.transAxes.inverted()
    boxes: list[Bbox] = []
    written: list[Any] = []
    dropped = []
    for index, (year, label) in enumerate(marks):
        item = ax.text(
            year,
            0.0,
            label,
            rotation=90,
            fontsize=CHART_FONT - 3,
            color="#333333",
            path_effects=HALO,
            zorder=HISTORY_ZORDER,
            transform=ax.get_xaxis_transform(),  # x: the date; y: a share of the plot's height
            rotation_mode="anchor",
        )
        feet = [frame.y0 + pad] + sorted(box.y1 + pad for box in boxes)
        spot = None
        for foot in feet:
            half = index in halved and foot == feet[0]
            ceiling = (frame.y0 + frame.y1) / 2 if half else frame.y1 - pad
            # Turned upright (rotation_mode "anchor"), the text's bottom edge lies on the line's
            # left and its top edge on its right: left of the line first, else right of it.
            for edge in ("bottom", "top"):
                item.set_verticalalignment(edge)
                item.set_y(float(to_axes.transform((frame.x0, foot))[1]))
                box = _fit_upright(item, label, ceiling, renderer)
                if box is None:
                    continue
                inside = frame.x0 + pad <= box.x0 and box.x1 <= frame.x1 - pad
                if inside and not any(box.overlaps(other.padded(pad / 2)) for other in boxes):
                    spot = box
                    break
            if spot is not None:
                break
        if spot is None:
            item.remove()
            written.append(None)
            dropped.append(index)
            continue
        boxes.append(spot)
        written.append(item)
    return written, dropped


def _fit_upright(item: Any, label: str, ceiling: float, renderer: Any) -> Bbox | None:
    """Set ``item`` to ``label``, shortened with an ellipsis until its top is below ``ceiling``
    (pixels); its box, or None where that leaves fewer than HISTORY_MIN_CHARS characters.
    """
    for keep in range(len(label), HISTORY_MIN_CHARS - 1, -1):
        item.set_text(label if keep == len(label) else label[:keep].rstrip() + ELLIPSIS)
        box = item.get_window_extent(renderer)
        if box.y1 <= ceiling:
            return box
    return None


def references(model: BioclusterModel, scenario_key: str) -> list[Any]:
    """The source document's counts for this cluster (calibration targets), where they exist."""
    from ecosim.calibrate import END_POINTS

    return [t for t in END_POINTS if t.cluster == scenario_key and t.metric in REFERENCE_METRICS]


def draw_references(ax: Any, df: pd.DataFrame, model: BioclusterModel, scenario_key: str) -> list[Any]:
    """Each reference figure as a black diamond at its date, with the model's series it is
    compared with (the same count in the same area) as a dashed line; returns legend handles.
    """
    handles = []
    for target in references(model, scenario_key):
        if target.year > clock(model) + 1:
            continue  # shown from a year before its date, not squashing the early years
        if target.metric in df and len(df):
            ax.plot(
                df["year"],
                df[target.metric],
                color=REFERENCE_COLOUR,
                linestyle="--",
                linewidth=1.4,
                label=text(target.metric),
            )
        ax.plot(
            [target.year],
            [target.value],
            marker="D",
            color=REFERENCE_COLOUR,
            markersize=8,
            linestyle="",
            zorder=7,
        )
        ax.annotate(
            text("mark_source", value=f"{target.value:,.0f}", date=target.date),
            (target.year, target.value),
            textcoords="offset points",
            xytext=(-6, 8),
            ha="right",
            fontsize=CHART_FONT - 3,
            path_effects=HALO,
            zorder=7,
        )
        handles.append(target)
    return handles


def timeseries(model: BioclusterModel) -> pd.DataFrame:
    """The model's monthly time series so far (empty before the first step)."""
    return model.datacollector.get_model_vars_dataframe()


def _chart(title: str) -> tuple[Figure, Any]:
    fig = Figure(figsize=CHART_SIZE, dpi=DPI)
    FigureCanvasAgg(fig)  # a renderer to place the history labels by their drawn size
    fig.set_label(title)
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=CHART_FONT + 1)
    ax.tick_params(labelsize=CHART_FONT - 2)
    ax.grid(alpha=0.3)
    return fig, ax


def _x_limits(ax: Any, model: BioclusterModel) -> None:
    start = model.cluster.start_year
    ax.set_xlim(start - 0.5, max(model.year, start + 5) + 0.5)
    # At most five years written: six four-digit years ran into each other on a chart this narrow.
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))


def founded_figure(model: BioclusterModel) -> Figure:
    """Startups founded per calendar year, stacked by founding channel."""
    fig, ax = _chart(text("founded_per_year"))
    df = timeseries(model)
    channels = [c for c in ORIGIN_COLOURS if f"founded_{c}" in df.columns]
    if len(df):
        per_year = yearly(df)
        bottom = np.zeros(len(per_year))
        for channel in channels:
            values = per_year[f"founded_{channel}"].to_numpy(dtype=float)
            ax.bar(
                per_year.index,
                values,
                bottom=bottom,
                color=ORIGIN_COLOURS[channel],
                label=text(channel),
                width=0.85,
            )
            bottom += values
    _x_limits(ax, model)
    ax.set_ylabel(text("startups"), fontsize=CHART_FONT - 2)
    _legend(ax, len(df) > 0 and channels, outside=True)
    _tight(fig)
    draw_history(ax, model)
    return fig


def active_figure(model: BioclusterModel, scenario_key: str = "") -> Figure:
    """Active startups and life-science firms, month by month, with the scenario's history and
    the source document's figure for the cluster (``scenario_key``: its file name without .yaml).
    """
    fig, ax = _chart(text("active_firms"))
    df = timeseries(model)
    for column, colour in (("startups_active", "#1f77b4"), ("firms_active", "#ff7f0e")):
        if len(df) and column in df:
            ax.plot(df["year"], df[column], color=colour, label=text("metric_" + column), linewidth=2)
    draw_references(ax, df, model, scenario_key)
    _x_limits(ax, model)
    ax.set_ylim(bottom=0)
    if not len(df):
        ax.set_ylim(0, 10)
    _legend(ax, len(df) > 0, outside=True)
    _tight(fig)
    draw_history(ax, model)
    return fig


def exits_figure(model: BioclusterModel) -> Figure:
    """Acquisitions, IPOs and failures, cumulative."""
    fig, ax = _chart(text("exits_failures"))
    df = timeseries(model)
    for column, colour in EXIT_COLOURS.items():
        if len(df) and column in df:
            ax.plot(
                df["year"], df[column].cumsum(), color=colour, label=text("metric_" + column), linewidth=2
            )
    _x_limits(ax, model)
    ax.set_ylim(bottom=0)
    _legend(ax, len(df) > 0)
    _tight(fig)
    return fig


def vc_figure(model: BioclusterModel) -> Figure:
    """VC money invested in the region's startups per calendar year, USD m."""
    fig, ax = _chart(text("vc_invested"))
    df = timeseries(model)
    if len(df) and "vc_invested" in df:
        per_year = yearly(df)
        ax.bar(per_year.index, per_year["vc_invested"], color="#e6ab02", width=0.85)
    _x_limits(ax, model)
    ax.set_ylim(bottom=0)
    _tight(fig)
    return fig


def _legend(
    ax: Any, show: object, loc: str = "best", outside: bool = False, handles: list[Any] | None = None
) -> None:
    """The chart's legend: inside the plot at ``loc``, or ``outside`` at the figure's foot under
    the plot, centred, in two columns where they fit the figure's width, else in one (a chart
    with history labels or a peak to show keeps its plot clear; :func:`_tight` lays the plot out
    above it). ``handles``: the entries, where they are not the plot's own labelled artists.
    """
    if not show:
        return
    if not outside:
        extra = {"handles": handles} if handles is not None else {}
        ax.legend(loc=loc, fontsize=CHART_FONT - 3, framealpha=0.85, **extra)
        return
    fig = ax.figure
    entries = handles if handles is not None else ax.get_legend_handles_labels()[0]
    renderer = fig.canvas.get_renderer()
    for columns in (2, 1):
        legend = fig.legend(
            handles=entries,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.0),
            ncols=columns,
            fontsize=CHART_FONT - 3,
            frameon=False,
            borderaxespad=0.2,
            columnspacing=0.8,
            handlelength=1.0,
            handletextpad=0.4,
        )
        if legend.get_window_extent(renderer).width <= fig.bbox.width or columns == 1:
            return
        legend.remove()


def _renderer(fig: Figure) -> Any:
    """The figure's Agg renderer, to measure text before the figure is drawn (given an Agg
    canvas if it has none).
    """
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    return canvas.get_renderer()


def _tight(fig: Figure) -> None:
    """``tight_layout`` above the legend at the figure's foot, if it has one (_legend outside)."""
    bottom = 0.0
    if fig.legends:
        renderer = _renderer(fig)
        bottom = max(legend.get_window_extent(renderer).y1 for legend in fig.legends) / fig.bbox.height
    fig.tight_layout(rect=(0.0, bottom, 1.0, 1.0))


def largest_lineage(model: BioclusterModel) -> tuple[int | None, int]:
    """Root id and size of the largest family tree with at least one spinout."""
    for root, size in lineage_sizes(model).most_common(1):
        if size > 1:
            return root, size
    return None, 0


def lineage_figure(model: BioclusterModel) -> Figure:
    """The family tree of the largest lineage: each spinout hangs below its parent."""
    from ecosim.metrics import lineage_graph

    fig = Figure(figsize=TREE_SIZE, dpi=DPI)
    FigureCanvasAgg(fig)  # a renderer to fit the title and the legend to the width
    ax = fig.add_subplot()
    root, size = largest_lineage(model)
    if root is None:
        ax.set_title(text("lineage"), fontsize=CHART_FONT + 2)
        ax.text(
            0.5,
            0.5,
            text("no_lineage"),
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontsize=CHART_FONT,
        )
        ax.set_axis_off()
        return fig
    graph = lineage_graph(model)
    members = [n for n, data in graph.nodes(data=True) if data.get("lineage_root") == root]
    tree = graph.subgraph(members)
    # x: the year founded; y: leaves in depth-first order, each spinout below its parent.
    layout = tree_layout(tree, root)
    pos = {n: (float(tree.nodes[n]["founded_year"]), -leaf) for n, (leaf, _) in layout.items()}
    for parent, child in tree.edges():
        (xp, yp), (xc, yc) = pos[parent], pos[child]
        ax.plot([xp, xp, xc], [yp, yc, yc], color="#999999", linewidth=0.8, zorder=1)
    nodes = list(pos)
    xy = np.array([pos[n] for n in nodes])
    origins = [tree.nodes[n].get("origin", "spinout") for n in nodes]
    alive = [tree.nodes[n].get("fate", "active") in OPERATING for n in nodes]
    colours = [ORIGIN_COLOURS.get(o, OTHER_COLOUR) for o in origins]
    ax.scatter(
        xy[:, 0],
        xy[:, 1],
        s=40,
        c=[c if a else "white" for c, a in zip(colours, alive, strict=True)],
        edgecolors=colours,
        linewidths=1.4,
        zorder=3,
    )
    for node in nodes:
        name = tree.nodes[node].get("name", "")
        if name and (node == root or tree.nodes[node].get("origin") == "anchor"):
            ax.annotate(
                name,
                pos[node],
                textcoords="offset points",
                xytext=(6, 4),
                fontsize=CHART_FONT - 2,
                fontweight="bold",
            )
    depth = max(tree.nodes[n].get("generation", 0) for n in nodes) - tree.nodes[root].get("generation", 0)
    name = lineage_name(root, firm_names(model))
    lines = [f"{text('lineage')}:", name, text("lineage_size", firms=size, generations=depth)]
    title = ax.set_title("\n".join(lines), fontsize=CHART_FONT)
    ax.set_xlabel(text("founded"), fontsize=CHART_FONT - 2)
    ax.tick_params(labelsize=CHART_FONT - 3)
    ax.set_yticks([])
    _x_limits(ax, model)
    ax.grid(axis="x", alpha=0.3)
    seen = list(dict.fromkeys(origins))
    dots = [_dot(ORIGIN_COLOURS.get(o, OTHER_COLOUR), text(o)) for o in seen]
    _legend(ax, True, outside=True, handles=dots)  # under the plot, off the tree's lines
    _tight(fig)
    # The title in as few lines as fit over the plot: the page shows the tree no wider than a
    # chart, so a title sticking out of the figure would shrink all of its text.
    renderer = _renderer(fig)
    room = ax.get_window_extent(renderer).width
    for joined in (
        f"{lines[0]} {lines[1]}\n{lines[2]}",
        f"{lines[0]}\n{lines[1]} · {lines[2]}",
        "\n".join(lines),
    ):
        title.set_text(joined)
        if title.get_window_extent(renderer).width <= room:
            break
    else:
        # A line still wider than the plot (a long name, or the size in words): a smaller title,
        # down to the axis label's size, rather than every text of the figure shrunk with it.
        font = float(CHART_FONT)
        while title.get_window_extent(renderer).width > room and font > CHART_FONT - 2:
            font -= 0.5
            title.set_fontsize(font)
    _tight(fig)
    return fig


def difference_figure(
    main: BioclusterModel, other: BioclusterModel, main_label: str, other_label: str
) -> Figure:
    """Two runs in step: startups founded so far and active startups, the first minus the second."""
    fig, ax = _chart(text("difference_title", a=main_label, b=other_label))
    a, b = timeseries(main), timeseries(other)
    months = min(len(a), len(b))
    # The months compared: one month when the two runs are in step.
    shown = " / ".join(dict.fromkeys(year_label(clock(m)) for m in (main, other)))
    fig.set_label(f"{fig.get_label()} · {shown}")
    if months:
        a, b = a.iloc[:months], b.iloc[:months]
        founded = a["startups_founded"].cumsum().to_numpy() - b["startups_founded"].cumsum().to_numpy()
        active = a["startups_active"].to_numpy() - b["startups_active"].to_numpy()
        ax.plot(a["year"], founded, color="#d62728", linewidth=2.2, label=text("difference_founded"))
        ax.plot(a["year"], active, color="#1f77b4", linewidth=2.2, label=text("difference_active"))
        ax.fill_between(a["year"], 0, founded, color="#d62728", alpha=0.12)
    ax.axhline(0, color="black", linewidth=0.8)
    _x_limits(ax, main)
    ax.set_ylabel(text("startups"), fontsize=CHART_FONT - 2)  # both lines count startups
    _legend(ax, months > 0, outside=True)  # under the plot: inside, it lay over the peaks
    _tight(fig)
    return fig
