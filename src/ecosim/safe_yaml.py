"""Reading a YAML file that a careless or hostile user wrote, in bounded time and memory.

``yaml.safe_load`` constructs no objects of arbitrary types, but it still reads a file of any
size, recurses once per nesting level, builds a value per alias (so a few hundred bytes of
"billion laughs" reach 10^9 values once anything walks them), converts integers of any length
and keeps the last of two equal keys without a word. :func:`read` bounds each of these with the
limits of :mod:`ecosim.limits` and refuses duplicate keys; every problem is a ScenarioError that
names the file and, where known, the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ecosim.errors import ScenarioError, excerpt
from ecosim.limits import MAX_FILE_BYTES, MAX_NESTING, MAX_NUMBER_DIGITS, MAX_YAML_VALUES

MERGE_TAG = "tag:yaml.org,2002:merge"


class _Refused(yaml.YAMLError):
    """A limit or rule of this module, raised from inside the parser with the place it hit."""

    def __init__(self, message: str, mark: yaml.Mark | None) -> None:
        super().__init__(message)
        self.problem = message
        self.problem_mark = mark


class _Loader(yaml.SafeLoader):
    """The safe loader with a nesting limit, a digit limit and no duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:  # noqa: D102
        # The composer recurses once per level: refuse before Python's recursion limit does.
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                mark = self.peek_event().start_mark
                raise _Refused(f"nested more than {MAX_NESTING} levels deep (limits.MAX_NESTING)", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:  # noqa: D102
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:  # keys merged in with << may be overridden
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key: the constructor below says so
                continue
            if duplicate:
                raise _Refused(f"duplicate key {excerpt(key)}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:  # noqa: D102
        digits = sum(char.isdigit() for char in node.value)
        if digits > MAX_NUMBER_DIGITS:
            message = f"a number of {digits:,} digits (at most {MAX_NUMBER_DIGITS}: limits.MAX_NUMBER_DIGITS)"
            raise _Refused(message, node.start_mark)
        return super().construct_yaml_int(node)


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)


def read_text(path: Path) -> str:
    """A file's text, refusing what is larger than limits.MAX_FILE_BYTES (or endless, as
    /dev/zero) without reading more than one byte past the limit.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError(path, "", "file not found") from None
    except OSError as exc:
        raise ScenarioError(path, "", f"cannot read file ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(path, "", f"larger than {MAX_FILE_BYTES:,} bytes (limits.MAX_FILE_BYTES)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(path, "", f"not UTF-8 text (byte {exc.start:,})") from None


def measure(data: Any, limit: int = MAX_YAML_VALUES) -> tuple[int, int]:
    """Values in ``data`` and its nesting depth, every shared (aliased) value counted and
    descended into where it appears.

    Walks iteratively and stops past ``limit`` values or ``MAX_NESTING`` levels, so a
    billion-laughs value, a chain of aliases nesting deeper than the text or a self-referencing
    value costs at most ``limit`` steps.

    Returns:
        (values, depth), stopped at the first limit passed.
    """
    count = depth = 0
    stack = [(data, 1)]
    while stack:
        value, level = stack.pop()
        count += 1
        depth = max(depth, level)
        if count > limit or depth > MAX_NESTING:
            break
        if isinstance(value, dict):
            stack.extend((item, level + 1) for item in value.values())
            count += len(value)  # the keys: scalars, as the safe loader allows no other
        elif isinstance(value, list):
            stack.extend((item, level + 1) for item in value)
    return count, depth


def read(path: Path) -> Any:
    """Parse a YAML file within the limits.

    Raises:
        ScenarioError: the file is missing, unreadable, too large, not YAML, or breaks a limit
            (nesting, values after alias expansion, digits of a number) or holds a duplicate key.
    """
    text = read_text(path)
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        prefix = "" if isinstance(exc, _Refused) else "broken YAML: "
        raise ScenarioError(path, "", f"{prefix}{where}{problem}") from None
    values, depth = measure(data)
    if values > MAX_YAML_VALUES:
        message = f"more than {MAX_YAML_VALUES:,} values once aliases are expanded (limits.MAX_YAML_VALUES)"
        raise ScenarioError(path, "", message)
    if depth > MAX_NESTING:
        message = f"nested more than {MAX_NESTING} levels deep once aliases are expanded (limits.MAX_NESTING)"
        raise ScenarioError(path, "", message)
    return data
