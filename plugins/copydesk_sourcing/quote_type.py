"""Direct, indirect or mixed: how much of an attribution's content is quotation.

Read off the quotation marks alone (curly and straight double quotes), not the
quotation finder: a content fragment that opens a quotation it does not close is
quoted to its end. The marks are found once per document (``QuoteMarks``), and
the words inside and outside the quoted stretches are counted with one regex
call per stretch instead of a lookup per word.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from copydesk_sourcing.quotes import find_marks

Range = tuple[int, int]

_WORD = re.compile(r"[^\W_]+")
_MARKS = ("\u201c", "\u201d", '"')
_OPENING = frozenset('\u201c"')
_CLOSING = frozenset('\u201d"')


class QuoteMarks:
    """The positions of one document's double quotation marks, for range lookups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions = [at for at, _ in find_marks(text, _MARKS)]

    def between(self, start: int, end: int) -> list[int]:
        """The marks in ``[start, end)``, in order."""
        lo = bisect.bisect_left(self.positions, start)
        hi = bisect.bisect_left(self.positions, end)
        return self.positions[lo:hi]


def quote_type_of(marks: QuoteMarks, content: Sequence[Range]) -> str:
    """Direct if the content is all quotation, indirect if none, mixed otherwise.

    "All" allows one word outside the quotation marks (a "that" or a name the
    content starts with).
    """
    spans = quoted_spans(marks, content)
    if not spans:
        return "indirect"  # no word can be inside a quotation: no need to count them
    text = marks.text
    ordered = sorted(content)
    if any(ordered[k][1] > ordered[k + 1][0] for k in range(len(ordered) - 1)):
        inside, outside = _count_words(text, content, spans)
    else:
        # Each span lies in one fragment and opens on a mark, which no word runs
        # across: with fragments that do not overlap, a word is inside when it
        # is in a span's text, and outside when it is in the text between them.
        # Whether there is a word inside, and whether there are two outside, is
        # all the answer needs: no word is counted past that.
        inside = int(any(_WORD.search(text, a, b) for a, b in spans))
        outside = _words_between(text, ordered, spans, limit=2)
    if inside and outside <= 1:
        return "direct"
    if inside:
        return "mixed"
    return "indirect"


def quoted_spans(marks: QuoteMarks, content: Sequence[Range]) -> list[Range]:
    """The quoted stretches of the content, found by the quotation marks alone."""
    text = marks.text
    spans: list[Range] = []
    for a, b in content:
        depth_open: int | None = None
        for i in marks.between(a, b):
            ch = text[i]
            if ch in _OPENING and depth_open is None:
                depth_open = i
            elif ch in _CLOSING and depth_open is not None:
                spans.append((depth_open, i))
                depth_open = None
        if depth_open is not None:
            spans.append((depth_open, b))
    return sorted(spans)


def _words_between(
    text: str, fragments: Sequence[Range], spans: Sequence[Range], limit: int
) -> int:
    """The words of the sorted, disjoint fragments outside the spans, up to ``limit``."""
    found = 0
    for a, b in fragments:
        pos = a
        for s, e in spans:
            if a <= s < b:
                found += _count_up_to(text, pos, s, limit - found)
                pos = e
        found += _count_up_to(text, pos, b, limit - found)
        if found >= limit:
            break
    return found


def _count_up_to(text: str, start: int, end: int, limit: int) -> int:
    """The words in ``text[start:end]``, counted up to ``limit``."""
    count = 0
    if limit > 0:
        for _ in _WORD.finditer(text, start, end):
            count += 1
            if count >= limit:
                break
    return count


def _count_words(text: str, content: Sequence[Range], spans: list[Range]) -> tuple[int, int]:
    """Words of the content inside and outside the spans, word by word (any fragments)."""
    inside = outside = 0
    starts = [a for a, _ in spans]
    for a, b in content:
        for m in _WORD.finditer(text, a, b):
            i = bisect.bisect_right(starts, m.start()) - 1
            if i >= 0 and m.start() < spans[i][1]:
                inside += 1
            else:
                outside += 1
    return inside, outside
