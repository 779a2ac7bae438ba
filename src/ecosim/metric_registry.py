"""Every metric of ecosim, declared once: name, flow or stock, unit, labels and description.

A run records one row a month (the data collector's columns, ``TIMESERIES``); a sweep stores
calendar years (:func:`yearly`: flows summed over the year, stocks read at its last month);
a spec compares runs on the metrics of ``COMPARISONS``, each derived from its declaration:

* a **flow** (counted within a month) is compared as its sum over the spec's window, under
  its own name (``startups_founded``);
* a **stock** (the state at the end of a month) is compared as its value at the window's end,
  as ``<name>_end`` (``startups_active_end``);
* a **run** metric is a number of the run's summary, read at the end of the run under its own
  name (``anchor_lineage``, recorded by a runner); a stock declared with ``compare="run"``
  is read the same way (``largest_lineage``).

The data collector (:mod:`ecosim.metrics`, one reporter function a time-series metric, named
after it), the yearly tables of sweeps and figures, the report, calibration and the browser
view read this table; the labels reach :mod:`ecosim.i18n` from here. A new metric is one
declaration here (and, for a time-series metric, its reporter).

This module is plain data (no model, no pandas at import), so the command line, the labels and
the report can read it without loading the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

Kind = Literal["time", "flow", "stock", "run"]
Compare = Literal["window", "run"]


@dataclass(frozen=True)
class Metric:
    """One metric.

    Attributes:
        name: column (time series, yearly table) or summary key (run metrics).
        kind: ``time`` (the clock), ``flow`` (what happened within the month), ``stock`` (the
            state at the month's end) or ``run`` (a number of the run's summary).
        unit: the unit's label key in :mod:`ecosim.i18n` without its ``unit_`` prefix.
        en: the label in English (a noun phrase, capitalised).
        ja: the label in Japanese.
        description: what it counts, in plain words (without "in the window").
        compare: whether a sweep spec may compare arms on it: ``window`` (flows summed over the
            window, stocks at its end as ``<name>_end``), ``run`` (the summary value at the end
            of the run), or None.
    """

    name: str
    kind: Kind
    unit: str
    en: str
    ja: str
    description: str
    compare: Compare | None = None

    @property
    def compared_as(self) -> str | None:
        """The name a spec compares it by (``<name>_end`` for a stock at a window's end)."""
        if self.compare is None:
            return None
        return f"{self.name}_end" if self.compare == "window" and self.kind == "stock" else self.name


def _m(*args: str, compare: Compare | None = None) -> Metric:
    name, kind, unit, en, ja, description = args
    return Metric(name, kind, unit, en, ja, description, compare)  # type: ignore[arg-type]


METRICS: tuple[Metric, ...] = (
    _m("step", "time", "month", "Month", "月数", "months since the start, 1 for the first month"),
    _m("year", "time", "year", "Year", "年", "decimal calendar year of the month"),
    _m(
        "firms_active",
        "stock",
        "firms",
        "Active firms",
        "活動中企業",
        "active firms (startups, grown firms, device and service firms, pharma sites and branches)",
        compare="window",
    ),
    _m(
        "startups_active",
        "stock",
        "firms",
        "Active startups",
        "活動中スタートアップ",
        "active private drug developers (not listed, not grown; device and service firms count"
        " among the active firms)",
        compare="window",
    ),
    _m(
        "firms_listed",
        "stock",
        "firms",
        "Listed companies",
        "上場企業数",
        "drug developers listed on a stock market and still operating in the region (grown ones"
        " included; device and service firms do not list)",
        compare="window",
    ),
    _m(
        "startups_founded",
        "flow",
        "firms",
        "Startups founded",
        "スタートアップ設立数",
        "firms founded, drug developers and device or service firms, all channels and anchors"
        " (relocations are not foundings)",
        compare="window",
    ),
    _m(
        "founded_academic",
        "flow",
        "firms",
        "Academic spinouts",
        "大学発スタートアップ",
        "academic spinouts founded",
        compare="window",
    ),
    _m(
        "founded_spinout",
        "flow",
        "firms",
        "Employee spinouts",
        "従業員スピンアウト",
        "employee spinouts founded",
        compare="window",
    ),
    _m(
        "founded_release",
        "flow",
        "firms",
        "Founded by released staff",
        "放出人材による起業",
        "startups founded by released staff and serial founders",
        compare="window",
    ),
    _m(
        "founded_anchor",
        "flow",
        "firms",
        "Anchor firms founded",
        "アンカー企業の設立数",
        "scripted anchor firms founded",
    ),
    _m(
        "relocations",
        "flow",
        "firms",
        "Moved in from outside",
        "域外からの移転",
        "young companies moving in from outside (not foundings)",
        compare="window",
    ),
    _m("exits_acquired", "flow", "firms", "Acquisitions", "買収", "startups acquired", compare="window"),
    _m("exits_ipo", "flow", "firms", "IPOs", "新規株式公開", "initial public offerings", compare="window"),
    _m("failures", "flow", "firms", "Failures", "廃業", "startups that closed", compare="window"),
    _m("partnerships", "flow", "count", "Partnerships", "提携数", "pharma-startup partnerships signed"),
    _m(
        "employment",
        "stock",
        "people",
        "Employment",
        "雇用者数",
        "life-science employment (staff of active companies, device and service firms, pharma sites "
        "and branches)",
        compare="window",
    ),
    _m(
        "firms_census",
        "stock",
        "firms",
        "Firms in the census area",
        "集計地域の企業数",
        "active firms inside the scenario's census area (the count the source's figure makes)",
    ),
    _m(
        "employment_census",
        "stock",
        "people",
        "Employment in the census area",
        "集計地域の雇用者数",
        "staff of the active firms inside the census area",
    ),
    _m(
        "organizations_census",
        "stock",
        "organizations",
        "Companies and organizations",
        "企業・団体数",
        "firms plus institutions and hub bodies in the census area (企業・団体)",
    ),
    _m(
        "workforce_census",
        "stock",
        "people",
        "Workforce in the census area",
        "集計地域の就業者数",
        "everyone working in the census area: firms' staff plus the staff of institutions",
    ),
    _m(
        "vc_invested",
        "flow",
        "usd_m",
        "VC invested",
        "VC投資額",
        "VC invested in rounds, USD m at 2000 prices",
        compare="window",
    ),
    _m(
        "vc_invested_census",
        "flow",
        "usd_m",
        "VC invested in the census area",
        "集計地域のVC投資額",
        "VC invested in rounds of companies inside the census area (the whole region when the "
        "scenario names none), USD m at 2000 prices",
    ),
    _m("vcs", "stock", "offices", "VC offices", "VC拠点数", "VC offices in the region"),
    _m(
        "pharma_sites",
        "stock",
        "sites",
        "Pharma sites",
        "製薬企業拠点数",
        "pharma sites in the region (branches not included)",
        compare="window",
    ),
    _m(
        "branches",
        "stock",
        "sites",
        "Branches",
        "域外企業の拠点数",
        "branches of outside companies that hubs drew into the region",
    ),
    _m(
        "hub_members",
        "stock",
        "members",
        "Hub members",
        "中核機関の会員数",
        "hub members: each hub's member firms of the region and from outside, summed over the hubs",
    ),
    _m("hub_events", "flow", "count", "Hub events", "中核機関のイベント数", "hub events held"),
    _m(
        "incubator_tenants",
        "stock",
        "firms",
        "Incubator tenants",
        "インキュベーター入居企業数",
        "startups in an incubator or shared-lab seat",
    ),
    _m(
        "largest_lineage",
        "stock",
        "firms",
        "Firms in the largest lineage",
        "最大系譜の企業数",
        "firms ever founded in the largest family tree (root included)",
        compare="run",
    ),
    _m(
        "spatial_concentration",
        "stock",
        "share",
        "Spatial concentration",
        "空間的集中度",
        "share of active companies in the densest 10 x 10 km block of the region",
    ),
    # The drug industry alone, for the figures that count only it (narrow counts of biotech or
    # biopharma firms and jobs; targets.csv's `kinds` column): each the BIOPHARMA twin of a count
    # above, without the device and service firms.
    _m(
        "firms_active_biopharma",
        "stock",
        "firms",
        "Active biopharma firms",
        "活動中のバイオ医薬企業数",
        "active drug developers (startups, listed and grown companies), pharma sites and branches: "
        "the active firms without device and service firms",
    ),
    _m(
        "firms_census_biopharma",
        "stock",
        "firms",
        "Biopharma firms in the census area",
        "集計地域のバイオ医薬企業数",
        "drug developers, pharma sites and branches inside the census area",
    ),
    _m(
        "employment_biopharma",
        "stock",
        "people",
        "Biopharma employment",
        "バイオ医薬の雇用者数",
        "staff of the active drug developers, pharma sites and branches",
    ),
    _m(
        "employment_census_biopharma",
        "stock",
        "people",
        "Biopharma employment in the census area",
        "集計地域のバイオ医薬の雇用者数",
        "staff of the drug developers, pharma sites and branches inside the census area",
    ),
    _m(
        "anchor_lineage",
        "run",
        "firms",
        "Firms in the anchors' lineages",
        "起点企業（アンカー）の系譜の企業数",
        "firms in the lineages of the scenario's anchors (Genentech, Hybritech, ...); recorded by the "
        "runner ecosim.lineage:run_with_anchors",
        compare="run",
    ),
    _m(
        "years_to_ipo",
        "run",
        "years",
        "Years from founding to IPO",
        "設立から新規株式公開までの年数",
        "median years from founding to IPO of the firms founded in the region, over the IPOs the "
        "reference describes (its window and companies: src/ecosim/data/exit_timing.csv; empty "
        "without one)",
        compare="run",
    ),
    _m(
        "years_to_acquisition",
        "run",
        "years",
        "Years from founding to acquisition",
        "設立から買収までの年数",
        "median years from founding to the acquisition of a private firm founded in the region, over "
        "the acquisitions the reference describes (src/ecosim/data/exit_timing.csv; empty without one)",
        compare="run",
    ),
)
"""Every metric, in the order of the time-series columns (run metrics last)."""

BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}

TIMESERIES: tuple[str, ...] = tuple(m.name for m in METRICS if m.kind != "run")
"""Columns of a run's monthly time series, in order (the data collector's reporters)."""

FLOWS: frozenset[str] = frozenset(m.name for m in METRICS if m.kind == "flow")
"""Columns that count what happened within the month (summed over a year or a window)."""

STOCKS: frozenset[str] = frozenset(m.name for m in METRICS if m.kind == "stock")
"""Columns that hold the state at the month's end (read at the last month of a year)."""

BIOPHARMA = "biopharma"
"""A figure's `kinds` (targets.csv) when it counts the drug industry alone: drug developers,
pharma sites and branches, not device and service firms."""


def biopharma_twin(metric: str) -> str:
    """The column that counts what ``metric`` counts of the drug industry alone
    (``firms_census`` -> ``firms_census_biopharma``).

    Raises:
        KeyError: ``metric`` has no such twin.
    """
    twin = f"{metric}_{BIOPHARMA}"
    if twin not in BY_NAME:
        raise KeyError(f"{metric} has no count of the drug industry alone")
    return twin


PART_METRICS: tuple[str, ...] = (
    "firms_census",
    "employment_census",
    "firms_census_biopharma",
    "employment_census_biopharma",
)
"""The census metrics also counted in each part of the census area a scenario counts apart
(Region.counted_apart), in columns named by part_column."""


def part_column(metric: str, part: str) -> str:
    """The column that counts ``metric`` in the census part named ``part`` alone
    (``firms_census``, ``Cambridge`` -> ``firms_census[Cambridge]``): a stock, as ``metric``.

    Raises:
        KeyError: ``metric`` is not counted by part (PART_METRICS).
    """
    if metric not in PART_METRICS:
        raise KeyError(f"{metric} is not counted in a part of the census area")
    return f"{metric}[{part}]"


@dataclass(frozen=True)
class Comparison:
    """A number a sweep compares arms on, derived from one metric's declaration.

    Attributes:
        name: the name a spec uses (``startups_active_end``).
        metric: the declared metric it reads.
        how: ``sum`` (a flow over the window), ``end`` (a stock at the window's end) or
            ``run`` (the run summary's value at the end of the run).
    """

    name: str
    metric: Metric
    how: Literal["sum", "end", "run"]

    @property
    def en(self) -> str:
        """The label in English."""
        return f"{self.metric.en} at the end" if self.how == "end" else self.metric.en

    @property
    def ja(self) -> str:
        """The label in Japanese."""
        return f"期末の{self.metric.ja}" if self.how == "end" else self.metric.ja

    @property
    def unit(self) -> str:
        """The unit's label key (``unit_firms``)."""
        return f"unit_{self.metric.unit}"

    @property
    def description(self) -> str:
        """What it compares, in plain words."""
        where = {"sum": "in the window", "end": "at the end of the window", "run": "at the end of the run"}
        return f"{self.metric.description} {where[self.how]}"


def _comparison(metric: Metric) -> Comparison:
    if metric.compare == "run":
        return Comparison(metric.name, metric, "run")
    return Comparison(metric.compared_as or metric.name, metric, "end" if metric.kind == "stock" else "sum")


COMPARISONS: dict[str, Comparison] = {
    c.name: c for c in (_comparison(m) for m in METRICS if m.compare is not None)
}
"""What a sweep spec's ``metrics`` may name: comparison name -> how it is read."""

MONEY: frozenset[str] = frozenset(c.name for c in COMPARISONS.values() if c.metric.unit == "usd_m")
"""Comparisons in the model's money (USD m at 2000 prices): a report may convert them."""


def labels() -> dict[str, dict[str, str]]:
    """The labels of every metric and comparison, as ``metric_<name>`` entries of i18n.LABELS."""
    found = {f"metric_{m.name}": {"en": m.en, "ja": m.ja} for m in METRICS}
    found.update({f"metric_{c.name}": {"en": c.en, "ja": c.ja} for c in COMPARISONS.values()})
    return found


def yearly(timeseries: pd.DataFrame, months: bool = False) -> pd.DataFrame:
    """Aggregate a monthly time series to calendar years, one row a year.

    Flows are summed over the year's months; every other numeric column (a stock, or a column
    this table does not declare) takes the value of the year's last simulated month.

    Args:
        timeseries: one row a month with a decimal ``year`` column.
        months: add a ``months`` column (how many months of the year were simulated).

    Returns:
        ``year`` (int), then (with ``months``) ``months``, the flows and the stocks, each
        group sorted by name.
    """
    import numpy as np
    import pandas as pd

    frame = timeseries.copy()
    frame["year"] = np.floor(frame["year"].astype(float) + 1e-9).astype("int64")
    numeric = [
        c for c in frame.columns if c not in {"year", "step"} and pd.api.types.is_numeric_dtype(frame[c])
    ]
    flows = sorted(c for c in numeric if c in FLOWS)
    stocks = sorted(c for c in numeric if c not in FLOWS)
    grouped = frame.groupby("year", sort=True)
    parts = [grouped[flows].sum(), grouped[stocks].last()]
    if months:
        parts.append(grouped.size().rename("months"))
    table = pd.concat(parts, axis=1).reset_index()
    return table[["year", *(["months"] if months else []), *flows, *stocks]]
