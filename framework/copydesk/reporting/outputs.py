"""Writing a report: self-contained HTML, JSON, CSV or Parquet, chosen by suffix.

CSV and Parquet hold one table per file: ``report.csv`` is the summary and
``report.<table>.csv`` beside it each other table (``report.sourcing.source_types.csv``).
Files are written under a temporary name and renamed, so a failed report never
leaves half a file.
"""

from __future__ import annotations

import csv
import html
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from copydesk.reporting.model import Report, ReportTable

FORMATS = ("html", "json", "csv", "parquet")


def format_for(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix == "htm":
        return "html"
    if suffix not in FORMATS:
        msg = f"{path}: unknown report format {path.suffix!r} (use .html, .json, .csv or .parquet)"
        raise ValueError(msg)
    return suffix


def write(report: Report, path: Path) -> list[Path]:
    """Write the report to ``path`` (format from its suffix); the files written."""
    fmt = format_for(path)
    if fmt == "html":
        from copydesk.reporting.html import render

        _atomic(path, lambda tmp: tmp.write_text(render(report), encoding="utf-8"))
        return [path]
    if fmt == "json":
        text = json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"
        _atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        return [path]
    written = []
    for name, table in report.tables.items():
        target = path if name == "summary" else path.with_name(f"{path.stem}.{name}{path.suffix}")
        writer = _write_csv if fmt == "csv" else _write_parquet
        _atomic(target, lambda tmp, t=table, w=writer: w(t, tmp))  # type: ignore[misc]
        written.append(target)
    return written


def _atomic(path: Path, fill: Callable[[Path], Any]) -> None:
    folder = path.resolve().parent
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    os.close(fd)
    tmp = Path(name)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a report is an ordinary file
    try:
        fill(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _write_csv(table: ReportTable, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(table.columns)
        out.writerows(table.rows)


def _sql_type(values: list[Any]) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "BOOLEAN"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "BIGINT"
    if present and all(isinstance(v, int | float) for v in present):
        return "DOUBLE"
    return "VARCHAR"


def _write_parquet(table: ReportTable, path: Path) -> None:
    import duckdb

    con = duckdb.connect()
    try:
        types = [_sql_type(table.column(c)) for c in table.columns]
        columns = ", ".join(
            '"' + c.replace('"', '""') + f'" {t}' for c, t in zip(table.columns, types, strict=True)
        )
        con.execute(f"CREATE TABLE t ({columns})")
        if table.rows:
            marks = ", ".join("?" * len(table.columns))
            con.executemany(f"INSERT INTO t VALUES ({marks})", [list(r) for r in table.rows])
        target = str(path).replace("'", "''")
        con.execute(f"COPY t TO '{target}' (FORMAT parquet)")
    finally:
        con.close()


def as_text(report: Report) -> str:
    """The summary for a terminal: one line per group, then the notes."""
    table = report.tables["summary"]
    shown = [format_value(v) for v in table.columns]
    rows = [[format_value(v) for v in row] for row in table.rows]
    widths = [max(len(r[i]) for r in [shown, *rows]) for i in range(len(shown))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in [shown, *rows]]
    lines += [f"note: {n}" for n in report.notes]
    return "\n".join(lines) + "\n"


def format_value(value: Any) -> str:
    if value is None:
        return "\u2013"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    return str(value)


def escape(value: Any) -> str:
    return html.escape(format_value(value))
