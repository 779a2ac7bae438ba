"""Hybritech's staff at its sale: would a documented count mend its alumni miss?

results/history misses both out-of-sample counts of Hybritech's alumni firms in San Diego: "more
than 40" founded in the 15 years to 2002 (Brookings, 2002) and "nearly 60" tracing their roots
to Hybritech (Los Angeles Times, September 2003), read as the firms of Hybritech's lineage
(x0.28 and x0.22 at the package default). Its staff are the model's throughout (no count near its
1986 sale was found: docs/EVIDENCE.md section 8), and in the model they peak at a median of 260
(22-491 over seeds). Genentech's lineage leans on its scripted staff (anchor_staff_scan: the Bay
Area's lineage count x1.54 with Genentech's counts, x0.34 without): are Hybritech's alumni few
because the model's Hybritech is small?

Points (San Diego only, nothing refitted, the seeds of results/history so the default row
reproduces it): ``default``, the scenario file (Hybritech's staff the model's); ``N staff`` for N
in 500, 750 and 1,000: one scripted headcount of N at Hybritech in February 1986, the month before
its scripted sale to Lilly (mechanisms/history.py: on the date the anchor employs that staff,
people moving in for the jobs the pool cannot fill; before it, its staff are the model's).
1,000 is the top of the range: Hybritech had "about 1,000" employees company-wide in October
1993, seven years into Lilly's ownership (Los Angeles Times, 12 October 1993); nothing says it
was larger at its sale. These sizes are probes, not sources: none enters the scenario file.

Stated before running (and committed before the first run):
- the size explains the miss if at some point both lineage figures are within a factor of 1.5
  (median model/data at least 1/1.5);
- part of it if at 1,000 staff both ratios rise by at least a quarter over the default's (x1.25)
  but not both reach 1/1.5;
- not the size if at 1,000 staff neither ratio rises by a quarter;
- otherwise (one rises, the other not) the scan cannot tell.
San Diego's other dated figures are reported at every point as a reading (how many are met in
sample and out of sample), not as part of the rule.

Usage:
    python experiments/hybritech_staff_scan.py [--seeds 8] [--workers 2] [--until YEAR]
        [--out results/history/hybritech_staff_scan]
"""

from __future__ import annotations

import sys
import time
from typing import Any

import pandas as pd
from siblings import sibling

from ecosim.scenario import Scenario, ScriptedEvent

scan = sibling("exit_timing_scan")
history = scan.history

CLUSTER = "san_diego"
ANCHOR = "Hybritech"
SALE_EVE = (1986, 2)
"""The scripted count's date: the month before Hybritech's scripted sale (March 1986)."""
SIZES = (500, 750, 1000)
"""The scripted staff of the probes (1,000: Hybritech's company-wide staff under Lilly in 1993)."""
RISE = 1.25
"""A ratio that rises by this factor over the default's has moved (the rule in the docstring)."""


def staffed(scenario: Scenario, size: int | None) -> Scenario:
    """``scenario`` with Hybritech employing ``size`` on SALE_EVE (``None``: unchanged, same digest)."""
    if size is None:
        return scenario
    year, month = SALE_EVE
    count = ScriptedEvent(kind="headcount", year=year, month=month, target=ANCHOR, headcount=size)
    return scenario.model_copy(update={"events": [*scenario.events, count]})


def points() -> list[tuple[str, int | None]]:
    """The scan's points: a label and Hybritech's scripted staff (None: the model's)."""
    return [("default", None), *((f"{size} staff", size) for size in SIZES)]


def run_points(
    seeds: list[int], until: int | None, workers: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, dict[str, str]]]:
    """Every point and seed (a failed run stops the scan in one line): San Diego's dated figures,
    Hybritech's life and its lineage's structure per seed, and each point's scenario digest."""
    base = history.scenario_of(CLUSTER)
    planned = [(label, {CLUSTER: staffed(base, size)}) for label, size in points()]
    runs, digests = scan.run_scenario_points(planned, seeds, until, workers)
    end = until if until is not None else base.end_year
    figures, lives, lineages = [], [], []
    for label, cluster, scenario, done in runs:
        figures += [{"point": label, **row} for row in history.compare(cluster, scenario, done, end)]
        life = history.anchor_paths(cluster, scenario, seeds, done)
        lives.append(life.assign(point=label) if len(life) else life)
        structure = history.lineage_structure(cluster, scenario, seeds, done, end)
        lineages.append(structure.assign(point=label) if len(structure) else structure)
    return (
        pd.DataFrame(figures),
        pd.concat(lives, ignore_index=True),
        pd.concat(lineages, ignore_index=True),
        digests,
    )


def lineage_ratios(figures: pd.DataFrame) -> pd.DataFrame:
    """The lineage figures' median model/data by point: one row per point, a column per date."""
    lineage = figures[figures["metric"] == "lineage_firms"]
    table = lineage.pivot_table(index="point", columns="date", values="ratio", aggfunc="first")
    return table.reindex([label for label, _ in points()])


def reading(ratios: pd.DataFrame) -> str:
    """The rule stated in the module docstring, applied to the lineage ratios by point."""
    reach = 1.0 / history.FACTOR
    if (ratios.drop(index="default") >= reach).all(axis=1).any():  # a probe, not the default
        return "the size"
    top = f"{SIZES[-1]} staff"
    rose = ratios.loc[top] >= RISE * ratios.loc["default"]
    if rose.all():
        return "part of it"
    if not rose.any():
        return "not the size"
    return "cannot tell"


def met(figures: pd.DataFrame) -> pd.DataFrame:
    """San Diego's dated figures within a factor of 1.5 by point and sample (as results/history
    counts them)."""
    tested = figures[figures["sample"] != "context"]
    within = tested.groupby(["point", "sample"])["within_factor_1_5"]
    counts = within.agg(lambda s: f"{int(s.sum())}/{len(s)}")
    return counts.unstack("sample").reindex([label for label, _ in points()])


def generations(lineages: pd.DataFrame) -> pd.DataFrame:
    """Hybritech's lineage by generation at the first lineage figure's date, median over seeds."""
    mine = lineages[lineages["scope"] == "lineage"]
    if mine.empty:
        return pd.DataFrame()
    per_seed = mine.groupby(["point", "seed", "generation"])["firms"].sum().unstack("generation").fillna(0)
    return per_seed.groupby("point").median().reindex([label for label, _ in points()])


def readme(
    manifest: dict[str, Any],
    ratios: pd.DataFrame,
    verdict: str,
    lives: pd.DataFrame,
    shares: pd.DataFrame,
    gens: pd.DataFrame,
    figures: pd.DataFrame,
) -> str:
    """The folder's README: the question, the rule's reading and the tables."""
    dates = list(ratios.columns)
    data = figures[figures["metric"] == "lineage_firms"].drop_duplicates("date").set_index("date")["data"]
    peak = lives.groupby("point")["peak_headcount"].median() if len(lives) else pd.Series(dtype=float)
    lines = [
        "# Hybritech's staff at its sale: would a documented count mend its alumni miss?",
        "",
        f"Produced by `{manifest['command']}` at git commit `{manifest['git_commit']}`: San Diego, "
        f"{len(manifest['seeds'])} seeds per point (the seeds of results/history, so the default row "
        "reproduces it), the package's fitted constants, nothing refitted. Each probe scripts one "
        f"headcount at Hybritech in {SALE_EVE[1]:02d}/{SALE_EVE[0]}, the month before its scripted "
        "sale to Lilly; the sizes are probes, not sources (the top, 1,000, is its company-wide staff "
        "under Lilly in October 1993, Los Angeles Times, 12 October 1993), and none enters the "
        "scenario file. Model/data is the median over seeds.",
        "",
        "The rule was written and committed in experiments/hybritech_staff_scan.py before the run: "
        "the size explains the alumni miss if some point brings both lineage figures within a factor "
        f"of {history.FACTOR}; part of it if at {SIZES[-1]:,} staff both ratios rise by at least "
        f"x{RISE} over the default's without both reaching it; not the size if neither rises by "
        "x1.25; otherwise the scan cannot tell. Seen before it: results/history (the default's "
        "ratios) and results/history/anchor_staff_scan (Genentech's lineage leans on its scripted "
        "staff); after the rule was committed, a one-seed smoke run to 2004 checked the script.",
        "",
        "## Reading",
        "",
        f"**{verdict}.** "
        + "; ".join(
            f"{label}: " + ", ".join(f"x{ratios.loc[label, d]:.2f} of {data[d]:,.0f} ({d})" for d in dates)
            for label, _ in points()
        )
        + ".",
        "",
        "## Points",
        "",
        "| point | Hybritech's peak staff (median) | "
        + " | ".join(f"lineage {d}, model/data" for d in dates)
        + " | in sample met | out of sample met |",
        "| --- | ---: | " + " | ".join("---:" for _ in dates) + " | ---: | ---: |",
    ]
    for label, _ in points():
        cells = " | ".join(f"{ratios.loc[label, d]:.2f}" for d in dates)
        lines.append(
            f"| {label} | {scan.fmt(peak.get(label), 0)} | {cells} | "
            f"{shares.loc[label].get('in-sample', '-')} | {shares.loc[label].get('out-of-sample', '-')} |"
        )
    if len(gens):
        first = figures[figures["metric"] == "lineage_firms"]["date"].min()
        lines += [
            "",
            f"## Hybritech's lineage by generation, founded by {first} (median over seeds)",
            "",
            "| point | " + " | ".join(str(g) for g in gens.columns) + " |",
            "| --- | " + " | ".join("---:" for _ in gens.columns) + " |",
            *[f"| {p} | " + " | ".join(f"{v:.1f}" for v in row) + " |" for p, row in gens.iterrows()],
        ]
    lines += [
        "",
        "Files: `points.csv` (the lineage ratios by point), `figures.csv` (every dated figure of San "
        "Diego by point), `anchors.csv` (Hybritech's life by point and seed), `lineage_structure.csv`, "
        "`manifest.json`.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run every point on San Diego's seeds and write the folder."""
    parser = history.runs_parser(
        __doc__.splitlines()[0], history.ROOT / "results" / "history" / "hybritech_staff_scan"
    )
    args = history.parse_runs_args(parser, argv)
    started = time.monotonic()
    seeds = list(range(1, args.seeds + 1))
    figures, lives, lineages, digests = run_points(seeds, args.until, args.workers)
    ratios = lineage_ratios(figures)
    verdict = reading(ratios)
    run = {
        "seeds": seeds,
        "until": args.until,
        "points": {label: {"hybritech_staff_1986_02": size} for label, size in points()},
        "scenarios": digests,
        "reading": verdict,
        "seconds": round(time.monotonic() - started, 1),
    }
    tables = {
        "points": ratios.reset_index(),
        "figures": figures,
        "anchors": lives,
        "lineage_structure": lineages,
    }
    command = ["python", "experiments/hybritech_staff_scan.py", *(argv or sys.argv[1:])]
    shares, gens = met(figures), generations(lineages)
    scan.write_scan(
        args.out, command, run, tables, lambda _t, m: readme(m, ratios, verdict, lives, shares, gens, figures)
    )
    print(f"{verdict}; wrote {args.out}/ in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
