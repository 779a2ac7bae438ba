"""Knock each named mechanism out, one at a time, and check that a test fails.

For every mechanism below the script copies src/ to a temporary folder, replaces the line that
implements the mechanism by a version without it (a constant, a no-op), runs the tests that are
meant to protect it against that copy, and reports whether they failed, as they must. The
working tree is never touched.

    .venv/bin/python scripts/knockout.py            # every knockout (about 3 minutes)
    .venv/bin/python scripts/knockout.py --out scripts/knockout.md
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Knockout:
    """A mechanism, the line that implements it, its broken version, and its guarding tests."""

    mechanism: str
    path: str
    line: str
    broken: str
    tests: tuple[str, ...]


T = "tests/test_theory.py::"
L = "tests/test_life_cycle.py::"
H = "tests/test_scripted_history.py::"
KNOCKOUTS = (
    Knockout(
        "every company's month: doubt fades for all at once",
        "agents/startup.py",
        "        self.forget_setbacks()\n        self.fill_posts()",
        "        self.fill_posts()",
        (L + "test_the_month_of_many_companies_is_each_companys_month",),
    ),
    Knockout(
        "every company's month: those short of cash cut staff",
        "agents/startup.py",
        "            if cuts:\n                firm.cut_to_what_the_bank_pays()",
        "            if cuts:\n                pass",
        (L + "test_the_month_of_many_companies_is_each_companys_month",),
    ),
    Knockout(
        "spinout rate rises with parent quality and success (Klepper)",
        "mechanisms/founding.py",
        "rates = c.spinout_rate / 12.0 * headcount * quality * succ",
        "rates = c.spinout_rate / 12.0 * headcount * 0.5",
        (
            T + "test_spinout_hazard_is_rate_times_headcount_quality_and_success",
            T + "test_better_and_more_successful_parents_spin_out_more",
        ),
    ),
    Knockout(
        "heredity of quality",
        "mechanisms/founding.py",
        "mixed = c.quality_heredity * parent_quality + (1.0 - c.quality_heredity) * c.quality_mean",
        "mixed = c.quality_mean",
        (T + "test_a_spinout_inherits_its_parents_quality",),
    ),
    Knockout(
        "spinout locality",
        "mechanisms/founding.py",
        "xy = model.settle_near(parent.xy_km, model.constants.spinout_radius_km)",
        "xy = model.settle_near(np.array(model.size_km) / 2, 50.0)",
        (T + "test_spinouts_settle_near_their_parent",),
    ),
    Knockout(
        "VC distance decay (local bias)",
        "mechanisms/funding.py",
        "local = decay(d, c.local_vc_reach_km * reach_scale[:, None])",
        "local = np.ones_like(d)",
        (
            T + "test_a_vcs_pull_decays_with_distance_local_bias_and_network",
            T + "test_the_lead_investor_is_drawn_by_pull",
        ),
    ),
    Knockout(
        "VC distance decay (network reach)",
        "mechanisms/funding.py",
        "network = decay(d, c.vc_reach_km)",
        "network = np.ones_like(d)",
        (T + "test_a_vcs_pull_decays_with_distance_local_bias_and_network",),
    ),
    Knockout(
        "release of staff on failure",
        "mechanisms/exits.py",
        "founding.release_talent(model, startup, startup.headcount, "
        "boost=model.constants.distress_founding_factor)",
        "pass",
        (
            T + "test_a_failure_releases_its_staff_to_found_firms_and_join_the_pool",
            T + "test_released_staff_who_do_not_found_join_the_labour_pool",
        ),
    ),
    Knockout(
        "serial founders",
        "mechanisms/exits.py",
        "for _ in range(c.founders_per_exit):",
        "for _ in range(0):",
        (T + "test_founders_of_a_successful_exit_found_again_and_start_alumni_vcs",),
    ),
    Knockout(
        "alumni VCs",
        "mechanisms/exits.py",
        "if value >= c.alumni_vc_min_exit_musd and model.random.random() < c.release_vc_share:",
        "if False:",
        (T + "test_founders_of_a_successful_exit_found_again_and_start_alumni_vcs",),
    ),
    Knockout(
        "founders are rewarded once per company (a listed firm's sale rewards nobody again)",
        "mechanisms/exits.py",
        "    if startup.founders_rewarded:",
        "    if False:",
        (T + "test_founders_are_rewarded_once_per_company_a_listed_firms_sale_rewards_nobody_again",),
    ),
    Knockout(
        "hub coordination of the other four factors",
        "model.py",
        "self.factors = {name: value * (1.0 - h + h * leadership) for name, value in raw.items()}",
        "self.factors = dict(raw)",
        (T + "test_hub_leadership_coordinates_the_other_four",),
    ),
    Knockout(
        "hospital boost to milestones",
        "agents/startup.py",
        "return rate * (1.0 + c.hospital_boost * self.support)",
        "return rate",
        (T + "test_a_translational_hospital_raises_milestone_odds_nearby",),
    ),
    Knockout(
        "IPO path (only firms with programmes in the clinic list)",
        "agents/startup.py",
        "share = (self.stage_index >= c.ipo_from_stage) + (self.stage_index == c.ipo_from_stage - 1) * (",
        "share = 1.0 + 0.0 * (",
        (T + "test_the_ipo_path_lists_a_clinical_stage_firm_raises_money_and_pays_investors",),
    ),
    Knockout(
        "released would-be founders found only if still looking for a job",
        "mechanisms/founding.py",
        "still_looking = model.random.random() < model.labour.still_looking_since(looking_since)",
        "still_looking = True",
        (
            T + "test_a_released_would_be_founder_founds_with_the_odds_of_still_looking_for_a_job",
            T + "test_released_would_be_founders_hired_first_found_nothing_and_nobody_is_counted_twice",
        ),
    ),
    Knockout(
        "each month's hiring sets the job seekers' odds of still looking",
        "mechanisms/labour.py",
        "    pool.close_month()\n",
        "    pass\n",
        (L + "test_each_month_s_hiring_sets_the_job_seekers_odds_of_still_looking",),
    ),
    Knockout(
        "seekers who left the pool count among those looking that month",
        "mechanisms/labour.py",
        "seekers = self.hired_month + self.people + self.left_month",
        "seekers = self.hired_month + self.people",
        (L + "test_each_month_s_hiring_sets_the_job_seekers_odds_of_still_looking",),
    ),
    Knockout(
        "an employer's open posts count once a month",
        "mechanisms/labour.py",
        "            elif unfilled > self.unfilled_by.get(employer, 0):\n"
        "                self.unfilled_by[employer] = unfilled",
        "            else:\n"
        "                self.unfilled_by[employer] = self.unfilled_by.get(employer, 0) + unfilled",
        (L + "test_an_employer_s_open_posts_count_once_a_month",),
    ),
    Knockout(
        "posts a company could not fill stay open and are asked for every month",
        "agents/startup.py",
        "        self.forget_setbacks()\n        self.fill_posts()\n",
        "        self.forget_setbacks()\n",
        (L + "test_posts_the_pool_could_not_fill_stay_open_until_filled",),
    ),
    Knockout(
        "buyers partner early and buy late (buy-out share by stage)",
        "mechanisms/deals.py",
        "acquired = (draws < hazard * buyout) & buyable",
        "acquired = (draws < hazard / (1.0 + c.partner_to_acquire)) & buyable",
        ("tests/test_mechanisms.py::test_buyers_pay_for_clinical_proof_partner_early_and_buy_late",),
    ),
    Knockout(
        "IPO raises money",
        "mechanisms/exits.py",
        "startup.receive(raised)",
        "pass",
        (T + "test_the_ipo_path_lists_a_clinical_stage_firm_raises_money_and_pays_investors",),
    ),
    Knockout(
        "shared-lab saving",
        "agents/startup.py",
        "(1.0 - c.shared_lab_saving * self.seated)",
        "1.0",
        (T + "test_a_shared_lab_seat_cuts_the_burn",),
    ),
    Knockout(
        "hubs recruit every kind of firm, not only companies",
        "agents/hub.py",
        "other_rows = Roll.absent(others.operating()[0], self.roll.others)\n",
        "other_rows = Roll.absent(others.operating()[0], self.roll.others)[:0]\n",
        ("tests/test_mechanisms.py::test_a_hub_recruits_device_firms_pharma_sites_and_branches",),
    ),
    Knockout(
        "a member of one hub may join another",
        "agents/hub.py",
        "company_rows = Roll.absent(companies.alive_rows(), self.roll.companies)\n",
        "company_rows = Roll.absent(companies.alive_rows(), self.roll.companies)\n"
        '        company_rows = company_rows[~companies.columns["hub_member"][company_rows]]\n',
        ("tests/test_mechanisms.py::test_a_member_of_one_hub_joins_another_and_counts_for_each",),
    ),
    Knockout(
        "a firm that closes or is bought leaves every hub's roll",
        "agents/firm.py",
        "            hub.roll.strike(self)",
        "            pass",
        ("tests/test_mechanisms.py::test_a_firm_that_closes_or_is_bought_leaves_every_roll",),
    ),
    Knockout(
        "factor: hub leadership -> events",
        "agents/hub.py",
        "per_year = self.events_capacity * self.leadership",
        "per_year = self.events_capacity * 0.5",
        (T + "test_hub_leadership_acts_through_members_and_events",),
    ),
    Knockout(
        "events budget -> events",
        "agents/hub.py",
        "per_year += self.budget_share(EVENTS) * self.model.constants.events_per_musd",
        "per_year += 0.0",
        (T + "test_an_events_budget_pays_for_events",),
    ),
    Knockout(
        "factor: diverse players -> pharma-site and VC arrivals",
        "mechanisms/arrival.py",
        'pull = model.visible_mass() / c.arrival_mass_reference * model.factor("diverse_players")',
        "pull = model.visible_mass() / c.arrival_mass_reference * 0.5",
        (T + "test_diverse_players_acts_through_pharma_site_and_vc_arrivals",),
    ),
    Knockout(
        "factor: fusion -> shared-lab seats",
        "agents/hub.py",
        'seats = c.shared_seats_per_fusion * self.model.factor("cross_disciplinary_fusion")',
        "seats = c.shared_seats_per_fusion * 0.5",
        (T + "test_fusion_acts_through_shared_lab_seats_and_convergent_discoveries",),
    ),
    Knockout(
        "a shrinking shared lab moves its excess tenants out (Incubator.resize)",
        "agents/hub.py",
        "            self.lab.resize(int(seats))",
        "            self.lab.seats = int(seats)",
        ("tests/test_mechanisms.py::test_a_hubs_shared_lab_shrinking_with_fusion_moves_tenants_out",),
    ),
    Knockout(
        "an incubator tenant holds its seat for graduation_years in the seat, not until that age",
        "agents/incubator.py",
        "            for row in seated[~Companies(self.model, seated).may_keep_seat()].tolist():",
        "            for row in seated[~self.may_hold_seat(seated)].tolist():",
        (
            "tests/test_mechanisms.py::test_a_tenant_keeps_its_seat_for_graduation_years_in_the_seat_not_until_that_age",
        ),
    ),
    Knockout(
        "factor: fusion -> convergent discoveries",
        "agents/university.py",
        'convergence = 1.0 + c.convergence_boost * self.model.factor("cross_disciplinary_fusion")',
        "convergence = 1.0",
        (T + "test_fusion_acts_through_shared_lab_seats_and_convergent_discoveries",),
    ),
    Knockout(
        "factor: focused projects -> project stream",
        "mechanisms/projects.py",
        'factor = self.model.factor("focused_projects") * c.project_budget_musd_year',
        "factor = 0.5 * c.project_budget_musd_year",
        (T + "test_focused_projects_act_through_grants_and_research_money",),
    ),
    Knockout(
        "factor: information -> relocations",
        "mechanisms/arrival.py",
        '(0.2 + 0.8 * model.factor("information"))',
        "(0.2 + 0.8 * 0.5)",
        (T + "test_information_acts_through_relocations_outside_investors_and_outside_members",),
    ),
    Knockout(
        "levers: factor raises",
        "mechanisms/policy.py",
        "state.raises[name] = state.raises.get(name, 0.0) + delta",
        "pass",
        (
            T + "test_the_secretariat_lever_raises_hub_leadership",
            T + "test_the_briefings_lever_raises_diverse_players_and_pays_for_meetings",
            T + "test_the_exhibits_lever_raises_information_and_events",
        ),
    ),
    Knockout(
        "levers: budgets spent through channels",
        "mechanisms/policy.py",
        "state.budgets[policy.channel] = state.budgets.get(policy.channel, 0.0) + spend",
        "pass",
        (
            T + "test_the_biofoundry_lever_builds_shared_lab_seats",
            T + "test_the_priority_evaluation_lever_feeds_the_project_stream",
            T + "test_the_briefings_lever_raises_diverse_players_and_pays_for_meetings",
        ),
    ),
    Knockout(
        "levers: shared-lab budget -> seats",
        "agents/hub.py",
        "seats += self.budget_share(SHARED_LABS) / c.seat_cost_musd_year",
        "seats += 0.0",
        (T + "test_the_biofoundry_lever_builds_shared_lab_seats",),
    ),
    Knockout(
        "levers: project budget -> project stream",
        "mechanisms/projects.py",
        'return factor + self.model.policy.budget("projects")',
        "return factor + 0.0",
        (T + "test_the_priority_evaluation_lever_feeds_the_project_stream",),
    ),
    Knockout(
        "levers: a vc_fund opens a fund",
        "model.py",
        "self.at_month(month, _open_policy_fund, policy.name, policy.budget_musd)",
        "pass",
        (T + "test_the_vc_fund_channel_opens_a_fund_in_the_region",),
    ),
    Knockout(
        "acquired staff leave over the years",
        "agents/pharma.py",
        "leaving = int(self.model.rng.binomial(cohort.people, departing))",
        "leaving = 0",
        (
            L + "test_staff_of_a_bought_firm_leave_over_years_and_found_at_boosted_odds",
            L + "test_a_buyer_with_a_site_takes_the_staff_in_and_sheds_them",
        ),
    ),
    Knockout(
        "a bought lab goes on as the buyer's unit",
        "agents/pharma.py",
        "        unit.take_on(cohort)\n        self.units.append(unit)",
        "        pass",
        (L + "test_a_buyer_without_a_site_runs_the_bought_lab_as_its_unit",),
    ),
    Knockout(
        "a pharma acts only from its entry",
        "mechanisms/deals.py",
        "if pharma.open_innovation <= 0 or not pharma.in_market:",
        "if pharma.open_innovation <= 0:",
        (L + "test_a_pharma_buys_nothing_before_it_is_in_the_market",),
    ),
    Knockout(
        "listed firms live on their markets",
        "agents/startup.py",
        "        self.cash = self.cash - self.monthly_burn()\n",
        "        pass\n",
        (L + "test_a_listed_firm_whose_market_fades_cuts_staff_and_can_fail",),
    ),
    Knockout(
        "a listed company staffs several programmes (listed_team_multiple)",
        "agents/startup.py",
        "            * (c.listed_team_multiple if self.public else 1.0)",
        "            * 1.0",
        (L + "test_a_listed_company_staffs_as_many_teams_as_the_multiple_and_its_cash_allow",),
    ),
    Knockout(
        "downsizing when short",
        "agents/startup.py",
        "        return np.minimum(self.headcount - keep, self.headcount - 1)",
        "        return 0 * self.headcount",
        (
            L + "test_a_firm_short_of_cash_that_cannot_raise_cuts_staff_to_the_pool",
            L + "test_the_month_of_many_companies_is_each_companys_month",
        ),
    ),
    Knockout(
        "investor doubt fades",
        "agents/startup.py",
        "self.doubt = self.doubt * np.exp(-1.0 / (self.model.constants.setback_memory_years * 12.0))",
        "pass",
        (L + "test_investor_doubt_fades_with_time_and_progress",),
    ),
    Knockout(
        "research needs people",
        "agents/startup.py",
        "staffed = np.minimum(1.0, self.headcount / stage_team(c, self.model.year, index))",
        "staffed = 1.0",
        (L + "test_research_needs_people",),
    ),
    Knockout(
        "labour: leavers replaced only from the pool",
        "mechanisms/labour.py",
        "replaced = pool.take(int(leaving.sum()))",
        "replaced = int(leaving.sum())",
        (L + "test_staff_who_leave_the_industry_are_replaced_only_from_the_pool",),
    ),
    Knockout(
        "capital: outside money is finite",
        "mechanisms/funding.py",
        "        outside *= budget / demand",
        "        pass",
        (L + "test_outside_money_is_shared_among_the_seekers",),
    ),
    Knockout(
        "capital: the month's rounds close in a random order (a dry fund favours no row)",
        "mechanisms/funding.py",
        "    closing = model.rng.permutation(np.flatnonzero(model.rng.random(len(seekers)) < odds))",
        "    closing = np.flatnonzero(model.rng.random(len(seekers)) < odds)",
        ("tests/test_mechanisms.py::test_rounds_close_in_a_random_order_not_the_tables",),
    ),
    Knockout(
        "capital: outside backers' follow-on is paid from the finite outside money",
        "mechanisms/funding.py",
        "    demand = float((outside * sizes).sum()) * c.pitch_efficiency",
        "    demand = float(((outside - insiders_outside) * sizes).sum()) * c.pitch_efficiency",
        ("tests/test_mechanisms.py::test_outside_backers_follow_on_from_the_same_finite_outside_money",),
    ),
    Knockout(
        "capital: a VC leads only so many rounds",
        "agents/vc.py",
        "return np.maximum(0.0, 1.0 - np.asarray(recent_leads) / leads_per_year)",
        "return np.ones_like(np.asarray(recent_leads, dtype=float))",
        (L + "test_a_vc_leads_only_so_many_rounds_a_year",),
    ),
    Knockout(
        "rounds of their era",
        "model.py",
        "self.round_index = round_size_index(year)",
        "self.round_index = 1.0",
        ("tests/test_mechanisms.py::test_round_closes_with_a_rich_vc_next_door",),
    ),
    Knockout(
        "early rounds are the early multiple of their era's (early_round_multiple)",
        "model.py",
        "early = c.early_round_multiple if year < c.early_round_end else 1.0",
        "early = 1.0",
        (L + "test_early_rounds_are_the_early_multiple_of_their_eras_index",),
    ),
    Knockout(
        "the firms at the start hold what is left of their round",
        "model.py",
        "        firm.cash *= cash_left",
        "        pass",
        (
            L + "test_the_firms_there_at_the_start_are_met_part_way_through_their_round_and_stage",
            L + "test_the_firms_there_at_the_start_do_not_close_together",
        ),
    ),
    Knockout(
        "the firms at the start are met part-way through their stage",
        "model.py",
        "        firm.progress_step = self.month_step - since",
        "        firm.progress_step = self.month_step",
        (
            L + "test_the_firms_there_at_the_start_are_met_part_way_through_their_round_and_stage",
            L + "test_the_firms_there_at_the_start_do_not_close_together",
        ),
    ),
    Knockout(
        "the national market for listings takes a share of the region's bids",
        "mechanisms/listing_market.py",
        "self.acceptance = ratio if ratio <= 1.0 else 1.0 + pull * (ratio - 1.0)",
        "self.acceptance = 1.0",
        (
            "tests/test_listing_market.py::test_a_scarce_market_takes_a_share_of_the_bids",
            "tests/test_listing_market.py::test_a_japanese_region_lists_as_japans_market_lets_it",
        ),
    ),
    Knockout(
        "teams by era: a stage's team is the era's multiple of today's (early_team_multiple)",
        "agents/startup.py",
        "return multiple + (1.0 - multiple) * fade",
        "return 1.0",
        (
            L + "test_teams_by_era_fade_from_the_early_multiple_to_todays",
            L + "test_an_early_company_staffs_and_needs_its_eras_larger_team",
        ),
    ),
    Knockout(
        "the rest of the country's bids come from its companies outside the region (listing_market_share)",
        "mechanisms/listing_market.py",
        "self.others = 1.0 - (share or 0.0)",
        "self.others = 1.0",
        ("tests/test_listing_market.py::test_the_rest_of_the_country_is_data_never_the_regions_own_count",),
    ),
    Knockout(
        "a scripted listing happens on its date (scripted history)",
        "mechanisms/history.py",
        "exits.ipo(model, firm, scripted=True)",
        "pass",
        (
            H + "test_a_scripted_listing_happens_on_its_date_and_not_before",
            H + "test_the_anchors_follow_their_documented_lives",
        ),
    ),
    Knockout(
        "no unscripted listing before a scripted one",
        "mechanisms/exits.py",
        "if not scripted and model.script.lists_later(startup, model.year):",
        "if False:",
        (H + "test_a_scripted_listing_happens_on_its_date_and_not_before",),
    ),
    Knockout(
        "an anchor in its documented life does not fail",
        "mechanisms/exits.py",
        "if not scripted and model.script.holds(startup, model.year):",
        "if False:",
        (
            H + "test_the_documented_life_holds_the_anchor_until_its_last_event_then_lets_go",
            H + "test_the_anchors_follow_their_documented_lives",
            H + "test_an_anchor_in_its_documented_life_is_not_closed_by_a_failure_but_by_a_scripted_closure",
        ),
    ),
    Knockout(
        "an anchor in its documented life is not bought unscripted",
        "mechanisms/deals.py",
        "buyable = ~model.script.held_rows(table, rows, model.year)",
        "buyable = np.ones(len(rows), dtype=bool)",
        (H + "test_the_documented_life_holds_the_anchor_until_its_last_event_then_lets_go",),
    ),
    Knockout(
        "people move in for an anchor's documented jobs the pool cannot fill",
        "mechanisms/history.py",
        "    come_for_documented_jobs(model, staff - firm.headcount)\n",
        "",
        (
            H + "test_people_move_in_for_documented_jobs_the_pool_cannot_fill",
            H + "test_a_kept_site_gets_its_documented_staff_from_an_empty_pool_then_hires_back_from_the_pool",
        ),
    ),
    Knockout(
        "a documented product reaches the market",
        "mechanisms/history.py",
        "firm.launch_product()",
        "pass",
        (H + "test_a_documented_product_reaches_the_market_on_its_date",),
    ),
    Knockout(
        "a documented headcount is hired and paid for",
        "mechanisms/history.py",
        "    firm.market_headcount = firm.documented_market = float(staff)",
        "    pass",
        (H + "test_a_documented_headcount_is_hired_and_paid_for",),
    ),
    Knockout(
        "an anchor follows its documented staff between counts (staff_path)",
        "model.py",
        "self.at_month(month, history.follow_staff, anchor.name, staff)",
        "pass",
        (H + "test_an_anchor_follows_its_documented_staff_month_by_month",),
    ),
    Knockout(
        "a bought anchor with staff documented after its sale is kept as its buyer's site",
        "agents/pharma.py",
        "unit = (KeptSite if kept else PharmaSite)(",
        "unit = PharmaSite(",
        (
            H + "test_a_bought_anchor_with_documented_staff_after_its_sale_is_kept_as_its_buyers_site",
            H + "test_a_bought_anchor_kept_by_a_buyer_with_a_local_site_stays_a_site_of_its_own",
        ),
    ),
    Knockout(
        "a kept site is a pharma site: stepped, counted, employing (subclasses in groups_of)",
        "model.py",
        "return [by_type[cls] for cls in family(kind) if cls in by_type]",
        "return [by_type[kind]] if kind in by_type else []",
        (
            H + "test_a_bought_anchor_with_documented_staff_after_its_sale_is_kept_as_its_buyers_site",
            H + "test_a_kept_site_gets_its_documented_staff_from_an_empty_pool_then_hires_back_from_the_pool",
        ),
    ),
    Knockout(
        "a kept site lets go the staff beyond its documented count",
        "agents/pharma.py",
        "founding.release_talent(self.model, self, leaving, boost=boost)",
        "pass",
        (H + "test_a_kept_site_larger_than_its_documented_staff_lets_the_excess_go",),
    ),
    Knockout(
        "a budget spent through hubs is split among them",
        "agents/hub.py",
        "return self.model.policy.budget(channel) / max(1, len(self.model.hubs))",
        "return self.model.policy.budget(channel)",
        (
            "tests/test_accounting.py::test_a_shared_lab_budget_is_spent_once_across_the_hubs",
            "tests/test_accounting.py::test_an_events_budget_is_spent_once_across_the_hubs",
        ),
    ),
    Knockout(
        "a share a year applied as its monthly share (rates.monthly_share)",
        "rates.py",
        "    return -math.expm1(math.log1p(-share_year) / 12.0)",
        "    return share_year / 12.0",
        ("tests/test_rates.py",),
    ),
    Knockout(
        "a company's first month is the one after its founding",
        "model.py",
        "        return rows[: int(np.searchsorted(rows, self.company_rows_before_month))]",
        "        return rows",
        (L + "test_a_firm_s_first_month_is_the_one_after_its_founding_whatever_its_channel",),
    ),
    Knockout(
        "a device firm's or site's first month is the one after its founding",
        "model.py",
        "        return 0 <= firm.other_row < self.other_firms_before_month",
        "        return True",
        (L + "test_a_firm_s_first_month_is_the_one_after_its_founding_whatever_its_channel",),
    ),
    Knockout(
        "an anchor's documented market does not fade",
        "agents/startup.py",
        "        self.market_headcount = documented + (self.market_headcount - documented) * fade",
        "        self.market_headcount = self.market_headcount * fade",
        (H + "test_an_anchor_s_markets_stay_at_its_last_documented_staff_while_a_product_s_fade",),
    ),
    Knockout(
        "a company's runway is net of its sales",
        "agents/startup.py",
        "        return self.monthly_burn() - self.revenue_musd_year() / 12.0",
        "        return self.monthly_burn()",
        (L + "test_a_listed_firm_whose_sales_pay_its_staff_neither_seeks_money_nor_cuts_staff",),
    ),
    Knockout(
        "a cut keeps the staff its sales pay for",
        "agents/startup.py",
        "        keep = np.maximum(c.founding_team, affordable + self.sales_staff())",
        "        keep = np.maximum(c.founding_team, affordable)",
        (L + "test_a_firm_short_of_cash_keeps_the_staff_its_sales_pay_for",),
    ),
    Knockout(
        "a lab with seats to spare moves nobody out",
        "agents/incubator.py",
        "        excess = max(0, len(self.tenants) - max(0, seats))",
        "        excess = len(self.tenants) - max(0, seats)",
        ("tests/test_mechanisms.py::test_a_lab_with_seats_to_spare_moves_nobody_out",),
    ),
    Knockout(
        "a tenant graduating this month is not seated again in it",
        "agents/incubator.py",
        '        return self.known[rows] & ~self.model.companies.columns["graduated"][rows]',
        "        return self.known[rows]",
        ("tests/test_mechanisms.py::test_a_tenant_graduating_this_month_is_not_seated_again_in_it",),
    ),
)


def run(knockout: Knockout, src: Path) -> tuple[bool, str]:
    """Apply one knockout to a copy of src/ and run its tests; (caught, detail)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "src"
        shutil.copytree(src, copy, ignore=shutil.ignore_patterns("__pycache__"))
        target = copy / "ecosim" / knockout.path
        text = target.read_text()
        if text.count(knockout.line) != 1:
            return False, f"the line is not found once in {knockout.path}: the script is out of date"
        target.write_text(text.replace(knockout.line, knockout.broken))
        env = {**os.environ, "PYTHONPATH": str(copy)}
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *knockout.tests],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        last = (done.stdout.strip().splitlines() or [""])[-1]
        return done.returncode == 1, last


def main() -> int:
    """Run every knockout and print (or write) a table; exit 1 if one went unnoticed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the table to this Markdown file")
    args = parser.parse_args()
    rows = ["| mechanism knocked out | caught | tests run |", "| --- | --- | --- |"]
    missed = 0
    for knockout in KNOCKOUTS:
        caught, detail = run(knockout, ROOT / "src")
        missed += not caught
        rows.append(f"| {knockout.mechanism} | {'yes' if caught else 'NO'} | {detail} |")
        print(rows[-1], flush=True)
    summary = f"\n{len(KNOCKOUTS) - missed} of {len(KNOCKOUTS)} knockouts caught by a test."
    print(summary)
    if args.out:
        args.out.write_text("\n".join(rows) + "\n" + summary + "\n")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
