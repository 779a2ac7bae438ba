"""The exit-timing pattern as figures of the calibration: read from a run, scored, emulated."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from helpers import ROOT

from ecosim import calibrate, engine, exit_timing, metrics, posterior
from ecosim.constants import FREE, fitted


def firm(founded, fate="active", fate_year=None, listed=None, origin="academic"):
    return {
        "origin": origin,
        "founded_year": founded,
        "fate": fate,
        "fate_year": fate_year,
        "listed_year": listed,
    }


FIRMS = pd.DataFrame(
    [
        firm(2005.0, fate="listed", fate_year=2010.0, listed=2010.0),  # 5 years to IPO, in the window
        firm(2003.0, fate="listed", fate_year=2012.0, listed=2012.0),  # 9 years
        firm(2008.0, fate="listed", fate_year=2013.25, listed=2013.25),  # 5.25 years, in April 2013
        firm(2008.0, fate="listed", fate_year=2013.5, listed=2013.5),  # July 2013: after the window
        firm(2009.0, fate="listed", fate_year=2013.3333, listed=2013.3333),  # May 2013 (as a run rounds it)
        firm(1995.0, fate="listed", fate_year=2011.0, listed=2011.0),  # founded before 1996: not counted
        firm(1990.0, fate="listed", fate_year=1995.0, listed=1995.0),  # before the window
        firm(2000.0, fate="acquired", fate_year=2011.0),  # a private acquisition before its window
        firm(2005.0, fate="acquired", fate_year=2016.0),  # 11 years to a private acquisition
        firm(2001.0, fate="acquired", fate_year=2016.0, listed=2005.0),  # bought after listing: no
        firm(2004.0, fate="listed", fate_year=2010.0, listed=2010.0, origin="relocation"),  # moved in
    ]
)


def test_the_references_are_an_ipo_bound_and_an_acquisition_level_each_on_its_sources_exits():
    ipo, acquisition = exit_timing.reference("ipo"), exit_timing.reference("acquisition")
    assert (ipo.years, ipo.comparison, ipo.window_from, ipo.window_to, ipo.founded_from) == (
        6.0,
        "below",
        2009,
        2013,
        1996,
    )
    assert ipo.dated == (2009.0, 2013.0 + 4 / 12) and "Tortoise or Hare" in ipo.source
    assert ipo.span == "January 2009-April 2013, companies founded from 1996"
    assert (acquisition.years, acquisition.comparison, acquisition.window_from, acquisition.window_to) == (
        9.0,
        "about",
        2015,
        2020,
    )
    assert (acquisition.dated, acquisition.founded_from, acquisition.span) == (
        (2015.0, 2021.0),
        None,
        "2015-2020",
    )


def test_a_runs_timing_is_the_median_over_the_window_of_the_firms_founded_here():
    # IPOs: 5, 9 and 5.25 years (January 2009-April 2013, founded from 1996); acquisitions: 11.
    timing = metrics.exit_timing_of(FIRMS)
    assert timing == {"years_to_ipo": 5.25, "years_to_acquisition": 11.0}
    assert metrics.exit_timing_of(FIRMS[FIRMS["fate"] != "acquired"])["years_to_acquisition"] is None
    # Every exit of the firms founded here, whatever its date, is in exit_years.
    every = exit_timing.exit_years(FIRMS)
    # A listed firm sold later counts by its IPO (4 years).
    assert sorted(every["ipo"]) == pytest.approx([4.0, 4.3333, 5.0, 5.0, 5.25, 5.5, 9.0, 16.0])
    assert sorted(every["acquisition"]) == [11.0, 11.0]


def test_a_bound_is_met_by_any_value_under_it_and_a_level_both_ways():
    assert exit_timing.log_error(6.0, "below", 4.0) == 0.0
    assert exit_timing.log_error(6.0, "below", 12.0) == pytest.approx(math.log(2.0))
    assert exit_timing.log_error(9.0, "about", 4.5) == pytest.approx(math.log(0.5))
    assert exit_timing.log_error(6.0, "below", math.nan) == pytest.approx(math.log(2.0))  # no IPO at all
    bound = calibrate.Target("x", "years_to_ipo", 6.0, "2020", "", series="exit_timing", comparison="below")
    assert bound.met(5.9, 0.75, 1.25) and not bound.met(6.1, 0.75, 1.25) and not bound.met(math.nan, 0, 9)
    level = calibrate.Target("x", "years_to_acquisition", 9.0, "2020", "", series="exit_timing")
    assert level.met(10.0, 1 / 1.5, 1.5) and not level.met(14.0, 1 / 1.5, 1.5)
    assert bound.log_error(3.0) == 0.0 and level.log_error(18.0) == pytest.approx(math.log(2.0))


def test_each_us_cluster_fits_its_exit_timing():
    timing = [t for t in calibrate.TARGETS if t.series == "exit_timing"]
    assert {(t.cluster, t.metric, t.comparison) for t in timing} == {
        (c, m, comparison)
        for c in ("bay_area", "boston", "san_diego")
        for m, comparison in (("years_to_ipo", "below"), ("years_to_acquisition", "about"))
    }
    assert all(t.role == "fit" for t in timing)
    # Dated at the end of each reference's window: the IPOs' 2013, the acquisitions' 2020.
    assert {t.metric: t.date for t in timing} == {"years_to_ipo": "2013", "years_to_acquisition": "2020"}
    # The predictive reports them beside the other figures of those clusters.
    assert set(timing) <= set(posterior.predictive_targets(["bay_area", "boston", "san_diego"]))


def test_an_exit_timing_is_read_from_the_summary_and_a_count_from_the_series():
    series = pd.DataFrame({"year": [2019.0, 2020.0], "firms_census": [10, 20]})
    run = calibrate.cluster_run(
        calibrate._scenario(str(ROOT / "scenarios" / "san_diego.yaml")),
        1,
        {"years_to_ipo@2020": ("years_to_ipo", 2020.5), "firms_census@2020": ("firms_census", 2020.5)},
        fitted(),
    )
    assert run.outputs == frozenset({"timeseries", "summary"})  # a store keeps both
    outcome = engine.Outcome(
        run, timeseries=series, summary={"years_to_ipo": 5.5, "years_to_acquisition": None}
    )
    dates = {
        "years_to_ipo@2020": ("years_to_ipo", 2020.5),
        "years_to_acquisition@2020": ("years_to_acquisition", 2020.5),
        "firms_census@2020": ("firms_census", 2020.5),
    }
    values = calibrate.figure_values(outcome, dates)
    assert values["years_to_ipo@2020"] == 5.5 and values["firms_census@2020"] == 20.0
    assert math.isnan(values["years_to_acquisition@2020"])


def test_the_calibration_reads_a_real_runs_exit_timing():
    targets = [t for t in calibrate.TARGETS if t.cluster == "san_diego" and t.series == "exit_timing"]
    values = calibrate.values_over([("default", fitted())], targets, [1], 1, ROOT / "scenarios")
    years = values.set_index("figure")["value"]
    # Years, not months nor zero: one seed's median exit timing (San Diego's acquisitions range 3.7-8.5
    # years over the calibration's 8 seeds at the package default, 2.9 at seed 1).
    assert 1.0 < years["years_to_ipo@2013"] < 15.0 and 1.0 < years["years_to_acquisition@2020"] < 20.0


def test_the_emulator_never_draws_a_bound_below_zero():
    rng = np.random.default_rng(3)
    x = rng.uniform(-1.0, 1.0, size=(24, len(FREE)))
    # The bound's figure sits at 0 (its draws fall either side before the floor); the level's well
    # below it, so its draws are negative whatever the fit (with any number of free constants).
    y = np.column_stack([np.full(24, -0.01), np.full(24, -0.5)]) + rng.normal(0.0, 0.3, size=(24, 2))
    emulator = posterior.Emulator(["bound", "level"], x, y, seed=1, bounds=["bound"])
    np.random.seed(5)
    draws = [emulator({name: 0.0 for name in FREE}) for _ in range(200)]
    assert min(d["bound"] for d in draws) == 0.0
    assert min(d["level"] for d in draws) < 0.0  # a level's draw may fall either side
    assert emulator.only(["bound"]).bounds == [True]
