"""A manifest's commit says which code ran: outputs written beside it do not make it dirty."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ecosim.provenance import checkout_commit


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def _checkout(root: Path) -> str:
    for folder in ("src", "results", "runs"):
        (root / folder).mkdir()
        (root / folder / "a.txt").write_text("one\n")
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start")
    return checkout_commit(root)


def test_a_clean_checkout_has_a_bare_commit(tmp_path: Path) -> None:
    commit = _checkout(tmp_path)
    assert len(commit) == 40 and not commit.endswith("-dirty")


def test_changed_outputs_leave_the_commit_clean(tmp_path: Path) -> None:
    commit = _checkout(tmp_path)
    (tmp_path / "results" / "a.txt").write_text("two\n")
    (tmp_path / "runs" / "a.txt").write_text("two\n")
    assert checkout_commit(tmp_path) == commit


def test_changed_code_makes_it_dirty(tmp_path: Path) -> None:
    commit = _checkout(tmp_path)
    (tmp_path / "src" / "a.txt").write_text("two\n")
    assert checkout_commit(tmp_path) == commit + "-dirty"


def test_outside_a_checkout_the_commit_is_unknown(tmp_path: Path) -> None:
    assert checkout_commit(tmp_path) == "unknown"
