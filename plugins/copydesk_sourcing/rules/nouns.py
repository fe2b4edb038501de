"""``Trump's claim that ...``, ``a Times report that ...``: a cue noun with a that-clause."""

from __future__ import annotations

from typing import TYPE_CHECKING

from copydesk_sourcing import lexicon as lx
from copydesk_sourcing.relation import Relation
from copydesk_sourcing.rules.base import TokenRule
from copydesk_sourcing.spans import tok_range, trim

if TYPE_CHECKING:
    from spacy.tokens import Token

    from copydesk_sourcing.context import RuleContext


def cue_noun(ctx: RuleContext, noun: Token) -> None:
    """The that-clause is the content; a possessor or proper-noun compound the source."""
    clause = next(
        (
            c
            for c in noun.children
            if c.dep_ in ("acl", "ccomp", "relcl")
            and c.i > noun.i
            and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
        ),
        None,
    )
    if clause is None or ctx.quotes.inside(noun.idx):
        return
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        owner = next((c for c in noun.children if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
    source = None
    if owner is not None:
        source = trim(
            ctx.text, tok_range(ctx.doc, owner.left_edge.i, owner.i + 1), keep_quotes=False
        )
        if source is not None:
            source = (
                (source[0], source[1] - 2)
                if ctx.text[source[0] : source[1]].endswith(("'s", "\u2019s"))
                else source
            )
    content = ctx.clean([ctx.subtree(clause)])
    cue = (noun.idx, noun.idx + len(noun))
    lemma = noun.lemma_.lower()
    kind = "other" if lemma in ("belief", "view", "fear", "hope", "plan") else "speech"
    ctx.add(
        Relation(
            cue,
            source,
            content,
            lemma,
            kind,
            "noun",
            0.6,
            owner.i if owner is not None else None,
        )
    )


RULE = TokenRule(
    "noun",
    lambda tok: tok.pos_ == "NOUN" and tok.lemma_.lower() in lx.CUE_NOUNS,
    cue_noun,
    lemmas=frozenset(lx.CUE_NOUNS),
)
