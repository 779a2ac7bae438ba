"""The national market for listings (mechanisms/listing_market.py): the series it reads, the
share of the month's bids it takes, and the region's share of the country's listings.
"""

from __future__ import annotations

import csv
import dataclasses

import numpy as np
import pytest
from helpers import EMPTY, ROOT, TINY, startup

from ecosim.agents.startup import Companies
from ecosim.constants import Constants
from ecosim.mechanisms.listing_market import SERIES_FILE, ListingMarket, national_series
from ecosim.model import BioclusterModel
from ecosim.packagedata import data_file
from ecosim.scenario import load


def sourced(column: str, market: str = "us") -> dict[int, float]:
    """The figures of ``column`` the data file states for ``market``, by year (read here without
    the model)."""
    with data_file(SERIES_FILE, "series").open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {int(r["year"]): float(r[column]) for r in rows if r["market"] == market and r[column].strip()}


def market_world(market: str | None = "us", **constants) -> BioclusterModel:
    """The tiny region, empty, on ``market``'s national market for listings."""
    overrides = {
        **EMPTY,
        "pharma": [{"name": "Big Pharma", "open_innovation": 0.0}],
        "listing_market": market,
    }
    scenario = load(TINY, overrides=overrides)
    return BioclusterModel(scenario, rng=7, constants=dataclasses.replace(Constants(), **constants))


def clinic(model: BioclusterModel, count: int) -> list:
    """``count`` private companies of quality 1 in the clinic (listing chance ipo_rate_year / 12)."""
    firms = [startup(model, quality=1.0) for _ in range(count)]
    for firm in firms:
        firm.stage_index = 2
    return firms


def at_year(model: BioclusterModel, year: int) -> None:
    model.time = (year - model.cluster.start_year) * 12 + 1.0  # the year's first month
    assert int(model.year) == year


@pytest.mark.parametrize("market", ["us", "jp", "uk"])
def test_every_market_states_its_sourced_years(market):
    series = national_series(market)
    listed, private = sourced("listings", market), sourced("private_companies", market)
    assert listed and private
    for year, value in listed.items():
        assert series.listings_in(year) == value
    for year, value in private.items():
        assert series.private_in(year) == value


def test_the_series_interpolates_between_its_sourced_years():
    series = national_series("us")
    listed = sourced("listings")
    first, last = min(listed), max(listed)
    assert series.listings_in(first - 5) == listed[first] and series.listings_in(last + 5) == listed[last]
    # A year between two sourced ones lies on the line between them.
    years = sorted(listed)
    gap = next((a, b) for a, b in zip(years, years[1:], strict=False) if b - a > 1)
    a, b = gap
    assert series.listings_in(a + 1) == pytest.approx(listed[a] + (listed[b] - listed[a]) / (b - a))


def test_a_scarce_market_takes_a_share_of_the_bids():
    model = market_world(ipo_rate_year=6.0)  # listing chance 0.5 a month at quality 1
    companies = Companies.of(model, clinic(model, 10))
    series = national_series("us")
    listed = {year: n for year, n in sourced("listings").items() if n > 0}
    scarce = min(listed, key=listed.get)  # the driest year with a listing
    at_year(model, scarce)
    model.listing_market.open_month(companies)
    # the region's bids (10 x 0.5) and the rest of the country's (each of its private companies
    # bids like the region's: 0.5)
    expected = series.listings_in(scarce) / 12.0 / (5.0 + 0.5 * series.private_in(scarce))
    assert expected < 1.0
    assert model.listing_market.acceptance == pytest.approx(expected)
    # The listing decision reads it: the same draws, the chance times the acceptance.
    model.rng = np.random.default_rng(3)
    listed = companies.ready_to_list()
    model.rng = np.random.default_rng(3)
    draws = companies.draws()
    assert listed.tolist() == (draws < 0.5 * expected).tolist()
    # Listed companies do not bid: with every company public, the market takes every bid.
    for firm in companies.each(np.ones(10, dtype=bool)):
        firm.public = True
    model.listing_market.open_month(companies)
    assert model.listing_market.acceptance == 1.0


def test_the_rest_of_the_country_is_data_never_the_regions_own_count():
    """A region's sourced share of the country's companies takes them out of the rest of the
    country's bidders; a region whose model holds more companies than the whole country still
    meets the country's others and never takes every listing (Japan, 2021).
    """
    series = national_series("jp")
    offered, country = series.listings_in(2021) / 12.0, series.private_in(2021)
    for share, count in ((None, 10), (0.35, 10), (0.35, 2000)):
        model = market_world("jp", ipo_rate_year=6.0)  # listing chance 0.5 a month at quality 1
        model.listing_market = ListingMarket(model, "jp", share)
        companies = Companies.of(model, clinic(model, count))
        at_year(model, 2021)
        model.listing_market.open_month(companies)
        rest = country * (1.0 - (share or 0.0))
        expected = offered / (0.5 * count + 0.5 * rest)
        assert model.listing_market.acceptance == pytest.approx(expected), (share, count)
        # The region's expected listings this month: its share of the bidders, never all.
        assert 0.5 * count * expected < offered


def test_a_hot_market_with_few_bidders_takes_every_bid():
    model = market_world(ipo_rate_year=0.012)  # one bid in a thousand a month
    companies = Companies.of(model, clinic(model, 5))
    hot = max(sourced("listings"), key=lambda y: sourced("listings")[y])
    at_year(model, hot)
    model.listing_market.open_month(companies)
    assert model.listing_market.acceptance == 1.0


@pytest.mark.parametrize("pull", [0.0, 0.5, 1.0])
def test_a_hot_window_pulls_companies_public_as_far_as_its_pull_says(pull):
    model = market_world(ipo_rate_year=0.012, hot_window_pull=pull)  # one bid in a thousand a month
    companies = Companies.of(model, clinic(model, 5))
    series = national_series("us")
    hot = max(sourced("listings"), key=lambda y: sourced("listings")[y])
    at_year(model, hot)
    model.listing_market.open_month(companies)
    # Five bids of 0.001 and the rest of the country's, each like the region's average: the offer
    # is r times them, and a hot window takes each bid 1 + pull x (r - 1) times.
    ratio = series.listings_in(hot) / 12.0 / (0.001 * 5 + 0.001 * series.private_in(hot))
    assert ratio > 1.0
    assert model.listing_market.acceptance == pytest.approx(1.0 + pull * (ratio - 1.0))
    model.rng = np.random.default_rng(3)
    listed = companies.ready_to_list()
    model.rng = np.random.default_rng(3)
    assert listed.tolist() == (companies.draws() < 0.001 * model.listing_market.acceptance).tolist()
    # A dry year takes its share of the bids, whatever the pull.
    scarce = min((y for y, n in sourced("listings").items() if n > 0), key=lambda y: sourced("listings")[y])
    dry = market_world(ipo_rate_year=6.0, hot_window_pull=pull)
    crowd = Companies.of(dry, clinic(dry, 10))
    at_year(dry, scarce)
    dry.listing_market.open_month(crowd)
    assert dry.listing_market.acceptance == pytest.approx(
        series.listings_in(scarce) / 12.0 / (5.0 + 0.5 * series.private_in(scarce))
    )


def test_without_a_market_companies_list_by_their_own_odds():
    model = market_world(None, ipo_rate_year=6.0)
    companies = Companies.of(model, clinic(model, 50))
    model.listing_market.open_month(companies)
    assert model.listing_market.acceptance == 1.0
    model.rng = np.random.default_rng(3)
    listed = companies.ready_to_list()
    model.rng = np.random.default_rng(3)
    assert listed.tolist() == (companies.draws() < 0.5).tolist()


def test_the_region_wins_its_share_of_the_countrys_listings():
    """A year of months in a scarce market: the region's listings are the country's listings
    times the region's share of the country's private companies (all bidding alike), within the
    lottery's noise (seed 7, 400 companies: the expected count's Poisson 3-sigma band).
    """
    model = market_world(ipo_rate_year=12.0)  # every company bids every month
    firms = clinic(model, 400)
    series = national_series("us")
    year = max(sourced("listings"), key=lambda y: sourced("listings")[y])
    at_year(model, year)
    expected = series.listings_in(year) * 400.0 / (400.0 + series.private_in(year))
    listed = 0
    for _ in range(12):
        private = [firm for firm in firms if not firm.public]
        companies = Companies.of(model, private)
        model.listing_market.open_month(companies)
        chosen = companies.ready_to_list()
        for firm in companies.each(chosen):
            firm.public = True
        listed += int(chosen.sum())
    assert abs(listed - expected) <= 3.0 * np.sqrt(expected)
    # Without the market, every one of them lists in the first month.
    free = market_world(None, ipo_rate_year=12.0)
    assert Companies.of(free, clinic(free, 400)).ready_to_list().all()


# Each cluster lists on its own country's market: Japan's took 1-5 bio-ventures a year in 2002-2021
# and London's 0-10 healthcare IPOs a year (the data file's sources); the US clusters list by their
# own odds, the hazard the fit sets on their exit timing (mechanisms/listing_market.py says why).
SCENARIOS = ROOT / "scenarios"
COUNTRY_MARKETS = {
    "boston": None,
    "bay_area": None,
    "san_diego": None,
    "london": "uk",
    "kobe": "jp",
    "king_skyfront": "jp",
    "shonan": "jp",
    "link_j": "jp",
    "greater_tokyo": "jp",
}


def test_each_cluster_lists_on_its_countrys_market():
    scenarios = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
    for name in scenarios:
        base = name.split("_no_")[0].split("_weak_")[0]  # the counterfactual variants of a cluster
        assert load(SCENARIOS / f"{name}.yaml").listing_market == COUNTRY_MARKETS[base], name


def test_a_japanese_region_lists_as_japans_market_lets_it(monkeypatch):
    """Kobe 1998-2020 on Japan's market, seed 1: its listings are what the market's acceptance
    lets its companies' bids win (the sum over the months of bids x acceptance, within the
    Poisson band of 3 sigma, plus 1 for the bids made before a company's month changes them),
    and the market binds (acceptance below one in more than three of four months with a bid; it
    does not while few companies are ready, in the first years), so the bids by the companies' own
    odds would list more than twice as many.
    """
    months: list[tuple[float, float]] = []
    opened = ListingMarket.open_month

    def recorded(market: ListingMarket, companies: Companies) -> None:
        opened(market, companies)
        months.append((ListingMarket.bids_of(companies)[1], market.acceptance))

    monkeypatch.setattr(ListingMarket, "open_month", recorded)
    model = BioclusterModel(load(SCENARIOS / "kobe.yaml"), rng=1)
    while model.running:
        model.step()
    listed = int(model.datacollector.get_model_vars_dataframe()["exits_ipo"].sum())
    expected = sum(bids * acceptance for bids, acceptance in months)
    own_odds = sum(bids for bids, _ in months)
    assert abs(listed - expected) <= 3.0 * np.sqrt(expected) + 1.0
    bidding = [acceptance for bids, acceptance in months if bids > 0]
    assert sum(acceptance < 1.0 for acceptance in bidding) > 0.75 * len(bidding)
    assert 2.0 * expected < own_odds
