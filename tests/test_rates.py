"""Yearly shares applied a month at a time: twelve months leave the stated share a year gone
(rates.monthly_share), in each mechanism that applies one (each read p/12 before: a share of
0.5 a year shed 0.40, Walsh's 0.16 of bought staff left at 0.148).
"""

from __future__ import annotations

import dataclasses

import pytest
from helpers import EMPTY, TINY, empty_world, startup

from ecosim.agents import medtech
from ecosim.constants import Constants
from ecosim.mechanisms import exits, labour
from ecosim.model import BioclusterModel
from ecosim.rates import monthly_share
from ecosim.scenario import load


@pytest.mark.parametrize("share", [0.0, 0.05, 0.16, 0.5, 0.9])
def test_twelve_monthly_shares_compound_to_the_share_a_year(share):
    assert 1.0 - (1.0 - monthly_share(share)) ** 12 == pytest.approx(share, abs=1e-12)


def test_a_share_of_one_or_more_a_year_is_all_within_the_month():
    assert monthly_share(1.0) == 1.0 and monthly_share(12.0) == 1.0


def test_a_listed_firm_sheds_its_excess_staff_at_the_share_a_year():
    # 1,000 staff for a market of 500 at 0.5 a year: 500 x (1 - 0.5^(1/12)) = 28.26 go this month,
    # so that half the excess is gone after a year (500 x 0.5 / 12 = 20.8 on the p/12 reading).
    model = empty_world(listed_shrink_year=0.5)
    firm = startup(model, headcount=1000)
    firm.public, firm.market_headcount = True, 500.0
    assert firm.listed_change() == pytest.approx(-500.0 * (1.0 - 0.5 ** (1 / 12)), rel=1e-12)


def test_a_device_firm_leaves_at_the_hazard_a_year():
    model = empty_world(medtech_exit_rate_year=0.08)
    assert 1.0 - (1.0 - medtech.exit_odds(model)) ** 12 == pytest.approx(0.08, abs=1e-12)


def test_bought_staff_leave_at_walshs_share_a_year():
    # 1,000,000 bought staff at 0.16 a year: 1 - 0.84^(1/12) = 1.443% leave in the month (binomial
    # sd 0.012 points; 1.333% on the p/12 reading, nine sd away).
    model = empty_world(acquired_staff_departure_year=0.16, release_found_share=0.0)
    buyer = model.pharma_list[0]
    exits.acquire(model, buyer, startup(model, headcount=10), price=1.0)
    unit = buyer.units[0]
    unit.cohorts[0].people = unit.headcount = 1_000_000
    unit.shed_acquired_staff()
    assert (1_000_000 - unit.headcount) / 1e6 == pytest.approx(1.0 - 0.84 ** (1 / 12), abs=4e-4)


def test_the_industry_loses_its_leavers_at_the_share_a_year():
    # 1,000,000 staff at 0.3 a year: 1 - 0.7^(1/12) = 2.93% leave the industry in the month
    # (binomial sd 0.017 points; 2.5% on the p/12 reading).
    model = empty_world(labour_exit_rate_year=0.3, seeker_exit_rate_year=0.0)
    model.labour.add(1_000_000)
    startup(model, headcount=1_000_000)
    labour.turn_over(model)
    assert model.labour.left_total / 1e6 == pytest.approx(1.0 - 0.7 ** (1 / 12), abs=1e-3)


def test_a_hubs_outside_members_leave_at_the_share_a_year():
    # 1,000,000 outside members at 0.3 a year, none joining: 2.93% leave in the month.
    scenario = load(
        TINY,
        overrides={
            **EMPTY,
            "hubs": [{"name": "Hub", "lat": 32.88, "lon": -117.22, "founded": 1980, "events_capacity": 0}],
        },
    )
    constants = dataclasses.replace(Constants(), outside_member_rate=0.0, member_attrition_year=0.3)
    hub = BioclusterModel(scenario, rng=2, constants=constants).hubs[0]
    hub.outside_members = 1_000_000
    hub.recruit_outside_members()
    assert 1.0 - hub.outside_members / 1e6 == pytest.approx(1.0 - 0.7 ** (1 / 12), abs=1e-3)
