"""Tests for the loaded-language analyzer, written with copydesk.testing.

They run against the installed distribution: copydesk finds the analyzer
through this package's entry point, exactly as it would for a user.
"""

from __future__ import annotations

from copydesk.testing import assert_finding, assert_no_finding, check_edge_cases, find, texts

STORY = (
    # "calling the rollout chaotic" would be the critics' words: sourcing finds
    # "calling" as an attribution cue. Here "chaotic" is the reporter's own.
    "Critics slammed the council's plan on Tuesday after a chaotic rollout.\n\n"
    '"This is a radical attack on working families," Mayor Linda Okafor said at a news '
    "conference. She said the port had descended into chaos.\n\n"
    'The so-called reform passed 7-2. Opponents called it "a disaster".'
)


def test_reporter_voice_is_told_apart_from_a_quoted_source(copydesk_analyze):
    result = copydesk_analyze(STORY, "loaded_language")
    assert_finding(result, analyzer="loaded_language", text="slammed", label="reporter")
    assert_finding(result, analyzer="loaded_language", text="chaotic", label="reporter")
    assert_finding(result, analyzer="loaded_language", text="so-called", label="reporter")
    assert_finding(result, analyzer="loaded_language", text="radical", label="quoted")


def test_paraphrase_of_a_source_is_its_own_voice(copydesk_analyze):
    result = copydesk_analyze(STORY, "loaded_language")
    chaos = assert_finding(result, analyzer="loaded_language", text="chaos")
    assert chaos.label == "paraphrase"
    assert chaos.data["source"]["text"] == "She"


def test_quotation_attributed_in_its_sentence_counts_as_quoted(copydesk_analyze):
    result = copydesk_analyze(STORY, "loaded_language")
    disaster = assert_finding(result, analyzer="loaded_language", text="disaster")
    assert disaster.label == "quoted"


def test_scare_quotes_with_no_speaker_are_flagged(copydesk_analyze):
    text = 'The agency\'s "radical" overhaul of the bus network begins in March.'
    result = copydesk_analyze(text, "loaded_language")
    finding = assert_finding(result, analyzer="loaded_language", text="radical")
    assert finding.label == "unattributed_quote"
    assert "attributed to no one" in (finding.message or "")


def test_metrics_count_each_voice(copydesk_analyze):
    result = copydesk_analyze(STORY, "loaded_language")
    assert result.metrics["loaded_language.reporter"] == 3
    assert result.metrics["loaded_language.count"] == len(find(result, analyzer="loaded_language"))


def test_neutral_copy_has_no_findings(copydesk_analyze):
    text = (
        "The council approved the budget 7-2 on Monday. Councilman Ray Duffy, who voted "
        "against it, said the tax increase was too steep."
    )
    result = copydesk_analyze(text, "loaded_language")
    assert find(result, analyzer="loaded_language") == []
    assert result.metrics["loaded_language.reporter_per_1000_words"] == 0


def test_settings_add_and_remove_words(copydesk_analyze):
    text = "The brutal heat wave left the region's fabled orchards scorched."
    default = copydesk_analyze(text, "loaded_language")
    assert texts(find(default, analyzer="loaded_language")) == ["brutal"]
    settings = {"loaded_language": {"extra_words": ["fabled"], "ignore_words": ["brutal"]}}
    custom = copydesk_analyze(text, "loaded_language", settings=settings)
    assert texts(find(custom, analyzer="loaded_language")) == ["fabled"]
    assert_no_finding(custom, analyzer="loaded_language", text="brutal")


def test_quoted_words_can_be_left_out():
    settings = {"report_quoted": False}
    results = check_edge_cases("loaded_language", settings=settings, cases={"story": STORY})
    found = find(results["story"], analyzer="loaded_language")
    assert "radical" not in texts(found)
    assert results["story"].metrics["loaded_language.quoted"] >= 1  # still counted


def test_edge_cases():
    check_edge_cases("loaded_language")


def test_an_edge_case_text_yields_only_real_words(edge_case_text, copydesk_analyze):
    result = copydesk_analyze(edge_case_text, "loaded_language")
    for finding in find(result, analyzer="loaded_language"):
        assert finding.text.strip() == finding.text
        assert finding.data["voice"] == finding.label


def test_the_html_view_uses_this_plugins_renderer(copydesk_analyze):
    import copydesk

    result = copydesk_analyze(STORY, "loaded_language")
    page = copydesk.render_html([result])
    assert 'class="m a-loaded_language r-loaded_word' in page
    assert 'data-tag="reporter"' in page
    assert "mark.m.a-loaded_language.r-loaded_word{" in page  # its own style
    assert "try: <b>" in page  # its own note, with the plainer word
