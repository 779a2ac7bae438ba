"""``ecosim validate SCENARIO...``: check scenario files without running them."""

from __future__ import annotations

import argparse
import sys

from ecosim.commands.common import check_land
from ecosim.errors import printable
from ecosim.scenario import ScenarioError, load


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``ecosim validate``."""
    parser.add_argument("scenarios", nargs="+", help="scenario YAML files")


def execute(args: argparse.Namespace) -> int:
    """Validate every file; report each problem; exit 2 if any file is bad."""
    bad = 0
    for path in args.scenarios:
        try:
            scenario = load(path)
            check_land(path, scenario)  # what ecosim run would refuse, validate refuses
        except ScenarioError as exc:
            sys.stderr.write(f"error: {exc}\n")
            bad += 1
            continue
        years = f"{scenario.start_year}-{scenario.end_year}"
        print(f"ok: {printable(path)}: {printable(scenario.name)}, {years}, hash {scenario.digest()[:12]}")
    return 2 if bad else 0
