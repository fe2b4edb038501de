"""Charts of a report: Vega-Lite specifications, drawn to static SVG by vl-convert.

Why Vega-Lite drawn by ``vl-convert-python``: a chart is a small declarative
spec (kept in the JSON output, so an analyst can re-draw it in any Vega tool),
and vl-convert renders it to SVG in-process with its own bundled engine: one
wheel without dependencies, no browser, no JavaScript in the report and no CDN,
so the HTML file is self-contained and opens offline. matplotlib would do the
drawing too, but with five compiled dependencies and charts that are code, not data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from copydesk.reporting.model import Chart, Report, ReportTable

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
PERIODS = ("day", "week", "month", "year")
WIDTH = 420
MAX_GROUPS = 30  # bars per chart; more is a table's job (the chart is left out, with a note)
MAX_SERIES = 20  # lines per time series


def group_label(row: dict[str, Any], keys: Sequence[str]) -> str:
    return " / ".join(str(row.get(k)) for k in keys) or "all"


def table_spec(table: ReportTable, keys: Sequence[str]) -> dict[str, Any] | None:
    """The Vega-Lite spec of a table's :class:`Chart`, or None when it has none."""
    chart = table.chart
    if chart is None or not table.rows:
        return None
    values = []
    for row in table.records():
        row["group"] = group_label(row, keys)
        values.append(row)
    if len({v["group"] for v in values}) > MAX_GROUPS:
        return None
    return _spec(chart, values)


def column_spec(report: Report, column: str, keys: Sequence[str]) -> dict[str, Any] | None:
    """A summary column per group: a line over periods when grouped by one, else bars."""
    summary = report.tables["summary"]
    if column not in summary.columns or not summary.rows:
        return None
    period = next((k for k in keys if k in PERIODS), None)
    values = []
    for row in summary.records():
        if row.get(column) is None:
            continue
        others = [k for k in keys if k != period]
        row["group"] = group_label(row, others) if period else group_label(row, keys)
        values.append(row)
    if not values:
        return None
    if len({v["group"] for v in values}) > (MAX_SERIES if period else MAX_GROUPS):
        return None
    if period:
        dated = [v for v in values if not str(v[period]).startswith("(")]
        chart = Chart("line", x=period, y=column, color="group" if len(keys) > 1 else None)
        return _spec(chart, dated, title=column)
    return _spec(Chart("bar", x="group", y=column), values, title=column)


def _field(name: str) -> str:
    # Vega-Lite reads "a.b" as a nested field: metric names keep their dots escaped.
    return name.replace("\\", "\\\\").replace(".", "\\.").replace("[", "\\[").replace("]", "\\]")


def _spec(chart: Chart, values: list[dict[str, Any]], title: str = "") -> dict[str, Any]:
    x: dict[str, Any] = {
        "field": _field(chart.x),
        "type": "ordinal",
        "sort": None,
        "title": chart.x,
    }
    y: dict[str, Any] = {"field": _field(chart.y), "type": "quantitative", "title": chart.y}
    encoding: dict[str, Any] = {"x": x, "y": y}
    mark: Any = "bar"
    if chart.kind == "line":
        x["sort"] = "ascending"
        mark = {"type": "line", "point": True}
    if chart.color:
        encoding["color"] = {"field": _field(chart.color), "type": "nominal", "title": chart.color}
        if chart.kind == "bar":
            encoding["xOffset"] = {"field": _field(chart.color)}
    if chart.kind == "stacked":
        y["stack"] = "zero"
    shown = dict.fromkeys(f for f in (chart.x, chart.y, chart.color) if f)
    encoding["tooltip"] = [{"field": _field(f), "title": f} for f in shown]
    return {
        "$schema": SCHEMA,
        "title": chart.title or title,
        "width": WIDTH,
        "height": 220,
        "data": {"values": values},
        "mark": mark,
        "encoding": encoding,
    }


def to_svg(spec: dict[str, Any]) -> str:
    """Draw a spec as SVG (vl-convert, imported here)."""
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(spec)
    return svg
