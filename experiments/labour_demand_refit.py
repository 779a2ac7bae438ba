"""Would a labour market led by the firms' demand, with the constants refitted, follow the history better?

The model's labour market hires the region's graduates and a fixed share of movers, and its idle
job seekers leave only at the staff's exit rate (5% a year): in the 2000s every US cluster's pool
runs dry and its jobs follow the graduates, not the firms (results/history/labour_supply_scan),
while Boston's slack pool feeds its foundings (results/history/labour_pool_scan). The scan turned
a demand-led market on with nothing refitted; its README and the package README name the refit
on it as the next step. This experiment holds three constants at the scan's points:

- ``seeker_exit_rate_year`` 2.75: the US unemployed's rate of leaving the labour force, a lower
  bound (45% of spells end that way, Clark & Summers, NBER Working Paper 277, 1978, at a monthly
  job-finding probability of 0.28, Hamilton Project, 2019: 12 x 0.45 / 0.55 x 0.28);
- ``movers_per_unfilled_post`` 0.5: each post left open draws half a mover the next month (a
  region's demand for labour is met mostly by people moving in, Blanchard & Katz, Brookings
  Papers on Economic Activity, 1992; the size is an assumption);
- ``hired_founders_found`` 0.5: half the would-be founders whom a firm hires before their date
  leave the job to found (the unemployed found more often than the employed, Evans & Leighton
  1989, 1990, but not only they; the size is an assumption),

refits the fourteen shared constants with them (the same budget as the package's calibration: 3
seeds, at most 45 evaluations, from the package point with the three held, no leave-one-out), then
compares three points on every dated figure of the three US clusters (experiments/history.py's
comparison and seeds) and on the calibration's 13 end points:

- ``default``: the package default (the model as results/history shows it);
- ``labour demand``: the package default with the three held, nothing refitted (the scan's point
  "exit 2.75, movers 0.5, hired founders 0.5": most figures met of any point there, 12 of 16 in
  sample and 22 of 37 out of sample, but growth exploding late, 1 of 6 US end points);
- ``labour demand refit``: the refit, with the three held.

The rule, stated before the refit first ran (this docstring, committed on 4 December 2026 before
any run of this script; the same rule as experiments/medtech_refit.py's): the refitted point
replaces the package default only if it meets (i) at least as many of the 13 end points within
+-25% as the default, (ii) at least as many in-sample dated figures within x1.5, (iii) more
out-of-sample figures within x1.5, and (iv) the exit-timing pattern (median IPO under 6 years,
before acquisitions) in all three US clusters. Otherwise the default stays and the refit is
reported as a probe. The ``labour demand`` row is reported, not judged (the constants were fitted
without it; no calibration report of its own). What a failure would leave open is written with
the results, not chosen after them: a second variant, stated here before the first ran, holds
``hired_founders_found`` at 0 (``--set hired_founders_found=0``, the scan's point "exit 2.75,
movers 0.5": seekers leave and movers come, founders hired stay hired) into
results/history/labour_demand_refit_movers, judged by the same rule. No third variant follows from
this experiment.

Usage:
    python experiments/labour_demand_refit.py [--seeds 8] [--workers 2] [--fit-seeds 3] [--maxfev 45]
        [--report-seeds 8] [--quick] [--until YEAR] [--store runs/labour_demand_refit-store]
        [--set NAME=VALUE ...] [--out results/history/labour_demand_refit]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
from siblings import sibling

from ecosim import calibrate
from ecosim.commands.calibrate import add_held_option, held_constants
from ecosim.constants import FITTED_FILE

medtech_refit = sibling("medtech_refit")
scan = medtech_refit.scan
history = scan.history

HELD = {"seeker_exit_rate_year": 2.75, "movers_per_unfilled_post": 0.5, "hired_founders_found": 0.5}
"""The demand-led labour market's three constants (this module's docstring gives their sources)."""
STORE = Path("runs") / "labour_demand_refit-store"
"""Where the refit keeps its finished runs, so that a killed run resumes."""
CHALLENGER = "labour demand refit"


def points_of(record: dict[str, Any], held: dict[str, Any]) -> scan.Points:
    """The package default, it with ``held``, and the refit with ``held``."""
    holding = ", ".join(f"{name} {value:g}" for name, value in held.items())
    return (
        ("default", "the package default", {}),
        ("labour demand", f"the package default with {holding}, nothing refitted", dict(held)),
        (CHALLENGER, f"{holding} held, the fourteen constants refitted", {**record["constants"], **held}),
    )


def verdict(table: pd.DataFrame) -> list[str]:
    """The rule stated in the module docstring."""
    return medtech_refit.rule_verdict(table, CHALLENGER, "with the held constants as their defaults")


def readme(table: pd.DataFrame, manifest: dict[str, Any]) -> str:
    """The folder's README: the question, the rule's reading and the table."""
    return medtech_refit.refit_readme(
        table,
        manifest,
        "# A labour market led by the firms' demand, refitted",
        "labour_demand_refit",
        verdict(table),
    )


def main(argv: list[str] | None = None) -> int:
    """Refit with the three held, run the three points on the US clusters and write the folder."""
    parser = medtech_refit.refit_parser(
        __doc__.splitlines()[0], Path("results") / "history" / "labour_demand_refit", STORE
    )
    add_held_option(parser, "change a held constant or hold another (as ecosim calibrate --set)")
    args = medtech_refit.parse_refit_args(parser, argv)
    try:
        held = HELD | held_constants(args.held)
    except ValueError as error:
        parser.error(f"--set: {error}")
    started = time.monotonic()
    command = ["python", "experiments/labour_demand_refit.py", *(argv if argv is not None else sys.argv[1:])]
    seeds = list(range(1, args.seeds + 1))
    scenarios = {cluster: history.scenario_of(cluster) for cluster in history.CLUSTERS}
    package = json.loads(FITTED_FILE.read_text(encoding="utf-8"))
    # A constant of FREE named by --set is held, not fitted (calibrate.Space).
    free = calibrate.Space(tuple(held.items())).free
    record = medtech_refit.refit(args.out / "calibration", args, command, held=held, free=free)
    points = points_of(record, held)
    figure_table, timing_table = scan.compare_points(points, scenarios, seeds, args.until, args.workers)
    ends = {
        "default": medtech_refit.package_end_points(package),
        "labour demand": "-",
        CHALLENGER: record["end_points_within_25pct"],
    }
    run = scan.run_record(points, scenarios, seeds, args.until) | {"held": held}
    compared = (points, figure_table, timing_table, ends)
    return medtech_refit.write_refit(args, command, run, compared, started, readme, verdict)


if __name__ == "__main__":
    raise SystemExit(main())
