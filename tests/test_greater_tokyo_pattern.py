"""experiments/greater_tokyo_pattern.py: Greater Tokyo's baseline against Japan's foundings and exits.

The rule (the script's docstring) is checked on hand-built numbers and a tiny hand-built firm table
with exact expectations, the sourced data on the shipped file, and the script through its command
line on a tiny budget (one seed).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pandas as pd
import pytest
from helpers import ROOT, experiment


@pytest.fixture(scope="module")
def gtp():
    return experiment("greater_tokyo_pattern")


@pytest.mark.parametrize(
    ("value", "reading"),
    [
        (11.5, "under"),  # below 17.4 / 1.5 = 11.6
        (11.6, "met"),
        (30.0, "met"),
        (39.5, "met"),  # under 26.4 x 1.5
        (39.7, "over"),
    ],
)
def test_a_pattern_is_read_by_the_rule_stated_before_running(gtp, value, reading):
    assert gtp.state(value, 17.4, 26.4) == reading


def test_the_bands_come_from_the_sourced_rows_of_the_first_run(gtp):
    data = gtp.load_data()
    rows = gtp.registered(data)
    low, high = gtp.founding_band(rows, 2023)
    assert (low, high) == pytest.approx((50 * 0.348, 50 * 0.528))
    assert gtp.founding_band(rows, 2019) == pytest.approx((100 * 0.348, 100 * 0.528))
    assert gtp.band(rows, "exits") == pytest.approx((0.016, 0.069))  # as the rule was run
    assert gtp.band(data, "exits") == pytest.approx((0.009, 0.095))  # with the rows added after it


def firm(kind, origin, founded, fate="active", fate_year=math.nan):
    return {"kind": kind, "origin": origin, "founded_year": founded, "fate": fate, "fate_year": fate_year}


def test_an_exit_rate_counts_the_ventures_operating_at_the_year_s_start(gtp):
    firms = pd.DataFrame(
        [
            firm("startup", "preexisting", 2021.0, "failed", 2021.5),  # leaves in 2021
            firm("startup", "preexisting", 2021.0, "acquired", 2022.25),  # leaves in 2022
            firm("medtech", "academic", 2021.0, "closed", 2023.0),  # leaves at the start of 2023
            firm("public", "academic", 2021.0, "listed"),  # listed: still a venture
            firm("startup", "academic", 2021.5, "failed", 2021.9),  # founded after 2021 began
            firm("pharma_site", "pharma_site", 2021.0, "failed", 2021.1),  # not a venture
            firm("startup", "relocation", 2022.0),
            firm("large", "academic", 2022.0),  # grown large by the run's end: still a venture
        ]
    )
    kinds = gtp.VENTURE_KINDS
    assert gtp.exit_rates(firms, range(2021, 2024), kinds) == pytest.approx([1 / 4, 1 / 5, 1 / 4])
    assert gtp.exit_rates(firms, range(2021, 2023), ("medtech",)) == pytest.approx([0.0, 0.0])
    drugs = gtp.exit_rates(firms, range(2021, 2022), kinds, ("preexisting",))
    assert drugs == pytest.approx([1 / 2])
    assert math.isnan(gtp.exit_rates(firms, range(2019, 2020), kinds)[0])  # none operating yet
    assert gtp.mean_rate([0.1, math.nan, 0.3]) == pytest.approx(0.2)
    # Pooled: exits over firm-years, so 2021's four firms weigh as four, not as a year.
    counts = gtp.exits_and_operating(firms, range(2021, 2024), kinds)
    assert counts == [(1, 4), (1, 5), (1, 4)]
    assert gtp.pooled(counts) == pytest.approx((3 / 13, 13))
    assert math.isnan(gtp.pooled([(0, 0)])[0])  # none operate


def test_a_venture_founded_in_january_operates_at_the_year_s_start(gtp):
    """founded_year is a decimal year: January's firm (y.0) is counted at the start of y, February's not."""
    firms = pd.DataFrame(
        [firm("startup", "academic", 2022.0, "failed", 2022.5), firm("startup", "academic", 2022.0833)]
    )
    assert gtp.exits_and_operating(firms, range(2022, 2024), gtp.VENTURE_KINDS) == [(1, 1), (0, 1)]


def test_a_yearly_mean_sums_the_months_of_the_years_read(gtp):
    """Relocations and venture money a year: the months of the years read, summed, over the years."""
    months = [2020 + m / 12 for m in range(12 * 4)]  # 2020-2023, a month each
    series = pd.DataFrame({"year": months, "vc_invested": [1.0] * len(months)})
    series.loc[series["year"] >= 2023, "vc_invested"] = 5.0  # outside the years read
    outcome = type("Outcome", (), {"timeseries": series})()
    assert gtp.yearly_mean(outcome, "vc_invested", range(2020, 2023)) == pytest.approx(12.0)


def test_the_overall_reading_names_what_is_missed(gtp):
    tested = pd.DataFrame({"pattern": ["foundings", "exits"], "state": ["met", "met"]})
    assert gtp.overall(tested) == "Japan's flows"
    tested["state"] = ["met", "over"]
    assert gtp.overall(tested) == "missed: exits"


def test_an_incomplete_data_row_stops_the_script(gtp, tmp_path):
    path = tmp_path / "greater_tokyo.csv"
    header = "pattern,area,date,value,definition,source,note,role\n"
    path.write_text(header + "exits,japan,2013,0.02,a rate,,,first run\n")
    with pytest.raises(SystemExit, match="rows"):
        gtp.load_data(path)
    path.write_text(header + "exits,japan,2013,0.02,a rate,a source,,second run\n")  # an unknown role
    with pytest.raises(SystemExit, match="rows"):
        gtp.load_data(path)


def test_greater_tokyo_pattern_runs_through_its_command_line(tmp_path):
    out = tmp_path / "pattern"
    command = [sys.executable, str(ROOT / "experiments" / "greater_tokyo_pattern.py"), "--seeds", "1"]
    done = subprocess.run([*command, "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    tested = pd.read_csv(out / "patterns.csv")
    assert tested["pattern"].tolist() == ["foundings", "exits"]
    assert set(tested["state"]) <= {"under", "met", "over"}
    assert (tested["model"] > 0).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds"] == [1] and manifest["until"] == 2025
    readme = (out / "README.md").read_text()
    assert "**Overall:" in readme and "## After the first run (post hoc, outside the rule)" in readme
    beside = pd.read_csv(out / "reported.csv")
    assert set(beside["when"]) == {"reported", "post hoc"}
    money = beside[beside["what"].str.startswith("venture money invested a year")]
    assert len(money) == 1 and money["model"].iloc[0] > 0
