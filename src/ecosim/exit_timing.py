"""The exit-timing pattern: years from founding to an IPO and to an acquisition, and their order.

Venture-backed biopharma companies list under six years from their founding (median) and are
bought, when private, at about nine (src/ecosim/data/exit_timing.csv, Evaluate Vantage via
LifeSciVC, exits of 2009-2020). A run's timing is read from its firm table: the median years from
founding to the exit, over the exits dated in the reference's window, of the firms founded in the
region (not those that moved in, whose founding the model does not see).

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
    """

    exit: str
    years: float
    comparison: str
    window_from: int
    window_to: int
    source: str
    note: str = ""

    @property
    def metric(self) -> str:
        """The figure's metric (``years_to_ipo``, ``years_to_acquisition``)."""
        return METRICS[self.exit]

    @property
    def window(self) -> tuple[float, float]:
        """The calendar years of the exits compared with it."""
        return (float(self.window_from), float(self.window_to))


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
            )
        )
    return tuple(found)


def reference(exit: str) -> Reference:
    """The reference of one kind of exit (``ipo`` or ``acquisition``)."""
    return next(r for r in references() if r.exit == exit)


def exit_years(firms: pd.DataFrame, window: tuple[float, float] | None = None) -> dict[str, pd.Series]:
    """Years from founding to IPO (listed firms) and to acquisition (of a private company), for
    firms founded in the region, counting the exits dated in ``window`` (all when None).
    """
    founded = firms[firms["origin"].isin(FOUNDED)]
    start = founded["founded_year"].astype(float)
    listed = pd.to_numeric(founded["listed_year"], errors="coerce")
    ended = pd.to_numeric(founded["fate_year"], errors="coerce")
    bought = (founded["fate"] == "acquired") & listed.isna()
    ipo, acquisition = listed - start, (ended - start)[bought]
    if window is not None:
        ipo = ipo[(listed >= window[0]) & (listed < window[1] + 1)]
        acquisition = acquisition[(ended[bought] >= window[0]) & (ended[bought] < window[1] + 1)]
    return {"ipo": ipo.dropna(), "acquisition": acquisition.dropna()}


def median_years(firms: pd.DataFrame, ref: Reference) -> float:
    """A run's median years to ``ref``'s exit over its window (NaN: no such exit in it)."""
    years = exit_years(firms, ref.window)[ref.exit]
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
