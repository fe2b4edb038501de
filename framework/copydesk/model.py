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
from typing import Any, TypeVar

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

    model_config = ConfigDict(extra="forbid")

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


def check_metric(name: str, value: MetricValue) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"metric {name!r} must be a number, not {type(value).__name__}"
        raise ValueError(msg)
    if isinstance(value, float) and not math.isfinite(value):
        msg = f"metric {name!r} is {value}; report a status instead of NaN or infinity"
        raise ValueError(msg)


class EntityMention(BaseModel):
    """One mention of a merged entity."""

    model_config = ConfigDict(extra="forbid")

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    label: str = Field(description="The entity's label (after relabelling by the majority).")
    original_label: str | None = Field(
        default=None, description="spaCy's label when it was corrected, else None."
    )


class Entity(BaseModel):
    """An entity merged across its mentions ("Donald Trump" = "Trump" = "Mr Trump").

    Written by the entities analyzer into ``AnalyzedDocument.data["entities"]``
    (as ``{"entities": [...]}``) and read by others, e.g. sourcing, through
    :attr:`AnalyzedDocument.entities`. It lives in the core model because it is a
    contract between plugins, not one plugin's private structure.
    """

    model_config = ConfigDict(extra="forbid")

    entity_id: str = Field(description="Stable within the document, e.g. 'E3'.")
    name: str = Field(description="Canonical name: the longest full form seen.")
    label: str = Field(description="One label for all mentions: PERSON, ORG, GPE, ...")
    mentions: list[EntityMention] = Field(default_factory=list)
    mention_count: int = Field(ge=0)
    first_start: int = Field(ge=0, description="Offset of the first mention.")
    in_title: bool = False
    in_lead: bool = False
    salience: float = Field(ge=0.0, le=1.0, description="How central the entity is (0-1).")
    aliases: list[str] = Field(default_factory=list, description="Distinct surface forms.")


class EntitiesPayload(BaseModel):
    """The entities analyzer's payload: every merged entity, in order of first mention."""

    model_config = ConfigDict(extra="forbid")

    entities: list[Entity] = Field(default_factory=list)


class AnalyzedDocument(BaseModel):
    """A document plus everything the analyzers found in it.

    ``metrics`` keys are ``"<analyzer>.<metric>"``. ``data`` holds each
    analyzer's structured payload under its name (e.g. ``data["entities"]``
    lists merged entities), for consumers that need more than flat findings.
    """

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

    def payload(self, analyzer: str, model: type[ModelT]) -> ModelT | None:
        """An analyzer's structured payload, validated as ``model`` (None if absent)."""
        raw = self.data.get(analyzer)
        if raw is None:
            return None
        if isinstance(raw, model):
            return raw
        return model.model_validate(raw)

    def run_of(self, analyzer: str) -> AnalyzerRun | None:
        """The run record of one analyzer, if it was selected."""
        return next((r for r in self.analyzers if r.name == analyzer), None)

    @property
    def entities(self) -> list[Entity]:
        """Merged entities written by the entities analyzer (empty if it did not run)."""
        payload = self.payload("entities", EntitiesPayload)
        return payload.entities if payload else []

    def entities_in(self, start: int, end: int) -> list[Entity]:
        """Merged entities with a mention overlapping ``[start, end)``, best cover first.

        "Best" is the entity whose mention overlaps the span most, then the one
        that starts last (in "Secretary of State Marco Rubio" the person, not
        "State"), so a phrase is linked to the name at its end, where English
        puts the head of a noun phrase.
        """
        scored: list[tuple[int, int, Entity]] = []
        for entity in self.entities:
            best: tuple[int, int] | None = None
            for mention in entity.mentions:
                overlap = min(end, mention.end) - max(start, mention.start)
                if overlap > 0 and (best is None or (overlap, mention.start) > best):
                    best = (overlap, mention.start)
            if best is not None:
                scored.append((best[0], best[1], entity))
        scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [entity for _, _, entity in scored]

    def entity_at(self, start: int, end: int) -> Entity | None:
        """The merged entity that best covers ``[start, end)`` (see :meth:`entities_in`)."""
        found = self.entities_in(start, end)
        return found[0] if found else None

    @property
    def ok(self) -> bool:
        """True when no analyzer failed on this document."""
        return all(r.status is not RunStatus.FAILED for r in self.analyzers)


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
