"""Merging trimmed mentions into entities, voting on labels, scoring salience.

Pure functions over :class:`~copydesk_entities.mentions.Mention` lists, so the
rules can be tested without spaCy. The rules, in the order they are tried for
each mention (document order):

1. A one-word name (after honorifics: "Trump", "Mr. Trump") that is the surname
   of a person named in full earlier joins the person whose full name was
   mentioned *most recently* - so "Ivanka Trump ... Trump" goes to Ivanka even if
   "Donald Trump" came first.
2. The same normalised form (case, periods, apostrophes, a leading "the", and a
   small table of well-known variants: "U.S." = "US" = "United States" =
   "America") joins that entity.
3. A person's full name with the same first and last word ("Donald J. Trump" =
   "Donald Trump") joins that person.
4. A new entity otherwise.

Then two passes that need the whole document: an acronym ("WHO", "NYT") joins
the entity whose long form it abbreviates ("World Health Organization", "The New
York Times"), wherever the long form appears; and a bare surname seen *before*
any full name joins the one person with that surname, if there is exactly one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from copydesk_entities.mentions import (
    HONORIFICS,
    NAME_CACHE_SIZE,
    Mention,
    acronym_of,
    looks_like_acronym,
    normalize,
    person_parts,
    surname_key,
    surname_text,
    vessel_name,
    words,
)

# Well-known variants whose spelling shares nothing an algorithm can see.
ALIASES: dict[str, str] = {
    "us": "united states",
    "usa": "united states",
    "united states of america": "united states",
    "america": "united states",
    "uk": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "un": "united nations",
    "eu": "european union",
    "nyc": "new york city",
    "uae": "united arab emirates",
    "prc": "china",
    "peoples republic of china": "china",
    "russian federation": "russia",
}

# Place labels: a place spelled like a surname ("Washington", "Houston") joins a
# person only when the same word is labelled PERSON somewhere in the document.
_PLACE_LABELS = frozenset({"GPE", "LOC"})
# Weight of a multi-word mention's vote: full names are labelled more reliably.
_FULL_NAME_WEIGHT = 1.5
# Weight of a bare surname or first name that joined a person by that name: the
# link already says "person", and spaCy often calls such bare names ORG.
_LINKED_WEIGHT = 0.25
# A mention spaCy missed and the name search found carries its entity's label
# already: it is no independent evidence.
_FOUND_WEIGHT = 0.1


@lru_cache(maxsize=NAME_CACHE_SIZE)
def canonical_key(name: str) -> str:
    """Normalised form with the alias table applied ("U.S." -> "united states")."""
    key = normalize(vessel_name(name) or name)  # "USS Carl Vinson" = "the Carl Vinson"
    return ALIASES.get(key, key)


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _name_facts(name: str) -> tuple[str, str | None, tuple[str, str] | None, bool]:
    """What clustering asks of a mention's text, in one memoised call: its
    :func:`canonical_key`, :func:`surname_key`, :func:`person_parts` and
    whether it looks like an acronym (each memoised too, but looked up some
    eight times a mention)."""
    return canonical_key(name), surname_key(name), person_parts(name), looks_like_acronym(name)


@dataclass
class Cluster:
    """Mentions believed to name one entity, and what is known about it."""

    mentions: list[Mention] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    people: set[tuple[str, str]] = field(default_factory=set)
    # The surnames of ``people``, kept in step with it (looked up for every mention).
    surname_set: set[str] = field(default_factory=set)
    last_full_name: int = -1

    @property
    def first_start(self) -> int:
        mentions = self.mentions
        # Most entities are named once: no generator for them (asked some 4 times each).
        return mentions[0].start if len(mentions) == 1 else min(m.start for m in mentions)

    def add(self, mention: Mention) -> None:
        key, _, parts, _ = _name_facts(mention.text)
        self._take(mention, key, parts if mention.label == "PERSON" else None)

    def _take(self, mention: Mention, key: str, parts: tuple[str, str] | None) -> None:
        """Add a mention whose key and (for a person) name parts are known."""
        self.mentions.append(mention)
        self.keys.add(key)
        if parts is not None:
            self.people.add(parts)
            self.surname_set.add(parts[1])
            self.last_full_name = max(self.last_full_name, mention.start)

    def surnames(self) -> set[str]:
        return self.surname_set

    def acronyms(self) -> set[str]:
        out: set[str] = set()
        for m in self.mentions:
            if m.label != "PERSON" and not looks_like_acronym(m.text):
                out |= acronym_of(m.text)
        return out

    def is_acronym_only(self) -> bool:
        mentions = self.mentions
        if len(mentions) == 1:
            return looks_like_acronym(mentions[0].text)
        return all(looks_like_acronym(m.text) for m in mentions)

    def absorb(self, other: Cluster) -> None:
        self.mentions.extend(other.mentions)
        self.mentions.sort(key=lambda m: m.start)
        self.keys |= other.keys
        self.people |= other.people
        self.surname_set |= other.surname_set
        self.last_full_name = max(self.last_full_name, other.last_full_name)


def cluster_mentions(mentions: list[Mention]) -> list[Cluster]:
    """Group mentions into entities (see the module docstring for the rules)."""
    person_words = {canonical_key(m.text) for m in mentions if m.label == "PERSON"}
    clusters: list[Cluster] = []
    index = _ClusterIndex(clusters)
    for mention in sorted(mentions, key=lambda m: m.start):
        facts = _name_facts(mention.text)
        target = _find_cluster(mention, facts, index, person_words)
        if target is None:
            target = Cluster()
            clusters.append(target)
        key, parts = facts[0], facts[2] if mention.label == "PERSON" else None
        target._take(mention, key, parts)
        index.note(target, key, parts)
    clusters = _merge_acronyms(clusters)
    clusters = _merge_early_surnames(clusters, person_words)
    clusters = _merge_short_org_names(clusters)
    return sorted(clusters, key=lambda c: c.first_start)


class _ClusterIndex:
    """Which clusters hold a key, a surname, a first name or a person, while clustering.

    Each rule of :func:`_find_cluster` asks "the clusters with X, in the order they
    were made"; scanning every cluster for every mention made clustering quadratic
    in the entities of a document. Clusters only gain keys, names and people while
    mentions are added, so each lookup is kept as the positions of the clusters
    that have it, in creation order.
    """

    def __init__(self, clusters: list[Cluster]) -> None:
        self.clusters = clusters
        self.position: dict[int, int] = {}
        self.keys: dict[str, int] = {}  # the first cluster with the key
        self.surnames: dict[str, list[int]] = {}
        self.first_names: dict[str, list[int]] = {}
        self.people: dict[tuple[str, str], int] = {}  # the first cluster with the person

    def note(self, cluster: Cluster, key: str, parts: tuple[str, str] | None) -> None:
        """Record what ``cluster`` gained by taking a mention with this key and
        (for a person) these name parts (after the cluster took it)."""
        at = self.position.setdefault(id(cluster), len(self.position))
        if self.keys.get(key, at) >= at:
            self.keys[key] = at
        if parts is not None:
            if self.people.get(parts, at) >= at:
                self.people[parts] = at
            _insert(self.first_names.setdefault(parts[0], []), at)
            _insert(self.surnames.setdefault(parts[1], []), at)

    def with_key(self, key: str) -> Cluster | None:
        at = self.keys.get(key)
        return None if at is None else self.clusters[at]

    def with_person(self, parts: tuple[str, str]) -> Cluster | None:
        at = self.people.get(parts)
        return None if at is None else self.clusters[at]

    def with_surname(self, surname: str) -> list[Cluster]:
        return [self.clusters[at] for at in self.surnames.get(surname, ())]

    def with_first_name(self, first: str) -> list[Cluster]:
        return [self.clusters[at] for at in self.first_names.get(first, ())]


def _insert(positions: list[int], at: int) -> None:
    """Add ``at`` to the sorted ``positions`` once."""
    i = bisect_left(positions, at)
    if i == len(positions) or positions[i] != at:
        positions.insert(i, at)


def _find_cluster(
    mention: Mention,
    facts: tuple[str, str | None, tuple[str, str] | None, bool],
    index: _ClusterIndex,
    person_words: set[str],
) -> Cluster | None:
    """The cluster ``mention`` joins (rules 1-3 of the module docstring), if any;
    ``facts`` are its text's :func:`_name_facts`."""
    key, surname, parts, _ = facts
    if surname is not None and _may_be_surname(mention, key, person_words):
        named = [c for c in index.with_surname(surname) if c.last_full_name < mention.start]
        if named:
            mention.linked_by_name = True
            return max(named, key=lambda c: c.last_full_name)
    found = index.with_key(key)
    if found is not None:
        return found
    if surname is not None and mention.label == "PERSON":
        # A first name alone ("Britney") names the one person introduced with it.
        known = index.with_first_name(surname)
        if len(known) == 1 and known[0].last_full_name < mention.start:
            mention.linked_by_name = True
            return known[0]
    if parts is not None and mention.label in {"PERSON", "ORG", "NORP"}:
        return index.with_person(parts)
    return None


def _may_be_surname(mention: Mention, key: str, person_words: set[str]) -> bool:
    if looks_like_acronym(mention.text):
        return False
    if mention.label in _PLACE_LABELS:
        return key in person_words
    return True


def _merge_acronyms(clusters: list[Cluster]) -> list[Cluster]:
    """Fold acronym-only entities into the entity whose long form they abbreviate."""
    acronym_only = [c.is_acronym_only() for c in clusters]
    if not any(acronym_only):
        return clusters  # most documents: nothing to fold, no long forms to build
    long_forms: list[tuple[Cluster, set[str]]] | None = None
    out: list[Cluster] = []
    for cluster, only in zip(clusters, acronym_only, strict=True):
        if only:
            # "US", "UK", "UN" have one fixed meaning (ALIASES): never "University
            # of Sheffield" or "United Kingdom Independence Party" by initials.
            short = {normalize(m.text) for m in cluster.mentions} - ALIASES.keys()
            if short and long_forms is None:
                long_forms = [
                    (c, c.acronyms())
                    for c, c_only in zip(clusters, acronym_only, strict=True)
                    if not c_only
                ]
            hosts = [c for c, acr in long_forms or () if short & acr]
            if hosts:
                min(hosts, key=lambda c: c.first_start).absorb(cluster)
                continue
        out.append(cluster)
    return out


def _merge_early_surnames(clusters: list[Cluster], person_words: set[str]) -> list[Cluster]:
    """A bare surname used before the full name joins the one person it can be."""
    # The clusters with each surname, in order; built once, as no merge below
    # changes them (a cluster merged here has no people, so no surnames).
    holders: dict[str, list[Cluster]] = {}
    for cluster in clusters:
        for name in cluster.surname_set:
            holders.setdefault(name, []).append(cluster)
    if not holders:
        return clusters  # no person named in full: no surname to join
    out: list[Cluster] = []
    for cluster in clusters:
        if not cluster.people:
            mentions = cluster.mentions
            if len(mentions) == 1:  # most clusters: no set of one surname
                surname = surname_key(mentions[0].text)
            else:
                surnames = {surname_key(m.text) for m in mentions}
                surname = surnames.pop() if len(surnames) == 1 else None
            named = holders.get(surname) if surname is not None else None
            hosts = [c for c in named if c is not cluster] if named else []
            if len(hosts) == 1 and all(
                _may_be_surname(m, canonical_key(m.text), person_words) for m in mentions
            ):
                _link_by_name(hosts[0], cluster)
                continue
        out.append(cluster)
    return out


def _link_by_name(host: Cluster, cluster: Cluster) -> None:
    """Merge ``cluster`` into ``host``, marking its mentions as joined by name alone
    (their label then weighs little in the vote)."""
    for m in cluster.mentions:
        m.linked_by_name = True
    host.absorb(cluster)


def _merge_short_org_names(clusters: list[Cluster]) -> list[Cluster]:
    """A one-word organisation ("Navy", "Times") joins the one organisation whose
    multi-word name ends in it ("U.S. Navy", "New York Times")."""
    # The one word of each cluster that may join another: it has one text, of
    # one word, and an ORG mention.
    joining: list[str | None] = []
    for cluster in clusters:
        mentions = cluster.mentions
        if len(mentions) == 1:  # most clusters: the same answers without generators
            first = mentions[0].text
            one_text, is_org = True, mentions[0].label == "ORG"
        else:
            first = mentions[0].text if mentions else ""
            one_text = all(m.text == first for m in mentions)
            is_org = any(m.label == "ORG" for m in mentions)
        joining.append(first if one_text and is_org and len(words(first)) == 1 else None)
    wanted = {word for word in joining if word is not None}
    if not wanted:
        return clusters
    # The clusters whose multi-word ORG mentions end in each joining word, in
    # order; built once (a cluster that joins another has no multi-word mention).
    enders: dict[str, list[Cluster]] = {}
    for cluster in clusters:
        for m in cluster.mentions:
            if m.label == "ORG":
                name = words(m.text)
                if len(name) > 1 and name[-1] in wanted:
                    holders = enders.setdefault(name[-1], [])
                    if not holders or holders[-1] is not cluster:
                        holders.append(cluster)
    out: list[Cluster] = []
    for cluster, joiner in zip(clusters, joining, strict=True):
        if joiner is not None:
            hosts = [c for c in enders.get(joiner, ()) if c is not cluster]
            if len(hosts) == 1:
                _link_by_name(hosts[0], cluster)
                continue
        out.append(cluster)
    return out


class LabelVote(NamedTuple):
    """The winning label of an entity, its share of the (weighted) votes, and whether
    the majority is confident enough to overrule a dissenting mention.

    A named tuple: made for every entity, some 50 an article, often twice."""

    label: str
    share: float
    confident: bool


def vote_labels(mentions: list[Mention], min_share: float = 0.6) -> LabelVote:
    """One label for an entity from all its mentions.

    Each mention votes for its label; multi-word mentions and mentions after an
    honorific count 1.5 (a full name is labelled more reliably than a bare
    surname), and a bare name that joined a person by surname or first name
    counts 0.25 (spaCy often calls "Wilkins" ORG six times after "Kristen
    Wilkins" PERSON twice; the link itself is the evidence). Ties go to the label of
    the longest mention, then the earliest. The majority is *confident* when it
    holds at least ``min_share`` of the weight of at least two mentions: with the
    default 0.6, a full name outvotes a dissenting unlinked bare mention (1.5 of
    2.5), but two bare mentions that disagree (1 of 2) correct nothing.

    Each mention's label cues (:mod:`copydesk_entities.evidence`) add their
    weights to the labels they argue for; with cues, a single mention's majority
    can be confident too, so "Maersk, the container line" (PRODUCT 1 against ORG
    1.5) is corrected although it is the only mention.
    """
    if not mentions:
        msg = "vote_labels needs at least one mention"
        raise ValueError(msg)
    if len(mentions) == 1 and not mentions[0].cues:
        # Most entities: one mention, no cue. Its label holds all the weight,
        # and one mention alone is never a confident majority.
        return LabelVote(mentions[0].label, 1.0, False)
    weights: dict[str, float] = {}
    has_cues = False
    for m in mentions:
        if m.found_by_name:
            weight = _FOUND_WEIGHT
        elif m.linked_by_name:
            weight = _LINKED_WEIGHT
        elif m.by_rule is not None or len(words(m.text)) > 1:
            weight = _FULL_NAME_WEIGHT
        else:
            weight = 1.0
        weights[m.label] = weights.get(m.label, 0.0) + weight
        if m.cues:
            has_cues = True
            for cue in m.cues:
                weights[cue.label] = weights.get(cue.label, 0.0) + cue.weight
    best = max(weights.values())
    tied = [label for label, w in weights.items() if best - w < 1e-9]
    if len(tied) == 1:
        label = tied[0]
    else:
        ordered = sorted(mentions, key=lambda m: (-len(m.text), m.start))
        label = next((m.label for m in ordered if m.label in tied), min(tied))
    share = weights[label] / sum(weights.values())
    confident = share >= min_share and (len(mentions) >= 2 or has_cues)
    return LabelVote(label, round(share, 3), confident)


def canonical_name(cluster: Cluster, label: str) -> str:
    """The longest full form seen (a person's full name, an acronym's long form)."""
    if len(cluster.mentions) == 1:
        return cluster.mentions[0].text  # most entities: named once
    candidates = [m for m in cluster.mentions if not looks_like_acronym(m.text)] or cluster.mentions
    if label == "PERSON":
        full = [m for m in candidates if len(words(m.text)) > 1]
        candidates = full or candidates
    best = max(candidates, key=lambda m: (len(m.text), -m.start))
    return best.text


def title_keys(title: str) -> frozenset[str]:
    """Every comparison key the title offers, built once per document.

    The title is not parsed: every capitalised run of up to six words is
    normalised as a mention would be, with and without honorifics ("President
    Trump" gives "president trump" and "trump").
    """
    upper = title.isupper()
    tokens = [m.group() for m in re.finditer(r"[^\s\"\u201c\u201d:;,!?()]+", title)]
    keys: set[str] = set()
    for i in range(len(tokens)):
        first = tokens[i].lstrip("'\u2018")
        capitalised = bool(first) and (first[0].isupper() or first[0].isdigit())
        if not capitalised or (upper and len(first) < 2):
            continue
        for j in range(i + 1, min(i + 7, len(tokens) + 1)):
            phrase = " ".join(tokens[i:j])
            phrase = _TITLE_POSSESSIVE.sub("", phrase)
            candidate = canonical_key(phrase)
            keys.add(candidate)
            keys.add(" ".join(w for w in candidate.split() if w not in HONORIFICS))
    return frozenset(keys)


_TITLE_POSSESSIVE = re.compile(r"['\u2019]s$")


def title_matches(title: str | frozenset[str], cluster: Cluster) -> bool:
    """Whether the entity is named in the title by any of its forms.

    ``title`` is the title string or its :func:`title_keys` (pass the keys when
    checking many entities against one title). A title key matches the entity's
    forms, its people's surnames and its acronyms.
    """
    keys = title_keys(title) if isinstance(title, str) else title
    # Each kind of form asked in turn: no union of the sets built per entity.
    if not keys.isdisjoint(cluster.keys) or not keys.isdisjoint(cluster.surname_set):
        return True
    return any(canonical_key(a) in keys for a in cluster.acronyms())


def salience(
    mention_count: int,
    max_count: int,
    first_start: int,
    text_length: int,
    *,
    in_title: bool,
    in_lead: bool,
    has_title: bool,
) -> float:
    """How central an entity is, in [0, 1].

    A weighted sum of: mention count relative to the most-mentioned entity
    (0.45), how early the first mention is (0.2), being named in the title
    (0.2) and in the lead (0.15). Without a title its weight is shared out over
    the others, so scores stay comparable across documents with and without one.
    """
    frequency = mention_count / max(max_count, 1)
    earliness = 1.0 - first_start / max(text_length, 1)
    if has_title:
        score = 0.45 * frequency + 0.2 * earliness + 0.2 * in_title + 0.15 * in_lead
    else:
        score = 0.55 * frequency + 0.25 * earliness + 0.2 * in_lead
    return round(min(max(score, 0.0), 1.0), 4)


def find_missed(
    text: str,
    clusters: list[Cluster],
    labels: list[str],
    taken: list[tuple[int, int]],
    stop_words: frozenset[str],
) -> list[Mention]:
    """Occurrences of known names that spaCy did not tag ("Trump spoke" after
    three tagged "Trump"s).

    Searched forms: every multi-word mention text and, for people, the surname
    as written; single words shorter than three letters, acronyms of two
    letters and stop words ("May", "Will") are never searched. A match must be
    case-exact, whole-word, outside every span spaCy tagged (``taken``, any
    label), and not glued to another capitalised word ("Trump Tower"). The new
    mention gets its entity's label; merging then runs again over all mentions.
    """
    forms: dict[str, str] = {}
    for cluster, label in zip(clusters, labels, strict=True):
        person = label == "PERSON"
        for m in cluster.mentions:
            forms.setdefault(m.text, label)
            if person and not m.linked_by_name:
                for surname in _surname_forms(m.text):
                    forms.setdefault(surname, label)
    usable = {f: label for f, label in forms.items() if _searchable(f, stop_words)}
    if not usable:
        return []
    # Equivalent to one alternation regex over ``usable`` (longest form first),
    # without compiling a large pattern per document: a match starts a word
    # ("\w+" run, not after a word character, ".", "&", "'" or "-") and the
    # forms tried there are those whose first word is that word.
    by_first: dict[str, list[str]] = {}
    for f in sorted(usable, key=len, reverse=True):
        first = _first_word(f)
        if first is not None:
            by_first.setdefault(first, []).append(f)
    starts, ends = _intervals(taken)
    found: list[Mention] = []
    resume = 0
    for start, first_word in _word_starts(text, by_first):
        if start < resume:
            continue
        for form in by_first[first_word]:
            end = start + len(form)
            if text.startswith(form, start) and not _FORM_FOLLOWER.match(text, end):
                break
        else:
            continue
        resume = end
        if _overlaps(starts, ends, start, end) or _glued(text, start, end):
            continue
        found.append(Mention(start, end, form, usable[form], found_by_name=True))
    return found


_FIRST_WORD = re.compile(r"\w+")


# What find_missed asks of each name (the same names recur in every document),
# memoised like the name keys.


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _surname_forms(name: str) -> tuple[str, ...]:
    """A person's full name's surname as written and with a capital ("Anouk de
    Vries": "de Vries", "De Vries"); none for other names."""
    surname = surname_text(name)
    return () if surname is None else (surname, surname[0].upper() + surname[1:])


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _searchable(form: str, stop_words: frozenset[str]) -> bool:
    """Whether the name search looks for ``form``: three characters or more,
    a capital first, no stop word."""
    return len(form) >= 3 and form[0].isupper() and form.casefold() not in stop_words


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _first_word(form: str) -> str | None:
    first = _FIRST_WORD.match(form)
    return None if first is None else first.group()


_FORM_FOLLOWER = re.compile(r"[\w&-]")
# What may not stand right before a word that starts a match (see _word_starts).
_NOT_BEFORE_WORD = re.compile(r"[\w.&'\u2019-]")
_WORD_CHAR = re.compile(r"\w")


def _word_starts(text: str, first_words: dict[str, list[str]]) -> list[tuple[int, str]]:
    """Where a word of ``first_words`` stands in ``text`` as a whole word, in order.

    The same positions as scanning every word of the text (a ``\\w+`` run not
    after a word character, ".", "&", "'" or "-") and keeping those in
    ``first_words``. Every searched word starts with a capital (see
    :func:`find_missed`): the runs that start with an ASCII capital are found in
    one scan (:data:`_CAPITALISED_RUN`, about 140 an article, each looked up in
    ``first_words``); a word with another capital ("Ángel") is looked for with
    ``str.find`` (one scan of the text per word, as every word once was).
    """
    out: list[tuple[int, str]] = []
    for run in _CAPITALISED_RUN.finditer(text):
        word = run.group()
        if word in first_words:
            at = run.start()
            if not (at and _NOT_BEFORE_WORD.match(text, at - 1)):
                out.append((at, word))
    others = [word for word in first_words if not "A" <= word[:1] <= "Z"]
    if others:
        out += _find_words(text, others)
        out.sort()
    return out


# A run of word characters from an ASCII capital on: the whole run, as the
# pattern is greedy and no run starts inside an earlier match.
_CAPITALISED_RUN = re.compile(r"[A-Z]\w*")


def _find_words(text: str, words: list[str]) -> list[tuple[int, str]]:
    """Where each of ``words`` stands in ``text`` as a whole word (see
    :func:`_word_starts`), found with ``str.find``."""
    out: list[tuple[int, str]] = []
    for word in words:
        size = len(word)
        at = text.find(word)
        while at >= 0:
            end = at + size
            if not (at and _NOT_BEFORE_WORD.match(text, at - 1)) and not _WORD_CHAR.match(
                text, end
            ):
                out.append((at, word))
            at = text.find(word, at + 1)
    return out


def _intervals(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Span starts in order, and the running maximum of their ends."""
    ordered = sorted(spans)
    return [a for a, _ in ordered], list(accumulate((b for _, b in ordered), max))


def _overlaps(starts: list[int], max_ends: list[int], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps any span of :func:`_intervals`."""
    before = bisect_left(starts, end)  # spans that start before ``end``
    return before > 0 and max_ends[before - 1] > start


def _glued(text: str, start: int, end: int) -> bool:
    """Whether a match is part of a longer capitalised name ("Trump Tower")."""
    after = re.match(r"\s+([^\W\d_])", text[end : end + 3])
    if after and after.group(1).isupper():
        return True
    before = re.search(r"([^\W\d_]+)[ \t]+$", text[max(0, start - 30) : start])
    if before:
        word = before.group(1)
        return word[0].isupper() and word.casefold() not in HONORIFICS
    return False
