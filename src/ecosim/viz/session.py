"""The model the browser view drives: a thin Mesa model around one BioclusterModel run.

SolaraViz rebuilds its model on Reset as ``type(model)(**control_values)``. A
:class:`ViewSession` takes exactly the page's controls as keyword arguments (scenario file,
five factors, GTB levers, seed), turns them into scenario overrides, and builds the
simulation with them. Keeping this wrapper apart from :class:`BioclusterModel` leaves the model
free of anything the viz needs, and keeps Mesa's own ``Model.scenario`` (which SolaraViz reads
on Reset) a plain Mesa scenario.

A control only overrides the file when it differs from the default the page started with, and
picking another scenario without touching anything shows that scenario as written. A factor
that the starting scenario gives as a timeline (San Diego's hub leadership rises with CONNECT in
1985) gets a multiplier slider: 1.00 is the timeline as written, and another value scales every
level of it (clipped at 1), so a slider never flattens a timeline without saying so.

A session may run a second simulation in step with the first (the side-by-side view): the same
seed without the levers, or another scenario file as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mesa

from ecosim.runner import DEFAULT_SEED
from ecosim.scenario import FACTOR_NAMES, Scenario, ScenarioError, load

LEVER_PREFIX = "lever_"
COMPARE_NO_LEVERS = "no_levers"
"""The side-by-side choice "the same run without its levers" (else a scenario file name)."""
TIMELINE_SCALE_MAX = 2.0


@dataclass(frozen=True)
class PageDefaults:
    """The scenario files on offer and the values the controls start at."""

    scenario_dir: Path
    scenario_file: str
    factors: dict[str, float] = field(default_factory=dict)
    levers: dict[str, bool] = field(default_factory=dict)
    lever_labels: dict[str, str] = field(default_factory=dict)
    seed: int = DEFAULT_SEED
    scenario_levers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lever_labels_ja: dict[str, str] = field(default_factory=dict)
    timelines: dict[str, str] = field(default_factory=dict)
    """Factor -> its timeline in the starting scenario ("0.10; 0.50 from 1985"), for the factors
    whose slider is a multiplier of the timeline."""

    def levers_of(self, scenario_file: str | None) -> tuple[str, ...]:
        """The levers a scenario file defines (the only ones its switches can act on)."""
        return self.scenario_levers.get(scenario_file or self.scenario_file, ())

    @property
    def files_with_levers(self) -> list[str]:
        """The scenario files that define at least one lever, sorted."""
        return sorted(name for name, levers in self.scenario_levers.items() if levers)

    @property
    def files(self) -> list[str]:
        """File names of every scenario in the folder, sorted."""
        return scenario_files(self.scenario_dir)


def scenario_files(folder: Path) -> list[str]:
    """Names of the scenario files (``*.yaml``, ``*.yml``) in ``folder``, sorted."""
    return sorted(p.name for p in folder.iterdir() if p.suffix in {".yaml", ".yml"})


def page_defaults(scenario_path: Path, seed: int = DEFAULT_SEED) -> PageDefaults:
    """Read the starting scenario and every lever offered by any scenario in its folder.

    Args:
        scenario_path: the scenario the page opens with.
        seed: the starting random seed.

    Returns:
        The defaults of every control.

    Raises:
        ScenarioError: the starting scenario cannot be loaded.
    """
    folder = scenario_path.parent
    start = load(scenario_path)
    timelines = {
        name: describe_timeline(getattr(start.factors, name))
        for name in FACTOR_NAMES
        if isinstance(getattr(start.factors, name), dict) and len(getattr(start.factors, name)) > 1
    }
    factors = {
        name: 1.0 if name in timelines else start.factors.at(name, start.start_year) for name in FACTOR_NAMES
    }
    levers: dict[str, bool] = {}
    labels: dict[str, str] = {}
    labels_ja: dict[str, str] = {}
    by_file: dict[str, tuple[str, ...]] = {}
    for name in scenario_files(folder):
        try:
            other = start if (folder / name).resolve() == scenario_path.resolve() else load(folder / name)
        except ScenarioError:
            continue
        by_file[name] = tuple(other.levers)
        for lever_name, lever in other.levers.items():
            labels.setdefault(lever_name, lever.name)
            if lever.name_ja:
                labels_ja.setdefault(lever_name, lever.name_ja)
            levers.setdefault(lever_name, False)
    for lever_name, lever in start.levers.items():
        levers[lever_name] = lever.enabled
        labels[lever_name] = lever.name
    return PageDefaults(
        scenario_dir=folder,
        scenario_file=scenario_path.name,
        factors=factors,
        levers=levers,
        lever_labels=labels,
        seed=seed,
        scenario_levers=by_file,
        lever_labels_ja=labels_ja,
        timelines=timelines,
    )


def describe_timeline(timeline: dict[int, float]) -> str:
    """'0.10; 0.50 from 1985; 0.80 from 1995'."""
    items = sorted(timeline.items())
    return "; ".join([f"{items[0][1]:.2f}"] + [f"{value:.2f} ({year})" for year, value in items[1:]])


def scaled(value: Any, scale: float) -> Any:
    """A factor (a level or a timeline) with every level multiplied by ``scale``, clipped to 1."""
    if isinstance(value, dict):
        return {year: min(1.0, float(level) * scale) for year, level in value.items()}
    return min(1.0, float(value) * scale)


def build_overrides(
    defaults: PageDefaults, factors: dict[str, float], levers: dict[str, bool], scenario: Scenario
) -> dict[str, Any]:
    """Scenario overrides for the controls that differ from the page's defaults.

    Args:
        defaults: the values the controls started at.
        factors: slider values by factor name.
        levers: switch values by lever name.
        scenario: the scenario file as written (only its own levers can be switched).

    Returns:
        A mapping for ``ecosim.scenario.load(path, overrides)``.
    """
    overrides: dict[str, Any] = {}
    changed_factors = {
        name: scaled(getattr(scenario.factors, name), float(value))
        if name in defaults.timelines
        else float(value)
        for name, value in factors.items()
        if abs(float(value) - defaults.factors.get(name, -1.0)) > 1e-9
    }
    if changed_factors:
        overrides["factors"] = changed_factors
    changed_levers = {
        name: {"enabled": bool(value)}
        for name, value in levers.items()
        if name in scenario.levers and bool(value) != defaults.levers.get(name, False)
    }
    if changed_levers:
        overrides["levers"] = changed_levers
    return overrides


def parse_seed(value: object) -> int:
    """The seed typed into the page (a text field) as an integer; the default when blank."""
    text = str(value).strip()
    if not text:
        return DEFAULT_SEED
    try:
        return int(float(text))
    except ValueError:
        raise ScenarioError("seed", "rng", f"must be a whole number, got {text!r}") from None


class ViewSession(mesa.Model):
    """One simulation run as the page's controls describe it.

    ``step()`` advances the simulation by one month; ``running`` turns false at the scenario's
    end year. The simulation itself is ``self.sim``.
    """

    defaults: PageDefaults | None = None

    def __init__(
        self,
        scenario_file: str | None = None,
        hub_leadership: float | None = None,
        diverse_players: float | None = None,
        cross_disciplinary_fusion: float | None = None,
        focused_projects: float | None = None,
        information: float | None = None,
        rng: object = DEFAULT_SEED,
        compare: str = "",
        **controls: Any,
    ) -> None:
        """Build the run from the page's control values.

        Args:
            scenario_file: a file name in the page's scenario folder.
            hub_leadership: factor 1 slider.
            diverse_players: factor 2 slider.
            cross_disciplinary_fusion: factor 3 slider.
            focused_projects: factor 4 slider.
            information: factor 5 slider.
            rng: the random seed (the page sends the text of its seed field).
            compare: a second run in step for the side-by-side view: "" (none),
                COMPARE_NO_LEVERS (the same run with every lever off) or a scenario file name.
            **controls: ``lever_<name>`` switches; a ``scenario`` that SolaraViz adds on Reset
                (a Mesa scenario, meaningless here) is ignored.
        """
        from ecosim.model import BioclusterModel

        defaults = type(self).defaults
        if defaults is None:
            raise RuntimeError("ViewSession.defaults must be set before building a session")
        seed = parse_seed(rng)
        super().__init__(rng=seed)
        controls.pop("scenario", None)
        values = {
            "hub_leadership": hub_leadership,
            "diverse_players": diverse_players,
            "cross_disciplinary_fusion": cross_disciplinary_fusion,
            "focused_projects": focused_projects,
            "information": information,
        }
        factors = {k: v for k, v in values.items() if v is not None}
        levers = {
            key.removeprefix(LEVER_PREFIX): bool(value)
            for key, value in controls.items()
            if key.startswith(LEVER_PREFIX)
        }
        self.scenario_file = scenario_file or defaults.scenario_file
        path = defaults.scenario_dir / self.scenario_file
        as_written = load(path)
        self.overrides = build_overrides(defaults, factors, levers, as_written)
        self.config = load(path, self.overrides) if self.overrides else as_written
        self.seed = seed
        self.defaults_used = defaults
        self.factor_controls = {name: float(v) for name, v in factors.items()}
        self.sim = BioclusterModel(self.config, rng=seed)
        self.compare = compare or ""
        self.twin_config: Scenario | None = None
        self.twin: BioclusterModel | None = None
        if self.compare == COMPARE_NO_LEVERS:
            off = {"levers": {name: {"enabled": False} for name in self.config.levers}}
            self.twin_config = load(path, {**self.overrides, **off}) if self.config.levers else self.config
        elif self.compare:
            self.twin_config = load(defaults.scenario_dir / self.compare)
        if self.twin_config is not None:
            self.twin = BioclusterModel(self.twin_config, rng=seed)
        self.running = True

    def step(self) -> None:
        """Advance the simulation by one month."""
        if not self.running:
            return
        self.sim.step()
        if (
            self.twin is not None
            and self.twin_config is not None
            and (self.twin.year < self.twin_config.end_year + 1)
        ):
            self.twin.step()
        self.running = bool(getattr(self.sim, "running", True)) and (self.sim.year < self.config.end_year + 1)
