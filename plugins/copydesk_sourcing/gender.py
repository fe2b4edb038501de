"""A source's gender from evidence in the text, never from a guess.

The question is the Gender Gap Tracker's and BBC 50:50's: how many of the people
quoted are women? The answer here is ``female``, ``male`` or ``unknown`` for a
person, ``None`` for a source that is not a person (an outlet, a document, an
institution), and it always comes with the evidence that decided it:

* ``honorific``: "Mr.", "Ms.", "Mrs.", "Sir", "Dame" before any mention of the
  person in the article;
* ``role_noun``: a gendered noun that says who the source is ("a spokeswoman",
  "chairman", "the mother of"), read from the head of the source phrase and its
  apposition, not from a prepositional object ("a spokesman for the woman's
  family" is a man);
* ``pronoun``: "he"/"she" as the source of another attribution, resolved to this
  source when the person is also the nearest person named before the pronoun;
* ``first_name`` (opt-in only, ``gender_from_first_names``): a short list of
  common first names. Off by default: a name is not evidence of how a person
  identifies, and the list is wrong for some names (see the docs' error rate).

Conflicting evidence ("Mr." and "she") gives ``unknown``, with both listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from copydesk_sourcing import lexicon as lx

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

FEMALE_HONORIFICS: frozenset[str] = frozenset(
    {"mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady", "madam", "madame", "mme", "mme."}
)
MALE_HONORIFICS: frozenset[str] = frozenset({"mr", "mr.", "sir", "lord", "monsieur"})

FEMALE_NOUNS: frozenset[str] = frozenset(
    """
    spokeswoman spokeswomen chairwoman chairwomen congresswoman congresswomen councilwoman
    councilwomen businesswoman businesswomen assemblywoman alderwoman anchorwoman
    policewoman stateswoman sportswoman camerawoman woman women mother mothers
    grandmother daughter daughters wife wives sister sisters widow aunt niece girl girls
    actress waitress queen princess duchess countess baroness girlfriend mom mum
    grandma granddaughter stepmother congresswoman-elect first-lady
    """.split()
)
MALE_NOUNS: frozenset[str] = frozenset(
    """
    spokesman spokesmen chairman chairmen congressman congressmen councilman councilmen
    businessman businessmen assemblyman alderman anchorman policeman statesman
    sportsman cameraman man men father fathers grandfather son sons husband husbands
    brother brothers widower uncle nephew boy boys king prince duke count baron
    boyfriend dad grandpa grandson stepfather congressman-elect
    """.split()
)
_MARGIN = 3
# Generic singular uses that say nothing about the person: "no man is an island".
_NOT_ROLE_DEPS = frozenset({"pobj", "poss", "relcl", "acl", "advcl", "ccomp", "npadvmod"})


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: what kind, which gender it points to, where."""

    kind: str  # honorific, role_noun, pronoun, first_name
    gender: str  # female, male
    start: int
    end: int
    text: str

    def as_data(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "gender": self.gender,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


def honorific_before(doc: Doc, start_char: int, first_tok: int | None = None) -> Evidence | None:
    """An honorific as the first word of a mention or the word right before it."""
    idx = first_tok
    if idx is None:
        span = doc.char_span(start_char, start_char + 1, alignment_mode="expand")
        if span is None:
            return None
        idx = span.start
    for i in (idx, idx - 1):
        if not 0 <= i < len(doc):
            continue
        tok = doc[i]
        low = tok.lower_
        # "Mr ." split in two: the word after is read (a new Token) only after "mr"/"ms".
        if low in ("mr", "ms") and i == idx - 1 and i + 1 < len(doc) and doc[i + 1].lower_ == ".":
            continue
        if low in FEMALE_HONORIFICS and tok.text[:1].isupper():
            return Evidence("honorific", "female", tok.idx, tok.idx + len(tok), tok.text)
        if low in MALE_HONORIFICS and tok.text[:1].isupper():
            return Evidence("honorific", "male", tok.idx, tok.idx + len(tok), tok.text)
    return None


def role_tokens(doc: Doc, start: int, end: int) -> list[Token]:
    """Tokens of a source phrase that say who the source is.

    The head and the words joined to it as compound, apposition or conjunct,
    never a prepositional object or a possessor: in "a spokesman for the woman's
    family" only "spokesman" counts.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return []
    return role_tokens_of(span)


def role_tokens_of(span: Span) -> list[Token]:
    """``role_tokens`` of a phrase already found as a (non-empty) span."""
    root = span.root
    out: list[Token] = []
    for tok in span:
        node = tok
        ok = True
        while node.i != root.i:
            head = node.head
            # Outside the phrase, or another sentence's root inside it (a phrase
            # that runs over a sentence end): not below the phrase's head. (A root
            # is its own head: without this the walk never ended.)
            if head.i == node.i or not (span.start <= head.i < span.end):
                ok = False
                break
            if node.dep_ == "relcl" and node.lemma_ == "be":
                pass  # "X, who is a professor at Y": the attribute describes X
            elif node.dep_ in _NOT_ROLE_DEPS:
                ok = False
                break
            node = head
        if ok:
            out.append(tok)
    return out


def noun_evidence(tokens: Iterable[Token]) -> list[Evidence]:
    out = []
    for tok in tokens:
        low = tok.lower_
        if low in FEMALE_NOUNS:
            out.append(Evidence("role_noun", "female", tok.idx, tok.idx + len(tok), tok.text))
        elif low in MALE_NOUNS:
            out.append(Evidence("role_noun", "male", tok.idx, tok.idx + len(tok), tok.text))
    return out


def name_evidence(name: str, start: int, end: int) -> Evidence | None:
    """Opt-in: the first name on the shipped list of common first names."""
    words = [w for w in name.split() if w.lower().rstrip(".") not in {"mr", "mrs", "ms", "dr"}]
    if len(words) < 2:
        return None  # a surname alone is not a first name
    first = words[0].lower()
    if first in lx.FEMALE_NAMES:
        return Evidence("first_name", "female", start, end, words[0])
    if first in lx.MALE_NAMES:
        return Evidence("first_name", "male", start, end, words[0])
    return None


def decide(evidence: Sequence[Evidence]) -> str:
    """``female``/``male`` when the evidence agrees, ``unknown`` otherwise.

    Text evidence (honorific, role noun, pronoun) outranks an opt-in first name:
    a name is consulted only when the text says nothing. Mixed text evidence
    decides only by a wide margin (three to one: twenty "Mr. Trump" and one
    "Mrs. Trump" the entity linker merged in); closer than that it is unknown.
    """
    textual = [e.gender for e in evidence if e.kind != "first_name"]
    if textual:
        female, male = textual.count("female"), textual.count("male")
        if female >= _MARGIN * male:
            return "female"
        if male >= _MARGIN * female:
            return "male"
        return "unknown"
    names = {e.gender for e in evidence}
    return next(iter(names)) if len(names) == 1 else "unknown"
