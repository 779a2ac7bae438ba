"""The experiment engine: a run as a value, one executor factory, and the loop that does runs.

Every client that runs the model many times (``ecosim sweep``, calibration, the lineage and
stylized-fact experiments, a sensitivity analysis) describes each run as a :class:`Run`: the
scenario, constants it overrides, the seed, the last year and the outputs it wants. It hands
the runs to an executor from :func:`backend` (in this process, a spawned process pool that
dies with its parent, or a Dask cluster) and receives each :class:`Outcome` as it completes
(:func:`run_all`), or all of them in order (:func:`run_ordered`). A run that raises is an
outcome with an error, never a lost batch.

Finished runs can be kept in a :class:`~ecosim.store.RunStore` (:func:`run_stored`): a run
the store holds is read back instead of run again, so a client killed half-way (a calibration,
a sweep) resumes where it was by being started again. This is the EMA Workbench pattern: the
model is a function of its parameters that returns outcomes (``ecosim.runner.run_one``), the
samplers (sweep designs), the evaluators (this module) and the analyses (report, calibration)
live apart.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import multiprocessing
import os
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ecosim.errors import excerpt

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from ecosim.constants import Constants
    from ecosim.scenario import Scenario
    from ecosim.store import RunStore

DEFAULT_RUNNER = "ecosim.runner:run_one"
"""The model as a function: ``run_one(scenario, seed, until=, constants=)``."""

OUTPUTS = frozenset({"yearly", "timeseries", "summary", "firms", "deals", "lineage"})
"""What a run can hand back: its yearly table (flows summed, stocks at year end), its monthly
time series, its summary, its firm and deal tables and its lineage graph."""

Seed = int | np.random.SeedSequence


@dataclass(frozen=True, eq=False)
class Run:
    """One run of the model, as a value: everything that decides its result, and what to keep.

    Attributes:
        scenario: the validated scenario.
        seed: an int or a numpy SeedSequence (a sweep's replication ``r`` is
            ``SeedSequence(root_seed, spawn_key=(r,))``).
        until: last calendar year to simulate (inclusive; None: the scenario's end).
        constants: constants replaced in the package defaults, as (name, value) pairs
            (``constants.with_overrides`` checks them).
        outputs: the outputs wanted (see OUTPUTS); the rest is dropped in the worker.
        runner: the model function as ``module:function`` (ecosim.lineage:run_with_anchors
            also records each anchor's lineage).
        columns: keep only these time-series columns (besides ``step`` and ``year``) in
            ``yearly`` and ``timeseries`` (None: all).
    """

    scenario: Scenario
    seed: Seed
    until: int | None = None
    constants: tuple[tuple[str, Any], ...] = ()
    outputs: frozenset[str] = frozenset({"yearly", "summary"})
    runner: str = DEFAULT_RUNNER
    columns: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        unknown = set(self.outputs) - OUTPUTS
        if unknown:
            raise ValueError(f"unknown outputs {sorted(unknown)}; a run gives {sorted(OUTPUTS)}")

    def resolved_constants(self) -> Constants:
        """The constants the run uses: the package defaults with this run's overrides."""
        from ecosim.constants import fitted, with_overrides

        return with_overrides(fitted(), dict(self.constants))

    def fresh_seed(self) -> Seed:
        """The seed as the model takes it: a SeedSequence is copied afresh, because spawning
        from one (as the model does) changes it, and a run must not depend on what ran before
        it with the same object.
        """
        if isinstance(self.seed, np.random.SeedSequence):
            return np.random.SeedSequence(self.seed.entropy, spawn_key=self.seed.spawn_key)
        return self.seed

    def seed_key(self) -> Any:
        """The seed as JSON: an int, or ``{"entropy", "spawn_key"}`` of a SeedSequence."""
        if isinstance(self.seed, np.random.SeedSequence):
            return {"entropy": self.seed.entropy, "spawn_key": list(self.seed.spawn_key)}
        return int(self.seed)

    def digest(self, code: bool = False) -> str:
        """SHA-256 of what decides the run's result and content: scenario, seed, last year,
        constants (resolved: the package defaults count), runner, outputs and columns.

        Args:
            code: also hash the code a run reads (provenance.run_code_digest) and the versions
                of the libraries that shape it (provenance.versions), so that a run of other
                model code or other libraries never matches.
        """
        from ecosim.provenance import run_code_digest, versions

        key = [
            self.scenario.digest(),
            self.seed_key(),
            self.until,
            dataclasses.asdict(self.resolved_constants()),
            self.runner,
            sorted(self.outputs),
            list(self.columns) if self.columns is not None else None,
            [run_code_digest(), versions()] if code else None,
        ]
        return hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class Outcome:
    """What one run handed back: the outputs it was asked for, or its error.

    Attributes:
        run: the run.
        summary: headline numbers (JSON-ready); empty when not asked for or failed.
        yearly: one row a calendar year (``metric_registry.yearly`` with ``months``).
        timeseries: one row a month.
        firms: the firm table.
        deals: the deal table.
        lineage: the lineage graph.
        error: ``Type: message`` when the run raised (then the outputs are None).
        traceback: the traceback of that error.
        seconds: wall time of the run in its worker.
    """

    run: Run
    summary: dict[str, Any] = field(default_factory=dict)
    yearly: pd.DataFrame | None = None
    timeseries: pd.DataFrame | None = None
    firms: pd.DataFrame | None = None
    deals: pd.DataFrame | None = None
    lineage: nx.DiGraph | None = None
    error: str | None = None
    traceback: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the run finished without raising."""
        return self.error is None


def load_runner(runner: str) -> Callable[..., Any]:
    """Import ``module:function``."""
    module_name, _, name = runner.partition(":")
    return getattr(importlib.import_module(module_name), name)


def plain(value: Any) -> Any:
    """Make a summary value JSON-ready (numpy scalars become Python ones)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def execute(run: Run) -> Outcome:
    """Do one run in whatever process it lands in; an exception becomes an error outcome."""
    started = time.perf_counter()
    try:
        outcome = _execute(run)
    except Exception as exc:  # noqa: BLE001 - a failing run is recorded, the others go on
        outcome = Outcome(run, error=f"{type(exc).__name__}: {exc}", traceback=traceback.format_exc())
    outcome.seconds = time.perf_counter() - started
    return outcome


def _execute(run: Run) -> Outcome:
    from ecosim import metric_registry

    # Constants go to the runner only when the run overrides some: a runner of the model's
    # defaults (the package's fitted constants) need not take them.
    extra = {"constants": run.resolved_constants()} if run.constants else {}
    result = load_runner(run.runner)(run.scenario, run.fresh_seed(), until=run.until, **extra)
    wanted = run.outputs
    timeseries = result.timeseries
    if run.columns is not None:
        keep = ["step", "year", *(c for c in run.columns if c not in ("step", "year"))]
        timeseries = timeseries[[c for c in keep if c in timeseries.columns]]
    return Outcome(
        run,
        summary=plain(dict(result.summary)) if "summary" in wanted else {},
        yearly=metric_registry.yearly(timeseries, months=True) if "yearly" in wanted else None,
        timeseries=timeseries if "timeseries" in wanted else None,
        firms=result.firms if "firms" in wanted else None,
        deals=result.deals if "deals" in wanted else None,
        lineage=result.lineage if "lineage" in wanted else None,
    )


# ---------------------------------------------------------------------------------------------
# Executors: where runs execute.


class SchedulerError(Exception):
    """The Dask scheduler cannot be used (Dask missing or scheduler unreachable)."""


class SerialExecutor(Executor):
    """Runs each submitted call at once in this process (one worker, tests, debugging)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:  # noqa: D102
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
            future.set_exception(exc)
        return future


def exit_with_parent(parent_pid: int, interval: float = 1.0) -> None:
    """Make a pool worker exit when the process that started it dies (SIGKILL included).

    Used as a process-pool ``initializer``: without it, workers of a killed sweep or
    calibration would linger.
    """

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


@dataclass
class Backend:
    """Where runs execute, a label for manifests, and how to let go of it.

    Use it as a context manager: leaving the block normally waits for queued work; leaving it
    by an exception (Ctrl-C, SIGTERM) drops the queued runs.

    Attributes:
        executor: a concurrent.futures executor (serial, process pool or Dask).
        label: the backend as a manifest's session log names it (``serial``, ``pool 2``,
            ``dask tcp://...``).
        close: ``close(cancel)`` shuts the executor down; ``cancel`` drops queued runs (after an
            interruption) instead of waiting for them.
    """

    executor: Executor
    label: str
    close: Callable[[bool], None]

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self.close(kind is not None)


def _dask_backend(address: str) -> Backend:
    """Connect to a Dask scheduler and wrap its concurrent.futures executor."""
    try:
        from distributed import Client
    except ImportError:
        raise SchedulerError("--scheduler needs Dask: pip install 'ecosim[dask]'") from None
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {excerpt(address)}: {exc}") from None
    except (ValueError, TypeError) as exc:  # an address Dask cannot parse
        raise SchedulerError(f"not a Dask scheduler address: {excerpt(address)} ({exc})") from None
    executor = client.get_executor()

    def close(cancel: bool) -> None:
        # Dask's ClientExecutor.shutdown has no cancel_futures: wait=False cancels instead.
        try:
            executor.shutdown(wait=not cancel)
        finally:
            client.close()

    return Backend(executor, f"dask {address}", close)


def backend(workers: int | None = None, scheduler: str | None = None) -> Backend:
    """The one executor factory: Dask when a scheduler is given, else serial or a process pool.

    Pool workers are spawned, not forked (forking a process with threads, as matplotlib and
    pytest start them, may deadlock), and exit when their parent dies.

    Args:
        workers: local processes (None: the CPU count; 1: in this process).
        scheduler: a Dask scheduler address (needs the ``dask`` extra).

    Raises:
        SchedulerError: Dask is missing or the scheduler cannot be reached.
    """
    if scheduler:
        return _dask_backend(scheduler)
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        serial = SerialExecutor()
        return Backend(serial, "serial", lambda cancel: serial.shutdown())
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=exit_with_parent,
        initargs=(os.getpid(),),
    )
    return Backend(pool, f"pool {workers}", lambda cancel: pool.shutdown(wait=True, cancel_futures=cancel))


# ---------------------------------------------------------------------------------------------
# Doing runs.


def run_all(runs: Sequence[Run], executor: Executor) -> Iterator[tuple[int, Outcome | BaseException]]:
    """Submit every run and yield each (index, outcome) as it completes.

    An exception in place of the outcome means the executor lost the run (a worker died); a
    run that raised is an outcome with an error.
    """
    futures = {executor.submit(execute, run): index for index, run in enumerate(runs)}
    for done in as_completed(futures):
        index = futures.pop(done)
        try:
            yield index, done.result()
        except Exception as exc:  # noqa: BLE001 - the executor lost it; the caller decides
            yield index, exc


class LostRunError(RuntimeError):
    """The executor lost a run (its worker died)."""


def run_ordered(runs: Sequence[Run], executor: Executor) -> list[Outcome]:
    """Every run's outcome, in the order of ``runs``.

    Raises:
        LostRunError: the executor lost a run.
    """
    outcomes: list[Outcome | None] = [None] * len(runs)
    for index, result in run_all(runs, executor):
        if isinstance(result, BaseException):
            raise LostRunError(f"a worker lost run {index}: {result!r}") from result
        outcomes[index] = result
    return [o for o in outcomes if o is not None]


def _stored_outcome(run: Run, table: pd.DataFrame, meta: dict[str, Any]) -> Outcome:
    table_output = "yearly" if "yearly" in run.outputs else "timeseries"
    return Outcome(
        run,
        summary=meta.get("summary") or {},
        error=meta.get("error"),
        seconds=float(meta.get("seconds", 0.0)),
        **{table_output: table if meta.get("status") == "ok" else None},
    )


STORABLE = (
    frozenset({"yearly", "summary"}),
    frozenset({"timeseries", "summary"}),
    frozenset({"yearly"}),
    frozenset({"timeseries"}),
    frozenset({"summary"}),
)
"""Output sets a store keeps whole: one table and the summary."""


def run_stored(
    runs: Sequence[Run],
    executor: Executor,
    store: RunStore,
    on_outcome: Callable[[Outcome, bool], None] | None = None,
) -> list[Outcome]:
    """Every run's outcome in order; runs the store holds are read back, not run again.

    Each run is stored under its digest with the model's code (``Run.digest(code=True)``),
    as it finishes, so a client killed half-way resumes by being started again with the same
    runs, and a run of other model code, other libraries or other constants is never read back.

    Args:
        runs: the runs; each must want one table (yearly or timeseries) and/or the summary.
        executor: where the missing runs execute.
        store: the folder of finished runs.
        on_outcome: called with (outcome, whether it was read from the store) for each run.

    Raises:
        LostRunError: the executor lost a run (the runs done so far stay stored).
        ValueError: a run wants outputs a store does not keep, or its runner is not code the
            key covers (provenance.is_hashed_module).
    """
    from ecosim.provenance import is_hashed_module
    from ecosim.store import UNREADABLE, read_run

    for run in runs:
        if run.outputs not in STORABLE:
            raise ValueError(f"a store keeps one table and the summary, not {sorted(run.outputs)}")
        if not is_hashed_module(run.runner.partition(":")[0]):
            # Its code is not in the key: a stored run of an older version would be read back.
            raise ValueError(f"a store keeps runs of ecosim's model runners only, not {run.runner}")
    store.remove_stale()
    digests = [run.digest(code=True) for run in runs]
    outcomes: list[Outcome | None] = [None] * len(runs)
    todo: list[int] = []
    for index, (run, digest) in enumerate(zip(runs, digests, strict=True)):
        path = store.run_path(digest)
        try:
            table, meta = read_run(path) if path.is_file() else (None, None)
        except UNREADABLE:
            table, meta = None, None
        if meta is not None and meta.get("digest") == digest and meta.get("status") == "ok":
            outcomes[index] = _stored_outcome(run, table, meta)
            if on_outcome is not None:
                on_outcome(outcomes[index], True)  # type: ignore[arg-type]
        else:
            todo.append(index)
    pending = [runs[i] for i in todo]
    for position, result in run_all(pending, executor):
        index = todo[position]
        if isinstance(result, BaseException):
            raise LostRunError(f"a worker lost run {index}: {result!r}") from result
        _store(store, digests[index], result)
        outcomes[index] = result
        if on_outcome is not None:
            on_outcome(result, False)
    return [o for o in outcomes if o is not None]


def _store(store: RunStore, digest: str, outcome: Outcome) -> None:
    import pandas as pd

    table = outcome.yearly if outcome.yearly is not None else outcome.timeseries
    if table is None:
        table = pd.DataFrame({"year": pd.Series([], dtype="int64")})
    run = outcome.run
    metadata = {
        "run_id": digest,
        "digest": digest,
        "status": "ok" if outcome.ok else "error",
        "error": outcome.error,
        "summary": outcome.summary,
        "scenario": run.scenario.name,
        "scenario_digest": run.scenario.digest(),
        "seed": run.seed_key(),
        "until": run.until,
        "constants": {name: plain(value) for name, value in run.constants},
        "runner": run.runner,
        "seconds": round(outcome.seconds, 3),
    }
    store.write_run(digest, table, metadata)


def runs_for(scenarios: Iterable[Scenario], seeds: Iterable[Seed], **fields: Any) -> list[Run]:
    """Every scenario with every seed (scenario-major), each a Run with ``fields``."""
    seeds = list(seeds)
    return [Run(scenario, seed, **fields) for scenario in scenarios for seed in seeds]
