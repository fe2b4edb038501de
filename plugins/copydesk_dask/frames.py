"""``copydesk.dask.analyze``: analyze a Dask DataFrame or Bag of articles, lazily.

Returns two Dask DataFrames built on one shared step, so computing both in one
``dask.compute(metrics, findings)`` (or persisting) parses each text once:

* ``metrics``: one row per document, analyzer and metric (``id``, ``analyzer``,
  ``metric``, ``value``, ``status``, ``error``). An analyzer that failed or was
  skipped on a document has one row with ``metric`` and ``value`` empty and the
  reason in ``error``; an unreadable document (empty text) has ``status``
  ``input_error``. ``metrics.compute().pivot(index="id", columns="metric",
  values="value")`` gives one column per metric.
* ``findings``: one row per finding (``id``, ``analyzer``, ``kind``, ``start``,
  ``end``, ``text``, ``label``, ``message``, ``confidence``, ``data`` as JSON,
  ``producer``).

With a ``distributed`` client active, every worker builds the engine once (the
same worker plugin as ``--executor dask``); with Dask's local schedulers each
process builds it on first use.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable
from typing import Any, NamedTuple

from copydesk import AnalyzedDocument, Document, Engine, EngineSpec, InputError

_ANALYZED = {"id": "string", "result": "string"}
_METRICS = {
    "id": "string",
    "analyzer": "string",
    "metric": "string",
    "value": "float64",
    "status": "string",
    "error": "string",
}
_FINDINGS = {
    "id": "string",
    "analyzer": "string",
    "kind": "string",
    "start": "int64",
    "end": "int64",
    "text": "string",
    "label": "string",
    "message": "string",
    "confidence": "float64",
    "data": "string",
    "producer": "string",
}


class DaskResults(NamedTuple):
    """``metrics, findings = copydesk.dask.analyze(...)``."""

    metrics: Any
    findings: Any


def analyze(
    data: Any,
    *,
    analyzers: Iterable[str] | str | None = None,
    exclude: Iterable[str] | None = None,
    settings: dict[str, dict[str, Any]] | None = None,
    model: str | None = None,
    with_deps: bool | None = None,
    engine: Engine | None = None,
    id_column: str = "id",
    text_column: str = "text",
    title_column: str = "title",
) -> DaskResults:
    """Analyze a Dask DataFrame (``id``, ``text``, optional ``title`` columns) or a Bag
    (of ``{"id", "text", "title"?}`` dicts, :class:`~copydesk.Document` objects, or
    strings, whose id is ``text:`` and the start of the text's SHA-1) and return lazy
    ``metrics`` and ``findings`` DataFrames.

    The run is planned here (unknown analyzers and bad settings fail now); the
    model is loaded on the workers, never in this process.
    """
    from copydesk_dask import require_dask

    require_dask()
    import dask.bag as db
    import pandas as pd

    from copydesk_dask.worker import spec_token

    if engine is None:
        engine = Engine(
            analyzers=analyzers,
            exclude=exclude,
            settings=settings,
            model=model,
            with_deps=with_deps,
        )
    spec = engine.spec()
    token = spec_token(spec)
    _register_with_client(spec, token)
    if isinstance(data, db.Bag):
        records = data.map_partitions(_records_of_bag)
        frame = records.to_dataframe(
            meta=pd.DataFrame(
                {
                    "id": pd.Series(dtype="string"),
                    "text": pd.Series(dtype="string"),
                    "title": pd.Series(dtype="string"),
                }
            )
        )
        id_column, text_column, title_column = "id", "text", "title"
    else:
        frame = data
    analyzed = frame.map_partitions(
        _analyze_frame,
        spec,
        token,
        id_column,
        text_column,
        title_column,
        meta=_empty(_ANALYZED),
        enforce_metadata=False,
    )
    metrics = analyzed.map_partitions(_metrics_frame, meta=_empty(_METRICS))
    findings = analyzed.map_partitions(_findings_frame, meta=_empty(_FINDINGS))
    return DaskResults(metrics, findings)


def _register_with_client(spec: EngineSpec, token: str) -> None:
    """Load the engine on every worker of an active distributed client, once."""
    from distributed import get_client

    from copydesk_dask.worker import EnginePlugin

    try:
        client = get_client()
    except ValueError:  # no distributed client: local schedulers build on first use
        return
    with contextlib.suppress(Exception):
        client.register_plugin(EnginePlugin(spec, token), name=f"copydesk-{token}")


def _empty(columns: dict[str, str]) -> Any:
    import pandas as pd

    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


def _records_of_bag(items: Iterable[Any]) -> list[dict[str, Any]]:
    records = []
    for item in items:
        if isinstance(item, Document):
            records.append({"id": item.id, "text": item.text, "title": item.title})
        elif isinstance(item, str):
            # A bag's partitions do not know their offsets: the id comes from the text.
            digest = hashlib.sha1(item.encode("utf-8"), usedforsecurity=False).hexdigest()
            records.append({"id": f"text:{digest[:12]}", "text": item, "title": None})
        elif isinstance(item, dict):
            records.append(
                {"id": str(item["id"]), "text": item.get("text"), "title": item.get("title")}
            )
        else:
            msg = f"copydesk.dask.analyze: a bag item is {type(item).__name__}; give dicts, "
            msg += "Documents or strings"
            raise TypeError(msg)
    return records


def _analyze_frame(
    frame: Any, spec: EngineSpec, token: str, id_column: str, text_column: str, title_column: str
) -> Any:
    """One partition: analyze every row; each result as its JSON (input errors too)."""
    import pandas as pd

    from copydesk_dask.worker import engine_for

    ids = [str(v) for v in frame[id_column]]
    texts = ["" if v is None or v is pd.NA else str(v) for v in frame[text_column]]
    titles = (
        [None if v is None or v is pd.NA else str(v) for v in frame[title_column]]
        if title_column in frame.columns
        else [None] * len(ids)
    )
    documents = [
        Document(id=i, text=t or " ", title=title)
        for i, t, title in zip(ids, texts, titles, strict=True)
    ]
    engine, lock = engine_for(spec, token)
    with lock:
        results = list(engine.analyze_many(documents, executor="serial"))
    rows = []
    for doc_id, result in zip(ids, results, strict=True):
        if isinstance(result, InputError):
            payload = json.dumps({"input_error": result.message})
        else:
            payload = result.model_dump_json()
        rows.append({"id": doc_id, "result": payload})
    return pd.DataFrame(rows, columns=list(_ANALYZED)).astype(_ANALYZED)


def _metrics_frame(analyzed: Any) -> Any:
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for doc_id, payload in zip(analyzed["id"], analyzed["result"], strict=True):
        data = json.loads(payload)
        if "input_error" in data:
            rows.append(_row(doc_id, None, None, None, "input_error", data["input_error"]))
            continue
        result = AnalyzedDocument.model_validate(data)
        for run in result.analyzers:
            prefix = f"{run.name}."
            names = [k for k in result.metrics if k.startswith(prefix)]
            if run.status.value != "ok" or not names:
                rows.append(_row(doc_id, run.name, None, None, run.status.value, run.error))
            for name in names:
                rows.append(_row(doc_id, run.name, name, float(result.metrics[name]), "ok", None))
    return pd.DataFrame(rows, columns=list(_METRICS)).astype(_METRICS)


def _row(
    doc_id: str,
    analyzer: str | None,
    metric: str | None,
    value: float | None,
    status: str,
    error: str | None,
) -> dict[str, Any]:
    return {
        "id": doc_id,
        "analyzer": analyzer,
        "metric": metric,
        "value": value,
        "status": status,
        "error": error,
    }


def _findings_frame(analyzed: Any) -> Any:
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for doc_id, payload in zip(analyzed["id"], analyzed["result"], strict=True):
        data = json.loads(payload)
        for finding in data.get("findings", []):
            rows.append(
                {
                    "id": doc_id,
                    **{k: finding.get(k) for k in _FINDINGS if k not in ("id", "data")},
                    "data": json.dumps(finding.get("data") or {}, sort_keys=True),
                }
            )
    return pd.DataFrame(rows, columns=list(_FINDINGS)).astype(_FINDINGS)
