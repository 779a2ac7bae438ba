from __future__ import annotations

from pathlib import Path

import pytest
from helpers import TINY

from ecosim.scenario import load


@pytest.fixture
def tiny():
    return load(TINY)


@pytest.fixture
def tiny_path() -> Path:
    return TINY
