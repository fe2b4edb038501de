"""What a rule is: a token rule fires on a cue word, a text rule scans the whole text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

    from copydesk_sourcing.context import RuleContext


@dataclass(frozen=True)
class TokenRule:
    """A rule started from one token.

    ``lowers`` and ``lemmas`` name the words that make a token a candidate (the
    extractor preselects candidates from them in one array operation);
    ``matches`` decides whether this rule claims the candidate, and ``apply``
    reads the relation off the parse. The first rule that matches a token owns it.
    """

    name: str
    matches: Callable[[Token], bool]
    apply: Callable[[RuleContext, Token], None]
    lowers: frozenset[str] = frozenset()
    lemmas: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TextRule:
    """A rule run once per document, after every token rule."""

    name: str
    apply: Callable[[RuleContext], None]
