"""The command line: inputs good and bad, formats, config, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from copydesk.cli import cli

ARTICLE = (
    "Port workers in Rotterdam walked out on Monday. The union said the strike would last "
    "48 hours.\nShipping firms said cargo was already piling up at the terminals."
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "strike.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def run(runner: CliRunner, *args: str, input: str | bytes | None = None):
    return runner.invoke(cli, ["analyze", "-a", "stats", *args], input=input)


def test_text_output_shows_findings_with_lines_and_metrics(runner, tmp_path):
    path = tmp_path / "long.txt"
    long_sentence = " ".join(["word"] * 12) + "."
    path.write_text(f"Short one.\n{long_sentence}", encoding="utf-8")
    result = run(runner, str(path), "--set", "stats.long_sentence_words=10")
    assert result.exit_code == 0, result.output
    assert "-- stats (stats.v1" in result.output
    assert "L2:1    long_sentence  12 words (limit 10)" in result.output
    assert "stats.sentences" in result.output


def test_json_output_is_the_documented_contract(runner, article):
    result = run(runner, str(article), "--format", "json")
    data = json.loads(result.stdout)
    assert data["schema_version"] == "1.0"
    assert data["document"]["id"] == str(article)
    assert data["metrics"]["stats.sentences"] == 3
    assert data["analyzers"][0]["status"] == "ok"


def test_jsonl_from_stdin_with_ids_titles_and_meta(runner):
    lines = [
        {"id": "a1", "text": ARTICLE, "title": "Strike", "url": "https://example.org/a1"},
        {"id": "a2", "text": "Ships waited. Cargo piled up.", "meta": {"outlet": "Wire"}},
    ]
    result = run(runner, "-", "--format", "jsonl", input="\n".join(json.dumps(x) for x in lines))
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["document"]["id"] for o in out] == ["a1", "a2"]
    assert out[0]["document"]["meta"] == {"url": "https://example.org/a1"}
    assert out[1]["document"]["meta"] == {"outlet": "Wire"}


def test_plain_stdin_is_one_document(runner):
    result = run(runner, "--format", "json", input="Ships waited. Cargo piled up.")
    assert json.loads(result.stdout)["metrics"]["stats.sentences"] == 2


def test_output_file_and_format_from_its_suffix(runner, article, tmp_path):
    out = tmp_path / "out.jsonl"
    result = run(runner, str(article), "--output", str(out))
    assert result.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["metrics"]["stats.words"] == 28


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "latin1.txt",
            "Caf\xe9 owners protested.".encode("latin-1"),
            "is not valid UTF-8 (byte 0xe9",
        ),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary data"),
        ("empty.txt", b"  \n\n", "is empty"),
        (
            "bad.jsonl",
            b'{"id": "x", "text": "fine"}\n{"id": "y", text}\n',
            "bad.jsonl:2: malformed JSON",
        ),
        (
            "notext.jsonl",
            b'{"id": "x", "title": "no body"}\n',
            "notext.jsonl:1: document has no 'text'",
        ),
        ("list.json", b'[{"id": "x", "text": 5}]', "'text' must be a string"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(runner, tmp_path, article, name, content, message):
    bad = tmp_path / name
    bad.write_bytes(content)
    result = run(runner, str(bad), str(article), "--format", "jsonl")
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("copydesk: error:")]
    assert len(errors) == 1
    assert str(bad) in errors[0]
    assert message in errors[0]
    # the good document still came out
    ids = [json.loads(line)["document"]["id"] for line in result.stdout.splitlines()]
    assert str(article) in ids


def test_missing_file_is_reported_and_the_rest_still_runs(runner, article, tmp_path):
    missing = tmp_path / "nope.txt"
    result = run(runner, str(missing), str(article), "--format", "jsonl")
    assert result.exit_code == 2
    assert f"copydesk: error: {missing}: no such file" in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_enormous_document_is_refused_with_its_size(runner, tmp_path, monkeypatch):
    (tmp_path / "copydesk.toml").write_text("max_chars = 100\n", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text("The strike went on. " * 20, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(runner, str(big))
    assert result.exit_code == 2
    assert "big.txt: is too long (400 characters; the limit is 100)" in result.stderr


def test_config_file_settings_and_wrong_keys(runner, tmp_path, article):
    config = tmp_path / "copydesk.toml"
    config.write_text("[settings.stats]\nlong_sentence_words = 5\n", encoding="utf-8")
    ok = runner.invoke(cli, ["--config", str(config), "analyze", "-a", "stats", str(article)])
    assert ok.exit_code == 0
    assert "long_sentence" in ok.output
    config.write_text("[settings.stats]\nlong_sentence_wrds = 5\n", encoding="utf-8")
    bad = runner.invoke(cli, ["--config", str(config), "analyze", "-a", "stats", str(article)])
    assert bad.exit_code == 2
    assert "analyzer 'stats': unknown option 'stats.long_sentence_wrds'" in bad.stderr
    assert str(config) in bad.stderr
    config.write_text("modle = 'x'\n", encoding="utf-8")
    bad = runner.invoke(cli, ["--config", str(config), "analyze", "-a", "stats", str(article)])
    assert "unknown option 'modle'" in bad.stderr


def test_pyproject_tool_section_is_read(runner, tmp_path, article, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(
        "[tool.copydesk.settings.stats]\nlong_sentence_words = 5\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = run(runner, str(article))
    assert "limit 5" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "stats"], "expected ANALYZER.OPTION=VALUE"),
        (
            ["--set", "stats.long_sentence_words=many"],
            "long_sentence_words: Input should be a valid integer",
        ),
        (["-a", "statz"], "unknown analyzer 'statz'; did you mean 'stats'?"),
        (["--format", "xml"], "unknown format 'xml'"),
    ],
)
def test_usage_errors_exit_2_with_one_line(runner, article, args, message):
    result = runner.invoke(cli, ["analyze", "-a", "stats", *args, str(article)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_schema_command_prints_json_schema(runner):
    schema = json.loads(runner.invoke(cli, ["schema"]).output)
    assert schema["title"].startswith("copydesk analyzed document")


def test_plugins_requirements_and_options(runner):
    reqs = runner.invoke(cli, ["plugins", "--all", "--requirements"]).output.splitlines()
    assert any(line.startswith("copydesk==") for line in reqs)
    listed = json.loads(runner.invoke(cli, ["plugins", "--all", "--options"]).output)
    stats = next(p for p in listed if p["name"] == "stats")
    assert stats["analyzers"][0]["options"]["long_sentence_words"]["default"] == 40


def test_plugins_filtered_by_hook(runner):
    listed = json.loads(
        runner.invoke(cli, ["plugins", "--all", "--hook", "register_readers"]).output
    )
    assert [p["name"] for p in listed] == ["copydesk.core"]


def test_help_and_version_do_not_import_spacy():
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom copydesk.cli import cli\n"
        "r = CliRunner()\nassert r.invoke(cli, ['--help']).exit_code == 0\n"
        "assert r.invoke(cli, ['--version']).exit_code == 0\n"
        "assert r.invoke(cli, ['plugins', '--all']).exit_code == 0\n"
        "print('spacy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_real_subprocess_exit_codes(tmp_path, article):
    ok = subprocess.run(
        [sys.executable, "-m", "copydesk", "analyze", "-a", "stats", str(article)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0
    assert "stats.words" in ok.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "copydesk", "analyze", "-a", "stats", str(tmp_path / "gone.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2
    assert missing.stderr.startswith(f"copydesk: error: {tmp_path / 'gone.txt'}: no such file")


def test_jsonl_is_streamed_line_by_line(runner, tmp_path):
    """A JSONL input is consumed lazily: results appear before the whole file is read."""
    from copydesk.io.readers import read_jsonl

    class CountingStream:
        def __init__(self, lines):
            self.lines = list(lines)
            self.read_lines = 0

        def readline(self, limit=-1):
            if not self.lines:
                return b""
            self.read_lines += 1
            return self.lines.pop(0)

    stream = CountingStream([b'{"id": "1", "text": "One."}\n', b'{"id": "2", "text": "Two."}\n'])
    documents = read_jsonl(stream, "big.jsonl")
    first = next(documents)
    assert first.id == "1"
    assert stream.read_lines == 1


def test_jobs_spread_work_over_processes_and_keep_order(runner, tmp_path):
    lines = [json.dumps({"id": f"d{i}", "text": "Ships waited. " * (i + 1)}) for i in range(7)]
    lines.insert(3, "{broken")
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = runner.invoke(
        cli,
        ["analyze", "-a", "stats", "--jobs", "2", "--batch-size", "2", str(path), "-f", "jsonl"],
    )
    assert result.exit_code == 2  # the broken line
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["document"]["id"] for o in out] == [f"d{i}" for i in range(7)]
    assert [o["metrics"]["stats.sentences"] for o in out] == list(range(1, 8))
    assert "many.jsonl:4: malformed JSON" in result.stderr


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "m", "text": "Ships waited.", "meta": "wire"}', "'meta' must be an object"),
        ('{"id": "s", "text": "Ships \\ud800 waited."}', "contains an invalid character"),
    ],
)
def test_bad_document_fields_are_input_errors(runner, tmp_path, line, message):
    path = tmp_path / "docs.jsonl"
    good = json.dumps({"id": "ok", "text": "Cargo piled up."})
    path.write_text(f"{line}\n{good}\n", encoding="utf-8")
    result = run(runner, str(path), "-f", "jsonl")
    assert result.exit_code == 2
    assert f"docs.jsonl:1: {message}" in result.stderr
    assert [json.loads(x)["document"]["id"] for x in result.stdout.splitlines()] == ["ok"]


def test_null_id_falls_back_to_the_line(runner, tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": null, "text": "Cargo piled up."}\n', encoding="utf-8")
    out = json.loads(run(runner, str(path), "-f", "json").stdout)
    assert out["document"]["id"] == f"{path}:1"


def test_pretty_printed_json_object_on_stdin(runner):
    text = json.dumps({"id": "p", "text": "Ships waited. Cargo piled up."}, indent=2)
    result = run(runner, "-", "-f", "json", input=text)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["document"]["id"] == "p"


def test_json_output_of_no_document_is_an_empty_array(runner, tmp_path):
    path = tmp_path / "none.json"
    path.write_text("[]", encoding="utf-8")
    result = run(runner, str(path), "-f", "json")
    assert json.loads(result.stdout) == []


def test_output_file_inside_an_input_directory_is_not_read_back(runner, tmp_path):
    folder = tmp_path / "arts"
    folder.mkdir()
    (folder / "a.txt").write_text("Ships waited.", encoding="utf-8")
    (folder / "b.txt").write_text("Cargo piled up.", encoding="utf-8")
    out = folder / "results.jsonl"
    result = run(runner, str(folder), "-o", str(out), "--batch-size", "1")
    assert result.exit_code == 0, result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_settings_of_an_unselected_analyzer_are_still_checked(runner, tmp_path, article):
    config = tmp_path / "copydesk.toml"
    config.write_text("[settings.stats]\nlong_sentence_wrds = 5\n", encoding="utf-8")
    result = runner.invoke(
        cli, ["--config", str(config), "analyze", "-a", "readability", str(article)]
    )
    assert result.exit_code == 2
    assert "unknown option 'stats.long_sentence_wrds'" in result.stderr


def test_blocked_plugin_is_named_when_its_analyzer_is_asked_for(runner, article):
    result = runner.invoke(cli, ["-p", "no:stats", "analyze", "-a", "stats", str(article)])
    assert result.exit_code == 2
    assert "blocked plugins: stats" in result.stderr


def test_the_old_analyzers_tables_still_work_with_a_deprecation_warning(tmp_path):
    from copydesk import config as config_module
    from copydesk.config import load_config

    config_module._WARNED.discard("analyzers")
    path = tmp_path / "copydesk.toml"
    path.write_text("[analyzers.stats]\nlong_sentence_words = 5\n", encoding="utf-8")
    with pytest.warns(DeprecationWarning, match=r"now \[settings\.NAME\]"):
        config = load_config(path)
    assert config.settings == {"stats": {"long_sentence_words": 5}}
