"""A document's counts from a table of word forms: one numpy gather, one segmented sum.

Counting word by word in Python (:func:`.counts.count_tokens`) cost about a
quarter of a microsecond a word, 67,600 words per pass over the 84 PolNeAR dev
articles, and then a ``Counts`` per sentence, summed one by one into the
document's. Here every word form met gets a row of counts in a per-process
table (:class:`WordTable`); a document's words become row numbers, and
``numpy.add.reduceat`` sums the rows of each sentence at once. The document's
counts are the column sums; each sentence's consensus grade is computed for
all sentences at once (:func:`.consensus.sentence_grades`); full ``Counts`` are
made only for the few sentences the analyzer reports.

Two counts depend on where a word sits: a capitalised word inside a sentence is
a proper name, at its start it proves nothing (Gunning's complex words,
Dale-Chall's difficult words). A row holds the word's count inside a sentence
and, in two more columns, what changes when it opens one; those are added for
each sentence's first word.
"""

from __future__ import annotations

import threading
from itertools import chain
from typing import TYPE_CHECKING, Any, TypedDict

from .consensus import sentence_grades
from .counts import SENTENCE_LIMIT, Counts, count_tokens, word_info

if TYPE_CHECKING:
    import numpy as np

# The table's columns, in order.
COLUMNS = (
    "syllables",
    "letters",
    "long_words",
    "polysyllables",
    "complex_words",
    "difficult_words",
    "complex_first",
    "difficult_first",
)
(
    SYLLABLES,
    LETTERS,
    LONG_WORDS,
    POLYSYLLABLES,
    COMPLEX_WORDS,
    DIFFICULT_WORDS,
    COMPLEX_FIRST,
    DIFFICULT_FIRST,
) = range(len(COLUMNS))
# Word forms the table keeps, bounded for a long-running server.
TABLE_LIMIT = 500_000


def _row(token: str) -> tuple[int, ...]:
    """The counts of ``token`` inside a sentence, then what its being first adds."""
    info = word_info(token)
    inner = not info.capitalised
    complex_first = info.polysyllable and not info.hyphenated
    difficult_first = not info.familiar_initial
    complex_inner = complex_first and inner
    difficult_inner = difficult_first and inner
    return (
        info.syllables,
        info.letters,
        int(info.long),
        int(info.polysyllable),
        int(complex_inner),
        int(difficult_inner),
        int(complex_first) - int(complex_inner),
        int(difficult_first) - int(difficult_inner),
    )


class WordTable:
    """Word form -> row number, and the rows (``rows[:size]``), grown as forms are met.

    Emptied when it reaches :data:`TABLE_LIMIT` forms (then filled again).
    """

    __slots__ = ("index", "lock", "polysyllabic", "rows", "size")

    def __init__(self) -> None:
        import numpy as np

        self.index: dict[str, int] = {}
        # The forms of three or more syllables: a sentence's polysyllables to show.
        self.polysyllabic: set[str] = set()
        self.rows: np.ndarray[Any, Any] = np.zeros((1024, len(COLUMNS)), dtype=np.int64)
        self.size = 0
        # The service's worker threads share the table (see :meth:`rows_of`).
        self.lock = threading.Lock()

    def rows_of(self, tokens: list[str]) -> np.ndarray[Any, Any]:
        """The rows of ``tokens`` (a copy), adding the forms not met before.

        One step under the table's lock: the worker threads of a service share
        the table, and another thread adding forms (two would write the same
        rows) or starting the table again between the look-up and the gather
        would give the rows of other words.
        """
        import numpy as np

        with self.lock:
            numbers = self.numbers(tokens)  # first: adding forms may grow ``rows``
            return self.rows[np.array(numbers, dtype=np.intp)]

    def numbers(self, tokens: list[str]) -> list[int]:
        """The row number of each of ``tokens``, adding the forms not met before."""
        try:
            return list(map(self.index.__getitem__, tokens))
        except KeyError:
            new = set(tokens).difference(self.index)
            if self.size + len(new) > TABLE_LIMIT:  # a long run's forms: start again
                self.index.clear()
                self.polysyllabic.clear()
                self.size = 0
                new = set(tokens)
            self._add(sorted(new))
            return list(map(self.index.__getitem__, tokens))

    def _add(self, forms: list[str]) -> None:
        import numpy as np

        needed = self.size + len(forms)
        if needed > len(self.rows):
            grown = np.zeros((max(needed, 2 * len(self.rows)), len(COLUMNS)), dtype=np.int64)
            grown[: self.size] = self.rows[: self.size]
            self.rows = grown
        rows = [_row(form) for form in forms]
        self.rows[self.size : needed] = rows
        for number, (form, row) in enumerate(zip(forms, rows, strict=True), start=self.size):
            self.index[form] = number
            if row[POLYSYLLABLES]:
                self.polysyllabic.add(form)
        self.size = needed


_table: WordTable | None = None


def word_table() -> WordTable:
    """The process's table (made on first use)."""
    global _table
    if _table is None:
        _table = WordTable()
    return _table


class SentenceCounts:
    """The counts of every sentence of a document (each with at least one word), as columns.

    ``sums[i]`` holds sentence ``i``'s column totals (:data:`COLUMNS`, the first
    word's position already accounted for), ``words[i]`` and ``commas[i]`` its
    word and comma counts.
    """

    __slots__ = ("commas", "polysyllabic", "sums", "words")

    def __init__(self, sentences: list[list[str]], commas: list[int]) -> None:
        import numpy as np

        lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
        table = word_table()
        rows = table.rows_of(list(chain.from_iterable(sentences)))
        # Shared, not copied: if another thread starts the table again, a flagged
        # sentence's examples fall short and :meth:`sentence` counts it anew.
        self.polysyllabic = table.polysyllabic
        starts = np.zeros(len(sentences), dtype=np.intp)
        np.cumsum(lengths[:-1], out=starts[1:])
        sums = np.add.reduceat(rows, starts, axis=0)
        first = rows[starts]
        sums[:, COMPLEX_WORDS] += first[:, COMPLEX_FIRST]
        sums[:, DIFFICULT_WORDS] += first[:, DIFFICULT_FIRST]
        self.sums = sums
        self.words = lengths
        self.commas = np.array(commas, dtype=np.int64)

    def total(self) -> Counts:
        """The document's counts: the sum of its sentences' (as ``Counts.add`` sums them)."""
        words = self.words
        return Counts(
            words=int(words.sum()),
            sentences=len(words),
            **_table_fields(self.sums.sum(axis=0).tolist()),
            commas=int(self.commas.sum()),
            length_squares=int((words * words).sum()),
            words_past_limit=int((words - SENTENCE_LIMIT).clip(min=0).sum()),
        )

    def grades(self) -> list[float]:
        """Each sentence's consensus grade (:func:`.consensus.sentence_grades`)."""
        grades: list[float] = sentence_grades(
            self.words, self.commas, self.sums[:, DIFFICULT_WORDS]
        ).tolist()
        return grades

    def sentence(self, index: int, tokens: list[str]) -> Counts:
        """The full counts of sentence ``index``, whose words are ``tokens`` (they give
        the polysyllables to show)."""
        words = int(self.words[index])
        examples = list(filter(self.polysyllabic.__contains__, tokens))
        counts = Counts(
            words=words,
            sentences=1,
            **_table_fields(self.sums[index].tolist()),
            commas=int(self.commas[index]),
            length_squares=words * words,
            words_past_limit=max(0, words - SENTENCE_LIMIT),
            polysyllable_examples=examples,
        )
        if len(examples) != counts.polysyllables:  # the table started again meanwhile
            counts = Counts(sentences=1, commas=counts.commas)
            count_tokens(counts, tokens)
        return counts


class _TableFields(TypedDict):
    """The :class:`Counts` fields a row of the table's sums holds."""

    syllables: int
    polysyllables: int
    complex_words: int
    letters: int
    long_words: int
    difficult_words: int


def _table_fields(row: list[int]) -> _TableFields:
    """A row of the table's sums as :class:`Counts` fields, by name."""
    return {
        "syllables": row[SYLLABLES],
        "polysyllables": row[POLYSYLLABLES],
        "complex_words": row[COMPLEX_WORDS],
        "letters": row[LETTERS],
        "long_words": row[LONG_WORDS],
        "difficult_words": row[DIFFICULT_WORDS],
    }
