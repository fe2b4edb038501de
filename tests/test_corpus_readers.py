"""Corpus inputs: CSV/TSV, Parquet, saved pages, web archives, URLs, and their bad files.

Every file is written by the test itself (see corpus_files.py). Each bad input
is one error line and the rest of the batch still comes out.
"""

from __future__ import annotations

import gzip
import http.server
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import copydesk
from copydesk import Analyzer, Document, Engine, InputError
from copydesk.cli import cli
from copydesk.errors import InputNotice
from copydesk.io import tabular, urls
from copydesk.io.corpus import ReadOptions, configure
from copydesk.language import detect_language, document_language
from corpus_files import GERMAN, INDEX_PAGE, STORIES, page, write_warc

pytest.importorskip("pyarrow")
pytest.importorskip("trafilatura")
pytest.importorskip("warcio")


def read(*inputs: Path | str, options: ReadOptions | None = None) -> list[Document | InputError]:
    readers = copydesk.make_plugin_host(disable_autoload=True).readers()
    if options is not None:
        readers = configure(readers, options)
    return list(copydesk.read(*[str(i) for i in inputs], readers=readers))


def docs(items: list[Document | InputError]) -> list[Document]:
    return [i for i in items if isinstance(i, Document)]


def errors(items: list[Document | InputError]) -> list[str]:
    return [str(i) for i in items if isinstance(i, InputError) and not isinstance(i, InputNotice)]


# -- CSV / TSV ---------------------------------------------------------------------------


def write_csv(path: Path, rows: list[list[str]], *, bom: bool = True, sep: str = ",") -> Path:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))
    return path


def test_csv_with_bom_and_quoted_newlines_gives_one_document_per_row(tmp_path):
    rows = [["id", "Headline", "Body", "outlet"]]
    rows += [[slug, title, body, "Courier"] for slug, title, body in STORIES]
    items = read(write_csv(tmp_path / "articles.csv", rows))
    assert errors(items) == []
    got = docs(items)
    assert [d.id for d in got] == [s[0] for s in STORIES]
    first = got[0]
    assert first.title == "Port strike ends after nine days"
    # the headline starts the analyzed text, the body (with its newlines) follows
    assert first.text == f"{STORIES[0][1]}\n\n{STORIES[0][2]}"
    assert first.meta == {"outlet": "Courier", "body_start": len(STORIES[0][1]) + 2}


def test_csv_column_options_and_row_ids(tmp_path):
    rows = [["story", "copy"], ["Ferry", STORIES[1][2]], ["Council", STORIES[2][2]]]
    path = write_csv(tmp_path / "x.csv", rows, bom=False)
    items = read(path, options=ReadOptions(text_column="copy", title_column="story"))
    got = docs(items)
    assert [d.id for d in got] == [f"{path}:1", f"{path}:2"]
    assert got[1].title == "Council"
    plain = docs(read(path, options=ReadOptions(text_column="copy", headline=False)))
    assert plain[0].text == STORIES[1][2]
    assert plain[0].meta == {"story": "Ferry"}


def test_csv_without_text_column_is_one_error_listing_columns_and_the_batch_goes_on(tmp_path):
    bad = write_csv(tmp_path / "bad.csv", [["id", "headline", "url"], ["1", "x", "y"]])
    good = write_csv(tmp_path / "good.csv", [["text"], [STORIES[0][2]], [STORIES[1][2]]])
    items = read(bad, good)
    assert errors(items) == [
        f"{bad}: no text column (looked for text, body, content, article, full_text, story; "
        "columns: 'id', 'headline', 'url'); name it with --text-column"
    ]
    assert len(docs(items)) == 2


def test_csv_named_column_missing_and_empty_rows(tmp_path):
    path = write_csv(tmp_path / "a.csv", [["text", "id"], ["", "e1"], [STORIES[0][2], "ok"]])
    items = read(path, options=ReadOptions(text_column="body"))
    assert errors(items) == [f"{path}: no column 'body' (--text-column); columns: 'text', 'id'"]
    items = read(path)
    assert errors(items) == [f"{path}: row 1: column 'text' is empty"]
    assert [d.id for d in docs(items)] == ["ok"]


def test_csv_that_is_not_utf8_stops_with_one_error_after_the_good_rows(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"text\nGood row one.\n" + "Caf\u00e9 row.\n".encode("latin-1"))
    items = read(path)
    assert [d.text for d in docs(items)] == ["Good row one."]
    assert errors(items) == [f"{path}: is not valid UTF-8 (byte 0xe9) after row 1"]


def test_tsv(tmp_path):
    rows = [["id", "text"], ["t1", STORIES[0][2]]]
    items = read(write_csv(tmp_path / "a.tsv", rows, sep="\t"))
    assert [d.id for d in docs(items)] == ["t1"]


# -- Parquet -----------------------------------------------------------------------------


def test_parquet_with_three_row_groups_is_read_batch_by_batch(tmp_path, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    stories = STORIES * 2
    table = pa.table(
        {
            "article_id": [f"p{i}" for i in range(6)],
            "headline": [s[1] for s in stories],
            "body": [s[2] for s in stories],
            "published": pa.array([20260301 + i for i in range(6)], pa.int64()),
        }
    )
    path = tmp_path / "corpus.parquet"
    pq.write_table(table, path, row_group_size=2)
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    batches: list[int] = []
    real = pq.ParquetFile.iter_batches

    def spy(self, *args, **kwargs):
        for batch in real(self, *args, **kwargs):
            batches.append(batch.num_rows)
            yield batch

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", spy)
    monkeypatch.setattr(tabular, "PARQUET_BATCH_ROWS", 2)
    items = read(path)
    assert errors(items) == []
    got = docs(items)
    assert [d.id for d in got] == [f"p{i}" for i in range(6)]
    assert got[3].title == STORIES[0][1]
    assert got[5].meta["published"] == 20260306
    assert batches == [2, 2, 2]


def test_parquet_with_wrong_column_type_is_one_error_and_the_batch_goes_on(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    bad = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"id": ["a"], "text": pa.array([42], pa.int64())}), bad)
    good = tmp_path / "good.parquet"
    pq.write_table(pa.table({"text": [STORIES[2][2]]}), good)
    items = read(bad, good)
    assert errors(items) == [f"{bad}: column 'text' is int64, not text (string)"]
    assert len(docs(items)) == 1


def test_a_file_that_is_not_parquet_is_one_error(tmp_path):
    path = tmp_path / "fake.parquet"
    path.write_bytes(b"PAR1 not really")
    (msg,) = errors(read(path))
    assert msg.startswith(f"{path}: is not a readable Parquet file")


def test_missing_extra_is_one_line_naming_it(tmp_path, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"text": ["One."]}), path)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    assert errors(read(path)) == [
        f"{path}: reading Parquet needs pyarrow, which is not installed: "
        "pip install 'copydesk[corpus]'"
    ]


# -- HTML ---------------------------------------------------------------------------------


def test_saved_page_gives_the_article_headline_byline_date_site_and_url(tmp_path):
    slug, title, body = STORIES[0]
    path = tmp_path / "strike.html"
    path.write_text(page(title, body, slug=slug), encoding="utf-8")
    (doc,) = docs(read(path))
    assert doc.id == str(path)
    assert doc.title == title
    assert doc.text.startswith(f"{title}\n\nDock workers in the city of Harlow")
    assert "delays could persist." in doc.text
    boilerplate_words = ("Sport", "Weather", "Related", "Lighthouse", "Copyright", "By Jane")
    for boilerplate in boilerplate_words:
        assert boilerplate not in doc.text
    assert doc.meta["byline"] == "Jane Roe"
    assert doc.meta["date"] == "2026-03-02"
    assert doc.meta["site"] == "Harlow Courier"
    assert doc.meta["url"] == f"https://courier.example/{slug}"


def test_page_with_no_article_is_one_error_and_the_batch_goes_on(tmp_path):
    (tmp_path / "index.html").write_text(INDEX_PAGE, encoding="utf-8")
    (tmp_path / "empty.htm").write_bytes(b"")
    (tmp_path / "story.htm").write_text(page(*STORIES[1][1:]), encoding="utf-8")
    items = read(tmp_path)
    assert errors(items) == [
        f"{tmp_path / 'empty.htm'}: is empty (no HTML)",
        f"{tmp_path / 'index.html'}: no article text found in the page "
        "(index, error or empty page?)",
    ]
    assert [d.title for d in docs(items)] == [STORIES[1][1]]


# -- WARC ---------------------------------------------------------------------------------


def test_warc_gives_each_html_response_and_counts_the_rest(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    urls_written = write_warc(path)
    items = read(path)
    assert errors(items) == []
    got = docs(items)
    assert [d.meta["url"] for d in got] == urls_written
    assert [d.title for d in got] == [s[1] for s in STORIES[:2]]
    assert all(len(d.id) == 36 for d in got)  # the record's uuid
    assert got[0].meta["warc_file"] == str(path)
    (note,) = [i for i in items if isinstance(i, InputNotice)]
    assert str(note) == f"{path}: skipped 1 non-HTML record(s) (image/png 1)"


def test_uncompressed_warc(tmp_path):
    path = tmp_path / "crawl.warc"
    write_warc(path, gzip=False, with_image=False)
    items = read(path)
    assert len(docs(items)) == 2
    assert not [i for i in items if isinstance(i, InputError)]


def test_truncated_warc_gz_keeps_the_pages_before_the_damage(tmp_path):
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, with_image=False)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 300])
    items = read(cut, whole)
    errs = errors(items)
    assert len(errs) == 1
    assert errs[0].startswith(f"{cut}: is truncated or corrupt after")
    assert len(docs(items)) == 1 + 2  # the first page of the cut archive, both of the whole


def test_truncated_plain_gzip_of_text_is_refused_as_binary(tmp_path):
    # a .gz that is not a web archive is not taken for one
    path = tmp_path / "notes.txt.gz"
    path.write_bytes(gzip.compress(b"Some notes.")[:-4])
    assert read(path)[0].message.startswith("looks like binary data")  # type: ignore[union-attr]


# -- URLs ---------------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/story":
            body = page(*STORIES[2][1:], slug="council-vote").encode()
            self._send(200, "text/html; charset=utf-8", body)
        elif self.path == "/logo.png":
            self._send(200, "image/png", b"\x89PNG" + bytes(16))
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, "text/html", b"<html></html>")
        else:
            self._send(404, "text/html", b"not here")

    def _send(self, status: int, kind: str, body: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_urls_are_fetched_and_each_failure_is_one_line(server, monkeypatch):
    monkeypatch.setattr(urls, "TIMEOUT_SECONDS", 0.5)
    items = read(f"{server}/story", f"{server}/gone", f"{server}/logo.png", f"{server}/slow")
    (doc,) = docs(items)
    assert doc.id == f"{server}/story"
    assert doc.title == STORIES[2][1]
    assert doc.meta["url"] == "https://courier.example/council-vote"  # the page's canonical URL
    assert errors(items) == [
        f"{server}/gone: HTTP 404 Not Found",
        f"{server}/logo.png: is image/png, not an HTML page",
        f"{server}/slow: timed out after 0.5 s",
    ]


def test_size_limit_on_fetched_pages(server, monkeypatch):
    monkeypatch.setattr(urls, "MAX_BYTES", 100)
    assert errors(read(f"{server}/story"))[0].startswith(f"{server}/story: is too large")


def test_refused_connection(monkeypatch):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (msg,) = errors(read(f"http://127.0.0.1:{port}/x"))
    assert msg.startswith(f"http://127.0.0.1:{port}/x: cannot be fetched")


# -- a folder mixing formats, through the CLI ---------------------------------------------


def test_a_folder_mixes_every_format_by_suffix(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "corpus"
    folder.mkdir()
    write_csv(folder / "a.csv", [["id", "text"], ["csv-1", STORIES[0][2]]])
    (folder / "b.html").write_text(page(*STORIES[1][1:]), encoding="utf-8")
    write_warc(folder / "c.warc.gz", with_image=False)
    pq.write_table(pa.table({"id": ["pq-1"], "text": [STORIES[2][2]]}), folder / "d.parquet")
    (folder / "e.txt").write_text(STORIES[2][2], encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["analyze", "-a", "stats", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    import json

    ids = [json.loads(line)["document"]["id"] for line in out.read_text().splitlines()]
    assert len(ids) == 6
    assert ids[0] == "csv-1"
    assert ids[1] == str(folder / "b.html")
    assert ids[4] == "pq-1"
    assert result.stderr.strip().splitlines()[-1].startswith("copydesk: 6 documents in ")


def test_input_format_overrides_the_suffix(tmp_path):
    path = write_csv(tmp_path / "export.dat", [["text"], [STORIES[0][2]]])
    assert [d.text for d in docs(read(path))] != [STORIES[0][2]]  # read as plain text
    readers = copydesk.make_plugin_host(disable_autoload=True).readers()
    items = list(copydesk.read(str(path), input_format="csv", readers=readers))
    assert [d.text for d in docs(items)] == [STORIES[0][2]]


# -- language guard -----------------------------------------------------------------------


class EnglishWords(Analyzer[Any]):
    """Counts 'the': meaningful in English only."""

    name = "english_words"
    languages = frozenset({"en"})

    def analyze(self, ctx):
        ctx.set_metric("the", ctx.text.lower().split().count("the"))


class _Plugin:
    @copydesk.hookimpl
    def register_analyzers(self, register):
        register(EnglishWords)


def test_language_detection_is_cheap_and_narrow():
    assert detect_language(GERMAN).language == "de"  # type: ignore[union-attr]
    assert detect_language(" ".join(s[2] for s in STORIES)).language == "en"  # type: ignore[union-attr]
    french = (
        "Les dockers de Harlow ont repris le travail lundi après une grève de neuf jours, "
        "selon le syndicat. Le port a dit qu'il espérait que les retards seraient résorbés "
        "avant la fin de la semaine, mais les agents maritimes restent prudents."
    )
    assert detect_language(french).language == "fr"  # type: ignore[union-attr]
    assert detect_language("Port strike ends") is None  # too short to judge
    assert document_language(GERMAN, {"language": "en-GB"}).language == "en"  # type: ignore[union-attr]


def test_a_german_article_is_not_applicable_not_a_clean_result(tmp_path):
    engine = Engine(
        analyzers=["english_words", "stats"], plugins=[_Plugin()], disable_autoload=True
    )
    german = engine.analyze(Document(id="de", text=GERMAN))
    run = german.run_of("english_words")
    assert run is not None
    assert run.status.value == "not_applicable"
    assert run.error == "text is German (de, detected); english_words supports en"
    assert "english_words.the" not in german.metrics
    assert german.run_of("stats").status.value == "ok"  # type: ignore[union-attr]
    english = engine.analyze(Document(id="en", text=STORIES[0][2]))
    assert english.metrics["english_words.the"] == 6
    stated = engine.analyze(Document(id="s", text=STORIES[0][2], meta={"language": "de"}))
    assert stated.run_of("english_words").error.startswith("text is German (de, stated)")  # type: ignore[union-attr]


@pytest.mark.slow
def test_cli_warns_once_per_document_in_another_language(tmp_path):
    (tmp_path / "de.txt").write_text(GERMAN, encoding="utf-8")
    (tmp_path / "en.txt").write_text(STORIES[0][2], encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["analyze", "-a", "stats,readability", str(tmp_path), "-f", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    warnings = [x for x in result.stderr.splitlines() if "warning" in x]
    assert warnings == [
        f"copydesk: warning: {tmp_path / 'de.txt'}: text is German (de, detected); "
        "not analyzed by readability"
    ]


def test_an_endless_csv_line_is_one_error(tmp_path):
    from copydesk.io.readers import MAX_CHARS

    path = tmp_path / "huge.csv"
    path.write_bytes(b"id,text\n1,Short story.\n2," + b"x" * 5000)
    token = MAX_CHARS.set(1000)
    try:
        items = read(path)
    finally:
        MAX_CHARS.reset(token)
    assert [d.text for d in docs(items)] == ["Short story."]
    assert errors(items) == [f"{path}: a line after row 1 is over 4,004 bytes (max_chars)"]


def test_a_document_no_parsing_analyzer_accepts_is_not_parsed():
    # The language guard runs before the parse: German copy with English-only
    # parsing analyzers (hedging here) costs no spaCy time at all.
    engine = Engine(analyzers=["hedging", "stats"]).load()
    german = engine.analyze(Document(id="de", text=GERMAN))
    assert german.run_of("hedging").status.value == "not_applicable"  # type: ignore[union-attr]
    assert german.metrics["stats.sentences"] > 1
    assert engine.stats.parse_seconds == 0.0
    english = engine.analyze(Document(id="en", text=STORIES[0][2]))
    assert english.run_of("hedging").status.value == "ok"  # type: ignore[union-attr]
    assert engine.stats.parse_seconds > 0.0
