"""Sinks: where analyzed documents go, one at a time, as a run produces them.

A sink has three calls: ``begin(meta)`` once before the first document (run
metadata: analyzers, model, inputs), ``write(analyzed)`` per document, and
``end(summary)`` once at the end (counts, interruption). It writes to an
:class:`Output`, which owns the safety every format needs:

* the target file is opened only when the sink first writes, so a run whose
  inputs all fail (a typo in a path) never touches the previous results;
* a file is written under a temporary name beside the target and renamed over
  it at :meth:`Output.commit`, so an interrupted or failed run leaves either the
  old file or a complete new one, never a torn one;
* a sink that can stop at a document boundary (JSONL) marks each complete
  document, and on a write error (a full disk) the output is cut back to the
  last mark and kept.

Sink types are registered through the ``register_sinks`` hook; text, json and
jsonl are the core's own. A sink type says whether it writes bytes or text and
which suffixes select it from ``--output``.
"""

from __future__ import annotations

import bisect
import contextlib
import io
import os
import sys
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, TextIO

from copydesk.model import AnalyzedDocument, RunStatus
from copydesk.rendering import Renderers

if TYPE_CHECKING:
    from copydesk.session import RunMeta, RunSummary


class Output:
    """A sink's destination: standard output or a file replaced atomically.

    ``text()`` and ``binary()`` open it on first use. For a file, what is written
    goes to a temporary file in the same folder until :meth:`commit` renames it
    over the target; :meth:`discard` removes it and leaves the target untouched.
    """

    def __init__(
        self, path: Path | None = None, stream: IO[Any] | None = None, *, append: bool = False
    ) -> None:
        self.path = path
        # Append mode (``--resume``): the file is opened at the first write, in
        # place, and only added to; a failure cuts it back to the last complete
        # document, never below the size it had before the run.
        self.append = append and path is not None
        # Standard output is taken now: during a run sys.stdout points to stderr,
        # so that a plugin's print() cannot reach the results.
        self._stream = stream if stream is not None or path is not None else sys.stdout
        self._tmp: Path | None = None
        self._file: BinaryIO | None = None
        self._text: TextIO | None = None
        self._mark = 0
        self._direct = False
        self.opened = False

    @property
    def name(self) -> str:
        return str(self.path) if self.path is not None else "<stdout>"

    def binary(self) -> BinaryIO:
        """The byte stream (opened now if it was not)."""
        if self._file is None:
            self.opened = True
            if self.path is None:
                stream = self._stream if self._stream is not None else sys.stdout
                buffer = getattr(stream, "buffer", stream)
                self._file = buffer  # type: ignore[assignment]
            elif self.path.exists() and not self.path.is_file():
                # A device or a pipe (/dev/full, a FIFO): written in place, never
                # replaced by a rename, which would swap out the device itself.
                self._file = self.path.open("wb")
                self._direct = True
            elif self.append:
                self._file = self.path.open("ab")
                self._mark = self._file.tell()
            else:
                folder = self.path.resolve().parent
                fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=folder)
                # mkstemp makes the file private (0600); give it the mode the target
                # has, or the one a newly created file would get (0666 less umask).
                os.fchmod(fd, _mode_for(self.path))
                self._tmp = Path(tmp)
                self._file = os.fdopen(fd, "wb")
        assert self._file is not None
        return self._file

    def text(self) -> TextIO:
        """A UTF-8 text stream over :meth:`binary` (standard output as it is)."""
        if self._text is None:
            if self.path is None:
                stream = self._stream if self._stream is not None else sys.stdout
                if isinstance(stream, io.TextIOBase):
                    self.opened = True
                    self._text = stream  # type: ignore[assignment]
                    return stream  # type: ignore[return-value]
            self._text = io.TextIOWrapper(self.binary(), encoding="utf-8", newline="")
        assert self._text is not None
        return self._text

    def flush(self) -> None:
        if self._text is not None:
            self._text.flush()
        if self._file is not None:
            self._file.flush()

    def temporary_path(self) -> Path:
        """For a sink that writes its own file (SQLite): where to write it.

        A new temporary file beside the target, renamed over it by :meth:`commit`;
        in append mode the target itself. Counts as opening the output.
        """
        assert self.path is not None, "a file sink needs a path, not standard output"
        self.opened = True
        if self.append:
            return self.path
        if self._tmp is None:
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.resolve().parent)
            os.close(fd)
            self._tmp = Path(tmp)
        return self._tmp

    def mark(self) -> None:
        """Record that everything written so far is a complete document."""
        if self._tmp is not None or (self.append and self._file is not None):
            self.flush()
            assert self._file is not None
            self._mark = self._file.tell()

    def cut_to_mark(self) -> None:
        """Drop a torn last document (after a write error), keeping the complete ones."""
        target = self._tmp if self._tmp is not None else self.path if self.append else None
        if target is not None and self._file is not None:
            with contextlib.suppress(OSError, ValueError):
                self._file.flush()
            with contextlib.suppress(OSError, ValueError):
                os.truncate(target, self._mark)

    def commit(self) -> None:
        """Finish: flush, and for a file rename the temporary file over the target."""
        if self.path is None:
            if self.opened:
                self.flush()
            return
        if self._direct:
            try:
                self.flush()
            finally:
                self._close()
            return
        if self._tmp is None:
            if self.append:
                try:
                    self.flush()
                finally:
                    self._close()
            return
        try:
            self.flush()
        finally:
            self._close()
        os.replace(self._tmp, self.path)
        self._tmp = None

    def discard(self) -> None:
        """Abandon what was written; a file target keeps its previous content."""
        if self.append and self._file is not None:
            self.cut_to_mark()  # appended documents that were complete stay
        self._close()
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                self._tmp.unlink()
            self._tmp = None

    def _close(self) -> None:
        if self.path is None:
            return
        with contextlib.suppress(OSError, ValueError):
            if self._text is not None:
                self._text.close()
            elif self._file is not None:
                self._file.close()


def _mode_for(path: Path) -> int:
    """The permission bits a replacement of ``path`` should have."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask, read without changing it where the system allows."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    umask = os.umask(0o022)  # elsewhere: set and restore at once
    os.umask(umask)
    return umask


class Sink(ABC):
    """Writes analyzed documents to an :class:`Output` as they come.

    ``renderers`` says how each analyzer wants its findings shown to people
    (for sinks that show findings: text, HTML); data sinks ignore it.
    """

    def __init__(self, output: Output, renderers: Renderers | None = None) -> None:
        self.output = output
        self.renderers = renderers or Renderers()

    def begin(self, meta: RunMeta) -> None:  # noqa: B027 - optional for a sink
        """Called once before the first document, with the run's metadata."""

    @abstractmethod
    def write(self, analyzed: AnalyzedDocument) -> None:
        """Write one analyzed document."""

    def end(self, summary: RunSummary) -> None:  # noqa: B027 - optional for a sink
        """Called once after the last document (also after an interruption)."""

    def close(self, ok: bool = True) -> None:
        """Commit the output (``ok``) or discard it; the session calls this last."""
        if ok:
            self.output.commit()
        else:
            self.output.discard()

    def abort(self) -> None:
        """After a write error: keep what is whole if the format allows, else discard."""
        self.output.discard()


SinkFactory = Callable[..., Sink]  # (output, renderers=...) -> Sink; a Sink subclass fits


@dataclass(frozen=True)
class SinkType:
    """A named output format: how to make its sink, and which suffixes select it."""

    name: str
    factory: SinkFactory = field(compare=False)
    suffixes: tuple[str, ...] = ()
    binary: bool = False
    description: str = ""
    # For --resume: the ids of the documents a previous run completed in this
    # output (and the output made ready to be appended to); None: cannot resume.
    existing_ids: Callable[[Path], set[str]] | None = field(default=None, compare=False)


class JsonlSink(Sink):
    """One analyzed document per line; every complete line survives a failure."""

    def write(self, analyzed: AnalyzedDocument) -> None:
        out = self.output.text()
        out.write(analyzed.model_dump_json())
        out.write("\n")
        out.flush()
        self.output.mark()

    def abort(self) -> None:
        self.output.cut_to_mark()
        self.output.commit()


class JsonSink(Sink):
    """One document as a JSON object; several as a JSON array (streamed)."""

    def __init__(self, output: Output, renderers: Renderers | None = None) -> None:
        super().__init__(output, renderers)
        self.first: AnalyzedDocument | None = None
        self.count = 0

    def write(self, analyzed: AnalyzedDocument) -> None:
        self.count += 1
        if self.count == 1:
            self.first = analyzed  # one document is an object, not an array
            return
        out = self.output.text()
        if self.count == 2:
            out.write("[\n")
            out.write(_indented(self.first))
            self.first = None
        out.write(",\n")
        out.write(_indented(analyzed))
        out.flush()

    def end(self, summary: RunSummary) -> None:
        out = self.output.text()
        if self.count == 0:
            out.write("[]\n")  # still valid JSON: no document came out
        elif self.count == 1 and self.first is not None:
            out.write(self.first.model_dump_json(indent=2))
            out.write("\n")
        else:
            out.write("\n]\n")
        out.flush()


def _indented(result: AnalyzedDocument | None) -> str:
    """One array element: the document's JSON indented one level."""
    assert result is not None
    return "\n".join("  " + line for line in result.model_dump_json(indent=2).splitlines())


class _LineIndex:
    """Maps character offsets to 1-based line and column numbers."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def locate(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def _quote(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "\u2026"
    return f'"{flat}"'


class TextSink(Sink):
    """For an editor in a terminal: per analyzer, findings with line numbers, then metrics."""

    def write(self, analyzed: AnalyzedDocument) -> None:
        out = self.output.text()
        write_text_report(analyzed, out, self.renderers)
        out.flush()
        self.output.mark()


def write_text_report(
    result: AnalyzedDocument, out: TextIO, renderers: Renderers | None = None
) -> None:
    """One document as the terminal report (``--format text``)."""
    renderers = renderers or Renderers()
    doc = result.document
    words = len(doc.text.split())
    header = f"== {doc.id}  ({words} words)"
    if doc.title:
        header += f"  \u2014 {doc.title}"
    out.write(header + "\n")
    lines = _LineIndex(doc.text)
    for run in result.analyzers:
        status = "" if run.status is RunStatus.OK else f"  {run.status.value.upper()}"
        out.write(f"\n-- {run.name} ({run.version}, {run.seconds:.3f} s){status}\n")
        if run.error:
            out.write(f"   error: {run.error}\n")
        for finding in result.findings_of(analyzer=run.name):
            line, col = lines.locate(finding.start)
            out.write(f"   L{line}:{col:<4} {renderers.text(finding)}\n")
            out.write(f"            {_quote(finding.text)}\n")
        metrics = {k: v for k, v in result.metrics.items() if k.startswith(run.name + ".")}
        if metrics:
            out.write("   metrics:\n")
            width = max(len(k) for k in metrics)
            for key, value in metrics.items():
                shown = f"{value:.2f}" if isinstance(value, float) else str(value)
                out.write(f"     {key:<{width}}  {shown}\n")
    out.write("\n")


# -- the previous output-format API, kept working ---------------------------------------

WriteFunction = Callable[[Iterable[AnalyzedDocument], TextIO], None]


@dataclass(frozen=True)
class OutputFormat:
    """Deprecated: a write function over all documents. Register a :class:`SinkType`.

    Still accepted by ``register_sinks``; its documents are collected and passed
    to ``write`` at the end of the run, so it holds the run in memory.
    """

    name: str
    write: WriteFunction = field(compare=False)
    description: str = ""

    def as_sink_type(self) -> SinkType:
        def factory(output: Output, renderers: Renderers | None = None) -> Sink:
            return _CollectingSink(output, self.write)

        return SinkType(self.name, factory, (), False, self.description)


class _CollectingSink(Sink):
    def __init__(self, output: Output, write: WriteFunction) -> None:
        super().__init__(output)
        self._write = write
        self._documents: list[AnalyzedDocument] = []

    def write(self, analyzed: AnalyzedDocument) -> None:
        self._documents.append(analyzed)

    def end(self, summary: RunSummary) -> None:
        self._write(self._documents, self.output.text())


def jsonl_existing_ids(path: Path) -> set[str]:
    """Ids of the complete lines of a JSONL output; a torn last line is cut off."""
    import json

    ids: set[str] = set()
    good = 0
    with path.open("rb") as stream:
        for line in stream:
            if not line.endswith(b"\n"):
                break  # the last line of a run that crashed mid-write
            good += len(line)
            try:
                ids.add(str(json.loads(line)["document"]["id"]))
            except (ValueError, KeyError, TypeError):
                continue  # not a result line: left as it is, its document done again
    if good < path.stat().st_size:
        os.truncate(path, good)
    return ids


BUILTIN_SINKS = (
    SinkType(
        "text", TextSink, (".txt",), False, "Findings with line numbers, then metrics (for people)"
    ),
    SinkType("json", JsonSink, (".json",), False, "One JSON object, or an array for several"),
    SinkType(
        "jsonl",
        JsonlSink,
        (".jsonl", ".ndjson"),
        False,
        "One JSON object per line (pipelines)",
        existing_ids=jsonl_existing_ids,
    ),
)


def sink_type_for(path: Path, types: dict[str, SinkType]) -> SinkType | None:
    """The sink type whose suffixes include the path's suffix."""
    suffix = path.suffix.lower()
    return next((t for t in types.values() if suffix in t.suffixes), None)
