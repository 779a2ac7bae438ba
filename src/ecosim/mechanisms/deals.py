"""Pharma scouting: partnerships with and acquisitions of the region's startups.

A pharma with a local site scouts nearby (exp(-d / scout reach)); one without scouts from
afar, and sees the region through its exhibitions and partnering events (the information
factor). Tenants of the incubator a pharma hosts are always in its sight (JLABS, Shonan iPark).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.mechanisms import exits
from ecosim.mechanisms.proximity import decay

if TYPE_CHECKING:
    from ecosim.agents.pharma import Pharma
    from ecosim.agents.startup import Startup
    from ecosim.model import BioclusterModel

STAGE_APPETITE = np.array([0.05, 0.3, 1.0, 1.2])
"""Relative appetite for deals (partnerships and buy-outs) by stage: seed, early, clinical, late
(assumption; Genentech's insulin deal with Lilly came two years after its founding)."""
LISTED_APPETITE = 0.5
"""Relative appetite for a listed company (dearer and harder to buy than a private one, but
bought all the same: Hybritech by Lilly, Genentech by Roche; assumption)."""
REMOTE_SIGHT = 0.25
"""How well a pharma with no local site sees the region without any outreach (assumption)."""
PARTNER_TO_ACQUIRE = 3.0
"""Sets the deal hazard: deals come at (1 + PARTNER_TO_ACQUIRE) times the buy-out scale
(licensing deals are more common than buy-outs; assumption). Partnerships per buy-out are then
(1 - s) / s for a stage's buy-out share s: 3 for a listed firm, 4 late, 39 clinical, 99 early,
none bought at seed."""
BUYOUT_SHARE = np.array([0.0, 0.01, 0.025, 0.2])
"""Share of deals with a private company that are buy-outs, by stage. Buyers license early
programmes and pay for a company once its programmes have clinical proof, so buy-outs come
after IPOs (about 9 years from founding against under 6: src/ecosim/data/exit_timing.csv);
seed-stage companies are partnered, never bought. The levels are an assumption shaped to that
order."""
LISTED_BUYOUT_SHARE = 1.0 / (1.0 + PARTNER_TO_ACQUIRE)
"""Share of deals with a listed company that are buy-outs (the same at every stage; assumption)."""
UPFRONT_SHARE = 0.15
"""Upfront payment of a partnership as a share of the partner's valuation (assumption)."""


def sight(model: BioclusterModel, pharma: Pharma, rows: np.ndarray, hosted: np.ndarray) -> np.ndarray:
    """How visible each startup (``rows`` of the CompanyTable) is to ``pharma`` (0-1)."""
    places = pharma.local_places()
    if places:
        near = np.min([model.companies.distances_km(p.xy_km, rows) for p in places], axis=0)
        seen = decay(near, model.constants.pharma_scout_reach_km)
    else:
        seen = np.full(len(rows), REMOTE_SIGHT + (1 - REMOTE_SIGHT) * model.factor("information") * 0.5)
    return np.maximum(seen, hosted)


def scout(model: BioclusterModel) -> None:
    """One month of every pharma's business development in the region."""
    table = model.companies
    rows = table.alive_rows()
    if not len(rows):
        return
    c = model.constants
    targets = [table.firms[row] for row in rows.tolist()]
    # Tenants of the incubators each pharma hosts, as positions in ``rows``.
    hosting: dict[str, list[int]] = {}
    for incubator in model.incubators:
        if incubator.host and incubator.tenants:
            hosting.setdefault(incubator.host, []).extend(tenant.row for tenant in incubator.tenants)
    hosted_at = {host: np.searchsorted(rows, tenants) for host, tenants in hosting.items()}
    public = table.columns["public"][rows]
    stage = table.columns["stage_index"][rows]
    appetite = np.where(public, LISTED_APPETITE, STAGE_APPETITE[stage])
    buyout = np.where(public, LISTED_BUYOUT_SHARE, BUYOUT_SHARE[stage])
    base = table.columns["quality"][rows] * appetite * (1.0 + PARTNER_TO_ACQUIRE)
    taken = np.zeros(len(targets), dtype=bool)
    # An anchor in its documented life is bought only by its scripted buyer; it may partner
    # (mechanisms/history.py).
    held = model.script.held(targets, model.year)
    for pharma in model.pharma_list:
        if pharma.open_innovation <= 0 or not pharma.in_market:
            continue
        hosted = np.zeros(len(targets))
        hosted[hosted_at.get(pharma.name, [])] = 1.0
        hazard = c.acquisition_rate_year / 12.0 * pharma.open_innovation * base
        hazard *= sight(model, pharma, rows, hosted)
        draws = model.rng.random(len(targets))
        acquired = (draws < hazard * buyout) & ~taken & ~held
        partnered = ~acquired & ~taken & (draws < hazard)
        taken |= acquired
        for i in np.flatnonzero(acquired):
            exits.acquire(model, pharma, targets[i])
        for i in np.flatnonzero(partnered):
            partner(model, pharma, targets[i])


def partner(model: BioclusterModel, pharma: Pharma, startup: Startup) -> None:
    """A licensing or R&D deal: the startup banks an upfront payment."""
    startup.receive(UPFRONT_SHARE * exits.valuation(model, startup))
    pharma.partnerships += 1
    model.ledger.count("partnerships")
