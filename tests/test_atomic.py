"""Atomic writes: whole files with ordinary permissions, staged folders that vanish on error."""

from __future__ import annotations

import os
import stat

import pytest

from ecosim import atomic


def test_write_is_whole_and_readable_by_others(tmp_path):
    target = tmp_path / "sub" / "a.json"
    atomic.write_json(target, {"b": 1, "a": 2})
    assert target.read_text() == '{\n  "a": 2,\n  "b": 1\n}\n'
    mode = stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask
    assert not list(target.parent.glob(".*.tmp"))


def test_staged_dir_moves_files_in_or_leaves_nothing(tmp_path):
    out = tmp_path / "out"
    with atomic.staged_dir(out) as stage:
        (stage / "x.txt").write_text("x")
    assert (out / "x.txt").read_text() == "x"
    with pytest.raises(RuntimeError), atomic.staged_dir(tmp_path / "other") as stage:
        (stage / "y.txt").write_text("y")
        raise RuntimeError("half-way")
    assert not (tmp_path / "other").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_staged_dir_removes_the_writer_s_own_files_it_did_not_write_again(tmp_path):
    """A file the writer owns and no longer makes (an empty table) goes; another's file stays."""
    out = tmp_path / "out"
    out.mkdir()
    for name in ("table.csv", "gone.csv", "theirs.json"):
        (out / name).write_text("old")
    with atomic.staged_dir(out, owned={"table.csv", "gone.csv", "never.csv"}) as stage:
        (stage / "table.csv").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == ["table.csv", "theirs.json"]
    assert (out / "table.csv").read_text() == "new" and (out / "theirs.json").read_text() == "old"
