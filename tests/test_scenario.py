"""Scenario files: loading, extends, timelines and clear errors for bad input."""

from __future__ import annotations

import hashlib
import json
import math
import string
from pathlib import Path

import pytest
import yaml
from helpers import ROOT, TINY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosim.scenario import ADDED_UNSET_FIELDS, FACTOR_NAMES, ScenarioError, deep_merge, load, read_yaml


def write(tmp_path: Path, name: str, data) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data))
    return path


def tiny_data() -> dict:
    return read_yaml(TINY)


def error_of(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load(path)
    return info.value


def test_tiny_loads_with_grid_and_cells(tiny):
    assert tiny.region.width == 20 and tiny.region.height == 20
    uni = tiny.institutions[0]
    col, row = tiny.region.to_cell(uni.lat, uni.lon)
    x, y = tiny.region.to_km(uni.lat, uni.lon)
    assert (col, row) == (math.floor(x), math.floor(y))


def test_factor_timeline_holds_values_from_their_year(tiny):
    assert tiny.factors.at("hub_leadership", 1979.0) == 0.2  # before the first year: first value
    assert tiny.factors.at("hub_leadership", 1984.9) == 0.2
    assert tiny.factors.at("hub_leadership", 1985.0) == 0.8
    assert tiny.factors.at("information", 2000.0) == 0.5


def test_a_shift_moves_a_whole_timeline_and_clips_at_the_bounds(tmp_path):
    shifted = {"hub_leadership": 0.3, "information": -0.6}
    child = write(tmp_path, "c.yaml", f"extends: {TINY}\nfactors: {{shift: {shifted}}}\n")
    factors = load(child).factors
    assert factors.at("hub_leadership", 1979.0) == pytest.approx(0.5)  # 0.2 + 0.3
    assert factors.at("hub_leadership", 1985.0) == 1.0  # 0.8 + 0.3, clipped
    assert factors.at("information", 2000.0) == 0.0  # 0.5 - 0.6, clipped
    assert factors.at("diverse_players", 2000.0) == 0.5  # no shift: the timeline as written


def test_a_shift_acts_on_the_run_through_the_factors(tmp_path):
    from ecosim.model import BioclusterModel

    child = write(tmp_path, "c.yaml", f"extends: {TINY}\nfactors: {{shift: {{information: 0.3}}}}\n")
    plain, moved = BioclusterModel(load(TINY), rng=1), BioclusterModel(load(child), rng=1)
    plain.step()
    moved.step()
    raw = load(TINY).factors.at("information", plain.year)
    assert moved.factor("information") > plain.factor("information")
    assert moved.factor("information") / plain.factor("information") == pytest.approx((raw + 0.3) / raw)


def test_deep_merge_merges_mappings_and_replaces_the_rest():
    base = {"a": {"b": 1, "c": 2}, "l": [1, 2]}
    assert deep_merge(base, {"a": {"c": 3}, "l": [9]}) == {"a": {"b": 1, "c": 3}, "l": [9]}
    assert base == {"a": {"b": 1, "c": 2}, "l": [1, 2]}


def test_extends_overrides_a_few_fields(tmp_path):
    child = write(tmp_path, "child.yaml", f"extends: {TINY}\nname: Child\nfactors: {{information: 0.9}}\n")
    scenario = load(child)
    assert scenario.name == "Child"
    assert scenario.factors.information == 0.9
    assert scenario.factors.diverse_players == 0.5  # inherited
    assert len(scenario.anchors) == 1


def test_overrides_switch_a_lever(tiny_path):
    scenario = load(tiny_path, overrides={"levers": {"x": {"name": "X", "year": 1982, "enabled": True}}})
    assert [p.name for p in scenario.active_policies()] == ["Bayh-Dole", "X"]


def test_digest_changes_with_content(tiny_path):
    assert load(tiny_path).digest() == load(tiny_path).digest()
    assert load(tiny_path).digest() != load(tiny_path, overrides={"end_year": 1991}).digest()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"factors": {"hub_leadership": 1.7}}, "factors.hub_leadership", "must be <= 1"),
        ({"factors": {"colour": 1}}, "factors.colour", "unknown field"),
        ({"start_year": "soon"}, "start_year", "integer"),
        ({"region": {"km_per_cell": 0}}, "region.km_per_cell", "must be >= 0.25"),
        ({"end_year": 1970}, "end_year", "must be > start_year"),
        (
            {
                "region": {
                    "census": [{"name": "C", "south": 32.9, "north": 32.85, "west": -117.3, "east": -117.2}]
                }
            },
            "region.census[0]",
            "north must lie north of south",
        ),
        (
            {
                "region": {
                    "census": [{"name": "C", "south": 40.0, "north": 40.1, "west": -117.3, "east": -117.2}]
                }
            },
            "region.census[0]",
            "does not overlap the region",
        ),
        (
            {"institutions": [{"name": "Far", "kind": "university", "lat": 40.0, "lon": -117.2}]},
            "institutions[0].lat",
            "outside the region",
        ),
        (
            {"anchors": [{"name": "A", "year": 1981, "institution": "Nowhere"}]},
            "anchors[0].institution",
            "no institution named",
        ),
        (
            {"events": [{"year": 1986, "kind": "acquisition", "target": "Anchorgen", "acquirer": "Nobody"}]},
            "events[0].acquirer",
            "no pharma named",
        ),
        (
            {
                "levers": {
                    "fairs": {
                        "name": "Fairs",
                        "year": 1982,
                        "budget_musd": 1,
                        "channel": "events",
                        "enabled": True,
                    }
                }
            },
            "levers.fairs.year",
            "spent through the hubs from 1982, before the first opens",
        ),
        (
            {
                "hubs": [],
                "policies": [{"name": "Labs", "year": 1985, "budget_musd": 1, "channel": "shared_labs"}],
            },
            "policies[0].channel",
            "shared_labs is spent through the hubs, and the scenario has none",
        ),
    ],
)
def test_bad_values_name_file_and_field(tmp_path, change, field, words):
    path = write(tmp_path, "bad.yaml", deep_merge(tiny_data(), change))
    error = error_of(path)
    assert error.path == str(path)
    assert error.field == field
    assert words in error.message
    assert str(error).startswith(f"{path}: {field}: ")


def test_broken_yaml_names_line(tmp_path):
    error = error_of(write(tmp_path, "broken.yaml", "name: [unclosed\nstart_year: 1980\n"))
    assert "broken YAML" in error.message and "line" in error.message


def test_missing_file_and_missing_extends(tmp_path):
    assert error_of(tmp_path / "nope.yaml").message == "file not found"
    error = error_of(write(tmp_path, "child.yaml", "extends: missing.yaml\n"))
    assert error.field == "extends" and "file not found" in error.message


def test_circular_extends(tmp_path):
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    error = error_of(tmp_path / "a.yaml")
    assert error.field == "extends" and "circular" in error.message


def test_not_a_mapping(tmp_path):
    assert "mapping" in error_of(write(tmp_path, "list.yaml", "- 1\n- 2\n")).message


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    factor=st.sampled_from(FACTOR_NAMES),
    value=st.one_of(st.floats(min_value=1.0001, max_value=1e6), st.floats(max_value=-0.0001, min_value=-1e6)),
)
def test_any_out_of_range_factor_is_named(tmp_path, factor, value):
    path = write(tmp_path, "bad.yaml", deep_merge(tiny_data(), {"factors": {factor: value}}))
    error = error_of(path)
    assert error.field == f"factors.{factor}"
    assert "must be" in error.message


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    section=st.sampled_from(["", "region", "factors"]),
    key=st.text(alphabet=string.ascii_lowercase + "_", min_size=3, max_size=12),
)
def test_any_unknown_key_is_named(tmp_path, section, key):
    data = tiny_data()
    known = set(data) | {"description", "incubators", "levers", "initial_firms", "pharma", "extends"}
    target = data if not section else data[section]
    if (
        key in known
        or key in target
        or (section and key in {"origin_lat", "km_per_cell"} | set(FACTOR_NAMES))
    ):
        return
    patched = deep_merge(data, {key: 1} if not section else {section: {key: 1}})
    error = error_of(write(tmp_path, "bad.yaml", patched))
    assert error.field == (key if not section else f"{section}.{key}")
    assert error.message == "unknown field"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    field=st.sampled_from(["start_year", "end_year", "initial_firms"]),
    # Integers within the number-length limit: a longer one is refused before its field is known.
    value=st.one_of(
        st.text(alphabet=string.ascii_letters, min_size=1, max_size=8),
        st.lists(st.integers(-(10**9), 10**9), max_size=2),
    ),
)
def test_any_wrong_type_is_named(tmp_path, field, value):
    error = error_of(write(tmp_path, "bad.yaml", deep_merge(tiny_data(), {field: value})))
    assert error.field == field


def test_every_shipped_scenario_is_valid():
    paths = sorted((ROOT / "scenarios").glob("*.yaml"))
    assert len(paths) >= 9
    for path in paths:
        assert load(path).name


def test_an_added_field_left_unset_keeps_the_digest_and_set_changes_it(tiny_path):
    plain = load(tiny_path)
    assert ADDED_UNSET_FIELDS == ("listing_market", "labour_mobility", "listing_market_share")
    assert all(getattr(plain, name) is None for name in ADDED_UNSET_FIELDS)
    # The digest of a scenario without the fields is that of its content without them at all.
    data = plain.model_dump(mode="json")
    for name in ADDED_UNSET_FIELDS:
        data.pop(name)
    assert data["region"].pop("counted_apart") == []  # a region's field added later, left out alike
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    assert plain.digest() == hashlib.sha256(text.encode()).hexdigest()
    assert load(tiny_path, overrides={"labour_mobility": 0.4}).digest() != plain.digest()
    census = {"census": [{"name": "C", "south": 32.8, "north": 32.9, "west": -117.3, "east": -117.2}]}
    boxed = load(tiny_path, overrides={"region": census})
    apart = load(tiny_path, overrides={"region": {**census, "counted_apart": ["C"]}})
    assert apart.digest() != boxed.digest()
    assert load(tiny_path, overrides={"listing_market": "us"}).digest() != plain.digest()
    shared = {"listing_market": "us", "listing_market_share": 0.1}
    assert (
        load(tiny_path, overrides=shared).digest()
        != load(tiny_path, overrides={"listing_market": "us"}).digest()
    )


def test_amounts_stated_in_a_currency_are_written_in_it():
    """An amount whose source states it in yen, pounds or dollars ($) is written as {amount,
    currency, year} and converted to the model's dollars at 2000 prices on load (ecosim.money),
    never as a number converted by hand: UTokyo IPC's ~JPY 25 bn fund of 2016 was once written 230, the
    nominal dollars of 2016, which the model read as 230 at 2000 prices (170 is right); the
    source document's "$250,000" (IndieBio's seed, about 2020) was read as 0.25 at 2000 prices.
    """
    hand_converted = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            field, _, comment = line.partition("#")
            if "_musd:" not in field or "currency" in field:
                continue
            in_the_table = any(
                word in comment for word in ("JPY", "GBP", "USD", "$", "¥", "£", "円", "ドル", "ポンド")
            )
            # A currency the money table lacks (EUR, CHF) is converted by hand, and says so.
            elsewhere = any(word in comment for word in ("EUR", "CHF", "€", "ユーロ"))
            if in_the_table or (elsewhere and "not in the money table" not in comment):
                hand_converted.append(f"{path.name}:{number}")
    assert not hand_converted


def test_a_hub_budget_from_the_first_hub_s_year_or_without_money_loads(tmp_path):
    """The check of hub-spent budgets (HUB_CHANNELS) refuses only money no hub could spend."""
    for policy in (
        {"name": "Labs", "year": 1983, "budget_musd": 5, "channel": "shared_labs"},
        {"name": "Talks", "year": 1980, "raises": {"information": 0.1}, "channel": "events"},
        {"name": "Grants", "year": 1980, "budget_musd": 5, "channel": "projects"},
    ):
        assert load(write(tmp_path, "ok.yaml", deep_merge(tiny_data(), {"policies": [policy]}))).policies
    off = {"fairs": {"name": "Fairs", "year": 1981, "budget_musd": 1, "channel": "events", "enabled": False}}
    assert load(write(tmp_path, "off.yaml", deep_merge(tiny_data(), {"levers": off}))).levers


def test_a_policys_japanese_name_leaves_the_digest_as_it_was(tiny_path):
    """No run reads a policy's Japanese name: naming one in Japanese keeps the scenario's digest,
    and so every run stored under it (the committed results' manifests)."""
    plain = load(tiny_path)
    assert plain.policies, "the tiny scenario has a policy to name"
    named = load(
        tiny_path, overrides={"policies": [{**p.model_dump(), "name_ja": "政策"} for p in plain.policies]}
    )
    assert named.policies[0].name_ja == "政策" and named.digest() == plain.digest()
    assert load(tiny_path, overrides={"policies": []}).digest() != plain.digest()
