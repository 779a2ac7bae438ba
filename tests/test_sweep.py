"""The sweep: spec validation, arms, seeds and CRN, failure isolation, executors, resume."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from test_sweep_support import EFFECT_A, EFFECT_B, INTERACTION_AB, run_files, write_spec

from ecosim import engine, metric_registry, sweep
from ecosim.cli import main
from ecosim.scenario import ScenarioError
from ecosim.store import RunStore, read_run

TESTS = Path(__file__).parent
YEARS = 3  # the tiny spec runs 2021-2023
ECOSIM = [
    sys.executable,
    "-c",
    "import sys; from ecosim.cli import main; sys.exit(main(sys.argv[1:]))",
]


def _plan(tmp_path: Path, **fields) -> sweep.SweepPlan:
    return sweep.plan(write_spec(tmp_path, **fields), allow_runner=True)


def _run(plan: sweep.SweepPlan, out: Path, executor=None) -> sweep.SweepOutcome:
    return sweep.run_sweep(plan, RunStore(out), executor or engine.SerialExecutor(), command=["t"])


def test_factorial_design_gives_every_combination(tmp_path):
    plan = _plan(tmp_path)
    assert [arm.name for arm in plan.arms] == ["baseline", "b", "a", "a+b"]
    assert plan.baseline == "baseline"
    assert plan.factors == {"a": (False, True), "b": (False, True)}
    assert len(plan.tasks) == 4 * 2
    assert len({task.run_id for task in plan.tasks}) == len(plan.tasks)
    assert [task.replication for task in plan.tasks] == [0] * 4 + [1] * 4  # replication-major
    both = plan.tasks[-1].scenario
    assert both.levers["a"].enabled and both.levers["b"].enabled
    assert not plan.tasks[0].scenario.levers["a"].enabled


def test_factorial_over_parameter_values(tmp_path):
    design = {
        "type": "factorial",
        "levers": ["a"],
        "parameters": {"factors.hub_leadership": [0.2, 0.8]},
    }
    plan = _plan(tmp_path, design=design, baseline="hub_leadership=0.2")
    assert [arm.name for arm in plan.arms] == [
        "hub_leadership=0.2",
        "hub_leadership=0.8",
        "a+hub_leadership=0.2",
        "a+hub_leadership=0.8",
    ]
    by_arm = {task.arm.name: task.scenario for task in plan.tasks}
    assert by_arm["hub_leadership=0.8"].factors.hub_leadership == 0.8
    assert by_arm["a+hub_leadership=0.2"].levers["a"].enabled


def test_latin_hypercube_covers_each_stratum_once(tmp_path):
    design = {
        "type": "latin_hypercube",
        "samples": 8,
        "seed": 3,
        "parameters": {
            "factors.hub_leadership": {"low": 0, "high": 1},
            "initial_firms": {"low": 0, "high": 80, "integer": True},
        },
    }
    plan = _plan(tmp_path, design=design)
    assert plan.arms[0].name == "baseline" and len(plan.arms) == 9
    hub = np.array([dict(arm.settings)["factors.hub_leadership"] for arm in plan.arms[1:]])
    assert sorted(np.floor(hub * 8).astype(int)) == list(range(8))
    firms = [dict(arm.settings)["initial_firms"] for arm in plan.arms[1:]]
    assert all(isinstance(v, int) and 0 <= v <= 80 for v in firms)
    again = _plan(tmp_path, design=design)
    assert again.arms == plan.arms


def test_explicit_arms(tmp_path):
    design = {
        "type": "arms",
        "arms": [
            {"name": "status quo"},
            {"name": "hub push", "levers": ["a"], "set": {"factors.information": 0.7}},
        ],
    }
    plan = _plan(tmp_path, design=design)
    assert plan.baseline == "status quo"
    scenario = plan.tasks[-1].scenario
    assert scenario.levers["a"].enabled and scenario.factors.information == 0.7


def _constants_spec(tmp_path: Path, **fields) -> sweep.SweepPlan:
    """The real model on the tiny region for its first year, sweeping a constant."""
    spec = {
        "name": "constants",
        "base": str(TESTS / "data" / "tiny.yaml"),
        "until": 1981,
        "replications": 1,
        "root_seed": 5,
        "design": {"type": "factorial", "parameters": {"constants.discovery_rate": [5.0, 500.0]}},
        **fields,
    }
    path = tmp_path / "constants.yaml"
    path.write_text(yaml.safe_dump(spec))
    return sweep.plan(path)


def test_constants_are_swept_like_scenario_fields(tmp_path):
    plan = _constants_spec(tmp_path, constants={"spinout_rate": 0.001})
    assert [arm.name for arm in plan.arms] == ["discovery_rate=5", "discovery_rate=500"]
    low, high = plan.tasks
    assert dict(low.run.constants) == {"discovery_rate": 5.0, "spinout_rate": 0.001}
    assert high.run.resolved_constants().discovery_rate == 500.0
    assert low.scenario.digest() == high.scenario.digest() and low.digest != high.digest
    outcome = _run(plan, tmp_path / "out")
    assert outcome.complete
    runs, yearly = RunStore(tmp_path / "out").load(
        check=sweep.foreign_run_check(RunStore(tmp_path / "out").read_manifest())
    )
    founded = yearly.groupby("arm")["founded_academic"].sum()
    assert founded["discovery_rate=500"] > founded["discovery_rate=5"]  # the constant reached the model
    meta = read_run(RunStore(tmp_path / "out").run_path(high.run_id))[1]
    assert meta["constants"] == {"discovery_rate": 500.0, "spinout_rate": 0.001}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"design": {"type": "factorial", "parameters": {"constants.no_such_rate": [1.0]}}},
            "design",
            "no constant named 'no_such_rate'",
        ),
        (
            {"design": {"type": "factorial", "parameters": {"constants.target_headcount": [3.0]}}},
            "design",
            "must be a list of 4 numbers",
        ),
        ({"constants": {"spinout_rate": "fast"}}, "constants", "must be a finite number"),
        # A negative fading rate would make stale news raise the listing odds without bound.
        ({"constants": {"ipo_news_fade_year": -0.5}}, "constants", "must not be negative"),
        ({"constants": {"deal_appetite": [0.05, -0.3, 1.0, 1.2]}}, "constants", "must not be negative"),
        # Teams by era fade from the first year to the second: equal or reversed years cannot.
        ({"constants": {"early_team_years": [2011, 1991]}}, "constants", "must come before the second"),
        # Each constant's domain (constants.SHARES, POSITIVE, AT_LEAST_A_MONTH, YEARS): a value that
        # ran before with a division by zero, a NaN stake or a share of 5.
        ({"constants": {"early_round_multiple": 0}}, "constants", "greater than 0 (the model divides by it)"),
        (
            {"constants": {"round_size_musd": [2, 0, 35, 70]}},
            "constants",
            "round_size_musd[1]: must be greater",
        ),
        ({"constants": {"lead_share": 0.0}}, "constants", "lead_share: must be greater than 0"),
        ({"constants": {"medtech_share": 5}}, "constants", "medtech_share: must be at most 1"),
        ({"constants": {"local_stay_share": 7}}, "constants", "local_stay_share: must be at most 1"),
        (
            {"constants": {"buyout_share": [0, 0.01, 1.5, 0.2]}},
            "constants",
            "buyout_share[2]: must be at most 1",
        ),
        (
            {"constants": {"stage_patience_years": 0}},
            "constants",
            "must be a month (1/12 of a year) at least",
        ),
        (
            {"constants": {"early_round_end": 0}},
            "constants",
            "early_round_end: must be a calendar year, 1900-2100",
        ),
        (
            {"constants": {"early_team_years": [0, 1]}},
            "constants",
            "early_team_years[0]: must be a calendar year",
        ),
        # A team rounded down to nobody divides the milestones' staffing by 0.
        ({"constants": {"early_team_multiple": 0.1}}, "constants", "must be one person at least"),
        (
            {
                "design": {
                    "type": "arms",
                    "arms": [{"name": "x", "set": {"constants.early_team_multiple": 0}}],
                }
            },
            "design",
            "arm 'x': constants.early_team_multiple: must be greater than 0",
        ),
    ],
)
def test_a_bad_constant_is_refused_in_words(tmp_path, fields, field, message):
    with pytest.raises(ScenarioError) as error:
        _constants_spec(tmp_path, **fields)
    assert error.value.field == field and message in error.value.message


def test_every_constant_of_a_domain_exists_and_its_default_lies_in_it():
    """A misspelt name in a domain would check nothing; the package's own values must pass."""
    from ecosim.calibrate import BOUNDS
    from ecosim.constants import AT_LEAST_A_MONTH, POSITIVE, SHARES, YEARS, Constants, fitted, with_overrides

    names = {f.name for f in dataclasses.fields(Constants)}
    for domain in (SHARES, POSITIVE, AT_LEAST_A_MONTH, YEARS):
        assert domain <= names, domain - names
    for base in (Constants(), fitted()):
        assert with_overrides(base, {name: getattr(base, name) for name in names}) == base
    for name, (low, high) in BOUNDS.items():  # the fit's whole box
        with_overrides(fitted(), {name: low})
        with_overrides(fitted(), {name: high})


def test_seeds_spawn_from_the_root_and_are_shared_across_arms(tmp_path):
    plan = _plan(tmp_path, replications=3)
    children = np.random.SeedSequence(12345).spawn(3)
    for task in plan.tasks:
        expected = children[task.replication].generate_state(4)
        assert np.array_equal(task.seed().generate_state(4), expected)
    by_rep = {}
    for task in plan.tasks:
        by_rep.setdefault(task.replication, set()).add(tuple(task.seed().generate_state(4)))
    assert all(len(states) == 1 for states in by_rep.values())  # same seed in every arm
    assert len({next(iter(s)) for s in by_rep.values()}) == 3  # different per replication


def test_common_random_numbers_make_paired_differences_exact(tmp_path):
    plan = _plan(tmp_path)
    records = {(t.arm.name, t.replication): sweep.execute_task(t) for t in plan.tasks}
    for rep in range(2):
        base = records["baseline", rep].yearly["startups_founded"].sum()
        both = records["a+b", rep].yearly["startups_founded"].sum()
        expected = YEARS * (EFFECT_A + EFFECT_B + INTERACTION_AB)
        assert both - base == pytest.approx(expected, abs=1e-9)
    assert records["baseline", 0].yearly.equals(sweep.execute_task(plan.tasks[0]).yearly)
    assert not records["baseline", 0].yearly.equals(records["baseline", 1].yearly)


def test_yearly_table_sums_flows_and_keeps_year_end_stocks():
    monthly = pd.DataFrame(
        {
            "step": range(24),
            "year": np.repeat([2021, 2022], 12),
            "startups_founded": np.ones(24),
            "startups_active": np.arange(24),
        }
    )
    yearly = metric_registry.yearly(monthly, months=True)
    assert yearly["year"].tolist() == [2021, 2022]
    assert yearly["startups_founded"].tolist() == [12, 12]
    assert yearly["startups_active"].tolist() == [11, 23]
    assert yearly["months"].tolist() == [12, 12]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"replications": 0}, "replications", "must be >= 1"),
        ({"replications": "many"}, "replications", "integer"),
        ({"colour": "red"}, "colour", "unknown field"),
        ({"design": {"type": "fractional"}}, "design.type", "must be one of"),
        (
            {"design": {"type": "factorial", "levers": ["a"], "extra": 1}},
            "design.extra",
            "unknown field",
        ),
        (
            {"design": {"type": "factorial", "levers": ["nope"]}},
            "design.levers",
            "no lever named 'nope'",
        ),
        (
            {"design": {"type": "arms", "arms": [{"name": "x", "levers": ["nope"]}]}},
            "design.arms[0].levers",
            "no lever named",
        ),
        (
            {
                "design": {
                    "type": "latin_hypercube",
                    "samples": 4,
                    "parameters": {"factors.information": {"low": 1, "high": 0}},
                }
            },
            "design.parameters.factors.information.high",
            "must be > low",
        ),
        (
            {"design": {"type": "factorial", "parameters": {"factors.information": [2.0]}}},
            "design",
            "scenario field factors.information: must be <= 1",
        ),
        (
            {"design": {"type": "factorial", "parameters": {"factors.bogus": [1]}}},
            "design",
            "factors.bogus: unknown field",
        ),
        ({"baseline": "nobody"}, "baseline", "no arm named 'nobody'"),
        (
            {
                "design": {
                    "type": "factorial",
                    "parameters": {"factors.information": [0.123451, 0.123452]},
                }
            },
            "design",
            "two arms would both be named",
        ),
        ({"window": {"start": 2025, "end": 2030}}, "window.start", "after until (2023)"),
        ({"base": "missing.yaml"}, "base", "file not found"),
        ({"metrics": ["happiness"]}, "metrics[0]", "input should be"),
        (
            {"metrics": ["anchor_lineage"], "runner": sweep.DEFAULT_RUNNER},
            "metrics",
            "runner: ecosim.lineage:run_with_anchors",
        ),
    ],
)
def test_spec_errors_name_the_file_and_field(tmp_path, fields, field, message):
    spec = write_spec(tmp_path, **fields)
    with pytest.raises(ScenarioError) as caught:
        sweep.plan(spec, allow_runner=True)
    assert caught.value.path == str(spec)
    assert caught.value.field == field
    assert message in caught.value.message


@pytest.mark.parametrize(
    "spec", sorted((Path(__file__).parents[1] / "experiments").glob("*.yaml")), ids=lambda p: p.name
)
def test_every_experiment_of_the_project_is_a_valid_spec(spec):
    # The project's own experiments must run as the README says (a renamed metric broke one once).
    if "morris" in yaml.safe_load(spec.read_text(encoding="utf-8")):  # a sensitivity spec
        from ecosim import sensitivity

        loaded = sensitivity.read_spec(spec)
        names, unit = sensitivity.morris_design(loaded)
        plan = sensitivity.stage_plan(loaded, spec, "morris", names, unit[: len(names) + 1], len(names) + 1)
        assert plan.tasks and loaded.description
        return
    plan = sweep.plan(spec, {"replications": 1})
    assert plan.tasks and plan.spec.description


def test_cli_reports_a_bad_spec_with_exit_2(tmp_path, capsys):
    spec = write_spec(tmp_path, replications=-1)
    assert main(["sweep", str(spec), "--allow-runner", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {spec}: replications: must be >= 1")
    assert "Traceback" not in err
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n")
    assert main(["sweep", str(broken)]) == 2
    assert "broken YAML" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(tmp_path, capsys):
    design = {
        "type": "arms",
        "arms": [
            {"name": "baseline"},
            {"name": "bad", "levers": ["boom"]},
            {"name": "good", "levers": ["a"]},
        ],
    }
    spec = write_spec(tmp_path, design=design)
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--allow-runner", "--out", str(out), "--workers", "1", "--quiet"]) == 1
    assert "2 failed" in capsys.readouterr().out
    runs, _ = RunStore(out).load()
    assert len(runs) == 6
    bad = runs[runs["arm"] == "bad"]
    assert set(bad["status"]) == {"error"}
    assert bad["error"].str.contains("RuntimeError: the fake model was told to fail").all()
    assert set(runs.loc[runs["arm"] != "bad", "status"]) == {"ok"}
    assert len(list((out / "errors").glob("*.txt"))) == 2
    before = run_files(out)
    assert main(["sweep", str(spec), "--allow-runner", "--out", str(out), "--workers", "1", "--quiet"]) == 1
    assert run_files(out) == before  # failed runs are finished runs: not redone by default
    assert (
        main(
            [
                "sweep",
                str(spec),
                "--allow-runner",
                "--out",
                str(out),
                "--workers",
                "1",
                "--quiet",
                "--retry-failed",
            ]
        )
        == 1
    )
    last = capsys.readouterr().out.splitlines()[-1]
    assert "4 already done, 0 done now, 2 failed" in last  # retried, and failed again


def test_overrides_replications_and_until(tmp_path, capsys):
    spec = write_spec(tmp_path)
    out = tmp_path / "out"
    argv = ["sweep", str(spec), "--allow-runner", "--out", str(out), "--workers", "1", "--quiet"]
    assert main([*argv, "--replications", "1", "--until", "2022"]) == 0
    table, meta = read_run(next((out / "runs").glob("*.parquet")))
    assert table["year"].tolist() == [2021, 2022] and meta["until"] == 2022
    assert len(run_files(out)) == 4


def test_resume_does_only_the_missing_runs(tmp_path):
    plan = _plan(tmp_path, replications=3)
    full, partial = tmp_path / "full", tmp_path / "partial"
    _run(plan, full)
    store = RunStore(partial)
    for task in plan.tasks[::2]:
        sweep.store_record(store, sweep.execute_task(task))
    outcome = _run(plan, partial)
    assert outcome.skipped == 6 and outcome.succeeded == 6 and outcome.complete
    assert run_files(partial) == run_files(full)
    assert len(RunStore(partial).read_manifest()["sessions"]) == 1
    more = sweep.plan(
        write_spec(tmp_path), {"replications": 4}, allow_runner=True
    )  # extending keeps old runs
    assert _run(more, partial).skipped == 12


def test_a_folder_of_another_spec_is_refused(tmp_path, capsys):
    spec = write_spec(tmp_path)
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--allow-runner", "--out", str(out), "--workers", "1", "--quiet"]) == 0
    spec = write_spec(tmp_path, root_seed=999)
    assert main(["sweep", str(spec), "--allow-runner", "--out", str(out), "--workers", "1", "--quiet"]) == 2
    assert "different spec" in capsys.readouterr().err


def test_a_folder_made_by_other_code_is_refused(tmp_path, capsys):
    spec = write_spec(tmp_path)
    out = tmp_path / "out"
    argv = ["sweep", str(spec), "--allow-runner", "--out", str(out), "--workers", "1", "--quiet"]
    assert main([*argv, "--replications", "1"]) == 0
    store = RunStore(out)
    manifest = store.read_manifest()
    store.write_manifest({**manifest, "git_commit": "0000000"})
    assert main(argv) == 2
    assert "git commit 0000000 made its runs" in capsys.readouterr().err
    assert len(run_files(out)) == 4
    assert main([*argv, "--allow-code-change"]) == 0
    assert len(run_files(out)) == 8


def test_run_files_hold_no_wall_time_or_host(tmp_path):
    plan = _plan(tmp_path)
    _run(plan, tmp_path / "one")
    _run(plan, tmp_path / "two")
    assert run_files(tmp_path / "one") == run_files(tmp_path / "two")
    _, meta = read_run(next((tmp_path / "one" / "runs").glob("*.parquet")))
    assert set(meta) == {
        "run_id",
        "digest",
        "arm",
        "replication",
        "seed",
        "scenario_digest",
        "until",
        "runner",
        "status",
        "error",
        "summary",
    }
    manifest = RunStore(tmp_path / "one").read_manifest()
    assert manifest["root_seed"] == 12345 and manifest["spec_digest"]
    assert manifest["git_commit"] and manifest["versions"]["numpy"]
    assert manifest["sessions"][0]["succeeded"] == 8


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def _three_ways(plan: sweep.SweepPlan, tmp_path: Path, client) -> list[dict[str, bytes]]:
    _run(plan, tmp_path / "serial")
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        _run(plan, tmp_path / "pool", pool)
    _run(plan, tmp_path / "dask", client.get_executor())
    return [run_files(tmp_path / name) for name in ("serial", "pool", "dask")]


def test_pool_and_dask_give_the_serial_results(tmp_path, dask_client):
    serial, pool, dask = _three_ways(_plan(tmp_path), tmp_path, dask_client)
    assert len(serial) == 8
    assert serial == pool == dask


def _env_with_tests() -> dict[str, str]:
    """The environment of a CLI subprocess that can import the fake runner."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}


def test_cli_sweep_on_a_dask_scheduler_ends_cleanly(tmp_path, dask_client):
    address = dask_client.scheduler.address
    assert address.startswith("tcp://127.0.0.1:")  # the cluster listens on loopback only
    spec = write_spec(tmp_path)
    out = tmp_path / "dask"
    done = subprocess.run(
        [*ECOSIM, "sweep", str(spec), "--allow-runner", "--out", str(out), "--scheduler", address, "--quiet"],
        env=_env_with_tests(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.strip().endswith("8 runs: 0 already done, 8 done now, 0 failed, 0 lost")
    _run(sweep.plan(spec, allow_runner=True), tmp_path / "serial")
    assert run_files(out) == run_files(tmp_path / "serial")
    session = RunStore(out).read_manifest()["sessions"][-1]
    assert session["backend"] == f"dask {address}" and session["succeeded"] == 8


def _small_real_spec(tmp_path: Path) -> Path:
    base = TESTS.parent / "scenarios" / "greater_tokyo.yaml"
    spec = {
        "name": "real",
        "base": str(base),
        "until": 2022,
        "replications": 2,
        "root_seed": 7,
        "design": {"type": "factorial", "levers": ["secretariat"]},
    }
    path = tmp_path / "real.yaml"
    path.write_text(yaml.safe_dump(spec))
    return path


@pytest.mark.skipif(
    importlib.util.find_spec("ecosim.runner") is None
    or not (TESTS.parent / "scenarios" / "greater_tokyo.yaml").exists(),
    reason="needs the model and scenarios/greater_tokyo.yaml",
)
def test_real_model_same_results_serial_pool_dask(tmp_path, dask_client):
    plan = sweep.plan(_small_real_spec(tmp_path))
    serial, pool, dask = _three_ways(plan, tmp_path, dask_client)
    assert len(serial) == 4
    assert serial == pool == dask
    runs, yearly = RunStore(tmp_path / "serial").load()
    assert set(runs["status"]) == {"ok"}
    assert set(yearly["year"]) == {2021, 2022}


def _count_runs(out: Path) -> int:
    runs = out / "runs"
    return len(list(runs.glob("*.parquet"))) if runs.is_dir() else 0


def _group_ends(group: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_a_sweep_killed_with_sigkill_resumes_to_the_same_run_set(tmp_path):
    spec = write_spec(tmp_path, replications=5)  # 20 runs
    killed, reference = tmp_path / "killed", tmp_path / "reference"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
        "ECOSIM_FAKE_SLEEP": "0.15",
    }
    argv = [
        *ECOSIM,
        "sweep",
        str(spec),
        "--allow-runner",
        "--out",
        str(killed),
        "--workers",
        "2",
        "--quiet",
    ]
    process = subprocess.Popen(
        argv, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while _count_runs(killed) < 4 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.02)
        assert process.poll() is None, process.stderr.read().decode()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        workers_gone = _group_ends(process.pid, timeout=20)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the pool workers this test started
        process.stderr.close()
    assert workers_gone, "pool workers outlived the killed sweep"
    done = _count_runs(killed)
    assert 4 <= done < 20
    resumed = subprocess.run(  # (a commit landing meanwhile in a shared checkout is no error)
        [*argv, "--allow-code-change"],
        env={**env, "ECOSIM_FAKE_SLEEP": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"{done} already done, {20 - done} done now" in resumed.stdout
    plain = {k: v for k, v in env.items() if k != "ECOSIM_FAKE_SLEEP"}
    subprocess.run(
        [*argv[: len(ECOSIM) + 3], "--out", str(reference), "--workers", "1", "--quiet"],
        env=plain,
        check=True,
        capture_output=True,
    )
    assert run_files(killed) == run_files(reference)
    assert not list((killed / "runs").glob(".*"))  # no temporary leftovers
    assert len(RunStore(killed).read_manifest()["sessions"]) == 2
