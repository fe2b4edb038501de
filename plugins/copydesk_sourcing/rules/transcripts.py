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
# The furthest a match's colon lies from its line's start (mark, 42 letters).
_LONGEST_LABEL = 43
# Labels that lead a line with a colon but name no speaker ("UPDATE:", "Photo:").
NOT_SOURCES = frozenset(
    """update updated note correction clarification related watch read photos photo video
    editor full text source sources credit caption advertisement subscribe q a
    breaking exclusive opinion analysis""".split()
)


def transcripts(ctx: RuleContext) -> None:
    """The label is the source, the rest of its line the content."""
    text = ctx.text
    for m in transcript_labels(ctx):
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


def transcript_labels(ctx: RuleContext) -> list[re.Match[str]]:
    """What ``_TRANSCRIPT.finditer`` finds, tried only at the lines with a colon.

    A label holds no colon and no line break, so a match ends at its line's
    first colon (and the white space after it), at most ``_LONGEST_LABEL``
    characters from the line's start, and each line start has at most one.
    """
    found = []
    for start, colon in ctx.colon_lines:
        if colon - start <= _LONGEST_LABEL:
            m = _TRANSCRIPT.match(ctx.text, start)
            if m is not None:
                found.append(m)
    return found


RULE = TextRule("transcript", transcripts)
