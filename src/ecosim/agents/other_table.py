"""The numbers of the firms that are not companies of the CompanyTable (pharma sites, branches,
device and service firms) that stay as they are while a firm operates, held as arrays.

Employee spinouts, the labour market's draws, the hubs' membership drives and the data collector
read, every month, each such firm's quality, place on the map and in the census area, kind and (a
device or service firm's) the staff its sales support; none of them changes while the firm
operates, so they are kept here, a row per firm in the order the firms came, and read as arrays
instead of from every firm. Their staff
change every month and stay the firms' own (Firm.headcount).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.mechanisms.proximity import decay, distances_km

if TYPE_CHECKING:
    from ecosim.agents.firm import Firm

COLUMNS: dict[str, type] = {
    "group": np.int64,
    "quality": np.float64,
    "in_census": np.bool_,
    "census_part": np.int64,
    "x_km": np.float64,
    "y_km": np.float64,
    "device": np.bool_,
    "sales_headcount": np.int64,
    "spins_out": np.bool_,
    "alive": np.bool_,
}
"""The table's columns and their types (group: the firm's class's place in ``order``; x_km, y_km:
its position, Firm.xy_km; device: a
device or service firm; sales_headcount: its staff its sales support, 0 for the others; spins_out:
Firm.parents_spinouts; alive: it operates in the region)."""


class OtherFirmTable:
    """The other firms of a run (rows never reused), and those operating now in the order of
    BioclusterModel.other_firms: by class in ``order``, each class's firms in the order they came
    (the order Mesa keeps each class's agents in).
    """

    def __init__(self, order: dict[type, int], device: type, capacity: int = 64) -> None:
        """An empty table for the firms of the classes of ``order`` (the others are not kept);
        ``device`` is the class of the device and service firms (Medtech).
        """
        self.order = order
        self.device = device
        self.size = 0
        self.columns: dict[str, np.ndarray] = {
            name: np.zeros(capacity, dtype=kind) for name, kind in COLUMNS.items()
        }
        self.firms: list[Firm] = []
        self._operating: tuple[np.ndarray, list[Firm]] | None = None

    def add(self, firm: Firm) -> int:
        """A row for a firm that came, placed at its ``xy_km``; -1 for a firm of a class not kept.
        Its quality, place in the census area and staff its sales support are written as the
        firm sets them (write).
        """
        group = self.order.get(type(firm))
        if group is None:
            return -1
        if self.size == len(self.columns["alive"]):
            for name, column in self.columns.items():
                self.columns[name] = np.concatenate([column, np.zeros_like(column)])
        row = self.size
        columns = self.columns
        columns["group"][row] = group
        columns["x_km"][row], columns["y_km"][row] = firm.xy_km
        columns["device"][row] = isinstance(firm, self.device)
        columns["spins_out"][row] = firm.parents_spinouts
        columns["alive"][row] = True
        self.firms.append(firm)
        self.size += 1
        self._operating = None
        return row

    def write(self, row: int, name: str, value: float) -> None:
        """Set the firm of ``row``'s number ``name`` (quality, in_census, census_part, sales_headcount)."""
        self.columns[name][row] = value

    def leave(self, row: int) -> None:
        """The firm of ``row`` no longer operates in the region."""
        self.columns["alive"][row] = False
        self._operating = None

    def operating(self) -> tuple[np.ndarray, list[Firm]]:
        """The rows of the firms operating now and the firms (read-only; do not change the
        list), in BioclusterModel.other_firms's order; kept until a firm comes or leaves.
        """
        kept = self._operating
        if kept is None:
            rows = np.flatnonzero(self.columns["alive"][: self.size])
            rows = rows[np.argsort(self.columns["group"][rows], kind="stable")]
            rows.flags.writeable = False
            firms = self.firms
            kept = self._operating = (rows, [firms[row] for row in rows.tolist()])
        return kept

    def positions(self, rows: np.ndarray) -> np.ndarray:
        """Positions of the firms of ``rows``, km (one row of x, y each), as CompanyTable.positions."""
        return np.column_stack([self.columns["x_km"][rows], self.columns["y_km"][rows]])

    def nearness(self, places: list[np.ndarray], reach_km: float, rows: np.ndarray) -> np.ndarray:
        """decay(d, ``reach_km``) for each firm of ``rows``, d its distance, km, from the nearest of
        ``places``, as CompanyTable.nearness. Computed when asked, not kept as the companies'
        is: only the hubs' membership drives ask for it (a few places, once a month each),
        where pharma scouting, incubators and hubs ask for every company's.
        """
        near = distances_km(np.array(places).reshape(-1, 2), self.positions(rows)).min(axis=0)
        return decay(near, reach_km)

    def headcount(self, firms: list[Firm]) -> np.ndarray:
        """The staff of each of ``firms`` now."""
        return np.fromiter([firm.headcount for firm in firms], np.int64, len(firms))

    def success(self, rows: np.ndarray, headcount: np.ndarray) -> np.ndarray:
        """Firm.success of the firms of ``rows`` whose staff are ``headcount``: a device or service
        firm's Medtech.success (its staff over those its sales support, at most 1), 1 for the others.
        """
        sales = self.columns["sales_headcount"][rows]
        share = np.maximum(headcount, 1) / np.maximum(sales, 1)
        return np.where(self.columns["device"][rows], np.minimum(share, 1.0), 1.0)
