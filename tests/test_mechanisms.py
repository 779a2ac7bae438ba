"""Rules on tiny hand-built worlds, with exact expectations."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from helpers import EMPTY, TINY, empty_world, startup

from ecosim import metrics
from ecosim.agents import Branch, HubOrganization, Incubator, Pharma, VentureCapital
from ecosim.agents.firm import Fate, Origin
from ecosim.agents.incubator import SeatRule
from ecosim.agents.medtech import Medtech
from ecosim.constants import Constants
from ecosim.mechanisms import arrival, deals, exits, founding, funding
from ecosim.mechanisms.labour import LabourPool
from ecosim.mechanisms.policy import PolicyState
from ecosim.mechanisms.proximity import decay, distances_km
from ecosim.model import BioclusterModel
from ecosim.scenario import load


def test_distance_and_decay_are_exact():
    d = distances_km(np.array([[0.0, 0.0]]), np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert d.tolist() == [[5.0, 0.0]]
    assert decay(208.0, 208.0) == pytest.approx(np.exp(-1))
    # Sorenson & Stuart: twice the investment at 10 miles as at 100 miles.
    ten, hundred = decay(16.09, 208.0), decay(160.9, 208.0)
    assert ten / hundred == pytest.approx(2.0, rel=0.01)


def test_labour_pool_hires_only_people_who_are_there():
    pool = LabourPool(10)
    assert pool.take(4) == 4 and pool.people == 6
    assert pool.take(26) == 6  # nobody out of thin air (on 12cc608: 6 + a quarter of the 20 missing)
    assert pool.people == 0 and pool.take(5) == 0
    pool.release(7)
    assert pool.people == 7 and pool.released_total == 7


def test_quality_heredity_without_noise():
    model = empty_world(quality_noise=0.0, quality_heredity=0.6, quality_mean=0.4)
    assert founding.inherited_quality(model, 0.9) == pytest.approx(0.6 * 0.9 + 0.4 * 0.4)
    assert founding.inherited_quality(model, None) == pytest.approx(0.4)


def test_spinout_records_lineage_and_settles_near_parent():
    model = empty_world(quality_noise=0.0, spinout_radius_km=1.0)
    parent = startup(model, quality=0.8)
    child = founding.spin_out(model, parent, "spinout")
    grandchild = founding.spin_out(model, child, "spinout")
    assert (child.parent_id, child.lineage_root, child.generation) == (parent.firm_id, parent.firm_id, 1)
    assert (grandchild.lineage_root, grandchild.generation) == (parent.firm_id, 2)
    assert parent.spinouts == 1 and model.ledger.month["founded_spinout"] == 2
    assert np.linalg.norm(child.xy_km - parent.xy_km) < 15.0


def test_no_spinouts_at_zero_rate_and_many_at_high_rate():
    model = empty_world(spinout_rate=0.0)
    parents = [startup(model, headcount=200) for _ in range(5)]
    assert founding.employee_spinouts(model, parents) == []
    model = empty_world(spinout_rate=0.6)  # one spinout per 20 employee-months at quality 1
    parents = [startup(model, headcount=200, quality=1.0) for _ in range(5)]
    for p in parents:
        p.milestones = 4  # full success
    children = founding.employee_spinouts(model, parents)
    assert 30 < len(children) < 75  # Poisson(50)
    assert {c.parent_id for c in children} <= {p.firm_id for p in parents}
    # The founders leave their employer: three people per spinout.
    assert sum(p.headcount for p in parents) == 1000 - 3 * len(children)


def test_round_closes_with_a_rich_vc_next_door():
    model = empty_world(pitch_efficiency=1e6)
    vc = VentureCapital(model, name="VC", xy_km=np.array([5.0, 5.0]), capital=100.0)
    company = startup(model, quality=1.0, cash=0.0, headcount=3)
    company.seeking = True
    funding.clear_market(model)
    size = model.constants.round_size_musd[0] * 0.64  # a 1980 round: two-thirds of the 2000s' (NVCA)
    assert model.round_size(0) == pytest.approx(size)
    assert company.cash == pytest.approx(size)
    c = model.constants
    assert vc.dry_powder == pytest.approx(100.0 - c.lead_share * size)
    assert company.investors[vc] == pytest.approx(c.round_dilution * c.lead_share)
    # The team grows toward the seed stage's size, as far as 18 months of the round pays for.
    assert company.headcount == min(c.target_headcount[0], int(size / (c.cost_per_head_musd_year * 1.5)))
    assert company.headcount == 3
    assert model.ledger.month["vc_invested"] == pytest.approx(size)
    assert model.deals == [
        funding.Deal(model.year, company.firm_id, 0, size, "VC", c.lead_share * size, 0.0, 5.0, 5.0)
    ]


def test_rounds_close_in_a_random_order_not_the_tables():
    """Two equal seekers close rounds the same month, and the only VC's fund pays one lead share:
    the first company served gets it. Over forty seeds each is served first about half the time
    (in the table's order the older one always was)."""
    firsts = 0
    for seed in range(40):
        scenario = load(TINY, overrides={**EMPTY, "pharma": [{"name": "Big Pharma", "open_innovation": 0.0}]})
        model = BioclusterModel(
            scenario, rng=seed, constants=dataclasses.replace(Constants(), pitch_efficiency=1e6)
        )
        lead_money = model.constants.lead_share * model.round_size(0)
        VentureCapital(model, name="VC", xy_km=np.array([5.0, 5.0]), capital=lead_money)
        older, younger = (startup(model, quality=1.0, cash=0.0, headcount=3) for _ in range(2))
        older.seeking = younger.seeking = True
        funding.clear_market(model)
        led = {deal.firm_id: deal.lead_musd for deal in model.deals}
        assert older.rounds == younger.rounds == 1 and sorted(led.values()) == pytest.approx(
            [0.0, lead_money]
        )
        firsts += led[older.firm_id] > 0
    assert 10 <= firsts <= 30  # Binomial(40, 1/2): outside it with odds under 0.3%


def test_no_round_without_investors_or_information():
    model = empty_world(pitch_efficiency=1e6)
    company = startup(model, quality=1.0, cash=0.0)
    company.seeking = True
    funding.clear_market(model)
    assert company.cash == 0.0 and company.seeking


def test_acquisition_pays_investors_and_keeps_the_staff_for_now():
    model = empty_world(release_found_share=0.0)
    buyer = next(p for p in model.pharma_list if p.name == "Big Pharma")
    vc = VentureCapital(model, name="VC", xy_km=np.array([1.0, 1.0]), capital=50.0)
    company = startup(model, headcount=40)
    company.investors[vc] = 0.25
    pool_before = model.labour.people
    exits.acquire(model, buyer, company, price=200.0)
    assert vc.returned == pytest.approx(50.0) and vc.exits == 1
    assert company.fate == "acquired" and company.acquirer == "Big Pharma"
    assert company not in model.startups
    assert buyer.acquisitions == 1
    assert model.labour.people == pool_before  # nobody is let go at the sale
    assert model.ledger.month["exits_acquired"] == 1


def test_a_bought_firm_s_unit_is_not_counted_as_a_firm_of_its_lineage():
    """A buyer without a site keeps the bought firm's lab as its unit (origin acquisition), in the
    firm's lineage; the run's lineage counts (largest_lineage, the summary's) count the bought firm
    and its spinout, not the unit."""
    model = empty_world(release_found_share=0.0, quality_noise=0.0)
    buyer = next(p for p in model.pharma_list if p.name == "Big Pharma")
    company = startup(model, headcount=40)
    founding.spin_out(model, company, "spinout")
    exits.acquire(model, buyer, company, price=200.0)
    (unit,) = buyer.units
    assert unit.origin == Origin.ACQUISITION and unit.lineage_root == company.firm_id
    assert model.lineage_counts[company.firm_id] == 2 and metrics.largest_lineage(model) == 2
    firms = metrics.firm_table(model)
    assert len(firms[firms["lineage_root"] == company.firm_id]) == 3  # the unit is in the table
    assert metrics.lineage_sizes(firms).to_dict() == {company.firm_id: 2}


def test_failure_closes_the_company():
    model = empty_world()
    company = startup(model, cash=0.1, headcount=30)
    company.step()
    assert company.fate == "failed" and model.ledger.month["failures"] == 1


def test_vc_raises_a_new_fund_in_proportion_to_returns():
    model = empty_world()
    vc = VentureCapital(model, name="VC", xy_km=np.array([1.0, 1.0]), capital=100.0)
    vc.invest(90.0)
    vc.collect(150.0)  # 1.5x of the fund
    vc.fund_started -= 48
    vc.step()
    assert vc.fund_size == pytest.approx(100.0 * min(2.5, 0.5 + 1.5))
    assert vc.dry_powder == pytest.approx(10.0 + 200.0)
    poor = VentureCapital(model, name="Poor", xy_km=np.array([1.0, 1.0]), capital=100.0)
    poor.invest(95.0)
    poor.fund_started -= 48
    poor.step()
    assert poor.fund_size == 100.0  # returned nothing: no new fund


def test_policy_state_sums_raises_and_spreads_budgets(tiny):
    scenario = load(
        TINY,
        overrides={
            "policies": [
                {"name": "A", "year": 1982, "raises": {"information": 0.2}, "budget_musd": 100, "years": 10},
                {
                    "name": "B",
                    "year": 1983,
                    "end_year": 1984,
                    "raises": {"information": 0.1},
                    "tech_transfer_delta": 0.3,
                },
            ]
        },
    )
    assert PolicyState.at(scenario, 1981.9).in_force == []
    state = PolicyState.at(scenario, 1983.5)
    assert state.raises["information"] == pytest.approx(0.3)
    assert state.tech_transfer_delta == pytest.approx(0.3)
    assert state.budget("projects") == pytest.approx(10.0)
    assert PolicyState.at(scenario, 1985.0).in_force == ["A"]
    assert PolicyState.at(scenario, 1992.0).budget("projects") == 0.0


def test_hub_leadership_coordinates_the_other_factors(tiny):
    model = BioclusterModel(tiny, rng=1, constants=dataclasses.replace(Constants(), hub_coordination=0.5))
    assert model.factor("information") == pytest.approx(0.5 * 0.5)  # no hub yet: half the effect
    while model.year < 1985:
        model.step()
    model.begin_month()
    assert model.hubs
    assert model.factor("hub_leadership") == pytest.approx(0.8)
    assert model.factor("information") == pytest.approx(0.5 * (0.5 + 0.5 * 0.8))


def test_scripted_acquisition_happens_in_its_year():
    # Enough cash that the anchor cannot fail, and a buyer that never scouts, so only the
    # script can end the anchor's independence.
    scenario = load(
        TINY,
        overrides={
            "anchors": [
                {
                    "name": "Anchorgen",
                    "year": 1980,
                    "month": 3,
                    "institution": "Tiny University",
                    "cash_musd": 1000,
                }
            ],
            "pharma": [{"name": "Big Pharma", "open_innovation": 0.0}],
        },
    )
    model = BioclusterModel(scenario, rng=3)
    while model.year < 1987:
        model.step()
    anchor = next(f for f in model.firms if getattr(f, "name", "") == "Anchorgen")
    assert anchor.origin == "anchor" and anchor.founded_year == pytest.approx(1980 + 2 / 12)
    assert anchor.fate == "acquired" and anchor.acquirer == "Big Pharma"
    assert anchor.fate_year == pytest.approx(1986.0)


def test_pharma_site_joins_the_firm_registry():
    model = empty_world()
    model.labour.add(1000)
    pharma = Pharma(model, name="P", rd_budget=1000, open_innovation=0.5)
    site = pharma.open_site(np.array([3.0, 3.0]), target_headcount=120, start_headcount=30)
    assert site in model.firms and pharma.site is site and site.headcount == 30
    assert pharma not in model.firms  # the company is not a firm of the region; its site is
    assert site.kind == "pharma_site" and site.origin == "pharma_site"
    assert model.ledger.total["pharma_sites_opened"] == 1
    for _ in range(12):
        site.staff_site()
    assert site.headcount == 30 + 12 * (120 // 60)


def test_incubator_seats_the_best_nearby_young_startups_and_graduates_them():
    model = empty_world(incubator_reach_km=1e9)
    lab = model.open_incubator(
        name="Lab", kind="shared_lab", xy_km=np.array([5.0, 5.0]), seats=2, seed_cheque=0.25
    )
    firms = [startup(model, quality=q, cash=1.0) for q in (0.2, 0.9, 0.6)]
    lab.step()
    assert [t.quality for t in lab.tenants] == [0.9, 0.6]
    assert firms[1].cash == pytest.approx(1.25)  # the accelerator's cheque
    burn_in_seat = firms[1].monthly_burn()
    firms[1].stage_index = 2
    lab.step()
    assert firms[1].seat is None and firms[1] not in lab.tenants
    assert firms[1].monthly_burn() == pytest.approx(burn_in_seat / (1 - model.constants.shared_lab_saving))
    assert firms[0] in lab.tenants  # the freed seat goes to the one left


def test_pharma_acquires_when_the_odds_are_certain():
    model = empty_world(acquisition_rate_year=1e9)
    pharma = next(p for p in model.pharma_list if p.name == "Big Pharma")
    pharma.open_innovation = 1.0
    targets = [startup(model, quality=0.8) for _ in range(3)]
    for t in targets:
        t.stage_index = 2
    from ecosim.mechanisms import deals

    deals.scout(model)
    assert all(t.fate == "acquired" for t in targets)
    assert pharma.acquisitions == 3 and model.ledger.month["exits_acquired"] == 3


def test_buyers_pay_for_clinical_proof_partner_early_and_buy_late():
    # 400 targets per stage under one pharma with a high deal rate: every stage is partnered, but
    # seed-stage firms are never bought and late-stage ones are bought about ten times as often
    # as clinical ones (appetite x buy-out share: 1.2 x 0.2 against 1.0 x 0.025; binomial,
    # tolerance 3 sd). A flat buy-out share would buy seed firms and clinical ones almost as
    # often as late ones.
    from ecosim.mechanisms import deals

    model = empty_world(acquisition_rate_year=20.0)
    pharma = next(p for p in model.pharma_list if p.name == "Big Pharma")
    pharma.open_innovation = 1.0
    by_stage = {stage: [startup(model, quality=0.8) for _ in range(400)] for stage in (0, 2, 3)}
    for stage, firms in by_stage.items():
        for f in firms:
            f.stage_index = stage
    c = model.constants
    sight = c.remote_sight + (1 - c.remote_sight) * model.factor("information") * 0.5
    deals.scout(model)
    for stage, firms in by_stage.items():
        deal = 20.0 / 12 * 0.8 * c.deal_appetite[stage] * (1 + c.partner_to_acquire) * sight
        odds = min(1.0, deal * c.buyout_share[stage])
        bought = sum(f.fate == "acquired" for f in firms)
        assert bought == pytest.approx(400 * odds, abs=3 * np.sqrt(400 * odds) + 1)
    bought = {stage: sum(f.fate == "acquired" for f in firms) for stage, firms in by_stage.items()}
    assert bought[0] == 0 and bought[3] >= 5 * max(1, bought[2]) and bought[2] > 0
    assert pharma.partnerships > 0


def test_project_stream_moves_toward_its_target_with_persistence():
    scenario = load(TINY, overrides={**EMPTY, "factors": {**EMPTY["factors"], "focused_projects": 1.0}})
    model = BioclusterModel(
        scenario,
        rng=1,
        constants=dataclasses.replace(
            Constants(), project_budget_musd_year=120.0, project_persistence_years=1.0, hub_coordination=0.0
        ),
    )
    model.projects.update()
    assert model.projects.level_musd_year == pytest.approx(120.0 / 12)
    model.projects.update()
    assert model.projects.level_musd_year == pytest.approx(10 + (120 - 10) / 12)


def test_no_arrivals_without_pull_and_sites_with_it():
    model = empty_world(arrival_rate=0.0, pharma_site_rate_year=0.0, vc_arrival_rate_year=0.0)
    from ecosim.mechanisms import arrival

    for _ in range(24):
        arrival.outside_startups(model)
        arrival.diverse_players(model)
    assert not model.startups and not model.vc_list
    model = empty_world(pharma_site_rate_year=1e4, vc_arrival_rate_year=0.0, hub_coordination=0.0)
    model.factors["diverse_players"] = 1.0
    model.mass = 1000.0
    arrival.diverse_players(model)
    assert sum(p.has_site for p in model.pharma_list) > 100
    assert any(p.name == "Big Pharma" and p.has_site for p in model.pharma_list)  # named ones first


def test_hub_recruits_nearby_firms_only_with_leadership():
    scenario = load(
        TINY,
        overrides={
            **EMPTY,
            "hubs": [{"name": "Hub", "lat": 32.88, "lon": -117.22, "founded": 1980, "events_capacity": 0}],
        },
    )
    model = BioclusterModel(scenario, rng=2, constants=dataclasses.replace(Constants(), hub_reach_km=1e9))
    hub = model.hubs[0]
    firms = [startup(model) for _ in range(50)]
    model.factors["hub_leadership"] = 0.0
    hub.recruit_members()
    assert not any(f.hub_member for f in firms)
    model.factors["hub_leadership"] = 1.0
    for _ in range(200):
        hub.recruit_members()
    assert all(f.hub_member for f in firms) and hub.members_recruited == 50


def two_hubs_in_reach_of_all() -> BioclusterModel:
    """The tiny region with hubs A and B at one place, every firm in reach, joining at odds 1."""
    hubs = [
        {"name": name, "lat": 32.88, "lon": -117.22, "founded": 1980, "events_capacity": 0}
        for name in ("Hub A", "Hub B")
    ]
    model = BioclusterModel(
        load(TINY, overrides={**EMPTY, "hubs": hubs}),
        rng=2,
        constants=dataclasses.replace(Constants(), hub_reach_km=1e9, hub_join_odds=1.0),
    )
    model.factors["hub_leadership"] = 1.0
    return model


def test_each_hub_counts_the_members_it_recruited_and_its_outside_members():
    model = two_hubs_in_reach_of_all()
    a, b = model.hubs
    early = [startup(model) for _ in range(3)]
    a.recruit_members()  # joins all three (odds 1)
    late = [startup(model) for _ in range(4)]
    b.recruit_members()  # all seven: A's members may belong to B too
    a.outside_members, b.outside_members = 5, 2
    exits.fail(model, late[0])  # a member that closes is no longer counted
    assert all(f.hub_member for f in early + late[1:]) and not late[0].hub_member
    assert metrics.members_by_hub(model) == {"Hub A": 3 + 5, "Hub B": 6 + 2}
    assert sum(metrics.members_by_hub(model).values()) == metrics.hub_members(model)


def test_a_hub_recruits_device_firms_pharma_sites_and_branches():
    # LINK-J's members include device firms and pharma, not only startups.
    model = two_hubs_in_reach_of_all()
    hub = model.hubs[0]
    model.labour.add(1000)
    device = Medtech(model, origin=Origin.ACADEMIC, xy_km=np.array([4.0, 4.0]), quality=0.5, headcount=5)
    site = Pharma(model, name="P", rd_budget=100, open_innovation=0.5).open_site(
        np.array([3.0, 3.0]), target_headcount=50, start_headcount=10
    )
    branch = Branch(model, name="CRO office", xy_km=np.array([6.0, 6.0]), headcount=5)
    company = startup(model)
    hub.recruit_members()
    assert all(firm in hub.roll for firm in (device, site, branch, company))
    assert len(hub.roll) == 4 == hub.members_recruited == metrics.hub_members(model)
    assert company.hub_member  # the flag funding and grants read: on at least one roll
    hub.recruit_members()  # nobody joins twice
    assert len(hub.roll) == 4 == hub.members_recruited


def test_a_member_of_one_hub_joins_another_and_counts_for_each():
    model = two_hubs_in_reach_of_all()
    a, b = model.hubs
    model.labour.add(1000)
    device = Medtech(model, origin=Origin.ACADEMIC, xy_km=np.array([4.0, 4.0]), quality=0.5, headcount=5)
    company = startup(model)
    a.recruit_members()
    assert device in a.roll and company in a.roll and device not in b.roll
    b.recruit_members()
    assert device in b.roll and company in b.roll and b.members_recruited == 2
    assert metrics.members_by_hub(model) == {"Hub A": 2, "Hub B": 2}
    assert metrics.hub_members(model) == 4  # once for each hub it belongs to


def test_a_firm_that_closes_or_is_bought_leaves_every_roll():
    model = two_hubs_in_reach_of_all()
    a, b = model.hubs
    model.labour.add(1000)
    device = Medtech(model, origin=Origin.ACADEMIC, xy_km=np.array([4.0, 4.0]), quality=0.5, headcount=5)
    pharma = Pharma(model, name="P", rd_budget=100, open_innovation=0.5)
    site = pharma.open_site(np.array([3.0, 3.0]), target_headcount=50, start_headcount=10)
    failed, bought, staying = startup(model), startup(model), startup(model)
    a.recruit_members()
    b.recruit_members()
    assert len(a.roll) == len(b.roll) == 5
    device.leave()
    site.close(Fate.CLOSED)
    exits.fail(model, failed)
    exits.acquire(model, pharma, bought, price=10.0)
    for hub in (a, b):
        assert [firm in hub.roll for firm in (device, site, failed, bought, staying)] == [False] * 4 + [True]
    assert not failed.hub_member and not bought.hub_member and staying.hub_member
    # The buyer's unit at the bought firm's place is a new firm, not yet on a roll.
    assert metrics.members_by_hub(model) == {"Hub A": 1, "Hub B": 1} and metrics.hub_members(model) == 2


def test_insiders_follow_on_from_afar():
    # No new outside investors, and outside money to spare (outside backers draw on it).
    model = empty_world(
        pitch_efficiency=1e6,
        insider_follow_on=1.0,
        outside_investor_access=0.0,
        outside_capital_musd_year=1e12,
    )
    model.factors["information"] = 1.0
    far = VentureCapital(model, name="Far VC", xy_km=np.array([19.0, 19.0]), capital=100.0)
    company = startup(model, xy=(0.0, 0.0), quality=1.0, cash=0.0)
    reach_before, _ = funding.access(model, [company])
    company.investors[far] = 0.1
    reach_after, weights = funding.access(model, [company])
    assert weights[0, 0] == pytest.approx(1.0) and reach_after[0] > reach_before[0]
    company.outside_backers = 1
    assert funding.access(model, [company])[0][0] == pytest.approx(reach_after[0] + 1.0)


def test_outside_backers_follow_on_from_the_same_finite_outside_money():
    """A seeker reaches 0.3 rounds of new outside investors (information 1, no hub) and 1 of its
    outside backer: 1.3 rounds of outside money, drawing 1.3 x round x pitch_efficiency a month.
    A budget of half that halves both: 0.65 (before, only the 0.3 was scaled, and the backers'
    1 was met whatever the budget)."""
    probe = empty_world()
    draw = 1.3 * probe.round_size(0) * probe.constants.pitch_efficiency  # USD m a month
    for budget, reach in ((draw / 2, 0.65), (draw * 2, 1.3)):
        model = empty_world(
            outside_investor_access=1.0, insider_follow_on=1.0, outside_capital_musd_year=12 * budget
        )
        model.factors["information"] = 1.0
        company = startup(model)
        company.outside_backers = 2  # backers count once
        assert funding.access(model, [company])[0][0] == pytest.approx(reach)
    model.factors["information"] = 0.0  # no outside money at all: none from outside backers either
    assert funding.access(model, [company])[0][0] == 0.0


def test_a_listed_company_grows_to_its_market_and_no_further():
    model = empty_world(commercial_growth_year=12.0, product_life_years=1e9)
    model.labour.add(10**6)
    company = startup(model, quality=1.0, headcount=100, cash=1e6)
    company.public, company.milestones, company.market_headcount = True, 4, 1000.0
    for _ in range(200):
        company.run_as_listed_company()
    assert 990 <= company.headcount <= 1000 and company.large and company.fate == "grown"


def test_free_seats_draw_outside_tenants():
    model = empty_world(tenant_draw_rate=1e6)
    model.factors.update(hub_leadership=1.0, information=1.0)
    lab = model.open_incubator(name="Lab", kind="shared_lab", xy_km=np.array([5.0, 5.0]), seats=7)
    from ecosim.mechanisms import arrival

    arrival.outside_tenants(model, lab)
    assert len(lab.tenants) == 7 and all(t.origin == "relocation" and t.seat is lab for t in lab.tenants)
    assert model.ledger.month["relocations"] == 7 and metrics.startups_founded(model) == 0
    arrival.outside_tenants(model, lab)
    assert len(lab.tenants) == 7  # no free seat, no more tenants


def test_outside_members_join_with_leadership_and_information():
    scenario = load(
        TINY,
        overrides={
            **EMPTY,
            "hubs": [{"name": "Hub", "lat": 32.88, "lon": -117.22, "founded": 1980, "events_capacity": 0}],
        },
    )
    model = BioclusterModel(
        scenario,
        rng=2,
        constants=dataclasses.replace(Constants(), outside_member_rate=120.0, member_attrition_year=0.0),
    )
    hub = model.hubs[0]
    model.factors.update(hub_leadership=1.0, information=0.0)
    hub.recruit_outside_members()
    assert hub.outside_members == 0
    model.factors["information"] = 1.0
    for _ in range(12):
        hub.recruit_outside_members()
    assert 80 < hub.outside_members < 160  # Poisson(120) over a year
    from ecosim.metrics import hub_members

    assert hub_members(model) == hub.outside_members


def test_a_site_older_than_the_run_starts_fully_staffed():
    model = empty_world()
    pharma = Pharma(model, name="Old", rd_budget=1000, open_innovation=0.5)
    site = pharma.open_site(np.array([3.0, 3.0]), target_headcount=800, established=1970.0)
    assert site.headcount == 800 and site.founded_year == 1970.0 and site.origin == "preexisting"
    assert model.labour.people == 0  # staff already there, not hired from the pool
    assert model.ledger.total["pharma_sites_opened"] == 0  # not an entry during the run


def test_a_scripted_site_opens_only_at_its_date():
    university = {"name": "U", "kind": "university", "lat": 32.88, "lon": -117.23, "research_strength": 5.0}
    scenario = load(
        TINY,
        overrides={
            **EMPTY,
            "factors": {**EMPTY["factors"], "diverse_players": 1.0},
            "institutions": [university],
            "pharma": [
                {
                    "name": "Big Pharma",
                    "site_opened": 1985,
                    "site": {"name": "BP site", "lat": 32.88, "lon": -117.22},
                }
            ],
        },
    )
    model = BioclusterModel(
        scenario,
        rng=1,
        constants=dataclasses.replace(Constants(), pharma_site_rate_year=500.0, hub_coordination=0.0),
    )
    big = next(p for p in model.pharma_list if p.name == "Big Pharma")
    while model.year < 1984.9:
        model.step()
        assert not big.has_site  # arrivals open sites for other pharma meanwhile
    assert sum(p.has_site for p in model.pharma_list) > 0
    while model.year < 1985.1:
        model.step()
    assert big.has_site and model.firms.count(big.site) == 1
    with pytest.raises(ValueError):
        big.open_site(np.array([1.0, 1.0]), target_headcount=10)


def test_census_columns_count_only_firms_inside_the_census_area():
    # The box spans the region's southern 0.05 deg of latitude (5.5 km) and its whole width.
    scenario = load(
        TINY,
        overrides={
            **EMPTY,
            "pharma": [{"name": "Big Pharma", "open_innovation": 0.0}],
            "region": {
                "census": [
                    {"name": "South", "south": 32.80, "north": 32.85, "west": -117.30, "east": -117.08}
                ]
            },
        },
    )
    model = BioclusterModel(scenario, rng=7, constants=Constants())
    inside = startup(model, xy=(5.0, 2.0), headcount=10)
    outside = startup(model, xy=(5.0, 15.0), headcount=20)
    model.pharma_list[0].open_site(np.array([3.0, 3.0]), target_headcount=120, start_headcount=30)
    assert (inside.in_census, outside.in_census) == (True, False)
    assert metrics.firms_active(model) == 3 and metrics.employment(model) == 60
    assert metrics.firms_census(model) == 2 and metrics.employment_census(model) == 40
    # Device and service firms count among the firms, never among the drug industry's.
    for xy, staff in (((6.0, 2.0), 7), ((6.0, 15.0), 11)):
        founding.found(
            model, origin=Origin.ACADEMIC, xy_km=np.array(xy), quality=0.5, headcount=staff, kind=Medtech
        )
    assert (metrics.firms_active(model), metrics.firms_active_biopharma(model)) == (5, 3)
    assert (metrics.employment(model), metrics.employment_biopharma(model)) == (78, 60)
    assert (metrics.firms_census(model), metrics.firms_census_biopharma(model)) == (3, 2)
    assert (metrics.employment_census(model), metrics.employment_census_biopharma(model)) == (47, 40)
    # Without a census area the census columns are the totals.
    whole = empty_world()
    startup(whole, xy=(5.0, 15.0), headcount=20)
    assert metrics.firms_census(whole) == metrics.firms_active(whole) == 1


def test_outside_tenants_sit_in_the_incubator_and_hub_draws_open_branches_at_the_hub():
    scenario = load(
        TINY,
        overrides={
            **EMPTY,
            "factors": {
                **EMPTY["factors"],
                "hub_leadership": 1.0,
                "information": 1.0,
                "focused_projects": 1.0,
            },
            "hubs": [{"name": "H", "lat": 32.88, "lon": -117.22, "founded": 1980, "operates_site": True}],
            "incubators": [{"name": "Labs", "lat": 32.89, "lon": -117.22, "opened": 1980, "seats": 10}],
        },
    )
    model = BioclusterModel(
        scenario,
        rng=5,
        constants=dataclasses.replace(Constants(), tenant_draw_rate=1000.0, hub_draw_rate=1200.0),
    )
    model.labour.add(10000)
    labs, hub = model.agents_of(Incubator)[0], model.hubs[0]
    arrival.outside_tenants(model, labs)
    tenants = [s for s in model.startups if s.seat is labs]
    assert len(tenants) == len(model.startups) == 10
    assert all(np.array_equal(s.xy_km, labs.xy_km) for s in tenants)
    arrival.hub_draws(model, hub)
    drawn = model.branches
    assert len(drawn) > 20 and all(isinstance(b, Branch) and b.origin == "branch" for b in drawn)
    assert not model.pharma_list[1:]  # a branch is no pharma: it never scouts or buys
    assert len(model.startups) == 10
    assert metrics.branches(model) == len(drawn) and metrics.pharma_sites(model) == 0
    assert metrics.firms_active(model) == 10 + len(drawn)
    assert np.median(distances_km(hub.xy_km, np.array([p.xy_km for p in drawn]))[0]) < 1.5


@pytest.mark.parametrize("operates_site", [False, True])
def test_only_a_hub_that_operates_a_site_draws_branches(operates_site):
    hubs = [{"name": "Hub", "lat": 32.88, "lon": -117.22, "founded": 1980, "operates_site": operates_site}]
    scenario = load(
        TINY,
        overrides={
            **EMPTY,
            "hubs": hubs,
            "factors": {
                **EMPTY["factors"],
                "hub_leadership": 1.0,
                "information": 1.0,
                "focused_projects": 1.0,
            },
        },
    )
    model = BioclusterModel(scenario, rng=5, constants=dataclasses.replace(Constants(), hub_draw_rate=1200.0))
    for _ in range(3):
        model.step()
    # An association draws none; the same hub running a park draws ~100 a month.
    assert (metrics.branches(model) > 100) if operates_site else (metrics.branches(model) == 0)


def test_a_pharma_sees_startups_by_their_distance_from_its_site():
    model = empty_world(pharma_scout_reach_km=5.0)
    pharma = model.pharma_list[0]
    pharma.open_site(np.array([2.0, 2.0]), target_headcount=30)
    firms = [startup(model, xy=xy) for xy in ((2.0, 2.0), (5.0, 6.0), (18.0, 2.0))]
    rows = np.array([f.row for f in firms])
    seen = deals.sight(model, pharma, rows, np.zeros(3))
    assert seen.tolist() == pytest.approx([1.0, np.exp(-5.0 / 5.0), np.exp(-16.0 / 5.0)])
    assert deals.sight(model, pharma, rows, np.array([0.0, 0.0, 1.0]))[2] == 1.0  # a hosted tenant


def test_an_incubator_seats_a_near_startup_before_a_better_far_one():
    model = empty_world(incubator_reach_km=0.5)
    incubator = model.open_incubator(name="Lab", kind="incubator", xy_km=np.array([2.0, 2.0]), seats=1)
    near = startup(model, xy=(2.0, 2.0), quality=0.3)
    far = startup(model, xy=(17.0, 2.0), quality=0.9)  # 15 km: odds exp(-30) of applying
    incubator.admit_tenants()
    assert incubator.tenants == [near] and far.seat is None


def test_a_tenant_keeps_its_seat_for_graduation_years_in_the_seat_not_until_that_age():
    model = empty_world(incubator_reach_km=1e9)
    model.time = 1.0  # each month added below moves the calendar (model.month_step)
    lab = model.open_incubator(name="Lab", kind="incubator", xy_km=np.array([5.0, 5.0]), seats=1)
    late = startup(model, quality=0.9)
    late.founded_step -= 35  # 2 years 11 months old: still young enough to take a seat
    lab.admit_tenants()
    assert late.seat is lab and late.seated_step == model.month_step
    months = 0
    while late.seat is lab and months < 100:
        model.time += 1.0
        lab.graduate_tenants()
        lab.admit_tenants()
        months += 1
    c = model.constants
    # Its whole term in the seat (36 months at graduation_years 3), not the one month left
    # before it turned three; then it leaves for good.
    assert months == round(12 * c.graduation_years) == 36
    assert late.graduated and lab.tenants == []


def seated_lab(seats: int, tenants: int):
    """An incubator of ``seats`` in the empty world, ``tenants`` startups seated in it in turn."""
    model = empty_world()
    lab = model.open_incubator(name="Lab", kind="incubator", xy_km=np.array([5.0, 5.0]), seats=seats)
    firms = [startup(model) for _ in range(tenants)]
    for firm in firms:
        lab.admit(firm)
    return model, lab, firms


def test_a_shrinking_incubator_moves_its_longest_seated_tenants_out():
    model, lab, firms = seated_lab(seats=3, tenants=3)
    lab.resize(1)
    assert lab.seats == 1 and lab.tenants == [firms[2]] and lab.free_seats() == 0
    # The two seated first moved out, as graduates (not seated again).
    assert all(f.seat is None and not f.seated and f.graduated for f in firms[:2])
    assert not firms[2].graduated
    assert metrics.incubator_tenants(model) == 1
    lab.resize(3)
    assert lab.tenants == [firms[2]] and lab.free_seats() == 2  # growing moves nobody


def test_a_lab_with_seats_to_spare_moves_nobody_out():
    # 2 tenants in 5 seats, resized to 3 and to 2: nobody leaves (a referee found resize moving
    # out all but |seats - tenants| of them whenever seats were free, every month in a hub's lab).
    _, lab, firms = seated_lab(seats=5, tenants=2)
    for seats in (5, 3, 2):
        lab.resize(seats)
        assert lab.tenants == firms and not any(f.graduated for f in firms)


def test_a_tenant_graduating_this_month_is_not_seated_again_in_it():
    # The month's SeatRule computed "may hold a seat" before the tenant's term ended (an incubator
    # admitting first); the graduation must still bar it from every later incubator that month.
    model = empty_world(graduation_years=3.0)
    first = model.open_incubator(name="A", kind="incubator", xy_km=np.array([5.0, 5.0]), seats=2)
    second = model.open_incubator(name="B", kind="incubator", xy_km=np.array([5.0, 5.0]), seats=2)
    firm = startup(model)
    second.admit(firm)
    model.seat_rule = rule = SeatRule(model)
    assert rule.may_hold_seat(np.array([firm.row])).tolist() == [True]  # young enough
    firm.graduated = True  # its term over, second.graduate_tenants marks it so
    second.vacate(firm)
    assert rule.may_hold_seat(np.array([firm.row])).tolist() == [False]
    first.admit_tenants()
    assert firm.seat is None


def test_a_hubs_shared_lab_shrinking_with_fusion_moves_tenants_out():
    model = empty_world(shared_seats_per_fusion=4)
    hub = HubOrganization(model, name="Hub", xy_km=np.array([5.0, 5.0]), events_capacity=0)
    model.factors["cross_disciplinary_fusion"] = 1.0
    hub.run_shared_lab()
    firms = [startup(model) for _ in range(4)]
    for firm in firms:
        hub.lab.admit(firm)
    model.factors["cross_disciplinary_fusion"] = 0.5
    hub.run_shared_lab()
    assert hub.lab.seats == 2 and hub.lab.tenants == firms[2:]
    assert firms[0].seat is None and firms[1].seat is None


def test_a_firm_s_quality_is_kept_between_a_hundredth_and_one():
    model = empty_world()
    assert [startup(model, quality=q).quality for q in (-0.3, 0.5, 1.7)] == [0.01, 0.5, 1.0]


def test_the_firms_there_at_the_start_settle_near_every_institution():
    # Two institutions some 15 km apart; the 60 firms present at the start each settle about
    # 5 km (exponential) from one drawn at random, so each institution is the nearest to about
    # half of them (a firm settled near one lands nearer the other about a quarter of the time).
    institutions = [
        {"name": "West University", "kind": "university", "lat": 32.88, "lon": -117.234,
         "research_strength": 1.0, "tech_transfer": 0.3, "talent_per_year": 200},
        {"name": "East Hospital", "kind": "hospital", "lat": 32.96, "lon": -117.11,
         "translational_capacity": 0.8},
    ]  # fmt: skip
    model = BioclusterModel(
        load(TINY, overrides={**EMPTY, "institutions": institutions, "initial_firms": 60}), rng=4
    )
    spots = np.array([model.xy(i["lat"], i["lon"]) for i in institutions])
    firms = np.array([firm.xy_km for firm in model.firms if firm.origin == Origin.PREEXISTING])
    assert len(firms) == 60
    nearest = np.linalg.norm(firms[:, None, :] - spots[None, :, :], axis=2).argmin(axis=1)
    assert 20 <= np.count_nonzero(nearest == 0) <= 40
    assert np.median(np.linalg.norm(firms - spots[nearest], axis=1)) < 6.0
