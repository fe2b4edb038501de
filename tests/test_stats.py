"""Tests of the stats analyzer's word count, which avoids a second pass over the text."""

from __future__ import annotations

import pytest

from copydesk.testing import run_analyzers
from copydesk_stats import _WORD, count_words


def _count(text: str, sentences: list[tuple[int, int]]) -> int:
    lengths = [len(_WORD.findall(text[a:b])) for a, b in sentences]
    return count_words(text, sentences, lengths)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # Clean edges: the words of the sentences plus the words between them.
        ("Officials said so. Nobody else did.", [(0, 18), (19, 35)]),
        ("Officials said so.\n\n(AP) Nobody else did.", [(0, 18), (25, 42)]),
        # An edge inside a word: "U.S." would count as two words, the text has one.
        ("The U.S. team won", [(0, 6), (6, 17)]),
        ("It is well-known", [(0, 11), (11, 16)]),
        # Spans out of order or overlapping: counted whole.
        ("Two words", [(4, 9), (0, 3)]),
        ("Two words", [(0, 5), (2, 9)]),
        ("", []),
    ],
)
def test_count_words_is_the_count_of_the_whole_text(
    text: str, sentences: list[tuple[int, int]]
) -> None:
    assert _count(text, sentences) == len(_WORD.findall(text))


def test_words_metric_counts_words_outside_sentences_too() -> None:
    text = "Fire crews came at noon. They left at two.\n\n-- 30 --\n"
    result = run_analyzers(text, ["stats"])
    assert result.metrics["stats.words"] == len(_WORD.findall(text)) == 10
