"""CPU time of named stages inside the analyzers, over cached parses.

``analyzer_cost.py`` says what each analyzer costs; this script says where inside
it the time goes. Each ``module:callable`` named on the command line is wrapped
with a ``time.process_time`` timer (wrap the name where the caller looks it up:
``copydesk_sourcing:learned_relations`` is the name the analyzer's module calls,
``copydesk_sourcing.learned:build_relation`` the one ``learned.py`` calls), the
corpus's cached parses (``parse_cache``) go through every analyzer four times, and
the medians of the last three passes are printed as JSON, per analyzer and per
stage. cProfile misattributes costs badly in this code (a regex it showed at
0.44 s took 8 ms): decide with these timers and A/B runs of two checkouts.

    python benchmarks/stage_cost.py /work/shared/data/polnear/dev.jsonl \\
        copydesk_sourcing:learned_relations copydesk_entities:cluster_mentions
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cpu_timing import engine_cpu_clock, timed
from jsonl_rows import read_texts
from parse_cache import CachedPipeline, engine_nlp, parse_texts


def wrap(target: str, spent: dict[str, float]) -> None:
    """Replace ``module:attr.path`` by a timed wrapper that adds to ``spent[target]``."""
    module_name, _, path = target.partition(":")
    owner: Any = importlib.import_module(module_name)
    *parents, name = path.split(".")
    for part in parents:
        owner = getattr(owner, part)
    setattr(owner, name, timed(getattr(owner, name), spent, target))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a JSONL file with 'text'")
    parser.add_argument("stages", nargs="+", help="module:callable to time")
    parser.add_argument("--limit", type=int, default=0, help="first N articles (0: all)")
    parser.add_argument("--passes", type=int, default=4, help="passes; the first warms caches")
    args = parser.parse_args()

    from copydesk import Document, Engine

    texts = read_texts(args.corpus, args.limit or 10**9)
    nlp = engine_nlp()
    docs = parse_texts(texts, nlp, name=args.corpus.stem)
    spent: dict[str, float] = {}
    for target in args.stages:
        wrap(target, spent)
    engine_cpu_clock()
    engine = Engine(nlp=CachedPipeline(nlp, texts, docs), strict=True)  # type: ignore[arg-type]
    items = [Document(id=str(i), text=t) for i, t in enumerate(texts)]
    passes: list[tuple[dict[str, float], dict[str, float]]] = []
    for index in range(max(args.passes, 2)):
        engine.stats.analyzer_seconds.clear()
        spent.update(dict.fromkeys(spent, 0.0))
        list(engine.analyze_many(items, executor="serial"))
        if index:
            passes.append((dict(engine.stats.analyzer_seconds), dict(spent)))
    out = {
        "corpus": str(args.corpus),
        "documents": len(texts),
        "passes_timed": len(passes),
        "analyzer_cpu_seconds": {
            k: round(statistics.median(p[0][k] for p in passes), 4) for k in passes[0][0]
        },
        "stage_cpu_seconds": {
            k: round(statistics.median(p[1][k] for p in passes), 4) for k in passes[0][1]
        },
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
