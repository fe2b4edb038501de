"""Train the sourcing analyzer's learned cue detector on PolNeAR-style JSONL.

Usage: ``python benchmarks/train_sourcing.py [PATH] [--out FILE] [--limit N]``;
prints JSON (sample counts, training fit) and writes the weights (default: the
shipped ``plugins/copydesk_sourcing/cue_model.json``).

Samples are the candidate tokens the rules did not already use as a cue (see
``copydesk_sourcing.learned.is_candidate``); a sample is positive when it lies
inside a gold cue that no rule cue overlaps, so the model learns only what the
rules miss. The model is an L2-regularised logistic regression fitted by full-batch
gradient descent in numpy over sparse string features. Training scores every noun
followed by a preposition; the weights file keeps the nouns that were cues
(``noun_lemmas``) and the frequent lemmas that never were (``never``), so that the
analyzer scores fewer tokens. Only feature names (parse labels, lemmas), these
lemma lists and weights are written, never article text: PolNeAR states no
data licence. Cross-validated accuracy: ``benchmarks/sourcing_accuracy.py --cv 5``.
"""

from __future__ import annotations

import argparse
import json
import re
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
_WORDS = re.compile(r"\w+")
# A rule relation is dropped when the filter's P(attribution) falls below this.
# Fixed a priori, not tuned: a relation right with probability p raises F1 when
# p > F1 / 2, and the rules' F1 is about 0.75.
KEEP_THRESHOLD = 0.375
# A noun followed by a preposition is a detector candidate when it was inside a
# gold cue this many times in the training articles.
NOUN_MIN_COUNT = 2
# A lemma seen this many times among the training candidates and never in a
# gold cue is not scored at all.
NEVER_MIN_COUNT = 20


def extent_samples(
    ex: Any, rels: Sequence[Any], gold_cues: Sequence[tuple[int, int]]
) -> list[Sample]:
    """For rule cues that overlap a gold cue: each neighbouring phrase the cue could take
    in, positive when most of its words lie in the gold cue (up to the first negative
    on each side, as the analyzer stops there)."""
    from copydesk_sourcing.learned import extent_steps

    out: list[Sample] = []
    text = ex.text
    for rel in rels:
        hits = [g for g in gold_cues if g[0] < rel.cue[1] and rel.cue[0] < g[1]]
        if len(hits) != 1:
            continue
        g0, g1 = hits[0]
        lo, hi = rel.cue
        stopped = {True: False, False: False}
        for feats, (a, b), left in extent_steps(ex, rel):
            if stopped[left]:
                continue
            phrase = (a, lo) if left else (hi, b)
            words = [m.start() for m in _WORDS.finditer(text, *phrase)]
            if not words:
                continue
            inside = sum(1 for w in words if g0 <= w < g1)
            label = int(inside * 2 > len(words))
            out.append((feats, label))
            if label:
                lo, hi = min(lo, a), max(hi, b)
            else:
                stopped[left] = True
    return out


def doc_samples(row: dict[str, Any], doc: Any) -> tuple[list[Sample], list[Sample], list[Sample]]:
    """(features, label) for every candidate token of one parsed article, for
    every rule relation (the filter's samples: positive when its cue overlaps a gold cue)
    and for the phrases next to rule cues (the cue extent model's samples)."""
    from copydesk_sourcing.extract import Extractor
    from copydesk_sourcing.learned import DocView, nested_flags, relation_features
    from copydesk_sourcing.quotes import find_quotes

    text = row["text"]
    ex = Extractor(doc, text, find_quotes(text))
    rels = ex.run()
    rule_cues = [r.cue for r in rels]
    open_gold = [
        tuple(a["cue"])
        for a in row["attributions"]
        if not any(x < a["cue"][1] and a["cue"][0] < y for x, y in rule_cues)
    ]
    view = DocView(ex, rels)
    out: list[Sample] = []
    for tok in view.candidates():
        label = int(any(a <= tok.idx < b for a, b in open_gold))
        out.append((view.features(tok), label))
    gold_cues = [tuple(a["cue"]) for a in row["attributions"]]
    keep = [
        (
            relation_features(ex, rel, nested),
            int(any(x < rel.cue[1] and rel.cue[0] < y for x, y in gold_cues)),
        )
        for rel, nested in zip(rels, nested_flags(rels), strict=True)
    ]
    return out, keep, extent_samples(ex, rels, gold_cues)


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


def held_out_loss(by_doc: Sequence[Sequence[Sample]], l2: float, k: int = 5) -> float:
    """Log loss on articles ``i % k == 0`` of a model fitted on the others (training data only)."""
    from copydesk_sourcing.learned import CueModel

    fit_on = [s for i, d in enumerate(by_doc) if i % k for s in d]
    held = [s for i, d in enumerate(by_doc) if not i % k for s in d]
    raw = fit(fit_on, l2=l2)
    cm = CueModel(raw["weights"], raw["bias"], 0.5)
    eps = 1e-6
    loss = 0.0
    for feats, y in held:
        p = min(1 - eps, max(eps, cm.score(feats)))
        loss -= float(np.log(p if y else 1 - p))
    return loss / max(1, len(held))


def choose_l2(
    by_doc: Sequence[Sequence[Sample]], grid: Sequence[float]
) -> tuple[float, dict[str, float]]:
    """The L2 strength with the lowest held-out log loss (a fold of the training articles)."""
    losses = {str(l2): round(held_out_loss(by_doc, l2), 5) for l2 in grid}
    best = min(grid, key=lambda l2: losses[str(l2)])
    return best, losses


def noun_lemmas(samples: Sequence[Sample], min_count: int = NOUN_MIN_COUNT) -> list[str]:
    """The nouns that were inside a gold cue at least ``min_count`` times among the
    candidates ("support for", "criticism of"): at analysis time only these nouns
    (and the lexicon's cue nouns) are scored, which keeps the candidates few."""
    counts: dict[str, int] = {}
    for feats, label in samples:
        if label and "pos=NOUN" in feats:
            lemma = next(f[6:] for f in feats if f.startswith("lemma="))
            counts[lemma] = counts.get(lemma, 0) + 1
    return sorted(w for w, c in counts.items() if c >= min_count)


def never_cues(samples: Sequence[Sample], min_count: int = NEVER_MIN_COUNT) -> list[str]:
    """Lemmas seen at least ``min_count`` times among the candidates and never inside
    a gold cue: the analyzer does not score them (fewer candidates, the same cues)."""
    seen: dict[str, int] = {}
    cue: set[str] = set()
    for feats, label in samples:
        lemma = next(f[6:] for f in feats if f.startswith("lemma="))
        seen[lemma] = seen.get(lemma, 0) + 1
        if label:
            cue.add(lemma)
    return sorted(w for w, c in seen.items() if c >= min_count and w not in cue)


def train(
    samples: Sequence[Sample],
    threshold: float = 0.5,
    keep_samples: Sequence[Sample] = (),
    keep_threshold: float = KEEP_THRESHOLD,
    l2: float = 1.0,
    keep_l2: float = 1.0,
    extent_samples: Sequence[Sample] = (),
) -> dict[str, Any]:
    model = fit(samples, l2=l2)
    model["threshold"] = threshold
    model["noun_lemmas"] = noun_lemmas(samples)
    model["never"] = never_cues(samples)
    if keep_samples:
        keep = fit(keep_samples, l2=keep_l2)
        keep["threshold"] = keep_threshold
        model["filter"] = keep
    if extent_samples:
        extent = fit(extent_samples, l2=l2)
        extent["threshold"] = 0.5
        model["extent"] = extent
    model["about"] = (
        "Logistic-regression cue detector, relation filter and cue extent for copydesk-sourcing, "
        "learned from PolNeAR train attribution annotations (no data licence stated; weights "
        "only, no text)."
    )
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--out", default=str(MODEL))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument(
        "--l2",
        type=str,
        default="1,3,10,30",
        help="L2 strengths to choose from (by log loss on a held-out fifth of the training"
        " articles), or one value",
    )
    args = parser.parse_args(argv)
    rows = read_rows(Path(args.path), args.limit)
    if rows is None:
        return 1
    docs = parse_rows(rows, Path(args.path).stem)
    pairs = [doc_samples(row, doc) for row, doc in zip(rows, docs, strict=True)]
    samples = [s for cue, _, _ in pairs for s in cue]
    keep_samples = [s for _, keep, _ in pairs for s in keep]
    ext_samples = [s for _, _, ext in pairs for s in ext]
    grid = [float(x) for x in args.l2.split(",")]
    l2, losses = choose_l2([cue for cue, _, _ in pairs], grid) if len(grid) > 1 else (grid[0], {})
    keep_l2, keep_losses = (
        choose_l2([keep for _, keep, _ in pairs], grid) if len(grid) > 1 else (grid[0], {})
    )
    model = train(
        samples, args.threshold, keep_samples, l2=l2, keep_l2=keep_l2, extent_samples=ext_samples
    )
    model["l2"] = {"detector": l2, "filter": keep_l2}
    Path(args.out).write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", "utf-8")
    from copydesk_sourcing.learned import CueModel

    cm = CueModel(model["weights"], model["bias"], model["threshold"])
    pred = [cm.score(f) >= cm.threshold for f, _ in samples]
    tp = sum(1 for p, (_, y) in zip(pred, samples, strict=True) if p and y)
    out = {
        "documents": len(rows),
        "samples": len(samples),
        "positives": sum(y for _, y in samples),
        "extent_samples": len(ext_samples),
        "extent_positives": sum(y for _, y in ext_samples),
        "features": len(model["weights"]),
        "l2": {"detector": l2, "filter": keep_l2},
        "held_out_log_loss": {"detector": losses, "filter": keep_losses},
        "train_fit": {"predicted": sum(pred), "true_positive": tp},
        "out": args.out,
    }
    sys.stdout.write(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
