"""Table outputs (CSV, Parquet, SQLite), --resume, interruption, progress, to_frames.

The round trip: one corpus analyzed to JSONL, CSV, SQLite and Parquet, read back
with the standard library and pyarrow only, gives the same numbers and findings.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import copydesk
from copydesk import Document, Engine
from copydesk.cli import cli
from copydesk.config import CopydeskConfig
from copydesk.io.sinks import Output
from copydesk.progress import TerminalReporter
from copydesk.session import run as run_session
from corpus_files import STORIES

pq = pytest.importorskip("pyarrow.parquet")

# Long sentences are flagged from 6 words on, so headlines carry findings too.
ANALYZE = ["analyze", "-a", "stats", "--set", "stats.long_sentence_words=5"]


def write_corpus(path: Path, stories: list[tuple[str, str, str]] = STORIES) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "headline", "body", "desk"])
        for slug, title, body in stories:
            writer.writerow([slug, title, body, "metro"])
    return path


def analyze(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*ANALYZE, *args])
    return result.exit_code, result.stderr


def jsonl_results(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def finding_key(row: dict) -> tuple:
    return (row["document_id"], row["analyzer"], row["kind"], int(row["start"]), int(row["end"]))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus.csv")


def test_round_trip_csv_sqlite_parquet_match_jsonl(tmp_path, corpus):
    outputs = {
        "jsonl": tmp_path / "r.jsonl",
        "csv": tmp_path / "r.csv",
        "sqlite": tmp_path / "r.sqlite",
        "parquet": tmp_path / "r.parquet",
    }
    for name, out in outputs.items():
        extra = ["--findings-csv", str(tmp_path / "f.csv")] if name == "csv" else []
        code, err = analyze(str(corpus), "-o", str(out), *extra)
        assert code == 0, err
        assert err.splitlines()[-1].startswith("copydesk: 3 documents in ")

    expected = jsonl_results(outputs["jsonl"])
    metrics = {r["document"]["id"]: r["metrics"] for r in expected}
    findings = {
        (r["document"]["id"], f["analyzer"], f["kind"], f["start"], f["end"])
        for r in expected
        for f in r["findings"]
    }
    assert len(findings) >= 6

    with outputs["csv"].open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["id"] for r in rows] == list(metrics)
    for row in rows:
        for name, value in metrics[row["id"]].items():
            assert float(row[name]) == value
        assert row["stats.status"] == "ok"
    with (tmp_path / "f.csv").open(encoding="utf-8", newline="") as stream:
        assert {finding_key(r) for r in csv.DictReader(stream)} == findings

    assert not Path(f"{outputs['sqlite']}-wal").exists()  # one plain file after the run
    db = sqlite3.connect(outputs["sqlite"])
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    got = {}
    for doc_id, name, value in db.execute("SELECT document_id, name, value FROM metrics"):
        got.setdefault(doc_id, {})[name] = value
    assert got == metrics
    db.row_factory = sqlite3.Row
    assert {finding_key(dict(r)) for r in db.execute("SELECT * FROM findings")} == findings
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    assert db.execute("SELECT version FROM copydesk_schema").fetchone()[0] == 1
    (run,) = db.execute("SELECT documents, interrupted, analyzers FROM runs").fetchall()
    assert (run["documents"], run["interrupted"], json.loads(run["analyzers"])) == (3, 0, ["stats"])
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"findings_document", "findings_analyzer_kind", "metrics_name"} <= indexes

    documents = pq.read_table(outputs["parquet"] / "documents")
    assert str(documents.schema.field("stats.words").type) == "double"
    assert str(documents.schema.field("findings").type) == "int64"
    for row in documents.to_pylist():
        for name, value in metrics[row["id"]].items():
            assert row[name] == value
    table = pq.read_table(outputs["parquet"] / "findings")
    assert str(table.schema.field("start").type) == "int64"
    assert {finding_key(r) for r in table.to_pylist()} == findings


def test_headline_findings_are_marked_as_title(tmp_path, corpus):
    out = tmp_path / "r.csv"
    code, err = analyze(str(corpus), "-o", str(out), "--findings-csv", str(tmp_path / "f.csv"))
    assert code == 0, err
    with (tmp_path / "f.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    titles = [r for r in rows if r["part"] == "title"]
    assert [r["text"] for r in titles] == [s[1] for s in STORIES]  # 6, 9 and 7 words
    assert all(r["start"] == "0" for r in titles)
    assert {r["part"] for r in rows} == {"title", "body"}


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".sqlite", ".parquet"])
def test_resume_skips_what_is_done_and_appends_the_rest(tmp_path, suffix):
    first = write_corpus(tmp_path / "first.csv", STORIES[:2])
    everything = write_corpus(tmp_path / "all.csv", STORIES)
    out = tmp_path / f"results{suffix}"
    code, err = analyze(str(first), "-o", str(out), "--resume")
    assert code == 0, err
    if suffix == ".jsonl":  # a crash mid-line leaves a torn last line: cut off on resume
        with out.open("ab") as stream:
            stream.write(b'{"schema_version": "1.0", "document": {"id": "x')
    code, err = analyze(str(everything), "-o", str(out), "--resume")
    assert code == 0, err
    assert f"copydesk: resuming: 2 documents already in {out}" in err
    assert "3 documents" not in err
    assert "1 document, 2 skipped as already in the output" in err
    if suffix == ".jsonl":
        ids = [r["document"]["id"] for r in jsonl_results(out)]
    elif suffix == ".csv":
        with out.open(encoding="utf-8", newline="") as stream:
            ids = [r["id"] for r in csv.DictReader(stream)]
    elif suffix == ".sqlite":
        db = sqlite3.connect(out)
        ids = [r[0] for r in db.execute("SELECT id FROM documents ORDER BY rowid")]
        assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 2
    else:
        ids = pq.read_table(out / "documents").column("id").to_pylist()
        assert sorted(p.name for p in (out / "documents").iterdir()) == [
            "part-00000.parquet",
            "part-00001.parquet",
        ]
    assert ids == [s[0] for s in STORIES]


def test_resume_refuses_formats_that_cannot_append(tmp_path, corpus):
    code, err = analyze(str(corpus), "-o", str(tmp_path / "r.json"), "--resume")
    assert code == 2
    assert "--resume: json output cannot be resumed (csv, jsonl, parquet, sqlite can)" in err


def test_without_resume_a_new_run_replaces_the_output(tmp_path, corpus):
    out = tmp_path / "r.parquet"
    for _ in range(2):
        code, err = analyze(str(corpus), "-o", str(out))
        assert code == 0, err
    assert pq.read_table(out / "documents").num_rows == 3
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _interrupted_after(n: int):
    for index, (slug, title, body) in enumerate(STORIES):
        if index == n:
            raise KeyboardInterrupt
        yield Document(id=slug, text=body, title=title)


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".sqlite", ".parquet"])
def test_ctrl_c_keeps_every_completed_document(tmp_path, suffix):
    engine = Engine(
        CopydeskConfig(batch_size=1, jobs=1), analyzers=["stats"], disable_autoload=True
    )
    out = tmp_path / f"r{suffix}"
    sink_type = next(t for t in engine.host.sinks().values() if suffix in t.suffixes)
    sink = sink_type.factory(Output(out))
    summary = run_session(_interrupted_after(2), engine, sink)
    assert summary.exit_code == 130
    assert summary.line().startswith("interrupted: 2 documents")
    if suffix == ".jsonl":
        assert len(jsonl_results(out)) == 2
    elif suffix == ".csv":
        assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    elif suffix == ".sqlite":
        db = sqlite3.connect(out)
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
        assert db.execute("SELECT interrupted FROM runs").fetchone()[0] == 1
    else:
        assert pq.read_table(out / "documents").num_rows == 2


def test_progress_bar_on_a_terminal_and_the_summary_line_always():
    engine = Engine(analyzers=["stats"], disable_autoload=True)
    stream = io.StringIO()
    docs = [Document(id=s[0], text=s[2]) for s in STORIES]
    reporter = TerminalReporter(total=3, bar=True, stream=stream, refresh=0)
    run_session(docs, engine, reporter=reporter)
    shown = stream.getvalue()
    assert "3/3" in shown
    assert "words/s, 0 errors" in shown
    assert shown.splitlines()[-1].startswith("copydesk: 3 documents in ")
    quiet = io.StringIO()
    run_session(docs, engine, reporter=TerminalReporter(bar=False, stream=quiet))
    assert quiet.getvalue().startswith("copydesk: 3 documents in ")
    assert len(quiet.getvalue().splitlines()) == 1


def test_piped_cli_shows_no_bar(tmp_path, corpus):
    code, err = analyze(str(corpus), "-o", str(tmp_path / "r.csv"))
    assert code == 0
    assert "words/s" not in err
    assert err.splitlines() == [err.splitlines()[-1]]


def test_to_frames_gives_documents_and_findings(tmp_path):
    pd = pytest.importorskip("pandas")
    engine = Engine(analyzers=["stats"], settings={"stats": {"long_sentence_words": 5}})
    results = list(engine.analyze_many(Document(id=s[0], text=s[2], title=s[1]) for s in STORIES))
    documents, findings = copydesk.to_frames(results)
    assert isinstance(documents, pd.DataFrame)
    assert list(documents["id"]) == [s[0] for s in STORIES]
    assert list(documents["stats.words"]) == [r.metrics["stats.words"] for r in results]
    assert len(findings) == sum(len(r.findings) for r in results)
    assert set(findings["document_id"]) <= set(documents["id"])


def test_importing_copydesk_does_not_import_pandas_or_pyarrow():
    code = (
        "import sys, copydesk; copydesk.to_frames; copydesk.run; "
        "import copydesk.io.parquet_sink, copydesk.io.tabular, copydesk.io.warc; "
        "assert not {'pandas', 'pyarrow', 'trafilatura', 'warcio'} & set(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.slow
def test_readme_corpus_example_folder_of_pages_to_parquet(tmp_path, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    out = tmp_path / "pages.parquet"
    result = CliRunner().invoke(
        cli, ["analyze", "-a", "stats,hedging", "examples/pages/", "-o", str(out), "--resume"]
    )
    assert result.exit_code == 0, result.output
    documents = pq.read_table(out / "documents").to_pylist()
    assert [d["title"] for d in documents] == [
        "Kessel bridge may stay shut until autumn, engineers say",
        "Council approves harbour flats after four-hour debate",
        "'Worst winter in a decade' for hospital waits",
    ]
    assert all(json.loads(d["meta"])["site"] == "Harlow Courier" for d in documents)
    findings = pq.read_table(out / "findings").to_pylist()
    in_titles = {(f["document_id"], f["text"]) for f in findings if f["part"] == "title"}
    assert ("examples/pages/bridge-closure.html", "may") in in_titles


def test_library_run_resumes_too(tmp_path):
    documents = [Document(id=s[0], text=s[2]) for s in STORIES]
    out = tmp_path / "r.sqlite"
    copydesk.run(documents[:1], out, analyzers=["stats"], resume=True)
    summary = copydesk.run(documents, out, analyzers=["stats"], resume=True)
    assert (summary.documents, summary.resumed) == (2, 1)
    ids = [r[0] for r in sqlite3.connect(out).execute("SELECT id FROM documents ORDER BY rowid")]
    assert ids == [s[0] for s in STORIES]


def test_table_formats_need_a_file(corpus):
    code, err = analyze(str(corpus), "-f", "sqlite")
    assert code == 2
    assert err.strip() == "copydesk: error: --format sqlite writes files: name one with --output"
