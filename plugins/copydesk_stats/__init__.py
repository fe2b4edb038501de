"""copydesk-stats: word, sentence and paragraph counts, and over-long sentences.

The smallest real analyzer, kept as a built-in: it needs no spaCy parse (it uses
the shared parse's sentences when a run has one, and copydesk's own splitter
otherwise), so it also shows how an analyzer stays cheap.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from copydesk import WORD_PATTERN as _WORD
from copydesk import AnalysisContext, Analyzer, hookimpl, sentence_words


class StatsSettings(BaseModel):
    """Options of the stats analyzer."""

    model_config = ConfigDict(extra="forbid")

    long_sentence_words: int = Field(
        default=40, ge=5, description="Sentences with more words than this are flagged."
    )


class StatsAnalyzer(Analyzer[StatsSettings]):
    """Counts words, sentences and paragraphs; flags sentences an editor may want to cut."""

    name = "stats"
    version = "1"
    description = "Word, sentence and paragraph counts; over-long sentences."
    Settings = StatsSettings

    def analyze(self, ctx: AnalysisContext) -> None:
        text = ctx.text
        sentences = ctx.sentences
        # Wire copy holds one paragraph per line (blank lines between or not), so a
        # paragraph is a non-empty line; hard-wrapped text would count its lines.
        paragraphs = [line for line in text.splitlines() if line.strip()]
        # The word lists readability made for the same sentences, if it ran first.
        lengths = list(map(len, sentence_words(text, sentences)))
        limit = self.settings.long_sentence_words
        for (start, end), count in zip(sentences, lengths, strict=True):
            if count > limit:
                ctx.add_finding(
                    "long_sentence",
                    start,
                    end,
                    message=f"{count} words (limit {limit}); consider splitting",
                    data={"words": count},
                )
        ctx.set_metric("characters", len(text))
        ctx.set_metric("words", count_words(text, sentences, lengths))
        ctx.set_metric("sentences", len(sentences))
        ctx.set_metric("paragraphs", len(paragraphs))
        if lengths:
            ctx.set_metric("mean_sentence_words", round(sum(lengths) / len(lengths), 2))
            ctx.set_metric("max_sentence_words", max(lengths))


def count_words(text: str, sentences: list[tuple[int, int]], lengths: list[int]) -> int:
    """The words in ``text``, from the words of its ``sentences`` (``lengths``) and
    of the stretches between them, with no second pass over the whole text.

    Exact only where no word can straddle a sentence edge: a word is a run of
    letters, digits and inner separators, so an edge with anything else on one
    side of it (a space, a quotation mark) cuts no word, and the words of the
    whole text are then those of its pieces. Where an edge could cut one (spans
    out of order, a sentence ending inside "U.S."), the text is counted whole.
    """
    total = sum(lengths)
    previous = 0
    for start, end in sentences:
        if not (previous <= start <= end) or not (_cuts(text, start) and _cuts(text, end)):
            return len(_WORD.findall(text))
        total += _words_between(text, previous, start)
        previous = end
    return total + _words_between(text, previous, len(text))


_JOINERS = "'\u2019.-"
"""What may join two runs of letters or digits into one word (the pattern's separators)."""


def _cuts(text: str, at: int) -> bool:
    """Whether no word can span position ``at`` (between ``text[at - 1]`` and ``text[at]``)."""
    if at <= 0 or at >= len(text):
        return True
    before, after = text[at - 1], text[at]
    return not (before.isalnum() or before in _JOINERS) or not (
        after.isalnum() or after in _JOINERS
    )


def _words_between(text: str, start: int, end: int) -> int:
    """Words in ``text[start:end]``: mostly the white space between two sentences."""
    if start >= end or text[start:end].isspace():
        return 0
    return len(_WORD.findall(text, start, end))


@hookimpl
def register_analyzers(register: Any) -> None:
    register(StatsAnalyzer)


from copydesk_stats.render import register_renderers  # noqa: E402, F401 - the HTML view hook
