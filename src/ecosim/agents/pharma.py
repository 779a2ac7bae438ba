"""Pharmaceutical companies and their local R&D sites."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np
from mesa import Agent

from ecosim.agents.firm import Firm, Origin

if TYPE_CHECKING:
    from ecosim.agents.startup import Startup
    from ecosim.model import BioclusterModel

SITE_RAMP_YEARS = 5.0
"""Years a new local site takes to reach its full headcount (assumption)."""
SITE_QUALITY = 0.7
"""Quality of a pharma site as a parent of spinouts (assumption: experienced R&D staff)."""


class Pharma(Agent):
    """A pharmaceutical company, global or local: it scouts the region's startups for
    partnerships and acquisitions (mechanisms.deals) and may run a local R&D site.

    The company itself is not a firm of the region and is not on the map; its site is.

    Attributes:
        name: company name.
        rd_budget: global R&D budget, USD m a year.
        open_innovation: propensity to partner with and buy startups, 0-1.
        site: its local R&D site, once it has one.
        site_scripted: whether the scenario opens its site at a given date.
        active_from: decimal year from which it scouts the region (it was not in the market
            before: Kyowa Kirin did not buy San Diego firms in the 1980s).
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
        active_from: float | None = None,
    ) -> None:
        super().__init__(model)
        self.active_from = model.year if active_from is None else active_from
        self.name = name
        self.rd_budget = rd_budget
        self.open_innovation = open_innovation
        self.site: PharmaSite | None = None
        self.site_scripted = False
        self.acquisitions = 0
        self.partnerships = 0

    @property
    def in_market(self) -> bool:
        """Whether it acts in the region's market this month."""
        return self.model.year >= self.active_from

    @property
    def has_site(self) -> bool:
        """Whether it runs a site in the region."""
        return self.site is not None

    def open_site(
        self,
        xy_km: np.ndarray,
        target_headcount: int,
        start_headcount: int = 30,
        established: float | None = None,
    ) -> PharmaSite:
        """Open its local R&D site (a firm of the region).

        A site ``established`` before the run starts is already fully staffed; a new one hires
        ``start_headcount`` from the labour pool and grows from there.
        """
        if self.site is not None:
            raise ValueError(f"{self.name} already has a site in the region")
        self.site = PharmaSite(
            self.model, company=self, xy_km=xy_km, target_headcount=target_headcount,
            start_headcount=start_headcount, established=established,
        )
        return self.site

    def absorb(self, startup: Startup, kept: int) -> None:
        """Take over an acquired startup; with a local site, keep ``kept`` of its staff there."""
        self.acquisitions += 1
        if self.site is not None:
            self.site.take_on(kept)


class PharmaSite(Firm):
    """The local R&D site of a pharma company: it grows to its target headcount, takes on
    staff of the startups its company buys, and its staff spin out like any firm's.

    Attributes (besides a Firm's):
        company: the pharma that runs it.
        site_target: headcount the site grows to.
    """

    kind: ClassVar[str] = "pharma_site"

    def __init__(
        self,
        model: BioclusterModel,
        *,
        company: Pharma,
        xy_km: np.ndarray,
        target_headcount: int,
        start_headcount: int,
        established: float | None,
    ) -> None:
        # A site established before the run is fully staffed at the start and was not an
        # entry during the run.
        before = established is not None
        super().__init__(
            model,
            origin=Origin.PREEXISTING if before else Origin.PHARMA_SITE,
            xy_km=xy_km,
            quality=SITE_QUALITY,
            headcount=target_headcount if before else model.labour.take(start_headcount),
            name=company.name,
            founded_year=established,
        )
        self.company = company
        self.site_target = target_headcount

    def step(self) -> None:
        """One month: staff the site toward its target."""
        self.staff_site()

    def staff_site(self) -> None:
        """Grow the site toward its target over SITE_RAMP_YEARS."""
        gap = self.site_target - self.headcount
        if gap > 0:
            wanted = max(1, int(self.site_target / (SITE_RAMP_YEARS * 12)))
            self.hire(min(gap, wanted))

    def take_on(self, people: int) -> None:
        """Take on staff of an acquired startup (they keep their jobs here)."""
        self.headcount += people
        self.site_target += people
        self.peak_headcount = max(self.peak_headcount, self.headcount)
