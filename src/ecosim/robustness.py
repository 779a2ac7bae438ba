"""Which lever is robustly best: effects over the states of the world, rank probabilities, PRIM.

A ``robust`` sweep design (:class:`ecosim.sweep.RobustDesign`) runs, in every sampled state of
the world (a Latin hypercube over the uncertain assumptions: lever budgets and intensities,
prices, constants), no lever and each lever alone, every one with the same replications' seeds.
A lever's effect in a state and replication is its run minus the no-lever run of that state and
replication (common random numbers: the difference is the lever's, not the seed's).

From those effects this module gives, per output:

* each lever's effect over the states and the seeds together: the mean with a 95% interval over
  the states, and the 5%-95% range of single effects (what a policy reader should expect);
* the probability that each lever ranks first: the share of states in which its mean effect over
  the replications is the largest, with a 90% bootstrap interval over the states, and the share
  of those firsts that clear the runner-up by more than the replications' noise;
* scenario discovery: for each lever that ranks first in some states but not all, the PRIM box
  (Friedman & Fisher 1999, as EMA Workbench implements it) of the assumptions under which it does,
  with its coverage (the share of its firsts inside the box) and density (the share of the box's
  states where it is first).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ecosim.sweep import robust_state

DENSITY = 0.75
"""A PRIM box is reported at the largest coverage whose density reaches this (else its densest)."""
MAX_RESTRICTED = 2
"""A PRIM box restricts at most this many assumptions."""
BOOTSTRAP = 2000
"""Resamples of the states for the interval of a rank probability."""


def states(arms: list[dict[str, Any]]) -> pd.DataFrame:
    """The sampled assumptions of every state, one row a state (index ``u0000``...)."""
    rows = {}
    for arm in arms:
        state, lever = robust_state(arm["name"])
        if lever is None:
            rows[state] = {path: float(value) for path, value in (arm.get("set") or {}).items()}
    return pd.DataFrame.from_dict(rows, orient="index")


def effects(values: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Each lever's effect in each state and replication: its run minus the no-lever run.

    Args:
        values: one row a run with ``arm``, ``replication`` and the metric (report.run_metrics).
        metric: the output.

    Returns:
        Columns state, replication, lever, effect (runs without their no-lever pair dropped).
    """
    split = values["arm"].map(robust_state)
    frame = pd.DataFrame(
        {
            "state": [s for s, _ in split],
            "lever": [lever for _, lever in split],
            "replication": values["replication"].to_numpy(),
            "value": values[metric].to_numpy(dtype=float),
        }
    )
    base = frame[frame["lever"].isna()].set_index(["state", "replication"])["value"]
    levers = frame[frame["lever"].notna()].copy()
    paired = base.reindex(pd.MultiIndex.from_frame(levers[["state", "replication"]])).to_numpy()
    levers["effect"] = levers["value"].to_numpy() - paired
    return levers.dropna(subset=["effect"])[["state", "replication", "lever", "effect"]].reset_index(
        drop=True
    )


def _state_means(eff: pd.DataFrame) -> pd.DataFrame:
    """Mean effect over the replications: one row a state, one column a lever."""
    return eff.pivot_table(index="state", columns="lever", values="effect", aggfunc="mean")


def lever_summary(eff: pd.DataFrame, levers: list[str]) -> pd.DataFrame:
    """Each lever's effect over states and seeds: mean, its 95% interval, the 5%-95% range."""
    from scipy import stats

    means = _state_means(eff)
    rows = []
    for lever in levers:
        single = eff.loc[eff["lever"] == lever, "effect"].to_numpy()
        by_state = means[lever].dropna().to_numpy() if lever in means else np.array([])
        n = len(by_state)
        half = stats.t.ppf(0.975, n - 1) * by_state.std(ddof=1) / math.sqrt(n) if n > 1 else math.nan
        mean = float(by_state.mean()) if n else math.nan
        rows.append(
            {
                "lever": lever,
                "mean": mean,
                "ci_low": mean - half,
                "ci_high": mean + half,
                "p05": float(np.percentile(single, 5)) if len(single) else math.nan,
                "p95": float(np.percentile(single, 95)) if len(single) else math.nan,
                "share_positive": float((single > 0).mean()) if len(single) else math.nan,
                "states": n,
            }
        )
    return pd.DataFrame(rows)


def first_by_state(eff: pd.DataFrame, levers: list[str]) -> pd.Series:
    """The lever with the largest mean effect in each state (ties: the first listed)."""
    means = _state_means(eff).reindex(columns=levers)
    return means.fillna(-np.inf).idxmax(axis=1)


def rank_first(eff: pd.DataFrame, levers: list[str], seed: int = 0) -> pd.DataFrame:
    """The probability that each lever ranks first over the states, with a bootstrap interval.

    ``clear_share`` is the share of a lever's firsts in which its margin over the runner-up is
    larger than twice the standard error of that margin over the replications (NaN with one
    replication): a first inside the noise is a coin toss of the seeds.
    """
    first = first_by_state(eff, levers)
    n = len(first)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n, size=(BOOTSTRAP, n)) if n else np.zeros((0, 0), dtype=int)
    codes = np.array([levers.index(f) for f in first])
    wide = eff.pivot_table(index=["state", "replication"], columns="lever", values="effect").reindex(
        columns=levers
    )
    rows = []
    for k, lever in enumerate(levers):
        hits = codes == k
        boot = hits[draws].mean(axis=1) if n else np.array([math.nan])
        clear = math.nan
        if hits.any() and eff["replication"].nunique() > 1:
            margins = []
            for state in first.index[hits]:
                block = wide.loc[state]
                others = [x for x in levers if x != lever]
                runner_up = block[others].mean().idxmax()
                diff = (block[lever] - block[runner_up]).dropna().to_numpy()
                se = diff.std(ddof=1) / math.sqrt(len(diff)) if len(diff) > 1 else math.inf
                margins.append(diff.mean() > 2 * se)
            clear = float(np.mean(margins))
        rows.append(
            {
                "lever": lever,
                "probability_first": float(hits.mean()) if n else math.nan,
                "low": float(np.percentile(boot, 5)),
                "high": float(np.percentile(boot, 95)),
                "clear_share": clear,
                "states": n,
            }
        )
    return pd.DataFrame(rows)


def prim_box(x: pd.DataFrame, y: np.ndarray) -> dict[str, Any] | None:
    """The PRIM box of the states where ``y`` holds (EMA Workbench), or None when y is constant.

    On the peeling trajectory, among the boxes that restrict at most ``MAX_RESTRICTED``
    parameters (a box a reader can state; with few states PRIM otherwise trims every parameter a
    little), the one with the largest coverage whose density reaches ``DENSITY``; when none does,
    the densest. Only restricted parameters are listed.
    """
    if y.all() or not y.any():
        return None
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ema_workbench warns that optional back ends are missing
        from ema_workbench.analysis import prim

        box = prim.Prim(x.reset_index(drop=True), y.astype(bool)).find_box()
    trajectory = box.peeling_trajectory
    trajectory = trajectory[trajectory["res_dim"] <= MAX_RESTRICTED]
    dense = trajectory[trajectory["density"] >= DENSITY]
    chosen = int(dense["coverage"].idxmax()) if len(dense) else int(trajectory["density"].idxmax())
    box.select(chosen)
    limits, initial = box.box_lim, box.box_lims[0]
    restricted = [
        {"parameter": name, "low": float(limits[name].iloc[0]), "high": float(limits[name].iloc[1])}
        for name in x.columns
        if not np.isclose(limits[name].iloc[0], initial[name].iloc[0])
        or not np.isclose(limits[name].iloc[1], initial[name].iloc[1])
    ]
    row = trajectory.loc[chosen]
    return {
        "coverage": float(row["coverage"]),
        "density": float(row["density"]),
        "mass": float(row["mass"]),
        "limits": restricted,
    }


def prim_boxes(world: pd.DataFrame, first: pd.Series, levers: list[str]) -> pd.DataFrame:
    """For each lever first in some states but not all, the assumptions under which it is first."""
    x = world.loc[first.index]
    rows = []
    for lever in levers:
        y = (first == lever).to_numpy()
        found = prim_box(x, y)
        if found is None:
            continue
        for limit in found["limits"] or [{"parameter": "", "low": math.nan, "high": math.nan}]:
            rows.append(
                {
                    "lever": lever,
                    "base_rate": float(y.mean()),
                    "coverage": found["coverage"],
                    "density": found["density"],
                    "mass": found["mass"],
                    **limit,
                }
            )
    return pd.DataFrame(rows)


def prim_available() -> bool:
    """Whether EMA Workbench (the ``analysis`` extra) is installed for the PRIM boxes."""
    import importlib.util

    return importlib.util.find_spec("ema_workbench") is not None


def tables(
    values: pd.DataFrame, arms: list[dict[str, Any]], design: dict[str, Any], metrics: list[str]
) -> dict[str, pd.DataFrame]:
    """The report's tables of a robust design: lever effects, rank probabilities, PRIM boxes."""
    levers = list(design["levers"])
    world = states(arms)
    summaries, ranks, boxes = [], [], []
    for metric in metrics:
        eff = effects(values, metric)
        if eff.empty:
            continue
        summaries.append(lever_summary(eff, levers).assign(metric=metric))
        ranks.append(rank_first(eff, levers, seed=int(design.get("seed", 0))).assign(metric=metric))
        found = prim_boxes(world, first_by_state(eff, levers), levers) if prim_available() else pd.DataFrame()
        if not found.empty:
            boxes.append(found.assign(metric=metric))

    def stacked(parts: list[pd.DataFrame]) -> pd.DataFrame:
        if not parts:
            return pd.DataFrame()
        table = pd.concat(parts, ignore_index=True)
        return table[["metric", *[c for c in table.columns if c != "metric"]]]

    return {"lever_effects": stacked(summaries), "rank_first": stacked(ranks), "prim_boxes": stacked(boxes)}
