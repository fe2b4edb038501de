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


def span_of(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def test_a_spans_paragraph_runs_between_line_breaks() -> None:
    text = "First line.\nSecond line here.\nThird."
    start, end = paragraph_of(text, span_of(text, "line here"))
    assert text[start:end] == "Second line here."
    start, end = paragraph_of(text, span_of(text, "Third"))
    assert text[start:end] == "Third."


def test_fragments_with_only_white_space_between_them_are_one() -> None:
    text = "the company  for leaving, then"
    parts = [span_of(text, "for leaving,"), span_of(text, "the company")]
    assert [text[a:b] for a, b in join_adjacent(text, parts)] == ["the company  for leaving,"]
    text = "the company, for leaving"
    parts = [span_of(text, "the company"), span_of(text, "for leaving")]
    assert [text[a:b] for a, b in join_adjacent(text, parts)] == ["the company", "for leaving"]


def test_quote_index_finds_every_quotation_sharing_a_character() -> None:
    # QuoteIndex.overlapping bisects and stops scanning back once no earlier
    # quotation can reach the range; it must find what a scan of all would.
    from copydesk_sourcing.quotes import Quote
    from copydesk_sourcing.relation import QuoteIndex

    text = (
        '"We won the vote," Ruiz said. "It was close." Her rival called it "a fluke."\n\n'
        "\u201cThe storm destroyed homes.\n\n\u201cWe will rebuild.\u201d"
    )
    # A long stretch holding later ones (as a paragraph-spanning piece can)
    # tests the early stop.
    built = [Quote(0, 50, 0), Quote(10, 20, 1), Quote(30, 40, 2), Quote(60, 70, 3)]
    for quotes in (find_quotes(text), built):
        index = QuoteIndex(quotes, text)
        assert len(quotes) >= 4
        for start in range(len(text)):
            for end in range(start + 1, len(text) + 1):
                expected = [q for q in quotes if q.start < end and start < q.end]
                assert index.overlapping(start, end) == expected
    assert QuoteIndex(built, text).overlapping(41, 45) == [built[0]]
