"""Saved news pages (``.html``, ``.htm``): the article, not the page.

trafilatura finds the article body and drops what surrounds it (menus, related
links, comments, footers), and reads the headline, byline, date, site name and
URL from the page's markup and metadata. The headline becomes the document's
``title`` (and, by the corpus convention, the start of its text: see
:mod:`copydesk.io.corpus`); the rest goes into ``meta`` as ``byline``, ``date``,
``site``, ``url`` and ``description`` when present. A page with no article text
(an index page, an error page, an empty shell) is one input error.

:func:`extract_article` is shared with the WARC and URL readers.
"""

from __future__ import annotations

import logging
from typing import Any, BinaryIO

from copydesk.errors import InputError
from copydesk.io.corpus import DEFAULT_OPTIONS, MissingExtra, ReadOptions, require, with_headline
from copydesk.io.readers import Reader, ReadResult
from copydesk.model import Document

MAX_HTML_BYTES = 50 * 1024 * 1024
_META_FIELDS = (
    ("author", "byline"),
    ("date", "date"),
    ("sitename", "site"),
    ("url", "url"),
    ("description", "description"),
)


def extract_article(
    raw: bytes,
    doc_id: str,
    *,
    url: str | None = None,
    options: ReadOptions = DEFAULT_OPTIONS,
    meta: dict[str, Any] | None = None,
) -> Document | InputError:
    """The article in an HTML page, as a document (or why there is none)."""
    try:
        trafilatura = require("trafilatura", "reading HTML")
    except MissingExtra as exc:
        return InputError(doc_id, str(exc))
    if not raw.strip():
        return InputError(doc_id, "is empty (no HTML)")
    if len(raw) > MAX_HTML_BYTES:
        return InputError(doc_id, f"is too large ({len(raw):,} bytes of HTML)")
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its own chatter is noise here
    try:
        page = trafilatura.bare_extraction(
            raw,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_precision=True,
            deduplicate=False,
        )
    except Exception as exc:  # noqa: BLE001 - a parser failure is this page's problem only
        return InputError(doc_id, f"HTML could not be parsed ({type(exc).__name__}: {exc})")
    fields: dict[str, Any] = page.as_dict() if page is not None else {}
    body = (fields.get("text") or "").strip()
    title = (fields.get("title") or "").strip() or None
    if title and body.startswith(title):  # the page's own <h1> repeated as the first line
        body = body[len(title) :].lstrip()
    if not body:
        return InputError(doc_id, "no article text found in the page (index, error or empty page?)")
    found = dict(meta or {})
    for key, name in _META_FIELDS:
        value = fields.get(key)
        if isinstance(value, str) and value.strip() and name not in found:
            found[name] = value.strip()
    if url and "url" not in found:
        found["url"] = url
    return with_headline(doc_id, body, title, found, options)


def read_html(stream: BinaryIO, source: str, options: ReadOptions = DEFAULT_OPTIONS) -> ReadResult:
    """One saved page, one document (or one error when it holds no article)."""
    raw = stream.read(MAX_HTML_BYTES + 1)
    url = source if source.startswith(("http://", "https://")) else None
    yield extract_article(raw, source, url=url, options=options)


READERS = (
    Reader(
        "html",
        (".html", ".htm", ".xhtml"),
        read_html,
        "Saved web page: article body, headline, byline, date and site (trafilatura)",
    ),
)
