"""The dask executor against the serial one, on a real local cluster of 2 worker processes.

One LocalCluster (processes, one thread each, no dashboard) serves the module; each
test connects to it as a remote user would, with ``scheduler=ADDRESS``. The
comparisons are per document id: the same findings, metrics and analyzer
statuses as the serial executor, every document exactly once.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from copydesk import Document, Engine, InputError
from copydesk.io.sources import iter_documents
from copydesk.partitions import MANIFEST, run_sharded

distributed = pytest.importorskip("distributed", reason="needs the copydesk[dask] extra")

from copydesk_dask.executor import DaskExecutor  # noqa: E402
from faulty import FaultPlugin  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "articles"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():
    # One retry after a worker death, not three: the poison-document test kills a
    # worker per attempt, and each replacement costs a process start.
    with _local_cluster(2, {"distributed.scheduler.allowed-failures": 1}) as local:
        yield local


@contextlib.contextmanager
def _local_cluster(workers: int, settings: dict[str, object]) -> Iterator[Any]:
    """A real LocalCluster of single-threaded worker processes, under ``settings``."""
    import dask

    with (
        dask.config.set(settings),
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=50,
        ) as local,
    ):
        yield local


def _executor(cluster, **options):
    return DaskExecutor(scheduler=cluster.scheduler_address, **options)


# -- a generated corpus ----------------------------------------------------------------

_SUBJECTS = [
    "The port authority",
    "Union leaders",
    "The transport minister",
    "A spokeswoman for the shipping line",
    "Dock workers in Rotterdam",
    "The city council",
    "Analysts at the central bank",
    "Residents near the harbour",
]
_VERBS = ["said", "warned", "announced", "insisted", "told reporters", "confirmed"]
_CLAIMS = [
    "that talks would resume on Monday",
    "the strike could last for several weeks",
    "that container traffic had fallen by a third since March",
    "the government was reportedly preparing emergency legislation",
    "that no agreement was likely before the holidays",
    "the closure may cost the regional economy millions of euros a day",
    "that safety inspections had been postponed indefinitely",
]
_CLOSERS = [
    "Negotiations continued late into the night.",
    "Neither side responded to requests for comment.",
    "Ferries to the islands were running on a reduced timetable, officials said.",
    "The dispute is the longest at the port in two decades.",
]


def _article(rng: random.Random) -> str:
    sentences = [
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_CLAIMS)}."
        for _ in range(rng.randint(3, 9))
    ]
    sentences.append(rng.choice(_CLOSERS))
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return "\n\n".join(paragraphs)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """500 documents: two JSONL files (ids, missing ids, blank and bad lines) and .txt briefs."""
    rng = random.Random(13)
    root = tmp_path_factory.mktemp("corpus")
    with (root / "wire-a.jsonl").open("w", encoding="utf-8") as out:
        for n in range(300):
            doc = {"id": f"a-{n:03d}", "text": _article(rng), "title": f"Port strike {n}"}
            out.write(json.dumps(doc) + "\n")
    with (root / "wire-b.jsonl").open("w", encoding="utf-8") as out:
        for n in range(150):
            doc = {"text": _article(rng)} if n % 3 == 0 else {"id": f"b-{n}", "text": _article(rng)}
            out.write(json.dumps(doc) + "\n")
            if n == 70:
                out.write("\n")
                out.write('{"id": "broken", "text": \n')  # an input error in its place
    briefs = root / "briefs"
    briefs.mkdir()
    for n in range(50):
        (briefs / f"brief-{n:02d}.txt").write_text(_article(rng), encoding="utf-8")
    return root


# -- comparing outputs -----------------------------------------------------------------


def _comparable(analyzed) -> dict:
    data = analyzed if isinstance(analyzed, dict) else analyzed.model_dump(mode="json")
    return {
        "findings": data["findings"],
        "metrics": data["metrics"],
        "runs": [(r["name"], r["status"], r["error"]) for r in data["analyzers"]],
        "text": data["document"]["text"],
    }


def _serial(inputs, analyzers, plugins=()):
    engine = Engine(analyzers=analyzers, plugins=plugins)
    readers = engine.host.readers()
    results, errors = {}, []
    for item in engine.analyze_many(iter_documents([str(i) for i in inputs], readers)):
        if isinstance(item, InputError):
            errors.append(str(item))
        else:
            assert item.document.id not in results
            results[item.document.id] = _comparable(item)
    return results, sorted(errors)


def _shards(folder: Path) -> dict:
    """Every document in the shards, asserting each id appears exactly once."""
    manifest = json.loads((folder / MANIFEST).read_text())
    seen: dict = {}
    for name in manifest["shards"]:
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            data = json.loads(line)
            doc_id = data["document"]["id"]
            assert doc_id not in seen, f"{doc_id} appears twice"
            seen[doc_id] = _comparable(data)
    on_disk = sorted(p.name for p in folder.iterdir())
    assert on_disk == sorted([*manifest["shards"], MANIFEST]), "leftover files in the output"
    return seen


class _Errors:
    def __init__(self):
        self.input_errors: list[str] = []
        self.failures: list[tuple[str, str]] = []
        self.warnings: list[str] = []

    def input_error(self, error):
        self.input_errors.append(str(error))

    def analyzer_failed(self, document, run):
        self.failures.append((document.id, run.name))

    def warning(self, message):
        self.warnings.append(message)


# -- the comparisons -------------------------------------------------------------------


def test_examples_all_analyzers_match_serial_in_shards_and_streaming(cluster, tmp_path):
    expected, errors = _serial([EXAMPLES], None)
    assert len(expected) == 4
    assert not errors
    engine = Engine()
    summary = run_sharded(
        [str(EXAMPLES)], engine, tmp_path / "out", _executor(cluster, partition_mb=0.002)
    )
    assert summary.documents == 4
    assert summary.exit_code == 0
    assert _shards(tmp_path / "out") == expected
    manifest = json.loads((tmp_path / "out" / MANIFEST).read_text())
    assert manifest["partitions"] >= 2  # the files were spread, not sent as one piece
    # Streaming: results come back through the client, in input order.
    readers = engine.host.readers()
    streamed = list(
        engine.analyze_many(
            iter_documents([str(EXAMPLES)], readers), executor=_executor(cluster, chunk_size=1)
        )
    )
    assert [r.document.id for r in streamed] == list(expected)
    assert {r.document.id: _comparable(r) for r in streamed} == expected


def test_generated_corpus_of_500_documents_matches_serial(cluster, corpus, tmp_path):
    analyzers = ["stats", "readability"]
    expected, expected_errors = _serial([corpus], analyzers)
    assert len(expected) == 500
    assert len(expected_errors) == 1
    assert "wire-b.jsonl:" in expected_errors[0]
    ids_without_own = [i for i in expected if i.startswith(str(corpus / "wire-b.jsonl") + ":")]
    assert len(ids_without_own) == 50  # path:line ids must survive the cutting
    errors = _Errors()
    summary = run_sharded(
        [str(corpus)],
        Engine(analyzers=analyzers),
        tmp_path / "out",
        _executor(cluster, partition_mb=0.03),
        reporter=errors,
    )
    got = _shards(tmp_path / "out")
    assert got == expected
    assert sorted(errors.input_errors) == expected_errors
    assert summary.documents == 500
    assert summary.input_errors == 1
    manifest = json.loads((tmp_path / "out" / MANIFEST).read_text())
    assert manifest["partitions"] >= 8


def test_an_analyzer_error_is_recorded_once_per_document_not_retried(cluster, tmp_path):
    plugins = [FaultPlugin("raise")]
    expected, _ = _serial([EXAMPLES], ["stats", "faulty"], plugins)
    errors = _Errors()
    summary = run_sharded(
        [str(EXAMPLES)],
        Engine(analyzers=["stats", "faulty"], plugins=plugins),
        tmp_path / "out",
        _executor(cluster),
        reporter=errors,
    )
    assert _shards(tmp_path / "out") == expected
    assert summary.analyzer_failures == {"faulty": 4}
    assert summary.exit_code == 1
    assert sorted(errors.failures) == sorted((i, "faulty") for i in expected)


def test_a_document_that_kills_its_worker_every_time_is_given_up(cluster, tmp_path):
    """os._exit in an analyzer, as a crash in native code: reported, not retried forever."""
    corpus = tmp_path / "in.jsonl"
    lines = [{"id": f"d{n}", "text": f"Story {n}: the mayor said so."} for n in range(6)]
    lines[3]["text"] = "This one will crash the worker, the mayor said."
    corpus.write_text("".join(json.dumps(d) + "\n" for d in lines), encoding="utf-8")
    engine = Engine(analyzers=["faulty"], plugins=[FaultPlugin("crash_worker")])
    items = list(iter_documents([str(corpus)], engine.host.readers()))
    results = list(engine.analyze_many(items, executor=_executor(cluster, chunk_size=1)))
    assert [r.document.id for r in results] == [f"d{n}" for n in range(6)]
    (lost,) = [r for r in results if r.analyzers[0].status.value == "failed"]
    assert lost.document.id == "d3"
    assert "worker process died" in (lost.analyzers[0].error or "")


@pytest.fixture
def one_worker():
    """One single-threaded worker that is sent every task at once: all share it.

    No retry after a worker death: Dask gives up every task on the worker the
    first time it dies, the one running and those waiting behind it alike.
    """
    settings = {
        "distributed.scheduler.allowed-failures": 0,
        "distributed.scheduler.worker-saturation": float("inf"),
    }
    with _local_cluster(1, settings) as local:
        yield local


def test_a_document_in_flight_beside_a_crashing_one_is_not_given_up(one_worker, tmp_path):
    """Dask blames every task on a dying worker: the innocent one must be retried alone.

    The documents after the first wait on the one worker while it kills it, so
    Dask gives their tasks up too (KilledWorker). Only the one that kills its
    worker when it runs alone is recorded as failed.
    """
    docs = [Document(id="bomb", text="This one will crash the worker, the mayor said.")]
    docs += [Document(id=f"d{n}", text=f"Story {n}: the port reopens.") for n in range(3)]
    engine = Engine(analyzers=["faulty"], plugins=[FaultPlugin("crash_worker_late")])
    results = list(engine.analyze_many(docs, executor=_executor(one_worker, chunk_size=1)))
    assert [r.document.id for r in results] == ["bomb", "d0", "d1", "d2"]
    bomb = results[0].analyzers[0]
    assert bomb.status.value == "failed"
    assert "worker process died" in (bomb.error or "")
    for result in results[1:]:
        assert result.analyzers[0].status.value == "ok", result.analyzers[0].error
        assert result.metrics["faulty.ran"] == 1


def test_a_partition_in_flight_beside_a_crashing_one_is_not_given_up(one_worker, tmp_path):
    """The same for shards: the innocent partition is written, only the other is lost."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a-bomb.txt").write_text("This will crash the worker, the mayor said.")
    bystanders = [inputs / f"b-{n}.txt" for n in range(3)]
    for n, path in enumerate(bystanders):
        path.write_text(f"Story {n}: the port reopens.")
    errors = _Errors()
    summary = run_sharded(
        [str(inputs)],
        Engine(analyzers=["faulty"], plugins=[FaultPlugin("crash_worker_late")]),
        tmp_path / "out",
        _executor(one_worker, partition_mb=0.000001),
        reporter=errors,
    )
    manifest = json.loads((tmp_path / "out" / MANIFEST).read_text())
    assert manifest["partitions"] == 4
    got = _shards(tmp_path / "out")
    assert sorted(got) == [str(path) for path in bystanders]
    assert all(doc["runs"] == [("faulty", "ok", None)] for doc in got.values())
    (lost,) = errors.input_errors
    assert "a-bomb.txt" in lost
    assert "worker process died" in lost
    assert summary.documents == 3


def test_killing_a_worker_mid_partition_keeps_every_document_exactly_once(
    cluster, corpus, tmp_path
):
    # A slow analyzer (50 ms a document) makes each partition take seconds, so the
    # kill lands inside one; its partition is then run again on the replacement.
    plugins = [FaultPlugin("slow")]
    analyzers = ["stats", "faulty"]
    inputs = [str(corpus / "wire-a.jsonl")]
    executor = _executor(cluster, partition_mb=0.05)
    killed: dict = {}

    def kill_a_busy_worker(done, total, summary, words):
        if killed:
            return
        client = executor.client
        busy = {w: keys for w, keys in client.processing().items() if keys}
        assert busy, "no partition was running"
        address = sorted(busy)[0]
        pid = client.run(os.getpid, workers=[address])[address]
        os.kill(pid, signal.SIGKILL)
        killed.update(address=address, pid=pid, keys=busy[address])

    errors = _Errors()
    summary = run_sharded(
        inputs,
        Engine(analyzers=analyzers, plugins=plugins),
        tmp_path / "out",
        executor,
        reporter=errors,
        progress=kill_a_busy_worker,
    )
    assert killed, "the run ended before a worker could be killed"
    assert killed["keys"]
    with pytest.raises(ProcessLookupError):
        os.kill(killed["pid"], 0)
    got = _shards(tmp_path / "out")
    assert sorted(got) == [f"a-{n:03d}" for n in range(300)]
    assert summary.documents == 300
    assert not errors.input_errors
    assert summary.exit_code == 0
    assert all(run[1] == "ok" for doc in got.values() for run in doc["runs"])
    assert all(doc["metrics"]["faulty.ran"] == 1 for doc in got.values())


# -- the command line ------------------------------------------------------------------


def test_cli_executor_dask_with_scheduler_writes_shards(cluster, tmp_path):
    from click.testing import CliRunner

    from copydesk.cli import cli

    out = tmp_path / "results"
    result = CliRunner().invoke(
        cli,
        [
            "analyze",
            str(EXAMPLES),
            "-a",
            "stats",
            "--executor",
            "dask",
            "--scheduler",
            cluster.scheduler_address,
            "--executor-option",
            "partition_mb=0.002",
            "-o",
            f"{out}/",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "4 documents" in result.stderr
    expected, _ = _serial([EXAMPLES], ["stats"])
    assert _shards(out) == expected


def test_an_unknown_executor_option_is_a_one_line_error(tmp_path):
    from click.testing import CliRunner

    from copydesk.cli import cli

    result = CliRunner().invoke(
        cli,
        [
            "analyze",
            str(EXAMPLES),
            "-a",
            "stats",
            "--executor",
            "dask",
            "--executor-option",
            "wokers=2",
            "-o",
            f"{tmp_path}/out/",
        ],
    )
    assert result.exit_code == 2
    assert "wokers" in result.stderr
    assert "scheduler" in result.stderr  # the valid options are listed
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_dask_names_the_extra(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from copydesk.cli import cli

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    result = CliRunner().invoke(
        cli, ["analyze", str(EXAMPLES), "-a", "stats", "--executor", "dask", "-o", "-"]
    )
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "copydesk: error: the dask executor needs distributed, which is not installed: "
        "pip install 'copydesk[dask]'"
    ]


# -- the library -----------------------------------------------------------------------


def test_dask_dataframe_api_gives_the_serial_metrics_and_findings(cluster):
    import dask
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

    from copydesk.dask import analyze

    texts = {
        "a": "Officials said on Monday the port would reopen. It may not.",
        "b": "The minister reportedly resigned after a long and difficult week of talks.",
        "c": "",
    }
    frame = pd.DataFrame({"id": list(texts), "text": list(texts.values())})
    with distributed.Client(cluster.scheduler_address) as client:
        assert client.status == "running"
        metrics, findings = analyze(
            dd.from_pandas(frame, npartitions=2), analyzers=["stats", "hedging"]
        )
        metrics, findings = dask.compute(metrics, findings)
        bag_metrics, _ = analyze(
            db.from_sequence([{"id": "a", "text": texts["a"]}], npartitions=1), analyzers=["stats"]
        )
        bag_metrics = bag_metrics.compute()
    engine = Engine(analyzers=["stats", "hedging"])
    for doc_id in ("a", "b"):
        serial = engine.analyze(Document(id=doc_id, text=texts[doc_id]))
        rows = metrics[(metrics["id"] == doc_id) & (metrics["status"] == "ok")]
        assert dict(zip(rows["metric"], rows["value"], strict=True)) == pytest.approx(
            serial.metrics
        )
        got = findings[findings["id"] == doc_id]
        assert list(zip(got["kind"], got["start"], got["end"], strict=True)) == [
            (f.kind, f.start, f.end) for f in serial.findings
        ]
    assert "reportedly" in set(findings["text"])
    (empty,) = metrics[metrics["id"] == "c"].itertuples()
    assert empty.status == "input_error"
    stats_a = engine.analyze(Document(id="a", text=texts["a"])).metrics["stats.words"]
    assert bag_metrics.set_index("metric").loc["stats.words", "value"] == stats_a
