"""Which lever is robustly best: the robust design, paired effects, rank probabilities, PRIM."""

from __future__ import annotations

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
    seeds = {task.arm.name: task.run.seed.spawn_key for task in plan.tasks if task.replication == 1}
    assert len(set(seeds.values())) == 1  # common random numbers across states and levers


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


def test_rank_probabilities_and_clear_firsts():
    rows = {}
    # a beats b clearly in states 0 and 1 (a +10, b +1, little noise); b beats a in state 2 by noise
    for state, (ea, eb) in enumerate([(10.0, 1.0), (10.0, 1.0), (1.0, 1.5)]):
        for r, jitter in enumerate([-0.5, 0.5]):
            rows[(f"u{state:04d}", r)] = 0.0
            rows[(f"u{state:04d}+a", r)] = ea + jitter
            rows[(f"u{state:04d}+b", r)] = eb + (jitter if state < 2 else 3 * jitter)
    eff = robustness.effects(_values(rows), "m")
    ranks = robustness.rank_first(eff, ["a", "b"]).set_index("lever")
    assert ranks.loc["a", "probability_first"] == pytest.approx(2 / 3)
    assert ranks.loc["b", "probability_first"] == pytest.approx(1 / 3)
    assert ranks.loc["a", "clear_share"] == 1.0
    assert ranks.loc["b", "clear_share"] == 0.0  # b's first is inside the seeds' noise
    summary = robustness.lever_summary(eff, ["a", "b"]).set_index("lever")
    assert summary.loc["a", "mean"] == pytest.approx(7.0)
    assert summary.loc["a", "ci_low"] < 7.0 < summary.loc["a", "ci_high"]


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
