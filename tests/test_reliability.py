"""Reliability of the real command line: nothing lost, nothing destroyed, one-line errors.

Subprocess tests of ``copydesk analyze`` with only the stats analyzer (no spaCy),
and the misbehaving plugins of tests/faulty.py installed as a distribution
(a ``.dist-info`` with an entry point on PYTHONPATH), as a user would have them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
STORY = "Dockers walked out on Monday. Officials said talks would resume.\n"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fault_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder on PYTHONPATH holding tests/faulty.py as an installed plugin distribution."""
    site = tmp_path_factory.mktemp("fault-site")
    shutil.copy(TESTS / "faulty.py", site / "faulty_plugin.py")
    shutil.copy(TESTS / "core_plugins.py", site / "core_plugins.py")
    info = site / "copydesk_faulty-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: copydesk-faulty\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[copydesk]\nfaulty = faulty_plugin\n")
    return site


def copydesk(
    *args: str, site: Path | None = None, fault: str = "raise", cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COPYDESK_TEST_FAULT": fault}
    env.pop("COPYDESK_DISABLE_PLUGIN_AUTOLOAD", None)
    if site is not None:
        env["PYTHONPATH"] = f"{site}{os.pathsep}{env.get('PYTHONPATH', '')}"
    return subprocess.run(
        [sys.executable, "-m", "copydesk", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_output_naming_an_input_is_refused_and_the_input_kept(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": STORY}) + "\n")
    before = corpus.read_bytes()
    link = tmp_path / "link.jsonl"
    link.symlink_to(corpus)
    hard = tmp_path / "hard.jsonl"
    os.link(corpus, hard)
    for target in (corpus, link, hard):
        proc = copydesk("analyze", str(corpus), "-a", "stats", "-o", str(target))
        assert proc.returncode == 2, proc.stderr
        assert "is also an input" in proc.stderr
        assert corpus.read_bytes() == before


def test_a_typo_in_the_input_leaves_earlier_results_alone(tmp_path):
    results = tmp_path / "results.jsonl"
    results.write_text('{"earlier": "results"}\n')
    proc = copydesk("analyze", str(tmp_path / "storyy.txt"), "-a", "stats", "-o", str(results))
    assert proc.returncode == 2
    assert "storyy.txt: no such file" in proc.stderr
    assert results.read_text() == '{"earlier": "results"}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["results.jsonl"]  # no temporary left


def test_unknown_output_suffix_is_a_usage_error(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    proc = copydesk("analyze", str(story), "-a", "stats", "-o", str(tmp_path / "out.xlsx"))
    assert proc.returncode == 2
    assert "no format writes '.xlsx' files" in proc.stderr
    assert not (tmp_path / "out.xlsx").exists()


def test_dash_o_dash_is_standard_output(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    proc = copydesk("analyze", str(story), "-a", "stats", "-f", "jsonl", "-o", "-", cwd=tmp_path)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["document"]["id"].endswith("story.txt")
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("fault", ["exit", "print", "unserializable", "thread"])
def test_a_misbehaving_plugin_never_corrupts_or_ends_the_run(fault_site, tmp_path, fault):
    lines = [json.dumps({"id": f"d{n}", "text": STORY}) for n in range(3)]
    corpus = tmp_path / "in.jsonl"
    corpus.write_text("\n".join(lines) + "\n")
    proc = copydesk(
        "analyze", str(corpus), "-a", "stats,faulty", "-f", "jsonl", site=fault_site, fault=fault
    )
    rows = [json.loads(line) for line in proc.stdout.splitlines()]  # stdout is pure JSONL
    assert [r["document"]["id"] for r in rows] == ["d0", "d1", "d2"]
    assert all(r["metrics"]["stats.words"] == 10 for r in rows)
    expected_code = 0 if fault in {"print", "thread"} else 1
    assert proc.returncode == expected_code, proc.stderr


def test_sigterm_stops_workers_and_keeps_completed_documents(fault_site, tmp_path):
    corpus = tmp_path / "many.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": f"d{n}", "text": STORY}) + "\n" for n in range(400))
    )
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "COPYDESK_TEST_FAULT": "slow", "PYTHONPATH": str(fault_site)}
    marker = str(corpus)
    args = ["analyze", marker, "-a", "stats,faulty", "-j", "2", "--batch-size", "4"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "copydesk", *args, "-o", str(out)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.jsonl.*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted:" in stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert 0 < len(rows) < 400
    assert [r["document"]["id"] for r in rows] == [f"d{n}" for n in range(len(rows))]
    time.sleep(0.5)
    assert not _processes_mentioning(marker), "worker processes outlived the run"


def test_a_partition_that_kills_its_worker_fails_alone_with_dash_o_folder(fault_site, tmp_path):
    """-j 2 -o FOLDER/: a worker crash breaks the whole pool; only the killer is lost."""
    corpus = tmp_path / "briefs"
    corpus.mkdir()
    body = STORY * 300  # about 20 KB: over the smallest partition, so one file each
    for n in range(8):
        (corpus / f"brief-{n}.txt").write_text(f"Story {n}. {body}")
    (corpus / "brief-3.txt").write_text("This brief will crash the worker. " + body)
    out = tmp_path / "out"
    proc = copydesk(
        "analyze",
        str(corpus),
        "-a",
        "stats,faulty",
        "-j",
        "2",
        "-o",
        f"{out}/",
        site=fault_site,
        fault="crash_worker",
    )
    assert proc.returncode == 2, proc.stderr
    lost = [line for line in proc.stderr.splitlines() if "brief-" in line]
    assert len(lost) == 1
    assert "brief-3.txt: not analyzed: its worker process died" in lost[0]
    manifest = json.loads((out / "_copydesk.json").read_text())
    assert manifest["partitions"] == 8
    rows = [
        json.loads(line)
        for shard in manifest["shards"]
        for line in (out / shard).read_text().splitlines()
    ]
    expected = sorted(str(corpus / f"brief-{n}.txt") for n in range(8) if n != 3)
    assert sorted(r["document"]["id"] for r in rows) == expected
    assert all(run["status"] == "ok" for r in rows for run in r["analyzers"])


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in cmdline:
            found.append(int(entry.name))
    return found


# -- inputs that once took the run (or the machine) down --------------------------------


def test_an_endless_input_is_stopped_at_max_chars(tmp_path):
    proc = copydesk(
        "analyze", "/dev/zero", "-a", "stats", "--input-format", "text", "-f", "jsonl",
        "--set", "stats.long_sentence_words=40",
    )  # fmt: skip
    assert proc.returncode == 2
    assert "/dev/zero: is too long (more than 1,000,000 characters" in proc.stderr


def test_a_huge_jsonl_line_costs_one_error_and_the_rest_comes_through(tmp_path):
    corpus = tmp_path / "in.jsonl"
    with corpus.open("w") as out:
        out.write(json.dumps({"id": "before", "text": STORY}) + "\n")
        out.write('{"id": "huge", "text": "' + "x" * 5_000_000 + '"}\n')
        out.write(json.dumps({"id": "after", "text": STORY}) + "\n")
    proc = copydesk("analyze", str(corpus), "-a", "stats", "-f", "jsonl")
    ids = [json.loads(line)["document"]["id"] for line in proc.stdout.splitlines()]
    assert ids == ["before", "after"]
    assert f"{corpus}:2: is too long" in proc.stderr
    assert proc.returncode == 2


def test_deeply_nested_meta_is_one_line_and_the_batch_survives(tmp_path):
    corpus = tmp_path / "in.jsonl"
    deep = "[" * 5000 + "]" * 5000
    corpus.write_text(
        json.dumps({"id": "a", "text": STORY})
        + "\n"
        + '{"id": "deep", "text": "T.", "meta": {"x": '
        + deep
        + "}}\n"
        + json.dumps({"id": "c", "text": STORY})
        + "\n"
    )
    proc = copydesk("analyze", str(corpus), "-a", "stats", "-f", "jsonl")
    ids = [json.loads(line)["document"]["id"] for line in proc.stdout.splitlines()]
    assert ids == ["a", "c"]
    assert "nested too deeply" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_ctrl_c_exits_130_with_valid_json_and_a_summary(fault_site, tmp_path):
    corpus = tmp_path / "many.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": f"d{n}", "text": STORY}) + "\n" for n in range(300))
    )
    out = tmp_path / "out.json"
    started = tmp_path / "started"
    env = {
        **os.environ,
        "COPYDESK_TEST_FAULT": "slow",
        "COPYDESK_TEST_STARTED": str(started),
        "PYTHONPATH": str(fault_site),
    }
    args = ["analyze", str(corpus), "-a", "stats,faulty", "-o", str(out)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "copydesk", *args],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Interrupt once documents are being analyzed (a fixed sleep raced start-up
    # on a loaded machine), and early enough that most of the 300 are still to do.
    deadline = time.monotonic() + 120
    while not started.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted:" in stderr
    documents = json.loads(out.read_text())
    assert 0 < len(documents) < 300


def test_a_full_disk_is_one_line_and_exit_2(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY * 2000)
    proc = copydesk("analyze", str(story), "-a", "stats", "-f", "jsonl", "-o", "/dev/full")
    assert proc.returncode == 2
    assert "/dev/full: cannot write (No space left on device)" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert Path("/dev/full").is_char_device()  # written in place, never replaced


def test_jsonl_on_stdin_with_a_bad_first_line_keeps_the_rest(tmp_path):
    env = {**os.environ}
    lines = '{"id": "bad", "text": oops}\n' + json.dumps({"id": "ok", "text": STORY}) + "\n"
    proc = subprocess.run(
        [sys.executable, "-m", "copydesk", "analyze", "-", "-a", "stats", "-f", "jsonl"],
        input=lines,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert [json.loads(x)["document"]["id"] for x in proc.stdout.splitlines()] == ["ok"]
    assert "<stdin>:1: malformed JSON" in proc.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder; cannot make one unreadable")
def test_an_unreadable_subfolder_is_an_error_not_a_gap(tmp_path):
    (tmp_path / "ok.txt").write_text(STORY)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.txt").write_text(STORY)
    locked.chmod(0)
    try:
        proc = copydesk("analyze", str(tmp_path), "-a", "stats", "-f", "jsonl")
    finally:
        locked.chmod(0o755)
    assert proc.returncode == 2
    assert "locked: cannot be read" in proc.stderr


@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        ({"copydesk.toml": b'model = "caf\xe9"\n'}, [], "copydesk.toml: not UTF-8 text"),
        (
            {"pyproject.toml": b"[tool.copydesk\nmodel = 1\n"},
            [],
            "pyproject.toml: invalid TOML, so [tool.copydesk] cannot be read",
        ),
        (
            {"model/meta.json": b'{"name": "x"}'},
            ["--model", "model", "-a", "entities"],  # an analyzer that needs a model
            "no 'lang'",
        ),
        ({}, ["--batch-size", str(sys.maxsize * 2)], "--batch-size"),
        ({}, ["-a", ""], "--analyzers: no analyzer named"),
    ],
    ids=["toml-not-utf8", "pyproject-invalid", "model-without-lang", "batch-size", "empty-a"],
)
def test_bad_settings_are_one_line_errors(tmp_path, files, args, message):
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    (tmp_path / "story.txt").write_text(STORY)
    proc = copydesk("analyze", "story.txt", *args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_garbage_in_copydesk_plugins_names_the_variable(tmp_path):
    (tmp_path / "story.txt").write_text(STORY)
    env = {**os.environ, "COPYDESK_PLUGINS": "nonsense;;"}
    proc = subprocess.run(
        [sys.executable, "-m", "copydesk", "analyze", "story.txt"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "COPYDESK_PLUGINS names no installed plugin nonsense;;" in proc.stderr


def test_closed_stdout_is_one_line(tmp_path):
    (tmp_path / "story.txt").write_text(STORY)
    proc = subprocess.run(
        f"{sys.executable} -m copydesk analyze story.txt -a stats >&-",
        shell=True, capture_output=False, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "standard output is closed" in proc.stderr


@pytest.mark.parametrize(
    ("name", "content", "expect"),
    [
        ("crlf.txt", b"One line.\r\nTwo line.\rThree.\r\n", "One line.\nTwo line.\nThree."),
        ("utf16.txt", "Caf\u00e9 owners said so.\n".encode("utf-16"), "Caf\u00e9 owners said so."),
    ],
)
def test_line_ends_and_utf16_are_read_as_text(tmp_path, name, content, expect):
    (tmp_path / name).write_bytes(content)
    proc = copydesk("analyze", name, "-a", "stats", "-f", "jsonl", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["document"]["text"].strip() == expect


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "holds no documents"),
        ('{"id": "a", "text": "T\u0001x"}', "Invalid control character at line 1 column"),
        ('{"id": "a", "text": "T.", "outlet": "X", "meta": {"outlet": "Y"}}', "both a top-level"),
        ('{"id": {"n": 1}, "text": "T."}', "'id' must be a string or a number"),
    ],
)
def test_bad_jsonl_lines_get_clear_messages(tmp_path, content, message):
    (tmp_path / "in.jsonl").write_text(
        content.replace("\u0001", "\\u0001").replace("T\\u0001x", "T\u0001x") + "\n"
        if content
        else ""
    )
    proc = copydesk("analyze", "in.jsonl", "-a", "stats", cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "at at" not in proc.stderr


def test_duplicate_ids_are_warned_about(tmp_path):
    rows = [{"id": "same", "text": STORY}, {"id": "same", "text": STORY}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    proc = copydesk("analyze", "in.jsonl", "-a", "stats", "-f", "jsonl", cwd=tmp_path)
    assert len(proc.stdout.splitlines()) == 2
    assert "same: duplicate id" in proc.stderr


def test_an_output_file_gets_the_usual_permissions(tmp_path):
    (tmp_path / "story.txt").write_text(STORY)
    kept = tmp_path / "kept.jsonl"
    kept.write_text("old\n")
    kept.chmod(0o640)
    for name in ("new.jsonl", "kept.jsonl"):
        proc = copydesk("analyze", "story.txt", "-a", "stats", "-o", name, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "new.jsonl").stat().st_mode & 0o777 == 0o666 & ~umask
    assert kept.stat().st_mode & 0o777 == 0o640
