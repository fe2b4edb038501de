"""The attribution relation the rules build, and the quotation lookup they share."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from copydesk_sourcing.quotes import Quote

Range = tuple[int, int]  # character offsets [start, end)


@dataclass
class Relation:
    """One attribution: cue, optional source, content fragments, and how it was found."""

    cue: Range
    source: Range | None
    content: list[Range]
    cue_lemma: str
    cue_kind: str  # "speech", "other", "according", "quote", "transcript"
    rule: str
    confidence: float
    source_root: int | None = None  # token index of the source's head
    quote_groups: set[int] = field(default_factory=set)
    inherited: Relation | None = None  # standalone quote: the attribution it continues
    addressee: Range | None = None  # "told reporters", "told the BBC"

    # ``start`` and ``end`` are read thousands of times per document (sorting,
    # nesting tests, findings): a plain loop, no list of points per call.
    @property
    def start(self) -> int:
        """Where the relation begins: its cue, source or content, whichever is first."""
        first = self.cue[0]
        for a, _ in self.content:
            if a < first:
                first = a
        if self.source and self.source[0] < first:
            first = self.source[0]
        return first

    @property
    def end(self) -> int:
        """Where the relation ends: its cue, source or content, whichever is last."""
        last = self.cue[1]
        for _, b in self.content:
            if b > last:
                last = b
        if self.source and self.source[1] > last:
            last = self.source[1]
        return last


class QuoteIndex:
    """Which quotation (if any) covers a character offset, and how many words each
    holds in ``text``, the text the quotations were found in."""

    def __init__(self, quotes: Sequence[Quote], text: str) -> None:
        self.quotes = list(quotes)
        self.text = text
        # Word counts by quotation: the rules ask them of one quotation again and
        # again (each content clause near it, each speaker's phrase, each verb).
        self._words: dict[tuple[int, int], int] = {}
        self._starts = [q.start for q in self.quotes]
        # The furthest end among the quotations up to each one: lets
        # ``overlapping`` stop scanning back as soon as nothing can reach.
        self._reach: list[int] = []
        # The quotations of each group (a quotation running over paragraphs), in
        # order: ``add`` asks for them for each quotation a content overlaps.
        self._groups: dict[int, list[Quote]] = {}
        for q in self.quotes:
            self._reach.append(max(q.end, self._reach[-1]) if self._reach else q.end)
            self._groups.setdefault(q.group, []).append(q)

    def at(self, pos: int) -> Quote | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and self.quotes[i].start <= pos < self.quotes[i].end:
            return self.quotes[i]
        return None

    def inside(self, pos: int) -> bool:
        """True when ``pos`` lies strictly inside a quotation's marks."""
        q = self.at(pos)
        return q is not None and q.start < pos < q.end - 1

    def overlapping(self, start: int, end: int) -> list[Quote]:
        """The quotations sharing a character with [start, end), in order."""
        i = bisect.bisect_left(self._starts, end) - 1
        out = []
        while i >= 0 and self._reach[i] > start:
            q = self.quotes[i]
            if start < q.end:
                out.append(q)
            i -= 1
        out.reverse()
        return out

    def words(self, q: Quote) -> int:
        """``q.words(text)`` of the text the index was built with, counted once."""
        key = (q.start, q.end)
        count = self._words.get(key)
        if count is None:
            count = self._words[key] = q.words(self.text)
        return count

    def group(self, group: int) -> list[Quote]:
        """The quotations of a group, in order (the index's own list: not to be
        changed; was a scan of every quotation per call)."""
        return self._groups.get(group, [])
