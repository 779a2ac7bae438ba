"""experiments/japan_money_scan.py: would Japan-sized venture finance make Greater Tokyo's flows Japan's?

The rule (the script's docstring) is checked on hand-built tables with exact expectations, the points
and the money's limits on the sourced constants and data, and the script through its command line on a
tiny budget (one seed, one Japanese scenario).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from helpers import ROOT, experiment

from ecosim.constants import fitted, with_overrides
from ecosim.money import to_model_usd


@pytest.fixture(scope="module")
def scan():
    return experiment("japan_money_scan")


def row(point, money="met", foundings="met", exits="met", ends=7):
    return {
        "point": point,
        "money": 200.0,
        "money_state": money,
        "foundings": 30.0,
        "foundings_state": foundings,
        "exits": 0.05,
        "exits_state": exits,
        "end_points_within_25pct": ends,
        "end_points": 7,
    }


def test_the_reading_follows_the_rule_stated_before_running(scan):
    default = row("default", money="over", foundings="over", ends=6)

    def read(*rows):
        return scan.verdict(pd.DataFrame([default, *rows]))[0]

    assert "are not, together" in read(row(scan.FINANCE, money="over"))
    # a group that meets the money alone is named, though the rule reads the point with all of them
    named = read(row("Japan's rounds"), row(scan.FINANCE, money="over"))
    assert "are not, together" in named and "`Japan's rounds`" in named
    assert "venture money is not what drives" in read(row(scan.FINANCE, foundings="over"))
    assert "is why Greater Tokyo's flows are not Japan's" in read(row(scan.FINANCE, ends=6))
    assert "pulls against the fitted constants" in read(row(scan.FINANCE, ends=5))
    assert "did not name" in read(row(scan.FINANCE, exits="over"))


def test_the_points_set_the_sourced_values_and_all_of_them_together(scan):
    points = {label: constants for label, _, constants in scan.points()}
    c = fitted()
    assert points["default"] == {}
    rounds = points["Japan's rounds"]["round_size_musd"]
    assert rounds == pytest.approx(
        [s * r for s, r in zip(c.round_size_musd, (0.2, 0.2, 0.15, 0.15), strict=True)]
    )
    assert points["Japan's listings"] == {"ipo_raise_share": 0.14}
    assert points["no founders' funds"] == {"release_vc_share": 0.0}
    assert points["Japan's funds"] == {"vc_fund_musd": 50.0, "vc_fund_max_musd": 170.0}
    outside = points["Japan's outside money"]["outside_capital_musd_year"]
    assert outside == pytest.approx(c.outside_capital_musd_year * 0.7 / 22)
    together = {
        k: v for label, constants in points.items() if label != scan.FINANCE for k, v in constants.items()
    }
    assert points[scan.FINANCE] == together
    # every point's constants are constants of the package (with_overrides checks them)
    for constants in points.values():
        with_overrides(c, constants)


def test_the_money_is_read_against_the_region_s_estimate_within_the_factor(scan):
    low, high = scan.money_band(scan.pattern.load_data())
    estimate = to_model_usd(33000, "JPY", 2021)  # GTB's JPY 33 bn a year
    assert (low, high) == pytest.approx((estimate / 1.5, estimate * 1.5))


def test_a_founding_is_counted_by_its_channel_in_the_foundings_year(scan):
    firms = pd.DataFrame(
        {
            "origin": ["academic", "academic", "spinout", "academic", "release"],
            "founded_year": [2023.0, 2023.9, 2023.5, 2024.0, 2022.99],
        }
    )
    assert [scan.founded(firms, o) for o in scan.FOUNDING_ORIGINS] == [2.0, 1.0, 0.0]


def test_japan_money_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "scan"
    command = [sys.executable, str(ROOT / "experiments" / "japan_money_scan.py"), "--seeds", "1"]
    command += ["--japanese", "shonan", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    points = pd.read_csv(out / "points.csv").set_index("point")
    # Smaller rounds raise less money than the default's.
    assert points.loc["Japan's rounds", "money"] < points.loc["default", "money"]
    ends = pd.read_csv(out / "end_points.csv")
    assert set(ends["figure"].str.split("@").str[0]) == {"firms_census", "workforce_census"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["scenarios"]) == {"greater_tokyo", "shonan"}
    assert manifest["points"]["Japan's listings"] == {"ipo_raise_share": 0.14}
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and "## The Japanese end points" in readme
