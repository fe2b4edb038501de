"""Character-range arithmetic the rules share: trim, subtract, merge, token ranges."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from copydesk_sourcing.relation import Range

_TRIM = set(" \t\n\r\u00a0,;:.\u2014\u2013\u2015-")
# "ROTTERDAM, Netherlands (Wire) - ": a dateline opening the lead, not content.
_DATELINE = re.compile(
    r"[A-Z][A-Z .'-]{2,40}(?:, [A-Z][\w .]{1,40})?\s*(?:\([^)]{1,40}\))?\s*[-\u2013\u2014]+\s+"
)


def tok_range(doc: Doc, a: int, b: int) -> Range:
    """Character range of tokens ``[a, b)``."""
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1])


def trim(text: str, span: Range, keep_quotes: bool = True) -> Range | None:
    """Strip whitespace and edge punctuation; keep balanced quotation marks."""
    a, b = span
    while a < b and text[a] in _TRIM:
        a += 1
    while b > a and text[b - 1] in _TRIM:
        b -= 1
    if not keep_quotes:
        while a < b and text[a] in "\"\u201c\u201d'":
            a += 1
        while b > a and text[b - 1] in '"\u201c\u201d':
            b -= 1
    return (a, b) if b > a else None


def subtract(span: Range, holes: Iterable[Range]) -> list[Range]:
    """``span`` minus the holes, as ordered fragments."""
    pieces = [span]
    for h0, h1 in sorted(holes):
        out = []
        for a, b in pieces:
            if h1 <= a or b <= h0:
                out.append((a, b))
                continue
            if a < h0:
                out.append((a, h0))
            if h1 < b:
                out.append((h1, b))
        pieces = out
    return pieces


def merge(spans: list[Range]) -> list[Range]:
    """Sorted fragments with overlaps joined."""
    out: list[Range] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def after_dateline(text: str, sent: Span) -> int:
    """Where a sentence's words begin once a leading dateline is skipped."""
    m = _DATELINE.match(text, sent.start_char, sent.end_char)
    return m.end() if m else sent.start_char
