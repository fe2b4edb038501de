"""Reading a benchmark corpus (JSON Lines) the same way in every script."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_rows(path: Path, limit: int | None = None) -> list[dict[str, Any]] | None:
    """The first ``limit`` rows of a JSONL file; None (after printing a JSON error) if absent."""
    if not path.exists():
        print(json.dumps({"error": f"no data at {path}"}))
        return None
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows


def read_texts(path: Path, limit: int) -> list[str]:
    """The ``text`` of the first ``limit`` non-blank lines, reading no further than that."""
    texts: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if len(texts) >= limit:
                break
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts
