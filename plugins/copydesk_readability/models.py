"""Typed ``data`` of the readability analyzer's findings (its payload is ``ReadabilityResult``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class HardSentenceFinding(BaseModel):
    """The ``data`` of a ``hard_sentence`` finding: why the sentence is hard."""

    model_config = ConfigDict(extra="forbid")

    grade: float
    document_grade: float
    words: int
    syllables: int
    polysyllables: int
    polysyllable_words: list[str]
    difficult_words: int
    reasons: list[str]
    dependency_depth: int | None = None
