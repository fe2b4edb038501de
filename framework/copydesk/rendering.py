"""How findings are shown to people: renderers registered per analyzer and format.

A sink that shows findings to people (the terminal report, an HTML view) asks a
:class:`Renderers` table for each finding; an analyzer's own renderer wins, and
any finding without one gets the default (kind, label, message). So a
third-party analyzer's findings appear in every human format without a change
to the core, and no sink special-cases one analyzer (datasette's
``render_cell`` does the same for cells).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from copydesk.model import Finding

RenderFunction = Callable[[Finding], str]


@dataclass(frozen=True)
class Mark:
    """A stretch of the text the HTML view highlights for a finding.

    A finding has one mark over its span by default; a renderer may give
    several (an attribution marks its source, cue and content) or finer roles.
    ``role`` names the style (a CSS class ``r-<role>``); ``tag`` is a short text
    shown after the mark (a source type, an entity id), so marks are told apart
    by more than colour.
    """

    start: int
    end: int
    role: str
    tag: str | None = None


MarkFunction = Callable[[Finding], Iterable[Mark]]


@dataclass(frozen=True)
class Renderer:
    """Shows one analyzer's findings in one format (``text`` or ``html``).

    ``kinds`` limits it to some finding kinds (empty: all of the analyzer's).
    For ``html``, ``render`` returns the note shown for a finding (an HTML
    fragment, escaped by the renderer), ``marks`` the stretches to highlight
    (default: the finding's span, role = its kind) and ``css`` the style rules
    of its roles (``.m.r-<role> {...}``), so the view needs no change for a new
    analyzer. ``summary`` names the metrics (without the ``<analyzer>.``
    prefix) that sum a document up in a table of contents.
    """

    analyzer: str
    render: RenderFunction = field(compare=False)
    format: str = "text"
    kinds: tuple[str, ...] = ()
    marks: MarkFunction | None = field(default=None, compare=False)
    css: str = field(default="", compare=False)
    summary: tuple[str, ...] = field(default=(), compare=False)


def describe(finding: Finding) -> str:
    """The default text for a finding: kind, [label], message."""
    line = finding.kind
    if finding.label:
        line += f" [{finding.label}]"
    if finding.message:
        line += f"  {finding.message}"
    return line


class Renderers:
    """Registered renderers, looked up by finding."""

    def __init__(self, renderers: Iterable[Renderer] = ()) -> None:
        self._table: dict[tuple[str, str, str | None], RenderFunction] = {}
        self._marks: dict[tuple[str, str | None], MarkFunction] = {}
        self._css: dict[str, str] = {}
        self._summary: dict[str, tuple[str, ...]] = {}
        for renderer in renderers:
            for kind in renderer.kinds or (None,):
                self._table.setdefault((renderer.analyzer, renderer.format, kind), renderer.render)
                if renderer.marks is not None:
                    self._marks.setdefault((renderer.analyzer, kind), renderer.marks)
            if renderer.summary:
                self._summary.setdefault(renderer.analyzer, tuple(renderer.summary))
            if renderer.css:
                self._css.setdefault(renderer.analyzer, "")
                self._css[renderer.analyzer] += renderer.css.strip() + "\n"

    def render(self, finding: Finding, format: str = "text") -> str | None:
        """The registered rendering of ``finding`` in ``format``, or None."""
        function = self._table.get((finding.analyzer, format, finding.kind)) or self._table.get(
            (finding.analyzer, format, None)
        )
        return function(finding) if function is not None else None

    def text(self, finding: Finding) -> str:
        """The line the terminal report shows for a finding (a failing renderer: the default)."""
        try:
            shown = self.render(finding, "text")
        except Exception:  # noqa: BLE001 - a broken renderer must not lose the report
            shown = None
        return shown if isinstance(shown, str) else describe(finding)

    def has_html(self, analyzer: str) -> bool:
        """True when the analyzer registered an ``html`` renderer (else the default style)."""
        return any(a == analyzer and f == "html" for a, f, _ in self._table)

    def html(self, finding: Finding) -> str:
        """The HTML note of a finding (a failing renderer: the escaped default)."""
        try:
            shown = self.render(finding, "html")
        except Exception:  # noqa: BLE001 - a broken renderer must not lose the view
            shown = None
        return shown if isinstance(shown, str) else html_escape(describe(finding))

    def marks(self, finding: Finding, text_length: int) -> list[Mark]:
        """The stretches to highlight for a finding, clipped to the text.

        A renderer's marks outside ``0..text_length`` or empty are dropped; a
        failing or empty marks function gives the default mark.
        """
        function = self._marks.get((finding.analyzer, finding.kind)) or self._marks.get(
            (finding.analyzer, None)
        )
        marks: list[Mark] = []
        if function is not None:
            try:
                marks = [
                    m
                    for m in function(finding)
                    if isinstance(m, Mark) and 0 <= m.start < m.end <= text_length
                ]
            except Exception:  # noqa: BLE001 - the default mark instead
                marks = []
        if not marks and finding.start < finding.end:
            marks = [Mark(finding.start, finding.end, finding.kind, finding.label or finding.kind)]
        return marks

    def summary(self, analyzer: str) -> tuple[str, ...]:
        """The key metrics an analyzer's renderer names (may be empty)."""
        return self._summary.get(analyzer, ())

    def css(self) -> str:
        """The style rules the renderers contribute, in registration order."""
        return "".join(self._css.values())


def html_escape(text: str) -> str:
    """Text safe inside HTML elements and quoted attributes."""
    import html

    return html.escape(text, quote=True)
