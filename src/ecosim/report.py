"""Policy report of a sweep: paired effects with confidence intervals, tables and figures.

Every arm of a sweep shares its replication seeds with the baseline arm (common random
numbers), so arms are compared run by run: the effect of an arm in replication ``r`` is its
metric minus the baseline's metric in replication ``r``, and the 95% confidence interval is the
t interval of those paired differences. For a factorial design the same pairing gives

* the **main effect** of a factor: mean metric with the factor at a level minus with it at its
  first level (off), averaged over every setting of the other factors;
* the **two-way interaction** of A and B: the effect of A when B is on minus the effect of A
  when B is off (positive: B amplifies A);
* the **conditional effect** of A with B off and with B on, the two numbers behind it.

Each is computed per replication and then averaged, with a t interval across replications.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ecosim import atomic
from ecosim.provenance import base_manifest
from ecosim.store import RunStore
from ecosim.sweep import METRICS

STOCK_METRICS = {
    "startups_active_end": "startups_active",
    "employment_end": "employment",
    "pharma_sites_end": "pharma_sites",
}
FLOW_METRICS = (
    "startups_founded",
    "founded_academic",
    "founded_spinout",
    "founded_release",
    "relocations",
    "vc_invested",
    "exits_acquired",
    "exits_ipo",
    "failures",
)
CHANNELS = ("founded_academic", "founded_spinout", "founded_release", "relocations")
"""How firms enter: the three founding channels, and relocations (a channel, not a founding)."""
LINEAGE_KEYS = ("largest_lineage", "largest_lineage_size", "lineage_largest")
SHORT_LABELS = {
    "startups_founded": "startups founded",
    "founded_academic": "academic spinouts",
    "founded_spinout": "employee spinouts",
    "founded_release": "founded by released staff",
    "relocations": "moved in from outside",
    "startups_active_end": "active startups at end",
    "vc_invested": "VC invested (USD m)",
    "largest_lineage": "largest lineage (firms)",
    "exits_acquired": "acquisitions",
    "exits_ipo": "IPOs",
    "failures": "failures",
    "employment_end": "employment at end",
    "pharma_sites_end": "pharma sites at end",
}


@dataclass
class SweepData:
    """A sweep folder read back: its manifest, per-run metrics and yearly tables."""

    manifest: dict[str, Any]
    runs: pd.DataFrame
    yearly: pd.DataFrame
    metrics: list[str]
    window: tuple[int, int]

    @property
    def baseline(self) -> str:
        """Name of the baseline arm."""
        return self.manifest["baseline"]

    @property
    def arms(self) -> list[dict[str, Any]]:
        """The arms as the manifest describes them, in design order."""
        return self.manifest["arms"]

    @property
    def factors(self) -> dict[str, list[Any]]:
        """Factor name -> levels in design order (factorial designs only; empty otherwise)."""
        stored = self.manifest.get("factors") or []
        if isinstance(stored, list):
            return {item["name"]: item["levels"] for item in stored}
        design = self.manifest["spec"]["design"]  # older manifests: a mapping, keys sorted
        order = [*design.get("levers", []), *design.get("parameters", {})]
        return {name: stored[name] for name in sorted(stored, key=order.index)}


def t_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float, int]:
    """Mean and t confidence interval of a sample (NaNs dropped).

    Returns:
        (mean, low, high, n); low and high are NaN when n < 2.
    """
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    n = len(values)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    mean = float(values.mean())
    if n < 2:
        return mean, math.nan, math.nan, n
    half = stats.t.ppf(0.5 + level / 2, n - 1) * values.std(ddof=1) / math.sqrt(n)
    return mean, mean - half, mean + half, n


def _lineage_column(runs: pd.DataFrame) -> str | None:
    for key in LINEAGE_KEYS:
        if f"summary.{key}" in runs.columns:
            return f"summary.{key}"
    return None


def default_window(manifest: dict[str, Any], yearly: pd.DataFrame) -> tuple[int, int]:
    """Give the spec's window, else the first to the last simulated year in the runs."""
    window = manifest["spec"].get("window")
    if window:
        return int(window["start"]), int(window["end"])
    if yearly.empty:
        return 0, 0
    return int(yearly["year"].min()), int(yearly["year"].max())


def run_metrics(
    runs: pd.DataFrame, yearly: pd.DataFrame, metrics: list[str], window: tuple[int, int]
) -> pd.DataFrame:
    """One row per successful run (arm, replication) and one column per metric.

    Flows are summed over the window's years, stocks read in its last year, the largest lineage
    comes from the run summary.
    """
    ok = runs[runs["status"] == "ok"].set_index("run_id")
    inside = yearly[(yearly["year"] >= window[0]) & (yearly["year"] <= window[1])]
    result = pd.DataFrame(index=ok.index)
    result["arm"] = ok["arm"]
    result["replication"] = ok["replication"]
    sums = inside.groupby("run_id").sum(numeric_only=True)
    last = inside[inside["year"] == window[1]].set_index("run_id")
    lineage = _lineage_column(ok)
    for metric in metrics:
        if metric in FLOW_METRICS:
            column = sums[metric] if metric in sums.columns else pd.Series(dtype=float)
        elif metric in STOCK_METRICS:
            stock = STOCK_METRICS[metric]
            column = last[stock] if stock in last.columns else pd.Series(dtype=float)
        elif metric == "largest_lineage":
            column = ok[lineage] if lineage else pd.Series(dtype=float)
        else:
            raise ValueError(f"unknown metric {metric!r}")
        result[metric] = column.reindex(result.index).astype(float)
    return result.reset_index().sort_values(["arm", "replication"], kind="stable")


def load_sweep(root: str | Path) -> SweepData:
    """Read a sweep folder (manifest and run files).

    Raises:
        FileNotFoundError: when the folder holds no sweep manifest.
    """
    store = RunStore(root)
    manifest = store.read_manifest()
    if manifest is None:
        raise FileNotFoundError(f"{root}: no sweep manifest (manifest.json); run `ecosim sweep`")
    runs, yearly = store.load()
    metrics = list(manifest["spec"].get("metrics") or METRICS)
    window = default_window(manifest, yearly)
    return SweepData(manifest, runs, yearly, metrics, window)


def _wide(values: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Replication x arm table of one metric."""
    return values.pivot(index="replication", columns="arm", values=metric)


def arm_summary(values: pd.DataFrame, arms: list[str], metrics: list[str]) -> pd.DataFrame:
    """Mean and 95% CI of every metric in every arm."""
    rows = []
    for arm in arms:
        sample = values[values["arm"] == arm]
        for metric in metrics:
            mean, low, high, n = t_interval(sample[metric].to_numpy())
            sd = float(sample[metric].std(ddof=1)) if n > 1 else math.nan
            rows.append(dict(arm=arm, metric=metric, mean=mean, sd=sd, ci_low=low, ci_high=high, n=n))
    return pd.DataFrame(rows)


def paired_differences(
    values: pd.DataFrame, baseline: str, arms: list[str], metrics: list[str]
) -> pd.DataFrame:
    """Every arm minus the baseline arm, replication by replication, with a 95% CI."""
    rows = []
    for metric in metrics:
        wide = _wide(values, metric)
        if baseline not in wide.columns:
            continue
        base = wide[baseline]
        for arm in arms:
            if arm == baseline or arm not in wide.columns:
                continue
            diff = (wide[arm] - base).to_numpy()
            mean, low, high, n = t_interval(diff)
            base_mean = float(base[~np.isnan(diff)].mean()) if n else math.nan
            rows.append(
                dict(
                    arm=arm,
                    metric=metric,
                    baseline_mean=base_mean,
                    arm_mean=base_mean + mean if n else math.nan,
                    difference=mean,
                    ci_low=low,
                    ci_high=high,
                    relative=mean / base_mean if base_mean else math.nan,
                    n=n,
                )
            )
    return pd.DataFrame(rows)


def factor_levels(arms: list[dict[str, Any]], factors: dict[str, list[Any]]) -> pd.DataFrame:
    """Arm name x factor table of each arm's level index (0 = the factor's first level)."""
    table = {}
    for arm in arms:
        levels = {}
        for name, values in factors.items():
            value = (name in arm["levers"]) if name not in arm["set"] else arm["set"][name]
            levels[name] = values.index(value)
        table[arm["name"]] = levels
    return pd.DataFrame.from_dict(table, orient="index")


def _complete(values: pd.DataFrame, metric: str, arms: list[str]) -> np.ndarray:
    """Replication x arm matrix, only replications in which every arm succeeded."""
    wide = _wide(values, metric).reindex(columns=arms)
    return wide.dropna().to_numpy()


def _effect(y: np.ndarray, a: np.ndarray, b: np.ndarray, a_high: int, b_level: int) -> np.ndarray:
    """Per replication: effect of factor A (high minus first level) with factor B at a level."""
    on = y[:, (a == a_high) & (b == b_level)].mean(axis=1)
    off = y[:, (a == 0) & (b == b_level)].mean(axis=1)
    return on - off


def factorial_effects(
    values: pd.DataFrame,
    arms: list[dict[str, Any]],
    factors: dict[str, list[Any]],
    metrics: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Estimate main effects, two-way interactions and conditional effects of a factorial.

    Returns:
        (main effects, interactions, conditional effects) tables with 95% CIs.
    """
    levels = factor_levels(arms, factors)
    names = list(levels.index)
    main, inter, cond = [], [], []
    for metric in metrics:
        y = _complete(values, metric, names)
        if y.size == 0:
            continue
        for factor, factor_values in factors.items():
            lv = levels[factor].to_numpy()
            for index in range(1, len(factor_values)):
                per_rep = y[:, lv == index].mean(axis=1) - y[:, lv == 0].mean(axis=1)
                mean, low, high, n = t_interval(per_rep)
                main.append(
                    dict(
                        factor=factor,
                        level=factor_values[index],
                        metric=metric,
                        effect=mean,
                        ci_low=low,
                        ci_high=high,
                        n=n,
                    )
                )
        for a, b in combinations(factors, 2):
            hi_a, hi_b = len(factors[a]) - 1, len(factors[b]) - 1
            la, lb = levels[a].to_numpy(), levels[b].to_numpy()

            with_b = _effect(y, la, lb, hi_a, hi_b)
            without_b = _effect(y, la, lb, hi_a, 0)
            mean, low, high, n = t_interval(with_b - without_b)
            inter.append(
                dict(
                    factor_a=a,
                    factor_b=b,
                    metric=metric,
                    interaction=mean,
                    ci_low=low,
                    ci_high=high,
                    n=n,
                )
            )
            for first, second in ((a, b), (b, a)):
                l1, l2 = levels[first].to_numpy(), levels[second].to_numpy()
                hi1, hi2 = len(factors[first]) - 1, len(factors[second]) - 1
                for state, level in (("off", 0), ("on", hi2)):
                    mean, low, high, n = t_interval(_effect(y, l1, l2, hi1, level))
                    cond.append(
                        dict(
                            factor=first,
                            given=second,
                            given_state=state,
                            metric=metric,
                            effect=mean,
                            ci_low=low,
                            ci_high=high,
                            n=n,
                        )
                    )
    return pd.DataFrame(main), pd.DataFrame(inter), pd.DataFrame(cond)


def yearly_means(data: SweepData, arms: list[str], column: str) -> pd.DataFrame:
    """Year x arm table of the mean of a yearly column over successful replications."""
    ok = set(data.runs.loc[data.runs["status"] == "ok", "run_id"])
    frame = data.yearly[data.yearly["run_id"].isin(ok) & data.yearly["arm"].isin(arms)]
    if column not in frame.columns:
        return pd.DataFrame()
    return frame.groupby(["year", "arm"])[column].mean().unstack("arm").reindex(columns=arms)


def _label(metric: str) -> str:
    return SHORT_LABELS.get(metric, metric)


ALL_ON = "all levers on"


def _pretty_arm(name: str) -> str:
    return ALL_ON if name == ALL_ON else name.replace("+", " + ").replace("_", " ")


def all_on_arm(data: SweepData) -> str | None:
    """Name of the arm with every factor at its last level (all levers on), if any."""
    if not data.factors:
        return None
    levels = factor_levels(data.arms, data.factors)
    last = pd.Series({f: len(v) - 1 for f, v in data.factors.items()})
    hits = [name for name, row in levels.iterrows() if (row == last).all()]
    return hits[0] if hits else None


def _relabel(frame: pd.DataFrame, arm: str | None) -> pd.DataFrame:
    """Show the all-levers-on arm under a short name in figures (tables keep the full name)."""
    if arm is None or "arm" not in frame.columns:
        return frame
    return frame.assign(arm=frame["arm"].replace({arm: ALL_ON}))


def _forest(
    ax: Any,
    labels: list[str],
    mean: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    color: str = "#1f77b4",
) -> None:
    """Horizontal points with CI whiskers, first label on top, a zero line."""
    pos = np.arange(len(labels))[::-1]
    err = np.vstack([mean - low, high - mean])
    significant = (low > 0) | (high < 0)
    ax.errorbar(mean, pos, xerr=np.nan_to_num(err), fmt="none", ecolor="#555555", capsize=2, lw=1)
    ax.scatter(mean, pos, c=[color if s else "#bbbbbb" for s in significant], zorder=3, s=22)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(pos, labels)
    ax.grid(axis="x", alpha=0.3)


def plot_main_effects(main: pd.DataFrame, metrics: list[str], path: Path) -> None:
    """One panel per metric: each lever's main effect with its 95% CI."""
    import matplotlib.pyplot as plt

    shown = [m for m in metrics if m in set(main["metric"])]
    cols = min(4, len(shown))
    rows = math.ceil(len(shown) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 0.5 + 2.6 * rows), squeeze=False)
    for ax, metric in zip(axes.flat, shown, strict=False):
        part = main[main["metric"] == metric]
        labels = [
            _pretty_arm(str(f)) if isinstance(lv, bool) else f"{f} = {lv}"
            for f, lv in zip(part["factor"], part["level"], strict=True)
        ]
        _forest(
            ax,
            labels,
            part["effect"].to_numpy(),
            part["ci_low"].to_numpy(),
            part["ci_high"].to_numpy(),
        )
        ax.set_title(_label(metric), fontsize=10)
    for ax in list(axes.flat)[len(shown) :]:
        ax.axis("off")
    fig.suptitle(
        "What each lever adds, averaged over the other levers "
        "(mean and 95% CI; grey = not distinguishable from zero)",
        fontsize=11,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


KEY_METRICS = ("startups_founded", "startups_active_end", "vc_invested", "largest_lineage")
"""The metrics the issue asks the arms-vs-baseline figure to show, when the spec has them."""


def plot_vs_baseline(diffs: pd.DataFrame, metrics: list[str], baseline: str, path: Path) -> None:
    """Every arm's paired difference from the baseline, one panel per key metric.

    Arms are sorted by their effect on the first metric, in the same order in every panel.
    """
    import matplotlib.pyplot as plt

    shown = [m for m in KEY_METRICS if m in metrics and m in set(diffs["metric"])] or metrics[:1]
    first = diffs[diffs["metric"] == shown[0]].sort_values("difference", ascending=False)
    if first.empty:
        return
    order = list(first["arm"])
    fig, axes = plt.subplots(
        1,
        len(shown),
        figsize=(3.6 * len(shown) + 3, 1.3 + 0.27 * len(order)),
        sharey=True,
        squeeze=False,
    )
    for ax, metric in zip(axes[0], shown, strict=True):
        part = diffs[diffs["metric"] == metric].set_index("arm").reindex(order)
        _forest(
            ax,
            [_pretty_arm(a) for a in order],
            part["difference"].to_numpy(),
            part["ci_low"].to_numpy(),
            part["ci_high"].to_numpy(),
            color="#d62728",
        )
        base = part["baseline_mean"].dropna()
        ax.set_title(
            f"{_label(metric)}\n(baseline mean {base.iloc[0]:,.0f})" if len(base) else _label(metric),
            fontsize=10,
        )
        ax.set_xlabel("difference from baseline")
    fig.suptitle(
        f"Each policy mix vs '{baseline}', paired by replication (mean and 95% CI; "
        "grey = not distinguishable from zero)",
        fontsize=11,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_interactions(inter: pd.DataFrame, factors: list[str], metric: str, path: Path) -> None:
    """Heat map of two-way interactions (row lever's effect, column lever on minus off)."""
    import matplotlib.pyplot as plt

    part = inter[inter["metric"] == metric]
    if part.empty:
        return
    size = len(factors)
    grid = np.full((size, size), np.nan)
    sig = np.zeros((size, size), dtype=bool)
    for row in part.itertuples():
        i, j = factors.index(row.factor_a), factors.index(row.factor_b)
        grid[i, j] = grid[j, i] = row.interaction
        sig[i, j] = sig[j, i] = (row.ci_low > 0) or (row.ci_high < 0)
    limit = np.nanmax(np.abs(grid)) or 1.0
    fig, ax = plt.subplots(figsize=(1.3 * size + 2.5, 1.1 * size + 1.5))
    image = ax.imshow(grid, cmap="RdBu_r", vmin=-limit, vmax=limit)
    for i in range(size):
        for j in range(size):
            if not np.isnan(grid[i, j]):
                ax.text(
                    j,
                    i,
                    f"{grid[i, j]:+.1f}{'*' if sig[i, j] else ''}",
                    ha="center",
                    va="center",
                    fontsize=9,
                )
    labels = [_pretty_arm(f) for f in factors]
    ax.set_xticks(range(size), labels, rotation=30, ha="right")
    ax.set_yticks(range(size), labels)
    fig.colorbar(image, ax=ax, label=f"extra {_label(metric)} when both are on")
    ax.set_title(
        f"Do levers reinforce each other? ({_label(metric)})\n"
        "red: together more than the sum; blue: less; * 95% CI excludes 0",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_amplification(cond: pd.DataFrame, given: str, metric: str, path: Path) -> None:
    """Each other lever's effect with lever ``given`` off and on, side by side."""
    import matplotlib.pyplot as plt

    part = cond[(cond["metric"] == metric) & (cond["given"] == given)]
    if part.empty:
        return
    others = list(dict.fromkeys(part["factor"]))
    fig, ax = plt.subplots(figsize=(1.6 * len(others) + 2.5, 4))
    x = np.arange(len(others))
    for shift, state, color in ((-0.2, "off", "#9ecae1"), (0.2, "on", "#08519c")):
        rows = part[part["given_state"] == state].set_index("factor").reindex(others)
        err = np.nan_to_num(np.vstack([rows["effect"] - rows["ci_low"], rows["ci_high"] - rows["effect"]]))
        ax.bar(
            x + shift,
            rows["effect"],
            width=0.4,
            color=color,
            yerr=err,
            capsize=3,
            label=f"{_pretty_arm(given)} {state}",
        )
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x, [_pretty_arm(o) for o in others])
    ax.set_ylabel(f"effect on {_label(metric)}")
    ax.set_title(f"Does the {_pretty_arm(given)} amplify the other levers? (95% CI)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_founding_over_time(data: SweepData, arms: list[str], path: Path) -> None:
    """Cumulative startups founded per year, mean over replications, for a few arms."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    means = yearly_means(data, arms, "startups_founded")
    if means.empty:
        return
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for arm in arms:
        width = 2.5 if arm in (data.baseline, arms[-1]) else 1.2
        ax.plot(means.index, means[arm].cumsum(), lw=width, label=_pretty_arm(arm))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("year")
    ax.set_ylabel("startups founded since start (mean of replications)")
    ax.set_title("Startups founded over time")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_channels(
    summary: pd.DataFrame, diffs: pd.DataFrame, arms: list[str], baseline: str, path: Path
) -> None:
    """Firms entering by channel (three founding channels and relocations): totals (left)
    and paired change vs the baseline (right).
    """
    import matplotlib.pyplot as plt

    part = summary[summary["metric"].isin(CHANNELS)]
    if part.empty:
        return
    table = part.pivot(index="arm", columns="metric", values="mean").reindex(arms)
    channels = [c for c in CHANNELS if c in table.columns]
    labels = [_pretty_arm(a) for a in arms]
    pos = np.arange(len(arms))[::-1]
    fig, (left, right) = plt.subplots(
        1,
        2,
        figsize=(13, 2.4 + 0.42 * len(arms)),
        sharey=True,
        gridspec_kw={"width_ratios": [1, 1.2]},
    )
    start = np.zeros(len(arms))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for channel, color in zip(channels, colors, strict=False):
        widths = table[channel].fillna(0).to_numpy()
        left.barh(pos, widths, left=start, color=color, label=_label(channel))
        start += widths
    left.set_yticks(pos, labels)
    left.set_xlabel("firms entering in the window (mean of replications)")
    left.set_title("Where new firms come from (relocations are not foundings)")
    left.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
    height = 0.8 / max(1, len(channels))
    for k, (channel, color) in enumerate(zip(channels, colors, strict=False)):
        rows = diffs[diffs["metric"] == channel].set_index("arm").reindex(arms)
        offset = pos + 0.4 - height * (k + 0.5)
        err = np.nan_to_num(
            np.vstack([rows["difference"] - rows["ci_low"], rows["ci_high"] - rows["difference"]])
        )
        right.barh(
            offset,
            rows["difference"].fillna(0),
            height=height,
            color=color,
            xerr=err,
            error_kw={"lw": 0.8, "capsize": 1.5},
        )
    right.axvline(0, color="black", lw=0.8)
    right.set_xlabel(f"change vs '{baseline}' (mean and 95% CI)")
    right.set_title("Which channels the levers move")
    right.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _showcase_arms(data: SweepData) -> list[str]:
    """Baseline, every single-lever arm, and the arm with every lever on (when they exist)."""
    names = [arm["name"] for arm in data.arms]
    if not data.factors:
        return names[:8]
    levels = factor_levels(data.arms, data.factors)
    on = (levels > 0).sum(axis=1)
    first_on = {n: int(np.argmax(levels.loc[n].to_numpy() > 0)) for n in names}
    singles = sorted((n for n in names if on[n] == 1), key=first_on.get)
    everything = [n for n in names if on[n] == len(data.factors)]
    return list(dict.fromkeys([data.baseline, *singles, *everything]))


def _ci(row: pd.Series, value: str = "difference", digits: int = 0) -> str:
    """'+1,234 (95% CI 1,100 to 1,350)' from a table row."""
    fmt = f"{{:+,.{digits}f}}"
    low, high = f"{{:,.{digits}f}}".format(row["ci_low"]), f"{{:,.{digits}f}}".format(row["ci_high"])
    return f"{fmt.format(row[value])} (95% CI {low} to {high})"


def headline_markdown(
    data: SweepData,
    diffs: pd.DataFrame,
    main: pd.DataFrame,
    cond: pd.DataFrame,
) -> str:
    """The report's README: what was run and its headline numbers, all read from the tables."""
    lines = [
        f"# Sweep report: {data.manifest['spec'].get('name', '')}",
        "",
        str(data.manifest["spec"].get("description", "")).strip(),
        "",
        f"{len(data.arms)} arms x {data.manifest.get('replications')} replications, window "
        f"{data.window[0]}-{data.window[1]}, baseline arm `{data.baseline}`; replication r of every arm "
        "shares its seed (common random numbers), so every difference below is paired run by run. "
        "Generated by `ecosim report` from the run files; the tables and figures beside this file "
        "hold every number.",
        "",
    ]
    headline = data.metrics[0]
    everything = all_on_arm(data)
    if everything is not None and not diffs.empty:
        rows = diffs[diffs["arm"] == everything].set_index("metric")
        lines.append(f"## All levers on vs the baseline ({everything})")
        lines.append("")
        lines.append("| metric | baseline mean | all on | difference |")
        lines.append("| --- | ---: | ---: | --- |")
        for metric in data.metrics:
            if metric in rows.index:
                row = rows.loc[metric]
                lines.append(f"| {metric} | {row['baseline_mean']:,.0f} | {row['arm_mean']:,.0f} | "
                             f"{_ci(row)} ({row['relative']:+.0%}) |")
        lines += ["", "Counts are over the window; `_end` metrics at its last month; money in USD m "
                  "at 2000 prices.", ""]
    if not main.empty:
        ranked = main[main["metric"] == headline].sort_values("effect", ascending=False)
        lines += [f"## Main effect of each lever on {headline}",
                  "", "Lever on minus off, averaged over the settings of the other levers.", "",
                  "| lever | effect |", "| --- | --- |"]
        lines += [f"| {r['factor']} | {_ci(r, 'effect')} |" for _, r in ranked.iterrows()]
        lines.append("")
    first = next(iter(data.factors), None)
    if first is not None and not cond.empty:
        given = cond[(cond["given"] == first) & (cond["metric"] == headline)]
        if not given.empty:
            lines += [f"## Does {first} amplify the others? ({headline})", "",
                      f"| lever | effect without {first} | effect with {first} |", "| --- | --- | --- |"]
            for factor, part in given.groupby("factor", sort=False):
                states = part.set_index("given_state")
                if {"off", "on"} <= set(states.index):
                    lines.append(f"| {factor} | {_ci(states.loc['off'], 'effect')} | "
                                 f"{_ci(states.loc['on'], 'effect')} |")
            lines.append("")
    lines += ["Files: `vs_baseline.csv`/`.png` (each arm vs the baseline), `main_effects.csv`/`.png`, "
              "`interactions.csv`/`.png`, `conditional_effects.csv`, `amplification.png`, `channels.png`, "
              "`founding_over_time.png`, `arm_summary.csv`, `run_metrics.csv`, `report_manifest.json`.", ""]
    return "\n".join(lines)


def write_report(root: str | Path, out: str | Path | None = None) -> list[Path]:
    """Write the tables (CSV) and figures (PNG) of a sweep; return the files written.

    Args:
        root: the sweep folder.
        out: where to write (default ``root/report``); built aside and moved in at once.
    """
    import matplotlib

    matplotlib.use("Agg")
    data = load_sweep(root)
    out = Path(out) if out is not None else Path(root) / "report"
    arm_names = [arm["name"] for arm in data.arms]
    values = run_metrics(data.runs, data.yearly, data.metrics, data.window)
    summary = arm_summary(values, arm_names, data.metrics)
    diffs = paired_differences(values, data.baseline, arm_names, data.metrics)
    factors = data.factors
    headline = data.metrics[0]
    with atomic.staged_dir(out) as stage:
        values.drop(columns=["run_id"]).to_csv(stage / "run_metrics.csv", index=False)
        summary.to_csv(stage / "arm_summary.csv", index=False, float_format="%.4g")
        diffs.to_csv(stage / "vs_baseline.csv", index=False, float_format="%.4g")
        everything = all_on_arm(data)
        shown = [ALL_ON if a == everything else a for a in _showcase_arms(data)]
        if not diffs.empty:
            plot_vs_baseline(
                _relabel(diffs, everything), data.metrics, data.baseline, stage / "vs_baseline.png"
            )
        plot_founding_over_time(
            SweepData(data.manifest, data.runs, _relabel(data.yearly, everything), data.metrics, data.window),
            shown,
            stage / "founding_over_time.png",
        )
        plot_channels(
            _relabel(summary, everything),
            _relabel(diffs, everything),
            shown,
            data.baseline,
            stage / "channels.png",
        )
        main = cond = pd.DataFrame()
        if factors and len(values):
            main, inter, cond = factorial_effects(values, data.arms, factors, data.metrics)
            main.to_csv(stage / "main_effects.csv", index=False, float_format="%.4g")
            inter.to_csv(stage / "interactions.csv", index=False, float_format="%.4g")
            cond.to_csv(stage / "conditional_effects.csv", index=False, float_format="%.4g")
            if not main.empty:
                plot_main_effects(main, data.metrics, stage / "main_effects.png")
            if not inter.empty:
                plot_interactions(inter, list(factors), headline, stage / "interactions.png")
                plot_amplification(cond, next(iter(factors)), headline, stage / "amplification.png")
        (stage / "README.md").write_text(headline_markdown(data, diffs, main, cond), encoding="utf-8")
        counts = data.runs["status"].value_counts().to_dict() if len(data.runs) else {}
        manifest = {
            **base_manifest(),
            "sweep": {
                k: data.manifest.get(k)
                for k in (
                    "spec",
                    "spec_digest",
                    "root_seed",
                    "replications",
                    "baseline",
                    "git_commit",
                    "versions",
                )
            },
            "runs": {"expected": data.manifest.get("runs"), **counts},
            "window": list(data.window),
            "files": sorted(p.name for p in stage.iterdir()) + ["report_manifest.json"],
        }
        atomic.write_json(stage / "report_manifest.json", manifest)
        written = sorted(p.name for p in stage.iterdir())
    return [out / name for name in written]
