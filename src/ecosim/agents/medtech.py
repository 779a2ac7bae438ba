"""Device, diagnostics and service firms: the life-science firms that live on sales.

The figures a cluster is known by count more than drug developers. Biocom's five subsectors
(the source document's 2019 jobs of the Bay Area and San Diego) are biopharmaceutical
manufacturing, medical devices and diagnostics, research and lab services (contract and testing
labs besides biotech R&D), wholesale and bio-renewables; in San Diego in 2016 devices held 20% of
the jobs and research and lab services 55% (docs/FIGURES.md). Such firms sell a product or a
service within their first years and grow on their sales, not on venture rounds toward a trial:
they neither raise rounds nor list, and they leave the region by closing or being sold and
merged into their buyer. A `Startup` is the other kind: the drug developer that raises rounds.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from ecosim.activation import shuffled
from ecosim.agents.firm import Fate, Firm, Origin
from ecosim.mechanisms import founding
from ecosim.rates import monthly_share

if TYPE_CHECKING:
    from ecosim.model import BioclusterModel

_NORMAL = NormalDist()
_TINY = 1e-12
"""Keeps a truncated draw's quantile inside (0, 1), where the inverse is defined."""


class Medtech(Firm):
    """A device, diagnostics or tools maker, or a contract research or testing lab.

    It is founded by the region's channels (founding.founded_kind says which kind a founding
    makes), hires from the labour pool toward the staff its sales support, and leaves the
    region at a yearly hazard (closed, or sold and merged away), releasing its staff; its people
    spin out firms of its own kind, like any firm's.

    Attributes (besides a Firm's):
        institution: the university whose technology it licensed (academic foundings).
        sales_headcount: staff its sales support once it has grown (drawn at founding).
    """

    kind: ClassVar[str] = "medtech"
    stage_label: ClassVar[str] = "sales"

    def __init__(
        self,
        model: BioclusterModel,
        *,
        origin: Origin,
        xy_km: np.ndarray,
        quality: float,
        headcount: int,
        parent: Firm | None = None,
        institution: str = "",
        sales: int | None = None,
    ) -> None:
        super().__init__(
            model, origin=origin, xy_km=xy_km, quality=quality, headcount=headcount, parent=parent
        )
        self.institution = institution
        self.sales_headcount = sales_headcount(model, self.quality) if sales is None else sales

    @property
    def sales_headcount(self) -> int:
        """Staff its sales support once it has grown."""
        return self._sales_headcount

    @sales_headcount.setter
    def sales_headcount(self, staff: int) -> None:
        self._sales_headcount = staff
        self.model.other_firm_table.write(self.other_row, "sales_headcount", staff)

    def success(self) -> float:
        """How far it has grown toward the staff its sales support, in (0, 1]: a firm that sells
        as it meant to looks successful to its staff (better parents spin out more).
        """
        # min(1.0, max(headcount, 1) / max(sales_headcount, 1)) written with conditionals: the
        # same number at half the cost (employee spinouts ask every firm every month).
        staff, sales = self.headcount, self.sales_headcount
        share = (staff if staff > 1 else 1) / (sales if sales > 1 else 1)
        return share if share < 1.0 else 1.0

    def step(self) -> None:
        """One month: grow toward the staff its sales support, then perhaps leave (the odds drawn
        from the ``kinds`` stream, as its kind and size were). The model steps every firm at
        once (step_medtechs).
        """
        self.month(self.model.streams["kinds"].random() < exit_odds(self.model))

    def month(self, leaves: bool) -> None:
        """One month whose exit draw is made: grow, then leave if ``leaves``."""
        self.grow()
        if leaves:
            self.leave()

    def grow(self) -> None:
        """Hire toward ``sales_headcount``: a share ``medtech_growth_year`` of the gap a year,
        at least one person a month while there is a gap (only people the pool holds).
        """
        gap = self._sales_headcount - self.headcount  # its own number, not the property
        if gap > 0:
            self.hire(monthly_hires(gap, self.model.constants.medtech_growth_year))

    def leave(self) -> None:
        """Close, or be sold and merged into the buyer: the staff are let go (some found firms,
        founding.release_talent), as a failed company's are. A simplification: most exits of
        device startups are sales (docs/EVIDENCE.md), after which staff would stay a while, as
        a bought drug developer's do.
        """
        self.model.ledger.count("medtech_exits")
        self.close(Fate.CLOSED)
        founding.release_talent(
            self.model, self, self.headcount, boost=self.model.constants.distress_founding_factor
        )


def exit_odds(model: BioclusterModel) -> float:
    """A firm's odds of leaving the region in a month: the monthly share that compounds to
    ``medtech_exit_rate_year`` in a year (rates.monthly_share).
    """
    return monthly_share(model.constants.medtech_exit_rate_year)


def step_medtechs(model: BioclusterModel) -> None:
    """Every device and service firm's month (Medtech.step), as Mesa's ``shuffle_do("step")``
    makes them, at a fraction of its cost.

    The firms are visited in the order shuffle_do visits them (activation.shuffled: the same
    draws from the set's generator). Their exit draws are made at once, before the first turn:
    ``Generator.random(n)`` gives the numbers that n calls of ``random()`` give, and nothing
    else draws from the ``kinds`` stream during the turns (growing hires from the pool; leaving
    counts, closes the firm and releases its staff, whose founders draw from ``model.rng`` and
    found in a later month). A firm's turn removes only itself, so every firm listed has its
    turn, as in shuffle_do, and the hires and releases reach the pool in the same order.
    """
    agents = model.agents_by_type.get(Medtech)
    if agents is None:
        return
    # Firms opened earlier this month (by a university's licence, say) take their first turn next month.
    firms = [firm for firm in shuffled(agents, agents.random) if model.in_month_before(firm)]
    leaving = (model.streams["kinds"].random(len(firms)) < exit_odds(model)).tolist()
    for firm, leaves in zip(firms, leaving, strict=True):
        firm.month(leaves)


def monthly_hires(gap: int, growth_year: float) -> int:
    """People a firm ``gap`` short of the staff its sales support hires in a month: a share
    ``growth_year`` of the gap a year, at least one while there is a gap, never more than it.
    """
    return min(gap, max(1, round(gap * growth_year / 12.0)))


def sales_headcount(model: BioclusterModel, quality: float, at_most: int | None = None) -> int:
    """Staff a new firm's sales will support: lognormal around ``medtech_size_median`` (spread
    ``medtech_size_sigma``), scaled by quality against the mean (better teams sell more; Klepper's
    heredity reaches size through quality), at most ``medtech_size_max`` (the size distribution is
    the whole industry's, whose largest firms are global; a region's largest device makers
    employed about 2,000 there). Drawn from the model's ``kinds`` stream.

    With ``at_most``, a firm of a count that holds only firms of at most that many staff: the same
    lognormal truncated there (drawn below the cap's quantile, one uniform draw), not clipped,
    which would pile the tail's firms at the cap.
    """
    c = model.constants
    if at_most is None:
        # The foundings' draw as it always was (its product in this order, so its rounding too).
        z = float(model.streams["kinds"].standard_normal())
        draw = c.medtech_size_median * math.exp(c.medtech_size_sigma * z)
        return min(c.medtech_size_max, max(1, round(draw * quality / c.quality_mean)))
    scale = c.medtech_size_median * quality / c.quality_mean
    # round(x) <= at_most for every x below at_most + 0.5: the quantile of that size.
    top = _NORMAL.cdf(math.log((at_most + 0.5) / scale) / c.medtech_size_sigma)
    u = float(model.streams["kinds"].random()) * top
    z = _NORMAL.inv_cdf(min(max(u, _TINY), 1.0 - _TINY))
    return min(c.medtech_size_max, at_most, max(1, round(scale * math.exp(c.medtech_size_sigma * z))))


def grown_staff(sales: int, months: int, founding_team: int, growth_year: float) -> int:
    """Staff of a firm ``months`` after its founding by ``founding_team`` people, grown by the
    monthly rule (monthly_hires) toward ``sales`` with the labour pool never short: the firms
    already in a region at the start stand where their age has brought them.
    """
    staff = min(founding_team, sales)
    for _ in range(months):
        if staff >= sales:
            break
        staff += monthly_hires(sales - staff, growth_year)
    return staff
