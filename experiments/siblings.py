"""A sibling experiment script as a module.

The experiments are scripts, not a package: a scan that runs and compares as another script does
loads that script from this folder (``python experiments/NAME.py`` puts the folder on the path, and
tests/helpers.py does the same), so the comparison is written once.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def sibling(name: str) -> ModuleType:
    """experiments/<name>.py as a fresh module named ``<name>_experiment``.

    The module is registered in ``sys.modules`` before it runs (importlib's recipe for loading a
    source file): a ``@dataclass`` under ``from __future__ import annotations`` looks its module
    up there to resolve its field types, and fails on a module nobody registered.
    """
    path = Path(__file__).with_name(f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"{name}_experiment", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[spec.name]
        raise
    return module
