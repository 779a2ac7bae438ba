"""The family tree of a lineage drawn as a figure (``ecosim lineage``, experiments/lineages.py).

Its words come from :mod:`ecosim.i18n`; no run of the model calls this module (provenance's
OUTSIDE_RUNS), so a label's change leaves the runs stored before it as they were. The lineage
itself (picking, measuring) is :mod:`ecosim.lineage`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from ecosim import plots
from ecosim.lineage import GONE, Lineage
from ecosim.plots import KEY_COLOUR, ORIGIN_COLOURS, OTHER_COLOUR

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def root_label(lineage: Lineage) -> str:
    """The root as its tree shows it: its name or, for an unnamed root, its id with where and
    when it came from ("firm 28 (Kobe University spinout, 2001)", i18n's words for an
    unnamed root, as the browser view's map has them).
    """
    from ecosim.i18n import root_origin

    node = lineage.tree.nodes[lineage.root]
    if str(node.get("name") or "") not in ("", "nan"):
        return lineage.name
    row = lineage.firms[lineage.firms["firm_id"] == lineage.root]
    institution = row["institution"].iloc[0] if "institution" in row and len(row) else None
    where = root_origin(str(node.get("origin", "")), institution, node.get("founded_year", 0.0))
    return f"{lineage.name} ({where})"


NAME_FONT = 10.0
"""Points: the firm names beside their nodes."""
TREE_FONT = 12.0
"""Points: the legend and the generations' labels (a wide tree, 2,400 px and more, is shown shrunk
to a slide's width: 7 pt was unreadable there)."""
ROOM_ABOVE = 0.5
"""Generations of room above the root's row (for its name)."""
ROOM_BELOW = 0.3
"""Generations of room below the last row (for its nodes' lower halves)."""
SIZE_KEY = (10, 100, 1000)
"""Peak headcounts of the legend's reference nodes (node area is not otherwise explained)."""
LEGEND_WIDTH = 2.8
"""Inches added to the figure's width for the legend, right of the tree (over it, the legend hid
the top row's firms or needed an empty band above the root)."""
NAME_GAP = 2.0
"""Points between a node's edge and its name (the hollow nodes' outline is 1 pt wide)."""


def node_area(peak_headcount: np.ndarray) -> np.ndarray:
    """A node's area in points² (``Axes.scatter``'s ``s``) from its firm's peak headcount."""
    return 12.0 + 6.0 * np.sqrt(np.maximum(peak_headcount, 1.0))


def _legend(ax: Axes, origins: list[str]) -> int:
    """The key beside the tree: the origins its firms have (in the palette's order, in words), the
    hollow node of a firm that no longer operates, and nodes of three peak headcounts.

    Returns:
        The legend's entries (rows).
    """
    from matplotlib.lines import Line2D

    from ecosim.i18n import origin_label, text

    order = list(ORIGIN_COLOURS)
    shown = sorted(set(origins), key=lambda o: (order.index(o) if o in order else len(order), o))

    def key(label: str, **style: Any) -> Line2D:
        # Capitalised: the origins' words ("employee spinout") sit beside a pharma site's ("Pharma site").
        style = {"marker": "o", "markersize": 8.0, **style}
        return Line2D([], [], ls="", label=label[:1].upper() + label[1:], **style)

    handles = [key(origin_label(o), color=ORIGIN_COLOURS.get(o, OTHER_COLOUR)) for o in shown]
    handles.append(key(text("closed_or_acquired"), mfc="white", mec=KEY_COLOUR))
    # The size key: a heading without a marker, then nodes at node_area's sizes (a Line2D's marker
    # size is a diameter in points, a scatter's s its square).
    handles.append(key(text("node_area_headcount"), marker=""))
    for people in SIZE_KEY:
        diameter = float(np.sqrt(node_area(np.array(people))))
        handles.append(key(f"{people:,} {text('unit_people')}", color=KEY_COLOUR, markersize=diameter))
    ax.legend(
        handles=handles, frameon=False, fontsize=TREE_FONT, loc="upper left", bbox_to_anchor=(1.01, 1.0)
    )
    return len(handles)


def title(lineage: Lineage, heading: str = "") -> str:
    """A tree's title: ``heading`` (default "Lineage of <root>"), then, below, its firms and
    generations in the words every view of a lineage uses (i18n ``lineage_size``: generations
    after the root).
    """
    from ecosim.i18n import text

    heading = heading or text("lineage_of", name=root_label(lineage))
    # Two lines: an unnamed root's heading and the size on one outgrew a narrow tree's figure.
    return f"{heading}\n{text('lineage_size', firms=f'{lineage.size:,}', generations=lineage.depth)}"


def draw(lineage: Lineage, path: str | Path, heading: str = "") -> Path:
    """Draw the family tree to a PNG (see ``tree_figure``).

    Returns:
        The path written.
    """
    return plots.save_png(tree_figure(lineage, heading), Path(path), dpi=110)


def tree_figure(lineage: Lineage, heading: str = "") -> Figure:
    """The family tree, laid out: one row per generation, colour by founding channel, node area
    by peak headcount, hollow nodes for firms that closed or were acquired.

    Args:
        lineage: the tree.
        heading: the title's start (see ``title``); its size follows.
    """
    tree = lineage.tree
    # One row per generation, leaves spread left to right (plots.tree_layout).
    pos = {n: (leaf, -depth) for n, (leaf, depth) in plots.tree_layout(tree, lineage.root).items()}
    info = lineage.firms.set_index("firm_id")
    width = float(max(x for x, _ in pos.values())) + 1.0
    rows = lineage.depth + ROOM_ABOVE + ROOM_BELOW
    size = (min(22.0, max(7.0, 0.12 * width + 4.0)) + LEGEND_WIDTH, 1.0 + 1.1 * rows)
    fig, ax = plots.subplots(figsize=size)
    nx.draw_networkx_edges(tree, pos, ax=ax, arrows=False, edge_color="#999999", width=0.6)
    nodes = list(tree.nodes)
    peak = np.array([float(info["peak_headcount"].get(n, 3)) if n in info.index else 3.0 for n in nodes])
    sizes = node_area(peak)
    colours = [ORIGIN_COLOURS.get(str(tree.nodes[n].get("origin")), OTHER_COLOUR) for n in nodes]
    gone = np.array([str(tree.nodes[n].get("fate")) in GONE for n in nodes])
    xy = np.array([pos[n] for n in nodes])
    colours_arr = np.array(colours, dtype=object)
    ax.scatter(
        xy[~gone, 0],
        xy[~gone, 1],
        s=sizes[~gone],
        c=list(colours_arr[~gone]),
        zorder=3,
        edgecolors="white",
        linewidths=0.4,
    )
    ax.scatter(
        xy[gone, 0],
        xy[gone, 1],
        s=sizes[gone],
        facecolors="white",
        edgecolors=list(colours_arr[gone]),
        linewidths=1.0,
        zorder=3,
    )
    for n, area in zip(nodes, sizes, strict=True):
        # The root always: an unnamed one too (a Kobe tree's root was a bare node).
        name = root_label(lineage) if n == lineage.root else str(tree.nodes[n].get("name") or "")
        if name and name != "nan":
            # Above the node's top, however large the node (a fixed offset hid the names of the
            # largest firms under their own node): the root's centred (its row is its own, and a
            # long label of an unnamed root reached into the legend), the others' right of the
            # centre, off the edge that comes down to them.
            radius = float(np.sqrt(area)) / 2.0
            root = n == lineage.root
            ax.annotate(
                name,
                pos[n],
                xytext=(0.0 if root else radius / 2.0, radius + NAME_GAP),
                textcoords="offset points",
                fontsize=NAME_FONT,
                ha="center" if root else "left",
                va="bottom",
                zorder=4,
            )
    # networkx's drawing hides the axes' ticks; the generation labels are wanted here.
    ax.tick_params(left=True, labelleft=True)
    ax.set_yticks([-g for g in range(lineage.depth + 1)])
    ax.set_yticklabels([f"gen {g}" for g in range(lineage.depth + 1)])
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=TREE_FONT)
    entries = _legend(ax, [str(tree.nodes[n].get("origin")) for n in nodes])
    # Tall enough for the legend beside a shallow tree: a legend row is its font size and half
    # again (matplotlib's labelspacing), plus the title's and the margins' inch.
    fig.set_figheight(max(fig.get_figheight(), 1.0 + entries * TREE_FONT * 1.5 / 72.0))
    ax.set_title(title(lineage, heading), fontsize=TREE_FONT + 2)
    ax.margins(x=0.03)
    # Room for the root's name above it and half a node below the last generation: a margin of
    # a quarter of the height left an empty band of more than a generation under the tree.
    ax.set_ylim(-lineage.depth - ROOM_BELOW, ROOM_ABOVE)
    fig.tight_layout()
    return fig
