"""The docs site: generated pages match the code, every hook is documented and tested.

The strict site build runs in `make docs` (part of `make test`); here the
generators are checked directly, and one build into a temporary folder checks
that the generated pages hold what they promise.
"""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import click
import pluggy
import pytest
from click.testing import CliRunner

from copydesk import AnalysisContext, Analyzer, Capability, Document, Engine, hookimpl, hookspecs
from copydesk.executors import Executor, ExecutorType
from copydesk.io.readers import Reader
from copydesk.io.sinks import Output, OutputFormat, Sink, SinkType
from copydesk.model import json_schema
from copydesk.plugins import make_plugin_host
from copydesk.rendering import Renderer, Renderers
from copydesk.session import run as run_session

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"


def _load_docs_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "copydesk_docs", DOCS / "_hooks" / "copydesk_docs.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


docs_hooks = _load_docs_hooks()


def _hook_names() -> dict[str, list[str]]:
    pm = pluggy.PluginManager("copydesk")
    pm.add_hookspecs(hookspecs)
    return {
        name: list(getattr(pm.hook, name).spec.argnames)
        for name in dir(pm.hook)
        if not name.startswith("_")
    }


# -- meta-tests ----------------------------------------------------------------------------


def test_every_hook_is_in_the_reference_with_its_arguments():
    reference = docs_hooks.hook_reference()
    hooks = _hook_names()
    assert len(hooks) >= 6
    for name, args in hooks.items():
        assert f"### `{name}({', '.join(args)})`" in reference
        assert f"def {name}(" in reference


def test_every_hook_has_a_test():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "tests").glob("test_*.py"))
    missing = [n for n in _hook_names() if f"def test_hook_{n}(" not in source]
    assert missing == []


def test_reference_groups_hooks_by_phase_in_source_order():
    reference = docs_hooks.hook_reference()
    headings = re.findall(r"^## (.+) hooks$", reference, re.MULTILINE)
    assert headings == ["Registration", "Pipeline", "Command line"]
    assert reference.index("register_analyzers(") < reference.index("extend_pipeline(")
    assert not re.search(r"(?<!`)``(?!`)", reference)  # reST literals became Markdown code


def test_schema_block_is_the_model_schema():
    block = docs_hooks.json_schema_block()
    assert block.startswith("```json\n")
    assert '"schema_version"' in block
    assert json_schema()["title"] in block


def test_analyzer_table_lists_each_builtin_and_links_existing_pages():
    table = docs_hooks.analyzer_table({"stats"})
    assert "| [stats](stats.md) | Word, sentence" in table
    builtins = {
        n
        for n, e in make_plugin_host(disable_autoload=True).analyzers().items()
        if e.plugin.builtin
    }
    for name in builtins - {"stats"}:
        assert f"| `{name}` |" in table


def test_analyzers_nav_is_filled_from_the_pages_present(tmp_path):
    (tmp_path / "analyzers").mkdir()
    for name in ("index.md", "zeta.md", "alpha.md"):
        (tmp_path / "analyzers" / name).write_text("# x\n", encoding="utf-8")
    config = {"docs_dir": str(tmp_path), "nav": [{"Home": "index.md"}, {"Built-in analyzers": []}]}
    docs_hooks.on_config(config)
    assert config["nav"][1]["Built-in analyzers"] == [
        "analyzers/index.md",
        "analyzers/alpha.md",
        "analyzers/zeta.md",
    ]


def test_unknown_marker_fails_the_build():
    page = SimpleNamespace(file=SimpleNamespace(src_path="x.md"))
    with pytest.raises(ValueError, match="unknown generated-content marker 'hook-refrence'"):
        docs_hooks.on_page_markdown(
            "<!-- copydesk:hook-refrence -->\n", page, {"docs_dir": str(DOCS)}, None
        )


def test_testing_reference_documents_helpers_not_fixtures():
    reference = docs_hooks.testing_reference()
    assert "### `check_edge_cases`" in reference
    assert "### `findings`" in reference
    assert "copydesk_analyze" not in reference


def test_snippets_in_docs_name_files_and_sections_that_exist():
    pattern = re.compile(r'^--8<-- "([^":]+)(?::([\w-]+))?"$', re.MULTILINE)
    seen = 0
    for page in DOCS.rglob("*.md"):
        for path, section in pattern.findall(page.read_text(encoding="utf-8")):
            seen += 1
            target = REPO / path
            assert target.is_file(), f"{page}: {path}"
            if section:
                assert f"--8<-- [start:{section}]" in target.read_text(encoding="utf-8")
    assert seen >= 8


@pytest.mark.slow
def test_site_builds_strictly_with_generated_pages(tmp_path):
    pytest.importorskip("mkdocs")
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent))
    assert mkdocs is not None
    site = tmp_path / "site"
    proc = subprocess.run(
        [mkdocs, "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": str(Path(sys.executable).parent)},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    cli_page = (site / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    for command in ("analyze", "plugins", "schema", "new-plugin"):
        assert f"copydesk {command}" in cli_page
    hooks_page = (site / "plugins" / "hook-reference" / "index.html").read_text(encoding="utf-8")
    assert all(name in hooks_page for name in _hook_names())
    tutorial = (site / "plugins" / "tutorial" / "index.html").read_text(encoding="utf-8")
    assert "LoadedLanguageSettings" in tutorial
    assert "--8&lt;--" not in tutorial  # every include was resolved
    index = (site / "analyzers" / "index.html").read_text(encoding="utf-8")
    for page in (DOCS / "analyzers").glob("*.md"):
        if page.name != "index.md":
            assert f'<td><a href="{page.stem}/">{page.stem}</a></td>' in index


# -- one test per hook (the reference promises each of these behaviours) -------------------


class _WordsAnalyzer(Analyzer[Any]):
    """Flags words from a lexicon other plugins contribute to."""

    name = "lexicon_words"

    def analyze(self, ctx: AnalysisContext) -> None:
        for word in self.lexicons.get("test.words", []):
            at = ctx.text.find(word)
            if at >= 0:
                ctx.add_finding("word", at, at + len(word))


class _EntsAnalyzer(Analyzer[Any]):
    """Reports the shared parse's entities with their labels."""

    name = "raw_ents"
    needs = frozenset({Capability.NER})

    def analyze(self, ctx: AnalysisContext) -> None:
        assert ctx.spacy_doc is not None
        for ent in ctx.spacy_doc.ents:
            ctx.add_finding("ent", ent.start_char, ent.end_char, label=ent.label_)


class _Plugin:
    @hookimpl
    def register_analyzers(self, register: Any) -> None:
        register(_WordsAnalyzer)
        register(_EntsAnalyzer)

    @hookimpl
    def register_readers(self, register: Any) -> None:
        def read(raw: bytes, source: str) -> Any:
            for number, line in enumerate(raw.decode("utf-8").splitlines(), 1):
                if line.strip():
                    yield Document(id=f"{source}:{number}", text=line)

        register(Reader(name="lines", suffixes=(".lines",), read=read))

    @hookimpl
    def register_output_formats(self, register: Any) -> None:
        def write(results: Any, out: Any) -> None:
            for result in results:
                out.write(f"{result.document.id}\t{len(result.findings)}\n")

        register(OutputFormat(name="counts", write=write))

    @hookimpl
    def register_sinks(self, register: Any) -> None:
        class Tally(Sink):
            def write(self, analyzed: Any) -> None:
                self.output.text().write(f"{analyzed.document.id}={len(analyzed.findings)};")

            def end(self, summary: Any) -> None:
                self.output.text().write(f"total={summary.documents}\n")

        register(SinkType("tally", Tally, suffixes=(".tally",)))

    @hookimpl
    def register_executors(self, register: Any) -> None:
        class Reversing(Executor):
            """Analyzes in reverse order, then restores it: order is the executor's job."""

            def run(self, engine: Any, items: Any) -> Any:
                done = list(engine.spec().build().analyze_many(list(items)[::-1]))
                return iter(done[::-1])

        register(ExecutorType("reversing", Reversing))

    @hookimpl
    def register_renderers(self, register: Any) -> None:
        register(Renderer("lexicon_words", lambda f: f"WORD {f.text.upper()}"))

    @hookimpl
    def register_lexicon_entries(self, register: Any) -> None:
        register("test.words", ["ferry", "strike"])

    @hookimpl
    def extend_pipeline(self, nlp: Any, needs: frozenset[Capability]) -> None:
        if Capability.NER in needs and "entity_ruler" not in nlp.pipe_names:
            ruler = nlp.add_pipe("entity_ruler", before="ner")
            ruler.add_patterns([{"label": "OUTLET", "pattern": "Harbor Ledger"}])

    @hookimpl
    def register_aggregations(self, register: Any) -> None:
        from copydesk import Aggregation

        register(
            Aggregation(
                "lexicon_words.words",
                """SELECT {keys}, text AS word, count(*) AS found FROM findings
                   WHERE analyzer = 'lexicon_words' GROUP BY {keys}, text ORDER BY word""",
                table=True,
                needs=("finding:lexicon_words.word",),
            )
        )

    @hookimpl
    def register_commands(self, cli: click.Group) -> None:
        @click.command("shout")
        @click.argument("word")
        def shout(word: str) -> None:
            click.echo(word.upper())

        cli.add_command(shout)


def _host() -> Any:
    return make_plugin_host(plugins=[_Plugin()], load_entry_points=False)


def test_hook_register_analyzers():
    host = _host()
    assert {"lexicon_words", "raw_ents"} <= set(host.analyzers())
    assert host.analyzers()["lexicon_words"].cls is _WordsAnalyzer


def test_hook_register_readers():
    reader = _host().readers()["lines"]
    docs = list(reader.read(b"Ferries stopped.\n\nTalks resumed.\n", "wire.lines"))
    assert [(d.id, d.text) for d in docs] == [
        ("wire.lines:1", "Ferries stopped."),
        ("wire.lines:3", "Talks resumed."),
    ]


def _run_to_string(host: Any, sink_name: str, executor: Any = None) -> str:
    engine = Engine(host=host, analyzers=["lexicon_words"])
    out = io.StringIO()
    sink = host.sinks()[sink_name].factory(Output(stream=out))
    docs = [Document(id="a", text="The ferry strike ended."), Document(id="b", text="Calm.")]
    summary = run_session(docs, engine, sink, executor)
    assert summary.exit_code == 0
    return out.getvalue()


def test_hook_register_aggregations(tmp_path):
    pytest.importorskip("duckdb")
    from copydesk.reporting import collect_aggregations, make_report

    host = _host()
    assert "lexicon_words.words" in {a.name for a in collect_aggregations(host)}
    results = tmp_path / "results.jsonl"
    results.write_text(_run_to_string(host, "jsonl"), encoding="utf-8")
    report = make_report(results, host=host)
    # the plugin's table, computed over its findings ("ferry" and "strike" in document a)
    assert report["lexicon_words.words"].records() == [
        {"corpus": "all", "word": "ferry", "found": 1},
        {"corpus": "all", "word": "strike", "found": 1},
    ]


def test_hook_register_output_formats():
    # the older API: a write function over all documents, still accepted
    assert _run_to_string(_host(), "counts") == "a\t2\nb\t0\n"


def test_hook_register_sinks():
    assert _run_to_string(_host(), "tally") == "a=2;b=0;total=2\n"


def test_hook_register_executors():
    host = _host()
    assert "reversing" in host.executors()
    assert _run_to_string(host, "tally", executor="reversing") == "a=2;b=0;total=2\n"


def test_hook_register_renderers():
    host = _host()
    out = io.StringIO()
    engine = Engine(host=host, analyzers=["lexicon_words"])
    sink = host.sinks()["text"].factory(Output(stream=out), renderers=Renderers(host.renderers()))
    run_session([Document(id="a", text="The ferry strike ended.")], engine, sink)
    assert "WORD FERRY" in out.getvalue()
    assert "WORD STRIKE" in out.getvalue()


def test_hook_register_lexicon_entries():
    result = Engine(host=_host(), analyzers=["lexicon_words"]).analyze(
        "The ferry strike entered its third day."
    )
    assert sorted(f.text for f in result.findings) == ["ferry", "strike"]


@pytest.mark.slow
def test_hook_extend_pipeline():
    engine = Engine(host=_host(), analyzers=["raw_ents"])
    result = engine.analyze("Reporters at the Harbor Ledger broke the story on Friday.")
    labels = {f.text: f.label for f in result.findings}
    assert labels["Harbor Ledger"] == "OUTLET"
    assert "entity_ruler" in engine.load().nlp.pipe_names


def test_hook_register_commands():
    group = click.Group()
    _host().pm.hook.register_commands(cli=group)
    result = CliRunner().invoke(group, ["shout", "strike"])
    assert result.output.strip() == "STRIKE"
