"""Executors: how an engine's work is spread over processes (or machines).

An executor maps a stream of documents (and input errors, which pass through in
place) to analyzed documents, in input order. It builds its engines from an
:class:`~copydesk.runner.EngineSpec`, the serializable description of a run
(configuration and plugin names), never from objects inherited through
``fork``, so the same spec can cross a process or a machine boundary.

Built in: ``serial`` (the engine in this process) and ``processes`` (worker
processes on this machine). Others (Dask, Ray) are plugins registered through
the ``register_executors`` hook and chosen with ``--executor NAME``.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import signal
import sys
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from copydesk.errors import InputError
from copydesk.model import AnalyzedDocument, Document

if TYPE_CHECKING:
    from copydesk.partitions import Partition, PartitionResult, ShardOutput
    from copydesk.runner import Engine, EngineSpec, EngineStats

Item = Document | InputError
F = TypeVar("F")  # what submitting a chunk returns: a concurrent.futures or Dask future
Result = AnalyzedDocument | InputError


class Executor(ABC):
    """Runs an engine over documents; results come back in input order."""

    name: ClassVar[str] = ""

    def __init__(self, jobs: int | None = None, **options: Any) -> None:
        self.jobs = jobs
        self.options = options

    @abstractmethod
    def run(self, engine: Engine, items: Iterable[Item]) -> Iterator[Result]:
        """Analyze ``items`` with ``engine``'s plan; input errors pass through in place."""

    def run_partitions(
        self, engine: Engine, partitions: Iterable[Partition], output: ShardOutput
    ) -> Iterator[PartitionResult]:
        """Run whole partitions, each writing its own shard; results in any order.

        Used for ``--output FOLDER/`` (see :mod:`copydesk.partitions`). The default
        runs them one after another with ``engine``, in this process; an executor
        with workers sends each partition to one, where
        :func:`copydesk.partitions.run_partition` does the work.
        """
        from copydesk.partitions import run_partition

        for partition in partitions:
            yield run_partition(engine, partition, output)

    def close(self) -> None:  # noqa: B027 - optional: only executors with workers need it
        """Release workers; called when the run ends or is interrupted."""


ExecutorFactory = Callable[..., Executor]


@dataclass(frozen=True)
class ExecutorType:
    """A named executor: how to make it, for ``--executor NAME``."""

    name: str
    factory: ExecutorFactory = field(compare=False)
    description: str = ""


class SerialExecutor(Executor):
    """The engine in this process, batch after batch."""

    name = "serial"

    def run(self, engine: Engine, items: Iterable[Item]) -> Iterator[Result]:
        return engine.analyze_serial(items)


def chunk_documents(items: Iterable[Item], size: int) -> Iterator[list[Document] | InputError]:
    """Documents in chunks of at most ``size``, input errors passed through in their place.

    What an executor sends to its workers: a chunk never holds an error, and the
    order of chunks and errors is the input's, so results can be put back in order.
    """
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        docs: list[Document] = []
        for item in chunk:
            if isinstance(item, InputError):
                if docs:
                    yield docs
                    docs = []
                yield item
            else:
                docs.append(item)
        if docs:
            yield docs


class InFlight(Generic[F]):
    """Chunks submitted ahead, at most ``window`` in flight, handed back in input order.

    Iterating yields input errors and ``(future, chunk)`` pairs in the input's
    order, submitting the next chunks (through ``submit``) as earlier ones are
    taken, so a million documents stream through in constant memory. ``drain``
    takes everything still in flight, for an executor that must re-run it.
    """

    def __init__(
        self,
        segments: Iterator[list[Document] | InputError],
        submit: Callable[[list[Document]], F],
        window: int,
    ) -> None:
        self._segments = segments
        self._submit = submit
        self._window = window
        self._pending: deque[tuple[F, list[Document]] | InputError] = deque()

    def __iter__(self) -> Iterator[tuple[F, list[Document]] | InputError]:
        while True:
            while len(self._pending) < self._window:
                segment = next(self._segments, None)
                if segment is None:
                    break
                if isinstance(segment, InputError):
                    self._pending.append(segment)
                else:
                    self._pending.append((self._submit(segment), segment))
            if not self._pending:
                return
            yield self._pending.popleft()

    def drain(self) -> list[tuple[F, list[Document]] | InputError]:
        """Everything submitted and not yet taken, in order (and forget it)."""
        taken = list(self._pending)
        self._pending.clear()
        return taken


def usable_cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def idle_cores() -> int:
    """Usable cores not already busy (by the one-minute load average), at least one.

    On a busy machine more workers only add their start-up and memory to the
    same CPU time, so ``--jobs auto`` asks for no more than are idle.
    """
    cores = usable_cores()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover - no load average here
        return cores
    return max(1, min(cores, int(cores - load + 0.5)))


class AutoExecutor(Executor):
    """Serial for a small input, worker processes on the idle cores for a large one.

    It reads ahead a few batches: an input that ends there (an article, a short
    list) is analyzed in this process, with no worker start-up to pay; a longer
    one goes to :class:`ProcessExecutor` with :func:`idle_cores` workers. The
    results are the same either way, in input order.
    """

    name = "auto"
    batches_ahead = 4

    def __init__(self, jobs: int | None = None, **options: Any) -> None:
        super().__init__(jobs, **options)
        self._inner: Executor | None = None

    def run(self, engine: Engine, items: Iterable[Item]) -> Iterator[Result]:
        iterator = iter(items)
        head = list(itertools.islice(iterator, engine.config.batch_size * self.batches_ahead + 1))
        everything = itertools.chain(head, iterator)
        jobs = self.jobs or idle_cores()
        if len(head) <= engine.config.batch_size * self.batches_ahead or jobs < 2:
            return engine.analyze_serial(everything)
        self._inner = ProcessExecutor(jobs, **self.options)
        return self._inner.run(engine, everything)

    def run_partitions(
        self, engine: Engine, partitions: Iterable[Partition], output: ShardOutput
    ) -> Iterator[PartitionResult]:
        """One partition: in this process; more: worker processes on the idle cores."""
        partitions = list(partitions)
        jobs = self.jobs or idle_cores()
        if len(partitions) < 2 or jobs < 2:
            return super().run_partitions(engine, partitions, output)
        self._inner = ProcessExecutor(jobs, **self.options)
        return self._inner.run_partitions(engine, partitions, output)

    def close(self) -> None:
        if self._inner is not None:
            self._inner.close()


# -- worker processes ------------------------------------------------------------------

_WORKER_ENGINE: Engine | None = None


def _die_with_parent() -> None:
    """Ask the kernel to end this worker when its parent dies (Linux), so none is orphaned."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def _init_worker(spec: EngineSpec) -> None:
    """Build this worker's engine once, from the spec, and load its model."""
    global _WORKER_ENGINE  # one engine per worker process, by design
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides about Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _WORKER_ENGINE = spec.build()
    _WORKER_ENGINE.load()


_ChunkResult = tuple[list[Result], "EngineStats"]


def _analyze_chunk(chunk: list[Document]) -> _ChunkResult:
    """Analyze one chunk in a worker; also return the time it took, for the parent's stats."""
    from copydesk.runner import EngineStats

    assert _WORKER_ENGINE is not None
    engine = _WORKER_ENGINE
    engine.stats = EngineStats()
    return list(engine.analyze_many(chunk)), engine.stats


def _run_partition(partition: Partition, output: ShardOutput) -> PartitionResult:
    """Analyze one partition into its shard in a worker."""
    from copydesk.partitions import run_partition

    assert _WORKER_ENGINE is not None
    return run_partition(_WORKER_ENGINE, partition, output)


class ProcessExecutor(Executor):
    """Worker processes on this machine, each with its own engine built from the spec.

    At most ``2 * jobs`` chunks are in flight, so a million-line JSONL streams
    through in constant memory; results are yielded in input order. Workers end
    with their parent (also when it is killed), and :meth:`close` stops them.
    """

    name = "processes"

    def __init__(
        self, jobs: int | None = None, *, chunk_size: int | None = None, **options: Any
    ) -> None:
        super().__init__(jobs, **options)
        self.chunk_size = chunk_size
        self._pool: ProcessPoolExecutor | None = None
        self._engine: Engine
        self._jobs = 1

    def run(self, engine: Engine, items: Iterable[Item]) -> Iterator[Result]:
        jobs = self.jobs or usable_cores()
        chunk_size = self.chunk_size or engine.config.batch_size
        self._engine = engine
        self._jobs = jobs
        self._start()
        in_flight = InFlight(
            chunk_documents(items, chunk_size),
            lambda chunk: self._current_pool().submit(_analyze_chunk, chunk),
            2 * jobs,
        )
        try:
            for head in in_flight:
                if isinstance(head, InputError):
                    yield head
                    continue
                future, chunk = head
                try:
                    results, stats = future.result()
                except BrokenProcessPool:
                    # A worker died (a crash in C code, a kill): every chunk in flight
                    # is lost with it. Re-run them one document at a time, so only the
                    # document that kills a worker again is recorded as failed.
                    self._start()
                    yield from self._isolated(chunk)
                    for entry in in_flight.drain():
                        if isinstance(entry, InputError):
                            yield entry
                        else:
                            yield from self._isolated(entry[1])
                    continue
                engine.stats.add(stats)
                yield from results
        finally:
            self.close()

    def _start(self) -> ProcessPoolExecutor:
        """A fresh pool (after closing the previous one), its workers built from the spec."""
        self.close()
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._pool = ProcessPoolExecutor(
            max_workers=self._jobs,
            mp_context=context,
            initializer=_init_worker,
            initargs=(self._engine.spec(),),
        )
        return self._pool

    def _current_pool(self) -> ProcessPoolExecutor:
        return self._pool or self._start()

    def _isolated(self, docs: list[Document]) -> Iterator[Result]:
        """Each document in a task of its own; one that kills its worker fails alone."""
        for doc in docs:
            try:
                results, stats = self._current_pool().submit(_analyze_chunk, [doc]).result()
            except BrokenProcessPool:
                self._start()
                yield crashed(self._engine, doc)
                continue
            self._engine.stats.add(stats)
            yield from results

    def run_partitions(
        self, engine: Engine, partitions: Iterable[Partition], output: ShardOutput
    ) -> Iterator[PartitionResult]:
        """Each partition to a worker process, which writes its shard; results as they end.

        At most one partition per worker is in flight. A worker that dies breaks
        the pool and every partition in flight with it: those are run again one at
        a time on a fresh pool, so only a partition that kills a worker alone is
        given up (its files reported), and the rest of the run goes on.
        """
        from concurrent.futures import FIRST_COMPLETED, wait

        self._engine = engine
        self._jobs = self.jobs or usable_cores()
        waiting = iter(partitions)
        running: dict[Future[PartitionResult], Partition] = {}
        self._start()
        try:
            while True:
                while len(running) < self._jobs and (nxt := next(waiting, None)) is not None:
                    running[self._current_pool().submit(_run_partition, nxt, output)] = nxt
                if not running:
                    return
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                if not any(isinstance(f.exception(), BrokenProcessPool) for f in done):
                    for future in done:
                        del running[future]
                        yield future.result()
                    continue
                # The pool is broken: everything in flight ended with it (some may
                # have finished just before). Re-run the others one at a time.
                wait(running)
                lost = []
                for future, partition in running.items():
                    if isinstance(future.exception(), BrokenProcessPool):
                        lost.append(partition)
                    else:
                        yield future.result()
                running.clear()
                self._start()
                for partition in sorted(lost, key=lambda p: p.index):
                    yield self._partition_alone(partition, output)
        finally:
            self.close()

    def _partition_alone(self, partition: Partition, output: ShardOutput) -> PartitionResult:
        """One partition as the pool's only task; given up if it kills its worker."""
        from copydesk.partitions import PartitionResult

        try:
            return self._current_pool().submit(_run_partition, partition, output).result()
        except BrokenProcessPool:
            self._start()
            return PartitionResult(
                partition.index,
                error="its worker process died running it alone (a crash in native code?)",
            )

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # Stop at once: an interrupted run must not wait for queued chunks.
        for process in list(getattr(pool, "_processes", {}).values()):
            with contextlib.suppress(Exception):
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)


def crashed(engine: Engine, doc: Document) -> AnalyzedDocument:
    """The record of a document whose analysis killed the worker process running it."""
    from copydesk.model import AnalyzerRun, RunStatus

    runs = [
        AnalyzerRun(
            name=entry.cls.name,
            version=entry.cls.qualified_version(),
            plugin=entry.plugin.producer,
            status=RunStatus.FAILED,
            seconds=0.0,
            error="the worker process died analyzing this document (a crash in native code?)",
        )
        for entry in engine.plan.entries
    ]
    return AnalyzedDocument(document=doc, analyzers=runs)


BUILTIN_EXECUTORS = (
    ExecutorType("serial", SerialExecutor, "The engine in this process (the default for -j 1)"),
    ExecutorType("processes", ProcessExecutor, "Worker processes on this machine (-j N)"),
    ExecutorType(
        "auto", AutoExecutor, "Serial for a few batches, else processes on the idle cores"
    ),
)
