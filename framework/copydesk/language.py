"""A cheap guess at a text's language, so English-only analyzers are not run on German.

Why a stop-word ratio and not a trained detector: the question the runner asks is
narrow ("is this English, or clearly some other language?"), it is asked once per
document before analysis, and it must cost next to nothing and install nothing.
The most frequent function words of a language make up a third or more of any
running text in it and almost none of a text in another, so counting them
answers that question for articles of a paragraph or more. Short texts (fewer
than :data:`MIN_WORDS` words: a headline, a brief) are not judged at all.

A document can state its language instead: ``meta["language"]`` (an ISO 639-1
code such as ``"de"``) is used as given and nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_WORDS = 20

# The most frequent function words of each language (articles, pronouns,
# prepositions, conjunctions, auxiliaries), chosen to overlap little between
# languages: a word common to two lists (e.g. "in") is kept in neither.
_STOP_WORDS = {
    "en": "the of and to a that is was for on with as by at from it he she they his her "
    "their this be are were have has had said not but or an which who will would been",
    "de": "der die das und ist nicht ein eine zu den von mit sich des auf für dem im "
    "auch es an als wird werden hat sind sie er wir nach bei noch aus wie über oder",
    "fr": "le la les et est des une du un que qui dans pour pas sur au par plus ce "
    "il elle sont ont été avec mais ou aux cette ses leur nous vous aussi",
    "es": "el la los las y que de del en un una por con para es se al lo como más "
    "pero sus ha fue son sobre este esta entre también",
    "it": "il la le di che è e un una per con del della dei non sono si al nel alla "
    "anche ha più questo come ma gli",
    "nl": "de het een en van dat is op te zijn met voor niet aan er maar ook als bij "
    "door om naar wordt werd heeft dit deze",
    "pt": "o a os as e de do da que em um uma para com não por se mais foi ao dos das "
    "como mas são também pelo pela",
}

_LISTS = {lang: frozenset(words.split()) for lang, words in _STOP_WORDS.items()}
_SHARED = frozenset(
    w
    for lang, ws in _LISTS.items()
    for w in ws
    if any(w in other for k, other in _LISTS.items() if k != lang)
)
_LISTS = {lang: ws - _SHARED for lang, ws in _LISTS.items()}
# Each remaining word belongs to one language: one lookup per word, not one per list.
_LANGUAGE_OF = {w: lang for lang, ws in _LISTS.items() for w in ws}
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")

NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "nl": "Dutch",
    "pt": "Portuguese",
}


@dataclass(frozen=True)
class Guess:
    """A language code, the share of its function words, and whether it was stated."""

    language: str
    score: float
    stated: bool = False

    @property
    def name(self) -> str:
        return NAMES.get(self.language, self.language)


def detect_language(text: str, max_words: int = 2000) -> Guess | None:
    """The language of ``text`` among those listed, or None when it cannot tell.

    Reads at most ``max_words`` words. None for short texts and for texts in
    which no listed language's function words reach 8 % of the words (a table
    of figures, a list of names, a language not listed).
    """
    words = [w.lower() for w in _WORD.findall(text[: max_words * 12])][:max_words]
    if len(words) < MIN_WORDS:
        return None
    counts = dict.fromkeys(_LISTS, 0)
    for w in words:
        lang = _LANGUAGE_OF.get(w)
        if lang is not None:
            counts[lang] += 1
    scores = {lang: counts[lang] / len(words) for lang in _LISTS}
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] < 0.08:
        return None
    return Guess(best, round(scores[best], 3))


def document_language(text: str, meta: dict[str, object]) -> Guess | None:
    """``meta["language"]`` when the document states one, else :func:`detect_language`."""
    stated = meta.get("language") or meta.get("lang")
    if isinstance(stated, str) and stated.strip():
        code = stated.strip().lower().replace("_", "-").split("-")[0]
        return Guess(code, 1.0, stated=True)
    return detect_language(text)
