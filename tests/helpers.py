"""Paths and small helpers shared by the tests."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

from ecosim.agents.startup import Startup
from ecosim.constants import Constants
from ecosim.mechanisms import founding
from ecosim.model import BioclusterModel
from ecosim.scenario import load

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"


def experiment(name: str) -> ModuleType:
    """The script experiments/<name>.py as a module (the experiments are scripts, not a package;
    their folder goes on the path, as running one puts it, so that they find their siblings).
    """
    folder = str(ROOT / "experiments")
    if folder not in sys.path:
        sys.path.append(folder)
    from siblings import sibling

    return sibling(name)


def run_refit(script: str, tmp_path, *options: str):
    """Run experiments/``script``.py through its command line on the smallest budget (into
    tmp_path/refit, its store in tmp_path/store): the output folder."""
    out = tmp_path / "refit"
    command = [sys.executable, str(ROOT / "experiments" / f"{script}.py"), "--quick", "--seeds", "1"]
    command += ["--fit-seeds", "1", "--maxfev", "1", "--report-seeds", "1", "--until", "1983"]
    command += ["--store", str(tmp_path / "store"), "--out", str(out), *options]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return out


def run_scan(script: str, out: Path) -> None:
    """Run experiments/``script``.py (a scan, no refit) through its command line on one seed, its
    runs cut at 1982, into ``out``."""
    command = [sys.executable, str(ROOT / "experiments" / f"{script}.py"), "--seeds", "1"]
    done = subprocess.run(
        [*command, "--until", "1982", "--out", str(out)], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr


EMPTY = {
    "institutions": [],
    "hubs": [],
    "incubators": [],
    "vcs": [],
    "anchors": [],
    "events": [],
    "policies": [],
    "factors": {
        name: 0.0
        for name in (
            "hub_leadership",
            "diverse_players",
            "cross_disciplinary_fusion",
            "focused_projects",
            "information",
        )
    },
}


def empty_world(**constants) -> BioclusterModel:
    """The tiny region with nobody in it and a pharma that never scouts."""
    scenario = load(TINY, overrides={**EMPTY, "pharma": [{"name": "Big Pharma", "open_innovation": 0.0}]})
    return BioclusterModel(scenario, rng=7, constants=dataclasses.replace(Constants(), **constants))


def startup(model, xy=(5.0, 5.0), quality=0.5, cash=1.0, headcount=10, parent=None):
    """A drug developer (a Startup whatever medtech_share draws) founded with its staff from a
    well-filled pool."""
    model.labour.add(1000)
    return founding.found(
        model,
        origin="academic",
        xy_km=np.array(xy),
        quality=quality,
        cash=cash,
        headcount=headcount,
        parent=parent,
        kind=Startup,
    )
