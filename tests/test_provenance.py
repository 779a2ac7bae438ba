"""A manifest's commit says which code ran: outputs written beside it do not make it dirty.

A store's key says which model code ran: a change to an analysis keeps the stored runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, TINY

from ecosim import calibrate, engine, sweep
from ecosim.provenance import OUTSIDE_RUNS, checkout_commit, is_hashed_module, run_code_digest


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def _checkout(root: Path) -> str:
    for folder in ("src", "results", "runs"):
        (root / folder).mkdir()
        (root / folder / "a.txt").write_text("one\n")
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start")
    return checkout_commit(root)


def test_a_clean_checkout_has_a_bare_commit(tmp_path: Path) -> None:
    commit = _checkout(tmp_path)
    assert len(commit) == 40 and not commit.endswith("-dirty")


def test_changed_outputs_leave_the_commit_clean(tmp_path: Path) -> None:
    commit = _checkout(tmp_path)
    (tmp_path / "results" / "a.txt").write_text("two\n")
    (tmp_path / "runs" / "a.txt").write_text("two\n")
    assert checkout_commit(tmp_path) == commit


def test_changed_code_makes_it_dirty(tmp_path: Path) -> None:
    commit = _checkout(tmp_path)
    (tmp_path / "src" / "a.txt").write_text("two\n")
    assert checkout_commit(tmp_path) == commit + "-dirty"


def test_outside_a_checkout_the_commit_is_unknown(tmp_path: Path) -> None:
    assert checkout_commit(tmp_path) == "unknown"


def test_the_run_code_digest_skips_what_runs_never_execute(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    for name in ("model.py", "report.py", "viz/app.py", "data/targets.csv"):
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text("one\n")
    digest = run_code_digest.__wrapped__  # the cached one would answer from memory
    before = digest(package)
    (package / "report.py").write_text("two\n")
    (package / "viz" / "app.py").write_text("two\n")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "model.cpython-312.pyc").write_bytes(b"\0")
    assert digest(package) == before
    (package / "data" / "targets.csv").write_text("two\n")
    after_data = digest(package)
    assert after_data != before
    (package / "model.py").write_text("two\n")
    assert digest(package) != after_data


# Run in a fresh process: every runner the package names, every output, a constant overridden
# (the path a calibration takes); prints the ecosim modules the runs imported.
_RUNS_IMPORT = """
import sys
from ecosim.engine import OUTPUTS, Run, execute
from ecosim.scenario import load
scenario = load(sys.argv[1])
for runner in sys.argv[2:]:
    outcome = execute(Run(scenario, seed=1, until=1979, outputs=OUTPUTS, runner=runner,
                          constants=(("spinout_rate", 0.01),)))
    assert outcome.ok, outcome.error
print(" ".join(m for m in sys.modules if m.startswith("ecosim.")))
"""


def test_no_runner_executes_a_module_the_run_digest_skips() -> None:
    # Every runner the package's code names (a new one is checked as soon as it is written).
    named = {
        m.group(1)
        for path in (ROOT / "src" / "ecosim").rglob("*.py")
        for m in re.finditer(r'"(ecosim(?:\.\w+)+:\w+)"', path.read_text(encoding="utf-8"))
    }
    runners = sorted(named)
    assert {engine.DEFAULT_RUNNER, calibrate.CLUSTER_RUNNER, sweep.ANCHOR_RUNNER} <= named
    loaded = subprocess.run(
        [sys.executable, "-c", _RUNS_IMPORT, str(ROOT / "scenarios" / "san_diego.yaml"), *runners],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "ecosim.model" in loaded
    assert [m for m in loaded if not is_hashed_module(m)] == []


def _module_name(path: Path, package: Path) -> str:
    return ".".join(("ecosim", *path.relative_to(package).with_suffix("").parts)).removesuffix(".__init__")


def _imports(path: Path, package: Path) -> set[str]:
    """Every module ``path`` imports, at any depth (inside functions too), as a dotted name;
    ``from X import name`` also counts ``X.name`` (it may be a module)."""
    import ast

    own = _module_name(path, package)
    own_package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = own_package.rsplit(".", node.level - 1)[0] if node.level > 1 else own_package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {name.removesuffix(".__init__") for name in found}


def test_no_module_a_run_reads_imports_one_the_run_digest_skips() -> None:
    package = ROOT / "src" / "ecosim"
    for name in OUTSIDE_RUNS:  # a renamed module must not drop out of the list unseen
        assert (package / name).exists(), name
    hashed = [p for p in package.rglob("*.py") if is_hashed_module(_module_name(p, package))]
    assert package / "model.py" in hashed and package / "report.py" not in hashed
    offending = {
        f"{p.relative_to(package)} imports {name}"
        for p in hashed
        for name in _imports(p, package)
        if name.startswith("ecosim.") and not is_hashed_module(name)
    }
    assert offending == set()


def test_a_store_refuses_runs_whose_code_its_key_does_not_cover(tmp_path: Path) -> None:
    from ecosim.scenario import load
    from ecosim.store import RunStore

    scenario = load(TINY)
    for runner in ("ecosim.stylized:anything", "mypackage.models:run"):
        with pytest.raises(ValueError, match="model runners only"):
            engine.run_stored(
                [engine.Run(scenario, 1, runner=runner)], engine.SerialExecutor(), RunStore(tmp_path)
            )


def test_a_run_s_key_holds_the_libraries_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    import ecosim.provenance
    from ecosim.scenario import load

    run = engine.Run(load(TINY), 1)
    before = run.digest(code=True)
    real = ecosim.provenance.versions()
    monkeypatch.setattr(ecosim.provenance, "versions", lambda: {**real, "mesa": "9.9.9"})
    assert run.digest(code=True) != before
    assert run.digest() == engine.Run(run.scenario, 1).digest()  # without code, as before
