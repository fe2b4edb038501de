"""The path of a finding from ``add_finding`` to the committed result.

Findings are built without pydantic validation when every value already is what
validation would make of it, and ``commit`` checks a batch at once; these tests
pin that both give exactly what validation gives, and that a bad finding is still
refused with the message about the first bad one.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from copydesk import AnalysisContext, Analyzer, Document, Finding
from copydesk.analyzer import commit
from copydesk.model import AnalyzedDocument, AnalyzerRun, RunStatus

TEXT = "The minister said the plan would work. Critics disagreed."


class Quote(BaseModel):
    model_config = ConfigDict(extra="forbid")

    speaker: str
    words: int


class Quoting(Analyzer[Any]):
    name = "quoting"
    finding_data = {"quote": Quote}  # noqa: RUF012 - class metadata


def _context() -> tuple[AnalysisContext, AnalyzedDocument]:
    result = AnalyzedDocument(document=Document(id="d", text=TEXT))
    return AnalysisContext("quoting", result, producer="copydesk-test 1.0"), result


def _commit(ctx: AnalysisContext, result: AnalyzedDocument) -> AnalyzedDocument:
    run = AnalyzerRun(name="quoting", version="quoting.v1", status=RunStatus.OK, seconds=0.0)
    commit(ctx, Quoting, result, run)
    return result


def _validated(**values: Any) -> Finding:
    base = {
        "analyzer": "quoting",
        "kind": "quote",
        "start": 0,
        "end": 12,
        "text": TEXT[0:12],
        "label": None,
        "message": None,
        "confidence": None,
        "data": {},
        "producer": "copydesk-test 1.0",
    }
    return Finding(**{**base, **values})


def test_a_finding_built_without_validation_equals_the_validated_one():
    ctx, _ = _context()
    fast = ctx.add_finding(
        "quote", 0, 12, label="q", message="m", confidence=0.75, data={"speaker": "x", "words": 2}
    )
    expected = _validated(
        label="q", message="m", confidence=0.75, data={"speaker": "x", "words": 2}
    )
    assert fast == expected
    assert fast.model_dump() == expected.model_dump()
    assert fast.model_fields_set == expected.model_fields_set
    assert fast.model_dump_json() == expected.model_dump_json()


def test_values_validation_would_change_still_go_through_validation():
    ctx, _ = _context()
    finding = ctx.add_finding("quote", 0, 12, confidence=1, data={"speaker": "x", "words": 2})
    assert finding.confidence == 1.0
    assert isinstance(finding.confidence, float)  # pydantic's coercion, as before
    with pytest.raises(ValidationError):
        ctx.add_finding("quote", 0, 12, confidence=1.5)
    with pytest.raises(ValidationError):
        ctx.add_finding("quote", 0, 12, confidence=float("nan"))
    with pytest.raises(ValidationError):
        ctx.add_finding("quote", 0, 12, label=3)  # type: ignore[arg-type]


def test_changing_the_data_dict_after_adding_does_not_change_the_finding():
    ctx, _ = _context()
    data = {"speaker": "x", "words": 2}
    finding = ctx.add_finding("quote", 0, 12, data=data)
    data["words"] = 99
    assert finding.data == {"speaker": "x", "words": 2}


def test_committed_findings_are_json_ready_sorted_and_carry_the_producer():
    ctx, result = _context()
    ctx.add_finding("quote", 39, 46, data={"speaker": "Critics", "words": 1})
    ctx.add_finding("quote", 0, 12, data={"speaker": ("the", "minister"), "words": 2})
    with pytest.raises(ValueError, match="does not match Quote"):
        _commit(ctx, result)  # a tuple is not a str: refused by the declared model

    ctx, result = _context()
    ctx.add_finding("quote", 39, 46, data={"speaker": "Critics", "words": 1})
    ctx.add_finding("quote", 0, 12, data={"speaker": "the minister", "words": 2})
    done = _commit(ctx, result)
    assert [(f.start, f.data["speaker"]) for f in done.findings] == [
        (0, "the minister"),
        (39, "Critics"),
    ]
    assert {f.producer for f in done.findings} == {"copydesk-test 1.0"}


def test_the_first_bad_finding_is_the_one_reported():
    ctx, result = _context()
    ctx.add_finding("quote", 0, 12, data={"speaker": "x", "words": 2})
    first = ctx.add_finding("quote", 13, 17, data={"speaker": "y", "words": 1})
    last = ctx.add_finding("quote", 39, 46, data={"speaker": "z", "words": 1})
    first.data["words"] = "many"  # changed after add_finding: caught at commit
    last.data["extra"] = True
    with pytest.raises(ValueError, match="'quote' finding data does not match Quote") as info:
        _commit(ctx, result)
    assert "words" in str(info.value)
    assert "extra" not in str(info.value)
    assert result.findings == []  # all or nothing


def test_a_finding_of_another_type_or_analyzer_is_refused_by_name():
    ctx, result = _context()
    ctx.add_finding("quote", 0, 12, data={"speaker": "x", "words": 2})
    ctx._findings.append(_validated(analyzer="other"))
    with pytest.raises(ValueError, match="claims analyzer 'other'"):
        _commit(ctx, result)

    ctx, result = _context()
    ctx._findings.append({"kind": "quote"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be Finding objects, not dict"):
        _commit(ctx, result)


def test_data_that_cannot_be_written_as_json_is_refused():
    ctx, result = _context()
    ctx.add_finding("note", 0, 12, data={"thing": object()})
    with pytest.raises(ValueError, match="'note' finding data cannot be written as JSON"):
        _commit(ctx, result)
