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
class Renderer:
    """Shows one analyzer's findings in one format (``text`` or ``html``).

    ``kinds`` limits it to some finding kinds (empty: all of the analyzer's).
    """

    analyzer: str
    render: RenderFunction = field(compare=False)
    format: str = "text"
    kinds: tuple[str, ...] = ()


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
        for renderer in renderers:
            for kind in renderer.kinds or (None,):
                self._table.setdefault((renderer.analyzer, renderer.format, kind), renderer.render)

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
