"""Stylized facts of the cluster literature, measured on a run's firm and deal tables.

Each function takes the tables ``ecosim run`` writes and returns numbers. Not every number is
evidence: some are an input of the model measured back (the parent-child quality correlation is
the heredity constant; the distance to the parent is the settling radius times ln 2). FACTS says
of each whether it could have failed; only those marked emergent are claimed as results. The
literature is cited by short names (Klepper, Sorenson & Stuart 2001, ...) that docs/REFERENCES.md
resolves to full references.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ecosim.agents.firm import OPERATING, Fate, Origin
from ecosim.metrics import NOT_STARTUP_KINDS

SPINOUT_ORIGINS = (Origin.SPINOUT, Origin.RELEASE)
DE_NOVO_ORIGINS = (Origin.ACADEMIC, Origin.RELOCATION)
"""Startups without a parent in the region (Klepper's de novo entrants)."""
SUCCESS_FATES = (Fate.LISTED, Fate.GROWN, Fate.ACQUIRED)
GONE_FATES = (Fate.ACQUIRED, Fate.FAILED, Fate.CLOSED)
OBSERVATION_YEARS = 8.0
"""Firms founded this long before the end have had time to exit (IPO after < 6 y: Booth 2013)."""
SMALL_FIRM_STAFF = 50
"""Most life-science firms have fewer than 50 staff (MassBio, 2021)."""
LOCAL_KM = 16.1
"""Ten miles, the near band of Sorenson & Stuart (2001)."""
AGE_BANDS = (0, 3, 6, 10, 15, 25, 60)
"""Parent-age bands, years, for the spinout hazard by parent age."""

EMERGENT = "emergent"
"""The mechanisms could have produced the opposite: a result the model can fail."""
PARTLY_INPUT = "partly an input"
"""An input drives it in part; what else moves it is emergent."""
INPUT = "input measured back"
"""An input of the model read off its output: not evidence."""


@dataclass(frozen=True)
class Fact:
    """A measured fact: its label, whether it is evidence, and why."""

    label: str
    status: str
    why: str


FACTS: dict[str, Fact] = {
    "success_rate_spinout": Fact(
        "exit rate of spinouts (founded >= 8 y before the end)",
        PARTLY_INPUT,
        "children inherit quality from parents that spin out in proportion to quality, but release "
        "founders come from failed and acquired firms and exits depend on money and place",
    ),
    "success_rate_de_novo": Fact(
        "exit rate of de novo startups (academic, relocations)",
        PARTLY_INPUT,
        "the reference group of the line above",
    ),
    "spinout_to_de_novo": Fact(
        "ratio of the two exit rates (Klepper: above 1)",
        PARTLY_INPUT,
        "above 1 follows in part from heredity and the quality-weighted hazard",
    ),
    "corr_parent_quality_spinouts": Fact(
        "Spearman: parent quality vs its number of spinouts",
        PARTLY_INPUT,
        "the hazard is proportional to quality (input); lifetimes and sizes, which set the "
        "exposure, are emergent",
    ),
    "corr_parent_child_quality": Fact(
        "Spearman: parent quality vs child quality", INPUT, "the heredity constant (0.6) read back"
    ),
    "median_km_to_parent": Fact(
        "median km from a spinout to its parent",
        INPUT,
        "the settling radius (8 km) times ln 2, shortened where the sea cuts the draw",
    ),
    "median_km_random_pair": Fact(
        "median km between two random firms (reference)",
        EMERGENT,
        "where firms end up: institutions, parents, arrivals and the coast",
    ),
    "local_bias": Fact(
        "VC rounds within 10 miles of the lead / pairs within 10 miles",
        INPUT,
        "the distance kernel of the round market (25 km local bias, 208 km network) read back",
    ),
    "share_under_50_staff": Fact(
        "share of active companies under 50 staff",
        INPUT,
        "a late round pays for 60 staff: the cap on a private firm's team is an input",
    ),
    "share_in_top_5pct_lineages": Fact(
        "share of firms in the largest 5% of lineages",
        EMERGENT,
        "concentration comes from the cascade (who survives, grows and spins out), not from an input",
    ),
}
"""Every scalar fact of all_facts, declared once: label, status, why."""


def companies(firms: pd.DataFrame) -> pd.DataFrame:
    """Startups that entered during the run (no pharma sites, branches or device and service
    firms, no firms present at the start).
    """
    return firms[~firms["kind"].isin(NOT_STARTUP_KINDS) & (firms["origin"] != Origin.PREEXISTING)]


def spinout_advantage(firms: pd.DataFrame, end_year: float) -> dict[str, float]:
    """Exit rate (IPO, growth or acquisition) of spinouts vs de novo startups (Klepper)."""
    old = companies(firms)
    old = old[old["founded_year"] <= end_year - OBSERVATION_YEARS]
    rates = {}
    for label, origins in (("spinout", SPINOUT_ORIGINS), ("de_novo", DE_NOVO_ORIGINS)):
        group = old[old["origin"].isin(origins)]
        success = group["fate"].isin(SUCCESS_FATES)
        rates[f"success_rate_{label}"] = float(success.mean()) if len(group) else np.nan
        rates[f"n_{label}"] = float(len(group))
    rates["spinout_to_de_novo"] = rates["success_rate_spinout"] / rates["success_rate_de_novo"]
    return rates


def parent_effects(firms: pd.DataFrame, end_year: float) -> dict[str, float]:
    """Spearman correlations of parent quality with its spinouts: how many, and how good."""
    parents = companies(firms)
    parents = parents[parents["founded_year"] <= end_year - OBSERVATION_YEARS]
    more = stats.spearmanr(parents["quality"], parents["spinouts"]).statistic if len(parents) > 2 else np.nan
    children = firms[firms["parent_id"].notna()]
    by_id = firms.set_index("firm_id")["quality"]
    parent_q = by_id.reindex(children["parent_id"].astype(int)).to_numpy()
    better = stats.spearmanr(parent_q, children["quality"]).statistic if len(children) > 2 else np.nan
    return {"corr_parent_quality_spinouts": float(more), "corr_parent_child_quality": float(better)}


def distance_to_parent(firms: pd.DataFrame) -> dict[str, float]:
    """Median km from a spinout to its parent vs between two random firms."""
    children = firms[firms["parent_id"].notna()]
    xy = firms.set_index("firm_id")[["x", "y"]]
    parent_xy = xy.reindex(children["parent_id"].astype(int)).to_numpy()
    near = np.linalg.norm(children[["x", "y"]].to_numpy() - parent_xy, axis=1)
    points = firms[["x", "y"]].to_numpy()
    rng = np.random.default_rng(0)  # a fixed sample of pairs for the reference distance
    pairs = rng.integers(0, len(points), size=(min(20000, len(points) ** 2), 2))
    random_d = np.linalg.norm(points[pairs[:, 0]] - points[pairs[:, 1]], axis=1)
    return {
        "median_km_to_parent": float(np.median(near)) if len(near) else np.nan,
        "median_km_random_pair": float(np.median(random_d)) if len(random_d) else np.nan,
    }


def vc_local_bias(deals: pd.DataFrame, firms: pd.DataFrame) -> dict[str, float]:
    """Share of VC-led rounds within ten miles of the lead, over the share of funded-firm and
    lead-office pairs that close (a ratio above 1 is a local bias; Sorenson & Stuart 2001).
    """
    led = deals[deals["lead"].fillna("") != ""]
    vc_xy = led[["lead_x", "lead_y"]].drop_duplicates().to_numpy()
    if led.empty:
        return {"deal_share_within_10mi": np.nan, "pair_share_within_10mi": np.nan, "local_bias": np.nan}
    deal_share = float((led["distance_km"] <= LOCAL_KM).mean())
    funded = firms[firms["firm_id"].isin(led["firm_id"])][["x", "y"]].to_numpy()
    d = np.linalg.norm(funded[:, None, :] - vc_xy[None, :, :], axis=-1)
    pair_share = float((d <= LOCAL_KM).mean())
    return {
        "deal_share_within_10mi": deal_share,
        "pair_share_within_10mi": pair_share,
        "local_bias": deal_share / pair_share if pair_share > 0 else np.nan,
    }


def small_firms(firms: pd.DataFrame) -> dict[str, float]:
    """Share of active startups (and the companies they became) under 50 staff at the end."""
    active = firms[firms["fate"].isin(list(OPERATING)) & ~firms["kind"].isin(NOT_STARTUP_KINDS)]
    share = float((active["headcount"] < SMALL_FIRM_STAFF).mean()) if len(active) else np.nan
    return {"share_under_50_staff": share}


def lineage_concentration(firms: pd.DataFrame) -> dict[str, float]:
    """Share of firms in the largest 5% of lineages (at least one lineage)."""
    sizes = firms.groupby("lineage_root").size().sort_values(ascending=False)
    top = max(1, int(np.ceil(0.05 * len(sizes))))
    share = float(sizes.iloc[:top].sum() / sizes.sum())
    return {"lineages": float(len(sizes)), "share_in_top_5pct_lineages": share}


def spinout_hazard_by_parent_age(firms: pd.DataFrame, end_year: float) -> pd.DataFrame:
    """Spinouts per parent-year by the parent's age at the spinout's founding.

    Exposure counts every year each company (and pharma site) was active at each age.
    Whether the hazard peaks at middle age (Klepper's cars) or not is a finding to report.
    """
    ends = firms["fate_year"].fillna(end_year).where(firms["fate"].isin(GONE_FATES), end_year)
    start = firms["founded_year"].to_numpy()
    life = np.maximum(0.0, ends.to_numpy() - start)
    children = firms[firms["parent_id"].notna()]
    born = firms.set_index("firm_id")["founded_year"]
    ages = children["founded_year"].to_numpy() - born.reindex(children["parent_id"].astype(int)).to_numpy()
    rows = []
    for low, high in zip(AGE_BANDS[:-1], AGE_BANDS[1:], strict=True):
        exposure = float(np.clip(life - low, 0.0, high - low).sum())
        count = int(((ages >= low) & (ages < high)).sum())
        rows.append(
            {
                "parent_age": f"{low}-{high}",
                "spinouts": count,
                "parent_years": round(exposure, 2),
                "per_100_parent_years": round(100 * count / exposure, 4) if exposure > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)


def all_facts(firms: pd.DataFrame, deals: pd.DataFrame, end_year: float) -> dict[str, float]:
    """Every scalar fact of one run."""
    return {
        **spinout_advantage(firms, end_year),
        **parent_effects(firms, end_year),
        **distance_to_parent(firms),
        **vc_local_bias(deals, firms),
        **small_firms(firms),
        **lineage_concentration(firms),
    }
