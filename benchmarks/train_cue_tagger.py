"""EXPERIMENT (issue 14): a spaCy neural B/I/O cue tagger over the shared parse.

Usage::

    python benchmarks/train_cue_tagger.py TRAIN.jsonl --dev-path DEV.jsonl \
        [--held-out 5] [--max-epochs 3] [--max-steps 0] [--out /tmp/cue-tagger]

Why: the shipped cue detector scores one verb at a time; PolNeAR's cues are
spans and a sequence model sees the neighbours' labels. This trains a spaCy
``tagger`` (its own small tok2vec: MultiHashEmbed + 4 maxout CNN layers, width
96) with ``spacy train`` on CPU, on the training folds of TRAIN only (articles
``i % held_out != 0``; one in ten of those is spaCy's dev set for model
selection, never the held-out fold and never PolNeAR dev). The component runs
after the shared parse, so its embeddings also read the parse's TAG, DEP,
LEMMA, POS and entity type, and (through MORPH, which the copy it tags does not
otherwise need) the rules' cue/content/quotation B/I flags, as the CRF
experiment's features did.

It then prints JSON with, on the held-out fold: (1) the tagger's spans alone
as cues, (2) the shipped pipeline (models trained on the same folds) plus the
tagged spans no predicted cue overlaps, and (3) the CPU seconds the tagger
(copying the parse + predicting) and the shipped detector (``learned_relations``)
take over the articles of DEV, interleaved rounds. Cue scoring is
``sourcing_accuracy.score_all``'s.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import spacy
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.util import registry

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jsonl_rows import read_rows

Range = tuple[int, int]
TokenSpan = tuple[int, int]
LABELS = ("O", "B", "I")

CONFIG = """
[paths]
train = null
dev = null

[system]
seed = 0
gpu_allocator = null

[nlp]
lang = "en"
pipeline = ["tagger"]
batch_size = 64

[components]

[components.tagger]
factory = "tagger"
# The copy it tags keeps the parse's TAG (a feature): the labels must overwrite it.
overwrite = true
scorer = {"@scorers": "copydesk_cue_scorer.v1"}

[components.tagger.model]
@architectures = "spacy.Tagger.v2"
nO = null
normalize = false

[components.tagger.model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[components.tagger.model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 96
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE", "LEMMA", "TAG", "DEP", "POS", "ENT_TYPE", "MORPH"]
rows = [5000, 1000, 2500, 2500, 5000, 200, 200, 100, 100, 200]
include_static_vectors = false

[components.tagger.model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 96
depth = 4
window_size = 1
maxout_pieces = 3

[corpora]

[corpora.train]
@readers = "copydesk_cue_corpus.v1"
path = ${paths.train}

[corpora.dev]
@readers = "copydesk_cue_corpus.v1"
path = ${paths.dev}

[training]
seed = ${system.seed}
gpu_allocator = ${system.gpu_allocator}
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
dropout = 0.1
accumulate_gradient = 1
patience = 1600
max_epochs = 3
max_steps = 0
eval_frequency = 200
frozen_components = []
annotating_components = []
before_to_disk = null
before_update = null

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2
size = 1000
get_length = null

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = false
eps = 0.00000001
learn_rate = 0.001

[training.score_weights]
cue_f = 1.0
cue_p = 0.0
cue_r = 0.0

[pretraining]

[initialize]
vectors = null
init_tok2vec = null
vocab_data = null
lookups = null
before_init = null
after_init = null

[initialize.components]

[initialize.tokenizer]
"""


def _mask(doc: Doc, spans: Sequence[Range]) -> list[int]:
    """Per token: 0 outside the character spans, 1 first token of one, 2 inside one
    (the CRF experiment's ``cue_tagger._mask``)."""
    import numpy as np
    from spacy.attrs import IDX, LENGTH

    arr = doc.to_array([IDX, LENGTH]).astype(np.int64)
    idx, ends = arr[:, 0], arr[:, 0] + arr[:, 1]
    out = np.zeros(len(doc), dtype=np.int8)
    for a, b in spans:
        lo = int(np.searchsorted(ends, a, side="right"))
        hi = int(np.searchsorted(idx, b, side="left"))
        if lo < hi:
            out[lo:hi] = 2
            out[lo] = 1
    return [int(x) for x in out.tolist()]


def spans_from_tags(tags: Sequence[str], offset: int = 0) -> list[TokenSpan]:
    """Token ranges of the B/I runs (an I after O opens a span)."""
    out: list[TokenSpan] = []
    start = -1
    for k, t in enumerate(tags):
        if t == "B" or (t == "I" and start < 0):
            if start >= 0:
                out.append((offset + start, offset + k))
            start = k
        elif t == "O" and start >= 0:
            out.append((offset + start, offset + k))
            start = -1
    if start >= 0:
        out.append((offset + start, offset + len(tags)))
    return out


def rule_view(doc: Doc, text: str) -> tuple[list[Range], list[Range], list[Range]]:
    """The rules' cues, their contents and the quotations (character ranges)."""
    from copydesk_sourcing.extract import Extractor
    from copydesk_sourcing.quotes import find_quotes

    ex = Extractor(doc, text, find_quotes(text))
    rels = ex.run()
    return (
        [r.cue for r in rels],
        [c for r in rels for c in r.content],
        [(q.start, q.end) for q in ex.quotes.quotes],
    )


def featurize(doc: Doc, view: tuple[list[Range], list[Range], list[Range]]) -> Doc:
    """A copy of the parse whose MORPH holds the rules' flags (cue, content, quotation)."""
    out = doc.copy()
    cue, content, quote = (_mask(doc, spans) for spans in view)
    names = "OBI"
    for tok, c, ct, q in zip(out, cue, content, quote, strict=True):
        cast(Any, tok).set_morph(f"Ct={names[ct]}|Q={names[q]}|Rc={names[c]}")
    return out


def gold_doc(doc: Doc, cues: Sequence[Range]) -> Doc:
    """Words of ``doc`` with the gold B/I/O cue labels as tags."""
    tags = [LABELS[f] for f in _mask(doc, cues)]
    return Doc(
        doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc], tags=tags
    )


def sentence_docs(doc: Doc) -> list[Doc]:
    return [s.as_doc() for s in doc.sents]


def cue_corpus(path: Path) -> Callable[[Any], Iterator[Example]]:
    """Examples from ``path``/pred.spacy (featurized parses) and ref.spacy (gold tags)."""

    def read(nlp: Any) -> Iterator[Example]:
        preds = DocBin().from_disk(Path(path) / "pred.spacy").get_docs(nlp.vocab)
        refs = DocBin().from_disk(Path(path) / "ref.spacy").get_docs(nlp.vocab)
        for p, r in zip(preds, refs, strict=True):
            yield Example(p, r)

    return read


def make_cue_scorer() -> Callable[..., dict[str, float]]:
    """Exact cue-span P/R/F over the examples (spaCy's dev score for model selection)."""

    def score(examples: Sequence[Example], **_: Any) -> dict[str, float]:
        tp = npred = ngold = 0
        for eg in examples:
            pred = set(spans_from_tags([t.tag_ for t in eg.predicted]))
            gold = set(spans_from_tags([t.tag_ for t in eg.reference]))
            tp += len(pred & gold)
            npred += len(pred)
            ngold += len(gold)
        p = tp / npred if npred else 0.0
        r = tp / ngold if ngold else 0.0
        return {"cue_p": p, "cue_r": r, "cue_f": 2 * p * r / (p + r) if p + r else 0.0}

    return score


registry.readers.register("copydesk_cue_corpus.v1", func=cue_corpus)
registry.scorers.register("copydesk_cue_scorer.v1", func=make_cue_scorer)


def write_corpus(path: Path, pairs: Sequence[tuple[Doc, Doc]]) -> int:
    path.mkdir(parents=True, exist_ok=True)
    preds, refs = DocBin(), DocBin()
    n = 0
    for pred, ref in pairs:
        for p, r in zip(sentence_docs(pred), _split_like(ref, pred), strict=True):
            preds.add(p)
            refs.add(r)
            n += len(p)
    preds.to_disk(path / "pred.spacy")
    refs.to_disk(path / "ref.spacy")
    return n


def _split_like(ref: Doc, pred: Doc) -> list[Doc]:
    """``ref`` cut at ``pred``'s sentence boundaries (same tokens)."""
    return [ref[s.start : s.end].as_doc() for s in pred.sents]


class NeuralCueTagger:
    """The trained pipeline; ``tag`` gives cue token spans without touching the parse."""

    def __init__(self, model_dir: Path) -> None:
        self.nlp = spacy.load(model_dir)
        self.tagger = cast(Any, self.nlp.get_pipe("tagger"))
        self.labels: list[str] = list(self.tagger.labels)

    def tag(self, doc: Doc, view: tuple[list[Range], list[Range], list[Range]]) -> list[TokenSpan]:
        feat = featurize(doc, view)
        scores = self.tagger.model.predict([feat])[0]
        ids = scores.argmax(axis=1).tolist()
        return spans_from_tags([self.labels[i] for i in ids])

    def tag_scored(
        self, doc: Doc, view: tuple[list[Range], list[Range], list[Range]]
    ) -> list[tuple[TokenSpan, float]]:
        """The spans with the tagger's confidence: its lowest top probability in the span."""
        feat = featurize(doc, view)
        scores = self.tagger.model.predict([feat])[0]
        ids = scores.argmax(axis=1).tolist()
        top = scores.max(axis=1).tolist()
        spans = spans_from_tags([self.labels[i] for i in ids])
        return [((a, b), float(min(top[a:b]))) for a, b in spans]


def cue_finding(doc: Doc, span: TokenSpan, rule: str = "neural_tagger") -> Any:
    """A stand-in for an attribution finding with only a cue (for ``score_all``)."""
    from types import SimpleNamespace

    a, b = span
    start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
    data: dict[str, Any] = {
        "cue": {"start": start, "end": end},
        "source": None,
        "content_fragments": [],
        "cue_kind": "other",
        "rule": rule,
    }
    return SimpleNamespace(data=data)


def _cue_only(scores: dict[str, Any]) -> dict[str, Any]:
    cue = scores["cue"]
    return {"overlap": cue["overlap"], "exact": cue["exact"], "counts": cue["counts"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="PolNeAR train JSONL")
    parser.add_argument("--dev-path", required=True, help="PolNeAR dev JSONL (CPU timing only)")
    parser.add_argument("--held-out", type=int, default=5)
    parser.add_argument("--max-epochs", type=int, default=3)
    parser.add_argument("--max-steps", type=int, default=0)
    parser.add_argument("--eval-frequency", type=int, default=200)
    parser.add_argument("--out", default="/tmp/cue-tagger")
    parser.add_argument("--skip-train", action="store_true", help="reuse OUT/model-best")
    parser.add_argument("--limit", type=int, default=None, help="first N articles (smoke test)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved CPU timing rounds")
    args = parser.parse_args(argv)
    rows = read_rows(Path(args.path), args.limit)
    dev_rows = read_rows(Path(args.dev_path), args.limit)
    if rows is None or dev_rows is None:
        return 1
    from parse_cache import engine_nlp, parse_texts

    nlp = engine_nlp()
    docs = parse_texts([r["text"] for r in rows], nlp, Path(args.path).stem)
    k = args.held_out
    out = Path(args.out)
    report: dict[str, Any] = {"held_out": f"articles i % {k} == 0 of {Path(args.path).name}"}
    views = [rule_view(d, r["text"]) for d, r in zip(docs, rows, strict=True)]
    model_dir = out / "model-best"
    if not args.skip_train:
        train_idx = [i for i in range(len(rows)) if i % k != 0 and i % (2 * k) != 1]
        sdev_idx = [i for i in range(len(rows)) if i % (2 * k) == 1]

        def pairs(idx: list[int]) -> list[tuple[Doc, Doc]]:
            return [
                (
                    featurize(docs[i], views[i]),
                    gold_doc(docs[i], [tuple(a["cue"]) for a in rows[i]["attributions"]]),
                )
                for i in idx
            ]

        ntrain = write_corpus(out / "train", pairs(train_idx))
        ndev = write_corpus(out / "dev", pairs(sdev_idx))
        report["data"] = {
            "train_articles": len(train_idx),
            "train_tokens": ntrain,
            "spacy_dev_articles": len(sdev_idx),
            "spacy_dev_tokens": ndev,
        }
        (out / "config.cfg").write_text(CONFIG, "utf-8")
        from spacy.cli.train import train

        cpu0, wall0 = time.process_time(), time.perf_counter()
        train(
            out / "config.cfg",
            out,
            use_gpu=-1,
            overrides={
                "paths.train": str(out / "train"),
                "paths.dev": str(out / "dev"),
                "training.max_epochs": args.max_epochs,
                "training.max_steps": args.max_steps,
                "training.eval_frequency": args.eval_frequency,
            },
        )
        report["training"] = {
            "cpu_s": round(time.process_time() - cpu0, 1),
            "wall_s": round(time.perf_counter() - wall0, 1),
            "max_epochs": args.max_epochs,
            "max_steps": args.max_steps,
        }
        meta = json.loads((model_dir / "meta.json").read_text("utf-8"))
        report["training"]["best_spacy_dev"] = meta.get("performance")
    tagger = NeuralCueTagger(model_dir)

    import sourcing_accuracy as sa

    held = [i for i in range(len(rows)) if i % k == 0]
    scored = {i: tagger.tag_scored(docs[i], views[i]) for i in held}
    tagged = {i: [s for s, _p in scored[i]] for i in held}
    held_rows = [rows[i] for i in held]
    alone = [[cue_finding(docs[i], s) for s in tagged[i]] for i in held]
    report["tagger_alone"] = _cue_only(sa.score_all(held_rows, alone, None))

    results = sa.cross_validated(rows, docs, k, (0.5, None, 0.5), one_fold=True)
    shipped = [list(results[i].findings_of("sourcing", "attribution")) for i in held]
    report["shipped_pipeline"] = _cue_only(sa.score_all(held_rows, shipped, None))
    vna = ("VERB", "NOUN", "ADJ")
    variants: list[tuple[str, tuple[str, ...] | None, float]] = [
        ("all", None, 0.0),
        ("verb_noun_adj_root", vna, 0.0),
        ("verb_noun_adj_root_p70", vna, 0.7),
        ("verb_noun_adj_root_p85", vna, 0.85),
        ("verb_noun_adj_root_p95", vna, 0.95),
    ]
    for name, pos_ok, min_p in variants:
        merged = []
        added = 0
        for i, preds in zip(held, shipped, strict=True):
            taken = [(f.data["cue"]["start"], f.data["cue"]["end"]) for f in preds]
            extra = []
            for s, conf in scored[i]:
                if conf < min_p:
                    continue
                f = cue_finding(docs[i], s)
                a, b = f.data["cue"]["start"], f.data["cue"]["end"]
                if any(x < b and a < y for x, y in taken):
                    continue
                if pos_ok and docs[i][s[0] : s[1]].root.pos_ not in pos_ok:
                    continue
                extra.append(f)
            added += len(extra)
            merged.append(preds + extra)
        report[f"shipped_plus_tagger_{name}"] = {
            "added": added,
            **_cue_only(sa.score_all(held_rows, merged, None)),
        }

    report["cpu_per_dev_corpus"] = cpu_costs(
        dev_rows, nlp, Path(args.dev_path).stem, tagger, args.rounds
    )
    sys.stdout.write(json.dumps(report, indent=2) + "\n")
    return 0


def cpu_costs(
    rows: list[dict[str, Any]], nlp: Any, name: str, tagger: NeuralCueTagger, rounds: int
) -> dict[str, Any]:
    """CPU seconds over all ``rows``: the shipped detector vs the tagger, interleaved."""
    from copydesk_sourcing.extract import Extractor
    from copydesk_sourcing.learned import CueModel, learned_relations
    from copydesk_sourcing.quotes import find_quotes
    from parse_cache import parse_texts

    docs = parse_texts([r["text"] for r in rows], nlp, name)
    model = CueModel.load()
    prepared = []
    for doc, row in zip(docs, rows, strict=True):
        ex = Extractor(doc, row["text"], find_quotes(row["text"]))
        rels = ex.run()
        view = (
            [r.cue for r in rels],
            [c for r in rels for c in r.content],
            [(q.start, q.end) for q in ex.quotes.quotes],
        )
        prepared.append((ex, rels, doc, view))
    det: list[float] = []
    tag: list[float] = []
    for _ in range(rounds):
        t0 = time.process_time()
        for ex, rels, _doc, _view in prepared:
            learned_relations(ex, model, rels)
        det.append(round(time.process_time() - t0, 3))
        t0 = time.process_time()
        for _ex, _rels, doc, view in prepared:
            tagger.tag(doc, view)
        tag.append(round(time.process_time() - t0, 3))
    return {"articles": len(rows), "detector_cpu_s": det, "tagger_cpu_s": tag}


if __name__ == "__main__":
    raise SystemExit(main())
