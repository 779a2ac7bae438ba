"""experiments/history.py: the US clusters against every dated figure, exit timing, anchors' paths.

The helpers are checked on hand-built firm tables with exact answers; the script itself runs
through its command line on a tiny budget (2 seeds to 1996: the in-sample figures of 1993-1995).
"""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import sys
from types import SimpleNamespace

import pandas as pd
import pytest
from helpers import ROOT, experiment, run_refit, run_scan

from ecosim import calibrate, exit_timing, money
from ecosim.constants import fitted
from ecosim.scenario import load

SCRIPT = ROOT / "experiments" / "history.py"


@pytest.fixture(scope="module")
def history():
    return experiment("history")


def firm(firm_id, founded, origin="academic", root=None, fate="active", fate_year=None, listed=None, name=""):
    return {
        "firm_id": firm_id,
        "name": name,
        "founded_year": founded,
        "origin": origin,
        "lineage_root": firm_id if root is None else root,
        "fate": fate,
        "fate_year": fate_year,
        "listed_year": listed,
        "peak_headcount": 10,
        "headcount": 0,
        "acquirer": "",
    }


def test_years_to_ipo_and_to_acquisition_of_firms_founded_here(history):
    firms = pd.DataFrame(
        [
            firm(1, 2000.0, listed=2004.0, fate="listed", fate_year=2004.0),  # IPO after 4
            firm(2, 2000.0, listed=2006.0, fate="acquired", fate_year=2015.0),  # IPO after 6, bought listed
            firm(3, 2001.0, fate="acquired", fate_year=2010.0),  # private sale after 9
            firm(4, 2002.0, fate="acquired", fate_year=2013.0),  # after 11
            firm(5, 1990.0, origin="relocation", fate="acquired", fate_year=2011.0),  # no founding date here
            firm(6, 2003.0, fate="failed", fate_year=2005.0),
        ]
    )
    years = exit_timing.exit_years(firms)
    assert sorted(years["ipo"]) == [4.0, 6.0]
    assert sorted(years["acquisition"]) == [9.0, 11.0]  # a listed firm's sale is not a venture exit
    dated = exit_timing.exit_years(firms, (2009, 2011))
    assert list(dated["ipo"]) == [] and list(dated["acquisition"]) == [9.0]


def test_a_lineage_figure_counts_the_anchors_descendants_founded_by_its_date(history):
    firms = pd.DataFrame(
        [
            firm(1, 1978.0, origin="anchor", name="Hybritech", fate="acquired", fate_year=1986.0),
            firm(2, 1984.0, origin="spinout", root=1),
            firm(3, 1986.2, origin="acquisition", root=1),  # the unit it became: not a founding
            firm(4, 1990.0, origin="release", root=1),
            firm(5, 2003.0, origin="spinout", root=1),
            firm(6, 1990.0, origin="spinout"),  # another lineage
        ]
    )
    assert history.lineage_count(firms, "Hybritech", 2002.5) == 2
    assert history.lineage_count(firms, "Hybritech", 2003.7) == 3
    assert history.lineage_count(firms, "Genentech", 2003.7) == 0


def test_hybritech_s_alumni_figure_of_2002_counts_the_firms_founded_after_1986(history):
    """The figure counts alumni firms founded after Lilly's purchase (targets.csv founded_after
    1986): of the lineage founded by mid-2002, those of 1987 on, not those of 1984 and 1986."""
    firms = pd.DataFrame(
        [
            firm(1, 1978.0, origin="anchor", name="Hybritech", fate="acquired", fate_year=1986.0),
            firm(2, 1984.0, origin="spinout", root=1),
            firm(3, 1986.2, origin="acquisition", root=1),  # the unit it became: not a founding
            firm(4, 1986.9, origin="release", root=1),  # released by the sale, founded in 1986
            firm(5, 1987.0, origin="release", root=1),
            firm(6, 1995.5, origin="spinout", root=1),
            firm(7, 2003.0, origin="spinout", root=1),  # after the figure's date
            firm(8, 1990.0, origin="spinout"),  # another lineage
        ]
    )
    assert history.lineage_count(firms, "Hybritech", 2002.5) == 4
    assert history.lineage_count(firms, "Hybritech", 2002.5, founded_after=1986) == 2
    (alumni,) = [t for t in calibrate.load_targets() if t.metric == "lineage_firms" and t.date == "2002"]
    outcome = SimpleNamespace(timeseries=pd.DataFrame(), firms=firms)
    assert history.model_value(alumni, outcome, history.scenario_of("san_diego")) == 2.0
    later = next(t for t in calibrate.load_targets() if t.metric == "lineage_firms" and t.date == "2003-09")
    assert history.model_value(later, outcome, history.scenario_of("san_diego")) == 5.0


def test_an_anchor_kept_by_its_buyer_reports_the_kept_sites_staff_at_the_end(history):
    sold = {**firm(1, 1976.0, origin="anchor", name="Genentech", fate="acquired", fate_year=2009.17)}
    sold["acquirer"], sold["kind"] = "Roche", "startup"
    sold["parent_id"] = None
    site = {**firm(2, 2009.17, origin="acquisition", root=1, name="Roche (Genentech)"), "kind": "pharma_site"}
    site["headcount"], site["stage"], site["parent_id"] = 8800, "kept site", 1
    other = {**site, "firm_id": 3, "name": "Roche", "headcount": 50, "stage": "site"}  # the buyer's own
    firms = pd.DataFrame([sold, site, other])
    assert history.kept_site_staff(firms, firms.iloc[0]) == 8800
    firms.loc[1, "stage"] = "site"  # a bought firm's unit shedding its staff is not a kept site
    assert history.kept_site_staff(firms, firms.iloc[0]) is None
    firms.loc[1, "stage"] = "kept site"
    firms.loc[1, "fate"] = "closed"  # closed by the end: nothing kept
    assert history.kept_site_staff(firms, firms.iloc[0]) is None
    listed = pd.Series({**sold, "fate": "listed"})
    assert history.kept_site_staff(firms, listed) is None


def test_a_flow_figure_is_the_sum_over_its_calendar_year(history):

    months = [2016 + m / 12 for m in range(36)]
    series = pd.DataFrame({"year": months, "exits_ipo": [1] * 36, "firms_census": range(36)})
    series.loc[series["year"] >= 2017, "exits_ipo"] = 2  # two IPOs a month from 2017 on
    outcome = SimpleNamespace(timeseries=series, firms=pd.DataFrame())
    scenario = history.scenario_of("boston")
    ipos = next(t for t in calibrate.load_targets() if t.metric == "exits_ipo" and t.date == "2017")
    assert history.model_value(ipos, outcome, scenario) == 24.0  # 2017's twelve months, not one
    firms = next(t for t in calibrate.load_targets() if t.cluster == "boston" and t.metric == "firms_census")
    stock = dataclasses.replace(firms, date="2017")
    assert history.model_value(stock, outcome, scenario) == 18.0  # a stock: the month nearest the date


def test_boston_s_venture_money_is_read_from_the_census_area_s_rounds(history):
    """Boston's VC money of 2017-19 counts the companies of Cambridge and Boston: the model's
    value is the census area's rounds of the year (vc_invested_census), not the whole grid's, and
    the figure's current dollars are read in the model's USD of 2000."""
    (vc,) = [t for t in calibrate.load_targets() if t.cluster == "boston" and "vc_invested" in t.metric]
    assert vc.metric == "vc_invested_census" and vc.date == "2018"
    months = [2018 + m / 12 for m in range(12)]
    series = pd.DataFrame({"year": months, "vc_invested": [10.0] * 12, "vc_invested_census": [4.0] * 12})
    outcome = SimpleNamespace(timeseries=series, firms=pd.DataFrame())
    assert history.model_value(vc, outcome, history.scenario_of("boston")) == 48.0
    assert "vc_invested_census" in history.COLUMNS and "vc_invested" not in history.COLUMNS
    assert history.data_value(vc) == pytest.approx(money.to_model_usd(4320, "USD", 2018))


def test_a_figure_of_one_organization_is_that_organization_s_count_at_the_run_s_end(history):

    series = pd.DataFrame({"year": [2020.0, 2020.9], "hub_members": [900, 1000]})
    summary = {"end_year": 2020.9167, "hub_members_by_name": {"MassBio": 640, "LabCentral": 360}}
    outcome = SimpleNamespace(timeseries=series, firms=pd.DataFrame(), summary=summary)
    scenario = history.scenario_of("boston")
    massbio = next(t for t in calibrate.load_targets() if t.of == "MassBio")
    assert history.model_value(massbio, outcome, scenario) == 640.0  # MassBio's own, not every hub's
    with pytest.raises(SystemExit, match="at its end"):
        history.model_value(dataclasses.replace(massbio, date="2010"), outcome, scenario)
    with pytest.raises(SystemExit, match="no 'Nobody'"):
        history.model_value(dataclasses.replace(massbio, of="Nobody"), outcome, scenario)


def test_lineage_structure_counts_generations_and_channels_by_the_figure_s_date(history):

    def child(firm_id, founded, origin, root, generation):
        return {**firm(firm_id, founded, origin=origin, root=root), "generation": generation}

    firms = pd.DataFrame(
        [
            {**firm(1, 1978.0, origin="anchor", name="Hybritech"), "generation": 0},
            child(2, 1990.0, "release", 1, 1),
            child(3, 1991.0, "spinout", 1, 1),
            child(4, 1995.0, "release", 1, 2),
            child(5, 2000.0, "release", 1, 3),
            child(6, 2001.0, "release", 1, 4),  # generation 4 counts as 3+
            child(7, 2006.0, "release", 1, 2),  # founded after the 2002 figure: not counted
            child(8, 1999.0, "academic", 8, 0),  # another lineage: the region's count only
            child(9, 1985.0, "relocation", 9, 0),  # moved in, founded elsewhere: neither
        ]
    )
    scenario = history.scenario_of("san_diego")
    table = history.lineage_structure("san_diego", scenario, [4], [SimpleNamespace(firms=firms)], 2020)
    assert set(table["by"]) == {2002.5} and set(table["anchor"]) == {"Hybritech"}
    tree = table[table["scope"] == "lineage"].set_index(["generation", "origin"])["firms"].to_dict()
    assert tree == {("1", "release"): 1, ("1", "spinout"): 1, ("2", "release"): 1, ("3+", "release"): 2}
    region = table[table["scope"] == "region"].set_index("origin")["firms"].to_dict()
    assert region == {"anchor": 1, "release": 4, "spinout": 1, "academic": 1}
    # Before the figure's date nothing is asked of the lineage; Boston has no lineage figure.
    assert history.lineage_structure("san_diego", scenario, [4], [SimpleNamespace(firms=firms)], 1996).empty
    lines = history.lineage_lines(table)
    assert "| 3+ | 2 | 0 | 2 |" in lines and any(
        "release 57%" in line and "lineage is 71% of them" in line for line in lines
    )


def test_exit_summary_says_which_exit_comes_first(history):
    references = history.read_exit_references()
    assert set(references["exit"]) == {"ipo", "acquisition"}
    timing = pd.DataFrame(
        [
            {
                "cluster": "x",
                "seed": s,
                **{f"{k}s_{w}": 3 for k in ("ipo", "acquisition") for w in ("window", "all")},
            }
            | {
                "years_to_ipo_window": 5.0 + s,
                "years_to_acquisition_window": 9.0,
                "years_to_ipo_all": 10.0,
                "years_to_acquisition_all": 4.0,
            }
            for s in (1, 2, 3)
        ]
    )
    summary = history.exit_summary(timing, references).set_index("exits_dated")
    assert summary.loc["window", "years_to_ipo"] == 7.0
    assert bool(summary.loc["window", "ipo_first"]) and not bool(summary.loc["window", "ipo_under_reference"])
    assert not bool(summary.loc["all", "ipo_first"])


def test_a_census_part_s_figure_is_named_and_drawn_by_its_part(history, tmp_path):
    """Cambridge's 62 firms of 2000 count Cambridge alone: the README names the figure by its part,
    and the yearly series hold the part's count (the chart draws the figure against it, not against
    both cities'); a figure of the whole census area keeps its bare name."""
    assert history.figure_name("boston", "firms_census", "2000") == "firms_census[Cambridge]"
    assert history.figure_name("boston", "firms_census", "2020") == "firms_census"
    out = tmp_path / "history"
    command = [sys.executable, str(SCRIPT), "--seeds", "1", "--until", "2001", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    readme = (out / "README.md").read_text()
    assert "| boston | firms_census[Cambridge] | 2000 | in-sample | 62 |" in readme
    series = pd.read_csv(out / "series.csv")
    part = series[series["metric"] == "firms_census[Cambridge]"]
    assert set(part["cluster"]) == {"boston"} and part["year"].max() == 2001
    both = series[(series["metric"] == "firms_census") & (series["cluster"] == "boston")]
    assert (part.set_index("year")["median"] <= both.set_index("year")["median"]).all()


def test_the_script_runs_through_its_command_line(tmp_path):
    out = tmp_path / "history"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--seeds", "2", "--until", "1996", "--workers", "1", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out / "comparison.csv")
    expected = {
        (t.cluster, t.metric, t.date)
        for t in calibrate.load_targets()
        if t.cluster in ("boston", "bay_area", "san_diego") and t.role != "input" and t.year < 1997
    }
    assert {(r.cluster, r.metric, str(r.date)) for r in table.itertuples()} == expected
    assert (table["sample"] == "in-sample").all() and (table["seeds"] == 2).all()
    for r in table.itertuples():
        assert math.isclose(r.ratio, r.model_median / r.data, rel_tol=1e-2, abs_tol=1e-3)
        assert r.within_factor_1_5 == (1 / 1.5 <= r.ratio <= 1.5)
    anchors = pd.read_csv(out / "anchors.csv")
    assert {"Genentech", "Hybritech"} <= set(anchors["anchor"])
    assert (anchors.groupby("anchor").size() == 2).all()
    hybritech = anchors[anchors["anchor"] == "Hybritech"]
    assert (hybritech["documented_acquired"].round(2) == 1986.17).all()  # March 1986, from the scenario
    series = pd.read_csv(out / "series.csv")
    assert set(series["cluster"]) == {"boston", "bay_area", "san_diego"} and series["year"].max() == 1996
    timing = pd.read_csv(out / "exit_timing.csv")
    assert len(timing) == 6 and {"years_to_ipo_all", "years_to_acquisition_all"} <= set(timing.columns)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds"] == [1, 2] and manifest["until"] == 1996
    assert set(manifest["scenarios"]) == {"boston", "bay_area", "san_diego"}
    for cluster in ("boston", "bay_area", "san_diego"):
        assert (out / f"history_{cluster}.png").stat().st_size > 10_000
    readme = (out / "README.md").read_text()
    assert "In sample:" in readme and "Genentech (bay_area)" in readme
    # Boston 1993 and San Diego 1995 give firms and jobs at one date: staff per firm is compared.
    assert "## Staff per firm" in readme and "| boston | 1993 | whole region |" in readme


def test_the_script_refuses_no_seeds():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--seeds", "0"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 2 and "--seeds" in done.stderr


# --- experiments/firm_size_scan.py ---------------------------------------------------------------


@pytest.fixture(scope="module")
def scan():
    return experiment("firm_size_scan")


def test_the_scan_covers_the_free_constants_box_and_the_fit(scan):
    from ecosim.constants import FREE, fitted

    points = scan.design(12)
    assert len(points) == 13 and points["fitted"].sum() == 1
    for name in FREE:
        low, high = calibrate.BOUNDS[name]
        inside = points.loc[~points["fitted"], name]
        assert inside.between(low, high).all()
        # A Latin hypercube: one point in each twelfth of the (log) range.
        bins = ((inside.apply(math.log) - math.log(low)) / (math.log(high) - math.log(low)) * 12).astype(int)
        assert sorted(bins) == list(range(12))
    assert points.loc[points["fitted"], list(FREE)].iloc[0].tolist() == [getattr(fitted(), n) for n in FREE]


def test_the_scan_compares_each_cluster_s_firms_and_jobs_with_its_end_points(scan):
    figures = scan.end_points()
    rows = []
    for cluster in scan.CLUSTERS:
        firms, jobs = figures[cluster]["firms_census"], figures[cluster]["employment_census"]
        for seed, scale in ((101, 1.0), (102, 1.2), (103, 3.0)):  # the median is the middle seed
            rows.append(
                {
                    "point": 0,
                    "cluster": cluster,
                    "seed": seed,
                    "figure": firms.label,
                    "value": 1.1 * firms.value * scale,
                }
            )
            rows.append(
                {
                    "point": 0,
                    "cluster": cluster,
                    "seed": seed,
                    "figure": jobs.label,
                    "value": 0.5 * jobs.value * scale,
                }
            )
    table = scan.ratios(pd.DataFrame(rows)).set_index("cluster")
    assert table["firms_ratio"].round(6).tolist() == [1.32] * 3
    assert table["jobs_ratio"].round(6).tolist() == [0.6] * 3
    assert table["staff_per_firm_ratio"].round(6).tolist() == [round(0.6 / 1.32, 6)] * 3
    assert not table["both_within"].any()


def test_the_scan_says_how_far_over_the_box_each_figure_reaches(scan):
    points = scan.design(2)  # points 0 and 1, the fitted point 2
    rows = []
    for cluster in scan.CLUSTERS:
        for target in scan.in_sample(cluster):
            for point, ratio in ((0, 0.5), (1, 1.2), (2, 3.0)):
                rows.append(
                    {
                        "point": point,
                        "cluster": cluster,
                        "seed": 101,
                        "figure": target.label,
                        "value": ratio * target.value,
                    }
                )
    reached = scan.reach(pd.DataFrame(rows), points)
    assert len(reached) == sum(len(scan.in_sample(c)) for c in scan.CLUSTERS)
    assert reached[["fitted", "lowest", "highest", "points_within"]].round(
        6
    ).drop_duplicates().values.tolist() == [[3.0, 0.5, 1.2, 1]]


def test_the_scan_reaches_an_upper_bound_under_it(scan):
    points = scan.design(2)
    bound = next(t for t in scan.in_sample("boston") if t.comparison == "below")  # years to IPO
    rows = [
        {"point": point, "cluster": cluster, "seed": 101, "figure": t.label, "value": ratio * t.value}
        for cluster in scan.CLUSTERS
        for t in scan.in_sample(cluster)
        for point, ratio in ((0, 0.5), (1, 0.6), (2, 3.0))
    ]
    reached = scan.reach(pd.DataFrame(rows), points).set_index(["cluster", "figure"])
    # Both points under the bound reach it; a level at x0.5 and x0.6 is not within x1.5.
    assert reached.loc[("boston", bound.label), "points_within"] == 2
    assert (reached.loc[reached["comparison"] == "about", "points_within"] == 0).all()
    beyond = scan.beyond(reached.reset_index())
    assert ("boston", bound.label) not in set(zip(beyond["cluster"], beyond["figure"], strict=True))
    assert len(beyond) == len(reached) - len(scan.CLUSTERS)  # every level, none of the bounds


# --- experiments/listed_teams.py -------------------------------------------------------------------


@pytest.fixture(scope="module")
def teams():
    return experiment("listed_teams")


def test_listed_teams_rule_needs_every_cluster_s_early_jobs_closer_and_no_firm_counts_lost(teams):
    def table(early_jobs, firm_ratios):
        rows = []
        for cluster, jobs in zip(teams.CLUSTERS, early_jobs, strict=True):
            rows.append(
                {
                    "cluster": cluster,
                    "kind": "jobs",
                    "year": 1995.0,
                    **dict(zip(("x1", "x3", "x10"), jobs, strict=True)),
                }
            )
            rows.append(
                {
                    "cluster": cluster,
                    "kind": "firms",
                    "year": 1995.0,
                    **dict(zip(("x1", "x3", "x10"), firm_ratios, strict=True)),
                }
            )
        return pd.DataFrame(rows)

    closer = [(0.2, 0.4, 0.3)] * 3
    assert teams.verdict(table(closer, (1.0, 1.2, 3.0)))[0]  # x3: closer everywhere, firms kept
    assert not teams.verdict(table(closer, (1.0, 2.0, 3.0)))[0]  # closer, but firm counts lost
    one_worse = [(0.2, 0.4, 0.3), (0.2, 0.4, 0.3), (0.5, 0.3, 0.2)]
    assert not teams.verdict(table(one_worse, (1.0, 1.2, 1.2)))[0]


# --- experiments/exit_timing_scan.py -------------------------------------------------------------


@pytest.fixture(scope="module")
def exit_scan():
    return experiment("exit_timing_scan")


def test_exit_scan_reading_follows_the_rule_stated_before_running(exit_scan):
    def table(*rows):
        columns = ("point", "listing_only", "timing_met", "in-sample_within_x1.5")
        facts = {"end_points_within_25pct": 3, "acquisition_near_reference": True, "ipo_counts": 5}
        facts |= {"ipo_counts_within_x1.5": 2, "ipo_count_ratio_median": 1.2}
        facts |= {f"ipos_per_run_{c}": 10.0 for c in ("boston", "bay_area", "san_diego")}
        return pd.DataFrame([facts | dict(zip(columns, row, strict=True)) for row in rows])

    default = ("default", True, False, 8)
    none_met = exit_scan.verdict(table(default, ("ipo_rate x2", True, False, 9)))[0]
    assert none_met.startswith("No point of the scan meets")
    # A listing-only point meets the timing and keeps the in-sample figures: the constants' miss.
    constants = exit_scan.verdict(
        table(default, ("ipo_rate x2", True, True, 8), ("stages x1.5", False, True, 9))
    )
    assert "the listing constants'" in constants[0] and "`ipo_rate x2`" in constants[0]
    assert "should free `ipo_from_stage` (`ipo_rate_year` is fitted already)" in constants[0]
    assert "stages x1.5" not in constants[0]
    # What the listing points change besides the timing is said beside the reading.
    assert any(line.startswith("- `ipo_rate x2` lists 1.0-1.0 times") for line in constants)
    # Meeting the timing only by losing in-sample figures, or only with faster stages: a tension.
    for rows in (
        (default, ("ipo_rate x2", True, True, 7)),
        (default, ("stages x1.5", False, True, 9)),
    ):
        assert "structural tension" in exit_scan.verdict(table(*rows))[0]
    # A default that meets the timing itself is said first: the rule was stated for one that missed it
    met_default = exit_scan.verdict(table(("default", True, True, 8), ("ipo_rate x2", True, True, 8)))
    assert met_default[0].startswith("The package default already meets the exit-timing pattern")
    assert "`ipo_rate x2`" in met_default[2]


def test_the_listing_rules_read_only_the_ipo_counts_they_were_stated_on(exit_scan):
    # The rules of the listing scans were stated on the five dated IPO counts of 2013-2018; counts
    # added later (the Bay Area's of 2014, San Diego's of 2012) must not move them.
    clusters = ("boston", "bay_area", "san_diego")
    exits = pd.DataFrame(
        [
            {"point": "default", "exits_dated": "window", "cluster": c, "years_to_ipo": 5.0}
            | {"years_to_acquisition": 8.0, "ipos_per_run": 10.0, "ipo_under_reference": True}
            | {"ipo_first": True}
            for c in clusters
        ]
    )
    rows = [(c, d, False) for c, d in sorted(exit_scan.RULE_IPO_COUNTS)]
    rows += [("bay_area", "2014", True), ("san_diego", "2012", True)]  # later, both met
    figures = pd.DataFrame(
        [
            {"point": "default", "cluster": c, "metric": "exits_ipo", "date": d, "sample": "out-of-sample"}
            | {"ratio": 1.0 if met else 3.0, "within_factor_1_5": met, "definition": "", "source": ""}
            for c, d, met in rows
        ]
    )
    row = exit_scan.summary((("default", "the default", {}),), figures, exits).iloc[0]
    assert len(exit_scan.RULE_IPO_COUNTS) == 5
    assert (row["ipo_counts"], row["ipo_counts_within_x1.5"], row["ipo_count_ratio_median"]) == (5, 0, 3.0)
    assert row["out-of-sample_within_x1.5"] == 2  # the later counts are read with the other figures


def test_exit_scan_second_rule_asks_timing_and_counts_together(exit_scan):
    def table(*rows):
        columns = ("point", "timing_met", "ipo_counts_within_x1.5", "in-sample_within_x1.5")
        return pd.DataFrame([dict(zip(columns, row, strict=True)) for row in rows])

    default = ("default", False, 0, 8)
    assert exit_scan.selection_verdict(table(default, ("from early", True, 0, 9))) == []
    met = exit_scan.selection_verdict(
        table(default, ("selective x4", True, 3, 8), ("selective x16", True, 2, 9))
    )
    assert "reconciles timing and counts" in met[0] and "`selective x4`" in met[0] and "x16" not in met[0]
    for row in (("selective x4", False, 5, 9), ("selective x4", True, 2, 9), ("selective x4", True, 4, 7)):
        assert "does not reconcile" in exit_scan.selection_verdict(table(default, row))[0]


def test_exit_scan_points_change_only_what_they_say(exit_scan):
    labels = [label for label, _, _ in exit_scan.POINTS]
    assert labels[0] == "default" and len(set(labels)) == len(labels)
    assert exit_scan.POINTS[0][2] == {}
    from ecosim.constants import fitted, with_overrides

    for label, _, overrides in exit_scan.POINTS:
        with_overrides(fitted(), overrides)  # every override names a constant, of its type
        listing_only = bool(overrides) and set(overrides) <= exit_scan.LISTING_ONLY
        assert listing_only == label.startswith(("ipo_rate", "from early", "selective", "clinic, selective"))
    # "xN" is N times the package's fitted listing hazard, whatever a refit set it to.
    hazards = {label: o.get("ipo_rate_year") for label, _, o in exit_scan.POINTS}
    assert hazards["ipo_rate x2"] == pytest.approx(2 * fitted().ipo_rate_year, rel=1e-6)
    assert hazards["clinic, selective x16"] == pytest.approx(16 * fitted().ipo_rate_year, rel=1e-6)


def test_exit_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "scan"
    command = [sys.executable, str(ROOT / "experiments" / "exit_timing_scan.py"), "--seeds", "1"]
    command += ["--until", "1993", "--points", "from early, x4", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    points = pd.read_csv(out / "points.csv")
    assert points["point"].tolist() == ["default", "from early, x4"]  # the default always runs
    figures = pd.read_csv(out / "figures.csv")
    assert set(figures["point"]) == {"default", "from early, x4"}
    timing = pd.read_csv(out / "exit_timing.csv")
    assert len(timing) == 2 * 3 and {"years_to_ipo_window", "years_to_ipo_all"} <= set(timing.columns)
    # Listing from the early stage at four times the hazard lists companies sooner.
    early = timing.groupby("point")["ipos_all"].sum()
    assert early["from early, x4"] > early["default"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds"] == [1] and manifest["points"]["from early, x4"]["ipo_from_stage"] == 1
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and "| from early, x4 |" in readme
    assert f"Produced by `{manifest['command']}` at git commit" in readme  # the command, as typed


@pytest.fixture(scope="module")
def news_scan():
    return experiment("ipo_news_scan")


def test_ipo_news_scan_reading_follows_the_rule_stated_before_running(news_scan):
    def table(*rows):
        columns = ("point", "listing_only", "timing_met", "in-sample_within_x1.5", "ipo_counts_within_x1.5")
        facts = {"end_points_within_25pct": 3, "acquisition_near_reference": True, "ipo_counts": 5}
        facts |= {"ipo_count_ratio_median": 1.2}
        facts |= {f"ipos_per_run_{c}": 10.0 for c in ("boston", "bay_area", "san_diego")}
        return pd.DataFrame([facts | dict(zip(columns, row, strict=True)) for row in rows])

    default = ("default", False, False, 9, 0)
    reconciled = news_scan.verdict(table(default, ("fade 1, early", True, True, 9, 3)))
    assert reconciled[0].startswith("News-driven listing reconciles timing and counts: `fade 1, early`")
    # Timing met with too few counts, or by losing in-sample figures: a trade, not a reconciliation.
    for point in (("fade 1, early", True, True, 9, 2), ("fade 1, early", True, True, 8, 5)):
        assert news_scan.verdict(table(default, point))[0].startswith("Fading trades timing and counts")
    assert news_scan.verdict(table(default, ("fade 1", True, False, 9, 5)))[0].startswith("No point")


def test_ipo_news_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "news"
    command = [sys.executable, str(ROOT / "experiments" / "ipo_news_scan.py"), "--seeds", "1"]
    command += ["--until", "1993", "--points", "fade 2", "--workers", "1", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    timing = pd.read_csv(out / "exit_timing.csv")
    # The point's constant reaches the runs: its listings differ from the default's (the default
    # fades too, at the fitted 0.86 a year, so one seed to 1993 cannot order them; the fading
    # itself is tested exactly in test_life_cycle.py).
    listed = timing.groupby(["point", "cluster"])["ipos_all"].sum()
    assert listed["fade 2"].to_dict() != listed["default"].to_dict()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["points"]["fade 2"] == {"ipo_news_fade_year": 2.0}
    assert (
        "experiments/ipo_news_scan.py" in manifest["command"]
        and "| fade 2 |" in (out / "README.md").read_text()
    )


def test_release_cascade_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "scan"
    command = [sys.executable, str(ROOT / "experiments" / "release_cascade_scan.py"), "--seeds", "1"]
    command += ["--until", "1993", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    points = pd.read_csv(out / "points.csv").set_index("point")
    assert points.index[0] == "default" and {"factor x0.5", "boost x4"} <= set(points.index)
    channels = pd.read_csv(out / "channels.csv").set_index(["point", "cluster"])

    # Staff let go by struggling firms found eight times as often as at x0.5: the release channel's
    # share of the three clusters' foundings rises (the points scale the fitted factor). Pooled: one
    # seed to 1993 gives the Bay Area some twenty release foundings, too few to order on its own.
    def release_share(point: str) -> float:
        rows = channels.loc[point]
        return float((rows["release_share"] * rows["founded_per_run"]).sum() / rows["founded_per_run"].sum())

    assert release_share("factor x4") > release_share("factor x0.5")
    manifest = json.loads((out / "manifest.json").read_text())
    fitted_factor = fitted().distress_founding_factor
    assert manifest["points"]["factor x2"] == {"distress_founding_factor": round(2 * fitted_factor, 6)}
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and f"Produced by `{manifest['command']}`" in readme


def test_the_release_cascade_scan_names_the_point_nearest_the_lineages_either_way():
    # Two points miss the lineages, one far below (x0.2) and one a little above (x1.6): the nearer
    # is the one above, though its larger ratio is larger (the lineages are too small at the
    # December 2026 default, too large when the scan was written).
    cascade = experiment("release_cascade_scan")
    columns = [f"san_diego lineage_firms {d}" for d in cascade.LINEAGE_DATES]
    rows = [("default", 0.2, 0.15), ("factor x2", 0.2, 0.2), ("boost x4", 1.6, 1.55)]
    table = pd.DataFrame(
        [
            {
                "point": p,
                columns[0]: a,
                columns[1]: b,
                "in-sample_within_x1.5": 9,
                "lineage_figures": 2,
                "lineage_within_x1.5": 0,
            }
            for p, a, b in rows
        ]
    )
    assert "The closest, `boost x4`" in cascade.verdict(table)[0]
    # a point that meets both figures with as many in-sample figures names the constant to fit,
    # and says it is fitted already when it is (reorganisation_founding_boost is hand-set)
    table.loc[2, ["lineage_within_x1.5", columns[0], columns[1]]] = [2, 1.2, 1.1]
    table.loc[2, "in-sample_within_x1.5"] = 8  # meets the lineages with fewer in-sample figures
    assert cascade.verdict(table)[0].startswith("No point brings both")
    table.loc[2, "in-sample_within_x1.5"] = 9
    reading = cascade.verdict(table)[0]
    assert "`boost x4` bring" in reading and "should free `reorganisation_founding_boost`" in reading
    table.loc[1, ["lineage_within_x1.5"]] = [2]
    reading = cascade.verdict(table)[0]
    assert "`distress_founding_factor` is fitted already" in reading


def test_labour_pool_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "scan"
    command = [sys.executable, str(ROOT / "experiments" / "labour_pool_scan.py"), "--seeds", "1"]
    command += ["--until", "1993", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    # One seed to 1993 is too noisy to show the faster exit's effect (test_life_cycle checks the
    # mechanism itself); the scan's points, figures and reading are written as the README says.
    figures = pd.read_csv(out / "figures.csv")
    assert {"default", "exit 6", "exit 2.75, movers 0.5"} <= set(figures["point"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["points"]["exit 3"] == {"seeker_exit_rate_year": 3.0}
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and f"Produced by `{manifest['command']}`" in readme


def test_labour_pool_scan_reading_follows_the_rule_stated_before_running():
    pool = experiment("labour_pool_scan")

    def table(*rows):
        columns = ("point", "boston_2000s_median_ratio", "in-sample_within_x1.5", "end_points_within_25pct")
        return pd.DataFrame([dict(zip(columns, row, strict=True)) for row in rows])

    default = ("default", 2.6, 10, 3)
    # Nearer the data (x0.6 is nearer than x2.6 in log terms) and nothing lost: a cause.
    assert "is a cause" in pool.verdict(table(default, ("exit 1", 0.6, 10, 3)))[0]
    # Nearer, but an end point lost: only a refit can tell.
    assert "only a refit" in pool.verdict(table(default, ("exit 1", 1.8, 10, 2)))[0]
    # Further from the data, either way: not the cause.
    assert "not the cause" in pool.verdict(table(default, ("exit 1", 0.3, 12, 5)))[0]
    assert "cannot be read" in pool.verdict(table(("default", None, 4, 0), ("exit 1", None, 4, 0)))[0]


def test_placement_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "scan"
    command = [sys.executable, str(ROOT / "experiments" / "placement_scan.py"), "--seeds", "1"]
    command += ["--until", "1993", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    figures = pd.read_csv(out / "figures.csv")
    assert {"default", "spinout 24", "settle 12"} <= set(figures["point"])
    # The point's distances reach the runs: the figures' model values differ from the default's.
    model = figures.set_index(["point", "cluster", "metric", "date"])["model_median"]
    assert not model["settle 12"].equals(model["default"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["points"]["spinout 16, settle 12"] == {
        "spinout_radius_km": 16.0,
        "settle_radius_km": 12.0,
    }
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and f"Produced by `{manifest['command']}`" in readme


def test_placement_scan_reading_follows_the_rule_stated_before_running():
    placement = experiment("placement_scan")

    def table(*rows):
        columns = (
            "point",
            "boston_census_firms_median_ratio",
            "in-sample_within_x1.5",
            "end_points_within_25pct",
        )
        return pd.DataFrame([dict(zip(columns, row, strict=True)) for row in rows])

    default = ("default", 2.8, 10, 4)
    # Nearer the data and nothing lost: the distances are a cause.
    assert "are a cause" in placement.verdict(table(default, ("spinout 16", 1.2, 10, 4)))[0]
    # Nearer, but an end point lost: placement alone cannot meet both.
    assert "cannot meet both" in placement.verdict(table(default, ("spinout 16", 1.2, 10, 3)))[0]
    # Further from the data (x0.3 is further than x2.8 in log terms): not the distances'.
    assert "not the settling distances'" in placement.verdict(table(default, ("spinout 16", 0.3, 12, 5)))[0]
    assert "cannot be read" in placement.verdict(table(("default", None, 4, 0), ("settle 6", None, 4, 0)))[0]


def test_placement_scan_says_how_far_its_points_move_the_census_counts():
    placement = experiment("placement_scan")
    counts = [f"{c} {m} {d}" for c, m, d in placement.CENSUS_FIRMS]

    def table(*rows):
        columns = ("point", *counts, "boston_census_firms_median_ratio", "out-of-sample_within_x1.5")
        return pd.DataFrame([dict(zip(columns, row, strict=True)) for row in rows])

    default = ("default", 4.2, 2.8, 1.6, 2.8, 20)
    small = placement.magnitude(table(default, ("settle 6", 3.5, 2.2, 1.3, 2.2, 17)))[0]
    assert "`settle 6`" in small and "x4.20, x2.80, x1.60 to x3.50, x2.20, x1.30" in small
    # ln 3.5 / ln 4.2 = 0.87: 13% of the way in log terms (23% and 44% for the others).
    assert "(in log terms 13%, 23%, 44% of the way to the data)" in small
    assert small.endswith("account for part of the concentration, not all of it.")
    # Every count within the factor: the distances could account for it.
    near = placement.magnitude(
        table(default, ("settle 6", 1.4, 1.2, 0.9, 1.2, 21), ("spinout 12", 3.0, 2.0, 1.2, 2.0, 19))
    )
    assert "`settle 6`" in near[0] and "could account" in near[0]


def test_placement_scan_counts_the_firms_in_kendall_squares_square_miles_in_2015():
    placement = experiment("placement_scan")
    radius = math.sqrt(placement.KENDALL_KM2 / math.pi)  # 1.44 km
    firms = pd.DataFrame(
        {
            "kind": ["startup", "public", "pharma_site", "medtech", "startup", "startup", "startup"],
            "x": [10.0, 10.5, 9.5, 10.0, 10.0 + radius + 0.1, 10.0, 10.0],
            "y": [10.0, 10.0, 10.0, 10.5, 10.0, 10.0, 10.0],
            "founded_year": [2001.0, 1990.0, 2010.5, 2014.0, 2005.0, 2016.2, 2003.0],
            "fate_year": [math.nan, math.nan, 2018.0, math.nan, math.nan, math.nan, 2015.5],
        }
    )
    # Operating at the end of 2015 within the disc: the first four (the fifth lies outside, the
    # sixth is founded in 2016, the last closed in 2015); the device firm counts only among all.
    assert placement.kendall_of(firms, (10.0, 10.0)) == {
        "kendall_biotech_and_pharma": 3,
        "kendall_all_firms": 4,
    }


def test_vc_money_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "scan"
    command = [sys.executable, str(ROOT / "experiments" / "vc_money_scan.py"), "--seeds", "1"]
    command += ["--until", "1993", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    figures = pd.read_csv(out / "figures.csv")
    assert {"default", "rounds x2", "clinical and late x2"} <= set(figures["point"])
    # Larger rounds reach the runs: the figures' model values differ from the default's.
    model = figures.set_index(["point", "cluster", "metric", "date"])["model_median"]
    assert not model["rounds x3"].equals(model["default"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["points"]["rounds x2"] == {"round_size_musd": [4.0, 24.0, 70.0, 140.0]}
    points = [label for label, _, _ in experiment("vc_money_scan").POINTS]
    assert list(pd.read_csv(out / "rounds.csv")["point"].unique()) == points
    staffing = pd.read_csv(out / "staffing.csv")
    assert list(staffing["stage"].unique()) == ["seed", "early", "clinical", "late"]
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and f"Produced by `{manifest['command']}`" in readme
    assert "## Boston's private drug developers at the end of the run (post hoc)" in readme


def test_vc_money_scan_counts_private_drug_developers_by_stage_and_staffing():
    vc = experiment("vc_money_scan")
    firms = pd.DataFrame(
        {
            "kind": ["startup", "startup", "startup", "public", "medtech", "startup"],
            "fate": ["active", "active", "active", "listed", "active", "failed"],
            "stage": ["early", "early", "clinical", "public", "sales", "seed"],
            "headcount": [9, 18, 35, 500, 40, 3],
            "firm_id": [1, 2, 3, 4, 5, 6],
        }
    )
    # Company 2 raised an early round, company 3 a seed and an early one but no clinical round.
    deals = pd.DataFrame({"firm_id": [2, 3, 3], "stage": [1, 0, 1]})
    rows = {row["stage"]: row for row in vc.staffing_of(firms, deals)}
    # Operating private drug developers only (not the listed, the device firm or the failed one),
    # their median staff against the stage's team (18 early, 35 clinical at the package default).
    assert rows["seed"]["companies"] == 0 and math.isnan(rows["seed"]["staffed_share"])
    assert rows["early"]["companies"] == 2 and rows["early"]["staffed_share"] == pytest.approx(0.75)
    assert rows["clinical"]["companies"] == 1 and rows["clinical"]["staffed_share"] == pytest.approx(1.0)
    assert (
        rows["early"]["raised_at_stage"] == pytest.approx(0.5) and rows["clinical"]["raised_at_stage"] == 0.0
    )


def test_a_figures_scans_table_reads_each_shown_figure_and_the_median_of_its_rules_figures():
    scan = experiment("exit_timing_scan")
    rows = []
    for point, ratios in (("default", (2.0, 3.0, 0.5)), ("wider", (1.2, 1.4, math.nan))):
        for date, ratio in zip(("2000", "2004", "2008"), ratios, strict=True):
            rows.append(
                {
                    "point": point,
                    "cluster": "boston",
                    "metric": "firms_census",
                    "date": date,
                    "ratio": ratio,
                    "sample": "out-of-sample",
                    "within_factor_1_5": bool(1 / 1.5 <= ratio <= 1.5),
                }
            )
    figures = pd.DataFrame(rows)
    points = (("default", "as is", {}), ("wider", "farther", {}))
    shown = tuple(("boston", "firms_census", d) for d in ("2000", "2004", "2008"))
    table = scan.ratio_summary(points, figures, shown, shown[:3], "median").set_index("point")
    # The median of the figures read, a missing one (NaN) left out: 2.0 and 1.3.
    assert table.loc["default", "median"] == 2.0 and table.loc["wider", "median"] == 1.3
    assert (
        table.loc["wider", "out-of-sample_within_x1.5"] == 2
        and table.loc["default", "boston firms_census 2004"] == 3.0
    )
    lines = scan.ratio_table(table.reset_index(), shown, "median", "the median")
    assert lines[0].endswith(
        "| the median | boston firms_census 2000 | boston firms_census 2004 | boston firms_census 2008 |"
    )
    assert lines[3].startswith("| wider | farther | 0/0 | 2/3 |") and "| 1.30 | 1.20 | 1.40 | - |" in lines[3]


def test_a_figures_scans_table_reads_unrounded_ratios_when_asked():
    """With ``exact`` a scan's table holds the model's median over the figure unrounded (a reading
    of small moves), and the median the rule reads too; without it, two decimals."""
    scan = experiment("exit_timing_scan")
    figures = pd.DataFrame(
        [
            {
                "point": "default",
                "cluster": "boston",
                "metric": "firms_census",
                "date": d,
                "ratio": round(m / 62, 3),
                "model_median": m,
                "data": 62.0,
                "sample": "in-sample",
                "within_factor_1_5": False,
            }
            for d, m in (("2000", 127.0), ("2004", 131.0), ("2008", 140.0))
        ]
    )
    shown = tuple(("boston", "firms_census", d) for d in ("2000", "2004", "2008"))
    points = (("default", "as is", {}),)
    exact = scan.ratio_summary(points, figures, shown, shown, "median", exact=True).iloc[0]
    assert exact["boston firms_census 2000"] == 127.0 / 62 and exact["median"] == 131.0 / 62
    rounded = scan.ratio_summary(points, figures, shown, shown, "median").iloc[0]
    assert rounded["boston firms_census 2000"] == 2.05 and rounded["median"] == 2.11


def test_vc_money_scan_describes_a_runs_rounds_in_the_sources_window():
    vc = experiment("vc_money_scan")
    deals = pd.DataFrame(
        {
            "year": [2016.9, 2017.0, 2018.5, 2019.9, 2020.0],
            "stage": [0, 0, 1, 2, 0],
            "size_musd": [100.0, 4.0, 10.0, 40.0, 100.0],
        }
    )
    rounds = vc.rounds_of(deals)
    # Three rounds in 2017-2019 (not those of 2016 and 2020), one a year, one of them a seed round.
    assert rounds["rounds_a_year"] == 1.0 and rounds["seed_share"] == pytest.approx(1 / 3)
    assert rounds["mean_round_musd"] == pytest.approx(money.from_model_usd(18.0, "USD", 2018))


def test_vc_money_scan_reading_follows_the_rule_stated_before_running():
    vc = experiment("vc_money_scan")
    key = "boston vc_invested_census 2018"

    def table(*rows):
        columns = ("point", key, "in-sample_within_x1.5", "end_points_within_25pct")
        return pd.DataFrame([dict(zip(columns, row, strict=True)) for row in rows])

    default = ("default", 0.5, 10, 4)
    assert "is the round sizes'" in vc.verdict(table(default, ("rounds x2", 0.9, 10, 4)))[0]
    assert "pull against" in vc.verdict(table(default, ("rounds x2", 0.9, 9, 4)))[0]
    assert "is not the round sizes" in vc.verdict(table(default, ("rounds x2", 0.6, 12, 6)))[0]
    only = vc.verdict(table(default, ("rounds x2", 0.6, 10, 4), ("rounds x3", 0.8, 10, 4)))[0]
    assert only.startswith("Only `rounds x3`")
    assert "cannot be read" in vc.verdict(table(("default", None, 4, 0), ("rounds x2", None, 4, 0)))[0]


def test_listing_stage_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "scan"
    command = [sys.executable, str(ROOT / "experiments" / "listing_stage_scan.py"), "--seeds", "1"]
    command += ["--until", "1993", "--points", "from late", "--workers", "1", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    points = pd.read_csv(out / "points.csv")
    assert list(points["point"]) == ["default", "from late"] and "boston vc_invested_census 2018" in points
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["points"]["from late"] == {"ipo_from_stage": 3}
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and "| from late | - |" in readme


def test_listing_stage_scan_reading_follows_the_rule_stated_before_running():
    stage = experiment("listing_stage_scan")
    money = "boston vc_invested_census 2018"

    def table(*rows):
        columns = ("point", money, "ipo_count_ratio_median", "timing_met", "in-sample_within_x1.5")
        # What the costs paragraph reads besides the rule's columns (the same at every point).
        rest = {f"ipos_per_run_{c}": 10.0 for c in ("boston", "bay_area", "san_diego")} | {
            "ipo_counts_within_x1.5": 0,
            "ipo_counts": 5,
            "end_points_within_25pct": 4,
            "acquisition_near_reference": True,
        }
        return pd.DataFrame([dict(zip(columns, row, strict=True)) | rest for row in rows])

    default = ("default", 0.5, 2.2, True, 10)
    common = stage.verdict(table(default, ("from late, x4", 0.8, 1.3, True, 10)))
    assert (
        common[0].startswith("Listing from the clinic is a common cause") and "`from late, x4`" in common[2]
    )
    assert "pull against" in stage.verdict(table(default, ("from late", 0.8, 1.3, False, 10)))[0]
    assert "not the cause" in stage.verdict(table(default, ("from late", 0.6, 1.0, True, 12)))[0]
    # The money comes in but the counts move away: neither reading.
    assert "none also meets" in stage.verdict(table(default, ("from late", 0.8, 2.5, False, 10)))[0]
    assert (
        "cannot be read"
        in stage.verdict(table(("default", None, None, False, 4), ("from late", None, None, False, 4)))[0]
    )


def test_trial_cost_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "scan"
    command = [sys.executable, str(ROOT / "experiments" / "trial_cost_scan.py"), "--seeds", "1"]
    command += ["--until", "2000", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    figures = pd.read_csv(out / "figures.csv")
    # Trials cost money: the runs differ from the default's by 2000.
    model = figures.set_index(["point", "cluster", "metric", "date"])["model_median"]
    assert not model["trials x2"].equals(model["default"])
    manifest = json.loads((out / "manifest.json").read_text())
    clinical = manifest["points"]["trials"]["trial_cost_musd_year"]
    # 4.3 USD m a year of 2013 in the model's USD of 2000, nothing before the clinic.
    assert clinical[:2] == [0.0, 0.0] and clinical[2] == pytest.approx(
        money.to_model_usd(17.3 / 4, "USD", 2013)
    )
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and "## Boston's private drug developers at the end of the run" in readme


def test_trial_cost_scan_reading_follows_the_rule_stated_before_running():
    trials = experiment("trial_cost_scan")
    key = "boston vc_invested_census 2018"

    def table(*rows):
        columns = ("point", key, "in-sample_within_x1.5", "end_points_within_25pct")
        return pd.DataFrame([dict(zip(columns, row, strict=True)) for row in rows])

    default = ("default", 0.5, 10, 4)
    assert "are the cause" in trials.verdict(table(default, ("trials", 0.9, 10, 4)))[0]
    assert "pull against" in trials.verdict(table(default, ("trials", 0.9, 10, 3)))[0]
    assert "alone are not the cause" in trials.verdict(table(default, ("trials", 0.6, 12, 6)))[0]
    assert "cannot be read" in trials.verdict(table(("default", None, 4, 0), ("trials", None, 4, 0)))[0]
    # a default that already meets the money is said first, then the rule's reading of the point
    met = trials.verdict(table(("default", 0.89, 10, 4), ("trials", 1.2, 10, 4)))
    assert (
        met[0].startswith("The package default already meets Boston's VC money") and "are the cause" in met[2]
    )


def test_labour_supply_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "scan"
    command = [sys.executable, str(ROOT / "experiments" / "labour_supply_scan.py"), "--seeds", "1"]
    command += ["--until", "1993", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    figures = pd.read_csv(out / "figures.csv")
    assert {"default", "x0.5", "x3", "movers 1"} <= set(figures["point"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["points"]["x2"] == {"talent_per_year_factor": 2.0}
    assert manifest["points"]["movers 1"] == {"talent_per_year_factor": 1.0, "movers_per_unfilled_post": 1.0}
    # Each point's scenarios differ (the graduates scaled), and the digests say so.
    assert manifest["scenarios"]["x2"]["san_diego"] != manifest["scenarios"]["default"]["san_diego"]
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and f"Produced by `{manifest['command']}`" in readme


def test_labour_supply_scan_scales_every_institutions_graduates():
    supply = experiment("labour_supply_scan")
    scenario = load(ROOT / "scenarios" / "san_diego.yaml")
    doubled = supply.scaled(scenario, 2.0)
    assert [i.talent_per_year for i in doubled.institutions] == [
        round(2 * i.talent_per_year) for i in scenario.institutions
    ]
    assert [i.name for i in doubled.institutions] == [i.name for i in scenario.institutions]


def test_labour_supply_scan_reading_follows_the_rule_stated_before_running():
    supply = experiment("labour_supply_scan")
    clusters = ("boston", "bay_area", "san_diego")

    def table(end: float, early: float, demand: float | None = None):
        row = {"point": "x2", "end_point_jobs_ratio": 0.8}
        for c in clusters:
            row[f"{c}_end_jobs_vs_default"] = end
            row[f"{c}_early_jobs_vs_default"] = early
        rows = [row]
        if demand is not None:
            rows.append({"point": "movers 1", "end_point_jobs_ratio": demand})
        return pd.DataFrame(rows)

    # Late jobs nearly doubled (elasticity 0.9) and early ones still: both parts met.
    assert "readout of the labour-supply inputs" in supply.verdict(table(1.87, 1.05))[0]
    # Late jobs follow, early ones moved by more than a fifth: the rule is not met as stated.
    assert "not met as stated" in supply.verdict(table(1.87, 1.3))[0]
    # Late jobs barely move (elasticity 0.2): demand sets them.
    assert "demand sets the late jobs" in supply.verdict(table(1.15, 1.0))[0]
    # The demand-led point: twice the data leans on the cap; near the data does not.
    assert "leans on the labour cap" in supply.verdict(table(1.87, 1.0, demand=2.0))[-1]
    assert "does not lean" in supply.verdict(table(1.87, 1.0, demand=1.1))[-1]
    assert "cannot be read" in supply.verdict(pd.DataFrame([{"point": "default"}]))[0]
    assert "cannot be read" in supply.verdict(table(1.87, float("nan")))[0]


def test_medtech_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "scan"
    command = [sys.executable, str(ROOT / "experiments" / "medtech_scan.py"), "--seeds", "1"]
    command += ["--until", "1993", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    figures = pd.read_csv(out / "figures.csv")
    assert {"default", "share 0.3", "share 0.5", "share 0.3, movers 1"} <= set(figures["point"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["points"]["share 0.5"] == {"medtech_share": 0.5}
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and "Post hoc" in readme


def test_medtech_scan_reading():
    medtech = experiment("medtech_scan")
    columns = ("point", "early_jobs_ratio", "ipo_count_ratio")

    def table(*rows):
        return pd.DataFrame([dict(zip(columns, row, strict=True)) for row in rows])

    default = ("default", 0.4, 5.0)
    # Early jobs nearer 1 and fewer listings: a candidate cause.
    assert "candidate cause" in medtech.verdict(table(default, ("share 0.3", 0.6, 3.5)))[0]
    # Nearer but more listings, or fewer listings but further: not by itself.
    assert "not, by itself" in medtech.verdict(table(default, ("share 0.3", 0.6, 6.0)))[0]
    assert "not, by itself" in medtech.verdict(table(default, ("share 0.3", 0.3, 3.5)))[0]
    assert "cannot be made" in medtech.verdict(table(("default", float("nan"), 5.0)))[0]


REFIT_COLUMNS = (
    "point",
    "calibration_end_points",
    "in-sample_within_x1.5",
    "out-of-sample_within_x1.5",
    "timing_met",
)
"""The columns of a refit's table that its rule reads (medtech_refit.rule_verdict)."""


def rule_reading(refit, *rows) -> str:
    """The first line of ``refit``'s verdict on a table of ``rows`` (values of REFIT_COLUMNS)."""
    return refit.verdict(pd.DataFrame([dict(zip(REFIT_COLUMNS, r, strict=True)) for r in rows]))[0]


def test_medtech_refit_runs_through_its_command_line(tmp_path):
    for _ in range(2):  # the second time over the first's folder
        out = run_refit("medtech_refit", tmp_path)
    record = json.loads((out / "calibration" / "fitted_constants.json").read_text())
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["points"]["medtech refit"] == {**record["constants"], "medtech_share": 0.55}
    assert set(pd.read_csv(out / "points.csv")["point"]) == {"default", "medtech refit"}
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and "the constants it held are in its README" in readme


def test_medtech_refit_reading_follows_the_rule_stated_before_running():
    refit = experiment("medtech_refit")
    default = ("default", "8/13", 10, 19, True)

    def reading(*row):
        return rule_reading(refit, default, ("medtech refit", *row))

    assert "should replace" in reading("10/13", 11, 20, True)
    assert "fails part (iii)" in reading("10/13", 11, 19, True)  # out of sample: more, not as many
    assert "fails part (i)" in reading("7/13", 10, 20, True)
    assert "fails part (ii)" in reading("8/13", 9, 20, True)
    assert "fails part (iv)" in reading("8/13", 10, 20, False)


def test_the_readme_says_what_the_figures_count_beside_the_context_counts(history):
    # A narrow count kept as context and two tested job figures: the section lists the context row
    # with its model/data and states the range of both, from the table's numbers.
    row = {"role": "holdout", "source": "s", "seeds": 8, "model_p05": 0.0, "model_p95": 0.0}
    table = pd.DataFrame(
        [
            {
                **row,
                "cluster": "boston",
                "metric": "employment",
                "date": "2002",
                "sample": "context",
                "data": 100.0,
                "model_median": 250.0,
                "ratio": 2.5,
                "within_factor_1_5": None,
                "definition": "biotech workers of the Boston area (narrow): never tested",
            },
            {
                **row,
                "cluster": "boston",
                "metric": "employment",
                "date": "2002",
                "sample": "out-of-sample",
                "data": 200.0,
                "model_median": 160.0,
                "ratio": 0.8,
                "within_factor_1_5": True,
                "definition": "life sciences employees",
            },
            {
                **row,
                "cluster": "bay_area",
                "metric": "employment_census",
                "date": "2016",
                "sample": "out-of-sample",
                "data": 100.0,
                "model_median": 60.0,
                "ratio": 0.6,
                "within_factor_1_5": True,
                "definition": "Biocom's count",
            },
        ]
    )
    text = "\n".join(history.definition_lines(table))
    assert "| boston | 2002 | employment | biotech workers of the Boston area | 100 | 250 | 2.50 |" in text
    assert "model's jobs are x0.60-0.80 (median x0.70)" in text
    # With no context figure there is nothing to say.
    assert history.definition_lines(table[table["sample"] != "context"]) == []


def test_listing_market_refit_runs_through_its_command_line(tmp_path):
    out = run_refit("listing_market_refit", tmp_path, "--set", "ipo_quality_exponent=4")
    record = json.loads((out / "calibration" / "fitted_constants.json").read_text())
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["held"] == {"ipo_quality_exponent": 4.0}
    assert manifest["points"]["market refit"] == {**record["constants"], "ipo_quality_exponent": 4.0}
    assert set(pd.read_csv(out / "points.csv")["point"]) == {"default", "market", "market refit"}
    # The default ran without the market, the other two with it, and so did the refit.
    assert manifest["scenarios_without_market"] != manifest["scenarios"]
    # The refit reads its scenarios from a folder beside its store: the US ones on the market.
    for cluster, digest in manifest["scenarios"].items():
        assert load(tmp_path / "store" / "scenarios" / f"{cluster}.yaml").digest() == digest
    assert "## Reading" in (out / "README.md").read_text()


def test_listing_market_refit_reading_follows_the_rule_stated_before_running():
    refit = experiment("listing_market_refit")
    default = ("default", "11/13", 10, 20, True)

    def reading(*row):
        return rule_reading(refit, default, ("market", "-", 0, 0, False), ("market refit", *row))

    assert "should replace" in reading("11/13", 10, 21, True)
    assert "fails part (iii)" in reading("12/13", 11, 20, True)
    assert "fails part (i)" in reading("10/13", 10, 21, True)
    assert "fails part (ii)" in reading("11/13", 9, 21, True)
    assert "fails part (iv)" in reading("11/13", 10, 21, False)


def test_listing_eras_counts_a_hand_built_firm_table_exactly():
    eras = experiment("listing_eras")
    firms = pd.DataFrame(
        [
            # listed in 1985, still listed (the model dates the fate at the listing): in every
            # stock, exposed over the whole window (13 years)
            {"listed_year": 1985.5, "fate": "listed", "fate_year": 1985.5},
            # listed in 1995, bought in 2005.5: in the stock of 2000, 5.5 years exposed, one exit
            {"listed_year": 1995.0, "fate": "acquired", "fate_year": 2005.5},
            # listed in 2006.25, failed in 2012.75 (before the end of 2012): in 2007's stock only
            {"listed_year": 2006.25, "fate": "failed", "fate_year": 2012.75},
            # listed in 2015, grown: counted in its era, in no stock read
            {"listed_year": 2015.0, "fate": "grown", "fate_year": None},
            # never listed
            {"listed_year": None, "fate": "failed", "fate_year": 1999.0},
        ]
    )
    record = eras.listing_record(firms)
    assert record["ipos_1976_1989"] == 1 and record["ipos_1990_1999"] == 1 and record["ipos_2000_2006"] == 1
    assert record["ipos_2007_2012"] == 0 and record["ipos_2013_2020"] == 1 and record["ipos_early"] == 3
    assert (record["stock_2000"], record["stock_2007"], record["stock_2012"]) == (2, 2, 1)
    assert record["listed_years"] == pytest.approx(13 + 5.5 + 6.5) and record["exits"] == 2


def test_listing_eras_reading_follows_the_rule_stated_before_running():
    eras = experiment("listing_eras")

    def table(early: float, exits: float) -> pd.DataFrame:
        rows = []
        for cluster in eras.RULE_CLUSTERS:
            rows.append({"point": "default", "cluster": cluster, "ipos_early": 100.0, "exits_a_year": 0.10})
            for label, _, _ in eras.POINTS[1:]:
                rows.append({"point": label, "cluster": cluster, "ipos_early": early, "exits_a_year": exits})
        return pd.DataFrame(rows)

    assert eras.verdict(table(40, 0.11))[0].startswith("The stock falls for want of listings before 2007")
    assert eras.verdict(table(40, 0.13))[0].startswith("Both")
    assert eras.verdict(table(60, 0.13))[0].startswith("Listed companies leave the stock too fast")
    assert eras.verdict(table(60, 0.11))[0].startswith("Neither")
    # Fewer early listings with exits far below the default's are neither cause.
    assert eras.verdict(table(40, 0.07))[0].startswith("Neither")
    mixed = table(40, 0.11)
    mixed.loc[(mixed["cluster"] == "san_diego") & (mixed["point"] != "default"), "ipos_early"] = 60
    assert "no single reading" in eras.verdict(mixed)[0]


def test_listing_eras_runs_through_its_command_line(tmp_path):
    out = tmp_path / "eras"
    command = [sys.executable, str(ROOT / "experiments" / "listing_eras.py"), "--seeds", "1"]
    command += ["--until", "1982", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out / "points.csv")
    assert len(table) == 9 and set(table["point"]) == {
        label for label, _, _ in experiment("listing_eras").POINTS
    }
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenarios_without_market"] != manifest["scenarios"]
    assert "round_size_multiple" in manifest["points"]["market and rounds refit"]
    assert "## Reading" in (out / "README.md").read_text()


def test_window_refit_runs_through_its_command_line(tmp_path):
    out = run_refit("window_refit", tmp_path)
    refit = experiment("window_refit")
    record = json.loads((out / "calibration" / "fitted_constants.json").read_text())
    manifest = json.loads((out / "manifest.json").read_text())
    assert record["freed"] == [refit.FREED] and manifest["maxfev"] == 4
    assert manifest["points"] == {"default": {}, refit.CHALLENGER: record["constants"]}
    assert manifest["scenarios_without_market"] != manifest["scenarios"]
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and "The refit's pull: hot_window_pull" in readme
    assert manifest["start"] == {refit.FREED: refit.START} and record["start"][refit.FREED] == refit.START


def test_window_refit_reads_its_prediction_from_the_held_out_listed_stock():
    refit = experiment("window_refit")
    rows = [
        {"point": point, "cluster": cluster, "metric": metric, "sample": sample, "ratio": ratio}
        for point, ratio in (("default", 1.0), (refit.CHALLENGER, 0.6))
        for cluster, metric, sample in (
            ("bay_area", "firms_listed", "out-of-sample"),
            ("san_diego", "firms_listed", "out-of-sample"),
            ("san_diego", "firms_listed", "context"),  # not read
            ("boston", "firms_listed", "out-of-sample"),  # not read
        )
    ]
    rows[2]["ratio"] = rows[3]["ratio"] = 9.0  # the default's unread figures
    medians = refit.stock_medians(pd.DataFrame(rows))
    assert medians == {"default": 1.0, refit.CHALLENGER: 0.6}
    manifest = {"listed_stock_median": medians, "listed_stock_figures": 2}
    assert refit.prediction(manifest).startswith("The prediction holds: ")
    manifest["listed_stock_median"] = {"default": 1.0, refit.CHALLENGER: 0.4}
    assert refit.prediction(manifest).startswith("The prediction fails: ")


def test_window_refit_reading_follows_the_rule_stated_before_running():
    refit = experiment("window_refit")
    default = ("default", "12/13", 10, 24, True)

    def reading(*row):
        return rule_reading(refit, default, (refit.CHALLENGER, *row))

    assert "should replace" in reading("12/13", 10, 25, True)
    assert "fails part (iii)" in reading("12/13", 10, 24, True)
    assert "fails part (i), (iv)" in reading("11/13", 11, 26, False)


def test_listed_lives_runs_through_its_command_line(tmp_path):
    out = run_refit("listed_lives", tmp_path)
    lives = experiment("listed_lives")
    record = json.loads((out / "calibration" / "fitted_constants.json").read_text())
    manifest = json.loads((out / "manifest.json").read_text())
    # The refit frees the pull and holds listed companies kept; San Diego's stock of 2000 is fitted
    # beside the targets only when San Diego is (a quick refit fits the young clusters alone).
    assert record["freed"] == ["hot_window_pull"] and "also_fitted" not in record
    assert manifest["also_fitted"] == list(lives.ALSO_FIT)
    assert record["held"] == lives.PATIENT and manifest["maxfev"] == 4
    assert manifest["points"] == {
        "default": {},
        lives.PATIENT_POINT: lives.PATIENT,
        lives.CHALLENGER: {**record["constants"], **lives.PATIENT},
    }
    assert manifest["scenarios_without_market"] != manifest["scenarios"]
    assert {(r["point"], r["cluster"]) for r in manifest["listings"]} == {
        (point, cluster) for point in manifest["points"] for cluster in experiment("history").CLUSTERS
    }
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and "## IPOs by era, listed stock and exits" in readme
    assert "The mechanism's prediction" in readme and "The refit's pull: hot_window_pull" in readme


def test_a_refit_passes_what_it_also_fits_to_the_calibration(monkeypatch, tmp_path):
    medtech_refit = experiment("medtech_refit")
    asked = []
    monkeypatch.setattr(calibrate, "calibrate", lambda out, **kwargs: asked.append(kwargs) or {})
    also = calibrate.also_fitted(experiment("listed_lives").ALSO_FIT)
    args = type("Args", (), {"quick": False, "fit_seeds": 3, "maxfev": 4, "report_seeds": 8, "workers": 1,
                             "store": tmp_path})  # fmt: skip
    medtech_refit.refit(tmp_path / "out", args, ["x"], also_fit=also)
    assert asked[0]["also_fit"] == also and asked[0]["install"] is False


def test_listed_lives_reads_the_mechanism_s_prediction_from_the_exits_in_two_bands():
    lives = experiment("listed_lives")

    def listings(bay_area: float, san_diego: float) -> pd.DataFrame:
        rows = [
            {"point": "default", "cluster": c, "exits_a_year_window": 0.12, "window": "w"}
            for c in ("bay_area", "san_diego", "boston")
        ]
        rows += [
            {"point": lives.PATIENT_POINT, "cluster": c, "exits_a_year_window": v, "window": "w"}
            for c, v in (("bay_area", bay_area), ("san_diego", san_diego), ("boston", 0.5))  # Boston unread
        ]
        return pd.DataFrame(rows)

    assert "prediction holds" in lives.exits_prediction(listings(0.05, 0.07))
    assert "prediction holds" in lives.exits_prediction(listings(0.08, 0.01))
    assert "prediction fails" in lives.exits_prediction(listings(0.05, 0.0701))  # San Diego above
    assert "prediction fails" in lives.exits_prediction(listings(0.049, 0.03))  # the Bay Area below
    assert "prediction fails" in lives.exits_prediction(listings(0.09, 0.03))


def test_listed_lives_counts_exits_by_fate_in_a_cluster_s_window():
    lives = experiment("listed_lives")
    firms = pd.DataFrame(
        [
            {"listed_year": 1995.0, "fate": "failed", "fate_year": 2003.5},  # in San Diego's window
            {"listed_year": 1995.0, "fate": "acquired", "fate_year": 2009.9},  # in it
            {"listed_year": 1995.0, "fate": "failed", "fate_year": 2010.0},  # after it
            {"listed_year": None, "fate": "failed", "fate_year": 2005.0},  # never listed
            {"listed_year": 2002.0, "fate": "listed", "fate_year": 2002.0},  # still listed
        ]
    )
    row = lives.lives_row("p", "san_diego", [firms])
    # Exposure over 2001-2009: 2.5 + 8.9 + 9 + 0 + 8 listed-company years; two exits in the window.
    years = 2.5 + 8.9 + 9 + 8
    assert row["window"] == "2001-2009" and row["exits_a_year_window"] == pytest.approx(2 / years, abs=1e-4)
    assert row["failed_a_year_window"] == pytest.approx(1 / years, abs=1e-4)
    assert row["acquired_a_year_window"] == pytest.approx(1 / years, abs=1e-4)


def test_listed_lives_sets_san_diego_s_stock_near_the_fitted_figure_apart():
    lives = experiment("listed_lives")
    rows = [
        {"point": "p", "cluster": "san_diego", "metric": "firms_listed", "date": d, "sample": s,
         "within_factor_1_5": True}
        for d, s in (("2001-12", "out-of-sample"), ("2009-12", "out-of-sample"), ("2000-12", "context"))
    ] + [{"point": "p", "cluster": "bay_area", "metric": "firms_listed", "date": "2001-12",
          "sample": "out-of-sample", "within_factor_1_5": False}]  # fmt: skip
    marked = lives.set_apart(pd.DataFrame(rows))
    assert marked["sample"].tolist() == [lives.NEAR, "out-of-sample", "context", "out-of-sample"]
    assert lives.with_near(marked) == {"p": "2/3"}


def test_listed_lives_reading_follows_the_rule_stated_before_running():
    lives = experiment("listed_lives")
    default = ("default", "12/13", 10, 24, True)

    def reading(*row):
        return rule_reading(lives, default, (lives.CHALLENGER, *row))

    assert "should replace" in reading("12/13", 10, 25, True)
    assert "fails part (iii)" in reading("12/13", 10, 24, True)
    assert "fails part (ii), (iv)" in reading("13/13", 9, 30, False)


def test_patient_refit_runs_through_its_command_line(tmp_path):
    out = run_refit("patient_refit", tmp_path)
    refit, lives = experiment("patient_refit"), experiment("listed_lives")
    record = json.loads((out / "calibration" / "fitted_constants.json").read_text())
    manifest = json.loads((out / "manifest.json").read_text())
    assert record["held"] == lives.PATIENT and "freed" not in record
    assert manifest["points"] == {
        "default": {},
        lives.PATIENT_POINT: lives.PATIENT,
        refit.CHALLENGER: {**record["constants"], **lives.PATIENT},
    }
    assert set(manifest["package_listing"]) == set(refit.LISTING_CONSTANTS)
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and "prediction cannot be read" in readme  # the runs end in 1983


def test_patient_refit_reads_its_prediction_from_the_ipo_counts_and_the_listing_rate():
    refit, lives = experiment("patient_refit"), experiment("listed_lives")

    def reading(mine: float, unrefitted: float, rate: float) -> str:
        table = pd.DataFrame(
            [
                {"point": "default", "ipo_count_ratio_median": 3.4},
                {"point": lives.PATIENT_POINT, "ipo_count_ratio_median": unrefitted},
                {"point": refit.CHALLENGER, "ipo_count_ratio_median": mine},
            ]
        )
        manifest = {"points": {refit.CHALLENGER: {"ipo_rate_year": rate}},
                    "package_listing": {"ipo_rate_year": 0.5}}  # fmt: skip
        return refit.ipo_prediction(table, manifest)

    assert "prediction holds" in reading(2.7, 3.0, 0.5)
    assert "prediction fails" in reading(2.71, 3.0, 0.4)  # not a tenth fewer
    assert "prediction fails" in reading(2.0, 3.0, 0.51)  # the listing rate raised
    assert "cannot be read" in reading(math.nan, 3.0, 0.4)


def test_pull_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "pull"
    run_scan("pull_scan", out)
    pulls = experiment("pull_scan")
    manifest = json.loads((out / "manifest.json").read_text())
    fitted = json.loads(pulls.REFIT.read_text())["constants"]
    pulls_run = {label: point["hot_window_pull"] for label, point in manifest["points"].items()}
    assert pulls_run == {"pull 0.01": 0.01, "lives refit": fitted["hot_window_pull"], "pull 1": 1.0}
    assert all(p["listed_patience_years"] == 100.0 for p in manifest["points"].values())
    assert "prediction cannot be read" in (out / "README.md").read_text()


def test_pull_scan_reads_its_prediction():
    pulls = experiment("pull_scan")

    def reading(timing: bool, ipo: float, stock: float, years: tuple[float, float, float]) -> str:
        table = pd.DataFrame(
            [
                {"point": label, "timing_met": timing, "ipo_count_ratio_median": ipo, "ipo_years_bay_area": y}
                for (label, _), y in zip(pulls.PULLS, years, strict=True)
            ]
        )
        return pulls.prediction(table, {"listed_stock_median": {pulls.JUDGED: stock}})

    assert "prediction holds" in reading(True, 1.4, 0.6, (7.0, 6.8, 5.9))
    assert "prediction fails" in reading(False, 1.4, 0.6, (7.0, 6.8, 5.9))  # the timing missed
    assert "prediction fails" in reading(True, 1.6, 0.6, (7.0, 6.8, 5.9))  # the counts over
    assert "prediction fails" in reading(True, 1.4, 0.5, (7.0, 6.8, 5.9))  # the stock lost
    assert "prediction fails" in reading(True, 1.4, 0.6, (6.5, 6.8, 5.9))  # not falling


def test_cleared_refit_runs_through_its_command_line(tmp_path):
    out = run_refit("cleared_refit", tmp_path)
    refit = experiment("cleared_refit")
    record = json.loads((out / "calibration" / "fitted_constants.json").read_text())
    manifest = json.loads((out / "manifest.json").read_text())
    # The pull and listed companies' patience held for the whole fit, neither freed.
    assert (
        record["held"] == {"hot_window_pull": 1.0, "listed_patience_years": 100.0} and "freed" not in record
    )
    assert manifest["points"] == {"default": {}, refit.CHALLENGER: {**record["constants"], **refit.CLEARED}}
    assert manifest["scenarios_without_market"] != manifest["scenarios"]
    assert "prediction cannot be read" in (out / "README.md").read_text()


def test_cleared_refit_reads_its_prediction():
    refit = experiment("cleared_refit")

    def reading(ipo: float, stock: float, met: int) -> str:
        table = pd.DataFrame(
            [{"point": refit.CHALLENGER, "ipo_count_ratio_median": ipo, "out-of-sample_within_x1.5": met}]
        )
        return refit.prediction(table, {"listed_stock_median": {refit.CHALLENGER: stock}})

    assert "prediction holds" in reading(1.5, 0.51, 33)
    assert "prediction fails" in reading(1.51, 0.6, 36)
    assert "prediction fails" in reading(1.1, 0.5, 36)
    assert "prediction fails" in reading(1.1, 0.6, 32)


def test_market_rounds_refit_runs_through_its_command_line(tmp_path):
    out = run_refit("market_rounds_refit", tmp_path)
    refit = experiment("market_rounds_refit")
    judged = json.loads((out / "calibration" / "fitted_constants.json").read_text())
    reported = json.loads((out / "calibration_market" / "fitted_constants.json").read_text())
    manifest = json.loads((out / "manifest.json").read_text())
    # The judged refit frees the rounds' level beside the fifteen; the reported one does not.
    assert judged["freed"] == [refit.FREED] and refit.FREED in judged["constants"]
    assert "freed" not in reported and refit.FREED not in reported["constants"]
    assert manifest["maxfev"] == {refit.REPORTED: 1, refit.CHALLENGER: 4}
    assert manifest["points"][refit.CHALLENGER] == judged["constants"]
    assert manifest["points"][refit.REPORTED] == reported["constants"]
    assert manifest["scenarios_without_market"] != manifest["scenarios"]
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and "Beside the rule" in readme and "calibration_market/" in readme


def test_market_rounds_refit_reports_the_money_and_the_level_beside_the_rule():
    refit = experiment("market_rounds_refit")
    row = {
        "point": refit.CHALLENGER,
        "ipo_count_ratio_median": 1.05,
        "ipo_counts_within_x1.5": 4,
        "ipo_counts": 5,
        "boston vc_invested_census 2018": 1.21,
        "employment_ratio_median": 0.69,
    }
    (line,) = refit.beside(pd.DataFrame([row]))[2:]
    assert "x1.05 of the data (median; 4 of 5 within x1.5)" in line and "2017-19 x1.21" in line
    inside = {"points": {refit.CHALLENGER: {refit.FREED: 1.36}}}
    assert refit.fitted_level(inside).endswith("1.36, in its box 0.25-4.")
    at_edge = {"points": {refit.CHALLENGER: {refit.FREED: 3.9}}}
    assert "(at its box's edge)" in refit.fitted_level(at_edge)


def test_market_rounds_refit_reading_judges_only_the_refit_with_the_rounds_freed():
    refit = experiment("market_rounds_refit")
    default = ("default", "12/13", 10, 24, True)

    def reading(reported, judged):
        return rule_reading(refit, default, (refit.REPORTED, *reported), (refit.CHALLENGER, *judged))

    good, bad = ("12/13", 10, 25, True), ("11/13", 9, 24, False)
    assert "should replace" in reading(bad, good)
    assert "fails part (i), (ii), (iii), (iv)" in reading(good, bad)
    assert "fails part (iii)" in reading(good, ("12/13", 10, 24, True))
    assert "fails part (iv)" in reading(good, ("12/13", 11, 26, False))


def test_labour_demand_refit_runs_through_its_command_line(tmp_path):
    out = run_refit("labour_demand_refit", tmp_path, "--set", "hired_founders_found=0")
    refit = experiment("labour_demand_refit")
    held = refit.HELD | {"hired_founders_found": 0.0}
    record = json.loads((out / "calibration" / "fitted_constants.json").read_text())
    manifest = json.loads((out / "manifest.json").read_text())
    # --set changes one held constant and keeps the others; the refit's point holds all three,
    # and the unrefitted point is the package's with them.
    assert manifest["held"] == held
    assert manifest["points"] == {
        "default": {},
        "labour demand": held,
        "labour demand refit": record["constants"] | held,
    }
    assert set(pd.read_csv(out / "points.csv")["point"]) == {
        "default",
        "labour demand",
        "labour demand refit",
    }
    assert "## Reading" in (out / "README.md").read_text()


def test_labour_mobility_refit_runs_through_its_command_line(tmp_path):
    out = run_refit("labour_mobility_refit", tmp_path)
    refit = experiment("labour_mobility_refit")
    manifest = json.loads((out / "manifest.json").read_text())
    record = json.loads((out / "calibration" / "fitted_constants.json").read_text())
    assert manifest["points"] == {"default": {}, "mobility refit": record["constants"] | refit.HELD}
    # The refit ran on the Japanese scenarios with the mobility, the US ones as they are.
    fitted_on = json.loads((out / "calibration" / "manifest.json").read_text())["scenarios"]
    assert fitted_on and set(fitted_on) <= set(refit.JAPAN)
    for scenario in fitted_on.values():
        assert load(scenario["file"]).labour_mobility == refit.MOBILITY
        assert load(scenario["file"]).digest() == scenario["hash"]
    assert load(tmp_path / "store" / "scenarios" / "boston.yaml").labour_mobility is None


def test_the_shipped_japanese_scenarios_draw_movers_at_japan_s_sourced_mobility():
    """Since December 2026 the Japanese scenarios set the mobility labour_mobility_refit derives
    (its docstring); the US ones keep the constants' own (the US's) rate."""
    refit = experiment("labour_mobility_refit")
    for name in refit.JAPAN:
        assert load(ROOT / "scenarios" / f"{name}.yaml").labour_mobility == refit.MOBILITY, name
    for name in ("boston", "bay_area", "san_diego"):
        assert load(ROOT / "scenarios" / f"{name}.yaml").labour_mobility is None, name


@pytest.mark.parametrize(
    ("script", "challenger"),
    [
        ("labour_demand_refit", "labour demand refit"),
        ("labour_mobility_refit", "mobility refit"),
        ("kinds_refit", "kinds refit"),
        ("partners_refit", "partners refit"),
    ],
)
def test_the_refits_read_by_the_rule_stated_before_running(script, challenger):
    refit = experiment(script)
    default = ("default", "11/13", 10, 20, True)

    def reading(*row):
        return rule_reading(refit, default, (challenger, *row))

    assert "should replace" in reading("11/13", 10, 21, True)
    assert "fails part (iii)" in reading("11/13", 10, 20, True)
    assert "fails part (i)" in reading("10/13", 10, 21, True)
    assert "fails part (ii)" in reading("11/13", 9, 21, True)
    assert "fails part (iv)" in reading("11/13", 10, 21, False)


def test_narrow_counts_runs_through_its_command_line(tmp_path):
    out = tmp_path / "narrow"
    command = [sys.executable, str(ROOT / "experiments" / "narrow_counts.py"), "--seeds", "1"]
    command += ["--until", "2000", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    figures = pd.read_csv(out / "figures.csv")
    # Every narrow figure dated up to 2000: Boston's four, the Bay Area's of 1993, San Diego's of 1998
    # (fitted), and the Bay Area's biotech employees of 1999 (context).
    assert len(figures) == 7
    assert figures["sample"].value_counts().to_dict() == {"in-sample": 6, "context": 1}
    assert (figures["kind_metric"] == figures["metric"] + "_biopharma").all()
    # The drug industry is part of every kind's count, never more.
    assert (figures["biopharma_median"] <= figures["every_kind_median"]).all()
    assert (figures["biopharma_median"] < figures["every_kind_median"]).any()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["in_sample"]["figures"] >= 6
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and f"Produced by `{manifest['command']}`" in readme


def test_narrow_counts_reading_follows_the_rule_stated_before_running():
    narrow = experiment("narrow_counts")

    def figures(*rows):
        columns = ("cluster", "metric", "date", "ratio_every_kind", "ratio_biopharma")
        table = pd.DataFrame([dict(zip(columns, row, strict=True)) for row in rows])
        # as narrow_rows marks them (from the unrounded ratios; here the ratios are exact)
        return table.assign(
            within_every_kind=table["ratio_every_kind"].map(narrow.history.within),
            within_biopharma=table["ratio_biopharma"].map(narrow.history.within),
        )

    counts = {"figures": 16, "every_kind": 10, "by_kind": 11}
    table = figures(
        ("bay_area", "firms_census", "1993", 1.59, 0.9),  # explained by the definition
        ("boston", "firms_census", "2000", 4.23, 2.0),  # not explained
        ("boston", "firms_active", "2000", 1.2, 0.5),  # met already
    )
    lines = narrow.verdict(table, counts)
    assert "the miss is the definition's" in lines[0]
    assert "does not explain the miss" in lines[1]
    assert "met as every kind already" in lines[2]
    assert "1 of 3 within" in lines[3] and "1 read as every kind" in lines[3] and "0 met both" in lines[3]
    assert "does not explain their misses" in lines[3]
    assert "11 of 16 in-sample figures" in lines[4] and "against 10" in lines[4]
    better = figures(
        ("bay_area", "firms_census", "1993", 1.59, 1.1), ("boston", "firms_census", "2000", 4.2, 1.3)
    )
    assert "the definition explains their misses" in narrow.verdict(better, counts)[3]
    assert "not read" in narrow.verdict(better, counts)[2]
    # The in-sample count reads the narrow figures by kind and the others as results/history does.
    comparison = pd.DataFrame(
        [
            {"cluster": "bay_area", "metric": "firms_census", "date": "1993", "sample": "in-sample", "within_factor_1_5": False},
            {"cluster": "bay_area", "metric": "firms_census", "date": "2020", "sample": "in-sample", "within_factor_1_5": True},
            {"cluster": "boston", "metric": "employment", "date": "2008", "sample": "out-of-sample", "within_factor_1_5": False},
        ]
    )  # fmt: skip
    by_kind = better.assign(sample="in-sample").iloc[:1]
    counted = narrow.in_sample_counts(comparison, by_kind)
    assert counted == {"figures": 2, "every_kind": 1, "by_kind": 2}
    assert {type(n) for n in counted.values()} == {int}  # a manifest's numbers, not numpy's
    # A ratio is read unrounded: 0.6665 shows as 0.667 but lies outside x1.5.
    assert not narrow.history.within(0.6665) and narrow.history.within(1 / 1.5)
    # The post-hoc lines: fitted and context figures apart, and the device firms' share of the firms.
    path = table.assign(
        sample=["in-sample", "in-sample", "context"],
        every_kind_median=[200.0, 400.0, 100.0],
        biopharma_median=[100.0, 300.0, 60.0],
    )
    lines = narrow.path_lines(path)
    assert "x0.90-2.00 (median x1.45, 2 figures)" in lines[2] and "x0.50-0.50" in lines[3]
    assert "25%-50%" in lines[4]


def test_kinds_refit_runs_through_its_command_line(tmp_path):
    out = run_refit("kinds_refit", tmp_path)
    record = json.loads((out / "calibration" / "fitted_constants.json").read_text())
    manifest = json.loads((out / "manifest.json").read_text())
    assert record["by_kinds"] is True and manifest["by_kinds"] is True
    assert manifest["points"] == {"default": {}, "kinds refit": record["constants"]}
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and "held" not in readme.split("## Reading")[0]  # it holds none


def test_the_comparison_by_kinds_reads_only_the_narrow_figures_otherwise():
    from ecosim.engine import Outcome

    # A run whose drug industry is half its firms: only the figures counting biotech alone move.
    months = [1993.0 + m / 12 for m in range(12)] + [1997.0 + m / 12 for m in range(12)]
    series = pd.DataFrame({"year": months, "firms_census": 300.0, "employment_census": 9000.0})
    series["firms_census_biopharma"] = 150.0
    series["employment_census_biopharma"] = 4500.0
    outcome = Outcome(run=None, timeseries=series, firms=pd.DataFrame())
    history = experiment("history")
    scenario = history.scenario_of("bay_area")
    every = {(r["metric"], r["date"]): r for r in history.compare("bay_area", scenario, [outcome], 1997)}
    kinds = {
        (r["metric"], r["date"]): r for r in history.compare("bay_area", scenario, [outcome], 1997, True)
    }
    assert every[("firms_census", "1993")]["model_median"] == 300.0
    assert kinds[("firms_census_biopharma", "1993")]["model_median"] == 150.0
    assert ("firms_census", "1993") not in kinds
    assert kinds[("firms_census", "1997")]["model_median"] == every[("firms_census", "1997")]["model_median"]
    assert kinds[("employment_census", "1997")]["model_median"] == 9000.0


def test_an_upper_bound_is_met_under_it_and_shown_as_one():
    from ecosim.engine import Outcome

    # Boston's listed companies: 50 at the end of 2009 and 2011 is over New England's 45 and 46 (a
    # bound: missed, though within x1.5 of each), and under its 62 of 2007 (met).
    months = [2007.0 + m / 12 for m in range(6 * 12)]
    history = experiment("history")
    series = pd.DataFrame({"year": months, **dict.fromkeys(history.COLUMNS, 1.0), "firms_listed": 50.0})
    outcome = Outcome(run=None, timeseries=series, firms=pd.DataFrame())
    rows = history.compare("boston", history.scenario_of("boston"), [outcome], 2012)
    listed = {r["date"]: r for r in rows if r["metric"] == "firms_listed" and r["comparison"] == "below"}
    assert {d: r["within_factor_1_5"] for d, r in listed.items()} == {
        "2007-12": True,
        "2009-12": False,
        "2011-12": False,
    }
    table = pd.DataFrame(list(listed.values()))
    assert history.misses(table, "out-of-sample") == [
        "boston firms_listed 2009-12: 50 vs under 45 (too high, x1.11)",
        "boston firms_listed 2011-12: 50 vs under 46 (too high, x1.09)",
    ]


def test_early_partners_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "scan"
    command = [sys.executable, str(ROOT / "experiments" / "early_partners_scan.py"), "--seeds", "3"]
    command += ["--until", "1994", "--workers", "2", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    deals = pd.read_csv(out / "deals.csv").groupby(["point", "cluster"])["partnerships"].median()
    # Before 2002 no pharma the scenario file names partners with a Boston startup (only one the
    # model brings in with a site may); from the start they do. A median of 3 seeds: one seed's
    # path can turn it round (seed 1 at the December 2026 default: 21 against 11; the 8 seeds of
    # results/history/early_partners_scan give medians of 6 against 23).
    assert deals[("default", "boston")] < deals[("from the start", "boston")]
    by_kind = pd.read_csv(out / "figures_by_kind.csv")
    boston = by_kind.loc[by_kind["cluster"] == "boston", "metric"]
    # Massachusetts's biotech firms and jobs of 1993, each read against the drug industry alone.
    assert len(boston) == 2 * 4 and boston.str.endswith("_biopharma").all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["points"]["from 1986"] == {"pharma_in_market_by": 1986}
    # The Bay Area's pharma are in its market by 1986 already: its scenario is unchanged there.
    digests = manifest["scenarios"]
    assert digests["from 1986"]["bay_area"] == digests["default"]["bay_area"]
    assert digests["from 1986"]["boston"] != digests["default"]["boston"]
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and f"Produced by `{manifest['command']}`" in readme


def test_anchor_staff_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "scan"
    command = [sys.executable, str(ROOT / "experiments" / "anchor_staff_scan.py"), "--seeds", "1"]
    command += ["--until", "1999", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["points"]["model's staff"] == {"headcounts_removed": True}
    digests = manifest["scenarios"]
    # San Diego's file documents no headcount: unchanged; the Bay Area's and Boston's lose theirs.
    assert digests["model's staff"]["san_diego"] == digests["default"]["san_diego"]
    assert digests["model's staff"]["bay_area"] != digests["default"]["bay_area"]
    anchors = pd.read_csv(out / "anchors.csv").set_index(["point", "anchor"])
    # With its counts Genentech employs its 3,200 of June 1997 (its peak at least that); Biogen
    # its 800 of June 1999 by the end of that year.
    assert anchors.loc[("default", "Genentech"), "peak_headcount"] >= 3200
    assert anchors.loc[("default", "Biogen"), "peak_headcount"] >= 800
    changes = pd.read_csv(out / "changes.csv")
    assert {"default", "model_staff", "change", "leans"} <= set(changes.columns) and len(changes) > 0
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and f"Produced by `{manifest['command']}`" in readme


def test_anchor_staff_scan_marks_the_figures_that_move_by_more_than_a_tenth():
    staff = experiment("anchor_staff_scan")
    boston = staff.history.scenario_of("boston")
    assert staff.unstaffed(boston, False) is boston
    kinds = [e.kind for e in staff.unstaffed(boston, True).events]
    assert "headcount" not in kinds and len(kinds) == len([e for e in boston.events if e.kind != "headcount"])
    rows = [
        {
            "point": point,
            "cluster": "boston",
            "metric": metric,
            "date": "1993",
            "sample": "in-sample",
            "ratio": r,
        }
        for point, metric, r in [
            ("default", "employment", 0.50),
            ("model's staff", "employment", 0.40),  # -20%: leans
            ("default", "firms_active", 1.00),
            ("model's staff", "firms_active", 1.05),  # +5%: does not
        ]
    ]
    changes = staff.moved(pd.DataFrame(rows)).set_index("metric")
    assert changes.loc["employment", "change"] == pytest.approx(-0.2)
    assert changes.loc["employment", "leans"] and not changes.loc["firms_active", "leans"]


def test_early_partners_scan_moves_only_the_pharma_that_enter_later():
    partners = experiment("early_partners_scan")
    boston, san_diego = partners.history.scenario_of("boston"), partners.history.scenario_of("san_diego")
    assert partners.entered(boston, None) is boston
    start = partners.entered(boston, 0)
    assert {start.active_from(p) for p in start.pharma} == {boston.start_year}
    assert [p.site_opened for p in start.pharma] == [p.site_opened for p in boston.pharma]  # sites as before
    mid = {p.name: mid.active_from(p) for mid in [partners.entered(san_diego, 1986)] for p in mid.pharma}
    # Lilly's dated entry (1985) stays; the pharma that came with their sites (2000-2012) enter in 1986.
    assert mid.pop("Eli Lilly") == 1985 and set(mid.values()) == {1986}
    # The sourced point dates the pharma it names by their first deals there, the others as before.
    dated = partners.entered(boston, "sourced", "boston")
    assert {p.name: dated.active_from(p) for p in dated.pharma} == {
        "Novartis": 1987, "Takeda": 2008, "Sanofi": 1991, "Pfizer": 1986
    }  # fmt: skip
    sd = partners.entered(san_diego, "sourced", "san_diego")
    assert {p.name: sd.active_from(p) for p in sd.pharma}["Kyowa Kirin"] == 2008  # no deal found: its site
    bay_area = partners.history.scenario_of("bay_area")
    assert partners.entered(bay_area, "sourced", "bay_area").digest() == bay_area.digest()


def test_early_partners_scan_reading_follows_the_rule_stated_before_running():
    partners = experiment("early_partners_scan")
    keys = [f"{c} {m} {d}" for c, m, d in partners.EARLY]
    counts = ("in-sample_within_x1.5", "out-of-sample_within_x1.5", "end_points_within_25pct")

    def table(*rows):
        return pd.DataFrame(
            [{"point": label, **dict(zip(keys, ratios, strict=True)), **dict(zip(counts, met, strict=True))}
             for label, ratios, met in rows]
        )  # fmt: skip

    default = ("default", (0.57, 0.35, 0.47), (10, 20, 4))
    assert (
        "is a cause" in partners.verdict(table(default, ("from the start", (0.8, 0.7, 0.6), (10, 20, 4))))[0]
    )
    # Two within x1.5 but a count falls, or one only within: a part of the cause.
    assert (
        "part of the" in partners.verdict(table(default, ("from the start", (0.8, 0.7, 0.6), (9, 20, 4))))[0]
    )
    assert (
        "part of the" in partners.verdict(table(default, ("from the start", (0.8, 0.5, 0.6), (12, 22, 5))))[0]
    )
    # A figure that stays where it was does not rise.
    tie = ("from the start", (0.57, 0.7, 0.6), (12, 22, 5))
    assert "not the cause" in partners.verdict(table(default, tie))[0]
    # One of the three does not rise.
    assert (
        "not the cause"
        in partners.verdict(table(default, ("from the start", (0.9, 0.35, 0.9), (12, 22, 5))))[0]
    )
    late = ("from the start", (None, None, None), (0, 0, 0))
    assert "cannot be read" in partners.verdict(table(("default", (None, None, None), (0, 0, 0)), late))[0]


def test_partners_refit_runs_through_its_command_line_on_the_dated_files(tmp_path):
    out = run_refit("partners_refit", tmp_path)
    record = json.loads((out / "calibration" / "fitted_constants.json").read_text())
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["points"]["partners refit"] == record["constants"]
    assert set(pd.read_csv(out / "points.csv")["point"]) == {"default", "dated", "partners refit"}
    # The refit read the dated copies, which are the scenarios the comparison ran.
    partners = experiment("early_partners_scan")
    for cluster, dates in partners.SOURCED.items():
        copy = load(tmp_path / "store" / "scenarios" / f"{cluster}.yaml")
        assert {p.name: copy.active_from(p) for p in copy.pharma if p.name in dates} == dates
        assert copy.digest() == manifest["scenarios"][cluster] != manifest["scenarios_as_filed"][cluster]
    assert manifest["scenarios"]["bay_area"] == manifest["scenarios_as_filed"]["bay_area"]
    assert "## Reading" in (out / "README.md").read_text()


def test_a_missed_figure_is_named_by_the_table_s_ratio(history):
    # 374.5 firms against 146 is 2.5651 (2.57), the table's ratio 2.565 (2.56 with two digits): the
    # list of misses quotes the table's, not one of its own from the rounded median.
    table = pd.DataFrame(
        [
            {
                "cluster": "boston",
                "metric": "firms_census",
                "date": "2004-07",
                "sample": "out-of-sample",
                "data": 146.0,
                "model_median": 374.5,
                "ratio": 2.565,
                "within_factor_1_5": False,
            }
        ]
    )
    assert history.misses(table, "out-of-sample") == [
        f"boston firms_census 2004-07: {history.fmt(374.5)} vs 146 (too high, x2.56)"
    ]


def test_a_scan_reading_says_when_the_default_already_meets_its_question():
    """Readings stated before a refit must not advise freeing a constant the refit freed, nor read
    a miss the default no longer has as if it had it (exit_timing_scan.free_next, already_met)."""
    scan = experiment("exit_timing_scan")
    assert scan.free_next("ipo_rate_year", "ipo_from_stage") == (
        "The next calibration should free `ipo_from_stage` (`ipo_rate_year` is fitted already)."
    )
    assert (
        scan.free_next("ipo_rate_year")
        == "The next calibration has nothing to free: `ipo_rate_year` is fitted already."
    )
    assert scan.already_met(False, "the timing") == []
    assert scan.already_met(True, "the timing")[0].startswith("The package default already meets the timing")
    money = experiment("vc_money_scan")
    key = " ".join(money.MONEY)
    table = pd.DataFrame(
        [{"point": "default", key: 0.8}, {"point": "rounds x2", key: 1.3, "in-sample_within_x1.5": 9}]
    )
    table["in-sample_within_x1.5"] = 9
    table["end_points_within_25pct"] = 2
    assert money.verdict(table)[0].startswith("The package default already meets Boston's VC money")


def test_timing_rows_read_each_runs_ipos_by_period_and_on_the_bounds_three_readings(history):
    refit = experiment("timing_refit")
    firms = pd.DataFrame(
        [
            firm(1, 2005.0, listed=2010.0, fate="listed", fate_year=2010.0),  # 5 years, in the window
            firm(2, 1994.0, listed=2011.0, fate="listed", fate_year=2011.0),  # 17: founded before 1996
            firm(3, 2008.0, listed=2015.0, fate="listed", fate_year=2015.0),  # 7, in 2015
            firm(4, 2016.0, listed=2020.5, fate="listed", fate_year=2020.5),  # 4.5, in 2020
            firm(5, 2001.0, listed=2016.0, fate="listed", fate_year=2016.0),  # 15: the old reference only
        ]
    )
    seen = []
    rows = refit.TimingRows(lambda label, cluster, done: seen.append((label, cluster, len(done))))
    outcome = SimpleNamespace(firms=firms, run=SimpleNamespace(seed=3))
    empty = SimpleNamespace(firms=firms.iloc[:0], run=SimpleNamespace(seed=4))
    rows("a point", "boston", [outcome, empty])
    assert seen == [("a point", "boston", 2)]  # listed_lives' rows read the same runs
    first = rows[0]
    assert (first["seed"], first["ipos_2009-2012"], first["years_2009-2012"]) == (3, 2, 11.0)
    assert (first["years_2015"], first["years_2020"], first["ipos_2014-2016"]) == (7.0, 4.5, 2)
    # The old reference (2009-2020, any founding), the window of any founding, the restated one.
    assert (first["ipos_old reference"], first["years_old reference"]) == (5, 7.0)
    assert (first["years_window, any founding"], first["years_reference"]) == (11.0, 5.0)
    assert math.isnan(rows[1]["years_reference"]) and rows[1]["ipos_reference"] == 0
    table = refit.by_period(list(rows)).iloc[0]
    assert (table["seeds"], table["seeds_with_ipo"], table["years_reference"]) == (2, 1, 5.0)
    assert table["years_2013"] is None  # JSON has no NaN


def test_timing_refit_asks_an_ipo_in_the_window_in_six_seeds_of_eight():
    refit = experiment("timing_refit")
    periods = pd.DataFrame(
        [
            {"point": refit.CHALLENGER, "cluster": "boston", "seeds_with_ipo": 8},
            {"point": refit.CHALLENGER, "cluster": "san_diego", "seeds_with_ipo": 5},
            {"point": "default", "cluster": "san_diego", "seeds_with_ipo": 0},
        ]
    )
    ok, why = refit.thin(periods)
    assert not ok and "boston 8, san_diego 5" in why
    assert refit.thin(periods.assign(seeds_with_ipo=6))[0]
    assert refit.thin(periods, challenger="other")[0] is False  # no such refit: not met


def test_timing_refit_reads_its_prediction():
    refit = experiment("timing_refit")

    def reading(longer: list[float], shorter: list[float]) -> str:
        rows = [
            {"point": refit.CHALLENGER, "cluster": c, "years_2015": a, "years_2020": b}
            for c, a, b in zip(("boston", "bay_area", "san_diego"), longer, shorter, strict=True)
        ]
        return refit.prediction({"ipo_years_by_period": rows})

    assert "prediction holds" in reading([7.0, 7.0, 5.0], [5.5, 6.0, 5.0])
    assert "prediction fails" in reading([6.9, 7.0, 5.0], [6.0, 6.1, 5.0])  # under a year slower in each
    assert "prediction fails" in reading([8.0, 8.0, 5.0], [6.6, 7.0, 5.0])  # 2020's out of the band
    assert "cannot be read" in reading([None] * 3, [None] * 3)


def test_timing_refit_runs_through_its_command_line(tmp_path):
    out = run_refit("timing_refit", tmp_path)
    refit = experiment("timing_refit")
    cleared = experiment("cleared_refit")
    record = json.loads((out / "calibration" / "fitted_constants.json").read_text())
    manifest = json.loads((out / "manifest.json").read_text())
    beside = json.loads((refit.CLEARED_RESULTS / "manifest.json").read_text())["points"][cleared.CHALLENGER]
    assert manifest["points"] == {
        "default": {},
        refit.CHALLENGER: {**record["constants"], **cleared.CLEARED},
        cleared.CHALLENGER: beside,  # run beside, not refitted
    }
    assert {r["point"] for r in manifest["ipo_years_by_period"]} == set(manifest["points"])
    readme = (out / "README.md").read_text()
    assert "prediction cannot be read" in readme and "6 or more of 8 asked" in readme


def test_fade_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "fade"
    run_scan("fade_scan", out)
    fades = experiment("fade_scan")
    manifest = json.loads((out / "manifest.json").read_text())
    refit = json.loads(fades.REFIT.read_text())["points"]["timing refit"]
    fades_run = {label: point[fades.FADE] for label, point in manifest["points"].items()}
    assert fades_run == {"timing refit": refit[fades.FADE], "fade 1": 1.0, "fade 2": 2.0, "fade 4": 4.0}
    assert all(p["hot_window_pull"] == 1.0 for p in manifest["points"].values())
    assert "prediction cannot be read" in (out / "README.md").read_text()


def test_fade_scan_reads_its_prediction():
    fades = experiment("fade_scan")

    def reading(judged: list[float], base: list[float], longer: list[float], shorter: list[float]) -> str:
        rows = []
        for cluster, j, b, a, s in zip(
            ("boston", "bay_area", "san_diego"), judged, base, longer, shorter, strict=True
        ):
            rows.append(
                {
                    "point": fades.JUDGED,
                    "cluster": cluster,
                    "years_reference": j,
                    "years_2015": a,
                    "years_2020": s,
                }
            )
            rows.append(
                {
                    "point": fades.BASELINE,
                    "cluster": cluster,
                    "years_reference": b,
                    "years_2015": a,
                    "years_2020": s,
                }
            )
        return fades.prediction({"ipo_years_by_period": rows})

    assert "prediction holds" in reading([5.5] * 3, [6.1] * 3, [7.0, 7.0, 5.0], [5.0, 5.5, 5.0])
    assert "prediction fails" in reading([5.5, 5.5, 6.0], [6.1] * 3, [7.0] * 3, [5.0] * 3)  # one not under 6
    assert "prediction fails" in reading([5.5, 5.5, 5.0], [6.1, 6.1, 4.9], [7.0] * 3, [5.0] * 3)  # not lower
    assert "prediction fails" in reading([5.5] * 3, [6.1] * 3, [5.5, 5.0, 7.0], [5.0] * 3)  # a gap in one
    assert "cannot be read" in reading([5.5] * 3, [6.1] * 3, [7.0] * 3, [None] * 3)


def test_fade_refit_runs_through_its_command_line_and_again_from_its_first_point(tmp_path):
    refit = experiment("fade_refit")
    cleared = experiment("cleared_refit")
    out = run_refit("fade_refit", tmp_path)
    record = json.loads((out / "calibration" / "fitted_constants.json").read_text())
    manifest = json.loads((out / "manifest.json").read_text())
    # The fade only starts at 2 (it is free); the pull and listed companies' patience are held.
    assert record["held"] == cleared.CLEARED and manifest["started"] == {"ipo_news_fade_year": 2.0}
    assert manifest["points"][refit.CHALLENGER] == {**record["constants"], **cleared.CLEARED}
    assert "started_from" not in manifest and "again" not in (out / "README.md").read_text().splitlines()[0]
    again = run_refit("fade_refit", tmp_path / "second", "--again")
    manifest = json.loads((again / "manifest.json").read_text())
    first = json.loads(refit.FIRST.read_text())["points"][refit.CHALLENGER]
    assert (
        manifest["started"] == first
        and manifest["started_from"] == "results/history/fade_refit/manifest.json"
    )
    title = (again / "README.md").read_text().splitlines()[0]
    assert title.endswith("started where IPO news fades fast: again, from its own point")


def test_fade_refit_reads_its_prediction():
    refit = experiment("fade_refit")

    def reading(fade: float, met: int, ipo: float) -> str:
        table = pd.DataFrame(
            [{"point": refit.CHALLENGER, "ipo_count_ratio_median": ipo, "out-of-sample_within_x1.5": met}]
        )
        return refit.prediction(table, {"points": {refit.CHALLENGER: {"ipo_news_fade_year": fade}}})

    assert "prediction holds" in reading(1.0, 30, 1.5)
    assert "prediction fails" in reading(0.99, 30, 1.5)
    assert "prediction fails" in reading(1.5, 29, 1.5)
    assert "prediction fails" in reading(1.5, 30, 1.51)
    assert "cannot be read" in reading(1.5, 30, math.nan)
