"""Requests for comment: who was asked and whether they answered.

Editors check these lines for fairness ("did we give them a chance to reply?").
The phrases are fixed formulas of news writing, so patterns over the text find
them; the parse then supplies the party (the subject of "declined", the object
of "reached out to").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from copydesk import climb_to_subject, strip_span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_NOT = (
    r"(?:did not|didn['\u2019]t|does not|doesn['\u2019]t|has not|hasn['\u2019]t|have not"
    r"|haven['\u2019]t|had not|would not|wouldn['\u2019]t)"
)
# Each pattern opens with a lookahead for the first letters of its alternatives
# ("(?=[dhw])": did, does, has, have, had, would): the regex engine rejects most
# positions on one character instead of trying every alternative there (about 4x
# faster on PolNeAR dev; the same matches, since every alternative starts so).
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "reached_out",
        re.compile(
            r"(?=[race])\b(?:reached out to|contacted|asked|approached|emailed|called)\s+"
            r"(?P<party>[^.;\n]{2,90}?)\s+"
            r"(?:for|seeking|to request)\s+(?:a\s+|further\s+|immediate\s+)?comment",
            re.IGNORECASE,
        ),
    ),
    (
        "no_response",
        re.compile(
            "(?=[dhw])" + _NOT + r"\s+(?:immediately\s+)?(?:respond|reply|return)\s+(?:to\s+)?"
            r"(?:a|an|the|multiple|several|repeated|our|two|numerous)?\s*"
            r"(?:emailed\s+|phone\s+|written\s+|telephone\s+)?"
            r"(?:requests?|messages?|calls?|inquir(?:y|ies)|emails?|questions?)"
            r"(?:\s+(?:for|seeking)\s+comment)?",
            re.IGNORECASE,
        ),
    ),
    (
        "declined",
        re.compile(
            r"(?=[dr])\b(?:declined|refused|declines|refuses)\s+"
            r"(?:to\s+(?:comment|be interviewed|respond|elaborate|discuss)|comment)",
            re.IGNORECASE,
        ),
    ),
    (
        "unreachable",
        re.compile(
            r"\bcould not\s+(?:immediately\s+)?be reached(?:\s+for\s+comment)?", re.IGNORECASE
        ),
    ),
    (
        "no_comment",
        re.compile(
            r"(?=[hog])\b(?:had|has|have|offered|gave)\s+no\s+(?:immediate\s+)?comment",
            re.IGNORECASE,
        ),
    ),
    (
        "request_pending",
        re.compile(
            r"\b(?:a\s+)?requests?\s+for\s+comment(?:\s+(?:to|from)\s+(?P<party>[^.;\n]{2,60}?))?"
            r"\s+(?:was|were|went|has|have)\s+(?:not\s+)?(?:returned|answered|unanswered|immediately)",
            re.IGNORECASE,
        ),
    ),
)


# A word each pattern cannot match without: most articles have none of them, and
# a substring test over the lower-cased text is far cheaper than the regex.
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "reached_out": ("comment",),
    "no_response": ("respond", "reply", "return"),
    "declined": ("declin", "refus"),
    "unreachable": ("reached",),
    "no_comment": ("comment",),
    "request_pending": ("comment",),
}


# What each pattern's matches begin with, lower-cased (a superset is fine): the
# pattern is tried only where one of these stands, instead of being run over the
# whole text (the regex engine tries every position; these are str.find scans).
# "request_pending" may also begin with "a" and white space before "request".
_STARTS: dict[str, tuple[str, ...]] = {
    "reached_out": ("reached out to", "contacted", "asked", "approached", "emailed", "called"),
    "no_response": ("did", "does", "has", "have", "had", "would"),
    "declined": ("declin", "refus"),
    "unreachable": ("could not",),
    "no_comment": ("had", "has", "have", "offered", "gave"),
    "request_pending": ("request",),
}
# Letters that match another letter under IGNORECASE but are not its lower case
# (long s, Kelvin sign, dotted and dotless i): a text with one is searched whole.
_FOLD_ODDITIES = ("\u017f", "\u212a", "\u0130", "\u0131")


@dataclass
class CommentRequest:
    """One comment formula, its whole span, and the party asked (if found)."""

    kind: str
    start: int
    end: int
    party: tuple[int, int] | None


def find_comment_requests(text: str, doc: Doc) -> list[CommentRequest]:
    """Every comment formula, with the party read off the parse where possible."""
    found: list[CommentRequest] = []
    taken: list[tuple[int, int]] = []
    lowered = text.lower()
    for kind, pattern in _PATTERNS:
        if not any(word in lowered for word in _KEYWORDS[kind]):
            continue
        for m in _matches(kind, pattern, text, lowered):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            party: tuple[int, int] | None = None
            if "party" in pattern.groupindex and m.group("party"):
                party = strip_span(text, m.start("party"), m.end("party"), " ,")
            else:
                party = _subject(doc, m.start(), m.end())
            start = min(m.start(), party[0]) if party else m.start()
            end = max(m.end(), party[1]) if party else m.end()
            taken.append((m.start(), m.end()))
            found.append(CommentRequest(kind, start, end, party))
    found.sort(key=lambda c: c.start)
    return found


def _matches(
    kind: str, pattern: re.Pattern[str], text: str, lowered: str
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, trying the pattern only where a match can begin.

    The same matches: each is the one ``match`` finds at the leftmost start at or
    after the previous match's end, as ``finditer`` does; ``match`` at a position
    reads the text before it for ``\\b``.
    """
    if len(lowered) != len(text) or any(ch in text for ch in _FOLD_ODDITIES):
        yield from pattern.finditer(text)
        return
    end = 0
    for pos in _starts(kind, lowered):
        if pos < end:
            continue
        m = pattern.match(text, pos)
        if m is not None:
            end = m.end()
            yield m


def _starts(kind: str, lowered: str) -> list[int]:
    """Sorted positions where a match of ``kind`` may begin."""
    out: set[int] = set()
    for word in _STARTS[kind]:
        at = lowered.find(word)
        while at >= 0:
            out.add(at)
            if kind == "request_pending":
                # "(?:a\s+)?requests?": the article, white space between.
                before = at
                while before > 0 and lowered[before - 1].isspace():
                    before -= 1
                if before < at and before > 0 and lowered[before - 1] == "a":
                    out.add(before - 1)
            at = lowered.find(word, at + 1)
    return sorted(out)


def _subject(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """The subject of the first verb in the matched stretch, as a character range."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    verbs: list[Token] = [t for t in span if t.pos_ in ("VERB", "AUX")]
    for verb in verbs:
        # "declined to comment": "comment" borrows the subject of "declined".
        found = climb_to_subject(verb, through=("xcomp", "conj", "aux", "auxpass", "neg"))
        if found is None:
            continue
        subj, node = found
        if subj.lower_ in ("who", "that", "which") and node.dep_ == "relcl":
            head = node.head
            return head.left_edge.idx, head.idx + len(head)
        a, b = subj.left_edge.i, subj.right_edge.i + 1
        if b > verb.i and a < verb.i:
            b = verb.i
        last = doc[b - 1]
        while b - 1 > a and doc[b - 1].is_punct:
            b -= 1
            last = doc[b - 1]
        return doc[a].idx, last.idx + len(last)
    return None
