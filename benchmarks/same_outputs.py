"""Whether this checkout writes the same files as a reference commit, byte for byte.

Usage:
    python benchmarks/same_outputs.py [--reference a4424ea] [--keep DIR]

A speed-up that must not change the model is checked here: each case below is run by
``python -m ecosim run`` with both versions (the reference unpacked by ``git archive``, as
bench_speed.py does), and every file of the two output folders is compared. ``manifest.json``
may differ only in the fields that record when and from what commit it was made (its timings,
the commit, the command line); every other file must be identical. Exit code 1 when any differs.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_speed import ROOT, environment, unpack

CASES = [
    ("greater_tokyo", 3, 2040),
    ("greater_tokyo", 7, 2040),
    ("bay_area", 3, 2020),
    ("san_diego", 3, 2020),
    ("boston", 3, 2020),  # the anchors' scripted staff counts, listing and kept sites
]
"""(scenario, seed, last year) of every run compared."""

VOLATILE = {"timing", "git_commit", "command"}
"""Manifest fields that say how long a run took and from what commit and command line (which
names its output folder) it was made, not what it is."""


def run(tree: Path, scenario: str, seed: int, until: int, out: Path) -> None:
    """``ecosim run`` of one case with the version in ``tree``, into ``out``."""
    subprocess.run(
        [sys.executable, "-m", "ecosim", "run", f"scenarios/{scenario}.yaml"]
        + ["--seed", str(seed), "--until", str(until), "--out", str(out), "--quiet"],
        env=environment(tree),
        cwd=tree,
        stdout=subprocess.DEVNULL,
        check=True,
    )


def differences(reference: Path, this: Path) -> list[str]:
    """The files of two output folders that differ (manifest.json but its volatile fields)."""
    names = sorted({p.name for p in reference.iterdir()} | {p.name for p in this.iterdir()})
    different = []
    for name in names:
        old, new = reference / name, this / name
        if not (old.exists() and new.exists()):
            different.append(f"{name} (only in one)")
        elif name == "manifest.json":
            old_fields, new_fields = (json.loads(p.read_text()) for p in (old, new))
            changed = sorted(
                key
                for key in old_fields.keys() | new_fields.keys()
                if key not in VOLATILE and old_fields.get(key) != new_fields.get(key)
            )
            if changed:
                different.append(f"manifest.json ({', '.join(changed)})")
        elif not filecmp.cmp(old, new, shallow=False):
            different.append(name)
    return different


def main() -> int:
    """Run every case with both versions and report the files that differ."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", default="a4424ea", help="commit to compare with (default a4424ea)")
    parser.add_argument("--keep", type=Path, help="write the runs here (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ecosim-same-") as tmp:
        folder = args.keep or Path(tmp)
        versions = {"reference": unpack(args.reference, Path(tmp)), "this": ROOT}
        failed = False
        for scenario, seed, until in CASES:
            outs = {v: folder / f"{v}-{scenario}-{seed}" for v in versions}
            for version, tree in versions.items():
                run(tree, scenario, seed, until, outs[version])
            different = differences(outs["reference"], outs["this"])
            files = len(list(outs["this"].iterdir()))
            verdict = "differ: " + ", ".join(different) if different else f"all {files} files identical"
            print(f"{scenario} seed {seed} to {until}: {verdict}")
            failed |= bool(different)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
