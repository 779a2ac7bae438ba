"""Placing agents: a position in km within the region and the grid cell that holds it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from mesa.discrete_space import FixedAgent

if TYPE_CHECKING:
    from mesa.discrete_space import Cell

    from ecosim.model import BioclusterModel


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
