"""The command line: outputs, summaries and bad input (exit 2, one line, nothing written)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from helpers import ROOT, TINY

FIRM_COLUMNS = {"firm_id", "name", "kind", "founded_year", "origin", "parent_id", "lineage_root",
                "generation", "x", "y", "fate", "fate_year", "peak_headcount", "total_raised"}
TIMESERIES_COLUMNS = {"step", "year", "firms_active", "startups_active", "startups_founded",
                      "founded_academic", "founded_spinout", "founded_release", "relocations",
                      "exits_acquired", "exits_ipo", "failures", "employment", "vc_invested",
                      "pharma_sites", "hub_members", "hub_events"}


def ecosim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ecosim", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=300)


def test_run_writes_every_output(tmp_path):
    out = tmp_path / "run"
    done = ecosim("run", str(TINY), "--seed", "4", "--out", str(out), "--quiet")
    assert done.returncode == 0, done.stderr
    assert "firms active at the end" in done.stdout
    names = {p.name for p in out.iterdir()}
    assert names == {"timeseries.csv", "firms.csv", "deals.csv", "lineage.json", "summary.json",
                     "manifest.json", "overview.png"}
    deals = pd.read_csv(out / "deals.csv")
    assert deals["size_musd"].sum() == pytest.approx(pd.read_csv(out / "timeseries.csv")["vc_invested"].sum())
    assert set(pd.read_csv(out / "timeseries.csv").columns) >= TIMESERIES_COLUMNS
    assert set(pd.read_csv(out / "firms.csv").columns) >= FIRM_COLUMNS
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 4 and len(manifest["scenario_hash"]) == 64
    assert {"ecosim", "mesa", "python"} <= set(manifest["versions"])
    assert manifest["git_commit"]
    graph = json.loads((out / "lineage.json").read_text())
    assert {"nodes", "links"} <= set(graph)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["firms_active"] == pd.read_csv(out / "timeseries.csv")["firms_active"].iloc[-1]
    assert (out / "overview.png").stat().st_size > 10_000


def test_until_shortens_the_run(tmp_path):
    done = ecosim("run", str(TINY), "--until", "1981", "--out", str(tmp_path / "r"), "--quiet")
    assert done.returncode == 0, done.stderr
    assert len(pd.read_csv(tmp_path / "r" / "timeseries.csv")) == 24


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (f"extends: {TINY}\nfactors: {{hub_leadership: 1.7}}\n", "factors.hub_leadership: must be <= 1.0, got 1.7"),
        (f"extends: {TINY}\nbanana: 1\n", "banana: unknown field"),
        ("name: [oops\n", "broken YAML"),
        ("extends: nowhere.yaml\n", "extends: file not found"),
    ],
)
def test_bad_scenario_exits_2_with_one_line_and_writes_nothing(tmp_path, content, expected):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    out = tmp_path / "out"
    done = ecosim("run", str(bad), "--out", str(out))
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {bad}: ")
    assert expected in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not out.exists()
    assert not list(tmp_path.glob(".out*"))


def test_until_outside_the_run_is_bad_input(tmp_path):
    done = ecosim("run", str(TINY), "--until", "1900", "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "--until" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "o").exists()


def test_validate_reports_each_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {TINY}\nstart_year: soon\n")
    done = ecosim("validate", str(TINY), str(bad))
    assert done.returncode == 2
    assert f"ok: {TINY}" in done.stdout
    assert f"error: {bad}: start_year:" in done.stderr


def test_missing_file_and_unknown_option():
    done = ecosim("run", "does/not/exist.yaml")
    assert done.returncode == 2 and "file not found" in done.stderr
    done = ecosim("run", str(TINY), "--bogus")
    assert done.returncode == 2 and "Traceback" not in done.stderr
