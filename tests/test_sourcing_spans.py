"""Where a relation's source and content end: the clean-up every relation gets.

``RuleContext.settle`` runs on each rule relation and on each relation of the
learned detector; these call it on relations built from a real parse with a
fixed probability, so they test the clean-up, not the weights.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from copydesk_sourcing.extract import Extractor
from copydesk_sourcing.learned import build_relation
from copydesk_sourcing.quotes import find_quotes
from copydesk_sourcing.spans import join_adjacent, paragraph_of

if TYPE_CHECKING:
    from spacy.language import Language


@pytest.fixture(scope="module")
def nlp() -> Language:
    from copydesk import Capability
    from copydesk.nlp import load_pipeline

    return load_pipeline("en_core_web_sm", frozenset({Capability.TAGGER, Capability.PARSER}))


def test_name_opening_the_line_replaces_a_subject_from_the_line_before(nlp: Language) -> None:
    text = (
        "The results came in late.\n\n9:18 p.m.\n\n"
        "Donald Trump is thanking his supporters for delivering a commanding victory."
    )
    ex = Extractor(nlp(text), text, find_quotes(text))
    verb = next(t for t in ex.doc if t.text == "thanking")
    rel = build_relation(ex, verb, 0.9)
    assert rel is not None
    settled = ex.settle(rel)
    assert settled.source is not None
    assert text[settled.source[0] : settled.source[1]] == "Donald Trump"
    assert [text[a:b] for a, b in settled.content] == [
        "his supporters for delivering a commanding victory"
    ]


def test_paragraph_and_adjacent_fragments() -> None:
    text = "First line.\nSecond line here.\nThird."
    assert paragraph_of(text, (14, 18)) == (12, 29)
    assert join_adjacent("the company  for leaving, then", [(13, 24), (0, 11)]) == [(0, 24)]
    assert join_adjacent("the company, for leaving", [(0, 11), (13, 24)]) == [(0, 11), (13, 24)]
