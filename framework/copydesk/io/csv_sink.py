"""CSV output: one row per document, every metric a column (and, optionally, findings).

Columns and their order are those of :mod:`copydesk.io.tables`. The metric
columns are fixed by the first document on which every analyzer completed (at
most :data:`SETTLE_DOCUMENTS` documents are held back to find one), so a
document whose analyzers failed does not decide the header; a metric seen only
later goes into ``extra_metrics``. UTF-8 without a byte order mark, ``\\n``
line ends, RFC 4180 quoting: read it with pandas, DuckDB, R or ``csv``.

The findings table (``--findings-csv FILE``) has :data:`~copydesk.io.tables.FINDING_COLUMNS`.
Each row is flushed as it is written, so an interrupted run keeps every
complete document; ``--resume`` appends to both files under their header.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from copydesk.io.sinks import Output, Sink, SinkType
from copydesk.io.tables import (
    FINDING_COLUMNS,
    complete,
    document_columns,
    document_row,
    finding_rows,
    metric_columns,
)
from copydesk.model import AnalyzedDocument
from copydesk.rendering import Renderers

if TYPE_CHECKING:
    from copydesk.session import RunMeta, RunSummary

SETTLE_DOCUMENTS = 20


class _Table:
    """One CSV file written row by row through an :class:`Output`."""

    def __init__(self, output: Output) -> None:
        self.output = output
        self.columns: list[str] | None = None
        self._writer: Any = None
        if output.append and output.path is not None and output.path.exists():
            self.columns = read_header(output.path)

    def start(self, columns: list[str]) -> None:
        """Fix the columns (unless an appended file has them) and write the header if new."""
        header_needed = self.columns is None
        if self.columns is None:
            self.columns = columns
        self._writer = csv.writer(self.output.text(), lineterminator="\n")
        if header_needed:
            self._writer.writerow(self.columns)

    def write(self, row: dict[str, Any]) -> None:
        assert self.columns is not None
        self._writer.writerow(["" if row.get(c) is None else row.get(c) for c in self.columns])

    def mark(self) -> None:
        self.output.flush()
        self.output.mark()


class CsvSink(Sink):
    """Documents as CSV rows; findings as rows of a second CSV when one is given."""

    def __init__(
        self,
        output: Output,
        renderers: Renderers | None = None,
        findings: Output | None = None,
    ) -> None:
        super().__init__(output, renderers)
        self.documents = _Table(output)
        self.findings = _Table(findings) if findings is not None else None
        self.analyzers: list[str] = []
        self._held: list[AnalyzedDocument] = []
        self._metrics: list[str] | None = None

    def begin(self, meta: RunMeta) -> None:
        self.analyzers = list(meta.analyzers)

    def write(self, analyzed: AnalyzedDocument) -> None:
        if self._metrics is None:
            self._held.append(analyzed)
            if complete(analyzed, self.analyzers) or len(self._held) >= SETTLE_DOCUMENTS:
                self._settle()
            return
        self._write_row(analyzed)

    def _settle(self) -> None:
        known = self.documents.columns
        if known is not None:  # appending: the existing header decides
            self._metrics = [c for c in known if "." in c and not c.endswith(".status")]
        else:
            complete_docs = [d for d in self._held if complete(d, self.analyzers)]
            self._metrics = metric_columns(self.analyzers, complete_docs[:1] or self._held)
        self.documents.start(document_columns(self.analyzers, self._metrics))
        if self.findings is not None:
            self.findings.start(list(FINDING_COLUMNS))
        held, self._held = self._held, []
        for analyzed in held:
            self._write_row(analyzed)

    def _write_row(self, analyzed: AnalyzedDocument) -> None:
        assert self._metrics is not None
        if self.findings is not None:
            for row in finding_rows(analyzed):
                self.findings.write(row)
            self.findings.mark()
        self.documents.write(document_row(analyzed, self.analyzers, self._metrics))
        self.documents.mark()

    def end(self, summary: RunSummary) -> None:
        if self._metrics is None:
            self._settle()

    def close(self, ok: bool = True) -> None:
        super().close(ok)
        if self.findings is not None:
            if ok:
                self.findings.output.commit()
            else:
                self.findings.output.discard()

    def abort(self) -> None:
        for table in (self.documents, self.findings):
            if table is not None:
                table.output.cut_to_mark()
                table.output.commit()


def read_header(path: Path) -> list[str] | None:
    """The header row of an existing CSV output (None when it is empty)."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return next(csv.reader(stream), None)


def _records(path: Path) -> Iterator[tuple[list[str], int]]:
    """Each CSV record with the byte offset where it ends; stops at a torn record."""
    consumed = 0

    def lines() -> Iterator[str]:
        nonlocal consumed
        with path.open("rb") as stream:
            for raw in stream:
                if not raw.endswith(b"\n"):
                    return  # a last line cut short by a crash
                consumed += len(raw)
                yield raw.decode("utf-8-sig" if consumed == len(raw) else "utf-8")

    reader = csv.reader(lines(), strict=True)
    try:
        for record in reader:
            yield record, consumed
    except (csv.Error, UnicodeDecodeError):
        return


def csv_existing_ids(path: Path) -> set[str]:
    """Ids in an existing CSV output; a torn last row is cut off so appending is safe."""
    import os

    ids: set[str] = set()
    good = 0
    header: list[str] | None = None
    for record, end in _records(path):
        if header is None:
            header, good = record, end
            continue
        if len(record) != len(header):
            break
        ids.add(record[header.index("id")] if "id" in header else record[0])
        good = end
    if good < path.stat().st_size:
        os.truncate(path, good)
    return ids


SINK = SinkType(
    "csv",
    CsvSink,
    (".csv",),
    False,
    "One row per document, every metric a column (--findings-csv for findings)",
    existing_ids=csv_existing_ids,
)
