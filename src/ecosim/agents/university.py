"""Universities and research institutes: discoveries, licences and trained talent."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents.site import Site
from ecosim.mechanisms import founding

if TYPE_CHECKING:
    from ecosim.model import BioclusterModel


class University(Site):
    """A university or research institute at a fixed site.

    Attributes:
        name: the institution's name.
        kind: "university" or "research_institute".
        research_strength: research output relative to a top research university (= 1).
        tech_transfer: share of discoveries licensed (before policy changes such as Bayh-Dole).
        talent_per_year: trained people entering the regional labour pool a year.
        discoveries: discoveries made so far.
        licences: discoveries licensed so far.
    """

    def __init__(
        self,
        model: BioclusterModel,
        *,
        name: str,
        kind: str,
        xy_km: np.ndarray,
        research_strength: float,
        tech_transfer: float,
        talent_per_year: int,
        staff: int = 0,
    ) -> None:
        super().__init__(model, name=name, xy_km=xy_km, staff=staff)
        self.kind = kind
        self.research_strength = research_strength
        self.tech_transfer = tech_transfer
        self.talent_per_year = talent_per_year
        self.discoveries = 0
        self.licences = 0

    def step(self) -> None:
        """One month: make discoveries, license them, spin some out (its graduates join the
        labour pool through mechanisms/labour.py: graduate).
        """
        for _ in range(self.make_discoveries()):
            if self.license_discovery():
                founding.academic_spinout(self.model, self)

    def discovery_rate(self) -> float:
        """Expected discoveries this month.

        Research money from focused projects and bio x IT convergence (fusion) add to the
        institution's own strength.
        """
        c = self.model.constants
        convergence = 1.0 + c.convergence_boost * self.model.factor("cross_disciplinary_fusion")
        funded = self.research_strength + self.model.projects.research_boost(self)
        return c.discovery_rate * funded * convergence / 12.0

    def make_discoveries(self) -> int:
        """Poisson number of licensable discoveries this month."""
        count = int(self.model.streams["discoveries"].poisson(self.discovery_rate()))
        self.discoveries += count
        return count

    def license_discovery(self) -> bool:
        """Tech transfer: license this discovery or not (policy such as Bayh-Dole raises the odds)."""
        share = min(1.0, max(0.0, self.tech_transfer + self.model.policy.tech_transfer_delta))
        licensed = self.random.random() < share
        self.licences += licensed
        return licensed
