"""experiments/us_market_pipeline.py: the rule that decides whether the US clusters list on the
national market, read on hand-built comparison tables with exact verdicts.
"""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import experiment


@pytest.fixture(scope="module")
def pipeline():
    return experiment("us_market_pipeline")


def table(pipeline, ends: str, in_sample: int, out_of_sample: int, timing: bool) -> pd.DataFrame:
    """The default (12/13, 12, 21, timing met) and a picked point with these numbers."""
    return pd.DataFrame(
        [
            {
                "point": "default",
                "calibration_end_points": "12/13",
                "in-sample_within_x1.5": 12,
                "out-of-sample_within_x1.5": 21,
                "timing_met": True,
            },
            {
                "point": pipeline.CHALLENGER,
                "calibration_end_points": ends,
                "in-sample_within_x1.5": in_sample,
                "out-of-sample_within_x1.5": out_of_sample,
                "timing_met": timing,
            },
        ]
    )


@pytest.mark.parametrize(
    ("ends", "in_sample", "out_of_sample", "timing", "passes"),
    [
        ("11/13", 11, 25, True, True),  # 47 against 45: fewer end points are paid for out of sample
        ("12/13", 12, 21, True, True),  # as many together is enough
        ("12/13", 12, 20, True, False),  # one fewer together
        ("11/13", 11, 25, False, False),  # more figures, but the timing missed
        ("13/13", 16, 37, False, False),  # every figure, the timing missed
    ],
)
def test_the_rule_counts_the_figures_together_and_asks_for_the_timing(
    pipeline, ends, in_sample, out_of_sample, timing, passes
):
    lines = pipeline.verdict(table(pipeline, ends, in_sample, out_of_sample, timing))
    assert lines[0].startswith("The picked point meets the rule") is passes
    assert lines[0].startswith("The picked point fails part") is not passes


def test_figures_met_reads_fractions_and_counts(pipeline):
    row = pd.Series(
        {"calibration_end_points": "11/13", "in-sample_within_x1.5": "11/16", "out-of-sample_within_x1.5": 25}
    )
    assert pipeline.figures_met(row) == 47
