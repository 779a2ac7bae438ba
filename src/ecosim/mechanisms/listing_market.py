"""The national market for listings: how many companies a year the public market takes.

A region's companies do not list on their own schedule alone. Each year a country's public
market takes a limited number of biotech IPOs (US: 1 in 2008, 65 in 2000, 86 in 2020; the
series is in src/ecosim/data/national_listings.csv with its sources), and the region's
companies compete for them with every other private biotech company of the country.

Each month the market offers a twelfth of the year's listings. The region's companies that
are ready to list bid with their own listing odds (CompanyBooks.listing_chance: quality,
stage, the news of their last milestone); the rest of the country bids with its other
private companies, each taken to bid like the region's average private company (the only
thing known about them is how many they are). How many the others are is data, never the
model's own count: the country's private companies times one minus the region's sourced
share of them (Scenario.listing_market_share; 0 where no count of the region's was found, the
region taken as a small part of the country), so a region whose model holds more companies
than its real share wins more listings, and never the whole country's. When the bids add up
to more than the month's listings, each bid wins in proportion (``acceptance`` below one): a
quality-weighted lottery for the month's listings. When they add up to less (a hot window, few
companies ready), every ready company lists, and a hot window may pull more companies public than
their own odds would (Constants.hot_window_pull: 0 at the default, none; 1, the market clears).

A scenario names its market (Scenario.listing_market); a scenario that names none lists by its
companies' own odds alone. The Japanese clusters name Japan's (1-5 bio-venture listings a year)
and London the UK's; the US clusters name none: refitted with the US market, they met more of
their history and listed nearer the dated counts, but their companies waited longer than the
reference allows for an IPO (results/history/listing_market_refit), and the listing hazard the
fit sets is the US clusters' own.

What it does not do: the region's listings are not taken out of the national count, and the
other companies' readiness is not modelled year by year (only their number).
"""

from __future__ import annotations

import csv
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from ecosim.packagedata import data_file

if TYPE_CHECKING:
    from ecosim.agents.startup import Companies
    from ecosim.model import BioclusterModel

SERIES_FILE = "national_listings.csv"
"""The data file of the national series (src/ecosim/data/national_listings.csv)."""


class NationalSeries(NamedTuple):
    """A country's biotech listings a year and its private biotech companies, by year.

    Years between two sourced figures are interpolated linearly; years before the first or after
    the last take the nearest figure (the file says which years are sourced).
    """

    listings: np.ndarray
    listing_years: np.ndarray
    private: np.ndarray
    private_years: np.ndarray

    def listings_in(self, year: float) -> float:
        """Biotech IPOs the country's market takes in ``year`` (interpolated)."""
        return float(np.interp(int(year), self.listing_years, self.listings))

    def private_in(self, year: float) -> float:
        """Private biotech companies in the country in ``year`` (interpolated)."""
        return float(np.interp(int(year), self.private_years, self.private))


@cache
def _rows() -> tuple[dict[str, str], ...]:
    """The data file's rows (read once a process)."""
    path = data_file(SERIES_FILE, "national listings series")
    with path.open(encoding="utf-8") as handle:
        return tuple(csv.DictReader(line for line in handle if not line.startswith("#")))


@cache
def national_series(market: str) -> NationalSeries:
    """The sourced series of ``market`` (a value of Scenario.listing_market) from the data file.

    Raises:
        KeyError: the file has no row for ``market`` (a scenario's validation names the markets
            the file holds, so a run never gets here with an unknown one).
    """
    rows = [row for row in _rows() if row["market"] == market]
    if not rows:
        raise KeyError(f"no rows for the listing market {market!r} in data/{SERIES_FILE}")
    listed = sorted((int(r["year"]), float(r["listings"])) for r in rows if r["listings"].strip())
    private = sorted(
        (int(r["year"]), float(r["private_companies"])) for r in rows if r["private_companies"].strip()
    )
    return NationalSeries(
        listings=np.array([v for _, v in listed]),
        listing_years=np.array([y for y, _ in listed]),
        private=np.array([v for _, v in private]),
        private_years=np.array([y for y, _ in private]),
    )


def markets() -> tuple[str, ...]:
    """The markets the data file holds (the values Scenario.listing_market may take)."""
    return tuple(sorted({row["market"] for row in _rows()}))


class ListingMarket:
    """The month's national market for listings, as the region's companies meet it.

    Attributes:
        series: the country's series, or None (no national market: every ready company lists).
        others: the share of the country's private companies outside the region.
        acceptance: the share of the month's bids that win (1: the market takes every one; above
            1 in a hot window that pulls companies public, Constants.hot_window_pull).
    """

    def __init__(self, model: BioclusterModel, market: str | None, share: float | None = None) -> None:
        self.model = model
        self.series = None if market is None else national_series(market)
        self.others = 1.0 - (share or 0.0)
        self.acceptance = 1.0

    @staticmethod
    def bids_of(companies: Companies) -> tuple[int, float]:
        """The region's private companies and their bids: the sum of their listing odds this month."""
        private = np.logical_not(companies.public)
        count = int(private.sum())
        return count, float(companies.some(private).listing_chance().sum()) if count else 0.0

    def open_month(self, companies: Companies) -> None:
        """Set the month's ``acceptance`` from the bids of ``companies`` (the region's) and of
        the rest of the country.
        """
        if self.series is None:
            return
        count, bids = self.bids_of(companies)
        if bids <= 0.0:
            self.acceptance = 1.0
            return
        year = self.model.year
        # The rest of the country bids like the region's average private company.
        rest = self.series.private_in(year) * self.others
        national_bids = bids + bids / count * rest
        offered = self.series.listings_in(year) / 12.0
        ratio = offered / national_bids
        # A dry market takes its share of the bids; a hot one takes every bid and, as far as
        # Constants.hot_window_pull says, pulls more companies public than their own odds.
        pull = self.model.constants.hot_window_pull
        self.acceptance = ratio if ratio <= 1.0 else 1.0 + pull * (ratio - 1.0)
