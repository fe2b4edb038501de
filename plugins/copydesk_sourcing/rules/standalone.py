"""Quotations that carry no cue of their own: chained to the last speaker, or stand-alone.

A quotation right after an attributed quotation continues it ('"We won," he
said. "It was close."'); a quotation paragraph with no cue nearby is attributed
to the last speaker, with its opening mark as the cue. Runs last: it needs every
other rule's relations.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from copydesk_sourcing.relation import Relation
from copydesk_sourcing.rules.base import TextRule

if TYPE_CHECKING:
    from copydesk_sourcing.context import RuleContext
    from copydesk_sourcing.quotes import Quote

# How many characters may lie between a speaker's relation and a quotation in
# the same paragraph for the quotation to go on with that speaker: room for the
# rest of the attribution sentence ('he said on Monday. "It was close."'), not
# for another sentence, which may bring in another speaker. Set by hand when
# chaining came in (849f64a), not tuned.
_NEAR = 80


def chain_and_standalone(ctx: RuleContext) -> None:
    """Extend the previous quoted relation, or add a stand-alone one inheriting its source."""
    text = ctx.text
    used: set[int] = set()
    for rel in ctx.relations:
        used |= rel.quote_groups
    claimed = [r for rel in ctx.relations for r in [rel.cue, *([rel.source] if rel.source else [])]]
    speakers = _Speakers(ctx.relations)
    groups: dict[int, list[Quote]] = {}
    for q in ctx.quotes.quotes:
        groups.setdefault(q.group, []).append(q)
    for group, pieces in sorted(groups.items(), key=lambda kv: kv[1][0].start):
        if group in used:
            continue
        start, end = pieces[0].start, pieces[-1].end
        if any(start < b and a < end for a, b in claimed):
            continue
        words = sum(ctx.quotes.words(p) for p in pieces)
        last = speakers.last_before(start)
        if last is None:
            continue
        gap = text[last.end : start]
        if last.quote_groups and words >= 2 and next_sentence(text, gap, start):
            # '"They sue," he said. "Everybody sues, right?"': the parser often
            # keeps the second quotation in the speaker's sentence, and it may be
            # short; it goes on with the same speaker.
            speakers.extend(last, group, pieces)
            used.add(group)
            continue
        if words < 4 or not stands_alone(ctx, pieces[0]):
            continue
        # Same paragraph ('"We won," he said on Monday. "It was close."') or the
        # very next paragraph after a quotation: the speaker goes on.
        same_para = "\n" not in gap and len(gap) < _NEAR
        next_para = gap.count("\n") <= 2 and not gap.strip(' \n\u00a0.,"\u201d')
        if last.quote_groups and (same_para or next_para):
            speakers.extend(last, group, pieces)
            used.add(group)
            continue
        if gap.count("\n") > 4:
            continue
        cue = (pieces[0].start, pieces[0].start + 1)
        rel = Relation(
            cue,
            None,
            [(p.start, p.end) for p in pieces],
            "\u201c",
            "quote",
            "standalone",
            0.5,
            None,
            {group},
        )
        rel.inherited = last
        ctx.relations.append(rel)
        used.add(group)


class _Speakers:
    """The relations with a source, by where they end: which one a quotation follows.

    Kept sorted so each quotation finds its speaker by bisection instead of a
    scan of every relation (a long interview has hundreds of both).
    """

    def __init__(self, relations: list[Relation]) -> None:
        self.items = sorted((r.end, i, r) for i, r in enumerate(relations) if r.source is not None)
        self.ends = [e for e, _, _ in self.items]

    def last_before(self, pos: int) -> Relation | None:
        k = bisect.bisect_right(self.ends, pos)
        return self.items[k - 1][2] if k else None

    def extend(self, rel: Relation, group: int, pieces: list[Quote]) -> None:
        """``rel``'s speaker goes on: the quotation ``group`` (its ``pieces``) is
        added to its content, and ``rel`` re-sorted by its new end."""
        rel.content = sorted(rel.content + [(p.start, p.end) for p in pieces])
        rel.quote_groups.add(group)
        self.moved(rel)

    def moved(self, rel: Relation) -> None:
        """``rel`` took in a quotation: its end moved."""
        i = next(n for n, item in enumerate(self.items) if item[2] is rel)
        _, order, _ = self.items.pop(i)
        bisect.insort(self.items, (rel.end, order, rel))
        self.ends = [e for e, _, _ in self.items]


def next_sentence(text: str, gap: str, start: int) -> bool:
    """The quotation opens the next sentence of the same paragraph, close after."""
    if "\n" in gap or len(gap) >= _NEAR:
        return False
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i >= 0 and text[i] in ".?!"


def stands_alone(ctx: RuleContext, q: Quote) -> bool:
    """The quotation opens its sentence (nothing but space or a dash before it)."""
    tok = ctx.doc.char_span(q.start, q.start + 1, alignment_mode="expand")
    if tok is None:
        return False
    sent = tok.sent
    return not ctx.text[sent.start_char : q.start].strip(" \u2014-")


RULE = TextRule("standalone", chain_and_standalone)
