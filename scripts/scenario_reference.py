"""Print the scenario-file reference (markdown) from the schema, for the README."""

from __future__ import annotations

import types
import typing

from pydantic import BaseModel

from ecosim.scenario import (
    Anchor,
    CensusBoundary,
    CensusBox,
    Factors,
    FactorShift,
    Hub,
    Incubator,
    Institution,
    Lever,
    Pharma,
    Policy,
    Region,
    Scenario,
    ScriptedEvent,
    VentureCapital,
)

SECTIONS: list[tuple[str, type[BaseModel]]] = [
    ("top level", Scenario),
    ("region", Region),
    ("region.census[] (a box)", CensusBox),
    ("region.census[] (a boundary)", CensusBoundary),
    ("factors", Factors),
    ("factors.shift", FactorShift),
    ("institutions[]", Institution),
    ("hubs[]", Hub),
    ("incubators[]", Incubator),
    ("pharma[]", Pharma),
    ("vcs[]", VentureCapital),
    ("anchors[]", Anchor),
    ("events[]", ScriptedEvent),
    ("policies[]", Policy),
    ("levers{name: ...}", Lever),
]


def describe(info) -> str:
    """Range and description of one field."""
    bounds = []
    for meta in info.metadata:
        for attr, sign in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            if getattr(meta, attr, None) is not None:
                bounds.append(f"{sign} {getattr(meta, attr)}")
    text = info.description or ""
    if bounds:
        text = f"{text} ({', '.join(bounds)})" if text else ", ".join(bounds)
    return text


def type_name(annotation) -> str:
    """A short readable type: Annotated stripped, unions as 'or'."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        return " or ".join(type_name(a) for a in args)
    if origin is typing.Literal:
        return " \\| ".join(str(a) for a in args)
    if origin is dict:
        return f"{{{type_name(args[0])}: {type_name(args[1])}}}"
    if origin in (list, tuple):
        return f"list of {type_name(args[0])}"
    return getattr(annotation, "__name__", str(annotation))


def default_of(info) -> str:
    """The default, shortly."""
    if info.is_required():
        return "required"
    value = info.get_default(call_default_factory=True)
    return "all 0" if isinstance(value, BaseModel) else f"`{value!r}`"


def main() -> None:
    """Print one markdown table per section."""
    for title, model in SECTIONS:
        print(f"\n**{title}**\n")
        print("| field | type | default | meaning |")
        print("| --- | --- | --- | --- |")
        for name, info in model.model_fields.items():
            print(f"| `{name}` | {type_name(info.annotation)} | {default_of(info)} | {describe(info)} |")


if __name__ == "__main__":
    main()
