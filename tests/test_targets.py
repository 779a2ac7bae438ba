"""The calibration targets' data file: it parses, every row is sourced, and what may not be fitted is not."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from helpers import TINY

from ecosim import calibrate, metric_registry
from ecosim.constants import fitted
from ecosim.packagedata import data_file
from ecosim.scenario import load


def rows() -> list[dict[str, str]]:
    path = data_file(calibrate.TARGETS_FILE, "table of calibration targets")
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def test_the_file_parses_into_targets():
    targets = calibrate.load_targets()
    assert len(targets) == len(rows()) > 13
    assert all(t.value > 0 and 1900 < t.year < 2030 for t in targets)


def test_every_row_has_a_source_a_definition_and_a_valid_role():
    for row in rows():
        assert row["source"].strip(), row
        assert row["definition"].strip(), row
        assert row["role"] in calibrate.ROLES, row
        assert row["series"] in calibrate.SERIES, row


def test_the_deck_is_cited_by_its_title_and_slide():
    for t in calibrate.load_targets():
        if t.series in ("end_point", "pattern"):
            assert t.source.startswith(f"{calibrate.DECK} slide "), t


def test_the_fit_uses_the_13_end_points_the_history_up_to_2000_and_the_exit_timing_and_nothing_else():
    fitted = calibrate.targets_for()
    rows_ = calibrate.load_targets()
    assert len(calibrate.END_POINTS) == 13
    assert {t.label for t in calibrate.END_POINTS} == {t.label for t in rows_ if t.series == "end_point"}
    history = [t for t in fitted if t.series == "history"]
    assert history and all(
        t.year < 2001 and t.cluster in ("boston", "bay_area", "san_diego") for t in history
    )
    rows = {t for t in rows_ if t.role == "fit" and t.series in ("end_point", "history")}
    assert set(fitted) == rows | set(
        calibrate.exit_timing_targets()
    )  # exit timing: tests/test_exit_timing.py
    assert len({(t.cluster, t.label) for t in fitted}) == len(fitted)  # a metric may have several dates
    assert all(t.role == "fit" for t in fitted)


def test_holdouts_are_never_in_the_fitted_set():
    holdouts = set(calibrate.targets_by_role("holdout"))
    assert holdouts  # the out-of-sample series exists
    assert all(2001 <= int(t.year) <= 2018 for t in holdouts)
    never = holdouts | {
        t for role in ("pattern_holdout", "context", "input") for t in calibrate.targets_by_role(role)
    }
    assert not never & set(calibrate.TARGETS)
    assert not never & set(calibrate.targets_for())
    # A fitted figure of the history is dated up to 2000.
    assert all(int(t.year) <= 2000 for t in calibrate.targets_by_role("fit") if t.series != "end_point")


def test_every_us_cluster_has_dated_history_in_and_out_of_sample():
    for cluster in ("bay_area", "boston", "san_diego"):
        history = [t for t in calibrate.load_targets() if t.cluster == cluster and t.series == "history"]
        assert {t.role for t in history} >= {"fit", "holdout"}, cluster


def test_the_source_documents_other_figures_are_patterns():
    patterns = {(t.cluster, t.metric, t.value) for t in calibrate.targets_by_role("pattern_holdout")}
    assert patterns == {
        ("boston", "vc_invested_census", 4320),
        ("boston", "hub_members", 1200),
        ("boston", "incubator_tenants", 700),
    }
    # JLABS San Diego's 60 residents set its seats in san_diego.yaml: an input, never a pattern.
    inputs = {(t.cluster, t.metric, t.value) for t in calibrate.targets_by_role("input")}
    assert ("san_diego", "incubator_tenants", 60) in inputs


def test_a_figure_of_one_organization_names_one_of_its_scenario():
    from helpers import ROOT

    from ecosim.scenario import load

    ones = [t for t in calibrate.load_targets() if t.of]
    assert {(t.cluster, t.metric, t.of) for t in ones} == {
        ("boston", "hub_members", "MassBio"),
        ("boston", "incubator_tenants", "CIC (Cambridge Innovation Center)"),
        ("san_diego", "incubator_tenants", "JLABS San Diego"),
    }
    for t in ones:
        scenario = load(ROOT / "scenarios" / f"{t.cluster}.yaml")
        names = {h.name for h in scenario.hubs} if t.metric == "hub_members" else set()
        names |= {i.name for i in scenario.incubators} if t.metric == "incubator_tenants" else set()
        assert t.of in names, t
        assert t.label == f"{t.metric}[{t.of}]@{t.date}"


def test_a_bad_row_is_refused_in_words():
    good = {
        "cluster": "x",
        "metric": "firms_census",
        "value": "5",
        "date": "2010",
        "role": "holdout",
        "series": "history",
        "source": "a report",
        "definition": "firms",
    }
    assert calibrate._target(good, 1).role == "holdout"
    for change, words in (
        ({"role": "fitted"}, "role"),
        ({"source": " "}, "empty source"),
        ({"date": "2010/3"}, "date"),
        ({"date": "1999"}, "2001-2018"),
        ({"role": "fit"}, "up to 2000"),
        ({"kinds": "devices"}, "kinds 'devices'"),
        ({"kinds": "biopharma", "metric": "hub_members"}, "hub_members has no count of biopharma"),
        ({"comparison": "above"}, "comparison 'above' is none of about, below"),
        ({"comparison": "below", "role": "fit", "date": "1999"}, "upper bound .* never fitted"),
        ({"area": "Cambridge", "metric": "firms_active"}, "area 'Cambridge': only a census count"),
        ({"area": "Cambridge", "metric": "hub_members", "of": "MassBio"}, "only a census count"),
        ({"founded_after": "1986"}, "founded_after 1986 is read only by a lineage_firms figure"),
        ({"founded_after": "2010", "metric": "lineage_firms"}, "names a year before its date"),
        ({"founded_after": "late", "metric": "lineage_firms"}, "founded_after 'late' is not a year"),
    ):
        with pytest.raises(calibrate.TargetsError, match=words):
            calibrate._target({**good, **change}, 1)


def test_hybritech_s_alumni_firms_of_2002_count_those_founded_after_lilly_s_purchase():
    """The figure of 2002 (more than 40 alumni firms in the past 15 years) counts firms founded
    after Lilly's purchase of 1986; the other lineage figures count the whole lineage."""
    lineage = {t.date: t.founded_after for t in calibrate.load_targets() if t.metric == "lineage_firms"}
    assert lineage == {"2002": 1986, "2003-09": None, "2001": None}
    assert all(t.founded_after is None for t in calibrate.load_targets() if t.metric != "lineage_firms")


def test_a_figure_of_a_census_part_is_read_from_its_column_and_named_by_it():
    """A figure that counts one part of the census area alone (Cambridge without Boston) reads that
    part's column, every kind or by kind; its label names the part; a scenario that does not count
    the part apart cannot run it (one line naming the figure)."""
    row = {
        "cluster": "tiny",
        "metric": "firms_census",
        "value": "62",
        "date": "2000",
        "role": "fit",
        "series": "history",
        "source": "a thesis",
        "definition": "firms of L alone",
        "area": "L",
        "kinds": "biopharma",
    }
    target = calibrate._target(row, 1)
    assert target.column == "firms_census[L]" and target.label == "firms_census[L]@2000"
    (by_kind,) = calibrate.read_by_kinds([target])
    assert by_kind.column == "firms_census_biopharma[L]"
    assert calibrate._target({**row, "area": ""}, 1).column == "firms_census"
    scenario = load(TINY)  # no census part counted apart
    dates = {target.label: (target.column, target.year)}
    assert calibrate.unread_columns(scenario, dates) == [target.label]
    with pytest.raises(calibrate.TargetsError, match=r"records no column for firms_census\[L\]@2000"):
        calibrate.cluster_run(scenario, 1, dates, fitted())
    assert calibrate.unread_columns(scenario, {"firms_census@2000": ("firms_census", 2000.5)}) == []
    # The calibration's table names the part beside the metric, as the label does.
    runs = pd.DataFrame({"cluster": ["tiny"] * 3, "target": [target.label] * 3, "value": [60.0, 62.0, 64.0]})
    table = calibrate.model_vs_data(runs, [target], 3)
    assert table["metric"].tolist() == ["firms_census[L]"] and table["model_median"].tolist() == [62.0]


def test_a_narrow_count_is_read_by_the_drug_industry_s_column():
    narrow = [t for t in calibrate.load_targets() if t.kinds]
    # The rows whose definition counts biotech or biopharma alone, and no other (the rule is in
    # the file's header): a mark moved to another row fails here.
    assert sorted(f"{t.cluster} {t.metric} {t.date}" for t in narrow) == sorted(
        [
            "boston firms_active 1993",
            "boston employment 1993",
            "boston firms_active 2000",
            "boston firms_census 2000",
            "boston employment 2004",
            "boston employment 2013",
            "boston firms_active 2002-08",
            "boston firms_active 2007",
            "boston employment 2002",
            "bay_area firms_census 1993",
            "bay_area employment_census 1999-08",
            "san_diego firms_census 1998-03",
            "san_diego employment_census 2002",
            "san_diego firms_census 2003-09",
        ]
    )
    assert all(t.kinds == "biopharma" for t in narrow)
    assert {t.kind_metric for t in narrow} <= set(metric_registry.TIMESERIES)
    assert all(t.kind_metric == f"{t.metric}_biopharma" for t in narrow)
    bay_area = next(t for t in narrow if t.cluster == "bay_area" and t.date == "1993")
    assert bay_area.metric == "firms_census" and bay_area.kind_metric == "firms_census_biopharma"


def test_an_upper_bound_is_met_under_it_and_only_new_englands_counts_are_bounds():
    # A count of an area wider than the grid's bounds the grid's from above (the file's header).
    bounds = [t for t in calibrate.load_targets() if t.comparison == "below"]
    assert sorted((t.cluster, t.metric, t.date, t.value) for t in bounds) == [
        ("boston", "firms_listed", "2007-12", 62.0),
        ("boston", "firms_listed", "2009-12", 45.0),
        ("boston", "firms_listed", "2011-12", 46.0),
    ]
    assert all(t.role == "holdout" and "New England" in t.definition for t in bounds)
    bound = bounds[0]
    level = calibrate.Target("boston", "firms_listed", 62.0, "2007-12", "a report", role="holdout")
    # Under the bound by any amount: met; over it, even within x1.5: missed.
    assert bound.met(10.0, 1 / 1.5, 1.5) and bound.met(61.9, 1 / 1.5, 1.5)
    assert not bound.met(62.0, 1 / 1.5, 1.5) and not bound.met(70.0, 1 / 1.5, 1.5)
    assert level.met(70.0, 1 / 1.5, 1.5) and not level.met(10.0, 1 / 1.5, 1.5)
    assert bound.met_by_ratio(0.5, 1 / 1.5, 1.5) and not bound.met_by_ratio(1.2, 1 / 1.5, 1.5)
    assert not bound.met_by_ratio(float("nan"), 1 / 1.5, 1.5)
