"""Atomic writes: a reader sees a whole file or none, never half of one."""

from __future__ import annotations

import glob
import json
import os
import shutil
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private; give it the permissions a plain open() would.
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: str | Path, text: str) -> None:
    """Atomically write UTF-8 text."""
    write_bytes(path, text.encode("utf-8"))


def write_json(path: str | Path, data: Any) -> None:
    """Atomically write JSON, indented and with sorted keys so it diffs well."""
    write_text(path, json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")


class UnwritableError(Exception):
    """An output place that cannot be written (a file where a folder is meant, no permission)."""


def check_writable(target: str | Path, folder: bool = True) -> None:
    """Fail at once, not after the work, when ``target`` cannot be written.

    Creates and removes a probe folder in the nearest existing ancestor (and in ``target``
    when it is an existing folder), so nothing is left behind and nothing is created yet.

    Args:
        target: the folder (``folder=True``) or file to be written.
        folder: whether ``target`` is a folder.

    Raises:
        UnwritableError: saying why, in words.
    """
    target = Path(target)
    if target.exists() and folder != target.is_dir():
        raise UnwritableError("is a file, not a folder" if folder else "is a folder, not a file")
    base = target if target.is_dir() else target.parent
    while not base.exists() and base != base.parent:
        base = base.parent
    if not base.is_dir():
        raise UnwritableError(f"{base} is a file, not a folder")
    try:
        Path(tempfile.mkdtemp(dir=base, prefix=".ecosim-probe-")).rmdir()
    except OSError as exc:
        raise UnwritableError(f"cannot write in {base} ({exc.strerror or exc})") from None


STAGING = ".staging-"
"""Infix of a staging folder's name: ``.<target>.staging-<pid>-<random>``."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_stale_staging(target: Path) -> int:
    """Remove staging folders of ``target`` whose process is gone (killed); return how many.

    A staging folder names its process id; one of a live process (another write to the same
    target on this machine) is left alone.
    """
    removed = 0
    for stage in target.parent.glob(f".{glob.escape(target.name)}{STAGING}*"):
        pid = stage.name.rpartition(STAGING)[2].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        shutil.rmtree(stage, ignore_errors=True)
        removed += 1
    return removed


@contextmanager
def staged_dir(target: str | Path, owned: Collection[str] = ()) -> Iterator[Path]:
    """Build a folder's files in a sibling staging folder, then move them in at once.

    Files of ``target`` that the staging folder does not hold are kept (another command may have
    put them there), except those named in ``owned``: the writer's own files, which a write that
    no longer makes one (an empty table) must not leave behind from an earlier write. If the block
    raises, the staging folder is removed and ``target`` is left as it was. Staging folders that a
    killed process left behind are removed first.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(target)
    stage = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}{STAGING}{os.getpid()}-"))
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    target.mkdir(exist_ok=True)
    made = {item.name for item in stage.iterdir()}
    for name in made:
        os.replace(stage / name, target / name)
    stage.rmdir()
    for name in set(owned) - made:
        (target / name).unlink(missing_ok=True)
