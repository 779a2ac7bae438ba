"""The month's fast paths compute exactly what the plain computations they replace do.

Each test sets a shortcut (a distance measured once, a one-point land test, counts by block, a
month's calls in one event) against the plain numpy computation it stands for, on a tiny world,
and expects the same numbers to the last bit: the speed-ups of benchmarks/README.md must not
change a run's outputs.
"""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest
from helpers import TINY, empty_world, startup
from mesa import Agent, Model

from ecosim import activation, metrics
from ecosim.agents import Branch, PharmaSite, Startup, VentureCapital, vc
from ecosim.agents.firm import Fate, Origin
from ecosim.agents.incubator import Incubator, SeatRule
from ecosim.agents.medtech import Medtech, step_medtechs
from ecosim.agents.startup import Companies
from ecosim.agents.university import University
from ecosim.geography import LandMap
from ecosim.mechanisms import deals, exits, founding, funding, labour
from ecosim.mechanisms.history import Script
from ecosim.mechanisms.proximity import decay, distances_km
from ecosim.model import BioclusterModel


def test_distances_from_a_place_are_those_measured_afresh():
    model = empty_world()
    rng = np.random.default_rng(3)
    table = model.companies
    place = np.array([7.3, 2.9])
    firms = [startup(model, xy=tuple(rng.uniform(0, 20, 2))) for _ in range(40)]
    rows = np.array([firm.row for firm in firms])
    assert np.array_equal(table.distances_km(place, rows), distances_km(place, table.positions(rows))[0])
    # More companies than the table's first capacity: the known distances grow with it.
    firms += [startup(model, xy=tuple(rng.uniform(0, 20, 2))) for _ in range(300)]
    rows = rng.permutation([firm.row for firm in firms])
    assert np.array_equal(table.distances_km(place, rows), distances_km(place, table.positions(rows))[0])
    # Another place has distances of its own.
    other = np.array([0.0, 19.5])
    assert np.array_equal(table.distances_km(other, rows), distances_km(other, table.positions(rows))[0])


def test_distances_measured_for_every_place_at_once_are_those_measured_afresh():
    model = empty_world()
    rng = np.random.default_rng(4)
    table = model.companies
    places = [np.array([1.5, 8.25]), np.array([12.0, 3.0]), np.array([6.1, 6.1])]

    def afresh(place, rows):
        return distances_km(place, table.positions(rows))[0]

    firms = [startup(model, xy=tuple(rng.uniform(0, 20, 2))) for _ in range(30)]
    rows = np.array([firm.row for firm in firms])
    assert np.array_equal(table.distances_km(places[0], rows), afresh(places[0], rows))
    # Companies founded, then a place first asked for; the table grows past its capacity
    # between two questions; the first place is asked again.
    firms += [startup(model, xy=tuple(rng.uniform(0, 20, 2))) for _ in range(7)]
    rows = rng.permutation([firm.row for firm in firms])
    assert np.array_equal(table.distances_km(places[1], rows), afresh(places[1], rows))
    firms += [startup(model, xy=tuple(rng.uniform(0, 20, 2))) for _ in range(400)]
    rows = rng.permutation([firm.row for firm in firms])[:300]
    for place in (places[2], places[0], places[1]):
        assert np.array_equal(table.distances_km(place, rows), afresh(place, rows))


def test_nearness_kept_from_month_to_month_is_the_decay_computed_afresh():
    model = empty_world()
    rng = np.random.default_rng(8)
    table = model.companies
    one, two = [np.array([3.0, 4.0])], [np.array([3.0, 4.0]), np.array([15.5, 9.0])]

    def afresh(places, reach, rows):
        return decay(np.min([distances_km(xy, table.positions(rows))[0] for xy in places], axis=0), reach)

    firms = [startup(model, xy=tuple(rng.uniform(0, 20, 2))) for _ in range(50)]
    for batch in (3, 0, 250, 1):
        firms += [startup(model, xy=tuple(rng.uniform(0, 20, 2))) for _ in range(batch)]
        rows = rng.permutation([firm.row for firm in firms])[: len(firms) - 5]
        for places, reach in ((one, 30.0), (two, 30.0), (one, 12.5), (two, 7.0)):
            assert np.array_equal(table.nearness(places, reach, rows), afresh(places, reach, rows))
    # One place is decay of its own distances (no least of one), as hubs and incubators had it.
    assert np.array_equal(table.nearness(one, 9.0, rows), decay(table.distances_km(one[0], rows), 9.0))


def test_the_script_holds_the_rows_it_holds_firm_by_firm():
    model = empty_world()
    table = model.companies
    firms = [startup(model) for _ in range(6)]
    for name in ("Anchorgen", "Freegen"):
        model.labour.add(10)
        firms.insert(2, founding.found(model, origin=Origin.ANCHOR, xy_km=np.array([4.0, 4.0]),
                                       quality=0.5, cash=1.0, team=3, name=name, kind=Startup))  # fmt: skip
    firms.append(startup(model))
    firms[-1].name = "Anchorgen"  # named as an anchor, but not one
    rows = np.array([firm.row for firm in firms])
    script = Script(until={"Anchorgen": 1990.0})
    for year in (1985.0, 1990.0, 1995.0):
        expected = [script.holds(firm, year) for firm in firms]
        assert script.held_rows(table, rows, year).tolist() == expected
    assert sum(script.holds(firm, 1985.0) for firm in firms) == 1
    assert not Script().held_rows(table, rows, 1985.0).any()


def test_the_month_s_seat_rule_is_may_hold_seat_computed_afresh():
    model = empty_world()
    firms = [startup(model) for _ in range(12)]
    firms[1].stage_index, firms[2].stage_index, firms[3].public = 1, 2, True
    firms[4].graduated, firms[5].founded_step = True, -100  # graduated; older than graduation
    rule = SeatRule(model)
    rows = np.array([firm.row for firm in firms])[::-1]
    assert rule.may_hold_seat(rows).tolist() == Companies(model, rows).may_hold_seat().tolist()
    assert rule.may_hold_seat(rows).tolist().count(False) == 4
    firms += [startup(model) for _ in range(3)]  # moved in after the rule was first asked
    rows = np.array([firm.row for firm in firms])
    assert rule.may_hold_seat(rows).tolist() == Companies(model, rows).may_hold_seat().tolist()


def seat_world() -> tuple:
    """Incubators sharing nearby candidates, outsiders let the free seats, a month's turns."""
    model = empty_world(incubator_reach_km=40.0, tenant_draw_rate=30.0)
    model.factors["hub_leadership"] = 1.0  # outsiders come for free seats
    rng = np.random.default_rng(6)
    for i in range(5):
        xy = np.array([2.0 + 3 * i, 5.0])
        model.open_incubator(name=f"Lab {i}", kind="incubator", xy_km=xy, seats=3, seed_cheque=0.1 * i)
    firms = [startup(model, xy=tuple(rng.uniform(0, 20, 2)), quality=rng.uniform()) for _ in range(12)]
    for firm in firms[:2]:
        firm.stage_index = 2
    firms[7].graduated = True
    return model, model.agents_by_type[Incubator]


def test_incubators_sharing_the_seat_rule_seat_whom_they_seated_one_by_one():
    seated = []
    for shared in (True, False):
        model, incubators = seat_world()
        for _ in range(3):
            model.seat_rule = SeatRule(model) if shared else None
            incubators.shuffle_do("step")
            model.seat_rule = None
            model.steps += 1
            model.time += 1.0  # the firms' clocks read the calendar (model.month_step)
            for incubator in incubators:
                incubator.tenants[0].stage_index = 2  # it graduates next month
        tenants = [[t.row for t in inc.tenants] for inc in incubators]
        seated.append((tenants, model.companies.column("graduated").tolist(), model.rng.random()))
    assert seated[0] == seated[1]
    assert sum(len(rows) for rows in seated[0][0]) == 11 and sum(seated[0][1]) == 1 + 2 * 5


def spinout_world():
    """Companies (one closed, one listed, some proven), a pharma site and a branch."""
    model = empty_world(spinout_rate=0.5)
    rng = np.random.default_rng(12)
    firms = [startup(model, quality=rng.uniform(), headcount=int(rng.integers(3, 60))) for _ in range(30)]
    for firm in firms[::4]:
        firm.milestones = int(rng.integers(1, 5))
    firms[3].public = True
    PharmaSite(model, company=model.pharma_list[0], xy_km=np.array([5.0, 5.0]), target_headcount=80,
               start_headcount=80, established=1970.0)  # fmt: skip
    Branch(model, name="Branch 1", xy_km=np.array([6.0, 6.0]), headcount=40)
    firms[7].close(Fate.FAILED)
    firms.append(startup(model, headcount=25))
    return model


def test_the_region_s_spinouts_are_those_of_its_active_firms_one_by_one():
    together, one_by_one = spinout_world(), spinout_world()
    for _ in range(6):
        parents = [firm for firm in one_by_one.active_firms() if firm.parents_spinouts]
        expected = founding.employee_spinouts(one_by_one, parents)
        children = founding.regional_spinouts(together)
        assert [(c.parent_id, c.headcount, c.quality, c.xy_km.tolist()) for c in children] == [
            (c.parent_id, c.headcount, c.quality, c.xy_km.tolist()) for c in expected
        ]
        assert len(children) > 0
    headcounts = [[firm.headcount for firm in model.active_firms()] for model in (together, one_by_one)]
    assert headcounts[0] == headcounts[1]
    # The companies as Mesa keeps them are the table's rows alive, oldest first.
    table = together.companies
    assert together.startups == [table.firms[row] for row in table.alive_rows()]


def test_counts_of_agents_are_the_lengths_of_their_lists():
    model = spinout_world()
    assert model.count_of(Startup) == len(model.startups) == 30
    assert model.count_active_firms() == len(model.active_firms()) == 32
    assert model.count_of(University) == len(model.agents_of(University)) == 0


def test_a_company_s_runway_is_the_one_computed_for_many():
    model = empty_world()
    firms = [startup(model, cash=cash, headcount=people) for cash, people in
             ((1.0, 10), (0.0, 10), (-2.5, 7), (3.3, 1), (1e-9, 40), (7.0, 3))]  # fmt: skip
    firms[5].headcount = 0  # nobody to pay: an endless runway
    firms[2].seated = True
    together = Companies(model, np.array([firm.row for firm in firms]))
    assert [firm.runway_months() for firm in firms] == together.runway_months().tolist()
    assert [firm.wants_to_raise() for firm in firms] == together.wants_to_raise().tolist()
    assert [firm.short_of_cash() for firm in firms] == together.short_of_cash().tolist()
    assert firms[5].runway_months() == np.inf


def scouting_world(seed: int):
    """Four pharma (two with a site, one hosting an incubator, one remote) after a small world
    of companies, some in the incubator, one an anchor the script holds; deals are frequent.
    """
    model = empty_world(acquisition_rate_year=60.0, remote_sight=0.5, pharma_scout_reach_km=4.0)
    model.script = Script(until={"Anchorgen": 2100.0})
    rng = np.random.default_rng(seed)
    model.pharma_list[0].open_innovation = 0.8
    for name, site in (("Near", (3.0, 3.0)), ("Far", (18.0, 9.0)), ("Remote", None)):
        pharma = model.add_pharma()
        pharma.name, pharma.open_innovation = name, rng.uniform(0.3, 1.0)
        if site is not None:
            pharma.open_site(np.array(site), target_headcount=20, start_headcount=0)
    model.pharma_list[0].open_site(np.array([9.0, 9.0]), target_headcount=20, start_headcount=0)
    lab = model.open_incubator(
        name="Lab", kind="incubator", xy_km=np.array([17.0, 17.0]), seats=5, host="Near"
    )
    firms = [startup(model, xy=tuple(rng.uniform(0, 20, 2)), quality=rng.uniform()) for _ in range(60)]
    for firm in [startup(model, xy=(17.0 + i / 2, 17.0), quality=0.5) for i in range(5)]:
        lab.admit(firm)  # far from every site: in Near's sight as its tenants
    for firm in firms[::7]:
        firm.stage_index = 2
    firms[10].public = True
    model.labour.add(10)
    anchor = founding.found(model, origin=Origin.ANCHOR, xy_km=np.array([3.0, 3.0]), quality=1.0, cash=1.0,
                            team=3, name="Anchorgen")  # fmt: skip
    anchor.stage_index = 3
    return model


def plain_scout(model) -> None:
    """deals.scout as it was: every mask over every company for every pharma."""
    table, c = model.companies, model.constants
    rows = table.alive_rows()
    targets = [table.firms[row] for row in rows.tolist()]
    hosting: dict[str, list[int]] = {}
    for incubator in model.incubators:
        if incubator.host and incubator.tenants:
            hosting.setdefault(incubator.host, []).extend(tenant.row for tenant in incubator.tenants)
    hosted_at = {host: np.searchsorted(rows, tenants) for host, tenants in hosting.items()}
    public, stage = table.columns["public"][rows], table.columns["stage_index"][rows]
    appetite = np.where(public, c.listed_deal_appetite, np.asarray(c.deal_appetite)[stage])
    buyout = np.where(public, c.listed_buyout_share, np.asarray(c.buyout_share)[stage])
    base = table.columns["quality"][rows] * appetite * (1.0 + c.partner_to_acquire)
    taken = np.zeros(len(targets), dtype=bool)
    held = np.array([model.script.holds(firm, model.year) for firm in targets])
    for pharma in model.pharma_list:
        if pharma.open_innovation <= 0 or not pharma.in_market:
            continue
        hosted = np.zeros(len(targets))
        hosted[hosted_at.get(pharma.name, [])] = 1.0
        hazard = c.acquisition_rate_year / 12.0 * pharma.open_innovation * base
        places = pharma.local_places()
        if places:
            near = np.min([distances_km(p.xy_km, table.positions(rows))[0] for p in places], axis=0)
            seen = decay(near, c.pharma_scout_reach_km)
        else:
            seen = np.full(
                len(rows), c.remote_sight + (1 - c.remote_sight) * model.factor("information") * 0.5
            )
        hazard *= np.maximum(seen, hosted)
        draws = model.rng.random(len(targets))
        acquired = (draws < hazard * buyout) & ~taken & ~held
        partnered = ~acquired & ~taken & (draws < hazard)
        taken |= acquired
        for i in np.flatnonzero(acquired):
            exits.acquire(model, pharma, targets[i])
        for i in np.flatnonzero(partnered):
            deals.partner(model, pharma, targets[i])


def test_scouting_with_kept_masks_makes_the_deals_of_the_plain_masks():
    for seed in range(3):
        outcomes = []
        for scout in (deals.scout, plain_scout):
            model = scouting_world(seed)
            for _ in range(6):
                scout(model)
            firms = [
                (f.firm_id, f.fate, f.acquirer, f.cash, f.headcount)
                for f in model.firms
                if isinstance(f, Startup)
            ]
            pharma = [(p.name, p.acquisitions, p.partnerships) for p in model.pharma_list]
            outcomes.append((firms, pharma, model.rng.random()))
        assert outcomes[0] == outcomes[1]
        assert sum(p[1] for p in outcomes[0][1]) >= 3 and sum(p[2] for p in outcomes[0][1]) > 150


def test_the_one_point_land_test_is_the_array_one():
    model = empty_world()
    land: LandMap = model.land
    rng = np.random.default_rng(5)
    width, height = land.size_km
    points = np.column_stack([rng.uniform(-2, width + 2, 4000), rng.uniform(-2, height + 2, 4000)])
    points[:10] = [[0, 0], [width, 0], [0, height], [width, height], [width - 1e-9, 3], [3, height - 1e-9],
                   [0.5, 0.5], [-1e-9, 4], [4, -1e-9], [width / 2, height / 2]]  # fmt: skip
    expected = land.is_land(points)
    assert [land.is_land_at(x, y) for x, y in points.tolist()] == expected.tolist()
    assert expected.any() and not expected.all()


def test_concentration_counts_the_blocks_of_histogram2d():
    model = empty_world()
    rng = np.random.default_rng(11)
    width, height = model.size_km
    block = metrics.CONCENTRATION_BLOCK_KM
    bins = [max(1, int(np.ceil(extent / block))) for extent in (width, height)]
    points = np.column_stack([rng.uniform(0, width, 30), rng.uniform(0, height, 30)])
    # The densest block is the last one, and half its firms sit on its far edges (which
    # histogram2d counts in it), with firms on block boundaries elsewhere.
    edge = np.array([[width, height]] * 6 + [[width - 1.0, height]] * 3 + [[width, height - 1.0]] * 3)
    bounds = [[0, 0], [10.0, 10.0], [9.999, 10.0], [width, 3.0], [3.0, height]]
    for x, y in (all_points := np.vstack([points, edge, bounds])):
        startup(model, xy=(x, y))
    counts, _, _ = np.histogram2d(*all_points.T, bins=bins, range=((0, width), (0, height)))
    assert counts[-1, -1] == counts.max() >= 12
    assert metrics.spatial_concentration(model) == round(float(counts.max() / len(all_points)), 4)


def test_blocks_kept_per_company_count_as_histogram2d_as_companies_come_and_go():
    model = empty_world()
    rng = np.random.default_rng(13)
    width, height = model.size_km
    block = metrics.CONCENTRATION_BLOCK_KM
    bins = [max(1, int(np.ceil(extent / block))) for extent in (width, height)]
    firms = [startup(model, xy=(rng.uniform(0, 3), rng.uniform(0, 3))) for _ in range(25)]  # block 0
    for batch in (20, 1, 35, 0, 8):
        firms += [startup(model, xy=(rng.uniform(0, width), rng.uniform(0, height))) for _ in range(batch)]
        firms.append(startup(model, xy=(width, height)))  # on the far edges
        for firm in rng.choice(firms, 4, replace=False):
            if firm.active:
                firm.close(Fate.FAILED)
        alive = np.array([firm.xy_km for firm in firms if firm.active])
        counts, _, _ = np.histogram2d(*alive.T, bins=bins, range=((0, width), (0, height)))
        assert metrics.spatial_concentration(model) == round(float(counts.max() / len(alive)), 4)


def test_the_largest_lineage_kept_as_firms_register_is_the_largest_count():
    model = empty_world()
    rng = np.random.default_rng(14)
    firms = [startup(model)]
    for _ in range(60):
        parent = firms[int(rng.integers(len(firms)))] if rng.random() < 0.7 else None
        firms.append(startup(model, parent=parent))
        assert metrics.largest_lineage(model) == max(model.lineage_counts.values())
    assert metrics.largest_lineage(model) > 2


def test_counts_of_flags_are_those_of_the_alive_rows():
    model = empty_world()
    rng = np.random.default_rng(15)
    firms = [startup(model) for _ in range(40)]
    for firm in firms:
        firm.public, firm.seated, firm.hub_member = (bool(b) for b in rng.random(3) < 0.5)
    for firm in firms[::3]:
        firm.close(Fate.FAILED)
    table = model.companies
    for names in ((), ("public",), ("seated", "hub_member"), ("public", "seated", "hub_member")):
        expected = sum(firm.active and all(getattr(firm, name) for name in names) for firm in firms)
        assert table.count(*names) == expected


def test_calls_due_the_same_month_run_together_in_the_order_made():
    model = empty_world()
    made: list[tuple[str, int]] = []

    def note(model, label):
        made.append((label, model.steps))
        if label == "b":
            model.later(1, note, "d")  # a call made by a call runs in a later month

    model.later(2, note, "a")
    model.later(2, note, "b")
    model.later(1, note, "c")
    for _ in range(4):
        model.step()
    assert made == [("c", 1), ("a", 2), ("b", 2), ("d", 3)]
    assert not model.pending


def test_staff_to_cut_keeps_the_founders_and_one_person():
    model = empty_world(downsize_to_years=1.0)  # 0.25 USD m a head a year
    big = startup(model, headcount=40, cash=2.0)  # pays 8 people for a year
    broke = startup(model, headcount=10, cash=-1.0)  # pays nobody: the founders stay
    tiny = startup(model, headcount=2, cash=0.0)  # fewer than the founders: nobody goes
    assert [big.staff_to_cut(), broke.staff_to_cut(), tiny.staff_to_cut()] == [
        32,
        10 - model.constants.founding_team,
        -1,
    ]
    together = Companies(model, np.array([big.row, broke.row, tiny.row])).staff_to_cut()
    assert together.tolist() == [32, 10 - model.constants.founding_team, -1]


@pytest.mark.parametrize("seed", range(5))
def test_the_leads_distance_is_numpys_norm(seed):
    vector = np.random.default_rng(seed).normal(0, 30, 2)
    assert funding._length(vector) == float(np.linalg.norm(vector))


def test_leads_drawn_together_are_those_drawn_round_by_round():
    model = empty_world()
    weights = np.random.default_rng(2).uniform(0, 1, (50, 4)) ** 3
    weights[[3, 17]] = 0.0  # rounds no VC can lead
    vcs = ["A", "B", "C", "D"]
    model.rng = np.random.default_rng(9)
    together = funding.draw_leads(model, weights, vcs)
    rng = np.random.default_rng(9)
    one_by_one = []
    for row in weights:
        cumulative = np.cumsum(row)
        if cumulative[-1] > 0:
            pick = int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))
            one_by_one.append(vcs[min(pick, len(vcs) - 1)])
        else:
            one_by_one.append(None)
    assert together == one_by_one
    assert together[3] is None and together[17] is None
    assert funding.draw_leads(model, np.zeros((3, 0)), []) == [None] * 3


def test_a_quality_clipped_without_numpy_is_numpys_clip():
    values = np.concatenate(
        [np.random.default_rng(16).normal(0.5, 0.6, 2000), [0.01, 1.0, 0.0099999, 1.0000001]]
    )
    assert [founding._clip_quality(v) for v in values] == [float(np.clip(v, 0.01, 1.0)) for v in values]
    assert np.exp(-1.0 / 12.0) == vc.MONTHLY_LEAD_DECAY


def test_insiders_following_on_together_are_those_taken_one_by_one():
    model = empty_world(insider_follow_on=0.99)
    c = model.constants
    rng = np.random.default_rng(17)
    vcs = [
        VentureCapital(model, name=f"VC {j}", xy_km=rng.uniform(0, 20, 2), capital=capital)
        for j, capital in enumerate((5.0, 300.0, 0.5, 80.0))
    ]
    vcs[1].recent_leads = 7.0  # partners half busy
    gone = VentureCapital(model, name="Gone", xy_km=np.array([1.0, 1.0]), capital=50.0)
    gone.remove()  # an investor no longer in the region
    seekers = [startup(model, xy=tuple(rng.uniform(0, 20, 2))) for _ in range(12)]
    seekers += [startup(model, xy=tuple(vc.xy_km)) for vc in vcs]  # next door: its pull is more
    for seeker in seekers:
        seeker.stage_index = int(rng.integers(0, 4))
        for investor in [*vcs, gone]:
            if rng.random() < 0.5:
                seeker.investors[investor] = 0.1
    _, weights = funding.access(model, seekers)
    insiders = {seeker: seeker.investors for seeker in seekers}
    for seeker in seekers:
        seeker.investors = {}
    _, plain = funding.access(model, seekers)  # no insider yet
    before = plain.copy()
    sizes = np.asarray(model.round_size(np.array([seeker.stage_index for seeker in seekers])))
    for i, seeker in enumerate(seekers):
        for investor in insiders[seeker]:
            if investor in vcs:
                j = vcs.index(investor)
                can_lead = (
                    min(1.0, investor.dry_powder / (c.lead_share * sizes[i])) * investor.capacity_left()
                )
                plain[i, j] = max(plain[i, j], c.insider_follow_on * can_lead)
    assert np.array_equal(weights, plain)
    assert (weights > before).sum() > 10 and (
        weights[[-4, -3, -2, -1], [0, 1, 2, 3]] == before[[-4, -3, -2, -1], [0, 1, 2, 3]]
    ).all()


def test_a_company_s_staff_to_cut_is_the_one_computed_for_many():
    model = empty_world(downsize_to_years=1.5)
    rng = np.random.default_rng(18)
    firms = [startup(model, cash=float(cash), headcount=int(people)) for cash, people in
             zip(rng.normal(1.0, 3.0, 200), rng.integers(1, 300, 200), strict=True)]  # fmt: skip
    firms += [startup(model, cash=cash, headcount=5) for cash in (0.0, -0.0, 1e-12, 0.375 * 1.5 * 4)]
    together = Companies(model, np.array([firm.row for firm in firms])).staff_to_cut()
    assert [firm.staff_to_cut() for firm in firms] == together.tolist()


def plain_graduation(incubator: Incubator) -> None:
    """Incubator.graduate_tenants as it was: the seat rule read for each incubator's tenants."""
    if not incubator.tenants:
        return
    rows = np.array([tenant.row for tenant in incubator.tenants], dtype=np.int64)
    staying = incubator.seat_rule().may_hold_seat(rows)
    for tenant in [t for t, stays in zip(incubator.tenants, staying.tolist(), strict=True) if not stays]:
        incubator.vacate(tenant)
        tenant.graduated = True


def test_tenants_refused_for_every_incubator_at_once_graduate_as_one_incubator_at_a_time(monkeypatch):
    seated = []
    for plain in (False, True):
        model, incubators = seat_world()
        if plain:
            monkeypatch.setattr(Incubator, "graduate_tenants", plain_graduation)
        for month in range(4):
            model.seat_rule = SeatRule(model)
            incubators.shuffle_do("step")
            model.seat_rule = None
            model.steps += 1
            model.time += 1.0  # the firms' clocks read the calendar (model.month_step)
            for incubator in list(incubators)[month % 2 :: 2]:
                incubator.tenants[0].stage_index = 2  # it graduates next month
        tenants = [[t.row for t in inc.tenants] for inc in incubators]
        seated.append((tenants, model.companies.column("graduated").tolist(), model.rng.random()))
    assert seated[0] == seated[1]
    assert sum(seated[0][1]) > 5


def test_alive_rows_kept_between_entries_and_exits_are_those_found_afresh():
    model = empty_world()
    table = model.companies
    rng = np.random.default_rng(21)
    firms = [startup(model) for _ in range(5)]
    for _ in range(300):  # past the table's first capacity
        rows = table.alive_rows()
        assert np.array_equal(rows, np.flatnonzero(table.column("alive")))
        assert not rows.flags.writeable  # a reader cannot change what the next one reads
        alive = [firm for firm in firms if firm.alive]
        if alive and rng.random() < 0.4:
            alive[int(rng.integers(len(alive)))].close(Fate.FAILED)
        else:
            firms.append(startup(model))
    assert table.alive_rows() is table.alive_rows()


def test_the_monthly_collector_records_what_mesas_collector_records():
    from mesa.datacollection import DataCollector

    model = spinout_world()
    mesa_collector = DataCollector(model_reporters=metrics.MODEL_REPORTERS)
    ours = model.datacollector
    collect = ours.collect

    def both(model) -> None:  # each collector records the month where the model collects it
        collect(model)
        mesa_collector.collect(model)

    ours.collect = both
    for _ in range(5):
        model.step()
    assert ours.model_vars == mesa_collector.model_vars
    assert [type(v) for v in ours.model_vars["year"]] == [type(v) for v in mesa_collector.model_vars["year"]]
    assert ours._collection_steps == mesa_collector._collection_steps
    assert ours.get_model_vars_dataframe().equals(mesa_collector.get_model_vars_dataframe())


def test_the_month_and_year_kept_for_a_time_are_those_computed_afresh():
    model = empty_world()
    for time in (0.0, 0.5, 1.0, 1.5, 2.0, 13.0, 13.5, 240.0):
        model.time = time
        month = max(0, int(np.ceil(time)) - 1)
        assert model.month_index == month
        assert model.year == model.cluster.start_year + month / 12.0


def test_landing_spots_read_when_drawn_are_those_of_the_stacked_spots():
    model = spinout_world()
    model.begin_month()
    table = model.companies
    stacked = np.vstack([table.positions(table.alive_rows())])
    state = model.rng.bit_generator.state
    spots = [model.landing_spot() for _ in range(50)]
    model.rng.bit_generator.state = state
    expected = [stacked[int(model.rng.integers(len(stacked)))] for _ in range(50)]
    assert all(np.array_equal(a, b) and a.dtype == b.dtype for a, b in zip(spots, expected, strict=True))
    # With nobody there yet, an outsider lands in the middle of the region.
    empty = empty_world()
    assert np.array_equal(empty.landing_spot(), np.array(empty.size_km) / 2)


def test_changes_and_cuts_of_some_companies_are_those_computed_for_all():
    model = empty_world(downsize_to_years=1.5)
    rng = np.random.default_rng(22)
    firms = [startup(model, cash=float(cash), headcount=int(people)) for cash, people in
             zip(rng.normal(1.0, 3.0, 120), rng.integers(1, 300, 120), strict=True)]  # fmt: skip
    for firm in firms[::3]:
        firm.public, firm.market_headcount = True, float(rng.uniform(0, 400))
    firms[0].market_headcount = 0.0
    every = Companies(model, rng.permutation([firm.row for firm in firms]))
    chosen = every.public & (every.market_headcount > 0)
    assert every.some(chosen).listed_change().tolist() == every.listed_change()[chosen].tolist()
    chosen = every.cash < 0.5
    assert every.some(chosen).staff_to_cut().tolist() == every.staff_to_cut()[chosen].tolist()
    assert every.some(np.zeros(len(firms), dtype=bool)).listed_change().tolist() == []


def test_a_world_on_the_placement_grid_runs_as_on_mesas_linked_grid(monkeypatch):
    from mesa.discrete_space import OrthogonalMooreGrid

    import ecosim.model
    from ecosim.agents.site import PlacementGrid
    from ecosim.model import BioclusterModel
    from ecosim.scenario import load

    # The tiny cluster as it is (a hospital whose translational support a firm reads from its
    # cell, a university, a hub, an incubator, an anchor, an event), with firms there at the
    # start: the whole world, its building included.
    scenario = load(TINY, overrides={"initial_firms": 12})

    def months(model):
        for _ in range(48):
            model.step()
        cells = sorted((a.unique_id, a.cell.coordinate) for a in model.agents if hasattr(a, "cell"))
        return model.datacollector.get_model_vars_dataframe(), cells

    ours = BioclusterModel(scenario, rng=5)
    assert isinstance(ours.grid, PlacementGrid)
    assert not any(cell.connections for cell in ours.grid.all_cells)
    monkeypatch.setattr(ecosim.model, "PlacementGrid", OrthogonalMooreGrid)
    linked = BioclusterModel(scenario, rng=5)
    assert all(cell.connections for cell in linked.grid.all_cells)
    (our_table, our_cells), (linked_table, linked_cells) = months(ours), months(linked)
    assert our_table["firms_active"].iloc[-1] > 12
    assert our_table.equals(linked_table) and our_cells == linked_cells
    # Nothing may read or make a link the placement grid does not keep: asking raises.
    cell = next(iter(ours.grid.all_cells))
    with pytest.raises(NotImplementedError, match="no neighbour links"):
        _ = cell.neighborhood
    with pytest.raises(NotImplementedError, match="no neighbour links"):
        cell.connect(next(iter(linked.grid.all_cells)))


@pytest.mark.parametrize("length", [0, 1, 2, 3, 7, 64, 65, 300])
def test_the_inline_shuffle_is_randoms_shuffle(length):
    ours, theirs = random.Random(length), random.Random(length)
    items = [f"agent {i}" for i in range(length)]
    mixed, expected = list(items), list(items)
    activation.shuffle(ours, mixed)
    theirs.shuffle(expected)
    assert mixed == expected
    assert ours.getstate() == theirs.getstate()  # the same numbers taken


class Noting(Agent):
    """An agent that notes its turns, and may remove another agent of its kind at its turn."""

    def __init__(self, model, turns: list[int]) -> None:
        super().__init__(model)
        self.turns = turns
        self.victim: Agent | None = None

    def step(self) -> None:
        self.turns.append(self.unique_id)
        if self.victim is not None and self.victim.model is not None:
            self.victim.remove()


def test_a_shuffled_activation_is_mesas_shuffle_do():
    turns: dict[str, list[int]] = {"ours": [], "mesa": []}
    models = {}
    for name in turns:
        model = Model(rng=11)
        agents = [Noting(model, turns[name]) for _ in range(40)]
        for first, second in zip(agents[:10], agents[20:30], strict=True):
            first.victim = second  # removed before its turn or after it, as the order falls
        for _ in range(3):
            if name == "ours":
                activation.shuffle_do_step(model.agents_by_type[Noting])
            else:
                model.agents_by_type[Noting].shuffle_do("step")
        models[name] = model
    assert turns["ours"] == turns["mesa"]
    assert len(models["ours"].agents) == 30 and 30 * 3 <= len(turns["ours"]) < 40 + 30 * 2  # some skipped
    assert models["ours"].random.getstate() == models["mesa"].random.getstate()


def medtech_world() -> BioclusterModel:
    """Device firms of every state: growing, at their size, above it; a pool too small for all
    of them; odds of leaving high enough that some leave every month.
    """
    model = empty_world(medtech_exit_rate_year=0.8)
    rng = np.random.default_rng(21)
    for i in range(60):
        model.labour.add(20)
        firm = founding.found(model, origin=Origin.ACADEMIC, xy_km=rng.uniform(0, 20, 2), quality=rng.uniform(),
                              headcount=int(rng.integers(1, 9)), kind=Medtech)  # fmt: skip
        firm.sales_headcount = int(rng.integers(1, 40)) if i % 3 else firm.headcount - i % 2
    model.labour.people = 12.5
    return model


def test_every_medtech_s_month_at_once_is_mesas_shuffled_steps():
    together, one_by_one = medtech_world(), medtech_world()
    for month in range(8):
        together.other_firms_before_month = together.other_firm_table.size  # as model.step sets it
        step_medtechs(together)
        one_by_one.agents_by_type[Medtech].shuffle_do("step")
        if month == 4:
            together.labour.add(30.25)
            one_by_one.labour.add(30.25)
    states = []
    for model in (together, one_by_one):
        firms = [(f.firm_id, f.headcount, f.peak_headcount, f.fate, f.fate_year) for f in model.firms]
        states.append((firms, model.labour.__dict__, model.ledger.total, sorted(model.pending),
                       model.random.getstate(), model.rng.random(), model.streams["kinds"].random()))  # fmt: skip
    assert states[0] == states[1]
    left = sum(f.fate == Fate.CLOSED for f in together.firms)
    assert 10 < left < 60 and together.labour.unfilled_this_month > 0  # the pool ran dry


def test_a_medtech_s_success_is_the_min_max_formula():
    model = medtech_world()
    firm = next(iter(model.agents_by_type[Medtech]))
    for staff in (0, 1, 2, 3, 7, 40, 41, 1999):
        for sales in (0, 1, 2, 3, 7, 40, 41, 2000):
            firm.headcount, firm.sales_headcount = staff, sales
            expected = min(1.0, max(staff, 1) / max(sales, 1))
            assert (firm.success(), type(firm.success())) == (expected, type(expected))


def test_the_other_firms_counted_once_a_collection_are_the_reporters_sums():
    model = spinout_world()  # companies, a pharma site and a branch
    for i in range(9):
        firm = founding.found(model, origin=Origin.ACADEMIC, xy_km=np.array([2.0 + i, 3.0]), quality=0.5,
                              headcount=3 + i, kind=Medtech)  # fmt: skip
        firm.in_census = i % 3 != 0
    model.pharma_sites[0].in_census = False

    def plain() -> tuple[int, int, int]:  # the sums each reporter made before
        others = model.other_firms()
        return (sum(f.headcount for f in others), sum(f.headcount for f in others if f.in_census),
                sum(1 for f in others if f.in_census))  # fmt: skip

    counts = metrics.OtherFirms.of(model)
    assert (counts.staff, counts.census_staff, counts.census_firms) == plain()
    assert 0 < counts.census_staff < counts.staff and counts.census_firms == 6 + 1
    names = ("employment", "employment_census", "firms_census", "organizations_census", "workforce_census")
    for month in range(3):  # the first collection is Mesa's own; the later ones keep the counts
        model.datacollector.collect(model)
        afresh = [metrics.MODEL_REPORTERS[name](model) for name in names]
        assert [model.datacollector.model_vars[name][-1] for name in names] == afresh
        model.medtechs[month].headcount += 5  # seen by the next collection, and outside one
        assert metrics.employment(model) == afresh[0] + 5


def counted_one_by_one(model):
    """What metrics.OtherFirms.of counts from the other firms' table, counted firm by firm."""
    staff = census_staff = census_firms = device_staff = census_device_staff = census_devices = 0
    for firm in model.other_firms():
        device = isinstance(firm, Medtech)
        staff += firm.headcount
        device_staff += firm.headcount if device else 0
        if firm.in_census:
            census_staff += firm.headcount
            census_firms += 1
            census_device_staff += firm.headcount if device else 0
            census_devices += device
    return metrics.OtherFirms(
        staff, census_staff, census_firms, device_staff, census_device_staff, census_devices
    )


def test_the_other_firms_table_holds_the_firms_and_numbers_read_firm_by_firm():
    model = spinout_world()  # companies, a pharma site and a branch
    model.constants = dataclasses.replace(model.constants, spinout_rate=2.0, medtech_exit_rate_year=0.9)
    rng = np.random.default_rng(5)
    for i in range(40):
        firm = founding.found(model, origin=Origin.ACADEMIC, xy_km=rng.uniform(0, 20, 2), quality=rng.uniform(),
                              headcount=int(rng.integers(1, 30)), kind=Medtech)  # fmt: skip
        firm.in_census = i % 3 != 0  # set after it came, as tests do
        if i % 4 == 0:
            firm.sales_headcount = firm.headcount - i % 8 // 4  # at its size, or above it
    model.pharma_sites[0].in_census = False
    PharmaSite(model, company=model.pharma_list[0], xy_km=np.array([9.0, 2.0]), target_headcount=30,
               start_headcount=30, established=1970.0)  # fmt: skip
    table = model.other_firm_table
    for month in range(10):
        model.other_firms_before_month = table.size  # as model.step sets it
        step_medtechs(model)  # some leave
        founding.regional_spinouts(model)  # device firms' people found device firms
        if month == 3:
            model.pharma_sites[-1].close(Fate.CLOSED)
        rows, firms = table.operating()
        others = model.other_firms()
        assert firms == others and len({type(f) for f in others}) == 3
        columns = {name: table.columns[name][rows].tolist() for name in ("quality", "in_census", "spins_out")}
        assert columns == {"quality": [f.quality for f in others], "in_census": [f.in_census for f in others],
                           "spins_out": [f.parents_spinouts for f in others]}  # fmt: skip
        assert table.columns["device"][rows].tolist() == [isinstance(f, Medtech) for f in others]
        devices = [f for f in others if isinstance(f, Medtech)]  # the last of the other firms
        sales = table.columns["sales_headcount"][rows][-len(devices) :]
        assert sales.tolist() == [f.sales_headcount for f in devices]
        headcount = table.headcount(others)
        assert headcount.tolist() == [f.headcount for f in others]
        success = table.success(rows, headcount)
        assert success.tolist() == [f.success() for f in others] and success.dtype == np.float64
        assert metrics.OtherFirms.of(model) == counted_one_by_one(model)
        assert labour.employers(model)[1] == others
    closed = sum(f.fate == Fate.CLOSED for f in model.firms if isinstance(f, Medtech))
    founded = sum(f.origin == Origin.SPINOUT for f in model.firms if isinstance(f, Medtech))
    assert closed > 5 and founded > 5  # firms came and went
    assert 0.0 < success.min() < 1.0 == success.max()


def test_a_company_s_attributes_read_and_write_its_row_as_the_descriptor_did():
    from ecosim.agents.company_table import COLUMNS

    model = empty_world()
    table = model.companies
    firms = [startup(model, cash=1.5 * i, headcount=3 + i) for i in range(4)]
    assert isinstance(Startup.__dict__["cash"], property)  # what CPython specialises
    rng = np.random.default_rng(5)
    for name, kind in COLUMNS.items():
        for firm in firms:
            value = kind(rng.integers(0, 2)) if kind is np.bool_ else kind(rng.uniform(0, 50))
            setattr(firm, name, value)
            read = getattr(firm, name)
            expected = table.columns[name].item(firm.row)  # what Column.__get__ returned
            assert (read, type(read)) == (expected, type(expected)) and read == value
    firms[2].alive = True
    rows = table.alive_rows()
    firms[1].alive = False  # setting alive forgets the rows kept
    assert table.alive_rows() is not rows
    assert table.alive_rows().tolist() == np.flatnonzero(table.column("alive")).tolist()


def test_the_map_s_points_are_those_of_the_firm_table_filtered_as_data_frames():
    import pandas as pd

    from ecosim import plots
    from ecosim.metrics import CHANNELS, NOT_STARTUP_KINDS

    rng = np.random.default_rng(11)
    n = 400
    origins = ["anchor", *CHANNELS, "relocation", "preexisting", "pharma_site", "branch"]
    firms = pd.DataFrame(
        {
            "x": rng.uniform(0, 50, n),
            "y": rng.uniform(0, 50, n),
            "fate": rng.choice(["active", "listed", "failed", "acquired", "closed"], n),
            "kind": rng.choice(["startup", "pharma_site", "branch", Medtech.kind], n),
            "origin": rng.choice(origins, n),
        }
    )
    _, ax = plots.subplots()
    plots.draw_map(ax, plots.map_points(firms))
    # What draw_map drew before it read numpy columns: a DataFrame filtered for each group.
    gone = firms[firms["fate"].isin(["failed", "acquired", "closed"])]
    active = firms[~firms.index.isin(gone.index)]
    companies = active[~active["kind"].isin(NOT_STARTUP_KINDS)]
    groups = [gone, active[active["kind"] == "pharma_site"], active[active["kind"] == "branch"]]
    groups.append(active[active["kind"] == Medtech.kind])
    groups += [
        companies[companies["origin"] == o] for o in ("anchor", *CHANNELS, "relocation", "preexisting")
    ]
    assert len(ax.collections) == len(groups)
    for drawn, group in zip(ax.collections, groups, strict=True):
        assert np.array_equal(drawn.get_offsets(), group[["x", "y"]].to_numpy())
