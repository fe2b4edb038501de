"""``PENCE: Well, look ...``: an all-caps speaker label opening a paragraph."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from copydesk_sourcing.relation import Relation
from copydesk_sourcing.rules.base import TextRule
from copydesk_sourcing.spans import trim

if TYPE_CHECKING:
    from copydesk_sourcing.context import RuleContext

_TRANSCRIPT = re.compile(r"^[\"\u201c\u201d]?([A-Z][A-Z.'\- ]{1,40}[A-Z.]):\s", re.MULTILINE)
# Labels that lead a line with a colon but name no speaker ("UPDATE:", "Photo:").
NOT_SOURCES = frozenset(
    """update updated note correction clarification related watch read photos photo video
    editor full text source sources credit caption advertisement subscribe q a
    breaking exclusive opinion analysis""".split()
)


def transcripts(ctx: RuleContext) -> None:
    """The label is the source, the rest of its line the content."""
    text = ctx.text
    for m in _TRANSCRIPT.finditer(text):
        name = m.group(1).strip()
        if name.split()[0].lower() in NOT_SOURCES:
            continue  # "UPDATE:", "CORRECTION:"
        if len(name) < 2 or not any(ch.isalpha() for ch in name):
            continue
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        content = trim(text, (m.end(), end))
        if content is None:
            continue
        cue = (m.end(1), m.end(1) + 1)
        ctx.add(Relation(cue, (m.start(1), m.end(1)), [content], ":", "speech", "transcript", 0.8))


RULE = TextRule("transcript", transcripts)
