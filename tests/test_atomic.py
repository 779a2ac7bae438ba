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


def test_staged_dir_leaves_no_staging_folder_when_moving_in_fails(tmp_path):
    """The work is done but the target cannot be made (here a link to nowhere, which
    check_writable refuses first): the staging folder goes, whatever moving in raised."""
    out = tmp_path / "out"
    out.symlink_to(tmp_path / "later")
    with pytest.raises(FileExistsError), atomic.staged_dir(out) as stage:
        (stage / "x.txt").write_text("x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("name", ["out", "o" * 250, "é" * 120])
def test_a_staging_folder_s_name_stays_within_the_file_system_s_limit(tmp_path, name):
    out = tmp_path / name
    with atomic.staged_dir(out) as stage:
        assert stage.name.startswith(f".{atomic.clipped(out)}{atomic.STAGING}{os.getpid()}-")
        assert len(atomic.clipped(out)) <= atomic.NAME_CHARS
        (stage / "x.txt").write_text("x")
    atomic.write_text(out / ("f" * 255), "y")
    assert (out / "x.txt").read_text() == "x" and (out / ("f" * 255)).read_text() == "y"
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_two_long_names_that_begin_alike_keep_their_own_staging_folders(tmp_path):
    """Both names' first 40 characters made one pattern: writing the second removed the first's
    staging folder half-way (it is this process's, so not taken for another's live one)."""
    first, second = tmp_path / ("run-" + "x" * 60 + "-a"), tmp_path / ("run-" + "x" * 60 + "-b")
    assert atomic.clipped(first) != atomic.clipped(second)
    with atomic.staged_dir(first) as stage:
        (stage / "a.txt").write_text("a")
        with atomic.staged_dir(second) as other:
            (other / "b.txt").write_text("b")
        assert stage.exists()
    assert (first / "a.txt").read_text() == "a" and (second / "b.txt").read_text() == "b"


def test_an_existing_folder_is_checked_where_its_files_are_staged(tmp_path, monkeypatch):
    """staged_dir builds the files beside the folder, in its parent: a parent that cannot be
    written failed only after the work when the folder itself was writable."""
    out = tmp_path / "out"
    out.mkdir()
    made = atomic.tempfile.mkdtemp

    def refuse_the_parent(*args, dir=None, **kwargs):
        if dir is not None and os.path.samefile(dir, tmp_path):
            raise PermissionError(13, "Permission denied")
        return made(*args, dir=dir, **kwargs)

    monkeypatch.setattr(atomic.tempfile, "mkdtemp", refuse_the_parent)
    with pytest.raises(atomic.UnwritableError, match=f"cannot write in {tmp_path} "):
        atomic.check_writable(out)
    atomic.check_writable(out / "new")  # a new folder below it is staged in it, which can be written
