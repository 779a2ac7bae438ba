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

    def free_seats(self) -> int:
        """Seats not taken."""
        return max(0, self.seats - len(self.tenants))

    def graduate_tenants(self) -> None:
        """Tenants that have grown past the early stage or stayed long enough move out."""
        if not self.tenants:
            return
        staying = Companies.of(self.model, self.tenants).may_hold_seat()
        for tenant in [t for t, stays in zip(self.tenants, staying.tolist(), strict=True) if not stays]:
            self.vacate(tenant)
            tenant.graduated = True

    def admit_tenants(self) -> None:
        """Fill free seats with nearby seed and early startups, the best first (selective)."""
        free = self.free_seats()
        if free == 0:
            return
        companies = Companies(self.model, self.model.companies.alive_rows())
        candidates = companies.rows[~companies.seated & companies.may_hold_seat()]
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
