"""The family-tree figure (lineage_figure.tree_figure) as a presenter reads it: names clear of their
nodes, every colour in the legend, readable words, a size key, no empty band, one meaning of
"generations", a label on every root. Geometry is read through the renderer, not from pixels."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.text import Annotation

from ecosim import lineage, lineage_figure

# (firm id, parent, name, origin, fate, peak headcount, generation, founded)
FIRMS = (
    (1, None, "Bigco", "anchor", "active", 5000, 0, 1978.0),
    (2, 1, "", "spinout", "failed", 10, 1, 1981.0),
    (3, 1, "Pharma (Bigco)", "acquisition", "closed", 3000, 1, 1986.0),
    (4, 2, "", "release", "active", 40, 2, 1984.0),
    (5, 3, "", "release", "acquired", 200, 2, 1990.0),
    (6, 5, "", "spinout", "active", 2, 3, 1995.0),
)


def make_lineage(firms=FIRMS, institution: str | None = None) -> lineage.Lineage:
    """A lineage of ``firms``, rooted at the first."""
    graph = nx.DiGraph()
    rows = []
    for fid, parent, name, origin, fate, peak, generation, founded in firms:
        graph.add_node(fid, name=name, origin=origin, fate=fate, generation=generation, founded_year=founded)
        if parent is not None:
            graph.add_edge(parent, fid)
        rows.append(
            {
                "firm_id": fid,
                "founded_year": founded,
                "fate": fate,
                "fate_year": None,
                "generation": generation,
                "peak_headcount": peak,
                **({"institution": institution} if institution is not None else {}),
            }
        )
    return lineage.lineage_of(graph, pd.DataFrame(rows), firms[0][0])


def drawn(tree: lineage.Lineage, title: str = ""):
    """The figure of ``tree``, drawn, its axes and renderer."""
    fig = lineage_figure.tree_figure(tree, title)
    fig.canvas.draw()
    return fig, fig.axes[0], fig.canvas.get_renderer()


def node_boxes(fig, ax) -> dict[tuple[float, float], tuple[float, float, float, float]]:
    """Each node marker's extent in display pixels (x0, y0, x1, y1), by its data position: the
    marker's centre and its radius (``s`` is the area in points², plus half its outline)."""
    boxes = {}
    for collection in ax.collections:
        if not isinstance(collection, PathCollection):
            continue
        sizes = np.broadcast_to(collection.get_sizes(), (len(collection.get_offsets()),))
        widths = np.broadcast_to(collection.get_linewidths(), sizes.shape)
        for (x, y), area, width in zip(collection.get_offsets(), sizes, widths, strict=True):
            cx, cy = ax.transData.transform((x, y))
            radius = (np.sqrt(area) / 2.0 + width / 2.0) * fig.dpi / 72.0
            boxes[(float(x), float(y))] = (cx - radius, cy - radius, cx + radius, cy + radius)
    return boxes


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def names(ax) -> list[Annotation]:
    return [t for t in ax.texts if isinstance(t, Annotation)]


def test_names_clear_their_nodes_however_large():
    fig, ax, renderer = drawn(make_lineage())
    boxes = node_boxes(fig, ax)
    labelled = names(ax)
    assert {t.get_text() for t in labelled} == {"Bigco", "Pharma (Bigco)"}
    for text in labelled:
        extent = text.get_window_extent(renderer)
        box = (extent.x0, extent.y0, extent.x1, extent.y1)
        own = boxes[tuple(float(v) for v in text.xy)]
        assert not overlaps(box, own), (text.get_text(), box, own)


def node_colours(ax) -> dict[tuple[float, float], str]:
    """Each node's colour by its data position: the fill of a solid node, the outline of a hollow
    one (a firm that closed or was acquired)."""
    from matplotlib.colors import to_hex

    colours = {}
    for collection in ax.collections:
        if not isinstance(collection, PathCollection) or not len(collection.get_offsets()):
            continue
        hollow = all(to_hex(c) == "#ffffff" for c in collection.get_facecolors())
        drawn = collection.get_edgecolors() if hollow else collection.get_facecolors()
        drawn = np.broadcast_to(drawn, (len(collection.get_offsets()), 4))
        for (x, y), colour in zip(collection.get_offsets(), drawn, strict=True):
            colours[(float(x), float(y))] = to_hex(colour)
    return colours


def legend_colours(ax) -> dict[str, str]:
    """Legend label -> the colour of its marker (the outline: a hollow marker's colour)."""
    from matplotlib.colors import to_hex

    legend = ax.get_legend()
    return {
        text.get_text(): to_hex(handle.get_markeredgecolor())
        for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True)
    }


def test_every_origin_has_its_own_colour_and_a_bought_unit_is_in_the_legend():
    from ecosim.agents.firm import Origin
    from ecosim.plots import ORIGIN_COLOURS, OTHER_COLOUR

    assert {str(o) for o in Origin} <= set(ORIGIN_COLOURS)
    assert len(set(ORIGIN_COLOURS.values())) == len(ORIGIN_COLOURS)
    assert OTHER_COLOUR not in ORIGIN_COLOURS.values()
    fig, ax, _ = drawn(make_lineage())
    unit = next(t for t in names(ax) if t.get_text() == "Pharma (Bigco)")
    colour = node_colours(ax)[tuple(float(v) for v in unit.xy)]
    assert colour == ORIGIN_COLOURS["acquisition"]
    assert colour in legend_colours(ax).values()


def test_the_legend_is_in_words_at_a_readable_size_inside_the_figure_beside_the_tree():
    from ecosim import i18n

    fig, ax, renderer = drawn(make_lineage())
    legend = ax.get_legend()
    words = [t.get_text() for t in legend.get_texts()]
    for origin in ("anchor", "spinout", "release", "acquisition"):
        label = i18n.origin_label(origin)
        assert label[:1].upper() + label[1:] in words
    assert not {"spinout", "release", "pharma_site", "preexisting", "anchor", "acquisition"} & set(words)
    assert i18n.text("closed_or_acquired").capitalize() in words
    assert min(t.get_fontsize() for t in legend.get_texts()) >= 10
    box = legend.get_window_extent(renderer)
    assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= fig.bbox.x1 and box.y1 <= fig.bbox.y1
    extent = (box.x0, box.y0, box.x1, box.y1)
    assert not any(overlaps(extent, node) for node in node_boxes(fig, ax).values())


def test_a_pharma_site_s_origin_reads_as_the_map_s_words_in_either_language():
    from ecosim import i18n

    assert i18n.origin_label("pharma_site") == i18n.text("pharma")
    with i18n.using("ja"):
        assert i18n.origin_label("spinout") == i18n.text("spinout") != "spinout"


def test_the_legend_keys_node_sizes_as_peak_headcounts():
    from ecosim import i18n

    fig, ax, _ = drawn(make_lineage())
    legend = ax.get_legend()
    entries = dict(zip((t.get_text() for t in legend.get_texts()), legend.legend_handles, strict=True))
    heading = i18n.text("node_area_headcount")
    assert heading[:1].upper() + heading[1:] in entries
    for people in lineage_figure.SIZE_KEY:
        handle = entries[f"{people:,} {i18n.text('unit_people')}"]
        # A legend marker's size is its diameter, a node's area (points²) its square.
        assert handle.get_markersize() ** 2 == pytest.approx(
            float(lineage_figure.node_area(np.array(people)))
        )


def test_no_empty_band_under_the_last_generation_and_every_node_and_name_in_the_axes():
    tree = make_lineage()
    fig, ax, renderer = drawn(tree)
    boxes = node_boxes(fig, ax).values()
    frame = ax.get_window_extent(renderer)
    row = abs(ax.transData.transform((0, 0))[1] - ax.transData.transform((0, -1))[1])  # a generation, px
    lowest = min(box[1] for box in boxes)
    assert frame.y0 <= lowest  # the last generation's nodes whole
    assert lowest - frame.y0 < 0.5 * row  # and no more than half a generation under them
    top = max(t.get_window_extent(renderer).y1 for t in names(ax))
    assert top <= frame.y1 < ax.title.get_window_extent(renderer).y0  # the root's name under the title


def test_a_shallow_tree_s_figure_is_tall_enough_for_its_legend():
    origins = ("academic", "spinout", "release", "relocation", "preexisting", "pharma_site", "branch")
    firms = FIRMS[:1] + tuple(
        (10 + i, 1, "", origin, "active", 10, 1, 1990.0) for i, origin in enumerate(origins)
    )
    fig, ax, renderer = drawn(make_lineage(firms))
    assert len(ax.get_legend().get_texts()) == 1 + len(origins) + 1 + 1 + len(lineage_figure.SIZE_KEY)
    assert ax.get_legend().get_window_extent(renderer).y0 >= 0


def test_generations_are_counted_after_the_root_and_said_so_in_every_view(capsys, tmp_path):
    from ecosim import i18n

    tree = make_lineage()
    assert tree.depth == 3  # generations 1 to 3 under the root's generation 0
    # Six nodes, five firms: firm 3 is the root's lab going on as its buyer's unit, no new firm.
    said = i18n.text("lineage_size", firms="5", generations=3)
    assert "after the root" in said
    _, ax, _ = drawn(tree)
    assert ax.get_title() == f"{i18n.text('lineage_of', name='Bigco')}\n{said}"
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "gen 3"
    _, ax, _ = drawn(tree, "Bigco in a run")
    assert ax.get_title() == f"Bigco in a run\n{said}"


def test_the_browser_view_counts_generations_as_the_trees_do():
    pytest.importorskip("solara")
    from helpers import ROOT

    from ecosim.metrics import lineage_graph
    from ecosim.model import BioclusterModel
    from ecosim.scenario import load
    from ecosim.viz import figures

    model = BioclusterModel(load(ROOT / "scenarios" / "san_diego.yaml"), rng=3)
    root, size = figures.largest_lineage(model)
    while root is None or lineage_graph(model).out_degree(root) == 0:
        model.step()
        root, size = figures.largest_lineage(model)
    graph = lineage_graph(model)
    members = [n for n, data in graph.nodes(data=True) if data.get("lineage_root") == root]
    depth = lineage.Lineage(root, "", graph.subgraph(members), pd.DataFrame()).depth
    title = figures.lineage_figure(model).axes[0].get_title()
    assert title.endswith(figures.text("lineage_size", firms=size, generations=depth)), title


UNNAMED_ROOT = ((28, None, "", "academic", "active", 1674, 0, 2001.75),) + tuple(
    (30 + i, 28, "", "spinout", "active", 10, 1, 2005.0) for i in range(9)
)


def test_an_unnamed_root_is_labelled_with_where_and_when_it_came_from():
    from ecosim import i18n

    tree = make_lineage(UNNAMED_ROOT, institution="Kobe University")
    label = "firm 28 (" + i18n.text("root_academic", institution="Kobe University", year=2001) + ")"
    assert (
        lineage_figure.root_label(tree) == label and tree.name == "firm 28"
    )  # the name still makes the CLI's file name
    fig, ax, renderer = drawn(tree)
    assert [t.get_text() for t in names(ax)] == [label]
    assert ax.get_title().startswith(i18n.text("lineage_of", name=label))
    # Inside the figure and clear of the legend, in the narrowest tree's figure.
    legend = ax.get_legend().get_window_extent(renderer)
    for text in (*names(ax), ax.title):
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= fig.bbox.x1 and box.y1 <= fig.bbox.y1, text.get_text()
        assert not overlaps((box.x0, box.y0, box.x1, box.y1), (legend.x0, legend.y0, legend.x1, legend.y1))
    # Without the institution (a firm table from before that column), its origin in words.
    assert (
        lineage_figure.root_label(make_lineage(UNNAMED_ROOT))
        == "firm 28 (" + i18n.text("root_other", origin=i18n.origin_label("academic"), year=2001) + ")"
    )
    named = make_lineage()
    assert lineage_figure.root_label(named) == named.name == "Bigco"


def test_an_unnamed_root_s_words_in_each_language():
    """One declaration (i18n.root_origin) for the map and the trees: a pharma site in its own words,
    a January founding in its year, an academic spinout by its university."""
    from ecosim import i18n

    with i18n.using("ja"):
        assert i18n.root_origin("pharma_site", None, 2001 - 1e-12) == "製薬企業の拠点（2001年）"
        assert i18n.root_origin("academic", "神戸大学", 2001.5) == i18n.text(
            "root_academic", institution="神戸大学", year=2001
        )
    with i18n.using("en"):
        assert i18n.root_origin("academic", float("nan"), 1984.0) == i18n.text(
            "root_other", origin=i18n.origin_label("academic"), year=1984
        )
