"""Words per second of the readability analyzer, alone and end to end.

    python benchmarks/readability_speed.py [PATH] [--limit N] [--repeat R]

PATH is a JSONL file with a ``text`` field per line (default: the shared
OneStopEnglish dev set, else the small sample in ``benchmarks/data/``). Prints JSON:

* ``analyzer_words_per_second``: the analyzer's own work (counting, formulas,
  hard sentences) on documents the senter has already split, which is what
  readability adds to a run whose parse is paid for anyway;
* ``end_to_end_words_per_second``: ``Engine(analyzers=["readability"])`` on raw
  text, including spaCy's senter (the only component readability asks for), but
  not the one-off model and dictionary loading, reported as ``load_seconds``.

:func:`measure` returns the same dict, for the project's core speed benchmark.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from readability_accuracy import DEFAULT_PATH, SAMPLE_PATH, load


def measure(texts: list[str], repeat: int = 1) -> dict[str, Any]:
    """Time the readability analyzer on ``texts``; see the module docstring."""
    from copydesk import Document, Engine
    from copydesk.analyzer import AnalysisContext
    from copydesk.model import AnalyzedDocument
    from copydesk_readability import ReadabilityAnalyzer
    from copydesk_readability.counts import WORD

    words = sum(len(WORD.findall(t)) for t in texts)
    started = time.perf_counter()
    engine = Engine(analyzers=["readability"], strict=True)
    nlp = engine.load().nlp
    if nlp is None:  # pragma: no cover - readability needs sentences
        msg = "readability should load a sentence segmenter"
        raise RuntimeError(msg)
    load_seconds = time.perf_counter() - started

    docs = [Document(id=str(i), text=t) for i, t in enumerate(texts)]
    started = time.perf_counter()
    for _ in range(repeat):
        for _result in engine.analyze_many(docs):
            pass
    end_to_end = time.perf_counter() - started

    parsed = list(nlp.pipe(texts))
    analyzer = ReadabilityAnalyzer()
    started = time.perf_counter()
    for _ in range(repeat):
        for doc, spacy_doc in zip(docs, parsed, strict=True):
            ctx = AnalysisContext("readability", AnalyzedDocument(document=doc), spacy_doc)
            analyzer.analyze(ctx)
    alone = time.perf_counter() - started

    total = words * repeat
    return {
        "texts": len(texts),
        "words": words,
        "repeat": repeat,
        "pipeline": list(nlp.pipe_names),
        "load_seconds": round(load_seconds, 2),
        "analyzer_seconds": round(alone, 3),
        "analyzer_words_per_second": round(total / alone) if alone else None,
        "end_to_end_seconds": round(end_to_end, 3),
        "end_to_end_words_per_second": round(total / end_to_end) if end_to_end else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None, help="Only the first N texts.")
    parser.add_argument("--repeat", type=int, default=1, help="Passes over the texts.")
    args = parser.parse_args(argv)
    path: Path = args.path or (DEFAULT_PATH if DEFAULT_PATH.is_file() else SAMPLE_PATH)
    texts = [str(row["text"]) for row in load(path, args.limit)]
    result = {"data": str(path), **measure(texts, args.repeat)}
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
