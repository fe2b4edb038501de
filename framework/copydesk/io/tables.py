"""Analyzed documents as table rows: what the CSV, Parquet and SQLite sinks and
:func:`copydesk.to_frames` write, defined once so they agree.

Documents table, one row per document, columns in this order:

* ``id``, ``title``, ``meta`` (JSON object), ``words`` (whitespace-separated
  words of the analyzed text);
* ``status``: ``ok``, or ``failed`` when some analyzer failed on it;
* ``<analyzer>.status`` for each analyzer of the run, in run order (``ok``,
  ``failed``, ``skipped``, ``not_applicable``);
* one column per metric, named ``<analyzer>.<metric>``, grouped by analyzer in
  run order and, within an analyzer, in the order the analyzer reports them;
* ``findings``: how many findings the document has;
* ``extra_metrics``: a JSON object of metrics that appeared only after the
  columns were fixed (normally ``{}``).

Findings table, one row per finding: ``document_id``, ``analyzer``, ``kind``,
``part`` (``title`` or ``body``: see :mod:`copydesk.io.corpus`), ``start``,
``end``, ``text``, ``label``, ``message``, ``confidence``, ``data`` (JSON),
``producer``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from copydesk.io.corpus import finding_part
from copydesk.model import AnalyzedDocument, RunStatus

LEADING_COLUMNS = ("id", "title", "meta", "words", "status")
TRAILING_COLUMNS = ("findings", "extra_metrics")
FINDING_COLUMNS = (
    "document_id",
    "analyzer",
    "kind",
    "part",
    "start",
    "end",
    "text",
    "label",
    "message",
    "confidence",
    "data",
    "producer",
)


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def metric_columns(analyzers: Sequence[str], documents: Iterable[AnalyzedDocument]) -> list[str]:
    """Metric column names seen in ``documents``, grouped by analyzer in run order."""
    seen: dict[str, None] = {}
    for analyzed in documents:
        for name in analyzed.metrics:
            seen.setdefault(name, None)
    order = {name: i for i, name in enumerate(analyzers)}
    by_analyzer = sorted(
        enumerate(seen), key=lambda item: (order.get(item[1].split(".")[0], len(order)), item[0])
    )
    return [name for _, name in by_analyzer]


def document_columns(analyzers: Sequence[str], metrics: Sequence[str]) -> list[str]:
    return [
        *LEADING_COLUMNS,
        *(f"{name}.status" for name in analyzers),
        *metrics,
        *TRAILING_COLUMNS,
    ]


def document_row(
    analyzed: AnalyzedDocument, analyzers: Sequence[str], metrics: Sequence[str]
) -> dict[str, Any]:
    """One document as a row of :func:`document_columns` (values: str, int, float or None)."""
    doc = analyzed.document
    row: dict[str, Any] = {
        "id": doc.id,
        "title": doc.title,
        "meta": to_json(doc.meta),
        "words": len(doc.text.split()),
        "status": "ok" if analyzed.ok else "failed",
    }
    runs = {run.name: run.status.value for run in analyzed.analyzers}
    for name in analyzers:
        row[f"{name}.status"] = runs.get(name)
    known = set(metrics)
    for name in metrics:
        row[name] = analyzed.metrics.get(name)
    row["findings"] = len(analyzed.findings)
    extra = {k: v for k, v in analyzed.metrics.items() if k not in known}
    row["extra_metrics"] = to_json(extra)
    return row


def finding_rows(analyzed: AnalyzedDocument) -> list[dict[str, Any]]:
    """The document's findings as rows of :data:`FINDING_COLUMNS`."""
    meta = analyzed.document.meta
    return [
        {
            "document_id": analyzed.document.id,
            "analyzer": f.analyzer,
            "kind": f.kind,
            "part": finding_part(f.start, meta),
            "start": f.start,
            "end": f.end,
            "text": f.text,
            "label": f.label,
            "message": f.message,
            "confidence": f.confidence,
            "data": to_json(f.data),
            "producer": f.producer,
        }
        for f in analyzed.findings
    ]


def complete(analyzed: AnalyzedDocument, analyzers: Sequence[str]) -> bool:
    """Whether every analyzer of the run completed on it (its metrics show all columns)."""
    runs = {run.name: run.status for run in analyzed.analyzers}
    return all(runs.get(name) is RunStatus.OK for name in analyzers)
