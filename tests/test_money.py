"""The money table and conversions: to and from the model's unit, USD at 2000 prices."""

from __future__ import annotations

import pytest
from helpers import TINY

from ecosim import money
from ecosim.scenario import ScenarioError, load


def test_the_table_covers_1970_to_2025_with_2000_as_the_base():
    covered = money.years()
    assert covered.start <= 1970 and covered.stop - 1 >= 2025
    assert money.table()[2000].usd_deflator == 100.0
    deflators = [money.table()[y].usd_deflator for y in covered]
    assert deflators == sorted(deflators), "US prices rose every year of the table"
    assert money.table()[2025].provisional and not money.table()[2024].provisional


@pytest.mark.parametrize(
    ("currency", "year", "low", "high"),
    [
        # Published magnitudes the table must reproduce: 2000 prices were ~3.6x those of 1970 and
        # ~0.66x those of 2021 (GDP deflator); ~108 yen and ~0.66 pounds to the dollar in 2000.
        ("USD", 1970, 3.4, 3.8),
        ("USD", 2021, 0.64, 0.68),
        ("JPY", 2000, 1 / 110, 1 / 106),
        ("GBP", 2000, 1.45, 1.58),
    ],
)
def test_one_unit_in_model_dollars(currency, year, low, high):
    assert low < money.to_model_usd(1.0, currency, year) < high


def test_round_trip_and_base_year_identity():
    assert money.to_model_usd(250.0, "USD", 2000) == pytest.approx(250.0)
    for currency in money.CURRENCIES:
        for year in (1976, 1986, 2021):
            there = money.from_model_usd(123.0, currency, year)
            assert money.to_model_usd(there, currency, year) == pytest.approx(123.0)


def test_bad_currency_or_year_is_a_clear_error():
    with pytest.raises(money.MoneyError, match="unknown currency"):
        money.to_model_usd(1.0, "EUR", 2000)
    with pytest.raises(money.MoneyError, match="covers 1970-"):
        money.to_model_usd(1.0, "USD", 1921)


def test_a_scenario_states_an_amount_in_yen_of_a_year(tmp_path):
    stated = {"amount": 11000, "currency": "JPY", "year": 2021}
    scenario = load(TINY, {"policies": [{"name": "grant", "year": 1985, "budget_musd": stated}]})
    budget = scenario.policies[0].budget_musd
    assert budget == pytest.approx(money.to_model_usd(11000, "JPY", 2021))
    assert 60 < budget < 70  # JPY 11 bn of 2021 is about USD 66 m at 2000 prices
    ((path, amount),) = scenario.stated_money()
    assert path == "policies[0].budget_musd" and amount.currency == "JPY" and amount.year == 2021
    plain = load(TINY, {"policies": [{"name": "grant", "year": 1985, "budget_musd": budget}]})
    assert plain.digest() == scenario.digest(), "the model sees one amount, however it was stated"
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        f"extends: {TINY}\nvcs:\n  - {{name: V, lat: 32.89, lon: -117.23, founded: 1980, "
        "capital_musd: {amount: 100, currency: EUR, year: 2020}}\n"
    )
    with pytest.raises(ScenarioError, match=r"vcs\[0\]\.capital_musd: unknown currency 'EUR'"):
        load(bad)
