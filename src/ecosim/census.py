"""The census area: the part of a region that a cluster's published figures count.

A figure such as "500 life-science firms in Boston and Cambridge" counts the firms inside two
cities, while the grid holds the towns around them too. A scenario names that area as
latitude/longitude boxes or as boundaries (polygons traced from a city's own boundary file:
a box around a city also takes in its neighbours). The census_* columns of a run count what
lies inside; a scenario without a census area counts its whole region.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ecosim.scenario import Region

    Point = Sequence[float] | np.ndarray


class Polygon:
    """One boundary on the region's plane, tested by counting crossings (even-odd rule)."""

    def __init__(self, vertices_km: np.ndarray) -> None:
        """Args:
        vertices_km: the vertices in order around the polygon, x and y in km, one a row (the
            last joins the first).
        """
        self.x = np.asarray(vertices_km[:, 0], dtype=float)
        self.y = np.asarray(vertices_km[:, 1], dtype=float)
        # Each edge runs from the previous vertex to this one.
        self.x_from = np.roll(self.x, 1)
        self.y_from = np.roll(self.y, 1)

    def contains(self, x: float, y: float) -> bool:
        """Whether (x, y) lies inside: a ray to the east crosses the boundary an odd number of
        times (a point on the boundary may fall either side: it has no area).
        """
        straddles = (self.y > y) != (self.y_from > y)
        if not straddles.any():
            return False
        x0, y0 = self.x_from[straddles], self.y_from[straddles]
        x1, y1 = self.x[straddles], self.y[straddles]
        crossing_x = x0 + (y - y0) * (x1 - x0) / (y1 - y0)  # y1 != y0 where an edge straddles
        return bool(np.count_nonzero(x < crossing_x) % 2)


class CensusArea:
    """The boxes and boundaries of a scenario's census area on the region's plane."""

    def __init__(
        self,
        bounds: list[tuple[float, float, float, float]],
        polygons: list[Polygon | None],
        parts: list[int] | None = None,
    ) -> None:
        """Args:
        bounds: each entry's box (x0, x1, y0, y1) in km: the box itself, or a boundary's
            bounding box.
        polygons: each entry's polygon, or None for a box.
        parts: the indices of the entries counted apart (Region.counted_apart), in its order.
        """
        self.entries = list(zip(bounds, polygons, strict=True))
        self.parts = list(parts or [])

    @classmethod
    def of(cls, region: Region) -> CensusArea:
        """The census area a region's scenario names."""
        polygons = [None if p is None else Polygon(p) for p in region.census_polygons_km()]
        return cls(region.census_km(), polygons, region.census_parts())

    def __bool__(self) -> bool:
        """Whether the scenario names a census area at all."""
        return bool(self.entries)

    def contains(self, x: float, y: float) -> bool:
        """Whether (x, y) in km lies inside any box or boundary."""
        return any(self._entry_contains(i, x, y) for i in range(len(self.entries)))

    def part_of(self, x: float, y: float) -> int:
        """The part counted apart that (x, y) lies in (its place in ``parts``), -1 for none (the
        first that holds it, should parts overlap).
        """
        return next((j for j, i in enumerate(self.parts) if self._entry_contains(i, x, y)), -1)

    def _entry_contains(self, i: int, x: float, y: float) -> bool:
        (x0, x1, y0, y1), polygon = self.entries[i]
        return x0 <= x <= x1 and y0 <= y <= y1 and (polygon is None or polygon.contains(x, y))


def overlaps_box(vertices_km: np.ndarray, width: float, height: float) -> bool:
    """Whether a polygon shares any area with the box [0, width] x [0, height] (the region): a
    vertex inside the box, a corner of the box inside the polygon, or an edge crossing the box's
    edges (a polygon can straddle a box's corner with no vertex inside it).
    """
    x, y = vertices_km[:, 0], vertices_km[:, 1]
    if np.any((x > 0) & (x < width) & (y > 0) & (y < height)):
        return True
    polygon = Polygon(vertices_km)
    if any(polygon.contains(cx, cy) for cx in (0.0, width) for cy in (0.0, height)):
        return True
    corners = np.array([(0.0, 0.0), (width, 0.0), (width, height), (0.0, height)])
    box_edges = list(zip(corners, np.roll(corners, -1, axis=0), strict=True))
    for a, b in zip(vertices_km, np.roll(vertices_km, -1, axis=0), strict=True):
        if any(segments_cross(a, b, c, d) for c, d in box_edges):
            return True
    return False


def segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    """Whether segments ab and cd cross at a point inside both (touching ends do not count)."""

    def side(p: Point, q: Point, r: Point) -> float:
        return float((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]))

    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0
