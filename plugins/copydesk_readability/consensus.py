"""The consensus grade: three complementary signals, z-scored, averaged, put on a grade scale.

Why these three. The classic formulas all mix sentence length with one measure of
word difficulty, and on the OneStopEnglish dev set (Guardian articles rewritten
at three levels) they fail in different places:

* Dale-Chall (share of words off the familiar-word list, plus sentence length)
  orders the levels of the same article best, but correlates weakly with level
  across articles, because topic vocabulary varies more than level does;
* ARI (characters per word, plus sentence length) correlates best with level;
* neither sees clause structure, which is most of what a rewriter removes when
  simplifying. Commas and semicolons per sentence are a cheap, parser-free proxy
  for embedded clauses and lists, and they add the most to the two formulas.

The consensus is the mean of the three z-scores (``(x - mean) / sd`` with the dev
set's means and standard deviations below), mapped linearly onto the scale of
the mean of the five grade-level formulas (Flesch-Kincaid, fog, SMOG,
Coleman-Liau, ARI) on the same set, so it reads as a US school grade. Equal
weights: nothing is fitted but the 3 means and SDs and the 2 scale constants;
``benchmarks/readability_consensus_fit.py`` recomputes every constant here.
"""

from __future__ import annotations

from .counts import Counts
from .formulas import automated_readability_index, dale_chall_readability_score

# Means and standard deviations of each ingredient over the OneStopEnglish dev
# texts (270), from benchmarks/readability_consensus_fit.py.
INGREDIENTS: dict[str, tuple[float, float]] = {
    "dale_chall_readability_score": (7.2463, 0.7992),
    "automated_readability_index": (10.2845, 2.5221),
    "commas_per_sentence": (1.0844, 0.3567),
}
# The mean z-score maps onto grade = GRADE_MEAN + GRADE_SD * z / Z_SD.
GRADE_MEAN = 10.8294
GRADE_SD = 1.9239
Z_SD = 0.8564


def ingredients(c: Counts) -> dict[str, float]:
    """The three raw inputs of the consensus for these counts."""
    return {
        "dale_chall_readability_score": dale_chall_readability_score(c),
        "automated_readability_index": automated_readability_index(c),
        "commas_per_sentence": c.commas / max(c.sentences, 1),
    }


def consensus_z(c: Counts) -> float:
    """Mean z-score of the ingredients (0 = an average OneStopEnglish text)."""
    values = ingredients(c)
    total = 0.0
    for name, (mean, sd) in INGREDIENTS.items():
        total += (values[name] - mean) / sd
    return total / len(INGREDIENTS)


def consensus_grade(c: Counts) -> float:
    """The consensus as a US school grade (same scale as Flesch-Kincaid and ARI)."""
    return GRADE_MEAN + GRADE_SD * consensus_z(c) / Z_SD
