"""Is the faster model the same model? A statistical equivalence test over seeds.

Usage:
    python benchmarks/equivalence.py --reference COMMIT [--seeds 30] [--workers 2]
        [--scenarios greater_tokyo,san_diego] [--margin 0.1] [--out benchmarks/equivalence.json]

A change that vectorises the model draws its random numbers in another order, so no output
stays bit-identical; what must stay is the distribution of the outputs. Both versions (the
reference commit, unpacked with ``git archive``, and this checkout) run every scenario with
seeds 1..N, each in processes of its own (the engine of each version, a spawned pool). For
every headline output (active firms and employment at the end, foundings by channel, moves
in, exits, failures, VC invested, the largest lineage) the script reports both means, their
difference with a 90% confidence interval (Welch), and

* **equivalence** (two one-sided tests, TOST, at 5%): the 90% interval of the difference of the
  means lies within +-``margin`` of the reference mean (10% by default): the versions are
  shown to agree to within the margin;
* a **Kolmogorov-Smirnov** test of the two distributions (a p-value below 0.05 would say
  they differ in shape, not only in mean).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_speed import environment, unpack  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HEADLINE = (
    "firms_active",
    "employment",
    "startups_founded",
    "founded_academic",
    "founded_spinout",
    "founded_release",
    "relocations",
    "exits_acquired",
    "exits_ipo",
    "failures",
    "vc_invested_musd",
    "largest_lineage",
)
"""Summary keys compared (the run's headline numbers)."""

COLLECT = r"""
import json, sys
from ecosim import engine
from ecosim.scenario import load
scenario, seeds, workers = load(sys.argv[1]), range(1, int(sys.argv[2]) + 1), int(sys.argv[3])
runs = [engine.Run(scenario, seed, outputs=frozenset({"summary"})) for seed in seeds]
with engine.backend(workers) as backend:
    outcomes = engine.run_ordered(runs, backend.executor)
print(json.dumps([{"seed": run.seed, **outcome.summary} for run, outcome in zip(runs, outcomes)]))
"""


def collect(tree: Path, scenario: str, seeds: int, workers: int) -> pd.DataFrame:
    """The summaries of seeds 1..N of a scenario, run by the version in ``tree``."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            COLLECT,
            str(tree / "scenarios" / f"{scenario}.yaml"),
            str(seeds),
            str(workers),
        ],
        env=environment(tree),
        capture_output=True,
        text=True,
        check=True,
        cwd=tree,
    )
    return pd.DataFrame(json.loads(done.stdout.strip().splitlines()[-1]))


def compare(reference: np.ndarray, candidate: np.ndarray, margin: float) -> dict[str, float | bool]:
    """Means, the difference's 90% Welch interval, TOST equivalence within +-margin, KS p-value."""
    mean_ref, mean_new = float(reference.mean()), float(candidate.mean())
    var_ref, var_new = reference.var(ddof=1) / len(reference), candidate.var(ddof=1) / len(candidate)
    se = math.sqrt(var_ref + var_new)
    diff = mean_new - mean_ref
    bound = margin * abs(mean_ref)
    if se == 0:
        low = high = diff
    else:
        dof = (var_ref + var_new) ** 2 / (
            var_ref**2 / (len(reference) - 1) + var_new**2 / (len(candidate) - 1)
        )
        half = stats.t.ppf(0.95, dof) * se
        low, high = diff - half, diff + half
    ks = stats.ks_2samp(reference, candidate).pvalue if se > 0 else 1.0
    return {
        "reference_mean": round(mean_ref, 3),
        "this_mean": round(mean_new, 3),
        "difference": round(diff, 3),
        "ci90_low": round(low, 3),
        "ci90_high": round(high, 3),
        "margin": round(bound, 3),
        "equivalent": bool(-bound <= low and high <= bound),
        "ks_p": round(float(ks), 4),
    }


def main() -> None:
    """Run both versions over the seeds and write the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", required=True, help="the commit just before the change")
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scenarios", default="greater_tokyo,san_diego")
    parser.add_argument("--margin", type=float, default=0.1, help="equivalence margin, share of the mean")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "equivalence.json")
    args = parser.parse_args()
    report: dict[str, object] = {
        "reference": args.reference,
        "this": subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip(),
        "seeds": args.seeds,
        "margin": args.margin,
    }
    with tempfile.TemporaryDirectory(prefix="ecosim-equiv-") as tmp:
        reference_tree = unpack(args.reference, Path(tmp))
        for scenario in args.scenarios.split(","):
            before = collect(reference_tree, scenario, args.seeds, args.workers)
            after = collect(ROOT, scenario, args.seeds, args.workers)
            report[scenario] = {
                key: compare(before[key].to_numpy(float), after[key].to_numpy(float), args.margin)
                for key in HEADLINE
            }
            print(f"{scenario}: done", file=sys.stderr)
    text = json.dumps(report, indent=2)
    print(text)
    args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
