"""``ecosim sensitivity SPEC``: Morris screening, then Sobol indices, resumably (SALib).

Exit codes: 0 when both stages finished and the results are written, 1 when some runs raised or
were lost (nothing is written; running the same command again redoes what is missing), 2 for
bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ecosim import engine
from ecosim.commands.common import (
    add_executor_arguments,
    check_maker,
    check_out,
    executor_backend,
    output_path,
)
from ecosim.commands.sweep import run_plan
from ecosim.errors import printable

if TYPE_CHECKING:
    from ecosim.sensitivity import Stage

EXIT_OK = 0
EXIT_RUNS_FAILED = 1


class StageFailedError(Exception):
    """Some runs of a stage raised or were lost: its analysis would read an incomplete design."""


def configure(parser: argparse.ArgumentParser) -> None:
    """Declare the sub-command's arguments."""
    parser.add_argument("spec", type=Path, help="sensitivity spec (YAML)")
    parser.add_argument(
        "--out", type=output_path, default=None, help="results folder (default: results/<spec name>)"
    )
    parser.add_argument(
        "--runs",
        type=output_path,
        default=None,
        help="folder of the stages' runs (default: runs/<spec name>)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="the spec's quick budget: the same code on a tiny design"
    )
    parser.add_argument(
        "--screen-only",
        action="store_true",
        help="stop after the Morris screening (no Sobol stage): a first answer in a fraction of the runs",
    )
    add_executor_arguments(parser)
    parser.add_argument(
        "--allow-code-change",
        action="store_true",
        help="resume run folders that another commit or other package versions made",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def execute(args: argparse.Namespace) -> int:
    """Run both stages, analyse them and write the results."""
    from ecosim import sensitivity

    spec = sensitivity.read_spec(args.spec, quick=args.quick)
    if args.screen_only:
        spec = spec.model_copy(update={"sobol": None})
    out = args.out or Path("results") / spec.name
    runs = args.runs or Path("runs") / spec.name
    check_out(out)
    check_maker(out, "ecosim sensitivity")
    check_out(runs, option="--runs")
    backend = executor_backend(args)
    finished = False
    try:
        result = sensitivity.analyse(spec, args.spec, runs, lambda stage: _run_stage(stage, backend, args))
        finished = True
    except StageFailedError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return EXIT_RUNS_FAILED
    finally:
        backend.close(not finished)
    written = sensitivity.write_results(result, spec, args.spec, out)
    print(f"{out}: {', '.join(p.name for p in written)}")
    return EXIT_OK


def _run_stage(stage: Stage, backend: engine.Backend, args: argparse.Namespace) -> None:
    """Do a stage's missing runs into its folder; raise StageFailedError unless all succeeded."""
    outcome = run_plan(stage.plan, stage.runs, backend, args, f"{stage.name}: runs", option="--runs")
    if not outcome.complete:
        lost = f", {len(outcome.lost)} lost" if outcome.lost else ""
        raise StageFailedError(
            f"{stage.runs}: {outcome.failed + outcome.skipped_failed} runs failed{lost}; "
            "nothing written (see its errors/ folder; run the same command again to redo lost runs)"
        )
