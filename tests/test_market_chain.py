"""experiments/market_chain.py: the national market through the package's chain, holding what it
states it holds, through its command line, and its prediction read on hand-built tables."""

from __future__ import annotations

import argparse
import json

import pandas as pd
import pytest
from helpers import experiment, run_refit

from ecosim.commands.calibrate import add_space_arguments, space_of
from ecosim.constants import FREE, fitted


@pytest.fixture(scope="module")
def chain():
    return experiment("market_chain")


def test_the_chain_holds_the_listing_hazard_and_cleared_refits_constants(chain):
    space = chain.space()
    held = dict(space.held)
    assert held == {
        "hot_window_pull": 1.0,
        "listed_patience_years": 100.0,
        "ipo_rate_year": fitted().ipo_rate_year,
    }
    assert space.free == tuple(name for name in FREE if name != "ipo_rate_year")
    assert [f"{t.cluster}:{t.label}" for t in space.also_fit] == ["san_diego:firms_listed@2000-12"]
    # Its options, read as ecosim posterior reads them, give the same space back, to the last bit.
    parser = argparse.ArgumentParser()
    add_space_arguments(parser, "inference", "")
    assert space_of(parser.parse_args(chain.options(space))) == space


def test_the_chain_runs_through_its_command_line_holding_what_it_states(chain, tmp_path):
    out = run_refit("market_chain", tmp_path)
    manifest = json.loads((out / "manifest.json").read_text())
    held = dict(chain.space().held)
    free = chain.space().free
    # The posterior inferred the fourteen and held the rest; neither fit moved a held constant.
    inferred = json.loads((out / "posterior" / "manifest.json").read_text())
    assert inferred["free_constants"] == list(free)
    assert inferred["refit_of_another_model"]["held"] == held
    for fit in ("from_median", "from_nearest"):
        record = json.loads((out / fit / "fitted_constants.json").read_text())
        assert set(record["constants"]) == set(free) and record["held"] == held
    # Four candidates, each at the held values; the pick is one of them, compared as it is.
    candidates = manifest["candidates"]
    assert chain.FROM_NEAREST in candidates and len(candidates) == 4
    assert all(point.items() >= held.items() for point in candidates.values())
    assert manifest["points"][chain.CHALLENGER] == candidates[manifest["picked"]]
    assert set(pd.read_csv(out / "points.csv")["point"]) == {"default", chain.CHALLENGER, chain.BESIDE}
    readme = (out / "README.md").read_text()
    assert "## The chain's candidates" in readme and "`from_nearest/`" in readme


def table(chain, out_of_sample: int, ipo_ratio: float) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"point": "default", "out-of-sample_within_x1.5": 24, "ipo_count_ratio_median": 3.4},
            {"point": chain.CHALLENGER, "out-of-sample_within_x1.5": out_of_sample, "ipo_count_ratio_median": ipo_ratio},
        ]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("fade", "out_of_sample", "ipo_ratio", "holds"),
    [
        (1.0, 30, 1.5, True),  # every part at its edge
        (0.99, 30, 1.5, False),  # the posterior's fade slower
        (1.9, 29, 1.2, False),  # one out-of-sample figure short
        (1.9, 35, 1.51, False),  # the IPO counts too many
        (1.9, 35, 0.66, False),  # the IPO counts too few
    ],
)
def test_the_prediction_reads_the_posterior_s_fade_and_the_pick_s_figures(
    chain, fade, out_of_sample, ipo_ratio, holds
):
    said = chain.prediction(
        table(chain, out_of_sample, ipo_ratio), {"posterior_median": {"ipo_news_fade_year": fade}}
    )
    assert said.startswith("The prediction holds" if holds else "The prediction fails")
