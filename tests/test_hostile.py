"""Careless and hostile input through the real command line: one line, exit code 2, bounded memory.

Every case runs ``python -m ecosim`` in a subprocess whose address space is capped (a guard: an
input that made ecosim allocate without bound fails with a MemoryError traceback instead of
exhausting the machine), and checks what a user sees: exit code 2, one ``error:`` line naming
the file or option, no traceback, no raw control character, no long echo of the input, and
nothing written.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from helpers import ROOT, TINY
from measured import Measured, run_measured
from test_sweep_support import write_spec

from ecosim import limits
from ecosim.cli import main
from ecosim.commands.common import MANIFEST_MARKS
from ecosim.store import METADATA_KEY, RunStore

ADDRESS_SPACE = 3 << 30  # the guard: a normal command needs well under 1.5 GiB
PEAK_RSS_MB = 500  # what a refused input may cost at most (the interpreter and imports: ~50-250 MB)
TESTS = Path(__file__).parent
COMMAND_TIMEOUT = 240  # seconds; every case here ends in a few


def ecosim(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Measured:
    """Run ``python -m ecosim ARGS`` under the address-space guard; its peak memory comes back."""
    return run_measured(
        [sys.executable, "-m", "ecosim", *args], cwd or ROOT, env, COMMAND_TIMEOUT, ADDRESS_SPACE
    )


def assert_one_error_line(done: Measured, starts: str, *fragments: str) -> None:
    """Exit 2, one line ``error: ...`` beginning with ``starts``, holding each fragment."""
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error: {starts}"), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert len(lines[0]) < 700
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in lines[0]), repr(lines[0])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def tiny_variant(tmp_path: Path, extra: str, name: str = "bad.yaml") -> Path:
    return write(tmp_path / name, f"extends: {TINY}\n{extra}")


def real_spec(tmp_path: Path, **fields) -> Path:
    """A spec of ecosim's own runner on the tiny scenario (one short run per arm)."""
    spec = {
        "name": "t",
        "base": str(TINY),
        "until": 1980,
        "replications": 1,
        "root_seed": 1,
        "design": {"type": "arms", "arms": [{"name": "baseline"}]},
        **fields,
    }
    return write(tmp_path / "spec.yaml", json.dumps(spec))


BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)
"""Billion laughs: nine levels of ten aliases, 10^9 strings once expanded."""


# --- numbers, options and file sizes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["run", str(TINY), "--seed", "-1"], "--seed: must be at least 0, got -1"),
        (["run", str(TINY), "--seed", "9" * 5000], "--seed: a number of more than 30 digits"),
        (["run", str(TINY), "--until", "9" * 5000], "--until: a number of more than 30 digits"),
        (["sweep", "spec.yaml", "--workers", "-1"], "--workers: must be at least 1, got -1"),
        (["sweep", "spec.yaml", "--workers", "0"], "--workers: must be at least 1, got 0"),
        (
            ["run", str(TINY), "--until", "19\x1b[31m81"],
            "--until: must be a whole number, got '19\\x1b[31m81'",
        ),
    ],
)
def test_bad_options_are_one_line(tmp_path, argv, fragment):
    done = ecosim(*argv, cwd=tmp_path)
    assert_one_error_line(done, "argument ", fragment)


@pytest.mark.parametrize(
    "argv",
    [
        ["run", str(TINY), "--until", "1980", "--quiet", "--out"],
        ["sweep", "spec.yaml", "--workers", "1", "--quiet", "--out"],
        ["report", "sweep", "--out"],
        ["sensitivity", "spec.yaml", "--out"],
        ["sensitivity", "spec.yaml", "--runs"],
        ["calibrate", "--quick", "--out"],
        ["calibrate", "--quick", "--store"],
        ["posterior", "--quick", "--out"],
        ["posterior", "--quick", "--runs"],
        ["lineage", "run", "--out"],
    ],
    ids=lambda argv: f"{argv[0]} {argv[-1]}",
)
def test_an_empty_output_path_is_refused(tmp_path, argv):
    """Path('') is '.': `sweep --out ''` wrote into the working folder, `run --out ''` its default."""
    spec = real_spec(tmp_path)
    done = ecosim(*argv, "", cwd=tmp_path)
    assert_one_error_line(done, f"argument {argv[-1]}: ", "an empty path (for the working folder, write .)")
    assert sorted(tmp_path.iterdir()) == [spec]


def test_a_scheduler_that_is_no_address(tmp_path):
    done = ecosim(
        "sweep", str(real_spec(tmp_path)), "--scheduler", "garbage://x", "--out", str(tmp_path / "o")
    )
    assert_one_error_line(done, "--scheduler: ", "not a Dask scheduler address: 'garbage://x'")
    assert not (tmp_path / "o").exists()


def test_a_5000_digit_integer_in_a_scenario(tmp_path):
    bad = tiny_variant(tmp_path, f"start_year: {'9' * 5000}\n")
    done = ecosim("validate", str(bad))
    assert_one_error_line(done, f"{bad}: ", "line 2", "5,000 digits", "MAX_NUMBER_DIGITS")


def test_nesting_deeper_than_python_recurses(tmp_path):
    bad = write(tmp_path / "deep.yaml", "name: " + "[" * 5000 + "]" * 5000 + "\n")
    done = ecosim("run", str(bad), "--out", str(tmp_path / "o"))
    assert_one_error_line(done, f"{bad}: ", "nested more than 64 levels", "MAX_NESTING")


def test_an_extends_chain_of_1100_files(tmp_path):
    for i in range(1100):
        write(tmp_path / f"s{i}.yaml", f"extends: s{i + 1}.yaml\n" if i < 1099 else f"extends: {TINY}\n")
    done = ecosim("validate", str(tmp_path / "s0.yaml"))
    assert_one_error_line(done, str(tmp_path / "s0.yaml"), "extends: a chain of more than 16 files")


def test_lhs_bounds_of_nan(tmp_path):
    spec = real_spec(
        tmp_path,
        design={
            "type": "latin_hypercube",
            "samples": 4,
            "parameters": {"factors.information": {"low": 0, "high": float("nan")}},
        },
    )
    spec.write_text(spec.read_text().replace("NaN", ".nan"))  # JSON's NaN is no YAML: write YAML's
    done = ecosim("sweep", str(spec), "--out", str(tmp_path / "o"))
    assert_one_error_line(done, f"{spec}: ", "design.parameters.factors.information.high", "finite number")


def test_a_design_type_that_is_a_list(tmp_path):
    # Found by benchmarks/reliability.py's mutations: `kind not in DESIGNS` raised TypeError.
    spec = real_spec(tmp_path, design={"type": [[[]]]})
    done = ecosim("sweep", str(spec), "--out", str(tmp_path / "o"))
    assert_one_error_line(done, f"{spec}: design.type: ", "must be one of factorial, latin_hypercube, arms")


def test_dev_zero_as_a_scenario(tmp_path):
    done = ecosim("run", "/dev/zero", "--out", str(tmp_path / "o"))
    assert_one_error_line(done, "/dev/zero: ", "larger than 1,048,576 bytes", "MAX_FILE_BYTES")
    assert done.peak_mb < PEAK_RSS_MB


def test_a_scenario_over_the_size_limit(tmp_path):
    big = write(
        tmp_path / "big.yaml", f"extends: {TINY}\n" + "# padding\n" * (limits.MAX_FILE_BYTES // 10 + 1)
    )
    done = ecosim("validate", str(big))
    assert_one_error_line(done, f"{big}: ", "MAX_FILE_BYTES")
    assert done.peak_mb < PEAK_RSS_MB


# --- memory: alias bombs, grids, designs --------------------------------------------------------


@pytest.mark.parametrize("field", ["name", "founders"])
def test_a_billion_laughs(tmp_path, field):
    where = (
        "name: *i\n"
        if field == "name"
        else ("anchors: [{name: A, year: 1980, lat: 32.88, lon: -117.234, founders: *i}]\nevents: []\n")
    )
    bad = tiny_variant(tmp_path, BOMB + where)
    done = ecosim("validate", str(bad))
    assert_one_error_line(done, f"{bad}: ", "more than 200,000 values once aliases are expanded")
    assert done.peak_mb < PEAK_RSS_MB


def test_a_grid_over_the_cell_limit(tmp_path):
    bad = tiny_variant(tmp_path, "region: {width_km: 400, height_km: 400, km_per_cell: 0.25}\n")
    done = ecosim("run", str(bad), "--out", str(tmp_path / "o"))
    assert_one_error_line(done, f"{bad}: region.km_per_cell: ", "2,560,000 cells", "MAX_GRID_CELLS")
    assert done.peak_mb < PEAK_RSS_MB


@pytest.mark.parametrize(
    ("fields", "field", "fragment"),
    [
        (
            {
                "replications": 100000,
                "design": {
                    "type": "latin_hypercube",
                    "samples": 100000,
                    "parameters": {"factors.information": {"low": 0, "high": 1}},
                },
            },
            "design",
            "100,001 arms, more than 5,000 (limits.MAX_SWEEP_ARMS)",
        ),
        (
            {
                "replications": 1000,
                "design": {
                    "type": "latin_hypercube",
                    "samples": 1000,
                    "parameters": {"factors.information": {"low": 0, "high": 1}},
                },
            },
            "replications",
            "1,001 arms x 1,000 replications = 1,001,000 runs, more than 200,000",
        ),
        (
            {
                "design": {
                    "type": "factorial",
                    "parameters": {
                        f"factors.{f}": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
                        for f in (
                            "information",
                            "diverse_players",
                            "focused_projects",
                            "hub_leadership",
                            "cross_disciplinary_fusion",
                        )
                    },
                }
            },
            "design",
            "16,807 arms, more than 5,000",
        ),
    ],
)
def test_a_design_over_the_size_limit(tmp_path, fields, field, fragment):
    spec = real_spec(tmp_path, **fields)
    done = ecosim("sweep", str(spec), "--out", str(tmp_path / "o"))
    assert_one_error_line(done, f"{spec}: {field}: ", fragment)
    assert done.peak_mb < PEAK_RSS_MB
    assert not (tmp_path / "o").exists()


def test_a_run_past_the_firm_limit_stops_with_a_message(tmp_path, monkeypatch, capsys):
    # The limit is 50,000 firms, minutes of simulation away: lower it for the tiny region.
    monkeypatch.setattr("ecosim.runner.MAX_FIRMS", 3)
    out = tmp_path / "o"
    assert main(["run", str(TINY), "--until", "1990", "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {TINY}: --until: more than 3 firms by ") and "limits.MAX_FIRMS" in err
    assert not out.exists()


# --- what errors say ----------------------------------------------------------------------------


def test_control_characters_in_a_key_are_escaped(tmp_path):
    bad = tiny_variant(tmp_path, '"ban\\nana\\e[31m\\e]0;owned\\a": 1\n')
    done = ecosim("validate", str(bad))
    assert_one_error_line(done, f"{bad}: ", "ban\\nana\\x1b[31m\\x1b]0;owned\\x07: unknown field")


def test_a_long_value_is_quoted_as_an_excerpt(tmp_path):
    bad = tiny_variant(tmp_path, f'start_year: "{"x" * 100000}"\n')
    done = ecosim("validate", str(bad))
    assert_one_error_line(done, f"{bad}: start_year: ", "xxx...")
    assert len(done.stderr) < 400


def test_an_error_in_a_base_file_names_the_base_file(tmp_path):
    base = tiny_variant(tmp_path, "factors: {information: 7}\n", name="base.yaml")
    child = write(tmp_path / "child.yaml", "extends: base.yaml\nname: Child\n")
    done = ecosim("validate", str(child))
    assert_one_error_line(
        done, f"{base}: factors.information: must be <= 1.0, got 7", f"(extended by {child})"
    )


def test_a_closed_pipe_is_no_traceback(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "ecosim", "validate", *[str(TINY)] * 200],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()  # the reader went away, as `| head -0` does
    stderr = process.stderr.read().decode()
    process.wait(timeout=120)
    process.stderr.close()
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr


# --- accepted quietly before, refused now -------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "starts", "fragment"),
    [
        ("name: One\nname: Two\n", "", "line 3, column 1: duplicate key 'name'"),
        (
            "hubs:\n  - {name: Hub, lat: 32.88, lon: -117.22, founded: 1983}\n"
            "  - {name: Hub, lat: 32.89, lon: -117.22, founded: 1990}\n",
            "hubs[1].name: ",
            "'Hub' is already the name of hubs[0]",
        ),
        (
            "institutions:\n  - {name: U, kind: university, lat: 32.88, lon: -117.234}\n"
            "  - {name: U, kind: hospital, lat: 32.87, lon: -117.22}\nanchors: []\nevents: []\n",
            "institutions[1].name: ",
            "'U' is already the name of institutions[0]",
        ),
        (
            "anchors:\n  - {name: Gen, year: 1980, lat: 32.88, lon: -117.234}\n"
            "  - {name: Gen, year: 1982, lat: 32.88, lon: -117.234}\nevents: []\n",
            "anchors[1].name: ",
            "'Gen' is already the name of anchors[0]",
        ),
        (
            "events:\n  - {year: 1980, month: 2, kind: acquisition, target: Anchorgen, acquirer: Big Pharma}\n",
            "events[0].year: ",
            "1980-02 is before 'Anchorgen' is founded (1980-03)",
        ),
    ],
)
def test_quietly_accepted_before_refused_now(tmp_path, extra, starts, fragment):
    bad = tiny_variant(tmp_path, extra)
    done = ecosim("run", str(bad), "--out", str(tmp_path / "o"), "--quiet")
    assert_one_error_line(done, f"{bad}: {starts}", fragment)
    assert not (tmp_path / "o").exists()


def test_a_spec_until_before_the_scenario_starts(tmp_path):
    spec = real_spec(tmp_path, until=1970)
    done = ecosim("sweep", str(spec), "--out", str(tmp_path / "o"))
    assert_one_error_line(done, f"{spec}: until: ", "must be >= the scenario's start_year 1980, got 1970")
    done = ecosim("sweep", str(real_spec(tmp_path)), "--until", "1975", "--out", str(tmp_path / "o"))
    assert_one_error_line(done, f"{tmp_path / 'spec.yaml'}: until: ", "got 1975")
    assert not (tmp_path / "o").exists()


# --- the report's folder ------------------------------------------------------------------------


@pytest.fixture
def swept(tmp_path) -> Path:
    """A finished sweep of ecosim's runner: two replications of the tiny scenario's first year."""
    out = tmp_path / "sweep"
    done = ecosim(
        "sweep", str(real_spec(tmp_path, replications=2)), "--out", str(out), "--workers", "1", "--quiet"
    )
    assert done.returncode == 0, done.stderr
    return out


def test_report_refuses_a_run_of_another_spec(tmp_path, swept):
    other = tmp_path / "other"
    other.mkdir()
    spec = real_spec(other, replications=3, root_seed=99)
    assert (
        ecosim("sweep", str(spec), "--out", str(other / "sweep"), "--workers", "1", "--quiet").returncode == 0
    )
    stray = next((other / "sweep" / "runs").glob("a0000-r0002-*.parquet"))
    (swept / "runs" / stray.name).write_bytes(stray.read_bytes())  # a third replication, of another seed
    done = ecosim("report", str(swept), "--out", str(tmp_path / "report"))
    assert_one_error_line(done, f"{swept / 'runs' / stray.name}: ", "made from another spec or scenario")
    assert not (tmp_path / "report").exists()


NESTED_TOO_DEEP = "[" * 100_000 + "]" * 100_000
"""Valid JSON that Python's parser cannot read: it recurses once a level (RecursionError)."""


@pytest.mark.parametrize(
    "damage",
    [
        "truncated run",
        "corrupt manifest",
        "manifest of something else",
        "manifest nested too deep",
        "run metadata nested too deep",
    ],
)
def test_report_of_a_damaged_folder(tmp_path, swept, damage):
    run = next((swept / "runs").glob("*.parquet"))
    manifest = swept / "manifest.json"
    if damage == "truncated run":
        run.write_bytes(run.read_bytes()[:300])
        expected = (str(run), "damaged run file")
    elif damage == "corrupt manifest":
        manifest.write_text(manifest.read_text()[:200])
        expected = (str(manifest), "damaged sweep manifest")
    elif damage == "manifest nested too deep":
        manifest.write_text(NESTED_TOO_DEEP)
        expected = (str(manifest), "damaged sweep manifest (nested deeper than JSON's parser reads)")
    elif damage == "run metadata nested too deep":
        table = pq.read_table(run)
        metadata = {**table.schema.metadata, METADATA_KEY: NESTED_TOO_DEEP.encode()}
        pq.write_table(table.replace_schema_metadata(metadata), run)
        expected = (str(run), "damaged run file (RecursionError)")
    else:
        manifest.write_text(json.dumps({"spec": {"name": "x"}, "arms": "none", "baseline": "b"}))
        expected = (str(manifest), "arms: missing or not a list")
    done = ecosim("report", str(swept), "--out", str(tmp_path / "report"))
    assert_one_error_line(done, *expected)
    assert not (tmp_path / "report").exists()


def test_report_of_a_sweep_with_no_run(tmp_path, swept):
    for run in (swept / "runs").glob("*.parquet"):
        run.unlink()
    done = ecosim("report", str(swept), "--out", str(tmp_path / "report"))
    assert_one_error_line(done, f"{swept / 'runs'}: ", "no run file of the 2 the design plans")
    assert not (tmp_path / "report").exists()


def test_report_of_a_sweep_with_a_run_missing_says_so(tmp_path, swept):
    """It used to report "1 arms x 2 replications" over the one run left, without a word."""
    whole = ecosim("report", str(swept), "--out", str(tmp_path / "whole"))
    assert whole.returncode == 0 and whole.stderr == "", whole.stderr
    assert "runs the design plans" not in (tmp_path / "whole" / "README.md").read_text()
    next((swept / "runs").glob("*-r0001-*.parquet")).unlink()
    done = ecosim("report", str(swept), "--out", str(tmp_path / "report"))
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        f"warning: {swept}: Only 1 of the 2 runs the design plans are in the sweep folder (1 missing): "
        "the tables compare the runs found, so an arm may hold fewer replications than the design "
        "says. `ecosim sweep` with the same spec and folder runs the missing ones.\n"
    )
    assert "Only 1 of the 2 runs the design plans" in (tmp_path / "report" / "README.md").read_text()


# --- a run folder's files, for `ecosim lineage` ------------------------------------------------


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("lineage") / "run"
    done = ecosim("run", str(TINY), "--until", "1980", "--out", str(out), "--quiet")
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.parametrize(
    ("file", "content", "fragment"),
    [
        ("lineage.json", "[]", "a JSON list, not a node-link graph (a mapping)"),
        ("lineage.json", '"x"', "a JSON string, not a node-link graph"),
        ("lineage.json", NESTED_TOO_DEEP, "nested deeper than JSON's parser reads"),
        ("lineage.json", '{"nodes": 5}', "not a node-link graph (TypeError"),
        ("lineage.json", '{"nodes": [{"id": "a"}], "links": []}', "node id 'a' is not a firm id"),
        ("lineage.json", '{"nodes": [{"id": 1, "generation": "x"}], "links": []}', "generation 'x' is not"),
        ("firms.csv", "", "No columns to parse from file"),
        ("firms.csv", "x\n", "no column firm_id, founded_year, fate, fate_year, generation, peak_headcount"),
        ("firms.csv", None, "column firm_id holds values that are not numbers"),
    ],
)
def test_lineage_of_a_damaged_run_folder(tmp_path, run_folder, file, content, fragment):
    damaged = tmp_path / "run"
    shutil.copytree(run_folder, damaged)
    if content is None:  # the real table with one firm id that is not a number
        lines = (damaged / file).read_text().splitlines(keepends=True)
        content = lines[0] + "abc" + lines[1][lines[1].index(",") :] + "".join(lines[2:])
    (damaged / file).write_text(content)
    done = ecosim("lineage", str(damaged))
    assert_one_error_line(done, f"{damaged / file}: RUN_DIR: cannot read the run: ", fragment)
    assert not list(damaged.glob("lineage_*.png"))


@pytest.mark.parametrize(("name", "said"), [("tree.jpg", "suffix '.jpg'"), ("tree", "no suffix")])
def test_lineage_writes_only_what_its_name_says(tmp_path, run_folder, name, said):
    """The tree is drawn as PNG: --out x.jpg wrote PNG data under a JPEG's name."""
    out = tmp_path / name
    done = ecosim("lineage", str(run_folder), "--out", str(out))
    assert_one_error_line(done, f"{out}: --out: ", f"must name a .png file (the tree is a PNG), got {said}")
    assert not out.exists()
    done = ecosim("lineage", str(run_folder), "--out", str(tmp_path / "tree.PNG"))
    assert done.returncode == 0 and (tmp_path / "tree.PNG").read_bytes().startswith(b"\x89PNG"), done.stderr


# --- two sweeps on one folder, code named by a spec, the browser view ---------------------------


def test_a_second_sweep_on_a_busy_folder_is_refused(tmp_path):
    spec = write_spec(tmp_path, replications=4)  # the fake runner: 16 runs
    out = tmp_path / "out"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
        # 8 runs of 1 s: long enough that a second command starting on a loaded machine finds it
        "ECOSIM_FAKE_SLEEP": "1.0",
    }
    argv = [
        sys.executable,
        "-m",
        "ecosim",
        "sweep",
        str(spec),
        "--allow-runner",
        "--out",
        str(out),
        "--workers",
        "1",
        "--quiet",
    ]
    first = subprocess.Popen(
        argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        lock = out / ".lock"
        deadline = time.monotonic() + 120
        while not (lock.exists() and lock.read_text().startswith(f"pid {first.pid} ")):
            assert first.poll() is None and time.monotonic() < deadline, (
                "the first sweep never took the folder"
            )
            time.sleep(0.05)
        second = subprocess.run(
            argv, env={**env, "ECOSIM_FAKE_SLEEP": "0"}, cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        running = first.poll() is None
    finally:
        stdout, stderr = first.communicate(timeout=300)
    assert running, "the first sweep ended before the second started: nothing was tested"
    assert second.returncode == 2, second.stderr
    assert second.stderr.startswith(
        f"error: {out}: another `ecosim sweep` works in this folder (pid {first.pid} "
    )
    assert first.returncode == 0, stderr
    assert stdout.strip().endswith("16 runs: 0 already done, 16 done now, 0 failed, 0 lost")
    logged = [json.loads(line)["run_id"] for line in (out / "log.jsonl").read_text().splitlines()]
    assert len(logged) == len(set(logged)) == 16  # every run computed once
    assert len(RunStore(out).read_manifest()["sessions"]) == 1


@pytest.mark.parametrize("made_by", ["ecosim run", "ecosim sweep", "ecosim calibrate"])
def test_run_and_sweep_keep_out_of_each_others_folders(tmp_path, run_folder, swept, made_by):
    """Both write DIR/manifest.json: each replaced the other's (exit 0), and so another command's."""
    if made_by == "ecosim run":
        folder = tmp_path / "run"
        shutil.copytree(run_folder, folder)
        argv = ["sweep", str(tmp_path / "spec.yaml"), "--workers", "1"]
        maker, writer = "`ecosim run`", "`ecosim sweep`"
    elif made_by == "ecosim sweep":
        folder, argv = swept, ["run", str(TINY), "--until", "1980"]
        maker, writer = "`ecosim sweep`", "`ecosim run`"
    else:
        folder = tmp_path / "calibration"
        folder.mkdir()
        write(folder / "manifest.json", json.dumps({"command": "ecosim calibrate --out calibration"}))
        argv = ["run", str(TINY), "--until", "1980"]
        maker, writer = "another command ('ecosim calibrate --out calibration')", "`ecosim run`"
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    done = ecosim(*argv, "--out", str(folder), "--quiet")
    assert_one_error_line(
        done, f"{folder}: made by {maker}: {writer} would replace its manifest.json", "use another --out"
    )
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("calibrate", ["--quick", "--no-loo", "--store"]),
        ("posterior", ["--quick", "--quiet", "--runs"]),
        ("sensitivity", [str(ROOT / "experiments" / "sensitivity.yaml"), "--quick", "--quiet", "--runs"]),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_the_analyses_keep_out_of_a_run_folder(tmp_path, run_folder, command, options):
    """Each writes OUT/manifest.json: given a run's folder, each replaced the run's record."""
    folder, store = tmp_path / "run", tmp_path / "store"
    shutil.copytree(run_folder, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    done = ecosim(command, *options, str(store), "--out", str(folder))
    assert_one_error_line(
        done, f"{folder}: made by `ecosim run`: `ecosim {command}` would replace its manifest.json"
    )
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before
    assert not store.exists()


@pytest.mark.parametrize("command", ["calibrate", "posterior", "sensitivity"])
def test_a_run_keeps_out_of_an_analysis_folder(tmp_path, command):
    """The analyses' manifests are known by their marks, so the refusal names the command."""
    folder = tmp_path / command
    folder.mkdir()
    mark = MANIFEST_MARKS[f"ecosim {command}"]
    write(folder / "manifest.json", json.dumps({"command": f"ecosim {command}", mark: []}))
    done = ecosim("run", str(TINY), "--until", "1980", "--out", str(folder), "--quiet")
    assert_one_error_line(done, f"{folder}: made by `ecosim {command}`: `ecosim run` would replace")
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json"]


def test_a_spec_runs_no_code_of_its_own_without_the_flag(tmp_path):
    package = tmp_path / "evilpkg"
    package.mkdir()
    marker = tmp_path / "imported"
    write(package / "__init__.py", f"open({str(marker)!r}, 'w').close()\n")
    write(package / "mod.py", "def run(scenario, seed, until=None):\n    raise SystemExit('ran')\n")
    spec = real_spec(tmp_path, runner="evilpkg.mod:run")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = ecosim("sweep", str(spec), "--out", str(tmp_path / "o"), "--workers", "1", env=env)
    assert_one_error_line(
        done, f"{spec}: runner: ", "'evilpkg.mod:run' is not ecosim's code", "--allow-runner"
    )
    assert not marker.exists(), "the spec's module was imported"
    assert not (tmp_path / "o").exists()


def test_viz_warns_that_a_wider_host_has_no_login(tmp_path):
    # A scenario that does not exist: the command stops before it would listen anywhere.
    wide = ecosim("viz", "no-such.yaml", "--host", "0.0.0.0", cwd=tmp_path)
    assert wide.returncode == 2
    warning, error = wide.stderr.strip().splitlines()
    assert warning.startswith("warning: --host 0.0.0.0 ") and "no login" in warning
    assert error.startswith("error: no-such.yaml: file not found")
    local = ecosim("viz", "no-such.yaml", "--host", "127.0.0.1", cwd=tmp_path)
    assert_one_error_line(local, "no-such.yaml: file not found")


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A loopback port another program listens on: a server given it cannot start (so a test
    that reaches the server ends at once, never serving)."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


@pytest.mark.parametrize("compare", ["nope.yaml", "../elsewhere.yaml", "bad.yaml"])
def test_viz_checks_compare_before_serving(tmp_path, taken_port, compare):
    """The second run used to be loaded only by each visitor's page: the operator saw
    "serving" and every visitor the error."""
    shutil.copy(TINY, tmp_path / "tiny.yaml")
    bad = tiny_variant(tmp_path, "factors: {information: 7}\n")
    write(tmp_path.parent / "elsewhere.yaml", TINY.read_text())
    done = ecosim("viz", "tiny.yaml", "--compare", compare, "--port", str(taken_port), cwd=tmp_path)
    if compare == "bad.yaml":
        assert_one_error_line(done, f"{bad.name}: factors.information: ", "must be <= 1.0")
    else:
        assert_one_error_line(done, f"{compare}: --compare: ", "must be 'no_levers' or a scenario file of ./")
    assert "serving" not in done.stdout


def test_viz_refuses_a_port_in_use_before_serving(tmp_path, taken_port):
    """uvicorn found the port taken only after "serving ..." was printed, and exited with 3."""
    done = ecosim("viz", str(TINY), "--port", str(taken_port), cwd=tmp_path)
    assert_one_error_line(
        done, "--port: ", f"cannot listen on 127.0.0.1 port {taken_port} (Address already in use)"
    )
    assert "serving" not in done.stdout
