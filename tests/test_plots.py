"""The overview figure of a run (plots.overview_figure): what a reader of overview.png sees."""

from __future__ import annotations

import numpy as np
import pytest

from ecosim import plots


def _overview(width_km: float, height_km: float) -> plots.Overview:
    """A hand-made overview whose map holds firms over a whole region of this shape."""
    rng = np.random.default_rng(5)
    years = np.arange(2001, 2011)
    ones = np.ones(len(years))
    points = tuple(
        plots.MapPoints(rng.uniform(0, width_km, 300), rng.uniform(0, height_km, 300), 8, colour, label)
        for colour, label in (("#cccccc", "closed or acquired"), ("#1f77b4", "device or service firm"))
    )
    return plots.Overview(
        title="a region",
        years=years,
        founded=(("academic", ones), ("spinout", ones), ("release", ones)),
        active=(("life-science firms", ones, "-"),),
        exits=(("failures", "failed", ones),),
        points=points,
    )


@pytest.mark.parametrize(("width_km", "height_km"), [(18, 12), (30, 50), (100, 100)])
def test_the_map_s_legend_lies_beside_the_map_inside_the_figure(width_km, height_km):
    # A legend inside the map lies over firms wherever it goes; beside a wide region's map it
    # must still fit in the figure (King Skyfront's grid is 18 x 12 km, San Diego's 30 x 50).
    fig = plots.overview_figure(_overview(width_km, height_km))
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[3]
    legend = ax.get_legend().get_window_extent(renderer)
    frame = ax.get_window_extent(renderer)
    figure = fig.bbox
    assert legend.x0 > frame.x1  # to the right of the map, not over it
    assert legend.x1 <= figure.x1 and legend.y0 >= figure.y0 and legend.y1 <= figure.y1


def test_exits_are_drawn_in_their_own_colours_none_an_origin_s():
    # The exits' chart sits beside the map of origins: a colour there means one thing.
    from matplotlib.colors import to_hex

    fig = plots.overview_figure(_overview(30, 30))
    drawn = {line.get_label(): to_hex(line.get_color()) for line in fig.axes[2].get_lines()}
    assert drawn == {"failed": plots.EXIT_COLOURS["failures"]}
    origins = {*plots.ORIGIN_COLOURS.values(), plots.MEDTECH_COLOUR}
    assert not origins & set(plots.EXIT_COLOURS.values())
