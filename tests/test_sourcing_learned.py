"""The learned detector's candidates and relation builder: where the content is when the verb has
nothing to its right, and when a stance noun belongs to the cue.

These call ``build_relation`` on a real parse with a fixed probability, so they
test the builder, not the weights (a retrained model may score differently).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from copydesk_sourcing.extract import Extractor
from copydesk_sourcing.learned import (
    DocView,
    build_relation,
    left_content,
    noun_frame,
    object_frame,
)
from copydesk_sourcing.quotes import find_quotes

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Token

    from copydesk_sourcing.relation import Relation


@pytest.fixture(scope="module")
def nlp() -> Language:
    from copydesk import Capability
    from copydesk.nlp import load_pipeline

    return load_pipeline("en_core_web_sm", frozenset({Capability.TAGGER, Capability.PARSER}))


def extractor(nlp: Language, text: str) -> Extractor:
    return Extractor(nlp(text), text, find_quotes(text))


def token(ex: Extractor, word: str) -> Token:
    return next(t for t in ex.doc if t.text == word)


def texts(ex: Extractor, spans: list[tuple[int, int]]) -> list[str]:
    return [ex.text[a:b] for a, b in spans]


def relation(ex: Extractor, word: str) -> Relation:
    rel = build_relation(ex, token(ex, word), 0.9)
    assert rel is not None
    return rel


def test_an_as_aside_attributes_the_clause_it_interrupts(nlp: Language) -> None:
    ex = extractor(nlp, "As a local reporter observed, the senator did not even fill the hall.")
    rel = relation(ex, "observed")
    assert ex.text[rel.cue[0] : rel.cue[1]] == "observed"
    assert rel.source is not None
    assert ex.text[rel.source[0] : rel.source[1]] == "a local reporter"
    assert texts(ex, rel.content) == ["the senator did not even fill the hall"]


def test_other_adverbial_clauses_are_not_reports(nlp: Language) -> None:
    ex = extractor(nlp, "Because the mayor objected, the council delayed the vote.")
    assert left_content(ex, token(ex, "objected")) == []


def test_a_sentence_of_its_own_reports_the_sentence_before(nlp: Language) -> None:
    text = "The girl was hit by a car on Main Street late on Tuesday. Police said."
    ex = extractor(nlp, text)
    said = token(ex, "said")
    if said.sent.start == 0:
        pytest.skip("the parser kept 'Police said.' in the first sentence")
    assert texts(ex, left_content(ex, said)) == [
        "The girl was hit by a car on Main Street late on Tuesday"
    ]


def test_no_sentence_before_across_a_paragraph_break(nlp: Language) -> None:
    ex = extractor(nlp, "The girl was hit by a car on Main Street.\n\nPolice said.")
    assert left_content(ex, token(ex, "said")) == []


def test_a_stance_noun_and_its_preposition_belong_to_the_cue(nlp: Language) -> None:
    ex = extractor(nlp, "The governor expressed deep concern about the new budget.")
    rel = relation(ex, "expressed")
    assert ex.text[rel.cue[0] : rel.cue[1]] == "expressed deep concern about"
    assert texts(ex, rel.content) == ["the new budget"]


def test_a_concrete_object_stays_content(nlp: Language) -> None:
    ex = extractor(nlp, "The judge ordered the release of the tapes.")
    verb = token(ex, "ordered")
    obj = next(c for c in verb.children if c.dep_ == "dobj")
    assert object_frame(verb, obj) is None
    rel = relation(ex, "ordered")
    assert ex.text[rel.cue[0] : rel.cue[1]] == "ordered"
    assert texts(ex, rel.content) == ["the release of the tapes"]


def test_a_noun_object_takes_its_verb_into_the_cue(nlp: Language) -> None:
    ex = extractor(nlp, "The senator made no mention of the tax plan in her speech.")
    verb = noun_frame(token(ex, "mention"))
    assert verb is not None
    assert verb.i == token(ex, "made").i
    rel = relation(ex, "mention")
    assert ex.text[rel.cue[0] : rel.cue[1]] == "made no mention of"
    assert rel.source is not None
    assert ex.text[rel.source[0] : rel.source[1]] == "The senator"
    assert texts(ex, rel.content)[0].startswith("the tax plan")


def test_a_possessed_noun_keeps_its_owner_as_source(nlp: Language) -> None:
    ex = extractor(nlp, "Critics pointed to the governor's support for the pipeline.")
    assert noun_frame(token(ex, "support")) is None
    rel = relation(ex, "support")
    assert ex.text[rel.cue[0] : rel.cue[1]] == "support for"
    assert rel.source is not None
    assert ex.text[rel.source[0] : rel.source[1]] == "the governor"


def test_nouns_before_a_preposition_are_candidates_only_when_learned(nlp: Language) -> None:
    text = "The mayor welcomed the governor's support for the pipeline."
    ex = extractor(nlp, text)
    rels = ex.run()

    def candidates(nouns: frozenset[str] | None, never: frozenset[str] = frozenset()) -> set[str]:
        return {t.text for t in DocView(ex, rels, nouns, never).candidates()}

    assert "support" in candidates(None)  # training: every such noun
    assert "support" in candidates(frozenset({"support"}))
    assert "support" not in candidates(frozenset({"criticism"}))
    assert "welcomed" in candidates(frozenset())
    assert "welcomed" not in candidates(frozenset(), frozenset({"welcome"}))
