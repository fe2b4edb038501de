"""Word lists as spaCy string ids, and a fast membership test over a document's columns.

Analyzers that look for words from a list ("said", "told", "Reuters") in every
token of every document can read the document's ``LOWER`` or ``LEMMA`` column
with one ``doc.to_array`` call and compare numbers instead of strings. A
string's id is its hash (or a symbol's number), the same in every vocab, so a
word list becomes ids once per process, not per document; and a sorted table is
searched with ``searchsorted`` instead of ``np.isin``, which sorts both arrays on
every call. numpy and spaCy are imported when called, so importing this module
stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def sorted_ids(words: Iterable[str]) -> Any:
    """The string ids of ``words``, without repeats, as a sorted uint64 array."""
    import numpy as np
    from spacy.strings import get_string_id

    return np.array(sorted({get_string_id(w) for w in words}), dtype=np.uint64)


def in_sorted(values: Any, table: Any) -> Any:
    """Which of ``values`` (an array of ids) are in the sorted ``table``, as a bool array."""
    import numpy as np

    if not len(table):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(table, values), len(table) - 1)
    return table[at] == values
