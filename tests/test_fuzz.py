"""Random valid scenarios run for a short span without raising (hypothesis).

Every value is drawn inside the schema's bounds, so each scenario passes validation; the model
must then run it. Policies and levers often start in the first year (the fund that opened before
the month's state existed) and many scenarios have no firm at all (the empty summary).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosim.runner import run_one
from ecosim.scenario import FACTOR_NAMES, HUB_CHANNELS, Scenario

UNTIL = 2001  # two years: the first-year policies, an anchor or two, an acquisition
START = 2000
ORIGIN = (35.0, 139.0)  # south-west corner; every site is drawn inside the region below
SPAN_DEG = 0.15  # about 14 x 17 km: inside the smallest region drawn

unit = st.floats(0.0, 1.0, allow_nan=False)
# January of the first year half the time: what is scheduled then runs while the world is built.
years = st.just(START) | st.integers(START, START + 2)
months = st.just(1) | st.integers(1, 12)
lat = st.floats(ORIGIN[0] + 0.001, ORIGIN[0] + SPAN_DEG, allow_nan=False)
lon = st.floats(ORIGIN[1] + 0.001, ORIGIN[1] + SPAN_DEG, allow_nan=False)
factor = st.one_of(unit, st.dictionaries(years, unit, min_size=1, max_size=3))


def names(prefix: str, count: int) -> list[str]:
    return [f"{prefix} {i}" for i in range(count)]


@st.composite
def scenarios(draw: st.DrawFn) -> dict:
    institutions = [
        {
            "name": name,
            "kind": draw(st.sampled_from(["university", "research_institute", "hospital"])),
            "lat": draw(lat),
            "lon": draw(lon),
            "research_strength": draw(st.floats(0, 5)),
            "tech_transfer": draw(unit),
            "translational_capacity": draw(unit),
            "talent_per_year": draw(st.integers(0, 2000)),
            "opened": draw(st.none() | years),
        }
        for name in names("Institution", draw(st.integers(0, 3)))
    ]
    pharma = [
        {
            "name": name,
            "rd_budget_musd": draw(st.floats(1, 50000)),
            "open_innovation": draw(unit),
            **draw(
                st.sampled_from(
                    [
                        {},
                        {"site": {"name": f"{name} site", "lat": 35.05, "lon": 139.05}, "site_opened": START},
                    ]
                )
            ),
        }
        for name in names("Pharma", draw(st.integers(0, 2)))
    ]
    anchors = [
        {
            "name": name,
            "year": draw(years),
            "month": draw(months),
            "lat": draw(lat),
            "lon": draw(lon),
            "quality": draw(unit),
            "headcount": draw(st.integers(1, 50)),
            "cash_musd": draw(st.floats(0, 50)),
        }
        for name in names("Anchor", draw(st.integers(0, 2)))
    ]
    events = []
    for anchor in anchors:
        milestone = draw(st.sampled_from([None, "listing", "product", "headcount", "independent"]))
        if milestone is not None:
            event = {"year": anchor["year"] + 1, "kind": milestone, "target": anchor["name"]}
            if milestone == "headcount":
                event["headcount"] = draw(st.integers(1, 300))
            events.append(event)
        if pharma and draw(st.booleans()):
            ending = draw(st.sampled_from(["acquisition", "closure"]))
            event = {"year": anchor["year"] + 2, "kind": ending, "target": anchor["name"]}
            if ending == "acquisition":
                event["acquirer"] = pharma[0]["name"]
            events.append(event)

    def policy(name: str) -> dict:
        return {
            "name": name,
            "year": draw(years),
            "month": draw(months),
            "raises": draw(st.dictionaries(st.sampled_from(FACTOR_NAMES), st.floats(-1, 1), max_size=2)),
            "tech_transfer_delta": draw(st.floats(-1, 1)),
            "budget_musd": draw(st.sampled_from([0.0, 10.0, 500.0])),
            "years": draw(st.integers(1, 10)),
            "channel": draw(st.sampled_from(["projects", "shared_labs", "vc_fund", "events"])),
        }

    size = draw(st.sampled_from([20.0, 40.0]))
    data = {
        "name": "fuzzed",
        "start_year": START,
        "end_year": START + 10,
        "region": {
            "origin_lat": ORIGIN[0],
            "origin_lon": ORIGIN[1],
            "width_km": size,
            "height_km": size,
            "km_per_cell": draw(st.sampled_from([0.5, 1.0, 2.0])),
        },
        "factors": {name: draw(factor) for name in FACTOR_NAMES},
        "institutions": institutions,
        "hubs": [
            {
                "name": name,
                "lat": draw(lat),
                "lon": draw(lon),
                "founded": draw(years),
                "events_capacity": draw(st.integers(0, 500)),
                "operates_site": draw(st.booleans()),
            }
            for name in names("Hub", draw(st.integers(0, 2)))
        ],
        "incubators": [
            {
                "name": name,
                "lat": draw(lat),
                "lon": draw(lon),
                "opened": draw(years),
                "seats": draw(st.integers(1, 50)),
                "seed_cheque_musd": draw(st.floats(0, 10)),
            }
            for name in names("Incubator", draw(st.integers(0, 2)))
        ],
        "pharma": pharma,
        "vcs": [
            {
                "name": name,
                "lat": draw(lat),
                "lon": draw(lon),
                "founded": draw(years),
                "capital_musd": draw(st.floats(1, 500)),
            }
            for name in names("VC", draw(st.integers(0, 2)))
        ],
        "anchors": anchors,
        "events": events,
        "policies": [policy(name) for name in names("Policy", draw(st.integers(0, 2)))],
        "levers": {
            f"lever{i}": {**policy(f"Lever {i}"), "enabled": draw(st.booleans())}
            for i in range(draw(st.integers(0, 2)))
        },
        "initial_firms": draw(st.integers(0, 20)),
    }
    # A budget the hubs spend starts once a hub is open (Scenario._check_hub_budgets).
    opened = min((hub["founded"] for hub in data["hubs"]), default=None)
    for policy_data in [*data["policies"], *data["levers"].values()]:
        if policy_data["channel"] in HUB_CHANNELS and opened is None:
            policy_data["channel"] = "projects"
        elif policy_data["channel"] in HUB_CHANNELS:
            policy_data["year"] = max(policy_data["year"], opened)
    return data


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_random_valid_scenarios_run_without_raising(data, seed):
    scenario = Scenario.model_validate(data)
    result = run_one(scenario, seed, until=UNTIL)
    assert len(result.timeseries) == (UNTIL + 1 - START) * 12
    assert set(result.summary) >= {"startups_founded", "largest_lineage", "spinout_share"}
