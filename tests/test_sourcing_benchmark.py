"""The sourcing accuracy benchmark labels each run with what produced its scores."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))  # the script imports its sibling jsonl_rows
    try:
        spec = importlib.util.spec_from_file_location(
            "sourcing_accuracy", BENCHMARKS / "sourcing_accuracy.py"
        )
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


def mode(bench: ModuleType, *argv: str) -> str:
    label: str = bench.run_mode(bench.build_parser().parse_args(["train.jsonl", *argv]))
    return label


@pytest.mark.parametrize("argv", [("--held-out", "5"), ("--cv", "5")])
def test_fold_runs_are_not_labelled_shipped_weights(bench: ModuleType, argv: tuple[str]) -> None:
    label = mode(bench, *argv)
    assert "shipped" not in label
    assert label.startswith("weights trained per fold on train.jsonl")


def test_labels_name_the_fold_setup(bench: ModuleType) -> None:
    assert "fold 0 of 5 held out" in mode(bench, "--held-out", "5")
    label = mode(bench, "--cv", "4", "--threshold", "0.6", "--no-filter")
    assert "4-fold cross-validation" in label
    assert "cue 0.6" in label
    assert label.endswith("no relation filter")


def test_plain_runs_keep_their_labels(bench: ModuleType) -> None:
    assert mode(bench).startswith("shipped weights")
    assert mode(bench, "--rules-only").startswith("rules only")
    assert mode(bench, "--weights", "w.json") == "weights w.json"


@pytest.mark.parametrize("flag", [("--rules-only",), ("--weights", "w.json"), ("--nested",)])
def test_flags_fold_runs_would_ignore_are_refused(
    bench: ModuleType, flag: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        bench.main(["train.jsonl", "--held-out", "5", *flag])
    assert "apply without --cv/--held-out" in capsys.readouterr().err
