"""Are two ``copydesk analyze --format jsonl`` outputs the same, timings aside?

A speed change must not change what copydesk reports. Run the same corpus
before and after (``copydesk analyze CORPUS -f jsonl -j 1 > before.jsonl``),
then compare. Prints JSON: how many documents differ, and for each differing
document which findings were added or dropped, which metrics and payload keys
changed, and which analyzers' status changed (the first ``--show`` documents in
full). Exit status 0 when the outputs are identical, 1 otherwise.

    python benchmarks/output_diff.py before.jsonl after.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def strip_timings(value: Any) -> Any:
    """A result without its run timings (they differ on every run)."""
    if isinstance(value, dict):
        return {k: strip_timings(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [strip_timings(v) for v in value]
    return value


def read(path: Path) -> dict[str, Any]:
    """Results by document id."""
    out: dict[str, Any] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = strip_timings(json.loads(line))
                key = str((row.get("document") or {}).get("id", row.get("id", len(out))))
                out[key] = row
    return out


def _finding_key(finding: dict[str, Any]) -> str:
    return json.dumps(
        {k: finding.get(k) for k in ("analyzer", "kind", "start", "end", "label", "data")},
        sort_keys=True,
    )


def _brief(finding: dict[str, Any]) -> str:
    return f"{finding.get('analyzer')}.{finding.get('kind')} {finding.get('text', '')[:80]!r}"


def compare(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What changed in one document's result."""
    out: dict[str, Any] = {}
    old = {_finding_key(f): f for f in before.get("findings", [])}
    new = {_finding_key(f): f for f in after.get("findings", [])}
    dropped = [_brief(old[k]) for k in old if k not in new]
    added = [_brief(new[k]) for k in new if k not in old]
    if dropped:
        out["findings_dropped"] = dropped
    if added:
        out["findings_added"] = added
    metrics_a, metrics_b = before.get("metrics", {}), after.get("metrics", {})
    changed = {
        k: [metrics_a.get(k), metrics_b.get(k)]
        for k in sorted(set(metrics_a) | set(metrics_b))
        if metrics_a.get(k) != metrics_b.get(k)
    }
    if changed:
        out["metrics"] = changed
    data_a, data_b = before.get("data", {}), after.get("data", {})
    payloads = sorted(k for k in set(data_a) | set(data_b) if data_a.get(k) != data_b.get(k))
    if payloads:
        out["payloads"] = payloads
    runs_a = {r.get("name"): r for r in before.get("analyzers", [])}
    runs_b = {r.get("name"): r for r in after.get("analyzers", [])}
    runs = sorted(k for k in set(runs_a) | set(runs_b) if runs_a.get(k) != runs_b.get(k))
    if runs:
        out["analyzer_runs"] = runs
    if not out and before != after:
        out["other"] = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--show", type=int, default=20, help="differing documents shown in full")
    args = parser.parse_args()
    before, after = read(args.before), read(args.after)
    differing = {}
    for key in sorted(set(before) | set(after)):
        if key not in before or key not in after:
            differing[key] = {"missing_in": "before" if key not in before else "after"}
        elif before[key] != after[key]:
            differing[key] = compare(before[key], after[key])
    findings = sum(len(r.get("findings", [])) for r in after.values())
    report = {
        "before": str(args.before),
        "after": str(args.after),
        "documents": len(set(before) | set(after)),
        "findings_after": findings,
        "identical": not differing,
        "differing_documents": len(differing),
        "differences": dict(list(differing.items())[: args.show]),
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    sys.exit(0 if not differing else 1)


if __name__ == "__main__":
    main()
