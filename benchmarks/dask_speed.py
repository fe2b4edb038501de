"""Dask executor benchmark: serial, --jobs 2 and Dask with 2 workers on the same articles.

Prints JSON. Numbers, not assertions: CI runs the tests, people run this.

    python benchmarks/dask_speed.py                       # 400 PolNeAR articles, all analyzers
    python benchmarks/dask_speed.py --limit 100 -a stats,readability

Each way runs in one process of this script, one after another, on the same texts:

* ``serial``: one engine in this process (model loaded before the clock starts);
* ``jobs_2``: the ``processes`` executor with 2 workers, results through the parent;
* ``dask_2``: a LocalCluster of 2 worker processes (one thread each), the corpus as a
  JSONL file cut into partitions, each worker writing its shards (``-o FOLDER/``).

Reported per way: wall seconds, words/s, the ratio to serial, and CPU seconds
(this process plus its workers), because on a shared machine wall time is noisy.
For Dask also the start-up cost: starting the cluster, and building the engine and
loading the model in each worker (the worker plugin), which a long run pays once.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "polnear" / "train.jsonl"


def load(path: Path, limit: int) -> list[dict[str, str]]:
    docs: list[dict[str, str]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                data = json.loads(line)
                docs.append({"id": str(data.get("id", len(docs))), "text": data["text"]})
            if len(docs) >= limit:
                break
    return docs


def cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def result(seconds: float, cpu: float, words: int, documents: int) -> dict[str, Any]:
    return {
        "documents": documents,
        "seconds": round(seconds, 2),
        "words_per_second": round(words / seconds),
        "cpu_seconds": round(cpu, 2),
        "words_per_cpu_second": round(words / cpu) if cpu else None,
    }


def run_serial(
    analyzers: list[str] | None, docs: list[dict[str, str]], words: int
) -> dict[str, Any]:
    from copydesk import Document, Engine

    engine = Engine(analyzers=analyzers)
    engine.load()
    items = [Document(id=d["id"], text=d["text"]) for d in docs]
    cpu, started = cpu_self(), time.perf_counter()
    out = list(engine.analyze_many(items))
    return result(time.perf_counter() - started, cpu_self() - cpu, words, len(out))


def run_jobs(
    analyzers: list[str] | None, docs: list[dict[str, str]], words: int, jobs: int
) -> dict[str, Any]:
    from copydesk import Document, Engine
    from copydesk.executors import ProcessExecutor

    engine = Engine(analyzers=analyzers)
    items = [Document(id=d["id"], text=d["text"]) for d in docs]
    cpu, child, started = cpu_self(), cpu_children(), time.perf_counter()
    out = list(engine.analyze_many(items, executor=ProcessExecutor(jobs)))
    seconds = time.perf_counter() - started
    used = cpu_self() - cpu + cpu_children() - child  # workers are reaped at close
    data = result(seconds, used, words, len(out))
    data["note"] = "includes each worker's model load (about a second each)"
    return data


def _worker_cpu() -> float:
    import resource as r

    usage = r.getrusage(r.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_dask(
    analyzers: list[str] | None,
    docs: list[dict[str, str]],
    words: int,
    workers: int,
    partition_mb: float,
) -> dict[str, Any]:
    import logging

    from distributed import Client, LocalCluster

    from copydesk import Engine
    from copydesk.partitions import MANIFEST, run_sharded
    from copydesk_dask.executor import DaskExecutor
    from copydesk_dask.worker import EnginePlugin, spec_token

    with tempfile.TemporaryDirectory(prefix="copydesk-dask-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        started = time.perf_counter()
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)  # type: ignore[no-untyped-call]
        cluster_seconds = time.perf_counter() - started
        engine = Engine(analyzers=analyzers)
        spec = engine.spec()
        token = spec_token(spec)
        started = time.perf_counter()
        # What DaskExecutor does first: every worker builds the engine and loads the model.
        client.register_plugin(EnginePlugin(spec, token), name=f"copydesk-{token}")
        load_seconds = time.perf_counter() - started
        before = client.run(_worker_cpu)
        cpu = cpu_self()
        started = time.perf_counter()
        executor = DaskExecutor(scheduler=cluster.scheduler_address, partition_mb=partition_mb)
        summary = run_sharded([str(corpus)], engine, Path(tmp) / "out", executor)
        seconds = time.perf_counter() - started
        after = client.run(_worker_cpu)
        used = cpu_self() - cpu + sum(after[w] - before.get(w, 0.0) for w in after)
        manifest = json.loads((Path(tmp) / "out" / MANIFEST).read_text())
        client.close()  # type: ignore[no-untyped-call]
        cluster.close()
    data = result(seconds, used, words, summary.documents)
    data.update(
        partitions=manifest["partitions"],
        startup={
            "cluster_start_seconds": round(cluster_seconds, 2),
            "engine_and_model_load_seconds_all_workers_in_parallel": round(load_seconds, 2),
        },
    )
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=400)
    parser.add_argument("-a", "--analyzers", default=None, help="comma-separated (default: all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partition-mb", type=float, default=0.25)
    args = parser.parse_args()
    if not args.corpus.is_file():
        raise SystemExit(f"{args.corpus}: not found (see ../shared/data/polnear/README.md)")
    analyzers = args.analyzers.split(",") if args.analyzers else None
    docs = load(args.corpus, args.limit)
    words = sum(len(d["text"].split()) for d in docs)
    report: dict[str, Any] = {
        "corpus": str(args.corpus),
        "documents": len(docs),
        "words": words,
        "analyzers": analyzers or "all",
        "cores": len(os.sched_getaffinity(0)),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "note": "shared 2-core machine: wall times are noisy; compare CPU seconds too",
    }
    serial = run_serial(analyzers, docs, words)
    jobs = run_jobs(analyzers, docs, words, args.workers)
    dask = run_dask(analyzers, docs, words, args.workers, args.partition_mb)
    for data in (jobs, dask):
        data["speedup_vs_serial"] = round(serial["seconds"] / data["seconds"], 2)
    report.update({"serial": serial, f"jobs_{args.workers}": jobs, f"dask_{args.workers}": dask})
    report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
