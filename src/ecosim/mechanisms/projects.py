"""Continuous, focused projects: a persistent grant and research stream inside the region."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ecosim.agents.university import University
    from ecosim.model import BioclusterModel

RESEARCH_SHARE = 0.5
"""Share of the stream that funds research at institutions; the rest are startup grants."""
STRENGTH_PER_MUSD_YEAR = 1.0 / 400.0
"""Research strength bought by USD 1 m a year: a top research university (strength 1) spends
roughly USD 400 m a year on life-science research (assumption)."""
GRANT_MUSD = 0.5
"""Size of one non-dilutive project grant to a startup, USD m (assumption)."""


class ProjectStream:
    """The region's project money, with memory.

    The stream's level follows the focused-projects factor (and project-channel budgets)
    with a time constant of ``project_persistence_years``: a programme built up over years
    outlasts a one-year push, and a new one takes years to reach full strength.
    """

    def __init__(self, model: BioclusterModel) -> None:
        self.model = model
        self.level_musd_year = 0.0
        self.granted_musd = 0.0
        self.grants = 0

    def target_musd_year(self) -> float:
        """USD m a year the factor and the policies in force call for."""
        c = self.model.constants
        factor = self.model.factor("focused_projects") * c.project_budget_musd_year
        return factor + self.model.policy.budget("projects")

    def update(self) -> None:
        """Move the stream one month toward its target and pay this month's grants."""
        tau_months = self.model.constants.project_persistence_years * 12.0
        self.level_musd_year += (self.target_musd_year() - self.level_musd_year) / tau_months
        self.pay_grants()

    def research_boost(self, institution: University) -> float:
        """Research strength the stream adds to one institution (shared by strength)."""
        total = self.model.total_research_strength
        if total <= 0:
            return 0.0
        money = self.level_musd_year * RESEARCH_SHARE * institution.research_strength / total
        return money * STRENGTH_PER_MUSD_YEAR

    def pay_grants(self) -> None:
        """Grant this month's budget to young local startups, hub members first."""
        budget = self.level_musd_year * (1.0 - RESEARCH_SHARE) / 12.0
        count = int(self.model.rng.poisson(budget / GRANT_MUSD)) if budget > 0 else 0
        if count == 0:
            return
        table = self.model.companies
        rows = table.alive_rows()
        rows = rows[~table.columns["public"][rows] & (table.columns["stage_index"][rows] <= 1)]
        if not len(rows):
            return
        young = [table.firms[row] for row in rows.tolist()]
        weights = np.where(table.columns["hub_member"][rows], 2.0, 1.0)
        picks = self.model.rng.choice(
            len(young), size=min(count, len(young)), replace=False, p=weights / weights.sum()
        )
        for i in picks:
            young[i].receive(GRANT_MUSD)
            self.granted_musd += GRANT_MUSD
            self.grants += 1
