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
def _rule_word_ids() -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    """The flag tables of the token rules' words and of their lemmas (each lemma
    also capitalised and upper-case): bit ``r`` for ``TOKEN_RULES[r]``, once per
    process: building them per document cost about a fifth of the rules' time
    on PolNeAR dev."""
    lowers = flag_table(tuple((rule.lowers, 1 << r) for r, rule in enumerate(TOKEN_RULES)))
    lemmas = flag_table(
        tuple(
            (tuple(f for w in rule.lemmas for f in (w, w.capitalize(), w.upper())), 1 << r)
            for r, rule in enumerate(TOKEN_RULES)
        )
    )
    return lowers, lemmas


class Extractor(RuleContext):
    """Applies the rules to one parsed document."""

    def candidates(self) -> list[tuple[int, tuple[TokenRule, ...]]]:
        """The tokens a token rule may start from, in order, each with the rules
        whose words it has.

        Picked from the lower-case and lemma columns in one array operation, so
        the rules see a few hundred tokens instead of every token, and a token
        is offered only to the rules that list it ("in" is no reporting verb): a
        rule's ``matches`` never holds for a word outside its lists.
        """
        import numpy as np

        if not len(self.doc):
            return []
        lowers, lemmas = _rule_word_ids()
        table = self.table
        bits = flags_of(table.lower_ids, lowers) | flags_of(table.lemma_ids, lemmas)
        hits = np.flatnonzero(bits)
        return [(i, _rules_of(b)) for i, b in zip(hits.tolist(), bits[hits].tolist(), strict=True)]

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
def _rules_of(bits: int) -> tuple[TokenRule, ...]:
    """The token rules whose bits are set, in the rules' order."""
    return tuple(rule for r, rule in enumerate(TOKEN_RULES) if bits >> r & 1)
