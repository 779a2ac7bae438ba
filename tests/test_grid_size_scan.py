"""experiments/grid_size_scan.py: do Boston's firms crowd into the two cities because the grid is small?

The widened grid is checked on the scenario it changes (same centre, the sites in the same places,
a valid scenario), and the rule and the predictions (module docstring) on hand-built tables with
exact readings.
"""

from __future__ import annotations

import math
import subprocess
import sys

import pandas as pd
import pytest
from helpers import ROOT, experiment

from ecosim.scenario import Scenario


@pytest.fixture(scope="module")
def gss():
    return experiment("grid_size_scan")


def test_a_wider_grid_keeps_the_centre_and_every_site(gss):
    base = gss.history.scenario_of("boston")
    assert gss.widened(base, 30.0) is base  # the default point is the scenario file itself
    wide = gss.widened(base, 60.0)
    Scenario.model_validate(wide.model_dump())  # still a valid scenario
    assert (wide.region.width_km, wide.region.height_km) == (60.0, 60.0)
    centre = base.region.to_latlon(15.0, 15.0)
    assert wide.region.to_latlon(30.0, 30.0)[0] == pytest.approx(centre[0], abs=1e-9)
    assert wide.region.to_latlon(30.0, 30.0)[1] == pytest.approx(centre[1], abs=0.002)  # the projection's
    # own parallel moves with the origin: under 0.2 km at Boston's latitude
    for site in base.institutions:
        x0, y0 = base.region.to_km(site.lat, site.lon)
        x1, y1 = wide.region.to_km(site.lat, site.lon)
        assert math.hypot(x1 - x0 - 15.0, y1 - y0 - 15.0) < 0.2  # the sites keep their places
    assert wide.digest() != base.digest()
    # Only the origin and the sides change: the census area, its parts and the cells stay.
    before, after = base.model_dump(), wide.model_dump()
    changed = {k for k in before["region"] if before["region"][k] != after["region"][k]}
    assert changed == {"origin_lat", "origin_lon", "width_km", "height_km"}
    assert {k for k in before if before[k] != after[k]} == {"region"}


def table(gss, default: dict[str, float], **points: dict[str, float]) -> pd.DataFrame:
    """A ratio_summary by hand: the default and the wider grids, each with the figures the rule and
    the predictions read (unset ones copied from the default) and the census counts' median."""
    rows = []
    for point, values in {"default": default, **points}.items():
        row = {**default, **values, "point": point, "changes": ""}
        row[gss.KEY] = sorted(row[" ".join(f)] for f in gss.CENSUS_FIRMS)[1]
        rows.append(row)
    return pd.DataFrame(rows)


DEFAULT = {
    "boston firms_census 2000": 2.0,
    "boston firms_census 2004-07": 2.2,
    "boston firms_census 2020": 1.4,
    "boston employment_census 2020": 0.9,
    "boston firms_active 2002": 0.95,
    "in-sample_within_x1.5": 12,
    "end_points_within_25pct": 1,
}


def test_the_predictions_are_read_as_stated(gss):
    held = table(
        gss,
        DEFAULT,
        **{
            "grid 45 km": {c: v * 0.9 for c, v in DEFAULT.items() if "census" in c and "firms" in c},
            "grid 60 km": {
                "boston firms_census 2000": 1.6,
                "boston firms_census 2004-07": 1.7,
                "boston firms_census 2020": 1.2,
                "boston employment_census 2020": 0.7,
                "boston firms_active 2002": 0.99,
            },
        },
    )
    assert [h for _, h in gss.predictions(held)] == [True, True, True, True, True]  # 2.0 -> 1.6: 20%
    failed = table(
        gss,
        DEFAULT,
        **{
            "grid 45 km": {"boston firms_census 2000": 1.5},  # under the 60-km grid's: not falling
            "grid 60 km": {
                "boston firms_census 2000": 1.9,
                "boston firms_census 2004-07": 2.1,
                "boston firms_census 2020": 1.3,
                "boston employment_census 2020": 0.85,
                "boston firms_active 2002": 1.1,
            },
        },
    )
    assert [h for _, h in gss.predictions(failed)] == [False, False, False, False, False]
    # The whole grid's firms are read against the default's, not the data: nearer the data by
    # more than 10% of the default's is a move, and the prediction fails.
    nearer = table(gss, DEFAULT, **{"grid 45 km": {}, "grid 60 km": {"boston firms_active 2002": 1.06}})
    assert gss.predictions(nearer)[2][1] is False


def test_the_reading_follows_the_rule_stated_before_the_run(gss):
    nearer_kept = table(gss, DEFAULT, **{"grid 45 km": {}, "grid 60 km": {"boston firms_census 2000": 1.5}})
    assert "is a cause" in gss.verdict(nearer_kept)[0]
    nearer_lost = table(
        gss,
        DEFAULT,
        **{"grid 45 km": {}, "grid 60 km": {"boston firms_census 2000": 1.5, "in-sample_within_x1.5": 11}},
    )
    assert "cannot meet both" in gss.verdict(nearer_lost)[0]
    not_nearer = table(gss, DEFAULT, **{"grid 45 km": {}, "grid 60 km": {"boston firms_census 2000": 2.5}})
    assert "is not the grid's" in gss.verdict(not_nearer)[0]


def test_how_far_reads_the_way_to_the_data_and_the_seeds_spread(gss):
    moved = {"boston firms_census 2000": 1.5, "boston firms_census 2004-07": 2.2**0.5}
    points = table(gss, DEFAULT, **{"grid 45 km": {}, "grid 60 km": moved})
    rows = [
        {"point": p, "metric": "firms_census", "date": d, "model_median": m, "model_p05": lo, "model_p95": hi}
        for p, d, m, lo, hi in [
            ("default", "2000", 124, 110, 140),
            ("default", "2004-07", 321, 300, 340),
            ("default", "2020", 700, 650, 750),
            ("grid 60 km", "2000", 93, 0, 0),  # outside the default's interval
            ("grid 60 km", "2004-07", 320, 0, 0),  # inside it
            ("grid 60 km", "2020", 700, 0, 0),  # inside it
        ]
    ]
    line = gss.magnitude(points, pd.DataFrame(rows))[0]
    assert "2000 x2.00 -> x1.50 (42% of the way)" in line  # 1 - log 1.5 / log 2
    assert "2004-07 x2.20 -> x1.48 (50% of the way)" in line
    assert "2020 x1.40 -> x1.40 (0% of the way)" in line
    assert "spread over the wider grid's median for 2 of the 3" in line
    assert "their median 43% of the way" in line and "a small part of the concentration" in line


def test_the_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "scan"
    command = [sys.executable, str(ROOT / "experiments" / "grid_size_scan.py"), "--seeds", "1"]
    done = subprocess.run([*command, "--until", "1990", "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    points = pd.read_csv(out / "points.csv")
    assert list(points["point"]) == ["default", "grid 45 km", "grid 60 km"]
    readme = (out / "README.md").read_text()
    assert "the rule cannot be read" in readme and "not read (the runs end before its figures)" in readme
