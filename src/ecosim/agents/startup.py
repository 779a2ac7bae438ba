"""Startups and the companies they grow into."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from ecosim.agents.company_table import Column, RowsColumn, stored_in_table
from ecosim.agents.firm import Fate, Firm, Origin
from ecosim.mechanisms import exits, founding
from ecosim.rates import monthly_share

if TYPE_CHECKING:
    from ecosim.agents.incubator import Incubator
    from ecosim.agents.vc import VentureCapital
    from ecosim.constants import Constants
    from ecosim.model import BioclusterModel

STAGES = ("seed", "early", "clinical", "late")
PUBLIC = "public"
LARGE = "large"

Numbers = Any
"""A number of one company (a Startup) or an array of them, one per company (Companies)."""


def era_team_factor(constants: Constants, year: float) -> float:
    """How much larger than today's (target_headcount) a stage's team is in ``year``:
    Constants.early_team_multiple up to the first of early_team_years, fading linearly to 1 by the
    second (1 every year at the default).
    """
    multiple = constants.early_team_multiple
    if multiple == 1.0:
        return 1.0
    first, last = constants.early_team_years
    fade = min(max((year - first) / (last - first), 0.0), 1.0)
    return multiple + (1.0 - multiple) * fade


def stage_team(constants: Constants, year: float, index: Numbers) -> Numbers:
    """The whole people of a team at stage ``index`` (an index, or an array of them) in
    ``year``: target_headcount times the era's factor (era_team_factor), rounded down, the team
    a company hires toward and the team its research needs.
    """
    return np.floor(np.asarray(constants.target_headcount)[index] * era_team_factor(constants, year))


class CompanyBooks:
    """The monthly arithmetic of companies, written once for one company and for many.

    A Startup reads its numbers one at a time (its row of the model's CompanyTable); a Companies
    reads those of many rows at once, as numpy arrays. The formulas below use only arithmetic
    that means the same on both (no branch on a value), so each rule of a company's month is
    stated once, and the model applies it to every company at once.

    Attributes read (scalars or arrays): cash, headcount, posts_target, seated, market_headcount,
    doubt, quality, stage_index and support (the translational support where the company sits).
    """

    model: BioclusterModel
    cash: Numbers
    headcount: Numbers
    market_headcount: Numbers
    documented_market: Numbers
    doubt: Numbers
    quality: Numbers
    stage_index: Numbers
    support: Numbers
    seated: Numbers
    graduated: Numbers
    public: Numbers
    age_years: Numbers
    milestones: Numbers
    milestones_at_last_round: Numbers
    posts_target: Numbers
    rounds: Numbers
    progress_step: Numbers
    founded_step: Numbers
    seated_step: Numbers
    hub_member: Numbers
    outside_backers: Numbers
    anchor: Numbers

    def draws(self) -> Numbers:
        """Uniform random numbers on [0, 1), one per company."""
        raise NotImplementedError

    def monthly_burn(self) -> Numbers:
        """USD m spent this month: staff cost, less what a shared-lab seat saves, and the trials of
        a company without products (trial_costs).
        """
        c = self.model.constants
        staff = self.headcount * c.cost_per_head_musd_year / 12.0 * (1.0 - c.shared_lab_saving * self.seated)
        if not any(c.trial_cost_musd_year):  # none at the default: the staff's cost as it was
            return staff
        return staff + self.trial_costs()

    def trial_costs(self) -> Numbers:
        """USD m a month of outside R&D at the company's stage (Constants.trial_cost_musd_year),
        paid by a company without products only: one with products pays for its next
        programmes from its sales margin.
        """
        c = self.model.constants
        index = np.minimum(self.stage_index, len(STAGES) - 1)
        return np.asarray(c.trial_cost_musd_year)[index] / 12.0 * (self.market_headcount <= 0)

    def cash_for_staff(self, years: float) -> Numbers:
        """The cash left for staff over ``years`` once the trials of those years are paid for."""
        if not any(self.model.constants.trial_cost_musd_year):  # the cash itself at the default
            return self.cash
        return self.cash - self.trial_costs() * 12.0 * years

    def posts_to_fill(self) -> Numbers:
        """People still wanted for the posts it opened (posts_target, Startup.staff_up), as far as
        its cash still pays for them for Constants.hiring_runway_years, less its staff (0 or
        less: no post open). A post nobody in the pool could take stays open: the company asks
        for it again every month until it is filled or no longer paid for (Companies.fill_posts).
        """
        affordable = self.staff_paid_for(self.model.constants.hiring_runway_years)
        return np.minimum(self.posts_target, affordable) - self.headcount

    def staff_paid_for(self, years: float) -> Numbers:
        """People its cash pays for ``years`` once the trials of those years are paid for (whole
        people, rounded toward zero): the staff a company hires for at most.
        """
        c = self.model.constants
        with np.errstate(divide="ignore", invalid="ignore"):  # staff that cost nothing: all paid
            return np.trunc(self.cash_for_staff(years) / (c.cost_per_head_musd_year * years))

    def pay_costs(self) -> None:
        """Burn cash on staff (every company, listed or not) and, without products, on trials."""
        self.cash = self.cash - self.monthly_burn()

    def revenue_musd_year(self) -> Numbers:
        """Sales a year: the products' markets, as far as its staff can serve them, pay the
        staff they need and a margin (nothing before a first product).
        """
        c = self.model.constants
        return self.staff_served() * c.cost_per_head_musd_year * (1.0 + c.product_margin)

    def staff_served(self) -> Numbers:
        """Its staff that serve its products' markets: as many as the markets need, at most all."""
        return np.minimum(self.headcount, self.market_headcount)

    def sales_staff(self) -> Numbers:
        """People its sales pay for (whole people, rounded toward zero): the staff serving its
        markets and the margin on them (revenue_musd_year over the cost of a person).
        """
        return np.trunc(self.staff_served() * (1.0 + self.model.constants.product_margin))

    def sell_products(self) -> None:
        """Bank a month of sales; a product's market fades as its exclusivity runs out. An
        anchor's documented market (documented_market: the staff its last documented headcount
        says its markets paid for, mechanisms/history.py) is history's and does not fade.
        """
        self.cash = self.cash + self.revenue_musd_year() / 12.0
        fade = np.exp(-1.0 / (self.model.constants.product_life_years * 12.0))
        documented = self.documented_market
        self.market_headcount = documented + (self.market_headcount - documented) * fade

    def milestone_odds(self) -> Numbers:
        """Monthly probability of the next milestone: research needs people (a team short of
        its stage's team of the era, stage_team, advances in proportion), and nearby translational
        hospitals help.
        """
        c = self.model.constants
        index = np.minimum(self.stage_index, len(STAGES) - 1)
        staffed = np.minimum(1.0, self.headcount / stage_team(c, self.model.year, index))
        rate = np.asarray(c.milestone_rate_year)[index] * (0.5 + self.quality) * staffed / 12.0
        return rate * (1.0 + c.hospital_boost * self.support)

    def readouts(self) -> Numbers:
        """Whether a programme reads out this month (the month's odds), and whether it succeeds."""
        c = self.model.constants
        read = self.draws() < self.milestone_odds()
        succeed = self.draws() < c.readout_success_base + c.readout_success_quality * self.quality
        return read, succeed

    def forget_setbacks(self) -> None:
        """Investors' doubt fades with time (Constants.setback_memory_years)."""
        self.doubt = self.doubt * np.exp(-1.0 / (self.model.constants.setback_memory_years * 12.0))

    def ready_to_list(self) -> Numbers:
        """Whether a private company lists this month: it bids with its listing_chance, and the
        national market for listings takes that share of the month's bids
        (mechanisms/listing_market.py: 1 where the scenario names no market).
        """
        return self.draws() < self.listing_chance() * self.model.listing_market.acceptance

    def listing_chance(self) -> Numbers:
        """Monthly odds that a private company bids to list: it has programmes in the clinic
        (Constants.ipo_from_stage), and odds rising with its quality (to the power
        Constants.ipo_quality_exponent: how selective the IPO market is) and fading with the time
        since its last milestone (listing_odds). A company one stage short of ipo_from_stage bids
        at a share of those odds (Constants.early_listing_share; 0: none does).
        """
        c = self.model.constants
        # 1 from ipo_from_stage, the share one stage before, 0 earlier (plain arithmetic on truth
        # values: the same for one company's int and many companies' array)
        share = (self.stage_index >= c.ipo_from_stage) + (self.stage_index == c.ipo_from_stage - 1) * (
            c.early_listing_share
        )
        return self.listing_odds() * share

    def listing_odds(self) -> Numbers:
        """Monthly odds of listing once it may: ipo_rate_year x quality^ipo_quality_exponent / 12,
        fading with the time since its last milestone (Constants.ipo_news_fade_year).
        """
        c = self.model.constants
        k = c.ipo_quality_exponent
        picked = self.quality if k == 1.0 else self.quality**k  # the same numbers as before at 1
        odds = c.ipo_rate_year * picked / 12.0
        if c.ipo_news_fade_year == 0.0:  # no fading: the odds as they were
            return odds
        # Public investors buy news: a readout long past no longer opens a window.
        years_since = (self.model.month_step - self.progress_step) / 12.0
        return odds * np.exp(-c.ipo_news_fade_year * years_since)

    def net_burn(self) -> Numbers:
        """USD m a month the cash falls by: the burn less a month of sales (a company whose
        products pay for its staff and more burns nothing).
        """
        return self.monthly_burn() - self.revenue_musd_year() / 12.0

    def runway_months(self) -> Numbers:
        """Months the cash lasts at the current burn net of sales (net_burn; inf when the sales
        pay for it all): a listed company living on its products neither seeks money nor cuts
        staff for want of cash it does not need.
        """
        burn = self.net_burn()
        return np.where(burn > 0, self.cash / np.where(burn > 0, burn, 1.0), np.inf)[()]

    def wants_to_raise(self, runway: Numbers | None = None) -> Numbers:
        """Whether it looks for a round: its runway is short (the funding market clears it).
        ``runway``: runway_months, when the caller has it.
        """
        runway = self.runway_months() if runway is None else runway
        return runway < self.model.constants.runway_months_to_seek

    def may_hold_seat(self) -> Numbers:
        """Whether it may take an incubator seat: young (seed or early stage, private, under
        Constants.graduation_years old) and never graduated from one (graduation is for good).
        """
        young = (self.stage_index <= 1) & (self.age_years <= self.model.constants.graduation_years)
        return np.logical_not(self.graduated | self.public) & young

    def may_keep_seat(self) -> Numbers:
        """Whether a tenant keeps its seat this month: still seed or early stage and private, and
        in the seat for less than Constants.graduation_years (its term runs from the month it was
        seated, seated_step, not from its founding: a company seated at 2.9 years old stays its
        full term). A tenant seated at month m holds the seat for the 12 x graduation_years
        months from m and moves out at the incubator's turn of the month after.
        """
        c = self.model.constants
        in_term = (self.model.month_step - self.seated_step) < 12.0 * c.graduation_years
        return np.logical_not(self.public) & (self.stage_index <= 1) & in_term

    def success(self) -> Numbers:
        """Milestones reached (a listed company counts as fully successful): staff of a
        successful parent see more to found on (Klepper).
        """
        reached = 0.3 + 0.7 * np.minimum(1.0, self.milestones / len(STAGES))
        return np.where(self.public, 1.0, reached)[()]  # [()]: a scalar for one company

    def stalled(self) -> Numbers:
        """Whether it has reached no milestone since its last round (its first round aside)."""
        return (self.rounds > 0) & (self.milestones <= self.milestones_at_last_round)

    def stuck(self) -> Numbers:
        """Whether it has no product and has reached no milestone for its board's patience:
        stage_patience_years, listed_patience_years once it is listed.
        """
        c = self.model.constants
        since = self.model.month_step - self.progress_step
        patience: Numbers = c.stage_patience_years * 12.0
        if c.listed_patience_years != c.stage_patience_years:  # else one patience: a number, no array
            patience = np.where(self.public, c.listed_patience_years, c.stage_patience_years)[()] * 12.0
        return (self.market_headcount <= 0) & (since > patience)

    def staff_to_cut(self) -> Numbers:
        """People to let go to cut the staff to what the cash pays for
        Constants.downsize_to_years and its sales pay for (sales_staff): the founders stay, and
        so does one person at least.
        """
        c = self.model.constants
        # A world whose staff cost nothing (a test's) affords everyone: inf, no cut, no warning.
        cost = c.cost_per_head_musd_year * c.downsize_to_years
        with np.errstate(divide="ignore"):
            affordable = np.floor(np.maximum(0.0, self.cash_for_staff(c.downsize_to_years)) / cost)
        keep = np.maximum(c.founding_team, affordable + self.sales_staff())
        return np.minimum(self.headcount - keep, self.headcount - 1)

    def listed_change(self) -> Numbers:
        """People a listed company with products hires (positive) or lets go (negative) in a
        month: it grows logistically toward the staff its markets support, and sheds
        Constants.listed_shrink_year of any staff beyond them in a year.
        """
        c = self.model.constants
        headcount, market = self.headcount, self.market_headcount
        with np.errstate(divide="ignore", invalid="ignore"):  # no market: no change (see where)
            room = 1.0 - np.divide(headcount, market)
        excess = (headcount - market) * monthly_share(c.listed_shrink_year)
        growth = headcount * c.commercial_growth_year * self.quality * room / 12.0
        return np.where(market <= 0, 0.0, np.where(headcount > market, -excess, growth))[()]

    def short_of_cash(self, runway: Numbers | None = None) -> Numbers:
        """Whether its runway is short enough to cut staff if it cannot raise. ``runway``:
        runway_months, when the caller has it.
        """
        runway = self.runway_months() if runway is None else runway
        return runway < self.model.constants.downsize_runway_months


@stored_in_table(Column)  # its numbers live in its row of the model's CompanyTable
class Startup(CompanyBooks, Firm):
    """A life-science company founded in (or moved into) the region.

    It burns cash on its staff, reaches milestones that move it through the stages, raises
    rounds when its runway is short, and leaves the active population when it is acquired
    or fails. After an IPO it keeps operating as a listed company and may grow into a large
    one, as Genentech did.

    Attributes (besides a Firm's):
        institution: the university whose technology it licensed (academic spinouts).
        stage_index: 0-3 for seed, early, clinical, late.
        public: listed after an IPO.
        large: grown into a large company.
        cash: USD m in the bank.
        total_raised: USD m raised so far (rounds, grants, deals, IPO).
        milestones: programme readouts that succeeded (the fourth reaches the market; each
            later one launches another product).
        setbacks: readouts that failed.
        doubt: investors' memory of setbacks; it fades with time and with new progress.
        market_headcount: staff its products' markets support (0 before its first product).
        seat: the incubator seat it holds, if any.
        graduated: whether it has left an incubator as a graduate (it is not seated again).
        investors: VC -> share of the company it holds.
        listed_year: decimal year of its IPO.
        acquirer: name of the company that bought it.
        founders_rewarded: whether its founders have had their successful exit (a listing or a
            sale): they found again or start a VC once (exits.reward_founders).
    """

    kind: ClassVar[str] = "startup"

    def __init__(
        self,
        model: BioclusterModel,
        *,
        xy_km: np.ndarray,
        origin: Origin,
        quality: float,
        cash: float,
        headcount: int,
        parent: Firm | None = None,
        name: str = "",
        institution: str = "",
    ) -> None:
        self.table = model.companies
        self.row = self.table.add(self)
        self.alive = True
        super().__init__(
            model,
            origin=origin,
            xy_km=xy_km,
            quality=quality,
            headcount=headcount,
            name=name,
            parent=parent,
        )
        self.institution = institution
        if self.origin == Origin.ANCHOR:
            self.anchor = True  # pharma scouting reads it for every company (Script.held_rows)
        # Its new row starts at zero: seed stage, private, no milestones, doubt, products,
        # rounds or outside backers, not seeking, seated, graduated or a hub member.
        self.large = False
        self.cash = float(cash)
        self.total_raised = float(cash)
        self.setbacks = 0
        self.progress_step = model.month_step
        self._seat: Incubator | None = None
        self.investors: dict[VentureCapital, float] = {}
        self.listed_year: float | None = None
        self.acquirer = ""
        self.founders_rewarded = False
        self.x_km, self.y_km = self.xy_km
        # Firms do not move: the hospitals' support where it sits is read now, and again when a
        # hospital opens (BioclusterModel.hospital_opened).
        self.support = model.translational_support(self.cell)

    @property
    def seat(self) -> Incubator | None:
        """The incubator seat it holds, if any."""
        return self._seat

    @seat.setter
    def seat(self, incubator: Incubator | None) -> None:
        self._seat = incubator
        self.seated = incubator is not None
        if incubator is not None:
            self.seated_step = self.model.month_step  # its term in the seat starts now

    def draws(self) -> float:
        """A uniform random number on [0, 1) (from the model's generator)."""
        return self.random.random()

    def runway_months(self) -> float:
        """CompanyBooks.runway_months for one company, in plain floats: the same division, without
        numpy's where, which costs more than the arithmetic for one number (a company deciding
        to raise asks it after each listing or round).
        """
        burn = self.net_burn()
        return self.cash / burn if burn > 0 else math.inf

    def staff_paid_for(self, years: float) -> int:
        """CompanyBooks.staff_paid_for for one company, in plain numbers (the same quotient rounded
        toward zero; a round, grant or deal asks it of one company).
        """
        c = self.model.constants
        return int(self.cash_for_staff(years) / (c.cost_per_head_musd_year * years))

    def staff_to_cut(self) -> int:
        """CompanyBooks.staff_to_cut for one company, in plain numbers (the same floor of the same
        quotient; numpy's functions cost more than the arithmetic for one number).
        """
        c = self.model.constants
        per_head = c.cost_per_head_musd_year * c.downsize_to_years
        if per_head == 0:
            return super().staff_to_cut()  # numpy's inf or nan of a division by zero
        affordable = math.floor(max(0.0, float(self.cash_for_staff(c.downsize_to_years))) / per_head)
        keep = max(c.founding_team, affordable + int(self.sales_staff()))
        headcount = self.headcount
        return min(headcount - keep, headcount - 1)

    @property
    def stage(self) -> str:
        """Stage label: seed, early, clinical, late, public or large."""
        if self.large:
            return LARGE
        if self.public:
            return PUBLIC
        return STAGES[self.stage_index]

    @property
    def table_kind(self) -> str:
        """startup, public or large: the kind the firm table shows."""
        return LARGE if self.large else PUBLIC if self.public else self.kind

    def step(self) -> None:
        """One month in the life of this company alone (the model steps every company at once:
        Companies).
        """
        Companies(self.model, np.array([self.row])).run()

    @property
    def has_products(self) -> bool:
        """Whether a product of its own is on the market."""
        return self.market_headcount > 0

    def launch_product(self) -> None:
        """A product reaches the market: its market size is drawn from the sizes of real listed
        biotech firms (Constants.market_headcount_median, sigma), better firms winning more.
        """
        c = self.model.constants
        size = c.market_headcount_median * self.random_lognormal(c.market_headcount_sigma)
        self.market_headcount += size * self.quality / c.quality_mean

    def random_lognormal(self, sigma: float) -> float:
        """A lognormal draw with median 1 (from the model's generator)."""
        return float(self.model.rng.lognormal(0.0, sigma))

    def reach_milestones(self) -> None:
        """A programme may read out this month (CompanyBooks.readouts)."""
        read, succeed = self.readouts()
        if read:
            self.read_out(bool(succeed))

    def read_out(self, succeed: bool) -> None:
        """A programme reads out: success advances a stage (or, once late, launches a product);
        failure is a setback that scares investors off for a while.
        """
        if not succeed:
            self.setbacks += 1
            self.doubt += 1.0
            return
        self.milestones += 1
        self.progress_step = self.model.month_step
        # Progress reassures investors: half of the doubt goes.
        self.doubt *= 0.5
        if self.stage_index < len(STAGES) - 1:
            self.stage_index += 1
        elif self.milestones >= len(STAGES):
            self.launch_product()

    def go_public_if_ready(self) -> None:
        """A private company lists when it is ready (CompanyBooks.ready_to_list)."""
        if not self.public and self.ready_to_list():
            exits.ipo(self.model, self)

    def decide_to_raise(self, runway: float | None = None) -> None:
        """Look for a round when the runway is short (the funding market clears it).
        ``runway``: runway_months, when the caller has it.
        """
        self.seeking = bool(self.wants_to_raise(runway))

    def decide_to_raise_or_downsize(self) -> None:
        """decide_to_raise, then downsize_if_short, reading the runway once (neither changes
        what it is made of before the other reads it).
        """
        runway = self.runway_months()
        self.decide_to_raise(runway)
        self.downsize_if_short(runway)

    def receive(
        self, amount: float, investor: VentureCapital | None = None, stake: float = 0.0, staff_up: bool = True
    ) -> None:
        """Bank money from a round, grant or deal and hire the staff it pays for (``staff_up``
        False: the caller hires once when all of a round's money is in, staff_up).
        """
        self.cash += amount
        self.total_raised += amount
        if investor is not None:
            self.investors[investor] = self.investors.get(investor, 0.0) + stake
        if staff_up:
            self.staff_up()
        self.seeking = False

    def dilute(self, share: float) -> None:
        """A round sells ``share`` of the company: each investor keeps ``1 - share`` of its stake."""
        for investor in self.investors:
            self.investors[investor] *= 1.0 - share

    def staffed_by_history(self) -> bool:
        """Whether its staff follow its documented headcounts this month (an anchor between its
        first and last counts, mechanisms/history.py): the model's own hiring and cuts leave them
        alone.
        """
        return self.model.script.sets_staff(self, self.model.year)

    def staff_up(self) -> None:
        """Open posts toward the stage's team (a listed company's may be larger: several
        programmes), only as many as the bank pays for a while, and hire for them. Posts the
        pool cannot fill stay open (Companies.fill_posts, every month).
        """
        if self.staffed_by_history():
            return
        c = self.model.constants
        team = int(
            stage_team(c, self.model.year, self.stage_index)
            * (c.listed_team_multiple if self.public else 1.0)
        )
        self.posts_target = min(team, self.staff_paid_for(c.hiring_runway_years))
        self.hire(self.posts_target - self.headcount)

    def run_as_listed_company(self) -> None:
        """A listed company with products grows toward what its markets support and cuts staff
        when they shrink below it (CompanyBooks.listed_change); from 500 staff it counts as a
        large company.
        """
        if self.has_products:
            self.grow_or_shrink(float(self.listed_change()))

    def grow_or_shrink(self, change: float) -> None:
        """Hire (``change`` >= 0) or let go (< 0) that many people this month, a fraction
        rounded up with its odds.
        """
        if self.staffed_by_history():
            return
        amount = abs(change)
        people = int(amount) + (self.random.random() < amount % 1)
        if change < 0:
            self.cut_staff(people)
            return
        self.hire(people)
        self.count_as_large_if_grown()

    def count_as_large_if_grown(self) -> None:
        """From Constants.large_firm_headcount staff it counts as a large company, for good."""
        if not self.large and self.headcount >= self.model.constants.large_firm_headcount:
            self.large = True
            self.fate = Fate.GROWN

    def downsize_if_short(self, runway: float | None = None) -> None:
        """A company that could not raise and is short of cash cuts its staff to what the bank
        pays for a year (the founders stay); those let go join the labour pool or found firms.
        ``runway``: runway_months, when the caller has it.
        """
        if self.seeking and self.short_of_cash(runway):
            self.cut_to_what_the_bank_pays()

    def cut_to_what_the_bank_pays(self) -> None:
        """Cut the staff to what the cash pays for Constants.downsize_to_years (the founders stay).
        An anchor whose staff follow its documented headcounts keeps them (staffed_by_history).
        """
        if self.staffed_by_history():
            return
        self.cut_staff(int(self.staff_to_cut()))

    def cut_staff(self, people: int) -> None:
        """Let ``people`` go (never below one person)."""
        people = min(people, self.headcount - 1)
        if people <= 0:
            return
        self.headcount -= people
        # A company that lets people go closes the posts it had open.
        self.posts_target = min(self.posts_target, self.headcount)
        founding.release_talent(self.model, self, people, boost=self.model.constants.distress_founding_factor)

    def close(self, fate: Fate) -> None:
        """Leave the region: give up its incubator seat, stop raising, leave every hub's roll
        (Firm.close) and the map.
        """
        self.seeking = False
        self.hub_member = False  # on no roll once closed
        self.alive = False
        if self.seat is not None:
            self.seat.vacate(self)
        super().close(fate)

    def close_if_stuck(self) -> None:
        """A company with no product that has reached no milestone for its board's patience
        (stage_patience_years; listed_patience_years once listed) is closed: investors stop
        funding a programme that does not move.
        """
        if self.active and self.stuck():
            exits.fail(self.model, self)

    def fail_if_broke(self) -> None:
        """A company that runs out of cash and could not raise closes."""
        if self.cash < 0:
            exits.fail(self.model, self)


@stored_in_table(RowsColumn)
class Companies(CompanyBooks):
    """Many companies at once: their numbers as arrays over their rows of the CompanyTable
    (CompanyBooks). In a month (run), the events (readouts, listings, cuts, failures) are applied
    company by company, in the order of ``rows`` (the model shuffles it each month).

    Every number is read from the table when used and written back when assigned, so an event,
    which changes the company itself, is seen by what follows.
    """

    @property
    def age_years(self) -> np.ndarray:
        """Years since each entered the region."""
        return (self.model.month_step - self.founded_step) / 12.0

    def __init__(self, model: BioclusterModel, rows: np.ndarray) -> None:
        """The companies in ``rows`` of the model's CompanyTable."""
        self.model = model
        self.table = model.companies
        self.rows = np.asarray(rows, dtype=np.int64)

    @classmethod
    def of(cls, model: BioclusterModel, firms: list[Startup]) -> Companies:
        """The companies ``firms``, in that order."""
        return cls(model, np.fromiter((firm.row for firm in firms), np.int64, len(firms)))

    def draws(self) -> np.ndarray:
        """One uniform random number per company (from the model's generator)."""
        return self.model.rng.random(len(self.rows))

    def some(self, chosen: np.ndarray) -> Companies:
        """The companies where ``chosen`` is true, in order, as a Companies."""
        return Companies(self.model, self.rows[chosen])

    def each(self, chosen: np.ndarray) -> list[Startup]:
        """The companies where ``chosen`` is true, in order."""
        firms = self.table.firms
        return [firms[row] for row in self.rows[chosen].tolist()]

    def run(self) -> None:
        """The month: pay staff, sell, read out, forget setbacks (every company at once); ask
        again for the posts still open; then list or grow, decide to raise, cut staff when
        short, fail when broke or stuck.
        """
        self.pay_costs()
        self.sell_products()
        self.reach_milestones()
        self.forget_setbacks()
        self.fill_posts()
        self.list_grow_and_close()

    def fill_posts(self) -> None:
        """Companies with posts still open (CompanyBooks.posts_to_fill) ask the pool for them
        again, one at a time in the month's order (who asks first gets the people): a post stays
        open until it is filled, as a real vacancy does (US employers' vacancies stay open for
        weeks: Davis, Faberman & Haltiwanger 2013). An anchor whose staff follow its documented
        headcounts leaves them to the script.
        """
        wanted = self.posts_to_fill()
        open_ = wanted > 0
        if not open_.any():
            return
        flags = zip(wanted[open_].tolist(), self.anchor[open_].tolist(), strict=True)
        for firm, (people, anchor) in zip(self.each(open_), flags, strict=True):
            if not (anchor and firm.staffed_by_history()):
                firm.hire(int(people))

    def reach_milestones(self) -> None:
        """Programmes read out with the month's odds (Startup.read_out for each readout)."""
        read, succeed = self.readouts()
        for firm, success in zip(self.each(read), succeed[read].tolist(), strict=True):
            firm.read_out(success)

    def list_grow_and_close(self) -> None:
        """Listed companies run on their markets and private ones that are ready list; each
        company decides to raise, and cuts staff when short of cash (Startup.downsize_if_short),
        fails when broke or closes when stuck (Startup.close_if_stuck).

        The decisions are computed for every company at once, but acted on one company at a
        time in the month's order, each company's listing before its own decisions: listed
        companies hire from the labour pool that others' cuts and failures fill, so the order
        in which they act decides who gets the people (acting on all listings first gave 20%
        more IPOs in San Diego, benchmarks/README.md). A listing changes the company's own
        cash and staff, so a company that lists or grows decides again after it.
        """
        public = self.public
        # A listed company without products has nothing to run (run_as_listed_company): its
        # decisions below stand as computed. One with products grows or shrinks
        # (listed_change), which changes none of what makes it broke or stuck.
        selling = public & (self.market_headcount > 0)
        # Each company's numbers depend on its own row only: the change and the cut are computed
        # for the companies that use them (the few that sell, the few that may cut).
        change = np.zeros(len(self.rows))
        change[selling] = self.some(selling).listed_change()
        listing = selling | (~public & self.ready_to_list())
        runway = self.runway_months()
        seeking = self.wants_to_raise(runway)
        self.seeking = seeking
        short = seeking & self.short_of_cash(runway)
        short[short] = self.some(short).staff_to_cut() > 0
        broke = self.cash < 0
        stuck = self.stuck()
        acting = listing | short | broke | stuck
        flags = zip(
            public[acting].tolist(),
            listing[acting].tolist(),
            change[acting].tolist(),
            short[acting].tolist(),
            broke[acting].tolist(),
            stuck[acting].tolist(),
            strict=True,
        )
        for firm, (listed, lists, grows, cuts, fails, idle) in zip(self.each(acting), flags, strict=True):
            if lists and listed:
                firm.grow_or_shrink(grows)
                firm.decide_to_raise_or_downsize()
                if fails:
                    exits.fail(self.model, firm)
                continue
            if lists:
                exits.ipo(self.model, firm)
                firm.decide_to_raise_or_downsize()
                firm.fail_if_broke()
                firm.close_if_stuck()
                continue
            if cuts:
                firm.cut_to_what_the_bank_pays()
            if fails or idle:
                exits.fail(self.model, firm)
