"""Would Boston raise the venture money of its documented years if trials cost money?

results/history/vc_money_scan found Boston's venture money of 2017-19 at half the source
document's (x0.51), in many small seed rounds and few clinical ones, and, post hoc, that of the
model's private companies in the clinic only about one in ten has raised a clinical round: their
only cost is their staff, since the model's companies pay nothing for trials, and partnerships pay
them upfront. A trial is the largest cost of a clinical-stage biotech. ``trial_cost_musd_year``
(agents/startup.py ``CompanyBooks.trial_costs``, 0 at the default) adds a stage's outside R&D to
the monthly burn of a company without products, paid before staff when it hires or cuts.

Yearly costs, derived (docs/EVIDENCE.md section 5): a US study costs USD 1.4-6.6 m in phase 1,
7.0-19.6 m in phase 2 and 11.5-52.9 m in phase 3 across therapeutic areas (Sertkaya et al., report
for HHS ASPE, 2014, from Medidata's contracts; taken here as dollars of 2013). The model's
clinical stage holds phases 1 and 2 and its late stage phase 3. Taking each range's middle (4.0,
13.3 and 32.2), one study at a time, about two years a study in phases 1 and 2 and three in phase
3 (an assumption: no duration was sourced), the clinical stage costs (4.0 + 13.3) / 4 = 4.3 m a
year and the late stage 32.2 / 3 = 10.7 m, converted to the model's USD of 2000 (ecosim.money);
the seed and early stages nothing beyond staff (an assumption). Points at half and twice these
bound the durations' and the ranges' uncertainty. Nothing refitted; the seeds of results/history.

Stated before running (any can come out):
- if the derived costs (``trials``) bring Boston's VC money of 2018 within a factor of 1.5 and meet
  at least as many in-sample figures and US end points as the default, the model's missing trial
  costs are the cause of the money's miss: the next refit should include them;
- if ``trials`` brings the money within x1.5 but meets fewer in-sample figures or US end points,
  the trial costs pull against the fitted constants: only a refit with them can tell;
- if ``trials`` does not bring the money within x1.5, trial costs alone are not the cause (the
  table says whether the other points do, and what they cost).

Usage:
    python experiments/trial_cost_scan.py [--seeds 8] [--workers 2] [--until YEAR]
        [--out results/history/trial_cost_scan]
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from siblings import sibling

from ecosim import money

vc = sibling("vc_money_scan")
scan = vc.scan
history = scan.history

TRIALS = "trial_cost_musd_year"
"""Outside R&D a company without products spends a year at each stage, USD m at 2000 prices."""
PRICES = 2013
"""The year whose dollars the per-study costs are taken in."""
CLINICAL = (4.0 + 13.3) / 4.0
"""Phases 1 and 2, a study of each at the middle of its range, two years each: USD m a year."""
LATE = 32.2 / 3.0
"""Phase 3, a study at the middle of its range over three years: USD m a year."""


def costs(factor: float) -> dict[str, Any]:
    """The derived yearly costs, ``factor`` times, by stage in the model's USD of 2000."""
    yearly = (0.0, 0.0, CLINICAL * factor, LATE * factor)
    return {TRIALS: tuple(round(money.to_model_usd(c, "USD", PRICES), 6) for c in yearly)}


POINTS: scan.Points = (
    ("default", "companies pay their staff only", {}),
    (
        "trials",
        "clinical 4.3, late 10.7 USD m a year (2013 dollars), derived from the sourced costs",
        costs(1.0),
    ),
    ("trials x0.5", "half of them", costs(0.5)),
    ("trials x2", "twice them", costs(2.0)),
)
"""The scan's points: a label, what it changes, and the constants it sets (all else default)."""


def verdict(table: pd.DataFrame) -> list[str]:
    """The reading, by the rule stated in the module docstring."""
    key = " ".join(vc.MONEY)
    default = table[table["point"] == "default"].iloc[0]
    trials = table[table["point"] == "trials"].iloc[0]
    if pd.isna(default[key]) or pd.isna(trials[key]):
        return ["The runs end before Boston's VC money of 2018: the rule cannot be read."]
    lead = scan.already_met(
        history.within(default[key]),
        f"Boston's VC money of 2018 within a factor of {history.FACTOR} (x{scan.fmt(default[key], 2)})",
    )
    return lead + trial_reading(default, trials, key)


def trial_reading(default: pd.Series, trials: pd.Series, key: str) -> list[str]:
    """The rule's readings (module docstring) of the `trials` point against ``default``."""
    where = f"(`trials`: x{scan.fmt(trials[key], 2)}; the default: x{scan.fmt(default[key], 2)})"
    if not history.within(trials[key]):
        return [
            f"The derived trial costs do not bring Boston's VC money of 2018 within a factor of "
            f"{history.FACTOR} {where}: trial costs alone are not the cause of the money's miss."
        ]
    if (
        trials["in-sample_within_x1.5"] >= default["in-sample_within_x1.5"]
        and trials["end_points_within_25pct"] >= default["end_points_within_25pct"]
    ):
        return [
            f"The derived trial costs bring Boston's VC money of 2018 within a factor of {history.FACTOR} "
            f"{where} and meet as many in-sample figures and US end points as the default: the model's "
            "missing trial costs are the cause of the money's miss. The next refit should include them."
        ]
    return [
        f"The derived trial costs bring Boston's VC money of 2018 within a factor of {history.FACTOR} "
        f"{where} but meet fewer in-sample figures or US end points than the default "
        f"({default['in-sample_within_x1.5']} and {default['end_points_within_25pct']}; `trials`: "
        f"{trials['in-sample_within_x1.5']} and {trials['end_points_within_25pct']}): the trial costs "
        "pull against the fitted constants, and only a refit with them can tell."
    ]


def readme(table: pd.DataFrame, manifest: dict[str, Any], staffing: pd.DataFrame | None = None) -> str:
    """The folder's README: the question, the stated rule, the verdict and the tables."""
    lines = [
        "# Trial costs: would Boston raise its documented venture money if trials cost money?",
        "",
        f"Produced by `{manifest['command']}` at git commit `{manifest['git_commit']}`: "
        f"{len(manifest['seeds'])} seeds per cluster and point (the seeds of results/history, so the "
        f"default row reproduces it), the package's fitted constants with the point's `{TRIALS}`, "
        f"nothing refitted. Figures are those of results/history (in sample and out of sample, within "
        f"a factor of {history.FACTOR}); model/data is the median over seeds.",
        "",
        "What each reading would mean was written in experiments/trial_cost_scan.py before it ran.",
        "",
        "## Reading",
        "",
        *verdict(table),
        "",
        *vc.detail_lines(table, staffing, POINTS),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run every point, cluster and seed and write the folder."""
    return vc.scan_main("trial_cost_scan", __doc__, POINTS, readme, argv)


if __name__ == "__main__":
    raise SystemExit(main())
