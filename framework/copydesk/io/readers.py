"""Input readers: turning files and standard input into documents.

A reader gets one input as a binary stream, and its name, and yields documents
or :class:`~copydesk.errors.InputError` items. A stream rather than bytes so a
JSONL file of a million articles is read line by line, never held whole.
Yielding errors instead of raising is what keeps one malformed JSON line, one
non-UTF-8 file or one empty article from sinking a batch: the runner reports
each error on one line and goes on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from copydesk.errors import InputError
from copydesk.model import Document

ReadResult = Iterator[Document | InputError]
ReadFunction = Callable[[BinaryIO, str], ReadResult]


@dataclass(frozen=True)
class Reader:
    """A way to read one kind of input file."""

    name: str
    suffixes: tuple[str, ...]
    read: ReadFunction = field(compare=False)
    description: str = ""


def decode(raw: bytes, source: str, line: int | None = None) -> str | InputError:
    """UTF-8 text from bytes, or an error that says what is wrong with them."""
    if b"\x00" in raw:
        return InputError(source, "looks like binary data (contains NUL bytes), not text", line)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        return InputError(source, f"is not valid UTF-8 (byte 0x{bad} at offset {exc.start})", line)
    return text


def read_plain_text(stream: BinaryIO, source: str) -> ReadResult:
    """One document per file; a Markdown ``# heading`` on the first line becomes the title."""
    text = decode(stream.read(), source)
    if isinstance(text, InputError):
        yield text
        return
    text = text.replace("\r\n", "\n")
    title = None
    if source.endswith(".md"):
        first, _, rest = text.partition("\n")
        if first.startswith("# "):
            title, text = first[2:].strip(), rest.lstrip("\n")
    if not text.strip():
        yield InputError(source, "is empty (no text to analyze)")
        return
    yield Document(id=source, text=text, title=title)


def read_jsonl(stream: BinaryIO, source: str) -> ReadResult:
    """One JSON document per line: ``{"id", "text", "title"?, "meta"?}``."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        text = decode(line, source, number)
        if isinstance(text, InputError):
            yield text
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield InputError(source, f"malformed JSON ({exc.msg} at column {exc.colno})", number)
            continue
        yield document_from_json(obj, source, number)


def read_json(stream: BinaryIO, source: str) -> ReadResult:
    """A JSON file holding one document object or a list of them."""
    text = decode(stream.read(), source)
    if isinstance(text, InputError):
        yield text
        return
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        yield InputError(source, f"malformed JSON ({exc.msg} at line {exc.lineno})")
        return
    items = obj if isinstance(obj, list) else [obj]
    for index, item in enumerate(items, start=1):
        yield document_from_json(item, f"{source}[{index}]" if isinstance(obj, list) else source)


def document_from_json(obj: object, source: str, line: int | None = None) -> Document | InputError:
    """Validate one JSON object as a document, with a one-line reason when it is not one."""
    if not isinstance(obj, dict):
        return InputError(source, f"expected a JSON object, got {type(obj).__name__}", line)
    if "text" not in obj:
        return InputError(source, "document has no 'text' field", line)
    text = obj["text"]
    if not isinstance(text, str):
        return InputError(source, f"'text' must be a string, got {type(text).__name__}", line)
    if not text.strip():
        return InputError(source, "document text is empty", line)
    raw_meta = obj.get("meta")
    if raw_meta is not None and not isinstance(raw_meta, dict):
        return InputError(source, f"'meta' must be an object, got {type(raw_meta).__name__}", line)
    meta = dict(raw_meta or {})
    for key in sorted(set(obj) - {"id", "text", "title", "meta"}):
        meta[key] = obj[key]  # keep extra fields (url, outlet, ...) rather than refuse them
    title = obj.get("title")
    if title is not None and not isinstance(title, str):
        return InputError(source, "'title' must be a string", line)
    try:  # JSON escapes can smuggle in lone surrogates, which no output can encode
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        return InputError(source, f"contains an invalid character ({exc.reason})", line)
    doc_id = obj.get("id")
    default_id = source if line is None else f"{source}:{line}"
    return Document(
        id=default_id if doc_id is None else str(doc_id), text=text, title=title, meta=meta
    )


def sniff_reader_name(head: bytes) -> str:
    """Guess the reader for standard input from its first bytes.

    ``[`` starts a JSON list; ``{`` starts JSONL when the first line is a whole
    JSON value, else one pretty-printed JSON object; anything else is text.
    """
    stripped = head.lstrip()
    if stripped[:1] == b"[":
        return "json"
    if stripped[:1] != b"{":
        return "text"
    first_line, newline, _ = stripped.partition(b"\n")
    if not newline:
        return "jsonl"  # one long line, or all of a short input
    try:
        json.loads(first_line)
    except ValueError:
        return "json"
    return "jsonl"


BUILTIN_READERS = (
    Reader(
        "text",
        (".txt", ".md", ".text"),
        read_plain_text,
        "Plain text or Markdown, one article per file",
    ),
    Reader(
        "jsonl", (".jsonl", ".ndjson"), read_jsonl, 'One {"id","text","title"?,"meta"?} per line'
    ),
    Reader("json", (".json",), read_json, "One document object or a list of them"),
)


def reader_for(path: Path, readers: dict[str, Reader]) -> Reader | None:
    """The reader whose suffixes include the path's suffix."""
    suffix = path.suffix.lower()
    return next((r for r in readers.values() if suffix in r.suffixes), None)
