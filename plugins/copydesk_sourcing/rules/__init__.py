"""The attribution rules, in the order the extractor runs them.

Each module holds one rule and exposes it as ``RULE`` (``according`` holds two).
Order matters and is kept here, in one place: a candidate token goes to the
first token rule that matches it, and a cue already taken keeps its first
relation (``RuleContext.add``). The text rules run after every token rule; the
stand-alone quotation rule must come last, since it reads the others' relations.
To add a rule, write a module with a ``TokenRule`` or ``TextRule`` and insert it
below where it should win.
"""

from __future__ import annotations

from copydesk_sourcing.rules import (
    according,
    hearsay,
    in_source,
    name_colons,
    nouns,
    quote_dashes,
    standalone,
    transcripts,
    verbs,
)
from copydesk_sourcing.rules.base import TextRule, TokenRule

TOKEN_RULES: tuple[TokenRule, ...] = (
    according.ACCORDING_TO,
    according.AS_PER,
    in_source.RULE,
    hearsay.RULE,
    verbs.RULE,
    nouns.RULE,
)
TEXT_RULES: tuple[TextRule, ...] = (
    transcripts.RULE,
    name_colons.RULE,
    quote_dashes.RULE,
    standalone.RULE,
)

__all__ = ["TEXT_RULES", "TOKEN_RULES", "TextRule", "TokenRule"]
