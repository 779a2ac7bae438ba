"""The hub organization: members, events and matchmaking, shared labs, outside players."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import numpy as np

from ecosim.agents.site import Site
from ecosim.mechanisms import arrival
from ecosim.rates import monthly_share
from ecosim.scenario import EVENTS, SHARED_LABS

if TYPE_CHECKING:
    from ecosim.agents.company_table import CompanyTable
    from ecosim.agents.firm import Firm
    from ecosim.agents.incubator import Incubator
    from ecosim.agents.startup import Startup
    from ecosim.model import BioclusterModel


class Roll:
    """The firms of the region one hub counts as its members, of every kind: companies, device
    and service firms, pharma sites and branches (LINK-J's ~450 members include device firms and
    pharma, not only startups).

    A firm may be on several hubs' rolls (Boston's Venture Café recruited MassBio's members) and
    leaves every roll when it closes or is bought (Firm.close). A company is held by its row of
    the CompanyTable, any other firm by its row of the OtherFirmTable (rows are never reused), so
    that a membership drive picks the firms not yet on the roll from either table as arrays.

    Attributes:
        companies: the CompanyTable rows of the companies on the roll.
        others: the OtherFirmTable rows of the other firms on the roll.
    """

    def __init__(self) -> None:
        self.companies: set[int] = set()
        self.others: set[int] = set()

    def __len__(self) -> int:
        """Firms on the roll."""
        return len(self.companies) + len(self.others)

    def __contains__(self, firm: Firm) -> bool:
        held, row = self._place_of(firm)
        return row in held

    def _place_of(self, firm: Firm) -> tuple[set[int], int]:
        """The roll's rows of ``firm``'s table and its row there: a firm the OtherFirmTable does not
        keep is a company (the table keeps every other kind).
        """
        if firm.other_row >= 0:
            return self.others, firm.other_row
        return self.companies, cast("Startup", firm).row

    @staticmethod
    def absent(rows: np.ndarray, held: set[int]) -> np.ndarray:
        """The rows of ``rows`` not in ``held`` (one of the roll's sets), in their order."""
        if not held:
            return rows
        return rows[~np.isin(rows, np.fromiter(held, np.int64, len(held)))]

    def enrol(self, companies: CompanyTable, company_rows: np.ndarray, other_rows: np.ndarray) -> None:
        """Put the companies of ``company_rows`` and the other firms of ``other_rows`` on the roll;
        each company is now a hub member (its hub_member flag: on at least one roll).
        """
        self.companies.update(company_rows.tolist())
        self.others.update(other_rows.tolist())
        companies.columns["hub_member"][company_rows] = True

    def strike(self, firm: Firm) -> None:
        """Take ``firm`` off the roll (it closed or was bought), if it is on it."""
        held, row = self._place_of(firm)
        held.discard(row)


class HubOrganization(Site):
    """A core organization (MassBio, Biocom, LINK-J, the Kobe foundation).

    Its leadership is the hub_leadership factor. It recruits member firms of every kind within
    its reach (which information outreach extends), members of other hubs among them, runs
    events where members meet investors and pharma, runs shared-lab seats in proportion to
    cross-disciplinary fusion, and, when it operates a park or building, draws branches of
    outside companies into it.

    Attributes:
        name: its name.
        roll: the firms of the region that are its members now (Roll).
        members_recruited: firms of the region that joined so far.
        outside_members: member organizations from outside the region now.
        events_capacity: events a year at full leadership.
        operates_site: whether it runs a park or building outside companies move into (only
            then does it draw branches in).
        events_this_year: events held in the last 12 months.
        lab: its shared lab (an Incubator whose seats follow the fusion factor).
    """

    def __init__(
        self,
        model: BioclusterModel,
        *,
        name: str,
        xy_km: np.ndarray,
        events_capacity: int,
        operates_site: bool = False,
    ) -> None:
        super().__init__(model, name=name, xy_km=xy_km)
        self.events_capacity = events_capacity
        self.operates_site = operates_site
        self.roll = Roll()
        self.members_recruited = 0
        self.outside_members = 0
        self.events_held = 0
        self.recent_events: list[int] = []
        self.lab: Incubator | None = None

    @property
    def leadership(self) -> float:
        """The hub_leadership factor now (raised by policies in force)."""
        return self.model.factor("hub_leadership")

    @property
    def events_this_year(self) -> int:
        """Events held in the last 12 months."""
        return sum(self.recent_events)

    def reach_km(self) -> float:
        """How far the hub's membership drive and events reach: information extends it."""
        c = self.model.constants
        return c.hub_reach_km * (1.0 + 3.0 * self.model.factor("information"))

    def step(self) -> None:
        """One month of the hub's work."""
        self.recruit_members()
        self.recruit_outside_members()
        self.hold_events()
        self.run_shared_lab()
        if self.operates_site:
            arrival.hub_draws(self.model, self)

    def recruit_members(self) -> None:
        """Firms in reach not yet on its roll join with odds rising with leadership and falling
        with distance: companies, device and service firms, pharma sites and branches alike, a
        member of another hub as any other (a firm may belong to several hubs).
        """
        companies, others = self.model.companies, self.model.other_firm_table
        company_rows = Roll.absent(companies.alive_rows(), self.roll.companies)
        other_rows = Roll.absent(others.operating()[0], self.roll.others)
        if not len(company_rows) + len(other_rows) or self.leadership <= 0:
            return
        reach = self.reach_km()
        near = np.concatenate(
            [
                companies.nearness([self.xy_km], reach, company_rows),
                others.nearness([self.xy_km], reach, other_rows),
            ]
        )
        odds = self.model.constants.hub_join_odds * self.leadership * near
        joined = self.model.rng.random(len(near)) < odds
        split = len(company_rows)
        self.roll.enrol(companies, company_rows[joined[:split]], other_rows[joined[split:]])
        self.members_recruited += int(np.count_nonzero(joined))

    def recruit_outside_members(self) -> None:
        """Organizations outside the region join as members when the hub leads and is known
        (LINK-J's and MassBio's members come from far beyond their districts); some leave.
        """
        c = self.model.constants
        rate = c.outside_member_rate / 12.0 * self.leadership * self.model.factor("information")
        stream = self.model.streams["outside_members"]
        joined = int(stream.poisson(rate)) if rate > 0 else 0
        left = int(stream.binomial(self.outside_members, monthly_share(c.member_attrition_year)))
        self.outside_members += joined - left

    def budget_share(self, channel: str) -> float:
        """The part of a budget spent through the hubs that is this hub's, USD m a year: the budget is
        spent once, split evenly among the region's hubs.
        """
        return self.model.policy.budget(channel) / max(1, len(self.model.hubs))

    def hold_events(self) -> None:
        """Events and matchmaking: their number follows leadership and the events budget."""
        per_year = self.events_capacity * self.leadership
        per_year += self.budget_share(EVENTS) * self.model.constants.events_per_musd
        held = int(self.model.rng.poisson(per_year / 12.0)) if per_year > 0 else 0
        self.events_held += held
        self.recent_events = [*self.recent_events[-11:], held]
        self.model.ledger.add("hub_events", held)

    def run_shared_lab(self) -> None:
        """Shared-lab and biofoundry seats follow fusion and the shared-lab budget."""
        c = self.model.constants
        seats = c.shared_seats_per_fusion * self.model.factor("cross_disciplinary_fusion")
        seats += self.budget_share(SHARED_LABS) / c.seat_cost_musd_year
        if self.lab is None and seats >= 1:
            self.lab = self.model.open_incubator(
                name=f"{self.name} shared lab",
                kind="shared_lab",
                xy_km=self.xy_km,
                seats=int(seats),
            )
        if self.lab is not None:
            self.lab.resize(int(seats))  # fewer seats move tenants out
