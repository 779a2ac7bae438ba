"""Would the second kind of firm, at its sourced share and refitted, follow the history better?

The model's broad figures count device makers, diagnostics and service labs besides drug
developers (docs/FIGURES.md); 55% of San Diego's 401 biomedical companies made devices or
diagnostics in 2001 (docs/EVIDENCE.md). results/history/medtech_scan turned the second kind of firm
(agents/medtech.py) on with nothing refitted. This experiment refits the fourteen shared constants
with it on at that share (``ecosim calibrate --set medtech_share=0.55``, the same budget as the
package's calibration: 3 seeds, at most 45 evaluations, from the package point, no leave-one-out),
then compares the refitted point with the package default on every dated figure of the three US
clusters (experiments/history.py's comparison and seeds) and on the calibration's 13 end points (each
point's calibration report, seeds 1-8).

The rule, stated before the refit first ran (3 December 2026, 22:42 UTC, in the session's note;
that run, from the package point of the time, is not this one): the refitted point replaces the
package default only if it meets (i) at least as many of the 13 end points within +-25% as the
default, (ii) at least as many in-sample dated figures within x1.5, (iii) more out-of-sample figures
within x1.5, and (iv) the exit-timing pattern (median IPO under 6 years, before acquisitions) in
all three US clusters. Otherwise the default stays and the refit is reported as a probe.

The committed results were run at 4220caa, when medtech_share's default was 0 and the installed
constants were the fit of 2b481ed. The refit met the rule and was adopted: medtech_share's default
is 0.55 since, and the package's calibration refits with it on. Run today, this script compares the
package default with a refit from it (the held constant no longer differs from the package's, so
the calibration record names none); check out 4220caa to run the comparison that decided.

Usage:
    python experiments/medtech_refit.py [--seeds 8] [--workers 2] [--fit-seeds 3] [--maxfev 45]
        [--report-seeds 8] [--quick] [--until YEAR] [--store runs/medtech_refit-store]
        [--out results/history/medtech_refit]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
from siblings import sibling

from ecosim import atomic, calibrate
from ecosim.constants import FITTED_FILE, FREE, fitted, with_overrides

scan = sibling("exit_timing_scan")
history = scan.history

HELD = {"medtech_share": 0.55}
"""The constant the refit holds: device and service firms' share of the foundings without a parent
(55% of San Diego's 401 biomedical companies made devices or diagnostics in 2001, Site Selection,
September 2001; constants.medtech_share)."""
STORE = Path("runs") / "medtech_refit-store"
"""Where the refit keeps its finished runs, so that a killed run resumes."""


DEFAULT_POINT_SCORES = Path("results") / "calibration" / "default_point" / "scores.csv"
"""experiments/default_point.py's scores of the candidate points on the calibration's report seeds."""


def package_end_points(package: dict[str, Any]) -> str:
    """The package default's end points within 25% on the calibration's report seeds: its record's
    own (a least-squares fit's record carries them), else default_point's row for it (a
    posterior's point, installed by ``ecosim posterior --install-from``, carries no scores).
    """
    if "end_points_within_25pct" in package:
        return str(package["end_points_within_25pct"])
    scores = pd.read_csv(DEFAULT_POINT_SCORES)
    row = scores[scores["point"] == package.get("point")]
    if row.empty:
        point = package.get("point")
        raise SystemExit(f"error: {DEFAULT_POINT_SCORES}: no row for the package default {point!r}")
    return str(row["end_points_within_25pct"].iloc[0])


def refit(
    out: Path,
    args: Any,
    command: list[str],
    held: dict[str, Any] = HELD,
    scenario_dir: Path = Path("scenarios"),
    by_kinds: bool = False,
    store: Path | None = None,
    free: tuple[str, ...] = FREE,
    also_fit: tuple[calibrate.Target, ...] = (),
) -> dict[str, Any]:
    """The refit from the package point with ``held`` held (calibrate.calibrate into ``out``, never
    installed), on the scenario files of ``scenario_dir`` (the repository's), each figure read by
    its kinds with ``by_kinds``, its runs kept in ``store`` (``args.store`` when None), moving the
    constants of ``free`` (the package's fifteen unless a refit frees more) and fitting
    ``also_fit`` beside the package's targets: its record.
    """
    budget = calibrate.QUICK if args.quick else calibrate.FULL
    budget = dataclasses.replace(
        budget, fit_seeds=args.fit_seeds, maxfev=args.maxfev, report_seeds=args.report_seeds
    )
    return calibrate.calibrate(
        out,
        budget=budget,
        workers=args.workers,
        scenario_dir=scenario_dir,
        start=with_overrides(fitted(), held),
        install=False,
        loo=False,
        command=command,
        store_dir=args.store if store is None else store,
        by_kinds=by_kinds,
        free=free,
        also_fit=also_fit,
    )


def scenario_copies(folder: Path, lines: dict[str, str]) -> Path:
    """Write into ``folder`` one file per scenario of the repository that extends it, with
    ``lines[name]`` added to the scenario ``name`` (a refit reads its scenarios from a folder):
    the folder.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted((history.ROOT / "scenarios").glob("*.yaml")):
        atomic.write_text(folder / path.name, f"extends: {path.resolve()}\n{lines.get(path.stem, '')}")
    return folder


def points_of(record: dict[str, Any]) -> scan.Points:
    """The two points compared: the package default and the refit (its constants and HELD)."""
    return (
        ("default", "the package default: one kind of firm", {}),
        (
            "medtech refit",
            f"device and service firms at {HELD['medtech_share']} of the foundings without a parent, "
            "the fourteen constants refitted",
            {**record["constants"], **HELD},
        ),
    )


def compare_on(
    groups: tuple[tuple[scan.Points, dict[str, Any]], ...], seeds: list[int], args: Any, each: Any = None
) -> tuple[scan.Points, pd.DataFrame, pd.DataFrame]:
    """Run each group's points on its own scenarios (scan.compare_points) and join them, in order:
    the points, every dated figure and every seed's exit timing (``each``: compare_points's)."""
    compared = [
        scan.compare_points(points, files, seeds, args.until, args.workers, each=each)
        for points, files in groups
    ]
    points = tuple(point for group, _ in groups for point in group)
    return (
        points,
        pd.concat([figures for figures, _ in compared], ignore_index=True),
        pd.concat([timing for _, timing in compared], ignore_index=True),
    )


def summary(
    points: scan.Points, figures: pd.DataFrame, exits: pd.DataFrame, ends: dict[str, str]
) -> pd.DataFrame:
    """The exit-timing scan's row of each point, with its calibration report's end points."""
    table = scan.summary(points, figures, exits)
    table["calibration_end_points"] = table["point"].map(ends)
    return table


def hits(fraction: str) -> int:
    """The count of a "met/of" cell."""
    return int(fraction.split("/")[0])


def verdict(table: pd.DataFrame) -> list[str]:
    """The rule stated in the module docstring."""
    return rule_verdict(table, "medtech refit", "with medtech_share 0.55 as the constant's default")


def rule_verdict(
    table: pd.DataFrame, challenger: str, adoption: str, timing: tuple[bool, str] = (True, "")
) -> list[str]:
    """The refit rule (this module's docstring) for the point ``challenger`` against "default";
    ``adoption`` says what replacing the default means; ``timing``, a further condition of part
    (iv) a refit states (whether it holds, and why).
    """
    default, refitted = (table[table["point"] == p].iloc[0] for p in ("default", challenger))
    tests = {
        "(i) end points within +-25%": (
            hits(refitted["calibration_end_points"]) >= hits(default["calibration_end_points"]),
            f"{refitted['calibration_end_points']} against {default['calibration_end_points']}",
        ),
        "(ii) in-sample figures within x1.5": (
            refitted["in-sample_within_x1.5"] >= default["in-sample_within_x1.5"],
            f"{refitted['in-sample_within_x1.5']} against {default['in-sample_within_x1.5']}",
        ),
        "(iii) out-of-sample figures within x1.5, more": (
            refitted["out-of-sample_within_x1.5"] > default["out-of-sample_within_x1.5"],
            f"{refitted['out-of-sample_within_x1.5']} against {default['out-of-sample_within_x1.5']}",
        ),
        "(iv) exit timing in all three clusters": (bool(refitted["timing_met"]) and timing[0], timing[1]),
    }
    return judged(
        tests,
        f"The refit meets every part of the rule: it should replace the package default ({adoption}).",
        "The refit fails part {parts} of the rule: the package default stays, and the refit is a probe.",
    )


def judged(tests: dict[str, tuple[bool, str]], passed: str, failed: str) -> list[str]:
    """A rule's reading: ``passed`` when every part of ``tests`` (name: whether it holds, and why)
    holds, else ``failed`` with the parts that do not ({parts}: "(i), (iv)"); then a line a part."""
    lines = [
        f"- {name}: {'met' if ok else 'not met'}{f' ({why})' if why else ''}"
        for name, (ok, why) in tests.items()
    ]
    if all(ok for ok, _ in tests.values()):
        return [passed, "", *lines]
    parts = ", ".join(name.split(" ")[0] for name, (ok, _) in tests.items() if not ok)
    return [failed.format(parts=parts), "", *lines]


def readme(table: pd.DataFrame, manifest: dict[str, Any]) -> str:
    """The folder's README: the question, the rule's reading and the table."""
    return refit_readme(
        table,
        manifest,
        "# Device and service firms at their sourced share, refitted",
        "medtech_refit",
        verdict(table),
    )


def refit_readme(
    table: pd.DataFrame, manifest: dict[str, Any], title: str, script: str, reading: list[str]
) -> str:
    """A refit's README (``title``): the rule's ``reading`` (stated in experiments/``script``.py)
    and the table of points.
    """
    held = "; the constants it held are in its README" if manifest.get("held") else ""
    lines = [
        title,
        "",
        f"Produced by `{manifest['command']}` at git commit `{manifest['git_commit']}`. The refit: "
        f"`calibration/` (its report{held}); the comparison: "
        f"{len(manifest['seeds'])} seeds per cluster and point (the seeds of results/history, so the "
        "default row reproduces it). End points are each point's calibration report (seeds 1-8, the "
        "13 figures of the source document); figures are results/history's (within a factor of "
        f"{history.FACTOR}).",
        "",
        "## Reading",
        "",
        f"The rule was stated before the refit first ran (experiments/{script}.py).",
        "",
        *reading,
        "",
        "## Points",
        "",
        "| point | changes | in-sample within x1.5 | out-of-sample within x1.5 | US end points within 25% "
        "| calibration end points within 25% | years to IPO (Boston, Bay Area, San Diego) "
        "| years to acquisition | timing met | IPO counts (model/data, median) | jobs (model/data, median) |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- | ---: | ---: |",
    ]
    for r in table.to_dict("records"):
        lines.append(
            f"| {r['point']} | {r['changes']} | {scan.met_cells(r)} | {r['calibration_end_points']} "
            f"| {scan.timing_cells(r)} "
            f"| {scan.fmt(r['ipo_count_ratio_median'], 2)} | {scan.fmt(r['employment_ratio_median'], 2)} |"
        )
    lines += [
        "",
        "Files: `points.csv` (this table), `figures.csv` (every dated figure at each point), "
        "`exit_timing.csv` (per point, cluster and seed), `calibration/` (the refit's report), "
        "`manifest.json`.",
        "",
    ]
    return "\n".join(lines)


def refit_parser(description: str, out: Path, store: Path) -> argparse.ArgumentParser:
    """The options of a refit experiment: history.runs_parser's and the refit's budget and store."""
    parser = history.runs_parser(description, out)
    parser.add_argument(
        "--fit-seeds", type=int, default=3, help="seeds per evaluation of the refit (default 3)"
    )
    parser.add_argument(
        "--maxfev", type=int, default=45, help="evaluations of the refit (default %(default)s)"
    )
    parser.add_argument("--report-seeds", type=int, default=8, help="seeds of the refit's report (default 8)")
    parser.add_argument("--quick", action="store_true", help="the refit on the young clusters only (tests)")
    parser.add_argument("--store", type=Path, default=store, help=f"the refit's run store (default {store})")
    return parser


def parse_refit_args(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """The parsed options of refit_parser, each budget at least 1."""
    args = history.parse_runs_args(parser, argv)
    for option in ("fit_seeds", "maxfev", "report_seeds"):
        if getattr(args, option) < 1:
            parser.error(f"--{option.replace('_', '-')} must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Refit, run both points on the US clusters and write the folder (the refit's report, then
    the comparison beside it)."""
    # Relative paths (run from the repository's root, as regenerate.sh does): the refit's record
    # names its report folder, and a committed record names no path outside the repository.
    parser = refit_parser(__doc__.splitlines()[0], Path("results") / "history" / "medtech_refit", STORE)
    args = parse_refit_args(parser, argv)
    started = time.monotonic()
    command = ["python", "experiments/medtech_refit.py", *(argv if argv is not None else sys.argv[1:])]
    seeds = list(range(1, args.seeds + 1))
    scenarios = {cluster: history.scenario_of(cluster) for cluster in history.CLUSTERS}
    package = json.loads(FITTED_FILE.read_text(encoding="utf-8"))
    # The refit's report first (written at once by the calibration, and resumable from its run
    # store after a kill), then the comparison beside it (written at once by write_scan).
    record = refit(args.out / "calibration", args, command)
    points = points_of(record)
    figure_table, timing_table = scan.compare_points(points, scenarios, seeds, args.until, args.workers)
    ends = {"default": package_end_points(package), "medtech refit": record["end_points_within_25pct"]}
    run = scan.run_record(points, scenarios, seeds, args.until) | {"held": HELD}
    return write_refit(
        args, command, run, (points, figure_table, timing_table, ends), started, readme, verdict
    )


def write_refit(
    args: Any,
    command: list[str],
    run: dict[str, Any],
    compared: tuple[scan.Points, pd.DataFrame, pd.DataFrame, dict[str, str]],
    started: float,
    readme_of: Any,
    verdict_of: Any,
) -> int:
    """Write a refit's folder: the table of its points (``compared``: points, dated figures, exit
    timing and calibration end points by point), the figures, the timing, and the manifest with
    ``run`` and the package point; print the verdict's first line. Returns the exit code.
    """
    points, figure_table, timing_table, ends = compared
    table = summary(points, figure_table, scan.exits_by_point(points, timing_table), ends)
    package = json.loads(FITTED_FILE.read_text(encoding="utf-8"))
    run = run | {
        "package_point": {"file": "src/ecosim/fitted_constants.json", "date": package.get("date")},
        "seconds": round(time.monotonic() - started, 1),
    }
    tables = {"points": table, "figures": figure_table, "exit_timing": timing_table}
    scan.write_scan(args.out, command, run, tables, readme_of)
    print("\n".join(verdict_of(table)[:1]) + f"\nwrote {args.out}/ in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
