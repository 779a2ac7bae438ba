"""Run a command to its end and measure it: exit code, output, peak memory, wall time.

Shared by the hostile-input tests and ``benchmarks/reliability.py`` (no tests here). The peak
resident memory comes from ``wait4``, so it is the command's own, not this process's.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Measured:
    """What a finished command left: exit code, output, peak resident memory, seconds."""

    returncode: int
    stdout: str
    stderr: str
    peak_mb: float
    seconds: float


def run_measured(
    argv: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 600,
    address_space: int | None = None,
) -> Measured:
    """Run ``argv`` in a session of its own and wait for it (and its reaped status and rusage).

    Args:
        argv: the command.
        cwd: its working folder.
        env: its environment (None: this one's).
        timeout: seconds after which the command and its children are killed (SIGKILL).
        address_space: a cap on its address space in bytes (None: none), so that an input that
            made it allocate without bound ends in a MemoryError instead of exhausting the machine.
    """

    def limit() -> None:
        if address_space is not None:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    started = time.perf_counter()
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        preexec_fn=limit,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    output: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda key=key, pipe=pipe: output.__setitem__(key, pipe.read()))
        for key, pipe in (("out", process.stdout), ("err", process.stderr))
    ]
    for reader in readers:
        reader.start()
    stop = threading.Timer(timeout, os.killpg, (process.pid, signal.SIGKILL))
    stop.start()
    _, status, usage = os.wait4(process.pid, 0)
    stop.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    process.stdout.close()
    process.stderr.close()
    return Measured(
        process.returncode,
        output["out"].decode(errors="replace"),
        output["err"].decode(errors="replace"),
        usage.ru_maxrss / 1024,
        round(time.perf_counter() - started, 2),
    )
