"""What an analyzer is, the contract between analyzers, and the context it works in.

An analyzer is a class. Its metadata sits on the class, so the runner can plan a
run - order analyzers, build the smallest spaCy pipeline - before any text is
read or any model is loaded:

* ``name``, ``version``, ``description``;
* ``needs``: the spaCy capabilities it reads (:class:`Capability`);
* ``provides``: the pydantic model of its payload, exported by its package;
* ``finding_data``: the pydantic model of each finding kind's ``data``;
* ``requires``: what it reads from earlier analyzers, as analyzer names or as the
  models they provide (``requires = (EntitiesPayload,)``);
* ``Settings``: its options (subclass :class:`Settings`: unknown keys are errors);
* ``languages``: the languages it can analyze (ISO 639-1 codes, e.g.
  ``frozenset({"en"})``); None (the default) means any. On a document in
  another language the runner marks it ``not_applicable`` without calling it.

The runner creates one instance per run with validated settings, then calls
:meth:`Analyzer.analyze` once per document with an :class:`AnalysisContext`.
The context is a read view plus private write buffers: an analyzer reads the
text, the shared parse and fresh copies of what earlier analyzers committed, and
can only *add* its own findings, metrics and payload. The runner validates and
commits them (:func:`commit`) only when ``analyze`` returns, so a failing
analyzer leaves nothing behind and no analyzer can reach another's output.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter
from pydantic_core import to_jsonable_python

from copydesk.model import (
    AnalyzedDocument,
    AnalyzerRun,
    Document,
    Finding,
    MetricValue,
    ModelT,
    RunStatus,
    check_metric,
    check_span,
    payload_owner,
    register_payload_model,
    trusted_finding,
)
from copydesk.sentences import reattach_closing_quotes, split_sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc


class Capability(str, Enum):
    """What an analyzer needs from the shared spaCy parse.

    ``sentences`` alone costs a light sentence segmenter (an analyzer content
    with copydesk's rule splitter asks for nothing: ``ctx.sentences`` falls back
    to it when the run does not parse); ``tagger`` brings
    part-of-speech tags and lemmas; ``parser`` brings dependencies (and
    sentences); ``ner`` brings named entities. The runner loads only the union
    of what the selected analyzers need, and no spaCy at all when that is empty.
    """

    SENTENCES = "sentences"
    TAGGER = "tagger"
    PARSER = "parser"
    NER = "ner"


class Settings(BaseModel):
    """Base class for an analyzer's options: unknown keys are refused.

    A misspelled ``--set hedging.min_confidense=0.5`` is an error naming the key
    and the valid ones. (The runner refuses unknown keys for any settings model,
    even one that does not derive from this class.)
    """

    model_config = ConfigDict(extra="forbid")


class NoSettings(Settings):
    """Settings model for analyzers that take no options."""


SettingsT = TypeVar("SettingsT", bound=BaseModel)


class Analyzer(Generic[SettingsT]):
    """Base class for every analyzer.

    Subclasses set the class attributes and implement :meth:`analyze`. Heavy
    imports (spaCy, models, big lexicons) belong in :meth:`setup` or
    :meth:`analyze`, never at module level, so ``copydesk --help`` stays fast.
    """

    name: ClassVar[str]
    version: ClassVar[str] = "1"
    description: ClassVar[str] = ""
    needs: ClassVar[frozenset[Capability]] = frozenset()
    requires: ClassVar[tuple[str | type[BaseModel], ...]] = ()
    provides: ClassVar[type[BaseModel] | None] = None
    finding_data: ClassVar[Mapping[str, type[BaseModel]]] = {}
    Settings: ClassVar[type[BaseModel]] = NoSettings
    languages: ClassVar[frozenset[str] | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        provided = cls.__dict__.get("provides")
        name = cls.__dict__.get("name")
        if isinstance(provided, type) and issubclass(provided, BaseModel) and name:
            register_payload_model(provided, name)

    def __init__(
        self,
        settings: SettingsT | None = None,
        lexicons: Mapping[str, Sequence[Any]] | None = None,
    ) -> None:
        self.settings: SettingsT = settings if settings is not None else self.Settings()  # type: ignore[assignment]
        # Entries contributed by plugins through the register_lexicon_entries hook,
        # keyed by lexicon name (e.g. "hedging", "sourcing.outlets").
        self.lexicons: Mapping[str, Sequence[Any]] = lexicons or {}
        self.setup()

    def setup(self) -> None:
        """Load what the analyzer needs once per run (lexicons, models)."""

    def analyze(self, ctx: AnalysisContext) -> None:
        """Add findings, metrics and a payload for one document to ``ctx``."""
        raise NotImplementedError

    @classmethod
    def qualified_version(cls) -> str:
        """``name.vN`` - written into every run record, so reports are traceable."""
        return f"{cls.name}.v{cls.version}"


def required_analyzers(
    cls: type[Analyzer[Any]], providers: Mapping[type[BaseModel], str]
) -> tuple[str, ...]:
    """``cls.requires`` as analyzer names: a model stands for the analyzer providing it.

    Raises LookupError naming the model when no installed analyzer provides it.
    """
    names: list[str] = []
    for item in cls.requires:
        owner = item if isinstance(item, str) else providers.get(item) or payload_owner(item)
        if owner is None:
            what = getattr(item, "__name__", repr(item))
            msg = f"{cls.name} requires {what}, which no installed analyzer provides"
            raise LookupError(msg)
        name: str = owner
        if name not in names:
            names.append(name)
    return tuple(names)


class DocumentState:
    """What the runner shares between the contexts of one document.

    Holds the committed result and what is computed once per document for all
    analyzers (the sentence spans), so the third analyzer asking for sentences
    does not split the text a third time.
    """

    __slots__ = ("_sentences", "contracts", "handed_over", "result", "spacy_doc")

    def __init__(
        self,
        result: AnalyzedDocument,
        spacy_doc: Doc | None,
        contracts: Contracts | None = None,
    ) -> None:
        self.result = result
        self.spacy_doc = spacy_doc
        self.contracts = contracts or Contracts()
        self._sentences: tuple[tuple[int, int], ...] | None = None
        # Each committed typed payload, by analyzer, until its first reader takes it
        # (see AnalysisContext.payload).
        self.handed_over: dict[str, BaseModel] = {}

    def sentences(self) -> tuple[tuple[int, int], ...]:
        if self._sentences is None:
            text = self.result.document.text
            doc = self.spacy_doc
            if doc is not None and doc.has_annotation("SENT_START"):
                spans = [(s.start_char, s.end_char) for s in doc.sents]
                self._sentences = tuple(reattach_closing_quotes(text, spans))
            else:
                self._sentences = tuple(split_sentences(text))
        return self._sentences


class AnalysisContext:
    """One analyzer's view of one document, and the collector of its output.

    Reading: ``text``, ``document`` (a copy), ``spacy_doc`` (None when no analyzer
    in the run needs spaCy; shared, so treat it as read-only), ``sentences``
    (character spans), and what earlier analyzers committed, as objects no other
    analyzer holds: ``findings()``, ``findings_with(Model)``, ``payload(Model)``
    (see there), ``metric()``.

    Writing: ``add_finding()``, ``set_metric()``, ``set_payload()`` and
    ``mark_not_applicable()``. Nothing written here reaches the output unless the
    analyzer returns and the runner validates it.
    """

    def __init__(
        self,
        analyzer: str,
        state: DocumentState | AnalyzedDocument,
        spacy_doc: Doc | None = None,
        producer: str | None = None,
    ) -> None:
        if isinstance(state, AnalyzedDocument):  # a context on its own (tests, tools)
            state = DocumentState(state, spacy_doc)
        self.analyzer = analyzer
        self.producer = producer
        self._state = state
        self._text = state.result.document.text
        self._findings: list[Finding] = []
        self._metrics: dict[str, MetricValue] = {}
        self._payload: Any = None
        self._not_applicable: str | None = None
        self._document: Document | None = None

    # -- reading ---------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self._text

    @property
    def document(self) -> Document:
        """A copy of the document (id, title, meta): changing it changes nothing."""
        if self._document is None:
            self._document = self._state.result.document.model_copy(deep=True)
        return self._document

    @property
    def spacy_doc(self) -> Doc | None:
        return self._state.spacy_doc

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """Sentence spans as ``(start, end)`` character offsets, whitespace trimmed.

        From the spaCy parse when the run has one; otherwise from copydesk's own
        rule-based splitter, which knows "U.S." and "$3.50" are not sentence ends.
        """
        return list(self._state.sentences())

    def findings(self, analyzer: str | None = None, kind: str | None = None) -> list[Finding]:
        """Copies of the findings earlier analyzers committed, in document order."""
        return [f.model_copy(deep=True) for f in self._state.result.findings_of(analyzer, kind)]

    def findings_with(self, model: type[ModelT]) -> list[tuple[Finding, ModelT]]:
        """Earlier findings whose ``data`` is declared as ``model``, with it typed.

        ``for finding, attribution in ctx.findings_with(Attribution): ...``
        """
        kinds = self._kinds_of(model)
        out: list[tuple[Finding, ModelT]] = []
        for finding in self._state.result.findings:
            if (finding.analyzer, finding.kind) in kinds:
                out.append((finding.model_copy(deep=True), model.model_validate(finding.data)))
        return out

    def _kinds_of(self, model: type[BaseModel]) -> set[tuple[str, str]]:
        kinds = {
            (analyzer, kind)
            for analyzer, declared in self._state.contracts.findings.items()
            for kind, data_model in declared.items()
            if data_model is model
        }
        if not kinds:
            msg = f"no analyzer in this run declares findings with data {model.__name__}"
            raise LookupError(msg)
        return kinds

    def payload(
        self, analyzer: str | type[ModelT], model: type[ModelT] | None = None
    ) -> ModelT | None:
        """An earlier analyzer's payload as a typed object no other analyzer holds
        (None if absent).

        ``ctx.payload(EntitiesPayload)`` looks the provider up by model;
        ``ctx.payload("entities", EntitiesPayload)`` names it.

        The first reader of a payload gets the very object its provider set, if
        it is of the model asked for: the runner took it over at commit (the
        output holds its JSON dump, made then) and nobody else holds it, so
        validating its dump again would only rebuild the same object (~0.15 ms
        per news article for the entities payload). Later readers get a copy
        validated anew from the stored data.
        """
        if not isinstance(analyzer, str):
            name = self._state.contracts.payloads.get(analyzer) or payload_owner(analyzer)
            if name is None:
                msg = f"no analyzer in this run provides {analyzer.__name__}"
                raise LookupError(msg)
            model = analyzer
        elif model is None:
            msg = "payload(name, model): give the model to validate the payload as"
            raise TypeError(msg)
        else:
            name = analyzer
        handed = self._state.handed_over
        if type(handed.get(name)) is model:
            return handed.pop(name)  # type: ignore[return-value]
        return self._state.result.payload(name, model)

    def metric(self, name: str) -> MetricValue | None:
        """A metric committed earlier, by its full name (``"readability.smog"``)."""
        return self._state.result.metrics.get(name)

    # -- what this analyzer has written so far (read-only views) ---------------------

    @property
    def new_findings(self) -> tuple[Finding, ...]:
        """The findings added so far by this analyzer (not yet committed)."""
        return tuple(self._findings)

    @property
    def new_metrics(self) -> Mapping[str, MetricValue]:
        """The metrics set so far by this analyzer, by full name."""
        return MappingProxyType(self._metrics)

    # -- writing ---------------------------------------------------------------------

    def add_finding(
        self,
        kind: str,
        start: int,
        end: int,
        *,
        label: str | None = None,
        message: str | None = None,
        confidence: float | None = None,
        data: BaseModel | dict[str, Any] | None = None,
    ) -> Finding:
        """Record a finding on ``text[start:end]``; offsets are checked now."""
        text = self._text
        # Plain int offsets inside the text (nearly every call) are checked here;
        # anything else goes through check_span, which raises for bad offsets.
        plain_offsets = type(start) is int and type(end) is int and 0 <= start <= end <= len(text)
        if not plain_offsets:
            check_span(text, start, end)
        if isinstance(data, BaseModel):
            data = data.model_dump(mode="json", exclude_unset=True)
        if (
            plain_offsets
            and type(kind) is str
            and type(self.analyzer) is str
            and (label is None or type(label) is str)
            and (message is None or type(message) is str)
            and (confidence is None or (type(confidence) is float and 0.0 <= confidence <= 1.0))
            and (data is None or (type(data) is dict and _str_keys_only(data)))
            and (self.producer is None or type(self.producer) is str)
        ):
            # Every value already is what validation would make of it: build the
            # finding without validating it again. Anything else (an int
            # confidence, a str subclass...) is validated below.
            finding = trusted_finding(
                {
                    "analyzer": self.analyzer,
                    "kind": kind,
                    "start": start,
                    "end": end,
                    "text": text[start:end],
                    "label": label,
                    "message": message,
                    "confidence": confidence,
                    "data": dict(data) if data else {},
                    "producer": self.producer,
                }
            )
            self._findings.append(finding)
            return finding
        finding = Finding(
            analyzer=self.analyzer,
            kind=kind,
            start=start,
            end=end,
            text=self._text[start:end],
            label=label,
            message=message,
            confidence=confidence,
            data=data or {},
            producer=self.producer,
        )
        self._findings.append(finding)
        return finding

    def span(self, start: int, end: int) -> dict[str, Any]:
        """A ``{start, end, text}`` dict for use inside ``Finding.data``.

        The range is checked with one comparison (:func:`check_span` words the
        error): an analyzer may make thousands a document (sourcing some 9,000
        a PolNeAR dev pass), so the common path calls nothing else.
        """
        text = self._text
        if not 0 <= start <= end <= len(text):
            check_span(text, start, end)
        return {"start": start, "end": end, "text": text[start:end]}

    def set_metric(self, name: str, value: MetricValue) -> None:
        """Record a metric; stored as ``"<analyzer>.<name>"``."""
        check_metric(name, value)
        self._metrics[f"{self.analyzer}.{name}"] = value

    def set_payload(self, payload: BaseModel | dict[str, Any]) -> None:
        """Record the analyzer's structured result (stored under ``data[analyzer]``)."""
        self._payload = payload

    def mark_not_applicable(self, reason: str) -> None:
        """Say the analyzer had nothing to measure here (e.g. an empty body)."""
        self._not_applicable = reason


_STR_ONLY = frozenset({str})


def _str_keys_only(data: dict[Any, Any]) -> bool:
    """Whether every key of ``data`` is exactly a ``str`` (one pass in C, no generator)."""
    return {*map(type, data)} <= _STR_ONLY


@dataclass(frozen=True)
class Contracts:
    """Who provides which model in a run: built once from the plan, shared by every context."""

    payloads: Mapping[type[BaseModel], str] = field(default_factory=dict)
    findings: Mapping[str, Mapping[str, type[BaseModel]]] = field(default_factory=dict)

    @classmethod
    def of(cls, analyzers: Sequence[type[Analyzer[Any]]]) -> Contracts:
        """The contracts declared by a run's analyzer classes."""
        return cls(
            payloads={a.provides: a.name for a in analyzers if a.provides is not None},
            findings={a.name: dict(a.finding_data) for a in analyzers if a.finding_data},
        )


def commit(
    ctx: AnalysisContext, cls: type[Analyzer[Any]], result: AnalyzedDocument, run: AnalyzerRun
) -> None:
    """Validate one analyzer's output and attach it to the document, all or nothing.

    Everything is checked here, whatever path it took into the buffers: a
    finding's analyzer, offsets, quoted text and confidence; its ``data`` against
    the declared model, and that it serializes to JSON; every metric's name and
    value; the payload against ``provides``. A failure raises ValueError or
    TypeError and the runner records the analyzer as failed on this document.
    """
    prefix = f"{ctx.analyzer}."
    findings = _checked_findings(ctx, cls)
    for name, value in ctx._metrics.items():
        if not isinstance(name, str) or not name.startswith(prefix):
            msg = f"metric {name!r} is outside the analyzer's namespace {prefix}*"
            raise ValueError(msg)
        check_metric(name, value)
    payload, typed = _payload_data(ctx._payload, cls)

    findings.sort(key=lambda f: (f.start, -f.end))
    result.findings.extend(findings)
    result.metrics.update(ctx._metrics)
    if payload is not None:
        result.data[ctx.analyzer] = payload
    if typed is not None:
        ctx._state.handed_over[ctx.analyzer] = typed
    if ctx._not_applicable:
        run.status = RunStatus.NOT_APPLICABLE
        run.error = ctx._not_applicable


def _checked_findings(ctx: AnalysisContext, cls: type[Analyzer[Any]]) -> list[Finding]:
    """The context's findings, checked, with JSON-ready ``data`` and the run's producer.

    The checks run over the whole batch at once: the ``data`` of each declared
    kind is validated in one call (:func:`_batch_validator`) and all of it made
    JSON-ready in another, instead of a call per finding. If any check fails,
    :func:`_checked_one_by_one` runs them again finding by finding, so the error
    raised is the one about the first bad finding, worded as always.
    """
    buffered = ctx._findings
    text = ctx.text
    analyzer = ctx.analyzer
    declared = cls.finding_data
    by_model: dict[type[BaseModel], list[dict[str, Any]]] = {}
    try:
        for finding in buffered:
            if type(finding) is not Finding or finding.analyzer != analyzer:
                raise _Recheck
            start, end, confidence = finding.start, finding.end, finding.confidence
            if not 0 <= start <= end <= len(text) or text[start:end] != finding.text:
                raise _Recheck
            if confidence is not None and not (
                isinstance(confidence, int | float) and math.isfinite(confidence)
            ):
                raise _Recheck
            model = declared.get(finding.kind)
            if model is not None:
                by_model.setdefault(model, []).append(finding.data)
        for model, items in by_model.items():
            _batch_validator(model).validate_python(items)
        jsonable = to_jsonable_python([f.data for f in buffered])
    except Exception:  # noqa: BLE001 - whatever failed, the one-by-one pass says what
        return _checked_one_by_one(ctx, cls)
    # Each checked finding gets its JSON-ready data and the run's producer in
    # place: it is frozen to the analyzer, whose run is over, so the object can
    # become the committed finding instead of being built a second time (~1 us a
    # finding, 8,700 findings per 84 news articles).
    producer = ctx.producer
    for finding, data in zip(buffered, jsonable, strict=True):
        values = finding.__dict__
        values["data"] = data
        values["producer"] = producer
    return list(buffered)


class _Recheck(Exception):
    """Some finding failed a check: find which, one by one, and say why."""


_BATCH_VALIDATORS: dict[type[BaseModel], TypeAdapter[list[Any]]] = {}


def _batch_validator(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    """A validator of a list of ``model`` data, built once per model."""
    adapter = _BATCH_VALIDATORS.get(model)
    if adapter is None:
        adapter = _BATCH_VALIDATORS[model] = TypeAdapter(list[model])  # type: ignore[valid-type]
    return adapter


def _checked_one_by_one(ctx: AnalysisContext, cls: type[Analyzer[Any]]) -> list[Finding]:
    """:func:`_checked_findings` a finding at a time: raises about the first bad one."""
    text = ctx.text
    declared = cls.finding_data
    findings: list[Finding] = []
    for finding in ctx._findings:
        if not isinstance(finding, Finding):
            msg = f"findings must be Finding objects, not {type(finding).__name__}"
            raise TypeError(msg)
        if finding.analyzer != ctx.analyzer:
            msg = f"a finding claims analyzer {finding.analyzer!r}; it can only be its own"
            raise ValueError(msg)
        check_span(text, finding.start, finding.end, finding.text)
        confidence = finding.confidence
        if confidence is not None and not (
            isinstance(confidence, int | float) and math.isfinite(confidence)
        ):
            msg = f"finding confidence {confidence!r} is not a number in [0, 1]"
            raise ValueError(msg)
        model = declared.get(finding.kind)
        if model is not None:
            try:
                model.model_validate(finding.data)
            except ValueError as exc:
                msg = f"{finding.kind!r} finding data does not match {model.__name__}: {exc}"
                raise ValueError(msg) from exc
        data = _jsonable(finding.data, f"{finding.kind!r} finding data")
        findings.append(finding.model_copy(update={"data": data, "producer": ctx.producer}))
    return findings


def _payload_data(payload: Any, cls: type[Analyzer[Any]]) -> tuple[Any, BaseModel | None]:
    """The payload as JSON-ready data for the output, and as an object of the
    declared model (None without one) for the runner to hand to its first reader."""
    if payload is None:
        return None, None
    if not isinstance(payload, BaseModel | dict):
        msg = f"payload must be a pydantic model or a dict, not {type(payload).__name__}"
        raise TypeError(msg)
    model = cls.provides
    if model is not None:
        if not isinstance(payload, model):
            raw = payload.model_dump() if isinstance(payload, BaseModel) else payload
            try:
                payload = model.model_validate(raw)
            except ValueError as exc:
                msg = f"payload does not match {model.__name__}: {exc}"
                raise ValueError(msg) from exc
        # pydantic's JSON mode already gives JSON-ready data: no second pass over it.
        return payload.model_dump(mode="json"), payload
    return _jsonable(payload, "payload"), None


def _jsonable(value: Any, what: str) -> Any:
    """``value`` as JSON-ready data, or ValueError naming what cannot be written."""
    try:
        return to_jsonable_python(value)
    except Exception as exc:  # noqa: BLE001 - pydantic raises several kinds here
        msg = f"{what} cannot be written as JSON ({type(exc).__name__}: {exc})"
        raise ValueError(msg) from None
