"""Speed of a run: the Bay Area 1976-2020 budget, per agent-step cost vs Mesa's WolfSheep, scaling.

Usage: python benchmarks/bench_run.py [--repeats N]

Prints medians over repeats, and ratios, and writes them to benchmarks/results.json.
The project's speed bars: a Bay Area run 1976-2020 in <= 10 s on these 2-core machines; per
agent-step no slower than WolfSheep measured in the same process; time ~linear in agents.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from mesa.examples.advanced.wolf_sheep.agents import Sheep, Wolf
from mesa.examples.advanced.wolf_sheep.model import WolfSheep, WolfSheepScenario

from ecosim.agents import Hospital
from ecosim.model import BioclusterModel
from ecosim.scenario import load

ROOT = Path(__file__).resolve().parents[1]


def time_bioclusters(path: Path, overrides: dict | None = None, seed: int = 1) -> tuple[float, int]:
    """Seconds for a whole run and the agent-steps it took."""
    scenario = load(path, overrides=overrides)
    model = BioclusterModel(scenario, rng=seed)
    months = (scenario.end_year - scenario.start_year + 1) * 12
    agent_steps = 0
    start = time.perf_counter()
    for _ in range(months):
        model.step()
        agent_steps += len(model.agents) - len(model.agents_of(Hospital))
    return time.perf_counter() - start, agent_steps


def time_wolf_sheep(steps: int = 200, seed: int = 1) -> tuple[float, int]:
    """Seconds and agent-steps of Mesa's WolfSheep example with its defaults."""
    model = WolfSheep(WolfSheepScenario(rng=seed))
    agent_steps = 0
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
        # Grass patches only regrow on a timer; count the agents that are activated.
        agent_steps += len(model.agents_by_type[Sheep]) + len(model.agents_by_type[Wolf])
    return time.perf_counter() - start, agent_steps


def median_of(repeats: int, fn, *args, **kwargs) -> tuple[float, int]:
    """Median seconds over repeats (agent-steps of the last repeat)."""
    times, steps = [], 0
    for seed in range(1, repeats + 1):
        seconds, steps = fn(*args, seed=seed, **kwargs)
        times.append(seconds)
    return statistics.median(times), steps


def main() -> None:
    """Run the benchmarks and print a small report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    bay, bay_steps = median_of(args.repeats, time_bioclusters, ROOT / "scenarios" / "bay_area.yaml")
    wolf, wolf_steps = median_of(args.repeats, time_wolf_sheep)
    per_bio = bay / bay_steps * 1e6
    per_wolf = wolf / wolf_steps * 1e6
    scaling = {}
    for firms in (250, 500, 1000):
        seconds, steps = median_of(
            args.repeats,
            time_bioclusters,
            ROOT / "scenarios" / "greater_tokyo.yaml",
            overrides={"initial_firms": firms, "end_year": 2025},
        )
        scaling[firms] = {"seconds": round(seconds, 3), "us_per_agent_step": round(seconds / steps * 1e6, 3)}
    report = {
        "bay_area_1976_2020_seconds_median": round(bay, 3),
        "bay_area_agent_steps": bay_steps,
        "us_per_agent_step_ecosim": round(per_bio, 3),
        "us_per_agent_step_wolf_sheep": round(per_wolf, 3),
        "ratio_ecosim_to_wolf_sheep": round(per_bio / per_wolf, 3),
        "scaling_greater_tokyo_2021_2025": scaling,
        "repeats": args.repeats,
    }
    print(json.dumps(report, indent=2))
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
