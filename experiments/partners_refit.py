"""Would the pharma dated by their first deals in Boston and San Diego, refitted, follow the history better?

results/history/early_partners_scan found that Boston's and San Diego's pharma enter the regions'
markets with their sites (2002-2014; 1985-2012) while the Bay Area's are dated by their first deals
there, and dated each by the first deal with one of the region's biotech firms that a search of
stored pages found (experiments/early_partners_scan.py ``SOURCED``: in Boston Pfizer 1986, Novartis
1987, Sanofi 1991; in San Diego Pfizer 1991, GlaxoSmithKline 1992, Johnson & Johnson 1994). With
nothing refitted those dates moved the early drug industry little (Massachusetts's 1993 biotech
firms by kind x0.57 -> x0.63, jobs x0.35 -> x0.40) and met one in-sample and one out-of-sample
figure fewer. This experiment refits the fourteen shared constants on the scenario files with
those dates (the package calibration's budget: 3 seeds, at most 45 evaluations, from the package
point, no leave-one-out; each figure read by its metric, as the package's fit reads it), and
compares three points on every dated figure of the three US clusters (experiments/history.py's
comparison and seeds), each on its own scenario files: the package default, the dates with nothing
refitted, and the refit.

The rule, stated before the refit first ran (this docstring, committed before any run of this
script; medtech_refit's rule): the refit on the dated files should replace the package default
(the scenario files taking the dates, with their sources, and the package the refitted constants)
only if it meets (i) at least as many of the 13 end points within +-25% as the default, (ii) at
least as many in-sample dated figures within x1.5, (iii) more out-of-sample figures within x1.5,
and (iv) the exit-timing pattern (median IPO under 6 years, before acquisitions) in all three US
clusters. Otherwise the default stays and the refit is reported as a probe. No variant follows from
this experiment.

Usage:
    python experiments/partners_refit.py [--seeds 8] [--workers 2] [--fit-seeds 3] [--maxfev 45]
        [--report-seeds 8] [--quick] [--until YEAR] [--store runs/partners_refit-store]
        [--out results/history/partners_refit]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
from siblings import sibling

from ecosim import safe_yaml
from ecosim.constants import FITTED_FILE

medtech_refit = sibling("medtech_refit")
partners = sibling("early_partners_scan")
scan = medtech_refit.scan
history = scan.history

STORE = Path("runs") / "partners_refit-store"
"""Where the refit keeps its finished runs (and its scenario files), so that a killed run resumes."""
DATED = "dated"
CHALLENGER = "partners refit"


def pharma_lines() -> dict[str, str]:
    """Per scenario the SOURCED point dates, its ``pharma`` list as written in its file with each
    dated pharma's ``active_from`` set (JSON, which YAML reads): the lines a copy adds."""
    lines = {}
    for cluster, dates in partners.SOURCED.items():
        raw = safe_yaml.read(history.ROOT / "scenarios" / f"{cluster}.yaml")
        pharma = [p | {"active_from": dates[p["name"]]} if p["name"] in dates else p for p in raw["pharma"]]
        lines[cluster] = f"pharma: {json.dumps(pharma)}\n"
    return lines


def points_of(record: dict[str, Any]) -> tuple[scan.Points, scan.Points]:
    """The points on the scenario files as they are (the package default) and on the dated ones
    (nothing refitted, and the refit's constants)."""
    return (
        (("default", "the package default: pharma enter with their sites", {}),),
        (
            (
                DATED,
                "each pharma of Boston and San Diego from its first deal found there, nothing refitted",
                {},
            ),
            (CHALLENGER, "the same dates, the fourteen constants refitted", dict(record["constants"])),
        ),
    )


def verdict(table: pd.DataFrame) -> list[str]:
    """The rule stated in the module docstring."""
    return medtech_refit.rule_verdict(
        table,
        CHALLENGER,
        "the scenario files taking the dates, with their sources, and the refitted constants",
    )


def readme(table: pd.DataFrame, manifest: dict[str, Any]) -> str:
    """The folder's README: the question, the rule's reading and the table."""
    return medtech_refit.refit_readme(
        table,
        manifest,
        "# Pharma dated by their first deals in Boston and San Diego, refitted",
        "partners_refit",
        verdict(table),
    )


def main(argv: list[str] | None = None) -> int:
    """Refit on the dated files, run the three points on the US clusters and write the folder."""
    parser = medtech_refit.refit_parser(
        __doc__.splitlines()[0], Path("results") / "history" / "partners_refit", STORE
    )
    args = medtech_refit.parse_refit_args(parser, argv)
    started = time.monotonic()
    command = ["python", "experiments/partners_refit.py", *(argv if argv is not None else sys.argv[1:])]
    seeds = list(range(1, args.seeds + 1))
    files = {cluster: history.scenario_of(cluster) for cluster in history.CLUSTERS}
    dated = {cluster: partners.entered(s, "sourced", cluster) for cluster, s in files.items()}
    package = json.loads(FITTED_FILE.read_text(encoding="utf-8"))
    folder = medtech_refit.scenario_copies(args.store / "scenarios", pharma_lines())
    record = medtech_refit.refit(args.out / "calibration", args, command, held={}, scenario_dir=folder)
    before, after = points_of(record)
    points, figure_table, timing_table = medtech_refit.compare_on(
        ((before, files), (after, dated)), seeds, args
    )
    ends = {
        "default": medtech_refit.package_end_points(package),
        DATED: "-",
        CHALLENGER: record["end_points_within_25pct"],
    }
    run = scan.run_record(points, dated, seeds, args.until) | {
        "dates": partners.SOURCED,
        "scenarios_as_filed": {c: s.digest() for c, s in files.items()},
    }
    compared = (points, figure_table, timing_table, ends)
    return medtech_refit.write_refit(args, command, run, compared, started, readme, verdict)


if __name__ == "__main__":
    raise SystemExit(main())
