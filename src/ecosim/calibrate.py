"""Calibration: fit the shared mechanism constants to the source document's cluster figures.

One set of constants drives every cluster; a scenario only describes its place. The fit
asks those shared constants to reproduce, all at once, the firm counts and employment of
Boston, the Bay Area, San Diego, Kobe, King Skyfront and Shonan and LINK-J's hub members at
the dates the source document gives (``END_POINTS``, each citing its slide of the deck; the
slides are listed in scenarios/README.md), and, for the US clusters, the path before them: their
dated figures up to 2000 (``TARGETS`` holds both, each row with its full reference). The
figures live in one data file, ``src/ecosim/data/targets.csv`` (``load_targets``), with the
later history of the US clusters and the source document's other figures beside them, each
marked by its role: only ``fit`` rows may be fitted, ``holdout`` rows (dated 2001-2018) are
for the out-of-sample check only.

Free constants (``constants.FREE``) and why they are free:

* ``discovery_rate``, ``spinout_rate``, ``arrival_rate``, ``hub_draw_rate``: the rates of the
  ways firms come to a cluster (academic spinouts, employee spinouts, outside arrivals, and the
  branches of outside companies that a park-operating hub draws in). The literature gives
  shares and ratios (42% of faculty spinoffs stay local, spinouts outperform de novo firms)
  but no cluster-level rate a month, so these set the level of the firm counts and are the
  natural unknowns. ``hub_draw_rate`` is identified by the Japanese parks (the only hubs that
  operate a site), the other three by every cluster.
* ``commercial_growth_year`` and ``market_headcount_median``: how fast a listed company with
  products adds staff, and how many staff a product's market supports. They are the only way a
  firm grows past the 60 staff a late-stage round pays for (a Genentech or a Biogen), so they set
  employment per firm, which no firm-count constant can move. Published sizes of listed biotechs
  put the market median between about 100 (European listed biotechs, 2018) and 600 (US public
  biotechs' mean); the box (50-1,500) spans that.
* ``outside_member_rate`` (added with the outside-member mechanism): how many organizations
  outside the region join a hub a year (LINK-J's 450 members come from all of Japan); only
  it moves the hub-member figure. No source gives the rate.
* ``hub_coordination``: the share of the other four factors' effect that needs a leading hub.
  The source document says the core body leads the rest but gives no measure; the clusters'
  hubs differ (Kobe's foundation leads strongly, San Diego had none before CONNECT in 1985,
  Greater Tokyo's core is weak), so their figures together identify it, if weakly. The
  weak-hub counterfactual rests on this fitted value.

* ``release_found_share``: the share of people leaving a firm (closure, layoff, sale) who found
  one. No source gives it for a biotech cluster, and with the reorganisation after a sale it makes
  most of a mature cluster's new firms, so it sets how many small firms the US clusters hold.

* ``listed_team_multiple``: how many late-stage teams a listed company staffs before its
  products sell. A 1992 survey of the industry found many companies of 300-800 staff as
  products moved beyond discovery (constants.py cites it): 5-13 teams of 60, the prior the low
  end. With the market size it sets staff per firm, which the 1990s employment figures measure
  and no firm-count constant can move (results/history/listed_teams).

* ``ipo_rate_year``: how soon a company with programmes in the clinic lists. It was set by hand
  (0.25 a year at quality 1) and left the median IPO at 7.6-7.9 years against the reference's
  under 6 (results/history/exit_timing_scan); the exit timing of each US cluster now measures it.
  The dated IPO counts of 2013-2018 stay out of sample.

* ``ipo_news_fade_year`` and ``early_listing_share``: whether a company lists on fresh news only
  (its odds fading with the time since its last readout) and whether one a stage short of the
  clinic lists at all. Sources say companies list younger in hot markets and with young VCs, not
  how often (constants.py); results/history/ipo_news_scan found that together they bring the
  median IPO under 6 years and acquisitions after it, while trading firm counts against jobs: a
  trade only a fit with the other constants can weigh. Their priors are "off" (0): the fit starts
  from the box's floor (``to_x``); in the posterior their prior, like every free constant's, is
  uniform in log over the box, so neither infers "off" itself, only how near to it.

* ``distress_founding_factor``: how readily people let go by a company that cuts or fails found a
  firm, against those leaving a bought one. Not measured for biotech; results/history/
  release_cascade_scan found that a tenth brings Hybritech's lineage within a factor of 1.5 and
  thins Boston's 2000s (in sample). Its box (0.02-5) spans a fiftieth of the leavers' odds to five
  times them. Hybritech's lineage is dated 2002-2009, out of sample: it was read before this
  constant was freed, so it is no longer a clean out-of-sample check of it.

* ``movers_per_unfilled_post``: how many people from elsewhere each post a region's firms could
  not fill draws into its labour pool the next month. The literature says a US region's demand
  for labour is met mostly by people moving in (Blanchard & Katz 1992), not at what rate a post;
  with graduates a fixed flow and no such movers, a cluster's jobs settle where the exits match
  the inflows, and the Bay Area's 145,000 jobs of 2019 are out of reach of its graduates
  (results/history/labour_supply_scan, anchor_staff_scan). The Japanese scenarios scale it by
  their ``labour_mobility`` (0.4, sourced in the scenario files). Freed with the sourced exit rate
  of idle job seekers (``seeker_exit_rate_year`` 2.75, December 2026). Since posts a company
  could not fill stay open until filled (Companies.fill_posts), a post draws movers every month it
  is open; its box ends at one a month (a post is filled by one person: more movers than open
  posts are people following no job; 8 of the 11 design points of results/posterior at bb8ab73
  whose runs grew without bound drew more than one, against 15% of all points).

Everything else keeps its cited prior (constants.py). Fifteen constants for the 13 end points of
seven places, ten dated figures of the US clusters' history up to 2000 and their exit timing:
each free constant must move a figure the others cannot, and the history asks the same constants
to get the path right, not only the end.
(``BOUNDS`` also holds boxes for ``tenant_draw_rate`` should it become free and for
``round_size_multiple`` and ``hot_window_pull``, which a refit may free: ``ecosim calibrate --free``.)

Each figure is read as the source counts it. The US figures count companies and their jobs;
the Japanese parks count "companies and organizations" (企業・団体, 企業等: institutes,
hospitals and hub bodies too) and everyone working there (the staff of institutions given in
the scenario). All are counted in each scenario's census area (``region.census``), the area
the figure covers: Boston's grid holds the Route 128 ring, its figures only the cities of
Boston and Cambridge. Without a census area it is the whole region.

Method: one residual per target, the log error of the model's median over seeds,
log(median / target); the objective is their sum of squares. Every evaluation uses the same
seeds (common random numbers), so the residuals are a deterministic function of the
constants and differences between two points are not seed noise. Runs of one evaluation go
to the executor of :mod:`ecosim.engine` (a spawned process pool that dies with its parent), and
each finished run is kept in a run store, so a killed calibration resumes where it stopped when
started again. The optimiser is trust-region least squares
(scipy.optimize.least_squares, "trf") in the log of the constants, within bounds a factor of
about 10 around the priors, with a finite-difference Jacobian and an evaluation budget. The
leave-one-out check refits without one cluster (least squares again, from the priors, on seeds
the fit did not use) and predicts that cluster.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import hashlib
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import optimize

from ecosim import atomic, engine, exit_timing, metric_registry, plots, provenance
from ecosim.constants import FITTED_FILE, FREE, Constants, fitted, with_overrides
from ecosim.engine import Run
from ecosim.errors import excerpt
from ecosim.limits import STOPPED_AT_LIMIT
from ecosim.packagedata import data_file
from ecosim.progress import ProgressBar
from ecosim.scenario import Scenario, load
from ecosim.store import RunStore

if TYPE_CHECKING:
    from matplotlib.figure import Figure

METRICS = (
    "firms_census",
    "employment_census",
    "firms_active",
    "employment",
    "organizations_census",
    "workforce_census",
    "hub_members",
)
"""Time-series columns the targets compare with (firms_active and employment: the statewide
figures of Massachusetts' history)."""
COUNT_METRICS = ("firms_census", "firms_active", "organizations_census", "hub_members")
"""The columns that count bodies (the left panel of a cluster in the figure over time)."""
EMPLOYMENT_METRICS = ("employment_census", "employment", "workforce_census")
"""The columns that count people (the right panel, beside the bodies)."""


HISTORY_FACTOR = 1.5
"""A dated figure of the history is met when the model's median is within this factor of it."""

TESTS = {"within_25pct": (0.75, 1.25), "within_factor_1_5": (1 / HISTORY_FACTOR, HISTORY_FACTOR)}
"""The model-vs-data table's tests of a median (its columns): the bounds of model/figure each
reads (Target.met)."""

ROLES = ("fit", "holdout", "pattern_holdout", "context", "input")
"""What a figure of data/targets.csv may be used for: ``fit`` (the calibration may use it: dated
up to 2000, or the source document's end points), ``holdout`` (dated 2001-2018: the out-of-sample
check only), ``pattern_holdout`` (the source document's other figures, reported beside the fit),
``context`` (reported, never tested: its definition is not comparable) and ``input`` (a figure a
scenario uses as an input, so never a target or a pattern)."""
SERIES = ("end_point", "history", "pattern", "lineage", "exit_timing")
"""Which kind of figure a row is: one of the source document's 13 end points of 2019-2020, a dated
figure before them, another figure of the source document, a count of an anchor's lineage, or the
exit timing of a US cluster (made from data/exit_timing.csv, :func:`exit_timing_targets`)."""
KINDS = ("", metric_registry.BIOPHARMA)
"""Which of the model's firms a figure counts: every kind its metric counts (empty), or the drug
industry alone (``biopharma``: a narrow count of biotech or biopharma firms or jobs)."""
TARGETS_FILE = "targets.csv"
"""The data file of every figure the model is compared with (src/ecosim/data/targets.csv)."""


def decimal_year(date: str) -> float:
    """A figure's date as a decimal year: a bare year means its middle (July); YYYY-MM that month."""
    if "-" in date:
        year, month = date.split("-")
        return int(year) + (int(month) - 1) / 12.0
    return int(date) + 0.5


@dataclass(frozen=True)
class Target:
    """One real figure: a cluster's metric at a date.

    Attributes:
        cluster: scenario stem (scenarios/<cluster>.yaml).
        metric: time-series column, as the source counts: firms_census and employment_census
            (companies and their jobs, the US figures), organizations_census and
            workforce_census (companies plus institutes, hospitals and hub bodies, and everyone
            working there: the Japanese parks' 企業・団体 and 就業者) or hub_members; all are
            counted in the scenario's census area, the area the figure covers. Rows of other roles
            name other columns (firms_active, employment, incubator_tenants, ...; see the file).
        value: the real figure.
        date: the date as the source gives it ("2020", "2020-03").
        source: where the figure comes from (the deck by title and slide, or a full reference).
        role: what it may be used for (ROLES).
        series: which kind of figure it is (SERIES).
        definition: what it counts (which firms, which area).
        note: quotation, caveats, whether it is confirmed.
        of: the one organization the figure counts (a hub's own members, an incubator's own
            tenants), by its name in the scenario; empty when it counts the whole cluster. The
            model's value is then that organization's, at the end of the run (the run summary).
        comparison: ``about`` (a level) or ``below`` (an upper bound, met by any value under it:
            the median years to IPO, and a count of a wider area than the grid's, the targets
            file's ``comparison`` column).
        kinds: which of the model's firms the figure counts: empty for every kind its metric
            counts, ``biopharma`` for the drug industry alone (a narrow count of biotech or
            biopharma firms or jobs, without device and service firms; read by
            :attr:`kind_metric`). The fit and the dated comparison read ``metric`` (a refit
            that read the narrow counts by kind failed its rule: results/history/kinds_refit).
        area: the part of the census area the figure counts alone (Cambridge's firms without
            Boston's), by the census entry's name, which the scenario counts apart
            (Region.counted_apart); empty for the whole census area. Read from :attr:`column`.
        founded_after: for a count of an anchor's lineage (``lineage_firms``), the calendar year
            after which the firms it counts were founded (Hybritech's alumni firms of 2002, founded
            after Lilly's purchase of 1986: 1986); None counts every firm of the lineage founded by
            the date.
    """

    cluster: str
    metric: str
    value: float
    date: str
    source: str
    role: str = "fit"
    series: str = "end_point"
    definition: str = ""
    note: str = ""
    of: str = ""
    comparison: str = "about"
    kinds: str = ""
    area: str = ""
    founded_after: int | None = None

    @property
    def kind_metric(self) -> str:
        """The column that counts the kinds of firm the figure counts: ``metric`` itself, or its
        count of the drug industry alone (metric_registry.biopharma_twin) for a biopharma figure.
        """
        return (
            metric_registry.biopharma_twin(self.metric)
            if self.kinds == metric_registry.BIOPHARMA
            else self.metric
        )

    @property
    def year(self) -> float:
        """The date as a decimal year (decimal_year)."""
        return decimal_year(self.date)

    @property
    def column(self) -> str:
        """The time-series column a run reads the figure from: ``metric``, or its count in the
        census part the figure counts alone (``firms_census[Cambridge]``, metric_registry.part_column).
        """
        return metric_registry.part_column(self.metric, self.area) if self.area else self.metric

    @property
    def label(self) -> str:
        """The figure's name within its cluster: metric and date (a metric has several dates), and
        the organization (``hub_members[MassBio]@2020``) or the census part
        (``firms_census[Cambridge]@2000``) it counts if only one.
        """
        if self.of:
            return f"{self.metric}[{self.of}]@{self.date}"
        return f"{self.column}@{self.date}"

    def log_error(self, model: float) -> float:
        """log(model / figure), as the calibration scores it: a model value of 0 counts as 0.5,
        an upper bound is met by any value under it, and an exit timing without such an exit
        misses by log 2 (exit_timing.log_error).
        """
        if self.series == "exit_timing":
            return exit_timing.log_error(self.value, self.comparison, model)
        return math.log(max(model, 0.5) / self.value)

    def met(self, model: float, low: float, high: float) -> bool:
        """Whether ``model`` meets the figure: a level within [low, high] times it, an upper
        bound by any value under it.
        """
        return self.met_by_ratio(model / self.value, low, high)

    def met_by_ratio(self, ratio: float, low: float, high: float) -> bool:
        """Whether model/figure ``ratio`` meets the figure (:meth:`met`), for a figure read in
        other units than the file's (experiments/history.py: VC money at 2000 prices).
        """
        if math.isnan(ratio):
            return False
        if self.comparison == "below":
            return ratio < 1.0
        return low <= ratio <= high

    def met_by_log_error(self, error: float, low: float, high: float) -> bool:
        """Whether a score of :meth:`log_error` meets the figure: an upper bound's error is clipped
        at 0 when met (exit_timing.log_error; the posterior's design and emulator hold it so), so a
        bound is met at 0 and its ratio cannot be read back; a level within [low, high] times it.
        """
        if self.comparison == "below":
            return error <= 0.0
        return low <= math.exp(error) <= high


DECK = "「バイオコミュニティの形成」"
"""The source document's title: the deck whose slides the end points cite (scenarios/README.md)."""


class TargetsError(ValueError):
    """A row of data/targets.csv that cannot be read (a missing field, an unknown role, a bad date)."""


LINEAGE_METRIC = "lineage_firms"
"""A figure's metric when it counts the firms of an anchor's lineage (read from the firm table)."""


def _year_or_none(cell: str | None, line: int) -> int | None:
    """A targets row's optional year (``founded_after``): None when empty."""
    text = (cell or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise TargetsError(f"{TARGETS_FILE} row {line}: founded_after {text!r} is not a year") from None


def _target(row: dict[str, str], line: int) -> Target:
    """One row of the targets file as a Target, checked."""
    missing = [
        name
        for name in ("cluster", "metric", "value", "date", "role", "series", "source")
        if not (row.get(name) or "").strip()
    ]
    if missing:
        raise TargetsError(f"{TARGETS_FILE} row {line}: empty {', '.join(missing)}")
    if row["role"] not in ROLES:
        raise TargetsError(f"{TARGETS_FILE} row {line}: role {row['role']!r} is none of {', '.join(ROLES)}")
    if row["series"] not in SERIES:
        raise TargetsError(
            f"{TARGETS_FILE} row {line}: series {row['series']!r} is none of {', '.join(SERIES)}"
        )
    target = Target(
        cluster=row["cluster"],
        metric=row["metric"],
        value=float(row["value"]),
        date=row["date"],
        source=row["source"],
        role=row["role"],
        series=row["series"],
        definition=row.get("definition") or "",
        note=row.get("note") or "",
        of=(row.get("of") or "").strip(),
        kinds=(row.get("kinds") or "").strip(),
        comparison=(row.get("comparison") or "").strip() or "about",
        area=(row.get("area") or "").strip(),
        founded_after=_year_or_none(row.get("founded_after"), line),
    )
    if target.comparison not in exit_timing.COMPARISONS:
        raise TargetsError(
            f"{TARGETS_FILE} row {line}: comparison {target.comparison!r} is none of "
            f"{', '.join(exit_timing.COMPARISONS)}"
        )
    if target.comparison == "below" and target.role == "fit":
        # The fit scores a level's log error (Target.log_error); a bound has no level to fit to.
        raise TargetsError(f"{TARGETS_FILE} row {line}: an upper bound (comparison below) is never fitted")
    if target.kinds not in KINDS:
        raise TargetsError(
            f"{TARGETS_FILE} row {line}: kinds {target.kinds!r} is none of "
            f"{', '.join(repr(k) for k in KINDS)}"
        )
    try:
        _ = target.kind_metric
    except KeyError:
        raise TargetsError(
            f"{TARGETS_FILE} row {line}: {target.metric} has no count of {target.kinds} alone"
        ) from None
    if target.area and (target.of or target.metric not in metric_registry.PART_METRICS):
        raise TargetsError(
            f"{TARGETS_FILE} row {line}: area {target.area!r}: only a census count "
            f"({', '.join(metric_registry.PART_METRICS[:2])}) of no one organization is read in a part"
        )
    try:
        year = target.year
    except ValueError:
        raise TargetsError(
            f"{TARGETS_FILE} row {line}: date {row['date']!r} is not YYYY or YYYY-MM"
        ) from None
    if target.founded_after is not None and (
        target.metric != LINEAGE_METRIC or target.founded_after >= int(year)
    ):
        raise TargetsError(
            f"{TARGETS_FILE} row {line}: founded_after {target.founded_after} is read only by a "
            f"{LINEAGE_METRIC} figure, and names a year before its date"
        )
    if target.role == "holdout" and not 2001 <= int(year) <= 2018:
        raise TargetsError(f"{TARGETS_FILE} row {line}: a holdout is dated 2001-2018, got {row['date']}")
    if target.role == "fit" and target.series != "end_point" and int(year) > 2000:
        raise TargetsError(
            f"{TARGETS_FILE} row {line}: only the end points and figures dated up to "
            f"2000 may be fitted, got {row['date']}"
        )
    return target


@cache
def load_targets() -> tuple[Target, ...]:
    """Every row of data/targets.csv (comment lines start with ``#``), in file order.

    Raises:
        MissingDataError: the file is not installed.
        TargetsError: a row is incomplete or inconsistent.
    """
    path = data_file(TARGETS_FILE, "table of calibration targets")
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return tuple(_target(row, i) for i, row in enumerate(rows, start=1))


def targets_by_role(role: str) -> list[Target]:
    """The rows of data/targets.csv with ``role`` (one of ROLES)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    return [t for t in load_targets() if t.role == role]


EXIT_NAMES = {"ipo": "an IPO", "acquisition": "the acquisition of a private company"}
"""Each kind of exit in a figure's definition."""


def exit_timing_targets() -> tuple[Target, ...]:
    """The exit-timing pattern as figures of the fit: for each US cluster (the clusters with a dated
    history) and kind of exit, the reference median years from founding (data/exit_timing.csv),
    dated at the end of its window of exits.

    It is a pattern of the fit, not a dated figure of the out-of-sample check: a national
    regularity of how long companies take to exit, over the years of the end points. The dated
    counts of IPOs (2013-2018) stay out of sample.
    """
    clusters = sorted({t.cluster for t in load_targets() if t.series == "history"})
    return tuple(
        Target(
            cluster=cluster,
            metric=ref.metric,
            value=ref.years,
            date=str(ref.window_to),
            source=ref.source,
            role="fit",
            series="exit_timing",
            definition=(
                f"median years from founding to {EXIT_NAMES[ref.exit]} of the firms founded in the "
                f"region, over the exits of {ref.span}"
            ),
            note=ref.note,
            comparison=ref.comparison,
        )
        for cluster in clusters
        for ref in exit_timing.references()
    )


TARGETS: tuple[Target, ...] = (
    tuple(t for t in load_targets() if t.role == "fit" and t.series in ("end_point", "history"))
    + exit_timing_targets()
)
"""The figures the fit reproduces, read from data/targets.csv: the source document's 13 end points
(firms, employment, hub members of 2019-2020) and the US clusters' dated figures up to 2000 (role
``fit``, series ``history``), so that the fit sees the path as well as the end, and the US clusters'
exit timing (:func:`exit_timing_targets`). Figures dated 2001-2018 (``holdout``) and the source's
other figures (``pattern_holdout``) are never fitted; experiments/history.py reports them out of
sample."""
END_POINTS: tuple[Target, ...] = tuple(t for t in TARGETS if t.series == "end_point")
"""The source document's 13 figures of 2019-2020 among the targets."""

QUICK_CLUSTERS = ("kobe", "king_skyfront", "shonan", "link_j")
"""--quick fits only the young clusters: the same code on runs of 2-22 years."""

BOUNDS: dict[str, tuple[float, float]] = {
    "discovery_rate": (4.0, 400.0),
    "spinout_rate": (0.0002, 0.02),
    "arrival_rate": (0.003, 0.3),
    "hub_draw_rate": (0.6, 120.0),
    "commercial_growth_year": (0.02, 1.0),
    "tenant_draw_rate": (0.1, 10.0),
    "outside_member_rate": (6.0, 600.0),
    "hub_coordination": (0.05, 1.0),
    "market_headcount_median": (50.0, 1500.0),
    "release_found_share": (0.004, 0.2),
    "listed_team_multiple": (1.0, 20.0),
    "ipo_rate_year": (0.025, 2.5),
    "ipo_news_fade_year": (0.02, 5.0),
    "early_listing_share": (0.01, 1.0),
    "distress_founding_factor": (0.02, 5.0),
    "movers_per_unfilled_post": (0.02, 1.0),
    "round_size_multiple": (0.25, 4.0),
    "hot_window_pull": (0.01, 1.0),
}
"""Search box for each free constant: about a factor of 10 either side of its prior (the three
freed last, below, have their own); the
commercial growth of a listed company stays under 100% a year, hub coordination is a share, and a
listed company staffs from one to 20 late-stage teams (1,200 staff, above the 800 of the largest
pre-product companies of 1992) (assumption). The listing's fading runs from a fiftieth (odds
halved in 35 years: no fading to speak of) to 5 a year (halved in two months); early listing from a
hundredth of a clinical company's odds to all of them; distress founding from a fiftieth of a bought
firm's leavers' odds to five times them; movers from a fiftieth of a person for each post left open
(next to none) to one a month (a post is filled by one person) (assumptions). Not free in the
package, boxed for a refit that frees it (``ecosim calibrate --free``): the rounds' level from a
quarter to four times round_size_musd (an assumption: the sizes themselves are one); a hot listing
window's pull from a hundredth (next to none) to 1 (the market clears)."""


@dataclass(frozen=True)
class Budget:
    """How much work a calibration does.

    Attributes:
        fit_seeds: seeds (1..n) of every objective evaluation.
        maxfev: objective evaluations of the full fit after the start's (scored first: its trace
            holds up to maxfev + 1).
        report_seeds: seeds of the model-vs-data table and the figure (>= 5 for the report).
        loo_seeds: seeds of each leave-one-out refit.
        loo_maxfev: evaluations of each leave-one-out refit.
        clusters: clusters to fit (all targets' clusters when empty).
        step: finite-difference step of the Jacobian, in log units. Each fitted rate draws
            from its own random stream, but the firms it adds still shift the shared draws
            that follow, so nearby points do not share every draw: the step must move the
            figures by more than that noise in a 5-seed median (~0.1-0.2 log units); 0.4 does.
    """

    fit_seeds: int = 5
    maxfev: int = 3 * (len(FREE) + 1)
    report_seeds: int = 8
    loo_seeds: int = 3
    loo_maxfev: int = 2 * (len(FREE) + 1)
    clusters: tuple[str, ...] = ()
    step: float = 0.4

    def freeing(self, extra: int) -> Budget:
        """The full budget of a fit with ``extra`` constants freed beside FREE: three Jacobians
        of the fit and two of each leave-one-out refit, as FULL's (a Jacobian column a constant).
        """
        return dataclasses.replace(
            self, maxfev=3 * (len(FREE) + extra + 1), loo_maxfev=2 * (len(FREE) + extra + 1)
        )


FULL = Budget()
"""The full budget: three Jacobians of the full fit and two of each leave-one-out refit (a
Jacobian costs one evaluation a free constant and one at the point, so the budgets follow FREE)."""
QUICK = Budget(fit_seeds=1, maxfev=4, report_seeds=2, loo_seeds=1, loo_maxfev=2, clusters=QUICK_CLUSTERS)


def also_fitted(names: Sequence[str]) -> tuple[Target, ...]:
    """The figures a refit fits beside TARGETS (``ecosim calibrate --also-fit``), each named
    ``cluster:metric@date`` as in data/targets.csv, checked (:func:`check_also_fit`).

    Raises:
        ValueError: naming the figure that cannot be fitted and why.
    """
    rows = {f"{t.cluster}:{t.label}": t for t in load_targets()}
    chosen = []
    for name in dict.fromkeys(names):
        if name not in rows:
            raise ValueError(f"{excerpt(name)}: no such figure in {TARGETS_FILE} (cluster:metric@date)")
        chosen.append(rows[name])
    check_also_fit(chosen)
    return tuple(chosen)


def check_also_fit(targets: Sequence[Target]) -> None:
    """Whether a refit may fit ``targets`` beside TARGETS: context rows the package fit does not see
    but may, each a level (not an upper bound) of a dated history figure up to 2000, such as San
    Diego's listed companies of 2000, which the package fit leaves out.

    Raises:
        ValueError: naming the figure that cannot be fitted and why.
    """
    for target in targets:
        name = f"{target.cluster}:{target.label}"
        if target in TARGETS:
            raise ValueError(f"{name} is fitted already")
        if target.role != "context":
            raise ValueError(f"{name}: only a context row may be fitted beside the targets ({target.role})")
        if target.series != "history" or int(target.year) > 2000 or target.comparison != "about":
            raise ValueError(f"{name}: only a level of a dated history figure up to 2000 may be fitted")


@dataclass(frozen=True)
class Space:
    """What a fit or an inference moves and holds, and the figures it sees beside the targets.

    The package's (the default value) moves constants.FREE from the package point and sees TARGETS.
    A refit of another model may hold constants at values it sets (``--set``; one of FREE held is
    not moved), free more beside FREE (``--free``, each with a box in BOUNDS) and fit context
    figures beside TARGETS (``--also-fit``, :func:`check_also_fit`); such a fit or posterior is
    never installed as the package default.

    Attributes:
        held: constants held at a value for the whole fit, as (name, value) pairs.
        freed: constants moved beside FREE.
        also_fit: figures fitted beside TARGETS.
    """

    held: tuple[tuple[str, Any], ...] = ()
    freed: tuple[str, ...] = ()
    also_fit: tuple[Target, ...] = ()

    def __post_init__(self) -> None:
        unboxed = [name for name in self.freed if name not in BOUNDS]
        if unboxed:
            raise ValueError(f"no search box for {', '.join(unboxed)} (calibrate.BOUNDS): it cannot be freed")
        both = sorted(set(dict(self.held)) & set(self.free))
        if both:
            raise ValueError(f"{', '.join(both)} is both held and freed")
        check_also_fit(self.also_fit)

    @property
    def free(self) -> tuple[str, ...]:
        """The constants moved: FREE's but those held, then the freed ones."""
        held = dict(self.held)
        return (*(name for name in FREE if name not in held), *self.freed)

    @property
    def package(self) -> bool:
        """Whether this is the package's own fit (nothing held, freed or fitted beside)."""
        return not (self.held or self.freed or self.also_fit)

    @property
    def option(self) -> str:
        """The option that made it another model's (the first of them), for an error to name."""
        return "--set" if self.held else "--free" if self.freed else "--also-fit"

    def base(self) -> Constants:
        """The package point with the held constants at their values."""
        return with_overrides(fitted(), dict(self.held))

    def record(self) -> dict[str, Any]:
        """What a report's record says of a refit of another model (nothing for the package's)."""
        parts = {
            "held": dict(self.held),
            "freed": list(self.freed),
            "also_fitted": [f"{t.cluster}:{t.label}" for t in self.also_fit],
        }
        return {key: value for key, value in parts.items() if value}


def targets_for(clusters: Sequence[str] = ()) -> list[Target]:
    """The targets of ``clusters`` (all when empty)."""
    return [t for t in TARGETS if not clusters or t.cluster in clusters]


def read_by_kinds(targets: Sequence[Target]) -> list[Target]:
    """The targets, each counted by the kinds of firm its figure counts: a figure of the drug
    industry alone (``kinds`` biopharma) reads its metric's biopharma column
    (``firms_census_biopharma@1993``); the others are as they are.
    """
    return [dataclasses.replace(t, metric=t.kind_metric, kinds="") if t.kinds else t for t in targets]


def with_values(base: Constants, values: dict[str, float]) -> Constants:
    """``base`` with some constants replaced."""
    return with_overrides(base, dict(values))


def overrides_of(constants: Constants) -> tuple[tuple[str, Any], ...]:
    """The constants that differ from the package defaults, as a Run carries them."""
    base = fitted()
    return tuple(
        (f.name, getattr(constants, f.name))
        for f in dataclasses.fields(Constants)
        if getattr(constants, f.name) != getattr(base, f.name)
    )


_SCENARIOS: dict[str, Scenario] = {}


def _scenario(path: str) -> Scenario:
    if path not in _SCENARIOS:
        _SCENARIOS[path] = load(path)
    return _SCENARIOS[path]


def unread_columns(scenario: Scenario, dates: dict[str, tuple[str, float]]) -> list[str]:
    """The figures (labels) whose column a run of ``scenario`` does not record: a census part the
    scenario does not count apart (Region.counted_apart).
    """
    parts = {
        metric_registry.part_column(metric, name)
        for name in scenario.region.counted_apart
        for metric in metric_registry.PART_METRICS
    }
    known = {*metric_registry.TIMESERIES, *parts, *SUMMARY_METRICS}
    return [label for label, (column, _) in dates.items() if column not in known]


def cluster_run(
    scenario: Scenario,
    seed: int,
    dates: dict[str, tuple[str, float]],
    constants: Constants,
    series: bool = False,
) -> Run:
    """One run of one cluster, to the last target date (with ``series``: to 2020 at least, for
    the figure), keeping the monthly time series of the target metrics; a run passing
    limits.MAX_FIRMS firms ends there (runner.run_to_limit).

    Args:
        scenario: the cluster's scenario.
        seed: the run's seed.
        dates: target label -> (metric, decimal year at which to read it).
        constants: the constants to run with.
        series: run on to the figure's end.
    """
    unread = unread_columns(scenario, dates)
    if unread:
        raise TargetsError(
            f"{TARGETS_FILE}: {scenario.name} records no column for {', '.join(unread)} "
            "(a census part its region.counted_apart does not name)"
        )
    last = max(year for _, year in dates.values())
    until = max(int(math.floor(last)), scenario.start_year)
    if series:
        until = max(until, min(scenario.end_year, 2020))
    return Run(
        scenario,
        seed,
        until=until,
        constants=overrides_of(constants),
        # An exit timing is a number of the run's summary (metrics.exit_timing_of), not a
        # column, and the summary says whether the run stopped at the growth limit.
        outputs=frozenset({"timeseries", "summary"}),
        # The target metrics and any other column a figure reads (a figure read by its kinds).
        columns=tuple(dict.fromkeys([*METRICS, *(m for m, _ in dates.values() if m not in SUMMARY_METRICS)])),
        # A point far from any history can grow a cluster past limits.MAX_FIRMS: it ends
        # there and scores badly (its later figures read the last month) instead of failing
        # the whole fit or design.
        runner=CLUSTER_RUNNER,
    )


CLUSTER_RUNNER = "ecosim.runner:run_to_limit"
"""The model function of every calibration and posterior run (engine.Run's ``runner``)."""


SUMMARY_METRICS = frozenset(exit_timing.METRICS.values())
"""Figures read from a run's summary rather than its time series: the exit timing."""


def values_at(timeseries: pd.DataFrame, dates: dict[str, tuple[str, float]]) -> dict[str, float]:
    """Each target's metric in the month nearest its date (target label -> value)."""
    years = timeseries["year"].astype(float)
    return {
        label: float(timeseries.loc[int((years - when).abs().idxmin()), metric])
        for label, (metric, when) in dates.items()
    }


def stopped_at(outcome: engine.Outcome) -> float:
    """The year a run ended at the growth limit (runner.run_to_limit), NaN if it ran to its end."""
    return float((outcome.summary or {}).get(STOPPED_AT_LIMIT, math.nan))


def figure_values(outcome: engine.Outcome, dates: dict[str, tuple[str, float]]) -> dict[str, float]:
    """Each target's value in one run (target label -> value): a time-series metric in the month
    nearest its date, an exit timing from the run's summary (NaN: no such exit in its window).
    """
    if outcome.timeseries is None:
        raise ValueError("the run kept no time series")
    columns = {label: date for label, date in dates.items() if date[0] not in SUMMARY_METRICS}
    values = values_at(outcome.timeseries, columns)
    for label, (metric, _) in dates.items():
        if metric in SUMMARY_METRICS:
            value = outcome.summary.get(metric)
            values[label] = math.nan if value is None else float(value)
    return values


def values_over(
    points: Sequence[tuple[Any, Constants]],
    targets: Sequence[Target],
    seeds: Sequence[int] | Mapping[Any, Sequence[int]],
    workers: int | engine.Backend,
    scenario_dir: Path,
    store: RunStore | None = None,
    progress: bool = True,
) -> pd.DataFrame:
    """The model's value of every target at several points of the constants, for every seed.

    Every point x cluster x seed goes to the engine at once (so every worker stays busy), each
    run to its cluster's last target date; a progress bar counts the runs on stderr.

    Args:
        points: (key, constants) pairs; the key names the point in the result.
        targets: the figures to read (their clusters are the ones run).
        seeds: the seeds of every point and cluster, or each point's own (key -> seeds).
        workers: local processes (engine.backend), or a backend already open.
        scenario_dir: folder of the scenario files.
        store: the folder of finished runs (None: keep none); the runs it holds are read back.
        progress: whether to draw the progress bar (a command's ``--quiet`` turns it off).

    Returns:
        One row per key, cluster, seed and target (``figure``: its label) with its ``value``,
        and ``stopped_at``: the year its run passed limits.MAX_FIRMS firms and ended (NaN: it ran
        to its end).

    Raises:
        RuntimeError: a run failed (naming its key, cluster and seed).
    """
    clusters = sorted({t.cluster for t in targets})
    jobs, runs = [], []
    for key, constants in points:
        for cluster in clusters:
            dates = {t.label: (t.column, t.year) for t in targets if t.cluster == cluster}
            scenario = _scenario(str(scenario_dir / f"{cluster}.yaml"))
            for seed in seeds[key] if isinstance(seeds, Mapping) else seeds:
                jobs.append((key, cluster, seed, dates))
                runs.append(cluster_run(scenario, seed, dates, constants))
    rows = []
    bar = ProgressBar("runs", len(runs), enabled=progress)
    opened = engine.backend(workers) if isinstance(workers, int) else contextlib.nullcontext(workers)
    with opened as backend:
        if store is not None:
            count = iter(range(1, len(runs) + 1))
            stored = engine.run_stored(runs, backend.executor, store, on_outcome=lambda *_: bar(next(count)))
            finished: Iterable[tuple[int, Any]] = enumerate(stored)
        else:
            finished = engine.run_all(runs, backend.executor)
        for done, (index, outcome) in enumerate(finished, start=1):
            key, cluster, seed, dates = jobs[index]
            if isinstance(outcome, BaseException) or not outcome.ok or outcome.timeseries is None:
                error = outcome if isinstance(outcome, BaseException) else outcome.error
                raise RuntimeError(f"the run of {cluster} at {key!r} with seed {seed} failed: {error}")
            stopped = stopped_at(outcome)
            for label, value in figure_values(outcome, dates).items():
                rows.append(
                    {
                        "key": key,
                        "cluster": cluster,
                        "seed": seed,
                        "figure": label,
                        "value": value,
                        "stopped_at": stopped,
                    }
                )
            bar(done)
    bar.close()
    return pd.DataFrame(rows).sort_values(["key", "cluster", "seed", "figure"], ignore_index=True)


def scenario_digests(clusters: Sequence[str], scenario_dir: Path) -> dict[str, str]:
    """Each cluster's scenario digest, for a manifest."""
    return {cluster: _scenario(str(scenario_dir / f"{cluster}.yaml")).digest() for cluster in clusters}


def yearly_series(timeseries: pd.DataFrame) -> pd.DataFrame:
    """The target metrics at each calendar year's last month (the figure's series)."""
    table = metric_registry.yearly(timeseries)[["year", *METRICS]]
    return table.rename(columns={"year": "calendar_year"})


@dataclass
class Evaluator:
    """Runs every target cluster over a fixed set of seeds and scores the result.

    Attributes:
        targets: the figures to match.
        seeds: the common random numbers (the same for every evaluation).
        scenario_dir: folder of the scenario files.
        executor: where runs execute (None: in this process).
        store: the folder of finished runs (None: keep none); a run it holds is read back, not
            run again, so a killed calibration resumes by being started again.
        trace: one row per evaluation (constants, objective, seconds).
        reused: runs read back from the store so far.
        free: the constants a fit moves (``constants.FREE``, and any a refit frees beside them:
            ``ecosim calibrate --free``).
    """

    targets: list[Target]
    seeds: list[int]
    scenario_dir: Path
    executor: Executor | None = None
    store: RunStore | None = None
    trace: list[dict[str, Any]] = field(default_factory=list)
    reused: int = 0
    log: Callable[[str], None] | None = None
    memo: dict[tuple[float, ...], np.ndarray] = field(default_factory=dict)
    free: tuple[str, ...] = FREE

    def clusters(self) -> list[str]:
        """Clusters with targets, the longest runs (years simulated) first: the pool then
        starts the slowest runs first and fills in with the short ones (load balance).
        """
        names = sorted({t.cluster for t in self.targets})
        return sorted(
            names,
            key=lambda c: (
                max(t.year for t in self.targets if t.cluster == c) - _scenario(str(self.path(c))).start_year
            ),
            reverse=True,
        )

    def path(self, cluster: str) -> Path:
        """Scenario file of a cluster."""
        return self.scenario_dir / f"{cluster}.yaml"

    def runs(
        self, constants: Constants, seeds: Sequence[int] | None = None, series: bool = False
    ) -> pd.DataFrame:
        """Every cluster x seed: one row per (cluster, seed, target label) with the model's value.

        With ``series``, the yearly firm counts are in ``.attrs["series"]``.
        """
        seeds = list(self.seeds if seeds is None else seeds)
        jobs = []
        for cluster in self.clusters():
            dates = {t.label: (t.column, t.year) for t in self.targets if t.cluster == cluster}
            scenario = _scenario(str(self.path(cluster)))
            for seed in seeds:
                jobs.append((cluster, seed, dates, cluster_run(scenario, seed, dates, constants, series)))
        runs = [run for *_, run in jobs]
        executor = self.executor or engine.SerialExecutor()
        if self.store is not None:
            outcomes = engine.run_stored(runs, executor, self.store, on_outcome=self._count)
        else:
            outcomes = engine.run_ordered(runs, executor)
        rows, frames = [], []
        for (cluster, seed, dates, _), outcome in zip(jobs, outcomes, strict=True):
            if not outcome.ok or outcome.timeseries is None:
                raise RuntimeError(f"the run of {cluster} with seed {seed} failed: {outcome.error}")
            stopped = stopped_at(outcome)
            for label, value in figure_values(outcome, dates).items():
                rows.append(
                    {"cluster": cluster, "seed": seed, "target": label, "value": value, "stopped_at": stopped}
                )
            if series:
                frames.append(yearly_series(outcome.timeseries).assign(cluster=cluster, seed=seed))
        table = pd.DataFrame(rows)
        if frames:
            table.attrs["series"] = pd.concat(frames, ignore_index=True)
        return table

    def _count(self, outcome: engine.Outcome, stored: bool) -> None:
        self.reused += stored

    def errors(self, runs: pd.DataFrame, targets: Sequence[Target] | None = None) -> np.ndarray:
        """log(median over seeds / target) for every target (a median of 0 counts as 0.5)."""
        medians = runs.groupby(["cluster", "target"])["value"].median()
        return np.array(
            [
                t.log_error(float(medians[(t.cluster, t.label)]))
                for t in (targets if targets is not None else self.targets)
            ]
        )

    def score(self, runs: pd.DataFrame, targets: Sequence[Target] | None = None) -> float:
        """Sum of squared log errors of the medians over seeds."""
        errors = self.errors(runs, targets)
        return float(errors @ errors)

    def key(self, constants: Constants) -> tuple[float, ...]:
        """The free constants of ``constants``, rounded: the memo's key."""
        return tuple(round(getattr(constants, name), 12) for name in self.free)

    def known(self, constants: Constants) -> bool:
        """Whether ``constants`` were evaluated already."""
        return self.key(constants) in self.memo

    def residuals(self, constants: Constants) -> np.ndarray:
        """Run ``constants`` and return the log errors (recorded in the trace; a repeated point
        is not rerun).
        """
        key = self.key(constants)
        if key in self.memo:
            return self.memo[key]
        started = time.monotonic()
        errors = self.errors(self.runs(constants))
        value = float(errors @ errors)
        row = {name: getattr(constants, name) for name in self.free}
        row.update(objective=value, seconds=round(time.monotonic() - started, 2))
        row.update(
            {
                f"log_error_{t.cluster}_{t.label}": round(float(e), 4)
                for t, e in zip(self.targets, errors, strict=True)
            }
        )
        self.trace.append(row)
        self.memo[key] = errors
        if self.log is not None:
            shown = ", ".join(f"{k}={row[k]:.4g}" for k in self.free)
            self.log(f"  eval {len(self.trace):>3}: objective {value:.4f}  ({shown})")
        return errors

    def objective(self, constants: Constants) -> float:
        """Sum of squared log errors of ``constants`` (see residuals)."""
        errors = self.residuals(constants)
        return float(errors @ errors)


class BudgetSpentError(Exception):
    """The fit used its evaluation budget (the best point so far is kept)."""


def to_x(constants: Constants, free: Sequence[str] = FREE) -> np.ndarray:
    """The ``free`` constants as a point in log space; a constant at 0 (a mechanism off, as the
    listing's fading and early listing are in their priors) at its box's floor, the nearest a
    logarithm reaches.
    """
    return np.log([max(getattr(constants, name), BOUNDS[name][0]) for name in free])


def from_x(x: np.ndarray, base: Constants, free: Sequence[str] = FREE) -> Constants:
    """A point in log space as constants (the ``free`` ones; the others from ``base``)."""
    return with_values(base, {name: float(math.exp(v)) for name, v in zip(free, x, strict=True)})


def fit(evaluator: Evaluator, start: Constants, maxfev: int, step: float = 0.4) -> Constants:
    """Trust-region least squares on the log errors, in log space from ``start``.

    scipy.optimize.least_squares ("trf", within BOUNDS) sees one residual per target,
    log(median / target), so each iteration learns from a finite-difference Jacobian which
    constant moves which figure; that takes far fewer runs than a simplex search over the
    summed objective. Common random numbers make the residuals a deterministic function of
    the constants; a difference of ``step`` log units measures the constants' effect when the
    step is larger than the noise left by draws that shift (Budget.step).

    Args:
        evaluator: runs and scores the targets.
        start: starting constants (also the source of the constants that are not free).
        maxfev: evaluations (Jacobian columns included) after which the fit stops.
        step: finite-difference step, in log units.

    Returns:
        The best constants evaluated.
    """
    free = evaluator.free
    low = np.log([BOUNDS[n][0] for n in free])
    high = np.log([BOUNDS[n][1] for n in free])
    x0 = np.clip(to_x(start, free), low + 1e-6, high - 1e-6)
    best: dict[str, Any] = {"f": math.inf, "x": x0}
    budget = max(1, maxfev) + len(evaluator.trace)

    def residuals(x: np.ndarray) -> np.ndarray:
        if len(evaluator.trace) >= budget and not evaluator.known(from_x(x, start, free)):
            raise BudgetSpentError
        values = evaluator.residuals(from_x(x, start, free))
        total = float(values @ values)
        if total < best["f"]:
            best.update(f=total, x=np.array(x))
        return values

    def jacobian(x: np.ndarray) -> np.ndarray:
        # Forward differences of a fixed ``step`` log units (toward the inside of the box);
        # scipy's own steps are relative to x and far too small for a simulation.
        at = residuals(x)
        columns = []
        for i in range(len(x)):
            moved = x.copy()
            moved[i] += step if x[i] + step <= high[i] else -step
            columns.append((residuals(moved) - at) / (moved[i] - x[i]))
        return np.column_stack(columns)

    with contextlib.suppress(BudgetSpentError):
        optimize.least_squares(
            residuals,
            x0,
            jac=jacobian,
            bounds=(low, high),
            method="trf",
            x_scale=1.0,
            ftol=1e-3,
            xtol=1e-3,
            max_nfev=budget,
        )
    return from_x(best["x"], start, free)


def interval(values: pd.Series) -> tuple[float, float, float]:
    """Median and 90% interval (5th and 95th percentiles) over seeds."""
    return (float(values.median()), float(values.quantile(0.05)), float(values.quantile(0.95)))


def model_vs_data(runs: pd.DataFrame, targets: Sequence[Target], seeds: int) -> pd.DataFrame:
    """The model-vs-data table: median and 90% interval over seeds, error, within +-25%."""
    rows = []
    for t in targets:
        values = runs[(runs["cluster"] == t.cluster) & (runs["target"] == t.label)]["value"]
        median, low, high = interval(values)
        error = median / t.value - 1.0
        rows.append(
            {
                "cluster": t.cluster,
                "metric": t.column,
                "date": t.date,
                "series": t.series,
                "target": t.value,
                "model_median": median,
                "model_p05": low,
                "model_p95": high,
                "rel_error": round(error, 4),
                "log_error": round(t.log_error(median), 4),
                **{test: t.met(median, *bounds) for test, bounds in TESTS.items()},
                "seeds": seeds,
                "source": t.source,
            }
        )
    return pd.DataFrame(rows)


def within(table: pd.DataFrame, series: str, column: str) -> str:
    """How many of the figures of ``series`` meet ``column``'s test, as "k/n"."""
    part = table[table["series"] == series]
    return f"{int(part[column].sum())}/{len(part)}"


def leave_one_out_seeds(evaluator: Evaluator, budget: Budget) -> list[int]:
    """Seeds of the leave-one-out refits: the ones after the fit's, which the fit never used."""
    first = max(evaluator.seeds) + 1
    return list(range(first, first + budget.loo_seeds))


def leave_one_out(
    evaluator: Evaluator,
    fitted_constants: Constants,
    budget: Budget,
    log: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Refit without each cluster and predict it.

    Each refit starts from the literature priors (``Constants()``), not from the full fit, so
    that nothing the left-out cluster taught the full fit leaks into it, and runs its own
    least-squares search on the other clusters' targets with seeds the fit did not use.
    """
    rows = []
    seeds = leave_one_out_seeds(evaluator, budget)
    priors = Constants()
    start = with_values(fitted_constants, {n: getattr(priors, n) for n in evaluator.free})
    for cluster in evaluator.clusters():
        held = [t for t in evaluator.targets if t.cluster == cluster]
        kept = [t for t in evaluator.targets if t.cluster != cluster]
        if log is not None:
            log(f"leave-one-out: without {cluster}")
        sub = Evaluator(
            targets=kept,
            seeds=seeds,
            scenario_dir=evaluator.scenario_dir,
            executor=evaluator.executor,
            store=evaluator.store,
            log=log,
            free=evaluator.free,
        )
        refit = fit(sub, start, budget.loo_maxfev, step=budget.step)
        probe = Evaluator(
            targets=held,
            seeds=seeds,
            scenario_dir=evaluator.scenario_dir,
            executor=evaluator.executor,
            store=evaluator.store,
        )
        predicted = probe.runs(refit).groupby("target")["value"].median()
        in_sample = probe.runs(fitted_constants).groupby("target")["value"].median()
        for t in held:
            value = float(predicted[t.label])
            rows.append(
                {
                    "left_out": cluster,
                    "metric": t.column,
                    "date": t.date,
                    "target": t.value,
                    "in_sample_median": float(in_sample[t.label]),
                    "loo_prediction": value,
                    "loo_rel_error": round(value / t.value - 1.0, 4),
                    "loo_log_error": round(t.log_error(value), 4),
                    "within_25pct": t.met(value, *TESTS["within_25pct"]),
                    "refit_objective_without": round(sub.score(sub.runs(refit)), 4),
                    **{f"refit_{n}": round(getattr(refit, n), 6) for n in evaluator.free},
                }
            )
    return pd.DataFrame(rows)


OVER_TIME_DPI = 90
"""The resolution firms_over_time.png is drawn and written at (its figures' labels are placed
apart by their measured widths, which do not scale exactly with the dpi)."""


def over_time_figure(series: pd.DataFrame, targets: Sequence[Target]) -> Figure:
    """Firms and employment over time, two panels a cluster side by side: the bodies the source
    counts (firms, organizations, hub members) on the left and the people (employment, workforce)
    on the right; model median and 90% band over seeds, the source's figures as red points.

    Employment sits beside firms because a cluster can reach its firm count with firms that are
    too small (or too few large ones): the two together say whether the fit is right for the
    right reason. A panel is titled by the metric it draws (by their unit when it draws two, each
    then named in its key), as the metric registry labels it, with the unit on its y axis.
    """
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from ecosim.i18n import text

    clusters = list(dict.fromkeys(t.cluster for t in targets))
    pairs = min(2, len(clusters))
    rows = math.ceil(len(clusters) / pairs)
    fig = plots.figure((3.3 * 2 * pairs, 2.9 * rows), dpi=OVER_TIME_DPI)
    axes = fig.subplots(rows, 2 * pairs, squeeze=False)
    thousands = FuncFormatter(lambda value, _pos: f"{value:,.0f}")
    marked: list[tuple[Any, list[tuple[Target, Any]]]] = []
    for i, cluster in enumerate(clusters):
        row, col = divmod(i, pairs)
        part = series[series["cluster"] == cluster]
        counted = {t.metric for t in targets if t.cluster == cluster}
        name = cluster.replace("_", " ").title()
        for ax, group, fallback in (
            (axes[row, 2 * col], COUNT_METRICS, "firms_census"),
            (axes[row, 2 * col + 1], EMPLOYMENT_METRICS, "employment_census"),
        ):
            metrics = [m for m in group if m in counted] or [fallback]
            points = []
            for metric, colour in zip(metrics, plots.SERIES_COLOURS[::4], strict=False):
                points += _band(ax, part, metric, colour, [t for t in targets if t.cluster == cluster])
            marked.append((ax, points))
            units = ", ".join(dict.fromkeys(text(f"unit_{metric_registry.BY_NAME[m].unit}") for m in metrics))
            what = text(f"metric_{metrics[0]}") if len(metrics) == 1 else units
            ax.set_title(f"{name}\n{what}", fontsize=9)  # two lines: a label is as wide as its panel
            ax.set_ylabel(units, fontsize=8)
            ax.margins(y=0.15)  # room above a figure's point for its label
            ax.set_ylim(bottom=0)  # counts: the margin must not reach below nothing
            # Whole years, however short the run (Shonan's two read 2019.0, 2019.5), without an offset.
            ax.xaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 5, 10], integer=True, min_n_ticks=1))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:.0f}"))
            ax.yaxis.set_major_formatter(thousands)
            ax.tick_params(labelsize=8)
            ax.legend(frameon=False, fontsize=7, loc="upper left")
    for ax in list(axes.flat)[2 * len(clusters) :]:
        ax.axis("off")
    fig.suptitle(
        "Firms and employment over time: model median and 90% band over seeds; "
        "red points: the source's figures",
        fontsize=10,
    )
    fig.tight_layout()
    # The figures' values go on last, where the layout is final, each beside its point and clear
    # of every point, of the key and of each other (two figures of one year sat on each other).
    draw = plots.renderer(fig)
    for ax, points in marked:
        taken = [line.get_window_extent(draw).expanded(1.3, 1.3) for _, line in points]
        taken.append(ax.get_legend().get_window_extent(draw))
        labels = [plots.PointLabel((t.year, t.value), f"{t.value:,.0f}", plots.BESIDE, {}) for t, _ in points]
        plots.draw_labels(ax, labels, taken=taken, fontsize=8, color=plots.TARGET_COLOUR)
    return fig


def _band(
    ax: Any, part: pd.DataFrame, metric: str, colour: str, targets: Sequence[Target]
) -> list[tuple[Target, Any]]:
    """One series: median line and 90% band, named by the metric registry's label, and the
    targets on it as red points.

    Returns:
        Each target drawn and its point (over_time_figure labels them once the layout is final).
    """
    from ecosim.i18n import text

    by_year = part.groupby("calendar_year")[metric]
    # Each value is the state at the year's last month: plot it at the year's end.
    years = by_year.median().index + 11 / 12
    ax.fill_between(years, by_year.quantile(0.05), by_year.quantile(0.95), color=colour, alpha=0.2, lw=0)
    ax.plot(years, by_year.median(), color=colour, label=text(f"metric_{metric}"))
    return [
        (t, ax.plot([t.year], [t.value], "o", color=plots.TARGET_COLOUR, ms=6, zorder=4)[0])
        for t in targets
        if t.metric == metric
    ]


def file_hash(paths: Sequence[Path]) -> str:
    """SHA-256 over the bytes of ``paths`` (the report's fingerprint)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def calibrate(
    out_dir: str | Path,
    budget: Budget = FULL,
    workers: int = 2,
    scenario_dir: str | Path = "scenarios",
    start: Constants | None = None,
    install: bool = True,
    loo: bool = True,
    command: list[str] | None = None,
    log: Callable[[str], None] | None = print,
    store_dir: str | Path | None = None,
    by_kinds: bool = False,
    free: Sequence[str] = FREE,
    also_fit: Sequence[Target] = (),
) -> dict[str, Any]:
    """Fit, report, and (with ``install``) write the fitted constants as the package default.

    Args:
        out_dir: report folder (model_vs_data.csv, leave_one_out.csv, fit_trace.csv,
            firms_over_time.png, fitted_constants.json, manifest.json, README.md).
        budget: seeds and evaluation budgets.
        workers: processes in the pool (1: run in this process).
        scenario_dir: folder of the scenario files.
        start: starting constants (the package defaults when None); the constants it sets that
            are not free are held for the whole fit (``ecosim calibrate --set``).
        install: also write src/ecosim/fitted_constants.json.
        loo: run the leave-one-out check.
        command: the command line for the manifest.
        log: where progress lines go (None: silent).
        store_dir: folder where every finished run is kept (None: none kept). Started again
            after a kill with the same arguments, the calibration reads back the runs it finds
            there (the search is deterministic, so it asks for the same runs in the same order)
            and goes on from where it stopped; runs of other model code or libraries are never read back.
        by_kinds: read each figure by the kinds of firm it counts (read_by_kinds: the narrow
            counts of biotech or biopharma alone against the drug industry alone); the package's
            fit reads every figure by its metric.
        free: the constants the fit moves (``constants.FREE``; a refit may free more, each with
            a box in ``BOUNDS``, or hold some of FREE at ``start``'s values: Space.free).
        also_fit: figures fitted beside TARGETS (:func:`check_also_fit`: ``ecosim calibrate
            --also-fit``), those of the clusters fitted; a fit that sees them is another model's,
            never installed.

    Returns:
        The fitted-constants record (constants, objective, date, report hash).
    """
    started = time.monotonic()
    out_dir = Path(out_dir)
    scenario_dir = Path(scenario_dir)
    check_also_fit(also_fit)
    also_fit = [t for t in also_fit if not budget.clusters or t.cluster in budget.clusters]
    targets = targets_for(budget.clusters) + also_fit
    if by_kinds:
        targets = read_by_kinds(targets)
    start = start or fitted()
    free = tuple(free)
    unboxed = [name for name in free if name not in BOUNDS]
    if unboxed:
        raise ValueError(f"no search box for {', '.join(unboxed)} (calibrate.BOUNDS): it cannot be freed")
    if install and free != FREE:
        # The package point holds FREE's constants only (constants.fitted): a freed constant
        # would be dropped from it while its objective counted on it, and one of FREE held
        # (Space: ``--set``) was not fitted.
        raise ValueError(
            "a fit that frees constants beside constants.FREE or holds some of them is another "
            "model's; never installed"
        )
    if install and also_fit:
        raise ValueError("a fit that sees figures beside TARGETS is another model's; never installed")
    say = log or (lambda _message: None)
    store = RunStore(store_dir) if store_dir is not None else None
    with engine.backend(workers) as backend:
        evaluator = Evaluator(
            targets=targets,
            seeds=list(range(1, budget.fit_seeds + 1)),
            scenario_dir=scenario_dir,
            executor=backend.executor,
            store=store,
            log=log,
            free=free,
        )
        say(
            f"fit: {len(free)} free constants, {len(targets)} targets, seeds "
            f"1-{budget.fit_seeds}, the start and at most {budget.maxfev} evaluations after it, "
            f"{workers} workers" + (f"; finished runs kept in {store_dir}" if store_dir is not None else "")
        )
        start_objective = evaluator.objective(start)
        best = fit(evaluator, start, budget.maxfev, step=budget.step)
        # The objective of the point installed (a memo hit): a start with a mechanism "off" (0)
        # is scored as given, while the fit starts from its box's floor (to_x), so the lowest
        # objective of the trace may be the start's, not the returned point's.
        objective = evaluator.objective(best)
        say(f"fit done: objective {start_objective:.4f} -> {objective:.4f}")
        report_seeds = list(range(1, budget.report_seeds + 1))
        runs = evaluator.runs(best, seeds=report_seeds, series=True)
        table = model_vs_data(runs, targets, len(report_seeds))
        report_objective = evaluator.score(runs)
        loo_table = leave_one_out(evaluator, best, budget, log=log) if loo else pd.DataFrame()
    with atomic.staged_dir(out_dir) as stage:
        table.to_csv(stage / "model_vs_data.csv", index=False)
        if loo:
            loo_table.to_csv(stage / "leave_one_out.csv", index=False)
        pd.DataFrame(evaluator.trace).to_csv(stage / "fit_trace.csv", index=False)
        plots.save_png(
            over_time_figure(runs.attrs["series"], targets), stage / "firms_over_time.png", dpi=OVER_TIME_DPI
        )
        reported = [
            stage / n
            for n in ("model_vs_data.csv", "leave_one_out.csv", "fit_trace.csv")
            if (stage / n).exists()
        ]
        record = {
            "constants": {name: round(getattr(best, name), 8) for name in free},
            "start": {name: getattr(start, name) for name in free},
            "objective": round(objective, 6),
            "objective_report_seeds": round(report_objective, 6),
            "start_objective": round(start_objective, 6),
            "within_25pct": f"{int(table['within_25pct'].sum())}/{len(table)}",
            "report_runs_stopped": stopped_runs(runs),
            "end_points_within_25pct": within(table, "end_point", "within_25pct"),
            "history_within_factor_1_5": within(table, "history", "within_factor_1_5"),
            "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "report": str(out_dir),
            "report_hash": file_hash(reported),
            "seeds": {
                "fit": evaluator.seeds,
                "report": report_seeds,
                "leave_one_out": leave_one_out_seeds(evaluator, budget) if loo else [],
            },
            "budget": dataclasses.asdict(budget),
        }
        # Constants the fit held apart from the package's (ecosim calibrate --set): a refit of
        # another model, said in its record and report.
        held = {name: value for name, value in overrides_of(start) if name not in free}
        # One of FREE not moved (Space: --set) is held even at the package's value.
        held |= {name: getattr(start, name) for name in FREE if name not in free}
        if held:
            record["held"] = held
        if set(free) - set(FREE):
            # Freed beside the package's (ecosim calibrate --free): a refit of another model too.
            record["freed"] = [name for name in free if name not in FREE]
        if also_fit:
            # Figures the package fit does not see (ecosim calibrate --also-fit): another model's too.
            record["also_fitted"] = [f"{t.cluster}:{t.label}" for t in also_fit]
        if by_kinds:
            record["by_kinds"] = True
        atomic.write_json(stage / "fitted_constants.json", record)
        manifest = {
            **provenance.base_manifest(command),
            "seconds": round(time.monotonic() - started, 1),
            "workers": workers,
            "store": str(store_dir) if store_dir is not None else None,
            "runs_read_back": evaluator.reused,
            "scenarios": {
                c: {
                    "file": str(scenario_dir / f"{c}.yaml"),
                    "hash": _scenario(str(scenario_dir / f"{c}.yaml")).digest(),
                }
                for c in dict.fromkeys(t.cluster for t in targets)
            },
            "free_constants": list(free),
            "bounds": {n: BOUNDS[n] for n in free},
            "fitted": record,
            "evaluations": len(evaluator.trace),
        }
        atomic.write_json(stage / "manifest.json", manifest)
        atomic.write_text(stage / "README.md", readme(table, loo_table, record, manifest))
    if not loo:
        # A leave-one-out table of an earlier calibration would pass for this one's.
        (out_dir / "leave_one_out.csv").unlink(missing_ok=True)
    if install:
        atomic.write_json(FITTED_FILE, record)
        say(f"wrote {FITTED_FILE}")
    say(f"report: {out_dir}/ ({manifest['seconds']:.0f} s)")
    return record


def stopped_runs(runs: pd.DataFrame) -> list[str]:
    """The runs of an Evaluator.runs table that ended at the growth limit (``boston seed 3:
    2008``): their later figures are read at the month they stopped.
    """
    if "stopped_at" not in runs.columns:
        return []
    stops = runs.dropna(subset=["stopped_at"]).drop_duplicates(["cluster", "seed"])
    return [f"{r.cluster} seed {r.seed}: {int(r.stopped_at)}" for r in stops.itertuples()]


def _held(value: Any) -> str:
    """A held constant's value as the README writes it (a list constant's numbers with commas)."""
    return ", ".join(f"{v:g}" for v in value) if isinstance(value, list | tuple) else f"{value:g}"


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:.3g}"


def readme(
    table: pd.DataFrame, loo_table: pd.DataFrame, record: dict[str, Any], manifest: dict[str, Any]
) -> str:
    """The report's README: what was fitted, how well, and the leave-one-out errors."""
    lines = [
        "# Calibration report",
        "",
        f"Produced by `{manifest['command']}` at git commit `{manifest['git_commit']}` "
        f"in {manifest['seconds']:.0f} s on {manifest['workers']} workers "
        f"({manifest['evaluations']} objective evaluations).",
        "",
        "Free shared constants (the same for every cluster; see `src/ecosim/calibrate.py` for why "
        "these and no others), fitted by trust-region least squares in log space on the log errors "
        "of medians over seeds (common random numbers):",
        "",
        "| constant | start | fitted | bounds |",
        "| --- | ---: | ---: | --- |",
    ]
    for name in manifest["free_constants"]:
        low, high = manifest["bounds"][name]
        lines.append(
            f"| `{name}` | {record['start'][name]:.4g} | {record['constants'][name]:.4g} | {low:g}-{high:g} |"
        )
    lines += [
        "",
        f"Objective {record['start_objective']:.3f} at the start -> {record['objective']:.3f} "
        f"(fit seeds {record['seeds']['fit']}); {record['objective_report_seeds']:.3f} over the "
        f"report's {len(record['seeds']['report'])} seeds."
        + (
            f" Runs of the report that passed the growth limit (limits.MAX_FIRMS firms) and ended "
            f"there, their later figures read at that month: {'; '.join(record['report_runs_stopped'])}."
            if record.get("report_runs_stopped")
            else ""
        )
        + (
            " Held for the whole fit, unlike the package (a refit of another model): "
            + ", ".join(f"`{k}` = {_held(v)}" for k, v in record["held"].items())
            + "."
            if record.get("held")
            else ""
        )
        + (
            " Freed beside the package's fifteen, fitted with them (a refit of another model): "
            + ", ".join(f"`{name}`" for name in record["freed"])
            + "."
            if record.get("freed")
            else ""
        ),
        "",
        f"## Model vs data (median and 90% interval over {len(record['seeds']['report'])} seeds)",
        "",
        f"The source document's end points within +-25%: {record['end_points_within_25pct']}; "
        f"the dated figures up to 2000 within a factor of 1.5: {record['history_within_factor_1_5']} "
        f"(all figures within +-25%: {record['within_25pct']}). The figures dated 2001-2018 are "
        "never fitted: experiments/history.py compares them out of sample.",
        "",
        "| cluster | metric | date | series | data | model median | 90% interval | error | within 25% |",
        "| --- | --- | --- | --- | ---: | ---: | --- | ---: | :---: |",
    ]
    for r in table.itertuples(index=False):
        lines.append(
            f"| {r.cluster} | {r.metric} | {r.date} | {r.series} | {_fmt(r.target)} | "
            f"{_fmt(r.model_median)} | "
            f"{_fmt(r.model_p05)}-{_fmt(r.model_p95)} | {r.rel_error:+.0%} | "
            f"{'yes' if r.within_25pct else 'no'} |"
        )
    if len(loo_table):
        lines += [
            "",
            f"## Leave-one-out (refit without the cluster: seeds {record['seeds']['leave_one_out']}, "
            f"least squares from the priors with at most {record['budget']['loo_maxfev']} "
            "evaluations, on seeds the fit did not use)",
            "",
            "| left out | metric | date | data | in-sample median | LOO prediction | LOO error |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: |",
        ]
        for r in loo_table.itertuples(index=False):
            lines.append(
                f"| {r.left_out} | {r.metric} | {r.date} | {_fmt(r.target)} | {_fmt(r.in_sample_median)} | "
                f"{_fmt(r.loo_prediction)} | {r.loo_rel_error:+.0%} |"
            )
    lines += [
        "",
        "Files: `model_vs_data.csv`, "
        + ("`leave_one_out.csv`, " if len(loo_table) else "")
        + "`fit_trace.csv` (every evaluation), "
        "`firms_over_time.png` (firms and employment over time), `fitted_constants.json`, "
        "`manifest.json` (command, seeds, scenario hashes, versions, git commit).",
        "",
    ]
    return "\n".join(lines)
