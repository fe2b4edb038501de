"""How well each readability measure orders OneStopEnglish's three reading levels.

    python benchmarks/readability_accuracy.py [PATH] [--limit N]

PATH is a JSONL file of ``{"id", "article", "level", "text"}`` lines (level 1-3,
every article at several levels); it defaults to the shared OneStopEnglish dev
set, ``../shared/data/onestopenglish/dev.jsonl`` next to the repository, and
falls back to the small sample in ``benchmarks/data/`` when that is absent.

For every metric (each formula, the consensus grade, the words-per-sentence
baseline and the plain word count) it prints, as JSON:

* ``pairwise_accuracy``: over all pairs of texts of the same article at different
  levels, the share the metric orders the right way (ties count half);
* ``spearman``: Spearman's rank correlation with the level over all texts.

Flesch reading ease rises as text gets easier, so it is negated before scoring.
The analyzer runs through ``copydesk.Engine(analyzers=["readability"])`` exactly
as a user would run it, so sentences come from copydesk's rule splitter (no spaCy).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from copydesk_readability.formulas import FORMULAS

REPO = Path(__file__).resolve().parent.parent
# shared/ sits beside the repository (or beside the folder of git worktrees).
DEFAULT_PATH = next(
    (
        base / "shared" / "data" / "onestopenglish" / "dev.jsonl"
        for base in (REPO.parent, REPO.parent.parent)
        if (base / "shared" / "data" / "onestopenglish" / "dev.jsonl").is_file()
    ),
    REPO.parent / "shared" / "data" / "onestopenglish" / "dev.jsonl",
)
SAMPLE_PATH = REPO / "benchmarks" / "data" / "onestopenglish_sample.jsonl"

# metric name -> (readability metric key, sign that makes "higher = harder")
METRICS: dict[str, tuple[str, int]] = {
    **{name: (name, -1 if name == "flesch_reading_ease" else 1) for name in FORMULAS},
    "consensus_grade": ("consensus_grade", 1),
    "baseline_words_per_sentence": ("avg_sentence_length", 1),
    "baseline_word_count": ("words", 1),
}


def load(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Read the JSONL rows (the first ``limit`` if given)."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def analyze(rows: list[dict[str, Any]]) -> tuple[list[dict[str, float]], float]:
    """Run the readability analyzer on every row; metrics without the prefix, seconds."""
    from copydesk import Document, Engine

    engine = Engine(analyzers=["readability"], strict=True)
    docs = (Document(id=str(r["id"]), text=r["text"]) for r in rows)
    started = time.perf_counter()
    out: list[dict[str, float]] = []
    for result in engine.analyze_many(docs):
        if not hasattr(result, "metrics"):
            msg = f"input error: {result}"
            raise SystemExit(msg)
        out.append({k.split(".", 1)[1]: v for k, v in result.metrics.items()})
    return out, time.perf_counter() - started


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties given their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Spearman's rho: the Pearson correlation of the (tie-averaged) ranks."""
    ra, rb = ranks(a), ranks(b)
    n = len(ra)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = sum((x - ma) ** 2 for x in ra)
    vb = sum((y - mb) ** 2 for y in rb)
    return cov / math.sqrt(va * vb) if va and vb else 0.0


def pairwise_accuracy(
    values: Sequence[float], articles: Sequence[str], levels: Sequence[int]
) -> tuple[float, int]:
    """Share of same-article, different-level pairs in the right order; number of pairs."""
    groups: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for value, article, level in zip(values, articles, levels, strict=True):
        groups[article].append((level, value))
    right = 0.0
    total = 0
    for items in groups.values():
        for (l1, v1), (l2, v2) in itertools.combinations(items, 2):
            if l1 == l2:
                continue
            total += 1
            if (v1 - v2) * (l1 - l2) > 0:
                right += 1
            elif v1 == v2:
                right += 0.5
    return (right / total if total else 0.0), total


def misordered(
    values: Sequence[float], articles: Sequence[str], levels: Sequence[int]
) -> list[str]:
    """The same-article pairs a metric puts in the wrong order, as "article: l1>l2"."""
    groups: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for value, article, level in zip(values, articles, levels, strict=True):
        groups[article].append((level, value))
    out = []
    for article, items in groups.items():
        for (l1, v1), (l2, v2) in itertools.combinations(sorted(items), 2):
            if l1 != l2 and (v2 - v1) * (l2 - l1) <= 0:
                out.append(f"{article}: level {l1} vs {l2}")
    return out


def score(rows: list[dict[str, Any]], metrics: list[dict[str, float]]) -> dict[str, Any]:
    """Pairwise accuracy and Spearman for every metric in :data:`METRICS`."""
    articles = [str(r["article"]) for r in rows]
    levels = [int(r["level"]) for r in rows]
    out: dict[str, Any] = {}
    for name, (key, sign) in METRICS.items():
        values = [sign * m.get(key, 0.0) for m in metrics]
        accuracy, pairs = pairwise_accuracy(values, articles, levels)
        out[name] = {
            "pairwise_accuracy": round(accuracy, 4),
            "spearman": round(spearman(values, levels), 4),
        }
    out["_pairs"] = pairs
    consensus = [m.get("consensus_grade", 0.0) for m in metrics]
    out["_consensus_misordered"] = misordered(consensus, articles, levels)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None, help="Only the first N lines.")
    args = parser.parse_args(argv)
    path: Path = args.path or (DEFAULT_PATH if DEFAULT_PATH.is_file() else SAMPLE_PATH)
    rows = load(path, args.limit)
    metrics, seconds = analyze(rows)
    scores = score(rows, metrics)
    pairs = scores.pop("_pairs")
    missed = scores.pop("_consensus_misordered")
    consensus = scores["consensus_grade"]
    rivals = {
        k: v for k, v in scores.items() if k not in {"consensus_grade", "baseline_word_count"}
    }
    summary = {
        "data": str(path),
        "texts": len(rows),
        "articles": len({r["article"] for r in rows}),
        "pairs": pairs,
        "seconds": round(seconds, 2),
        "metrics": scores,
        "consensus_misordered_pairs": missed,
        "consensus_beats_all_formulas_and_wps": {
            "pairwise_accuracy": all(
                consensus["pairwise_accuracy"] > v["pairwise_accuracy"] for v in rivals.values()
            ),
            "pairwise_accuracy_at_least_ties": all(
                consensus["pairwise_accuracy"] >= v["pairwise_accuracy"] for v in rivals.values()
            ),
            "spearman": all(consensus["spearman"] > v["spearman"] for v in rivals.values()),
        },
    }
    json.dump(summary, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
