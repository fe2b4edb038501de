"""Accuracy of the entities analyzer against gold, next to bare spaCy on the same parse.

Two gold sets (see their READMEs):

* ``uner_english/dev.jsonl``: sentences with PER/ORG/LOC spans. Sentences of one
  source document are joined (with a space) so both systems see article context;
  spaCy labels map PERSON->PER, ORG->ORG, GPE/LOC/FAC->LOC, others are ignored.
* ``uner_english/dev_ewt.jsonl``: the same scheme on web text (blogs, reviews,
  e-mail); not news, but a second check that a label rule is not fitted to PUD.
* ``gum_news_entities/dev.jsonl``: whole Wikinews articles whose named mentions
  carry gold coreference ``cluster`` ids.

Both systems read the *same* spaCy parse (the copydesk engine's NER-only
pipeline), so the difference is exactly what trimming, relabelling and merging do:

* ``spacy``: ``doc.ents`` as they come; merging baseline = identical string.
* ``copydesk``: the entities analyzer's findings (trimmed, relabelled) and its
  ``entity_id`` merging.
* ``copydesk_with_parser``: the same analyzer on a pipeline that also has the
  tagger and parser, as in a run where another analyzer (sourcing, hedging)
  asked for them; the entities analyzer then also reads dependency cues. NER
  output is identical in both pipelines (its model has its own embedding layer),
  so the difference is exactly the parse cues. ``--no-parser`` skips this run.

``seconds`` gives, per run, the time spent in the spaCy pipeline and in the
entities analyzer itself.

Scores: exact-span P/R/F1 (label-blind and label-aware); head/overlap match
(a gold mention is found when a prediction with the same label contains its
head token - GUM - or overlaps it - UNER; a prediction is correct when it
overlaps a gold mention of its label); and for GUM, merging scores (pairwise and
B-cubed P/R/F1 over the gold named mentions each system matched).
``label_confusion`` counts the predictions whose span is exactly a gold span but
whose label is not, as ``"gold->predicted"`` (``"LOC->ORG": 37``): the label
errors alone, apart from span errors.

Usage: ``python benchmarks/entities_accuracy.py [--uner PATH] [--ewt PATH] [--gum PATH]
[--limit N] [--no-parser]``.
Prints JSON on stdout.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from copydesk import AnalysisContext, AnalyzedDocument, Capability, Document, Engine
from copydesk_entities import EntitiesAnalyzer

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
LABEL_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}

# (start, end, label, cluster-or-entity key)
Pred = tuple[int, int, str, str]


def read_jsonl(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The first ``limit`` JSON lines of ``path`` (all when None)."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    return rows[:limit] if limit else rows


def uner_documents(path: Path, limit: int | None) -> list[dict[str, Any]]:
    """Sentences grouped by ``doc_id``; gold offsets shifted into the joined text."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in read_jsonl(path):
        grouped[row["doc_id"]].append(row)
    docs = []
    for doc_id, rows in grouped.items():
        text, entities = "", []
        for row in rows:
            if text:
                text += " "
            offset = len(text)
            text += row["text"]
            for ent in row["entities"]:
                entities.append({**ent, "start": ent["start"] + offset, "end": ent["end"] + offset})
        docs.append({"id": doc_id, "text": text, "entities": entities})
    return docs[:limit] if limit else docs


class Timer:
    """Seconds spent in the spaCy pipeline and in the analyzer, per run."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def summary(self) -> dict[str, float]:
        return {k: round(v, 2) for k, v in sorted(self.seconds.items())}


def run_analyzer(
    analyzer: EntitiesAnalyzer, doc_id: str, text: str, spacy_doc: Any, timer: Timer, run: str
) -> list[Pred]:
    """The analyzer's mentions (mapped labels only) on an existing parse."""
    ctx = AnalysisContext(
        "entities", AnalyzedDocument(document=Document(id=doc_id, text=text)), spacy_doc
    )
    started = time.perf_counter()
    analyzer.analyze(ctx)
    timer.seconds[f"{run}_analyzer"] += time.perf_counter() - started
    return [
        (f.start, f.end, LABEL_MAP[f.label], f.data["entity_id"])
        for f in ctx.new_findings
        if f.label in LABEL_MAP
    ]


def predict(
    pipelines: dict[str, Any], analyzer: EntitiesAnalyzer, doc_id: str, text: str, timer: Timer
) -> dict[str, list[Pred]]:
    """Bare spaCy and copydesk predictions (mapped labels only), on the NER-only
    parse and, when ``pipelines`` has one, on the parse with tagger and parser."""
    started = time.perf_counter()
    spacy_doc = pipelines["ner"](text)
    timer.seconds["ner_pipeline"] += time.perf_counter() - started
    bare: list[Pred] = [
        (e.start_char, e.end_char, LABEL_MAP[e.label_], e.text)
        for e in spacy_doc.ents
        if e.label_ in LABEL_MAP
    ]
    out = {"spacy": bare, "copydesk": run_analyzer(analyzer, doc_id, text, spacy_doc, timer, "ner")}
    if "parser" in pipelines:
        started = time.perf_counter()
        parsed = pipelines["parser"](text)
        timer.seconds["parser_pipeline"] += time.perf_counter() - started
        out["copydesk_with_parser"] = run_analyzer(analyzer, doc_id, text, parsed, timer, "parser")
    return out


def prf(tp_p: int, n_pred: int, tp_r: int, n_gold: int) -> dict[str, float]:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


class SpanScorer:
    """Accumulates exact and head/overlap matches over documents."""

    def __init__(self) -> None:
        self.n_gold = self.n_pred = 0
        self.exact = self.exact_labeled = 0
        self.gold_found = self.pred_correct = 0
        self.gold_found_any = self.pred_correct_any = 0
        # Exact spans whose label differs, as "gold->predicted" ("LOC->ORG").
        self.confusion: Counter[str] = Counter()

    def add(self, gold: list[dict[str, Any]], preds: list[Pred]) -> None:
        self.n_gold += len(gold)
        self.n_pred += len(preds)
        gold_spans = {(g["start"], g["end"]) for g in gold}
        gold_labeled = {(g["start"], g["end"], g["label"]) for g in gold}
        self.exact += sum((s, e) in gold_spans for s, e, _, _ in preds)
        self.exact_labeled += sum((s, e, lab) in gold_labeled for s, e, lab, _ in preds)
        gold_label = {(g["start"], g["end"]): g["label"] for g in gold}
        for start, end, label, _ in preds:
            expected = gold_label.get((start, end))
            if expected is not None and expected != label:
                self.confusion[f"{expected}->{label}"] += 1
        for g in gold:
            hits = [p for p in preds if covers(p, g)]
            self.gold_found += any(p[2] == g["label"] for p in hits)
            self.gold_found_any += bool(hits)
        for pred in preds:
            overlapping = [g for g in gold if pred[0] < g["end"] and g["start"] < pred[1]]
            self.pred_correct += any(g["label"] == pred[2] for g in overlapping)
            self.pred_correct_any += bool(overlapping)

    def summary(self) -> dict[str, Any]:
        return {
            "predicted": self.n_pred,
            "exact": prf(self.exact, self.n_pred, self.exact, self.n_gold),
            "exact_labeled": prf(self.exact_labeled, self.n_pred, self.exact_labeled, self.n_gold),
            "match": prf(self.pred_correct_any, self.n_pred, self.gold_found_any, self.n_gold),
            "match_labeled": prf(self.pred_correct, self.n_pred, self.gold_found, self.n_gold),
            "label_confusion": dict(self.confusion.most_common()),
        }


def covers(pred: Pred, gold: dict[str, Any]) -> bool:
    """Head-token containment when the gold has a head, else overlap."""
    if "head" in gold:
        head_start, head_end = (int(x) for x in gold["head"])
        return pred[0] <= head_start and head_end <= pred[1]
    return pred[0] < int(gold["end"]) and int(gold["start"]) < pred[1]


class CorefScorer:
    """Pairwise and B-cubed scores over gold named mentions a system matched."""

    def __init__(self) -> None:
        self.matched = self.total = 0
        self.pair_tp = self.pair_pred = self.pair_gold = 0
        self.b3_p = self.b3_r = 0.0

    def add(self, gold: list[dict[str, Any]], preds: list[Pred], *, by_string: bool) -> None:
        self.total += len(gold)
        assigned: list[tuple[str, str]] = []  # (gold cluster, predicted entity)
        for g in gold:
            hits = [p for p in preds if covers(p, g)]
            if hits:
                key = hits[0][3]
                assigned.append((g["cluster"], key.casefold().strip() if by_string else key))
        self.matched += len(assigned)
        for (g1, p1), (g2, p2) in itertools.combinations(assigned, 2):
            same_gold, same_pred = g1 == g2, p1 == p2
            self.pair_gold += same_gold
            self.pair_pred += same_pred
            self.pair_tp += same_gold and same_pred
        for cluster, entity in assigned:
            pred_set = [x for x in assigned if x[1] == entity]
            gold_set = [x for x in assigned if x[0] == cluster]
            both = sum(1 for x in pred_set if x[0] == cluster)
            self.b3_p += both / len(pred_set)
            self.b3_r += both / len(gold_set)

    def summary(self) -> dict[str, Any]:
        n = self.matched
        b3p = self.b3_p / n if n else 0.0
        b3r = self.b3_r / n if n else 0.0
        return {
            "gold_mentions_matched": n,
            "gold_mentions": self.total,
            "pairwise": prf(self.pair_tp, self.pair_pred, self.pair_tp, self.pair_gold),
            "b_cubed": {
                "p": round(b3p, 4),
                "r": round(b3r, 4),
                "f1": round(2 * b3p * b3r / (b3p + b3r), 4) if b3p + b3r else 0.0,
            },
        }


def evaluate(
    docs: Iterable[dict[str, Any]],
    pipelines: dict[str, Any],
    analyzer: EntitiesAnalyzer,
    *,
    coref: bool,
) -> dict[str, Any]:
    systems = ["spacy", "copydesk"] + (["copydesk_with_parser"] if "parser" in pipelines else [])
    spans = {system: SpanScorer() for system in systems}
    merges = {system: CorefScorer() for system in systems}
    timer = Timer()
    n_docs = n_gold = 0
    for doc in docs:
        n_docs += 1
        n_gold += len(doc["entities"])
        preds = predict(pipelines, analyzer, doc["id"], doc["text"], timer)
        for system, scorer in spans.items():
            scorer.add(doc["entities"], preds[system])
            if coref:
                merges[system].add(doc["entities"], preds[system], by_string=system == "spacy")
    out: dict[str, Any] = {"documents": n_docs, "gold_mentions": n_gold}
    for system in spans:
        out[system] = spans[system].summary()
        if coref:
            out[system]["merging"] = merges[system].summary()
    out["seconds"] = timer.summary()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uner", type=Path, default=DATA / "uner_english" / "dev.jsonl")
    parser.add_argument("--ewt", type=Path, default=DATA / "uner_english" / "dev_ewt.jsonl")
    parser.add_argument("--gum", type=Path, default=DATA / "gum_news_entities" / "dev.jsonl")
    parser.add_argument("--limit", type=int, default=None, help="Documents per data set.")
    parser.add_argument(
        "--no-parser", action="store_true", help="Skip the run with tagger and parser loaded."
    )
    args = parser.parse_args(argv)
    engine = Engine(analyzers=["entities"], strict=True)
    analyzer = EntitiesAnalyzer()
    pipelines: dict[str, Any] = {"ner": engine.load().nlp}
    if not args.no_parser:
        from copydesk.nlp import load_pipeline

        needs = frozenset({Capability.NER, Capability.TAGGER, Capability.PARSER})
        pipelines["parser"] = load_pipeline(engine.config.model, needs)
    report: dict[str, Any] = {"model": engine.nlp.meta["name"] if engine.nlp else None}
    if args.uner.exists():
        report["uner_english"] = evaluate(
            uner_documents(args.uner, args.limit), pipelines, analyzer, coref=False
        )
    else:
        print(f"skipping UNER: {args.uner} not found", file=sys.stderr)
    if args.ewt.exists():
        report["uner_english_ewt"] = evaluate(
            uner_documents(args.ewt, args.limit), pipelines, analyzer, coref=False
        )
    else:
        print(f"skipping UNER EWT: {args.ewt} not found", file=sys.stderr)
    if args.gum.exists():
        gum = read_jsonl(args.gum, args.limit)
        report["gum_news_entities"] = evaluate(gum, pipelines, analyzer, coref=True)
    else:
        print(f"skipping GUM: {args.gum} not found", file=sys.stderr)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
