"""The run architecture from a library user's side: contract, sources, session, sinks, executors.

The analyzers here need no spaCy (stats and small test analyzers), so these run
in a moment; the faulty plugins come from tests/faulty.py.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import copydesk
from copydesk import AnalysisContext, Analyzer, ConfigError, Document, Engine, RunStatus
from copydesk.io.sinks import JsonlSink, Output
from copydesk.session import run
from core_plugins import AnalyzersPlugin, NumbersAnalyzer
from faulty import FaultPlugin

TEXT = "Rescuers saved 14 people on Tuesday. Officials said 3 were missing.\n"


def engine_with(*plugins: object, analyzers: list[str] | None = None) -> Engine:
    return Engine(
        analyzers=analyzers or ["stats", "faulty"],
        plugins=plugins,
        disable_autoload=True,
        settings={},
    )


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("raise", "RuntimeError: broken on purpose"),
        ("exit", "called sys.exit(3)"),
        ("unserializable", "payload cannot be written as JSON"),
        ("bad_offsets", "span [5, 2) is outside the text"),
        ("nan_metric", "report a status instead of NaN"),
        ("allocate", "MemoryError"),
    ],
)
def test_a_failing_analyzer_fails_alone_and_leaves_nothing_behind(fault, reason):
    engine = engine_with(FaultPlugin(fault))
    docs = [Document(id="a", text=TEXT), Document(id="b", text="A second story ends here.")]
    results = list(engine.analyze_many(docs))
    assert [r.document.id for r in results] == ["a", "b"]
    for result in results:
        faulty = result.run_of("faulty")
        assert faulty.status is RunStatus.FAILED
        assert reason in faulty.error, faulty.error
        assert result.run_of("stats").status is RunStatus.OK
        assert result.metrics["stats.words"] > 0
        assert not any(k.startswith("faulty.") for k in result.metrics)  # nothing committed
        assert "faulty" not in result.data
        json.loads(result.model_dump_json())  # the output is always writable


def test_a_hanging_analyzer_is_stopped_by_the_time_limit():
    engine = Engine(
        analyzers=["stats", "faulty"],
        plugins=[FaultPlugin("hang")],
        disable_autoload=True,
        config=copydesk_config(analyzer_timeout=0.2),
    )
    result = engine.analyze(TEXT)
    assert "timed out after 0.2 s" in result.run_of("faulty").error
    assert result.run_of("stats").status is RunStatus.OK


def copydesk_config(**values):
    from copydesk.config import CopydeskConfig

    return CopydeskConfig(**values)


def test_an_analyzer_cannot_change_the_text_or_earlier_results():
    engine = Engine(
        analyzers=["numbers", "faulty"],
        plugins=[AnalyzersPlugin(NumbersAnalyzer), FaultPlugin("mutate")],
        disable_autoload=True,
    )
    doc = Document(id="a", text=TEXT, meta={"outlet": "Wire"})
    result = engine.analyze(doc)
    assert result.run_of("faulty").status is RunStatus.OK
    assert result.metrics["faulty.tried"] == 1
    assert result.document.text == TEXT
    assert result.document.meta == {"outlet": "Wire"}
    assert [f.data for f in result.findings_of("numbers")] == [{"value": 14.0}, {"value": 3.0}]


def test_a_plugins_print_goes_to_stderr_not_into_results(capsys):
    engine = engine_with(FaultPlugin("print"))
    out = Output(stream=None)
    summary = run([Document(id="a", text=TEXT)], engine, JsonlSink(out))
    captured = capsys.readouterr()
    assert summary.documents == 1
    assert "debug output from a plugin" in captured.err
    line = captured.out.strip()
    assert json.loads(line)["document"]["id"] == "a"


class Reads(Analyzer):
    """Reads numbers' typed payload by model, and the stats metric."""

    name = "reader"
    requires = ("numbers",)

    def analyze(self, ctx: AnalysisContext) -> None:
        ctx.set_metric("numbers_seen", len(ctx.findings(analyzer="numbers")))


def test_a_misspelled_option_is_an_error_even_without_extra_forbid():
    from pydantic import BaseModel

    class Loose(BaseModel):  # the author forgot extra="forbid"
        threshold: int = 3

    class LooseAnalyzer(Analyzer[Loose]):
        name = "loose"
        Settings = Loose

        def analyze(self, ctx: AnalysisContext) -> None:
            ctx.set_metric("threshold", self.settings.threshold)

    plugin = AnalyzersPlugin(LooseAnalyzer)
    with pytest.raises(
        ConfigError, match=r"unknown option 'loose.treshold'.*valid options: threshold"
    ):
        Engine(analyzers=["loose"], plugins=[plugin], settings={"loose": {"treshold": 4}})


def test_requires_by_model_resolves_to_its_provider():
    from pydantic import BaseModel

    class Counts(BaseModel):
        n: int

    class Provider(Analyzer):
        name = "provider"
        provides = Counts

        def analyze(self, ctx: AnalysisContext) -> None:
            ctx.set_payload(Counts(n=len(ctx.text.split())))

    class Consumer(Analyzer):
        name = "consumer"
        requires = (Counts,)

        def analyze(self, ctx: AnalysisContext) -> None:
            counts = ctx.payload(Counts)
            assert counts is not None
            counts.n = -1  # a copy: the stored payload is unchanged
            ctx.set_metric("words", ctx.payload(Counts).n)

    engine = Engine(
        analyzers=["consumer"],
        with_deps=True,
        plugins=[AnalyzersPlugin(Provider, Consumer)],
        disable_autoload=True,
    )
    assert engine.analyzer_names == ["provider", "consumer"]
    result = engine.analyze("three words here")
    assert result.metrics["consumer.words"] == 3
    assert result.payload(Counts).n == 3


def test_spec_rebuilds_the_same_engine_after_pickling():
    engine = Engine(
        analyzers=["numbers"], plugins=[AnalyzersPlugin(NumbersAnalyzer)], disable_autoload=True
    )
    rebuilt = pickle.loads(pickle.dumps(engine.spec())).build()
    assert rebuilt.analyzer_names == ["numbers"]
    assert rebuilt.analyze(TEXT).metrics == engine.analyze(TEXT).metrics


def test_library_run_uses_sources_sinks_and_processes(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(5):
        (corpus / f"story{n}.txt").write_text(f"Story {n} has {n + 2} words here.\n")
    (corpus / "broken.txt").write_bytes(b"caf\xe9 au lait")  # Latin-1, not UTF-8
    out = tmp_path / "out.jsonl"
    summary = copydesk.run([str(corpus)], out, analyzers=["stats"], jobs=2, disable_autoload=True)
    assert summary.documents == 5
    assert summary.input_errors == 1
    assert summary.exit_code == 2
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [Path(r["document"]["id"]).name for r in rows] == [f"story{n}.txt" for n in range(5)]
    serial = copydesk.run([str(corpus)], tmp_path / "serial.jsonl", analyzers=["stats"])
    again = [json.loads(x) for x in (tmp_path / "serial.jsonl").read_text().splitlines()]
    assert serial.documents == 5
    assert [r["metrics"] for r in again] == [r["metrics"] for r in rows]


def test_read_gives_the_clis_documents_and_errors(tmp_path):
    (tmp_path / "a.md").write_text("# Port strike\n\nDockers walked out.\n")
    (tmp_path / "b.jsonl").write_text('{"id": "x1", "text": "One."}\nnot json\n')
    items = list(copydesk.read(str(tmp_path / "*.md"), str(tmp_path / "b.jsonl")))
    assert items[0].title == "Port strike"
    assert items[1].id == "x1"
    assert "malformed JSON" in str(items[2])
    assert "matches no file" in str(next(iter(copydesk.read(str(tmp_path / "*.csv")))))


def test_analyze_many_says_what_it_got_instead_of_documents():
    engine = Engine(analyzers=["stats"], disable_autoload=True)
    assert [r.document.id for r in engine.analyze_many(["One story.", "Two."])] == [
        "text:1",
        "text:2",
    ]
    with pytest.raises(TypeError, match=r"item 1 is NoneType; give copydesk\.Document"):
        list(engine.analyze_many([None]))


def test_a_document_that_kills_its_worker_fails_alone():
    engine = Engine(
        analyzers=["stats", "faulty"],
        plugins=[FaultPlugin("crash_worker")],
        disable_autoload=True,
        config=copydesk_config(jobs=2, batch_size=3),
    )
    docs = [Document(id=f"d{n}", text=f"Story {n} went well today.") for n in range(8)]
    docs[4] = Document(id="d4", text="This story will crash the worker.")
    results = list(engine.analyze_many(docs))
    assert [r.document.id for r in results] == [f"d{n}" for n in range(8)]
    crashed = results[4]
    assert all(run.status is RunStatus.FAILED for run in crashed.analyzers)
    assert "worker process died" in crashed.run_of("faulty").error
    for result in results[:4] + results[5:]:
        assert result.run_of("stats").status is RunStatus.OK
        assert result.run_of("faulty").status is RunStatus.OK


class PidAnalyzer(Analyzer):
    """Records which process analyzed the document."""

    name = "pid"

    def analyze(self, ctx: AnalysisContext) -> None:
        import os

        ctx.set_metric("process", os.getpid())


def test_jobs_auto_stays_serial_for_a_few_batches_and_uses_processes_beyond(monkeypatch):
    import os

    from copydesk import executors

    monkeypatch.setattr(executors, "idle_cores", lambda: 2)
    engine = Engine(
        analyzers=["stats", "pid"],
        plugins=[AnalyzersPlugin(PidAnalyzer)],
        disable_autoload=True,
        config=copydesk_config(batch_size=2),
    )
    assert engine.config.jobs == "auto"
    few = list(engine.analyze_many(f"Story {n} is short." for n in range(8)))
    assert {r.metrics["pid.process"] for r in few} == {os.getpid()}
    many = list(engine.analyze_many(f"Story {n} is short." for n in range(20)))
    assert os.getpid() not in {r.metrics["pid.process"] for r in many}
    assert [r.document.id for r in many] == [f"text:{n}" for n in range(1, 21)]
    serial = list(
        engine.analyze_serial(Document(id=r.document.id, text=r.document.text) for r in many)
    )
    assert [r.metrics["stats.words"] for r in serial] == [r.metrics["stats.words"] for r in many]


def test_a_trylast_plugin_cannot_take_a_builtin_format_and_is_told_why():
    from copydesk import hookimpl, make_plugin_host
    from copydesk.io.sinks import JsonlSink, SinkType

    class Greedy:
        @hookimpl(trylast=True)
        def register_sinks(self, register):
            register(SinkType("json", JsonlSink))

    class Polite:
        @hookimpl
        def register_sinks(self, register):
            register(SinkType("json", JsonlSink))

    host = make_plugin_host(
        plugins=[("greedy", Greedy()), ("polite", Polite())], load_entry_points=False
    )
    sinks = host.sinks()
    assert sinks["json"].factory.__name__ == "JsonSink"  # the core's, registered first
    records = {p.name: p for p in host.plugins}
    assert "trylast means nothing on a registration hook" in records["greedy"].error
    assert "'json' is already registered by copydesk.core" in records["polite"].error


def test_a_hanging_analyzer_in_a_worker_is_stopped_too():
    engine = Engine(
        analyzers=["stats", "faulty"],
        plugins=[FaultPlugin("hang")],
        disable_autoload=True,
        config=copydesk_config(analyzer_timeout=0.3, jobs=2, batch_size=1),
    )
    results = list(engine.analyze_many(["One story.", "Two stories.", "Three."]))
    assert [r.run_of("stats").status for r in results] == [RunStatus.OK] * 3
    assert all("timed out" in r.run_of("faulty").error for r in results)


def test_an_unreadable_subfolder_is_reported_by_name(tmp_path, monkeypatch):
    import os

    from copydesk.io import sources

    (tmp_path / "ok.txt").write_text("A story.\n")
    real_walk = os.walk

    def walk(top, onerror=None, **kwargs):
        yield from real_walk(top, onerror=onerror, **kwargs)
        onerror(PermissionError(13, "Permission denied", str(tmp_path / "locked")))

    monkeypatch.setattr(sources.os, "walk", walk)
    [error] = list(copydesk.read(str(tmp_path)))
    assert str(error) == f"{tmp_path / 'locked'}: cannot be read (Permission denied)"


def test_lone_surrogates_are_refused_at_the_door():
    with pytest.raises(ValueError, match="cannot be written as UTF-8"):
        Document(id="a", text="broken \ud800 text")
    with pytest.raises(ValueError, match="cannot be written as UTF-8"):
        copydesk.analyze("broken \udfff text", analyzers=["stats"])


def test_two_threads_on_a_cold_engine_load_the_pipeline_once(monkeypatch):
    import threading

    import copydesk.nlp

    calls = []
    real = copydesk.nlp.load_pipeline

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(copydesk.nlp, "load_pipeline", counting)
    engine = Engine(analyzers=["entities"], disable_autoload=True)  # needs a model
    threads = [threading.Thread(target=engine.load) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert engine.nlp is not None


def test_a_long_text_is_refused_by_file_and_line(tmp_path):
    from copydesk.io.readers import MAX_CHARS

    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "x", "text": "' + "word " * 30 + '"}\n')
    token = MAX_CHARS.set(100)
    try:
        [error] = list(copydesk.read(str(path)))
    finally:
        MAX_CHARS.reset(token)
    assert str(error).startswith(f"{path}:1: is too long")


def test_an_executor_error_ends_the_run_with_one_line_and_keeps_the_output():
    from copydesk.errors import CopydeskError
    from copydesk.executors import Executor

    class LosesItsCluster(Executor):
        def run(self, engine, items):
            iterator = iter(items)
            yield from engine.analyze_serial([next(iterator)])
            msg = "lost the scheduler at tcp://127.0.0.1:8786"
            raise CopydeskError(msg)

    import io

    out = io.StringIO()
    engine = Engine(analyzers=["stats"], disable_autoload=True)
    sink = JsonlSink(Output(stream=out))
    summary = run(["First story.", "Second story."], engine, sink, LosesItsCluster())
    assert summary.error == "lost the scheduler at tcp://127.0.0.1:8786"
    assert summary.exit_code == 2
    assert summary.documents == 1
    assert len(out.getvalue().splitlines()) == 1
