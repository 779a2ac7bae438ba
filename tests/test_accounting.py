"""Each thing is counted once: budgets, seats, foundings, firm kinds, places on the map.

Every test here failed on 12cc608, where a hub budget was paid to every hub, graduates were
seated again the same month, relocations were counted as foundings, branches and pharma sites
passed as firms by duck typing, and firms were clipped onto the map's edge and into the sea.
"""

from __future__ import annotations

import dataclasses
import functools
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from helpers import ROOT, TINY

from ecosim import metrics
from ecosim.agents import Branch, PharmaSite, Startup
from ecosim.agents.firm import ENTRY_COUNTER, FOUNDING_ORIGINS, Origin
from ecosim.constants import Constants
from ecosim.geography import LandMap
from ecosim.mechanisms import founding
from ecosim.model import BioclusterModel
from ecosim.scenario import load

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
YEARS = 15
"""Years each shipped scenario runs for the whole-run checks (Kobe to 2012: its branches)."""
NO_FACTORS = {
    name: 0.0
    for name in (
        "hub_leadership",
        "diverse_players",
        "cross_disciplinary_fusion",
        "focused_projects",
        "information",
    )
}
HUB = {"lat": 32.88, "lon": -117.22, "founded": 1980, "events_capacity": 0}


def three_hubs(policy: dict) -> BioclusterModel:
    hubs = [{**HUB, "name": f"Hub {i}", "lon": -117.22 + 0.01 * i} for i in range(3)]
    scenario = load(
        TINY,
        overrides={
            "factors": NO_FACTORS,
            "hubs": hubs,
            "incubators": [],
            "policies": [policy],
            "anchors": [],
            "events": [],
        },
    )
    return BioclusterModel(scenario, rng=3, constants=dataclasses.replace(Constants(), hub_coordination=0.0))


def test_a_shared_lab_budget_is_spent_once_across_the_hubs():
    # USD 20 m a year at USD 0.2 m a seat: 100 seats in all, not 100 in each of three labs.
    model = three_hubs(
        {"name": "Labs", "year": 1980, "budget_musd": 200, "years": 10, "channel": "shared_labs"}
    )
    for _ in range(3):
        model.step()
    labs = [hub.lab for hub in model.hubs]
    assert all(lab is not None for lab in labs)
    assert sum(lab.seats for lab in labs) == 99  # three labs of int(33.3) seats


def test_an_events_budget_is_spent_once_across_the_hubs():
    # USD 2 m a year at 50 events per USD 1 m: about 100 events a year in all (Poisson), whatever
    # the number of hubs; each hub paying the whole budget held about 300.
    model = three_hubs({"name": "Events", "year": 1980, "budget_musd": 20, "years": 10, "channel": "events"})
    for _ in range(60):
        model.step()
    per_year = model.ledger.total["hub_events"] / 5
    assert 80 <= per_year <= 120  # 500 events expected over 5 years: sd ~22 (4.5%)


def test_a_graduate_is_not_seated_again():
    scenario = load(
        TINY,
        overrides={
            "factors": NO_FACTORS,
            "hubs": [],
            "incubators": [],
            "anchors": [],
            "events": [],
            "pharma": [{"name": "P", "open_innovation": 0.0}],
        },
    )
    model = BioclusterModel(
        scenario, rng=1, constants=dataclasses.replace(Constants(), incubator_reach_km=1e9)
    )
    model.labour.add(100)
    lab = model.open_incubator(name="Lab", kind="shared_lab", xy_km=np.array([10.0, 10.0]), seats=5)
    old, young = (
        founding.found(model, origin=Origin.ACADEMIC, xy_km=np.array([10.0, 10.0]), quality=q, kind=Startup)
        for q in (0.9, 0.5)
    )
    lab.step()
    assert old.seat is lab and young.seat is lab
    old.seated_step -= 12 * 4  # four years in its seat now: past the three-year term
    lab.step()
    assert old.seat is None and young.seat is lab  # graduated, and not re-admitted the same month
    for _ in range(12):
        lab.step()
    assert old.seat is None and lab.tenants == [young]


def test_no_tenant_in_a_run_was_seated_past_the_age_limit_stays_past_its_term_or_is_seated_twice():
    # Greater Tokyo 2021-26: on 12cc608, 87% of admissions were firms past the limit.
    model = BioclusterModel(load(ROOT / "scenarios" / "greater_tokyo.yaml"), rng=1)
    months_seated: dict[int, list[int]] = {}
    for _ in range(12 * 6):
        model.step()
        for firm in model.startups:
            if firm.seat is not None:
                # Seated young, and in its seat for its term, graduation_years, at most (the
                # term runs from the month it was seated, not from its founding).
                assert firm.seated_step - firm.founded_step <= 12 * 3
                assert model.month_step - firm.seated_step < 12 * 3
                months_seated.setdefault(firm.firm_id, []).append(model.steps)
    assert len(months_seated) > 50
    # Each tenant held its seat for one unbroken spell: once out, it never came back.
    for months in months_seated.values():
        assert months == list(range(months[0], months[0] + len(months)))


def cli_run(tmp_path, scenario, *args):
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "ecosim", "run", str(scenario), "--out", str(out), "--quiet", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return pd.read_csv(out / "timeseries.csv"), pd.read_csv(out / "firms.csv")


def test_relocations_are_not_foundings(tmp_path):
    ts, firms = cli_run(tmp_path, ROOT / "scenarios" / "kobe.yaml", "--until", "2008", "--seed", "2")
    channels = ["founded_academic", "founded_spinout", "founded_release", "founded_anchor"]
    assert (ts["startups_founded"] == ts[channels].sum(axis=1)).all()
    assert ts["relocations"].sum() > 0  # Kobe's rental labs let seats to firms from outside
    assert ts["relocations"].sum() == (firms["origin"] == "relocation").sum()
    founded = firms[firms["origin"].isin([str(o) for o in FOUNDING_ORIGINS])]
    assert ts["startups_founded"].sum() == len(founded)


@functools.cache
def run_for(path: str) -> BioclusterModel:
    """A shipped scenario run for YEARS years (or to its end), seed 1, kept for several checks."""
    scenario = load(path)
    model = BioclusterModel(scenario, rng=1)
    for _ in range(12 * min(YEARS, scenario.end_year - scenario.start_year + 1)):
        model.step()
    return model


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_firm_table_and_ledger_agree_channel_by_channel(path):
    model = run_for(str(path))
    firms = metrics.firm_table(model)
    for origin, counter in ENTRY_COUNTER.items():
        assert (firms["origin"] == origin).sum() == model.ledger.total[counter], origin
    kinds = {"pharma_site": PharmaSite, "branch": Branch}
    for kind, cls in kinds.items():
        table = firms[firms["kind"] == kind]
        assert len(table) == sum(isinstance(f, cls) for f in model.firms)
        assert set(table["origin"]) <= {kind, "preexisting", "acquisition"}
    assert set(firms.loc[firms["origin"] == "relocation", "kind"]) <= {
        "startup",
        "public",
        "large",
        "medtech",
    }


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_branches_are_neither_spinout_parents_nor_foundings(path):
    model = run_for(str(path))
    firms = metrics.firm_table(model)
    kind_of = firms.set_index("firm_id")["kind"]
    parents = firms["parent_id"].dropna().astype(int)
    assert not (kind_of.reindex(parents) == "branch").any()
    timeseries = model.datacollector.get_model_vars_dataframe()
    summary = metrics.summary(model, timeseries, firms)
    founded = firms[firms["origin"].isin([str(o) for o in FOUNDING_ORIGINS])]
    assert summary["startups_founded"] == len(founded)
    if len(founded):
        share = founded["origin"].isin(["spinout", "release"]).mean()
        assert summary["spinout_share"] == pytest.approx(share, abs=1e-4)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_firm_site_and_vc_is_on_land_and_none_on_the_border(path):
    model = run_for(str(path))
    land = LandMap.of(model.cluster)
    places = np.array([f.xy_km for f in model.firms] + [vc.xy_km for vc in model.vc_list])
    assert land.is_land(places).all()
    width, height = model.size_km
    # Nobody sits exactly on the edge (where clipping piled them on 12cc608), and no more are
    # within 50 m of it than three times the strip's share of the region's area.
    on_edge = (
        (places[:, 0] <= 0)
        | (places[:, 1] <= 0)
        | (places[:, 0] >= width - 1e-6)
        | (places[:, 1] >= height - 1e-6)
    )
    assert not on_edge.any()
    strip = (
        (places[:, 0] < 0.05)
        | (places[:, 1] < 0.05)
        | (places[:, 0] > width - 0.05)
        | (places[:, 1] > height - 0.05)
    )
    strip_area = 1 - (width - 0.1) * (height - 0.1) / (width * height)
    assert strip.mean() < max(0.01, 3 * strip_area)


def test_settling_draws_land_only(tiny):
    # The tiny region's west edge is the Pacific off La Jolla: a settler drawn at sea is drawn again.
    model = BioclusterModel(tiny, rng=1)
    land = model.land
    assert not land.land.all() and land.land.any()
    coast = np.array([3.0, 10.0])
    points = np.array([model.settle_near(coast, 5.0) for _ in range(500)])
    assert land.is_land(points).all()
    # Far out at sea the nearest land is taken.
    assert land.is_land(model.settle_near(np.array([0.1, 0.1]), 0.01)).all()


def test_named_sites_count_as_land_even_where_the_mask_reads_water():
    # Kobe's Port Island (reclaimed land) reads as water in the 1 km mask.
    kobe = load(ROOT / "scenarios" / "kobe.yaml")
    sites = np.array(kobe.named_places_km())
    land = LandMap.of(kobe)
    assert land.is_land(sites).all()
    from ecosim.geography import land_at

    lat, lon = kobe.region.to_latlon(sites[:, 0], sites[:, 1])
    assert not land_at(lat, lon).all()  # some named sites sit where the mask has water
