"""The README stays true: its scenario reference matches the schema, its paths exist."""

from __future__ import annotations

import re
import subprocess
import sys

from helpers import ROOT


def test_scenario_reference_matches_the_schema():
    generated = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "scenario_reference.py")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert generated in (ROOT / "README.md").read_text()


def test_paths_in_the_readme_exist():
    readme = (ROOT / "README.md").read_text()
    paths = set(re.findall(r"`((?:src|scenarios|experiments|benchmarks|scripts|tests)/[\w/.\-]+)`", readme))
    paths |= set(re.findall(r"\]\(((?:src|scenarios|experiments|results)/[\w/.\-]+)\)", readme))
    missing = [p for p in sorted(paths) if not (ROOT / p).exists()]
    assert not missing, missing
