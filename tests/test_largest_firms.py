"""experiments/largest_firms.py: the model's largest non-anchor drug developers against sourced ones.

The rule (module docstring) is checked on hand-built numbers and a tiny hand-built firm table with
exact expectations, the sourced data and their pairing on the shipped files, and the script through
its command line on a tiny budget (1 seed to 1993).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pandas as pd
import pytest
from helpers import ROOT, experiment

from ecosim.engine import Outcome

NAN = math.nan


@pytest.fixture(scope="module")
def lf():
    return experiment("largest_firms")


@pytest.mark.parametrize(
    ("model", "data", "state"),
    [
        (0.0, 700.0, "missing"),  # no firm that size at all
        (99.9, 150.0, "missing"),  # just under 1/1.5
        (100.0, 150.0, "met"),  # 1/1.5 itself is met
        (700.0, 700.0, "met"),
        (150.0, 100.0, "met"),  # 1.5 itself is met
        (151.0, 100.0, "over"),
    ],
)
def test_the_tail_is_read_by_the_rule_stated_before_running(lf, model, data, state):
    assert lf.tail_state(model, data) == state


@pytest.mark.parametrize(
    ("data_sum", "model_sum", "gap", "reading"),
    [
        (1000.0, 200.0, 1600.0, "yes"),  # a shortfall of 800, half of the gap exactly
        (1000.0, 200.0, 1601.0, "no"),  # just under half
        (1000.0, 200.0, 400.0, "yes"),  # more than the whole gap
        (500.0, 900.0, 1000.0, "no"),  # the model's tail larger: no shortfall
        (1000.0, 200.0, 0.0, "no gap"),  # the model's drug jobs meet N
        (1000.0, 200.0, -50.0, "no gap"),
        (1000.0, 200.0, NAN, "unpaired"),  # no narrow count within 3 years
    ],
)
def test_the_gap_is_explained_by_the_rule_stated_before_running(lf, data_sum, model_sum, gap, reading):
    assert lf.explains(data_sum, model_sum, gap) == reading


def test_the_overall_reading_counts_the_tested_dates(lf):
    assert lf.overall(["missing", "missing", "met"]) == "the tail"
    assert lf.overall(["missing"]) == "the tail"
    assert lf.overall(["missing", "met"]) == "partly"  # half is not more than half
    assert lf.overall(["missing", "over", "met"]) == "partly"
    assert lf.overall(["met", "over"]) == "not the tail"
    assert lf.overall([]) == "nothing tested"


def firm_table(rows):
    columns = ["firm_id", "name", "kind", "origin", "founded_year", "parent_id", "headcount"]
    return pd.DataFrame(rows, columns=columns)


FIRMS = firm_table(
    [
        (1, "Biogen", "large", "anchor", 1978.0, None, 3000),  # a scripted anchor: left out
        (2, "", "public", "spinout", 1985.0, 1, 900),
        (3, "", "large", "academic", 1980.0, None, 1200),
        (4, "", "startup", "academic", 1990.0, None, 40),
        (5, "", "startup", "release", 1991.0, None, 0),  # failed: no staff, not operating
        (6, "", "medtech", "academic", 1984.0, None, 2000),  # a device firm: not a drug developer
        (7, "Pfizer", "pharma_site", "relocation", 1986.0, None, 1500),  # a pharma site
        (8, "", "branch", "relocation", 1992.0, None, 300),  # a branch
        (9, "", "public", "relocation", 1988.0, None, 500),
    ]
)


def test_the_drug_developers_leave_out_anchors_sites_branches_devices_and_the_closed(lf):
    staff = lf.developers(FIRMS, {"Biogen", "Genzyme"})
    assert list(staff) == [1200, 900, 500, 40]
    assert lf.largest(staff, 2) == [1200, 900]
    assert lf.largest(staff, 6) == [1200, 900, 500, 40, 0, 0]  # zeros where fewer operate


def test_a_firm_of_the_anchor_origin_must_be_a_named_anchor(lf):
    with pytest.raises(SystemExit, match="Biogen"):
        lf.developers(FIRMS, {"Genzyme"})


def outcome(firms, drug_jobs):
    series = pd.DataFrame(
        {"step": [1, 2], "year": [1996.8333, 1996.9167], "employment_biopharma": [0, drug_jobs]}
    )
    return Outcome(run=None, firms=firms, timeseries=series)


def test_a_cluster_date_row_takes_medians_over_seeds(lf):
    scenario = lf.history.scenario_of("boston")  # its anchors: Biogen, Genzyme
    smaller = FIRMS.assign(headcount=[3000, 300, 400, 40, 0, 2000, 1500, 300, 100])
    rows = pd.DataFrame(
        {"cluster": ["boston"] * 2, "firm": ["A", "B"], "date": ["1996", "1996-03"], "staff": [1500, 700]}
    )
    rows["year"] = 1996
    runs = [outcome(FIRMS, 8000), outcome(smaller, 6000), outcome(FIRMS, 7000)]
    row = lf.date_row(rows, scenario, runs, runs, None)
    # per seed the two largest: 1200+900, 400+300, 1200+900; the medians
    assert row["model_sizes"] == "1,200 / 900"
    assert row["model_sum"] == 2100.0 and row["model_sum_p05"] == pytest.approx(840.0)
    assert row["data_sizes"] == "1,500 / 700" and row["data_sum"] == 2200.0 and row["data_big"] == 2
    assert row["model_big"] == 3.0  # 1,200, 900 and 500 in two of three seeds
    assert row["model_drug_jobs"] == 7000.0
    assert row["ratio"] == pytest.approx(2100 / 2200, abs=1e-3)
    assert row["tested"] and row["tail"] == "met"
    assert row["explains"] == "unpaired" and math.isnan(row["gap"])


def test_a_date_without_a_big_firm_in_the_data_is_not_tested(lf):
    scenario = lf.history.scenario_of("san_diego")
    rows = pd.DataFrame(
        {"cluster": ["san_diego"], "firm": ["A"], "date": ["1994"], "staff": [238], "year": [1994]}
    )
    no_anchor = FIRMS[FIRMS["origin"] != "anchor"]
    row = lf.date_row(rows, scenario, [outcome(no_anchor, 100)], [outcome(no_anchor, 100)], None)
    assert not row["tested"]
    assert row["tail"] == "no big firm in the data" and row["explains"] == "not tested"


def test_a_stopped_run_is_compared_by_who_was_founded(lf):
    long = outcome(FIRMS, 8000)
    short = outcome(FIRMS[FIRMS["founded_year"] <= 1996.9167].assign(kind="startup"), 8000)
    assert lf.same_prefix(short, long)  # kinds differ (listing comes later): not compared
    assert not lf.same_prefix(outcome(FIRMS.iloc[1:], 8000), long)  # a firm missing
    assert not lf.same_prefix(outcome(FIRMS, 7999), long)  # the time series differs


def test_the_sourced_counts_and_their_pairs(lf):
    data = lf.load_data()
    assert len(data) == 7 and set(data["scope"]) <= {"region", "company-wide"}
    assert (data["staff"] >= lf.BIG).all()  # every count found is of a big firm
    assert data.loc[data["firm"] == "Genetics Institute", "when"].tolist() == [1992 + 8 / 12, 1996 + 11 / 12]
    found = {}
    for cluster in lf.history.CLUSTERS:
        years, pairs = lf.run_years(data, cluster, 2020)
        found[cluster] = (years, {y: t.date if t else None for y, t in pairs.items()})
    assert found == {
        "boston": (
            [1992, 1996, 2000, 2003, 2004],
            {1992: "1993", 1996: None, 2000: "2002", 2003: "2002", 2004: "2004"},
        ),
        "bay_area": ([1996], {1996: None}),  # 1999-08 lies 3.1 years after the middle of 1996
        "san_diego": ([1997], {1997: None}),
    }


def test_an_incomplete_data_row_stops_the_script(lf, tmp_path):
    path = tmp_path / "firms.csv"
    path.write_text("cluster,firm,date,staff,scope,source,note\nboston,A,2000,700,regional,a paper,\n")
    with pytest.raises(SystemExit, match="rows"):
        lf.load_data(path)


def test_largest_firms_runs_through_its_command_line(tmp_path):
    out = tmp_path / "largest"
    command = [sys.executable, str(ROOT / "experiments" / "largest_firms.py"), "--seeds", "1"]
    command += ["--until", "1993", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out / "cluster_dates.csv")
    assert list(zip(table["cluster"], table["year"], strict=True)) == [("boston", 1992)]
    assert table["narrow_date"].astype(str).tolist() == ["1993"]
    assert set(table["tail"]) <= {"missing", "met", "over"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["cluster_dates"] == 1 and manifest["prefix_checks"] == 1  # the runs to 1992 and 1993
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and f"Produced by `{manifest['command']}`" in readme
