"""``ecosim posterior``: the free constants' posterior on the history patterns (ABC-SMC, pyabc).

Exit codes: 0 when the report is written, 2 for bad input (or the ``analysis`` extra missing).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from ecosim.commands.calibrate import add_space_arguments, space_of
from ecosim.commands.common import (
    add_executor_arguments,
    check_maker,
    check_out,
    executor_backend,
    output_path,
    whole_number,
)
from ecosim.errors import ScenarioError


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``ecosim posterior``."""
    from ecosim import posterior  # light: pyabc is imported when the inference starts

    full = posterior.FULL
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny budget on the three youngest parks (CI): the same code in a minute",
    )
    parser.add_argument(
        "--population",
        type=whole_number(2),
        metavar="N",
        help=f"particles a generation of ABC-SMC on the emulator (default {full.population})",
    )
    parser.add_argument(
        "--generations",
        type=whole_number(1),
        metavar="N",
        help=f"generations at most, the prior's included (default {full.generations})",
    )
    parser.add_argument(
        "--design",
        type=whole_number(10),
        metavar="N",
        help=f"runs of the model over the prior, the emulator's data (default {full.design})",
    )
    parser.add_argument(
        "--predictive",
        type=whole_number(1),
        metavar="N",
        help=f"posterior draws of the predictive check (default {full.predictive})",
    )
    parser.add_argument(
        "--scenarios",
        type=Path,
        default=Path("scenarios"),
        metavar="DIR",
        help="folder of the scenario files",
    )
    parser.add_argument(
        "--out",
        type=output_path,
        default=None,
        help="report folder (default results/posterior; quick: runs/posterior-quick)",
    )
    parser.add_argument(
        "--runs",
        type=output_path,
        default=None,
        help="folder of the finished runs, the resume state (default runs/posterior-store; quick: "
        "runs/posterior-quick-store)",
    )
    parser.add_argument(
        "--no-install",
        action="store_true",
        help="do not make the posterior median the package default (always so with --quick)",
    )
    parser.add_argument(
        "--install-from",
        type=Path,
        metavar="DIR",
        help="run nothing: make a point of the report in DIR (e.g. results/posterior) the package "
        "default, src/ecosim/fitted_constants.json (never a --quick report's)",
    )
    parser.add_argument(
        "--point",
        choices=("median", "closest"),
        default="median",
        help="with --install-from: each constant's posterior median (default) or the particle "
        "closest to the figures (experiments/default_point.py compares them)",
    )
    add_space_arguments(parser, "inference", "only with --no-install")
    add_executor_arguments(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress lines")


def execute(args: argparse.Namespace) -> int:
    """Infer, check and write the report."""
    from ecosim import posterior

    command = ["ecosim", *sys.argv[1:]] if sys.argv and sys.argv[0].endswith("ecosim") else None
    if args.install_from is not None:
        if args.held or args.free or args.also_fit:
            raise ScenarioError(
                "--install-from", "", "runs nothing, so --set, --free and --also-fit have nothing to change"
            )
        try:
            record = posterior.install(args.install_from, command=command, point=args.point)
        except posterior.SampleError as exc:
            raise ScenarioError("--install-from", "", str(exc)) from None
        shown = ", ".join(f"{name}={value:.4g}" for name, value in record["constants"].items())
        print(f"{posterior.FITTED_FILE}: the {record['point']} of {args.install_from} ({shown})")
        return 0
    budget = posterior.QUICK if args.quick else posterior.FULL
    changes = {
        "population": args.population,
        "generations": args.generations,
        "design": args.design,
        "predictive": args.predictive,
    }
    budget = dataclasses.replace(budget, **{k: v for k, v in changes.items() if v is not None})
    try:
        space = space_of(args)
    except ValueError as error:
        raise ScenarioError("posterior", "", str(error)) from None
    if not (space.package or args.quick or args.no_install):
        raise ScenarioError(
            "posterior",
            space.option,
            "a posterior that holds, frees or fits beside the package's is another model's, never the "
            "package default: add --no-install",
        )
    out = args.out or Path("runs/posterior-quick" if args.quick else "results/posterior")
    runs = args.runs or Path("runs/posterior-quick-store" if args.quick else "runs/posterior-store")
    check_out(out)
    check_maker(out, "ecosim posterior")
    check_out(runs, option="--runs")
    if not args.scenarios.is_dir():
        raise ScenarioError(args.scenarios, "--scenarios", "is not a folder of scenario files")
    try:
        posterior._pyabc()
    except posterior.AnalysisExtraMissingError as exc:
        raise ScenarioError("posterior", "", str(exc)) from None
    backend = executor_backend(args)
    finished = False
    try:
        summary = posterior.posterior(
            out,
            budget=budget,
            backend=backend,
            scenario_dir=args.scenarios,
            store_dir=runs,
            command=command,
            log=None if args.quiet else lambda line: print(line, file=sys.stderr),
            space=space,
        )
        finished = True
    finally:
        backend.close(not finished)
    if not (args.quick or args.no_install):
        posterior.install(out, command=command)
        print(
            f"{posterior.FITTED_FILE}: the posterior median is now the package default "
            "(experiments/default_point.py --install compares it with the other points)"
        )
    print(
        f"{out}: {summary['design_runs']} runs, emulator R squared "
        f"{summary['emulator_r_squared_median']:.2f}, "
        f"{summary['generations']} generations; "
        f"predictive 90% interval holds {summary['covered_in_sample']} figures in sample, "
        f"{summary['covered_out_of_sample']} out of sample"
    )
    return 0
