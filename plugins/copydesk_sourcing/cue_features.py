"""How the learned cue detector's features are written out: spelled, or weighed.

Why: the detector's features are strings such as "lemma_dep=say|ROOT", the
names its weights were trained under (``cue_model.json``). Scoring a candidate
used to spell each of its ~43 strings and look each up in the 85,000 weights,
a third of the detector's time: new strings, hashed again every time. The walk
over a candidate (``DocView.token_features``) now hands each feature's value to
a sink instead. ``Spelling`` joins template and value into the trained string
(for training and for reading); ``Weighing`` looks the value up in the weights
of that template alone, the value being a string spaCy's parse already has
(interned, its hash kept), so that no feature string is built at all. The
templates conjoined with the lemma ("lemma_dep", "lemma_child", ...) are looked
up per lemma: the candidate's lemma picks a row once, each feature is then one
lookup of the other value.

Both sinks give the same feature, so ``Weighing`` gives, feature for feature,
the weight ``Spelling``'s string has in the weights (None for none): summed in
the same order, the score is the same number to the last bit.
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Callable, Mapping
from typing import Any, Protocol

# Templates with one value after "=" (a value may itself be several joined with "|").
TEMPLATES = tuple(
    """lemma lex pos tag dep subj lex_subj dep_subj head_pos under_cue passive in_content
    in_content_lex root sent_quote sent_cue sent_both right prev next subj_lemma right_quote
    lex_right_quote subj_speaker lex_speaker near_cue speaker_near aux head_lemma child prep
    prep_obj obj obj_ent comp lemma_child_cue child_cue_dep""".split()
)
# Templates whose value is "{lemma}|{rest}", written out from the candidate's lemma row.
LEMMA_TEMPLATES = tuple(
    """lemma_dep lemma_tag lemma_subj lemma_passive lemma_sent lemma_right lemma_next
    lemma_child lemma_prep lemma_obj""".split()
)
# Features with no value at all.
FLAGS = ("ccomp_mark", "child_cue")

Emit = Callable[[str], Any]


class FeatureSink(Protocol):
    """What a feature becomes: ``emit[template](value)``, ``for_lemma(lemma)[template](rest)``
    for a lemma-conjoined template, ``flag[name]`` for a feature without value."""

    emit: Mapping[str, Emit]
    flag: Mapping[str, Any]

    def for_lemma(self, lemma: str) -> Mapping[str, Emit]: ...


class Spelling:
    """Features as the strings the weights file names ("lemma_dep=say|ROOT")."""

    def __init__(self) -> None:
        self.emit: Mapping[str, Emit] = {t: f"{t}=".__add__ for t in TEMPLATES}
        self.flag: Mapping[str, Any] = {f: f for f in FLAGS}

    def for_lemma(self, lemma: str) -> dict[str, Emit]:
        return {t: f"{t}={lemma}|".__add__ for t in LEMMA_TEMPLATES}


class Weighing:
    """Features as their weights (None for a feature the weights do not know)."""

    def __init__(self, weights: Mapping[str, float]) -> None:
        values: dict[str, dict[str, float]] = {t: {} for t in (*TEMPLATES, *LEMMA_TEMPLATES)}
        flags: dict[str, Any] = dict.fromkeys(FLAGS)
        for feat, w in weights.items():
            template, eq, value = feat.partition("=")
            if eq:
                table = values.get(template)
                if table is not None:
                    table[value] = w
            elif template in flags:
                flags[template] = w
        self.flag: Mapping[str, Any] = flags
        self.emit: Mapping[str, Emit] = {t: values[t].get for t in TEMPLATES}
        # The lemma-conjoined templates' values in order, so that one lemma's
        # ("say|...") are one run found by bisection, when that lemma comes up.
        self._conjoined = {t: (sorted(values[t]), values[t]) for t in LEMMA_TEMPLATES}
        self._rows: dict[str, dict[str, Emit]] = {}

    def for_lemma(self, lemma: str) -> dict[str, Emit]:
        row = self._rows.get(lemma)
        if row is None:
            if len(self._rows) > _ROW_LIMIT:
                self._rows.clear()
            row = self._rows[lemma] = self._row(lemma)
        return row

    def _row(self, lemma: str) -> dict[str, Emit]:
        """Each lemma-conjoined template's weights for ``lemma``, by the rest of the
        value: "lemma_dep=say|ROOT" is the row of "say", "ROOT" in "lemma_dep".
        Every value that starts with "say|" is that lemma's (a lemma holding "|"
        itself only finds the values spelled with it)."""
        prefix = f"{lemma}|"
        cut = len(prefix)
        row: dict[str, Emit] = {}
        for template, (ordered, weights) in self._conjoined.items():
            rest: dict[str, float] = {}
            at = bisect.bisect_left(ordered, prefix)
            while at < len(ordered) and ordered[at].startswith(prefix):
                value = ordered[at]
                rest[sys.intern(value[cut:])] = weights[value]
                at += 1
            row[template] = rest.get
        return row


# Lemma rows kept (per process) before the cache starts again.
_ROW_LIMIT = 50_000

SPELLING = Spelling()
