"""Accuracy of the sourcing analyzer on PolNeAR (attribution relations in news).

Usage: ``python benchmarks/sourcing_accuracy.py [PATH] [--limit N]``; prints JSON.

Each role (cue, source, content) is scored on its own, as in the PARC/PolNeAR
literature: predicted and gold spans of the role are paired one-to-one (greedy,
largest overlap first) and

* ``exact``: the spans are equal after trimming whitespace and edge punctuation
  (, . ; : and quotation marks) from both;
* ``overlap``: the spans share at least one word token. Content is compared
  through its fragments (PolNeAR's ``content_spans`` and our
  ``content_fragments``), so "he said" inside a quotation is not counted.

Gold relations without a source (``Attribution-no-source``) count for cue and
content but not for source; so do our ``unattributed`` findings. PolNeAR is
univocal (nested attributions are not annotated), which costs us precision on
"Reuters reported that officials said ...", where we find both.

``speech_cue_recall`` is recall (overlap) over gold cues containing a speech
lemma (say, tell, report, announce, add, ... see ``SPEECH``), since PolNeAR also
counts cues like "planned" or "believes".
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

from jsonl_rows import read_rows

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "data" / "polnear" / "dev.jsonl"
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\w+|[^\w\s]")  # a lone dash or colon can be a cue
_EDGE = " \t\n\u00a0,.;:\"'\u201c\u201d\u2018\u2019"
SPEECH = frozenset(
    """
    say tell report announce add claim state write ask explain confirm according note
    warn reveal insist argue acknowledge admit deny declare tweet reply respond comment
    stress emphasize mention testify allege assert contend predict promise pledge vow
    urge recall describe suggest cite reiterate repeat retort counter accuse criticize
    demand propose speak quote post answer continue
    """.split()
)
_IRREGULAR = {
    "said": "say",
    "told": "tell",
    "wrote": "write",
    "written": "write",
    "spoke": "speak",
    "spoken": "speak",
}

Span = tuple[int, int]


def is_speech_cue(cue: str) -> bool:
    """True when a word of the cue is an inflection of a speech lemma."""
    for word in _WORD.findall(cue.lower()):
        if _IRREGULAR.get(word) in SPEECH:
            return True
        cands = {word, word[:-1], word[:-2], word[:-3], word[:-3] + "e", word[:-3] + "y"}
        if word.endswith("ied"):
            cands.add(word[:-3] + "y")
        if cands & SPEECH:
            return True
    return False


def norm(text: str, span: Span) -> Span:
    a, b = span
    while a < b and text[a] in _EDGE:
        a += 1
    while b > a and text[b - 1] in _EDGE:
        b -= 1
    return a, b


def tokens(text: str, frags: list[Span], words_only: bool = True) -> set[int]:
    """Start offsets of the tokens inside the fragments (words, or also punctuation)."""
    pattern = _WORD if words_only else _TOKEN
    out: set[int] = set()
    for a, b in frags:
        out.update(m.start() for m in pattern.finditer(text, a, b))
    return out


def greedy_pairs(gold: list[set[int]], pred: list[set[int]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs of token sets that share a
    token, the pairs sharing most taken first (ties: higher indices first)."""
    cands = sorted(
        ((len(g & p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred) if g & p),
        reverse=True,
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _shared, i, j in cands:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out.append((i, j))
    return out


def score_role(
    text: str, gold: list[list[Span]], pred: list[list[Span]], words_only: bool = True
) -> dict[str, int]:
    """Exact and overlap matches for one role in one document (one-to-one)."""
    gtok = [tokens(text, g, words_only) for g in gold]
    ptok = [tokens(text, p, words_only) for p in pred]
    gnorm = [sorted(norm(text, s) for s in g) for g in gold]
    pnorm = [sorted(norm(text, s) for s in p) for p in pred]
    overlap = len(greedy_pairs(gtok, ptok))
    exact = 0
    used_p2: set[int] = set()
    for g in gnorm:
        for j, p in enumerate(pnorm):
            if j not in used_p2 and g == p:
                exact += 1
                used_p2.add(j)
                break
    return {"gold": len(gold), "pred": len(pred), "exact": exact, "overlap": overlap}


def prf(match: int, pred: int, gold: int) -> dict[str, float]:
    p = match / pred if pred else 0.0
    r = match / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def build_parser() -> argparse.ArgumentParser:
    """The command line (a function so that tests can check what a run is labelled)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument(
        "--cv",
        type=int,
        default=0,
        help="K: score with learned cue weights trained on the other K-1 folds (by article)",
    )
    parser.add_argument(
        "--held-out",
        type=int,
        default=0,
        help="K: train on articles i %% K != 0 of PATH, score on the others (one --cv fold;"
        " for tuning on the training portion)",
    )
    parser.add_argument(
        "--rules-only", action="store_true", help="turn the learned cue detector off"
    )
    parser.add_argument(
        "--threshold", type=float, default=0.5, help="cue probability threshold for --cv"
    )
    parser.add_argument(
        "--keep-threshold", type=float, default=None, help="filter threshold for --cv"
    )
    parser.add_argument(
        "--extent-threshold", type=float, default=0.5, help="cue extent threshold for --cv"
    )
    parser.add_argument(
        "--no-filter", action="store_true", help="--cv without the learned relation filter"
    )
    parser.add_argument(
        "--nested",
        action="store_true",
        help="nested_attributions=true: the filter judges nested relations as if alone",
    )
    parser.add_argument(
        "--weights",
        type=str,
        default=None,
        help="weights file for the learned models (default: the shipped ones)",
    )
    parser.add_argument(
        "--errors", type=str, default=None, help="write per-document misses to this file"
    )
    parser.add_argument(
        "--dump", type=str, default=None, help="write each document's predictions (JSONL) here"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if (args.cv or args.held_out) and (args.rules_only or args.weights or args.nested):
        parser.error("--rules-only, --weights and --nested apply without --cv/--held-out only")
    rows = read_rows(Path(args.path), args.limit)
    if rows is None:
        return 1

    from copydesk import Document, Engine
    from parse_cache import CachedPipeline, engine_nlp, parse_texts

    texts = [r["text"] for r in rows]
    nlp = engine_nlp()
    parsed = parse_texts(texts, nlp, Path(args.path).stem)
    started = time.perf_counter()
    if args.cv or args.held_out:
        results = cross_validated(
            rows,
            parsed,
            args.cv or args.held_out,
            (args.threshold, args.keep_threshold, args.extent_threshold),
            args.no_filter,
            args.held_out > 0,
        )
        if args.held_out:
            keep = [i for i in range(len(rows)) if i % args.held_out == 0]
            rows, results = [rows[i] for i in keep], [results[i] for i in keep]
    else:
        settings: dict[str, Any] = {}
        if args.rules_only:
            settings["learned_cues"] = False
        if args.weights:
            settings["cue_model_path"] = args.weights
        if args.nested:
            settings["nested_attributions"] = True
        engine = Engine(
            analyzers=["sourcing"],
            with_deps=True,
            strict=True,
            settings={"sourcing": settings},
            nlp=CachedPipeline(nlp, texts, parsed),  # type: ignore[arg-type]
        )
        docs = [Document(id=r["id"], text=r["text"]) for r in rows]
        results = list(engine.analyze_serial(docs))  # in this process: the parses are cached here
    seconds = time.perf_counter() - started

    preds_by_doc = [list(result.findings_of("sourcing", "attribution")) for result in results]
    if args.dump:
        dump_predictions(Path(args.dump), rows, preds_by_doc)
    plain = score_all(rows, preds_by_doc, args.errors)
    univocal = score_all(rows, [univocal_view(p) for p in preds_by_doc], None)
    out: dict[str, Any] = {"documents": len(rows), "seconds": round(seconds, 2)}
    out["mode"] = run_mode(args)
    if args.cv:
        out["cross_validation"] = f"{args.cv}-fold by article (learned cue weights)"
    if args.held_out:
        out["held_out"] = f"articles i % {args.held_out} == 0, models trained on the others"
    out.update(plain)
    out["univocal_view"] = {
        "note": "extra view: predicted attributions whose cue lies inside another predicted"
        " attribution's content are dropped, as PolNeAR annotates one level only",
        **{
            role: {k: plain_v for k, plain_v in univocal[role].items() if k != "counts"}
            for role in ("cue", "source", "content")
        },
    }
    sys.stdout.write(json.dumps(out, indent=2) + "\n")
    return 0


def run_mode(args: argparse.Namespace) -> str:
    """What produced the scores, for the JSON: fold-trained weights are not the shipped ones."""
    if args.cv or args.held_out:
        trained = (
            f"{args.cv}-fold cross-validation" if args.cv else f"fold 0 of {args.held_out} held out"
        )
        keep = args.keep_threshold if args.keep_threshold is not None else "default"
        mode = (
            f"weights trained per fold on {Path(args.path).name} ({trained}; thresholds:"
            f" cue {args.threshold}, filter {keep}, extent {args.extent_threshold})"
        )
        return mode + (", no relation filter" if args.no_filter else "")
    if args.rules_only:
        return "rules only (learned_cues=false)"
    if args.weights:
        return f"weights {args.weights}"
    return "shipped weights (trained on PolNeAR train only)"


def dump_predictions(path: Path, rows: list[dict[str, Any]], preds_by_doc: list[list[Any]]) -> None:
    """One line per document: its id and each attribution's spans, rule and cue lemma."""
    keys = ("cue", "source", "content_fragments", "rule", "cue_lemma", "cue_kind")
    with path.open("w", encoding="utf-8") as fh:
        for row, preds in zip(rows, preds_by_doc, strict=True):
            items = [{k: f.data[k] for k in keys} for f in preds]
            fh.write(json.dumps({"id": row["id"], "predictions": items}) + "\n")


def univocal_view(preds: list[Any]) -> list[Any]:
    """The predictions minus attributions nested inside another one's content."""
    frags = [
        (i, c["start"], c["end"]) for i, f in enumerate(preds) for c in f.data["content_fragments"]
    ]
    out = []
    for i, f in enumerate(preds):
        cue = f.data["cue"]
        if any(j != i and a <= cue["start"] and cue["end"] <= b for j, a, b in frags):
            continue
        out.append(f)
    return out


def cross_validated(
    rows: list[dict[str, Any]],
    parsed: list[Any],
    k: int,
    thresholds: tuple[float, float | None, float],
    no_filter: bool = False,
    one_fold: bool = False,
    l2: tuple[float, float] = (3.0, 10.0),
) -> list[Any]:
    """Analyze every article with cue weights trained on the other folds only.

    The folds' models are trained as the shipped one is (detector, filter and cue
    extent; ``l2`` for the detector and the filter, the shipped choice by default).
    """
    import tempfile

    from copydesk import Document, Engine
    from parse_cache import CachedPipeline, engine_nlp

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import train_sourcing as ts

    nlp = CachedPipeline(engine_nlp(), [r["text"] for r in rows], parsed)
    samples = [ts.doc_samples(r, d) for r, d in zip(rows, parsed, strict=True)]
    results: list[Any] = [None] * len(rows)
    with tempfile.TemporaryDirectory() as tmp:
        for fold in range(1 if one_fold else k):
            held = [i for i in range(len(rows)) if i % k == fold]
            train = [s for i in range(len(rows)) if i % k != fold for s in samples[i][0]]
            keep = [s for i in range(len(rows)) if i % k != fold for s in samples[i][1]]
            extent = [s for i in range(len(rows)) if i % k != fold for s in samples[i][2]]
            if no_filter:
                keep = []
            weights = Path(tmp) / f"fold{fold}.json"
            threshold, keep_threshold, extent_threshold = thresholds
            model = ts.train(
                train,
                threshold,
                keep,
                keep_threshold=keep_threshold or ts.KEEP_THRESHOLD,
                l2=l2[0],
                keep_l2=l2[1],
                extent_samples=extent,
            )
            if "extent" in model:
                model["extent"]["threshold"] = extent_threshold
            weights.write_text(json.dumps(model), "utf-8")
            engine = Engine(
                analyzers=["sourcing"],
                with_deps=True,
                strict=True,
                nlp=nlp,  # type: ignore[arg-type]  # a CachedPipeline stands in
                settings={"sourcing": {"cue_model_path": str(weights)}},
            )
            docs = [Document(id=rows[i]["id"], text=rows[i]["text"]) for i in held]
            for i, res in zip(held, engine.analyze_serial(docs), strict=True):
                results[i] = res
    return results


def score_all(
    rows: list[dict[str, Any]], preds_by_doc: list[list[Any]], errors: str | None
) -> dict[str, Any]:
    """P/R/F1 per role (exact and overlap), speech-cue recall, and the error log."""
    totals = {
        role: {"gold": 0, "pred": 0, "exact": 0, "overlap": 0}
        for role in ("cue", "source", "content")
    }
    speech = {"gold": 0, "found": 0}
    by_kind = {"speech": 0, "other": 0}
    rules: dict[str, dict[str, int]] = {}
    error_log: list[dict[str, Any]] = []
    for row, preds in zip(rows, preds_by_doc, strict=True):
        text = row["text"]
        gold = row["attributions"]
        g = {
            "cue": [[tuple(a["cue"])] for a in gold],
            "source": [[tuple(a["source"])] for a in gold if a["source"]],
            "content": [[tuple(s) for s in a["content_spans"]] for a in gold],
        }
        p = {
            "cue": [[(f.data["cue"]["start"], f.data["cue"]["end"])] for f in preds],
            "source": [
                [(f.data["source"]["start"], f.data["source"]["end"])]
                for f in preds
                if f.data["source"]
            ],
            "content": [
                [(c["start"], c["end"]) for c in f.data["content_fragments"]] for f in preds
            ],
        }
        for f in preds:
            by_kind[f.data["cue_kind"]] += 1
        for role in totals:
            s = score_role(text, g[role], p[role], role == "content")
            for k, v in s.items():
                totals[role][k] += v
        ptoks = [tokens(text, c, False) for c in p["cue"]]
        for a in gold:
            found = (
                bool(tokens(text, [tuple(a["cue"])], False) & set().union(*ptoks))
                if ptoks
                else False
            )
            if is_speech_cue(a["cue_text"]):
                speech["gold"] += 1
                speech["found"] += found
            if errors and not found:
                error_log.append(
                    {
                        "doc": row["id"],
                        "miss": a["cue_text"],
                        "src": a["source_text"],
                        "ctx": text[max(0, a["cue"][0] - 80) : a["cue"][1] + 40],
                    }
                )
        gt = set().union(*(tokens(text, [tuple(a["cue"])], False) for a in gold)) if gold else set()
        for f in preds:
            c = f.data["cue"]
            hit = bool(tokens(text, [(c["start"], c["end"])], False) & gt)
            per_rule = rules.setdefault(f.data["rule"], {"predicted": 0, "cue_hits_gold": 0})
            per_rule["predicted"] += 1
            per_rule["cue_hits_gold"] += hit
            if errors and not hit:
                error_log.append(
                    {
                        "doc": row["id"],
                        "false": c["text"],
                        "rule": f.data["rule"],
                        "ctx": text[max(0, c["start"] - 80) : c["end"] + 40],
                    }
                )

    out: dict[str, Any] = {}
    for role, t in totals.items():
        out[role] = {
            "exact": prf(t["exact"], t["pred"], t["gold"]),
            "overlap": prf(t["overlap"], t["pred"], t["gold"]),
            "counts": t,
        }
    out["speech_cue_recall"] = round(speech["found"] / speech["gold"], 4) if speech["gold"] else 0.0
    out["speech_cues_gold"] = speech["gold"]
    out["predicted_cue_kinds"] = by_kind
    out["cue_precision_by_rule"] = dict(sorted(rules.items()))
    if errors:
        Path(errors).write_text("\n".join(json.dumps(e) for e in error_log), "utf-8")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
