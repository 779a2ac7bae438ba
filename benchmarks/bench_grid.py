"""What Mesa's neighbour links cost a world: the region's grid with and without them.

Usage:
    python benchmarks/bench_grid.py [--repeats 7] [--out benchmarks/grid.json]

For Greater Tokyo and the Bay Area: the process time of building the grid alone, Mesa's
``OrthogonalMooreGrid`` (every cell linked to its eight neighbours) against the model's
``PlacementGrid`` (no links, src/ecosim/agents/site.py), and of building the whole world
(``BioclusterModel``) with each, alternating, median of ``--repeats``; and the number of links
Mesa makes. Both worlds are otherwise the same code (the model's grid class is swapped), so the
difference is the links' alone.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

from mesa.discrete_space import OrthogonalMooreGrid

import ecosim.model
from ecosim.agents.site import PlacementGrid
from ecosim.model import BioclusterModel
from ecosim.scenario import load

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ("greater_tokyo", "bay_area")
GRIDS = {"linked": OrthogonalMooreGrid, "placement": PlacementGrid}


def seconds(make, repeats: int) -> dict[str, float]:
    """Median process time of ``make(grid_class)`` for each grid, the two alternating."""
    times: dict[str, list[float]] = {name: [] for name in GRIDS}
    for _ in range(repeats):
        for name, grid in GRIDS.items():
            started = time.process_time()
            make(grid)
            times[name].append(time.process_time() - started)
    return {name: round(statistics.median(t), 4) for name, t in times.items()}


def measure(name: str, repeats: int) -> dict[str, object]:
    scenario = load(ROOT / "scenarios" / f"{name}.yaml")
    dims = (scenario.region.width, scenario.region.height)

    def grid_alone(grid: type) -> None:
        grid(dims, torus=False, random=random.Random(1))

    def world(grid: type) -> None:
        ecosim.model.PlacementGrid = grid  # the class the model builds its grid from
        try:
            BioclusterModel(scenario, rng=1)
        finally:
            ecosim.model.PlacementGrid = PlacementGrid

    linked = OrthogonalMooreGrid(dims, torus=False, random=random.Random(1))
    return {
        "cells": dims[0] * dims[1],
        "links": sum(len(cell.connections) for cell in linked.all_cells),
        "grid_seconds": seconds(grid_alone, repeats),
        "world_seconds": seconds(world, repeats),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "grid.json")
    args = parser.parse_args()
    result = {"repeats": args.repeats, "clock": "process time, median"}
    result |= {name: measure(name, args.repeats) for name in SCENARIOS}
    text = json.dumps(result, indent=2) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text, end="")


if __name__ == "__main__":
    main()
