"""Bad input as one safe line: the error every command turns into ``error: FILE: field: message``.

Input reaches error messages (a key, a name, a file name, a value), so a message escapes control
characters (a newline or an ANSI escape in a key could forge or recolour terminal output) and
quotes at most a short excerpt of any value (limits.EXCERPT_CHARS).
"""

from __future__ import annotations

import reprlib
from pathlib import Path
from typing import Any

from ecosim.limits import EXCERPT_CHARS, MESSAGE_CHARS


def printable(text: str, limit: int = MESSAGE_CHARS) -> str:
    r"""``text`` with every non-printable character escaped (``\n``, ``\x1b``, ``\u202e``),
    clipped to ``limit`` characters.
    """
    out = []
    size = 0
    for char in text:
        piece = char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        out.append(piece)
        size += len(piece)
        if size > limit:
            return "".join(out)[:limit] + "..."
    return "".join(out)


_REPR = reprlib.Repr(
    maxlevel=2,
    maxtuple=4,
    maxlist=4,
    maxdict=4,
    maxset=4,
    maxstring=EXCERPT_CHARS,
    maxlong=EXCERPT_CHARS,
    maxother=EXCERPT_CHARS,
)
"""A repr that stops early: an alias-expanded value can hold a billion items."""


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """A value as an error quotes it: a bounded repr, clipped, without control characters."""
    try:
        text = _REPR.repr(value)
    except ValueError:  # an int longer than Python converts to text
        text = f"<an {type(value).__name__} too long to show>"
    return printable(text, limit)


class ScenarioError(Exception):
    """An input that cannot be used: a scenario or spec file, a run folder, an option.

    Attributes:
        path: the file (or option) at fault.
        field: the field path inside it ("" when the whole file is at fault).
        message: what is wrong, in words.
    """

    def __init__(self, path: str | Path, field: str, message: str) -> None:
        self.path = str(path)
        self.field = field
        self.message = message
        where = printable(self.path) + ": "
        if field:
            where += printable(field) + ": "
        super().__init__(where + printable(message))
