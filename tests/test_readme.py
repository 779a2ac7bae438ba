"""The README stays true: its scenario reference matches the schema, its paths exist."""

from __future__ import annotations

import re
import subprocess
import sys

from helpers import ROOT

import ecosim.model  # noqa: F401  (imports every kind of firm, so Firm's subclasses are all known)
from ecosim.agents.firm import Fate, Firm, Origin
from ecosim.agents.startup import LARGE, PUBLIC


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


def test_the_table_of_missed_figures_quotes_the_history_and_names_every_miss():
    """The README's table of the figures the default misses quotes results/history/comparison.csv
    (model/data to two decimals) and leaves none out: every tested figure outside its tolerance
    (a factor of 1.5; +-25% for the source document's end points) is in it."""
    import pandas as pd

    from ecosim import calibrate

    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("| figures missed |") :].split("\n\n", 1)[0]
    quoted = {
        (cluster, metric, date): float(ratio)
        for cluster, metric, date, ratio in re.findall(r"`(\w+) (\w+) ([\d-]+)` x([\d.]+)", table)
    }
    comparison = pd.read_csv(ROOT / "results" / "history" / "comparison.csv", dtype={"date": str})
    tested = comparison[comparison["sample"].isin(["in-sample", "out-of-sample"])]
    tested = tested.drop_duplicates(["cluster", "metric", "date"]).set_index(["cluster", "metric", "date"])
    for key, ratio in quoted.items():
        assert round(float(tested.loc[key, "ratio"]), 2) == ratio, key
    ends = {(t.cluster, t.metric, str(t.date)) for t in calibrate.END_POINTS}
    missed = {
        key
        for key, row in tested.iterrows()
        if not row["within_factor_1_5"] or (key in ends and abs(row["ratio"] - 1.0) > 0.25)
    }
    assert missed == set(quoted)
    # The sentence above the table counts them: the US clusters' end points missed (of those the
    # history tests; the other clusters' are the calibration's), the tested figures in and out of
    # sample missed.
    us_ends = {key for key in tested.index if key in ends}
    ends_missed = {key for key in missed if key in ends}
    met = tested["within_factor_1_5"].astype(bool)
    counts = {
        sample: (
            int((~met & (tested["sample"] == sample)).sum()),
            int((tested["sample"] == sample).sum()),
        )
        for sample in ("in-sample", "out-of-sample")
    }
    sentence = (
        f"{len(ends_missed)} of their {len(us_ends)} end points, "
        f"{counts['in-sample'][0]} of {counts['in-sample'][1]} in sample, "
        f"{counts['out-of-sample'][0]} of {counts['out-of-sample'][1]} out of sample"
    )
    assert sentence in " ".join(readme.split())  # wherever the README's lines wrap


def _subclasses(cls: type) -> set[type]:
    return {cls, *(sub for child in cls.__subclasses__() for sub in _subclasses(child))}


def test_the_firm_table_s_values_are_the_ones_the_readme_lists():
    """README's firms.csv row names every kind, origin and fate the table is written with, and
    no other (it listed `arrival` and `ipo`, which the code never writes, and missed six)."""
    row = next(
        line for line in (ROOT / "README.md").read_text().splitlines() if line.startswith("| `firms.csv`")
    )
    listed = {
        column: set(re.findall(r"`(\w+)`", re.search(rf"`{column}` \(([^)]*)\)", row).group(1)))
        for column in ("kind", "origin", "fate")
    }
    kinds = {cls.kind for cls in _subclasses(Firm)} - {Firm.kind} | {PUBLIC, LARGE}
    assert listed == {"kind": kinds, "origin": set(Origin), "fate": set(Fate)}
