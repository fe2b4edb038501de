"""The fallback sentence splitter knows news abbreviations."""

from __future__ import annotations

from copydesk.sentences import split_sentences


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_splits_plain_sentences():
    assert sentences("The port closed. Ships waited offshore!  Why? Nobody said.") == [
        "The port closed.",
        "Ships waited offshore!",
        "Why?",
        "Nobody said.",
    ]


def test_does_not_split_after_titles_initials_or_prices():
    text = (
        "Mr. Alvarez met Dr. Chen in Washington, D.C. on Jan. 5 and paid $3.50 "
        "for J. R. Smith's book."
    )
    assert sentences(text) == [text]


def test_acronym_at_sentence_end_splits_before_a_sentence_starter():
    assert sentences("Exports rose in the U.S. The increase surprised analysts.") == [
        "Exports rose in the U.S.",
        "The increase surprised analysts.",
    ]
    assert len(sentences("The U.S. Navy sent two ships.")) == 1


def test_quotes_close_the_sentence_and_lines_always_split():
    text = '"We will reopen," she said. "Soon."\nA second paragraph'
    assert sentences(text) == ['"We will reopen," she said.', '"Soon."', "A second paragraph"]


def test_closing_quote_is_given_back_to_its_sentence():
    from copydesk.sentences import reattach_closing_quotes

    text = '"Nobody leaves until they talk to us."\n\nDe Vries said the strike would go on.'
    closing = text.index('us."') + 3
    spans = [(0, closing), (closing, len(text))]  # how spaCy's senter cuts it
    assert [text[a:b] for a, b in reattach_closing_quotes(text, spans)] == [
        '"Nobody leaves until they talk to us."',
        "De Vries said the strike would go on.",
    ]


def test_a_segmenter_span_over_a_paragraph_break_is_split():
    from copydesk.sentences import reattach_closing_quotes

    text = "Talks collapsed, officials said\n\nThe strike goes on."
    assert [text[a:b] for a, b in reattach_closing_quotes(text, [(0, len(text))])] == [
        "Talks collapsed, officials said",
        "The strike goes on.",
    ]


def test_an_opening_quote_written_as_two_apostrophes_starts_a_sentence():
    text = "He left the room. ''That's Mexico's vulnerability,'' she said. Then rain."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "He left the room.",
        "''That's Mexico's vulnerability,'' she said.",
        "Then rain.",
    ]
