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

import itertools
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from copydesk.analyzer import AnalysisContext, Analyzer, DocumentState, commit
from copydesk.config import CopydeskConfig, validate_analyzer_settings
from copydesk.errors import InputError
from copydesk.model import AnalyzedDocument, AnalyzerRun, Document, RunStatus
from copydesk.planning import Plan, plan_run
from copydesk.plugins import AnalyzerEntry, PluginHost, format_exception_brief, make_plugin_host

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@dataclass
class EngineStats:
    """Where the time went, summed over every document the engine has seen."""

    documents: int = 0
    words: int = 0
    load_seconds: float = 0.0
    parse_seconds: float = 0.0
    analyzer_seconds: dict[str, float] = field(default_factory=dict)


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
            merged = {k: dict(v) for k, v in config.analyzers.items()}
            for name, values in settings.items():
                merged.setdefault(name, {}).update(values)
            updates["analyzers"] = merged
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
        self.model_note: str | None = None

    # -- setup -----------------------------------------------------------------------

    def _check_unknown_settings(self) -> None:
        from copydesk.errors import ConfigError

        known = self.host.analyzers()
        planned = set(self.plan.names)
        for name, values in self.config.analyzers.items():
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
                cls.name, cls.Settings, self.config.analyzers.get(cls.name, {}), self.config.source
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

    @property
    def nlp(self) -> Language | None:
        """The shared spaCy pipeline, loaded on first use; None if nothing needs spaCy."""
        if self._nlp is None and self.plan.needs:
            from copydesk.nlp import fallback_note, load_pipeline, resolve_model

            started = time.perf_counter()
            resolved, _meta = resolve_model(self.config.model)
            self.model_note = fallback_note(self.config.model, resolved)
            nlp = load_pipeline(resolved, self.plan.needs)
            # Each plugin on its own: one that raises is recorded, the pipeline goes on.
            self.host.call_each("extend_pipeline", nlp=nlp, needs=self.plan.needs)
            nlp.max_length = max(nlp.max_length, self.config.max_chars + 1)
            self._nlp = nlp
            self.stats.load_seconds += time.perf_counter() - started
        return self._nlp

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
        self, items: Iterable[Document | InputError]
    ) -> Iterator[AnalyzedDocument | InputError]:
        """Analyze a stream of documents in batches; input errors pass through in order."""
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
        parsed = self._parse(docs)
        for item in checked:
            if isinstance(item, InputError):
                yield item
                continue
            spacy_doc, parse_error = parsed[id(item)]
            yield self._run_document(item, spacy_doc, parse_error)

    def _parse(self, docs: list[Document]) -> dict[int, tuple[Doc | None, str | None]]:
        out: dict[int, tuple[Doc | None, str | None]] = {id(d): (None, None) for d in docs}
        nlp = self.nlp
        if nlp is None or not docs:
            return out
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

    def _run_document(
        self, doc: Document, spacy_doc: Doc | None, parse_error: str | None
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
            if prepared.instance is None or (parse_error and cls.needs):
                run.status = RunStatus.FAILED
                run.error = prepared.setup_error or parse_error
                unavailable[cls.name] = run.error or "failed"
                continue
            ctx = AnalysisContext(cls.name, state, producer=plugin.producer)
            started = time.perf_counter()
            try:
                prepared.instance.analyze(ctx)
                commit(ctx, cls, result, run)
            except Exception as exc:
                if self.config.strict:
                    raise
                run.status = RunStatus.FAILED
                run.error = format_exception_brief(exc)
                unavailable[cls.name] = run.error
            finally:
                run.seconds = time.perf_counter() - started
                total = self.stats.analyzer_seconds.get(cls.name, 0.0)
                self.stats.analyzer_seconds[cls.name] = total + run.seconds
        return result
