"""Stylized-fact measures on hand-built firm and deal tables, with exact expectations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecosim import stylized


def firm(
    firm_id,
    origin,
    founded,
    fate="active",
    parent=None,
    quality=0.5,
    spinouts=0,
    x=0.0,
    y=0.0,
    headcount=10,
    kind="startup",
    fate_year=None,
    root=None,
):
    return {
        "firm_id": firm_id,
        "origin": origin,
        "founded_year": founded,
        "fate": fate,
        "parent_id": parent,
        "quality": quality,
        "spinouts": spinouts,
        "x": x,
        "y": y,
        "headcount": headcount,
        "kind": kind,
        "fate_year": fate_year,
        "lineage_root": root if root is not None else firm_id,
    }


@pytest.fixture
def firms():
    rows = [
        firm(1, "academic", 1990, "listed", quality=0.9, spinouts=2),
        firm(2, "academic", 1990, "failed", quality=0.2, fate_year=1995.0),
        firm(3, "spinout", 1995, "acquired", parent=1, quality=0.8, x=3.0, y=4.0, fate_year=2000.0, root=1),
        firm(4, "spinout", 2000, "active", parent=1, quality=0.7, x=0.0, y=1.0, headcount=80, root=1),
        firm(5, "relocation", 2019, "active", quality=0.5, x=30.0, y=40.0),
    ]
    table = pd.DataFrame(rows)
    table["parent_id"] = table["parent_id"].astype("Int64")
    return table


def test_spinout_advantage_counts_only_firms_old_enough(firms):
    facts = stylized.spinout_advantage(firms, end_year=2020.0)
    assert facts["n_spinout"] == 2 and facts["success_rate_spinout"] == 0.5
    assert facts["n_de_novo"] == 2 and facts["success_rate_de_novo"] == 0.5  # firm 5 too young
    assert facts["spinout_to_de_novo"] == 1.0


def test_parent_effects(firms):
    facts = stylized.parent_effects(firms, end_year=2020.0)
    assert facts["corr_parent_quality_spinouts"] == pytest.approx(
        pd.Series([0.9, 0.2, 0.8, 0.7]).corr(pd.Series([2, 0, 0, 0]), method="spearman")
    )


def test_distance_to_parent(firms):
    facts = stylized.distance_to_parent(firms)
    assert facts["median_km_to_parent"] == pytest.approx(3.0)  # distances 5 and 1


def test_small_firms_and_lineage_concentration(firms):
    assert stylized.small_firms(firms)["share_under_50_staff"] == pytest.approx(2 / 3)
    facts = stylized.lineage_concentration(firms)
    assert facts["lineages"] == 3 and facts["share_in_top_5pct_lineages"] == pytest.approx(3 / 5)


def test_vc_local_bias():
    firms = pd.DataFrame([firm(1, "academic", 1990, x=0.0, y=0.0), firm(2, "academic", 1990, x=100.0, y=0.0)])
    deals = pd.DataFrame(
        {
            "firm_id": [1, 2],
            "lead": ["A", "A"],
            "distance_km": [1.0, 99.0],
            "lead_x": [1.0, 1.0],
            "lead_y": [0.0, 0.0],
        }
    )
    facts = stylized.vc_local_bias(deals, firms)
    assert facts["deal_share_within_10mi"] == 0.5 and facts["pair_share_within_10mi"] == 0.5
    assert facts["local_bias"] == 1.0


def test_spinout_hazard_by_parent_age(firms):
    table = stylized.spinout_hazard_by_parent_age(firms, end_year=2020.0).set_index("parent_age")
    assert table.loc["3-6", "spinouts"] == 1 and table.loc["10-15", "spinouts"] == 1
    # Exposure 0-3: firms 1, 2, 3, 4 three years each; firm 5 one year.
    assert table.loc["0-3", "parent_years"] == pytest.approx(13.0)
    assert np.isfinite(table["per_100_parent_years"]).all()


def test_every_declared_fact_is_measured_and_says_whether_it_is_evidence(firms):
    deals = pd.DataFrame(
        {"lead": ["VC"], "distance_km": [5.0], "lead_x": [0.0], "lead_y": [0.0], "firm_id": [4]}
    )
    measured = stylized.all_facts(firms, deals, 2020.0)
    assert set(stylized.FACTS) <= set(measured)
    statuses = {fact.status for fact in stylized.FACTS.values()}
    assert statuses <= {stylized.EMERGENT, stylized.PARTLY_INPUT, stylized.INPUT}
    # The heredity correlation and the spinout distance are inputs read back, never claims.
    assert stylized.FACTS["corr_parent_child_quality"].status == stylized.INPUT
    assert stylized.FACTS["median_km_to_parent"].status == stylized.INPUT
