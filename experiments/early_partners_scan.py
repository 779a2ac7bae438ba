"""Early partners: is the early drug industry short because pharma reaches Boston and San Diego late?

Read by what they count (results/history/narrow_counts), the model's drug industry of 1993-1998 is
short: Massachusetts's biotech firms of 1993 x0.57 and their jobs x0.35, San Diego's companies of
1998 x0.47. In the scenario files a pharma partners with and buys a region's startups from its
``active_from`` year, by default the year its site in the region opens. The Bay Area's pharma are
dated otherwise (Eli Lilly by its first deal, 1978, its Genentech insulin licence; Roche by its US
presence, from 1976; corrected after a review, which found this text had said "by their first deals"),
but Boston's four enter with their Cambridge sites (2002-2014) and San Diego's with Lilly's purchase
of Hybritech (1985) and their sites (2000-2012): before 2002 no pharma the Boston file names
partners with a Boston startup (corrected after a smoke test to 1994, which read no figure: an
unnamed pharma whose site the model opens, mechanisms/arrival.py ``open_pharma_site``, may).
Historically the large drug makers allied with the new biotech firms from the late 1970s and through
the 1980s (L. Galambos and J. L. Sturchio, "Pharmaceutical Firms and the
Transition to Biotechnology: A Study in Strategic Innovation", Business History Review 72(2), 1998;
J. Hagedoorn and N. Roijakkers, "Inter-firm R&D partnering in pharmaceutical biotechnology since
1975", Research Policy 35(3), 431-446, 2006), and "during the 1980s, many biotechnology firms formed
strategic alliances with corporate partners in periods when capital was expensive" (National
Academies Press, openbook record 1981, p. 46: a report of about 1991). A deal pays the startup
upfront (mechanisms/deals.py ``partner``), which keeps it alive and hiring; the same scouting also
buys startups (``buyout_share``), which removes them: the sign is not known before running.

Points (nothing refitted, the seeds of results/history, so the default row reproduces it):
``default``, the scenario files; ``from the start``, every pharma of the three US clusters in the
market from its scenario's first year (San Diego's Lilly too, from 1978; the Bay Area's are already
but for Lilly, from 1976 instead of its dated 1978: said so after the first 8-seed run, which found
the Bay Area's runs changed where this text had said they would not); ``from 1986``, every pharma in
the market from 1986 at the latest (the mid-1980s, when the alliances had become common), else its
own date. Sites open as before.

Point four (``sourced``, added after the first 8-seed run; not part of the rule): each pharma of
Boston and San Diego in the market from its first deal with one of the region's biotech firms
that a search of stored pages found (SOURCED: an upper bound on the date, since an earlier deal may
have been missed), else as in the scenario files: in Boston Pfizer from 1986, Novartis (Sandoz)
from 1987 and Sanofi (Marion Merrell Dow) from 1991, Takeda with its purchase of Millennium (2008,
as its site); in San Diego Pfizer from 1991, GlaxoSmithKline (Glaxo) from 1992 and Johnson &
Johnson (Ortho Biotech) from 1994, Takeda (2005) and Kyowa Kirin (no deal found) as their sites.
Schering-Plough's licence of Biogen's alpha interferon (December 1979), Boston's earliest deal
found, is by a pharma the Boston file does not name: not added.

Nothing was run before this rule was written (no probe): the figures named are results/history's
and narrow_counts'.

Stated before running (any can come out); the early figures are Massachusetts's biotech firms and
jobs of 1993 and San Diego's companies of 1998, read by kind (the drug industry alone, as
narrow_counts reads them):
- if at ``from the start`` each of the three rises and at least two are within a factor of 1.5, and
  the in-sample figures met (read as the fit reads them), the out-of-sample ones and the US end
  points within 25% are each at least the default's, the late arrival of pharma in the scenario
  files is a cause of the short early drug industry: each pharma's entry into each region's market
  should be dated by source, as the Bay Area's are, and the next refit should run on them;
- if each of the three rises but fewer than two are within x1.5, or the other counts fall, the
  early partners are part of the cause, not all of it (the table says what they cost);
- if any of the three does not rise, early partners are not the cause of the short early drug
  industry.
Reported beside, not part of the rule: the in-sample figures met by kind, the exit timing, and the
median partnerships and acquisitions of Boston's and San Diego's startups before 1995.

Usage:
    python experiments/early_partners_scan.py [--seeds 8] [--workers 2] [--until YEAR]
        [--out results/history/early_partners_scan]
"""

from __future__ import annotations

import math
import sys
import time
from typing import Any

import pandas as pd
from siblings import sibling

from ecosim import engine
from ecosim.scenario import Scenario

scan = sibling("exit_timing_scan")
history = scan.history

EARLY = (
    ("boston", "firms_active", "1993"),
    ("boston", "employment", "1993"),
    ("san_diego", "firms_census", "1998-03"),
)
"""The early drug industry's figures the rule reads by kind (cluster, metric, date)."""
BEFORE = 1995
"""Partnerships and acquisitions are counted from a run's start to the end of the year before."""
COUNTED = ("partnerships", "exits_acquired")
"""Time-series columns counted before BEFORE, besides results/history's."""
COLUMNS = (*history.COLUMNS, *COUNTED)
SOURCED: dict[str, dict[str, int]] = {
    "boston": {
        # "T Cell Sciences' first drug R&D agreement is with Pfizer", The Pink Sheet, September 1986
        # (pink.pharmaintelligence.informa.com, PS010695; the year from the article's context).
        "Pfizer": 1986,
        # "Sandoz increases stake in Repligen", BioWorld: the Repligen Sandoz Research Corp., "which the
        # two companies formed in 1987 as a joint venture in industrial and agricultural biotech".
        "Novartis": 1987,
        # BioWorld (bioworld.com, articles 492835 and 494804): "ImmuLogic signed a deal in November
        # 1991 with Marion Merrill [sic] Dow Inc. to jointly develop ImmuLogic's Allervax".
        "Sanofi": 1991,
    },
    "san_diego": {
        # "S.D., N.Y. Drug Firms Join in Osteoporosis Research", Los Angeles Times, 7 May 1991 (Pfizer
        # and Ligand Pharmaceuticals).
        "Pfizer": 1991,
        # "Glaxo and Ligand will collaborate on atherosclerosis drug R&D", The Pink Sheet, September
        # 1992 (PS021464; the year from Ligand's listing that year).
        "GlaxoSmithKline": 1992,
        # "ALLP deal continues revival for blood product", BioCentury, 22 August 1994 (Ortho Biotech's
        # licence of Alliance Pharmaceutical's Oxygent).
        "Johnson & Johnson": 1994,
    },
}
"""Each pharma's first deal with one of the region's biotech firms found in stored pages (the
``sourced`` point; its predecessor's where it made the deal)."""
POINTS: tuple[tuple[str, str, int | str | None], ...] = (
    ("default", "the scenario files: each pharma from its dated first deal or its site's opening", None),
    ("from the start", "every pharma in the region's market from the scenario's first year", 0),
    ("from 1986", "every pharma in the market from 1986 at the latest, else from its own date", 1986),
    (
        "sourced",
        "each pharma of Boston and San Diego from its first deal found there (post hoc, not in the rule)",
        "sourced",
    ),
)
"""The scan's points: a label, what it changes, and the latest year a pharma enters the market
(0: the scenario's first year; None: the scenario files' dates; "sourced": SOURCED's)."""


def entered(scenario: Scenario, latest: int | str | None, cluster: str = "") -> Scenario:
    """``scenario`` (of ``cluster``) with every pharma in the market from ``latest`` at the latest
    (0: from the scenario's first year; "sourced": from SOURCED's year, where it names one; None:
    unchanged)."""
    if latest is None:
        return scenario
    dated = SOURCED.get(cluster, {}) if latest == "sourced" else {}

    def year(p: Any) -> int:
        if latest == "sourced":
            return dated.get(p.name, scenario.active_from(p))
        return scenario.start_year if latest == 0 else int(latest)

    def moved(p: Any) -> Any:
        # Only a pharma whose entry moves is changed, so an unchanged scenario keeps its digest.
        entry = max(scenario.start_year, min(scenario.active_from(p), year(p)))
        return p if entry == scenario.active_from(p) else p.model_copy(update={"active_from": entry})

    return scenario.model_copy(update={"pharma": [moved(p) for p in scenario.pharma]})


def counted_before(outcome: engine.Outcome, column: str) -> float:
    """A flow column's sum from the run's start to the end of BEFORE - 1."""
    series = outcome.timeseries
    assert series is not None
    return float(series.loc[series["year"] < BEFORE, column].sum())


def run_points(
    seeds: list[int], until: int | None, workers: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, dict[str, str]]]:
    """Every point, cluster and seed (a failed run stops the scan in one line): the dated figures
    read as the fit reads them and by kind, each seed's exit timing, the early deals, and each
    point's scenario digests.
    """
    points = [
        (label, {c: entered(history.scenario_of(c), latest, c) for c in history.CLUSTERS})
        for label, _, latest in POINTS
    ]
    runs, digests = scan.run_scenario_points(points, seeds, until, workers, COLUMNS)
    every, by_kind, timing, deals = [], [], [], []
    for label, cluster, scenario, done in runs:
        rows, times = scan.point_rows(label, cluster, scenario, done, seeds, until)
        every += rows
        timing += times
        by_kind += scan.point_rows(label, cluster, scenario, done, seeds, until, True)[0]
        deals += [
            {"point": label, "cluster": cluster, "seed": seed, **{c: counted_before(o, c) for c in COUNTED}}
            for seed, o in zip(seeds, done, strict=True)
        ]
    # The figures' columns are kept when the runs end before the first dated figure.
    figures = [
        pd.DataFrame(rows) if rows else pd.DataFrame(columns=scan.FIGURE_COLUMNS) for rows in (every, by_kind)
    ]
    return *figures, pd.DataFrame(timing), pd.DataFrame(deals), digests


def early_ratios(by_kind: pd.DataFrame, label: str) -> dict[str, float | None]:
    """Of one point's figures read by kind, model/data of each early figure (None when the runs end
    before it), keyed "cluster metric date" by the metric the targets file names."""
    mine = by_kind[by_kind["point"] == label]
    ratios: dict[str, float | None] = {}
    for cluster, metric, date in EARLY:
        where = (mine["cluster"] == cluster) & mine["metric"].isin({metric, f"{metric}_biopharma"})
        hit = mine[where & (mine["date"].astype(str) == date)]
        ratios[f"{cluster} {metric} {date}"] = float(hit["ratio"].iloc[0]) if len(hit) else None
    return ratios


def summary(
    every: pd.DataFrame, by_kind: pd.DataFrame, timing: pd.DataFrame, deals: pd.DataFrame
) -> pd.DataFrame:
    """One row per point: exit timing and the figures met as the fit reads them (the scans'
    summary), the in-sample figures met by kind, the early figures by kind, and the early deals."""
    points = tuple((label, what, {}) for label, what, _ in POINTS)
    table = scan.summary(points, every, scan.exits_by_point(points, timing))
    extra = []
    for label, _, _ in POINTS:
        row: dict[str, Any] = {"point": label}
        part = by_kind[(by_kind["point"] == label) & (by_kind["sample"] == "in-sample")]
        row["in-sample_by_kind_within_x1.5"] = int(part["within_factor_1_5"].astype(bool).sum())
        row |= early_ratios(by_kind, label)
        for cluster in ("boston", "san_diego"):
            mine = deals[(deals["point"] == label) & (deals["cluster"] == cluster)]
            for column in COUNTED:
                row[f"{column}_before_{BEFORE}_{cluster}"] = (
                    float(mine[column].median()) if len(mine) else math.nan
                )
        extra.append(row)
    return table.merge(pd.DataFrame(extra), on="point")


def verdict(table: pd.DataFrame) -> list[str]:
    """The reading, by the rule stated in the module docstring."""
    default = table[table["point"] == "default"].iloc[0]
    start = table[table["point"] == "from the start"].iloc[0]
    keys = [f"{c} {m} {d}" for c, m, d in EARLY]
    if any(pd.isna(default[k]) or pd.isna(start[k]) for k in keys):
        return ["The runs end before the early figures: the rule cannot be read."]
    shown = ", ".join(f"{k} x{default[k]:.2f} -> x{start[k]:.2f}" for k in keys)
    if not all(start[k] > default[k] for k in keys):
        return [
            f"Not every early figure rises with pharma in the market from the start ({shown}, by kind): "
            "early partners are not the cause of the short early drug industry."
        ]
    met = sum(history.within(start[k]) for k in keys)
    counts = ("in-sample_within_x1.5", "out-of-sample_within_x1.5", "end_points_within_25pct")
    kept = all(start[k] >= default[k] for k in counts)
    said = "; ".join(f"{k} {default[k]} -> {start[k]}" for k in counts)
    if met >= 2 and kept:
        return [
            f"Every early figure rises with pharma in the market from the start ({shown}, by kind), "
            f"{met} of 3 within a factor of {history.FACTOR}, and the other counts hold ({said}): the "
            "late arrival of pharma in the scenario files is a cause of the short early drug industry. "
            "Each pharma's entry into each region's market should be dated by source, as the Bay "
            "Area's are, and the next refit should run on them."
        ]
    return [
        f"Every early figure rises with pharma in the market from the start ({shown}, by kind), "
        f"{met} of 3 within a factor of {history.FACTOR} ({said}): the early partners are part of the "
        "cause of the short early drug industry, not all of it."
    ]


def point_lines(table: pd.DataFrame) -> list[str]:
    """The table of points for the README."""
    keys = [f"{c} {m} {d}" for c, m, d in EARLY]
    lines = [
        "| point | changes | in-sample | out-of-sample | US end points | in-sample by kind | "
        + " | ".join(f"{k} (by kind)" for k in keys)
        + " | IPO years (Boston, Bay Area, San Diego) | acquisition years | timing met "
        f"| partnerships before {BEFORE} (Boston, San Diego) | acquisitions before {BEFORE} |",
        "| --- | --- | ---: | ---: | ---: | ---: | "
        + "---: | " * len(keys)
        + "--- | --- | --- | --- | --- |",
    ]
    for r in table.to_dict("records"):
        deals = ", ".join(
            scan.fmt(r[f"partnerships_before_{BEFORE}_{c}"], 0) for c in ("boston", "san_diego")
        )
        bought = ", ".join(
            scan.fmt(r[f"exits_acquired_before_{BEFORE}_{c}"], 0) for c in ("boston", "san_diego")
        )
        lines.append(
            f"| {r['point']} | {r['changes']} | {scan.met_cells(r)} | {r['in-sample_by_kind_within_x1.5']} | "
            + " | ".join(scan.fmt(r[k], 2) for k in keys)
            + f" | {scan.timing_cells(r)} | {deals} | {bought} |"
        )
    return lines


def readme(table: pd.DataFrame, manifest: dict[str, Any]) -> str:
    """The folder's README: the question, the stated rule's reading and the table of points."""
    return "\n".join(
        [
            "# Early partners: is the early drug industry short because pharma reaches Boston and "
            "San Diego late?",
            "",
            f"Produced by `{manifest['command']}` at git commit `{manifest['git_commit']}`: "
            f"{len(manifest['seeds'])} seeds per cluster and point (the seeds of results/history, so the "
            "default row reproduces it), the package's fitted constants, nothing refitted; each point "
            "changes the year from which the scenario files' pharma partner with and buy the region's "
            "startups (`active_from`). Figures are those of results/history; in sample, out of sample "
            f"and end points read as the fit reads them, within a factor of {history.FACTOR} (end points "
            "within 25%); the early figures read by kind (the drug industry alone, as "
            "results/history/narrow_counts reads them). Model/data is the median over seeds.",
            "",
            "What each reading would mean was written in experiments/early_partners_scan.py before it ran.",
            "",
            "## Reading",
            "",
            *verdict(table),
            "",
            "## Points",
            "",
            *point_lines(table),
            "",
            "Files: `points.csv` (this table), `figures.csv` (every dated figure at every point, as the "
            "fit reads it), `figures_by_kind.csv` (each read by its kinds), `deals.csv` (partnerships and "
            f"acquisitions before {BEFORE}, by point, cluster and seed), `exit_timing.csv`, `manifest.json`.",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    """Run every point, cluster and seed and write the folder."""
    parser = history.runs_parser(
        __doc__.splitlines()[0], history.ROOT / "results" / "history" / "early_partners_scan"
    )
    args = history.parse_runs_args(parser, argv)
    started = time.monotonic()
    seeds = list(range(1, args.seeds + 1))
    every, by_kind, timing, deals, digests = run_points(seeds, args.until, args.workers)
    table = summary(every, by_kind, timing, deals)
    run = {
        "seeds": seeds,
        "until": args.until,
        "points": {label: {"pharma_in_market_by": latest} for label, _, latest in POINTS},
        "scenarios": digests,
        "seconds": round(time.monotonic() - started, 1),
    }
    tables = {
        "points": table,
        "figures": every,
        "figures_by_kind": by_kind.drop(columns=["definition", "source"]),
        "deals": deals,
        "exit_timing": timing,
    }
    command = ["python", "experiments/early_partners_scan.py", *(argv or sys.argv[1:])]
    scan.write_scan(args.out, command, run, tables, readme)
    print(f"wrote {args.out}/ in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
