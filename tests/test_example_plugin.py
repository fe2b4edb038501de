"""The example third-party plugin and the embedding script, run as a user would.

The plugin distribution in examples/copydesk-loaded-language is installed into
a private folder (never into the project's environment), then found through its
entry point by `copydesk analyze` in a subprocess, and its own test suite is run
against the installed copy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from copydesk.testing import install_distribution

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "copydesk-loaded-language"

pytestmark = pytest.mark.slow

ARTICLE = (
    "Union leaders slammed the port authority on Tuesday as talks collapsed.\n\n"
    '"The stoppage is a disaster for every family on this dock," said Anouk de Vries, '
    "a spokeswoman for the FNV union.\n"
)


@pytest.fixture(scope="module")
def installed_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pip-install the example distribution into a private target folder."""
    return install_distribution(EXAMPLE, tmp_path_factory.mktemp("example-site"))


def _env(site: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(site)}


def test_installed_example_runs_through_copydesk_analyze(installed_example, tmp_path):
    article = tmp_path / "strike.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    proc = subprocess.run(
        [
            *(sys.executable, "-m", "copydesk", "analyze"),
            *("-a", "loaded_language", "--with-deps", "-f", "json", str(article)),
        ],
        capture_output=True,
        text=True,
        env=_env(installed_example),
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "added required analyzers" in proc.stderr
    data = json.loads(proc.stdout)
    loaded = {f["text"]: f for f in data["findings"] if f["analyzer"] == "loaded_language"}
    assert loaded["slammed"]["label"] == "reporter"
    assert loaded["disaster"]["label"] == "quoted"
    assert loaded["slammed"]["producer"] == "copydesk-loaded-language 0.1.0"
    # It composed with the built-in: the quotation's attribution is in its data.
    assert "Anouk de Vries" in loaded["disaster"]["data"]["attribution"]["text"]
    runs = {r["name"]: r for r in data["analyzers"]}
    assert runs["loaded_language"]["version"] == "loaded_language.v1"
    assert runs["sourcing"]["status"] == "ok"


def test_installed_example_is_listed_with_its_settings(installed_example):
    proc = subprocess.run(
        [sys.executable, "-m", "copydesk", "plugins", "--options"],
        capture_output=True,
        text=True,
        env=_env(installed_example),
        check=True,
    )
    [plugin] = json.loads(proc.stdout)
    assert plugin["name"] == "loaded_language"
    assert plugin["distribution"] == "copydesk-loaded-language"
    [analyzer] = plugin["analyzers"]
    assert analyzer["requires"] == ["sourcing"]
    assert set(analyzer["options"]) == {"extra_words", "ignore_words", "report_quoted"}


def test_example_own_test_suite_passes_against_the_installed_copy(installed_example):
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        env=_env(installed_example),
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " passed" in proc.stdout
    assert "failed" not in proc.stdout


def test_embedding_script_reports_hedges_and_sources(tmp_path):
    article = tmp_path / "council.md"  # read as the CLI reads it: "# " titles in Markdown
    article.write_text(
        "# Council passes budget\n\nThe mayor reportedly plans to veto the measure, "
        "Councilwoman Maria Lopez said on Monday.\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, str(REPO / "examples" / "embed.py"), str(article)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = proc.stdout.splitlines()
    # The script fails a pre-publish check exactly when it reported an anonymous source.
    anonymous = [line for line in lines if ": anonymous source: " in line]
    assert proc.returncode == (1 if anonymous else 0), proc.stderr
    assert f"{article}:10: hedge 'reportedly'" in lines  # ids are the paths, as in the CLI
    [summary] = [line for line in lines if line.startswith(f"{article}: ")]
    assert summary.endswith("attributions, ok=True")
    assert int(summary.rsplit(": ", 1)[1].split()[0]) >= 1  # "Maria Lopez said" at least
    assert lines[-1] == "quick: ['reportedly']"
