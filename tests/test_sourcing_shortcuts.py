"""The sourcing analyzer's shortcuts give the answers of the slow ways they replace.

Each shortcut (a search started only where a match can begin, marks found by
``str.find``, entities read from the IOB column, a sentence found by bisection,
words counted only as far as needed, names shared until a copy adds one) is
checked against the plain computation it stands for, on text written to hit its
edges.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from copydesk_sourcing.comments import _PATTERNS, _matches
from copydesk_sourcing.quote_type import QuoteMarks, quote_type_of
from copydesk_sourcing.quotes import _MARK, find_marks
from copydesk_sourcing.roles import _BY_WORD, word_role
from copydesk_sourcing.sources import OutletMatcher, spacy_entities

if TYPE_CHECKING:
    from spacy.language import Language

COMMENT_TEXTS = (
    "Officials declined to comment. A spokesman Refused Comment on Friday.",
    "She did not immediately respond to a request for comment. He didn't reply.",
    "A  \n request for comment to the White House was not returned.",
    "Chad not respond to requests, wrote the clerk.",  # the pattern has no \\b before "had"
    "We reached out to the mayor for comment; the company had no comment.",
    "They could not be reached for comment. The office has not returned calls.",
    "The ministry was a\u017fked by the paper for comment.",  # a long s: an "s" to IGNORECASE
    "\u0130stanbul officials declined to comment.",  # lower() makes it a character longer
)


@pytest.mark.parametrize("text", COMMENT_TEXTS)
def test_comment_patterns_tried_where_a_match_can_begin_find_what_finditer_finds(
    text: str,
) -> None:
    lowered = text.lower()
    for kind, pattern in _PATTERNS:
        expected = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in _matches(kind, pattern, text, lowered)] == expected, kind


def test_the_comment_texts_do_hold_matches() -> None:
    # Guards the test above against patterns that never match anything here.
    found = {kind for text in COMMENT_TEXTS for kind, p in _PATTERNS if any(p.finditer(text))}
    assert found == {k for k, _ in _PATTERNS}


@pytest.mark.parametrize(
    "text",
    [
        "He said ''yes''' and ``no'' then \u201chi\u201d and \u00abja\u00bb \u201e\u201f.",
        "'''' `` ` ' \"\"\" \u201d\u201c",
        "no marks at all",
    ],
)
def test_quote_marks_found_by_str_find_are_the_regex_marks(text: str) -> None:
    assert find_marks(text) == [(m.start(), m.group()) for m in _MARK.finditer(text)]


def word_by_word(text: str, content: list[tuple[int, int]]) -> str:
    """The quote type counted as the analyzer first did: every word, inside or out."""
    spans = []
    for a, b in content:
        opened = None
        for m in re.finditer('[\u201c\u201d"]', text[a:b]):
            i = a + m.start()
            if m.group() in '\u201c"' and opened is None:
                opened = i
            elif m.group() in '\u201d"' and opened is not None:
                spans.append((opened, i))
                opened = None
        if opened is not None:
            spans.append((opened, b))
    spans.sort()
    inside = outside = 0
    for a, b in content:
        for m in re.finditer(r"[^\W_]+", text[a:b]):
            pos = a + m.start()
            if any(s <= pos < e for s, e in spans):
                inside += 1
            else:
                outside += 1
    if inside and outside <= 1:
        return "direct"
    return "mixed" if inside else "indirect"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("\u201cWe will win,\u201d he said.", [(0, 14)]),
        ("He said that \u201cwe will win\u201d soon.", [(8, 32)]),
        ("He said that we will win soon.", [(8, 29)]),
        ('She called it "a disgrace" and "a sham" today.', [(14, 39)]),
        ('"One two three', [(0, 14)]),  # an unclosed quotation runs to the end
        ("\u201cA b\u201d c \u201cd e\u201d", [(0, 5), (8, 13)]),
        ("\u201cA b c\u201d d e f", [(0, 7), (3, 13)]),  # overlapping fragments
    ],
)
def test_quote_type_counts_only_as_far_as_it_must_and_agrees(
    text: str, content: list[tuple[int, int]]
) -> None:
    assert quote_type_of(QuoteMarks(text), content) == word_by_word(text, content)


def test_a_words_role_is_the_first_role_listing_the_word_or_its_lemma(nlp: Language) -> None:
    doc = nlp("The spokeswoman, a professor and analyst, met residents and officials.")
    for tok in doc:
        low, lemma = tok.lower_, tok.lemma_.lower()
        listed = [role for role, words in _BY_WORD if low in words or lemma in words]
        if tok.i and tok.lower_ not in ("attorney", "runner"):
            assert word_role(tok) == (listed[0] if listed else None), tok.text
    assert word_role(doc[1]) == "spokesperson"


@pytest.fixture(scope="module")
def nlp() -> Language:
    from copydesk import Capability
    from copydesk.nlp import load_pipeline

    return load_pipeline(
        "en_core_web_sm", frozenset({Capability.TAGGER, Capability.PARSER, Capability.NER})
    )


def test_spacy_entities_from_the_iob_column_are_doc_ents(nlp: Language) -> None:
    doc = nlp(
        "Marco Rubio met officials of the European Union in Brussels on Monday, "
        "Reuters reported. New York Times reporters said 3,000 people came."
    )
    assert doc.ents
    from copydesk_sourcing.token_table import TokenTable

    expected = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    assert spacy_entities(doc) == expected
    # With the offsets read from the token table's columns.
    assert spacy_entities(doc, TokenTable(doc)) == expected


def test_sentence_bounds_by_bisection_are_token_sent(nlp: Language) -> None:
    from copydesk_sourcing.extract import Extractor
    from copydesk_sourcing.quotes import find_quotes

    text = 'He said: "We won." Then he left.\n\nShe spoke later. It rained'
    ex = Extractor(nlp(text), text, find_quotes(text))
    for tok in ex.doc:
        assert ex.sentence_chars(tok) == (tok.sent.start_char, tok.sent.end_char), tok.text


def test_candidates_go_only_to_the_rules_that_list_their_word(nlp: Language) -> None:
    from copydesk_sourcing.extract import Extractor
    from copydesk_sourcing.quotes import find_quotes

    text = "In his view, according to aides, the report said the plan reportedly failed."
    ex = Extractor(nlp(text), text, find_quotes(text))
    offered = {ex.doc[i].text: [r.name for r in rules] for i, rules in ex.candidates()}
    assert offered["In"] == ["in_source"]
    assert offered["according"] == ["according_to"]
    assert offered["said"] == ["verb"]
    assert offered["reportedly"] == ["hearsay"]
    assert "noun" in offered["report"]
    assert "aides" not in offered


RULE_TEXTS = (
    "In his view, the plan failed. In a poll released Monday, Trump led. In other words, "
    "nothing changed in the survey, and in their eyes the claim that he lied was false.",
    "She claimed in a statement that the report was wrong. The claims were denied in court; "
    "in the view of aides, officials reportedly said, according to the memo, that it stood.",
    '"We will win," he said in an interview. Her fear that it would fail, as per the rules, '
    "was shared by critics who, in their estimation, warned of delays in the polls. "
    "The mayor reportedly protested the new tax on water bills in private.",
)


def test_candidates_picked_by_arrays_find_what_offering_every_token_finds(
    nlp: Language,
) -> None:
    # The plain way: every token offered to every token rule in order, the first
    # that matches applies. The extractor offers only listed words of a rule's
    # tags, and drops what a rule's ``worth`` mask says it would claim in vain.
    from copydesk_sourcing.extract import Extractor
    from copydesk_sourcing.quotes import find_quotes
    from copydesk_sourcing.rules import TEXT_RULES, TOKEN_RULES

    found = set()
    for text in RULE_TEXTS:
        doc = nlp(text)
        fast = Extractor(doc, text, find_quotes(text))
        plain = Extractor(doc, text, find_quotes(text))
        for tok in doc:
            for rule in TOKEN_RULES:
                if rule.matches(tok):
                    rule.apply(plain, tok)
                    break
        for text_rule in TEXT_RULES:
            text_rule.apply(plain)
        plain.relations.sort(key=lambda r: r.cue[0])
        assert fast.run() == plain.relations
        found |= {r.rule for r in plain.relations}
    assert found >= {"in", "noun", "according", "ccomp", "adverb"}


def test_a_rule_with_a_worth_mask_shares_no_word_with_another_rule() -> None:
    # The ``worth`` contract: a token such a rule would claim in vain, dropped,
    # must not go to another rule instead.
    from copydesk_sourcing.rules import TOKEN_RULES

    for rule in TOKEN_RULES:
        if rule.worth is None:
            continue
        words = rule.lowers | rule.lemmas
        assert words
        for other in TOKEN_RULES:
            if other is not rule:
                assert not words & (other.lowers | other.lemmas), (rule.name, other.name)


LABEL_TEXTS = (
    "PENCE: Well, look.\nKAINE: No: never\nA: b\nQ. What: now\n\u201cTRUMP:\tYes: we will.\n",
    "Sanders: Clinton needs to go. Time: 10:30\nUPDATE: more\nPat Caddell: Democrat Voters Worried",
    "A VERY LONG LABEL OF MANY WORDS INDEED, MORE THAN FORTY: no\nAB:\nCD:x\nJohn of Gaunt: "
    "a speech: here\n\nWILL: \nEnd:",
    "no colon at all\n",
    ":\n::\n A: spaced\nMr. O'Neil-Smith: hi there",
)
DASH_TEXTS = (
    '"We won." \u2014 Jane Doe\n\u201cYes\u201d -- Bob Smith',
    '\u201d \u2014 Name \u201d \u2014 Other\n"x"\u00a0\u2013\u00a0Al Gore.\n',
    '"a" \u2015 "b" \u2014 Name\n" --- Name\n"\n\u2014 Ann Lee\n-- "" -- X y\n',
    "no dashes \u2014 here, nor marks",
)


def test_colon_labels_tried_at_colon_lines_are_what_finditer_finds(nlp: Language) -> None:
    from copydesk_sourcing.context import RuleContext
    from copydesk_sourcing.rules.name_colons import _NAME_COLON, name_labels
    from copydesk_sourcing.rules.transcripts import _TRANSCRIPT, transcript_labels

    found = 0
    for text in LABEL_TEXTS:
        ctx = RuleContext(nlp.make_doc(text), text, [])
        expected = [m.span() for m in _TRANSCRIPT.finditer(text)]
        assert [m.span() for m in transcript_labels(ctx)] == expected, text
        named = [m.span() for m in _NAME_COLON.finditer(text)]
        assert [m.span() for m in name_labels(ctx)] == named, text
        found += len(expected) + len(named)
    assert found > 10


def test_quote_dashes_tried_at_dashes_are_what_finditer_finds() -> None:
    from copydesk_sourcing.rules.quote_dashes import _QUOTE_DASH, quote_dash_matches

    found = 0
    for text in DASH_TEXTS:
        expected = [m.span() for m in _QUOTE_DASH.finditer(text)]
        assert [m.span() for m in quote_dash_matches(text)] == expected, text
        found += len(expected)
    assert found >= 5


def test_token_reads_from_the_columns_are_the_token_reads(nlp: Language) -> None:
    # ``chars``, ``head_of`` and ``after_idiom`` read the token table's columns
    # instead of ``Token`` objects: the same answers on text with every idiom.
    from copydesk_sourcing.cues import after_idiom
    from copydesk_sourcing.extract import Extractor
    from copydesk_sourcing.spans import tok_range

    text = (
        "It is worth noting that, needless to say, nobody spoke. Let's say he won; "
        "let us assume it. Without saying so, she left \u2014 let\u2019s see.\n\nNeedless to add."
    )
    doc = nlp(text)
    ex = Extractor(doc, text, [])
    for tok in doc:
        assert ex.chars(tok.i, tok.i + 1) == tok_range(doc, tok.i, tok.i + 1)
        assert ex.chars(0, tok.i + 1) == tok_range(doc, 0, tok.i + 1)
        assert ex.head_of(tok.i) == tok.head.i
        assert ex.after_idiom(tok.i) == after_idiom(tok), tok.text
    assert sum(after_idiom(tok) for tok in doc) >= 5


def test_an_outlet_matcher_copy_shares_names_until_one_side_adds() -> None:
    shared = OutletMatcher(["Reuters", "New York Times"])
    doc_a, doc_b = shared.copy(), shared.copy()
    assert doc_a.find("a New York Times reporter") == "new york times"
    doc_a.add("the Valley Herald")
    doc_a.add("Globe")
    assert doc_a.find("the Valley Herald's editor") == "valley herald"
    assert doc_a.find("the Globe") == "Globe"
    assert doc_b.find("the Valley Herald's editor") is None
    assert doc_b.find("the Globe") is None
    shared.add("Daily Planet")
    assert doc_b.find("a Daily Planet columnist") is None
    assert shared.find("a Daily Planet columnist") == "daily planet"
    assert shared.copy().find("Reuters") == "Reuters"


def test_honorifics_and_role_pairs_read_the_next_or_previous_word_only_when_needed(
    nlp: Language,
) -> None:
    from copydesk_sourcing import gender as gd
    from copydesk_sourcing import roles as rl

    text = (
        "Mr . Smith met Ms. Lopez, Mrs Porter and MR Brown; the press secretary, a "
        "communications director and Dame Judi spoke. Sir Elton told mr. Jones."
    )
    doc = nlp(text)

    def plain_honorific(i: int) -> gd.Evidence | None:
        # The check as it read before: the word after is read first.
        for j in (i, i - 1):
            if not 0 <= j < len(doc):
                continue
            tok = doc[j]
            low = tok.lower_
            if j == i - 1 and j + 1 < len(doc) and doc[j + 1].lower_ == "." and low in ("mr", "ms"):
                continue
            for gender, words in (("female", gd.FEMALE_HONORIFICS), ("male", gd.MALE_HONORIFICS)):
                if low in words and tok.text[:1].isupper():
                    return gd.Evidence("honorific", gender, tok.idx, tok.idx + len(tok), tok.text)
        return None

    found = [gd.honorific_before(doc, t.idx, t.i) for t in doc]
    assert found == [plain_honorific(t.i) for t in doc]
    assert sum(e is not None for e in found) > 6
    paired = [t.text for t in doc if rl.word_role(t) == "spokesperson"]
    assert paired == ["secretary", "director"]
