"""The census area: boxes and boundaries (polygons), what they count, and bad boundaries."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import yaml
from helpers import ROOT, TINY

from ecosim.census import CensusArea, Polygon
from ecosim.model import BioclusterModel
from ecosim.scenario import ScenarioError, deep_merge, load, read_yaml

# An L: the square (0, 0)-(2, 2) without its north-east quarter (1, 1)-(2, 2).
L_SHAPE = np.array([(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)], dtype=float)


def test_a_polygon_holds_its_inside_and_not_its_notch():
    polygon = Polygon(L_SHAPE)
    assert polygon.contains(0.5, 0.5) and polygon.contains(1.5, 0.5) and polygon.contains(0.5, 1.5)
    assert not polygon.contains(1.5, 1.5)  # the notch: inside the bounding box, outside the L
    assert not polygon.contains(3.0, 0.5) and not polygon.contains(-0.5, 0.5)
    assert not polygon.contains(0.5, 2.5)  # no edge straddles the line y = 2.5


def test_the_area_is_any_of_its_entries_and_a_boundary_is_read_within_its_box():
    box = (5.0, 6.0, 5.0, 6.0)
    area = CensusArea([(0.0, 2.0, 0.0, 2.0), box], [Polygon(L_SHAPE), None])
    assert area.contains(0.5, 0.5) and area.contains(5.5, 5.5) and area.contains(6.0, 6.0)
    assert not area.contains(1.5, 1.5) and not area.contains(3.0, 3.0)
    assert not CensusArea([], []) and area


def tiny_with(tmp_path, census):
    path = tmp_path / "tiny_census.yaml"
    path.write_text(yaml.safe_dump(deep_merge(read_yaml(TINY), {"region": {"census": census}})))
    return path


# Tiny's region starts at (32.80, -117.30); its university sits at (32.88, -117.234).
L_LATLON = [
    [32.85, -117.28],
    [32.85, -117.20],
    [32.89, -117.20],
    [32.89, -117.24],
    [32.93, -117.24],
    [32.93, -117.28],
]


def test_a_scenario_boundary_counts_what_lies_inside_it(tmp_path):
    scenario = load(tiny_with(tmp_path, [{"name": "L", "boundary": L_LATLON}]))
    model = BioclusterModel(scenario, rng=1)
    inside = model.xy(32.87, -117.26)
    notch = model.xy(32.91, -117.22)  # inside the L's bounding box, in its notch
    assert model.in_census(inside) and not model.in_census(notch)
    assert not model.in_census(model.xy(32.82, -117.26))
    # The same corners as a box take the notch in: the boundary is what makes the difference.
    boxed = load(
        tiny_with(tmp_path, [{"name": "B", "south": 32.85, "north": 32.93, "west": -117.28, "east": -117.20}])
    )
    assert BioclusterModel(boxed, rng=1).in_census(notch)


def test_firms_are_counted_by_the_boundary_and_the_run_is_otherwise_the_same(tmp_path):
    """Where a firm is counted changes no draw: the census columns alone differ."""
    boxed = load(
        tiny_with(tmp_path, [{"name": "B", "south": 32.85, "north": 32.93, "west": -117.28, "east": -117.20}])
    )
    traced = load(tiny_with(tmp_path, [{"name": "L", "boundary": L_LATLON}]))
    runs = []
    for scenario in (boxed, traced):
        model = BioclusterModel(scenario, rng=3)
        for _ in range(12 * 10):
            model.step()
        runs.append(model.datacollector.get_model_vars_dataframe())
    census = [c for c in runs[0].columns if "census" in c]
    assert runs[0].drop(columns=census).equals(runs[1].drop(columns=census))
    # Every firm the boundary counts is inside the L, checked point by point.
    l_km = np.array([traced.region.to_km(lat, lon) for lat, lon in L_LATLON])
    for firm in model.firms:
        assert firm.in_census == Polygon(l_km).contains(*map(float, firm.xy_km))
    assert (runs[1]["firms_census"] <= runs[0]["firms_census"]).all()


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        (
            {"name": "L", "boundary": [[32.85, -117.28], [32.85, -117.20]]},
            "region.census[0].boundary",
            "at least 3",
        ),
        (
            {"name": "L", "boundary": [[32.85, -117.28], [32.85, -117.20], [95.0, -117.2]]},
            "region.census[0].boundary[2]",
            "on the globe",
        ),
        (
            {"name": "L", "boundary": [[32.85, -117.28], [32.85], [32.9, -117.2]]},
            "region.census[0].boundary[1]",
            "",
        ),
        (
            {"name": "L", "boundary": [[40.0, -117.28], [40.0, -117.20], [40.1, -117.2]]},
            "region.census[0]",
            "does not overlap the region",
        ),
        ({"name": "L", "boundary": L_LATLON, "south": 32.8}, "region.census[0].south", "unknown field"),
    ],
)
def test_a_bad_boundary_is_named(tmp_path, entry, field, words):
    path = tiny_with(tmp_path, [entry])
    with pytest.raises(ScenarioError) as info:
        load(path)
    assert info.value.field == field
    assert words in info.value.message


def test_the_cli_refuses_a_bad_boundary_in_one_line(tmp_path):
    path = tiny_with(
        tmp_path, [{"name": "L", "boundary": [[32.85, -117.28], [32.85, -117.20], [95.0, -117.2]]}]
    )
    result = subprocess.run(
        [sys.executable, "-m", "ecosim", "validate", str(path)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert f"{path}: region.census[0].boundary[2]" in result.stderr
