"""Dependency-parse helpers for analyzer authors: find a verb's grammatical subject.

Several analyzers ask "who is the subject of this verb?" of a spaCy parse, with
small differences: which labels count as a subject (an expletive "there"? a
clausal subject?), and whether a verb without one borrows the subject of the
verb it hangs on ("He declined to comment": "comment" takes "He"). These take
the differences as arguments. Only spaCy ``Token`` objects are read; spaCy is
imported for type checking only, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Container
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

SUBJECT_DEPS: frozenset[str] = frozenset({"nsubj", "nsubjpass"})
"""The labels of a nominal subject, active or passive (spaCy's English scheme)."""


def subject_of(verb: Token, deps: Container[str] = SUBJECT_DEPS) -> Token | None:
    """The first child of ``verb`` whose dependency label is in ``deps``, or None.

    Add ``"expl"`` to count "there" in "there may be", ``"csubj"`` for a clausal
    subject ("What he said surprised them").
    """
    for child in verb.children:
        if child.dep_ in deps:
            return child
    return None


def climb_to_subject(
    verb: Token,
    through: Container[str],
    deps: Container[str] = SUBJECT_DEPS,
    max_nodes: int = 3,
) -> tuple[Token, Token] | None:
    """The nearest subject up the tree: ``(subject, the verb that owns it)`` or None.

    Looks at ``verb``, then, while the current node's label is in ``through``
    ("xcomp", "conj", ...), at its head, visiting at most ``max_nodes`` nodes.
    "She promised to resign": from "resign" through "xcomp" to "promised",
    whose subject is "She". The owner is returned too, so a caller can tell a
    relative clause ("the minister, who ...") from a main clause.
    """
    node = verb
    for _ in range(max_nodes):
        subj = subject_of(node, deps)
        if subj is not None:
            return subj, node
        if node.dep_ in through and node.head.i != node.i:
            node = node.head
        else:
            break
    return None
