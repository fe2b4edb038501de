"""Analyzing a large corpus on several cores.

Parsing dominates run time and spaCy's pipeline holds the GIL, so more
throughput means more processes. Each worker runs a whole :class:`Engine`
(parse + every analyzer) on chunks of documents; the parent only reads inputs,
sends chunks and writes results, in input order.

On platforms with ``fork`` the workers inherit the parent's engine with its
loaded model (no second load, memory shared copy-on-write); elsewhere each
worker builds its own engine from the parent's configuration. At most
``2 * jobs`` chunks are in flight, so a million-line JSONL streams through in
constant memory.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from copydesk.errors import InputError
from copydesk.model import AnalyzedDocument, Document
from copydesk.runner import EngineStats

if TYPE_CHECKING:
    from copydesk.runner import Engine

_PARENT_ENGINE: Engine | None = None
_WORKER_ENGINE: Engine | None = None


def _init_worker(config_data: dict[str, Any] | None, options: dict[str, Any]) -> None:
    global _WORKER_ENGINE  # one engine per worker process, by design
    if _PARENT_ENGINE is not None:  # inherited through fork
        _WORKER_ENGINE = _PARENT_ENGINE
        return
    from copydesk.config import CopydeskConfig
    from copydesk.runner import Engine

    _WORKER_ENGINE = Engine(CopydeskConfig.model_validate(config_data), **options)


_ChunkResult = tuple[list[AnalyzedDocument | InputError], EngineStats]


def _analyze_chunk(chunk: list[Document]) -> _ChunkResult:
    """Analyze one chunk in a worker; also return the time it took, for the parent's stats."""
    assert _WORKER_ENGINE is not None
    engine = _WORKER_ENGINE
    engine.stats = EngineStats()
    return list(engine.analyze_many(chunk)), engine.stats


def _add_stats(total: EngineStats, part: EngineStats) -> None:
    total.documents += part.documents
    total.words += part.words
    total.parse_seconds += part.parse_seconds
    total.load_seconds += part.load_seconds
    for name, seconds in part.analyzer_seconds.items():
        total.analyzer_seconds[name] = total.analyzer_seconds.get(name, 0.0) + seconds


def analyze_in_processes(
    engine: Engine,
    items: Iterable[Document | InputError],
    jobs: int,
    *,
    chunk_size: int | None = None,
    engine_options: dict[str, Any] | None = None,
) -> Iterator[AnalyzedDocument | InputError]:
    """Like ``engine.analyze_many(items)``, spread over ``jobs`` worker processes.

    Input errors are passed through by the parent without a round trip.
    ``engine_options`` rebuild the engine in workers that cannot inherit it
    (``disable_autoload`` and the like; plugins passed as objects only work
    with ``fork``).
    """
    global _PARENT_ENGINE  # handed to forked workers
    chunk_size = chunk_size or engine.config.batch_size
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    if context.get_start_method() == "fork":
        _ = engine.nlp  # load once in the parent; the workers share it
        _PARENT_ENGINE = engine
    config_data = engine.config.model_dump(mode="json")
    pending: deque[Future[_ChunkResult] | InputError] = deque()
    iterator = iter(items)
    try:
        with ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_init_worker,
            initargs=(config_data, engine_options or {}),
        ) as pool:
            while True:
                while len(pending) < 2 * jobs:
                    chunk = list(itertools.islice(iterator, chunk_size))
                    if not chunk:
                        break
                    docs: list[Document] = []
                    for item in chunk:
                        if isinstance(item, InputError):
                            if docs:
                                pending.append(pool.submit(_analyze_chunk, docs))
                                docs = []
                            pending.append(item)
                        else:
                            docs.append(item)
                    if docs:
                        pending.append(pool.submit(_analyze_chunk, docs))
                if not pending:
                    break
                head = pending.popleft()
                if isinstance(head, InputError):
                    yield head
                else:
                    results, stats = head.result()
                    _add_stats(engine.stats, stats)
                    yield from results
    finally:
        _PARENT_ENGINE = None
