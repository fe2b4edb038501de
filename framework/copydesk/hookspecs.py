"""Hook specifications: everything a copydesk plugin can implement.

A plugin is a module (or object) with functions marked ``@copydesk.hookimpl``
whose names match the specifications below. It is found through an entry point
in the ``copydesk`` group of its distribution's ``pyproject.toml``::

    [project.entry-points.copydesk]
    loaded_language = "copydesk_loaded_language"

The registration hooks receive a ``register`` callback rather than returning a
value (the datasette/llm pattern). Why: copydesk calls each plugin's
implementation on its own, so it knows which distribution supplied every
analyzer, reader and format (the provenance stamped on each finding), can report
a duplicate name with both plugins named, and can isolate a plugin that raises
without losing the others. A returned list would lose all three.

Hooks are grouped by phase: registration (called once when the plugin manager is
built), pipeline (called when a run builds its spaCy pipeline) and command line.
Registration order is copydesk's own, not pluggy's: the core first, then plugins
passed in code, then entry points by name; ``tryfirst``/``trylast`` mean nothing
on a ``register_*`` hook and are refused, so no plugin can take over a built-in
name by ordering itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click
    from spacy.language import Language

    from copydesk.analyzer import Analyzer, Capability
    from copydesk.executors import ExecutorType
    from copydesk.io.readers import Reader
    from copydesk.io.sinks import OutputFormat, SinkType
    from copydesk.rendering import Renderer
    from copydesk.reporting.model import Aggregation

hookspec = pluggy.HookspecMarker("copydesk")
hookimpl = pluggy.HookimplMarker("copydesk")

RegisterAnalyzer = Callable[["type[Analyzer[Any]]"], None]
RegisterReader = Callable[["Reader"], None]
RegisterSink = Callable[["SinkType"], None]
RegisterFormat = Callable[["SinkType | OutputFormat"], None]
RegisterExecutor = Callable[["ExecutorType"], None]
RegisterRenderer = Callable[["Renderer"], None]
RegisterLexiconEntries = Callable[[str, Iterable[Any]], None]
RegisterAggregation = Callable[["Aggregation"], None]


# -- registration ----------------------------------------------------------------------


@hookspec
def register_analyzers(register: RegisterAnalyzer) -> None:
    """Register analyzer classes: ``register(HedgingAnalyzer)``.

    The class carries its metadata (``name``, ``version``, ``needs``,
    ``requires``, ``Settings``); the runner instantiates it once per run with
    validated settings. Registering a name another plugin already registered is
    an error that names both plugins.
    """


@hookspec
def register_readers(register: RegisterReader) -> None:
    """Register input readers: ``register(Reader(name="docx", suffixes=(".docx",), read=...))``.

    A reader turns one file into documents (or per-document input errors). The
    reader whose suffix matches a path's suffix is used; ``.txt``, ``.md``,
    ``.json`` and ``.jsonl`` come built in.
    """


@hookspec
def register_sinks(register: RegisterSink) -> None:
    """Register output formats: ``register(SinkType("csv", CsvSink, suffixes=(".csv",)))``.

    A sink gets ``begin(meta)``, ``write(analyzed)`` per document and
    ``end(summary)``, and writes to an :class:`~copydesk.Output` that opens the
    file only when the first result is ready and replaces it atomically.
    ``--format NAME`` or the ``--output`` suffix selects it. ``text``, ``json``
    and ``jsonl`` come built in and cannot be taken over.
    """


@hookspec
def register_output_formats(register: RegisterFormat) -> None:
    """Deprecated name of :func:`register_sinks`; also takes the old ``OutputFormat``."""


@hookspec
def register_executors(register: RegisterExecutor) -> None:
    """Register ways to run: ``register(ExecutorType("dask", DaskExecutor))``.

    An executor maps documents to analyzed documents in order, building its
    engines from the serializable :class:`~copydesk.EngineSpec`. ``serial`` and
    ``processes`` come built in; ``--executor NAME`` chooses one.
    """


@hookspec
def register_renderers(register: RegisterRenderer) -> None:
    """Register how an analyzer's findings are shown to people, per output format.

    ``register(Renderer("loaded_language", render_word, format="text"))``: the
    function returns the line shown for one finding (for ``text``) or an HTML
    fragment (for ``html``: the finding's note in the article view). An ``html``
    renderer may also give ``marks`` (the stretches to highlight, as
    :class:`~copydesk.Mark` objects: an attribution's source, cue and content)
    and ``css`` (rules for its marks, ``mark.m.a-<analyzer>.r-<role>``).
    Without one, a finding is shown by its kind, label and message (and a
    dashed outline in the view), so no sink special-cases an analyzer.
    """


@hookspec
def register_lexicon_entries(register: RegisterLexiconEntries) -> None:
    """Contribute entries to an analyzer's lexicon: ``register("sourcing.outlets", [...])``.

    Analyzers document the lexicon names they read and the shape of an entry
    (the hedging lexicon takes dicts like its data file; ``sourcing.outlets``
    takes outlet names). Entries reach the analyzer as ``self.lexicons[name]``.
    """


@hookspec
def register_aggregations(register: RegisterAggregation) -> None:
    """Register how an analyzer's results add up across documents, for ``copydesk report``.

    ``register(Aggregation("hedging.hedges_per_100_words", '100.0 * sum("hedging.hedges")
    / nullif(sum(words), 0)', needs=("hedging.hedges",)))``: a column of the
    report's summary (one value per group), or with ``table=True`` a table of
    its own. The SQL is DuckDB's, over the report's ``documents``, ``findings``
    and ``linked_names`` views. Every numeric metric also gets default
    statistics (mean, quartiles) without registering anything.
    """


# -- pipeline --------------------------------------------------------------------------


@hookspec
def extend_pipeline(nlp: Language, needs: frozenset[Capability]) -> None:
    """Change the shared spaCy pipeline after copydesk has built it.

    ``needs`` is the union of what the selected analyzers need; a plugin may
    add components, e.g. an ``entity_ruler`` with outlet names before ``ner``
    when ``Capability.NER`` is in ``needs``. Called only for runs that load spaCy.
    """


# -- command line ----------------------------------------------------------------------


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add subcommands to the ``copydesk`` command line: ``cli.add_command(my_command)``."""
