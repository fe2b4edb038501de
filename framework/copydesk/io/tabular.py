"""Tables of articles: CSV, TSV and Parquet, one document per row.

Which column is which: ``--text-column``, ``--id-column`` and ``--title-column``
name them; without those the first column found among :data:`TEXT_COLUMNS`,
:data:`ID_COLUMNS` and :data:`TITLE_COLUMNS` (case-insensitive) is used. Every
other non-empty column goes into ``meta`` under its own name. A table with no
text column is one error naming the columns it has; a row with empty text is
one error for that row. Ids: the id column's value, else ``path:N`` for the
N-th data row (the header is not counted).

CSV is read with the standard library as a stream (quoted newlines, a UTF-8 byte
order mark and fields of up to :data:`FIELD_LIMIT` characters are fine); Parquet
with pyarrow, one row batch at a time, never the whole file.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, BinaryIO

from copydesk.errors import InputError
from copydesk.io.corpus import DEFAULT_OPTIONS, MissingExtra, ReadOptions, require, with_headline
from copydesk.io.readers import MAX_CHARS, Reader, ReadResult
from copydesk.model import Document

TEXT_COLUMNS = ("text", "body", "content", "article", "full_text", "story")
ID_COLUMNS = ("id", "doc_id", "document_id", "article_id", "uid")
TITLE_COLUMNS = ("title", "headline", "hed")
FIELD_LIMIT = 16 * 1024 * 1024
PARQUET_BATCH_ROWS = 256


class _Columns:
    """The resolved id, text and title columns of one table."""

    def __init__(self, names: Sequence[str], options: ReadOptions, source: str) -> None:
        self.names = list(names)
        self.text = self._pick(options.text_column, TEXT_COLUMNS)
        self.id = self._pick(options.id_column, ID_COLUMNS)
        self.title = self._pick(options.title_column, TITLE_COLUMNS)
        self.error: InputError | None = None
        found = ", ".join(repr(n) for n in self.names) or "none"
        for given, picked, flag in (
            (options.text_column, self.text, "--text-column"),
            (options.id_column, self.id, "--id-column"),
            (options.title_column, self.title, "--title-column"),
        ):
            if given is not None and picked is None:
                self.error = InputError(source, f"no column {given!r} ({flag}); columns: {found}")
                return
        if self.text is None:
            looked = ", ".join(TEXT_COLUMNS)
            self.error = InputError(
                source,
                f"no text column (looked for {looked}; columns: {found}); "
                "name it with --text-column",
            )

    def _pick(self, given: str | None, defaults: Iterable[str]) -> str | None:
        if given is not None:
            return given if given in self.names else None
        lowered = {n.lower().strip(): n for n in reversed(self.names)}
        return next((lowered[d] for d in defaults if d in lowered), None)

    def document(
        self, row: dict[str, Any], number: int, source: str, options: ReadOptions
    ) -> Document | InputError:
        assert self.text is not None
        text = row.get(self.text)
        if text is None or (isinstance(text, str) and not text.strip()):
            return InputError(source, f"row {number}: column {self.text!r} is empty")
        if not isinstance(text, str):
            kind = type(text).__name__
            return InputError(source, f"row {number}: column {self.text!r} holds {kind}, not text")
        raw_id = row.get(self.id) if self.id else None
        doc_id = f"{source}:{number}" if raw_id in (None, "") else str(raw_id)
        title = row.get(self.title) if self.title else None
        meta = {
            k: _jsonable(v)
            for k, v in row.items()
            if k not in (self.text, self.id, self.title) and v not in (None, "")
        }
        return with_headline(
            doc_id, text.replace("\r\n", "\n"), str(title) if title else None, meta, options
        )


def read_csv(stream: BinaryIO, source: str, options: ReadOptions = DEFAULT_OPTIONS) -> ReadResult:
    """A comma-separated table (``.csv``), one document per row."""
    return _read_delimited(stream, source, options, ",")


def read_tsv(stream: BinaryIO, source: str, options: ReadOptions = DEFAULT_OPTIONS) -> ReadResult:
    """A tab-separated table (``.tsv``, ``.tab``), one document per row."""
    return _read_delimited(stream, source, options, "\t")


def _read_delimited(
    stream: BinaryIO, source: str, options: ReadOptions, delimiter: str
) -> Iterator[Document | InputError]:
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    reader = csv.reader(_lines(stream), delimiter=delimiter)
    number = 0
    try:
        header = next(reader, None)
        if header is None:
            yield InputError(source, "is empty (no header row)")
            return
        columns = _Columns([h.strip() for h in header], options, source)
        if columns.error:
            yield columns.error
            return
        for number, values in enumerate(reader, start=1):
            if not any(values):
                continue
            if len(values) > len(columns.names):
                yield InputError(
                    source,
                    f"row {number}: {len(values)} fields, the header has {len(columns.names)}",
                )
                continue
            row = dict(zip(columns.names, values, strict=False))
            yield columns.document(row, number, source, options)
    except UnicodeDecodeError as exc:
        bad = exc.object[exc.start : exc.start + 1].hex()
        yield InputError(source, f"is not valid UTF-8 (byte 0x{bad}) after row {number}")
    except csv.Error as exc:
        yield InputError(source, f"malformed CSV after row {number} ({exc})")
    except _LineTooLong as exc:
        yield InputError(
            source, f"a line after row {number} is over {exc.args[0]:,} bytes (max_chars)"
        )


class _LineTooLong(Exception):
    pass


def _lines(stream: BinaryIO) -> Iterator[str]:
    """Decoded lines, one at a time, so a bad byte is reported at its row.

    A line is read up to the run's ``max_chars`` bound (in bytes, 4 per
    character), so an endless line costs one error, not the machine's memory.
    """
    limit = 4 * MAX_CHARS.get() + 4
    first = True
    while raw := stream.readline(limit):
        if len(raw) >= limit and not raw.endswith(b"\n"):
            raise _LineTooLong(limit)
        yield raw.decode("utf-8-sig" if first else "utf-8")
        first = False


def read_parquet(
    stream: BinaryIO, source: str, options: ReadOptions = DEFAULT_OPTIONS
) -> ReadResult:
    """A Parquet table, one document per row, read one row batch at a time."""
    try:
        pq = require("pyarrow.parquet", "reading Parquet")
        pa = require("pyarrow", "reading Parquet")
    except MissingExtra as exc:
        yield InputError(source, str(exc))
        return
    try:
        parquet = pq.ParquetFile(stream)
    except (pa.ArrowException, OSError, ValueError) as exc:
        yield InputError(source, f"is not a readable Parquet file ({_brief(exc)})")
        return
    schema = parquet.schema_arrow
    columns = _Columns(schema.names, options, source)
    if columns.error:
        yield columns.error
        return
    for name in (columns.text, columns.title):
        if name is None:
            continue
        kind = schema.field(name).type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            yield InputError(source, f"column {name!r} is {kind}, not text (string)")
            return
    number = 0
    try:
        for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS):
            for row in batch.to_pylist():
                number += 1
                yield columns.document(row, number, source, options)
    except (pa.ArrowException, OSError) as exc:
        yield InputError(source, f"cannot be read after row {number} ({_brief(exc)})")


def _brief(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _jsonable(value: Any) -> Any:
    """A table cell as JSON data (dates as ISO strings, decimals as floats)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return str(value)
    return value


READERS = (
    Reader("csv", (".csv",), read_csv, "CSV table, one article per row (--text-column ...)"),
    Reader("tsv", (".tsv", ".tab"), read_tsv, "Tab-separated table, one article per row"),
    Reader("parquet", (".parquet", ".pq"), read_parquet, "Parquet table, read in row batches"),
)
