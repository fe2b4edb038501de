"""What a long run tells the person watching it, on standard error.

:class:`TerminalReporter` is the command line's reporter (the session calls it,
see :class:`copydesk.session.ProgressReporter`):

* each problem on one line as it happens: ``copydesk: error: ...`` for an input
  that could not be read, ``copydesk: warning: ...`` for an analyzer failure or
  a document not in a language the analyzers support, ``copydesk: note: ...``
  for what a reader skipped on purpose;
* a progress bar (tqdm) when standard error is a terminal and ``--quiet`` is
  not given: documents done (of the total, when it is known without reading
  the corpus), words per second, errors so far, and the time left;
* the closing summary line, always: documents, errors, seconds.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from copydesk.errors import InputError, InputNotice
from copydesk.model import AnalyzedDocument, AnalyzerRun, Document, RunStatus

if TYPE_CHECKING:
    from copydesk.io.readers import Reader
    from copydesk.session import RunMeta, RunSummary

# Readers that give exactly one document per file: their files can be counted.
_ONE_PER_FILE = frozenset({"text", "html"})


class LineReporter:
    """Problems on stderr, one line each, as they happen (no bar, no summary)."""

    def __init__(
        self, *, quiet_failures: Iterable[str] = (), stream: IO[str] | None = None
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.quiet_failures = set(quiet_failures)

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def input_error(self, error: InputError) -> None:
        self._line(f"copydesk: error: {error}")

    def notice(self, note: InputNotice) -> None:
        self._line(f"copydesk: note: {note}")

    def warning(self, message: str) -> None:
        self._line(f"copydesk: warning: {message}")

    def analyzer_failed(self, document: Document, run: AnalyzerRun) -> None:
        if run.name not in self.quiet_failures:
            self._line(f"copydesk: warning: {document.id}: {run.name} failed: {run.error}")


class TerminalReporter(LineReporter):
    """Problems on stderr as they happen, a progress bar, and the summary line."""

    def __init__(
        self,
        *,
        quiet_failures: Iterable[str] = (),
        total: int | None = None,
        bar: bool | None = None,
        stream: IO[str] | None = None,
        refresh: float = 0.5,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.quiet_failures = set(quiet_failures)  # analyzers whose setup failed: warned once
        self.total = total
        self.show_bar = bar if bar is not None else _is_terminal(self.stream)
        self._bar: Any = None
        self.refresh = refresh  # seconds between redraws
        self.words = 0
        self.errors = 0

    # -- lines -----------------------------------------------------------------------

    def _line(self, text: str) -> None:
        if self._bar is not None:
            self._bar.write(text, file=self.stream)
        else:
            self.stream.write(text + "\n")
            self.stream.flush()

    # -- progress --------------------------------------------------------------------

    def start(self, meta: RunMeta) -> None:
        if not self.show_bar:
            return
        from tqdm import tqdm

        self._bar = tqdm(
            total=self.total,
            unit="doc",
            file=self.stream,
            dynamic_ncols=True,
            mininterval=self.refresh,
            smoothing=0.1,
            leave=False,
        )

    def advance(self, item: AnalyzedDocument | InputError) -> None:
        if isinstance(item, InputError):
            self.errors += 1
        else:
            self.words += len(item.document.text.split())
            self.errors += not item.ok
            language_warning = not_applicable_line(item)
            if language_warning:
                self._line(language_warning)
        if self._bar is not None:
            elapsed = self._bar.format_dict.get("elapsed") or 0.0
            rate = self.words / elapsed if elapsed > 0 else 0.0
            self._bar.set_postfix_str(f"{rate:,.0f} words/s, {self.errors} errors", refresh=False)
            self._bar.update(1)

    def finish(self, summary: RunSummary) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        self._line(f"copydesk: {summary.line()}")


def not_applicable_line(item: AnalyzedDocument) -> str | None:
    """One warning for a document some analyzers skipped for its language, else None."""
    skipped = [
        r
        for r in item.analyzers
        if r.status is RunStatus.NOT_APPLICABLE and (r.error or "").startswith("text is ")
    ]
    if not skipped:
        return None
    reason = (skipped[0].error or "").split(";")[0]
    names = ", ".join(r.name for r in skipped)
    return f"copydesk: warning: {item.document.id}: {reason}; not analyzed by {names}"


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def estimate_total(
    inputs: Iterable[str], readers: dict[str, Reader], input_format: str = "auto"
) -> int | None:
    """How many documents the inputs hold, when that is cheap to know; else None.

    Files of one-document formats (text, HTML) are counted and Parquet files
    report their row count; a CSV, JSONL, WARC or standard input would have to
    be read through, so their total is unknown (the bar then shows a rate).
    """
    from copydesk.io.readers import reader_for
    from copydesk.io.sources import expand

    total = 0
    for name in inputs:
        if name == "-":
            return None
        if name.lower().startswith(("http://", "https://")):
            total += 1
            continue
        try:
            files = expand(name, readers, input_format) or []
        except OSError:
            continue
        for file in files:
            reader = readers.get(input_format) if input_format != "auto" else None
            reader = reader or reader_for(Path(file), readers)
            kind = reader.name if reader else "text"
            if kind in _ONE_PER_FILE:
                total += 1
            elif kind == "parquet":
                rows = _parquet_rows(Path(file))
                if rows is None:
                    return None
                total += rows
            else:
                return None
    return total


def _parquet_rows(path: Path) -> int | None:
    try:
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    except Exception:  # noqa: BLE001 - unknown; the reader will report the problem
        return None
