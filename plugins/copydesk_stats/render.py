"""How stats' long sentences look in the HTML article view: a grey band, tagged with the length."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from copydesk import Finding, Mark, Renderer, hookimpl

CSS = """
mark.m.a-stats.r-long_sentence{background-image:linear-gradient(transparent 86%,#6b7280 86%)}
"""


def marks(finding: Finding) -> Iterator[Mark]:
    words = re.match(r"\d+", finding.message or "")
    yield Mark(
        finding.start, finding.end, finding.kind, f"long {words.group()}" if words else "long"
    )


def note(finding: Finding) -> str:
    return f"<p>{html.escape(finding.message or finding.kind)}</p>"


@hookimpl
def register_renderers(register: Any) -> None:
    register(
        Renderer(
            "stats",
            note,
            format="html",
            marks=marks,
            css=CSS,
            summary=("sentences", "mean_sentence_words"),
        )
    )
