"""Early money: would larger rounds before 1999 give the US clusters their missing early jobs?

The US clusters' jobs dated before 2003 fall short (results/history), their drug firms small
rather than few (early_jobs), and neither more graduates (labour_supply_scan) nor larger early
teams at the same money (era_teams_scan: not supported, read after its run as "larger teams burn
the same rounds sooner") give them. If the money binds, larger early rounds should. The model's
rounds are the constants' 2000s sizes times the era's index (data/round_sizes.csv): 0.64 from 1989
to 1998 (and, assumed, before), NVCA's average round of all sectors; biotech's own rounds of those
years were not found. ``Constants.early_round_multiple`` sets the rounds of the years before
``early_round_end`` (1999, where the index reaches its 2000s level) to that multiple of the index
(model.BioclusterModel.begin_month: every round, and the stage values that acquisitions and
listings price from, exits.py). This scan probes 1.5 (about the 2000s' level), 2 and 3, nothing
refitted, on the three US clusters with the seeds of results/history.

Stated before running (the rule of experiments/listed_teams.py and era_teams_scan.py):
- the mechanism is supported if at some multiple above 1 the dated jobs before 2003 move closer to
  the data in all three clusters (the median over a cluster's figures of model/data nearer 1 in
  log terms) while no fewer firm counts (every dated firms figure, in and out of sample) stay
  within a factor of 1.5;
- otherwise it is not: larger early rounds alone do not give the clusters their early jobs.
Seen before this rule was written: results/history/vc_money_scan's figures, whose points double or
triple every round of every era (not the early ones alone); read by this rule after the fact, its
doubled rounds lifted the Bay Area's and Boston's early jobs and lowered San Diego's.

Usage:
    python experiments/early_money_scan.py [--seeds 8] [--workers 2] [--until YEAR]
        [--out results/history/early_money_scan]
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from siblings import sibling

ets = sibling("era_teams_scan")
scan = ets.scan
history = scan.history

MULTIPLES = (1.5, 2.0, 3.0)
"""The probed early rounds, as multiples of the index's level before 1999."""
POINTS: scan.Points = (
    ("default", "the package default: the index's rounds in every era", {}),
    *(
        (f"early rounds x{m:g}", f"rounds before 1999 {m:g} times the index's", {"early_round_multiple": m})
        for m in MULTIPLES
    ),
)
"""The scan's points: a label, what it changes, and the constants it sets (all else default)."""


def readme(table: pd.DataFrame, manifest: dict[str, Any], figures: pd.DataFrame, kinds: pd.DataFrame) -> str:
    """The folder's README: the question, the stated rule, the reading and the tables."""
    return ets.scan_readme(
        "Early money: would larger rounds before 1999 give the US clusters their missing early jobs?",
        "early_money_scan",
        "(the rule of experiments/listed_teams.py and era_teams_scan.py); vc_money_scan's rounds of every "
        "era doubled and tripled were seen before the rule was written (the script's docstring says what "
        "they showed)",
        ("larger early rounds", "a source for biotech's rounds before 1999"),
        (table, manifest, figures, kinds),
        POINTS,
    )


def main(argv: list[str] | None = None) -> int:
    """Run every point, cluster and seed and write the folder."""
    return ets.scan_main("early_money_scan", __doc__, POINTS, readme, argv)


if __name__ == "__main__":
    raise SystemExit(main())
