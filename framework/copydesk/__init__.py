"""copydesk: plugin-based text analysis for news copy.

The pieces a newcomer looks for first:

* :mod:`copydesk.hookspecs` - every hook a plugin can implement;
* :mod:`copydesk.model` - the shared pydantic document model (the output contract);
* :mod:`copydesk.analyzer` - the :class:`Analyzer` base class and its context;
* :mod:`copydesk.runner` - the :class:`Engine` that plans and runs analyzers;
* :mod:`copydesk.plugins` - loading plugins from entry points.

Importing this package is cheap: spaCy and the analyzers load only when a run
needs them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from copydesk.analyzer import AnalysisContext, Analyzer, Capability, NoSettings, Settings
    from copydesk.errors import ConfigError, CopydeskError, InputError, SelectionError
    from copydesk.executors import Executor, ExecutorType, InFlight, chunk_documents
    from copydesk.frames import to_frames
    from copydesk.hookspecs import (
        RegisterAggregation,
        RegisterAnalyzer,
        RegisterExecutor,
        RegisterFormat,
        RegisterLexiconEntries,
        RegisterReader,
        RegisterRenderer,
        RegisterSink,
        hookimpl,
    )
    from copydesk.io.readers import Reader
    from copydesk.io.sinks import Output, OutputFormat, Sink, SinkType
    from copydesk.io.sources import read
    from copydesk.model import (
        SCHEMA_VERSION,
        AnalyzedDocument,
        AnalyzerRun,
        Document,
        Finding,
        RunStatus,
        Span,
    )
    from copydesk.partitions import Partition, PartitionResult, ShardOutput, run_partition
    from copydesk.plugins import PluginHost, PluginRecord
    from copydesk.rendering import Mark, Renderer
    from copydesk.reporting.model import (
        Aggregation,
        Chart,
        Report,
        ReportTable,
        top_names_query,
    )
    from copydesk.runner import Engine, EngineSpec
    from copydesk.scoring import logistic, weighted_sum
    from copydesk.session import RunMeta, RunSummary
    from copydesk.spans import merge_spans, strip_span, subtract_spans
    from copydesk.string_ids import in_sorted, sorted_ids
    from copydesk.syntax import SUBJECT_DEPS, climb_to_subject, subject_of
    from copydesk.words import WORD_PATTERN, sentence_words

# Public name -> module that defines it. Resolved on first access (PEP 562), so
# `import copydesk.cli` for `copydesk --help` does not pay for pydantic or spaCy.
_LAZY = {
    "AnalysisContext": "copydesk.analyzer",
    "Analyzer": "copydesk.analyzer",
    "Capability": "copydesk.analyzer",
    "NoSettings": "copydesk.analyzer",
    "Settings": "copydesk.analyzer",
    "ConfigError": "copydesk.errors",
    "CopydeskError": "copydesk.errors",
    "SelectionError": "copydesk.errors",
    "InputError": "copydesk.errors",
    "hookimpl": "copydesk.hookspecs",
    "RegisterAggregation": "copydesk.hookspecs",
    "RegisterAnalyzer": "copydesk.hookspecs",
    "Aggregation": "copydesk.reporting.model",
    "top_names_query": "copydesk.reporting.model",
    "Chart": "copydesk.reporting.model",
    "Report": "copydesk.reporting.model",
    "ReportTable": "copydesk.reporting.model",
    "RegisterFormat": "copydesk.hookspecs",
    "RegisterLexiconEntries": "copydesk.hookspecs",
    "RegisterReader": "copydesk.hookspecs",
    "RegisterSink": "copydesk.hookspecs",
    "RegisterExecutor": "copydesk.hookspecs",
    "RegisterRenderer": "copydesk.hookspecs",
    "Reader": "copydesk.io.readers",
    "Sink": "copydesk.io.sinks",
    "SinkType": "copydesk.io.sinks",
    "Output": "copydesk.io.sinks",
    "OutputFormat": "copydesk.io.sinks",
    "Executor": "copydesk.executors",
    "ExecutorType": "copydesk.executors",
    "chunk_documents": "copydesk.executors",
    "InFlight": "copydesk.executors",
    "EngineSpec": "copydesk.runner",
    "Partition": "copydesk.partitions",
    "PartitionResult": "copydesk.partitions",
    "ShardOutput": "copydesk.partitions",
    "run_partition": "copydesk.partitions",
    "Renderer": "copydesk.rendering",
    "Mark": "copydesk.rendering",
    "RunMeta": "copydesk.session",
    "RunSummary": "copydesk.session",
    "read": "copydesk.io.sources",
    "to_frames": "copydesk.frames",
    "SCHEMA_VERSION": "copydesk.model",
    "AnalyzedDocument": "copydesk.model",
    "AnalyzerRun": "copydesk.model",
    "Document": "copydesk.model",
    "Finding": "copydesk.model",
    "RunStatus": "copydesk.model",
    "Span": "copydesk.model",
    "Engine": "copydesk.runner",
    "PluginHost": "copydesk.plugins",
    "PluginRecord": "copydesk.plugins",
    # Helpers for analyzer authors (docs/plugins/helpers.md).
    "logistic": "copydesk.scoring",
    "weighted_sum": "copydesk.scoring",
    "merge_spans": "copydesk.spans",
    "strip_span": "copydesk.spans",
    "subtract_spans": "copydesk.spans",
    "in_sorted": "copydesk.string_ids",
    "sorted_ids": "copydesk.string_ids",
    "SUBJECT_DEPS": "copydesk.syntax",
    "climb_to_subject": "copydesk.syntax",
    "subject_of": "copydesk.syntax",
    "WORD_PATTERN": "copydesk.words",
    "sentence_words": "copydesk.words",
}

__all__ = [
    "SCHEMA_VERSION",
    "SUBJECT_DEPS",
    "WORD_PATTERN",
    "Aggregation",
    "AnalysisContext",
    "AnalyzedDocument",
    "Analyzer",
    "AnalyzerRun",
    "Capability",
    "Chart",
    "ConfigError",
    "CopydeskError",
    "Document",
    "Engine",
    "EngineSpec",
    "Executor",
    "ExecutorType",
    "Finding",
    "InFlight",
    "InputError",
    "Mark",
    "NoSettings",
    "Output",
    "OutputFormat",
    "Partition",
    "PartitionResult",
    "PluginHost",
    "PluginRecord",
    "Reader",
    "RegisterAggregation",
    "RegisterAnalyzer",
    "RegisterExecutor",
    "RegisterFormat",
    "RegisterLexiconEntries",
    "RegisterReader",
    "RegisterRenderer",
    "RegisterSink",
    "Renderer",
    "Report",
    "ReportTable",
    "RunMeta",
    "RunStatus",
    "RunSummary",
    "SelectionError",
    "Settings",
    "ShardOutput",
    "Sink",
    "SinkType",
    "Span",
    "__version__",
    "analyze",
    "chunk_documents",
    "climb_to_subject",
    "get_plugins",
    "hookimpl",
    "in_sorted",
    "logistic",
    "make_plugin_host",
    "merge_spans",
    "read",
    "render_html",
    "report",
    "run",
    "run_partition",
    "sentence_words",
    "sorted_ids",
    "strip_span",
    "subject_of",
    "subtract_spans",
    "to_frames",
    "top_names_query",
    "weighted_sum",
]


def analyze(
    text: str,
    *,
    title: str | None = None,
    doc_id: str = "text",
    analyzers: list[str] | None = None,
    **engine_options: Any,
) -> AnalyzedDocument:
    """Analyze one text and return the analyzed document.

    For many texts build an :class:`Engine` once and call
    :meth:`Engine.analyze_many`, so the spaCy model is loaded only once.
    """
    from copydesk.model import Document
    from copydesk.runner import Engine

    engine = Engine(analyzers=analyzers, **engine_options)
    return engine.analyze(Document(id=doc_id, text=text, title=title))


def run(
    inputs: Iterable[str | os.PathLike[str]] | Iterable[Document],
    output: str | os.PathLike[str] | None = None,
    *,
    format: str | None = None,
    analyzers: list[str] | None = None,
    jobs: int | None = None,
    executor: str | None = None,
    engine: Engine | None = None,
    input_format: str = "auto",
    resume: bool = False,
    **engine_options: Any,
) -> RunSummary:
    """Analyze a corpus the way ``copydesk analyze`` does, from a library.

    ``inputs`` are paths, folders and globs (as on the command line) or
    :class:`Document` objects; ``output`` is a file whose suffix picks the format
    (or ``format``), written safely as the CLI writes it. ``jobs`` > 1 spreads
    the work over processes. ``resume=True`` skips the documents already in
    ``output`` and appends the rest (jsonl, csv, sqlite, parquet). Returns the
    :class:`RunSummary` (counts, exit code).
    """
    from pathlib import Path

    from copydesk.errors import ConfigError
    from copydesk.io.sinks import Output, sink_type_for
    from copydesk.io.sources import iter_documents
    from copydesk.model import Document as DocumentClass
    from copydesk.rendering import Renderers
    from copydesk.runner import Engine as EngineClass
    from copydesk.session import run as run_session

    if engine is None:
        options = dict(engine_options)
        if jobs is not None or executor is not None:
            from copydesk.config import CopydeskConfig

            base = options.pop("config", None) or CopydeskConfig()
            updates = {k: v for k, v in (("jobs", jobs), ("executor", executor)) if v}
            options["config"] = base.model_copy(update=updates)
        engine = EngineClass(analyzers=analyzers, **options)
    items_in = list(inputs) if not isinstance(inputs, str | os.PathLike) else [inputs]
    if items_in and all(isinstance(i, DocumentClass) for i in items_in):
        items: Any = items_in
    else:
        items = iter_documents(
            [i if isinstance(i, str) else os.fspath(i) for i in items_in],  # type: ignore[arg-type]
            engine.host.readers(),
            input_format=input_format,
        )
    sink = None
    skip_ids: set[str] = set()
    if output is not None:
        path = Path(output)
        sinks = engine.host.sinks()
        chosen = sinks.get(format) if format else sink_type_for(path, sinks)
        if chosen is None:
            msg = (
                f"{path}: no output format {format or path.suffix!r} (formats: {', '.join(sinks)})"
            )
            raise ConfigError(msg)
        if resume:
            if chosen.existing_ids is None:
                msg = f"{path}: {chosen.name} output cannot be resumed"
                raise ConfigError(msg)
            if path.exists():
                skip_ids = chosen.existing_ids(path)
        target = Output(path, append=resume)
        sink = chosen.factory(target, renderers=Renderers(engine.host.renderers()))
    return run_session(items, engine, sink, skip_ids=skip_ids)


def render_html(results: Iterable[AnalyzedDocument], *, host: PluginHost | None = None) -> str:
    """The HTML article view of analyzed documents: one self-contained page.

    Findings are shown by the renderers the installed plugins register (or
    ``host``'s); the same page ``copydesk analyze -f html`` writes.
    """
    from copydesk.plugins import make_plugin_host as _make
    from copydesk.rendering import Renderers
    from copydesk.views.html import render_page

    renderers = Renderers((host or _make()).renderers())
    return render_page(results, renderers)


def report(
    results: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    by: Iterable[str] | str = (),
    **options: Any,
) -> Report:
    """Aggregate saved results across documents, as ``copydesk report`` does.

    ``results``: JSONL files, Parquet output folders or SQLite files that
    ``copydesk analyze`` wrote (nothing is analyzed again). ``by``: ``outlet``,
    ``author``, ``section``, ``day``, ``week``, ``month``, ``year`` or any meta
    field, several for a cross grouping. Returns a :class:`Report` whose
    ``tables`` hold the summary (one row per group), the default statistics of
    every metric, and each analyzer's tables. Needs the ``report`` extra (DuckDB).
    """
    from copydesk.reporting import make_report

    return make_report(results, by=by, **options)


def get_plugins(**options: Any) -> list[PluginRecord]:
    """The loaded plugins with their version, distribution, hooks and analyzers."""
    from copydesk.plugins import make_plugin_host

    host = make_plugin_host(**options)
    host.analyzers()  # collect registrations, so records list analyzers and errors
    host.readers()
    host.sinks()
    host.executors()
    host.renderers()
    return host.plugins


def make_plugin_host(**options: Any) -> PluginHost:
    """Build a plugin manager (see :func:`copydesk.plugins.make_plugin_host`)."""
    from copydesk.plugins import make_plugin_host as _make

    return _make(**options)


def __getattr__(name: str) -> Any:
    # Computed lazily (as pluggy does) so importing copydesk reads no metadata.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("copydesk")
        except PackageNotFoundError:  # running from a source tree without install
            return "0+unknown"
    if name in _MOVED:
        return _moved(name)
    module_name = _LAZY.get(name)
    if module_name is None:
        msg = f"module 'copydesk' has no attribute {name!r}"
        raise AttributeError(msg)
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


# Names that moved out of the core, with where they live now. Reading one still
# works, with a DeprecationWarning (once per name), until the next major version.
_MOVED = {
    "EntitiesPayload": "copydesk_entities",
    "Entity": "copydesk_entities",
    "EntityMention": "copydesk_entities",
}


def _moved(name: str) -> Any:
    import importlib
    import warnings

    module = _MOVED[name]
    warnings.warn(
        f"copydesk.{name} moved to the entities plugin: use `from {module} import {name}`",
        DeprecationWarning,
        stacklevel=3,
    )
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # warn once per name
    return value
