"""The command line: outputs, summaries and bad input (exit 2, one line, nothing written)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from helpers import ROOT, TINY

from ecosim.cli import main

FIRM_COLUMNS = {
    "firm_id",
    "name",
    "kind",
    "founded_year",
    "origin",
    "parent_id",
    "lineage_root",
    "generation",
    "x",
    "y",
    "fate",
    "fate_year",
    "peak_headcount",
    "total_raised",
}
TIMESERIES_COLUMNS = {
    "step",
    "year",
    "firms_active",
    "startups_active",
    "firms_listed",
    "startups_founded",
    "founded_academic",
    "founded_spinout",
    "founded_release",
    "relocations",
    "exits_acquired",
    "exits_ipo",
    "failures",
    "employment",
    "vc_invested",
    "pharma_sites",
    "hub_members",
    "hub_events",
    "firms_active_biopharma",
    "firms_census_biopharma",
    "employment_biopharma",
    "employment_census_biopharma",
}


def ecosim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ecosim", *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=300
    )


def test_run_writes_every_output(tmp_path):
    out = tmp_path / "run"
    done = ecosim("run", str(TINY), "--seed", "4", "--out", str(out), "--quiet")
    assert done.returncode == 0, done.stderr
    assert "firms active at the end" in done.stdout
    # Every amount in the model is at 2000 prices: a bare "USD m" reads as today's dollars.
    assert "USD m at 2000 prices" in done.stdout
    names = {p.name for p in out.iterdir()}
    assert names == {
        "timeseries.csv",
        "firms.csv",
        "deals.csv",
        "lineage.json",
        "summary.json",
        "manifest.json",
        "overview.png",
    }
    deals = pd.read_csv(out / "deals.csv")
    assert deals["size_musd"].sum() == pytest.approx(pd.read_csv(out / "timeseries.csv")["vc_invested"].sum())
    series = pd.read_csv(out / "timeseries.csv")
    assert set(series.columns) >= TIMESERIES_COLUMNS
    # The drug industry alone is part of every kind's count, month by month.
    for every in ("firms_active", "employment"):
        assert (series[f"{every}_biopharma"] <= series[every]).all()
    assert set(pd.read_csv(out / "firms.csv").columns) >= FIRM_COLUMNS
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 4 and len(manifest["scenario_hash"]) == 64
    assert manifest["command"].startswith("ecosim run ")  # `python -m ecosim` is `ecosim`
    assert {"ecosim", "mesa", "python"} <= set(manifest["versions"])
    assert manifest["git_commit"]
    timing = manifest["timing"]  # where the seconds went, and the firm-months they bought
    assert {"build_seconds", "simulate_seconds", "tables_seconds", "write_seconds"} <= set(timing)
    assert timing["firm_months"] == pd.read_csv(out / "timeseries.csv")["firms_active"].sum()
    graph = json.loads((out / "lineage.json").read_text())
    assert {"nodes", "links"} <= set(graph)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["firms_active"] == pd.read_csv(out / "timeseries.csv")["firms_active"].iloc[-1]
    assert (out / "overview.png").stat().st_size > 10_000


def test_until_shortens_the_run(tmp_path):
    done = ecosim("run", str(TINY), "--until", "1981", "--out", str(tmp_path / "r"), "--quiet")
    assert done.returncode == 0, done.stderr
    assert len(pd.read_csv(tmp_path / "r" / "timeseries.csv")) == 24


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            f"extends: {TINY}\nfactors: {{hub_leadership: 1.7}}\n",
            "factors.hub_leadership: must be <= 1.0, got 1.7",
        ),
        (f"extends: {TINY}\nbanana: 1\n", "banana: unknown field"),
        ("name: [oops\n", "broken YAML"),
        ("extends: nowhere.yaml\n", "extends: file not found"),
        (f"extends: {TINY}\nlisting_market: mars\n", "listing_market: no series for 'mars'"),
        (
            f"extends: {TINY}\nlisting_market_share: 0.3\n",
            "listing_market_share: a share of the country's companies needs a listing_market",
        ),
        (
            f"extends: {TINY}\nlisting_market: jp\nlisting_market_share: 1\n",
            "listing_market_share: must be < 1",
        ),
        (f"extends: {TINY}\nlabour_mobility: 0\n", "labour_mobility: must be > 0.0, got 0"),
        (
            f"extends: {TINY}\npolicies: [{{name: Labs, year: 1981, budget_musd: 5, channel: shared_labs}}]\n",
            "policies[0].year: its shared_labs budget is spent through the hubs from 1981, before the first "
            "opens ('Tiny Hub', 1983)",
        ),
    ],
)
def test_bad_scenario_exits_2_with_one_line_and_writes_nothing(tmp_path, content, expected):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    out = tmp_path / "out"
    done = ecosim("run", str(bad), "--out", str(out))
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {bad}: ")
    assert expected in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not out.exists()
    assert not list(tmp_path.glob(".out*"))


def test_until_outside_the_run_is_bad_input(tmp_path):
    done = ecosim("run", str(TINY), "--until", "1900", "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "--until" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "o").exists()


def test_validate_reports_each_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {TINY}\nstart_year: soon\n")
    done = ecosim("validate", str(TINY), str(bad))
    assert done.returncode == 2
    assert f"ok: {TINY}" in done.stdout
    assert f"error: {bad}: start_year:" in done.stderr


def test_missing_file_and_unknown_option():
    done = ecosim("run", "does/not/exist.yaml")
    assert done.returncode == 2 and "file not found" in done.stderr
    done = ecosim("run", str(TINY), "--bogus")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_a_run_without_any_firm_still_summarises(tmp_path):
    # A region with nobody in it: the summary of an empty firm table used to raise (Kobe's first
    # year, on 12cc608).
    empty = tmp_path / "empty.yaml"
    empty.write_text(
        f"extends: {TINY}\ninstitutions: []\nhubs: []\nincubators: []\nvcs: []\nanchors: []\n"
        "events: []\npolicies: []\npharma: [{name: Big Pharma}]\nfactors: {diverse_players: 0.0}\n"
    )
    done = ecosim("run", str(empty), "--until", "1980", "--out", str(tmp_path / "k"), "--quiet")
    assert done.returncode == 0, done.stderr
    assert "firms active at the end          0" in done.stdout
    assert json.loads((tmp_path / "k" / "summary.json").read_text())["largest_lineage"] == 0
    # No lineage, no root to name ("rooted in ; " before).
    assert "  largest lineage                  0  firms; deepest generation 0\n" in done.stdout


def test_the_run_summary_s_foundings_add_up_and_its_end_is_a_month(tmp_path):
    """The foundings left out the anchors (17 founded: academic 16, spinout 0, release 0), and
    summary.json's end_year 1981.9167 beside a header of 1980-1981 said nothing of a month.
    """
    done = ecosim("run", str(TINY), "--until", "1981", "--out", str(tmp_path / "r"), "--quiet")
    assert done.returncode == 0, done.stderr
    founded = re.search(
        r"startups founded +([\d,]+)  \(academic ([\d,]+), spinout ([\d,]+), release ([\d,]+), "
        r"anchors ([\d,]+)\)",
        done.stdout,
    )
    assert founded, done.stdout
    total, *parts = (int(n.replace(",", "")) for n in founded.groups())
    assert total == sum(parts) and parts[-1] == 1  # the tiny scenario's one anchor, Anchorgen
    summary = json.loads((tmp_path / "r" / "summary.json").read_text())
    assert summary["founded_anchor"] == 1
    assert summary["startups_founded"] == sum(
        summary[f"founded_{c}"] for c in ("academic", "spinout", "release", "anchor")
    )
    assert summary["last_month"] == "1981-12" and summary["end_year"] == pytest.approx(
        1981 + 11 / 12, abs=1e-4
    )
    assert done.stdout.startswith("Tiny, 1980-1981\n")


def test_the_run_summary_prints_every_count_with_a_thousands_separator():
    """A tiny run counts no thousand of anything but employment: the format is tested alone."""
    from ecosim.commands.run import format_summary

    counts = dict.fromkeys(
        (
            "firms_active", "startups_active", "pharma_sites", "employment", "startups_founded",
            "founded_academic", "founded_spinout", "founded_release", "founded_anchor", "relocations",
            "exits_acquired", "exits_ipo", "failures", "largest_lineage", "max_generation",
        ),
        1167,
    )  # fmt: skip
    summary = {
        **counts,
        "scenario": "Big",
        "start_year": 1978,
        "end_year": 1990.9167,
        "vc_invested_musd": 1167.0,
        "largest_lineage_root": "Genentech",
    }
    lines = format_summary(summary).splitlines()
    assert lines[0] == "Big, 1978-1990"
    body = "\n".join(lines[1:])
    assert "1167" not in body and body.count("1,167") == len(counts) + 1, body


@pytest.mark.parametrize("where", ["policies", "levers"])
def test_a_fund_opening_in_the_first_month_runs(tmp_path, where):
    fund = {"name": "Seed fund", "year": 1980, "channel": "vc_fund", "budget_musd": 100}
    content = {"extends": str(TINY)}
    if where == "policies":
        content["policies"] = [fund]
    else:
        content["levers"] = {"fund": {**fund, "enabled": True}}
    scenario = tmp_path / "fund.yaml"
    scenario.write_text(json.dumps(content))
    done = ecosim("run", str(scenario), "--until", "1980", "--out", str(tmp_path / "o"), "--quiet")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("kind", ["file", "under a file", "unwritable"])
def test_a_bad_out_is_refused_before_the_run(tmp_path, kind):
    afile = tmp_path / "afile"
    afile.write_text("keep me")
    out = {"file": afile, "under a file": afile / "sub", "unwritable": Path("/sys/ecosim-out")}[kind]
    done = ecosim("run", str(TINY), "--out", str(out), "--quiet")
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"error: {out}: --out: ")
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert afile.read_text() == "keep me"
    assert _leftovers(tmp_path) == [] and not Path("/sys/ecosim-out").exists()


def one_arm_spec(folder: Path) -> Path:
    """A sweep spec of one arm and one run of the tiny scenario, written into ``folder``."""
    spec = folder / "spec.yaml"
    design = {"type": "arms", "arms": [{"name": "baseline"}]}
    spec.write_text(
        json.dumps({"name": "t", "base": str(TINY), "replications": 1, "root_seed": 1, "design": design})
    )
    return spec


def test_sweep_report_and_lineage_refuse_a_bad_out(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("keep me")
    run_dir = tmp_path / "run"
    assert ecosim("run", str(TINY), "--until", "1981", "--out", str(run_dir), "--quiet").returncode == 0
    spec = one_arm_spec(tmp_path)
    folder_png = tmp_path / "folder.png"  # a folder with a PNG's name: refused as a folder
    folder_png.mkdir()
    for argv in (
        ["sweep", str(spec), "--out", str(afile)],
        ["report", str(run_dir), "--out", str(afile)],
        ["lineage", str(run_dir), "--out", str(afile / "tree.png")],
        ["lineage", str(run_dir), "--out", str(folder_png)],
    ):
        done = ecosim(*argv)
        assert done.returncode == 2, (argv, done.stderr)
        assert "--out: " in done.stderr and "Traceback" not in done.stderr, argv
        assert len(done.stderr.strip().splitlines()) == 1, argv
    assert afile.read_text() == "keep me"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("link", ["dangling", "under a dangling link", "loop"])
def test_a_link_that_leads_nowhere_is_refused_before_the_work(tmp_path, link):
    """A link to a folder not made yet (or a loop) passed as --out: Path.exists() says no, so the
    run used to go to its end, then fail to make the folder with a traceback and leave its
    staging folder behind."""
    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    (tmp_path / "out").symlink_to(tmp_path / "later")
    out = {"dangling": "out", "under a dangling link": "out/sub", "loop": "loop1/x"}[link]
    spec = one_arm_spec(tmp_path)
    culprit = out.split("/")[0]
    for argv in (
        ["run", str(TINY), "--until", "1980", "--out", out, "--quiet"],
        ["sweep", str(spec), "--out", out, "--quiet"],
        ["report", str(tmp_path), "--out", out],
    ):
        done = ecosim(*argv, cwd=tmp_path)
        assert done.returncode == 2, (argv, done.stderr)
        assert done.stderr.startswith(f"error: {out}: --out: "), done.stderr
        assert "is a symbolic link that cannot be followed" in done.stderr, done.stderr
        assert (culprit in done.stderr.split("--out: ")[1]) == (culprit != out), done.stderr
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert _leftovers(tmp_path) == [] and not (tmp_path / "later").exists()


@pytest.mark.parametrize("kind", ["name", "name under a new folder", "path"])
def test_a_name_too_long_is_refused_before_the_run(tmp_path, kind):
    (tmp_path / "made").mkdir()
    out = {
        "name": "made/" + "a" * 300,
        "name under a new folder": "new/" + "a" * 300 + "/x",
        "path": "made/" + "/".join(["d" * 200] * 25),
    }[kind]
    done = ecosim("run", str(TINY), "--until", "1980", "--out", out, "--quiet", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: made/" if kind != "name under a new folder" else "error: new/")
    assert "--out: " in done.stderr and (
        "more than the file system allows (255)" in done.stderr or "File name too long" in done.stderr
    )
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["made"]


def test_a_long_name_the_file_system_takes_is_written(tmp_path):
    """250 characters is a legal name; its staging folder's name clips it (atomic.NAME_CHARS),
    so the added characters do not push that name past the limit after the run."""
    out = tmp_path / ("b" * 250)
    done = ecosim("run", str(TINY), "--until", "1980", "--out", str(out), "--quiet")
    assert done.returncode == 0, done.stderr
    assert (out / "summary.json").exists() and _leftovers(tmp_path) == []
    tree = tmp_path / ("c" * 251 + ".png")
    done = ecosim("lineage", str(out), "--out", str(tree))
    assert done.returncode == 0, done.stderr
    assert tree.exists() and _leftovers(tmp_path) == []


def test_a_killed_runs_staging_folder_is_cleaned_by_the_next_run(tmp_path):
    out = tmp_path / "out"
    killed = tmp_path / ".out.staging-99999999-abcd"  # no such process: a SIGKILLed run left it
    older = tmp_path / ".out.staging-k2j4h5g6"  # the naming before staging folders named their process
    for stage in (killed, older):
        stage.mkdir()
        (stage / "timeseries.csv").write_text("half")
    done = ecosim("run", str(TINY), "--until", "1980", "--out", str(out), "--quiet")
    assert done.returncode == 0, done.stderr
    assert _leftovers(tmp_path) == []
    assert (out / "summary.json").exists()


@pytest.mark.parametrize("argv", [["--help"], ["validate", str(TINY)]])
def test_the_parser_and_validate_load_no_heavy_library(argv):
    """`ecosim --help` and `ecosim validate` answer without the model or its libraries: the
    parser imports a sub-command's module only when that sub-command runs (speed is measured in
    benchmarks/, this checks the cause)."""
    code = (
        "import sys\n"
        "from ecosim.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'mesa', 'pandas', 'matplotlib', 'networkx', 'scipy', 'pyarrow'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr


def test_the_command_line_ends_without_tearing_the_interpreter_down(tmp_path):
    """`python -m ecosim` ends its process at once after the command (cli.exit_now): the output
    is flushed and atexit handlers run, but the interpreter's teardown, which took 0.8-1.9 s
    after a Greater Tokyo run (benchmarks/README.md, fourth round), is skipped; the exit code is
    the command's. The objects its imports made are frozen out of the garbage collector's sight
    (cli._kept_for_good)."""
    code = (
        "import atexit, gc, sys\n"
        "class Witness:\n"
        "    def __del__(self):\n"
        "        sys.stderr.write('torn down\\n')\n"
        "witness = Witness()\n"
        # A file left open and unflushed is written out only by the interpreter's teardown.
        "unflushed = open(sys.argv.pop(), 'w')\n"
        "unflushed.write('torn down')\n"
        "atexit.register(lambda: sys.stderr.write(f'atexit ran, {gc.get_freeze_count()} frozen\\n'))\n"
        "sys.argv = ['ecosim', *sys.argv[1:]]\n"
        "from ecosim.cli import entry\n"
        "entry()\n"
    )
    for scenario, status, said in ((TINY, 0, "ok: "), (ROOT / "no-such.yaml", 2, "")):
        witness = tmp_path / f"teardown-{status}.txt"
        done = subprocess.run(
            [sys.executable, "-c", code, "validate", str(scenario), str(witness)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == status, done.stderr
        assert done.stdout.startswith(said), done.stdout  # flushed into a pipe before the end
        assert "atexit ran" in done.stderr and "torn down" not in done.stderr, done.stderr
        assert witness.read_text() == "", "the interpreter was torn down"
        assert int(done.stderr.split("atexit ran, ")[1].split()[0]) > 1000, done.stderr


def test_main_in_a_process_of_its_callers_freezes_nothing(capsys):
    """`main` called by others (the tests, a notebook) leaves their garbage collector alone."""
    import gc

    frozen = gc.get_freeze_count()
    assert main(["validate", str(TINY)]) == 0
    assert gc.get_freeze_count() == frozen and gc.isenabled()


def test_mesa_is_imported_near_the_top_of_the_call_stack():
    """Importing mesa.model walks the call stack (mesa_logging.create_module_logger calls
    inspect.stack(), which looks every frame up among all loaded modules): ecosim.runner imports
    Mesa before the chain through metrics, agents and branch, so the walk is half as long."""
    code = (
        "import inspect, sys\n"
        "walk = inspect.stack\n"
        "def counted(*args, **kwargs):\n"
        "    frames = walk(*args, **kwargs)\n"
        "    print(len(frames), file=sys.stderr)\n"
        "    return frames\n"
        "inspect.stack = counted\n"
        "from ecosim.cli import build_parser\n"
        "build_parser('run')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert 0 < int(done.stderr.split()[0]) <= 40, done.stderr
