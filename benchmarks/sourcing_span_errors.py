"""Where the sourcing analyzer's source and content spans go wrong, for cues it gets right.

Usage: ``python benchmarks/sourcing_span_errors.py GOLD.jsonl DUMP.jsonl [--examples N]``
where DUMP is written by ``sourcing_accuracy.py GOLD.jsonl --dump DUMP`` (with
``--held-out 5`` on PolNeAR train, GOLD is the whole train file: only the
documents in the dump are read). Prints JSON.

Predicted and gold relations are paired by their cues (one-to-one, most shared
tokens first, as ``sourcing_accuracy.py`` pairs a role). For each pair the
source and the content are compared and put in one class:

* source: ``both_none``, ``exact``, ``exact_words`` (the same words, the edges
  differ beyond the trimmed punctuation), ``too_long`` (the prediction contains
  the gold span), ``too_short`` (the gold span contains the prediction),
  ``partial`` (they share words, neither contains the other), ``wrong`` (no
  shared word), ``missing`` (gold has a source, we have none), ``extra`` (gold
  has none);
* content: ``exact``, ``exact_words``, ``too_long``, ``too_short``,
  ``partial``, ``wrong``, over the word tokens of the fragments, and
  ``missing`` (we have no fragment).

``oracle``: the overlap F1 of source and content when every paired relation's
span is replaced by the gold one (unpaired predictions unchanged), that is the
most a span fix can gain without a better cue.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jsonl_rows import read_rows
from sourcing_accuracy import greedy_pairs, norm, prf, score_role, tokens

Span = tuple[int, int]
# Characters of text shown on either side of an example's cue and spans.
_CONTEXT_CHARS = 40
# Source classes where both sides have a source and share a word.
_SOURCE_OVERLAPS = ("exact", "exact_words", "too_long", "too_short", "partial")


def pair_by_cue(
    text: str, gold: list[dict[str, Any]], pred: list[dict[str, Any]]
) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs whose cues share a token, most shared first."""
    gtok = [tokens(text, [tuple(g["cue"])], False) for g in gold]
    ptok = [tokens(text, [_span(p["cue"])], False) for p in pred]
    return greedy_pairs(gtok, ptok)


def compare(text: str, gold: list[Span], pred: list[Span]) -> str:
    """exact / exact_words / too_long / too_short / partial / wrong, over word tokens."""
    if sorted(norm(text, s) for s in gold) == sorted(norm(text, s) for s in pred):
        return "exact"
    gt, pt = tokens(text, gold), tokens(text, pred)
    if not gt & pt:
        return "wrong"
    if gt == pt:
        return "exact_words"
    if gt < pt:
        return "too_long"
    if pt < gt:
        return "too_short"
    return "partial"


def source_class(text: str, gold: Span | None, pred: Span | None) -> str:
    """The source's class: ``compare`` when both sides have one, else who lacks it."""
    if gold is None and pred is None:
        return "both_none"
    if gold is None:
        return "extra"
    if pred is None:
        return "missing"
    return compare(text, [gold], [pred])


def _span(d: dict[str, Any]) -> Span:
    """A predicted span (``{"start": ..., "end": ...}``) as a pair."""
    return d["start"], d["end"]


def _gold_source(relation: dict[str, Any]) -> Span | None:
    source = relation["source"]
    return (source[0], source[1]) if source else None


def _pred_source(relation: dict[str, Any]) -> Span | None:
    return _span(relation["source"]) if relation["source"] else None


def _example(
    text: str,
    doc: str,
    gold: dict[str, Any],
    pred: dict[str, Any],
    gsp: list[Span],
    psp: list[Span],
) -> dict[str, Any]:
    """One pair's spans as text, with the stretch of text around the cue and both spans."""
    start = max(0, min([gold["cue"][0], *(a for a, _ in gsp + psp)]) - _CONTEXT_CHARS)
    end = max([gold["cue"][1], *(b for _, b in gsp + psp)]) + _CONTEXT_CHARS
    return {
        "doc": doc,
        "rule": pred["rule"],
        "cue": pred["cue"]["text"],
        "gold": " | ".join(text[a:b] for a, b in gsp),
        "pred": " | ".join(text[a:b] for a, b in psp),
        "sentence": text[start:end],
    }


def _oracle_counts(
    text: str, gold: list[dict[str, Any]], pred: list[dict[str, Any]], gold_of: dict[int, int]
) -> tuple[dict[str, int], dict[str, int]]:
    """``score_role`` counts for source and content once each paired prediction
    takes its gold relation's spans."""
    g_src = [[tuple(a["source"])] for a in gold if a["source"]]
    g_con = [[tuple(s) for s in a["content_spans"]] for a in gold]
    o_src, o_con = [], []
    for j, p in enumerate(pred):
        if j in gold_of:
            ga = gold[gold_of[j]]
            if ga["source"]:
                o_src.append([tuple(ga["source"])])
            o_con.append([tuple(s) for s in ga["content_spans"]])
        else:
            if p["source"]:
                o_src.append([_span(p["source"])])
            o_con.append([_span(c) for c in p["content_fragments"]])
    return score_role(text, g_src, o_src), score_role(text, g_con, o_con)


class SpanErrors:
    """The classes, examples and oracle counts, summed over documents."""

    def __init__(self) -> None:
        self.documents = 0
        self.pairs = 0
        self.source: Counter[str] = Counter()
        self.content: Counter[str] = Counter()
        self.examples: dict[str, list[dict[str, Any]]] = {}
        self.oracle: dict[str, Counter[str]] = {"source": Counter(), "content": Counter()}

    def add(self, row: dict[str, Any], pred: list[dict[str, Any]]) -> None:
        """One document: its gold row and its dumped predictions."""
        text = row["text"]
        gold = row["attributions"]
        pairs = pair_by_cue(text, gold, pred)
        self.documents += 1
        self.pairs += len(pairs)
        for i, j in pairs:
            g, p = gold[i], pred[j]
            gs, ps = _gold_source(g), _pred_source(p)
            s_cls = source_class(text, gs, ps)
            self.source[s_cls] += 1
            gc = [tuple(s) for s in g["content_spans"]]
            pc = [_span(c) for c in p["content_fragments"]]
            c_cls = compare(text, gc, pc) if pc else "missing"
            self.content[c_cls] += 1
            for role, cls, gsp, psp in (
                ("source", s_cls, [gs] if gs else [], [ps] if ps else []),
                ("content", c_cls, gc, pc),
            ):
                self.examples.setdefault(f"{role}:{cls}", []).append(
                    _example(text, row["id"], g, p, gsp, psp)
                )
        source, content = _oracle_counts(text, gold, pred, {j: i for i, j in pairs})
        self.oracle["source"].update(source)
        self.oracle["content"].update(content)

    def summary(self) -> dict[str, Any]:
        src, con, pairs = self.source, self.content, self.pairs
        has_pred_src = sum(v for k, v in src.items() if k not in ("both_none", "missing"))
        has_gold_src = sum(v for k, v in src.items() if k not in ("both_none", "extra"))
        src_ok = sum(v for k, v in src.items() if k in _SOURCE_OVERLAPS)
        return {
            "documents": self.documents,
            "paired_cues": pairs,
            "source_classes": dict(src.most_common()),
            "content_classes": dict(con.most_common()),
            "source_given_cue": {
                "overlap": prf(src_ok, has_pred_src, has_gold_src),
                "exact": prf(src["exact"] + src["exact_words"], has_pred_src, has_gold_src),
                "gold_no_source_given_one": f"{src['extra']} / {src['extra'] + src['both_none']}",
                "gold_source_we_have_none": f"{src['missing']} / {has_gold_src}",
            },
            "content_given_cue": {
                "overlap": round(1 - (con["wrong"] + con["missing"]) / max(pairs, 1), 4),
                "exact": round((con["exact"] + con["exact_words"]) / max(pairs, 1), 4),
            },
            "oracle_overlap_f1": {
                role: prf(c["overlap"], c["pred"], c["gold"])["f1"]
                for role, c in self.oracle.items()
            },
            "oracle_exact_f1": {
                role: prf(c["exact"], c["pred"], c["gold"])["f1"] for role, c in self.oracle.items()
            },
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold")
    parser.add_argument("dump")
    parser.add_argument("--examples", type=int, default=0, help="N examples per class")
    parser.add_argument(
        "--show", type=str, default=None, help="classes to sample, e.g. source:missing"
    )
    args = parser.parse_args(argv)
    dumped = read_rows(Path(args.dump))
    gold_rows = read_rows(Path(args.gold))
    if dumped is None or gold_rows is None:
        return 1
    preds = {row["id"]: row["predictions"] for row in dumped}
    errors = SpanErrors()
    for row in gold_rows:
        if row["id"] in preds:
            errors.add(row, preds[row["id"]])
    out = errors.summary()
    if args.examples:
        rnd = random.Random(0)
        wanted = set(args.show.split(",")) if args.show else set(errors.examples)
        out["examples"] = {
            k: rnd.sample(v, min(args.examples, len(v)))
            for k, v in errors.examples.items()
            if k in wanted
        }
    sys.stdout.write(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
