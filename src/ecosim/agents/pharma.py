"""Pharmaceutical companies: scout, partner, acquire, host incubators, open local sites."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from mesa.discrete_space import CellAgent

from ecosim.agents.site import cell_at

if TYPE_CHECKING:
    from ecosim.agents.startup import Startup
    from ecosim.model import BioclusterModel

SITE_RAMP_YEARS = 5.0
"""Years a new local site takes to reach its full headcount (assumption)."""
SITE_QUALITY = 0.7
"""Quality of a pharma site as a parent of spinouts (assumption: experienced R&D staff)."""


class Pharma(CellAgent):
    """An established company (a pharma, or the parent of a branch); on the map only once it
    has a local site.

    Attributes:
        name: company name.
        branch: whether the site is a branch a hub drew in (a lab or office of an established
            company, CRO, device maker or service firm); a branch neither scouts nor buys.
        rd_budget: global R&D budget, USD m a year.
        open_innovation: propensity to partner with and buy startups, 0-1.
        has_site: whether it runs a site in the region.
        site_scripted: whether the scenario opens its site at a given date.
        headcount: staff at the local site.
        site_target: headcount the local site grows to.
        acquisitions: startups bought in the region.
        partnerships: licensing and R&D deals with startups in the region.
    """

    def __init__(
        self,
        model: BioclusterModel,
        *,
        name: str,
        rd_budget: float,
        open_innovation: float,
        branch: bool = False,
    ) -> None:
        super().__init__(model)
        self.name = name
        self.branch = branch
        self.rd_budget = rd_budget
        self.open_innovation = open_innovation
        self.has_site = False
        self.site_scripted = False
        self.xy_km = np.zeros(2)
        self.in_census = False
        self.headcount = 0
        self.peak_headcount = 0
        self.site_target = 0
        self.quality = SITE_QUALITY
        self.acquisitions = 0
        self.partnerships = 0
        self.spinouts = 0
        self.firm_id = -1
        self.lineage_root = -1
        self.generation = 0
        self.founded_year: float | None = None

    def step(self) -> None:
        """One month: staff the local site (scouting for deals runs in mechanisms.deals)."""
        if self.has_site:
            self.staff_site()

    def open_site(
        self,
        xy_km: np.ndarray,
        target_headcount: int,
        start_headcount: int = 30,
        established: float | None = None,
    ) -> None:
        """Open a local R&D site; it becomes a firm of the region (kind pharma_site).

        A site ``established`` before the run starts is already fully staffed; a new one hires
        ``start_headcount`` from the labour pool and grows from there.
        """
        if self.has_site:
            raise ValueError(f"{self.name} already has a site in the region")
        self.has_site = True
        self.xy_km = np.asarray(xy_km, dtype=float)
        self.cell = cell_at(self.model, self.xy_km)
        self.in_census = self.model.in_census(self.xy_km)
        self.site_target = target_headcount
        if established is not None:
            self.founded_year = established
            self.headcount = target_headcount
        else:
            self.founded_year = self.model.year
            self.headcount = self.model.labour.take(start_headcount)
        self.peak_headcount = self.headcount
        self.firm_id = self.lineage_root = self.unique_id
        self.model.register_firm(self)
        self.model.ledger.count("pharma_sites_opened")

    def staff_site(self) -> None:
        """Grow the site toward its target over SITE_RAMP_YEARS."""
        gap = self.site_target - self.headcount
        if gap > 0:
            wanted = max(1, int(self.site_target / (SITE_RAMP_YEARS * 12)))
            self.headcount += self.model.labour.take(min(gap, wanted))
            self.peak_headcount = max(self.peak_headcount, self.headcount)

    def absorb(self, startup: Startup, kept: int) -> None:
        """Take over an acquired startup; with a local site, keep ``kept`` of its staff there."""
        self.acquisitions += 1
        if self.has_site:
            self.headcount += kept
            self.site_target += kept
            self.peak_headcount = max(self.peak_headcount, self.headcount)
