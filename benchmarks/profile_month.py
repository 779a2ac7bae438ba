"""Where a month of the model spends its time: py-spy samples of a run, summed by mechanism.

Usage:
    python benchmarks/profile_month.py [--scenario greater_tokyo] [--until 2040] [--rate 250]

It runs ``py-spy record`` (sampling, no instrumentation: the run keeps its speed) over a process
that builds the scenario and steps it to the end of ``--until``, then sums the samples taken
inside ``BioclusterModel.step`` by the call ``step`` made (the mechanism) and prints each one's
share of the month, largest first, as a Markdown table for benchmarks/README.md. py-spy is
installed on first use.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SIMULATE = r"""
import sys
from ecosim.model import BioclusterModel
from ecosim.scenario import load
scenario = load(sys.argv[1])
model = BioclusterModel(scenario, rng=1)
for _ in range((int(sys.argv[2]) + 1 - scenario.start_year) * 12):
    model.step()
"""


def record(scenario: Path, until: int, rate: int, raw: Path) -> None:
    """Sample a run of ``scenario`` with py-spy into ``raw`` (collapsed stacks)."""
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "py-spy"], check=True)
    command = [str(spy), "record", "-r", str(rate), "-f", "raw", "-o", str(raw), "--"]
    command += [sys.executable, "-c", SIMULATE, str(scenario), str(until)]
    subprocess.run(command, check=True, capture_output=True)


def by_mechanism(raw: Path) -> tuple[Counter[str], int]:
    """Samples inside ``BioclusterModel.step`` by the function ``step`` called."""
    shares: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, count = line.rsplit(" ", 1)
        frames = stack.split(";")
        for depth, frame in enumerate(frames):
            if frame.startswith("BioclusterModel.step (") and depth + 1 < len(frames):
                callee = frames[depth + 1].split(" (")[0]
                shares[callee] += int(count)
                total += int(count)
                break
    return shares, total


def main() -> None:
    """Profile a run and print the month's time by mechanism."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="greater_tokyo")
    parser.add_argument("--until", type=int, default=2040)
    parser.add_argument("--rate", type=int, default=250, help="samples a second")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "samples.txt"
        record(ROOT / "scenarios" / f"{args.scenario}.yaml", args.until, args.rate, raw)
        shares, total = by_mechanism(raw)
    print(f"| what `BioclusterModel.step` calls | share of the month ({total} samples) |")
    print("| --- | --- |")
    for callee, count in shares.most_common(12):
        print(f"| `{callee}` | {100 * count / total:.1f}% |")


if __name__ == "__main__":
    main()
