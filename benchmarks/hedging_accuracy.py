"""Accuracy of the hedging analyzer on the Szeged Uncertainty Corpus (dev split).

Runs the analyzer sentence by sentence (each sentence one Document, batched
through ``Engine.analyze_many``) and prints JSON: sentence-level precision,
recall and F1 (a sentence is uncertain when it carries at least one hedge) and
cue-level scores (a predicted hedge counts when it overlaps a gold cue), overall
and per corpus (wiki, factbank, bio).

Two profiles are scored from one run (all categories on, then filtered):

* ``szeged``: the categories the Szeged scheme annotates - modal, reporting,
  likelihood, speculative, plus condition and investigation, which copydesk
  reports only on request. Approximators, shields and boosters are not
  uncertainty cues in that scheme.
* ``default_semantic``: what copydesk reports by default that the scheme also
  annotates (no condition/investigation, no approximators or shields).
* ``default``: every hedge copydesk reports by default, the view an editor
  gets. Approximators ("about 20") and shields are hedges for an editor but
  not cues in the Szeged scheme, so they count as false positives here.

Usage: ``python benchmarks/hedging_accuracy.py [PATH ...] [--limit N]
[--corpus wiki|factbank|bio|all] [--diagnose]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from copydesk import AnalyzedDocument, Document, Engine
from copydesk_hedging import DEFAULT_MIN_CONFIDENCE
from copydesk_hedging.lexicon import ALL_CATEGORIES, DEFAULT_CATEGORIES

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "szeged_uncertainty"
DEFAULT_PATHS = [DATA / "dev.jsonl", DATA / "dev_bio.jsonl"]

PROFILES: dict[str, tuple[str, ...]] = {
    "szeged": ("modal", "reporting", "likelihood", "speculative", "condition", "investigation"),
    "default_semantic": ("modal", "reporting", "likelihood", "speculative"),
    "default": tuple(c for c in DEFAULT_CATEGORIES if c != "booster"),
}


def corpus_group(corpus: str) -> str:
    return "bio" if corpus.startswith("bio") else corpus


def load(paths: list[Path], limit: int | None, corpus: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in paths:
        taken = 0
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                if corpus != "all" and corpus_group(row["corpus"]) != corpus:
                    continue
                if not row["text"].strip():
                    continue
                rows.append(row)
                taken += 1
                if limit is not None and taken >= limit:
                    break
    return rows


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


class Tally:
    """Counts for one profile and one corpus group."""

    def __init__(self) -> None:
        self.s = Counter[str]()
        self.c = Counter[str]()

    def add(self, gold: list[list[int]], pred: list[tuple[int, int]]) -> None:
        gold_unc, pred_unc = bool(gold), bool(pred)
        self.s["tp"] += gold_unc and pred_unc
        self.s["fp"] += pred_unc and not gold_unc
        self.s["fn"] += gold_unc and not pred_unc
        self.s["n"] += 1
        overlaps = [(a, b) for a, b in pred if any(a < ge and gs < b for gs, ge in gold)]
        self.c["pred_ok"] += len(overlaps)
        self.c["pred"] += len(pred)
        self.c["gold_found"] += sum(1 for gs, ge in gold if any(a < ge and gs < b for a, b in pred))
        self.c["gold"] += len(gold)

    def summary(self) -> dict[str, Any]:
        cp = self.c["pred_ok"] / self.c["pred"] if self.c["pred"] else 0.0
        cr = self.c["gold_found"] / self.c["gold"] if self.c["gold"] else 0.0
        cf = 2 * cp * cr / (cp + cr) if cp + cr else 0.0
        return {
            "sentences": self.s["n"],
            "sentence": prf(self.s["tp"], self.s["fp"], self.s["fn"]),
            "cue": {"precision": round(cp, 4), "recall": round(cr, 4), "f1": round(cf, 4)},
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=DEFAULT_PATHS)
    parser.add_argument("--limit", type=int, default=None, help="sentences per file")
    parser.add_argument("--corpus", choices=["wiki", "factbank", "bio", "all"], default="all")
    parser.add_argument("--diagnose", action="store_true", help="add top errors to the JSON")
    parser.add_argument(
        "--min-confidence",
        type=float,
        default=DEFAULT_MIN_CONFIDENCE,
        help=f"the analyzer's min_confidence (default {DEFAULT_MIN_CONFIDENCE}, the analyzer's; "
        "the model is trained on this dev data, so scores above 0 are in-sample: "
        "train_hedging.py reports cross-validated ones)",
    )
    args = parser.parse_args(argv)
    paths = [p for p in args.paths if p.exists()]
    if not paths:
        print(f"no data at {', '.join(map(str, args.paths))}", file=sys.stderr)
        return 2
    rows = load(paths, args.limit, args.corpus)
    engine = Engine(
        analyzers=["hedging"],
        settings={
            "hedging": {
                "categories": list(ALL_CATEGORIES),
                "min_confidence": args.min_confidence,
            }
        },
        strict=True,
    )
    docs = (Document(id=str(i), text=row["text"]) for i, row in enumerate(rows))
    tallies: dict[str, dict[str, Tally]] = {p: {} for p in PROFILES}
    false_pos: dict[str, Counter[str]] = {p: Counter() for p in PROFILES}
    missed: Counter[str] = Counter()
    for row, result in zip(rows, engine.analyze_many(docs), strict=True):
        assert isinstance(result, AnalyzedDocument), result
        hedges = result.findings_of("hedging", "hedge")
        gold = row["cues"]
        group = corpus_group(row["corpus"])
        for profile, categories in PROFILES.items():
            chosen = [f for f in hedges if f.data["category"] in categories]
            pred = [(f.start, f.end) for f in chosen]
            for key in (group, "overall"):
                tallies[profile].setdefault(key, Tally()).add(gold, pred)
            if args.diagnose and not gold:
                false_pos[profile].update(f"{f.data['category']}:{f.text.lower()}" for f in chosen)
        if (
            args.diagnose
            and gold
            and not any(f.data["category"] in PROFILES["szeged"] for f in hedges)
        ):
            missed.update(t.lower() for t in row["cue_texts"])
    out: dict[str, Any] = {
        "data": [str(p) for p in paths],
        "limit": args.limit,
        "corpus": args.corpus,
        "min_confidence": args.min_confidence,
        "profiles": {p: list(c) for p, c in PROFILES.items()},
        "results": {
            profile: {key: tally.summary() for key, tally in sorted(groups.items())}
            for profile, groups in tallies.items()
        },
        "seconds": {
            "parse": round(engine.stats.parse_seconds, 2),
            "hedging": round(engine.stats.analyzer_seconds.get("hedging", 0.0), 2),
        },
    }
    if args.diagnose:
        out["diagnostics"] = {
            "false_positive_cues_in_certain_sentences": {
                p: c.most_common(60) for p, c in false_pos.items()
            },
            "gold_cues_in_missed_sentences": missed.most_common(80),
        }
    json.dump(out, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
