"""Placing agents: a position in km within the region and the grid cell that holds it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np
from mesa.discrete_space import Cell, FixedAgent, OrthogonalMooreGrid

if TYPE_CHECKING:
    from ecosim.model import BioclusterModel


class UnlinkedCell(Cell):
    """A grid cell that holds agents and knows no neighbours (PlacementGrid).

    Its ``connections`` stay empty; whatever would read or make links raises instead, so that a
    mechanism written later cannot take an empty neighbourhood for a lonely place.
    """

    __slots__ = ()

    def get_neighborhood(self, radius: int = 1, include_center: bool = False) -> NoReturn:
        """Refused (see the class)."""
        raise NotImplementedError(_NO_LINKS)

    def _neighborhood(self, radius: int = 1, include_center: bool = False) -> NoReturn:
        """Refused (see the class)."""
        raise NotImplementedError(_NO_LINKS)

    def connect(self, other: Cell, key: object = None) -> NoReturn:
        """Refused (see the class)."""
        raise NotImplementedError(_NO_LINKS)


_NO_LINKS = "the model's grid places agents and keeps no neighbour links (agents/site.py: PlacementGrid)"


class PlacementGrid(OrthogonalMooreGrid):
    """The region's grid of cells, without Mesa's neighbour links.

    Agents sit in cells (a firm's translational support is read from its cell); every mechanism
    that involves nearness measures kilometres (mechanisms/proximity.py), and nothing walks from
    a cell to its neighbours. Mesa links each cell to its eight neighbours (19,404 links in
    Greater Tokyo's 50 x 50 cells, 54,984 in the Bay Area's 100 x 70), which took most of
    building a world (benchmarks/bench_grid.py: a world 0.070 -> 0.031 s and 0.125 -> 0.019 s),
    so the links are not made; see UnlinkedCell.
    """

    def __init__(self, dimensions: tuple[int, int], **kwargs: Any) -> None:
        super().__init__(dimensions, cell_klass=UnlinkedCell, **kwargs)

    def _connect_cells(self) -> None:
        """Make no links (see the class)."""


def cell_at(model: BioclusterModel, xy_km: np.ndarray) -> Cell:
    """The grid cell containing a point given in km from the region's origin."""
    km = model.cluster.region.km_per_cell
    col = min(int(xy_km[0] // km), model.grid.width - 1)
    row = min(int(xy_km[1] // km), model.grid.height - 1)
    return model.grid[(col, row)]


class Site(FixedAgent):
    """An agent at a fixed place: a name, a position in km and the grid cell holding it.

    Universities, hospitals, hubs, incubators and VC offices are sites; a startup is placed the
    same way but is a CellAgent, and a pharma is placed only when it opens a local site.

    Attributes:
        staff: people working at the site, counted only by the workforce column (the figures of
            parks that count everyone on site).
        in_census: whether the site lies in the scenario's census area.
    """

    def __init__(self, model: BioclusterModel, *, name: str, xy_km: np.ndarray, staff: int = 0) -> None:
        super().__init__(model)
        self.name = name
        self.xy_km = np.asarray(xy_km, dtype=float)
        self.cell = cell_at(model, self.xy_km)
        self.staff = staff
        self.in_census = model.in_census(self.xy_km)
