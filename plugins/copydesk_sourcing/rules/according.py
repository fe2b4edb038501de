"""``according to X``, ``as per X``: X is the source, the rest of the sentence the content."""

from __future__ import annotations

from typing import TYPE_CHECKING

from copydesk import subtract_spans
from copydesk_sourcing.relation import Relation
from copydesk_sourcing.rules.base import TokenRule
from copydesk_sourcing.spans import after_dateline, tok_range

if TYPE_CHECKING:
    from spacy.tokens import Token

    from copydesk_sourcing.context import RuleContext


def attribute(ctx: RuleContext, first: Token, to: Token) -> None:
    """The relation cued by the two words ``first to`` ("according to", "as per")."""
    if ctx.quotes.inside(first.idx):
        return
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None and to.i + 1 < len(ctx.doc):
        pobj = ctx.doc[to.i + 1]
    source = ctx.np(pobj) if pobj is not None else None
    cue = tok_range(ctx.doc, first.i, to.i + 1)
    # Content: the sentence minus the "according to X" phrase.
    sent = first.sent
    lo = min(first.left_edge.i, first.i)
    hi = max(first.right_edge.i + 1, (pobj.right_edge.i + 1) if pobj is not None else to.i + 1)
    hole = tok_range(ctx.doc, lo, hi)
    content = ctx.clean(subtract_spans((after_dateline(ctx.text, sent), sent.end_char), [hole]))
    content = [c for c in content if len(ctx.text[c[0] : c[1]].split()) >= 2]
    if not content:
        return
    ctx.add(
        Relation(
            cue,
            source,
            content,
            "according to",
            "according",
            "according",
            0.9,
            pobj.i if pobj is not None else None,
        )
    )


def _is_according_to(tok: Token) -> bool:
    doc = tok.doc
    return tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to"


def _is_as_per(tok: Token) -> bool:
    return tok.lower_ == "per" and tok.i > 0 and tok.doc[tok.i - 1].lower_ == "as"


ACCORDING_TO = TokenRule(
    "according_to",
    _is_according_to,
    lambda ctx, tok: attribute(ctx, tok, tok.doc[tok.i + 1]),
    lowers=frozenset({"according"}),
)
AS_PER = TokenRule(
    "as_per",
    _is_as_per,
    lambda ctx, tok: attribute(ctx, tok.doc[tok.i - 1], tok),
    lowers=frozenset({"per"}),
)
