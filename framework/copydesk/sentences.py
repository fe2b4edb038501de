"""A rule-based sentence splitter for runs that load no spaCy model.

Why not textstat's or a bare regex: news copy is full of "U.S.", "Mr.", "Jan.",
"No. 10", "$3.50" and initials, and every false break inflates a readability
score's sentence count. This splitter breaks at ., ! or ? (plus any closing
quotes or brackets) followed by whitespace and a capital, digit or opening quote,
unless the token before the stop is a known abbreviation or an initial, and always
at a line break.
"""

from __future__ import annotations

import re

from copydesk.spans import strip_span

# Abbreviations that are followed by a name or number, never end a sentence in practice.
_TITLES = frozenset(
    """mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep rev st sr jr fr pres
    supt insp det maj cpl pvt messrs mme mlle hon amb atty""".split()
)
# Abbreviations that may end a sentence, but usually do not.
_ABBREVIATIONS = frozenset(
    """jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun
    no nos vs v etc approx est dept univ corp inc ltd co bros assn ave blvd rd mt ft
    e.g i.e a.m p.m u.s u.k u.n u.s.a e.u d.c n.y l.a ph.d""".split()
)
# Words that almost always start a sentence after an acronym such as "U.S.".
_SENTENCE_STARTERS = frozenset(
    """the a an he she it they we i you his her its their this that these those there but
    and so yet however meanwhile in on at for after before when while if as now then
    officials police""".split()
)

# Opening quotes before the next sentence's first letter: one or more, since some
# copy writes an opening quote as two apostrophes (''That's ...).
_BOUNDARY = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]*[A-Z0-9])")
_LINE_BREAK = re.compile(r"\n")
_NEXT_WORD = re.compile(r"\s+[\"'\u201c\u2018(\[]*([A-Za-z]+)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` in ``text``, whitespace trimmed, none empty."""
    spans: list[tuple[int, int]] = []
    for line_start, line_end in _lines(text):
        start = line_start
        for match in _BOUNDARY.finditer(text, line_start, line_end):
            if _is_abbreviation_stop(text, line_start, match.start(), match.end()):
                continue
            spans.append((start, match.end()))
            start = match.end()
        spans.append((start, line_end))
    return [t for t in (strip_span(text, a, b) for a, b in spans) if t is not None]


def _lines(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = 0
    for match in _LINE_BREAK.finditer(text):
        out.append((start, match.start()))
        start = match.end()
    out.append((start, len(text)))
    return out


def _is_abbreviation_stop(text: str, line_start: int, stop: int, after: int) -> bool:
    if text[stop] != ".":
        return False
    word_start = stop
    while word_start > line_start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:stop].lstrip("\"'(\u201c\u2018[").lower()
    if not word:
        return False
    if word in _TITLES:
        return True
    next_word = _NEXT_WORD.match(text, after)  # no slice: a slice per stop is quadratic
    starter = next_word is not None and next_word.group(1).lower() in _SENTENCE_STARTERS
    if len(word) == 1 and word.isalpha():
        # An initial ("John F. Kennedy") unless the next word plainly starts a sentence.
        return not starter
    if word in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):
        return not starter
    return False


_CLOSING_QUOTES = "\"'\u201d\u2019)]"


def _split_at_line_breaks(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A line break always ends a sentence, as in :func:`split_sentences`.

    spaCy's senter sometimes runs a sentence over a paragraph break; without
    this, sentence counts would depend on which analyzers a run selects.
    """
    out: list[tuple[int, int]] = []
    for start, end in spans:
        for match in _LINE_BREAK.finditer(text, start, end):
            out.append((start, match.start()))
            start = match.end()
        out.append((start, end))
    return out


def reattach_closing_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Trim spans and give a sentence back its closing quotation mark.

    spaCy's segmenters often start the next sentence with the closing quote of
    the previous one (`..talk to us.` / `" De Vries said`); a sentence that
    starts with a quote mark followed by whitespace is returned that mark.
    """
    out: list[tuple[int, int]] = []
    for start, end in _split_at_line_breaks(text, spans):
        trimmed = strip_span(text, start, end)
        if trimmed is None:
            continue
        start, end = trimmed
        while (
            out
            and start < end
            and text[start] in _CLOSING_QUOTES
            and (start + 1 == end or text[start + 1].isspace())
            and text[start - 1] in ".!?,;:\u2026" + _CLOSING_QUOTES
        ):
            out[-1] = (out[-1][0], start + 1)
            rest = strip_span(text, start + 1, end)
            if rest is None:
                start = end
                break
            start, end = rest
        if start < end:
            out.append((start, end))
    return out
