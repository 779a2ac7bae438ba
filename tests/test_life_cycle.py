"""The life of a firm: when buyers act, what an acquisition does, listed firms, downsizing,
setbacks that fade, money of its era and growth that meets limits (each failed on 12cc608).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from helpers import EMPTY, ROOT, TINY, empty_world, startup

from ecosim import metrics, money
from ecosim.agents import Medtech, Pharma, VentureCapital
from ecosim.agents.firm import Fate, Origin
from ecosim.agents.startup import Companies, era_team_factor
from ecosim.constants import Constants
from ecosim.mechanisms import deals, exits, founding, funding, labour
from ecosim.model import BioclusterModel
from ecosim.scenario import ScenarioError, load


def test_a_firm_s_first_month_is_the_one_after_its_founding_whatever_its_channel(monkeypatch):
    # A company, a device firm and a pharma site founded during a month's step, before the firms'
    # turns (as a university's licence, an incubator's outside tenant or a hub's draw are), take
    # no turn in that month: the company burns no cash, the device firm and the site hire nobody.
    # Next month they do. (On 9a1a24f the three were stepped in their founding month, while a
    # spinout or an arrival, founded after the firms' turns, was not.)
    model = empty_world(medtech_exit_rate_year=0.0, site_ramp_years=1.0)
    model.labour.add(10_000)
    model.step()
    founded = {}
    begin_month = type(model).begin_month

    def found_in_the_month(self):
        begin_month(self)
        if founded:
            return
        founded["company"] = startup(self, cash=5.0, headcount=10)
        device = founding.found(self, origin=Origin.ACADEMIC, xy_km=np.array([4.0, 4.0]), quality=0.5,
                                headcount=3, kind=Medtech)  # fmt: skip
        device.sales_headcount = 100
        founded["device"] = device
        founded["site"] = self.pharma_list[0].open_site(np.array([6.0, 6.0]), target_headcount=120)

    monkeypatch.setattr(type(model), "begin_month", found_in_the_month)
    model.step()
    company, device, site = founded["company"], founded["device"], founded["site"]
    assert (company.cash, device.headcount, site.headcount) == (5.0, 3, 30)
    model.step()
    assert company.cash < 5.0 and device.headcount > 3 and site.headcount > 30


def test_a_firm_founded_between_months_is_as_old_as_one_founded_in_the_month_after(monkeypatch):
    # Founders let go found months later through a call made between months (model.at_month);
    # other firms are founded during a month's step. Both kinds founded for month 3 (April) must
    # carry the same clocks; on 90d9491 the one founded between months was a month older.
    model = empty_world()
    for _ in range(3):
        model.step()
    founded = {}
    model.at_month(3, lambda m: founded.setdefault("between", startup(m)))
    begin_month = type(model).begin_month

    def found_in_the_month(self):
        begin_month(self)
        founded.setdefault("during", startup(self))

    monkeypatch.setattr(type(model), "begin_month", found_in_the_month)
    model.step()
    between, during = founded["between"], founded["during"]
    assert between.founded_year == during.founded_year == model.year
    assert between.founded_step == during.founded_step == model.steps
    assert between.progress_step == during.progress_step
    assert between.age_years == during.age_years == 0.0


def test_a_pharma_buys_nothing_before_it_is_in_the_market():
    model = empty_world(acquisition_rate_year=1e9)
    late = Pharma(model, name="Late Co", rd_budget=500, open_innovation=1.0, active_from=1984.0)
    targets = [startup(model, quality=0.9) for _ in range(5)]
    for t in targets:
        t.stage_index = 2
    deals.scout(model)  # 1980: Late Co is not in the market yet
    assert late.acquisitions == late.partnerships == 0 and all(t.active for t in targets)
    while model.year < 1984:
        model.step()
    fresh = [startup(model, quality=0.9) for _ in range(5)]
    for t in fresh:
        t.stage_index = 2
    deals.scout(model)
    assert late.acquisitions > 0


def test_named_pharma_act_from_their_dated_entry():
    scenario = load(
        TINY,
        overrides={
            "pharma": [
                {"name": "Big Pharma", "open_innovation": 0.6},
                {"name": "Site Co", "site": {"name": "S", "lat": 32.88, "lon": -117.22}, "site_opened": 1987},
                {
                    "name": "Early Co",
                    "site": {"name": "E", "lat": 32.88, "lon": -117.22},
                    "site_opened": 1987,
                    "active_from": 1982,
                },
            ]
        },
    )
    model = BioclusterModel(scenario, rng=1)
    active = {p.name: p.active_from for p in model.pharma_list}
    assert active == {"Big Pharma": 1980.0, "Site Co": 1987.0, "Early Co": 1982.0}


def test_a_scripted_acquisition_before_the_buyer_is_in_the_market_is_refused():
    with pytest.raises(ScenarioError, match="active_from"):
        load(TINY, overrides={"pharma": [{"name": "Big Pharma", "active_from": 1990}]})


def test_a_buyer_without_a_site_runs_the_bought_lab_as_its_unit():
    model = empty_world(release_found_share=0.0, employee_equity_share=0.15)
    buyer = model.pharma_list[0]
    company = startup(model, quality=0.8, headcount=40)
    exits.acquire(model, buyer, company, price=200.0)
    (unit,) = buyer.units
    assert unit.origin == Origin.ACQUISITION and unit.kind == "pharma_site" and unit.active
    assert unit.headcount == 40 and np.array_equal(unit.xy_km, company.xy_km)
    assert unit.parent_id == company.firm_id and unit.generation == company.generation
    assert unit.lineage_root == company.lineage_root and unit.quality == company.quality
    assert unit.cohorts[0].payout_per_head == pytest.approx(0.15 * 200.0 / 40)
    assert model.ledger.total["acquired_units"] == 1


def test_staff_of_a_bought_firm_leave_over_years_and_found_at_boosted_odds():
    # 400 staff at 16% a year: about 400 x 0.84^5 = 167 are left after five years (binomial,
    # sd ~10); with release_found_share 0.05, boost 2 and quality 0.5, 10% of leavers found
    # (within three years of leaving), each putting half of their sale payout into the firm.
    model = empty_world(
        release_found_share=0.05,
        reorganisation_founding_boost=2.0,
        acquired_staff_departure_year=0.16,
        serial_found_prob=0.0,
        seeker_exit_rate_year=0.0,  # the pool of 10,000 stays: the leavers' odds alone are tested
    )
    model.labour.add(10_000)
    buyer = model.pharma_list[0]
    company = startup(model, quality=0.5, headcount=400)
    exits.acquire(model, buyer, company, price=400.0)
    unit = buyer.units[0]
    for _ in range(60):
        model.step()
    assert 140 <= unit.headcount <= 195
    left = 400 - unit.headcount
    model.constants = dataclasses.replace(model.constants, acquired_staff_departure_year=0.0)
    for _ in range(40):
        model.step()
    founded = [f for f in model.firms if f.origin == Origin.RELEASE and f.parent_id == company.firm_id]
    assert 0.05 * left <= len(founded) <= 0.16 * left
    seed = model.constants.seed_from_founders_musd + 0.5 * 0.15 * 400.0 / 400
    assert all(f.total_raised >= seed - 1e-9 for f in founded)


@pytest.mark.parametrize("factor", [1.0, 0.25, 0.0])
def test_staff_let_go_by_a_struggling_firm_found_at_the_distress_factor(factor):
    # A failure releases 400 staff and a cut 200 more (quality 0.5, share 0.05): 0.05 x factor of
    # them found within three years (binomial; people to spare, so few are hired first).
    model = empty_world(release_found_share=0.05, distress_founding_factor=factor, serial_found_prob=0.0)
    model.labour.add(10_000)
    cutting, failing = startup(model, quality=0.5, headcount=201), startup(model, quality=0.5, headcount=400)
    cutting.cut_staff(200)
    exits.fail(model, failing)
    for _ in range(40):
        model.step()
    founded = [f for f in model.firms if f.origin == Origin.RELEASE]
    by_cut = sum(f.parent_id == cutting.firm_id for f in founded)
    expected = 0.05 * factor * 600
    assert 0.6 * expected <= len(founded) <= 1.5 * expected + 1e-9
    assert (by_cut > 0) == (factor > 0)


def test_a_buyer_with_a_site_takes_the_staff_in_and_sheds_them():
    model = empty_world(acquired_staff_departure_year=0.5)
    buyer = model.pharma_list[0]
    model.labour.add(1000)
    site = buyer.open_site(np.array([5.0, 5.0]), target_headcount=100, established=1970.0)
    exits.acquire(model, buyer, startup(model, headcount=60))
    assert site.headcount == 160 and not buyer.units
    for _ in range(12 * 10):
        site.step()
    assert 100 <= site.headcount <= 102 and not site.cohorts  # back to its own staff


def test_bought_staff_the_unit_lost_otherwise_do_not_leave_again():
    # A bought firm's 60 staff become the buyer's unit; 20 go otherwise (vacancies the pool
    # could not fill, founders), so 40 are left. When all bought staff leave at once (a
    # departure rate of 12 a year: every one this month), 40 join the pool, not 60, and the
    # unit is left with nobody, not -20.
    model = empty_world(acquired_staff_departure_year=12.0, release_found_share=0.0)
    buyer = model.pharma_list[0]
    exits.acquire(model, buyer, startup(model, headcount=60))
    unit = buyer.units[0]
    unit.headcount -= 20
    pool = model.labour.people
    unit.shed_acquired_staff()
    assert unit.headcount == 0 and model.labour.people == pool + 40 and not unit.cohorts


def test_an_acquired_unit_left_too_small_is_closed():
    model = empty_world(acquired_staff_departure_year=0.9)
    buyer = model.pharma_list[0]
    exits.acquire(model, buyer, startup(model, headcount=12))
    unit = buyer.units[0]
    for _ in range(12 * 10):
        if unit.active:
            unit.step()
    assert unit.fate == Fate.CLOSED and unit not in model.active_firms()


# --- Listed firms ---------------------------------------------------------------------------------


def test_a_listed_firm_whose_market_fades_cuts_staff_and_can_fail():
    model = empty_world(product_life_years=1.0, listed_shrink_year=0.5, release_found_share=0.0)
    firm = startup(model, quality=0.8, headcount=400, cash=5.0)
    firm.public, firm.stage_index, firm.milestones = True, 3, 4
    firm.market_headcount = 400.0
    for _ in range(24):
        firm.sell_products()
        firm.run_as_listed_company()
    assert firm.market_headcount < 400 * np.exp(-1.9)
    assert firm.headcount < 250  # shrinking toward its market
    # On 12cc608 a listed firm with products paid no costs: it could never run out of cash.
    firm.market_headcount, firm.cash = 0.0, 0.1
    firm.step()
    assert firm.fate == Fate.FAILED


def test_a_listed_firm_whose_sales_pay_its_staff_neither_seeks_money_nor_cuts_staff():
    # 400 staff, markets for 500, cash for a week: its sales (400 x cost x (1 + margin)) pay its
    # staff and more, so its runway is endless (net of sales). On 9a1a24f the runway was the cash
    # over the gross burn: it sought money and cut its staff to what its cash alone paid for.
    model = empty_world()
    firm = startup(model, quality=0.8, headcount=400, cash=1.0)
    firm.public, firm.stage_index, firm.milestones, firm.market_headcount = True, 3, 4, 500.0
    assert firm.runway_months() == np.inf
    firm.decide_to_raise()
    firm.downsize_if_short()
    assert not firm.seeking and firm.headcount == 400
    assert Companies.of(model, [firm]).runway_months().tolist() == [np.inf]


def test_a_firm_short_of_cash_keeps_the_staff_its_sales_pay_for():
    # Markets for 100 people, 400 staff, no cash: it cuts to the 100 x (1 + margin) its sales pay
    # for (not to the founding team its cash alone affords).
    model = empty_world(product_margin=0.5)
    firm = startup(model, quality=0.8, headcount=400, cash=0.0)
    firm.public, firm.stage_index, firm.market_headcount = True, 3, 100.0
    assert firm.wants_to_raise() and firm.short_of_cash()
    assert firm.staff_to_cut() == 400 - 150
    companies = Companies.of(model, [firm])
    assert companies.staff_to_cut().tolist() == [250]


def test_a_listed_firm_can_be_bought():
    model = empty_world(acquisition_rate_year=1e9)
    buyer = model.pharma_list[0]
    buyer.open_innovation = 1.0
    listed = startup(model, quality=0.9, headcount=100)
    listed.public, listed.stage_index = True, 3
    deals.scout(model)
    assert listed.fate == Fate.ACQUIRED and buyer.acquisitions == 1


def test_the_listed_stock_counts_listings_in_and_exits_of_listed_companies_out():
    # firms_listed (compared with Ernst & Young's counts of public biotech companies) is the
    # listings less the listed companies bought or failed; a listed company grown large stays in
    # it; private companies are not in it.
    model = empty_world(release_found_share=0.0)
    firms = [startup(model, quality=0.8, headcount=50, cash=20.0) for _ in range(5)]
    assert metrics.firms_listed(model) == 0 and metrics.startups_active(model) == 5
    for firm in firms[:4]:
        exits.ipo(model, firm)
    assert metrics.firms_listed(model) == 4 and metrics.startups_active(model) == 1
    firms[2].headcount = model.constants.large_firm_headcount
    firms[2].count_as_large_if_grown()
    assert firms[2].large and firms[2].fate == Fate.GROWN
    exits.acquire(model, model.pharma_list[0], firms[0])
    exits.fail(model, firms[1])
    exits.fail(model, firms[4])  # a private company's failure leaves the stock as it was
    assert metrics.firms_listed(model) == 2 and metrics.startups_active(model) == 0


def test_market_sizes_follow_the_lognormal_of_listed_biotechs():
    model = empty_world(market_headcount_median=150.0, market_headcount_sigma=1.5, quality_mean=0.5)
    firm = startup(model, quality=0.5)
    sizes = []
    for _ in range(4000):
        firm.market_headcount = 0.0
        firm.launch_product()
        sizes.append(firm.market_headcount)
    assert np.median(sizes) == pytest.approx(150.0, rel=0.1)
    assert np.mean(np.array(sizes) > 15_000) < 0.003  # a Genentech-size market is rare


# --- The month of every company at once (Companies) --------------------------------------------------


def test_the_month_of_many_companies_is_each_companys_month():
    # Three companies step one month together, with no readout or listing possible: each pays its
    # staff (a seated one less), its doubt fades, and each decides to raise by its own runway; the
    # one short of cash cuts its staff to what its bank pays for a year. Exact expectations.
    model = empty_world(
        milestone_rate_year=(0.0, 0.0, 0.0, 0.0),
        ipo_rate_year=0.0,
        setback_memory_years=1.0,
        shared_lab_saving=0.5,
        release_found_share=0.0,
    )
    rich = startup(model, headcount=10, cash=50.0)
    rich.doubt = 1.0
    seated = startup(model, headcount=10, cash=50.0)
    seated.seat = model.open_incubator(name="Lab", kind="shared_lab", xy_km=np.array([5.0, 5.0]), seats=5)
    short = startup(model, headcount=40, cash=2.5)  # 3 months of runway at 40 staff
    Companies(model, np.array([short.row, rich.row, seated.row])).run()
    per_head_month = 0.25 / 12
    assert rich.cash == pytest.approx(50.0 - 10 * per_head_month)
    assert seated.cash == pytest.approx(50.0 - 0.5 * 10 * per_head_month)
    assert rich.doubt == pytest.approx(np.exp(-1.0 / 12))
    assert not rich.seeking and not seated.seeking
    assert short.seeking and short.headcount == int((2.5 - 40 * per_head_month) / 0.25)
    assert all(firm.active for firm in (rich, seated, short))


# --- Downsizing, setbacks, research needs people ----------------------------------------------------


def test_a_firm_short_of_cash_that_cannot_raise_cuts_staff_to_the_pool():
    model = empty_world(downsize_runway_months=6, downsize_to_years=1.0, release_found_share=0.0)
    firm = startup(model, headcount=40, cash=2.0)  # 2.4 months of runway at 40 staff
    pool = model.labour.people
    firm.decide_to_raise()
    firm.downsize_if_short()
    assert firm.headcount == int(2.0 / 0.25)  # what the bank pays for a year
    assert model.labour.people == pool + 40 - firm.headcount


def test_a_company_s_month_that_reads_its_runway_once_raises_and_cuts_as_the_two_steps_do():
    """decide_to_raise_or_downsize (the month's step of a listing or listed company) is
    decide_to_raise then downsize_if_short: the cut must still happen."""
    cut = {}
    for combined in (False, True):
        model = empty_world(downsize_runway_months=6, downsize_to_years=1.0, release_found_share=0.0)
        firm = startup(model, headcount=40, cash=2.0)
        if combined:
            firm.decide_to_raise_or_downsize()
        else:
            firm.decide_to_raise()
            firm.downsize_if_short()
        cut[combined] = (firm.seeking, firm.headcount, model.labour.people)
    assert cut[True] == cut[False] and cut[True][1] == int(2.0 / 0.25)


def test_investor_doubt_fades_with_time_and_progress():
    model = empty_world(setback_memory_years=2.0)
    firm = startup(model)
    firm.doubt = 2.0
    for _ in range(24):
        firm.forget_setbacks()
    assert firm.doubt == pytest.approx(2.0 * np.exp(-1.0))
    firm.milestones = 0
    model.constants = dataclasses.replace(
        model.constants, readout_success_base=1.0, milestone_rate_year=(1e6, 1e6, 1e6, 1e6)
    )
    firm.reach_milestones()
    assert firm.doubt == pytest.approx(np.exp(-1.0))  # progress halves it


def test_research_needs_people():
    model = empty_world(hospital_boost=0.0)
    full, short = startup(model, headcount=6), startup(model, headcount=2)
    assert short.milestone_odds() == pytest.approx(full.milestone_odds() * 2 / 6)


def test_a_board_closes_a_programme_stuck_for_years():
    model = empty_world(stage_patience_years=6.0, release_found_share=0.0)
    firm = startup(model, cash=100.0, headcount=3)
    firm.progress_step -= 12 * 6 + 1
    firm.close_if_stuck()
    assert firm.fate == Fate.FAILED


def test_a_listed_company_is_wound_up_after_its_own_patience():
    # Seven years without a milestone: past a private board's six, short of a listed company's ten.
    model = empty_world(stage_patience_years=6.0, listed_patience_years=10.0, release_found_share=0.0)
    private, listed = startup(model, cash=100.0, headcount=3), startup(model, cash=100.0, headcount=3)
    listed.public = True
    for firm in (private, listed):
        firm.progress_step -= 12 * 7
    assert Companies.of(model, [private, listed]).stuck().tolist() == [True, False]
    private.close_if_stuck()
    listed.close_if_stuck()
    assert (private.fate, listed.fate) == (Fate.FAILED, Fate.ACTIVE)
    listed.progress_step -= 12 * 3 + 1  # past ten years: wound up
    listed.close_if_stuck()
    assert listed.fate == Fate.FAILED


# --- Money of its era ------------------------------------------------------------------------------


def test_rounds_are_sized_for_their_era():
    assert money.round_size_index(1980) == pytest.approx(0.64)
    assert money.round_size_index(2005) == 1.0
    assert money.round_size_index(2019) == pytest.approx(2.15)


def test_historical_amounts_are_converted_from_their_own_year():
    bay = load(ROOT / "scenarios" / "bay_area.yaml")
    kp = next(vc for vc in bay.vcs if vc.name.startswith("Kleiner"))
    # USD 8 m of 1972 is about USD 26 m at 2000 prices (on 12cc608 it was taken as 8).
    assert kp.capital_musd == pytest.approx(money.to_model_usd(8, "USD", 1972)) and kp.capital_musd > 20


# --- Growth that meets limits ----------------------------------------------------------------------


def test_every_open_institution_s_graduates_and_trainees_join_the_pool_each_month():
    # A university (120 a year) and a hospital (60) open at the start, an institute (1,200) in
    # 1982: the starting pool holds talent_pool_years of the first two only, and each month a
    # twelfth of the open institutions' talent joins it, the hospital's included.
    inst = {"research_strength": 1.0, "tech_transfer": 0.3, "lat": 32.88, "lon": -117.234}
    institutions = [
        {**inst, "name": "U", "kind": "university", "talent_per_year": 120},
        {"name": "H", "kind": "hospital", "lat": 32.87, "lon": -117.22, "talent_per_year": 60},
        {**inst, "name": "Late", "kind": "research_institute", "talent_per_year": 1200, "opened": 1982},
    ]
    scenario = load(TINY, overrides={**EMPTY, "institutions": institutions, "pharma": []})
    model = BioclusterModel(
        scenario, rng=3, constants=dataclasses.replace(Constants(), talent_pool_years=2.0)
    )
    assert model.labour.graduated_total == pytest.approx(2.0 * 180)
    model.step()
    assert model.labour.graduated_total == pytest.approx(2.0 * 180 + 180 / 12)
    while model.year < 1982:
        model.step()
    before = model.labour.graduated_total
    model.step()
    assert model.labour.graduated_total - before == pytest.approx(1380 / 12)


def test_firms_there_at_the_start_settle_near_the_institutions_open_then():
    far = {"name": "Far", "kind": "university", "lat": 32.96, "lon": -117.12, "opened": 1985}
    near = {"name": "Near", "kind": "university", "lat": 32.82, "lon": -117.28}
    scenario = load(TINY, overrides={**EMPTY, "institutions": [near, far], "initial_firms": 30, "pharma": []})
    model = BioclusterModel(scenario, rng=3)
    # Settled about 5 km (exponential) from their institution, 21 km from Far: about 94% of them
    # nearer Near than Far (24-30 of 30 over seeds 1-20); with Far a spot too, about half.
    spots = [model.xy(i["lat"], i["lon"]) for i in (near, far)]
    there = [f for f in model.firms if f.origin == Origin.PREEXISTING]
    closer = [np.hypot(*(f.xy_km - spots[0])) < np.hypot(*(f.xy_km - spots[1])) for f in there]
    assert len(closer) == 30 and sum(closer) >= 25


def test_staff_who_leave_the_industry_are_replaced_only_from_the_pool():
    model = empty_world(labour_exit_rate_year=1.2, seeker_exit_rate_year=1.2, migration_rate_year=0.0)
    firms = [startup(model, headcount=100) for _ in range(10)]
    model.labour.people = 0.0
    for _ in range(12):
        labour.turn_over(model)
    # With nobody to hire, a tenth of the staff leave a month and are not replaced.
    assert sum(f.headcount for f in firms) < 1000 * 0.9**12 * 1.2


def test_each_month_s_hiring_sets_the_job_seekers_odds_of_still_looking(monkeypatch):
    # 1,000 staff leaving at 120% a year (about 100 a month) are replaced from a pool of 400, of
    # whom about 40 idle seekers leave (120% a year too): the month's job-finding rate is hires over
    # everyone who was looking that month (hires, those still looking and those who left), and a
    # job seeker's odds of still looking fall by exactly that month's 1 - rate.
    model = empty_world(labour_exit_rate_year=1.2, seeker_exit_rate_year=1.2, migration_rate_year=0.0)
    for _ in range(10):
        startup(model, headcount=100)
    pool = model.labour
    pool.people, pool.hired_month = 400.0, 0
    hires, left = [], []
    take, leave = pool.take, pool.leave
    monkeypatch.setattr(pool, "take", lambda wanted: hires.append(take(wanted)) or hires[-1])
    monkeypatch.setattr(pool, "leave", lambda people: left.append(people) or leave(people))
    mark = pool.log_still_looking
    labour.turn_over(model)
    assert sum(hires) > 50 and sum(left) > 20 and pool.hired_month == 0 and pool.left_month == 0
    looking = pool.people + sum(left)
    assert pool.still_looking_since(mark) == pytest.approx(looking / (looking + sum(hires)))


def test_an_employer_s_open_posts_count_once_a_month():
    # An empty pool: a firm asks for 30 people on a grant and again for 30 on a round in the
    # same month (the same posts), another firm for 10, and the replacement of leavers (no
    # employer named) for 5: 45 posts are open, not 75; the next month starts from none.
    model = empty_world(labour_exit_rate_year=0.0, seeker_exit_rate_year=0.0, migration_rate_year=0.0)
    first, second = startup(model, headcount=10), startup(model, headcount=10)
    pool = model.labour
    pool.people = 0.0
    assert first.hire(30) == first.hire(30) == second.hire(10) == pool.take(5) == 0
    first.hire(20)  # a smaller ask the same month opens no further post
    pool.close_month()
    assert pool.unfilled_last_month == 45 and pool.unfilled_total == 45
    pool.close_month()
    assert pool.unfilled_last_month == 0


def test_posts_the_pool_could_not_fill_stay_open_until_filled():
    # A seed company of 2 with money for its stage's team of 6 finds nobody in an empty pool: its 4
    # posts stay open. It asks for them again every month of its own (Companies.run), not only
    # when money comes: the month
    # the pool holds 3 people it hires them, and the next month the last one; each month its gap
    # counts as open posts once (a stock, not a flow that vanishes).
    model = empty_world(cost_per_head_musd_year=0.25, hiring_runway_years=1.5)
    company = startup(model, headcount=2, cash=100.0)
    pool = model.labour
    pool.people, pool.unfilled_month = 0.0, 0
    company.receive(0.0)
    assert company.posts_target == model.constants.target_headcount[0] == 6 and company.headcount == 2
    pool.close_month()
    Companies(model, np.array([company.row])).run()
    assert company.headcount == 2 and pool.unfilled_this_month == 4
    pool.close_month()
    pool.people = 3.0
    Companies(model, np.array([company.row])).run()
    assert company.headcount == 5 and pool.unfilled_this_month == 1
    pool.close_month()
    pool.people = 10.0
    Companies(model, np.array([company.row])).run()
    assert company.headcount == 6 and pool.people == 9.0
    Companies(model, np.array([company.row])).run()  # filled: nothing more is asked
    assert company.headcount == 6 and pool.people == 9.0 and pool.unfilled_this_month == 0


def test_open_posts_are_asked_for_only_while_the_cash_pays_for_them():
    # Posts for 6, opened with cash for 6 people for 1.5 years at 0.25 a head (2.25). Down to 1.2 of
    # cash (3.2 people for 1.5 years), it asks only for the posts it can still pay for; a company
    # that cuts staff closes its open posts, whatever cash comes later without a new opening.
    model = empty_world(cost_per_head_musd_year=0.25, hiring_runway_years=1.5)
    company = startup(model, headcount=2, cash=2.25)
    model.labour.people = 0.0
    company.receive(0.0)
    assert company.posts_target == 6
    company.cash = 1.2  # pays for int(1.2 / 0.375) = 3 people for 1.5 years
    month = Companies(model, np.array([company.row]))
    assert month.posts_to_fill().tolist() == [1]
    model.labour.people = 10.0
    month.fill_posts()
    assert company.headcount == 3
    company.cut_staff(1)
    assert company.posts_target == company.headcount == 2
    company.cash = 100.0
    assert month.posts_to_fill().tolist() == [0]


def test_idle_job_seekers_leave_the_pool_at_their_own_rate():
    # No staff: only the pool's idle seekers can leave. At 6 a year half of them go a month; at
    # 12 or more every one of them; the staff's own exit rate does not touch them.
    model = empty_world(labour_exit_rate_year=0.0, seeker_exit_rate_year=6.0, migration_rate_year=0.0)
    model.labour.people = 10_000.0
    labour.turn_over(model)
    assert model.labour.people == pytest.approx(5_000, rel=0.05)
    model = empty_world(labour_exit_rate_year=1.2, seeker_exit_rate_year=0.0, migration_rate_year=0.0)
    model.labour.people = 10_000.0
    labour.turn_over(model)
    assert model.labour.people == 10_000.0
    model = empty_world(labour_exit_rate_year=0.0, seeker_exit_rate_year=24.0, migration_rate_year=0.0)
    model.labour.people = 10_000.0
    labour.turn_over(model)
    assert model.labour.people == 0.0


def test_posts_the_region_cannot_fill_draw_people_from_elsewhere():
    # 1,000 posts asked of an empty pool: none filled; the next month draws half as many movers,
    # and the month after, with no post left open, none.
    model = empty_world(
        labour_exit_rate_year=0.0,
        seeker_exit_rate_year=0.0,
        migration_rate_year=0.0,
        movers_per_unfilled_post=0.5,
    )
    pool = model.labour
    pool.people = 0.0
    assert pool.take(1_000) == 0
    pool.close_month()
    assert pool.unfilled_last_month == 1_000
    labour.turn_over(model)
    moved = pool.moved_in_total
    assert pool.people == moved == pytest.approx(500, rel=0.15)
    labour.turn_over(model)
    assert pool.moved_in_total == moved and pool.people == moved


def test_a_less_mobile_country_draws_fewer_people_from_elsewhere():
    # 10,000 posts left open and no staff (only the posts draw movers): half a mover a post at the
    # US's mobility (unset), two fifths as many at 0.4 of it (Poisson sd 45-71).
    for mobility, expected in ((None, 5_000), (0.4, 2_000)):
        model = empty_world(
            labour_exit_rate_year=0.0,
            seeker_exit_rate_year=0.0,
            migration_rate_year=0.0,
            movers_per_unfilled_post=0.5,
        )
        model.cluster = model.cluster.model_copy(update={"labour_mobility": mobility})
        pool = model.labour
        pool.people = 0.0
        pool.take(10_000)
        pool.close_month()
        labour.turn_over(model)
        assert pool.moved_in_total == pytest.approx(expected, rel=0.05)


def test_open_posts_are_those_nobody_in_the_pool_could_take():
    pool = labour.LabourPool(300.0)
    assert pool.take(1_000) == 300  # 700 posts unfilled
    pool.release(200)
    # A would-be founder's search for colleagues is not a post, found or not.
    assert pool.take(3, post=False) == 3 and pool.take(500, post=False) == 197
    pool.close_month()
    assert pool.unfilled_last_month == 700 and pool.unfilled_total == 700
    assert pool.take(10) == 0
    pool.release(4)  # people let go later in the month could take 4 of the 10 posts
    pool.close_month()
    assert pool.unfilled_last_month == 6 and pool.unfilled_total == 706


def test_a_would_be_founder_s_search_for_colleagues_opens_no_post():
    # A released would-be founder still looking (odds 1) finds nobody in an empty pool: no firm,
    # and no open post to draw movers (a founding that did not happen is not a vacancy).
    model = empty_world()
    parent = startup(model, headcount=5)
    model.labour.people, model.labour.unfilled_month = 0.0, 0
    founding.found_after_release(model, parent, looking_since=model.labour.log_still_looking)
    assert model.labour.unfilled_this_month == 0 and model.ledger.total["release_founders_hired"] == 1


def test_people_move_in_with_the_jobs():
    model = empty_world(labour_exit_rate_year=0.0, seeker_exit_rate_year=0.0, migration_rate_year=0.12)
    for _ in range(10):
        startup(model, headcount=100)
    model.labour.people = 0.0
    for _ in range(12):
        labour.turn_over(model)
    assert model.labour.people == pytest.approx(120, rel=0.3)  # 12% of 1,000 a year


def test_outside_money_is_shared_among_the_seekers():
    model = empty_world(outside_capital_musd_year=12.0)
    model.factors["information"] = 1.0
    few = [startup(model) for _ in range(2)]
    many = few + [startup(model) for _ in range(200)]
    reach_few = funding.access(model, few)[0][0]
    reach_many = funding.access(model, many)[0][0]
    assert reach_many < reach_few / 10  # the same USD 1 m a month, over 100 times the seekers


def test_a_vc_leads_only_so_many_rounds_a_year():
    model = empty_world(vc_leads_per_year=12.0)
    vc = VentureCapital(model, name="VC", xy_km=np.array([5.0, 5.0]), capital=1e6)
    for _ in range(12):
        vc.invest(1.0)
    assert vc.capacity_left() == 0.0
    company = startup(model)
    assert funding.access(model, [company])[1][0, 0] == 0.0
    for _ in range(12):
        vc.step()
    assert vc.capacity_left() == pytest.approx(1 - np.exp(-1.0))


def test_visible_mass_saturates():
    model = empty_world(arrival_mass_saturation=3000.0)
    model.mass = 3000.0
    assert model.visible_mass() == pytest.approx(1500.0)


def test_a_listed_company_staffs_as_many_teams_as_the_multiple_and_its_cash_allow():
    # Late stage (a team of 60), USD 100 m in the bank: enough for 266 people for 1.5 years.
    model = empty_world(listed_team_multiple=3.0)
    listed, private = startup(model, cash=100.0), startup(model, cash=100.0)
    for firm in (listed, private):
        firm.stage_index = 3
    listed.public = True
    listed.receive(0.0)
    private.receive(0.0)
    assert listed.headcount == 180  # three teams
    assert private.headcount == 60  # a private company's one team
    poor = startup(empty_world(listed_team_multiple=3.0), cash=15.0)  # pays 40 people
    poor.stage_index, poor.public = 3, True
    poor.receive(0.0)
    assert poor.headcount == 40


def test_a_selective_ipo_market_favours_the_best_more_than_in_proportion():
    model = empty_world(ipo_rate_year=1.2)
    best, mean = startup(model, quality=0.9), startup(model, quality=0.45)
    plain = Companies.of(model, [best, mean]).listing_odds()
    assert plain.tolist() == pytest.approx([1.2 * 0.9 / 12, 1.2 * 0.45 / 12])
    model.constants = dataclasses.replace(model.constants, ipo_quality_exponent=4.0)
    sharp = Companies.of(model, [best, mean]).listing_odds()
    assert sharp.tolist() == pytest.approx([1.2 * 0.9**4 / 12, 1.2 * 0.45**4 / 12])
    assert sharp[0] / sharp[1] == pytest.approx(2.0**4)  # twice the quality, 16 times the odds


def test_listing_odds_fade_with_the_time_since_the_last_milestone():
    model = empty_world(ipo_rate_year=1.2, ipo_news_fade_year=0.5)
    fresh, stale = startup(model, quality=0.6), startup(model, quality=0.6)
    now = model.month_step
    fresh.progress_step, stale.progress_step = now, now - 24  # a readout this month; two years ago
    odds = Companies.of(model, [fresh, stale]).listing_odds()
    assert odds.tolist() == pytest.approx([1.2 * 0.6 / 12, 1.2 * 0.6 / 12 * math.exp(-0.5 * 2.0)])
    assert stale.listing_odds() == pytest.approx(odds[1])  # one company alone, the same odds
    # A successful readout is news: the stale company's odds are back at full.
    stale.read_out(succeed=True)
    assert stale.listing_odds() == pytest.approx(1.2 * 0.6 / 12)
    # The listing decision reads these odds: long-faded news lists no one, fresh news someone.
    many = [startup(model, quality=1.0) for _ in range(200)]
    for firm in many:
        firm.stage_index, firm.progress_step = 3, now - 60
    model.constants = dataclasses.replace(model.constants, ipo_rate_year=12.0, ipo_news_fade_year=5.0)
    assert not Companies.of(model, many).ready_to_list().any()  # odds x exp(-25)
    for firm in many:
        firm.progress_step = now
    assert Companies.of(model, many).ready_to_list().all()  # fresh news: odds of 1 a month
    # Without fading (the package default) the time since a milestone does not count.
    assert Constants().ipo_news_fade_year == 0.0
    model.constants = dataclasses.replace(model.constants, ipo_rate_year=1.2, ipo_news_fade_year=0.0)
    fresh.progress_step = 0
    assert fresh.listing_odds() == pytest.approx(1.2 * 0.6 / 12)


def test_early_companies_list_at_a_share_of_the_clinical_odds():
    model = empty_world(ipo_rate_year=12.0)  # odds of 1 a month at quality 1
    firms = [startup(model, quality=1.0) for _ in range(300)]
    for i, firm in enumerate(firms):
        firm.stage_index = i % 4  # seed, early, clinical, late
    stages = np.array([firm.stage_index for firm in firms])
    assert Constants().early_listing_share == 0.0  # the package default: only clinical companies list
    listed = Companies.of(model, firms).ready_to_list()
    assert listed[stages >= 2].all() and not listed[stages < 2].any()
    # Early companies at full share list like clinical ones (= listing from the early stage);
    # seed companies never do.
    model.constants = dataclasses.replace(model.constants, early_listing_share=1.0)
    listed = Companies.of(model, firms).ready_to_list()
    assert listed[stages >= 1].all() and not listed[stages == 0].any()
    # At a share, early companies list at that share of the odds: the same draws decide.
    model.constants = dataclasses.replace(model.constants, ipo_rate_year=6.0, early_listing_share=0.5)
    model.rng = np.random.default_rng(5)
    listed = Companies.of(model, firms).ready_to_list()
    model.rng = np.random.default_rng(5)
    draws = Companies.of(model, firms).draws()
    assert listed.tolist() == (draws < np.select([stages >= 2, stages == 1], [0.5, 0.25], 0.0)).tolist()
    # One company alone decides by the same rule and draw.
    for firm, stage in zip(firms[:4], (0, 1, 2, 3), strict=True):
        for seed in range(20):
            model.random.seed(seed)
            draw = firm.draws()
            model.random.seed(seed)
            assert bool(firm.ready_to_list()) == (draw < 0.5 * (0.0, 0.5, 1.0, 1.0)[stage]), (stage, draw)


def test_a_company_in_the_clinic_pays_for_its_trials_and_one_with_products_does_not():
    costs = (0.0, 1.2, 6.0, 12.0)  # USD m a year by stage
    model = empty_world(trial_cost_musd_year=costs, cost_per_head_musd_year=0.24, shared_lab_saving=0.0)
    clinic = startup(model, headcount=10, cash=100.0)
    clinic.stage_index = 2
    # 10 staff at 0.24 a year and a clinical stage's trials at 6.0 a year: 0.2 + 0.5 a month.
    assert clinic.monthly_burn() == pytest.approx(0.2 + 0.5)
    clinic.pay_costs()
    assert clinic.cash == pytest.approx(100.0 - 0.7)
    # The same company selling a product pays its staff only (its margin pays its programmes).
    clinic.market_headcount = 50.0
    assert clinic.monthly_burn() == pytest.approx(0.2)
    # Many companies at once: each pays its own stage's trials.
    seed, late = startup(model, headcount=10, cash=5.0), startup(model, headcount=10, cash=5.0)
    late.stage_index = 3
    rows = np.array([seed.row, late.row])
    assert Companies(model, rows).monthly_burn() == pytest.approx([0.2, 0.2 + 1.0])


def test_trials_come_before_staff_when_a_company_hires_or_cuts():
    model = empty_world(
        trial_cost_musd_year=(0.0, 0.0, 6.0, 12.0),
        cost_per_head_musd_year=0.25,
        hiring_runway_years=1.0,
        downsize_to_years=1.0,
        release_found_share=0.0,
    )
    firm = startup(model, headcount=3, cash=10.0)
    firm.stage_index = 2  # the clinical team is 35 at the default
    firm.staff_up()
    # A year of trials (6.0) first: the 4.0 left pays 16 people for a year.
    assert firm.headcount == 16
    assert firm.staff_to_cut() == 0 and Companies(model, np.array([firm.row])).staff_to_cut()[0] == 0
    firm.cash = 8.0  # 2.0 left after the year's trials: 8 people
    assert firm.staff_to_cut() == 16 - 8 and Companies(model, np.array([firm.row])).staff_to_cut()[0] == 8


def test_teams_by_era_fade_from_the_early_multiple_to_todays():
    early = dataclasses.replace(Constants(), early_team_multiple=2.0, early_team_years=(1991, 2011))
    assert [era_team_factor(early, y) for y in (1980, 1991, 2001, 2011, 2030)] == [2.0, 2.0, 1.5, 1.0, 1.0]
    assert era_team_factor(Constants(), 1980) == 1.0  # the default: one team for every era


def test_an_early_company_staffs_and_needs_its_eras_larger_team():
    # The tiny world starts in 1980, inside an era whose teams are twice today's.
    model = empty_world(early_team_multiple=2.0)
    firm = startup(model, cash=100.0)  # late stage, today's team 60, cash for far more
    firm.stage_index = 3
    firm.receive(0.0)
    assert firm.headcount == 120
    today = startup(empty_world(), cash=100.0)
    today.stage_index = 3
    today.receive(0.0)
    assert today.headcount == 60
    # Research needs the era's team: 60 people advance half as fast as 120 in 1980.
    firm.headcount = 60
    today.headcount = 60
    assert firm.milestone_odds() == pytest.approx(today.milestone_odds() / 2.0)


def test_the_firms_there_at_the_start_hold_their_eras_teams():
    scenario = load(TINY, overrides={**EMPTY, "initial_firms": 6, "initial_medtech_share": 0.0})
    constants = dataclasses.replace(Constants(), early_team_multiple=1.5)  # the tiny world starts in 1980
    early, today = (BioclusterModel(scenario, rng=3, constants=k) for k in (constants, Constants()))
    team = Constants().target_headcount
    assert len(early.startups) == len(today.startups) == 6
    assert [f.headcount for f in early.startups] == [int(1.5 * team[f.stage_index]) for f in early.startups]
    assert [f.headcount for f in today.startups] == [team[f.stage_index] for f in today.startups]


def test_the_firms_there_at_the_start_are_met_part_way_through_their_round_and_stage():
    model = BioclusterModel(
        load(TINY, overrides={**EMPTY, "initial_firms": 200, "initial_medtech_share": 0.0}), rng=5
    )
    firms = model.startups
    rounds = np.array([model.round_size(f.stage_index) for f in firms])
    share = np.array([f.cash for f in firms]) / rounds
    since = np.array([model.month_step - f.progress_step for f in firms])
    patience = 12 * Constants().stage_patience_years
    # Each holds what is left of one round of its stage, and its last milestone lies within
    # its board's patience; neither is the same for all (a cohort that would fail at once).
    assert np.all((share >= 0.0) & (share < 1.0)) and 0.4 < share.mean() < 0.6
    assert [f.total_raised for f in firms] == pytest.approx(rounds.tolist())
    assert np.all((since >= 0) & (since < patience)) and len(set(since.tolist())) > 40
    assert 0.4 * patience < since.mean() < 0.6 * patience


def test_the_firms_there_at_the_start_are_of_both_kinds_at_the_scenario_s_share():
    # Statistical (seed 5, 400 firms): device, diagnostics or service firms at the scenario's
    # share (0.3: binomial sd 0.023, the tolerance 3 sd), else at the constant medtech_share.
    def world(**fields):
        return BioclusterModel(load(TINY, overrides={**EMPTY, "initial_firms": 400, **fields}), rng=5)

    def devices(model):
        return [f for f in model.firms if f.origin == Origin.PREEXISTING and isinstance(f, Medtech)]

    assert abs(len(devices(world(initial_medtech_share=0.3))) / 400 - 0.3) < 0.07
    assert abs(len(devices(world())) / 400 - Constants().medtech_share) < 0.075
    assert devices(world(initial_medtech_share=0.0)) == []


def test_the_firms_share_of_kinds_moves_no_firm_s_place_or_quality():
    # Every firm at the start draws a drug developer's numbers from model.rng whatever its kind:
    # at shares 0 and 0.6 the same seed puts the same firms in the same places.
    def there(share):
        model = BioclusterModel(
            load(TINY, overrides={**EMPTY, "initial_firms": 60, "initial_medtech_share": share}), rng=5
        )
        firms = [f for f in model.firms if f.origin == Origin.PREEXISTING]
        return [(tuple(f.xy_km), f.quality) for f in firms], sum(isinstance(f, Medtech) for f in firms)

    (none, _), (some, devices) = there(0.0), there(0.6)
    assert none == some and devices > 20


def test_the_device_firms_there_at_the_start_stand_where_their_age_has_brought_them():
    # Statistical (seed 5, 400 device firms): ages of the steady state of the exit hazard, staff
    # of the growth rule at that age (most at the size their sales support: employment-weighted
    # about 0.78 of it by a referee's derivation; uniform staff would give about 0.5), each its own
    # peak; and with a bound on the count's firms, no firm's sales support more than it.
    model = BioclusterModel(
        load(TINY, overrides={**EMPTY, "initial_firms": 400, "initial_medtech_share": 1.0}), rng=5
    )
    firms = [f for f in model.firms if f.origin == Origin.PREEXISTING]
    staff = np.array([f.headcount for f in firms])
    sales = np.array([f.sales_headcount for f in firms])
    assert len(firms) == 400 and np.all((staff >= 1) & (staff <= sales))
    assert 0.68 < staff.sum() / sales.sum() < 0.9 and np.mean(staff == sales) > 0.75
    assert [f.peak_headcount for f in firms] == staff.tolist()
    bounded = BioclusterModel(
        load(
            TINY,
            overrides={
                **EMPTY,
                "initial_firms": 400,
                "initial_medtech_share": 1.0,
                "initial_firm_max_staff": 50,
            },
        ),
        rng=5,
    )
    sizes = [f.sales_headcount for f in bounded.firms if f.origin == Origin.PREEXISTING]
    assert max(sizes) == 50 and sales.max() > 300
    # No exit hazard: the steady state's firms are all at their size.
    ageless = BioclusterModel(
        load(TINY, overrides={**EMPTY, "initial_firms": 20, "initial_medtech_share": 1.0}),
        rng=5,
        constants=dataclasses.replace(Constants(), medtech_exit_rate_year=0.0),
    )
    assert all(f.headcount == f.sales_headcount for f in ageless.firms if f.origin == Origin.PREEXISTING)


def test_the_firms_there_at_the_start_do_not_close_together():
    # Statistical (seed 5, 200 firms at the start, 10 years): a cohort met just funded and just
    # past a milestone would run dry and meet its board's patience in the same months; spread
    # over their rounds and stages, no month closes more than a tenth of them.
    model = BioclusterModel(
        load(TINY, overrides={**EMPTY, "initial_firms": 200, "initial_medtech_share": 0.0}), rng=5
    )
    for _ in range(120):
        model.step()
    closed = [f.fate_year for f in model.firms if f.origin == Origin.PREEXISTING and f.fate == Fate.FAILED]
    assert len(closed) > 50  # enough of them close to read the months
    assert max(closed.count(month) for month in set(closed)) <= 20


def test_early_rounds_are_the_early_multiple_of_their_eras_index():
    # The tiny world starts in 1980, before early_round_end (1999): its rounds are the multiple.
    plain, richer = empty_world(), empty_world(early_round_multiple=2.0)
    for model in (plain, richer):
        model.begin_month()
    assert [richer.round_size(s) for s in range(4)] == [2.0 * plain.round_size(s) for s in range(4)]
    assert plain.round_size(0) == pytest.approx(Constants().round_size_musd[0] * money.round_size_index(1980))
    # From early_round_end on, the index as it is.
    late = empty_world(early_round_multiple=2.0, early_round_end=1980)
    late.begin_month()
    assert late.round_size(2) == plain.round_size(2)


def test_every_eras_rounds_are_the_round_size_multiple_of_the_sizes():
    # Before early_round_end (the tiny world's 1980) and after it, with the early multiple on top.
    plain, richer = empty_world(), empty_world(round_size_multiple=1.5)
    both = empty_world(round_size_multiple=1.5, early_round_multiple=2.0)
    late_plain = empty_world(early_round_end=1980)
    late_richer = empty_world(round_size_multiple=1.5, early_round_end=1980)
    for model in (plain, richer, both, late_plain, late_richer):
        model.begin_month()
    assert [richer.round_size(s) for s in range(4)] == pytest.approx(
        [1.5 * plain.round_size(s) for s in range(4)]
    )
    assert both.round_size(1) == pytest.approx(3.0 * plain.round_size(1))
    assert late_richer.round_size(3) == pytest.approx(1.5 * late_plain.round_size(3))
