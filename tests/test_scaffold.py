"""`copydesk new-plugin`: the skeleton installs, is found, and passes its own tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from copydesk.cli import cli
from copydesk.scaffold import ScaffoldError, plugin_names, write_plugin
from copydesk.testing import install_distribution


def test_names_derive_from_one_hyphenated_name():
    names = plugin_names("passive-voice")
    assert names["distribution"] == "copydesk-passive-voice"
    assert names["package"] == "copydesk_passive_voice"
    assert names["analyzer"] == "passive_voice"
    assert names["cls"] == "PassiveVoiceAnalyzer"
    assert plugin_names("copydesk-passive-voice") == names  # the prefix is not doubled
    assert plugin_names("passive_voice")["distribution"] == "copydesk-passive-voice"


@pytest.mark.parametrize("bad", ["", "9lives", "has space", "café", "trailing-", "class"])
def test_unusable_names_are_refused(bad):
    with pytest.raises(ScaffoldError, match="plugin name"):
        plugin_names(bad)


def test_cli_writes_the_skeleton_files(tmp_path):
    result = CliRunner().invoke(cli, ["new-plugin", "numbers-check", "--directory", str(tmp_path)])
    assert result.exit_code == 0, result.output
    root = tmp_path / "copydesk-numbers-check"
    assert f"Wrote {root}" in result.output
    written = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert written == [
        ".gitignore",
        "README.md",
        "pyproject.toml",
        "src/copydesk_numbers_check/__init__.py",
        "src/copydesk_numbers_check/py.typed",
        "tests/conftest.py",
        "tests/test_numbers_check.py",
    ]
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points.copydesk]\nnumbers_check = "copydesk_numbers_check"' in pyproject
    assert "{{" not in "".join(p.read_text(encoding="utf-8") for p in root.rglob("*.py"))


def test_cli_refuses_a_non_empty_folder_and_bad_names(tmp_path):
    (tmp_path / "copydesk-taken" / "keep.txt").parent.mkdir()
    (tmp_path / "copydesk-taken" / "keep.txt").write_text("mine", encoding="utf-8")
    runner = CliRunner()
    taken = runner.invoke(cli, ["new-plugin", "taken", "--directory", str(tmp_path)])
    assert taken.exit_code == 2
    assert "already exists and is not empty" in taken.output
    assert (tmp_path / "copydesk-taken" / "keep.txt").read_text(encoding="utf-8") == "mine"
    bad = runner.invoke(cli, ["new-plugin", "Bad Name", "--directory", str(tmp_path)])
    assert bad.exit_code == 2
    assert "lowercase letters" in bad.output


def test_new_plugin_is_listed_in_help():
    result = CliRunner().invoke(cli, ["--help"])
    assert "new-plugin" in result.output


@pytest.mark.slow
def test_generated_skeleton_installs_and_passes_its_own_tests(tmp_path):
    root = write_plugin("quote-check", tmp_path / "work")
    site = install_distribution(root, tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(site)}
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "12 passed" in tests.stdout
    listed = subprocess.run(
        [sys.executable, "-m", "copydesk", "plugins"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    [plugin] = json.loads(listed.stdout)
    assert plugin["distribution"] == "copydesk-quote-check"
    assert plugin["analyzers"][0]["name"] == "quote_check"
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "E,F,W,I,UP,B", "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
