"""Tests for the sourcing analyzer on wire-style sentences written for the tests."""

from __future__ import annotations

import math
from typing import Any

import pytest

from copydesk import AnalyzedDocument, Finding
from copydesk.testing import run_analyzers
from copydesk_sourcing.quotes import find_quotes
from copydesk_sourcing.sources import OutletMatcher


def attributions(doc: AnalyzedDocument) -> list[Finding]:
    return doc.findings_of("sourcing", "attribution")


def by_cue(doc: AnalyzedDocument, cue: str) -> Finding:
    matches = [f for f in attributions(doc) if f.data["cue"]["text"] == cue]
    assert matches, (
        f"no attribution with cue {cue!r}: {[f.data['cue']['text'] for f in attributions(doc)]}"
    )
    return matches[0]


def text_of(span: dict[str, Any] | None) -> str | None:
    return None if span is None else span["text"]


def run(text: str, **settings: Any) -> AnalyzedDocument:
    return run_analyzers(text, ["sourcing"], settings={"sourcing": settings} if settings else None)


def test_curly_quote_then_speaker_with_pronoun_resolved() -> None:
    doc = run(
        "Secretary of State Marco Rubio met his counterpart on Monday.\n\n"
        "\u201cWe are not going to wait forever,\u201d he said."
    )
    f = by_cue(doc, "said")
    assert text_of(f.data["source"]) == "he"
    assert f.data["resolved_to"] == "Marco Rubio"
    assert f.data["source_type"] == "named_person"
    assert f.data["quote_type"] == "direct"
    assert text_of(f.data["content"]) == "\u201cWe are not going to wait forever,\u201d"
    assert f.data["entity_id"]
    assert f.start == f.data["content"]["start"]
    assert f.end == f.data["cue"]["end"]


def test_straight_quotes_speaker_then_quote_with_role() -> None:
    doc = run('Secretary of State Marco Rubio said: "The ball is in their court."')
    f = by_cue(doc, "said")
    assert text_of(f.data["source"]) == "Secretary of State Marco Rubio"
    assert f.data["role_text"] == "Secretary of State"
    assert f.data["role"] == "official"
    assert f.data["source_name"] == "Marco Rubio"
    assert f.data["quote_type"] == "direct"
    assert text_of(f.data["content"]) == '"The ball is in their court."'


def test_quote_spanning_sentences_is_one_attribution() -> None:
    doc = run('"We won the vote," Mayor Jane Ortiz said. "It was close, but the city spoke."')
    found = attributions(doc)
    assert len(found) == 1
    frags = [c["text"] for c in found[0].data["content_fragments"]]
    assert frags == ['"We won the vote,"', '"It was close, but the city spoke."']


def test_quote_spanning_paragraphs_is_grouped() -> None:
    text = (
        "Governor Ana Ruiz said in a statement:\n\n"
        "\u201cThe storm destroyed hundreds of homes along the coast.\n\n"
        "\u201cWe will rebuild every one of them, and we will start this week.\u201d"
    )
    quotes = find_quotes(text)
    assert len(quotes) == 2
    assert quotes[0].group == quotes[1].group
    assert not quotes[0].closed
    doc = run(text)
    # PolNeAR's cue takes in the manner phrase; the learned extent model follows it.
    f = by_cue(doc, "said in a statement")
    assert f.data["source_type"] == "named_person"
    assert "rebuild every one" in f.data["content"]["text"]


def test_said_that_indirect_speech() -> None:
    doc = run("Finance Minister Rachel Reeves said that the budget would be balanced by 2027.")
    f = by_cue(doc, "said")
    assert text_of(f.data["content"]) == "that the budget would be balanced by 2027"
    assert f.data["quote_type"] == "indirect"
    assert f.data["cue_kind"] == "speech"


@pytest.mark.parametrize(
    ("text", "cue", "source"),
    [
        ("Will wrote that the plan would fail.", "wrote", "Will"),
        ("Columnist George Will said the tax was unfair.", "said", "Columnist George Will"),
    ],
)
def test_the_name_will_is_not_a_modal(text: str, cue: str, source: str) -> None:
    # The parser reads the name as a modal ("will"); it belongs to the source, not the cue.
    f = by_cue(run(text), cue)
    assert text_of(f.data["source"]) == source


def test_a_modal_will_stays_in_the_cue() -> None:
    f = by_cue(run("Officials will say that the plan failed."), "will say")
    assert text_of(f.data["source"]) == "Officials"


def test_mixed_quote() -> None:
    doc = run('The senator said the bill was "a disgrace to this chamber" and would fail.')
    f = by_cue(doc, "said")
    assert f.data["quote_type"] == "mixed"


def test_according_to_anonymous() -> None:
    doc = run(
        "The ceasefire talks have collapsed, according to two people familiar with the matter."
    )
    f = by_cue(doc, "according to")
    assert text_of(f.data["source"]) == "two people familiar with the matter"
    assert f.data["source_type"] == "anonymous"
    assert text_of(f.data["content"]) == "The ceasefire talks have collapsed"


def test_as_per_document() -> None:
    doc = run("Inflation rose to 4.1 percent in March, as per data from the statistics office.")
    f = by_cue(doc, "as per")
    assert f.data["source_type"] == "document"
    assert "Inflation rose" in f.data["content"]["text"]


@pytest.mark.parametrize("outlet", ["the BBC", "Reuters"])
def test_told_outlet_keeps_addressee(outlet: str) -> None:
    doc = run(f"Prime Minister Keir Starmer told {outlet} that he would not resign.")
    f = by_cue(doc, "told")
    assert text_of(f.data["addressee"]) == outlet
    assert f.data["source_type"] == "named_person"


def test_told_reporters() -> None:
    doc = run("Defense Secretary Lloyd Austin told reporters the troops would stay until spring.")
    f = by_cue(doc, "told")
    assert text_of(f.data["addressee"]) == "reporters"
    assert "troops would stay" in f.data["content"]["text"]


@pytest.mark.parametrize(
    "verb", ["reported", "revealed", "confirmed", "claimed", "announced", "warned"]
)
def test_reporting_verbs(verb: str) -> None:
    doc = run(f"The Interior Ministry {verb} that 40 people had been detained overnight.")
    f = by_cue(doc, verb)
    assert text_of(f.data["source"]) == "The Interior Ministry"
    assert f.data["source_type"] == "organization"
    assert text_of(f.data["content"]) == "that 40 people had been detained overnight"


def test_media_source_from_outlet_list_and_nested_attribution() -> None:
    doc = run(
        "Reuters reported that officials said the talks had stalled.", nested_attributions=True
    )
    outer = by_cue(doc, "reported")
    inner = by_cue(doc, "said")
    assert outer.data["source_type"] == "media"
    assert inner.data["source_type"] == "anonymous"
    assert text_of(inner.data["content"]) == "the talks had stalled"
    assert outer.start <= inner.start
    assert inner.end <= outer.end


def test_media_source_from_multiword_outlet() -> None:
    doc = run("The Daily Express U.S. reported that the shipment had been seized at the border.")
    assert by_cue(doc, "reported").data["source_type"] == "media"


def test_extra_outlets_setting() -> None:
    text = "The Riverside Clarion reported that the council had voted to close the library."
    assert by_cue(run(text), "reported").data["source_type"] != "media"
    configured = run(text, extra_outlets=["Riverside Clarion"])
    assert by_cue(configured, "reported").data["source_type"] == "media"


def test_outlet_matcher_single_words_need_capitals() -> None:
    matcher = OutletMatcher(["Time", "New York Times"])
    assert matcher.find("Time magazine") == "Time"
    assert matcher.find("at the time") is None
    assert matcher.find("the new york times") == "new york times"


def test_outlet_matcher_prefers_the_name_given_first_between_equal_lengths() -> None:
    # Two six-letter multi-word names: the set's order (the hash seed) must not decide.
    matcher = OutletMatcher(["Fox TV", "Sky TV"])
    assert matcher.find("Fox TV and Sky TV reported") == "fox tv"
    assert matcher.find("Sky TV and Fox TV reported") == "sky tv"
    assert matcher.find("Sky TV and the Fox TV News network") == "sky tv"


def test_agentless_passive_is_unattributed() -> None:
    doc = run("It was reported that the minister had resigned before the vote.")
    f = by_cue(doc, "was reported")
    assert f.data["source"] is None
    assert f.data["source_type"] == "unattributed"
    assert f.label == "unattributed"


def test_sources_revealed_is_anonymous() -> None:
    doc = run("Sources revealed the cabinet was split over the tax plan.")
    f = by_cue(doc, "revealed")
    assert f.data["source_type"] == "anonymous"


def test_anonymity_phrase_beats_role() -> None:
    doc = run(
        "A senior official, who spoke on condition of anonymity, said the plan would be delayed."
    )
    assert by_cue(doc, "said").data["source_type"] == "anonymous"


def test_individuals_privy_to() -> None:
    doc = run("Two individuals privy to the negotiations said the deal was close.")
    assert by_cue(doc, "said").data["source_type"] == "anonymous"


def test_she_prefers_a_womans_name() -> None:
    doc = run(
        "Senator Susan Collins met Senator John Thune on Tuesday. "
        "She said the vote would be held next week."
    )
    f = by_cue(doc, "said")
    assert f.data["resolved_to"] == "Susan Collins"


def test_thought_cues_are_other_and_can_be_turned_off() -> None:
    text = "The governor believes the measure will pass in the spring."
    f = by_cue(run(text), "believes")
    assert f.data["cue_kind"] == "other"
    assert not attributions(run(text, include_thought_cues=False))


def test_comment_requests_with_party() -> None:
    doc = run(
        "A spokesman for the State Department declined to comment. "
        "The White House did not respond to a request for comment. "
        "Reporters reached out to the mayor's office for comment. "
        "Lawyers for the company could not be reached."
    )
    found = doc.findings_of("sourcing", "comment_request")
    parties = [text_of(f.data["party"]) for f in found]
    assert parties == [
        "A spokesman for the State Department",
        "The White House",
        "the mayor's office",
        "Lawyers for the company",
    ]
    assert [f.label for f in found] == ["declined", "no_response", "reached_out", "unreachable"]


def test_metrics_are_finite_and_counted() -> None:
    doc = run(
        'Marco Rubio said the talks had stalled. "We will not wait," he said. '
        "Officials said the deadline would pass."
    )
    m = doc.metrics
    assert m["sourcing.attributions"] == 3
    assert m["sourcing.distinct_sources"] == 2  # "he" merges into Marco Rubio
    assert m["sourcing.direct_quotes"] == 1
    assert m["sourcing.named_to_anonymous"] == 2.0
    assert m["sourcing.share_anonymous"] == pytest.approx(1 / 3, abs=1e-3)
    assert all(math.isfinite(v) for v in m.values())


def test_no_attribution_has_no_ratio_or_shares() -> None:
    doc = run("The river rose two metres overnight and the bridge was closed.")
    assert doc.metrics["sourcing.attributions"] == 0
    assert "sourcing.named_to_anonymous" not in doc.metrics
    assert "sourcing.anonymous_share" not in doc.metrics


def test_scare_quotes_are_not_attributions() -> None:
    doc = run('The so-called "peace dividend" never arrived for the region.')
    assert not attributions(doc)


def test_reportedly_is_an_unattributed_cue() -> None:
    doc = run("Venezuelan officials reportedly protested to the United Nations on Tuesday.")
    f = by_cue(doc, "reportedly")
    assert f.data["source"] is None
    assert f.data["source_type"] == "unattributed"
    assert "protested to the United Nations" in f.data["content"]["text"]


def test_reportedly_defers_to_a_named_source_in_the_sentence() -> None:
    doc = run(
        "Ministry officials were reportedly drafting contingency plans, "
        "according to the Financial Times."
    )
    cues = [f.data["cue"]["text"] for f in attributions(doc)]
    assert "reportedly" not in cues
    assert by_cue(doc, "according to").data["source_type"] == "media"


def test_name_with_role_in_apposition_is_a_person() -> None:
    doc = run(
        '"Nobody leaves this gate," said Anouk de Vries, chair of the FNV Havens union, '
        "as workers gathered outside the terminal."
    )
    f = by_cue(doc, "said")
    assert f.data["source_type"] == "named_person"
    assert f.data["role_text"] == "chair of the FNV Havens union"
    assert f.data["role"] == "official"


def test_aside_with_its_own_object_is_not_a_speech_cue() -> None:
    doc = run(
        "Senator Marcus Hale said the administration had made it clear that it would "
        "not seek congressional approval. It remains unclear how many more strikes are planned."
    )
    cues = [f.data["cue"]["text"] for f in attributions(doc)]
    assert "would not seek" not in cues
    assert "are planned" not in cues
    assert by_cue(doc, "said").data["source_type"] == "named_person"


def test_learned_cue_finds_predicates_off_the_word_lists() -> None:
    text = "Governor Earl Tomblin endorsed the plan to reopen the mine on Monday."
    plain = run(text, learned_cues=False)
    learned = run(text)
    assert not attributions(plain)
    f = by_cue(learned, "endorsed")
    assert f.data["rule"] == "learned"
    assert text_of(f.data["source"]) == "Governor Earl Tomblin"
    assert f.data["content"]["text"].startswith("the plan to reopen the mine")
    assert f.data["cue_kind"] == "other"


def test_learned_cue_leaves_comment_requests_alone() -> None:
    doc = run("The embassy did not immediately respond to a request for comment.")
    assert not [f for f in attributions(doc) if f.data["rule"] == "learned"]
    assert doc.findings_of("sourcing", "comment_request")


def test_relative_pronoun_source_resolves_to_its_noun() -> None:
    doc = run(
        "The inquiry has questioned members of the Saudi government, which has "
        "strongly denied any involvement in the attacks.",
        learned_cues=False,
    )
    f = next(x for x in attributions(doc) if x.data["cue_lemma"] == "deny")
    assert text_of(f.data["source"]) == "which"
    assert "the Saudi government" in f.data["resolved_to"]
    assert f.data["source_type"] == "organization"


def test_gerund_after_preposition_takes_the_main_subject() -> None:
    doc = run(
        "President Barack Obama responded to a question on Wednesday by saying that "
        "the words do not matter."
    )
    f = by_cue(doc, "saying")
    assert text_of(f.data["source"]) == "President Barack Obama"
    assert f.data["source_type"] == "named_person"


def test_belief_without_a_holder_is_not_an_attribution() -> None:
    doc = run(
        "Imagine that she had won the primary in March. "
        "The union is believed to have rejected the offer."
    )
    cues = [f.data["cue"]["text"] for f in attributions(doc)]
    assert "Imagine" not in cues
    assert by_cue(doc, "is believed").data["source_type"] == "unattributed"


def test_agentless_passive_announcement_takes_its_subject_as_content() -> None:
    doc = run("A curfew was announced from midnight to 6 a.m. in the city center.")
    f = by_cue(doc, "was announced")
    assert f.data["source_type"] == "unattributed"
    assert f.data["content"]["text"].startswith("A curfew")


def test_accused_of_keeps_the_charge_in_the_content() -> None:
    doc = run("Democrats accused the governor of stoking the issue for political gain.")
    f = by_cue(doc, "accused")
    assert text_of(f.data["source"]) == "Democrats"
    assert "of stoking the issue" in f.data["content"]["text"]


def test_spoke_about_is_a_speech_cue() -> None:
    doc = run("Senator Jane Porter spoke on Tuesday about the death of a teenager in Tulsa.")
    f = by_cue(doc, "spoke on Tuesday about")  # PolNeAR's cues span the gap too
    assert f.data["cue_kind"] == "speech"
    assert text_of(f.data["source"]) == "Senator Jane Porter"
    assert "the death of a teenager" in f.data["content"]["text"]


def test_quoted_words_parsed_as_subject_do_not_hide_the_speaker() -> None:
    doc = run(
        "\u201cThe campaign is in panic mode. Full panic mode,\u201d said Leslie Wimes, "
        "a Florida-based organizer."
    )
    f = by_cue(doc, "said")
    assert text_of(f.data["source"]) is not None
    assert "Leslie Wimes" in text_of(f.data["source"])  # type: ignore[operator]
    assert f.data["quote_type"] == "direct"


def test_spoke_on_condition_of_anonymity_is_not_a_cue() -> None:
    doc = run(
        "Two defense officials said the strike was carried out on Tuesday. They spoke on "
        "condition of anonymity because they were not authorized to discuss it."
    )
    cues = [f.data["cue"]["text"] for f in attributions(doc)]
    assert not [c for c in cues if c.startswith("spoke")]
    assert by_cue(doc, "said").data["source_type"] == "anonymous"


def test_name_colon_headline_is_an_attribution() -> None:
    doc = run(
        "Sanders: Clinton needs to get away from big donors\n\n"
        "UPDATE: The story was changed on Friday to add a quote."
    )
    f = by_cue(doc, ":")
    assert text_of(f.data["source"]) == "Sanders"
    assert f.data["source_type"] == "named_person"
    assert f.data["content"]["text"].startswith("Clinton needs to")
    assert [x for x in attributions(doc) if text_of(x.data["source"]) == "UPDATE"] == []


def test_in_his_eyes_and_in_this_poll() -> None:
    # The rule itself (the learned filter, trained on PolNeAR train where this
    # rule is right about a third of the time, may drop "in his eyes").
    doc = run(
        "Donald Trump said the vote was rigged. Only European immigrants are safe in his eyes. "
        "In this poll, Trump rose 1 percentage point from last week.",
        learned_cues=False,
    )
    eyes, poll = [f for f in attributions(doc) if f.data["rule"] == "in"]
    assert text_of(eyes.data["source"]) == "his"
    assert eyes.data["resolved_to"] == "Donald Trump"
    assert text_of(poll.data["source"]) == "this poll"
    assert poll.data["source_type"] == "document"
    assert poll.data["content"]["text"].startswith("Trump rose")


def test_a_share_in_a_poll_is_not_an_in_cue() -> None:
    # PolNeAR train marks "in" as a cue in 3 of the 18 poll/survey phrases the parser
    # hangs on a number or "percent"; letting such heads cue "in" lowered every
    # held-out F1 (the verb-headed "fell to 10 percent in a poll" is found already).
    doc = run(
        "Clinton had 52 percent in a Gallup survey. Trump got 40 percent in a CNN poll.",
        learned_cues=False,
    )
    assert not [f for f in attributions(doc) if f.data["rule"] == "in"]


def test_relation_filter_drops_rule_relations_and_their_standalone_quotes(
    tmp_path: Any,
) -> None:
    import json

    # A filter that scores every relation far below its threshold: the rule
    # relations go, and the stand-alone quotation, with no kept attribution to
    # join, goes with them (PolNeAR has no speakerless quotation paragraphs).
    weights = tmp_path / "drop_all.json"
    weights.write_text(
        json.dumps(
            {
                "bias": -30.0,
                "threshold": 0.5,
                "weights": {},
                "filter": {"bias": -30.0, "threshold": 0.5, "weights": {}},
            }
        ),
        "utf-8",
    )
    text = (
        "Mayor Lena Ortiz said the bridge would reopen in May.\n\n"
        "\u201cWe owe the commuters an answer and we will give them one.\u201d"
    )
    kept = run(text)
    said = by_cue(kept, "said")
    assert said.data["rule"] != "learned"
    # With the shipped filter the quotation paragraph joins the attribution it
    # continues (PolNeAR files it as a content fragment), instead of standing alone.
    assert [f.data["rule"] for f in attributions(kept)] == [said.data["rule"]]
    assert said.data["content_fragments"][-1]["text"].startswith("\u201cWe owe the commuters")
    assert not attributions(run(text, cue_model_path=str(weights)))
    # Without the learned models the rules alone report the quotation on its own.
    rules = [f.data["rule"] for f in attributions(run(text, learned_cues=False))]
    assert "standalone" in rules


def test_speaker_inside_the_reported_relative_clause_keeps_its_source() -> None:
    doc = run(
        "Mayor Lena Ortiz thanked the volunteers, who she said were the backbone of the "
        "flood relief effort."
    )
    f = by_cue(doc, "said")
    assert text_of(f.data["source"]) == "she"
    assert "Ortiz" in str(f.data.get("resolved_to"))
    assert [c["text"] for c in f.data["content_fragments"]] == [
        "were the backbone of the flood relief effort"
    ]


def test_speech_verb_idioms_attribute_nothing() -> None:
    doc = run(
        "It is worth noting that the levy passed the council in March. "
        "It goes without saying that the vote was close. "
        "Councillor Ada Brennan said without hesitation that she would vote against it."
    )
    cues = [f.data["cue"]["text"] for f in attributions(doc)]
    assert cues == ["said"]


def test_learned_extent_takes_in_adverbs_and_auxiliaries_as_polnear_does() -> None:
    text = (
        "The union has long argued that the new cranes threaten hundreds of jobs. "
        "The senator sharply criticized the port authority on Monday, saying the strike "
        "had cost millions."
    )
    rules_only = [f.data["cue"]["text"] for f in attributions(run(text, learned_cues=False))]
    assert "argued" in rules_only
    assert "criticized" in rules_only
    cues = [f.data["cue"]["text"] for f in attributions(run(text))]
    assert "has long argued" in cues
    assert "sharply criticized" in cues
    # The content never becomes part of the cue.
    f = by_cue(run(text), "has long argued")
    assert text_of(f.data["content"]) == "that the new cranes threaten hundreds of jobs"


def test_filter_judges_nesting_through_one_feature_that_the_setting_turns_off(
    tmp_path: Any,
) -> None:
    import json

    # A filter that keeps everything except relations inside another one's content.
    weights = tmp_path / "no_nested.json"
    weights.write_text(
        json.dumps(
            {
                "bias": -30.0,
                "threshold": 0.5,
                "weights": {},
                "filter": {"bias": 5.0, "threshold": 0.5, "weights": {"r_nested=True": -30.0}},
            }
        ),
        "utf-8",
    )
    text = "Reuters reported that officials said the talks had stalled."
    plain = run(text, cue_model_path=str(weights))
    assert [f.data["cue"]["text"] for f in attributions(plain)] == ["reported"]
    nested = run(text, cue_model_path=str(weights), nested_attributions=True)
    assert [f.data["cue"]["text"] for f in attributions(nested)] == ["reported", "said"]


# -- source ids, relays, gender and role (issue 14) ------------------------------

WIRE = (
    "WASHINGTON, Nov 3 (Reuters) - The United States is weighing new sanctions on an "
    "armed group, according to two individuals privy to the matter, as per The New York "
    "Times.\n\n"
    "These sources revealed that the Treasury Department had drafted the measures last week.\n\n"
    "A State Department spokeswoman, Jane Porter, said on Tuesday the review was under way. "
    '"We are looking at every option," she said.\n\n'
    "Mr. Halvorsen, a professor of international law at Georgetown University, said the move "
    "would face legal challenges.\n\n"
    "Maria Lopez, a resident of the border town, said armed men had been seen in the area."
)


def by_source(doc: AnalyzedDocument, source: str) -> Finding:
    matches = [f for f in attributions(doc) if text_of(f.data["source"]) == source]
    assert matches, [text_of(f.data["source"]) for f in attributions(doc)]
    return matches[0]


def test_these_sources_take_up_the_unnamed_source_before() -> None:
    doc = run(WIRE)
    first = by_source(doc, "two individuals")
    again = by_source(doc, "These sources")
    assert first.data["source_id"] == again.data["source_id"]
    ids = {f.data["source_id"] for f in attributions(doc) if f.data["source_id"]}
    assert doc.metrics["sourcing.distinct_sources"] == len(ids)
    assert doc.metrics["sourcing.distinct_sources"] == 5


def test_anonymous_source_relayed_by_an_outlet() -> None:
    doc = run(WIRE)
    f = by_source(doc, "two individuals")
    assert text_of(f.data["relayed_by"]) == "The New York Times"
    assert by_source(doc, "The New York Times").data["relayed_by"] is None
    nested = run("The Times reported that, according to officials, the deal was off.")
    assert text_of(by_source(nested, "officials").data["relayed_by"]) == "The Times"


def test_gender_from_role_noun_honorific_and_pronoun_never_from_a_first_name() -> None:
    doc = run(WIRE)
    porter = by_source(doc, "A State Department spokeswoman, Jane Porter")
    assert porter.data["gender"] == "female"
    kinds = {e["kind"] for e in porter.data["gender_evidence"]}
    assert kinds == {"role_noun", "pronoun"}
    she = by_source(doc, "she")
    assert she.data["source_id"] == porter.data["source_id"]
    assert she.data["gender"] == "female"
    prof = by_source(
        doc, "Mr. Halvorsen, a professor of international law at Georgetown University"
    )
    assert prof.data["gender"] == "male"
    assert [e["text"] for e in prof.data["gender_evidence"]] == ["Mr."]
    lopez = by_source(doc, "Maria Lopez, a resident of the border town")
    assert lopez.data["gender"] == "unknown"
    assert lopez.data["gender_evidence"] == []
    assert by_source(doc, "The New York Times").data["gender"] is None


def test_first_names_only_when_asked() -> None:
    doc = run(WIRE, gender_from_first_names=True)
    lopez = by_source(doc, "Maria Lopez, a resident of the border town")
    assert lopez.data["gender"] == "female"
    assert [e["kind"] for e in lopez.data["gender_evidence"]] == ["first_name"]
    # Text evidence outranks the list: "Mr." wins over any name.
    prof = by_source(
        doc, "Mr. Halvorsen, a professor of international law at Georgetown University"
    )
    assert prof.data["gender"] == "male"


def test_roles_from_apposition_title_and_source_type() -> None:
    doc = run(WIRE)
    assert by_source(doc, "A State Department spokeswoman, Jane Porter").data["role"] == (
        "spokesperson"
    )
    prof = by_source(
        doc, "Mr. Halvorsen, a professor of international law at Georgetown University"
    )
    assert prof.data["role"] == "expert"
    assert text_of(prof.data["role_evidence"]) == "professor"
    assert by_source(doc, "Maria Lopez, a resident of the border town").data["role"] == ("citizen")
    assert by_source(doc, "The New York Times").data["role"] == "media"
    assert by_source(doc, "two individuals").data["role"] == "unknown"
    other = run(
        "The Interior Ministry said the border would reopen on Friday. A report by the "
        "statistics office showed that exports fell. Tom Reyes, a lawyer for the family, "
        "said they would appeal. Sen. Ana Ruiz said she would vote against the bill."
    )
    assert by_source(other, "The Interior Ministry").data["role"] == "official"
    assert by_cue(other, "showed").data["role"] == "document"
    assert by_source(other, "Tom Reyes, a lawyer for the family").data["role"] == "spokesperson"
    assert by_source(other, "Sen. Ana Ruiz").data["role"] == "official"


def test_gender_and_role_shares_over_distinct_sources() -> None:
    doc = run(WIRE)
    m = doc.metrics
    # People: the two individuals (unknown), Porter (female), Halvorsen (male), Lopez (unknown).
    assert m["sourcing.share_gender.female"] == 0.25
    assert m["sourcing.share_gender.male"] == 0.25
    assert m["sourcing.share_gender.unknown"] == 0.5
    # Five sources: spokesperson, expert, citizen, media, unknown.
    assert m["sourcing.share_role.media"] == 0.2
    assert m["sourcing.share_role.official"] == 0.0
    table = doc.data["sourcing"]["sources"]
    assert {row["source_id"] for row in table} == {
        f.data["source_id"] for f in attributions(doc) if f.data["source_id"]
    }


def test_a_group_of_people_has_no_gender_from_one_of_them() -> None:
    doc = run("She and her husband said the flood had destroyed their farm.")
    f = by_cue(doc, "said")
    assert f.data["gender"] == "unknown"


def test_definite_role_noun_takes_up_the_named_spokeswoman() -> None:
    doc = run(
        "Jane Porter, a spokeswoman for the ministry, said the talks would resume. "
        "The minister will travel to Geneva on Monday. "
        "The spokeswoman added that no date had been set."
    )
    assert by_cue(doc, "said").data["source_id"] == by_cue(doc, "added").data["source_id"]


def test_passive_agent_is_the_source() -> None:
    # The parser reads "a group" as the subject of an active "labelled" and hangs
    # "by the State Department" on the object; the department is the source.
    doc = run(
        "The sanctions hit Hamas, a group labelled a terrorist organisation by the State "
        "Department."
    )
    f = by_cue(doc, "labelled")
    assert text_of(f.data["source"]) == "the State Department"
    assert [c["text"] for c in f.data["content_fragments"]] == ["a terrorist organisation"]
    # Without the apposition comma, the subject is the speaker.
    doc = run("A spokesman labelled the plan a disaster on Tuesday.")
    assert text_of(by_cue(doc, "labelled").data["source"]) == "A spokesman"


def test_signalling_participle_is_no_second_attribution() -> None:
    doc = run(
        "Reuters reported on Monday that the talks had stalled, signalling that a deal "
        "was unlikely before the vote."
    )
    found = attributions(doc)
    assert [f.data["cue"]["text"] for f in found] == ["reported"]
    assert doc.metrics["sourcing.distinct_sources"] == 1


def test_a_campaign_spokesman_is_not_the_candidate() -> None:
    doc = run(
        "Hillary Clinton said on Monday that the plan would create jobs. "
        "A Clinton campaign spokesman said the trip had been planned for weeks."
    )
    clinton = by_source(doc, "Hillary Clinton")
    aide = by_source(doc, "A Clinton campaign spokesman")
    assert clinton.data["source_id"] != aide.data["source_id"]
    assert aide.data["gender"] == "male"
    assert aide.data["role"] == "spokesperson"
    assert clinton.data["gender"] == "unknown"  # the spokesman's noun is not hers


def test_report_hung_on_the_reported_clause_keeps_the_first_speaker() -> None:
    # The parser hangs "telling" and the second report on the clause Carson and
    # Ms. Khan report; they speak, and their clause stops before the second report.
    doc = run(
        "Carson said he saw no need to change anything about his campaign, "
        "telling reporters that he would stay in the race."
    )
    telling = by_cue(doc, "telling")
    assert text_of(telling.data["source"]) == "Carson"
    said = by_cue(doc, "said")
    assert text_of(said.data["content"]) == "he saw no need to change anything about his campaign"
    doc = run("Ms. Khan said Mr. Trump was ignorant of Islam and criticized him for his remarks.")
    assert text_of(by_cue(doc, "criticized").data["source"]) == "Ms. Khan"
    assert text_of(by_cue(doc, "said").data["content"]) == "Mr. Trump was ignorant of Islam"


def test_whoever_issued_the_statement_speaks_through_it() -> None:
    doc = run("The ministry put out a statement saying the strike was illegal.")
    f = by_cue(doc, "saying")
    assert text_of(f.data["source"]) == "The ministry"
    assert text_of(f.data["content"]) == "the strike was illegal"


def test_subject_misparsed_as_a_clause_before_a_comma_is_the_source() -> None:
    doc = run(
        "Jeffrey Salkin, a Hollywood, Fla., rabbi helping to organize the boycott, said he "
        "and other rabbis were alarmed about the rhetoric."
    )
    f = by_cue(doc, "said")
    assert (
        text_of(f.data["source"])
        == "Jeffrey Salkin, a Hollywood, Fla., rabbi helping to organize the boycott"
    )
    assert [c["text"] for c in f.data["content_fragments"]] == [
        "he and other rabbis were alarmed about the rhetoric"
    ]


def test_source_and_content_stay_in_the_cues_paragraph() -> None:
    doc = run(
        "RENO, Nev. (AP) \u2014 Republican presidential hopeful Donald Trump says he "
        "doesn't watch football anymore."
    )
    assert (
        text_of(by_cue(doc, "says").data["source"])
        == "Republican presidential hopeful Donald Trump"
    )
    doc = run("Trump Wins Nevada\nDonald Trump said on Tuesday that he would win the state.")
    f = by_cue(doc, "said")
    assert text_of(f.data["source"]) == "Donald Trump"
    assert text_of(f.data["content"]) == "that he would win the state"


def test_quotation_closing_the_paragraph_before_is_not_the_next_speakers() -> None:
    # The parser ran the quotation and the next paragraph into one sentence.
    doc = run(
        "\u201cIt cherry-picked a limited subset of her schedule,\u201d Fallon said of the story. "
        "\u201cIt is outrageous to misrepresent her basis for meeting with these individuals.\u201d"
        "\n\nRepublican vice presidential nominee Mike Pence said in a statement released by "
        "the Trump campaign the AP report merits the appointment of a special prosecutor."
    )
    pence = [
        f
        for f in attributions(doc)
        if text_of(f.data["source"]) == ("Republican vice presidential nominee Mike Pence")
    ]
    assert pence
    assert [c["text"] for c in pence[0].data["content_fragments"]] == [
        "the AP report merits the appointment of a special prosecutor"
    ]


def test_speaker_after_the_verb_misparsed_as_a_clause_subject() -> None:
    doc = run(
        "''I'm more skilled with my hands than I am with my brain,'' said Robin Maynard, "
        "half joking."
    )
    f = by_cue(doc, "said")
    assert text_of(f.data["source"]) == "Robin Maynard"
    assert [c["text"] for c in f.data["content_fragments"]] == [
        "''I'm more skilled with my hands than I am with my brain,''"
    ]


def test_says_in_a_statement_that() -> None:
    doc = run(
        "Kasich's chief strategist John Weaver says in a statement that the race will now "
        "be a four-man contest."
    )
    f = by_cue(doc, "says in a statement")
    assert text_of(f.data["source"]) == "Kasich's chief strategist John Weaver"
    assert text_of(f.data["content"]) == "that the race will now be a four-man contest"


def test_adjective_with_an_infinitive_takes_the_clause_subject() -> None:
    doc = run("He has often been careful not to mention Trump by name.")
    assert text_of(by_cue(doc, "careful not to mention").data["source"]) == "He"


def test_quotation_after_an_object_keeps_the_object_in_the_content() -> None:
    doc = run(
        "Sanders praised the governor's positions on national defense as "
        '"a real step toward positive change."'
    )
    f = by_cue(doc, "praised")
    assert [c["text"] for c in f.data["content_fragments"]] == [
        "the governor's positions on national defense",
        '"a real step toward positive change."',
    ]


def test_short_quotation_in_the_next_sentence_goes_on_with_the_speaker() -> None:
    doc = run(
        "Asked about police shootings, the candidate said families file lawsuits.\n"
        '"They sue," he said. "Everybody sues, right?"\n'
        "Later, Rubio claimed that Muslims face no discrimination."
    )
    f = by_cue(doc, "said")
    assert text_of(f.data["source"]) == "he"
    assert [c["text"] for c in f.data["content_fragments"]] == [
        '"They sue,"',
        '"Everybody sues, right?"',
    ]


def test_the_reason_for_praise_or_blame_is_content_in_one_stretch() -> None:
    doc = run("The mayor criticized the company for leaving the city without warning.")
    f = by_cue(doc, "criticized")
    assert [c["text"] for c in f.data["content_fragments"]] == [
        "the company for leaving the city without warning"
    ]


def test_reporters_question_and_writers_impression_have_no_source() -> None:
    doc = run(
        "Asked whether he would counsel Clinton to pick a running mate, Reid said the "
        "choice was hers."
    )
    assert by_cue(doc, "Asked").data["source"] is None
    assert text_of(by_cue(doc, "said").data["source"]) == "Reid"
    doc = run("Clinton seems to have found that a positive message works better.")
    assert all(f.data["source"] is None for f in attributions(doc) if f.data["cue_lemma"] == "seem")
    assert any(f.data["cue_lemma"] == "seem" for f in attributions(doc))


def test_source_keeps_a_quoted_title_and_drops_an_aside_after_a_noun() -> None:
    doc = run(
        "Adam Segal, the author of ''Hacked World Order,'' who studies cyber issues, said "
        "the attack was serious."
    )
    assert (
        text_of(by_cue(doc, "said").data["source"])
        == "Adam Segal, the author of ''Hacked World Order,'' who studies cyber issues"
    )
    doc = run(
        "The complaint, which was filed in federal court in Washington, said the agency "
        "broke the law."
    )
    assert text_of(by_cue(doc, "said").data["source"]) == "The complaint"


def test_quotation_the_next_line_ran_into_stays_with_its_speaker() -> None:
    # The parser ran the quotation into the next line's sentence; it belongs to
    # Christie, not to the next line's cue.
    doc = run(
        '"This is a disease," Christie said. "It is not a moral failing. It is a disease, '
        'and we need to give people treatment."\n'
        "Neither Cruz nor Christie acknowledged the efforts of the administration."
    )
    assert [c["text"] for c in by_cue(doc, "said").data["content_fragments"]] == [
        '"This is a disease,"',
        '"It is not a moral failing. It is a disease, and we need to give people treatment."',
    ]
    assert text_of(by_cue(doc, "acknowledged").data["content"]) == (
        "the efforts of the administration"
    )


def test_unquoted_clause_left_of_a_report_with_its_own_clause_is_not_content() -> None:
    doc = run(
        "Chatwal was clearly trying to buy influence, he stated that the donations were legal."
    )
    assert [c["text"] for c in by_cue(doc, "stated").data["content_fragments"]] == [
        "that the donations were legal"
    ]


def test_quotation_of_a_second_report_is_not_the_first_ones() -> None:
    doc = run(
        "Defense Secretary Lauren Whitfield confirmed the strike in a post on social media, "
        'saying the boat "was carrying narcotics bound for our streets."'
    )
    assert text_of(by_cue(doc, "confirmed").data["content"]) == "the strike"
    assert text_of(by_cue(doc, "saying").data["content"]) == (
        'the boat "was carrying narcotics bound for our streets."'
    )


def test_what_is_expected_includes_the_passive_subject() -> None:
    doc = run("The central bank is expected to act at its final meeting of the year in December.")
    f = by_cue(doc, "is expected")
    assert f.data["source"] is None
    assert [c["text"] for c in f.data["content_fragments"]] == [
        "The central bank",
        "to act at its final meeting of the year in December",
    ]


def test_preposition_right_after_the_object_stays_in_the_content() -> None:
    doc = run("Clinton blasted her Republican rival over his muddled stance on abortion.")
    assert text_of(by_cue(doc, "blasted").data["content"]) == (
        "her Republican rival over his muddled stance on abortion"
    )


def test_role_words_of_a_phrase_running_over_a_sentence_end_are_found_at_once() -> None:
    # A source phrase cut across two sentences holds two roots. Walking up from
    # the second root never reached the phrase's head: it looped until the
    # analyzer's time limit (two minutes on a PolNeAR train article).
    import spacy
    from spacy.tokens import Doc

    from copydesk_sourcing.gender import role_tokens

    words = ["Officials", "said", ".", "The", "spokesman", "agreed"]
    doc = Doc(
        spacy.blank("en").vocab,
        words=words,
        heads=[1, 1, 1, 4, 5, 5],
        deps=["nsubj", "ROOT", "punct", "det", "nsubj", "ROOT"],
    )
    start = doc[1].idx
    end = doc[5].idx + len(doc[5])  # "said . The spokesman agreed": roots "said", "agreed"
    assert [t.text for t in role_tokens(doc, start, end)] == ["said", "."]
