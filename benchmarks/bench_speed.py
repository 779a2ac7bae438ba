"""Side-by-side speed of this checkout and a reference commit, in microseconds per firm-month.

Usage:
    python benchmarks/bench_speed.py [--reference 12cc608] [--repeats 5] [--out benchmarks/speed.json]

The reference commit is unpacked (``git archive``) into a temporary folder and run with this
virtual environment, each version in processes of its own, interleaved (reference, this,
reference, this, ...) so that a machine shared with other work slows both alike; each number is
the median of the repeats. Both versions' modules are compiled to bytecode first, so neither
pays for compiling its sources in the timed processes. Two scenarios: Greater Tokyo 2021-2040
and the Bay Area 1976-2020.

* **simulation**: the month loop alone (``model.step()`` over the months), in a process that
  has already built the model;
* **whole process**: ``python -m ecosim run SCENARIO --until YEAR`` from start to exit
  (imports, building, simulating, writing the CSVs and the PNG), with its peak memory;
* **--help**: ``python -m ecosim --help``.

Times are divided by the run's firm-months (the sum over the months of the active firms,
``firms_active``), so that a model whose clusters grew or shrank is compared fairly. Mesa's
WolfSheep is timed per agent-step beside them, as benchmarks/bench_run.py does.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = {"greater_tokyo": 2040, "bay_area": 2020}
"""Scenario -> last simulated year (each from its own start year)."""

SIMULATE = r"""
import json, resource, sys, time
from ecosim.model import BioclusterModel
from ecosim.scenario import load
scenario = load(sys.argv[1])
until, seed = int(sys.argv[2]), int(sys.argv[3])
started = time.perf_counter()
model = BioclusterModel(scenario, rng=seed)
built = time.perf_counter()
for _ in range((until + 1 - scenario.start_year) * 12):
    model.step()
done = time.perf_counter()
firm_months = int(model.datacollector.get_model_vars_dataframe()["firms_active"].sum())
print(json.dumps({"build": built - started, "simulate": done - built, "firm_months": firm_months,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

WOLF_SHEEP = r"""
import json, time
from mesa.examples.advanced.wolf_sheep.agents import Sheep, Wolf
from mesa.examples.advanced.wolf_sheep.model import WolfSheep, WolfSheepScenario
model = WolfSheep(WolfSheepScenario(rng=1))
steps = 0
started = time.perf_counter()
for _ in range(200):
    model.step()
    steps += len(model.agents_by_type[Sheep]) + len(model.agents_by_type[Wolf])
print(json.dumps({"seconds": time.perf_counter() - started, "agent_steps": steps}))
"""


def unpack(commit: str, into: Path) -> Path:
    """The source tree of ``commit`` in ``into`` (its src/ goes first on PYTHONPATH)."""
    archive = into / "source.tar"
    with archive.open("wb") as handle:
        subprocess.run(["git", "-C", str(ROOT), "archive", commit], stdout=handle, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")
    return into / "tree"


def compile_once(tree: Path) -> None:
    """Compile the version's modules to bytecode before timing, as an installed wheel has them
    (the timed processes then read the bytecode, whichever version they run).
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "src")], check=True)


def environment(tree: Path) -> dict[str, str]:
    """Run the version in ``tree``: its src/ first on the import path."""
    return {**os.environ, "PYTHONPATH": str(tree / "src"), "PYTHONDONTWRITEBYTECODE": "1"}


def simulate(tree: Path, scenario: str, until: int, seed: int = 1) -> dict[str, float]:
    """Seconds of the month loop, building, firm-months and peak memory, in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", SIMULATE, str(tree / "scenarios" / f"{scenario}.yaml"), str(until), str(seed)],
        env=environment(tree),
        capture_output=True,
        text=True,
        check=True,
        cwd=tree,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def whole_process(tree: Path, scenario: str, until: int, out: Path) -> dict[str, float]:
    """Wall seconds and peak memory of ``python -m ecosim run`` and the firm-months it ran."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ecosim",
            "run",
            str(tree / "scenarios" / f"{scenario}.yaml"),
            "--seed",
            "1",
            "--until",
            str(until),
            "--out",
            str(out),
            "--quiet",
        ],
        env=environment(tree),
        cwd=tree,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(
            f"ecosim run failed in {tree}: {process.stderr.read().decode() if process.stderr else ''}"
        )
    import pandas as pd

    firm_months = int(pd.read_csv(out / "timeseries.csv")["firms_active"].sum())
    return {"seconds": seconds, "firm_months": firm_months, "peak_mb": usage.ru_maxrss / 1024}


def help_seconds(tree: Path) -> float:
    """Wall seconds of ``python -m ecosim --help``."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ecosim", "--help"],
        env=environment(tree),
        cwd=tree,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - started


def wolf_sheep(tree: Path) -> float:
    """Microseconds per agent-step of Mesa's WolfSheep (200 steps, its defaults)."""
    done = subprocess.run(
        [sys.executable, "-c", WOLF_SHEEP],
        env=environment(tree),
        capture_output=True,
        text=True,
        check=True,
        cwd=tree,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["seconds"] / result["agent_steps"] * 1e6


def median(rows: list[dict[str, float]], key: str) -> float:
    """The median of ``key`` over repeats."""
    return statistics.median(row[key] for row in rows)


def main() -> None:
    """Time both versions, interleaved, and print and write the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", default="12cc608", help="commit to compare with (default 12cc608)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "speed.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ecosim-bench-") as tmp:
        temp = Path(tmp)
        versions = {"reference": unpack(args.reference, temp), "this": ROOT}
        for tree in versions.values():
            compile_once(tree)
        timings: dict[str, dict[str, dict[str, list]]] = {
            v: {s: {"simulation": [], "process": []} for s in SCENARIOS} for v in versions
        }
        helps: dict[str, list[float]] = {v: [] for v in versions}
        for repeat in range(args.repeats):
            for scenario, until in SCENARIOS.items():
                for version, tree in versions.items():
                    timings[version][scenario]["simulation"].append(simulate(tree, scenario, until))
                    out = temp / f"{version}-{scenario}-{repeat}"
                    timings[version][scenario]["process"].append(whole_process(tree, scenario, until, out))
                    print(f"repeat {repeat + 1}: {version} {scenario} done", file=sys.stderr)
            for version, tree in versions.items():
                helps[version].append(help_seconds(tree))
        report: dict[str, object] = {
            "reference": args.reference,
            "this": subprocess.run(
                ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
            ).stdout.strip(),
            "repeats": args.repeats,
            "note": "medians of interleaved repeats on a 2-core machine shared with other work",
        }
        for scenario, until in SCENARIOS.items():
            entry: dict[str, object] = {"until": until}
            for version in versions:
                sim, proc = timings[version][scenario]["simulation"], timings[version][scenario]["process"]
                entry[version] = {
                    "simulate_seconds": round(median(sim, "simulate"), 3),
                    "build_seconds": round(median(sim, "build"), 3),
                    "firm_months": int(median(sim, "firm_months")),
                    "simulate_us_per_firm_month": round(
                        median(sim, "simulate") / median(sim, "firm_months") * 1e6, 3
                    ),
                    "process_seconds": round(median(proc, "seconds"), 3),
                    "process_us_per_firm_month": round(
                        median(proc, "seconds") / median(proc, "firm_months") * 1e6, 3
                    ),
                    "process_peak_mb": round(median(proc, "peak_mb"), 1),
                }
            ref, new = entry["reference"], entry["this"]
            entry["speedup_simulation"] = round(
                ref["simulate_us_per_firm_month"] / new["simulate_us_per_firm_month"], 2
            )
            entry["speedup_process"] = round(
                ref["process_us_per_firm_month"] / new["process_us_per_firm_month"], 2
            )
            report[scenario] = entry
        report["help_seconds"] = {v: round(statistics.median(h), 3) for v, h in helps.items()}
        report["wolf_sheep_us_per_agent_step"] = round(wolf_sheep(ROOT), 3)
    text = json.dumps(report, indent=2)
    print(text)
    args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
