"""The shared document model: the public contract of copydesk's output.

Every analyzer, built-in or third-party, reads and writes through these pydantic
models. The JSON form of :class:`AnalyzedDocument` (``schema_version``,
``document``, ``findings``, ``metrics``, ``analyzers``, ``data``) is what
``copydesk analyze --format json`` prints and what ``copydesk schema`` describes.

Why offsets are validated here and not in each analyzer: a finding whose span
does not match the text it claims to quote is worse than no finding, because an
editor will trust the highlight. The model refuses it once, for everybody.
"""

from __future__ import annotations

import math
from enum import Enum
from typing import Any, TypeVar, overload

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = "1.0"

ModelT = TypeVar("ModelT", bound=BaseModel)

MetricValue = float | int


class Document(BaseModel):
    """One article (or any text) to analyze.

    ``meta`` is free-form: url, outlet, published date, author, or anything a
    newsroom's pipeline carries along. It is passed through untouched.
    """

    model_config = ConfigDict(extra="forbid")

    id: str = Field(
        description="Identifier, unique within a batch (file name, line number or given id)."
    )
    text: str = Field(description="The article body; all offsets point into this string.")
    title: str | None = Field(default=None, description="Headline, if known.")
    meta: dict[str, Any] = Field(
        default_factory=dict,
        description="Free metadata such as url, outlet, published, author.",
    )

    @model_validator(mode="after")
    def _writable(self) -> Document:
        # Lone surrogates (from JSON escapes or a careless decode) cannot be written
        # as UTF-8, so every output of the document would fail: refuse them here.
        for name, value in (("text", self.text), ("title", self.title), ("id", self.id)):
            if value is not None:
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError as exc:
                    msg = f"{name} holds a character that cannot be written as UTF-8 ({exc.reason})"
                    raise ValueError(msg) from None
        return self


class Span(BaseModel):
    """A stretch of the document text, in Python ``str`` (code point) offsets."""

    model_config = ConfigDict(extra="forbid")

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            msg = f"span end {self.end} is before its start {self.start}"
            raise ValueError(msg)
        return self


class Finding(BaseModel):
    """One claim an analyzer makes about the text, pinned to a character span.

    ``data`` holds kind-specific structure (an attribution's source/cue/content
    spans, a hedge's category, a sentence's grade). ``producer`` names the plugin
    distribution and version that made the finding, so a saved report can be
    traced back to the code that wrote it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    analyzer: str = Field(description="Name of the analyzer that made the finding.")
    kind: str = Field(description="What was found, e.g. 'hedge', 'attribution', 'entity'.")
    start: int = Field(ge=0, description="Start offset into document.text (inclusive).")
    end: int = Field(ge=0, description="End offset into document.text (exclusive).")
    text: str = Field(description="document.text[start:end], for readers of the JSON alone.")
    label: str | None = Field(default=None, description="Short classification, e.g. 'PERSON'.")
    message: str | None = Field(default=None, description="A sentence an editor can act on.")
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    data: dict[str, Any] = Field(default_factory=dict, description="Kind-specific structure.")
    producer: str | None = Field(
        default=None, description="Plugin distribution and version, e.g. 'copydesk 0.1.0'."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Finding:
        if self.end < self.start:
            msg = f"finding end {self.end} is before its start {self.start}"
            raise ValueError(msg)
        return self


_FINDING_FIELDS = set(Finding.model_fields)
_set_attribute = object.__setattr__  # a frozen model's own __setattr__ refuses


def trusted_finding(values: dict[str, Any]) -> Finding:
    """A :class:`Finding` of values the caller has already checked, without validating.

    What ``Finding.model_construct`` does for a full set of fields, without its
    per-field loop: the framework builds thousands of findings per corpus, each
    of whose values it has checked itself (:meth:`AnalysisContext.add_finding`,
    :func:`copydesk.analyzer.commit`). ``values`` must name every field, so the
    finding looks as if each had been given (``model_fields_set``).
    """
    finding = Finding.__new__(Finding)
    _set_attribute(finding, "__dict__", values)
    _set_attribute(finding, "__pydantic_fields_set__", _FINDING_FIELDS.copy())  # its own set
    _set_attribute(finding, "__pydantic_extra__", None)
    _set_attribute(finding, "__pydantic_private__", None)
    return finding


class RunStatus(str, Enum):
    """How one analyzer's run on one document ended."""

    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"
    NOT_APPLICABLE = "not_applicable"


class AnalyzerRun(BaseModel):
    """The record of one analyzer's run on one document."""

    model_config = ConfigDict(extra="forbid")

    name: str
    version: str
    plugin: str | None = Field(default=None, description="Distribution that supplied it.")
    status: RunStatus
    seconds: float = Field(ge=0.0)
    error: str | None = Field(default=None, description="One-line reason when not ok.")


# Which analyzer provides which payload model, filled as analyzer classes are
# defined (``Analyzer.provides``); it lets a saved result be read by model alone.
_PAYLOAD_OWNERS: dict[type[BaseModel], str] = {}


def register_payload_model(model: type[BaseModel], analyzer: str) -> None:
    """Record that ``analyzer`` stores ``model`` under ``data[analyzer]``."""
    _PAYLOAD_OWNERS[model] = analyzer


def payload_owner(model: type[BaseModel]) -> str | None:
    """The analyzer that declared it provides ``model``, if any was defined."""
    return _PAYLOAD_OWNERS.get(model)


def check_metric(name: str, value: MetricValue) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"metric {name!r} must be a number, not {type(value).__name__}"
        raise ValueError(msg)
    if isinstance(value, float) and not math.isfinite(value):
        msg = f"metric {name!r} is {value}; report a status instead of NaN or infinity"
        raise ValueError(msg)


class AnalyzedDocument(BaseModel):
    """A document plus everything the analyzers found in it.

    ``metrics`` keys are ``"<analyzer>.<metric>"``. ``data`` holds each
    analyzer's structured payload under its name (e.g. ``data["entities"]``
    lists merged entities), for consumers that need more than flat findings.
    """

    # ``data`` holds JSON-ready values; read a payload typed with :meth:`payload`
    # and the provider's own model (``result.payload(EntitiesPayload)``).

    model_config = ConfigDict(extra="forbid")

    schema_version: str = SCHEMA_VERSION
    document: Document
    findings: list[Finding] = Field(default_factory=list)
    metrics: dict[str, MetricValue] = Field(default_factory=dict)
    analyzers: list[AnalyzerRun] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)

    @field_validator("metrics")
    @classmethod
    def _finite_metrics(cls, metrics: dict[str, MetricValue]) -> dict[str, MetricValue]:
        for name, value in metrics.items():
            check_metric(name, value)
        return metrics

    @model_validator(mode="after")
    def _spans_in_text(self) -> AnalyzedDocument:
        for finding in self.findings:
            check_span(self.document.text, finding.start, finding.end, finding.text)
        return self

    # -- convenience for consumers and analyzers -------------------------------------

    def findings_of(self, analyzer: str | None = None, kind: str | None = None) -> list[Finding]:
        """Findings filtered by analyzer and/or kind, in document order."""
        return [
            f
            for f in self.findings
            if (analyzer is None or f.analyzer == analyzer) and (kind is None or f.kind == kind)
        ]

    @overload
    def payload(self, analyzer: type[ModelT], model: None = None) -> ModelT | None: ...
    @overload
    def payload(self, analyzer: str, model: type[ModelT]) -> ModelT | None: ...
    def payload(
        self, analyzer: str | type[ModelT], model: type[ModelT] | None = None
    ) -> ModelT | None:
        """An analyzer's payload as a fresh typed object (None if absent).

        ``payload(EntitiesPayload)`` finds the analyzer that declared it
        ``provides`` that model; ``payload("entities", EntitiesPayload)`` names it.
        Each call validates anew, so a consumer never holds the stored data.
        """
        if isinstance(analyzer, str):
            if model is None:
                msg = "payload(name, model): give the model to validate the payload as"
                raise TypeError(msg)
            name = analyzer
        else:
            owner = payload_owner(analyzer)
            if owner is None:
                msg = f"no analyzer declares that it provides {analyzer.__name__}"
                raise LookupError(msg)
            model, name = analyzer, owner
        raw = self.data.get(name)
        if raw is None:
            return None
        return model.model_validate(raw.model_dump() if isinstance(raw, BaseModel) else raw)

    def run_of(self, analyzer: str) -> AnalyzerRun | None:
        """The run record of one analyzer, if it was selected."""
        return next((r for r in self.analyzers if r.name == analyzer), None)

    @property
    def ok(self) -> bool:
        """True when no analyzer failed on this document."""
        return all(r.status is not RunStatus.FAILED for r in self.analyzers)

    def _repr_html_(self) -> str:
        """Jupyter shows an analyzed document as the HTML article view."""
        from copydesk.views.html import repr_html

        return repr_html(self)


def check_span(text: str, start: int, end: int, quoted: str | None = None) -> None:
    """Raise ValueError unless ``0 <= start <= end <= len(text)`` and the quote matches."""
    if not 0 <= start <= end <= len(text):
        msg = f"span [{start}, {end}) is outside the text (0..{len(text)})"
        raise ValueError(msg)
    if quoted is not None and text[start:end] != quoted:
        msg = f"span [{start}, {end}) quotes {quoted!r} but the text there is {text[start:end]!r}"
        raise ValueError(msg)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of one analyzed document (what ``copydesk schema`` prints)."""
    schema = AnalyzedDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"copydesk analyzed document (schema {SCHEMA_VERSION})"
    return schema
