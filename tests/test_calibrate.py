"""Calibration: the --quick command end to end, the objective's arithmetic and its honesty."""

from __future__ import annotations

import dataclasses
import json
import math

import pandas as pd
import pytest
from helpers import ROOT

from ecosim import calibrate
from ecosim.cli import main
from ecosim.constants import FITTED_FILE, FREE, Constants, fitted


def test_target_dates_are_decimal_years():
    assert calibrate.Target("x", "firms_active", 1, "2020-03", "").year == pytest.approx(2020 + 2 / 12)
    assert calibrate.Target("x", "firms_active", 1, "2019", "").year == pytest.approx(2019.5)
    assert {t.cluster for t in calibrate.TARGETS} == {
        "boston", "bay_area", "san_diego", "kobe", "king_skyfront", "shonan", "link_j"}
    assert set(calibrate.BOUNDS) >= set(FREE)


def test_score_is_sum_of_squared_log_errors_of_medians():
    targets = [calibrate.Target("a", "firms_active", 100, "2020", ""),
               calibrate.Target("b", "employment", 1000, "2020", "")]
    runs = pd.DataFrame([
        {"cluster": "a", "seed": 1, "metric": "firms_active", "value": 50},
        {"cluster": "a", "seed": 2, "metric": "firms_active", "value": 200},
        {"cluster": "a", "seed": 3, "metric": "firms_active", "value": 100},
        {"cluster": "b", "seed": 1, "metric": "employment", "value": 2000},
    ])
    evaluator = calibrate.Evaluator(targets=targets, seeds=[1], scenario_dir=ROOT / "scenarios")
    assert evaluator.score(runs) == pytest.approx(0.0 + math.log(2.0) ** 2)


def test_log_space_round_trip():
    base = Constants()
    again = calibrate.from_x(calibrate.to_x(base), base)
    for name in FREE:
        assert getattr(again, name) == pytest.approx(getattr(base, name))


def test_objective_is_lower_at_the_fitted_constants_than_at_a_bad_point():
    """The young clusters on one seed: the committed fit must beat founding rates cut tenfold
    and no commercial growth (this fails if the calibration is no better than a bad guess)."""
    evaluator = calibrate.Evaluator(
        targets=calibrate.targets_for(("kobe", "king_skyfront", "shonan")), seeds=[1],
        scenario_dir=ROOT / "scenarios")
    good = fitted()
    bad = dataclasses.replace(good, **{name: getattr(good, name) / 10.0 for name in FREE})
    assert evaluator.objective(good) < evaluator.objective(bad)


def test_quick_calibration_runs_end_to_end(tmp_path, capsys):
    before = FITTED_FILE.read_bytes() if FITTED_FILE.exists() else None
    out = tmp_path / "cal"
    code = main(["calibrate", "--quick", "--workers", "2", "--maxfev", "2", "--loo-maxfev", "1",
                 "--scenarios", str(ROOT / "scenarios"), "--out", str(out)])
    assert code == 0
    for name in ("model_vs_data.csv", "leave_one_out.csv", "fit_trace.csv", "firms_over_time.png",
                 "fitted_constants.json", "manifest.json", "README.md"):
        assert (out / name).is_file(), name
    table = pd.read_csv(out / "model_vs_data.csv")
    assert set(table["cluster"]) == set(calibrate.QUICK_CLUSTERS)
    assert {"model_median", "model_p05", "model_p95", "within_25pct"} <= set(table.columns)
    record = json.loads((out / "fitted_constants.json").read_text())
    assert set(record["constants"]) == set(FREE)
    assert len(pd.read_csv(out / "leave_one_out.csv")) == len(table)
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["scenarios"]) == set(calibrate.QUICK_CLUSTERS)
    assert (out / "firms_over_time.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # --quick never replaces the package's committed constants.
    assert (FITTED_FILE.read_bytes() if FITTED_FILE.exists() else None) == before
    assert "within +-25%" in capsys.readouterr().out


def test_bad_budget_is_one_clear_error(capsys):
    assert main(["calibrate", "--quick", "--seeds", "0"]) == 2
    assert "--seeds" in capsys.readouterr().err
