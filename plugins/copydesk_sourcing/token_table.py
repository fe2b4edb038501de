"""One document's token attributes read from arrays, for the rules and the learned cue detector.

Why: the detector reads some thirty attributes of each of its ~60 candidates
per article (lemma, dependency label, children, the children's children, the
words either side). Through spaCy's ``Token`` objects each read builds a new
object or looks a string up in the vocabulary again (``tok.children`` yields a
new ``Token`` per child, ``tok.lemma_`` a string-store lookup per call); with one
``doc.to_array`` per document and a process-wide table from string id to string,
a read is an array read and a dict lookup. The string-id columns stay numpy
arrays read one item at a time: turning all of them into lists made some 300,000
Python ints per pass over PolNeAR dev for the ~80,000 reads, and measured slower
in the analyzer pipeline. One table per document serves the rules (their
candidate words, a verb's children, sentence bounds), the detector and the
relation filter: each read the same columns with a ``doc.to_array`` of its own.
The strings are those spaCy gives
(``tok.lemma_``, ``tok.lower_``, ``tok.dep_`` ...): the detector's feature
strings must stay byte-identical to the ones its weights were trained on.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

# The columns of ``TokenTable.raw``, in this order (``doc.to_array``'s attribute names).
COLUMNS = ("LEMMA", "LOWER", "POS", "DEP", "TAG", "IDX", "HEAD", "SENT_START", "LENGTH")

# String id -> string, and string id -> the string lower-cased, shared by all
# documents (an id is the same in every vocabulary: a hash or a symbol's number).
# Emptied when it grows past the limit, so a long-running server stays bounded.
# Interned, so that a feature key compares with the weights' keys by identity.
_NAMES: dict[int, str] = {}
_LOWERED: dict[int, str] = {}
_LIMIT = 200_000


class TokenTable:
    """Each token's string ids (numpy columns) and children (lists).

    ``raw``: ``doc.to_array`` of ``COLUMNS`` (uint64, read once per document);
    ``heads``: each token's head index (absolute), from which the children are
    listed in token order, as ``Token.children`` yields them; ``offsets``,
    ``sent_starts`` and ``lengths``: the IDX, SENT_START and LENGTH columns as
    signed ints.
    """

    def __init__(self, doc: Doc) -> None:
        import numpy as np
        from spacy.attrs import IDS

        self.strings = doc.vocab.strings
        self.n = n = len(doc)
        self.raw = raw = doc.to_array([IDS[c] for c in COLUMNS])
        cols = np.ascontiguousarray(raw[:, :5].T)
        self.lemma_ids = cols[0]
        self.lower_ids = cols[1]
        self.pos_ids = cols[2]
        self.dep_ids = cols[3]
        self.tag_ids = cols[4]
        # Offsets, relative heads, sentence starts (-1, 0, 1) and lengths as signed ints.
        ints = raw[:, 5:].astype(np.int64)
        self.offsets = ints[:, 0]  # each token's first character (IDX)
        self.heads = np.arange(n) + ints[:, 1]
        self.sent_starts = ints[:, 2]  # SENT_START: 1 starts a sentence
        self.lengths = ints[:, 3]  # characters (LENGTH)
        self._order: list[int] = []
        self._starts: list[int] = []
        if len(_NAMES) > _LIMIT:
            _NAMES.clear()
            _LOWERED.clear()

    def _group_children(self) -> None:
        """Children grouped by head with one stable sort, on the first ``children``
        call (the rules alone never ask): a root (its own head) is filed under
        n, the child of no token."""
        import numpy as np

        n, heads = self.n, self.heads
        key = np.where(heads == np.arange(n), n, heads)
        self._order = np.argsort(key, kind="stable").tolist()
        # Where each token's children start in ``_order``: the count of smaller keys.
        starts = np.zeros(n + 2, dtype=np.int64)
        np.cumsum(np.bincount(key, minlength=n + 1), out=starts[1:])
        self._starts = starts.tolist()

    def children(self, i: int) -> list[int]:
        """The indices of token ``i``'s children, in order."""
        if not self._starts:
            self._group_children()
        return self._order[self._starts[i] : self._starts[i + 1]]

    def name(self, key: int) -> str:
        """The string of a string id (``tok.dep_``, ``tok.pos_`` ... for its id)."""
        text = _NAMES.get(key)
        if text is None:
            text = _NAMES[key] = sys.intern(self.strings[key])
        return text

    def lowered(self, key: int) -> str:
        """The string of a string id, lower-cased (``tok.lemma_.lower()``)."""
        text = _LOWERED.get(key)
        if text is None:
            text = _LOWERED[key] = sys.intern(self.name(key).lower())
        return text

    # The readers below try the cache inline before calling ``name``/``lowered``
    # (which fill it): one call per read, not two. An empty string ("" has no
    # label) takes the slow way, with the same result.

    def lemma(self, i: int) -> str:
        """``doc[i].lemma_.lower()``."""
        key = self.lemma_ids.item(i)
        return _LOWERED.get(key) or self.lowered(key)

    def lower(self, i: int) -> str:
        """``doc[i].lower_``."""
        key = self.lower_ids.item(i)
        return _NAMES.get(key) or self.name(key)

    def dep(self, i: int) -> str:
        """``doc[i].dep_``."""
        key = self.dep_ids.item(i)
        return _NAMES.get(key) or self.name(key)

    def pos(self, i: int) -> str:
        """``doc[i].pos_``."""
        key = self.pos_ids.item(i)
        return _NAMES.get(key) or self.name(key)

    # Many reads at once: the ids gathered with numpy, one dict lookup each (a
    # call per read costs about as much as the lookup itself).

    def names(self, keys: Any) -> list[str]:
        """``name`` of each string id in ``keys`` (a numpy array)."""
        get, name = _NAMES.get, self.name
        return [get(key) or name(key) for key in keys.tolist()]

    def lemmas(self, keys: Any) -> list[str]:
        """``lowered`` of each string id in ``keys`` (a numpy array)."""
        get, lowered = _LOWERED.get, self.lowered
        return [get(key) or lowered(key) for key in keys.tolist()]
