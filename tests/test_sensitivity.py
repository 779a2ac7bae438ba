"""Global sensitivity analysis: the samplers, the analyses with the model's noise, and the command."""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from matplotlib.colors import to_hex
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from test_sweep_support import write_spec

from ecosim import plots, sensitivity, sweep
from ecosim.constants import FREE, Constants
from ecosim.scenario import ScenarioError

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "experiments" / "sensitivity.yaml"
SAN_DIEGO = ROOT / "experiments" / "sensitivity_san_diego.yaml"
ECOSIM = [sys.executable, "-c", "import sys; from ecosim.cli import main; sys.exit(main(sys.argv[1:]))"]


def _spec(**fields) -> sensitivity.SensitivitySpec:
    data = {
        "name": "toy",
        "base": "tiny.yaml",
        "replications": 2,
        "root_seed": 1,
        "parameters": {
            "factors.hub_leadership": {"low": 0.0, "high": 1.0, "group": "factor"},
            "factors.information": {"low": 0.0, "high": 1.0, "group": "factor"},
            "constants.spinout_rate": {"low": 0.001, "high": 0.004, "log": True, "group": "constant"},
        },
        "outputs": ["startups_founded"],
        "morris": {"trajectories": 20, "levels": 4, "seed": 3},
        "sobol": {"samples": 1024, "top": 2, "seed": 4},
        **fields,
    }
    return sensitivity.SensitivitySpec.model_validate(data)


# --- samplers ------------------------------------------------------------------------------------


def test_ranges_map_the_unit_cube_linearly_or_in_the_log():
    linear = sweep.Range(low=2.0, high=6.0)
    logged = sweep.Range(low=1.0, high=100.0, log=True)
    years = sweep.Range(low=2022, high=2027, integer=True)
    unit = np.array([0.0, 0.5, 1.0])
    assert linear.scale(unit).tolist() == [2.0, 4.0, 6.0]
    assert logged.scale(unit) == pytest.approx([1.0, 10.0, 100.0])
    assert years.scale(np.array([0.0, 0.3, 1.0])).tolist() == [2022, 2024, 2027]
    assert isinstance(years.value(2024.0), int)
    with pytest.raises(ValueError, match="low: must be > 0 on a log scale"):
        sweep.Range(low=0.0, high=1.0, log=True)


def test_morris_design_is_one_at_a_time_paths():
    spec = _spec()
    names, unit = sensitivity.morris_design(spec)
    assert names == list(spec.parameters)
    assert unit.shape == (20 * 4, 3)  # trajectories x (D + 1)
    steps = np.abs(np.diff(unit.reshape(20, 4, 3), axis=1))
    # each step of a trajectory moves exactly one parameter, by the Morris step 4 / (2 x 3)
    assert ((steps > 0).sum(axis=2) == 1).all()
    assert np.allclose(steps[steps > 0], 2 / 3)
    again = sensitivity.morris_design(spec)[1]
    assert np.array_equal(unit, again)


def test_points_design_runs_each_row_as_an_arm(tmp_path):
    design = {
        "type": "points",
        "parameters": ["factors.hub_leadership", "constants.spinout_rate"],
        "points": [[0.1, 0.002], [0.9, 0.003]],
    }
    plan = sweep.plan(write_spec(tmp_path, design=design, baseline="point00000"), allow_runner=True)
    assert [arm.name for arm in plan.arms] == ["point00000", "point00001"]
    first = [task for task in plan.tasks if task.arm.name == "point00001"][0]
    assert first.scenario.factors.hub_leadership == 0.9
    assert dict(first.run.constants) == {"spinout_rate": 0.003}


def test_a_ragged_points_design_is_refused_naming_the_row(tmp_path):
    design = {"type": "points", "parameters": ["factors.hub_leadership"], "points": [[0.1], [0.2, 0.3]]}
    with pytest.raises(ScenarioError) as error:
        sweep.plan(write_spec(tmp_path, design=design), allow_runner=True)
    assert "points[1]" in str(error.value) and "spec.yaml" in str(error.value)


# --- analyses: exact on hand-made outputs --------------------------------------------------------


def test_morris_recovers_slopes_and_a_noiseless_floor():
    spec = _spec()
    names, unit = sensitivity.morris_design(spec)
    y = 3.0 * unit[:, 0] - 1.5 * unit[:, 2]  # information (column 1) does nothing
    both = np.stack([y, y])[:, :, None]  # two identical replications: no noise
    table = sensitivity.analyze_morris(names, unit, both, ["out"], 4, 100, 0).set_index("parameter")
    assert table.loc["factors.hub_leadership", "mu_star"] == pytest.approx(3.0)
    assert table.loc["factors.hub_leadership", "mu"] == pytest.approx(3.0)
    assert table.loc["constants.spinout_rate", "mu"] == pytest.approx(-1.5)
    assert table.loc["factors.information", "mu_star"] == pytest.approx(0.0)
    assert table["mu_star_noise"].tolist() == pytest.approx([0.0, 0.0, 0.0])
    assert table["distinguishable"].tolist() == [True, False, True]
    assert table["rank"].tolist() == [1, 3, 2]


def test_a_place_is_claimed_only_where_the_intervals_part():
    """a is clear of all; b and c overlap (places 2-3); d overlaps c only, so b is clear of it."""
    table = pd.DataFrame(
        {
            "output": ["out"] * 4 + ["other"],
            "parameter": ["a", "b", "c", "d", "a"],
            "mu_star": [10.0, 6.0, 5.0, 3.5, 1.0],
            "mu_star_conf": [1.0, 0.8, 0.8, 0.8, 0.1],
        }
    )
    placed = sensitivity.with_places(table, "mu_star", "mu_star_conf")
    assert [sensitivity.places(row) for _, row in placed.iterrows()] == ["1", "2-3", "2-4", "3-4", "1"]


def test_the_noise_floor_is_the_mu_star_of_noise_alone():
    spec = _spec()
    names, unit = sensitivity.morris_design(spec)
    rng = np.random.default_rng(7)
    noise = rng.normal(0.0, 1.0, size=(4, unit.shape[0], 1))
    y = noise + (5.0 * unit[:, 0])[None, :, None]
    table = sensitivity.analyze_morris(names, unit, y, ["out"], 4, 100, 0).set_index("parameter")
    # EE of the mean of 4 replications: noise sd sqrt(2 / 4) / (2/3); E|N(0, s)| = s sqrt(2/pi)
    expected = math.sqrt(2 / 4) / (2 / 3) * math.sqrt(2 / math.pi)
    assert table["mu_star_noise"].mean() == pytest.approx(expected, rel=0.3)
    assert table.loc["factors.hub_leadership", "distinguishable"]
    assert not table.loc["factors.information", "distinguishable"]


def test_noise_contrast_cancels_effects_and_keeps_the_noise_of_a_mean():
    for r in (2, 3, 5):
        ones = np.ones((r, 4))
        assert np.allclose(sensitivity.noise_contrast(ones * 7.0), 0.0)  # any common effect cancels
        basis = np.eye(r)
        weights = sensitivity.noise_contrast(basis)
        assert (weights**2).sum() == pytest.approx(1 / r)


def test_sobol_shares_out_an_additive_model():
    spec = _spec()
    names = ["factors.hub_leadership", "factors.information"]
    unit = sensitivity.sobol_design(spec, names)
    assert unit.shape == (1024 * 4, 2)  # N x (k + 2)
    y = unit[:, 0] + 2.0 * unit[:, 1]  # variances 1/12 and 4/12: shares 0.2 and 0.8
    table, outputs = sensitivity.analyze_sobol(names, np.stack([y, y])[:, :, None], ["out"], 200, 0)
    table = table.set_index("parameter")
    assert table.loc["factors.hub_leadership", "S1"] == pytest.approx(0.2, abs=0.03)
    assert table.loc["factors.information", "S1"] == pytest.approx(0.8, abs=0.03)
    assert table.loc["factors.information", "ST"] == pytest.approx(0.8, abs=0.03)
    assert outputs["noise_share"].iloc[0] == 0.0
    assert table.loc["factors.information", "rank"] == 1


def test_sobol_reports_the_share_of_variance_that_is_noise():
    spec = _spec()
    names = ["factors.hub_leadership", "factors.information"]
    unit = sensitivity.sobol_design(spec, names)
    rng = np.random.default_rng(1)
    signal = unit[:, 0] * math.sqrt(12)  # variance 1
    y = signal[None, :] + rng.normal(0.0, math.sqrt(2.0), size=(2, len(signal)))  # mean's noise var 1
    _, outputs = sensitivity.analyze_sobol(names, y[:, :, None], ["out"], 100, 0)
    assert outputs["noise_share"].iloc[0] == pytest.approx(0.5, abs=0.05)


def test_the_noise_share_ignores_what_a_seed_shifts_at_every_point():
    spec = _spec()
    names = ["factors.hub_leadership", "factors.information"]
    unit = sensitivity.sobol_design(spec, names)
    rng = np.random.default_rng(5)
    signal = unit[:, 0] * math.sqrt(12)  # variance 1 over the points
    shift = np.array([0.0, 10.0])[:, None]  # a replication's seed moves every point alike
    y = signal[None, :] + shift + rng.normal(0.0, 1.0, size=(2, len(signal)))
    _, outputs = sensitivity.analyze_sobol(names, y[:, :, None], ["out"], 100, 0)
    # the mean's noise variance 1/2 of its variance 1 + 1/2; the shift adds nothing across points
    assert outputs["noise_share"].iloc[0] == pytest.approx(1 / 3, abs=0.05)


def test_one_replication_and_a_constant_output_are_reported_not_guessed():
    spec = _spec()
    names, unit = sensitivity.morris_design(spec)
    one = (2.0 * unit[:, 0])[None, :, None]
    table = sensitivity.analyze_morris(names, unit, one, ["out"], 4, 100, 0)
    assert table["mu_star_noise"].isna().all() and table["distinguishable"].isna().all()
    flat = np.ones((2, 4 * 1024, 1))
    indices, outputs = sensitivity.analyze_sobol(names[:2], flat, ["out"], 100, 0)
    assert indices[["S1", "ST"]].isna().all().all() and np.isnan(outputs["noise_share"].iloc[0])


def test_an_integer_range_the_levels_do_not_divide_is_refused():
    with pytest.raises(ValueError, match="multiple of 3"):
        _spec(
            parameters={**_spec().parameters, "levers.a.year": {"low": 2022, "high": 2027, "integer": True}}
        )


def test_a_design_past_the_limits_is_refused_before_sampling():
    with pytest.raises(ValueError, match="sobol.samples: 8,192 points, more than 5,000"):
        _spec(sobol={"samples": 2048, "top": 2})


def test_stages_pair_seeds_within_a_trajectory_not_across(tmp_path):
    spec = _spec(base=str(write_spec(tmp_path).parent / "tiny.yaml"))
    names, unit = sensitivity.morris_design(spec)
    plan = sensitivity.stage_plan(spec, tmp_path / "s.yaml", "morris", names, unit, len(names) + 1)
    keys = [task.run.seed.spawn_key for task in plan.tasks if task.replication == 0]
    assert keys[0] == keys[3] == (0, 0) and keys[4] == (0, 1)  # trajectory 0: points 0-3


def test_screening_keeps_the_top_parameters_across_outputs():
    spec = _spec()
    names = list(spec.parameters)
    table = pd.DataFrame(
        {
            "output": ["a"] * 3 + ["b"] * 3,
            "parameter": names * 2,
            "mu_star": [10.0, 1.0, 0.0, 0.0, 0.5, 100.0],
            "mu_star_noise": [0.0] * 6,
        }
    )
    # a: hub 1.0, information 0.1; b: information 0.005, spinout 1.0 -> hub and spinout
    assert sensitivity.screened(table, names, spec) == ["factors.hub_leadership", "constants.spinout_rate"]
    named = _spec(sobol={"samples": 8, "parameters": ["factors.information"]})
    assert sensitivity.screened(table, names, named) == ["factors.information"]
    # what noise alone gives counts for nothing: spinout's 100 is noise, information's 0.5 is not
    noisy = table.assign(mu_star_noise=[0.0, 0.0, 0.0, 0.0, 0.0, 150.0])
    assert sensitivity.screened(noisy, names, spec) == ["factors.hub_leadership", "factors.information"]


def test_a_ranking_the_intervals_do_not_support_is_not_claimed():
    table = pd.DataFrame(
        {
            "output": ["a", "a", "b", "b"],
            "parameter": ["x", "y", "x", "y"],
            "ST": [0.6, 0.3, 0.5, 0.4],
            "ST_conf": [0.1, 0.1, 0.1, 0.1],
        }
    )
    found = sensitivity.separable(table, "ST", "ST_conf").set_index("output")
    assert found.loc["a", "first_clear_of_second"]
    assert not found.loc["b", "first_clear_of_second"]


def test_spec_errors_name_the_field(tmp_path):
    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    data["sobol"]["samples"] = 48
    data["base"] = str(SPEC.parent / data["base"])
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        sensitivity.read_spec(path)
    assert error.value.field == "sobol.samples" and "power of two" in str(error.value)


@pytest.mark.parametrize("path", [SPEC, SAN_DIEGO], ids=["greater_tokyo", "san_diego"])
def test_the_fitted_constants_span_their_posteriors_90pct_intervals(path):
    """The specs' ranges of the fitted constants are the posterior's (results/posterior), not
    boxes around the point fit: a new posterior must be carried into the specs."""
    marginals = pd.read_csv(ROOT / "results" / "posterior" / "marginals.csv").set_index("constant")
    spec = sensitivity.read_spec(path)
    fitted = {n.removeprefix("constants."): p for n, p in spec.parameters.items() if p.group == "constant"}
    assert set(fitted) == set(marginals.index)
    for name, p in fitted.items():
        row = marginals.loc[name]
        assert p.log and (p.low, p.high) == pytest.approx((row.posterior_p05, row.posterior_p95), rel=1e-3)


def test_carry_posterior_writes_a_new_posteriors_intervals_into_the_specs(tmp_path):
    """experiments/carry_posterior.py, run as regenerate.sh runs it: the committed specs are what it
    writes from the committed posterior, and a posterior with another free constant is carried
    in whole (every other line kept)."""
    script = ROOT / "experiments" / "carry_posterior.py"
    marginals = pd.read_csv(ROOT / "results" / "posterior" / "marginals.csv")
    copies = []
    for path in (SPEC, SAN_DIEGO):
        copies.append(tmp_path / path.name)
        copies[-1].write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    marginals.to_csv(tmp_path / "same.csv", index=False)
    run = [sys.executable, str(script), *map(str, copies)]
    subprocess.run([*run, "--marginals", str(tmp_path / "same.csv")], check=True, capture_output=True)
    for path, copy in zip((SPEC, SAN_DIEGO), copies, strict=True):
        assert copy.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
    spec_names = set(sensitivity.read_spec(SPEC).parameters) | set(
        sensitivity.read_spec(SAN_DIEGO).parameters
    )
    freed = next(  # a constant that is not fitted yet and that no spec varies
        f.name
        for f in dataclasses.fields(Constants)
        if f.name not in FREE and f"constants.{f.name}" not in spec_names
    )
    extra = marginals.iloc[[0]].assign(constant=freed, posterior_p05=0.02, posterior_p95=0.5)
    pd.concat([marginals.iloc[1:], extra]).to_csv(tmp_path / "new.csv", index=False)
    subprocess.run([*run, "--marginals", str(tmp_path / "new.csv")], check=True, capture_output=True)
    for path, copy in zip((SPEC, SAN_DIEGO), copies, strict=True):
        before, after = sensitivity.read_spec(path), sensitivity.read_spec(copy)
        fitted = {n for n, p in after.parameters.items() if p.group == "constant"}
        assert fitted == {f"constants.{c}" for c in (*marginals["constant"].iloc[1:], freed)}
        new = after.parameters[f"constants.{freed}"]
        assert (new.low, new.high, new.log) == (0.02, 0.5, True)
        kept = {n: p for n, p in before.parameters.items() if p.group != "constant"}
        assert kept == {n: p for n, p in after.parameters.items() if p.group != "constant"}
    # A block it cannot read whole (a line of it moved away) is refused in words, the file untouched.
    lines = copies[0].read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if "group: constant" in line)
    split = "".join([*lines[: first + 1], "  # a comment inside the block\n", *lines[first + 1 :]])
    copies[0].write_text(split, encoding="utf-8")
    done = subprocess.run(
        [*run[:2], str(copies[0]), "--marginals", str(tmp_path / "new.csv")], capture_output=True, text=True
    )
    assert done.returncode == 2 and "must be one block" in done.stderr and "Traceback" not in done.stderr
    assert copies[0].read_text(encoding="utf-8") == split


def test_san_diegos_factors_move_as_shifts_of_their_timelines_over_greater_tokyos_span():
    tokyo, san_diego = sensitivity.read_spec(SPEC), sensitivity.read_spec(SAN_DIEGO)
    spans = {n: p.high - p.low for n, p in tokyo.parameters.items() if p.group == "factor"}
    shifts = {n: p for n, p in san_diego.parameters.items() if p.group == "factor"}
    assert {n.removeprefix("factors.shift.") for n in shifts} == {n.removeprefix("factors.") for n in spans}
    assert all(p.high - p.low == pytest.approx(0.5) and p.low == -p.high for p in shifts.values())
    assert all(span == pytest.approx(0.5) for span in spans.values())


# --- the command, as a user runs it --------------------------------------------------------------


def test_quick_sensitivity_through_the_cli_writes_results_and_resumes(tmp_path):
    out, runs = tmp_path / "out", tmp_path / "runs"
    command = [*ECOSIM, "sensitivity", str(SPEC), "--quick", "--workers", "2", "--quiet"]
    command += ["--out", str(out), "--runs", str(runs)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    spec = sensitivity.read_spec(SPEC, quick=True)
    morris = pd.read_csv(out / "morris.csv")
    assert len(morris) == len(spec.parameters) * len(spec.outputs)
    assert morris["mu_star_noise"].notna().all()  # two replications measure the noise
    sobol = pd.read_csv(out / "sobol.csv")
    assert len(sobol) == spec.quick.top * len(spec.outputs)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["stages"]["morris"]["runs"] == 2 * spec.quick.trajectories * (len(spec.parameters) + 1)
    assert manifest["scenario_digest"] and manifest["git_commit"]
    for name in ("README.md", "morris.png", "sobol.png", "parameters.csv"):
        assert (out / name).stat().st_size > 0
    made = {p: p.stat().st_mtime_ns for p in runs.rglob("*.parquet")}
    again = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert again.returncode == 0, again.stderr
    assert {p: p.stat().st_mtime_ns for p in runs.rglob("*.parquet")} == made  # nothing redone
    assert pd.read_csv(out / "morris.csv").equals(morris)
    resumed = json.loads((out / "manifest.json").read_text())["stages"]["morris"]
    assert manifest["stages"]["morris"]["run_seconds"] > 0  # the runs' time, not only this command's
    assert resumed["run_seconds"] == manifest["stages"]["morris"]["run_seconds"]  # read back, not rerun


def test_screen_only_stops_after_morris(tmp_path):
    out, runs = tmp_path / "out", tmp_path / "runs"
    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))  # the spec cut to three parameters
    data["base"] = str(SPEC.parent / data["base"])
    data["parameters"] = dict(list(data["parameters"].items())[:3])
    data["quick"]["until"] = 2022
    spec = tmp_path / "three.yaml"
    spec.write_text(yaml.safe_dump(data), encoding="utf-8")
    command = [*ECOSIM, "sensitivity", str(spec), "--quick", "--screen-only", "--workers", "1", "--quiet"]
    done = subprocess.run(
        [*command, "--out", str(out), "--runs", str(runs)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert (
        (out / "morris.csv").exists() and not (out / "sobol.csv").exists() and not (runs / "sobol").exists()
    )
    assert "Not run: the screening alone was asked for" in (out / "README.md").read_text()


def test_a_bad_parameter_path_is_one_line_and_exit_2(tmp_path):
    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    data["base"] = str(SPEC.parent / data["base"])
    data["parameters"]["factors.hub_leadershp"] = {"low": 0.1, "high": 0.2}
    path = tmp_path / "typo.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    done = subprocess.run(
        [
            *ECOSIM,
            "sensitivity",
            str(path),
            "--quick",
            "--out",
            str(tmp_path / "o"),
            "--runs",
            str(tmp_path / "r"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "typo.yaml" in lines[0] and "hub_leadershp" in lines[0]
    assert not (tmp_path / "o").exists() and not (tmp_path / "r").exists()


def _morris_rows(values: dict[str, tuple[float, float, bool]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "output": "startups_active_end",
                "parameter": n,
                "mu_star": m,
                "mu_star_conf": c,
                "distinguishable": d,
            }
            for n, (m, c, d) in values.items()
        ]
    )


def test_the_reading_names_the_leading_element_and_what_the_intervals_support():
    spec = _spec(outputs=["startups_active_end"])
    morris = _morris_rows(
        {
            "constants.spinout_rate": (500.0, 10.0, True),
            "factors.information": (300.0, 20.0, True),
            "factors.hub_leadership": (100.0, 20.0, False),
        }
    )
    en = "\n".join(sensitivity.reading(morris, spec, "en"))
    assert "of the five elements, Information moves it most (mu* 300); its effect is told apart" in en
    assert "Its lead over Hub leadership is established." in en
    assert "`constants.spinout_rate` moves it most, clear of the second" in en
    ja = "\n".join(sensitivity.reading(morris, spec, "ja"))
    assert (
        "要点（政策担当者向け）" in ja
        and "国内外への情報発信" in ja
        and "次点の中核機関のリーダーシップとの差は明確" in ja
    )
    close = _morris_rows(
        {"factors.information": (300.0, 150.0, False), "factors.hub_leadership": (200.0, 20.0, True)}
    )
    en = "\n".join(sensitivity.reading(close, spec, "en"))
    assert "but not told apart from the seeds' noise" in en and "is not established with this budget" in en
    assert "clear of the second" not in en


# --- figures -------------------------------------------------------------------------------------


def _figure_spec(groups: dict[str, str], outputs: tuple[str, ...] = ("startups_active_end",)):
    parameters = {name: {"low": 0.1, "high": 0.5, "group": group} for name, group in groups.items()}
    return _spec(parameters=parameters, outputs=list(outputs), sobol=None)


def _screening(spec, points: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """A Morris table of ``spec``'s one output with these (mu*, sigma), ranked by mu*."""
    table = pd.DataFrame(
        [
            {
                "output": spec.outputs[0],
                "parameter": name,
                "mu_star": mu_star,
                "mu_star_conf": 0.1 * mu_star,
                "sigma": sigma,
                "mu_star_noise": 1.0,
            }
            for name, (mu_star, sigma) in points.items()
        ]
    )
    return table.assign(rank=table["mu_star"].rank(ascending=False, method="min").astype(int))


def test_a_group_of_parameters_has_one_colour_in_every_morris_figure():
    """Two specs with their groups in another order and another mix (Greater Tokyo's and San
    Diego's) draw each group in its own colour of the palette."""
    first = _figure_spec({"constants.spinout_rate": "constant", "constants.grant_musd": "price"})
    second = _figure_spec(
        {
            "factors.information": "factor",
            "levers.exhibits.year": "lever",
            "constants.spinout_rate": "constant",
        }
    )
    for spec in (first, second):
        points = {name: (10.0 * (i + 1), 5.0 * (i + 1)) for i, name in enumerate(spec.parameters)}
        ax = sensitivity.morris_figure(_screening(spec, points), spec).axes[0]
        drawn = {c.get_label(): to_hex(c.lines[0].get_color()) for c in ax.containers}
        groups = {p.group for p in spec.parameters.values()}
        assert drawn == {group: plots.PARAMETER_GROUP_COLOURS[group] for group in groups}


def test_an_unknown_group_is_refused_naming_the_groups():
    with pytest.raises(ValueError, match="factor, lever, price, constant"):
        _figure_spec({"factors.information": "factor", "constants.spinout_rate": "elements"})


def test_morris_names_stay_apart_inside_their_panel_and_each_once():
    """Crowded points (Greater Tokyo's active startups) are named without one name over another,
    inside the panel, and two parameters that end alike (a factor and the lever that raises it)
    by names that tell them apart."""
    spec = _figure_spec(
        {
            "factors.cross_disciplinary_fusion": "factor",
            "levers.biofoundry.raises.cross_disciplinary_fusion": "lever",
            "factors.information": "factor",
            "constants.spinout_rate": "constant",
            "constants.listed_team_multiple": "constant",
            "constants.discovery_rate": "constant",
            "constants.arrival_rate": "constant",
        }
    )
    points = {
        "factors.cross_disciplinary_fusion": (123.0, 84.0),
        "levers.biofoundry.raises.cross_disciplinary_fusion": (120.0, 83.5),
        "factors.information": (80.0, 38.0),
        "constants.spinout_rate": (83.0, 86.0),
        "constants.listed_team_multiple": (82.0, 80.5),
        "constants.discovery_rate": (81.0, 92.0),
        "constants.arrival_rate": (155.0, 181.0),
    }
    fig = sensitivity.morris_figure(_screening(spec, points), spec)
    assert fig.dpi == plots.PNG_DPI  # measured as written
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    names = [t.get_text() for t in ax.texts]
    assert len(names) == len(set(names)) >= 5
    assert {"cross disciplinary fusion", "biofoundry raises cross disciplinary fusion"} <= set(names)
    frame = ax.get_window_extent(renderer)
    boxes = [Text.get_window_extent(t, renderer) for t in ax.texts]  # the words, not the leaders
    for i, box in enumerate(boxes):
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        assert not box.overlaps(ax.get_legend().get_window_extent(renderer)), names[i]
        for j in range(i):
            assert not box.overlaps(boxes[j]), (names[i], names[j])


SOBOL_PARAMETERS = {
    "factors.cross_disciplinary_fusion": "factor",
    "factors.information": "factor",
    "levers.secretariat.raises.hub_leadership": "lever",
    "levers.biofoundry.raises.cross_disciplinary_fusion": "lever",
    "levers.exhibits.raises.information": "lever",
    "levers.exhibits.year": "lever",
    "constants.arrival_rate": "constant",
    "constants.discovery_rate": "constant",
    "constants.listed_team_multiple": "constant",
    "constants.spinout_rate": "constant",
}
"""Greater Tokyo's decomposed parameters (results/sensitivity/sobol.csv), the longest name among them."""


def test_sobol_names_fit_the_figure_and_the_key_clears_the_bars():
    """The longest name (a lever's) stays inside the figure, names are readable words, the key
    lies over no bar nor error bar (San Diego's lay over spinout_rate's, the last and longest),
    and the title says what is shown, not the results folder."""
    spec = _figure_spec(SOBOL_PARAMETERS, outputs=("startups_founded", "startups_active_end"))
    last = list(SOBOL_PARAMETERS)[-1]
    table = pd.DataFrame(
        [
            {"output": output, "parameter": name, "S1": s, "S1_conf": 0.2, "ST": 1.5 * s, "ST_conf": 0.4}
            for output in spec.outputs
            for name in spec.parameters
            for s in [0.6 if name == last else 0.1]
        ]
    )
    fig = sensitivity.sobol_figure(table, spec)
    # Measured at the resolution the PNG is written at: text widths do not scale exactly with the
    # dpi, and a layout made at another one let the longest name run to the written figure's edge.
    fig.set_dpi(plots.PNG_DPI)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    names = [t for ax in fig.axes for t in ax.get_yticklabels() if t.get_visible() and t.get_text()]
    assert [t.get_text() for t in names] == [
        "cross disciplinary fusion (factor)",
        "information (factor)",
        "secretariat raises hub leadership (lever)",
        "biofoundry raises cross disciplinary fusion (lever)",
        "exhibits raises information (lever)",
        "exhibits year (lever)",
        "arrival rate (constant)",
        "discovery rate (constant)",
        "listed team multiple (constant)",
        "spinout rate (constant)",
    ]  # once, in the spec's order: the panels share their names
    margin = 2 / 72 * fig.dpi  # 2 pt clear of the edge: a name at the edge reads as cut off
    for name in names:
        box = name.get_window_extent(renderer)
        assert fig.bbox.x0 + margin <= box.x0 and box.x1 <= fig.bbox.x1 - margin, name.get_text()
        assert name.get_fontsize() >= 8
    keys = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend() is not None)]
    bars = [bar.get_window_extent(renderer) for ax in fig.axes for bar in ax.patches]
    # An error bar is a segment of a LineCollection (whose own extent matplotlib leaves empty).
    bars += [
        Bbox(ax.transData.transform(segment))
        for ax in fig.axes
        for lines in ax.collections
        for segment in lines.get_segments()
    ]
    assert keys and len(bars) == 4 * len(table)
    for key in keys:
        box = key.get_window_extent(renderer)
        assert fig.bbox.contains(box.x0, box.y0) and fig.bbox.contains(box.x1, box.y1)
        assert not any(box.overlaps(bar) for bar in bars), "the key covers a bar"
    title = fig.get_suptitle()
    assert "share of the output's variance" in title and spec.name not in title
