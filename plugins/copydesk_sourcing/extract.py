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
from copydesk_sourcing.rules import TEXT_RULES, TOKEN_RULES


@functools.lru_cache(maxsize=1)
def _rule_word_ids() -> tuple[Any, Any]:
    """The string ids of the token rules' words and lemmas (each lemma also
    capitalised and upper-case), once per process: building them per document
    cost about a fifth of the rules' time on PolNeAR dev."""
    lowers = sorted_ids(w for rule in TOKEN_RULES for w in rule.lowers)
    lemmas = sorted_ids(
        form for rule in TOKEN_RULES for w in rule.lemmas for form in (w, w.capitalize(), w.upper())
    )
    return lowers, lemmas


class Extractor(RuleContext):
    """Applies the rules to one parsed document."""

    def candidates(self) -> list[int]:
        """Indices of the tokens a token rule may start from, in order.

        Picked from the lower-case and lemma columns in one array operation, so
        the rules see a few hundred tokens instead of every token.
        """
        import numpy as np
        from spacy.attrs import LEMMA, LOWER

        doc = self.doc
        if not len(doc):
            return []
        lowers, lemmas = _rule_word_ids()
        cols = doc.to_array([LOWER, LEMMA])
        hit = in_sorted(cols[:, 0], lowers) | in_sorted(cols[:, 1], lemmas)
        return np.flatnonzero(hit).tolist()  # type: ignore[no-any-return]

    def run(self) -> list[Relation]:
        """Every relation the rules find, ordered by cue."""
        doc = self.doc
        for i in self.candidates():
            tok = doc[i]
            for rule in TOKEN_RULES:
                if rule.matches(tok):
                    rule.apply(self, tok)
                    break
        for text_rule in TEXT_RULES:
            text_rule.apply(self)
        self.relations.sort(key=lambda r: r.cue[0])
        return self.relations
