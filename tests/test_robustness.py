"""Which lever is robustly best: the robust design, paired effects, rank probabilities, PRIM."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_sweep_support import write_spec

from ecosim import robustness, sweep
from ecosim.scenario import ScenarioError

DESIGN = {
    "type": "robust",
    "levers": ["a", "b"],
    "samples": 3,
    "seed": 1,
    "parameters": {"factors.hub_leadership": {"low": 0.2, "high": 0.8}},
}


def test_robust_design_runs_no_lever_and_each_lever_in_every_state(tmp_path):
    plan = sweep.plan(write_spec(tmp_path, design=DESIGN), allow_runner=True)
    names = [arm.name for arm in plan.arms]
    assert names == [
        "u0000",
        "u0000+a",
        "u0000+b",
        "u0001",
        "u0001+a",
        "u0001+b",
        "u0002",
        "u0002+a",
        "u0002+b",
    ]
    by_name = {arm.name: arm for arm in plan.arms}
    for state in ("u0000", "u0001", "u0002"):
        settings = {by_name[n].settings for n in (state, f"{state}+a", f"{state}+b")}
        assert len(settings) == 1  # one state of the world for the three arms
    assert by_name["u0001+b"].levers == ("b",) and by_name["u0001"].levers == ()
    hub = sorted(dict(by_name[s].settings)["factors.hub_leadership"] for s in ("u0000", "u0001", "u0002"))
    assert [int((h - 0.2) / 0.6 * 3) for h in hub] == [0, 1, 2]  # a Latin hypercube
    keys = {task.arm.name: task.run.seed.spawn_key for task in plan.tasks if task.replication == 1}
    assert keys["u0001"] == keys["u0001+a"] == keys["u0001+b"] == (1, 1)  # paired within a state
    assert len({keys["u0000"], keys["u0001"], keys["u0002"]}) == 3  # independent across states


def test_robust_design_refuses_an_unknown_lever(tmp_path):
    with pytest.raises(ScenarioError) as error:
        sweep.plan(write_spec(tmp_path, design={**DESIGN, "levers": ["a", "zz"]}), allow_runner=True)
    assert error.value.field == "design.levers" and "zz" in str(error.value)


def _values(table: dict[tuple[str, int], float]) -> pd.DataFrame:
    rows = [{"arm": arm, "replication": r, "m": v} for (arm, r), v in table.items()]
    return pd.DataFrame(rows)


def test_effects_pair_each_lever_with_no_lever_of_its_state_and_seed():
    values = _values(
        {
            ("u0000", 0): 10.0,
            ("u0000", 1): 20.0,
            ("u0000+a", 0): 13.0,
            ("u0000+a", 1): 21.0,
            ("u0001", 0): 100.0,
            ("u0001+a", 0): 90.0,
        }
    )
    eff = robustness.effects(values, "m").sort_values(["state", "replication"])
    assert eff["effect"].tolist() == [3.0, 1.0, -10.0]
    assert eff["lever"].tolist() == ["a", "a", "a"]


def _robust_values(effects: list[tuple[float, float]], jitters: list[list[float]]) -> pd.DataFrame:
    """Runs of levers a and b (effects per state) with per-replication jitter of b."""
    rows = {}
    for state, (ea, eb) in enumerate(effects):
        for r, jitter in enumerate(jitters[state]):
            rows[(f"u{state:04d}", r)] = 0.0
            rows[(f"u{state:04d}+a", r)] = ea + 0.1 * (r - 1)
            rows[(f"u{state:04d}+b", r)] = eb + jitter
    return _values(rows)


def test_rank_probabilities_and_clear_firsts():
    # a beats b clearly in states 0 and 1; b beats a in state 2, but only by the seeds' noise
    values = _robust_values(
        [(10.0, 1.0), (10.0, 1.0), (1.0, 1.5)], [[0.0, 0.0, 0.0]] * 2 + [[-3.0, 0.0, 4.5]]
    )
    eff = robustness.effects(values, "m")
    ranks = robustness.rank_first(eff, ["a", "b"]).set_index("lever")
    assert ranks.loc["a", "probability_first"] == pytest.approx(2 / 3)
    assert ranks.loc["b", "probability_first"] == pytest.approx(1 / 3)
    assert ranks.loc["a", "clear_share"] == 1.0
    assert ranks.loc["b", "clear_share"] == 0.0  # b's first is inside the seeds' noise
    summary = robustness.lever_summary(eff, ["a", "b"]).set_index("lever")
    assert summary.loc["a", "mean"] == pytest.approx(7.0)
    assert summary.loc["a", "ci_low"] < 7.0 < summary.loc["a", "ci_high"]


def test_no_clear_first_is_claimed_below_three_replications():
    values = _robust_values([(10.0, 1.0), (10.0, 1.0)], [[0.0, 0.0]] * 2)
    ranks = robustness.rank_first(robustness.effects(values, "m"), ["a", "b"]).set_index("lever")
    assert ranks.loc["a", "probability_first"] == 1.0
    assert np.isnan(ranks.loc["a", "clear_share"])


def test_ties_are_split_not_credited_to_the_first_listed_lever():
    values = _robust_values([(2.0, 2.0), (2.0, 2.0)], [[0.0, 0.0, 0.0]] * 2)
    values.loc[values["arm"].str.endswith("+a"), "m"] = 2.0  # exactly tied with b
    ranks = robustness.rank_first(robustness.effects(values, "m"), ["a", "b"]).set_index("lever")
    assert ranks["probability_first"].tolist() == [0.5, 0.5]


def test_the_interval_of_a_rank_probability_is_never_of_zero_width():
    values = _robust_values([(10.0, 1.0)] * 4, [[0.0, 0.0, 0.0]] * 4)
    ranks = robustness.rank_first(robustness.effects(values, "m"), ["a", "b"]).set_index("lever")
    assert ranks.loc["b", "probability_first"] == 0.0 and ranks.loc["b", "high"] > 0.2
    assert ranks.loc["a", "low"] < 0.8 and ranks.loc["a", "high"] == 1.0


def test_a_state_with_a_failed_run_is_left_out_of_the_ranking():
    values = _robust_values([(10.0, 1.0), (1.0, 10.0), (1.0, 10.0)], [[0.0, 0.0, 0.0]] * 3)
    values = values[values["arm"] != "u0001+b"]  # every run of b failed in state 1: it cannot lose there
    values = values[~((values["arm"] == "u0002+a") & (values["replication"] == 2))]  # one run of a
    ranks = robustness.rank_first(robustness.effects(values, "m"), ["a", "b"]).set_index("lever")
    assert ranks.loc["a", "states"] == 2  # state 1 left out, state 2 kept on its complete replications
    assert ranks.loc["a", "probability_first"] == 0.5 and ranks.loc["b", "probability_first"] == 0.5


def test_the_order_of_the_top_two_is_claimed_only_when_the_interval_supports_it():
    clear = _robust_values([(10.0, 1.0), (11.0, 2.0), (9.0, 1.5)], [[0.0, 0.0, 0.0]] * 3)
    pair = robustness.top_two(robustness.effects(clear, "m"), ["a", "b"])
    assert (pair["first"], pair["second"], pair["separable"]) == ("a", "b", True)
    close = _robust_values([(5.0, 1.0), (1.0, 5.5), (3.0, 3.0)], [[0.0, 0.0, 0.0]] * 3)
    pair = robustness.top_two(robustness.effects(close, "m"), ["a", "b"])
    assert not pair["separable"] and pair["ci_low"] < 0 < pair["ci_high"]


def test_prim_finds_the_assumption_under_which_a_lever_leads():
    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.random((200, 3)), columns=["budget", "price", "noise"])
    first = (x["budget"] > 0.6).to_numpy()
    box = robustness.prim_box(x, first)
    assert box is not None
    assert [limit["parameter"] for limit in box["limits"]] == ["budget"]
    assert 0.4 < box["limits"][0]["low"] < 0.65
    assert box["density"] >= robustness.DENSITY and box["coverage"] > 0.9
    assert robustness.prim_box(x, np.ones(200, dtype=bool)) is None  # first everywhere: no box


def test_prim_reports_no_box_for_noise():
    rng = np.random.default_rng(3)
    x = pd.DataFrame(rng.random((32, 14)), columns=[f"p{i}" for i in range(14)])
    found = [robustness.prim_box(x, rng.random(32) < 0.3) for _ in range(20)]
    assert sum(box is not None for box in found) <= 2  # at most the test's own 5% error, twice over


def test_the_report_of_a_robust_sweep_through_the_cli(tmp_path):
    import subprocess
    import sys

    spec = write_spec(tmp_path, design={**DESIGN, "samples": 4}, replications=3)
    command = [sys.executable, "-c", "import sys; from ecosim.cli import main; sys.exit(main(sys.argv[1:]))"]
    runs, out = tmp_path / "runs", tmp_path / "report"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [*command, "sweep", str(spec), "--out", str(runs), "--workers", "1", "--allow-runner", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [*command, "report", str(runs), "--out", str(out)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    ranks = pd.read_csv(out / "rank_first.csv")
    first = ranks[ranks["metric"] == "startups_founded"].set_index("lever")
    assert first.loc["a", "probability_first"] == 1.0 and first.loc["a", "clear_share"] == 1.0
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "their order is established" in readme  # a's effect (3 a year) beats b's (1) in every state
    assert (out / "rank_first.png").stat().st_size > 0


def test_the_policy_reading_says_only_what_the_tables_support():
    from types import SimpleNamespace

    from ecosim import i18n, report

    effects = pd.DataFrame(
        {
            "metric": ["m"] * 3,
            "lever": ["a", "b", "c"],
            "mean": [5.0, -3.0, 1.0],
            "ci_low": [2.0, -5.0, -1.0],
            "ci_high": [8.0, -1.0, 3.0],
        }
    )
    ranks = pd.DataFrame(
        {"metric": ["m"] * 3, "lever": ["a", "b", "c"], "probability_first": [0.4, 0.2, 0.4]}
    )
    pairs = pd.DataFrame([{"metric": "m", "first": "a", "second": "c", "separable": False}])
    tables = {"lever_effects": effects, "rank_first": ranks, "top_two": pairs, "prim_boxes": pd.DataFrame()}
    names = SimpleNamespace(lever=lambda name: f"lever {name.upper()}")
    lines = "\n".join(report._robust_reading(tables, ["m"], names))
    assert "by lever A." in lines and "Lowered (95% intervals below zero) by lever B." in lines
    assert "lever C" not in lines.split("Lowered")[0].split("by ")[-1]  # its interval holds zero
    assert "Ranked first most often: lever A, lever C (40% of the states)" in lines  # a tie: both
    assert "(lever A and lever C) are not told apart" in lines
    pairs.loc[0, "separable"] = True
    assert "are told apart: lever A leads" in "\n".join(report._robust_reading(tables, ["m"], names))
    i18n.set_language("ja")
    try:
        japanese = "\n".join(report._robust_reading(tables, ["m"], names))
    finally:
        i18n.set_language("en")
    assert "lever Bは減らす" in japanese and "。 " not in japanese
