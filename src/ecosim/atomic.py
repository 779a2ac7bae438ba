"""Atomic writes: a reader sees a whole file or none, never half of one."""

from __future__ import annotations

import glob
import hashlib
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


NAME_CHARS = 40
"""The most characters of a target's name that its temporary file's or staging folder's name
holds: the added characters must not push a name the file system accepts (255 bytes) past its
limit."""


def clipped(path: Path) -> str:
    """``path``'s name as its temporary files and staging folders repeat it: whole up to
    NAME_CHARS characters; a longer one cut and marked with a digest of the whole name, so two
    long names that begin alike never take each other's staging folders for their own.
    """
    name = path.name
    if len(name) <= NAME_CHARS:
        return name
    digest = hashlib.sha256(os.fsencode(name)).hexdigest()[:8]
    return f"{name[: NAME_CHARS - len(digest) - 1]}~{digest}"


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{clipped(path)}.", suffix=".tmp")
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


STAGING = ".staging-"
"""Infix of a staging folder's name: ``.<target>.staging-<pid>-<random>``, the target's name
as ``clipped`` gives it."""


def _nearest_existing(target: Path) -> Path:
    """``target`` or its nearest ancestor that exists.

    Raises:
        UnwritableError: a symbolic link on the way leads nowhere (dangling, or a loop), or the
            system refuses the path (a name or a path too long).
    """
    try:
        for place in (target, *target.parents):
            if place.exists():
                return place
            if place.is_symlink():
                # exists() says no, yet mkdir() finds the link there: the write would fail only
                # after the work, so refuse now.
                why = "it leads nowhere"
                try:
                    os.stat(place)
                except OSError as exc:
                    why = exc.strerror or why
                where = "" if place == target else f"{place} "
                raise UnwritableError(
                    f"{where}is a symbolic link that cannot be followed ({why}): "
                    "make the place it points to, or remove the link"
                )
    except OSError as exc:
        raise UnwritableError(f"cannot use this path ({exc.strerror or exc})") from None
    raise UnwritableError("no part of this path exists")


def _check_new_names(target: Path, base: Path) -> None:
    """Refuse a name below ``base`` (the part of ``target`` not made yet) that the file system
    would refuse: the system says so only when the name is made, after the work.
    """
    try:
        limit = os.pathconf(base, "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255  # POSIX file systems' usual NAME_MAX
    for part in target.relative_to(base).parts:
        size = len(os.fsencode(part))
        if size > limit:
            raise UnwritableError(f"a name of {size:,} bytes, more than the file system allows ({limit})")


def check_writable(target: str | Path, folder: bool = True) -> None:
    """Fail at once, not after the work, when ``target`` cannot be written.

    Creates and removes a probe folder in the nearest existing ancestor, so nothing is left
    behind and nothing is created yet. For an existing folder, it probes the folder (its files
    are replaced there) and its parent (where ``staged_dir`` builds them first).

    Args:
        target: the folder (``folder=True``) or file to be written.
        folder: whether ``target`` is a folder.

    Raises:
        UnwritableError: saying why, in words.
    """
    target = Path(target)
    base = _nearest_existing(target)
    if base == target:
        if folder != target.is_dir():
            raise UnwritableError("is a file, not a folder" if folder else "is a folder, not a file")
        if not folder:
            base = _nearest_existing(target.parent)
    if not base.is_dir():
        raise UnwritableError(f"{base} is a file, not a folder")
    _check_new_names(target, base)
    places = (base, target.parent) if folder and base == target else (base,)
    for place in places:
        try:
            Path(tempfile.mkdtemp(dir=place, prefix=".ecosim-probe-")).rmdir()
        except OSError as exc:
            raise UnwritableError(f"cannot write in {place} ({exc.strerror or exc})") from None


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
    for stage in target.parent.glob(f".{glob.escape(clipped(target))}{STAGING}*"):
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
    raises, the staging folder is removed and ``target`` is left as it was; if moving the files in
    fails (``check_writable`` missed something), the staging folder is removed too. Staging
    folders that a killed process left behind are removed first.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(target)
    stage = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{clipped(target)}{STAGING}{os.getpid()}-"))
    try:
        yield stage
        target.mkdir(exist_ok=True)
        made = {item.name for item in stage.iterdir()}
        for name in made:
            os.replace(stage / name, target / name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    for name in set(owned) - made:
        (target / name).unlink(missing_ok=True)
