"""The analyzers' own CPU time over cached parses, and the framework's share of it.

``speed.py`` times analyzers in wall seconds inside a full run, where the parse
dominates and the machine's load moves every number. This script takes the
parse out: the corpus is parsed once (``parse_cache``), then every analyzer runs
over the cached parses with the runner's clock switched to CPU time
(``time.process_time``), and the parse's own CPU time is measured on the same
texts so each analyzer's time can be given as a share of it. It also sums the
CPU time spent in the framework's finding path: ``AnalysisContext.add_finding``
and ``span`` (building and checking each finding) and ``commit`` (validating
and attaching one analyzer's output). Prints JSON.

To compare two code versions, run this script alternately on each (A, B, A, B,
...) and compare the medians; one run is noise on a shared machine.

    python benchmarks/analyzer_cost.py --corpus /work/shared/data/polnear/dev.jsonl
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cpu_timing import engine_cpu_clock, timed
from jsonl_rows import read_texts
from parse_cache import CachedPipeline, engine_nlp, parse_texts


def _count_framework() -> dict[str, float]:
    """Wrap the finding path of the framework so its CPU seconds are summed."""
    import copydesk.analyzer as analyzer
    import copydesk.runner as runner

    spent: dict[str, float] = {}
    ctx = analyzer.AnalysisContext
    ctx.add_finding = timed(ctx.add_finding, spent, "add_finding")  # type: ignore[method-assign]
    ctx.span = timed(ctx.span, spent, "span")  # type: ignore[method-assign]
    runner.commit = timed(runner.commit, spent, "commit")  # type: ignore[attr-defined]
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="a JSONL file with 'text'")
    parser.add_argument("--limit", type=int, default=0, help="first N articles (0: all)")
    parser.add_argument("--passes", type=int, default=4, help="passes; the first warms caches")
    parser.add_argument("--parse", action="store_true", help="also time the parse (CPU s)")
    parser.add_argument("--no-gc", action="store_true", help="no garbage collection (A/B)")
    parser.add_argument("--no-framework", action="store_true", help="do not wrap commit etc.")
    args = parser.parse_args()

    from copydesk import Document, Engine

    texts = read_texts(args.corpus, args.limit or 10**9)
    nlp = engine_nlp()
    docs = parse_texts(texts, nlp, name=args.corpus.stem)
    out: dict[str, Any] = {"corpus": str(args.corpus), "documents": len(texts)}
    out["words"] = sum(len(t.split()) for t in texts)
    if args.parse:
        started = time.process_time()
        for _ in nlp.pipe(texts, batch_size=16):
            pass
        out["parse_cpu_seconds"] = round(time.process_time() - started, 3)

    engine_cpu_clock()
    spent = None if args.no_framework else _count_framework()
    engine = Engine(nlp=CachedPipeline(nlp, texts, docs), strict=True)  # type: ignore[arg-type]
    items = [Document(id=str(i), text=t) for i, t in enumerate(texts)]
    if args.no_gc:
        gc.disable()
    rows: list[str] = []
    passes: list[dict[str, float]] = []
    framework: list[dict[str, float]] = []
    for index in range(args.passes):
        engine.stats.analyzer_seconds.clear()
        if spent is not None:
            spent.update(dict.fromkeys(spent, 0.0))
        results = list(engine.analyze_many(items, executor="serial"))
        if index == 0 and args.passes > 1:
            continue  # the first pass warms the caches
        passes.append(dict(engine.stats.analyzer_seconds))
        if spent is not None:
            framework.append(dict(spent))
        rows = [
            r.model_dump_json(include={"findings", "metrics", "data"})  # type: ignore[union-attr]
            for r in results
        ]
        del results
    names = sorted(passes[0])
    own = {n: statistics.median(p[n] for p in passes) for n in names}
    out["passes_timed"] = len(passes)
    out["analyzer_cpu_seconds"] = {k: round(v, 4) for k, v in own.items()}
    out["total_cpu_seconds"] = round(sum(own.values()), 4)
    # The quietest pass of each analyzer: what to compare between code versions on
    # a shared machine (a busy neighbour only ever adds time).
    least = {n: min(p[n] for p in passes) for n in names}
    out["analyzer_cpu_seconds_min"] = {k: round(v, 4) for k, v in least.items()}
    out["total_cpu_seconds_min"] = round(min(sum(p.values()) for p in passes), 4)
    if "parse_cpu_seconds" in out:
        parse = out["parse_cpu_seconds"]
        out["share_of_parse"] = {k: round(v / parse, 4) for k, v in own.items()}
        out["share_of_parse_total"] = round(sum(own.values()) / parse, 4)
    if framework:
        out["framework_cpu_seconds"] = {
            k: round(statistics.median(f[k] for f in framework), 4) for k in framework[0]
        }
    # Findings, metrics and payloads (not timings): equal hashes, equal output.
    out["output_sha1"] = hashlib.sha1("\n".join(rows).encode()).hexdigest()[:12]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
