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
  the replications is the largest (ties split), with a 90% Wilson interval over the states, and
  the share of those firsts that clear the runner-up beyond the replications' noise;
* whether the two levers with the largest mean effects are told apart: their paired difference
  over the states with its 95% interval (an order the interval does not support is not claimed);
* scenario discovery: for each lever that ranks first in some states but not all, the PRIM box
  (Friedman & Fisher 1999, as EMA Workbench implements it) of the assumptions under which it does,
  with its coverage (the share of its firsts inside the box) and density (the share of the box's
  states where it is first), in-sample; only restrictions whose quasi-p-value is below 0.05.

Each state of the world is a block of the sweep: its arms share each replication's seed (the
pairing), other states' seeds are independent, so intervals over the states see the seeds'
noise.
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
MIN_STATES = 5
"""A PRIM box holds at least this many states."""
MAX_QP = 0.05
"""A PRIM restriction is reported when its quasi-p-value is below this."""


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


def complete_states(eff: pd.DataFrame, levers: list[str]) -> pd.DataFrame:
    """The (state, replication) blocks in which every lever has its paired effect (a failed run
    would let a lever drop out of a state's ranking): one row a block, one column a lever.
    """
    wide = eff.pivot_table(index=["state", "replication"], columns="lever", values="effect")
    return wide.reindex(columns=levers).dropna()


def first_shares(wide: pd.DataFrame) -> pd.DataFrame:
    """Each state's share of being first for every lever: 1 for the lever with the largest mean
    effect over the replications, split evenly among tied levers (a tie credits no one lever).
    """
    means = wide.groupby(level="state").mean()
    top = means.to_numpy() >= means.max(axis=1).to_numpy()[:, None]
    return pd.DataFrame(top / top.sum(axis=1, keepdims=True), index=means.index, columns=means.columns)


def wilson(p: float, n: int, z: float = 1.6449) -> tuple[float, float]:
    """Wilson's score interval of a proportion (90% by default); never of zero width at 0 or 1."""
    if n == 0:
        return math.nan, math.nan
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def rank_first(eff: pd.DataFrame, levers: list[str]) -> pd.DataFrame:
    """The probability that each lever ranks first over the states, with a 90% Wilson interval.

    Only complete states count (every lever's paired effect in every replication kept); ties
    are split. ``clear_share`` is the share of a lever's firsts whose margin over the runner-up
    exceeds t (R - 1 degrees of freedom, two-sided 95%, Bonferroni over the L - 1 rivals) times
    the margin's standard error over the R replications; NaN below 3 replications, where the
    test has no power. The leader is picked on the same replications the margin is tested on,
    so even this share leans towards clear.
    """
    from scipy import stats

    wide = complete_states(eff, levers)
    shares = first_shares(wide) if len(wide) else pd.DataFrame(columns=levers)
    n = len(shares)
    replications = int(wide.groupby(level="state").size().min()) if n else 0
    critical = (
        float(stats.t.ppf(1 - 0.05 / (2 * (len(levers) - 1)), replications - 1))
        if replications >= 3
        else math.nan
    )
    rows = []
    for lever in levers:
        p = float(shares[lever].mean()) if n else math.nan
        low, high = wilson(p, n) if n else (math.nan, math.nan)
        clear = math.nan
        firsts = shares.index[shares[lever] > 0] if n else []
        if len(firsts) and np.isfinite(critical):
            margins = []
            for state in firsts:
                block = wide.loc[state]
                others = [x for x in levers if x != lever]
                runner_up = block[others].mean().idxmax()
                diff = (block[lever] - block[runner_up]).to_numpy()
                se = diff.std(ddof=1) / math.sqrt(len(diff))
                margins.append(bool(diff.mean() > critical * se))
            clear = float(np.mean(margins))
        rows.append(
            {
                "lever": lever,
                "probability_first": p,
                "low": low,
                "high": high,
                "clear_share": clear,
                "states": n,
            }
        )
    return pd.DataFrame(rows)


def top_two(eff: pd.DataFrame, levers: list[str]) -> dict[str, Any]:
    """The two levers with the largest mean effect and their paired difference over the states.

    Within a state both levers ran under the same seeds, so the state's mean difference is paired;
    the 95% t interval is over the (complete) states. ``separable`` is False when it contains 0:
    the order of the two is then not established.
    """
    from scipy import stats

    wide = complete_states(eff, levers)
    means = wide.groupby(level="state").mean()
    if len(means) < 2:
        return {}
    first, second = means.mean().sort_values(ascending=False).index[:2]
    diff = (means[first] - means[second]).to_numpy()
    half = float(stats.t.ppf(0.975, len(diff) - 1) * diff.std(ddof=1) / math.sqrt(len(diff)))
    mean = float(diff.mean())
    return {
        "first": first,
        "second": second,
        "difference": mean,
        "ci_low": mean - half,
        "ci_high": mean + half,
        "separable": bool(mean - half > 0),
        "states": len(diff),
    }


def prim_box(x: pd.DataFrame, y: np.ndarray) -> dict[str, Any] | None:
    """The PRIM box of the states where ``y`` holds (EMA Workbench), or None.

    On the peeling trajectory, among the boxes that restrict at most ``MAX_RESTRICTED``
    parameters (a box a reader can state; with few states PRIM otherwise trims every parameter a
    little) and hold at least ``MIN_STATES`` states, the one with the largest coverage whose
    density reaches ``DENSITY``. A restriction is kept only when its quasi-p-value (EMA's
    binomial test of the box against the box without it) is below ``MAX_QP``: with tens of states
    PRIM finds a box even in pure noise, and without a significant restriction there is none to
    report. None when y is constant or no box qualifies. Density and coverage are in-sample.
    """
    if y.all() or not y.any():
        return None
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ema_workbench warns that optional back ends are missing
        from ema_workbench.analysis import prim

        box = prim.Prim(x.reset_index(drop=True), y.astype(bool)).find_box()
    trajectory = box.peeling_trajectory
    states = trajectory["mass"] * len(y)
    usable = trajectory[(trajectory["res_dim"] <= MAX_RESTRICTED) & (states >= MIN_STATES)]
    dense = usable[usable["density"] >= DENSITY]
    if dense.empty:
        return None
    chosen = int(dense["coverage"].idxmax())
    limits, initial, qp = box.box_lims[chosen], box.box_lims[0], box.p_values[chosen]
    restricted = []
    for name in x.columns:
        low, high = float(limits[name].iloc[0]), float(limits[name].iloc[1])
        if np.isclose(low, initial[name].iloc[0]) and np.isclose(high, initial[name].iloc[1]):
            continue
        values = [v for v in qp.get(name, []) if v is not None and v >= 0]
        if values and min(values) < MAX_QP:
            restricted.append({"parameter": name, "low": low, "high": high, "qp": float(min(values))})
    if not restricted:
        return None
    row = trajectory.loc[chosen]
    return {
        "coverage": float(row["coverage"]),
        "density": float(row["density"]),
        "mass": float(row["mass"]),
        "limits": restricted,
    }


def prim_boxes(world: pd.DataFrame, shares: pd.DataFrame, levers: list[str]) -> pd.DataFrame:
    """For each lever first in some states but not all, the assumptions under which it is first
    (a state counts for a lever when the lever is first there, alone or tied).
    """
    x = world.loc[shares.index]
    rows = []
    for lever in levers:
        y = (shares[lever] > 0).to_numpy()
        found = prim_box(x, y)
        if found is None:
            continue
        for limit in found["limits"]:
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
    summaries: list[pd.DataFrame] = []
    ranks: list[pd.DataFrame] = []
    pairs: list[pd.DataFrame] = []
    boxes: list[pd.DataFrame] = []
    for metric in metrics:
        eff = effects(values, metric)
        if eff.empty:
            continue
        summaries.append(lever_summary(eff, levers).assign(metric=metric))
        ranks.append(rank_first(eff, levers).assign(metric=metric))
        pair = top_two(eff, levers)
        if pair:
            pairs.append(pd.DataFrame([pair]).assign(metric=metric))
        wide = complete_states(eff, levers)
        if prim_available() and len(wide):
            found = prim_boxes(world, first_shares(wide), levers)
            if not found.empty:
                boxes.append(found.assign(metric=metric))

    def stacked(parts: list[pd.DataFrame]) -> pd.DataFrame:
        if not parts:
            return pd.DataFrame()
        table = pd.concat(parts, ignore_index=True)
        return table[["metric", *[c for c in table.columns if c != "metric"]]]

    return {
        "lever_effects": stacked(summaries),
        "rank_first": stacked(ranks),
        "top_two": stacked(pairs),
        "prim_boxes": stacked(boxes),
    }
