"""A run: sources in, engine (through an executor), sink out, and its summary.

The command line only turns options into these objects and calls :func:`run`;
``copydesk.run(...)`` is the same call for a library user. The session owns what
every front end needs the same way:

* counting documents, input errors and failed documents, and the exit status
  (0 ok, 1 some analyzer failed, 2 some input could not be read, 130 interrupted);
* reporting each problem once, as it happens, through a :class:`Reporter`;
* signals: Ctrl-C and SIGTERM end the run cleanly: the documents completed so
  far are written, the sink ends with a summary, worker processes stop;
* the sink's safety: the output is committed only if something was written or
  nothing went wrong, so a run whose inputs all fail leaves old results alone;
  a write error (a full disk) keeps what the format can keep and ends the run;
* plugin output: ``print()`` in plugin code goes to standard error, never into
  the results on standard output.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Collection, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Protocol

from copydesk.errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    CopydeskError,
    InputError,
    InputNotice,
)
from copydesk.model import AnalyzedDocument, AnalyzerRun, Document, RunStatus

if TYPE_CHECKING:
    from copydesk.executors import Executor
    from copydesk.io.sinks import Sink
    from copydesk.runner import Engine


@dataclass
class RunMeta:
    """What a sink may record about the run before the first document."""

    started: str
    copydesk_version: str
    analyzers: list[str]
    model: str | None
    inputs: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RunSummary:
    """How a run went: counts, time, and why it stopped early if it did."""

    documents: int = 0
    input_errors: int = 0
    failed_documents: int = 0
    analyzer_failures: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    duplicate_ids: int = 0
    interrupted: bool = False
    error: str | None = None
    reader_left: bool = False  # standard output was closed (``| head``): not an error
    notices: int = 0  # things readers skipped on purpose (a web archive's images)
    resumed: int = 0  # documents already in the output (--resume), not analyzed again

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return EXIT_INTERRUPTED
        if self.error or self.input_errors:
            return EXIT_USAGE
        return EXIT_PARTIAL if self.failed_documents else EXIT_OK

    @property
    def inputs(self) -> int:
        return self.documents + self.input_errors

    def line(self) -> str:
        """The closing line: what was done, what went wrong, how long it took."""
        parts = [f"{self.documents} document{'s' if self.documents != 1 else ''}"]
        if self.input_errors:
            parts.append(f"{self.input_errors} of {self.inputs} inputs could not be read")
        if self.failed_documents:
            parts.append(f"{self.failed_documents} with analyzer errors")
        if self.resumed:
            parts.append(f"{self.resumed} skipped as already in the output")
        line = ", ".join(parts) + f" in {self.seconds:.1f} s"
        if self.interrupted:
            line = f"interrupted: {line} written"
        return line

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["exit_code"] = self.exit_code
        return data


class Reporter(Protocol):
    """Receives a run's problems as they happen (the CLI prints them to stderr)."""

    def input_error(self, error: InputError) -> None: ...

    def analyzer_failed(self, document: Document, run: AnalyzerRun) -> None: ...

    def warning(self, message: str) -> None: ...


class ProgressReporter(Reporter, Protocol):
    """A reporter that also follows progress (the CLI's progress bar).

    ``start(meta)`` before the first document, ``advance(item)`` after each
    document or input error, ``notice(note)`` for what a reader skipped on
    purpose (not an error), ``finish(summary)`` at the end. The session calls
    these on any reporter that has them.
    """

    def start(self, meta: RunMeta) -> None: ...

    def advance(self, item: AnalyzedDocument | InputError) -> None: ...

    def notice(self, note: InputNotice) -> None: ...

    def finish(self, summary: RunSummary) -> None: ...


class SilentReporter:
    """The library default: problems are counted in the summary and nothing is printed."""

    def input_error(self, error: InputError) -> None:
        pass

    def analyzer_failed(self, document: Document, run: AnalyzerRun) -> None:
        pass

    def warning(self, message: str) -> None:
        pass


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: finish writing, then stop."""


@contextlib.contextmanager
def _signals_end_the_run() -> Iterator[None]:
    """Turn SIGTERM into an interruption (main thread only; elsewhere nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_term(signum: int, frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_meta(engine: Engine, inputs: Iterable[str] = ()) -> RunMeta:
    from copydesk import __version__

    return RunMeta(
        started=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        copydesk_version=str(__version__),
        analyzers=engine.analyzer_names,
        model=engine.config.model if engine.plan.needs else None,
        inputs=list(inputs),
    )


def run(
    items: Iterable[Document | InputError],
    engine: Engine,
    sink: Sink | None = None,
    executor: Executor | str | None = None,
    *,
    reporter: Reporter | None = None,
    meta: RunMeta | None = None,
    collect: list[AnalyzedDocument] | None = None,
    skip_ids: Collection[str] = (),
) -> RunSummary:
    """Analyze ``items`` with ``engine`` and write each result to ``sink``.

    Returns the :class:`RunSummary`; never raises for a bad document or a failing
    analyzer. ``collect``, if given, receives every analyzed document too (for a
    library caller who wants them in memory). Ctrl-C or SIGTERM during the run
    ends it with ``summary.interrupted`` set and the output kept. Documents
    whose id is in ``skip_ids`` (``--resume``: already in the output) are not
    analyzed; ``summary.resumed`` counts them.
    """
    reporter = reporter or SilentReporter()
    meta = meta or run_meta(engine)
    advance = getattr(reporter, "advance", None)
    notice = getattr(reporter, "notice", None)
    summary = RunSummary()
    if skip_ids:
        items = _skipping(items, skip_ids, summary)
    started = time.perf_counter()
    wrote = False
    sink_failed = False
    seen_ids: set[int] = set()  # hashes, not strings: flat memory over a million ids
    with _signals_end_the_run(), contextlib.redirect_stdout(sys.stderr):
        try:
            if hasattr(reporter, "start"):
                reporter.start(meta)
            if sink is not None:
                sink.begin(meta)
            for item in engine.analyze_many(items, executor=executor):
                if isinstance(item, InputNotice):
                    summary.notices += 1
                    if notice is not None:
                        notice(item)
                    continue
                if isinstance(item, InputError):
                    summary.input_errors += 1
                    reporter.input_error(item)
                    if advance is not None:
                        advance(item)
                    continue
                summary.documents += 1
                key = hash(item.document.id)
                if key in seen_ids:
                    summary.duplicate_ids += 1
                    reporter.warning(
                        f"{item.document.id}: duplicate id (an earlier document has it)"
                    )
                seen_ids.add(key)
                failed = False
                for record in item.analyzers:
                    if record.status is RunStatus.FAILED:
                        failed = True
                        summary.analyzer_failures[record.name] = (
                            summary.analyzer_failures.get(record.name, 0) + 1
                        )
                        reporter.analyzer_failed(item.document, record)
                summary.failed_documents += failed
                if collect is not None:
                    collect.append(item)
                if sink is not None:
                    try:
                        sink.write(item)
                    except BrokenPipeError:
                        summary.reader_left = True
                        break
                    except OSError as exc:
                        summary.error = f"{sink.output.name}: cannot write ({exc.strerror or exc})"
                        sink_failed = True
                        break
                    wrote = True
                if advance is not None:
                    advance(item)
        except KeyboardInterrupt:
            summary.interrupted = True
        except CopydeskError as exc:  # e.g. an executor that lost its cluster: one line
            summary.error = str(exc)
        summary.seconds = time.perf_counter() - started
        if sink is not None:
            _finish(sink, summary, wrote=wrote, failed=sink_failed)
        if hasattr(reporter, "finish"):
            reporter.finish(summary)
    return summary


def _skipping(
    items: Iterable[Document | InputError], done: Collection[str], summary: RunSummary
) -> Iterator[Document | InputError]:
    for item in items:
        if isinstance(item, Document) and item.id in done:
            summary.resumed += 1
            continue
        yield item


def _finish(sink: Sink, summary: RunSummary, *, wrote: bool, failed: bool) -> None:
    """End the sink: commit its output, or keep the previous output untouched."""
    if summary.reader_left:
        return
    if failed:
        sink.abort()
        return
    if not wrote and summary.input_errors and not summary.documents:
        sink.close(ok=False)  # every input failed: do not replace earlier results
        return
    try:
        sink.end(summary)
        sink.close(ok=True)
    except BrokenPipeError:
        summary.reader_left = True
    except OSError as exc:
        summary.error = f"{sink.output.name}: cannot write ({exc.strerror or exc})"
        sink.abort()
