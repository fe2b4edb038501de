"""One id per source across the document, who relayed it, and its gender and role.

* Source ids: attributions to the same person or body share an id ("S1"). The
  same entity id, the same resolved name or the same words link them, and so do
  two things the words alone miss: a pronoun resolved to a source, and a
  definite or demonstrative noun phrase ("these sources", "the official", "the
  spokeswoman") that takes up an unnamed source of the sentences before.
* ``relayed_by``: an attribution a news outlet passes on ("according to two
  individuals ..., as per The New York Times"; "The Times reported that,
  according to officials, ...").
* Gender (``gender.py``) and role (``roles.py``) per source id, from the
  evidence of all its attributions and of the other mentions of the person.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from copydesk_sourcing import gender as gd
from copydesk_sourcing import lexicon as lx
from copydesk_sourcing import roles as rl
from copydesk_sourcing.spans import SpanCache

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from copydesk_sourcing.relation import Relation
    from copydesk_sourcing.sources import Mention, SourceInfo

Range = tuple[int, int]
_ANAPHORIC = frozenset({"these", "those", "the", "this", "that", "such", "both", "same"})
_MODIFIER_DEPS = frozenset({"prep", "relcl", "acl", "appos", "poss"})
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
_ANAPHOR_WINDOW = 1500  # characters back to look for what "these sources" takes up
_KIN = frozenset(
    """mother father wife husband daughter son sister brother widow widower aunt uncle
    niece nephew grandmother grandfather girlfriend boyfriend mom dad mum""".split()
)
_PERSON_TYPES = frozenset({"named_person", "anonymous"})


@dataclass
class SourceProfile:
    """What the analyzer says about one source id."""

    source_id: str
    gender: str | None = None
    evidence: list[gd.Evidence] = field(default_factory=list)
    role: str | None = None
    role_cue: rl.RoleCue | None = None


@dataclass
class Linked:
    """Per relation (by ``id()``): source id, relaying outlet and the gender evidence
    of its own source phrase; per id: the profile."""

    ids: dict[int, str]
    relayed_by: dict[int, Relation]
    profiles: dict[str, SourceProfile]
    own: dict[int, list[gd.Evidence]] = field(default_factory=dict)
    # Each source's evidence as finding data, built once for all its attributions.
    _as_data: dict[int, list[dict[str, object]]] = field(default_factory=dict, repr=False)

    def gender(self, rel: Relation) -> tuple[str | None, list[gd.Evidence]]:
        """The attribution's gender: its own phrase's evidence first ("Mrs. Clinton
        said" in a source the entity linker merged with Mr. Clinton), else its source's."""
        sid = self.ids.get(id(rel))
        profile = self.profiles.get(sid) if sid else None
        if profile is None or profile.gender is None:
            return None, []
        own = self.own.get(id(rel))
        if own:
            return gd.decide(own), profile.evidence
        return profile.gender, profile.evidence

    def evidence_data(self, evidence: list[gd.Evidence]) -> list[dict[str, object]]:
        """``evidence`` (a list :meth:`gender` returned) as finding data.

        A source's evidence list is the same for all its attributions (twenty "Mr.
        Trump" are twenty items in each), so it is converted once; the lists
        :meth:`gender` returns live as long as this object, which keeps the key valid.
        """
        if not evidence:
            return []
        key = id(evidence)
        data = self._as_data.get(key)
        if data is None:
            data = self._as_data[key] = [ev.as_data() for ev in evidence]
        return data


def source_key(text: str, rel: Relation, info: SourceInfo) -> str | None:
    """What makes two attributions the same source before anaphora are resolved."""
    if info.entity_id:
        return f"entity:{info.entity_id}"
    if info.resolved_to:
        return f"name:{info.resolved_to.lower()}"
    if info.name and info.source_type == "named_person":
        return f"name:{info.name.lower()}"
    if rel.inherited is not None and rel.inherited.source is not None:
        a, b = rel.inherited.source
        return f"text:{text[a:b].lower()}"
    if rel.source is None:
        return None
    return f"text:{text[rel.source[0] : rel.source[1]].lower()}"


class SourceLinker:
    """Links the sources of one document's relations (sorted by cue)."""

    def __init__(
        self,
        text: str,
        doc: Doc,
        mentions: Sequence[Mention],
        sentences: Sequence[Range],
        first_names: bool = False,
        spans: SpanCache | None = None,
    ) -> None:
        self.text = text
        self.doc = doc
        self.mentions = mentions
        self.person_starts = [m.start for m in mentions if m.label == "PERSON"]
        self.persons = [m for m in mentions if m.label == "PERSON"]
        # The mentions of each person, by entity id and by name: each named
        # source's profile reads them all (a scan of every person per relation).
        self._by_entity: dict[str, list[Mention]] = {}
        self._by_name: dict[str, list[Mention]] = {}
        for m in self.persons:
            if m.entity_id:
                self._by_entity.setdefault(m.entity_id, []).append(m)
            self._by_name.setdefault(m.name, []).append(m)
        self.sentence_ends = [b for _, b in sentences]
        self.first_names = first_names
        # Source phrases are looked up again and again (each anaphor walks back over
        # the earlier sources): one spaCy span per range and document, shared
        # with the source typer when it is given.
        self._spans = spans if spans is not None else SpanCache(doc)

    def _span(self, rng: Range) -> Span | None:
        sp = self._spans.expand(rng[0], rng[1])
        return sp if sp is not None and len(sp) else None

    def _sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.sentence_ends, pos)

    # -- ids -------------------------------------------------------------------

    def link(self, relations: Sequence[Relation], infos: dict[int, SourceInfo]) -> Linked:
        ids: dict[int, str] = {}
        key_ids: dict[str, str] = {}
        history: list[tuple[Relation, SourceInfo, str]] = []
        for rel in relations:
            info = infos[id(rel)]
            sid: str | None = None
            if rel.inherited is not None and id(rel.inherited) in ids:
                sid = ids[id(rel.inherited)]
            else:
                key = self._key(rel, info)
                if key is not None and key in key_ids:
                    sid = key_ids[key]
                elif key is not None:
                    sid = self._anaphor(rel, info, history) or f"S{len(set(key_ids.values())) + 1}"
                    key_ids[key] = sid
            if sid is None:
                continue
            ids[id(rel)] = sid
            if rel.source is not None:
                history.append((rel, info, sid))
        relayed = self._relays(relations, infos)
        groups: dict[str, list[Relation]] = {}
        for rel in relations:
            if id(rel) in ids:
                groups.setdefault(ids[id(rel)], []).append(rel)
        self._own: dict[int, list[gd.Evidence]] = {}
        profiles = {sid: self._profile(sid, rels, infos) for sid, rels in groups.items()}
        return Linked(ids, relayed, profiles, self._own)

    def _key(self, rel: Relation, info: SourceInfo) -> str | None:
        """``source_key``, except that "a Clinton campaign spokesman" or "Clinton's
        lawyers" is not Clinton: a person noun heading the phrase speaks for the
        entity named inside it, so its own words are the key."""
        if info.entity_id and rel.source is not None and not info.pronoun:
            sp = self._span(rel.source)
            if (
                sp is not None
                and _person_noun(sp.root)
                # "A State Department spokeswoman, Jane Porter": the name in
                # apposition is the spokeswoman herself.
                and not any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in sp.root.children)
            ):
                return f"text:{self.text[rel.source[0] : rel.source[1]].lower()}"
        return source_key(self.text, rel, info)

    def _anaphor(
        self,
        rel: Relation,
        info: SourceInfo,
        history: Sequence[tuple[Relation, SourceInfo, str]],
    ) -> str | None:
        """ "These sources", "the official": the unnamed source they take up, if any."""
        if rel.source is None or info.source_type != "anonymous" or info.pronoun:
            return None
        sp = self._span(rel.source)
        if sp is None or len(sp) > 4 or sp[0].lower_ not in _ANAPHORIC:
            return None
        head = sp.root
        lemma = head.lemma_.lower()
        if (
            lemma not in lx.ANONYMOUS_HEADS | lx.ROLE_HEADS
            and head.lower_ not in lx.ANONYMOUS_HEADS
        ):
            return None
        if any(t.dep_ in _MODIFIER_DEPS for t in sp):
            return None  # "the officials in Kyiv" introduces someone, it does not refer back
        plural = head.tag_ in ("NNS", "NNPS")
        for prev, pinfo, sid in reversed(history):
            assert prev.source is not None
            if rel.source[0] - prev.source[1] > _ANAPHOR_WINDOW:
                break
            if prev.source[0] >= rel.source[0]:
                continue
            psp = self._span(prev.source)
            if psp is None:
                continue
            if lemma in lx.ROLE_HEADS and lemma not in lx.ANONYMOUS_HEADS:
                # "the spokeswoman" takes up whoever was introduced as one.
                words = {t.lemma_.lower() for t in psp} | set((pinfo.role or "").lower().split())
                if lemma in words:
                    return sid
                continue
            if pinfo.source_type != "anonymous" or pinfo.pronoun:
                continue
            if (psp.root.tag_ in ("NNS", "NNPS")) == plural:
                return sid
        return None

    # -- relays ----------------------------------------------------------------

    def _relays(
        self, relations: Sequence[Relation], infos: dict[int, SourceInfo]
    ) -> dict[int, Relation]:
        """Attributions an outlet passes on: same sentence "according to ... as per X",
        or nested in what the outlet reported."""
        outlets = [
            r
            for r in relations
            if r.source is not None
            and infos[id(r)].source_type == "media"
            and r.cue_kind in ("speech", "according")
        ]
        out: dict[int, Relation] = {}
        if not outlets:
            return out
        for rel in relations:
            if rel.source is None or infos[id(rel)].source_type == "media":
                continue
            for outlet in outlets:
                if outlet is rel:
                    continue
                same_sentence = self._sentence(rel.cue[0]) == self._sentence(outlet.cue[0])
                both_according = rel.cue_kind == outlet.cue_kind == "according"
                nested = any(a <= rel.cue[0] and rel.cue[1] <= b for a, b in outlet.content)
                if (same_sentence and both_according) or nested:
                    out[id(rel)] = outlet
                    break
        return out

    # -- gender and role -------------------------------------------------------

    def _profile(
        self, sid: str, rels: Sequence[Relation], infos: dict[int, SourceInfo]
    ) -> SourceProfile:
        profile = SourceProfile(sid)
        types = {infos[id(r)].source_type for r in rels}
        if types == {"unattributed"}:
            return profile
        evidence: list[gd.Evidence] = []
        cues: list[rl.RoleCue] = []
        person_word = False
        institutional = False
        seen_mentions: set[tuple[int, int]] = set()
        for rel in rels:
            info = infos[id(rel)]
            if rel.source is None:
                continue
            sp = self._span(rel.source)
            if sp is None:
                continue
            if info.pronoun:
                institutional = institutional or info.source_type == "organization"
                tok = sp.root
                if tok.lower_ in _PERSON_PRONOUNS and len(sp) == 1:
                    g = "male" if tok.lower_ in ("he", "him", "his") else "female"
                    ev = gd.Evidence("pronoun", g, tok.idx, tok.idx + len(tok), tok.text)
                    # "she said" is a woman whoever she is; she counts for the source
                    # she was resolved to only when that is the nearest person named.
                    self._own[id(rel)] = [ev]
                    if self._pronoun_fits(tok, info):
                        evidence.append(ev)
                continue
            toks = gd.role_tokens_of(sp)
            own: list[gd.Evidence] = []
            if not any(t.dep_ == "conj" for t in toks):
                # "She and her husband": a group; one gendered word is not its gender.
                own = gd.noun_evidence(toks)
                hon = gd.honorific_before(self.doc, sp.start_char, sp.start)
                if hon is not None:
                    own.append(hon)
            if own:
                self._own[id(rel)] = own
            evidence.extend(own)
            cue = rl.best_cue(toks)
            if cue is not None:
                cues.append(cue)
            person_word = person_word or any(_person_noun(t) for t in toks)
            root = sp.root
            institutional = institutional or (
                root.lemma_.lower() in lx.ORGANIZATION_HEADS
                or root.ent_type_ in ("ORG", "GPE", "NORP", "FAC")
                or root.pos_ == "PROPN"
            )
            if info.source_type == "named_person":
                for m in self._mentions_of(info):
                    if (m.start, m.end) in seen_mentions:
                        continue
                    seen_mentions.add((m.start, m.end))
                    self._mention_evidence(m, evidence, cues)
                if self.first_names and info.name:
                    named = gd.name_evidence(info.name, rel.source[0], rel.source[1])
                    if named is not None:
                        evidence.append(named)
        is_person = bool(types & _PERSON_TYPES) or person_word
        if "media" in types:
            profile.role = "media"
        elif types <= {"document", "unattributed"}:
            profile.role = "document"
        else:
            best = min(cues, key=lambda c: _rank(c.role), default=None)
            if best is not None:
                profile.role, profile.role_cue = best.role, best
            elif "organization" in types and not person_word and institutional:
                profile.role = "official"
            else:
                profile.role = "unknown"
        if is_person and not types & {"media", "document"}:
            profile.evidence = _dedupe(evidence)
            profile.gender = gd.decide(profile.evidence)
        return profile

    def _mentions_of(self, info: SourceInfo) -> Sequence[Mention]:
        """The person's mentions, in order: by entity id, else by name."""
        if info.entity_id:
            return self._by_entity.get(info.entity_id, ())
        if info.name:
            return self._by_name.get(info.name, ())
        return ()

    def _mention_evidence(
        self, m: Mention, evidence: list[gd.Evidence], cues: list[rl.RoleCue]
    ) -> None:
        """Honorific, title and apposition around another mention of the person."""
        sp = self._span((m.start, m.end))
        if sp is None:
            return
        hon = gd.honorific_before(self.doc, m.start, sp.start)
        if hon is not None:
            evidence.append(hon)
        head = sp.root
        around: list[Token] = [
            c
            for c in head.children
            if (c.dep_ == "appos" and not any(g.dep_ == "poss" for g in c.children))
            or (c.dep_ == "compound" and c.i < sp.start)
        ]
        if head.dep_ == "appos" and head.head.i < sp.start:
            around.append(head.head)  # "the spokeswoman, Jane Porter"
        if sp.start > 0 and self.doc[sp.start - 1].lower_ in rl.TITLE_ABBREVIATIONS:
            around.append(self.doc[sp.start - 1])
        # Kinship words next to a name ("his wife Melania Trump") describe someone
        # the entity linker may have merged with another person: titles only.
        around = [t for t in around if t.lower_ not in _KIN]
        evidence.extend(gd.noun_evidence(around))
        cue = rl.best_cue(around)
        if cue is not None:
            cues.append(cue)

    def _pronoun_fits(self, tok: Token, info: SourceInfo) -> bool:
        """The person a pronoun was resolved to is the nearest person named before it."""
        if info.source_type != "named_person":
            return False
        i = bisect.bisect_left(self.person_starts, tok.idx) - 1
        if i < 0:
            return False
        nearest = self.persons[i]
        same = (info.entity_id is not None and nearest.entity_id == info.entity_id) or (
            info.entity_id is None and nearest.name == info.name
        )
        return same and tok.idx - nearest.end <= _ANAPHOR_WINDOW


def _person_noun(tok: Token) -> bool:
    """A common noun naming a person ("spokesman", "official"), not a body."""
    if tok.pos_ != "NOUN":
        return False
    low = tok.lower_
    return (
        tok.lemma_.lower() in lx.ROLE_HEADS
        or low in gd.FEMALE_NOUNS
        or low in gd.MALE_NOUNS
        or rl.word_role(tok) in ("spokesperson", "expert", "citizen")
    )


def _rank(role: str) -> int:
    order = ("spokesperson", "expert", "media", "official", "citizen")
    return order.index(role) if role in order else len(order)


def _dedupe(evidence: list[gd.Evidence]) -> list[gd.Evidence]:
    seen: set[tuple[str, int]] = set()
    out = []
    for ev in sorted(evidence, key=lambda e: e.start):
        if (ev.kind, ev.start) in seen:
            continue
        seen.add((ev.kind, ev.start))
        out.append(ev)
    return out
