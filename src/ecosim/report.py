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
An ``arms`` design gets each arm against the baseline; a Latin hypercube gets its sampled
parameters as columns of the run table and each outcome against each parameter (rank
correlations and scatter plots).

The report is written in English or Japanese (``lang``): every label, title and the README come
from :mod:`ecosim.i18n`, figures use the packaged Japanese font, CSV files carry a UTF-8 byte
order mark (Excel in Japan reads them without garbling) and ``report.xlsx`` holds every table,
one sheet each, with labelled columns and units.
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from ecosim import atomic, i18n, money, plots, spreadsheet
from ecosim.errors import ScenarioError
from ecosim.i18n import text
from ecosim.metric_registry import COMPARISONS, MONEY
from ecosim.provenance import base_manifest
from ecosim.store import MANIFEST, RunStore
from ecosim.sweep import foreign_run_check

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CHANNELS = ("founded_academic", "founded_spinout", "founded_release", "relocations")
"""How firms enter: the three founding channels, and relocations (a channel, not a founding)."""
LINEAGE_KEYS = ("largest_lineage", "largest_lineage_size", "lineage_largest")
MAX_ROWS = 12
"""Arms a figure of arms shows at most (the arms-vs-baseline figure the largest effects first, the
founding and channel figures the first in the design); the tables have them all."""
FIGURE_DPI = 110
FONT = 11
WRAP = 70
"""Characters a figure title may take on one line before it wraps (no clipped titles)."""
ALL_ON = "all levers on"


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
    def design(self) -> str:
        """The design's type: factorial, latin_hypercube, arms, points or robust."""
        return str(self.manifest["spec"]["design"].get("type", "factorial"))

    @property
    def replications(self) -> int:
        """Replications per arm."""
        return int(self.manifest.get("replications") or 0)

    @property
    def planned_runs(self) -> int:
        """Runs the design plans (every arm's replications), as the sweep counted them."""
        planned = self.manifest.get("runs")
        if isinstance(planned, int) and not isinstance(planned, bool):
            return planned
        return len(self.arms) * self.replications

    @property
    def factors(self) -> dict[str, list[Any]]:
        """Factor name -> levels in design order (factorial designs only; empty otherwise)."""
        stored = self.manifest.get("factors") or []
        if isinstance(stored, list):
            return {item["name"]: item["levels"] for item in stored}
        design = self.manifest["spec"]["design"]  # older manifests: a mapping, keys sorted
        order = [*design.get("levers", []), *design.get("parameters", {})]
        return {name: stored[name] for name in sorted(stored, key=order.index)}

    @property
    def parameters(self) -> list[str]:
        """Scenario field paths that some arm sets (sampled or listed), in order of appearance."""
        return list(dict.fromkeys(path for arm in self.arms for path in arm.get("set", {})))

    @property
    def money_view(self) -> tuple[str, int] | None:
        """The currency and price year the spec asks money to be shown in too, if any."""
        view = self.manifest["spec"].get("money")
        return (str(view["currency"]), int(view["year"])) if view else None


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
    """The window the sweep compares: as planned (clipped to ``--until``), else the spec's, else
    the first to the last simulated year in the runs.
    """
    window = manifest.get("window") or manifest["spec"].get("window")
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
    and the anchors' lineages come from the run summary.
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
        comparison = COMPARISONS.get(metric)
        if comparison is None:
            raise ValueError(f"unknown metric {metric!r}")
        source = comparison.metric.name
        if comparison.how == "sum":
            column = sums[source] if source in sums.columns else pd.Series(dtype=float)
        elif comparison.how == "end":
            column = last[source] if source in last.columns else pd.Series(dtype=float)
        else:
            key = lineage if metric == "largest_lineage" else f"summary.{source}"
            column = ok[key] if key is not None and key in ok.columns else pd.Series(dtype=float)
        result[metric] = column.reindex(result.index).astype(float)
    return result.reset_index().sort_values(["arm", "replication"], kind="stable")


def money_metric(metric: str, view: tuple[str, int]) -> str:
    """Name of a money metric shown in another currency and price year: vc_invested_jpy_2021."""
    return f"{metric}_{view[0].lower()}_{view[1]}"


def with_money_view(values: pd.DataFrame, metrics: list[str], view: tuple[str, int] | None) -> list[str]:
    """Add each money metric in the spec's currency and price year as a column of its own.

    The conversion is linear, so every mean, difference and interval of the new column is the
    converted one of the original.

    Returns:
        The metrics with the converted ones after their originals.
    """
    if view is None:
        return metrics
    shown = []
    for metric in metrics:
        shown.append(metric)
        if metric in MONEY and metric in values.columns:
            name = money_metric(metric, view)
            values[name] = money.from_model_usd(1.0, *view) * values[metric]
            shown.append(name)
    return shown


def with_parameters(values: pd.DataFrame, data: SweepData) -> pd.DataFrame:
    """The run table with each arm's set (or sampled) parameter values as columns."""
    if not data.parameters:
        return values
    by_arm = {arm["name"]: arm.get("set", {}) for arm in data.arms}
    columns = {
        path: values["arm"].map(lambda arm, path=path: _plain_value(by_arm.get(arm, {}).get(path)))
        for path in data.parameters
    }
    position = list(values.columns).index("replication") + 1
    head, tail = values.iloc[:, :position], values.iloc[:, position:]
    return pd.concat([head, pd.DataFrame(columns, index=values.index), tail], axis=1)


def _plain_value(value: Any) -> Any:
    """A parameter value for a table cell: a stated amount of money as its model value."""
    if isinstance(value, dict) and set(value) == money.Stated.KEYS:
        return money.Stated.parse(value).to_model()
    return value


MANIFEST_FIELDS = {"spec": dict, "arms": list, "baseline": str}
"""What the report reads from a sweep manifest, and of which type."""


def _check_manifest(manifest: dict[str, Any], path: Path) -> None:
    """Refuse a manifest the report cannot read (hand-edited, truncated and repaired, foreign)."""
    for key, kind in MANIFEST_FIELDS.items():
        if not isinstance(manifest.get(key), kind):
            message = f"missing or not a {kind.__name__}: not a manifest of `ecosim sweep`"
            raise ScenarioError(path, key, message)
    if not isinstance(manifest["spec"].get("design"), dict):
        raise ScenarioError(path, "spec.design", "missing or not a mapping: not a manifest of `ecosim sweep`")
    for i, arm in enumerate(manifest["arms"]):
        if not isinstance(arm, dict) or not isinstance(arm.get("name"), str):
            raise ScenarioError(path, f"arms[{i}]", "not an arm of `ecosim sweep` (no name)")


def load_sweep(root: str | Path) -> SweepData:
    """Read a sweep folder (manifest and run files).

    Raises:
        FileNotFoundError: when the folder holds no sweep manifest.
    """
    store = RunStore(root)
    manifest = store.read_manifest()
    if manifest is None:
        raise FileNotFoundError(f"{root}: no sweep manifest (manifest.json); run `ecosim sweep`")
    _check_manifest(manifest, store.root / MANIFEST)
    runs, yearly = store.load(check=foreign_run_check(manifest))
    metrics = list(manifest["spec"].get("metrics") or COMPARISONS)
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
                dict(factor_a=a, factor_b=b, metric=metric, interaction=mean, ci_low=low, ci_high=high, n=n)
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


def sensitivity(values: pd.DataFrame, parameters: list[str], metrics: list[str]) -> pd.DataFrame:
    """Spearman rank correlation of each metric with each numeric parameter over the runs."""
    rows = []
    for parameter in parameters:
        x = pd.to_numeric(values[parameter], errors="coerce")
        for metric in metrics:
            y = values[metric]
            usable = x.notna() & y.notna()
            n = int(usable.sum())
            rho = stats.spearmanr(x[usable], y[usable]).statistic if n > 2 else math.nan
            rows.append(dict(parameter=parameter, metric=metric, spearman=float(rho), n=n))
    return pd.DataFrame(rows)


def yearly_runs(data: SweepData, arms: list[str], column: str) -> pd.DataFrame:
    """Yearly values of one column for the successful runs of some arms (year, arm, replication)."""
    ok = set(data.runs.loc[data.runs["status"] == "ok", "run_id"])
    frame = data.yearly[data.yearly["run_id"].isin(ok) & data.yearly["arm"].isin(arms)]
    if column not in frame.columns:
        return pd.DataFrame()
    return frame[["year", "arm", "replication", column]]


def yearly_means(data: SweepData, arms: list[str], column: str) -> pd.DataFrame:
    """Year x arm table of the mean of a yearly column over successful replications."""
    frame = yearly_runs(data, arms, column)
    if frame.empty:
        return pd.DataFrame()
    return frame.groupby(["year", "arm"])[column].mean().unstack("arm").reindex(columns=arms)


def all_on_arm(data: SweepData) -> str | None:
    """Name of the arm with every factor at its last level (all levers on), if any."""
    if not data.factors:
        return None
    levels = factor_levels(data.arms, data.factors)
    last = pd.Series({f: len(v) - 1 for f, v in data.factors.items()})
    hits = [name for name, row in levels.iterrows() if (row == last).all()]
    return hits[0] if hits else None


# ---------------------------------------------------------------------------------------------
# Labels: every name a person reads comes from ecosim.i18n.


def metric_label(metric: str, view: tuple[str, int] | None = None) -> str:
    """A metric's label with its unit: "VC invested (USD m, 2000 prices)"."""
    if view is not None and metric.endswith(f"_{view[0].lower()}_{view[1]}"):
        base = metric.removesuffix(f"_{view[0].lower()}_{view[1]}")
        return text("with_unit", label=text("metric_" + base), unit=metric_unit(metric))
    label = text("metric_" + metric)
    return text("with_unit", label=label, unit=metric_unit(metric)) if metric in COMPARISONS else label


def metric_unit(metric: str) -> str:
    """A metric's unit in words, as the metric registry declares it ("USD m, 2000 prices"); a
    money metric converted to the spec's currency (vc_invested_jpy_2021) in that currency and year.
    """
    converted = _view_of(metric)
    if converted is not None:
        return text("unit_money", currency=text("currency_" + converted[0]), year=converted[1])
    comparison = COMPARISONS.get(metric)
    return text(comparison.unit if comparison is not None else "unit_firms")


def short_metric(metric: str) -> str:
    """A metric's label without its unit, for panel titles and sentences."""
    return text("metric_" + metric)


def in_sentence(label: str) -> str:
    """A label inside an English sentence: "extra startups founded", not "extra Startups founded";
    an initialism ("VC invested") and Japanese stay as written.
    """
    if label[:1].isupper() and not label[1:2].isupper():
        return label[0].lower() + label[1:]
    return label


class ArmNames:
    """Readable names of arms and levers, in the report's language.

    A factorial arm is named by its levers joined with "+"; each lever is shown by the short
    label its scenario gives (``short`` / ``short_ja``), recorded in the sweep manifest, else by
    its key with spaces. An arm named after the scenario file it runs is shown by that
    scenario's name (``name`` / ``name_ja``).
    """

    def __init__(self, data: SweepData) -> None:
        self.labels: dict[str, dict[str, str]] = data.manifest.get("lever_labels") or {}
        self.arm_labels: dict[str, dict[str, str]] = data.manifest.get("arm_labels") or {}
        self.baseline = data.baseline
        self.everything = all_on_arm(data)
        self.of_levers = data.design == "factorial"

    def lever(self, name: str) -> str:
        """A lever's short label."""
        entry = self.labels.get(name) or {}
        return entry.get(i18n.language()) or entry.get("en") or name.replace("_", " ")

    def plural(self) -> str:
        """What the arms are, in a title's words: the levers of a factorial; otherwise "the arms"
        (an arms design's may be histories or factor levels, not levers).
        """
        return text("arms_levers" if self.of_levers else "arms_any")

    def arm(self, name: str) -> str:
        """An arm's label."""
        if name in self.arm_labels:  # named after its scenario file: the scenario's name
            entry = self.arm_labels[name]
            return entry.get(i18n.language()) or entry["en"]
        if name == self.everything:
            return text("all_levers_on")
        if name == "baseline":
            return text("baseline_arm")
        if "+" in name and not name.startswith("+"):
            return " + ".join(self.lever(part) for part in name.split("+"))
        return self.lever(name) if name in self.labels else name.replace("_", " ")


def _wrap(title: str) -> str:
    return "\n".join(textwrap.wrap(title, WRAP)) if "\n" not in title else title


def _number(value: float, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return text("not_available")
    return f"{value:,.{digits}f}"


def digits_for(*values: float) -> int:
    """Decimals that show numbers of this size apart: none from 100 up, one below (means of 5.5
    and 6.5 written "6" and "6" beside a difference of "+1" did not add up).
    """
    sizes = [abs(v) for v in values if v is not None and not math.isnan(v)]
    return 0 if not sizes or max(sizes) >= 100 else 1


def ci_text(row: pd.Series, value: str = "difference", digits: int | None = None) -> str:
    """'+1,234 (95% CI 1,100 to 1,350)' from a table row; 'n/a' for an interval one run cannot give.
    ``digits`` defaults to what the row's numbers need (digits_for).
    """
    centre = row[value]
    if centre is None or math.isnan(centre):
        return text("not_available")
    if digits is None:
        digits = digits_for(centre, row["ci_low"], row["ci_high"])
    signed = f"{centre:+,.{digits}f}"
    if math.isnan(row["ci_low"]) or math.isnan(row["ci_high"]):
        return text("report_ci_na", value=signed)
    return text(
        "report_ci", value=signed, low=_number(row["ci_low"], digits), high=_number(row["ci_high"], digits)
    )


# ---------------------------------------------------------------------------------------------
# Figures (ecosim.plots: no pyplot state).


def _forest(ax: Any, labels: list[str], mean: np.ndarray, low: np.ndarray, high: np.ndarray) -> None:
    """Horizontal points with CI whiskers, first label on top, a zero line; a point whose interval
    excludes zero in plots.DISTINGUISHABLE_COLOUR, the others in plots.INDISTINGUISHABLE_COLOUR.
    """
    pos = np.arange(len(labels))[::-1]
    err = np.vstack([mean - low, high - mean])
    significant = (low > 0) | (high < 0)
    ax.errorbar(mean, pos, xerr=np.nan_to_num(err), fmt="none", ecolor="#555555", capsize=2, lw=1)
    colours = [plots.DISTINGUISHABLE_COLOUR if s else plots.INDISTINGUISHABLE_COLOUR for s in significant]
    ax.scatter(mean, pos, c=colours, zorder=3, s=26)
    ax.axvline(0, color="black", lw=0.8)
    # Half a row above the first and below the last: matplotlib's 5% margin of the span puts
    # the end rows' points and whiskers on the frame when there are only a few rows.
    ax.set_ylim(-0.5, len(labels) - 0.5)
    ax.set_yticks(pos, labels)
    ax.tick_params(labelsize=FONT)
    ax.grid(axis="x", alpha=0.3)


def _save(fig: Any, path: Path) -> None:
    plots.save_png(fig, path, dpi=FIGURE_DPI, bbox_inches="tight")


def plot_main_effects(main: pd.DataFrame, metrics: list[str], names: ArmNames, path: Path) -> Figure:
    """One panel per metric: each lever's main effect with its 95% CI, largest first.

    Returns:
        The figure written.
    """
    shown = [m for m in metrics if m in set(main["metric"])]
    cols = min(3, len(shown))
    rows = math.ceil(len(shown) / cols)
    fig, axes = plots.subplots(rows, cols, figsize=(5.2 * cols, 0.8 + 2.9 * rows), squeeze=False)
    for ax, metric in zip(axes.flat, shown, strict=False):
        part = main[main["metric"] == metric].sort_values("effect", ascending=False).head(MAX_ROWS)
        labels = [
            names.lever(str(f)) if isinstance(lv, bool) else f"{f} = {lv}"
            for f, lv in zip(part["factor"], part["level"], strict=True)
        ]
        _forest(ax, labels, part["effect"].to_numpy(), part["ci_low"].to_numpy(), part["ci_high"].to_numpy())
        ax.set_title(_wrap(metric_label(metric)), fontsize=FONT + 1)
    for ax in list(axes.flat)[len(shown) :]:
        ax.axis("off")
    fig.suptitle(_wrap(text("fig_main_effects")), fontsize=FONT + 2)
    fig.tight_layout()
    _save(fig, path)
    return fig


KEY_METRICS = ("anchor_lineage", "startups_founded", "startups_active_end", "vc_invested", "largest_lineage")
"""The metrics the arms-vs-baseline figure shows, when the spec has them."""


def plot_vs_baseline(diffs: pd.DataFrame, metrics: list[str], names: ArmNames, path: Path) -> Figure | None:
    """The arms with the largest paired differences from the baseline, one panel per key metric.

    Arms are sorted by their effect on the first metric, in the same order in every panel; at
    most MAX_ROWS arms are drawn (the table has them all).

    Returns:
        The figure written (None: no difference to draw).
    """
    shown = [m for m in KEY_METRICS if m in metrics and m in set(diffs["metric"])] or metrics[:1]
    first = diffs[diffs["metric"] == shown[0]].sort_values("difference", ascending=False)
    if first.empty:
        return None
    order = list(first["arm"].head(MAX_ROWS))
    # 1.6 inches for the titles and the axis, 0.36 a row; the panels at least four rows tall, so
    # that one or two arms do not sit in a slit.
    height = 1.6 + 0.36 * max(len(order), 4)
    fig, axes = plots.subplots(
        1, len(shown), figsize=(3.9 * len(shown) + 3.4, height), sharey=True, squeeze=False
    )
    for ax, metric in zip(axes[0], shown, strict=True):
        part = diffs[diffs["metric"] == metric].set_index("arm").reindex(order)
        _forest(
            ax,
            [names.arm(a) for a in order],
            part["difference"].to_numpy(),
            part["ci_low"].to_numpy(),
            part["ci_high"].to_numpy(),
        )
        base = part["baseline_mean"].dropna()
        title = short_metric(metric)
        if len(base):
            title += "\n" + text("fig_baseline_mean", value=_number(float(base.iloc[0])))
        ax.set_title(title, fontsize=FONT + 1)
        ax.set_xlabel(text("fig_difference", unit=metric_unit(metric)), fontsize=FONT)
    # A factorial's arms are mixes of policies; an arms design's may be histories (the lineages'
    # counterfactual) or factor levels (the dose responses), which "policy mix" misnamed.
    key = "fig_vs_baseline" if names.of_levers else "fig_vs_baseline_arms"
    title = text(key, baseline=names.arm(names.baseline))
    total = first["arm"].nunique()
    if total > len(order):
        title += " · " + text("fig_more_arms", shown=len(order), total=total)
    fig.suptitle(_wrap(title), fontsize=FONT + 2)
    fig.tight_layout()
    _save(fig, path)
    return fig


def plot_interactions(
    inter: pd.DataFrame, factors: list[str], metric: str, names: ArmNames, path: Path
) -> Figure | None:
    """Heat map of two-way interactions (row lever's effect, column lever on minus off).

    Each number is written in black or white by its cell's colour; the diagonal (a lever with
    itself) is grey and hatched, empty, not the white that means no interaction.

    Returns:
        The figure written (None: no interaction of ``metric``).
    """
    from matplotlib import colormaps
    from matplotlib.patches import Rectangle

    part = inter[inter["metric"] == metric]
    if part.empty:
        return None
    size = len(factors)
    grid = np.full((size, size), np.nan)
    sig = np.zeros((size, size), dtype=bool)
    for row in part.itertuples():
        i, j = factors.index(row.factor_a), factors.index(row.factor_b)
        grid[i, j] = grid[j, i] = row.interaction
        sig[i, j] = sig[j, i] = (row.ci_low > 0) or (row.ci_high < 0)
    limit = np.nanmax(np.abs(grid)) or 1.0
    fig, ax = plots.subplots(figsize=(1.5 * size + 3.5, 1.2 * size + 2))
    # Cells without a value in grey (the scale's white is an interaction of 0).
    scale = colormaps["RdBu_r"].with_extremes(bad=plots.EMPTY_CELL_COLOUR)
    image = ax.imshow(grid, cmap=scale, vmin=-limit, vmax=limit)
    for i in range(size):
        # The diagonal hatched over the grey, so it reads as empty (the hatch takes the edge
        # colour; no border is drawn).
        ax.add_patch(
            Rectangle(
                (i - 0.5, i - 0.5),
                1,
                1,
                facecolor=plots.EMPTY_CELL_COLOUR,
                hatch="//",
                edgecolor="white",
                lw=0,
            )
        )
        for j in range(size):
            if not np.isnan(grid[i, j]):
                ax.text(
                    j,
                    i,
                    f"{grid[i, j]:+.1f}{'*' if sig[i, j] else ''}",
                    ha="center",
                    va="center",
                    fontsize=FONT,
                    color=plots.text_colour_on(scale(image.norm(grid[i, j]))),
                )
    labels = [names.lever(f) for f in factors]
    ax.set_xticks(range(size), labels, rotation=30, ha="right", fontsize=FONT)
    ax.set_yticks(range(size), labels, fontsize=FONT)
    bar = text("fig_interactions_bar", metric=in_sentence(short_metric(metric)))
    fig.colorbar(image, ax=ax, label=text("with_unit", label=bar, unit=metric_unit(metric)))
    ax.set_title(text("fig_interactions", metric=short_metric(metric)), fontsize=FONT + 1)
    fig.tight_layout()
    _save(fig, path)
    return fig


def plot_amplification(cond: pd.DataFrame, given: str, metric: str, names: ArmNames, path: Path) -> None:
    """Each other lever's effect with lever ``given`` off and on, side by side."""
    part = cond[(cond["metric"] == metric) & (cond["given"] == given)]
    if part.empty:
        return
    others = list(dict.fromkeys(part["factor"]))
    fig, ax = plots.subplots(figsize=(1.9 * len(others) + 3, 4.5))
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
            label=f"{names.lever(given)}: {text('state_' + state)}",
        )
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x, ["\n".join(textwrap.wrap(names.lever(o), 16)) for o in others], fontsize=FONT)
    ax.set_ylabel(text("fig_effect_on", metric=short_metric(metric)), fontsize=FONT)
    ax.set_title(_wrap(text("fig_amplification", lever=names.lever(given))), fontsize=FONT + 1)
    ax.legend(fontsize=FONT)
    fig.tight_layout()
    _save(fig, path)


def plot_founding_over_time(data: SweepData, arms: list[str], names: ArmNames, path: Path) -> Figure | None:
    """Cumulative startups founded per year for some arms: mean over replications and a 95% band.

    The baseline is drawn thick in black and the arm with every lever on thick in its colour;
    the other arms thin, each in a colour and line style of its own.

    Returns:
        The figure written (None: no yearly foundings to draw).
    """
    from matplotlib.ticker import MaxNLocator

    frame = yearly_runs(data, arms, "startups_founded")
    if frame.empty:
        return None
    frame = frame.sort_values("year")
    frame["cumulative"] = frame.groupby(["arm", "replication"])["startups_founded"].cumsum()
    fig, ax = plots.subplots(figsize=(9, 5))
    others = [arm for arm in arms if arm != data.baseline]
    for arm in arms:
        part = frame[frame["arm"] == arm]
        if part.empty:
            continue
        band = [t_interval(g.to_numpy()) for _, g in part.groupby("year")["cumulative"]]
        years = sorted(part["year"].unique())
        mean = np.array([b[0] for b in band])
        low, high = np.array([b[1] for b in band]), np.array([b[2] for b in band])
        colour, style = (
            (plots.BASELINE_COLOUR, "-") if arm == data.baseline else plots.series_style(others.index(arm))
        )
        width = 2.6 if arm in (data.baseline, names.everything) else 1.3
        ax.plot(years, mean, lw=width, color=colour, ls=style, label=names.arm(arm))
        if not np.isnan(low).all():
            ax.fill_between(years, low, high, color=colour, alpha=0.15, lw=0)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(text("fig_year"), fontsize=FONT)
    ax.set_ylabel(text("fig_founding_axis"), fontsize=FONT)
    ax.tick_params(labelsize=FONT)
    ax.set_title(_with_note(text("fig_founding_over_time"), _showcase_note(data, arms)), fontsize=FONT + 2)
    # Beside the chart: a dozen arms' legend inside it would hide lines.
    ax.legend(fontsize=FONT - 1, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    _save(fig, path)
    return fig


def plot_channels(
    summary: pd.DataFrame, diffs: pd.DataFrame, arms: list[str], names: ArmNames, path: Path, note: str = ""
) -> Figure | None:
    """Firms founded by channel: totals (left) and paired change vs the baseline (right).

    Args:
        summary: arm_summary's table.
        diffs: paired_differences' table.
        arms: the arms drawn, top to bottom.
        names: the arms' and levers' labels.
        path: the PNG to write.
        note: which arms are left out and why (_showcase_note), under the left panel's title.

    Returns:
        The figure written (None: no channel among the metrics).
    """
    part = summary[summary["metric"].isin(CHANNELS)]
    if part.empty:
        return None
    table = part.pivot(index="arm", columns="metric", values="mean").reindex(arms)
    channels = [c for c in CHANNELS if c in table.columns]
    labels = [names.arm(a) for a in arms]
    pos = np.arange(len(arms))[::-1]
    fig, (left, right) = plots.subplots(
        1, 2, figsize=(14, 2.8 + 0.45 * len(arms)), sharey=True, gridspec_kw={"width_ratios": [1, 1.2]}
    )
    start = np.zeros(len(arms))
    colors = [plots.CHANNEL_COLOURS[c] for c in channels]
    for channel, color in zip(channels, colors, strict=True):
        widths = table[channel].fillna(0).to_numpy()
        left.barh(pos, widths, left=start, color=color, label=short_metric(channel))
        start += widths
    left.set_yticks(pos, labels, fontsize=FONT)
    left.set_xlabel(text("fig_channels_left_axis"), fontsize=FONT)
    left.set_title(_with_note(text("fig_channels_left"), note), fontsize=FONT + 1)
    height = 0.8 / max(1, len(channels))
    for k, (channel, color) in enumerate(zip(channels, colors, strict=True)):
        rows = diffs[diffs["metric"] == channel].set_index("arm").reindex(arms) if len(diffs) else None
        if rows is None or rows.empty:
            continue
        offset = pos + 0.4 - height * (k + 0.5)
        spread = [rows["difference"] - rows["ci_low"], rows["ci_high"] - rows["difference"]]
        err = np.nan_to_num(np.vstack(spread))
        right.barh(
            offset,
            rows["difference"].fillna(0),
            height=height,
            color=color,
            xerr=err,
            error_kw={"lw": 0.8, "capsize": 1.5},
        )
    right.axvline(0, color="black", lw=0.8)
    right.set_xlabel(text("fig_channels_right_axis", baseline=names.arm(names.baseline)), fontsize=FONT)
    right.set_title(text("fig_channels_right", arms=names.plural()), fontsize=FONT + 1)
    right.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    plots.legend_below(left, fontsize=FONT - 1, ncol=2)
    _save(fig, path)
    return fig


def plot_sensitivity(values: pd.DataFrame, parameters: list[str], metrics: list[str], path: Path) -> None:
    """Each outcome (row) against each sampled parameter (column), one dot per run."""
    numeric = [p for p in parameters if pd.to_numeric(values[p], errors="coerce").notna().any()]
    shown = metrics[:4]
    if not numeric or not shown:
        return
    fig, axes = plots.subplots(
        len(shown), len(numeric), figsize=(3.8 * len(numeric) + 1, 3.0 * len(shown)), squeeze=False
    )
    for i, metric in enumerate(shown):
        for j, parameter in enumerate(numeric):
            ax = axes[i, j]
            ax.scatter(pd.to_numeric(values[parameter], errors="coerce"), values[metric], s=12, alpha=0.6)
            ax.tick_params(labelsize=FONT - 1)
            ax.grid(alpha=0.3)
            if i == len(shown) - 1:
                ax.set_xlabel(parameter, fontsize=FONT)
            if j == 0:
                ax.set_ylabel("\n".join(textwrap.wrap(short_metric(metric), 18)), fontsize=FONT)
    fig.suptitle(text("fig_sensitivity"), fontsize=FONT + 2)
    fig.tight_layout()
    _save(fig, path)


def plot_rank_first(ranks: pd.DataFrame, metrics: list[str], names: ArmNames, path: Path) -> None:
    """The probability that each lever ranks first, with its interval, one panel an outcome."""
    shown = [m for m in metrics if m in set(ranks["metric"])][:4]
    fig, axes = plots.subplots(1, len(shown), figsize=(4.6 * len(shown), 3.6), squeeze=False)
    for ax, metric in zip(axes[0], shown, strict=True):
        part = ranks[ranks["metric"] == metric]
        y = np.arange(len(part))
        p = part["probability_first"].to_numpy()
        err = np.vstack([p - part["low"].to_numpy(), part["high"].to_numpy() - p])
        ax.barh(y, p, xerr=err, color=plots.SERIES_COLOURS[0])
        ax.set_yticks(y, [names.lever(str(lever)) for lever in part["lever"]], fontsize=FONT)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_title(_wrap(short_metric(metric)), fontsize=FONT + 1)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(text("fig_rank_first"), fontsize=FONT + 2)
    fig.tight_layout()
    _save(fig, path)


def _posterior_note(design: dict[str, Any]) -> list[str]:
    """The sentence naming a robust design's posterior draws (none without them)."""
    drawn = design.get("posterior")
    if not drawn:
        return []
    constants = ", ".join(f"`{name}`" for name in drawn["constants"])
    return [text("report_robust_posterior", constants=constants, file=drawn["file"]), ""]


def _robust_reading(tables: dict[str, pd.DataFrame], metrics: list[str], names: ArmNames) -> list[str]:
    """The robust report's reading for a policy reader: which levers raise each outcome beyond
    the uncertainty, which ranks first most often, whether the leaders are told apart, and what
    PRIM found; every clause read from the tables below it.
    """
    from ecosim import robustness

    effects = tables.get("lever_effects", pd.DataFrame())
    if effects.empty:
        return []
    ranks = tables["rank_first"]
    pairs, boxes = tables.get("top_two", pd.DataFrame()), tables.get("prim_boxes", pd.DataFrame())
    joined = text("list_separator").join
    lines = ["## " + text("report_reading"), ""]
    for metric in [m for m in metrics if m in set(effects["metric"])][:2]:
        eff = effects[effects["metric"] == metric].set_index("lever").sort_values("mean", ascending=False)
        up = [names.lever(str(lever)) for lever in eff.index[eff["ci_low"] > 0]]
        down = [names.lever(str(lever)) for lever in eff.index[eff["ci_high"] < 0]]
        parts = [
            text("reading_raise", metric=short_metric(metric), levers=joined(up))
            if up
            else text("reading_raise_none", metric=short_metric(metric))
        ]
        if down:
            parts.append(text("reading_lower", levers=joined(down)))
        rank = ranks[ranks["metric"] == metric].set_index("lever")["probability_first"]
        leaders = [names.lever(str(lever)) for lever in rank.index[rank == rank.max()]]  # ties: all
        parts.append(text("reading_first", lever=joined(leaders), share=f"{rank.max():.0%}"))
        pair = pairs[pairs["metric"] == metric] if not pairs.empty else pairs
        if not pair.empty:
            top = pair.iloc[0]
            key = "reading_order_yes" if top["separable"] else "reading_order_no"
            parts.append(
                text(key, first=names.lever(str(top["first"])), second=names.lever(str(top["second"])))
            )
        mine = boxes[boxes["metric"] == metric] if not boxes.empty else boxes
        if robustness.prim_available():
            if mine.empty:
                parts.append(text("reading_prim_none"))
            for lever, part in mine.groupby("lever", sort=False) if not mine.empty else []:
                box = joined(f"`{row.parameter}` {row.low:.4g}-{row.high:.4g}" for row in part.itertuples())
                parts.append(text("reading_prim", lever=names.lever(str(lever)), box=box))
        lines += ["- " + functools.reduce(lambda a, b: text("sentence_join", first=a, second=b), parts)]
    return [*lines, "", text("reading_caveat"), ""]


def _robust_lines(
    data: SweepData, tables: dict[str, pd.DataFrame], metrics: list[str], names: ArmNames
) -> list[str]:
    """The README's section of a robust design: effects, rank probabilities, PRIM boxes."""
    from ecosim import robustness

    effects = tables.get("lever_effects", pd.DataFrame())
    if effects.empty:
        return []
    ranks, boxes = tables["rank_first"], tables.get("prim_boxes", pd.DataFrame())
    design = data.manifest["spec"]["design"]
    lines: list[str] = []
    for metric in [m for m in metrics if m in set(effects["metric"])][:2]:
        eff = effects[effects["metric"] == metric].set_index("lever")
        rank = ranks[ranks["metric"] == metric].set_index("lever")
        lines += [
            "## " + text("report_robust", metric=short_metric(metric)),
            "",
            text(
                "report_robust_note",
                states=int(rank["states"].max()),
                samples=design["samples"],
                parameters=", ".join(f"`{p}`" for p in design["parameters"]),
                replications=data.replications,
            ),
            "",
            *_posterior_note(design),
            f"| {text('col_lever')} | {text('col_effect')} | {text('col_effect_range')} | "
            f"{text('col_first')} | {text('col_clear')} |",
            "| --- | --- | --- | --- | ---: |",
        ]
        for lever in rank.sort_values("probability_first", ascending=False).index:
            e, r = eff.loc[lever], rank.loc[lever]
            effect = text(
                "report_ci",
                value=_number(e["mean"], 1),
                low=_number(e["ci_low"], 1),
                high=_number(e["ci_high"], 1),
            )
            spread = text("report_range", low=_number(e["p05"], 1), high=_number(e["p95"], 1))
            first = f"{r['probability_first']:.2f} [{r['low']:.2f}-{r['high']:.2f}]"
            clear = _number(r["clear_share"], 2)
            lines.append(f"| {names.lever(str(lever))} | {effect} | {spread} | {first} | {clear} |")
        lines.append("")
        pairs = tables.get("top_two", pd.DataFrame())
        pair = pairs[pairs["metric"] == metric] if not pairs.empty else pairs
        if not pair.empty:
            top = pair.iloc[0]
            verdict = "report_order_established" if top["separable"] else "report_order_not_established"
            lines += [
                text(
                    "report_top_two",
                    first=names.lever(str(top["first"])),
                    second=names.lever(str(top["second"])),
                    difference=text(
                        "report_ci",
                        value=_number(top["difference"], 1),
                        low=_number(top["ci_low"], 1),
                        high=_number(top["ci_high"], 1),
                    ),
                    states=int(top["states"]),
                    verdict=text(verdict),
                ),
                "",
            ]
        mine = boxes[boxes["metric"] == metric] if not boxes.empty else boxes
        if not robustness.prim_available():
            lines += [text("report_prim_missing"), ""]
        else:
            lines += ["### " + text("report_prim"), "", text("report_prim_note"), ""]
            if mine.empty:
                lines += [text("report_prim_none"), ""]
            for lever, part in mine.groupby("lever", sort=False) if not mine.empty else []:
                first = part.iloc[0]
                box = ", ".join(
                    f"`{row.parameter}` {row.low:.4g}-{row.high:.4g} (qp {row.qp:.2g})"
                    for row in part.itertuples()
                )
                lines.append(
                    "- "
                    + text(
                        "report_prim_row",
                        lever=names.lever(str(lever)),
                        base=f"{first['base_rate']:.2f}",
                        box=box or "-",
                        density=f"{first['density']:.2f}",
                        coverage=f"{first['coverage']:.2f}",
                    )
                )
            lines.append("")
    return lines


def _showcase_arms(data: SweepData) -> list[str]:
    """Baseline, every single-lever arm, and the arm with every lever on (when they exist); in a
    design without factors the baseline and the others in design order, MAX_ROWS in all.
    """
    names = [arm["name"] for arm in data.arms]
    if data.design == "robust":  # the first state of the world, none and each lever alone
        return [n for n in names if n.split("+")[0] == names[0]]
    if not data.factors:
        return list(dict.fromkeys([data.baseline, *names]))[:MAX_ROWS]
    levels = factor_levels(data.arms, data.factors)
    on = (levels > 0).sum(axis=1)
    first_on = {n: int(np.argmax(levels.loc[n].to_numpy() > 0)) for n in names}
    singles = sorted((n for n in names if on[n] == 1), key=lambda n: first_on[n])
    everything = [n for n in names if on[n] == len(data.factors)]
    return list(dict.fromkeys([data.baseline, *singles, *everything]))


def _showcase_note(data: SweepData, shown: list[str]) -> str:
    """What a figure of the showcase arms says of the arms it leaves out ("" when none is)."""
    total = len(data.arms)
    if len(shown) >= total:
        return ""
    key = "fig_arms_factorial" if data.factors else "fig_arms_first"
    return text(key, shown=len(shown), total=total)


def _with_note(title: str, note: str) -> str:
    """A figure's title with a note on a line of its own (none: the title alone)."""
    return f"{title}\n{note}" if note else title


# ---------------------------------------------------------------------------------------------
# README and spreadsheet.


def _spec_text(data: SweepData, key: str) -> str:
    spec = data.manifest["spec"]
    if i18n.language() == "ja" and spec.get(f"{key}_ja"):
        return str(spec[f"{key}_ja"]).strip()
    return str(spec.get(key, "")).strip()


def headline_markdown(
    data: SweepData, tables: dict[str, pd.DataFrame], metrics: list[str], names: ArmNames, files: list[str]
) -> str:
    """The report's README: what was run and its headline numbers, all read from the tables."""
    view = data.money_view
    lines = [
        "# " + text("report_title", name=data.manifest["spec"].get("name", "")),
        "",
        *([_spec_text(data, "description"), ""] if _spec_text(data, "description") else []),
        text(
            "report_design",
            arms=len(data.arms),
            replications=data.replications,
            start=data.window[0],
            end=data.window[1],
            baseline=names.arm(data.baseline),
        ),
        "",
    ]
    missing = missing_runs_text(data)
    if missing:
        lines += [missing, ""]
    clipped = data.manifest.get("window_clipped")
    if clipped:
        lines += [text("report_clipped", **clipped), ""]
    if data.replications < 2:
        lines += [text("report_one_replication"), ""]
    money_note = ""
    if view:
        unit = text("unit_money", currency=text("currency_" + view[0]), year=view[1])
        money_note = text("report_money_also", unit=unit)
    diffs = tables.get("vs_baseline", pd.DataFrame())
    headline = metrics[0]
    everything = all_on_arm(data)
    if not diffs.empty:
        arms_shown = [everything] if everything is not None else list(dict.fromkeys(diffs["arm"]))[:MAX_ROWS]
        if everything is not None:
            levers = " + ".join(names.lever(part) for part in everything.split("+"))
            lines.append("## " + text("report_all_on", arm=levers))
        elif len(arms_shown) == 1:
            lines.append("## " + text("report_arm_vs", arm=names.arm(arms_shown[0])))
        else:
            lines.append("## " + text("report_arms_vs"))
        lines.append("")
        lines += _difference_table(diffs, arms_shown, metrics, names)
        lines += ["", text("report_counts_note", money=money_note), ""]
    main = tables.get("main_effects", pd.DataFrame())
    if not main.empty:
        ranked = main[main["metric"] == headline].sort_values("effect", ascending=False)
        lines += [
            "## " + text("report_main", metric=short_metric(headline)),
            "",
            text("report_main_note"),
            "",
            f"| {text('col_factor')} | {text('col_effect')} |",
            "| --- | --- |",
        ]
        lines += [
            f"| {names.lever(str(r['factor']))} | {ci_text(r, 'effect')} |" for _, r in ranked.iterrows()
        ]
        lines.append("")
    cond = tables.get("conditional_effects", pd.DataFrame())
    first = next(iter(data.factors), None)
    if first is not None and not cond.empty:
        given = cond[(cond["given"] == first) & (cond["metric"] == headline)]
        if not given.empty:
            lever = names.lever(first)
            lines += [
                "## " + text("report_amplify", lever=lever, metric=short_metric(headline)),
                "",
                f"| {text('col_factor')} | {text('report_effect_without', lever=lever)} | "
                f"{text('report_effect_with', lever=lever)} |",
                "| --- | --- | --- |",
            ]
            for factor, part in given.groupby("factor", sort=False):
                states = part.set_index("given_state")
                if {"off", "on"} <= set(states.index):
                    lines.append(
                        f"| {names.lever(str(factor))} | {ci_text(states.loc['off'], 'effect')} | "
                        f"{ci_text(states.loc['on'], 'effect')} |"
                    )
            lines.append("")
    sens = tables.get("sensitivity", pd.DataFrame())
    if not sens.empty:
        samples = data.manifest["spec"]["design"].get("samples", len(data.arms))
        shown = [m for m in metrics if m in set(sens["metric"])][:5]
        lines += [
            "## " + text("report_sampled"),
            "",
            text("report_sampled_note", samples=samples),
            "",
            "| " + " | ".join([text("col_parameter"), *(short_metric(m) for m in shown)]) + " |",
            "| --- |" + " ---: |" * len(shown),
        ]
        for parameter, part in sens.groupby("parameter", sort=False):
            rho = part.set_index("metric")["spearman"]
            cells = " | ".join(_number(rho.get(m, math.nan), 2) for m in shown)
            lines.append(f"| `{parameter}` | {cells} |")
        lines.append("")
    lines += _robust_reading(tables, metrics, names)
    lines += _robust_lines(data, tables, metrics, names)
    stated = data.manifest.get("stated_money") or []
    if stated:
        lines += [
            "## " + text("report_stated_money"),
            "",
            f"| {text('col_arm')} | {text('col_item')} | {text('col_value')} | USD m (2000) |",
            "| --- | --- | --- | ---: |",
        ]
        lines += [
            f"| {names.arm(s['arm'])} | `{s['field']}` | {s['stated']} | {s['model_musd']:,.1f} |"
            for s in stated
        ]
        lines.append("")
    lines += ["## " + text("report_files"), ""]
    for name in files:
        key = "file_" + name.replace(".", "_")
        lines.append(f"- `{name}`: {text(key)}" if key in i18n.LABELS else f"- `{name}`")
    lines.append("")
    return "\n".join(lines)


def _difference_table(diffs: pd.DataFrame, arms: list[str], metrics: list[str], names: ArmNames) -> list[str]:
    single = len(arms) == 1
    if single:
        rows = diffs[diffs["arm"] == arms[0]].set_index("metric")
        out = [
            f"| {text('col_metric')} | {text('col_baseline_mean')} | {text('col_arm_mean')} | "
            f"{text('col_difference')} |",
            "| --- | ---: | ---: | --- |",
        ]
        for metric in metrics:
            if metric in rows.index:
                row = rows.loc[metric]
                relative = "" if math.isnan(row["relative"]) else f" ({row['relative']:+.0%})"
                # One precision across the row, so that the means and their difference add up.
                digits = digits_for(row["baseline_mean"], row["arm_mean"], row["ci_low"], row["ci_high"])
                out.append(
                    f"| {metric_label(metric, _view_of(metric))} | {_number(row['baseline_mean'], digits)} | "
                    f"{_number(row['arm_mean'], digits)} | {ci_text(row, digits=digits)}{relative} |"
                )
        return out
    shown = [m for m in metrics if m in set(diffs["metric"])][:4]
    out = [
        "| " + " | ".join([text("col_arm"), *(short_metric(m) for m in shown)]) + " |",
        "| --- |" + " --- |" * len(shown),
    ]
    for arm in arms:
        rows = diffs[diffs["arm"] == arm].set_index("metric")
        out.append(
            f"| {names.arm(arm)} | "
            + " | ".join(ci_text(rows.loc[m]) if m in rows.index else text("not_available") for m in shown)
            + " |"
        )
    return out


def _view_of(metric: str) -> tuple[str, int] | None:
    parts = metric.rsplit("_", 2)
    if len(parts) == 3 and parts[1].upper() in money.CURRENCIES and parts[2].isdigit():
        return parts[1].upper(), int(parts[2])
    return None


COLUMN_LABELS = {
    "arm": "col_arm",
    "replication": "col_replication",
    "metric": "col_metric",
    "mean": "col_mean",
    "sd": "col_sd",
    "ci_low": "col_ci_low",
    "ci_high": "col_ci_high",
    "n": "col_n",
    "baseline_mean": "col_baseline_mean",
    "arm_mean": "col_arm_mean",
    "difference": "col_difference",
    "relative": "col_relative",
    "factor": "col_factor",
    "level": "col_level",
    "effect": "col_effect",
    "factor_a": "col_factor_a",
    "factor_b": "col_factor_b",
    "interaction": "col_interaction",
    "given": "col_given",
    "given_state": "col_given_state",
    "parameter": "col_parameter",
    "spearman": "col_spearman",
}


def labelled(table: pd.DataFrame, names: ArmNames, view: tuple[str, int] | None) -> pd.DataFrame:
    """A table for people: labelled values, columns and units (metrics as columns get theirs)."""
    frame = table.copy()
    if "metric" in frame.columns:
        position = list(frame.columns).index("metric") + 1
        frame.insert(position, "unit", frame["metric"].map(metric_unit))
        frame["metric"] = frame["metric"].map(short_metric_any)
    for column in ("arm",):
        if column in frame.columns:
            frame[column] = frame[column].map(names.arm)
    for column in ("factor", "factor_a", "factor_b", "given"):
        if column in frame.columns:
            frame[column] = frame[column].map(lambda f: names.lever(str(f)))
    if "given_state" in frame.columns:
        frame["given_state"] = frame["given_state"].map(lambda s: text("state_" + s))
    rename = {c: text(COLUMN_LABELS[c]) for c in frame.columns if c in COLUMN_LABELS}
    rename["unit"] = text("col_unit")
    rename.update({c: metric_label(c, view) for c in frame.columns if _is_metric(c, view)})
    return frame.rename(columns=rename)


def short_metric_any(metric: str) -> str:
    """Label of a metric, a converted money metric included (without the unit)."""
    view = _view_of(metric)
    if view is not None:
        return short_metric(metric.removesuffix(f"_{view[0].lower()}_{view[1]}"))
    return short_metric(metric)


def _is_metric(column: str, view: tuple[str, int] | None) -> bool:
    return column in COMPARISONS or (view is not None and _view_of(column) == view)


def write_xlsx(path: Path, data: SweepData, tables: dict[str, pd.DataFrame], names: ArmNames) -> None:
    """Every table in one workbook, one sheet each, labelled and with units; an About sheet first."""
    view = data.money_view
    about = pd.DataFrame(
        [
            (text("col_item"), text("col_value")),
            ("spec", data.manifest["spec"].get("name", "")),
            ("description", _spec_text(data, "description")),
            ("window", f"{data.window[0]}-{data.window[1]}"),
            ("baseline", names.arm(data.baseline)),
            ("replications", data.replications),
            ("money", text("unit_usd_m")),
        ]
    )
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        about.to_excel(writer, sheet_name=text("sheet_about")[:31], index=False, header=False)
        for key, table in tables.items():
            sheet = text("sheet_" + key)[:31]
            labelled(table, names, view).to_excel(writer, sheet_name=sheet, index=False)
            worksheet = writer.sheets[sheet]
            for column in worksheet.columns:
                width = max(len(str(cell.value or "")) for cell in column[:50])
                worksheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
        spreadsheet.keep_as_text(writer.book)  # a name that begins with "=" is no formula


def _csv(table: pd.DataFrame, path: Path, **kwargs: Any) -> None:
    # A byte order mark: Excel in Japan reads UTF-8 text correctly only with one; names that a
    # spreadsheet would run as formulas are neutralised (spreadsheet.neutralised).
    spreadsheet.neutralised(table).to_csv(path, index=False, encoding="utf-8-sig", **kwargs)


def report_files() -> frozenset[str]:
    """Every file a report may write, by the descriptions its README gives them (``file_*``
    labels): a file this report does not write again (a table empty this time, a figure of another
    design) is removed rather than left from an earlier report.
    """
    names = (key.removeprefix("file_").rpartition("_") for key in i18n.LABELS if key.startswith("file_"))
    return frozenset(f"{stem}.{extension}" for stem, _, extension in names)


def missing_runs_text(data: SweepData) -> str:
    """What a report of a sweep with runs missing must say ("" when none is missing)."""
    found, planned = len(data.runs), data.planned_runs
    if found >= planned:
        return ""
    return text("report_missing_runs", found=found, planned=planned, missing=planned - found)


def write_report(
    root: str | Path,
    out: str | Path | None = None,
    lang: str = "en",
    warn: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write the tables (CSV and xlsx), figures (PNG) and README of a sweep; return the files.

    Args:
        root: the sweep folder.
        out: where to write (default ``root/report``); built aside and moved in at once.
        lang: the language of labels, titles and README, "en" or "ja".
        warn: called with what the reader must know besides the report (runs missing), in
            English; the README says it too, in ``lang``.

    Raises:
        ScenarioError: the folder holds no run file (nothing to compare), or a damaged one.
    """
    with i18n.using(lang):
        if lang == "ja":
            i18n.use_japanese_font_in_matplotlib()
        return _write_report(root, out, warn)


def _write_report(root: str | Path, out: str | Path | None, warn: Callable[[str], None] | None) -> list[Path]:
    data = load_sweep(root)
    if data.runs.empty:
        # A report of nothing would say "window 0-0" and list empty means as if they were results.
        raise ScenarioError(
            Path(root) / "runs",
            "",
            f"no run file of the {data.planned_runs:,} the design plans: `ecosim sweep` with the same "
            "spec and folder runs them",
        )
    if warn is not None and len(data.runs) < data.planned_runs:
        with i18n.using("en"):
            warn(missing_runs_text(data))
    out = Path(out) if out is not None else Path(root) / "report"
    names = ArmNames(data)
    arm_names = [arm["name"] for arm in data.arms]
    values = run_metrics(data.runs, data.yearly, data.metrics, data.window)
    metrics = with_money_view(values, data.metrics, data.money_view)
    values = with_parameters(values, data)
    tables: dict[str, pd.DataFrame] = {"run_metrics": values.drop(columns=["run_id"])}
    summary = arm_summary(values, arm_names, metrics)
    tables["arm_summary"] = summary
    sampled = data.design in ("latin_hypercube", "points", "robust")
    diffs = pd.DataFrame() if sampled else paired_differences(values, data.baseline, arm_names, metrics)
    if not diffs.empty:
        tables["vs_baseline"] = diffs
    factors = data.factors
    main = inter = cond = pd.DataFrame()
    if factors and len(values):
        main, inter, cond = factorial_effects(values, data.arms, factors, metrics)
        tables.update(main_effects=main, interactions=inter, conditional_effects=cond)
    if data.design == "robust":
        from ecosim import robustness

        tables.update(robustness.tables(values, data.arms, data.manifest["spec"]["design"], metrics))
    elif sampled and data.parameters:
        tables["sensitivity"] = sensitivity(values, data.parameters, metrics)
    with atomic.staged_dir(out, owned=report_files()) as stage:
        for key, table in tables.items():
            if not table.empty:
                rounding = {} if key == "run_metrics" else {"float_format": "%.4g"}
                _csv(table, stage / f"{key}.csv", **rounding)
        shown = _showcase_arms(data)
        if not diffs.empty:
            plot_vs_baseline(diffs, metrics, names, stage / "vs_baseline.png")
        if not sampled:
            plot_founding_over_time(data, shown, names, stage / "founding_over_time.png")
            plot_channels(summary, diffs, shown, names, stage / "channels.png", _showcase_note(data, shown))
        if not main.empty:
            plot_main_effects(main, metrics, names, stage / "main_effects.png")
        if not inter.empty:
            plot_interactions(inter, list(factors), metrics[0], names, stage / "interactions.png")
            plot_amplification(cond, next(iter(factors)), metrics[0], names, stage / "amplification.png")
        if "sensitivity" in tables:
            plot_sensitivity(values, data.parameters, metrics, stage / "sensitivity.png")
        if not tables.get("rank_first", pd.DataFrame()).empty:
            plot_rank_first(tables["rank_first"], metrics, names, stage / "rank_first.png")
        write_xlsx(stage / "report.xlsx", data, {k: t for k, t in tables.items() if not t.empty}, names)
        files = sorted(p.name for p in stage.iterdir()) + ["README.md", "report_manifest.json"]
        (stage / "README.md").write_text(
            headline_markdown(data, tables, metrics, names, sorted(files)), encoding="utf-8"
        )
        counts = data.runs["status"].value_counts().to_dict() if len(data.runs) else {}
        manifest = {
            **base_manifest(),
            "language": i18n.language(),
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
            "files": sorted(files),
        }
        atomic.write_json(stage / "report_manifest.json", manifest)
        written = sorted(p.name for p in stage.iterdir())
    return [out / name for name in written]
