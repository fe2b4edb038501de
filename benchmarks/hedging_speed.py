"""Cost of the hedging analyzer on top of the shared spaCy parse.

Rebuilds whole articles from the Szeged dev file (sentences joined by their
``doc_id``, so texts look like news and encyclopedia copy rather than single
sentences), runs them through one :class:`copydesk.Engine` and prints JSON with
the parse seconds and the hedging analyzer's seconds from ``engine.stats``. The
target from the issue: analyzer seconds under 10% of parse seconds.

``--cpu-rounds R`` adds the CPU seconds (``time.process_time``) of the analyzer's
own work - matching, context rules and the learned scores - over the same parsed
articles, R times, outside the engine: the engine's timings are wall-clock and the
machine is shared, so compare code versions with this figure (A/B, interleaved).

Usage: ``python benchmarks/hedging_speed.py [PATH] [--limit N] [--cpu-rounds R]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from copydesk import AnalyzedDocument, Document, Engine

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT.parent / "shared" / "data" / "szeged_uncertainty" / "dev.jsonl"


def articles(path: Path, limit: int | None) -> list[Document]:
    texts: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            key = f"{row['corpus']}/{row['doc_id']}"
            if key not in texts and limit is not None and len(texts) >= limit:
                continue
            texts.setdefault(key, []).append(" ".join(row["text"].split()))
    return [Document(id=key, text=" ".join(parts)) for key, parts in texts.items()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--limit", type=int, default=300, help="documents (default 300)")
    parser.add_argument(
        "--cpu-rounds", type=int, default=0, help="rounds of the CPU-time measure (default 0)"
    )
    args = parser.parse_args(argv)
    if not args.path.exists():
        print(f"no data at {args.path}", file=sys.stderr)
        return 2
    docs = articles(args.path, args.limit)
    engine = Engine(analyzers=["hedging"], strict=True)
    hedges = 0
    for result in engine.analyze_many(docs):
        assert isinstance(result, AnalyzedDocument), result
        hedges += len(result.findings_of("hedging", "hedge"))
    stats = engine.stats
    analyzer = stats.analyzer_seconds.get("hedging", 0.0)
    out = {
        "data": str(args.path),
        "documents": stats.documents,
        "words": stats.words,
        "hedges": hedges,
        "load_seconds": round(stats.load_seconds, 3),
        "parse_seconds": round(stats.parse_seconds, 3),
        "analyzer_seconds": round(analyzer, 3),
        "analyzer_share_of_parse": round(analyzer / stats.parse_seconds, 4)
        if stats.parse_seconds
        else None,
        "target_share": 0.10,
    }
    if args.cpu_rounds:
        out["analyzer_cpu_seconds"] = cpu_seconds(engine, docs, args.cpu_rounds)
    json.dump(out, sys.stdout, indent=1)
    print()
    return 0


def cpu_seconds(engine: Engine, docs: list[Document], rounds: int) -> dict[str, float]:
    """Min and median CPU seconds of matching, rules and scoring over ``docs``."""
    from copydesk_hedging import HedgingAnalyzer, HedgingSettings
    from copydesk_hedging.rules import Sentences

    nlp = engine.load().nlp
    assert nlp is not None
    parsed = list(nlp.pipe(doc.text for doc in docs))
    analyzer = HedgingAnalyzer(HedgingSettings(), {})
    analyzer.setup()
    times = []
    for _ in range(rounds):
        started = time.process_time()
        for doc in parsed:
            sents = Sentences(doc)
            for cue in analyzer.find_cues(doc, sents):
                analyzer.confidence(doc, cue, sents)
        times.append(time.process_time() - started)
    return {"min": round(min(times), 4), "median": round(statistics.median(times), 4)}


if __name__ == "__main__":
    raise SystemExit(main())
