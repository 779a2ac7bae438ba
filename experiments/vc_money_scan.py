"""Is Boston's venture money short because its rounds are small, or because they are early?

results/history finds the venture capital the model's Boston raises in 2018 at half the source
document's figure (USD 3.4 bn a year in Cambridge and 0.92 bn in Boston, 2017-19; x0.51, out of
sample). The model's round sizes by stage (``round_size_musd``: seed 2, early 12, clinical 35, late
70 USD m at 2000 prices) are an assumption, each year's scaled by an all-sector era index
(src/ecosim/data/round_sizes.csv: x2.15 from 2016); biotech rounds grew faster: "The average
raised per financing was $42.7 million, ... three and a half times the average round in 2013"
(FierceBiotech, "Biotech's top 10 money raisers of 2018"); in Massachusetts "the average
investment deal size increased from 2017's $34 million to $51 million in the first two quarters
of 2018", and biopharma raised $3.1 billion there in 2017 (MassBio's report, via MedCity News,
August 2018), about 90 deals (derived).

Read before the rule was written: two seeds of Boston at the default (1 and 2, to 2019) raised
134 and 174 rounds a year in 2017-19, three in four of them seed rounds and 5-17 in three years at
the clinical or late stage, a mean of 10-12 USD m at 2000 prices (about 15-17 m in 2018 dollars):
more rounds than Massachusetts's, and smaller.

This scan runs the three US clusters with larger rounds, nothing refitted, with the seeds of
results/history (so the default row reproduces it), and reports for each point Boston's rounds a
year in 2017-19, their mean size in 2018 dollars and the share at the seed stage beside the
figures.

Stated before running (any can come out):
- if doubling every round (``rounds x2``) brings Boston's VC money of 2018 within a factor of 1.5
  and meets at least as many in-sample figures and US end points as the default, the money's miss
  is the round sizes' (an assumption): the next step is to source them by stage and era for
  biotech, not all sectors;
- if it brings the money within x1.5 but meets fewer in-sample figures or US end points, the round
  sizes pull against the fitted figures (larger rounds keep companies alive and hiring longer):
  only a refit with sourced sizes can tell;
- if no point brings the money within x1.5, the miss is not the round sizes: it is how many
  companies raise and how far they get before they do (few of the model's private companies reach
  a clinical round).

Post hoc (added after the first run, at b4feb73, and run again): the README also counts Boston's
private drug developers at the end of each run by stage, with their median staff against the
stage's team (``target_headcount``), since a team short of its stage's size advances in proportion
(agents/startup.py ``milestone_odds``), and, since a referee's review, the share of them that
closed a round at their stage (a company hires when a round closes: one that has not raised at its
stage keeps the team of the stage before).

Usage:
    python experiments/vc_money_scan.py [--seeds 8] [--workers 2] [--until YEAR]
        [--out results/history/vc_money_scan]
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pandas as pd
from siblings import sibling

from ecosim import money
from ecosim.agents.startup import STAGES
from ecosim.constants import fitted

scan = sibling("exit_timing_scan")
history = scan.history

SIZES = "round_size_musd"
"""Round size by stage (seed, early, clinical, late), USD m at 2000 prices."""


def scaled(factors: tuple[float, ...]) -> dict[str, Any]:
    """The package's round sizes, each stage's times ``factors``' (as a point's constants)."""
    sizes = fitted().round_size_musd
    return {SIZES: tuple(round(s * f, 6) for s, f in zip(sizes, factors, strict=True))}


POINTS: scan.Points = (
    ("default", "seed 2, early 12, clinical 35, late 70 USD m at 2000 prices, times the era's index", {}),
    ("rounds x2", "every round twice the size", scaled((2, 2, 2, 2))),
    ("seed and early x2", "seed and early rounds twice the size", scaled((2, 2, 1, 1))),
    ("clinical and late x2", "clinical and late rounds twice the size", scaled((1, 1, 2, 2))),
    ("rounds x3", "every round three times the size", scaled((3, 3, 3, 3))),
)
"""The scan's points: a label, what it changes, and the constants it sets (all else default)."""
MONEY = scan.VC_MONEY
"""The figure the rule reads."""
SHOWN = (
    MONEY,
    ("boston", "firms_census", "2020"),
    ("boston", "employment_census", "2020"),
    ("bay_area", "employment_census", "2019"),
    ("san_diego", "firms_census", "2019"),
    ("san_diego", "employment_census", "2019"),
    ("boston", "exits_ipo", "2017"),
    ("boston", "exits_ipo", "2018"),
)
"""Dated figures the README shows point by point (model/data), beside the counts met."""
WINDOW = (2017, 2019)
"""The years of the source's average, over which Boston's rounds are described."""
PRICES = 2018
"""The year whose dollars the mean round is stated in (MassBio's averages are of 2017-18)."""


def rounds_of(deals: pd.DataFrame) -> dict[str, float]:
    """One run's rounds in WINDOW: how many a year, their mean size in PRICES dollars (USD m) and
    the share at the seed stage (stage 0)."""
    first, last = WINDOW
    mine = deals[(deals["year"] >= first) & (deals["year"] < last + 1)]
    years = last - first + 1
    mean = float(mine["size_musd"].mean()) if len(mine) else float("nan")
    return {
        "rounds_a_year": len(mine) / years,
        "mean_round_musd": money.from_model_usd(mean, "USD", PRICES),
        "seed_share": float((mine["stage"] == 0).mean()) if len(mine) else float("nan"),
    }


def staffing_of(firms: pd.DataFrame, deals: pd.DataFrame) -> list[dict[str, Any]]:
    """One run's private drug developers still operating at its end, by stage: how many, their
    median staff as a share of the stage's team (Constants.target_headcount at the package
    default: no point of this scan changes it), and the share of them that have closed a round at
    that stage (a company hires when a round closes, Startup.staff_up: one that has not raised at
    its stage keeps the team of the stage before)."""
    teams = fitted().target_headcount
    private = firms[(firms["kind"] == "startup") & (firms["fate"] == "active")]
    rows = []
    for index, stage in enumerate(STAGES):
        mine = private[private["stage"] == stage]
        raised = set(deals.loc[deals["stage"] == index, "firm_id"])
        share = float((mine["headcount"] / teams[index]).median()) if len(mine) else float("nan")
        funded = float(mine["firm_id"].isin(raised).mean()) if len(mine) else float("nan")
        rows.append(
            {"stage": stage, "companies": len(mine), "staffed_share": share, "raised_at_stage": funded}
        )
    return rows


def run_scan(
    seeds: list[int], until: int | None, workers: int, points: scan.Points = POINTS
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Every point, cluster and seed: the dated figures (history.compare), Boston's rounds and its
    private drug developers at the end of the run (staffing_of)."""
    scenarios = {cluster: history.scenario_of(cluster) for cluster in history.CLUSTERS}
    figures, rounds, staffing = [], [], []
    for label, cluster, done in scan.run_points(
        points, scenarios, seeds, until, workers, history.OUTPUTS | {"deals"}
    ):
        end = until if until is not None else scenarios[cluster].end_year
        figures += [
            {"point": label, **row} for row in history.compare(cluster, scenarios[cluster], done, end)
        ]
        if cluster == "boston":
            for seed, outcome in zip(seeds, done, strict=True):
                if outcome.deals is not None:
                    rounds.append({"point": label, "seed": seed, **rounds_of(outcome.deals)})
                if outcome.firms is not None and outcome.deals is not None:
                    staffing += [
                        {"point": label, "seed": seed, **row}
                        for row in staffing_of(outcome.firms, outcome.deals)
                    ]
    table = pd.DataFrame(figures) if figures else pd.DataFrame(columns=scan.FIGURE_COLUMNS)
    rounds_table = pd.DataFrame(
        rounds, columns=["point", "seed", "rounds_a_year", "mean_round_musd", "seed_share"]
    )
    staffing_table = pd.DataFrame(
        staffing, columns=["point", "seed", "stage", "companies", "staffed_share", "raised_at_stage"]
    )
    return table, rounds_table, staffing_table


def summary(figures: pd.DataFrame, rounds: pd.DataFrame, points: scan.Points = POINTS) -> pd.DataFrame:
    """One row per point: figures met, US end points met, the shown figures' model/data and the
    medians over seeds of Boston's rounds in WINDOW."""
    table = scan.ratio_summary(points, figures, SHOWN)
    for column in ("rounds_a_year", "mean_round_musd", "seed_share"):
        medians = rounds.groupby("point")[column].median().round(2)
        table[column] = [medians.get(label) for label in table["point"]]
    return table


def verdict(table: pd.DataFrame) -> list[str]:
    """The reading, by the rule stated in the module docstring."""
    key = " ".join(MONEY)
    default = table[table["point"] == "default"].iloc[0]
    if pd.isna(default[key]):
        return ["The runs end before Boston's VC money of 2018: the rule cannot be read."]
    lead = scan.already_met(
        history.within(default[key]),
        f"Boston's VC money of 2018 within a factor of {history.FACTOR} (x{scan.fmt(default[key], 2)})",
    )
    return lead + money_reading(table, default, key)


def money_reading(table: pd.DataFrame, default: pd.Series, key: str) -> list[str]:
    """The rule's readings (module docstring) of the points against ``default``."""
    within = table[(table["point"] != "default") & table[key].between(1 / history.FACTOR, history.FACTOR)]
    if within.empty:
        return [
            f"No point brings Boston's VC money of 2018 within a factor of {history.FACTOR} (the default: "
            f"x{scan.fmt(default[key], 2)}): the miss is not the round sizes but how many companies raise "
            "and how far they get before they do."
        ]
    doubled = table[table["point"] == "rounds x2"].iloc[0]
    where = f"(`rounds x2`: x{scan.fmt(doubled[key], 2)}; the default: x{scan.fmt(default[key], 2)})"
    if "rounds x2" not in set(within["point"]):
        return [
            f"Only {scan.named(within)} bring Boston's VC money of 2018 within a factor of "
            f"{history.FACTOR}, not doubling every round {where}: the rule's first two readings do not "
            "apply; the table says what those points cost."
        ]
    kept = (
        doubled["in-sample_within_x1.5"] >= default["in-sample_within_x1.5"]
        and doubled["end_points_within_25pct"] >= default["end_points_within_25pct"]
    )
    if kept:
        return [
            f"Doubling every round brings Boston's VC money of 2018 within a factor of {history.FACTOR} "
            f"{where} and meets as many in-sample figures and US end points as the default: the money's "
            "miss is the round sizes'. The next step is to source them by stage and era for biotech."
        ]
    return [
        f"Doubling every round brings Boston's VC money of 2018 within a factor of {history.FACTOR} "
        f"{where} but meets fewer in-sample figures or US end points than the default "
        f"({default['in-sample_within_x1.5']} and {default['end_points_within_25pct']}; `rounds x2`: "
        f"{doubled['in-sample_within_x1.5']} and {doubled['end_points_within_25pct']}): the round sizes "
        "pull against the fitted figures, and only a refit with sourced sizes can tell."
    ]


def staffing_lines(staffing: pd.DataFrame, points: scan.Points = POINTS) -> list[str]:
    """The README's table of Boston's private drug developers at the end of the runs, by point and
    stage: medians over seeds of how many there are, of their median staff / the stage's team and
    of the share that raised a round at their stage."""
    if staffing.empty:
        return []
    columns = ["companies", "staffed_share", "raised_at_stage"]
    medians = staffing.groupby(["point", "stage"], sort=False)[columns].median()
    lines = [
        "## Boston's private drug developers at the end of the run (post hoc)",
        "",
        "Medians over seeds: companies still private and operating, by stage; in brackets, their "
        "median staff as a share of the stage's team (`target_headcount`; a team short of it "
        "advances in proportion) and the share of them that closed a round at that stage (a "
        "company hires when a round closes, so one that has not raised at its stage keeps the team "
        "of the stage before).",
        "",
        "| point | " + " | ".join(STAGES) + " |",
        "| --- | " + " | ".join("---:" for _ in STAGES) + " |",
    ]
    for label, _, _ in points:
        if label not in medians.index.get_level_values(0):
            continue
        cells = [
            f"{scan.fmt(medians.loc[(label, stage), 'companies'], 0)} "
            f"({scan.fmt(medians.loc[(label, stage), 'staffed_share'], 2)}; "
            f"{scan.fmt(medians.loc[(label, stage), 'raised_at_stage'], 2)})"
            for stage in STAGES
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def detail_lines(
    table: pd.DataFrame, staffing: pd.DataFrame | None, points: scan.Points = POINTS
) -> list[str]:
    """The README's tables after the reading: Boston's rounds in WINDOW, its private drug
    developers at the end of the runs (staffing_lines), the points and the folder's files."""
    first, last = WINDOW
    return [
        f"## Boston's rounds, {first}-{last} (medians over seeds)",
        "",
        f"Beside them (context, not tested): Massachusetts's biopharma companies raised USD 3.1 bn in "
        "2017 at an average of USD 34 m a deal (about 90 deals), and USD 51 m a deal in the first half "
        f"of 2018 (MassBio, via MedCity News, August 2018). Sizes in USD m of {PRICES}.",
        "",
        "| point | rounds a year | mean round | share at the seed stage |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| {r['point']} | {scan.fmt(r['rounds_a_year'], 0)} | {scan.fmt(r['mean_round_musd'], 1)} "
            f"| {scan.fmt(r['seed_share'], 2)} |"
            for r in table.to_dict("records")
        ),
        "",
        *staffing_lines(staffing if staffing is not None else pd.DataFrame(), points),
        "## Points",
        "",
        *scan.ratio_table(table, SHOWN),
        "",
        "Files: `points.csv` (this table), `figures.csv` (every dated figure at every point), "
        "`rounds.csv` (Boston's rounds by point and seed), `staffing.csv` (Boston's private drug "
        "developers at the end, by point, seed and stage), `manifest.json`.",
        "",
    ]


def readme(table: pd.DataFrame, manifest: dict[str, Any], staffing: pd.DataFrame | None = None) -> str:
    """The folder's README: the question, the stated rule, the verdict and the tables (and, when
    given, Boston's private drug developers at the end: staffing_lines)."""
    lines = [
        "# VC money: is Boston's short because its rounds are small, or because they are early?",
        "",
        f"Produced by `{manifest['command']}` at git commit `{manifest['git_commit']}`: "
        f"{len(manifest['seeds'])} seeds per cluster and point (the seeds of results/history, so the "
        f"default row reproduces it), the package's fitted constants with the point's `{SIZES}`, "
        f"nothing refitted. Figures are those of results/history (in sample and out of sample, within "
        f"a factor of {history.FACTOR}); model/data is the median over seeds.",
        "",
        "What each reading would mean was written in experiments/vc_money_scan.py before it ran (a "
        "two-seed look at the default's rounds had been read; the script says what it showed).",
        "",
        "## Reading",
        "",
        *verdict(table),
        "",
        *detail_lines(table, staffing),
    ]
    return "\n".join(lines)


def scan_main(
    name: str, doc: str, points: scan.Points, readme_of: Callable[..., str], argv: list[str] | None
) -> int:
    """A scan of Boston's money's command (this one's, experiments/trial_cost_scan.py's): run
    ``points`` on the three US clusters and write results/history/NAME (``readme_of(points table,
    manifest, staffing)``)."""
    parser = history.runs_parser(doc.splitlines()[0], scan.ROOT / "results" / "history" / name)
    args = history.parse_runs_args(parser, argv)
    started = time.monotonic()
    seeds = list(range(1, args.seeds + 1))
    figures, rounds, staffing = run_scan(seeds, args.until, args.workers, points)
    table = summary(figures, rounds, points)
    tables = {"points": table, "figures": figures, "rounds": rounds, "staffing": staffing}
    scan.finish_scan(
        name,
        argv,
        args,
        points,
        seeds,
        started,
        tables,
        lambda table, manifest: readme_of(table, manifest, staffing),
    )
    print(f"wrote {args.out}/ in {time.monotonic() - started:.0f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run every point, cluster and seed and write the folder."""
    return scan_main("vc_money_scan", __doc__, POINTS, readme, argv)


if __name__ == "__main__":
    raise SystemExit(main())
