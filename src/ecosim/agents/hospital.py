"""Translational hospitals: they raise the odds of clinical milestones for nearby startups."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from mesa.discrete_space import FixedAgent

from ecosim.agents.site import cell_at

if TYPE_CHECKING:
    from ecosim.model import BioclusterModel


class Hospital(FixedAgent):
    """A hospital at a fixed site.

    Attributes:
        name: its name.
        translational_capacity: how much clinical and translational support it gives, 0-1.
    """

    def __init__(
        self, model: BioclusterModel, *, name: str, xy_km: np.ndarray, translational_capacity: float
    ) -> None:
        super().__init__(model)
        self.name = name
        self.kind = "hospital"
        self.xy_km = np.asarray(xy_km, dtype=float)
        self.cell = cell_at(model, self.xy_km)
        self.translational_capacity = translational_capacity
