"""Would a refit that reads each figure by the kinds of firm it counts follow the history better?

The package's fit reads every figure by its metric: a count of biotech firms alone (Massachusetts's
of 1993 and 2000, Cambridge's of 2000, the Bay Area's of 1993, San Diego's of 1998) against the
model's firms of every kind, device and service firms included. Read by what they count (the drug
industry alone), results/history/narrow_counts found the default's early drug industry short
(median x0.61 of the fitted narrow counts) and 8 of the 16 in-sample figures met instead of 10:
the fit meets its early counts with device and service firms. This experiment was conceived after
reading that result (post hoc in that sense); its rule is stated here before its first run.

The fourteen shared constants are refitted with every figure read by its kinds
(``calibrate.calibrate(by_kinds=True)``, ``ecosim calibrate --by-kinds``; the same budget as the
package's calibration: 3 seeds, at most 45 evaluations, from the package point, no leave-one-out),
and the refit is compared with the package default on every dated figure of the three US clusters,
both read by their kinds (experiments/history.py's comparison and seeds), and on the calibration's
13 end points (none of which is a narrow count: the end points read alike either way).

The rule, stated before the refit first ran (this docstring, committed before any run of this
script; the rule of experiments/medtech_refit.py, with the dated figures read by their kinds for
both points): the refitted point should replace the package default (with the fit, the dated
comparison and the posterior reading each figure by its kinds) only if it meets (i) at least as
many of the 13 end points within +-25% as the default, (ii) at least as many in-sample dated
figures within x1.5, (iii) more out-of-sample figures within x1.5, and (iv) the exit-timing pattern
(median IPO under 6 years, before acquisitions) in all three US clusters. Otherwise the default
stays and the refit is reported as a probe. No variant follows from this experiment.

Usage:
    python experiments/kinds_refit.py [--seeds 8] [--workers 2] [--fit-seeds 3] [--maxfev 45]
        [--report-seeds 8] [--quick] [--until YEAR] [--store runs/kinds_refit-store]
        [--out results/history/kinds_refit]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
from siblings import sibling

from ecosim.constants import FITTED_FILE

medtech_refit = sibling("medtech_refit")
scan = medtech_refit.scan
history = scan.history

STORE = Path("runs") / "kinds_refit-store"
"""Where the refit keeps its finished runs, so that a killed run resumes."""
CHALLENGER = "kinds refit"


def points_of(record: dict[str, Any]) -> scan.Points:
    """The package default and the refit (its constants)."""
    return (
        ("default", "the package default", {}),
        (
            CHALLENGER,
            "the fourteen constants refitted, each figure read by its kinds",
            dict(record["constants"]),
        ),
    )


def verdict(table: pd.DataFrame) -> list[str]:
    """The rule stated in the module docstring."""
    return medtech_refit.rule_verdict(
        table,
        CHALLENGER,
        "with the fit, the dated comparison and the posterior reading each figure by its kinds",
    )


def readme(table: pd.DataFrame, manifest: dict[str, Any]) -> str:
    """The folder's README: the question, the rule's reading and the table."""
    return medtech_refit.refit_readme(
        table,
        manifest,
        "# A refit that reads each figure by the kinds of firm it counts",
        "kinds_refit",
        [
            "Both points' dated figures are read by their kinds (the narrow counts against the drug "
            "industry alone), so the default's in-sample count here is results/history/narrow_counts's, "
            "not results/history's.",
            "",
            *verdict(table),
        ],
    )


def main(argv: list[str] | None = None) -> int:
    """Refit by kinds, run both points on the US clusters and write the folder."""
    parser = medtech_refit.refit_parser(
        __doc__.splitlines()[0], Path("results") / "history" / "kinds_refit", STORE
    )
    args = medtech_refit.parse_refit_args(parser, argv)
    started = time.monotonic()
    command = ["python", "experiments/kinds_refit.py", *(argv if argv is not None else sys.argv[1:])]
    seeds = list(range(1, args.seeds + 1))
    scenarios = {cluster: history.scenario_of(cluster) for cluster in history.CLUSTERS}
    package = json.loads(FITTED_FILE.read_text(encoding="utf-8"))
    record = medtech_refit.refit(args.out / "calibration", args, command, held={}, by_kinds=True)
    points = points_of(record)
    figure_table, timing_table = scan.compare_points(
        points, scenarios, seeds, args.until, args.workers, by_kinds=True
    )
    default_ends = medtech_refit.package_end_points(package)
    ends = {"default": default_ends, CHALLENGER: record["end_points_within_25pct"]}
    run = scan.run_record(points, scenarios, seeds, args.until) | {"by_kinds": True}
    compared = (points, figure_table, timing_table, ends)
    return medtech_refit.write_refit(args, command, run, compared, started, readme, verdict)


if __name__ == "__main__":
    raise SystemExit(main())
