"""The HTML article view: the text itself, with every finding marked where it stands.

One self-contained file (style and script inline, nothing fetched), so it works
offline and when mailed. Each analyzer says how its findings look through the
``register_renderers`` hook (:class:`~copydesk.rendering.Renderer` with
``format="html"``: the note, the marks, the style); a finding with no renderer
gets a default mark (dashed outline and its kind), so a third-party analyzer's
findings appear without any change here.

Marks may overlap and nest (a hedge inside a quotation inside an attribution):
they are written as properly nested ``<mark>`` elements, a mark that crosses
another's end being split into pieces that share its finding id. The first
piece of each finding takes keyboard focus; focus or hover shows the note; the
side panel lists every finding's note, the analyzers' status and the metrics,
and holds one toggle per analyzer.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from copydesk.io.sinks import Output, Sink
from copydesk.model import AnalyzedDocument, RunStatus
from copydesk.rendering import Renderers, html_escape

if TYPE_CHECKING:
    from copydesk.session import RunSummary

_CLASS_SAFE = re.compile(r"[^A-Za-z0-9_-]")


def _asset(name: str) -> str:
    """The view's style (view.css) or script (view.js), shipped beside this module.

    Text #1a1a1a on white is 17:1; every colour there keeps its text at 4.5:1 or
    more (WCAG AA), checked in the browser test. Marks differ by shape too
    (outline, underline style, tag), never by colour alone.
    """
    from importlib import resources

    return resources.files("copydesk.views").joinpath(name).read_text(encoding="utf-8")


def css_class(name: str) -> str:
    """A name made safe for a CSS class."""
    return _CLASS_SAFE.sub("_", name)


@dataclass
class _Mark:
    start: int
    end: int
    order: int
    finding_id: str
    analyzer: str
    kind: str
    role: str
    tag: str | None
    default: bool
    pieces: int = 0
    total: int = 0


@dataclass
class _Token:
    kind: str  # open | close | text
    mark: _Mark | None = None
    text: str = ""
    piece: int = 0


def nest_marks(text: str, marks: list[_Mark]) -> list[_Token]:
    """Open and close tokens for marks that may overlap, always properly nested.

    At each boundary, marks ending there are closed; a mark above them on the
    stack that goes on is closed too and reopened (a new piece), outermost
    (latest end) first, together with the marks starting there.
    """
    starts: dict[int, list[_Mark]] = {}
    bounds = {0, len(text)}
    for mark in marks:
        starts.setdefault(mark.start, []).append(mark)
        bounds.update((mark.start, mark.end))
    ordered = sorted(bounds)
    tokens: list[_Token] = []
    stack: list[_Mark] = []
    for i, pos in enumerate(ordered):
        reopen: list[_Mark] = []
        ending = [n for n, m in enumerate(stack) if m.end == pos]
        if ending:
            low = ending[0]
            reopen = [m for m in stack[low:] if m.end != pos]
            for m in reversed(stack[low:]):
                tokens.append(_Token("close", m))
            del stack[low:]
        for m in sorted(reopen + starts.get(pos, []), key=lambda m: (-m.end, m.order)):
            m.pieces += 1
            tokens.append(_Token("open", m, piece=m.pieces))
            stack.append(m)
        if i + 1 < len(ordered):
            tokens.append(_Token("text", text=text[pos : ordered[i + 1]]))
    for m in marks:
        m.total = m.pieces
    return tokens


def _open_tag(token: _Token) -> str:
    m = token.mark
    assert m is not None
    classes = ["m", f"a-{css_class(m.analyzer)}", f"r-{css_class(m.role)}"]
    if m.default:
        classes.append("dflt")
    if token.piece == m.total:
        classes.append("last")
    attrs = [
        f'class="{" ".join(classes)}"',
        f'data-f="{m.finding_id}"',
        f'data-a="{html_escape(m.analyzer)}"',
        f'data-k="{html_escape(m.kind)}"',
        f'data-role="{html_escape(m.role)}"',
    ]
    if token.piece == m.total and m.tag:
        attrs.append(f'data-tag="{html_escape(m.tag)}"')
    if token.piece == 1 and m.order == 0:
        attrs += ["data-first", 'tabindex="0"', f'aria-describedby="{m.finding_id}"']
    return f"<mark {' '.join(attrs)}>"


def _number(value: float | int) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def render_document(
    analyzed: AnalyzedDocument, renderers: Renderers | None = None, index: int = 1
) -> str:
    """One document as an ``<article>``: marked text and its side panel."""
    renderers = renderers or Renderers()
    doc = analyzed.document
    text = doc.text
    marks: list[_Mark] = []
    notes: list[str] = []
    legend: dict[str, dict[tuple[str, str], tuple[str | None, bool]]] = {}
    for n, finding in enumerate(analyzed.findings, start=1):
        fid = f"d{index}-f{n}"
        default = not renderers.has_html(finding.analyzer)
        found = renderers.marks(finding, len(text))
        found.sort(key=lambda m: (m.start, -m.end))
        for order, mark in enumerate(found):
            marks.append(
                _Mark(
                    mark.start,
                    mark.end,
                    order,
                    fid,
                    finding.analyzer,
                    finding.kind,
                    mark.role,
                    mark.tag,
                    default,
                )
            )
            legend.setdefault(finding.analyzer, {}).setdefault(
                (mark.role, finding.kind), (mark.tag, default)
            )
        link = f' <a href="#{fid}-m">show</a>' if found else ""
        notes.append(
            f'<li id="{fid}" data-a="{html_escape(finding.analyzer)}">'
            f'<span class="kind">{html_escape(finding.analyzer)} \u00b7 '
            f"{html_escape(finding.kind)}</span>{link}"
            f'<div class="note">{renderers.html(finding)}</div></li>'
        )
    # stable order: by start, outer first, then finding order (list.sort is stable)
    marks.sort(key=lambda m: (m.start, -m.end))
    parts: list[str] = []
    anchored: set[str] = set()
    for token in nest_marks(text, marks):
        if token.kind == "text":
            parts.append(html_escape(token.text))
        elif token.kind == "close":
            parts.append("</mark>")
        else:
            tag = _open_tag(token)
            assert token.mark is not None
            if token.mark.finding_id not in anchored:
                anchored.add(token.mark.finding_id)
                tag = tag.replace("<mark ", f'<mark id="{token.mark.finding_id}-m" ', 1)
            parts.append(tag)
    heading = html_escape(doc.title or doc.id)
    words = len(text.split())
    sub = f"{html_escape(doc.id)} \u00b7 {words} words" if doc.title else f"{words} words"
    return (
        f'<article class="cd-doc" id="doc-{index}" aria-labelledby="doc-{index}-h">'
        f'<h2 id="doc-{index}-h">{heading}<small>{sub}</small></h2>'
        f'<div class="cd-layout"><div class="cd-text" lang="en">{"".join(parts)}</div>'
        f'<aside class="cd-panel" aria-label="Findings and metrics of {heading}">'
        f"{_toggles(analyzed, legend)}{_status_table(analyzed)}{_metrics(analyzed)}"
        f'<details open><summary>Findings ({len(notes)})</summary><ol class="cd-findings">'
        f"{''.join(notes)}</ol></details></aside></div></article>"
    )


def _toggles(
    analyzed: AnalyzedDocument,
    legend: dict[str, dict[tuple[str, str], tuple[str | None, bool]]],
) -> str:
    rows = []
    for run in analyzed.analyzers:
        count = len(analyzed.findings_of(analyzer=run.name))
        if not count:
            continue
        samples = " ".join(
            f'<mark class="m a-{css_class(run.name)} r-{css_class(role)} last'
            f'{" dflt" if default else ""}"'
            + (f' data-tag="{html_escape(tag)}"' if tag else "")
            + f">{html_escape(kind if role == kind else role)}</mark>"
            for (role, kind), (tag, default) in legend.get(run.name, {}).items()
        )
        rows.append(
            f'<label><input type="checkbox" checked data-toggle="{html_escape(run.name)}">'
            f"<span><b>{html_escape(run.name)}</b> ({count})<br>"
            f'<span class="cd-legend">{samples}</span></span></label>'
        )
    if not rows:
        return "<h3>Marks</h3><p>No findings.</p>"
    return (
        '<h3>Marks</h3><fieldset><legend class="cd-skip">Show marks of</legend>'
        f"{''.join(rows)}</fieldset>"
    )


def _status_table(analyzed: AnalyzedDocument) -> str:
    rows = []
    for run in analyzed.analyzers:
        status = run.status.value
        error = f"<br>{html_escape(run.error)}" if run.error else ""
        rows.append(
            f"<tr><td>{html_escape(run.name)}</td><td>{html_escape(run.version)}</td>"
            f'<td class="st-{status}">{status.replace("_", " ")}{error}</td>'
            f'<td class="num">{run.seconds:.3f} s</td></tr>'
        )
    return (
        "<h3>Analyzers</h3><table><thead><tr><th>name</th><th>version</th><th>status</th>"
        f'<th class="num">time</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _metrics(analyzed: AnalyzedDocument) -> str:
    if not analyzed.metrics:
        return ""
    groups: dict[str, list[str]] = {}
    for key, value in analyzed.metrics.items():
        name, _, metric = key.partition(".")
        groups.setdefault(name, []).append(
            f'<tr><td>{html_escape(metric or key)}</td><td class="num">{_number(value)}</td></tr>'
        )
    body = "".join(
        f"<details><summary>{html_escape(name)}</summary><table>{''.join(rows)}</table></details>"
        for name, rows in groups.items()
    )
    return f"<h3>Metrics</h3>{body}"


@dataclass
class _TocRow:
    index: int
    title: str
    words: int
    counts: dict[str, int] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    key_metrics: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def _toc_row(analyzed: AnalyzedDocument, index: int, renderers: Renderers) -> _TocRow:
    """A document's line in the table of contents: words, findings and key metrics."""
    doc = analyzed.document
    row = _TocRow(index, doc.title or doc.id, len(doc.text.split()))
    for run in analyzed.analyzers:
        row.counts[run.name] = len(analyzed.findings_of(analyzer=run.name))
        if run.status is not RunStatus.OK:
            row.problems[run.name] = run.status.value.replace("_", " ")
        shown = []
        for metric in renderers.summary(run.name):
            value = analyzed.metrics.get(f"{run.name}.{metric}")
            if value is not None:
                shown.append((metric.replace("_", " "), _number(value)))
        row.key_metrics[run.name] = shown
    return row


def _toc(rows: list[_TocRow]) -> str:
    names: list[str] = []
    for row in rows:
        names += [n for n in row.counts if n not in names]
    head = "".join(f"<th>{html_escape(n)}</th>" for n in names)
    body = []
    for row in rows:
        cells = []
        for name in names:
            if name in row.problems:
                cells.append(
                    f'<td class="st-{row.problems[name].replace(" ", "_")}">'
                    f"{html_escape(row.problems[name])}</td>"
                )
                continue
            count = row.counts.get(name)
            lines = [] if count is None else [f"<b>{count}</b> finding{'s' * (count != 1)}"]
            lines += [f"{html_escape(k)} <b>{v}</b>" for k, v in row.key_metrics.get(name, [])]
            cells.append(f"<td>{'<br>'.join(lines)}</td>")
        body.append(
            f'<tr><td><a href="#doc-{row.index}">{html_escape(row.title)}</a></td>'
            f'<td class="num">{row.words}</td>{"".join(cells)}</tr>'
        )
    return (
        '<nav class="cd-toc" aria-labelledby="toc-h">'
        f'<h1 id="toc-h">{len(rows)} documents</h1>'
        '<table><caption class="cd-skip">Findings and key metrics per analyzer</caption>'
        f'<thead><tr><th>document</th><th class="num">words</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></nav>"
    )


def page_head(title: str, renderers: Renderers) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="copydesk">'
        f"<title>{html_escape(title)}</title><style>{_asset('view.css')}{renderers.css()}</style>"
        '</head><body><a class="cd-skip" href="#main">Skip to the article</a>'
        '<main id="main">'
    )


def page_tail() -> str:
    return (
        '</main><div id="cd-tip" role="tooltip" hidden></div>'
        f"<script>{_asset('view.js')}</script></body></html>\n"
    )


def render_page(results: Iterable[AnalyzedDocument], renderers: Renderers | None = None) -> str:
    """A whole page for some analyzed documents (a table of contents for several)."""
    renderers = renderers or Renderers()
    items = list(results)
    sections = [render_document(a, renderers, n) for n, a in enumerate(items, start=1)]
    toc = (
        _toc([_toc_row(a, n, renderers) for n, a in enumerate(items, start=1)])
        if len(items) > 1
        else ""
    )
    return page_head(_title(items), renderers) + toc + "".join(sections) + page_tail()


def _title(items: list[AnalyzedDocument]) -> str:
    if len(items) == 1:
        doc = items[0].document
        return f"{doc.title or doc.id} \u2014 copydesk"
    return f"{len(items)} documents \u2014 copydesk"


class HtmlSink(Sink):
    """The article view as one self-contained HTML file (``--format html``).

    Sections are spooled (in memory, on disk past a few MB) as documents come,
    and written after the table of contents at the end, so the page reads in
    document order without holding a corpus in memory.
    """

    def __init__(self, output: Output, renderers: Renderers | None = None) -> None:
        super().__init__(output, renderers)
        self._spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed in end/abort
            max_size=8 * 1024 * 1024, mode="w+", encoding="utf-8"
        )
        self._rows: list[_TocRow] = []
        self._first: AnalyzedDocument | None = None

    def write(self, analyzed: AnalyzedDocument) -> None:
        index = len(self._rows) + 1
        self._rows.append(_toc_row(analyzed, index, self.renderers))
        if index == 1:
            self._first = analyzed
        self._spool.write(render_document(analyzed, self.renderers, index))

    def end(self, summary: RunSummary) -> None:
        out = self.output.text()
        if len(self._rows) == 1 and self._first is not None:
            title = _title([self._first])
        else:
            title = f"{len(self._rows)} documents \u2014 copydesk"
        out.write(page_head(title, self.renderers))
        if len(self._rows) > 1:
            out.write(_toc(self._rows))
        elif not self._rows:
            out.write("<p>No documents.</p>")
        self._spool.seek(0)
        while chunk := self._spool.read(1 << 16):
            out.write(chunk)
        out.write(page_tail())
        out.flush()
        self._spool.close()

    def abort(self) -> None:
        self._spool.close()
        super().abort()


def repr_html(analyzed: AnalyzedDocument, renderers: Renderers | None = None) -> str:
    """The view inside an ``<iframe>`` (for Jupyter): its style and script stay inside."""
    if renderers is None:
        from copydesk.plugins import make_plugin_host

        renderers = Renderers(make_plugin_host().renderers())
    page = render_page([analyzed], renderers)
    return (
        '<iframe style="width:100%;height:640px;border:1px solid #d1d5db;resize:vertical" '
        f'title="{html_escape(_title([analyzed]))}" srcdoc="{html_escape(page)}"></iframe>'
    )
