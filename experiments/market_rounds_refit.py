"""Would the national market for listings with the rounds' level freed, refitted, follow the history better?

The national market for listings (mechanisms/listing_market.py: each month a twelfth of the
country's biotech IPOs of the year, rationed between the region's bids and those of the country's
other private biotech companies) brought the dated IPO counts from x2.25 to x0.97 of the data
when the fourteen constants of the day were refitted with it, and met 25 out-of-sample figures
against the default's 21; it failed its rule by the Bay Area's median time to IPO (6.0 years, the
reference under 6), one end point and one in-sample figure (results/history/listing_market_refit,
at 241c800). Run through the whole calibration pipeline (results/history/us_market_pipeline) the
market met the timing and the IPO counts (x1.03) but lost jobs (x0.61 of the dated counts against
the default's x0.78) and figures (36 met together against 45). Where fewer companies list, the
jobs the model's listed companies carry must be paid for by private money
(results/history/private_growth_scan: listing odds fading with every round twice the size keep
most of the jobs that fading alone loses), and larger rounds also pay for faster milestones, so
for earlier listings. The rounds' level is an assumption
(Constants.round_size_musd, 2000s-typical; data/round_sizes.csv's index is of all sectors'
rounds, biotech's larger), so this experiment lets the fit choose it from the figures it may see:
``round_size_multiple`` (every round, in every era, as a multiple of the sizes; box 0.25-4) freed
beside the fifteen constants (``ecosim calibrate --free round_size_multiple``).

Two refits from the package point with the market on (the US scenarios with `listing_market: us`,
written by this script beside its run store as files that extend the repository's), each at the
package calibration's budget (3 seeds, 3 x (free constants + 1) evaluations: 48 and 51, no
leave-one-out), then three points compared on every dated figure of the three US clusters
(experiments/history.py's comparison and seeds) and on the 13 end points:

- ``default``: the package default without the market (results/history's model);
- ``market refit``: the market with the fifteen refitted, listing_market_refit's refit on today's
  model: reported beside the rule, not judged (that experiment's rule allowed no further variant);
  it says what the freed rounds add;
- ``market and rounds refit``: the market with the fifteen and ``round_size_multiple`` refitted:
  judged.

The rule, stated before either refit first ran (this docstring, committed before any run of this
script; medtech_refit's rule): the market and rounds refit replaces the package default (the US
scenarios naming the market, round_size_multiple joining constants.FREE, and the posterior and
the whole chain remade on it) only if it meets (i) at least as many of the 13 end points within
+-25% as the default, (ii) at least as many in-sample dated figures within x1.5, (iii) more
out-of-sample figures within x1.5, and (iv) the exit-timing pattern (median IPO under 6 years,
before acquisitions) in all three US clusters. Otherwise the default stays and the refit is a
probe. Reported beside the rule, not part of it: the fitted multiple, the dated IPO counts (all
out of sample) and Boston's venture money of 2017-19 (out of sample, x0.51 at the default), which
larger rounds move. No variant follows from this experiment.

Corrections (6 December 2026, from a referee's reading after the first run at f3d66e3; the rule
and the runs unchanged, the run repeated for its README's money column, which a wrong key had left
empty): Boston's venture money of 2017-19 is x0.89 at today's default, met (x0.51 was an earlier
default's); private_growth_scan's larger rounds recovered about a fifth of the jobs that fading
alone lost (x0.63 -> x0.67 with rounds twice the size; x0.81 at the default), not most. This is
the fifth look at the US market for listings (listing_market_refit's two runs and its repeat,
us_market_pipeline), and the freed constant was chosen after those looks and the scans of rounds
had read the out-of-sample figures, so part (iii) is not a clean test of it. The multiple scales
every use of a round's size: the rounds, and with them the value of a company at a stage
(exits.valuation: an acquisition's price, a listing's proceeds), follow-on offerings and
partnership payments, as vc_money_scan's and private_growth_scan's larger rounds did.

Usage:
    python experiments/market_rounds_refit.py [--seeds 8] [--workers 2] [--fit-seeds 3] [--maxfev 48]
        [--report-seeds 8] [--quick] [--until YEAR] [--store runs/market_rounds_refit-store]
        [--out results/history/market_rounds_refit]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
from siblings import sibling

from ecosim.calibrate import BOUNDS
from ecosim.constants import FITTED_FILE, FREE

medtech_refit = sibling("medtech_refit")
market = sibling("listing_market_refit")
scan = medtech_refit.scan
history = scan.history

STORE = Path("runs") / "market_rounds_refit-store"
"""Where the refits keep their finished runs (and their scenario files), so that a killed run resumes."""
FREED = "round_size_multiple"
"""The constant freed beside constants.FREE."""
REPORTED = "market refit"
"""The refit of the fifteen with the market: reported, not judged."""
CHALLENGER = "market and rounds refit"
"""The refit the rule judges."""


def points_of(fifteen: dict[str, Any], sixteen: dict[str, Any]) -> tuple[scan.Points, scan.Points]:
    """The point run without the market (the package default) and the two refits' points, run
    with it (``fifteen`` and ``sixteen``: the refits' records)."""
    before = (("default", "the package default, no national market for listings", {}),)
    after = (
        (
            REPORTED,
            "the national market for listings, the fifteen constants refitted (reported, not judged)",
            dict(fifteen["constants"]),
        ),
        (
            CHALLENGER,
            f"the national market for listings, the fifteen constants and the rounds' level "
            f"({FREED} {sixteen['constants'][FREED]:.3g}) refitted",
            dict(sixteen["constants"]),
        ),
    )
    return before, after


def verdict(table: pd.DataFrame) -> list[str]:
    """The rule stated in the module docstring."""
    return medtech_refit.rule_verdict(
        table,
        CHALLENGER,
        "the US scenarios naming the market, round_size_multiple joining constants.FREE, and the "
        "posterior and the whole chain remade on it",
    )


def beside(table: pd.DataFrame) -> list[str]:
    """What the docstring reports beside the rule: per point the IPO counts and Boston's money."""
    money = " ".join(scan.VC_MONEY)  # exit_timing_scan.ratios_of's column
    lines = ["Beside the rule (not part of it):", ""]
    for r in table.to_dict("records"):
        lines.append(
            f"- {r['point']}: the five dated IPO counts x{scan.fmt(r['ipo_count_ratio_median'], 2)} of the "
            f"data (median; {r['ipo_counts_within_x1.5']} of {r['ipo_counts']} within x{history.FACTOR}), "
            f"Boston's venture money of 2017-19 x{scan.fmt(r.get(money), 2)}, jobs "
            f"x{scan.fmt(r['employment_ratio_median'], 2)} (median of the dated counts)"
        )
    return lines


def box_line(value: float, name: str, what: str) -> str:
    """A freed constant's fitted ``value`` (``what`` says whose) and where it sits in its box."""
    low, high = BOUNDS[name]
    edge = " (at its box's edge)" if min(value / low, high / value) < 1.05 else ""
    return f"{what}: {name} {value:.3g}, in its box {low:g}-{high:g}{edge}."


def fitted_level(manifest: dict[str, Any]) -> str:
    """The rounds' level the judged refit chose, and where it sits in its box."""
    return box_line(manifest["points"][CHALLENGER][FREED], FREED, "The judged refit's rounds' level")


def readme(table: pd.DataFrame, manifest: dict[str, Any]) -> str:
    """The folder's README: the question, the rule's reading, what is reported beside it, and the table."""
    reading = [*verdict(table), "", *beside(table), "", fitted_level(manifest)]
    text = medtech_refit.refit_readme(
        table,
        manifest,
        "# A national market for listings with the rounds' level freed, refitted",
        "market_rounds_refit",
        reading,
    )
    for said in ("`calibration/` (its report", "`calibration/` (the refit's report"):
        text = text.replace(
            said, "`calibration/` (the judged refit's report), `calibration_market/` (the reported refit's"
        )
    return text


def freeing_one(args: argparse.Namespace) -> argparse.Namespace:
    """``args`` with the budget of a refit that frees one constant more: the package's budget is
    3 x (free constants + 1) evaluations, so three more."""
    return argparse.Namespace(**{**vars(args), "maxfev": args.maxfev + 3})


def main(argv: list[str] | None = None) -> int:
    """Refit twice with the market, run the three points on the US clusters and write the folder."""
    parser = medtech_refit.refit_parser(
        __doc__.splitlines()[0], Path("results") / "history" / "market_rounds_refit", STORE
    )
    parser.set_defaults(maxfev=3 * (len(FREE) + 1))
    args = medtech_refit.parse_refit_args(parser, argv)
    started = time.monotonic()
    command = ["python", "experiments/market_rounds_refit.py", *(argv if argv is not None else sys.argv[1:])]
    seeds = list(range(1, args.seeds + 1))
    bare, scenarios = market.us_scenarios()
    package = json.loads(FITTED_FILE.read_text(encoding="utf-8"))
    folder = market.market_copies(args.store)
    fifteen = medtech_refit.refit(
        args.out / "calibration_market", args, command, held={}, scenario_dir=folder
    )
    wider = freeing_one(args)
    sixteen = medtech_refit.refit(
        args.out / "calibration", wider, command, held={}, scenario_dir=folder, free=(*FREE, FREED)
    )
    before, after = points_of(fifteen, sixteen)
    points, figure_table, timing_table = medtech_refit.compare_on(
        ((before, bare), (after, scenarios)), seeds, args
    )
    ends = {
        "default": medtech_refit.package_end_points(package),
        REPORTED: fifteen["end_points_within_25pct"],
        CHALLENGER: sixteen["end_points_within_25pct"],
    }
    run = scan.run_record(points, scenarios, seeds, args.until) | {
        "freed": [FREED],
        "maxfev": {REPORTED: args.maxfev, CHALLENGER: wider.maxfev},
        "scenarios_without_market": {c: s.digest() for c, s in bare.items()},
    }
    compared = (points, figure_table, timing_table, ends)
    return medtech_refit.write_refit(args, command, run, compared, started, readme, verdict)


if __name__ == "__main__":
    raise SystemExit(main())
