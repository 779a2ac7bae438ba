"""``python -m ecosim``: the command line."""

from ecosim.cli import entry

entry()
