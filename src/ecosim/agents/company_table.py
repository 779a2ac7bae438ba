"""The numbers of every company of a run, held as arrays: one row per company, one column per
number.

A Startup stays a Mesa agent (identity, place, lineage, the browser view); the numbers that the
month's arithmetic reads for every company (cash, staff, stage, ...) live in its row of the
model's CompanyTable, and the agent's attributes read and write that row (Column). So the model
can step, count and scout the whole population with numpy, without copying numbers out of the
agents and back each month (agents/startup.py: CompanyMonth).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

import numpy as np

from ecosim.mechanisms.proximity import decay, distances_km

if TYPE_CHECKING:
    from ecosim.agents.startup import Startup

COLUMNS: dict[str, type] = {
    "cash": np.float64,
    "headcount": np.int64,
    "posts_target": np.int64,
    "market_headcount": np.float64,
    "documented_market": np.float64,
    "doubt": np.float64,
    "quality": np.float64,
    "support": np.float64,
    "stage_index": np.int64,
    "public": np.bool_,
    "seeking": np.bool_,
    "seated": np.bool_,
    "graduated": np.bool_,
    "hub_member": np.bool_,
    "in_census": np.bool_,
    "census_part": np.int64,
    "milestones": np.int64,
    "milestones_at_last_round": np.int64,
    "rounds": np.int64,
    "outside_backers": np.int64,
    "progress_step": np.int64,
    "x_km": np.float64,
    "y_km": np.float64,
    "founded_step": np.int64,
    "seated_step": np.int64,
    "alive": np.bool_,
    "anchor": np.bool_,
}
"""The table's columns and their types (alive: the company still operates in the region;
anchor: a historical founding the scenario scripts, Origin.ANCHOR; hub_member: on at least one
hub's roll, hub.Roll, which keeps it; posts_target: the staff it last opened posts for, Startup.staff_up;
census_part: the part of the census area counted apart it lies in, -1 for none, Region.counted_apart;
documented_market: the part of market_headcount an anchor's last documented headcount set, which
does not fade, mechanisms/history.py; seated_step: the month it took its incubator seat,
Startup.seat)."""


class CompanyTable:
    """The rows of every company a run has had (rows are never reused: a closed company's numbers
    stay readable for the firm table).
    """

    def __init__(self, capacity: int = 256) -> None:
        """An empty table with room for ``capacity`` companies (it grows as needed)."""
        self.size = 0
        self.columns: dict[str, np.ndarray] = {
            name: np.zeros(capacity, dtype=kind) for name, kind in COLUMNS.items()
        }
        self.firms: list[Startup] = []
        self._alive_rows: np.ndarray | None = None
        # Distances from the places that reach out to companies: one row per place, one column
        # per company (room for ``capacity``), measured for the first ``_measured`` companies.
        self._places: dict[tuple[float, float], int] = {}
        self._place_xy = np.empty((0, 2))
        self._distances = np.empty((0, capacity))
        self._measured = 0
        self._placed: dict[Hashable, tuple[np.ndarray, int]] = {}
        self._nearness: dict[tuple[tuple[tuple[float, float], ...], float], tuple[np.ndarray, int]] = {}

    def add(self, firm: Startup) -> int:
        """A row for a new company (zeros until its attributes are set); return its index."""
        if self.size == len(self.columns["cash"]):
            for name, column in self.columns.items():
                self.columns[name] = np.concatenate([column, np.zeros_like(column)])
        self.firms.append(firm)
        self.size += 1
        return self.size - 1

    def column(self, name: str) -> np.ndarray:
        """A column over the rows in use (a view)."""
        return self.columns[name][: self.size]

    def alive_rows(self) -> np.ndarray:
        """Rows of the companies still operating, oldest first (read-only).

        A month asks for them a score of times (every mechanism that reads the table) and they
        change only when a company enters or leaves: they are kept until the alive column is
        set (AliveColumn), not found again at every call.
        """
        rows = self._alive_rows
        if rows is None:
            rows = self._alive_rows = np.flatnonzero(self.column("alive"))
            rows.flags.writeable = False
        return rows

    def forget_alive_rows(self) -> None:
        """The alive column changed: alive_rows finds the rows again when next asked."""
        self._alive_rows = None

    def count(self, *names: str) -> int:
        """Companies still operating whose boolean columns ``names`` are all true."""
        chosen = self.column("alive")
        for name in names:
            chosen = chosen & self.column(name)
        return int(np.count_nonzero(chosen))

    def positions(self, rows: np.ndarray) -> np.ndarray:
        """Positions of the companies in ``rows``, km (one row of x, y each)."""
        return np.column_stack([self.columns["x_km"][rows], self.columns["y_km"][rows]])

    def placed(
        self, key: Hashable, compute: Callable[[np.ndarray], np.ndarray], rows: np.ndarray
    ) -> np.ndarray:
        """``compute(rows)`` for a number that depends only on where each company sits, named
        ``key``: companies do not move, so it is computed once for each company, the first time
        it is asked for, and read afterwards. ``compute`` must give each company's number
        whatever companies are asked with it.
        """
        known, count = self._placed.get(key, (None, 0))
        if known is None or count < self.size:
            new = compute(np.arange(count, self.size))
            known = new if known is None else np.concatenate([known[:count], new])
            self._placed[key] = (known, self.size)
        return known[rows]

    def distances_km(self, xy_km: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Distance, km, from the place ``xy_km`` to each company in ``rows``.

        Companies do not move, and the places that reach out to them every month (hubs,
        incubators, pharma sites) do not either: each company's distance from a place is
        measured once and read afterwards. The companies founded since the last measure are
        measured from every known place at once (one computation a month or so, not one per
        place and month); a place asked for the first time is measured to every company.
        """
        index = self._place_index((float(xy_km[0]), float(xy_km[1])))
        return self._distances[index, rows]

    def _place_index(self, place: tuple[float, float]) -> int:
        """The row of ``place`` in the known distances, every company measured from it.

        The known distances have room for more places than are known (the first
        len(_place_xy) rows are in use) and for more companies than there are: a place or a
        company that comes is measured into the room, not into a copy of every distance.
        """
        index = self._places.get(place)
        used = len(self._place_xy)
        rooms, capacity = self._distances.shape[0], len(self.columns["cash"])
        if index is None and used == rooms:
            rooms = max(8, 2 * rooms)
        if self._distances.shape != (rooms, capacity):
            grown = np.empty((rooms, capacity))
            grown[:used, : self._measured] = self._distances[:used, : self._measured]
            self._distances = grown
        if index is None:
            index = self._places[place] = used
            self._place_xy = np.vstack([self._place_xy, place])
            measured = np.arange(self._measured)
            self._distances[index, measured] = distances_km(np.array(place), self.positions(measured))[0]
            used += 1
        if self._measured < self.size:
            new = np.arange(self._measured, self.size)
            self._distances[:used, new] = distances_km(self._place_xy, self.positions(new))
            self._measured = self.size
        return index

    def nearness(self, places: list[np.ndarray], reach_km: float, rows: np.ndarray) -> np.ndarray:
        """decay(d, ``reach_km``) for each company in ``rows``, d its distance, km, from the
        nearest of ``places`` (proximity.decay of the least of the places' distances_km).

        Like the distances, the nearness from a set of places at a given reach is computed once
        for each company and read afterwards (pharma scouting asks for it every month). It is
        kept for each set of places and reach asked for: a hub and its shared lab ask from the
        same place at different reaches, and a reach changes only when the factors do.
        """
        key = (tuple((float(xy[0]), float(xy[1])) for xy in places), float(reach_km))
        known, count = self._nearness.get(key, (np.empty(0), 0))
        if count < self.size:
            capacity = len(self.columns["cash"])
            if len(known) < capacity:
                known = np.concatenate([known[:count], np.empty(capacity - count)])
            indices = [self._place_index(place) for place in key[0]]  # measures new companies
            if len(indices) == 1:
                near = self._distances[indices[0], count : self.size]
            else:
                near = self._distances[indices, count : self.size].min(axis=0)
            known[count : self.size] = decay(near, reach_km)
            self._nearness[key] = (known, self.size)
        return known[rows]


class Column:
    """An attribute of a company kept in its row of the model's CompanyTable.

    On the class it is a plain ``property`` (attribute): CPython specialises reading a property,
    not a descriptor class, whose ``__get__`` it calls as a method (a read costs about half).
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def attribute(self) -> Any:
        """What the class holds: a property that reads and writes the company's row."""
        name = self.name

        def read(firm: Any) -> Any:
            return firm.table.columns[name].item(firm.row)

        def write(firm: Any, value: Any) -> None:
            firm.table.columns[name][firm.row] = value

        return property(read, write, doc=f"The company's {name} (its row of the CompanyTable).")


class AliveColumn(Column):
    """The alive column of a company: setting it also tells the table that its alive rows
    changed (CompanyTable.alive_rows).
    """

    def attribute(self) -> Any:
        """Column.attribute, whose writing also forgets the table's alive rows."""
        plain = super().attribute()

        def write(firm: Any, value: Any) -> None:
            plain.fset(firm, value)
            firm.table.forget_alive_rows()

        return plain.setter(write)


class RowsColumn:
    """The same attribute over a set of rows, as an array (Companies): reading gathers the rows,
    assigning writes them back.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def attribute(self) -> Any:
        """What the class holds: the descriptor itself."""
        return self

    def __get__(self, month: Any, owner: type | None = None) -> Any:
        if month is None:
            return self
        return month.table.columns[self.name][month.rows]

    def __set__(self, month: Any, value: Any) -> None:
        month.table.columns[self.name][month.rows] = value


class AliveRowsColumn(RowsColumn):
    """The alive column over a set of rows: setting it also tells the table that its alive rows
    changed (CompanyTable.alive_rows).
    """

    def __set__(self, month: Any, value: Any) -> None:
        month.table.columns[self.name][month.rows] = value
        month.table.forget_alive_rows()


ALIVE_KIND: dict[type[Column | RowsColumn], type[Column | RowsColumn]] = {
    Column: AliveColumn,
    RowsColumn: AliveRowsColumn,
}
"""The descriptor of the alive column for each kind of descriptor (it keeps alive_rows up to date)."""


def stored_in_table[T: type](descriptor: type[Column | RowsColumn]) -> Callable[[T], T]:
    """A class decorator: every column of COLUMNS becomes an attribute of the class, read from
    and written to the table through ``descriptor`` (the columns are declared once, above).
    """

    def decorate(cls: T) -> T:
        for name in COLUMNS:
            kind = ALIVE_KIND[descriptor] if name == "alive" else descriptor
            setattr(cls, name, kind(name).attribute())
        return cls

    return decorate
