"""The life of a firm: when buyers act, what an acquisition does, listed firms, downsizing,
setbacks that fade, money of its era and growth that meets limits (each failed on 12cc608).
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import TINY, empty_world, startup

from ecosim.agents import Pharma
from ecosim.mechanisms import deals
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
