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


def test_the_regeneration_script_writes_every_committed_result():
    """experiments/regenerate.sh names a stage for every folder of results/, so a change of the
    model can regenerate them all; an unknown stage is refused before anything runs."""
    listing = subprocess.run(
        ["bash", str(ROOT / "experiments" / "regenerate.sh"), "--list"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    folders = [p for p in (ROOT / "results").iterdir() if p.is_dir()]
    folders += [p for p in (ROOT / "results" / "history").iterdir() if p.is_dir()]
    folders += [ROOT / "results" / "calibration" / "default_point"]
    unnamed = [p.name for p in folders if p.name not in listing]
    assert not unnamed, unnamed
    refused = subprocess.run(
        ["bash", str(ROOT / "experiments" / "regenerate.sh"), "history", "nosuch"],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2
    assert "unknown stage 'nosuch'" in refused.stderr
    assert "== history" not in refused.stdout


def test_the_stages_run_only_when_named_are_the_ones_a_full_regeneration_skips():
    """A stage whose description says it runs only when named (the posterior, the experiments kept
    as run, the judged refits) is left out of a bare `regenerate.sh`, and no other stage is."""
    script = (ROOT / "experiments" / "regenerate.sh").read_text(encoding="utf-8")
    described = set(re.findall(r'^  "(\w+)\|[^"]*only when named[^"]*"$', script, flags=re.MULTILINE))
    skipped = re.search(r"case \$name in ([\w| ]+)\) ;;", script)
    assert skipped is not None
    assert described == {name.strip() for name in skipped.group(1).split("|")}
