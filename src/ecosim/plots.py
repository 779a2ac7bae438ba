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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ecosim import atomic, metric_registry

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.figure import Figure, SubFigure
    from matplotlib.legend import Legend
    from matplotlib.typing import ColorType

    from ecosim.runner import RunResult

ORIGIN_COLOURS = {
    "anchor": "#000000",
    "academic": "#1f77b4",
    "spinout": "#d62728",
    "release": "#ff7f0e",
    "relocation": "#2ca02c",
    "preexisting": "#7f7f7f",
    "pharma_site": "#9467bd",
    "acquisition": "#bcbd22",
    "branch": "#8c564b",
}
"""The one palette of firm origins (agents.firm.Origin): charts, maps, family trees, viz. Every
origin has its own colour: a bought firm run as its buyer's unit ("Eli Lilly (Hybritech)") in
OTHER_COLOUR looked like a firm present at the start in the family trees, with no legend entry."""
MEDTECH_COLOUR = "#80cdc1"
"""Device, diagnostics and service firms (agents.medtech.Medtech), whatever their origin."""

CHANNEL_COLOURS = {
    "founded_academic": ORIGIN_COLOURS["academic"],
    "founded_spinout": ORIGIN_COLOURS["spinout"],
    "founded_release": ORIGIN_COLOURS["release"],
    "relocations": ORIGIN_COLOURS["relocation"],
}
"""The entry-channel metrics in the colour of their origin."""

EXIT_COLOURS = {"exits_acquired": "#e377c2", "exits_ipo": "#17becf", "failures": "#404040"}
"""Exits and failures by metric, in colours no origin has (the overview's chart of exits sits beside
its map of origins): the overview and the browser view draw them alike."""

OTHER_COLOUR = "#b0b0b0"
"""Anything without a colour of its own (an origin the palette does not know)."""
KEY_COLOUR = "#555555"
"""A legend's marker that stands for no origin: a hollow node's outline, a size key's nodes."""
TARGET_COLOUR = "#d62728"
"""The source document's figures drawn on a chart (calibration targets)."""
SERIES_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")
"""Colours of unnamed series in turn (lineages on the map, arms on a chart)."""
SERIES_LINES = ("-", "--", ":")
"""Line styles of unnamed series, one for each round of SERIES_COLOURS (series_style)."""
BASELINE_COLOUR = "#000000"
"""The baseline arm on a chart of arms: the line the others are read against, in no series' colour."""

DISTINGUISHABLE_COLOUR = "#000000"
"""An estimate whose 95% interval excludes zero, in every chart of effects with intervals (the
report's arms vs the baseline and main effects): black, as blue and red are channels there and
the two ends of the interactions' scale."""
INDISTINGUISHABLE_COLOUR = "#bbbbbb"
"""An estimate whose 95% interval holds zero (the figures' titles call it grey)."""
EMPTY_CELL_COLOUR = "#d9d9d9"
"""A heat map's cell without a value (the interactions' diagonal: a lever with itself), drawn
hatched: grey, never a colour of the diverging scale, whose white means 0."""
DARK_TEXT, LIGHT_TEXT = "#000000", "#ffffff"
"""Text on a coloured cell: black on a light one, white on a dark one (text_colour_on)."""


def text_colour_on(fill: ColorType) -> str:
    """DARK_TEXT or LIGHT_TEXT, whichever contrasts more with ``fill`` (a colour in any form
    matplotlib reads).

    By the WCAG relative luminance of the fill: below 0.179, where the contrast ratios of black
    and of white are equal, white reads better.
    """
    from matplotlib.colors import to_rgb

    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(fill)]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return LIGHT_TEXT if luminance < 0.179 else DARK_TEXT


def series_style(k: int) -> tuple[str, str]:
    """The colour and line style of the ``k``-th unnamed series (from 0): the colours in turn,
    solid, then dashed, then dotted, so that 24 lines differ (matplotlib's cycle repeats its
    colours after ten).
    """
    turn, colour = divmod(k, len(SERIES_COLOURS))
    return SERIES_COLOURS[colour], SERIES_LINES[turn % len(SERIES_LINES)]


PARAMETER_GROUP_COLOURS = {"factor": "#1f77b4", "lever": "#ff7f0e", "price": "#2ca02c", "constant": "#d62728"}
"""The groups of a sensitivity analysis's parameters (sensitivity.Parameter.group), each in its own
colour in every figure whatever groups a spec has or in what order (an ungrouped parameter is
drawn in OTHER_COLOUR)."""


@dataclass(frozen=True)
class PointLabel:
    """A name to write at a point of a chart or map, with the places it may go, best first.

    Attributes:
        xy: the point, in data units.
        text: the name.
        offsets: (dx, dy, ha, va): offsets in points from the point and the text's alignment.
        style: further keyword arguments of ``Axes.annotate`` (font, colour).
    """

    xy: tuple[float, float]
    text: str
    offsets: tuple[tuple[float, float, str, str], ...]
    style: dict[str, Any]


BESIDE = tuple(
    (dx, dy, "left" if dx > 0 else "right", "bottom" if dy > 0 else "top")
    for dy in (5, -5, 18, -18, 31, -31)
    for dx in (7, -7)
)
"""Where a marker's name may go: beside it (upper right first), else a line or two away."""


def draw_labels(
    ax: Axes, labels: list[PointLabel], taken: list[Any] | None = None, gap: float = 0.0, **style: Any
) -> list[Any]:
    """Write the labels in order, each at its first offset where it stays inside the axes and
    overlaps no label written before it (nor the boxes in ``taken``); a label with no free
    offset is left out. In a dense spot (Torrey Pines: UCSD, Scripps, CONNECT and a town name
    within a few km) the names move apart or the least important give way. Call it once the
    layout is final: the boxes are measured where the figure will draw them.

    Args:
        ax: the axes.
        labels: the labels, the most important first.
        taken: boxes (display units) no label may cover (a scale bar, a legend).
        gap: points kept between two labels (the map's names keep LABEL_GAP: a halo that
            touches the next name's letters reads as one word).
        **style: keyword arguments of ``Axes.annotate`` for every label (a label's own win).

    Returns:
        The texts written.
    """
    measure = renderer(ax.figure)
    frame = ax.get_window_extent(measure)
    pad = gap / 2 * ax.figure.dpi / 72  # each label's share of the gap, in pixels
    boxes = list(taken or [])
    written = []
    for label in labels:
        for dx, dy, ha, va in label.offsets:
            item = ax.annotate(
                label.text,
                label.xy,
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                annotation_clip=False,
                **{**style, **label.style},
            )
            box = item.get_window_extent(measure).expanded(1.04, 1.1).padded(pad)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(other) for other in boxes):
                boxes.append(box)
                written.append(item)
                break
            item.remove()
    return written


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


def renderer(fig: Figure | SubFigure) -> RendererAgg:
    """The renderer of a figure made here (its own Agg canvas): what a layout measures texts with."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas
    assert isinstance(canvas, FigureCanvasAgg), "a figure of plots.figure has an Agg canvas"
    return canvas.get_renderer()


PNG_DPI = 110
"""The resolution figures are written at unless they say otherwise (save_png)."""


def save_png(fig: Figure, path: str | Path, dpi: float = PNG_DPI, **kwargs: Any) -> Path:
    """Write ``fig`` as a PNG, whole or not at all (rendered in memory, then moved in)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, **kwargs)
    atomic.write_bytes(path, buffer.getvalue())
    return Path(path)


def legend_below(ax: Axes, gap: float = 6.0, **kwargs: Any) -> Legend:
    """The axes' legend centred below its x-axis label, clear of the label and tick labels.

    A legend anchored at a fixed fraction below the axes lies over the label whenever the axes
    are short (the fraction is of the axes' height, the label's depth is in points), so the
    place is measured from the drawn axis. Call it once the layout is final (after
    ``tight_layout``); a PNG saved with ``bbox_inches="tight"`` takes the legend in.

    Args:
        ax: the axes whose legend it is.
        gap: points between the label's bottom and the legend's top.
        **kwargs: passed to ``Axes.legend`` (``ncol``, ``fontsize``, ...).

    Returns:
        The legend.
    """
    fig = ax.get_figure(root=True)
    assert fig is not None  # axes made by ``subplots`` are on a figure
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # Agg's, made by ``figure``
    # The axis' tight box holds the tick labels and the label, placed as they will be drawn
    # (none: the axis is hidden, and the legend goes under the axes).
    box = ax.xaxis.get_tightbbox(renderer) or ax.get_window_extent(renderer)
    bottom = box.y0 - gap * fig.dpi / 72.0
    _, y = ax.transAxes.inverted().transform((0.0, bottom))
    return ax.legend(loc="upper center", bbox_to_anchor=(0.5, y), **kwargs)


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


@dataclass(frozen=True)
class MapPoints:
    """One group of firms on the overview's map and how it is drawn (``Axes.scatter``'s
    size, marker, colour and legend label).
    """

    x: np.ndarray
    y: np.ndarray
    size: float
    colour: str
    label: str
    marker: str = "o"


@dataclass(frozen=True)
class Overview:
    """What the overview figure of a run shows, in arrays and words: no data frame, no model.

    Made where the run is (``overview_of``) and drawn by ``draw_overview``, which needs matplotlib
    alone: the numbers are read once from the run's tables, the drawing reads only these (the
    split was made for a helper process that drew the figure on another core, measured and not
    kept: benchmarks/README.md, eighth round).

    Attributes:
        title: the figure's title.
        years: the calendar years of the three charts.
        founded: (channel, startups founded per year), stacked in this order.
        active: (label, firms at year end, line style).
        exits: (metric, label, exits or failures per year).
        points: the map's groups of firms in drawing order (empty: no firms).
    """

    title: str
    years: np.ndarray
    founded: tuple[tuple[str, np.ndarray], ...]
    active: tuple[tuple[str, np.ndarray, str], ...]
    exits: tuple[tuple[str, str, np.ndarray], ...]
    points: tuple[MapPoints, ...]


def overview(result: RunResult, path: Path) -> None:
    """Four panels: foundings by channel, active firms, exits and failures, and the map."""
    draw_overview(overview_of(result), path)


def overview_of(result: RunResult) -> Overview:
    """The numbers and words of a run's overview figure."""
    from ecosim.metrics import CHANNELS

    per_year = yearly(result.timeseries)
    # Numpy arrays, not Series: matplotlib turns a Series into the same array anyway, after
    # checks of its own on each call (the same pixels, some milliseconds less).
    column = lambda name: per_year[name].to_numpy()  # noqa: E731
    return Overview(
        title=(
            f"{result.summary.get('scenario', '')}: "
            f"{result.summary.get('firms_active', 0):,} firms, "
            f"{result.summary.get('employment', 0):,} jobs at the end"
        ),
        years=per_year.index.to_numpy(),
        founded=tuple((channel, column(f"founded_{channel}")) for channel in CHANNELS),
        active=(
            ("life-science firms", column("firms_active"), "-"),
            ("private startups", column("startups_active"), "-"),
            ("pharma sites x 10", column("pharma_sites") * 10, "--"),
        ),
        exits=tuple(
            (name, label, column(name))
            for name, label in (("exits_acquired", "acquired"), ("exits_ipo", "IPO"), ("failures", "failed"))
        ),
        points=map_points(result.firms),
    )


def draw_overview(overview: Overview, path: Path) -> None:
    """Draw ``overview`` and write it as a PNG at ``path`` (matplotlib only: no pandas, no model)."""
    save_png(overview_figure(overview), path, dpi=110)


def overview_figure(overview: Overview) -> Figure:
    """The overview's four panels, laid out (draw_overview writes it)."""
    from matplotlib.ticker import MaxNLocator

    fig, axes = subplots(2, 2, figsize=(12, 8.5))
    years = overview.years
    ax = axes[0, 0]
    bottom = None
    for channel, values in overview.founded:
        ax.bar(years, values, bottom=bottom, color=ORIGIN_COLOURS[channel], label=channel)
        bottom = values if bottom is None else bottom + values
    ax.set_title("Startups founded per year, by channel")
    ax.legend(frameon=False)
    ax = axes[0, 1]
    for label, values, style in overview.active:
        ax.plot(years, values, label=label, ls=style)
    ax.set_title("Active firms (year end)")
    ax.legend(frameon=False)
    ax = axes[1, 0]
    for name, label, values in overview.exits:
        ax.plot(years, values, label=label, color=EXIT_COLOURS[name])
    ax.set_title("Exits and failures per year")
    ax.legend(frameon=False)
    for ax in (axes[0, 0], axes[0, 1], axes[1, 0]):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole years, not 2022.5
    draw_map(axes[1, 1], overview.points)
    fig.suptitle(overview.title)
    # A fixed layout: tight_layout would draw the figure once more only to measure it.
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.06, top=0.92, wspace=0.18, hspace=0.25)
    # The map's legend needs the right 30% of its panel, whatever the region's shape (a wide
    # region's map would fill the panel and push the legend off the figure).
    box = axes[1, 1].get_position()
    axes[1, 1].set_position((box.x0, box.y0, box.width * 0.7, box.height))
    return fig


def map_points(firms: pd.DataFrame) -> tuple[MapPoints, ...]:
    """The map's groups of firms: closed or acquired ones as grey dots, then the active ones
    by kind (pharma sites, branches, device or service firms) and by origin.
    """
    from ecosim.agents.medtech import Medtech
    from ecosim.metrics import CHANNELS, NOT_STARTUP_KINDS

    if firms.empty:
        return ()
    # Masks over numpy columns rather than a DataFrame filtered ten times: the same points in
    # the same order (a firm table's rows are its firms, one each), without pandas' indexing.
    x, y = firms["x"].to_numpy(), firms["y"].to_numpy()
    kind, origin = firms["kind"].to_numpy(), firms["origin"].to_numpy()
    gone = np.isin(firms["fate"].to_numpy(), ["failed", "acquired", "closed"])
    active = ~gone
    sites, branches = active & (kind == "pharma_site"), active & (kind == "branch")
    medtechs = active & (kind == Medtech.kind)
    points = [
        MapPoints(x[gone], y[gone], 4, "#cccccc", "closed or acquired"),
        MapPoints(x[sites], y[sites], 60, ORIGIN_COLOURS["pharma_site"], "pharma site", "s"),
        MapPoints(x[branches], y[branches], 14, ORIGIN_COLOURS["branch"], "branch", "s"),
    ]
    if medtechs.any():
        points.append(MapPoints(x[medtechs], y[medtechs], 8, MEDTECH_COLOUR, "device or service firm"))
    companies = active & ~np.isin(kind, NOT_STARTUP_KINDS)
    for firm_origin in ("anchor", *CHANNELS, "relocation", "preexisting"):
        part = companies & (origin == firm_origin)
        points.append(MapPoints(x[part], y[part], 8, ORIGIN_COLOURS[firm_origin], firm_origin))
    return tuple(points)


def draw_map(ax: Axes, points: tuple[MapPoints, ...]) -> None:
    """Firms at their places (map_points): active ones coloured by origin, closed ones as grey dots."""
    if not points:
        ax.set_title("Map (no firms)")
        return
    for group in points:
        ax.scatter(group.x, group.y, s=group.size, marker=group.marker, c=group.colour, label=group.label)
    ax.set_aspect("equal")
    # The square map sits at the left of its panel and its legend in the room to its right: a
    # legend inside the map (matplotlib's "best" place) lies over the firms wherever it goes.
    ax.set_anchor("W")
    ax.set_xlabel("km east")
    ax.set_ylabel("km north")
    ax.set_title("Firms at the end of the run")
    ax.legend(frameon=False, fontsize=7, markerscale=1.5, loc="center left", bbox_to_anchor=(1.02, 0.5))
