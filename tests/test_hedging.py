"""The hedging analyzer: categories, context rules, lexicon extension, metrics.

Every context rule has a pair of wire-style sentences: one where the word is a
cue and one where the sentence says it is not.
"""

from __future__ import annotations

import pytest

from copydesk import AnalyzedDocument, Finding, hookimpl
from copydesk.testing import (
    SAMPLE_ARTICLES,
    assert_finding,
    assert_no_finding,
    check_edge_cases,
    find,
    run_analyzers,
)
from copydesk_hedging import HedgingResult

pytestmark = pytest.mark.slow


def hedging(text: str, **settings: object) -> AnalyzedDocument:
    return run_analyzers(
        text, ["hedging"], settings={"hedging": dict(settings)} if settings else None
    )


def cues(doc: AnalyzedDocument, kind: str = "hedge") -> list[tuple[str, str | None]]:
    return [(f.text, f.label) for f in doc.findings_of("hedging", kind)]


def message_of(finding: Finding) -> str:
    """The finding's message; every hedge and booster has one."""
    assert finding.message is not None
    return finding.message


# -- categories ------------------------------------------------------------------------


def test_each_category_is_found_with_its_label_and_a_message() -> None:
    doc = hedging(
        "The minister may resign before the vote. "
        "He reportedly met the envoy twice. "
        "The strike was probably planned for weeks. "
        "Officials said about 40 people were hurt. "
        "The findings suggest that the dam was poorly built. "
        "Critics say the budget hides a deficit."
    )
    expected = [
        ("may", "modal"),
        ("reportedly", "reporting"),
        ("probably", "likelihood"),
        ("about", "approximator"),
        ("suggest", "speculative"),
        ("Critics say", "shield"),
    ]
    for text, label in expected:
        finding = assert_finding(doc, analyzer="hedging", kind="hedge", text=text, label=label)
        assert finding.data["category"] == label
        assert finding.message
        assert text in finding.message


def test_boosters_are_their_own_kind() -> None:
    doc = hedging(
        "The mayor clearly knew about the leak. There is no doubt the vote was rigged. "
        "The premier made it abundantly clear she would not resign."
    )
    assert_finding(doc, kind="booster", text="clearly", label="booster")
    assert_finding(doc, kind="booster", text="There is no doubt")
    assert_finding(doc, kind="booster", text="abundantly clear")
    assert doc.metrics["hedging.boosters"] == 3


def test_multi_word_reporting_phrases_match_any_tense() -> None:
    # min_confidence 0: this is about matching, not about the model's scores.
    doc = hedging(
        "The gunman is said to have fled north. The fugitives were believed to be armed. "
        "It is thought the fire started in the kitchen.",
        min_confidence=0.0,
    )
    assert_finding(doc, kind="hedge", text="is said to", label="shield")
    assert_finding(doc, kind="hedge", text="were believed to", label="reporting")
    assert_finding(doc, kind="hedge", text="It is thought", label="reporting")


def test_speech_with_no_speaker_is_a_weasel_reported_at_the_default_threshold() -> None:
    # "is said to" and "it is claimed" hide who says it; the Szeged scheme never marks
    # them, so the model scored them near 0 and the default threshold dropped them.
    doc = hedging(
        "The general is said to have ordered the withdrawal himself. "
        "It is claimed that the ballots were printed abroad. "
        "The envoy is reported to have left Kabul on Sunday."
    )
    for text in ("is said to", "It is claimed", "is reported to"):
        finding = assert_finding(doc, kind="hedge", text=text, label="shield")
        assert finding.confidence is None
        assert "name the source" in message_of(finding)


def test_weasel_phrases_are_shields() -> None:
    doc = hedging(
        "No plans have been set in stone, and the cause of the blast remains unclear. "
        "It is understood the talks collapsed on Friday."
    )
    assert_finding(doc, kind="hedge", text="set in stone", label="shield")
    assert_finding(doc, kind="hedge", text="remains unclear", label="shield")
    assert_finding(doc, kind="hedge", text="It is understood", label="shield")


# -- context rules ---------------------------------------------------------------------


def test_may_the_month_is_no_hedge() -> None:
    doc = hedging(
        "The election was held in May. May 5 was the busiest day at the port. "
        "Prices rose in early May, and the bank may raise rates again."
    )
    assert [f.text for f in find(doc, kind="hedge")] == ["may"]
    assert_no_finding(doc, kind="hedge", text="May")


def test_about_needs_a_number() -> None:
    doc = hedging(
        "Negotiators talked about the ceasefire for hours. "
        "Coast guards seized about 20 ships and some 300 crew members."
    )
    approximators = [f.text for f in find(doc, kind="hedge", label="approximator")]
    assert approximators == ["about", "some"]
    hit = assert_finding(doc, kind="hedge", text="about")
    assert doc.document.text[hit.start :].startswith("about 20 ships")


def test_could_not_be_reached_is_no_epistemic_hedge() -> None:
    doc = hedging(
        "The company's spokesman could not be reached for comment. "
        "The closure could cost the region 2,000 jobs."
    )
    hits = find(doc, kind="hedge", text="could")
    assert len(hits) == 1
    assert doc.document.text[hits[0].start :].startswith("could cost")


def test_negated_booster_becomes_a_hedge() -> None:
    doc = hedging(
        "It is not clear whether the senator will run. "
        "The date of the hearing is not certain. "
        "Investigators were certain the fire was arson."
    )
    hedges = {f.text: f for f in find(doc, kind="hedge")}
    assert hedges["not clear"].data["negated_booster"] is True
    assert hedges["not clear"].label == "likelihood"
    assert "not certain" in hedges
    assert_finding(doc, kind="booster", text="certain")


def test_suspected_before_a_noun_is_a_hedge_but_the_suspect_is_not() -> None:
    doc = hedging(
        "The navy intercepted two suspected drug vessels off the coast. "
        "The suspect was arrested at the border."
    )
    assert_finding(doc, kind="hedge", text="suspected", label="likelihood")
    assert_no_finding(doc, kind="hedge", text="suspect")


def test_permission_may_is_no_hedge() -> None:
    doc = hedging("You may enter the building after 9 a.m. Visitors may face long queues.")
    hits = find(doc, kind="hedge", text="may")
    assert len(hits) == 1
    assert doc.document.text[hits[0].start :].startswith("may face")


def test_would_in_reported_future_is_no_hedge() -> None:
    doc = hedging(
        "The prime minister said he would attend the summit. "
        "He later joined the army, where he would eventually become a general. "
        "If the talks fail, a strike would cripple the port."
    )
    hits = find(doc, kind="hedge", text="would")
    assert len(hits) == 1
    assert doc.document.text[hits[0].start :].startswith("would cripple")


def test_appear_needs_a_complement() -> None:
    doc = hedging("The suspect appeared in court on Monday. The fire appears to have been set.")
    hits = find(doc, kind="hedge", label="speculative")
    assert [h.text for h in hits] == ["appears"]


def test_possible_in_set_phrases_is_no_hedge() -> None:
    doc = hedging(
        "Residents were told to leave as soon as possible. "
        "Police are examining a possible link between the attacks.",
        min_confidence=0.0,  # the rule alone; the model scores attributive "possible" low
    )
    hits = find(doc, kind="hedge", text="possible")
    assert len(hits) == 1
    assert doc.document.text[hits[0].start :].startswith("possible link")


def test_clear_before_a_noun_is_no_booster() -> None:
    doc = hedging("Clear skies are forecast for the parade. It is clear the plan failed.")
    assert [f.text for f in find(doc, kind="booster")] == ["It is clear"]


def test_considered_as_a_judgement_is_a_hedge_but_not_as_deliberation() -> None:
    doc = hedging(
        "The bridge is considered the oldest in the country. "
        "The council considered the proposal on Tuesday."
    )
    hits = find(doc, kind="hedge", text="considered")
    assert len(hits) == 1
    assert hits[0].start < 30


# -- sentence view and metrics ---------------------------------------------------------


def test_uncertain_sentences_and_metrics() -> None:
    text = (
        "The ferry sank on Tuesday. "
        "At least 12 people may have died. "
        "Rescuers clearly worked through the night."
    )
    doc = hedging(text)
    sentences = find(doc, kind="uncertain_sentence")
    assert [s.text for s in sentences] == ["At least 12 people may have died."]
    assert sorted(sentences[0].data["categories"]) == ["approximator", "modal"]
    metrics = doc.metrics
    assert metrics["hedging.hedges"] == 2
    assert metrics["hedging.boosters"] == 1
    assert metrics["hedging.uncertain_sentence_share"] == pytest.approx(1 / 3, abs=1e-3)
    assert metrics["hedging.category_modal"] == 1
    assert metrics["hedging.category_approximator"] == 1
    assert 0 < metrics["hedging.hedges_per_100_words"] < 20
    payload = doc.payload("hedging", HedgingResult)
    assert payload is not None
    assert payload.uncertain_sentences == 1


def test_plain_copy_has_no_findings() -> None:
    doc = hedging("The council approved the budget on Monday by a vote of 7 to 2.")
    assert doc.findings_of("hedging") == []
    assert doc.metrics["hedging.uncertain_sentence_share"] == 0


# -- configuration and the lexicon hook ------------------------------------------------


def test_condition_and_investigation_are_off_by_default_and_on_by_setting() -> None:
    text = "If convicted, he faces ten years. Police are investigating whether the fire was set."
    assert cues(hedging(text)) == []
    doc = hedging(
        text,
        categories=[
            "modal",
            "reporting",
            "likelihood",
            "speculative",
            "condition",
            "investigation",
        ],
    )
    labels = {label for _, label in cues(doc)}
    assert labels == {"condition", "investigation"}


def test_config_adds_and_removes_entries() -> None:
    text = "The merger will supposedly close in June, with roughly 300 jobs cut, sources hint."
    base = cues(hedging(text))
    assert ("roughly", "approximator") in base
    doc = hedging(
        text,
        remove=["roughly"],
        extra_entries=[{"phrase": "sources hint", "category": "shield"}],
    )
    found = cues(doc)
    assert ("roughly", "approximator") not in found
    assert ("sources hint", "shield") in found
    assert ("supposedly", "reporting") in found


def test_unknown_category_in_settings_is_rejected() -> None:
    from copydesk.errors import CopydeskError

    with pytest.raises((CopydeskError, ValueError)):
        hedging("Text.", categories=["modal", "gossip"])


class _DeskLexicon:
    """A plugin object contributing house-style hedges through the core hook."""

    @hookimpl
    def register_lexicon_entries(self, register: object) -> None:
        register(  # type: ignore[operator]
            "hedging",
            [
                {"phrase": "in the ballpark of", "category": "approximator"},
                {"lemma": "mull", "category": "speculative", "pos": ["VERB"]},
            ],
        )


def test_plugins_contribute_entries_through_the_hook() -> None:
    text = "The board is mulling a sale in the ballpark of $2 billion."
    assert cues(hedging(text)) == []
    doc = run_analyzers(text, ["hedging"], plugins=[_DeskLexicon()])
    found = cues(doc)
    assert ("mulling", "speculative") in found
    assert ("in the ballpark of", "approximator") in found


def test_suggest_and_indicate_need_an_inference_not_a_proposal() -> None:
    doc = hedging(
        "The senator suggested a compromise on Monday. "
        "The poll results suggest a shift toward the opposition. "
        "Arrows on the map indicate the flooded districts. "
        "Early figures indicate that turnout was low."
    )
    hits = [f.text for f in find(doc, kind="hedge", label="speculative")]
    assert hits == ["suggest", "indicate"]


def test_investigation_verbs_need_an_open_question() -> None:
    doc = hedging(
        "Water samples were analyzed by the state laboratory. "
        "Inspectors will examine whether the dam was overloaded.",
        categories=["investigation"],
    )
    assert [f.text for f in find(doc, kind="hedge")] == ["examine", "whether"]


def test_edge_cases_finish_with_finite_metrics() -> None:
    results = check_edge_cases("hedging")
    assert results["one_char"].metrics["hedging.hedges"] == 0
    long_article = results["long_article"]
    # the sample articles repeat 15 times: "reportedly", "at least", "may" each time
    assert len(find(long_article, kind="hedge", text="reportedly")) == 15


def test_sample_articles_flag_the_hedges_an_editor_expects() -> None:
    doc = hedging(SAMPLE_ARTICLES["storm_brief"], min_confidence=0.0)
    assert cues(doc) == [("could", "modal"), ("possible", "likelihood")]
    # By default the model keeps "could strengthen into a hurricane ..., the center said".
    assert ("could", "modal") in cues(hedging(SAMPLE_ARTICLES["storm_brief"]))
    council = hedging(SAMPLE_ARTICLES["council_budget"])
    # "said the plan would fund 30 new teachers" is reported future, not doubt
    assert_no_finding(council, kind="hedge", text="would")


def test_learned_confidence_scores_and_filters_only_scored_categories() -> None:
    text = "The ferry may have carried about 300 passengers. Rescuers clearly did their best."
    doc = hedging(text)
    modal = assert_finding(doc, kind="hedge", text="may")
    assert modal.confidence is not None
    assert 0.0 < modal.confidence < 1.0
    approx = assert_finding(doc, kind="hedge", text="about")
    assert approx.confidence is None  # editorial category: the model does not score it
    strict = hedging(text, min_confidence=1.0)
    assert_no_finding(strict, kind="hedge", text="may")
    assert_finding(strict, kind="hedge", text="about")
    assert_finding(strict, kind="booster", text="clearly")


def test_named_critics_are_no_weasel() -> None:
    doc = hedging(
        "Critics, including Senator Maria Lopez, say the plan is flawed. "
        "Some argue the tax will never be collected."
    )
    assert [f.text for f in find(doc, kind="hedge", label="shield")] == ["Some argue"]


def test_remaining_rules_after_number_attributive_clause_and_as() -> None:
    doc = hedging(
        "Twenty or so protesters gathered. The expected verdict came on Friday. "
        "The minister is expected to resign. Officials fear the toll will rise. "
        "Residents fear floods. The envoy is widely seen as a moderate. "
        "Witnesses saw the crash."
    )
    found = cues(doc)
    assert ("or so", "approximator") in found
    assert ("expected", "speculative") in found
    expected = find(doc, kind="hedge", text="expected")
    assert len(expected) == 1  # "the expected verdict" is no hedge
    fears = find(doc, kind="hedge", text="fear")
    assert len(fears) == 1  # "fear floods" has no clause
    assert doc.document.text[fears[0].start :].startswith("fear the toll")
    assert ("seen", "speculative") in found
    assert not find(doc, kind="hedge", text="saw")


# -- issue 14: precision rules, legal qualifiers, messages, default threshold ---------------


def test_causative_appear_and_seem_are_no_hedges() -> None:
    doc = hedging(
        "The retailer says its new jeans make legs appear slimmer. "
        "Mirrors let the lobby seem larger than it is. "
        "The hull appears to have cracked near the bow.",
        min_confidence=0.0,
    )
    assert [f.text for f in find(doc, kind="hedge")] == ["appears"]


def test_ability_could_is_no_hedge_but_likelihood_could_is() -> None:
    doc = hedging(
        "Because it owns the port, the carrier could use its advantages in scale to cut "
        "prices. We could detect no trace of the toxin in the samples. "
        "No one could reach the village after the bridge collapsed. "
        "The strike could cost the port 2,000 jobs.",
        min_confidence=0.0,
    )
    hits = find(doc, kind="hedge", text="could")
    assert len(hits) == 1
    assert doc.document.text[hits[0].start :].startswith("could cost")


def test_default_threshold_keeps_likelihood_could_in_a_main_clause() -> None:
    doc = hedging(
        "The strike could cost the port 2,000 jobs. "
        "Forecasters said the storm could strengthen into a hurricane by Friday."
    )
    for start in ("could cost", "could strengthen"):
        assert any(
            doc.document.text[f.start :].startswith(start)
            for f in find(doc, kind="hedge", text="could")
        ), start


def test_non_hypothetical_if_is_no_condition() -> None:
    doc = hedging(
        "The suspect stared at the officers as if he had not heard them. "
        "Few, if any, of the ballots were spoiled. "
        "A ballot counts if and only if it is signed. "
        "The heat has weakened most if not all of the calves. "
        "If the talks fail, the union will strike.",
        categories=["condition"],
        min_confidence=0.0,
    )
    hits = find(doc, kind="hedge", text="If")
    assert [h.text for h in find(doc, kind="hedge")] == ["If"]
    assert doc.document.text[hits[0].start :].startswith("If the talks fail")


def test_a_belief_of_unnamed_people_is_speculative() -> None:
    doc = hedging("Many believe the vote was rigged. Critics say the budget hides a deficit.")
    assert_finding(doc, kind="hedge", text="Many believe", label="speculative")
    assert_finding(doc, kind="hedge", text="Critics say", label="shield")


def test_legal_qualifiers_are_always_reported_and_the_advice_keeps_them() -> None:
    doc = hedging(
        "Police arrested two suspected militants near the border on Tuesday. "
        "The driver allegedly ran a red light. The minister reportedly resigned."
    )
    for text in ("suspected", "allegedly", "reportedly"):
        finding = assert_finding(doc, kind="hedge", text=text)
        assert finding.confidence is None  # not left to the model: a hedge in news copy
    for text in ("suspected", "allegedly"):
        message = message_of(assert_finding(doc, kind="hedge", text=text)).lower()
        assert "keep it" in message
        assert "drop" not in message


def test_reportedly_with_a_named_outlet_does_not_say_no_source_is_named() -> None:
    named = hedging(
        "The prime minister reportedly met the envoy twice, the Financial Times reported. "
        "The minister reportedly resigned, according to Reuters."
    )
    for finding in find(named, kind="hedge", text="reportedly"):
        assert "without naming a source" not in message_of(finding)
        assert "credits it" in message_of(finding)
    bare = hedging("The prime minister reportedly met the envoy twice.")
    message = message_of(assert_finding(bare, kind="hedge", text="reportedly"))
    assert "without naming a source" in message


def test_speech_with_no_speaker_in_a_sentence_naming_the_report_asks_to_credit_it() -> None:
    doc = hedging(
        "The envoy is reported to have left Kabul on Sunday, according to Reuters. "
        "Smith is said to have fled north."
    )
    named = assert_finding(doc, kind="hedge", text="is reported to")
    assert "credits it" in message_of(named)
    bare = assert_finding(doc, kind="hedge", text="is said to")
    assert "name the source" in message_of(bare)


def test_default_threshold_drops_low_confidence_matches_kept_at_zero() -> None:
    text = "The board will consider whether to sell the newspaper."
    assert_finding(hedging(text, min_confidence=0.0, categories=["speculative"]), text="consider")
    assert_no_finding(hedging(text, categories=["speculative"]), kind="hedge", text="consider")


def test_sentence_bounds_match_spacy_sentences() -> None:
    import spacy

    from copydesk_hedging.rules import Sentences

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp("Rain fell. The port closed early! Ships waited offshore.")
    sents = Sentences(doc)
    for token in doc:
        assert (sents.start(token), sents.end(token)) == (token.sent.start, token.sent.end)


def test_id_matcher_opens_and_filters_like_a_plain_per_token_check() -> None:
    # The matcher finds opening tokens with numpy over string ids, and keeps the
    # candidates per (form, lemma, next form, next lemma): check both against the
    # plain definition, on a doc whose lemmas differ from the forms in case ("May")
    # and in word ("was" -> "be"), including a doc met after the first.
    import spacy
    from spacy.tokens import Doc

    from copydesk_hedging.forms import IdIndex
    from copydesk_hedging.lexicon import ALL_CATEGORIES, LexiconIndex, load_builtin_entries
    from copydesk_hedging.rules import Sentences

    index = LexiconIndex([e for e in load_builtin_entries() if e.category in ALL_CATEGORIES])
    ids = IdIndex(index)
    vocab = spacy.blank("en").vocab
    opened: set[str] = set()
    texts = [
        ("In May it was said to be about 20 ships .", "In May it be say to be about 20 ship ."),
        ("Officials may perhaps know of course .", "Official may perhaps know of course ."),
    ]
    for words, lemmas in texts:
        n = len(words.split())
        starts = [True] + [False] * (n - 1)
        doc = Doc(vocab, words=words.split(), lemmas=lemmas.split(), sent_starts=starts)
        sents = Sentences(doc)
        lowers, lower_lemmas, opening = ids.forms(doc, sents)
        assert lowers == [vocab.strings.add(t.lower_) for t in doc]
        assert lower_lemmas == [vocab.strings.add(t.lemma_.lower()) for t in doc]
        plain = [
            t.i for t in doc if t.lower_ in index.by_lower or t.lemma_.lower() in index.by_lemma
        ]
        assert opening == plain
        opened.update(doc[i].text for i in opening)
        for i in opening:
            nxt = (lowers[i + 1], lower_lemmas[i + 1]) if i + 1 < len(doc) else (-1, -1)
            every = (
                *ids.by_lower.get(lowers[i], ()),
                *ids.by_lemma.get(lower_lemmas[i], ()),
            )
            expected = tuple(
                c for c in every if not c[1] or c[1][0] == nxt[0] or (c[2] and c[1][0] == nxt[1])
            )
            assert ids.candidates(lowers[i], lower_lemmas[i], *nxt) == expected
    assert opened >= {"May", "was", "may", "about", "of"}


def test_id_matcher_low_bits_prefilter_drops_tokens_that_only_share_low_bits() -> None:
    # The matcher first keeps tokens whose ids share their low bits with an opening
    # id, then tests those exactly: a made-up word that collides must not open.
    import spacy
    from spacy.strings import get_string_id
    from spacy.tokens import Doc

    from copydesk_hedging.forms import _BITS, IdIndex
    from copydesk_hedging.lexicon import ALL_CATEGORIES, LexiconIndex, load_builtin_entries
    from copydesk_hedging.rules import Sentences

    index = LexiconIndex([e for e in load_builtin_entries() if e.category in ALL_CATEGORIES])
    ids = IdIndex(index)
    opening_bits = {key & _BITS for key in ids.by_lower}
    colliding = next(
        word
        for word in (f"zq{n}" for n in range(1_000_000))
        if get_string_id(word) & _BITS in opening_bits
    )
    words = ["Officials", colliding, "may", colliding, "about", "20"]
    doc = Doc(spacy.blank("en").vocab, words=words, sent_starts=[True] + [False] * 5)
    _, _, opening = ids.forms(doc, Sentences(doc))
    assert opening == [2, 4]


def test_until_before_a_clause_is_a_condition_but_not_before_a_date() -> None:
    doc = hedging(
        "Troops will remain in the Gulf until Iraq complies with the resolution. "
        "The port office is closed until Monday.",
        categories=["condition"],
        min_confidence=0.0,
    )
    hits = find(doc, kind="hedge", text="until")
    assert len(hits) == 1
    assert doc.document.text[hits[0].start :].startswith("until Iraq")


def test_should_is_a_modal_the_model_scores() -> None:
    doc = hedging(
        "The buyback should improve the stock's liquidity, the company said.", min_confidence=0.0
    )
    finding = assert_finding(doc, kind="hedge", text="should", label="modal")
    assert finding.confidence is not None


# -- issue 14, error analysis: a vague subject of a cue verb, deliberation "consider" ------


def test_vague_subject_of_a_belief_or_allegation_verb_is_that_cue() -> None:
    # Szeged dev sentences: the annotators mark the verb ("allege", "regard",
    # "question", "suggested"), so the finding carries the verb's category.
    doc = hedging(
        "Critics allege that the refusal to grant plea bargains is too stringent. "
        "Many regard this incident as one of the cruelest acts of the war. "
        "Others question the permanent feature of having caucuses in certain states. "
        "It has been suggested that Ashdown worked for MI6 while a diplomat in Geneva. "
        "Some argue the tax will never be collected.",
        min_confidence=0.0,
    )
    found = cues(doc)
    assert ("Critics allege", "reporting") in found
    assert ("Many regard", "speculative") in found
    assert ("Others question", "speculative") in found
    assert ("It has been suggested", "speculative") in found
    assert ("Some argue", "shield") in found  # a speech verb that is no cue by itself


def test_considering_an_action_or_a_candidate_is_no_judgement() -> None:
    doc = hedging(
        "Larry went up to his room, where he considered calling Kitty. "
        "Christopher Lee was considered for the lead before Burton agreed to it. "
        "Seven spans are considered the main spans of the bridge.",
        min_confidence=0.0,
    )
    hits = find(doc, kind="hedge", text="considered")
    assert len(hits) == 1
    assert doc.document.text[hits[0].start - 10 :].startswith("spans are considered")


def test_would_be_is_a_hypothetical_state_but_reported_and_narrative_would_are_not() -> None:
    # FactBank sentences: the annotators mark "would" in the first two, not in the others.
    doc = hedging(
        "Iraq's third attack option would be to start an undeclared war on the West. "
        "A senior law enforcement source tells CNN there is a lot of circumstantial evidence "
        "and it would be extraordinary to have all these bits and pieces and there not be a "
        "connection. "
        "Intel said it had corrected the problems and would start producing chips next week. "
        "The striker would later become the club's coach.",
        min_confidence=0.0,
    )
    woulds = find(doc, kind="hedge", text="would")
    assert len(woulds) == 2
    text = doc.document.text
    assert [text[w.start : w.start + 8] for w in woulds] == ["would be", "would be"]
    assert woulds[1].start < text.index("Intel")


def test_until_before_a_past_event_is_no_condition() -> None:
    # Szeged sentences: "until" before what happened is a time, not an open condition.
    doc = hedging(
        "Her former in-law Owen Moore remained at her side until she succumbed to the "
        "poison a few days later. "
        "San Martin also served as Protector of Peru until its parliament was assembled. "
        "The troops will isolate and strangle Iraq until it retreats from Kuwait.",
        categories=["condition"],
        min_confidence=0.0,
    )
    hits = find(doc, kind="hedge", text="until")
    assert len(hits) == 1
    assert doc.document.text[hits[0].start :].startswith("until it retreats")


# -- issue 14, fourth pass --------------------------------------------------------------


def test_short_wire_could_with_a_thing_as_subject_passes_the_default() -> None:
    # A storm cannot be able or allowed to strengthen: the subject's kind is a feature.
    doc = hedging("Forecasters said the storm could strengthen.")
    could = assert_finding(doc, kind="hedge", text="could", label="modal")
    assert could.confidence is not None
    assert could.confidence >= 0.45


def test_expectations_that_came_true_and_things_taken_on_are_no_hedges() -> None:
    doc = hedging(
        "Third-quarter results were worse than expected. "
        "As expected, the board approved the merger. "
        "Analysts expect a loss in the fourth quarter. "
        "The buyer will assume $22 million of the unit's debt. "
        "Investigators assume the fire was set deliberately.",
        min_confidence=0.0,
    )
    assert [f.text for f in find(doc, kind="hedge", label="speculative")] == ["expect", "assume"]


def test_worry_that_and_no_guarantee_are_hedges() -> None:
    doc = hedging(
        "Defence lawyers worry that defendants are being deprived of counsel. "
        "The company said there is no guarantee the sale will close. "
        "The mayor will not worry about the polls.",
        min_confidence=0.0,
    )
    assert cues(doc) == [("worry that", "speculative"), ("no guarantee", "likelihood")]


def test_cannot_exclude_matches_the_split_tokens_and_open_questions_are_likelihood() -> None:
    # The tokenizer splits "cannot" into "can" + "not": the entry must match both spellings.
    doc = hedging(
        "Investigators cannot exclude sabotage. "
        "It remains to be determined whether the dam failed.",
        min_confidence=0.0,
    )
    assert cues(doc) == [
        ("cannot exclude", "likelihood"),
        ("remains to be determined", "likelihood"),
    ]
