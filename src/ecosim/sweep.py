"""Policy sweeps: an experiment spec, its run list, and the loop that executes it.

A sweep spec (YAML) names a base scenario, the levers or parameters to vary, the number of
replications, the last year to simulate, and the metrics and window the report compares. The
design is a full factorial, a Latin hypercube (``scipy.stats.qmc``) or an explicit list of arms.
A design varies scenario fields by their path (``levers.secretariat.enabled``) and mechanism
constants as ``constants.NAME`` (``constants.spinout_rate``); ``constants:`` sets constants for
every arm.

Every (arm, replication) pair is one run. Replication ``r`` of every arm gets the same seed,
``SeedSequence(root_seed, spawn_key=(r,))`` - the ``r``-th child that ``SeedSequence(root_seed)
.spawn`` would give - so arms are compared under common random numbers. A sampled design may
group its arms in blocks (a Morris trajectory, a Sobol base sample, a robust design's state of the
world): replication ``r`` of block ``b`` gets ``spawn_key=(r, b)``, shared within the block and
independent across blocks. Each run is an
:class:`ecosim.engine.Run` executed by the engine on any :class:`concurrent.futures.Executor`:
in-process, a local process pool or a Dask cluster's ``client.get_executor()``. The worker
returns the run's yearly table and summary; only the coordinating process writes files (through
:mod:`ecosim.store`), so workers need no shared file system.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import itertools
import json
import math
import re
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal, cast

import numpy as np
import pandas as pd
from pydantic import AfterValidator, Field, model_validator
from scipy.stats import qmc

from ecosim import engine, money
from ecosim.constants import fitted, with_overrides
from ecosim.engine import DEFAULT_RUNNER, Outcome, Run
from ecosim.errors import excerpt
from ecosim.limits import MAX_SWEEP_ARMS, MAX_SWEEP_RUNS
from ecosim.metric_registry import COMPARISONS
from ecosim.provenance import base_manifest
from ecosim.scenario import (
    Scenario,
    ScenarioError,
    Strict,
    Year,
    deep_merge,
    is_file,
    load,
    resolve,
    validate_mapping,
)
from ecosim.store import RunStore

ANCHOR_RUNNER = "ecosim.lineage:run_with_anchors"
"""The runner that also records each anchor's lineage (the ``anchor_lineage`` metric)."""

CONSTANTS = "constants."
"""Prefix of a design path that sets a mechanism constant (``constants.spinout_rate``)."""

DEFAULT_METRICS = (
    "startups_founded",
    "founded_academic",
    "founded_spinout",
    "founded_release",
    "relocations",
    "startups_active_end",
    "vc_invested",
    "largest_lineage",
)

# A Literal built from the registry: a spec may name exactly the comparisons it declares.
MetricName = Literal[*COMPARISONS]  # type: ignore[valid-type]
FieldPath = Annotated[str, Field(pattern=r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")]
RUNNER_PATTERN = r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$"
SPEC_NAME = re.compile(r"[A-Za-z0-9_.-]{1,120}")
"""What a spec's name may be, a sweep's or a sensitivity analysis's: one folder name (it names
``runs/<name>``, and a sensitivity analysis's ``results/<name>``)."""


def folder_name(name: str) -> str:
    """Refuse a spec's name that is not one folder name, in a field validator's words.

    The name is a default folder (``runs/<name>``; a sensitivity analysis's ``results/<name>``
    too): a path (``/tmp/x``, ``../../x``) or a name of dots alone (``..``, which made a
    sensitivity analysis write its results into the project's root) would put them elsewhere.

    Raises:
        ValueError: naming what a folder name may hold.
    """
    if not SPEC_NAME.fullmatch(name) or not name.strip("."):
        raise ValueError(
            "must be a folder name (it names runs/<name>): up to 120 letters, digits, '_', '.' "
            f"and '-', not dots alone, got {excerpt(name)}"
        )
    return name


FolderName = Annotated[str, AfterValidator(folder_name)]
"""A spec's name: one folder name (:func:`folder_name`)."""


def refuse_repeats(items: Iterable[Any], where: str) -> None:
    """Refuse a list that names an item twice, in a model validator's words.

    A repeated metric or output would make a table with two columns of one name, which the
    report cannot compare (it failed with a TypeError); a repeated lever or path is a mistake.

    Args:
        items: the list, in the spec's order.
        where: the list's field path in the model validated (``metrics``, ``levers``).

    Raises:
        ValueError: ``where[i]: duplicate NAME (already item j)``, which
            :func:`ecosim.scenario.validate_mapping` turns into the field ``where[i]`` (and a
            design's validator into ``design.where[i]``, hence "item j", not a path).
    """
    first: dict[Any, int] = {}
    for i, item in enumerate(items):
        if item in first:
            raise ValueError(f"{where}[{i}]: duplicate {excerpt(item)} (already item {first[item]})")
        first[item] = i


class FactorialDesign(Strict):
    """Every combination of the levers (each off/on) and the listed parameter values."""

    type: Literal["factorial"]
    levers: list[str] = Field(default_factory=list, description="levers switched off and on")
    parameters: dict[FieldPath, Annotated[list[Any], Field(min_length=1)]] = Field(
        default_factory=dict, description="scenario field path -> values to try"
    )

    @model_validator(mode="after")
    def _something_to_vary(self) -> FactorialDesign:
        if not self.levers and not self.parameters:
            raise ValueError("levers: give levers and/or parameters to vary")
        refuse_repeats(self.levers, "levers")
        return self


class Range(Strict):
    """A parameter's range in a Latin hypercube."""

    low: float
    high: float
    integer: bool = Field(default=False, description="round sampled values to integers")
    log: bool = Field(default=False, description="sample uniformly in the logarithm (a rate, a price)")

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.high <= self.low:
            raise ValueError(f"high: must be > low ({self.low}), got {self.high}")
        if self.log and self.low <= 0:
            raise ValueError(f"low: must be > 0 on a log scale, got {self.low}")
        return self

    def scale(self, unit: np.ndarray) -> np.ndarray:
        """Map points of [0, 1] onto the range (in the log when ``log``), rounded when ``integer``."""
        if self.log:
            values = np.exp(math.log(self.low) + unit * (math.log(self.high) - math.log(self.low)))
        else:
            values = self.low + unit * (self.high - self.low)
        return np.round(values) if self.integer else values

    def value(self, x: float) -> int | float:
        """A scaled value as the scenario field takes it."""
        return int(round(x)) if self.integer else float(x)


class LatinHypercubeDesign(Strict):
    """``samples`` points of a Latin hypercube over parameter ranges."""

    type: Literal["latin_hypercube"]
    samples: int = Field(ge=2, le=100000)
    seed: int = Field(default=0, ge=0, description="seed of the hypercube sampler")
    parameters: dict[FieldPath, Range] = Field(min_length=1)
    include_baseline: bool = Field(default=True, description="add the unmodified base scenario")


class PointsDesign(Strict):
    """An explicit matrix of parameter values, one arm a row: what an outside sampler (SALib's
    Morris or Sobol designs in :mod:`ecosim.sensitivity`, or any other) hands the sweep.
    """

    type: Literal["points"]
    parameters: list[FieldPath] = Field(min_length=1, description="the field paths, one a column")
    points: list[list[float | int]] = Field(min_length=1, description="one row of values an arm")
    blocks: list[int] | None = Field(
        default=None,
        description="each point's block: points of one block share seeds, blocks do not (None: all share)",
    )
    include_baseline: bool = Field(default=False, description="add the unmodified base scenario")

    @model_validator(mode="after")
    def _rectangular(self) -> PointsDesign:
        refuse_repeats(self.parameters, "parameters")
        for i, row in enumerate(self.points):
            if len(row) != len(self.parameters):
                raise ValueError(f"points[{i}]: {len(row)} values for {len(self.parameters)} parameters")
        if self.blocks is not None and len(self.blocks) != len(self.points):
            raise ValueError(f"blocks: {len(self.blocks)} blocks for {len(self.points)} points")
        return self


class PosteriorDraws(Strict):
    """Constants drawn together from a posterior sample, one draw a state of the world, so that
    their correlations (which a box per constant would lose) come with them.
    """

    file: str = Field(
        min_length=1,
        description="the particles.csv of an `ecosim posterior` report, relative to the spec",
    )
    constants: list[str] = Field(min_length=1, description="the constants each draw sets")


class RobustDesign(Strict):
    """Each lever alone, and none, in every sampled state of the world (a Latin hypercube over
    the uncertain assumptions): which lever is best, and under which assumptions that changes
    (``ecosim report`` adds each lever's effect over the states and seeds, the probability that
    it ranks first and PRIM boxes; :mod:`ecosim.robustness`).
    """

    type: Literal["robust"]
    levers: list[str] = Field(min_length=2, description="the levers compared, each alone")
    samples: int = Field(ge=2, le=100000, description="sampled states of the world")
    seed: int = Field(default=0, ge=0, description="seed of the hypercube sampler")
    parameters: dict[FieldPath, Range] = Field(min_length=1, description="the uncertain assumptions")
    posterior: PosteriorDraws | None = Field(
        default=None, description="constants drawn from a posterior sample, one draw a state"
    )

    @model_validator(mode="after")
    def _distinct(self) -> RobustDesign:
        refuse_repeats(self.levers, "levers")
        return self


class ArmSpec(Strict):
    """One explicitly listed arm."""

    name: str = Field(min_length=1, max_length=120)
    base: str | None = Field(
        default=None,
        description="a scenario file of its own, relative to the spec (default: the spec's base), "
        "so two scenario files compare as arms",
    )
    levers: list[str] = Field(default_factory=list, description="levers switched on")
    set: dict[FieldPath, Any] = Field(default_factory=dict, description="field path -> value")


class ArmsDesign(Strict):
    """An explicit list of arms."""

    type: Literal["arms"]
    arms: list[ArmSpec] = Field(min_length=1)


DESIGNS: dict[str, type[Strict]] = {
    "factorial": FactorialDesign,
    "latin_hypercube": LatinHypercubeDesign,
    "arms": ArmsDesign,
    "points": PointsDesign,
    "robust": RobustDesign,
}

Design = FactorialDesign | LatinHypercubeDesign | ArmsDesign | PointsDesign | RobustDesign
"""Any of the five designs."""


class Window(Strict):
    """The calendar years (inclusive) over which the report sums flows."""

    start: Year
    end: Year

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end < self.start:
            raise ValueError(f"end: must be >= start ({self.start}), got {self.end}")
        return self


class MoneyView(Strict):
    """The currency and price year a report shows money in, beside the model's USD of 2000."""

    currency: Literal["USD", "JPY", "GBP"]
    year: Year

    @model_validator(mode="after")
    def _in_table(self) -> MoneyView:
        span = money.years()
        if self.year not in span:
            raise ValueError(f"year: the money table covers {span.start}-{span.stop - 1}, got {self.year}")
        return self


class SweepSpec(Strict):
    """An experiment: base scenario, design, replications, seeds, metrics and window."""

    name: FolderName = Field(description="the experiment's name and its folder, runs/<name>")
    description: str = ""
    description_ja: str = Field(default="", description="the description in Japanese (report --lang ja)")
    money: MoneyView | None = Field(
        default=None, description="show money in the report in this currency and year's prices too"
    )
    base: str = Field(min_length=1, description="base scenario file, relative to the spec")
    overrides: dict[str, Any] = Field(
        default_factory=dict, description="scenario fields merged into every arm"
    )
    constants: dict[str, Any] = Field(
        default_factory=dict, description="mechanism constants set in every arm (name -> value)"
    )
    until: Year | None = Field(default=None, description="last simulated year (inclusive)")
    replications: int = Field(ge=1, le=100000)
    root_seed: int = Field(ge=0, description="root of every replication's SeedSequence")
    design: dict[str, Any] = Field(description="factorial, latin_hypercube, arms, points or robust")
    baseline: str | None = Field(default=None, description="name of the arm others are compared to")
    metrics: list[MetricName] = Field(default_factory=lambda: list(DEFAULT_METRICS), min_length=1)
    window: Window | None = None
    runner: str = Field(default=DEFAULT_RUNNER, pattern=RUNNER_PATTERN)

    @model_validator(mode="after")
    def _distinct_metrics(self) -> SweepSpec:
        refuse_repeats(self.metrics, "metrics")
        return self


@dataclass(frozen=True)
class Arm:
    """One policy arm: which levers are on, which scenario fields are set, and (for an arm that
    names one) its own base scenario file, relative to the spec.
    """

    index: int
    name: str
    levers: tuple[str, ...] = ()
    settings: tuple[tuple[str, Any], ...] = ()
    base: str | None = None
    block: int | None = None
    """Arms of one block share each replication's seed, arms of different blocks do not (None:
    every arm shares it, the sweep's common random numbers). A sampled design pairs only the
    arms it compares: a Morris trajectory, a Sobol base sample, a robust design's state of the
    world; across blocks, independent seeds keep the seeds' noise out of the comparisons'
    intervals."""

    def overrides(self) -> dict[str, Any]:
        """Express the arm's scenario settings as a scenario override mapping."""
        result: dict[str, Any] = {}
        if self.levers:
            result["levers"] = {name: {"enabled": True} for name in self.levers}
        for path, value in self.settings:
            if not path.startswith(CONSTANTS):
                result = deep_merge(result, expand_path(path, value))
        return result

    def constants(self) -> dict[str, Any]:
        """The mechanism constants the arm sets (its ``constants.NAME`` settings)."""
        return {path.removeprefix(CONSTANTS): v for path, v in self.settings if path.startswith(CONSTANTS)}

    def describe(self) -> dict[str, Any]:
        """Describe the arm for manifests and run files (JSON-ready)."""
        described = {
            "index": self.index,
            "name": self.name,
            "levers": list(self.levers),
            "set": {path: value for path, value in self.settings},
        }
        if self.base is not None:
            described["base"] = self.base
        if self.block is not None:
            described["block"] = self.block
        return described


@dataclass(frozen=True)
class RunTask:
    """One (arm, replication) of a sweep: its name, place in the design and the engine's Run."""

    run_id: str
    arm: Arm
    replication: int
    root_seed: int
    run: Run
    digest: str

    @property
    def scenario(self) -> Scenario:
        """The arm's resolved scenario."""
        return self.run.scenario

    @property
    def until(self) -> int | None:
        """The last simulated year (None: the scenario's end)."""
        return self.run.until

    @property
    def runner(self) -> str:
        """The model function, ``module:function``."""
        return self.run.runner

    def seed(self) -> np.random.SeedSequence:
        """Give the replication's seed: the ``replication``-th child of the root sequence (of
        the arm's block, when it has one).
        """
        return np.random.SeedSequence(self.root_seed, spawn_key=spawn_key(self.replication, self.arm.block))


def spawn_key(replication: int, block: int | None = None) -> tuple[int, ...]:
    """The spawn key of a replication's seed: ``(r,)``, or ``(r, block)`` within a block."""
    return (replication,) if block is None else (replication, block)


@dataclass
class RunRecord:
    """What a run leaves behind: its yearly table, summary, and error if it raised."""

    task: RunTask
    yearly: pd.DataFrame
    summary: dict[str, Any]
    error: str | None = None
    traceback: str | None = None
    seconds: float = 0.0

    @classmethod
    def of(cls, task: RunTask, outcome: Outcome) -> RunRecord:
        """The record of a task from the engine's outcome of its run."""
        if outcome.ok and outcome.yearly is not None:
            yearly = outcome.yearly
        else:
            yearly = pd.DataFrame({"year": pd.Series([], dtype="int64")})
        return cls(task, yearly, outcome.summary, outcome.error, outcome.traceback, outcome.seconds)

    @property
    def ok(self) -> bool:
        """True when the run finished without raising."""
        return self.error is None

    def metadata(self) -> dict[str, Any]:
        """Describe the run's identity and outcome, deterministic in (spec, arm, replication)."""
        task = self.task
        return {
            "run_id": task.run_id,
            "digest": task.digest,
            "arm": task.arm.describe(),
            "replication": task.replication,
            "seed": {
                "entropy": task.root_seed,
                "spawn_key": list(spawn_key(task.replication, task.arm.block)),
            },
            "scenario_digest": task.scenario.digest(),
            "until": task.until,
            "runner": task.runner,
            **({"constants": dict(engine.plain(dict(task.run.constants)))} if task.run.constants else {}),
            "status": "ok" if self.ok else "error",
            "error": self.error,
            "summary": self.summary,
        }


@dataclass(frozen=True)
class SweepPlan:
    """A validated spec and everything derived from it."""

    spec: SweepSpec
    path: Path
    arms: tuple[Arm, ...]
    baseline: str
    tasks: tuple[RunTask, ...]
    factors: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    window: Window | None = None
    notes: tuple[str, ...] = ()
    lever_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    arm_labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def arm_digests(self) -> list[tuple[Arm, str]]:
        """Each arm with the digest of its resolved scenario (what the report checks runs against)."""
        digests = {task.arm.index: task.scenario.digest() for task in self.tasks if task.replication == 0}
        return [(arm, digests.get(arm.index, "")) for arm in self.arms]

    def describe(self) -> dict[str, Any]:
        """JSON-ready plan for the sweep manifest."""
        described = {
            "spec": self.spec.model_dump(mode="json"),
            "spec_file": str(self.path),
            "spec_digest": spec_digest(self.spec),
            "arms": [{**arm.describe(), "scenario_digest": digest} for arm, digest in self.arm_digests()],
            "baseline": self.baseline,
            "factors": [{"name": name, "levels": list(levels)} for name, levels in self.factors.items()],
            "replications": self.spec.replications,
            "root_seed": self.spec.root_seed,
            "runs": len(self.tasks),
            "window": self.window.model_dump() if self.window else None,
            "notes": list(self.notes),
            "lever_labels": self.lever_labels,
            "arm_labels": self.arm_labels,
            "stated_money": self.stated_money(),
        }
        spec_window = self.spec.window
        if spec_window is not None and self.window is not None and self.window != spec_window:
            described["window_clipped"] = {
                "spec_end": spec_window.end,
                "until": self.spec.until,
                "start": self.window.start,
                "end": self.window.end,
            }
        return described

    def stated_money(self) -> list[dict[str, Any]]:
        """Amounts the arms' scenarios state in other money, once per arm (for reports)."""
        seen: dict[str, dict[str, Any]] = {}
        for task in self.tasks:
            if task.arm.name in seen:
                continue
            for path, amount in task.scenario.stated_money():
                seen.setdefault(task.arm.name, {})[path] = {
                    "arm": task.arm.name,
                    "field": path,
                    "stated": amount.describe(),
                    "model_musd": round(amount.to_model(), 6),
                }
        return [entry for fields in seen.values() for entry in fields.values()]


@dataclass
class SweepOutcome:
    """Counts at the end of a sweep."""

    total: int
    skipped: int = 0
    skipped_failed: int = 0
    succeeded: int = 0
    failed: int = 0
    lost: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when every run of the sweep, this session's and earlier ones, succeeded."""
        return self.failed == 0 and self.skipped_failed == 0 and not self.lost


def expand_path(path: str, value: Any) -> dict[str, Any]:
    """Turn ``a.b.c`` and a value into ``{"a": {"b": {"c": value}}}``."""
    result: Any = value
    for part in reversed(path.split(".")):
        result = {part: result}
    return result


def spec_digest(spec: SweepSpec) -> str:
    """SHA-256 of a spec's canonical JSON."""
    text = json.dumps(spec.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _prefixed(error: ScenarioError, path: Path, prefix: str) -> ScenarioError:
    """Re-anchor an error raised on a sub-mapping of the spec at its place in the spec."""
    joined = f"{prefix}.{error.field}" if error.field else prefix
    return ScenarioError(path, joined.replace(".[", "["), error.message)


def read_spec(path: str | Path, overrides: dict[str, Any] | None = None) -> SweepSpec:
    """Read and validate a spec file (``overrides`` replace top-level fields, e.g. replications)."""
    path = Path(path)
    data = resolve(path)
    if overrides:
        data = {**data, **{k: v for k, v in overrides.items() if v is not None}}
    spec = validate_mapping(SweepSpec, data, path)
    design = spec.design
    kind = design.get("type")
    if not isinstance(kind, str) or kind not in DESIGNS:
        choices = ", ".join(DESIGNS)
        given = f"must be one of {choices}, got {excerpt(kind)}"
        message = "required field is missing" if kind is None else given
        raise ScenarioError(path, "design.type", message)
    try:
        validate_mapping(DESIGNS[kind], design, path)
    except ScenarioError as exc:
        raise _prefixed(exc, path, "design") from None
    return spec


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.=+-]+", "_", text)[:60]


def _format_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _factorial_arms(design: FactorialDesign) -> tuple[list[Arm], dict[str, tuple[Any, ...]]]:
    factors: dict[str, tuple[Any, ...]] = {name: (False, True) for name in design.levers}
    factors.update({path: tuple(values) for path, values in design.parameters.items()})
    arms = []
    for index, combo in enumerate(itertools.product(*factors.values())):
        chosen = dict(zip(factors, combo, strict=True))
        levers = tuple(name for name in design.levers if chosen[name])
        settings = tuple((path, chosen[path]) for path in design.parameters)
        parts = [*levers] + [f"{path.rsplit('.', 1)[-1]}={_format_value(v)}" for path, v in settings]
        arms.append(Arm(index, "+".join(parts) or "baseline", levers, settings))
    return arms, factors


def hypercube(parameters: dict[str, Range], samples: int, seed: int) -> list[tuple[tuple[str, Any], ...]]:
    """``samples`` Latin-hypercube points over the ranges, each as (path, value) settings."""
    paths = list(parameters)
    ranges = [parameters[p] for p in paths]
    rng = np.random.default_rng(seed)
    if "rng" in inspect.signature(qmc.LatinHypercube).parameters:
        sampler = qmc.LatinHypercube(d=len(paths), rng=rng)
    else:  # scipy < 1.15
        sampler = qmc.LatinHypercube(d=len(paths), seed=rng)
    unit = sampler.random(samples)
    columns = [r.scale(unit[:, j]) for j, r in enumerate(ranges)]
    return [
        tuple((path, r.value(col[i])) for path, r, col in zip(paths, ranges, columns, strict=True))
        for i in range(samples)
    ]


def _hypercube_arms(design: LatinHypercubeDesign) -> list[Arm]:
    arms = [Arm(0, "baseline")] if design.include_baseline else []
    for i, settings in enumerate(hypercube(design.parameters, design.samples, design.seed)):
        arms.append(Arm(len(arms), f"sample{i:04d}", (), settings))
    return arms


def robust_state(arm_name: str) -> tuple[str, str | None]:
    """The state of the world and the lever of a robust design's arm: ``u0003+briefings`` ->
    (``u0003``, ``briefings``); ``u0003`` -> (``u0003``, None).
    """
    state, _, lever = arm_name.partition("+")
    return state, lever or None


def _robust_arms(design: RobustDesign, path: Path) -> list[Arm]:
    states = hypercube(design.parameters, design.samples, design.seed)
    if design.posterior is not None:
        drawn = _posterior_settings(design.posterior, design.samples, design.seed, path)
        states = [settings + extra for settings, extra in zip(states, drawn, strict=True)]
    arms: list[Arm] = []
    for i, settings in enumerate(states):
        state = f"u{i:04d}"  # one block a state: its arms share seeds, other states' do not
        arms.append(Arm(len(arms), state, (), settings, block=i))
        for lever in design.levers:
            arms.append(Arm(len(arms), f"{state}+{lever}", (lever,), settings, block=i))
    return arms


def _point_arms(design: PointsDesign) -> list[Arm]:
    arms = [Arm(0, "baseline")] if design.include_baseline else []
    for i, row in enumerate(design.points):
        settings = tuple(zip(design.parameters, row, strict=True))
        block = design.blocks[i] if design.blocks is not None else None
        arms.append(Arm(len(arms), f"point{i:05d}", (), settings, block=block))
    return arms


def _posterior_settings(
    draws: PosteriorDraws, samples: int, seed: int, path: Path
) -> list[tuple[tuple[str, Any], ...]]:
    """``samples`` draws by weight from a posterior sample, each as (``constants.NAME``, value)."""
    from ecosim import posterior  # only a design that draws from a posterior reads one

    source = path.parent / draws.file
    where = "design.posterior"
    try:
        sample = posterior.read_sample(source, draws.constants)
    except posterior.SampleError as exc:
        raise ScenarioError(path, f"{where}.file", str(exc)) from None
    changed = ", ".join(posterior.another_model(source.parent))
    if changed:
        # Its draws belong with the constants it held (and the scenarios it ran), which a sweep of
        # the package's model would not set.
        said = f"{source}: a posterior of another model (its {changed} apart from the package's)"
        raise ScenarioError(path, f"{where}.file", said)
    return [
        tuple((f"constants.{name}", value) for name, value in values.items())
        for values in posterior.draw_constants(sample, draws.constants, samples, seed)
    ]


def _explicit_arms(design: ArmsDesign, path: Path) -> list[Arm]:
    seen: set[str] = set()
    arms = []
    for i, arm in enumerate(design.arms):
        if arm.name in seen:
            raise ScenarioError(path, f"design.arms[{i}].name", f"duplicate arm name {excerpt(arm.name)}")
        seen.add(arm.name)
        arms.append(Arm(i, arm.name, tuple(arm.levers), tuple(arm.set.items()), arm.base))
    return arms


def _check_levers(arms: Iterable[Arm], known: Iterable[str], path: Path, where: str, base: str) -> None:
    known = set(known)
    for arm in arms:
        for name in arm.levers:
            if name not in known:
                have = ", ".join(sorted(known)) or "none"
                message = f"no lever named {excerpt(name)} in {base} (it has: {have})"
                raise ScenarioError(path, where, message)


def _default_baseline(spec: SweepSpec, arms: list[Arm]) -> str:
    names = [arm.name for arm in arms]
    if spec.baseline is not None:
        return spec.baseline
    return "baseline" if "baseline" in names else names[0]


def _scenario_for(arm: Arm, base_data: dict[str, Any], spec: SweepSpec, path: Path) -> Scenario:
    """An arm's scenario: its base file, the spec's overrides, then the arm's own settings."""
    data = deep_merge(base_data, spec.overrides)
    data = deep_merge(data, arm.overrides())
    if spec.until is not None and "end_year" in data and spec.until > int(data["end_year"]):
        data["end_year"] = spec.until
    try:
        return validate_mapping(Scenario, data, arm.base or spec.base)
    except ScenarioError as exc:
        where = f"arm {excerpt(arm.name)}: "
        if exc.field:
            where += f"scenario field {exc.field}: "
        raise ScenarioError(path, "design", where + exc.message) from None


def _constants_for(arm: Arm, spec: SweepSpec, path: Path) -> dict[str, Any]:
    """The constants an arm sets (the spec's for every arm, then its own), checked by type."""
    for where, overrides in (("constants", spec.constants), ("design", arm.constants())):
        try:
            with_overrides(fitted(), overrides)
        except ValueError as exc:
            prefix = f"arm {excerpt(arm.name)}: " if where == "design" else ""
            raise ScenarioError(path, where, prefix + str(exc)) from None
    return {**spec.constants, **arm.constants()}


def run_id(arm: Arm, replication: int) -> str:
    """File-safe name of one run: arm index and name, replication."""
    return f"a{arm.index:04d}-r{replication:04d}-{_slug(arm.name)}"


def task_digest(
    scenario_digest: str,
    root_seed: int,
    replication: int,
    until: int | None,
    runner: str,
    constants: dict[str, Any] | None = None,
    block: int | None = None,
) -> str:
    """Hash what makes a run's result: resolved scenario (its digest), seed, last year, run
    function and the constants the arm sets (none: the package's, as before constants could be
    swept, so older sweep folders keep their digests).
    """
    parts: list[Any] = [scenario_digest, root_seed, replication, until, runner]
    if constants:
        parts.append({name: constants[name] for name in sorted(constants)})
    if block is not None:
        parts.append({"block": block})
    key = json.dumps(parts)
    return hashlib.sha256(key.encode()).hexdigest()


def design_size(design: Design) -> int:
    """How many arms a design makes, counted before any is made."""
    if isinstance(design, FactorialDesign):
        return 2 ** len(design.levers) * math.prod(len(values) for values in design.parameters.values())
    if isinstance(design, LatinHypercubeDesign):
        return design.samples + design.include_baseline
    if isinstance(design, PointsDesign):
        return len(design.points) + design.include_baseline
    if isinstance(design, RobustDesign):
        return design.samples * (len(design.levers) + 1)
    return len(design.arms)


def _check_size(design: Design, spec: SweepSpec, path: Path) -> None:
    """Refuse a design whose run list alone would exhaust memory (limits.MAX_SWEEP_*)."""
    arms = design_size(design)
    if arms > MAX_SWEEP_ARMS:
        message = f"{arms:,} arms, more than {MAX_SWEEP_ARMS:,} (limits.MAX_SWEEP_ARMS)"
        raise ScenarioError(path, "design", message)
    runs = arms * spec.replications
    if runs > MAX_SWEEP_RUNS:
        message = (
            f"{arms:,} arms x {spec.replications:,} replications = {runs:,} runs, more than "
            f"{MAX_SWEEP_RUNS:,} (limits.MAX_SWEEP_RUNS)"
        )
        raise ScenarioError(path, "replications", message)


def foreign_run_check(manifest: dict[str, Any]) -> Callable[[dict[str, Any]], str | None]:
    """A check for :meth:`RunStore.load`: why a run file was not made by the sweep of
    ``manifest`` (a run copied in from another spec or scenario), or None.

    A run belongs when its digest is the one this sweep gives its arm and replication, the same
    test by which ``ecosim sweep`` refuses a folder of another spec. Manifests written before
    arms recorded their scenario digest are checked on seed, last year and runner only.
    """
    spec = manifest.get("spec") or {}
    arms = {arm.get("name"): arm for arm in manifest.get("arms") or [] if isinstance(arm, dict)}
    root_seed, until = int(manifest.get("root_seed") or 0), spec.get("until")
    runner = spec.get("runner", DEFAULT_RUNNER)
    advice = "copied from another sweep? move it out, or report its own folder"

    shared = spec.get("constants") or {}

    def check(meta: dict[str, Any]) -> str | None:
        arm = arms.get(meta["arm"]["name"])
        if arm is None:
            name = excerpt(meta["arm"]["name"])
            return f"a run of arm {name}, which this sweep does not have ({advice})"
        digest = arm.get("scenario_digest")
        if digest is not None:
            settings = (arm.get("set") or {}).items()
            own = {k.removeprefix(CONSTANTS): v for k, v in settings if k.startswith(CONSTANTS)}
            constants = {**shared, **own}
            expected = task_digest(
                digest, root_seed, meta["replication"], until, runner, constants, arm.get("block")
            )
            same = meta["digest"] == expected
        else:
            made = (meta["seed"]["entropy"], meta["until"], meta["runner"])
            same = made == (root_seed, until, runner)
        return None if same else f"made from another spec or scenario than this sweep's ({advice})"

    return check


def plan(path: str | Path, overrides: dict[str, Any] | None = None, allow_runner: bool = False) -> SweepPlan:
    """Validate a spec file and derive its arms, baseline and run list.

    Args:
        path: the spec YAML file.
        overrides: top-level spec fields to replace (``replications``, ``until``); None values
            are ignored.
        allow_runner: accept a ``runner`` outside ecosim (a spec is data: by default it names
            only ecosim's own code).

    Returns:
        The sweep plan, with one task per (arm, replication).

    Raises:
        ScenarioError: naming the spec (or base scenario) file and the field path at fault.
    """
    path = Path(path)
    return plan_spec(read_spec(path, overrides), path, allow_runner)


def plan_spec(spec: SweepSpec, path: Path, allow_runner: bool = False) -> SweepPlan:
    """Derive the arms, baseline and run list of a validated spec (``path``: the file its base
    is relative to and its errors name; a client that builds specs in code, such as
    :mod:`ecosim.sensitivity`, names its own file).

    Raises:
        ScenarioError: naming ``path`` (or the base scenario file) and the field path at fault.
    """
    bases = _BaseScenarios(path, spec)
    base_scenario = bases.scenario(None)
    design = cast(Design, validate_mapping(DESIGNS[spec.design["type"]], spec.design, path))
    _check_size(design, spec, path)
    _check_runner(spec.runner, path, allow_runner)
    factors: dict[str, tuple[Any, ...]] = {}
    if isinstance(design, FactorialDesign):
        arms, factors = _factorial_arms(design)
        _check_levers(
            [Arm(0, "", tuple(design.levers))],
            base_scenario.levers,
            path,
            "design.levers",
            spec.base,
        )
    elif isinstance(design, LatinHypercubeDesign):
        arms = _hypercube_arms(design)
    elif isinstance(design, PointsDesign):
        arms = _point_arms(design)
    elif isinstance(design, RobustDesign):
        arms = _robust_arms(design, path)
        _check_levers(
            [Arm(0, "", tuple(design.levers))], base_scenario.levers, path, "design.levers", spec.base
        )
    else:
        arms = _explicit_arms(design, path)
        for i, arm in enumerate(arms):
            where = f"design.arms[{i}]"
            scenario = bases.scenario(arm.base, f"{where}.base")
            _check_levers([arm], scenario.levers, path, f"{where}.levers", arm.base or spec.base)
    names = [arm.name for arm in arms]
    if len(set(names)) != len(names):
        clash = next(name for name in names if names.count(name) > 1)
        raise ScenarioError(path, "design", f"two arms would both be named {excerpt(clash)}")
    baseline = _default_baseline(spec, arms)
    if baseline not in {arm.name for arm in arms}:
        raise ScenarioError(path, "baseline", f"no arm named {excerpt(baseline)}")
    if "anchor_lineage" in spec.metrics and spec.runner == DEFAULT_RUNNER:
        message = f"anchor_lineage is recorded by another runner: add `runner: {ANCHOR_RUNNER}` to the spec"
        raise ScenarioError(path, "metrics", message)
    window, notes = effective_window(spec, path)
    scenarios = {arm.index: _scenario_for(arm, bases.data(arm.base), spec, path) for arm in arms}
    _check_years(spec, window, arms, scenarios, path)
    labels = lever_labels(scenarios.values())
    # An arm named after the scenario file it runs (san_diego_weak_hub: ../scenarios/
    # san_diego_weak_hub.yaml) reads as that scenario's name in reports; any other name is the
    # author's own and stays.
    arm_labels = {
        arm.name: scenario_label(scenarios[arm.index])
        for arm in arms
        if arm.base is not None and Path(arm.base).stem == arm.name
    }
    constants = {arm.index: _constants_for(arm, spec, path) for arm in arms}
    digests = {index: scenario.digest() for index, scenario in scenarios.items()}
    tasks = []
    for replication in range(spec.replications):  # replication-major: partial sweeps pair up
        for arm in arms:
            scenario = scenarios[arm.index]
            overrides = constants[arm.index]
            digest = task_digest(
                digests[arm.index], spec.root_seed, replication, spec.until, spec.runner, overrides, arm.block
            )
            run = Run(
                scenario,
                np.random.SeedSequence(spec.root_seed, spawn_key=spawn_key(replication, arm.block)),
                until=spec.until,
                constants=tuple(sorted(overrides.items())),
                runner=spec.runner,
            )
            tasks.append(RunTask(run_id(arm, replication), arm, replication, spec.root_seed, run, digest))
    return SweepPlan(
        spec, path, tuple(arms), baseline, tuple(tasks), factors, window, notes, labels, arm_labels
    )


def _check_years(
    spec: SweepSpec, window: Window | None, arms: list[Arm], scenarios: dict[int, Scenario], path: Path
) -> None:
    """Runs of no month (``until`` before a scenario starts) or a window wholly outside an arm's
    years (sums of no year) are refused; a window past ``until`` is effective_window's.
    """
    for arm in arms:
        first, last = scenarios[arm.index].start_year, scenarios[arm.index].end_year
        where = "" if arm.name == "baseline" else f" (arm {excerpt(arm.name)})"
        if spec.until is not None and spec.until < first:
            message = f"must be >= the scenario's start_year {first}{where}, got {spec.until}"
            raise ScenarioError(path, "until", message)
        if window is not None and window.end < first:
            message = (
                f"ends in {window.end}, before the scenario's start_year {first}{where}: nothing to compare"
            )
            raise ScenarioError(path, "window.end", message + ": nothing to compare")
        if window is not None and spec.until is None and window.start > last:
            message = (
                f"starts in {window.start}, after the scenario's end_year {last}{where}: nothing to compare"
            )
            raise ScenarioError(path, "window.start", message + ": nothing to compare")


class _BaseScenarios:
    """The base scenario files of a spec (its own and any its arms name), each read once."""

    def __init__(self, path: Path, spec: SweepSpec) -> None:
        self.path = path
        self.spec = spec
        self._data: dict[str | None, dict[str, Any]] = {}
        self._scenarios: dict[str | None, Scenario] = {}

    def data(self, base: str | None, where: str = "base") -> dict[str, Any]:
        """The resolved mapping of a base file (None: the spec's own base)."""
        if base not in self._data:
            name = self.spec.base if base is None else base
            file = self.path.parent / name
            if not is_file(file):
                raise ScenarioError(self.path, where, f"file not found: {file}")
            self._data[base] = resolve(file)
            self._scenarios[base] = load(file)  # its errors name the file of an extends chain at fault
        return self._data[base]

    def scenario(self, base: str | None, where: str = "base") -> Scenario:
        """The base file as a scenario (None: the spec's own base)."""
        self.data(base, where)
        return self._scenarios[base]


def effective_window(spec: SweepSpec, path: Path) -> tuple[Window | None, tuple[str, ...]]:
    """The window the report compares, clipped to ``until`` when the spec's ends later.

    A quick look (``--until``) at a spec whose window runs longer is a shorter experiment,
    not an error: the window ends at ``until`` and a note says so.

    Raises:
        ScenarioError: the window starts after ``until`` (nothing left to compare).
    """
    window, until = spec.window, spec.until
    if window is None or until is None or window.end <= until:
        return window, ()
    if window.start > until:
        message = f"starts in {window.start}, after until ({until}): nothing left to compare"
        raise ScenarioError(path, "window.start", message)
    clipped = Window(start=window.start, end=until)
    note = (
        f"the spec's window ends in {window.end} but the runs stop in {until}: "
        f"the report compares {clipped.start}-{clipped.end}"
    )
    return clipped, (note,)


def lever_labels(scenarios: Iterable[Scenario]) -> dict[str, dict[str, str]]:
    """Each lever's short label in English and Japanese, as its scenario gives them."""
    labels: dict[str, dict[str, str]] = {}
    for scenario in scenarios:
        for key, lever in scenario.levers.items():
            entry = {"en": lever.short or key.replace("_", " ")}
            if lever.short_ja:
                entry["ja"] = lever.short_ja
            labels.setdefault(key, entry)
    return labels


def scenario_label(scenario: Scenario) -> dict[str, str]:
    """A scenario's name in English and, when it gives one, Japanese."""
    label = {"en": scenario.name}
    if scenario.name_ja:
        label["ja"] = scenario.name_ja
    return label


def is_ecosim_runner(runner: str) -> bool:
    """Whether a runner is ecosim's own code (the only code a spec may name by default)."""
    module_name = runner.split(":", 1)[0]
    return module_name == "ecosim" or module_name.startswith("ecosim.")


def _check_runner(runner: str, path: Path, allow_runner: bool) -> None:
    # Checked before anything is imported: finding a module imports its parent packages.
    if not allow_runner and not is_ecosim_runner(runner):
        message = (
            f"{excerpt(runner)} is not ecosim's code; a spec is data and runs only ecosim's runners "
            f"({DEFAULT_RUNNER}, {ANCHOR_RUNNER}) unless `ecosim sweep --allow-runner` is given"
        )
        raise ScenarioError(path, "runner", message)
    module_name = runner.split(":", 1)[0]
    try:
        found = importlib.util.find_spec(module_name)
    except (ImportError, ValueError):
        found = None
    if found is None:
        raise ScenarioError(path, "runner", f"cannot find module {excerpt(module_name)}")


def execute_task(task: RunTask) -> RunRecord:
    """Run one task in whatever process it lands in; exceptions become an error record."""
    return RunRecord.of(task, engine.execute(task.run))


def pending(
    tasks: Iterable[RunTask], finished: dict[str, dict[str, Any]], retry_failed: bool = False
) -> list[RunTask]:
    """List the tasks without a finished run file; a file with another digest is a conflict.

    Args:
        tasks: the plan's tasks.
        finished: run id -> ``{"digest", "status"}`` of the run files present.
        retry_failed: redo runs whose file records an error.

    Raises:
        ValueError: when a present run file came from a different spec or scenario.
    """
    todo = []
    for task in tasks:
        found = finished.get(task.run_id)
        if found is None or (retry_failed and found["status"] != "ok"):
            todo.append(task)
        elif found["digest"] != task.digest:
            raise ValueError(
                f"run {task.run_id} in this folder was made from a different spec or scenario; "
                "use another output folder"
            )
    return todo


def run_tasks(
    tasks: list[RunTask],
    executor: Executor,
    on_result: Callable[[RunRecord], None],
) -> Iterator[tuple[RunTask, RunRecord | BaseException]]:
    """Submit every task and yield each (task, record or executor exception) as it completes.

    Args:
        tasks: runs to do.
        executor: any concurrent.futures executor (the executor queues what it cannot start).
        on_result: called with each record before it is yielded (the store writes it here).
    """
    for index, result in engine.run_all([task.run for task in tasks], executor):
        task = tasks[index]
        if isinstance(result, BaseException):  # lost by the executor: not stored, redone on resume
            yield task, result
        else:
            record = RunRecord.of(task, result)
            on_result(record)
            yield task, record


def store_record(store: RunStore, record: RunRecord) -> None:
    """Write a finished run (and a failed run's traceback) to the store."""
    store.write_run(record.task.run_id, record.yearly, record.metadata())
    if not record.ok and record.traceback:
        store.write_error(record.task.run_id, record.traceback)
    store.log(
        {
            "run_id": record.task.run_id,
            "status": "ok" if record.ok else "error",
            "seconds": round(record.seconds, 3),
        }
    )


def code_change(previous: dict[str, Any] | None) -> str | None:
    """Say how this code differs from the one that made a folder's runs (None: it does not).

    Runs made by another git commit or other package versions may differ from this code's, so
    resuming would mix model versions in one sweep.
    """
    if not previous:
        return None
    now = base_manifest([])
    if previous.get("git_commit") != now["git_commit"]:
        return f"git commit {previous.get('git_commit')} made its runs, this is {now['git_commit']}"
    before = previous.get("versions") or {}
    changed = [k for k, v in now["versions"].items() if before.get(k, v) != v]
    if changed:
        pairs = ", ".join(f"{k} {before[k]} -> {now['versions'][k]}" for k in changed)
        return f"package versions changed since its runs were made: {pairs}"
    return None


def start_session(
    plan: SweepPlan, store: RunStore, backend: str, command: list[str] | None
) -> dict[str, Any]:
    """Write the sweep manifest with a new session entry and return the manifest."""
    previous = store.read_manifest() or {}
    session = {
        "started": _now(),
        "host": socket.gethostname(),
        "backend": backend,
        "git_commit": base_manifest([])["git_commit"],
    }
    manifest = {
        **plan.describe(),
        **base_manifest(command),
        "sessions": [*previous.get("sessions", []), session],
    }
    store.write_manifest(manifest)
    return manifest


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run_sweep(
    plan: SweepPlan,
    store: RunStore,
    executor: Executor,
    progress: Callable[[RunRecord | None], None] | None = None,
    retry_failed: bool = False,
    backend: str = "serial",
    command: list[str] | None = None,
) -> SweepOutcome:
    """Do every run of ``plan`` that ``store`` does not hold yet.

    Args:
        plan: the validated sweep.
        store: the sweep folder; finished runs found there are skipped.
        executor: where runs execute (serial, process pool or Dask).
        progress: called once per completed run (None for a run the executor lost).
        retry_failed: redo runs whose stored file records an error.
        backend: a label for the manifest's session log.
        command: the command line for the manifest (default ``sys.argv``).

    Returns:
        Counts of skipped, succeeded, failed and lost runs.

    Raises:
        ValueError: when the folder holds runs of a different spec.
    """
    store.remove_stale()
    finished = store.finished()
    todo = pending(plan.tasks, finished, retry_failed)
    manifest = start_session(plan, store, backend, command)
    outcome = SweepOutcome(total=len(plan.tasks), skipped=len(plan.tasks) - len(todo))
    redo = {task.run_id for task in todo}
    outcome.skipped_failed = sum(
        1 for task in plan.tasks if task.run_id not in redo and finished[task.run_id]["status"] != "ok"
    )
    started = time.perf_counter()
    for task, result in run_tasks(todo, executor, lambda record: store_record(store, record)):
        if isinstance(result, RunRecord) and result.ok:
            outcome.succeeded += 1
        elif isinstance(result, RunRecord):
            outcome.failed += 1
            outcome.failures.append((task.run_id, result.error or ""))
        else:
            outcome.lost.append(task.run_id)
            store.log({"run_id": task.run_id, "status": "lost", "error": repr(result)})
        if progress is not None:
            progress(result if isinstance(result, RunRecord) else None)
    manifest["sessions"][-1].update(
        finished=_now(),
        seconds=round(time.perf_counter() - started, 1),
        skipped=outcome.skipped,
        succeeded=outcome.succeeded,
        failed=outcome.failed,
        lost=len(outcome.lost),
    )
    store.write_manifest(manifest)
    return outcome
