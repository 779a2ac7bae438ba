"""Scenario files: a typed, validated description of one cluster.

A scenario is a YAML file read within the limits of :mod:`ecosim.safe_yaml` and validated by
the pydantic schema below. ``extends: other.yaml`` names a baseline whose values the file
overrides (mappings merge key by key, lists and scalars replace), so a variant is a few lines
long. Every error is raised as :class:`ScenarioError`, which names the file that set the value
at fault (a base file when the value came from it) and the field path.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from ecosim import safe_yaml
from ecosim.census import overlaps_box
from ecosim.errors import ScenarioError, excerpt
from ecosim.limits import MAX_BOUNDARY_VERTICES, MAX_EXTENDS, MAX_GRID_CELLS
from ecosim.mechanisms.listing_market import markets as listing_markets
from ecosim.money import MoneyError, Stated, model_money

FACTOR_NAMES = (
    "hub_leadership",
    "diverse_players",
    "cross_disciplinary_fusion",
    "focused_projects",
    "information",
)
FactorName = Literal[
    "hub_leadership",
    "diverse_players",
    "cross_disciplinary_fusion",
    "focused_projects",
    "information",
]
KM_PER_DEG_LAT = 110.57
KM_PER_DEG_LON_EQUATOR = 111.32


class Strict(BaseModel):
    """Base of every schema object: unknown keys are errors, values are checked on assignment,
    no number is NaN or infinite (it would pass every bound: NaN compares false), and nothing is
    coerced (pydantic's strict mode): a bool or a string where a number is required, a number
    or "yes" where a bool is, 10.0 where a whole number is, are refused rather than read as 1,
    1.5 or True; a year key written "2019" is refused, so it cannot silently stand beside 2019.
    A whole number is still a number where a float is required (1 reads as 1.0).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, strict=True)


Unit = Annotated[float, Field(ge=0.0, le=1.0)]
Year = Annotated[int, Field(ge=1900, le=2100, description="calendar year")]
Month = Annotated[int, Field(ge=1, le=12, description="calendar month, 1 = January")]
FactorValue = Unit | dict[Year, Unit]


def _money(value: object) -> object:
    try:
        return model_money(value)
    except MoneyError as exc:
        raise ValueError(str(exc)) from None


Money = Annotated[float, BeforeValidator(_money)]
"""An amount of money in USD m at 2000 prices, or stated as ``{amount, currency, year}``
(millions of JPY, GBP or USD at that year's prices), converted through ecosim.money."""


class CensusBox(Strict):
    """One latitude/longitude rectangle of the area a cluster's published figures count."""

    name: str = Field(min_length=1, description="what the box covers, e.g. a city")
    south: float = Field(ge=-90, le=90, description="southern edge, deg latitude")
    north: float = Field(ge=-90, le=90, description="northern edge, deg latitude")
    west: float = Field(ge=-180, le=180, description="western edge, deg longitude")
    east: float = Field(ge=-180, le=180, description="eastern edge, deg longitude")

    @model_validator(mode="after")
    def _ordered(self) -> CensusBox:
        if self.north <= self.south:
            raise ValueError("north must lie north of south")
        if self.east <= self.west:
            raise ValueError("east must lie east of west")
        return self


def _on_the_globe(pair: list[float]) -> list[float]:
    lat, lon = pair
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise ValueError(f"({lat}, {lon}) is not a [lat, lon] pair on the globe")
    return pair


LatLon = Annotated[list[float], Field(min_length=2, max_length=2), AfterValidator(_on_the_globe)]
"""A point as [latitude, longitude] in degrees."""


class CensusBoundary(Strict):
    """One polygon of the area a cluster's published figures count: a city's limits traced from
    the city's own boundary file (scripts/census_boundaries.py), where a box would also count
    the towns around it.
    """

    name: str = Field(min_length=1, description="what the polygon covers, e.g. a city")
    boundary: list[LatLon] = Field(
        min_length=3,
        max_length=MAX_BOUNDARY_VERTICES,
        description="the polygon's vertices as [lat, lon] pairs in deg, in order around it (the "
        "last joins the first); a point on the line counts as inside or not",
    )

    @model_validator(mode="after")
    def _encloses_area(self) -> CensusBoundary:
        lats = [lat for lat, _ in self.boundary]
        lons = [lon for _, lon in self.boundary]
        twice = sum(
            lons[i - 1] * lats[i] - lons[i] * lats[i - 1] for i in range(len(self.boundary))
        )  # the shoelace formula, in square degrees
        if abs(twice) / 2 < MIN_BOUNDARY_DEG2:
            raise ValueError("boundary: the polygon encloses no area (its vertices lie on a line or repeat)")
        return self


def _census_kind(value: Any) -> str | None:
    """Which census entry a mapping is: a polygon when it gives a boundary, a box when it gives an
    edge; neither (a typo, not a mapping) is refused with CENSUS_ENTRY's message.
    """
    if isinstance(value, CensusBox | CensusBoundary):
        return type(value).__name__
    if not isinstance(value, dict):
        return None
    if "boundary" in value:
        return "CensusBoundary"
    return "CensusBox" if {"south", "north", "west", "east"} & set(value) else None


CENSUS_ENTRY = "a box {name, south, north, west, east} or a boundary {name, boundary: [[lat, lon], ...]}"
"""What a census entry must be (the message when it is neither)."""
MIN_BOUNDARY_DEG2 = 1e-8
"""A boundary enclosing less (about 100 square metres) encloses nothing a firm could be in."""


_UNION_TAGS = frozenset({"CensusBox", "CensusBoundary"})
"""The tags of the census entries' union (_census_kind): labels in an error's path, never keys."""

CensusEntry = Annotated[
    Annotated[CensusBox, Tag("CensusBox")] | Annotated[CensusBoundary, Tag("CensusBoundary")],
    Discriminator(_census_kind, custom_error_type="census_entry", custom_error_message=CENSUS_ENTRY),
]
"""One entry of a region's census area: a box or a boundary (ecosim.census.CensusArea holds them
all on the region's plane)."""


class Region(Strict):
    """The rectangle of the world the grid covers, and the part of it the figures count."""

    origin_lat: float = Field(ge=-90, le=90, description="latitude of the south-west corner, deg")
    origin_lon: float = Field(ge=-180, le=180, description="longitude of the south-west corner, deg")
    width_km: float = Field(gt=0, le=400, description="east-west extent, km")
    height_km: float = Field(gt=0, le=400, description="north-south extent, km")
    km_per_cell: float = Field(default=1.0, ge=0.25, le=10.0, description="edge of one grid cell, km")
    census: list[CensusEntry] = Field(
        default_factory=list,
        description="boxes or boundaries (polygons) of the area the source's cluster figures count "
        "(e.g. the cities of Boston and Cambridge); the census_* columns count firms inside any of "
        "them; empty: the whole region",
    )
    counted_apart: list[str] = Field(
        default_factory=list,
        description="names of census entries a figure counts alone (Cambridge's firms without "
        "Boston's): a run also counts firms and jobs inside each alone, in the columns "
        "firms_census[NAME], employment_census[NAME] and their _biopharma twins",
    )

    @property
    def width(self) -> int:
        """Number of grid columns."""
        return math.ceil(self.width_km / self.km_per_cell)

    @property
    def height(self) -> int:
        """Number of grid rows."""
        return math.ceil(self.height_km / self.km_per_cell)

    @model_validator(mode="after")
    def _parts_are_named_entries(self) -> Region:
        names = [area.name for area in self.census]
        for i, part in enumerate(self.counted_apart):
            if names.count(part) != 1:
                raise ValueError(
                    f"counted_apart[{i}]: {part!r} must name one census entry "
                    f"({names.count(part)} are named so; the entries: {', '.join(names) or 'none'})"
                )
            if part in self.counted_apart[:i]:
                raise ValueError(f"counted_apart[{i}]: {part!r} is named twice")
        return self

    @model_validator(mode="after")
    def _grid_within_limit(self) -> Region:
        cells = self.width * self.height
        if cells > MAX_GRID_CELLS:
            raise ValueError(
                f"km_per_cell: the grid would have {self.width:,} x {self.height:,} = {cells:,} cells, "
                f"more than {MAX_GRID_CELLS:,} (limits.MAX_GRID_CELLS); use larger cells or a smaller region"
            )
        return self

    def to_km(self, lat: float, lon: float) -> tuple[float, float]:
        """Project a WGS84 point onto the region's plane (equirectangular, km from origin)."""
        x = (lon - self.origin_lon) * KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(self.origin_lat))
        y = (lat - self.origin_lat) * KM_PER_DEG_LAT
        return x, y

    def to_latlon(self, x_km: np.ndarray, y_km: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The WGS84 points of km positions on the region's plane (the inverse of to_km)."""
        km_per_deg_lon = KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(self.origin_lat))
        return (
            self.origin_lat + np.asarray(y_km, dtype=float) / KM_PER_DEG_LAT,
            self.origin_lon + np.asarray(x_km, dtype=float) / km_per_deg_lon,
        )

    def census_km(self) -> list[tuple[float, float, float, float]]:
        """The census boxes on the region's plane, as (x0, x1, y0, y1) in km (a boundary's
        bounding box, for the boundaries).
        """
        boxes = []
        for area in self.census:
            if isinstance(area, CensusBox):
                x0, y0 = self.to_km(area.south, area.west)
                x1, y1 = self.to_km(area.north, area.east)
            else:
                xs, ys = zip(*(self.to_km(lat, lon) for lat, lon in area.boundary), strict=True)
                x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
            boxes.append((x0, x1, y0, y1))
        return boxes

    def census_parts(self) -> list[int]:
        """The indices of the census entries counted apart, in counted_apart's order."""
        names = [area.name for area in self.census]
        return [names.index(part) for part in self.counted_apart]

    def census_polygons_km(self) -> list[np.ndarray | None]:
        """Each census entry's polygon on the region's plane (vertices x, y in km, one a row), or
        None for a box (its bounds in census_km are the whole test).
        """
        return [
            None
            if isinstance(area, CensusBox)
            else np.array([self.to_km(lat, lon) for lat, lon in area.boundary], dtype=float)
            for area in self.census
        ]

    def to_cell(self, lat: float, lon: float) -> tuple[int, int] | None:
        """Grid cell of a point, or None when it lies outside the region."""
        x, y = self.to_km(lat, lon)
        col, row = math.floor(x / self.km_per_cell), math.floor(y / self.km_per_cell)
        if 0 <= col < self.width and 0 <= row < self.height:
            return col, row
        return None


Shift = Annotated[float, Field(ge=-1.0, le=1.0)]


class FactorShift(Strict):
    """A what-if on a whole timeline: an amount added to a factor at every date (the sum clipped
    to [0, 1]). It lets a sweep or a sensitivity analysis move a factor given as a timeline (San
    Diego's, 1978-2020) by the same span as one given as a level, keeping its history's shape.
    """

    hub_leadership: Shift = Field(default=0.0, description="added to hub leadership at every date")
    diverse_players: Shift = Field(default=0.0, description="added to diverse players at every date")
    cross_disciplinary_fusion: Shift = Field(default=0.0, description="added to fusion at every date")
    focused_projects: Shift = Field(default=0.0, description="added to focused projects at every date")
    information: Shift = Field(default=0.0, description="added to information at every date")


class Factors(Strict):
    """The five factors of a bio-community, each in [0, 1] or a timeline {year: value}.

    A timeline holds each value from its year on; before the first year the first value holds.
    ``shift`` moves a factor by an amount at every date.
    """

    hub_leadership: FactorValue = Field(
        default=0.0, description="leadership of a core (hub) organization, 0-1"
    )
    diverse_players: FactorValue = Field(
        default=0.0, description="pull on pharma, VCs, financiers, IT firms, hospitals, 0-1"
    )
    cross_disciplinary_fusion: FactorValue = Field(
        default=0.0, description="shared wet labs, biofoundries, coworking, bio x IT, 0-1"
    )
    focused_projects: FactorValue = Field(
        default=0.0, description="continuous, focused project and grant stream, 0-1"
    )
    information: FactorValue = Field(
        default=0.0, description="exhibitions, matching events, investor guidance, 0-1"
    )
    shift: FactorShift = Field(
        default_factory=FactorShift, description="amounts added to the factors at every date (what-ifs)"
    )

    @field_validator(*FACTOR_NAMES)
    @classmethod
    def _timeline_not_empty(cls, value: FactorValue) -> FactorValue:
        if isinstance(value, dict) and not value:
            raise ValueError("a timeline needs at least one {year: value} entry")
        return value

    def at(self, name: str, year: float) -> float:
        """Value of factor ``name`` in (decimal) ``year``."""
        value = getattr(self, name)
        if isinstance(value, dict):
            value = next(
                (value[start] for start in sorted(value, reverse=True) if start <= year), value[min(value)]
            )
        return float(min(1.0, max(0.0, value + getattr(self.shift, name))))


class Site(Strict):
    """Anything with a name and a place."""

    name: str = Field(min_length=1)
    lat: float = Field(ge=-90, le=90, description="latitude, deg (WGS84)")
    lon: float = Field(ge=-180, le=180, description="longitude, deg (WGS84)")


class Institution(Site):
    """A university, research institute or hospital."""

    kind: Literal["university", "research_institute", "hospital"]
    research_strength: float = Field(
        default=0.0,
        ge=0,
        le=5,
        description="life-science research output relative to a top research university (=1); read "
        "for universities and research institutes, whose discoveries found firms, not for a hospital "
        "(hospitals found no firms in the model)",
    )
    tech_transfer: Unit = Field(
        default=0.3,
        description="share of discoveries that are licensed (tech-transfer efficiency); not read "
        "for a hospital",
    )
    translational_capacity: Unit = Field(
        default=0.0,
        description="clinical/translational support for nearby startups, from the year the hospital "
        "opens; read for hospitals only",
    )
    talent_per_year: int = Field(
        default=0, ge=0, le=20000, description="trained life-science people entering the labour pool a year"
    )
    opened: Year | None = Field(default=None, description="year the institution opens, if inside the run")
    staff: int = Field(
        default=0,
        ge=0,
        le=100000,
        description="people working at the site; only the workforce_census column counts them, for "
        "figures that count everyone at a park (Kobe, King Skyfront, Shonan); 0: not in the figure",
    )


class Hub(Site):
    """A hub organization (MassBio, Biocom, CONNECT, LINK-J, Kobe's foundation, ...)."""

    founded: Year
    events_capacity: int = Field(default=100, ge=0, le=2000, description="events a year at full leadership")
    operates_site: bool = Field(
        default=False,
        description="the hub runs a park or building that outside companies move into (Kobe's "
        "foundation, King Skyfront, Shonan iPark, LINK-J): only such a hub draws their branches in",
    )


class Incubator(Site):
    """A shared lab, incubator, accelerator or coworking centre with seats for startups."""

    opened: Year
    seats: int = Field(ge=1, le=5000, description="startups it can host at once")
    kind: Literal["shared_lab", "incubator", "accelerator", "coworking"] = Field(
        default="shared_lab",
        description="what it is called; the model treats every kind alike (its seats, seed cheque "
        "and host act)",
    )
    host: str | None = Field(default=None, description="name of the pharma that runs it, if any")
    seed_cheque_musd: Money = Field(
        default=0.0,
        ge=0,
        le=10,
        description="non-dilutive or seed money per admitted startup, USD m at 2000 prices",
    )


class Pharma(Strict):
    """A pharmaceutical company, global or local, with or without a site in the region."""

    name: str = Field(min_length=1)
    rd_budget_musd: Money = Field(
        default=2000,
        gt=0,
        le=50000,
        description="global R&D budget, USD m a year at 2000 prices; recorded, read by no mechanism "
        "yet (its deals follow open_innovation)",
    )
    open_innovation: Unit = Field(default=0.5, description="propensity to partner with or buy startups")
    site: Site | None = Field(default=None, description="a local site present from `site_opened`")
    site_opened: Year | None = None
    site_headcount: int = Field(default=300, ge=1, le=20000, description="staff at the local site")
    active_from: Year | None = Field(
        default=None,
        description="year from which it partners with and buys the region's startups (a company "
        "acts in a market from the date it was there); default: the year its site opens, or the "
        "scenario's start when it has no site",
    )

    @model_validator(mode="after")
    def _site_has_year(self) -> Pharma:
        if self.site is not None and self.site_opened is None:
            raise ValueError("site_opened: required when a site is given")
        return self


class VentureCapital(Site):
    """A venture-capital firm with an office in or near the region."""

    founded: Year
    capital_musd: Money = Field(gt=0, le=20000, description="first fund size, USD m at 2000 prices")


class Anchor(Strict):
    """A historical founding event (Genentech 1976, Hybritech 1978, ...)."""

    name: str = Field(min_length=1)
    year: Year
    month: Month = 1
    institution: str | None = Field(default=None, description="institution whose technology it uses")
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    quality: Unit = Field(default=0.9, description="technology and team quality, 0-1")
    headcount: int = Field(default=5, ge=1, le=500)
    cash_musd: Money = Field(
        default=1.0, ge=0, le=1000, description="money raised at founding, USD m at 2000 prices"
    )
    founders: list[str] = Field(
        default_factory=list, description="their names, for the reader; not read by the model"
    )


EVENT_KINDS = ("acquisition", "closure", "listing", "product", "headcount", "independent")
"""Kinds of scripted event: a documented milestone of an anchor firm that the model follows
(mechanisms/history.py applies them)."""
ENDING_KINDS = frozenset({"acquisition", "closure"})
"""Events after which the firm is no longer a firm of its own: nothing of it can follow but, after
an acquisition, documented headcounts of the site its buyer kept it as (KEPT_KINDS)."""
KEPT_KINDS = frozenset({"headcount"})
"""Events that may follow an anchor's acquisition: the bought firm's documented staff under its
buyer, which keeps it as a site of its own (Genentech's 8,800 in San Mateo County under Roche,
2010; mechanisms/history.py)."""


class ScriptedEvent(Strict):
    """A documented milestone of an anchor firm that the model follows (scripted history).

    ``acquisition``: a pharma buys it (Lilly buys Hybritech in 1986); ``closure``: it closes;
    ``listing``: it lists on the date (Genentech, October 1980); ``product``: a product of its own
    reaches the market (Hybritech's first test kit, 1981); ``headcount``: it employs the documented
    staff at the date (Genentech's 893 in October 1985); ``independent``: it is documented to
    operate on its own at the date (Genentech through the 1980s). Until its last event the firm
    lives its documented life (mechanisms/history.py). A headcount after an acquisition is the
    bought firm's documented staff at the site its buyer kept it as.
    """

    year: Year
    month: Month = 1
    kind: Literal["acquisition", "closure", "listing", "product", "headcount", "independent"]
    target: str = Field(min_length=1, description="name of an anchor firm")
    acquirer: str | None = Field(default=None, description="pharma name (acquisitions)")
    price_musd: Money = Field(default=300, ge=0, le=100000, description="price paid, USD m at 2000 prices")
    headcount: int | None = Field(
        default=None, ge=1, le=100000, description="staff documented at the date (headcount events)"
    )

    @property
    def when(self) -> float:
        """The event's date as a decimal year (its month's start)."""
        return self.year + (self.month - 1) / 12.0

    @model_validator(mode="after")
    def _fields_of_its_kind(self) -> ScriptedEvent:
        if self.kind == "headcount" and self.headcount is None:
            raise ValueError("headcount: a headcount event gives the documented staff")
        if self.kind != "headcount" and self.headcount is not None:
            raise ValueError(f"headcount: only a headcount event gives one, this is {self.kind}")
        if self.kind != "acquisition" and self.acquirer is not None:
            raise ValueError(f"acquirer: only an acquisition names a buyer, this is {self.kind}")
        return self


Channel = Literal["projects", "shared_labs", "vc_fund", "events"]
"""What a policy's budget pays for (Policy.channel)."""


class Policy(Strict):
    """A policy: from `year` (to `end_year`) it raises factors and/or spends a budget.

    Each part acts through a named mechanism: `raises` lifts factors, `tech_transfer_delta`
    lifts licensing at every university (Bayh-Dole), and a budget is spent through `channel`.
    """

    name: str = Field(min_length=1)
    name_ja: str = Field(default="", description="the name in Japanese (--lang ja)")
    year: Year
    month: Month = 1
    end_year: Year | None = None
    raises: dict[FactorName, Annotated[float, Field(ge=-1, le=1)]] = Field(default_factory=dict)
    tech_transfer_delta: float = Field(default=0.0, ge=-1, le=1)
    budget_musd: Money = Field(default=0.0, ge=0, le=100000, description="total budget, USD m at 2000 prices")
    years: int = Field(
        default=10,
        ge=1,
        le=50,
        description="years over which the budget is spent (a vc_fund opens with the whole budget at its "
        "year)",
    )
    channel: Channel = Field(
        default="projects",
        description="what the budget pays for; the hubs spend shared_labs and events, so such a budget may "
        "not start before the first hub opens",
    )

    @model_validator(mode="after")
    def _end_after_start(self) -> Policy:
        if self.end_year is not None and self.end_year < self.year:
            raise ValueError(f"end_year: must be >= year ({self.year}), got {self.end_year}")
        return self


class Lever(Policy):
    """A policy that can be switched on and off (the GTB levers)."""

    enabled: bool = False
    description: str = ""
    short: str = Field(default="", description="a word or two for charts and reports (default: its key)")
    short_ja: str = Field(default="", description="the short label in Japanese")


EVENTS: Channel = "events"
SHARED_LABS: Channel = "shared_labs"
"""The policy channels the hubs spend (agents/hub.py: their events and their shared labs); typed as
channels, so that mypy refuses a name that is not one."""
HUB_CHANNELS = frozenset({EVENTS, SHARED_LABS})
"""Policy channels whose budget the hubs spend, so a budget on one needs an open hub."""


ADDED_UNSET_FIELDS = ("listing_market", "labour_mobility", "listing_market_share")
"""Scenario fields added after results were committed whose unset value (None) leaves a
scenario's digest as it was before the field existed (Scenario.digest)."""


class Scenario(Strict):
    """One cluster: its place, players, history, policies and five factors."""

    name: str = Field(min_length=1)
    name_ja: str = Field(default="", description="the name in Japanese (map titles, --lang ja)")
    description: str = ""
    start_year: Year
    end_year: Year
    region: Region
    factors: Factors = Field(default_factory=Factors)
    institutions: list[Institution] = Field(default_factory=list)
    hubs: list[Hub] = Field(default_factory=list)
    incubators: list[Incubator] = Field(default_factory=list)
    pharma: list[Pharma] = Field(default_factory=list)
    vcs: list[VentureCapital] = Field(default_factory=list)
    anchors: list[Anchor] = Field(default_factory=list)
    events: list[ScriptedEvent] = Field(default_factory=list)
    policies: list[Policy] = Field(default_factory=list)
    levers: dict[str, Lever] = Field(default_factory=dict)
    initial_firms: int = Field(
        default=0,
        ge=0,
        le=5000,
        description="life-science firms already present at start_year: device, diagnostics or service "
        "firms at initial_medtech_share, the others drug developers",
    )
    initial_medtech_share: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="the share of initial_firms that are device, diagnostics or service firms, from a count "
        "of the region's firms by what they do; none: the constant medtech_share",
    )
    initial_firm_max_staff: int | None = Field(
        default=None,
        ge=1,
        le=100000,
        description="the most staff a device or service firm among initial_firms has, where the count "
        "they stand for holds no larger firm (its sales-supported staff drawn below it); none: no bound "
        "but the constant medtech_size_max",
    )
    listing_market: str | None = Field(
        default=None,
        description="the country whose public market its companies list on, by the yearly biotech IPOs "
        "and private companies of src/ecosim/data/national_listings.csv (us, jp, uk); none: each company "
        "lists by its own odds alone (mechanisms/listing_market.py)",
    )
    listing_market_share: float | None = Field(
        default=None,
        ge=0.0,
        lt=1.0,
        description="the region's share of its country's private biotech companies, from a count "
        "independent of the model: the rest of the country bids for the listings with the country's "
        "private companies times one minus it (mechanisms/listing_market.py); none: 0, the region's "
        "companies taken as a small part of the country's",
    )
    labour_mobility: float | None = Field(
        default=None,
        gt=0.0,
        le=2.0,
        description="how readily people move into the region's life-science jobs, relative to the US "
        "(the Constants' movers are the US's): it scales the movers drawn by employment and by open "
        "posts (mechanisms/labour.py: turn_over); none: 1",
    )
    _stated_money: tuple[tuple[str, Stated], ...] = PrivateAttr(default=())

    @field_validator("listing_market")
    @classmethod
    def _known_market(cls, market: str | None) -> str | None:
        if market is not None and market not in listing_markets():
            raise ValueError(
                f"no series for {market!r}: one of {', '.join(listing_markets())}, or leave it out"
            )
        return market

    @model_validator(mode="after")
    def _share_needs_a_market(self) -> Scenario:
        if self.listing_market_share is not None and self.listing_market is None:
            raise ValueError(
                "listing_market_share: a share of the country's companies needs a listing_market"
            )
        return self

    @model_validator(mode="wrap")
    @classmethod
    def _remember_stated_money(cls, data: Any, handler: Any) -> Scenario:
        scenario = handler(data)
        if isinstance(data, dict):
            scenario._stated_money = tuple(stated_money(data))
        return scenario

    def stated_money(self) -> list[tuple[str, Stated]]:
        """The amounts the file stated in another currency or year, by field path (the model
        holds them converted to USD m at 2000 prices), for reports that show both.
        """
        return list(self._stated_money)

    @model_validator(mode="after")
    def _check_consistency(self) -> Scenario:
        if self.end_year <= self.start_year:
            raise ValueError(f"end_year: must be > start_year ({self.start_year}), got {self.end_year}")
        self._check_places()
        self._check_references()
        return self

    def _check_places(self) -> None:
        groups: list[tuple[str, list[Any]]] = [
            ("institutions", self.institutions),
            ("hubs", self.hubs),
            ("incubators", self.incubators),
            ("vcs", self.vcs),
        ]
        for group, items in groups:
            for i, site in enumerate(items):
                self._check_inside(f"{group}[{i}]", site.lat, site.lon)
        for i, pharma in enumerate(self.pharma):
            if pharma.site is not None:
                self._check_inside(f"pharma[{i}].site", pharma.site.lat, pharma.site.lon)
        width, height = self.region.width_km, self.region.height_km
        polygons = self.region.census_polygons_km()
        for i, (x0, x1, y0, y1) in enumerate(self.region.census_km()):
            outside = x1 <= 0 or y1 <= 0 or x0 >= width or y0 >= height
            vertices = polygons[i]
            if outside or (vertices is not None and not overlaps_box(vertices, width, height)):
                raise ValueError(f"region.census[{i}]: the area does not overlap the region")
        for i, anchor in enumerate(self.anchors):
            if (anchor.lat is None) != (anchor.lon is None):
                raise ValueError(f"anchors[{i}]: give both lat and lon, or neither")
            if anchor.lat is not None and anchor.lon is not None:
                self._check_inside(f"anchors[{i}]", anchor.lat, anchor.lon)

    def _check_inside(self, where: str, lat: float, lon: float) -> None:
        if self.region.to_cell(lat, lon) is None:
            x, y = self.region.to_km(lat, lon)
            raise ValueError(
                f"{where}.lat: ({lat}, {lon}) lies outside the region "
                f"({x:.1f} km east, {y:.1f} km north of its origin; the grid is "
                f"{self.region.width_km:g} x {self.region.height_km:g} km)"
            )

    def _check_unique_names(self) -> None:
        """Names are how history, hosts and reports find a player: two of a kind may not share one."""
        groups: list[tuple[str, list[Any]]] = [
            ("institutions", self.institutions),
            ("hubs", self.hubs),
            ("incubators", self.incubators),
            ("pharma", self.pharma),
            ("vcs", self.vcs),
            ("anchors", self.anchors),
        ]
        for group, items in groups:
            first: dict[str, int] = {}
            for i, item in enumerate(items):
                if item.name in first:
                    earlier = f"{group}[{first[item.name]}]"
                    name = excerpt(item.name)
                    raise ValueError(f"{group}[{i}].name: {name} is already the name of {earlier}")
                first[item.name] = i

    def _check_references(self) -> None:
        self._check_unique_names()
        institutions = {inst.name for inst in self.institutions}
        founded = {a.name: (a.year, a.month) for a in self.anchors}
        pharma = {p.name for p in self.pharma}
        for i, anchor in enumerate(self.anchors):
            if anchor.institution is not None and anchor.institution not in institutions:
                name = excerpt(anchor.institution)
                raise ValueError(f"anchors[{i}].institution: no institution named {name}")
            if anchor.institution is None and anchor.lat is None:
                raise ValueError(f"anchors[{i}]: needs an institution or lat/lon")
        for i, event in enumerate(self.events):
            if event.target not in founded:
                raise ValueError(f"events[{i}].target: no anchor firm named {excerpt(event.target)}")
            if (event.year, event.month) < founded[event.target]:
                year, month = founded[event.target]
                raise ValueError(
                    f"events[{i}].year: {event.year}-{event.month:02d} is before {excerpt(event.target)} "
                    f"is founded ({year}-{month:02d})"
                )
            self._check_sequence(i)
            if event.kind == "acquisition" and event.acquirer not in pharma:
                raise ValueError(f"events[{i}].acquirer: no pharma named {excerpt(event.acquirer)}")
            if event.kind == "acquisition":
                buyer = next(p for p in self.pharma if p.name == event.acquirer)
                if event.year < self.active_from(buyer):
                    raise ValueError(
                        f"events[{i}].year: {event.acquirer} acts in the region only from "
                        f"{self.active_from(buyer)} (pharma active_from), the event is in {event.year}"
                    )
        for i, inc in enumerate(self.incubators):
            if inc.host is not None and inc.host not in pharma:
                raise ValueError(f"incubators[{i}].host: no pharma named {excerpt(inc.host)}")
        self._check_hub_budgets()

    def _check_hub_budgets(self) -> None:
        """A budget spent through the hubs (HUB_CHANNELS) starts when a hub is open to spend it:
        before the first hub opens, nothing would spend it and it would be lost unsaid (London's
        Catapult money of 2010-2013, through shared labs, when its only hub opened in 2014).
        """
        first = min(self.hubs, key=lambda hub: hub.founded, default=None)
        # A lever that is off spends nothing (a sweep that turns it on loads the scenario again,
        # and is checked then).
        for where, policy in self.policies_in_force():
            if policy.channel not in HUB_CHANNELS or policy.budget_musd <= 0:
                continue
            if first is None:
                raise ValueError(
                    f"{where}.channel: {policy.channel} is spent through the hubs, and the scenario has none"
                )
            if policy.year < first.founded:
                raise ValueError(
                    f"{where}.year: its {policy.channel} budget is spent through the hubs from "
                    f"{policy.year}, before the first opens ({excerpt(first.name)}, {first.founded})"
                )

    def _check_sequence(self, i: int) -> None:
        """An anchor lists once, has one documented headcount a month, and nothing of it follows
        its closure, nor its sale but the documented headcounts of the site its buyer kept it as.
        """
        event = self.events[i]
        for j, other in enumerate(self.events[:i]):
            if other.target != event.target:
                continue
            if event.kind == other.kind == "listing":
                raise ValueError(f"events[{i}].kind: {excerpt(event.target)} already lists in events[{j}]")
            if event.kind == other.kind == "headcount" and event.when == other.when:
                raise ValueError(
                    f"events[{i}].month: {excerpt(event.target)} already has a headcount for "
                    f"{event.year}-{event.month:02d} (events[{j}])"
                )
            for first, later in ((other, event), (event, other)):
                sold = first.kind == "acquisition"
                kept = sold and later.kind in KEPT_KINDS and later.when > first.when
                ended_first = first.kind in ENDING_KINDS and later is not first and later.when >= first.when
                if ended_first and not kept:
                    ended, k = (j, i) if first is other else (i, j)
                    after_sale = "; only its headcounts under the buyer may follow" if sold else ""
                    raise ValueError(
                        f"events[{k}].year: {later.year}-{later.month:02d} is not before the "
                        f"{first.kind} of {excerpt(event.target)} (events[{ended}], "
                        f"{first.year}-{first.month:02d}){after_sale}"
                    )

    def active_from(self, pharma: Pharma) -> int:
        """Year from which ``pharma`` scouts the region (its active_from, else its site's
        opening, else the scenario's start).
        """
        if pharma.active_from is not None:
            return pharma.active_from
        if pharma.site_opened is not None:
            return max(pharma.site_opened, self.start_year)
        return self.start_year

    def named_places_km(self) -> list[tuple[float, float]]:
        """Every place the scenario names (institutions, hubs, incubators, VC offices, pharma
        sites, anchors with coordinates), in km on the region's plane.
        """
        points = [(s.lat, s.lon) for s in (*self.institutions, *self.hubs, *self.incubators, *self.vcs)]
        points += [(p.site.lat, p.site.lon) for p in self.pharma if p.site is not None]
        points += [(a.lat, a.lon) for a in self.anchors if a.lat is not None and a.lon is not None]
        return [self.region.to_km(lat, lon) for lat, lon in points]

    def existing_medtech_share(self, constant: float) -> float:
        """The share of ``initial_firms`` that are device, diagnostics or service firms: the
        scenario's, else ``constant`` (Constants.medtech_share).
        """
        return constant if self.initial_medtech_share is None else self.initial_medtech_share

    def policies_in_force(self) -> list[tuple[str, Policy]]:
        """Policies in force at some time, each with its field path (for an error message): every
        policy plus the enabled levers.
        """
        named = [(f"policies[{i}]", policy) for i, policy in enumerate(self.policies)]
        return named + [(f"levers.{key}", lever) for key, lever in self.levers.items() if lever.enabled]

    def active_policies(self) -> list[Policy]:
        """Policies in force at some time: every policy plus the enabled levers."""
        return [policy for _, policy in self.policies_in_force()]

    def digest(self) -> str:
        """SHA-256 of the resolved scenario (canonical JSON), to name it in manifests.

        A field added after results were made (ADDED_UNSET_FIELDS) is left out while unset, so the
        digest of a scenario that does not use it is the one those results' manifests record. A
        policy's Japanese name is a label that no run reads, so it is hashed as if unset (as every
        policy's was when those results were made): naming a policy in Japanese leaves the digest,
        and the runs stored under it, as they were. (The levers' Japanese names were hashed before
        this rule and stay so, keeping their scenarios' digests.)
        """
        data = self.model_dump(mode="json")
        for policy in data["policies"]:
            policy["name_ja"] = ""
        for name in ADDED_UNSET_FIELDS:
            if data.get(name) is None:
                data.pop(name, None)
        if not data["region"]["counted_apart"]:  # added after results were made, as those above
            del data["region"]["counted_apart"]
        text = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def stated_money(data: Any, path: str = "") -> list[tuple[str, Stated]]:
    """Every money field of a scenario mapping given as ``{amount, currency, year}``, with its path."""
    found: list[tuple[str, Stated]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            if str(key).endswith("_musd") and isinstance(value, dict) and set(value) == Stated.KEYS:
                found.append((where, Stated.parse(value)))
            else:
                found += stated_money(value, where)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += stated_money(value, f"{path}[{i}]")
    return found


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge ``override`` into ``base``: mappings merge recursively, anything else replaces."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML mapping within the limits, raising ScenarioError for anything else."""
    data = safe_yaml.read(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(path, "", f"must be a mapping of fields, got {type(data).__name__}")
    return data


Origins = dict[str, Path]
"""Field path ("region.width_km", "institutions") -> the file of an extends chain that set it."""


def _origins(data: dict[str, Any], path: Path, prefix: str = "") -> Origins:
    """The field paths of a file's mappings, each set by ``path`` (lists count as one value)."""
    found: Origins = {}
    for key, value in data.items():
        field = f"{prefix}.{key}" if prefix else str(key)
        found[field] = path
        if isinstance(value, dict):
            found.update(_origins(value, path, field))
    return found


def is_file(path: Path) -> bool:
    """Whether ``path`` names an existing file (False for a name no file system accepts)."""
    try:
        return path.is_file()
    except (OSError, ValueError):  # a NUL byte, a name too long
        return False


def resolve_with_origins(path: str | Path, _chain: tuple[Path, ...] = ()) -> tuple[dict[str, Any], Origins]:
    """Read a scenario file and everything it extends into one plain mapping, and say which
    file set each field.
    """
    path = Path(path)
    real = path.resolve()
    if real in _chain:
        cycle = " -> ".join(str(p) for p in (*_chain, real))
        raise ScenarioError(_chain[0], "extends", f"circular extends: {cycle}")
    if len(_chain) >= MAX_EXTENDS:
        message = f"a chain of more than {MAX_EXTENDS} files (limits.MAX_EXTENDS)"
        raise ScenarioError(_chain[0], "extends", message)
    data = read_yaml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data, _origins(data, path)
    if not isinstance(parent, str):
        raise ScenarioError(path, "extends", f"must be a file name, got {type(parent).__name__}")
    parent_path = path.parent / parent
    if not is_file(parent_path):
        raise ScenarioError(path, "extends", f"file not found: {parent_path}")
    base, origins = resolve_with_origins(parent_path, (*_chain, real))
    return deep_merge(base, data), {**origins, **_origins(data, path)}


def resolve(path: str | Path) -> dict[str, Any]:
    """Read a scenario file and everything it extends into one plain mapping."""
    return resolve_with_origins(path)[0]


def origin_of(field: str, origins: Origins) -> Path | None:
    """The file that set ``field`` or the nearest field above it (None: no file did)."""
    while field:
        if field in origins:
            return origins[field]
        cut = max(field.rfind("."), field.rfind("["))
        field = field[:cut] if cut > 0 else ""
    return None


_SUBPATH = re.compile(r"^(?P<sub>[A-Za-z_][\w.\[\]]*): (?P<msg>.*)$", re.DOTALL)


def _describe(error: dict[str, Any]) -> str:
    """Turn one pydantic error into a short sentence with the offending value."""
    ctx = error.get("ctx") or {}
    got = error.get("input")
    kind = error["type"]
    bounds = {
        "less_than_equal": f"must be <= {ctx.get('le')}",
        "less_than": f"must be < {ctx.get('lt')}",
        "greater_than_equal": f"must be >= {ctx.get('ge')}",
        "greater_than": f"must be > {ctx.get('gt')}",
    }
    if kind in bounds:
        return f"{bounds[kind]}, got {excerpt(got)}"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if error["loc"] and error["loc"][-1] == "[key]":  # a mapping's key, e.g. a timeline's year
        hint = " (a year is written 2019, not '2019')" if kind == "int_type" else ""
        return f"the key {excerpt(got)}: {error['msg'].lower()}{hint}"
    return f"{error['msg'].lower()}, got {excerpt(got)}"


_NO_KEY = object()


def _key_in(mapping: dict[Any, Any], item: Any) -> Any:
    """The key of ``mapping`` that an error location's step names, or _NO_KEY: pydantic gives a
    key it could not read as text (a year key 2018.5 comes back as "2018.5").
    """
    if item in mapping:
        return item
    return next((key for key in mapping if str(key) == str(item)), _NO_KEY)


def _field_path(loc: tuple[Any, ...], data: Any) -> str:
    """The user's path of an error location, without the labels pydantic adds for unions.

    The location is walked through the input: a step that is not in the data is a union
    label (e.g. "constrained-float"), except the last one, which names a missing or unknown key.
    """
    parts: list[str] = []
    current = data
    for position, item in enumerate(loc):
        last = position == len(loc) - 1
        key = _key_in(current, item) if isinstance(current, dict) else _NO_KEY
        if isinstance(current, list) and isinstance(item, int) and item < len(current):
            parts.append(f"[{item}]")
            current = current[item]
        elif key is not _NO_KEY:
            parts.append(("." if parts else "") + str(key))
            current = current[key]
        elif last and isinstance(current, dict) and item != "[key]" and item not in _UNION_TAGS:
            # A bad key: the message names it (a tag of ours ends the path of an entry's own check).
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def validate_mapping[M: BaseModel](model: type[M], data: dict[str, Any], path: str | Path) -> M:
    """Validate ``data`` against ``model``, turning the first error into a ScenarioError."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # Prefer a real complaint over union-branch noise ("input should be a valid dict").
        errors.sort(key=lambda e: e["type"] in {"dict_type", "float_type", "float_parsing"})
        first = errors[0]
        message = _describe(dict(first))
        field = _field_path(first["loc"], data)
        # Our own validators say "sub.path: message"; fold the sub-path into the field path.
        match = _SUBPATH.match(message) if first["type"] == "value_error" else None
        if match:
            field = ".".join(p for p in (field, match["sub"]) if p).replace(".[", "[")
            message = match["msg"]
        raise ScenarioError(path, field, message) from None


def load(path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load, resolve (``extends``) and validate a scenario file.

    Args:
        path: the YAML file.
        overrides: a mapping merged over the file's content before validation (a sweep arm).

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: naming the file and the field path of the first problem.
    """
    data, origins = resolve_with_origins(path)
    if overrides:
        data = deep_merge(data, overrides)
    try:
        return validate_mapping(Scenario, data, path)
    except ScenarioError as exc:
        source = origin_of(exc.field, origins)
        overridden = (
            bool(overrides)
            and overrides is not None
            and origin_of(exc.field, _origins(overrides, Path(path))) is not None
        )
        if source is None or source == Path(path) or overridden:
            raise
        raise ScenarioError(source, exc.field, f"{exc.message} (extended by {path})") from None
