"""The data files ecosim ships inside its package, and the one error for a missing one.

Every file the package reads at run time (the calibrated constants, the land tiles, the price
and exchange-rate table, the place names of the maps) is package data, listed in pyproject.toml
so a wheel carries it. A missing file means a broken install; it stops the program with
:class:`MissingDataError` rather than falling back to something else without a word.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


class MissingDataError(FileNotFoundError):
    """A data file that ecosim ships is not where the package expects it (a broken install)."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        super().__init__(
            f"ecosim's {what} is missing: {path} (a broken install: reinstall ecosim; in a source "
            "checkout, check that the file is tracked)"
        )


def data_file(name: str, what: str) -> Path:
    """The path of the shipped data file ``data/<name>``.

    Args:
        name: file name inside the package's ``data`` folder.
        what: what the file holds, for the error message.

    Raises:
        MissingDataError: the file is absent.
    """
    path = DATA_DIR / name
    if not path.exists():
        raise MissingDataError(path, what)
    return path
