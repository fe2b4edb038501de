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
from contextvars import ContextVar
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


# How much one input may hold, in characters: set by the run (``max_chars``) for
# the readers it calls. A context variable rather than an argument, so readers
# registered by plugins keep their two-argument signature.
MAX_CHARS: ContextVar[int] = ContextVar("copydesk_max_chars", default=1_000_000)
# How deep JSON may nest (a document's meta): deeper is refused with one line,
# well before Python's recursion limit can turn it into a crash at write time.
MAX_JSON_DEPTH = 64
_CHUNK = 1 << 20


class TooLong(Exception):
    """An input is longer than the run accepts; raised while reading, not after."""


def read_bounded(stream: BinaryIO, limit_chars: int | None = None) -> bytes:
    """The whole stream, read in 1 MiB chunks, refusing more than the character limit.

    UTF-8 needs at most four bytes a character, so more than ``4 * limit + 4``
    bytes is certainly too long; a huge file or an endless stream (``/dev/zero``)
    is stopped there, and Ctrl-C is answered between chunks.
    """
    limit = 4 * (limit_chars if limit_chars is not None else MAX_CHARS.get()) + 4
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise TooLong


def too_long(source: str, line: int | None = None, size: int | None = None) -> InputError:
    """The one-line error for an input over ``max_chars`` (its size when it was read whole)."""
    limit = MAX_CHARS.get()
    how_long = f"{size:,} characters" if size is not None else f"more than {limit:,} characters"
    message = f"is too long ({how_long}; the limit is {limit:,}): split it or raise max_chars"
    return InputError(source, message, line)


def decode(raw: bytes, source: str, line: int | None = None) -> str | InputError:
    """UTF-8 text from bytes, or an error that says what is wrong with them.

    Text with a UTF-16 byte order mark is decoded as UTF-16 (Windows tools write
    it); NUL bytes otherwise mean binary data.
    """
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return InputError(source, "starts like UTF-16 text but is not valid UTF-16", line)
    if b"\x00" in raw:
        return InputError(source, "looks like binary data (contains NUL bytes), not text", line)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        return InputError(source, f"is not valid UTF-8 (byte 0x{bad} at offset {exc.start})", line)
    return text


def normalize_newlines(text: str) -> str:
    """Windows (CRLF) and old Mac (bare CR) line ends as ``\\n``: offsets count one per break."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(stream: BinaryIO, source: str) -> str | InputError:
    """A whole input as text: read with the bound, decoded, or the one-line error."""
    try:
        raw = read_bounded(stream)
    except TooLong:
        return too_long(source)
    return decode(raw, source)


def read_plain_text(stream: BinaryIO, source: str) -> ReadResult:
    """One document per file; a Markdown ``# heading`` on the first line becomes the title."""
    text = read_text(stream, source)
    if isinstance(text, InputError):
        yield text
        return
    if len(text) > MAX_CHARS.get():  # named by file here, not by id after parsing
        yield too_long(source, size=len(text))
        return
    text = normalize_newlines(text)
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
    """One JSON document per line: ``{"id", "text", "title"?, "meta"?}``.

    Lines are read with a bound, so one multi-gigabyte line costs an error, not
    the machine's memory; the rest of that line is skipped in chunks.
    """
    limit = 4 * MAX_CHARS.get() + 4
    number = 0
    documents = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            break
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield too_long(source, number)
            continue
        if not line.strip():
            continue
        documents += 1
        yield _json_document(line, source, number)
    if documents == 0:
        yield InputError(source, "holds no documents (no non-empty line)")


def _json_document(raw: bytes, source: str, line: int | None) -> Document | InputError:
    text = decode(raw, source, line)
    if isinstance(text, InputError):
        return text
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return InputError(source, f"malformed JSON ({_json_problem(exc)})", line)
    except RecursionError:
        return InputError(source, f"JSON nested too deeply (over {MAX_JSON_DEPTH} levels)", line)
    return document_from_json(obj, source, line)


def _json_problem(exc: json.JSONDecodeError) -> str:
    message = exc.msg.removesuffix(" at")  # "Invalid control character at" + our "at"
    return f"{message} at line {exc.lineno} column {exc.colno}"


def nesting_depth(obj: object, stop: int = MAX_JSON_DEPTH + 1) -> int:
    """How deep lists and objects nest in ``obj`` (iteratively; stops counting at ``stop``)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(obj, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if deepest >= stop:
                return deepest
            values = item.values() if isinstance(item, dict) else item
            stack.extend((v, depth + 1) for v in values)
    return deepest


def read_json(stream: BinaryIO, source: str) -> ReadResult:
    """A JSON file holding one document object or a list of them."""
    text = read_text(stream, source)
    if isinstance(text, InputError):
        yield text
        return
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        yield InputError(source, f"malformed JSON ({_json_problem(exc)})")
        return
    except RecursionError:
        yield InputError(source, f"JSON nested too deeply (over {MAX_JSON_DEPTH} levels)")
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
    if len(text) > MAX_CHARS.get():
        return too_long(source, line, size=len(text))
    if not text.strip():
        return InputError(source, "document text is empty", line)
    raw_meta = obj.get("meta")
    if raw_meta is not None and not isinstance(raw_meta, dict):
        return InputError(source, f"'meta' must be an object, got {type(raw_meta).__name__}", line)
    if nesting_depth(obj) > MAX_JSON_DEPTH:
        return InputError(source, f"JSON nested too deeply (over {MAX_JSON_DEPTH} levels)", line)
    meta = dict(raw_meta or {})
    for key in sorted(set(obj) - {"id", "text", "title", "meta"}):
        if key in meta:
            return InputError(
                source, f"{key!r} is both a top-level field and a meta key; keep one", line
            )
        meta[key] = obj[key]  # keep extra fields (url, outlet, ...) rather than refuse them
    title = obj.get("title")
    if title is not None and not isinstance(title, str):
        return InputError(source, "'title' must be a string", line)
    try:  # JSON escapes can smuggle in lone surrogates, which no output can encode
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        return InputError(source, f"contains an invalid character ({exc.reason})", line)
    doc_id = obj.get("id")
    if doc_id is not None and (isinstance(doc_id, bool) or not isinstance(doc_id, str | int)):
        return InputError(
            source, f"'id' must be a string or a number, got {type(doc_id).__name__}", line
        )
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
    # A JSONL line is a whole object, so it ends with "}" (even a malformed one:
    # its error is then reported for that line, and later lines still read);
    # a pretty-printed object's first line does not.
    return "jsonl" if first_line.rstrip().endswith(b"}") else "json"


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
    """The reader whose suffixes end the path's name (the longest match: ``.warc.gz``)."""
    name = path.name.lower()
    matches = [(len(s), r) for r in readers.values() for s in r.suffixes if name.endswith(s)]
    return max(matches, key=lambda m: m[0])[1] if matches else None
