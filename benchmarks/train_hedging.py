"""Train the hedging disambiguator (logistic regression, numpy only) on Szeged dev.

Every hedge the rules find in a scored category (modal, reporting, likelihood,
speculative, condition, investigation) becomes one example: its context
features (``copydesk_hedging.disambiguator.features``) and whether it overlaps
a gold cue. The script parses each sentence once, scores the model by 5-fold
cross-validation with folds by *document* (so no article is in both training
and test), prints the CV sentence-level scores per corpus next to the rules
alone at each threshold, picks the default threshold (``best_threshold``) and
reports what that choice scores when it is made inside the training folds only
(``cross_validated_default``: each fold's threshold comes from a cross-validation
of the other four), then trains on everything and writes the weights to
``plugins/copydesk_hedging/disambiguator.json`` (``--out`` to change, ``--dry-run``
to skip).

Usage: ``python benchmarks/train_hedging.py [PATH ...] [--limit N] [--dry-run]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from copydesk import Engine
from copydesk_hedging import HedgingAnalyzer, HedgingSettings, is_scored
from copydesk_hedging.disambiguator import SCORED_CATEGORIES, features
from copydesk_hedging.lexicon import ALL_CATEGORIES
from copydesk_hedging.rules import Sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "szeged_uncertainty"
DEFAULT_PATHS = [DATA / "dev.jsonl", DATA / "dev_bio.jsonl"]
OUT = ROOT / "plugins" / "copydesk_hedging" / "disambiguator.json"
FOLDS = 5
L2 = 1.0
# News examples count this many times in the loss (copydesk is for news copy; the news
# part, FactBank, is 8% of the examples). 3 was tried: news F1 0.878 against 0.874 at
# 0.4, but 0.867 against 0.869 with the threshold chosen inside the training folds.
NEWS_WEIGHT = 1.0
NEWS = "factbank"
MIN_COUNT = 2
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)


def load(paths: list[Path], limit: int | None) -> list[dict[str, Any]]:
    rows = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for n, line in enumerate(handle):
                if limit is not None and n >= limit:
                    break
                row = json.loads(line)
                if row["text"].strip():
                    rows.append(row)
    return rows


def corpus_group(corpus: str) -> str:
    return "bio" if corpus.startswith("bio") else corpus


def fold_of(row: dict[str, Any]) -> int:
    digest = hashlib.sha256(f"{row['corpus']}/{row['doc_id']}".encode()).digest()
    return digest[0] % FOLDS


def parsed(rows: list[dict[str, Any]], parse_cache: Path | None) -> Iterator[Doc]:
    """spaCy docs of the rows, read from (or written to) a DocBin at ``parse_cache``."""
    from spacy.tokens import DocBin

    engine = Engine(analyzers=["hedging"], strict=True)
    nlp = engine.load().nlp
    assert nlp is not None
    if parse_cache is not None and parse_cache.exists():
        cached = list(DocBin().from_disk(parse_cache).get_docs(nlp.vocab))
        if len(cached) == len(rows):
            yield from cached
            return
    texts = (row["text"] for row in rows)
    store = DocBin(store_user_data=False)
    for doc in nlp.pipe(texts, batch_size=256):
        store.add(doc)
        yield doc
    if parse_cache is not None:
        parse_cache.parent.mkdir(parents=True, exist_ok=True)
        store.to_disk(parse_cache)


def extract(
    rows: list[dict[str, Any]], parse_cache: Path | None = None
) -> tuple[list[list[str]], list[int], list[int], list[int]]:
    """Features, labels and row index of every scored hedge the rules find, and the rows
    with a hedge the model does not score (reported whatever the threshold)."""
    analyzer = HedgingAnalyzer(HedgingSettings(categories=list(ALL_CATEGORIES)), {})
    feats: list[list[str]] = []
    labels: list[int] = []
    owner: list[int] = []
    always: list[int] = []
    for index, (row, doc) in enumerate(zip(rows, parsed(rows, parse_cache), strict=True)):
        sents = Sentences(doc)
        for cue in analyzer.find_cues(doc, sents):
            if cue.kind != "hedge" or cue.category not in SCORED_CATEGORIES:
                continue
            if not is_scored(cue):
                always.append(index)
                continue
            start = doc[cue.start].idx
            last = doc[cue.end - 1]
            end = last.idx + len(last.text)
            gold = any(start < ge and gs < end for gs, ge in row["cues"])
            feats.append(features(doc, cue.start, cue.end, cue.entry.key, sents, cue.category))
            labels.append(int(gold))
            owner.append(index)
    return feats, labels, owner, always


def train(
    feats: list[list[str]],
    labels: list[int],
    l2: float = L2,
    sample_weights: list[float] | None = None,
) -> dict[str, float]:
    """L2-regularised logistic regression by full-batch Adam (a few thousand features).

    ``sample_weights`` scales each example's share of the loss (default: equal).
    """
    counts = Counter(f for fs in feats for f in set(fs))
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= MIN_COUNT))}
    rows = np.repeat(np.arange(len(feats)), [sum(f in vocab for f in fs) for fs in feats])
    cols = np.array([vocab[f] for fs in feats for f in fs if f in vocab], dtype=np.int64)
    y = np.array(labels, dtype=np.float64)
    sw = np.ones(len(feats)) if sample_weights is None else np.array(sample_weights, dtype=float)
    sw = sw * len(feats) / sw.sum()
    w = np.zeros(len(vocab))
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    bias_index = vocab.get("bias")
    for step in range(1, 401):
        score = np.bincount(rows, weights=w[cols], minlength=len(feats))
        p = 1.0 / (1.0 + np.exp(-np.clip(score, -30, 30)))
        grad = np.bincount(cols, weights=((p - y) * sw)[rows], minlength=len(vocab)) / len(feats)
        reg = l2 * w / len(feats)
        if bias_index is not None:
            reg[bias_index] = 0.0
        grad += reg
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        m_hat = m / (1 - 0.9**step)
        v_hat = v / (1 - 0.999**step)
        w -= 0.1 * m_hat / (np.sqrt(v_hat) + 1e-8)
    return {f: round(float(w[i]), 4) for f, i in vocab.items() if abs(w[i]) >= 0.005}


def raw_score(weights: dict[str, float], fs: list[str]) -> float:
    return sum(weights.get(f, 0.0) for f in fs)


def probability(weights: dict[str, float], fs: list[str]) -> float:
    score = max(-30.0, min(30.0, raw_score(weights, fs)))
    return float(1.0 / (1.0 + np.exp(-score)))


def out_of_fold(
    feats: list[list[str]],
    labels: list[int],
    folds: list[int],
    among: set[int],
    l2: float,
    sample_weights: list[float],
) -> dict[int, float]:
    """Probability of each example whose fold is in ``among``, from a model trained on
    the other folds of ``among`` only."""
    probs: dict[int, float] = {}
    for fold in sorted(among):
        train_idx = [i for i, f in enumerate(folds) if f in among and f != fold]
        weights = train(
            [feats[i] for i in train_idx],
            [labels[i] for i in train_idx],
            l2,
            [sample_weights[i] for i in train_idx],
        )
        probs.update({i: probability(weights, feats[i]) for i, f in enumerate(folds) if f == fold})
    return probs


def sentence_scores(
    rows: list[dict[str, Any]],
    owner: list[int],
    keep: list[bool],
    always: list[int],
    only: set[int] | None = None,
) -> dict[str, dict[str, float]]:
    """Sentence-level P/R/F1 per corpus and overall (rows in ``only``, if given)."""
    predicted = {owner[i] for i, k in enumerate(keep) if k} | set(always)
    tally: dict[str, Counter[str]] = {}
    for index, row in enumerate(rows):
        if only is not None and index not in only:
            continue
        group = corpus_group(row["corpus"])
        gold = bool(row["cues"])
        pred = index in predicted
        for key in (group, "overall"):
            c = tally.setdefault(key, Counter())
            c["tp"] += gold and pred
            c["fp"] += pred and not gold
            c["fn"] += gold and not pred
    out = {}
    for key, c in sorted(tally.items()):
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[key] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
    return out


def by_threshold(
    rows: list[dict[str, Any]],
    owner: list[int],
    probs: dict[int, float],
    always: list[int],
    only: set[int] | None = None,
) -> dict[str, dict[str, dict[str, float]]]:
    """Sentence scores at each of ``THRESHOLDS`` (examples without a probability dropped)."""
    return {
        f"min_confidence={t}": sentence_scores(
            rows, owner, [probs.get(i, -1.0) >= t for i in range(len(owner))], always, only
        )
        for t in THRESHOLDS
    }


def best_threshold(scores: dict[str, dict[str, dict[str, float]]]) -> float:
    """The threshold with the best mean F1 over the corpora (wiki, news, bio) among those
    where every corpus has precision not below recall by more than 0.05 (the issue's bar).

    The mean over three corpora is steadier than news alone (278 uncertain sentences:
    chosen on news alone, the threshold swung from 0.3 to 0.5 between folds).
    """
    scored = []
    for name, by_corpus in scores.items():
        corpora = [v for k, v in by_corpus.items() if k != "overall"]
        if all(c["precision"] >= c["recall"] - 0.05 for c in corpora):
            mean = sum(c["f1"] for c in corpora) / len(corpora)
            scored.append((round(mean, 4), float(name.split("=")[1])))
    return max(scored)[1] if scored else THRESHOLDS[-1]


def nested(
    rows: list[dict[str, Any]],
    feats: list[list[str]],
    labels: list[int],
    owner: list[int],
    always: list[int],
    l2: float,
    sample_weights: list[float],
    outer: dict[int, float],
) -> tuple[dict[str, dict[str, float]], dict[int, float]]:
    """Cross-validated scores at a threshold chosen inside the training folds.

    For each fold, the other four are cross-validated among themselves and the threshold
    that is best on them (``best_threshold``) is applied to the fold's ``outer``
    probabilities (from a model trained on those four). No fold's labels choose its own
    threshold.
    """
    folds = [fold_of(rows[o]) for o in owner]
    row_folds = [fold_of(row) for row in rows]
    keep = [False] * len(feats)
    chosen: dict[int, float] = {}
    for fold in range(FOLDS):
        inner = out_of_fold(feats, labels, folds, set(range(FOLDS)) - {fold}, l2, sample_weights)
        training_rows = {i for i, f in enumerate(row_folds) if f != fold}
        threshold = best_threshold(by_threshold(rows, owner, inner, always, training_rows))
        chosen[fold] = threshold
        for i, f in enumerate(folds):
            if f == fold:
                keep[i] = outer[i] >= threshold
    return sentence_scores(rows, owner, keep, always), chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=DEFAULT_PATHS)
    parser.add_argument("--limit", type=int, default=None, help="sentences per file")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--dry-run", action="store_true", help="do not write weights")
    parser.add_argument("--l2", type=float, default=L2, help=f"L2 strength (default {L2})")
    parser.add_argument(
        "--news-weight",
        type=float,
        default=NEWS_WEIGHT,
        help=f"weight of news examples in the loss (default {NEWS_WEIGHT})",
    )
    parser.add_argument(
        "--cache", type=Path, default=None, help="reuse extracted features from this JSON file"
    )
    parser.add_argument(
        "--parse-cache",
        type=Path,
        default=None,
        help="reuse spaCy parses from this DocBin file (written on the first run)",
    )
    args = parser.parse_args(argv)
    paths = [p for p in args.paths if p.exists()]
    if not paths:
        print(f"no data at {', '.join(map(str, args.paths))}", file=sys.stderr)
        return 2
    rows = load(paths, args.limit)
    if args.cache is not None and args.cache.exists():
        feats, labels, owner, always = json.loads(args.cache.read_text(encoding="utf-8"))
    else:
        feats, labels, owner, always = extract(rows, args.parse_cache)
        if args.cache is not None:
            args.cache.write_text(json.dumps([feats, labels, owner, always]), encoding="utf-8")
    folds = [fold_of(rows[o]) for o in owner]
    weighting = [
        args.news_weight if corpus_group(rows[o]["corpus"]) == NEWS else 1.0 for o in owner
    ]
    probs = out_of_fold(feats, labels, folds, set(range(FOLDS)), args.l2, weighting)
    cross_validated = by_threshold(rows, owner, probs, always)
    default_scores, chosen = nested(rows, feats, labels, owner, always, args.l2, weighting, probs)
    result: dict[str, Any] = {
        "data": [str(p) for p in paths],
        "sentences": len(rows),
        "examples": len(feats),
        "positive": sum(labels),
        "rules_only": sentence_scores(rows, owner, [True] * len(feats), always),
        "cross_validated": cross_validated,
        # The shipped default: the best threshold on all folds' out-of-fold scores.
        "best_threshold": best_threshold(cross_validated),
        # What that procedure scores on text it never saw: each fold's threshold chosen
        # by cross-validation inside the other folds.
        "cross_validated_default": default_scores,
        "fold_thresholds": chosen,
    }
    weights = train(feats, labels, args.l2, weighting)
    result["l2"] = args.l2
    result["news_weight"] = args.news_weight
    result["features"] = len(weights)
    if not args.dry_run:
        payload = {
            "description": "Logistic weights for copydesk_hedging.disambiguator; written by "
            "benchmarks/train_hedging.py on the Szeged uncertainty dev split.",
            "trained_on": [p.name for p in paths],
            "examples": len(feats),
            "l2": args.l2,
            "news_weight": args.news_weight,
            "cross_validated": result["cross_validated"],
            "best_threshold": result["best_threshold"],
            "cross_validated_default": default_scores,
            "weights": dict(sorted(weights.items())),
        }
        args.out.write_text(json.dumps(payload, indent=0) + "\n", encoding="utf-8")
        result["written"] = str(args.out)
    json.dump(result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
