"""How a company leaves the private population: acquisition, IPO or failure.

Each exit pays the company's investors, and acquisitions and failures release its staff:
the release feeds new founding (founding.release_talent), serial founders and alumni VCs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecosim.agents.firm import Fate
from ecosim.mechanisms import founding

if TYPE_CHECKING:
    from ecosim.agents.pharma import Pharma
    from ecosim.agents.startup import Startup
    from ecosim.model import BioclusterModel


def valuation(model: BioclusterModel, startup: Startup) -> float:
    """USD m a buyer or the market pays: rounds so far, scaled by quality and progress, plus
    years of sales for a company with products.
    """
    c = model.constants
    stage_value = 4.0 * model.round_size(startup.stage_index)
    pipeline = stage_value * (0.5 + startup.quality) * (1.0 + 0.5 * min(startup.milestones, 4))
    return pipeline + c.price_to_sales * startup.revenue_musd_year()


def pay_investors(startup: Startup, value: float) -> None:
    """Every investor collects its stake of ``value``."""
    for investor, stake in startup.investors.items():
        investor.collect(stake * value)


def acquire(
    model: BioclusterModel, buyer: Pharma, startup: Startup, price: float | None = None, kept: bool = False
) -> None:
    """A pharma buys a startup: investors and employees are paid, the staff stay for a while.

    Investors collect their stakes of the price and employees the equity share of it; the
    company stops being a firm of its own, and its staff go on working for the buyer (at its
    site, or as the buyer's unit at the bought firm's place) and leave over the following years
    (PharmaSite.shed_acquired_staff); its founders may found again or start a VC. A firm the
    buyer keeps as a site of its own (``kept``: an anchor whose staff are documented after its
    sale, mechanisms/history.py) keeps its staff as the site's (Pharma.absorb).
    """
    c = model.constants
    price = valuation(model, startup) * c.acquisition_premium if price is None else price
    pay_investors(startup, price)
    payout_per_head = c.employee_equity_share * price / max(1, startup.headcount)
    startup.acquirer = buyer.name
    model.ledger.count("exits_acquired")
    startup.close(Fate.ACQUIRED)
    buyer.absorb(startup, payout_per_head, kept=kept)
    reward_founders(model, startup, price)


def ipo(model: BioclusterModel, startup: Startup, scripted: bool = False) -> None:
    """A company lists: it raises public money, investors mark their stakes to market.

    An anchor whose listing the scenario scripts lists on that date (``scripted``), not before
    (mechanisms/history.py).
    """
    if not scripted and model.script.lists_later(startup, model.year):
        return
    c = model.constants
    value = valuation(model, startup) * c.ipo_premium
    raised = value * c.ipo_raise_share
    startup.public = True
    startup.fate = Fate.LISTED
    startup.fate_year = startup.listed_year = model.year
    startup.receive(raised)
    pay_investors(startup, value)
    startup.investors.clear()
    if startup.seat is not None:
        startup.seat.vacate(startup)
    model.ledger.count("exits_ipo")
    reward_founders(model, startup, value)


def fail(model: BioclusterModel, startup: Startup, scripted: bool = False) -> None:
    """A company out of cash (or stuck) closes; its staff are released (some found again).

    An anchor in its documented life does not close (mechanisms/history.py): history says it
    went on, and its debts are carried until its next scripted milestone; a scripted closure
    (``scripted``) closes it.
    """
    if not scripted and model.script.holds(startup, model.year):
        return
    model.ledger.count("failures")
    startup.close(Fate.FAILED)
    founding.release_talent(model, startup, startup.headcount, boost=model.constants.distress_founding_factor)


def reward_founders(model: BioclusterModel, startup: Startup, value: float) -> None:
    """After a company's first successful exit its founders found again (serial founders) or
    start a VC.

    A company exits successfully at most twice (it lists, then is bought), but its founders
    cash out and move on once: a later exit of the same company rewards nobody again
    (Startup.founders_rewarded), else a listed firm's sale made its founders found and start
    funds a second time.
    """
    if startup.founders_rewarded:
        return
    startup.founders_rewarded = True
    c = model.constants
    for _ in range(c.founders_per_exit):
        if model.random.random() < c.serial_found_prob:
            model.later(float(model.rng.integers(12, 49)), founding.found_after_release, startup)
    if value >= c.alumni_vc_min_exit_musd and model.random.random() < c.release_vc_share:
        model.open_vc(
            startup.xy_km,
            value * c.alumni_fund_share,
            origin="alumni",
            name=f"{startup.label} alumni ventures",
        )
