"""Incubators, shared wet labs, accelerators and coworking centres: seats for young startups."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents.site import Site
from ecosim.agents.startup import Companies
from ecosim.mechanisms import arrival

if TYPE_CHECKING:
    from ecosim.agents.startup import Startup
    from ecosim.model import BioclusterModel


class SeatRule:
    """Which companies may take a seat (CompanyBooks.may_hold_seat) and which tenants must leave
    theirs (CompanyBooks.may_keep_seat), computed once for all the incubators' turns of a month.

    Within the incubators' turns nothing changes what the rule reads (stage, listing, age, the
    month a tenant was seated) but graduations, which may_hold_seat reads afresh (a tenant whose
    term in the seat ends may still be young enough to be seated: one seated in its founding
    month is exactly graduation_years old), and a company that moves in is new (its row is
    computed when first asked for). So every incubator of the month reads one computation
    instead of making its own over every company (BioclusterModel.step).
    """

    def __init__(self, model: BioclusterModel) -> None:
        """The rule for the companies of ``model``, computed when first asked for."""
        self.model = model
        self.known = np.zeros(0, dtype=bool)
        self._refused: dict[Incubator, list[Startup]] | None = None

    def may_hold_seat(self, rows: np.ndarray) -> np.ndarray:
        """Whether each company of ``rows`` may hold a seat: the rule computed once a month, less
        the companies that graduated since (a tenant whose term in the seat ends this month may
        still be young enough for the rule, and is never seated again).
        """
        size = self.model.companies.size
        if len(self.known) < size:
            new = Companies(self.model, np.arange(len(self.known), size)).may_hold_seat()
            self.known = np.concatenate([self.known, new])
        return self.known[rows] & ~self.model.companies.columns["graduated"][rows]

    def refused_tenants(self, incubator: Incubator) -> list[Startup]:
        """The tenants of ``incubator`` that may not keep their seat (CompanyBooks.may_keep_seat:
        grown past the early stage, listed, or their term in the seat over), in the order of
        their rows.

        They are found for every incubator at once, the first time one asks: within the
        incubators' turns no tenant becomes refused (the rule is the month's) and only its own
        incubator lets a tenant go, so each incubator's are those it has at its turn.
        """
        if self._refused is None:
            table = self.model.companies
            rows = table.alive_rows()
            seated = rows[table.columns["seated"][rows]]
            self._refused = {}
            for row in seated[~Companies(self.model, seated).may_keep_seat()].tolist():
                tenant = table.firms[row]
                if tenant.seat is not None:
                    self._refused.setdefault(tenant.seat, []).append(tenant)
        return self._refused.get(incubator, [])


class Incubator(Site):
    """A place with seats that cut a young startup's capital need.

    Attributes:
        name: its name.
        kind: shared_lab, incubator, accelerator or coworking.
        seats: startups it can host at once.
        host: the pharma that runs it, if any (its tenants are in that pharma's sight).
        seed_cheque: USD m an accelerator gives each admitted startup.
        tenants: startups in a seat now.
        admitted: startups admitted so far.
    """

    def __init__(
        self,
        model: BioclusterModel,
        *,
        name: str,
        kind: str,
        xy_km: np.ndarray,
        seats: int,
        host: str | None = None,
        seed_cheque: float = 0.0,
    ) -> None:
        super().__init__(model, name=name, xy_km=xy_km)
        self.kind = kind
        self.seats = seats
        self.host = host
        self.seed_cheque = seed_cheque
        self.tenants: list[Startup] = []
        self.admitted = 0

    def step(self) -> None:
        """One month: graduate old tenants, admit local ones, let the rest to outsiders."""
        self.graduate_tenants()
        self.admit_tenants()
        arrival.outside_tenants(self.model, self)

    def resize(self, seats: int) -> None:
        """Change its seats to ``seats`` (a hub's shared lab follows fusion and its budget,
        HubOrganization.run_shared_lab); when they are fewer than its tenants, the excess move
        out now, the longest-seated first, as graduates.

        The longest-seated go first because they are nearest the end of their stay (their term
        in the seat, Constants.graduation_years, runs out first; the lab renews no lease). They
        leave as graduates, early: like every tenant that leaves, they are not seated again, so
        a company holds one seat for one unbroken spell (a displaced tenant seated elsewhere
        would start a new term and hold seats longer than any other).
        """
        self.seats = seats
        # A lab with seats to spare moves nobody out.
        excess = max(0, len(self.tenants) - max(0, seats))
        # tenants is in the order they were seated (admit appends): the first are the longest-seated.
        for tenant in self.tenants[:excess]:
            self.vacate(tenant)
            tenant.graduated = True

    def free_seats(self) -> int:
        """Seats not taken."""
        return max(0, self.seats - len(self.tenants))

    def seat_rule(self) -> SeatRule:
        """The month's SeatRule during the incubators' turns (BioclusterModel.step), else one
        made now.
        """
        return self.model.seat_rule or SeatRule(self.model)

    def graduate_tenants(self) -> None:
        """Tenants that have grown past the early stage or listed, or have held their seat for
        Constants.graduation_years, move out as graduates (CompanyBooks.may_keep_seat).
        """
        if not self.tenants:
            return
        for tenant in self.seat_rule().refused_tenants(self):
            self.vacate(tenant)
            tenant.graduated = True

    def admit_tenants(self) -> None:
        """Fill free seats with nearby seed and early startups, the best first (selective)."""
        free = self.free_seats()
        if free == 0:
            return
        table = self.model.companies
        rows = table.alive_rows()
        candidates = rows[~table.columns["seated"][rows] & self.seat_rule().may_hold_seat(rows)]
        if not len(candidates):
            return
        reach = self.model.constants.incubator_reach_km
        near = self.model.companies.nearness([self.xy_km], reach, candidates)
        applicants = candidates[self.model.rng.random(len(candidates)) < near]
        # The best first (a stable sort keeps the older of two equals first).
        quality = self.model.companies.columns["quality"][applicants]
        best = applicants[np.argsort(-quality, kind="stable")][:free]
        for row in best.tolist():
            self.admit(self.model.companies.firms[row])

    def admit(self, startup: Startup) -> None:
        """Give ``startup`` a seat (and an accelerator's seed cheque)."""
        startup.seat = self
        self.tenants.append(startup)
        self.admitted += 1
        if self.seed_cheque > 0:
            startup.receive(self.seed_cheque)

    def vacate(self, startup: Startup) -> None:
        """Free ``startup``'s seat."""
        if startup in self.tenants:
            self.tenants.remove(startup)
        startup.seat = None
