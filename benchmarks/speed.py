"""Speed benchmark: CLI start-up, each analyzer against bare spaCy, and ``--jobs 2``.

Prints JSON. Numbers, not assertions: CI runs the tests, people run this.

    python benchmarks/speed.py                      # corpus: shared/data/polnear or examples
    python benchmarks/speed.py --corpus FILE.jsonl --limit 40 --rounds 5
    python benchmarks/speed.py --only readability --skip-startup --skip-jobs
    python benchmarks/speed.py --skip-alone --skip-startup --skip-jobs --limit 200

The machine is shared, so one timing means little. Every measurement is taken in
``--rounds`` interleaved rounds (at least 3): in each round, each configuration
runs copydesk (in this process, ``executor="serial"``, whatever ``jobs``
says) and then the bare-spaCy contender back to back (the order swapped
every other round), and the reported ratio is the median of the per-round
ratios, so load that comes and goes hits both sides of a ratio alike. Each round
loads a fresh pipeline for both sides (model loading is not timed), so both
start with spaCy's vocabulary equally cold, as a CLI run does.

The contender is ``nlp.pipe(texts)`` over the same texts with spaCy as shipped:
for one analyzer alone, the components copydesk loads for it (the same names,
spaCy's own implementation of each: copydesk swaps the attribute ruler and the
lemmatizer for table-driven stand-ins that give the same answers); for all
analyzers, the model's full default pipeline. A ``ratio_to_spacy`` under 1 is
copydesk, analyzers included, taking less time than that parse alone.

JSON output (seconds are wall-clock unless named ``cpu``; CPU seconds are the
process's user + system time, all threads; ``words`` counts whitespace-separated
tokens; lists ``[...]`` have one value per round):

* ``startup`` (absent with ``--skip-startup``): ``--help``, ``--version`` and
  ``plugins --all`` as fresh processes, each ``{"median_s", "best_s"}`` over
  ``--repeat`` runs;
* ``corpus``: ``{"source", "documents", "words"}``;
* ``rounds``: the number of rounds;
* ``alone``: for each installed analyzer, a RUN with that analyzer alone (the
  analyzers it requires added); ``all``: a RUN with every installed analyzer;
* a RUN is ``{"analyzers", "needs", "pipeline", "spacy_pipeline", "spacy_batch_size",
  "documents", "words",
  "words_per_second", "cpu_words_per_second", "copydesk", "spacy",
  "spacy_words_per_second", "ratio_to_spacy", "cpu_ratio_to_spacy",
  "model_load_seconds", "parse_seconds", "analyzer_seconds",
  "analyzer_share_of_parse"}``, where ``copydesk`` and ``spacy`` are TIMINGS
  (``spacy`` is null when the configuration needs no spaCy, and so are the
  ratios), ``words_per_second`` is the median over rounds of copydesk's wall
  words/s, ``ratio_to_spacy`` the median per-round copydesk wall / spaCy wall
  (``cpu_ratio_to_spacy`` the same for CPU), and the last four are medians over
  rounds of the engine's own stats (``EngineStats``);
* a TIMINGS is ``{"wall_s": [...], "cpu_s": [...], "median_wall_s",
  "median_cpu_s"}``;
* ``engine_clock``: ``"wall"``, or ``"cpu"`` with ``--cpu-clock``: then the
  engine's own stats (``parse_seconds``, ``analyzer_seconds`` and the shares)
  are CPU seconds of this process (``time.process_time``), not wall seconds (on
  a shared machine the wall-clock shares move with the neighbours' load);
* ``jobs`` (absent with ``--skip-jobs``): the CLI (``python -m copydesk analyze
  CORPUS.jsonl --format jsonl -j N``, start-up and model loading included) with
  ``--jobs-analyzers``, ``{"analyzers", "documents", "words", "j1", "j2",
  "speedup", "cpu_ratio", "same_output"}``: ``j1``/``j2`` are TIMINGS (CPU here
  includes the worker processes), ``speedup`` the median per-round ``-j 1`` wall /
  ``-j 2`` wall, ``cpu_ratio`` the median per-round ``-j 2`` CPU / ``-j 1`` CPU,
  ``same_output`` whether both wrote the same results (run timings aside).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cpu_timing import engine_cpu_clock
from jsonl_rows import read_texts

REPO = Path(__file__).resolve().parent.parent
# shared/ sits beside the repository (or beside the folder of git worktrees).
DEFAULT_CORPUS = next(
    (
        base / "shared" / "data" / "polnear" / "dev.jsonl"
        for base in (REPO.parent, REPO.parent.parent)
        if (base / "shared" / "data" / "polnear" / "dev.jsonl").is_file()
    ),
    REPO.parent / "shared" / "data" / "polnear" / "dev.jsonl",
)


def time_command(args: list[str], repeat: int) -> dict[str, float]:
    """Median and best wall time of a fresh ``python -m copydesk ...`` process."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "copydesk", *args], check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return {"median_s": round(statistics.median(times), 4), "best_s": round(min(times), 4)}


def load_corpus(path: Path | None, limit: int) -> list[str]:
    """Texts from a JSONL file with a ``text`` field, or the example articles."""
    if path is not None and path.is_file():
        return read_texts(path, limit)
    examples = sorted((REPO / "examples" / "articles").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in examples]
    return (texts * (limit // max(len(texts), 1) + 1))[:limit]


def _cpu() -> float:
    """CPU seconds of this process (all threads) and of its waited-for children."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), _cpu()
    work()
    return time.perf_counter() - wall, _cpu() - cpu


def _median_ratio(top: list[float], bottom: list[float]) -> float:
    """Median over rounds of ``top[i] / bottom[i]`` (both measured in round i)."""
    return round(statistics.median(a / b for a, b in zip(top, bottom, strict=True)), 3)


def _timings(wall: list[float], cpu: list[float]) -> dict[str, Any]:
    return {
        "wall_s": [round(v, 4) for v in wall],
        "cpu_s": [round(v, 4) for v in cpu],
        "median_wall_s": round(statistics.median(wall), 4),
        "median_cpu_s": round(statistics.median(cpu), 4),
    }


class Contest:
    """One configuration (a set of analyzers): copydesk against bare spaCy, round by round."""

    def __init__(
        self,
        analyzers: list[str],
        texts: list[str],
        *,
        full: bool = False,
        spacy_batch_size: int | None = None,
    ) -> None:
        self.analyzers = analyzers
        self.full = full
        self.spacy_batch_size = spacy_batch_size
        self.texts = texts
        self.words = sum(len(t.split()) for t in texts)
        self.wall: dict[str, list[float]] = {"copydesk": [], "spacy": []}
        self.cpu: dict[str, list[float]] = {"copydesk": [], "spacy": []}
        self.stats: list[Any] = []
        self.info: dict[str, Any] = {}

    def _engine(self) -> Any:
        from copydesk import Engine

        return Engine(analyzers=self.analyzers, with_deps=True)

    def run_copydesk(self) -> None:
        from copydesk import Document

        engine = self._engine()
        if engine.plan.needs:
            engine.load()  # outside the timed region
        docs = [Document(id=str(i), text=t) for i, t in enumerate(self.texts)]
        results: list[Any] = []
        wall, cpu = _timed(lambda: results.extend(engine.analyze_many(docs, executor="serial")))
        self.wall["copydesk"].append(wall)
        self.cpu["copydesk"].append(cpu)
        self.stats.append(engine.stats)
        nlp = engine.nlp
        self.info = {
            **self.info,
            "analyzers": engine.analyzer_names,
            "needs": sorted(c.value for c in engine.plan.needs),
            "pipeline": list(nlp.pipe_names) if nlp is not None else [],
            "documents": len(results),
        }

    def bare_pipeline(self) -> Any:
        """spaCy as shipped: the model's default pipeline (``full``), or the
        components copydesk loads for these analyzers, with spaCy's own code for
        each (copydesk swaps two for table-driven stand-ins; see fast_components)."""
        import spacy

        from copydesk.nlp import resolve_model

        engine = self._engine()
        ours = engine.load().nlp
        if ours is None:
            return None
        name, meta = resolve_model(engine.config.model)
        if self.full:
            nlp = spacy.load(name)
        else:
            available = list(meta.get("components") or meta.get("pipeline") or [])
            nlp = spacy.load(name, exclude=[c for c in available if c not in ours.pipe_names])
            for component in ours.pipe_names:
                if component in nlp.disabled:
                    nlp.enable_pipe(component)
                elif component not in nlp.pipe_names:
                    nlp.add_pipe(component)  # the sentencizer, for models without a senter
            for component in list(nlp.pipe_names):
                if component not in ours.pipe_names:
                    nlp.remove_pipe(component)  # an embedder nobody listens to
        self.info["spacy_pipeline"] = list(nlp.pipe_names)
        return nlp

    def run_spacy(self) -> None:
        nlp = self.bare_pipeline()
        if nlp is None:
            return
        size = self.spacy_batch_size or nlp.batch_size
        self.info["spacy_batch_size"] = size
        wall, cpu = _timed(lambda: list(nlp.pipe(self.texts, batch_size=size)))
        self.wall["spacy"].append(wall)
        self.cpu["spacy"].append(cpu)

    def round(self, index: int) -> None:
        if index % 2 == 0:
            self.run_copydesk()
            self.run_spacy()
        else:
            self.run_spacy()
            self.run_copydesk()

    def report(self) -> dict[str, Any]:
        ours, theirs = self.wall["copydesk"], self.wall["spacy"]
        ours_cpu, theirs_cpu = self.cpu["copydesk"], self.cpu["spacy"]
        parse = statistics.median(s.parse_seconds for s in self.stats)
        names = sorted({n for s in self.stats for n in s.analyzer_seconds})
        own = {
            n: statistics.median(s.analyzer_seconds.get(n, 0.0) for s in self.stats) for n in names
        }
        out: dict[str, Any] = {
            **self.info,
            "words": self.words,
            "words_per_second": round(statistics.median(self.words / w for w in ours)),
            "cpu_words_per_second": round(statistics.median(self.words / c for c in ours_cpu)),
            "copydesk": _timings(ours, ours_cpu),
            "spacy": _timings(theirs, theirs_cpu) if theirs else None,
            "spacy_words_per_second": round(statistics.median(self.words / w for w in theirs))
            if theirs
            else None,
            "ratio_to_spacy": _median_ratio(ours, theirs) if theirs else None,
            "cpu_ratio_to_spacy": _median_ratio(ours_cpu, theirs_cpu) if theirs else None,
            "model_load_seconds": round(statistics.median(s.load_seconds for s in self.stats), 3),
            "parse_seconds": round(parse, 3),
            "analyzer_seconds": {n: round(v, 4) for n, v in own.items()},
            "analyzer_share_of_parse": {n: round(v / parse, 4) for n, v in own.items()}
            if parse
            else {},
        }
        return out


def _strip_timings(value: Any) -> Any:
    """A CLI result without its run timings, for comparing two runs' outputs."""
    if isinstance(value, dict):
        return {k: _strip_timings(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [_strip_timings(v) for v in value]
    return value


def compare_jobs(texts: list[str], analyzers: list[str], rounds: int) -> dict[str, Any]:
    """``copydesk analyze -j 2`` against ``-j 1`` through the CLI, interleaved."""
    wall: dict[int, list[float]] = {1: [], 2: []}
    cpu: dict[int, list[float]] = {1: [], 2: []}
    outputs: dict[int, Any] = {}
    with tempfile.TemporaryDirectory(prefix="copydesk-speed-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as handle:
            for i, text in enumerate(texts):
                handle.write(json.dumps({"id": str(i), "text": text}) + "\n")
        command = [sys.executable, "-m", "copydesk", "analyze", str(corpus), "--format", "jsonl"]
        if analyzers:
            command += ["--with-deps", *(f"-a{name}" for name in analyzers)]
        for index in range(rounds):
            for jobs in (1, 2) if index % 2 == 0 else (2, 1):
                done: list[subprocess.CompletedProcess[str]] = []

                def work(jobs: int = jobs, done: list[Any] = done) -> None:
                    done.append(
                        subprocess.run(
                            [*command, "-j", str(jobs)], check=True, capture_output=True, text=True
                        )
                    )

                seconds, cpu_seconds = _timed(work)
                wall[jobs].append(seconds)
                cpu[jobs].append(cpu_seconds)
                outputs[jobs] = [
                    _strip_timings(json.loads(line))
                    for line in done[0].stdout.splitlines()
                    if line.strip()
                ]
    return {
        "analyzers": analyzers or "all",
        "documents": len(texts),
        "words": sum(len(t.split()) for t in texts),
        "j1": _timings(wall[1], cpu[1]),
        "j2": _timings(wall[2], cpu[2]),
        "speedup": _median_ratio(wall[1], wall[2]),
        "cpu_ratio": _median_ratio(cpu[2], cpu[1]),
        "same_output": outputs[1] == outputs[2],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=40, help="documents to process")
    parser.add_argument("--repeat", type=int, default=5, help="runs per start-up timing")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (3 or more)")
    parser.add_argument("--only", action="append", help="time only this analyzer alone (repeat)")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--skip-jobs", action="store_true")
    parser.add_argument("--skip-alone", action="store_true", help="time only all analyzers")
    parser.add_argument(
        "--spacy-batch-size",
        type=int,
        default=None,
        help="texts per nlp.pipe batch for bare spaCy (default: the model's, 256 for "
        "en_core_web_sm; copydesk parses in batches of its batch_size, 16)",
    )
    parser.add_argument(
        "--cpu-clock",
        action="store_true",
        help="time the engine's parse and analyzers in CPU seconds, not wall seconds",
    )
    parser.add_argument(
        "--jobs-analyzers",
        default="",
        help="comma-separated analyzers for the -j 2 / -j 1 comparison (default: all)",
    )
    args = parser.parse_args()
    if args.rounds < 3:
        parser.error("--rounds must be 3 or more (the ratios are medians over rounds)")

    from copydesk.plugins import make_plugin_host

    if args.cpu_clock:
        engine_cpu_clock()
    report: dict[str, object] = {"engine_clock": "cpu" if args.cpu_clock else "wall"}
    if not args.skip_startup:
        report["startup"] = {
            "--help": time_command(["--help"], args.repeat),
            "--version": time_command(["--version"], args.repeat),
            "plugins": time_command(["plugins", "--all"], args.repeat),
        }
    texts = load_corpus(args.corpus, args.limit)
    report["corpus"] = {
        "source": str(args.corpus) if args.corpus.is_file() else "examples/articles",
        "documents": len(texts),
        "words": sum(len(t.split()) for t in texts),
    }
    report["rounds"] = args.rounds
    installed = sorted(make_plugin_host().analyzers())
    alone = {
        name: Contest([name], texts, spacy_batch_size=args.spacy_batch_size)
        for name in ([] if args.skip_alone else args.only or installed)
    }
    everything = (
        None
        if args.only
        else Contest(installed, texts, full=True, spacy_batch_size=args.spacy_batch_size)
    )
    contests = [*alone.values(), *([everything] if everything else [])]
    for index in range(args.rounds):
        for contest in contests:
            contest.round(index)
    report["alone"] = {name: contest.report() for name, contest in alone.items()}
    if everything is not None:
        report["all"] = everything.report()
    if not args.skip_jobs:
        chosen = [n.strip() for n in args.jobs_analyzers.split(",") if n.strip()]
        report["jobs"] = compare_jobs(texts, chosen, args.rounds)
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
