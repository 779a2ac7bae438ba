"""Family trees of firms: pick a lineage out of a run and measure it (lineage_figure draws it).

A lineage is a root firm (an anchor such as Genentech or Hybritech, an academic spinout, an
arrival or a pharma site) and every firm founded by people who left it or its descendants
(employee spinouts, founding after a release, serial founders). ``ecosim run`` writes the
graph as ``lineage.json`` (networkx node-link data, parent -> spinout edges) and the firms as
``firms.csv``; this module reads both.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from ecosim.agents.firm import CONTINUING_ORIGINS, OPERATING, Fate, Origin
from ecosim.errors import excerpt
from ecosim.runner import RunResult, Seed, run_one
from ecosim.scenario import Scenario, ScenarioError

GONE = frozenset(Fate) - OPERATING
"""Fates after which a firm no longer operates in the region."""


@dataclass
class Lineage:
    """One family tree.

    Attributes:
        root: firm id of the root.
        name: the root's name ("firm <id>" when it has none).
        tree: the sub-graph of the root and all its descendants.
        firms: the rows of the firm table for these firms.
    """

    root: int
    name: str
    tree: nx.DiGraph
    firms: pd.DataFrame

    @property
    def continuations(self) -> set[int]:
        """Firm ids of the tree's continuations (CONTINUING_ORIGINS: a bought firm's unit under
        its buyer), which are no new firm of the lineage.
        """
        return {n for n, origin in self.tree.nodes(data="origin") if origin in CONTINUING_ORIGINS}

    @property
    def size(self) -> int:
        """Firms in the lineage, the root included (a bought firm's unit under its buyer is the
        bought firm going on, not one more firm).
        """
        return self.tree.number_of_nodes() - len(self.continuations)

    @property
    def depth(self) -> int:
        """Generations below the root (0 when the root has no spinouts)."""
        root_generation = int(self.tree.nodes[self.root].get("generation", 0))
        deepest = max(int(g) for _, g in self.tree.nodes(data="generation", default=0))
        return deepest - root_generation


FIRM_COLUMNS = ("firm_id", "founded_year", "fate", "fate_year", "generation", "peak_headcount")
"""Columns of firms.csv that a lineage reads."""

NUMERIC_FIRM_COLUMNS = ("firm_id", "founded_year", "fate_year", "generation", "peak_headcount")

NUMERIC_NODE_FIELDS = ("generation", "founded_year")
"""Node fields of lineage.json that a lineage computes with (each a number where present)."""


def _unreadable(path: Path, what: str) -> ScenarioError:
    return ScenarioError(path, "RUN_DIR", f"cannot read the run: {what}")


def _read_graph(path: Path) -> nx.DiGraph:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except RecursionError:
        raise _unreadable(path, "nested deeper than JSON's parser reads") from None
    except (OSError, ValueError) as exc:  # ValueError: not UTF-8, not JSON
        raise _unreadable(path, str(exc)) from None
    if not isinstance(data, dict):
        kind = {list: "list", str: "string", bool: "true or false"}.get(type(data), "number or null")
        raise _unreadable(path, f"a JSON {kind}, not a node-link graph (a mapping)")
    try:
        graph = nx.node_link_graph(data, directed=True, edges="links")
    except (AttributeError, KeyError, TypeError, ValueError, nx.NetworkXError) as exc:
        raise _unreadable(path, f"not a node-link graph ({type(exc).__name__}: {exc})") from None
    for node, fields in graph.nodes(data=True):
        if type(node) is not int:
            raise _unreadable(path, f"node id {excerpt(node)} is not a firm id (a whole number)")
        for field in NUMERIC_NODE_FIELDS:
            value = fields.get(field, 0)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise _unreadable(path, f"node {node}: {field} {excerpt(value)} is not a number")
    return graph


def _read_firms(path: Path) -> pd.DataFrame:
    try:
        firms = pd.read_csv(path)
    except (OSError, ValueError) as exc:  # ValueError: empty, not CSV, not UTF-8
        raise _unreadable(path, str(exc) or type(exc).__name__) from None
    missing = [column for column in FIRM_COLUMNS if column not in firms.columns]
    if missing:
        raise _unreadable(path, f"no column {', '.join(missing)} (not the firm table of `ecosim run`)")
    for column in NUMERIC_FIRM_COLUMNS:
        try:
            pd.to_numeric(firms[column])
        except (TypeError, ValueError):
            raise _unreadable(path, f"column {column} holds values that are not numbers") from None
    return firms


def load_run(run_dir: str | Path) -> tuple[nx.DiGraph, pd.DataFrame]:
    """The lineage graph and the firm table of a run folder written by ``ecosim run``.

    Raises:
        ScenarioError: the folder or one of its files is missing or unreadable, naming the file.
    """
    run_dir = Path(run_dir)
    graph_file, firms_file = run_dir / "lineage.json", run_dir / "firms.csv"
    for path in (graph_file, firms_file):
        if not path.is_file():
            raise ScenarioError(path, "RUN_DIR", "not found (expected the output folder of `ecosim run`)")
    return _read_graph(graph_file), _read_firms(firms_file)


def roots(graph: nx.DiGraph) -> list[int]:
    """Firms with no parent, largest lineage first (ties: the older firm first)."""
    heads = [n for n in graph.nodes if graph.in_degree(n) == 0]
    size = {n: len(nx.descendants(graph, n)) for n in heads}
    return sorted(heads, key=lambda n: (-size[n], graph.nodes[n].get("founded_year", 0.0), n))


def find_root(graph: nx.DiGraph, name: str | None = None) -> int:
    """The root to draw: the firm named ``name`` (case-insensitive), or the largest lineage.

    A name may belong to more than one node (a pharma company whose site opened twice);
    the one with the most descendants wins.

    Raises:
        ValueError: no firm has that name, or the graph is empty.
    """
    if name is None:
        heads = roots(graph)
        if not heads:
            raise ValueError("the run has no firms")
        return heads[0]
    wanted = name.strip().lower()
    matches = [n for n, v in graph.nodes(data="name") if str(v or "").strip().lower() == wanted]
    if not matches:
        named = sorted({str(v) for _, v in graph.nodes(data="name") if v and str(v) != "nan"})
        raise ValueError(f"no firm named {name!r}; named firms: {', '.join(named) or 'none'}")
    return max(matches, key=lambda n: (len(nx.descendants(graph, n)), -n))


def lineage_of(graph: nx.DiGraph, firms: pd.DataFrame, root: int) -> Lineage:
    """The lineage rooted at ``root``."""
    members = {root, *nx.descendants(graph, root)}
    tree = graph.subgraph(members).copy()
    name = str(graph.nodes[root].get("name") or "")
    if name in ("", "nan"):
        name = f"firm {root}"
    rows = firms[firms["firm_id"].isin(members)].drop_duplicates("firm_id")
    return Lineage(root=root, name=name, tree=tree, firms=rows)


ANCHOR_LINEAGE = "anchor_lineage"
"""Summary key: firms in the lineages of a scenario's anchors together (a sweep metric)."""


def anchor_summary(graph: nx.DiGraph, firms: pd.DataFrame, names: Iterable[str]) -> dict[str, float]:
    """Each named anchor's lineage at the end of a run, as numbers for the run's summary.

    An anchor is a root (the scenario seeds it), so the anchors' lineages do not overlap.

    Args:
        graph: the run's lineage graph.
        firms: the run's firm table.
        names: the anchors' names (``Scenario.anchors``).

    Returns:
        ``anchor_lineage``: firms in all the anchors' lineages; and for each anchor
        ``anchor.<name>.lineage`` (firms, the anchor included; 0 when it was not founded),
        ``anchor.<name>.depth`` (generations below it), ``anchor.<name>.peak_headcount``,
        its direct children by channel, ``anchor.<name>.children_spinout`` (staff who left it to
        found) and ``anchor.<name>.children_release`` (people it let go, or who left its buyer,
        and founded; and its serial founders), the mechanisms a counterfactual moves, and, once
        it no longer operates, ``anchor.<name>.end_year`` (when it was acquired, failed or
        closed).
    """
    summary: dict[str, float] = {ANCHOR_LINEAGE: 0}
    for name in names:
        key = f"anchor.{name}"
        try:
            tree = lineage_of(graph, firms, find_root(graph, name))
        except ValueError:  # not founded (yet)
            summary[f"{key}.lineage"], summary[f"{key}.depth"] = 0, 0
            continue
        summary[f"{key}.lineage"], summary[f"{key}.depth"] = tree.size, tree.depth
        summary[ANCHOR_LINEAGE] += tree.size
        row = firms[firms["firm_id"] == tree.root]
        children = [str(graph.nodes[c].get("origin", "")) for c in graph.successors(tree.root)]
        summary[f"{key}.children_spinout"] = children.count(str(Origin.SPINOUT))
        summary[f"{key}.children_release"] = children.count(str(Origin.RELEASE))
        if len(row) and "peak_headcount" in row.columns:
            summary[f"{key}.peak_headcount"] = int(row["peak_headcount"].iloc[0])
        if len(row) and str(row["fate"].iloc[0]) in GONE and pd.notna(row["fate_year"].iloc[0]):
            summary[f"{key}.end_year"] = round(float(row["fate_year"].iloc[0]), 4)
    return summary


def run_with_anchors(scenario: Scenario, seed: Seed, until: float | None = None, **kwargs: Any) -> RunResult:
    """``run_one``, with each anchor's lineage added to the summary (see ``anchor_summary``).

    A sweep spec names it as ``runner: ecosim.lineage:run_with_anchors`` to compare the
    anchors' lineages (metric ``anchor_lineage``) across arms; the run itself is unchanged.
    """
    result = run_one(scenario, seed, until=until, **kwargs)
    anchors = anchor_summary(result.lineage, result.firms, [a.name for a in scenario.anchors])
    result.summary = {**result.summary, **anchors}
    return result


def size_by_year(lineage: Lineage, until: float | None = None) -> pd.DataFrame:
    """Per calendar year: firms founded that year, founded so far, active at the year's end,
    and the deepest generation reached so far (relative to the root); a bought firm's unit under
    its buyer is not counted (Lineage.size).
    """
    firms = lineage.firms[~lineage.firms["firm_id"].isin(lineage.continuations)]
    if firms.empty:
        return pd.DataFrame(columns=["year", "founded", "cumulative", "active", "depth"])
    founded = firms["founded_year"].astype(float)
    fate_year = pd.to_numeric(firms["fate_year"], errors="coerce")
    gone = firms["fate"].isin(GONE)
    generation = firms["generation"].astype(int) - int(firms["generation"].min())
    first = int(np.floor(founded.min()))
    last = int(
        np.floor(
            until
            if until is not None
            else max(founded.max(), fate_year.max(skipna=True) if fate_year.notna().any() else 0)
        )
    )
    rows = []
    for year in range(first, max(first, last) + 1):
        born = founded < year + 1
        alive = born & ~(gone & (fate_year < year + 1))
        rows.append(
            {
                "year": year,
                "founded": int(((founded >= year) & born).sum()),
                "cumulative": int(born.sum()),
                "active": int(alive.sum()),
                "depth": int(generation[born].max()) if born.any() else 0,
            }
        )
    return pd.DataFrame(rows)
