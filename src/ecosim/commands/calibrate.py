"""``ecosim calibrate``: fit the shared constants to the cluster figures and write the report."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from ecosim import calibrate
from ecosim.commands.common import check_maker, check_out, output_path
from ecosim.constants import FREE, Constants, fitted, with_overrides
from ecosim.errors import excerpt


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``ecosim calibrate``."""
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny budget on the young clusters (CI): same code, a minute or two",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        metavar="N",
        help=f"seeds per objective evaluation (default {calibrate.FULL.fit_seeds}; "
        f"quick {calibrate.QUICK.fit_seeds})",
    )
    parser.add_argument(
        "--report-seeds",
        type=int,
        metavar="N",
        help=f"seeds of the model-vs-data table (default {calibrate.FULL.report_seeds})",
    )
    parser.add_argument(
        "--maxfev",
        type=int,
        metavar="N",
        help=f"objective evaluations of the fit after the start's (default {calibrate.FULL.maxfev})",
    )
    parser.add_argument(
        "--loo-seeds",
        type=int,
        metavar="N",
        help=f"seeds of each leave-one-out refit (default {calibrate.FULL.loo_seeds})",
    )
    parser.add_argument(
        "--loo-maxfev",
        type=int,
        metavar="N",
        help=f"evaluations of each leave-one-out refit (default {calibrate.FULL.loo_maxfev})",
    )
    parser.add_argument(
        "--step",
        type=float,
        metavar="LOG",
        help=f"finite-difference step of the Jacobian in log units (default {calibrate.FULL.step})",
    )
    parser.add_argument("--no-loo", action="store_true", help="skip the leave-one-out check")
    parser.add_argument("--workers", type=int, default=2, metavar="N", help="processes (default 2)")
    parser.add_argument(
        "--scenarios",
        default="scenarios",
        metavar="DIR",
        help="folder of the scenario files (default scenarios/)",
    )
    parser.add_argument(
        "--out",
        type=output_path,
        metavar="DIR",
        help="report folder (default results/calibration; quick: runs/calibration-quick)",
    )
    parser.add_argument(
        "--store",
        type=output_path,
        metavar="DIR",
        help="folder keeping every finished run, so that a killed calibration resumes "
        "when the same command is run again (default runs/calibration-store; "
        "quick: runs/calibration-quick-store)",
    )
    parser.add_argument(
        "--start",
        metavar="FILE",
        help="start the fit from the fitted constants of FILE (a record such as "
        "src/ecosim/fitted_constants.json, e.g. an earlier package default) instead of the "
        "package's installed point",
    )
    add_space_arguments(parser, "fit", "never with --install")
    parser.add_argument(
        "--by-kinds",
        action="store_true",
        help="read each figure by the kinds of firm it counts (the counts of biotech or biopharma "
        "alone against the model's drug industry alone: targets.csv's kinds column); the package "
        "default reads every figure by its metric, so never with --install",
    )
    parser.add_argument(
        "--install",
        action="store_true",
        help="also make the fit the package default (src/ecosim/fitted_constants.json); without it "
        "the default stays what it is (experiments/default_point.py says which point is best); "
        "never with --quick",
    )
    # Before the default became the posterior median the fit was installed unless told not to:
    # the old option is still accepted, and means what it meant.
    parser.add_argument("--no-install", action="store_true", help=argparse.SUPPRESS)


def add_held_option(parser: argparse.ArgumentParser, description: str) -> None:
    """The repeatable ``--set NAME=VALUE`` option (read by held_constants), into ``args.held``."""
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", dest="held", help=description
    )


def add_space_arguments(parser: argparse.ArgumentParser, what: str, never: str) -> None:
    """``--set``, ``--free`` and ``--also-fit``: what a refit of another model holds, frees and fits
    beside the package's (read by :func:`space_of`), for ``ecosim calibrate`` and ``ecosim
    posterior`` alike; ``what`` names the command's work, ``never`` when it is never installed.
    """
    add_held_option(
        parser,
        f"hold a constant at VALUE for the whole {what} (repeatable), e.g. --set medtech_share=0.55, "
        "or a list constant's numbers separated by commas, e.g. --set early_team_years=2000,2010; "
        f"one of constants.FREE held is not fitted, e.g. --set ipo_rate_year=1: a refit of another "
        f"model; {never}",
    )
    parser.add_argument(
        "--free",
        action="append",
        default=[],
        metavar="NAME",
        help="fit a constant beside the fifteen of constants.FREE (repeatable), one with a search box "
        f"in calibrate.BOUNDS, e.g. --free round_size_multiple: a refit of another model; {never}",
    )
    parser.add_argument(
        "--also-fit",
        action="append",
        default=[],
        metavar="CLUSTER:METRIC@DATE",
        help="fit a figure of data/targets.csv beside the package's targets (repeatable): a level of "
        "a dated history figure up to 2000 the package fit does not see, e.g. --also-fit "
        f"san_diego:firms_listed@2000-12: a refit of another model; {never}",
    )


def space_of(args: argparse.Namespace) -> calibrate.Space:
    """The Space of ``--set``, ``--free`` and ``--also-fit``, checked.

    Raises:
        ValueError: the option and what is wrong with it (``--set: ...``).
    """
    option = "--set"
    try:
        held = held_constants(args.held)
        option = "--free"
        freed = freed_constants(args.free)
        option = "--also-fit"
        also = calibrate.also_fitted(args.also_fit)
    except ValueError as error:
        raise ValueError(f"{option}: {error}") from None
    both = sorted(set(held) & set(args.free))
    if both:
        raise ValueError(f"--set: {', '.join(both)} is freed by --free")
    return calibrate.Space(tuple(held.items()), tuple(n for n in freed if n not in FREE), also)


def held_constants(settings: list[str]) -> dict[str, object]:
    """The constants ``--set NAME=VALUE`` holds, checked: a known constant (one of constants.FREE
    held is not fitted), a number of its kind, or for a list constant its numbers separated by commas
    (``early_team_years=1991,2011``; brackets around them are allowed).

    Raises:
        ValueError: naming the setting that is wrong and why.
    """
    held: dict[str, object] = {}
    for setting in settings:
        name, sep, text = setting.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ValueError(f"{setting!r}: expected NAME=VALUE")
        default = getattr(Constants(), name, None)
        if isinstance(default, tuple):
            written = f"{name}=" + ",".join(f"{v:g}" for v in default)
            wrong = f"constants.{name}: must be a list of {len(default)} numbers (written {written})"
            wrong += f", got {excerpt(text)}"
            parts = text.strip().removeprefix("[").removesuffix("]").split(",")
            try:
                value: object = [float(part) for part in parts]
            except ValueError:
                raise ValueError(wrong) from None
            if len(parts) != len(default):
                raise ValueError(wrong)
        else:
            try:
                value = float(text)
            except ValueError:
                raise ValueError(f"{name}: {text!r} is not a number") from None
        with_overrides(fitted(), {name: value})  # an unknown name or a value outside its domain fails here
        held[name] = value
    return held


def freed_constants(names: list[str]) -> tuple[str, ...]:
    """The constants the fit moves with ``--free NAME``: FREE and each NAME, checked (a constant
    not in FREE, with a search box in calibrate.BOUNDS).

    Raises:
        ValueError: naming the constant that cannot be freed and why.
    """
    for name in names:
        if name in FREE:
            raise ValueError(f"{name} is fitted already (constants.FREE)")
        if name not in calibrate.BOUNDS:
            boxed = ", ".join(n for n in calibrate.BOUNDS if n not in FREE)
            raise ValueError(
                f"{excerpt(name)}: no search box in calibrate.BOUNDS (boxed beside FREE: {boxed})"
            )
    return (*FREE, *dict.fromkeys(names))


def start_constants(path: str, free: tuple[str, ...] = FREE) -> dict[str, float]:
    """The fitted constants of the record at ``path`` (``--start``): its ``constants`` that
    the fit moves (``free``: constants.FREE and any --free names).

    Raises:
        ValueError: naming what is wrong with the file.
    """
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"cannot read a JSON record ({error.__class__.__name__})") from None
    values = record.get("constants") if isinstance(record, dict) else None
    if not isinstance(values, dict):
        raise ValueError("no 'constants' object")
    start = {name: values[name] for name in free if name in values}
    bad = [name for name, value in start.items() if not isinstance(value, int | float) or value <= 0]
    if not start or bad:
        raise ValueError(f"constants: no positive number for {', '.join(bad) or 'any fitted constant'}")
    return {name: float(value) for name, value in start.items()}


def execute(args: argparse.Namespace) -> int:
    """Fit, write the report and (with --install, never with --quick) the package defaults."""
    budget = calibrate.QUICK if args.quick else calibrate.FULL
    changes = {
        "fit_seeds": args.seeds,
        "report_seeds": args.report_seeds,
        "maxfev": args.maxfev,
        "loo_seeds": args.loo_seeds,
        "loo_maxfev": args.loo_maxfev,
    }
    options = {"fit_seeds": "--seeds"}
    for name, value in changes.items():
        if value is not None and value < 1:
            option = options.get(name, f"--{name.replace('_', '-')}")
            sys.stderr.write(f"error: {option} must be at least 1\n")
            return 2
    budget = dataclasses.replace(budget, **{k: v for k, v in changes.items() if v is not None})
    try:
        space = space_of(args)
    except ValueError as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    free = space.free
    if free != FREE and not args.quick:
        # The full budget follows the constants fitted (one Jacobian column each), unless given.
        fitting = budget.freeing(len(free) - len(FREE))
        budget = dataclasses.replace(
            budget,
            maxfev=args.maxfev or fitting.maxfev,
            loo_maxfev=args.loo_maxfev or fitting.loo_maxfev,
        )
    if args.step is not None:
        if not 0 < args.step <= 1:
            sys.stderr.write("error: --step must be in (0, 1]\n")
            return 2
        budget = dataclasses.replace(budget, step=args.step)
    if args.workers < 1:
        sys.stderr.write("error: --workers must be at least 1\n")
        return 2
    if not space.package and args.install:
        sys.stderr.write(
            f"error: {space.option}: a fit that holds, frees or fits beside the package's is another "
            "model's; never installed\n"
        )
        return 2
    if args.quick and args.install:
        # Refused as --set and --by-kinds are: installing nothing while told to was silent.
        sys.stderr.write("error: --install: a quick fit (a smaller budget) is never installed\n")
        return 2
    if args.by_kinds and args.install:
        sys.stderr.write(
            "error: --by-kinds: the package default reads every figure by its metric; never installed\n"
        )
        return 2
    try:
        begun = start_constants(args.start, free) if args.start else {}
    except ValueError as error:
        sys.stderr.write(f"error: {args.start}: --start: {error}\n")
        return 2
    out = args.out or Path("runs/calibration-quick" if args.quick else "results/calibration")
    check_out(out)
    check_maker(out, "ecosim calibrate")
    store = args.store or Path("runs/calibration-quick-store" if args.quick else "runs/calibration-store")
    check_out(store, option="--store")
    record = calibrate.calibrate(
        out,
        budget=budget,
        workers=args.workers,
        scenario_dir=args.scenarios,
        install=args.install and not args.no_install,
        loo=not args.no_loo,
        command=["ecosim", *sys.argv[1:]] if sys.argv and sys.argv[0].endswith("ecosim") else None,
        store_dir=store,
        start=with_overrides(fitted(), {**begun, **dict(space.held)}) if space.held or begun else None,
        by_kinds=args.by_kinds,
        free=free,
        also_fit=space.also_fit,
    )
    print(
        f"objective {record['objective']:.4f}; end points within +-25%: "
        f"{record['end_points_within_25pct']}; history up to 2000 within x1.5: "
        f"{record['history_within_factor_1_5']}"
    )
    print("fitted: " + ", ".join(f"{k}={v:.4g}" for k, v in record["constants"].items()))
    return 0
