"""Lineages: the tree of a run folder from the CLI, depth and size by year, the Genentech tree."""

from __future__ import annotations

import subprocess
import sys

import networkx as nx
import pandas as pd
import pytest
from helpers import ROOT, experiment

from ecosim import lineage, sweep
from ecosim.cli import main
from ecosim.runner import run_one, write_outputs
from ecosim.scenario import load


def tiny_lineage() -> lineage.Lineage:
    graph = nx.DiGraph()
    rows = []
    for fid, parent, gen, year, fate, fate_year in (
        (1, None, 0, 1980.0, "failed", 1990.5),
        (2, 1, 1, 1983.0, "active", None),
        (3, 1, 1, 1985.5, "acquired", 1988.0),
        (4, 2, 2, 1987.0, "active", None),
    ):
        graph.add_node(
            fid,
            name="Root" if fid == 1 else "",
            generation=gen,
            origin="spinout",
            founded_year=year,
            fate=fate,
        )
        if parent is not None:
            graph.add_edge(parent, fid)
        rows.append(
            {
                "firm_id": fid,
                "founded_year": year,
                "fate": fate,
                "fate_year": fate_year,
                "generation": gen,
                "peak_headcount": 10,
            }
        )
    graph.add_node(9, name="", generation=0, origin="academic", founded_year=1981.0, fate="active")
    rows.append(
        {
            "firm_id": 9,
            "founded_year": 1981.0,
            "fate": "active",
            "fate_year": None,
            "generation": 0,
            "peak_headcount": 5,
        }
    )
    return graph, pd.DataFrame(rows)


def test_depth_size_and_size_by_year():
    graph, firms = tiny_lineage()
    root = lineage.find_root(graph)
    assert root == 1
    assert lineage.find_root(graph, "root") == 1
    tree = lineage.lineage_of(graph, firms, root)
    assert (tree.size, tree.depth) == (4, 2)
    table = lineage.size_by_year(tree, until=1991).set_index("year")
    assert table.loc[1985, "cumulative"] == 3
    assert table.loc[1987, "depth"] == 2
    assert table.loc[1988, "active"] == 3  # firm 3 acquired in 1988
    assert table.loc[1991, "active"] == 2  # the root closed in 1990
    assert table["founded"].sum() == 4
    with pytest.raises(ValueError, match="no firm named"):
        lineage.find_root(graph, "Nobody")


def test_a_bought_firm_s_unit_under_its_buyer_is_no_new_firm_of_its_lineage():
    """Firm 5, the root's lab going on as a buyer's unit (origin acquisition) from 1986, and firm 6,
    founded in 1988 by someone the unit released: the tree holds the unit (firm 6 descends from
    it), but the lineage's size and its table by year count the root, 2, 3, 4 and 6, not the unit."""
    graph, firms = tiny_lineage()
    graph.add_node(
        5, name="Buyer (Root)", generation=0, origin="acquisition", founded_year=1986.0, fate="active"
    )
    graph.add_node(6, name="", generation=1, origin="release", founded_year=1988.0, fate="active")
    graph.add_edges_from([(1, 5), (5, 6)])
    rows = [
        {"firm_id": fid, "founded_year": year, "fate": "active", "fate_year": None, "generation": gen}
        for fid, year, gen in ((5, 1986.0, 0), (6, 1988.0, 1))
    ]
    firms = pd.concat([firms, pd.DataFrame(rows).assign(peak_headcount=10)], ignore_index=True)
    tree = lineage.lineage_of(graph, firms, 1)
    assert tree.tree.number_of_nodes() == 6 and tree.continuations == {5}
    assert (tree.size, tree.depth) == (5, 2)
    table = lineage.size_by_year(tree, until=1991).set_index("year")
    assert table.loc[1986, "founded"] == 0 and table.loc[1986, "cumulative"] == 3
    assert table.loc[1988, "founded"] == 1 and table.loc[1988, "cumulative"] == 5
    assert table.loc[1991, "active"] == 3  # 2, 4 and 6: the root closed, 3 was bought, the unit aside
    summary = lineage.anchor_summary(graph, firms, ["Root"])
    assert summary["anchor.Root.lineage"] == 5 and summary["anchor_lineage"] == 5
    assert summary["anchor.Root.children_release"] == 0  # firm 6's parent is the unit


@pytest.fixture(scope="module")
def san_diego_run(tmp_path_factory):
    scenario = load(ROOT / "scenarios" / "san_diego.yaml")
    out = tmp_path_factory.mktemp("sd") / "run"
    write_outputs(run_one(scenario, 1, until=1990), out, {"test": True})
    return out


def test_lineage_cli_draws_png_and_prints_depth(san_diego_run, tmp_path, capsys):
    png = tmp_path / "tree.png"
    assert main(["lineage", str(san_diego_run), "--out", str(png)]) == 0
    printed = capsys.readouterr().out
    assert "depth:" in printed and "year" in printed
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["lineage", str(san_diego_run), "--root", "Hybritech"]) == 0
    assert "lineage of Hybritech" in capsys.readouterr().out
    assert list(san_diego_run.glob("lineage_hybritech.png"))


def test_lineage_cli_bad_input_is_one_clear_error(san_diego_run, tmp_path, capsys):
    assert main(["lineage", str(san_diego_run), "--root", "No Such Firm"]) == 2
    assert "no firm named" in capsys.readouterr().err
    assert main(["lineage", str(tmp_path / "missing")]) == 2
    assert "not found" in capsys.readouterr().err


def test_genentech_lineage_cascades_in_most_seeds():
    """Bay Area to 2005, seeds 1-6, committed constants: in at least half of the seeds
    Genentech's staff found firms whose staff found firms again (depth >= 2). The anchor can
    still die young (results/lineages/anchors.csv), so this is a share, not every seed."""
    scenario = load(ROOT / "scenarios" / "bay_area.yaml")
    depths = []
    for seed in range(1, 7):
        result = run_one(scenario, seed, until=2005)
        root = lineage.find_root(result.lineage, "Genentech")
        depths.append(lineage.lineage_of(result.lineage, result.firms, root).depth)
    assert sum(d >= 2 for d in depths) >= 3, depths


def test_anchor_summary_measures_each_anchor_and_a_missing_one():
    graph, firms = tiny_lineage()
    summary = lineage.anchor_summary(graph, firms, ["Root", "Never Founded"])
    assert summary["anchor.Root.lineage"] == 4 and summary["anchor.Root.depth"] == 2
    assert summary["anchor.Root.end_year"] == 1990.5  # failed in 1990
    # Its direct children by channel: two staff spinouts (firms 2 and 3), none from a release.
    assert summary["anchor.Root.children_spinout"] == 2 and summary["anchor.Root.children_release"] == 0
    assert summary["anchor.Never Founded.lineage"] == 0 and "anchor.Never Founded.end_year" not in summary
    assert summary["anchor_lineage"] == 4


LINEAGE_SPEC = ROOT / "experiments" / "lineages.yaml"


def test_the_san_diego_counterfactual_is_a_spec_of_three_scenario_files():
    plan = sweep.plan(LINEAGE_SPEC, {"replications": 2})
    assert [arm.name for arm in plan.arms] == ["san_diego", "san_diego_no_acquisition", "san_diego_weak_hub"]
    assert plan.baseline == "san_diego" and plan.spec.runner == sweep.ANCHOR_RUNNER
    scenarios = {t.arm.name: t.scenario for t in plan.tasks if t.replication == 0}
    kinds = {
        arm: [e.kind for e in scenarios[arm].events] for arm in ("san_diego", "san_diego_no_acquisition")
    }
    assert "acquisition" in kinds["san_diego"] and "acquisition" not in kinds["san_diego_no_acquisition"]
    assert scenarios["san_diego"].hubs and not scenarios["san_diego_weak_hub"].hubs
    # Paired seeds: replication r of every arm has the same seed.
    for r in (0, 1):
        seeds = {t.seed().spawn_key for t in plan.tasks if t.replication == r}
        assert seeds == {(r,)}
    assert (
        plan.arm_labels["san_diego_weak_hub"]["ja"]
        == load(ROOT / "scenarios" / "san_diego_weak_hub.yaml").name_ja
    )


def test_lineage_spec_runs_end_to_end_and_the_trees_replay_its_runs(tmp_path):
    runs, out = tmp_path / "runs", tmp_path / "lineages"
    assert (
        main(
            [
                "sweep",
                str(LINEAGE_SPEC),
                "--replications",
                "1",
                "--until",
                "1980",
                "--out",
                str(runs),
                "--workers",
                "1",
                "--quiet",
            ]
        )
        == 0
    )
    assert main(["report", str(runs), "--out", str(out / "counterfactual"), "--lang", "ja"]) == 0
    vs = pd.read_csv(out / "counterfactual" / "vs_baseline.csv", encoding="utf-8-sig")
    assert set(vs["metric"]) >= {"anchor_lineage", "startups_founded", "founded_release"}
    readme = (out / "counterfactual" / "README.md").read_text(encoding="utf-8")
    assert "サンディエゴ（リリーによるHybritech買収なし）" in readme  # arms read as their scenarios
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "experiments" / "lineages.py"),
            "--runs",
            str(runs),
            "--out",
            str(out),
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    anchors = pd.read_csv(out / "anchors.csv")
    assert set(anchors["scenario"]) == {
        "bay_area",
        "san_diego",
        "san_diego_no_acquisition",
        "san_diego_weak_hub",
    }
    assert (anchors["lineage_size"] >= 1).all()  # each anchor is founded by 1980
    for name in ("genentech_tree.png", "hybritech_tree.png", "manifest.json", "README.md"):
        assert (out / name).is_file()
    assert (out / "counterfactual" / "README.md").is_file()  # the trees leave the report in place


def test_a_median_count_halfway_between_two_counts_is_shown_as_such():
    """With an even number of replications a median of counts can fall halfway (2.5): shown so, not
    rounded half to even to the count below, as the table's earlier format did."""
    median_count = experiment("lineages").median_count
    assert median_count(pd.Series([2, 3])) == "2.5"
    assert median_count(pd.Series([3, 5, 4])) == "4"
    assert median_count(pd.Series([1000, 2001])) == "1,500.5"
