"""copydesk-sourcing: who is cited, how, and what kind of source.

For every attribution the analyzer emits one ``attribution`` finding whose data
holds the source, cue and content spans, the quote type (direct, indirect,
mixed), the source type (named person with role, anonymous, organization, media,
document, unattributed), the entity id from the entities analyzer, and whether
the cue is a speech verb. Requests for comment ("declined to comment") become
``comment_request`` findings. The rules read the shared spaCy parse only; see
``docs/analyzers/sourcing.md`` for what they cover and measured accuracy.

Lexicon hook: ``register_lexicon_entries`` under ``"sourcing.outlets"`` takes
outlet names (strings), added to the shipped ``outlets.txt``.
"""

from __future__ import annotations

import bisect
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from copydesk import AnalysisContext, Analyzer, Capability, RegisterAggregation, hookimpl
from copydesk_entities import EntitiesPayload
from copydesk_sourcing.comments import find_comment_requests
from copydesk_sourcing.cues import interpretive_participle
from copydesk_sourcing.extract import Extractor
from copydesk_sourcing.learned import (
    CueModel,
    extend_cues,
    filter_relations,
    learned_relations,
)
from copydesk_sourcing.linking import Linked, SourceLinker
from copydesk_sourcing.models import (
    Attribution,
    CommentRequest,
    GenderEvidence,
    SourceRow,
    SourcingPayload,
)
from copydesk_sourcing.quote_type import QuoteMarks, quote_type_of
from copydesk_sourcing.quotes import find_quotes
from copydesk_sourcing.relation import Relation
from copydesk_sourcing.roles import ROLES
from copydesk_sourcing.sources import OutletMatcher, SourceInfo, SourceTyper, build_mentions
from copydesk_sourcing.spans import SpanCache

__all__ = [
    "Attribution",
    "CommentRequest",
    "GenderEvidence",
    "SourceRow",
    "SourcingAnalyzer",
    "SourcingPayload",
    "SourcingSettings",
]

SOURCE_TYPES: tuple[str, ...] = (
    "named_person",
    "anonymous",
    "organization",
    "media",
    "document",
    "unattributed",
)
_TYPE_WORDS = {
    "named_person": "Named source",
    "anonymous": "Anonymous source",
    "organization": "Organization",
    "media": "Media outlet",
    "document": "Document",
    "unattributed": "Unattributed",
}
_COMMENT_WORDS = {
    "reached_out": "asked for comment",
    "no_response": "did not respond to a request for comment",
    "declined": "declined to comment",
    "unreachable": "could not be reached",
    "no_comment": "had no comment",
    "request_pending": "request for comment unanswered",
}


class SourcingSettings(BaseModel):
    """Options of the sourcing analyzer."""

    model_config = ConfigDict(extra="forbid")

    extra_outlets: list[str] = Field(
        default_factory=list,
        description="More news outlet names to recognise as media sources (e.g. a local paper).",
    )
    include_thought_cues: bool = Field(
        default=True,
        description=(
            "Also report attributions of belief and intent ('believes', 'plans', 'a poll shows'),"
            " not only speech. Their findings carry cue_kind 'other'."
        ),
    )
    min_confidence: float = Field(
        default=0.0, ge=0.0, le=1.0, description="Drop attributions found by less certain rules."
    )
    learned_cues: bool = Field(
        default=True,
        description=(
            "Add attributions the word lists miss, found by a small logistic-regression cue"
            " detector learned from PolNeAR (rule 'learned', cue_kind mostly 'other'); also turns"
            " the learned relation filter and cue extent on."
        ),
    )
    nested_attributions: bool = Field(
        default=False,
        description=(
            "Let the learned filter keep an attribution inside another one's content"
            " ('Reuters reported that officials said ...') as it would keep it alone."
            " Off by default, as in PolNeAR, which annotates one level."
        ),
    )
    cue_model_path: str | None = Field(
        default=None,
        description="Weights file for the learned cue detector (default: the shipped one).",
    )
    gender_from_first_names: bool = Field(
        default=False,
        description=(
            "Opt-in: when the text gives no evidence of a source's gender, take it from a"
            " short list of common first names (evidence kind 'first_name'). Off by"
            " default: a name is a guess, not evidence; see the docs for its error rate."
        ),
    )


def load_outlets() -> list[str]:
    """The outlet names shipped in ``outlets.txt`` (comments and blanks skipped)."""
    raw = resources.files("copydesk_sourcing").joinpath("outlets.txt").read_text("utf-8")
    return [ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]


class SourcingAnalyzer(Analyzer[SourcingSettings]):
    """Attributions (source, cue, content), source types and requests for comment."""

    name = "sourcing"
    languages = frozenset({"en"})  # English lexicons and model
    version = "1"
    description = "Who is cited and how: attributions, quote and source types, comment requests."
    needs = frozenset({Capability.PARSER, Capability.NER, Capability.TAGGER})
    requires = (EntitiesPayload,)
    provides = SourcingPayload
    finding_data = {"attribution": Attribution, "comment_request": CommentRequest}  # noqa: RUF012
    Settings = SourcingSettings

    def setup(self) -> None:
        extra = [str(x) for x in self.lexicons.get("sourcing.outlets", [])]
        self.outlet_names = [*load_outlets(), *extra, *self.settings.extra_outlets]
        # Built once; each document works on a copy, since context adds outlets to it.
        self.outlets = OutletMatcher(self.outlet_names)
        self.cue_model: CueModel | None = None
        if self.settings.learned_cues:
            self.cue_model = CueModel.load(self.settings.cue_model_path)
            # The detector's weights by template are part of loading the model:
            # built lazily, they cost the first document ~20 ms of its run time.
            _ = self.cue_model.weighing.fixed

    def analyze(self, ctx: AnalysisContext) -> None:
        doc = ctx.spacy_doc
        text = ctx.text
        if doc is None:
            ctx.mark_not_applicable("no parse available")
            return
        extractor = Extractor(doc, text, find_quotes(text))
        relations = extractor.run()
        requests = find_comment_requests(text, doc)
        if self.cue_model is not None:
            learned = learned_relations(extractor, self.cue_model, relations)
            # "declined to comment" is reported as a comment_request, not a claim.
            learned = [r for r in learned if not any(q.start <= r.cue[0] < q.end for q in requests)]
            # "..., signalling that": the writer's reading of a fact, not an attribution.
            learned = [
                extractor.settle(extractor.repair_agent(r))
                for r in learned
                if not _interpretive(extractor.spans, r)
            ]
            # The filter sees all rule relations (nesting is among its features).
            relations = (
                filter_relations(
                    extractor,
                    self.cue_model.keep,
                    relations,
                    keep_nested=self.settings.nested_attributions,
                )
                + learned
            )
            extend_cues(extractor, self.cue_model.extent, relations)
            relations.sort(key=lambda r: r.cue[0])
        if not self.settings.include_thought_cues:
            relations = [r for r in relations if r.cue_kind != "other"]
        relations = [r for r in relations if r.confidence >= self.settings.min_confidence]
        entities = ctx.payload(EntitiesPayload)
        mentions = build_mentions(entities.entities if entities else [], doc, text, extractor.table)
        spans = extractor.spans  # source phrases as spaCy spans, for typer and linker
        typer = SourceTyper(
            text, doc, mentions, self.outlets.copy(), spans, extractor.table.lemma_ids
        )

        infos: dict[int, SourceInfo] = {}
        previous: list[tuple[tuple[int, int], SourceInfo]] = []
        for rel in relations:
            if rel.inherited is not None and id(rel.inherited) in infos:
                info = infos[id(rel.inherited)]
            else:
                ante = extractor.antecedents.get(rel.source) if rel.source else None
                if ante is not None:
                    info = typer.classify(ante, rel.source_root, previous)
                    info.resolved_to = info.resolved_to or info.name or text[ante[0] : ante[1]]
                    info.pronoun = True
                else:
                    info = typer.classify(rel.source, rel.source_root, previous)
                if rel.rule == "colon_line" and info.source_type == "anonymous" and rel.source:
                    # "Sanders: ..." at the head of a line: the tagger may read a
                    # capitalised name as a plural noun; a line label is a name.
                    info = SourceInfo("named_person", name=text[rel.source[0] : rel.source[1]])
            infos[id(rel)] = info
            if rel.source is not None:
                previous.append((rel.source, info))

        sentences = ctx.sentences
        linker = SourceLinker(
            text,
            doc,
            mentions,
            sentences,
            first_names=self.settings.gender_from_first_names,
            spans=spans,
        )
        linked = linker.link(relations, infos)
        counts = dict.fromkeys(SOURCE_TYPES, 0)
        direct = 0
        sentences_hit: set[int] = set()
        sentence_ends = [b for _, b in sentences]
        marks = QuoteMarks(text)
        for rel in relations:
            info = infos[id(rel)]
            quote_type = quote_type_of(marks, rel.content)
            direct += quote_type == "direct"
            counts[info.source_type] += 1
            # sentences overlapping the relation, found by bisection (long documents)
            i = bisect.bisect_right(sentence_ends, rel.start)
            rel_end = rel.end
            while i < len(sentences) and sentences[i][0] < rel_end:
                sentences_hit.add(i)
                i += 1
            self._emit(ctx, rel, info, quote_type, linked)

        for req in requests:
            party = ctx.span(*req.party) if req.party else None
            who = f"{text[req.party[0] : req.party[1]]} " if req.party else ""
            ctx.add_finding(
                "comment_request",
                req.start,
                req.end,
                label=req.kind,
                message=f"Request for comment: {who}{_COMMENT_WORDS[req.kind]}.".replace("  ", " "),
                confidence=0.9,
                data={"party": party, "outcome": req.kind},
            )

        total = len(relations)
        ctx.set_metric("attributions", total)
        ctx.set_metric("distinct_sources", len(linked.profiles))
        ctx.set_metric("direct_quotes", direct)
        ctx.set_metric("attributed_sentences", len(sentences_hit))
        if total:
            for kind in SOURCE_TYPES:
                ctx.set_metric(f"share_{kind}", round(counts[kind] / total, 4))
            ctx.set_metric("anonymous_share", round(counts["anonymous"] / total, 4))
        if counts["anonymous"]:
            ctx.set_metric(
                "named_to_anonymous", round(counts["named_person"] / counts["anonymous"], 4)
            )
        _share_metrics(ctx, linked)
        ctx.set_payload(
            {"source_types": counts, "sources": _source_table(text, relations, infos, linked)}
        )

    def _emit(
        self,
        ctx: AnalysisContext,
        rel: Relation,
        info: SourceInfo,
        quote_type: str,
        linked: Linked,
    ) -> None:
        text = ctx.text
        content = rel.content
        source_text = text[rel.source[0] : rel.source[1]] if rel.source else None
        cue_text = text[rel.cue[0] : rel.cue[1]]
        span = ctx.span
        data: dict[str, Any] = {
            "source": span(*rel.source) if rel.source else None,
            "cue": span(*rel.cue),
            "content": span(content[0][0], content[-1][1]) if content else None,
            "content_fragments": [span(a, b) for a, b in content],
            "quote_type": quote_type,
            "source_type": info.source_type,
            "cue_kind": "other" if rel.cue_kind == "other" else "speech",
            "cue_lemma": rel.cue_lemma,
            "rule": rel.rule,
        }
        if info.entity_id:
            data["entity_id"] = info.entity_id
        if info.name:
            data["source_name"] = info.name
        sid = linked.ids.get(id(rel))
        profile = linked.profiles.get(sid) if sid else None
        data["source_id"] = sid
        gender, evidence = linked.gender(rel)
        data["gender"] = gender
        data["gender_evidence"] = linked.evidence_data(evidence)
        data["role"] = profile.role if profile else None
        cue_word = profile.role_cue if profile else None
        data["role_evidence"] = span(cue_word.start, cue_word.end) if cue_word is not None else None
        relay = linked.relayed_by.get(id(rel))
        data["relayed_by"] = span(*relay.source) if relay and relay.source else None
        if info.role:
            data["role_text"] = info.role
        if info.pronoun:
            data["resolved_to"] = info.resolved_to
        if rel.addressee is not None:
            data["addressee"] = span(*rel.addressee)
        if rel.inherited is not None and rel.inherited.source is not None:
            data["source_from_context"] = span(*rel.inherited.source)
        who = _TYPE_WORDS[info.source_type]
        if source_text:
            who += f" \u201c{source_text}\u201d"
            if info.resolved_to and info.resolved_to != source_text:
                who += f" (= {info.resolved_to})"
            elif info.role and info.source_type == "named_person":
                who += f" ({info.role})"
        elif rel.inherited is not None and rel.inherited.source is not None:
            a, b = rel.inherited.source
            who += f" \u201c{text[a:b]}\u201d (from context)"
        else:
            who = "No identifiable source"
        what = "speech" if quote_type == "indirect" else "quote"
        message = f"{who} \u2014 cue \u201c{cue_text}\u201d, {quote_type} {what}."
        if info.source_type == "anonymous" and source_text:
            message += " Anonymous: say why the source is not named."
        ctx.add_finding(
            "attribution",
            rel.start,
            rel.end,
            label=info.source_type,
            message=message,
            confidence=rel.confidence,
            data=data,
        )


def _interpretive(spans: SpanCache, rel: Relation) -> bool:
    span = spans.expand(*rel.cue)
    return span is not None and any(interpretive_participle(t) for t in span)


def _share_metrics(ctx: AnalysisContext, linked: Linked) -> None:
    """Shares of distinct sources by gender (people only) and by role."""
    genders = [p.gender for p in linked.profiles.values() if p.gender is not None]
    if genders:
        for g in ("female", "male", "unknown"):
            ctx.set_metric(f"share_gender.{g}", round(genders.count(g) / len(genders), 4))
    roles = [p.role for p in linked.profiles.values() if p.role is not None]
    if roles:
        for r in ROLES:
            ctx.set_metric(f"share_role.{r}", round(roles.count(r) / len(roles), 4))


def _source_table(
    text: str, relations: list[Relation], infos: dict[int, SourceInfo], linked: Linked
) -> list[dict[str, Any]]:
    """One row per distinct source: id, name, type, gender, role, how often cited."""
    rows: dict[str, dict[str, Any]] = {}
    for rel in relations:
        info = infos[id(rel)]
        key = linked.ids.get(id(rel))
        if key is None:
            continue
        row = rows.get(key)
        if row is None:
            shown = info.resolved_to or info.name
            if shown is None and rel.source is not None:
                shown = text[rel.source[0] : rel.source[1]]
            profile = linked.profiles[key]
            row = rows[key] = {
                "source_id": key,
                "source": shown,
                "source_type": info.source_type,
                "entity_id": info.entity_id,
                "gender": profile.gender,
                "role": profile.role,
                "attributions": 0,
                "first_start": rel.start,
            }
        row["attributions"] += 1
    return list(rows.values())


@hookimpl
def register_analyzers(register: Any) -> None:
    register(SourcingAnalyzer)


from copydesk_sourcing.render import register_renderers  # noqa: E402, F401 - the HTML view hook


@hookimpl
def register_aggregations(register: RegisterAggregation) -> None:
    # A small module of SQL strings: cheap to import, DuckDB is not imported here.
    from copydesk_sourcing.aggregations import register as register_own

    register_own(register)
