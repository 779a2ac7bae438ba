"""``ecosim run SCENARIO``: run one scenario and write its outputs."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from ecosim import plots, provenance
from ecosim.commands.common import check_land, check_maker, check_out, output_path, whole_number
from ecosim.constants import fitted
from ecosim.errors import printable
from ecosim.progress import ProgressBar
from ecosim.runner import DEFAULT_SEED, GrowthLimitError, months_until, run_one, write_outputs
from ecosim.scenario import Scenario, ScenarioError, load


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``ecosim run``."""
    parser.add_argument("scenario", help="scenario YAML file")
    parser.add_argument(
        "--seed",
        type=whole_number(0),
        default=DEFAULT_SEED,
        help="random seed, a whole number >= 0 (default %(default)s)",
    )
    parser.add_argument("--until", type=whole_number(), metavar="YEAR", help="last year to simulate")
    parser.add_argument(
        "--out", type=output_path, metavar="DIR", help="output folder (default runs/<scenario>)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def check_until(path: str, scenario: Scenario, until: int | None) -> None:
    """--until must fall inside the years a run can cover."""
    if until is not None and not scenario.start_year <= until <= 2100:
        raise ScenarioError(path, "--until", f"must be between {scenario.start_year} and 2100, got {until}")


def execute(args: argparse.Namespace) -> int:
    """Run, print a summary, write the outputs."""
    scenario = load(args.scenario)
    check_until(args.scenario, scenario, args.until)
    check_land(args.scenario, scenario)
    out = args.out or Path("runs") / Path(args.scenario).stem
    check_out(out)
    check_maker(out, "ecosim run")
    months = months_until(scenario, args.until)
    bar = ProgressBar(printable(scenario.name, 40), months, enabled=not args.quiet)
    constants = fitted()
    try:
        result = run_one(scenario, args.seed, until=args.until, constants=constants, progress=bar)
    except GrowthLimitError as exc:
        raise ScenarioError(args.scenario, "--until" if args.until else "end_year", str(exc)) from None
    finally:
        bar.close()
    manifest = {
        **provenance.base_manifest(),
        "scenario_file": args.scenario,
        "scenario_hash": scenario.digest(),
        "scenario": scenario.model_dump(mode="json"),
        "seed": args.seed,
        "until": args.until,
        "constants": dataclasses.asdict(constants),
    }
    write_outputs(result, out, manifest, figure=plots.overview)
    print(format_summary(result.summary))
    print(
        f"outputs: {out}/ (timeseries.csv, firms.csv, deals.csv, lineage.json, summary.json, "
        "manifest.json, overview.png)"
    )
    return 0


def format_summary(summary: dict) -> str:
    """The headline numbers as a few readable lines, every count with a thousands separator."""
    s = summary
    # A run without firms has no lineage: no root to name.
    root = s["largest_lineage_root"]
    rooted = f", rooted in {printable(root)}" if root else ""
    return "\n".join(
        [
            f"{printable(s['scenario'])}, {s['start_year']}-{int(s['end_year'])}",
            f"  firms active at the end   {s['firms_active']:>8,}  ({s['startups_active']:,} private "
            f"startups, {s['pharma_sites']:,} pharma sites)",
            f"  employment                {s['employment']:>8,}",
            f"  startups founded          {s['startups_founded']:>8,}  (academic "
            f"{s['founded_academic']:,}, spinout {s['founded_spinout']:,}, release "
            f"{s['founded_release']:,}, anchors {s['founded_anchor']:,})",
            f"  moved in from outside     {s['relocations']:>8,}",
            f"  exits                     {s['exits_acquired'] + s['exits_ipo']:>8,}  (acquired "
            f"{s['exits_acquired']:,}, IPO {s['exits_ipo']:,}); failures {s['failures']:,}",
            f"  VC invested               {s['vc_invested_musd']:>8,.0f}  USD m at 2000 prices",
            f"  largest lineage           {s['largest_lineage']:>8,}  firms{rooted}; deepest "
            f"generation {s['max_generation']:,}",
        ]
    )
