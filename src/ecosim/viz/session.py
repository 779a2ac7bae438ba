"""The model the browser view drives: a thin Mesa model around one BioclusterModel run.

SolaraViz rebuilds its model on Reset as ``type(model)(**control_values)``. A
:class:`ViewSession` takes exactly the page's controls as keyword arguments (scenario file,
five factors, GTB levers, seed), turns them into scenario overrides, and builds the
simulation with them. Keeping this wrapper apart from :class:`BioclusterModel` leaves the model
free of anything the viz needs, and keeps Mesa's own ``Model.scenario`` (which SolaraViz reads
on Reset) a plain Mesa scenario.

A control only overrides the file when it differs from the default the page started with: a
factor given as a timeline in the file stays a timeline until its slider is moved, and picking
another scenario without touching anything shows that scenario as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mesa

from ecosim.scenario import FACTOR_NAMES, Scenario, ScenarioError, load

LEVER_PREFIX = "lever_"
DEFAULT_SEED = 42


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
    factors = {name: start.factors.at(name, start.start_year) for name in FACTOR_NAMES}
    levers: dict[str, bool] = {}
    labels: dict[str, str] = {}
    by_file: dict[str, tuple[str, ...]] = {}
    for name in scenario_files(folder):
        try:
            other = (
                start
                if (folder / name).resolve() == scenario_path.resolve()
                else load(folder / name)
            )
        except ScenarioError:
            continue
        by_file[name] = tuple(other.levers)
        for lever_name, lever in other.levers.items():
            labels.setdefault(lever_name, lever.name)
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
    )


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
        name: float(value)
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
        self.sim = BioclusterModel(self.config, rng=seed)
        self.running = True

    def step(self) -> None:
        """Advance the simulation by one month."""
        if not self.running:
            return
        self.sim.step()
        self.running = bool(getattr(self.sim, "running", True)) and (
            self.sim.year < self.config.end_year + 1
        )
