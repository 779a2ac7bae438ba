"""Pharma scouting: partnerships with and acquisitions of the region's startups.

A pharma with a local site scouts nearby (exp(-d / scout reach)); one without scouts from
afar, and sees the region through its exhibitions and partnering events (the information
factor). Tenants of the incubator a pharma hosts are always in its sight (JLABS, Shonan iPark).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.mechanisms import exits

if TYPE_CHECKING:
    from ecosim.agents.pharma import Pharma
    from ecosim.agents.startup import Startup
    from ecosim.model import BioclusterModel


def sight(
    model: BioclusterModel, pharma: Pharma, rows: np.ndarray, hosted: np.ndarray | None = None
) -> np.ndarray:
    """How visible each startup (``rows`` of the CompanyTable) is to ``pharma`` (0-1); ``hosted``
    is 1 for the tenants of an incubator it hosts (always in sight), None when it hosts none.
    """
    places = pharma.local_places()
    if places:
        # decay(d, scout reach), d from the nearest place: computed once for each company.
        reach = model.constants.pharma_scout_reach_km
        seen = model.companies.nearness([place.xy_km for place in places], reach, rows)
    else:
        remote = model.constants.remote_sight
        seen = np.full(len(rows), remote + (1 - remote) * model.factor("information") * 0.5)
    # The maximum with no tenant (zeros) is the sight itself: it is never negative.
    return seen if hosted is None else np.maximum(seen, hosted)


def scout(model: BioclusterModel) -> None:
    """One month of every pharma's business development in the region.

    Each pharma in the market, in turn, draws a number per company: below its hazard x the
    stage's buyout share it buys the company, below its hazard it partners with it; a company
    bought by one is not there for the next. The hazards of every pharma are computed at once
    (hazards), and so are the draws of the pharmas up to the next one that buys (draw_until_bought):
    they are the numbers each would draw in turn, since only an acquisition draws numbers of
    the model's generator between one pharma's draws and the next's.
    """
    table = model.companies
    rows = table.alive_rows()
    if not len(rows):
        return
    active = [p for p in model.pharma_list if p.open_innovation > 0 and p.in_market]
    if not active:
        return
    hazard, buyout = hazards(model, active, rows)
    # Who is still there to buy or partner with this month (not yet bought): an anchor in its
    # documented life is bought only by its scripted buyer, but it may partner
    # (mechanisms/history.py).
    untaken = np.ones(len(rows), dtype=bool)
    buyable = ~model.script.held_rows(table, rows, model.year)
    first = 0
    while first < len(active):
        draws, acquired = draw_until_bought(model, hazard[first:], buyout, buyable)
        partnered = (draws < hazard[first : first + len(draws)]) & untaken
        for k, pharma in enumerate(active[first : first + len(draws)]):
            if acquired[k].any():  # the last pharma of the draws, if any
                partnered[k] &= ~acquired[k]
                untaken &= ~acquired[k]
                buyable &= ~acquired[k]
            for row in rows[acquired[k]].tolist():
                exits.acquire(model, pharma, table.firms[row])
            for row in rows[partnered[k]].tolist():
                partner(model, pharma, table.firms[row])
        first += len(draws)


def hazards(model: BioclusterModel, active: list[Pharma], rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each pharma's monthly odds of a deal with each company of ``rows`` (a row per pharma of
    ``active``, a column per company): its appetite for the company's stage and quality times its
    sight of it; and each company's buyout share (the part of the deals that are acquisitions).
    """
    table = model.companies
    c = model.constants
    # Tenants of the incubators each pharma hosts, as positions in ``rows``.
    hosting: dict[str, list[int]] = {}
    for incubator in model.incubators:
        if incubator.host and incubator.tenants:
            hosting.setdefault(incubator.host, []).extend(tenant.row for tenant in incubator.tenants)
    hosted_at = {host: np.searchsorted(rows, tenants) for host, tenants in hosting.items()}
    public = table.columns["public"][rows]
    stage = table.columns["stage_index"][rows]
    appetite = np.where(public, c.listed_deal_appetite, np.asarray(c.deal_appetite)[stage])
    buyout = np.where(public, c.listed_buyout_share, np.asarray(c.buyout_share)[stage])
    base = table.columns["quality"][rows] * appetite * (1.0 + c.partner_to_acquire)
    scale = np.array([c.acquisition_rate_year / 12.0 * pharma.open_innovation for pharma in active])
    hazard = scale[:, None] * base
    for k, pharma in enumerate(active):
        hosted = None
        if pharma.name in hosted_at:
            hosted = np.zeros(len(rows))
            hosted[hosted_at[pharma.name]] = 1.0
        hazard[k] *= sight(model, pharma, rows, hosted)
    return hazard, buyout


def draw_until_bought(
    model: BioclusterModel, hazard: np.ndarray, buyout: np.ndarray, buyable: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The draws of the pharmas of ``hazard`` (a row each, in turn), up to and including the
    first that buys a company, and which companies each buys (none but the last).

    The numbers are drawn at once, as many as every pharma left would draw; when one buys, its
    acquisitions draw numbers before the next pharma's draws (exits.reward_founders), so the
    generator is put back where the pharmas up to the buyer leave it, and the next draw
    starts from there: the same numbers, in the same order, as one pharma at a time.
    """
    generator = model.rng.bit_generator
    before = generator.state if len(hazard) > 1 else None
    draws = model.rng.random(hazard.shape)
    acquired = (draws < hazard * buyout) & buyable
    buyers = np.flatnonzero(acquired.any(axis=1))
    if len(buyers) and buyers[0] + 1 < len(hazard):
        count = int(buyers[0]) + 1
        generator.state = before
        model.rng.random((count, hazard.shape[1]))  # the numbers of the pharmas up to the buyer
        draws, acquired = draws[:count], acquired[:count]
    return draws, acquired


def partner(model: BioclusterModel, pharma: Pharma, startup: Startup) -> None:
    """A licensing or R&D deal: the startup banks an upfront payment."""
    startup.receive(model.constants.upfront_share * exits.valuation(model, startup))
    pharma.partnerships += 1
    model.ledger.count("partnerships")
