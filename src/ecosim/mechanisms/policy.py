"""The policy timeline: which policies and levers are in force, and what they add."""

from __future__ import annotations

from dataclasses import dataclass, field

from ecosim.scenario import Policy, Scenario


@dataclass
class PolicyState:
    """What the policies in force add this month, recomputed from the timeline each month.

    Attributes:
        raises: factor name -> amount added to the scenario's factor level.
        tech_transfer_delta: amount added to every university's licensing share.
        budgets: channel -> USD m a year being spent through it.
        in_force: names of the policies in force.
    """

    raises: dict[str, float] = field(default_factory=dict)
    tech_transfer_delta: float = 0.0
    budgets: dict[str, float] = field(default_factory=dict)
    in_force: list[str] = field(default_factory=list)

    @classmethod
    def at(cls, scenario: Scenario, year: float) -> PolicyState:
        """The state of every active policy and enabled lever in decimal ``year``."""
        state = cls()
        for policy in scenario.active_policies():
            start = starts(policy)
            if year < start or (policy.end_year is not None and year >= policy.end_year + 1):
                continue
            state.in_force.append(policy.name)
            for name, delta in policy.raises.items():
                state.raises[name] = state.raises.get(name, 0.0) + delta
            state.tech_transfer_delta += policy.tech_transfer_delta
            if policy.budget_musd > 0 and year < start + policy.years:
                spend = policy.budget_musd / policy.years
                state.budgets[policy.channel] = state.budgets.get(policy.channel, 0.0) + spend
        return state

    def budget(self, channel: str) -> float:
        """USD m a year spent through ``channel`` now."""
        return self.budgets.get(channel, 0.0)


def starts(policy: Policy) -> float:
    """Decimal year a policy starts."""
    return policy.year + (policy.month - 1) / 12.0
