"""Label evidence beyond spaCy's NER: name lists, name shapes and context.

Why this exists: ``en_core_web_sm`` labels a name from a few tokens around it,
and gets many single mentions wrong ("Anouk de Vries" ORG, "Maersk" PRODUCT,
"Maasvlakte" PERSON). The majority vote in :mod:`copydesk_entities.merge` fixes a
mention only when other mentions of the same entity disagree with it; an entity
named once, or always mislabelled, keeps the error. This module adds evidence
that does not depend on spaCy's label:

* **name rules** (:func:`relabel_by_name`), applied to each mention before
  merging, so a relabelled person also merges by surname: a known given name
  first ("Anouk de Vries", from ``data/given_names.txt``) makes a PERSON; an
  organisation word ("Authority", "Ministry", "Inc") makes an ORG; a known
  country, state or city (``data/places.txt``) tagged as a person or product
  makes a GPE; a noble title before a one-word name ("Lord Halifax") a PERSON;
  a hyphenated name with a linking word ("Mar-a-Lago") tagged as a person a
  place or facility;
* **metonymy** (:func:`mark_metonyms`): a known place that acts ("Spain ceded",
  "Russia said") is an organisation on that mention only; a place beside a
  match score ("Sweden 1-0 Korea Republic") is a team in every mention
  (:func:`mark_teams`);
* **context cues** (:func:`context_cues`), read from the text around a mention:
  ", who" or an appositive role (", chair of", ", a spokesman") says PERSON;
  ", the company" ORG; "-based", ", a city" GPE; a verb of speech or feeling
  right after a name that is no known place ("Tarlo explains") PERSON;
* **parse cues** (:func:`parse_cues`), only when the shared spaCy doc already
  has a dependency parse because another analyzer asked for one (the entities
  analyzer itself needs only NER): the subject of a person-only verb ("said",
  "told", "believes"), an appositive role noun, and a following sentence whose
  subject is "he"/"she" say PERSON.

Cues are weighted votes added to the entity's vote, not overrides; their
weights were set on the UNER and GUM dev sets (see docs/analyzers/entities.md).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from copydesk_entities.mentions import (
    HONORIFICS,
    LINKED_NAME,
    NAME_CACHE_SIZE,
    Cue,
    Mention,
    looks_like_acronym,
    words,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from spacy.tokens import Doc, Token

DATA = Path(__file__).resolve().parent / "data"

# Words that make a name an organisation wherever they stand in it.
ORG_WORDS = frozenset(
    """Inc Inc. Corp Corp. Corporation Co. Ltd Ltd. LLC PLC plc GmbH AG SA NV Group Holdings
    Authority Ministry Department Union Association Party Bank Council Committee Agency
    Commission Company Institute Foundation Federation League Organization Organisation
    Bureau Board Trust Society Fund Airlines Airways University College Academy School
    Police Army Navy Congress Parliament Senate Assembly Court Tribunal Service
    Services Network Coalition Alliance Industries Technologies Systems Partners Media
    Times Post Journal Gazette Herald Tribune News Press Telegraph Guardian Reuters
    Motors Motorsports Transport Energy Entertainment Studios Records Pictures Software
    Labs Laboratories Consulting Solutions Capital Ventures Insurance Logistics
    Pharmaceuticals Communications Telecom Enterprises Resources Petroleum Brands
    Movement Front Brigade Brigades Corps Command Guard Forces Directorate Secretariat
    Cabinet Government Administration Org""".split()
)
# Words that end a place or building name, never a person's.
PLACE_WORDS = frozenset(
    """Street St. Avenue Ave Road Boulevard Square Park Bridge River Lake Sea Ocean Bay
    Island Islands Mountain Mountains Mount Valley Canal Airport Station Harbour Harbor
    Port Hall Tower Centre Center Stadium Arena Palace Castle Cathedral Church Museum
    Memorial Shelf Strait Gulf Desert Forest County Province Region District State
    City Town Village Peninsula Coast Beach Falls Hill Hills Heights Garden Gardens""".split()
)
# Labels a rule may overwrite. PERSON is never overwritten by a given name, and
# WORK_OF_ART, LAW and EVENT titles often contain a person's name on purpose.
_NAME_TARGETS = frozenset({"ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT"})
_PLACE_TARGETS = frozenset({"PERSON", "PRODUCT", "WORK_OF_ART", "NORP", "EVENT", "FAC"})
_ORG_TARGETS = frozenset({"PERSON", "GPE", "LOC", "PRODUCT", "NORP", "FAC", "WORK_OF_ART"})
# Last words that make a name a building, street or site ("Orchestra Hall",
# "Gare Montparnasse" aside): UNER and GUM call these places, spaCy often ORG.
# Not "Church" ("the Catholic Church"), "Club" ("Rotary Club") nor "House"
# ("Random House"): those name organisations as often as buildings.
BUILDING_WORDS = frozenset(
    """Hall Station Bridge Tower Towers Stadium Arena Airport Museum Palace
    Castle Cathedral Hotel Street Avenue Road Boulevard Square Park Base Ballroom Building
    Mall Theatre Theater Terminal Memorial Bay Lake River Mountain Mountains Island
    Islands""".split()
)
# A word of letters glued to digits is a model or version ("IE6", "A380",
# "F-35"): no person or place is called that. spaCy calls them GPE or PERSON.
_MODEL_NUMBER = re.compile(r"[A-Za-z]+-?\d+[A-Za-z]*")
_MODEL_TARGETS = frozenset({"GPE", "LOC", "PERSON", "FAC"})
_BUILDING_TARGETS = frozenset({"ORG", "PERSON", "PRODUCT", "WORK_OF_ART"})


# Weight of each cue in the entity's vote; spaCy's own label on a one-word
# mention weighs 1, on a longer one 1.5 (see merge.vote_labels). Set on the UNER
# and GUM dev sets: a cue that alone outweighs spaCy was right about nine
# times in ten there; weaker cues only tip the vote together.
CUE_WEIGHTS: dict[str, float] = {
    "who": 1.5,
    "role_apposition": 1.5,
    "org_apposition": 1.5,
    "place_apposition": 1.5,
    "the_facility": 1.5,
    "the_org": 1.5,
    "based": 1.0,
    "in_place": 1.5,
    "given_name_alone": 1.5,
    "personal_possession": 1.0,
    "corporate_possession": 1.0,
    "said_before": 0.5,
    "role_before": 1.0,
    "person_verb_subject": 0.75,
    "speech_subject": 1.0,
    "role_appos": 1.0,
    "org_appos": 1.0,
    "pronoun": 0.5,
    "speech_after": 1.5,
    "speech_after_org": 0.75,
    "born": 1.5,
    "place_of": 1.5,
    "comma_place": 1.5,
    "list_peers": 1.5,
    "life_dates": 1.5,
    "according_to": 1.5,
}


@cache
def _cue(label: str, name: str) -> Cue:
    """The cue for ``label`` named ``name``: frozen, so made once per process and
    shared (a frozen dataclass costs some 1 us to build; thousands a corpus)."""
    return Cue(label, name, CUE_WEIGHTS[name])


@cache
def given_names() -> frozenset[str]:
    """The given-name list shipped in ``data/given_names.txt``, loaded once."""
    return frozenset(_data_words("given_names.txt", sep=None))


@cache
def places() -> frozenset[str]:
    """Countries, states, capitals and major cities (``data/places.txt``), lower-cased."""
    return frozenset(p.casefold() for p in _data_words("places.txt", sep="|"))


@cache
def world_places() -> frozenset[str]:
    """Cities, regions and continents (``data/world_places.txt``), lower-cased."""
    return frozenset(p.casefold() for p in _data_words("world_places.txt", sep="\n"))


def _data_words(name: str, sep: str | None) -> list[str]:
    out: list[str] = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.extend(w.strip() for w in line.split(sep) if w.strip())
    return out


def relabel_by_name(mentions: list[Mention], text: str = "") -> None:
    """Apply the name rules to each mention in place (see the module docstring).

    A rule sets ``label`` and ``by_rule``; an honorific or dateline already set by
    an earlier rule wins. A place name is not turned into a GPE when the same
    word is the surname of a person named in full ("Valeska Paris" ... "Paris").
    With ``text``, a one-word name right after a noble or royal title ("Lord
    Halifax", "Emperor Meiji") is a person, and a hyphenated place name
    ("Mar-a-Lago") spaCy called a person is a facility when a facility noun
    follows or stands in apposition, else a place. A name with a model number
    ("IE6") is a product. A name ending in a building
    word ("Orchestra Hall") is a facility; a name spaCy called ORG that is a
    known city, region or continent (``data/world_places.txt``) is a place.
    """
    surnames = person_surnames(mentions)
    for m in mentions:
        if m.by_rule is not None:
            continue
        rules = _name_rules(m.text, m.label)
        if rules.verdict is not None:
            _set(m, *rules.verdict)
            continue
        if rules.place and rules.key not in surnames:
            _set(m, "GPE", "place_name")
            continue
        if text and rules.compound:
            after = text[m.end : m.end + 80]
            facility = _facility_after(after)
            _set(m, "FAC" if facility else "GPE", "place_compound")
            continue
        if (
            text
            and rules.one_word
            and m.label != "PERSON"
            and _may_follow_title(text, m.start)
            and _TITLE_BEFORE.search(text, max(0, m.start - 40), m.start)
        ):
            _set(m, "PERSON", "title")
            continue
        # After the title rule: "Lord Halifax" is a person, not the city. Only
        # towns spaCy may not know: a major city it calls ORG is usually a team
        # or a government ("Liverpool", "Madrid"), and so is one that acts.
        if (
            rules.world_place
            and rules.key not in surnames
            and not (text and _ACT_AFTER.match(text, m.end, min(len(text), m.end + 60)))
        ):
            _set(m, "GPE", "world_place")


class _NameRules(NamedTuple):
    """What the name rules of :func:`relabel_by_name` make of a name and its
    label alone: the (label, rule) of the first rule that needs nothing else
    (organisation word, model number, building word, given name), if one
    applies; else what the rules that also read the document need."""

    verdict: tuple[str, str] | None
    key: str  # the name case-folded
    place: bool  # a known place with a label the place rule overrides
    compound: bool  # a person with a linking word ("Mar-a-Lago")
    one_word: bool
    world_place: bool  # an ORG that is a known town, no major place, no org word


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _name_rules(name: str, label: str) -> _NameRules:
    """The :class:`_NameRules` of ``name`` labelled ``label``: a pure function of
    the two, memoised (issue 16: the same names and labels recur in every
    document, and each rule asked its own questions of them)."""
    gazetteer = places()
    parts = words(name)
    key = name.casefold()
    org_word = _has_org_word(name)
    verdict: tuple[str, str] | None = None
    if label in _ORG_TARGETS and org_word and key not in gazetteer:
        verdict = ("ORG", "org_word")
    elif label in _MODEL_TARGETS and _has_model_number(name):
        verdict = ("PRODUCT", "model_number")
    elif (
        label in _BUILDING_TARGETS
        and len(parts) > 1
        and parts[-1] in BUILDING_WORDS
        and not org_word
    ):
        verdict = ("FAC", "building_word")
    elif label in _NAME_TARGETS and person_shaped(name):
        verdict = ("PERSON", "given_name")
    return _NameRules(
        verdict,
        key,
        place=label in _PLACE_TARGETS and key in gazetteer,
        compound=label == "PERSON" and LINKED_NAME.search(name) is not None,
        one_word=len(parts) == 1,
        world_place=(
            label == "ORG" and key in world_places() and key not in gazetteer and not org_word
        ),
    )


# Noble, royal and religious titles that stand before a one-word name.
_TITLE_WORDS = tuple(
    """Lord Lady Emperor Empress Tsar Czar Tsarina Kaiser Pharaoh Sultan Pope King Queen
    Prince Princess Duke Duchess Earl Countess Baron Baroness Archbishop Cardinal
    Ayatollah""".split()
)
_TITLE_BEFORE = re.compile(rf"(?<![\w-])(?:{'|'.join(_TITLE_WORDS)})[ \t]+\Z")


def _may_follow_title(text: str, start: int) -> bool:
    """Whether :data:`_TITLE_BEFORE` can match before ``start``: the text there
    must end with a title and spaces or tabs (a test in C; the search tries
    every position of its window)."""
    before = text[max(0, start - 40) : start]
    return before.endswith((" ", "\t")) and before.rstrip(" \t").endswith(_TITLE_WORDS)


# The name rules ask the same questions of the same names in every document:
# the answers are memoised, bounded like the name keys (``NAME_CACHE_SIZE``).


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _has_org_word(name: str) -> bool:
    """An organisation word after a name's first word ("Port Authority")."""
    return any(w in ORG_WORDS for w in words(name)[1:])


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _has_model_number(name: str) -> bool:
    """A word of a name that is a model or version ("IE6", "A380")."""
    return any(_MODEL_NUMBER.fullmatch(w) for w in words(name))


@lru_cache(maxsize=NAME_CACHE_SIZE)
def person_shaped(name: str) -> bool:
    """:func:`_given_name_shape` with the shipped given names, memoised."""
    return _given_name_shape(name, given_names())


def person_surnames(mentions: list[Mention]) -> frozenset[str]:
    """Last words (case-folded) of the multi-word names of people in the document."""
    return frozenset(
        words(m.text)[-1].casefold()
        for m in mentions
        if len(words(m.text)) > 1 and (m.label == "PERSON" or person_shaped(m.text))
    )


def _set(m: Mention, label: str, rule: str) -> None:
    if m.label != label:
        m.label = label
        m.by_rule = rule


# Titles stripped before the given name; "St." opens places ("St. Thomas ...").
_TITLES = HONORIFICS - {"st", "saint"}


def _given_name_shape(text: str, names: frozenset[str]) -> bool:
    """Two to four capitalised words (particles allowed) after any leading titles
    ("President Donald Trump"), the first a known given name, and nothing that
    marks an organisation or a place."""
    parts = words(text)
    while len(parts) > 2 and parts[0].casefold().rstrip(".") in _TITLES:
        parts = parts[1:]
    if not 2 <= len(parts) <= 4 or parts[0] not in names:
        return False
    if any(w in ORG_WORDS or w in PLACE_WORDS for w in parts):
        return False
    if text.casefold() in places():
        return False
    capitalised = [w for w in parts if w[0].isupper()]
    return len(capitalised) >= 2 and all(w[0].isupper() or w.islower() for w in parts)


# -- context cues (text only) ---------------------------------------------------------

ROLE_NOUNS = frozenset(
    """spokesman spokeswoman spokesperson chair chairman chairwoman chairperson president
    director minister secretary chief executive officer head leader founder co-founder
    professor lecturer researcher scientist economist analyst author writer novelist poet
    journalist reporter editor columnist correspondent photographer artist actor actress
    singer musician composer director producer player coach manager captain striker
    lawyer attorney judge prosecutor senator congressman congresswoman governor mayor
    councillor councilman councilwoman lawmaker politician diplomat ambassador envoy
    general colonel commander officer soldier priest bishop pastor rabbi imam doctor
    surgeon nurse teacher student owner partner vice deputy member resident mother father
    son daughter wife husband brother sister widow spokesmen aide adviser advisor negotiator
    organiser organizer activist campaigner official""".split()
)
ORG_NOUNS = frozenset(
    """company firm group organisation organization agency carrier operator airline bank
    insurer retailer maker manufacturer producer publisher broadcaster network newspaper
    paper union party charity club team giant conglomerate startup chain lender
    utility regulator ministry department line""".split()
)
PLACE_NOUNS = frozenset(
    """city town village port capital country state province region island county
    district suburb neighbourhood neighborhood municipality nation kingdom republic""".split()
)
# ", the world's second-largest container line," / ", chair of the union": the
# lower-case words of an apposition up to its first preposition or clause word.
_APPOSITION = re.compile(r"\A,\s+(?P<np>[a-z][\w'\u2019-]*(?:\s+[\w'\u2019-]+){0,5})")
_NP_END = frozenset(
    "of for at in on with from to by who which that whose and or but since as".split()
)
_NP_START = frozenset("a an the its his her their our former then now longtime veteran".split())
FACILITY_NOUNS = frozenset(
    """terminal airport station bridge plant factory mine refinery stadium arena hospital
    prison camp base site field pipeline dam reactor tunnel highway motorway cloister
    monastery abbey temple mosque cathedral palace castle fortress resort estate mansion
    hotel residence ranch""".split()
)
_FACILITY_AFTER = re.compile(r"\A\s+(?P<noun>[a-z]+)\b")
# "Kipling's wife", "Maersk's shares": what a possessor owns says what it is.
_POSSESSED = re.compile(r"\A ?['\u2019]s?\s+(?P<words>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)")
PERSONAL_POSSESSIONS = frozenset(
    """wife husband son daughter mother father brother sister parents children family
    widow girlfriend boyfriend partner death birth funeral career childhood memoir
    lawyer lawyers attorney attorneys biography assassination murder passing
    grave tomb poem poems novel novels painting paintings diary reign presidency
    nephew niece grandson granddaughter widower""".split()
)
CORPORATE_POSSESSIONS = frozenset(
    """shares stock shareholders subsidiary subsidiaries headquarters revenue revenues
    profit profits earnings customers employees workforce stores factories brand
    products board""".split()
)
_IN_BEFORE = re.compile(r"\b(?:in|into|near|across|throughout|outside|at)\s+\Z")
_OF_BEFORE = re.compile(r"\bof\s+(?:the\s+)?\Z")
_THE_BEFORE = re.compile(r"\b[Tt]he\s+\Z")
_WHO = re.compile(r"\A,\s+who(?:se|m)?\b")
_BASED = re.compile(r"\A-based\b")
# "Paris was born in Switzerland", "Kipling, born in Bombay": places and firms
# are founded, people are born. "(1865-1936)": a life's dates after a name.
_BORN_AFTER = re.compile(r"\A(?:,?[ \t]+(?:was|is|had been)|,|[ \t]+\()[ \t]*born\b")
_LIFE_DATES = re.compile(
    r"\A[ \t]+\((?:c\.[ \t]*|born[ \t]+)?\d{3,4}[ \t]*[\u2013-][ \t]*\d{2,4}\)"
)
# "the town of Yeoncheon", "the province of Aceh": a place noun names a place.
_PLACE_OF_BEFORE = re.compile(
    r"\b[Tt]he[ \t]+(?:town|city|village|province|region|state|county|island|port|district|"
    r"municipality|capital|suburb)[ \t]+of[ \t]+\Z"
)
# "Levico Terme, Italy." / "Herat, Afghanistan,": a name before a known country,
# state or province and a stop is a place in it.
_COMMA_PLACE = re.compile(r"\A,[ \t]+(?P<place>[A-Z]\w*(?:[ \t]+[A-Z]\w*){0,2})(?=[,.;:)!?]|\Z)")
_SAID_BEFORE = re.compile(r"\b(?:said|says|added|explained|recalled|wrote|asked)\s+\Z")
_ROLE_BEFORE = re.compile(r"\b(?P<noun>[a-z][a-z-]+)\s+\Z")


# "according to Quantcast": a source is a person or an organisation, never a
# place, product or work (a known place is left alone: "according to Russia" is
# the metonymy rule's business).
_ACCORDING_BEFORE = re.compile(r"\b[Aa]ccording[ \t]+to[ \t]+(?:the[ \t]+)?\Z")
_ACCORDING_TARGETS = frozenset({"GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "NORP", "EVENT"})


def _apposition_noun(after: str) -> str | None:
    """The last known role, organisation or place noun of an apposition right
    after a mention (", a former spokesman for" -> "spokesman"), if any."""
    match = _APPOSITION.match(after)
    if match is None:
        return None
    np = match.group("np").split()
    if np[0] not in _NP_START and not _known_noun(np[0]):
        return None  # ", they challenged the state": a clause, not an apposition
    found = None
    for word in np:
        if word in _NP_END:
            break
        if _known_noun(word):
            found = word
    return found


def _facility_after(after: str) -> bool:
    """A facility noun right after a name ("Mar-a-Lago resort") or in its
    apposition (", his Florida resort")."""
    noun = _FACILITY_AFTER.match(after)
    if noun is not None and noun.group("noun") in FACILITY_NOUNS:
        return True
    match = _APPOSITION.match(after)
    if match is None:
        return False
    for word in match.group("np").split():
        if word in _NP_END:
            return False
        if word in FACILITY_NOUNS:
            return True
    return False


def _known_noun(word: str) -> bool:
    return word in ROLE_NOUNS or word in ORG_NOUNS or word in PLACE_NOUNS


def context_cues(text: str, m: Mention, surnames: frozenset[str] = frozenset()) -> list[Cue]:
    """Cues from the characters right around a mention (no parse needed).

    ``surnames`` are :func:`person_surnames` of the document (a place name that is
    also a person's surname may still speak).

    Each pattern is tried only where a cheap test in C says it could match: the
    text before the mention (:func:`_tail`) ends with the pattern's last word,
    the text after starts with its first character. A search for a pattern
    that ends at the mention tries every start in its window (issue 16: some
    ten searches and matches a mention were an eighth of the analyzer's
    time). The tests are necessary conditions of the patterns: same cues."""
    after = text[m.end : m.end + 80]
    before = text[max(0, m.start - 40) : m.start]
    tail = _tail(before)
    cues: list[Cue] = []
    folded, in_places, given_alone, acronym = _cue_facts(m.text)
    known_place = in_places and folded not in surnames
    comma = after.startswith(",")
    # Not "Turkey, who is knocking" (a country), "members of Scientology, who",
    # nor "the Europeans, who" (a nationality: NORP is right).
    if (
        comma
        and _WHO.match(after)
        and m.label != "NORP"
        and not known_place
        and not (tail.endswith(_OF_ENDINGS) and _OF_BEFORE.search(before))
    ):
        cues.append(_cue("PERSON", "who"))
    noun = _apposition_noun(after) if comma else None
    if noun in ROLE_NOUNS:
        cues.append(_cue("PERSON", "role_apposition"))
    elif noun in ORG_NOUNS:
        cues.append(_cue("ORG", "org_apposition"))
    elif noun in PLACE_NOUNS:
        cues.append(_cue("GPE", "place_apposition"))
    # "the Maasvlakte terminal", "the Havenbond union"; not "the Republican party",
    # where spaCy's NORP (a group of people used as a modifier) is right.
    the = m.label != "NORP" and tail.endswith(_THE_ENDINGS) and _THE_BEFORE.search(before)
    modified = _FACILITY_AFTER.match(after) if the else None
    if modified and modified.group("noun") in FACILITY_NOUNS:
        cues.append(_cue("FAC", "the_facility"))
    elif modified and modified.group("noun") in ORG_NOUNS:
        cues.append(_cue("ORG", "the_org"))
    if m.label != "PERSON" and given_alone:
        cues.append(_cue("PERSON", "given_name_alone"))
    possessed = _POSSESSED.match(after) if after.startswith(_POSSESSIVE_OPENINGS) else None
    if possessed:
        owned = possessed.group("words").split()
        if not PERSONAL_POSSESSIONS.isdisjoint(owned):
            cues.append(_cue("PERSON", "personal_possession"))
        elif not CORPORATE_POSSESSIONS.isdisjoint(owned):
            cues.append(_cue("ORG", "corporate_possession"))
    # "born in Castelfranco Veneto": people are seldom "in" anything, unless owned
    # ("in Arafat's legacy") or plainly named ("in Yasser Arafat").
    if (
        m.label == "PERSON"
        and tail.endswith(_IN_ENDINGS)
        and _IN_BEFORE.search(before)
        and not possessed
        and not person_shaped(m.text)
    ):
        cues.append(_cue("GPE", "in_place"))
    if m.label not in {"GPE", "LOC"}:
        if tail.endswith("of") and _PLACE_OF_BEFORE.search(before):
            cues.append(_cue("GPE", "place_of"))
        elif comma:
            place = _COMMA_PLACE.match(after)
            if (
                place is not None
                and place.group("place").casefold() in places()
                and not person_shaped(m.text)
            ):
                cues.append(_cue("GPE", "comma_place"))
    if after.startswith("-based") and _BASED.match(after):
        cues.append(_cue("GPE", "based"))
    # '..., said Ruud Kok.' - the inverted attribution; not 'said Russia will'.
    if (
        tail.endswith(_SAID_ENDINGS)
        and _SAID_BEFORE.search(before)
        and (not after.strip() or after.lstrip()[0] in ",.;:")
        and not acronym
    ):
        cues.append(_cue("PERSON", "said_before"))
    role = _ROLE_BEFORE.search(before) if tail[-_ROLE_SUFFIX:] in _ROLE_ENDINGS else None
    if role and role.group("noun") in ROLE_NOUNS:
        cues.append(_cue("PERSON", "role_before"))
    if m.label != "PERSON" and not acronym:
        if "born" in after and _BORN_AFTER.match(after):
            cues.append(_cue("PERSON", "born"))
        elif after.startswith((" ", "\t")) and "(" in after and _LIFE_DATES.match(after):
            cues.append(_cue("PERSON", "life_dates"))
    if (
        m.label in _ACCORDING_TARGETS
        and not known_place
        and tail.endswith(_ACCORDING_ENDINGS)
        and _ACCORDING_BEFORE.search(before)
    ):
        cues.append(_cue("ORG", "according_to"))
    speech = _speech_cue(text, m, known_place=known_place, acronym=acronym)
    if speech is not None:
        cues.append(speech)
    return cues


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _cue_facts(name: str) -> tuple[str, bool, bool, bool]:
    """What :func:`context_cues` asks of a mention's text alone, in one memoised
    call (issue 16: the same names recur): its case-folded form, whether that
    is a known place, whether the text is a known given name and no place, and
    whether it looks like an acronym."""
    folded = name.casefold()
    in_places = folded in places()
    return folded, in_places, name in given_names() and not in_places, looks_like_acronym(name)


# What the text before a mention must end with (trailing whitespace aside) for
# each pattern above to match there: the pattern's last word, or for
# _ROLE_BEFORE the last letters of a role noun (as many as the shortest has).
_OF_ENDINGS = ("of", "the")
_THE_ENDINGS = ("the", "The")
_IN_ENDINGS = ("in", "into", "near", "across", "throughout", "outside", "at")
_SAID_ENDINGS = ("said", "says", "added", "explained", "recalled", "wrote", "asked")
_ACCORDING_ENDINGS = ("to", "the")
_ROLE_SUFFIX = min(len(noun) for noun in ROLE_NOUNS)
_ROLE_ENDINGS = frozenset(noun[-_ROLE_SUFFIX:] for noun in ROLE_NOUNS)
# How _POSSESSED can begin: an apostrophe, after at most one space.
_POSSESSIVE_OPENINGS = ("'", "\u2019", " '", " \u2019")


def _tail(before: str) -> str:
    """The text before a mention without its trailing whitespace, or "" when it
    ends in none: every pattern tried on it ends in whitespace (``\\s`` and
    ``str.rstrip`` agree on what whitespace is), so with "" none can match."""
    return before.rstrip() if before[-1:].isspace() else ""


# -- lists: names in one list are names of one kind --------------------------------------

# What may stand between two names of one list: ", ", ", and ", " and ", " or ".
_LIST_GLUE = re.compile(r"\A(?:[ \t]*,[ \t]*(?:(?:and|or)[ \t]+)?|[ \t]+(?:and|or|&)[ \t]+)\Z")
_CONJUNCTION = re.compile(r"\b(?:and|or)\b|&")
_KINDS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "GPE", "FAC": "GPE"}


def list_cues(text: str, mentions: list[Mention]) -> dict[int, list[Cue]]:
    """Cues from coordination, by mention index: in a list of three or more names
    ("Zeus, Hera, Poseidon, Aphrodite, and Athena"; "Google, Bing, and Yahoo"),
    a name whose label differs from all the others', when the others (at least
    two) agree, is of their kind (more strongly with three or more). The last
    two names must be joined by "and", "or" or "&", so that "Sochi, Russia,
    Wikinews interviewed" is no list.
    Places of every kind (GPE, LOC, FAC) count as one kind, and the cue argues
    for the label most of them carry."""
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
    runs: list[list[int]] = []
    for index in order:
        m = mentions[index]
        if runs:
            last = mentions[runs[-1][-1]]
            if last.end <= m.start and _LIST_GLUE.match(text[last.end : m.start]):
                runs[-1].append(index)
                continue
        runs.append([index])
    out: dict[int, list[Cue]] = {}
    for run in runs:
        if len(run) < 3:
            continue
        # A list ends "..., and C": "Sochi, Russia, Wikinews interviewed" is a
        # place, its country and a new clause, not a list.
        last_glue = text[mentions[run[-2]].end : mentions[run[-1]].start]
        if not _CONJUNCTION.search(last_glue):
            continue
        for index in run:
            peers = [mentions[i].label for i in run if i != index]
            kinds = {_KINDS.get(label) for label in peers}
            if len(kinds) != 1 or None in kinds:
                continue
            (kind,) = kinds
            if _KINDS.get(mentions[index].label) == kind:
                continue
            label = max(set(peers), key=peers.count)
            # 1.5 with two peers (outvotes spaCy on a one-word name), 2.25 with
            # three or more (also on a full name: "Walker Evans" among three people).
            weight = CUE_WEIGHTS["list_peers"] * min(len(peers), 3) / 2
            out[index] = [Cue(label, "list_peers", weight)]
    return out


# -- a place acting, a name speaking (text only) ----------------------------------------

# Verbs after a name that make it the subject of an act or a statement: any
# "-ed" past tense, and common present and irregular forms, optionally after an
# auxiliary or adverb ("has signed", "also announced").
_ACT_AFTER = re.compile(
    r"[ \t]+(?:(?:also|then|later|has|had|have|will|would|could|should|must|can|may|"
    r"might|did|does|not|never|quickly|finally|eventually|officially|formally|again|already|"
    r"still|now|reportedly|recently)[ \t]+){0,2}"
    r"(?P<verb>[a-z]+ed|said|says|told|tells|won|wins|beat|beats|lost|loses|signs|agrees|"
    r"announces|wants|sought|seeks|took|takes|made|makes|sent|sends|fought|faces|threatens|"
    r"refuses|rejects|accuses|urges|warns|vows|demands|imposes|cedes|declares|led|leads|"
    r"opens|scores|explains|recalls|argues|insists|admits|believes|thinks|thought|feels|felt|"
    r"hopes|wonders|remembers|laughs|smiles|jokes|dies|marries|resigns|retires|replies|"
    r"answers|speaks|spoke|describes|writes|wrote|asks|adds|claims|states)\b(?![ \t]+by\b)"
)
# Past participles and adjectives that follow a place without making it act,
# and verbs whose subject undergoes rather than acts ("the Soviet Union collapsed").
_NOT_ACTS = frozenset(
    """based born owned bred educated listed registered located related imported produced
    named called used needed united collapsed existed emerged remained seemed appeared
    flooded""".split()
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|of|from|at|to|near|across|throughout|for|with|by|on|into|over|under|between|"
    r"around|about|than|via|like|outside|inside|against|and|or)[ \t]+(?:the[ \t]+)?\Z",
    re.IGNORECASE,
)
SPEECH_FORMS = frozenset(
    """said says told tells explained explains recalled recalls argued argues insisted
    insists admitted admits believes believed thinks thought wrote writes asked asks
    added adds replied replies claimed claims""".split()
)
PERSON_FORMS = frozenset(
    """explained explains recalled recalls argued argues insisted insists admitted admits
    believes believed thinks thought feels felt hoped hopes wondered wonders remembered
    remembers laughed laughs smiled smiles joked jokes died dies married marries resigned
    resigns retired retires replied replies spoke speaks""".split()
)
_SPEAKING_FORMS = SPEECH_FORMS | PERSON_FORMS


def mark_metonyms(
    text: str, mentions: list[Mention], surnames: frozenset[str] | None = None
) -> None:
    """A known country or city that acts ("Spain ceded", "Russia said", "England
    won") stands for its government or team: that mention alone becomes an
    organisation (``metonym``), the entity stays a place ("in Spain").
    ``surnames`` are the mentions' :func:`person_surnames`, if known."""
    gazetteer = places()
    surnames = person_surnames(mentions) if surnames is None else surnames
    for m in mentions:
        key = m.text.casefold()
        if m.label != "GPE" or key not in gazetteer or key in surnames:
            continue
        act = _ACT_AFTER.match(text, m.end, min(len(text), m.end + 60))
        if act is None or act.group("verb") in _NOT_ACTS:
            continue
        if _PREPOSITION_BEFORE.search(text, max(0, m.start - 20), m.start):
            continue  # "talks in Geneva ended": Geneva does not act
        m.metonym = "ORG"


# A match result between two names: "Sweden 1-0 Korea Republic", "defeated
# Panama 3-0" (spaCy often leaves the side before the score untagged). The score
# is found first (a cheap scan for digits), the names beside it only then.
_SCORE = re.compile(r"(?<![\w.])\d{1,2}[ \t]*[\u2013-][ \t]*\d{1,2}(?![\w.])")
# What every score holds: a digit, a dash and a digit, blanks between
# (_may_hold_score).
SCORE_HINT = re.compile(r"\d[ \t]*[\u2013-][ \t]*\d")
# Its dash and second digit: a pattern that opens with a set of two characters
# is scanned for faster than one that opens with a digit class (and that one
# about 3x faster than one that opens with a lookbehind, on news copy).
_DASH_DIGIT = re.compile(r"[\u2013-][ \t]*\d")
_SIDE_BEFORE = re.compile(r"(?<![\w.'-])[A-Z][\w.'-]*(?:[ \t]+[A-Z][\w.'-]*){0,2}[ \t]+\Z")
_SIDE_AFTER = re.compile(r"[ \t]+(?P<side>[A-Z][\w.'-]*(?:[ \t]+[A-Z][\w.'-]*){0,2})")


def match_sides(text: str) -> frozenset[str]:
    """The names (case-folded, and their last words) that stand right beside a
    match score in ``text`` ("Sweden 1-0 Korea Republic": sweden, korea
    republic, republic)."""
    if not _may_hold_score(text):
        return frozenset()  # most copy has no score: a quicker scan says so
    sides: set[str] = set()
    for score in _SCORE.finditer(text):
        start, end = score.span()
        before = _SIDE_BEFORE.search(text, max(0, start - 60), start)
        after = _SIDE_AFTER.match(text, end, min(len(text), end + 60))
        for side in (before.group().strip() if before else None, after and after.group("side")):
            if side:
                sides.add(side.casefold())
                sides.add(side.split()[-1].casefold())
    return frozenset(sides)


def _may_hold_score(text: str) -> bool:
    """Whether :data:`SCORE_HINT` matches in ``text``: a dash with a digit after
    it (:data:`_DASH_DIGIT`) and one before it, blanks between (``\\d`` is a
    character of Unicode's category Nd, as for ``str.isdecimal``)."""
    for dash in _DASH_DIGIT.finditer(text):
        at = dash.start()
        while at and text[at - 1] in " \t":
            at -= 1
        if at and text[at - 1].isdecimal():
            return True
    return False


def mark_teams(mentions: list[Mention], sides: frozenset[str]) -> None:
    """A country or city that stands beside a match score (:func:`match_sides`)
    is a team: every place mention of that name in the document becomes an
    organisation ("put Sweden in the lead", "for Belgium"), as in the sports
    reports of UNER and GUM. A place named near no score ("at the Fisht Stadium
    in Sochi") stays a place."""
    if not sides:
        return
    for m in mentions:
        if m.label == "GPE" and (
            m.text.casefold() in sides or words(m.text)[-1].casefold() in sides
        ):
            m.metonym = "ORG"


def _speech_cue(text: str, m: Mention, *, known_place: bool, acronym: bool) -> Cue | None:
    """ "Tarlo explains", "Kipling recalled": a name that speaks or feels and is no
    known place is a person (speakers are people or organisations, and an
    organisation would be spaCy's label already). A place name that is the
    surname of a person in the document ("Valeska Paris" ... "Paris claims") counts:
    ``known_place`` is :func:`context_cues`' (a known place, and no such surname),
    ``acronym`` whether the mention looks like one."""
    if m.label == "PERSON" or not text.startswith((" ", "\t"), m.end):
        return None  # _ACT_AFTER starts with a space or tab: most mentions stop here
    if known_place or acronym:
        return None
    act = _ACT_AFTER.match(text, m.end, min(len(text), m.end + 60))
    if act is None or act.group("verb") not in _SPEAKING_FORMS:
        return None
    if _THE_BEFORE.search(text, max(0, m.start - 10), m.start):
        return None  # "the ministry said"
    return _cue("PERSON", "speech_after" if m.label != "ORG" else "speech_after_org")


# -- parse cues (only when the doc has a dependency parse) ------------------------------

# Verbs whose subject is nearly always a person ("believes", "recalled", "died").
PERSON_VERBS = frozenset(
    """explain recall argue insist admit acknowledge believe think feel hope wonder
    remember laugh smile joke die marry resign retire reply answer speak describe""".split()
)
# Speech verbs: people mostly, but "the ministry said" and "Russia told" are common,
# so this cue only ties spaCy's label on a one-word mention (a tie keeps spaCy's
# label) and tips the vote only together with another cue.
SPEECH_VERBS = frozenset({"say", "tell", "add", "write", "ask", "warn", "urge"})
_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself"})


def parse_cues(
    doc: Doc, mentions: list[Mention], surnames: frozenset[str] | None = None
) -> dict[int, list[Cue]]:
    """Cues from the dependency parse, by mention index; empty without a parse.
    ``surnames`` are the mentions' :func:`person_surnames`, if known."""
    if not doc.has_annotation("DEP"):
        return {}
    out: dict[int, list[Cue]] = {}
    gazetteer = places()
    surnames = person_surnames(mentions) if surnames is None else surnames
    columns = doc.to_array(_parse_columns())
    roots = _CueRoots(doc, columns)
    subjects: _Subjects | None = None
    (nsubj, _), _ = _subject_ids()
    for index, m in enumerate(mentions):
        if not roots.may_hold(m.start, m.end):
            continue  # most mentions: no spaCy span made
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        head = span.root
        if head.i not in roots.positions:
            continue  # a cue's token inside the mention, but not its root
        cues: list[Cue] = []
        key = m.text.casefold()
        known_place = key in gazetteer and key not in surnames
        # The label by id: ``dep_`` looks its string up at each read.
        subject = head.dep == nsubj
        if known_place:
            pass  # "Russia said": a country speaks as an organisation (mark_metonyms)
        elif subject:
            verb = head.head.lemma_
            if verb in PERSON_VERBS:
                cues.append(_cue("PERSON", "person_verb_subject"))
            elif verb in SPEECH_VERBS:
                cues.append(_cue("PERSON", "speech_subject"))
        if head.i in roots.apposed:  # else no apposition either way: no children read
            for noun in _appositions(head):
                if noun.lemma_ in ROLE_NOUNS:
                    cues.append(_cue("PERSON", "role_appos"))
                elif noun.lemma_ in ORG_NOUNS:
                    cues.append(_cue("ORG", "org_appos"))
        if subject and not known_place:
            subjects = subjects or _Subjects(columns[:, 1:], len(doc))
            if subjects.next_is_pronoun(head.i):
                cues.append(_cue("PERSON", "pronoun"))
        if cues:
            out[index] = cues
    return out


class _CueRoots:
    """The tokens a parse cue can come from: a subject (``nsubj``), an apposition
    and the head of one. Every cue of :func:`parse_cues` needs its mention's root
    to be one, so only a mention that holds one is looked up as a spaCy span
    (``doc.char_span`` and ``Span.root`` cost some 2 us a mention, and the cue
    tests' ``dep_``, ``lemma_`` and ``children`` more; about a third of the
    mentions of a news article hold such a token).
    """

    def __init__(self, doc: Doc, columns: NDArray[Any]) -> None:
        """``columns`` are the document's :func:`_parse_columns`."""
        import numpy as np

        (nsubj, _), _ = _subject_ids()
        appos = _appos_id()
        dep = columns[:, 1]
        marked = (dep == nsubj) | (dep == appos)
        apposed: set[int] = set()
        for i in np.flatnonzero(dep == appos).tolist():  # a few a document
            head = doc[i].head.i
            marked[head] = True
            apposed.update((i, head))
        # The tokens in an apposition, either end (:func:`_appositions` finds
        # none for any other token).
        self.apposed = apposed
        found = np.flatnonzero(marked)
        self.positions = frozenset(found.tolist())
        # Each such token's characters, with the whitespace after it: a token
        # of a mention's ``char_span`` (alignment "expand") starts before the
        # mention's end and reaches past its start.
        last = doc[-1]
        starts = np.append(columns[:, 0], last.idx + len(last.text_with_ws))
        self.starts: list[int] = starts[found].tolist()
        self.ends: list[int] = starts[found + 1].tolist()

    def may_hold(self, start: int, end: int) -> bool:
        """Whether the mention ``[start, end)`` may have such a token as its root:
        the last one that starts before ``end`` reaches past ``start``."""
        at = bisect_left(self.starts, end)
        return at > 0 and self.ends[at - 1] > start


def _appositions(head: Token) -> list[Token]:
    """Nouns in apposition to ``head`` either way ("X, chair of Y" / "the chair, X")."""
    out = [c for c in head.children if c.dep_ == "appos" and c.pos_ in {"NOUN", "PROPN"}]
    if head.dep_ == "appos" and head.head.pos_ == "NOUN":
        out.append(head.head)
    return [t for t in out if t.ent_type_ == ""]


class _Subjects:
    """Whether the subject of the next clause or sentence is "he"/"she" with no
    other named subject between, for any token of one document.

    Read once per document from ``doc.to_array`` columns (built only when a mention is
    a subject): walking the tokens after each subject mention, each through a
    spaCy ``Token`` and its sentence (``Token.sent`` walks it), repeated the
    same reads for every subject mention of a sentence.
    """

    def __init__(self, columns: NDArray[Any], length: int) -> None:
        """``columns``: dependency label, entity type, lower form and sentence
        start of each token (:func:`_parse_columns` after the first)."""
        import numpy as np

        (nsubj, nsubjpass), pronouns = _subject_ids()
        dep = columns[:, 0]
        subject = (dep == nsubj) | (dep == nsubjpass)
        # The subjects that end the search: a named one (no) or a pronoun (yes).
        self.positions: list[int] = []
        self.answers: list[bool] = []
        rows = columns[subject, 1:3].tolist()
        for i, (named, lower) in zip(np.flatnonzero(subject).tolist(), rows, strict=True):
            if named or lower in pronouns:
                self.positions.append(i)
                self.answers.append(not named)
        self.sentence_starts: list[int] = np.flatnonzero(columns[:, 3] == 1).tolist()
        self.length = length

    def next_is_pronoun(self, i: int) -> bool:
        """The answer for the subject at token ``i``: the tokens searched are those
        after it up to 40 past the end of its sentence."""
        following = bisect_right(self.sentence_starts, i)
        sentence_end = (
            self.sentence_starts[following]
            if following < len(self.sentence_starts)
            else self.length
        )
        end = min(self.length, sentence_end + 40)
        at = bisect_right(self.positions, i)
        return at < len(self.positions) and self.positions[at] < end and self.answers[at]


@cache
def _appos_id() -> int:
    """spaCy's id of the label "appos" (the same in every vocab)."""
    from spacy.strings import get_string_id

    return int(get_string_id("appos"))


@cache
def _parse_columns() -> list[int | str]:
    """The token columns :func:`parse_cues` reads in one ``doc.to_array`` call:
    start offset (for :class:`_CueRoots`), then dependency label, entity type,
    lower form and sentence start (for :class:`_Subjects`); spaCy's attribute
    ids, imported only here."""
    from spacy.attrs import DEP, ENT_TYPE, IDX, LOWER, SENT_START

    return [IDX, DEP, ENT_TYPE, LOWER, SENT_START]


@cache
def _subject_ids() -> tuple[tuple[int, int], frozenset[int]]:
    """spaCy's ids of the subject labels and of the pronouns: the same in every
    vocab (symbols or hashes), so made once per process (spaCy imported only here)."""
    from spacy.strings import get_string_id

    return (
        (int(get_string_id("nsubj")), int(get_string_id("nsubjpass"))),
        frozenset(int(get_string_id(word)) for word in _PRONOUNS),
    )
