"""The life of a firm: when buyers act, what an acquisition does, listed firms, downsizing,
setbacks that fade, money of its era and growth that meets limits (each failed on 12cc608).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from helpers import TINY, empty_world, startup

from ecosim.agents import Pharma
from ecosim.agents.firm import Fate, Origin
from ecosim.mechanisms import deals, exits, founding
from ecosim.model import BioclusterModel
from ecosim.scenario import ScenarioError, load


def test_a_pharma_buys_nothing_before_it_is_in_the_market():
    model = empty_world(acquisition_rate_year=1e9)
    late = Pharma(model, name="Late Co", rd_budget=500, open_innovation=1.0, active_from=1984.0)
    targets = [startup(model, quality=0.9) for _ in range(5)]
    for t in targets:
        t.stage_index = 2
    deals.scout(model)  # 1980: Late Co is not in the market yet
    assert late.acquisitions == late.partnerships == 0 and all(t.active for t in targets)
    while model.year < 1984:
        model.step()
    fresh = [startup(model, quality=0.9) for _ in range(5)]
    for t in fresh:
        t.stage_index = 2
    deals.scout(model)
    assert late.acquisitions > 0


def test_named_pharma_act_from_their_dated_entry():
    scenario = load(TINY, overrides={"pharma": [
        {"name": "Big Pharma", "open_innovation": 0.6},
        {"name": "Site Co", "site": {"name": "S", "lat": 32.88, "lon": -117.22}, "site_opened": 1987},
        {"name": "Early Co", "site": {"name": "E", "lat": 32.88, "lon": -117.22}, "site_opened": 1987,
         "active_from": 1982}]})
    model = BioclusterModel(scenario, rng=1)
    active = {p.name: p.active_from for p in model.pharma_list}
    assert active == {"Big Pharma": 1980.0, "Site Co": 1987.0, "Early Co": 1982.0}


def test_a_scripted_acquisition_before_the_buyer_is_in_the_market_is_refused():
    with pytest.raises(ScenarioError, match="active_from"):
        load(TINY, overrides={"pharma": [{"name": "Big Pharma", "active_from": 1990}]})


def test_a_buyer_without_a_site_runs_the_bought_lab_as_its_unit():
    model = empty_world(release_found_share=0.0, employee_equity_share=0.15)
    buyer = model.pharma_list[0]
    company = startup(model, quality=0.8, headcount=40)
    exits.acquire(model, buyer, company, price=200.0)
    (unit,) = buyer.units
    assert unit.origin == Origin.ACQUISITION and unit.kind == "pharma_site" and unit.active
    assert unit.headcount == 40 and np.array_equal(unit.xy_km, company.xy_km)
    assert unit.parent_id == company.firm_id and unit.generation == company.generation
    assert unit.lineage_root == company.lineage_root and unit.quality == company.quality
    assert unit.cohorts[0].payout_per_head == pytest.approx(0.15 * 200.0 / 40)
    assert model.ledger.total["acquired_units"] == 1


def test_staff_of_a_bought_firm_leave_over_years_and_found_at_boosted_odds():
    # 400 staff at 16% a year: about 400 x 0.84^5 = 167 are left after five years (binomial,
    # sd ~10); with release_found_share 0.05, boost 2 and quality 0.5, 10% of leavers found
    # (within three years of leaving), each putting half of their sale payout into the firm.
    model = empty_world(release_found_share=0.05, reorganisation_founding_boost=2.0,
                        acquired_staff_departure_year=0.16, serial_found_prob=0.0)
    model.labour.add(10_000)
    buyer = model.pharma_list[0]
    company = startup(model, quality=0.5, headcount=400)
    exits.acquire(model, buyer, company, price=400.0)
    unit = buyer.units[0]
    for _ in range(60):
        model.step()
    assert 140 <= unit.headcount <= 195
    left = 400 - unit.headcount
    model.constants = dataclasses.replace(model.constants, acquired_staff_departure_year=0.0)
    for _ in range(40):
        model.step()
    founded = [f for f in model.firms if f.origin == Origin.RELEASE and f.parent_id == company.firm_id]
    assert 0.05 * left <= len(founded) <= 0.16 * left
    seed = founding.SEED_FROM_FOUNDERS_MUSD + 0.5 * 0.15 * 400.0 / 400
    assert all(f.total_raised >= seed - 1e-9 for f in founded)


def test_a_buyer_with_a_site_takes_the_staff_in_and_sheds_them():
    model = empty_world(acquired_staff_departure_year=0.5)
    buyer = model.pharma_list[0]
    model.labour.add(1000)
    site = buyer.open_site(np.array([5.0, 5.0]), target_headcount=100, established=1970.0)
    exits.acquire(model, buyer, startup(model, headcount=60))
    assert site.headcount == 160 and not buyer.units
    for _ in range(12 * 10):
        site.step()
    assert 100 <= site.headcount <= 102 and not site.cohorts  # back to its own staff


def test_an_acquired_unit_left_too_small_is_closed():
    model = empty_world(acquired_staff_departure_year=0.9)
    buyer = model.pharma_list[0]
    exits.acquire(model, buyer, startup(model, headcount=12))
    unit = buyer.units[0]
    for _ in range(12 * 10):
        if unit.active:
            unit.step()
    assert unit.fate == Fate.CLOSED and unit not in model.active_firms()
