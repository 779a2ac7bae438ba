"""Would a national market whose hot windows pull companies public, refitted, follow the history better?

On the national market for listings as built (mechanisms/listing_market.py), a dry year takes its
share of the bids, but a hot one only takes every bid: it never lists a company that its own odds
would not. Refitted on it, the model meets the dated IPO counts of 2012-2018 but the Bay Area's and
San Diego's listed stock falls to x0.21-0.44 of Ernst & Young's counts of 2001-2012, its companies
list after about six years or more and its jobs fall (results/history/market_rounds_refit); over
the 1990s every point lists few companies (17-22.5 in the Bay Area, results/history/listing_eras),
when the country's biotech market had its windows (35 IPOs in 1991, 64 in 1996, 65 in 2000:
src/ecosim/data/national_listings.csv) and biotech companies went public when equity values were
high (Lerner 1994, Journal of Financial Economics 35: 293-316). ``hot_window_pull`` (a new
constant, 0 at the default) lets a hot window pull companies public beyond their own odds: when
the month's listings on offer are r > 1 times the country's bids, each bid is taken
1 + pull x (r - 1) times (a company's monthly odds multiplied by it, capped at 1). r compares the
country's listings per private company with the region's average odds (the rest of the country is
taken to bid like the region's average company), so it is high in a hot national year and also
where the region's companies are mostly too young to list; at a pull of 1 the region lists its
head-count share of the country's listings every month, and the level of ``ipo_rate_year`` then
matters only in dry months. The series interpolates the years it does not hold (1994-1995 between
1993's 34 and 1996's 64, though 1994 was a trough). No rate of the pull is sourced, so this
experiment lets the fit choose it (box 0.01-1, started at 0.3: from its floor a Jacobian step of 0.4
log units would move it too little to be seen): the fifteen constants and ``hot_window_pull``
refitted from the package point with the market on (`ecosim calibrate --free hot_window_pull`; the
package calibration's budget, 3 seeds, 51 evaluations, no leave-one-out), on the US scenarios with
`listing_market: us` (copies written beside the run store), then the default and the refit compared
on every dated figure of the three US clusters (experiments/history.py's comparison and seeds) and
on the 13 end points. Set beside results/history/market_rounds_refit's ``market refit`` (the fifteen
alone on the same market; a different fit path and budget, so not a clean isolation of the pull).

The rule, stated before the refit first ran (this docstring, committed before any run of this
script; medtech_refit's rule): the refit replaces the package default (the US scenarios naming
the market, hot_window_pull joining constants.FREE, and the posterior and the whole chain remade
on it) only if it meets (i) at least as many of the 13 end points within +-25% as the default,
(ii) at least as many in-sample dated figures within x1.5, (iii) more out-of-sample figures
within x1.5, and (iv) the exit-timing pattern (median IPO under 6 years, before acquisitions) in
all three US clusters. Otherwise the default stays and the refit is a probe. Reported beside the
rule: the fitted pull and where it sits in its box (a pull at the floor is read as the pull
unused, not as a verdict on it), the dated IPO counts, Boston's venture money and the jobs
(market_rounds_refit's lines). The prediction the mechanism makes, stated here before the run and
read beside the rule: if the pull is fitted above its floor, the Bay Area's and San Diego's held-out
listed stock (x0.21-0.44 of Ernst & Young's counts of 2001-2012 on the market without it) rises,
to a median ratio over those eight figures above 0.5; listing_eras found the stock lost over
2000-2012, when most years' national listings were few (r likely under 1, where the pull does
nothing), so the prediction may well fail. This is the sixth look at the US market for listings,
conceived after market_rounds_refit and listing_eras had read the held-out listed stock, so part
(iii) is not a clean test of it. No variant follows from this experiment.

Usage:
    python experiments/window_refit.py [--seeds 8] [--workers 2] [--fit-seeds 3] [--maxfev 48]
        [--report-seeds 8] [--quick] [--until YEAR] [--store runs/window_refit-store]
        [--out results/history/window_refit]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
from siblings import sibling

from ecosim.constants import FITTED_FILE, FREE

medtech_refit = sibling("medtech_refit")
market = sibling("listing_market_refit")
rounds = sibling("market_rounds_refit")
scan = medtech_refit.scan
history = scan.history

STORE = Path("runs") / "window_refit-store"
"""Where the refit keeps its finished runs (and its scenario files), so that a killed run resumes."""
FREED = "hot_window_pull"
"""The constant freed beside constants.FREE."""
CHALLENGER = "window refit"
"""The refit the rule judges."""
START = 0.3
"""Where the fit starts the pull (the docstring says why not at its floor)."""


def points_of(record: dict[str, Any]) -> tuple[scan.Points, scan.Points]:
    """The point run without the market (the package default) and the refit's, run with it."""
    before = (("default", "the package default, no national market for listings", {}),)
    after = (
        (
            CHALLENGER,
            f"the national market for listings, its hot windows pulling companies public "
            f"({FREED} {record['constants'][FREED]:.3g}), the fifteen constants and the pull refitted",
            dict(record["constants"]),
        ),
    )
    return before, after


def verdict(table: pd.DataFrame) -> list[str]:
    """The rule stated in the module docstring."""
    return medtech_refit.rule_verdict(
        table,
        CHALLENGER,
        "the US scenarios naming the market, hot_window_pull joining constants.FREE, and the posterior "
        "and the whole chain remade on it",
    )


def fitted_pull(manifest: dict[str, Any]) -> str:
    """The pull the refit chose, and where it sits in its box."""
    return rounds.box_line(manifest["points"][CHALLENGER][FREED], FREED, "The refit's pull")


STOCK = (("bay_area", "firms_listed"), ("san_diego", "firms_listed"))
"""The held-out listed stock the prediction reads (the Bay Area's and San Diego's)."""
PREDICTED = 0.5
"""The prediction: the median model/data ratio of that stock above this."""


def stock_medians(figures: pd.DataFrame) -> dict[str, float]:
    """Per point, the median model/data ratio of the held-out listed stock the prediction reads."""
    read = figures[
        figures[["cluster", "metric"]].apply(tuple, axis=1).isin(STOCK)
        & (figures["sample"] == "out-of-sample")
    ]
    return {point: round(float(part["ratio"].median()), 3) for point, part in read.groupby("point")}


def stock_figures(figures: pd.DataFrame, point: str) -> int:
    """How many of the held-out listed stock figures the prediction reads ``point`` has."""
    return int(
        (
            figures["point"].eq(point)
            & figures["metric"].eq("firms_listed")
            & figures["cluster"].isin([c for c, _ in STOCK])
            & figures["sample"].eq("out-of-sample")
        ).sum()
    )


def prediction(manifest: dict[str, Any], challenger: str = CHALLENGER) -> str:
    """The mechanism's prediction (the docstring) for ``challenger``, read."""
    value = manifest["listed_stock_median"].get(challenger)
    if value is None:
        return "The prediction cannot be read: the runs end before the listed stock's figures."
    held = "holds" if value > PREDICTED else "fails"
    return (
        f"The prediction {held}: the Bay Area's and San Diego's held-out listed stock at x{value:.2f} of the "
        f"data's (median of {manifest['listed_stock_figures']}; above {PREDICTED} predicted; the default "
        f"x{manifest['listed_stock_median'].get('default', float('nan')):.2f})."
    )


def readme(table: pd.DataFrame, manifest: dict[str, Any]) -> str:
    """The folder's README: the question, the rule's reading, what is reported beside it, and the table."""
    reading = [
        *verdict(table),
        "",
        *rounds.beside(table),
        "",
        fitted_pull(manifest),
        "",
        prediction(manifest),
    ]
    return medtech_refit.refit_readme(
        table,
        manifest,
        "# A national market whose hot windows pull companies public, refitted",
        "window_refit",
        reading,
    )


def main(argv: list[str] | None = None) -> int:
    """Refit with the market and the pull freed, run both points on the US clusters and write the folder."""
    parser = medtech_refit.refit_parser(
        __doc__.splitlines()[0], Path("results") / "history" / "window_refit", STORE
    )
    parser.set_defaults(maxfev=3 * (len(FREE) + 1))
    args = medtech_refit.parse_refit_args(parser, argv)
    started = time.monotonic()
    command = ["python", "experiments/window_refit.py", *(argv if argv is not None else sys.argv[1:])]
    seeds = list(range(1, args.seeds + 1))
    bare, scenarios = market.us_scenarios()
    package = json.loads(FITTED_FILE.read_text(encoding="utf-8"))
    folder = market.market_copies(args.store)
    wider = rounds.freeing_one(args)
    record = medtech_refit.refit(
        args.out / "calibration",
        wider,
        command,
        held={FREED: START},
        scenario_dir=folder,
        free=(*FREE, FREED),
    )
    before, after = points_of(record)
    points, figure_table, timing_table = medtech_refit.compare_on(
        ((before, bare), (after, scenarios)), seeds, args
    )
    ends = {
        "default": medtech_refit.package_end_points(package),
        CHALLENGER: record["end_points_within_25pct"],
    }
    run = scan.run_record(points, scenarios, seeds, args.until) | {
        "freed": [FREED],
        "maxfev": wider.maxfev,
        "start": {FREED: START},
        "listed_stock_median": stock_medians(figure_table),
        "listed_stock_figures": stock_figures(figure_table, CHALLENGER),
        "scenarios_without_market": {c: s.digest() for c, s in bare.items()},
    }
    compared = (points, figure_table, timing_table, ends)
    return medtech_refit.write_refit(args, command, run, compared, started, readme, verdict)


if __name__ == "__main__":
    raise SystemExit(main())
