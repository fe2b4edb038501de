"""The document model validates what every analyzer writes."""

from __future__ import annotations

import json
import math

import pytest
from pydantic import ValidationError

from copydesk import AnalyzedDocument, Document, Finding
from copydesk.model import json_schema
from copydesk_entities import EntitiesPayload, Entity, EntityMention

TEXT = "Officials said on Monday that the port would reopen."


def finding(start: int, end: int, text: str | None = None) -> Finding:
    return Finding(
        analyzer="t", kind="k", start=start, end=end, text=TEXT[start:end] if text is None else text
    )


def test_finding_inside_the_text_is_accepted():
    doc = AnalyzedDocument(document=Document(id="d", text=TEXT), findings=[finding(0, 9)])
    assert doc.findings[0].text == "Officials"


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 2), (0, len(TEXT) + 1)])
def test_finding_outside_the_text_is_refused(start, end):
    with pytest.raises(ValidationError):
        AnalyzedDocument(
            document=Document(id="d", text=TEXT),
            findings=[Finding(analyzer="t", kind="k", start=start, end=end, text="x")],
        )


def test_finding_whose_quote_differs_from_the_text_is_refused():
    with pytest.raises(ValidationError, match="quotes 'Oficials'"):
        AnalyzedDocument(document=Document(id="d", text=TEXT), findings=[finding(0, 9, "Oficials")])


def test_confidence_must_be_a_probability():
    with pytest.raises(ValidationError):
        Finding(analyzer="t", kind="k", start=0, end=1, text="O", confidence=1.5)


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_metrics_refuse_nan_and_infinity(value):
    with pytest.raises(ValidationError, match="NaN or infinity"):
        AnalyzedDocument(document=Document(id="d", text=TEXT), metrics={"a.b": value})


def test_document_refuses_unknown_fields():
    with pytest.raises(ValidationError):
        Document.model_validate({"id": "d", "text": "x", "body": "y"})


def test_json_round_trip_keeps_the_contract_keys():
    doc = AnalyzedDocument(
        document=Document(id="d", text=TEXT, title="Port", meta={"outlet": "Wire"}),
        findings=[finding(0, 9)],
        metrics={"stats.words": 9},
    )
    data = json.loads(doc.model_dump_json())
    assert list(data) == ["schema_version", "document", "findings", "metrics", "analyzers", "data"]
    assert AnalyzedDocument.model_validate(data) == doc


def test_entities_payload_is_reachable_from_the_model():
    mention = EntityMention(start=0, end=9, text="Officials", label="NORP")
    entity = Entity(
        entity_id="E1",
        name="Officials",
        label="NORP",
        mentions=[mention],
        mention_count=1,
        first_start=0,
        salience=0.5,
    )
    doc = AnalyzedDocument(
        document=Document(id="d", text=TEXT), data={"entities": EntitiesPayload(entities=[entity])}
    )
    payload = doc.payload(EntitiesPayload)
    assert payload is not None
    assert payload.entities[0].entity_id == "E1"
    assert payload.entity_at(3, 5) is not None
    assert payload.entity_at(20, 25) is None
    # the payload survives a JSON round trip as plain data, and is read by model alone
    again = AnalyzedDocument.model_validate_json(doc.model_dump_json())
    again_payload = again.payload(EntitiesPayload)
    assert again_payload is not None
    assert again_payload.entities[0].name == "Officials"
    # every read is a fresh copy: changing it changes nothing stored
    again_payload.entities[0].name = "Changed"
    assert again.payload(EntitiesPayload).entities[0].name == "Officials"


def test_schema_describes_findings_and_metrics():
    schema = json_schema()
    assert set(schema["required"]) >= {"document"}
    assert {"findings", "metrics", "analyzers", "schema_version"} <= set(schema["properties"])
    assert "Finding" in schema["$defs"]


def test_entity_at_prefers_the_entity_that_best_covers_the_span():
    text = "Secretary of State Marco Rubio said so."
    state = Entity(
        entity_id="E1",
        name="State",
        label="ORG",
        mention_count=1,
        first_start=13,
        salience=0.2,
        mentions=[EntityMention(start=13, end=18, text="State", label="ORG")],
    )
    rubio = Entity(
        entity_id="E2",
        name="Marco Rubio",
        label="PERSON",
        mention_count=1,
        first_start=19,
        salience=0.8,
        mentions=[EntityMention(start=19, end=30, text="Marco Rubio", label="PERSON")],
    )
    doc = AnalyzedDocument(
        document=Document(id="d", text=text),
        data={"entities": EntitiesPayload(entities=[state, rubio])},
    )
    phrase_end = text.index(" said")
    payload = doc.payload(EntitiesPayload)
    assert payload.entity_at(0, phrase_end).entity_id == "E2"
    assert [e.entity_id for e in payload.entities_in(0, phrase_end)] == ["E2", "E1"]
    assert payload.entity_at(13, 18).entity_id == "E1"
