"""Scripted history: the anchor firms' documented milestones and their documented lives.

An anchor's milestones (the scenario's ``events``) are history, not outcomes of the model: on its
date the firm lists, launches a product, employs its documented staff or is bought. From its
founding to its last scripted event (its documented life) the model's own exits do not end it:
it does not fail or close, no buyer takes it unscripted, and it does not list before a scripted
listing. Its staff follow its documented headcounts: on a count's date it employs that staff,
and from each count to the next it employs month by month the staff of a constant rate of growth
between them (staff_path), so that it neither outgrows its documented size on the way nor falls
short of it: the people a documented count employs were employed, so those the region's labour
pool lacks move in for those jobs (come_for_documented_jobs; before its first count and after its
last the model sets its staff, from the pool as any firm). An anchor whose headcounts are
documented after its sale is kept by its buyer as a site of its own (Genentech under Roche): its
staff are the site's, not a bought firm's being shed, and they go on following the counts
(KeptSite.keep_staff). What happens after its last event, and everything its staff, money and
alumni do meanwhile (spinouts, alumni funds), is left to the model: the cascade after an anchor
stays emergent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents.firm import Origin
from ecosim.agents.pharma import KeptSite
from ecosim.mechanisms import exits

if TYPE_CHECKING:
    from ecosim.agents.company_table import CompanyTable
    from ecosim.agents.firm import Firm
    from ecosim.agents.startup import Startup
    from ecosim.model import BioclusterModel
    from ecosim.scenario import Scenario, ScriptedEvent


@dataclass(frozen=True)
class Script:
    """When each anchor's documented life ends and when it lists, from the scenario's events.

    Attributes:
        until: anchor name -> decimal year of its last scripted event (its documented life runs
            from its founding to that month).
        listing: anchor name -> decimal year of its scripted listing.
        counts: anchor name -> its documented headcounts (the scenario's headcount events), in
            time order (its staff follow them from the first to the last: staff_path).
    """

    until: dict[str, float] = field(default_factory=dict)
    listing: dict[str, float] = field(default_factory=dict)
    counts: dict[str, list[ScriptedEvent]] = field(default_factory=dict)

    @classmethod
    def of(cls, scenario: Scenario) -> Script:
        """The script of a scenario's events."""
        until: dict[str, float] = {}
        listing: dict[str, float] = {}
        counts: dict[str, list[ScriptedEvent]] = {}
        for event in scenario.events:
            until[event.target] = max(until.get(event.target, -np.inf), event.when)
            if event.kind == "listing":
                listing[event.target] = event.when
            if event.kind == "headcount":
                counts.setdefault(event.target, []).append(event)
        return cls(
            until, listing, {name: sorted(events, key=lambda e: e.when) for name, events in counts.items()}
        )

    def holds(self, firm: Firm, year: float) -> bool:
        """Whether ``firm`` is an anchor still in its documented life in ``year``."""
        return firm.origin == Origin.ANCHOR and year < self.until.get(firm.name, -np.inf)

    def sets_staff(self, firm: Firm, year: float) -> bool:
        """Whether ``firm`` is an anchor whose staff follow its documented headcounts in ``year``
        (from the month of its first count to that of its last): the model's own hiring and cuts
        (a round's hires, a listed company's growth, cuts for cash) leave them alone
        (Startup.staffed_by_history).
        """
        if firm.origin != Origin.ANCHOR or firm.name not in self.counts:
            return False
        counts = self.counts[firm.name]
        return counts[0].when <= year <= counts[-1].when

    def kept_after(self, name: str, year: float) -> bool:
        """Whether the anchor called ``name``, sold in ``year``, has documented headcounts after
        the sale: its buyer kept it as a site of its own (Pharma.absorb).
        """
        return any(count.when > year for count in self.counts.get(name, []))

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


def staff_path(counts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The staff an anchor employs month by month between its documented headcounts.

    Args:
        counts: its documented headcounts as (month, staff), in time order.

    Returns:
        (month, staff) for every month between its first and its last count, at a constant rate
        of growth from one count to the next (geometric interpolation: firms grow by rates, not
        by a fixed number of people a month); the months of the counts themselves are left out,
        since their events employ the documented staff (apply). Before its first count nothing
        is documented and the model sets its staff.
    """
    path = []
    for (start, staff), (month, documented) in zip(counts, counts[1:], strict=False):
        for between in range(start + 1, month):
            share = (between - start) / (month - start)
            path.append((between, round(staff * (documented / staff) ** share)))
    return path


def anchor_named(model: BioclusterModel, name: str) -> Startup | None:
    """The operating anchor firm called ``name`` (None once it is bought or closed)."""
    return next((f for f in model.startups if f.name == name and f.origin == Origin.ANCHOR), None)


def documented_firm(model: BioclusterModel, name: str) -> Startup | KeptSite | None:
    """The firm whose staff the documented headcounts of the anchor ``name`` describe: the
    operating anchor, or after its sale the site its buyer kept it as (None once neither is
    active).
    """
    firm = anchor_named(model, name)
    if firm is not None:
        return firm
    return next(
        (
            unit
            for pharma in model.pharma_list
            for unit in pharma.units
            if unit.active and isinstance(unit, KeptSite) and unit.bought == name
        ),
        None,
    )


def come_for_documented_jobs(model: BioclusterModel, wanted: int) -> None:
    """People move into the region for ``wanted`` documented jobs that its labour pool cannot
    fill: a documented headcount is history (Genzyme employed its 4,500 in 2010-11 whatever else
    the region was hiring), so the people it employed came, from the pool as far as it holds them
    and from elsewhere for the rest. Only the documented staff draw them: the anchor's model-set
    hiring and everyone else's stay bounded by the pool and its movers (labour.turn_over).
    """
    short = wanted - int(model.labour.people)
    if short > 0:
        model.labour.move_in(float(short))


def employ(firm: Startup, staff: int) -> None:
    """The anchor employs ``staff`` people: it hires the difference from the labour pool (which
    holds them: come_for_documented_jobs) or lets the excess go, and its markets (products,
    contract research, licences) are taken to pay for that staff, neither more nor less: a
    documented headcount was paid for, and its own product markets are history's until its last
    count. After it they stay at that staff (documented_market, which does not fade as a
    product's market does) plus any product it launches.
    """
    if staff > firm.headcount:
        firm.hire(staff - firm.headcount)
        firm.count_as_large_if_grown()
    elif staff < firm.headcount:
        firm.cut_staff(firm.headcount - staff)  # released as any firm's cut staff
    firm.market_headcount = firm.documented_market = float(staff)


def follow_staff(model: BioclusterModel, name: str, staff: int) -> None:
    """A month of an anchor's documented staff (staff_path): it, or the site its buyer kept it
    as, employs ``staff`` people.
    """
    firm = documented_firm(model, name)
    if firm is None:
        return
    come_for_documented_jobs(model, staff - firm.headcount)
    if isinstance(firm, KeptSite):
        firm.keep_staff(staff)
    else:
        employ(firm, staff)


def apply(model: BioclusterModel, event: ScriptedEvent) -> None:
    """Make a scripted milestone happen to its anchor (if the anchor is still operating).

    - acquisition: the named pharma buys it at the stated price (exits.acquire), and keeps it as
      a site of its own if its headcounts are documented after the sale (Script.kept_after);
    - closure: it closes (exits.fail);
    - listing: it lists (exits.ipo), whatever its stage;
    - product: a product of its own reaches the market (its size drawn as for any product);
    - headcount: it employs the documented staff (employ: hiring from the labour pool, people
      moving in for the jobs it cannot fill, or letting the excess go), its markets paying for
      them; after its sale, the site its buyer kept it as employs them (KeptSite.keep_staff);
    - independent: nothing happens on the date; it only dates the documented life's end.
    """
    if event.kind == "headcount" and event.headcount is not None:
        counted = documented_firm(model, event.target) is not None
        model.ledger.count("scripted_events" if counted else "scripted_events_skipped")
        follow_staff(model, event.target, event.headcount)
        return
    firm = anchor_named(model, event.target)
    if firm is None:
        model.ledger.count("scripted_events_skipped")
        return
    model.ledger.count("scripted_events")
    if event.kind == "acquisition":
        buyer = next(p for p in model.pharma_list if p.name == event.acquirer)
        kept = model.script.kept_after(event.target, event.when)
        exits.acquire(model, buyer, firm, price=event.price_musd, kept=kept)
    elif event.kind == "closure":
        exits.fail(model, firm, scripted=True)
    elif event.kind == "listing":
        if not firm.public:
            exits.ipo(model, firm, scripted=True)
    elif event.kind == "product":
        firm.launch_product()
