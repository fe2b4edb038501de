"""Sources: from what the user named to a stream of documents with stable ids.

The command line and the library go through the same function,
:func:`iter_documents`: files, directories (read recursively, in sorted order),
glob patterns, and ``-`` for standard input. Each file is read by the reader
its suffix selects (or the one ``input_format`` names), as a stream, so a JSONL
file of a million lines is never held whole. Problems come out as
:class:`~copydesk.errors.InputError` items in their place, one per bad file or
line, and the rest of the inputs still come through.

Ids are stable across runs: a file's path as given, ``path:line`` for a JSONL
line without an ``id``, ``path[n]`` for the n-th document of a JSON list.
"""

from __future__ import annotations

import glob
import io
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from copydesk.errors import InputError
from copydesk.io.readers import MAX_CHARS, Reader, reader_for, sniff_reader_name
from copydesk.model import Document

SourceItem = Document | InputError
_GLOB_CHARS = frozenset("*?[")


def iter_documents(
    inputs: Iterable[str | os.PathLike[str]],
    readers: dict[str, Reader],
    *,
    input_format: str = "auto",
    stdin: IO[bytes] | None = None,
    max_chars: int | None = None,
) -> Iterator[SourceItem]:
    """Documents and input errors from every input, in order.

    ``input_format`` is ``auto`` (by suffix; standard input is sniffed) or a
    reader's name, used for every input. ``max_chars`` bounds what a reader
    reads for one document (the built-in readers stop reading there).
    """
    token = MAX_CHARS.set(max_chars) if max_chars is not None else None
    try:
        yield from _iter_documents(inputs, readers, input_format, stdin)
    finally:
        if token is not None:
            MAX_CHARS.reset(token)


def _iter_documents(
    inputs: Iterable[str | os.PathLike[str]],
    readers: dict[str, Reader],
    input_format: str,
    stdin: IO[bytes] | None,
) -> Iterator[SourceItem]:
    if input_format != "auto" and input_format not in readers:
        known = ", ".join(sorted(readers))
        msg = f"--input-format: unknown format {input_format!r} (known: auto, {known})"
        raise ValueError(msg)
    for raw in inputs:
        name = os.fspath(raw)
        if name == "-":
            yield from _read_stdin(readers, input_format, stdin)
            continue
        if name.lower().startswith(("http://", "https://")):
            from copydesk.io.urls import read_url

            yield from read_url(name, readers)
            continue
        yield from _read_path(name, readers, input_format)


def expand(name: str, readers: dict[str, Reader], input_format: str = "auto") -> list[Path] | None:
    """The files an input names: itself, a directory's readable files, or a glob's matches.

    None when the input is neither an existing path nor a glob with matches.
    """
    path = Path(name)
    if path.is_dir():
        return [f for f in _walk(path) if input_format != "auto" or reader_for(f, readers)]
    if path.exists() or path.is_symlink():
        return [path]
    if _GLOB_CHARS & set(name):
        matches = sorted(glob.glob(name, recursive=True))
        files: list[Path] = []
        for match in matches:
            found = expand(match, readers, input_format)
            files.extend(found or [])
        return files or None
    return None


def _walk(folder: Path) -> list[Path]:
    """Every file below ``folder``, sorted; an unreadable subfolder is an error, not a gap."""
    files: list[Path] = []

    def raise_error(exc: OSError) -> None:
        raise exc

    for root, dirs, names in os.walk(folder, onerror=raise_error):
        dirs.sort()
        files.extend(Path(root) / n for n in names if not n.startswith("."))
    return sorted(files)


def _read_path(name: str, readers: dict[str, Reader], input_format: str) -> Iterator[SourceItem]:
    path = Path(name)
    try:
        files = expand(name, readers, input_format)
    except OSError as exc:
        where = exc.filename or name
        yield InputError(str(where), f"cannot be read ({exc.strerror or exc})")
        return
    if files is None:
        yield InputError(name, "no such file" if not _GLOB_CHARS & set(name) else "matches no file")
        return
    if path.is_dir() and not files:
        yield InputError(name, "directory holds no readable files")
        return
    for file in files:
        yield from read_file(file, readers, input_format)


def read_file(
    file: Path, readers: dict[str, Reader], input_format: str = "auto"
) -> Iterator[SourceItem]:
    """The documents of one file, through the reader its suffix (or ``input_format``) picks."""
    try:
        stream = file.open("rb")
    except FileNotFoundError:
        yield InputError(str(file), "no such file")
        return
    except IsADirectoryError:
        yield InputError(str(file), "is a directory")
        return
    except OSError as exc:
        yield InputError(str(file), f"cannot be read ({exc.strerror})")
        return
    if input_format != "auto":
        reader = readers[input_format]
    else:
        reader = reader_for(file, readers) or readers["text"]
    with stream:
        try:
            yield from reader.read(stream, str(file))
        except OSError as exc:
            yield InputError(str(file), f"cannot be read ({exc.strerror})")


def _read_stdin(
    readers: dict[str, Reader], input_format: str, stdin: IO[bytes] | None
) -> Iterator[SourceItem]:
    raw = stdin if stdin is not None else sys.stdin.buffer
    stream: Any = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)
    name = input_format if input_format != "auto" else sniff_reader_name(stream.peek(65536)[:65536])
    yield from readers[name].read(stream, "<stdin>")


def output_among_inputs(
    output: Path, inputs: Iterable[str], readers: dict[str, Reader], input_format: str = "auto"
) -> str | None:
    """The input that *is* ``output`` (same file, a link to it, or read from a folder).

    Writing results over an input destroys the corpus before it is read (and a
    result file inside an input folder is read back as input), so the caller
    refuses the run when this returns a name.
    """
    if not output.exists():
        # Nothing to destroy; a new file is read by no one: folders are listed
        # when the run starts and the output appears by rename only at its end.
        return None
    for name in inputs:
        if name == "-":
            continue
        try:
            files = expand(name, readers, input_format) or []
        except OSError:
            continue
        for file in files:
            try:
                if os.path.samefile(file, output):
                    return str(file)
            except OSError:
                continue
    return None


def read(
    *inputs: str | os.PathLike[str],
    input_format: str = "auto",
    readers: dict[str, Reader] | None = None,
) -> Iterator[SourceItem]:
    """Documents (and input errors) from paths, folders, globs or ``-``, as the CLI reads them.

    ``for item in copydesk.read("corpus/", "extra/*.jsonl"): ...`` - pass the
    items to :meth:`Engine.analyze_many`. ``readers`` defaults to every reader
    the installed plugins register.
    """
    if readers is None:
        from copydesk.plugins import make_plugin_host

        readers = make_plugin_host().readers()
    return iter_documents(inputs, readers, input_format=input_format)
