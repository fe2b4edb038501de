"""The runner orders analyzers, isolates failures and commits output all-or-nothing."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from copydesk import Document, Engine, InputError, RunStatus
from copydesk.config import CopydeskConfig
from copydesk.errors import ConfigError, SelectionError
from copydesk.plugins import make_plugin_host
from core_plugins import (
    AnalyzersPlugin,
    BrokenSetupAnalyzer,
    CycleA,
    CycleB,
    NeedsMissing,
    NumbersAnalyzer,
)


def engine(*classes, **options):
    host = make_plugin_host(plugins=[AnalyzersPlugin(*classes)], load_entry_points=False)
    return Engine(host=host, **options)


def test_dependencies_run_first_whatever_the_selection_order():
    eng = engine(analyzers=["big_numbers", "numbers"])
    assert eng.analyzer_names == ["numbers", "big_numbers"]
    result = eng.analyze("The ministry counted 1,250 boats and 12 ships.")
    assert [f.text for f in result.findings_of("big_numbers")] == ["1,250"]
    assert result.metrics["numbers.count"] == 2


def test_missing_dependency_names_the_fix():
    with pytest.raises(SelectionError, match="--with-deps"):
        engine(analyzers=["big_numbers"])
    eng = engine(analyzers=["big_numbers"], with_deps=True)
    assert eng.plan.added_dependencies == ("numbers",)


def test_dependency_that_is_not_installed_is_an_error():
    with pytest.raises(SelectionError, match="requires analyzer 'not_installed'"):
        engine(NeedsMissing)


def test_cycle_is_reported_with_its_path():
    with pytest.raises(SelectionError, match="cycle: cycle_a -> cycle_b -> cycle_a"):
        engine(CycleA, CycleB)


def test_unknown_analyzer_suggests_the_close_name():
    with pytest.raises(SelectionError, match="did you mean 'numbers'"):
        engine(analyzers=["numbrs"])


def test_excluding_a_dependency_is_an_error():
    with pytest.raises(SelectionError, match="excluded"):
        engine(exclude=["numbers"])


def test_one_failing_analyzer_on_one_document_does_not_sink_the_rest():
    eng = engine()
    docs = [
        Document(id="calm", text="Police said 40 people were hurt."),
        Document(id="bad", text="An explosion hit 3 trucks."),
    ]
    calm, bad = eng.analyze_many(docs)
    assert calm.ok
    assert calm.run_of("exploding").status is RunStatus.OK
    assert bad.run_of("exploding").status is RunStatus.FAILED
    assert "RuntimeError: boom" in bad.run_of("exploding").error
    # the failing analyzer's partial finding was not committed
    assert bad.findings_of("exploding") == []
    # analyzers that require it are skipped, the others ran
    assert bad.run_of("after_exploding").status is RunStatus.SKIPPED
    assert bad.metrics["numbers.count"] == 1
    assert [f.text for f in bad.findings_of("numbers")] == ["3"]


def test_strict_mode_re_raises():
    with pytest.raises(RuntimeError, match="boom"):
        engine(strict=True).analyze("An explosion.")


def test_failing_setup_is_recorded_on_each_document():
    eng = engine(NumbersAnalyzer, BrokenSetupAnalyzer)
    result = eng.analyze("12 boats")
    run = result.run_of("broken_setup")
    assert run.status is RunStatus.FAILED
    assert "setup failed: FileNotFoundError: lexicon missing" in run.error
    assert result.run_of("numbers").status is RunStatus.OK


def test_settings_are_validated_and_applied():
    eng = engine(NumbersAnalyzer, settings={"numbers": {"min_value": 20}})
    assert [f.text for f in eng.analyze("5 boats, 25 ships").findings] == ["25"]
    with pytest.raises(
        ConfigError, match=r"analyzer 'numbers': unknown option 'numbers.min_vaule'"
    ):
        engine(NumbersAnalyzer, settings={"numbers": {"min_vaule": 20}})
    with pytest.raises(ConfigError, match="valid options: min_value"):
        engine(NumbersAnalyzer, settings={"numbers": {"min_value": "many"}})
    with pytest.raises(ConfigError, match="unknown analyzer 'numbrs'"):
        engine(NumbersAnalyzer, settings={"numbrs": {"min_value": 1}})


def test_too_long_and_empty_documents_become_input_errors():
    host = make_plugin_host(plugins=[AnalyzersPlugin(NumbersAnalyzer)], load_entry_points=False)
    eng = Engine(CopydeskConfig(max_chars=50), host=host)
    items = list(
        eng.analyze_many(
            [
                Document(id="long", text="word " * 20),
                Document(id="blank", text="   \n "),
                Document(id="fine", text="3 ships"),
            ]
        )
    )
    assert isinstance(items[0], InputError)
    assert "too long (100 characters; the limit is 50)" in str(items[0])
    assert isinstance(items[1], InputError)
    assert "empty" in str(items[1])
    assert items[2].metrics["numbers.count"] == 1


def test_payload_is_stored_under_the_analyzer_name():
    result = engine(NumbersAnalyzer).analyze("4 and 5")
    assert result.data["numbers"] == {"values": [4.0, 5.0]}


def test_no_spacy_is_loaded_when_no_analyzer_needs_it():
    eng = engine(NumbersAnalyzer)
    eng.analyze("4 ships")
    assert eng.plan.needs == frozenset()
    assert eng.nlp is None


def test_a_bare_string_selects_one_analyzer():
    assert engine(NumbersAnalyzer, analyzers="numbers").analyzer_names == ["numbers"]


def test_unknown_need_is_a_clear_selection_error():
    class Odd(NumbersAnalyzer):
        name = "odd"
        needs = frozenset({"pos"})

    with pytest.raises(SelectionError, match="unknown need 'pos'"):
        engine(Odd)


def test_registering_an_instance_is_refused_with_the_reason():
    from copydesk import hookimpl

    class Registers:
        @hookimpl
        def register_analyzers(self, register):
            register(NumbersAnalyzer())

    host = make_plugin_host(plugins=[("inst", Registers())], load_entry_points=False)
    assert host.analyzers() == {}
    record = next(p for p in host.plugins if p.name == "inst")
    assert "register the Analyzer class, not an instance" in record.error


def test_a_plugin_failing_one_hook_keeps_its_other_registrations():
    from copydesk import hookimpl
    from copydesk.io.sinks import JsonlSink, SinkType

    class TwoHooks:
        @hookimpl
        def register_sinks(self, register):
            register(SinkType("jsonl", JsonlSink))  # taken by the core

        @hookimpl
        def register_analyzers(self, register):
            register(NumbersAnalyzer)

    host = make_plugin_host(plugins=[("two", TwoHooks())], load_entry_points=False)
    host.sinks()
    assert "numbers" in host.analyzers()
    record = next(p for p in host.plugins if p.name == "two")
    assert "'jsonl' is already registered by copydesk.core" in record.error


def test_a_plugin_whose_extend_pipeline_raises_does_not_stop_the_run():
    from copydesk import Capability, hookimpl

    class Breaks:
        @hookimpl
        def extend_pipeline(self, nlp, needs):
            msg = "boom"
            raise RuntimeError(msg)

    class Sents(NumbersAnalyzer):
        name = "sents"
        needs = frozenset({Capability.SENTENCES})

        def analyze(self, ctx):
            ctx.set_metric("n", len(ctx.sentences))

    host = make_plugin_host(
        plugins=[("breaks", Breaks()), AnalyzersPlugin(Sents)], load_entry_points=False
    )
    result = Engine(host=host).analyze("One. Two.")
    assert result.metrics["sents.n"] == 2
    record = next(p for p in host.plugins if p.name == "breaks")
    assert "extend_pipeline raised RuntimeError: boom" in record.error


def test_a_taken_plugin_name_does_not_erase_the_first_plugin():
    host = make_plugin_host(
        plugins=[("same", AnalyzersPlugin(NumbersAnalyzer)), ("same", AnalyzersPlugin())],
        load_entry_points=False,
    )
    assert "numbers" in host.analyzers()
    second = [p for p in host.plugins if p.name == "same"][1]
    assert "already used" in second.error


def test_the_loaded_model_is_kept_out_of_the_garbage_collectors_full_walks():
    import gc

    engine = Engine(analyzers=["entities"])
    result = engine.analyze("Angela Merkel met Emmanuel Macron in Paris on Monday.")
    assert result.metrics["entities.count"] >= 2
    nlp = engine.nlp
    assert nlp is not None
    # What existed at the first parse (the pipeline among it) sits in the permanent
    # generation: the full collections of a run no longer walk it again and again.
    assert gc.get_freeze_count() > 10_000
    assert all(o is not nlp.pipeline for o in gc.get_objects())


class _GcThresholdAnalyzer(NumbersAnalyzer):
    """Records the young-generation threshold the analyzer runs under."""

    name = "gc_threshold"
    seen: list[int] = []  # noqa: RUF012 - filled by the runs of one test

    def analyze(self, ctx):
        import gc

        self.seen.append(gc.get_threshold()[0])
        super().analyze(ctx)


@pytest.fixture
def gc_thresholds():
    import gc

    saved = gc.get_threshold()
    _GcThresholdAnalyzer.seen.clear()
    yield gc
    gc.set_threshold(*saved)


def test_analyzers_run_with_fewer_young_collections_and_the_caller_keeps_its_own(gc_thresholds):
    from copydesk.runner import YOUNG_COLLECTION_THRESHOLD

    gc = gc_thresholds
    gc.set_threshold(700, 10, 10)
    eng = engine(_GcThresholdAnalyzer, analyzers=["gc_threshold"])
    texts = ["12 boats.", "3 ships and 40 crews.", "No number."]
    between = [gc.get_threshold() for _ in eng.analyze_many(texts)]
    assert _GcThresholdAnalyzer.seen == [YOUNG_COLLECTION_THRESHOLD] * 3
    assert between == [(700, 10, 10)] * 3  # restored before each result reaches the caller


def test_a_higher_threshold_or_a_disabled_collector_is_left_alone(gc_thresholds):
    gc = gc_thresholds
    eng = engine(_GcThresholdAnalyzer, analyzers=["gc_threshold"])
    gc.set_threshold(50_000, 10, 10)
    eng.analyze("12 boats.")
    gc.set_threshold(700, 10, 10)
    gc.disable()
    try:
        eng.analyze("12 boats.")
    finally:
        gc.enable()
    assert _GcThresholdAnalyzer.seen == [50_000, 700]
    assert gc.get_threshold() == (700, 10, 10)


class _Tally(BaseModel):
    words: list[str]


def test_a_typed_payload_goes_to_its_first_reader_and_copies_to_the_others():
    """The first reader takes over the provider's committed object (no second
    validation); a later reader gets a copy validated anew; neither can change
    the output, which holds the dump made at commit."""
    from copydesk import AnalysisContext, Analyzer

    seen: dict[str, object] = {}

    class Provider(Analyzer[Any]):
        name = "tally"
        provides = _Tally

        def analyze(self, ctx: AnalysisContext) -> None:
            seen["set"] = _Tally(words=ctx.text.split())
            ctx.set_payload(seen["set"])

    class FirstReader(Analyzer[Any]):
        name = "first_reader"
        requires = (_Tally,)

        def analyze(self, ctx: AnalysisContext) -> None:
            tally = ctx.payload(_Tally)
            seen["first"] = tally
            assert tally is not None
            tally.words.append("changed")  # a reader's own object: free to change

    class SecondReader(Analyzer[Any]):
        name = "second_reader"
        requires = ("first_reader",)

        def analyze(self, ctx: AnalysisContext) -> None:
            seen["second"] = ctx.payload("tally", _Tally)

    result = engine(Provider, FirstReader, SecondReader).analyze("two words")
    assert seen["first"] is seen["set"]
    second = seen["second"]
    assert isinstance(second, _Tally)
    assert second is not seen["set"]
    assert second.words == ["two", "words"]
    assert result.data["tally"] == {"words": ["two", "words"]}
