"""Dose-response of the five factors at model level (issue 10, item 9).

Each factor goes from 0 to the scenario's own level to 1, the others at their own levels, on
five paired seeds (common random numbers); raising it must not lower startups founded or
active firms beyond noise: the mean paired change may be negative by at most two standard
errors of the paired differences. Greater Tokyo runs 2021-2030 and Kobe 1998-2010 (shorter than
the experiments/dose_response_*.yaml sweeps, which run 2035 and 2020, to keep CI fast).
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from helpers import ROOT

from ecosim.runner import run_one
from ecosim.scenario import FACTOR_NAMES, load

SEEDS = range(1, 6)
SPANS = {"greater_tokyo": 2030, "kobe": 2010}
LEVELS = ("0", "own", "1")


@functools.cache
def outcomes(scenario: str, factor: str | None, level: str) -> np.ndarray:
    """(startups founded, active firms at the end) per seed for one factor level."""
    overrides = {"end_year": SPANS[scenario]}
    if factor is not None and level != "own":
        overrides["factors"] = {factor: float(level)}
    loaded = load(ROOT / "scenarios" / f"{scenario}.yaml", overrides=overrides)
    rows = []
    for seed in SEEDS:
        result = run_one(loaded, seed)
        rows.append((result.summary["startups_founded"], result.summary["firms_active"]))
    return np.array(rows, dtype=float)


@pytest.mark.parametrize("scenario", sorted(SPANS))
@pytest.mark.parametrize("factor", FACTOR_NAMES)
def test_raising_a_factor_does_not_lower_founding_or_active_firms(scenario, factor):
    levels = [
        outcomes(scenario, None, "own") if level == "own" else outcomes(scenario, factor, level)
        for level in LEVELS
    ]
    for low, high in zip(levels[:-1], levels[1:], strict=True):
        diff = high - low
        se = diff.std(axis=0, ddof=1) / np.sqrt(len(diff))
        # Per outcome: the mean change is not negative beyond two standard errors (and 1 firm).
        assert (diff.mean(axis=0) >= -2.0 * se - 1.0).all(), (factor, diff.mean(axis=0), se)
