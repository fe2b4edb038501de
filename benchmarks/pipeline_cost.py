"""Where a spaCy pipeline spends its CPU time, component by component.

Issue 16: copydesk is the parse plus the analyzers, so it can only beat the bare
parse by not running parts of it that no analyzer reads. This measures what each
part of a pipeline costs on news text, to know what is worth skipping: the
tokenizer, then each component in pipeline order, each fed the whole corpus
through its own ``pipe`` (so batching matches ``nlp.pipe``). CPU seconds
(``time.process_time``) per round, rounds interleaved; the reported share is the
median over rounds. Prints JSON.

    python benchmarks/pipeline_cost.py --corpus ../shared/data/polnear/dev.jsonl
    python benchmarks/pipeline_cost.py --corpus FILE.jsonl --limit 200 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from jsonl_rows import read_texts


def one_round(nlp: Any, texts: list[str], batch_size: int) -> dict[str, float]:
    """CPU seconds of the tokenizer and of each component over ``texts``."""
    out: dict[str, float] = {}
    started = time.process_time()
    docs = [nlp.make_doc(text) for text in texts]
    out["tokenizer"] = time.process_time() - started
    for name, proc in nlp.pipeline:
        started = time.process_time()
        docs = list(proc.pipe(docs, batch_size=batch_size))
        out[name] = time.process_time() - started
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", default="en_core_web_sm")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument(
        "--accelerate",
        action="store_true",
        help="swap in copydesk's table-driven attribute ruler and lemmatizer first",
    )
    args = parser.parse_args()

    import spacy

    from copydesk.nlp import resolve_model

    name, _meta = resolve_model(args.model)
    nlp = spacy.load(name)
    if args.accelerate:
        from copydesk.fast_components import accelerate

        accelerate(nlp)
    texts = read_texts(args.corpus, args.limit)
    rounds = [one_round(nlp, texts, args.batch_size) for _ in range(args.rounds)]
    parts = list(rounds[0])
    median = {p: statistics.median(r[p] for r in rounds) for p in parts}
    total = sum(median.values())
    words = sum(len(t.split()) for t in texts)
    report = {
        "corpus": str(args.corpus),
        "documents": len(texts),
        "words": words,
        "model": name,
        "accelerated": args.accelerate,
        "pipeline": nlp.pipe_names,
        "rounds": args.rounds,
        "cpu_seconds": {p: round(v, 3) for p, v in median.items()},
        "share": {p: round(v / total, 4) for p, v in median.items()},
        "total_cpu_seconds": round(total, 3),
        "cpu_words_per_second": round(words / total),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
