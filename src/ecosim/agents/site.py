"""Placing agents: a position in km within the region and the grid cell that holds it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from mesa.discrete_space import Cell

    from ecosim.model import BioclusterModel


def cell_at(model: BioclusterModel, xy_km: np.ndarray) -> Cell:
    """The grid cell containing a point given in km from the region's origin."""
    km = model.cluster.region.km_per_cell
    col = min(int(xy_km[0] // km), model.grid.width - 1)
    row = min(int(xy_km[1] // km), model.grid.height - 1)
    return model.grid[(col, row)]
