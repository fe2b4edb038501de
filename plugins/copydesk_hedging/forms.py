"""The lexicon's words as string ids, and each token's forms read once per document.

The matcher asks every token of a document for its lower-cased form and its
lower-cased lemma, and every candidate phrase ("in the wake of", "it is said")
for the forms of the words after the first. Through spaCy ``Token`` objects
that is a Python object and two or three string reads per token and per
candidate (47,000 candidates on the 84 PolNeAR dev articles, most of them
phrases opening with "of", "in", "it" or "be" that fail at their second word).
Here the document's ``LOWER`` and ``LEMMA`` columns are read from the one
``doc.to_array`` call of ``Sentences`` and compared as ids: a string's id is its hash, the same
in every vocab, so the lexicon's words are turned into ids once per analyzer.
Only a candidate whose words all match becomes a ``Token`` for the context rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from copydesk_hedging.lexicon import CompiledEntry, LexiconIndex
from copydesk_hedging.rules import LEMMA_COLUMN, LOWER_COLUMN, Sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc

# A candidate entry, the ids of its words after the first (the first is the lookup
# key), and whether those words may match by lemma.
Candidate = tuple[CompiledEntry, tuple[int, ...], bool]
# Distinct (form, lemma, next form, next lemma) answers ``IdIndex.candidates`` keeps:
# bounded for a long-running server.
_SURVIVORS = 100_000
# Distinct lemmas whose lower-cased id ``IdIndex`` keeps: bounded for a long-running server.
_LEMMAS = 200_000
# The low bits of a string id that ``IdIndex.forms`` first tests (a mask: 2 ** 16 - 1).
_BITS = (1 << 16) - 1


class IdIndex:
    """``LexiconIndex`` keyed by string ids, with each entry's words as ids."""

    __slots__ = (
        "_lemma_bits",
        "_lemma_lower",
        "_lower_bits",
        "_opening_lemma_ids",
        "_survivors",
        "by_lemma",
        "by_lower",
    )

    def __init__(self, index: LexiconIndex) -> None:
        import numpy as np
        from spacy.strings import get_string_id

        def ids(table: dict[str, list[CompiledEntry]]) -> dict[int, tuple[Candidate, ...]]:
            return {
                get_string_id(word): tuple(
                    (c, tuple(get_string_id(w) for w in c.words[1:]), c.entry.by_lemma)
                    for c in candidates
                )
                for word, candidates in table.items()
            }

        self.by_lower = ids(index.by_lower)
        self.by_lemma = ids(index.by_lemma)
        # Lemma id -> id of the lemma lower-cased ("May" -> "may"): filled as lemmas
        # are met, one entry per distinct lemma, forgotten past ``_LEMMAS``.
        self._lemma_lower: dict[int, int] = {}
        # The lemmas, as the parse spells them, that open some entry ("May" and "may"
        # both open "may"): grown with ``_lemma_lower``.
        self._opening_lemma_ids: set[int] = set()
        # Which low bits (``_BITS``) the ids that open an entry have: forms, and lemmas
        # as the parse spells them. A token whose ids hit neither opens nothing.
        self._lower_bits = np.zeros(_BITS + 1, dtype=bool)
        self._lower_bits[[key & _BITS for key in self.by_lower]] = True
        self._lemma_bits = np.zeros(_BITS + 1, dtype=bool)
        # (lower, lemma, next lower, next lemma) -> the candidates left (``candidates``).
        self._survivors: dict[tuple[int, int, int, int], tuple[Candidate, ...]] = {}

    def forms(self, doc: Doc, sents: Sentences) -> tuple[list[int], list[int], list[int]]:
        """The ids of each token's ``lower_`` and of its ``lemma_.lower()``, and the
        positions of the tokens that open some entry (by either of them).

        The columns are the ones ``sents`` read for the document (one ``to_array``).
        The opening tokens are found in two steps: numpy looks the low bits of each
        token's two ids up in a table of the low bits of the ids that open entries
        (one gather per column), which leaves the openers and about 0.3 % of the
        rest; Python then tests those few exactly. A membership test per token in
        Python cost about as much as everything else the matcher does on the tokens
        it skips, and ``numpy.searchsorted`` in the sorted ids (the seventh round's
        way) about four times the gathers.
        """
        import numpy as np

        if not len(doc):
            return [], [], []
        raw_lemmas = sents.columns[:, LEMMA_COLUMN]
        raw = raw_lemmas.tolist()
        lemmas = self._lower_lemmas(raw, doc)
        bits = np.uint64(_BITS)
        lower_bits = (sents.columns[:, LOWER_COLUMN] & bits).astype(np.intp)
        lemma_bits = (raw_lemmas & bits).astype(np.intp)
        maybe = np.flatnonzero(self._lower_bits[lower_bits] | self._lemma_bits[lemma_bits])
        lowers = sents.lowers
        by_lower = self.by_lower
        opening_lemmas = self._opening_lemma_ids
        opening = [i for i in maybe.tolist() if lowers[i] in by_lower or raw[i] in opening_lemmas]
        return lowers, lemmas, opening

    def candidates(
        self, lower: int, lemma: int, next_lower: int, next_lemma: int
    ) -> tuple[Candidate, ...]:
        """The entries a token with these forms may open, followed by a token with
        these forms: the entries opening with the token's form, then those opening
        with its lemma, each kept if it is one word or its second word is the next
        token's form (or, for a lemma entry, lemma).

        Why: nine in ten candidates are phrases that fail at their second word ("of the"
        is not "of course"); the answer depends on the four ids alone, so it is worked
        out once per distinct four (about 5,400 on the 84 PolNeAR dev articles, 10,800
        opening tokens, 47,000 candidates) and kept (forgotten past ``_SURVIVORS``).
        """
        key = (lower, lemma, next_lower, next_lemma)
        found = self._survivors.get(key)
        if found is None:
            if len(self._survivors) >= _SURVIVORS:
                self._survivors.clear()
            found = self._survivors[key] = tuple(
                candidate
                for candidate in (*self.by_lower.get(lower, ()), *self.by_lemma.get(lemma, ()))
                if not candidate[1]
                or candidate[1][0] == next_lower
                or (candidate[2] and candidate[1][0] == next_lemma)
            )
        return found

    def _lower_lemmas(self, lemmas: list[int], doc: Doc) -> list[int]:
        """The id of each lemma lower-cased, from the cache or added to it."""
        known = self._lemma_lower
        try:
            return list(map(known.__getitem__, lemmas))
        except KeyError:  # lemmas not met before: lower-case the new ones, once
            from spacy.strings import get_string_id

            if len(known) >= _LEMMAS:
                known.clear()  # a long run's lemmas: start again rather than grow
            strings = doc.vocab.strings
            opening = self._opening_lemma_ids
            grown = False
            for x in set(lemmas).difference(known):
                known[x] = lower = get_string_id(strings[x].lower())
                if lower in self.by_lemma:
                    opening.add(x)
                    grown = True
            if grown:
                self._lemma_bits[[x & _BITS for x in opening]] = True
            return list(map(known.__getitem__, lemmas))


def rest_matches(
    rest: tuple[int, ...], by_lemma: bool, start: int, lowers: list[int], lemmas: list[int]
) -> bool:
    """Whether the words after ``start`` are ``rest``: each word's lower-cased form, or for
    a lemma entry its lower-cased lemma or form ("was said to": "be say to")."""
    if not rest:
        return True
    end = start + 1 + len(rest)
    if not by_lemma:
        return tuple(lowers[start + 1 : end]) == rest
    words = zip(rest, lowers[start + 1 : end], lemmas[start + 1 : end], strict=True)
    return all(lemma == word or lower == word for word, lower, lemma in words)
