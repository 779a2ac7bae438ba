"""How long the posterior's ABC-SMC takes with the libraries' own parts and with ecosim's.

Usage:
    python benchmarks/bench_abc.py [--figures 8] [--points 150] [--population 1000]
        [--generations 3] [--repeats 3] [--out benchmarks/abc.json]

``ecosim posterior`` spends most of its time, after the design's runs, in pyabc's ABC-SMC on the
emulator (about 50 minutes on one core on the full budget, measured when the method was chosen).
This script fits one emulator on part of the committed design (``results/posterior/design.csv``:
the first ``--figures`` figures, the first ``--points`` points; the inference's cost is pyabc's
bookkeeping and the emulator's calls, not the figures' number) and runs the same inference
(``posterior.infer``, ``--population`` particles, ``--generations`` generations, seed 1) as it ran
before (the reference: pyabc's own prior, model prior and local kernel, swapped in as
tests/test_posterior.py swaps them, and scikit-learn's own predict for the emulator) and with
src/ecosim/abc_parts.py's parts and posterior.FittedProcess's predict, alternately,
``--repeats`` times each, in one process; it checks that both give the same particles to the last
bit and reports the median seconds of each and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecosim import abc_parts, posterior
from ecosim.constants import FREE

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def libraries_own() -> Any:
    """The inference as it ran before abc_parts and FittedProcess, while the block runs: pyabc's
    own parts (scipy's uniform densities and randint mass, LocalTransition drawing afresh) and
    scikit-learn's own predict for the emulator."""
    import pyabc

    saved = (abc_parts.box_prior, abc_parts.OneModel, abc_parts.CachedLocalTransition)
    saved_predict = posterior.Emulator.predict

    def scipy_box(box: dict[str, tuple[float, float]]) -> Any:
        return pyabc.Distribution(**{n: pyabc.RV("uniform", lo, hi - lo) for n, (lo, hi) in box.items()})

    def sklearn_predict(self: posterior.Emulator, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        u = posterior.unit(np.atleast_2d(x))
        means, sds = zip(*(m.predict(u, return_std=True) for m in self.models), strict=True)
        return np.column_stack(means), np.column_stack(sds)

    abc_parts.box_prior, abc_parts.OneModel = scipy_box, lambda: pyabc.RV("randint", 0, 1)
    abc_parts.CachedLocalTransition = pyabc.LocalTransition
    posterior.Emulator.predict = sklearn_predict  # type: ignore[method-assign]
    try:
        yield
    finally:
        abc_parts.box_prior, abc_parts.OneModel, abc_parts.CachedLocalTransition = saved
        posterior.Emulator.predict = saved_predict  # type: ignore[method-assign]


def main() -> None:
    """Fit the emulator, time both inferences alternately, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=8)
    parser.add_argument("--points", type=int, default=150)
    parser.add_argument("--population", type=int, default=1000)
    parser.add_argument("--generations", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "abc.json")
    args = parser.parse_args()
    design = pd.read_csv(ROOT / "results" / "posterior" / "design.csv")
    keys = [c for c in design.columns if "@" in c][: args.figures]
    emulator = posterior.Emulator(
        keys, design[list(FREE)].to_numpy()[: args.points], design[keys].to_numpy()[: args.points], 1
    )
    budget = posterior.AbcBudget(population=args.population, generations=args.generations, rng_seed=1)
    seconds: dict[str, list[float]] = {"libraries": [], "ecosim": []}
    particles: dict[str, pd.DataFrame] = {}
    with tempfile.TemporaryDirectory() as folder:
        for repeat in range(args.repeats):
            for name in ("libraries", "ecosim"):
                database = Path(folder) / f"{name}-{repeat}.db"
                started = time.perf_counter()
                if name == "libraries":
                    with libraries_own():
                        particles[name] = posterior.infer(emulator, keys, budget, database)
                else:
                    particles[name] = posterior.infer(emulator, keys, budget, database)
                seconds[name].append(round(time.perf_counter() - started, 2))
    pd.testing.assert_frame_equal(particles["libraries"], particles["ecosim"], check_exact=True)
    medians = {name: statistics.median(times) for name, times in seconds.items()}
    result = {
        "what": (
            "posterior.infer on an emulator of the committed design: pyabc's own parts and "
            "scikit-learn's predict (libraries) against abc_parts and FittedProcess (ecosim)"
        ),
        "figures": len(keys),
        "design_points": args.points,
        "population": args.population,
        "generations": args.generations,
        "particles_kept": len(particles["ecosim"]),
        "same_particles": True,
        "seconds": seconds,
        "median_seconds": medians,
        "ratio": round(medians["libraries"] / medians["ecosim"], 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "numpy": np.__version__,
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
