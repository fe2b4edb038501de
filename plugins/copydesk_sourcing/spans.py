"""Character ranges as the rules need them: trimmed for attribution, from tokens, past datelines.

Generic range arithmetic (``subtract_spans``, ``merge_spans``, ``strip_span``)
is copydesk's; this module adds the attribution-specific edges.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from copydesk import strip_span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from copydesk_sourcing.relation import Range

_TRIM = frozenset(" \t\n\r\u00a0,;:.\u2014\u2013\u2015-")
# A leading apostrophe opens a quotation; a trailing one is a possessive ("the Times'").
_LEADING_QUOTES = frozenset("\"\u201c\u201d'")
_TRAILING_QUOTES = frozenset('"\u201c\u201d')
# "ROTTERDAM, Netherlands (Wire) - ": a dateline opening the lead, not content.
_DATELINE = re.compile(
    r"[A-Z][A-Z .'-]{2,40}(?:, [A-Z][\w .]{1,40})?\s*(?:\([^)]{1,40}\))?\s*[-\u2013\u2014]+\s+"
)


class SpanCache:
    """``doc.char_span(start, end, alignment_mode="expand")`` per range, found once.

    The source typer, the linker and the gender evidence each look up every
    source phrase; one cache per document serves all three.
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self._spans: dict[Range, Span | None] = {}

    def expand(self, start: int, end: int) -> Span | None:
        """The tokens covering ``[start, end)`` (None where spaCy gives none)."""
        key = (start, end)
        if key in self._spans:
            return self._spans[key]
        sp = self._spans[key] = self.doc.char_span(start, end, alignment_mode="expand")
        return sp


def tok_range(doc: Doc, a: int, b: int) -> Range:
    """Character range of tokens ``[a, b)``."""
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1])


def trim(text: str, span: Range, keep_quotes: bool = True) -> Range | None:
    """Strip whitespace and edge punctuation; keep balanced quotation marks."""
    trimmed = strip_span(text, span[0], span[1], _TRIM)
    if trimmed is None or keep_quotes:
        return trimmed
    return strip_span(text, trimmed[0], trimmed[1], _LEADING_QUOTES, trail=_TRAILING_QUOTES)


def after_dateline(text: str, sent: Span) -> int:
    """Where a sentence's words begin once a leading dateline is skipped."""
    m = _DATELINE.match(text, sent.start_char, sent.end_char)
    return m.end() if m else sent.start_char


def paragraph_of(text: str, span: Range) -> Range:
    """The paragraph (text between line breaks) around a span."""
    start = text.rfind("\n", 0, span[0]) + 1
    end = text.find("\n", span[1])
    return start, len(text) if end < 0 else end


def clip(text: str, span: Range, bounds: Range) -> Range | None:
    """The trimmed part of ``span`` inside ``bounds``; None when nothing is left."""
    a, b = max(span[0], bounds[0]), min(span[1], bounds[1])
    if (a, b) == span:
        return span
    return trim(text, (a, b)) if a < b else None


def skip_dateline(text: str, span: Range) -> Range:
    """A source phrase without the dateline the parser ran into it
    ("RENO, Nev. (AP) \u2014 Republican presidential hopeful Donald Trump")."""
    m = _DATELINE.match(text, span[0], span[1])
    return (m.end(), span[1]) if m and m.end() < span[1] else span


def join_adjacent(text: str, spans: list[Range]) -> list[Range]:
    """Sorted spans, those with only white space between them joined: "criticized
    [the company] [for leaving]" is one stretch of content, as PolNeAR marks it."""
    out: list[Range] = []
    for a, b in sorted(spans):
        if out and (a <= out[-1][1] or not text[out[-1][1] : a].strip()):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
