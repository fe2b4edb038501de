"""How readability's hard sentences look in the HTML article view: tinted, tagged with the grade."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

from copydesk import Finding, Mark, Renderer, hookimpl

CSS = """
mark.m.a-readability.r-hard_sentence{background:#fef3c7}
mark.m.a-readability.r-hard_sentence.last[data-tag]::after{background:#78350f}
"""


def marks(finding: Finding) -> Iterator[Mark]:
    grade = finding.data.get("grade")
    tag = f"hard {grade:.1f}" if isinstance(grade, int | float) else "hard"
    yield Mark(finding.start, finding.end, finding.kind, tag)


def note(finding: Finding) -> str:
    reasons = finding.data.get("reasons") or []
    listed = "".join(f"<li>{html.escape(str(r))}</li>" for r in reasons)
    return f"<p>{html.escape(finding.message or finding.kind)}</p>" + (
        f"<ul>{listed}</ul>" if listed else ""
    )


@hookimpl
def register_renderers(register: Any) -> None:
    register(
        Renderer(
            "readability", note, format="html", marks=marks, css=CSS, summary=("consensus_grade",)
        )
    )
