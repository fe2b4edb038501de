"""What an analyzer is, and the context it works in.

An analyzer is a class. Its metadata (name, version, the spaCy capabilities it
``needs``, the analyzers whose output it ``requires``, its ``Settings`` model)
sits on the class, so the runner can plan a run - order analyzers, build the
smallest spaCy pipeline - before any text is read or any model is loaded.

The runner creates one instance per run with validated settings, then calls
:meth:`Analyzer.analyze` once per document with an :class:`AnalysisContext`.
The analyzer *adds* findings, metrics and a payload to that context; the runner
commits them to the shared :class:`~copydesk.model.AnalyzedDocument` only if
``analyze`` returns normally. A failing analyzer therefore never leaves half its
findings behind, and never touches another analyzer's section.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from copydesk.model import (
    AnalyzedDocument,
    Document,
    Finding,
    MetricValue,
    ModelT,
    check_metric,
    check_span,
)
from copydesk.sentences import reattach_closing_quotes, split_sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc


class Capability(str, Enum):
    """What an analyzer needs from the shared spaCy parse.

    ``sentences`` alone costs a light sentence segmenter; ``tagger`` brings
    part-of-speech tags and lemmas; ``parser`` brings dependencies (and
    sentences); ``ner`` brings named entities. The runner loads only the union
    of what the selected analyzers need, and no spaCy at all when that is empty.
    """

    SENTENCES = "sentences"
    TAGGER = "tagger"
    PARSER = "parser"
    NER = "ner"


class NoSettings(BaseModel):
    """Settings model for analyzers that take no options."""

    model_config = ConfigDict(extra="forbid")


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
    requires: ClassVar[tuple[str, ...]] = ()
    Settings: ClassVar[type[BaseModel]] = NoSettings

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


class AnalysisContext:
    """One analyzer's view of one document, and the collector of its output.

    Reading: ``text``, ``document``, ``spacy_doc`` (None when no analyzer in the
    run needs spaCy), ``sentences`` (character spans), and everything earlier
    analyzers committed (``findings()``, ``payload()``, ``metric()``).

    Writing: ``add_finding()``, ``set_metric()``, ``set_payload()``.
    """

    def __init__(
        self,
        analyzer: str,
        result: AnalyzedDocument,
        spacy_doc: Doc | None,
        producer: str | None = None,
    ) -> None:
        self.analyzer = analyzer
        self.result = result
        self.spacy_doc = spacy_doc
        self.producer = producer
        self.new_findings: list[Finding] = []
        self.new_metrics: dict[str, MetricValue] = {}
        self.new_payload: Any = None
        self.not_applicable: str | None = None
        self._sentences: list[tuple[int, int]] | None = None

    # -- reading ---------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.result.document.text

    @property
    def document(self) -> Document:
        return self.result.document

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """Sentence spans as ``(start, end)`` character offsets, whitespace trimmed.

        From the spaCy parse when the run has one; otherwise from copydesk's own
        rule-based splitter, which knows "U.S." and "$3.50" are not sentence ends.
        """
        if self._sentences is None:
            if self.spacy_doc is not None and self.spacy_doc.has_annotation("SENT_START"):
                spans = [(s.start_char, s.end_char) for s in self.spacy_doc.sents]
                self._sentences = reattach_closing_quotes(self.text, spans)
            else:
                self._sentences = split_sentences(self.text)
        return self._sentences

    def findings(self, analyzer: str | None = None, kind: str | None = None) -> list[Finding]:
        """Findings committed so far by earlier analyzers."""
        return self.result.findings_of(analyzer, kind)

    def payload(self, analyzer: str, model: type[ModelT]) -> ModelT | None:
        """An earlier analyzer's structured payload, validated as ``model``."""
        return self.result.payload(analyzer, model)

    def metric(self, name: str) -> MetricValue | None:
        """A metric committed earlier, by its full name (``"readability.smog"``)."""
        return self.result.metrics.get(name)

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
        data: dict[str, Any] | None = None,
    ) -> Finding:
        """Record a finding on ``text[start:end]``; offsets are checked now."""
        check_span(self.text, start, end)
        finding = Finding(
            analyzer=self.analyzer,
            kind=kind,
            start=start,
            end=end,
            text=self.text[start:end],
            label=label,
            message=message,
            confidence=confidence,
            data=data or {},
            producer=self.producer,
        )
        self.new_findings.append(finding)
        return finding

    def span(self, start: int, end: int) -> dict[str, Any]:
        """A ``{start, end, text}`` dict for use inside ``Finding.data``."""
        check_span(self.text, start, end)
        return {"start": start, "end": end, "text": self.text[start:end]}

    def set_metric(self, name: str, value: MetricValue) -> None:
        """Record a metric; stored as ``"<analyzer>.<name>"``."""
        check_metric(name, value)
        self.new_metrics[f"{self.analyzer}.{name}"] = value

    def set_payload(self, payload: BaseModel | dict[str, Any]) -> None:
        """Record the analyzer's structured result (stored under ``data[analyzer]``)."""
        self.new_payload = payload

    def mark_not_applicable(self, reason: str) -> None:
        """Say the analyzer had nothing to measure here (e.g. an empty body)."""
        self.not_applicable = reason
