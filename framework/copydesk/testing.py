"""Helpers for testing analyzers, built-in or third-party, in a few lines.

    from copydesk.testing import run_analyzers, assert_finding

    def test_reportedly_is_a_hedge():
        doc = run_analyzers("The minister reportedly resigned.", ["hedging"])
        assert_finding(doc, analyzer="hedging", kind="hedge", text="reportedly")

Engines are cached by their options, so a test module that runs the same
analyzers on many texts loads the spaCy pipeline once.
"""

from __future__ import annotations

import importlib.util
import json
import math
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from copydesk.model import AnalyzedDocument, Document, Finding, check_span
from copydesk.runner import Engine

_ENGINES: dict[str, Engine] = {}


def install_distribution(source: Path | str, target: Path | str) -> Path:
    """pip-install a plugin distribution into a private folder, as a user's pip would.

    Nothing is installed into the running environment: put ``target`` on
    ``sys.path`` (or ``PYTHONPATH`` for a subprocess) and its entry points are
    found exactly as an installed plugin's are. Uses the current environment's
    build backend (``--no-build-isolation``), so it works offline.
    """
    import subprocess
    import sys

    target = Path(target)
    completed = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"),
            *("--no-build-isolation", "--target", str(target), str(source)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        msg = f"pip could not install {source}: {completed.stderr.strip()[-2000:]}"
        raise RuntimeError(msg)
    return target


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


def findings(
    text: str,
    analyzer: str,
    kind: str | None = None,
    *,
    settings: dict[str, Any] | None = None,
    title: str | None = None,
) -> list[Finding]:
    """Run one analyzer (and what it requires) on ``text`` and return its findings.

    The few-lines form most analyzer tests want::

        assert [f.text for f in findings(text, "hedging", "hedge")] == ["reportedly"]

    ``settings`` are this analyzer's options (``{"min_confidence": 0.5}``).
    """
    all_settings = {analyzer: settings} if settings else None
    result = run_analyzers(text, [analyzer], title=title, settings=all_settings)
    return result.findings_of(analyzer, kind)


def texts(found: Iterable[Finding]) -> list[str]:
    """The span texts of findings, in order: the usual thing to compare in a test."""
    return [f.text for f in found]


# -- sample texts ------------------------------------------------------------------------

#: Short wire-style articles written for copydesk's tests (no third-party copyright).
#: A plugin's tests can run on them to check it behaves on ordinary copy.
SAMPLE_ARTICLES: dict[str, str] = {
    "port_strike": (
        "Dock workers in Rotterdam walked off the job on Tuesday, halting container traffic "
        "at Europe's largest port, union officials said.\n\n"
        '"We have waited eleven months for a fair offer," said Anouk de Vries, a spokeswoman '
        "for the FNV union. The port authority reportedly expects delays of at least three "
        "days.\n\n"
        "Shipping lines may reroute vessels to Antwerp, according to two people familiar with "
        "the talks who asked not to be named because the negotiations are private."
    ),
    "council_budget": (
        "The city council approved a $42.5 million budget on Monday after a four-hour debate.\n\n"
        "Mayor Linda Okafor said the plan would fund 30 new teachers and repair the Elm Street "
        "bridge. Councilman Ray Duffy, who voted against it, called the property tax increase "
        '"a burden our seniors cannot carry."\n\n'
        "The budget takes effect on July 1. A spokesman for the county did not respond to a "
        "request for comment."
    ),
    "storm_brief": (
        "A tropical storm could strengthen into a hurricane by Thursday, the National "
        "Hurricane Center said in an advisory. Residents of coastal Georgia were told to "
        "prepare for possible evacuations."
    ),
}

#: Texts at the edges of what an analyzer meets: the shortest documents the runner
#: accepts, one line with no sentence end, punctuation only, non-Latin scripts,
#: combining characters and astral-plane emoji (offsets are code points), odd
#: whitespace, and a long article. ``check_edge_cases`` runs an analyzer on each.
EDGE_CASE_TEXTS: dict[str, str] = {
    "one_char": "A",
    "punctuation_only": "...!?\u2014",
    "one_line_no_period": "Police said the road was closed",
    "headline_caps": "STORM HITS COAST; THOUSANDS WITHOUT POWER",
    "unicode_mixed": (
        "Caf\u00e9 owner Zo\u00eb Ba\u0301rth\u00e9lemy \U0001f600 said \u201cna\u00efve\u201d "
        "plans in \u6771\u4eac and \u041c\u043e\u0441\u043a\u0432\u0430 were "
        "\u2018unrealistic\u2019 \u2014 officials disagreed.\u00a0\u200bNo more."
    ),
    "whitespace_runs": "\n\n  Officials   said\t\tthe   vote\r\nwas close.  \n\n\n",
    "numbers_and_symbols": "Shares fell 3.5% to $12.40 (\u20ac11.30) at 09:30 GMT on 1/2/2024.",
    "long_article": "\n\n".join(
        [SAMPLE_ARTICLES["port_strike"], SAMPLE_ARTICLES["council_budget"]] * 15
    ),
}


def check_edge_cases(
    analyzer: str,
    *,
    settings: dict[str, Any] | None = None,
    cases: dict[str, str] | None = None,
    **options: Any,
) -> dict[str, AnalyzedDocument]:
    """Run ``analyzer`` on every edge-case text and check it behaves.

    For each text the analyzer (and what it requires) must finish with status
    ``ok`` or ``not_applicable`` (the engine is strict, so an exception fails the
    check with the text's name), every finding and every ``{start, end, text}``
    span in finding data must be a true slice of the text, and every metric must
    be a finite number. Returns the results by text name, for further asserts.
    ``cases`` replaces :data:`EDGE_CASE_TEXTS` (e.g. to add the plugin's own);
    other keyword options go to the engine (e.g. ``plugins=[...]``).
    """
    cases = EDGE_CASE_TEXTS if cases is None else cases
    all_settings = {analyzer: settings} if settings else None
    results: dict[str, AnalyzedDocument] = {}
    for name, text in cases.items():
        try:
            result = run_analyzers(text, [analyzer], settings=all_settings, **options)
        except Exception as exc:
            msg = f"{analyzer} failed on edge case {name!r}: {type(exc).__name__}: {exc}"
            raise AssertionError(msg) from exc
        for run in result.analyzers:
            if run.status.value not in ("ok", "not_applicable"):
                msg = f"{run.name} ended {run.status.value} on edge case {name!r}: {run.error}"
                raise AssertionError(msg)
        for metric, value in result.metrics.items():
            if not math.isfinite(value):
                msg = f"metric {metric} is {value} on edge case {name!r}"
                raise AssertionError(msg)
        results[name] = result
    return results


# -- pytest fixtures -----------------------------------------------------------------------
# Import them into a conftest.py or test module to use them (ruff: mark the import
# with a noqa for F401, since pytest finds fixtures by name, not by use).
# Defined only when pytest is installed, so the helpers above work without it.

if importlib.util.find_spec("pytest") is not None:
    import pytest

    @pytest.fixture
    def copydesk_analyze() -> Callable[..., AnalyzedDocument]:
        """``copydesk_analyze(text, "name", ...)``: run analyzers, spans checked.

        Takes analyzer names as further arguments (or one list) and the keyword
        options of :func:`run_analyzers`.
        """

        def analyze(text: str, *analyzers: str | list[str], **options: Any) -> AnalyzedDocument:
            names = [n for a in analyzers for n in ([a] if isinstance(a, str) else a)]
            return run_analyzers(text, names, **options)

        return analyze

    @pytest.fixture(params=sorted(SAMPLE_ARTICLES))
    def sample_article(request: pytest.FixtureRequest) -> str:
        """Each of :data:`SAMPLE_ARTICLES` in turn (a parametrized fixture)."""
        return SAMPLE_ARTICLES[request.param]

    @pytest.fixture(params=sorted(EDGE_CASE_TEXTS))
    def edge_case_text(request: pytest.FixtureRequest) -> str:
        """Each of :data:`EDGE_CASE_TEXTS` in turn (a parametrized fixture)."""
        return EDGE_CASE_TEXTS[request.param]
