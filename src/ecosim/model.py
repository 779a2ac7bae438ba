"""BioclusterModel: builds a cluster from a Scenario and runs it one month at a time."""

from __future__ import annotations

import functools
import itertools
import math
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
from mesa import Model

from ecosim import metrics
from ecosim.activation import shuffle_do_step
from ecosim.agents import (
    Branch,
    Firm,
    Hospital,
    HubOrganization,
    Incubator,
    Medtech,
    Origin,
    Pharma,
    PharmaSite,
    Startup,
    University,
    VentureCapital,
    medtech,
)
from ecosim.agents.company_table import CompanyTable
from ecosim.agents.firm import CONTINUING_ORIGINS, ENTRY_COUNTER
from ecosim.agents.incubator import SeatRule
from ecosim.agents.medtech import step_medtechs
from ecosim.agents.other_table import OtherFirmTable
from ecosim.agents.site import PlacementGrid
from ecosim.agents.startup import Companies, stage_team
from ecosim.census import CensusArea
from ecosim.constants import Constants, fitted
from ecosim.geography import LandMap
from ecosim.ledger import Ledger
from ecosim.mechanisms import arrival, deals, founding, funding, history
from ecosim.mechanisms.labour import LabourPool, graduate, turn_over
from ecosim.mechanisms.listing_market import ListingMarket
from ecosim.mechanisms.policy import PolicyState
from ecosim.mechanisms.projects import ProjectStream
from ecosim.mechanisms.proximity import decay, distances_km
from ecosim.money import round_size_index
from ecosim.scenario import FACTOR_NAMES, Anchor, Scenario, ScriptedEvent

STREAMS = ("discoveries", "spinouts", "arrivals", "hub_draws", "outside_members", "tenants", "kinds")
"""Named random streams of the model (see BioclusterModel.streams)."""


Call = tuple[Callable[..., Any], tuple]
"""A call the model makes later: ``function(model, *args)``."""


@functools.cache
def family(kind: type) -> tuple[type, ...]:
    """``kind`` and its subclasses, depth first (the agent classes are all defined on import:
    a lookup, cached, instead of asking every class of the model whether it is one).
    """
    subclasses: list[type] = kind.__subclasses__()
    return (kind, *(cls for sub in subclasses for cls in family(sub)))


class BioclusterModel(Model):
    """An agent-based model of one life-science cluster.

    One step is one month. The activation order each month: policies and the project stream
    update; institutions make discoveries (academic spinouts); hubs recruit, hold events,
    run shared labs and (park operators) draw branches in; incubators seat startups and let
    free seats to outsiders; pharma staff their sites; device and service firms grow on their
    sales or leave; pharma scout for deals; companies burn
    cash, reach milestones, list or fail; the round market clears; staff spin out; outsiders
    arrive; VCs raise funds; data is collected.
    Scripted history (anchor firms, a 1986 acquisition, openings) runs from Mesa's event
    list between months.
    """

    def __init__(
        self,
        scenario: Scenario,
        rng: int | np.random.SeedSequence | None = None,
        constants: Constants | None = None,
    ) -> None:
        """Build the world of ``scenario``.

        Args:
            scenario: the validated scenario.
            rng: seed (int or numpy SeedSequence) for every random draw of the run.
            constants: mechanism constants; the package's fitted defaults when None.
        """
        super().__init__(rng=rng)
        self._calendar_time = math.nan  # no month computed yet (_calendar)
        self._calendar_now = (0, 0.0)
        self.cluster = scenario
        self.constants = constants or fitted()
        self._round_sizes: tuple[Constants, np.ndarray] | None = None
        region = scenario.region
        self.grid = PlacementGrid((region.width, region.height), torus=False, random=self.random)
        self.size_km = (region.width * region.km_per_cell, region.height * region.km_per_cell)
        self.census = CensusArea.of(region)
        self.land = LandMap.of(scenario)
        # The draws of each fitted rate come from a stream of their own (spawned from the
        # model's generator), so that changing one rate leaves the others' draws as they were:
        # common random numbers across a calibration step or a lever arm.
        self.streams = dict(zip(STREAMS, self.rng.spawn(len(STREAMS)), strict=True))
        self.ledger = Ledger()
        self.companies = CompanyTable()
        # The other firms' numbers, in other_firms's order: pharma sites, branches, device firms.
        order = (*family(PharmaSite), *family(Branch), *family(Medtech))
        self.other_firm_table = OtherFirmTable({cls: i for i, cls in enumerate(order)}, Medtech)
        self._vc_positions = np.empty((0, 2))
        self.labour = LabourPool()
        self.firms: list[Firm] = []
        self.lineage_counts: Counter[int] = Counter()
        self.largest_lineage = 0
        """The most firms any lineage has had (the largest of lineage_counts, kept as they grow)."""
        self.deals: list[funding.Deal] = []
        self.pending: dict[int, list[Call]] = {}
        """Calls due just before a month, by month, in the order they were made (at_month)."""
        self.script = history.Script.of(scenario)
        self.listing_market = ListingMarket(self, scenario.listing_market, scenario.listing_market_share)
        self.policy = PolicyState.at(scenario, self.year)
        self.projects = ProjectStream(self)
        self.factors: dict[str, float] = {}
        self.seat_rule: SeatRule | None = None
        """Who may hold an incubator seat, during the incubators' turns of a month (step)."""
        # The month's state exists before the world is built: history scheduled for the first
        # month (a fund opening in the start year) runs while it is built.
        self.translational_field = self.compute_translational_field()
        self.begin_month()
        self.build_world()
        self.begin_month()
        self.datacollector = metrics.MonthlyCollector(
            model_reporters={**metrics.MODEL_REPORTERS, **metrics.part_reporters(self)}
        )
        self.running = True

    def xy(self, lat: float, lon: float) -> np.ndarray:
        """A WGS84 point in km from the region's south-west corner."""
        return np.array(self.cluster.region.to_km(lat, lon))

    def in_census(self, xy_km: np.ndarray) -> bool:
        """Whether a point lies in the area the source's figures count (the whole region when
        the scenario names no census area).
        """
        if not self.census:
            return True
        return self.census.contains(float(xy_km[0]), float(xy_km[1]))

    def census_part(self, xy_km: np.ndarray) -> int:
        """Which part of the census area counted apart a point lies in (Region.counted_apart, by
        its place there), -1 for none.
        """
        return self.census.part_of(float(xy_km[0]), float(xy_km[1])) if self.census.parts else -1

    @property
    def month_index(self) -> int:
        """Months since the start; month 0 is January of the start year."""
        return self._calendar()[0]

    @property
    def month_step(self) -> int:
        """Mesa's count of the month under way: ``steps`` during a month's step, and the step about
        to begin for calls made between months (founders who start firms months after a layoff,
        anchors, scripted events, the world built before the first month), which Mesa has not
        counted yet. The clocks of firms and funds (founded_step, progress_step, fund_started)
        read it, so a firm founded between months is as old as one founded in the month that
        follows, not a month older.
        """
        return self.month_index + 1

    @property
    def year(self) -> float:
        """Decimal calendar year of the current month."""
        return self._calendar()[1]

    def _calendar(self) -> tuple[int, float]:
        """month_index and year, computed once for each value of Mesa's time (a month reads
        them some hundred times).
        """
        time = self.time
        if time != self._calendar_time:
            month = max(0, math.ceil(time) - 1)
            self._calendar_time, self._calendar_now = time, (month, self.cluster.start_year + month / 12.0)
        return self._calendar_now

    def month_of(self, year: int, month: int = 1) -> int:
        """Month index of a calendar month."""
        return (year - self.cluster.start_year) * 12 + month - 1

    def at_month(self, month_index: int, function: Callable[..., Any], *args: Any) -> None:
        """Run ``function(model, *args)`` just before month ``month_index`` (now if past)."""
        now = self.month_index
        if month_index <= now and self.steps == 0:
            function(self, *args)
            return
        month = max(month_index, now + 1)
        if month not in self.pending:
            # One event on Mesa's list for each month with calls due, not one per call.
            self.pending[month] = []
            self.schedule_event(self.make_pending_calls, at=month + 0.5)
        self.pending[month].append((function, args))

    def make_pending_calls(self) -> None:
        """Make the calls due before the coming month, in the order they were made."""
        for function, args in self.pending.pop(self.month_index):
            function(self, *args)

    def later(self, months: float, function: Callable[..., Any], *args: Any) -> None:
        """Run ``function(model, *args)`` ``months`` months from now."""
        self.at_month(self.month_index + max(1, int(months)), function, *args)

    def build_world(self) -> None:
        """Place institutions, hubs, incubators, pharma, VCs, and schedule the history."""
        s = self.cluster
        for inst in s.institutions:
            self.at_month(self.month_of(inst.opened or s.start_year), _open_institution, inst)
        for hub in s.hubs:
            self.at_month(self.month_of(hub.founded), _open_hub, hub)
        for inc in s.incubators:
            self.at_month(self.month_of(inc.opened), _open_scenario_incubator, inc)
        for spec in s.pharma:
            pharma = Pharma(
                self,
                name=spec.name,
                rd_budget=spec.rd_budget_musd,
                open_innovation=spec.open_innovation,
                active_from=float(s.active_from(spec)),
            )
            if spec.site is not None and spec.site_opened is not None:
                # Its site opens when history says, not earlier through the arrival channel
                # (the schema requires site_opened with a site).
                pharma.site_scripted = True
                self.at_month(self.month_of(spec.site_opened), _open_named_site, pharma, spec)
        for vc in s.vcs:
            self.at_month(self.month_of(vc.founded), _open_scenario_vc, vc)
        for policy in s.active_policies():
            if policy.channel == "vc_fund" and policy.budget_musd > 0:
                month = self.month_of(policy.year, policy.month)
                self.at_month(month, _open_policy_fund, policy.name, policy.budget_musd)
        # Only the institutions open at the start have trained people already in the region and
        # draw the firms already there; the others arrive with their opening.
        at_start = [i for i in s.institutions if (i.opened or s.start_year) <= s.start_year]
        self.labour.add(self.constants.talent_pool_years * sum(i.talent_per_year for i in at_start))
        # The firms there at the start settle near an institution: the spots measured once.
        spots = [self.xy(i.lat, i.lon) for i in at_start] or [np.array(self.size_km) / 2]
        for _ in range(s.initial_firms):
            self.seed_existing_firm(spots)
        for anchor in s.anchors:
            self.at_month(self.month_of(anchor.year, anchor.month), _found_anchor, anchor)
            counts = [
                (self.month_of(e.year, e.month), e.headcount)
                for e in self.script.counts.get(anchor.name, [])
                if e.headcount is not None
            ]
            for month, staff in history.staff_path(counts):
                self.at_month(month, history.follow_staff, anchor.name, staff)
        for event in s.events:
            self.at_month(self.month_of(event.year, event.month), _scripted_event, event)

    def seed_existing_firm(self, spots: list[np.ndarray]) -> None:
        """A firm already in the region at the start (not counted as a founding), settled near
        one of ``spots`` drawn at random: a device, diagnostics or service firm at the scenario's
        share of them (Scenario.existing_medtech_share), else a drug developer.

        Every firm draws a drug developer's numbers from ``model.rng`` in one order, whatever its
        kind, and its kind and a device firm's own numbers come from the ``kinds`` stream: the
        share moves no firm's place or quality, and at 0 the model draws as it did with drug
        developers alone (common random numbers across shares).
        """
        c = self.constants
        where = self.settle_near(spots[int(self.rng.integers(len(spots)))], 5.0)
        stage = int(self.rng.integers(0, 3))
        quality = founding.inherited_quality(self, None)
        # Met part-way through its round and its stage, not just funded and just past a
        # milestone: otherwise the whole cohort runs out of cash in one month and meets its
        # board's patience in one month (stage_patience_years after the start; in seed 1, 90 of
        # Greater Tokyo's 300 closed in January 2027), a die-off of the model's start, not of the
        # region. Where each firm is in both: uniform (assumption: a population in steady state).
        # The patience is a month at least (constants.AT_LEAST_A_MONTH): one month to draw from.
        cash_left = self.rng.random()
        since = int(self.rng.integers(0, round(c.stage_patience_years * 12)))
        share = self.cluster.existing_medtech_share(c.medtech_share)
        if share > 0.0 and self.streams["kinds"].random() < share:
            self.seed_existing_medtech(where, quality)
            return
        firm = Startup(
            self,
            xy_km=where,
            origin=Origin.PREEXISTING,
            quality=quality,
            cash=self.round_size(stage),
            headcount=int(stage_team(c, self.year, stage)),
        )
        firm.stage_index = firm.milestones = stage
        firm.cash *= cash_left
        firm.progress_step = self.month_step - since

    def seed_existing_medtech(self, where: np.ndarray, quality: float) -> None:
        """A device, diagnostics or service firm already in the region, where its age has brought
        it: its age drawn from the steady state of its exit hazard (exponential at
        ``medtech_exit_rate_year``; in a population of constant hazard the ages of those alive are
        so distributed), its staff those the growth rule reaches at that age (medtech.grown_staff),
        the staff its sales support below the scenario's ``initial_firm_max_staff`` (the count the
        firms stand for holds no larger firm). Its staff come with it, as a drug developer's do,
        not from the labour pool. Drawn from the ``kinds`` stream.
        """
        c = self.constants
        sales = medtech.sales_headcount(self, quality, at_most=self.cluster.initial_firm_max_staff)
        rate = c.medtech_exit_rate_year
        if rate > 0.0:
            age_years = float(self.streams["kinds"].exponential(1.0 / rate))
            staff = medtech.grown_staff(sales, int(age_years * 12), c.founding_team, c.medtech_growth_year)
        else:
            staff = sales  # no firm ever leaves: the steady state's firms are all at their size
        Medtech(self, origin=Origin.PREEXISTING, xy_km=where, quality=quality, headcount=staff, sales=sales)

    def round_size(self, stage: int) -> float:
        """USD m (2000 prices) of a venture round at ``stage`` this year: the constants' 2000s
        size times the era's index (money.round_size_index): a 1980 round was smaller.
        """
        sizes = self._round_sizes
        if sizes is None or sizes[0] is not self.constants:
            # The constants' sizes as an array, made once (the constants do not change in a run).
            sizes = self._round_sizes = (self.constants, np.asarray(self.constants.round_size_musd))
        return sizes[1][stage] * self.round_index

    def settle_near(self, centre_km: np.ndarray, radius_km: float) -> np.ndarray:
        """A place on land in the region about ``radius_km`` from ``centre_km``."""
        return self.land.settle_near(self.rng, centre_km, radius_km)

    def register_firm(self, firm: Firm) -> None:
        """Keep every firm ever present (firm table, lineages) and count its entry in the
        ledger counter of its origin.
        """
        self.firms.append(firm)
        if firm.origin not in CONTINUING_ORIGINS:  # a bought firm's unit is no new firm of its lineage
            self.lineage_counts[firm.lineage_root] += 1
            self.largest_lineage = max(self.largest_lineage, self.lineage_counts[firm.lineage_root])
        counter = ENTRY_COUNTER.get(firm.origin)
        if counter is not None:
            self.ledger.count(counter)

    def add_pharma(self) -> Pharma:
        """A new (unnamed) global pharma comes into view."""
        count = sum(1 for p in self.pharma_list if p.name.startswith("Global pharma"))
        return Pharma(self, name=f"Global pharma {count + 1}", rd_budget=3000.0, open_innovation=0.5)

    def open_vc(self, xy_km: np.ndarray, capital: float, origin: str, name: str = "") -> VentureCapital:
        """Open a VC office."""
        name = name or f"{origin.title()} VC {len(self.vc_list) + 1}"
        vc = VentureCapital(self, name=name, xy_km=xy_km, capital=capital, origin=origin)
        self.ledger.count("vcs_opened")
        return vc

    def open_incubator(
        self,
        *,
        name: str,
        kind: str,
        xy_km: np.ndarray,
        seats: int,
        host: str | None = None,
        seed_cheque: float = 0.0,
    ) -> Incubator:
        """Open an incubator, shared lab, accelerator or coworking centre."""
        return Incubator(
            self, name=name, kind=kind, xy_km=xy_km, seats=seats, host=host, seed_cheque=seed_cheque
        )

    def compute_translational_field(self) -> np.ndarray:
        """Per grid cell, the translational support of the open hospitals around it (0-1): a
        hospital the scenario opens later (Kobe's IBRI, 2003) supports no firm before then.
        """
        km = self.cluster.region.km_per_cell
        cols, rows = np.meshgrid(np.arange(self.grid.width), np.arange(self.grid.height), indexing="ij")
        centres = np.stack([(cols + 0.5) * km, (rows + 0.5) * km], axis=-1).reshape(-1, 2)
        field = np.zeros(len(centres))
        for h in self.agents_of(Hospital):
            if h.translational_capacity > 0:
                d = distances_km(h.xy_km, centres)[0]
                field += h.translational_capacity * decay(d, self.constants.hospital_reach_km)
        return np.minimum(1.0, field).reshape(self.grid.width, self.grid.height)

    def hospital_opened(self) -> None:
        """A hospital opened: the field is computed anew, and the firms already here read the
        support where they sit again (a firm does not move, but its neighbourhood changed).
        """
        self.translational_field = self.compute_translational_field()
        for startup in self.startups:
            startup.support = self.translational_support(startup.cell)

    def translational_support(self, cell: Any) -> float:
        """Translational support at a cell."""
        col, row = cell.coordinate
        return float(self.translational_field[col, row])

    def groups_of(self, kind: type) -> list[Any]:
        """Mesa's agent sets of ``kind`` and of its subclasses (family's order). Mesa keys its
        agents by their exact class, and a KeptSite is a PharmaSite too: it is stepped, counted
        and employs people like any site.
        """
        by_type = self.agents_by_type
        return [by_type[cls] for cls in family(kind) if cls in by_type]

    def agents_of[T](self, kind: type[T]) -> list[T]:
        """The agents of one class, its subclasses' included (an empty list when there are none)."""
        return list(itertools.chain.from_iterable(self.groups_of(kind)))

    def count_of(self, kind: type) -> int:
        """How many agents of one class there are (agents_of's length, without the list)."""
        return sum(len(agents) for agents in self.groups_of(kind))

    def count_active_firms(self) -> int:
        """How many firms operate in the region (active_firms' length, without the list)."""
        return sum(self.count_of(kind) for kind in (Startup, Medtech, PharmaSite, Branch))

    @property
    def startups(self) -> list[Startup]:
        """Companies active in the region (private, public and large)."""
        return self.agents_of(Startup)

    @property
    def vc_list(self) -> list[VentureCapital]:
        """VC offices in the region."""
        return self.agents_of(VentureCapital)

    @property
    def incubators(self) -> list[Incubator]:
        """Incubators, shared labs and rental labs in the region."""
        return self.agents_of(Incubator)

    @property
    def pharma_list(self) -> list[Pharma]:
        """Pharma companies known to the model (with or without a local site)."""
        return self.agents_of(Pharma)

    @property
    def hubs(self) -> list[HubOrganization]:
        """Hub organizations."""
        return self.agents_of(HubOrganization)

    @property
    def institutions(self) -> list[University | Hospital]:
        """Open universities, research institutes and hospitals."""
        return [*self.agents_of(University), *self.agents_of(Hospital)]

    @property
    def pharma_sites(self) -> list[PharmaSite]:
        """Local R&D sites of pharma companies."""
        return self.agents_of(PharmaSite)

    @property
    def branches(self) -> list[Branch]:
        """Branches of outside companies."""
        return self.agents_of(Branch)

    @property
    def medtechs(self) -> list[Medtech]:
        """Device, diagnostics and service firms."""
        return self.agents_of(Medtech)

    def active_firms(self) -> list[Firm]:
        """Every firm operating in the region: startups (and the companies they grew into),
        pharma sites, branches and device and service firms.
        """
        return [*self.startups, *self.other_firms()]

    def other_firms(self) -> list[Firm]:
        """The firms that are not companies of the CompanyTable: pharma sites, branches and
        device and service firms.
        """
        return [*self.pharma_sites, *self.branches, *self.medtechs]

    def vc_positions(self) -> np.ndarray:
        """Positions of VC offices, km, a row each in vc_list's order (read-only).

        VC offices neither move nor close: the positions are stacked again only when one has
        opened (the round market asks for them every month).
        """
        if self.count_of(VentureCapital) != len(self._vc_positions):
            self._vc_positions = np.array([vc.xy_km for vc in self.vc_list]).reshape(-1, 2)
            self._vc_positions.flags.writeable = False
        return self._vc_positions

    def hub_event_intensity(self) -> float:
        """How much a member's reach to investors grows from the hubs' events (0-3).

        About 100 events a year double a member's reach; LINK-J held 518 in 2019.
        """
        return min(3.0, sum(h.events_this_year for h in self.hubs) / 100.0)

    def begin_month(self) -> None:
        """Policies in force, factor levels and the cluster's visible mass for this month."""
        year = self.year
        self.policy = PolicyState.at(self.cluster, year)
        c = self.constants
        early = c.early_round_multiple if year < c.early_round_end else 1.0  # 1 at the default
        self.round_index = round_size_index(year) * early * c.round_size_multiple
        timelines, raises = self.cluster.factors, self.policy.raises
        # min(max(...)): numpy.clip's number for one float (NaN and -0.0 alike), without its cost.
        raw = {
            name: min(max(timelines.at(name, year) + raises.get(name, 0.0), 0.0), 1.0)
            for name in FACTOR_NAMES
        }
        leadership = raw["hub_leadership"] if self.hubs else 0.0
        # The seed: the core organization leads the rest; without one the other four
        # factors keep only part of their effect.
        h = self.constants.hub_coordination
        self.factors = {name: value * (1.0 - h + h * leadership) for name, value in raw.items()}
        self.factors["hub_leadership"] = leadership
        universities = self.agents_of(University)
        self.total_research_strength = sum(u.research_strength for u in universities)
        seats = sum(i.seats for i in self.incubators)
        self.mass = (
            self.count_of(Startup)
            + self.count_of(Medtech)
            + self.count_of(PharmaSite)
            + self.constants.research_mass * self.total_research_strength
            + seats
        )
        # Where outsiders land this month (landing_spot): the companies operating now, then the
        # universities; the positions are read when a spot is drawn, not stacked every month.
        self.landing_rows = self.companies.alive_rows()
        self.landing_places = [u.xy_km for u in universities]

    def factor(self, name: str) -> float:
        """Effective level of a factor this month (policies and hub coordination applied)."""
        return self.factors[name]

    def visible_mass(self) -> float:
        """What an outsider sees: firms, pharma sites, research (in firm equivalents), seats,
        saturating as the cluster grows: the world's movers, pharma sites and VC offices are
        finite and shared among clusters, so a cluster of mass M draws as if it had
        M / (1 + M / arrival_mass_saturation).
        """
        return self.mass / (1.0 + self.mass / self.constants.arrival_mass_saturation)

    def local_pull(self) -> float:
        """Share (0-1) of would-be leavers the cluster keeps: rises with its mass."""
        return self.mass / (self.mass + self.constants.pull_half_mass)

    def landing_spot(self) -> np.ndarray:
        """Where an outsider settles: next to a firm or institution already there (one drawn
        from those of begin_month: its companies first, then its universities; the region's
        centre when it has neither).
        """
        rows, places = self.landing_rows, self.landing_places
        count = len(rows) + len(places)
        spot = int(self.rng.integers(count or 1))
        if spot < len(rows):
            columns, row = self.companies.columns, rows[spot]
            return np.array([columns["x_km"][row], columns["y_km"][row]])  # positions' row
        if places:
            return np.array(places[spot - len(rows)], dtype=float)
        return np.array(self.size_km) / 2

    def activate(self, kind: type) -> None:
        """Step every agent of ``kind`` in random order (a subclass's agents after them)."""
        for agents in self.groups_of(kind):
            shuffle_do_step(agents)  # agents.shuffle_do("step"), the same draws, cheaper

    def step_companies(self) -> None:
        """A month of every company at once, their events in random order (Companies), in the
        month's national market for listings (ListingMarket.open_month).
        """
        # A copy: alive_rows is read-only, and numpy shuffles an empty array in place.
        companies = Companies(self, self.rng.permutation(self.companies.alive_rows().copy()))
        self.listing_market.open_month(companies)
        companies.run()

    def step(self) -> None:
        """One month."""
        self.begin_month()
        self.projects.update()
        graduate(self)
        self.activate(University)
        self.activate(HubOrganization)
        # Who may hold a seat is computed once for every incubator's turn (SeatRule).
        self.seat_rule = SeatRule(self)
        self.activate(Incubator)
        self.seat_rule = None
        self.activate(PharmaSite)
        step_medtechs(self)
        deals.scout(self)
        self.step_companies()
        funding.clear_market(self)
        founding.regional_spinouts(self)
        arrival.outside_startups(self)
        arrival.diverse_players(self)
        self.activate(VentureCapital)
        turn_over(self)
        self.datacollector.collect(self)
        # Events scheduled between months belong to the next month's counts.
        self.ledger.new_month()
        if self.year >= self.cluster.end_year + 11 / 12:
            self.running = False


def _open_institution(model: BioclusterModel, inst: Any) -> None:
    xy = model.xy(inst.lat, inst.lon)
    if inst.kind == "hospital":
        Hospital(
            model,
            name=inst.name,
            xy_km=xy,
            translational_capacity=inst.translational_capacity,
            talent_per_year=inst.talent_per_year,
            staff=inst.staff,
        )
        model.hospital_opened()
    else:
        University(
            model,
            name=inst.name,
            kind=inst.kind,
            xy_km=xy,
            research_strength=inst.research_strength,
            tech_transfer=inst.tech_transfer,
            talent_per_year=inst.talent_per_year,
            staff=inst.staff,
        )


def _open_hub(model: BioclusterModel, hub: Any) -> None:
    HubOrganization(
        model,
        name=hub.name,
        xy_km=model.xy(hub.lat, hub.lon),
        events_capacity=hub.events_capacity,
        operates_site=hub.operates_site,
    )


def _open_scenario_incubator(model: BioclusterModel, inc: Any) -> None:
    model.open_incubator(
        name=inc.name,
        kind=inc.kind,
        xy_km=model.xy(inc.lat, inc.lon),
        seats=inc.seats,
        host=inc.host,
        seed_cheque=inc.seed_cheque_musd,
    )


def _open_named_site(model: BioclusterModel, pharma: Pharma, spec: Any) -> None:
    before_start = spec.site_opened < model.cluster.start_year
    pharma.open_site(
        model.xy(spec.site.lat, spec.site.lon),
        spec.site_headcount,
        start_headcount=spec.site_headcount // 3,
        established=float(spec.site_opened) if before_start else None,
    )


def _open_scenario_vc(model: BioclusterModel, vc: Any) -> None:
    model.open_vc(model.xy(vc.lat, vc.lon), vc.capital_musd, origin="scenario", name=vc.name)


def _open_policy_fund(model: BioclusterModel, name: str, capital: float) -> None:
    model.open_vc(model.landing_spot(), capital, origin="policy", name=name)


def _found_anchor(model: BioclusterModel, anchor: Anchor) -> None:
    """A historical founding: the firm's technology, team and money come from the scenario."""
    if anchor.lat is not None and anchor.lon is not None:
        xy = model.xy(anchor.lat, anchor.lon)
    else:
        inst = next(i for i in model.cluster.institutions if i.name == anchor.institution)
        xy = model.settle_near(model.xy(inst.lat, inst.lon), 2.0)
    firm = founding.found(
        model,
        origin=Origin.ANCHOR,
        xy_km=xy,
        quality=anchor.quality,
        institution=anchor.institution or "",
        cash=anchor.cash_musd,
        team=anchor.headcount,  # the documented founding team
        name=anchor.name,
        kind=Startup,  # a documented drug developer, whatever the share of device firms
    )
    # The founding money came from a backer (Kleiner Perkins for Genentech and Hybritech),
    # who follows on like any insider.
    firm.outside_backers = 1 if anchor.cash_musd > 0 else 0


def _scripted_event(model: BioclusterModel, event: ScriptedEvent) -> None:
    """A documented milestone of an anchor firm (mechanisms/history.py applies it)."""
    history.apply(model, event)
