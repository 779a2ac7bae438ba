"""The exit-timing pattern: years from founding to an IPO and to an acquisition, and their order.

Venture-backed biopharma companies list under six years from their founding (median; the IPOs of
January 2009 to April 2013 of companies founded after 1995, Booth on LifeSciVC, 2013) and are
bought, when private, at almost nine (takeouts of about 2015-2020, Evaluate Vantage): both in
src/ecosim/data/exit_timing.csv with their sources. A run's timing is read from its firm table:
the median years from founding to the exit, over the exits the reference describes (dated in its
window, of companies founded from its first founding year), of the firms founded in the region
(not those that moved in, whose founding the model does not see).

experiments/history.py reports the pattern for the US clusters; the calibration fits it as one
figure per US cluster and kind of exit (:func:`targets`): ``below`` a bound for the IPO, ``about``
a level for the acquisition, which puts acquisitions after IPOs.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache

import pandas as pd

from ecosim.agents.firm import FOUNDING_ORIGINS
from ecosim.packagedata import data_file

EXIT_FILE = "exit_timing.csv"
"""The data file of the reference exit timing (src/ecosim/data/exit_timing.csv)."""
FOUNDED = frozenset(str(o) for o in FOUNDING_ORIGINS)
"""Origins of the firms founded in the region (the others moved in: their founding is not seen)."""
METRICS = {"ipo": "years_to_ipo", "acquisition": "years_to_acquisition"}
"""The name of each kind of exit's timing as a figure's metric."""
COMPARISONS = ("about", "below")
"""How a run is compared with a reference: ``about`` a level, ``below`` an upper bound."""
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
"""The months' names, for a window that ends before December."""


@dataclass(frozen=True)
class Reference:
    """One kind of exit's reference timing (a row of data/exit_timing.csv).

    Attributes:
        exit: ``ipo`` (a listing) or ``acquisition`` (of a private company).
        years: the reference median, years from founding to the exit.
        comparison: ``below`` (an upper bound: "under 6 years") or ``about`` (a level).
        window_from: first calendar year of the exits the reference describes.
        window_to: last calendar year of them.
        source: a reference a reader can find.
        note: how the figure was read.
        last_month: the last month of ``window_to`` the reference counts (12: the whole year).
        founded_from: the first founding year of the companies it counts (None: any).
    """

    exit: str
    years: float
    comparison: str
    window_from: int
    window_to: int
    source: str
    note: str = ""
    last_month: int = 12
    founded_from: int | None = None

    @property
    def metric(self) -> str:
        """The figure's metric (``years_to_ipo``, ``years_to_acquisition``)."""
        return METRICS[self.exit]

    @property
    def dated(self) -> tuple[float, float]:
        """The exits compared with it, as decimal years [from, before): its window, to the end of
        its last month.
        """
        return (float(self.window_from), self.window_to + self.last_month / 12.0)

    @property
    def span(self) -> str:
        """Its exits and companies in words: ``2009-2020``, ``January 2009-April 2013, companies
        founded from 1996``.
        """
        if self.last_month == 12:
            words = f"{self.window_from}-{self.window_to}"
        else:
            words = f"January {self.window_from}-{MONTHS[self.last_month - 1]} {self.window_to}"
        return words if self.founded_from is None else f"{words}, companies founded from {self.founded_from}"


@cache
def references() -> tuple[Reference, ...]:
    """Every row of data/exit_timing.csv (comment lines start with ``#``).

    Raises:
        MissingDataError: the file is not installed.
        ValueError: a row names an unknown exit or comparison.
    """
    path = data_file(EXIT_FILE, "table of reference exit timing")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    found = []
    for line, row in enumerate(rows, start=1):
        if row["exit"] not in METRICS or row["comparison"] not in COMPARISONS:
            raise ValueError(
                f"{EXIT_FILE} row {line}: exit {row['exit']!r} or comparison {row['comparison']!r} unknown"
            )
        found.append(
            Reference(
                exit=row["exit"],
                years=float(row["years"]),
                comparison=row["comparison"],
                window_from=int(row["window_from"]),
                window_to=int(row["window_to"]),
                source=row["source"],
                note=row.get("note") or "",
                last_month=int(row.get("last_month") or 12),
                founded_from=int(row["founded_from"]) if (row.get("founded_from") or "").strip() else None,
            )
        )
    return tuple(found)


def reference(exit: str) -> Reference:
    """The reference of one kind of exit (``ipo`` or ``acquisition``)."""
    return next(r for r in references() if r.exit == exit)


def exit_years(firms: pd.DataFrame, window: tuple[float, float] | None = None) -> dict[str, pd.Series]:
    """Years from founding to IPO (listed firms) and to acquisition (of a private company), for
    firms founded in the region, counting the exits dated in the calendar years ``window`` (first
    and last; all when None).
    """
    exits = _exits(firms)
    if window is not None:
        exits = exits[(exits["dated"] >= window[0]) & (exits["dated"] < window[1] + 1)]
    return {kind: exits.loc[exits["exit"] == kind, "years"] for kind in METRICS}


def reference_years(firms: pd.DataFrame, ref: Reference) -> pd.Series:
    """Years from founding to ``ref``'s exit of the exits it describes: dated in its window (to the
    end of its last month), of companies founded from its ``founded_from`` year.
    """
    exits = _exits(firms)
    low, before = (round(edge * 12) for edge in ref.dated)
    # In whole months: a run's dates are rounded to four decimals (May 2013 is 2013.3333, under
    # 2013 + 4/12), so an exit's month is its date times 12, rounded.
    month = (exits["dated"] * 12).round()
    chosen = (exits["exit"] == ref.exit) & (month >= low) & (month < before)
    if ref.founded_from is not None:
        chosen &= exits["founded"] >= ref.founded_from
    return exits.loc[chosen, "years"]


def _exits(firms: pd.DataFrame) -> pd.DataFrame:
    """Every exit of the firms founded in the region: its kind, date, founding year and years from
    founding (a listed company's later sale is not a venture exit).
    """
    founded = firms[firms["origin"].isin(FOUNDED)]
    start = founded["founded_year"].astype(float)
    listed = pd.to_numeric(founded["listed_year"], errors="coerce")
    ended = pd.to_numeric(founded["fate_year"], errors="coerce")
    bought = (founded["fate"] == "acquired") & listed.isna()
    ipo = pd.DataFrame({"exit": "ipo", "dated": listed, "founded": start, "years": listed - start})
    sold = pd.DataFrame({"exit": "acquisition", "dated": ended, "founded": start, "years": ended - start})
    return pd.concat([ipo[listed.notna()], sold[bought]]).dropna(subset=["years"])


def median_years(firms: pd.DataFrame, ref: Reference) -> float:
    """A run's median years to ``ref``'s exit over the exits it describes (NaN: none)."""
    years = reference_years(firms, ref)
    return float(years.median()) if len(years) else math.nan


def log_error(ref_years: float, comparison: str, model_years: float) -> float:
    """log(model / reference), as the calibration scores a figure; a bound is met by any value
    under it (error 0), and a run without such an exit in the window misses by log 2 (as if
    twice the reference: the model's companies take too long or never get there).
    """
    if math.isnan(model_years):
        return math.log(2.0)
    error = math.log(max(model_years, 0.5) / ref_years)
    return max(0.0, error) if comparison == "below" else error
