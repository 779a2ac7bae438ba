"""run_one: a scenario and a seed in, a run's outcomes out (the EMA Workbench pattern).

``ecosim run``, the sweep runner and calibration all run the model through this function.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Mesa first, from as near the top of the call stack as a model's command gets: importing
# mesa.model runs mesa_logging.create_module_logger(), whose inspect.stack() reads every frame of
# the chain of imports in progress, each against every loaded module. Imported here rather than
# through ecosim.metrics, agents and branch, the chain is 36 frames instead of 68 and that look
# takes half the time (benchmarks/README.md, fourth round).
import mesa  # noqa: F401
import networkx as nx
import numpy as np
import pandas as pd

from ecosim import atomic, metrics, spreadsheet
from ecosim.constants import Constants
from ecosim.limits import MAX_FIRMS, STOPPED_AT_LIMIT
from ecosim.model import BioclusterModel
from ecosim.scenario import Scenario

Seed = int | np.random.SeedSequence
DEFAULT_SEED = 1
"""The seed of a run when none is given: ``ecosim run`` and ``ecosim viz`` share it, so the page
opens on the run ``make run`` made."""


@dataclass
class RunResult:
    """The outcomes of one run.

    Attributes:
        timeseries: one row a month (metrics.MODEL_REPORTERS columns).
        firms: one row per firm ever present.
        lineage: the family-tree graph (parent -> spinout edges).
        summary: headline numbers.
        deals: one row per closed round (metrics.deal_table).
        timing: seconds building the world, simulating the months and making the tables, and
            the firm-months simulated (the sum over the months of the active firms), the unit
            the benchmarks compare speeds in.
    """

    timeseries: pd.DataFrame
    firms: pd.DataFrame
    lineage: nx.DiGraph
    summary: dict[str, Any] = field(default_factory=dict)
    deals: pd.DataFrame = field(default_factory=pd.DataFrame)
    timing: dict[str, float] = field(default_factory=dict)


def months_until(scenario: Scenario, until: float | None) -> int:
    """Months from the start to the end of year ``until`` (the scenario's end by default)."""
    last = scenario.end_year if until is None else until
    return max(0, int(round((last + 1 - scenario.start_year) * 12)))


class GrowthLimitError(Exception):
    """A run passed limits.MAX_FIRMS firms: its memory would grow without bound."""


def run_one(
    scenario: Scenario,
    seed: Seed,
    until: float | None = None,
    constants: Constants | None = None,
    progress: Callable[[int, int], None] | None = None,
    stop_at_limit: bool = False,
) -> RunResult:
    """Run ``scenario`` with ``seed`` to the end of ``until`` (default: its end year).

    Args:
        scenario: the validated scenario.
        seed: an int or a numpy SeedSequence; the same seed gives the same result.
        until: last calendar year to simulate (inclusive).
        constants: mechanism constants (the fitted defaults when None).
        progress: called as progress(done_months, total_months) after each month.
        stop_at_limit: end the run, instead of raising, in the month it passes
            limits.MAX_FIRMS firms (its summary says when: limits.STOPPED_AT_LIMIT).

    Returns:
        The run's time series, firm table, lineage graph and summary.

    Raises:
        GrowthLimitError: more than limits.MAX_FIRMS firms were ever present (unless
            ``stop_at_limit``).
    """
    started = time.perf_counter()
    model = BioclusterModel(scenario, rng=seed, constants=constants)
    built = time.perf_counter()
    total = months_until(scenario, until)
    stopped: int | None = None
    for done in range(1, total + 1):
        model.step()
        if len(model.firms) > MAX_FIRMS:
            if stop_at_limit:
                stopped = int(model.year)
                break
            raise GrowthLimitError(
                f"more than {MAX_FIRMS:,} firms by {int(model.year)} (limits.MAX_FIRMS): this model "
                "does not yet bound a cluster's growth, so a run this long would take ever more "
                "memory; simulate fewer years"
            )
        if progress is not None:
            progress(done, total)
    simulated = time.perf_counter()
    timeseries = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    if timeseries.empty:
        timeseries = pd.DataFrame(columns=list(metrics.MODEL_REPORTERS))
    firms = metrics.firm_table(model)
    result = RunResult(
        timeseries=timeseries,
        firms=firms,
        lineage=metrics.lineage_graph(model),
        summary=metrics.summary(model, timeseries, firms),
        deals=metrics.deal_table(model),
    )
    if stopped is not None:
        result.summary[STOPPED_AT_LIMIT] = stopped
    result.timing = {
        "build_seconds": round(built - started, 4),
        "simulate_seconds": round(simulated - built, 4),
        "tables_seconds": round(time.perf_counter() - simulated, 4),
        "months": total,
        "firm_months": int(timeseries["firms_active"].sum()) if len(timeseries) else 0,
    }
    return result


def run_to_limit(scenario: Scenario, seed: Seed, **kwargs: Any) -> RunResult:
    """run_one that ends a run passing limits.MAX_FIRMS firms instead of raising.

    A calibration or a posterior's design explores constants far from any cluster's history,
    where a long run can grow without bound; such a point is a poor fit, not an error, and its
    figures dated after the stop read the last month simulated (engine.Run's ``runner``).
    """
    return run_one(scenario, seed, stop_at_limit=True, **kwargs)


def write_outputs(
    result: RunResult,
    out_dir: str | Path,
    manifest: dict[str, Any],
    figure: Callable[[RunResult, Path], None] | None = None,
) -> Path:
    """Write a run's files into ``out_dir`` all at once (staged, then moved in).

    Files: timeseries.csv, firms.csv, deals.csv, lineage.json, summary.json, manifest.json and, when
    ``figure`` is given, what it draws (overview.png). The manifest, written last, gets the run's
    ``timing`` with the seconds spent writing the other files.
    """
    out_dir = Path(out_dir)
    started = time.perf_counter()
    with atomic.staged_dir(out_dir) as stage:
        result.timeseries.to_csv(stage / "timeseries.csv", index=False)
        # Firm and VC names come from the scenario: neutralised where a spreadsheet would run them.
        spreadsheet.neutralised(result.firms).to_csv(stage / "firms.csv", index=False)
        spreadsheet.neutralised(result.deals).to_csv(stage / "deals.csv", index=False)
        graph = nx.node_link_data(result.lineage, edges="links")
        (stage / "lineage.json").write_text(json.dumps(graph, default=str))
        atomic.write_json(stage / "summary.json", result.summary)
        if figure is not None:
            figure(result, stage / "overview.png")
        timing = {**result.timing, "write_seconds": round(time.perf_counter() - started, 4)}
        atomic.write_json(stage / "manifest.json", {**manifest, "timing": timing})
    return out_dir
