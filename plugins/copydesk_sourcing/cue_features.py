"""How the learned cue detector's features are written out: spelled, or weighed.

Why: the detector's features are strings such as "lemma_dep=say|ROOT", the
names its weights were trained under (``cue_model.json``). Scoring a candidate
used to spell each of its ~43 strings and look each up among all 85,000
weights: a third of the detector's time. The walk over a candidate
(``DocView.feature_rows``) now hands each feature's template and value to a
sink. ``Spelling`` joins them into the trained string (for training and for
reading); ``Weighing`` looks the value up among the weights of that template
alone, where most values are strings the parse already has (interned by the
``TokenTable``, their hash kept), so that scoring builds no feature string.

Both sinks see the same features in the same order, and ``Weighing`` gives each
the weight that ``Spelling``'s string has (None for a feature without one):
summed in that order, the score is the same number to the last bit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

# The detector's templates: "template=value" (a value may join several with "|").
TEMPLATES = tuple(
    """lemma lex pos tag dep subj lex_subj dep_subj head_pos under_cue passive in_content
    in_content_lex root sent_quote sent_cue sent_both right prev next subj_lemma right_quote
    lex_right_quote subj_speaker lex_speaker near_cue speaker_near aux head_lemma child prep
    prep_obj obj obj_ent comp lemma_child_cue child_cue_dep lemma_dep lemma_tag lemma_subj
    lemma_passive lemma_sent lemma_right lemma_next lemma_child lemma_prep lemma_obj""".split()
)
# Features with no value at all.
FLAGS = ("ccomp_mark", "child_cue")

Emit = Callable[[str], Any]
# A yes/no value as the feature strings spell it (f"{flag}"), and the lexicon
# classes of a cue lemma ("lex") and of a speaker ("said" in "lex_speaker").
BOOL = ("False", "True")
LEX = ("speech", "other", "no")
SAID = ("speech", "other")
Pair = tuple[Any, Any]
# A lemma's "lemma_passive" pair, "lemma_sent" pairs (by quotation, by cue) and
# "lemma_right" pair (``Fixed.of_lemma``).
LemmaFlags = tuple[Pair, tuple[Pair, ...], Pair]
_LEMMAS = 50_000  # lemmas kept by ``Fixed.of_lemma``: bounded for a long-running server


class FeatureSink:
    """What a feature becomes: ``emit[template](value)``, or ``flag[name]`` for a
    feature without value; ``fixed`` for the templates with few values."""

    emit: Mapping[str, Emit]
    flag: Mapping[str, Any]

    @functools.cached_property
    def fixed(self) -> Fixed:
        """What this sink makes of every value of the few-valued templates."""
        return Fixed(self.emit)


class Fixed:
    """A sink's output for each value of the templates whose values are a yes/no
    or a lexicon class, or a few of these joined ("sent_both=True|False|False"),
    worked out once per sink.

    Why: per candidate, such a feature was spelled and looked up (or its string
    joined) like any other; picked by index (a flag indexes a pair as 0 or 1) it
    is the same value, with neither. Each pair is indexed by a flag, each dict by
    a class, nested in the order the value spells them.
    """

    def __init__(self, e: Mapping[str, Emit]) -> None:
        self._emit = e
        self._lemmas: dict[str, LemmaFlags] = {}

        def pair(template: str, spell: Callable[[str], str] = str) -> Pair:
            return e[template](spell(BOOL[0])), e[template](spell(BOOL[1]))

        self.lex = {lex: e["lex"](lex) for lex in LEX}
        self.under_cue = pair("under_cue")
        self.passive = pair("passive")
        self.in_content = pair("in_content")
        self.in_content_lex = tuple(
            {lex: e["in_content_lex"](f"{b}|{lex}") for lex in LEX} for b in BOOL
        )
        self.root = pair("root")
        self.sent_quote = pair("sent_quote")
        self.sent_cue = pair("sent_cue")
        self.sent_both = tuple(tuple(pair("sent_both", _after(q, c)) for c in BOOL) for q in BOOL)
        self.right = pair("right")
        self.right_quote = pair("right_quote")
        self.lex_right_quote = {s: pair("lex_right_quote", _after(s)) for s in SAID}
        self.subj_speaker = pair("subj_speaker")
        self.lex_speaker = {s: pair("lex_speaker", _after(s)) for s in SAID}
        self.near_cue = pair("near_cue")
        self.speaker_near = tuple(
            tuple(pair("speaker_near", _after(s, n)) for n in BOOL) for s in BOOL
        )

    def of_lemma(self, lemma: str) -> LemmaFlags:
        """The few-valued features conjoined with a lemma ("lemma_passive",
        "lemma_sent", "lemma_right"), each value's output worked out on the
        lemma's first candidate and kept (forgotten past ``_LEMMAS`` lemmas).
        Why: three strings joined and looked up per candidate become one lookup."""
        row = self._lemmas.get(lemma)
        if row is None:
            if len(self._lemmas) >= _LEMMAS:
                self._lemmas.clear()
            e = self._emit
            of = f"{lemma}|"
            row = self._lemmas[lemma] = (
                (e["lemma_passive"](of + BOOL[0]), e["lemma_passive"](of + BOOL[1])),
                tuple(
                    (e["lemma_sent"](f"{of}{q}|{BOOL[0]}"), e["lemma_sent"](f"{of}{q}|{BOOL[1]}"))
                    for q in BOOL
                ),
                (e["lemma_right"](of + BOOL[0]), e["lemma_right"](of + BOOL[1])),
            )
        return row


class Spelling(FeatureSink):
    """Features as the strings the weights file names ("lemma_dep=say|ROOT")."""

    def __init__(self) -> None:
        self.emit = {t: f"{t}=".__add__ for t in TEMPLATES}
        self.flag = {f: f for f in FLAGS}


class Weighing(FeatureSink):
    """Features as their weights (None for a feature the weights do not know)."""

    def __init__(self, weights: Mapping[str, float]) -> None:
        values: dict[str, dict[str, float]] = {t: {} for t in TEMPLATES}
        flags: dict[str, Any] = dict.fromkeys(FLAGS)
        for feat, w in weights.items():
            template, eq, value = feat.partition("=")
            if eq:
                table = values.get(template)
                if table is not None:
                    table[value] = w
            elif template in flags:
                flags[template] = w
        self.emit = {t: values[t].get for t in TEMPLATES}
        self.flag = flags


SPELLING = Spelling()


def _after(*parts: str) -> Callable[[str], str]:
    """A value spelled after ``parts`` ("True|False|" + value)."""
    return "".join(f"{p}|" for p in parts).__add__
