"""SQLite output: a database any SQL tool reads (DuckDB, Datasette, pandas, R).

Tables (schema version :data:`SCHEMA_VERSION`, also in ``PRAGMA user_version``):

* ``runs``: one row per run (``run_id``, ``started``, ``finished``,
  ``copydesk_version``, ``model``, ``analyzers`` and ``inputs`` as JSON,
  ``documents``, ``input_errors``, ``failed_documents``, ``seconds``,
  ``interrupted``); a resumed run adds a row;
* ``documents``: ``id`` (primary key), ``run_id``, ``title``, ``text``, ``meta``
  (JSON), ``words``, ``status``, ``findings`` (count);
* ``analyzer_runs``: ``document_id``, ``analyzer``, ``version``, ``plugin``,
  ``status``, ``seconds``, ``error``;
* ``metrics``: ``document_id``, ``name`` (``<analyzer>.<metric>``), ``value``;
* ``findings``: the columns of :data:`~copydesk.io.tables.FINDING_COLUMNS`;
* ``copydesk_schema``: the schema version, one row.

Each document is one transaction, committed as it is written (write-ahead
log, no fsync per document), so an interrupted or killed run keeps every
complete document; the database is one plain file again once the run ends. A new database is written
under a temporary name and renamed over the target at the end; ``--resume``
opens the existing one and adds to it.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from copydesk.io.sinks import Output, Sink, SinkType
from copydesk.io.tables import finding_rows, to_json
from copydesk.model import AnalyzedDocument
from copydesk.rendering import Renderers

if TYPE_CHECKING:
    from copydesk.session import RunMeta, RunSummary

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS copydesk_schema (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY,
    started TEXT, finished TEXT, copydesk_version TEXT, model TEXT,
    analyzers TEXT, inputs TEXT,
    documents INTEGER, input_errors INTEGER, failed_documents INTEGER,
    seconds REAL, interrupted INTEGER
);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, run_id INTEGER REFERENCES runs(run_id),
    title TEXT, text TEXT NOT NULL, meta TEXT NOT NULL, words INTEGER NOT NULL,
    status TEXT NOT NULL, findings INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS analyzer_runs (
    document_id TEXT NOT NULL REFERENCES documents(id), analyzer TEXT NOT NULL,
    version TEXT, plugin TEXT, status TEXT NOT NULL, seconds REAL, error TEXT,
    PRIMARY KEY (document_id, analyzer)
);
CREATE TABLE IF NOT EXISTS metrics (
    document_id TEXT NOT NULL REFERENCES documents(id), name TEXT NOT NULL, value REAL NOT NULL,
    PRIMARY KEY (document_id, name)
);
CREATE TABLE IF NOT EXISTS findings (
    document_id TEXT NOT NULL REFERENCES documents(id), analyzer TEXT NOT NULL,
    kind TEXT NOT NULL, part TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL, label TEXT, message TEXT, confidence REAL, data TEXT NOT NULL,
    producer TEXT
);
CREATE INDEX IF NOT EXISTS findings_document ON findings(document_id);
CREATE INDEX IF NOT EXISTS findings_analyzer_kind ON findings(analyzer, kind);
CREATE INDEX IF NOT EXISTS metrics_name ON metrics(name);
CREATE INDEX IF NOT EXISTS documents_run ON documents(run_id);
"""


class SqliteSink(Sink):
    """Each document committed in its own transaction as it comes."""

    def __init__(self, output: Output, renderers: Renderers | None = None) -> None:
        super().__init__(output, renderers)
        self._db: sqlite3.Connection | None = None
        self._meta: RunMeta | None = None
        self.run_id: int | None = None

    def begin(self, meta: RunMeta) -> None:
        self._meta = meta

    def _open(self) -> sqlite3.Connection:
        if self._db is not None:
            return self._db
        path = self.output.temporary_path()
        db = sqlite3.connect(path, isolation_level=None)
        # WAL with synchronous=NORMAL: a committed document survives the process
        # being killed without an fsync per document (which made a run I/O-bound);
        # the database is put back in rollback-journal mode when it is closed.
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            db.close()
            msg = f"{self.output.name}: schema version {version}; copydesk writes {SCHEMA_VERSION}"
            raise OSError(msg)
        db.executescript(SCHEMA)
        if not db.execute("SELECT 1 FROM copydesk_schema").fetchone():
            db.execute("INSERT INTO copydesk_schema VALUES (?)", (SCHEMA_VERSION,))
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        meta = self._meta
        cursor = db.execute(
            "INSERT INTO runs (started, copydesk_version, model, analyzers, inputs) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                meta.started if meta else None,
                meta.copydesk_version if meta else None,
                meta.model if meta else None,
                json.dumps(meta.analyzers if meta else []),
                json.dumps(meta.inputs if meta else []),
            ),
        )
        self.run_id = cursor.lastrowid
        self._db = db
        return db

    def write(self, analyzed: AnalyzedDocument) -> None:
        try:
            db = self._open()
        except sqlite3.Error as exc:
            raise OSError(str(exc)) from exc
        doc = analyzed.document
        try:
            db.execute("BEGIN")
            db.execute(
                "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    doc.id,
                    self.run_id,
                    doc.title,
                    doc.text,
                    to_json(doc.meta),
                    len(doc.text.split()),
                    "ok" if analyzed.ok else "failed",
                    len(analyzed.findings),
                ),
            )
            for table in ("analyzer_runs", "metrics", "findings"):
                db.execute(f"DELETE FROM {table} WHERE document_id = ?", (doc.id,))
            db.executemany(
                "INSERT INTO analyzer_runs VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (doc.id, r.name, r.version, r.plugin, r.status.value, r.seconds, r.error)
                    for r in analyzed.analyzers
                ],
            )
            db.executemany(
                "INSERT INTO metrics VALUES (?, ?, ?)",
                [(doc.id, name, float(value)) for name, value in analyzed.metrics.items()],
            )
            db.executemany(
                "INSERT INTO findings VALUES "
                "(:document_id, :analyzer, :kind, :part, :start, :end, :text, :label, "
                ":message, :confidence, :data, :producer)",
                finding_rows(analyzed),
            )
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise OSError(f"SQLite: {exc}") from exc

    def end(self, summary: RunSummary) -> None:
        from datetime import datetime, timezone

        db = self._open()
        db.execute(
            "UPDATE runs SET finished = ?, documents = ?, input_errors = ?, "
            "failed_documents = ?, seconds = ?, interrupted = ? WHERE run_id = ?",
            (
                datetime.now(timezone.utc).isoformat(timespec="seconds"),
                summary.documents,
                summary.input_errors,
                summary.failed_documents,
                round(summary.seconds, 3),
                int(summary.interrupted),
                self.run_id,
            ),
        )

    def _close_db(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("PRAGMA journal_mode=DELETE")  # checkpoint; one file again
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def close(self, ok: bool = True) -> None:
        self._close_db()
        super().close(ok)

    def abort(self) -> None:
        """Every committed document is whole: keep them."""
        self._close_db()
        self.output.commit()


def sqlite_existing_ids(path: Path) -> set[str]:
    """Ids of the documents an earlier run wrote to the database."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {row[0] for row in db.execute("SELECT id FROM documents")}
    except sqlite3.Error:
        return set()
    finally:
        db.close()


SINK = SinkType(
    "sqlite",
    SqliteSink,
    (".sqlite", ".sqlite3", ".db"),
    True,
    "SQLite database: documents, findings, metrics and runs tables",
    existing_ids=sqlite_existing_ids,
)
