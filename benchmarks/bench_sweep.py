"""How long a whole sweep takes: the 640-run Greater Tokyo sweep on two workers, beside a reference.

Usage:
    python benchmarks/bench_sweep.py [--spec experiments/gtb_levers.yaml] [--workers 2]
        [--reference 12cc608] [--sample 2] [--out benchmarks/sweep.json]

Issue 11 asks for the 640-run Greater Tokyo sweep (experiments/gtb_levers.yaml: 32 arms, 20
replications, 2021-2040) in under 5 minutes on 2 workers. This script times ``python -m ecosim
sweep SPEC --workers N --quiet`` from start to exit into a fresh folder (no run is read back),
with this checkout, for the whole spec. Before it, in the same script, a sample of the spec
(``--sample`` replications of every arm, the same in both versions) is swept once with the
reference commit (unpacked by ``git archive``, as bench_speed.py does) and then once with this
checkout, one right after the other, so that the two see much the same load (one measurement each,
not a median: the machine's load averages at the start and the end are recorded beside them); the
full sweep of the reference is not run (it took about 16 minutes). Each version runs with its own
source tree first on the import path, compiled to bytecode first.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_speed import ROOT, compile_once, environment, unpack

SPEC = "experiments/gtb_levers.yaml"


def sample_spec(tree: Path, spec: str, replications: int) -> Path:
    """A copy of ``spec`` in ``tree`` (beside the original, so its relative paths hold) with
    ``replications`` replications of every arm."""
    original = tree / spec
    text = re.sub(r"(?m)^replications: *\d+", f"replications: {replications}", original.read_text())
    copy = original.with_name(f"bench_sample_{original.name}")
    copy.write_text(text)
    return copy


def sweep_seconds(tree: Path, spec: Path, workers: int, out: Path) -> dict[str, float]:
    """Wall seconds of ``ecosim sweep`` of ``spec`` with the version in ``tree``, and its runs."""
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ecosim",
            "sweep",
            str(spec),
            "--out",
            str(out),
            "--workers",
            str(workers),
            "--quiet",
        ],
        env=environment(tree),
        cwd=tree,
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - started
    runs = int(json.loads((out / "manifest.json").read_text())["runs"])
    return {"seconds": round(seconds, 2), "runs": runs, "seconds_per_run": round(seconds / runs, 4)}


def main() -> None:
    """Time the sample with both versions, then the whole spec with this checkout, and write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default=SPEC)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reference", default="12cc608")
    parser.add_argument("--sample", type=int, default=2, help="replications of the side-by-side sample")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "sweep.json")
    args = parser.parse_args()
    this_commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    load_at_start = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for name in ("reference", "this"):
            (work / name).mkdir()
        trees = {
            "reference": unpack(args.reference, work / "reference"),
            "this": unpack("HEAD", work / "this"),
        }
        for tree in trees.values():
            compile_once(tree)
        sample = {}
        for name, tree in trees.items():  # the reference first, then this checkout
            spec = sample_spec(tree, args.spec, args.sample)
            sample[name] = sweep_seconds(tree, spec, args.workers, work / f"sample_{name}")
            print(f"sample, {name}: {sample[name]}", flush=True)
        full = sweep_seconds(trees["this"], trees["this"] / args.spec, args.workers, work / "full_this")
        print(f"whole spec, this: {full}", flush=True)
    result = {
        "reference": args.reference,
        "this": this_commit,
        "spec": args.spec,
        "workers": args.workers,
        "note": "wall seconds of `ecosim sweep` from start to exit into a fresh folder",
        "sample_replications": args.sample,
        "sample": sample,
        "sample_speedup": round(sample["reference"]["seconds"] / sample["this"]["seconds"], 2),
        "whole_spec": full,
        "target_seconds": 300,
        "load_average_at_start": [round(x, 2) for x in load_at_start],
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
