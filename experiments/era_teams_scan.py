"""Teams by era: would larger early teams give the US clusters their missing early jobs?

The US clusters' jobs dated before 2003 fall short (results/history: Boston's of 1993 x0.68 and
2002 x0.51, the Bay Area's of 1997 x0.46 and 2002 x0.41), and their drug firms are small rather
than few (early_jobs, narrow_counts). docs/EVIDENCE.md section 6 proposes a reason: the model's
teams by stage (``target_headcount``, 6, 18, 35 and 60) are today's, while early biotechs did in
house what later ones buy from contract research organizations (pharma's outside R&D grew from USD
0.8 bn in 1991 to 13 bn in 2011, Nature 512, 106, 2014; US companies' extramural R&D from under 4%
to more than 10% of their own, NSF InfoBrief 14-314), so "a round paid for a larger team".
``Constants.early_team_multiple`` makes a stage's team that many times today's up to 1991, fading
linearly to today's by 2011 (``early_team_years``, the sources' window; startup.era_team_factor):
the team a company hires toward and the team its research needs (milestone_odds). How much larger
early teams were is not sourced, so this scan probes multiples of 1.5, 2 and 3 against the default
(1), nothing refitted, on the three US clusters with the seeds of results/history.

Stated before running (the rule of experiments/listed_teams.py, whose question this shares):
- the mechanism is supported if at some multiple above 1 the dated jobs before 2003 move closer to
  the data in all three clusters (the median over a cluster's figures of model/data nearer 1 in log
  terms) while no fewer firm counts (every dated firms figure, in and out of sample) stay within a
  factor of 1.5;
- otherwise it is not: larger early teams alone do not give the clusters their early jobs.
Seen before this rule was written: a hand-made probe of the same change (multiples 1.5 and 2,
not committed) lowered the Bay Area's and San Diego's early jobs and firm counts, read by the
history's comparison; the rule is the one listed_teams stated for its own probe, not one chosen
to fit that result.

Usage:
    python experiments/era_teams_scan.py [--seeds 8] [--workers 2] [--until YEAR]
        [--out results/history/era_teams_scan]
"""

from __future__ import annotations

import dataclasses
import math
import statistics
import time
from collections.abc import Callable
from typing import Any

import pandas as pd
from siblings import sibling

from ecosim import calibrate, metric_registry

scan = sibling("exit_timing_scan")
history = scan.history

MULTIPLES = (1.5, 2.0, 3.0)
"""The probed early teams, as multiples of today's."""
POINTS: scan.Points = (
    ("default", "the package default: today's teams in every era", {}),
    *(
        (
            f"teams x{m:g}",
            f"teams of 1991 and before {m:g} times today's, today's by 2011",
            {"early_team_multiple": m},
        )
        for m in MULTIPLES
    ),
)
"""The scan's points: a label, what it changes, and the constants it sets (all else default)."""
EARLY = 2003.0
"""Jobs figures dated before this are the early ones the rule reads."""
FIRMS = ("firms_census", "firms_active")
"""The dated firm counts the rule keeps within a factor of 1.5."""


def labels_of(points: scan.Points) -> list[str]:
    """The points' labels, in order."""
    return [label for label, _, _ in points]


def early_jobs(figures: pd.DataFrame, points: scan.Points = POINTS) -> pd.DataFrame:
    """The median model/data of each cluster's jobs figures dated before EARLY, by point (a row
    per point of ``points``, a column per cluster)."""
    jobs = figures[
        figures["metric"].isin(calibrate.EMPLOYMENT_METRICS)
        & (figures["sample"] != "context")
        & (figures["date"].map(calibrate.decimal_year) < EARLY)
    ]
    table = jobs.groupby(["point", "cluster"])["ratio"].median().unstack("cluster")
    return table.reindex(labels_of(points))


def firms_within(figures: pd.DataFrame, points: scan.Points = POINTS) -> pd.Series:
    """How many dated firm counts (in and out of sample) are within a factor of 1.5, by point."""
    firms = figures[figures["metric"].isin(FIRMS) & (figures["sample"] != "context")]
    return firms.groupby("point")["within_factor_1_5"].sum().astype(int).reindex(labels_of(points))


def supported(jobs: pd.DataFrame, firms: pd.Series) -> list[str]:
    """The points above the default at which the rule holds (module docstring)."""

    def gap(ratio: float) -> float:
        return abs(math.log(ratio))

    default = jobs.loc["default"]
    return [
        label
        for label in jobs.index[1:]
        if all(gap(jobs.loc[label, c]) < gap(default[c]) for c in jobs.columns)
        and firms[label] >= firms["default"]
    ]


def with_rule_columns(
    table: pd.DataFrame, figures: pd.DataFrame, points: scan.Points = POINTS
) -> pd.DataFrame:
    """The scans' table of points with the rule's numbers: each cluster's early jobs and the firm
    counts within x1.5."""
    jobs, firms = early_jobs(figures, points), firms_within(figures, points)
    extra = jobs.add_prefix("early_jobs_").assign(firm_counts_within=firms)
    return table.merge(extra, left_on="point", right_index=True, how="left")


def kinds_rows(label: str, cluster: str, done: list[Any], until: int | None) -> list[dict[str, Any]]:
    """Post hoc, outside the rule: the cluster's first jobs figure in sample (before EARLY) read
    as every kind and by the drug industry alone (its ``_biopharma`` twin), the median over seeds
    of each and of the rest (every kind less the drug industry, seed by seed)."""
    scenario = history.scenario_of(cluster)
    end = until if until is not None else scenario.end_year
    early = [
        t
        for t in history.targets_of(cluster, end)
        if t.metric in calibrate.EMPLOYMENT_METRICS and t.role == "fit" and t.year < EARLY
    ]
    if not early:
        return []
    target = min(early, key=lambda t: t.year)
    drug = dataclasses.replace(target, metric=metric_registry.biopharma_twin(target.metric), kinds="")
    every = [history.model_value(target, o, scenario) for o in done]
    drugs = [history.model_value(drug, o, scenario) for o in done]
    return [
        {
            "point": label,
            "cluster": cluster,
            "figure": target.label,
            "every_kind": statistics.median(every),
            "drug_industry": statistics.median(drugs),
            "the_rest": statistics.median(e - d for e, d in zip(every, drugs, strict=True)),
        }
    ]


def kinds_lines(kinds: pd.DataFrame) -> list[str]:
    """The README's post hoc table of kinds_rows."""
    if kinds.empty:
        return []
    return [
        "## Read after the run (post hoc, outside the rule): who holds the early jobs",
        "",
        "Each cluster's first jobs figure in sample, read as every kind of firm and by the drug "
        "industry alone (developers, pharma sites and branches); the rest are device and service "
        "firms. Medians over seeds.",
        "",
        "| cluster | figure | point | every kind | drug industry | the rest |",
        "| --- | --- | --- | ---: | ---: | ---: |",
        *(
            f"| {r.cluster} | {r.figure} | {r.point} | {r.every_kind:,.0f} | {r.drug_industry:,.0f} "
            f"| {r.the_rest:,.0f} |"
            for r in kinds.itertuples()
        ),
        "",
    ]


def readme(table: pd.DataFrame, manifest: dict[str, Any], figures: pd.DataFrame, kinds: pd.DataFrame) -> str:
    """The folder's README: the question, the stated rule, the reading and the tables."""
    return scan_readme(
        "Teams by era: would larger early teams give the US clusters their missing early jobs?",
        "era_teams_scan",
        "(the rule of experiments/listed_teams.py); a hand-made probe of the same change, not committed, "
        "was seen before the rule was written (the script's docstring says what it showed)",
        ("larger early teams", "a source for the size of early teams"),
        (table, manifest, figures, kinds),
    )


def scan_readme(
    title: str,
    name: str,
    seen: str,
    change: tuple[str, str],
    made: tuple[pd.DataFrame, dict[str, Any], pd.DataFrame, pd.DataFrame],
    points: scan.Points = POINTS,
) -> str:
    """The README of a scan of the early jobs (this one's, early_money_scan's): its ``title``, the
    rule stated in experiments/NAME.py and what was ``seen`` before it, the rule's reading of what
    ``change`` probes (what it is, and what adopting it needs) and the tables of ``made`` (the
    table of points, the manifest, the dated figures and, post hoc, kinds_rows).
    """
    table, manifest, figures, kinds = made
    what, adopt = change
    holds = supported(early_jobs(figures, points), firms_within(figures, points))
    reading = (
        f"**Supported** at {', '.join(holds)}: the early jobs move closer to the data in all three "
        f"clusters with no fewer firm counts within a factor of {history.FACTOR}. A probe on the "
        f"constants as fitted; adopting it means {adopt}, and refitting."
        if holds
        else "**Not supported**: at no multiple do the early jobs move closer to the data in all three "
        f"clusters with no fewer firm counts within a factor of {history.FACTOR}: {what} alone do not "
        "give the clusters their early jobs."
    )
    lines = [
        f"# {title}",
        "",
        scan.method(manifest),
        "",
        f"What the reading would mean was written in experiments/{name}.py before it ran {seen}.",
        "",
        "## Reading",
        "",
        reading,
        "",
        *rule_lines(figures, points),
        *kinds_lines(kinds),
        *scan.point_table(table),
    ]
    return "\n".join(lines)


def rule_lines(figures: pd.DataFrame, points: scan.Points = POINTS) -> list[str]:
    """The README's table of what the rule reads: each cluster's early jobs and the firm counts
    within x1.5, by point."""
    jobs, firms = early_jobs(figures, points), firms_within(figures, points)
    counted = figures[figures["metric"].isin(FIRMS) & (figures["sample"] != "context")]
    total = len(counted[counted["point"] == "default"])
    return [
        f"## Jobs dated before {EARLY:.0f} (median model/data) and firm counts within x{history.FACTOR}",
        "",
        "| point | " + " | ".join(jobs.columns) + f" | firm counts within (of {total}) |",
        "| --- | " + " | ".join("---:" for _ in jobs.columns) + " | ---: |",
        *(
            f"| {label} | "
            + " | ".join(f"{jobs.loc[label, c]:.2f}" for c in jobs.columns)
            + f" | {firms[label]} |"
            for label in jobs.index
        ),
        "",
    ]


def scan_main(
    name: str, doc: str | None, points: scan.Points, readme_of: Callable[..., str], argv: list[str] | None
) -> int:
    """A scan of the early jobs' command (this one's, experiments/early_money_scan.py's): run
    ``points`` on the three US clusters and write results/history/NAME (``readme_of(points table,
    manifest, figures, kinds)``)."""
    parser = history.runs_parser((doc or name).splitlines()[0], scan.ROOT / "results" / "history" / name)
    args = history.parse_runs_args(parser, argv)
    started = time.monotonic()
    seeds = list(range(1, args.seeds + 1))
    scenarios = {cluster: history.scenario_of(cluster) for cluster in history.CLUSTERS}
    rows, times, kinds_found = [], [], []
    for label, cluster, done in scan.run_points(points, scenarios, seeds, args.until, args.workers):
        found, timed = scan.point_rows(label, cluster, scenarios[cluster], done, seeds, args.until)
        rows += found
        times += timed
        kinds_found += kinds_rows(label, cluster, done, args.until)
    figures = pd.DataFrame(rows) if rows else pd.DataFrame(columns=scan.FIGURE_COLUMNS)
    timing, kinds = pd.DataFrame(times), pd.DataFrame(kinds_found)
    summary = scan.summary(points, figures, scan.exits_by_point(points, timing))
    table = with_rule_columns(summary, figures, points)
    tables = {"points": table, "figures": figures, "exit_timing": timing, "kinds": kinds}
    scan.finish_scan(
        name, argv, args, points, seeds, started, tables, lambda t, m: readme_of(t, m, figures, kinds)
    )
    verdict = supported(early_jobs(figures, points), firms_within(figures, points))
    print(f"supported at {verdict or 'no point'}; wrote {args.out}/")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run every point, cluster and seed and write the folder."""
    return scan_main("era_teams_scan", __doc__, POINTS, readme, argv)


if __name__ == "__main__":
    raise SystemExit(main())
