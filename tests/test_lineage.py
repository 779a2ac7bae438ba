"""Lineages: the tree of a run folder from the CLI, depth and size by year, the Genentech tree."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from helpers import ROOT

from ecosim import lineage
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
        graph.add_node(fid, name="Root" if fid == 1 else "", generation=gen, origin="spinout",
                       founded_year=year, fate=fate)
        if parent is not None:
            graph.add_edge(parent, fid)
        rows.append({"firm_id": fid, "founded_year": year, "fate": fate, "fate_year": fate_year,
                     "generation": gen, "peak_headcount": 10})
    graph.add_node(9, name="", generation=0, origin="academic", founded_year=1981.0, fate="active")
    rows.append({"firm_id": 9, "founded_year": 1981.0, "fate": "active", "fate_year": None,
                 "generation": 0, "peak_headcount": 5})
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
