"""Money and people together: do larger early rounds give the early jobs when the people come too?

Each lever alone fell short of the US clusters' early jobs (the jobs figures dated before 2003):
more graduates (labour_supply_scan) and larger rounds before 1999 (early_money_scan) each lifted
some clusters and not others. early_money_scan's post hoc table suggested why: the money grows the
drug industry, but in San Diego (and in Boston at three times) the device and other firms lose
more people than the drug developers gain, as if the early jobs were bound by people. If so, the
money should give the early jobs where the people come with it. This scan crosses the two levers
on the three US clusters, nothing refitted, the seeds of results/history: every institution's
graduates a year (``talent_per_year``, labour_supply_scan's scaling) and ``early_round_multiple``
(the rounds before 1999), each at 2 alone, both at 2 and both at 3.

Stated before running (the rule of listed_teams, era_teams_scan and early_money_scan, read on
the points that move both levers):
- **together**: a point moving both levers brings the early jobs closer to the data in all three
  clusters (the median over a cluster's figures of model/data nearer 1 in log terms) with no
  fewer firm counts within a factor of 1.5, while neither lever alone at 2 does: the early jobs
  need money and people together;
- **one alone**: a single lever at 2 meets that rule (then whether the pair does too is reported);
- **not supported**: no point meets it.
Seen before this rule was written: early_money_scan's and labour_supply_scan's results (each
lever alone, the second at 1.5, 2 and 3 times, by its own rule), not the crossed points.

Usage:
    python experiments/money_and_people_scan.py [--seeds 8] [--workers 2] [--until YEAR]
        [--out results/history/money_and_people_scan]
"""

from __future__ import annotations

import sys
import time
from typing import Any

import pandas as pd
from siblings import sibling

ets = sibling("era_teams_scan")
supply = sibling("labour_supply_scan")
scan = ets.scan
history = scan.history

MONEY = "early_round_multiple"
POINTS: tuple[tuple[str, str, float, dict[str, float]], ...] = (
    ("default", "the package default", 1.0, {}),
    ("rounds x2", "rounds before 1999 twice the index's", 1.0, {MONEY: 2.0}),
    ("graduates x2", "every institution's graduates a year twice", 2.0, {}),
    ("both x2", "rounds before 1999 and graduates twice", 2.0, {MONEY: 2.0}),
    ("both x3", "rounds before 1999 and graduates three times", 3.0, {MONEY: 3.0}),
)
"""The scan's points: a label, what it changes, the factor on every ``talent_per_year`` and the
constants it sets (all else default)."""
SINGLES = ("rounds x2", "graduates x2")
BOTH = ("both x2", "both x3")


def as_points() -> scan.Points:
    """The points as the scans' shared helpers read them (label, what, constants)."""
    return tuple((label, what, constants) for label, what, _, constants in POINTS)


def reading(jobs: pd.DataFrame, firms: pd.Series) -> tuple[str, list[str]]:
    """The rule stated in the module docstring: the reading and the points that meet ets's rule."""
    met = ets.supported(jobs, firms)
    singles = [p for p in met if p in SINGLES]
    if singles:
        return "one alone", met
    if any(p in BOTH for p in met):
        return "together", met
    return "not supported", met


def run(
    seeds: list[int], until: int | None, workers: int
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Every point, cluster and seed: the dated figures, the post hoc table of who holds the early
    jobs (ets.kinds_rows), and each point's scenario digests."""
    planned, digests = supply.planned_runs(POINTS, seeds, until)
    outcomes = scan.run_planned(planned, workers)
    figures, kinds = [], []
    for start in range(0, len(planned), len(seeds)):
        label, cluster, scenario, _ = planned[start]
        done = outcomes[start : start + len(seeds)]
        end = until if until is not None else scenario.end_year
        figures += [{"point": label, **row} for row in history.compare(cluster, scenario, done, end)]
        kinds += ets.kinds_rows(label, cluster, done, until)
    return pd.DataFrame(figures), pd.DataFrame(kinds), digests


def readme(manifest: dict[str, Any], figures: pd.DataFrame, kinds: pd.DataFrame) -> str:
    """The folder's README: the question, the stated rule, the reading and the tables."""
    points = as_points()
    verdict, met = reading(ets.early_jobs(figures, points), ets.firms_within(figures, points))
    said = {
        "together": "the early jobs need money and people together",
        "one alone": "a single lever suffices",
        "not supported": "neither lever, alone or with the other, gives all three clusters their early jobs",
    }[verdict]
    lines = [
        "# Money and people together: do larger early rounds give the early jobs when the people come too?",
        "",
        f"Produced by `{manifest['command']}` at git commit `{manifest['git_commit']}`: "
        f"{len(manifest['seeds'])} seeds per cluster and point (the seeds of results/history), the "
        "package's fitted constants, nothing refitted; a point scales every institution's graduates a "
        "year in the three US scenarios and sets `early_round_multiple` (the rounds before 1999).",
        "",
        "What the reading would mean was written in experiments/money_and_people_scan.py before it ran "
        "(each lever alone was seen before: early_money_scan, labour_supply_scan); a one-seed smoke run "
        "to 1998 checked the script after the rule was committed.",
        "",
        "## Reading",
        "",
        f"**{verdict}**: {said}" + (f" (points meeting the rule: {', '.join(met)})." if met else "."),
        "",
        *ets.rule_lines(figures, points),
        *other_figures(figures),
        *ets.kinds_lines(kinds),
        "Files: `points.csv` (the rule's numbers by point), `figures.csv` (every dated figure at every "
        "point), `kinds.csv`, `manifest.json`.",
        "",
    ]
    return "\n".join(lines)


def other_figures(figures: pd.DataFrame) -> list[str]:
    """Post hoc, outside the rule: every point's dated figures within x1.5 in and out of sample and
    the US end points within 25% (as the other scans count them)."""
    lines = [
        "## Read after the run (post hoc, outside the rule): the other figures",
        "",
        "| point | in sample within x1.5 | out of sample within x1.5 | US end points within 25% |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, _, _, _ in POINTS:
        met = scan.met_by_sample(figures[figures["point"] == label])
        lines.append(
            f"| {label} | {met['in-sample_within_x1.5']}/{met['in-sample_figures']} "
            f"| {met['out-of-sample_within_x1.5']}/{met['out-of-sample_figures']} "
            f"| {scan.end_point_hits(figures, label)}/{scan.US_END_POINTS} |"
        )
    return [*lines, ""]


def main(argv: list[str] | None = None) -> int:
    """Run every point, cluster and seed and write the folder."""
    parser = history.runs_parser(
        __doc__.splitlines()[0], scan.ROOT / "results" / "history" / "money_and_people_scan"
    )
    args = history.parse_runs_args(parser, argv)
    started = time.monotonic()
    seeds = list(range(1, args.seeds + 1))
    figures, kinds, digests = run(seeds, args.until, args.workers)
    record = {
        "seeds": seeds,
        "until": args.until,
        "points": {label: {"talent_per_year_factor": f, **c} for label, _, f, c in POINTS},
        "scenarios": digests,
        "seconds": round(time.monotonic() - started, 1),
    }
    command = ["python", "experiments/money_and_people_scan.py", *(argv or sys.argv[1:])]
    points = as_points()
    table = ets.early_jobs(figures, points).add_prefix("early_jobs_")
    table = (
        table.assign(firm_counts_within=ets.firms_within(figures, points)).rename_axis("point").reset_index()
    )
    tables = {"points": table, "figures": figures, "kinds": kinds}
    scan.write_scan(args.out, command, record, tables, lambda _t, m: readme(m, figures, kinds))
    verdict, _ = reading(ets.early_jobs(figures, points), ets.firms_within(figures, points))
    print(f"{verdict}; wrote {args.out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
