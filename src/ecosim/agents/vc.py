"""Venture-capital firms: invest with a local bias, earn at exits, raise new funds."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents.site import Site

if TYPE_CHECKING:
    from ecosim.model import BioclusterModel


MONTHLY_LEAD_DECAY = np.exp(-1.0 / 12.0)
"""What is left of a led round's claim on the partners' time after a month (a year's mean life)."""


def capacity_left(recent_leads: float | np.ndarray, leads_per_year: float) -> float | np.ndarray:
    """Share of a fund's yearly deal capacity still free (0-1), of one fund or of many at once
    (the round market asks for every fund's each month): partners can lead only so many rounds a
    year (Constants.vc_leads_per_year), however much money the fund has.
    """
    return np.maximum(0.0, 1.0 - np.asarray(recent_leads) / leads_per_year)


class VentureCapital(Site):
    """A VC with an office in the region.

    Attributes:
        name: the firm's name.
        origin: "scenario", "arrival", "alumni" (founded by a successful founder) or "policy".
        dry_powder: USD m left to invest in the current fund.
        fund_size: USD m of the current fund.
        invested: USD m invested so far, all funds.
        returned: USD m returned from exits, all funds.
        deals: rounds led so far.
        exits: portfolio companies exited (acquisition or IPO).
    """

    def __init__(
        self,
        model: BioclusterModel,
        *,
        name: str,
        xy_km: np.ndarray,
        capital: float,
        origin: str = "scenario",
    ) -> None:
        super().__init__(model, name=name, xy_km=xy_km)
        self.origin = origin
        self.fund_size = float(capital)
        self.dry_powder = float(capital)
        self.fund_started = model.month_step
        self.invested = 0.0
        self.returned = 0.0
        self.returned_this_fund = 0.0
        self.deals = 0
        self.exits = 0
        self.recent_leads = 0.0

    def step(self) -> None:
        """One month: raise a new fund once the current one is spent and has a track record;
        the partners' time freed by last year's deals comes back.
        """
        if self.fund_spent() and self.fund_age_years() >= self.model.constants.vc_fund_min_years:
            self.raise_fund()
        self.recent_leads *= MONTHLY_LEAD_DECAY

    def capacity_left(self) -> float:
        """Share of its yearly deal capacity still free (0-1; the module's capacity_left)."""
        return float(capacity_left(self.recent_leads, self.model.constants.vc_leads_per_year))

    def fund_spent(self) -> bool:
        """Less than Constants.vc_fund_left_share (a fifth) of the current fund is left."""
        return self.dry_powder < self.model.constants.vc_fund_left_share * self.fund_size

    def fund_age_years(self) -> float:
        """Years since the current fund started."""
        return (self.model.month_step - self.fund_started) / 12.0

    def raise_fund(self) -> None:
        """Limited partners back a new fund in proportion to what the last one returned.

        A fund that returned its size gets a bigger one; a poor one a smaller one; a firm
        whose fund returned almost nothing raises no more (it stays as a dormant office). The
        rules are Constants.vc_min_return_multiple, vc_fund_growth_base and vc_fund_growth_max.
        """
        c = self.model.constants
        multiple = self.returned_this_fund / max(self.fund_size, 1e-9)
        if multiple < c.vc_min_return_multiple:
            return
        # Limited partners' appetite for one manager is finite: the largest life-science venture
        # funds are of the order of USD 1-2 bn (Constants.vc_fund_max_musd).
        grown = self.fund_size * min(c.vc_fund_growth_max, c.vc_fund_growth_base + multiple)
        self.fund_size = min(grown, max(self.fund_size, c.vc_fund_max_musd))
        self.dry_powder += self.fund_size
        self.returned_this_fund = 0.0
        self.fund_started = self.model.month_step

    def invest(self, amount: float) -> float:
        """Commit up to ``amount`` from the fund; return what was committed."""
        committed = min(amount, self.dry_powder)
        self.dry_powder -= committed
        self.invested += committed
        self.deals += 1
        self.recent_leads += 1.0
        return committed

    def collect(self, proceeds: float) -> None:
        """Receive exit proceeds."""
        self.returned += proceeds
        self.returned_this_fund += proceeds
        self.exits += 1
