"""The classic readability formulas, computed from copydesk's own counts.

Each formula uses textstat 0.7's constants (so a number here means what it means
in textstat's documentation), but its inputs come from :mod:`.counts`: sentence
counts from a real sentence splitter, syllables from the packaged CMU dictionary.
Nothing here divides by zero: a text with no words gets no formulas at all (the
analyzer reports ``not_applicable``), and every denominator is at least one.
"""

from __future__ import annotations

import math

from .counts import Counts

# Names of the grade formulas in the order reports list them. Flesch reading ease
# is a 0-100 ease score (higher is easier), the rest are US school grades.
FORMULAS = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
    "dale_chall_readability_score",
)


def _rates(c: Counts) -> tuple[float, float]:
    words = max(c.words, 1)
    return words / max(c.sentences, 1), c.syllables / words


def flesch_reading_ease(c: Counts) -> float:
    """206.835 - 1.015 words/sentence - 84.6 syllables/word (higher = easier)."""
    wps, spw = _rates(c)
    return 206.835 - 1.015 * wps - 84.6 * spw


def flesch_kincaid_grade(c: Counts) -> float:
    """0.39 words/sentence + 11.8 syllables/word - 15.59."""
    wps, spw = _rates(c)
    return 0.39 * wps + 11.8 * spw - 15.59


def gunning_fog(c: Counts) -> float:
    """0.4 (words/sentence + 100 complex words/words).

    Complex words are Gunning's: 3+ syllables, not proper names, not hyphenated
    compounds. (textstat instead counts 3+ syllable words off the Dale-Chall list.)
    """
    wps, _ = _rates(c)
    return 0.4 * (wps + 100 * c.complex_words / max(c.words, 1))


def smog_index(c: Counts) -> float:
    """1.043 sqrt(30 polysyllables/sentences) + 3.1291."""
    return 1.043 * math.sqrt(30 * c.polysyllables / max(c.sentences, 1)) + 3.1291


def coleman_liau_index(c: Counts) -> float:
    """0.058 L - 0.296 S - 15.8; L letters and S sentences per 100 words."""
    words = max(c.words, 1)
    return 0.058 * (100 * c.letters / words) - 0.296 * (100 * c.sentences / words) - 15.8


def automated_readability_index(c: Counts) -> float:
    """4.71 characters/word + 0.5 words/sentence - 21.43."""
    wps, _ = _rates(c)
    return 4.71 * c.letters / max(c.words, 1) + 0.5 * wps - 21.43


def dale_chall_readability_score(c: Counts) -> float:
    """0.1579 % difficult words + 0.0496 words/sentence (+ 3.6365 above 5 %)."""
    wps, _ = _rates(c)
    pdw = 100 * c.difficult_words / max(c.words, 1)
    return 0.1579 * pdw + 0.0496 * wps + (3.6365 if pdw > 5 else 0.0)


def all_formulas(c: Counts) -> dict[str, float]:
    """Every classic formula for these counts."""
    return {
        "flesch_reading_ease": flesch_reading_ease(c),
        "flesch_kincaid_grade": flesch_kincaid_grade(c),
        "gunning_fog": gunning_fog(c),
        "smog_index": smog_index(c),
        "coleman_liau_index": coleman_liau_index(c),
        "automated_readability_index": automated_readability_index(c),
        "dale_chall_readability_score": dale_chall_readability_score(c),
    }
