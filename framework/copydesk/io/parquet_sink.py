"""Parquet output: a folder with a documents table and a findings table.

``--output results.parquet`` writes the folder ``results.parquet/`` holding
``documents/part-00000.parquet`` and ``findings/part-00000.parquet`` (more parts
as a long run goes on). Each folder is one table for pyarrow
(``pq.read_table("results.parquet/documents")``), pandas
(``pd.read_parquet(...)``) and DuckDB
(``read_parquet('results.parquet/documents/*.parquet')``).

The documents table has the columns of :mod:`copydesk.io.tables` (metrics as
``double``, counts as ``int64``, statuses and JSON as strings); the findings
table has :data:`~copydesk.io.tables.FINDING_COLUMNS` (offsets ``int64``,
``confidence`` ``double``, ``data`` JSON text). Rows are written in row groups
of :data:`ROW_GROUP_DOCUMENTS` documents as the run goes, so memory does not
grow with the corpus; a part is closed every :data:`PART_ROW_GROUPS` row groups.

A new run writes into a hidden folder beside the target and puts it in place
at the end (an interrupted run included: what was analyzed is kept). With
``--resume`` the parts go straight into the existing folder, each renamed into
place when complete, so a crash loses at most the part being written.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from copydesk.io.corpus import require
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

ROW_GROUP_DOCUMENTS = 200
PART_ROW_GROUPS = 10
_INTS = {"words", "findings"}
_FINDING_INTS = {"start", "end"}


class _Part:
    """The writers of one part: documents and findings, opened together."""

    def __init__(self, pq: Any, folder: Path, number: int, schemas: tuple[Any, Any]) -> None:
        self.paths = [folder / table / f"part-{number:05d}.parquet" for table in _TABLES]
        self.writers = []
        for path, schema in zip(self.paths, schemas, strict=True):
            path.parent.mkdir(parents=True, exist_ok=True)
            self.writers.append(pq.ParquetWriter(_partial(path), schema, compression="zstd"))
        self.row_groups = 0

    def close(self) -> None:
        # Findings first: a documents part in place means its findings are too.
        for writer in reversed(self.writers):
            writer.close()
        for path in reversed(self.paths):
            _partial(path).replace(path)


_TABLES = ("documents", "findings")


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


class ParquetSink(Sink):
    """Documents and findings tables written in row groups as the run goes."""

    def __init__(self, output: Output, renderers: Renderers | None = None) -> None:
        super().__init__(output, renderers)
        self.pa = require("pyarrow", "writing Parquet")
        self.pq = require("pyarrow.parquet", "writing Parquet")
        self.analyzers: list[str] = []
        self._docs: list[AnalyzedDocument] = []
        self._schemas: tuple[Any, Any] | None = None
        self._metrics: list[str] = []
        self._part: _Part | None = None
        self._folder: Path | None = None
        self._next_part = 0

    def begin(self, meta: RunMeta) -> None:
        self.analyzers = list(meta.analyzers)

    def write(self, analyzed: AnalyzedDocument) -> None:
        self._docs.append(analyzed)
        if len(self._docs) >= ROW_GROUP_DOCUMENTS:
            self._flush()

    def end(self, summary: RunSummary) -> None:
        self._flush(final=True)
        if self._part is not None:
            self._part.close()
            self._part = None

    def _staging(self) -> Path:
        if self._folder is None:
            target = self.output.path
            assert target is not None, "Parquet output needs a folder path, not standard output"
            self.output.opened = True
            if self.output.append:
                target.mkdir(parents=True, exist_ok=True)
                self._folder = target
                self._next_part = _next_part_number(target)
            else:
                parent = target.resolve().parent
                self._folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
        return self._folder

    def _flush(self, final: bool = False) -> None:
        if not self._docs and not (final and self._schemas is None):
            return
        folder = self._staging()
        if self._schemas is None:
            self._schemas = self._decide_schemas(folder)
        doc_schema, finding_schema = self._schemas
        names = doc_schema.names
        rows = [document_row(d, self.analyzers, self._metrics) for d in self._docs]
        docs = self.pa.Table.from_pylist([{n: r.get(n) for n in names} for r in rows], doc_schema)
        found = [row for d in self._docs for row in finding_rows(d)]
        findings = self.pa.Table.from_pylist(found, finding_schema)
        self._docs = []
        if self._part is None:
            self._part = _Part(self.pq, folder, self._next_part, self._schemas)
            self._next_part += 1
        self._part.writers[0].write_table(docs)
        self._part.writers[1].write_table(findings)
        self._part.row_groups += 1
        if self._part.row_groups >= PART_ROW_GROUPS:
            self._part.close()
            self._part = None

    def _decide_schemas(self, folder: Path) -> tuple[Any, Any]:
        pa = self.pa
        existing = sorted((folder / "documents").glob("part-*.parquet"))
        if existing:  # appending: keep the columns the table already has
            doc_schema = self.pq.read_schema(existing[0])
            self._metrics = [n for n in doc_schema.names if "." in n and not n.endswith(".status")]
        else:
            ready = [d for d in self._docs if complete(d, self.analyzers)]
            self._metrics = metric_columns(self.analyzers, ready[:1] or self._docs)
            fields = []
            for name in document_columns(self.analyzers, self._metrics):
                if name in _INTS:
                    kind = pa.int64()
                elif name in self._metrics:
                    kind = pa.float64()
                else:
                    kind = pa.string()
                fields.append(pa.field(name, kind))
            doc_schema = pa.schema(fields)
        finding_fields = [
            pa.field(
                n,
                pa.int64()
                if n in _FINDING_INTS
                else pa.float64()
                if n == "confidence"
                else pa.string(),
            )
            for n in FINDING_COLUMNS
        ]
        return doc_schema, pa.schema(finding_fields)

    def close(self, ok: bool = True) -> None:
        if self._part is not None:  # an error before end(): close what is open
            with contextlib.suppress(Exception):
                self._part.close()
            self._part = None
        folder, target = self._folder, self.output.path
        if folder is None or target is None or self.output.append:
            return
        if not ok:
            shutil.rmtree(folder, ignore_errors=True)
            return
        old: Path | None = None
        if target.exists() or target.is_symlink():
            old = target.with_name(f".{target.name}.old")
            if old.exists():
                _remove(old)
            target.rename(old)
        folder.rename(target)
        if old is not None:
            _remove(old)

    def abort(self) -> None:
        self.close(ok=True)  # every closed row group is whole


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _next_part_number(folder: Path) -> int:
    numbers = [
        int(p.name.split("-")[1].split(".")[0])
        for table in _TABLES
        for p in (folder / table).glob("part-*.parquet*")
    ]
    return max(numbers, default=-1) + 1


def parquet_existing_ids(path: Path) -> set[str]:
    """Ids in a Parquet output folder; parts a crash left unfinished are removed."""
    pq = require("pyarrow.parquet", "resuming a Parquet output")
    if not path.is_dir():
        return set()
    for leftover in path.glob("*/part-*.parquet.partial"):
        leftover.unlink()
    documents = {p.name for p in (path / "documents").glob("part-*.parquet")}
    for orphan in (path / "findings").glob("part-*.parquet"):
        if orphan.name not in documents:  # its documents part never landed: done again
            orphan.unlink()
    ids: set[str] = set()
    for part in sorted((path / "documents").glob("part-*.parquet")):
        column = pq.read_table(part, columns=["id"]).column("id")
        ids.update(str(v) for v in column.to_pylist())
    return ids


SINK = SinkType(
    "parquet",
    ParquetSink,
    (".parquet",),
    True,
    "Folder of Parquet tables: documents (metrics as columns) and findings",
    existing_ids=parquet_existing_ids,
)
