"""How well ``copydesk report`` counts one person or organisation once across articles.

Data: GUM news and interviews (``gum_news_entities/dev.jsonl``, 35 documents;
the held-out test split is not read). Each gold PER/ORG name mention has its
document's coreference cluster (standing in for the entities analyzer's merged
ids, so this measures the cross-article rule alone) and, where there is one, a
Wikipedia identity, which is the gold cross-article link.

Nodes are (document, cluster) entities with an identity. Over every pair of
nodes from different documents with the same label, a pair is linked in gold
when the identities match and linked by a method when its keys match; printed:
pairwise precision, recall and F1 (JSON) for three methods:

* ``exact``: the entity's longest mention, as written;
* ``normalized``: the name key (accents, case, possessive, punctuation, titles);
* ``linked``: the key after the surname rule (the report's method).

    python benchmarks/report_linking.py [--data PATH]
"""

from __future__ import annotations

import argparse
import json
import os
from collections import defaultdict
from itertools import combinations
from pathlib import Path

DATA = Path(os.environ.get("COPYDESK_SHARED_DATA", "/work/shared/data"))
LABELS = {"PER": "PERSON", "ORG": "ORG"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA / "gum_news_entities" / "dev.jsonl")
    args = parser.parse_args()

    import duckdb

    from copydesk.reporting.linking import link_entities

    rows = []
    identity: dict[tuple[str, str], str] = {}
    for line in args.data.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        for e in doc["entities"]:
            if e["label"] not in LABELS:
                continue
            label = LABELS[e["label"]]
            rows.append((doc["id"], f"{label}:{e['cluster']}", label, e["text"]))
            if e["identity"]:
                identity[(doc["id"], f"{label}:{e['cluster']}")] = e["identity"]
    con = duckdb.connect()
    con.execute(
        "CREATE TEMP TABLE mentions (doc_id VARCHAR, entity_id VARCHAR, label VARCHAR, "
        "text VARCHAR)"
    )
    con.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?)", rows)
    link_entities(con, "mentions", "linked")
    keys: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    for doc_id, entity_id, name, raw_key, name_key in con.execute(
        "SELECT doc_id, entity, name, raw_key, name_key FROM linked"
    ).fetchall():
        node = (doc_id, entity_id)
        keys["exact"][node] = name
        keys["normalized"][node] = raw_key
        keys["linked"][node] = name_key
    nodes = sorted(n for n in identity if n in keys["linked"])
    result: dict[str, object] = {
        "data": str(args.data),
        "documents": len({n[0] for n in nodes}),
        "entities_with_identity": len(nodes),
        "distinct_identities": len({identity[n] for n in nodes}),
    }
    for method, key in keys.items():
        tp = fp = fn = 0
        for a, b in combinations(nodes, 2):
            if a[0] == b[0] or a[1].split(":")[0] != b[1].split(":")[0]:
                continue  # across documents only, same label
            gold = identity[a] == identity[b]
            predicted = key[a] == key[b]
            tp += gold and predicted
            fp += predicted and not gold
            fn += gold and not predicted
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[method] = {
            "pairs_gold": tp + fn,
            "pairs_predicted": tp + fp,
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
