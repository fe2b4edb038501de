"""copydesk-loaded-language: loaded and emotive wording, and whose voice it is in.

"Critics slammed the plan" puts the reporter's judgment into the copy;
``"This plan is chaos," the mayor said`` reports a source's words. Both contain a
loaded word, but only the first is the desk's problem. This analyzer finds the
words with a small lexicon, then reads the built-in ``sourcing`` analyzer's
``attribution`` findings through the shared document model to tell them apart:

* ``reporter``: in the reporter's own voice (outside any attributed content);
* ``paraphrase``: inside attributed content but not quoted, so the reporter
  chose the word while paraphrasing a source;
* ``quoted``: inside quotation marks within attributed content: the source's
  own words;
* ``unattributed_quote``: in quotation marks that no attribution covers
  (scare quotes, or a quote whose speaker is missing).

It is an example of a third-party plugin: everything it uses comes from the
public ``copydesk`` package, and it is registered through the ``copydesk``
entry-point group of its own distribution.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from copydesk import AnalysisContext, Analyzer, Finding, hookimpl
from copydesk_loaded_language.lexicon import Entry, builtin_entries
from copydesk_sourcing import Attribution, SourcingPayload

# A finding of sourcing's, with its data read as sourcing's typed model.
Typed = tuple[Finding, Attribution]

__version__ = "0.1.0"

VOICES = ("reporter", "paraphrase", "quoted", "unattributed_quote")

#: The lexicon other plugins can add words to, with register_lexicon_entries.
LEXICON_NAME = "loaded_language"

_OPEN_QUOTES = "\u201c\u00ab"
_CLOSE_QUOTES = "\u201d\u00bb"
_WORD = re.compile(r"\w+(?:[-'\u2019]\w+)*")


# --8<-- [start:settings]
class LoadedLanguageSettings(BaseModel):
    """Options, set with ``--set loaded_language.OPTION=VALUE`` or in copydesk.toml."""

    model_config = ConfigDict(extra="forbid")

    extra_words: list[str] = Field(
        default_factory=list,
        description="More words or phrases to flag (category 'house list').",
    )
    ignore_words: list[str] = Field(
        default_factory=list,
        description="Words not to flag, e.g. 'brutal' on a sports desk.",
    )
    report_quoted: bool = Field(
        default=True,
        description="Also report loaded words inside attributed quotations (the source's words).",
    )


# --8<-- [end:settings]


# --8<-- [start:metadata]
class LoadedLanguageAnalyzer(Analyzer[LoadedLanguageSettings]):
    """Loaded wording, classified by voice using the sourcing analyzer's attributions."""

    name = "loaded_language"
    version = "1"
    description = "Loaded or emotive wording, and whether it is the reporter's or a source's."
    needs = frozenset()  # no parse of its own: it reads the text and sourcing's findings
    requires = (SourcingPayload,)  # by model: whichever analyzer provides it
    Settings = LoadedLanguageSettings
    # --8<-- [end:metadata]

    def setup(self) -> None:
        """Build the matcher once per run, from the shipped list, plugins and settings."""
        entries = {e.word.lower(): e for e in builtin_entries()}
        for item in self.lexicons.get(LEXICON_NAME, []):
            entry = _entry_from(item)
            entries[entry.word.lower()] = entry
        for word in self.settings.extra_words:
            entries[word.lower()] = Entry(word, "house list", "a neutral word")
        for word in self.settings.ignore_words:
            entries.pop(word.lower(), None)
        self.entries = entries
        # Longest first, so "lashed out" wins over a shorter form; whitespace in a
        # phrase matches any run of whitespace (copy wraps lines).
        forms = sorted(entries, key=len, reverse=True)
        alternation = "|".join(r"\s+".join(map(re.escape, f.split())) for f in forms)
        self.pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)

    # --8<-- [start:analyze]
    def analyze(self, ctx: AnalysisContext) -> None:
        """Find loaded words, then place each against quotations and attributions."""
        if not self.entries:
            ctx.mark_not_applicable("the word list is empty")
            return
        text = ctx.text
        quotes = quoted_spans(text)
        # sourcing's attributions, each with its data typed as sourcing's own model
        attributions = ctx.findings_with(Attribution)
        counts = dict.fromkeys(VOICES, 0)
        for match in self.pattern.finditer(text):
            start, end = match.span()
            entry = self.entries[" ".join(match.group().lower().split())]
            in_quotes = any(a <= start and end <= b for a, b in quotes)
            attribution = _covering_attribution(attributions, start, end)
            if attribution is None and in_quotes:
                # 'Opponents called it "a disaster".': the quotation is not in the
                # content sourcing found, but its sentence attributes it.
                attribution = _attribution_in_sentence(attributions, ctx.sentences, start)
            voice = _voice(in_quotes, attribution is not None)
            counts[voice] += 1
            if voice == "quoted" and not self.settings.report_quoted:
                continue
            data: dict[str, Any] = {
                "category": entry.category,
                "suggestion": entry.suggestion,
                "voice": voice,
            }
            if attribution is not None:
                finding, relation = attribution
                data["attribution"] = ctx.span(finding.start, finding.end)
                data["source"] = relation.source.model_dump() if relation.source else None
            ctx.add_finding(
                "loaded_word",
                start,
                end,
                label=voice,
                message=_message(match.group(), entry, voice),
                confidence=0.9 if voice == "reporter" else 0.7,
                data=data,
            )
        words = len(_WORD.findall(text))
        ctx.set_metric("count", sum(counts.values()))
        for voice, count in counts.items():
            ctx.set_metric(voice, count)
        if words:
            ctx.set_metric("reporter_per_1000_words", round(1000 * counts["reporter"] / words, 2))

    # --8<-- [end:analyze]


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans between quotation marks, paragraph by paragraph.

    Curly quotes pair by direction; straight double quotes alternate. A quote
    left open at a paragraph's end runs to that end, as in wire copy where a
    multi-paragraph quotation reopens on each paragraph.
    """
    spans: list[tuple[int, int]] = []
    for paragraph in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text):
        opened: int | None = None
        for i in range(paragraph.start(), paragraph.end()):
            ch = text[i]
            if opened is None and (ch in _OPEN_QUOTES or ch == '"'):
                opened = i
            elif opened is not None and (ch in _CLOSE_QUOTES or ch == '"'):
                spans.append((opened, i + 1))
                opened = None
        if opened is not None:
            spans.append((opened, paragraph.end()))
    return spans


# --8<-- [start:compose]
def _covering_attribution(attributions: list[Typed], start: int, end: int) -> Typed | None:
    """The attribution whose content holds ``start:end``, if any.

    sourcing's :class:`Attribution` gives the content as spans
    (``content_fragments``, and their hull in ``content``).
    """
    for finding, relation in attributions:
        fragments = relation.content_fragments or ([relation.content] if relation.content else [])
        for span in fragments:
            if span.start <= start and end <= span.end:
                return finding, relation
    return None


# --8<-- [end:compose]


def _attribution_in_sentence(
    attributions: list[Typed], sentences: list[tuple[int, int]], position: int
) -> Typed | None:
    """An attribution in the sentence that holds ``position``, if any."""
    for a, b in sentences:
        if a <= position < b:
            return next((t for t in attributions if t[0].start < b and a < t[0].end), None)
    return None


def _voice(in_quotes: bool, attributed: bool) -> str:
    if attributed:
        return "quoted" if in_quotes else "paraphrase"
    return "unattributed_quote" if in_quotes else "reporter"


def _message(word: str, entry: Entry, voice: str) -> str:
    fix = f"use \u201c{entry.suggestion}\u201d" if entry.suggestion else "cut it"
    if voice == "reporter":
        return f"\u201c{word}\u201d is loaded wording in the reporter's voice; {fix}."
    if voice == "paraphrase":
        return (
            f"\u201c{word}\u201d paraphrases a source in loaded terms: quote the source's own "
            f"words or {fix}."
        )
    if voice == "quoted":
        return f"\u201c{word}\u201d is in a quotation, the source's own word."
    return f"\u201c{word}\u201d is in quotation marks but attributed to no one: say who said it."


def _entry_from(item: Any) -> Entry:
    """A lexicon entry from another plugin: a word, or a dict with word/category/suggestion."""
    if isinstance(item, str):
        return Entry(item, "plugin list", "a neutral word")
    return Entry(
        str(item["word"]),
        str(item.get("category", "plugin list")),
        str(item.get("suggestion", "a neutral word")),
    )


# --8<-- [start:register]
@hookimpl
def register_analyzers(register: Any) -> None:
    """Make the analyzer available to copydesk under its ``name``."""
    register(LoadedLanguageAnalyzer)


# --8<-- [end:register]


# The HTML article view's renderer lives in its own module; importing it here
# puts its hook on the plugin module that the entry point names.
from copydesk_loaded_language.render import register_renderers  # noqa: E402, F401
