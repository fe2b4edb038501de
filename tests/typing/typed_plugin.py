"""A third-party plugin written exactly as docs/plugins/tutorial.md shows, for mypy.

``make typecheck`` checks this file with ``--strict`` against the public names of
``copydesk``: if a hook's callback type, the Analyzer base class, Settings or the
sink, executor and renderer types change shape, this file stops type-checking.
It is not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pydantic import BaseModel, Field

import copydesk
from copydesk import (
    AnalysisContext,
    AnalyzedDocument,
    Analyzer,
    Document,
    Engine,
    Executor,
    ExecutorType,
    Finding,
    InputError,
    RegisterAnalyzer,
    RegisterExecutor,
    RegisterRenderer,
    RegisterSink,
    Renderer,
    RunMeta,
    RunSummary,
    Settings,
    Sink,
    SinkType,
    hookimpl,
)


class ExclamationSettings(Settings):
    """Options; Settings refuses unknown keys."""

    min_marks: int = Field(default=1, ge=1, description="Marks in a row that count.")


class Exclamation(BaseModel):
    """The typed data of an ``exclamation`` finding, exported for consumers."""

    marks: int


class ExclamationsAnalyzer(Analyzer[ExclamationSettings]):
    name = "exclamations"
    version = "1"
    description = "Exclamation marks in the reporter's copy."
    finding_data = {"exclamation": Exclamation}  # noqa: RUF012 - class metadata
    Settings = ExclamationSettings

    def analyze(self, ctx: AnalysisContext) -> None:
        run = 0
        for index, char in enumerate(ctx.text):
            run = run + 1 if char == "!" else 0
            if run == self.settings.min_marks:
                start = index - run + 1
                ctx.add_finding("exclamation", start, index + 1, data=Exclamation(marks=run))
        ctx.set_metric("count", len(ctx.new_findings))


class CountSink(Sink):
    def begin(self, meta: RunMeta) -> None:
        self.output.text().write(f"# {','.join(meta.analyzers)}\n")

    def write(self, analyzed: AnalyzedDocument) -> None:
        self.output.text().write(f"{analyzed.document.id}\t{len(analyzed.findings)}\n")

    def end(self, summary: RunSummary) -> None:
        self.output.text().write(f"# {summary.documents} documents\n")


class InlineExecutor(Executor):
    name = "inline"

    def run(
        self, engine: Engine, items: Iterable[Document | InputError]
    ) -> Iterator[AnalyzedDocument | InputError]:
        return engine.spec().build().analyze_many(items)


def show(finding: Finding) -> str:
    return f"{finding.text} ({finding.data['marks']} marks)"


@hookimpl
def register_analyzers(register: RegisterAnalyzer) -> None:
    register(ExclamationsAnalyzer)


@hookimpl
def register_sinks(register: RegisterSink) -> None:
    register(SinkType("counts", CountSink, suffixes=(".counts",)))


@hookimpl
def register_executors(register: RegisterExecutor) -> None:
    register(ExecutorType("inline", InlineExecutor))


@hookimpl
def register_renderers(register: RegisterRenderer) -> None:
    register(Renderer("exclamations", show))


def use_as_a_library() -> int:
    summary = copydesk.run(["copy/"], "out.jsonl", analyzers=["exclamations"], jobs=2)
    for item in copydesk.read("more/*.txt"):
        if isinstance(item, Document):
            print(item.id)
    return summary.exit_code
