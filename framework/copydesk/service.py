"""``copydesk serve``: the analyzers as a web service a CMS can call.

An ASGI app (Starlette, served by uvicorn) with:

* ``POST /v1/analyze``: one document or a list (``{"id", "text", "title",
  "meta"}``), with analyzer selection and settings; answers the JSON contract
  (``copydesk schema``: one object, or an array for a list), or the HTML
  article view with ``"format": "html"``;
* ``GET /v1/analyzers``, ``GET /healthz``, ``GET /openapi.json``;
* ``GET /``: a page where an editor pastes an article and gets the view.

The engine is built and its spaCy pipeline loaded once, at start-up. Parsing
runs off the event loop on a bounded pool of worker threads (each with its own
engines, so no pipeline is shared between threads); requests beyond the
queue get 503 with ``Retry-After``; bodies over ``max_body_bytes`` get 413; a
request running past ``request_timeout`` gets 504 (its remaining documents are
skipped; the one being parsed finishes in its thread, holding its place in the
queue until then, so a slow request cannot pile work up). A client that
disconnects has its remaining documents skipped the same way. No endpoint reads
or writes a file on the server.

This module is imported only by the ``serve`` command and by tests: starlette
and uvicorn are the ``copydesk[serve]`` extra.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from copydesk.config import CopydeskConfig
from copydesk.errors import CopydeskError
from copydesk.model import AnalyzedDocument, Document

if TYPE_CHECKING:
    from copydesk.plugins import PluginHost
    from copydesk.runner import Engine

API_VERSION = "v1"


class ServiceSettings(BaseModel):
    """How the service runs (``copydesk serve`` options)."""

    model_config = ConfigDict(extra="forbid")

    host: str = Field(default="127.0.0.1", description="Address to bind.")
    port: int = Field(default=8000, ge=0, le=65535)
    token: str | None = Field(
        default=None, description="Bearer token required on every /v1 route when set."
    )
    workers: int = Field(default=1, ge=1, le=64, description="Threads that parse and analyze.")
    queue: int = Field(
        default=16, ge=1, description="Requests accepted at once (running + waiting); more: 503."
    )
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1, description="Larger: 413.")
    request_timeout: float = Field(default=60.0, gt=0, description="Seconds; longer: 504.")
    max_documents: int = Field(default=1000, ge=1, description="Documents in one request.")
    engines_per_worker: int = Field(
        default=8, ge=1, description="Distinct analyzer selections/settings kept ready."
    )


# -- the request ------------------------------------------------------------------------


class DocumentIn(BaseModel):
    """A document to analyze; ``id`` defaults to its position (1, 2, ...)."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = None
    text: str
    title: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)


class AnalyzeRequest(BaseModel):
    """The body of ``POST /v1/analyze``.

    Give ``document`` or ``documents``; a bare document object or a bare list
    of them is accepted too. ``analyzers`` (default: all installed),
    ``exclude``, ``with_deps`` and ``settings`` (``{"stats":
    {"long_sentence_words": 30}}``) work as on the command line.
    """

    model_config = ConfigDict(extra="forbid")

    document: DocumentIn | None = None
    documents: list[DocumentIn] | None = None
    analyzers: list[str] | None = None
    exclude: list[str] = Field(default_factory=list)
    with_deps: bool | None = None
    settings: dict[str, dict[str, Any]] = Field(default_factory=dict)
    format: Literal["json", "html"] = "json"

    @model_validator(mode="after")
    def _one_of(self) -> AnalyzeRequest:
        if (self.document is None) == (self.documents is None):
            msg = "give either 'document' (one) or 'documents' (a list)"
            raise ValueError(msg)
        if self.documents is not None and not self.documents:
            msg = "'documents' is empty"
            raise ValueError(msg)
        return self

    def items(self) -> list[Document]:
        given = [self.document] if self.document is not None else list(self.documents or [])
        return [
            Document(
                id=d.id if d.id is not None else str(n), text=d.text, title=d.title, meta=d.meta
            )
            for n, d in enumerate(given, start=1)
        ]


def _as_request(body: Any) -> dict[str, Any]:
    """The request envelope from a body that may be a bare document or list."""
    if isinstance(body, list):
        return {"documents": body}
    if isinstance(body, dict) and "text" in body and not {"document", "documents"} & set(body):
        # a bare document, perhaps with options beside it: {"text": ..., "analyzers": [...]}
        fields = {"id", "text", "title", "meta"}
        options = {k: v for k, v in body.items() if k not in fields}
        return {"document": {k: v for k, v in body.items() if k in fields}, **options}
    if isinstance(body, dict):
        return body
    msg = f"the body must be a JSON object or array, not {type(body).__name__}"
    raise _HttpError(422, msg)


class _HttpError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details
        self.headers = headers

    def response(self) -> JSONResponse:
        body: dict[str, Any] = {"error": {"status": self.status, "message": self.message}}
        if self.details:
            body["error"]["details"] = self.details
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def _validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        {"location": ".".join(str(p) for p in e["loc"]) or "(body)", "problem": e["msg"]}
        for e in exc.errors(include_url=False, include_input=False)
    ]


# -- the engines ------------------------------------------------------------------------


class _Cancelled(Exception):
    """The request timed out; its remaining documents are not analyzed."""


@dataclass
class _WorkerState:
    host: PluginHost
    engines: OrderedDict[str, Engine] = field(default_factory=OrderedDict)
    pipelines: dict[frozenset[Any], Any] = field(default_factory=dict)


class EnginePool:
    """Worker threads, each with its own plugin host, engines and spaCy pipelines.

    An engine is built per distinct selection and settings (kept, least
    recently used dropped past ``engines_per_worker``); engines needing the
    same pipeline components share one loaded pipeline within a thread.
    """

    def __init__(
        self,
        config: CopydeskConfig,
        settings: ServiceSettings,
        plugins: tuple[object, ...] = (),
        disable_autoload: bool | None = None,
    ) -> None:
        self.config = config
        self.settings = settings
        self.plugins = plugins
        self.disable_autoload = disable_autoload
        self.executor = ThreadPoolExecutor(
            max_workers=settings.workers, thread_name_prefix="copydesk-worker"
        )
        self._local = threading.local()
        self._lock = threading.Lock()
        self.pending = 0

    def host(self) -> PluginHost:
        from copydesk.plugins import make_plugin_host

        return make_plugin_host(
            plugins=list(self.plugins),
            blocked=self.config.disable_plugins,
            disable_autoload=self.disable_autoload,
        )

    def _state(self) -> _WorkerState:
        state: _WorkerState | None = getattr(self._local, "state", None)
        if state is None:
            state = self._local.state = _WorkerState(self.host())
        return state

    def engine(self, request: AnalyzeRequest | None = None) -> Engine:
        """This thread's engine for a request's selection and settings (built once)."""
        from copydesk.planning import plan_run
        from copydesk.runner import Engine

        state = self._state()
        analyzers = request.analyzers if request else None
        exclude = request.exclude if request else []
        with_deps = request.with_deps if request else None
        settings = request.settings if request else {}
        key = json.dumps([analyzers, exclude, with_deps, settings], sort_keys=True, default=str)
        engine = state.engines.get(key)
        if engine is not None:
            state.engines.move_to_end(key)
            return engine
        config = self.config.model_copy(update={"strict": False, "jobs": 1, "executor": None})
        # Plan first to know which pipeline it needs: an engine needing the same
        # components uses the pipeline already loaded in this thread.
        plan = plan_run(
            state.host,
            analyzers if analyzers is not None else config.select,
            exclude or config.exclude,
            with_deps=config.with_deps if with_deps is None else with_deps,
        )
        nlp = state.pipelines.get(frozenset(plan.needs))
        engine = Engine(
            config,
            host=state.host,
            analyzers=analyzers,
            exclude=exclude,
            with_deps=with_deps,
            settings=settings,
            nlp=nlp,
        )
        if nlp is None and engine.plan.needs:
            engine.load()
            state.pipelines[frozenset(engine.plan.needs)] = engine.nlp
        state.engines[key] = engine
        while len(state.engines) > self.settings.engines_per_worker:
            state.engines.popitem(last=False)
        return engine

    def warm(self) -> list[str]:
        """Build the default engine and load its pipeline in every worker thread."""
        barrier = threading.Barrier(self.settings.workers)

        def one() -> list[str]:
            engine = self.engine()
            barrier.wait(timeout=600)  # each thread takes exactly one warm-up task
            return engine.analyzer_names

        futures = [self.executor.submit(one) for _ in range(self.settings.workers)]
        return futures[0].result()

    def try_submit(self, function: Callable[[], Any]) -> Future[Any] | None:
        """Run ``function`` on a worker, or None when the queue is full."""
        with self._lock:
            if self.pending >= self.settings.queue:
                return None
            self.pending += 1
        try:
            future = self.executor.submit(function)
        except RuntimeError:  # shutting down
            self._done(None)
            return None
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any] | None) -> None:
        with self._lock:
            self.pending -= 1

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


def _analyze(
    pool: EnginePool, request: AnalyzeRequest, documents: list[Document], cancel: threading.Event
) -> list[AnalyzedDocument]:
    engine = pool.engine(request)
    results = []
    for doc in documents:
        if cancel.is_set():
            raise _Cancelled
        results.append(engine.analyze(doc))
    return results


# -- the app ----------------------------------------------------------------------------


def create_app(
    settings: ServiceSettings | None = None,
    config: CopydeskConfig | None = None,
    *,
    plugins: tuple[object, ...] = (),
    disable_autoload: bool | None = None,
) -> Starlette:
    """The ASGI app. Its engines load when the app starts (the ASGI lifespan)."""
    settings = settings or ServiceSettings()
    config = config or CopydeskConfig()
    pool = EnginePool(config, settings, plugins, disable_autoload)
    catalogue: dict[str, Any] = {}
    shared: dict[str, Any] = {}  # built at start-up: the renderers of the HTML view

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        names = await loop.run_in_executor(None, pool.warm)
        host = pool.host()
        catalogue.update(_catalogue(host))
        catalogue["default"] = names
        from copydesk.rendering import Renderers

        shared["renderers"] = Renderers(host.renderers())
        yield
        pool.close()

    def guarded(
        handler: Callable[[Request], Awaitable[Response]],
    ) -> Callable[[Request], Awaitable[Response]]:
        async def wrapped(request: Request) -> Response:
            try:
                if settings.token is not None:
                    _check_token(request, settings.token)
                return await handler(request)
            except _HttpError as exc:
                return exc.response()

        return wrapped

    async def analyze(request: Request) -> Response:
        raw = await _read_body(request, settings.max_body_bytes)
        try:
            body = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise _HttpError(400, f"the body is not valid JSON: {exc}") from None
        try:
            parsed = AnalyzeRequest.model_validate(_as_request(body))
        except ValidationError as exc:
            details = _validation_details(exc)
            first = details[0]
            message = f"invalid request: {first['location']}: {first['problem']}"
            raise _HttpError(422, message, details) from None
        if request.query_params.get("format") == "html":
            parsed.format = "html"
        documents = parsed.items()
        _check_documents(documents, config.max_chars, settings.max_documents)
        cancel = threading.Event()
        future = pool.try_submit(lambda: _analyze(pool, parsed, documents, cancel))
        if future is None:
            raise _HttpError(
                503,
                f"busy: {settings.queue} requests are already being analyzed or waiting; "
                "retry shortly",
                headers={"Retry-After": "2"},
            )
        work = asyncio.wrap_future(future)
        gone = asyncio.ensure_future(_until_disconnect(request))
        try:
            done, _ = await asyncio.wait(
                {work, gone},
                timeout=settings.request_timeout,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            gone.cancel()
        if work not in done:
            cancel.set()  # the documents not yet begun are skipped
            if gone in done:  # nobody is left to answer
                return Response(status_code=499)
            raise _HttpError(
                504,
                f"the analysis took longer than {settings.request_timeout:g} s "
                "(request_timeout); send fewer or shorter documents",
            )
        try:
            results = work.result()
        except CopydeskError as exc:  # unknown analyzer, bad settings
            raise _HttpError(422, str(exc)) from None
        if parsed.format == "html":
            from copydesk.views.html import render_page

            # rendering and serializing are CPU work too: off the event loop
            page = await asyncio.to_thread(render_page, results, shared["renderers"])
            return HTMLResponse(page)
        if parsed.document is not None:
            one = await asyncio.to_thread(results[0].model_dump_json)
            return Response(one, media_type="application/json")
        body_out = await asyncio.to_thread(
            lambda: "[" + ",".join(r.model_dump_json() for r in results) + "]"
        )
        return Response(body_out, media_type="application/json")

    async def analyzers(request: Request) -> Response:
        return JSONResponse({"default": catalogue.get("default", []), **catalogue})

    async def healthz(request: Request) -> Response:
        return JSONResponse(
            {
                "status": "ok",
                "version": _version(),
                "schema_version": AnalyzedDocument.model_fields["schema_version"].default,
                "analyzers": catalogue.get("default", []),
                "queue": {"pending": pool.pending, "limit": settings.queue},
                "token_required": settings.token is not None,
            }
        )

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_document(settings))

    async def index(request: Request) -> Response:
        from importlib import resources

        page = resources.files("copydesk.views").joinpath("serve.html").read_text("utf-8")
        return HTMLResponse(page)

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        detail = "no such route" if status == 404 else "method not allowed on this route"
        return _HttpError(status, f"{request.method} {request.url.path}: {detail}").response()

    async def server_error(request: Request, exc: Exception) -> Response:
        from copydesk.plugins import format_exception_brief

        return _HttpError(500, f"internal error: {format_exception_brief(exc)}").response()

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route(f"/{API_VERSION}/analyze", guarded(analyze), methods=["POST"]),
        Route(f"/{API_VERSION}/analyzers", guarded(analyzers), methods=["GET"]),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={404: not_found, 405: not_found, 500: server_error},
    )
    app.state.pool = pool
    return app


def _check_token(request: Request, token: str) -> None:
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip(), token):
        raise _HttpError(
            401,
            "a bearer token is required: send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )


async def _until_disconnect(request: Request) -> None:
    """Returns when the client goes away (after its body was read)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


async def _read_body(request: Request, limit: int) -> bytes:
    too_big = f"the body is larger than {limit:,} bytes (max_body_bytes)"
    length = request.headers.get("content-length")
    if length is not None:
        try:
            if int(length) > limit:
                raise _HttpError(413, too_big)
        except ValueError:
            raise _HttpError(400, f"bad Content-Length: {length!r}") from None
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _HttpError(413, too_big)
            chunks.append(chunk)
    except ClientDisconnect:
        raise _HttpError(400, "the client disconnected before sending the whole body") from None
    return b"".join(chunks)


def _check_documents(documents: list[Document], max_chars: int, max_documents: int) -> None:
    if len(documents) > max_documents:
        msg = f"{len(documents)} documents in one request; the limit is {max_documents}"
        raise _HttpError(413, msg)
    ids: set[str] = set()
    for n, doc in enumerate(documents, start=1):
        where = f"document {n} (id {doc.id!r})"
        if not doc.text.strip():
            raise _HttpError(422, f"{where} is empty (no text to analyze)")
        if len(doc.text) > max_chars:
            raise _HttpError(
                413, f"{where} is too long ({len(doc.text):,} characters; limit {max_chars:,})"
            )
        if doc.id in ids:
            raise _HttpError(422, f"{where}: the id is used twice in this request")
        ids.add(doc.id)


def _version() -> str:
    from copydesk import __version__

    return str(__version__)


def _catalogue(host: PluginHost) -> dict[str, Any]:
    """What ``GET /v1/analyzers`` lists: every installed analyzer and its options."""
    items = []
    for name, entry in sorted(host.analyzers().items()):
        cls = entry.cls
        options = {}
        for key, spec in cls.Settings.model_fields.items():
            default = None if spec.is_required() else spec.get_default(call_default_factory=True)
            options[key] = {
                "default": json.loads(json.dumps(default, default=str)),
                "description": spec.description,
            }
        items.append(
            {
                "name": name,
                "version": cls.qualified_version(),
                "plugin": entry.plugin.producer,
                "description": cls.description,
                "needs": sorted(getattr(c, "value", str(c)) for c in cls.needs),
                "options": options,
            }
        )
    return {"analyzers": items}


def openapi_document(settings: ServiceSettings) -> dict[str, Any]:
    """The OpenAPI 3.1 description of the service."""
    from copydesk.model import json_schema

    result = json_schema()
    defs = result.pop("$defs", {})
    request = AnalyzeRequest.model_json_schema(ref_template="#/components/schemas/{model}")
    defs.update(request.pop("$defs", {}))
    defs["AnalyzeRequest"] = request
    result.pop("$schema", None)
    defs["AnalyzedDocument"] = json.loads(
        json.dumps(result).replace("#/$defs/", "#/components/schemas/")
    )
    for name, schema in list(defs.items()):
        defs[name] = json.loads(json.dumps(schema).replace("#/$defs/", "#/components/schemas/"))
    error = {
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "properties": {
                    "status": {"type": "integer"},
                    "message": {"type": "string"},
                    "details": {"type": "array", "items": {"type": "object"}},
                },
                "required": ["status", "message"],
            }
        },
    }
    defs["Error"] = error
    err = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    security: list[dict[str, list[str]]] = [{"bearer": []}] if settings.token is not None else []
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "copydesk",
            "version": _version(),
            "description": "Sourcing, hedging, readability and entities in news copy, "
            "pinned to character spans.",
        },
        "components": {
            "schemas": defs,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": security,
        "paths": {
            f"/{API_VERSION}/analyze": {
                "post": {
                    "summary": "Analyze one document or a list",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/AnalyzeRequest"}
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "One analyzed document (an array for a list); "
                            "the HTML view for format=html. A failing analyzer is recorded "
                            "in the document's 'analyzers'.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "oneOf": [
                                            {"$ref": "#/components/schemas/AnalyzedDocument"},
                                            {
                                                "type": "array",
                                                "items": {
                                                    "$ref": "#/components/schemas/AnalyzedDocument"
                                                },
                                            },
                                        ]
                                    }
                                },
                                "text/html": {"schema": {"type": "string"}},
                            },
                        },
                        "400": {"description": "Malformed JSON", "content": err},
                        "401": {"description": "Missing or wrong bearer token", "content": err},
                        "413": {"description": "Body or a document too large", "content": err},
                        "422": {
                            "description": "Wrong types, unknown analyzer, bad settings",
                            "content": err,
                        },
                        "503": {"description": "Queue full; see Retry-After", "content": err},
                        "504": {"description": "Took longer than request_timeout", "content": err},
                    },
                }
            },
            f"/{API_VERSION}/analyzers": {
                "get": {
                    "summary": "Installed analyzers, their versions and options",
                    "responses": {"200": {"description": "The analyzers"}},
                }
            },
            "/healthz": {
                "get": {
                    "summary": "Liveness, version and queue",
                    "security": [],
                    "responses": {"200": {"description": "Serving"}},
                }
            },
        },
    }


def serve(
    settings: ServiceSettings,
    config: CopydeskConfig | None = None,
    *,
    disable_autoload: bool | None = None,
) -> None:
    """Run the service with uvicorn until interrupted."""
    import uvicorn

    app = create_app(settings, config, disable_autoload=disable_autoload)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        timeout_graceful_shutdown=5,
        server_header=False,
    )
