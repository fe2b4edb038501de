"""How hedging's findings look in the HTML article view.

Hedges get a wavy underline, boosters a dotted one; a sentence with hedges is
tagged "uncertain" at its end rather than tinted, to keep the text readable.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

from copydesk import Finding, Mark, Renderer, hookimpl

CSS = """
mark.m.a-hedging.r-hedge{text-decoration:underline wavy #b45309 1.5px;text-underline-offset:4px}
mark.m.a-hedging.r-booster{text-decoration:underline dotted #7e22ce 3px;text-underline-offset:4px}
mark.m.a-hedging.r-uncertain_sentence.last[data-tag]::after{background:#92400e}
mark.m.a-hedging.r-hedge.last[data-tag]::after,
mark.m.a-hedging.r-booster.last[data-tag]::after{background:#6b21a8}
"""


def marks(finding: Finding) -> Iterator[Mark]:
    if finding.kind == "uncertain_sentence":
        yield Mark(finding.start, finding.end, finding.kind, "uncertain")
    else:
        yield Mark(finding.start, finding.end, finding.kind)


def note(finding: Finding) -> str:
    category = finding.data.get("category") or finding.label or ""
    extra = f"<p>{html.escape(finding.kind)}: <b>{html.escape(str(category))}</b></p>"
    return f"<p>{html.escape(finding.message or finding.kind)}</p>{extra}"


@hookimpl
def register_renderers(register: Any) -> None:
    register(
        Renderer(
            "hedging",
            note,
            format="html",
            marks=marks,
            css=CSS,
            summary=("hedges_per_100_words", "boosters_per_100_words"),
        )
    )
