"""The entities analyzer: trimming, merging, relabelling, title/lead, salience, metrics.

End-to-end tests run the real spaCy NER on wire-style copy written for them; the
rules that spaCy cannot be relied on to exercise (a given mislabel, a given
swallowed quote) are also tested directly on the pure functions.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from copydesk import AnalyzedDocument
from copydesk.testing import assert_finding, find, run_analyzers
from copydesk_entities import EntitiesPayload, Entity
from copydesk_entities.evidence import (
    context_cues,
    list_cues,
    mark_metonyms,
    mark_teams,
    match_sides,
    parse_cues,
    relabel_by_name,
)
from copydesk_entities.mentions import Cue, Mention, acronym_of, apply_vessels, normalize, trim
from copydesk_entities.merge import (
    canonical_key,
    cluster_mentions,
    find_missed,
    title_keys,
    vote_labels,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

WHO_STORY = (
    "President Donald Trump said on Tuesday that the U.S. would leave the World Health "
    'Organization. Trump\'s decision drew criticism from allies. "We will not pay," '
    "Mr. Trump told The New York Times. Mr Trump said the WHO had failed to warn the world. "
    "The NYT reported that officials in the United States were divided, and US diplomats "
    "in Geneva were not told in advance. Trump spoke to reporters at the White House."
)


def analyze(text: str, title: str | None = None, **settings: object) -> AnalyzedDocument:
    return run_analyzers(
        text, ["entities"], title=title, settings={"entities": settings} if settings else None
    )


def merged(result: AnalyzedDocument) -> EntitiesPayload:
    """The entities payload, read by its model as any consumer does."""
    payload = result.payload(EntitiesPayload)
    assert payload is not None, "the entities analyzer wrote no payload"
    return payload


def entity_named(result: AnalyzedDocument, name: str) -> Entity:
    matches = [e for e in merged(result).entities if e.name == name]
    assert matches, f"no entity {name!r}; have {[e.name for e in merged(result).entities]}"
    return matches[0]


def entity_of(result: AnalyzedDocument, text: str, occurrence: int = 0) -> Entity:
    """The entity of the ``occurrence``-th appearance of ``text`` in the document."""
    start = -1
    for _ in range(occurrence + 1):
        start = result.document.text.index(text, start + 1)
    entity = merged(result).entity_at(start, start + len(text))
    assert entity is not None, f"{text!r} at {start} is in no entity"
    return entity


@pytest.fixture(scope="module")
def who_story() -> AnalyzedDocument:
    return analyze(WHO_STORY, title="Trump pulls US out of WHO")


# -- trimming ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "label", "expected"),
    [
        ('"Goldman Sachs,"', "ORG", "Goldman Sachs"),
        ("Trump's", "ORG", "Trump"),
        ("Trump\u2019s", "PERSON", "Trump"),
        ("Reuters'", "ORG", "Reuters"),
        ("McDonald's", "ORG", "McDonald's"),
        ("the United States.", "GPE", "United States"),
        ("U.S.", "GPE", "U.S."),
        ("Apple Inc.", "ORG", "Apple Inc."),
        ("Mr. Trump", "PERSON", "Trump"),
        ("President Donald Trump", "PERSON", "Donald Trump"),
        ("(Nato)", "ORG", "Nato"),
        ("magician David Gish", "PERSON", "David Gish"),
        ("Lucas Cranach the", "PERSON", "Lucas Cranach"),
        ("de Gaulle", "PERSON", "de Gaulle"),
    ],
)
def test_trim_cuts_quotes_punctuation_possessives_and_titles(
    span: str, label: str, expected: str
) -> None:
    text = f"Yesterday {span} said so."
    start = text.index(span)
    (mention,) = trim(text, start, start + len(span), label)
    assert mention.text == expected
    assert text[mention.start : mention.end] == expected


def test_trim_splits_a_span_across_a_line_break_and_drops_empty_spans() -> None:
    text = "Election Results\nEddie Chu won."
    parts = trim(text, 0, len("Election Results\nEddie Chu"), "PERSON")
    assert [m.text for m in parts] == ["Election Results", "Eddie Chu"]
    assert trim('He said "', 8, 9, "ORG") == []


def test_honorific_makes_a_person_whatever_spacy_said() -> None:
    text = "Ms Pugh, a nurse, said the ward was full."
    (inside,) = trim(text, 0, len("Ms Pugh"), "GPE")
    (after,) = trim(text, 3, len("Ms Pugh"), "ORG")
    for mention in (inside, after):
        assert (mention.text, mention.label, mention.spacy_label) == (
            "Pugh",
            "PERSON",
            mention.spacy_label,
        )
    assert inside.spacy_label == "GPE"
    assert after.spacy_label == "ORG"


def test_findings_are_trimmed_end_to_end(who_story: AnalyzedDocument) -> None:
    for finding in find(who_story, analyzer="entities", kind="entity"):
        assert finding.text == finding.text.strip()
        assert not finding.text.endswith(("'s", "\u2019s", '"', ","))
        assert not finding.text.endswith(".") or finding.text == "U.S."
        assert not finding.text.startswith(('"', "the ", "The ", "Mr"))
    assert_finding(who_story, analyzer="entities", kind="entity", text="Trump", label="PERSON")


# -- merging -------------------------------------------------------------------------


def test_surname_and_title_forms_merge_into_one_person(who_story: AnalyzedDocument) -> None:
    trump = entity_named(who_story, "Donald Trump")
    assert trump.label == "PERSON"
    assert trump.entity_id == "E1"
    # "President Donald Trump", "Trump's", "Mr. Trump", "Mr Trump", "Trump spoke"
    assert trump.mention_count == 5
    for occurrence in range(5):
        assert entity_of(who_story, "Trump", occurrence).entity_id == trump.entity_id


def test_a_name_spacy_missed_is_found_by_the_name_search(who_story: AnalyzedDocument) -> None:
    # spaCy does not tag "Trump" in the last sentence; the name search does.
    last = WHO_STORY.rindex("Trump")
    (finding,) = [f for f in find(who_story, kind="entity") if f.start == last]
    assert finding.data == {"entity_id": "E1", "found_by_name": True}
    assert finding.label == "PERSON"
    off = analyze(WHO_STORY, title="Trump pulls US out of WHO", find_missed=False)
    assert all(f.start != last for f in find(off, kind="entity"))
    assert all("found_by_name" not in f.data for f in find(off, kind="entity"))


def test_name_search_rules_on_the_text_alone() -> None:
    text = (
        "Jean-Paul Dubois met Dubois Tower staff. Later Dubois spoke; the Dubois-era "
        "deal and the Duboise file were shelved, said Jean-Paul Dubois. Dubois left."
    )
    full = Mention(0, 16, "Jean-Paul Dubois", "PERSON")
    (cluster,) = cluster_mentions([full])
    found = find_missed(text, [cluster], ["PERSON"], [(0, 16)], frozenset())
    got = [(text[m.start : m.end], m.start) for m in found]
    # Longest form first ("Jean-Paul Dubois", not "Dubois" inside it); never next
    # to another capitalised word ("Dubois Tower", "Later Dubois"), nor part of a
    # longer word ("Duboise") or a hyphenated one ("Dubois-era").
    assert got == [
        ("Jean-Paul Dubois", text.index("Jean-Paul Dubois", 5)),
        ("Dubois", text.rindex("Dubois")),
    ]
    assert all(m.found_by_name and m.label == "PERSON" for m in found)
    # A span spaCy tagged (any label) is never searched again.
    taken = [(0, 16), (text.rindex("Dubois") - 1, text.rindex("Dubois") + 2)]
    again = find_missed(text, [cluster], ["PERSON"], taken, frozenset())
    assert [text[m.start : m.end] for m in again] == ["Jean-Paul Dubois"]


def test_title_keys_are_the_titles_capitalised_runs_normalised() -> None:
    keys = title_keys("President Trump's WHO exit: U.S. allies react")
    # "U.S." is keyed as "united states", as mentions are.
    assert {"trump", "president trump", "who", "united states"} <= keys
    assert "allies" not in keys  # lower-case words open no run
    assert title_keys("") == frozenset()


def test_us_variants_merge(who_story: AnalyzedDocument) -> None:
    us = entity_named(who_story, "United States")
    assert us.label == "GPE"
    assert {"U.S.", "United States", "US"} <= set(us.aliases)
    assert canonical_key("U.S.") == canonical_key("the United States") == canonical_key("US")


def test_acronyms_merge_with_their_long_form(who_story: AnalyzedDocument) -> None:
    who = entity_named(who_story, "World Health Organization")
    assert "WHO" in who.aliases
    assert entity_of(who_story, "WHO").entity_id == who.entity_id
    times = entity_of(who_story, "New York Times")
    assert entity_of(who_story, "NYT").entity_id == times.entity_id
    assert acronym_of("The New York Times") >= {"nyt"}


def test_entity_ids_follow_first_mention(who_story: AnalyzedDocument) -> None:
    entities = merged(who_story).entities
    assert [e.entity_id for e in entities] == [f"E{i}" for i in range(1, len(entities) + 1)]
    assert [e.first_start for e in entities] == sorted(e.first_start for e in entities)
    for finding in find(who_story, analyzer="entities", kind="entity"):
        entity = merged(who_story).entity_at(finding.start, finding.end)
        assert entity is not None
        assert entity.entity_id == finding.data["entity_id"]


def test_two_people_with_one_surname_stay_apart() -> None:
    text = (
        "Donald Trump arrived in Ohio on Monday. His daughter Ivanka Trump joined him later. "
        "Trump, 38, told reporters she would stay for the weekend. Joe Biden said nothing."
    )
    result = analyze(text)
    donald = entity_named(result, "Donald Trump")
    ivanka = entity_named(result, "Ivanka Trump")
    assert donald.entity_id != ivanka.entity_id
    # The bare surname goes to the most recently named Trump.
    assert entity_of(result, "Trump,").entity_id == ivanka.entity_id
    assert donald.mention_count == 1


def test_bare_surname_before_the_full_name_joins_the_only_person_it_can_be() -> None:
    mentions = [
        Mention(0, 6, "Warren", "PERSON"),
        Mention(40, 56, "Elizabeth Warren", "PERSON"),
        Mention(80, 86, "Warren", "ORG"),
    ]
    (cluster,) = cluster_mentions(mentions)
    assert [m.text for m in cluster.mentions] == ["Warren", "Elizabeth Warren", "Warren"]


def test_a_place_named_like_a_surname_does_not_join_the_person() -> None:
    mentions = [
        Mention(0, 17, "George Washington", "PERSON"),
        Mention(40, 50, "Washington", "GPE"),
    ]
    assert len(cluster_mentions(mentions)) == 2


def test_normalize_ignores_case_periods_apostrophes_and_the() -> None:
    assert normalize("the U.S.") == normalize("US") == "us"
    assert normalize("New People's Party") == normalize("New People Party")


# -- relabelling ---------------------------------------------------------------------


def test_vote_prefers_full_names_and_corrects_only_with_a_confident_majority() -> None:
    full = Mention(0, 12, "Donald Trump", "PERSON")
    bare_org = Mention(30, 35, "Trump", "ORG")
    vote = vote_labels([full, bare_org])
    assert (vote.label, vote.confident) == ("PERSON", True)

    split = vote_labels([Mention(0, 5, "Paris", "GPE"), Mention(20, 25, "Paris", "PERSON")])
    assert not split.confident

    # Two "Kristen Wilkins" PERSON outvote six bare "Wilkins" ORG linked to her by surname.
    full_names = [Mention(i, i + 15, "Kristen Wilkins", "PERSON") for i in (0, 20)]
    many = [Mention(i, i + 7, "Wilkins", "ORG", linked_by_name=True) for i in range(40, 100, 10)]
    vote = vote_labels([*full_names, *many])
    assert vote.label == "PERSON"
    assert vote.confident

    with pytest.raises(ValueError, match="at least one"):
        vote_labels([])


def test_mislabelled_mention_is_corrected_and_marked(who_story: AnalyzedDocument) -> None:
    corrected = [
        f for f in find(who_story, analyzer="entities", kind="entity") if f.data.get("corrected")
    ]
    assert corrected, 'spaCy labels "Trump\'s decision" ORG; the majority should fix it'
    for finding in corrected:
        assert finding.label != finding.data["original_label"]
        entity = merged(who_story).entity_at(finding.start, finding.end)
        assert entity is not None
        assert finding.label == entity.label
        mention = next(m for m in entity.mentions if m.start == finding.start)
        assert mention.original_label == finding.data["original_label"]
    uncorrected = [f for f in find(who_story, kind="entity") if not f.data.get("corrected")]
    assert all("original_label" not in f.data for f in uncorrected)


# -- title, lead, salience -------------------------------------------------------------


def test_title_and_lead_flags(who_story: AnalyzedDocument) -> None:
    assert entity_named(who_story, "Donald Trump").in_title  # by surname
    assert entity_named(who_story, "United States").in_title  # "US" = "U.S."
    assert entity_named(who_story, "World Health Organization").in_title  # acronym
    assert not entity_of(who_story, "Geneva").in_title
    assert entity_named(who_story, "Donald Trump").in_lead
    assert not entity_of(who_story, "Geneva").in_lead
    assert all(not e.in_title for e in merged(analyze(WHO_STORY)).entities)


def test_lead_can_be_the_first_paragraph() -> None:
    text = (
        "Angela Merkel met Emmanuel Macron in Berlin on Friday. They later called "
        "Boris Johnson in London.\n\nOn Saturday, Olaf Scholz joined the talks."
    )
    by_sentence = analyze(text)
    by_paragraph = analyze(text, lead="paragraph")
    assert entity_of(by_sentence, "Berlin").in_lead
    assert not entity_of(by_sentence, "London").in_lead
    assert entity_of(by_paragraph, "London").in_lead
    assert not entity_of(by_paragraph, "Olaf Scholz").in_lead


def test_salience_ranks_the_main_subject_first(who_story: AnalyzedDocument) -> None:
    ranked = sorted(merged(who_story).entities, key=lambda e: e.salience, reverse=True)
    assert ranked[0].name == "Donald Trump"
    assert all(0.0 <= e.salience <= 1.0 for e in ranked)
    assert (
        entity_of(who_story, "Geneva").salience < entity_named(who_story, "United States").salience
    )


# -- settings and metrics -----------------------------------------------------------------


def test_metrics_count_entities_and_mentions_per_label(who_story: AnalyzedDocument) -> None:
    metrics = who_story.metrics
    entities = merged(who_story).entities
    assert metrics["entities.count"] == len(entities)
    assert metrics["entities.mention_count"] == sum(e.mention_count for e in entities)
    assert metrics["entities.count.PERSON"] == sum(e.label == "PERSON" for e in entities)
    assert metrics["entities.mention_count.PERSON"] == len(
        find(who_story, kind="entity", label="PERSON")
    )
    assert metrics["entities.corrected"] >= 1


def test_kept_labels_are_a_setting_and_dates_are_not_entities() -> None:
    text = "Apple said on Monday it paid $3 billion to 40 suppliers in China."
    default = analyze(text)
    assert {f.text for f in find(default, kind="entity")} == {"Apple", "China"}
    narrow = analyze(text, labels=["GPE"])
    assert [f.text for f in find(narrow, kind="entity")] == ["China"]
    assert "entities.count.ORG" not in narrow.metrics


# -- rules added after reading the examples --------------------------------------------


def test_dateline_city_is_a_place_and_agency_an_organisation() -> None:
    text = (
        "ROTTERDAM, Netherlands (Wire) - Dock workers at the port walked off the job on "
        "Monday, the FNV Havens union said.\n\nReporting by Pieter Bakker for Wire."
    )
    result = analyze(text)
    city = entity_of(result, "ROTTERDAM")
    assert city.label == "GPE"
    wire = entity_of(result, "Wire")
    assert wire.label == "ORG"
    assert entity_of(result, "Wire", 1).entity_id == wire.entity_id


DATELINE_TEXTS = (
    "ROTTERDAM, Netherlands (Wire) - Dock workers walked off.\n\nLONDON (Reuters) - More.",
    "  \tWASHINGTON \u2014 A line.\nNot a dateline: PARIS - here.\nBERLIN -\n",
    "Text first.\nST. LOUIS (AP) - After.\r\nNEW YORK - Last line without a break",
    "\n\nLA - too short? No: two letters and a dash.\nA.B. - initials.\n",
    "",
)


def test_datelines_asked_at_line_starts_are_those_finditer_finds() -> None:
    """The shortcut in :func:`apply_datelines`: one match tried per line start."""
    from copydesk_entities.mentions import _DATELINE, dateline_matches

    found = 0
    for text in DATELINE_TEXTS:
        plain = [m.span() for m in _DATELINE.finditer(text)]
        assert [m.span() for m in dateline_matches(text)] == plain
        found += len(plain)
    assert found >= 5  # the texts hold datelines: the comparison can fail


@pytest.mark.parametrize(
    "text",
    [
        "Sweden 1-0 Korea Republic",
        "won 3 \t\u2013  2 on Sunday",
        "the 2016-17 season",
        "x-3 and 5 - y",
        "2--3, 4 -- 5",
        "\u0661-\u0662 in Arabic-Indic digits",
        "-5 and 5-",
        "",
    ],
)
def test_a_score_is_looked_for_as_the_score_hint_finds_it(text: str) -> None:
    """The shortcut in :func:`match_sides`: dash first, then the digit before it."""
    from copydesk_entities.evidence import SCORE_HINT, _may_hold_score

    assert _may_hold_score(text) == (SCORE_HINT.search(text) is not None)


def test_a_lone_mention_without_cues_gets_the_vote_weighing_would_give() -> None:
    """The shortcut in :func:`vote_labels` for an entity of one mention and no
    cue: the same vote as two mentions that agree, but never confident."""
    for mention in (
        Mention(0, 5, "Trump", "PERSON"),
        Mention(0, 12, "Donald Trump", "ORG"),
        Mention(0, 5, "Trump", "GPE", found_by_name=True),
        Mention(0, 5, "Trump", "ORG", linked_by_name=True),
    ):
        vote = vote_labels([mention])
        assert vote == (mention.label, 1.0, False)
        twice = vote_labels([mention, mention])
        assert (twice.label, twice.share, twice.confident) == (mention.label, 1.0, True)


def test_a_short_organisation_name_joins_its_full_name() -> None:
    mentions = [
        Mention(0, 9, "U.S. Navy", "ORG"),
        Mention(30, 34, "Navy", "ORG"),
        Mention(50, 61, "Royal Navy", "ORG"),
    ]
    # Two organisations end in "Navy": the bare word is ambiguous and stays apart.
    assert len(cluster_mentions(mentions)) == 3
    (navy,) = cluster_mentions(mentions[:2])
    assert [m.text for m in navy.mentions] == ["U.S. Navy", "Navy"]


def test_surname_particles_stay_with_the_surname() -> None:
    mentions = [
        Mention(0, 14, "Anouk de Vries", "PERSON"),
        Mention(40, 48, "De Vries", "ORG"),
        Mention(60, 65, "Vries", "PERSON"),
    ]
    clusters = cluster_mentions(mentions)
    assert [m.text for m in clusters[0].mentions] == ["Anouk de Vries", "De Vries"]
    assert len(clusters) == 2
    # "Al" and "Ben" are first names, not particles.
    assert (
        len(
            cluster_mentions(
                [Mention(0, 7, "Al Gore", "PERSON"), Mention(20, 24, "Gore", "PERSON")]
            )
        )
        == 1
    )


def test_lower_case_spans_are_not_names() -> None:
    assert trim("The county planning board met.", 4, 25, "ORG") == []


# -- label evidence beyond spaCy ----------------------------------------------------------

STRIKE_STORY = (
    '"The port will stay shut," said Marieke van Dam, chair of the Havenbond union, '
    "outside the Calandkanaal terminal. Van Dam told reporters the strike would last two "
    "days. Hapag-Lloyd, the German container line, declined to comment. Shares in "
    "Vestergaard, the Danish engineering group, fell 4 percent."
)


def relabelled(text: str, label: str, *others: tuple[str, str]) -> Mention:
    """``text`` as a mention spaCy labelled ``label``, after the name rules ran
    over it and ``others`` (more mentions of the same document)."""
    mention = Mention(0, len(text), text, label)
    relabel_by_name([mention, *(Mention(0, len(t), t, lab) for t, lab in others)])
    return mention


@pytest.mark.parametrize(
    ("text", "spacy_label", "expected", "rule"),
    [
        ("Anouk de Vries", "ORG", "PERSON", "given_name"),  # known given name first
        ("Pieter Bakker", "GPE", "PERSON", "given_name"),
        ("President Donald Trump", "ORG", "PERSON", "given_name"),  # title skipped
        ("St. Thomas Housing Development", "ORG", "ORG", None),  # "St." is no title here
        ("Port of Rotterdam Authority", "LOC", "ORG", "org_word"),
        ("Antwerp", "PERSON", "GPE", "place_name"),
        ("Maria Vega Foundation", "PERSON", "ORG", "org_word"),  # not a person: the suffix
        ("James Bay", "LOC", "LOC", None),  # a place word, not a surname
        ("Anna Karenina", "WORK_OF_ART", "WORK_OF_ART", None),  # titles keep their label
        ("Jan de Groot", "PERSON", "PERSON", None),  # already right: no rule recorded
        ("Orchestra Hall", "ORG", "FAC", "building_word"),  # a building is a place
        ("McMurdo Station", "PERSON", "FAC", "building_word"),
        ("Catholic Church", "ORG", "ORG", None),  # "Church" names institutions too
        ("Port Authority Bus Terminal", "ORG", "ORG", None),  # an organisation word wins
        ("Evansville", "ORG", "GPE", "world_place"),  # a city spaCy does not know
        ("Chandler", "PERSON", "PERSON", None),  # towns named like people stay people
        ("IE6", "GPE", "PRODUCT", "model_number"),  # a browser version, not a place
        ("Canon sx40", "PERSON", "PRODUCT", "model_number"),
        ("U2", "ORG", "ORG", None),  # a band: organisations keep their label
    ],
)
def test_name_rules_relabel_people_organisations_and_places(
    text: str, spacy_label: str, expected: str, rule: str | None
) -> None:
    mention = relabelled(text, spacy_label)
    assert (mention.label, mention.by_rule) == (expected, rule)
    assert mention.spacy_label == spacy_label


def test_a_place_name_that_is_a_persons_surname_is_not_made_a_place() -> None:
    assert relabelled("Paris", "PERSON", ("Valeska Paris", "PERSON")).label == "PERSON"
    assert relabelled("Paris", "PERSON").label == "GPE"


def test_an_honorific_is_not_overruled_by_a_name_rule() -> None:
    text = "Ms Antwerp said the vote would be close."
    (mention,) = trim(text, 3, 10, "GPE")
    relabel_by_name([mention])
    assert (mention.label, mention.by_rule) == ("PERSON", "honorific")


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        (
            "Anouk de Vries, chair of the FNV union, said",
            "Anouk de Vries",
            "PERSON:role_apposition",
        ),
        ("Ivo Smit, a former spokesman for the board, said", "Ivo Smit", "PERSON:role_apposition"),
        (
            "Maersk, the world's second-largest container line, did not",
            "Maersk",
            "ORG:org_apposition",
        ),
        ("Gomery, who led the inquiry, said", "Gomery", "PERSON:who"),
        (
            "trucks queued outside the Maasvlakte terminal on Monday",
            "Maasvlakte",
            "FAC:the_facility",
        ),
        ("members of the Havenbond union voted", "Havenbond", "ORG:the_org"),
        ("the Lagos-based lender said", "Lagos", "GPE:based"),
        ("the deal was good, said Ruud Kok.", "Ruud Kok", "PERSON:said_before"),
        ("economist Lena Holm warned", "Lena Holm", "PERSON:role_before"),
        ("Kipling's wife, Carrie, ran the house", "Kipling", "PERSON:personal_possession"),
        ("Olivia was trained as a child", "Olivia", "PERSON:given_name_alone"),
        ("she was born in Castelfranco Veneto in 1927", "Castelfranco Veneto", "GPE:in_place"),
        ("Vestas's shares fell 4 percent", "Vestas", "ORG:corporate_possession"),
        ("Kipling, born in Bombay, wrote for the paper", "Kipling", "PERSON:born"),
        ("Paris was born in Switzerland but moved", "Paris", "PERSON:born"),
        ("under Chamberlain (1869-1940) the party split", "Chamberlain", "PERSON:life_dates"),
        ("shells fell near the town of Yeoncheon on Friday", "Yeoncheon", "GPE:place_of"),
        ("He is at a conference in Levico Terme, Italy.", "Levico Terme", "GPE:comma_place"),
        (
            "after Lumumba's assassination the army took over",
            "Lumumba",
            "PERSON:personal_possession",
        ),
    ],
)
def test_context_cues(text: str, name: str, expected: str) -> None:
    start = text.index(name)
    label = "PERSON" if expected.startswith("GPE:in_") else "ORG"
    mention = Mention(start, start + len(name), name, label)
    assert expected in {f"{c.label}:{c.name}" for c in context_cues(text, mention)}


@pytest.mark.parametrize(
    "text",
    [
        "With help from Liberty, they challenged the state in court.",  # a clause
        "Acme, Globex and Initech bid for the contract.",  # a list
        "KCNA said the drills were a provocation.",  # an agency speaks too
        "Putin said Russia would respond.",  # 'said X' is no attribution when X goes on
        "Cloaking himself in Yasser Arafat's legacy, Abbas pledged reform.",  # a person
        "members of the Republican party voted",  # NORP before 'party' stays NORP
        "Anna Kovac, Ohio state senator, said",  # a person's name before a place
    ],
)
def test_no_context_cue_without_the_pattern(text: str) -> None:
    names = ("Liberty", "Acme", "KCNA", "Republican", "Russia", "Yasser Arafat", "Anna Kovac")
    name = next(w for w in names if w in text)
    start = text.index(name)
    label = {"Republican": "NORP", "Russia": "GPE", "Yasser Arafat": "PERSON"}.get(name, "ORG")
    assert context_cues(text, Mention(start, start + len(name), name, label)) == []


def test_cues_outvote_spacy_on_a_single_mention() -> None:
    mention = Mention(0, 7, "Maersk", "PRODUCT", cues=[Cue("ORG", "org_apposition", 1.5)])
    vote = vote_labels([mention])
    assert (vote.label, vote.confident) == ("ORG", True)
    weak = Mention(0, 6, "Gomery", "ORG", cues=[Cue("PERSON", "who", 0.75)])
    assert vote_labels([weak]).label == "ORG"  # one weak cue does not beat spaCy


def test_label_evidence_end_to_end() -> None:
    result = analyze(STRIKE_STORY)
    assert entity_of(result, "Marieke van Dam").label == "PERSON"
    assert entity_of(result, "Van Dam") == entity_of(result, "Marieke van Dam")
    assert entity_of(result, "Havenbond").label == "ORG"
    assert entity_of(result, "Calandkanaal").label == "FAC"
    assert entity_of(result, "Hapag-Lloyd").label == "ORG"
    assert entity_of(result, "Vestergaard").label == "ORG"
    (terminal,) = find(result, kind="entity", text="Calandkanaal")
    assert "FAC:the_facility" in terminal.data["label_evidence"]
    if terminal.data.get("corrected"):
        assert terminal.data["original_label"] != "FAC"


def test_label_evidence_can_be_switched_off() -> None:
    result = analyze(STRIKE_STORY, label_evidence=False)
    assert all("label_evidence" not in f.data for f in find(result, kind="entity"))


def test_entities_needs_only_ner_and_reads_the_parse_only_when_present() -> None:
    from copydesk import Capability
    from copydesk_entities import EntitiesAnalyzer

    assert EntitiesAnalyzer.needs == frozenset({Capability.NER})
    alone = analyze(STRIKE_STORY)
    assert not any(
        cue.startswith("PERSON:speech_subject")
        for f in find(alone, kind="entity")
        for cue in f.data.get("label_evidence", [])
    )


@pytest.fixture(scope="module")
def parsed_nlp() -> object:
    """The pipeline a run with the sourcing or hedging analyzer shares: NER plus parser."""
    from copydesk import Capability
    from copydesk.nlp import load_pipeline

    return load_pipeline(
        "en_core_web_sm", frozenset({Capability.NER, Capability.TAGGER, Capability.PARSER})
    )


def test_parse_cues_when_the_parse_is_there(parsed_nlp: object) -> None:
    text = (
        "Lena Holm, the union's chief negotiator, told reporters the offer was too low. "
        "She said talks would resume on Friday."
    )
    doc = parsed_nlp(text)  # type: ignore[operator]
    start = text.index("Lena Holm")
    mention = Mention(start, start + 9, "Lena Holm", "ORG")
    names = {c.name for c in parse_cues(doc, [mention]).get(0, [])}
    assert {"speech_subject", "role_appos", "pronoun"} <= names
    ner_only = Mention(start, start + 9, "Lena Holm", "ORG")
    no_parse = analyze(text)  # NER only: the same text yields no parse cues
    assert parse_cues(no_parse_doc(text), [ner_only]) == {}
    assert entity_of(no_parse, "Lena Holm").label == "PERSON"


def test_parse_cues_read_appositions_only_where_the_parse_has_one(parsed_nlp: object) -> None:
    """The shortcut in :func:`parse_cues`: a token outside every apposition (either
    end, ``_CueRoots.apposed``) has no :func:`_appositions` to read."""
    from copydesk_entities.evidence import _appositions, _CueRoots, _parse_columns

    text = (
        "Lena Holm, the union's chief negotiator, told reporters the offer was too low. "
        "The company's spokesman, Erik Dahl, said Maersk, the container line, would "
        "reply. Ruud Kok, a former director of the port, disagreed with Holm and Dahl, "
        "and Anna Berg, chair of the board, said nothing."
    )
    doc = parsed_nlp(text)  # type: ignore[operator]
    roots = _CueRoots(doc, doc.to_array(_parse_columns()))
    with_appositions = {t.i for t in doc if _appositions(t)}
    assert with_appositions  # the text has some: the check below can fail
    assert with_appositions <= roots.apposed


def no_parse_doc(text: str) -> Doc:
    from copydesk import Capability
    from copydesk.nlp import load_pipeline

    return load_pipeline("en_core_web_sm", frozenset({Capability.NER}))(text)


# -- eras, vessels, hyphenated places, titles, speakers, countries that act ------------


@pytest.mark.parametrize(
    ("text", "era"),
    [("The site was settled around 700 BC.", "BC"), ("in the 5th century B.C.E.", "B.C.E")],
)
def test_era_abbreviations_are_not_names(text: str, era: str) -> None:
    start = text.index(era)
    assert trim(text, start, start + len(era), "ORG") == []


def test_a_ship_is_a_product_not_the_person_it_is_named_after() -> None:
    result = analyze(
        "Sailors aboard the USS Carl Vinson were told to prepare for a long deployment. "
        "The Carl Vinson left San Diego on Friday, the Navy said."
    )
    first = entity_of(result, "USS Carl Vinson")
    assert first.label == "PRODUCT"
    assert entity_of(result, "Carl Vinson", 1).entity_id == first.entity_id
    assert all(m.label == "PRODUCT" for m in first.mentions)


def test_a_ship_prefix_spacy_left_out_is_taken_into_the_name() -> None:
    text = "HMS Queen Elizabeth sailed from Portsmouth on Monday."
    mention = Mention(10, 19, "Elizabeth", "PERSON")
    apply_vessels(text, [mention])
    assert (mention.start, mention.text, mention.label) == (0, "HMS Queen Elizabeth", "PRODUCT")
    assert mention.by_rule == "vessel"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trump flew to Mar-a-Lago on Friday.", "GPE"),
        ("Trump flew to Mar-a-Lago, his Florida resort, on Friday.", "FAC"),
        ("She grew up in Stratford-upon-Avon.", "GPE"),
    ],
)
def test_a_hyphenated_place_name_is_whole_and_not_a_person(text: str, expected: str) -> None:
    # spaCy's tokenizer splits at the hyphens and tags the first part a person.
    start = text.index("-") - 3 if "Mar-" in text else text.index("Stratford")
    (mention,) = trim(text, start, text.index("-"), "PERSON")
    relabel_by_name([mention], text)
    assert mention.text in {"Mar-a-Lago", "Stratford-upon-Avon"}
    assert (mention.label, mention.by_rule) == (expected, "place_compound")


def test_a_hyphenated_word_after_a_name_is_not_part_of_it() -> None:
    text = "Critics of Trump-era tariffs met in Washington."
    (mention,) = trim(text, 11, 16, "PERSON")
    assert mention.text == "Trump"


def test_a_noble_title_before_a_one_word_name_makes_a_person() -> None:
    text = "Lord Halifax, the Lord President of the Council, visited Berlin."
    halifax = Mention(5, 12, "Halifax", "ORG")
    berlin = Mention(57, 63, "Berlin", "GPE")
    relabel_by_name([halifax, berlin], text)
    assert (halifax.label, halifax.by_rule) == ("PERSON", "title")
    assert (berlin.label, berlin.by_rule) == ("GPE", None)


@pytest.mark.parametrize(
    ("text", "name", "label", "expected"),
    [
        ("Hair is treated in a chemical bath, Tarlo explains.", "Tarlo", "GPE", "speech_after"),
        ("During his time there, Kipling recalled the heat.", "Kipling", "ORG", "speech_after_org"),
        ("Valeska Paris was 6. Paris claims she was kept aboard.", "Paris", "GPE", "speech_after"),
        ("The Ministry said on Monday it would appeal.", "Ministry", "ORG", None),  # "the X"
        ("Mexico said it would not pay.", "Mexico", "GPE", None),  # a place: see metonymy
        ("A professor at Arkansas, Fayetteville, said the images", "Fayetteville", "GPE", None),
        ("NATO said the drills would go on.", "NATO", "ORG", None),  # an acronym
    ],
)
def test_a_name_that_speaks_is_a_person(
    text: str, name: str, label: str, expected: str | None
) -> None:
    start = text.rindex(name)
    mention = Mention(start, start + len(name), name, label)
    surnames = frozenset({"paris"}) if "Valeska" in text else frozenset()
    speech = [c.name for c in context_cues(text, mention, surnames) if c.name.startswith("speech")]
    assert speech == ([expected] if expected else [])


def test_a_country_that_acts_is_an_organisation_on_that_mention() -> None:
    text = (
        "Russia said on Monday it would retaliate. Talks in Geneva ended without a deal. "
        "Belgium beat Panama 3-0. Germany, backed by France, objected. "
        "When the Soviet Union collapsed, Ukraine became independent."
    )
    names = [
        "Russia",
        "Geneva",
        "Belgium",
        "Panama",
        "Germany",
        "France",
        "Soviet Union",
        "Ukraine",
    ]
    mentions = [Mention(text.index(n), text.index(n) + len(n), n, "GPE") for n in names]
    mark_metonyms(text, mentions)
    acting = {m.text for m in mentions if m.metonym == "ORG"}
    assert acting == {"Russia", "Belgium"}


def test_metonymy_end_to_end_and_as_a_setting() -> None:
    text = (
        "Russia said on Monday it would expel two diplomats. The embassy in Moscow "
        "declined to comment, and trade with Russia fell sharply last year."
    )
    result = analyze(text)
    russia = entity_of(result, "Russia")
    assert russia.label == "GPE"
    labels = [m.label for m in russia.mentions]
    assert labels == ["ORG", "GPE"]
    (first, _) = [f for f in find(result, kind="entity") if f.text == "Russia"]
    assert first.data["label_evidence"] == ["ORG:agent"]
    assert first.data["original_label"] == "GPE"
    off = analyze(text, metonymy=False)
    assert [m.label for m in entity_of(off, "Russia").mentions] == ["GPE", "GPE"]


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        ("He wrote to former members of Scientology, who helped him leave.", "Scientology", "ORG"),
        ("Look at Turkey, who is knocking on the door of Europe.", "Turkey", "GPE"),
        ("The Europeans, who had been cut out of the talks, objected.", "Europeans", "NORP"),
    ],
)
def test_who_does_not_make_a_person_of_a_place_or_a_group_members_belong_to(
    text: str, name: str, label: str
) -> None:
    start = text.index(name)
    cues = context_cues(text, Mention(start, start + len(name), name, label))
    assert "who" not in {c.name for c in cues}


def test_a_city_that_is_a_persons_surname_is_not_made_a_place() -> None:
    assert relabelled("Houston", "ORG", ("Whitney Houston", "PERSON")).label == "ORG"


@pytest.mark.parametrize(
    "text",
    [
        "Liverpool beat Chelsea 2-0 at Anfield on Saturday.",  # a major city: a team
        "Evansville approved the budget on Monday.",  # a town that acts: its council
    ],
)
def test_the_world_gazetteer_leaves_teams_and_acting_towns_alone(text: str) -> None:
    name = text.split()[0]
    mention = Mention(0, len(name), name, "ORG")
    relabel_by_name([mention], text)
    assert (mention.label, mention.by_rule) == ("ORG", None)


SCORE_TEXT = (
    "Group G \u2014 Belgium 3 \u2013 0 Panama\n"
    "In the first game of Group G, Belgium faced Panama at the Fisht Stadium in Sochi. "
    "Romelu Lukaku doubled the lead for Belgium."
)


def test_the_sides_of_a_match_score_are_teams() -> None:
    names = ["Belgium", "Panama", "Sochi"]
    mentions = [
        Mention(m.start(), m.end(), m.group(), "GPE")
        for n in names
        for m in re.finditer(n, SCORE_TEXT)
    ]
    mark_teams(mentions, match_sides(SCORE_TEXT))
    teams = {m.text for m in mentions if m.metonym == "ORG"}
    assert teams == {"Belgium", "Panama"}  # Sochi, where they played, stays a place
    assert all(m.metonym == "ORG" for m in mentions if m.text == "Belgium")


def test_no_teams_without_a_score() -> None:
    text = "Belgium and Panama signed a trade pact in Sochi on 3 May."
    mentions = [
        Mention(text.index(n), text.index(n) + len(n), n, "GPE") for n in ("Belgium", "Panama")
    ]
    assert match_sides(text) == frozenset()
    mark_teams(mentions, match_sides(text))
    assert [m.metonym for m in mentions] == [None, None]


def test_teams_end_to_end_including_a_side_spacy_did_not_tag() -> None:
    result = analyze(SCORE_TEXT)
    belgium = [f for f in find(result, kind="entity") if f.text == "Belgium"]
    assert len(belgium) == 3
    assert [f.label for f in belgium] == ["ORG", "ORG", "ORG"]
    assert entity_of(result, "Sochi").mentions[0].label == "GPE"
    off = analyze(SCORE_TEXT, metonymy=False)
    assert {f.label for f in find(off, kind="entity") if f.text == "Belgium"} == {"GPE"}


def test_buildings_and_unknown_towns_end_to_end() -> None:
    result = analyze(
        "The students rehearsed at Orchestra Hall in Chicago before the tour. "
        "The plant near Evansville will close next year."
    )
    assert entity_of(result, "Orchestra Hall").label == "FAC"
    (town,) = find(result, kind="entity", text="Evansville")
    assert town.label == "GPE"
    assert town.data["label_evidence"] == ["world_place"]


def listed(text: str, *names: tuple[str, str]) -> dict[str, str]:
    """The list cue each named mention gets, as ``{name: "LABEL:list_peers"}``."""
    mentions = [Mention(text.index(n), text.index(n) + len(n), n, label) for n, label in names]
    cues = list_cues(text, mentions)
    return {mentions[i].text: f"{c.label}:{c.name}" for i, found in cues.items() for c in found}


def test_a_name_in_a_list_takes_the_kind_of_the_others() -> None:
    text = "Rick Santorum led on search engines including Google, Bing, and Yahoo."
    peers = (("Google", "ORG"), ("Bing", "PERSON"), ("Yahoo", "ORG"))
    assert listed(text, *peers) == {"Bing": "ORG:list_peers"}
    text = "Clashes left 22 people dead in Mosul, Baiji, and Tuz on Sunday."
    assert listed(text, ("Mosul", "GPE"), ("Baiji", "GPE"), ("Tuz", "PERSON")) == {
        "Tuz": "GPE:list_peers"
    }


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a city, its country and a new clause: no "and", no list
        (
            "In Sochi, Russia, Wikinews interviewed the coach.",
            (("Sochi", "GPE"), ("Russia", "GPE"), ("Wikinews", "ORG")),
        ),
        # the others disagree among themselves
        (
            "Talks between Apple, Paris and Jane Doe stalled.",
            (("Apple", "ORG"), ("Paris", "GPE"), ("Jane Doe", "PERSON")),
        ),
        # two names are no list
        ("Google and Bing fell.", (("Google", "ORG"), ("Bing", "PERSON"))),
    ],
)
def test_no_list_cue_without_a_list_of_one_kind(
    text: str, names: tuple[tuple[str, str], ...]
) -> None:
    assert listed(text, *names) == {}


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        ("The ban covers search engines including Google, Bing, and Yahoo.", "Bing", "ORG"),
        ("Clashes left 22 people dead in Mosul, Baiji, and Tuz on Sunday.", "Tuz", "GPE"),
        # three people outvote spaCy's ORG on a full name
        (
            "The exhibit shows work by Ansel Adams, Chuck Close, Walker Evans, and Helmut Newton.",
            "Walker Evans",
            "PERSON",
        ),
    ],
)
def test_list_cue_end_to_end(text: str, name: str, label: str) -> None:
    (mention,) = find(analyze(text), kind="entity", text=name)
    assert mention.label == label
    assert f"{label}:list_peers" in mention.data["label_evidence"]


# -- issue 14, third round: fused names, caption labels, sources, company words ---------


@pytest.mark.parametrize(
    ("name", "pieces"),
    [
        ("Phillip Phillip", ["Phillip", "Phillip"]),
        ("Debra Perlingiere Debra Perlingiere", ["Debra Perlingiere", "Debra Perlingiere"]),
        ("Lisa Gilette Kristen Quinn", ["Lisa Gilette", "Kristen Quinn"]),
        ("Vince Dear", ["Vince"]),
        ("Rob Bryngelson PS", ["Rob Bryngelson"]),
        ("Thanks, Renee", ["Renee"]),
        # A comma standing alone (informal text) is no part of a name.
        ("Thanks , Renee Renee", ["Renee", "Renee"]),
        ("Lisa Gilette , Kristen Quinn", ["Lisa Gilette", "Kristen Quinn"]),
        # One person each: a repeated word that is no known given name, a middle
        # name, three-word names whose last word is also a given name, a suffix.
        ("Sirhan Sirhan", ["Sirhan Sirhan"]),
        ("Sarah Jessica Parker", ["Sarah Jessica Parker"]),
        ("Hillary Rodham Clinton", ["Hillary Rodham Clinton"]),
        ("George Herbert Walker Bush", ["George Herbert Walker Bush"]),
        ("Martin Luther King Jr.", ["Martin Luther King Jr."]),
        ("Mohammed bin Salman Al Saud", ["Mohammed bin Salman Al Saud"]),
        ("Robert F. Kennedy Jr.", ["Robert F. Kennedy Jr."]),
    ],
)
def test_a_person_span_that_fuses_names_is_split(name: str, pieces: list[str]) -> None:
    from copydesk_entities.fused import split_fused_names

    text = f"Regards, {name} wrote."
    start = text.index(name)
    out = split_fused_names(text, [Mention(start, start + len(name), name, "PERSON")])
    assert [m.text for m in out] == pieces
    assert all(text[m.start : m.end] == m.text and m.label == "PERSON" for m in out)


def test_only_person_spans_are_split() -> None:
    from copydesk_entities.fused import split_fused_names

    text = "Phillip Phillip Holdings"
    mention = Mention(0, len(text), text, "ORG")
    assert split_fused_names(text, [mention]) == [mention]


def test_fused_signatures_end_to_end() -> None:
    result = analyze(
        "Please send the draft by Friday. Thanks, Renee Renee, Thank you for the update. "
        "Attendees: Lisa Gilette Kristen Quinn, Sarah Mulholland."
    )
    people = {f.text for f in find(result, kind="entity") if f.label == "PERSON"}
    assert {"Lisa Gilette", "Kristen Quinn"} <= people
    assert not any(" " in p and p.split()[0] == p.split()[-1] for p in people)


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("to student Ahmed Mohamed Image: Twitter.", "Ahmed Mohamed Image", "Ahmed Mohamed"),
        ("The booth was busy. Image: Nick Moreau.", "Image", None),
        ("Email: Adelia Smith wrote to us.", "Email", None),
        ("Kay Image, the painter, said.", "Kay Image", "Kay Image"),  # no colon: a name
        # A span that opens with the label keeps the name after it.
        ("The booth was busy. Image: Nick Moreau.", "Image: Nick Moreau", "Nick Moreau"),
        ("Photo: Mr. John Smith", "Photo: Mr. John Smith", "John Smith"),
    ],
)
def test_a_caption_label_is_not_part_of_a_name(text: str, span: str, expected: str | None) -> None:
    start = text.index(span)
    out = trim(text, start, start + len(span), "PERSON")
    assert [m.text for m in out] == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("text", "name", "label", "cue"),
    [
        ("It ranks 135th, according to Quantcast.", "Quantcast", "GPE", True),
        ("It ranks 135th according to the Jezebel survey.", "Jezebel", "PRODUCT", True),
        ("The plan was rejected, according to Russia.", "Russia", "GPE", False),  # a place
        ("It was, according to Smith, too late.", "Smith", "PERSON", False),
        ("Quantcast ranks it 135th.", "Quantcast", "GPE", False),
    ],
)
def test_a_source_after_according_to_is_no_place(
    text: str, name: str, label: str, *, cue: bool
) -> None:
    start = text.index(name)
    mention = Mention(start, start + len(name), name, label)
    found = [c for c in context_cues(text, mention) if c.name == "according_to"]
    assert bool(found) is cue
    assert all(c.label == "ORG" for c in found)


@pytest.mark.parametrize(
    "name", ["Malcolm Smith Motorsports", "Syrian Democratic Forces", "Sea Org", "Al-Nusra Front"]
)
def test_company_and_movement_words_make_an_organisation(name: str) -> None:
    mention = Mention(0, len(name), name, "PERSON")
    relabel_by_name([mention], name)
    assert (mention.label, mention.by_rule) == ("ORG", "org_word")


def test_a_fixed_acronym_does_not_join_a_long_form_by_its_initials() -> None:
    def mention(text: str, name: str, label: str) -> Mention:
        start = text.index(name)
        return Mention(start, start + len(name), name, label)

    text = "Researchers of the US and the University of Sheffield wrote the report."
    us = mention(text, "US", "GPE")
    sheffield = mention(text, "University of Sheffield", "ORG")
    assert len(cluster_mentions([us, sheffield])) == 2
    # An acronym with no fixed meaning still joins its long form.
    text = "The World Health Organization said the WHO would act."
    long_form = mention(text, "World Health Organization", "ORG")
    who = mention(text, "WHO", "ORG")
    assert len(cluster_mentions([long_form, who])) == 1


# -- the cheap tests that stand before the patterns (issue 16) ------------------------

_BEFORE_TEXTS = [
    "",
    "Trump",
    "talks with ",
    "members of ",
    "members of the ",
    "the town of ",
    "the town of\t",
    "in the town of  ",
    "according to ",
    "According to the ",
    "records in\n",
    "flew into ",
    "x-the ",
    "bathe ",
    "The ",
    "said\t",
    "it was said  ",
    "its ex-spokesman ",
    "their co-founder\n",
    "Xchairman ",
    "the chair, ",
    "spokesman",
    "near\u00a0",
]


@pytest.mark.parametrize("before", _BEFORE_TEXTS)
def test_the_tests_before_context_patterns_never_hide_a_match(before: str) -> None:
    from copydesk_entities import evidence

    tail = evidence._tail(before)
    gated = [
        (evidence._OF_BEFORE, tail.endswith(evidence._OF_ENDINGS)),
        (evidence._THE_BEFORE, tail.endswith(evidence._THE_ENDINGS)),
        (evidence._IN_BEFORE, tail.endswith(evidence._IN_ENDINGS)),
        (evidence._PLACE_OF_BEFORE, tail.endswith("of")),
        (evidence._SAID_BEFORE, tail.endswith(evidence._SAID_ENDINGS)),
        (evidence._ACCORDING_BEFORE, tail.endswith(evidence._ACCORDING_ENDINGS)),
    ]
    for pattern, may_match in gated:
        if pattern.search(before):
            assert may_match, pattern.pattern
    role = evidence._ROLE_BEFORE.search(before)
    if role and role.group("noun") in evidence.ROLE_NOUNS:
        assert tail[-evidence._ROLE_SUFFIX :] in evidence._ROLE_ENDINGS


@pytest.mark.parametrize(
    ("text", "honorific"),
    [
        ("Mr. Smith", "Mr"),
        ("MRS  Smith", "MRS"),
        ("said Dr\nSmith", "Dr"),
        ("Messrs. Smith", "Messrs"),
        ("Mr.Smith", None),
        ("Hamr Smith", None),
    ],
)
def test_an_honorific_before_a_name_is_found_through_its_quick_test(
    text: str, honorific: str | None
) -> None:
    start = text.rindex("Smith")
    (mention,) = trim(text, start, start + len("Smith"), "PERSON")
    assert mention.honorific == honorific


def test_the_name_search_finds_names_with_a_capital_outside_ascii() -> None:
    text = "Ángel Di María scored. Later, Ángel said Özil and Zoë Ball had called; Ángel's goal."
    people = [Mention(0, 14, "Ángel Di María", "PERSON")]
    start = text.index("Zoë Ball")
    people.append(Mention(start, start + 8, "Zoë Ball", "PERSON"))
    clusters = cluster_mentions(people)
    taken = [(m.start, m.end) for m in people]
    found = find_missed(text, clusters, ["PERSON", "PERSON"], taken, frozenset())
    # "Ángel" alone is no surname (no search), "María" is not in the text again;
    # "Ángel Di María" is found nowhere else either.
    assert [m.text for m in found] == []
    clusters = cluster_mentions([Mention(0, 5, "Ángel", "PERSON"), *people[1:]])
    found = find_missed(text, clusters, ["PERSON", "PERSON"], [(0, 5), taken[1]], frozenset())
    # A word run starting with a capital outside A-Z is found like any other
    # (not glued to a capitalised word, not before "'s" joined to another word).
    assert [(m.text, m.start) for m in found] == [
        ("Ángel", text.index("Ángel", 5)),
        ("Ángel", text.rindex("Ángel")),
    ]
