"""Word lists as flag bits over string ids, looked up for a whole token column.

Why: the rules' candidate finder and the learned cue detector each ask, of every
token, which of several word lists hold its form or lemma ("a reporting verb of
the verb rule", "a cue noun", "an idiom's first word"). One sorted table of the
lists' string ids, each with the bits of the lists naming it, answers all lists
with one ``searchsorted`` per document column (``copydesk.in_sorted`` answers a
single list). A string's id is the same in every vocab, so a table is built
once per combination of lists, not per document.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any


@functools.lru_cache(maxsize=16)
def flag_table(groups: tuple[tuple[Iterable[str], int], ...]) -> tuple[Any, Any]:
    """Sorted string ids and their flag bits (an id in several lists gets each
    list's bit), built once per combination of word lists."""
    import numpy as np
    from spacy.strings import get_string_id

    flags: dict[int, int] = {}
    for group, bit in groups:
        for w in group:
            key = get_string_id(w)
            flags[key] = flags.get(key, 0) | bit
    keys = sorted(flags)
    # One byte a flag set while eight lists do (the detector's tables), else wider.
    dtype = np.uint8 if max(flags.values(), default=0) < 256 else np.uint64
    return np.array(keys, dtype=np.uint64), np.array([flags[k] for k in keys], dtype=dtype)


def flags_of(values: Any, table: tuple[Any, Any]) -> Any:
    """The flag bits of each id in ``values`` (0 for an id in no list)."""
    import numpy as np

    keys, bits = table
    if not len(keys):
        return np.zeros(len(values), dtype=bits.dtype)
    at = np.minimum(np.searchsorted(keys, values), len(keys) - 1)
    return np.where(keys[at] == values, bits[at], 0).astype(bits.dtype)
