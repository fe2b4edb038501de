"""The words of each sentence of a document, found once per document for the analyzers.

stats counts the words of each sentence; readability counts their syllables,
letters and familiarity. Both use the same word pattern over the same
sentences (``ctx.sentences``), and that regex pass was the larger part of what
stats costs (about 0.014 CPU s per pass over the 84 PolNeAR dev articles, and
as much again inside readability). So the word lists of the last document are
kept here, keyed by its text and sentence spans: whichever analyzer asks
second gets the first one's lists. It lives in the framework, not in either
plugin, so that neither analyzer imports the other. Each analyzer still works alone (the lists
are made on a miss), and one entry is all that is kept, so a long-running
service holds one document's words at most.
"""

from __future__ import annotations

import re
import threading

# A word: letters or digits, with inner apostrophes, hyphens or dots ("don't",
# "well-known", "U.S", "3.50").
WORD_PATTERN = re.compile(r"[^\W_]+(?:['\u2019.-][^\W_]+)*")

_last = threading.local()


def sentence_words(text: str, sentences: list[tuple[int, int]]) -> list[list[str]]:
    """The words (:data:`WORD_PATTERN` matches) of each of ``sentences``, spans of ``text``.

    The same lists as ``WORD_PATTERN.findall(text[start:end])`` per sentence (``pos`` and
    ``endpos`` give the same matches: the pattern has no anchor or lookaround),
    returned from the one-document memo when ``text`` and ``sentences`` are the
    ones asked for last in this thread. Treat the lists as read-only: the next
    caller gets the same ones.
    """
    memo = getattr(_last, "entry", None)
    if memo is not None and memo[0] == text and memo[1] == sentences:
        words: list[list[str]] = memo[2]
        return words
    findall = WORD_PATTERN.findall
    words = [findall(text, start, end) for start, end in sentences]
    _last.entry = (text, list(sentences), words)
    return words
