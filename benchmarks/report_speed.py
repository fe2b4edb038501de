"""copydesk report over a synthetic result set of N documents (default 1,000,000).

Generates, once (cached), a Parquet output folder in the corpus sinks' layout:
``documents/`` (id, title, meta JSON with outlet, author and published date,
words, status, 30 metric columns as the built-in analyzers report them) and
``findings/`` (about 13 findings a document: attributions with source types,
quote types and names from a pool of 20,000 people, entity mentions, hedges and
boosters by category, requests for comment). Then runs ``copydesk report`` on it
in a child process, grouped by outlet and month, to HTML, and prints JSON:
wall seconds, CPU seconds (user + system of the child), peak resident memory of
the child, rows read.

    python benchmarks/report_speed.py [--documents 1000000] [--data DIR] [--by outlet --by month]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

OUTLETS = 20
AUTHORS = 400
PEOPLE = 20_000
ORGS = 3_000
CHUNK = 200_000


def generate(folder: Path, documents: int) -> None:
    import duckdb

    (folder / "documents").mkdir(parents=True, exist_ok=True)
    (folder / "findings").mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    con.execute("SELECT setseed(0.42)")
    formulas = (
        "flesch_reading_ease flesch_kincaid_grade gunning_fog smog_index coleman_liau_index "
        "automated_readability_index dale_chall_readability_score"
    ).split()
    categories = "modal reporting likelihood approximator shield speculative booster".split()
    types = "named_person anonymous organization media document unattributed".split()
    for part, start in enumerate(range(0, documents, CHUNK)):
        stop = min(documents, start + CHUNK)
        metric_cols = [
            '(1 + hash(i) % 8)::DOUBLE AS "sourcing.attributions"',
            '(hash(i * 3) % 5)::DOUBLE AS "sourcing.distinct_sources"',
            '(hash(i * 5) % 3)::DOUBLE AS "sourcing.direct_quotes"',
            *(
                f'round(((hash(i * {7 + n}) % 100) / 100.0) / 6, 4) AS "sourcing.share_{t}"'
                for n, t in enumerate(types)
            ),
            '(hash(i * 11) % 9)::DOUBLE AS "hedging.hedges"',
            '(hash(i * 13) % 4)::DOUBLE AS "hedging.boosters"',
            '(hash(i * 17) % 100) / 100.0 AS "hedging.uncertain_sentence_share"',
            *(
                f'(hash(i * {19 + n}) % 3)::DOUBLE AS "hedging.category_{c}"'
                for n, c in enumerate(categories)
            ),
            '6 + (hash(i * 29) % 900) / 100.0 AS "readability.consensus_grade"',
            *(
                f'5 + (hash(i * {31 + n}) % 1000) / 100.0 AS "readability.{f}"'
                for n, f in enumerate(formulas)
            ),
            '(hash(i * 41) % 30)::DOUBLE AS "entities.count"',
            '(hash(i * 43) % 60)::DOUBLE AS "entities.mention_count"',
            '(200 + hash(i) % 1200)::DOUBLE AS "stats.words"',
            '(10 + hash(i) % 60)::DOUBLE AS "stats.sentences"',
        ]
        con.execute(
            f"""
            COPY (
              SELECT 'doc-' || i AS id, 'Headline ' || i AS title,
                     json_object('outlet', 'Outlet ' || (hash(i * 97) % {OUTLETS}),
                                 'author', 'Author ' || (hash(i * 89) % {AUTHORS}),
                                 'published', strftime(DATE '2025-01-01'
                                     + CAST(hash(i * 83) % 700 AS INTEGER), '%Y-%m-%d'))::VARCHAR
                       AS meta,
                     (200 + hash(i) % 1200)::BIGINT AS words, 'ok' AS status,
                     {", ".join(metric_cols)}, 13 AS findings, '{{}}' AS extra_metrics
              FROM range({start}, {stop}) t(i)
            ) TO '{folder}/documents/part-{part:05d}.parquet' (FORMAT parquet)
            """
        )
        type_list = "[" + ", ".join(f"'{t}'" for t in types) + "]"
        cat_list = "[" + ", ".join(f"'{c}'" for c in categories) + "]"
        con.execute(
            f"""
            COPY (
              WITH f AS (SELECT i, j FROM range({start}, {stop}) t(i), range(13) s(j))
              SELECT 'doc-' || i AS document_id,
                     CASE WHEN j < 4 THEN 'sourcing' WHEN j < 9 THEN 'entities'
                          WHEN j < 12 THEN 'hedging' ELSE 'sourcing' END AS analyzer,
                     CASE WHEN j < 4 THEN 'attribution' WHEN j < 9 THEN 'entity'
                          WHEN j < 11 THEN 'hedge' WHEN j < 12 THEN 'booster'
                          ELSE 'comment_request' END AS kind,
                     'body' AS part, j * 10 AS start, j * 10 + 5 AS "end",
                     CASE WHEN j BETWEEN 4 AND 8 THEN
                          CASE WHEN j < 7 THEN 'Person ' || (hash(i * 7 + j) % {PEOPLE})
                               ELSE 'Org ' || (hash(i * 7 + j) % {ORGS}) END
                          ELSE 'text' END AS text,
                     CASE WHEN j < 4 THEN {type_list}[(1 + hash(i * 5 + j) % 6)::BIGINT]
                          WHEN j < 7 THEN 'PERSON' WHEN j < 9 THEN 'ORG'
                          WHEN j < 11 THEN {cat_list}[(1 + hash(i * 3 + j) % 6)::BIGINT]
                          WHEN j < 12 THEN 'booster' ELSE 'declined' END AS label,
                     NULL AS message, 0.9 AS confidence,
                     CASE WHEN j < 4 THEN json_object(
                              'quote_type', CASE WHEN hash(i + j) % 3 = 0 THEN 'direct'
                                                 ELSE 'indirect' END,
                              'source_name', 'Person ' || (hash(i * 11 + j) % {PEOPLE}))::VARCHAR
                          WHEN j < 9 THEN json_object('entity_id', 'E' || j)::VARCHAR
                          ELSE '{{}}' END AS data,
                     'copydesk 0.1.0' AS producer
              FROM f
            ) TO '{folder}/findings/part-{part:05d}.parquet' (FORMAT parquet)
            """
        )
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--by", action="append", default=None)
    parser.add_argument("--memory-limit", default="700MB")
    args = parser.parse_args()
    by = args.by or ["outlet", "month"]
    cache = Path(os.environ.get("TMPDIR", "/tmp")) / "copydesk-report-bench"
    folder = args.data or cache / f"results-{args.documents}.parquet"
    generated = None
    if not (folder / "documents").is_dir():
        started = time.perf_counter()
        generate(folder, args.documents)
        generated = round(time.perf_counter() - started, 1)
    out = folder.parent / f"report-{args.documents}.html"
    command = [
        sys.executable,
        "-m",
        "copydesk",
        "report",
        str(folder),
        "-o",
        str(out),
        "--memory-limit",
        args.memory_limit,
        *[a for b in by for a in ("--by", b)],
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        raise SystemExit(proc.returncode)
    size = sum(p.stat().st_size for p in folder.rglob("*.parquet"))
    print(
        json.dumps(
            {
                "documents": args.documents,
                "findings": args.documents * 13,
                "by": by,
                "parquet_mb": round(size / 2**20, 1),
                "generated_seconds": generated,
                "wall_seconds": round(wall, 2),
                "cpu_seconds": round(
                    (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2
                ),
                "peak_rss_mb": round(after.ru_maxrss / 1024, 1),
                "memory_limit": args.memory_limit,
                "cores": os.cpu_count(),
                "load_average_1min": round(os.getloadavg()[0], 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
