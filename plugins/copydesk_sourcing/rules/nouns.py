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
    root = owner.i if owner is not None else None
    lemma = noun.lemma_.lower()
    kind = "other" if lemma in ("belief", "view", "fear", "hope", "plan") else "speech"
    verb = _framing_verb(noun) if owner is None else None
    if verb is not None:
        # "Weaver says in a statement that ...": the parser hung the clause on the
        # noun; the verb's subject speaks, and the cue runs from the verb.
        source, root = ctx.source_of(verb)
        cue = (ctx.cue_span(verb)[0], cue[1])
        kind = "speech"
    ctx.add(
        Relation(
            cue,
            source,
            content,
            lemma,
            kind,
            "noun",
            0.6,
            root,
        )
    )


def _framing_verb(noun: Token) -> Token | None:
    """The speech verb of "says in a statement", "said in an interview"."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in ("in", "with"):
        return None
    verb = prep.head
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in lx.SPEECH_VERBS:
        return None
    return verb


RULE = TokenRule(
    "noun",
    lambda tok: tok.pos_ == "NOUN" and tok.lemma_.lower() in lx.CUE_NOUNS,
    cue_noun,
    lemmas=frozenset(lx.CUE_NOUNS),
    pos=frozenset({"NOUN"}),
)
