"""The ``ecosim`` command line: one sub-command per job, each implemented in its own module.

Every module named in COMMANDS provides ``configure(parser)`` (its arguments) and
``execute(args) -> int`` (its exit code). Bad input anywhere surfaces as a ScenarioError and
becomes one line on stderr and exit code 2, never a traceback; a data file missing from the
package (a broken install) is one line and exit code 1.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import importlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import NoReturn

from ecosim import __version__
from ecosim.errors import ScenarioError, printable
from ecosim.packagedata import MissingDataError

# sub-command -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("ecosim.commands.run", "run one scenario and write its outputs"),
    "validate": ("ecosim.commands.validate", "check scenario files without running them"),
    "calibrate": ("ecosim.commands.calibrate", "fit the shared constants to the cluster figures"),
    "lineage": ("ecosim.commands.lineage", "draw a family tree of firms from a run folder"),
    "sweep": ("ecosim.commands.sweep", "run an experiment spec: every arm x replication"),
    "report": ("ecosim.commands.report", "tables and figures comparing the arms of a sweep"),
    "sensitivity": ("ecosim.commands.sensitivity", "Morris screening, then Sobol indices (SALib)"),
    "posterior": ("ecosim.commands.posterior", "the fitted constants' posterior (ABC-SMC, pyabc)"),
    "viz": ("ecosim.viz.cli", "start the browser view for presenters (Mesa SolaraViz)"),
}

EXIT_BAD_INPUT = 2
EXIT_BROKEN_INSTALL = 1
EXIT_BROKEN_PIPE = 141  # as a shell reports a command ended by SIGPIPE


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one clear line (control characters escaped), exit code 2."""

    def error(self, message: str) -> NoReturn:  # noqa: D102
        # One line, like every other bad input: the usage is one --help away.
        sys.stderr.write(f"error: {printable(message)} (see {self.prog} --help)\n")
        sys.exit(EXIT_BAD_INPUT)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser with every sub-command's arguments (with ``only``: just that one's).

    A sub-command's module is imported only when it is configured, so ``ecosim validate`` or a
    bad ``ecosim run`` answers without loading the model, pandas or matplotlib.
    """
    parser = _Parser(prog="ecosim", description="Agent-based simulation of bio-communities.")
    parser.add_argument("--version", action="version", version=f"ecosim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (module_name, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        if only is None or name == only:
            module = importlib.import_module(module_name)
            module.configure(command)
            command.set_defaults(_module=module)
    return parser


def _command_in(argv: Sequence[str]) -> str:
    """The sub-command an argument list names (its first word that is not an option)."""
    return next((arg for arg in argv if not arg.startswith("-")), "")


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM ends the command as Ctrl-C does: through its clean-up (staging, executors)."""
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def _kept_for_good() -> Iterator[None]:
    """Imports without the garbage collector, their objects then frozen out of its sight.

    Importing a command's libraries (Mesa with pandas, SciPy and networkx) makes some 150,000
    objects that live as long as the process. The collector went through them again and again
    while they were made and at each full collection afterwards: 0.3-0.4 s of a Greater Tokyo
    ``ecosim run``, 0.07-0.09 s with this (benchmarks/README.md, fourth round). Frozen objects
    are never collected, so cyclic garbage made by the imports stays (about 2 MB): fine for the
    command line's own process, not for a process of someone else's (``main`` in the tests).
    """
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def main(argv: list[str] | None = None, *, own_process: bool = False) -> int:
    """Entry point of the command line: the sub-command ``argv`` names, run; its exit code.

    Args:
        argv: the arguments (default: the process's).
        own_process: the process is the command line's own (``entry``): its imports are kept
            out of the garbage collector's sight (``_kept_for_good``).
    """
    argv = sys.argv[1:] if argv is None else argv
    command = _command_in(argv)
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        # Inside the try: Ctrl-C while the sub-command's modules load is an interruption too.
        with _kept_for_good() if own_process else contextlib.nullcontext():
            parser = build_parser(command if command in COMMANDS else "")
        args = parser.parse_args(argv)
        return int(args._module.execute(args) or 0)
    except BrokenPipeError:
        # The reader went away (`ecosim run ... | head`): no one is left to tell. Point stdout
        # at /dev/null so the exit's flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except ScenarioError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_BAD_INPUT
    except MissingDataError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_BROKEN_INSTALL
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def exit_now(code: int) -> NoReturn:
    """End the process with exit code ``code`` without tearing the interpreter down.

    At a normal exit CPython frees every module and object one by one before the process ends.
    With Mesa, pandas, SciPy and matplotlib loaded and a run's model still in memory, that took
    0.8-0.9 s of a 7 s Greater Tokyo ``ecosim run``, more on a busy machine (benchmarks/README.md,
    fourth round): work the operating system does at once when the process ends. What a normal exit does that
    matters is done first: if a thread other than this one is still running, the normal exit
    waits for it (so this falls back to it); the atexit handlers run (they close executors,
    loggers, coverage files); stdout and stderr are flushed. Only for the command line's own
    process (``python -m ecosim``, the ``ecosim`` script): ``main`` called in a process of
    someone else's (the tests) returns as before.
    """
    if any(t is not threading.main_thread() and not t.daemon for t in threading.enumerate()):
        sys.exit(code)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        # As main() answers a reader that went away (`ecosim run ... | head`).
        code = EXIT_BROKEN_PIPE
    os._exit(code)


def entry() -> NoReturn:
    """The ``ecosim`` script and ``python -m ecosim``: ``main`` on the process's arguments."""
    exit_now(main(own_process=True))


if __name__ == "__main__":
    entry()
