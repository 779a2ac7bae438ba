"""What every firm of a region is: identity, place, staff, lineage and fate.

Four kinds of firm are present in a region: startups (the drug developers, and the listed and
large companies they grow into); device, diagnostics and service firms that live on sales; the
local R&D sites of pharma companies; and the branches of outside companies that a
park-operating hub draws in. Each is a class of its own (agents/startup.py, agents/medtech.py,
agents/pharma.py, agents/branch.py); this module holds what they share, so that no code has
to guess a firm's kind from the attributes it happens to have.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from mesa.discrete_space import CellAgent

from ecosim.agents.site import cell_at

if TYPE_CHECKING:
    from ecosim.model import BioclusterModel


class Origin(StrEnum):
    """How a firm came to be in the region."""

    ANCHOR = "anchor"
    """A historical founding the scenario scripts (Genentech, Hybritech)."""
    ACADEMIC = "academic"
    """Founded on a licensed university discovery."""
    SPINOUT = "spinout"
    """Founded by staff who left a firm of the region (Klepper)."""
    RELEASE = "release"
    """Founded by staff released by an acquisition or closure, or by a serial founder."""
    RELOCATION = "relocation"
    """A young company from outside that moved in: not a founding."""
    PREEXISTING = "preexisting"
    """Already in the region when the run starts."""
    PHARMA_SITE = "pharma_site"
    """The local R&D site a pharma company opened."""
    ACQUISITION = "acquisition"
    """The lab of a company bought by a buyer with no site here, run by the buyer as its unit
    (Hybritech under Lilly): not a new firm, the bought firm's people under a new owner."""
    BRANCH = "branch"
    """A branch of an outside company that a park-operating hub drew in."""


FOUNDING_ORIGINS = (Origin.ACADEMIC, Origin.SPINOUT, Origin.RELEASE, Origin.ANCHOR)
"""Origins that are new firms: the startups_founded column counts exactly these."""

CONTINUING_ORIGINS = frozenset({Origin.ACQUISITION})
"""Origins of a firm that is another's continuation, not a new firm: the unit a bought firm became
under its buyer, at its place with its people (Hybritech under Lilly, Genentech under Roche). It
stays in its lineage's tree (its leavers' firms descend from it), but a lineage's size does not
count it (lineage.Lineage.size, the run's largest lineage)."""

ENTRY_COUNTER: dict[Origin, str] = {
    **{origin: f"founded_{origin}" for origin in FOUNDING_ORIGINS},
    Origin.RELOCATION: "relocations",
    Origin.PHARMA_SITE: "pharma_sites_opened",
    Origin.ACQUISITION: "acquired_units",
    Origin.BRANCH: "branches_opened",
}
"""The ledger counter each origin is counted in when a firm enters the region (firms present
at the start are not an entry). The firm table and the ledger agree through this one map."""


class Fate(StrEnum):
    """Where a firm stands: still operating, or how it left."""

    ACTIVE = "active"
    """Operating (a private startup, a pharma site or a branch)."""
    LISTED = "listed"
    """Operating as a listed company after its IPO."""
    GROWN = "grown"
    """Operating as a large company (like Genentech)."""
    ACQUIRED = "acquired"
    """Bought; it no longer operates as a firm of its own."""
    FAILED = "failed"
    """Closed for lack of money."""
    CLOSED = "closed"
    """A site or branch its parent closed, or a device or service firm that closed or was sold
    and merged into its buyer."""


OPERATING = frozenset({Fate.ACTIVE, Fate.LISTED, Fate.GROWN})
"""Fates of a firm still operating in the region."""


def _also_in_other_table(name: str, doc: str) -> Any:
    """A firm's attribute that is also written to its row of the model's OtherFirmTable as it is
    set (the month reads the other firms' numbers there); a company's is its CompanyTable column
    instead (Startup).
    """
    private = f"_{name}"

    def read(firm: Firm) -> Any:
        return firm.__dict__[private]

    def write(firm: Firm, value: Any) -> None:
        firm.__dict__[private] = value
        if firm.other_row >= 0:
            firm.model.other_firm_table.write(firm.other_row, name, value)

    return property(read, write, doc=doc)


class Firm(CellAgent):
    """A firm of the region on the map.

    Attributes:
        firm_id: its id (the Mesa unique id).
        name: its name (anchors, sites and branches; empty for an unnamed startup).
        origin: how it came to be in the region (Origin).
        parent_id: the firm its founders left (spinouts), else None.
        lineage_root: the first ancestor of its family tree (itself when it has no parent).
        generation: 0 for a root, the parent's generation + 1 otherwise.
        xy_km: position, km from the region's south-west corner.
        in_census: whether it lies in the area the source's figures count.
        census_part: the part of that area counted apart it lies in (Region.counted_apart), -1
            for none.
        quality: quality in [0, 1] (team, technology; for a site its R&D staff's experience).
        headcount: staff now.
        peak_headcount: most staff it ever had.
        founded_year: decimal year it entered the region (or was founded, if before the run).
        fate: where it stands (Fate).
        fate_year: decimal year it left the region (None while it operates).
        spinouts: firms founded by people who left it.
    """

    kind: ClassVar[str] = "firm"
    """Label of the firm's kind in the firm table."""
    stage_label: ClassVar[str] = "site"
    """Its stage in the firm table (a startup's is its own stage)."""
    institution: str = ""
    """The university whose technology it licensed (academic foundings); empty otherwise."""
    parents_spinouts: ClassVar[bool] = True
    """Whether its staff leave to found firms (Klepper's spinout channel)."""

    def __init__(
        self,
        model: BioclusterModel,
        *,
        origin: Origin,
        xy_km: np.ndarray,
        quality: float,
        headcount: int,
        name: str = "",
        parent: Firm | None = None,
        founded_year: float | None = None,
    ) -> None:
        super().__init__(model)
        self.firm_id = self.unique_id
        self.name = name
        self.origin = Origin(origin)
        self.parent_id = parent.firm_id if parent is not None else None
        self.lineage_root: int = parent.lineage_root if parent is not None else self.firm_id
        self.generation: int = parent.generation + 1 if parent is not None else 0
        # The numbers the month reads of every firm that is not a company (OtherFirmTable):
        # its row first, which in_census and quality are written to as they are set.
        self.other_row = model.other_firm_table.add(self)
        self.xy_km = np.asarray(xy_km, dtype=float)
        self.cell = cell_at(model, self.xy_km)
        self.in_census = model.in_census(self.xy_km)
        self.census_part = model.census_part(self.xy_km)
        self.quality = min(max(float(quality), 0.01), 1.0)
        self.headcount: int = int(headcount)
        self.peak_headcount = self.headcount
        self.founded_step: int = model.month_step
        self.founded_year = model.year if founded_year is None else float(founded_year)
        self.fate = Fate.ACTIVE
        self.fate_year: float | None = None
        self.spinouts = 0
        model.register_firm(self)

    in_census = _also_in_other_table("in_census", "Whether it lies in the area the source's figures count.")
    census_part = _also_in_other_table(
        "census_part",
        "The part of the census area counted apart it lies in (Region.counted_apart), -1 for none.",
    )
    quality = _also_in_other_table("quality", "Its quality in [0, 1].")

    @property
    def active(self) -> bool:
        """Still operating in the region."""
        return self.fate in OPERATING

    @property
    def label(self) -> str:
        """Its name, or "firm N" when it has none."""
        return self.name or f"firm {self.firm_id}"

    @property
    def table_kind(self) -> str:
        """Its kind as the firm table shows it."""
        return self.kind

    @property
    def age_years(self) -> float:
        """Years since it entered the region."""
        return (self.model.month_step - self.founded_step) / 12.0

    def success(self) -> float:
        """How successful it looks to its staff, in (0, 1] (better parents spin out more)."""
        return 1.0

    def hire(self, wanted: int) -> int:
        """Hire up to ``wanted`` people from the regional labour pool; return the hires."""
        if wanted <= 0:
            return 0
        hired = self.model.labour.take(wanted, employer=self.unique_id)
        self.headcount += hired
        self.peak_headcount = max(self.peak_headcount, self.headcount)
        return hired

    def close(self, fate: Fate) -> None:
        """Record how it left and take it off the map."""
        self.fate = fate
        self.fate_year = self.model.year
        if self.other_row >= 0:
            self.model.other_firm_table.leave(self.other_row)
        self.remove()
