"""``ecosim sweep SPEC``: run every (arm, replication) of an experiment spec, resumably.

Exit codes: 0 when every run finished, 1 when some runs raised (they are recorded, the others
ran) or were lost by the executor (they are redone on the next run of the same command), 2 for
bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ecosim import engine, sweep
from ecosim.commands.common import (
    add_executor_arguments,
    check_land,
    check_maker,
    check_out,
    executor_backend,
    output_path,
    whole_number,
)
from ecosim.errors import ScenarioError, printable
from ecosim.progress import ProgressBar
from ecosim.store import FolderBusyError, RunStore

EXIT_OK = 0
EXIT_RUNS_FAILED = 1
EXIT_BAD_INPUT = 2


def configure(parser: argparse.ArgumentParser) -> None:
    """Declare the sub-command's arguments."""
    parser.add_argument("spec", type=Path, help="experiment spec (YAML)")
    parser.add_argument(
        "--out", type=output_path, default=None, help="sweep folder (default: runs/<spec name>)"
    )
    add_executor_arguments(parser)
    parser.add_argument("--replications", type=whole_number(1), default=None, help="override the spec's")
    parser.add_argument(
        "--until", type=whole_number(), default=None, metavar="YEAR", help="override the last simulated year"
    )
    parser.add_argument("--retry-failed", action="store_true", help="redo runs whose file records an error")
    parser.add_argument(
        "--allow-code-change",
        action="store_true",
        help="resume a folder whose runs another commit or package versions made",
    )
    parser.add_argument(
        "--allow-runner",
        action="store_true",
        help="let the spec's `runner: module:function` import and run code outside ecosim "
        "(a spec is data: without this flag it may name only ecosim's runners)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


class SweepProgress:
    """The project's progress bar, counting this session's runs, with failures in the label."""

    def __init__(self, todo: int, done_before: int, label: str, quiet: bool) -> None:
        prefix = f"{label} ({done_before} done before)" if done_before else label
        self.prefix = prefix
        self.todo = todo
        self.done = 0
        self.failed = 0
        self.bar = ProgressBar(prefix, todo, enabled=not quiet and todo > 0, delay=0.5)

    def __call__(self, record: sweep.RunRecord | None) -> None:
        """Advance by one completed run."""
        self.done += 1
        if record is None or not record.ok:
            self.failed += 1
            self.bar.label = f"{self.prefix} {self.failed} failed"
        self.bar(self.done, self.todo)

    def close(self) -> None:
        """Finish the bar's line."""
        self.bar.close()


def _report(outcome: sweep.SweepOutcome, out: Path) -> None:
    earlier = f" ({outcome.skipped_failed} of them failed)" if outcome.skipped_failed else ""
    print(
        f"{out}: {outcome.total} runs: {outcome.skipped} already done{earlier}, "
        f"{outcome.succeeded} done now, {outcome.failed} failed, {len(outcome.lost)} lost"
    )
    for run_id, error in outcome.failures[:10]:
        print(f"  failed {run_id}: {printable(error)}", file=sys.stderr)
    if len(outcome.failures) > 10:
        print(f"  ... and {len(outcome.failures) - 10} more (see {out}/errors/)", file=sys.stderr)
    if outcome.lost:
        print("  lost runs are redone when the same command is run again", file=sys.stderr)


def execute(args: argparse.Namespace) -> int:
    """Run the sweep and return its exit code."""
    overrides = {"replications": args.replications, "until": args.until}
    plan = sweep.plan(args.spec, overrides, allow_runner=args.allow_runner)
    out = args.out or Path("runs") / plan.spec.name
    check_out(out)
    check_maker(out, "ecosim sweep")
    for task in plan.tasks:  # every run of an arm shares its region: one check an arm
        if task.replication == 0:
            check_land(plan.path, task.scenario, f"arm '{task.arm.name or task.arm.index}': region")
    for note in plan.notes:
        print(f"note: {printable(note)}", file=sys.stderr)
    backend = executor_backend(args)
    finished = False
    try:
        label = f"{printable(plan.spec.name, 40)}: runs"
        outcome = run_plan(plan, out, backend, args, label, retry_failed=args.retry_failed)
        finished = True
    finally:
        backend.close(not finished)
    _report(outcome, out)
    return EXIT_OK if outcome.complete else EXIT_RUNS_FAILED


def run_plan(
    plan: sweep.SweepPlan,
    out: Path,
    backend: engine.Backend,
    args: argparse.Namespace,
    label: str,
    retry_failed: bool = False,
    option: str = "--out",
) -> sweep.SweepOutcome:
    """Do the runs of ``plan`` that the folder ``out`` lacks, under its lock, with a progress bar.

    Shared by ``ecosim sweep`` and ``ecosim sensitivity`` (each of whose stages is a sweep).

    Raises:
        ScenarioError: another command works in the folder, its runs were made by other code
            (without ``--allow-code-change``) or come from another spec.
    """
    store = RunStore(out)
    try:
        with store.lock():
            todo = _todo(plan, store, args.allow_code_change, retry_failed, option)
            progress = SweepProgress(len(todo), len(plan.tasks) - len(todo), label, args.quiet)
            try:
                return sweep.run_sweep(
                    plan, store, backend.executor, progress, retry_failed=retry_failed, backend=backend.label
                )
            finally:
                progress.close()
    except FolderBusyError as exc:
        message = f"another `ecosim sweep` works in this folder ({exc}); wait for it or use another {option}"
        raise ScenarioError(out, "", message) from None


def _todo(
    plan: sweep.SweepPlan, store: RunStore, allow_code_change: bool, retry_failed: bool, option: str
) -> list[sweep.RunTask]:
    """The runs this session does; refuses a folder of other code or of another spec."""
    changed = sweep.code_change(store.read_manifest())
    if changed and not allow_code_change:
        message = (
            f"{changed}; resuming would mix model versions (use another {option}, or --allow-code-change)"
        )
        raise ScenarioError(store.root, "", message)
    try:
        return sweep.pending(plan.tasks, store.finished(), retry_failed)
    except ValueError as exc:
        raise ScenarioError(store.root, "", str(exc)) from None
