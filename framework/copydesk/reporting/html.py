"""The report as one self-contained HTML file: tables and inline SVG charts, no script."""

from __future__ import annotations

import html
from typing import Any

from copydesk.reporting.model import Report, ReportTable
from copydesk.reporting.outputs import escape

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;
max-width:72rem;padding:0 1rem;color:#1d2329;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #e3e7eb;
padding-bottom:.2rem}h3{margin-top:1.6rem}
.meta{color:#5a6570}.notes{background:#fff8e1;border-left:4px solid #f0b400;padding:.5rem 1rem}
table{border-collapse:collapse;margin:.6rem 0;font-variant-numeric:tabular-nums}
th,td{padding:.25rem .6rem;border-bottom:1px solid #e3e7eb;text-align:left;vertical-align:top}
td.num{text-align:right}th{background:#f4f6f8;font-weight:600}
.scroll{overflow-x:auto}.charts{display:flex;flex-wrap:wrap;gap:1rem}
.chart{margin:.8rem 0}.chart svg{max-width:100%;height:auto}
p.desc{color:#5a6570;margin:.2rem 0}details summary{cursor:pointer;color:#2457a6}
"""


def render(report: Report) -> str:
    """The whole report page."""
    keys = report.keys
    charts, failed = _charts(report)
    drawable = {n for t in report.tables.values() if t.chart for n in [t.name]} | set(report.plots)
    skipped = sorted(drawable - set(charts))
    if skipped and not failed:
        failed.append(
            f"charts left out, too many groups to draw (see the tables): {', '.join(skipped)}"
        )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>copydesk report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>copydesk report</h1>",
        f'<p class="meta">{report.documents:,} documents from '
        f"{html.escape(', '.join(report.inputs))}; grouped by "
        f"{html.escape(', '.join(report.by) or 'nothing (the whole corpus)')}.</p>",
    ]
    notes = report.notes + failed
    if notes:
        parts.append('<div class="notes"><strong>Notes</strong><ul>')
        parts += [f"<li>{html.escape(n)}</li>" for n in notes]
        parts.append("</ul></div>")
    summary = report.tables["summary"]
    parts.append('<h2 id="summary">Summary</h2>')
    parts.append(f'<p class="desc">{html.escape(summary.description)}</p>')
    parts.append(_table(summary, report.descriptions))
    plotted = [_chart(charts[c], c) for c in report.plots if c in charts]
    if plotted:
        parts.append('<div class="charts">' + "".join(plotted) + "</div>")
    sections: dict[str, list[ReportTable]] = {}
    for name, table in report.tables.items():
        if name not in ("summary", "metrics"):
            sections.setdefault(name.split(".")[0], []).append(table)
    for analyzer, tables in sections.items():
        parts.append(f'<h2 id="{html.escape(analyzer)}">{html.escape(analyzer.title())}</h2>')
        for table in tables:
            parts.append(f'<h3 id="{html.escape(table.name)}">{html.escape(table.name)}</h3>')
            if table.description:
                parts.append(f'<p class="desc">{html.escape(table.description)}</p>')
            if table.name in charts:
                parts.append(_chart(charts[table.name], table.name))
            parts.append(_table(table) if table.rows else "<p>No rows.</p>")
    metrics = report.tables.get("metrics")
    if metrics is not None:
        parts.append('<h2 id="metrics">Every metric</h2>')
        parts.append(f'<p class="desc">{html.escape(metrics.description)}</p>')
        parts.append(f"<details><summary>{len(metrics):,} rows</summary>")
        parts.append(_table(metrics))
        parts.append("</details>")
    parts.append(f'<p class="meta">Group columns: {html.escape(", ".join(keys))}.</p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _charts(report: Report) -> tuple[dict[str, str], list[str]]:
    """SVG per chart name; a note instead when the charts cannot be drawn."""
    specs = report.charts()
    if not specs:
        return {}, []
    try:
        from copydesk.reporting.charts import to_svg
    except ImportError:  # pragma: no cover - the report extra brings it
        return {}, ["charts left out: vl-convert-python is not installed"]
    out: dict[str, str] = {}
    failed: list[str] = []
    for name, spec in specs.items():
        try:
            out[name] = to_svg(spec)
        except ImportError:
            return {}, ["charts left out: vl-convert-python is not installed"]
        except Exception as exc:  # noqa: BLE001 - one chart must not sink the report
            failed.append(f"chart {name}: left out ({type(exc).__name__}: {exc})")
    return out, failed


def _chart(svg: str, name: str) -> str:
    # vl-convert's SVG: strip the XML prolog if any; it is inlined as is (static, no script).
    body = svg[svg.find("<svg") :]
    return f'<figure class="chart" aria-label="{html.escape(name)}">{body}</figure>'


MAX_ROWS = 2000  # per HTML table; the CSV, Parquet and JSON outputs have every row


def _table(table: ReportTable, descriptions: dict[str, str] | None = None) -> str:
    descriptions = descriptions or {}
    head = "".join(
        f'<th title="{html.escape(descriptions.get(c, ""))}">{html.escape(c)}</th>'
        for c in table.columns
    )
    rows = []
    for row in table.rows[:MAX_ROWS]:
        cells = "".join(
            f'<td class="num">{escape(v)}</td>' if _number(v) else f"<td>{escape(v)}</td>"
            for v in row
        )
        rows.append(f"<tr>{cells}</tr>")
    more = (
        f'<p class="desc">The first {MAX_ROWS:,} of {len(table):,} rows; the CSV, Parquet and '
        "JSON outputs have them all.</p>"
        if len(table) > MAX_ROWS
        else ""
    )
    return (
        f'<div class="scroll"><table data-table="{html.escape(table.name)}"><thead><tr>{head}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{more}"
    )


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
