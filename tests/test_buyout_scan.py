"""experiments/buyout_scan.py: its points change only the buy-outs, its reading follows the rule
stated before it ran (hand-built tables, exact verdicts), and it runs through its command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from helpers import ROOT, experiment

from ecosim.constants import fitted


@pytest.fixture(scope="module")
def buyout():
    return experiment("buyout_scan")


def test_the_points_scale_the_buyout_shares_and_the_listed_appetite_alone(buyout):
    points = {label: changes for label, _, changes in buyout.POINTS}
    shares = fitted().buyout_share
    assert points["default"] == {}
    assert points["buy-outs x2"] == {"buyout_share": tuple(2 * s for s in shares)}
    # Four times, each a share, so at most 1 (the late stage's 0.2 -> 0.8).
    assert points["buy-outs x4"]["buyout_share"] == tuple(min(1.0, 4 * s) for s in shares)
    assert points["listed x2"] == {"listed_deal_appetite": 2 * fitted().listed_deal_appetite}
    assert set(points["buy-outs x4, listed x2"]) == {"buyout_share", "listed_deal_appetite"}


def table(*rows):
    columns = (
        "point",
        "ipo_count_ratio_median",
        "timing_met",
        "listed_levels_met",
        "in-sample_within_x1.5",
        "end_points_within_25pct",
    )
    rest = {
        "listed_levels": 8,
        "listed_bounds_met": 0,
        "listed_bounds": 3,
        "out-of-sample_within_x1.5": 24,
        "out-of-sample_figures": 50,
    }
    return pd.DataFrame([dict(zip(columns, row, strict=True)) | rest for row in rows])


def test_nearer_means_at_least_a_quarter_nearer_one_either_side(buyout):
    assert buyout.nearer(2.72, 3.4) and not buyout.nearer(2.73, 3.4)  # 3.4 / 1.25 = 2.72
    assert buyout.nearer(1 / 2.72, 3.4) and not buyout.nearer(0.25, 3.4)  # an overshoot counts
    assert not buyout.nearer(1.0, 1.1)  # already within: nothing is 1.25 times nearer


def test_the_reading_follows_the_rule_stated_before_running(buyout):
    default = ("default", 3.4, True, 5, 10, 5)
    cause = buyout.verdict(table(default, ("buy-outs x2", 2.0, True, 5, 10, 5)))
    assert cause[0].startswith("Too few buy-outs are a cause") and "`buy-outs x2`" in cause[0]
    assert cause[2].startswith("- `buy-outs x2`: IPO counts x3.40 -> x2.00; timing met")
    assert "New England's bounds 0 -> 0 of 3" in cause[2]
    # Nearer counts at a cost: the timing, a listed level, an in-sample figure or an end point lost.
    for cost in (
        ("buy-outs x2", 2.0, False, 5, 10, 5),
        ("buy-outs x2", 2.0, True, 4, 10, 5),
        ("buy-outs x2", 2.0, True, 5, 9, 5),
        ("buy-outs x2", 2.0, True, 5, 10, 4),
    ):
        reading = buyout.verdict(table(default, cost))
        assert reading[0].startswith("Buy-outs trade the IPO counts"), cost
    # Not nearer by the margin (x3.0 is 1.13 times nearer than x3.4), or farther on the other side:
    # not the cause, whatever else the point meets.
    for far in (("buy-outs x4", 3.0, True, 8, 12, 6), ("buy-outs x4", 0.25, True, 8, 12, 6)):
        assert "not what sets" in buyout.verdict(table(default, far))[0], far
    assert "cannot be read" in buyout.verdict(table(("default", None, False, 0, 4, 0)))[0]


def test_the_exits_table_reads_acquisitions_ipo_shares_and_the_listed_counts(buyout):
    points = pd.DataFrame({"point": ["default", "buy-outs x2"]})
    exits = pd.DataFrame(
        [
            {"point": p, "cluster": c, "exits_dated": span, "ipos_per_run": ipos, "acquisitions_per_run": acq}
            for p, ipos, acq in (("default", 90.0, 10.0), ("buy-outs x2", 60.0, 40.0))
            for c in ("boston", "bay_area", "san_diego")
            for span in ("window", "all")
        ]
    )

    def listed(point, met, comparison="about", sample="out-of-sample", metric="firms_listed"):
        return {
            "point": point,
            "metric": metric,
            "sample": sample,
            "comparison": comparison,
            "within_factor_1_5": met,
        }

    figures = pd.DataFrame(
        [
            listed("default", True),
            listed("default", False),
            listed("default", False, "below"),
            listed("default", None, sample="context"),
            listed("default", True, metric="exits_ipo"),
            listed("buy-outs x2", True),
            listed("buy-outs x2", True),
            listed("buy-outs x2", True, "below"),
        ]
    )
    out = buyout.with_exits(points, exits, figures).set_index("point")
    assert (
        out.loc["default", "ipo_share_boston"] == 0.9 and out.loc["buy-outs x2", "ipo_share_san_diego"] == 0.6
    )
    assert out.loc["buy-outs x2", "acquisitions_per_run_bay_area"] == 40.0
    assert list(out["listed_levels_met"]) == [1, 2] and list(out["listed_levels"]) == [2, 2]
    assert list(out["listed_bounds_met"]) == [0, 1] and list(out["listed_bounds"]) == [1, 1]


def test_the_scan_runs_through_its_command_line(tmp_path):
    out = tmp_path / "scan"
    command = [
        sys.executable,
        str(ROOT / "experiments" / "buyout_scan.py"),
        "--seeds",
        "1",
        "--until",
        "1993",
    ]
    command += ["--points", "buy-outs x2", "--workers", "1", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    points = pd.read_csv(out / "points.csv")
    assert list(points["point"]) == ["default", "buy-outs x2"] and "listed_levels_met" in points
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["points"]["buy-outs x2"] == {"buyout_share": [2 * s for s in fitted().buyout_share]}
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and "cannot be read" in readme and "| buy-outs x2 |" in readme
