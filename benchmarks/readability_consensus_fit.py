"""Recompute the constants of the readability consensus grade.

    python benchmarks/readability_consensus_fit.py [PATH] [--limit N]

The consensus (plugins/copydesk_readability/consensus.py) is the mean z-score of
three ingredients, mapped onto a grade scale. This script measures, over the
OneStopEnglish texts in PATH (default: the shared dev set):

* the mean and standard deviation of each ingredient (``INGREDIENTS``);
* the standard deviation of their mean z-score (``Z_SD``);
* the mean and standard deviation of the average of the five grade formulas
  (``GRADE_MEAN``, ``GRADE_SD``), so the consensus reads as a school grade.

It prints them as JSON; paste them into consensus.py. Nothing else is fitted:
the weights are equal, so the only choice made on the data is which three
ingredients to use (documented in docs/analyzers/readability.md).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from readability_accuracy import DEFAULT_PATH, SAMPLE_PATH, load

GRADE_FORMULAS = (
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
)


def mean_sd(values: list[float]) -> tuple[float, float]:
    """Mean and population standard deviation."""
    mean = sum(values) / len(values)
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def payloads(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The readability payload of every text, as plain dicts."""
    from copydesk import Document, Engine

    engine = Engine(analyzers=["readability"], strict=True)
    out = []
    for result in engine.analyze_many(Document(id=str(r["id"]), text=r["text"]) for r in rows):
        data = result.data["readability"]  # type: ignore[union-attr]
        out.append(data if isinstance(data, dict) else data.model_dump())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    path: Path = args.path or (DEFAULT_PATH if DEFAULT_PATH.is_file() else SAMPLE_PATH)
    found = payloads(load(path, args.limit))

    columns: dict[str, list[float]] = {
        "dale_chall_readability_score": [
            p["formulas"]["dale_chall_readability_score"] for p in found
        ],
        "automated_readability_index": [
            p["formulas"]["automated_readability_index"] for p in found
        ],
        "commas_per_sentence": [p["commas_per_sentence"] for p in found],
    }
    ingredients = {name: mean_sd(values) for name, values in columns.items()}
    z_means = [
        sum((columns[n][i] - m) / s for n, (m, s) in ingredients.items()) / len(ingredients)
        for i in range(len(found))
    ]
    _, z_sd = mean_sd(z_means)
    grade_avg = [sum(p["formulas"][f] for f in GRADE_FORMULAS) / len(GRADE_FORMULAS) for p in found]
    grade_mean, grade_sd = mean_sd(grade_avg)
    json.dump(
        {
            "data": str(path),
            "texts": len(found),
            "INGREDIENTS": {n: [round(m, 4), round(s, 4)] for n, (m, s) in ingredients.items()},
            "Z_SD": round(z_sd, 4),
            "GRADE_MEAN": round(grade_mean, 4),
            "GRADE_SD": round(grade_sd, 4),
        },
        sys.stdout,
        indent=2,
    )
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
