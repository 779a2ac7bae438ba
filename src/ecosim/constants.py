"""Mechanism constants shared by every cluster.

A scenario describes a place; these numbers describe how the mechanisms work anywhere. The
first group is fitted by ``ecosim calibrate`` (see results/calibration/); the rest are priors
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
# outside_member_rate alone sets how many members a hub draws from outside its region.
FREE = (
    "outside_member_rate",
    "discovery_rate",
    "spinout_rate",
    "arrival_rate",
    "hub_draw_rate",
    "commercial_growth_year",
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
    """Released staff (acquisition, failure) who found a firm (assumption)."""
    release_vc_share: float = 0.15
    """Successful exits whose founders go on to start a VC (alumni VCs; assumption)."""
    serial_found_prob: float = 0.5
    """Founders of an exited firm who found again (one Hybritech co-founder founded six)."""

    # Acquisitions: the bought firm's people under a new owner.
    acquired_staff_departure_year: float = 0.16
    """Share of an acquired firm's staff leaving a year while it is integrated: 59% of acquired
    firms' top managers had left within five years, against 33% in firms not acquired (Walsh 1988,
    Strategic Management Journal 9: 173-183): 1 - (1 - 0.59)^(1/5) = 0.16 a year."""
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

    # Money (USD m) and people.
    cost_per_head_musd_year: float = 0.25
    """Fully loaded cost of one employee a year, USD m (assumption)."""
    round_size_musd: tuple[float, ...] = (2.0, 12.0, 35.0, 70.0)
    """Round size by stage: seed, early, clinical, late (assumption, 2000s-typical)."""
    target_headcount: tuple[int, ...] = (6, 18, 35, 60)
    """Headcount a round pays for, by stage; most firms stay under 50 (MassBio 2021)."""
    hiring_runway_years: float = 1.5
    """A startup hires only the staff its cash pays for this long (assumption)."""
    runway_months_to_seek: int = 9
    """A startup starts raising when its cash covers fewer months than this."""
    insider_follow_on: float = 1.0
    """Pull of an investor already on the cap table on the next round, as a share of a
    well-funded VC next door (insiders back most follow-on rounds; assumption)."""
    pitch_efficiency: float = 0.35
    """Monthly odds scale of closing a round with one well-funded VC in reach (assumption)."""
    shared_lab_saving: float = 0.4
    """Share of burn a shared wet-lab seat saves (LabCentral-style rent-only labs; assumption)."""

    # Milestones and exits.
    milestone_rate_year: tuple[float, ...] = (0.45, 0.35, 0.25, 0.2)
    """Stage advances a year by stage at quality 0.5 (gives IPO after ~6 y: LifeSciVC)."""
    readout_success_base: float = 0.25
    """Odds that a programme readout succeeds at quality 0 (assumption)."""
    readout_success_quality: float = 0.6
    """Extra success odds per unit of quality: at the mean quality about half of the readouts
    fail, so about half of ventures lose money (Cambridge Associates 1981-2009)."""
    setback_discount: float = 0.5
    """Factor on a startup's odds of raising for each failed readout (assumption)."""
    hospital_boost: float = 0.5
    """Extra milestone odds next to a translational hospital of capacity 1 (assumption)."""
    ipo_rate_year: float = 0.25
    """IPO hazard a year for a late-stage firm of quality 1 in a normal market."""
    acquisition_rate_year: float = 0.06
    """Acquisition hazard a year for a clinical-stage target of quality 1 by a pharma of
    open-innovation 1 in reach; acquisitions ~4x IPOs across sectors (NVCA 2014)."""
    commercial_growth_year: float = 0.12
    """Headcount growth a year of a listed firm with products, at quality 1 (prior; fitted,
    see FREE: Genentech, Amgen or Biogen grew from tens to thousands of staff in 20-30 years)."""
    commercial_capacity_headcount: float = 15000.0
    """Staff at which growth of a quality-1 firm stops (Genentech, the largest biotech of the
    source's clusters, had some 14,000 staff around 2020; public record); a firm of quality q
    reaches at most q^3 of it."""
    large_firm_headcount: int = 500
    """Headcount from which a firm counts as a grown, large company (like Genentech)."""

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

    # Factors.
    hub_coordination: float = 0.5
    """Share of factors 2-5's effect that needs a leading hub (the seed: the core body leads)."""
    project_budget_musd_year: float = 40.0
    """Regional project and grant stream a year at focused_projects = 1 (assumption)."""
    project_persistence_years: float = 3.0
    """Time constant of the project stream: projects outlast a one-year push (assumption)."""
    shared_seats_per_fusion: int = 60
    """Shared-lab / biofoundry seats a fully fused hub runs (LabCentral ~70 residents)."""
    convergence_boost: float = 0.5
    """Extra discoveries (bio x IT) at full fusion (assumption)."""
    pharma_site_rate_year: float = 0.6
    """Pharma sites a year opening in a cluster of mass 1,000 with full diverse players."""
    vc_arrival_rate_year: float = 0.8
    """VC offices a year opening in a cluster of mass 1,000 with full diverse players."""
    outside_investor_access: float = 2.0
    """Outside investors a member reaches at full information (exhibitions, guidance)."""
    vc_fund_musd: float = 150.0
    """Size of a typical arriving VC's fund, USD m (assumption)."""


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


def with_overrides(base: Constants, overrides: dict[str, object]) -> Constants:
    """``base`` with some constants replaced, each checked against its declared type.

    A sweep spec sets constants as ``constants.NAME``; a number where a tuple is declared (or
    a name no constant has) must fail here, in words, not deep inside a run.

    Raises:
        ValueError: an unknown name or a value of the wrong kind, naming the constant.
    """
    fields = {f.name: f for f in dataclasses.fields(Constants)}
    checked: dict[str, object] = {}
    for name, value in overrides.items():
        if name not in fields:
            raise ValueError(f"no constant named {name!r} (see ecosim.constants.Constants)")
        default = getattr(base, name)
        checked[name] = _checked_value(name, default, value)
    return dataclasses.replace(base, **checked)  # type: ignore[arg-type]


def _checked_value(name: str, default: object, value: object) -> object:
    """``value`` converted to the kind of ``default`` (float, int or a tuple of numbers)."""
    if isinstance(default, tuple):
        if not isinstance(value, list | tuple) or len(value) != len(default):
            raise ValueError(f"constants.{name}: must be a list of {len(default)} numbers, got {value!r}")
        return tuple(_checked_value(name, d, v) for d, v in zip(default, value, strict=True))
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"constants.{name}: must be a finite number, got {value!r}")
    if isinstance(default, int) and not isinstance(default, bool):
        if float(value) != int(value):
            raise ValueError(f"constants.{name}: must be a whole number, got {value!r}")
        return int(value)
    return float(value)
