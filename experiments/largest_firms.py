"""Largest firms: do the US clusters lack the big listed drug developers of the 1990s?

results/history misses the US clusters' early jobs (Boston's of 1993 within x1.5, the Bay Area's
of 1997 x0.46 in sample; the broad counts of the early 2000s x0.41-0.66 out of sample), and
results/history/early_jobs found Boston's drug firms about as many as the data's (x0.94) but half
their size (staff per drug firm x0.53 in 2002, x0.39 in 2006). A guess, written down before this
script: the listed companies of the 1990s never grow into the thousands in the model; only the
scripted anchors (Genentech, Biogen, Genzyme, whose documented staff the scenarios script) do,
while in the real clusters a handful of listed drug developers besides the anchors employed many
hundreds to thousands. This script tests the guess: is the model's shortfall of drug jobs the
missing tail of big firms, or spread over all firms? At the package default and the seeds of
results/history (1-8), nothing refitted.

The data: experiments/data/large_firms.csv (its README gives the columns, the rule for a count,
what was searched for and not found): staff counts of listed drug developers that are not the
scenarios' anchors, each at a stated date, in the region (a company-wide count only where the firm
had no large site elsewhere, as docs/EVIDENCE.md section 8 asks). A cluster-date is a cluster and
the calendar year of a row's date; its k rows are the data's firms at that date, their staff the
data's sizes, their sum S_d, and the number of them with at least BIG (500) staff.

The model, per seed: a run of the cluster's scenario stopped at the end of that year (``until``
the year; the state in December, up to eleven months after the data's date, read as the year
rounds it). Its drug developers are the firm table's rows of kind ``startup``, ``public`` or
``large`` (the drug industry without pharma sites, kept sites and branches, and without device and
service firms) that operate (headcount above zero: active, listed or grown). The scripted anchors
are told by the firm table's ``origin`` (``anchor``: the scenario's ``anchors:``, each a Startup
founded on its documented date; the script stops if a firm of that origin is not one of the
scenario's anchor names) and left out, as is any row named as an anchor. Of the rest, the k
largest staffs (zero where fewer than k operate), their sum S_m and how many have at least BIG
staff; then the median over seeds of each (each rank's size its own median). The model's drug
jobs at the cluster-date (``employment_biopharma``, the whole grid, in December of the year) are
reported beside them.

Stated, and committed, before the first full run (any outcome can come out; a factor of 1.5 as
results/history's):
- a cluster-date is tested if its data hold a firm of at least BIG staff (the question is about a
  tail of many hundreds to thousands); one without is reported, not tested ("no big firm in the
  data");
- the tail is missing at a tested cluster-date if the median S_m is below S_d / 1.5 (model/data
  under 1/1.5), met within a factor of 1.5 either way, over above 1.5 times;
- the gap: the cluster-date's nearest narrow jobs count in src/ecosim/data/targets.csv (``kinds``
  = ``biopharma``, metric ``employment`` or ``employment_census``: biotech or biopharma jobs alone;
  the pairing of experiments/early_jobs.py, its ``nearest``) within 3 years of the mean of the
  cluster-date's rows' dates (a tie: the earlier); the gap G = N minus the model's drug jobs at N's
  date (N's metric's ``_biopharma`` column in the month nearest N's date, median over seeds, read
  from the seed's longest run); the tail explains the gap if G > 0 and S_d - median S_m >= G / 2;
  "no gap" if G <= 0; "unpaired" if no narrow count lies within 3 years;
- overall, over the tested cluster-dates: "the tail" if the tail is missing in more than half of
  them, "not the tail" if in none, "partly" otherwise ("nothing tested" if none is tested); and,
  per paired tested cluster-date, whether the tail explains the gap.
- A caveat the rule keeps: the data's firms are those a search found, not all of the region's k
  largest, so S_d is a lower bound of the region's k largest staffs: a "missing" reading is
  conservative, while "met", "over" and "does not explain" are weaker (a larger firm the search
  missed would raise S_d).

Runs: for each cluster and seed, one run stopped at each cluster-date's year and, if a paired
narrow count lies after them all, one at its year (the last run's time series covers every paired
date).
A run stopped at a year gives the same state as a longer run with the same seed up to that year
(the model draws nothing ahead of time): the script checks it on every (cluster, seed) with two
runs or more, comparing the shorter run's monthly time series with the first months of the
longest run's and the firms founded by the shorter run's end (id, origin, founding date, parent:
who was founded, not their state, which the shorter run reports at its end), and stops if any
differs.

What was seen before this rule was written: results/history, results/history/early_jobs and
results/history/narrow_counts; the data counts as the search found them (Boston's Genetics
Institute and Millennium, the Bay Area's Chiron, San Diego's Agouron: every count found at or
above 500); and, while writing the script, a one-seed look at the firm table's columns (Boston
1997, the three clusters 2000, seed 1) that showed its kinds and origins and the largest device
firms' sizes (to 986 staff in Boston's 1997), not the drug developers' sizes. After the rule was
committed (2f01224), a one-seed smoke run to 1997 (seed 1) stopped at the prefix check, which had
compared the firms' kinds (a company's kind turns from startup to public when it lists, so a
shorter run reports an earlier kind): the check now compares who was founded, not their state;
the smoke run then read Boston 1992 and 1996 and the Bay Area 1996 missing (x0.37, x0.37, x0.20)
and San Diego 1997 met (x0.93), overall the tail, Boston 1992's gap not explained. Nothing of the
rule changed. After the first full run (at ae42eb7) a post hoc section was added to the README
(after_lines: the tail's shortfall as a share of the gap), outside the rule, and the data's sizes
printed with thousands separators; the run was then repeated to write them.

Usage:
    python experiments/largest_firms.py [--seeds 8] [--workers 2] [--until YEAR]
        [--out results/history/largest_firms]
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
from siblings import sibling

from ecosim import atomic, calibrate, metric_registry, provenance
from ecosim.calibrate import Target
from ecosim.engine import Outcome, Run
from ecosim.packagedata import data_file
from ecosim.scenario import Scenario

history = sibling("history")
early_jobs = sibling("early_jobs")

DATA = history.ROOT / "experiments" / "data" / "large_firms.csv"
"""The sourced counts (experiments/data/README.md)."""
DATA_COLUMNS = ("cluster", "firm", "date", "staff", "scope", "source", "note")
SCOPES = ("region", "company-wide")
DRUG_KINDS = frozenset({"startup", "public", "large"})
"""The firm table's kinds of drug developer (agents/startup.py's table_kind): no pharma site,
kept site, branch, device or service firm."""
ANCHOR_ORIGIN = "anchor"
BIG = 500
"""Staff of a big firm: a cluster-date is tested if its data hold one."""
JOBS_METRICS = ("employment", "employment_census")
"""The jobs metrics a narrow count may have."""
RUN_OUTPUTS = frozenset({"firms", "timeseries"})
STATES = ("missing", "met", "over")
OVERALL = ("the tail", "not the tail", "partly", "nothing tested")


def load_data(path: Path = DATA) -> pd.DataFrame:
    """The sourced counts, checked, with each row's decimal date (``when``) and calendar year."""
    data = history.read_sourced(
        path,
        DATA_COLUMNS,
        lambda rows: (
            ~rows["cluster"].isin(history.CLUSTERS)
            | ~rows["scope"].isin(SCOPES)
            | ~(pd.to_numeric(rows["staff"], errors="coerce") > 0)
        ),
    )
    data["when"] = data["date"].map(calibrate.decimal_year)
    data["year"] = data["when"].map(math.floor).astype(int)
    return data


def developers(firms: pd.DataFrame, anchors: set[str]) -> pd.Series:
    """The staff of the operating drug developers that are not scripted anchors, largest first.

    Raises:
        SystemExit: a firm of the anchor origin is not one of the scenario's anchor names.
    """
    origin = firms["origin"].astype(str)
    strays = set(firms.loc[origin == ANCHOR_ORIGIN, "name"].astype(str)) - anchors
    if strays:
        raise SystemExit(f"error: firms of the anchor origin not named as anchors: {sorted(strays)}")
    chosen = (
        firms["kind"].isin(DRUG_KINDS)
        & (firms["headcount"] > 0)
        & (origin != ANCHOR_ORIGIN)
        & ~firms["name"].astype(str).isin(anchors)
    )
    return firms.loc[chosen, "headcount"].astype(int).sort_values(ascending=False).reset_index(drop=True)


def largest(staff: pd.Series, k: int) -> list[int]:
    """The k largest staffs, largest first (zeros where fewer than k operate)."""
    top = [int(v) for v in sorted(staff, reverse=True)[:k]]
    return top + [0] * (k - len(top))


def tail_state(model_sum: float, data_sum: float) -> str:
    """The tail's state by the rule: missing (model/data under 1/1.5), met, or over (above 1.5)."""
    ratio = model_sum / data_sum
    if ratio < 1 / history.FACTOR:
        return "missing"
    return "met" if ratio <= history.FACTOR else "over"


def explains(data_sum: float, model_sum: float, gap: float) -> str:
    """Whether the tail explains the drug-jobs gap G = N - model drug jobs: "yes" if G > 0 and the
    tail's shortfall (data sum - model sum) is at least half of it, "no" if G > 0 and it is not,
    "no gap" if G <= 0, "unpaired" if there is no narrow count (G is NaN)."""
    if math.isnan(gap):
        return "unpaired"
    if gap <= 0:
        return "no gap"
    return "yes" if data_sum - model_sum >= gap / 2 else "no"


def overall(states: list[str]) -> str:
    """The overall reading over the tested cluster-dates' tail states."""
    if not states:
        return "nothing tested"
    missing = sum(s == "missing" for s in states)
    if missing > len(states) / 2:
        return "the tail"
    return "not the tail" if missing == 0 else "partly"


def narrow_jobs(cluster: str, until: float) -> list[Target]:
    """The cluster's narrow (biopharma) jobs counts of targets.csv, dated up to ``until``."""
    return [
        t
        for t in history.targets_of(cluster, until)
        if t.kinds == metric_registry.BIOPHARMA and t.metric in JOBS_METRICS
    ]


def run_years(data: pd.DataFrame, cluster: str, until: float) -> tuple[list[int], dict[int, Target | None]]:
    """The years a cluster's runs stop at (each cluster-date's, and the latest paired narrow
    count's if it lies after them all), and each cluster-date's paired narrow count."""
    part = data[data["cluster"] == cluster]
    narrow = narrow_jobs(cluster, until)
    pairs = {
        int(year): early_jobs.nearest(narrow, float(rows["when"].mean()))
        for year, rows in part.groupby("year")
    }
    years = sorted(pairs)
    if not years:
        return [], {}
    later = [math.floor(t.year) for t in pairs.values() if t is not None and math.floor(t.year) > years[-1]]
    return years + ([max(later)] if later else []), pairs


def same_prefix(short: Outcome, long: Outcome) -> bool:
    """Whether a run stopped earlier matches the longer run of the same seed up to its end: the
    monthly time series, and the firms founded by then (id, origin, founding date, parent: not their
    kind or staff, which each run reports at its own end)."""
    assert short.timeseries is not None and long.timeseries is not None
    assert short.firms is not None and long.firms is not None
    months = len(short.timeseries)
    head = long.timeseries.iloc[:months].reset_index(drop=True)
    if not short.timeseries.reset_index(drop=True).equals(head):
        return False
    keys = ["firm_id", "origin", "founded_year", "parent_id"]
    end = float(short.timeseries["year"].iloc[-1])
    before = long.firms[long.firms["founded_year"].astype(float) <= end + 1e-9][keys]
    ours = short.firms[keys].sort_values("firm_id").reset_index(drop=True)
    return ours.equals(before.sort_values("firm_id").reset_index(drop=True))


def date_row(
    rows: pd.DataFrame,
    scenario: Scenario,
    outcomes: list[Outcome],
    last: list[Outcome],
    pair: Target | None,
) -> dict[str, Any]:
    """One cluster-date: the data, the model (median and 90% interval over seeds), the tail's state
    and whether it explains the gap. ``outcomes``: each seed's run stopped at the date's year;
    ``last``: each seed's longest run (for the narrow count's date)."""
    anchors = {a.name for a in scenario.anchors}
    k = len(rows)
    data_staff = sorted((int(s) for s in rows["staff"]), reverse=True)
    data_sum = float(sum(data_staff))
    tops, sums, bigs, drug_jobs = [], [], [], []
    for o in outcomes:
        assert o.firms is not None and o.timeseries is not None
        staff = developers(o.firms, anchors)
        top = largest(staff, k)
        tops.append(top)
        sums.append(float(sum(top)))
        bigs.append(float((staff >= BIG).sum()))
        drug_jobs.append(float(o.timeseries["employment_biopharma"].iloc[-1]))
    sizes = [float(pd.Series([t[i] for t in tops]).median()) for i in range(k)]
    model_sum = float(pd.Series(sums).median())
    tested = max(data_staff) >= BIG
    row: dict[str, Any] = {
        "cluster": rows["cluster"].iloc[0],
        "year": int(rows["year"].iloc[0]),
        "k": k,
        "firms": "; ".join(
            f"{f} ({d}, {s})" for f, d, s in zip(rows["firm"], rows["date"], rows["staff"], strict=True)
        ),
        "data_sizes": " / ".join(f"{s:,}" for s in data_staff),
        "data_sum": data_sum,
        "data_big": sum(s >= BIG for s in data_staff),
        "model_sizes": " / ".join(f"{s:,.0f}" for s in sizes),
        **early_jobs.spread("model_sum", pd.Series(sums, dtype=float)),
        **early_jobs.spread("model_big", pd.Series(bigs, dtype=float)),
        **early_jobs.spread("model_drug_jobs", pd.Series(drug_jobs, dtype=float)),
        "ratio": round(model_sum / data_sum, 3),
        "tested": tested,
        "tail": tail_state(model_sum, data_sum) if tested else "no big firm in the data",
        "narrow_date": pair.date if pair else "",
        "narrow_metric": pair.metric if pair else "",
        "narrow_jobs": pair.value if pair else math.nan,
        "narrow_definition": pair.definition if pair else "",
    }
    gap = math.nan
    if pair is not None:
        (by_kind,) = calibrate.read_by_kinds([pair])
        at_n = [history.model_value(by_kind, o, scenario) for o in last]
        row.update(early_jobs.spread("model_drug_jobs_at_narrow", pd.Series(at_n, dtype=float)))
        gap = pair.value - float(pd.Series(at_n).median())
    row["gap"] = round(gap, 1) if not math.isnan(gap) else math.nan
    row["tail_shortfall"] = round(data_sum - model_sum, 1)
    row["explains"] = explains(data_sum, model_sum, gap) if tested else "not tested"
    row["seeds"] = len(outcomes)
    return row


def fmt_ratio(value: float) -> str:
    """A ratio for the README."""
    return f"x{value:.2f}"


def reading(table: pd.DataFrame) -> list[str]:
    """The README's reading by the rule: each cluster-date, then the overall answer."""
    if table.empty:
        return ["- No cluster-date of the data lies within the runs."]
    lines = []
    for r in table.to_dict("records"):
        head = (
            f"- {r['cluster']} {r['year']} ({r['firms']}): the model's {r['k']} largest non-anchor drug "
            f"developer{'s' if r['k'] > 1 else ''} {r['model_sizes']} (sum {history.fmt(r['model_sum'])} "
            f"[{history.fmt(r['model_sum_p05'])}-{history.fmt(r['model_sum_p95'])}]) against the data's "
            f"{history.fmt(r['data_sum'])}, {fmt_ratio(r['ratio'])}: **{r['tail']}**"
        )
        if not r["tested"]:
            lines.append(head + ".")
            continue
        if r["narrow_date"]:
            fmt = history.fmt
            gap = (
                f"; narrow count of {r['narrow_date']} {fmt(r['narrow_jobs'])}, the model's drug jobs then "
                f"{fmt(r['model_drug_jobs_at_narrow'])}, gap {fmt(r['gap'])}, the tail's shortfall "
                f"{fmt(r['tail_shortfall'])}: explains the gap **{r['explains']}**"
            )
        else:
            gap = "; no narrow jobs count within 3 years (unpaired)"
        lines.append(head + gap + ".")
    tested = table[table["tested"].astype(bool)]
    answer = overall(list(tested["tail"]))
    named = ", ".join(f"{r['cluster']} {r['year']} ({r['tail']})" for r in tested.to_dict("records"))
    lines.append(f"- Overall, over the {len(tested)} tested cluster-dates ({named or 'none'}): **{answer}**.")
    paired = [r for r in tested.to_dict("records") if r["explains"] in ("yes", "no", "no gap")]
    if paired:
        lines.append(
            "- Whether the tail explains the drug-jobs gap, per paired date: "
            + "; ".join(f"{r['cluster']} {r['year']} {r['explains']}" for r in paired)
            + "."
        )
    return lines


def after_lines(table: pd.DataFrame) -> list[str]:
    """A reading added after the first 8-seed run (post hoc, outside the rule): at each paired
    tested cluster-date with a gap, the tail's shortfall as a share of the gap, and how many
    shortfalls of that size the gap holds; and the model's firms of at least BIG staff."""
    lines = ["## Read after the run (post hoc: added after the first full run, outside the rule)", ""]
    gaps = [
        r for r in table.to_dict("records") if r["tested"] and r["explains"] in ("yes", "no") and r["gap"] > 0
    ]
    if gaps:
        lines.append(
            "- The tail's shortfall (data sum - model sum) as a share of the drug-jobs gap, and how many "
            "such shortfalls the gap holds: "
            + "; ".join(
                f"{r['cluster']} {r['year']} {r['tail_shortfall'] / r['gap']:.0%} "
                f"({r['gap'] / max(r['tail_shortfall'], 1.0):.1f})"
                for r in gaps
            )
            + "."
        )
    lines.append(
        f"- The model's non-anchor drug developers of at least {BIG} staff (median over seeds): "
        + "; ".join(
            f"{r['cluster']} {r['year']} {history.fmt(r['model_big'])}" for r in table.to_dict("records")
        )
        + "."
    )
    return lines


def tables(table: pd.DataFrame, data: pd.DataFrame) -> list[str]:
    """The README's tables: the data's rows with their sources, then the model beside the data."""
    fmt = history.fmt
    sources = [
        f"| {r['cluster']} | {r['firm']} | {r['date']} | {fmt(r['staff'])} | {r['scope']} | {r['source']} |"
        for r in data.to_dict("records")
    ]

    def cell(r: dict[str, Any], name: str) -> str:
        return f"{fmt(r[name])} [{fmt(r[f'{name}_p05'])}-{fmt(r[f'{name}_p95'])}]"

    model = [
        f"| {r['cluster']} | {r['year']} | {r['k']} | {r['data_sizes']} | {r['model_sizes']} "
        f"| {fmt(r['data_sum'])} | {cell(r, 'model_sum')} | {r['ratio']:.2f} | {r['data_big']} "
        f"| {cell(r, 'model_big')} | {cell(r, 'model_drug_jobs')} | {r['tail']} |"
        for r in table.to_dict("records")
    ]
    gaps = [
        f"| {r['cluster']} | {r['year']} | {r['narrow_date']} | {fmt(r['narrow_jobs'])} "
        f"| {cell(r, 'model_drug_jobs_at_narrow')} | {fmt(r['gap'])} | {fmt(r['tail_shortfall'])} "
        f"| {r['explains']} |"
        for r in table.to_dict("records")
        if r["narrow_date"]
    ]
    return [
        "## The data",
        "",
        "Staff of listed drug developers that are not the scenarios' anchors, from "
        "`experiments/data/large_firms.csv` (its README gives the rule for a count, the notes each "
        "quotation or derivation, and what was searched for and not found).",
        "",
        "| cluster | firm | date | staff | scope | source |",
        "| --- | --- | --- | ---: | --- | --- |",
        *sources,
        "",
        "## The model beside the data (median [90%] over seeds)",
        "",
        f"At the end of each year; the model's drug developers without the scripted anchors; sizes "
        f"largest first (each rank's median); big: staff of at least {BIG}; drug jobs: the drug "
        "industry's (developers, pharma sites and branches, `employment_biopharma`, whole grid).",
        "",
        "| cluster | year | k | data sizes | model sizes | data sum | model sum | model/data | data big "
        "| model big | model drug jobs | tail |",
        "| --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        *model,
        "",
        "## The drug-jobs gap",
        "",
        "Each cluster-date's nearest narrow jobs count (biotech or biopharma alone) within 3 years, the "
        "model's drug jobs at its date (its metric's `_biopharma` column), the gap N - model and the "
        "tail's shortfall (data sum - model sum); the tail explains the gap if its shortfall is at "
        "least half of it.",
        "",
        "| cluster | year | narrow date | N | model drug jobs then | gap | tail's shortfall | explains |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |",
        *(gaps or ["| - | - | - | - | - | - | - | - |"]),
    ]


def readme(table: pd.DataFrame, data: pd.DataFrame, manifest: dict[str, Any]) -> str:
    """The folder's README: the question, the stated rule's reading and the tables."""
    seeds = len(manifest["seeds"])
    return "\n".join(
        [
            "# Largest firms: do the US clusters lack the big listed drug developers of the 1990s?",
            "",
            f"Produced by `{manifest['command']}` at git commit `{manifest['git_commit']}`: "
            f"{seeds} seed{'s' if seeds != 1 else ''} per cluster (the seeds of results/history), the "
            "package default, nothing refitted. For each cluster and calendar year of the sourced "
            "counts (`experiments/data/large_firms.csv`), the model's k largest non-anchor drug "
            "developers (the firm table's kinds `startup`, `public` and `large`, operating, without "
            "the rows of origin `anchor`: the scenarios' scripted anchors) in December of that year, "
            "k the number of firms the data list then, against the data's; and, where a narrow "
            "(biopharma) jobs count lies within 3 years, whether the tail's shortfall is at least half "
            "of the drug-jobs gap. Each cluster-date is read from runs stopped at the end of its year; "
            f"a run stopped earlier matched the longer run of its seed in all {manifest['prefix_checks']} "
            "(cluster, seed) pairs checked (time series and firms founded by then).",
            "",
            "The rule was stated and committed in experiments/largest_firms.py before the first full "
            "run (the script's docstring says what was seen before); a one-seed smoke run to 1997 ran "
            "after it was committed, and the check of stopped runs was mended after it (it compared the "
            "firms' kinds, which change when a company lists). The data's firms are those a search "
            "found, not all of each region's largest: the data's sum is a lower bound, so a tail read "
            "as missing is conservative, one read as met or over, and a gap not explained, weaker.",
            "",
            "## Reading (by the rule stated before the run)",
            "",
            f"- missing: the model's sum of its k largest under the data's over {history.FACTOR}; met: "
            f"within a factor of {history.FACTOR}; over: above it; a cluster-date is tested if the data "
            f"hold a firm of at least {BIG} staff. The tail explains the gap if the gap (N - the model's "
            "drug jobs) is positive and the tail's shortfall is at least half of it. Overall: the tail "
            "if missing in more than half of the tested cluster-dates, not the tail if in none, partly "
            "otherwise.",
            *reading(table),
            "",
            *(after_lines(table) + [""] if len(table) else []),
            *tables(table, data),
            "",
            "Files: `cluster_dates.csv` (every column above, with the tail's state and the gap's "
            "reading from the unrounded medians), `manifest.json`.",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    """Run the US clusters to each cluster-date over the seeds and write the folder."""
    doc = (__doc__ or "").splitlines()[0]
    parser = history.runs_parser(doc, history.ROOT / "results" / "history" / "largest_firms")
    args = history.parse_runs_args(parser, argv)
    started = time.monotonic()
    seeds = list(range(1, args.seeds + 1))
    scenarios = {c: history.scenario_of(c) for c in history.CLUSTERS}
    data = load_data()
    if args.until is not None:
        data = data[data["year"] <= args.until].reset_index(drop=True)
    plan: dict[str, tuple[list[int], dict[int, Target | None]]] = {}
    runs: list[Run] = []
    for cluster in history.CLUSTERS:
        until = args.until if args.until is not None else scenarios[cluster].end_year
        years, pairs = run_years(data, cluster, until)
        plan[cluster] = (years, pairs)
        runs += [
            Run(scenarios[cluster], s, until=y, outputs=RUN_OUTPUTS, columns=history.COLUMNS)
            for y in years
            for s in seeds
        ]
    names = [f"{r.scenario.name} with seed {r.seed} to {r.until}" for r in runs]
    outcomes = iter(history.run_or_stop(runs, args.workers, names))
    rows: list[dict[str, Any]] = []
    checks = 0
    for cluster in history.CLUSTERS:
        years, pairs = plan[cluster]
        done = {y: [next(outcomes) for _ in seeds] for y in years}
        if not years:
            continue
        last = done[years[-1]]
        for y in years[:-1]:
            for s, short, long in zip(seeds, done[y], last, strict=True):
                if not same_prefix(short, long):
                    raise SystemExit(
                        f"error: {cluster} with seed {s} to {y} differs from its run to {years[-1]}"
                    )
                checks += 1
        part = data[data["cluster"] == cluster]
        for year, group in part.groupby("year"):
            rows.append(date_row(group, scenarios[cluster], done[int(year)], last, pairs[int(year)]))
    table = pd.DataFrame(rows)
    tested = table[table["tested"].astype(bool)] if len(table) else table
    manifest = {
        **provenance.base_manifest(["python", "experiments/largest_firms.py", *(argv or sys.argv[1:])]),
        "seeds": seeds,
        "until": args.until if args.until is not None else {c: s.end_year for c, s in scenarios.items()},
        "scenarios": {c: s.digest() for c, s in scenarios.items()},
        "data_files": calibrate.file_hash([DATA, data_file(calibrate.TARGETS_FILE, "targets")]),
        "cluster_dates": len(table),
        "tested": len(tested),
        "overall": overall(list(tested["tail"])) if len(tested) else "nothing tested",
        "prefix_checks": checks,
        "seconds": round(time.monotonic() - started, 1),
    }
    with atomic.staged_dir(args.out) as stage:
        table.drop(columns=["narrow_definition"]).to_csv(stage / "cluster_dates.csv", index=False)
        atomic.write_json(stage / "manifest.json", manifest)
        atomic.write_text(stage / "README.md", readme(table, data, manifest))
    seconds = time.monotonic() - started
    print(f"{len(table)} cluster-dates, overall: {manifest['overall']}; wrote {args.out}/ in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
