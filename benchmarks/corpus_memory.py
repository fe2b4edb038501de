"""Memory benchmark: peak resident memory of a corpus run, by corpus size and output.

Prints JSON. For each output format (jsonl, csv, sqlite, parquet) and each corpus
size it runs ``copydesk analyze corpus.jsonl -o out.<suffix>`` in a fresh process
and records that process's peak RSS (``ru_maxrss`` of the child), the wall time,
and the ratio of the largest size's peak to the smallest's: memory is flat when
that ratio stays near 1 (the issue's budget: at most 1.10).

    python benchmarks/corpus_memory.py                          # 2,000 and 20,000 docs
    python benchmarks/corpus_memory.py --sizes 2000 --analyzers all --sinks jsonl,parquet

The corpus is generated (news briefs recombined from the example articles'
sentences, each document different, ~120 words) under --work, written once per
size and reused.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SUFFIXES = {"jsonl": ".jsonl", "csv": ".csv", "sqlite": ".sqlite", "parquet": ".parquet"}

# Runs the CLI in a child and prints the child's peak RSS in KiB (Linux ru_maxrss).
_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
    "stderr=subprocess.DEVNULL).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


def sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in (REPO / "examples" / "articles").glob("*.*")]
    found: list[str] = []
    for text in texts:
        if text.lstrip().startswith("{"):
            text = " ".join(json.loads(line)["text"] for line in text.splitlines() if line.strip())
        found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 5]
    return found


def write_corpus(path: Path, size: int) -> None:
    pool = sentences()
    rng = random.Random(size)
    with path.open("w", encoding="utf-8") as out:
        for n in range(size):
            picked = rng.sample(pool, k=min(5, len(pool)))
            body = "\n".join(picked) + f" The figure was {n} on day {n % 31 + 1}."
            title = " ".join(picked[0].split()[:8])
            out.write(json.dumps({"id": f"brief-{n}", "title": title, "text": body}) + "\n")


def measure(corpus: Path, output: Path, analyzers: str) -> dict[str, float | int]:
    # One process (-j 1): the peak of a run is then the peak of one process, the
    # number to compare between sizes (--jobs auto would add workers on idle cores).
    command = [sys.executable, "-m", "copydesk", "analyze", str(corpus), "-o", str(output)]
    command += ["-q", "-j", "1"]
    if analyzers != "all":
        command += ["-a", analyzers]
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - started
    peak_kib, code = (int(x) for x in result.stdout.split())
    return {"peak_rss_mib": round(peak_kib / 1024, 1), "seconds": round(seconds, 1), "exit": code}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--analyzers", default="stats,readability", help="names, or 'all'")
    parser.add_argument("--sinks", default="jsonl,csv,sqlite,parquet")
    parser.add_argument("--work", type=Path, default=Path("/tmp/cache-corpus-io"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    report: dict[str, object] = {"analyzers": args.analyzers, "sizes": args.sizes, "sinks": {}}
    sinks: dict[str, dict[str, object]] = {}
    for size in args.sizes:
        corpus = args.work / f"briefs-{size}.jsonl"
        if not corpus.exists():
            write_corpus(corpus, size)
        for sink in args.sinks.split(","):
            output = args.work / f"out-{size}{SUFFIXES[sink]}"
            result = measure(corpus, output, args.analyzers)
            sinks.setdefault(sink, {})[str(size)] = result
            print(sink, size, result, file=sys.stderr)
    for results in sinks.values():
        peaks = [results[str(s)]["peak_rss_mib"] for s in args.sizes]  # type: ignore[index]
        results["largest_over_smallest"] = round(peaks[-1] / peaks[0], 3)
    report["sinks"] = sinks
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
