"""``copydesk report``: copydesk's saved results summed up by outlet, author or date.

The query engine is DuckDB, imported only when a report is computed (the
``report`` extra: ``pip install 'copydesk[report]'``). Each analyzer says how
its results add up across documents through the ``register_aggregations``
hook; every numeric metric also gets default statistics without registering
anything. See the reports page of the docs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from copydesk.reporting.model import Aggregation, Chart, Report, ReportTable

__all__ = [
    "Aggregation",
    "Chart",
    "Report",
    "ReportError",
    "ReportTable",
    "collect_aggregations",
    "make_report",
]


def __getattr__(name: str) -> Any:
    if name == "ReportError":
        from copydesk.reporting.engine import ReportError

        return ReportError
    msg = f"module 'copydesk.reporting' has no attribute {name!r}"
    raise AttributeError(msg)


def collect_aggregations(host: Any = None) -> list[Aggregation]:
    """Every aggregation the loaded plugins register, in registration order."""
    if host is None:
        from copydesk.plugins import make_plugin_host

        host = make_plugin_host()
    found = host.aggregations()
    return [a for a in found.values() if isinstance(a, Aggregation)]


def make_report(
    results: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    by: Iterable[str] | str = (),
    *,
    host: Any = None,
    aggregations: Iterable[Aggregation] | None = None,
    top: int = 10,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> Report:
    """Compute a report (see :func:`copydesk.report`).

    ``aggregations`` replaces the plugins' (for tests and special reports);
    ``top`` is how many names the people and organisation tables keep per group;
    ``memory_limit`` (DuckDB's, e.g. ``"700MB"``) is where it starts spilling to disk.
    """
    from copydesk.reporting.engine import compute

    paths = (
        [Path(results)] if isinstance(results, str | os.PathLike) else [Path(p) for p in results]
    )
    groups = [by] if isinstance(by, str) else list(by)
    aggs = list(aggregations) if aggregations is not None else collect_aggregations(host)
    return compute(paths, groups, aggs, top=top, memory_limit=memory_limit, threads=threads)
