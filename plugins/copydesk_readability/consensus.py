"""The consensus grade: four complementary signals, z-scored, averaged, put on a grade scale.

Why these four. On the OneStopEnglish dev set (Guardian articles rewritten at
three levels) the classic formulas mix the *mean* sentence length with one
measure of word difficulty, and the mean is what a rewriter moves least: easy
versions keep many short sentences and split the long ones. So:

* **words-weighted sentence length** (``sum(n**2) / sum(n)``: the length of the
  sentence the average word sits in) replaces the mean sentence length; a few
  long sentences among short ones weigh as much as a reader finds they do;
* **share of words past the 20th of their sentence** counts how much of the
  text sits in the overlong part of a sentence, which is what gets split;
* **difficult-word share** (off the Dale-Chall familiar-word list, inflections,
  names and numbers counted familiar) is the word-difficulty signal that orders
  the levels of one article best;
* **commas and semicolons per sentence** are a cheap, parser-free proxy for
  embedded clauses and lists, which rewriters remove when simplifying.

All four are defined on one sentence as well as on a text, so the same grade
ranks sentences for ``hard_sentence``. The consensus is the mean of the four
z-scores (``(x - mean) / sd`` with the dev set's means and standard deviations
below), mapped linearly onto the scale of the mean of the five grade-level
formulas (Flesch-Kincaid, fog, SMOG, Coleman-Liau, ARI) on the same set, so it
reads as a US school grade. Equal weights: nothing is fitted but the 4 means and
SDs and the 3 scale constants; ``benchmarks/readability_consensus_fit.py``
recomputes every constant and cross-validates the choice by article.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .counts import SENTENCE_LIMIT, Counts, weighted_sentence_length

if TYPE_CHECKING:
    import numpy as np

# Means and standard deviations of each ingredient over the OneStopEnglish dev
# texts (270), from benchmarks/readability_consensus_fit.py.
INGREDIENTS: dict[str, tuple[float, float]] = {
    "commas_per_sentence": (1.0849, 0.3564),
    "weighted_sentence_length": (24.0938, 4.4732),
    "difficult_word_share": (0.1672, 0.045),
    "words_past_limit_share": (0.1809, 0.0793),
}
# The mean z-score maps onto grade = GRADE_MEAN + GRADE_SD * z / Z_SD.
GRADE_MEAN = 10.8325
GRADE_SD = 1.9215
Z_SD = 0.8234


def ingredients(c: Counts) -> dict[str, float]:
    """The four raw inputs of the consensus for these counts."""
    words = max(c.words, 1)
    return {
        "commas_per_sentence": c.commas / max(c.sentences, 1),
        "weighted_sentence_length": weighted_sentence_length(c),
        "difficult_word_share": c.difficult_words / words,
        "words_past_limit_share": c.words_past_limit / words,
    }


def consensus_z(c: Counts, constants: dict[str, tuple[float, float]] | None = None) -> float:
    """Mean z-score of the ingredients (0 = an average OneStopEnglish text)."""
    z: float = _mean_z(ingredients(c), constants or INGREDIENTS)
    return z


def _mean_z(values: Mapping[str, Any], table: dict[str, tuple[float, float]]) -> Any:
    """The mean of the ingredients' z-scores: floats, or numpy arrays of them, added
    in the table's order (so both give the same floats)."""
    total = 0.0
    for name, (mean, sd) in table.items():
        total += (values[name] - mean) / sd
    return total / len(table)


def consensus_grade(c: Counts) -> float:
    """The consensus as a US school grade (same scale as Flesch-Kincaid and ARI)."""
    return GRADE_MEAN + GRADE_SD * consensus_z(c) / Z_SD


def sentence_grades(
    words: np.ndarray[Any, Any], commas: np.ndarray[Any, Any], difficult: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """:func:`consensus_grade` of each of a document's sentences, all at once.

    ``words`` (each at least 1), ``commas`` and ``difficult`` are integer arrays,
    one entry per sentence. The ingredients are :func:`ingredients` of a one-sentence
    ``Counts``, computed with the same float operations in the same order, so each
    grade equals the scalar function's to the last bit.
    """
    values = {
        "commas_per_sentence": commas / 1,
        "weighted_sentence_length": (words * words) / words,
        "difficult_word_share": difficult / words,
        "words_past_limit_share": (words - SENTENCE_LIMIT).clip(min=0) / words,
    }
    grades: np.ndarray[Any, Any] = GRADE_MEAN + GRADE_SD * _mean_z(values, INGREDIENTS) / Z_SD
    return grades
