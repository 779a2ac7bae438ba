"""Checks that several sub-commands make on their arguments, before any work is done."""

from __future__ import annotations

from pathlib import Path

from ecosim import atomic
from ecosim.scenario import ScenarioError


def check_out(path: str | Path, folder: bool = True, option: str = "--out") -> None:
    """Refuse an output place that cannot be written, before the work that would fill it.

    Raises:
        ScenarioError: naming the place and the option that gave it.
    """
    try:
        atomic.check_writable(path, folder=folder)
    except atomic.UnwritableError as exc:
        raise ScenarioError(path, option, str(exc)) from None
