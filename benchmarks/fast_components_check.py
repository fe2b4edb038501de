"""Do copydesk's table-driven attribute ruler and lemmatizer give spaCy's answers?

``copydesk.fast_components`` replaces en_core_web_sm's ``attribute_ruler`` and
``lemmatizer`` with lookups that must produce the same part of speech,
morphology, lemma (and tag and dependency label, which two of the ruler's rules
set) for every token. This runs the model as shipped and as copydesk loads it
over the same texts, in the same order, and counts the tokens that differ.
Prints JSON (``differences`` lists the first few).

    python benchmarks/fast_components_check.py --corpus ../shared/data/polnear/dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from jsonl_rows import read_texts


def token_rows(doc: Any) -> list[tuple[str, str, str, str, str, int]]:
    """What the two components set, token by token (plus the head, as a guard)."""
    return [(t.pos_, t.tag_, t.dep_, str(t.morph), t.lemma_, t.head.i) for t in doc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--model", default="en_core_web_sm")
    args = parser.parse_args()

    import spacy

    from copydesk.fast_components import accelerate
    from copydesk.nlp import resolve_model

    name, _meta = resolve_model(args.model)
    texts = read_texts(args.corpus, args.limit)
    shipped = spacy.load(name)
    fast = spacy.load(name)
    swapped = accelerate(fast)
    seconds: dict[str, float] = {}
    rows: dict[str, list[list[tuple[str, str, str, str, str, int]]]] = {}
    for label, nlp in (("spacy", shipped), ("copydesk", fast)):
        started = time.process_time()
        docs = list(nlp.pipe(texts, batch_size=16))
        seconds[label] = round(time.process_time() - started, 2)
        rows[label] = [token_rows(d) for d in docs]
    tokens = sum(len(r) for r in rows["spacy"])
    differences: list[dict[str, object]] = []
    count = 0
    for number, (ours, theirs) in enumerate(zip(rows["copydesk"], rows["spacy"], strict=True)):
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            if a != b:
                count += 1
                if len(differences) < 10:
                    differences.append({"doc": number, "token": i, "copydesk": a, "spacy": b})
    report = {
        "corpus": str(args.corpus),
        "documents": len(texts),
        "tokens": tokens,
        "swapped": swapped,
        "pipeline": fast.pipe_names,
        "differing_tokens": count,
        "differences": differences,
        "cpu_seconds": seconds,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
