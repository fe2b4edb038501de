"""``Officials reportedly protested``: a hearsay adverb, a cue with no source in the text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from copydesk import merge_spans, subtract_spans
from copydesk_sourcing.relation import Relation
from copydesk_sourcing.rules.base import TokenRule
from copydesk_sourcing.spans import tok_range

if TYPE_CHECKING:
    from spacy.tokens import Token

    from copydesk_sourcing.context import RuleContext

HEARSAY = frozenset({"reportedly", "allegedly", "purportedly", "supposedly", "reputedly"})


def hearsay(ctx: RuleContext, adv: Token) -> None:
    """The clause the adverb modifies is the content.

    When the sentence names the source elsewhere ("according to", "as per"),
    that rule reports it and the adverb adds nothing.
    """
    sent = adv.sent
    if ctx.quotes.inside(adv.idx) or any(t.lower_ in ("according", "per") for t in sent):
        return
    head = adv.head
    whole = tok_range(ctx.doc, head.left_edge.i, head.right_edge.i + 1)
    content = ctx.clean(subtract_spans(whole, [(adv.idx, adv.idx + len(adv))]))
    if not content or len(ctx.text[content[0][0] : content[-1][1]].split()) < 3:
        return
    cue = (adv.idx, adv.idx + len(adv))
    ctx.add(Relation(cue, None, merge_spans(content), adv.lower_, "speech", "adverb", 0.7))


RULE = TokenRule(
    "hearsay",
    lambda tok: tok.lower_ in HEARSAY and tok.dep_ == "advmod",
    hearsay,
    lowers=HEARSAY,
)
