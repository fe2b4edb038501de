"""Dependency-parse rules that turn a spaCy parse into attribution relations.

Each rule looks at one cue (a reporting verb, "according to", "as per", a
transcript speaker label, a quote-dash byline, a stand-alone quotation) and reads
its source and content off the parse: the subject is the source, the clausal
complement (or the quotation) is the content. The rules live one per module in
``copydesk_sourcing.rules``, which also fixes their order; the state they share
is a ``RuleContext``. The rules only read the shared parse; nothing here calls
spaCy's pipeline.
"""

from __future__ import annotations

import functools
from typing import Any

from copydesk_sourcing.context import RuleContext
from copydesk_sourcing.relation import Relation
from copydesk_sourcing.rules import TEXT_RULES, TOKEN_RULES, TokenRule
from copydesk_sourcing.word_flags import flag_table, flags_of


@functools.lru_cache(maxsize=1)
def _rule_word_ids() -> tuple[tuple[Any, Any], tuple[Any, Any], tuple[int, ...]]:
    """The flag tables of the token rules' words and of their lemmas (each lemma
    also capitalised and upper-case): bit ``r`` for ``TOKEN_RULES[r]``, once per
    process: building them per document cost about a fifth of the rules' time
    on PolNeAR dev. Third, the coarse tags' ids at which a lemma rule can match
    (all of them, should a lemma rule not name its tags)."""
    from spacy.strings import get_string_id

    lowers = flag_table(tuple((rule.lowers, 1 << r) for r, rule in enumerate(TOKEN_RULES)))
    lemmas = flag_table(
        tuple(
            (tuple(f for w in rule.lemmas for f in (w, w.capitalize(), w.upper())), 1 << r)
            for r, rule in enumerate(TOKEN_RULES)
        )
    )
    lemma_rules = [rule for rule in TOKEN_RULES if rule.lemmas]
    if any(not rule.pos for rule in lemma_rules):
        return lowers, lemmas, ()
    tags = sorted({get_string_id(tag) for rule in lemma_rules for tag in rule.pos})
    return lowers, lemmas, tuple(tags)


class Extractor(RuleContext):
    """Applies the rules to one parsed document."""

    def candidates(self) -> list[tuple[int, tuple[TokenRule, ...]]]:
        """The tokens a token rule may start from, in order, each with the rules
        whose words it has.

        Picked from the lower-case and lemma columns in one array operation, so
        the rules see a few hundred tokens instead of every token, and a token
        is offered only to the rules that list it ("in" is no reporting verb) and
        whose tags it has (a noun is no cue verb): a rule's ``matches`` never
        holds for a word outside its lists. Lemmas are looked up only at the
        tokens of a lemma rule's tags (a third of them); a rule's ``worth`` mask
        drops the tokens it would claim in vain.
        """
        import numpy as np

        if not len(self.doc):
            return []
        lowers, lemmas, tags = _rule_word_ids()
        table = self.table
        bits = flags_of(table.lower_ids, lowers)
        if tags:
            pos = table.pos_ids
            tagged = pos == tags[0]
            for tag in tags[1:]:
                tagged |= pos == tag
            at = np.flatnonzero(tagged)
            bits[at] |= flags_of(table.lemma_ids[at], lemmas)
        else:
            bits |= flags_of(table.lemma_ids, lemmas)
        for r, rule in enumerate(TOKEN_RULES):
            if rule.worth is not None:
                bits[~rule.worth(table)] &= ~bits.dtype.type(1 << r)
        hits = np.flatnonzero(bits)
        found = zip(hits.tolist(), bits[hits].tolist(), table.pos_ids[hits].tolist(), strict=True)
        return [(i, rules) for i, b, p in found if (rules := _rules_of(b, p))]

    def run(self) -> list[Relation]:
        """Every relation the rules find, ordered by cue."""
        doc = self.doc
        for i, rules in self.candidates():
            tok = doc[i]
            for rule in rules:
                if rule.matches(tok):
                    rule.apply(self, tok)
                    break
        for text_rule in TEXT_RULES:
            text_rule.apply(self)
        self.relations.sort(key=lambda r: r.cue[0])
        return self.relations


@functools.cache
def _rules_of(bits: int, pos: int) -> tuple[TokenRule, ...]:
    """The token rules whose bits are set and whose tags include ``pos`` (a
    coarse tag's id), in the rules' order. (Bounded: a few dozen bit sets times
    the 19 coarse tags.)"""
    from spacy.strings import get_string_id

    return tuple(
        rule
        for r, rule in enumerate(TOKEN_RULES)
        if bits >> r & 1 and (not rule.pos or pos in {get_string_id(t) for t in rule.pos})
    )
