"""Output formats: how analyzed documents are written out.

A format consumes an iterator of analyzed documents and writes as it goes, so a
million-article JSONL run streams instead of holding everything in memory.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TextIO

from copydesk.model import AnalyzedDocument, Finding, RunStatus

WriteFunction = Callable[[Iterable[AnalyzedDocument], TextIO], None]


@dataclass(frozen=True)
class OutputFormat:
    """A named way to write analyzed documents to a text stream."""

    name: str
    write: WriteFunction = field(compare=False)
    description: str = ""


def write_jsonl(results: Iterable[AnalyzedDocument], out: TextIO) -> None:
    """One analyzed document per line."""
    for result in results:
        out.write(result.model_dump_json())
        out.write("\n")
        out.flush()


def write_json(results: Iterable[AnalyzedDocument], out: TextIO) -> None:
    """One document as a JSON object; several as a JSON array (streamed)."""
    first: AnalyzedDocument | None = None
    count = 0
    for result in results:
        count += 1
        if count == 1:
            first = result
            continue
        if count == 2:  # the second document turns the output into an array
            out.write("[\n")
            out.write(_indented(first))
        out.write(",\n")
        out.write(_indented(result))
    if count == 0:
        out.write("[]\n")  # still valid JSON: no document came out
    elif count == 1 and first is not None:
        out.write(first.model_dump_json(indent=2))
        out.write("\n")
    else:
        out.write("\n]\n")


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


def _describe(finding: Finding) -> str:
    parts = [finding.kind]
    if finding.label:
        parts.append(f"[{finding.label}]")
    line = " ".join(parts)
    if finding.message:
        line += f"  {finding.message}"
    return line


def write_text(results: Iterable[AnalyzedDocument], out: TextIO) -> None:
    """For an editor in a terminal: per analyzer, findings with line numbers, then metrics."""
    for result in results:
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
                out.write(f"   L{line}:{col:<4} {_describe(finding)}\n")
                out.write(f"            {_quote(finding.text)}\n")
            metrics = {k: v for k, v in result.metrics.items() if k.startswith(run.name + ".")}
            if metrics:
                out.write("   metrics:\n")
                width = max(len(k) for k in metrics)
                for key, value in metrics.items():
                    shown = f"{value:.2f}" if isinstance(value, float) else str(value)
                    out.write(f"     {key:<{width}}  {shown}\n")
        out.write("\n")
        out.flush()


BUILTIN_FORMATS = (
    OutputFormat("text", write_text, "Findings with line numbers, then metrics (for people)"),
    OutputFormat("json", write_json, "One JSON object, or an array for several documents"),
    OutputFormat("jsonl", write_jsonl, "One JSON object per line (for pipelines)"),
)
