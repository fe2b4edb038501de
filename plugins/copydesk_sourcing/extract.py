"""Dependency-parse rules that turn a spaCy parse into attribution relations.

Each rule looks at one cue (a reporting verb, "according to", "as per", a
transcript speaker label, a quote-dash byline, a stand-alone quotation) and reads
its source and content off the parse: the subject is the source, the clausal
complement (or the quotation) is the content. The rules only read the shared
parse; nothing here calls spaCy's pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from copydesk_sourcing import lexicon as lx
from copydesk_sourcing.quotes import Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

Range = tuple[int, int]  # character offsets [start, end)

_CUE_ADVERBS = frozenset(
    "also previously later repeatedly again recently never often publicly privately "
    "already reportedly once then still further initially first".split()
)
_HEARSAY = frozenset({"reportedly", "allegedly", "purportedly", "supposedly", "reputedly"})
# "ROTTERDAM, Netherlands (Wire) - ": a dateline opening the lead, not content.
_DATELINE = re.compile(
    r"[A-Z][A-Z .'-]{2,40}(?:, [A-Z][\w .]{1,40})?\s*(?:\([^)]{1,40}\))?\s*[-\u2013\u2014]+\s+"
)
# Speech verbs whose passive subject is what was said ("a curfew was announced").
_PASSIVE_CONTENT = frozenset(
    """announce report confirm reveal deny disclose predict promise claim state allege
    mention cite repeat propose recommend demand declare post tweet write quote""".split()
)
_EXPLETIVES = frozenset({"it", "this", "that", "there"})
_RELATIVE = frozenset({"who", "that", "which", "whom"})
# Idioms built on a speech verb that attribute nothing: "it is worth noting that",
# "it goes without saying", "needless to say", "let's say you ...".
_IDIOM_PAIRS = frozenset({("needless", "to"), ("let", "'s"), ("let", "\u2019s"), ("let", "us")})
# "Pat Caddell: Democrat Voters Worried ...": a headline or line led by a name and a colon.
_NAME_COLON = re.compile(
    r"^((?:[A-Z][\w.'\u2019-]*)(?: (?:[A-Z][\w.'\u2019-]*|of|de|van|von)){0,3}):[ \t]+(?=\S)",
    re.MULTILINE,
)
_NOT_SOURCES = frozenset(
    """update updated note correction clarification related watch read photos photo video
    editor full text source sources credit caption advertisement subscribe q a
    breaking exclusive opinion analysis""".split()
)
# "in his view", "in this poll": a prepositional source.
_IN_SOURCES = frozenset("poll polls survey surveys view eyes words opinion estimation".split())
_TRANSCRIPT = re.compile(r"^[\"\u201c\u201d]?([A-Z][A-Z.'\- ]{1,40}[A-Z.]):\s", re.MULTILINE)
_QUOTE_DASH = re.compile(
    r"[\u201d\"]\s*([\u2015\u2014\u2013]|--)\s*([A-Z][^\n\u201c\"]{1,60}?)[.\s]*(?=\n|$)"
)
_TRIM = set(" \t\n\r\u00a0,;:.\u2014\u2013\u2015-")
# Participles that read a fact rather than report speech: "..., signalling that".
_INTERPRETIVE = frozenset(
    """signal indicate underscore underline highlight hint reflect demonstrate illustrate
    mark""".split()
)
# "by phone", "by a wide margin": a "by" that names no agent.
_NOT_AGENTS = frozenset(
    "phone telephone email e-mail mail letter video text fax margin far way default".split()
)


def interpretive_participle(tok: Token) -> bool:
    """ "Reuters reported ..., signalling that ...": a participle with no subject of
    its own that reads the clause it hangs on; the subject it would inherit did not
    say it, so it is not a second attribution."""
    return (
        tok.tag_ == "VBG"
        and tok.lemma_.lower() in _INTERPRETIVE
        and tok.dep_ in ("advcl", "xcomp", "conj", "acl")
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in tok.children)
    )


def reduced_relative(verb: Token) -> bool:
    """ "Hamas, a group deemed a terrorist organisation by X": the parser read
    "a group" as the subject of an active "deemed"; an indefinite noun in
    apposition (after a comma) before a participle with a "by" agent is the
    one spoken of, not the speaker."""
    if verb.tag_ not in ("VBD", "VBN") or not verb.lower_.endswith(("ed", "en", "t")):
        return False
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    if subj is None or subj.pos_ != "NOUN" or subj.right_edge.i != verb.i - 1:
        return False
    first = subj.left_edge
    if first.i == 0 or verb.doc[first.i - 1].text != ",":
        return False
    return first.lower_ in ("a", "an") and _by_agent(verb) is not None


def _by_agent(verb: Token) -> Token | None:
    """The "by" object of a participle parsed as a plain preposition.

    "a group deemed a terrorist organisation by the Trump administration": the
    parser hangs "by" on the object; the administration is still the agent.
    """
    stack = [(c, 0) for c in verb.children if c.i > verb.i]
    while stack:
        node, depth = stack.pop()
        if node.dep_ in ("ccomp", "relcl", "advcl", "acl", "conj", "xcomp"):
            continue
        if node.dep_ == "prep" and node.lower_ == "by":
            pobj = next((g for g in node.children if g.dep_ == "pobj"), None)
            if (
                pobj is not None
                and pobj.lower_ not in _NOT_AGENTS
                and pobj.ent_type_
                not in (
                    "DATE",
                    "TIME",
                )
            ):
                return pobj
        if depth < 2:
            stack.extend((c, depth + 1) for c in node.children)
    return None


@dataclass
class Relation:
    """One attribution: cue, optional source, content fragments, and how it was found."""

    cue: Range
    source: Range | None
    content: list[Range]
    cue_lemma: str
    cue_kind: str  # "speech", "other", "according", "quote", "transcript"
    rule: str
    confidence: float
    source_root: int | None = None  # token index of the source's head
    quote_groups: set[int] = field(default_factory=set)
    inherited: Relation | None = None  # standalone quote: the attribution it continues
    addressee: Range | None = None  # "told reporters", "told the BBC"

    @property
    def start(self) -> int:
        points = [self.cue[0], *(a for a, _ in self.content)]
        if self.source:
            points.append(self.source[0])
        return min(points)

    @property
    def end(self) -> int:
        points = [self.cue[1], *(b for _, b in self.content)]
        if self.source:
            points.append(self.source[1])
        return max(points)


class QuoteIndex:
    """Which quotation (if any) covers a character offset."""

    def __init__(self, quotes: Sequence[Quote]) -> None:
        self.quotes = list(quotes)
        self._starts = [q.start for q in self.quotes]

    def at(self, pos: int) -> Quote | None:
        import bisect

        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and self.quotes[i].start <= pos < self.quotes[i].end:
            return self.quotes[i]
        return None

    def inside(self, pos: int) -> bool:
        """True when ``pos`` lies strictly inside a quotation's marks."""
        q = self.at(pos)
        return q is not None and q.start < pos < q.end - 1

    def overlapping(self, start: int, end: int) -> list[Quote]:
        return [q for q in self.quotes if q.start < end and start < q.end]

    def group(self, group: int) -> list[Quote]:
        return [q for q in self.quotes if q.group == group]


def _tok_range(doc: Doc, a: int, b: int) -> Range:
    """Character range of tokens ``[a, b)``."""
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1])


def trim(text: str, span: Range, keep_quotes: bool = True) -> Range | None:
    """Strip whitespace and edge punctuation; keep balanced quotation marks."""
    a, b = span
    while a < b and text[a] in _TRIM:
        a += 1
    while b > a and text[b - 1] in _TRIM:
        b -= 1
    if not keep_quotes:
        while a < b and text[a] in "\"\u201c\u201d'":
            a += 1
        while b > a and text[b - 1] in '"\u201c\u201d':
            b -= 1
    return (a, b) if b > a else None


def after_idiom(tok: Token) -> bool:
    """The token follows "worth", "without", "needless to", "let's" or "let us".

    Token-based on purpose: ``Doc.text`` rebuilds the whole text on every call.
    """
    if tok.i == 0:
        return False
    prev = tok.doc[tok.i - 1].lower_
    if prev in ("worth", "without"):
        return True
    prev2 = tok.doc[tok.i - 2].lower_ if tok.i > 1 else ""
    return (prev2, prev) in _IDIOM_PAIRS


def subtract(span: Range, holes: Iterable[Range]) -> list[Range]:
    """``span`` minus the holes, as ordered fragments."""
    pieces = [span]
    for h0, h1 in sorted(holes):
        out = []
        for a, b in pieces:
            if h1 <= a or b <= h0:
                out.append((a, b))
                continue
            if a < h0:
                out.append((a, h0))
            if h1 < b:
                out.append((h1, b))
        pieces = out
    return pieces


class Extractor:
    """Applies the rules to one parsed document."""

    def __init__(self, doc: Doc, text: str, quotes: Sequence[Quote]) -> None:
        self.doc = doc
        self.text = text
        self.quotes = QuoteIndex(quotes)
        self.relations: list[Relation] = []
        self._cue_tokens: set[int] = set()
        # Relative-pronoun sources ("which", "who") -> the noun phrase they stand for.
        self.antecedents: dict[Range, Range] = {}

    # -- helpers ---------------------------------------------------------------

    def _subtree(self, tok: Token) -> Range:
        return _tok_range(self.doc, tok.left_edge.i, tok.right_edge.i + 1)

    def _clean(self, spans: Iterable[Range]) -> list[Range]:
        out = []
        for span in spans:
            t = trim(self.text, span)
            if t is not None:
                out.append(t)
        return self._expand_quotes(out)

    def _expand_quotes(self, spans: list[Range]) -> list[Range]:
        """Grow content fragments to whole quotations they overlap.

        A content clause that starts or ends inside a quotation takes the whole
        quotation, so '"We will win," he said' has the quote, marks included.
        """
        out: list[Range] = []
        for a, b in spans:
            for q in self.quotes.overlapping(a, b):
                if q.words(self.text) >= 1:
                    a, b = min(a, q.start), max(b, q.end)
            out.append((a, b))
        return out

    def _source_of(self, verb: Token, depth: int = 0) -> tuple[Range | None, int | None]:
        """The source span and head token index for a cue verb."""
        passive = any(c.dep_ == "auxpass" for c in verb.children)
        for child in verb.children:
            if child.dep_ == "agent":
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return self._np(pobj), pobj.i
        own_subject = any(c.dep_ in ("nsubj", "csubj", "nsubjpass") for c in verb.children)
        if reduced_relative(verb) or (
            # Not for "acl": in "a paper titled ''X'' by Y" the "by" names the
            # paper's authors, and the noun keeps its old reading below.
            not own_subject and verb.tag_ == "VBN" and verb.dep_ != "acl"
        ):
            agent = _by_agent(verb)
            if agent is not None:
                return self._np(agent), agent.i
        inside = self.quotes.inside(verb.idx)
        for child in verb.children:
            if child.dep_ in ("nsubj", "csubj") and not inside and self.quotes.inside(child.idx):
                # '"... Full panic mode," said Leslie Wimes': the parser took quoted
                # words for a subject; the speaker is the other subject, if any.
                continue
            if child.dep_ in ("nsubj", "csubj") or (child.dep_ == "nsubjpass" and not passive):
                if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
                    # "the Saudi government, which denied ...": the source is the
                    # relative pronoun (as a pronoun "he" is), resolved to the noun.
                    head = verb.head
                    ante = trim(self.text, _tok_range(self.doc, head.left_edge.i, child.i))
                    pron = (child.idx, child.idx + len(child))
                    if ante is None:
                        return None, None
                    self.antecedents[pron] = ante
                    return pron, head.i
                if child.lower_ in _EXPLETIVES and child.dep_ != "nsubj":
                    return None, None
                return self._np(child, stop=verb), child.i
            if child.dep_ == "nsubjpass":
                return None, None
        if depth < 3 and verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.i != verb.i:
            return self._source_of(verb.head, depth + 1)
        if (
            depth < 3
            and verb.dep_ == "pcomp"
            and verb.head.dep_ == "prep"
            and verb.head.head.pos_ in ("VERB", "AUX")
        ):
            # "responded ... by saying", "despite admitting": the governing verb's subject.
            return self._source_of(verb.head.head, depth + 1)
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            # "a report saying ...": the noun speaks. (A participle with a "by" agent,
            # "a group deemed ... by X", returned X above.)
            head = verb.head
            span = _tok_range(self.doc, head.left_edge.i, verb.i)
            return trim(self.text, span), head.i
        return None, None

    def _np(self, tok: Token, stop: Token | None = None) -> Range | None:
        """A noun phrase's span, cut short of the cue verb it attaches to."""
        a, b = tok.left_edge.i, tok.right_edge.i + 1
        if stop is not None and a < stop.i < b:
            if tok.i < stop.i:
                b = stop.i
            else:
                a = stop.i + 1
        # Do not let a subject run into a quotation it sits next to.
        rng = _tok_range(self.doc, a, b)
        for q in self.quotes.overlapping(*rng):
            if q.start <= self.doc[tok.i].idx < q.end:
                continue
            if q.end <= self.doc[tok.i].idx:
                rng = (max(rng[0], q.end), rng[1])
            else:
                rng = (rng[0], min(rng[1], q.start))
        return trim(self.text, rng, keep_quotes=False)

    def _cue_span(self, verb: Token, extra: Token | None = None) -> Range:
        """The verb with its auxiliaries, negation and "also" (``has also said``)."""
        a = verb.i
        while a > 0:
            prev = self.doc[a - 1]
            if prev.head.i == verb.i and (
                prev.dep_ in ("aux", "auxpass", "neg") or prev.lower_ in _CUE_ADVERBS
            ):
                a -= 1
                continue
            break
        # Leading "to" of an infinitive is not part of the cue.
        while a < verb.i and self.doc[a].lower_ == "to":
            a += 1
        b = verb.i + 1
        for child in verb.children:
            if child.dep_ == "prt" and child.i == b:
                b += 1
        if extra is not None and extra.i >= b:
            b = extra.i + 1
        return _tok_range(self.doc, a, b)

    def _sentence_quotes(self, sent: Span, exclude: Iterable[Range]) -> list[Quote]:
        excl = list(exclude)
        out = []
        for q in self.quotes.overlapping(sent.start_char, sent.end_char):
            if any(q.start < b and a < q.end for a, b in excl):
                continue
            out.append(q)
        return out

    # -- rules -----------------------------------------------------------------

    def _candidates(self) -> list[int]:
        """Indices of the tokens a rule may start from, in order.

        Picked from the lower-case and lemma columns in one array operation, so
        the rules below see a few hundred tokens instead of every token.
        """
        import numpy as np
        from spacy.attrs import LEMMA, LOWER

        doc = self.doc
        if not len(doc):
            return []
        strings = doc.vocab.strings
        lowers = [strings.add(w) for w in ("according", "per", "in", *_HEARSAY)]
        lemmas = [
            strings.add(form)
            for w in lx.CUE_VERBS | lx.CUE_NOUNS
            for form in (w, w.capitalize(), w.upper())
        ]
        cols = doc.to_array([LOWER, LEMMA])
        hit = np.isin(cols[:, 0], np.array(lowers, dtype=cols.dtype)) | np.isin(
            cols[:, 1], np.array(lemmas, dtype=cols.dtype)
        )
        return [int(i) for i in np.flatnonzero(hit)]

    def run(self) -> list[Relation]:
        doc = self.doc
        for i in self._candidates():
            tok = doc[i]
            if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                self._according(tok, doc[tok.i + 1])
            elif tok.lower_ == "per" and tok.i > 0 and doc[tok.i - 1].lower_ == "as":
                self._according(doc[tok.i - 1], tok)
            elif (
                tok.lower_ == "in"
                and tok.dep_ == "prep"
                and tok.head.pos_ in ("VERB", "AUX", "ADJ")
            ):
                self._in_source(tok)
            elif tok.lower_ in _HEARSAY and tok.dep_ == "advmod":
                self._hearsay(tok)
            elif tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in lx.CUE_VERBS:
                self._verb(tok)
            elif tok.pos_ == "NOUN" and tok.lemma_.lower() in lx.CUE_NOUNS:
                self._noun(tok)
        self._transcripts()
        self._name_colons()
        self._quote_dashes()
        self._chain_and_standalone()
        self.relations.sort(key=lambda r: r.cue[0])
        return self.relations

    def _according(self, first: Token, to: Token) -> None:
        if self.quotes.inside(first.idx):
            return
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None and to.i + 1 < len(self.doc):
            pobj = self.doc[to.i + 1]
        source = self._np(pobj) if pobj is not None else None
        cue = _tok_range(self.doc, first.i, to.i + 1)
        # Content: the sentence minus the "according to X" phrase.
        sent = first.sent
        lo = min(first.left_edge.i, first.i)
        hi = max(first.right_edge.i + 1, (pobj.right_edge.i + 1) if pobj is not None else to.i + 1)
        hole = _tok_range(self.doc, lo, hi)
        content = self._clean(subtract((_after_dateline(self.text, sent), sent.end_char), [hole]))
        content = [c for c in content if len(self.text[c[0] : c[1]].split()) >= 2]
        if not content:
            return
        self._add(
            Relation(
                cue,
                source,
                content,
                "according to",
                "according",
                "according",
                0.9,
                pobj.i if pobj is not None else None,
            )
        )

    def _hearsay(self, adv: Token) -> None:
        """``Officials reportedly protested``: a cue with no source in the text.

        When the sentence names the source elsewhere ("according to", "as per"),
        that rule reports it and the adverb adds nothing.
        """
        sent = adv.sent
        if self.quotes.inside(adv.idx) or any(t.lower_ in ("according", "per") for t in sent):
            return
        head = adv.head
        whole = _tok_range(self.doc, head.left_edge.i, head.right_edge.i + 1)
        content = self._clean(subtract(whole, [(adv.idx, adv.idx + len(adv))]))
        if not content or len(self.text[content[0][0] : content[-1][1]].split()) < 3:
            return
        cue = (adv.idx, adv.idx + len(adv))
        self._add(Relation(cue, None, _merge(content), adv.lower_, "speech", "adverb", 0.7))

    def _verb(self, verb: Token) -> None:
        lemma = verb.lemma_.lower()
        if verb.dep_ in ("amod", "compound") or self.quotes.inside(verb.idx):
            return
        if (
            lemma == "say"
            and verb.i + 1 < len(self.doc)
            and self.doc[verb.i + 1].lower_ == "nothing"
        ):
            return
        if after_idiom(verb):
            return  # "it's worth noting", "goes without saying", "let's say": nobody says it
        if interpretive_participle(verb):
            return
        kind = "speech" if lemma in lx.SPEECH_VERBS else "other"
        if kind == "other" and verb.dep_ == "relcl":
            return  # "residents who oppose the route": a description, not a claim
        children = list(verb.children)
        content: list[Range] = []
        rule = ""
        extra: Token | None = None
        confidence = 0.8
        ccomps = [c for c in children if c.dep_ == "ccomp"]
        if reduced_relative(verb):
            # What "a group deemed X by Y" attributes is X; a clause the parser hung
            # on the left is the sentence the apposition sits in.
            ccomps = [c for c in ccomps if c.i > verb.i]
        misparsed_subject: Token | None = None
        if (
            len(ccomps) > 1
            and ccomps[0].i < verb.i < ccomps[-1].i
            and ccomps[0].right_edge.i == verb.i - 1
        ):
            # "Two individuals privy to the talks said ...": the parser made the
            # subject a clause; it is the source, not content.
            misparsed_subject = ccomps.pop(0)
        if ccomps:
            content = self._clean(self._subtree(c) for c in ccomps)
            rule = "ccomp"
        if not content and verb.dep_ in ("parataxis", "ccomp", "advcl") and verb.head.i != verb.i:
            head = verb.head
            if (
                head.lemma_.lower() not in lx.CUE_VERBS
                and kind == "speech"
                and lemma not in ("speak", "talk")
                and any(c.dep_ == "nsubj" for c in verb.children)
                # A reporting aside ("..., he said, ...") has no complement of its own.
                and not any(c.dep_ in ("dobj", "xcomp", "ccomp", "attr") for c in verb.children)
                and (verb.dep_ == "parataxis" or verb.i > head.i)
            ):
                whole = self._subtree(head)
                content = self._clean(subtract(whole, [self._subtree(verb)]))
                rule = "parataxis"
                confidence = 0.75
        if not content and lemma in lx.PREP_CUES:
            for c in children:
                if (
                    c.dep_ in ("prep", "dative")
                    and c.lower_ in lx.PREP_CUES[lemma]
                    and c.i > verb.i
                ):
                    pobj = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
                    if any(g.ent_type_ in ("DATE", "TIME") for g in pobj):
                        continue  # "spoke on Tuesday": a time, not a topic
                    if pobj:
                        spans = [self._subtree(p) for p in pobj]
                        spans += [self._subtree(x) for x in children if x.dep_ == "xcomp"]
                        content = self._clean(spans)
                        extra = c
                        rule = "prep"
                        break
        if not content and lemma in lx.XCOMP_CONTENT_VERBS:
            xcomps = [c for c in children if c.dep_ == "xcomp" and c.i > verb.i]
            if xcomps:
                content = self._clean(self._subtree(c) for c in xcomps)
                rule = "xcomp"
                confidence = 0.65
        if not content:
            sent = verb.sent
            src, _ = self._source_of(verb)
            excl = [src] if src else []
            quotes = self._sentence_quotes(sent, excl)
            quotes = [q for q in quotes if q.words(self.text) >= 3]
            if quotes and kind == "speech" and self._reports(verb):
                content = [(q.start, q.end) for q in quotes]
                rule = "quote"
                confidence = 0.85
        if (
            not content
            and lemma in lx.OBJECT_CONTENT_VERBS
            and lemma not in lx.LISTENER_OBJECT_VERBS
        ):
            dobjs = [c for c in children if c.dep_ == "dobj" and c.i > verb.i]
            if dobjs:
                spans = [self._subtree(c) for c in dobjs]
                spans += [
                    self._subtree(c)
                    for c in children
                    if c.dep_ in ("oprd", "xcomp", "prep")
                    and c.i > verb.i
                    and (
                        c.dep_ != "prep"
                        or c.lower_ == "as"
                        or (c.lower_ == "of" and lemma == "accuse")
                    )
                ]
                content = self._clean(spans)
                rule = "dobj"
                confidence = 0.6
        if not content and lemma in _PASSIVE_CONTENT and any(c.dep_ == "auxpass" for c in children):
            # "A curfew was announced from midnight": what was announced is the subject.
            subj = [c for c in children if c.dep_ == "nsubjpass" and c.i < verb.i]
            if subj and subj[0].lower_ not in _EXPLETIVES | _RELATIVE:
                spans = [self._subtree(subj[0])]
                spans += [
                    self._subtree(c)
                    for c in children
                    if c.dep_ == "prep" and c.i > verb.i and c.lower_ != "by"
                ]
                content = self._clean(spans)
                rule = "passive"
                confidence = 0.6
        if not content and kind == "speech":
            content = self._following_quote(verb)
            rule = "colon"
            confidence = 0.7
        if not content and kind == "speech":
            content = self._preceding_quote(verb)
            rule = "quote"
            confidence = 0.8
        if not content:
            return
        source, root = self._source_of(verb)
        if source is None and misparsed_subject is not None:
            source = trim(self.text, self._subtree(misparsed_subject), keep_quotes=False)
            root = next(
                (c.i for c in misparsed_subject.children if c.dep_ == "nsubj"), misparsed_subject.i
            )
        source = self._extend_dangling(source)
        cue = self._cue_span(verb, extra)
        if (
            source is not None
            and root is not None
            and self.doc[root].head.i == verb.i
            and source[1] <= cue[0]
            and any(a < source[0] and cue[1] < b for a, b in content)
        ):
            # "the donors, who he said were generous", "what Trump says his plan
            # does": the speaker and cue sit inside the clause they report; cut
            # them out of the content (and a bare relative pronoun with them).
            content = [
                c
                for c in self._clean(
                    [p for a, b in content for p in subtract((a, b), [(source[0], cue[1])])]
                )
                if self.text[c[0] : c[1]].strip().lower() not in _RELATIVE | {"what"}
            ]
            if not content:
                return
        content = self._carve_agent(root, content)
        if source is not None and any(a < source[1] and source[0] < b for a, b in content):
            # A subject inside the content means the parse went wrong; keep the content.
            source, root = None, None
        if kind == "other" and source is None and not any(c.dep_ == "auxpass" for c in children):
            # A belief with no believer ("assuming that", "to determine who") is not an
            # attribution; an agentless passive ("is believed to") still is.
            return
        rel = Relation(cue, source, content, lemma, kind, rule, confidence, root)
        if lemma in lx.LISTENER_OBJECT_VERBS:
            obj = next((c for c in children if c.dep_ in ("dobj", "dative") and c.i > verb.i), None)
            if obj is not None:
                rel.addressee = trim(self.text, self._subtree(obj))
        self._add(rel)

    def _carve_agent(self, root: int | None, content: list[Range]) -> list[Range]:
        """Content without the "by X" that names its source ("deemed ... by X")."""
        if root is None:
            return content
        prep = self.doc[root].head
        if prep.dep_ != "prep" or prep.lower_ != "by":
            return content
        hole = self._subtree(prep)
        return self._clean([p for a, b in content for p in subtract((a, b), [hole])])

    def repair_agent(self, rel: Relation) -> Relation:
        """A learned relation whose "by X" agent sat inside its content: X is the source."""
        if rel.source is not None:
            return rel
        sp = self.doc.char_span(rel.cue[0], rel.cue[1], alignment_mode="expand")
        verb = next((t for t in sp or () if t.lemma_.lower() == rel.cue_lemma), None)
        if verb is None or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            return rel
        if verb.tag_ != "VBN" and verb.dep_ != "acl":
            return rel
        agent = _by_agent(verb)
        if agent is None:
            return rel
        content = self._carve_agent(agent.i, rel.content)
        source = self._np(agent)
        if not content or source is None:
            return rel
        rel.content, rel.source, rel.source_root = content, source, agent.i
        return rel

    def _reports(self, verb: Token) -> bool:
        """The verb is a finite report with a speaker, not "to defend", "who asked"."""
        if verb.dep_ in ("xcomp", "relcl", "acl", "pcomp", "advcl", "csubj", "amod"):
            return False
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            return False
        return verb.dep_ in ("ROOT", "parataxis") or any(
            c.dep_ in ("nsubj", "nsubjpass") for c in verb.children
        )

    def _extend_dangling(self, span: Range | None) -> Range | None:
        """Repair "a spokeswoman for" when the parser dropped the name after it."""
        if span is None:
            return None
        toks = self.doc.char_span(span[0], span[1], alignment_mode="expand")
        if toks is None or not len(toks) or toks[-1].pos_ != "ADP" or toks.end >= len(self.doc):
            return span
        nxt = self.doc[toks.end]
        if nxt.ent_iob_ == "B":
            end = nxt.i
            while end + 1 < len(self.doc) and self.doc[end + 1].ent_iob_ == "I":
                end += 1
            return trim(
                self.text, (span[0], self.doc[end].idx + len(self.doc[end])), keep_quotes=False
            )
        return span

    def _following_quote(self, verb: Token) -> list[Range]:
        """``He said:`` followed by a quotation the parser put in the next sentence."""
        sent = verb.sent
        rest = self.text[verb.idx + len(verb) : sent.end_char].strip()
        if rest not in (":", ",", ":\u201c", ':"', "") and not rest.startswith(":"):
            return []
        nxt = self.text[sent.end_char : sent.end_char + 200].lstrip()
        pos = sent.end_char + (len(self.text[sent.end_char : sent.end_char + 200]) - len(nxt))
        q = self.quotes.at(pos)
        if q is not None and q.start == pos:
            return [(p.start, p.end) for p in self.quotes.group(q.group)]
        if rest.startswith(":") and len(rest) > 3:
            t = trim(self.text, (self.text.index(":", verb.idx) + 1, sent.end_char))
            return [t] if t else []
        return []

    def _preceding_quote(self, verb: Token) -> list[Range]:
        """'"... ever?" he asks.': the parser ended the sentence inside the quote."""
        sent = verb.sent
        before = self.text[sent.start_char : verb.idx]
        if len(before.split()) > 4:
            return []
        pos = sent.start_char - 1
        while pos >= 0 and self.text[pos].isspace():
            pos -= 1
        q = self.quotes.at(pos) if pos >= 0 else None
        if q is None or q.end != pos + 1 or "\n" in self.text[q.end : sent.start_char]:
            return []
        return [(p.start, p.end) for p in self.quotes.group(q.group)]

    def _noun(self, noun: Token) -> None:
        """ "Trump's claim that ...", "a Times report that ...": a cue noun with a that-clause."""
        clause = next(
            (
                c
                for c in noun.children
                if c.dep_ in ("acl", "ccomp", "relcl")
                and c.i > noun.i
                and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
            ),
            None,
        )
        if clause is None or self.quotes.inside(noun.idx):
            return
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is None:
            owner = next(
                (c for c in noun.children if c.dep_ == "compound" and c.pos_ == "PROPN"), None
            )
        source = None
        if owner is not None:
            source = trim(
                self.text, _tok_range(self.doc, owner.left_edge.i, owner.i + 1), keep_quotes=False
            )
            if source is not None:
                source = (
                    (source[0], source[1] - 2)
                    if self.text[source[0] : source[1]].endswith(("'s", "\u2019s"))
                    else source
                )
        content = self._clean([self._subtree(clause)])
        cue = (noun.idx, noun.idx + len(noun))
        lemma = noun.lemma_.lower()
        kind = "other" if lemma in ("belief", "view", "fear", "hope", "plan") else "speech"
        self._add(
            Relation(
                cue,
                source,
                content,
                lemma,
                kind,
                "noun",
                0.6,
                owner.i if owner is not None else None,
            )
        )

    def _add(self, rel: Relation) -> None:
        cue_start = rel.cue[0]
        for other in self.relations:
            if other.cue[0] == cue_start:
                return
        content = set(rel.content)
        for a, b in rel.content:
            for q in self.quotes.overlapping(a, b):
                rel.quote_groups.add(q.group)
                # A quotation running over paragraphs comes whole.
                content.update((p.start, p.end) for p in self.quotes.group(q.group) if p != q)
        rel.content = _merge(sorted(content))
        self.relations.append(rel)

    def _transcripts(self) -> None:
        """``PENCE: Well, look ...``: a speaker label opening a paragraph."""
        for m in _TRANSCRIPT.finditer(self.text):
            name = m.group(1).strip()
            if name.split()[0].lower() in _NOT_SOURCES:
                continue  # "UPDATE:", "CORRECTION:"
            if len(name) < 2 or not any(ch.isalpha() for ch in name):
                continue
            end = self.text.find("\n", m.end())
            end = len(self.text) if end < 0 else end
            content = trim(self.text, (m.end(), end))
            if content is None:
                continue
            cue = (m.end(1), m.end(1) + 1)
            self._add(
                Relation(cue, (m.start(1), m.end(1)), [content], ":", "speech", "transcript", 0.8)
            )

    def _name_colons(self) -> None:
        """``Sanders: Clinton needs to ...``: a line led by a name and a colon."""
        for m in _NAME_COLON.finditer(self.text):
            name = m.group(1)
            words = name.lower().replace("\u2019", "'").split()
            if not words or words[0] in _NOT_SOURCES or name.isupper():
                continue  # "UPDATE:", all-caps labels are the transcript rule's
            if self.quotes.inside(m.start()):
                continue
            end = self.text.find("\n", m.end())
            end = len(self.text) if end < 0 else end
            content = trim(self.text, (m.end(), end))
            if content is None or len(self.text[content[0] : content[1]].split()) < 3:
                continue
            cue = (m.end(1), m.end(1) + 1)
            root = self.doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
            self._add(
                Relation(
                    cue,
                    (m.start(1), m.end(1)),
                    [content],
                    ":",
                    "speech",
                    "colon_line",
                    0.6,
                    root.root.i if root is not None else None,
                )
            )

    def _in_source(self, prep: Token) -> None:
        """``In this poll, Trump rose``, ``safe in his eyes``: the pobj is the source."""
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is None or pobj.lower_ not in _IN_SOURCES or self.quotes.inside(prep.idx):
            return
        if pobj.lower_ in ("view", "eyes", "words", "opinion", "estimation") and not any(
            c.dep_ == "poss" for c in pobj.children
        ):
            return  # "in view of", "in other words"
        head = prep.head
        while head.dep_ in ("acomp", "attr", "oprd") and head.head.i != head.i:
            head = head.head
        whole = _tok_range(self.doc, head.left_edge.i, head.right_edge.i + 1)
        hole = _tok_range(self.doc, prep.i, prep.right_edge.i + 1)
        content = self._clean(subtract(whole, [hole]))
        content = [c for c in content if len(self.text[c[0] : c[1]].split()) >= 2]
        if not content:
            return
        owner = next((c for c in pobj.children if c.dep_ == "poss"), None)
        if owner is not None and pobj.lower_ not in _IN_SOURCES - {"view", "eyes", "words"}:
            # "in his eyes": the holder is the possessor ("his" -> the person).
            source = trim(self.text, _tok_range(self.doc, owner.left_edge.i, owner.i + 1))
            if source is not None and self.text[source[0] : source[1]].endswith(("'s", "\u2019s")):
                source = (source[0], source[1] - 2)
            pobj = owner
        else:
            source = self._np(pobj)
        cue = (prep.idx, prep.idx + len(prep))
        self._add(Relation(cue, source, content, "in", "other", "in", 0.6, pobj.i))

    def _quote_dashes(self) -> None:
        """``"..." ― Jane Doe``: a quotation signed with a dash."""
        for m in _QUOTE_DASH.finditer(self.text):
            q = self.quotes.at(m.start())
            if q is None:
                continue
            name = trim(self.text, (m.start(2), m.end(2)))
            if name is None:
                continue
            cue = (m.start(1), m.end(1))
            self._add(Relation(cue, name, [(q.start, q.end)], "\u2015", "speech", "dash", 0.8))

    def _chain_and_standalone(self) -> None:
        """Attach quotations that carry no cue of their own.

        A quotation right after an attributed quotation continues it ('"We won,"
        he said. "It was close."'); a quotation paragraph with no cue nearby is
        attributed to the last speaker, with its opening mark as the cue.
        """
        used: set[int] = set()
        for rel in self.relations:
            used |= rel.quote_groups
        claimed = [
            r for rel in self.relations for r in [rel.cue, *([rel.source] if rel.source else [])]
        ]
        by_end = sorted(self.relations, key=lambda r: r.end)
        groups: dict[int, list[Quote]] = {}
        for q in self.quotes.quotes:
            groups.setdefault(q.group, []).append(q)
        for group, pieces in sorted(groups.items(), key=lambda kv: kv[1][0].start):
            if group in used:
                continue
            start, end = pieces[0].start, pieces[-1].end
            if any(start < b and a < end for a, b in claimed):
                continue
            words = sum(p.words(self.text) for p in pieces)
            if words < 4 or not self._stands_alone(pieces[0]):
                continue
            prev = [r for r in by_end if r.end <= start and r.source is not None]
            if not prev:
                continue
            last = prev[-1]
            gap = self.text[last.end : start]
            # Same paragraph ('"We won," he said on Monday. "It was close."') or the
            # very next paragraph after a quotation: the speaker goes on.
            same_para = "\n" not in gap and len(gap) < 80
            next_para = gap.count("\n") <= 2 and not gap.strip(' \n\u00a0.,"\u201d')
            if last.quote_groups and (same_para or next_para):
                last.content = sorted(last.content + [(p.start, p.end) for p in pieces])
                last.quote_groups.add(group)
                used.add(group)
                continue
            if gap.count("\n") > 4:
                continue
            cue = (pieces[0].start, pieces[0].start + 1)
            rel = Relation(
                cue,
                None,
                [(p.start, p.end) for p in pieces],
                "\u201c",
                "quote",
                "standalone",
                0.5,
                None,
                {group},
            )
            rel.inherited = last
            self.relations.append(rel)
            used.add(group)

    def _stands_alone(self, q: Quote) -> bool:
        """The quotation opens its sentence (nothing but space or a dash before it)."""
        tok = self.doc.char_span(q.start, q.start + 1, alignment_mode="expand")
        if tok is None:
            return False
        sent = tok.sent
        return not self.text[sent.start_char : q.start].strip(" \u2014-")


def _after_dateline(text: str, sent: Span) -> int:
    """Where a sentence's words begin once a leading dateline is skipped."""
    m = _DATELINE.match(text, sent.start_char, sent.end_char)
    return m.end() if m else sent.start_char


def _merge(spans: list[Range]) -> list[Range]:
    """Sorted fragments with overlaps joined."""
    out: list[Range] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
