"""Do companies that list from the clinic raise too little private money and list too often?

Two out-of-sample misses may share a cause. The model lists 1.8-2.8 times the companies of the five
dated IPO counts (results/history), and its Boston raises half the source document's venture money
of 2017-19 (x0.51), in many small rounds, three in four at the seed stage, with a handful a year at
the clinical or late stage (results/history/vc_money_scan): a company may list once it reaches the
clinical stage (``ipo_from_stage`` 2, an assumption, not fitted), and at the fitted hazard most do
within a year or two, so few stay private long enough to raise a clinical round. In Massachusetts
in 2017-18 the average biopharma deal was USD 34-51 m (MassBio, via MedCity News, August 2018),
many of them private rounds of clinical-stage companies before a listing. This scan lets companies
list only from the late stage, at the fitted hazard and at two, four and eight times it (the
timing of a listing depends on both), nothing else refitted, on the three US clusters with the
seeds of results/history.

Stated before running (any can come out):
- if a point that lists from the late stage meets the exit-timing pattern in all three clusters
  (median IPO under six years, IPOs before acquisitions), brings Boston's VC money of 2018 within a
  factor of 1.5, brings the median model/data of the five dated IPO counts nearer 1 than the
  default and meets as many in-sample figures as the default, listing from the clinic is a common
  cause of the two misses: the next refit should free ``ipo_from_stage`` with the other listing
  constants;
- if points bring the money within x1.5 and the counts nearer 1 but miss the timing, the three pull
  against each other: private clinical rounds need companies that stay private longer than the
  documented time to IPO allows, and the README says so in those words;
- if no point brings the money within x1.5, listing from the clinic is not the cause of the money's
  miss.

Usage:
    python experiments/listing_stage_scan.py [--seeds 8] [--workers 2] [--until YEAR]
        [--out results/history/listing_stage_scan]
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from siblings import sibling

scan = sibling("exit_timing_scan")
hazard = scan.listing_hazard
LATE = {"ipo_from_stage": 3}
"""Listing only from the late stage (the model's stages: seed, early, clinical, late)."""
POINTS: scan.Points = (
    ("default", "the package default (listing from the clinical stage)", {}),
    ("from late", "may list only from the late stage", LATE),
    ("from late, x2", "from the late stage, hazard twice", {**LATE, **hazard(2)}),
    ("from late, x4", "from the late stage, four times", {**LATE, **hazard(4)}),
    ("from late, x8", "from the late stage, eight times", {**LATE, **hazard(8)}),
)
"""The scan's points: a label, what it changes, and the constants it sets (all else default)."""
MONEY = " ".join(scan.VC_MONEY)
"""The column of Boston's VC money (model/data) in the table of points."""


def verdict(table: pd.DataFrame) -> list[str]:
    """The reading, by the rule stated in the module docstring."""
    default = table[table["point"] == "default"].iloc[0]
    if pd.isna(default[MONEY]) or pd.isna(default["ipo_count_ratio_median"]):
        return [
            "The runs end before Boston's VC money of 2018 or the dated IPO counts: the rule cannot be read."
        ]

    lead = scan.already_met(
        scan.history.within(default[MONEY]) and bool(default["timing_met"]),
        f"the exit-timing pattern with Boston's VC money of 2018 within a factor of {scan.history.FACTOR}",
    )
    return lead + stage_reading(table, default)


def stage_reading(table: pd.DataFrame, default: pd.Series) -> list[str]:
    """The rule's readings (module docstring) of the points against ``default``."""
    late = table[table["point"] != "default"]
    money = late[late[MONEY].between(1 / scan.history.FACTOR, scan.history.FACTOR)]
    if money.empty:
        return [
            f"No point brings Boston's VC money of 2018 within a factor of {scan.history.FACTOR} (the "
            f"default: x{scan.fmt(default[MONEY], 2)}): listing from the clinic is not the cause of the "
            "money's miss."
        ]
    fewer = money[
        money["ipo_count_ratio_median"].map(scan.distance) < scan.distance(default["ipo_count_ratio_median"])
    ]
    both = fewer[fewer["timing_met"] & (fewer["in-sample_within_x1.5"] >= default["in-sample_within_x1.5"])]
    if not both.empty:
        return [
            f"Listing from the clinic is a common cause of the two misses: {scan.named(both)} meet the "
            f"exit-timing pattern, bring Boston's VC money within a factor of {scan.history.FACTOR} and "
            "the dated IPO counts nearer the data, with as many in-sample figures as the default. "
            + scan.free_next("ipo_from_stage"),
            "",
            *scan.costs(both, default),
        ]
    if not fewer.empty and not fewer["timing_met"].any():
        return [
            f"Money, counts and timing pull against each other: {scan.named(fewer)} bring Boston's VC "
            f"money within a factor of {scan.history.FACTOR} and the dated IPO counts nearer the data, "
            "but miss the exit-timing pattern: private clinical rounds need companies that stay "
            "private longer than the documented time to IPO allows."
        ]
    return [
        f"{scan.named(money)} bring Boston's VC money within a factor of {scan.history.FACTOR}, but "
        "none also meets the rest of the first reading (the counts nearer the data, the timing and "
        "the in-sample figures) nor fits the second: the table says which part each misses."
    ]


def readme(table: pd.DataFrame, manifest: dict[str, Any]) -> str:
    """The folder's README: the question, the stated rule, the reading and the tables."""
    lines = [
        "# Listing stage: do companies that list from the clinic raise too little and list too often?",
        "",
        scan.method(manifest),
        "",
        "What each reading would mean was written in experiments/listing_stage_scan.py before it ran.",
        "",
        "## Reading",
        "",
        *verdict(table),
        "",
        "## Boston's VC money of 2018 (model/data, out of sample)",
        "",
        "| point | VC money |",
        "| --- | ---: |",
        *(f"| {r['point']} | {scan.fmt(r[MONEY], 2)} |" for r in table.to_dict("records")),
        "",
        *scan.point_table(table),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run every point, cluster and seed and write the folder."""
    return scan.scan_main(POINTS, __doc__, "listing_stage_scan", readme, argv)


if __name__ == "__main__":
    raise SystemExit(main())
