"""How sourcing's findings look in the HTML article view.

An attribution is bracketed (a bar at each end) and marked three ways: the source (bold,
underlined, tagged with its source type), the cue (italic, double underline)
and the content (tinted), so a quotation's parts can be told apart without
colour.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

from copydesk import Finding, Mark, Renderer, hookimpl

CSS = """
mark.m.a-sourcing.r-attribution{-webkit-box-decoration-break:slice;box-decoration-break:slice}
mark.m.a-sourcing.r-attribution[data-first]{border-left:3px solid #1e40af;padding-left:2px}
mark.m.a-sourcing.r-attribution.last{border-right:3px solid #1e40af;padding-right:2px}
mark.m.a-sourcing.r-content{background:#dbeafe}
mark.m.a-sourcing.r-source{font-weight:700;text-decoration:underline solid #1e40af 2px;
text-underline-offset:3px}
mark.m.a-sourcing.r-source.last[data-tag]::after{background:#1e3a8a}
mark.m.a-sourcing.r-cue{font-style:italic;text-decoration:underline double #1e40af;
text-underline-offset:3px}
mark.m.a-sourcing.r-comment_request{border:1px dashed #1e40af;padding:0 1px}
"""


def _span(value: Any) -> tuple[int, int] | None:
    if isinstance(value, dict) and isinstance(value.get("start"), int):
        return value["start"], value["end"]
    return None


def marks(finding: Finding) -> Iterator[Mark]:
    """The attribution, then its source, cue and content fragments."""
    if finding.kind != "attribution":
        yield Mark(finding.start, finding.end, finding.kind, "comment")
        return
    data = finding.data
    yield Mark(finding.start, finding.end, "attribution")
    source = _span(data.get("source"))
    if source:
        label = str(data.get("source_type", "source")).replace("_", " ")
        yield Mark(*source, "source", label)
    cue = _span(data.get("cue"))
    if cue:
        yield Mark(*cue, "cue")
    for fragment in data.get("content_fragments") or [data.get("content")]:
        span = _span(fragment)
        if span:
            yield Mark(*span, "content")


def note(finding: Finding) -> str:
    """The message, then who, how and which rule."""
    data = finding.data
    parts = [f"<p>{html.escape(finding.message or finding.kind)}</p>"]
    if finding.kind == "attribution":
        rows = [
            ("source type", str(data.get("source_type", "")).replace("_", " ")),
            ("quotation", str(data.get("quote_type", ""))),
            ("entity", str(data.get("entity_id") or "")),
            ("confidence", f"{finding.confidence:.2f}" if finding.confidence is not None else ""),
        ]
        parts.append(
            "<p>" + "; ".join(f"{k}: <b>{html.escape(v)}</b>" for k, v in rows if v) + "</p>"
        )
    return "".join(parts)


@hookimpl
def register_renderers(register: Any) -> None:
    register(
        Renderer(
            "sourcing",
            note,
            format="html",
            marks=marks,
            css=CSS,
            summary=("attributions", "distinct_sources", "anonymous_share"),
        )
    )
