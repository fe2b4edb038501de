"""Helpers for testing analyzers, built-in or third-party, in a few lines.

    from copydesk.testing import run_analyzers, assert_finding

    def test_reportedly_is_a_hedge():
        doc = run_analyzers("The minister reportedly resigned.", ["hedging"])
        assert_finding(doc, analyzer="hedging", kind="hedge", text="reportedly")

Engines are cached by their options, so a test module that runs the same
analyzers on many texts loads the spaCy pipeline once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from copydesk.model import AnalyzedDocument, Document, Finding, check_span
from copydesk.runner import Engine

_ENGINES: dict[str, Engine] = {}


def get_engine(
    analyzers: Iterable[str],
    settings: dict[str, dict[str, Any]] | None = None,
    **options: Any,
) -> Engine:
    """A cached strict engine for these analyzers (dependencies added)."""
    names = list(analyzers)
    key = json.dumps([names, settings or {}, sorted(options.items(), key=str)], default=str)
    engine = _ENGINES.get(key)
    if engine is None:
        options.setdefault("strict", True)
        options.setdefault("with_deps", True)
        engine = Engine(analyzers=names, settings=settings, **options)
        _ENGINES[key] = engine
    return engine


def run_analyzers(
    text: str,
    analyzers: Iterable[str],
    *,
    title: str | None = None,
    settings: dict[str, dict[str, Any]] | None = None,
    **options: Any,
) -> AnalyzedDocument:
    """Run the named analyzers (and what they require) on ``text``; errors are raised."""
    engine = get_engine(analyzers, settings, **options)
    result = engine.analyze(Document(id="test", text=text, title=title))
    assert_valid_spans(result)
    return result


def assert_valid_spans(result: AnalyzedDocument) -> None:
    """Every finding's offsets lie in the text and its ``text`` is the slice it names."""
    text = result.document.text
    for finding in result.findings:
        check_span(text, finding.start, finding.end, finding.text)
        for value in finding.data.values():
            if isinstance(value, dict) and {"start", "end", "text"} <= value.keys():
                check_span(text, value["start"], value["end"], value["text"])


def find(
    result: AnalyzedDocument,
    *,
    analyzer: str | None = None,
    kind: str | None = None,
    text: str | None = None,
    label: str | None = None,
) -> list[Finding]:
    """Findings matching every given field (``text`` compares the span's text)."""
    return [
        f
        for f in result.findings_of(analyzer, kind)
        if (text is None or f.text == text) and (label is None or f.label == label)
    ]


def assert_finding(
    result: AnalyzedDocument,
    *,
    analyzer: str | None = None,
    kind: str | None = None,
    text: str | None = None,
    label: str | None = None,
) -> Finding:
    """Exactly the finding asked for exists; returns the first match."""
    matches = find(result, analyzer=analyzer, kind=kind, text=text, label=label)
    if not matches:
        seen = [(f.kind, f.text, f.label) for f in result.findings_of(analyzer)]
        msg = f"no finding {kind=} {text=} {label=} from {analyzer}; found {seen}"
        raise AssertionError(msg)
    return matches[0]


def assert_no_finding(
    result: AnalyzedDocument,
    *,
    analyzer: str | None = None,
    kind: str | None = None,
    text: str | None = None,
) -> None:
    """No finding matches (e.g. "May" the month is no hedge)."""
    matches = find(result, analyzer=analyzer, kind=kind, text=text)
    if matches:
        msg = f"unexpected findings: {[(f.kind, f.text, f.start) for f in matches]}"
        raise AssertionError(msg)
