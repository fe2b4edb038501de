"""Readability's document counts from the word table equal the sentence-by-sentence counts.

The analyzer counts a document through :class:`copydesk_readability.table.SentenceCounts`
(one numpy gather and segmented sum over a per-process table of word forms) and the
word lists the stats analyzer shares (``copydesk.words.sentence_words``).
Each shortcut is checked here against the plain computation it replaces
(:func:`count_sentence` per sentence, summed with ``Counts.add``, and
:func:`consensus_grade` per sentence), on the sample articles and on text written
to hit its edges: capitalised and hyphenated first words, words with no letters,
sentences with no words.
"""

from __future__ import annotations

import pytest

from copydesk.sentences import split_sentences
from copydesk.testing import SAMPLE_ARTICLES
from copydesk.words import WORD_PATTERN as WORD
from copydesk.words import sentence_words
from copydesk_readability.consensus import consensus_grade
from copydesk_readability.counts import CLAUSE_MARK, Counts, count_sentence
from copydesk_readability.table import SentenceCounts, WordTable

EDGE_TEXTS = (
    "Unconstitutional, said the Administration. Well-documented evidence, 700,000 people.",
    "Obama visited Washington. Extraordinary! International co-operation; U.S. officials.",
    "\u201cIndubitably,\u201d he said. -- 30 -- . Mississippi's 1961 referendum was walked out.",
    "A. B. C. Photosynthesis. Everybody everywhere, unbelievably, Anybody.",
)
TEXTS = (*SAMPLE_ARTICLES.values(), *EDGE_TEXTS)


def _plain(text: str) -> tuple[list[Counts], Counts]:
    per_sentence = [count_sentence(text[a:b]) for a, b in split_sentences(text)]
    per_sentence = [c for c in per_sentence if c.words]
    total = Counts()
    for counts in per_sentence:
        total.add(counts)
    return per_sentence, total


def _table(text: str) -> tuple[SentenceCounts, list[list[str]]]:
    spans = list(split_sentences(text))
    kept = [(span, w) for span, w in zip(spans, sentence_words(text, spans), strict=True) if w]
    words = [w for _, w in kept]
    commas = [len(CLAUSE_MARK.findall(text[a:b])) for (a, b), _ in kept]
    return SentenceCounts(words, commas), words


@pytest.mark.parametrize("text", TEXTS)
def test_table_counts_equal_sentence_by_sentence_counts(text: str) -> None:
    per_sentence, total = _plain(text)
    table, words = _table(text)
    assert table.total() == total
    assert table.grades() == [consensus_grade(c) for c in per_sentence]  # to the last bit
    for index, counts in enumerate(per_sentence):
        assert table.sentence(index, words[index]) == counts
        assert table.sums[index].tolist()[:6] == [
            counts.syllables,
            counts.letters,
            counts.long_words,
            counts.polysyllables,
            counts.complex_words,
            counts.difficult_words,
        ]


def test_the_edge_texts_hit_the_first_word_corrections() -> None:
    # Guards the test above: a capitalised first word that is difficult or complex at
    # the start of a sentence but would be a proper name inside one.
    firsts = [count_sentence(t) for t in ("Unconstitutional, said the mayor.", "Obama spoke.")]
    assert firsts[0].complex_words == 1
    assert firsts[1].difficult_words == 1


def test_a_full_table_starts_again_and_still_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    import copydesk_readability.table as table_module

    monkeypatch.setattr(table_module, "TABLE_LIMIT", 5)
    table = WordTable()
    assert sorted(table.numbers(["one", "two", "three"])) == [0, 1, 2]
    # Three new forms would pass the limit: the table is emptied, then holds these.
    words = ["four", "five", "six", "one", "four"]
    numbers = table.numbers(words)
    assert table.size == 4
    assert sorted(table.index) == ["five", "four", "one", "six"]
    assert numbers == [table.index[w] for w in words]
    fresh = WordTable()
    assert [table.rows[n].tolist() for n in numbers] == [
        fresh.rows[n].tolist() for n in fresh.numbers(words)
    ]


@pytest.mark.parametrize("text", TEXTS)
def test_shared_sentence_words_are_each_sentences_findall(text: str) -> None:
    spans = list(split_sentences(text))
    expected = [WORD.findall(text[a:b]) for a, b in spans]
    assert sentence_words(text, spans) == expected
    # Asked again (the second analyzer): the same lists, from the memo.
    again = sentence_words(text, list(spans))
    assert again == expected
    assert again is sentence_words(text, spans)


def test_shared_sentence_words_are_not_reused_for_other_sentences() -> None:
    text = "Officials said so. Nobody else did."
    whole = sentence_words(text, [(0, len(text))])
    split = sentence_words(text, [(0, 18), (19, 35)])
    assert whole == [["Officials", "said", "so", "Nobody", "else", "did"]]
    assert split == [["Officials", "said", "so"], ["Nobody", "else", "did"]]
    assert sentence_words("Other text.", [(0, 11)]) == [["Other", "text"]]


def test_the_word_table_adds_forms_and_gathers_their_rows_under_its_lock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The service's worker threads share the table: forms are added (and the
    # table started again) only while its lock is held, and the rows gathered
    # are those of the words asked for, also when adding them grows the table.
    import copydesk_readability.table as table_module

    table = WordTable()
    plain = table_module._row
    held: list[bool] = []

    def row(token: str) -> tuple[int, ...]:
        held.append(table.lock.locked())
        return plain(token)

    monkeypatch.setattr(table_module, "_row", row)
    words = ["Unconstitutional", "said", "the", "mayor", "said"]
    words += [f"Word{n}" for n in range(len(table.rows))]  # more forms than rows
    rows = table.rows_of(words)
    assert held == [True] * (len(words) - 1)
    assert not table.lock.locked()
    assert [tuple(r) for r in rows.tolist()] == [plain(w) for w in words]
