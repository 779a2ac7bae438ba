"""What produced an output: versions, git commit and a base manifest."""

from __future__ import annotations

import hashlib
import platform
import subprocess
import sys
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import ecosim

# What counts for "dirty": everything but the outputs (git pathspec magic).
_CODE_PATHS = (".", ":(exclude)results", ":(exclude)runs")


@cache
def git_commit() -> str:
    """The commit of the ecosim checkout (with ``-dirty`` when it has local changes), or 'unknown'.

    Changes under ``results/`` and ``runs/`` do not make a checkout dirty: they are outputs, not
    code, and an experiment that writes its report in two steps (a sweep report, then the
    script's own tables) must not mark its second manifest dirty because of its first.

    Only a source checkout (``src/ecosim`` beside a pyproject.toml) has a commit: an installed
    wheel may sit in a virtual environment inside some other git repository, whose commit says
    nothing about the code that ran.
    """
    package = Path(ecosim.__file__).resolve().parent
    root = package.parents[1]
    if not (root / "pyproject.toml").is_file() or package != root / "src" / "ecosim":
        return "unknown"
    return checkout_commit(root)


def checkout_commit(root: Path) -> str:
    """HEAD of the git checkout at ``root``, ``-dirty`` if code (not outputs) changed; or 'unknown'."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", *_CODE_PATHS],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("-dirty" if dirty else "")


OUTSIDE_RUNS = (
    "__main__.py",
    "calibrate.py",
    "cli.py",
    "commands",
    "i18n.py",
    "lineage_figure.py",
    "posterior.py",
    "progress.py",
    "report.py",
    "robustness.py",
    "sensitivity.py",
    "stylized.py",
    "sweep.py",
    "viz",
)
"""Modules and folders of the package whose code no run of the model calls, in any runner
(``engine.Run.runner``): the command line, the browser view, and the analyses that read runs
(reports, calibration, posterior, sensitivity, robustness, stylized facts, sweep designs).
What a sweep or a calibration asks a run to do is in the run's own key (scenario, seed, last
year, constants, runner, outputs, columns), not in these files. A worker may import one (a
spawned worker imports its parent's main module again), which is harmless because importing
them changes nothing a run reads. ``tests/test_provenance.py`` checks that no other module of
the package imports one, at any depth, and that every runner runs without one loaded."""


@cache
def run_code_digest(package: Path | None = None) -> str:
    """SHA-256 of the code and data files a run of the model reads, as they are now.

    A git commit does not say what a working tree with local changes runs; this does. A store
    that keeps finished runs keyed by it (with the libraries' versions, engine.Run.digest) never
    hands back a run of other model code, while a change to a report or an analysis
    (OUTSIDE_RUNS) keeps the runs it already has.

    Args:
        package: the package folder (default: ecosim's own).
    """
    package = package or Path(ecosim.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if not path.is_file() or "__pycache__" in relative.parts or relative.parts[0] in OUTSIDE_RUNS:
            continue
        digest.update(str(relative).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def is_hashed_module(module: str) -> bool:
    """Whether ``module`` (dotted) is ecosim code that run_code_digest covers."""
    parts = module.split(".")
    if parts[0] != "ecosim":
        return False
    if len(parts) == 1:
        return True
    return parts[1] not in OUTSIDE_RUNS and f"{parts[1]}.py" not in OUTSIDE_RUNS


def versions() -> dict[str, str]:
    """Versions of ecosim, Python and the packages that shape its results (a new dict each call)."""
    return dict(_installed_versions())


@cache
def _installed_versions() -> tuple[tuple[str, str], ...]:
    # Looked up once a process: finding a package's metadata takes some 3 ms, and every stored
    # run's key (engine.Run.digest) holds the versions.
    found = {"ecosim": ecosim.__version__, "python": platform.python_version()}
    for package in ("mesa", "numpy", "scipy", "pandas", "networkx"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return tuple(found.items())


def base_manifest(command: list[str] | None = None) -> dict[str, Any]:
    """The fields every manifest carries: command line, versions and git commit.

    The program is recorded by name (``ecosim``, ``python``), not by where it is installed:
    a manifest describes how to reproduce an output, not one machine's folders.
    """
    argv = list(command if command is not None else sys.argv)
    if argv:
        argv[0] = Path(argv[0]).name
    return {
        "command": " ".join(argv),
        "versions": versions(),
        "git_commit": git_commit(),
    }
