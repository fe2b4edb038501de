"""Golden comparison: the output of every command on the example articles.

The run-architecture refactor (sources, session, sinks, executors) must not
change what users see. These files were written by the code before it; a
deliberate change of output (a better analyzer) regenerates them with
``COPYDESK_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and the diff is
reviewed in the commit like any other change.

Timings are the only thing normalized away: they differ on every run.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from copydesk.cli import cli

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
ARTICLES = REPO / "examples" / "articles"

# (golden file, CLI arguments); paths are relative to the repository root.
CASES = [
    ("analyze-text.txt", ["analyze", "examples/articles/"]),
    ("analyze-jsonl.jsonl", ["analyze", "examples/articles/", "-f", "jsonl"]),
    ("analyze-port-strike.json", ["analyze", "examples/articles/port-strike.txt", "-f", "json"]),
    (
        "analyze-sourcing-deps.json",
        [
            "analyze",
            "examples/articles/vessel-strikes.md",
            *("-a", "sourcing", "--with-deps", "-f", "json"),
        ],
    ),
    ("analyze-readability.txt", ["analyze", "examples/articles/briefs.jsonl", "-a", "readability"]),
    ("plugins-all.json", ["plugins", "--all", "--options"]),
    ("schema.json", ["schema"]),
]

_SECONDS_TEXT = re.compile(r"\d+\.\d{3} s\)")


def normalize(name: str, output: str) -> str:
    """Drop what changes from run to run (timings) and nothing else."""
    if name.endswith(".txt"):
        return _SECONDS_TEXT.sub("#.### s)", output)
    if name.endswith(".jsonl"):
        rows = [json.loads(line) for line in output.splitlines() if line.strip()]
        return "".join(json.dumps(_strip_seconds(r), indent=1) + "\n" for r in rows)
    return json.dumps(_strip_seconds(json.loads(output)), indent=1) + "\n"


def _strip_seconds(obj: object) -> object:
    if isinstance(obj, dict):
        return {k: _strip_seconds(v) for k, v in obj.items() if k != "seconds"}
    if isinstance(obj, list):
        return [_strip_seconds(v) for v in obj]
    return obj


@pytest.mark.slow
@pytest.mark.parametrize(("name", "args"), CASES, ids=[c[0] for c in CASES])
def test_output_matches_golden(name: str, args: list[str], monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("COPYDESK_DISABLE_PLUGIN_AUTOLOAD", "1")
    result = CliRunner().invoke(cli, ["--disable-plugin-autoload", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    got = normalize(name, result.stdout)
    path = GOLDEN / name
    if os.environ.get("COPYDESK_UPDATE_GOLDEN") == "1":
        path.write_text(got, encoding="utf-8")
    assert path.is_file(), f"{path} missing: run with COPYDESK_UPDATE_GOLDEN=1 once"
    assert got == path.read_text(encoding="utf-8")
