"""The results store: atomic run files, resume state, stale temporaries, loading."""

from __future__ import annotations

import pandas as pd

from ecosim.store import RunStore, encode_run, read_metadata, read_run


def _table() -> pd.DataFrame:
    return pd.DataFrame({"year": [2021, 2022], "startups_founded": [3.0, 4.0]})


def test_encoding_is_deterministic_and_round_trips(tmp_path):
    meta = {"run_id": "x", "digest": "d", "status": "ok", "summary": {"largest_lineage": 4}}
    assert encode_run(_table(), meta) == encode_run(_table(), dict(reversed(meta.items())))
    store = RunStore(tmp_path)
    path = store.write_run("x", _table(), meta)
    table, back = read_run(path)
    assert table.equals(_table())
    assert back == meta == read_metadata(path)


def test_write_leaves_no_temporary_files(tmp_path):
    store = RunStore(tmp_path)
    store.write_run("a", _table(), {"run_id": "a", "digest": "1", "status": "ok"})
    assert [p.name for p in (tmp_path / "runs").iterdir()] == ["a.parquet"]


def test_finished_lists_readable_runs_and_skips_broken_ones(tmp_path):
    store = RunStore(tmp_path)
    assert store.finished() == {}
    store.write_run("a", _table(), {"run_id": "a", "digest": "1", "status": "ok"})
    store.write_run("b", _table(), {"run_id": "b", "digest": "2", "status": "error"})
    (tmp_path / "runs" / "c.parquet").write_bytes(b"PAR1 truncated by a crash")
    assert store.finished() == {
        "a": {"digest": "1", "status": "ok"},
        "b": {"digest": "2", "status": "error"},
    }


def test_stale_temporaries_of_a_killed_writer_are_removed(tmp_path):
    store = RunStore(tmp_path)
    store.write_run("a", _table(), {"run_id": "a", "digest": "1", "status": "ok"})
    (tmp_path / "runs" / ".b.parquet.k3j2.tmp").write_bytes(b"half")
    assert store.remove_stale() == 1
    assert [p.name for p in (tmp_path / "runs").iterdir()] == ["a.parquet"]


def test_manifest_log_and_load(tmp_path):
    store = RunStore(tmp_path)
    assert store.read_manifest() is None
    store.write_manifest({"spec": {"name": "x"}})
    assert store.read_manifest() == {"spec": {"name": "x"}}
    store.log({"run_id": "a", "seconds": 1.5})
    assert '"host"' in (tmp_path / "log.jsonl").read_text()
    for rep, status in ((0, "ok"), (1, "error")):
        meta = {
            "run_id": f"r{rep}",
            "digest": "d",
            "status": status,
            "error": None,
            "arm": {"name": "base", "index": 0},
            "replication": rep,
            "summary": {"largest_lineage": 5, "scenario": "text is not a column"},
        }
        store.write_run(f"r{rep}", _table() if status == "ok" else _table().iloc[:0], meta)
    runs, yearly = store.load()
    assert runs["status"].tolist() == ["ok", "error"]
    assert runs["summary.largest_lineage"].tolist() == [5, 5]
    assert "summary.scenario" not in runs.columns
    assert len(yearly) == 2 and set(yearly["run_id"]) == {"r0"}
