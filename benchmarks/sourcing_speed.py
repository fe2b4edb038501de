"""Cost of the sourcing analyzer next to the shared spaCy parse it reads.

Usage: ``python benchmarks/sourcing_speed.py [PATH] [--limit N]``; prints JSON.

The analyzer may not parse again and must stay under 15% of the parse time.
The numbers come from the engine's own ``EngineStats`` (parse_seconds and
per-analyzer seconds), over the article texts of a PolNeAR-style JSONL file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from jsonl_rows import read_rows

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "data" / "polnear" / "dev.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    rows = read_rows(Path(args.path), args.limit)
    if rows is None:
        return 1

    from copydesk import Document, Engine

    engine = Engine(analyzers=["sourcing"], with_deps=True, strict=True)
    engine.analyze("Warm-up: officials said the pipeline had loaded.")
    warm_parse = engine.stats.parse_seconds
    warm = dict(engine.stats.analyzer_seconds)
    docs = [Document(id=r["id"], text=r["text"]) for r in rows]
    for _ in engine.analyze_many(docs):
        pass
    stats = engine.stats
    parse = stats.parse_seconds - warm_parse
    own = {k: round(v - warm.get(k, 0.0), 4) for k, v in stats.analyzer_seconds.items()}
    sourcing = own.get("sourcing", 0.0)
    out = {
        "documents": len(docs),
        "words": sum(len(d.text.split()) for d in docs),
        "parse_seconds": round(parse, 3),
        "analyzer_seconds": own,
        "sourcing_share_of_parse": round(sourcing / parse, 4) if parse else 0.0,
        "limit_share": 0.15,
        "within_limit": bool(parse) and sourcing / parse < 0.15,
    }
    sys.stdout.write(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
