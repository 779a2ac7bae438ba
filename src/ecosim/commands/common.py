"""Checks that several sub-commands make on their arguments, before any work is done."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ecosim import atomic
from ecosim.errors import ScenarioError, excerpt
from ecosim.limits import MAX_NUMBER_DIGITS

if TYPE_CHECKING:
    from ecosim.engine import Backend
    from ecosim.scenario import Scenario


def whole_number(minimum: int | None = None, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse ``type``: a whole number within bounds, refused in words otherwise.

    argparse would quote the whole argument back (``invalid int value: '999...'``) and Python
    refuses to convert more than 4,300 digits with a traceback-worthy ValueError; this parser
    quotes an excerpt and names the bounds.
    """

    def parse(text: str) -> int:
        if sum(char.isdigit() for char in text) > MAX_NUMBER_DIGITS:
            raise argparse.ArgumentTypeError(
                f"a number of more than {MAX_NUMBER_DIGITS} digits (limits.MAX_NUMBER_DIGITS)"
            )
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {excerpt(text)}") from None
        if minimum is not None and value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum}, got {value}")
        return value

    parse.__name__ = "whole number"
    return parse


def output_path(text: str) -> Path:
    """An argparse ``type`` for an output folder or file (``--out``, ``--runs``, ``--store``).

    An empty path is refused: ``Path("")`` is ``.``, so ``--out ''`` wrote into the working folder
    (``ecosim sweep``), while a command that read the empty text as false used its default
    (``ecosim run``); either way not what was asked.
    """
    if not text:
        raise argparse.ArgumentTypeError("an empty path (for the working folder, write .)")
    return Path(text)


def check_out(path: str | Path, folder: bool = True, option: str = "--out") -> None:
    """Refuse an output place that cannot be written, before the work that would fill it.

    Raises:
        ScenarioError: naming the place and the option that gave it.
    """
    try:
        atomic.check_writable(path, folder=folder)
    except atomic.UnwritableError as exc:
        raise ScenarioError(path, option, str(exc)) from None


MANIFEST_MARKS = {
    "ecosim run": "scenario_hash",
    "ecosim sweep": "spec_digest",
    "ecosim calibrate": "evaluations",
    "ecosim posterior": "figures_inferred",
    "ecosim sensitivity": "screened",
}
"""The field by which each command knows the manifest.json it writes (a run's scenario digest, a
sweep's spec digest, a fit's count of evaluations, the figures a posterior inferred, the factors a
sensitivity analysis screened): every one of them writes OUT/manifest.json."""


def check_maker(out: str | Path, command: str, option: str = "--out") -> None:
    """Refuse a folder whose manifest.json another command wrote, before any work.

    Every command of :data:`MANIFEST_MARKS` writes DIR/manifest.json: given another's folder, each
    replaced the other's provenance (a run's files sat among a sweep's runs; a calibration's
    --out on a run folder left the run without its record). A manifest that cannot be read is
    left to the command (a sweep refuses it as damaged; a run replaces its own files).

    Args:
        out: the output folder.
        command: the command that would write it, a key of :data:`MANIFEST_MARKS`.
        option: the option that gave the folder.

    Raises:
        ScenarioError: naming the folder, the command that made it and the option.
    """
    try:
        manifest = json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return
    if not isinstance(manifest, dict) or MANIFEST_MARKS[command] in manifest:
        return
    maker = next((f"`{name}`" for name, mark in MANIFEST_MARKS.items() if mark in manifest), None)
    if maker is None:  # another command's (an experiment's script): name it by its command line
        recorded = manifest.get("command")
        maker = f"another command ({excerpt(recorded)})" if isinstance(recorded, str) else "another command"
    message = (
        f"made by {maker}: `{command}` would replace its manifest.json (what made it); use another {option}"
    )
    raise ScenarioError(out, "", message)


def check_land(path: str | Path, scenario: Scenario, field: str = "region") -> None:
    """Refuse a region where nothing can settle (no land and no named site), before building it:
    the model would stop with a traceback at its first settler.

    Args:
        path: the file that gave the scenario (a scenario, or a sweep spec).
        scenario: the scenario as it will run.
        field: where in ``path`` the region comes from (a sweep names the arm).

    Raises:
        ScenarioError: naming the file and its region.
    """
    from ecosim import geography  # the land tiles: only for commands that build a region

    if not geography.has_land(scenario):
        raise ScenarioError(
            path,
            field,
            "no land in it and no named site (institution, hub, incubator, VC office, pharma site, "
            "anchor with lat/lon): firms would have nowhere to settle",
        )


def add_executor_arguments(parser: argparse.ArgumentParser) -> None:
    """``--workers`` and ``--scheduler``: where the runs of a command that does many execute."""
    parser.add_argument(
        "--workers",
        type=whole_number(1),
        default=None,
        help="local worker processes (default: CPU count; 1 runs in this process)",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="Dask scheduler (e.g. tcp://10.0.0.5:8786); needs the 'dask' extra",
    )


def executor_backend(args: argparse.Namespace) -> Backend:
    """The engine's executor for ``--workers`` and ``--scheduler``.

    Raises:
        ScenarioError: the scheduler cannot be used (Dask missing or unreachable).
    """
    from ecosim import engine  # numpy and the pools: only for commands that run the model

    try:
        return engine.backend(args.workers, args.scheduler)
    except engine.SchedulerError as exc:
        raise ScenarioError("--scheduler", "", str(exc)) from None
