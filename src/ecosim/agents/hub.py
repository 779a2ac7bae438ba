"""The hub organization: members, events and matchmaking, shared labs, outside players."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents.site import Site
from ecosim.mechanisms import arrival
from ecosim.rates import monthly_share
from ecosim.scenario import EVENTS, SHARED_LABS

if TYPE_CHECKING:
    from ecosim.agents.incubator import Incubator
    from ecosim.model import BioclusterModel


class HubOrganization(Site):
    """A core organization (MassBio, Biocom, LINK-J, the Kobe foundation).

    Its leadership is the hub_leadership factor. It recruits member firms within its reach
    (which information outreach extends), runs events where members meet investors and
    pharma, runs shared-lab seats in proportion to cross-disciplinary fusion, and, when it
    operates a park or building, draws branches of outside companies into it.

    Attributes:
        name: its name.
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
        """Firms in reach join with odds rising with leadership and falling with distance."""
        table = self.model.companies
        rows = table.alive_rows()
        rows = rows[~table.columns["hub_member"][rows]]
        if not len(rows) or self.leadership <= 0:
            return
        near = table.nearness([self.xy_km], self.reach_km(), rows)
        odds = self.model.constants.hub_join_odds * self.leadership * near
        joined = rows[self.model.rng.random(len(rows)) < odds]
        table.columns["hub_member"][joined] = True
        table.columns["member_of"][joined] = self.unique_id
        self.members_recruited += len(joined)

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
