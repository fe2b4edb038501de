"""The learned detector's features read from arrays and weighed without strings agree with
what spaCy's tokens and the trained feature strings say, on a real parse.

The weights (``cue_model.json``) name features as strings; scoring looks values up per
template instead (``cue_features.Weighing``). These tests hold the two ways together:
feature for feature the same weight, candidate for candidate the same score.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from copydesk_sourcing.cue_features import SPELLING, Weighing
from copydesk_sourcing.extract import Extractor
from copydesk_sourcing.learned import CueModel, DocView, SentenceChars, nested_flags
from copydesk_sourcing.quotes import find_quotes
from copydesk_sourcing.relation import Relation

if TYPE_CHECKING:
    from spacy.language import Language

TEXT = (
    'Senator Jane Smith said on Tuesday that the plan would fail. "It is a disaster," '
    "she told reporters in Boston, adding that voters were worried about costs.\n\n"
    "The governor, who has long argued for lower taxes, dismissed the criticism. "
    "Officials expressed concern about the pipeline, police said. Critics have "
    "accused the mayor of ignoring the report, which warned of delays. The council voted "
    "to delay the project and promised a review. Residents have complained about noise, "
    "and the company is seizing on the decision to defend its record."
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    from copydesk import Capability
    from copydesk.nlp import load_pipeline

    return load_pipeline("en_core_web_sm", frozenset({Capability.TAGGER, Capability.PARSER}))


@pytest.fixture(scope="module")
def view(nlp: Language) -> DocView:
    ex = Extractor(nlp(TEXT), TEXT, find_quotes(TEXT))
    return DocView(ex, ex.run())


def test_the_token_table_reads_what_the_tokens_say(view: DocView) -> None:
    table = view.table
    for tok in view.doc:
        assert table.lemma(tok.i) == tok.lemma_.lower()
        assert table.lower(tok.i) == tok.lower_
        assert table.dep(tok.i) == tok.dep_
        assert table.pos(tok.i) == tok.pos_
        assert table.children(tok.i) == [c.i for c in tok.children]
        assert table.heads[tok.i] == tok.head.i
    assert table.lemmas(table.lemma_ids) == [tok.lemma_.lower() for tok in view.doc]
    assert table.names(table.tag_ids) == [tok.tag_ for tok in view.doc]
    assert table.names(table.dep_ids) == [tok.dep_ for tok in view.doc]


def test_few_valued_templates_are_spelled_in_the_order_of_their_indices() -> None:
    fixed = SPELLING.fixed
    assert fixed.lex["other"] == "lex=other"
    assert fixed.under_cue[True] == "under_cue=True"
    assert fixed.in_content_lex[True]["no"] == "in_content_lex=True|no"
    assert fixed.sent_both[True][False][True] == "sent_both=True|False|True"
    assert fixed.sent_both[False][True][False] == "sent_both=False|True|False"
    assert fixed.lex_right_quote["speech"][False] == "lex_right_quote=speech|False"
    assert fixed.lex_speaker["other"][True] == "lex_speaker=other|True"
    assert fixed.speaker_near[False][True][False] == "speaker_near=False|True|False"
    assert fixed.speaker_near[True][False][False] == "speaker_near=True|False|False"
    passive, sent, right = fixed.of_lemma("warn")
    assert passive == ("lemma_passive=warn|False", "lemma_passive=warn|True")
    assert sent[True][False] == "lemma_sent=warn|True|False"
    assert sent[False][True] == "lemma_sent=warn|False|True"
    assert right[True] == "lemma_right=warn|True"
    model = CueModel.load()
    assert model.weighing.fixed.sent_both[True][True][False] == model.weights.get(
        "sent_both=True|True|False"
    )


def test_weighing_gives_each_spelled_feature_its_weight(view: DocView) -> None:
    model = CueModel.load()
    cands = view.candidate_ids()
    assert len(cands) > 10
    spelled = view.feature_rows(cands, SPELLING)
    weighed = view.feature_rows(cands, model.weighing)
    known = 0
    for names, weights in zip(spelled, weighed, strict=True):
        assert weights == [model.weights.get(name) for name in names]
        known += sum(w is not None for w in weights)
    assert known > 10 * len(cands)  # most features have a weight
    assert model.score_features(weighed) == model.score_many(spelled)


def test_weighing_files_each_weight_under_its_template_and_value() -> None:
    weights = {"lemma_dep=a|b|ROOT": 1.5, "lemma_dep=a|ROOT": 0.25, "dep=ROOT": -1.0}
    weighing = Weighing({**weights, "prev==": 0.5, "child_cue": 0.75, "unknown=x": 9.0})
    assert weighing.emit["lemma_dep"]("a|b|ROOT") == 1.5  # a lemma holding "|"
    assert weighing.emit["lemma_dep"]("a|ROOT") == 0.25
    assert weighing.emit["lemma_dep"]("b|ROOT") is None
    assert weighing.emit["dep"]("ROOT") == -1.0
    assert weighing.emit["dep"]("nsubj") is None
    assert weighing.emit["prev"]("=") == 0.5  # the first "=" ends the template
    assert weighing.flag == {"child_cue": 0.75, "ccomp_mark": None}
    spelled = [SPELLING.emit["lemma_dep"]("a|b|ROOT"), SPELLING.emit["prev"]("=")]
    assert spelled == ["lemma_dep=a|b|ROOT", "prev=="]


def test_sentence_chars_are_the_tokens_sentences(view: DocView) -> None:
    sentences = SentenceChars(view.doc)
    for tok in view.doc:
        assert sentences.of(tok.i) == (tok.sent.start_char, tok.sent.end_char)


def _relation(cue: tuple[int, int], content: list[tuple[int, int]]) -> Relation:
    return Relation(cue, None, content, "say", "speech", "verb", 0.5, None)


def test_nested_flags_find_cues_inside_other_relations_content() -> None:
    outer = _relation((0, 4), [(5, 60)])
    inner = _relation((20, 24), [(25, 40)])
    own = _relation((70, 74), [(60, 90)])  # its own content around it does not count
    touching = _relation((58, 62), [(63, 69)])  # reaches past the outer content's end
    assert nested_flags([outer, inner, own, touching]) == [False, True, False, False]
    twin = _relation((65, 69), [(60, 90)])  # inside ``own``'s content, a different relation
    assert nested_flags([own, twin]) == [True, True]
