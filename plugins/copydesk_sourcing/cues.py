"""Token tests that tell a reporting cue from a look-alike.

Shared by the rules and the learned cue detector: idioms built on a speech verb,
participles that interpret rather than report, and reduced relatives whose "by"
phrase names the agent.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

# Idioms built on a speech verb that attribute nothing: "it is worth noting that",
# "it goes without saying", "needless to say", "let's say you ...".
IDIOM_PAIRS = frozenset({("needless", "to"), ("let", "'s"), ("let", "\u2019s"), ("let", "us")})
# "worth noting", "without saying": the word before makes the idiom.
IDIOM_PREV = ("worth", "without")
# Participles that read a fact rather than report speech: "..., signalling that".
_INTERPRETIVE = frozenset(
    """signal indicate underscore underline highlight hint reflect demonstrate illustrate
    mark""".split()
)
# "by phone", "by a wide margin": a "by" that names no agent.
_NOT_AGENTS = frozenset(
    "phone telephone email e-mail mail letter video text fax margin far way default".split()
)


@functools.cache
def idiom_ids() -> tuple[frozenset[int], frozenset[tuple[int, int]]]:
    """``IDIOM_PREV`` and ``IDIOM_PAIRS`` as string ids (a lower-case column's
    values), once per process."""
    from spacy.strings import get_string_id

    firsts = frozenset(get_string_id(w) for w in IDIOM_PREV)
    pairs = frozenset((get_string_id(a), get_string_id(b)) for a, b in IDIOM_PAIRS)
    return firsts, pairs


def interpretive_participle(tok: Token) -> bool:
    """ "Reuters reported ..., signalling that ...": a participle with no subject of
    its own that reads the clause it hangs on; the subject it would inherit did not
    say it, so it is not a second attribution."""
    return (
        tok.tag_ == "VBG"
        and tok.lemma_.lower() in _INTERPRETIVE
        and tok.dep_ in ("advcl", "xcomp", "conj", "acl")
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in tok.children)
    )


def reduced_relative(verb: Token) -> bool:
    """ "Hamas, a group deemed a terrorist organisation by X": the parser read
    "a group" as the subject of an active "deemed"; an indefinite noun in
    apposition (after a comma) before a participle with a "by" agent is the
    one spoken of, not the speaker."""
    if verb.tag_ not in ("VBD", "VBN") or not verb.lower_.endswith(("ed", "en", "t")):
        return False
    subj = next((c for c in verb.lefts if c.dep_ == "nsubj"), None)
    if subj is None or subj.pos_ != "NOUN" or subj.right_edge.i != verb.i - 1:
        return False
    first = subj.left_edge
    if first.i == 0 or verb.doc[first.i - 1].text != ",":
        return False
    return first.lower_ in ("a", "an") and by_agent(verb) is not None


def by_agent(verb: Token) -> Token | None:
    """The "by" object of a participle parsed as a plain preposition.

    "a group deemed a terrorist organisation by the Trump administration": the
    parser hangs "by" on the object; the administration is still the agent.
    """
    stack = [(c, 0) for c in verb.rights]
    while stack:
        node, depth = stack.pop()
        if node.dep_ in ("ccomp", "relcl", "advcl", "acl", "conj", "xcomp"):
            continue
        if node.dep_ == "prep" and node.lower_ == "by":
            pobj = next((g for g in node.children if g.dep_ == "pobj"), None)
            if (
                pobj is not None
                and pobj.lower_ not in _NOT_AGENTS
                and pobj.ent_type_
                not in (
                    "DATE",
                    "TIME",
                )
            ):
                return pobj
        if depth < 2:
            stack.extend((c, depth + 1) for c in node.children)
    return None


def after_idiom(tok: Token) -> bool:
    """The token follows "worth", "without", "needless to", "let's" or "let us".

    Token-based on purpose: ``Doc.text`` rebuilds the whole text on every call.
    """
    if tok.i == 0:
        return False
    prev = tok.doc[tok.i - 1].lower_
    if prev in IDIOM_PREV:
        return True
    prev2 = tok.doc[tok.i - 2].lower_ if tok.i > 1 else ""
    return (prev2, prev) in IDIOM_PAIRS
