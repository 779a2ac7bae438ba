"""Mechanism constants shared by every cluster.

A scenario describes a place; these numbers describe how the mechanisms work anywhere. The
first group (``FREE``) is inferred from the clusters' figures (``ecosim posterior``, results/posterior/,
and ``ecosim calibrate``'s least-squares fit, results/calibration/): the package default is the
point experiments/default_point.py chose, read from fitted_constants.json; the rest are priors
from the literature, each noted where it is used below by a short name that
docs/REFERENCES.md resolves to its full reference.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from pathlib import Path

from ecosim.packagedata import MissingDataError

FITTED_FILE = Path(__file__).with_name("fitted_constants.json")

# The constants calibrate.py may fit; everything else stays at its cited prior. The rates of
# the four ways firms come (three founding channels and the branches hubs draw in) set the
# firm counts; commercial_growth_year is free too because it is
# the only way a firm grows past the 60 staff a late round pays for, so without it employment
# per firm is fixed by the priors and the employment figures cannot be reached (calibrate.py);
# outside_member_rate alone sets how many members a hub draws from outside its region;
# listed_team_multiple sets the staff of listed companies before their products sell;
# ipo_rate_year sets how soon a company in the clinic lists, which the exit timing measures;
# ipo_news_fade_year and early_listing_share set which companies list at all and when (the exit
# timing against the counts of firms), and distress_founding_factor how many of the people that
# struggling firms let go found firms (the lineages' and the 1990s' small firms): the three that
# results/history's scans found the fit could not reach with the eleven before them;
# movers_per_unfilled_post how many people from elsewhere the posts a region cannot fill draw in
# (the Bay Area's jobs, which its graduates alone cannot staff: results/history/labour_supply_scan).
FREE = (
    "outside_member_rate",
    "discovery_rate",
    "spinout_rate",
    "arrival_rate",
    "hub_draw_rate",
    "commercial_growth_year",
    "hub_coordination",
    "market_headcount_median",
    "release_found_share",
    "listed_team_multiple",
    "ipo_rate_year",
    "ipo_news_fade_year",
    "early_listing_share",
    "distress_founding_factor",
    "movers_per_unfilled_post",
)


@dataclass(frozen=True)
class Constants:
    """All mechanism constants. Units are per month unless a name says otherwise."""

    # Fitted (FREE): rates of the founding channels and of the branches hubs draw in.
    discovery_rate: float = 40.0
    """Invention disclosures a year per unit of research strength (MIT's licensing office sees
    some 500 a year across all fields, about half in life sciences; the prior before fitting)."""
    spinout_rate: float = 0.0020
    """Employee spinouts a year per employee of a parent of quality 1 and full success."""
    arrival_rate: float = 0.03
    """Outside startups a year per unit of visible cluster mass, at full information."""
    hub_draw_rate: float = 6.0
    """Branches of outside companies a year that a hub operating a park draws in at full
    leadership, projects and information (arrival.hub_draws)."""

    tenant_draw_rate: float = 1.0
    """Outside tenants a year per free incubator seat at full hub leadership and information
    (a free lab at a known park is let within about a year; assumption)."""
    outside_member_rate: float = 60.0
    """Outside organizations a year joining a hub at full leadership and information."""
    member_attrition_year: float = 0.1
    """Share of outside members leaving a year (assumption)."""

    # Founding priors.
    founding_share: float = 0.25
    """Share of licensed discoveries that become a startup at all (assumption)."""
    local_stay_share: float = 0.42
    """Faculty spinoffs that stay in the university's region (Avnimelech & Feldman)."""
    quality_heredity: float = 0.6
    """rho in q_child = rho q_parent + (1 - rho) q_mean + noise (Klepper heredity)."""
    quality_mean: float = 0.45
    """Mean quality of a de novo startup (assumption, 0-1 scale)."""
    quality_noise: float = 0.12
    """Standard deviation of quality noise at founding (assumption)."""
    spinout_radius_km: float = 8.0
    """Typical distance from a parent at which its spinout settles (founders stay near)."""
    release_found_share: float = 0.04
    """Released staff (acquisition, failure, layoff) who found a firm; no study gives the share for
    a biotech cluster, so it is fitted (FREE), 0.04 its prior."""
    release_vc_share: float = 0.15
    """Successful exits whose founders go on to start a VC (alumni VCs; assumption)."""
    serial_found_prob: float = 0.5
    """Founders of an exited firm who found again (one Hybritech co-founder founded six)."""
    founding_team: int = 3
    """People at founding (assumption): the founders of a spinout leave their parent, a would-be
    founder released by a firm takes up to this many from the labour pool, and a company cutting
    staff keeps them."""
    seed_from_founders_musd: float = 0.3
    """Founders' and angels' money at founding, USD m (assumption)."""
    pull_half_mass: float = 500.0
    """Visible mass at which half of the would-be leavers stay (assumption): an academic spinout
    stays in its university's region with local_stay_share + (1 - local_stay_share) x mass /
    (mass + this)."""
    founders_per_exit: int = 2
    """Founders per company who may found again after an exit (assumption)."""
    alumni_vc_min_exit_musd: float = 150.0
    """Exit value from which founders have the money and standing to start a VC (assumption)."""
    alumni_fund_share: float = 0.1
    """Share of an exit's value that alumni founders raise as a first VC fund (assumption)."""

    # Acquisitions: the bought firm's people under a new owner.
    acquired_staff_departure_year: float = 0.16
    """Share of an acquired firm's staff leaving a year while it is integrated: 59% of acquired
    firms' top managers had left within five years, against 33% in firms not acquired (Walsh 1988,
    Strategic Management Journal 9: 173-183): 1 - (1 - 0.59)^(1/5) = 0.16 a year."""
    distress_founding_factor: float = 1.0
    """Factor on the founding odds of people let go by a company that cuts staff or fails, against
    those leaving a bought firm (1: the same odds). Whether staff pushed out of struggling firms
    found as readily is not measured for biotech: an assumption, 1 its prior, fitted (FREE), after
    experiments/release_cascade_scan.py found that Hybritech's lineage and Boston's crowded 2000s
    move with it."""
    hired_founders_found: float = 0.0
    """Share of released would-be founders who, hired by another firm before their founding date,
    leave the job to found anyway (found_after_release). 0: a job ends the plan, so that in a region
    whose firms hire everyone nobody let go founds. Entry into self-employment is higher from
    unemployment than from a wage job (Evans & Leighton 1989, American Economic Review 79: 519-535;
    Evans & Leighton 1990, Small Business Economics 2: 319-330) but not nil from a job; the
    share is an assumption. What it does: experiments/labour_pool_scan.py."""
    reorganisation_founding_boost: float = 2.0
    """Factor on the founding odds of people leaving an acquired firm: a reorganisation after a sale
    is a trigger of spinouts (Klepper & Thompson 2010, Int. J. Industrial Organization 28: 526-538,
    spinouts from disagreements; the Hybritech alumni after Lilly, the source document). The size
    of the factor is an assumption."""
    employee_equity_share: float = 0.15
    """Share of a sale's price paid to employees for their equity (stock options and shares): an
    option pool of 10-20% of a venture's equity is customary (assumption within that range)."""
    payout_invested_share: float = 0.5
    """Share of their sale payout that leavers who found put into the new firm (assumption)."""

    # The labour market: what bounds a cluster's people.
    labour_exit_rate_year: float = 0.05
    """Share of the industry's people leaving it for good a year: retirement over a working life
    of about 35 years (~3%) and moves to other careers or regions (assumption for the rest)."""
    seeker_exit_rate_year: float = 2.75
    """Rate a year at which the region's idle job seekers (the labour pool) leave it without being
    hired by its life-science firms: work in other industries or regions, further study,
    retirement (a twelfth of it a month; 12 or more: all of them within the month). A sourced
    lower bound: 12 x 0.45 / 0.55 x 0.28 = 2.75, twelve times the monthly rate at which the US
    unemployed leave the labour force (45% of spells end that way rather than in a job, Clark &
    Summers 1978, on 1968-76 data; the monthly job-finding probability was 0.28 in 2006 and 2018,
    0.30-0.35 in the late 1990s, which gives 2.9-3.4: Hamilton Project 2019, docs/REFERENCES.md);
    jobs taken in other industries or regions add to it. Before December 2026 the staff's own
    rate (0.05, an assumption), which kept idle seekers in the pool for twenty years. What it
    does: experiments/labour_pool_scan.py."""
    migration_rate_year: float = 0.03
    """People moving into the region's life-science labour pool a year, as a share of its
    employment (people follow jobs; assumption, below the exit rate so that the pool is held up
    by the region's own graduates)."""
    movers_per_unfilled_post: float = 0.0
    """People who move into the region's labour pool in a month for each post its firms could not
    fill from the pool the month before (LabourPool.unfilled_last_month): posts are advertised
    beyond the region (Blanchard & Katz 1992, "Regional evolutions", Brookings Papers on Economic
    Activity 1992(1): 1-75: a region's demand for labour is met mostly by people moving in, over
    several years; more than half of new US doctorates with definite employment plans take their
    first job in another state, NSF 19-301). Neither gives a number per post and month, so it is
    fitted (FREE; its box in calibrate.BOUNDS); 0, the value before any fit, is movers only at
    migration_rate_year of employment. Scaled by a scenario's ``labour_mobility``."""
    talent_pool_years: float = 0.36
    """Years of graduates already in the labour pool at the start: the pool's steady state before
    any firm hires, graduates a year over the rate at which idle seekers leave, 1 / 2.75
    (seeker_exit_rate_year) = 0.36 (derived; 3, an assumption, when idle seekers stayed for
    twenty years)."""

    # Money (USD m) and people.
    cost_per_head_musd_year: float = 0.25
    """Fully loaded cost of one employee a year, USD m (assumption)."""
    trial_cost_musd_year: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)
    """Outside R&D (clinical trials run by contract research organisations and trial sites) that a
    company without products spends a year at each stage (seed, early, clinical, late), USD m at
    2000 prices, beyond its staff. 0 at the default: the fitted model's companies pay only their
    staff. A US study costs USD 1.4-6.6 m in phase 1, 7.0-19.6 m in phase 2 and 11.5-52.9 m in
    phase 3 (Sertkaya et al., report for HHS ASPE, 2014); experiments/trial_cost_scan.py derives
    yearly values from them and asks what they change."""
    round_size_musd: tuple[float, ...] = (2.0, 12.0, 35.0, 70.0)
    """Round size by stage: seed, early, clinical, late, USD m at 2000 prices (assumption,
    2000s-typical); each year's rounds are these times the era's index (data/round_sizes.csv)."""
    round_size_multiple: float = 1.0
    """Every round as a multiple of round_size_musd, in every era (model.BioclusterModel.
    begin_month): the level of the model's rounds, whose sizes are an assumption (2000s-typical;
    data/round_sizes.csv: all-sector averages, biotech's rounds larger). It scales every reader of
    a round's size: the rounds, a company's value at its stage (exits.valuation: an acquisition's
    price, a listing's proceeds), follow-on offerings and partnership payments. 1 at the default; a
    refit may free it (``ecosim calibrate --free round_size_multiple``,
    experiments/market_rounds_refit.py); experiments/vc_money_scan.py probes larger sizes."""
    early_round_multiple: float = 1.0
    """Rounds of the years before early_round_end as a multiple of data/round_sizes.csv's index
    for them (model.BioclusterModel.begin_month): that index, 0.64 of the 2000s' from 1989 to
    1998, is NVCA's average round of all sectors; biotech's own rounds of 1995-1998 were about
    1.1-1.25 times it (PwC/NVCA MoneyTree, derived: docs/EVIDENCE.md, section 5). 1 (the
    default): the index as it is; experiments/early_money_scan.py probes above it."""
    early_round_end: int = 1999
    """The first year early_round_multiple no longer applies: the index's 2000s level begins in
    1999 (data/round_sizes.csv)."""
    target_headcount: tuple[int, ...] = (6, 18, 35, 60)
    """Headcount a round pays for, by stage; most firms stay under 50 (MassBio 2021)."""
    early_team_multiple: float = 1.0
    """Teams by era: a stage's team (target_headcount) up to the first of early_team_years as a
    multiple of today's, fading linearly to today's by the second (startup.era_team_factor).
    Early biotechs did in house what later ones buy from contract research organizations:
    pharma's outside R&D grew from USD 0.8 bn in 1991 to 13 bn in 2011 (Nature 512, 106, 2014,
    quoting NSF), and US companies' extramural R&D from under 4% to more than 10% of their own
    (F. Moris and B. Shackelford, NSF InfoBrief 14-314, 2014). How much larger early teams were is
    not sourced: 1 (the default) keeps one team for every era; experiments/era_teams_scan.py
    probes above it."""
    early_team_years: tuple[int, int] = (1991, 2011)
    """The years over which early_team_multiple fades to 1: those of the sources' series above."""
    hiring_runway_years: float = 1.5
    """A startup hires only the staff its cash pays for this long (assumption)."""
    listed_team_multiple: float = 5.0
    """A listed company hires up to this many times its stage's team (target_headcount), as far
    as its cash pays for hiring_runway_years. At 1 a listed company would keep a private
    company's team until it has a product, its IPO money waiting in the bank; public biotechs
    staff several programmes before their first product: "so many [companies] in the 300- to
    800-employee range" as products moved beyond discovery (M. Clemmitt, "Maturing biotech firms
    face new challenges", The Scientist, 13 April 1992), 5-13 late-stage teams of 60. Prior 5,
    the low end; fitted (FREE: with the market size it sets employment per firm before products
    sell, which the 1990s figures measure)."""
    runway_months_to_seek: int = 9
    """A startup starts raising when its cash covers fewer months than this."""
    insider_follow_on: float = 1.0
    """Pull of an investor already on the cap table on the next round, as a share of a
    well-funded VC next door (insiders back most follow-on rounds; assumption)."""
    pitch_efficiency: float = 0.35
    """Monthly odds scale of closing a round with one well-funded VC in reach (assumption)."""
    shared_lab_saving: float = 0.4
    """Share of burn a shared wet-lab seat saves (LabCentral-style rent-only labs; assumption)."""
    graduation_years: float = 3.0
    """Years an incubator tenant holds its seat, counted from the month it was seated; also the age
    up to which a company may take a seat (assumption; LabCentral-style terms)."""
    lead_share: float = 0.6
    """Share of a round the lead investor takes; the syndicate or outside money fills the rest
    (assumption)."""
    round_dilution: float = 0.3
    """Share of the company a round buys (assumption)."""
    public_raise_odds: float = 0.15
    """Monthly odds scale of a follow-on offering for a public company of quality 1 (assumption);
    an offering raises twice a late round."""

    # Milestones and exits.
    milestone_rate_year: tuple[float, ...] = (0.45, 0.35, 0.25, 0.2)
    """Stage advances a year by stage at quality 0.5 (gives IPO after ~6 y: Booth 2013)."""
    readout_success_base: float = 0.25
    """Odds that a programme readout succeeds at quality 0 (assumption)."""
    readout_success_quality: float = 0.6
    """Extra success odds per unit of quality: at the mean quality about half of the readouts
    fail, so about half of ventures lose money (Cambridge Associates 1981-2009)."""
    setback_discount: float = 0.5
    """Factor on a startup's odds of raising for each unit of investors' doubt: a failed readout
    adds one, a success halves it, and it fades over setback_memory_years (assumption)."""
    setback_memory_years: float = 2.0
    """Time constant over which investors forget a failed readout (assumption: about one
    financing cycle)."""
    hospital_boost: float = 0.5
    """Extra milestone odds next to a translational hospital of capacity 1 (assumption)."""
    ipo_rate_year: float = 0.25
    """IPO hazard a year for a firm of quality 1 with programmes in the clinic (from
    ipo_from_stage), in a normal market (the prior, an assumption; fitted, see FREE: the exit
    timing, a median IPO under 6 years from founding, measures it)."""
    ipo_news_fade_year: float = 0.0
    """Rate a year at which a company's listing odds fade after its last milestone: x exp(-rate x
    years since). The clock starts at its founding or arrival (or the run's start for a seeded
    firm) and starts again at each successful readout (a stage advanced or a product launched);
    scripted events and pharma partnerships do not restart it. Public investors buy a company on
    fresh clinical news, and one whose last readout is long past finds no buyers for its shares; it
    stays private, to be bought or to fail (assumption, fitted: FREE). 0 (no fading) is the package
    default until the fit is installed: results/history/ipo_news_scan shows what it changes."""
    early_listing_share: float = 0.0
    """Listing odds of a company one stage short of ipo_from_stage (the early stage, while the
    clinic is stage 2), as a share of a listable company's. Whether and how often biotech companies
    list before their programmes reach the clinic is not measured by any source the project has:
    companies list younger when equity values are high (Lerner 1994, Journal of Financial
    Economics 35: 293-316) and when their venture investors are young firms seeking a record
    (Gompers 1996, Journal of Financial Economics 42: 133-156), so an assumption, fitted (FREE).
    0 (only from ipo_from_stage) is the package default until the fit is installed; 1 lists early
    companies like clinical ones (results/history/ipo_news_scan's "from early" points)."""
    hot_window_pull: float = 0.0
    """How far a hot listing window pulls a region's companies to list beyond their own odds, on a
    national market for listings (mechanisms/listing_market.py): when the month's listings on offer
    are r > 1 times the country's bids, a company's monthly odds are multiplied by
    1 + hot_window_pull x (r - 1), capped at 1 (0: the market caps listings in a dry year and adds
    none in a hot one; 1: it clears, the region listing its head-count share of the country's
    listings). Biotech companies go public when
    equity values are high (Lerner 1994, Journal of Financial Economics 35: 293-316), but no rate
    of it is sourced: an assumption, 0 at the default; a refit may free it
    (``ecosim calibrate --free hot_window_pull``). A scenario with no market never reads it."""
    ipo_quality_exponent: float = 1.0
    """How sharply the IPO market picks the best: the listing hazard rises as quality to this power
    (1: in proportion; larger: fewer companies list, the best of them sooner). An assumption, kept
    at 1; results/history/exit_timing_scan tries larger ones."""
    acquisition_rate_year: float = 0.06
    """Scale of pharma deals a year with a target of quality 1 and deal appetite 1 by a pharma of
    open-innovation 1 in reach: deals come at (1 + partner_to_acquire) times this rate and a
    stage's share of them are buy-outs (buyout_share; for a listed firm this is its buy-out
    hazard). Acquisitions are ~4x IPOs across sectors, but biotech is 56% of IPOs and 8% of
    acquisitions (NVCA 2014 via LifeSciVC)."""
    commercial_growth_year: float = 0.12
    """Headcount growth a year of a listed firm with products, at quality 1 (prior; fitted,
    see FREE: Genentech, Amgen or Biogen grew from tens to thousands of staff in 20-30 years)."""
    market_headcount_median: float = 150.0
    """Median staff a product's market supports, for a firm of mean quality: real listed biotech
    firms are small with a long tail. 318 US public biotechs employed some 200,000 people (mean
    ~630, pulled up by a few large firms); 150 listed European biotechs ~15,500 (mean ~100;
    biotechradar.eu, 2018 review). A lognormal with median 150 and sigma 1.5 (mean ~460) sits
    between them, and about one product market in a thousand supports Genentech's ~15,000. That
is the prior; the median is fitted (FREE: it sets employment per firm), sigma stays."""
    market_headcount_sigma: float = 1.5
    """Sigma of the lognormal market size (see market_headcount_median)."""
    product_life_years: float = 12.0
    """Time constant of a product's market: effective patent life of a new drug is about 11-12
    years (Grabowski & Kyle 2007, Managerial and Decision Economics 28: 491-502)."""
    product_margin: float = 0.25
    """Sales above the cost of the staff a product needs, as a share of it (assumption)."""
    listed_shrink_year: float = 0.5
    """Share of its excess staff a listed company lets go a year when its markets shrink below
    its size (assumption)."""
    price_to_sales: float = 4.0
    """Value of a company with products, in years of sales (assumption: biotech price/sales)."""
    stage_patience_years: float = 6.0
    """Years without a milestone after which a company without a product is closed by its
    board (assumption: two financing cycles of about three years with nothing to show)."""
    listed_patience_years: float = 6.0
    """Years without a milestone after which a listed company without a product is wound up
    (6: stage_patience_years's, as a private company's board, the model so far). A listed company
    raises from public investors (public_raise_odds) rather than from a VC's fund cycles, and
    the US regions' listed stock left at about 0.02-0.07 a year (San Diego 2001-2009, the Bay Area
    2008-2012; about 0.11 in the Bay Area's crisis years 2008-2009: the stock-flow readings of
    docs/EVIDENCE.md section 2) where the model's leaves at about 0.10-0.13 over 2000-2012: no
    board's patience is sourced, so an assumption; 100: never within a run (it then leaves when
    bought or out of cash)."""
    downsize_runway_months: int = 6
    """A company that could not raise cuts staff when its cash covers fewer months (assumption)."""
    downsize_to_years: float = 1.0
    """It keeps the staff its cash pays for this long (assumption)."""
    large_firm_headcount: int = 500
    """Headcount from which a firm counts as a grown, large company (like Genentech)."""
    ipo_from_stage: int = 2
    """First stage (clinical) from which a company may list: biotech companies list with programmes
    in the clinic, before any product (Genentech listed four years after its founding and Hybritech
    three; the median venture-backed biopharma IPO comes under six years from founding, before the
    median acquisition: Booth on LifeSciVC and Evaluate Vantage, src/ecosim/data/exit_timing.csv)."""
    ipo_premium: float = 2.0
    """What the market values a listing company at, as a multiple of its valuation (exits.valuation:
    the rounds so far scaled by quality and progress, plus years of sales; assumption)."""
    ipo_raise_share: float = 0.25
    """Share of its value at listing (ipo_premium x its valuation) a company raises at IPO
    (assumption)."""
    acquisition_premium: float = 1.5
    """Price a buyer pays, as a multiple of the company's valuation, unless the scenario scripts the
    price (assumption)."""
    deal_appetite: tuple[float, ...] = (0.05, 0.3, 1.0, 1.2)
    """Relative appetite of a pharma for deals (partnerships and buy-outs) by stage: seed, early,
    clinical, late (assumption; Genentech's insulin deal with Lilly came two years after its
    founding)."""
    listed_deal_appetite: float = 0.5
    """Relative appetite for a listed company (dearer and harder to buy than a private one, but
    bought all the same: Hybritech by Lilly, Genentech by Roche; assumption)."""
    partner_to_acquire: float = 3.0
    """Sets the deal hazard: deals come at (1 + partner_to_acquire) times the buy-out scale
    (acquisition_rate_year; licensing deals are more common than buy-outs; assumption).
    Partnerships per buy-out are then (1 - s) / s for a stage's buy-out share s: 3 for a listed
    firm (listed_buyout_share), 4 late, 39 clinical, 99 early, none bought at seed."""
    buyout_share: tuple[float, ...] = (0.0, 0.01, 0.025, 0.2)
    """Share of deals with a private company that are buy-outs, by stage. Buyers license early
    programmes and pay for a company once its programmes have clinical proof, so buy-outs come
    after IPOs (about 9 years from founding against under 6: src/ecosim/data/exit_timing.csv);
    seed-stage companies are partnered, never bought. The levels are an assumption shaped to that
    order."""
    upfront_share: float = 0.15
    """Upfront payment of a partnership as a share of the partner's valuation (assumption)."""

    # Reach and distance decay: probability ~ exp(-d / reach).
    vc_reach_km: float = 208.0
    """Twice the investment at 10 miles as at 100 miles (Sorenson & Stuart 2001): 144 km / ln 2."""
    local_vc_reach_km: float = 25.0
    """Reach of a VC's local bias: most deals near the office (assumption)."""
    hub_reach_km: float = 30.0
    """Reach of a hub's membership drive and events without information outreach (assumption)."""
    incubator_reach_km: float = 15.0
    """Distance over which startups apply to an incubator (assumption)."""
    pharma_scout_reach_km: float = 40.0
    """Reach of a local pharma site's scouting (assumption)."""
    remote_sight: float = 0.25
    """How well (0-1) a pharma with no local site sees the region without any outreach
    (assumption)."""
    hospital_reach_km: float = 5.0
    """Reach of a hospital's translational support (assumption)."""
    settle_radius_km: float = 3.0
    """Arrivals settle about this close to an existing firm, institution or seat (agglomeration;
    assumption)."""
    hub_site_radius_km: float = 1.0
    """Branches a hub draws in take space at its own site, a park's buildings or the rental labs
    next door (about a park's extent; assumption)."""

    # Factors.
    hub_coordination: float = 0.5
    """Share of factors 2-5's effect that needs a leading hub (the source document: the core body
    leads the rest). No study measures it, so it is fitted (calibrate.py) from clusters whose hubs
    differ (Kobe's strong foundation, San Diego's CONNECT from 1985, Greater Tokyo's weak core); the
    prior is 0.5. The weak-hub counterfactual (san_diego_weak_hub.yaml) measures this constant."""
    project_budget_musd_year: float = 40.0
    """Regional project and grant stream a year at focused_projects = 1 (assumption)."""
    project_persistence_years: float = 3.0
    """Time constant of the project stream: projects outlast a one-year push (assumption)."""
    research_share: float = 0.5
    """Share of the project stream that funds research at institutions; the rest are startup
    grants (assumption)."""
    research_musd_per_strength: float = 400.0
    """USD m a year that buys one unit of research strength: a top research university (strength
    1) spends roughly USD 400 m a year on life-science research (assumption)."""
    grant_musd: float = 0.5
    """Size of one non-dilutive project grant to a startup, USD m (assumption)."""
    shared_seats_per_fusion: int = 60
    """Shared-lab / biofoundry seats a fully fused hub runs (LabCentral ~70 residents)."""
    seat_cost_musd_year: float = 0.2
    """Running cost of one shared-lab seat a year, USD m (assumption; LabCentral-style)."""
    hub_join_odds: float = 0.05
    """Monthly odds that a firm next to a fully led hub joins it (assumption)."""
    events_per_musd: float = 50.0
    """Events a year USD 1 m of an events budget pays for (assumption)."""
    convergence_boost: float = 0.5
    """Extra discoveries (bio x IT) at full fusion (assumption)."""
    pharma_site_rate_year: float = 0.6
    """Pharma sites a year opening in a cluster of mass 1,000 with full diverse players."""
    arrival_mass_saturation: float = 3000.0
    """Visible mass at which a cluster draws outsiders at half the rate its mass alone would
    (assumption: about the mass of the largest cluster modelled, the Bay Area of the 2010s)."""
    arrival_mass_reference: float = 1000.0
    """Visible mass at which the pharma-site and VC arrival rates (pharma_site_rate_year,
    vc_arrival_rate_year) are quoted."""
    research_mass: float = 50.0
    """Visible mass of one unit of research strength, in firm equivalents (assumption)."""
    arrival_cash_musd: float = 3.0
    """Money an arriving startup brings, USD m (assumption)."""
    arrival_headcount: int = 6
    """Staff an arriving startup brings or hires at once (assumption)."""
    branch_headcount_median: int = 10
    """Median staff of a branch (lognormal, sigma 0.8): a lab or office of an outside company
    (assumption)."""
    pharma_site_headcount_median: int = 250
    """Median staff of an arriving pharma site (assumption; lognormal, sigma 0.8)."""
    site_ramp_years: float = 5.0
    """Years a new local pharma site takes to reach its full headcount (assumption)."""

    # Device, diagnostics and service firms (agents/medtech.py): the firms that live on sales.
    medtech_share: float = 0.55
    """Share of the foundings on a licensed discovery and of the firms moving in that are device,
    diagnostics or service firms rather than drug developers (founding.founded_kind); spinouts and
    released founders found their parent's kind. Also the share among a scenario's firms at the start
    where the scenario gives none of its own (Scenario.initial_medtech_share). 0.55: 55% of San Diego's
    401 biomedical companies made devices or diagnostics in 2001 (Site Selection, September 2001), a share
    of firms taken as the share of foundings without a parent (an assumption: device firms live longer
    than drug developers, so the share of foundings may be lower). Held, not fitted: the constants were
    refitted with it on (results/history/medtech_refit, which it won by the rule stated before it ran); 0
    gives the model of one kind of company."""
    medtech_size_median: float = 11.0
    """Median staff that a device or service firm's sales support once grown (lognormal, spread
    medtech_size_sigma; scaled by quality against quality_mean). Derived from the firm sizes of US
    surgical and medical instrument makers, NAICS 339112 (47.9% of firms under 10 employees, 82.2%
    under 100: Census 2017, via SBE Council, 10 April 2020): the lognormal through both points has
    a median of 11 and a sigma of 2.36 (it puts 94.6% under 500, the data 91.1%)."""
    medtech_size_sigma: float = 2.36
    """Spread (log-normal sigma) of the staff that sales support: see medtech_size_median."""
    medtech_size_max: int = 2000
    """Most staff a device or service firm's sales support in the region: the regions' largest
    device makers employed about 2,000 there (IMED 1,400 San Diego workers about 1984, LA Times, 27
    November 1985; IVAC 1,800 in 1994; Acuson 1,932 in 1999: docs/EVIDENCE.md); the lognormal of
    the whole US industry would put one firm in a thousand above 16,000."""
    medtech_growth_year: float = 0.25
    """Share of the gap to the staff its sales support that a device or service firm closes a year
    (assumption: how fast such firms grow was not found, docs/EVIDENCE.md)."""
    medtech_exit_rate_year: float = 0.08
    """Yearly hazard that a device or service firm closes or is sold and merged away: 43.6% of new
    US manufacturing establishments were open after ten years (BLS Business Employment Dynamics,
    2013 cohort), 1 - 0.436^(1/10) = 0.08 a year."""
    pharma_site_quality: float = 0.7
    """Quality of a pharma site as a parent of spinouts (assumption: experienced R&D staff)."""
    unit_min_staff: int = 5
    """An acquired unit with fewer staff than this is closed by its owner (assumption)."""
    vc_arrival_rate_year: float = 0.8
    """VC offices a year opening in a cluster of mass 1,000 with full diverse players."""
    outside_investor_access: float = 2.0
    """Outside investors a member reaches at full information (exhibitions, guidance)."""
    outside_capital_musd_year: float = 2000.0
    """USD m a year that investors with no office in a region put into its rounds at full
    information: VC into Cambridge and Boston averaged USD 4.3 bn a year in 2017-19 (the source
    document), about USD 3 bn at 2000 prices, much of it from investors based elsewhere;
    assumption: up to USD 2 bn a year from outside."""
    vc_fund_musd: float = 150.0
    """Size of a typical arriving VC's fund, USD m (assumption)."""
    vc_leads_per_year: float = 12.0
    """Rounds a VC firm can lead a year: partners lead a few deals a year each and a firm has
    a handful of partners (Gompers, Gornall, Kaplan & Strebulaev 2020, J. Financial Economics
    135: 169-190, on how few of the deals a VC firm sees it closes; the number is an
    assumption)."""
    vc_fund_max_musd: float = 1000.0
    """Largest fund a VC raises from returns, USD m at 2000 prices: the largest life-science
    venture funds of the 2010s-20s were USD 1-2 bn nominal (e.g. ARCH Venture Fund XII, USD
    3 bn in 2022, an outlier; assumption)."""
    vc_fund_left_share: float = 0.2
    """A VC's fund counts as spent, and the firm may raise its next one, when less than this share
    of it is left to invest (assumption)."""
    vc_fund_min_years: int = 3
    """A VC raises its next fund only once the current one is this many years old, with a track
    record to show (assumption)."""
    vc_min_return_multiple: float = 0.2
    """A VC whose fund returned less than this multiple of its size raises no more (it stays as a
    dormant office; assumption)."""
    vc_fund_growth_base: float = 0.5
    """The next fund is the last one's size x min(vc_fund_growth_max, this + the multiple the last
    one returned): a fund that returned its size gets a bigger one, a poor one a smaller one
    (assumption)."""
    vc_fund_growth_max: float = 2.5
    """Largest factor by which a VC's next fund outgrows its last (see vc_fund_growth_base;
    assumption)."""
    no_progress_discount: float = 0.3
    """Factor on a startup's odds of raising when it has reached no milestone since its last
    round: investors fund progress (assumption)."""

    @property
    def listed_buyout_share(self) -> float:
        """Share of deals with a listed company that are buy-outs (the same at every stage;
        assumption): one deal in 1 + partner_to_acquire.
        """
        return 1.0 / (1.0 + self.partner_to_acquire)


def fitted() -> Constants:
    """The package defaults: the priors above with the committed calibration applied.

    Raises:
        MissingDataError: the calibrated constants are not installed. Falling back to the
            priors would change every result without a word, so a broken install stops here.
    """
    if not FITTED_FILE.exists():
        raise MissingDataError(FITTED_FILE, "file of calibrated constants")
    values = json.loads(FITTED_FILE.read_text(encoding="utf-8"))["constants"]
    return dataclasses.replace(Constants(), **{k: v for k, v in values.items() if k in FREE})


LEAST_SQUARES_FIT = "least-squares fit"
"""The name of the point ``ecosim calibrate`` fits (a posterior's points are named in posterior.POINTS)."""


def fitted_point() -> str:
    """Which point of the inference fitted_constants.json holds, in words: a posterior's point
    (``ecosim posterior`` names it) or, without a name, the least-squares fit of ``ecosim calibrate``.

    Raises:
        MissingDataError: the calibrated constants are not installed.
    """
    if not FITTED_FILE.exists():
        raise MissingDataError(FITTED_FILE, "file of calibrated constants")
    return str(json.loads(FITTED_FILE.read_text(encoding="utf-8")).get("point", LEAST_SQUARES_FIT))


# The domain of each constant beyond "a finite number, not negative" (every constant is a rate,
# share, size, count, time or exponent), read from its docstring above. with_overrides checks
# them, so that a value that would break the arithmetic or the constant's meaning fails in words
# before a run rather than as a division by zero, a NaN or a share of 5 deep inside one.
SHARES = frozenset(
    {
        "member_attrition_year",
        "founding_share",
        "local_stay_share",
        "quality_heredity",
        "quality_mean",
        "release_found_share",
        "release_vc_share",
        "serial_found_prob",
        "alumni_fund_share",
        "acquired_staff_departure_year",
        "hired_founders_found",
        "employee_equity_share",
        "payout_invested_share",
        "labour_exit_rate_year",
        "migration_rate_year",
        "insider_follow_on",
        "shared_lab_saving",
        "lead_share",
        "round_dilution",
        "public_raise_odds",
        "readout_success_base",
        "setback_discount",
        "early_listing_share",
        "hot_window_pull",
        "listed_shrink_year",
        "ipo_raise_share",
        "buyout_share",
        "upfront_share",
        "remote_sight",
        "hub_coordination",
        "research_share",
        "hub_join_odds",
        "medtech_share",
        "medtech_growth_year",
        "pharma_site_quality",
        "vc_fund_left_share",
        "no_progress_discount",
    }
)
"""Shares, probabilities (a month's or an event's odds), qualities and discounts: from 0 to 1."""
POSITIVE = frozenset(
    {
        "quality_mean",  # divides a firm's quality (medtech sizes, product markets)
        "cost_per_head_musd_year",  # divides cash into staff
        "hiring_runway_years",  # ... for this long
        "downsize_to_years",  # ... for this long
        "product_life_years",  # exp(-1 / life)
        "setback_memory_years",  # exp(-1 / memory)
        "lead_share",  # divides a VC's dry powder
        "round_size_musd",  # a round's stake is money / size
        "round_size_multiple",  # ... and so are all rounds
        "early_round_multiple",  # ... and so are the early rounds
        "target_headcount",  # a team's staffing is headcount / team
        "early_team_multiple",  # ... and so are the early teams
        "founding_team",  # a firm is founded by someone
        "pull_half_mass",  # mass / (mass + half mass)
        "arrival_mass_saturation",  # mass / saturation
        "arrival_mass_reference",  # mass / reference
        "research_musd_per_strength",  # money / this
        "grant_musd",  # a budget / a grant
        "seat_cost_musd_year",  # a budget / a seat's cost
        "vc_leads_per_year",  # leads / capacity
        "site_ramp_years",  # a site's staff / ramp
        "vc_reach_km",  # exp(-distance / reach): 0 / 0 at the office
        "local_vc_reach_km",
        "hub_reach_km",
        "incubator_reach_km",
        "pharma_scout_reach_km",
        "hospital_reach_km",
    }
)
"""Constants the model divides by (or multiplies a divisor with): greater than 0."""
AT_LEAST_A_MONTH = frozenset({"stage_patience_years", "listed_patience_years", "project_persistence_years"})
"""Times the monthly step must resolve: the seeded firms' time since a milestone is drawn from the
months of stage_patience_years (a listed company's patience is counted in the same months), and the
project stream moves 1 / (12 x project_persistence_years)
of its gap a month (more than all of it, oscillating, under a month)."""
YEARS = frozenset({"early_round_end", "early_team_years"})
"""Calendar years, within the scenarios' calendar (YEAR_RANGE)."""
YEAR_RANGE = (1900, 2100)
"""First and last calendar year a scenario may name (scenario.Year)."""


def with_overrides(base: Constants, overrides: dict[str, object]) -> Constants:
    """``base`` with some constants replaced, each checked against its declared type and domain.

    A sweep spec sets constants as ``constants.NAME``; a number where a tuple is declared, a
    negative number (no constant is one), a value outside the constant's domain (SHARES,
    POSITIVE, AT_LEAST_A_MONTH, YEARS) or a name no constant has must fail here, in words, not
    deep inside a run.

    Raises:
        ValueError: an unknown name or a value of the wrong kind or outside its domain, naming the
            constant.
    """
    fields = {f.name: f for f in dataclasses.fields(Constants)}
    checked: dict[str, object] = {}
    for name, value in overrides.items():
        if name not in fields:
            raise ValueError(f"no constant named {name!r} (see ecosim.constants.Constants)")
        default = getattr(base, name)
        checked[name] = _checked_value(name, default, value)
    result = dataclasses.replace(base, **checked)  # type: ignore[arg-type]
    first, last = result.early_team_years
    if first >= last:  # era_team_factor fades between them
        raise ValueError(
            f"constants.early_team_years: the first year must come before the second, got {[first, last]}"
        )
    smallest, multiple = min(result.target_headcount), result.early_team_multiple
    if smallest * min(multiple, 1.0) < 1.0:  # stage_team rounds down, and a team of 0 divides
        raise ValueError(
            f"constants.early_team_multiple: the smallest team, {smallest} x {multiple:g} in the "
            f"early years (target_headcount x early_team_multiple), must be one person at least"
        )
    return result


def _checked_value(name: str, default: object, value: object, label: str = "") -> object:
    """``value`` converted to the kind of ``default`` (float, int or a tuple of numbers) and
    checked against the domain of the constant ``name`` (``label``: how an error names it).
    """
    label = label or f"constants.{name}"
    if isinstance(default, tuple):
        if not isinstance(value, list | tuple) or len(value) != len(default):
            raise ValueError(f"{label}: must be a list of {len(default)} numbers, got {value!r}")
        return tuple(
            _checked_value(name, d, v, f"{label}[{i}]")
            for i, (d, v) in enumerate(zip(default, value, strict=True))
        )
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{label}: must be a finite number, got {value!r}")
    if value < 0:  # every constant is a rate, share, size, count, time or exponent
        raise ValueError(f"{label}: must not be negative, got {value!r}")
    if name in SHARES and value > 1:
        raise ValueError(f"{label}: must be at most 1 (a share, odds or a quality), got {value!r}")
    if name in POSITIVE and value == 0:
        raise ValueError(f"{label}: must be greater than 0 (the model divides by it), got {value!r}")
    if name in AT_LEAST_A_MONTH and value < 1 / 12:
        raise ValueError(f"{label}: must be a month (1/12 of a year) at least, got {value!r}")
    if name in YEARS and not YEAR_RANGE[0] <= value <= YEAR_RANGE[1]:
        raise ValueError(f"{label}: must be a calendar year, {YEAR_RANGE[0]}-{YEAR_RANGE[1]}, got {value!r}")
    if isinstance(default, int) and not isinstance(default, bool):
        if float(value) != int(value):
            raise ValueError(f"{label}: must be a whole number, got {value!r}")
        return int(value)
    return float(value)
