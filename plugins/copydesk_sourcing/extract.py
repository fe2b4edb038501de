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

from copydesk import in_sorted, sorted_ids
from copydesk_sourcing.context import RuleContext
from copydesk_sourcing.relation import Relation
from copydesk_sourcing.rules import TEXT_RULES, TOKEN_RULES, TokenRule


@functools.lru_cache(maxsize=1)
def _rule_word_ids() -> tuple[tuple[Any, Any], ...]:
    """Per token rule, the string ids of its words and lemmas (each lemma also
    capitalised and upper-case), once per process: building them per document
    cost about a fifth of the rules' time on PolNeAR dev."""
    return tuple(
        (
            sorted_ids(rule.lowers),
            sorted_ids(form for w in rule.lemmas for form in (w, w.capitalize(), w.upper())),
        )
        for rule in TOKEN_RULES
    )


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
        from spacy.attrs import LEMMA, LOWER

        doc = self.doc
        if not len(doc):
            return []
        cols = doc.to_array([LOWER, LEMMA])
        bits = np.zeros(len(doc), dtype=np.int64)
        for r, (lowers, lemmas) in enumerate(_rule_word_ids()):
            hit = in_sorted(cols[:, 0], lowers) | in_sorted(cols[:, 1], lemmas)
            bits |= hit.astype(np.int64) << r
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
