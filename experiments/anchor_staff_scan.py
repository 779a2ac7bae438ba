"""Anchor staff: which dated figures lean on the anchors' scripted staff counts?

The scenario files script each anchor's documented staff in its region (Genentech 1978, 1985 and
1997; Biogen 1999, 2010, 2015 and 2016; Genzyme 2010 and 2011; each with its source in the file,
docs/EVIDENCE.md section 8), and the model follows them (mechanisms/history.py: on a count's date
the anchor employs that staff, between two counts the staff of a constant rate of growth). They are
history, inputs of the model, not outcomes, and they stay in the files whatever this scan shows (the
history issue: "The anchors' own milestones are history, not outcomes"). But a figure that counts
an anchor's scripted staff is then partly an input measured back (a referee's review): this scan
says which.

Points (nothing refitted, the seeds of results/history, so the default row reproduces it):
``default``, the scenario files; ``model's staff``, every documented headcount removed from the
three US files, so that each anchor's staff are the model's throughout (its listing, its sale and
everything else as in the files).

Stated before running: a dated figure whose median model/data moves by more than 10% between the
two points (in either direction) leans on the scripted staff, and the README of results/history
should say so where it reports it; the in-sample and out-of-sample figures met and the US end points
are reported at both points, as a reading, not a rule (no point replaces the default here).

Usage:
    python experiments/anchor_staff_scan.py [--seeds 8] [--workers 2] [--until YEAR]
        [--out results/history/anchor_staff_scan]
"""

from __future__ import annotations

import sys
import time
from typing import Any

import pandas as pd
from siblings import sibling

from ecosim.scenario import Scenario

scan = sibling("exit_timing_scan")
history = scan.history

MOVED = 0.10
"""A figure whose median model/data moves by more than this share between the points leans on the
scripted staff (the rule stated in the module docstring)."""
POINTS: tuple[tuple[str, str, bool], ...] = (
    ("default", "the scenario files: the anchors employ their documented staff counts", False),
    ("model's staff", "every documented headcount removed: the anchors' staff are the model's", True),
)
"""The scan's points: a label, what it changes, and whether the documented headcounts go."""


def unstaffed(scenario: Scenario, remove: bool) -> Scenario:
    """``scenario`` without its documented headcounts (``remove``), else unchanged (same digest)."""
    if not remove:
        return scenario
    return scenario.model_copy(update={"events": [e for e in scenario.events if e.kind != "headcount"]})


def run_points(
    seeds: list[int], until: int | None, workers: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, dict[str, str]]]:
    """Every point, cluster and seed (a failed run stops the scan in one line): the dated figures
    read as the fit reads them, each seed's exit timing, each anchor's life, and each point's
    scenario digests.
    """
    points = [
        (label, {c: unstaffed(history.scenario_of(c), remove) for c in history.CLUSTERS})
        for label, _, remove in POINTS
    ]
    runs, digests = scan.run_scenario_points(points, seeds, until, workers)
    figures, timing, anchors = [], [], []
    for label, cluster, scenario, done in runs:
        rows, times = scan.point_rows(label, cluster, scenario, done, seeds, until)
        figures += rows
        timing += times
        lives = history.anchor_paths(cluster, scenario, seeds, done)
        anchors.append(lives.assign(point=label) if len(lives) else lives)
    table = pd.DataFrame(figures) if figures else pd.DataFrame(columns=scan.FIGURE_COLUMNS)
    return table, pd.DataFrame(timing), pd.concat(anchors, ignore_index=True), digests


def moved(figures: pd.DataFrame) -> pd.DataFrame:
    """Each dated figure's model/data at both points and its change (model's staff / default - 1),
    marked ``leans`` when the change is larger than MOVED."""
    keys = ["cluster", "metric", "date", "sample"]
    default = figures[figures["point"] == "default"].set_index(keys)["ratio"]
    free = figures[figures["point"] == POINTS[1][0]].set_index(keys)["ratio"]
    both = pd.DataFrame({"default": default, "model_staff": free}).dropna().reset_index()
    both["change"] = both["model_staff"] / both["default"] - 1.0
    both["leans"] = both["change"].abs() > MOVED
    return both.sort_values("change", key=lambda c: -c.abs()).reset_index(drop=True)


def peaks(anchors: pd.DataFrame) -> pd.DataFrame:
    """Each anchor's median peak staff and sale year over seeds, by point."""
    if anchors.empty:
        return pd.DataFrame(columns=["point", "cluster", "anchor", "peak_headcount", "acquired"])
    return (
        anchors.groupby(["point", "cluster", "anchor"], sort=False)[["peak_headcount", "acquired"]]
        .median()
        .reset_index()
    )


def summary(figures: pd.DataFrame, timing: pd.DataFrame, changes: pd.DataFrame) -> pd.DataFrame:
    """One row per point: exit timing and the figures met (the scans' summary), and the figures
    that lean on the scripted staff."""
    points = tuple((label, what, {}) for label, what, _ in POINTS)
    table = scan.summary(points, figures, scan.exits_by_point(points, timing))
    table["figures_leaning"] = [0, int(changes["leans"].sum())]
    return table


def readme(table: pd.DataFrame, manifest: dict[str, Any], changes: pd.DataFrame, lives: pd.DataFrame) -> str:
    """The folder's README: the question, the rule's reading and the tables."""
    leaning = changes[changes["leans"]]
    lines = [
        "# Anchor staff: which dated figures lean on the anchors' scripted staff counts?",
        "",
        f"Produced by `{manifest['command']}` at git commit `{manifest['git_commit']}`: "
        f"{len(manifest['seeds'])} seeds per cluster and point (the seeds of results/history, so the "
        "default row reproduces it), the package's fitted constants, nothing refitted. `model's staff` "
        "removes every documented headcount from the three US scenario files (the anchors' listings "
        "and sales stay). Model/data is the median over seeds; figures are read as the fit reads them, "
        f"within a factor of {history.FACTOR} (end points within 25%).",
        "",
        "What a reading would mean was written in experiments/anchor_staff_scan.py before it ran; the "
        "counts stay in the scenario files whatever it shows (they are history).",
        "",
        "## Reading",
        "",
        f"{len(leaning)} of {len(changes)} dated figures move by more than {MOVED:.0%} when the anchors' "
        "staff are the model's: they lean on the scripted staff counts" + (":" if len(leaning) else "."),
        "",
        *[
            f"- {r.cluster} {r.metric} {r.date} ({r.sample}): x{r.default:.2f} with the counts, "
            f"x{r.model_staff:.2f} without ({r.change:+.0%})"
            for r in leaning.itertuples()
        ],
        "",
        "## Points",
        "",
        "| point | changes | in-sample | out-of-sample | US end points | IPO years (Boston, Bay Area, "
        "San Diego) | acquisition years | timing met |",
        "| --- | --- | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for r in table.to_dict("records"):
        lines.append(f"| {r['point']} | {r['changes']} | {scan.met_cells(r)} | {scan.timing_cells(r)} |")
    lines += [
        "",
        "## The anchors (median over seeds)",
        "",
        "| point | cluster | anchor | peak staff | sold (year) |",
        "| --- | --- | --- | ---: | ---: |",
        *[
            f"| {r.point} | {r.cluster} | {r.anchor} | {scan.fmt(r.peak_headcount, 0)} "
            f"| {history.fmt_year(r.acquired)} |"
            for r in lives.itertuples()
        ],
        "",
        "Files: `points.csv` (the table of points), `changes.csv` (every dated figure at both points), "
        "`figures.csv`, `anchors.csv` (each anchor's life by point and seed), `exit_timing.csv`, "
        "`manifest.json`.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run both points on every cluster and seed and write the folder."""
    parser = history.runs_parser(
        __doc__.splitlines()[0], history.ROOT / "results" / "history" / "anchor_staff_scan"
    )
    args = history.parse_runs_args(parser, argv)
    started = time.monotonic()
    seeds = list(range(1, args.seeds + 1))
    figures, timing, anchors, digests = run_points(seeds, args.until, args.workers)
    changes = moved(figures)
    lives = peaks(anchors)
    table = summary(figures, timing, changes)
    run = {
        "seeds": seeds,
        "until": args.until,
        "points": {label: {"headcounts_removed": remove} for label, _, remove in POINTS},
        "scenarios": digests,
        "seconds": round(time.monotonic() - started, 1),
    }
    tables = {
        "points": table,
        "changes": changes,
        "figures": figures,
        "anchors": anchors,
        "exit_timing": timing,
    }
    command = ["python", "experiments/anchor_staff_scan.py", *(argv or sys.argv[1:])]
    scan.write_scan(args.out, command, run, tables, lambda t, m: readme(t, m, changes, lives))
    print(f"wrote {args.out}/ in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
