"""Continuous, focused projects: a persistent grant and research stream inside the region."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ecosim.agents.university import University
    from ecosim.model import BioclusterModel


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
        c = self.model.constants
        money = self.level_musd_year * c.research_share * institution.research_strength / total
        # Times the strength USD 1 m buys: money / 400 would round differently.
        return money * (1.0 / c.research_musd_per_strength)

    def pay_grants(self) -> None:
        """Grant this month's budget to young local startups, hub members first."""
        c = self.model.constants
        budget = self.level_musd_year * (1.0 - c.research_share) / 12.0
        count = int(self.model.rng.poisson(budget / c.grant_musd)) if budget > 0 else 0
        if count == 0:
            return
        table = self.model.companies
        rows = table.alive_rows()
        rows = rows[~table.columns["public"][rows] & (table.columns["stage_index"][rows] <= 1)]
        if not len(rows):
            return
        weights = np.where(table.columns["hub_member"][rows], 2.0, 1.0)
        picks = self.model.rng.choice(
            len(rows), size=min(count, len(rows)), replace=False, p=weights / weights.sum()
        )
        for row in rows[picks].tolist():  # the companies picked, without a list of every one
            table.firms[row].receive(c.grant_musd)
            self.granted_musd += c.grant_musd
            self.grants += 1
