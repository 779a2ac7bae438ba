"""The round market: startups that need money meet VCs in reach.

Each month every seeking startup may close a round. Its chance rises with its quality and
with the money it can reach: the dry powder of each VC weighted by exp(-d / reach), where a
VC's reach is long (co-investment networks; Sorenson & Stuart 2001) but its local bias
favours companies near its office. Hub members reach further (events and matchmaking) and,
with information outreach, reach outside investors who have no office in the region.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from ecosim.agents.startup import Companies
from ecosim.agents.vc import capacity_left
from ecosim.mechanisms.proximity import decay, distances_km

if TYPE_CHECKING:
    from ecosim.agents.startup import Startup
    from ecosim.agents.vc import VentureCapital
    from ecosim.model import BioclusterModel


class Deal(NamedTuple):
    """One closed round: who led it, how far from the company, for how much (USD m)."""

    year: float
    firm_id: int
    stage: int
    size_musd: float
    lead: str
    lead_musd: float
    distance_km: float
    lead_x: float
    lead_y: float


def outside_budget_musd(model: BioclusterModel) -> float:
    """USD m that investors with no office in the region put into its rounds this month: a
    finite sum, so that outside money is shared among the seekers rather than met for each.
    """
    return model.constants.outside_capital_musd_year / 12.0 * model.factor("information")


def access(
    model: BioclusterModel, seekers: list[Startup], companies: Companies | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per seeker, the money it can reach and the weight of each VC as its lead.

    Outside investors are reached through information (more by hub members), and a company's
    earlier backers with no office in the region follow on; their money is finite
    (outside_budget_musd): when the seekers would draw more than it, each one's outside reach
    (new outside investors and outside backers alike) shrinks in proportion: capital bounds a
    cluster's growth.

    Args:
        model: the model.
        seekers: the companies looking for a round.
        companies: the same companies as a Companies, when the caller has them (clear_market).

    Returns:
        (reach, weights): reach[i] is the number of full rounds seeker i can reach (local
        VCs plus outside investors); weights[i, j] is VC j's pull as seeker i's lead.
    """
    c = model.constants
    vcs = model.vc_list
    companies = Companies.of(model, seekers) if companies is None else companies
    sizes = np.asarray(model.round_size(companies.stage_index))
    member = companies.hub_member.astype(float)
    info = model.factor("information")
    # Backers with no office in the region (the anchors' historical seed investors, outside
    # money that filled a round) follow on too, from the same outside money as new outside
    # investors: the reach of both is outside reach.
    insiders_outside = c.insider_follow_on * np.minimum(companies.outside_backers, 1)
    outside = c.outside_investor_access * info * (0.3 + 0.7 * member) + insiders_outside
    # Money the outside reach would put in this month (its rounds at low reach, times size).
    demand = float((outside * sizes).sum()) * c.pitch_efficiency
    budget = outside_budget_musd(model)
    if demand > budget:
        outside *= budget / demand
    if not vcs:
        return outside, np.zeros((len(seekers), 0))
    d = distances_km(model.companies.positions(companies.rows), model.vc_positions())
    # A hub member meets VCs at events: its effective reach grows with the hub's events.
    reach_scale = 1.0 + member * model.hub_event_intensity()
    local = decay(d, c.local_vc_reach_km * reach_scale[:, None])
    network = decay(d, c.vc_reach_km)
    dry = np.array([vc.dry_powder for vc in vcs])
    recent = np.fromiter((vc.recent_leads for vc in vcs), np.float64, len(vcs))
    free = np.asarray(capacity_left(recent, c.vc_leads_per_year))  # every fund's at once
    can_lead = np.minimum(1.0, dry[None, :] / (c.lead_share * sizes[:, None])) * free[None, :]
    weights = (0.5 * local + 0.5 * network) * can_lead
    # Insiders follow on: a VC already on the cap table backs the next round wherever it is.
    # (Each seeker and VC once: a seeker's investors are the keys of a dict.)
    index = {vc: j for j, vc in enumerate(vcs)}
    pairs = [
        (i, j)
        for i, seeker in enumerate(seekers)
        for investor in seeker.investors
        if (j := index.get(investor)) is not None
    ]
    if pairs:
        at = tuple(np.array(pairs).T)
        weights[at] = np.maximum(weights[at], c.insider_follow_on * can_lead[at])
    return weights.sum(axis=1) + outside, weights


def clear_market(model: BioclusterModel) -> None:
    """Close this month's rounds for private seekers and offerings for public companies.

    The private rounds that close this month close in a random order (a permutation drawn from
    model.rng): a fund that runs dry serves whichever rounds come first, and no company is
    favoured by its row.
    """
    table = model.companies
    rows = table.alive_rows()
    seeking, listed = table.columns["seeking"][rows], table.columns["public"][rows]
    seeker_rows = rows[seeking & ~listed]
    seekers = [table.firms[row] for row in seeker_rows.tolist()]
    for company in [table.firms[row] for row in rows[seeking & listed].tolist()]:
        if model.random.random() < model.constants.public_raise_odds * company.quality:
            company.receive(2.0 * model.round_size(-1))
    if not seekers:
        return
    c = model.constants
    companies = Companies(model, seeker_rows)
    reach, weights = access(model, seekers, companies)
    quality, doubt, stalled = companies.quality, companies.doubt, companies.stalled()
    odds = (1.0 - np.exp(-c.pitch_efficiency * reach)) * quality * c.setback_discount**doubt
    odds *= 1.0 - (1.0 - c.no_progress_discount) * stalled
    # The rounds close one after another and the funds they draw on are finite (a lead invests
    # what its fund has left): they close in an order drawn afresh each month, not in the
    # table's, which would serve the oldest rows first.
    closing = model.rng.permutation(np.flatnonzero(model.rng.random(len(seekers)) < odds))
    leads = draw_leads(model, weights[closing], model.vc_list)
    for i, lead in zip(closing.tolist(), leads, strict=True):
        close_round(model, seekers[i], lead)


def draw_leads(
    model: BioclusterModel, weights: np.ndarray, vcs: list[VentureCapital]
) -> list[VentureCapital | None]:
    """Each round's lead investor: one round per row of ``weights`` (each VC's pull, a column
    per VC of ``vcs``), the lead drawn in proportion to the pulls (as rng.choice with p, for
    every round at once); None for a round that no VC can lead.
    """
    leads: list[VentureCapital | None] = [None] * len(weights)
    if not weights.size:
        return leads
    cumulative = np.cumsum(weights, axis=1)
    led = np.flatnonzero(cumulative[:, -1] > 0)
    draws = model.rng.random(len(led)) * cumulative[led, -1]
    picks = (cumulative[led] <= draws[:, None]).sum(axis=1)  # searchsorted, side="right"
    for i, pick in zip(led.tolist(), picks.tolist(), strict=True):
        leads[i] = vcs[min(pick, len(vcs) - 1)]
    return leads


def close_round(model: BioclusterModel, startup: Startup, lead: VentureCapital | None) -> None:
    """A round at the startup's stage: ``lead`` (draw_leads) takes its share as far as its fund
    allows, and outside investors fill what local VCs cannot.
    """
    stage = startup.stage_index
    size = model.round_size(stage)
    startup.rounds += 1
    startup.milestones_at_last_round = startup.milestones
    lead_money = 0.0
    c = model.constants
    # The round sells a share of the company: every earlier holder keeps the rest of theirs, so
    # the stakes never add up to more than the company (undiluted, a seventh round's did).
    startup.dilute(c.round_dilution)
    # The company hires once, with the whole round in the bank: one post asked for once
    # (LabourPool counts the posts it cannot fill), the same hires as after each part.
    if lead is not None:
        lead_money = lead.invest(c.lead_share * size)
        startup.receive(lead_money, investor=lead, stake=c.round_dilution * lead_money / size, staff_up=False)
    if size - lead_money > 0:
        startup.receive(size - lead_money, staff_up=False)
        startup.outside_backers += 1
    startup.staff_up()
    model.ledger.add("vc_invested", size)
    if startup.in_census:
        # A figure of the census area's companies (Boston's VC money) counts their rounds alone.
        model.ledger.add("vc_invested_census", size)
    model.deals.append(
        Deal(
            year=model.year,
            firm_id=startup.firm_id,
            stage=stage,
            size_musd=size,
            lead=lead.name if lead is not None else "",
            lead_musd=lead_money,
            distance_km=_length(lead.xy_km - startup.xy_km) if lead is not None else np.nan,
            lead_x=float(lead.xy_km[0]) if lead is not None else np.nan,
            lead_y=float(lead.xy_km[1]) if lead is not None else np.nan,
        )
    )


def _length(vector: np.ndarray) -> float:
    """The length of a vector (numpy.linalg.norm's arithmetic, without its cost per call)."""
    return math.sqrt(vector.dot(vector))
