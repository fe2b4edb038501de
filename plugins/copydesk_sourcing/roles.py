"""What role a source speaks in: official, spokesperson, expert, citizen, media, document.

Read from the words that say who the source is: the head of the source phrase and
its apposition ("a spokeswoman for", "a professor of", "a resident of"), titles
before other mentions of the same person ("Sen. Ted Cruz", "nominee Donald
Trump") and the source type (an outlet is ``media``, a report is ``document``,
an institution speaking as such is ``official``). Nothing found gives
``unknown``: a bare name says nothing about the person's role.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

ROLES: tuple[str, ...] = (
    "official",
    "spokesperson",
    "expert",
    "citizen",
    "media",
    "document",
    "unknown",
)

SPOKESPERSON_WORDS: frozenset[str] = frozenset(
    """
    spokesman spokeswoman spokesperson spokespeople spokesmen spokeswomen publicist
    """.split()
)
# Two-word titles that are spokespeople whatever their head says.
SPOKESPERSON_PAIRS: frozenset[tuple[str, str]] = frozenset(
    {
        ("press", "secretary"),
        ("communications", "director"),
        ("press", "officer"),
        ("press", "aide"),
        ("communications", "adviser"),
    }
)
EXPERT_WORDS: frozenset[str] = frozenset(
    """
    professor professors expert experts analyst analysts economist economists researcher
    researchers scientist scientists scholar scholars historian historians pollster
    pollsters strategist strategists consultant consultants lecturer fellow academic
    academics specialist specialists sociologist psychologist physician doctor doctors
    epidemiologist statistician demographer lawyer lawyers attorney attorneys
    observer observers operative operatives
    """.split()
)
CITIZEN_WORDS: frozenset[str] = frozenset(
    """
    resident residents witness witnesses voter voters neighbor neighbors neighbour
    neighbours bystander bystanders passenger passengers customer customers parent
    parents mother father mothers fathers student students worker workers farmer
    farmers shopper shoppers protester protesters protestor protestors demonstrator
    demonstrators supporter supporters fan fans survivor survivors victim victims
    relative relatives attendee attendees man woman men women local locals teacher
    teachers nurse nurses retiree retirees veteran veterans homeowner homeowners
    tenant tenants daughter son wife husband sister brother widow citizen citizens
    driver drivers owner owners patient patients employee employees activist activists
    """.split()
)
OFFICIAL_WORDS: frozenset[str] = frozenset(
    """
    official officials minister ministers president secretary senator senators sen
    governor gov mayor chairman chairwoman chair director chief head ceo leader leaders
    commander general judge prosecutor prosecutors sheriff ambassador envoy adviser
    advisor advisers advisors aide aides manager nominee candidate candidates chancellor
    premier king queen prince pope deputy councilman councilwoman congressman
    congresswoman speaker whip lawmaker lawmakers legislator legislators politician
    politicians officer officers diplomat diplomats executive executives founder
    administrator commissioner commissioners superintendent inspector investigator
    investigators agent agents regulator regulators treasurer auditor chairperson
    vice-president vp cfo coo director-general secretary-general authorities
    committeeman committeewoman representative representatives rep front-runner frontrunner
    delegate delegates
    """.split()
)
MEDIA_WORDS: frozenset[str] = frozenset(
    """
    journalist journalists reporter reporters columnist columnists anchor anchors host
    hosts editor editors correspondent correspondents commentator broadcaster
    """.split()
)
# Abbreviated titles that stand before a name ("Sen. Cruz", "Gov. Abbott").
TITLE_ABBREVIATIONS: frozenset[str] = frozenset(
    {"sen.", "rep.", "gov.", "lt.", "gen.", "col.", "sgt.", "insp.", "supt.", "pres."}
)
# Who speaks for someone else when "for X" or "X's" follows: "a lawyer for the
# family", "a representative for the company" (a bare "Representative" is a member
# of Congress).
_COUNSEL = frozenset(
    {"lawyer", "lawyers", "attorney", "attorneys", "counsel", "representative", "representatives"}
)
_BY_WORD: tuple[tuple[str, frozenset[str]], ...] = (
    ("spokesperson", SPOKESPERSON_WORDS),
    ("expert", EXPERT_WORDS),
    ("media", MEDIA_WORDS),
    ("official", OFFICIAL_WORDS),
    ("citizen", CITIZEN_WORDS),
)
_PAIR_SECONDS = frozenset(second for _, second in SPOKESPERSON_PAIRS)
_PRIORITY = {"spokesperson": 0, "expert": 1, "media": 2, "official": 3, "citizen": 4}


def _first_roles() -> dict[str, tuple[int, str]]:
    """Each word with the first role of ``_BY_WORD`` that lists it (and its place
    there): one dict lookup for a token's word and one for its lemma instead of
    ten set lookups."""
    out: dict[str, tuple[int, str]] = {}
    for rank, (role, words) in enumerate(_BY_WORD):
        for word in words:
            out.setdefault(word, (rank, role))
    return out


_ROLE_OF = _first_roles()


@dataclass(frozen=True)
class RoleCue:
    """The word that decided a role, and where it is."""

    role: str
    start: int
    end: int
    text: str


def word_role(tok: Token) -> str | None:
    """The role a single token names, if any ("press secretary" counts as two)."""
    low = tok.lower_
    if low in TITLE_ABBREVIATIONS:
        return "official"
    # The word before is read (a new Token) only after a pair's second word.
    if (
        low in _PAIR_SECONDS
        and tok.i > 0
        and (tok.doc[tok.i - 1].lower_, low) in SPOKESPERSON_PAIRS
    ):
        return "spokesperson"
    if low == "attorney" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "general":
        return "official"
    if low in _COUNSEL and any(
        (c.dep_ == "prep" and c.lower_ in ("for", "representing")) or c.dep_ == "poss"
        for c in tok.children
    ):
        return "spokesperson"
    if low == "runner" and tok.i > 1 and tok.doc[tok.i - 2].lower_ == "front":
        return "official"  # "front-runner", tokenized in three
    by_word = _ROLE_OF.get(low)
    by_lemma = _ROLE_OF.get(tok.lemma_.lower())
    if by_word is None or (by_lemma is not None and by_lemma < by_word):
        by_word = by_lemma
    return by_word[1] if by_word is not None else None


def best_cue(tokens: Iterable[Token]) -> RoleCue | None:
    """The strongest role word among the tokens (spokesperson > expert > official > citizen)."""
    best: RoleCue | None = None
    for tok in tokens:
        role = word_role(tok)
        if role is None:
            continue
        if best is None or _PRIORITY[role] < _PRIORITY[best.role]:
            best = RoleCue(role, tok.idx, tok.idx + len(tok), tok.text)
    return best


def role_from_type(source_type: str, has_person_word: bool) -> str | None:
    """A role that follows from the source type alone."""
    if source_type == "media":
        return "media"
    if source_type == "document":
        return "document"
    if source_type == "organization" and not has_person_word:
        return "official"  # "the ministry said": the institution speaks as such
    return None
