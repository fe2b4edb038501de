"""How loaded words look in copydesk's HTML article view.

A plugin's own renderer: a red underline bar and a tint, tagged with whose
voice the word is in, and a note giving the plainer word to use. Registered
through the ``register_renderers`` hook, so copydesk's view needs no change.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

from copydesk import Finding, Mark, Renderer, hookimpl

# Dark text on #fee2e2 and white on #991b1b both pass WCAG AA (4.5:1).
CSS = """
mark.m.a-loaded_language.r-loaded_word{background:#fee2e2;border-bottom:2px solid #991b1b}
mark.m.a-loaded_language.r-loaded_word.last[data-tag]::after{background:#991b1b}
"""


def marks(finding: Finding) -> Iterator[Mark]:
    """The word, tagged with its voice ("reporter", "quoted", ...)."""
    voice = str(finding.data.get("voice") or finding.label or "loaded")
    yield Mark(finding.start, finding.end, "loaded_word", voice.replace("_", " "))


def note(finding: Finding) -> str:
    """The message, the category and the suggested plainer word."""
    data = finding.data
    parts = [f"<p>{html.escape(finding.message or finding.text)}</p>"]
    details = [f"category: <b>{html.escape(str(data.get('category', '')))}</b>"]
    if data.get("suggestion"):
        details.append(f"try: <b>{html.escape(str(data['suggestion']))}</b>")
    parts.append(f"<p>{'; '.join(details)}</p>")
    return "".join(parts)


@hookimpl
def register_renderers(register: Any) -> None:
    """Show loaded words in the HTML view with this plugin's own style."""
    register(
        Renderer(
            "loaded_language",
            note,
            format="html",
            marks=marks,
            css=CSS,
            summary=("reporter", "reporter_per_1000_words"),
        )
    )
