"""Pharmaceutical companies and their local R&D sites."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from mesa import Agent

from ecosim.agents.firm import Fate, Firm, Origin
from ecosim.mechanisms import founding
from ecosim.rates import monthly_share

if TYPE_CHECKING:
    from ecosim.agents.startup import Startup
    from ecosim.model import BioclusterModel


@dataclass
class Cohort:
    """The staff of one acquired firm, still being integrated into a site or unit.

    Attributes:
        firm: the firm that was bought (the parent of what its leavers found).
        people: its staff still here.
        payout_per_head: USD m each was paid for their equity at the sale.
    """

    firm: Firm
    people: int
    payout_per_head: float


class Pharma(Agent):
    """A pharmaceutical company, global or local: it scouts the region's startups for
    partnerships and acquisitions (mechanisms.deals) and may run a local R&D site.

    The company itself is not a firm of the region and is not on the map; its site is.

    Attributes:
        name: company name.
        rd_budget: global R&D budget, USD m a year.
        open_innovation: propensity to partner with and buy startups, 0-1.
        site: its local R&D site, once it has one.
        units: the labs of firms it bought while it had no site here, which it runs as units.
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
        self.units: list[PharmaSite] = []
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

    def local_places(self) -> list[PharmaSite]:
        """Its site and the units it runs in the region, from which it scouts nearby."""
        places = [unit for unit in self.units if unit.active]
        return [self.site, *places] if self.site is not None else places

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
            self.model,
            company=self,
            xy_km=xy_km,
            target_headcount=target_headcount,
            start_headcount=start_headcount,
            established=established,
        )
        return self.site

    def absorb(self, startup: Startup, payout_per_head: float, kept: bool = False) -> None:
        """Take over a bought startup with all its staff, who leave over the following years.

        With a local site the staff join it; without one the bought firm's lab goes on as a unit
        of the buyer at its place (Hybritech under Lilly). A firm the buyer keeps as a site of
        its own (``kept``: Genentech under Roche, whose staff are documented after the sale)
        goes on as a unit at its place whatever the buyer runs here, and its staff are the
        unit's own, not a bought firm's to shed (KeptSite.keep_staff sets them).
        """
        self.acquisitions += 1
        cohort = Cohort(startup, startup.headcount, payout_per_head)
        if self.site is not None and not kept:
            self.site.take_on(cohort)
            return
        unit = (KeptSite if kept else PharmaSite)(
            self.model,
            company=self,
            xy_km=startup.xy_km,
            target_headcount=0,
            start_headcount=0,
            established=None,
            origin=Origin.ACQUISITION,
            bought=startup,
        )
        unit.take_on(cohort)
        self.units.append(unit)


class PharmaSite(Firm):
    """The local R&D site of a pharma company, or the unit a bought firm's lab became: it grows to
    its target headcount, takes on the staff of the startups its company buys and sheds them
    over the years after the sale, and its staff spin out like any firm's.

    Attributes (besides a Firm's):
        company: the pharma that runs it.
        site_target: headcount the site grows to.
        cohorts: staff of bought firms still being integrated (they leave at an elevated rate).
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
        origin: Origin = Origin.PHARMA_SITE,
        bought: Firm | None = None,
    ) -> None:
        # A site established before the run is fully staffed at the start and was not an
        # entry during the run.
        before = established is not None
        super().__init__(
            model,
            origin=Origin.PREEXISTING if before else origin,
            xy_km=xy_km,
            quality=bought.quality if bought is not None else model.constants.pharma_site_quality,
            headcount=target_headcount if before else model.labour.take(start_headcount),
            name=company.name if bought is None else f"{company.name} ({bought.label})",
            founded_year=established,
            parent=bought,
        )
        if bought is not None:
            # The same organisation under a new owner: its family tree goes on through it, in
            # the bought firm's own generation.
            self.generation = bought.generation
        self.company = company
        self.site_target = target_headcount
        self.cohorts: list[Cohort] = []

    def step(self) -> None:
        """One month: staff the site toward its target, shed the staff of bought firms."""
        self.staff_site()
        self.shed_acquired_staff()

    def staff_site(self) -> None:
        """Grow the site toward its target over Constants.site_ramp_years."""
        gap = self.site_target - self.headcount
        if gap > 0:
            wanted = max(1, int(self.site_target / (self.model.constants.site_ramp_years * 12)))
            self.hire(min(gap, wanted))

    def take_on(self, cohort: Cohort) -> None:
        """Take on the whole staff of a bought firm (they keep their jobs, for a while)."""
        self.cohorts.append(cohort)
        self.headcount += cohort.people
        self.site_target += cohort.people
        self.peak_headcount = max(self.peak_headcount, self.headcount)

    def shed_acquired_staff(self) -> None:
        """Staff of bought firms leave at the post-acquisition rate; leavers found firms at
        boosted odds (a reorganisation triggers spinouts), with part of their sale payout as seed
        money, if they are still looking for a job when they found (founding.release_talent);
        every leaver joins the labour pool. A unit left too small is closed.
        """
        c = self.model.constants
        self.match_cohorts_to_staff()
        departing = monthly_share(c.acquired_staff_departure_year)
        for cohort in list(self.cohorts):
            leaving = int(self.model.rng.binomial(cohort.people, departing))
            if leaving == 0:
                continue
            cohort.people -= leaving
            self.headcount -= leaving
            self.site_target -= leaving
            founding.release_talent(
                self.model,
                cohort.firm,
                leaving,
                boost=c.reorganisation_founding_boost,
                seed_musd=c.payout_invested_share * cohort.payout_per_head,
            )
            if cohort.people == 0:
                self.cohorts.remove(cohort)
        if self.origin == Origin.ACQUISITION and self.headcount < c.unit_min_staff:
            self.close(Fate.CLOSED)

    def match_cohorts_to_staff(self) -> None:
        """The bought staff still here are never more than the site's staff: people the site lost
        otherwise (vacancies the labour pool could not fill, founders who left to start a firm)
        are taken from its cohorts, the oldest first, so nobody leaves twice.
        """
        excess = sum(cohort.people for cohort in self.cohorts) - self.headcount
        for cohort in list(self.cohorts):
            if excess <= 0:
                break
            gone = min(excess, cohort.people)
            cohort.people -= gone
            excess -= gone
            if cohort.people == 0:
                self.cohorts.remove(cohort)

    def close(self, fate: Fate) -> None:
        """The owner closes the site; whoever is left joins the labour pool."""
        self.model.labour.release(self.headcount)
        self.cohorts.clear()
        self.model.ledger.count("sites_closed")
        super().close(fate)


class KeptSite(PharmaSite):
    """A bought firm its buyer kept as a site of its own (Genentech under Roche): its staff are
    the site's, not a bought firm's being integrated and shed, and they follow the firm's
    documented headcounts after the sale (mechanisms/history.py calls keep_staff).

    Attributes (besides a PharmaSite's):
        bought: the name of the firm it was.
    """

    stage_label: ClassVar[str] = "kept site"

    def __init__(self, model: BioclusterModel, *, bought: Firm, **kwargs: Any) -> None:
        super().__init__(model, bought=bought, **kwargs)
        self.bought = bought.name

    def take_on(self, cohort: Cohort) -> None:
        """Keep the bought firm's whole staff as the site's own."""
        self.headcount += cohort.people
        self.site_target += cohort.people
        self.peak_headcount = max(self.peak_headcount, self.headcount)

    def keep_staff(self, staff: int) -> None:
        """Employ the bought firm's documented ``staff``: hire the difference from the labour
        pool (which holds them: history.come_for_documented_jobs), or let the excess go to the
        pool, founding at the boosted odds of a reorganisation after a sale (no sale payout as
        seed money: the count may come years after the sale); the site then keeps that staff,
        hiring back toward it when people leave, not beyond (staff_site).
        """
        if staff > self.headcount:
            self.hire(staff - self.headcount)
        elif staff < self.headcount:
            leaving = self.headcount - staff
            self.headcount = staff
            boost = self.model.constants.reorganisation_founding_boost
            founding.release_talent(self.model, self, leaving, boost=boost)
        self.site_target = staff
