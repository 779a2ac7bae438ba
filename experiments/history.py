"""History, not just end points: the US clusters year by year against every dated figure.

    python experiments/history.py [--seeds 8] [--workers 1] [--until YEAR] [--out results/history]

Runs Boston, the Bay Area and San Diego with seeds 1..N through the experiment engine and writes
into ``--out``:

- ``comparison.csv``: every figure of src/ecosim/data/targets.csv for those clusters (inputs
  aside) beside the model's median and 90% interval over seeds at the figure's date, marked
  in-sample (role ``fit``), out-of-sample (``holdout`` and ``pattern_holdout``) or context
  (``context``: reported, never tested), with the ratio model/data and whether it is met
  (``within_factor_1_5``: within a factor of 1.5, or, for an upper bound, comparison ``below``,
  under it);
- ``series.csv``: firms and employment by calendar year (median and 90% interval);
- ``exit_timing.csv`` (one row per cluster and seed) and the median years from founding to IPO
  and to acquisition against the reference of src/ecosim/data/exit_timing.csv;
- ``anchors.csv``: each anchor's path per seed (founded, listed, acquired or failed, peak
  headcount) beside the scenario's scripted milestones;
- ``history_<cluster>.png``, ``manifest.json`` and ``README.md``.

The model value of a figure is the time-series column the targets file names, in the month
nearest the figure's date; a flow (``vc_invested_census``, ``exits_ipo``) is summed over the
figure's calendar year (the VC source averages 2017-19 and counts the companies of the census area
alone; its current dollars are converted to the model's USD of 2000); a
``lineage_firms`` figure counts the firms of the cluster's anchor lineage (the anchor and the
acquired unit it became aside) founded by the date, and after the year the targets file's
``founded_after`` names where it names one (Hybritech's alumni firms of 2002: founded after
Lilly's purchase of 1986). A figure dated after ``--until`` is left out.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecosim import atomic, calibrate, engine, exit_timing, metric_registry, money, plots, provenance
from ecosim.constants import fitted_point
from ecosim.engine import Outcome, Run
from ecosim.packagedata import data_file
from ecosim.scenario import Scenario, load

ROOT = Path(__file__).resolve().parents[1]
CLUSTERS = ("boston", "bay_area", "san_diego")
SAMPLE = {
    "fit": "in-sample",
    "holdout": "out-of-sample",
    "pattern_holdout": "out-of-sample",
    "context": "context",
}
"""How each role of the targets file is read here (``input`` rows are not compared)."""
_READ = [t for t in calibrate.load_targets() if t.cluster in CLUSTERS and t.role in SAMPLE]
COLUMNS = (
    *(
        m.name
        for m in metric_registry.METRICS
        if m.name in {n for t in _READ for n in (t.metric, t.kind_metric)}
    ),
    *dict.fromkeys(
        metric_registry.part_column(name, t.area)
        for t in _READ
        if t.area
        for name in (t.metric, t.kind_metric)
    ),
)
"""Time-series columns a run hands back: the metrics the targets file names for these clusters and
the drug industry's counts that a figure read by its kinds reads (in the registry's order), then
the counts of a census part a figure counts alone (``firms_census[Cambridge]``); a
``lineage_firms`` figure reads the firms table, no column."""
SERIES_COLUMNS = ("firms_census", "firms_active", "employment_census", "employment")
"""Columns of the yearly series and the figures."""
PART_OF = {(t.cluster, t.metric, t.date): t.area for t in _READ if t.area}
"""The census part a figure counts alone, by (cluster, metric, date) as comparison.csv keys a
figure (Cambridge's firms of 2000): the README names it and the chart draws it against the part's
own series, not the whole census area's."""
PART_SERIES = {metric_registry.part_column(metric, area) for (_, metric, _), area in PART_OF.items()}
"""The yearly series of those parts (drawn beside their figures)."""


def figure_name(cluster: str, metric: str, date: str) -> str:
    """A figure's metric as the README names it: a census part's count names the part
    (``firms_census[Cambridge]``), as its label in the targets file does."""
    area = PART_OF.get((cluster, metric, str(date)))
    return metric_registry.part_column(metric, area) if area else metric


OUTPUTS = frozenset({"timeseries", "firms", "summary"})
FACTOR = calibrate.HISTORY_FACTOR
"""A dated figure is met when model/data lies within this factor either way (one definition,
shared with the calibration report)."""
FOUNDED = exit_timing.FOUNDED
"""Firms founded in the region (relocations and firms present at the start have no founding date
in the run)."""


def scenario_of(cluster: str) -> Scenario:
    """The cluster's scenario file."""
    return load(ROOT / "scenarios" / f"{cluster}.yaml")


def within(ratio: float) -> bool:
    """Whether model/data lies within FACTOR of 1 either way (a dated figure met)."""
    return bool(1 / FACTOR <= ratio <= FACTOR)


def targets_of(cluster: str, until: float) -> list[calibrate.Target]:
    """The figures of ``cluster`` the model is compared with, dated up to the run's end."""
    return [
        t
        for t in calibrate.load_targets()
        if t.cluster == cluster and t.role in SAMPLE and t.year < until + 1
    ]


def lineage_anchor(scenario: Scenario) -> str:
    """The anchor whose lineage a ``lineage_firms`` figure counts: the scenario's first anchor."""
    if not scenario.anchors:
        raise SystemExit(f"error: {scenario.name} has no anchor for a lineage figure")
    return scenario.anchors[0].name


def founded_by(firms: pd.DataFrame, year: float) -> pd.DataFrame:
    """The firms founded in the region by ``year``."""
    return firms[firms["origin"].isin(FOUNDED) & (firms["founded_year"].astype(float) <= year)]


def lineage_tree(firms: pd.DataFrame, anchor: str) -> pd.DataFrame:
    """The firms of the anchor's lineage (the anchor itself aside); none if it was not founded."""
    root = firms.loc[firms["name"] == anchor, "firm_id"]
    if root.empty:
        return firms.iloc[:0]
    return firms[(firms["lineage_root"] == int(root.iloc[0])) & (firms["firm_id"] != int(root.iloc[0]))]


def lineage_count(firms: pd.DataFrame, anchor: str, year: float, founded_after: int | None = None) -> float:
    """Firms founded in the anchor's lineage by ``year`` (the anchor itself aside) and, with
    ``founded_after``, in a calendar year after it (a figure of the alumni firms founded after
    the anchor's sale: Target.founded_after).
    """
    tree = founded_by(lineage_tree(firms, anchor), year)
    if founded_after is not None:
        tree = tree[np.floor(tree["founded_year"].astype(float) + 1e-9) > founded_after]
    return float(len(tree))


def model_value(target: calibrate.Target, outcome: Outcome, scenario: Scenario) -> float:
    """The model's count of what ``target`` counts, in one run."""
    series = outcome.timeseries
    assert series is not None and outcome.firms is not None
    if target.metric == calibrate.LINEAGE_METRIC:
        return lineage_count(outcome.firms, lineage_anchor(scenario), target.year, target.founded_after)
    if target.of:  # one organization's count: the run summary's, at the run's end
        end = float(outcome.summary["end_year"])
        if not end - 1 < target.year < end + 1:
            raise SystemExit(
                f"error: {target.label} counts {target.of} alone, which a run reports at its end "
                f"({end:g}), not at {target.date}"
            )
        by_name = outcome.summary[f"{target.metric}_by_name"]
        if target.of not in by_name:
            raise SystemExit(f"error: {target.label}: {scenario.name} has no {target.of!r}")
        return float(by_name[target.of])
    if metric_registry.BY_NAME[target.metric].kind == "flow":  # VC money, IPOs: the year's sum
        year = math.floor(target.year)
        return float(series.loc[np.floor(series["year"] + 1e-9) == year, target.metric].sum())
    return calibrate.values_at(series, {target.label: (target.column, target.year)})[target.label]


def data_value(target: calibrate.Target) -> float:
    """The figure in the model's units: VC money in current dollars becomes USD of 2000."""
    declared = metric_registry.BY_NAME.get(target.metric)  # lineage_firms is no column
    if declared is not None and declared.unit == "usd_m":  # VC money (vc_invested_census)
        return money.to_model_usd(target.value, "USD", math.floor(target.year))
    return target.value


def compare(
    cluster: str, scenario: Scenario, outcomes: list[Outcome], until: float, by_kinds: bool = False
) -> list[dict[str, Any]]:
    """One row per dated figure of the cluster: data, model median and 90% interval, ratio (with
    ``by_kinds``, each figure read by the kinds of firm it counts: calibrate.read_by_kinds)."""
    rows = []
    targets = targets_of(cluster, until)
    unread = calibrate.unread_columns(scenario, {t.label: (t.column, t.year) for t in targets if t.area})
    if unread:
        raise SystemExit(
            f"error: {cluster}.yaml counts no census part for {', '.join(unread)} (region.counted_apart)"
        )
    for t in calibrate.read_by_kinds(targets) if by_kinds else targets:
        values = pd.Series([model_value(t, o, scenario) for o in outcomes], dtype=float)
        median, low, high = calibrate.interval(values)
        data = data_value(t)
        ratio = median / data if data > 0 else math.nan
        sample = SAMPLE[t.role]
        rows.append(
            {
                "cluster": cluster,
                "metric": t.metric,
                "date": t.date,
                "role": t.role,
                "sample": sample,
                "data": round(data, 1),
                "model_median": round(median, 1),
                "model_p05": round(low, 1),
                "model_p95": round(high, 1),
                "ratio": round(ratio, 3),
                "comparison": t.comparison,
                "within_factor_1_5": (
                    t.met_by_ratio(ratio, 1 / FACTOR, FACTOR) if sample != "context" else None
                ),
                "seeds": len(outcomes),
                "definition": t.definition,
                "source": t.source,
            }
        )
    return rows


def yearly_series(cluster: str, outcomes: list[Outcome]) -> pd.DataFrame:
    """Firms and employment at each calendar year's end: median and 90% interval over seeds."""
    parts = []
    for o in outcomes:
        assert o.timeseries is not None
        parts_counted = [c for c in o.timeseries.columns if c in PART_SERIES]
        table = metric_registry.yearly(o.timeseries)[["year", *SERIES_COLUMNS, *parts_counted]]
        parts.append(table.melt(id_vars="year", var_name="metric"))
    long = pd.concat(parts, ignore_index=True)
    grouped = long.groupby(["metric", "year"])["value"]
    table = pd.DataFrame(
        {
            "median": grouped.median(),
            "p05": grouped.quantile(0.05),
            "p95": grouped.quantile(0.95),
        }
    ).reset_index()
    table.insert(0, "cluster", cluster)
    return table


def read_exit_references() -> pd.DataFrame:
    """The reference exit timing (src/ecosim/data/exit_timing.csv), one row per kind of exit."""
    return pd.DataFrame([dataclasses.asdict(r) | {"span": r.span} for r in exit_timing.references()])


def run_exit_timing(cluster: str, seed: int, firms: pd.DataFrame, references: pd.DataFrame) -> dict[str, Any]:
    """Median years to each exit in one run: over the exits its reference describes (its window
    and companies) and over the whole run."""
    row: dict[str, Any] = {"cluster": cluster, "seed": seed}
    every = exit_timing.exit_years(firms)
    for kind in references["exit"]:
        for label, years in (
            ("window", exit_timing.reference_years(firms, exit_timing.reference(kind))),
            ("all", every[kind]),
        ):
            row[f"{kind}s_{label}"] = len(years)
            row[f"years_to_{kind}_{label}"] = round(float(years.median()), 2) if len(years) else math.nan
    return row


def exit_summary(timing: pd.DataFrame, references: pd.DataFrame) -> pd.DataFrame:
    """Per cluster and span: the median over seeds of each run's median years to IPO and to
    acquisition, and whether IPOs come first (the reference order).
    """
    rows = []
    for cluster in timing["cluster"].unique():
        part = timing[timing["cluster"] == cluster]
        for span in ("window", "all"):
            rows.append(exit_row(part, cluster, span, references))
    return pd.DataFrame(rows)


def exit_row(part: pd.DataFrame, cluster: str, span: str, references: pd.DataFrame) -> dict[str, Any]:
    """One line of the exit summary: one cluster, exits of the reference window or of the run."""
    row: dict[str, Any] = {"cluster": cluster, "exits_dated": span}
    for kind in references["exit"]:
        values = part[f"years_to_{kind}_{span}"].dropna()
        row[f"{kind}s_per_run"] = float(part[f"{kind}s_{span}"].median())
        row[f"years_to_{kind}"] = round(float(values.median()), 2) if len(values) else math.nan
        row[f"years_to_{kind}_p05"] = round(float(values.quantile(0.05)), 2) if len(values) else math.nan
        row[f"years_to_{kind}_p95"] = round(float(values.quantile(0.95)), 2) if len(values) else math.nan
    ipo, acq = (
        row.get("years_to_ipo", math.nan),
        row.get("years_to_acquisition", math.nan),
    )
    row["ipo_first"] = bool(ipo < acq) if not (math.isnan(ipo) or math.isnan(acq)) else None
    ipo_ref = references.set_index("exit").loc["ipo"]
    row["ipo_under_reference"] = bool(ipo < float(ipo_ref["years"])) if not math.isnan(ipo) else None
    return row


def documented(scenario: Scenario, anchor: str) -> dict[str, Any]:
    """The anchor's scripted milestones in the scenario: listing and acquisition dates, and how
    many staff counts it documents."""
    found: dict[str, Any] = {"documented_listed": None, "documented_acquired": None, "documented_counts": 0}
    for event in scenario.events:
        if event.target != anchor:
            continue
        if event.kind == "headcount":
            found["documented_counts"] += 1
        when = event.year + (event.month - 1) / 12.0
        if event.kind == "listing":
            found["documented_listed"] = round(when, 4)
        elif event.kind == "acquisition":
            found["documented_acquired"] = round(when, 4)
            found["documented_acquirer"] = event.acquirer
    return found


def kept_site_staff(firms: pd.DataFrame, anchor: pd.Series) -> int | None:
    """The staff at the run's end of the site the anchor's buyer kept it as (agents/pharma.py's
    KeptSite: stage "kept site", the anchor its parent), if it was bought and kept."""
    if anchor["fate"] != "acquired":
        return None
    site = firms[(firms["parent_id"] == anchor["firm_id"]) & (firms["stage"] == "kept site")]
    return int(site["headcount"].iloc[0]) if not site.empty and site["fate"].iloc[0] == "active" else None


def anchor_paths(cluster: str, scenario: Scenario, seeds: list[int], outcomes: list[Outcome]) -> pd.DataFrame:
    """Each anchor's life per seed: founded, listed, acquired or failed, and its peak headcount."""
    rows = []
    for anchor in scenario.anchors:
        history = documented(scenario, anchor.name)
        for seed, o in zip(seeds, outcomes, strict=True):
            assert o.firms is not None
            firm = o.firms[o.firms["name"] == anchor.name]
            row: dict[str, Any] = {
                "cluster": cluster,
                "anchor": anchor.name,
                "seed": seed,
                **history,
            }
            if firm.empty:  # not founded within the horizon
                rows.append(row)
                continue
            f = firm.iloc[0]
            fate_year = pd.to_numeric(pd.Series([f["fate_year"]]), errors="coerce").iloc[0]
            listed = pd.to_numeric(pd.Series([f["listed_year"]]), errors="coerce").iloc[0]
            row.update(
                {
                    "founded": float(f["founded_year"]),
                    "listed": None if pd.isna(listed) else round(float(listed), 4),
                    "acquired": round(float(fate_year), 4) if f["fate"] == "acquired" else None,
                    "acquirer": f["acquirer"] if isinstance(f["acquirer"], str) else "",
                    "failed": round(float(fate_year), 4) if f["fate"] == "failed" else None,
                    "fate": f["fate"],
                    "peak_headcount": int(f["peak_headcount"]),
                    "headcount_end": int(f["headcount"]),
                    "kept_site_headcount_end": kept_site_staff(o.firms, f),
                }
            )
            rows.append(row)
    return pd.DataFrame(rows)


GENERATIONS = ("1", "2", "3+")
"""Generations of a lineage as the lineage table groups them (1: founded by the anchor's own people)."""


def lineage_structure(
    cluster: str, scenario: Scenario, seeds: list[int], outcomes: list[Outcome], until: float
) -> pd.DataFrame:
    """Where the anchor's lineage comes from, per seed, at the date of the cluster's first lineage
    figure: its firms founded by then by generation and by founding channel (``origin``: release
    is staff let go by a closing, cutting or sold firm; spinout is staff leaving a going one), and
    every firm the region founded by then by channel. One row per (seed, scope, generation,
    channel); scope ``lineage`` or ``region``. Empty for a cluster without a lineage figure up
    to ``until``.
    """
    dates = [t.year for t in targets_of(cluster, until) if t.metric == calibrate.LINEAGE_METRIC]
    if not dates:
        return pd.DataFrame()
    by, anchor = min(dates), lineage_anchor(scenario)
    rows = []
    for seed, o in zip(seeds, outcomes, strict=True):
        assert o.firms is not None
        founded = founded_by(o.firms, by)
        tree = founded_by(lineage_tree(o.firms, anchor), by)
        generation = tree["generation"].clip(upper=3).map({1: "1", 2: "2", 3: "3+"})
        base = {"cluster": cluster, "anchor": anchor, "by": by, "seed": seed}
        for (gen, origin), count in tree.groupby([generation, tree["origin"]]).size().items():
            rows.append(
                {**base, "scope": "lineage", "generation": gen, "origin": origin, "firms": int(count)}
            )
        for origin, count in founded.groupby("origin").size().items():
            rows.append({**base, "scope": "region", "generation": "", "origin": origin, "firms": int(count)})
    return pd.DataFrame(rows)


def median_over(seeds: list[int], rows: pd.DataFrame) -> float:
    """Median over ``seeds`` of the firms in ``rows`` (a seed without rows counts none)."""
    return float(rows.groupby("seed")["firms"].sum().reindex(seeds, fill_value=0).median())


def lineage_lines(structure: pd.DataFrame) -> list[str]:
    """README lines: each anchor lineage by generation and channel, and the region's channels."""
    if structure.empty:
        return []
    lines = [
        "## Why the lineages are large: generations and channels",
        "",
        "The anchor's lineage founded by the date of the cluster's first lineage figure, by "
        "generation (1: founded by the anchor's own people) and channel (release: staff let go by "
        "a firm that closed, cut staff or was sold; spinout: staff leaving a going firm), median "
        "over seeds; and every firm the region founded by then, by channel. A lineage that grows "
        "mostly in generations 2 and up through release is a cascade of closures: people released "
        "by a lineage firm that failed found the next one.",
        "",
    ]
    for (cluster, anchor, by), part in structure.groupby(["cluster", "anchor", "by"], sort=False):
        seeds = sorted(part["seed"].unique())
        tree = part[part["scope"] == "lineage"]
        origins = sorted(tree["origin"].unique())

        lines += [
            f"{anchor} ({cluster}, founded by {by:g}; {len(seeds)} seeds):",
            "",
            "| generation | " + " | ".join(origins) + " | all |",
            "| --- | " + " | ".join("---:" for _ in origins) + " | ---: |",
        ]
        for gen in GENERATIONS:
            mine = tree[tree["generation"] == gen]
            cells = [median_over(seeds, mine[mine["origin"] == o]) for o in origins] + [
                median_over(seeds, mine)
            ]
            lines.append(f"| {gen} | " + " | ".join(f"{v:,.0f}" for v in cells) + " |")
        region = part[part["scope"] == "region"].pivot_table(index="seed", columns="origin", values="firms")
        region = region.fillna(0)
        shares = (region.div(region.sum(axis=1), axis=0) * 100).median()
        lineage = tree.groupby("seed")["firms"].sum().reindex(region.index, fill_value=0)
        lineage_share = float((lineage / region.sum(axis=1) * 100).median())
        lines += [
            "",
            "The region's foundings by then, median share by channel: "
            + ", ".join(f"{o} {v:.0f}%" for o, v in shares.sort_values(ascending=False).items())
            + f"; {anchor}'s lineage is {lineage_share:.0f}% of them (median over seeds).",
            "",
        ]
    return lines


def figure(
    cluster: str,
    scenario: Scenario,
    series: pd.DataFrame,
    table: pd.DataFrame,
    path: Path,
) -> None:
    """Firms (left) and employment (right) by year, median and 90% band, with the dated figures in
    the colour of the model line they compare with: filled for in-sample, open for out-of-sample,
    grey crosses for context.
    """
    fig, axes = plots.subplots(1, 2, figsize=(12, 4.5))
    panels = (
        ("firms", ("firms_census", "firms_active")),
        ("employment", ("employment_census", "employment")),
    )
    named = table.assign(shown=[figure_name(r.cluster, r.metric, r.date) for r in table.itertuples()])
    for ax, (label, metrics) in zip(axes, panels, strict=True):
        parts = {  # a census part's line, drawn where a figure counts the part alone
            metric_registry.part_column(metric, area): f"{area} alone"
            for (where, metric, _), area in PART_OF.items()
            if where == cluster and metric in metrics
        }
        lines = {metric: "census area" if metric.endswith("_census") else "whole grid" for metric in metrics}
        for colour, (metric, name) in zip(plots.SERIES_COLOURS, (lines | parts).items(), strict=False):
            part = series[series["metric"] == metric]
            if metric in ("firms_active", "employment") and not (named["shown"] == metric).any():
                continue  # the whole grid is drawn only where a figure counts it
            ax.plot(
                part["year"],
                part["median"],
                color=colour,
                label=f"model, {name} (median)",
            )
            ax.fill_between(part["year"], part["p05"], part["p95"], color=colour, alpha=0.2)
            figures = named[named["shown"] == metric]
            for sample, marker in (
                ("in-sample", "o"),
                ("out-of-sample", "s"),
                ("context", "x"),
            ):
                dots = figures[figures["sample"] == sample]
                if dots.empty:
                    continue
                years = [calibrate.Target("", "", 0, d, "").year for d in dots["date"]]
                style: dict[str, Any] = (
                    {"color": plots.OTHER_COLOUR}
                    if sample == "context"
                    else {
                        "facecolors": colour if sample == "in-sample" else "none",
                        "edgecolors": colour,
                    }
                )
                ax.scatter(
                    years,
                    dots["data"],
                    marker=marker,
                    s=45,
                    zorder=3,
                    label=f"data, {name}, {sample}",
                    **style,
                )
        ax.set_xlabel("year")
        # A log axis, said so: counts grow a hundredfold over a run (a symlog axis put a 0 under
        # 10 on a scale half linear, half log, unlabelled); a year with none is left out.
        ax.set_ylabel(f"{label} (log scale)")
        ax.set_yscale("log", nonpositive="mask")
        ax.legend(frameon=False, fontsize=7)
    fig.suptitle(f"{scenario.name}: model (90% band over seeds) and dated figures")
    fig.tight_layout()
    plots.save_png(fig, path, dpi=100)


def fmt(value: Any, digits: int = 0) -> str:
    """A number for the README (a dash when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}"


def fmt_year(value: Any) -> str:
    """A decimal year for the README (a dash when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:.1f}"


def fmt_range(low: Any, high: Any, digits: int = 1) -> str:
    """A 90% interval for the README (empty when missing)."""
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (low, high)):
        return ""
    return f" [{fmt(low, digits)}-{fmt(high, digits)}]"


PAIRS = (("firms_census", "employment_census"), ("firms_active", "employment"))
"""A firm count and the employment of the same firms (same area): their ratio is staff per firm."""


def staff_per_firm(table: pd.DataFrame) -> pd.DataFrame:
    """Staff per firm where a cluster has a firm count and an employment figure of the same area
    at the same date: the data's and the model's (medians), and their ratio. A cluster can match
    its firm count with firms that are too small; this says whether it does.
    """
    rows = []
    tested = table[table["sample"] != "context"]
    for firms_metric, jobs_metric in PAIRS:
        firms = tested[tested["metric"] == firms_metric].set_index(["cluster", "date"])
        jobs = tested[tested["metric"] == jobs_metric].set_index(["cluster", "date"])
        for key in firms.index.intersection(jobs.index):
            data = jobs.loc[key, "data"] / firms.loc[key, "data"]
            model = jobs.loc[key, "model_median"] / max(firms.loc[key, "model_median"], 1.0)
            rows.append(
                {
                    "cluster": key[0],
                    "date": key[1],
                    "area": "census area" if firms_metric.endswith("_census") else "whole region",
                    "data_staff_per_firm": round(float(data), 1),
                    "model_staff_per_firm": round(float(model), 1),
                    "ratio": round(float(model / data), 2),
                }
            )
    return pd.DataFrame(rows)


def definition_lines(table: pd.DataFrame) -> list[str]:
    """What the figures count: the model's firms and jobs against the counts that targets.csv keeps
    as context (biotech or biopharma alone, "core" drug and device makers, a sum of a source's
    counts) and its jobs against the tested ones, so that a reader sees which definition a miss
    depends on.
    """
    kind = table["metric"].map(KINDS)
    narrow = table[kind.notna() & (table["sample"] == "context")]
    tested = table[(kind == "employment") & (table["sample"] != "context")]
    if narrow.empty:
        return []
    lines = [
        "",
        "## What the figures count",
        "",
        "The model holds the region's life-science companies, pharma sites and branches; its jobs "
        "are their staff. The figures it is tested on count device makers too (the 2019 end points "
        "of the Bay Area and San Diego are Biocom's five subsectors, with testing labs, universities' "
        "research staff and distributors; Boston's counts dated up to 2000 are of biotech alone and "
        "stay fitted, read as the whole grid's; definitions in `src/ecosim/data/targets.csv`). Counts "
        "narrower than the model's companies (biotech or biopharma alone) and a count that is a sum "
        "of a source's counts are context, never tested:",
        "",
        "| cluster | date | figure | what it counts | data | model | model/data |",
        "| --- | --- | --- | --- | ---: | ---: | ---: |",
        *(
            f"| {r.cluster} | {r.date} | {KINDS[r.metric]} | {r.definition.split(' (')[0].split(':')[0]} "
            f"| {fmt(r.data)} | {fmt(r.model_median)} | {r.ratio:.2f} |"
            for r in narrow.itertuples()
        ),
        "",
        f"Against the tested employment figures the model's jobs are x{tested['ratio'].min():.2f}-"
        f"{tested['ratio'].max():.2f} (median x{tested['ratio'].median():.2f}).",
    ]
    return lines


def hits(table: pd.DataFrame, sample: str) -> tuple[int, int]:
    """(figures met: within a factor of 1.5, or under an upper bound; figures) of one sample."""
    part = table[table["sample"] == sample]
    return int(part["within_factor_1_5"].astype(bool).sum()), len(part)


def data_words(row: Any) -> str:
    """A row's figure as the table shows it: an upper bound (comparison ``below``) as "under N"."""
    return f"under {fmt(row.data)}" if getattr(row, "comparison", "about") == "below" else fmt(row.data)


def misses(table: pd.DataFrame, sample: str) -> list[str]:
    """The figures of one sample out of the factor, in words."""
    part = table[(table["sample"] == sample) & ~table["within_factor_1_5"].astype(bool)]
    return [
        f"{r.cluster} {figure_name(r.cluster, r.metric, r.date)} {r.date}: {fmt(r.model_median)} "
        f"vs {data_words(r)} "
        f"({'too high' if r.ratio > 1 else 'too low'}, x{r.ratio:.2f})"  # the table's ratio
        for r in part.itertuples()
    ]


KINDS = {
    "firms_census": "firms",
    "firms_active": "firms",
    "employment_census": "employment",
    "employment": "employment",
}
"""The two kinds of dated figure the history is about (the rest are patterns and lineages)."""


def periods(table: pd.DataFrame) -> pd.DataFrame:
    """Median and range of model/data by kind of figure (firms, employment, other) and by period:
    the dated history up to 2000 (in-sample), 2001-2018 (out-of-sample) and the end points. Upper
    bounds are left out: their model/data is not a level's.
    """
    tested = table[(table["sample"] != "context") & (table["comparison"] != "below")].copy()
    tested["kind"] = tested["metric"].map(KINDS).fillna("other")
    years = tested["date"].astype(str).str[:4].astype(int)
    tested["period"] = np.where(
        years >= 2019,
        "2019-2020",
        np.where(years > 2000, "2001-2018", "up to 2000"),
    )
    grouped = tested.groupby(["kind", "period"])
    summary = grouped["ratio"].agg(["size", "median", "min", "max"]).reset_index()
    summary["within"] = grouped["within_factor_1_5"].apply(lambda s: int(s.astype(bool).sum())).to_numpy()
    return summary


def anchor_lines(anchors: pd.DataFrame) -> list[str]:
    """README lines on each anchor: how often it follows its documented milestones."""
    lines = [
        "| anchor | seeds | listed (median year) | listed within a year of the documented date | "
        "acquired (median year) | failed | peak headcount median [min-max] | "
        "staff at the end under its buyer, median (seeds) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for (cluster, anchor), part in anchors.groupby(["cluster", "anchor"], sort=False):
        listed = pd.to_numeric(part.get("listed"), errors="coerce")
        acquired = pd.to_numeric(part.get("acquired"), errors="coerce")
        failed = pd.to_numeric(part.get("failed"), errors="coerce")
        when = part["documented_listed"].iloc[0]
        on_time = (
            f"{int(((listed - when).abs() <= 1).sum())} (documented {fmt_year(when)})"
            if when is not None and not pd.isna(when)
            else "- (no documented listing)"
        )
        peak = pd.to_numeric(part.get("peak_headcount"), errors="coerce")
        kept = pd.to_numeric(part.get("kept_site_headcount_end"), errors="coerce").dropna()
        kept_cell = f"{fmt(kept.median())} ({len(kept)})" if len(kept) else "- (not kept as a site)"
        lines.append(
            f"| {anchor} ({cluster}) | {len(part)} | {fmt_year(listed.median())} "
            f"({int(listed.notna().sum())} listed) | {on_time} | {fmt_year(acquired.median())} "
            f"({int(acquired.notna().sum())} acquired) | {int(failed.notna().sum())} | "
            f"{fmt(peak.median())} [{fmt(peak.min())}-{fmt(peak.max())}] | {kept_cell} |"
        )
    return lines


def horizon(until: Any) -> str:
    """The runs' last year in words."""
    if isinstance(until, dict):
        years = sorted(set(until.values()))
        return f"each scenario's end ({', '.join(str(y) for y in years)})"
    return str(until)


def in_short(table: pd.DataFrame, exits: pd.DataFrame, anchors: pd.DataFrame) -> list[str]:
    """A plain paragraph: the shape of the misses by period, the exit order, the anchors."""
    by = periods(table).set_index(["kind", "period"])

    def ratio(kind: str, period: str) -> str:
        if (kind, period) not in by.index:
            return f"{kind} -"
        value = float(by.loc[(kind, period), "median"])
        verdict = "too few" if value < 1 / FACTOR else "too many" if value > FACTOR else "within x1.5"
        return f"{kind} x{value:.2f} ({verdict})"

    window = exits[exits["exits_dated"] == "window"]
    in_order = int((window["ipo_first"] == True).sum())  # noqa: E712 - None means unknown
    quick = int((window["ipo_under_reference"] == True).sum())  # noqa: E712
    spans = ("up to 2000", "2001-2018", "2019-2020")
    words = [
        "In short (median model/data of the dated firms and employment figures): "
        + "; ".join(f"{p}: {ratio('firms', p)}, {ratio('employment', p)}" for p in spans)
        + ".",
        f" Exits: IPOs come before acquisitions (the reference order) in {in_order} of {len(window)} "
        f"clusters, and within the reference's median in {quick} "
        f"of {len(window)} (median years to IPO {', '.join(fmt(v, 1) for v in window['years_to_ipo'])}).",
    ]
    for (_, anchor), part in anchors.groupby(["cluster", "anchor"], sort=False):
        when = part["documented_listed"].iloc[0]
        if when is None or pd.isna(when):
            continue
        listed = pd.to_numeric(part["listed"], errors="coerce")
        on_date = int(((listed - when).abs() < 1e-6).sum())
        peak = pd.to_numeric(part["peak_headcount"], errors="coerce")
        counts = int(part["documented_counts"].iloc[0]) if "documented_counts" in part else 0
        scripted = f"; its {counts} documented staff counts are scripted" if counts else ""
        words.append(
            f" {anchor} lists on its documented date (scripted) in {on_date} of {len(part)} seeds (peak "
            f"staff median {fmt(peak.median())}, {fmt(peak.min())}-{fmt(peak.max())}{scripted})."
        )
    return ["".join(words)]


def readme(
    table: pd.DataFrame,
    exits: pd.DataFrame,
    anchors: pd.DataFrame,
    references: pd.DataFrame,
    manifest: dict[str, Any],
    structure: pd.DataFrame | None = None,
) -> str:
    """The folder's README, every number from this run."""
    seeds = len(manifest["seeds"])
    inside, outside = hits(table, "in-sample"), hits(table, "out-of-sample")
    ref = references.set_index("exit")
    lines = [
        "# History: the US clusters year by year against dated figures",
        "",
        f"Produced by `{manifest['command']}` at git commit `{manifest['git_commit']}`: "
        f"{seeds} seeds per cluster (1..{seeds}), runs to {horizon(manifest['until'])}, the package's "
        f"fitted constants (`src/ecosim/fitted_constants.json`: the {fitted_point()} that "
        "experiments/default_point.py chose, inferred from the in-sample figures below). Model "
        "values are the median [5%-95%] over seeds at each figure's date; a figure "
        f"is met when model/data lies within a factor of {FACTOR}, an upper bound (a count of an area "
        "wider than the grid's, comparison `below`, shown as \"under N\") when the model's median "
        "is under it. In-sample figures (role `fit` in "
        "`src/ecosim/data/targets.csv`: dated up to 2000, or the source document's end points) are "
        "the ones a calibration may use; out-of-sample figures (`holdout`, dated 2001-2018, and the "
        "source document's other figures, `pattern_holdout`) are never fitted; context figures count "
        "something else and are shown, not tested.",
        "",
        "## What the model gets right and wrong",
        "",
        *in_short(table, exits, anchors),
        "",
        f"- In sample: {inside[0]} of {inside[1]} figures met (within a factor of {FACTOR}; a bound, "
        "under it).",
        *[f"  - missed: {m}" for m in misses(table, "in-sample")],
        f"- Out of sample: {outside[0]} of {outside[1]} figures met (within a factor of {FACTOR}; a bound, "
        "under it).",
        *[f"  - missed: {m}" for m in misses(table, "out-of-sample")],
    ]
    lines += [
        "",
        "Model/data by kind of figure and period (median, range, and figures within the factor; the "
        "upper bounds left out):",
        "",
        "| kind | period | figures | median model/data | range | within x1.5 |",
        "| --- | --- | ---: | ---: | --- | ---: |",
    ]
    for r in periods(table).itertuples():
        lines.append(
            f"| {r.kind} | {r.period} | {r.size} | {r.median:.2f} | {r.min:.2f}-{r.max:.2f} | {r.within} |"
        )
    lines.append("")
    window = exits[exits["exits_dated"] == "window"]
    for r in window.itertuples():
        order = {
            True: "IPOs first (the reference order)",
            False: "acquisitions first (the reverse of the reference)",
        }
        lines.append(
            f"- Exit timing, {r.cluster}: IPO after {fmt(r.years_to_ipo, 1)} years (IPOs of "
            f"{ref.loc['ipo', 'span']}; reference: under {ref.loc['ipo', 'years']}), acquisition after "
            f"{fmt(r.years_to_acquisition, 1)} (acquisitions of {ref.loc['acquisition', 'span']}; "
            f"reference: about {ref.loc['acquisition', 'years']}): "
            f"{order.get(r.ipo_first, 'order unknown (too few exits)')}."
        )
    sizes = staff_per_firm(table)
    if len(sizes):
        lines += [
            "",
            "## Staff per firm",
            "",
            "Where a figure gives both the firms and their employment at one date, staff per firm in "
            "the data and in the model (medians over seeds). Where the model's firms are smaller, "
            "part of it is what the figure counts: the broad counts of the Bay Area and San Diego "
            "include device makers, testing labs and (Biocom's) universities' research staff and "
            "distributors, which the model does not hold (next section).",
            "",
            "| cluster | date | area | data | model | model/data |",
            "| --- | --- | --- | ---: | ---: | ---: |",
            *(
                f"| {r.cluster} | {r.date} | {r.area} | {r.data_staff_per_firm:,.0f} | "
                f"{r.model_staff_per_firm:,.0f} | {r.ratio:.2f} |"
                for r in sizes.itertuples()
            ),
        ]
    lines += definition_lines(table)
    if structure is not None and not structure.empty:
        lines += ["", *lineage_lines(structure)]
    lines += [
        "",
        "## Dated figures",
        "",
        "| cluster | figure | date | sample | data | model median [90%] | model/data | "
        "met (x1.5; a bound: under it) |",
        "| --- | --- | --- | --- | ---: | --- | ---: | --- |",
    ]
    for r in table.itertuples():
        met = (
            "-"
            if r.within_factor_1_5 is None or pd.isna(r.within_factor_1_5)
            else ("yes" if r.within_factor_1_5 else "no")
        )
        lines.append(
            f"| {r.cluster} | {figure_name(r.cluster, r.metric, r.date)} | {r.date} | {r.sample} | "
            f"{data_words(r)} | "
            f"{fmt(r.model_median)} [{fmt(r.model_p05)}-{fmt(r.model_p95)}] | {r.ratio:.2f} | {met} |"
        )
    lines += [
        "",
        "Each figure's definition and source are in `comparison.csv` (and in the targets file). "
        "`vc_invested_census` is the model's VC money of the figure's year in rounds of the census "
        "area's companies (the source averages 2017-19 and counts Cambridge's and Boston's "
        "companies), in USD m of 2000; `exits_ipo` the IPOs of the figure's year (the 2013 figures count the "
        "year up to 4 November); `firms_listed` the listed drug developers operating in the "
        "whole grid in the figure's month (a stock: listings in, acquisitions and failures of "
        "listed companies out); `lineage_firms` counts the firms of the cluster's anchor lineage "
        "(Hybritech; Genentech for the Bay Area's context figure) founded by the date (every "
        "generation, the unit it became under its buyer aside; the figure of 2002 counts alumni "
        "firms founded after Lilly's purchase, so only those founded from 1987: targets.csv's "
        "`founded_after`).",
        "",
        "## Exit timing",
        "",
        "Median years from founding to IPO and to the acquisition of a private company, over the "
        "firms founded in the region (each run's median, then the median and 90% interval over "
        f"seeds). References (`src/ecosim/data/exit_timing.csv`): IPOs of {ref.loc['ipo', 'span']}, "
        f"{ref.loc['ipo', 'source']}; acquisitions of {ref.loc['acquisition', 'span']}, "
        f"{ref.loc['acquisition', 'source']}.",
        "",
        "| cluster | exits dated | IPOs a run | years to IPO | acquisitions a run | years to acquisition "
        "| IPOs first |",
        "| --- | --- | ---: | --- | ---: | --- | --- |",
    ]
    for r in exits.itertuples():
        span = "each reference's" if r.exits_dated == "window" else "whole run"
        first = "-" if r.ipo_first is None or pd.isna(r.ipo_first) else ("yes" if r.ipo_first else "no")
        lines.append(
            f"| {r.cluster} | {span} | {fmt(r.ipos_per_run)} | {fmt(r.years_to_ipo, 1)}"
            f"{fmt_range(r.years_to_ipo_p05, r.years_to_ipo_p95)} | "
            f"{fmt(r.acquisitions_per_run)} | {fmt(r.years_to_acquisition, 1)}"
            f"{fmt_range(r.years_to_acquisition_p05, r.years_to_acquisition_p95)} | {first} |"
        )
    lines += [
        "",
        "## The anchors' paths",
        "",
        "Per seed in `anchors.csv` (founded, listed, acquired, failed, peak and final headcount), "
        "beside the milestones the scenario scripts (`documented_listed`, `documented_acquired`).",
        "",
        *anchor_lines(anchors),
        "",
        "Files: `comparison.csv`, `series.csv`, `exit_timing.csv` (per seed), `exit_summary.csv`, "
        "`anchors.csv`, `lineage_structure.csv`, `history_<cluster>.png`, `manifest.json`.",
        "",
    ]
    return "\n".join(lines)


def read_sourced(
    path: Path, columns: tuple[str, ...], out_of_range: Callable[[pd.DataFrame], pd.Series]
) -> pd.DataFrame:
    """An experiment's table of sourced figures (experiments/data/), checked: every column there,
    and no row out of range (``out_of_range`` marks them) or without a source.

    Raises:
        SystemExit: naming the file and the columns missing or the rows at fault (as the file
            numbers its lines).
    """
    data = pd.read_csv(path, dtype={"date": str})
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise SystemExit(f"error: {path.name} lacks the columns {missing}")
    bad = data[out_of_range(data) | data["source"].astype("string").fillna("").str.strip().eq("")]
    if not bad.empty:
        raise SystemExit(f"error: {path.name}: rows {list(bad.index + 2)} are incomplete or out of range")
    return data


def runs_parser(description: str, out: Path) -> argparse.ArgumentParser:
    """The options of a script that runs the US clusters over seeds 1..N (this one and the scans
    that compare as it does): --seeds, --workers, --until, --out.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--until",
        type=int,
        default=None,
        help="last year to simulate (default: each scenario's end)",
    )
    parser.add_argument("--out", type=Path, default=out)
    return parser


def parse_runs_args(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """The parsed options, with at least one seed."""
    args = parser.parse_args(argv)
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    return args


def run_or_stop(runs: list[Run], workers: int, where: list[str]) -> list[Outcome]:
    """Run ``runs`` on ``workers`` processes, in order: the outcomes. A failed run stops the script
    in one line naming it (``where``: what each run is, in the same order)."""
    with engine.backend(workers) as backend:
        outcomes = engine.run_ordered(runs, backend.executor)
    for name, outcome in zip(where, outcomes, strict=True):
        if not outcome.ok:
            raise SystemExit(f"error: the run of {name} failed: {outcome.error}")
    return outcomes


def run_clusters(args: argparse.Namespace) -> tuple[list[int], dict[str, Scenario], dict[str, list[Outcome]]]:
    """Run every (cluster, seed) of ``args`` (runs_parser's options; a failed run stops the script
    in one line): the seeds, each cluster's scenario and each cluster's outcomes in seed order."""
    seeds = list(range(1, args.seeds + 1))
    scenarios = {c: scenario_of(c) for c in CLUSTERS}
    runs = [
        Run(scenarios[c], s, until=args.until, outputs=OUTPUTS, columns=COLUMNS)
        for c in CLUSTERS
        for s in seeds
    ]
    outcomes = run_or_stop(runs, args.workers, [f"{r.scenario.name} with seed {r.seed}" for r in runs])
    return (
        seeds,
        scenarios,
        {c: outcomes[i * len(seeds) : (i + 1) * len(seeds)] for i, c in enumerate(CLUSTERS)},
    )


def main(argv: list[str] | None = None) -> int:
    """Run every (cluster, seed) and write the folder."""
    parser = runs_parser(__doc__.splitlines()[0], ROOT / "results" / "history")
    args = parse_runs_args(parser, argv)
    started = time.monotonic()
    seeds, scenarios, by_cluster = run_clusters(args)
    references = read_exit_references()
    rows, series, timing, paths, structures = [], [], [], [], []
    for cluster in CLUSTERS:
        scenario, done = scenarios[cluster], by_cluster[cluster]
        until = args.until if args.until is not None else scenario.end_year
        rows += compare(cluster, scenario, done, until)
        series.append(yearly_series(cluster, done))
        timing += [run_exit_timing(cluster, s, o.firms, references) for s, o in zip(seeds, done, strict=True)]
        paths.append(anchor_paths(cluster, scenario, seeds, done))
        structures.append(lineage_structure(cluster, scenario, seeds, done, until))
    table = pd.DataFrame(rows)
    yearly = pd.concat(series, ignore_index=True)
    timing_table = pd.DataFrame(timing)
    exits = exit_summary(timing_table, references)
    anchors = pd.concat(paths, ignore_index=True)
    structure = pd.concat(structures, ignore_index=True)
    with atomic.staged_dir(args.out) as stage:
        table.to_csv(stage / "comparison.csv", index=False)
        yearly.round(1).to_csv(stage / "series.csv", index=False)
        timing_table.to_csv(stage / "exit_timing.csv", index=False)
        exits.to_csv(stage / "exit_summary.csv", index=False)
        anchors.to_csv(stage / "anchors.csv", index=False)
        structure.to_csv(stage / "lineage_structure.csv", index=False)
        for cluster in CLUSTERS:
            figure(
                cluster,
                scenarios[cluster],
                yearly[yearly["cluster"] == cluster],
                table[table["cluster"] == cluster],
                stage / f"history_{cluster}.png",
            )
        manifest = {
            **provenance.base_manifest(
                [
                    "python",
                    "experiments/history.py",
                    *(argv if argv is not None else sys.argv[1:]),
                ]
            ),
            "seeds": seeds,
            "until": args.until if args.until is not None else {c: s.end_year for c, s in scenarios.items()},
            "scenarios": {c: s.digest() for c, s in scenarios.items()},
            "data_files": calibrate.file_hash(
                [
                    data_file(calibrate.TARGETS_FILE, "targets"),
                    data_file(exit_timing.EXIT_FILE, "exit timing"),
                ]
            ),
            "seconds": round(time.monotonic() - started, 1),
        }
        atomic.write_json(stage / "manifest.json", manifest)
        atomic.write_text(stage / "README.md", readme(table, exits, anchors, references, manifest, structure))
    inside, outside = hits(table, "in-sample"), hits(table, "out-of-sample")
    print(
        f"in-sample {inside[0]}/{inside[1]}, out-of-sample {outside[0]}/{outside[1]} within x{FACTOR}; "
        f"wrote {args.out}/ in {time.monotonic() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
