"""experiments/long_run.py through its command line: Greater Tokyo's firms, employment and the
employment ceiling the labour market sets (graduates over the net exit rate)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from helpers import ROOT

from ecosim.constants import fitted

SCRIPT = ROOT / "experiments" / "long_run.py"


def test_the_script_runs_through_its_command_line_and_reports_the_ceiling(tmp_path):
    out = tmp_path / "long_run"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--seeds", "1", "--until", "2024", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out / "by_year.csv")
    assert {"firms_active", "employment", "graduates", "employment_ceiling", "labour_pool"} <= set(
        table.columns
    )
    c = fitted()
    net_exit = c.labour_exit_rate_year - c.migration_rate_year
    assert (table["graduates"] > 0).all()
    assert table["employment_ceiling"].to_numpy() == pytest.approx(table["graduates"].to_numpy() / net_exit)
    readme = (out / "README.md").read_text()
    assert "of its ceiling" in readme and "active firms per 1,000 jobs" in readme
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds"] == [1] and set(manifest["scenarios"]) == {"greater_tokyo"}
    assert (out / "long_run.png").stat().st_size > 10_000


def test_the_readme_says_what_bounds_growth_by_where_employment_ended():
    """A run that ends above its graduates' ceiling is not reported as approaching it."""
    from helpers import experiment

    long_run = experiment("long_run")
    title, bound = long_run.bounds(0.82)
    assert title == "Growth that meets limits" and "approaches a ceiling" in bound
    title, bound = long_run.bounds(1.99)
    assert title == "Growth past its graduates' ceiling" and "approaches" not in bound
    assert "movers_per_unfilled_post" in bound
