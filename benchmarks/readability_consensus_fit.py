"""Recompute the constants of the readability consensus grade, and cross-validate them.

    python benchmarks/readability_consensus_fit.py [PATH] [--limit N] [--folds 5]
        [--seeds 3] [--select]

The consensus (plugins/copydesk_readability/consensus.py) is the mean z-score of
four ingredients, mapped onto a grade scale. Over the OneStopEnglish texts in
PATH (default: the shared dev set) this script prints, as JSON:

* ``constants``: the mean and standard deviation of each ingredient
  (``INGREDIENTS``), the standard deviation of their mean z-score (``Z_SD``),
  and the mean and standard deviation of the average of the five grade formulas
  (``GRADE_MEAN``, ``GRADE_SD``); paste them into consensus.py;
* ``cross_validated``: Spearman with level and same-article pairwise accuracy of
  the consensus when its constants are fitted on the other folds only (k folds
  *by article*, so no article's levels are split across train and test; one
  fold assignment per seed), for the current ingredients, for the previous
  ones (Dale-Chall, ARI, commas per sentence) and, unfitted, for word count;
* ``selection`` (with ``--select``): the same, but each fold also *chooses* the
  ingredients (the equal-weight z-mean of 1-4 candidates with the best
  training Spearman), so the number includes the choice made on the data.

Spearman is on out-of-fold values pooled over the folds. Sentences come from
the pipeline ``Engine(analyzers=["readability"])`` loads, exactly as the
analyzer sees them.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from readability_accuracy import (
    DEFAULT_PATH,
    SAMPLE_PATH,
    load,
    pairwise_accuracy,
    spearman,
)

GRADE_FORMULAS = (
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
)
PREVIOUS = ("dale_chall_readability_score", "automated_readability_index", "commas_per_sentence")
# Candidates for --select: every one is defined on a single sentence too (the
# consensus also grades sentences), so no spread-of-lengths feature.
CANDIDATES = (
    "commas_per_sentence",
    "weighted_sentence_length",
    "difficult_word_share",
    "words_past_limit_share",
    "words_past_15_share",
    "words_past_25_share",
    "avg_sentence_length",
    "letters_per_word",
    "syllables_per_word",
    "long_word_share",
    "dale_chall_readability_score",
    "automated_readability_index",
    "flesch_kincaid_grade",
)


def mean_sd(values: Sequence[float]) -> tuple[float, float]:
    """Mean and population standard deviation."""
    mean = sum(values) / len(values)
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def features(rows: list[dict[str, Any]]) -> list[dict[str, float]]:
    """Every ingredient and candidate for each text, from the analyzer's own counts."""
    from copydesk import Document, Engine
    from copydesk.analyzer import AnalysisContext
    from copydesk.model import AnalyzedDocument
    from copydesk_readability.consensus import ingredients
    from copydesk_readability.counts import Counts, count_sentence
    from copydesk_readability.formulas import all_formulas

    nlp = Engine(analyzers=["readability"], strict=True).load().nlp
    if nlp is None:  # pragma: no cover - readability needs sentences
        msg = "readability should load a sentence segmenter"
        raise RuntimeError(msg)
    out = []
    for row, spacy_doc in zip(rows, nlp.pipe(str(r["text"]) for r in rows), strict=True):
        text = str(row["text"])
        doc = AnalyzedDocument(document=Document(id=str(row["id"]), text=text))
        ctx = AnalysisContext("readability", doc, spacy_doc)
        per = [count_sentence(text[a:b]) for a, b in ctx.sentences]
        per = [c for c in per if c.words]
        total = Counts()
        for counts in per:
            total.add(counts)
        words = max(total.words, 1)
        found: dict[str, float] = {**all_formulas(total), **ingredients(total)}
        found.update(
            words=float(total.words),
            avg_sentence_length=total.words / max(total.sentences, 1),
            letters_per_word=total.letters / words,
            syllables_per_word=total.syllables / words,
            long_word_share=total.long_words / words,
            words_past_15_share=sum(max(0, c.words - 15) for c in per) / words,
            words_past_25_share=sum(max(0, c.words - 25) for c in per) / words,
        )
        out.append(found)
    return out


def fit(table: list[dict[str, float]], names: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Mean and SD of each named ingredient over these texts."""
    return {n: mean_sd([t[n] for t in table]) for n in names}


def z_mean(row: dict[str, float], constants: dict[str, tuple[float, float]]) -> float:
    return sum((row[n] - m) / s for n, (m, s) in constants.items()) / len(constants)


def folds(articles: Sequence[str], k: int, seed: int) -> list[int]:
    """Fold of each text: articles shuffled with ``seed``, dealt round-robin into k folds."""
    names = sorted(set(articles))
    random.Random(seed).shuffle(names)
    fold_of = {name: i % k for i, name in enumerate(names)}
    return [fold_of[a] for a in articles]


def cross_validate(
    table: list[dict[str, float]],
    articles: list[str],
    levels: list[int],
    k: int,
    seeds: int,
    choose: Any,
) -> dict[str, Any]:
    """Out-of-fold scores; ``choose(train_rows, train_levels)`` returns the ingredients."""
    runs = []
    chosen: list[list[str]] = []
    for seed in range(seeds):
        assignment = folds(articles, k, seed)
        predicted = [0.0] * len(table)
        for fold in range(k):
            train = [i for i, f in enumerate(assignment) if f != fold]
            names = choose([table[i] for i in train], [levels[i] for i in train])
            chosen.append(list(names))
            constants = fit([table[i] for i in train], names)
            for i, f in enumerate(assignment):
                if f == fold:
                    predicted[i] = z_mean(table[i], constants)
        runs.append(
            {
                "seed": seed,
                "spearman": round(spearman(predicted, levels), 4),
                "pairwise_accuracy": round(pairwise_accuracy(predicted, articles, levels)[0], 4),
            }
        )
    out: dict[str, Any] = {
        "folds": k,
        "runs": runs,
        "mean_spearman": round(statistics.mean(r["spearman"] for r in runs), 4),
        "mean_pairwise_accuracy": round(statistics.mean(r["pairwise_accuracy"] for r in runs), 4),
    }
    distinct = sorted({tuple(c) for c in chosen})
    if len(distinct) > 1:
        out["chosen"] = {" + ".join(c): sum(tuple(x) == c for x in chosen) for c in distinct}
    return out


def best_combination(train: list[dict[str, float]], levels: list[int]) -> tuple[str, ...]:
    """The equal-weight z-mean of 1-4 candidates with the best Spearman on ``train``."""
    best: tuple[float, tuple[str, ...]] = (-2.0, ())
    for size in range(1, 5):
        for names in itertools.combinations(CANDIDATES, size):
            constants = fit(train, names)
            rho = spearman([z_mean(t, constants) for t in train], levels)
            best = max(best, (rho, names))
    return best[1]


def main(argv: list[str] | None = None) -> int:
    from copydesk_readability.consensus import INGREDIENTS

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=3, help="fold assignments to average over")
    parser.add_argument("--select", action="store_true", help="also cross-validate the choice")
    args = parser.parse_args(argv)
    path: Path = args.path or (DEFAULT_PATH if DEFAULT_PATH.is_file() else SAMPLE_PATH)
    rows = load(path, args.limit)
    table = features(rows)
    articles = [str(r["article"]) for r in rows]
    levels = [int(r["level"]) for r in rows]
    current = tuple(INGREDIENTS)

    constants = fit(table, current)
    z_means = [z_mean(t, constants) for t in table]
    _, z_sd = mean_sd(z_means)
    grade_avg = [sum(t[f] for f in GRADE_FORMULAS) / len(GRADE_FORMULAS) for t in table]
    grade_mean, grade_sd = mean_sd(grade_avg)
    report: dict[str, Any] = {
        "data": str(path),
        "texts": len(rows),
        "articles": len(set(articles)),
        "constants": {
            "INGREDIENTS": {n: [round(m, 4), round(s, 4)] for n, (m, s) in constants.items()},
            "Z_SD": round(z_sd, 4),
            "GRADE_MEAN": round(grade_mean, 4),
            "GRADE_SD": round(grade_sd, 4),
        },
        "in_sample": {
            "spearman": round(spearman(z_means, levels), 4),
            "pairwise_accuracy": round(pairwise_accuracy(z_means, articles, levels)[0], 4),
        },
        "cross_validated": {
            "current": cross_validate(
                table, articles, levels, args.folds, args.seeds, lambda _t, _l: current
            ),
            "previous": cross_validate(
                table, articles, levels, args.folds, args.seeds, lambda _t, _l: PREVIOUS
            ),
            "baseline_word_count": {
                "spearman": round(spearman([t["words"] for t in table], levels), 4),
                "pairwise_accuracy": round(
                    pairwise_accuracy([t["words"] for t in table], articles, levels)[0], 4
                ),
            },
        },
    }
    if args.select:
        report["selection"] = cross_validate(
            table, articles, levels, args.folds, args.seeds, best_combination
        )
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
