"""Deciding what kind of source an attribution has, and who a pronoun is.

Order matters and is deliberate: a phrase marking anonymity ("familiar with the
matter") beats everything, an outlet name beats the organisation label NER
gives it, and a person's name beats the role words around it (the role is kept
as data: "Secretary of State" for "Secretary of State Marco Rubio").
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from copydesk import in_sorted, sorted_ids
from copydesk_sourcing import lexicon as lx
from copydesk_sourcing.spans import SpanCache

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from copydesk_entities import Entity
    from copydesk_sourcing.token_table import TokenTable

_ORG_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC"})
_WS = re.compile(r"\s+")
_PHRASE_WORD = re.compile(r"[\w.&'\u2019-]+")
_FOUND_LIMIT = 100_000  # phrases whose outlet ``OutletMatcher.find`` remembers
_UNSEEN = "\x00unseen"  # no phrase's outlet: ``find`` has not looked at the phrase
_NAME_PARTICLES = frozenset({"de", "van", "von", "der", "den", "da", "di", "le", "la", "bin", "al"})


@dataclass
class Mention:
    """A named mention: from the entities analyzer when it covers it, else spaCy."""

    start: int
    end: int
    label: str
    name: str
    entity_id: str | None


@dataclass
class SourceInfo:
    """What the analyzer says about one source."""

    source_type: str
    entity_id: str | None = None
    name: str | None = None
    role: str | None = None
    resolved_to: str | None = None
    pronoun: bool = False


def normalize_outlet(name: str) -> str:
    """Lower case, no leading "the", single spaces: the key outlets are matched on."""
    key = _WS.sub(" ", name.strip().lower())
    key = key.removeprefix("the ")
    return key.removesuffix("'s").removesuffix("\u2019s")


class OutletMatcher:
    """Recognises outlet names inside a source phrase.

    Multi-word names match case-insensitively; one-word names ("Reuters",
    "Time", "AP") must match with their capitals, so "at the time" is no outlet.
    """

    def __init__(self, names: Iterable[str]) -> None:
        # Answers of ``find`` by phrase (a document names its sources again and
        # again: "Trump", "the White House"), shared with copies while they share
        # the names (so across documents); a new table when a name is added.
        self._found: dict[str, str | None] = {}
        # A copy shares these collections with the matcher it was copied from
        # until it adds a name (``_own``): copying some 120 names per document
        # cost more than matching them.
        self._shared = False
        self.multi: set[str] = set()
        self.single: set[str] = set()
        # The multi-word names by their first word: a name can only be in a phrase
        # whose words include its first word, so ``find`` searches the phrase for
        # those few names instead of all of them (some 120).
        self._by_first: dict[str, frozenset[str]] = {}
        for raw in names:
            name = raw.strip()
            if not name or name.startswith("#"):
                continue
            key = normalize_outlet(name)
            if " " in key or "-" in key:
                self._add_multi(key)
            else:
                self.single.add(name.removeprefix("The ").removeprefix("the "))

    def _own(self) -> None:
        """Stop sharing the names with the matcher this one was copied from."""
        self._found = {}
        if self._shared:
            self.multi = set(self.multi)
            self.single = set(self.single)
            self._by_first = dict(self._by_first)  # its frozensets are replaced, not changed
            self._shared = False

    def _add_multi(self, key: str) -> None:
        self._own()
        self.multi.add(key)
        first = key.split(" ", 1)[0]
        self._by_first[first] = self._by_first.get(first, frozenset()) | {key}

    def copy(self) -> OutletMatcher:
        """A matcher with the same names, for one document to add the outlets it names.

        The copy shares the names until it adds one; adding to either leaves the
        other as it is.
        """
        clone = OutletMatcher(())
        clone.multi, clone.single, clone._by_first = self.multi, self.single, self._by_first
        clone._found = self._found
        clone._shared = self._shared = True
        return clone

    def add(self, name: str) -> None:
        key = normalize_outlet(name)
        if key:
            if " " in key:
                self._add_multi(key)
            else:
                self._own()
                self.single.add(name.strip().removeprefix("the ").removeprefix("The "))

    def find(self, phrase: str) -> str | None:
        """The outlet named in ``phrase``, if any."""
        found = self._found.get(phrase, _UNSEEN)
        if found is _UNSEEN:
            if len(self._found) >= _FOUND_LIMIT:
                self._found.clear()  # a long run's phrases: start again rather than grow
            found = self._found[phrase] = self._find(phrase)
        return found

    def _find(self, phrase: str) -> str | None:
        words = _PHRASE_WORD.findall(phrase)
        stripped = [w.removesuffix("'s").removesuffix("\u2019s") for w in words]
        lowered = " ".join(w.lower() for w in stripped)
        padded = f" {lowered} "
        # The longest name wins; between names of one length, the one named first
        # in the phrase, then the alphabetically first: never the set's order,
        # which follows the process's hash seed.
        by_first = self._by_first
        found = [
            (-len(key), at, key)
            for word in set(lowered.split(" "))
            for key in by_first.get(word, ())
            if (at := padded.find(f" {key} ")) >= 0
        ]
        if found:
            return min(found)[2]
        for w in stripped:
            if w in self.single:
                return str(w)
        return None


def build_mentions(
    entities: Sequence[Entity], doc: Doc, text: str, table: TokenTable | None = None
) -> list[Mention]:
    """Entity mentions from the entities analyzer, plus spaCy's where it is silent.

    ``table``: the document's token table, whose offset and length columns are
    read instead of asking the document for them again.
    """
    import numpy as np

    mentions = [
        Mention(m.start, m.end, e.label, e.name, e.entity_id) for e in entities for m in e.mentions
    ]
    # spaCy's entities that no merged mention overlaps, by bisection over the
    # mentions sorted by start (with the running maximum of their ends), all at
    # once: most are covered, and only the others need their label as a string.
    starts, ends, begins = _entity_columns(doc, table)
    if len(starts):
        if mentions:
            covered = np.array(sorted((m.start, m.end) for m in mentions), dtype=np.int64)
            reach = np.maximum.accumulate(covered[:, 1])
            i = np.searchsorted(covered[:, 0], ends, side="left") - 1
            hit = (i >= 0) & (reach[np.maximum(i, 0)] > starts)
            free = np.flatnonzero(~hit).tolist()
        else:
            free = list(range(len(starts)))
        for k in free:
            start, end = int(starts[k]), int(ends[k])
            label = doc[int(begins[k])].ent_type_
            mentions.append(Mention(start, end, label, text[start:end], None))
    mentions.sort(key=lambda m: m.start)
    # Without the entities analyzer, give "Rubio" the full name "Marco Rubio".
    full: dict[str, str] = {}
    for m in mentions:
        if m.label == "PERSON" and m.entity_id is None:
            parts = _person_name(m.name).split()
            if len(parts) > 1:
                full[parts[-1]] = " ".join(parts)
            elif parts and parts[0] in full:
                m.name = full[parts[0]]
    return mentions


def spacy_entities(doc: Doc, table: TokenTable | None = None) -> list[tuple[int, int, str]]:
    """spaCy's entities as (start, end, label) character spans (``doc.ents``' order)."""
    starts, ends, begins = _entity_columns(doc, table)
    return [
        (a, b, doc[i].ent_type_)
        for a, b, i in zip(starts.tolist(), ends.tolist(), begins.tolist(), strict=True)
    ]


def _entity_columns(doc: Doc, table: TokenTable | None = None) -> tuple[Any, Any, Any]:
    """spaCy's entities as numpy columns: start and end offsets, first token.

    Found in the IOB column in one array operation: ``doc.ents`` builds a Python
    Token object for every token of the document to find them, and reading the
    offsets from the tokens that open and close each entity built two more per
    entity. The offsets come from the token table's columns when it is given
    (the offset and length columns cost three times the IOB column to read).
    """
    import numpy as np
    from spacy.attrs import ENT_IOB, IDX, LENGTH

    if not len(doc):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    iob = doc.to_array([ENT_IOB]).reshape(-1)
    begins = np.flatnonzero(iob == 3)  # 3 = B, 1 = I, 2 = O, 0 = unset
    # An entity runs from its B to the token before the next one that is not I.
    stops = np.append(np.flatnonzero(iob != 1), len(iob))
    lasts = stops[np.searchsorted(stops, begins, side="right")] - 1
    if table is not None:
        offsets, lengths = table.offsets, table.lengths
    else:
        cols = doc.to_array([IDX, LENGTH]).astype(np.int64)
        offsets, lengths = cols[:, 0], cols[:, 1]
    return offsets[begins], offsets[lasts] + lengths[lasts], begins


def _person_name(text: str) -> str:
    text = text.removesuffix("'s").removesuffix("\u2019s")
    words = [w for w in text.split() if w.lower().rstrip(".") not in {"mr", "mrs", "ms", "dr"}]
    return " ".join(words)


def gender_of(name: str, context: str = "") -> str | None:
    """'male', 'female' or None, from a title before the name or its first name."""
    title = context.strip().split()[-1].lower() if context.strip() else ""
    if title in lx.MALE_TITLES:
        return "male"
    if title in lx.FEMALE_TITLES:
        return "female"
    first = name.split()[0].lower() if name.split() else ""
    if first in lx.FEMALE_NAMES:
        return "female"
    if first in lx.MALE_NAMES:
        return "male"
    return None


@functools.lru_cache(maxsize=1)
def _outlet_cue_ids() -> Any:
    """The string ids of "tell" and the media heads (also capitalised), once per process."""
    words = ("tell", *lx.MEDIA_HEADS)
    return sorted_ids([*words, *(w.capitalize() for w in words)])


class SourceTyper:
    """Classifies sources and resolves pronoun sources for one document."""

    def __init__(
        self,
        text: str,
        doc: Doc,
        mentions: list[Mention],
        outlets: OutletMatcher,
        spans: SpanCache | None = None,
        lemma_ids: Any = None,
    ) -> None:
        """``spans``: the document's span cache, shared; ``lemma_ids``: its
        tokens' lemma ids (a numpy column, as the token table has them), read
        from the document when not given."""
        self.text = text
        self.doc = doc
        self.spans = spans if spans is not None else SpanCache(doc)
        self.mentions = mentions
        self._starts = [m.start for m in mentions]
        self._longest = max((m.end - m.start for m in mentions), default=0)
        self.outlets = outlets
        self._learn_outlets(lemma_ids)
        # The named people among ``classify``'s ``previous``, names lower-cased,
        # kept up as that list grows (see ``_named_before``).
        self._previous: object = None
        self._seen = 0
        self._named: list[tuple[str, SourceInfo]] = []

    def _learn_outlets(self, lemmas: Any = None) -> None:
        """Outlets named by context: "told the Globe", "the Herald newspaper".

        The few candidate tokens are picked from the lemma column in one array
        operation instead of a Python loop over every token.
        """
        import numpy as np
        from spacy.attrs import LEMMA

        doc = self.doc
        if lemmas is None:
            lemmas = doc.to_array([LEMMA]).reshape(-1)
        for i in np.flatnonzero(in_sorted(lemmas, _outlet_cue_ids())).tolist():
            tok = doc[i]
            lemma = tok.lemma_.lower()
            if lemma == "tell":
                for c in tok.children:
                    if c.dep_ in ("dobj", "dative") and c.pos_ == "PROPN":
                        self.outlets.add(self._span_text(c.left_edge.i, c.right_edge.i + 1))
            elif lemma in lx.MEDIA_HEADS and tok.pos_ == "NOUN":
                names = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
                if names:
                    self.outlets.add(self._span_text(names[0].left_edge.i, tok.i))
                if tok.dep_ == "appos" and tok.head.pos_ == "PROPN":
                    h = tok.head
                    self.outlets.add(self._span_text(h.left_edge.i, h.i + 1))

    def _span_text(self, a: int, b: int) -> str:
        if b <= a:
            return ""
        return self.doc[a:b].text

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        lo = bisect.bisect_left(self._starts, start - self._longest)
        hi = bisect.bisect_left(self._starts, end)
        return [m for m in self.mentions[lo:hi] if start < m.end]

    def _named_before(
        self, previous: Sequence[tuple[tuple[int, int], SourceInfo]]
    ) -> list[tuple[str, SourceInfo]]:
        """The named people among ``previous`` (in order), each with its name
        lower-cased.

        Why: each source phrase is compared with every earlier named source
        ("De Vries" after "Anouk de Vries"), a scan of all earlier sources per
        phrase; the analyzer's ``previous`` only grows, so the people are
        gathered once, as the list grows (a list of another identity, or a
        shorter one, starts again).
        """
        if previous is not self._previous or len(previous) < self._seen:
            self._previous, self._seen, self._named = previous, 0, []
        for _span, info in previous[self._seen :]:
            if info.source_type == "named_person" and info.name:
                self._named.append((info.name.lower(), info))
        self._seen = len(previous)
        return self._named

    def classify(
        self,
        span: tuple[int, int] | None,
        root: int | None,
        previous: Sequence[tuple[tuple[int, int], SourceInfo]],
    ) -> SourceInfo:
        """The type of the source phrase ``span`` (with head token ``root``).

        ``previous``: the sources typed before it in the document, in order; a
        list that only grows from one call to the next (or a new list).
        """
        if span is None:
            return SourceInfo("unattributed")
        start, end = span
        phrase = self.text[start:end]
        low = phrase.lower()
        sp = self.spans.expand(start, end)
        head = (
            self.doc[root]
            if root is not None and root < len(self.doc)
            else (sp.root if sp is not None else None)
        )
        if head is not None and not (start <= head.idx < end) and sp is not None:
            head = sp.root
        head_lemma = head.lemma_.lower() if head is not None else ""
        head_lower = head.lower_ if head is not None else ""
        if sp is not None and len(sp) == 1 and head_lower in lx.PRONOUNS:
            return self._pronoun(head_lower, start, previous)
        if any(p in low for p in lx.ANONYMITY_PHRASES):
            return SourceInfo("anonymous")
        outlet = self.outlets.find(phrase)
        mentions = self.mentions_in(start, end)
        persons = [m for m in mentions if m.label == "PERSON"]
        if len(phrase) > 2:
            # "De Vries said" after "Anouk de Vries, chair of ..., said": same person.
            short = low.removeprefix("mr ").removeprefix("ms ")
            for lowered, info in reversed(self._named_before(previous)):
                if lowered.endswith(short):
                    return SourceInfo("named_person", info.entity_id, info.name, info.role)
        appos = _role_apposition(head)
        if appos is not None and head is not None and outlet is None:
            # "Anouk de Vries, chair of the FNV Havens union": a name with a role in
            # apposition is a person, whatever label NER gave the name.
            n0 = self.doc[head.left_edge.i].idx
            n1 = head.idx + len(head)
            ent = next((m for m in mentions if m.start <= head.idx < m.end), None)
            role = trim_role(
                self.text[
                    self.doc[appos.left_edge.i].idx : appos.right_edge.idx + len(appos.right_edge)
                ]
            )
            return SourceInfo(
                "named_person", ent.entity_id if ent else None, self.text[n0:n1], role
            )
        name = _proper_name(sp, head) if sp is not None else None
        if name is not None and not persons and outlet is None:
            n0, n1 = name
            persons = [Mention(n0, n1, "PERSON", self.text[n0:n1], None)]
        if outlet is not None and not (persons and head is not None and _covers(persons, head)):
            ent = next((m for m in mentions if m.label in _ORG_LABELS), None)
            return SourceInfo(
                "media", ent.entity_id if ent else None, outlet if not ent else ent.name
            )
        if (
            head is not None
            and persons
            and (
                _covers(persons, head)
                or head.pos_ == "PROPN"
                or head_lemma in lx.ROLE_HEADS | lx.ANONYMOUS_HEADS
            )
        ):
            person = next((m for m in persons if m.start <= head.idx < m.end), persons[0])
            return SourceInfo(
                "named_person",
                person.entity_id,
                _person_name(person.name),
                _role(self.text, start, end, person),
            )
        if head_lemma in lx.DOCUMENT_HEADS or head_lower in lx.DOCUMENT_HEADS:
            ent = next((m for m in mentions if m.label in _ORG_LABELS), None)
            return SourceInfo("document", None, ent.name if ent else None)
        if head_lemma in lx.MEDIA_HEADS and head_lemma not in ("agency", "site", "show"):
            return SourceInfo("media")
        orgs = [m for m in mentions if m.label in _ORG_LABELS]
        if head_lower in lx.ANONYMOUS_HEADS or head_lemma in lx.ANONYMOUS_HEADS:
            return SourceInfo("anonymous")
        if head_lemma in lx.ROLE_HEADS:
            if orgs:
                return SourceInfo("organization", orgs[0].entity_id, orgs[0].name, phrase)
            if sp is not None and any(t.lemma_.lower() in lx.ORGANIZATION_HEADS for t in sp):
                # "a company spokesman" speaks for the company.
                return SourceInfo("organization", None, phrase, phrase)
            det = sp[0].lower_ if sp is not None else ""
            if det in ("a", "an", "one", "another", "some", "two", "three", "several"):
                return SourceInfo("anonymous", role=phrase)
            titled = self._titled_person(head_lemma, start)
            if titled is not None:
                return SourceInfo(
                    "named_person",
                    titled.entity_id,
                    _person_name(titled.name),
                    phrase,
                    resolved_to=_person_name(titled.name),
                )
            return SourceInfo("anonymous", role=phrase)
        if orgs and head is not None and (_covers(orgs, head) or head.pos_ == "PROPN"):
            org = next((m for m in orgs if m.start <= head.idx < m.end), orgs[0])
            return SourceInfo("organization", org.entity_id, org.name)
        if head_lemma in lx.ORGANIZATION_HEADS:
            return SourceInfo("organization", None, phrase)
        if head is not None and head.pos_ == "PROPN":
            if sp is not None and sp[0].lower_ == "the":
                return SourceInfo("organization", None, phrase)  # "the Port Authority"
            return SourceInfo("named_person", None, phrase)
        if head is not None and sp is not None and sp[0].lower_ == "the" and head.tag_ == "NN":
            # "the utility", "the ministry": a definite singular body, not a crowd.
            return SourceInfo("organization", None, phrase)
        return SourceInfo("anonymous")

    def _before(self, start: int) -> Iterable[Mention]:
        """The mentions that start before ``start``, nearest first (found by
        bisection: the scans below would otherwise skip all the later ones)."""
        return reversed(self.mentions[: bisect.bisect_left(self._starts, start)])

    def _titled_person(self, role: str, before: int) -> Mention | None:
        """The nearest earlier person introduced with this title ("President Obama")."""
        for m in self._before(before):
            if m.label != "PERSON":
                continue
            prefix = self.text[max(0, m.start - 40) : m.start].lower().split()
            if prefix and prefix[-1].rstrip(".,") == role:
                return m
            inner = self.text[m.start : m.end].lower().split()
            if inner and inner[0] == role:
                return m
        return None

    def _pronoun(
        self, pron: str, start: int, previous: Sequence[tuple[tuple[int, int], SourceInfo]]
    ) -> SourceInfo:
        kind = lx.PRONOUNS[pron]
        if kind in ("male", "female", "speaker"):
            # The last speaker first: "Rubio said ... He added" means Rubio even if
            # another person was named in between.
            for (a, _b), info in reversed(previous[-2:]):
                if a >= start or info.source_type != "named_person" or not info.name:
                    continue
                fits = kind == "speaker" or gender_of(info.name) in (kind, None)
                if fits and start - a < 600:
                    return SourceInfo(
                        "named_person",
                        info.entity_id,
                        info.name,
                        info.role,
                        resolved_to=info.name,
                        pronoun=True,
                    )
            fallback: Mention | None = None
            for m in self._before(start):
                if m.label != "PERSON":
                    continue
                g = gender_of(_person_name(m.name), self.text[max(0, m.start - 6) : m.start])
                if kind == "speaker" or g == kind:
                    return self._resolved(m)
                if g is None and fallback is None:
                    fallback = m
            if fallback is not None:
                return self._resolved(fallback)
            return SourceInfo("anonymous", pronoun=True)
        if kind == "thing":
            for m in self._before(start):
                if m.label in _ORG_LABELS:
                    return SourceInfo(
                        "organization", m.entity_id, m.name, resolved_to=m.name, pronoun=True
                    )
            return SourceInfo("unattributed", pronoun=True)
        for (a, _b), info in reversed(previous[-2:]):
            if a < start and info.source_type in ("organization", "anonymous", "media"):
                return SourceInfo(
                    info.source_type, info.entity_id, info.name, resolved_to=info.name, pronoun=True
                )
        return SourceInfo("anonymous", pronoun=True)

    @staticmethod
    def _resolved(m: Mention) -> SourceInfo:
        name = _person_name(m.name)
        return SourceInfo("named_person", m.entity_id, name, resolved_to=name, pronoun=True)


def _proper_name(sp: Any, head: Any) -> tuple[int, int] | None:
    """A person's name the NER missed: "chief executive, Pieter Bakker" (apposition).

    Only names in apposition to a role or sitting at the head are taken, and only
    two or three capitalised words with no determiner, so "the Port Authority"
    stays an organisation.
    """
    candidates = [head, *[c for c in head.children if c.dep_ == "appos"]]
    for tok in candidates:
        if tok.pos_ != "PROPN" or tok.ent_type_ in ("ORG", "GPE", "NORP", "FAC"):
            continue
        left = tok
        while (
            left.i > sp.start
            and sp.doc[left.i - 1].dep_ == "compound"
            and (
                sp.doc[left.i - 1].pos_ == "PROPN"
                or sp.doc[left.i - 1].lower_ in ("de", "van", "von")
            )
        ):
            left = sp.doc[left.i - 1]
        words = tok.i - left.i + 1
        name_toks = sp.doc[left.i : tok.i + 1]
        if 2 <= words <= 4 and all(
            t.text[:1].isupper() or t.lower_ in _NAME_PARTICLES for t in name_toks
        ):
            if left.i > sp.start and sp.doc[left.i - 1].lower_ in ("the", "a", "an"):
                continue
            return left.idx, tok.idx + len(tok)
    return None


def _covers(mentions: Iterable[Mention], tok: Any) -> bool:
    return any(m.start <= tok.idx < m.end for m in mentions)


def _role_apposition(head: Any) -> Any:
    """The role noun in apposition to a proper-name head ("X, chair of Y"), if any."""
    if head is None or head.pos_ != "PROPN":
        return None
    for child in head.children:
        if child.dep_ == "appos" and child.i > head.i and child.lemma_.lower() in lx.ROLE_HEADS:
            return child
    return None


def trim_role(role: str) -> str:
    """A role phrase without its leading article."""
    return re.sub(r"^(the|a|an)\s+", "", role.strip(" ,"), flags=re.IGNORECASE)


def _role(text: str, start: int, end: int, person: Mention) -> str | None:
    """The words around a person's name that say who they are."""
    before = text[start : max(start, person.start)]
    after = text[min(end, person.end) : end]
    parts = [p.strip(" ,\u2014-") for p in (before, after)]
    parts = [re.sub(r"^(the|a|an)\s+", "", p, flags=re.IGNORECASE) for p in parts]
    parts = [
        p for p in parts if p and p.lower() not in {"mr.", "mrs.", "ms.", "mr", "mrs", "ms", "dr."}
    ]
    parts = [p.removesuffix("'s") for p in parts if len(p) > 1]
    role = ", ".join(parts)
    return role or None
