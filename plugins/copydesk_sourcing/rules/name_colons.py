"""``Sanders: Clinton needs to ...``: a headline or line led by a name and a colon."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from copydesk_sourcing.relation import Relation
from copydesk_sourcing.rules.base import TextRule
from copydesk_sourcing.rules.transcripts import NOT_SOURCES
from copydesk_sourcing.spans import trim

if TYPE_CHECKING:
    from copydesk_sourcing.context import RuleContext

# "Pat Caddell: Democrat Voters Worried ...": a headline or line led by a name and a colon.
_NAME_COLON = re.compile(
    r"^((?:[A-Z][\w.'\u2019-]*)(?: (?:[A-Z][\w.'\u2019-]*|of|de|van|von)){0,3}):[ \t]+(?=\S)",
    re.MULTILINE,
)


def name_colons(ctx: RuleContext) -> None:
    """The name is the source, the rest of its line (three words or more) the content."""
    text = ctx.text
    for m in name_labels(ctx):
        name = m.group(1)
        words = name.lower().replace("\u2019", "'").split()
        if not words or words[0] in NOT_SOURCES or name.isupper():
            continue  # "UPDATE:", all-caps labels are the transcript rule's
        if ctx.quotes.inside(m.start()):
            continue
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        content = trim(text, (m.end(), end))
        if content is None or len(text[content[0] : content[1]].split()) < 3:
            continue
        cue = (m.end(1), m.end(1) + 1)
        root = ctx.doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        ctx.add(
            Relation(
                cue,
                (m.start(1), m.end(1)),
                [content],
                ":",
                "speech",
                "colon_line",
                0.6,
                root.root.i if root is not None else None,
            )
        )


def name_labels(ctx: RuleContext) -> list[re.Match[str]]:
    """What ``_NAME_COLON.finditer`` finds, tried only at the lines with a colon
    (a name holds no colon or line break: a match runs to its line's first colon)."""
    found = []
    for start, _ in ctx.colon_lines:
        m = _NAME_COLON.match(ctx.text, start)
        if m is not None:
            found.append(m)
    return found


RULE = TextRule("colon_line", name_colons)
