"""``copydesk serve`` with a real uvicorn server on 127.0.0.1 and a free port.

Two servers: one in this process (so test plugins can be passed in code: an
analyzer that sleeps, one that raises) with small limits and a token, and the
real command in a subprocess with every built-in analyzer, which a browser
drives through the page at /.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from browser import chromium, find_chromium
from copydesk import AnalysisContext, AnalyzedDocument, Analyzer, Document, hookimpl
from copydesk.config import CopydeskConfig
from copydesk.model import json_schema
from copydesk.testing import get_engine
from faulty import FaultPlugin

pytest.importorskip("uvicorn", reason="the serve extra is not installed")

import uvicorn

from copydesk.service import ServiceSettings, create_app

REPO = Path(__file__).resolve().parent.parent
ARTICLE = (REPO / "examples" / "articles" / "port-strike.txt").read_text(encoding="utf-8")
TOKEN = "s3cret-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


class SleepySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seconds: float = 0.0


class Sleepy(Analyzer[SleepySettings]):
    """Takes ``seconds`` per document: a slow request on demand."""

    name = "sleepy"
    Settings = SleepySettings
    calls = 0  # documents analyzed, over the module's in-process server

    def analyze(self, ctx: AnalysisContext) -> None:
        Sleepy.calls += 1
        time.sleep(self.settings.seconds)
        ctx.set_metric("slept", self.settings.seconds)


class SleepyPlugin:
    @hookimpl
    def register_analyzers(self, register: Any) -> None:
        register(Sleepy)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    """Plain http.client requests, as a CMS would make them."""

    def __init__(self, port: int) -> None:
        self.port = port

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> tuple[int, dict[str, str], Any]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
            sent = {"Content-Type": "application/json", **(headers or {})}
            conn.request(method, path, body=data, headers=sent)
            response = conn.getresponse()
            payload = response.read()
            kind = response.getheader("content-type", "")
            value: Any = json.loads(payload) if "json" in kind else payload.decode()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, value
        finally:
            conn.close()

    def analyze(self, body: Any, **kwargs: Any) -> tuple[int, dict[str, str], Any]:
        headers = {**AUTH, **kwargs.pop("headers", {})}
        return self.request("POST", "/v1/analyze", body, headers=headers, **kwargs)


@pytest.fixture(scope="module")
def limited() -> Iterator[Client]:
    """In-process server: stats by default, a token, queue 1, 2,000-byte bodies, 1 s timeout."""
    settings = ServiceSettings(
        port=free_port(), token=TOKEN, queue=1, max_body_bytes=2000, request_timeout=1.0
    )
    app = create_app(
        settings,
        CopydeskConfig(select=["stats"]),
        plugins=(SleepyPlugin(), FaultPlugin("raise")),
    )
    config = uvicorn.Config(app, host="127.0.0.1", port=settings.port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "the server did not start"
        assert time.monotonic() < deadline, "the server did not start in 30 s"
        time.sleep(0.05)
    yield Client(settings.port)
    server.should_exit = True
    thread.join(timeout=10)


def _wait_idle(client: Client, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while client.request("GET", "/healthz")[2]["queue"]["pending"]:
        assert time.monotonic() < deadline, "the queue never drained"
        time.sleep(0.05)


def test_analyze_answers_the_json_contract(limited):
    status, headers, body = limited.analyze(
        {"id": "a1", "text": "The mayor said the bridge would reopen. It closed in May."}
    )
    assert status == 200, body
    assert headers["content-type"].startswith("application/json")
    result = AnalyzedDocument.model_validate(body)
    assert result.document.id == "a1"
    assert result.metrics["stats.sentences"] == 2
    assert [r.name for r in result.analyzers] == ["stats"]


def test_a_list_gives_an_array_with_ids_by_position(limited):
    status, _, body = limited.analyze(
        [{"text": "First story here."}, {"text": "Second story, longer than the first."}]
    )
    assert status == 200
    assert [d["document"]["id"] for d in body] == ["1", "2"]
    assert body[1]["metrics"]["stats.words"] == 6


def test_selection_and_settings_per_request(limited):
    status, _, body = limited.analyze(
        {
            "document": {"text": "One two three four five six seven eight. Short one."},
            "analyzers": ["stats", "sleepy"],
            "settings": {"stats": {"long_sentence_words": 5}},
        }
    )
    assert status == 200, body
    kinds = [f["kind"] for f in body["findings"]]
    assert kinds == ["long_sentence"]
    assert body["metrics"]["sleepy.slept"] == 0.0


def test_one_failing_analyzer_gives_200_with_its_error(limited):
    status, _, body = limited.analyze(
        {"text": "Nothing unusual in this text.", "analyzers": ["stats", "faulty"]}
    )
    assert status == 200
    runs = {r["name"]: r for r in body["analyzers"]}
    assert runs["stats"]["status"] == "ok"
    assert runs["faulty"]["status"] == "failed"
    assert "broken on purpose" in runs["faulty"]["error"]


@pytest.mark.parametrize(
    ("raw", "status", "words"),
    [
        (b"{bad json", 400, "not valid JSON"),
        (b'{"text": 5}', 422, "document.text"),
        (b'{"documents": "not a list"}', 422, "documents"),
        (b'"just a string"', 422, "JSON object or array"),
        (b'{"text": "x", "analyzers": ["hedgin"]}', 422, "hedgin"),
        (b'{"text": "x", "settings": {"stats": {"nope": 1}}}', 422, "nope"),
        (b'{"text": "   "}', 422, "empty"),
        (b'{"document": {"text": "a"}, "documents": [{"text": "b"}]}', 422, "either"),
        (b'{"documents": [{"id": "x", "text": "a"}, {"id": "x", "text": "b"}]}', 422, "twice"),
        (b'{"text": "a", "colour": "red"}', 422, "colour"),
    ],
)
def test_bad_requests_get_4xx_json_naming_the_problem(limited, raw, status, words):
    got, headers, body = limited.analyze(None, raw=raw)
    assert got == status, body
    assert headers["content-type"].startswith("application/json")
    assert body["error"]["status"] == status
    assert words in json.dumps(body["error"])


def test_the_token_is_required_on_api_routes(limited):
    for method, path in (("POST", "/v1/analyze"), ("GET", "/v1/analyzers")):
        status, headers, body = limited.request(method, path, {"text": "Hello there."})
        assert status == 401
        assert headers["www-authenticate"] == "Bearer"
        assert "bearer token" in body["error"]["message"]
        wrong = limited.request(
            method, path, {"text": "Hi."}, headers={"Authorization": "Bearer x"}
        )
        assert wrong[0] == 401
    status, _, health = limited.request("GET", "/healthz")
    assert status == 200
    assert health["token_required"] is True


def test_bodies_over_the_limit_get_413(limited):
    big = {"text": "word " * 1000}
    status, _, body = limited.analyze(big)
    assert status == 413
    assert "max_body_bytes" in body["error"]["message"]
    # chunked, with no Content-Length to refuse it by
    conn = http.client.HTTPConnection("127.0.0.1", limited.port, timeout=30)
    chunks = iter([b'{"text": "', b"word " * 500, b"word " * 500, b'"}'])
    conn.request("POST", "/v1/analyze", body=chunks, headers=AUTH, encode_chunked=True)
    response = conn.getresponse()
    assert response.status == 413
    conn.close()


def test_a_slow_request_times_out_and_a_full_queue_answers_503(limited):
    _wait_idle(limited)
    slow = {"text": "Slow going.", "analyzers": ["sleepy"], "settings": {"sleepy": {"seconds": 2}}}
    started = time.monotonic()
    status, _, body = limited.analyze(slow)
    assert status == 504
    assert "request_timeout" in body["error"]["message"]
    assert time.monotonic() - started < 1.9
    # the timed-out work still holds the only place in the queue
    status, headers, body = limited.analyze({"text": "Quick one."})
    assert status == 503
    assert int(headers["retry-after"]) > 0
    assert "busy" in body["error"]["message"]
    _wait_idle(limited)
    assert limited.analyze({"text": "Quick one."})[0] == 200


def test_clients_that_disconnect_leave_the_server_serving(limited):
    _wait_idle(limited)
    body = json.dumps({"text": "x" * 50}).encode()
    head = (
        "POST /v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {TOKEN}\r\n"
    )
    # gone in the middle of the body
    with socket.create_connection(("127.0.0.1", limited.port)) as s:
        s.sendall((head + "Content-Length: 1000\r\n\r\n").encode() + body[:20])
    # gone while its documents are being analyzed: those not yet begun are skipped
    slow = json.dumps(
        {
            "documents": [{"text": f"Slow {n}."} for n in range(5)],
            "analyzers": ["sleepy"],
            "settings": {"sleepy": {"seconds": 0.3}},
        }
    ).encode()
    before = Sleepy.calls
    with socket.create_connection(("127.0.0.1", limited.port)) as s:
        s.sendall((head + f"Content-Length: {len(slow)}\r\n\r\n").encode() + slow)
        deadline = time.monotonic() + 10
        while Sleepy.calls == before and time.monotonic() < deadline:
            time.sleep(0.01)
    _wait_idle(limited)
    assert 1 <= Sleepy.calls - before < 5
    # gone in the middle of the headers
    with socket.create_connection(("127.0.0.1", limited.port)) as s:
        s.sendall(b"POST /v1/analyze HTTP/1.1\r\nHost: 127.")
    _wait_idle(limited)
    status, _, result = limited.analyze({"text": "Still here, and still answering."})
    assert status == 200
    assert result["metrics"]["stats.words"] == 5


def test_analyzers_health_openapi_and_errors_for_unknown_routes(limited):
    status, _, listing = limited.request("GET", "/v1/analyzers", headers=AUTH)
    assert status == 200
    names = {a["name"] for a in listing["analyzers"]}
    assert {"stats", "hedging", "sourcing", "sleepy"} <= names
    assert listing["default"] == ["stats"]
    stats = next(a for a in listing["analyzers"] if a["name"] == "stats")
    assert stats["options"]["long_sentence_words"]["default"] == 40
    status, _, spec = limited.request("GET", "/openapi.json")
    assert status == 200
    assert spec["openapi"].startswith("3.")
    assert "/v1/analyze" in spec["paths"]
    documented = spec["components"]["schemas"]["AnalyzedDocument"]["properties"]
    assert set(documented) == set(json_schema()["properties"])
    status, _, body = limited.request("GET", "/v2/nothing")
    assert status == 404
    assert "/v2/nothing" in body["error"]["message"]


def test_html_format_gives_the_article_view(limited):
    status, headers, page = limited.analyze(
        {
            "text": "One two three four five six seven eight. Short one.",
            "settings": {"stats": {"long_sentence_words": 5}},
            "format": "html",
        }
    )
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    assert 'class="cd-text"' in page
    assert "r-long_sentence" in page


# -- the real command, every analyzer, and the page in a browser -------------------------


@pytest.fixture(scope="module")
def served() -> Iterator[Client]:
    port = free_port()
    env = {**os.environ, "COPYDESK_TOKEN": ""}
    env.pop("COPYDESK_TOKEN")
    process = subprocess.Popen(
        [sys.executable, "-m", "copydesk", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert process.stderr is not None
    log = []
    deadline = time.monotonic() + 90
    while True:
        line = process.stderr.readline()
        log.append(line)
        if "Uvicorn running on" in line:
            break
        if not line or time.monotonic() > deadline:
            process.kill()
            raise AssertionError("copydesk serve did not start:\n" + "".join(log))
    assert f"http://127.0.0.1:{port}" in line  # loopback unless --host says otherwise
    # uvicorn logs each request: keep reading, so a full pipe never blocks the server
    drain = threading.Thread(target=process.stderr.read, daemon=True)
    drain.start()
    yield Client(port)
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    drain.join(timeout=5)
    with contextlib.suppress(OSError):
        process.stderr.close()


@pytest.mark.slow
def test_the_served_result_is_what_the_engine_gives(served):
    status, _, body = served.request("POST", "/v1/analyze", {"id": "port", "text": ARTICLE})
    assert status == 200
    served_doc = AnalyzedDocument.model_validate(body)
    engine = get_engine(["stats", "readability", "entities", "hedging", "sourcing"])
    local = engine.analyze(Document(id="port", text=ARTICLE))

    def ordered(result: AnalyzedDocument) -> list[dict[str, Any]]:
        return sorted((f.model_dump() for f in result.findings), key=json.dumps)

    assert ordered(served_doc) == ordered(local)
    assert served_doc.metrics == local.metrics
    assert {r.name for r in served_doc.analyzers} == {r.name for r in local.analyzers}


@pytest.mark.slow
def test_an_editor_pastes_an_article_into_the_page(served, tmp_path):
    if find_chromium() is None:
        pytest.skip("no Chromium found (apt-get install chromium; .ci/run installs it)")
    with chromium() as opened:
        page = opened.new_page()
        page.goto(f"http://127.0.0.1:{served.port}/")
        page.wait_for("document.querySelectorAll('#analyzers input').length >= 5")
        page.evaluate(f"document.getElementById('text').value = {json.dumps(ARTICLE)}")
        page.evaluate("document.getElementById('title').value = 'Port strike'")
        page.evaluate("document.getElementById('go').click()")
        page.wait_for("!document.getElementById('view').hidden", timeout=60)
        counted = page.evaluate(
            "(function(){var d=new DOMParser().parseFromString("
            "document.getElementById('view').srcdoc,'text/html');"
            "return [d.querySelectorAll('.cd-text mark[data-first]').length,"
            "d.querySelectorAll('.cd-findings > li').length, d.title];})()"
        )
        assert counted[0] == counted[1] > 20
        assert counted[2].startswith("Port strike")
        assert page.evaluate("document.getElementById('status').textContent") == "Done."
        time.sleep(0.3)  # let the frame paint
        page.screenshot(tmp_path / "serve-page.png")
        # a bad request shows its error, in words
        page.evaluate("document.getElementById('text').value = '   '")
        page.evaluate("document.getElementById('go').click()")
        assert "Paste an article" in page.wait_for(
            "document.getElementById('status').className === 'error'"
            " && document.getElementById('status').textContent"
        )
