"""How often do copydesk's rule splitter and spaCy's segmenters agree on sentence ends?

Readability reads only sentence boundaries. Run alone it used to load spaCy's
``senter`` for them; with other analyzers it gets the parser's. This compares,
on news text, the sentence ends of copydesk's own rule splitter
(``copydesk.sentences.split_sentences``) and of spaCy's rule ``sentencizer``
with the ``senter``'s and the parser's, each after the same clean-up copydesk
applies to spaCy's sentences (closing quotes given back, a line break always an
end). Prints JSON: per segmenter, sentence count and, against each reference,
precision / recall / F1 of sentence-end offsets, and the CPU seconds each took.

    python benchmarks/sentence_agreement.py --corpus ../shared/data/polnear/dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from copydesk.sentences import reattach_closing_quotes, split_sentences
from jsonl_rows import read_texts

Spans = list[tuple[int, int]]


def spacy_splitter(nlp: Any) -> Callable[[list[str]], list[Spans]]:
    def split(texts: list[str]) -> list[Spans]:
        out = []
        for text, doc in zip(texts, nlp.pipe(texts), strict=True):
            spans = [(s.start_char, s.end_char) for s in doc.sents]
            out.append(reattach_closing_quotes(text, spans))
        return out

    return split


def agreement(ours: list[Spans], reference: list[Spans]) -> dict[str, float]:
    """Precision, recall and F1 of sentence ends (the last sentence's end excluded)."""
    hit = found = expected = 0
    for a, b in zip(ours, reference, strict=True):
        ends_a = {end for _, end in a[:-1]}
        ends_b = {end for _, end in b[:-1]}
        hit += len(ends_a & ends_b)
        found += len(ends_a)
        expected += len(ends_b)
    precision = hit / found if found else 1.0
    recall = hit / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--model", default="en_core_web_sm")
    args = parser.parse_args()

    import spacy

    from copydesk.nlp import resolve_model

    name, _meta = resolve_model(args.model)
    texts = read_texts(args.corpus, args.limit)
    senter = spacy.load(name, exclude=["tok2vec", "tagger", "parser", "ner", "lemmatizer"])
    senter.enable_pipe("senter")
    senter.remove_pipe("attribute_ruler")
    parser_nlp = spacy.load(name, exclude=["ner", "lemmatizer", "attribute_ruler", "senter"])
    sentencizer = spacy.blank("en")
    sentencizer.add_pipe("sentencizer")
    splitters: dict[str, Callable[[list[str]], list[Spans]]] = {
        "rules": lambda ts: [split_sentences(t) for t in ts],
        "sentencizer": spacy_splitter(sentencizer),
        "senter": spacy_splitter(senter),
        "parser": spacy_splitter(parser_nlp),
    }
    results: dict[str, list[Spans]] = {}
    seconds: dict[str, float] = {}
    for label, split in splitters.items():
        started = time.process_time()
        results[label] = split(texts)
        seconds[label] = round(time.process_time() - started, 3)
    words = sum(len(t.split()) for t in texts)
    report: dict[str, Any] = {
        "corpus": str(args.corpus),
        "documents": len(texts),
        "words": words,
        "segmenters": {
            label: {
                "sentences": sum(len(s) for s in spans),
                "cpu_seconds": seconds[label],
                "cpu_words_per_second": round(words / seconds[label]) if seconds[label] else None,
                "against_senter": agreement(spans, results["senter"]),
                "against_parser": agreement(spans, results["parser"]),
            }
            for label, spans in results.items()
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
