"""The results store of a sweep: one parquet file per finished run, a manifest and a log.

Layout of a sweep folder::

    DIR/manifest.json        the spec, its digest, arms, root seed, versions, git commit, sessions
    DIR/runs/<run_id>.parquet one finished run: its yearly table; identity and summary in metadata
    DIR/errors/<run_id>.txt  the traceback of a run that raised (its message is in the run file)
    DIR/log.jsonl            one line per finished run: wall time, host (not part of any result)
    DIR/.lock                held by the sweep working in the folder (one at a time)

A run file is written atomically (temporary file, fsync, rename), so after a crash or SIGKILL a
run is either wholly present or absent. The files present *are* the resume state: a re-run lists
them and does only the rest. A run file holds nothing but what (spec, arm, replication) decides,
so the same run gives the same bytes on any machine with the same package versions.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ecosim import atomic
from ecosim.errors import ScenarioError

METADATA_KEY = b"ecosim.run"
RUNS_DIR = "runs"
ERRORS_DIR = "errors"
MANIFEST = "manifest.json"
LOG = "log.jsonl"
LOCK = ".lock"
UNREADABLE = (OSError, AttributeError, KeyError, TypeError, ValueError, RecursionError, pa.ArrowException)
"""What reading a damaged run file raises (truncated, not parquet, no or broken metadata; JSON
metadata nested deeper than Python's parser recurses)."""


class FolderBusyError(Exception):
    """Another process holds the folder's lock."""


def encode_run(table: pd.DataFrame, metadata: dict[str, Any]) -> bytes:
    """Serialise one run to parquet bytes: the table plus its metadata as JSON."""
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    meta = dict(arrow.schema.metadata or {})
    meta[METADATA_KEY] = json.dumps(metadata, sort_keys=True, separators=(",", ":")).encode()
    arrow = arrow.replace_schema_metadata(meta)
    sink = pa.BufferOutputStream()
    pq.write_table(arrow, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def read_metadata(path: str | Path) -> dict[str, Any]:
    """Read a run file's metadata (without its table)."""
    raw = pq.read_schema(path).metadata or {}
    return json.loads(raw[METADATA_KEY])


def read_run(path: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read a run file's table and metadata."""
    arrow = pq.read_table(path)
    metadata = json.loads((arrow.schema.metadata or {})[METADATA_KEY])
    return arrow.to_pandas(), metadata


class RunStore:
    """A sweep folder on disk.

    Args:
        root: the folder (created on first write).
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.runs = self.root / RUNS_DIR

    def run_path(self, run_id: str) -> Path:
        """Where run ``run_id`` is stored."""
        return self.runs / f"{run_id}.parquet"

    def write_run(self, run_id: str, table: pd.DataFrame, metadata: dict[str, Any]) -> Path:
        """Write one finished run atomically and return its path."""
        path = self.run_path(run_id)
        atomic.write_bytes(path, encode_run(table, metadata))
        return path

    def write_error(self, run_id: str, text: str) -> None:
        """Keep a failed run's traceback next to the results (a log, not a result)."""
        atomic.write_text(self.root / ERRORS_DIR / f"{run_id}.txt", text)

    def finished(self) -> dict[str, dict[str, Any]]:
        """Run id -> ``{"digest", "status"}`` of every readable run file.

        A file that cannot be read counts as absent, so its run is done again.
        """
        found: dict[str, dict[str, Any]] = {}
        if not self.runs.is_dir():
            return found
        for path in sorted(self.runs.glob("*.parquet")):
            try:
                meta = read_metadata(path)
                found[path.stem] = {"digest": meta["digest"], "status": meta["status"]}
            except UNREADABLE:
                continue
        return found

    def remove_stale(self) -> int:
        """Delete temporary files a killed writer left behind; return how many."""
        if not self.runs.is_dir():
            return 0
        stale = list(self.runs.glob(".*.tmp"))
        for path in stale:
            path.unlink(missing_ok=True)
        return len(stale)

    def read_manifest(self) -> dict[str, Any] | None:
        """Read the sweep manifest; None before the first session.

        Raises:
            ScenarioError: the manifest is damaged (not JSON, nested past the parser, not a mapping).
        """
        path = self.root / MANIFEST
        if not path.is_file():
            return None
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except RecursionError:
            raise ScenarioError(
                path, "", "damaged sweep manifest (nested deeper than JSON's parser reads)"
            ) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ScenarioError(path, "", f"damaged sweep manifest ({exc})") from None
        if not isinstance(manifest, dict):
            raise ScenarioError(path, "", "damaged sweep manifest (not a mapping)")
        return manifest

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the folder for this process: a second sweep on it is refused, not run twice.

        The lock is the kernel's (flock): it ends with the process, SIGKILL included, so a
        killed sweep never leaves the folder locked.

        Raises:
            FolderBusyError: another process holds the folder, naming it.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / LOCK).open("a+", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                handle.seek(0)
                holder = handle.read(200).strip() or "another process"
                raise FolderBusyError(holder) from None
            handle.seek(0)
            handle.truncate()
            since = datetime.now(UTC).isoformat(timespec="seconds")
            handle.write(f"pid {os.getpid()} on {socket.gethostname()} since {since}\n")
            handle.flush()
            yield

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Atomically (re)write the sweep manifest."""
        atomic.write_json(self.root / MANIFEST, manifest)

    def log(self, event: dict[str, Any]) -> None:
        """Append one event (with this host's name) to the sweep log."""
        self.root.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"host": socket.gethostname(), **event}, sort_keys=True, default=str)
        with (self.root / LOG).open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    def logged_seconds(self) -> float:
        """The wall time of the finished runs the log records, summed over the runs (a rerun of a
        run counts once: its last entry), so over workers and over the sessions of a resumed sweep.
        """
        log = self.root / LOG
        times: dict[str, float] = {}
        if log.exists():
            for line in log.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue  # a line a killed process left half-written
                if entry.get("status") == "ok":
                    times[str(entry.get("run_id"))] = float(entry.get("seconds", 0.0))
        return sum(times.values())

    def load(
        self, check: Callable[[dict[str, Any]], str | None] | None = None
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Every stored run: (one row per run, one row per run-year).

        The run table has ``run_id, arm, arm_index, replication, status, error`` and one
        ``summary.<key>`` column per numeric summary value; the yearly table has ``run_id, arm,
        replication`` followed by the run's yearly columns.

        Args:
            check: given a run's metadata, says why the run does not belong here (None: it does).

        Raises:
            ScenarioError: a run file is damaged, or ``check`` refuses it; naming the file.
        """
        rows: list[dict[str, Any]] = []
        years: list[pd.DataFrame] = []
        for path in sorted(self.runs.glob("*.parquet")) if self.runs.is_dir() else []:
            try:
                table, meta = read_run(path)
                reason = check(meta) if check is not None else None
                row = self._row(meta)
            except UNREADABLE as exc:
                message = (
                    f"damaged run file ({type(exc).__name__}); `ecosim sweep` with the same spec "
                    "and folder redoes it"
                )
                raise ScenarioError(path, "", message) from None
            if reason:
                raise ScenarioError(path, "", reason)
            rows.append(row)
            if len(table):
                years.append(
                    table.assign(run_id=row["run_id"], arm=row["arm"], replication=row["replication"])
                )
        runs = pd.DataFrame(
            rows,
            columns=None if rows else ["run_id", "arm", "arm_index", "replication", "status", "error"],
        )
        yearly = (
            pd.concat(years, ignore_index=True)
            if years
            else pd.DataFrame(columns=["run_id", "arm", "replication", "year"])
        )
        return runs, yearly

    @staticmethod
    def _row(meta: dict[str, Any]) -> dict[str, Any]:
        """A run's row of the run table, from its metadata."""
        row = {
            "run_id": meta["run_id"],
            "arm": meta["arm"]["name"],
            "arm_index": meta["arm"]["index"],
            "replication": meta["replication"],
            "status": meta["status"],
            "error": meta["error"],
        }
        for key, value in (meta.get("summary") or {}).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                row[f"summary.{key}"] = value
        return row
