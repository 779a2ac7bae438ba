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
    """One month of every pharma's business development in the region."""
    table = model.companies
    rows = table.alive_rows()
    if not len(rows):
        return
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
    # Who is still there to buy or partner with this month (not yet bought): an anchor in its
    # documented life is bought only by its scripted buyer, but it may partner
    # (mechanisms/history.py).
    untaken = np.ones(len(rows), dtype=bool)
    buyable = ~model.script.held_rows(table, rows, model.year)
    for pharma in model.pharma_list:
        if pharma.open_innovation <= 0 or not pharma.in_market:
            continue
        hosted = None
        if pharma.name in hosted_at:
            hosted = np.zeros(len(rows))
            hosted[hosted_at[pharma.name]] = 1.0
        hazard = c.acquisition_rate_year / 12.0 * pharma.open_innovation * base
        hazard *= sight(model, pharma, rows, hosted)
        draws = model.rng.random(len(rows))
        acquired = (draws < hazard * buyout) & buyable
        partnered = (draws < hazard) & untaken
        if acquired.any():
            partnered &= ~acquired
            untaken &= ~acquired
            buyable &= ~acquired
        for row in rows[acquired].tolist():
            exits.acquire(model, pharma, table.firms[row])
        for row in rows[partnered].tolist():
            partner(model, pharma, table.firms[row])


def partner(model: BioclusterModel, pharma: Pharma, startup: Startup) -> None:
    """A licensing or R&D deal: the startup banks an upfront payment."""
    startup.receive(model.constants.upfront_share * exits.valuation(model, startup))
    pharma.partnerships += 1
    model.ledger.count("partnerships")
