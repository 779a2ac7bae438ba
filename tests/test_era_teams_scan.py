"""experiments/era_teams_scan.py: would larger early teams give the US clusters their early jobs?

The rule (module docstring) on hand-built early-jobs ratios and firm counts, with exact readings.
"""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import experiment


@pytest.fixture(scope="module")
def ets():
    return experiment("era_teams_scan")


def tables(ets, rows: dict[str, tuple[float, float, float]], firms: dict[str, int]):
    labels = [label for label, _, _ in ets.POINTS]
    jobs = pd.DataFrame.from_dict(rows, orient="index", columns=["boston", "bay_area", "san_diego"]).reindex(
        labels
    )
    return jobs, pd.Series(firms).reindex(labels)


BASE = (0.5, 0.4, 0.7)


@pytest.mark.parametrize(
    ("x2", "firms_x2", "holds"),
    [
        ((0.6, 0.5, 0.8), 10, ["teams x2"]),  # all three nearer, as many firm counts
        ((0.6, 0.5, 0.8), 9, []),  # nearer, but a firm count lost
        ((0.6, 0.5, 0.6), 10, []),  # San Diego farther
        ((0.6, 0.5, 1.35), 10, ["teams x2"]),  # over the data but nearer in log terms (|ln 1.35| < |ln 0.7|)
        ((0.6, 0.5, 1.5), 10, []),  # over by more than it was short
        ((0.6, 0.4, 0.8), 11, []),  # the Bay Area no nearer
    ],
)
def test_the_rule_stated_before_the_run(ets, x2, firms_x2, holds):
    jobs, firms = tables(
        ets,
        {"default": BASE, "teams x1.5": (0.4, 0.3, 0.6), "teams x2": x2, "teams x3": (0.3, 0.2, 0.5)},
        {"default": 10, "teams x1.5": 12, "teams x2": firms_x2, "teams x3": 12},
    )
    assert ets.supported(jobs, firms) == holds


def test_early_jobs_read_only_the_jobs_before_2003_in_and_out_of_sample(ets):
    rows = [
        ("default", "boston", "employment", "1993", "in-sample", 0.5),
        ("default", "boston", "employment", "2002", "out-of-sample", 0.7),
        ("default", "boston", "employment", "2006", "out-of-sample", 9.0),  # 2003 and later: not read
        ("default", "boston", "employment_census", "1999-08", "context", 9.0),  # context: not read
        ("default", "boston", "firms_census", "1993", "in-sample", 9.0),  # firms: not jobs
    ]
    figures = pd.DataFrame(rows, columns=["point", "cluster", "metric", "date", "sample", "ratio"])
    assert ets.early_jobs(figures).loc["default", "boston"] == pytest.approx(0.6)


@pytest.mark.parametrize("name", ["era_teams_scan", "early_money_scan"])
def test_each_point_sets_a_constant_of_the_package_above_its_default(name):
    from ecosim.constants import Constants, with_overrides

    points = experiment(name).POINTS
    assert points[0][0] == "default" and points[0][2] == {}
    for _, _, overrides in points[1:]:
        ((constant, value),) = overrides.items()
        assert value > getattr(Constants(), constant) == 1.0  # a multiple above the default's 1
        with_overrides(Constants(), overrides)  # a constant of its type


def test_the_early_money_scan_runs_from_its_command_line(tmp_path):
    # One seed to 1998: every cluster's first jobs figure in sample is dated by then.
    import subprocess
    import sys

    from helpers import ROOT

    out = tmp_path / "scan"
    command = [sys.executable, "experiments/early_money_scan.py", "--seeds", "1", "--until", "1998"]
    done = subprocess.run([*command, "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    kinds = pd.read_csv(out / "kinds.csv")
    assert len(kinds) == 12  # 4 points x 3 clusters
    assert (kinds["every_kind"] - kinds["drug_industry"] - kinds["the_rest"]).abs().max() < 1e-6
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and "Read after the run (post hoc, outside the rule)" in readme


@pytest.mark.parametrize(
    ("rows", "reading"),
    [
        ({"both x2": (0.6, 0.5, 0.8)}, "together"),  # the pair nearer everywhere, no single
        ({"both x3": (0.6, 0.5, 0.8)}, "together"),
        ({"rounds x2": (0.6, 0.5, 0.8), "both x2": (0.6, 0.5, 0.8)}, "one alone"),  # a single suffices
        ({"graduates x2": (0.6, 0.5, 0.8)}, "one alone"),
        ({"both x2": (0.6, 0.5, 0.6)}, "not supported"),  # San Diego farther
        ({}, "not supported"),
    ],
)
def test_the_money_and_people_rule_stated_before_the_run(rows, reading):
    mps = experiment("money_and_people_scan")
    labels = [label for label, _, _, _ in mps.POINTS]
    table = {label: (0.4, 0.4, 0.6) for label in labels}  # every point farther than the default
    table["default"] = BASE
    table.update(rows)
    jobs = pd.DataFrame.from_dict(table, orient="index", columns=["boston", "bay_area", "san_diego"])
    firms = pd.Series(dict.fromkeys(labels, 10))
    assert mps.reading(jobs.reindex(labels), firms.reindex(labels))[0] == reading
