"""The census area: boxes and boundaries (polygons), what they count, and bad boundaries."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import yaml
from helpers import ROOT, TINY

from ecosim.census import CensusArea, Polygon, overlaps_box
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


# A diamond: every edge sloped, two vertices at the latitude y = 1 of a test point.
DIAMOND = np.array([(1, 0), (2, 1), (1, 2), (0, 1)], dtype=float)


def test_sloped_edges_and_points_at_a_vertex_s_latitude_agree_with_an_independent_test():
    """Polygon.contains against matplotlib's even-odd Path (not the model's code) on a grid of
    points, sloped edges and the latitudes of vertices among them; then points known by hand."""
    from matplotlib.path import Path

    rng = np.random.default_rng(7)
    for shape in (DIAMOND, L_SHAPE, np.array([(0, 0), (3, 0.4), (1.2, 2.9)])):
        polygon = Polygon(shape)
        points = np.vstack(
            [
                rng.uniform(-0.5, 3.5, size=(400, 2)),
                [(x, y) for x in np.linspace(-0.3, 3.3, 13) for y in shape[:, 1]],
            ]
        )
        reference = Path(shape).contains_points(points)
        ours = np.array([polygon.contains(float(x), float(y)) for x, y in points])
        on_edge = np.array([_on_edge(shape, p) for p in points])
        assert (ours == reference)[~on_edge].all()  # a point on the line may fall either way
    diamond = Polygon(DIAMOND)
    assert diamond.contains(1.5, 1.0) and diamond.contains(0.25, 1.0) and diamond.contains(1.0, 1.9)
    assert (
        not diamond.contains(1.9, 1.9) and not diamond.contains(2.5, 1.0) and not diamond.contains(-0.5, 1.0)
    )
    assert not diamond.contains(0.2, 0.5)  # in the bounding box, outside the sloped edge


def _on_edge(shape: np.ndarray, point: np.ndarray) -> bool:
    """Whether ``point`` lies (within 1e-9) on one of the polygon's edges."""
    for a, b in zip(shape, np.roll(shape, -1, axis=0), strict=True):
        ab, ap = b - a, point - a
        cross = ab[0] * ap[1] - ab[1] * ap[0]
        if abs(cross) < 1e-9 and -1e-9 <= float(np.dot(ab, ap)) <= float(np.dot(ab, ab)) + 1e-9:
            return True
    return False


def test_overlap_with_the_region_is_read_from_the_polygon_not_its_box():
    square = np.array([(0, 0), (10, 0), (10, 10), (0, 10)], dtype=float)
    assert overlaps_box(square + 5, 10, 10) and overlaps_box(
        square * 3 - 5, 10, 10
    )  # a vertex in; all around
    assert overlaps_box(np.array([(-1, 5), (5, -1), (-1, -1)], dtype=float), 10, 10)  # across a corner
    band = np.array([(-5, 4), (15, 4), (15, 6), (-5, 6)], dtype=float)  # no vertex in, no corner in
    assert overlaps_box(band, 10, 10)
    # Its bounding box overlaps the region's corner, the triangle itself lies beyond the diagonal.
    assert not overlaps_box(np.array([(-5, 4), (4, -5), (-5, -5)], dtype=float), 10, 10)


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


def test_venture_money_of_the_census_area_counts_the_rounds_of_its_companies_alone(tmp_path):
    """Two rounds of the same stage, one to a company inside the census box and one outside it:
    vc_invested counts both, vc_invested_census the one inside (Boston's VC figure counts the two
    cities' companies, not the grid's); without a census area it is the whole region's."""
    from helpers import EMPTY, startup

    from ecosim import metrics
    from ecosim.mechanisms import funding

    box = {"name": "SW", "south": 32.80, "north": 32.85, "west": -117.30, "east": -117.25}
    for census, inside_share in (([box], 1), ([], 2)):
        model = BioclusterModel(load(tiny_with(tmp_path, census), overrides=EMPTY), rng=1)
        inside, outside = startup(model, xy=(2.0, 2.0)), startup(model, xy=(15.0, 15.0))
        assert model.in_census(inside.xy_km) and model.in_census(outside.xy_km) == (not census)
        for company in (inside, outside):
            funding.close_round(model, company, None)
        size = model.round_size(0)
        assert metrics.vc_invested(model) == pytest.approx(2 * size)
        assert metrics.vc_invested_census(model) == pytest.approx(inside_share * size)


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
    # Every firm the boundary counts is inside the L, checked point by point by matplotlib's test.
    from matplotlib.path import Path

    vertices = np.array([traced.region.to_km(lat, lon) for lat, lon in L_LATLON])
    # Off the boundary line (the incubator's tenants sit at its address, on the L's northern edge).
    placed = [f for f in model.firms if not _on_edge(vertices, np.asarray(f.xy_km, dtype=float))]
    assert len(placed) > 10 and any(f.in_census for f in placed) and not all(f.in_census for f in placed)
    for firm in placed:
        assert firm.in_census == Path(vertices).contains_point(tuple(map(float, firm.xy_km)))
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
        (
            {"name": "L", "boundary": [[32.85, -117.28], [32.86, -117.27], [32.87, -117.26]]},
            "region.census[0].boundary",
            "encloses no area",
        ),
        ({"name": "L", "boundary": [[32.85, -117.28]] * 4}, "region.census[0].boundary", "encloses no area"),
        (
            {"name": "T", "boundary": [[32.75, -117.35], [32.75, -117.26], [32.83, -117.35]]},
            "region.census[0]",
            "does not overlap the region",
        ),
        (
            {"name": "L", "boundry": L_LATLON},
            "region.census[0]",
            "a box {name, south, north, west, east} or a boundary",
        ),
        ("Cambridge", "region.census[0]", "a box {name, south, north, west, east} or a boundary"),
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


# A box east of the L, apart from it: together they are the census area.
EAST_BOX = {"name": "E", "south": 32.85, "north": 32.93, "west": -117.19, "east": -117.15}
PARTS = ("firms_census", "employment_census", "firms_census_biopharma", "employment_census_biopharma")


def run_months(path, months=120, seed=3):
    model = BioclusterModel(load(path), rng=seed)
    for _ in range(months):
        model.step()
    return model.datacollector.get_model_vars_dataframe()


def test_parts_counted_apart_add_up_to_the_census_area(tmp_path):
    """Two entries, each counted apart and not overlapping: their columns sum to the census
    columns in every month, for firms and jobs, every kind and the drug industry alone."""
    census = [{"name": "L", "boundary": L_LATLON}, EAST_BOX]
    path = tmp_path / "parts.yaml"
    path.write_text(
        yaml.safe_dump(
            deep_merge(read_yaml(TINY), {"region": {"census": census, "counted_apart": ["L", "E"]}})
        )
    )
    series = run_months(path)
    for metric in PARTS:
        parts = series[f"{metric}[L]"] + series[f"{metric}[E]"]
        assert (parts == series[metric]).all(), metric
    assert series["firms_census[L]"].iloc[-1] > 0 and series["firms_census[E]"].iloc[-1] >= 0
    assert (series["firms_census_biopharma[L]"] <= series["firms_census[L]"]).all()


def test_a_scenario_without_parts_records_no_part_column(tmp_path):
    series = run_months(tiny_with(tmp_path, [{"name": "L", "boundary": L_LATLON}]), months=2)
    assert not [c for c in series.columns if "[" in c]


@pytest.mark.parametrize(
    ("parts", "words"),
    [(["Nowhere"], "must name one census entry"), (["L", "L"], "is named twice")],
)
def test_a_part_must_name_one_census_entry(tmp_path, parts, words):
    path = tmp_path / "bad_parts.yaml"
    census = [{"name": "L", "boundary": L_LATLON}]
    path.write_text(
        yaml.safe_dump(deep_merge(read_yaml(TINY), {"region": {"census": census, "counted_apart": parts}}))
    )
    with pytest.raises(ScenarioError) as info:
        load(path)
    assert info.value.field == f"region.counted_apart[{len(parts) - 1}]"
    assert words in info.value.message


def _geojson(tmp_path, *rings):
    features = [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}} for ring in rings]
    path = tmp_path / "city.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_the_boundary_script_traces_a_city_and_refuses_a_ring_that_crosses_itself(tmp_path):
    """scripts/census_boundaries.py as a user runs it: a square city of about 4 km2 with a wiggle
    the tolerance removes and an island too small to keep; a ring simplified into a bow-tie."""
    square = [[-71.10, 42.35], [-71.075, 42.35], [-71.0751, 42.36], [-71.075, 42.368], [-71.10, 42.368]]
    island = [[-71.00, 42.30], [-70.999, 42.30], [-70.999, 42.301]]
    script = ROOT / "scripts" / "census_boundaries.py"
    done = subprocess.run(
        [sys.executable, str(script), "Square", str(_geojson(tmp_path, square, island))],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    entries = yaml.safe_load("\n".join(line for line in done.stdout.splitlines() if not line.startswith("#")))
    assert len(entries) == 1 and entries[0]["name"] == "Square"
    assert entries[0]["boundary"] == [[lat, lon] for lon, lat in square if (lon, lat) != (-71.0751, 42.36)]
    assert "sha256" in done.stdout.splitlines()[0]
    # A lopsided figure eight (about 5 km2 net): its lobes meet where the ring runs back over itself.
    eight = [[-71.10, 42.35], [-71.04, 42.39], [-71.04, 42.35], [-71.10, 42.37]]
    done = subprocess.run(
        [sys.executable, str(script), "Eight", str(_geojson(tmp_path, eight))], capture_output=True, text=True
    )
    assert done.returncode == 1 and "crosses itself" in done.stderr
