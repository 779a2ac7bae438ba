"""Reports a policy office can use: every design, Japanese, a workbook, yen, quick looks.

Each test runs the sweep and the report through the ``ecosim`` command line on the fake model
of test_sweep_support (fast, with known lever effects).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook
from test_sweep_support import SCENARIO, write_spec

from ecosim import money, sweep
from ecosim.cli import main

CJK = ("ス", "施", "期", "年")


def sweep_and_report(tmp_path: Path, spec: Path, *report_args: str, sweep_args: tuple[str, ...] = ()):
    out = tmp_path / "sweep"
    assert (
        main(
            [
                "sweep",
                str(spec),
                "--allow-runner",
                "--out",
                str(out),
                "--workers",
                "1",
                "--quiet",
                *sweep_args,
            ]
        )
        == 0
    )
    report = tmp_path / "report"
    assert main(["report", str(out), "--out", str(report), *report_args]) == 0
    return report


def readme_files(report: Path) -> set[str]:
    lines = (report / "README.md").read_text(encoding="utf-8").splitlines()
    return {line.split("`")[1] for line in lines if line.startswith("- `")}


def test_until_clips_the_window_with_a_note(tmp_path, capsys):
    spec = write_spec(tmp_path, until=2030, window={"start": 2021, "end": 2030})
    report = sweep_and_report(tmp_path, spec, sweep_args=("--until", "2023"))
    assert "the report compares 2021-2023" in capsys.readouterr().err
    readme = (report / "README.md").read_text(encoding="utf-8")
    assert "clipped to 2021-2023" in readme and "window 2021-2023" in readme


def test_arms_report_compares_two_scenario_files(tmp_path):
    other = dict(SCENARIO, levers={**SCENARIO["levers"], "a": {**SCENARIO["levers"]["a"], "enabled": True}})
    (tmp_path / "with_a.yaml").write_text(yaml.safe_dump(other), encoding="utf-8")
    design = {
        "type": "arms",
        "arms": [{"name": "as written"}, {"name": "lever a built in", "base": "with_a.yaml"}],
    }
    spec = write_spec(tmp_path, design=design, replications=3, baseline="as written")
    plan = sweep.plan(spec, allow_runner=True)
    assert plan.tasks[1].scenario.levers["a"].enabled and not plan.tasks[0].scenario.levers["a"].enabled
    report = sweep_and_report(tmp_path, spec)
    vs = pd.read_csv(report / "vs_baseline.csv")
    founded = vs[vs["metric"] == "startups_founded"].iloc[0]
    assert founded["arm"] == "lever a built in" and founded["difference"] == pytest.approx(3 * 3.0)
    readme = (report / "README.md").read_text(encoding="utf-8")
    assert "## lever a built in vs the baseline" in readme
    assert readme_files(report) == {p.name for p in report.iterdir()}, "the README lists what is there"


def test_latin_hypercube_report_has_parameters_as_columns(tmp_path):
    design = {
        "type": "latin_hypercube",
        "samples": 6,
        "seed": 3,
        "parameters": {
            "factors.information": {"low": 0.1, "high": 0.9},
            "initial_firms": {"low": 0, "high": 50, "integer": True},
        },
    }
    report = sweep_and_report(tmp_path, write_spec(tmp_path, design=design))
    runs = pd.read_csv(report / "run_metrics.csv")
    assert {"factors.information", "initial_firms"} <= set(runs.columns)
    assert runs["factors.information"].between(0.1, 0.9).sum() == 12  # 6 samples x 2 replications
    sens = pd.read_csv(report / "sensitivity.csv")
    assert set(sens["parameter"]) == {"factors.information", "initial_firms"}
    assert (report / "sensitivity.png").stat().st_size > 10_000
    readme = (report / "README.md").read_text(encoding="utf-8")
    assert "Sampled parameters and outcomes" in readme and "`initial_firms`" in readme
    assert readme_files(report) == {p.name for p in report.iterdir()}


def test_one_replication_says_not_available(tmp_path):
    report = sweep_and_report(tmp_path, write_spec(tmp_path, replications=1))
    readme = (report / "README.md").read_text(encoding="utf-8")
    assert "nan" not in readme and "(95% CI n/a)" in readme


def test_japanese_report_with_a_workbook_and_yen(tmp_path):
    spec = write_spec(
        tmp_path,
        money={"currency": "JPY", "year": 2021},
        description="A test.",
        description_ja="テストの実験。",
    )
    out = tmp_path / "sweep"
    assert main(["sweep", str(spec), "--allow-runner", "--out", str(out), "--workers", "1", "--quiet"]) == 0
    report = tmp_path / "report"
    done = subprocess.run(
        [
            sys.executable,
            "-W",
            "default",
            "-m",
            "ecosim",
            "report",
            str(out),
            "--out",
            str(report),
            "--lang",
            "ja",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Glyph" not in done.stderr and "missing from" not in done.stderr, done.stderr
    readme = (report / "README.md").read_text(encoding="utf-8")
    assert "テストの実験。" in readme and "主効果" in readme and "95%信頼区間" in readme
    assert "startups_founded" not in readme, "metric names are labels, not snake_case"
    raw = (report / "vs_baseline.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV files carry a UTF-8 byte order mark for Excel"
    runs = pd.read_csv(report / "run_metrics.csv")
    assert list(runs.columns)[0] == "arm"
    factor = money.from_model_usd(1.0, "JPY", 2021)
    assert runs["vc_invested_jpy_2021"].to_numpy() == pytest.approx(factor * runs["vc_invested"].to_numpy())
    book = load_workbook(report / "report.xlsx", read_only=True)
    assert book.sheetnames[0] == "概要" and {"主効果", "ベースライン比較", "各試行"} <= set(book.sheetnames)
    header = [cell.value for cell in next(book["ベースライン比較"].iter_rows(max_row=1))]
    assert "指標" in header and "単位" in header and "ベースラインとの差" in header
    units = {row[2] for row in book["ベースライン比較"].iter_rows(min_row=2, values_only=True)}
    assert "百万円、2021年価格" in units and "百万米ドル、2000年価格" in units
    for name in ("main_effects.png", "vs_baseline.png", "founding_over_time.png"):
        assert (report / name).stat().st_size > 10_000


def test_english_workbook_has_every_table(tmp_path):
    report = sweep_and_report(tmp_path, write_spec(tmp_path, replications=3))
    book = load_workbook(report / "report.xlsx", read_only=True)
    assert book.sheetnames == [
        "About",
        "Runs",
        "Arms",
        "vs baseline",
        "Main effects",
        "Interactions",
        "Conditional effects",
    ]
    header = [cell.value for cell in next(book["Arms"].iter_rows(max_row=1))]
    assert header[:4] == ["Arm", "Metric", "Unit", "Mean"]
    assert readme_files(report) == {p.name for p in report.iterdir()}
