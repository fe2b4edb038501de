"""copydesk-entities: named entities, trimmed, merged across mentions and relabelled.

spaCy's NER gives one labelled span per mention. An editor (and the sourcing
analyzer) wants *entities*: "President Donald Trump", "Trump's" and "Mr. Trump"
are one person, "the U.S." and "United States" one country, "WHO" the "World
Health Organization". This analyzer trims spans to the bare name
(:mod:`copydesk_entities.mentions`), merges them and votes one label per entity
(:mod:`copydesk_entities.merge`), and writes:

* a finding of kind ``entity`` per mention (final label; ``data.entity_id``,
  ``original_label`` / ``corrected`` when the majority overruled spaCy, and
  ``label_evidence`` naming the rules and cues that argued for a label);
* an :class:`EntitiesPayload` (exported here, with :class:`Entity`) that
  others read by model: ``ctx.payload(EntitiesPayload)`` during a run,
  ``result.payload(EntitiesPayload)`` afterwards, then ``.entity_at(start, end)``;
* metrics ``count`` (entities), ``mention_count``, ``count.<LABEL>``,
  ``mention_count.<LABEL>`` and ``corrected`` (stored as ``entities.count``...).

Only the NER capability is needed: no tagger or parser is paid for. When another
analyzer in the run asked for the parser, its dependency parse is used as extra
label evidence (:mod:`copydesk_entities.evidence`).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from copydesk import AnalysisContext, Analyzer, Capability, RegisterAggregation, hookimpl
from copydesk_entities.evidence import (
    context_cues,
    list_cues,
    mark_metonyms,
    mark_teams,
    match_sides,
    parse_cues,
    person_surnames,
    relabel_by_name,
)
from copydesk_entities.fused import split_fused_names
from copydesk_entities.mentions import Mention, apply_datelines, apply_vessels, trim
from copydesk_entities.merge import (
    Cluster,
    LabelVote,
    canonical_name,
    cluster_mentions,
    find_missed,
    salience,
    title_keys,
    title_matches,
    vote_labels,
)
from copydesk_entities.models import EntitiesPayload, Entity, EntityFinding, EntityMention

__all__ = [
    "EntitiesAnalyzer",
    "EntitiesPayload",
    "EntitiesSettings",
    "Entity",
    "EntityFinding",
    "EntityMention",
]

DEFAULT_LABELS = (
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "NORP",
    "FAC",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "PRODUCT",
)


class EntitiesSettings(BaseModel):
    """Options of the entities analyzer."""

    model_config = ConfigDict(extra="forbid")

    labels: list[str] = Field(
        default=list(DEFAULT_LABELS),
        description=(
            "spaCy labels kept as entities. Dates, times, money, percentages, "
            "quantities and numbers (DATE, TIME, MONEY, PERCENT, QUANTITY, ORDINAL, "
            "CARDINAL, LANGUAGE) are left out by default: they are not names."
        ),
    )
    min_majority: float = Field(
        default=0.6,
        ge=0.5,
        le=1.0,
        description="Weighted share of an entity's mentions a label needs to overrule the rest.",
    )
    find_missed: bool = Field(
        default=True,
        description=(
            "Also tag exact, capitalised occurrences of a known entity's name (or a "
            "person's surname) that spaCy did not tag."
        ),
    )
    label_evidence: bool = Field(
        default=True,
        description=(
            "Correct spaCy's labels with name lists (given names, organisation words, "
            "places) and context cues (', who', ', chair of', '-based')."
        ),
    )
    metonymy: bool = Field(
        default=True,
        description=(
            "Label a known country or city that acts ('Spain ceded', 'Russia said', "
            "'England won') ORG on that mention: it stands for its government or team. "
            "The entity stays a place ('in Spain')."
        ),
    )
    use_parse: bool = Field(
        default=True,
        description=(
            "When another analyzer in the run already asked for the dependency parse, "
            "also use it as label evidence (subject of 'said', appositive role, he/she). "
            "The entities analyzer never asks for the parse itself."
        ),
    )
    lead: Literal["sentence", "paragraph"] = Field(
        default="sentence",
        description="What counts as the lead: the first sentence or the first paragraph.",
    )


class EntitiesAnalyzer(Analyzer[EntitiesSettings]):
    """Merges spaCy's entity mentions into entities with one label and a salience."""

    name = "entities"
    languages = frozenset({"en"})  # English lexicons and model
    version = "2"
    description = "Named entities merged across mentions, relabelled by majority, with salience."
    needs = frozenset({Capability.NER})
    provides = EntitiesPayload
    finding_data = {"entity": EntityFinding}  # noqa: RUF012 - class metadata, read only
    Settings = EntitiesSettings

    def setup(self) -> None:
        from spacy.lang.en.stop_words import STOP_WORDS

        # Words that never start a name search ("The", "It"), built once per run.
        self.stop_words = frozenset(STOP_WORDS)

    def analyze(self, ctx: AnalysisContext) -> None:
        doc = ctx.spacy_doc
        text = ctx.text
        if doc is None or not text.strip():
            ctx.mark_not_applicable("empty text")
            return
        found: list[Mention] = []
        sides: frozenset[str] = frozenset()
        keep = set(self.settings.labels)
        # spaCy's spans read once: ``doc.ents`` makes new Span objects at each call.
        ents = [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
        mentions = [
            m for start, end, label in ents if label in keep for m in trim(text, start, end, label)
        ]
        mentions = split_fused_names(text, mentions)
        mentions += apply_datelines(text, mentions)
        if self.settings.label_evidence:
            apply_vessels(text, mentions)
            relabel_by_name(mentions, text)
            # The rules below change no label: the people's surnames stay these.
            surnames = person_surnames(mentions)
            if self.settings.metonymy:
                mark_metonyms(text, mentions, surnames)
                if any(m.label == "GPE" for m in mentions):
                    sides = match_sides(text)
                    mark_teams(mentions, sides)
            parsed = parse_cues(doc, mentions, surnames) if self.settings.use_parse else {}
            listed = list_cues(text, mentions)
            for index, m in enumerate(mentions):
                cues = context_cues(text, m, surnames)
                if index in parsed:
                    cues += parsed[index]
                if index in listed:
                    cues += listed[index]
                if cues:
                    m.cues = cues
        evidence = _evidence(mentions)
        clusters = cluster_mentions(mentions)
        votes: list[LabelVote] | None = None
        if self.settings.find_missed and clusters:
            votes = [vote_labels(c.mentions, self.settings.min_majority) for c in clusters]
            taken = [(start, end) for start, end, _ in ents]
            taken += [(m.start, m.end) for m in mentions]
            labels = [vote.label for vote in votes]
            missed = find_missed(text, clusters, labels, taken, self.stop_words)
            if missed and sides:
                mark_teams(missed, sides)  # "Sweden 1-0 ...": spaCy tagged no side
            if missed:
                clusters = cluster_mentions(mentions + missed)
                votes = None  # new clusters (and links): vote again
            found = missed
        lead_end = self._lead_end(ctx)
        title = ctx.document.title
        payload, rows = self._payload(clusters, text, title, lead_end, votes)
        self._report(ctx, payload, rows, found, evidence)

    def _lead_end(self, ctx: AnalysisContext) -> int:
        text = ctx.text
        if self.settings.lead == "paragraph":
            body = text.lstrip()
            offset = len(text) - len(body)
            match = re.search(r"\n", body)
            return offset + match.start() if match else len(text)
        sentences = ctx.sentences
        return sentences[0][1] if sentences else len(text)

    def _payload(
        self,
        clusters: list[Cluster],
        text: str,
        title: str | None,
        lead_end: int,
        votes: list[LabelVote] | None = None,
    ) -> tuple[EntitiesPayload, list[_Row]]:
        """The payload, and a :data:`_Row` per mention for the findings;
        ``votes`` are the clusters' label votes if known.

        Built as plain data and validated in one call: a model per mention
        (some 60 per article) cost a validator call each. The rows carry what
        the findings need, so they are not read back from the validated
        models (issue 16)."""
        max_count = max((len(c.mentions) for c in clusters), default=1)
        keys = title_keys(title) if title else frozenset()
        min_majority = self.settings.min_majority
        text_length = len(text)
        has_title = bool(title)
        entities: list[dict[str, Any]] = []
        rows: list[_Row] = []
        for number, cluster in enumerate(clusters, start=1):
            vote = (
                votes[number - 1]
                if votes is not None
                else vote_labels(cluster.mentions, min_majority)
            )
            entity_id = f"E{number}"
            name = canonical_name(cluster, vote.label)
            mentions: list[dict[str, Any]] = []
            for m in cluster.mentions:
                label, original = _final_label(m, vote.label, corrected=vote.confident)
                mentions.append(
                    {
                        "start": m.start,
                        "end": m.end,
                        "text": m.text,
                        "label": label,
                        "original_label": original,
                    }
                )
                rows.append((m.start, m.end, label, original, entity_id, name))
            first = cluster.first_start
            in_title = has_title and title_matches(keys, cluster)
            in_lead = first < lead_end
            entities.append(
                {
                    "entity_id": entity_id,
                    "name": name,
                    "label": vote.label,
                    "mentions": mentions,
                    "mention_count": len(mentions),
                    "first_start": first,
                    "in_title": in_title,
                    "in_lead": in_lead,
                    "salience": salience(
                        len(mentions),
                        max_count,
                        first,
                        text_length,
                        in_title=in_title,
                        in_lead=in_lead,
                        has_title=has_title,
                    ),
                    "aliases": list(dict.fromkeys([m.text for m in cluster.mentions])),
                }
            )
        return EntitiesPayload.model_validate({"entities": entities}), rows

    def _report(
        self,
        ctx: AnalysisContext,
        payload: EntitiesPayload,
        rows: list[_Row],
        found_by_name: list[Mention],
        evidence: dict[tuple[int, int], list[str]],
    ) -> None:
        """One finding per mention (``rows``, from :meth:`_payload`), in text
        order, then the metrics and the payload."""
        found = {(m.start, m.end) for m in found_by_name}
        rows.sort(key=_row_start)  # stable: mentions at one offset keep entity order
        for start, end, label, original, entity_id, name in rows:
            data: dict[str, Any] = {"entity_id": entity_id}
            if original is not None:
                data["original_label"] = original
                data["corrected"] = True
            span = (start, end)
            if span in found:
                data["found_by_name"] = True
            cues = evidence.get(span)
            if cues:
                data["label_evidence"] = cues
            ctx.add_finding(
                "entity",
                start,
                end,
                label=label,
                message=f"{label}: {name} ({entity_id})",
                data=data,
            )
        entities = payload.entities
        entity_labels = Counter(e.label for e in entities)
        mention_labels = Counter(row[2] for row in rows)
        ctx.set_metric("count", len(entities))
        ctx.set_metric("mention_count", len(rows))
        ctx.set_metric("corrected", sum(row[3] is not None for row in rows))
        for label in sorted(set(self.settings.labels)):
            ctx.set_metric(f"count.{label}", entity_labels.get(label, 0))
            ctx.set_metric(f"mention_count.{label}", mention_labels.get(label, 0))
        ctx.set_payload(payload)


# A mention's finding: start, end, final label, spaCy's label if corrected, and
# its entity's id and name.
_Row = tuple[int, int, str, str | None, str, str]


def _row_start(row: _Row) -> int:
    return row[0]


def _evidence(mentions: list[Mention]) -> dict[tuple[int, int], list[str]]:
    """The :func:`_evidence_names` of the mentions that have any, by span (most
    have none: no empty list kept for each until the findings are made)."""
    evidence: dict[tuple[int, int], list[str]] = {}
    for m in mentions:
        if m.by_rule or m.metonym is not None or m.cues:
            evidence[m.start, m.end] = _evidence_names(m)
        elif (m.start, m.end) in evidence:
            del evidence[m.start, m.end]  # as when a later mention's empty list replaced it
    return evidence


def _evidence_names(m: Mention) -> list[str]:
    """What, besides spaCy, argued for a mention's label: its rule ("given_name",
    "honorific"...) and its cues as ``"LABEL:cue"`` ("PERSON:role_apposition")."""
    out = [m.by_rule] if m.by_rule else []
    if m.metonym is not None:
        out.append(f"{m.metonym}:agent")
    return out + [f"{cue.label}:{cue.name}" for cue in m.cues]


def _final_label(m: Mention, label: str, *, corrected: bool) -> tuple[str, str | None]:
    """A mention's final label in the payload and findings, and spaCy's label
    when it differs (its ``original_label``), else None.

    Its label follows the entity's (``label``) when the majority is confident,
    else keeps the mention's own (spaCy's, or PERSON after an honorific); a
    place acting as an organisation on this mention (``metonym``) is one here.
    """
    final = label if corrected else m.label
    if m.metonym is not None and final == "GPE":
        final = m.metonym
    return final, (m.spacy_label if final != m.spacy_label else None)


@hookimpl
def register_analyzers(register: Any) -> None:
    register(EntitiesAnalyzer)


from copydesk_entities.render import register_renderers  # noqa: E402, F401 - the HTML view hook


@hookimpl
def register_aggregations(register: RegisterAggregation) -> None:
    # A small module of SQL strings: cheap to import, DuckDB is not imported here.
    from copydesk_entities.aggregations import register as register_own

    register_own(register)
