"""Gender and role of sources, on a hand-checked sample of PolNeAR dev sources.

Usage: ``python benchmarks/sourcing_gender_role.py [SAMPLE] [--data DEV.jsonl]
[--first-names]``; prints JSON.

The sample (``benchmarks/data/sourcing_gender_role_sample.jsonl``) holds 150
gold sources drawn at random (``random.Random(14).sample``) from the 2,066
sourced attributions of PolNeAR dev, each with a gender and a role label given
by reading the article (ids and offsets only; the texts stay in the corpus):

* gender: ``female``, ``male``, ``unknown`` (a person or group whose gender the
  reader cannot tell, or a mixed group), ``none`` (not a person: an
  institution, an outlet, a document);
* role: ``official``, ``spokesperson``, ``expert``, ``citizen``, ``media``,
  ``document``, ``unknown``.

Each gold source is paired with the predicted attribution whose source shares
the most word tokens with it (``unmatched`` when none does). Scores are over
matched items; a predicted ``gender`` of null counts as ``none``. Besides
accuracy and per-class precision/recall, ``gender.decided`` is the share of
female/male predictions that are right (how often a stated gender is wrong) and
``gender.coverage`` the share of gold women and men given their gender.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from jsonl_rows import read_rows

ROOT = Path(__file__).resolve().parent
SAMPLE = ROOT / "data" / "sourcing_gender_role_sample.jsonl"
DEV = ROOT.parent.parent / "shared" / "data" / "polnear" / "dev.jsonl"
_WORD = re.compile(r"\w+")


def words(text: str, a: int, b: int) -> set[int]:
    return {m.start() for m in _WORD.finditer(text, a, b)}


def per_class(pairs: list[tuple[str, str]]) -> dict[str, dict[str, float | int]]:
    """Precision, recall and support of each gold or predicted class."""
    out: dict[str, dict[str, float | int]] = {}
    classes = sorted({g for g, _ in pairs} | {p for _, p in pairs})
    for c in classes:
        tp = sum(1 for g, p in pairs if g == c and p == c)
        pred = sum(1 for _, p in pairs if p == c)
        gold = sum(1 for g, _ in pairs if g == c)
        out[c] = {
            "precision": round(tp / pred, 4) if pred else 0.0,
            "recall": round(tp / gold, 4) if gold else 0.0,
            "gold": gold,
            "predicted": pred,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sample", nargs="?", default=str(SAMPLE))
    parser.add_argument("--data", default=str(DEV), help="PolNeAR dev.jsonl")
    parser.add_argument(
        "--first-names", action="store_true", help="turn the opt-in first-name list on"
    )
    args = parser.parse_args(argv)
    rows = read_rows(Path(args.data), None)
    if rows is None:
        return 1
    sample = [json.loads(ln) for ln in Path(args.sample).read_text("utf-8").splitlines() if ln]
    by_id = {r["id"]: r for r in rows}
    wanted = sorted({s["doc"] for s in sample})

    from copydesk import Document, Engine

    settings = {"sourcing": {"gender_from_first_names": True}} if args.first_names else None
    engine = Engine(analyzers=["sourcing"], with_deps=True, strict=True, settings=settings)
    docs = [Document(id=d, text=by_id[d]["text"]) for d in wanted]
    preds = {
        res.document.id: res.findings_of("sourcing", "attribution")  # type: ignore[union-attr]
        for res in engine.analyze_many(docs)
    }

    genders: list[tuple[str, str]] = []
    roles: list[tuple[str, str]] = []
    evidence_kinds: Counter[str] = Counter()
    name_decided = name_right = 0
    unmatched: list[dict[str, Any]] = []
    for item in sample:
        text = by_id[item["doc"]]["text"]
        gold = words(text, *item["source"])
        best, shared = None, 0
        for f in preds[item["doc"]]:
            src = f.data["source"]
            if src is None:
                continue
            n = len(gold & words(text, src["start"], src["end"]))
            if n > shared:
                best, shared = f, n
        if best is None:
            unmatched.append({"gender": item["gender"], "role": item["role"]})
            continue
        g = best.data["gender"] or "none"
        genders.append((item["gender"], g))
        roles.append((item["role"], best.data["role"] or "unknown"))
        kinds = {e["kind"] for e in best.data["gender_evidence"]}
        evidence_kinds.update(kinds)
        if kinds == {"first_name"}:
            name_decided += 1
            name_right += g == item["gender"]

    decided = [(g, p) for g, p in genders if p in ("female", "male")]
    people = [(g, p) for g, p in genders if g in ("female", "male")]
    out: dict[str, Any] = {
        "sample": len(sample),
        "matched": len(genders),
        "unmatched": len(unmatched),
        "unmatched_labels": dict(Counter(f"{u['gender']}/{u['role']}" for u in unmatched)),
        "first_names": args.first_names,
        "gender": {
            "accuracy": round(sum(g == p for g, p in genders) / len(genders), 4),
            "decided": {
                "predicted_female_or_male": len(decided),
                "right": sum(g == p for g, p in decided),
                "precision": round(sum(g == p for g, p in decided) / len(decided), 4)
                if decided
                else 0.0,
            },
            "coverage": {
                "gold_female_or_male": len(people),
                "given_right": sum(g == p for g, p in people),
                "recall": round(sum(g == p for g, p in people) / len(people), 4) if people else 0.0,
            },
            "per_class": per_class(genders),
            "evidence_kinds": dict(evidence_kinds),
        },
        "role": {
            "accuracy": round(sum(g == p for g, p in roles) / len(roles), 4),
            "per_class": per_class(roles),
            "confusions": dict(Counter(f"{g}->{p}" for g, p in roles if g != p).most_common(12)),
        },
    }
    if args.first_names:
        out["gender"]["first_name_only"] = {
            "decided": name_decided,
            "right": name_right,
            "error_rate": round(1 - name_right / name_decided, 4) if name_decided else 0.0,
        }
    sys.stdout.write(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
