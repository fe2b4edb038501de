"""Analyzed documents as pandas data frames, for analysis in a notebook.

``documents, findings = copydesk.to_frames(results)`` gives the same two tables
the CSV, Parquet and SQLite outputs hold (columns as in :mod:`copydesk.io.tables`),
with ``meta`` parsed back into dicts and ``data`` into dicts. pandas is imported
only when this is called, never by ``import copydesk``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from copydesk.io.corpus import require
from copydesk.io.tables import (
    FINDING_COLUMNS,
    document_columns,
    document_row,
    finding_rows,
    metric_columns,
)
from copydesk.model import AnalyzedDocument


def to_frames(results: Iterable[AnalyzedDocument]) -> tuple[Any, Any]:
    """``(documents, findings)`` as pandas DataFrames (one row per document / finding)."""
    pd = require("pandas", "copydesk.to_frames")
    docs = list(results)
    analyzers: list[str] = []
    for analyzed in docs:
        for run in analyzed.analyzers:
            if run.name not in analyzers:
                analyzers.append(run.name)
    metrics = metric_columns(analyzers, docs)
    columns = [c for c in document_columns(analyzers, metrics) if c != "extra_metrics"]
    rows = []
    for analyzed in docs:
        row = document_row(analyzed, analyzers, metrics)
        row["meta"] = analyzed.document.meta
        rows.append({c: row[c] for c in columns})
    found = []
    for analyzed in docs:
        for finding in finding_rows(analyzed):
            finding["data"] = json.loads(finding["data"])
            found.append(finding)
    documents = pd.DataFrame(rows, columns=columns)
    findings = pd.DataFrame(found, columns=list(FINDING_COLUMNS))
    return documents, findings
