"""experiments/predictive_scan.py: its draws set every free constant from the posterior sample, its
reading follows the rule stated before it ran (hand-built tables, exact verdicts), and it runs
through its command line."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pandas as pd
import pytest
from helpers import ROOT, experiment

from ecosim import posterior
from ecosim.constants import FREE


@pytest.fixture(scope="module")
def predictive():
    return experiment("predictive_scan")


def test_the_draws_set_all_fifteen_constants_from_the_posterior_sample(predictive):
    sample = posterior.read_sample(ROOT / "results" / "posterior" / "particles.csv", FREE)
    points = predictive.points_of(sample, 3)
    assert points[0] == ("default", "the package default", {})
    logs = sample[list(FREE)].to_numpy()
    for _, _, values in points[1:]:
        assert set(values) == set(FREE)
        drawn = [math.log(values[name]) for name in FREE]
        assert any(all(abs(a - b) < 1e-6 for a, b in zip(drawn, row, strict=True)) for row in logs)


def rows(point: str, met: bool, ratio: float, sample: str = "out-of-sample") -> dict[str, object]:
    return {
        "point": point,
        "cluster": "boston",
        "metric": "exits_ipo",
        "date": "2013",
        "sample": sample,
        "comparison": "about",
        "ratio": ratio,
        "within_factor_1_5": met,
    }


def test_the_reading_follows_the_rule_stated_before_running(predictive):
    """Ten draws: a missed figure met by at least 10% of them is within reach, by none out of reach,
    by fewer than 10% (never here, with ten draws, but by one of eleven) barely reached."""
    assert predictive.reading(True, 0.0) == "met at the default"
    assert predictive.reading(False, 0.1) == "within the posterior's reach"
    assert predictive.reading(False, 0.0) == "out of the posterior's reach"
    assert predictive.reading(False, 1 / 11) == "barely reached"
    figures = pd.DataFrame(
        [rows("default", False, 3.2)]
        + [rows(f"draw {i}", i < 2, 1.2 if i < 2 else 3.0) for i in range(10)]
        + [rows("default", True, 1.0, "context")]  # context rows are not read
    )
    reach = predictive.reach_table(figures)
    assert len(reach) == 1
    row = reach.iloc[0]
    assert row["draws_meeting"] == 0.2 and row["reading"] == "within the posterior's reach"
    assert row["default_ratio"] == 3.2 and row["draws_median"] == 3.0
    figures["within_factor_1_5"] = [False] * 11 + [True]
    assert predictive.reach_table(figures).iloc[0]["reading"] == "out of the posterior's reach"


def test_the_noise_check_names_the_figures_the_draws_meet_no_more_often_than_the_default_s_seeds(
    predictive,
):
    reach = pd.DataFrame(
        {
            "cluster": ["boston", "boston", "bay_area", "san_diego"],
            "metric": ["exits_ipo", "employment", "firms_census", "firms_census"],
            "date": ["2013", "2002", "2002", "2002"],
            "default_met": [False, False, False, True],
            "reading": ["within the posterior's reach"] * 2
            + ["out of the posterior's reach", "met at the default"],
            "draws_meeting": [0.2, 0.3, 0.0, 0.9],
            "default_seeds_meeting": [0.2, 0.1, 0.0, 0.9],
        }
    )
    assert list(predictive.noise_only(reach)["metric"]) == ["exits_ipo"]  # 20% against 20%: noise may do it


def test_the_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "predictive_scan"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "experiments" / "predictive_scan.py"),
            *("--draws", "2", "--seeds", "1", "--until", "1995", "--out", str(out)),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    reach = pd.read_csv(out / "reach.csv")
    assert set(reach["reading"]) <= {
        "met at the default",
        "within the posterior's reach",
        "barely reached",
        "out of the posterior's reach",
    }
    assert len(reach) > 0 and (reach["date"].astype(str).str[:4].astype(int) <= 1995).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds"] == [201] and len(manifest["points"]) == 3
    assert manifest["particles"] == "results/posterior/particles.csv"
    assert manifest["noise_seeds"] == [301, 302]  # the default on as many other seed sets as draws
    assert reach["default_seeds_meeting"].between(0, 1).all()
    assert "## Reading" in (out / "README.md").read_text()


def test_a_damaged_sample_is_one_line_and_exit_code_2(tmp_path):
    bad = tmp_path / "particles.csv"
    bad.write_text("not,a,sample\n1,2,3\n")
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "experiments" / "predictive_scan.py"),
            *("--particles", str(bad), "--out", str(tmp_path / "o")),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and str(bad) in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "o").exists()
