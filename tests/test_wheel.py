"""The installed wheel: it carries every file of the package and runs exactly as the checkout does.

The wheel is built from the tracked sources (pyproject.toml, README.md, src/) copied to a
temporary folder, installed without its dependencies into a fresh virtual environment there,
and run through its own ``ecosim`` script. The dependencies come from this environment's
site-packages through a path file (so the test works offline), while the ``ecosim`` package
itself can only come from the wheel: that is checked before anything runs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from helpers import ROOT, TINY

INSTALL_FIELDS = ("command", "git_commit", "timing")
"""Manifest fields that name the installation (or the machine's speed) rather than the run."""

WHEEL_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
"""The installed program's environment: a PYTHONPATH naming the checkout's src/ (the tests may run
with one) would put the checkout's ecosim before the wheel's."""


def tracked_package_files() -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files", "src/ecosim"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return {name.removeprefix("src/") for name in listed}


def copy_sources(to: Path) -> None:
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, to / name)
    for name in tracked_package_files():
        target = to / "src" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "src" / name, target)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the wheel, the python of a fresh venv that has only ecosim from the wheel installed)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source, dist = tmp / "source", tmp / "dist"
    source.mkdir()
    copy_sources(source)
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(source),
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(dist),
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = dist.glob("ecosim-*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The dependencies, from this environment (a plain path: its .pth files, among them the
    # editable install of ecosim, are not read).
    (Path(site) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return wheel, python


def test_wheel_carries_every_file_of_the_package(installed):
    wheel, _ = installed
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if name.startswith("ecosim/")}
    missing = tracked_package_files() - shipped
    assert missing == set(), f"files of the package missing from the wheel: {sorted(missing)}"
    assert {"ecosim/fitted_constants.json", "ecosim/data/land_tiles.npz"} <= shipped


def test_installed_wheel_runs_as_the_checkout_does(installed, tmp_path):
    _, python = installed
    where = subprocess.run(
        [str(python), "-c", "import ecosim; print(ecosim.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=WHEEL_ENV,
    ).stdout.strip()
    assert Path(where).is_relative_to(python.parents[1]), f"ecosim imported from {where}"
    args = ["run", str(TINY), "--seed", "5", "--until", "1984", "--quiet"]
    script = python.parent / "ecosim"
    wheel_run = subprocess.run(
        [str(script), *args, "--out", str(tmp_path / "wheel")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        env=WHEEL_ENV,
    )
    assert wheel_run.returncode == 0, wheel_run.stderr
    checkout_run = subprocess.run(
        [sys.executable, "-m", "ecosim", *args, "--out", str(tmp_path / "checkout")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert checkout_run.returncode == 0, checkout_run.stderr
    assert wheel_run.stdout.replace("/wheel/", "/OUT/") == checkout_run.stdout.replace("/checkout/", "/OUT/")
    names = sorted(p.name for p in (tmp_path / "checkout").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "wheel").iterdir())
    for name in names:
        a, b = (tmp_path / "wheel" / name).read_bytes(), (tmp_path / "checkout" / name).read_bytes()
        if name == "manifest.json":
            a, b = ({k: v for k, v in json.loads(x).items() if k not in INSTALL_FIELDS} for x in (a, b))
        assert a == b, f"{name} differs between the installed wheel and the checkout"


def test_missing_constants_stop_the_installed_program(installed, tmp_path):
    _, python = installed
    site = Path(
        subprocess.run(
            [str(python), "-c", "import ecosim, os; print(os.path.dirname(ecosim.__file__))"],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
            env=WHEEL_ENV,
        ).stdout.strip()
    )
    fitted = site / "fitted_constants.json"
    kept = fitted.read_bytes()
    fitted.unlink()
    try:
        done = subprocess.run(
            [
                str(python.parent / "ecosim"),
                "run",
                str(TINY),
                "--until",
                "1980",
                "--quiet",
                "--out",
                str(tmp_path / "r"),
            ],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=300,
            env=WHEEL_ENV,
        )
    finally:
        fitted.write_bytes(kept)
    assert done.returncode == 1
    assert "calibrated constants is missing" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "r").exists()
