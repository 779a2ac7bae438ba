"""Greater Tokyo's baseline against Japan's figures: are its foundings and exits Japan's?

The GTB results (results/gtb_levers) compare policy levers against a baseline that no figure has
checked: Greater Tokyo has no row in src/ecosim/data/targets.csv, while its levers' headline is a
count of startups founded and active. This script reads the baseline's first years against dated
public figures it was never fitted to (a held-out pattern, never fitted: nothing here feeds a
calibration), at the package default, seeds 1-8, nothing refitted.

The data: experiments/data/greater_tokyo.csv (its README gives each row's source and quotation):
- foundings: MHLW's count of startups founded in Japan in four health fields, about 100 in 2019 and
  about 50 in 2023 (the years between are in a chart whose numbers were not found);
- share: the part of Japan's bio-ventures in the grid's area, 0.348 (Tokyo and Kanagawa, JBA 2005)
  and 0.400 (JBA 2009), lower bounds (Ibaraki, Chiba and Saitama not counted), and 0.528 (Kanto's
  university spin-outs of every field, METI 2023, second-hand), an upper bound (Kanto holds Gunma
  and Tochigi);
- exits: the part of a year's stock of Japan's bio-ventures closed or merged in the year, 0.022
  (2013) and 0.016 (2014, JBA), and of its university spin-outs of every field closed, 0.069 (2018,
  METI, the highest yearly rate found).

Stated, and committed, before the first run (any outcome can come out; a factor of 1.5 as
results/history's):
- **foundings**: the data's band for Greater Tokyo in 2023 is 2023's national count times the
  lowest and the highest share, [17.4, 26.4]; the model's count is ``startups_founded`` summed over
  the months of 2023 (academic, spinout and release foundings of drug developers and device and
  service firms; relocations are not foundings), the median over seeds. Met if it lies within the
  band widened by the factor, [11.6, 39.6]; "over" above, "under" below.
- **exits**: the model's yearly exit rate is, for each year 2021-2025, the bio-ventures (firm
  table kinds ``startup``, ``public`` and ``medtech``: drug developers, private or listed, and
  device and service firms; not pharma sites and branches) that fail, close or are acquired in the
  year, over those operating at its start (founded by then, not gone before it); the mean of the
  five years, then the median over seeds. The data's band is [0.016, 0.069], the lowest and the
  highest rate. Met if the model's rate lies within the band widened by the factor,
  [0.0107, 0.1035]; "over" above, "under" below.
- Overall: "Japan's flows" if both are met; otherwise the patterns missed are named, and the
  README's GTB results and docs/MISSES.md say so beside the levers' headline.
- Reported, not tested: the rates by kind and by origin (the firms found at the start, those
  founded since, those that moved in), the relocations a year (no figure was found for them), and
  the national count of 2019 against the model's foundings of 2021-2022 read with 2019's band.

Seen before this rule was written: one run of the baseline (seed 1, 2021-2040, the package default
of 730b1bc's model): about 40 foundings and 30-55 relocations a year in 2021-2025, about 50-70
failures a year among about 300 private drug developers, and device and service firms closing
about 15 a year; and the data as a helper found them (experiments/data/README.md).

After the first run (a875f15; nothing of the rule changed): a referee's reading found that the
data file's note on METI's 2018 rate ("the highest yearly rate found") was false, the data hunt
having found 169 closures of 1,773 in 2016 (0.095); that the reported rates by origin averaged
years of one or two firms with years of a hundred; and that the reading rests on the mix of firms
(the ventures found at the start are all drug developers, which exit at about 0.20 a year against
about 0.05 for device and service firms, while JBA's bio-ventures were about a third drug or
diagnostics developers). So the data file marks each row's ``role`` (the first run's rows, which
the rule reads, or rows added after it); the reported rates are pooled over the years with their
firm-years; and the README adds, post hoc and marked so, the exits pattern read on every yearly
rate found, the rate at JBA's mix of 2005 and JBA's bound on drug developers' exit rate (every
exit a drug developer's: closures and mergers over the drug or diagnostics developers' share).
At the regeneration after it (the package default refitted on the remade posterior), 5 ventures of
the 8 seeds grew ``large`` by 2025, which the first run's kinds left out of every year's count: a
drug developer grown large now counts among the drug developers (none had in the first run, whose
numbers this leaves as they were).

Written before the regeneration with the firms found at the start of both kinds (65812af: device,
diagnostics and service firms at medtech_share, 0.55, the others drug developers; before, all drug
developers), which the post hoc reading above had pointed to; nothing of the rule changed. Expected,
from the rates by kind at the default before (drug developers 0.201 a year, device and service firms
0.064) and a stock about 45% drug developers: an exit rate near 0.12 (0.10-0.15 with the refit), so
the exits pattern most likely still missed, over the first run's limit (0.1035), and within the
limit of every yearly rate found (0.143); the foundings of 2023 about as before (42.5, limit 39.6),
at the edge. The fix is of an input (the start's firms read as the constant's source counts them),
not of the pattern: a reading after it is not a clean test of the rule.
Revised before that regeneration ran, after a referee's review of 65812af and a probe of two seeds
at the default before (exits 0.118, foundings of 2023 39.0): Greater Tokyo's and LINK-J's firms at
the start are now of the sourced mix of their own count (`initial_medtech_share` 0.672: one less
JBA's drug or diagnostics developers of 2005), their device firms' staff those of their age under
the growth rule (not uniform) and below JBA's bound on a bio-venture's staff (300). Expected at
that mix: about 0.33 x 0.20 + 0.67 x 0.07 = 0.11, at the first run's limit (0.1035), met or missed
by a little either way; the foundings of 2023 about 39-43, at the edge. Added at the same time, post
hoc: the venture money invested a year in 2021-2025 against Japan's whole life-science investment of
2019 (a row of the data file added after the model's money had been seen in one run; a helper's
search found it), reported, never tested.

Usage:
    python experiments/greater_tokyo_pattern.py [--seeds 8] [--workers 2]
        [--out results/history/greater_tokyo_pattern]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
from siblings import sibling

from ecosim import atomic, calibrate, provenance
from ecosim.constants import fitted
from ecosim.engine import Outcome, Run
from ecosim.money import to_model_usd
from ecosim.scenario import Scenario

history = sibling("history")

DATA = history.ROOT / "experiments" / "data" / "greater_tokyo.csv"
"""The sourced figures (experiments/data/README.md)."""
DATA_COLUMNS = ("pattern", "area", "date", "value", "definition", "source", "note", "role")
PATTERNS = ("foundings", "share", "exits", "mix", "money", "region_money")
REGISTERED = "first run"
"""The role of the rows the rule was run on; rows added after the first run are read post hoc only."""
ROLES = (REGISTERED, "added after the first run")
CLUSTER = "greater_tokyo"
FOUNDINGS_YEAR = 2023
EXIT_YEARS = range(2021, 2026)
UNTIL = max(FOUNDINGS_YEAR, *EXIT_YEARS)
VENTURE_KINDS = ("startup", "public", "large", "medtech")
"""The firm table's kinds counted as bio-ventures: drug developers (private, listed, or grown large:
the table gives a firm's kind at the run's end, so one that grew stays counted in the years before)
and device and service firms; pharma sites and branches are not ventures."""
DRUG_KINDS = ("startup", "public", "large")
DEVICE_KINDS = ("medtech",)
GONE = ("failed", "closed", "acquired")
"""Fates that end a venture: the data count closures and mergers."""
KIND_GROUPS = {"drug developers": DRUG_KINDS, "device and service firms": DEVICE_KINDS}
ORIGIN_GROUPS = {
    "found at the start": ("preexisting",),
    "moved in": ("relocation",),
    "founded since": ("academic", "spinout", "release"),
}
JBA_EXIT_YEARS = ("2013", "2014")
"""The exits rows that count bio-ventures (JBA's), which the post hoc bound on drug developers reads."""
OUTPUTS = frozenset({"firms", "timeseries"})


def load_data(path: Path = DATA) -> pd.DataFrame:
    """The sourced figures, checked."""
    return history.read_sourced(
        path,
        DATA_COLUMNS,
        lambda rows: (
            ~rows["pattern"].isin(PATTERNS)
            | ~rows["role"].isin(ROLES)
            | ~(pd.to_numeric(rows["value"], errors="coerce") > 0)
        ),
    )


def registered(data: pd.DataFrame) -> pd.DataFrame:
    """The rows the rule was run on (the first run's)."""
    return data[data["role"] == REGISTERED]


def national(data: pd.DataFrame, year: int) -> float:
    """The national foundings count of ``year``."""
    rows = data[(data["pattern"] == "foundings") & (data["date"].str[:4] == str(year))]
    if len(rows) != 1:
        raise SystemExit(f"error: {DATA.name} holds {len(rows)} foundings rows of {year}, not one")
    return float(rows["value"].iloc[0])


def band(data: pd.DataFrame, pattern: str) -> tuple[float, float]:
    """The lowest and highest value of ``pattern``'s rows."""
    values = data.loc[data["pattern"] == pattern, "value"].astype(float)
    return float(values.min()), float(values.max())


def founding_band(data: pd.DataFrame, year: int) -> tuple[float, float]:
    """Greater Tokyo's foundings of ``year``: the national count times the lowest and highest share."""
    low, high = band(data, "share")
    count = national(data, year)
    return count * low, count * high


def money_row(data: pd.DataFrame, area: str) -> pd.Series:
    """The ``money`` row of ``area``: a country's or a city's investment a year (USD m, its year's prices)."""
    return data[(data["pattern"] == "money") & (data["area"] == area)].iloc[0]


def limits(low: float, high: float) -> tuple[float, float]:
    """The data's band [low, high] widened by results/history's factor: what a model value meets."""
    return low / history.FACTOR, high * history.FACTOR


def state(value: float, low: float, high: float) -> str:
    """ "met" within [low, high] widened by results/history's factor, else "under" or "over"."""
    lowest, highest = limits(low, high)
    if value < lowest:
        return "under"
    return "over" if value > highest else "met"


def foundings(outcome: Outcome, year: int, column: str = "startups_founded") -> float:
    """``column`` (all foundings, or one channel's ``founded_*``) summed over the months of ``year``."""
    series = outcome.timeseries
    return float(series.loc[series["year"].astype(float).map(math.floor) == year, column].sum())


def exits_and_operating(
    firms: pd.DataFrame, years: range, kinds: tuple[str, ...], origins: tuple[str, ...] | None = None
) -> list[tuple[int, int]]:
    """Each year's exits and the ventures operating at its start (founded by then, not gone before)."""
    part = firms[firms["kind"].isin(kinds)]
    if origins is not None:
        part = part[part["origin"].isin(origins)]
    gone = part["fate"].isin(GONE)
    ended = part["fate_year"].where(gone, math.inf).astype(float)
    founded = part["founded_year"].astype(float)
    counts = []
    for year in years:
        operating = (founded <= year) & (ended >= year)
        counts.append((int((operating & (ended < year + 1)).sum()), int(operating.sum())))
    return counts


def exit_rates(
    firms: pd.DataFrame, years: range, kinds: tuple[str, ...], origins: tuple[str, ...] | None = None
) -> list[float]:
    """Each year's exits over the ventures operating at its start (NaN where none operate)."""
    return [
        left / alive if alive else math.nan
        for left, alive in exits_and_operating(firms, years, kinds, origins)
    ]


def mean_rate(rates: list[float]) -> float:
    """The mean of the years' rates that exist (the rule's rate: each year weighs alike)."""
    known = [r for r in rates if not math.isnan(r)]
    return sum(known) / len(known) if known else math.nan


def pooled(counts: list[tuple[int, int]]) -> tuple[float, int]:
    """Exits over firm-years operating, summed over the years (a year with few firms weighs little),
    and the firm-years."""
    left, alive = (sum(column) for column in zip(*counts, strict=True))
    return (left / alive if alive else math.nan), alive


def median(values: list[float]) -> float:
    """The median of the values that exist (NaN if none)."""
    known = pd.Series([v for v in values if not math.isnan(v)], dtype=float)
    return float(known.median()) if len(known) else math.nan


def spread(values: list[float]) -> str:
    """The seeds' lowest and highest value."""
    return f"{fmt(min(values))}-{fmt(max(values))}"


def fmt(value: float) -> str:
    """A rate with three decimals, a count with one."""
    return f"{value:.3f}" if abs(value) < 1 else f"{value:.1f}"


def yearly_mean(outcome: Outcome, column: str, years: range) -> float:
    """The timeseries' ``column`` summed over the months of ``years``, a year's mean (relocations,
    venture money)."""
    series = outcome.timeseries
    year = series["year"].astype(float).map(math.floor)
    return float(series.loc[year.isin(list(years)), column].sum()) / len(years)


def tested_patterns(outcomes: list[Outcome], data: pd.DataFrame) -> pd.DataFrame:
    """The rule's two patterns, read on the first run's rows (one row each)."""
    rows = registered(data)
    low, high = founding_band(rows, FOUNDINGS_YEAR)
    made = [foundings(o, FOUNDINGS_YEAR) for o in outcomes]
    exit_low, exit_high = band(rows, "exits")
    rates = [mean_rate(exit_rates(o.firms, EXIT_YEARS, VENTURE_KINDS)) for o in outcomes]
    table = []
    for pattern, what, values, data_low, data_high in (
        ("foundings", f"startups founded in Greater Tokyo in {FOUNDINGS_YEAR}", made, low, high),
        (
            "exits",
            f"yearly exit rate of bio-ventures, {EXIT_YEARS[0]}-{EXIT_YEARS[-1]}",
            rates,
            exit_low,
            exit_high,
        ),
    ):
        value = median(values)
        table.append(
            {
                "pattern": pattern,
                "what": what,
                "model": value,
                "seeds": spread(values),
                "data_low": data_low,
                "data_high": data_high,
                "state": state(value, data_low, data_high),
            }
        )
    return pd.DataFrame(table)


def reported(outcomes: list[Outcome], data: pd.DataFrame) -> pd.DataFrame:
    """What is reported beside the rule's patterns, never tested: by kind and origin (pooled over
    the years, with the firm-years behind each), relocations, the foundings of 2021-2022, and the
    readings made after the first run (post hoc, marked so)."""
    rows: list[dict[str, Any]] = []

    def add(
        what: str, values: list[float], firm_years: list[int] | None = None, when: str = "reported"
    ) -> None:
        rows.append(
            {
                "what": what,
                "model": median(values),
                "seeds": spread(values),
                "firm_years": median([float(n) for n in firm_years]) if firm_years else math.nan,
                "when": when,
            }
        )

    by_kind = {}  # each kind's pooled rate a seed, read again by the post hoc mix below
    for label, kinds in KIND_GROUPS.items():
        results = [pooled(exits_and_operating(o.firms, EXIT_YEARS, kinds)) for o in outcomes]
        by_kind[kinds] = [r for r, _ in results]
        add(f"exit rate, pooled: {label}", by_kind[kinds], [n for _, n in results])
    for label, origins in ORIGIN_GROUPS.items():
        results = [pooled(exits_and_operating(o.firms, EXIT_YEARS, VENTURE_KINDS, origins)) for o in outcomes]
        add(f"exit rate, pooled: ventures {label}", [r for r, _ in results], [n for _, n in results])
    add("relocations a year", [yearly_mean(o, "relocations", EXIT_YEARS) for o in outcomes])
    early_low, early_high = founding_band(registered(data), 2019)
    for year in (2021, 2022):
        add(
            f"startups founded in {year} (2019's band: {early_low:.1f}-{early_high:.1f})",
            [foundings(o, year) for o in outcomes],
        )
    # Post hoc: read after the first run (experiments/data/greater_tokyo.csv's rows added after it).
    mix = float(data.loc[data["pattern"] == "mix", "value"].iloc[0])
    drug, device = by_kind[DRUG_KINDS], by_kind[DEVICE_KINDS]
    matched = [mix * d + (1 - mix) * m for d, m in zip(drug, device, strict=True)]
    add(
        f"exit rate at the data's mix ({mix:.3f} drug or diagnostics developers, JBA 2005)",
        matched,
        when="post hoc",
    )
    jba = data[(data["pattern"] == "exits") & data["date"].isin(JBA_EXIT_YEARS)]
    for row in jba.itertuples():
        add(
            f"the data's bound on drug developers' exit rate in {row.date} (every exit a drug developer's): "
            f"{float(row.value):.3f} / {mix:.3f} = {float(row.value) / mix:.3f}; model's drug developers",
            drug,
            when="post hoc",
        )
    money = money_row(data, "japan")
    year = int(str(money["date"])[:4])
    japan = to_model_usd(float(money["value"]), "USD", year)
    add(
        f"venture money invested a year, {EXIT_YEARS[0]}-{EXIT_YEARS[-1]}, USD m at 2000 prices; "
        f"Japan's whole life-science investment of {year}: {japan:.0f}",
        [yearly_mean(o, "vc_invested", EXIT_YEARS) for o in outcomes],
        when="post hoc",
    )
    return pd.DataFrame(rows)


def amended_reading(tested: pd.DataFrame, data: pd.DataFrame) -> str:
    """The exits pattern read on every exits row (those added after the first run too): post hoc."""
    low, high = band(data, "exits")
    rate = float(tested.loc[tested["pattern"] == "exits", "model"].iloc[0])
    widened = "-".join(fmt(v) for v in limits(low, high))
    return f"{state(rate, low, high)} (every yearly rate found, {fmt(low)}-{fmt(high)}; met within {widened})"


def overall(tested: pd.DataFrame) -> str:
    """The overall reading by the rule."""
    missed = tested.loc[tested["state"] != "met", "pattern"].tolist()
    return "Japan's flows" if not missed else "missed: " + ", ".join(missed)


def readme(
    tested: pd.DataFrame, beside: pd.DataFrame, amended: str, manifest: dict[str, Any], scenario: Scenario
) -> str:
    """The folder's README: the tested definitions, the results, the readings after the first run,
    what the comparison cannot tell (``scenario``: the one run, for its firms at the start)."""
    start_share = scenario.existing_medtech_share(fitted().medtech_share)
    lines = [
        "# Greater Tokyo's baseline against Japan's figures",
        "",
        f"Written by `{manifest['command']}` at {manifest['git_commit']} (seeds "
        f"{manifest['seeds'][0]}-{manifest['seeds'][-1]}, the package default, nothing refitted). "
        "The rule was stated and committed before the first run (the docstring of "
        "experiments/greater_tokyo_pattern.py, where it is given in full); the data, with sources and "
        "quotations, are experiments/data/greater_tokyo.csv. A held-out pattern: Greater Tokyo has no "
        "row in src/ecosim/data/targets.csv and nothing here was fitted.",
        "",
        f"- **Foundings**: `startups_founded` summed over {FOUNDINGS_YEAR} (academic, spinout and release "
        "foundings of both kinds of firm; relocations are not foundings) against Japan's health "
        "startups founded that year (MHLW, about 50) times the grid's share of Japan's firms (0.348-0.528).",
        "- **Exits**: the bio-ventures (drug developers, private or listed, and device and service "
        "firms) that fail, close or are bought in a year over those operating at its start, the mean "
        f"of {EXIT_YEARS[0]}-{EXIT_YEARS[-1]}, against the closures and mergers of Japan's bio-ventures "
        "(JBA) and university spin-outs (METI) a year.",
        "- Met within a factor of 1.5 of the data's band; the model's figure is the median over seeds.",
        "",
        f"**Overall: {overall(tested)}.**",
        "",
        "| pattern | model (median over seeds) | seeds | data | read by the rule |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in tested.itertuples():
        data = f"{fmt(row.data_low)}-{fmt(row.data_high)}"
        lines.append(f"| {row.what} | {fmt(row.model)} | {row.seeds} | {data} | {row.state} |")
    lines += [
        "",
        "Reported, not tested (medians over seeds; a pooled rate is exits over the firm-years operating "
        f"at the years' starts, {EXIT_YEARS[0]}-{EXIT_YEARS[-1]}, so a year with few firms weighs little):",
        "",
        "| what | model | seeds | firm-years |",
        "| --- | --- | --- | --- |",
    ]
    for row in beside[beside["when"] == "reported"].itertuples():
        years = "" if math.isnan(row.firm_years) else f"{row.firm_years:.0f}"
        lines.append(f"| {row.what} | {fmt(row.model)} | {row.seeds} | {years} |")
    lines += [
        "",
        "## After the first run (post hoc, outside the rule)",
        "",
        "A referee's reading of the first run found rows the data hunt had and the first run's file "
        "left out, and a reading the rule does not make: the model's ventures and the data's are of "
        "different mixes. Rows added to the data file after the first run are marked `added after the "
        "first run`; the rule reads only the others.",
        "",
        f"- The exits pattern read on every yearly rate found: **{amended}**.",
    ]
    for row in beside[beside["when"] == "post hoc"].itertuples():
        lines.append(f"- {row.what}: {fmt(row.model)} (seeds {row.seeds}).")
    lines += [
        "",
        "What the comparison cannot tell: the data count formal closures and mergers of firms a survey "
        "already knew (dormant firms and firms never found are missed, so the data's rates are if "
        "anything low), while a model firm fails the month its cash runs out or its board gives up; "
        "JBA's rates divide by the stock at the survey after the year (at the survey before: 0.024 and "
        "0.015); the shares are shares of stocks applied to a flow of foundings, and 0.528 is Kanto's "
        "share of university spin-outs of every field, an upper bound only if health spin-outs are "
        "spread as the rest are; MHLW's four fields hold medical data and care technology and leave "
        "out research services, which the model's service firms hold; the latest foundings are "
        "counted low at first (surveys find a year's firms in later years), so 2023's 50 may rise. "
        "The ventures the model finds at the start are device, diagnostics or service firms at the "
        f"scenario's `initial_medtech_share` ({start_share:.3f}: one less JBA's drug or diagnostics "
        "developers of 2005, 174 of 531) and drug developers otherwise (before 65812af, all drug "
        "developers).",
    ]
    return "\n".join(lines) + "\n"


def seeds_parser(description: str, name: str) -> argparse.ArgumentParser:
    """The options of a script that runs Greater Tokyo over seeds 1..N (this one's, and the scans that
    read it as this one does): --seeds, --workers, --out (default results/history/NAME)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--out", type=Path, default=history.ROOT / "results" / "history" / name)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the baseline over the seeds and write the folder."""
    parser = seeds_parser(__doc__.splitlines()[0], "greater_tokyo_pattern")
    args = history.parse_runs_args(parser, argv)
    started = time.monotonic()
    data = load_data()
    scenario: Scenario = history.scenario_of(CLUSTER)
    seeds = list(range(1, args.seeds + 1))
    runs = [Run(scenario, s, until=UNTIL, outputs=OUTPUTS) for s in seeds]
    outcomes = history.run_or_stop(runs, args.workers, [f"{scenario.name} with seed {s}" for s in seeds])
    tested = tested_patterns(outcomes, data)
    beside = reported(outcomes, data)
    amended = amended_reading(tested, data)
    manifest = {
        **provenance.base_manifest(
            ["python", "experiments/greater_tokyo_pattern.py", *(argv if argv is not None else sys.argv[1:])]
        ),
        "seeds": seeds,
        "until": UNTIL,
        "scenarios": {CLUSTER: scenario.digest()},
        "data_files": calibrate.file_hash([DATA]),
        "seconds": round(time.monotonic() - started, 1),
    }
    with atomic.staged_dir(args.out) as stage:
        tested.to_csv(stage / "patterns.csv", index=False)
        beside.to_csv(stage / "reported.csv", index=False)
        atomic.write_json(stage / "manifest.json", manifest)
        atomic.write_text(stage / "README.md", readme(tested, beside, amended, manifest, scenario))
    print(f"{overall(tested)}; wrote {args.out}/ in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
