"""experiments/early_jobs.py: the early-2000s jobs split into the drug industry and the rest.

The rule (module docstring) is checked on hand-built ratios with exact labels, the pairing on the
targets file's own rows, and the script through its command line on a tiny budget (1 seed to 2003).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pandas as pd
import pytest
from helpers import ROOT, experiment

from ecosim.calibrate import Target

NAN = math.nan


@pytest.fixture(scope="module")
def early():
    return experiment("early_jobs")


@pytest.mark.parametrize(
    ("drug", "other", "firms", "label"),
    [
        (1.0, 0.5, 1.0, "definition"),  # drug part met, the rest short
        (1.0, 0.5, NAN, "definition"),  # no firm count needed for it
        (1.0, 0.5, 0.3, "definition"),  # the firms do not enter it
        (0.5, 1.0, 1.0, "firm sizes"),  # drug jobs short, drug firms met, the rest met
        (0.5, 2.0, 1.4, "firm sizes"),  # the rest over is not short
        (0.5, 0.5, 1.0, "both"),  # both parts short, the drug part by firm sizes
        (0.5, 0.5, 0.5, "neither"),  # both short but too few drug firms: not sizes
        (0.5, 0.5, NAN, "neither"),  # both short, firm sizes untold (no narrow firm count)
        (0.5, 0.5, 1.6, "neither"),  # drug firms over
        (0.5, 1.0, 0.5, "neither"),  # drug part short by firm numbers, the rest met
        (1.0, 1.0, 1.0, "neither"),  # nothing short
        (1.6, 0.5, 1.0, "neither"),  # the rest short but the drug part over
        (1.0, NAN, 1.0, "neither"),  # the rest not read (B <= N)
        (1 / 1.5, 0.6665, 1.0, "definition"),  # at the factor's edge: 1/1.5 is met, 0.6665 short
        (0.6665, 1 / 1.5, 1 / 1.5, "firm sizes"),
        (0.6665, 0.6665, 1.5, "both"),
    ],
)
def test_a_pair_is_read_by_the_rule_stated_before_running(early, drug, other, firms, label):
    assert early.verdict(drug, other, firms) == label


def test_the_overall_reading_counts_the_missed_pairs_only(early):
    def table(*rows):
        return pd.DataFrame([{"broad_missed": m, "verdict": v} for m, v in rows])

    assert early.overall(table((True, "definition"), (True, "firm sizes"), (True, "both"))) == "both"
    assert (
        early.overall(table((True, "definition"), (True, "definition"), (True, "firm sizes"))) == "definition"
    )
    assert early.overall(table((True, "firm sizes"), (True, "both"), (True, "neither"))) == "firm sizes"
    # one of two is not more than half
    assert early.overall(table((True, "definition"), (True, "firm sizes"))) == "neither"
    assert early.overall(table((True, "neither"), (True, "neither"))) == "neither"
    # a pair whose broad count is met does not count, whatever its label
    met_aside = table((True, "definition"), (False, "firm sizes"), (False, "firm sizes"))
    assert early.overall(met_aside) == "definition"
    assert early.overall(table((False, "both"))) == "no miss to explain"


def target(metric, value, date, kinds="", role="holdout"):
    return Target("x", metric, value, date, "hand-built", role=role, series="history", kinds=kinds)


def test_pairs_take_the_nearest_narrow_count_within_three_years(early):
    targets = [
        target("employment", 100.0, "2004"),  # broad; narrow counts 2 years before and after: the earlier
        target("employment", 40.0, "2002", kinds="biopharma", role="context"),
        target("employment", 45.0, "2006", kinds="biopharma", role="context"),
        target("employment_census", 80.0, "2005"),  # another area: its narrow count is 4.5 years off
        target("employment_census", 30.0, "2001-01", kinds="biopharma", role="context"),
        target("employment", 90.0, "2012"),  # after 2010: not read
        target("employment", 50.0, "2003", role="fit"),  # not a tested holdout: not read
        target("firms_active", 4.0, "2004"),  # the broad firm count of B's date
        target("firms_active", 2.0, "2002-06", kinds="biopharma", role="context"),
        target("firms_active", 3.0, "1998", kinds="biopharma", role="context"),
    ]
    pairs, unpaired = early.pairs_of(targets)
    assert [(p.broad.date, p.narrow.date) for p in pairs] == [("2004", "2002")]
    assert pairs[0].broad_firms.value == 4.0 and pairs[0].narrow_firms.date == "2002-06"
    assert [(t.metric, t.date) for t in unpaired] == [("employment_census", "2005")]


def test_the_targets_file_gives_the_pairs_the_docstring_names(early):
    found, left = {}, []
    for cluster in early.history.CLUSTERS:
        pairs, unpaired = early.pairs_of(early.history.targets_of(cluster, 2020))
        for p in pairs:
            found[(cluster, p.broad.date)] = (
                p.narrow.date,
                p.broad_firms.value if p.broad_firms else None,
                p.narrow_firms.date if p.narrow_firms else None,
            )
        left += [(t.cluster, t.date) for t in unpaired]
    assert found == {
        ("boston", "2002"): ("2002", 485.0, "2002-08"),
        ("boston", "2006"): ("2004", None, "2002-08"),
        ("bay_area", "2002"): ("1999-08", 819.0, None),
        ("san_diego", "2002"): ("2002", 499.0, "2003-09"),
    }
    assert left == [("boston", "2008"), ("bay_area", "2007"), ("san_diego", "2008-08"), ("san_diego", "2009")]


def test_early_jobs_runs_through_its_command_line(tmp_path):
    out = tmp_path / "early"
    command = [sys.executable, str(ROOT / "experiments" / "early_jobs.py"), "--seeds", "1"]
    command += ["--until", "2003", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    pairs = pd.read_csv(out / "pairs.csv", dtype={"broad_date": str})
    # the three 2002 pairs (Boston's 2006 lies beyond 2003)
    assert sorted(zip(pairs["cluster"], pairs["broad_date"], strict=True)) == [
        ("bay_area", "2002"),
        ("boston", "2002"),
        ("san_diego", "2002"),
    ]
    # the drug industry is part of every kind's jobs; the rest is their difference
    assert (pairs["model_drug_jobs"] <= pairs["model_all_jobs"]).all()
    assert (
        pairs["model_other_jobs"] - (pairs["model_all_jobs"] - pairs["model_drug_jobs"])
    ).abs().max() < 0.2
    assert set(pairs["verdict"]) <= set(("definition", "firm sizes", "both", "neither"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["pairs"] == 3
    readme = (out / "README.md").read_text()
    assert "## Reading" in readme and f"Produced by `{manifest['command']}`" in readme
    assert "Unpaired" not in readme  # no unpaired broad count dated up to 2003
