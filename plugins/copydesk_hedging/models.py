"""Typed ``data`` of the hedging analyzer's findings (its payload is ``HedgingResult``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Cue(BaseModel):
    """The ``data`` of a ``hedge`` or ``booster`` finding."""

    model_config = ConfigDict(extra="forbid")

    category: str = Field(description="Hedge category (or 'booster').")
    entry: str = Field(description="The lexicon entry that matched.")
    match: str = Field(description="'lemma' or 'phrase': how the entry matched.")
    negated_booster: bool = Field(default=False, description="'not clear': a booster negated.")


class UncertainSentence(BaseModel):
    """The ``data`` of an ``uncertain_sentence`` finding."""

    model_config = ConfigDict(extra="forbid")

    categories: list[str]
    cues: list[str]
