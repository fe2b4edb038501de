"""What the corpus readers (CSV/TSV, Parquet, HTML, WARC, URLs) share.

* :class:`ReadOptions`: which columns hold the id, text and title (``--text-column``
  ...), and whether the headline is put in front of the text to be analyzed;
* :func:`configure`: the readers of a run with those options bound in (readers
  are registered once per plugin host; options belong to a run);
* :func:`with_headline`: the one way a headline becomes part of the analyzed
  text, so findings in it can be told from the body's;
* :func:`require`: the lazy import of an optional library, with a one-line
  message naming the ``copydesk[corpus]`` extra when it is missing.

The headline convention: when a corpus reader finds a headline, the document's
``text`` is the headline, a blank line, then the body, ``title`` holds the
headline too, and ``meta["body_start"]`` is the offset where the body begins.
A finding with ``start < meta["body_start"]`` is in the headline; the CSV,
Parquet and SQLite findings tables say so in their ``part`` column
(``title`` or ``body``).
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import inspect
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from copydesk.errors import CopydeskError
from copydesk.io.readers import Reader
from copydesk.model import Document

EXTRA = "corpus"
BODY_START = "body_start"


class MissingExtra(CopydeskError):
    """An optional library a reader or sink needs is not installed."""


@dataclass(frozen=True)
class ReadOptions:
    """Per-run options of the corpus readers (``None`` columns: found by name)."""

    text_column: str | None = None
    id_column: str | None = None
    title_column: str | None = None
    headline: bool = True  # put the headline in front of the analyzed text


DEFAULT_OPTIONS = ReadOptions()


def configure(readers: dict[str, Reader], options: ReadOptions) -> dict[str, Reader]:
    """The readers with ``options`` bound into those that take them (others as they are)."""
    if options == DEFAULT_OPTIONS:
        return readers
    configured = {}
    for name, reader in readers.items():
        if "options" in inspect.signature(reader.read).parameters:
            read: Any = reader.read
            bound = functools.partial(read, options=options)
            reader = dataclasses.replace(reader, read=bound)
        configured[name] = reader
    return configured


def with_headline(
    doc_id: str, body: str, title: str | None, meta: dict[str, Any], options: ReadOptions
) -> Document:
    """A document whose text starts with its headline (see the module notes)."""
    title = " ".join(title.split()) if title else None
    if title and options.headline:
        meta = {**meta, BODY_START: len(title) + 2}
        return Document(id=doc_id, text=f"{title}\n\n{body}", title=title, meta=meta)
    return Document(id=doc_id, text=body, title=title, meta=meta)


def finding_part(start: int, meta: dict[str, Any]) -> str:
    """``title`` for a finding starting in the headline, else ``body``."""
    body_start = meta.get(BODY_START)
    return "title" if isinstance(body_start, int) and start < body_start else "body"


def require(module: str, what: str) -> ModuleType:
    """Import ``module`` or raise :class:`MissingExtra` with the install line."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.split(".")[0]
        msg = f"{what} needs {package}, which is not installed: pip install 'copydesk[{EXTRA}]'"
        raise MissingExtra(msg) from None
