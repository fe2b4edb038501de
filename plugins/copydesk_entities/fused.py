"""Splitting a PERSON span that fuses several names or a letter's greeting.

Why this exists: in e-mail and forum text, names stand next to each other with
nothing but a space between them (a signature, then the next message's greeting:
"Thanks, Renee Renee, Thank you..."; a list of attendees: "Lisa Gilette Kristen
Quinn, Sarah Mulholland"), and spaCy tags the whole run as one person. A span
that names no one person breaks string matching and the surname merge, so it is
cut into names:

* at a greeting or closing word, which never belongs to a name ("Vince Dear",
  "John Attached", "Rob Bryngelson PS");
* where a name is repeated at once ("Phillip Phillip", "Debra Perlingiere Debra
  Perlingiere"), when the repeated word is a known given name (so that
  Sirhan Sirhan keeps his name);
* between two full names: at a known given name that follows a full name whose
  first word is a given name and whose second is not, when a surname follows it
  ("Lisa Gilette Kristen Quinn"). Three-word names are left alone ("Sarah Jessica
  Parker", "Hillary Rodham Clinton": a surname is often also a given name).
"""

from __future__ import annotations

import re
from functools import lru_cache

from copydesk_entities.evidence import given_names
from copydesk_entities.mentions import NAME_CACHE_SIZE, Mention

# Words that open or close a letter and are no part of a name. Not "Best" or
# "Love": those are surnames too.
LETTER_WORDS = frozenset(
    """Dear Hi Hello Hey Thanks Thank Regards Cheers Sincerely Please Attached
    Attendees FYI PS P.S. Re Fwd""".split()
)
_WORD = re.compile(r"\S+")
_SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"})


def split_fused_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` with each fused PERSON span cut into its names (see the
    module docstring); other mentions are returned as they are."""
    out: list[Mention] = []
    for m in mentions:
        if m.label != "PERSON" or " " not in m.text:
            out.append(m)
            continue
        pieces = [(m.start + a, m.start + b) for a, b in _pieces_of(m.text)]
        if len(pieces) == 1 and pieces[0] == (m.start, m.end):
            out.append(m)
            continue
        # An honorific ("Dr Vincent Kaminski") belongs to the first name only.
        out.extend(
            Mention(
                start,
                end,
                text[start:end],
                m.label,
                m.spacy_label,
                m.honorific if i == 0 else None,
                m.by_rule if i == 0 else None,
            )
            for i, (start, end) in enumerate(pieces)
        )
    return out


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _pieces_of(name: str) -> tuple[tuple[int, int], ...]:
    """:func:`_pieces` of a span's own text, as offsets into it: a pure function
    of the text, memoised (the same names recur across documents)."""
    return tuple(_pieces(name, 0, len(name)))


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The names in ``text[start:end]`` as character spans."""
    tokens = [(w.start() + start, w.end() + start) for w in _WORD.finditer(text[start:end])]
    groups: list[list[tuple[int, int]]] = [[]]
    for span in tokens:
        word = text[span[0] : span[1]].rstrip(",;:")
        if not word:
            continue  # a comma standing alone ("Thanks , Renee"): no word of a name
        if word in LETTER_WORDS:
            groups.append([])
        else:
            groups[-1].append(span)
    out: list[tuple[int, int]] = []
    for group in groups:
        for piece in _split_names(text, group):
            if piece and any(text[s].isupper() for s, _ in piece):
                first, last = piece[0][0], piece[-1][1]
                while text[last - 1] in ",;:":
                    last -= 1
                out.append((first, last))
    return out


def _split_names(text: str, tokens: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Cut a run of words at a repeated name and between two full names."""
    names = given_names()
    words = [text[s:e].rstrip(",;:") for s, e in tokens]
    n = len(words)
    for size in (2, 1):
        for i in range(n - 2 * size + 1):
            first, second = words[i : i + size], words[i + size : i + 2 * size]
            if first == second and (size == 2 or first[0] in names):
                cut = i + size
                return _split_names(text, tokens[:cut]) + _split_names(text, tokens[cut:])
    # "Lisa Gilette Kristen Quinn"; not "Mohammed bin Salman Al Saud" (a particle).
    if n >= 4 and words[0] in names and words[1] not in names and words[1][:1].isupper():
        for k in range(2, n - 1):
            if words[k] in names and words[k + 1] not in _SUFFIXES and words[k + 1][:1].isupper():
                return [tokens[:k], *_split_names(text, tokens[k:])]
    return [tokens]
