"""``In this poll, Trump rose``, ``safe in his eyes``: the object of "in" is the source."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from copydesk import subtract_spans
from copydesk_sourcing.relation import Relation
from copydesk_sourcing.rules.base import TokenRule
from copydesk_sourcing.spans import tok_range, trim
from copydesk_sourcing.word_flags import flag_table, flags_of

if TYPE_CHECKING:
    from spacy.tokens import Token

    from copydesk_sourcing.context import RuleContext
    from copydesk_sourcing.token_table import TokenTable

# "in his view", "in this poll": a prepositional source.
_IN_SOURCES = frozenset("poll polls survey surveys view eyes words opinion estimation".split())


def in_source(ctx: RuleContext, prep: Token) -> None:
    """The relation cued by "in" when its object is a poll or someone's view."""
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.lower_ not in _IN_SOURCES or ctx.quotes.inside(prep.idx):
        return
    if pobj.lower_ in ("view", "eyes", "words", "opinion", "estimation") and not any(
        c.dep_ == "poss" for c in pobj.children
    ):
        return  # "in view of", "in other words"
    head = prep.head
    while head.dep_ in ("acomp", "attr", "oprd") and head.head.i != head.i:
        head = head.head
    whole = tok_range(ctx.doc, head.left_edge.i, head.right_edge.i + 1)
    hole = tok_range(ctx.doc, prep.i, prep.right_edge.i + 1)
    content = ctx.clean(subtract_spans(whole, [hole]))
    content = [c for c in content if len(ctx.text[c[0] : c[1]].split()) >= 2]
    if not content:
        return
    owner = next((c for c in pobj.children if c.dep_ == "poss"), None)
    if owner is not None and pobj.lower_ not in _IN_SOURCES - {"view", "eyes", "words"}:
        # "in his eyes": the holder is the possessor ("his" -> the person).
        source = trim(ctx.text, tok_range(ctx.doc, owner.left_edge.i, owner.i + 1))
        if source is not None and ctx.text[source[0] : source[1]].endswith(("'s", "\u2019s")):
            source = (source[0], source[1] - 2)
        pobj = owner
    else:
        source = ctx.np(pobj)
    cue = (prep.idx, prep.idx + len(prep))
    ctx.add(Relation(cue, source, content, "in", "other", "in", 0.6, pobj.i))


def with_source_object(table: TokenTable) -> Any:
    """The tokens with a "pobj" child among ``_IN_SOURCES``: the only ones
    ``in_source`` can add a relation from (its first "pobj" child must be one).

    Why: "in" is among the commonest words; the rule claimed some 800 of them a
    pass over PolNeAR dev and added 5 relations. A few array operations a
    document keep the other "in"s from ever becoming a ``Token``.
    """
    import numpy as np

    words_table, pobj = _source_object_ids()
    keep = np.zeros(table.n, dtype=bool)
    words = np.flatnonzero(flags_of(table.lower_ids, words_table))
    if len(words):
        keep[table.heads[words[table.dep_ids[words] == pobj]]] = True
    return keep


@functools.cache
def _source_object_ids() -> tuple[tuple[Any, Any], int]:
    """The flag table of ``_IN_SOURCES`` and the id of "pobj", once per process."""
    from spacy.strings import get_string_id

    return flag_table(((_IN_SOURCES, 1),)), get_string_id("pobj")


RULE = TokenRule(
    "in_source",
    lambda tok: (
        tok.lower_ == "in" and tok.dep_ == "prep" and tok.head.pos_ in ("VERB", "AUX", "ADJ")
    ),
    in_source,
    lowers=frozenset({"in"}),
    worth=with_source_object,
)
