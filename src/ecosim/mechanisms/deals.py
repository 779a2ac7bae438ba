"""Pharma scouting: partnerships with and acquisitions of the region's startups.

A pharma with a local site scouts nearby (exp(-d / scout reach)); one without scouts from
afar, and sees the region through its exhibitions and partnering events (the information
factor). Tenants of the incubator a pharma hosts are always in its sight (JLABS, Shonan iPark).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.mechanisms import exits
from ecosim.mechanisms.proximity import decay, distances_km

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


class Sights:
    """How well each pharma sees each company from its local places, kept between months.

    Firms do not move, so a company's sight from a pharma's places is computed once, when the
    company is first scouted, and again only when the pharma's places (or the scouting reach)
    change: each month's scouting then reads it instead of measuring every distance again.
    """

    def __init__(self) -> None:
        self._of: dict[Pharma, tuple[tuple, np.ndarray]] = {}

    def near(self, model: BioclusterModel, pharma: Pharma, places: list, rows: np.ndarray) -> np.ndarray:
        """Sight (0-1) from ``places`` of the companies in ``rows`` of the CompanyTable."""
        reach = model.constants.pharma_scout_reach_km
        key = (reach, *((float(p.xy_km[0]), float(p.xy_km[1])) for p in places))
        known, seen = self._of.get(pharma, (None, np.empty(0)))
        if known != key:
            seen = np.empty(0)
        size = model.companies.size
        if len(seen) < size:
            new = model.companies.positions(np.arange(len(seen), size))
            near = distances_km(np.array([p.xy_km for p in places]), new).min(axis=0)
            seen = np.concatenate([seen, decay(near, reach)])
            self._of[pharma] = (key, seen)
        return seen[rows]


def sight(model: BioclusterModel, pharma: Pharma, rows: np.ndarray, hosted: np.ndarray) -> np.ndarray:
    """How visible each startup (``rows`` of the CompanyTable) is to ``pharma`` (0-1)."""
    places = pharma.local_places()
    if places:
        seen = model.sights.near(model, pharma, places, rows)
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
    seated = np.flatnonzero(table.columns["seated"][rows])
    hosts = np.array([targets[i].seat.host or "" for i in seated.tolist()], dtype=object)
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
        hosted[seated[hosts == pharma.name]] = 1.0
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
