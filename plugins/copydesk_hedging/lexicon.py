"""The hedging lexicon: entries, loading, merging and a fast lookup index.

The words live in ``lexicon.json`` (a data file, so a desk can read and change
them without reading Python); this module validates entries, merges what users
add by config and plugins add through ``register_lexicon_entries("hedging",
...)``, and builds a dictionary keyed by first word. Matching is then one or
two dict lookups per token, which keeps the analyzer far below the cost of the
spaCy parse it reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Kind = Literal["hedge", "booster"]

Condition = Literal[
    "epistemic_modal",
    "needs_number",
    "after_number",
    "not_negated",
    "attributive",
    "not_attributive",
    "predicative",
    "epistemic_possible",
    "needs_complement",
    "complement_clause",
    "judgement",
    "needs_as",
    "vague_subject",
    "inference",
    "evidence",
    "open_inquiry",
    "not_causative",
    "hypothetical",
    "clause_mark",
    "open_expectation",
    "belief_sense",
]

HEDGE_CATEGORIES = (
    "modal",
    "reporting",
    "likelihood",
    "approximator",
    "speculative",
    "shield",
    "condition",
    "investigation",
)
BOOSTER_CATEGORY = "booster"
ALL_CATEGORIES = (*HEDGE_CATEGORIES, BOOSTER_CATEGORY)
# Szeged-style condition ("if", "unless") and investigation ("whether",
# "examine") cues are uncertainty for a corpus annotator but routine in news
# copy ("if convicted", "police are investigating"): reported only on request.
DEFAULT_CATEGORIES = tuple(c for c in ALL_CATEGORIES if c not in {"condition", "investigation"})


class LexiconEntry(BaseModel):
    """One cue: a surface phrase or a lemma sequence, its category and its context rules."""

    model_config = ConfigDict(extra="forbid")

    phrase: str | None = Field(
        default=None, description="Lower-case surface words, e.g. 'at least'."
    )
    lemma: str | None = Field(
        default=None, description="Space-separated lemmas, e.g. 'be say to' for 'is/was said to'."
    )
    category: str = Field(description="One of the hedging categories, e.g. 'modal'.")
    kind: Kind = "hedge"
    pos: list[str] = Field(
        default_factory=list, description="Coarse POS allowed on the first token (empty: any)."
    )
    tags: list[str] = Field(
        default_factory=list, description="Fine tags allowed on the first token (empty: any)."
    )
    conditions: list[Condition] = Field(
        default_factory=list, description="Context rules that must hold (see the docs)."
    )
    scored: bool = Field(
        default=True,
        description="False: the learned model does not score this entry; every rule match "
        "is reported (words that are hedges in news copy whatever the training corpus says).",
    )
    legal: bool = Field(
        default=False,
        description="A legal qualifier (alleged, suspected): the message says to keep it.",
    )
    note: str | None = None

    @model_validator(mode="after")
    def _one_key(self) -> LexiconEntry:
        if (self.phrase is None) == (self.lemma is None):
            msg = "a hedging lexicon entry needs exactly one of 'phrase' or 'lemma'"
            raise ValueError(msg)
        if not self.key.split():
            msg = "a hedging lexicon entry needs a non-empty phrase or lemma"
            raise ValueError(msg)
        if self.category not in ALL_CATEGORIES:
            msg = f"unknown hedging category {self.category!r} (known: {', '.join(ALL_CATEGORIES)})"
            raise ValueError(msg)
        if (self.category == BOOSTER_CATEGORY) != (self.kind == "booster"):
            msg = "boosters have kind 'booster' and category 'booster'; hedges any other category"
            raise ValueError(msg)
        return self

    @property
    def key(self) -> str:
        """The phrase or lemma text, lower-cased (what ``remove`` matches)."""
        return (self.phrase if self.phrase is not None else self.lemma or "").lower()

    @property
    def by_lemma(self) -> bool:
        return self.lemma is not None


def load_builtin_entries() -> list[LexiconEntry]:
    """The entries shipped in ``lexicon.json`` (read with importlib.resources)."""
    raw = resources.files(__package__).joinpath("lexicon.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    return [LexiconEntry.model_validate(item) for item in data["entries"]]


def coerce_entries(items: Iterable[Any], origin: str) -> list[LexiconEntry]:
    """Validate entries given as dicts or ``LexiconEntry``; errors name where they came from."""
    out = []
    for index, item in enumerate(items):
        if isinstance(item, LexiconEntry):
            out.append(item)
            continue
        try:
            out.append(LexiconEntry.model_validate(item))
        except ValueError as exc:
            msg = f"hedging lexicon entry {index} from {origin} is invalid: {exc}"
            raise ValueError(msg) from exc
    return out


def merge_entries(
    builtin: Sequence[LexiconEntry],
    contributed: Sequence[LexiconEntry],
    extra: Sequence[LexiconEntry],
    remove: Iterable[str],
    categories: Iterable[str],
) -> list[LexiconEntry]:
    """Built-in, plugin and config entries, minus removed keys and unwanted categories.

    Later sources come first, so a user's own entry for a phrase wins over the
    built-in one when both match the same words.
    """
    removed = {r.strip().lower() for r in remove}
    keep = set(categories)
    return [
        entry
        for entry in (*extra, *contributed, *builtin)
        if entry.key not in removed and entry.category in keep
    ]


@dataclass(frozen=True)
class CompiledEntry:
    """An entry ready for matching: its words split, its position kept for tie-breaking."""

    entry: LexiconEntry
    words: tuple[str, ...]
    order: int


class LexiconIndex:
    """Entries by (mode, first word), longest phrases first.

    ``mode`` is ``"lower"`` for phrase entries (compared with ``token.lower_``)
    and ``"lemma"`` for lemma entries (compared with the lower-cased lemma).
    """

    def __init__(self, entries: Sequence[LexiconEntry]) -> None:
        self.by_lower: dict[str, list[CompiledEntry]] = {}
        self.by_lemma: dict[str, list[CompiledEntry]] = {}
        for order, entry in enumerate(entries):
            words = tuple(entry.key.split())
            table = self.by_lemma if entry.by_lemma else self.by_lower
            table.setdefault(words[0], []).append(CompiledEntry(entry, words, order))
        for table in (self.by_lower, self.by_lemma):
            for candidates in table.values():
                candidates.sort(key=lambda c: (-len(c.words), c.order))

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_lower.values()) + sum(
            len(v) for v in self.by_lemma.values()
        )


def entry_counts(entries: Sequence[LexiconEntry]) -> Mapping[str, int]:
    """How many entries each category has (for docs and debugging)."""
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.category] = counts.get(entry.category, 0) + 1
    return counts
