"""Startups and the companies they grow into."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from mesa.discrete_space import CellAgent

from ecosim.agents.site import cell_at
from ecosim.mechanisms import exits

if TYPE_CHECKING:
    from ecosim.agents.incubator import Incubator
    from ecosim.agents.vc import VentureCapital
    from ecosim.model import BioclusterModel

STAGES = ("seed", "early", "clinical", "late")
PUBLIC = "public"
LARGE = "large"


class Startup(CellAgent):
    """A life-science company founded in (or moved into) the region.

    It burns cash on its staff, reaches milestones that move it through the stages, raises
    rounds when its runway is short, and leaves the active population when it is acquired
    or fails. After an IPO it keeps operating as a public company and may grow into a large
    one, as Genentech did.

    Attributes:
        origin: founding channel: anchor, academic, spinout, release or arrival.
        parent_id: the firm it spun out of (None for academic, anchor and arrival firms).
        lineage_root: the first ancestor of its family tree (itself when it has no parent).
        generation: 0 for a root, parent's generation + 1 otherwise.
        institution: the university whose technology it licensed (academic spinouts).
        quality: team and technology quality in [0, 1]: drives milestones, exits, spinouts.
        stage_index: 0-3 for seed, early, clinical, late.
        public: listed after an IPO.
        cash: USD m in the bank.
        headcount: staff.
        fate: active, acquired, ipo, failed or grown.
    """

    def __init__(
        self,
        model: BioclusterModel,
        *,
        xy_km: np.ndarray,
        origin: str,
        quality: float,
        cash: float,
        headcount: int,
        parent: Startup | None = None,
        name: str = "",
        institution: str = "",
    ) -> None:
        super().__init__(model)
        self.firm_id = self.unique_id
        self.name = name
        self.origin = origin
        self.institution = institution
        self.parent_id = parent.firm_id if parent is not None else None
        self.lineage_root = parent.lineage_root if parent is not None else self.firm_id
        self.generation = parent.generation + 1 if parent is not None else 0
        self.xy_km = np.asarray(xy_km, dtype=float)
        self.cell = cell_at(model, self.xy_km)
        self.in_census = model.in_census(self.xy_km)
        self.quality = float(np.clip(quality, 0.01, 1.0))
        self.founded_step = model.steps
        self.founded_year = model.year
        self.stage_index = 0
        self.public = False
        self.large = False
        self.cash = float(cash)
        self.total_raised = float(cash)
        self.headcount = int(headcount)
        self.peak_headcount = self.headcount
        self.milestones = 0
        self.setbacks = 0
        self.seeking = False
        self.hub_member = False
        self.seat: Incubator | None = None
        self.investors: dict[VentureCapital, float] = {}
        self.outside_backers = 0
        self.spinouts = 0
        self.fate = "active"
        self.fate_year: float | None = None
        self.listed_year: float | None = None
        self.acquirer = ""
        model.register_firm(self)

    @property
    def stage(self) -> str:
        """Stage label: seed, early, clinical, late, public or large."""
        if self.large:
            return LARGE
        if self.public:
            return PUBLIC
        return STAGES[self.stage_index]

    @property
    def active(self) -> bool:
        """Still operating in the region."""
        return self.fate in ("active", "ipo", "grown")

    @property
    def age_years(self) -> float:
        """Years since founding."""
        return (self.model.steps - self.founded_step) / 12.0

    def step(self) -> None:
        """One month in the life of a company."""
        self.pay_costs()
        self.reach_milestones()
        if self.public:
            self.grow_as_public_company()
        else:
            self.go_public_if_ready()
        self.decide_to_raise()
        self.fail_if_broke()

    def monthly_burn(self) -> float:
        """USD m spent this month: staff cost, less what a shared-lab seat saves."""
        c = self.model.constants
        burn = self.headcount * c.cost_per_head_musd_year / 12.0
        if self.seat is not None:
            burn *= 1.0 - c.shared_lab_saving
        return burn

    def pay_costs(self) -> None:
        """Burn cash; public companies with products pay their way from revenue."""
        if self.public and self.milestones >= len(STAGES):
            return
        self.cash -= self.monthly_burn()

    def milestone_odds(self) -> float:
        """Monthly probability of the next milestone, raised by nearby translational hospitals."""
        c = self.model.constants
        index = min(self.stage_index, len(STAGES) - 1)
        rate = c.milestone_rate_year[index] * (0.5 + self.quality) / 12.0
        return rate * (1.0 + c.hospital_boost * self.model.translational_support(self.cell))

    def reach_milestones(self) -> None:
        """A programme reads out with the month's odds: success advances a stage (or, once
        late, reaches the market); failure is a setback that scares investors off.
        """
        if self.milestones > len(STAGES) or self.random.random() >= self.milestone_odds():
            return
        c = self.model.constants
        if (
            self.random.random()
            >= c.readout_success_base + c.readout_success_quality * self.quality
        ):
            self.setbacks += 1
            return
        self.milestones += 1
        if self.stage_index < len(STAGES) - 1:
            self.stage_index += 1

    def go_public_if_ready(self) -> None:
        """A late-stage company lists with odds rising with its quality."""
        if self.stage_index < len(STAGES) - 1:
            return
        if self.random.random() < self.model.constants.ipo_rate_year * self.quality / 12.0:
            exits.ipo(self.model, self)

    def runway_months(self) -> float:
        """Months the cash lasts at the current burn."""
        burn = self.monthly_burn()
        return self.cash / burn if burn > 0 else float("inf")

    def decide_to_raise(self) -> None:
        """Look for a round when the runway is short (the funding market clears it)."""
        self.seeking = self.runway_months() < self.model.constants.runway_months_to_seek

    def receive(
        self, amount: float, investor: VentureCapital | None = None, stake: float = 0.0
    ) -> None:
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

    def hire(self, wanted: int) -> None:
        """Hire up to ``wanted`` people from the regional labour pool."""
        if wanted <= 0:
            return
        hired = self.model.labour.take(wanted)
        self.headcount += hired
        self.peak_headcount = max(self.peak_headcount, self.headcount)

    def grow_as_public_company(self) -> None:
        """A public company with products grows its staff and may become a large company."""
        if self.milestones < len(STAGES):
            return
        c = self.model.constants
        # Logistic growth: the market a firm's products can win caps its size, and better
        # firms have bigger markets.
        capacity = c.commercial_capacity_headcount * self.quality**3
        room = max(0.0, 1.0 - self.headcount / capacity)
        growth = self.headcount * c.commercial_growth_year * self.quality * room / 12.0
        self.hire(int(growth) + (self.random.random() < growth % 1))
        if not self.large and self.headcount >= c.large_firm_headcount:
            self.large = True
            self.fate = "grown"

    def fail_if_broke(self) -> None:
        """A company that runs out of cash and could not raise closes."""
        if self.cash < 0:
            exits.fail(self.model, self)
