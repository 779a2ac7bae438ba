"""Arrivals: outside startups, pharma sites and VCs come to a cluster that draws them.

An outsider sees the cluster's visible mass (its firms, research, seats) and hears of it
through exhibitions and guidance (the information factor); pharma sites and VCs also
respond to how diverse the cluster's players are. A hub draws outside firms and bodies
itself, through its projects and outreach (the Kobe foundation's way).

A startup that moves in is a relocation, not a founding: it is counted in the relocations
column, never in startups_founded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import numpy as np

from ecosim.agents.branch import Branch
from ecosim.agents.firm import Origin
from ecosim.mechanisms import founding

if TYPE_CHECKING:
    from ecosim.agents.hub import HubOrganization
    from ecosim.agents.incubator import Incubator
    from ecosim.agents.medtech import Medtech
    from ecosim.agents.startup import Startup
    from ecosim.model import BioclusterModel


def outside_startups(model: BioclusterModel) -> None:
    """Outside firms move in: rate ~ visible mass x (word of mouth + information); a drug
    developer or a device or service firm (founding.founded_kind).
    """
    c = model.constants
    rate = c.arrival_rate / 12.0 * model.visible_mass() * (0.2 + 0.8 * model.factor("information"))
    for _ in range(int(model.streams["arrivals"].poisson(rate))):
        arrive(model, model.landing_spot())


def arrive_startup(model: BioclusterModel, near_km: np.ndarray, radius_km: float | None = None) -> Startup:
    """One outside drug developer moves in about ``radius_km`` from ``near_km`` (exactly there
    at 0; by default Constants.settle_radius_km): the tenant a hub or an incubator draws.
    """
    from ecosim.agents.startup import Startup

    return cast(Startup, arrive(model, near_km, radius_km, kind=Startup))


def arrive(
    model: BioclusterModel,
    near_km: np.ndarray,
    radius_km: float | None = None,
    kind: type[Startup | Medtech] | None = None,
) -> Startup | Medtech:
    """One outside firm of ``kind`` (by default founding.founded_kind's) moves in about
    ``radius_km`` from ``near_km`` (exactly there at 0; by default Constants.settle_radius_km).
    """
    c = model.constants
    radius_km = c.settle_radius_km if radius_km is None else radius_km
    xy = np.array(near_km, dtype=float) if radius_km == 0 else model.settle_near(near_km, radius_km)
    return founding.found(
        model,
        origin=Origin.RELOCATION,
        xy_km=xy,
        quality=founding.inherited_quality(model, None),
        cash=c.arrival_cash_musd,
        team=c.arrival_headcount,  # a company moving in brings its people
        kind=kind,
    )


def diverse_players(model: BioclusterModel) -> None:
    """Pharma sites and VC offices open at rates set by mass and the diverse-players factor."""
    c = model.constants
    pull = model.visible_mass() / c.arrival_mass_reference * model.factor("diverse_players")
    for _ in range(int(model.rng.poisson(c.pharma_site_rate_year / 12.0 * pull))):
        open_pharma_site(model)
    for _ in range(int(model.rng.poisson(c.vc_arrival_rate_year / 12.0 * pull))):
        model.open_vc(
            model.settle_near(model.landing_spot(), c.settle_radius_km),
            c.vc_fund_musd,
            origin="arrival",
        )


def open_pharma_site(model: BioclusterModel) -> None:
    """A named pharma without a site (and none scheduled) opens one; else a new pharma arrives."""
    siteless = [p for p in model.pharma_list if not p.has_site and not p.site_scripted and p.in_market]
    pharma = model.random.choice(siteless) if siteless else model.add_pharma()
    c = model.constants
    headcount = int(c.pharma_site_headcount_median * model.rng.lognormal(0.0, 0.8))
    where = model.settle_near(model.landing_spot(), c.settle_radius_km)
    pharma.open_site(where, target_headcount=max(20, headcount))


def hub_draws(model: BioclusterModel, hub: HubOrganization) -> None:
    """A hub draws outside firms and bodies with its leadership, projects and outreach.

    What it draws are established organizations opening a branch at its site, not new ventures
    (the Kobe foundation's way; Shonan's residents include R&D-support firms, VCs, patent
    offices, trading houses and insurers, slide 13): a branch is paid for by its parent,
    so it neither raises money nor fails for lack of it.
    """
    c = model.constants
    push = (model.factor("focused_projects") + model.factor("information")) / 2.0
    rate = c.hub_draw_rate / 12.0 * hub.leadership * push
    if rate <= 0:
        return
    for _ in range(int(model.streams["hub_draws"].poisson(rate))):
        open_branch(model, hub.xy_km)


def open_branch(model: BioclusterModel, near_km: np.ndarray) -> None:
    """An outside company opens a branch about Constants.hub_site_radius_km from ``near_km``."""
    c = model.constants
    headcount = max(2, int(c.branch_headcount_median * model.rng.lognormal(0.0, 0.8)))
    where = model.settle_near(near_km, c.hub_site_radius_km)
    name = f"Branch {int(model.ledger.total['branches_opened']) + 1}"
    Branch(model, name=name, xy_km=where, headcount=headcount)


def outside_tenants(model: BioclusterModel, incubator: Incubator) -> None:
    """Free seats of an incubator or rental lab draw tenants from outside the region.

    A known place with free labs is let to outsiders at a rate that rises with the seats on
    offer, with the hub's leadership and with information (Kobe's rental labs, Shonan iPark).
    """
    free = incubator.free_seats()
    if free == 0:
        return
    pull = 0.5 * (model.factor("hub_leadership") + model.factor("information"))
    rate = model.constants.tenant_draw_rate / 12.0 * free * pull
    for _ in range(min(free, int(model.streams["tenants"].poisson(rate))) if rate > 0 else 0):
        # A tenant's lab is the seat: it sits in the incubator's building.
        incubator.admit(arrive_startup(model, incubator.xy_km, radius_km=0))
