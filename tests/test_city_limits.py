"""experiments/city_limits.py: Boston counted within the cities' limits, one history three ways."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from helpers import ROOT, experiment

from ecosim.census import CensusArea
from ecosim.scenario import CensusBoundary, load

city_limits = experiment("city_limits")


def test_the_variants_trace_the_cities_and_change_nothing_else():
    boxes = load(city_limits.COUNTINGS["boxes"])
    limits = load(city_limits.COUNTINGS["city_limits"])
    cambridge = load(city_limits.COUNTINGS["cambridge"])
    assert [a.name for a in limits.region.census] == ["Cambridge", "East Boston", "Boston"]
    assert all(isinstance(a, CensusBoundary) for a in limits.region.census)
    assert [a.name for a in cambridge.region.census] == ["Cambridge"]
    assert cambridge.region.census[0] == limits.region.census[0]
    strip = {"region": {"census"}}
    assert boxes.model_dump(exclude=strip) == limits.model_dump(exclude=strip)
    # Points placed by hand: Kendall Square is in Cambridge; Davis Square (Somerville) and Brookline
    # Village lie in the boxes and outside both cities; Boston University is in Boston, in no box.
    places = {
        "Kendall": (42.3629, -71.0901),
        "Davis": (42.3967, -71.1223),
        "Brookline": (42.3326, -71.1167),
        "BU": (42.3505, -71.1054),
    }
    areas = {
        name: CensusArea.of(s.region)
        for name, s in (("boxes", boxes), ("limits", limits), ("cam", cambridge))
    }
    inside = {
        (place, name): area.contains(*boxes.region.to_km(lat, lon))
        for place, (lat, lon) in places.items()
        for name, area in areas.items()
    }
    assert inside["Kendall", "limits"] and inside["Kendall", "cam"] and inside["Kendall", "boxes"]
    assert inside["Davis", "boxes"] and not inside["Davis", "limits"]
    assert inside["Brookline", "boxes"] and not inside["Brookline", "limits"]
    assert inside["BU", "limits"] and not inside["BU", "cam"]


def hand_table(drops: dict[str, float], met: dict[str, bool], cambridge_met: bool) -> pd.DataFrame:
    rows = []
    for figure, drop in drops.items():
        rows.append(
            {
                "figure": figure,
                "counted_in": "boxes",
                "kinds": "every kind",
                "model_median": 100.0,
                "ratio": 2.0,
                "met": False,
            }
        )
        rows.append(
            {
                "figure": figure,
                "counted_in": "city_limits",
                "kinds": "every kind",
                "model_median": 100.0 * (1 + drop),
                "ratio": 1.5,
                "met": met.get(figure, False),
            }
        )
    rows.append(
        {
            "figure": city_limits.CAMBRIDGE_ALONE,
            "counted_in": "cambridge",
            "kinds": "by kind",
            "model_median": 70.0,
            "ratio": 1.13,
            "met": cambridge_met,
        }
    )
    return pd.DataFrame(rows)


def test_the_predictions_are_read_claim_by_claim():
    drops = {
        "boston firms_census 2000": -0.15,
        "boston firms_census 2004-07": -0.2,
        "boston firms_census 2020": -0.2,
        "boston employment_census 2020": -0.12,
    }
    met = {"boston employment_census 2020": True}
    _, held = city_limits.reading(hand_table(drops, met, cambridge_met=True))
    assert all(held.values()) and len(held) == 5
    _, held = city_limits.reading(hand_table({**drops, "boston firms_census 2000": -0.05}, met, True))
    assert not held["all_lower_by_10_to_30"]
    _, held = city_limits.reading(hand_table(drops, {**met, "boston firms_census 2020": True}, False))
    assert not held["boston firms_census 2020"] and not held["cambridge_2000_met"]
    _, held = city_limits.reading(hand_table(drops, {}, True))
    assert not held["boston employment_census 2020"]


def test_the_cli_counts_one_history_three_ways(tmp_path):
    out = tmp_path / "limits"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "experiments" / "city_limits.py"),
            "--seeds",
            "1",
            "--until",
            "2000",
            "--out",
            str(out),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    figures = pd.read_csv(out / "figures.csv")
    cambridge = figures[figures["counted_in"] == "cambridge"]
    assert set(cambridge["figure"]) == {city_limits.CAMBRIDGE_ALONE}
    assert set(cambridge["kinds"]) == {"every kind", "by kind"}
    by = figures.set_index(["figure", "counted_in", "kinds"])["model_median"]
    key = city_limits.CAMBRIDGE_ALONE
    assert by[key, "cambridge", "every kind"] <= by[key, "city_limits", "every kind"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds"] == [1] and set(manifest["scenarios"]) == set(city_limits.COUNTINGS)
    assert "## Reading" in (out / "README.md").read_text()


def test_a_run_that_moved_a_draw_stops_the_script():
    class Outcome:
        def __init__(self, frame):
            self.timeseries = frame

    frame = pd.DataFrame({"year": [1.0, 2.0], "firms_active": [3, 4], "firms_census": [1, 2]})
    moved = frame.assign(firms_active=[3, 5])
    city_limits.same_history(
        {"boxes": [Outcome(frame)], "city_limits": [Outcome(frame.assign(firms_census=0))]}
    )
    with pytest.raises(SystemExit, match="a draw moved"):
        city_limits.same_history({"boxes": [Outcome(frame)], "city_limits": [Outcome(moved)]})


def test_the_committed_city_limits_are_results_history_s_own():
    """The city limits' counting is results/history's Boston: the same seeds, the same medians."""
    folder = ROOT / "results" / "history"
    figures = pd.read_csv(folder / "city_limits" / "figures.csv")
    comparison = pd.read_csv(folder / "comparison.csv", dtype={"date": str})
    comparison["figure"] = comparison["cluster"] + " " + comparison["metric"] + " " + comparison["date"]
    history = comparison.drop_duplicates("figure").set_index("figure")["model_median"]
    limits = figures[(figures["counted_in"] == "city_limits") & (figures["kinds"] == "every kind")]
    assert len(limits) == 4
    for row in limits.to_dict("records"):
        assert row["model_median"] == pytest.approx(history[row["figure"]])
    manifest = json.loads((folder / "city_limits" / "manifest.json").read_text())
    assert manifest["seeds"] == json.loads((folder / "manifest.json").read_text())["seeds"]


def test_the_share_is_read_at_the_end_of_whole_years_only():
    """Year-end stocks (December), a shown year the runs do not finish left out, the median over runs."""
    months = [1990 + m / 12 for m in range(131)]  # January 1990 to November 2000

    class Outcome:
        def __init__(self, census_of_december):
            census = [9] * 131
            census[11] = census_of_december  # December 1990
            self.timeseries = pd.DataFrame(
                {"step": range(131), "year": months, "firms_active": 10, "firms_census": census}
            )

    runs = {name: [Outcome(2), Outcome(4), Outcome(9)] for name in city_limits.COUNTINGS}
    table = city_limits.shares(runs)
    assert table["year"].tolist() == [1990]  # 2000 has no December
    assert table.loc[0, "boxes"] == pytest.approx(0.4)
