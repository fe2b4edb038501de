"""Partitioned runs (``-o FOLDER/``) without a cluster: planning, shards, clean-up.

The serial and processes executors write shards too, so these tests need no
Dask; tests/test_dask.py runs the same runs on a Dask cluster.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copydesk import ConfigError, Engine, InputError
from copydesk.executors import ProcessExecutor, SerialExecutor
from copydesk.io.sources import iter_documents
from copydesk.partitions import MANIFEST, plan_partitions, run_sharded

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "articles"


def _wire(path: Path, count: int) -> None:
    """Wire stories, a third without an id, with a blank line and a broken line inside."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            text = f"Story {n}: the harbour master said ships would wait {n % 7 + 1} days."
            doc = {"text": text} if n % 3 == 0 else {"id": f"s-{n}", "text": text}
            out.write(json.dumps(doc) + "\n")
            if n == count // 2:
                out.write("\n")
                out.write('{"id": "broken", "text": \n')


def _shards(folder: Path) -> dict:
    manifest = json.loads((folder / MANIFEST).read_text())
    seen: dict = {}
    for name in manifest["shards"]:
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            data = json.loads(line)
            doc_id = data["document"]["id"]
            assert doc_id not in seen, f"{doc_id} appears twice"
            seen[doc_id] = (data["metrics"], data["findings"])
    return seen


def test_cutting_a_jsonl_file_keeps_ids_line_numbers_and_errors(tmp_path):
    _wire(tmp_path / "wire.jsonl", 400)
    (tmp_path / "brief.txt").write_text("The mayor said it rained.", encoding="utf-8")
    readers = Engine(analyzers=["stats"]).host.readers()
    whole = [str(i) for i in iter_documents([str(tmp_path)], readers)]
    partitions, errors = plan_partitions([str(tmp_path)], readers, target_bytes=2048)
    assert not errors
    assert len(partitions) > 10
    assert sum(1 for p in partitions if p.byte_range) == len(partitions) - 1
    pieces = [str(item) for p in partitions for item in p.read(readers)]
    assert pieces == whole
    assert any(f"wire.jsonl:{400 // 2 + 3}: " in line for line in pieces)  # the broken line


def test_missing_inputs_and_stdin_are_reported_not_partitioned(tmp_path):
    readers = Engine(analyzers=["stats"]).host.readers()
    partitions, errors = plan_partitions(["-", str(tmp_path / "nope")], readers)
    assert partitions == []
    assert [e.source for e in errors] == ["-", str(tmp_path / "nope")]
    assert all(isinstance(e, InputError) for e in errors)


def test_processes_executor_writes_the_serial_results_as_shards(tmp_path):
    _wire(tmp_path / "wire.jsonl", 120)
    engine = Engine(analyzers=["stats"])
    expected = {
        item.document.id: (item.metrics, [f.model_dump(mode="json") for f in item.findings])
        for item in engine.analyze_many(
            iter_documents([str(tmp_path / "wire.jsonl")], engine.host.readers())
        )
        if not isinstance(item, InputError)
    }
    summary = run_sharded(
        [str(tmp_path / "wire.jsonl")],
        engine,
        tmp_path / "out",
        ProcessExecutor(2),
        target_bytes=1024,
    )
    assert summary.documents == 120
    assert summary.input_errors == 1
    assert len(json.loads((tmp_path / "out" / MANIFEST).read_text())["shards"]) > 4
    assert _shards(tmp_path / "out") == expected


def test_a_second_run_replaces_stale_shards_and_refuses_a_foreign_folder(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for n in range(6):
        (src / f"{n}.txt").write_text(f"Story {n}. The mayor said it rained.", encoding="utf-8")
    out = tmp_path / "out"
    engine = Engine(analyzers=["stats"])
    run_sharded([str(src)], engine, out, SerialExecutor(), target_bytes=1)
    assert len(json.loads((out / MANIFEST).read_text())["shards"]) == 6
    for n in range(3, 6):
        (src / f"{n}.txt").unlink()
    (out / ".part-00004.jsonl.tmpx").write_text("torn")  # a killed attempt's temporary file
    run_sharded([str(src)], engine, out, SerialExecutor(), target_bytes=1)
    assert sorted(_shards(out)) == [str(src / f"{n}.txt") for n in range(3)]
    assert sorted(p.name for p in out.iterdir()) == [
        MANIFEST,
        "part-00000.jsonl",
        "part-00001.jsonl",
        "part-00002.jsonl",
    ]
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(ConfigError, match="holds other files"):
        run_sharded([str(src)], engine, tmp_path / "mine", SerialExecutor())
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_cli_output_folder_with_the_serial_executor(tmp_path):
    from click.testing import CliRunner

    from copydesk.cli import cli

    result = CliRunner().invoke(
        cli, ["analyze", str(EXAMPLES), "-a", "stats", "-o", f"{tmp_path / 'res'}/"]
    )
    assert result.exit_code == 0, result.output
    assert "4 documents" in result.stderr
    assert len(_shards(tmp_path / "res")) == 4
    result = CliRunner().invoke(
        cli, ["analyze", str(EXAMPLES), "-a", "stats", "--scheduler", "tcp://127.0.0.1:1"]
    )
    assert result.exit_code == 2
    assert "name the executor with --executor" in result.stderr
