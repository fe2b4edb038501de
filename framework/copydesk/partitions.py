"""Partitioned runs: a corpus cut into pieces that each write their own output shard.

An executor that spreads a corpus over machines (``dask``, or a Ray or Spark
plugin written the same way) should not funnel every analyzed document back
through one client process. For such runs the corpus is cut into
:class:`Partition` objects (small, picklable descriptions: which files, or
which line range of one large JSONL file), and each partition is analyzed by
one worker with :func:`run_partition`, which reads it, analyzes it with the
worker's engine, and writes the results straight to its shard
(``part-00007.jsonl`` in the output folder). Only a :class:`PartitionResult`
(counts, problems, timings) travels back.

Why this gives every document exactly once, even when a worker dies:

* a shard's name depends only on its partition, and a shard is written under
  a temporary name and renamed into place when complete (as every copydesk
  output is), so a partition that is run again replaces a torn attempt or an
  identical complete one, never adds to it;
* :func:`run_sharded`, on the client, removes the temporary files of killed
  attempts and shards left by an earlier run into the same folder, and writes
  ``_copydesk.json`` (run metadata, the summary and the list of shards) last.

Executors implement :meth:`copydesk.Executor.run_partitions`; the default runs
the partitions one after another in this process.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from copydesk.errors import ConfigError, CopydeskError, InputError
from copydesk.model import AnalyzerRun, Document

if TYPE_CHECKING:
    from copydesk.executors import Executor
    from copydesk.io.readers import Reader
    from copydesk.runner import Engine, EngineStats
    from copydesk.session import Reporter, RunSummary

MANIFEST = "_copydesk.json"
DEFAULT_PARTITION_BYTES = 8 * 1024 * 1024
MIN_PARTITION_BYTES = 16 * 1024
_SHARD = re.compile(r"^part-(\d{5,})\.")
_LINE_READERS = frozenset({"jsonl"})  # one document per line: a file can be cut at newlines


@dataclass(frozen=True)
class Partition:
    """A piece of a corpus: whole files, or a line-aligned byte range of one file.

    ``byte_range`` (start, end) selects the lines of ``files[0]`` that start in
    that range; ``first_line`` is the number of the first of them, so documents
    without an ``id`` keep the ``path:line`` ids a serial run gives them.
    """

    index: int
    files: tuple[str, ...]
    input_format: str = "auto"
    byte_range: tuple[int, int] | None = None
    first_line: int = 1
    size: int = 0

    def read(
        self, readers: dict[str, Reader], max_chars: int | None = None
    ) -> Iterator[Document | InputError]:
        """The partition's documents (and input errors), read as a serial run reads them
        (``max_chars`` bounds one document, as ``iter_documents`` does)."""
        from copydesk.io.readers import MAX_CHARS

        token = MAX_CHARS.set(max_chars) if max_chars is not None else None
        try:
            yield from self._read(readers)
        finally:
            if token is not None:
                MAX_CHARS.reset(token)

    def _read(self, readers: dict[str, Reader]) -> Iterator[Document | InputError]:
        from copydesk.io.readers import reader_for
        from copydesk.io.sources import read_file

        if self.byte_range is None:
            for name in self.files:
                yield from read_file(Path(name), readers, self.input_format)
            return
        name = self.files[0]
        path = Path(name)
        reader = (
            readers[self.input_format]
            if self.input_format != "auto"
            else reader_for(path, readers) or readers["text"]
        )
        start, end = self.byte_range
        try:
            raw = path.open("rb")
        except OSError as exc:
            yield InputError(name, f"cannot be read ({exc.strerror or exc})")
            return
        with raw:
            raw.seek(start)
            # Blank lines before the range keep the reader's line numbers (and so the
            # ids of documents without one) what they are when the file is read whole.
            stream = io.BufferedReader(_RangeStream(raw, end - start, self.first_line - 1))
            try:
                yield from reader.read(stream, name)
            except OSError as exc:
                yield InputError(name, f"cannot be read ({exc.strerror})")


class _RangeStream(io.RawIOBase):
    """``padding`` newlines, then at most ``length`` bytes of ``raw`` from where it stands."""

    def __init__(self, raw: BinaryIO, length: int, padding: int) -> None:
        self._raw = raw
        self._left = length
        self._padding = padding

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._padding:
            n = min(self._padding, len(view))
            view[:n] = b"\n" * n
            self._padding -= n
            return n
        if self._left <= 0:
            return 0
        data = self._raw.read(min(self._left, len(view)))
        self._left -= len(data)
        view[: len(data)] = data
        return len(data)


@dataclass(frozen=True)
class ShardOutput:
    """Where partitions write: a folder, a sink type name, and the shards' suffix."""

    folder: str
    format: str = "jsonl"
    suffix: str = ".jsonl"

    def path(self, index: int) -> Path:
        return Path(self.folder) / f"part-{index:05d}{self.suffix}"


@dataclass
class PartitionResult:
    """What a worker sends back for one partition: counts and problems, not documents."""

    index: int
    documents: int = 0
    words: int = 0
    failed_documents: int = 0
    input_errors: list[InputError] = field(default_factory=list)
    failures: list[tuple[Document, AnalyzerRun]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duplicate_ids: int = 0  # within the partition (ids are not compared across partitions)
    shard: str | None = None
    seconds: float = 0.0
    stats: EngineStats | None = None
    worker: str = ""
    error: str | None = None  # the partition itself could not be run (its worker kept dying)


class _Collect:
    """A reporter that keeps a partition's problems for the client to report."""

    def __init__(self, result: PartitionResult) -> None:
        self.result = result

    def input_error(self, error: InputError) -> None:
        self.result.input_errors.append(error)

    def analyzer_failed(self, document: Document, run: AnalyzerRun) -> None:
        # The text stays with the worker: the client only reports id and reason.
        light = Document(id=document.id, text=" ", title=document.title)
        self.result.failures.append((light, run))

    def warning(self, message: str) -> None:
        self.result.warnings.append(message)


def run_partition(
    engine: Engine, partition: Partition, output: ShardOutput, *, worker: str = ""
) -> PartitionResult:
    """Read, analyze and write one partition with ``engine`` (serially, in this process).

    The shard is written through the engine's sink type ``output.format``, under a
    temporary name renamed into place at the end; a partition with no document
    writes no shard.
    """
    from copydesk.io.sinks import Output
    from copydesk.rendering import Renderers
    from copydesk.runner import EngineStats
    from copydesk.session import run, run_meta

    started = time.perf_counter()
    result = PartitionResult(partition.index, worker=worker or socket.gethostname())
    sinks = engine.host.sinks()
    if output.format not in sinks:
        msg = f"this worker has no output format {output.format!r} (is the plugin installed?)"
        raise ConfigError(msg)
    path = output.path(partition.index)
    target = Output(path)
    sink = sinks[output.format].factory(target, renderers=Renderers(engine.host.renderers()))
    previous, engine.stats = engine.stats, EngineStats()
    try:
        summary = run(
            partition.read(engine.host.readers(), engine.config.max_chars),
            engine,
            sink,
            "serial",
            reporter=_Collect(result),
            meta=run_meta(engine, partition.files),
        )
        stats = engine.stats
    finally:
        previous.add(engine.stats)
        engine.stats = previous
    if summary.interrupted or summary.error:
        raise RuntimeError(summary.error or "interrupted")  # the partition's error
    result.documents = summary.documents
    result.failed_documents = summary.failed_documents
    result.duplicate_ids = summary.duplicate_ids
    result.words = stats.words
    result.stats = stats
    # Only a shard this attempt wrote counts (an earlier run's file of that name does not).
    result.shard = path.name if target.opened and path.exists() else None
    result.seconds = time.perf_counter() - started
    return result


# -- planning (the client) ------------------------------------------------------------


def plan_partitions(
    inputs: Iterable[str],
    readers: dict[str, Reader],
    input_format: str = "auto",
    *,
    target_bytes: int = DEFAULT_PARTITION_BYTES,
    min_partitions: int = 1,
) -> tuple[list[Partition], list[InputError]]:
    """Cut the inputs into partitions of about ``target_bytes`` (fewer bytes when that
    gives fewer than ``min_partitions``): small files are grouped, large JSONL files
    are cut at line boundaries. Inputs that name nothing come back as errors."""
    from copydesk.io.readers import reader_for
    from copydesk.io.sources import expand

    files: list[tuple[Path, int, bool]] = []
    errors: list[InputError] = []
    for name in inputs:
        if name == "-":
            msg = "standard input cannot be partitioned; give files or folders"
            errors.append(InputError("-", msg))
            continue
        try:
            found = expand(name, readers, input_format)
        except OSError as exc:
            errors.append(InputError(str(exc.filename or name), f"cannot be read ({exc.strerror})"))
            continue
        if found is None:
            errors.append(InputError(name, "no such file or matching file"))
            continue
        if Path(name).is_dir() and not found:
            errors.append(InputError(name, "directory holds no readable files"))
            continue
        for path in found:
            try:
                size = path.stat().st_size
            except OSError:
                size = 0  # read_file reports it in its place
            if input_format != "auto":
                reader_name = input_format
            else:
                reader = reader_for(path, readers)
                reader_name = reader.name if reader is not None else "text"
            files.append((path, size, reader_name in _LINE_READERS))
    total = sum(size for _, size, _ in files)
    # Enough partitions to keep every worker busy, but none too small to be worth a task.
    spread = max(MIN_PARTITION_BYTES, total // max(1, min_partitions) + 1)
    target = max(1, min(target_bytes, spread))
    partitions: list[Partition] = []
    group: list[str] = []
    group_bytes = 0

    def close_group() -> None:
        nonlocal group, group_bytes
        if group:
            partitions.append(
                Partition(len(partitions), tuple(group), input_format, size=group_bytes)
            )
        group, group_bytes = [], 0

    for path, size, splittable in files:
        if splittable and size > target:
            close_group()
            for start, end, first_line in _line_ranges(path, target):
                partitions.append(
                    Partition(
                        len(partitions),
                        (str(path),),
                        input_format,
                        byte_range=(start, end),
                        first_line=first_line,
                        size=end - start,
                    )
                )
            continue
        if group and group_bytes + size > target:
            close_group()
        group.append(str(path))
        group_bytes += size
    close_group()
    return partitions, errors


def _line_ranges(path: Path, target: int) -> list[tuple[int, int, int]]:
    """(start, end, first line number) of line-aligned pieces of about ``target`` bytes."""
    ranges: list[tuple[int, int, int]] = []
    start = position = 0
    line = first = 1
    with path.open("rb") as stream:
        for raw in stream:  # lines as the JSONL reader numbers them
            position += len(raw)
            line += 1
            if position - start >= target:
                ranges.append((start, position, first))
                start, first = position, line
    if position > start:
        ranges.append((start, position, first))
    return ranges


# -- the run (the client) -------------------------------------------------------------


Progress = Callable[[int, int, "RunSummary", int], None]  # (done, total, summary, words)


def run_sharded(
    inputs: Iterable[str],
    engine: Engine,
    folder: str | os.PathLike[str],
    executor: Executor | None = None,
    *,
    format: str = "jsonl",
    input_format: str = "auto",
    reporter: Reporter | None = None,
    progress: Progress | None = None,
    target_bytes: int | None = None,
) -> RunSummary:
    """Analyze ``inputs`` into shards in ``folder``, one per partition, and summarize.

    The executor (default: serial, in this process) runs the partitions; this
    client reports each problem, counts, and at the end removes leftovers of
    killed attempts and of earlier runs, then writes ``_copydesk.json``.
    """
    from copydesk.executors import SerialExecutor
    from copydesk.session import RunSummary, SilentReporter, _signals_end_the_run, run_meta

    reporter = reporter or SilentReporter()
    inputs = list(inputs)
    sink_types = engine.host.sinks()
    if format not in sink_types:
        raise ConfigError(f"--format: unknown format {format!r}")
    sink_type = sink_types[format]
    suffix = sink_type.suffixes[0] if sink_type.suffixes else f".{format}"
    out = Path(folder)
    _prepare_folder(out)
    output = ShardOutput(str(out.resolve()), format, suffix)
    executor = executor or SerialExecutor()
    workers = max(1, getattr(executor, "workers_hint", 0) or executor.jobs or 1)
    partitions, errors = plan_partitions(
        inputs,
        engine.host.readers(),
        input_format,
        target_bytes=target_bytes
        or getattr(executor, "partition_bytes", 0)
        or DEFAULT_PARTITION_BYTES,
        min_partitions=4 * workers,
    )
    summary = RunSummary()
    started = time.perf_counter()
    for error in errors:
        summary.input_errors += 1
        reporter.input_error(error)
    shards: dict[int, str] = {}
    done = words = 0
    keep_all = False
    try:
        with _signals_end_the_run():  # SIGTERM: like Ctrl-C, stop and keep what is complete
            for result in executor.run_partitions(engine, partitions, output):
                done += 1
                if result.error:
                    summary.error = summary.error or f"partition {result.index}: {result.error}"
                    for name in partitions[result.index].files:
                        failed = InputError(name, f"not analyzed: {result.error}")
                        summary.input_errors += 1
                        reporter.input_error(failed)
                    continue
                summary.documents += result.documents
                summary.failed_documents += result.failed_documents
                words += result.words
                for error in result.input_errors:
                    summary.input_errors += 1
                    reporter.input_error(error)
                summary.duplicate_ids += result.duplicate_ids
                for message in result.warnings:
                    reporter.warning(message)
                for document, record in result.failures:
                    summary.analyzer_failures[record.name] = (
                        summary.analyzer_failures.get(record.name, 0) + 1
                    )
                    reporter.analyzer_failed(document, record)
                if result.stats is not None:
                    engine.stats.add(result.stats)
                if result.shard:
                    shards[result.index] = result.shard
                if progress is not None:
                    summary.seconds = time.perf_counter() - started
                    progress(done, len(partitions), summary, words)
    except KeyboardInterrupt:
        summary.interrupted = True
    except CopydeskError as exc:  # e.g. the scheduler was lost: shards so far are kept
        summary.error = str(exc)
        summary.interrupted = False
        keep_all = True
    finally:
        executor.close()
    summary.seconds = time.perf_counter() - started
    _clean_folder(out, set(shards.values()), keep_all=keep_all or summary.interrupted)
    manifest = {
        "meta": run_meta(engine, inputs).as_dict(),
        "summary": summary.as_dict(),
        "words": words,
        "partitions": len(partitions),
        "shards": [shards[i] for i in sorted(shards)],
    }
    tmp = out / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, out / MANIFEST)
    return summary


def _prepare_folder(out: Path) -> None:
    """Create the output folder; refuse one that holds anything but an earlier run's shards."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--output {out}/: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    foreign = [
        p.name
        for p in out.iterdir()
        if p.name not in (MANIFEST, f".{MANIFEST}.tmp")
        and not _SHARD.match(p.name)
        and not _SHARD.match(p.name[1:])
    ]
    if foreign:
        shown = ", ".join(sorted(foreign)[:3])
        msg = (
            f"--output {out}/: the folder holds other files ({shown}); "
            "shards go into an empty folder or one an earlier run wrote"
        )
        raise ConfigError(msg)


def _clean_folder(out: Path, shards: set[str], *, keep_all: bool) -> None:
    """Remove temporary files of killed attempts and (after a full run) stale shards."""
    for path in out.iterdir():
        name = path.name
        if name.startswith(".") and _SHARD.match(name[1:]):
            with contextlib.suppress(OSError):
                path.unlink()  # an attempt that died before renaming its shard
        elif not keep_all and _SHARD.match(name) and name not in shards:
            with contextlib.suppress(OSError):
                path.unlink()  # an earlier run's shard this run did not write
