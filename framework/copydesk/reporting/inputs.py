"""Reading copydesk's saved results into DuckDB, one small function per format.

Each loader creates the same two tables, whatever the file it reads:

* ``raw_documents``: ``doc_id``, ``meta`` (JSON), ``words`` (whitespace-separated
  words of the text), and one DOUBLE column per metric, ``"<analyzer>.<metric>"``;
* ``raw_findings``: ``doc_id``, ``analyzer``, ``kind``, ``label``, ``text``,
  ``confidence``, ``data`` (JSON).

JSONL is what ``copydesk analyze -o results.jsonl`` writes (the model); the
Parquet folder and the SQLite file follow the table layout of the corpus sinks
(``documents`` and ``findings`` tables; see the inputs and outputs page). The
loaders never re-analyze anything and never load the rows into Python, except
SQLite, which DuckDB cannot read without an extension it would download, and
which is copied across in batches.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from copydesk.reporting.model import quote

Loader = Callable[[Any, Sequence[Path]], None]

# Columns of the corpus sinks' documents table that are not metrics.
_DOC_COLUMNS = {"id", "title", "meta", "words", "status", "findings", "extra_metrics", "text"}


def _sql_list(paths: Sequence[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def load_jsonl(con: Any, paths: Sequence[Path]) -> None:
    """Analyzed documents: JSONL (``-o x.jsonl``), or a JSON array or object (``-f json``)."""
    con.execute(
        f"""
        CREATE TEMP TABLE raw_json AS
        SELECT json->>'$.document.id' AS doc_id,
               coalesce(json->'$.document.meta', '{{}}'::JSON) AS meta,
               len(regexp_extract_all(coalesce(json->>'$.document.text', ''), '\\S+')) AS words,
               json->'$.metrics' AS metrics,
               json->'$.findings' AS findings
        FROM read_json_objects({_sql_list(paths)}, format = 'auto',
                               maximum_object_size = 33554432)
        WHERE json_type(json) = 'OBJECT'
        """
    )
    names = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT unnest(json_keys(metrics)) AS k FROM raw_json ORDER BY k"
        ).fetchall()
    ]
    columns = "".join(
        f", TRY_CAST(json_extract_string(metrics, {_json_key(n)}) AS DOUBLE) AS {quote(n)}"
        for n in names
    )
    con.execute(
        f"CREATE TEMP TABLE raw_documents AS SELECT doc_id, meta, words{columns} FROM raw_json"
    )
    con.execute(
        """
        CREATE TEMP TABLE raw_findings AS
        SELECT doc_id, f->>'analyzer' AS analyzer, f->>'kind' AS kind, f->>'label' AS label,
               f->>'text' AS text, TRY_CAST(f->>'confidence' AS DOUBLE) AS confidence,
               coalesce(f->'data', '{}'::JSON) AS data
        FROM (SELECT doc_id, unnest(CAST(findings AS JSON[])) AS f FROM raw_json
              WHERE json_array_length(findings) > 0)
        """
    )
    con.execute("DROP TABLE raw_json")


def _json_key(name: str) -> str:
    escaped = name.replace("\\", "\\\\").replace('"', '\\"').replace("'", "''")
    return f"'$.\"{escaped}\"'"


def load_parquet(con: Any, paths: Sequence[Path]) -> None:
    """Folders written by ``-o results.parquet`` (``documents/`` and ``findings/`` parts)."""
    docs = [str(p / "documents" / "*.parquet") for p in paths]
    finds = [p / "findings" for p in paths]
    described = con.execute(
        f"DESCRIBE SELECT * FROM read_parquet({_sql_list([Path(d) for d in docs])}, "
        "union_by_name = true)"
    ).fetchall()
    metrics = [
        name
        for name, kind, *_ in described
        if name not in _DOC_COLUMNS and not name.endswith(".status") and _numeric(kind)
    ]
    columns = "".join(f", CAST({quote(m)} AS DOUBLE) AS {quote(m)}" for m in metrics)
    con.execute(
        f"""
        CREATE TEMP VIEW raw_documents AS
        SELECT CAST(id AS VARCHAR) AS doc_id, CAST(coalesce(meta, '{{}}') AS JSON) AS meta,
               CAST(words AS BIGINT) AS words{columns}
        FROM read_parquet({_sql_list([Path(d) for d in docs])}, union_by_name = true)
        """
    )
    present = [str(f / "*.parquet") for f in finds if any(f.glob("*.parquet"))]
    if present:
        con.execute(
            f"""
            CREATE TEMP VIEW raw_findings AS
            SELECT CAST(document_id AS VARCHAR) AS doc_id, analyzer, kind, label, text,
                   CAST(confidence AS DOUBLE) AS confidence, CAST(data AS JSON) AS data
            FROM read_parquet({_sql_list([Path(f) for f in present])}, union_by_name = true)
            """
        )
    else:
        _empty_findings(con)


def _numeric(kind: str) -> bool:
    kind = kind.upper()
    return kind.startswith(("DOUBLE", "FLOAT", "REAL", "DECIMAL")) or "INT" in kind


def _empty_findings(con: Any) -> None:
    con.execute(
        "CREATE TEMP TABLE raw_findings (doc_id VARCHAR, analyzer VARCHAR, kind VARCHAR, "
        "label VARCHAR, text VARCHAR, confidence DOUBLE, data JSON)"
    )


def load_sqlite(con: Any, paths: Sequence[Path]) -> None:
    """Files written by ``-o results.sqlite`` (``documents``, ``metrics``, ``findings``)."""
    con.execute("CREATE TEMP TABLE raw_docs0 (doc_id VARCHAR, meta VARCHAR, words BIGINT)")
    con.execute("CREATE TEMP TABLE raw_metrics (doc_id VARCHAR, name VARCHAR, value DOUBLE)")
    con.execute(
        "CREATE TEMP TABLE raw_findings0 (doc_id VARCHAR, analyzer VARCHAR, kind VARCHAR, "
        "label VARCHAR, text VARCHAR, confidence DOUBLE, data VARCHAR)"
    )
    for path in paths:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            _copy(con, source, "SELECT id, meta, words FROM documents", "raw_docs0")
            _copy(con, source, "SELECT document_id, name, value FROM metrics", "raw_metrics")
            _copy(
                con,
                source,
                "SELECT document_id, analyzer, kind, label, text, confidence, data FROM findings",
                "raw_findings0",
            )
        finally:
            source.close()
    names = [
        r[0] for r in con.execute("SELECT DISTINCT name FROM raw_metrics ORDER BY name").fetchall()
    ]
    columns = "".join(
        f", max(m.value) FILTER (WHERE m.name = '{n.replace(chr(39), chr(39) * 2)}') AS {quote(n)}"
        for n in names
    )
    con.execute(
        f"""
        CREATE TEMP TABLE raw_documents AS
        SELECT d.doc_id, CAST(coalesce(d.meta, '{{}}') AS JSON) AS meta, d.words{columns}
        FROM raw_docs0 d LEFT JOIN raw_metrics m ON m.doc_id = d.doc_id
        GROUP BY d.doc_id, d.meta, d.words
        """
    )
    con.execute(
        "CREATE TEMP TABLE raw_findings AS SELECT doc_id, analyzer, kind, label, text, "
        "confidence, CAST(coalesce(data, '{}') AS JSON) AS data FROM raw_findings0"
    )
    con.execute("DROP TABLE raw_docs0; DROP TABLE raw_metrics; DROP TABLE raw_findings0")


def _copy(
    con: Any, source: sqlite3.Connection, query: str, target: str, batch: int = 50_000
) -> None:
    cursor = source.execute(query)
    width = len(cursor.description)
    insert = f"INSERT INTO {target} VALUES ({', '.join('?' * width)})"
    while True:
        rows = cursor.fetchmany(batch)
        if not rows:
            return
        con.executemany(insert, rows)


def format_of(path: Path) -> str:
    """``jsonl``, ``parquet`` or ``sqlite``, from the path (a folder is Parquet)."""
    if path.is_dir():
        if (path / "documents").is_dir():
            return "parquet"
        msg = f"{path}: a folder of results must hold documents/ (a Parquet output folder)"
        raise ValueError(msg)
    suffix = path.suffix.lower()
    if suffix in {".sqlite", ".sqlite3", ".db"}:
        return "sqlite"
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(b"SQLite format 3"):
        return "sqlite"
    return "jsonl"


LOADERS: dict[str, Loader] = {
    "jsonl": load_jsonl,
    "parquet": load_parquet,
    "sqlite": load_sqlite,
}
