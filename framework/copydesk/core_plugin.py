"""copydesk's essential plugin: the built-in readers, sinks and executors.

It is registered before any other plugin and cannot be blocked, the way
pytest's essential plugins cannot: without a reader or a format nothing works,
including the commands one would use to diagnose a broken plugin. Being first
in copydesk's registration order, its names (text, json, jsonl, serial,
processes, ...) cannot be taken over by a third party.
"""

from __future__ import annotations

from copydesk.executors import BUILTIN_EXECUTORS
from copydesk.hookspecs import RegisterExecutor, RegisterReader, RegisterSink, hookimpl
from copydesk.io import csv_sink, html, parquet_sink, sqlite_sink, tabular, warc
from copydesk.io.readers import BUILTIN_READERS
from copydesk.io.sinks import BUILTIN_SINKS, Output, Sink, SinkType
from copydesk.rendering import Renderers

# The corpus readers and table sinks import their libraries (pyarrow,
# trafilatura, warcio: the ``copydesk[corpus]`` extra) only when they run.
CORPUS_READERS = (*tabular.READERS, *html.READERS, *warc.READERS)
TABLE_SINKS = (csv_sink.SINK, parquet_sink.SINK, sqlite_sink.SINK)


@hookimpl
def register_readers(register: RegisterReader) -> None:
    for reader in (*BUILTIN_READERS, *CORPUS_READERS):
        register(reader)


@hookimpl
def register_sinks(register: RegisterSink) -> None:
    for sink_type in (*BUILTIN_SINKS, *TABLE_SINKS):
        register(sink_type)
    register(
        SinkType(
            "html",
            _html_sink,
            (".html", ".htm"),
            False,
            "The article with findings marked in place; one self-contained page (for editors)",
        )
    )


def _html_sink(output: Output, renderers: Renderers | None = None) -> Sink:
    from copydesk.views.html import HtmlSink  # the view's code loads only when chosen

    return HtmlSink(output, renderers)


@hookimpl
def register_executors(register: RegisterExecutor) -> None:
    for executor_type in BUILTIN_EXECUTORS:
        register(executor_type)
