"""What runs inside a Dask worker: one engine per worker process, built from the spec.

:class:`EnginePlugin` is a Dask ``WorkerPlugin``: registered once by the client,
it runs on every worker that joins (also on a replacement for a killed one),
builds the engine from the serializable :class:`~copydesk.EngineSpec` and loads
its spaCy model, once per worker process, before any task arrives. The task
functions below find that engine by the spec's token; a task that lands where
the plugin did not run (Dask's local threaded scheduler) builds it on first use.

This module imports ``distributed`` at the top: it is imported only once a run
has started (``copydesk_dask`` itself imports only copydesk).
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from typing import Any

from distributed import WorkerPlugin

from copydesk import (
    AnalyzedDocument,
    Document,
    Engine,
    EngineSpec,
    InputError,
    Partition,
    PartitionResult,
    ShardOutput,
    run_partition,
)

_ENGINES: dict[str, Engine] = {}
_LOCKS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


def spec_token(spec: EngineSpec) -> str:
    """A short name for a spec: the same engine configuration gives the same token."""
    return hashlib.sha1(pickle.dumps(spec), usedforsecurity=False).hexdigest()[:12]


def engine_for(spec: EngineSpec, token: str) -> tuple[Engine, threading.Lock]:
    """This process's engine for ``spec`` (built and loaded once) and the lock that
    keeps one task at a time on it: analyzers and spaCy pipelines are not shared
    between threads, so a worker with several threads still analyzes one partition
    at a time (start workers with ``--nthreads 1`` and more processes instead)."""
    with _GUARD:
        lock = _LOCKS.setdefault(token, threading.Lock())
    with lock:
        engine = _ENGINES.get(token)
        if engine is None:
            engine = spec.build()
            engine.load()
            _ENGINES[token] = engine
    return engine, lock


class EnginePlugin(WorkerPlugin):
    """Builds the run's engine and loads its model when a worker starts."""

    def __init__(self, spec: EngineSpec, token: str) -> None:
        self.spec = spec
        self.token = token

    def setup(self, worker: Any) -> None:
        engine_for(self.spec, self.token)

    def teardown(self, worker: Any) -> None:
        _ENGINES.pop(self.token, None)


def analyze_chunk(
    spec: EngineSpec, token: str, documents: list[Document]
) -> tuple[list[AnalyzedDocument | InputError], Any]:
    """Analyze a chunk of documents (the streaming path); also return its timings."""
    engine, lock = engine_for(spec, token)
    with lock:
        previous, engine.stats = engine.stats, type(engine.stats)()
        try:
            results = list(engine.analyze_many(documents, executor="serial"))
            return results, engine.stats
        finally:
            previous.add(engine.stats)
            engine.stats = previous


def analyze_partition(
    spec: EngineSpec, token: str, partition: Partition, output: ShardOutput
) -> PartitionResult:
    """Read, analyze and write one partition's shard on this worker."""
    from distributed import get_worker

    engine, lock = engine_for(spec, token)
    try:
        name = str(get_worker().address)
    except ValueError:  # not inside a distributed worker
        name = ""
    with lock:
        return run_partition(engine, partition, output, worker=name)
