"""Family trees of firms: pick a lineage out of a run, measure it and draw it.

A lineage is a root firm (an anchor such as Genentech or Hybritech, an academic spinout, an
arrival or a pharma site) and every firm founded by people who left it or its descendants
(employee spinouts, founding after a release, serial founders). ``ecosim run`` writes the
graph as ``lineage.json`` (networkx node-link data, parent -> spinout edges) and the firms as
``firms.csv``; this module reads both.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from ecosim import plots
from ecosim.agents.firm import OPERATING, Fate, Origin
from ecosim.errors import excerpt
from ecosim.plots import KEY_COLOUR, ORIGIN_COLOURS, OTHER_COLOUR
from ecosim.runner import RunResult, Seed, run_one
from ecosim.scenario import Scenario, ScenarioError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

GONE = frozenset(Fate) - OPERATING
"""Fates after which a firm no longer operates in the region."""


@dataclass
class Lineage:
    """One family tree.

    Attributes:
        root: firm id of the root.
        name: the root's name ("firm <id>" when it has none).
        tree: the sub-graph of the root and all its descendants.
        firms: the rows of the firm table for these firms.
    """

    root: int
    name: str
    tree: nx.DiGraph
    firms: pd.DataFrame

    @property
    def size(self) -> int:
        """Firms in the lineage, the root included."""
        return self.tree.number_of_nodes()

    @property
    def label(self) -> str:
        """The root as its tree shows it: its name or, for an unnamed root, its id with where and
        when it came from ("firm 28 (Kobe University spinout, 2001)", i18n's words for an
        unnamed root, as the browser view's map has them).
        """
        from ecosim.i18n import origin_label, text

        node = self.tree.nodes[self.root]
        if str(node.get("name") or "") not in ("", "nan"):
            return self.name
        # + 1e-9: a founding in January, summed from twelfths of a year, may fall just short of it.
        year = int(np.floor(float(node.get("founded_year", 0.0)) + 1e-9))
        origin = str(node.get("origin", ""))
        row = self.firms[self.firms["firm_id"] == self.root]
        institution = row["institution"].iloc[0] if "institution" in row and len(row) else None
        if origin == "academic" and isinstance(institution, str) and institution:
            where = text("root_academic", institution=institution, year=year)
        else:
            where = text("root_other", origin=origin_label(origin), year=year)
        return f"{self.name} ({where})"

    @property
    def depth(self) -> int:
        """Generations below the root (0 when the root has no spinouts)."""
        root_generation = int(self.tree.nodes[self.root].get("generation", 0))
        deepest = max(int(g) for _, g in self.tree.nodes(data="generation", default=0))
        return deepest - root_generation


FIRM_COLUMNS = ("firm_id", "founded_year", "fate", "fate_year", "generation", "peak_headcount")
"""Columns of firms.csv that a lineage reads."""

NUMERIC_FIRM_COLUMNS = ("firm_id", "founded_year", "fate_year", "generation", "peak_headcount")

NUMERIC_NODE_FIELDS = ("generation", "founded_year")
"""Node fields of lineage.json that a lineage computes with (each a number where present)."""


def _unreadable(path: Path, what: str) -> ScenarioError:
    return ScenarioError(path, "RUN_DIR", f"cannot read the run: {what}")


def _read_graph(path: Path) -> nx.DiGraph:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except RecursionError:
        raise _unreadable(path, "nested deeper than JSON's parser reads") from None
    except (OSError, ValueError) as exc:  # ValueError: not UTF-8, not JSON
        raise _unreadable(path, str(exc)) from None
    if not isinstance(data, dict):
        kind = {list: "list", str: "string", bool: "true or false"}.get(type(data), "number or null")
        raise _unreadable(path, f"a JSON {kind}, not a node-link graph (a mapping)")
    try:
        graph = nx.node_link_graph(data, directed=True, edges="links")
    except (AttributeError, KeyError, TypeError, ValueError, nx.NetworkXError) as exc:
        raise _unreadable(path, f"not a node-link graph ({type(exc).__name__}: {exc})") from None
    for node, fields in graph.nodes(data=True):
        if type(node) is not int:
            raise _unreadable(path, f"node id {excerpt(node)} is not a firm id (a whole number)")
        for field in NUMERIC_NODE_FIELDS:
            value = fields.get(field, 0)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise _unreadable(path, f"node {node}: {field} {excerpt(value)} is not a number")
    return graph


def _read_firms(path: Path) -> pd.DataFrame:
    try:
        firms = pd.read_csv(path)
    except (OSError, ValueError) as exc:  # ValueError: empty, not CSV, not UTF-8
        raise _unreadable(path, str(exc) or type(exc).__name__) from None
    missing = [column for column in FIRM_COLUMNS if column not in firms.columns]
    if missing:
        raise _unreadable(path, f"no column {', '.join(missing)} (not the firm table of `ecosim run`)")
    for column in NUMERIC_FIRM_COLUMNS:
        try:
            pd.to_numeric(firms[column])
        except (TypeError, ValueError):
            raise _unreadable(path, f"column {column} holds values that are not numbers") from None
    return firms


def load_run(run_dir: str | Path) -> tuple[nx.DiGraph, pd.DataFrame]:
    """The lineage graph and the firm table of a run folder written by ``ecosim run``.

    Raises:
        ScenarioError: the folder or one of its files is missing or unreadable, naming the file.
    """
    run_dir = Path(run_dir)
    graph_file, firms_file = run_dir / "lineage.json", run_dir / "firms.csv"
    for path in (graph_file, firms_file):
        if not path.is_file():
            raise ScenarioError(path, "RUN_DIR", "not found (expected the output folder of `ecosim run`)")
    return _read_graph(graph_file), _read_firms(firms_file)


def roots(graph: nx.DiGraph) -> list[int]:
    """Firms with no parent, largest lineage first (ties: the older firm first)."""
    heads = [n for n in graph.nodes if graph.in_degree(n) == 0]
    size = {n: len(nx.descendants(graph, n)) for n in heads}
    return sorted(heads, key=lambda n: (-size[n], graph.nodes[n].get("founded_year", 0.0), n))


def find_root(graph: nx.DiGraph, name: str | None = None) -> int:
    """The root to draw: the firm named ``name`` (case-insensitive), or the largest lineage.

    A name may belong to more than one node (a pharma company whose site opened twice);
    the one with the most descendants wins.

    Raises:
        ValueError: no firm has that name, or the graph is empty.
    """
    if name is None:
        heads = roots(graph)
        if not heads:
            raise ValueError("the run has no firms")
        return heads[0]
    wanted = name.strip().lower()
    matches = [n for n, v in graph.nodes(data="name") if str(v or "").strip().lower() == wanted]
    if not matches:
        named = sorted({str(v) for _, v in graph.nodes(data="name") if v and str(v) != "nan"})
        raise ValueError(f"no firm named {name!r}; named firms: {', '.join(named) or 'none'}")
    return max(matches, key=lambda n: (len(nx.descendants(graph, n)), -n))


def lineage_of(graph: nx.DiGraph, firms: pd.DataFrame, root: int) -> Lineage:
    """The lineage rooted at ``root``."""
    members = {root, *nx.descendants(graph, root)}
    tree = graph.subgraph(members).copy()
    name = str(graph.nodes[root].get("name") or "")
    if name in ("", "nan"):
        name = f"firm {root}"
    rows = firms[firms["firm_id"].isin(members)].drop_duplicates("firm_id")
    return Lineage(root=root, name=name, tree=tree, firms=rows)


ANCHOR_LINEAGE = "anchor_lineage"
"""Summary key: firms in the lineages of a scenario's anchors together (a sweep metric)."""


def anchor_summary(graph: nx.DiGraph, firms: pd.DataFrame, names: Iterable[str]) -> dict[str, float]:
    """Each named anchor's lineage at the end of a run, as numbers for the run's summary.

    An anchor is a root (the scenario seeds it), so the anchors' lineages do not overlap.

    Args:
        graph: the run's lineage graph.
        firms: the run's firm table.
        names: the anchors' names (``Scenario.anchors``).

    Returns:
        ``anchor_lineage``: firms in all the anchors' lineages; and for each anchor
        ``anchor.<name>.lineage`` (firms, the anchor included; 0 when it was not founded),
        ``anchor.<name>.depth`` (generations below it), ``anchor.<name>.peak_headcount``,
        its direct children by channel, ``anchor.<name>.children_spinout`` (staff who left it to
        found) and ``anchor.<name>.children_release`` (people it let go, or who left its buyer,
        and founded; and its serial founders), the mechanisms a counterfactual moves, and, once
        it no longer operates, ``anchor.<name>.end_year`` (when it was acquired, failed or
        closed).
    """
    summary: dict[str, float] = {ANCHOR_LINEAGE: 0}
    for name in names:
        key = f"anchor.{name}"
        try:
            tree = lineage_of(graph, firms, find_root(graph, name))
        except ValueError:  # not founded (yet)
            summary[f"{key}.lineage"], summary[f"{key}.depth"] = 0, 0
            continue
        summary[f"{key}.lineage"], summary[f"{key}.depth"] = tree.size, tree.depth
        summary[ANCHOR_LINEAGE] += tree.size
        row = firms[firms["firm_id"] == tree.root]
        children = [str(graph.nodes[c].get("origin", "")) for c in graph.successors(tree.root)]
        summary[f"{key}.children_spinout"] = children.count(str(Origin.SPINOUT))
        summary[f"{key}.children_release"] = children.count(str(Origin.RELEASE))
        if len(row) and "peak_headcount" in row.columns:
            summary[f"{key}.peak_headcount"] = int(row["peak_headcount"].iloc[0])
        if len(row) and str(row["fate"].iloc[0]) in GONE and pd.notna(row["fate_year"].iloc[0]):
            summary[f"{key}.end_year"] = round(float(row["fate_year"].iloc[0]), 4)
    return summary


def run_with_anchors(scenario: Scenario, seed: Seed, until: float | None = None, **kwargs: Any) -> RunResult:
    """``run_one``, with each anchor's lineage added to the summary (see ``anchor_summary``).

    A sweep spec names it as ``runner: ecosim.lineage:run_with_anchors`` to compare the
    anchors' lineages (metric ``anchor_lineage``) across arms; the run itself is unchanged.
    """
    result = run_one(scenario, seed, until=until, **kwargs)
    anchors = anchor_summary(result.lineage, result.firms, [a.name for a in scenario.anchors])
    result.summary = {**result.summary, **anchors}
    return result


def size_by_year(lineage: Lineage, until: float | None = None) -> pd.DataFrame:
    """Per calendar year: firms founded that year, founded so far, active at the year's end,
    and the deepest generation reached so far (relative to the root).
    """
    firms = lineage.firms
    if firms.empty:
        return pd.DataFrame(columns=["year", "founded", "cumulative", "active", "depth"])
    founded = firms["founded_year"].astype(float)
    fate_year = pd.to_numeric(firms["fate_year"], errors="coerce")
    gone = firms["fate"].isin(GONE)
    generation = firms["generation"].astype(int) - int(firms["generation"].min())
    first = int(np.floor(founded.min()))
    last = int(
        np.floor(
            until
            if until is not None
            else max(founded.max(), fate_year.max(skipna=True) if fate_year.notna().any() else 0)
        )
    )
    rows = []
    for year in range(first, max(first, last) + 1):
        born = founded < year + 1
        alive = born & ~(gone & (fate_year < year + 1))
        rows.append(
            {
                "year": year,
                "founded": int(((founded >= year) & born).sum()),
                "cumulative": int(born.sum()),
                "active": int(alive.sum()),
                "depth": int(generation[born].max()) if born.any() else 0,
            }
        )
    return pd.DataFrame(rows)


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

    heading = heading or text("lineage_of", name=lineage.label)
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
        name = lineage.label if n == lineage.root else str(tree.nodes[n].get("name") or "")
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
