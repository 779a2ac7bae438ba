"""Translational hospitals: they raise the odds of clinical milestones for nearby startups."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents.site import Site

if TYPE_CHECKING:
    from ecosim.model import BioclusterModel


class Hospital(Site):
    """A hospital at a fixed site.

    Attributes:
        name: its name.
        translational_capacity: how much clinical and translational support it gives, 0-1.
        talent_per_year: trainees (residents, fellows, research staff) entering the regional
            labour pool a year (mechanisms/labour.py: graduate).
    """

    def __init__(
        self,
        model: BioclusterModel,
        *,
        name: str,
        xy_km: np.ndarray,
        translational_capacity: float,
        talent_per_year: int = 0,
        staff: int = 0,
    ) -> None:
        super().__init__(model, name=name, xy_km=xy_km, staff=staff)
        self.kind = "hospital"
        self.translational_capacity = translational_capacity
        self.talent_per_year = talent_per_year
