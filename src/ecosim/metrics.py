"""What a run reports: the reporters of the time-series metrics (declared in
ecosim.metric_registry), the firm table, the lineage graph, a summary.
"""

from __future__ import annotations

import functools
import math
import types
from collections.abc import Callable
from contextvars import ContextVar
from copy import deepcopy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd
from mesa.datacollection import DataCollector

from ecosim import exit_timing, metric_registry
from ecosim.agents.firm import CONTINUING_ORIGINS, ENTRY_COUNTER, FOUNDING_ORIGINS, Origin
from ecosim.agents.medtech import Medtech
from ecosim.agents.startup import Startup
from ecosim.mechanisms import funding

if TYPE_CHECKING:
    from ecosim.agents.firm import Firm
    from ecosim.model import BioclusterModel

CHANNELS = ("academic", "spinout", "release")
"""The founding channels (anchors, scripted history, aside)."""
SITE_KINDS = ("pharma_site", "branch")
"""Firm kinds that are sites of established companies, not founded companies."""
NOT_STARTUP_KINDS = (*SITE_KINDS, Medtech.kind)
"""Firm kinds that are not startups (drug developers and the listed and large companies they
become): the sites of established companies, and device and service firms."""
CONCENTRATION_BLOCK_KM = 10.0
"""Edge of the blocks of the spatial-concentration measure (share of firms in the densest)."""


def step(model: BioclusterModel) -> int:
    """Months since the start, 1 for the first month."""
    return model.steps


def year(model: BioclusterModel) -> float:
    """Decimal calendar year of the month."""
    return round(model.year, 4)


def firms_active(model: BioclusterModel) -> int:
    """Life-science companies active in the region (startups, grown firms, device and service
    firms, pharma sites and branches).
    """
    return model.count_active_firms()


def startups_active(model: BioclusterModel) -> int:
    """Active private drug developers (not listed, not grown; device and service firms are
    counted by firms_active).
    """
    return model.companies.count() - firms_listed(model)


def firms_listed(model: BioclusterModel) -> int:
    """Drug developers listed after an IPO and still operating in the region (grown ones
    included): the stock the listings fill and the acquisitions and failures of listed companies
    empty.
    """
    return model.companies.count("public")


def startups_founded(model: BioclusterModel) -> int:
    """New firms founded this month, drug developers and device or service firms, all channels
    and anchors (relocations are not foundings).
    """
    return sum(_founded(model, origin) for origin in FOUNDING_ORIGINS)


def _founded(model: BioclusterModel, origin: Origin) -> int:
    return int(model.ledger.month[ENTRY_COUNTER[origin]])


def founded_academic(model: BioclusterModel) -> int:
    """Academic spinouts founded this month."""
    return _founded(model, Origin.ACADEMIC)


def founded_spinout(model: BioclusterModel) -> int:
    """Employee spinouts founded this month."""
    return _founded(model, Origin.SPINOUT)


def founded_release(model: BioclusterModel) -> int:
    """Firms founded this month by released staff and serial founders."""
    return _founded(model, Origin.RELEASE)


def founded_anchor(model: BioclusterModel) -> int:
    """Scripted anchor firms founded this month."""
    return _founded(model, Origin.ANCHOR)


def relocations(model: BioclusterModel) -> int:
    """Young companies from outside that moved into the region this month (not foundings)."""
    return int(model.ledger.month[ENTRY_COUNTER[Origin.RELOCATION]])


def exits_acquired(model: BioclusterModel) -> int:
    """Startups acquired this month."""
    return int(model.ledger.month["exits_acquired"])


def exits_ipo(model: BioclusterModel) -> int:
    """IPOs this month."""
    return int(model.ledger.month["exits_ipo"])


def failures(model: BioclusterModel) -> int:
    """Startups that closed this month."""
    return int(model.ledger.month["failures"])


def partnerships(model: BioclusterModel) -> int:
    """Pharma-startup partnerships signed this month."""
    return int(model.ledger.month["partnerships"])


@dataclass(frozen=True)
class OtherFirms:
    """What the reporters count of the firms that are not companies of the CompanyTable (pharma
    sites, branches, device and service firms; BioclusterModel.other_firms), in one pass.

    Attributes:
        staff: their staff.
        census_staff: the staff of those inside the census area.
        census_firms: how many are inside the census area.
        device_staff: the staff of the device and service firms among them.
        census_device_staff: the staff of the device and service firms inside the census area.
        census_devices: how many device and service firms are inside the census area.
    """

    staff: int
    census_staff: int
    census_firms: int
    device_staff: int = 0
    census_device_staff: int = 0
    census_devices: int = 0

    @classmethod
    def of(cls, model: BioclusterModel) -> OtherFirms:
        """Count the other firms of ``model`` now: their kinds and places read from their table
        (OtherFirmTable), their staff from each firm.
        """
        table = model.other_firm_table
        rows, firms = table.operating()
        staff = table.headcount(firms)
        census = table.columns["in_census"][rows]
        device = table.columns["device"][rows]
        census_device = census & device
        return cls(
            staff=int(staff.sum()),
            census_staff=int(staff[census].sum()),
            census_firms=int(np.count_nonzero(census)),
            device_staff=int(staff[device].sum()),
            census_device_staff=int(staff[census_device].sum()),
            census_devices=int(np.count_nonzero(census_device)),
        )


_COLLECTION: ContextVar[dict[int, OtherFirms] | None] = ContextVar("collection", default=None)
"""The other firms' counts of each model, kept while MonthlyCollector.collect calls the reporters
(None outside a collection)."""


def other_firm_counts(model: BioclusterModel) -> OtherFirms:
    """The other firms' counts now: counted once for the reporters of one collection (five of
    them read them, and no reporter changes a firm), counted afresh outside one.
    """
    kept = _COLLECTION.get()
    if kept is None:
        return OtherFirms.of(model)
    counts = kept.get(id(model))
    if counts is None:
        counts = kept[id(model)] = OtherFirms.of(model)
    return counts


def _staff(model: BioclusterModel, census: bool) -> int:
    """Staff of the active firms (inside the census area only, when ``census``)."""
    table = model.companies
    chosen = table.column("alive")
    if census:
        chosen = chosen & table.column("in_census")
    others = other_firm_counts(model)
    return int(table.column("headcount")[chosen].sum()) + (others.census_staff if census else others.staff)


def employment(model: BioclusterModel) -> int:
    """Staff of all active companies, device and service firms, pharma sites and branches."""
    return _staff(model, census=False)


def firms_census(model: BioclusterModel) -> int:
    """Active firms inside the scenario's census area: the count the source's figure makes
    (the whole region when the scenario names no census area).
    """
    return model.companies.count("in_census") + other_firm_counts(model).census_firms


def employment_census(model: BioclusterModel) -> int:
    """Staff of the active firms inside the scenario's census area."""
    return _staff(model, census=True)


def firms_active_biopharma(model: BioclusterModel) -> int:
    """Active drug developers (startups, listed and grown companies), pharma sites and branches:
    the firms a narrow count of biotech or biopharma firms counts (device and service firms not).
    """
    return model.count_active_firms() - model.count_of(Medtech)


def firms_census_biopharma(model: BioclusterModel) -> int:
    """Drug developers, pharma sites and branches inside the census area (firms_census without the
    device and service firms).
    """
    return firms_census(model) - other_firm_counts(model).census_devices


def employment_biopharma(model: BioclusterModel) -> int:
    """Staff of the active drug developers, pharma sites and branches (employment without the
    device and service firms' staff).
    """
    return _staff(model, census=False) - other_firm_counts(model).device_staff


def employment_census_biopharma(model: BioclusterModel) -> int:
    """Staff of the drug developers, pharma sites and branches inside the census area."""
    return _staff(model, census=True) - other_firm_counts(model).census_device_staff


def organizations_census(model: BioclusterModel) -> int:
    """Firms plus institutions and hub bodies in the census area: the "companies and
    organizations" the Japanese parks count (Kobe's 369, King Skyfront's 69).
    """
    sites = model.institutions + model.hubs
    return firms_census(model) + sum(1 for site in sites if site.in_census)


def workforce_census(model: BioclusterModel) -> int:
    """Everyone working in the census area: firms' staff plus the staff of institutions."""
    return employment_census(model) + sum(i.staff for i in model.institutions if i.in_census)


def vc_invested(model: BioclusterModel) -> float:
    """USD m invested in rounds this month."""
    return round(float(model.ledger.month["vc_invested"]), 6)


def vc_invested_census(model: BioclusterModel) -> float:
    """USD m invested this month in rounds of companies inside the census area (the whole region
    when the scenario names none): the money a figure of the census area's companies counts.
    """
    return round(float(model.ledger.month["vc_invested_census"]), 6)


def vcs(model: BioclusterModel) -> int:
    """VC offices in the region."""
    return len(model.vc_list)


def pharma_sites(model: BioclusterModel) -> int:
    """Pharma sites in the region (branches not included)."""
    return len(model.pharma_sites)


def branches(model: BioclusterModel) -> int:
    """Branches of outside companies that hubs drew into the region."""
    return len(model.branches)


def hub_members(model: BioclusterModel) -> int:
    """Hub members: active firms of the region plus member organizations from outside."""
    return model.companies.count("hub_member") + sum(h.outside_members for h in model.hubs)


def members_by_hub(model: BioclusterModel) -> dict[str, int]:
    """Each hub's own members: the region's active firms it recruited and its outside members
    (hub_members sums them over the hubs; a source may count one hub's, like MassBio's).
    """
    table = model.companies
    joined = table.column("member_of")[table.column("alive")]
    return {h.name: int((joined == h.unique_id).sum()) + h.outside_members for h in model.hubs}


def tenants_by_incubator(model: BioclusterModel) -> dict[str, int]:
    """Each incubator's tenants (incubator_tenants sums them; a source may count one, like JLABS's)."""
    return {i.name: len(i.tenants) for i in model.incubators}


def hub_events(model: BioclusterModel) -> int:
    """Hub events held this month."""
    return int(model.ledger.month["hub_events"])


def incubator_tenants(model: BioclusterModel) -> int:
    """Startups in an incubator or shared-lab seat."""
    return model.companies.count("seated")


def largest_lineage(model: BioclusterModel) -> int:
    """Firms ever founded in the largest family tree (root included)."""
    return model.largest_lineage


def spatial_concentration(model: BioclusterModel) -> float:
    """Share of active companies in the densest 10 x 10 km block of the region."""
    table = model.companies
    rows = table.alive_rows()
    if not len(rows):
        return 0.0
    # Companies do not move: each one's block is found once (CompanyTable.placed).
    key = ("concentration_block", CONCENTRATION_BLOCK_KM, model.size_km)
    cells = table.placed(key, lambda new: _blocks(model, new), rows)
    return round(float(np.bincount(cells[cells >= 0]).max(initial=0) / len(rows)), 4)


def _blocks(model: BioclusterModel, rows: np.ndarray) -> np.ndarray:
    """The block of each company of ``rows`` (-1 outside the region), numbered as the cells of
    numpy.histogram2d(range=((0, width), (0, height))), whose counts it stands for without its
    cost each month: the last edge belongs to the last block, points outside belong to none.
    """
    table = model.companies
    cells = np.zeros(len(rows), dtype=np.int64)
    inside = np.ones(len(rows), dtype=bool)
    for axis, extent in zip(("x_km", "y_km"), model.size_km, strict=True):
        bins, edges = _block_edges(extent)
        at = table.columns[axis][rows]
        block = np.searchsorted(edges, at, side="right") - 1
        block[at == edges[-1]] = bins - 1
        inside &= (block >= 0) & (block < bins)
        cells = cells * bins + block
    return np.where(inside, cells, -1)


@functools.cache
def _block_edges(extent: float) -> tuple[int, np.ndarray]:
    """The number of blocks along an edge of the region ``extent`` km long, and their edges
    (numpy.histogram2d's), made once for each extent (read-only).
    """
    bins = max(1, int(np.ceil(extent / CONCENTRATION_BLOCK_KM)))
    edges = np.linspace(0, extent, bins + 1)
    edges.flags.writeable = False
    return bins, edges


MODEL_REPORTERS: dict[str, Callable[[BioclusterModel], Any]] = {
    name: globals()[name] for name in metric_registry.TIMESERIES
}
"""The data collector's reporters: one function above per time-series metric of
ecosim.metric_registry, named after it, in the registry's order."""

_AS_IS = frozenset({int, float, bool, str})
"""Types of value that deepcopy returns as they are (immutable)."""


def part_reporters(model: BioclusterModel) -> dict[str, Callable[[BioclusterModel], int]]:
    """The reporters of the census parts the scenario counts apart (Region.counted_apart): for
    each, the firms and their staff inside it, of every kind and of the drug industry alone
    (metric_registry.PART_METRICS), in columns named by metric_registry.part_column.
    """
    reporters: dict[str, Callable[[BioclusterModel], int]] = {}
    for place, name in enumerate(model.cluster.region.counted_apart):
        for metric in metric_registry.PART_METRICS:
            staff, drugs = metric.startswith("employment"), metric.endswith(metric_registry.BIOPHARMA)

            def report(
                m: BioclusterModel, place: int = place, staff: bool = staff, drugs: bool = drugs
            ) -> int:
                return in_part(m, place, staff, drugs)

            reporters[metric_registry.part_column(metric, name)] = report
    return reporters


def in_part(model: BioclusterModel, place: int, staff: bool, drugs_only: bool) -> int:
    """Operating firms (or, with ``staff``, their staff) inside the census part at ``place`` of
    Region.counted_apart: every kind, or (``drugs_only``) drug developers, pharma sites and
    branches without the device and service firms, as the census columns count them.
    """
    table = model.companies
    chosen = table.column("alive") & (table.column("census_part") == place)
    count = int(table.column("headcount")[chosen].sum()) if staff else int(np.count_nonzero(chosen))
    others = model.other_firm_table
    rows, firms = others.operating()
    inside = others.columns["census_part"][rows] == place
    if drugs_only:
        inside &= ~others.columns["device"][rows]
    if staff:
        return count + int(others.headcount(firms)[inside].sum())
    return count + int(np.count_nonzero(inside))


class MonthlyCollector(DataCollector):
    """Mesa's DataCollector of MODEL_REPORTERS, without its deepcopy of every number it records.

    DataCollector.collect deep-copies every reporter's value each month, so that a mutable value
    is not shared between months; deepcopy returns an int or a float as it is, at the cost of a
    look-up in its dispatch table. Every reporter here returns an int or a float, so the months
    recorded are the same values (the same column lists, the same data frame), without the
    copies; a value of another type is still copied. Mesa's collect still makes the first
    collection (it validates the reporters) and any with agent reporters.
    """

    def collect(self, model: Any) -> None:
        """Record this month's value of every model reporter (DataCollector.collect)."""
        plain = all(isinstance(r, types.FunctionType) for r in self.model_reporters.values())
        if not (self._validated and plain) or self.agent_reporters or self.agenttype_reporters:
            super().collect(model)
            return
        if hasattr(self, "_collection_steps"):  # as DataCollector.collect
            self._collection_steps.append(model.time)
        model_vars = self.model_vars
        kept = _COLLECTION.set({})  # the other firms counted once for this collection
        try:
            for var, reporter in self.model_reporters.items():
                value = reporter(model)
                model_vars[var].append(value if type(value) in _AS_IS else deepcopy(value))
        finally:
            _COLLECTION.reset(kept)


def firm_table(model: BioclusterModel) -> pd.DataFrame:
    """One row per firm ever present in the region."""
    table = pd.DataFrame([_firm_row(f) for f in model.firms], columns=FIRM_COLUMNS)
    table["parent_id"] = table["parent_id"].astype("Int64")
    return table


FIRM_COLUMNS = (
    "firm_id",
    "name",
    "kind",
    "founded_year",
    "origin",
    "parent_id",
    "lineage_root",
    "generation",
    "x",
    "y",
    "fate",
    "fate_year",
    "listed_year",
    "peak_headcount",
    "total_raised",
    "quality",
    "stage",
    "headcount",
    "spinouts",
    "institution",
    "acquirer",
)
"""Columns of the firm table, in order."""


def _firm_row(f: Firm) -> dict[str, Any]:
    startup = f if isinstance(f, Startup) else None
    return {
        "firm_id": f.firm_id,
        "name": f.name if startup is None or f.origin == Origin.ANCHOR else "",
        "kind": f.table_kind,
        "founded_year": round(float(f.founded_year), 4),
        "origin": str(f.origin),
        "parent_id": f.parent_id,
        "lineage_root": f.lineage_root,
        "generation": f.generation,
        "x": round(float(f.xy_km[0]), 3),
        "y": round(float(f.xy_km[1]), 3),
        "fate": str(f.fate),
        "fate_year": round(float(f.fate_year), 4) if f.fate_year is not None else None,
        "listed_year": (
            round(float(startup.listed_year), 4)
            if startup is not None and startup.listed_year is not None
            else None
        ),
        "peak_headcount": f.peak_headcount,
        "total_raised": round(startup.total_raised, 4) if startup is not None else 0.0,
        "quality": round(f.quality, 4),
        "stage": startup.stage if startup is not None else f.stage_label,
        "headcount": f.headcount if f.active else 0,
        "spinouts": f.spinouts,
        "institution": f.institution,
        "acquirer": startup.acquirer if startup is not None else "",
    }


def deal_table(model: BioclusterModel) -> pd.DataFrame:
    """One row per closed round: year, firm, stage, size, lead VC, its money, distance, place."""
    table = pd.DataFrame(model.deals, columns=funding.Deal._fields)
    return table.round({"year": 4, "lead_musd": 4, "distance_km": 3, "lead_x": 3, "lead_y": 3})


def lineage_graph(model: BioclusterModel) -> nx.DiGraph:
    """Family trees of every firm: an edge runs from a parent to each of its spinouts."""
    graph = nx.DiGraph()
    for f in model.firms:
        graph.add_node(
            f.firm_id,
            name=f.name,
            kind=f.table_kind,
            origin=str(f.origin),
            generation=f.generation,
            lineage_root=f.lineage_root,
            founded_year=round(float(f.founded_year), 4),
            fate=str(f.fate),
        )
        if f.parent_id is not None:
            graph.add_edge(f.parent_id, f.firm_id)
    return graph


def lineage_sizes(firms: pd.DataFrame) -> pd.Series:
    """Number of firms in each lineage, largest first, indexed by root id (a bought firm's unit
    under its buyer, CONTINUING_ORIGINS, is not one more firm).
    """
    counted = firms[~firms["origin"].isin([str(o) for o in CONTINUING_ORIGINS])]
    return counted.groupby("lineage_root").size().sort_values(ascending=False, kind="stable")


def summary(model: BioclusterModel, timeseries: pd.DataFrame, firms: pd.DataFrame) -> dict[str, Any]:
    """Headline numbers of a run.

    ``end_year`` is the model's time at the last month simulated, a decimal year (1990.9167 is
    December 1990), which the readers of a run's end take it as (a firm's age at the end in
    experiments/stylized_facts.py); ``last_month`` says the same month as a date, ``1990-12``.
    ``startups_founded`` is the sum of the four ``founded_*`` counts (the three channels and the
    scripted anchors).
    """
    last = timeseries.iloc[-1] if len(timeseries) else None
    end_year = float(last["year"]) if last is not None else model.year
    year, month = divmod(round(end_year * 12), 12)  # the year column steps by 1/12 from January
    founded = firms[firms["origin"].isin([str(o) for o in FOUNDING_ORIGINS])]
    sizes = lineage_sizes(firms) if len(firms) else pd.Series(dtype=int)
    root = int(sizes.index[0]) if len(sizes) else None
    root_name = ""
    if root is not None:
        names = firms.loc[firms["firm_id"] == root, "name"]
        root_name = str(names.iloc[0]) if len(names) else ""
    spinouts = founded[founded["origin"].isin([Origin.SPINOUT, Origin.RELEASE])]
    return {
        "scenario": model.cluster.name,
        "start_year": model.cluster.start_year,
        "end_year": end_year,
        "last_month": f"{year}-{month + 1:02d}",
        "months": int(model.steps),
        "firms_active": int(last["firms_active"]) if last is not None else 0,
        "startups_active": int(last["startups_active"]) if last is not None else 0,
        "employment": int(last["employment"]) if last is not None else 0,
        "pharma_sites": int(last["pharma_sites"]) if last is not None else 0,
        "hub_members": int(last["hub_members"]) if last is not None else 0,
        "vcs": int(last["vcs"]) if last is not None else 0,
        "startups_founded": int(timeseries["startups_founded"].sum()),
        **{f"founded_{c}": int(timeseries[f"founded_{c}"].sum()) for c in (*CHANNELS, "anchor")},
        "relocations": int(timeseries["relocations"].sum()),
        "exits_acquired": int(timeseries["exits_acquired"].sum()),
        "exits_ipo": int(timeseries["exits_ipo"].sum()),
        "failures": int(timeseries["failures"].sum()),
        "vc_invested_musd": round(float(timeseries["vc_invested"].sum()), 3),
        "largest_lineage": int(sizes.iloc[0]) if len(sizes) else 0,
        "largest_lineage_root": root_name or (f"firm {root}" if root is not None else ""),
        "max_generation": int(firms["generation"].max()) if len(firms) else 0,
        "spinout_share": round(len(spinouts) / len(founded), 4) if len(founded) else 0.0,
        "hub_members_by_name": members_by_hub(model),
        "incubator_tenants_by_name": tenants_by_incubator(model),
        **exit_timing_of(firms),
    }


def exit_timing_of(firms: pd.DataFrame) -> dict[str, float | None]:
    """Median years from founding to each kind of exit over its reference's window of exits
    (exit_timing.references), None without such an exit (JSON has no NaN).
    """
    timing = {}
    for ref in exit_timing.references():
        years = exit_timing.median_years(firms, ref) if len(firms) else math.nan
        timing[ref.metric] = None if math.isnan(years) else round(years, 4)
    return timing
