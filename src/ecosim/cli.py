"""The ``ecosim`` command line: one sub-command per job, each implemented in its own module.

Every module named in COMMANDS provides ``configure(parser)`` (its arguments) and
``execute(args) -> int`` (its exit code). Bad input anywhere surfaces as a ScenarioError and
becomes one line on stderr and exit code 2, never a traceback; a data file missing from the
package (a broken install) is one line and exit code 1.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ecosim import __version__
from ecosim.packagedata import MissingDataError
from ecosim.scenario import ScenarioError

# sub-command -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("ecosim.commands.run", "run one scenario and write its outputs"),
    "validate": ("ecosim.commands.validate", "check scenario files without running them"),
    "calibrate": ("ecosim.commands.calibrate", "fit the shared constants to the cluster figures"),
    "lineage": ("ecosim.commands.lineage", "draw a family tree of firms from a run folder"),
    "sweep": ("ecosim.commands.sweep", "run an experiment spec: every arm x replication"),
    "report": ("ecosim.commands.report", "tables and figures comparing the arms of a sweep"),
    "viz": ("ecosim.viz.cli", "start the browser view for presenters (Mesa SolaraViz)"),
}

EXIT_BAD_INPUT = 2
EXIT_BROKEN_INSTALL = 1


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit with code 2 and one clear line (argparse's default too)."""

    def error(self, message: str) -> None:  # noqa: D102
        self.print_usage(sys.stderr)
        sys.stderr.write(f"error: {message}\n")
        sys.exit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    """The full parser with every sub-command's arguments."""
    parser = _Parser(prog="ecosim", description="Agent-based simulation of bio-communities.")
    parser.add_argument("--version", action="version", version=f"ecosim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        module.configure(sub.add_parser(name, help=help_text, description=help_text))
        sub.choices[name].set_defaults(_module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``ecosim`` script."""
    args = build_parser().parse_args(argv)
    try:
        return int(args._module.execute(args) or 0)
    except ScenarioError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_BAD_INPUT
    except MissingDataError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_BROKEN_INSTALL
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
