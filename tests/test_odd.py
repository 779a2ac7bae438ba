"""docs/ODD.md names every constant and every scenario field, and marks the fitted constants as fitted."""

from __future__ import annotations

import dataclasses
import re
import typing

from helpers import ROOT
from pydantic import BaseModel

from ecosim.constants import FREE, Constants
from ecosim.scenario import Scenario

ODD = ROOT / "docs" / "ODD.md"


def named(text: str) -> set[str]:
    """Every name written in backticks in ``text``."""
    return set(re.findall(r"`([^`\n]+)`", text))


def schema_fields(model: type[BaseModel], seen: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Field names of ``model`` and of every model nested in it (lists, mappings, unions), by model."""
    seen = {} if seen is None else seen
    if model.__name__ in seen:
        return seen
    seen[model.__name__] = list(model.model_fields)
    for info in model.model_fields.values():
        for nested in nested_models(info.annotation):
            schema_fields(nested, seen)
    return seen


def nested_models(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in nested_models(arg)]


def test_every_constant_is_in_the_odd():
    names = named(ODD.read_text(encoding="utf-8"))
    missing = [f.name for f in dataclasses.fields(Constants) if f.name not in names]
    assert not missing, f"docs/ODD.md does not name these constants: {missing}"


def test_every_scenario_field_is_in_the_odd():
    names = named(ODD.read_text(encoding="utf-8"))
    fields = schema_fields(Scenario)
    assert {"Scenario", "Region", "CensusBox", "Factors", "Institution", "Hub", "Lever"} <= set(fields)
    missing = sorted(
        {f"{model}.{name}" for model, names_ in fields.items() for name in names_ if name not in names}
    )
    assert not missing, f"docs/ODD.md does not name these scenario fields: {missing}"


def test_the_free_constants_are_marked_fitted():
    rows = {}
    for line in ODD.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| `(\w+)` \|", line)
        if match:
            rows[match.group(1)] = line
    for name in FREE:
        assert name in rows, f"docs/ODD.md has no table row for the fitted constant {name}"
        assert rows[name].rstrip(" |").endswith("fitted (FREE)"), rows[name]


def test_the_odd_cites_the_protocol_and_has_its_sections():
    text = ODD.read_text(encoding="utf-8")
    assert "Grimm" in text and "23(2): 7" in text
    for heading in (
        "Purpose and patterns",
        "Entities, state variables and scales",
        "Process overview and scheduling",
        "Design concepts",
        "Initialisation",
        "Input data",
        "Submodels",
    ):
        assert re.search(rf"^## \d\. {heading}$", text, flags=re.MULTILINE), heading
