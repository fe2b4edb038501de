"""copydesk-stats: word, sentence and paragraph counts, and over-long sentences.

The smallest real analyzer, kept as a built-in: it needs no spaCy parse (it uses
the shared parse's sentences when a run has one, and copydesk's own splitter
otherwise), so it also shows how an analyzer stays cheap.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from copydesk import AnalysisContext, Analyzer, hookimpl

_WORD = re.compile(r"[^\W_]+(?:['\u2019.-][^\W_]+)*")


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
        words = _WORD.findall(text)
        sentences = ctx.sentences
        # Wire copy holds one paragraph per line (blank lines between or not), so a
        # paragraph is a non-empty line; hard-wrapped text would count its lines.
        paragraphs = [line for line in text.splitlines() if line.strip()]
        lengths = []
        limit = self.settings.long_sentence_words
        for start, end in sentences:
            count = len(_WORD.findall(text[start:end]))
            lengths.append(count)
            if count > limit:
                ctx.add_finding(
                    "long_sentence",
                    start,
                    end,
                    message=f"{count} words (limit {limit}); consider splitting",
                    data={"words": count},
                )
        ctx.set_metric("characters", len(text))
        ctx.set_metric("words", len(words))
        ctx.set_metric("sentences", len(sentences))
        ctx.set_metric("paragraphs", len(paragraphs))
        if lengths:
            ctx.set_metric("mean_sentence_words", round(sum(lengths) / len(lengths), 2))
            ctx.set_metric("max_sentence_words", max(lengths))


@hookimpl
def register_analyzers(register: Any) -> None:
    register(StatsAnalyzer)


from copydesk_stats.render import register_renderers  # noqa: E402, F401 - the HTML view hook
