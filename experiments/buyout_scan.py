"""Do too few buy-outs let too many companies list?

The model lists too many companies: none of the seven dated IPO counts is met (x1.58-7.00), and
its listed stock grows through 2001-2012 where the regions' counts were flat or falling
(results/history). Its exits are also far more IPOs than acquisitions: over 2009-2020 a Boston run
lists 246 of its companies and sells 42.5 to buyers while private, the Bay Area 200 and 22.5
(results/history/exit_summary.csv), where nationally acquisitions made upwards of 75% of the
venture-backed biotech exits of 2006-2010 and IPOs about two-thirds of those of 2013-2014
(docs/EVIDENCE.md, section 2; no regional count of acquisitions was found). Which companies a buyer
takes is set by two assumptions, neither fitted: the share of a pharma's deals with a private
company that are buy-outs, by stage (``buyout_share``: 0, 1%, 2.5% and 20% at the seed, early,
clinical and late stages, "shaped to" the documented order of IPOs before acquisitions), and the
buyers' appetite for a listed company (``listed_deal_appetite``, 0.5), which drains the listed stock.
A company bought while private never lists; a listed company bought leaves the stock. This scan
runs the three US clusters with the buy-out shares doubled and quadrupled (the late stage's capped
at 1 by its domain; 0.8 at x4), with the listed appetite doubled, and both together, nothing
refitted, at the seeds of results/history.

Stated before running (any can come out; no point of this scan was run before it was written):
- if a point meets the exit-timing pattern in all three clusters (median IPO under six years,
  before acquisitions), brings the median model/data of the five dated IPO counts the listing scans'
  rules read (exit_timing_scan.RULE_IPO_COUNTS) nearer 1 than the default, meets at least as many
  of the tested counts of listed companies (``firms_listed``: Ernst & Young's eight and New
  England's three bounds) as the default, and meets as many in-sample figures and US end points as
  the default, too few buy-outs are a cause of the listing excess: the next calibration should fit
  the buy-out shares (a fitted multiple of them) with the other patterns;
- if points bring the IPO counts nearer 1 but miss the timing or lose in-sample figures or US end
  points, buy-outs trade the counts against the fitted figures, and the README says which part
  each misses;
- if no point brings the IPO counts nearer 1, buy-outs are not what sets the number of listings.

Reported beside the rule, not part of it: acquisitions of private companies a run and the IPO
share of exits over 2009-2020 in each cluster (the national shares above are a context, not a
regional figure), the out-of-sample figures met.

Usage:
    python experiments/buyout_scan.py [--seeds 8] [--workers 2] [--until YEAR] [--points LABEL ...]
        [--out results/history/buyout_scan]
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from siblings import sibling

from ecosim.constants import fitted

scan = sibling("exit_timing_scan")
history = scan.history
LISTED = "firms_listed"
"""The metric of the listed companies a region holds (a stock)."""


def buyouts(factor: float) -> dict[str, tuple[float, ...]]:
    """The package's buy-out shares by stage, ``factor`` times (each capped at 1, a share)."""
    return {"buyout_share": tuple(round(min(1.0, s * factor), 6) for s in fitted().buyout_share)}


def listed_appetite(factor: float) -> dict[str, float]:
    """The buyers' appetite for a listed company, ``factor`` times the package's."""
    return {"listed_deal_appetite": round(fitted().listed_deal_appetite * factor, 6)}


POINTS: scan.Points = (
    ("default", "the package default", {}),
    ("buy-outs x2", "buy-out shares of deals twice the default's", buyouts(2)),
    ("buy-outs x4", "four times (the late stage's 0.8)", buyouts(4)),
    ("listed x2", "buyers' appetite for a listed company twice", listed_appetite(2)),
    ("buy-outs x2, listed x2", "both twice", {**buyouts(2), **listed_appetite(2)}),
    (
        "buy-outs x4, listed x2",
        "buy-outs four times, listed appetite twice",
        {**buyouts(4), **listed_appetite(2)},
    ),
)
"""The scan's points: a label, what it changes, and the constants it sets (all else default)."""


def with_exits(table: pd.DataFrame, exits: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """The points table with what the rule and the report read besides exit_timing_scan.summary's
    columns: each cluster's acquisitions a run and IPO share of exits (2009-2020), and the tested
    counts of listed companies met."""
    table = table.copy()
    window = exits[exits["exits_dated"] == "window"]
    for r in window.itertuples():
        where = table["point"] == r.point
        table.loc[where, f"acquisitions_per_run_{r.cluster}"] = r.acquisitions_per_run
        total = r.ipos_per_run + r.acquisitions_per_run
        table.loc[where, f"ipo_share_{r.cluster}"] = round(r.ipos_per_run / total, 3) if total else None
    listed = figures[(figures["metric"] == LISTED) & (figures["sample"] != "context")]
    met = listed.groupby("point")["within_factor_1_5"].apply(lambda s: int(s.astype(bool).sum()))
    table["listed_counts_met"] = table["point"].map(met).fillna(0).astype(int)
    table["listed_counts"] = table["point"].map(listed.groupby("point").size()).fillna(0).astype(int)
    return table


def verdict(table: pd.DataFrame) -> list[str]:
    """The reading, by the rule stated in the module docstring."""
    default = table[table["point"] == "default"].iloc[0]
    if pd.isna(default["ipo_count_ratio_median"]):
        return ["The runs end before the dated IPO counts: the rule cannot be read."]
    others = table[table["point"] != "default"]
    nearer = others[
        others["ipo_count_ratio_median"].map(scan.distance) < scan.distance(default["ipo_count_ratio_median"])
    ]
    if nearer.empty:
        return [
            "No point brings the five dated IPO counts nearer the data than the default (median "
            f"model/data x{scan.fmt(default['ipo_count_ratio_median'], 2)}): buy-outs are not what "
            "sets the number of listings."
        ]
    kept = nearer[
        nearer["timing_met"]
        & (nearer["listed_counts_met"] >= default["listed_counts_met"])
        & (nearer["in-sample_within_x1.5"] >= default["in-sample_within_x1.5"])
        & (nearer["end_points_within_25pct"] >= default["end_points_within_25pct"])
    ]
    if not kept.empty:
        return [
            f"Too few buy-outs are a cause of the listing excess: {scan.named(kept)} meet the exit-timing "
            "pattern in all three clusters, bring the five dated IPO counts nearer the data, and meet "
            "as many counts of listed companies, in-sample figures and US end points as the default. "
            "The next calibration should fit the buy-out shares (a fitted multiple of them) with the "
            "other patterns.",
            "",
            *misses_of(kept, default),
        ]
    return [
        f"Buy-outs trade the IPO counts against the fitted figures: {scan.named(nearer)} bring the five "
        "dated IPO counts nearer the data, but none also meets the exit-timing pattern with as many "
        "counts of listed companies, in-sample figures and US end points as the default. What each "
        "misses:",
        "",
        *misses_of(nearer, default),
    ]


def misses_of(points: pd.DataFrame, default: pd.Series) -> list[str]:
    """For each point, the parts of the first reading it meets and misses, against ``default``."""
    lines = []
    for r in points.to_dict("records"):
        parts = [
            f"IPO counts x{scan.fmt(default['ipo_count_ratio_median'], 2)} -> "
            f"x{scan.fmt(r['ipo_count_ratio_median'], 2)}",
            f"timing {'met' if r['timing_met'] else 'missed'}",
            f"listed companies {default['listed_counts_met']} -> {r['listed_counts_met']} "
            f"of {r['listed_counts']}",
            f"in sample {default['in-sample_within_x1.5']} -> {r['in-sample_within_x1.5']}",
            f"US end points {default['end_points_within_25pct']} -> {r['end_points_within_25pct']}",
            f"out of sample {default['out-of-sample_within_x1.5']} -> {r['out-of-sample_within_x1.5']} "
            f"of {r['out-of-sample_figures']}",
        ]
        lines.append(f"- `{r['point']}`: " + "; ".join(parts) + ".")
    return lines


def exits_line(row: dict[str, Any]) -> str:
    """A point's row of the README's table of exits and listed companies."""
    clusters = history.CLUSTERS
    acquisitions = ", ".join(scan.fmt(row.get(f"acquisitions_per_run_{c}"), 0) for c in clusters)
    shares = ", ".join(scan.fmt(row.get(f"ipo_share_{c}"), 2) for c in clusters)
    return (
        f"| {row['point']} | {acquisitions} | {shares} | {row['listed_counts_met']}/{row['listed_counts']} |"
    )


def readme(table: pd.DataFrame, manifest: dict[str, Any]) -> str:
    """The folder's README: the question, the stated rule, the reading and the tables."""
    lines = [
        "# Buy-outs: do too few let too many companies list?",
        "",
        scan.method(manifest),
        "",
        "What each reading would mean was written in experiments/buyout_scan.py before it ran.",
        "",
        "## Reading",
        "",
        *verdict(table),
        "",
        "## Exits over 2009-2020 and listed companies",
        "",
        "Acquisitions of private companies a run and the IPO share of exits (IPOs over IPOs and "
        "acquisitions) in Boston, the Bay Area and San Diego; nationally, acquisitions made upwards "
        "of 75% of venture-backed biotech exits in 2006-2010 and IPOs about two-thirds in 2013-2014 "
        "(docs/EVIDENCE.md, section 2: a context, not a regional figure). Listed companies: the tested "
        f"counts of `{LISTED}` met (Ernst & Young's levels within x1.5, New England's bounds under).",
        "",
        "| point | acquisitions a run | IPO share of exits | listed companies met |",
        "| --- | --- | --- | ---: |",
        *(exits_line(r) for r in table.to_dict("records")),
        "",
        *scan.point_table(table),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run every point, cluster and seed and write the folder."""
    return scan.scan_main(POINTS, __doc__, "buyout_scan", readme, argv, with_exits)


if __name__ == "__main__":
    raise SystemExit(main())
