"""Plugins: registered from code, installed as a distribution, blocked, broken."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from click.testing import CliRunner

from copydesk import Engine, hookimpl
from copydesk import plugins as plugins_module
from copydesk.cli import cli
from copydesk.errors import PluginError
from copydesk.plugins import make_plugin_host
from copydesk.testing import install_distribution
from core_plugins import AnalyzersPlugin, NumbersAnalyzer

FIXTURE = Path(__file__).parent / "fixtures" / "copydesk-shouting"
SHOUTY = "Officials called the decision SHOCKING. NATO said nothing."


@pytest.fixture(scope="module")
def installed_plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Install the fixture distribution into a private folder, as pip would for a user."""
    return install_distribution(FIXTURE, tmp_path_factory.mktemp("site"))


@pytest.fixture
def on_path(installed_plugin: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(installed_plugin))
    return installed_plugin


def test_plugin_registered_from_test_code_runs():
    host = make_plugin_host(plugins=[AnalyzersPlugin(NumbersAnalyzer)], load_entry_points=False)
    record = next(p for p in host.plugins if p.name == "AnalyzersPlugin")
    assert "register_analyzers" in record.hooks
    result = Engine(host=host).analyze("Rescuers saved 14 people.")
    assert [f.text for f in result.findings] == ["14"]
    assert result.findings[0].producer == "AnalyzersPlugin"


def test_installed_distribution_is_found_through_its_entry_point(on_path):
    host = make_plugin_host()
    record = next(p for p in host.plugins if p.name == "shouting")
    assert (record.distribution, record.version, record.builtin) == (
        "copydesk-shouting",
        "0.2.0",
        False,
    )
    result = Engine(host=host, analyzers=["shouting"]).analyze(SHOUTY)
    assert [f.text for f in result.findings] == ["SHOCKING"]
    assert result.findings[0].producer == "copydesk-shouting 0.2.0"
    assert result.analyzers[0].version == "shouting.v2"


def test_installed_plugin_shows_in_plugins_command_and_adds_a_command(on_path):
    runner = CliRunner()
    listed = json.loads(runner.invoke(cli, ["plugins"]).output)
    assert [p["name"] for p in listed] == ["shouting"]  # built-ins hidden without --all
    assert listed[0]["analyzers"][0]["name"] == "shouting"
    out = runner.invoke(cli, ["shout-words", "a LOUD word"])
    assert out.exit_code == 0
    assert out.output.strip() == "LOUD"


def test_installed_plugin_runs_in_a_real_subprocess(installed_plugin, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(SHOUTY, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(installed_plugin)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "copydesk",
            "analyze",
            "-a",
            "shouting,stats",
            "-f",
            "json",
            str(article),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [f["text"] for f in data["findings"] if f["analyzer"] == "shouting"] == ["SHOCKING"]
    assert data["metrics"]["shouting.count"] == 1
    listed = subprocess.run(
        [sys.executable, "-m", "copydesk", "plugins", "--format", "table"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    assert "copydesk-shouting" in listed


def test_installed_plugin_adds_a_sink_a_renderer_and_an_executor(installed_plugin, tmp_path):
    """All three seams, used end to end by a distribution installed as a user would."""
    (tmp_path / "a.txt").write_text(SHOUTY, encoding="utf-8")
    (tmp_path / "b.txt").write_text("A calm story about ferries.\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("URGENT notice from the port.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(installed_plugin)}

    def copydesk(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "copydesk", *args],
            capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
        )  # fmt: skip

    listed = json.loads(copydesk("plugins").stdout)
    [record] = [p for p in listed if p["name"] == "shouting"]
    assert {"register_sinks", "register_renderers", "register_executors"} <= set(record["hooks"])

    run = copydesk(
        "analyze", "a.txt", "b.txt", "c.txt", "-a", "shouting",
        "--executor", "rebuild", "-o", "counts.shout",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "counts.shout").read_text().splitlines() == [
        "# analyzers: shouting",
        "a.txt\t1",
        "b.txt\t0",
        "c.txt\t1",
        "# documents: 3",
    ]
    text = copydesk("analyze", "a.txt", "-a", "shouting")
    assert "SHOUTED 'SHOCKING'" in text.stdout


def test_blocked_plugin_is_not_imported(on_path):
    host = make_plugin_host(blocked=["shouting"])
    record = next(p for p in host.plugins if p.name == "shouting")
    assert record.status == "blocked"
    assert "shouting" not in host.analyzers()


def test_disabling_autoload_keeps_builtins_only(on_path):
    host = make_plugin_host(disable_autoload=True)
    names = {p.name for p in host.plugins}
    assert "shouting" not in names
    assert "stats" in names


def test_plugin_that_fails_to_import_is_reported_and_others_load(monkeypatch):
    broken = EntryPoint(name="broken", value="copydesk_no_such_module", group="copydesk")
    real = plugins_module._entry_points()
    monkeypatch.setattr(plugins_module, "_entry_points", lambda: [broken, *real])
    host = make_plugin_host()
    record = next(p for p in host.plugins if p.name == "broken")
    assert record.status == "error"
    assert "ModuleNotFoundError" in record.error
    assert "stats" in host.analyzers()
    runner = CliRunner()
    listed = json.loads(runner.invoke(cli, ["plugins"]).output)
    assert {"name": "broken", "status": "error"}.items() <= listed[0].items()


def test_plugin_whose_hook_raises_is_isolated():
    class Raising:
        @hookimpl
        def register_analyzers(self, register):
            msg = "bad registration"
            raise ValueError(msg)

    host = make_plugin_host(
        plugins=[("raising", Raising()), AnalyzersPlugin(NumbersAnalyzer)], load_entry_points=False
    )
    assert set(host.analyzers()) == {"numbers"}
    record = next(p for p in host.plugins if p.name == "raising")
    assert record.status == "error"
    assert "bad registration" in record.error


def test_duplicate_analyzer_name_names_both_plugins():
    host = make_plugin_host(
        plugins=[
            ("first", AnalyzersPlugin(NumbersAnalyzer)),
            ("second", AnalyzersPlugin(NumbersAnalyzer)),
        ],
        load_entry_points=False,
    )
    with pytest.raises(PluginError, match=r"first .* and second"):
        Engine(host=host)


def test_lexicon_entries_reach_the_analyzer():
    class Contributes:
        @hookimpl
        def register_lexicon_entries(self, register):
            register("numbers.units", ["ships", "boats"])

    class Reads(NumbersAnalyzer):
        name = "reads"

        def analyze(self, ctx):
            ctx.set_metric("units", len(self.lexicons["numbers.units"]))

    host = make_plugin_host(
        plugins=[Contributes(), AnalyzersPlugin(Reads)], load_entry_points=False
    )
    assert Engine(host=host).analyze("3 ships").metrics["reads.units"] == 2


def test_extend_pipeline_hook_is_called_with_the_needs():
    calls = []

    class Extends:
        @hookimpl
        def extend_pipeline(self, nlp, needs):
            calls.append(sorted(n.value for n in needs))
            ruler = nlp.add_pipe("entity_ruler", first=True)
            ruler.add_patterns([{"label": "ORG", "pattern": "Harbor Ledger"}])

    from copydesk import Capability

    class Ents(NumbersAnalyzer):
        name = "ents"
        needs = frozenset({Capability.NER})

        def analyze(self, ctx):
            for ent in ctx.spacy_doc.ents:
                ctx.add_finding("ent", ent.start_char, ent.end_char, label=ent.label_)

    host = make_plugin_host(plugins=[Extends(), AnalyzersPlugin(Ents)], load_entry_points=False)
    result = Engine(host=host).analyze("The Harbor Ledger reported the strike.")
    assert calls == [["ner"]]
    assert ("Harbor Ledger", "ORG") in [(f.text, f.label) for f in result.findings]


def test_builtin_plugins_add_no_commands():
    """The CLI skips built-in plugins when it looks up commands; this keeps that safe."""
    host = make_plugin_host()
    for record in host.plugins:
        if record.builtin:
            assert "register_commands" not in record.hooks, record.name
