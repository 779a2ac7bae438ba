"""experiments/siblings.py: a sibling script loads as a module, whatever it declares."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

from helpers import ROOT

PROBE = """
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Point:
    value: int


def made() -> Point:
    return Point(3)
"""


def test_a_sibling_with_a_dataclass_under_future_annotations_loads(tmp_path: Path) -> None:
    # siblings.py loads from its own folder: a copy of it beside a probe script.
    shutil.copy(ROOT / "experiments" / "siblings.py", tmp_path / "siblings.py")
    (tmp_path / "probe.py").write_text(PROBE)
    spec = importlib.util.spec_from_file_location("siblings_copy", tmp_path / "siblings.py")
    assert spec is not None and spec.loader is not None
    siblings = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(siblings)
    try:
        probe = siblings.sibling("probe")
        assert probe.made().value == 3
        assert sys.modules["probe_experiment"] is probe
        assert siblings.sibling("probe") is not probe  # a fresh module each time
    finally:
        sys.modules.pop("probe_experiment", None)
