"""How entities look in the HTML article view: boxed, tagged with the merged entity id."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

from copydesk import Finding, Mark, Renderer, hookimpl

CSS = """
mark.m.a-entities.r-entity{border:1px solid #047857;border-radius:3px;padding:0 2px}
mark.m.a-entities.r-entity.last[data-tag]::after{background:#065f46}
"""


def marks(finding: Finding) -> Iterator[Mark]:
    yield Mark(finding.start, finding.end, finding.kind, finding.data.get("entity_id"))


def note(finding: Finding) -> str:
    extra = ""
    if finding.data.get("corrected"):
        was = html.escape(str(finding.data.get("original_label")))
        extra = f"<p>Label corrected (the model said {was}).</p>"
    return f"<p>{html.escape(finding.message or finding.kind)}</p>{extra}"


@hookimpl
def register_renderers(register: Any) -> None:
    register(Renderer("entities", note, format="html", marks=marks, css=CSS, summary=("count",)))
