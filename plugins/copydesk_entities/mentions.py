"""Trimming and normalising single entity mentions.

Why this exists: spaCy's NER spans are token spans, and its tokens are not an
editor's idea of a name. It swallows a trailing quotation mark, a leading
"the", a possessive "'s" ("Trump's" is one span), and sometimes an honorific
("Mr. Trump"). A highlight on ``Trump's"`` looks sloppy and breaks string
matching, so every span is trimmed to the bare name before merging.

Decisions (documented in docs/analyzers/entities.md):

* a possessive is cut: "Trump's" yields "Trump", "Reuters'" yields "Reuters";
  names whose "'s" is part of the name ("McDonald's", "Moody's") keep it;
* a leading "the"/"The" is cut ("the United States" -> "United States",
  "The New York Times" -> "New York Times"), as in CoNLL/UNER gold spans;
* a leading honorific is cut from person names ("Mr. Trump" -> "Trump");
* a final period is kept only when it belongs to an abbreviation ("U.S.",
  "Apple Inc.", "Martin Luther King Jr.").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

# Name keys are pure functions of a name's text and the same few hundred names
# recur across mentions, rules and documents: they are memoised (issue 16:
# normalisation was most of the analyzer's time). Bounded, so a long run over
# many documents does not grow without limit.
NAME_CACHE_SIZE = 1 << 16

# Quotation marks and brackets that are never part of a name at its edges.
_EDGE_STRIP = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201a`()[]{}<>*_|/\\"
_TRAILING_PUNCT = ",;:!?\u2014\u2013-"
_POSSESSIVE = re.compile(r"(?:['\u2019]s|(?<=s)['\u2019])$")
# Names that end in "'s" themselves; their possessive is spelt the same.
_OWN_APOSTROPHE = frozenset(
    """mcdonald's macy's sotheby's christie's domino's wendy's kellogg's lloyd's moody's
    hershey's denny's applebee's dillard's kohl's lowe's friendly's harrah's""".split()
)
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")

# Honorifics and titles that may precede a person's name. Lower-case, no period.
HONORIFICS = frozenset(
    """mr mrs ms miss mx dr prof sir dame lord lady madam rev fr sr sen rep gov gen col
    lt sgt capt cmdr adm maj pres president vice senator representative congressman
    congresswoman governor mayor minister secretary chancellor premier judge justice
    king queen prince princess pope sheikh ambassador chairman chairwoman chief
    officer coach professor doctor father sister brother saint st det insp supt""".split()
)
# Name suffixes that are not surnames.
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"})
# Words ending in a period that keep it: abbreviations that end names.
_KEEP_PERIOD = re.compile(
    r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:Inc|Corp|Co|Ltd|Bros|Jr|Sr|Mass|Calif|Fla|Ore|St|Mt|Ave|Blvd)\.)$"
)
_WORD = re.compile(r"[^\W_]+(?:['\u2019.&-][^\W_]+)*\.?")
# Words skipped when building an acronym from a long form.
ACRONYM_STOPWORDS = frozenset({"of", "the", "and", "for", "&", "in", "on", "at", "to", "a", "an"})


# Honorifics that only ever precede a person's name: "Ms Pugh" is a person even
# when spaCy labels "Pugh" a place.
PERSONAL_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "messrs"})
_HONORIFIC_WORDS = tuple("Mr Mrs Ms Miss Mx Dr Sir Dame Messrs MR MRS MS DR".split())
_HONORIFIC_BEFORE = re.compile(rf"\b({'|'.join(_HONORIFIC_WORDS)})\.?\s+$")
_HONORIFIC_ENDINGS = _HONORIFIC_WORDS + tuple(f"{word}." for word in _HONORIFIC_WORDS)
# Lower-case words that may open a name ("de Gaulle", "al-Assad", "van Gogh").
_PARTICLES = frozenset(
    """de del della der di du da dos das van von ter den la le al el bin ibn ben
    mc mac d' o'""".split()
)
_CAPITAL_PARTICLES = frozenset(
    {"de", "del", "della", "der", "di", "du", "da", "dos", "das", "van", "von", "ter", "den"}
)
# Era abbreviations spaCy sometimes tags as organisations ("1900 BC").
ERAS = frozenset({"BC", "BCE", "AD", "CE"})
# Lower-case linking words of a hyphenated place name ("Mar-a-Lago",
# "Stratford-upon-Avon", "Aix-en-Provence"); a person's name has none.
LINKING_WORDS = "a|de|del|la|le|les|du|des|en|sur|sous|upon|on|in|am|an|im|aux|of|the|by"
_LINKED_COMPOUND = re.compile(rf"(?:-(?:{LINKING_WORDS}))+-[A-Z][\w']*(?:-[A-Z][\w']*)*")
LINKED_NAME = re.compile(rf"\w-(?:{LINKING_WORDS})-[A-Z]")

# Function words that never end a name ("Lucas Cranach the").
_TRAILING_FUNCTION_WORDS = frozenset({"the", "of", "and", "&", "for", "in", "on", "at", "to", "a"})


@dataclass(frozen=True)
class Cue:
    """One piece of label evidence for a mention beyond spaCy's label: the label
    it argues for, why (``"role_apposition"``, ``"speech_subject"``...), and its
    weight in the entity's vote (see :mod:`copydesk_entities.evidence`)."""

    label: str
    name: str
    weight: float


@dataclass
class Mention:
    """One trimmed mention: character span, surface text and its label.

    ``label`` starts as spaCy's label and may be changed by a rule (an honorific
    makes a person); ``spacy_label`` keeps what spaCy said.
    """

    start: int
    end: int
    text: str
    label: str
    spacy_label: str = ""
    honorific: str | None = None
    # Why a rule overrode spaCy's label ("honorific", "dateline"), if one did.
    by_rule: str | None = None
    # Set when the mention joined a person by its surname or first name alone:
    # the link is itself evidence of a person, so its own label counts little.
    linked_by_name: bool = False
    # Set when spaCy did not tag this occurrence and the name search found it.
    found_by_name: bool = False
    # Context evidence for the label, added to the entity's vote. Read only; most
    # mentions have none and share the empty tuple (no list each: issue 16).
    cues: Sequence[Cue] = ()
    # A label for this mention alone, whatever the entity's: a country acting
    # ("Spain ceded", "Russia said") is an organisation there, a place elsewhere.
    metonym: str | None = None

    def __post_init__(self) -> None:
        if not self.spacy_label:
            self.spacy_label = self.label


def trim(text: str, start: int, end: int, label: str) -> list[Mention]:
    """Trim ``text[start:end]`` to bare names: usually one, none when nothing
    name-like is left, several when spaCy's span crosses a line break (a name
    never does; "Election Results\nEddie Chu" gives "Election Results" and
    "Eddie Chu", each trimmed on its own).
    """
    if text.find("\n", start, end) < 0:
        mention = _trim_line(text, start, end, label)
        return [] if mention is None else [mention]
    out = []
    for line_start, line_end in _lines(text, start, end):
        mention = _trim_line(text, line_start, line_end, label)
        if mention is not None:
            out.append(mention)
    return out


def _trim_line(text: str, start: int, end: int, label: str) -> Mention | None:
    """The trimmed mention in ``text[start:end]`` (one line), if a name is left.

    Each pattern that looks at the text around the span is tried only where
    the character it needs is there (a colon, a hyphen, a space before):
    cheap necessary tests, as most spans need none of them (issue 16)."""
    honorific: str | None = None
    if text.find(":", start, end) >= 0:
        start = _after_field_label(text, start, end)
    if start < end:
        left, right, honorific = _trim_span(text[start:end], label)
        start, end = start + left, end - right
    if text.find(":", start, min(len(text), end + _LABEL_REACH)) >= 0:
        end = _before_field_label(text, start, end)
    if text.startswith("-", end) and start < end and text[end - 1].isalpha():
        compound = _LINKED_COMPOUND.match(text, end)
        if compound is not None:
            end = compound.end()  # "Mar" + "-a-Lago": the tokenizer split a place name
    name = text[start:end]
    if start >= end or not _is_name(name):
        return None
    if honorific is None and _may_follow_honorific(text, start):
        before = _HONORIFIC_BEFORE.search(text, max(0, start - 12), start)
        if before is not None:
            honorific = before.group(1)
    if honorific is not None and honorific.casefold() in PERSONAL_HONORIFICS:
        return Mention(start, end, name, "PERSON", label, honorific, by_rule="honorific")
    return Mention(start, end, name, label, label, honorific)


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _trim_span(span: str, label: str) -> tuple[int, int, str | None]:
    """All trimming steps of a span as (chars cut left, chars cut right, honorific).

    Each step removes one thing and the loop repeats until nothing changes, so
    ``"Mr. Trump's"`` loses the quote, the possessive and the honorific in turn.
    A pure function of the span's text and label, memoised like each step."""
    left, right = 0, 0
    honorific: str | None = None
    while left < len(span) - right:
        cut = _trim_step(span[left : len(span) - right], label)
        if cut is None:
            break
        left, right = left + cut[0], right + cut[1]
        honorific = cut[2] or honorific
    return left, right, honorific


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _is_name(name: str) -> bool:
    """Whether a trimmed span is a name: it has a capital or a digit ("county
    planning board" has none) and is no era ("700 BC", "the 14th century BCE")."""
    if not any(ch.isupper() or ch.isdigit() for ch in name):
        return False
    return name.replace(".", "") not in ERAS


def _may_follow_honorific(text: str, start: int) -> bool:
    """Whether :data:`_HONORIFIC_BEFORE` can match before ``start``: the text
    there, trailing whitespace aside, must end with an honorific (and a period)."""
    if not text[start - 1 : start].isspace():
        return False
    return text[max(0, start - 12) : start].rstrip().endswith(_HONORIFIC_ENDINGS)


# Field labels of captions and message headers, followed by a colon: "Image: Nick
# Moreau", "Email: ...", "Source: Reuters". spaCy tags them as names (or as the
# end of the name before them); they are never part of one.
_LABEL_WORD = re.compile(
    r"(?<![\w-])(?:Image|Images|Photo|Photos|Picture|Video|Audio|Source|Credit|Caption|"
    r"Email|E-mail|Tel|Fax|Groups|Excerpt)[ \t]*:"
)
# A label word that ends spaCy's span has its colon outside the span, after at
# most two spaces ("Ahmed Mohamed Image" + ": Twitter"): the search for it reaches
# this many characters past the span.
_LABEL_REACH = 3


def _after_field_label(text: str, start: int, end: int) -> int:
    """Where the name begins when a field label opens the span: "Image: Nick
    Moreau" -> "Nick Moreau" (``end`` when the span is only the label)."""
    opening = _LABEL_WORD.match(text, start, end)
    if opening is None:
        return start
    start = opening.end()
    while start < end and text[start].isspace():
        start += 1
    return start


def _before_field_label(text: str, start: int, end: int) -> int:
    """Where the name ends when a field label follows it inside the span or right
    after it: "Ahmed Mohamed Image: Twitter" -> "Ahmed Mohamed" (``start`` when
    the span is only the label)."""
    label = _LABEL_WORD.search(text, start, min(len(text), end + _LABEL_REACH))
    if label is None or label.start() >= end:
        return end
    end = label.start()
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at line breaks."""
    out, offset = [], start
    for line in text[start:end].split("\n"):
        out.append((offset, offset + len(line)))
        offset += len(line) + 1
    return out


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _trim_step(span: str, label: str) -> tuple[int, int, str | None] | None:
    """One trimming step as (chars cut left, chars cut right, honorific), or None.

    A pure function of the span's text and label, memoised: the same names
    ("Trump's", "the U.S.") are trimmed again and again across documents."""
    stripped = span.lstrip().lstrip(_EDGE_STRIP).lstrip()
    if len(stripped) != len(span):
        return len(span) - len(stripped), 0, None
    stripped = span.rstrip().rstrip(_EDGE_STRIP + _TRAILING_PUNCT).rstrip()
    if len(stripped) != len(span):
        return 0, len(span) - len(stripped), None
    possessive = _POSSESSIVE.search(span)
    own = span.replace("\u2019", "'").casefold().rsplit(maxsplit=1)[-1] in _OWN_APOSTROPHE
    if possessive and possessive.start() > 0 and not own:
        return 0, len(span) - possessive.start(), None
    if span.endswith(".") and not _KEEP_PERIOD.search(span):
        return 0, 1, None
    the = _LEADING_THE.match(span)
    if the and the.end() < len(span):
        return the.end(), 0, None
    first = re.match(r"([^\W\d_][\w-]*)\.?\s+", span)
    if first and first.end() < len(span):
        word = first.group(1)
        if word.casefold() in PERSONAL_HONORIFICS or (
            label == "PERSON" and word.casefold() in HONORIFICS
        ):
            return first.end(), 0, word
        if word.islower() and word not in _PARTICLES and _starts_capital(span[first.end() :]):
            return first.end(), 0, None
    last = re.search(r"\s+(\S+)$", span)
    if last and last.group(1).casefold() in _TRAILING_FUNCTION_WORDS:
        return 0, len(span) - last.start(), None
    return None


def _starts_capital(rest: str) -> bool:
    return bool(rest) and (rest[0].isupper() or rest[0].isdigit())


_INITIALS = re.compile(r"(?:\w\.)+")


@lru_cache(maxsize=NAME_CACHE_SIZE)
def words(name: str) -> tuple[str, ...]:
    """The words of a name, punctuation at word edges dropped ("U.S." stays one word)."""
    return tuple(w.rstrip(".") if not _INITIALS.fullmatch(w) else w for w in _WORD.findall(name))


_POSSESSIVE_S = re.compile(r"'s\b")
_PERIODS_APOSTROPHES = re.compile(r"['.]")
_DASHES = re.compile(r"[-\u2013\u2014]")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=NAME_CACHE_SIZE)
def normalize(name: str) -> str:
    """A comparison key: case-folded, no periods or apostrophes, single spaces.

    "U.S." and "US" both become "us"; "the United States" becomes "united states".
    """
    key = name.replace("\u2019", "'").casefold()
    key = _LEADING_THE.sub("", key)
    key = _POSSESSIVE_S.sub("", key)
    key = _PERIODS_APOSTROPHES.sub("", key)
    key = _DASHES.sub(" ", key)
    key = key.replace("&", " and ")
    return _SPACES.sub(" ", key).strip()


def _name_words(name: str) -> tuple[str, ...]:
    """Words of a person's name without honorifics or suffixes, as written."""
    parts = words(name)
    while parts and parts[0].casefold().rstrip(".") in HONORIFICS:
        parts = parts[1:]
    while parts and parts[-1].casefold().rstrip(".") in _SUFFIXES:
        parts = parts[:-1]
    return parts


def _split_surname(parts: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(given names, surname words): a particle before the last word belongs to
    the surname ("Anouk de Vries" -> ["Anouk"], ["de", "Vries"])."""
    cut = len(parts) - 1
    while cut > 0 and _is_particle(parts[cut - 1]):
        cut -= 1
    return parts[:cut], parts[cut:]


def _is_particle(word: str) -> bool:
    """ "de" and "van" anywhere; capitalised ("De Vries") only for particles that
    are not also first names ("Al Gore", "Ben Smith")."""
    folded = word.casefold()
    return folded in _PARTICLES and (word.islower() or folded in _CAPITAL_PARTICLES)


@lru_cache(maxsize=NAME_CACHE_SIZE)
def person_parts(name: str) -> tuple[str, str] | None:
    """``(first, last)`` of a multi-word person name, normalised; None for one word.

    Honorifics and suffixes are dropped and a particle stays with the surname,
    so "President Donald J. Trump Jr." gives ``("donald", "trump")`` and "Anouk
    de Vries" ``("anouk", "de vries")``.
    """
    given, surname = _split_surname(_name_words(name))
    if not given:
        return None
    return normalize(given[0]), normalize(" ".join(surname))


@lru_cache(maxsize=NAME_CACHE_SIZE)
def surname_key(name: str) -> str | None:
    """The normalised surname when ``name`` is a surname alone ("Mr. Trump",
    "De Vries"), else None."""
    given, surname = _split_surname(_name_words(name))
    if given or not surname:
        return None
    return normalize(" ".join(surname))


@lru_cache(maxsize=NAME_CACHE_SIZE)
def surname_text(name: str) -> str | None:
    """A full name's surname as written ("Anouk de Vries" -> "de Vries"), else None."""
    given, surname = _split_surname(_name_words(name))
    return " ".join(surname) if given else None


@lru_cache(maxsize=NAME_CACHE_SIZE)
def acronym_of(name: str) -> frozenset[str]:
    """Acronyms a long form may be abbreviated to ("World Health Organization" -> WHO).

    Two variants: initials of content words only, and of every word; "The New
    York Times" gives {"nyt", "tnyt"}. Empty for one-word names.
    """
    ws = [w for w in re.split(r"[\s-]+", name) if w]
    if len(ws) < 2:
        return frozenset()
    content = [w for w in ws if w.casefold() not in ACRONYM_STOPWORDS]
    out = set()
    for seq in (content, ws):
        letters = "".join(w[0] for w in seq if w[0].isalnum())
        if len(letters) >= 2:
            out.add(letters.casefold())
    return frozenset(out)


@lru_cache(maxsize=NAME_CACHE_SIZE)
def looks_like_acronym(name: str) -> bool:
    """True for "WHO", "NYT", "U.N.", "U.S." - short, all capitals."""
    bare = name.replace(".", "")
    return 2 <= len(bare) <= 6 and bare.isalpha() and bare.isupper()


# "ROTTERDAM, Netherlands (Wire) -" / "WASHINGTON (Reuters) -" at the start of a line.
_DATELINE = re.compile(
    r"^[ \t]*(?P<city>[A-Z][A-Z.'\- ]*[A-Z.])"
    r"(?:,[ \t]*[A-Z][\w.' ]*?)?"
    r"[ \t]*(?:\((?P<agency>[A-Za-z][\w .&-]*)\))?"
    r"[ \t]*[-\u2013\u2014]",
    re.MULTILINE,
)


def dateline_matches(text: str) -> list[re.Match[str]]:
    """``_DATELINE.finditer(text)``, tried once at each line start only.

    The same matches: the pattern opens with ``^`` and no part of it crosses a
    line break, so a match starts a line and no second one fits on it; asked
    at each line start (some 40 an article) instead of searched for at every
    character, where the multi-line ``^`` is tested (issue 16: half the time)."""
    out: list[re.Match[str]] = []
    at = 0
    while True:
        match = _DATELINE.match(text, at)
        if match is not None:
            out.append(match)
        at = text.find("\n", at) + 1
        if not at:
            return out


def apply_datelines(text: str, mentions: list[Mention]) -> list[Mention]:
    """Label the parts of a wire dateline: its capitalised city is a place (GPE),
    the agency in brackets an organisation (ORG). spaCy, seeing "ROTTERDAM" or
    "(Wire)" out of context, often calls them people or misses them; mentions it
    made are relabelled in place, and the ones it missed are returned."""
    added: list[Mention] = []
    for match in dateline_matches(text):
        if len(match.group("city").replace(" ", "")) < 3:
            continue
        for group, label in (("city", "GPE"), ("agency", "ORG")):
            if match.group(group) is None:
                continue
            start, end = match.span(group)
            overlapping = [m for m in mentions if m.start < end and start < m.end]
            for m in overlapping:
                if m.label != label:
                    m.label = label
                    m.by_rule = "dateline"
            if not overlapping:
                added.append(Mention(start, end, text[start:end], label, by_rule="dateline"))
    return added


# Ship prefixes: "the USS Gerald R. Ford" is a vessel, not the president it is named after.
_VESSEL_PREFIXES = ("USS", "USNS", "USCGC", "HMS", "HMCS", "HMAS", "HMNZS", "RMS", "MV")
VESSEL_PREFIX = re.compile(rf"(?:{'|'.join(_VESSEL_PREFIXES)})\s+(?=[A-Z])")
_VESSEL_BEFORE = re.compile(rf"\b(?:{'|'.join(_VESSEL_PREFIXES)})\s+(?:[A-Z][\w.'-]*\s+){{0,3}}\Z")


def vessel_name(name: str) -> str | None:
    """The name of a vessel without its prefix ("USS Carl Vinson" -> "Carl Vinson")."""
    prefix = VESSEL_PREFIX.match(name)
    return name[prefix.end() :] if prefix else None


def apply_vessels(text: str, mentions: list[Mention]) -> None:
    """Label ships as products (OntoNotes: vehicles), not as the people they are
    named after: a mention that starts with a ship prefix ("USS Gerald R. Ford"),
    one that spaCy cut after the prefix ("HMS Queen" + "Elizabeth", extended to
    the whole name), and a later mention of the bare name ("the Carl Vinson")."""
    if not any(prefix in text for prefix in _VESSEL_PREFIXES):
        return  # no ship here: one scan of the text instead of a search per mention
    names: set[str] = set()
    for m in mentions:
        before = _VESSEL_BEFORE.search(text, max(0, m.start - 60), m.start)
        if before is not None and "\n" not in text[before.start() : m.start]:
            m.start = before.start()
            m.text = text[m.start : m.end]
        bare = vessel_name(m.text)
        if bare is not None:
            names.add(bare)
            _relabel(m, "PRODUCT", "vessel")
    for m in mentions:
        if m.text in names:
            _relabel(m, "PRODUCT", "vessel")


def _relabel(m: Mention, label: str, rule: str) -> None:
    if m.label != label:
        m.label = label
        m.by_rule = rule
