"""Helpers for the sweep, store and report tests: a fake model and tiny specs (no tests here).

The fake ``run_one`` is fast, deterministic in its seed, shares its random draws across arms
(so common random numbers show), has known lever effects and fails on demand.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import yaml

EFFECT_A = 3.0
EFFECT_B = 1.0
INTERACTION_AB = 2.0

SCENARIO = {
    "name": "Tiny test region",
    "start_year": 2021,
    "end_year": 2030,
    "region": {"origin_lat": 35.0, "origin_lon": 139.0, "width_km": 20, "height_km": 20},
    "levers": {
        "a": {"name": "lever A", "year": 2021, "raises": {"hub_leadership": 0.5}},
        "b": {"name": "lever B", "year": 2022, "raises": {"information": 0.5}},
        "boom": {"name": "a lever that makes the fake model raise", "year": 2021},
    },
}


def fake_run(scenario, seed, until=None):
    """Monthly series with startups founded ~ Poisson(base) + known lever effects."""
    on = {name for name, lever in scenario.levers.items() if lever.enabled}
    if "boom" in on:
        raise RuntimeError("the fake model was told to fail")
    time.sleep(float(os.environ.get("ECOSIM_FAKE_SLEEP", "0")))
    rng = np.random.default_rng(seed)
    end = until if until is not None else scenario.end_year
    years = np.repeat(np.arange(scenario.start_year, end + 1), 12)
    months = len(years)
    noise = rng.poisson(4.0, size=(4, months)).astype(float)
    lift = (EFFECT_A * ("a" in on) + EFFECT_B * ("b" in on) + INTERACTION_AB * ("a" in on and "b" in on)) / 12
    channels = noise + lift / 4
    frame = pd.DataFrame(
        {
            "step": np.arange(months),
            "year": years + (np.arange(months) % 12) / 12,
            "founded_academic": channels[0],
            "founded_spinout": channels[1],
            "founded_release": channels[2],
            "relocations": channels[3],
            "vc_invested": rng.gamma(2.0, 5.0, size=months),
            "startups_active": np.cumsum(channels.sum(axis=0)) * 0.8,
            "employment": np.cumsum(channels.sum(axis=0)) * 20,
        }
    )
    frame["startups_founded"] = channels.sum(axis=0)
    summary = {"largest_lineage": int(rng.integers(1, 20)) + len(on), "levers_on": sorted(on)}
    return SimpleNamespace(timeseries=frame, summary=summary, firms=pd.DataFrame())


def write_scenario(folder: Path) -> Path:
    path = folder / "tiny.yaml"
    path.write_text(yaml.safe_dump(SCENARIO), encoding="utf-8")
    return path


def write_spec(folder: Path, **fields) -> Path:
    """A factorial over levers a and b (4 arms), 2 replications, the fake runner."""
    write_scenario(folder)
    spec = {
        "name": "tiny",
        "base": "tiny.yaml",
        "until": 2023,
        "replications": 2,
        "root_seed": 12345,
        "design": {"type": "factorial", "levers": ["a", "b"]},
        "runner": "test_sweep_support:fake_run",
        **fields,
    }
    path = folder / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def run_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "runs").glob("*.parquet"))}
