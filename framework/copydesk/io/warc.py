"""Web archives (``.warc``, ``.warc.gz``): each HTML page in the archive is a document.

Read with warcio as a stream, record by record. A ``response`` (or
``resource``) record whose content type is HTML is extracted like a saved page
(:func:`copydesk.io.html.extract_article`); its id is the record's
``WARC-Record-ID`` (without the ``<urn:uuid:...>`` brackets' ``urn:uuid:``
prefix), its URL and capture date go into ``meta`` (``url``, ``warc_date``).
Records that are not pages (requests, metadata, images, scripts, style
sheets) are skipped; the archive's non-HTML responses are counted and reported
in one note line per archive, which does not make the run fail. A truncated or
corrupt archive is one error after the pages read before the damage.
"""

from __future__ import annotations

import io
import zlib
from collections import Counter
from typing import Any, BinaryIO

from copydesk.errors import InputError, InputNotice
from copydesk.io.corpus import DEFAULT_OPTIONS, MissingExtra, ReadOptions, require
from copydesk.io.html import MAX_HTML_BYTES, extract_article
from copydesk.io.readers import Reader, ReadResult

_PAGE_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(stream: BinaryIO, source: str, options: ReadOptions = DEFAULT_OPTIONS) -> ReadResult:
    """Every HTML response in a web archive, one document each."""
    try:
        archive = require("warcio.archiveiterator", "reading WARC files")
    except MissingExtra as exc:
        yield InputError(source, str(exc))
        return
    skipped: Counter[str] = Counter()
    pages = 0
    records = 0
    data, gunzip = _decompressed(stream)
    try:
        for record in archive.ArchiveIterator(data):
            records += 1
            if record.rec_type not in ("response", "resource"):
                continue
            content_type = _content_type(record)
            if not content_type.startswith(_PAGE_TYPES):
                skipped[content_type or "unknown"] += 1
                continue
            status = record.http_headers.get_statuscode() if record.http_headers else "200"
            url = record.rec_headers.get_header("WARC-Target-URI") or None
            record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>")
            doc_id = record_id.removeprefix("urn:uuid:") or f"{source}#{records}"
            if status and not str(status).startswith("2"):
                skipped[f"HTTP {status}"] += 1
                continue
            raw = record.content_stream().read(MAX_HTML_BYTES + 1)
            if raw and getattr(record.raw_stream, "limit", 0) > 0 and len(raw) <= MAX_HTML_BYTES:
                msg = "record ends before its Content-Length"
                raise EOFError(msg)
            meta = {"warc_file": source}
            date = record.rec_headers.get_header("WARC-Date")
            if date:
                meta["warc_date"] = date
            pages += 1
            yield extract_article(raw, doc_id, url=url, options=options, meta=meta)
        if gunzip is not None and gunzip.truncated:
            msg = "compressed data ends early"
            raise EOFError(msg)
    except (EOFError, zlib.error, OSError, ValueError) as exc:
        yield InputError(source, f"is truncated or corrupt after {records} records ({_brief(exc)})")
    except Exception as exc:  # noqa: BLE001 - warcio's own ArchiveLoadFailed and kin
        yield InputError(source, f"is not a readable web archive ({_brief(exc)})")
    if skipped:
        kinds = ", ".join(f"{kind} {n}" for kind, n in skipped.most_common())
        total = sum(skipped.values())
        yield InputNotice(source, f"skipped {total} non-HTML record(s) ({kinds})")
    elif records and not pages:
        yield InputNotice(source, "holds no HTML responses")


class _Gunzip(io.RawIOBase):
    """Multi-member gzip decompression that remembers whether the data was cut short.

    warcio's own decompression (and the standard library's ``gzip``, through
    warcio, which catches its EOFError) ends quietly at a member cut short, so
    the damage would go unreported. This one hands over everything it could
    decompress and sets :attr:`truncated`.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.truncated = False
        self._zlib = zlib.decompressobj(31)
        self._fed = False
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending and not self._done:
            chunk = self.raw.read(65536)
            if not chunk:
                self._done = True
                self.truncated = self._fed
                self._pending = self._zlib.flush() if self._fed else b""
                break
            self._fed = True
            data = self._zlib.decompress(chunk)
            while self._zlib.eof:
                rest = self._zlib.unused_data
                self._zlib = zlib.decompressobj(31)
                self._fed = bool(rest)
                if rest:
                    data += self._zlib.decompress(rest)
            self._pending = data
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _decompressed(stream: BinaryIO) -> tuple[BinaryIO, _Gunzip | None]:
    """The archive's bytes (a gzipped one decompressed by :class:`_Gunzip`)."""
    peek = getattr(stream, "peek", None)
    head = peek(2)[:2] if peek is not None else b""
    if head == b"\x1f\x8b":
        gunzip = _Gunzip(stream)
        return io.BufferedReader(gunzip), gunzip
    return stream, None


def _content_type(record: object) -> str:
    headers = getattr(record, "http_headers", None)
    value = headers.get_header("Content-Type") if headers is not None else None
    if value is None:
        value = record.rec_headers.get_header("Content-Type")  # type: ignore[attr-defined]
    return (value or "").split(";")[0].strip().lower()


def _brief(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


READERS = (
    Reader(
        "warc",
        (".warc", ".warc.gz"),
        read_warc,
        "Web archive: each HTML response is one article (warcio + trafilatura)",
    ),
)
