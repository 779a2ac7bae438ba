"""Would Greater Tokyo raise its region's venture money, and found and keep Japan's ventures,
with venture finance of Japan's size?

results/history/greater_tokyo_pattern finds Greater Tokyo's foundings of 2023 over Japan's (a
held-out pattern) and, post hoc, its venture money a year of 2021-2025 about Japan's whole
life-science investment of 2019. The model's venture finance is the US's, the same constants in
every scenario: rounds sized on US venture rounds (``round_size_musd``, docs/EVIDENCE.md section
5), a listing raising a quarter of its value (``ipo_raise_share``), founders of a firm that exits
for USD 150 m or more opening a fund of a tenth of its value (``release_vc_share``, the Hybritech
founders' pattern), VCs that move in with USD 150 m funds and raise funds of up to USD 1 bn from
their returns (``vc_fund_musd``, ``vc_fund_max_musd``), and outside investors' money sized on
Boston's (``outside_capital_musd_year``).

Read before this rule was written: one to three seeds of Greater Tokyo at the default of 9510643,
2021-2025, not kept: USD 500-760 m a year at 2000 prices, of which the local VCs the scenario names
160-350 m (their funds refilled from returns), funds opened by founders of firms that had exited
160-280 m (3-4 such funds in five years, after 6-10 listings), VCs that moved in 0-240 m and
investors from outside the region 0-130 m; 119 rounds in seed 1, a mean of USD 27 m. And a helper's
search of Japan's venture finance (docs/EVIDENCE.md section 9, where each figure below is quoted
with its source).

This scan runs Greater Tokyo (2021-2025) and the four Japanese scenarios with end points (Kobe,
King Skyfront, Shonan, LINK-J; to their end points) at the package default with those inputs set
to Japan's, one group at a time and all together (``points``, each with its source), nothing
refitted, seeds 1-8 (Greater Tokyo's default reproduces results/history/greater_tokyo_pattern).

Stated before running (any can come out):
- **money**: Greater Tokyo's venture money a year, 2021-2025 (``vc_invested``), against the
  Greater Tokyo Biocommunity's own estimate of the investment in its region's bio-ventures, JPY 33
  bn a year (its activity plan of June 2022; experiments/data/greater_tokyo.csv, row
  ``region_money``), met within a factor of 1.5 either way (results/history's factor);
- **foundings** and **exits**: greater_tokyo_pattern's rule and limits, unchanged;
- **end points**: the Japanese scenarios' end points within +-25% (the calibration's bar), median
  over the seeds, counted.
- If ``Japan's finance`` (every input at Japan's) meets the money, the foundings, the exits and as
  many Japanese end points as the default: US-sized venture finance is why Greater Tokyo's flows
  are not Japan's; the next model change makes venture finance a scenario input (sourced per
  country) and refits.
- If it meets the money but the foundings stay over: venture money is not what drives Greater
  Tokyo's foundings over Japan's (they follow research, spinouts and releases).
- If it meets the money and the patterns but fewer Japanese end points than the default: Japan's
  finance pulls against the fitted constants; only a refit with it can tell.
- If it does not meet the money: the named inputs are not, together, why Greater Tokyo raises more
  than its region's estimate (the table says what each group does alone).

Usage:
    python experiments/japan_money_scan.py [--seeds 8] [--workers 2]
        [--out results/history/japan_money_scan]
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

pattern = sibling("greater_tokyo_pattern")
history = pattern.history

JAPANESE = ("kobe", "king_skyfront", "shonan", "link_j")
"""The Japanese scenarios whose end points the calibration fits."""
OUTPUTS = frozenset({"firms", "timeseries", "summary"})
FOUNDING_ORIGINS = ("academic", "spinout", "release")
"""The channels of a founding (greater_tokyo_pattern counts all three), reported apart."""

Points = tuple[tuple[str, str, dict[str, Any]], ...]


ROUNDS = (0.2, 0.2, 0.15, 0.15)
"""Japan's rounds over the model's, by stage (seed, early, clinical, late): no median round of
Japan's bio-ventures by stage was found; single rounds and the funds' planned tickets put a Series A
at JPY 0.3-1 bn (Luxna Biotech's of 2020, JPY 0.65 bn, is 0.16 of the model's early round) and
later rounds at a few hundred million to a billion yen (Nikkei Biotech, December 2019: mid and late
rounds of 「数億円規模」 are what is scarce): about 0.15-0.25 at seed and early, 0.1-0.2 later; the
ranges' middles (docs/EVIDENCE.md section 9)."""
IPO_RAISE = 0.14
"""Share of its value a Japanese listing raises: the pharma listings of Tokyo's Growth market of
January 2022-August 2024 had an offering ratio of 14% on average (「オファリングレシオ ... 平均で14%程度」,
ktogami-accounting, September 2024)."""
FUND = 50.0
"""A Japanese life-science VC's fund, USD m at 2000 prices: the funds found of the 2010s-20s were
30-120 (Beyond Next Ventures' first, JPY 5.0 bn in 2016, 34; Fast Track Initiative's third, JPY 13
bn in 2022, 60.5), every new Japanese VC fund 32-41 on average (VEC, 2019-2020): a third of the
model's 150."""
FUND_MAX = 170.0
"""The largest Japanese fund found, UTokyo IPC's first (JPY 25 bn, 2016; not bio alone), USD m at
2000 prices: the ceiling of a fund raised from returns in place of the model's 1,000."""
OUTSIDE = 0.7 / 22.0
"""Japan's life-science investment of 2019 over the US's, USD 0.7 bn against 22 bn (Shonan Health
Innovation Park's analysis, Mix Online, 22 July 2020): outside investors' money scaled as the
countries' totals are."""


FINANCE = "Japan's finance"
"""The point with every input at Japan's, which the rule reads."""


def points() -> Points:
    """The scan's points: a label, what it sets and why, and the constants it sets."""
    c = fitted()
    groups = {
        "Japan's rounds": (
            "rounds x0.2 at seed and early, x0.15 at the clinical and late stages (single Japanese "
            "rounds and the funds' tickets)",
            {
                "round_size_musd": tuple(
                    round(s * r, 6) for s, r in zip(c.round_size_musd, ROUNDS, strict=True)
                )
            },
        ),
        "Japan's listings": (
            f"a listing raises {IPO_RAISE:g} of its value (Tokyo Growth market's offering ratio)",
            {"ipo_raise_share": IPO_RAISE},
        ),
        "no founders' funds": (
            "no founder of an exited firm opens a fund (none found in Japan's bio-ventures)",
            {"release_vc_share": 0.0},
        ),
        "Japan's funds": (
            f"funds of {FUND:g} arriving, at most {FUND_MAX:g} raised from returns, USD m (Japanese "
            "life-science funds)",
            {"vc_fund_musd": FUND, "vc_fund_max_musd": FUND_MAX},
        ),
        "Japan's outside money": (
            f"outside investors' money x{OUTSIDE:.3f} (Japan's life-science investment over the US's)",
            {"outside_capital_musd_year": round(c.outside_capital_musd_year * OUTSIDE, 6)},
        ),
    }
    together = {k: v for _, constants in groups.values() for k, v in constants.items()}
    return (
        ("default", "the package default (US venture finance)", {}),
        *((label, what, constants) for label, (what, constants) in groups.items()),
        (FINANCE, "all of the above", together),
    )


def money_band(data: pd.DataFrame) -> tuple[float, float]:
    """Greater Tokyo's venture money a year that its region's estimate allows, USD m at 2000 prices:
    the estimate within results/history's factor either way (the module docstring's rule)."""
    row = data[data["pattern"] == "region_money"].iloc[0]
    value = to_model_usd(float(row["value"]), "JPY", int(str(row["date"])[:4]))
    return value / history.FACTOR, value * history.FACTOR


def greater_tokyo_row(outcomes: list[Outcome], data: pd.DataFrame) -> dict[str, Any]:
    """One point's Greater Tokyo readings: money, foundings, exits (by the pattern's rule)."""
    tested = pattern.tested_patterns(outcomes, data)
    row: dict[str, Any] = {}
    for name in ("foundings", "exits"):
        line = tested[tested["pattern"] == name].iloc[0]
        row[name] = line["model"]
        row[f"{name}_seeds"] = line["seeds"]
        row[f"{name}_state"] = line["state"]
    money = [pattern.yearly_mean(o, "vc_invested", pattern.EXIT_YEARS) for o in outcomes]
    low, high = money_band(data)
    row["money"] = pattern.median(money)
    row["money_seeds"] = pattern.spread(money)
    row["money_state"] = "under" if row["money"] < low else "over" if row["money"] > high else "met"
    drug = [
        pattern.pooled(pattern.exits_and_operating(o.firms, pattern.EXIT_YEARS, pattern.DRUG_KINDS))[0]
        for o in outcomes
    ]
    row["drug_exits"] = pattern.median(drug)
    for origin in FOUNDING_ORIGINS:
        row[f"founded_{origin}"] = pattern.median([founded(o.firms, origin) for o in outcomes])
    return row


def founded(firms: pd.DataFrame, origin: str) -> float:
    """Firms of ``origin`` founded in the foundings' year (reported: which channel a point moves)."""
    year = firms["founded_year"].astype(float).map(math.floor)
    return float(((firms["origin"] == origin) & (year == pattern.FOUNDINGS_YEAR)).sum())


def end_point_rows(label: str, cluster: str, outcomes: list[Outcome]) -> list[dict[str, Any]]:
    """One point's end points of ``cluster``: model (median over seeds) against the figure."""
    scenario = history.scenario_of(cluster)
    rows = []
    for target in calibrate.END_POINTS:
        if target.cluster != cluster:
            continue
        values = [history.model_value(target, o, scenario) for o in outcomes]
        model = pattern.median(values)
        rows.append(
            {
                "point": label,
                "figure": target.label,
                "data": target.value,
                "model": model,
                "ratio": model / target.value,
                "within_25pct": target.met(model, 0.75, 1.25),
            }
        )
    return rows


def run_points(
    seeds: list[int], workers: int, clusters: tuple[str, ...]
) -> tuple[list[list[Outcome]], list[list[list[Outcome]]]]:
    """Every point's Greater Tokyo outcomes and those of its Japanese scenarios (``clusters``, in
    their order)."""
    tokyo = history.scenario_of(pattern.CLUSTER)
    japanese = [history.scenario_of(c) for c in clusters]
    runs, where = [], []
    for label, _, constants in points():
        overrides = tuple(sorted(constants.items()))
        for scenario in (tokyo, *japanese):
            until = pattern.UNTIL if scenario is tokyo else None
            for s in seeds:
                runs.append(Run(scenario, s, until=until, constants=overrides, outputs=OUTPUTS))
                where.append(f"{scenario.name} at {label} with seed {s}")
    outcomes = history.run_or_stop(runs, workers, where)
    per = len(seeds)
    tokyo_out, japan_out = [], []
    for p in range(len(points())):
        block = outcomes[p * per * (1 + len(clusters)) : (p + 1) * per * (1 + len(clusters))]
        tokyo_out.append(block[:per])
        japan_out.append([block[per * (1 + i) : per * (2 + i)] for i in range(len(clusters))])
    return tokyo_out, japan_out


def summary(
    tokyo: list[list[Outcome]],
    japan: list[list[list[Outcome]]],
    data: pd.DataFrame,
    clusters: tuple[str, ...],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The points' table (Greater Tokyo's readings and the end points met) and the end points."""
    rows, ends = [], []
    for (label, what, _), tokyo_out, japan_out in zip(points(), tokyo, japan, strict=True):
        mine = [
            r
            for cluster, out in zip(clusters, japan_out, strict=True)
            for r in end_point_rows(label, cluster, out)
        ]
        ends += mine
        rows.append(
            {
                "point": label,
                "what": what,
                **greater_tokyo_row(tokyo_out, data),
                "end_points_within_25pct": sum(r["within_25pct"] for r in mine),
                "end_points": len(mine),
            }
        )
    return pd.DataFrame(rows), pd.DataFrame(ends)


def verdict(table: pd.DataFrame) -> list[str]:
    """The reading, by the rule stated in the module docstring."""
    default = table[table["point"] == "default"].iloc[0]
    finance = table[table["point"] == FINANCE].iloc[0]
    where = f"(`{FINANCE}`: {reading(finance)}; the default: {reading(default)})"
    if finance["money_state"] != "met":
        alone = table[(table["money_state"] == "met") & (table["point"] != FINANCE)]
        named = ", ".join(f"`{p}`" for p in alone["point"]) or "no group alone"
        return [
            f"Japan's finance leaves Greater Tokyo's venture money outside its region's estimate {where} "
            f"(within it: {named}): by the rule, the named inputs are not, together, why Greater Tokyo "
            "raises more than its region's estimate."
        ]
    if finance["foundings_state"] == "over":
        return [
            f"Japan's finance brings Greater Tokyo's venture money within its region's estimate, but its "
            f"foundings of {pattern.FOUNDINGS_YEAR} stay over {where}: by the rule, venture money is not "
            "what drives Greater Tokyo's foundings over Japan's."
        ]
    if finance["foundings_state"] != "met" or finance["exits_state"] != "met":
        return [
            f"Japan's finance brings Greater Tokyo's venture money within its region's estimate, its "
            f"foundings not over, but misses a pattern {where}: a reading the rule did not name."
        ]
    if finance["end_points_within_25pct"] >= default["end_points_within_25pct"]:
        return [
            f"Japan's finance meets Greater Tokyo's venture money, foundings and exits and as many "
            f"Japanese end points as the default {where}: by the rule, US-sized venture finance is why "
            "Greater Tokyo's flows are not Japan's; the next model change makes venture finance a "
            "scenario input, sourced per country, and refits."
        ]
    return [
        f"Japan's finance meets Greater Tokyo's venture money, foundings and exits but fewer Japanese "
        f"end points than the default {where}: by the rule, Japan's finance pulls against the fitted "
        "constants, and only a refit with it can tell."
    ]


def reading(row: pd.Series) -> str:
    """A point's readings in a phrase: money, foundings, exits, end points met."""
    return (
        f"USD {row['money']:.0f} m a year ({row['money_state']}), foundings {pattern.fmt(row['foundings'])} "
        f"({row['foundings_state']}), exits {pattern.fmt(row['exits'])} ({row['exits_state']}), "
        f"{row['end_points_within_25pct']} of {row['end_points']} Japanese end points"
    )


def readme(table: pd.DataFrame, ends: pd.DataFrame, data: pd.DataFrame, manifest: dict[str, Any]) -> str:
    """The folder's README: the question, the stated rule, the verdict and the tables."""
    low, high = money_band(data)
    found_low, found_high = pattern.founding_band(pattern.registered(data), pattern.FOUNDINGS_YEAR)
    exit_low, exit_high = pattern.band(pattern.registered(data), "exits")
    f = history.FACTOR
    lines = [
        "# Japan's venture finance: would Greater Tokyo's flows be Japan's?",
        "",
        f"Produced by `{manifest['command']}` at git commit `{manifest['git_commit']}`: seeds "
        f"{manifest['seeds'][0]}-{manifest['seeds'][-1]} per scenario and point, the package's fitted "
        "constants with the point's, nothing refitted; Greater Tokyo to "
        f"{pattern.UNTIL}, the Japanese scenarios to their end points. What each reading would mean was "
        "written in experiments/japan_money_scan.py before it ran; the data, with sources and quotations, "
        "are experiments/data/greater_tokyo.csv.",
        "",
        "## Reading",
        "",
        *verdict(table),
        "",
        f"Limits: venture money a year {low:.0f}-{high:.0f} USD m at 2000 prices (the region's estimate "
        f"within the factor); foundings of "
        f"{pattern.FOUNDINGS_YEAR} {pattern.fmt(found_low / f)}-{pattern.fmt(found_high * f)}; exits "
        f"{pattern.fmt(exit_low / f)}-{pattern.fmt(exit_high * f)} (results/history/greater_tokyo_pattern's "
        "limits). Medians over seeds, the seeds' range in brackets.",
        "",
        "| point | what it sets | venture money a year | foundings | exits | drug developers' exits "
        "(pooled, reported) | foundings by channel: academic, spinout, release (reported) | "
        "Japanese end points within 25% |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in table.itertuples():
        lines.append(
            f"| {r.point} | {r.what} | {r.money:.0f} [{r.money_seeds}] {r.money_state} | "
            f"{pattern.fmt(r.foundings)} [{r.foundings_seeds}] {r.foundings_state} | "
            f"{pattern.fmt(r.exits)} [{r.exits_seeds}] {r.exits_state} | {pattern.fmt(r.drug_exits)} | "
            f"{r.founded_academic:.0f}, {r.founded_spinout:.0f}, {r.founded_release:.0f} | "
            f"{r.end_points_within_25pct} of {r.end_points} |"
        )
    lines += [
        "",
        "## The Japanese end points",
        "",
        "| point | figure | data | model | model/data |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for r in ends.itertuples():
        lines.append(f"| {r.point} | {r.figure} | {r.data:,.0f} | {r.model:,.0f} | x{r.ratio:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run every point, scenario and seed and write the folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--japanese",
        nargs="+",
        choices=JAPANESE,
        default=list(JAPANESE),
        help="the Japanese scenarios whose end points are read (default: all four)",
    )
    parser.add_argument("--out", type=Path, default=history.ROOT / "results" / "history" / "japan_money_scan")
    args = history.parse_runs_args(parser, argv)
    started = time.monotonic()
    data = pattern.load_data()
    seeds = list(range(1, args.seeds + 1))
    clusters = tuple(args.japanese)
    tokyo, japan = run_points(seeds, args.workers, clusters)
    table, ends = summary(tokyo, japan, data, clusters)
    manifest = {
        **provenance.base_manifest(
            ["python", "experiments/japan_money_scan.py", *(argv if argv is not None else sys.argv[1:])]
        ),
        "seeds": seeds,
        "points": {
            label: {k: list(v) if isinstance(v, tuple) else v for k, v in c.items()}
            for label, _, c in points()
        },
        "scenarios": {c: history.scenario_of(c).digest() for c in (pattern.CLUSTER, *clusters)},
        "data_files": calibrate.file_hash([pattern.DATA]),
        "seconds": round(time.monotonic() - started, 1),
    }
    with atomic.staged_dir(args.out) as stage:
        table.to_csv(stage / "points.csv", index=False)
        ends.to_csv(stage / "end_points.csv", index=False)
        atomic.write_json(stage / "manifest.json", manifest)
        atomic.write_text(stage / "README.md", readme(table, ends, data, manifest))
    print(f"wrote {args.out}/ in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
