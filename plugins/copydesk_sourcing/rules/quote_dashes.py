"""``"..." ― Jane Doe``: a quotation signed with a dash."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from copydesk_sourcing.relation import Relation
from copydesk_sourcing.rules.base import TextRule
from copydesk_sourcing.spans import trim

if TYPE_CHECKING:
    from copydesk_sourcing.context import RuleContext

_QUOTE_DASH = re.compile(
    r"[\u201d\"]\s*([\u2015\u2014\u2013]|--)\s*([A-Z][^\n\u201c\"]{1,60}?)[.\s]*(?=\n|$)"
)


def quote_dashes(ctx: RuleContext) -> None:
    """The name after the dash is the source, the quotation before it the content."""
    for m in _QUOTE_DASH.finditer(ctx.text):
        q = ctx.quotes.at(m.start())
        if q is None:
            continue
        name = trim(ctx.text, (m.start(2), m.end(2)))
        if name is None:
            continue
        cue = (m.start(1), m.end(1))
        ctx.add(Relation(cue, name, [(q.start, q.end)], "\u2015", "speech", "dash", 0.8))


RULE = TextRule("dash", quote_dashes)
