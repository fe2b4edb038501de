"""copydesk's essential plugin: the built-in input readers and output formats.

It is registered before any other plugin and cannot be blocked, the way
pytest's essential plugins cannot: without a reader or a format nothing works,
including the commands one would use to diagnose a broken plugin.
"""

from __future__ import annotations

from copydesk.formats import BUILTIN_FORMATS
from copydesk.hookspecs import RegisterFormat, RegisterReader, hookimpl
from copydesk.readers import BUILTIN_READERS


@hookimpl
def register_readers(register: RegisterReader) -> None:
    for reader in BUILTIN_READERS:
        register(reader)


@hookimpl
def register_output_formats(register: RegisterFormat) -> None:
    for output_format in BUILTIN_FORMATS:
        register(output_format)
