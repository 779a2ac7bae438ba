"""experiments/hybritech_staff_scan.py: would a documented Hybritech staff mend its alumni miss?

The rule (module docstring) is checked on hand-built lineage ratios with exact readings, and the
probe's scripted count on the scenario it changes.
"""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import experiment


@pytest.fixture(scope="module")
def hss():
    return experiment("hybritech_staff_scan")


def ratios(default: tuple[float, float], top: tuple[float, float], middle=(0.3, 0.2)) -> pd.DataFrame:
    """Lineage ratios (2002, 2003-09) by point: the default, two middle points and the top."""
    rows = {"default": default, "500 staff": middle, "750 staff": middle, "1000 staff": top}
    return pd.DataFrame.from_dict(rows, orient="index", columns=["2002", "2003-09"])


@pytest.mark.parametrize(
    ("default", "top", "middle", "reading"),
    [
        ((0.3, 0.2), (0.7, 0.7), (0.3, 0.2), "the size"),  # the top brings both within x1.5
        ((0.3, 0.2), (0.3, 0.2), (0.7, 0.67), "the size"),  # a middle point does
        ((0.7, 0.2), (0.6, 0.2), (0.3, 0.2), "not the size"),  # one within, never both at once
        ((0.3, 0.2), (0.6, 0.3), (0.3, 0.2), "part of it"),  # both rise by x1.25 or more
        ((0.3, 0.2), (0.375, 0.25), (0.3, 0.2), "part of it"),  # exactly x1.25
        ((0.3, 0.2), (0.37, 0.2), (0.3, 0.2), "not the size"),  # neither by x1.25
        ((0.3, 0.2), (0.6, 0.2), (0.3, 0.2), "cannot tell"),  # one rises, the other not
        ((0.7, 0.7), (0.6, 0.6), (0.3, 0.2), "not the size"),  # only the default within: no probe
    ],
)
def test_the_reading_follows_the_rule_stated_before_the_run(hss, default, top, middle, reading):
    assert hss.reading(ratios(default, top, middle)) == reading


def test_a_probe_scripts_one_count_the_month_before_the_sale(hss):
    base = hss.history.scenario_of("san_diego")
    assert hss.staffed(base, None) is base
    probe = hss.staffed(base, 750)
    added = [e for e in probe.events if e not in base.events]
    assert [(e.kind, e.target, e.year, e.month, e.headcount) for e in added] == [
        ("headcount", "Hybritech", 1986, 2, 750)
    ]
    sale = next(e for e in base.events if e.kind == "acquisition" and e.target == "Hybritech")
    assert (sale.year, sale.month) == (1986, 3)
