"""Dose-response of the five factors at model level (issue 10, item 9).

Each factor goes from 0 to the scenario's own level to 1, the others at their own levels, on
ten paired seeds (common random numbers); raising it must not lower startups founded through
the factors' own channels (academic and employee spinouts and the anchors), nor active firms,
beyond noise: the mean paired change may be negative by at most FALL_SE standard errors of
the paired differences. Greater Tokyo runs 2021-2030 and Kobe 1998-2010 (shorter than the
experiments/dose_response_*.yaml sweeps, which run 2035 and 2020, to keep CI fast).

Foundings by released staff are left out of the first test on purpose, and tested for what they
are. A factor can crowd them out in two named ways: a factor that keeps firms alive means fewer
failures, so fewer people are released to found; and a factor that adds jobs tightens the labour
market, so the released are hired before they found (mechanisms/founding.release_talent, the
job-finding odds of mechanisms/labour.py). The second test checks that where release founding
falls beyond noise, failures fall or employment rises.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from helpers import ROOT

from ecosim.runner import run_one
from ecosim.scenario import FACTOR_NAMES, load

SEEDS = range(1, 11)
SPANS = {"greater_tokyo": 2030, "kobe": 2010}
LEVELS = ("0", "own", "1")


@functools.cache
def outcomes(scenario: str, factor: str | None, level: str) -> np.ndarray:
    """Per seed for one factor level: startups founded through the factors' own channels (all
    foundings but those by released staff), active firms at the end, foundings by released staff,
    failures and employment at the end.
    """
    overrides = {"end_year": SPANS[scenario]}
    if factor is not None and level != "own":
        overrides["factors"] = {factor: float(level)}
    loaded = load(ROOT / "scenarios" / f"{scenario}.yaml", overrides=overrides)
    rows = []
    for seed in SEEDS:
        result = run_one(loaded, seed)
        summary = result.summary
        rows.append(
            (
                summary["startups_founded"] - summary["founded_release"],
                summary["firms_active"],
                summary["founded_release"],
                summary["failures"],
                summary["employment"],
            )
        )
    return np.array(rows, dtype=float)


def levels_of(scenario: str, factor: str) -> list[np.ndarray]:
    """Outcomes at the factor's levels 0, the scenario's own and 1."""
    return [
        outcomes(scenario, None, "own") if level == "own" else outcomes(scenario, factor, level)
        for level in LEVELS
    ]


FALL_SE = 4.0
"""How many standard errors below zero a mean paired change must lie to count as a fall. The
suite makes 40 such comparisons (5 factors, 2 places, 2 steps, 2 outcomes); with 10 seeds a
change of 4 standard errors comes by chance in about 0.15% of them (t with 9 degrees of freedom),
about 6% for the suite. At 2 standard errors and 5 seeds, noise alone failed it: diverse players
in Greater Tokyo, 0 -> own level, -16 +- 4 own-channel foundings on seeds 1-5 and +2 +- 6 on seeds
6-17."""


def falls(diff: np.ndarray) -> np.ndarray:
    """Per outcome: whether the mean paired change is negative beyond FALL_SE standard errors (and 1)."""
    se = diff.std(axis=0, ddof=1) / np.sqrt(len(diff))
    return diff.mean(axis=0) < -FALL_SE * se - 1.0


@pytest.mark.parametrize("scenario", sorted(SPANS))
@pytest.mark.parametrize("factor", FACTOR_NAMES)
def test_raising_a_factor_does_not_lower_founding_or_active_firms(scenario, factor):
    levels = levels_of(scenario, factor)
    for low, high in zip(levels[:-1], levels[1:], strict=True):
        diff = (high - low)[:, :2]  # own-channel foundings, active firms
        assert not falls(diff).any(), (factor, diff.mean(axis=0))


@pytest.mark.parametrize("scenario", sorted(SPANS))
@pytest.mark.parametrize("factor", FACTOR_NAMES)
def test_release_founding_falls_only_with_fewer_failures_or_more_jobs(scenario, factor):
    # The crowding out: fewer failures release fewer would-be founders, and more jobs hire the
    # released first. Where raising a factor lowers release founding beyond noise, it lowers
    # failures or raises employment.
    levels = levels_of(scenario, factor)
    for low, high in zip(levels[:-1], levels[1:], strict=True):
        diff = high - low
        release, failures, jobs = diff[:, 2:3], diff[:, 3], diff[:, 4]
        if falls(release)[0]:
            assert failures.mean() < 0 or jobs.mean() > 0, (
                factor,
                release.mean(),
                failures.mean(),
                jobs.mean(),
            )
