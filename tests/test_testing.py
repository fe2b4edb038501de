"""copydesk.testing: the helpers a plugin author tests with must catch real mistakes."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest

from copydesk import AnalysisContext, Analyzer, hookimpl, testing
from copydesk.testing import EDGE_CASE_TEXTS, SAMPLE_ARTICLES, check_edge_cases, findings, texts

# The fixtures, bound by name for pytest (a plugin's conftest.py imports them instead;
# tests/conftest.py belongs to the core suite).
copydesk_analyze = testing.copydesk_analyze
edge_case_text = testing.edge_case_text
sample_article = testing.sample_article

WIRE = "The minister reportedly resigned on Friday, two officials said."


class _Plugin:
    """Registers one analyzer class from test code."""

    def __init__(self, cls: type[Analyzer[Any]]) -> None:
        self.cls = cls

    @hookimpl
    def register_analyzers(self, register: Any) -> None:
        register(self.cls)


class AsciiOnlyAnalyzer(Analyzer[Any]):
    """A plausible bug: assumes news copy is ASCII."""

    name = "ascii_only"

    def analyze(self, ctx: AnalysisContext) -> None:
        ctx.text.encode("ascii")
        ctx.add_finding("first_word", 0, len(ctx.text.split()[0]) if ctx.text.split() else 0)


class RatioAnalyzer(Analyzer[Any]):
    """A plausible bug: divides by the sentence count of a punctuation-only text."""

    name = "ratio"

    def analyze(self, ctx: AnalysisContext) -> None:
        words = len(re.findall(r"\w+", ctx.text))
        letters = sum(c.isalpha() for c in ctx.text)
        ctx.set_metric("letters_per_word", letters / words if words else math.nan)


class ByteOffsetAnalyzer(Analyzer[Any]):
    """A plausible bug: offsets computed on UTF-8 bytes, put in finding data."""

    name = "byte_offsets"

    def analyze(self, ctx: AnalysisContext) -> None:
        raw = ctx.text.encode("utf-8")
        at = raw.find(b"said")
        if at >= 0:
            start = ctx.text.find("said")
            ctx.add_finding(
                "said",
                start,
                start + 4,
                data={"cue": {"start": at, "end": at + 4, "text": "said"}},
            )


def test_findings_runs_one_analyzer_and_returns_its_findings_of_a_kind():
    hedges = findings(WIRE, "hedging", "hedge")
    assert texts(hedges) == ["reportedly"]
    assert all(f.analyzer == "hedging" for f in hedges)


def test_findings_passes_settings_to_the_analyzer():
    text = "The ruling was short. " + " ".join(["word"] * 12) + "."
    default = findings(text, "stats")
    strict = findings(text, "stats", settings={"long_sentence_words": 5})
    assert len(strict) > len(default)


def test_check_edge_cases_passes_a_sound_analyzer_and_returns_results():
    results = check_edge_cases("stats")
    assert set(results) == set(EDGE_CASE_TEXTS)
    assert results["one_line_no_period"].metrics["stats.words"] == 6


def test_check_edge_cases_names_the_text_an_analyzer_crashes_on():
    with pytest.raises(AssertionError, match=r"edge case '\w+': UnicodeEncodeError"):
        check_edge_cases("ascii_only", plugins=[_Plugin(AsciiOnlyAnalyzer)])


def test_check_edge_cases_catches_a_nan_metric():
    with pytest.raises(AssertionError, match="punctuation_only"):
        check_edge_cases("ratio", plugins=[_Plugin(RatioAnalyzer)])


def test_check_edge_cases_catches_byte_offsets_in_finding_data():
    with pytest.raises(AssertionError, match="unicode_mixed"):
        check_edge_cases("byte_offsets", plugins=[_Plugin(ByteOffsetAnalyzer)])


def test_check_edge_cases_takes_the_plugins_own_cases():
    cases = {"plain": "Officials said the bridge would reopen."}
    results = check_edge_cases("byte_offsets", cases=cases, plugins=[_Plugin(ByteOffsetAnalyzer)])
    assert texts(results["plain"].findings) == ["said"]


def test_edge_case_texts_cover_astral_and_combining_characters():
    text = EDGE_CASE_TEXTS["unicode_mixed"]
    assert any(ord(c) > 0xFFFF for c in text)  # an emoji: byte and UTF-16 offsets differ
    assert "\u0301" in text  # a combining accent
    assert len(EDGE_CASE_TEXTS["long_article"]) > 10_000


def test_copydesk_analyze_fixture_runs_named_analyzers(copydesk_analyze):
    result = copydesk_analyze(WIRE, "stats", "hedging")
    assert {r.name for r in result.analyzers} == {"stats", "hedging"}
    assert result.metrics["stats.words"] == 9


def test_sample_articles_are_wire_copy_with_sentences(sample_article):
    result = findings(sample_article, "stats")
    assert sample_article in SAMPLE_ARTICLES.values()
    assert all(f.analyzer == "stats" for f in result)


def test_edge_case_fixture_text_survives_stats(edge_case_text, copydesk_analyze):
    result = copydesk_analyze(edge_case_text, ["stats"])
    assert result.metrics["stats.characters"] == len(edge_case_text)
