"""The public helpers for analyzer authors: spans, subjects, the logistic scorer."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pytest

from copydesk import (
    climb_to_subject,
    logistic,
    merge_spans,
    strip_span,
    subject_of,
    subtract_spans,
    weighted_sum,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token


def cut(text: str, span: tuple[int, int] | None) -> str | None:
    return None if span is None else text[span[0] : span[1]]


def test_strip_span_defaults_to_whitespace_and_keeps_offsets():
    text = "  \u00a0The port closed.\n"
    span = strip_span(text, 0, len(text))
    assert span == (3, 19)
    assert cut(text, span) == "The port closed."


def test_strip_span_with_different_ends():
    text = "'the Times' report'"
    # A leading apostrophe opens a quote; a trailing one may be a possessive.
    assert cut(text, strip_span(text, 0, 11, "'\"", trail='"')) == "the Times'"
    assert cut(text, strip_span(text, 0, len(text), "'")) == "the Times' report"


def test_strip_span_of_nothing_but_edges_is_none():
    assert strip_span(" , ,", 0, 4, " ,") is None
    assert strip_span("   ", 0, 3) is None


def test_strip_span_refuses_trail_without_chars():
    with pytest.raises(ValueError, match="trail needs chars"):
        strip_span("x", 0, 1, trail="'")


def test_subtract_spans_cuts_a_phrase_out_of_a_sentence():
    text = "Officials, according to the ministry, denied it."
    hole = (text.index("according"), text.index(", denied"))
    pieces = subtract_spans((0, len(text)), [hole])
    assert [cut(text, p) for p in pieces] == ["Officials, ", ", denied it."]


def test_subtract_spans_handles_overlapping_and_outside_holes():
    assert subtract_spans((0, 10), [(8, 20), (-5, 2), (4, 5)]) == [(2, 4), (5, 8)]
    assert subtract_spans((0, 10), [(0, 10)]) == []
    assert subtract_spans((3, 6), []) == [(3, 6)]


def test_merge_spans_joins_overlapping_and_touching():
    assert merge_spans([(0, 4), (2, 6), (6, 8), (10, 12)]) == [(0, 8), (10, 12)]
    assert merge_spans([]) == []


def test_weighted_sum_ignores_unknown_features():
    assert weighted_sum({"lemma=say": 1.5, "dep=ROOT": -0.5}, ["lemma=say", "x", "dep=ROOT"]) == 1.0


def test_logistic_is_a_probability_and_clamps_extremes():
    assert logistic(0.0) == 0.5
    assert logistic(2.0) == pytest.approx(1 / (1 + math.exp(-2.0)))
    assert logistic(1e6) == logistic(30.0) > 0.999
    assert logistic(-1e6) == logistic(-30.0) < 0.001


@pytest.fixture(scope="module")
def nlp() -> Language:
    from copydesk import Capability
    from copydesk.nlp import load_pipeline

    return load_pipeline("en_core_web_sm", frozenset({Capability.TAGGER, Capability.PARSER}))


def token(doc: Doc, word: str) -> Token:
    return next(t for t in doc if t.text == word)


def word(tok: Token | None) -> str | None:
    return None if tok is None else tok.text


def test_subject_of_finds_active_and_passive_subjects(nlp: Language):
    doc = nlp("The minister resigned. The plan was rejected by voters.")
    assert word(subject_of(token(doc, "resigned"))) == "minister"
    assert word(subject_of(token(doc, "rejected"))) == "plan"


def test_subject_of_counts_an_expletive_only_when_asked(nlp: Language):
    doc = nlp("There may be delays.")
    be = token(doc, "be")
    assert subject_of(be) is None
    assert word(subject_of(be, {"nsubj", "nsubjpass", "expl"})) == "There"


def test_climb_to_subject_borrows_the_governing_verbs_subject(nlp: Language):
    doc = nlp("The company declined to comment.")
    comment = token(doc, "comment")
    assert subject_of(comment) is None
    found = climb_to_subject(comment, through={"xcomp"})
    assert found is not None
    subj, owner = found
    assert (subj.text, owner.text) == ("company", "declined")
    # Without "xcomp" among the labels to climb through, there is nothing to find.
    assert climb_to_subject(comment, through=set()) is None


def test_sorted_ids_find_list_words_in_a_documents_column() -> None:
    import spacy
    from spacy.attrs import LOWER

    from copydesk import in_sorted, sorted_ids

    table = sorted_ids(["said", "told", "said", "Reuters"])
    assert len(table) == 3  # the repeated word once
    assert list(table) == sorted(table)
    doc = spacy.blank("en")("Police said the driver told Reuters nothing; SAID twice.")
    hits = in_sorted(doc.to_array([LOWER]), table)
    # LOWER ids: "Reuters" (listed capitalised) is no hit, "SAID" lower-cased is.
    assert [t.text for t, hit in zip(doc, hits, strict=True) if hit] == ["said", "told", "SAID"]
    assert not in_sorted(doc.to_array([LOWER]), sorted_ids([])).any()
