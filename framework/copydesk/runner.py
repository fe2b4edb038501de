"""The runner: the :class:`Engine` that analyzes documents.

One engine = one plan (ordered analyzers with validated settings) + at most one
spaCy pipeline, loaded on first use with only the components the plan needs.
Each text is parsed once, in batches through ``nlp.pipe``; then every analyzer
runs in dependency order on the shared parse.

Failure isolation is the runner's job, not pluggy's: it calls each analyzer
itself, so an exception in one analyzer on one document becomes a ``failed`` run
record on that document, analyzers that require it are ``skipped``, and every
other analyzer and document completes. ``strict=True`` re-raises instead.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import itertools
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from copydesk.analyzer import AnalysisContext, Analyzer, DocumentState, commit
from copydesk.config import CopydeskConfig, validate_analyzer_settings
from copydesk.errors import InputError
from copydesk.limits import AnalyzerTimeout, time_limit
from copydesk.model import AnalyzedDocument, AnalyzerRun, Document, RunStatus
from copydesk.planning import Plan, plan_run
from copydesk.plugins import AnalyzerEntry, PluginHost, format_exception_brief, make_plugin_host

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from copydesk.executors import Executor
    from copydesk.language import Guess


@dataclass
class EngineStats:
    """Where the time went, summed over every document the engine has seen."""

    documents: int = 0
    words: int = 0
    load_seconds: float = 0.0
    parse_seconds: float = 0.0
    analyzer_seconds: dict[str, float] = field(default_factory=dict)

    def add(self, other: EngineStats) -> None:
        """Add a worker's stats to these."""
        self.documents += other.documents
        self.words += other.words
        self.parse_seconds += other.parse_seconds
        self.load_seconds += other.load_seconds
        for name, seconds in other.analyzer_seconds.items():
            self.analyzer_seconds[name] = self.analyzer_seconds.get(name, 0.0) + seconds


@dataclass(frozen=True)
class EngineSpec:
    """Everything a worker needs to build the same engine: picklable, no loaded state.

    ``config`` is the validated configuration as JSON data; ``host_options`` the
    plugin host's loading options (autoload, blocked, entry points); ``plugins``
    the plugins passed in code (modules travel by import name, other objects are
    pickled, so their class must be importable). Workers run their engine serially.
    """

    config: dict[str, Any]
    host_options: dict[str, Any] = field(default_factory=dict)
    plugins: tuple[Any, ...] = ()

    def build(self) -> Engine:
        import importlib

        config = CopydeskConfig.model_validate({**self.config, "jobs": 1, "executor": "serial"})
        plugins = [_unwrap_plugin(p, importlib.import_module) for p in self.plugins]
        host = make_plugin_host(plugins=plugins, **self.host_options)
        return Engine(config, host=host)


def _wrap_plugin(plugin: Any) -> Any:
    """A plugin as it travels in a spec: a module by its import name."""
    import types

    if isinstance(plugin, tuple):
        return (plugin[0], _wrap_plugin(plugin[1]))
    if isinstance(plugin, types.ModuleType):
        return _ModuleRef(plugin.__name__)
    return plugin


def _unwrap_plugin(plugin: Any, load: Any) -> Any:
    if isinstance(plugin, tuple):
        return (plugin[0], _unwrap_plugin(plugin[1], load))
    return load(plugin.name) if isinstance(plugin, _ModuleRef) else plugin


@dataclass(frozen=True)
class _ModuleRef:
    name: str


@dataclass
class _Prepared:
    entry: AnalyzerEntry
    instance: Analyzer[Any] | None
    setup_error: str | None = None


class Engine:
    """Plans a run once, then analyzes any number of documents.

    >>> engine = Engine(analyzers=["stats"])          # doctest: +SKIP
    >>> engine.analyze("Officials said on Monday ...")  # doctest: +SKIP
    """

    def __init__(
        self,
        config: CopydeskConfig | None = None,
        *,
        host: PluginHost | None = None,
        analyzers: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
        model: str | None = None,
        settings: dict[str, dict[str, Any]] | None = None,
        strict: bool | None = None,
        with_deps: bool | None = None,
        plugins: Iterable[object] = (),
        disable_autoload: bool | None = None,
        nlp: Language | None = None,
    ) -> None:
        """Plan the run; ``nlp`` supplies a ready spaCy pipeline, used exactly as given
        (no component selection, no ``extend_pipeline`` hook): the caller vouches
        that it has what the selected analyzers need."""
        config = config or CopydeskConfig()
        updates: dict[str, Any] = {}
        if analyzers is not None:
            updates["select"] = [analyzers] if isinstance(analyzers, str) else list(analyzers)
        if exclude is not None:
            updates["exclude"] = list(exclude)
        if model is not None:
            updates["model"] = model
        if strict is not None:
            updates["strict"] = strict
        if with_deps is not None:
            updates["with_deps"] = with_deps
        if settings:
            merged = {k: dict(v) for k, v in config.settings.items()}
            for name, values in settings.items():
                merged.setdefault(name, {}).update(values)
            updates["settings"] = merged
        self.config = config.model_copy(update=updates)
        self.host = host or make_plugin_host(
            plugins=list(plugins),
            blocked=self.config.disable_plugins,
            disable_autoload=disable_autoload,
        )
        self.plan: Plan = plan_run(
            self.host, self.config.select, self.config.exclude, with_deps=self.config.with_deps
        )
        self._check_unknown_settings()
        self.stats = EngineStats()
        self._prepared = self._prepare()
        self._nlp = nlp
        self._load_lock = threading.Lock()  # two threads on a cold engine load once
        self._gc_frozen = False  # see _parse
        self._timeout = self.config.analyzer_timeout
        self.model_note: str | None = None

    # -- setup -----------------------------------------------------------------------

    def _check_unknown_settings(self) -> None:
        from copydesk.errors import ConfigError

        known = self.host.analyzers()
        planned = set(self.plan.names)
        for name, values in self.config.settings.items():
            if name not in known:
                where = f"{self.config.source}: " if self.config.source else ""
                installed = ", ".join(sorted(known))
                msg = f"{where}settings for unknown analyzer {name!r} (installed: {installed})"
                raise ConfigError(msg)
            if name not in planned:  # a typo should not wait for the day it is selected
                cls = known[name].cls
                validate_analyzer_settings(name, cls.Settings, values, self.config.source)

    def _prepare(self) -> list[_Prepared]:
        lexicons = self.host.lexicon_entries()
        prepared = []
        for entry in self.plan.entries:
            cls = entry.cls
            settings = validate_analyzer_settings(
                cls.name, cls.Settings, self.config.settings.get(cls.name, {}), self.config.source
            )
            try:
                instance = cls(settings, lexicons)
            except Exception as exc:
                if self.config.strict:
                    raise
                prepared.append(
                    _Prepared(entry, None, f"setup failed: {format_exception_brief(exc)}")
                )
                continue
            prepared.append(_Prepared(entry, instance))
        return prepared

    def spec(self) -> EngineSpec:
        """The serializable description of this engine, for workers to rebuild it."""
        return EngineSpec(
            config=self.config.model_dump(mode="json"),
            host_options=dict(self.host.options),
            plugins=tuple(_wrap_plugin(p) for p in self.host.code_plugins),
        )

    @property
    def nlp(self) -> Language | None:
        """The shared spaCy pipeline once :meth:`load` ran (None before, or if none is needed)."""
        return self._nlp

    @property
    def loaded(self) -> bool:
        """True when the engine can parse: its pipeline is loaded, or none is needed."""
        return self._nlp is not None or not self.plan.needs

    def load(self) -> Engine:
        """Load the spaCy pipeline the plan needs (once; a no-op when none is needed).

        Explicit so that a missing model fails before any input is read, and so
        that workers load once when they start. Raises ModelNotFoundError.
        """
        with self._load_lock:
            self._load()
        return self

    def _load(self) -> None:
        if self._nlp is None and self.plan.needs:
            from copydesk.nlp import fallback_note, load_pipeline, resolve_model

            started = time.perf_counter()
            resolved, _meta = resolve_model(self.config.model)
            self.model_note = fallback_note(self.config.model, resolved)
            nlp = load_pipeline(resolved, self.plan.needs)
            # Each plugin on its own: one that raises is recorded, the pipeline goes on.
            self.host.call_each("extend_pipeline", nlp=nlp, needs=self.plan.needs)
            # After the plugins, so a rule one of them adds to the attribute ruler is
            # compiled too (or keeps spaCy's ruler when the tables cannot express it).
            from copydesk.fast_components import accelerate

            accelerate(nlp)
            nlp.max_length = max(nlp.max_length, self.config.max_chars + 1)
            self._nlp = nlp
            self.stats.load_seconds += time.perf_counter() - started

    @property
    def setup_errors(self) -> dict[str, str]:
        """Analyzers whose setup failed, with the reason (they fail on every document)."""
        return {p.entry.cls.name: p.setup_error for p in self._prepared if p.setup_error}

    @property
    def analyzer_names(self) -> list[str]:
        return self.plan.names

    # -- running ---------------------------------------------------------------------

    def analyze(self, doc: Document | str) -> AnalyzedDocument:
        """Analyze one document (or a bare string)."""
        if isinstance(doc, str):
            doc = Document(id="text", text=doc)
        for item in self.analyze_many([doc]):
            if isinstance(item, InputError):
                from copydesk.errors import CopydeskError

                raise CopydeskError(str(item))
            return item
        raise AssertionError("unreachable")  # pragma: no cover

    def analyze_many(
        self,
        items: Iterable[Document | InputError | str],
        *,
        executor: Executor | str | None = None,
    ) -> Iterator[AnalyzedDocument | InputError]:
        """Analyze a stream of documents; input errors pass through in order.

        ``executor`` (an :class:`~copydesk.executors.Executor` or a registered
        name such as ``"processes"``) spreads the work; by default the config's
        ``executor`` and ``jobs`` decide (``jobs > 1``: worker processes).
        Bare strings are analyzed as documents with ids ``text:1``, ``text:2``...
        """
        documents = (_as_item(item, n) for n, item in enumerate(items, start=1))
        chosen = self.make_executor(executor)
        if chosen is None:
            yield from self.analyze_serial(documents)
            return
        try:
            yield from chosen.run(self, documents)
        finally:
            chosen.close()

    def make_executor(
        self, executor: Executor | str | None = None, options: dict[str, Any] | None = None
    ) -> Executor | None:
        """The executor a run uses: the one given, or the config's (None: in this process).

        ``options`` go to the executor's factory as keyword arguments (the CLI's
        ``--executor-option KEY=VALUE``); a factory that rejects one raises ConfigError.
        """
        from copydesk.executors import Executor as ExecutorBase

        if isinstance(executor, ExecutorBase):
            return executor
        jobs = self.config.jobs
        name = executor or self.config.executor
        if name is None:
            name = "auto" if jobs == "auto" else "processes" if jobs > 1 else "serial"
        if name == "serial" and not options:
            return None
        known = self.host.executors()
        if name not in known:
            from copydesk.errors import SelectionError

            msg = f"--executor: unknown executor {name!r} (known: {', '.join(sorted(known))})"
            raise SelectionError(msg)
        count = jobs if isinstance(jobs, int) and jobs > 1 else None
        try:
            return known[name].factory(jobs=count, **(options or {}))
        except TypeError as exc:
            from copydesk.errors import ConfigError

            msg = f"--executor-option: executor {name!r} does not take these options ({exc})"
            raise ConfigError(msg) from exc

    def analyze_serial(
        self, items: Iterable[Document | InputError]
    ) -> Iterator[AnalyzedDocument | InputError]:
        """Analyze in this process, batch after batch, whatever the config's executor."""
        iterator = iter(items)
        while batch := list(itertools.islice(iterator, self.config.batch_size)):
            yield from self._analyze_batch(batch)

    def _analyze_batch(
        self, batch: list[Document | InputError]
    ) -> Iterator[AnalyzedDocument | InputError]:
        checked: list[Document | InputError] = []
        for item in batch:
            if isinstance(item, Document) and len(item.text) > self.config.max_chars:
                item = InputError(
                    item.id,
                    f"is too long ({len(item.text):,} characters; the limit is "
                    f"{self.config.max_chars:,}): split it or raise max_chars",
                )
            elif isinstance(item, Document) and not item.text.strip():
                item = InputError(item.id, "is empty (no text to analyze)")
            checked.append(item)
        docs = [item for item in checked if isinstance(item, Document)]
        with _fewer_collections():  # never across a yield: the caller keeps its own
            # The language guard runs before the parse: a document every parsing
            # analyzer would refuse (German copy, English-only analyzers) is not parsed.
            languages = {id(d): self._language_of(d) for d in docs}
            parsed = self._parse([d for d in docs if self._wants_parse(languages[id(d)])])
        for item in checked:
            if isinstance(item, InputError):
                yield item
                continue
            spacy_doc, parse_error = parsed.get(id(item), (None, None))
            with _fewer_collections():
                analyzed = self._run_document(item, spacy_doc, parse_error, languages[id(item)])
            yield analyzed

    def _wants_parse(self, language: Guess | None) -> bool:
        """Whether some analyzer that reads the parse applies to a text in ``language``."""
        return any(
            p.entry.cls.needs and _language_refusal(p.entry.cls, language) is None
            for p in self._prepared
        )

    def _parse(self, docs: list[Document]) -> dict[int, tuple[Doc | None, str | None]]:
        out: dict[int, tuple[Doc | None, str | None]] = {id(d): (None, None) for d in docs}
        if not docs:
            return out
        if not self.loaded:
            self.load()
        nlp = self._nlp
        if nlp is None:
            return out
        if not self._gc_frozen:
            # The model, the lexicons and the analyzers' tables (some 120,000
            # objects) stay for the whole run: moved out of the cyclic garbage
            # collector's sight once, so its full collections skip them instead of
            # walking them all again (~0.15 CPU s per 84 news articles, most of it
            # inside the analyzers). Reference counting still frees them with the
            # engine; only garbage *cycles* among what exists now are kept, until
            # the interpreter exits (then they are collected as usual, so that
            # extension modules' leak checks at exit stay quiet).
            _freeze_long_lived()
            self._gc_frozen = True
        started = time.perf_counter()
        try:
            for doc, spacy_doc in zip(
                docs, nlp.pipe((d.text for d in docs), batch_size=len(docs)), strict=True
            ):
                out[id(doc)] = (spacy_doc, None)
        except Exception:
            if self.config.strict:
                raise
            for doc in docs:  # isolate the document that broke the batch
                try:
                    out[id(doc)] = (nlp(doc.text), None)
                except Exception as exc:  # noqa: BLE001
                    out[id(doc)] = (
                        None,
                        f"spaCy could not parse it: {format_exception_brief(exc)}",
                    )
        self.stats.parse_seconds += time.perf_counter() - started
        return out

    def _language_of(self, doc: Document) -> Guess | None:
        """The document's language, guessed only when some analyzer is limited to some."""
        if not any(p.entry.cls.languages is not None for p in self._prepared):
            return None
        from copydesk.language import document_language

        return document_language(doc.text, doc.meta)

    def _run_document(
        self, doc: Document, spacy_doc: Doc | None, parse_error: str | None, language: Guess | None
    ) -> AnalyzedDocument:
        result = AnalyzedDocument(document=doc)
        state = DocumentState(result, spacy_doc, self.plan.contracts)
        unavailable: dict[str, str] = {}
        self.stats.documents += 1
        self.stats.words += len(doc.text.split())
        for prepared in self._prepared:
            cls = prepared.entry.cls
            plugin = prepared.entry.plugin
            run = AnalyzerRun(
                name=cls.name,
                version=cls.qualified_version(),
                plugin=plugin.producer,
                status=RunStatus.OK,
                seconds=0.0,
            )
            result.analyzers.append(run)
            missing = [dep for dep in self.plan.requires[cls.name] if dep in unavailable]
            if missing:
                run.status = RunStatus.SKIPPED
                run.error = f"requires {missing[0]!r}, which did not complete"
                unavailable[cls.name] = run.error
                continue
            refusal = _language_refusal(cls, language)
            if refusal is not None:
                run.status = RunStatus.NOT_APPLICABLE
                run.error = refusal
                unavailable[cls.name] = refusal
                continue
            if prepared.instance is None or (parse_error and cls.needs):
                run.status = RunStatus.FAILED
                run.error = prepared.setup_error or parse_error
                unavailable[cls.name] = run.error or "failed"
                continue
            ctx = AnalysisContext(cls.name, state, producer=plugin.producer)
            started = time.perf_counter()
            try:
                # A plugin's print() must not corrupt the output stream.
                with contextlib.redirect_stdout(sys.stderr), time_limit(self._timeout):
                    prepared.instance.analyze(ctx)
                commit(ctx, cls, result, run)
            except (Exception, SystemExit, AnalyzerTimeout) as exc:
                if self.config.strict and not isinstance(exc, AnalyzerTimeout):
                    raise
                run.status = RunStatus.FAILED
                run.error = _failure(exc, self._timeout)
                unavailable[cls.name] = run.error
            finally:
                run.seconds = time.perf_counter() - started
                total = self.stats.analyzer_seconds.get(cls.name, 0.0)
                self.stats.analyzer_seconds[cls.name] = total + run.seconds
        return result


_unfreeze_at_exit = False


def _freeze_long_lived() -> None:
    """``gc.freeze()``, and ``gc.unfreeze()`` registered once to run at exit."""
    global _unfreeze_at_exit  # once per process
    if not _unfreeze_at_exit:
        atexit.register(gc.unfreeze)
        _unfreeze_at_exit = True
    gc.freeze()


YOUNG_COLLECTION_THRESHOLD = 10_000
"""Net new container objects between two collections of the youngest generation
while the engine parses and analyzes (Python's default is 700): see
:func:`_fewer_collections`."""


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while this block runs.

    A parse and the analyzers allocate and free millions of objects per hundred
    articles, nearly all freed by reference counting (a run of 200 PolNeAR
    articles leaves about 300 objects in cycles). At Python's default the young
    generation is collected every 700 net allocations, the middle one every
    tenth time and everything alive - the results a caller keeps, the caches -
    whenever that has grown by a quarter: on 200 articles whose results were
    kept, 0.23-0.29 CPU s of collection, 0.14-0.21 s of it inside the analyzers.
    At 10,000 it was 0.07 s (0.03 s inside the analyzers); on 84 articles whose
    results were dropped, 0.065 -> 0.03 s.

    Bounded and undone: at most 10,000 more objects wait for a collection; the
    thresholds are restored when the block ends, and the runner never yields a
    result to the caller inside it, so the caller's code runs at its own; a
    threshold the caller set higher, or a collector switched off, is left alone.
    """
    thresholds = gc.get_threshold()
    if not gc.isenabled() or not 0 < thresholds[0] < YOUNG_COLLECTION_THRESHOLD:
        yield
        return
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _language_refusal(cls: type[Analyzer[Any]], language: Guess | None) -> str | None:
    """Why ``cls`` does not apply to a text in ``language`` (None: it applies)."""
    if cls.languages is None or language is None or language.language in cls.languages:
        return None
    how = "stated" if language.stated else "detected"
    supported = ", ".join(sorted(cls.languages))
    return f"text is {language.name} ({language.language}, {how}); {cls.name} supports {supported}"


def _failure(exc: BaseException, timeout: float) -> str:
    """The one-line reason an analyzer failed on a document."""
    if isinstance(exc, AnalyzerTimeout):
        return f"timed out after {timeout:g} s (analyzer_timeout)"
    if isinstance(exc, SystemExit):
        return f"called sys.exit({exc.code!r})"
    return format_exception_brief(exc)


def _as_item(item: object, number: int) -> Document | InputError:
    """What ``analyze_many`` accepts, or a TypeError saying what it got instead."""
    if isinstance(item, Document | InputError):
        return item
    if isinstance(item, str):
        return Document(id=f"text:{number}", text=item)
    msg = (
        f"analyze_many: item {number} is {type(item).__name__}; "
        "give copydesk.Document objects (or strings)"
    )
    raise TypeError(msg)
