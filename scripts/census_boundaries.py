"""Trace a city's limits for a scenario's census area from the city's own boundary file.

Usage:
    python scripts/census_boundaries.py NAME BOUNDARY.geojson [--tolerance-m 100] [--min-km2 1]
        [--part-names "East Boston,Boston"]

Reads the polygons of a GeoJSON boundary file (longitude, latitude; WGS84), keeps those of at
least ``--min-km2`` (a city's harbour islands hold no lab), simplifies each by Douglas-Peucker
at ``--tolerance-m`` metres and prints them as entries of a scenario's ``region.census`` list
(``boundary``: [lat, lon] pairs, five decimals, about a metre), with the area each keeps. The
file itself is not kept in the repository: the scenario's comment names where it is published.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from pathlib import Path

from ecosim.census import segments_cross

KM_PER_DEG_LAT = 110.57  # as ecosim.scenario's projection
KM_PER_DEG_LON_EQUATOR = 111.32


def to_km(ring: list[list[float]], lat0: float) -> list[tuple[float, float]]:
    """Project (lon, lat) points onto a plane in km about latitude ``lat0``."""
    scale = KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat0))
    return [(lon * scale, lat * KM_PER_DEG_LAT) for lon, lat in ring]


def area_km2(points: list[tuple[float, float]]) -> float:
    """The shoelace area of a closed ring of points in km."""
    total = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        total += x0 * y1 - x1 * y0
    return abs(total) / 2.0


def simplify(points: list[tuple[float, float]], tolerance_km: float) -> list[int]:
    """Indices of the points Douglas-Peucker keeps at ``tolerance_km`` (first and last kept)."""
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        worst, where = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0.0:
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > worst:
                worst, where = distance, i
        if worst > tolerance_km:
            keep.add(where)
            stack += [(first, where), (where, last)]
    return sorted(keep)


def self_crossings(points: list[tuple[float, float]]) -> list[tuple[int, int]]:
    """The pairs of edges (i, j) of a closed ring that cross each other: a simplified ring may
    cross itself (Douglas-Peucker keeps no topology), and a crossing ring counts a bow-tie twice.
    """
    edges = [(points[i], points[(i + 1) % len(points)]) for i in range(len(points))]
    return [
        (i, j)
        for i in range(len(edges))
        for j in range(i + 2, len(edges))
        if not (i == 0 and j == len(edges) - 1) and segments_cross(*edges[i], *edges[j])
    ]


def main() -> None:
    """Print the simplified polygons of a boundary file as census entries."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="the census area's name, e.g. Cambridge")
    parser.add_argument("boundary", type=Path, help="a GeoJSON file of the city's boundary")
    parser.add_argument("--tolerance-m", type=float, default=100.0)
    parser.add_argument("--min-km2", type=float, default=1.0)
    parser.add_argument("--part-names", default="", help="names of the polygons kept, in the file's order")
    args = parser.parse_args()
    names = iter(args.part_names.split(",") if args.part_names else [])
    rings = []
    raw = args.boundary.read_bytes()
    print(f"# from {args.boundary.name}, sha256 {hashlib.sha256(raw).hexdigest()}")
    for feature in json.loads(raw)["features"]:
        geometry = feature["geometry"]
        multi = geometry["type"] == "MultiPolygon"
        polygons = geometry["coordinates"] if multi else [geometry["coordinates"]]
        rings += [polygon[0] for polygon in polygons]  # outer rings: a city has no holes here
    for ring in rings:
        if ring[0] == ring[-1]:
            ring = ring[:-1]
        lat0 = sum(lat for _, lat in ring) / len(ring)
        points = to_km(ring, lat0)
        area = area_km2(points)
        if area < args.min_km2:
            continue
        name = next(names, args.name)
        kept = simplify(points, args.tolerance_m / 1000.0)
        crossings = self_crossings([points[i] for i in kept])
        if crossings:
            raise SystemExit(
                f"error: {name} simplified at {args.tolerance_m:g} m crosses itself at edges {crossings}: "
                "try another --tolerance-m"
            )
        kept_area = area_km2([points[i] for i in kept])
        pairs = ", ".join(f"[{ring[i][1]:.5f}, {ring[i][0]:.5f}]" for i in kept)
        print(f"# {name}: {len(ring)} vertices -> {len(kept)}, {area:.2f} km2 -> {kept_area:.2f} km2")
        print(f"- {{name: {name}, boundary: [{pairs}]}}")


if __name__ == "__main__":
    main()
