"""Speed benchmark: CLI start-up, and throughput of the parse and each analyzer.

Prints JSON. Numbers, not assertions: CI runs the tests, people run this.

    python benchmarks/speed.py                      # corpus: ../shared/data/polnear or examples
    python benchmarks/speed.py --corpus FILE.jsonl --limit 40 --repeat 5

For every installed analyzer it reports words per second of a run with that
analyzer alone (its own spaCy needs included), and for the full run the parse
time and each analyzer's own time as a share of the parse time (the issues set
budgets: sourcing < 15 %, hedging < 10 %).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "polnear" / "dev.jsonl"


def time_command(args: list[str], repeat: int) -> dict[str, float]:
    """Median and best wall time of a fresh ``python -m copydesk ...`` process."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "copydesk", *args], check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return {"median_s": round(statistics.median(times), 4), "best_s": round(min(times), 4)}


def load_corpus(path: Path | None, limit: int) -> list[str]:
    """Texts from a JSONL file with a ``text`` field, or the example articles."""
    if path is not None and path.is_file():
        texts = []
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    texts.append(json.loads(line)["text"])
                if len(texts) >= limit:
                    break
        return texts
    examples = sorted((REPO / "examples" / "articles").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in examples]
    return (texts * (limit // max(len(texts), 1) + 1))[:limit]


def run_engine(analyzers: list[str], texts: list[str]) -> dict[str, object]:
    from copydesk import Document, Engine

    engine = Engine(analyzers=analyzers, with_deps=True)
    docs = [Document(id=str(i), text=t) for i, t in enumerate(texts)]
    if engine.plan.needs:
        engine.load()  # outside the timed region
    started = time.perf_counter()
    results = list(engine.analyze_many(docs))
    seconds = time.perf_counter() - started
    words = sum(len(t.split()) for t in texts)
    stats = engine.stats
    parse = stats.parse_seconds
    return {
        "analyzers": engine.analyzer_names,
        "needs": sorted(c.value for c in engine.plan.needs),
        "documents": len(results),
        "words": words,
        "seconds": round(seconds, 3),
        "words_per_second": round(words / seconds) if seconds else None,
        "model_load_seconds": round(stats.load_seconds, 3),
        "parse_seconds": round(parse, 3),
        "analyzer_seconds": {k: round(v, 4) for k, v in stats.analyzer_seconds.items()},
        "analyzer_share_of_parse": {
            k: round(v / parse, 4) for k, v in stats.analyzer_seconds.items() if parse
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=40, help="documents to process")
    parser.add_argument("--repeat", type=int, default=5, help="runs per start-up timing")
    parser.add_argument("--skip-startup", action="store_true")
    args = parser.parse_args()

    from copydesk.plugins import make_plugin_host

    report: dict[str, object] = {}
    if not args.skip_startup:
        report["startup"] = {
            "--help": time_command(["--help"], args.repeat),
            "--version": time_command(["--version"], args.repeat),
            "plugins": time_command(["plugins", "--all"], args.repeat),
        }
    texts = load_corpus(args.corpus, args.limit)
    report["corpus"] = {
        "source": str(args.corpus) if args.corpus.is_file() else "examples/articles",
        "documents": len(texts),
        "words": sum(len(t.split()) for t in texts),
    }
    installed = sorted(make_plugin_host().analyzers())
    report["alone"] = {name: run_engine([name], texts) for name in installed}
    report["all"] = run_engine(installed, texts)
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
