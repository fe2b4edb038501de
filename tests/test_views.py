"""The HTML article view: marks nest, every finding is shown, and an editor can use it.

The browser tests open the view in headless Chromium (see tests/browser.py) and
check the rendered DOM: every finding of the example articles has its mark,
the toggles hide and show an analyzer's marks, keyboard focus shows a note,
colours pass WCAG AA and a narrow window needs no sideways scrolling.
Screenshots are saved in each test's tmp_path.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import copydesk
from browser import CONTRAST_JS, Browser, chromium, find_chromium
from copydesk import AnalyzedDocument, Document, Finding, hookimpl
from copydesk.cli import cli
from copydesk.plugins import make_plugin_host
from copydesk.rendering import Renderers
from copydesk.testing import get_engine
from copydesk.views.html import render_document, render_page, repr_html

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "articles"
ALL = ["stats", "readability", "entities", "hedging", "sourcing"]


def _renderers() -> Renderers:
    return Renderers(make_plugin_host().renderers())


class _TextMarks(HTMLParser):
    """Reads the article text back out of a view, checking marks nest properly."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside div.cd-text
        self.stack: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self.ancestry: list[tuple[str, list[str]]] = []  # (text piece, classes of open marks)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "div" and found.get("class") == "cd-text":
            self.depth = 1
        elif self.depth and tag == "mark":
            self.stack.append(found)

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "mark":
            assert self.stack, "a </mark> closes nothing"
            self.stack.pop()
        elif self.depth and tag == "div":
            assert not self.stack, "marks left open at the end of the text"
            self.depth = 0

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)
            self.ancestry.append((data, [str(m.get("class")) for m in self.stack]))


def _read_back(section: str) -> _TextMarks:
    parser = _TextMarks()
    parser.feed(section)
    parser.close()
    return parser


# -- the markup, without a browser -----------------------------------------------------

TEXT = (
    'Officials said the talks "would probably fail," and the union, which '
    "reportedly wants more, agreed."
)


def _finding(analyzer: str, kind: str, start: int, end: int, **extra: Any) -> Finding:
    return Finding(
        analyzer=analyzer, kind=kind, start=start, end=end, text=TEXT[start:end], **extra
    )


def _span(start: int, end: int) -> dict[str, Any]:
    return {"start": start, "end": end, "text": TEXT[start:end]}


def _nested_document() -> AnalyzedDocument:
    said = TEXT.index("said")
    quote = TEXT.index('"would')
    quote_end = TEXT.index('fail,"') + len('fail,"')
    probably = TEXT.index("probably")
    union = TEXT.index("the union")
    reportedly = TEXT.index("reportedly")
    attribution = _finding(
        "sourcing",
        "attribution",
        0,
        quote_end,
        label="official",
        message="An official source, cue \u201csaid\u201d.",
        data={
            "source": _span(0, len("Officials")),
            "cue": _span(said, said + 4),
            "content": _span(said + 5, quote_end),
            "content_fragments": [_span(said + 5, quote_end)],
            "source_type": "official",
            "quote_type": "mixed",
        },
    )
    return AnalyzedDocument(
        document=Document(id="nested", text=TEXT),
        findings=[
            attribution,
            _finding("hedging", "hedge", probably, probably + 8, label="probability"),
            # crosses the quotation's end: must be split, not mis-nested
            _finding("shouting", "shout", quote + 1, union + 9, message="<b>LOUD</b> & clear"),
            _finding("hedging", "hedge", reportedly, reportedly + 10, label="reporting"),
        ],
    )


def test_overlapping_and_nested_marks_nest_properly_and_keep_the_text():
    section = render_document(_nested_document(), _renderers())
    parsed = _read_back(section)
    assert "".join(parsed.text) == TEXT  # the view adds no text to the article
    probably = next(classes for piece, classes in parsed.ancestry if piece == "probably")
    # a hedge inside the quotation's content, inside the attribution
    assert any("r-attribution" in c for c in probably)
    assert any("r-content" in c for c in probably)
    assert any("a-hedging" in c and "r-hedge" in c for c in probably)
    # the crossing mark is split in pieces that all carry its finding id
    assert section.count('data-f="d1-f3"') >= 2
    assert section.count('data-f="d1-f3" data-a="shouting"') >= 2
    # one focus target per finding, even when split
    for n in range(1, 5):
        assert section.count(f'aria-describedby="d1-f{n}"') == 1


def test_a_finding_without_a_renderer_gets_the_default_mark_and_an_escaped_note():
    section = render_document(_nested_document(), _renderers())
    assert 'class="m a-shouting r-shout dflt' in section
    assert 'data-tag="shout"' in section
    assert "&lt;b&gt;LOUD&lt;/b&gt; &amp; clear" in section
    assert "<b>LOUD</b>" not in section


def test_each_builtin_analyzer_renders_its_own_kinds():
    section = render_document(_nested_document(), _renderers())
    assert 'data-tag="official"' in section  # the source type beside the source
    assert "a-sourcing r-cue" in section
    assert "a-hedging r-hedge dflt" not in section
    css = _renderers().css()
    for name in ALL:
        assert f".a-{name}." in css


def test_a_third_party_html_renderer_is_used():
    class Plugin:
        @hookimpl
        def register_renderers(self, register: Any) -> None:
            register(
                copydesk.Renderer(
                    "shouting",
                    lambda f: f"<em>shouted</em> {html.escape(f.text)}",
                    format="html",
                    marks=lambda f: [copydesk.Mark(f.start, f.start + 5, "first-word", "LOUD")],
                    css="mark.m.a-shouting.r-first-word{border:2px solid #000}",
                )
            )

    renderers = Renderers(make_plugin_host(plugins=[Plugin()]).renderers())
    page = render_page([_nested_document()], renderers)
    assert "r-first-word" in page
    assert "dflt" not in page.split('<div class="cd-text"', 1)[1].split("</div>", 1)[0].replace(
        "a-shouting r-shout", ""
    )
    assert "<em>shouted</em>" in page
    assert "mark.m.a-shouting.r-first-word{border:2px solid #000}" in page


def test_analyze_writes_one_self_contained_html_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    story = tmp_path / "story.txt"
    story.write_text(
        "The minister said on Monday that the bridge would reopen. It was closed in May.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["analyze", "-a", "stats", str(story), "-o", "story.html"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "story.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "The minister said on Monday" in page
    # nothing fetched: no external script, style sheet, image or font
    assert "<link" not in page
    assert 'src="' not in page
    assert "@import" not in page
    assert "url(" not in page
    shown = CliRunner().invoke(cli, ["analyze", "-a", "stats", "-f", "html", str(story)])
    assert shown.exit_code == 0
    assert shown.output.startswith("<!DOCTYPE html>")


def test_jupyter_shows_the_view_in_an_isolated_frame():
    doc = _nested_document()
    shown = doc._repr_html_()
    assert shown.startswith("<iframe")
    assert "srcdoc=" in shown
    assert html.escape('class="cd-text"') in shown
    assert repr_html(doc, _renderers()) == shown


# -- in a real browser -----------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if find_chromium() is None:
        pytest.skip("no Chromium found (apt-get install chromium; .ci/run installs it)")
    with chromium() as opened:
        yield opened


@pytest.fixture(scope="module")
def examples() -> list[AnalyzedDocument]:
    engine = get_engine(ALL)
    documents = [d for d in copydesk.read(EXAMPLES) if isinstance(d, Document)]
    assert len(documents) >= 3
    results = [r for r in engine.analyze_many(documents) if isinstance(r, AnalyzedDocument)]
    assert len(results) == len(documents)
    return results


@pytest.fixture(scope="module")
def examples_page(examples, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("view") / "examples.html"
    path.write_text(render_page(examples, _renderers()), encoding="utf-8")
    return path


@pytest.mark.slow
def test_every_finding_of_the_examples_has_its_mark(browser, examples, examples_page, tmp_path):
    page = browser.new_page()
    page.goto(examples_page.as_uri())
    shown = page.evaluate(
        "[...document.querySelectorAll('.cd-text mark[data-first]')].map(m => m.dataset.f)"
    )
    expected = [
        f"d{i}-f{n}"
        for i, result in enumerate(examples, start=1)
        for n, finding in enumerate(result.findings, start=1)
        if finding.end > finding.start
    ]
    assert sorted(shown) == sorted(expected)
    assert len(expected) > 50
    # the text on screen is the article's text, mark for mark
    texts = page.evaluate("[...document.querySelectorAll('.cd-text')].map(t => t.textContent)")
    assert texts == [r.document.text for r in examples]
    # a table of contents with one row per document
    rows = page.evaluate(
        "[...document.querySelectorAll('.cd-toc tbody tr')].map(r => r.textContent)"
    )
    assert len(rows) == len(examples)
    for row, result in zip(rows, examples, strict=True):
        # each document's key metrics, as its analyzers' renderers name them
        grade = result.metrics["readability.consensus_grade"]
        assert f"consensus grade {grade:.2f}" in row
        assert f"attributions {result.metrics['sourcing.attributions']}" in row
    # a booster inside a quotation inside an attribution, as the browser built it
    nested = page.evaluate(
        "[...document.querySelectorAll('.cd-text mark.a-hedging')].some(m =>"
        " m.closest('mark.r-content') && m.closest('mark.r-attribution'))"
    )
    assert nested
    page.screenshot(tmp_path / "examples.png")


TOGGLE_STATE = """
(function(name){
  var doc=document.getElementById('doc-1'), marks=[...doc.querySelectorAll('.cd-text mark.m')];
  var mine=marks.filter(m => m.dataset.a === name), others=marks.filter(m => m.dataset.a !== name);
  return {
    mine: mine.length,
    mineOff: mine.filter(m => m.classList.contains('off')).length,
    mineStyled: mine.filter(m => getComputedStyle(m).textDecorationLine !== 'none').length,
    othersOff: others.filter(m => m.classList.contains('off')).length,
    focusable: mine.filter(m => m.tabIndex === 0).length
  };
})
"""


@pytest.mark.slow
def test_the_toggles_hide_and_show_an_analyzers_marks(browser, examples_page, tmp_path):
    page = browser.new_page()
    page.goto(examples_page.as_uri())
    state = page.evaluate(TOGGLE_STATE + "('hedging')")
    assert state["mine"] > 0
    assert state["mineOff"] == 0
    assert state["mineStyled"] == state["mine"] - _unstyled(page)
    page.evaluate("document.querySelector('#doc-1 input[data-toggle=hedging]').click()")
    hidden = page.evaluate(TOGGLE_STATE + "('hedging')")
    assert hidden["mineOff"] == hidden["mine"]
    assert hidden["mineStyled"] == 0
    assert hidden["othersOff"] == 0
    assert hidden["focusable"] == 0
    page.screenshot(tmp_path / "hedging-hidden.png")
    page.evaluate("document.querySelector('#doc-1 input[data-toggle=hedging]').click()")
    again = page.evaluate(TOGGLE_STATE + "('hedging')")
    assert again == state


def _unstyled(page: Any) -> int:
    """Hedging's sentence marks carry a tag, not an underline."""
    return int(
        page.evaluate(
            "document.querySelectorAll('#doc-1 .cd-text mark.a-hedging.r-uncertain_sentence')"
            ".length"
        )
    )


@pytest.mark.slow
def test_keyboard_focus_reaches_a_finding_and_shows_its_note(browser, examples, tmp_path):
    path = tmp_path / "story.html"
    path.write_text(render_page(examples[:1], _renderers()), encoding="utf-8")
    page = browser.new_page()
    page.goto(path.as_uri())
    for _ in range(4):
        page.press("Tab", key_code=9)
        if page.evaluate("document.activeElement.tagName") == "MARK":
            break
    focused = page.evaluate("document.activeElement.dataset.f")
    assert focused == page.evaluate("document.querySelector('.cd-text mark[data-first]').dataset.f")
    tip = page.evaluate(
        "[document.getElementById('cd-tip').hidden, cd_tip_text()]".replace(
            "cd_tip_text()", "document.getElementById('cd-tip').textContent"
        )
    )
    assert tip[0] is False
    index = int(focused.split("-f")[1]) - 1
    message = examples[0].findings[index].message
    assert message
    assert message[:30] in tip[1]
    page.screenshot(tmp_path / "focused.png")
    page.press("Escape", key_code=27)
    assert page.evaluate("document.getElementById('cd-tip').hidden") is True
    # pointing at a source shows the note of the innermost finding there
    x, y = page.evaluate(
        "(function(){var r=document.querySelector('.cd-text mark.a-sourcing.r-source')"
        ".getBoundingClientRect();return [r.left + 3, r.top + r.height / 2];})()"
    )
    page.hover(x, y)
    expected = page.evaluate(
        f"(function(){{var m=document.elementFromPoint({x},{y}).closest('mark.m');"
        "return document.getElementById(m.dataset.f).querySelector('.note').textContent;})()"
    )
    shown = page.evaluate(
        "[document.getElementById('cd-tip').hidden, document.getElementById('cd-tip').textContent]"
    )
    assert shown == [False, expected]
    assert expected


@pytest.mark.slow
def test_colours_pass_wcag_aa_and_a_narrow_window_needs_no_sideways_scroll(
    browser, examples_page, tmp_path
):
    page = browser.new_page()
    page.goto(examples_page.as_uri())
    worst = page.evaluate(CONTRAST_JS)
    assert worst["ratio"] >= 4.5, worst
    page.resize(380, 800)
    page.goto(examples_page.as_uri())
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => !e.closest('.cd-toc') &&"
        " e.getBoundingClientRect().right > window.innerWidth).slice(0, 5)"
        ".map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 20))"
    )
    assert widths[0] <= widths[1], (widths, wide)
    page.screenshot(tmp_path / "narrow.png")


def test_the_view_lists_analyzer_status_and_metrics():
    doc = _nested_document()
    doc.analyzers.append(
        copydesk.AnalyzerRun(
            name="sourcing",
            version="sourcing.v1",
            status=copydesk.RunStatus.FAILED,
            seconds=0.1,
            error="RuntimeError: broken",
        )
    )
    doc.metrics["sourcing.attributions"] = 1
    section = render_document(doc, _renderers())
    assert 'class="st-failed"' in section
    assert "RuntimeError: broken" in section
    assert "attributions" in section
    assert json.dumps(doc.document.id) == '"nested"'
