"""The ``dask`` executor: documents and partitions sent to a Dask cluster.

Two ways to run, chosen by the output:

* **Shards** (``-o FOLDER/``, :meth:`DaskExecutor.run_partitions`): each partition
  is one task; the worker reads it, analyzes it and writes its shard itself.
  Only counts and problems come back to the client.
* **Streaming** (a file or standard output, :meth:`DaskExecutor.run`): chunks of
  documents go to the workers and the results come back in input order, at most
  ``2 * workers`` chunks in flight, so memory stays bounded.

Faults. A worker process that dies (killed, out of memory) is replaced by its
nanny and the scheduler runs its unfinished tasks again elsewhere; a shard is
renamed into place only when complete and its name depends only on its
partition, so a re-run replaces, never duplicates. Dask gives a task up
(``KilledWorker``) after ``distributed.scheduler.allowed-failures`` + 1 deaths
of workers it was on (4 by default), and it blames *every* task on a dying
worker, so an innocent task that kept sharing a worker with a crashing one is
given up beside it. copydesk therefore waits until nothing else of the run is
in flight and tries each given-up document (or partition) again *alone*: only
one that still kills its worker when it is the only task of the run is
reported, and never retried forever. An exception inside an analyzer never
reaches Dask: the engine records it on the document, as in every copydesk run.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from copydesk import (
    AnalyzedDocument,
    AnalyzerRun,
    ConfigError,
    CopydeskError,
    Document,
    Engine,
    Executor,
    InFlight,
    InputError,
    Partition,
    PartitionResult,
    RunStatus,
    ShardOutput,
    chunk_documents,
)

if TYPE_CHECKING:
    from distributed import Client, Future

Item = Document | InputError
Result = AnalyzedDocument | InputError


class DaskOptions(BaseModel):
    """Options of the dask executor (``--executor-option KEY=VALUE``)."""

    model_config = ConfigDict(extra="forbid")

    scheduler: str | None = Field(
        default=None,
        description="Address of a running scheduler, e.g. tcp://10.0.0.5:8786 (--scheduler). "
        "Without it (and without scheduler_file) a local cluster is started.",
    )
    scheduler_file: str | None = Field(
        default=None,
        description="A scheduler file written by `dask scheduler --scheduler-file` "
        "(SLURM and PBS jobs share one this way).",
    )
    workers: int | None = Field(
        default=None,
        ge=1,
        description="Worker processes of the local cluster (default: --jobs, else the cores "
        "this process may use).",
    )
    threads_per_worker: int = Field(
        default=1, ge=1, description="Threads per local worker (1: a process per core)."
    )
    memory_limit: str = Field(
        default="auto", description="Memory limit per local worker (Dask's format, e.g. '4GiB')."
    )
    partition_mb: float | None = Field(
        default=None,
        gt=0,
        description="Target partition size in MiB for -o FOLDER/ runs (default 8, smaller when "
        "that gives fewer than 4 partitions per worker).",
    )
    chunk_size: int | None = Field(
        default=None, ge=1, description="Documents per task when streaming (default: batch_size)."
    )
    timeout: float = Field(default=30.0, gt=0, description="Seconds to wait for the scheduler.")


class DaskExecutor(Executor):
    """Runs the engine on a Dask cluster; see the module docstring."""

    name = "dask"

    def __init__(self, jobs: int | None = None, **options: Any) -> None:
        try:
            self.settings = DaskOptions.model_validate(options)
        except ValidationError as exc:
            fields = ", ".join(DaskOptions.model_fields)
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
            msg = f"executor 'dask': {problems} (options: {fields})"
            raise ConfigError(msg) from None
        super().__init__(jobs, **options)
        self._client: Client | None = None
        self._cluster: Any = None
        self._token: str | None = None
        mb = self.settings.partition_mb
        self.partition_bytes = int(mb * 1024 * 1024) if mb else 0

    # -- the cluster -----------------------------------------------------------------

    @property
    def _is_local(self) -> bool:
        return self.settings.scheduler is None and self.settings.scheduler_file is None

    def _local_workers(self) -> int:
        if self.settings.workers:
            return self.settings.workers
        if self.jobs:
            return self.jobs
        try:
            return len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - not on Linux
            return os.cpu_count() or 1

    @property
    def workers_hint(self) -> int:
        """How many workers the run will have (planning cuts about 4 partitions each)."""
        if self._is_local:
            return self._local_workers()
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    @property
    def client(self) -> Client:
        """The connected client (started on first use)."""
        if self._client is None:
            self._client = self._connect()
        return self._client

    def _connect(self) -> Client:
        from distributed import Client, LocalCluster

        settings = self.settings
        try:
            if settings.scheduler_file:
                return Client(scheduler_file=settings.scheduler_file, timeout=settings.timeout)
            if settings.scheduler:
                return Client(settings.scheduler, timeout=settings.timeout)
        except (OSError, TimeoutError) as exc:
            where = settings.scheduler or settings.scheduler_file
            raise CopydeskError(f"cannot reach the Dask scheduler at {where}: {exc}") from None
        self._cluster = LocalCluster(
            n_workers=self._local_workers(),
            threads_per_worker=settings.threads_per_worker,
            processes=True,
            memory_limit=settings.memory_limit,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        return Client(self._cluster)

    def _prepare(self, engine: Engine) -> tuple[Any, str]:
        """Connect, and have every worker (present and future) build the engine once."""
        from copydesk_dask.worker import EnginePlugin, spec_token

        spec = engine.spec()
        token = spec_token(spec)
        if token != self._token:
            self.client.register_plugin(EnginePlugin(spec, token), name=f"copydesk-{token}")
            self._token = token
        return spec, token

    def close(self) -> None:
        client, self._client = self._client, None
        cluster, self._cluster = self._cluster, None
        token, self._token = self._token, None
        if client is not None:
            # A shared cluster's workers drop this run's engine (and do not rebuild it
            # when one restarts); a local cluster goes away with the run anyway.
            if token is not None and cluster is None:
                with contextlib.suppress(Exception):
                    client.unregister_worker_plugin(f"copydesk-{token}")
            with contextlib.suppress(Exception):
                client.close()
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close()

    # -- shards: each worker writes its partitions -------------------------------------

    def run_partitions(
        self, engine: Engine, partitions: Iterable[Partition], output: ShardOutput
    ) -> Iterator[PartitionResult]:
        from distributed import KilledWorker, as_completed

        from copydesk_dask.worker import analyze_partition

        spec, token = self._prepare(engine)
        client = self.client
        futures: dict[Future[Any], Partition] = {}
        for partition in partitions:
            future = client.submit(
                analyze_partition,
                spec,
                token,
                partition,
                output,
                key=f"copydesk-part-{token}-{partition.index:05d}",
                retries=0,
            )
            futures[future] = partition
        suspects: list[Partition] = []
        for future in as_completed(list(futures)):
            partition = futures.pop(future)
            try:
                result: PartitionResult = future.result()
            except KilledWorker:
                # Dask blames every task on a dying worker: tried again alone below.
                suspects.append(partition)
            except Exception as exc:  # noqa: BLE001 - reported per partition
                yield PartitionResult(partition.index, error=self._reason(exc))
            else:
                yield result
            finally:
                future.release()
        # Every other partition has ended: each suspect runs alone on the cluster, so
        # the only worker it can see die is one it killed itself.
        for partition in suspects:
            alone = client.submit(
                analyze_partition, spec, token, partition, output, pure=False, retries=0
            )
            try:
                yield alone.result()
            except Exception as exc:  # noqa: BLE001 - given up: reported per partition
                yield PartitionResult(partition.index, error=self._reason(exc))
            finally:
                alone.release()

    def _reason(self, exc: BaseException) -> str:
        """One line on why a task was given up (and a clear error if the scheduler is gone)."""
        from distributed import KilledWorker

        if isinstance(exc, KilledWorker):
            return (
                "its worker process died each time it was tried, also alone (killed, out of "
                "memory, or a crash in native code); see distributed.scheduler.allowed-failures"
            )
        text = f"{type(exc).__name__}: {exc}"
        if "scheduler" in text.lower() and "lost" in text.lower():
            raise CopydeskError(
                f"lost the Dask scheduler ({text}); shards written so far are complete, "
                "run again to redo the rest"
            ) from None
        return text

    # -- streaming: results back through the client, in input order ----------------------

    def run(self, engine: Engine, items: Iterable[Item]) -> Iterator[Result]:
        from distributed import KilledWorker, wait

        from copydesk_dask.worker import analyze_chunk

        spec, token = self._prepare(engine)
        client = self.client
        workers = self.workers_hint
        chunk_size = self.settings.chunk_size or engine.config.batch_size
        segments = chunk_documents(items, chunk_size)
        counter = itertools.count()

        def submit(docs: list[Document]) -> Any:
            key = f"copydesk-chunk-{token}-{next(counter)}"
            return client.submit(analyze_chunk, spec, token, docs, key=key, retries=0)

        in_flight = InFlight(segments, submit, 2 * workers)
        for head in in_flight:
            if isinstance(head, InputError):
                yield head
                continue
            future, docs = head
            try:
                results, stats = future.result()
            except KilledWorker:
                future.release()
                # Dask blames every task on a dying worker, and the one that killed it
                # may still be in flight: let all of it end, so that what is tried
                # again runs alone.
                rest = in_flight.drain()
                wait([entry[0] for entry in rest if not isinstance(entry, InputError)])
                yield from self._alone(engine, spec, token, docs)
                for entry in rest:
                    if isinstance(entry, InputError):
                        yield entry
                    else:
                        yield from self._settle(engine, spec, token, *entry)
                continue
            except Exception as exc:  # noqa: BLE001 - recorded on each of its documents
                future.release()
                reason = self._reason(exc)
                yield from (_lost(engine, doc, reason) for doc in docs)
                continue
            future.release()
            engine.stats.add(stats)
            yield from results

    def _settle(
        self, engine: Engine, spec: Any, token: str, future: Future[Any], docs: list[Document]
    ) -> Iterator[Result]:
        """A chunk that has ended while nothing else runs: its results, or its documents alone."""
        from distributed import KilledWorker

        try:
            results, stats = future.result()
        except KilledWorker:
            yield from self._alone(engine, spec, token, docs)
        except Exception as exc:  # noqa: BLE001 - recorded on each of its documents
            reason = self._reason(exc)
            yield from (_lost(engine, doc, reason) for doc in docs)
        else:
            engine.stats.add(stats)
            yield from results
        finally:
            future.release()

    def _alone(
        self, engine: Engine, spec: Any, token: str, docs: list[Document]
    ) -> Iterator[Result]:
        """Documents of a given-up chunk, each tried again as the run's only task.

        Called only when nothing else of the run is in flight, so a worker that dies
        now was killed by the document on it: that one is recorded as failed (after
        Dask's own ``allowed-failures`` retries), the others come through.
        """
        from copydesk_dask.worker import analyze_chunk

        for doc in docs:
            future = self.client.submit(analyze_chunk, spec, token, [doc], pure=False, retries=0)
            try:
                results, stats = future.result()
            except Exception as exc:  # noqa: BLE001 - given up: recorded on the document
                yield _lost(engine, doc, self._reason(exc))
            else:
                engine.stats.add(stats)
                yield from results
            finally:
                future.release()


def _lost(engine: Engine, document: Document, reason: str) -> AnalyzedDocument:
    """A document whose task was given up: every analyzer recorded as failed, with why."""
    runs = [
        AnalyzerRun(
            name=entry.cls.name,
            version=entry.cls.qualified_version(),
            plugin=entry.plugin.producer,
            status=RunStatus.FAILED,
            seconds=0.0,
            error=f"not analyzed: {reason}",
        )
        for entry in engine.plan.entries
    ]
    return AnalyzedDocument(document=document, analyzers=runs)
