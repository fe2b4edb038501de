"""What a rule is: a token rule fires on a cue word, a text rule scans the whole text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Token

    from copydesk_sourcing.context import RuleContext
    from copydesk_sourcing.token_table import TokenTable


@dataclass(frozen=True)
class TokenRule:
    """A rule started from one token.

    ``lowers`` and ``lemmas`` name the words that make a token a candidate (the
    extractor preselects candidates from them in one array operation);
    ``matches`` decides whether this rule claims the candidate, and ``apply``
    reads the relation off the parse. The first rule that matches a token owns it.

    ``pos``: the coarse tags ``matches`` requires of a listed lemma (empty: any);
    the extractor looks lemmas up only at tokens of a lemma rule's tags, and
    offers a token only to the rules whose tags it has. ``worth``: for a rule
    that claims many tokens and rarely adds a relation, a whole-document mask
    (from the token table's columns) that is False only at tokens the rule would
    claim in vain (``matches`` false or ``apply`` adding nothing); those are not
    offered to it. Only for a rule whose words no other rule lists, so that a
    token it would have claimed in vain goes to no other rule instead.
    """

    name: str
    matches: Callable[[Token], bool]
    apply: Callable[[RuleContext, Token], None]
    lowers: frozenset[str] = frozenset()
    lemmas: frozenset[str] = frozenset()
    pos: frozenset[str] = frozenset()
    worth: Callable[[TokenTable], Any] | None = None


@dataclass(frozen=True)
class TextRule:
    """A rule run once per document, after every token rule."""

    name: str
    apply: Callable[[RuleContext], None]
