"""Scripted history: the anchor firms' documented milestones and their documented lives.

An anchor's milestones (the scenario's ``events``) are history, not outcomes of the model: on its
date the firm lists, launches a product, employs its documented staff or is bought. From its
founding to its last scripted event (its documented life) the model's own exits do not end it:
it does not fail or close, no buyer takes it unscripted, and it does not list before a scripted
listing. What happens after its last event, and everything its staff, money and alumni do
meanwhile (spinouts, alumni funds), is left to the model: the cascade after an anchor stays
emergent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents.firm import Origin
from ecosim.mechanisms import exits

if TYPE_CHECKING:
    from ecosim.agents.company_table import CompanyTable
    from ecosim.agents.firm import Firm
    from ecosim.model import BioclusterModel
    from ecosim.scenario import Scenario, ScriptedEvent


@dataclass(frozen=True)
class Script:
    """When each anchor's documented life ends and when it lists, from the scenario's events.

    Attributes:
        until: anchor name -> decimal year of its last scripted event (its documented life runs
            from its founding to that month).
        listing: anchor name -> decimal year of its scripted listing.
    """

    until: dict[str, float] = field(default_factory=dict)
    listing: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, scenario: Scenario) -> Script:
        """The script of a scenario's events."""
        until: dict[str, float] = {}
        listing: dict[str, float] = {}
        for event in scenario.events:
            until[event.target] = max(until.get(event.target, -np.inf), event.when)
            if event.kind == "listing":
                listing[event.target] = event.when
        return cls(until, listing)

    def holds(self, firm: Firm, year: float) -> bool:
        """Whether ``firm`` is an anchor still in its documented life in ``year``."""
        return firm.origin == Origin.ANCHOR and year < self.until.get(firm.name, -np.inf)

    def lists_later(self, firm: Firm, year: float) -> bool:
        """Whether ``firm``'s listing is scripted for a later date than ``year``."""
        return firm.origin == Origin.ANCHOR and year < self.listing.get(firm.name, -np.inf)

    def held_rows(self, table: CompanyTable, rows: np.ndarray, year: float) -> np.ndarray:
        """Per company of ``rows`` of ``table``, whether the script holds it (holds); only the
        anchors (the table's anchor column) are asked, not every company of the region.
        """
        held = np.zeros(len(rows), dtype=bool)
        if self.until:
            for i in np.flatnonzero(table.columns["anchor"][rows]).tolist():
                held[i] = self.holds(table.firms[rows[i]], year)
        return held


def apply(model: BioclusterModel, event: ScriptedEvent) -> None:
    """Make a scripted milestone happen to its anchor (if the anchor is still operating).

    - acquisition: the named pharma buys it at the stated price (exits.acquire);
    - closure: it closes (exits.fail);
    - listing: it lists (exits.ipo), whatever its stage;
    - product: a product of its own reaches the market (its size drawn as for any product);
    - headcount: it hires up to the documented staff (from the labour pool, as far as it holds
      people), and its markets (products, contract research, licences) are taken to pay for that
      staff: a documented headcount was paid for;
    - independent: nothing happens on the date; it only dates the documented life's end.
    """
    firm = next((f for f in model.startups if f.name == event.target and f.origin == Origin.ANCHOR), None)
    if firm is None:
        model.ledger.count("scripted_events_skipped")
        return
    model.ledger.count("scripted_events")
    if event.kind == "acquisition":
        buyer = next(p for p in model.pharma_list if p.name == event.acquirer)
        exits.acquire(model, buyer, firm, price=event.price_musd)
    elif event.kind == "closure":
        exits.fail(model, firm, scripted=True)
    elif event.kind == "listing":
        if not firm.public:
            exits.ipo(model, firm, scripted=True)
    elif event.kind == "product":
        firm.launch_product()
    elif event.kind == "headcount" and event.headcount is not None:
        firm.hire(event.headcount - firm.headcount)
        firm.market_headcount = max(firm.market_headcount, float(event.headcount))
