"""experiments/private_growth_scan.py: its points change only the listing fade and the round sizes,
its reading follows the rule stated before it ran (hand-built tables, exact verdicts), and it runs
through its command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from helpers import ROOT, experiment

from ecosim.constants import fitted


@pytest.fixture(scope="module")
def growth():
    return experiment("private_growth_scan")


def test_the_points_set_the_fade_and_scale_every_round(growth):
    points = {label: changes for label, _, changes in growth.POINTS}
    sizes = fitted().round_size_musd
    assert points["default"] == {} and points["fade 2"] == {"ipo_news_fade_year": 2.0}
    assert points["fade 2, rounds x3"] == {
        "ipo_news_fade_year": 2.0,
        "round_size_musd": tuple(3 * s for s in sizes),
    }
    assert points["fade 1, rounds x2"]["ipo_news_fade_year"] == 1.0


def table(*rows):
    columns = (
        "point",
        "ipo_counts_within_x1.5",
        "timing_met",
        "end_points_within_25pct",
        "in-sample_within_x1.5",
    )
    rest = {
        "ipo_counts": 5,
        "ipo_count_ratio_median": 1.0,
        "out-of-sample_within_x1.5": 24,
        "out-of-sample_figures": 50,
        "employment_ratio_median": 0.8,
    }
    return pd.DataFrame([dict(zip(columns, row, strict=True)) | rest for row in rows])


def test_the_reading_follows_the_rule_stated_before_running(growth):
    default, alone = ("default", 0, True, 5, 10), ("fade 2", 3, True, 2, 9)
    carried = growth.verdict(table(default, alone, ("fade 2, rounds x2", 3, True, 5, 10)))
    assert carried[0].startswith("Private money carries the jobs") and "`fade 2, rounds x2`" in carried[0]
    assert carried[2].startswith("- `fade 2, rounds x2`: IPO counts 3 of 5")
    part = growth.verdict(table(default, alone, ("fade 2, rounds x2", 3, True, 4, 10)))
    assert part[0].startswith("Private money carries part of the jobs")
    # Fewer counts than 3 at every point with larger rounds: they list again.
    again = growth.verdict(table(default, alone, ("fade 2, rounds x2", 2, True, 6, 12)))
    assert "list again" in again[0]
    # Counts and timing met, but no more end points than fading alone: nothing restored.
    none = growth.verdict(table(default, alone, ("fade 2, rounds x2", 3, True, 2, 12)))
    assert none[0].startswith("Larger rounds do not restore")
    # The timing missed: not the first or second reading.
    missed = growth.verdict(table(default, alone, ("fade 2, rounds x2", 4, False, 6, 12)))
    assert missed[0].startswith("Larger rounds do not restore")


def test_the_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "scan"
    command = [sys.executable, str(ROOT / "experiments" / "private_growth_scan.py"), "--seeds", "1"]
    command += ["--until", "1993", "--points", "fade 2", "--workers", "1", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    points = pd.read_csv(out / "points.csv")
    assert list(points["point"]) == ["default", "fade 2"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["points"]["fade 2"] == {"ipo_news_fade_year": 2.0}
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and "cannot be read" in readme
