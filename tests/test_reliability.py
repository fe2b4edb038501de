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
