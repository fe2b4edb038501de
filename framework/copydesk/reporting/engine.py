"""Computing a report with DuckDB over saved results (imported only by a report).

The plan: load the inputs into ``raw_documents``/``raw_findings`` (one loader
per format, :mod:`copydesk.reporting.inputs`), give every document its group
keys (``doc_keys``), expose the views the aggregations read (``documents``,
``findings``, ``linked_names``), then run the summary (one row per group, a
column per column aggregation), the default statistics of every numeric metric,
and each table aggregation. DuckDB reads Parquet in place and spills to disk
past its memory limit, so a report over millions of rows runs out of core.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from copydesk.reporting.inputs import LOADERS, _json_key, format_of
from copydesk.reporting.linking import build_linked_names
from copydesk.reporting.model import Aggregation, Report, ReportTable, keys_sql, quote

# Period groupings, from the document's date (meta "published", else "date").
PERIODS = {
    "day": "strftime(cd_date, '%Y-%m-%d')",
    "week": "strftime(date_trunc('week', cd_date), '%Y-%m-%d')",  # ISO weeks, by their Monday
    "month": "strftime(cd_date, '%Y-%m')",
    "year": "strftime(cd_date, '%Y')",
}
DATE_FIELDS = ("published", "date")
RESERVED = {"doc_id", "meta", "words", "documents", "metric"}
WHOLE = "corpus"  # the single group's column when no grouping is asked for


class ReportError(ValueError):
    """A report that cannot be made, with a sentence saying why (no documents, no field)."""


def connect(memory_limit: str | None = None, threads: int | None = None) -> Any:
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit or '700MB'}'")
    spill = Path(tempfile.gettempdir()) / f"copydesk-report-{os.getpid()}"
    con.execute(f"SET temp_directory = '{spill}'")
    con.execute("SET preserve_insertion_order = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    for statement in HELPERS:
        con.execute(statement)
    return con


# 95 % Wilson score interval of a share k/n (z = 1.96), for the aggregations' SQL.
_P = "(k::DOUBLE / n)"
_Z2 = "3.8416"
_CENTRE = f"({_P} + {_Z2} / (2 * n)) / (1 + {_Z2} / n)"
_HALF = f"1.96 * sqrt({_P} * (1 - {_P}) / n + {_Z2} / (4 * n * n)) / (1 + {_Z2} / n)"
HELPERS = (
    f"CREATE MACRO cd_wilson_low(k, n) AS CASE WHEN n > 0 THEN {_CENTRE} - {_HALF} END",
    f"CREATE MACRO cd_wilson_high(k, n) AS CASE WHEN n > 0 THEN {_CENTRE} + {_HALF} END",
)


def compute(
    inputs: Sequence[Path],
    by: Sequence[str],
    aggregations: Sequence[Aggregation],
    *,
    top: int = 10,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> Report:
    if not inputs:
        raise ReportError("no results given")
    for path in inputs:
        if not path.exists():
            raise ReportError(f"{path}: no such file or folder")
    formats = {format_of(p) for p in inputs}
    if len(formats) > 1:
        raise ReportError(f"results in several formats ({', '.join(sorted(formats))}); give one")
    fmt = formats.pop()
    by = list(dict.fromkeys(by))
    for key in by:
        if key in RESERVED or key.endswith(".status"):
            raise ReportError(f"cannot group by {key!r}: the name of a report column")
    con = connect(memory_limit, threads)
    try:
        LOADERS[fmt](con, list(inputs))
        report = Report(by=by, inputs=[str(p) for p in inputs])
        (count,) = con.execute("SELECT count(*) FROM raw_documents").fetchone()
        if not count:
            names = ", ".join(str(p) for p in inputs)
            raise ReportError(f"{names}: no analyzed documents to report on")
        report.documents = int(count)
        keys = _group_keys(con, by, report)
        _views(con, keys)
        metrics = [
            name
            for name, *_ in con.execute("DESCRIBE raw_documents").fetchall()
            if name not in {"doc_id", "meta", "words"}
        ]
        kinds = {
            f"finding:{a}.{k}"
            for a, k in con.execute("SELECT DISTINCT analyzer, kind FROM raw_findings").fetchall()
        }
        available = set(metrics) | kinds
        usable: list[Aggregation] = []
        for agg in aggregations:
            missing = [n for n in agg.needs if n not in available]
            if missing:
                report.notes.append(
                    f"{agg.name}: left out, the results have no {', '.join(missing)}"
                )
            else:
                usable.append(agg)
        columns = [a for a in usable if not a.table]
        report.descriptions = {
            "documents": "Documents in the group.",
            "words": "Whitespace-separated words of the group's texts.",
            **{a.name: a.description for a in columns},
        }
        report.tables["summary"] = _summary(con, keys, columns, report)
        shown = report.tables["summary"].columns
        report.plots = [a.name for a in columns if a.plot and a.name in shown]
        report.tables["metrics"] = _metric_stats(con, keys, metrics)
        for agg in (a for a in usable if a.table):
            table = _run_table(con, keys, agg, top, report)
            if table is not None:
                report.tables[agg.name] = table
        return report
    finally:
        con.close()


def _group_keys(con: Any, by: Sequence[str], report: Report) -> list[str]:
    """Create ``doc_keys`` (doc_id and one column per grouping); return the key columns."""
    if not by:
        con.execute(
            f"CREATE TEMP TABLE doc_keys AS SELECT doc_id, 'all' AS {WHOLE} FROM raw_documents"
        )
        return [WHOLE]
    parts = []
    if any(k in PERIODS for k in by):
        fields = ", ".join(f"meta->>{_json_key(f)}" for f in DATE_FIELDS)
        con.execute(
            "CREATE TEMP TABLE doc_dates AS SELECT doc_id, "
            f"TRY_CAST(left(coalesce({fields}), 10) AS DATE) AS cd_date FROM raw_documents"
        )
        (undated,) = con.execute("SELECT count(*) FROM doc_dates WHERE cd_date IS NULL").fetchone()
        if undated == report.documents:
            raise ReportError(
                f"cannot group by {'/'.join(k for k in by if k in PERIODS)}: no document has a "
                f"date in meta {' or '.join(repr(f) for f in DATE_FIELDS)} (YYYY-MM-DD...)"
            )
        if undated:
            report.notes.append(
                f"{undated} of {report.documents} documents have no date in meta "
                f"{' or '.join(repr(f) for f in DATE_FIELDS)}: grouped under '(no date)'"
            )
    for key in by:
        if key in PERIODS:
            parts.append(
                (
                    key,
                    f"SELECT doc_id, coalesce({PERIODS[key]}, '(no date)') AS {quote(key)} "
                    "FROM doc_dates",
                )
            )
            continue
        path = _json_key(key)
        (present,) = con.execute(
            f"SELECT count(*) FROM raw_documents WHERE json_extract(meta, {path}) IS NOT NULL "
            f"AND json_type(json_extract(meta, {path})) <> 'NULL'"
        ).fetchone()
        if not present:
            seen = [
                r[0]
                for r in con.execute(
                    "SELECT DISTINCT unnest(json_keys(meta)) AS k FROM raw_documents "
                    "WHERE json_type(meta) = 'OBJECT' ORDER BY k"
                ).fetchall()
            ]
            raise ReportError(
                f"cannot group by {key!r}: no document has it in its meta "
                f"(fields found: {', '.join(seen) or 'none'})"
            )
        if present < report.documents:
            report.notes.append(
                f"{report.documents - present} of {report.documents} documents have no "
                f"{key!r} in their meta: grouped under '(no {key})'"
            )
        # A list (several authors) puts the document in each of its values' groups.
        parts.append(
            (
                key,
                f"""SELECT doc_id, unnest(CASE
                    WHEN json_type(json_extract(meta, {path})) = 'ARRAY'
                     AND json_array_length(json_extract(meta, {path})) > 0
                    THEN CAST(json_extract_string(meta, {path[:-1]}[*]') AS VARCHAR[])
                    ELSE [json_extract_string(meta, {path})] END) AS cd_value
                    FROM raw_documents""",
            )
        )

    def part(key: str, sql: str) -> str:
        if key in PERIODS:
            return sql
        missing = f"(no {key})".replace("'", "''")
        return f"SELECT doc_id, coalesce(cd_value, '{missing}') AS {quote(key)} FROM ({sql})"

    query = f"SELECT * FROM ({part(*parts[0])}) AS k0"
    for i, (key, sql) in enumerate(parts[1:], start=1):
        query += f" JOIN ({part(key, sql)}) AS k{i} USING (doc_id)"
    con.execute(f"CREATE TEMP TABLE doc_keys AS {query}")
    return list(by)


def _views(con: Any, keys: list[str]) -> None:
    cols = keys_sql(keys)
    # Documents numbered once: the linking groups millions of rows by document,
    # and integers join and group much faster than the string ids. The group
    # columns become ENUMs (their values in sorted order, so ORDER BY is unchanged
    # and a fetched value is still a string): every aggregation groups by them,
    # and an ENUM groups, partitions and sorts as a small integer.
    con.execute(
        "CREATE TEMP TABLE cd_doc_numbers AS SELECT doc_id, "
        "(row_number() OVER ())::INTEGER AS doc_no FROM (SELECT DISTINCT doc_id FROM doc_keys)"
    )
    typed = []
    for i, key in enumerate(keys):
        con.execute(
            f"CREATE TYPE cd_group_{i} AS ENUM "
            f"(SELECT DISTINCT {quote(key)} FROM doc_keys WHERE {quote(key)} IS NOT NULL "
            "ORDER BY 1)"
        )
        typed.append(f"CAST(k.{quote(key)} AS cd_group_{i}) AS {quote(key)}")
    con.execute(
        f"CREATE TEMP TABLE cd_doc_keys AS SELECT n.doc_no, k.doc_id, {', '.join(typed)} "
        "FROM doc_keys k JOIN cd_doc_numbers n USING (doc_id)"
    )
    con.execute(
        f"CREATE TEMP VIEW documents AS SELECT {cols}, d.* FROM cd_doc_keys k "
        "JOIN raw_documents d USING (doc_id)"
    )
    con.execute(
        f"CREATE TEMP VIEW findings AS SELECT {cols}, f.* FROM cd_doc_keys k "
        "JOIN raw_findings f USING (doc_id)"
    )
    (has_names,) = con.execute(
        "SELECT count(*) > 0 FROM raw_findings WHERE (analyzer = 'entities' AND kind = 'entity') "
        "OR (analyzer = 'sourcing' AND kind = 'attribution')"
    ).fetchone()
    if has_names:
        build_linked_names(con, "cd_doc_numbers")
    else:
        con.execute(
            "CREATE TEMP TABLE raw_linked_names (doc_no INTEGER, analyzer VARCHAR, "
            "label VARCHAR, name_key VARCHAR, name VARCHAR, role VARCHAR, n BIGINT)"
        )
    con.execute(
        f"CREATE TEMP VIEW linked_names AS SELECT {cols}, k.doc_id, n.* EXCLUDE (doc_no) "
        "FROM cd_doc_keys k JOIN raw_linked_names n USING (doc_no)"
    )


def _order(keys: list[str]) -> str:
    return ", ".join(f"{quote(k)} NULLS LAST" for k in keys)


def _summary(con: Any, keys: list[str], columns: list[Aggregation], report: Report) -> ReportTable:
    cols = keys_sql(keys)

    def query(aggs: list[Aggregation]) -> str:
        extra = "".join(f", ({a.sql}) AS {quote(a.name)}" for a in aggs)
        return (
            f"SELECT {cols}, count(*) AS documents, sum(words) AS words{extra} "
            f"FROM documents GROUP BY {cols} ORDER BY {_order(keys)}"
        )

    good = []
    for agg in columns:  # one failing plugin expression must not sink the report
        try:
            con.execute(f"EXPLAIN {query([agg])}")
        except Exception as exc:  # noqa: BLE001 - a plugin's SQL, reported as a note
            report.notes.append(f"{agg.name}: left out, its SQL failed: {_first_line(exc)}")
            continue
        good.append(agg)
    result = con.execute(query(good))
    names = [d[0] for d in result.description]
    return ReportTable(
        "summary",
        names,
        [tuple(_clean(v) for v in row) for row in result.fetchall()],
        "One row per group: documents, words and each analyzer's aggregations.",
    )


def _metric_stats(con: Any, keys: list[str], metrics: list[str]) -> ReportTable:
    """Every numeric metric's default statistics per group (long format)."""
    columns = [*keys, "metric", "documents", "mean", "p25", "median", "p75", "min", "max"]
    if not metrics:
        return ReportTable("metrics", columns, [], _METRICS_DOC)
    cols = keys_sql(keys)
    parts = []
    for m in metrics:
        q = quote(m)
        parts.append(
            f"count({q}), avg({q}), quantile_cont({q}, [0.25, 0.5, 0.75]), min({q}), max({q})"
        )
    rows = con.execute(
        f"SELECT {cols}, {', '.join(parts)} FROM documents GROUP BY {cols} ORDER BY {_order(keys)}"
    ).fetchall()
    out = []
    n = len(keys)
    for row in rows:
        group = tuple(row[:n])
        for i, m in enumerate(metrics):
            count, mean, quart, low, high = row[n + 5 * i : n + 5 * i + 5]
            if not count:
                continue
            p25, median, p75 = quart
            out.append((*group, m, count, mean, p25, median, p75, low, high))
    return ReportTable("metrics", columns, [tuple(_clean(v) for v in r) for r in out], _METRICS_DOC)


_METRICS_DOC = (
    "Every numeric metric of every analyzer, per group: documents that have it, mean, "
    "quartiles (p25, median, p75; linear interpolation), min and max."
)


def _run_table(
    con: Any, keys: list[str], agg: Aggregation, top: int, report: Report
) -> ReportTable | None:
    sql = agg.sql.replace("{keys}", keys_sql(keys)).replace("{top}", str(int(top)))
    sql = sql.replace("{order}", _order(keys))
    try:
        result = con.execute(sql)
    except Exception as exc:  # noqa: BLE001 - a plugin's SQL, reported as a note
        report.notes.append(f"{agg.name}: left out, its SQL failed: {_first_line(exc)}")
        return None
    names = [d[0] for d in result.description]
    rows = [tuple(_clean(v) for v in row) for row in result.fetchall()]
    return ReportTable(agg.name, names, rows, agg.description, agg.chart)


def _clean(value: Any) -> Any:
    from datetime import date
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"
