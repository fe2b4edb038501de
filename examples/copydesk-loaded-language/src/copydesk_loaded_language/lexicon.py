"""The loaded words, each with its category and a plainer word to suggest.

Kept deliberately short and specific to news copy: words that carry the
writer's judgment ("slammed" for "criticized", "regime" for "government").
Newsrooms extend it through settings or the ``register_lexicon_entries`` hook.
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    """One loaded word form: its category and a neutral alternative ("" means cut it)."""

    word: str
    category: str
    suggestion: str


# Verb forms are listed as they appear in copy; matching ignores case.
_RAW: dict[str, tuple[str, tuple[str, ...]]] = {
    # category: (suggestion, words)
    "slammed": ("criticized", ("slam", "slams", "slammed", "slamming")),
    "blasted": ("criticized", ("blast", "blasts", "blasted", "blasting")),
    "lashed out": ("criticized", ("lashed out", "lashes out", "lashing out")),
    "ripped": ("criticized", ("ripped", "rips")),
    "torched": ("criticized", ("torched",)),
    "chaos": ("disruption", ("chaos", "chaotic", "mayhem", "meltdown")),
    "shocking": ("unexpected", ("shocking", "shocked", "stunning", "stunned", "jaw-dropping")),
    "outrage": ("criticism", ("outrage", "outraged", "outrageous", "furious", "fury")),
    "disaster": ("setback", ("disaster", "disastrous", "catastrophe", "catastrophic", "fiasco")),
    "radical": ("the group's position", ("radical", "radicals", "extremist", "extremists")),
    "regime": ("government", ("regime",)),
    "so-called": ("", ("so-called",)),
    "horrific": ("describe what happened", ("horrific", "horrifying", "heinous", "brutal")),
    "embattled": ("", ("embattled", "beleaguered", "disgraced")),
    "admitted": ("said", ("admitted", "conceded")),
    "claimed": ("said", ("claimed",)),
}


def builtin_entries() -> list[Entry]:
    """Every shipped word form as an :class:`Entry` (category = the headword)."""
    return [
        Entry(word, category, suggestion)
        for category, (suggestion, words) in _RAW.items()
        for word in words
    ]
