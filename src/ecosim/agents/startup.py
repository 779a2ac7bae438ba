"""Startups and the companies they grow into."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from ecosim.agents.firm import Fate, Firm, Origin
from ecosim.mechanisms import exits, founding

if TYPE_CHECKING:
    from ecosim.agents.incubator import Incubator
    from ecosim.agents.vc import VentureCapital
    from ecosim.model import BioclusterModel

STAGES = ("seed", "early", "clinical", "late")
GRADUATION_YEARS = 3.0
"""Years after which an incubator tenant leaves its seat (assumption; LabCentral-style terms)."""
IPO_FROM_STAGE = 2
"""First stage (clinical) from which a company may list: biotech companies list with programmes
in the clinic, before any product (Genentech listed four years after its founding and Hybritech
three; the median venture-backed biopharma IPO comes under six years from founding, before the
median acquisition: Evaluate Vantage via LifeSciVC, src/ecosim/data/exit_timing.csv)."""
PUBLIC = "public"
LARGE = "large"


class Startup(Firm):
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
        self.stage_index = 0
        self.public = False
        self.large = False
        self.cash = float(cash)
        self.total_raised = float(cash)
        self.milestones = 0
        self.setbacks = 0
        self.doubt = 0.0
        self.market_headcount = 0.0
        self.seeking = False
        self.rounds = 0
        self.milestones_at_last_round = 0
        self.progress_step = model.steps
        self.hub_member = False
        self.seat: Incubator | None = None
        self.graduated = False
        self.investors: dict[VentureCapital, float] = {}
        self.outside_backers = 0
        self.listed_year: float | None = None
        self.acquirer = ""

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

    def may_hold_seat(self) -> bool:
        """Whether it may sit in an incubator: young (seed or early stage, private, under
        GRADUATION_YEARS old) and never graduated from one (graduation is for good).
        """
        return (
            not self.graduated
            and not self.public
            and self.stage_index <= 1
            and self.age_years <= GRADUATION_YEARS
        )

    def success(self) -> float:
        """Milestones reached (a listed company counts as fully successful): staff of a
        successful parent see more to found on (Klepper).
        """
        if self.public:
            return 1.0
        return 0.3 + 0.7 * min(1.0, self.milestones / len(STAGES))

    def step(self) -> None:
        """One month in the life of a company."""
        self.pay_costs()
        self.sell_products()
        self.reach_milestones()
        self.forget_setbacks()
        if self.public:
            self.run_as_listed_company()
        else:
            self.go_public_if_ready()
        self.decide_to_raise()
        self.downsize_if_short()
        self.fail_if_broke()
        self.close_if_stuck()

    def monthly_burn(self) -> float:
        """USD m spent this month: staff cost, less what a shared-lab seat saves."""
        c = self.model.constants
        burn = self.headcount * c.cost_per_head_musd_year / 12.0
        if self.seat is not None:
            burn *= 1.0 - c.shared_lab_saving
        return burn

    def pay_costs(self) -> None:
        """Burn cash on staff (every company, listed or not)."""
        self.cash -= self.monthly_burn()

    @property
    def has_products(self) -> bool:
        """Whether a product of its own is on the market."""
        return self.market_headcount > 0

    def revenue_musd_year(self) -> float:
        """Sales a year: the products' markets, as far as its staff can serve them, pay the
        staff they need and a margin.
        """
        c = self.model.constants
        served = min(float(self.headcount), self.market_headcount)
        return served * c.cost_per_head_musd_year * (1.0 + c.product_margin)

    def sell_products(self) -> None:
        """Bank a month of sales; a product's market fades as its exclusivity runs out."""
        if not self.has_products:
            return
        self.cash += self.revenue_musd_year() / 12.0
        self.market_headcount *= np.exp(-1.0 / (self.model.constants.product_life_years * 12.0))

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

    def milestone_odds(self) -> float:
        """Monthly probability of the next milestone: research needs people (a team short of
        its stage's size advances in proportion), and nearby translational hospitals help.
        """
        c = self.model.constants
        index = min(self.stage_index, len(STAGES) - 1)
        staffed = min(1.0, self.headcount / c.target_headcount[index])
        rate = c.milestone_rate_year[index] * (0.5 + self.quality) * staffed / 12.0
        return rate * (1.0 + c.hospital_boost * self.model.translational_support(self.cell))

    def reach_milestones(self) -> None:
        """A programme reads out with the month's odds: success advances a stage (or, once
        late, launches a product); failure is a setback that scares investors off for a while.
        """
        if self.random.random() >= self.milestone_odds():
            return
        c = self.model.constants
        if self.random.random() >= c.readout_success_base + c.readout_success_quality * self.quality:
            self.setbacks += 1
            self.doubt += 1.0
            return
        self.milestones += 1
        self.progress_step = self.model.steps
        # Progress reassures investors: half of the doubt goes.
        self.doubt *= 0.5
        if self.stage_index < len(STAGES) - 1:
            self.stage_index += 1
        elif self.milestones >= len(STAGES):
            self.launch_product()

    def forget_setbacks(self) -> None:
        """Investors' doubt fades with time (Constants.setback_memory_years)."""
        if self.doubt > 0:
            self.doubt *= np.exp(-1.0 / (self.model.constants.setback_memory_years * 12.0))

    def go_public_if_ready(self) -> None:
        """A company with programmes in the clinic (IPO_FROM_STAGE) lists with odds rising with
        its quality.
        """
        if self.stage_index < IPO_FROM_STAGE:
            return
        if self.random.random() < self.model.constants.ipo_rate_year * self.quality / 12.0:
            exits.ipo(self.model, self)

    def runway_months(self) -> float:
        """Months the cash lasts at the current burn."""
        burn = self.monthly_burn()
        return self.cash / burn if burn > 0 else float("inf")

    def stalled(self) -> bool:
        """Whether it has reached no milestone since its last round (its first round aside)."""
        return self.rounds > 0 and self.milestones <= self.milestones_at_last_round

    def decide_to_raise(self) -> None:
        """Look for a round when the runway is short (the funding market clears it)."""
        self.seeking = self.runway_months() < self.model.constants.runway_months_to_seek

    def receive(self, amount: float, investor: VentureCapital | None = None, stake: float = 0.0) -> None:
        """Bank money from a round, grant or deal and hire the staff it pays for."""
        self.cash += amount
        self.total_raised += amount
        if investor is not None:
            self.investors[investor] = self.investors.get(investor, 0.0) + stake
        c = self.model.constants
        # Hire toward the stage's team, but only as many as the bank pays for a while.
        affordable = int(self.cash / (c.cost_per_head_musd_year * c.hiring_runway_years))
        self.hire(min(c.target_headcount[self.stage_index], affordable) - self.headcount)
        self.seeking = False

    def run_as_listed_company(self) -> None:
        """A listed company with products grows toward what its markets support and cuts staff
        when they shrink below it; from 500 staff it counts as a large company.
        """
        if not self.has_products:
            return
        c = self.model.constants
        if self.headcount > self.market_headcount:
            excess = (self.headcount - self.market_headcount) * c.listed_shrink_year / 12.0
            self.cut_staff(int(excess) + (self.random.random() < excess % 1))
            return
        # Logistic growth toward the market's size.
        room = 1.0 - self.headcount / self.market_headcount
        growth = self.headcount * c.commercial_growth_year * self.quality * room / 12.0
        self.hire(int(growth) + (self.random.random() < growth % 1))
        if not self.large and self.headcount >= c.large_firm_headcount:
            self.large = True
            self.fate = Fate.GROWN

    def downsize_if_short(self) -> None:
        """A company that could not raise and is short of cash cuts its staff to what the bank
        pays for a year (the founders stay); those let go join the labour pool or found firms.
        """
        c = self.model.constants
        if not self.seeking or self.runway_months() >= c.downsize_runway_months:
            return
        affordable = int(max(0.0, self.cash) / (c.cost_per_head_musd_year * c.downsize_to_years))
        self.cut_staff(self.headcount - max(founding.FOUNDING_TEAM, affordable))

    def cut_staff(self, people: int) -> None:
        """Let ``people`` go (never below one person)."""
        people = min(people, self.headcount - 1)
        if people <= 0:
            return
        self.headcount -= people
        founding.release_talent(self.model, self, people)

    def close(self, fate: Fate) -> None:
        """Leave the region: give up its incubator seat, stop raising, leave the map."""
        self.seeking = False
        if self.seat is not None:
            self.seat.vacate(self)
        super().close(fate)

    def close_if_stuck(self) -> None:
        """A company with no product that has reached no milestone for stage_patience_years is
        closed by its board: investors stop funding a programme that does not move.
        """
        if not self.active or self.has_products:
            return
        years = (self.model.steps - self.progress_step) / 12.0
        if years > self.model.constants.stage_patience_years:
            exits.fail(self.model, self)

    def fail_if_broke(self) -> None:
        """A company that runs out of cash and could not raise closes."""
        if self.cash < 0:
            exits.fail(self.model, self)
