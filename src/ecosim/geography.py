"""Land and water: where in a region a firm, a site or a VC office can be.

The land data is a 30-arc-second (~1 km) land mask of the world, derived from NOAA's GLOBE
elevation model through the `global-land-mask` package and cut into 5-degree tiles that ship
with ecosim (data/land_tiles.npz, built by scripts/build_land_tiles.py): it installs offline and
loads one tile at a time.

At 1 km the mask misses land made since the 1990s and small islands: it reads Kobe's Port Island
(reclaimed land, home of the Kobe Biomedical Innovation Cluster) as water. A scenario's named
sites are real places on land, so every point within SITE_LAND_KM of one counts as land.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ecosim.packagedata import DATA_DIR, MissingDataError

if TYPE_CHECKING:
    from ecosim.scenario import Region, Scenario

LAND_FILE = DATA_DIR / "land_tiles.npz"
RASTER_KM = 0.5
"""Edge of a land-raster cell, km: finer than the 1 km mask, so a coast is not moved by a cell."""
SITE_LAND_KM = 1.0
"""Radius around a named site that counts as land whatever the mask says (reclaimed land)."""
SETTLE_TRIES = 64
"""Draws before a settler takes the nearest land to where it wanted to be."""


@lru_cache(maxsize=1)
def _tile_file() -> dict[str, np.ndarray]:
    """The tile index: kind of every tile (0 water, 1 land, 2 mixed) and the tiling."""
    if not LAND_FILE.exists():
        raise MissingDataError(LAND_FILE, "land data")
    with np.load(LAND_FILE) as data:
        return {key: data[key] for key in ("kind", "tile_deg", "cells_per_deg")}


@lru_cache(maxsize=64)
def _tile(i: int, j: int) -> np.ndarray | bool:
    """Tile (i, j) as a boolean array (rows south to north), or one bool if it is uniform."""
    meta = _tile_file()
    kind = int(meta["kind"][i, j])
    if kind < 2:
        return bool(kind)
    side = int(meta["tile_deg"]) * int(meta["cells_per_deg"])
    with np.load(LAND_FILE) as data:
        packed = data[f"t{i}_{j}"]
    return np.unpackbits(packed, count=side * side).reshape(side, side).astype(bool)


def land_at(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Whether each WGS84 point lies on land according to the mask (vectorised)."""
    meta = _tile_file()
    per_deg = int(meta["cells_per_deg"])
    side = int(meta["tile_deg"]) * per_deg
    rows_total = 180 * per_deg
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    # Row index as the source package computes it (counting from the north), then flipped.
    row = rows_total - 1 - np.clip(np.floor((90.0 - lat) * per_deg), 0, rows_total - 1).astype(int)
    col = np.clip(np.floor((lon + 180.0) * per_deg), 0, 360 * per_deg - 1).astype(int)
    out = np.zeros(lat.shape, dtype=bool)
    ti, tj = row // side, col // side
    for i, j in {(int(a), int(b)) for a, b in zip(ti.ravel(), tj.ravel(), strict=True)}:
        here = (ti == i) & (tj == j)
        tile = _tile(i, j)
        if isinstance(tile, bool):
            out[here] = tile
        else:
            out[here] = tile[row[here] % side, col[here] % side]
    return out


class LandMap:
    """The land of one region on its km plane, at RASTER_KM resolution.

    Attributes:
        size_km: (width, height) of the region, km.
        land: boolean raster, indexed [column, row] from the south-west corner.
    """

    def __init__(self, region: Region, sites_km: list[tuple[float, float]]) -> None:
        self.size_km = (float(region.width_km), float(region.height_km))
        cols = max(1, math.ceil(region.width_km / RASTER_KM))
        rows = max(1, math.ceil(region.height_km / RASTER_KM))
        x = (np.arange(cols) + 0.5) * RASTER_KM
        y = (np.arange(rows) + 0.5) * RASTER_KM
        xx, yy = np.meshgrid(x, y, indexing="ij")
        lat, lon = region.to_latlon(xx, yy)
        self.land = land_at(lat, lon)
        for sx, sy in sites_km:
            self.land |= (xx - sx) ** 2 + (yy - sy) ** 2 <= SITE_LAND_KM**2
        self._land_points = np.stack([xx[self.land], yy[self.land]], axis=-1)

    @classmethod
    def of(cls, scenario: Scenario) -> LandMap:
        """The land map of a scenario's region, its named sites counted as land (cached: a
        calibration builds the same region thousands of times).
        """
        sites = tuple(scenario.named_places_km())
        key = (scenario.region.model_dump_json(), sites)
        if key not in _MAPS:
            if len(_MAPS) >= 32:
                _MAPS.pop(next(iter(_MAPS)))
            _MAPS[key] = cls(scenario.region, list(sites))
        return _MAPS[key]

    def index(self, xy_km: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Raster column and row of each point (n x 2, km), clipped to the raster."""
        xy = np.asarray(xy_km, dtype=float).reshape(-1, 2)
        col = np.clip((xy[:, 0] // RASTER_KM).astype(int), 0, self.land.shape[0] - 1)
        row = np.clip((xy[:, 1] // RASTER_KM).astype(int), 0, self.land.shape[1] - 1)
        return col, row

    def inside(self, xy_km: np.ndarray) -> np.ndarray:
        """Whether each point lies inside the region (n x 2, km)."""
        xy = np.asarray(xy_km, dtype=float).reshape(-1, 2)
        width, height = self.size_km
        return (xy[:, 0] >= 0) & (xy[:, 0] < width) & (xy[:, 1] >= 0) & (xy[:, 1] < height)

    def is_land(self, xy_km: np.ndarray) -> np.ndarray:
        """Whether each point lies on land inside the region (n x 2, km)."""
        col, row = self.index(xy_km)
        return self.inside(xy_km) & self.land[col, row]

    def nearest_land(self, xy_km: np.ndarray) -> np.ndarray:
        """The land point (a raster cell's centre) nearest to ``xy_km``."""
        if not len(self._land_points):
            raise ValueError("the region has no land")
        d2 = ((self._land_points - np.asarray(xy_km, dtype=float)) ** 2).sum(axis=1)
        return self._land_points[int(np.argmin(d2))].copy()

    def settle_near(self, rng: np.random.Generator, centre_km: np.ndarray, radius_km: float) -> np.ndarray:
        """A place on land in the region about ``radius_km`` from ``centre_km``.

        Distance is exponential with mean ``radius_km`` and the bearing uniform; a draw in the
        water or outside the region is drawn again (nobody builds a lab in the bay), and after
        SETTLE_TRIES the settler takes the land nearest to the centre.
        """
        centre = np.asarray(centre_km, dtype=float)
        for _ in range(SETTLE_TRIES):
            distance = rng.exponential(radius_km)
            bearing = rng.uniform(0.0, 2.0 * np.pi)
            point = centre + distance * np.array([np.cos(bearing), np.sin(bearing)])
            if self.is_land_at(float(point[0]), float(point[1])):
                return point
        return self.nearest_land(centre)

    def is_land_at(self, x_km: float, y_km: float) -> bool:
        """Whether one point lies on land inside the region (is_land for one point, without
        numpy's cost on tiny arrays: firms are placed one at a time).
        """
        width, height = self.size_km
        if not (0 <= x_km < width and 0 <= y_km < height):
            return False
        col = min(int(x_km // RASTER_KM), self.land.shape[0] - 1)
        row = min(int(y_km // RASTER_KM), self.land.shape[1] - 1)
        return bool(self.land[col, row])


_MAPS: dict[tuple[str, tuple[tuple[float, float], ...]], LandMap] = {}


def has_land(scenario: Scenario) -> bool:
    """Whether anything can settle in the scenario's region: a named site (land around it whatever
    the mask says) or land on the mask. In a region of open sea without one, every settler (a
    firm there at the start, an arrival) would find no nearest land.
    """
    if scenario.named_places_km():
        return True
    return bool(LandMap.of(scenario).land.any())
