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


def rows(point: str, met: bool, ratio: float, sample: str = "out-of-sample", metric: str = "exits_ipo"):
    return {
        "point": point,
        "cluster": "boston",
        "metric": metric,
        "date": "2013",
        "sample": sample,
        "comparison": "about",
        "ratio": ratio,
        "within_factor_1_5": met,
    }


def test_holm_adjusts_a_family_step_down_and_leaves_the_rest_out(predictive):
    """Textbook: 0.005 x 4, 0.01 x 3, 0.03 x 2 = 0.06, 0.04 x 1 raised to 0.06 (non-decreasing)."""
    adjusted = predictive.holm(pd.Series([0.01, 0.04, 0.03, math.nan, 0.005]))
    assert adjusted.iloc[[0, 1, 2, 4]].tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert math.isnan(adjusted.iloc[3])
    assert predictive.holm(pd.Series([0.6, 0.7])).tolist() == [1.0, 1.0]  # at most 1


def test_the_reading_follows_the_rule_stated_before_running(predictive):
    """Ten draws and ten seed sets of the default. Six draws meet the figure and no seed set: one-sided
    Fisher p = C(10,6)/C(20,6) = 210/38760, within reach; five seed sets too: not told apart from the
    seeds' noise; no draw: out of reach."""
    assert predictive.reading(True, 0, math.nan) == "met at the default"
    assert predictive.reading(False, 0, 1.0) == "out of the posterior's reach"
    assert predictive.reading(False, 3, 0.049) == "within the posterior's reach"
    assert predictive.reading(False, 3, 0.05) == "not told apart from the seeds' noise"
    assert predictive.more_often(6, 10, 0, 10) == pytest.approx(210 / 38760)

    def world(draws_met: int, sets_met: int) -> pd.Series:
        figures = pd.DataFrame(
            [rows("default", False, 3.2)]
            + [rows(f"draw {i}", i < draws_met, 1.2 if i < draws_met else 3.0) for i in range(10)]
            + [rows("default", True, 1.0, "context")]  # context rows are not read
        )
        noise = pd.DataFrame([rows(f"seeds {i}-{i}", i < sets_met, 2.0) for i in range(10)])
        reach = predictive.reach_table(figures, noise)
        assert len(reach) == 1
        return reach.iloc[0]

    row = world(6, 0)
    assert row["reading"] == "within the posterior's reach" and row["draws_met"] == 6
    assert row["p_holm"] == pytest.approx(210 / 38760) and row["seed_sets_meeting"] == 0.0
    assert row["default_ratio"] == 3.2 and row["draws_median"] == pytest.approx(1.2)
    assert (row["draws_low"], row["draws_high"]) == predictive.interval(6, 10)
    assert world(6, 5)["reading"] == "not told apart from the seeds' noise"
    assert world(0, 0)["reading"] == "out of the posterior's reach"


def test_holm_is_applied_over_the_missed_figures_only(predictive):
    """Two missed figures, each met by 6 of 10 draws and no seed set: each raw p 210/38760, doubled
    by Holm; a figure the default meets is not in the family."""
    figures, noise = [], []
    for metric, default_met in (("exits_ipo", False), ("employment", False), ("firms_active", True)):
        figures += [rows("default", default_met, 3.0, metric=metric)]
        figures += [rows(f"draw {i}", i < 6, 1.0, metric=metric) for i in range(10)]
        noise += [rows(f"seeds {i}-{i}", False, 3.0, metric=metric) for i in range(10)]
    reach = predictive.reach_table(pd.DataFrame(figures), pd.DataFrame(noise)).set_index("metric")
    assert reach.loc["exits_ipo", "p_holm"] == pytest.approx(2 * 210 / 38760)
    assert math.isnan(reach.loc["firms_active", "p_holm"])


def test_each_point_is_counted_for_the_figures_it_meets_together(predictive):
    """The default misses two figures (one within reach); a draw meets both, a seed set the one within
    reach alone."""
    figures = pd.DataFrame(
        [
            rows("default", False, 3.0),
            rows("default", False, 0.5, metric="employment"),
            rows("default", True, 1.0, "in-sample", metric="firms_active"),
            rows("draw 1", True, 1.0),
            rows("draw 1", True, 1.0, metric="employment"),
            rows("draw 1", False, 2.0, "in-sample", metric="firms_active"),
        ]
    )
    noise = pd.DataFrame(
        [rows("seeds 301-308", True, 1.4), rows("seeds 301-308", False, 2, metric="employment")]
    )
    reach = pd.DataFrame(
        {
            "cluster": ["boston"] * 3,
            "metric": ["exits_ipo", "employment", "firms_active"],
            "date": ["2013"] * 3,
            "default_met": [False, False, True],
            "reading": ["within the posterior's reach", "out of the posterior's reach", "met at the default"],
        }
    )
    counts = predictive.together(figures, noise, reach).set_index("point")
    assert counts.loc["default"].tolist() == ["default", 1, 0, 0, 0]
    assert counts.loc["draw 1"].tolist() == ["draw", 0, 2, 2, 1]
    assert counts.loc["seeds 301-308"].tolist() == ["seed set", 0, 1, 1, 1]


def test_the_post_hoc_reading_counts_the_draws_level_in_sample_and_their_out_of_sample_figures(predictive):
    counts = pd.DataFrame(
        {
            "point": ["default", "draw 1", "draw 2", "draw 3", "seeds 1-1", "seeds 2-2"],
            "kind": ["default", "draw", "draw", "draw", "seed set", "seed set"],
            "in-sample": [10, 10, 11, 9, 10, 10],
            "out-of-sample": [21, 30, 20, 40, 19, 24],
        }
    )
    text = " ".join(predictive.after_the_run(counts))
    assert "2 of the 3 draws meet at least as many in-sample figures as the default (10)" in text
    assert "1 of them more out-of-sample figures than it (21)" in text  # draw 3's 40 is not level
    assert "those 2 meet 20-30 (median 25) out of sample" in text and "19-24 (median 21.5)" in text
    assert "and 1 of them more than any of those seed sets" in text  # draw 1's 30 over 24


def test_the_prediction_is_read_claim_by_claim(predictive):
    out = [("boston", "firms_census", d) for d in ("2000", "2004-07", "2020")]
    out += [("boston", "incubator_tenants", "2020"), ("bay_area", "employment_census", "2002")]
    reach = pd.DataFrame(
        [
            {
                "cluster": c,
                "metric": m,
                "date": d,
                "default_met": False,
                "reading": "out of the posterior's reach",
            }
            for c, m, d in out
        ]
        + [
            {
                "cluster": "boston",
                "metric": "exits_ipo",
                "date": str(y),
                "default_met": False,
                "reading": "within the posterior's reach",
            }
            for y in (2013, 2017, 2018)
        ]
    )
    counts = pd.DataFrame({"kind": ["default", "draw", "draw"], "misses_met": [0, 3, 5]})
    lines = predictive.prediction(reach, counts)
    assert lines[0].startswith("- The first round's five out of reach stay out: held")
    assert "failed (3 of 3" in lines[1]  # three within reach, four asked
    assert "failed (3 of 8)" in lines[2]
    assert "failed (at most 5 of 8)" in lines[3]


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
        "not told apart from the seeds' noise",
        "out of the posterior's reach",
    }
    assert len(reach) > 0 and (reach["date"].astype(str).str[:4].astype(int) <= 1995).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds"] == [1] and len(manifest["points"]) == 3  # results/history's first seed
    assert manifest["particles"] == "results/posterior/particles.csv"
    assert manifest["noise_seeds"] == [301, 302]  # the default on as many other seed sets as draws
    assert reach["seed_sets_meeting"].between(0, 1).all()
    counts = pd.read_csv(out / "counts.csv")
    assert counts["kind"].value_counts().to_dict() == {"default": 1, "draw": 2, "seed set": 2}
    assert set(pd.read_csv(out / "seed_sets.csv")["point"]) == {"seeds 301-301", "seeds 302-302"}
    assert "## Reading" in (out / "README.md").read_text()


@pytest.mark.parametrize("case", ["a damaged sample", "a year before every dated figure"])
def test_bad_input_is_one_line_exit_code_2_and_nothing_written(tmp_path, case):
    """A damaged sample, or an --until before every dated figure (checked before any point runs)."""
    bad = tmp_path / "particles.csv"
    bad.write_text("not,a,sample\n1,2,3\n")
    options = (
        ("--particles", str(bad)) if case == "a damaged sample" else ("--draws", "50", "--until", "1980")
    )
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "experiments" / "predictive_scan.py"),
            *options,
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    said = str(bad) if case == "a damaged sample" else "--until 1980: no dated figure"
    assert done.stderr.startswith("error: ") and said in done.stderr
    assert not (tmp_path / "o").exists()


def test_the_committed_scan_reads_results_history_s_own_default():
    """Run on results/history's seeds, the default's row of every judged figure is results/history's
    own: the same ratio and the same verdict, so its misses are comparison.csv's."""
    reach = pd.read_csv(ROOT / "results" / "history" / "predictive_scan" / "reach.csv", dtype={"date": str})
    history = pd.read_csv(ROOT / "results" / "history" / "comparison.csv", dtype={"date": str})
    judged = history[history["sample"] != "context"]
    both = judged.merge(reach, on=["cluster", "metric", "date"])
    assert len(both) == len(judged) == len(reach)
    assert (both["ratio"] == both["default_ratio"]).all()
    assert (both["within_factor_1_5"].astype(bool) == both["default_met"]).all()
