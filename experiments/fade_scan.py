"""Would public investors who buy only fresh news list the drought's companies younger?

results/history/timing_refit (the national market for listings, hot months that clear, listed
companies kept, the fifteen constants refitted on the exit timing its sources describe) misses the
bound: its companies listing in January 2009-April 2013 (companies founded from 1996) do so after
6.1, 6.1 and 6.2 years in Boston, the Bay Area and San Diego, and its listings of 2015 wait no longer
than those of 2020, where the data's drought listings were young (Booth, LifeSciVC 2013: under 6
years) and 2015's older than 2020's by about two years (Evaluate Vantage). Its listings of the drought
are the companies the national market kept waiting: a company ready to list bids at odds that fade
with the time since its last milestone (``ipo_news_fade_year``, fitted at 0.52 a year there, a news
half-life of about 16 months), and in a dry month the market takes its listings in proportion to the
bids. If public investors buy only fresh news, a company that waits through a drought stops bidding
until a new milestone: the drought's listings are those just ready (younger), and the waiting
companies list after the drought, once a later milestone renews their news (older). This scan runs
timing_refit's point with the fade as fitted (0.52), at 1, at 2 and at 4 a year (half-lives of
about 8, 4 and 2 months), nothing refitted, on the three US clusters (8 seeds, the seeds of
results/history) with the market on.

The prediction, stated before the scan first ran (this docstring, committed before any run of it
but a smoke test of the script: one seed, whole runs, written before it and not changed after it,
though it printed the reading: the prediction held on that seed; conceived after timing_refit had
read every figure): at a fade of 2 a year, (a) the median years to
IPO on the restated reference (the IPOs of January 2009-April 2013 of companies founded from 1996)
are under 6 in all three US clusters and lower than at the refit's fade in all three, and (b) the
companies that list in 2015 waited at least a year longer than those of 2020 in at least two of
them (medians over seeds of each run's median, every founding year). If (a) holds and (b) fails, a
faster fade makes every listing younger, not the drought's alone; if (a) fails, stale news is not
what keeps the drought's listings old. No point is adopted from a scan (the rule of a refit is
needed for that); a fade that meets the prediction would be the start of the next refit on the
market. Reported beside it, not predicted: the figures in and out of sample, the IPO counts, the
held-out listed stock, years to IPO by the year of the IPO and on the bound's three readings.

Usage:
    python experiments/fade_scan.py [--seeds 8] [--workers 2] [--until YEAR]
        [--out results/history/fade_scan]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
from siblings import sibling

lives = sibling("listed_lives")
market = sibling("listing_market_refit")
window = sibling("window_refit")
timing_refit = sibling("timing_refit")
scan = lives.scan
history = scan.history

REFIT = history.ROOT / "results" / "history" / "timing_refit" / "manifest.json"
"""The refit whose point the scan runs (its constants, the pull and listed patience held)."""
FADE = "ipo_news_fade_year"
"""The constant the scan moves."""
FADES = (("timing refit", None), ("fade 1", 1.0), ("fade 2", 2.0), ("fade 4", 4.0))
"""Each point: its label and the fade a year (None: the refit's own)."""
JUDGED = "fade 2"
"""The point the prediction reads."""
BASELINE = "timing refit"
"""The point it is compared with."""


def points_of(refit: dict[str, Any]) -> scan.Points:
    """The refit's point at each fade."""
    points = []
    for label, fade in FADES:
        value = refit[FADE] if fade is None else fade
        points.append((label, f"timing_refit's point, {FADE} {value:.3g}", {**refit, FADE: value}))
    return tuple(points)


def prediction(manifest: dict[str, Any]) -> str:
    """The prediction stated in the module docstring, read."""
    periods = pd.DataFrame(manifest["ipo_years_by_period"]).set_index(["point", "cluster"])
    if periods["years_2020"].isna().all():
        return "The prediction cannot be read: the runs end before the listings of 2020."
    judged, base = (periods.xs(p, level="point").apply(pd.to_numeric) for p in (JUDGED, BASELINE))
    bound = judged["years_reference"]
    younger = bool((bound < 6.0).all() and (bound < base["years_reference"]).all())
    slower = int((judged["years_2015"] - judged["years_2020"] >= timing_refit.LONGER_BY).sum())
    held = younger and slower >= 2
    words = ", ".join(
        f"{c} {bound[c]:.1f} ({base.loc[c, 'years_reference']:.1f} at the refit's fade), "
        f"{judged.loc[c, 'years_2015']:.1f} in 2015 and {judged.loc[c, 'years_2020']:.1f} in 2020"
        for c in judged.index
    )
    reading = (
        "under 6 and lower than at the refit" if younger else "not all under 6 and lower than at the refit"
    )
    return (
        f"The prediction {'holds' if held else 'fails'}: at a fade of 2 a year, (a) the years to IPO on "
        f"the restated reference are {reading} in all three clusters; (b) the listings of 2015 waited a "
        f"year or more longer than those of 2020 in {slower} of {len(judged)} (two or more predicted): "
        f"{words}."
    )


def readme(table: pd.DataFrame, manifest: dict[str, Any]) -> str:
    """The folder's README: the prediction's reading, the points, the timing and the listings."""
    lines = [
        "# Public investors who buy only fresh news, on the national market",
        "",
        f"Produced by `{manifest['command']}` at git commit `{manifest['git_commit']}`: "
        f"{len(manifest['seeds'])} seeds per cluster and point (the seeds of results/history), the "
        "constants of results/history/timing_refit's refit (hot months that clear, listed companies "
        "kept), the fade of IPO news set, nothing refitted, the US scenarios naming the national market.",
        "",
        "## Reading",
        "",
        "The prediction was stated before the scan first ran (experiments/fade_scan.py).",
        "",
        prediction(manifest),
        "",
        "## Points",
        "",
        *lives.points_table(table, manifest),
        "",
        *timing_refit.period_section(manifest),
        "",
        *lives.listings_by_era(manifest),
        "",
        "Files: `points.csv` (the points), `figures.csv` (every dated figure at each point), "
        "`exit_timing.csv` (per point, cluster and seed), `manifest.json`.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the refit's point at each fade on the US clusters and write the folder."""
    parser = history.runs_parser(__doc__.splitlines()[0], Path("results") / "history" / "fade_scan")
    args = history.parse_runs_args(parser, argv)
    started = time.monotonic()
    command = ["python", "experiments/fade_scan.py", *(argv if argv is not None else sys.argv[1:])]
    seeds = list(range(1, args.seeds + 1))
    _, scenarios = market.us_scenarios()
    refit = json.loads(REFIT.read_text(encoding="utf-8"))["points"][timing_refit.CHALLENGER]
    points = points_of(refit)
    listings = lives.ListingRows()
    timing_rows = timing_refit.TimingRows(listings)
    figures, timing = scan.compare_points(
        points, scenarios, seeds, args.until, args.workers, each=timing_rows
    )
    figures = lives.set_apart(figures)
    table = scan.summary(points, figures, scan.exits_by_point(points, timing))
    run = scan.run_record(points, scenarios, seeds, args.until) | {
        "refit": str(REFIT.relative_to(history.ROOT)),
        "listings": list(listings),
        "ipo_years_by_period": timing_refit.by_period(list(timing_rows)).to_dict("records"),
        "listed_stock_median": window.stock_medians(figures),
        "seconds": round(time.monotonic() - started, 1),
    }
    tables = {"points": table, "figures": figures, "exit_timing": timing}
    manifest = scan.write_scan(args.out, command, run, tables, readme)
    print(prediction(manifest) + f"\nwrote {args.out}/ in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
