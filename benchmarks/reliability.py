"""Reliability figures: bad input, kills, lost or duplicated runs, and memory at the limits.

Usage: python benchmarks/reliability.py [--mutations N] [--kills N] [--long]

Tries, through the real command line:

* **bad input**: a corpus of careless and hostile inputs (each a separate ``python -m ecosim``
  with its peak memory measured), then N random mutations of a scenario and of a sweep spec
  (in-process through ``ecosim.cli.main``, an exception escaping it counted as a traceback).
  A good answer is exit code 2 and one ``error:`` line without control characters.
* **kills**: SIGKILL of a sweep at random moments (resumed each time), SIGKILL of ``ecosim run``
  while it works or writes, SIGTERM and SIGINT of both; a kill is survived when the next command
  completes and the final files equal those of an uninterrupted run.
* **runs lost or duplicated**: planned runs missing after the last resume, and runs stored more
  than once (two records of one run in the sweep log).
* **peak memory** of the largest inputs the limits (``ecosim.limits``) allow: grid, file, design,
  and with ``--long`` a Greater Tokyo run stopped by the firm limit (2-3 minutes more).

Writes benchmarks/reliability.json and prints the table the README's "Reliability" section shows.
Takes 10-20 minutes on 2 shared cores (plus ``--long``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import random
import signal
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from ecosim import limits
from ecosim.cli import main

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from measured import run_measured  # noqa: E402 - the tests' helper, found through the line above

TINY = ROOT / "tests" / "data" / "tiny.yaml"
TOKYO = ROOT / "scenarios" / "greater_tokyo.yaml"
OUT = ROOT / "benchmarks" / "reliability.json"
COMMAND_TIMEOUT = 600  # seconds: a command that has not ended by then counts as a failure
GOOD_EXIT = 2


@dataclass
class Outcome:
    """One command of the corpus: how it ended, what it said, what it cost."""

    name: str
    returncode: int
    stderr: str
    peak_mb: float
    seconds: float
    stdout: str = ""

    @property
    def traceback(self) -> bool:
        """Whether a traceback reached the user."""
        return "Traceback" in self.stderr

    @property
    def one_clean_line(self) -> bool:
        """Exit 2 and exactly one ``error:`` line, short, without control characters."""
        lines = [line for line in self.stderr.splitlines() if not line.startswith("warning:")]
        return (
            self.returncode == GOOD_EXIT
            and len(lines) == 1
            and lines[0].startswith("error: ")
            and len(lines[0]) <= limits.MESSAGE_CHARS * 3
            and not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in lines[0])
        )


def ecosim(name: str, *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Outcome:
    """Run ``python -m ecosim ARGS`` to its end, measured."""
    done = run_measured([sys.executable, "-m", "ecosim", *args], cwd, env, COMMAND_TIMEOUT)
    return Outcome(name, done.returncode, done.stderr, done.peak_mb, done.seconds, done.stdout)


def write(path: Path, text: str | bytes) -> Path:
    """Write a file of the corpus and return its path."""
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogatepass"))
    return path


def spec_text(**fields: Any) -> str:
    """A sweep spec of ecosim's runner on the tiny scenario, one short run."""
    spec = {
        "name": "r",
        "base": str(TINY),
        "until": 1980,
        "replications": 1,
        "root_seed": 1,
        "design": {"type": "arms", "arms": [{"name": "baseline"}]},
        **fields,
    }
    return yaml.safe_dump(spec)


def bomb(levels: int) -> str:
    """A billion-laughs document: ``levels`` levels of ten aliases each."""
    names = "abcdefghij"
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip(names, names[1:levels], strict=False):
        text += f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]\n"
    return text, names[levels - 1]


def corpus(folder: Path) -> list[tuple[str, list[str]]]:
    """Careless and hostile inputs, each a command line (files written into ``folder``)."""
    f = folder
    t = f"extends: {TINY}\n"
    laughs, top = bomb(9)
    for i in range(1100):
        write(f / f"chain{i}.yaml", f"extends: chain{i + 1}.yaml\n" if i < 1099 else t)
    (f / "adir").mkdir()
    write(f / "afile", "keep")
    run_dir = f / "empty_run"
    run_dir.mkdir()
    write(run_dir / "lineage.json", '{"nodes": [], "links": []}')
    write(run_dir / "firms.csv", "\n")
    sweep_dir = f / "fake_sweep"
    (sweep_dir / "runs").mkdir(parents=True)
    write(sweep_dir / "manifest.json", '{"spec": {"name": ')
    write(sweep_dir / "runs" / "a0000-r0000-baseline.parquet", b"PAR1" + os.urandom(200))
    made_by_run = f / "made_by_run"  # a folder of each command, known by its manifest's mark
    made_by_run.mkdir()
    write(made_by_run / "manifest.json", '{"scenario_hash": "0"}')
    made_by_sweep = f / "made_by_sweep"
    made_by_sweep.mkdir()
    write(made_by_sweep / "manifest.json", '{"spec_digest": "0"}')
    (f / "adir.png").mkdir()
    sweep2 = f / "fake_sweep2"
    (sweep2 / "runs").mkdir(parents=True)
    write(sweep2 / "manifest.json", "[1, 2, 3]")
    files = {
        "empty": "",
        "top-level list": "- 1\n- 2\n",
        "binary": os.urandom(4096),
        "nul byte": t + "name: a\x00b\n",
        "not utf-8": t.encode() + b"name: \xff\xfe\n",
        "python tag": t + "name: !!python/object/apply:os.system ['true']\n",
        "broken yaml": "name: [oops\n",
        "tab indent": t + "region:\n\twidth_km: 3\n",
        "5000-digit integer": t + f"start_year: {'9' * 5000}\n",
        "5000-digit float": t + f"start_year: {'9' * 5000}.5\n",
        "nesting 5000": "name: " + "[" * 5000 + "]" * 5000 + "\n",
        "mapping nesting 2000": "name: " + "{a: " * 2000 + "1" + "}" * 2000 + "\n",
        "alias bomb in name": t + laughs + f"name: *{top}\n",
        "alias bomb in founders": t + laughs + "anchors: [{name: A, year: 1980, lat: 32.88, lon: -117.234, "
        f"founders: *{top}}}]\nevents: []\n",
        "alias bomb in an unknown key": t + laughs + f"zzz: *{top}\n",
        "self-referencing alias": t + "name: &x [*x]\n",
        "alias chain deeper than the text": t
        + "a0: &a0 [1]\n"
        + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 300))
        + "name: *a299\n",
        "over the size limit": t + "# padding\n" * (limits.MAX_FILE_BYTES // 10 + 1),
        "duplicate key": t + "name: a\nname: b\n",
        "key with newline and ANSI": t + '"ban\\nana\\e[31m\\e]0;owned\\a": 1\n',
        "value with ANSI": t + 'name: ["\\e[2J\\e[31mred"]\n',
        "100,000-character value": t + f'start_year: "{"x" * 100000}"\n',
        "NaN width": t + "region: {width_km: .nan}\n",
        "infinite budget": t + "policies: [{name: P, year: 1981, budget_musd: .inf}]\n",
        "negative width": t + "region: {width_km: -5}\n",
        "grid 400 x 400 km at 0.25 km": t + "region: {width_km: 400, height_km: 400, km_per_cell: 0.25}\n",
        "duplicate institution": t
        + "institutions:\n  - {name: U, kind: university, lat: 32.88, lon: -117.234}\n"
        "  - {name: U, kind: hospital, lat: 32.87, lon: -117.22}\nanchors: []\nevents: []\n",
        "duplicate hub": t + "hubs:\n  - {name: H, lat: 32.88, lon: -117.22, founded: 1983}\n"
        "  - {name: H, lat: 32.88, lon: -117.22, founded: 1984}\n",
        "duplicate anchor": t + "anchors:\n  - {name: G, year: 1980, lat: 32.88, lon: -117.234}\n"
        "  - {name: G, year: 1981, lat: 32.88, lon: -117.234}\nevents: []\n",
        "event before its anchor": t
        + "events:\n  - {year: 1980, month: 1, kind: closure, target: Anchorgen}\n",
        "extends itself": "extends: self.yaml\n",
        "extends a folder": "extends: adir\n",
        "extends a number": "extends: 5\n",
        "extends with NUL": 'extends: "a\\0b"\n',
        "extends /dev/zero": "extends: /dev/zero\n",
        "unknown currency": t + "vcs: [{name: V, lat: 32.89, lon: -117.23, founded: 1980, "
        "capital_musd: {amount: 5, currency: XYZ, year: 1990}}]\n",
    }
    for name, text in files.items():
        write(f / f"{abs(hash(name))}.yaml", text)
    cases = [
        (f"scenario: {name}", ["run", str(f / f"{abs(hash(name))}.yaml"), "--out", str(f / "o"), "--quiet"])
        for name in files
    ]
    specs = {
        "spec: LHS bounds NaN": spec_text(
            design={
                "type": "latin_hypercube",
                "samples": 4,
                "parameters": {"factors.information": {"low": 0, "high": math.nan}},
            }
        ),
        "spec: LHS 10^5 samples x 10^5 replications": spec_text(
            replications=100000,
            design={
                "type": "latin_hypercube",
                "samples": 100000,
                "parameters": {"factors.information": {"low": 0, "high": 1}},
            },
        ),
        "spec: factorial of 30 levers": spec_text(
            design={"type": "factorial", "levers": [f"l{i}" for i in range(30)]}
        ),
        "spec: factorial 7^5": spec_text(
            design={
                "type": "factorial",
                "parameters": {
                    f"factors.{n}": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
                    for n in (
                        "information",
                        "diverse_players",
                        "focused_projects",
                        "hub_leadership",
                        "cross_disciplinary_fusion",
                    )
                },
            }
        ),
        "spec: until before the start": spec_text(until=1970),
        "spec: runner os:system": spec_text(runner="os:system"),
        "spec: runner of a missing module": spec_text(runner="ecosim.nothing:run"),
        "spec: base /dev/zero": spec_text(base="/dev/zero"),
        "spec: base a folder": spec_text(base=str(f / "adir")),
        "spec: duplicate arms": spec_text(design={"type": "arms", "arms": [{"name": "x"}, {"name": "x"}]}),
        "spec: arm sets an unknown field": spec_text(
            design={"type": "arms", "arms": [{"name": "x", "set": {"zzz": 1}}]}
        ),
        "spec: design missing": spec_text(design={}),
        "spec: a metric listed twice": spec_text(metrics=["startups_founded", "startups_founded"]),
        "spec: a name that is a path": spec_text(name="../../escaped"),
    }
    for name, text in specs.items():
        path = write(f / f"{abs(hash(name))}.yaml", text)
        cases.append((name, ["sweep", str(path), "--out", str(f / "s"), "--workers", "1", "--quiet"]))
    good_spec = str(write(f / "good_spec.yaml", spec_text()))
    cases += [
        ("scenario: /dev/zero", ["run", "/dev/zero", "--out", str(f / "o")]),
        ("scenario: a folder", ["validate", str(f / "adir")]),
        ("scenario: missing", ["validate", str(f / "missing.yaml")]),
        ("extends chain of 1100 files", ["validate", str(f / "chain0.yaml")]),
        ("--seed -1", ["run", str(TINY), "--seed", "-1"]),
        ("--seed of 5000 digits", ["run", str(TINY), "--seed", "9" * 5000]),
        ("--until of 5000 digits", ["run", str(TINY), "--until", "9" * 5000]),
        ("--until 1900", ["run", str(TINY), "--until", "1900"]),
        ("--until with ANSI", ["run", str(TINY), "--until", "19\x1b[31m81"]),
        ("--out is a file", ["run", str(TINY), "--out", str(f / "afile")]),
        ("--out under a file", ["run", str(TINY), "--out", str(f / "afile" / "x")]),
        ("--out unwritable", ["run", str(TINY), "--out", "/sys/ecosim-out"]),
        ("unknown option", ["run", str(TINY), "--bogus"]),
        ("unknown command", ["bogus"]),
        ("sweep --workers -1", ["sweep", good_spec, "--workers", "-1"]),
        ("sweep --workers 0", ["sweep", good_spec, "--workers", "0"]),
        ("sweep --replications 0", ["sweep", good_spec, "--replications", "0"]),
        (
            "sweep --scheduler garbage://x",
            ["sweep", good_spec, "--scheduler", "garbage://x", "--out", str(f / "s")],
        ),
        ("sweep --scheduler tcp://", ["sweep", good_spec, "--scheduler", "tcp://", "--out", str(f / "s")]),
        ("sweep --out is a file", ["sweep", good_spec, "--out", str(f / "afile")]),
        ("report: truncated run and corrupt manifest", ["report", str(sweep_dir), "--out", str(f / "r")]),
        ("report: manifest not a mapping", ["report", str(sweep2), "--out", str(f / "r")]),
        ("report: not a sweep folder", ["report", str(f / "adir"), "--out", str(f / "r")]),
        ("report: --out is a file", ["report", str(sweep_dir), "--out", str(f / "afile")]),
        ("lineage: not a run folder", ["lineage", str(f / "adir")]),
        ("lineage: a run with no firm", ["lineage", str(run_dir)]),
        ("lineage: --out is a folder", ["lineage", str(run_dir), "--out", str(f / "adir.png")]),
        ("lineage: --out not a .png", ["lineage", str(run_dir), "--out", str(f / "tree.jpg")]),
        ("run --out ''", ["run", str(TINY), "--out", ""]),
        ("sweep --out ''", ["sweep", good_spec, "--out", ""]),
        ("run --out a sweep's folder", ["run", str(TINY), "--out", str(made_by_sweep)]),
        ("sweep --out a run's folder", ["sweep", good_spec, "--out", str(made_by_run)]),
        ("calibrate: --quick --install", ["calibrate", "--quick", "--install"]),
        ("viz: --port 0", ["viz", str(TINY), "--port", "0"]),
        ("calibrate: --seeds 0", ["calibrate", "--quick", "--seeds", "0"]),
    ]
    return cases


HOSTILE_VALUES: list[Any] = [
    None,
    -1,
    0,
    10**40,
    -(10**40),
    1e308,
    -1e308,
    math.nan,
    math.inf,
    True,
    "",
    "x" * 10000,
    "\x1b[31m\n",
    "\u202e",
    [],
    {},
    [[[[]]]],
    {"a": {"b": {"c": None}}},
    [None] * 50,
    "1980",
    1980.5,
    "2e3",
    {"amount": "x"},
]


def mutate(data: Any, rng: random.Random) -> Any:
    """One random change: replace, delete or add a value somewhere in a loaded YAML document."""
    data = json.loads(json.dumps(data))
    node = data
    for _ in range(rng.randint(0, 4)):
        children = (
            list(node.items())
            if isinstance(node, dict)
            else list(enumerate(node))
            if isinstance(node, list)
            else []
        )
        children = [(k, v) for k, v in children if isinstance(v, dict | list) and v]
        if not children:
            break
        node = rng.choice(children)[1]
    keys = list(node) if isinstance(node, dict) else list(range(len(node))) if isinstance(node, list) else []
    action = rng.random()
    if not keys or action < 0.15:
        if isinstance(node, dict):
            node[rng.choice(["zzz", "name", "year", "extends", "base", "design", "\x1b[31m"])] = rng.choice(
                HOSTILE_VALUES
            )
        elif isinstance(node, list):
            node.append(rng.choice(HOSTILE_VALUES))
    elif action < 0.3:
        del node[rng.choice(keys)]
    else:
        node[rng.choice(keys)] = rng.choice(HOSTILE_VALUES)
    return data


def mutations(count: int, folder: Path, seed: int = 1) -> dict[str, Any]:
    """Mutate the tiny scenario and a spec ``count`` times each; run each through cli.main."""
    rng = random.Random(seed)
    scenario = yaml.safe_load(TINY.read_text())
    spec = yaml.safe_load(
        spec_text(design={"type": "factorial", "parameters": {"factors.information": [0.2, 0.8]}})
    )
    tried = tracebacks = unclean = 0
    examples: list[str] = []
    for kind, base in (("scenario", scenario), ("spec", spec)):
        for i in range(count):
            path = folder / f"mut_{kind}_{i}.yaml"
            path.write_text(yaml.safe_dump(mutate(base, rng), allow_unicode=True), encoding="utf-8")
            # A spec that survives its checks would run: the bad scheduler stops it once planned.
            argv = (
                ["validate", str(path)]
                if kind == "scenario"
                else ["sweep", str(path), "--scheduler", "garbage://x", "--out", str(folder / "mut_out")]
            )
            err = io.StringIO()
            tried += 1
            try:
                with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                    code = main(argv)
            except SystemExit as exc:
                code = exc.code
            except Exception as exc:  # noqa: BLE001 - what escapes main is what the user sees as a traceback
                tracebacks += 1
                examples.append(f"{path.name}: {type(exc).__name__}: {str(exc)[:200]}")
                continue
            lines = err.getvalue().strip().splitlines()
            valid = kind == "scenario" and code == 0
            if not valid and (code != GOOD_EXIT or len(lines) != 1 or not lines[0].startswith("error: ")):
                unclean += 1
                examples.append(f"{path.name}: exit {code}: {err.getvalue()[:200]!r}")
    return {
        "tried": tried,
        "tracebacks": tracebacks,
        "not_one_clean_line": unclean,
        "examples": examples[:10],
    }


# --- kills ---------------------------------------------------------------------------------------


def kill_spec(folder: Path) -> Path:
    """20 runs of ecosim's runner (2 arms x 10 replications, 1980-1984 of the tiny scenario)."""
    return write(
        folder / "kill_spec.yaml",
        spec_text(
            until=1984,
            replications=10,
            design={"type": "factorial", "parameters": {"factors.information": [0.2, 0.8]}},
        ),
    )


def run_files(out: Path) -> dict[str, bytes]:
    """The run files of a sweep folder by name."""
    return {p.name: p.read_bytes() for p in sorted((out / "runs").glob("*.parquet"))}


def leftovers(folder: Path) -> list[str]:
    """Staging folders and temporary files a killed command left behind."""
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob(".*") if ".staging-" in p.name or p.suffix == ".tmp"
    )


def start(*args: str) -> subprocess.Popen:
    """Start ``python -m ecosim ARGS`` in a session of its own (its pool workers with it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "ecosim", *args],
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def end(process: subprocess.Popen, sig: int, after: float) -> tuple[bool, str]:
    """Send ``sig`` after ``after`` seconds if the command still runs; wait for it.

    Returns:
        Whether the signal was sent (the command had not finished), and its stderr.
    """
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=after)
    sent = process.poll() is None
    if sent:
        os.kill(process.pid, sig)
    process.wait(timeout=120)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # workers that outlived it, if any
    return sent, process.stderr.read().decode(errors="replace")


def stored_twice(out: Path) -> list[str]:
    """Runs the sweep log records as stored more than once (each stored run is logged once)."""
    stored: dict[str, int] = {}
    for line in (out / "log.jsonl").read_text().splitlines():
        event = json.loads(line)
        if event.get("status") in {"ok", "error"}:
            stored[event["run_id"]] = stored.get(event["run_id"], 0) + 1
    return sorted(run for run, times in stored.items() if times > 1)


def kills(count: int, folder: Path, seed: int = 2) -> dict[str, Any]:
    """Kill sweeps and runs at random moments; resume; compare with uninterrupted results.

    A sweep folder is killed and resumed until the sweep completes; then the next folder starts,
    until ``count`` signals have reached a running sweep. Every folder is checked against an
    uninterrupted sweep of the same spec.
    """
    rng = random.Random(seed)
    spec = kill_spec(folder)
    reference = folder / "reference"
    ecosim("reference sweep", "sweep", str(spec), "--out", str(reference), "--workers", "1", "--quiet")
    expected = run_files(reference)
    signals = [signal.SIGKILL, signal.SIGKILL, signal.SIGKILL, signal.SIGTERM, signal.SIGINT]
    sent: list[str] = []
    survived = tracebacks = 0
    lost: list[str] = []
    differ: list[str] = []
    duplicated: list[str] = []
    left: list[str] = []
    examples: list[str] = []
    rounds = 0
    while len(sent) < count:
        rounds += 1
        out = folder / f"killed{rounds}"
        argv = ["sweep", str(spec), "--out", str(out), "--workers", "2", "--quiet"]
        here = 0
        while len(sent) < count:
            sig = rng.choice(signals)
            was_sent, err = end(start(*argv), sig, rng.uniform(0.2, 5.0))
            tracebacks += "Traceback" in err
            examples += [err[-500:]] if "Traceback" in err else []
            if not was_sent:
                break  # the sweep completed before the signal: check this folder, start another
            sent.append(signal.Signals(sig).name)
            here += 1
        final = ecosim("resume", *argv)
        tracebacks += final.traceback
        got = run_files(out)
        lost += sorted(set(expected) - set(got))
        differ += sorted(name for name in expected if name in got and got[name] != expected[name])
        duplicated += stored_twice(out)
        left += leftovers(out)
        ok = (
            final.returncode == 0
            and set(got) == set(expected)
            and not stored_twice(out)
            and not leftovers(out)
        )
        survived += here if ok and all(got[name] == expected[name] for name in expected) else 0
    # ecosim run: killed while simulating or while writing its outputs, then run again.
    run_out = folder / "run_out"
    reference_run = folder / "run_reference"
    ecosim("reference run", "run", str(TINY), "--until", "1984", "--out", str(reference_run), "--quiet")
    run_kills = 0
    while run_kills < max(2, count // 2):
        sig = rng.choice(signals)
        was_sent, err = end(
            start("run", str(TINY), "--until", "1984", "--out", str(run_out), "--quiet"),
            sig,
            rng.uniform(0.2, 4.0),
        )
        tracebacks += "Traceback" in err
        examples += [err[-500:]] if "Traceback" in err else []
        if not was_sent:
            continue
        run_kills += 1
        sent.append(signal.Signals(sig).name)
        again = ecosim("rerun", "run", str(TINY), "--until", "1984", "--out", str(run_out), "--quiet")
        same = all(
            (run_out / name).read_bytes() == (reference_run / name).read_bytes()
            for name in ("timeseries.csv", "firms.csv", "deals.csv", "summary.json")
        )
        staging = list(run_out.parent.glob(f".{run_out.name}.staging-*"))
        survived += again.returncode == 0 and same and not staging
        tracebacks += again.traceback
    return {
        "kills": len(sent),
        "signals": {name: sent.count(name) for name in sorted(set(sent))},
        "survived": survived,
        "tracebacks": tracebacks,
        "sweep_folders": rounds,
        "planned_runs_per_sweep": len(expected),
        "runs_lost": len(lost),
        "runs_different": len(differ),
        "runs_duplicated": len(duplicated),
        "leftovers": left,
        "traceback_examples": examples[:5],
    }


# --- memory at the limits ------------------------------------------------------------------------


def largest(folder: Path, long: bool) -> dict[str, Any]:
    """Peak memory of the largest allowed grid, file and design (and firm count with ``long``)."""
    results: dict[str, Any] = {}
    side = int(math.isqrt(limits.MAX_GRID_CELLS))  # km at 1 km cells
    grid = write(
        folder / "largest_grid.yaml", f"extends: {TINY}\nregion: {{width_km: {side}, height_km: {side}}}\n"
    )
    run = ecosim("largest grid", "run", str(grid), "--until", "1980", "--out", str(folder / "g"), "--quiet")
    results["grid"] = {
        "cells": side * side,
        "command": "run, 12 months",
        "exit": run.returncode,
        "peak_mb": round(run.peak_mb),
        "seconds": run.seconds,
    }
    data = yaml.safe_load(TINY.read_text())
    inst = data["institutions"][0]
    data["institutions"] += [
        {**inst, "name": f"Lab {i}", "research_strength": 0.01, "talent_per_year": 1}
        for i in range(limits.MAX_FILE_BYTES // 130)
    ]
    text = yaml.safe_dump(data, width=10**6)
    while len(text.encode()) > limits.MAX_FILE_BYTES:
        data["institutions"].pop()
        text = yaml.safe_dump(data, width=10**6)
    big = write(folder / "largest_file.yaml", text)
    valid = ecosim("largest file", "validate", str(big))
    run = ecosim(
        "largest file run", "run", str(big), "--until", "1980", "--out", str(folder / "f"), "--quiet"
    )
    results["file"] = {
        "bytes": len(text.encode()),
        "institutions": len(data["institutions"]),
        "validate_peak_mb": round(valid.peak_mb),
        "validate_exit": valid.returncode,
        "run_12_months_peak_mb": round(run.peak_mb),
        "run_exit": run.returncode,
        "run_seconds": run.seconds,
    }
    samples = limits.MAX_SWEEP_ARMS - 1  # plus the baseline arm
    replications = limits.MAX_SWEEP_RUNS // limits.MAX_SWEEP_ARMS
    spec = write(
        folder / "largest_design.yaml",
        yaml.safe_dump(
            {
                "name": "largest",
                "base": str(TOKYO),
                "until": 2021,
                "replications": replications,
                "root_seed": 1,
                "design": {
                    "type": "latin_hypercube",
                    "samples": samples,
                    "parameters": {
                        "factors.information": {"low": 0, "high": 1},
                        "factors.diverse_players": {"low": 0, "high": 1},
                    },
                },
            }
        ),
    )
    # The bad scheduler stops the sweep once the whole run list is planned: the part that grows
    # with the design (each run then costs what one run costs).
    plan = ecosim(
        "largest design", "sweep", str(spec), "--scheduler", "garbage://x", "--out", str(folder / "d")
    )
    results["design"] = {
        "arms": samples + 1,
        "replications": replications,
        "runs": (samples + 1) * replications,
        "base": "greater_tokyo.yaml",
        "planning_peak_mb": round(plan.peak_mb),
        "planning_seconds": plan.seconds,
        "stopped_as_planned": "garbage://x" in plan.stderr,
    }
    if long:
        run = ecosim(
            "firm limit",
            "run",
            "scenarios/greater_tokyo.yaml",
            "--until",
            "2100",
            "--out",
            str(folder / "t"),
            "--quiet",
        )
        results["firms"] = {
            "scenario": "greater_tokyo.yaml to 2100",
            "limit": limits.MAX_FIRMS,
            "exit": run.returncode,
            "message": run.stderr.strip()[:300],
            "peak_mb": round(run.peak_mb),
            "seconds": run.seconds,
        }
    return results


def main_() -> int:
    """Run every part, write the JSON, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutations", type=int, default=300, help="mutations of each of scenario and spec")
    parser.add_argument(
        "--kills", type=int, default=10, help="signals sent to a sweep (and half as many to a run)"
    )
    parser.add_argument(
        "--long", action="store_true", help="also run Greater Tokyo to the firm limit (2-3 min)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ecosim-reliability-") as tmp:
        folder = Path(tmp)
        (folder / "corpus").mkdir()
        outcomes = [ecosim(name, *argv, cwd=folder / "corpus") for name, argv in corpus(folder / "corpus")]
        bad = [asdict(o) for o in outcomes if not o.one_clean_line]
        cases = [{"case": o.name, "exit": o.returncode, "peak_mb": round(o.peak_mb)} for o in outcomes]
        fuzz = mutations(args.mutations, folder)
        killed = kills(args.kills, folder)
        memory = largest(folder, args.long)
    report = {
        "bad_inputs": {
            "corpus": len(outcomes),
            "corpus_tracebacks": sum(o.traceback for o in outcomes),
            "corpus_not_one_clean_line": len(bad),
            "corpus_peak_mb_max": round(max(o.peak_mb for o in outcomes)),
            "corpus_seconds_max": max(o.seconds for o in outcomes),
            "corpus_failures": bad,
            "corpus_cases": cases,
            "mutations": fuzz,
        },
        "kills": killed,
        "largest_allowed": memory,
        "limits": {name: getattr(limits, name) for name in dir(limits) if name.isupper()},
    }
    previous = json.loads(OUT.read_text()) if OUT.exists() else {}
    if "firms" not in memory and "firms" in previous.get("largest_allowed", {}):
        report["largest_allowed"]["firms"] = previous["largest_allowed"]["firms"]  # kept from a --long run
    # No path of this machine in a committed file: the checkout is ".", the scratch folder <tmp>.
    text = json.dumps(report, indent=2, sort_keys=True, default=str) + "\n"
    OUT.write_text(text.replace(tmp, "<tmp>").replace(str(ROOT), "."), encoding="utf-8")
    print(summary(report))
    return 0


def summary(report: dict[str, Any]) -> str:
    """The figures as the README's table."""
    bad, kill, big = report["bad_inputs"], report["kills"], report["largest_allowed"]
    rows = [
        ("bad inputs tried (corpus, one process each)", f"{bad['corpus']}"),
        ("random mutations of a scenario and a spec", f"{bad['mutations']['tried']}"),
        ("... that gave a traceback", f"{bad['corpus_tracebacks'] + bad['mutations']['tracebacks']}"),
        (
            "... that gave anything but exit 2 and one clean `error:` line",
            f"{bad['corpus_not_one_clean_line'] + bad['mutations']['not_one_clean_line']}",
        ),
        ("peak memory of any corpus command", f"{bad['corpus_peak_mb_max']} MB"),
        ("kills (" + ", ".join(f"{n} {k}" for k, n in kill["signals"].items()) + ")", f"{kill['kills']}"),
        ("kills survived (next command completes, files equal an uninterrupted run)", f"{kill['survived']}"),
        (
            f"runs lost / duplicated / different ({kill['sweep_folders']} sweep(s) of "
            f"{kill['planned_runs_per_sweep']} runs, killed and resumed)",
            f"{kill['runs_lost']} / {kill['runs_duplicated']} / {kill['runs_different']}",
        ),
        (f"largest grid ({big['grid']['cells']:,} cells), a 12-month run", f"{big['grid']['peak_mb']} MB"),
        (
            f"largest file ({big['file']['bytes']:,} bytes, {big['file']['institutions']:,} institutions), "
            "a 12-month run",
            f"{big['file']['run_12_months_peak_mb']} MB",
        ),
        (
            f"largest design ({big['design']['arms']:,} arms x {big['design']['replications']} replications "
            f"of Greater Tokyo), planning",
            f"{big['design']['planning_peak_mb']} MB",
        ),
    ]
    if "firms" in big:
        rows.append(
            (
                f"Greater Tokyo to 2100, stopped at {big['firms']['limit']:,} firms",
                f"{big['firms']['peak_mb']} MB",
            )
        )
    return "\n".join(["| figure | value |", "| --- | ---: |", *(f"| {a} | {b} |" for a, b in rows)])


if __name__ == "__main__":
    sys.exit(main_())
