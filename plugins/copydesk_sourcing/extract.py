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
from collections.abc import Callable, Iterable
from typing import Any

from copydesk_sourcing.context import RuleContext
from copydesk_sourcing.relation import Relation
from copydesk_sourcing.rules import TEXT_RULES, TOKEN_RULES, TokenRule


@functools.lru_cache(maxsize=1)
def _rule_word_ids() -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    """The string ids of the token rules' words and of their lemmas (each lemma
    also capitalised and upper-case), each id with the bit set of the rules that
    list it (bit ``r`` for ``TOKEN_RULES[r]``), once per process: building them
    per document cost about a fifth of the rules' time on PolNeAR dev."""
    import numpy as np
    from spacy.strings import get_string_id

    def table(words_of: Callable[[TokenRule], Iterable[str]]) -> tuple[Any, Any]:
        bits: dict[int, int] = {}
        for r, rule in enumerate(TOKEN_RULES):
            for word in words_of(rule):
                key = get_string_id(word)
                bits[key] = bits.get(key, 0) | 1 << r
        ids = sorted(bits)
        return np.array(ids, dtype=np.uint64), np.array([bits[i] for i in ids], dtype=np.int64)

    lowers = table(lambda rule: rule.lowers)
    lemmas = table(lambda rule: (f for w in rule.lemmas for f in (w, w.capitalize(), w.upper())))
    return lowers, lemmas


def _rule_bits(values: Any, ids: Any, bits: Any) -> Any:
    """Per value (a string id), the bits of the rules listing it (0: none)."""
    import numpy as np

    if not len(ids):
        return np.zeros(len(values), dtype=np.int64)
    at = np.minimum(np.searchsorted(ids, values), len(ids) - 1)
    return np.where(ids[at] == values, bits[at], 0)


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
        (lower_ids, lower_bits), (lemma_ids, lemma_bits) = _rule_word_ids()
        table = self.table
        bits = _rule_bits(table.lower_ids, lower_ids, lower_bits) | _rule_bits(
            table.lemma_ids, lemma_ids, lemma_bits
        )
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
