"""``ecosim sweep SPEC``: run every (arm, replication) of an experiment spec, resumably.

Exit codes: 0 when every run finished, 1 when some runs raised (they are recorded, the others
ran) or were lost by the executor (they are redone on the next run of the same command), 2 for
bad input.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ecosim import sweep
from ecosim.progress import ProgressBar
from ecosim.store import RunStore

EXIT_OK = 0
EXIT_RUNS_FAILED = 1
EXIT_BAD_INPUT = 2


def configure(parser: argparse.ArgumentParser) -> None:
    """Declare the sub-command's arguments."""
    parser.add_argument("spec", type=Path, help="experiment spec (YAML)")
    parser.add_argument("--out", type=Path, default=None, help="sweep folder (default: runs/<spec name>)")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="local worker processes (default: CPU count; 1 runs in this process)",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="Dask scheduler (e.g. tcp://10.0.0.5:8786); needs the 'dask' extra",
    )
    parser.add_argument("--replications", type=int, default=None, help="override the spec's")
    parser.add_argument(
        "--until", type=int, default=None, metavar="YEAR", help="override the last simulated year"
    )
    parser.add_argument("--retry-failed", action="store_true", help="redo runs whose file records an error")
    parser.add_argument(
        "--allow-code-change",
        action="store_true",
        help="resume a folder whose runs another commit or package versions made",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


class SchedulerError(Exception):
    """The Dask scheduler cannot be used (Dask missing or scheduler unreachable)."""


def _dask_executor(address: str) -> tuple[Executor, Any]:
    """Connect to a Dask scheduler and return its concurrent.futures executor and client."""
    try:
        from distributed import Client
    except ImportError:
        raise SchedulerError("--scheduler needs Dask: pip install 'ecosim[dask]'") from None
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    return client.get_executor(), client


def make_executor(workers: int | None, scheduler: str | None) -> tuple[Executor, str, Any]:
    """Choose the executor: Dask when a scheduler is given, else serial or a process pool.

    Returns:
        The executor, a label for the manifest, and the Dask client to close (or None).
    """
    if scheduler:
        executor, client = _dask_executor(scheduler)
        return executor, f"dask {scheduler}", client
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        return sweep.SerialExecutor(), "serial", None
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=sweep.exit_with_parent,
        initargs=(os.getpid(),),
    )
    return pool, f"pool {workers}", None


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
        print(f"  failed {run_id}: {error}", file=sys.stderr)
    if len(outcome.failures) > 10:
        print(f"  ... and {len(outcome.failures) - 10} more (see {out}/errors/)", file=sys.stderr)
    if outcome.lost:
        print("  lost runs are redone when the same command is run again", file=sys.stderr)


def execute(args: argparse.Namespace) -> int:
    """Run the sweep and return its exit code."""
    overrides = {"replications": args.replications, "until": args.until}
    plan = sweep.plan(args.spec, overrides)
    out = args.out or Path("runs") / plan.spec.name
    for note in plan.notes:
        print(f"note: {note}", file=sys.stderr)
    store = RunStore(out)
    changed = sweep.code_change(store.read_manifest())
    if changed and not args.allow_code_change:
        print(
            f"error: {out}: {changed}; resuming would mix model versions "
            "(use another --out, or --allow-code-change)",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    try:
        todo = sweep.pending(plan.tasks, store.finished(), args.retry_failed)
    except ValueError as exc:
        print(f"error: {out}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        executor, backend, client = make_executor(args.workers, args.scheduler)
    except SchedulerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    progress = SweepProgress(len(todo), len(plan.tasks) - len(todo), f"{plan.spec.name}: runs", args.quiet)
    try:
        outcome = sweep.run_sweep(
            plan, store, executor, progress, retry_failed=args.retry_failed, backend=backend
        )
    finally:
        progress.close()
        executor.shutdown(wait=True, cancel_futures=True)
        if client is not None:
            client.close()
    _report(outcome, out)
    return EXIT_OK if outcome.complete else EXIT_RUNS_FAILED
