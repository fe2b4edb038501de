"""Where the sourcing analyzer's source and content spans go wrong, for cues it gets right.

Usage: ``python benchmarks/sourcing_span_errors.py GOLD.jsonl DUMP.jsonl [--examples N]``
where DUMP is written by ``sourcing_accuracy.py GOLD.jsonl --dump DUMP`` (with
``--held-out 5`` on PolNeAR train, GOLD is the whole train file: only the
documents in the dump are read). Prints JSON.

Predicted and gold relations are paired by their cues (one-to-one, most shared
tokens first, as ``sourcing_accuracy.py`` pairs a role). For each pair the
source and the content are compared and put in one class:

* source: ``both_none``, ``exact``, ``too_long`` (the prediction contains the
  gold span), ``too_short`` (the gold span contains the prediction), ``partial``
  (they share words, neither contains the other), ``wrong`` (no shared word),
  ``missing`` (gold has a source, we have none), ``extra`` (gold has none);
* content: ``exact``, ``too_long``, ``too_short``, ``partial``, ``wrong``, over
  the word tokens of the fragments.

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

from sourcing_accuracy import greedy_pairs, norm, prf, score_role, tokens

Span = tuple[int, int]


def pair_by_cue(
    text: str, gold: list[dict[str, Any]], pred: list[dict[str, Any]]
) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs whose cues share a token, most shared first."""
    gtok = [tokens(text, [tuple(g["cue"])], False) for g in gold]
    ptok = [tokens(text, [(p["cue"]["start"], p["cue"]["end"])], False) for p in pred]
    return greedy_pairs(gtok, ptok)


def compare(text: str, gold: list[Span], pred: list[Span]) -> str:
    """exact / too_long / too_short / partial / wrong, over word tokens."""
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold")
    parser.add_argument("dump")
    parser.add_argument("--examples", type=int, default=0, help="N examples per class")
    parser.add_argument(
        "--show", type=str, default=None, help="classes to sample, e.g. source:missing"
    )
    args = parser.parse_args(argv)
    preds = {}
    for line in Path(args.dump).read_text("utf-8").splitlines():
        row = json.loads(line)
        preds[row["id"]] = row["predictions"]
    rows = [
        r
        for r in (
            json.loads(x) for x in Path(args.gold).read_text("utf-8").splitlines() if x.strip()
        )
        if r["id"] in preds
    ]
    src: Counter[str] = Counter()
    con: Counter[str] = Counter()
    examples: dict[str, list[dict[str, Any]]] = {}
    oracle: dict[str, Counter[str]] = {"source": Counter(), "content": Counter()}
    pairs_total = 0
    for row in rows:
        text = row["text"]
        gold = row["attributions"]
        pred = preds[row["id"]]
        pairs = pair_by_cue(text, gold, pred)
        pairs_total += len(pairs)
        gold_of = {j: i for i, j in pairs}
        for i, j in pairs:
            g, p = gold[i], pred[j]
            gs = tuple(g["source"]) if g["source"] else None
            ps = (p["source"]["start"], p["source"]["end"]) if p["source"] else None
            if gs is None and ps is None:
                s_cls = "both_none"
            elif gs is None:
                s_cls = "extra"
            elif ps is None:
                s_cls = "missing"
            else:
                s_cls = compare(text, [gs], [ps])
            src[s_cls] += 1
            gc = [tuple(s) for s in g["content_spans"]]
            pc = [(c["start"], c["end"]) for c in p["content_fragments"]]
            c_cls = compare(text, gc, pc) if pc else "missing"
            con[c_cls] += 1
            for role, cls, gsp, psp in (
                ("source", s_cls, [gs] if gs else [], [ps] if ps else []),
                ("content", c_cls, gc, pc),
            ):
                key = f"{role}:{cls}"
                examples.setdefault(key, []).append(
                    {
                        "doc": row["id"],
                        "rule": p["rule"],
                        "cue": p["cue"]["text"],
                        "gold": " | ".join(text[a:b] for a, b in gsp),
                        "pred": " | ".join(text[a:b] for a, b in psp),
                        "sentence": text[
                            max(0, min([g["cue"][0], *(a for a, _ in gsp + psp)]) - 40) : max(
                                [g["cue"][1], *(b for _, b in gsp + psp)]
                            )
                            + 40
                        ],
                    }
                )
        # oracle: paired predictions take the gold span
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
                    o_src.append([(p["source"]["start"], p["source"]["end"])])
                o_con.append([(c["start"], c["end"]) for c in p["content_fragments"]])
        for k, v in score_role(text, g_src, o_src).items():
            oracle["source"][k] += v
        for k, v in score_role(text, g_con, o_con).items():
            oracle["content"][k] += v
    has_pred_src = sum(v for k, v in src.items() if k not in ("both_none", "missing"))
    has_gold_src = sum(v for k, v in src.items() if k not in ("both_none", "extra"))
    src_ok = sum(
        v
        for k, v in src.items()
        if k in ("exact", "exact_words", "too_long", "too_short", "partial")
    )
    out: dict[str, Any] = {
        "documents": len(rows),
        "paired_cues": pairs_total,
        "source_classes": dict(src.most_common()),
        "content_classes": dict(con.most_common()),
        "source_given_cue": {
            "overlap": prf(src_ok, has_pred_src, has_gold_src),
            "exact": prf(src["exact"] + src["exact_words"], has_pred_src, has_gold_src),
            "gold_no_source_given_one": f"{src['extra']} / {src['extra'] + src['both_none']}",
            "gold_source_we_have_none": f"{src['missing']} / {has_gold_src}",
        },
        "content_given_cue": {
            "overlap": round(1 - (con["wrong"] + con["missing"]) / max(pairs_total, 1), 4),
            "exact": round((con["exact"] + con["exact_words"]) / max(pairs_total, 1), 4),
        },
        "oracle_overlap_f1": {
            role: prf(c["overlap"], c["pred"], c["gold"])["f1"] for role, c in oracle.items()
        },
        "oracle_exact_f1": {
            role: prf(c["exact"], c["pred"], c["gold"])["f1"] for role, c in oracle.items()
        },
    }
    if args.examples:
        rnd = random.Random(0)
        wanted = set(args.show.split(",")) if args.show else set(examples)
        out["examples"] = {
            k: rnd.sample(v, min(args.examples, len(v))) for k, v in examples.items() if k in wanted
        }
    sys.stdout.write(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
