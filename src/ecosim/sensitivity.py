"""Global sensitivity analysis: Morris screening, then Sobol indices, with SALib.

Which of the five elements of a bio-community matters most, and which assumptions decide a
policy answer? A sensitivity spec (YAML) names a base scenario, the uncertain parameters (any
scenario field path, such as ``factors.hub_leadership`` or ``levers.biofoundry.budget_musd``,
or a mechanism constant as ``constants.NAME``) with their ranges, the outputs and the budget of
two stages:

1. **Morris screening** (elementary effects; Campolongo, Cariboni & Saltelli 2007's mu*):
   ``trajectories`` one-at-a-time paths through the whole box, ``trajectories x (D + 1)``
   points for D parameters. mu* ranks every parameter for a few runs per parameter.
2. **Sobol indices** (Saltelli 2010's estimators, first-order S1 and total ST, with bootstrap
   intervals) on the ``top`` parameters by mu* (or a list the spec names); the others stay at
   the scenario's own values. ``samples x (k + 2)`` points for k parameters.

Samplers and analyses are SALib's (``SALib.sample.morris``, ``SALib.analyze.morris``,
``SALib.sample.sobol``, ``SALib.analyze.sobol``); ecosim adds the runs and the model's noise.
Each stage is an ordinary sweep (a ``points`` design of :mod:`ecosim.sweep`) done by the engine
into a run folder of its own: parallel, on Dask with ``--scheduler``, and resumable after a kill
by running the same command again. Every point runs ``replications`` times, and the analyses
read the mean over replications. Seeds are shared within a block and independent across blocks
(a block is a Morris trajectory, or a Sobol base sample with its k + 1 companions): elementary
effects and Sobol estimators compare runs of one block under common random numbers, while the
bootstrap over trajectories or base samples sees the seeds' noise.

The model's noise is measured, not assumed away. For Morris, the same analysis of a contrast of
the replications (weights summing to zero, so every effect of the parameters cancels, and whose
squares sum to 1/R, so its noise is the mean's) gives the mu* that noise alone would show
(``mu_star_noise``, with its own bootstrap half-interval); a parameter is told apart from noise
when the two intervals do not overlap: mu* - conf > floor + floor conf. For Sobol, the
contrast's variance over the variance of the mean is the share of the output's variance that is
the seeds' noise, and the contrast's total indices, scaled by that share, are each parameter's
noise floor (``ST_noise``). With two replications the contrast is half the difference of the
two; with more it leans on the first replication, and its tails are a single run's.

Parameters are sampled on the unit cube and mapped onto their ranges (uniform, or uniform in
the logarithm for rates and prices). SALib divides each change by the Morris step, so mu* is the
mean absolute change of an output per whole range of a parameter, measured over steps of
``levels / (2 (levels - 1))`` of it: comparable across parameters only as far as their ranges are
equally plausible. An integer parameter (a year) needs a range its levels divide evenly.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from pydantic import Field, field_validator, model_validator

from ecosim import atomic, plots, spreadsheet
from ecosim.errors import excerpt
from ecosim.limits import MAX_SWEEP_ARMS, MAX_SWEEP_RUNS
from ecosim.provenance import base_manifest
from ecosim.scenario import ScenarioError, Strict, Year, resolve, validate_mapping
from ecosim.store import RunStore
from ecosim.sweep import (
    DEFAULT_METRICS,
    FieldPath,
    FolderName,
    MetricName,
    Range,
    SweepPlan,
    SweepSpec,
    Window,
    plan_spec,
    refuse_repeats,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

STAGES = ("morris", "sobol")
"""The two stages, in the order they run."""


class Parameter(Range):
    """An uncertain parameter: its range, and the group it belongs to in figures and tables."""

    group: str = Field(default="", max_length=40, description="factor, lever, price or constant")

    @field_validator("group")
    @classmethod
    def _known_group(cls, group: str) -> str:
        # A group is a colour in every figure (plots.PARAMETER_GROUP_COLOURS): an unknown one
        # would have none of its own.
        if group and group not in plots.PARAMETER_GROUP_COLOURS:
            raise ValueError(
                f"must be one of {', '.join(plots.PARAMETER_GROUP_COLOURS)}, or none; got {group!r}"
            )
        return group


class MorrisBudget(Strict):
    """The screening stage's design."""

    trajectories: int = Field(ge=2, le=1000, description="one-at-a-time paths through the box")
    levels: int = Field(default=4, ge=2, le=20, multiple_of=2, description="grid levels (even)")
    seed: int = Field(default=0, ge=0, description="seed of SALib's Morris sampler")
    resamples: int = Field(default=1000, ge=10, le=100000, description="bootstrap resamples of mu*")


class SobolBudget(Strict):
    """The variance-decomposition stage's design."""

    samples: int = Field(ge=2, le=65536, description="base samples N (a power of two)")
    top: int = Field(default=10, ge=1, description="the parameters with the largest mu*")
    parameters: list[FieldPath] = Field(
        default_factory=list, description="or these parameters, whatever the screening says"
    )
    seed: int = Field(default=0, ge=0, description="seed of SALib's scrambled Sobol sampler")
    resamples: int = Field(default=1000, ge=10, le=100000, description="bootstrap resamples")

    @model_validator(mode="after")
    def _power_of_two(self) -> SobolBudget:
        if self.samples & (self.samples - 1):
            raise ValueError(f"samples: must be a power of two (Sobol sequences), got {self.samples}")
        return self


class QuickBudget(Strict):
    """What ``--quick`` runs instead: the same code on a tiny design (CI, a first look), within
    the bounds of the full budget's (quick_look copies these numbers into it without validating
    them again, so they are checked here and in SensitivitySpec._within_limits).
    """

    trajectories: int = Field(default=2, ge=2, le=1000)
    samples: int = Field(default=4, ge=2, le=65536, description="a power of two, as sobol.samples")
    top: int = Field(default=3, ge=1)
    replications: int = Field(default=2, ge=1, le=1000)
    until: Year | None = Field(default=None, description="last simulated year of the quick look")

    @model_validator(mode="after")
    def _power_of_two(self) -> QuickBudget:
        if self.samples & (self.samples - 1):
            raise ValueError(f"samples: must be a power of two (Sobol sequences), got {self.samples}")
        return self


class SensitivitySpec(Strict):
    """A sensitivity analysis: base scenario, uncertain parameters, outputs and budget."""

    name: FolderName = Field(max_length=80, description="one folder name: runs/<name> and results/<name>")
    description: str = ""
    description_ja: str = ""
    base: str = Field(min_length=1, description="base scenario file, relative to the spec")
    overrides: dict[str, Any] = Field(default_factory=dict, description="scenario fields set in every run")
    constants: dict[str, Any] = Field(default_factory=dict, description="constants set in every run")
    until: Year | None = None
    replications: int = Field(ge=1, le=1000, description="runs of every point (common random numbers)")
    root_seed: int = Field(ge=0)
    parameters: dict[FieldPath, Parameter] = Field(min_length=2)
    outputs: list[MetricName] = Field(min_length=1)
    window: Window | None = None
    morris: MorrisBudget
    sobol: SobolBudget | None = None
    quick: QuickBudget = Field(default_factory=QuickBudget)

    @model_validator(mode="after")
    def _within_limits(self) -> SensitivitySpec:
        # Checked before anything is sampled: a design past the sweep's limits would exhaust memory
        # (SALib samples the whole design first). The quick budget's design too: --quick runs it.
        q = self.quick
        budgets = (
            ("morris.trajectories", "sobol.samples", "replications", self.morris.trajectories,
             self.sobol.samples if self.sobol else 0, self.sobol.top if self.sobol else 0, self.replications),
            ("quick.trajectories", "quick.samples", "quick.replications", q.trajectories, q.samples, q.top,
             q.replications),
        )  # fmt: skip
        for morris, sobol, runs, trajectories, samples, top, replications in budgets:
            stages = {morris: trajectories * (len(self.parameters) + 1)}
            if self.sobol is not None:
                k = len(self.sobol.parameters) or min(top, len(self.parameters))
                stages[sobol] = samples * (k + 2)
            for where, points in stages.items():
                if points > MAX_SWEEP_ARMS:
                    raise ValueError(
                        f"{where}: {points:,} points, more than {MAX_SWEEP_ARMS:,} (limits.MAX_SWEEP_ARMS)"
                    )
                if points * replications > MAX_SWEEP_RUNS:
                    raise ValueError(
                        f"{runs}: {points:,} points x {replications} = {points * replications:,} "
                        f"runs, more than {MAX_SWEEP_RUNS:,} (limits.MAX_SWEEP_RUNS)"
                    )
        return self

    @model_validator(mode="after")
    def _window_within_the_runs(self) -> SensitivitySpec:
        # A sweep clips its window to a quick look's --until, with a note; a sensitivity spec sets
        # both itself, and its README stated the window as written, past the runs' last year.
        if self.window is not None and self.until is not None and self.window.end > self.until:
            raise ValueError(
                f"window.end: must be <= until ({self.until}): the runs stop there, got {self.window.end}"
            )
        return self

    @model_validator(mode="after")
    def _distinct_outputs(self) -> SensitivitySpec:
        refuse_repeats(self.outputs, "outputs")
        return self

    @model_validator(mode="after")
    def _integer_steps(self) -> SensitivitySpec:
        steps = self.morris.levels - 1
        for name, p in self.parameters.items():
            if p.integer and ((p.high - p.low) % steps or p.low != int(p.low)):
                raise ValueError(
                    f"parameters.{name}: an integer range must be whole numbers whose span the "
                    f"{self.morris.levels} levels divide evenly (a multiple of {steps}), "
                    f"got {p.low:g}-{p.high:g}"
                )
        return self

    @model_validator(mode="after")
    def _known_sobol_parameters(self) -> SensitivitySpec:
        if self.sobol is not None:
            for i, name in enumerate(self.sobol.parameters):
                if name not in self.parameters:
                    raise ValueError(f"sobol.parameters[{i}]: {name!r} is not one of the spec's parameters")
        return self

    def quick_look(self) -> SensitivitySpec:
        """The spec with the quick budget in place of the full one."""
        q = self.quick
        morris = self.morris.model_copy(update={"trajectories": q.trajectories, "resamples": 100})
        sobol = None
        if self.sobol is not None:
            sobol = self.sobol.model_copy(update={"samples": q.samples, "top": q.top, "resamples": 100})
        window = self.window
        until = q.until or self.until
        if window is not None and until is not None:
            window = Window(start=min(window.start, until), end=min(window.end, until))
        update = {
            "name": f"{self.name}-quick",
            "replications": q.replications,
            "until": until,
            "window": window,
            "morris": morris,
            "sobol": sobol,
        }
        return self.model_copy(update=update)


def read_spec(path: str | Path, quick: bool = False) -> SensitivitySpec:
    """Read and validate a sensitivity spec (with ``quick``: its quick budget).

    Raises:
        ScenarioError: naming the file and the field at fault.
    """
    spec = validate_mapping(SensitivitySpec, resolve(Path(path)), path)
    return spec.quick_look() if quick else spec


# ---------------------------------------------------------------------------------------------
# Samplers.


def unit_problem(names: list[str]) -> dict[str, Any]:
    """SALib's problem on the unit cube (ranges are applied by :func:`scaled`)."""
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def morris_design(spec: SensitivitySpec) -> tuple[list[str], np.ndarray]:
    """The Morris points of every parameter, on the unit cube: (names, X)."""
    from SALib.sample import morris

    names = list(spec.parameters)
    unit = morris.sample(
        unit_problem(names), spec.morris.trajectories, num_levels=spec.morris.levels, seed=spec.morris.seed
    )
    return names, unit


def sobol_design(spec: SensitivitySpec, names: list[str]) -> np.ndarray:
    """Saltelli's points for first-order and total indices of ``names``, on the unit cube."""
    from SALib.sample import sobol

    assert spec.sobol is not None
    return sobol.sample(
        unit_problem(names), spec.sobol.samples, calc_second_order=False, scramble=True, seed=spec.sobol.seed
    )


def scaled(spec: SensitivitySpec, names: list[str], unit: np.ndarray) -> list[list[float | int]]:
    """Unit-cube points as scenario values, one row a point."""
    columns = [spec.parameters[name].scale(unit[:, j]) for j, name in enumerate(names)]
    return [
        [spec.parameters[name].value(col[i]) for name, col in zip(names, columns, strict=True)]
        for i in range(unit.shape[0])
    ]


def stage_plan(
    spec: SensitivitySpec, path: Path, stage: str, names: list[str], unit: np.ndarray, block: int
) -> SweepPlan:
    """A stage as a sweep: one arm a point, ``replications`` runs an arm, ``block`` consecutive
    points sharing seeds (a Morris trajectory: D + 1; a Sobol base sample: k + 2).

    Raises:
        ScenarioError: naming the spec file, when a point makes an invalid scenario.
    """
    design = {
        "type": "points",
        "parameters": names,
        "points": scaled(spec, names, unit),
        "blocks": [i // block for i in range(unit.shape[0])],
    }
    try:
        return _points_plan(spec, path, f"{spec.name}-{stage}", design)
    except ScenarioError as exc:
        raise _parameter_at_fault(spec, path, names) or exc from None


def _points_plan(spec: SensitivitySpec, path: Path, name: str, design: dict[str, Any]) -> SweepPlan:
    """The spec's runs of a design of points, as a sweep (its checks, its seeds)."""
    data = {
        "name": name,
        "description": spec.description,
        "description_ja": spec.description_ja,
        "base": spec.base,
        "overrides": spec.overrides,
        "constants": spec.constants,
        "until": spec.until,
        "replications": spec.replications,
        "root_seed": spec.root_seed,
        "design": design,
        "metrics": list(dict.fromkeys([*spec.outputs, *DEFAULT_METRICS[:1]])),
        "window": spec.window.model_dump() if spec.window else None,
    }
    return plan_spec(validate_mapping(SweepSpec, data, path), path)


def _parameter_at_fault(spec: SensitivitySpec, path: Path, names: list[str]) -> ScenarioError | None:
    """The first parameter whose range alone makes an invalid run, as an error naming it.

    A stage's sweep names its points (``design: arm 'point00000': ...``), which the spec's author
    never wrote: each parameter is tried alone at both ends of its range to name the one at
    fault (None: no parameter alone; the stage's own error stands).
    """
    for name in names:
        ends = [spec.parameters[name].value(v) for v in spec.parameters[name].scale(np.array([0.0, 1.0]))]
        design = {"type": "points", "parameters": [name], "points": [[v] for v in ends]}
        try:
            _points_plan(spec, path, f"{spec.name}-check", design)
        except ScenarioError as exc:
            for i, value in enumerate(ends):
                prefix = f"arm {excerpt(f'point{i:05d}')}: "
                if exc.message.startswith(prefix):
                    return ScenarioError(
                        path, f"parameters.{name}", f"at {value}: {exc.message.removeprefix(prefix)}"
                    )
            return None  # not a point's error (a base file missing): the stage's own error stands
    return None


# ---------------------------------------------------------------------------------------------
# Outputs of the runs.


def outputs_by_point(root: Path, outputs: list[str], points: int) -> np.ndarray:
    """The outputs of a finished stage: an array (replications, points, outputs).

    Raises:
        ValueError: when a run is missing or failed (the stage is not complete).
    """
    from ecosim.report import load_sweep, run_metrics

    data = load_sweep(root)
    values = run_metrics(data.runs, data.yearly, outputs, data.window)
    replications = data.replications
    if len(values) != replications * points:
        raise ValueError(f"{root}: {len(values)} finished runs of {replications * points}")
    index = {arm["name"]: i for i, arm in enumerate(data.arms)}
    y = np.full((replications, points, len(outputs)), np.nan)
    rows = values["arm"].map(index).to_numpy()
    reps = values["replication"].to_numpy(dtype=int)
    y[reps, rows, :] = values[outputs].to_numpy(dtype=float)
    if np.isnan(y).any():
        missing = ", ".join(o for k, o in enumerate(outputs) if np.isnan(y[:, :, k]).any())
        raise ValueError(f"{missing}: no value in some runs of {root} (is the window inside the runs?)")
    return y


def noise_contrast(y: np.ndarray) -> np.ndarray:
    """A contrast of the replications with expectation zero and the noise of their mean.

    With weights ``c = a (1, -1/(R-1), ..., -1/(R-1))`` and ``a = sqrt(R-1)/R`` the weights sum to
    zero (every effect of the parameters cancels) and their squares to ``1/R`` (the variance of
    a mean of R independent replications): what the analysis of the mean would show if the
    parameters did nothing.

    Args:
        y: outputs by replication first (R, ...), R >= 2.
    """
    r = y.shape[0]
    a = math.sqrt(r - 1) / r
    weights = np.full(r, -a / (r - 1))
    weights[0] = a
    return np.tensordot(weights, y, axes=1)


# ---------------------------------------------------------------------------------------------
# Analyses.


def analyze_morris(
    names: list[str],
    unit: np.ndarray,
    y: np.ndarray,
    outputs: list[str],
    levels: int,
    resamples: int,
    seed: int,
) -> pd.DataFrame:
    """Morris indices of every parameter for every output, with the noise floor.

    Args:
        names: the parameters, one a column of ``unit``.
        unit: the Morris points on the unit cube.
        y: outputs (replications, points, outputs).
        outputs: the outputs' names.
        levels: grid levels of the Morris design.
        resamples: bootstrap resamples of mu*.
        seed: the bootstrap's seed.

    Returns:
        One row per (output, parameter): mu, mu_star, sigma, mu_star_conf (half-width of the
        95% bootstrap interval), mu_star_noise and mu_star_noise_conf (mu* of the replications'
        noise contrast and its half-width; NaN with one replication), distinguishable (the two
        intervals do not overlap), rank (the order by mu*, not a claim: see ``separable``),
        rank_best and rank_worst (the places the 95% intervals leave it: 1 + the parameters whose
        interval lies wholly above its own; all but those wholly below).
    """
    from SALib.analyze import morris

    problem = unit_problem(names)
    mean = y.mean(axis=0)
    noise = noise_contrast(y) if y.shape[0] > 1 else None
    rows = []
    for k, output in enumerate(outputs):
        found = morris.analyze(
            problem, unit, mean[:, k], num_resamples=resamples, num_levels=levels, seed=seed
        )
        if noise is not None:
            found_noise = morris.analyze(
                problem, unit, noise[:, k], num_resamples=resamples, num_levels=levels, seed=seed
            )
            floor, floor_conf = found_noise["mu_star"], found_noise["mu_star_conf"]
        else:
            floor = floor_conf = np.full(len(names), np.nan)
        for j, name in enumerate(names):
            mu_star, conf = float(found["mu_star"][j]), float(found["mu_star_conf"][j])
            rows.append(
                {
                    "output": output,
                    "parameter": name,
                    "mu": float(found["mu"][j]),
                    "mu_star": mu_star,
                    "mu_star_conf": conf,
                    "sigma": float(found["sigma"][j]),
                    "mu_star_noise": float(floor[j]),
                    "mu_star_noise_conf": float(floor_conf[j]),
                    "distinguishable": (
                        bool(mu_star - conf > floor[j] + floor_conf[j]) if noise is not None else None
                    ),
                }
            )
    table = pd.DataFrame(rows)
    table["rank"] = table.groupby("output")["mu_star"].rank(ascending=False, method="min").astype(int)
    return with_places(table, "mu_star", "mu_star_conf")


def screened(table: pd.DataFrame, names: list[str], spec: SensitivitySpec) -> list[str]:
    """The parameters the Sobol stage decomposes: the spec's list, else the ``top`` by mu*.

    A parameter's score in an output is its mu* above the noise floor (mu* itself with one
    replication); outputs differ in unit, so each output's scores are divided by its largest
    before a parameter's best score over the outputs ranks it (an output where nothing clears
    the noise adds nothing); ties keep the spec's order.
    """
    assert spec.sobol is not None
    if spec.sobol.parameters:
        return [name for name in names if name in spec.sobol.parameters]
    above = (table["mu_star"] - table["mu_star_noise"].fillna(0.0)).clip(lower=0.0)
    largest = above.groupby(table["output"]).transform("max").replace(0.0, np.nan)
    score = (above / largest).fillna(0.0).groupby(table["parameter"]).max()
    ordered = sorted(names, key=lambda name: (-score.get(name, 0.0), names.index(name)))
    chosen = set(ordered[: spec.sobol.top])
    return [name for name in names if name in chosen]


def analyze_sobol(
    names: list[str], y: np.ndarray, outputs: list[str], resamples: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """First-order and total Sobol indices with bootstrap intervals, and the noise share.

    Args:
        names: the decomposed parameters.
        y: outputs (replications, points, outputs) at Saltelli's points.
        outputs: the outputs' names.
        resamples: bootstrap resamples.
        seed: the bootstrap's seed.

    Returns:
        The indices, one row per (output, parameter): S1, S1_conf, ST, ST_conf (95%
        half-widths), ST_noise (the total index noise alone gives the parameter), rank (the
        order by ST); and one row per output: its mean, its variance over the points and the
        share of that variance that is seed noise (NaN with one replication).
    """
    from SALib.analyze import sobol

    problem = unit_problem(names)
    mean = y.mean(axis=0)
    contrast = noise_contrast(y) if y.shape[0] > 1 else None
    keys = ("S1", "S1_conf", "ST", "ST_conf")
    rows, outputs_rows = [], []
    for k, output in enumerate(outputs):
        variance = float(np.var(mean[:, k], ddof=1))
        noise = float(np.var(contrast[:, k], ddof=1)) if contrast is not None else math.nan
        share = noise / variance if variance > 0 else math.nan
        outputs_rows.append(
            {"output": output, "mean": float(mean[:, k].mean()), "variance": variance, "noise_share": share}
        )
        nothing = {key: np.full(len(names), np.nan) for key in keys}
        found = nothing
        if variance > 0:  # a constant output has no variance to share out
            found = sobol.analyze(
                problem, mean[:, k], calc_second_order=False, num_resamples=resamples, seed=seed
            )
        floor = nothing
        if contrast is not None and noise > 0:
            floor = sobol.analyze(
                problem, contrast[:, k], calc_second_order=False, num_resamples=resamples, seed=seed
            )
        for j, name in enumerate(names):
            rows.append(
                {
                    "output": output,
                    "parameter": name,
                    **{key: float(found[key][j]) for key in keys},
                    # the contrast's total index in units of the mean's variance
                    "ST_noise": float(floor["ST"][j]) * share if np.isfinite(share) else math.nan,
                }
            )
    table = pd.DataFrame(rows)
    table["rank"] = table.groupby("output")["ST"].rank(ascending=False, method="min").astype("Int64")
    return table, pd.DataFrame(outputs_rows)


def clear_of(first: pd.Series, second: pd.Series, value: str, conf: str) -> bool:
    """Whether ``first``'s interval (``value`` +- ``conf``) lies wholly above ``second``'s."""
    return bool(first[value] - first[conf] > second[value] + second[conf])


def with_places(table: pd.DataFrame, value: str, conf: str) -> pd.DataFrame:
    """``table`` with each parameter's places in its output's ranking that the intervals allow.

    rank_best is 1 + the parameters whose interval lies wholly above its own (:func:`clear_of`),
    rank_worst all the output's parameters but those wholly below: the order by ``value`` alone
    would claim places that overlapping intervals cannot tell apart.
    """
    low, high = table[value] - table[conf], table[value] + table[conf]
    best, worst = [], []
    for i in table.index:
        same = table["output"] == table.at[i, "output"]
        best.append(1 + int((same & (low > high[i])).sum()))
        worst.append(int(same.sum()) - int((same & (high < low[i])).sum()))
    return table.assign(rank_best=best, rank_worst=worst)


def places(row: pd.Series) -> str:
    """A row's places as the report writes them: "1" when it is surely above every other, "3-9"
    when two lie surely above it and the intervals of the next six overlap its own.
    """
    best, worst = int(row["rank_best"]), int(row["rank_worst"])
    return str(best) if best == worst else f"{best}-{worst}"


def separable(table: pd.DataFrame, value: str, conf: str) -> pd.DataFrame:
    """For each output, whether its first-ranked parameter's interval clears the second's.

    A ranking the intervals do not support is not claimed: "not distinguishable with this
    budget" is the honest answer when the two intervals overlap.
    """
    rows = []
    for output, group in table.groupby("output", sort=False):
        ordered = group.sort_values(value, ascending=False)
        if len(ordered) < 2 or ordered[value].isna().all():
            continue
        first, second = ordered.iloc[0], ordered.iloc[1]
        clear = clear_of(first, second, value, conf)
        rows.append(
            {
                "output": output,
                "first": first["parameter"],
                "second": second["parameter"],
                "first_value": first[value],
                "second_value": second[value],
                "first_clear_of_second": bool(clear),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# The whole analysis.


@dataclasses.dataclass(frozen=True, eq=False)
class Stage:
    """A stage's design and where its runs live."""

    name: str
    names: list[str]
    unit: np.ndarray
    plan: SweepPlan
    runs: Path


def _stage(
    spec: SensitivitySpec, path: Path, runs: Path, name: str, names: list[str], unit: np.ndarray
) -> Stage:
    block = len(names) + (1 if name == "morris" else 2)
    return Stage(name, names, unit, stage_plan(spec, path, name, names, unit, block), runs / name)


def _outputs(stage: Stage, spec: SensitivitySpec, path: Path) -> np.ndarray:
    try:
        return outputs_by_point(stage.runs, list(spec.outputs), stage.unit.shape[0])
    except ValueError as exc:
        raise ScenarioError(path, "outputs", str(exc)) from None


RunStage = Callable[[Stage], None]
"""Does every run of a stage that its folder does not hold (the command supplies the executor)."""


def analyse(
    spec: SensitivitySpec, path: Path, runs: Path, run_stage: RunStage
) -> dict[str, pd.DataFrame | list[str] | dict[str, Any]]:
    """Run both stages and analyse them.

    Args:
        spec: the (possibly quick) spec.
        path: its file (bases are relative to it, errors name it).
        runs: the folder of the stages' run folders (``runs/morris``, ``runs/sobol``).
        run_stage: does a stage's runs (resumably; it must leave the stage complete).

    Returns:
        Tables: ``morris``, ``sobol`` and ``sobol_outputs`` (absent without a Sobol stage), the
        ``screened`` parameters, ``separable`` rankings and ``stages`` (points and runs each).
    """
    timings: dict[str, Any] = {}

    def done(name: str, names: list[str], unit: np.ndarray) -> np.ndarray:
        """Run a stage (timed) and read its outputs by point."""
        stage = _stage(spec, path, runs, name, names, unit)
        started = time.perf_counter()
        run_stage(stage)
        seconds = round(time.perf_counter() - started, 1)
        timings[name] = {
            "points": int(unit.shape[0]),
            "runs": len(stage.plan.tasks),
            "seconds": seconds,
            "run_seconds": round(RunStore(stage.runs).logged_seconds(), 1),
        }
        return _outputs(stage, spec, path)

    names, unit = morris_design(spec)
    y = done("morris", names, unit)
    m = spec.morris
    morris_table = analyze_morris(names, unit, y, list(spec.outputs), m.levels, m.resamples, m.seed)
    result: dict[str, Any] = {"morris": morris_table, "stages": timings}
    result["separable_morris"] = separable(morris_table, "mu_star", "mu_star_conf")
    if spec.sobol is None:
        return result
    chosen = screened(morris_table, names, spec)
    y = done("sobol", chosen, sobol_design(spec, chosen))
    s = spec.sobol
    sobol_table, noise = analyze_sobol(chosen, y, list(spec.outputs), s.resamples, s.seed)
    result.update(
        screened=chosen,
        sobol=sobol_table,
        sobol_outputs=noise,
        separable_sobol=separable(sobol_table, "ST", "ST_conf"),
    )
    return result


# ---------------------------------------------------------------------------------------------
# Writing the results.


def short_names(names: list[str]) -> dict[str, str]:
    """Each parameter's name in a figure: its path without the section and with spaces
    (``levers.biofoundry.raises.cross_disciplinary_fusion`` -> ``biofoundry raises cross
    disciplinary fusion``), or the whole path where two would read alike. The tables and the
    README keep the whole paths.
    """
    short = {name: name.split(".", 1)[-1].replace(".", " ").replace("_", " ") for name in names}
    seen = pd.Series(list(short.values())).value_counts()
    return {name: text if seen[text] == 1 else name for name, text in short.items()}


def _region(spec: SensitivitySpec) -> str:
    """The base scenario's region as a title says it (``../scenarios/san_diego.yaml``: San Diego)."""
    return Path(spec.base).stem.replace("_", " ").title()


MORRIS_NAMED = 8
"""Points of a Morris panel named, the largest mu* first (the README's table names them all)."""


def morris_figure(table: pd.DataFrame, spec: SensitivitySpec) -> Figure:
    """mu* against sigma for every output, the noise floor as a dashed line, each group of
    parameters in its own colour and the largest effects named where their names have room.
    """
    from ecosim.report import metric_label

    outputs = list(spec.outputs)
    # Laid out at the dpi it is written at: the names are placed apart by their measured widths.
    fig = plots.figure((6.2 * len(outputs), 5.2), dpi=plots.PNG_DPI)
    axes = fig.subplots(1, len(outputs), squeeze=False)
    groups = [*plots.PARAMETER_GROUP_COLOURS, ""]  # the palette's order in every figure
    for ax, output in zip(axes[0], outputs, strict=True):
        rows = table[table["output"] == output]
        of = np.array([spec.parameters[p].group for p in rows["parameter"]])
        for group in groups:
            mine = rows[of == group]
            if len(mine):
                ax.errorbar(
                    mine["mu_star"],
                    mine["sigma"],
                    xerr=mine["mu_star_conf"],
                    fmt="o",
                    color=plots.PARAMETER_GROUP_COLOURS.get(group, plots.OTHER_COLOUR),
                    label=group or "parameter",
                )
        floor = rows["mu_star_noise"].max()
        if np.isfinite(floor):
            ax.axvline(floor, linestyle="--", color="grey", label="noise floor (largest)")
        ax.set_xlabel("mu* (mean |elementary effect|)")
        ax.set_ylabel("sigma (interaction or non-linearity)")
        ax.set_title(metric_label(output), fontsize=10)
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle(
        f"Morris screening, {_region(spec)}: how far each parameter moves each output (mu*) "
        "and how unevenly (sigma)",
        fontsize=11,
    )
    fig.tight_layout()
    # Names go on last, where the layout is final, so they can be kept apart and off the legend;
    # a name with no room is left out rather than printed over another.
    renderer = plots.renderer(fig)
    names = short_names(list(spec.parameters))
    leader = {"arrowstyle": "-", "color": "0.5", "lw": 0.5, "shrinkA": 0, "shrinkB": 3}
    for ax, output in zip(axes[0], outputs, strict=True):
        top = table[table["output"] == output].nsmallest(MORRIS_NAMED, "rank")
        labels = [
            plots.PointLabel((row.mu_star, row.sigma), names[row.parameter], plots.BESIDE, {})
            for row in top.itertuples()
        ]
        plots.draw_labels(
            ax, labels, taken=[ax.get_legend().get_window_extent(renderer)], fontsize=7, arrowprops=leader
        )
    return fig


def plot_morris(table: pd.DataFrame, spec: SensitivitySpec, path: Path) -> Path:
    """Write the Morris figure (morris_figure) as a PNG at ``path``."""
    return plots.save_png(morris_figure(table, spec), path)


def sobol_figure(table: pd.DataFrame, spec: SensitivitySpec) -> Figure:
    """First-order and total indices with their 95% intervals, one panel an output, the
    parameters by their short names and groups, the key above the panels.
    """
    from ecosim.report import metric_label

    outputs = list(spec.outputs)
    names = list(dict.fromkeys(table["parameter"]))
    short = short_names(list(spec.parameters))
    labels = [
        f"{short[n]} ({spec.parameters[n].group})" if spec.parameters[n].group else short[n] for n in names
    ]
    # Constrained layout sizes each panel to its own tick labels (tight_layout left the longest
    # name of the left panel past the figure's edge) and keeps room for a key outside the panels.
    fig = plots.figure((6.2 * len(outputs), 1.6 + 0.45 * len(names)), layout="constrained")
    # One column of names for all panels (shared y axis): the others need no room of their own.
    axes = fig.subplots(1, len(outputs), squeeze=False, sharey=True)
    positions = np.arange(len(names))
    for ax, output in zip(axes[0], outputs, strict=True):
        rows = table[table["output"] == output].set_index("parameter").reindex(names)
        ax.barh(positions - 0.2, rows["S1"], 0.4, xerr=rows["S1_conf"], label="alone (first order, S1)")
        ax.barh(
            positions + 0.2, rows["ST"], 0.4, xerr=rows["ST_conf"], label="with its interactions (total, ST)"
        )
        ax.set_yticks(positions, labels, fontsize=8)
        ax.axvline(0, color="black", linewidth=0.5)
        ax.set_xlabel("share of the output's variance")
        ax.set_title(metric_label(output), fontsize=10)
    axes[0, 0].invert_yaxis()  # the spec's order from the top (the axis is shared)
    fig.suptitle(
        f"Sobol indices, {_region(spec)}: each parameter's share of the output's variance "
        "(95% bootstrap intervals)",
        fontsize=11,
    )
    # One key for all panels, below them: inside a panel it lay over the longest bars.
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=8)
    return fig


def plot_sobol(table: pd.DataFrame, spec: SensitivitySpec, path: Path) -> Path:
    """Write the Sobol figure (sobol_figure) as a PNG at ``path``."""
    return plots.save_png(sobol_figure(table, spec), path)


def _fmt(value: float) -> str:
    if value is None or not np.isfinite(value):
        return "-"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def reading(morris: pd.DataFrame, spec: SensitivitySpec, language: str) -> list[str]:
    """The short reading for a policy reader, in ``language``, read from the Morris table: the
    element (a parameter of group ``factor``) that moves each output most, whether it is told from
    noise and from the next element, and the parameter that moves it most of all.
    """
    from ecosim import i18n
    from ecosim.report import short_metric

    def element(name: str) -> str:
        label = i18n.text(name.rsplit(".", 1)[-1])
        return label.split(" ", 1)[-1] if label[:1].isdigit() else label

    with i18n.using(language):
        lines = [f"## {i18n.text('report_reading')}", ""]
        for output in spec.outputs:
            rows = morris[morris["output"] == output].sort_values("mu_star", ascending=False)
            sentence = []
            factors = rows[[spec.parameters[n].group == "factor" for n in rows["parameter"]]]
            if len(factors):
                top = factors.iloc[0]
                told = "sens_told_yes" if top["distinguishable"] else "sens_told_no"
                sentence.append(
                    i18n.text(
                        "sens_reading_factor",
                        metric=short_metric(output),
                        factor=element(top["parameter"]),
                        mu=_fmt(top["mu_star"]),
                        told=i18n.text(told),
                    )
                )
                if len(factors) > 1:
                    second = factors.iloc[1]
                    key = (
                        "sens_lead_yes"
                        if clear_of(top, second, "mu_star", "mu_star_conf")
                        else "sens_lead_no"
                    )
                    sentence.append(i18n.text(key, second=element(second["parameter"])))
            else:
                sentence.append(f"**{short_metric(output)}**:")
            if len(rows) > 1:
                apart = clear_of(rows.iloc[0], rows.iloc[1], "mu_star", "mu_star_conf")
                clear = i18n.text("sens_top_clear") if apart else ""
                sentence.append(i18n.text("sens_top", name=rows.iloc[0]["parameter"], clear=clear))
            joined = functools.reduce(lambda a, b: i18n.text("sentence_join", first=a, second=b), sentence)
            lines += [f"- {joined}"]
        lines += ["", i18n.text("sens_caveat"), ""]
    return lines


def readme(result: dict[str, Any], spec: SensitivitySpec, manifest: dict[str, Any]) -> str:
    """The results folder's README: what was run, the rankings and what they can and cannot say."""
    from ecosim.report import short_metric

    stages = result["stages"]
    lines = [
        f"# Sensitivity: {spec.name}",
        "",
        spec.description.strip(),
        "",
        f"Produced by `{manifest['command']}` at git commit `{manifest['git_commit']}` "
        f"({spec.replications} replications a point, root seed {spec.root_seed}, "
        f"runs to {spec.until or 'the scenario end'}; window "
        f"{spec.window.start if spec.window else '-'}-{spec.window.end if spec.window else '-'}).",
        "",
        "| stage | points | runs | minutes of this command | run minutes (summed over the runs) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, stage in stages.items():
        lines.append(
            f"| {name} | {stage['points']:,} | {stage['runs']:,} | {stage['seconds'] / 60:.1f} | "
            f"{stage.get('run_seconds', 0.0) / 60:.1f} |"
        )
    morris = result["morris"]
    lines += ["", *reading(morris, spec, "en"), *reading(morris, spec, "ja")]
    lines += ["", "## Morris screening", ""]
    lines.append(
        "mu* is the mean absolute change of an output per whole range of one parameter, measured over "
        f"steps of {spec.morris.levels / (2 * (spec.morris.levels - 1)):.2f} of the range with the others "
        "anywhere in their box (the ranges are the spec's: mu* compares parameters as far as their "
        "ranges are equally plausible); sigma is its spread (interactions, non-linearity). The noise "
        "floor is the mu* that the replications' noise alone shows; a parameter is told apart from "
        "noise when the 95% intervals of its mu* and of its floor do not overlap. The rows are in the "
        "order of mu*; a place is claimed only where intervals part: the column `places` gives the "
        "places a parameter could take (1 + those whose interval lies wholly above its own, to all but "
        "those wholly below), so '3-9' means its place among the 3rd to the 9th is not established "
        "with this budget. The figure's dashed line is the largest floor."
    )
    for output in spec.outputs:
        rows = morris[morris["output"] == output].sort_values("rank")
        lines += [
            "",
            f"### {short_metric(output)}",
            "",
            "| places | parameter | group | mu* | 95% +- | sigma | noise floor | told from noise |",
            "| ---: | --- | --- | ---: | ---: | ---: | ---: | --- |",
        ]
        for _, row in rows.iterrows():
            told = {True: "yes", False: "no", None: "-"}[row["distinguishable"]]
            lines.append(
                f"| {places(row)} | `{row['parameter']}` | {spec.parameters[row['parameter']].group} | "
                f"{_fmt(row['mu_star'])} | {_fmt(row['mu_star_conf'])} | {_fmt(row['sigma'])} | "
                f"{_fmt(row['mu_star_noise'])} | {told} |"
            )
    lines += ["", "![Morris](morris.png)"]
    if "sobol" not in result:
        lines += [
            "",
            "## Sobol indices",
            "",
            "Not run: the screening alone was asked for (`--screen-only`, or a spec without `sobol`). "
            "The ranking above is Morris's; no share of the variance is claimed.",
        ]
    else:
        sobol, noise = result["sobol"], result["sobol_outputs"]
        lines += ["", "## Sobol indices", ""]
        lines.append(
            f"Decomposed: the {len(result['screened'])} parameters "
            + ("the spec names" if spec.sobol and spec.sobol.parameters else "with the largest mu*")
            + f"; the others stay at the scenario's values. {spec.sobol.samples if spec.sobol else 0} base "
            f"samples (Saltelli's design, first-order and total indices), 95% bootstrap intervals, of "
            f"the mean over {spec.replications} replications (so they depend on the replications). "
            "The noise share is the part of that mean's variance over the points that is the seeds' "
            "noise; ST noise is the total index that noise alone gives a parameter: an ST not clear "
            "of it is noise."
        )
        for output in spec.outputs:
            rows = sobol[sobol["output"] == output].sort_values("ST", ascending=False)
            share = noise.loc[noise["output"] == output, "noise_share"].iloc[0]
            lines += [
                "",
                f"### {short_metric(output)} (noise share {_fmt(share)})",
                "",
                "| parameter | S1 | 95% +- | ST | 95% +- | ST noise |",
                "| --- | ---: | ---: | ---: | ---: | ---: |",
            ]
            for _, row in rows.iterrows():
                lines.append(
                    f"| `{row['parameter']}` | {_fmt(row['S1'])} | {_fmt(row['S1_conf'])} | "
                    f"{_fmt(row['ST'])} | {_fmt(row['ST_conf'])} | {_fmt(row['ST_noise'])} |"
                )
        lines += ["", "![Sobol](sobol.png)"]
    lines += ["", "## What the intervals support", ""]
    for key, what in (("separable_morris", "mu*"), ("separable_sobol", "ST")):
        table = result.get(key)
        if table is None or table.empty:
            continue
        for _, row in table.iterrows():
            verdict = (
                "clear of the second's interval"
                if row["first_clear_of_second"]
                else "not distinguishable from the second with this budget"
            )
            lines.append(
                f"- {short_metric(row['output'])}, by {what}: `{row['first']}` first "
                f"({_fmt(row['first_value'])}), `{row['second']}` second ({_fmt(row['second_value'])}): "
                f"{verdict}."
            )
    lines += [
        "",
        "Files: `morris.csv`"
        + (", `sobol.csv`, `sobol_outputs.csv`" if "sobol" in result else "")
        + ", `parameters.csv` (the box), the figures and `manifest.json`.",
        "",
    ]
    return "\n".join(lines)


def write_results(
    result: dict[str, Any], spec: SensitivitySpec, path: Path, out: Path, command: list[str] | None = None
) -> list[Path]:
    """Write the tables, figures, README and manifest into ``out``, all or nothing."""
    from ecosim.scenario import load

    manifest = {
        **base_manifest(command),
        "spec": spec.model_dump(mode="json"),
        "spec_file": str(path),
        "scenario_digest": load(path.parent / spec.base).digest(),
        "seeds": {"root_seed": spec.root_seed, "replications": spec.replications},
        "stages": result["stages"],
        "screened": result.get("screened", []),
    }
    box = pd.DataFrame([{"parameter": name, **p.model_dump()} for name, p in spec.parameters.items()])
    written = []
    with atomic.staged_dir(out) as stage:
        # A parameter's group is the spec's text: neutralised where a spreadsheet would run it.
        spreadsheet.neutralised(box).to_csv(stage / "parameters.csv", index=False)
        tables = {"morris": result["morris"]}
        if "sobol" in result:
            tables.update(sobol=result["sobol"], sobol_outputs=result["sobol_outputs"])
        for name, table in tables.items():
            spreadsheet.neutralised(table).to_csv(stage / f"{name}.csv", index=False, float_format="%.6g")
        plot_morris(result["morris"], spec, stage / "morris.png")
        names = ["parameters.csv", "morris.csv", "morris.png"]
        if "sobol" in result:
            plot_sobol(result["sobol"], spec, stage / "sobol.png")
            names += ["sobol.csv", "sobol_outputs.csv", "sobol.png"]
        atomic.write_text(stage / "README.md", readme(result, spec, manifest))
        atomic.write_json(stage / "manifest.json", manifest)
        names += ["README.md", "manifest.json"]
        written = [out / name for name in names]
    return written
