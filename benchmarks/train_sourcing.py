"""Train the sourcing analyzer's learned cue detector on PolNeAR-style JSONL.

Usage: ``python benchmarks/train_sourcing.py [PATH] [--out FILE] [--limit N]``;
prints JSON (sample counts, training fit) and writes the weights (default: the
shipped ``plugins/copydesk_sourcing/cue_model.json``).

Samples are the candidate tokens the rules did not already use as a cue (see
``copydesk_sourcing.learned.is_candidate``); a sample is positive when it lies
inside a gold cue that no rule cue overlaps, so the model learns only what the
rules miss. The model is an L2-regularised logistic regression fitted by full-batch
gradient descent in numpy over sparse string features. Only feature names (parse
labels, lemmas) and weights are written, never article text: PolNeAR states no
data licence. Cross-validated accuracy: ``benchmarks/sourcing_accuracy.py --cv 5``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from jsonl_rows import read_rows

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "data" / "polnear" / "train.jsonl"
MODEL = ROOT / "plugins" / "copydesk_sourcing" / "cue_model.json"

Sample = tuple[list[str], int]
# A rule relation is dropped when the filter's P(attribution) falls below this.
# Fixed a priori, not tuned: a relation right with probability p raises F1 when
# p > F1 / 2, and the rules' F1 is about 0.75.
KEEP_THRESHOLD = 0.375


def doc_samples(row: dict[str, Any], doc: Any) -> tuple[list[Sample], list[Sample]]:
    """(features, label) for every candidate token of one parsed article, and for
    every rule relation (the filter's samples: positive when its cue overlaps a gold cue)."""
    from copydesk_sourcing.extract import Extractor
    from copydesk_sourcing.learned import (
        content_ranges,
        features,
        in_ranges,
        is_candidate,
        relation_features,
    )
    from copydesk_sourcing.quotes import find_quotes

    text = row["text"]
    ex = Extractor(doc, text, find_quotes(text))
    rels = ex.run()
    cued: set[int] = set()
    for rel in rels:
        span = doc.char_span(rel.cue[0], rel.cue[1], alignment_mode="expand")
        if span is not None:
            cued.update(t.i for t in span)
    rule_cues = [r.cue for r in rels]
    open_gold = [
        tuple(a["cue"])
        for a in row["attributions"]
        if not any(x < a["cue"][1] and a["cue"][0] < y for x, y in rule_cues)
    ]
    contents = content_ranges(rels)
    out: list[Sample] = []
    for tok in doc:
        if (
            tok.i in cued
            or not is_candidate(tok)
            or any(c.i in cued for c in tok.children)
            or ex.quotes.inside(tok.idx)
        ):
            continue
        covered_head = tok.head.i in cued and tok.head.i != tok.i
        label = int(any(a <= tok.idx < b for a, b in open_gold))
        in_content = in_ranges(contents, tok.idx)
        out.append((features(tok, False, covered_head, in_content), label))
    gold_cues = [tuple(a["cue"]) for a in row["attributions"]]
    keep = [
        (
            relation_features(ex, rel),
            int(any(x < rel.cue[1] and rel.cue[0] < y for x, y in gold_cues)),
        )
        for rel in rels
    ]
    return out, keep


def parse_rows(rows: Sequence[dict[str, Any]], name: str = "corpus") -> list[Any]:
    """Parse with the same pipeline the engine gives the sourcing analyzer (cached on disk)."""
    from parse_cache import parse_texts

    return parse_texts([r["text"] for r in rows], name=name)


def fit(
    samples: Sequence[Sample], l2: float = 1.0, steps: int = 400, min_count: int = 2
) -> dict[str, Any]:
    """Logistic regression by Adam on sparse features; returns the weights file's dict."""
    counts: dict[str, int] = {}
    for feats, _ in samples:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
    rows: list[int] = []
    cols: list[int] = []
    for r, (feats, _) in enumerate(samples):
        for f in set(feats):
            j = vocab.get(f)
            if j is not None:
                rows.append(r)
                cols.append(j)
    row_idx = np.asarray(rows, dtype=np.int64)
    col_idx = np.asarray(cols, dtype=np.int64)
    y = np.asarray([lab for _, lab in samples], dtype=np.float64)
    n, v = len(samples), len(vocab)
    w = np.zeros(v)
    b = float(np.log((y.mean() + 1e-6) / (1 - y.mean() + 1e-6)))
    m_w, s_w = np.zeros(v), np.zeros(v)
    m_b = s_b = 0.0
    lr, beta1, beta2, eps = 0.05, 0.9, 0.999, 1e-8
    for t in range(1, steps + 1):
        z = b + np.bincount(row_idx, weights=w[col_idx], minlength=n)
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        g = p - y
        grad_w = np.bincount(col_idx, weights=g[row_idx], minlength=v) / n + l2 * w / n
        grad_b = float(g.mean())
        m_w = beta1 * m_w + (1 - beta1) * grad_w
        s_w = beta2 * s_w + (1 - beta2) * grad_w**2
        m_b = beta1 * m_b + (1 - beta1) * grad_b
        s_b = beta2 * s_b + (1 - beta2) * grad_b**2
        w -= lr * (m_w / (1 - beta1**t)) / (np.sqrt(s_w / (1 - beta2**t)) + eps)
        b -= lr * (m_b / (1 - beta1**t)) / (np.sqrt(s_b / (1 - beta2**t)) + eps)
    names = sorted(vocab, key=vocab.__getitem__)
    weights = {f: round(float(w[vocab[f]]), 4) for f in names if abs(w[vocab[f]]) >= 1e-3}
    return {"bias": round(b, 4), "weights": weights}


def train(
    samples: Sequence[Sample],
    threshold: float = 0.5,
    keep_samples: Sequence[Sample] = (),
    keep_threshold: float = KEEP_THRESHOLD,
) -> dict[str, Any]:
    model = fit(samples)
    model["threshold"] = threshold
    if keep_samples:
        keep = fit(keep_samples)
        keep["threshold"] = keep_threshold
        model["filter"] = keep
    model["about"] = (
        "Logistic-regression cue detector for copydesk-sourcing, learned from PolNeAR dev "
        "attribution annotations (no data licence stated; weights only, no text)."
    )
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--out", default=str(MODEL))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args(argv)
    rows = read_rows(Path(args.path), args.limit)
    if rows is None:
        return 1
    docs = parse_rows(rows, Path(args.path).stem)
    pairs = [doc_samples(row, doc) for row, doc in zip(rows, docs, strict=True)]
    samples = [s for cue, _ in pairs for s in cue]
    keep_samples = [s for _, keep in pairs for s in keep]
    model = train(samples, args.threshold, keep_samples)
    Path(args.out).write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", "utf-8")
    from copydesk_sourcing.learned import CueModel

    cm = CueModel(model["weights"], model["bias"], model["threshold"])
    pred = [cm.score(f) >= cm.threshold for f, _ in samples]
    tp = sum(1 for p, (_, y) in zip(pred, samples, strict=True) if p and y)
    out = {
        "documents": len(rows),
        "samples": len(samples),
        "positives": sum(y for _, y in samples),
        "features": len(model["weights"]),
        "train_fit": {"predicted": sum(pred), "true_positive": tp},
        "out": args.out,
    }
    sys.stdout.write(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
