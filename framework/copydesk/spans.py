"""Character-range helpers for analyzer authors: strip edges, subtract holes, merge overlaps.

A span here is a ``(start, end)`` pair of character offsets into the document
text, end exclusive, as in :class:`copydesk.Span`. Analyzers that cut clauses
out of a parse keep needing the same three operations (trim punctuation off a
span's edges, take a phrase out of a sentence, join overlapping fragments); these
are the shared, tested versions. Pure Python, no imports: safe anywhere.
"""

from __future__ import annotations

from collections.abc import Container, Iterable

CharRange = tuple[int, int]


def strip_span(
    text: str,
    start: int,
    end: int,
    chars: Container[str] | None = None,
    *,
    trail: Container[str] | None = None,
) -> CharRange | None:
    """``text[start:end]`` without leading ``chars`` and trailing ``trail``, or None if empty.

    With ``chars`` None, strips whitespace (``str.isspace``) at both ends, like
    ``str.strip()``. ``trail`` defaults to ``chars``; give it when the two ends
    differ (an opening quotation mark and an apostrophe may lead a span, but a
    trailing apostrophe is a possessive, not a quote). Offsets, not a copy, so
    the result still points into the document.
    """
    if chars is None:
        if trail is not None:
            msg = "trail needs chars; with chars None both ends strip whitespace"
            raise ValueError(msg)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
    else:
        tail = chars if trail is None else trail
        while start < end and text[start] in chars:
            start += 1
        while end > start and text[end - 1] in tail:
            end -= 1
    return (start, end) if start < end else None


def subtract_spans(span: CharRange, holes: Iterable[CharRange]) -> list[CharRange]:
    """``span`` minus the holes, as ordered fragments (possibly none).

    "Officials, according to the ministry, denied it" minus "according to the
    ministry" gives the two fragments on either side.
    """
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


def merge_spans(spans: Iterable[CharRange]) -> list[CharRange]:
    """Spans sorted by start with overlapping (or touching) ones joined.

    The input must already be sorted by start; sorting is left to the caller,
    who usually has sorted spans already.
    """
    out: list[CharRange] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
